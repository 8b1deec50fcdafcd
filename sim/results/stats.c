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
#include <stdlib.h>
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

/* ------------------------------------------------------------ from a source */

#define READ_CHUNK 8192u /* values read at once */
#define RADIX_BITS 16u
#define RADIX_SIZE (1u << RADIX_BITS)
#define LEVELS (64u / RADIX_BITS)

/* A 64-bit key in the order of the doubles (zeros folded to +0). */
static uint64_t order_key(double x)
{
    uint64_t u;

    x = unsigned_zero(x);
    memcpy(&u, &x, sizeof(u));
    return (u >> 63) ? ~u : (u | (UINT64_C(1) << 63));
}

static double key_value(uint64_t k)
{
    uint64_t u = (k >> 63) ? (k & ~(UINT64_C(1) << 63)) : ~k;
    double x;

    memcpy(&x, &u, sizeof(x));
    return x;
}

enum { Q_HIST, Q_COLLECT, Q_DONE };

/*
 * The search for one quantile's order statistics y_lhs and y_lhs+1: the
 * bucket is the values whose key starts with `prefix` (level x 16 bits);
 * k is the rank of y_lhs among them.
 */
typedef struct qsearch {
    double q;
    size_t lhs;
    int phase;
    unsigned level;
    uint64_t prefix, k, count;
    uint64_t *hist; /* RADIX_SIZE */
    double *buf;    /* the bucket, when collected */
    size_t nbuf;
    double above; /* smallest value above the bucket */
    bool has_above;
    double lo, hi;
} qsearch;

static bool in_bucket(const qsearch *s, uint64_t key)
{
    return s->level == 0 || (key >> (64 - RADIX_BITS * s->level)) == s->prefix;
}

static bool above_bucket(const qsearch *s, uint64_t key)
{
    return s->level > 0 && (key >> (64 - RADIX_BITS * s->level)) > s->prefix;
}

/* After a counting pass: step into the bucket that holds rank k. */
static void descend(qsearch *s, size_t cap)
{
    uint64_t before = 0;
    size_t b;

    for (b = 0; b < RADIX_SIZE; b++) {
        if (s->k < before + s->hist[b])
            break;
        before += s->hist[b];
    }
    s->k -= before;
    s->count = s->hist[b];
    s->prefix = (s->level == 0 ? 0 : s->prefix << RADIX_BITS) | b;
    s->level++;
    s->phase = (s->count <= cap || s->level == LEVELS) ? Q_COLLECT : Q_HIST;
}

/* One value through a search's current pass. */
static void q_take(qsearch *s, double x, uint64_t key)
{
    if (s->phase == Q_HIST) {
        if (in_bucket(s, key))
            s->hist[(key >> (64 - RADIX_BITS * (s->level + 1))) & (RADIX_SIZE - 1)]++;
    } else if (s->phase == Q_COLLECT) {
        if (in_bucket(s, key)) {
            if (s->level < LEVELS)
                s->buf[s->nbuf++] = unsigned_zero(x);
        } else if (above_bucket(s, key) && (!s->has_above || x < s->above)) {
            s->above = x;
            s->has_above = true;
        }
    }
}

/* After a collecting pass: y_lhs and y_lhs+1, as quantile() finds them. */
static void q_finish(qsearch *s)
{
    size_t i;

    if (s->level == LEVELS) { /* one key: every value of the bucket is it */
        s->lo = key_value(s->prefix);
        s->hi = s->k + 1 < s->count ? s->lo : s->above;
    } else {
        select_kth(s->buf, 0, s->nbuf, (size_t)s->k);
        s->lo = s->buf[s->k];
        if (s->k + 1 < s->nbuf) {
            s->hi = s->buf[s->k + 1];
            for (i = (size_t)s->k + 2; i < s->nbuf; i++)
                if (s->buf[i] < s->hi)
                    s->hi = s->buf[i];
        } else {
            s->hi = s->above;
        }
    }
    s->phase = Q_DONE;
}

/* The quantile from its order statistics: quantile()'s arithmetic. */
static double q_value(const qsearch *s, uint64_t n)
{
    const double index = s->q * (double)(n - 1);
    const double delta = index - (double)s->lhs;

    if (s->lhs == n - 1)
        return s->lo;
    return (1 - delta) * s->lo + delta * s->hi;
}

typedef struct stream_pass {
    osim_stats_read_fn read;
    void *ud;
    uint64_t n;
    double *chunk; /* READ_CHUNK */
} stream_pass;

/* Everything in memory: osim_stats_compute itself. */
static int compute_in_memory(osim_stats_read_fn read, void *ud, uint64_t n, osim_stats *out)
{
    double *x = malloc((size_t)n * sizeof(double) + 1),
           *work = malloc((size_t)n * sizeof(double) + 1);
    uint64_t at;
    int rc = 0;

    if (x == NULL || work == NULL) {
        rc = OSIM_ENOMEM;
        goto done;
    }
    for (at = 0; at < n && rc == 0; at += READ_CHUNK)
        rc = read(ud, at, (size_t)(n - at < READ_CHUNK ? n - at : READ_CHUNK), x + at);
    if (rc == 0)
        rc = osim_stats_compute(x, 1, (size_t)n, work, out);
done:
    free(x);
    free(work);
    return rc;
}

int osim_stats_compute_read(osim_stats_read_fn read, void *ud, uint64_t n, size_t mem_values,
                            bool quantiles, osim_stats *out)
{
    static const double qs[3] = {0.05, 0.50, 0.95};
    qsearch s[3];
    ksum sum = {0.0, 0.0}, ss = {0.0, 0.0};
    double *chunk = NULL, mean = 0.0, lo = 0.0, hi = 0.0, half;
    size_t cap, j, k;
    uint64_t at;
    bool first = true, moments_done = false, searching;
    int rc = 0;

    if (read == NULL || out == NULL)
        return OSIM_EINVAL;
    memset(out, 0, sizeof(*out));
    if (mem_values < 4096)
        mem_values = 4096;
    if (n == 0)
        return 0;
    if (n <= mem_values)
        return compute_in_memory(read, ud, n, out);
    cap = mem_values / 4;
    memset(s, 0, sizeof(s));
    if ((chunk = malloc(READ_CHUNK * sizeof(double))) == NULL)
        return OSIM_ENOMEM;
    for (k = 0; quantiles && k < 3; k++) {
        s[k].q = qs[k];
        s[k].lhs = (size_t)(qs[k] * (double)(n - 1));
        s[k].k = s[k].lhs;
        s[k].count = n;
        s[k].hist = calloc(RADIX_SIZE, sizeof(uint64_t));
        s[k].buf = malloc(cap * sizeof(double));
        if (s[k].hist == NULL || s[k].buf == NULL) {
            rc = OSIM_ENOMEM;
            goto done;
        }
    }
    /* Pass after pass until the moments and every order statistic are known. */
    do {
        for (at = 0; at < n && rc == 0; at += READ_CHUNK) {
            size_t c = (size_t)(n - at < READ_CHUNK ? n - at : READ_CHUNK);
            if ((rc = read(ud, at, c, chunk)) != 0)
                break;
            for (j = 0; j < c; j++) {
                double x = chunk[j];
                uint64_t key;
                if (first) {
                    if (!isfinite(x)) {
                        rc = OSIM_ERANGE;
                        break;
                    }
                    ksum_add(&sum, x);
                    if (at + j == 0 || x < lo)
                        lo = x;
                    if (at + j == 0 || x > hi)
                        hi = x;
                } else if (!moments_done) {
                    double d = x - mean;
                    ksum_add(&ss, d * d);
                }
                if (!quantiles)
                    continue;
                key = order_key(x);
                for (k = 0; k < 3; k++)
                    q_take(&s[k], x, key);
            }
        }
        if (rc != 0)
            goto done;
        if (first) {
            mean = ksum_value(&sum) / (double)n;
            /* Constant: every quantile is the value (and no selection). */
            if (lo == hi)
                quantiles = false;
        } else {
            moments_done = true;
        }
        first = false;
        searching = false;
        for (k = 0; quantiles && k < 3; k++) {
            /* The phase is the one the pass just ran. */
            if (s[k].phase == Q_COLLECT) {
                q_finish(&s[k]);
            } else if (s[k].phase == Q_HIST) {
                descend(&s[k], cap);
                memset(s[k].hist, 0, RADIX_SIZE * sizeof(uint64_t));
            }
            searching = searching || s[k].phase != Q_DONE;
        }
    } while (!moments_done || searching);

    out->n = (size_t)n;
    out->mean = unsigned_zero(mean);
    out->sd = sqrt(ksum_value(&ss) / (double)(n - 1));
    half = osim_stats_t975((size_t)n - 1) * out->sd / sqrt((double)n);
    out->ci95_low = unsigned_zero(mean - half);
    out->ci95_high = unsigned_zero(mean + half);
    out->min = unsigned_zero(lo);
    out->max = unsigned_zero(hi);
    if (lo == hi) {
        out->p5 = out->p50 = out->p95 = out->min;
    } else if (quantiles) {
        out->p5 = unsigned_zero(q_value(&s[0], n));
        out->p50 = unsigned_zero(q_value(&s[1], n));
        out->p95 = unsigned_zero(q_value(&s[2], n));
    }
    if (!isfinite(out->mean) || !isfinite(out->ci95_low) || !isfinite(out->ci95_high) ||
        !isfinite(out->sd))
        rc = OSIM_ERANGE;
done:
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    for (k = 0; k < 3; k++) {
        free(s[k].hist);
        free(s[k].buf);
    }
    free(chunk);
    return rc;
}
