/*
 * units.c -- the value syntaxes of scenario files: numbers with digit
 * separators and k/M/G/T suffixes, durations with units, whole won,
 * fractions and percentages, dates and UTC offsets.
 *
 * Invariant: every parser accepts the whole string or nothing. A trailing
 * word, a second decimal point or a unit the field does not take is an
 * error, never silently dropped: "4 hours" is not 4 h, it is a mistake that
 * the user must see. Money is parsed as an exact decimal, not through a
 * double, so "557.7G" is 557,700,000,000 won exactly and "1.5" won is
 * rejected instead of being rounded.
 */
#include "core/units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/error.h"

#define NUM_MAX 64

/*
 * Counts and plain numbers are limited to 10^15 in magnitude (a thousand
 * times Kakao-scale-and-beyond 10^12 users): every product the models form
 * (users x hours x won) then stays far inside a double, so no figure can
 * overflow to infinity and reach an output as NaN. Money has its own limit
 * (int64_t won) and durations are bounded by the horizon where they matter.
 */
#define MAX_MAGNITUDE 1e15

static int fail(const char **why, const char *msg, int code)
{
    if (why != NULL)
        *why = msg;
    return code;
}

/*
 * Copy the number at s (sign, digits with single '_' between digits, one
 * '.', exponent) into buf without separators; *end is where it stopped.
 * Returns 0, or -1 if there is no number at s.
 */
static int scan_number(const char *s, char *buf, size_t n, const char **end, bool allow_exp)
{
    size_t k = 0;
    bool digits = false, dot = false;
    const char *p = s;

    if (*p == '+' || *p == '-') {
        if (k + 1 >= n)
            return -1;
        buf[k++] = *p++;
    }
    for (;; p++) {
        if (isdigit((unsigned char)*p)) {
            digits = true;
        } else if (*p == '_' && digits && isdigit((unsigned char)p[1]) &&
                   isdigit((unsigned char)p[-1])) {
            continue;
        } else if (*p == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
        if (k + 1 >= n)
            return -1;
        buf[k++] = *p;
    }
    if (!digits)
        return -1;
    if (allow_exp && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        size_t k0 = k;
        if (k + 1 >= n)
            return -1;
        buf[k++] = 'e';
        if (*q == '+' || *q == '-') {
            if (k + 1 >= n)
                return -1;
            buf[k++] = *q++;
        }
        if (!isdigit((unsigned char)*q)) {
            k = k0; /* not an exponent: leave it to the caller (e.g. a unit) */
        } else {
            while (isdigit((unsigned char)*q)) {
                if (k + 1 >= n)
                    return -1;
                buf[k++] = *q++;
            }
            p = q;
        }
    }
    buf[k] = '\0';
    *end = p;
    return 0;
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

int osim__parse_real(const char *s, double *out, const char **why)
{
    char buf[NUM_MAX];
    const char *end;
    double v;

    s = skip_space(s);
    if (scan_number(s, buf, sizeof(buf), &end, true) != 0 || *skip_space(end) != '\0')
        return fail(why, "is not a number", OSIM_ESCHEMA);
    v = strtod(buf, NULL);
    if (!isfinite(v) || fabs(v) > MAX_MAGNITUDE)
        return fail(why, "is too large (numbers are limited to 10^15)", OSIM_EOVERFLOW);
    *out = v;
    return 0;
}

/* Power of ten of a k/M/G/T suffix at p (0 if none); *end after it. */
static int suffix_exp(const char *p, const char **end)
{
    int e = 0;

    switch (*p) {
    case 'k':
    case 'K': e = 3; break;
    case 'M': e = 6; break;
    case 'G':
    case 'B': /* billion, as analysts write it */ e = 9; break;
    case 'T': e = 12; break;
    default: *end = p; return 0;
    }
    *end = p + 1;
    return e;
}

int osim__parse_count(const char *s, double *out, const char **why)
{
    char buf[NUM_MAX];
    const char *end;
    double v;
    int e;

    s = skip_space(s);
    if (scan_number(s, buf, sizeof(buf), &end, true) != 0)
        return fail(why, "is not a count (e.g. 230000, 230_000, 230k, 1.5M)", OSIM_ESCHEMA);
    e = suffix_exp(end, &end);
    if (*skip_space(end) != '\0')
        return fail(why, "is not a count (e.g. 230000, 230_000, 230k, 1.5M)", OSIM_ESCHEMA);
    v = strtod(buf, NULL) * pow(10.0, e);
    if (!isfinite(v) || v > MAX_MAGNITUDE)
        return fail(why, "is too large (counts are limited to 10^15, 1000T)", OSIM_EOVERFLOW);
    if (v < 0.0)
        return fail(why, "is negative: a count must be >= 0", OSIM_ERANGE);
    *out = v == 0.0 ? 0.0 : v; /* no negative zero */
    return 0;
}

int osim__parse_money(const char *s, int64_t *out, const char **why)
{
    static const char *const bad = "is not an amount of money (e.g. 30000, 30_000, 30k, 1.5M, 2G)";
    char buf[NUM_MAX];
    const char *end, *p;
    uint64_t mant = 0;
    int scale = 0; /* value = mant * 10^-scale */
    bool neg = false, after_dot = false;
    int e;

    s = skip_space(s);
    if (scan_number(s, buf, sizeof(buf), &end, true) != 0)
        return fail(why, bad, OSIM_ESCHEMA);
    e = suffix_exp(end, &end);
    if (*skip_space(end) != '\0')
        return fail(why, bad, OSIM_ESCHEMA);
    p = buf;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; *p != '\0' && *p != 'e'; p++) {
        if (*p == '.') {
            after_dot = true;
            continue;
        }
        if (mant > (UINT64_MAX - 9) / 10)
            return fail(why, "is too large", OSIM_EOVERFLOW);
        mant = mant * 10 + (uint64_t)(*p - '0');
        if (after_dot)
            scale++;
    }
    if (*p == 'e') {
        long x = strtol(p + 1, NULL, 10);
        if (x > 30 || x < -30)
            return fail(why, "is out of range", OSIM_EOVERFLOW);
        scale -= (int)x;
    }
    scale -= e;
    while (scale > 0 && mant % 10 == 0 && mant != 0) {
        mant /= 10;
        scale--;
    }
    if (mant == 0)
        scale = 0;
    if (scale > 0)
        return fail(why, "is not a whole amount (money is whole units of scenario.currency)",
                    OSIM_ERANGE);
    for (; scale < 0; scale++) {
        if (mant > UINT64_MAX / 10)
            return fail(why, "is too large", OSIM_EOVERFLOW);
        mant *= 10;
    }
    if (mant > (uint64_t)INT64_MAX)
        return fail(why, "is too large", OSIM_EOVERFLOW);
    if (neg && mant != 0)
        return fail(why, "is negative: an amount must be >= 0", OSIM_ERANGE);
    *out = (int64_t)mant;
    return 0;
}

int osim__parse_fraction(const char *s, double *out, const char **why)
{
    char buf[NUM_MAX];
    const char *end;
    double v;

    s = skip_space(s);
    if (scan_number(s, buf, sizeof(buf), &end, true) != 0)
        return fail(why, "is not a fraction (a number in [0,1] or a percentage like 35%)",
                    OSIM_ESCHEMA);
    v = strtod(buf, NULL);
    end = skip_space(end);
    if (*end == '%') {
        v /= 100.0;
        end++;
    }
    if (*skip_space(end) != '\0')
        return fail(why, "is not a fraction (a number in [0,1] or a percentage like 35%)",
                    OSIM_ESCHEMA);
    if (!(v >= 0.0 && v <= 1.0))
        return fail(why, "is outside [0,1]", OSIM_ERANGE);
    *out = v == 0.0 ? 0.0 : v;
    return 0;
}

int osim__parse_duration_h(const char *s, double *out, const char **why)
{
    static const char *const bad = "is not a duration (write 90s, 45m, 4h, 2d or 1w)";
    char buf[NUM_MAX];
    const char *p = skip_space(s), *end;
    double total = 0.0;
    int parts = 0;
    bool bare = false, neg = false;

    while (*p != '\0') {
        double v, mult;
        if (bare)
            return fail(why, bad, OSIM_ESCHEMA); /* a bare number must stand alone */
        if (scan_number(p, buf, sizeof(buf), &end, false) != 0)
            return fail(why, bad, OSIM_ESCHEMA);
        v = strtod(buf, NULL);
        if (buf[0] == '-') {
            if (parts > 0)
                return fail(why, bad, OSIM_ESCHEMA);
            neg = true;
        } else if (buf[0] == '+' && parts > 0) {
            return fail(why, bad, OSIM_ESCHEMA);
        }
        end = skip_space(end);
        switch (*end) {
        case 's': mult = 1.0 / 3600.0; break;
        case 'm': mult = 1.0 / 60.0; break;
        case 'h': mult = 1.0; break;
        case 'd': mult = 24.0; break;
        case 'w': mult = 168.0; break;
        case '\0':
            mult = 1.0;
            bare = true;
            break;
        default: return fail(why, bad, OSIM_ESCHEMA);
        }
        if (!bare)
            end++;
        if (bare && parts > 0)
            return fail(why, bad, OSIM_ESCHEMA); /* "1h 30": 30 what? */
        if (isalpha((unsigned char)*end))
            return fail(why, bad, OSIM_ESCHEMA); /* "4hours", "3ms" */
        total += fabs(v) * mult;
        parts++;
        p = skip_space(end);
    }
    if (parts == 0)
        return fail(why, bad, OSIM_ESCHEMA);
    if (!isfinite(total))
        return fail(why, "is too large", OSIM_EOVERFLOW);
    if (neg && total > 0.0)
        return fail(why, "is negative: a duration must be >= 0", OSIM_ERANGE);
    *out = total;
    return 0;
}

int osim__parse_rate_per_d(const char *s, double *out, const char **why)
{
    static const char *const bad = "is not a rate (write 50/d, 2/h or 100/w: a number per "
                                   "a unit of time)";
    char num[NUM_MAX], per[NUM_MAX];
    const char *slash = strchr(s, '/'), *p;
    size_t n;
    double count, per_h;

    if (slash == NULL || (size_t)(slash - s) >= sizeof(num))
        return fail(why, bad, OSIM_ESCHEMA);
    n = (size_t)(slash - s);
    memcpy(num, s, n);
    num[n] = '\0';
    if (osim__parse_real(num, &count, NULL) != 0)
        return fail(why, bad, OSIM_ESCHEMA);
    /* "/d" is "/1d": a unit alone is one of it. */
    p = skip_space(slash + 1);
    if (strlen(p) + 2 > sizeof(per))
        return fail(why, bad, OSIM_ESCHEMA);
    snprintf(per, sizeof(per), "%s%s", isalpha((unsigned char)*p) ? "1" : "", p);
    if (osim__parse_duration_h(per, &per_h, NULL) != 0 || !(per_h > 0.0) || strchr(p, '/'))
        return fail(why, bad, OSIM_ESCHEMA);
    *out = count * 24.0 / per_h;
    if (!isfinite(*out))
        return fail(why, "is too large", OSIM_EOVERFLOW);
    return 0;
}

static bool word_eq(const char *s, const char *w)
{
    for (; *s != '\0' && *w != '\0'; s++, w++)
        if (tolower((unsigned char)*s) != *w)
            return false;
    return *s == '\0' && *w == '\0';
}

int osim__parse_bool(const char *s, bool *out, const char **why)
{
    if (word_eq(s, "true") || word_eq(s, "yes")) {
        *out = true;
        return 0;
    }
    if (word_eq(s, "false") || word_eq(s, "no")) {
        *out = false;
        return 0;
    }
    return fail(why, "is not true or false", OSIM_ESCHEMA);
}

int64_t osim__days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Read exactly n digits at *p. */
static int digits(const char **p, int n, int *out)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int osim__parse_datetime(const char *s, int64_t *out, const char **why)
{
    static const char *const bad = "is not a date and time (write \"YYYY-MM-DD HH:MM\")";
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = skip_space(s);
    int y, mo, d, h, mi, sec = 0, dim;

    if (digits(&p, 4, &y) != 0 || *p++ != '-' || digits(&p, 2, &mo) != 0 || *p++ != '-' ||
        digits(&p, 2, &d) != 0 || (*p != ' ' && *p != 'T'))
        return fail(why, bad, OSIM_ESCHEMA);
    p++;
    if (digits(&p, 2, &h) != 0 || *p++ != ':' || digits(&p, 2, &mi) != 0)
        return fail(why, bad, OSIM_ESCHEMA);
    if (*p == ':') {
        p++;
        if (digits(&p, 2, &sec) != 0)
            return fail(why, bad, OSIM_ESCHEMA);
    }
    if (*skip_space(p) != '\0')
        return fail(why, bad, OSIM_ESCHEMA);
    if (mo < 1 || mo > 12)
        return fail(why, "has no such month", OSIM_ERANGE);
    dim = mdays[mo - 1] + (mo == 2 && leap(y));
    if (d < 1 || d > dim)
        return fail(why, "has no such day in that month", OSIM_ERANGE);
    if (h > 23 || mi > 59 || sec > 59)
        return fail(why, "has no such time of day", OSIM_ERANGE);
    *out = osim__days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

int osim__parse_utc_offset(const char *s, double *out, const char **why)
{
    static const char *const bad = "is not a UTC offset (write \"+09:00\")";
    const char *p = skip_space(s);
    int sign = 1, h = 0, m = 0, n = 0;

    if ((*p == 'Z' || *p == 'z') && *skip_space(p + 1) == '\0') {
        *out = 0.0;
        return 0;
    }
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    while (isdigit((unsigned char)p[n]))
        n++;
    if (n == 1 || n == 2) {
        digits(&p, n, &h);
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &m) != 0)
                return fail(why, bad, OSIM_ESCHEMA);
        }
    } else if (n == 4) {
        digits(&p, 2, &h);
        digits(&p, 2, &m);
    } else {
        return fail(why, bad, OSIM_ESCHEMA);
    }
    if (*skip_space(p) != '\0')
        return fail(why, bad, OSIM_ESCHEMA);
    if (m > 59 || h * 60 + m > 14 * 60)
        return fail(why, "is outside -14:00..+14:00", OSIM_ERANGE);
    *out = sign * (h + m / 60.0);
    if (*out == 0.0)
        *out = 0.0;
    return 0;
}

void osim__format_real(char *buf, unsigned long n, double v)
{
    int prec;

    if (v == 0.0)
        v = 0.0; /* print -0 as 0 */
    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void osim__format_utc_offset(char *buf, unsigned long n, double h)
{
    long mins = lround(fabs(h) * 60.0);

    snprintf(buf, n, "%c%02ld:%02ld", h < 0 ? '-' : '+', mins / 60, mins % 60);
}
