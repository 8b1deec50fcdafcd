/*
 * money.c -- amounts in the scenario's currency, whole and in large units.
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

/* clang-format off */
static const osim_currency currencies[] = {
    {.code = "KRW", .symbol = "원", .symbol_first = false, .word = "won", .group = ',',
     .minor_digits = 0, .big = {{1e8, 1, "억원"}, {0, 0, NULL}}, .small = {1e4, 0, "만원"},
     .figure_size = 1e8, .figure_unit = "억원", .figure_long = "억원 (100,000,000 won)"},
    {.code = "EUR", .symbol = "€", .symbol_first = true, .word = NULL, .group = ',',
     .minor_digits = 2, .big = {{1e9, 1, "bn"}, {1e6, 1, "m"}}, .small = {0, 0, NULL},
     .figure_size = 1e6, .figure_unit = "€ million", .figure_long = "€ million (1,000,000 EUR)"},
    {.code = "USD", .symbol = "$", .symbol_first = true, .word = NULL, .group = ',',
     .minor_digits = 2, .big = {{1e9, 1, "B"}, {1e6, 1, "M"}}, .small = {0, 0, NULL},
     .figure_size = 1e6, .figure_unit = "$ million", .figure_long = "$ million (1,000,000 USD)"},
    {.code = "GBP", .symbol = "£", .symbol_first = true, .word = NULL, .group = ',',
     .minor_digits = 2, .big = {{1e9, 1, "bn"}, {1e6, 1, "m"}}, .small = {0, 0, NULL},
     .figure_size = 1e6, .figure_unit = "£ million", .figure_long = "£ million (1,000,000 GBP)"},
    {.code = "JPY", .symbol = "円", .symbol_first = false, .word = "yen", .group = ',',
     .minor_digits = 0, .big = {{1e8, 1, "億円"}, {0, 0, NULL}}, .small = {1e4, 0, "万円"},
     .figure_size = 1e8, .figure_unit = "億円", .figure_long = "億円 (100,000,000 yen)"},
};
/* clang-format on */

#define N_CURRENCIES (sizeof(currencies) / sizeof(currencies[0]))

const osim_currency *osim_currency_find(const char *code)
{
    size_t i;

    if (code == NULL)
        return NULL;
    for (i = 0; i < N_CURRENCIES; i++)
        if (strcmp(currencies[i].code, code) == 0)
            return &currencies[i];
    return NULL;
}

const osim_currency *osim_currency_default(void)
{
    return &currencies[0];
}

const char *osim_currency_codes(void)
{
    return "KRW, EUR, USD, GBP, JPY";
}

/* Write the decimal digits of v grouped by three with sep into out (>= 40 bytes). */
static void group_digits(char *out, unsigned long long v, char sep)
{
    char digits[32];
    size_t len, i, o = 0;

    snprintf(digits, sizeof(digits), "%llu", v);
    len = strlen(digits);
    for (i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = sep;
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* Put sign, symbol and number together the currency's way: "-€1,234", "-1,234원". */
static void with_symbol(char *buf, size_t n, bool neg, const char *num, const char *unit,
                        const osim_currency *c)
{
    if (c->symbol_first)
        snprintf(buf, n, "%s%s%s%s", neg ? "-" : "", c->symbol, num, unit);
    else
        snprintf(buf, n, "%s%s%s", neg ? "-" : "", num, unit[0] != '\0' ? unit : c->symbol);
}

/* NULL for a finite amount that the integer path can hold; else the text
 * written ("n/a", or scientific notation in units of size). */
static char *special(char *buf, size_t n, double amount, double size, const char *unit)
{
    if (!isfinite(amount)) {
        snprintf(buf, n, "n/a");
        return buf;
    }
    if (fabs(amount) >= MONEY_MAX) {
        snprintf(buf, n, "%.4e%s", amount / size, unit);
        return buf;
    }
    return NULL;
}

/* amount / size with d decimals (0 or 1..3), rounded once, grouped, into
 * num (64 bytes). */
static void scaled_digits(char *num, double amount, double size, int d, char sep, bool *neg)
{
    static const double pow10[] = {1, 10, 100, 1000};
    char grouped[40];
    long long r;
    unsigned long long a, p;

    if (d < 0)
        d = 0;
    if (d > 3)
        d = 3;
    p = (unsigned long long)pow10[d];
    r = llround(amount / size * pow10[d]);
    a = (unsigned long long)(r < 0 ? -r : r);
    *neg = r < 0;
    group_digits(grouped, a / p, sep);
    if (d == 0)
        snprintf(num, 64, "%s", grouped);
    else
        snprintf(num, 64, "%s.%0*u", grouped, d, (unsigned)(a % p));
}

char *osim_money_digits(char *buf, size_t n, double amount, const osim_currency *cur)
{
    const osim_currency *c = cur != NULL ? cur : osim_currency_default();
    char num[64];
    bool neg;

    if (buf == NULL || n == 0)
        return buf;
    if (special(buf, n, amount, 1.0, "") != NULL)
        return buf;
    scaled_digits(num, amount, 1.0, 0, c->group, &neg);
    snprintf(buf, n, "%s%s", neg ? "-" : "", num);
    return buf;
}

char *osim_money_format(char *buf, size_t n, double amount, const osim_currency *cur)
{
    const osim_currency *c = cur != NULL ? cur : osim_currency_default();
    char num[64];
    bool neg;

    if (buf == NULL || n == 0)
        return buf;
    if (special(buf, n, amount, 1.0, c->symbol_first ? "" : c->symbol) != NULL)
        return buf;
    scaled_digits(num, amount, 1.0, 0, c->group, &neg);
    with_symbol(buf, n, neg, num, "", c);
    return buf;
}

char *osim_money_text(char *buf, size_t n, double amount, const osim_currency *cur)
{
    const osim_currency *c = cur != NULL ? cur : osim_currency_default();
    char num[OSIM_MONEY_BUF];

    if (c->word == NULL)
        return osim_money_format(buf, n, amount, c);
    if (buf == NULL || n == 0)
        return buf;
    snprintf(buf, n, "%s %s", osim_money_digits(num, sizeof(num), amount, c), c->word);
    return buf;
}

/* amount in step s, with the symbol: "5,577.0억원", "€2.5bn". */
static char *in_step(char *buf, size_t n, double amount, const osim_money_step *s,
                     const osim_currency *c)
{
    char num[64];
    bool neg;

    if (special(buf, n, amount, s->size, s->unit) != NULL)
        return buf;
    scaled_digits(num, amount, s->size, s->decimals, c->group, &neg);
    if (c->symbol_first)
        with_symbol(buf, n, neg, num, s->unit, c);
    else
        snprintf(buf, n, "%s%s%s", neg ? "-" : "", num, s->unit);
    return buf;
}

/* The smallest big step (the last one in use). */
static const osim_money_step *smallest_big(const osim_currency *c)
{
    return c->big[1].size > 0 ? &c->big[1] : &c->big[0];
}

char *osim_money_format_large(char *buf, size_t n, double amount, const osim_currency *cur)
{
    const osim_currency *c = cur != NULL ? cur : osim_currency_default();
    const osim_money_step *s = smallest_big(c);

    if (buf == NULL || n == 0)
        return buf;
    /* The first big step whose size the amount reaches once rounded in it:
     * 999,999,999 EUR is "€1.0bn", not "€1,000.0m". */
    if (c->big[1].size > 0 && isfinite(amount) &&
        fabs(amount) >= c->big[0].size - 0.5 * c->big[1].size / 10.0)
        s = &c->big[0];
    return in_step(buf, n, amount, s, c);
}

char *osim_money_format_compact(char *buf, size_t n, double amount, const osim_currency *cur)
{
    const osim_currency *c = cur != NULL ? cur : osim_currency_default();
    const osim_money_step *low = smallest_big(c);

    if (buf == NULL || n == 0)
        return buf;
    if (!isfinite(amount) || fabs(amount) >= low->size)
        return osim_money_format_large(buf, n, amount, c);
    if (c->small.size > 0 && fabs(amount) >= c->small.size)
        return in_step(buf, n, amount, &c->small, c);
    return osim_money_format(buf, n, amount, c);
}

char *osim_money_format_table(char *buf, size_t n, double amount, const osim_currency *cur)
{
    const osim_currency *c = cur != NULL ? cur : osim_currency_default();

    return c->small.size > 0 ? osim_money_format_large(buf, n, amount, c)
                             : osim_money_format_compact(buf, n, amount, c);
}

bool osim_money_unit_is_money(const char *unit)
{
    return unit != NULL && strncmp(unit, "money", 5) == 0 && (unit[5] == '\0' || unit[5] == '/');
}

char *osim_money_unit(char *buf, size_t n, const char *unit, const osim_currency *cur)
{
    const osim_currency *c = cur != NULL ? cur : osim_currency_default();

    if (buf == NULL || n == 0)
        return buf;
    if (osim_money_unit_is_money(unit))
        snprintf(buf, n, "%s%s", c->code, unit + 5);
    else
        snprintf(buf, n, "%s", unit != NULL ? unit : "");
    return buf;
}

char *osim_format_krw(char *buf, size_t n, double krw)
{
    return osim_money_digits(buf, n, krw, osim_currency_default());
}

char *osim_format_eok(char *buf, size_t n, double krw)
{
    return osim_money_format_large(buf, n, krw, osim_currency_default());
}
