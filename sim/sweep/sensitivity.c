/*
 * sensitivity.c -- one-at-a-time swings of a scenario's parameters: which
 * parameters to swing, and the --set overrides that multiply one (the
 * scaling itself is osim_param_table_scale in sim/scenario/override.c,
 * shared with `--set PATH=xF` and sweep axes of factors).
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

/* The parameter table of sc (osim_param_table, scenario.h). */
static int list_params(const osim_scenario *sc, osim_param_table **t)
{
    return osim_param_table_new(sc, t);
}

static bool is_number(const char *s, double *x)
{
    char *end;

    if (*s == '\0')
        return false;
    *x = strtod(s, &end);
    return *end == '\0' && isfinite(*x);
}

int osim_sweep_swing(const osim_scenario *sc, const char *param, double f, osim_override **ov,
                     size_t *n, char **shown, osim_diag *diag)
{
    osim_param_table *t;
    int rc;

    *ov = NULL;
    *n = 0;
    *shown = NULL;
    if (!(f > 0) || !isfinite(f))
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "a swing factor must be > 0");
    if ((rc = list_params(sc, &t)) != 0)
        return rc;
    rc = osim_param_table_scale(t, param, f, ov, n, shown, diag);
    osim_param_table_free(t);
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
    osim_overrides_free(ov, n);
    return shown;
}

/* Is every number of parameter p 0 (then a swing changes nothing)? */
static bool all_zero(const osim_param_table *l, const char *p)
{
    size_t i;
    double x;
    long e = osim_param_table_find(l, p);
    const char *path, *value, *unit;

    if (e >= 0) {
        osim_param_table_at(l, (size_t)e, &path, &value, &unit);
        if (is_number(value, &x))
            return x == 0.0;
    }
    for (i = 0; i < osim_param_table_count(l); i++) {
        const char *key;
        osim_param_table_at(l, i, &path, &value, &unit);
        key = osim_param_key_under(path, p);
        if (key != NULL && strcmp(key, "dist") != 0 && is_number(value, &x) && x != 0.0)
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
static int roots(const osim_param_table *l, char ***v, size_t *n)
{
    size_t i;
    int rc = 0;
    bool emp;

    for (i = 0; i < osim_param_table_count(l) && rc == 0; i++) {
        const char *p, *value, *unit;
        size_t len;
        char buf[1024];
        osim_param_table_at(l, i, &p, &value, &unit);
        len = strlen(p);
        if (len > 5 && strcmp(p + len - 5, ".dist") == 0) {
            snprintf(buf, sizeof(buf), "%.*s", (int)(len - 5), p);
            if (osim_param_table_kind(l, buf, &emp) == OSIM_PARAM_DIST)
                rc = push(v, n, buf);
        } else if (osim_param_table_kind(l, p, &emp) == OSIM_PARAM_NUMBER) {
            rc = push(v, n, p);
        }
    }
    return rc;
}

int osim_sweep_default_params(const osim_scenario *sc, const char *topology, char ***out, size_t *n)
{
    osim_param_table *l;
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
    if ((rc = roots(l, &all, &na)) != 0)
        goto done;
    /* incident.* first (not the restoration profile's points), then the rest
     * in the order above: the order of the tornado's ties. */
    for (i = 0; i < na && rc == 0; i++)
        if (strncmp(all[i], "incident.", 9) == 0 && strstr(all[i], ".profile.") == NULL &&
            !all_zero(l, all[i]))
            rc = push(out, n, all[i]);
    for (k = 0; k < sizeof(pats) / sizeof(pats[0]) && rc == 0; k++) {
        snprintf(pat, sizeof(pat), "%s", pats[k]);
        for (i = 0; i < na && rc == 0; i++)
            if (osim_sweep_path_match(pat, all[i]) && !all_zero(l, all[i]))
                rc = push(out, n, all[i]);
    }
done:
    for (i = 0; i < na; i++)
        free(all[i]);
    free(all);
    osim_param_table_free(l);
    return rc;
}

int osim_sweep_expand_params(const osim_scenario *sc, const char *pattern, char ***v, size_t *n,
                             osim_diag *diag)
{
    osim_param_table *l;
    char **all = NULL;
    size_t na = 0, i, before = *n;
    int rc;

    if ((rc = list_params(sc, &l)) != 0)
        return rc;
    if ((rc = roots(l, &all, &na)) != 0)
        goto done;
    for (i = 0; i < na && rc == 0; i++)
        if (osim_sweep_path_match(pattern, all[i]))
            rc = push(v, n, all[i]);
    if (rc == 0 && *n == before) {
        bool emp = false;
        osim_param_table_kind(l, pattern, &emp);
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
    osim_param_table_free(l);
    return rc;
}
