/*
 * stats.h -- summary statistics of one metric over Monte Carlo replications.
 *
 * Every metric of a run is summarised by the same eight numbers (the STATS
 * object of the result document): mean, the 95% confidence interval of the
 * mean, the 5th, 50th and 95th percentiles, minimum and maximum.
 *
 * Definitions (n values x_1..x_n, in replication order):
 *   mean        sum / n, the sum compensated (Kahan-Neumaier) so that a
 *               million values of mixed magnitude lose no digits;
 *   sd          sample standard deviation (n - 1 in the denominator),
 *               two-pass: sum of (x - mean)^2, also compensated;
 *   ci95        mean -/+ t(0.975, n - 1) * sd / sqrt(n), Student's t from
 *               GSL (gsl_cdf_tdist_Pinv). With n = 1 the interval collapses
 *               to the mean (there is no spread to estimate); with n = 0
 *               every field is 0 and n says so;
 *   p5/p50/p95  linear interpolation between order statistics (GSL's
 *               gsl_stats_quantile_from_sorted_data, Hyndman and Fan's
 *               definition 7, the default of R and NumPy): with the values
 *               in ascending order y_0..y_{n-1}, the q-quantile is
 *               (1 - d) y_i + d y_{i+1}, h = (n - 1) q, i = floor(h),
 *               d = h - i. The order statistics are found by selection, in
 *               O(n), with exactly GSL's arithmetic on them.
 * The result depends only on the values and their order, never on the
 * thread that produced them. NaN and infinities are refused (OSIM_ERANGE):
 * they never reach an output.
 *
 * Thread-safety: pure functions; no state.
 */
#ifndef OUTAGESIM_STATS_H
#define OUTAGESIM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct osim_stats {
    size_t n; /* values summarised */
    double mean;
    double sd; /* sample standard deviation; 0 when n < 2 */
    double ci95_low, ci95_high;
    double p5, p50, p95;
    double min, max;
} osim_stats;

/* The Kahan-Neumaier compensated sum of x[0], x[stride], ... (n values). */
double osim_stats_sum(const double *x, size_t stride, size_t n);

/*
 * Summarise n values x[0], x[stride], x[2*stride], ... into out.
 * work is caller-owned scratch space of at least n doubles (it receives
 * a rearranged copy; pass NULL when n is 0). Returns 0, or OSIM_ERANGE if a
 * value is NaN or infinite (out is then zeroed), or OSIM_EINVAL on NULL
 * arguments.
 */
int osim_stats_compute(const double *x, size_t stride, size_t n, double *work, osim_stats *out);

/*
 * A source of values in order, for summaries of more values than memory
 * should hold (rows kept on disk, results.h): copy the count values at
 * index at, at + 1, ... into buf. 0, or < 0 (passed on).
 */
typedef int (*osim_stats_read_fn)(void *ud, uint64_t at, size_t count, double *buf);

/*
 * osim_stats_compute over the n values of a source, to the same bits, with
 * at most about mem_values doubles held at once (at least 4096 are used):
 *   n <= mem_values  the values are read once into memory and summarised
 *                    by osim_stats_compute itself;
 *   otherwise        the source is read in passes, in order: the mean, min
 *                    and max in the first, the sum of squared deviations
 *                    in the second (the same compensated sums, in the same
 *                    order), and each quantile's two order statistics by
 *                    radix selection on the values' 64-bit order keys, 16
 *                    bits a pass: a pass counts the values of the current
 *                    bucket by their next 16 bits until the bucket holding
 *                    the order statistic has at most mem_values / 4
 *                    values, which one more pass collects and selects in.
 *                    The order statistics are values, so they are exactly
 *                    those a sort would find; usually 3 or 4 passes.
 * With quantiles false, p5, p50 and p95 are 0 (moments, min and max only;
 * one pass fewer). Returns 0, OSIM_ERANGE as osim_stats_compute,
 * OSIM_ENOMEM, or the source's error.
 */
int osim_stats_compute_read(osim_stats_read_fn read, void *ud, uint64_t n, size_t mem_values,
                            bool quantiles, osim_stats *out);

/* The 97.5% point of Student's t with df degrees of freedom (df >= 1). */
double osim_stats_t975(size_t df);

/* Half-width of the 95% confidence interval: (ci95_high - ci95_low) / 2. */
double osim_stats_half_width(const osim_stats *s);

#endif
