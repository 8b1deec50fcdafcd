/*
 * sweep_sens.c -- one-at-a-time swings of a scenario's parameters: which
 * numbers a parameter is, and the --set overrides that multiply it.
 *
 * Invariant: a swing changes exactly one parameter, and changes it the way
 * `--set` would if the user typed the new numbers: the overrides name the
 * paths `outagesim params` lists and carry plain decimal numbers in the
 * program's units (hours, won, fractions), which the scenario's own binder
 * then checks. A distribution is swung as a whole random variable X -> fX
 * (every location and scale parameter and clamp times f, a lognormal's mu
 * plus ln f; shapes and sigma unchanged), so its form is kept and a
 * lognormal's median and p95 move together.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/sweep.h"

typedef struct entry {
    char *path, *value, *unit;
} entry;

typedef struct listing {
    entry *v;
    size_t n, cap;
    int rc;
} listing;

static int collect(void *ud, const char *path, const char *value, const char *unit, const char *doc)
{
    listing *l = ud;
    entry *e;

    (void)doc;
    if (l->n > 0 && strcmp(l->v[l->n - 1].path, path) == 0)
        return 0; /* a path listed twice in a row */
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 256;
        entry *nv = realloc(l->v, nc * sizeof(*nv));
        if (nv == NULL)
            return l->rc = OSIM_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    e = &l->v[l->n];
    e->path = strdup(path);
    e->value = strdup(value);
    e->unit = strdup(unit);
    if (e->path == NULL || e->value == NULL || e->unit == NULL) {
        free(e->path);
        free(e->value);
        free(e->unit);
        return l->rc = OSIM_ENOMEM;
    }
    l->n++;
    return 0;
}

static void listing_free(listing *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].value);
        free(l->v[i].unit);
    }
    free(l->v);
}

static int list_params(const osim_scenario *sc, listing *l)
{
    memset(l, 0, sizeof(*l));
    osim_scenario_params(sc, collect, l);
    if (l->rc != 0)
        listing_free(l);
    return l->rc;
}

static bool is_number(const char *s, double *x)
{
    char *end;

    if (*s == '\0')
        return false;
    *x = strtod(s, &end);
    return *end == '\0' && isfinite(*x);
}

static const entry *find(const listing *l, const char *path)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (strcmp(l->v[i].path, path) == 0)
            return &l->v[i];
    return NULL;
}

/* The key of e under root ("median" of root.median), or NULL. */
static const char *key_under(const entry *e, const char *root)
{
    size_t n = strlen(root);

    if (strncmp(e->path, root, n) != 0 || e->path[n] != '.')
        return NULL;
    return strchr(e->path + n + 1, '.') == NULL ? e->path + n + 1 : NULL;
}

/* Is p the root of a parameter: 2 a distribution, 1 a number, 0 neither
 * (or an empirical distribution when *empirical). */
static int param_kind(const listing *l, const char *p, bool *empirical)
{
    char buf[1024];
    const entry *e;
    double x;

    *empirical = false;
    snprintf(buf, sizeof(buf), "%s.dist", p);
    if ((e = find(l, buf)) != NULL) {
        *empirical = strcmp(e->value, "empirical") == 0;
        return *empirical ? 0 : 2;
    }
    e = find(l, p);
    if (e == NULL || !is_number(e->value, &x))
        return 0;
    /* A number inside a distribution (root.median) is not a parameter of its own. */
    {
        const char *dot = strrchr(p, '.');
        if (dot != NULL) {
            snprintf(buf, sizeof(buf), "%.*s.dist", (int)(dot - p), p);
            if (find(l, buf) != NULL)
                return 0;
        }
    }
    return 1;
}

/* v times f in the unit's terms: whole for money and counts, fractions capped. */
static double scaled(double v, double f, const char *unit)
{
    double x = v * f;

    if (strncmp(unit, "won", 3) == 0 || strcmp(unit, "count") == 0)
        x = round(x);
    if (strcmp(unit, "fraction") == 0 && x > 1.0)
        x = 1.0;
    return x;
}

static void fmt_num(char *buf, size_t n, double x, const char *unit)
{
    if (strncmp(unit, "won", 3) == 0 || strcmp(unit, "count") == 0)
        snprintf(buf, n, "%.0f", x + 0.0);
    else
        snprintf(buf, n, "%.12g", x + 0.0);
}

static int add_ov(osim_override **ov, size_t *n, const char *path, const char *value)
{
    size_t lp = strlen(path), lv = strlen(value);
    osim_override *nv = realloc(*ov, (*n + 1) * sizeof(*nv));
    char *b;

    if (nv == NULL)
        return OSIM_ENOMEM;
    *ov = nv;
    if ((b = malloc(lp + lv + 2)) == NULL)
        return OSIM_ENOMEM;
    memcpy(b, path, lp + 1);
    memcpy(b + lp + 1, value, lv + 1);
    nv[*n].path = b;
    nv[*n].value = b + lp + 1;
    (*n)++;
    return 0;
}

static void append(char *buf, size_t n, const char *s)
{
    size_t k = strlen(buf);

    snprintf(buf + k, n - k, "%s", s);
}

int osim_sweep_swing(const osim_scenario *sc, const char *param, double f, osim_override **ov,
                     size_t *n, char **shown, osim_diag *diag)
{
    listing l;
    bool emp;
    int kind, rc;
    char num[64], text[512] = "";
    size_t i;

    *ov = NULL;
    *n = 0;
    *shown = NULL;
    if (!(f > 0) || !isfinite(f))
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "a swing factor must be > 0");
    if ((rc = list_params(sc, &l)) != 0)
        return rc;
    kind = param_kind(&l, param, &emp);
    if (kind == 0) {
        rc = osim_diag_set(diag, OSIM_EINVAL, "--params", 0, 0,
                           emp ? "%s is an empirical distribution, which cannot be swung"
                               : "%s is not a number or a distribution of the scenario (see "
                                 "outagesim params)",
                           param);
        goto done;
    }
    if (kind == 1) {
        const entry *e = find(&l, param);
        double x = 0.0;
        is_number(e->value, &x);
        fmt_num(num, sizeof(num), scaled(x, f, e->unit), e->unit);
        rc = add_ov(ov, n, param, num);
        snprintf(text, sizeof(text), "%s%s%s", num, *e->unit ? " " : "", e->unit);
    } else {
        char dp[1024];
        snprintf(dp, sizeof(dp), "%s.dist", param);
        snprintf(text, sizeof(text), "%s", find(&l, dp)->value);
        for (i = 0; i < l.n && rc == 0; i++) {
            const entry *e = &l.v[i];
            const char *key = key_under(e, param);
            double x;
            if (key == NULL || strcmp(key, "dist") == 0 || strcmp(key, "shape") == 0 ||
                strcmp(key, "sigma") == 0 || !is_number(e->value, &x))
                continue;
            if (strcmp(key, "mu") == 0)
                snprintf(num, sizeof(num), "%.17g", x + log(f));
            else
                fmt_num(num, sizeof(num), scaled(x, f, e->unit), e->unit);
            rc = add_ov(ov, n, e->path, num);
            append(text, sizeof(text), " ");
            append(text, sizeof(text), key);
            append(text, sizeof(text), " ");
            append(text, sizeof(text), num);
            if (*e->unit && strcmp(key, "mu") != 0) {
                append(text, sizeof(text), " ");
                append(text, sizeof(text), e->unit);
            }
        }
    }
    if (rc == 0 && (*shown = strdup(text)) == NULL)
        rc = OSIM_ENOMEM;
done:
    if (rc != 0) {
        osim_sweep_overrides_free(*ov, *n);
        *ov = NULL;
        *n = 0;
    }
    listing_free(&l);
    return rc;
}

char *osim_sweep_param_text(const osim_scenario *sc, const char *param)
{
    osim_override *ov = NULL;
    size_t n = 0;
    char *shown = NULL;

    /* Swinging by 1 shows the current value in the same words. */
    if (osim_sweep_swing(sc, param, 1.0, &ov, &n, &shown, NULL) != 0)
        return NULL;
    osim_sweep_overrides_free(ov, n);
    return shown;
}

/* Is every number of parameter p 0 (then a swing changes nothing)? */
static bool all_zero(const listing *l, const char *p)
{
    size_t i;
    double x;
    const entry *e = find(l, p);

    if (e != NULL && is_number(e->value, &x))
        return x == 0.0;
    for (i = 0; i < l->n; i++) {
        const char *key = key_under(&l->v[i], p);
        if (key != NULL && strcmp(key, "dist") != 0 && is_number(l->v[i].value, &x) && x != 0.0)
            return false;
    }
    return true;
}

static int push(char ***v, size_t *n, const char *s)
{
    char **nv;
    size_t i;

    for (i = 0; i < *n; i++)
        if (strcmp((*v)[i], s) == 0)
            return 0;
    if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL)
        return OSIM_ENOMEM;
    *v = nv;
    if ((nv[*n] = strdup(s)) == NULL)
        return OSIM_ENOMEM;
    (*n)++;
    return 0;
}

/* The parameter roots of sc: each distribution (X of X.dist) and each
 * number outside a distribution, in listing order. */
static int roots(const listing *l, char ***v, size_t *n)
{
    size_t i;
    int rc = 0;
    bool emp;

    for (i = 0; i < l->n && rc == 0; i++) {
        const char *p = l->v[i].path;
        size_t len = strlen(p);
        char buf[1024];
        if (len > 5 && strcmp(p + len - 5, ".dist") == 0) {
            snprintf(buf, sizeof(buf), "%.*s", (int)(len - 5), p);
            if (param_kind(l, buf, &emp) == 2)
                rc = push(v, n, buf);
        } else if (param_kind(l, p, &emp) == 1) {
            rc = push(v, n, p);
        }
    }
    return rc;
}

int osim_sweep_default_params(const osim_scenario *sc, const char *topology, char ***out, size_t *n)
{
    listing l;
    char **all = NULL, pat[512];
    size_t na = 0, i, k;
    int rc;
    const char *pats[] = {"services.*.restart",
                          "services.*.rebuild",
                          NULL /* failover_time */,
                          NULL /* detect */,
                          "population.users",
                          "businesses.*.count",
                          "businesses.*.hourly_revenue",
                          "businesses.*.claim_rate"};
    char ft[512], dt[512];

    *out = NULL;
    *n = 0;
    if ((rc = list_params(sc, &l)) != 0)
        return rc;
    snprintf(ft, sizeof(ft), "topologies.%s.services.*.failover_time", topology);
    snprintf(dt, sizeof(dt), "topologies.%s.services.*.detect", topology);
    pats[2] = ft;
    pats[3] = dt;
    if ((rc = roots(&l, &all, &na)) != 0)
        goto done;
    /* incident.* first (not the restoration profile's points), then the rest
     * in the order above: the order of the tornado's ties. */
    for (i = 0; i < na && rc == 0; i++)
        if (strncmp(all[i], "incident.", 9) == 0 && strstr(all[i], ".profile.") == NULL &&
            !all_zero(&l, all[i]))
            rc = push(out, n, all[i]);
    for (k = 0; k < sizeof(pats) / sizeof(pats[0]) && rc == 0; k++) {
        snprintf(pat, sizeof(pat), "%s", pats[k]);
        for (i = 0; i < na && rc == 0; i++)
            if (osim_sweep_path_match(pat, all[i]) && !all_zero(&l, all[i]))
                rc = push(out, n, all[i]);
    }
done:
    for (i = 0; i < na; i++)
        free(all[i]);
    free(all);
    listing_free(&l);
    return rc;
}

int osim_sweep_expand_params(const osim_scenario *sc, const char *pattern, char ***v, size_t *n,
                             osim_diag *diag)
{
    listing l;
    char **all = NULL;
    size_t na = 0, i, before = *n;
    int rc;

    if ((rc = list_params(sc, &l)) != 0)
        return rc;
    if ((rc = roots(&l, &all, &na)) != 0)
        goto done;
    for (i = 0; i < na && rc == 0; i++)
        if (osim_sweep_path_match(pattern, all[i]))
            rc = push(v, n, all[i]);
    if (rc == 0 && *n == before) {
        bool emp = false;
        param_kind(&l, pattern, &emp);
        rc = osim_diag_set(diag, OSIM_EINVAL, "--params", 0, 0,
                           emp ? "%s is an empirical distribution, which cannot be swung"
                               : "'%s' is not a number or distribution of the scenario (see "
                                 "outagesim params: e.g. incident.pangyo.suppression or "
                                 "businesses.*.claim_rate)",
                           pattern);
    }
done:
    for (i = 0; i < na; i++)
        free(all[i]);
    free(all);
    listing_free(&l);
    return rc;
}
