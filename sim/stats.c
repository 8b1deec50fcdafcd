/*
 * stats.c -- mean, confidence interval and quantiles of replication values.
 *
 * Invariant: the summary is a pure function of the values in the order
 * given. Sums are compensated (Neumaier's variant of Kahan summation, which
 * also handles a term larger than the running sum), so adding a million
 * values of mixed magnitude keeps the error at one rounding instead of n;
 * quantiles come from a sorted copy, and sorting equal doubles in any order
 * yields the same sequence. Negative zero is folded to zero so that "-0"
 * never appears in an output.
 */
#include "outagesim/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "outagesim/error.h"

/* Running compensated sum. */
typedef struct ksum {
    double s, c;
} ksum;

static void ksum_add(ksum *k, double x)
{
    double t = k->s + x;

    if (fabs(k->s) >= fabs(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}

static double ksum_value(const ksum *k)
{
    return k->s + k->c;
}

double osim_stats_sum(const double *x, size_t stride, size_t n)
{
    ksum k = {0.0, 0.0};
    size_t i;

    for (i = 0; i < n; i++)
        ksum_add(&k, x[i * stride]);
    return ksum_value(&k);
}

double osim_stats_t975(size_t df)
{
    if (df == 0)
        return 0.0;
    return gsl_cdf_tdist_Pinv(0.975, (double)df);
}

double osim_stats_half_width(const osim_stats *s)
{
    return 0.5 * (s->ci95_high - s->ci95_low);
}

/* x + 0.0 turns -0.0 into +0.0 and leaves every other value alone. */
static double unsigned_zero(double x)
{
    return x + 0.0;
}

int osim_stats_compute(const double *x, size_t stride, size_t n, double *work, osim_stats *out)
{
    ksum ss = {0.0, 0.0};
    double mean, half;
    size_t i;

    if (out == NULL || (n > 0 && (x == NULL || work == NULL)))
        return OSIM_EINVAL;
    memset(out, 0, sizeof(*out));
    if (n == 0)
        return 0;
    for (i = 0; i < n; i++) {
        work[i] = x[i * stride];
        if (!isfinite(work[i])) {
            memset(out, 0, sizeof(*out));
            return OSIM_ERANGE;
        }
    }
    mean = osim_stats_sum(work, 1, n) / (double)n;
    for (i = 0; i < n; i++) {
        double d = work[i] - mean;
        ksum_add(&ss, d * d);
    }
    out->n = n;
    out->mean = unsigned_zero(mean);
    out->sd = n > 1 ? sqrt(ksum_value(&ss) / (double)(n - 1)) : 0.0;
    half = n > 1 ? osim_stats_t975(n - 1) * out->sd / sqrt((double)n) : 0.0;
    out->ci95_low = unsigned_zero(mean - half);
    out->ci95_high = unsigned_zero(mean + half);

    gsl_sort(work, 1, n);
    out->min = unsigned_zero(work[0]);
    out->max = unsigned_zero(work[n - 1]);
    out->p5 = unsigned_zero(gsl_stats_quantile_from_sorted_data(work, 1, n, 0.05));
    out->p50 = unsigned_zero(gsl_stats_quantile_from_sorted_data(work, 1, n, 0.50));
    out->p95 = unsigned_zero(gsl_stats_quantile_from_sorted_data(work, 1, n, 0.95));
    /* Finite inputs can still overflow (a sum near DBL_MAX): refuse, never print inf. */
    if (!isfinite(out->mean) || !isfinite(out->ci95_low) || !isfinite(out->ci95_high) ||
        !isfinite(out->sd)) {
        memset(out, 0, sizeof(*out));
        return OSIM_ERANGE;
    }
    return 0;
}
