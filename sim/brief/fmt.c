/*
 * fmt.c -- how the report writes numbers: the ONE place where it formats
 * money (so that money in the scenario's currency is one change here), and
 * counts and hours.
 *
 * Money is rounded as results.json rounds it (whole units, half away from
 * zero), so a figure in the report is the figure in the document with
 * thousands separators: 557700000000 in results.json is
 * "557,700,000,000원" here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "brief/brief_int.h"
#include "outagesim/money.h"

char *osim__brief_money(char *buf, size_t n, double amount)
{
    char num[OSIM_MONEY_BUF];

    snprintf(buf, n, "%s원", osim_format_krw(num, sizeof(num), amount));
    return buf;
}

char *osim__brief_money_short(char *buf, size_t n, double amount)
{
    return osim_format_eok(buf, n, amount);
}

const char *osim__brief_currency(void)
{
    return "won";
}

char *osim__brief_count(char *buf, size_t n, double x)
{
    return osim_format_krw(buf, n, x);
}

char *osim__brief_hours(char *buf, size_t n, double h)
{
    if (!isfinite(h))
        snprintf(buf, n, "n/a");
    else if (fabs(h) >= 100)
        snprintf(buf, n, "%.0f h", h);
    else
        snprintf(buf, n, "%.3g h", h);
    return buf;
}
