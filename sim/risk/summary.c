/*
 * summary.c -- the loss of a year, and what the years say: average annual
 * loss, exceedance curves, return-period losses, tail value at risk.
 *
 * Invariant: a year's losses are accumulated incident by incident in the
 * table's order and, within an incident, in the order its occurrences were
 * drawn; every statistic after that is a GSL routine on the n_years values
 * (mean, sd, sort, quantile). The result is a pure function of the table
 * and the losses, whatever thread computes it. An incident whose losses are
 * all 0 adds +0.0 to some years and raises no year's maximum: every bit of
 * the summary is as if it were absent from the catalogue (its stream is its
 * own, so the other incidents' occurrences do not move either).
 */
#include "risk/risk_int.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const double osim_risk_return_periods_y[OSIM_RISK_RP_COUNT] = {10, 50, 100, 250, 500, 1000};
const double osim_risk_tvar_levels[OSIM_RISK_TVAR_COUNT] = {0.01, 0.004};

/* The events match the table and every loss is finite and >= 0. */
static int check_events(const osim_ylt *y, const osim_risk_event *ev, size_t n, osim_diag *diag)
{
    size_t i, j;

    if (y == NULL || ev == NULL)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "risk: a NULL argument");
    if (n != y->n_incidents)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "risk: %zu event loss sets for a year table of %zu incidents", n,
                             y->n_incidents);
    for (i = 0; i < n; i++) {
        const char *nm = ev[i].name != NULL ? ev[i].name : "(unnamed)";

        if (ev[i].n != y->n_reps[i] || ev[i].loss == NULL)
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                 "risk: incident %zu '%s': %zu losses for a table drawn from "
                                 "%zu replications",
                                 i + 1, nm, ev[i].loss != NULL ? ev[i].n : 0, y->n_reps[i]);
        /* Exact comparison on purpose: the rate is copied, not computed. */
        if (ev[i].annual_rate != y->rate[i])
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                 "risk: incident %zu '%s': rate %g, but the year table was "
                                 "drawn with %g",
                                 i + 1, nm, ev[i].annual_rate, y->rate[i]);
        for (j = 0; j < ev[i].n; j++)
            if (!isfinite(ev[i].loss[j]) || ev[i].loss[j] < 0.0)
                return osim_diag_set(diag, OSIM_ERANGE, NULL, 0, 0,
                                     "risk: incident %zu '%s', replication %zu: a loss must be "
                                     "finite and >= 0, not %g",
                                     i + 1, nm, j, ev[i].loss[j]);
    }
    return 0;
}

/* Fill agg and occ (either may be NULL; zeroed first) from checked events. */
static void accumulate(const osim_ylt *y, const osim_risk_event *ev, double *agg, double *occ)
{
    size_t i, k;

    if (agg != NULL)
        memset(agg, 0, y->n_years * sizeof *agg);
    if (occ != NULL)
        memset(occ, 0, y->n_years * sizeof *occ);
    for (i = 0; i < y->n_incidents; i++) {
        const double *loss = ev[i].loss;

        for (k = y->start[i]; k < y->start[i + 1]; k++) {
            double x = loss[y->rep[k]];
            uint32_t t = y->year[k];

            if (agg != NULL)
                agg[t] += x;
            if (occ != NULL && x > occ[t])
                occ[t] = x;
        }
    }
}

int osim_risk_year_losses(const osim_ylt *y, const osim_risk_event *ev, size_t n_incidents,
                          double *agg, double *occ, osim_diag *diag)
{
    int rc;

    if ((rc = check_events(y, ev, n_incidents, diag)) != 0)
        return rc;
    accumulate(y, ev, agg, occ);
    return 0;
}

/* z(0.975): the normal quantile of a two-sided 95% interval. */
static double z95(void)
{
    return gsl_cdf_ugaussian_Pinv(0.975);
}

/* Mean, sample sd and normal 95% interval of n values. */
static void mean_ci(const double *x, size_t n, double *mean, double *sd, double *lo, double *hi)
{
    double m = gsl_stats_mean(x, 1, n);
    double s = n > 1 ? gsl_stats_sd_m(x, 1, n, m) : 0.0;
    double half = z95() * s / sqrt((double)n);

    *mean = m;
    *sd = s;
    *lo = m - half;
    *hi = m + half;
}

/* The q-quantile of n sorted values with its distribution-free 95% interval. */
static osim_risk_quantile quantile(const double *sorted, size_t n, double q)
{
    osim_risk_quantile r;
    double h = (double)(n - 1) * q, s = sqrt((double)n * q * (1.0 - q)) * z95();
    double lo = floor(h - s), hi = ceil(h + s);

    r.loss = gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
    lo = lo < 0.0 ? 0.0 : lo;
    hi = hi > (double)(n - 1) ? (double)(n - 1) : hi;
    r.ci95_low = sorted[(size_t)lo];
    r.ci95_high = sorted[(size_t)hi];
    return r;
}

/* The number of years in the tail of level a: ceil(a n), at least 1. The
 * small allowance keeps a product like 0.01 * 100000, which is 1000 in
 * exact arithmetic, from rounding up to 1001. */
static size_t tail_years(double a, size_t n)
{
    double m = ceil(a * (double)n - 1e-9);

    if (m < 1.0)
        return 1;
    return m > (double)n ? n : (size_t)m;
}

/* Everything that reads the sorted year losses. */
static void from_sorted(osim_risk_summary *out, const double *agg, const double *occ, size_t n)
{
    size_t k;

    for (k = 0; k < OSIM_RISK_RP_COUNT; k++) {
        double q = 1.0 - 1.0 / osim_risk_return_periods_y[k];

        out->aep[k] = quantile(agg, n, q);
        out->oep[k] = quantile(occ, n, q);
    }
    for (k = 0; k < OSIM_RISK_TVAR_COUNT; k++) {
        double a = osim_risk_tvar_levels[k];
        size_t m = tail_years(a, n);

        out->var[k] = gsl_stats_quantile_from_sorted_data(agg, 1, n, 1.0 - a);
        out->tvar[k] = gsl_stats_mean(agg + (n - m), 1, m);
    }
    /* 10 points a decade from 1 year to n_years: T = 10^(k / 10). */
    out->curve_count = 0;
    for (k = 0; k < OSIM_RISK_CURVE_MAX; k++) {
        double T = pow(10.0, (double)k / 10.0), q = 1.0 - 1.0 / T;
        osim_risk_point *p = &out->curve[k];

        if (T > (double)n * (1.0 + 1e-12))
            break;
        p->return_period_y = T;
        p->aep = gsl_stats_quantile_from_sorted_data(agg, 1, n, q);
        p->oep = gsl_stats_quantile_from_sorted_data(occ, 1, n, q);
        out->curve_count = k + 1;
    }
    out->max_year_loss = agg[n - 1];
}

int osim_risk_summarise(const osim_ylt *y, const osim_risk_event *ev, size_t n_incidents,
                        osim_risk_summary *out, osim_diag *diag)
{
    double *agg = NULL, *occ = NULL;
    size_t n, i, t;
    int rc;

    if (out == NULL)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "risk: a NULL argument");
    memset(out, 0, sizeof *out);
    if ((rc = check_events(y, ev, n_incidents, diag)) != 0)
        return rc;
    n = y->n_years;
    if ((agg = malloc(n * sizeof *agg)) == NULL || (occ = malloc(n * sizeof *occ)) == NULL) {
        rc = osim_diag_set(diag, OSIM_ENOMEM, NULL, 0, 0, "risk: out of memory");
        goto done;
    }
    accumulate(y, ev, agg, occ);
    out->n_years = n;
    for (t = 0; t < n; t++)
        out->years_with_loss += agg[t] > 0.0;
    mean_ci(agg, n, &out->aal, &out->aal_sd, &out->aal_ci95_low, &out->aal_ci95_high);
    for (i = 0; i < n_incidents; i++)
        out->aal_analytic += ev[i].annual_rate * gsl_stats_mean(ev[i].loss, 1, ev[i].n);
    gsl_sort(agg, 1, n);
    gsl_sort(occ, 1, n);
    from_sorted(out, agg, occ, n);
done:
    free(occ);
    free(agg);
    return rc;
}

int osim_risk_compare(const osim_ylt *y, const osim_risk_event *a, const osim_risk_event *b,
                      size_t n_incidents, osim_risk_diff *out, osim_diag *diag)
{
    double *da = NULL, *db = NULL;
    size_t t;
    int rc;

    if (out == NULL)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "risk: a NULL argument");
    memset(out, 0, sizeof *out);
    if ((rc = check_events(y, a, n_incidents, diag)) != 0 ||
        (rc = check_events(y, b, n_incidents, diag)) != 0)
        return rc;
    if ((da = malloc(y->n_years * sizeof *da)) == NULL ||
        (db = malloc(y->n_years * sizeof *db)) == NULL) {
        rc = osim_diag_set(diag, OSIM_ENOMEM, NULL, 0, 0, "risk: out of memory");
        goto done;
    }
    accumulate(y, a, da, NULL);
    accumulate(y, b, db, NULL);
    for (t = 0; t < y->n_years; t++)
        da[t] -= db[t];
    mean_ci(da, y->n_years, &out->mean, &out->sd, &out->ci95_low, &out->ci95_high);
done:
    free(db);
    free(da);
    return rc;
}
