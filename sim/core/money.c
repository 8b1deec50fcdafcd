/*
 * money.c -- won with thousands separators and in 억원.
 *
 * Invariant: the digits printed are those of one integer obtained by a
 * single rounding (llround) of the value in the unit shown, so the text
 * never disagrees with itself (no "0.10억원" next to "9,999,999" won) and
 * the same double always gives the same text.
 */
#include "outagesim/money.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Beyond this the integer path would overflow long long or show noise digits. */
#define MONEY_MAX 1e18

/* Write the decimal digits of v (>= 0) grouped by three into out (>= 32 bytes). */
static void group_digits(char *out, unsigned long long v)
{
    char digits[32];
    size_t len, i, o = 0;

    snprintf(digits, sizeof(digits), "%llu", v);
    len = strlen(digits);
    for (i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

char *osim_format_krw(char *buf, size_t n, double krw)
{
    char grouped[40];
    long long r;

    if (buf == NULL || n == 0)
        return buf;
    if (!isfinite(krw)) {
        snprintf(buf, n, "n/a");
        return buf;
    }
    if (fabs(krw) >= MONEY_MAX) {
        snprintf(buf, n, "%.4e", krw);
        return buf;
    }
    r = llround(krw);
    group_digits(grouped, (unsigned long long)(r < 0 ? -r : r));
    snprintf(buf, n, "%s%s", r < 0 ? "-" : "", grouped);
    return buf;
}

char *osim_format_eok(char *buf, size_t n, double krw)
{
    char grouped[40];
    long long tenths;
    unsigned long long a;

    if (buf == NULL || n == 0)
        return buf;
    if (!isfinite(krw)) {
        snprintf(buf, n, "n/a");
        return buf;
    }
    if (fabs(krw) >= MONEY_MAX) {
        snprintf(buf, n, "%.4e억원", krw / 1e8);
        return buf;
    }
    /* Tenths of 억 = units of 10^7 won, rounded once. */
    tenths = llround(krw / 1e7);
    a = (unsigned long long)(tenths < 0 ? -tenths : tenths);
    group_digits(grouped, a / 10u);
    snprintf(buf, n, "%s%s.%u억원", tenths < 0 ? "-" : "", grouped, (unsigned)(a % 10u));
    return buf;
}
