/*
 * fmt.c -- how the report writes numbers: the ONE place where it formats
 * money, always in the result's currency (r->currency, through the
 * osim_money_* functions of core/money), and counts and hours.
 *
 * Money is rounded as results.json rounds it (whole units, half away from
 * zero), so a figure in the report is the figure in the document with
 * thousands separators and the currency's symbol: 557700000000 in a KRW
 * results.json is "557,700,000,000원" here, 1234 in an EUR one "€1,234".
 * The short form is the one the run's tables use for a column of figures
 * (osim_money_format_table): KRW "5,577.0억원", EUR "€23.4m" or "€132,209".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "brief/brief_int.h"
#include "outagesim/money.h"

char *osim__brief_money(char *buf, size_t n, double amount, const osim_currency *cur)
{
    return osim_money_format(buf, n, amount, cur);
}

char *osim__brief_money_short(char *buf, size_t n, double amount, const osim_currency *cur)
{
    return osim_money_format_table(buf, n, amount, cur);
}

const char *osim__brief_currency(const osim_currency *cur)
{
    if (cur == NULL)
        cur = osim_currency_default();
    /* The word readers of the currency use in prose ("won"), else its ISO code. */
    return cur->word != NULL ? cur->word : cur->code;
}

char *osim__brief_count(char *buf, size_t n, double x)
{
    return osim_money_digits(buf, n, x, NULL);
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
