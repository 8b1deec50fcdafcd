/*
 * sweep_axis.c -- the values of a --vary axis: a list of texts, or a range
 * LO:HI:STEPS of numbers with one unit suffix; and '*' path patterns.
 *
 * Invariant: a value reaches the scenario exactly as the user could have
 * written it after --set: a listed value is passed through untouched, and
 * a range value is a plain decimal number (12 significant digits, the
 * ends exactly as written) followed by the range's own suffix, so the
 * scenario's unit parser -- not this file -- decides what "30m" means.
 * The only arithmetic here is the even spacing of a range. A value xF
 * (a scale factor) is passed the same way: the scenario's loader expands
 * it (override.c), with the code sensitivity swings parameters with.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "outagesim/sweep.h"

#define MAX_STEPS 100000u

void osim_sweep_axis_free(osim_sweep_axis *a)
{
    if (a == NULL)
        return;
    free(a->path);
    osim__strv_free(a->paths, a->paths_count);
    osim__strv_free(a->values, a->values_count);
    osim__strv_free(a->labels, a->values_count);
    free(a->numbers);
    free(a->suffix);
    free(a);
}

int osim_sweep_split_values(const char *text, char ***out, size_t *n)
{
    char **v = NULL;
    size_t k = 0, cap = 0;
    const char *start = text, *p;
    int depth = 0;
    char quote = 0;

    *out = NULL;
    *n = 0;
    for (p = text;; p++) {
        char c = *p;
        if (quote != 0) {
            if (c == quote)
                quote = 0;
            else if (c == '\0')
                goto bad;
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        } else if (c == '\0' && depth > 0) {
            goto bad; /* an unclosed [ or { */
        } else if ((c == ',' && depth == 0) || c == '\0') {
            const char *a = start, *b = p;
            while (a < b && isspace((unsigned char)*a))
                a++;
            while (b > a && isspace((unsigned char)b[-1]))
                b--;
            if (a == b)
                goto bad;
            if (k == cap) {
                size_t nc = cap ? 2 * cap : 8;
                char **nv = realloc(v, nc * sizeof(*nv));
                if (nv == NULL)
                    goto nomem;
                v = nv;
                cap = nc;
            }
            if ((v[k] = osim__strndup(a, (size_t)(b - a))) == NULL)
                goto nomem;
            k++;
            if (c == '\0')
                break;
            start = p + 1;
        }
    }
    *out = v;
    *n = k;
    return 0;
bad:
    osim__strv_free(v, k);
    return OSIM_EINVAL;
nomem:
    osim__strv_free(v, k);
    return OSIM_ENOMEM;
}

/* A unit suffix: letters, '%' and '/' only (possibly empty). */
static bool suffix_ok(const char *s)
{
    for (; *s != '\0'; s++)
        if (!isalpha((unsigned char)*s) && *s != '%' && *s != '/')
            return false;
    return true;
}

/* "NUMBER[SUFFIX]" with a finite number: 0, the number and the suffix
 * (pointing into s); -1 otherwise. */
static int number_suffix(const char *s, double *x, const char **suffix)
{
    char *end;

    if (*s == '\0' || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    *x = strtod(s, &end);
    if (end == s || errno != 0 || !isfinite(*x))
        return -1;
    /* strtod reads "inf", "nan" and hexadecimal: only decimal digits here. */
    if (strpbrk(s, "xXnNiI") != NULL && strpbrk(s, "xXnNiI") < end)
        return -1;
    if (!suffix_ok(end))
        return -1;
    *suffix = end;
    return 0;
}

/* A range LO:HI:STEPS? 1 yes (fills lo, hi, steps, suffix), 0 no (a list),
 * < 0 a malformed range (diag). */
static int parse_range(const char *arg, const char *text, double *lo, double *hi,
                       unsigned long *steps, char **suffix, bool *factors, osim_diag *diag)
{
    const char *c1 = strchr(text, ':'), *c2, *s_lo, *s_hi;
    char *a, *b, *end;
    int rc = 0;

    if (c1 == NULL || strchr(text, ',') != NULL)
        return 0;
    c2 = strchr(c1 + 1, ':');
    if (c2 == NULL || strchr(c2 + 1, ':') != NULL)
        return 0;
    /* A range of factors x0.5:x2:4 is a range of plain numbers, each
     * value written back with its 'x'. */
    *factors = text[0] == 'x' && c1[1] == 'x';
    a = osim__strndup(text + *factors, (size_t)(c1 - text) - *factors);
    b = osim__strndup(c1 + 1 + *factors, (size_t)(c2 - c1 - 1) - *factors);
    if (a == NULL || b == NULL) {
        rc = OSIM_ENOMEM;
        goto done;
    }
    if (number_suffix(a, lo, &s_lo) != 0 || number_suffix(b, hi, &s_hi) != 0)
        goto done; /* not numbers: a list of one text value, like "+09:00" */
    if (!isdigit((unsigned char)c2[1])) {
        rc = osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                           "'%s': the range LO:HI:STEPS needs a whole number of steps, got '%s'",
                           arg, c2 + 1);
        goto done;
    }
    errno = 0;
    *steps = strtoul(c2 + 1, &end, 10);
    if (*end != '\0' || errno != 0 || *steps < 2 || *steps > MAX_STEPS) {
        rc = osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                           "'%s': STEPS must be a whole number from 2 to %u (the number of "
                           "points, both ends included)",
                           arg, MAX_STEPS);
        goto done;
    }
    if (*factors && (*s_lo != '\0' || *s_hi != '\0' || !(*lo > 0) || !(*hi > 0))) {
        rc = osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                           "'%s': a range of factors is xLO:xHI:STEPS with plain numbers > 0, "
                           "e.g. x0.5:x2:4",
                           arg);
        goto done;
    }
    if (strcmp(s_lo, s_hi) != 0) {
        rc = osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                           "'%s': LO and HI must have the same unit suffix ('%s' and '%s'); "
                           "write both in one unit, e.g. 30m:240m:8, or list the values",
                           arg, s_lo, s_hi);
        goto done;
    }
    if (*lo == *hi) {
        rc = osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                           "'%s': LO and HI are equal; give one value instead", arg);
        goto done;
    }
    if ((*suffix = osim__strndup(s_lo, strlen(s_lo))) == NULL) {
        rc = OSIM_ENOMEM;
        goto done;
    }
    rc = 1;
done:
    free(a);
    free(b);
    return rc;
}

/* x as a short decimal: 12 significant digits, "-0" folded to "0". */
static void format_number(char *buf, size_t n, double x)
{
    snprintf(buf, n, "%.12g", x + 0.0);
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, n, "0");
}

/* Fill a->numbers and a->suffix when every value is NUMBER[SUFFIX] with
 * one suffix (for the figures' x axis). */
static int numeric_values(osim_sweep_axis *a)
{
    const char *suf0 = NULL, *suf;
    double x;
    size_t i;

    for (i = 0; i < a->values_count && osim_scale_factor_parse(a->values[i], &x); i++)
        ;
    if (a->values_count > 0 && i == a->values_count) {
        a->factors = true;
        if ((a->numbers = malloc(a->values_count * sizeof(double))) == NULL)
            return OSIM_ENOMEM;
        for (i = 0; i < a->values_count; i++)
            osim_scale_factor_parse(a->values[i], &a->numbers[i]);
        a->suffix = osim__strndup("", 0);
        return a->suffix != NULL ? 0 : OSIM_ENOMEM;
    }

    for (i = 0; i < a->values_count; i++) {
        if (number_suffix(a->values[i], &x, &suf) != 0)
            return 0;
        if (suf0 != NULL && strcmp(suf, suf0) != 0)
            return 0;
        suf0 = suf;
    }
    if ((a->numbers = malloc(a->values_count * sizeof(double))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < a->values_count; i++)
        number_suffix(a->values[i], &a->numbers[i], &suf);
    a->suffix = osim__strndup(suf0, strlen(suf0));
    return a->suffix != NULL ? 0 : OSIM_ENOMEM;
}

/* Append s[0..n) to buf (size cap), collapsing runs of spaces. */
static void put_text(char *buf, size_t cap, const char *s, size_t n)
{
    size_t k = strlen(buf), i;

    for (i = 0; i < n && k + 1 < cap; i++) {
        if (isspace((unsigned char)s[i]) && k > 0 && buf[k - 1] == ' ')
            continue;
        buf[k++] = isspace((unsigned char)s[i]) ? ' ' : s[i];
    }
    buf[k] = '\0';
}

/*
 * The label of a value: a flow mapping {dist: K, a: 1h, b: 3h} becomes
 * "K a 1h b 3h" (its numbers and units, without the YAML punctuation),
 * anything else stays as it is. Never cut: a table widens to fit it.
 */
static char *value_label(const char *v)
{
    size_t n = strlen(v), i, cap = n + 1;
    char **parts = NULL, *out;
    size_t np = 0;

    if (n < 2 || v[0] != '{' || v[n - 1] != '}')
        return osim__strndup(v, n);
    if ((out = calloc(1, cap)) == NULL)
        return NULL;
    {
        char *inner = osim__strndup(v + 1, n - 2);
        if (inner == NULL || osim_sweep_split_values(inner, &parts, &np) != 0) {
            free(inner);
            snprintf(out, cap, "%s", v);
            return out;
        }
        free(inner);
    }
    /* The kind first (dist: lognormal), then each key and its value. */
    for (i = 0; i < np; i++) {
        const char *c = strchr(parts[i], ':');
        if (c != NULL && strncmp(parts[i], "dist", (size_t)(c - parts[i])) == 0 &&
            c - parts[i] == 4) {
            c++;
            while (isspace((unsigned char)*c))
                c++;
            put_text(out, cap, c, strlen(c));
        }
    }
    for (i = 0; i < np; i++) {
        const char *c = strchr(parts[i], ':'), *val;
        if (c == NULL || (c - parts[i] == 4 && strncmp(parts[i], "dist", 4) == 0))
            continue;
        if (out[0] != '\0')
            put_text(out, cap, " ", 1);
        put_text(out, cap, parts[i], (size_t)(c - parts[i]));
        for (val = c + 1; isspace((unsigned char)*val); val++)
            ;
        put_text(out, cap, " ", 1);
        put_text(out, cap, val, strlen(val));
    }
    osim__strv_free(parts, np);
    if (out[0] == '\0')
        snprintf(out, cap, "%s", v);
    return out;
}

static int make_labels(osim_sweep_axis *a)
{
    size_t i;

    if ((a->labels = calloc(a->values_count, sizeof(char *))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < a->values_count; i++)
        if ((a->labels[i] = value_label(a->values[i])) == NULL)
            return OSIM_ENOMEM;
    return 0;
}

static int check_path(const char *arg, const char *path, size_t n, osim_diag *diag)
{
    size_t i;
    bool seg_empty = true;

    if (n == 0)
        return osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                             "'%s': expected PATH=VALUES (e.g. "
                             "incident.pangyo.power_cut.mean=1h,2h,3h or PATH=LO:HI:STEPS)",
                             arg);
    for (i = 0; i <= n; i++) {
        char c = i < n ? path[i] : '.';
        if (c == '.') {
            if (seg_empty)
                return osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                                     "'%s': the path has an empty segment", arg);
            seg_empty = true;
        } else if (isspace((unsigned char)c)) {
            return osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                                 "'%s': the path has a space in it", arg);
        } else {
            seg_empty = false;
        }
    }
    return 0;
}

int osim_sweep_axis_parse(const char *arg, osim_sweep_axis **out, osim_diag *diag)
{
    const char *eq = arg != NULL ? strchr(arg, '=') : NULL;
    osim_sweep_axis *a;
    double lo = 0, hi = 0;
    unsigned long steps = 0, k;
    char *suffix = NULL;
    bool factors = false;
    size_t i, j;
    int rc;

    *out = NULL;
    if (eq == NULL)
        return osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                             "'%s': expected PATH=VALUES (e.g. "
                             "incident.pangyo.power_cut.mean=1h,2h,3h or PATH=LO:HI:STEPS)",
                             arg != NULL ? arg : "");
    if ((rc = check_path(arg, arg, (size_t)(eq - arg), diag)) != 0)
        return rc;
    if ((a = calloc(1, sizeof(*a))) == NULL)
        return OSIM_ENOMEM;
    rc = OSIM_ENOMEM;
    if ((a->path = osim__strndup(arg, (size_t)(eq - arg))) == NULL)
        goto fail;
    rc = parse_range(arg, eq + 1, &lo, &hi, &steps, &suffix, &factors, diag);
    if (rc < 0)
        goto fail;
    if (rc == 1) {
        char num[64];
        a->values = calloc(steps, sizeof(char *));
        if (a->values == NULL) {
            rc = OSIM_ENOMEM;
            goto fail;
        }
        for (k = 0; k < steps; k++) {
            /* The ends exactly as written; inside, lo + (hi - lo) k / (steps - 1). */
            double x = k == 0           ? lo
                       : k == steps - 1 ? hi
                                        : lo + (hi - lo) * (double)k / (double)(steps - 1);
            size_t len;
            format_number(num, sizeof(num), x);
            len = strlen(num) + strlen(suffix) + 2;
            if ((a->values[k] = malloc(len)) == NULL) {
                rc = OSIM_ENOMEM;
                goto fail;
            }
            snprintf(a->values[k], len, "%s%s%s", factors ? "x" : "", num, suffix);
            a->values_count++;
        }
    } else {
        rc = osim_sweep_split_values(eq + 1, &a->values, &a->values_count);
        if (rc == OSIM_EINVAL) {
            rc = osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                               "'%s': a value is empty or a quote or bracket is not closed "
                               "(values are separated by commas: PATH=V1,V2,...)",
                               arg);
            goto fail;
        }
        if (rc != 0)
            goto fail;
    }
    for (i = 0; i < a->values_count; i++) {
        for (j = 0; j < i; j++) {
            if (strcmp(a->values[i], a->values[j]) == 0) {
                rc = osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                                   "'%s': the value '%s' is given twice", arg, a->values[i]);
                goto fail;
            }
        }
    }
    if ((rc = numeric_values(a)) != 0 || (rc = make_labels(a)) != 0)
        goto fail;
    free(suffix);
    *out = a;
    return 0;
fail:
    free(suffix);
    osim_sweep_axis_free(a);
    return rc;
}

bool osim_sweep_path_match(const char *pattern, const char *path)
{
    const char *p = pattern, *s = path;

    for (;;) {
        const char *pe = strchr(p, '.'), *se = strchr(s, '.');
        size_t pl = pe != NULL ? (size_t)(pe - p) : strlen(p);
        size_t sl = se != NULL ? (size_t)(se - s) : strlen(s);
        if (!(pl == 1 && p[0] == '*') && (pl != sl || strncmp(p, s, pl) != 0))
            return false;
        if (pe == NULL || se == NULL)
            return pe == NULL && se == NULL;
        p = pe + 1;
        s = se + 1;
    }
}
