/*
 * stats.c -- mean, confidence interval and quantiles of replication values.
 *
 * Invariant: the summary is a pure function of the values in the order
 * given. Sums are compensated (Neumaier's variant of Kahan summation, which
 * also handles a term larger than the running sum), so adding a million
 * values of mixed magnitude keeps the error at one rounding instead of n.
 * Quantiles are GSL's definition (gsl_stats_quantile_from_sorted_data) on
 * the order statistics, which are found by selection instead of a full
 * sort: a summary costs O(n), and the statistics of a run are a few
 * percent of it instead of a serial tail that grows like n log n. The
 * order statistics are values, not positions, so selection and sorting give
 * the same bits (test_stats checks it against GSL). Negative zero is folded
 * to zero so that "-0" never appears in an output.
 */
#include "outagesim/stats.h"

#include <gsl/gsl_cdf.h>
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

static void swap(double *a, double *b)
{
    double t = *a;

    *a = *b;
    *b = t;
}

static double median3(double a, double b, double c)
{
    if (a < b)
        return b < c ? b : (a < c ? c : a);
    return a < c ? a : (b < c ? c : b);
}

/*
 * Rearrange a[lo..hi) so that a[k] holds the value it would hold if the
 * range were sorted, everything before it is <= a[k] and everything after
 * it is >= a[k] (quickselect with a three-way partition, so long runs of
 * equal values, common here, cost one pass).
 */
static void select_kth(double *a, size_t lo, size_t hi, size_t k)
{
    while (hi - lo > 1) {
        double pivot = median3(a[lo], a[lo + (hi - lo) / 2], a[hi - 1]);
        size_t lt = lo, i = lo, gt = hi;

        while (i < gt) {
            if (a[i] < pivot)
                swap(&a[lt++], &a[i++]);
            else if (a[i] > pivot)
                swap(&a[i], &a[--gt]);
            else
                i++;
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return;
    }
}

/*
 * The q-quantile of a[0..n) by GSL's formula (gsl_stats_quantile_from_sorted_data):
 * h = q (n - 1), i = floor(h), (1 - (h - i)) y_i + (h - i) y_{i+1}, using
 * selection in a[*from..n) (values before *from are already below). Calls
 * must come in increasing q; *from advances past the order statistics used.
 */
static double quantile(double *a, size_t n, double q, size_t *from)
{
    const double index = q * (double)(n - 1);
    const size_t lhs = (size_t)index;
    const double delta = index - (double)lhs;
    double lo, hi;
    size_t i;

    select_kth(a, *from, n, lhs);
    lo = a[lhs];
    *from = lhs + 1;
    if (lhs == n - 1)
        return lo;
    /* y_{i+1} is the smallest value after position lhs. */
    hi = a[lhs + 1];
    for (i = lhs + 2; i < n; i++)
        if (a[i] < hi)
            hi = a[i];
    return (1 - delta) * lo + delta * hi;
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

    {
        double lo = work[0], hi = work[0];
        size_t from = 0;
        for (i = 1; i < n; i++) {
            if (work[i] < lo)
                lo = work[i];
            if (work[i] > hi)
                hi = work[i];
        }
        out->min = unsigned_zero(lo);
        out->max = unsigned_zero(hi);
        if (lo == hi) { /* constant: every quantile is the value (and no selection) */
            out->p5 = out->p50 = out->p95 = out->min;
        } else {
            out->p5 = unsigned_zero(quantile(work, n, 0.05, &from));
            out->p50 = unsigned_zero(quantile(work, n, 0.50, &from));
            out->p95 = unsigned_zero(quantile(work, n, 0.95, &from));
        }
    }
    /* Finite inputs can still overflow (a sum near DBL_MAX): refuse, never print inf. */
    if (!isfinite(out->mean) || !isfinite(out->ci95_low) || !isfinite(out->ci95_high) ||
        !isfinite(out->sd)) {
        memset(out, 0, sizeof(*out));
        return OSIM_ERANGE;
    }
    return 0;
}
