/*
 * test_stats.c -- invariant: the summary of a metric (mean, 95% CI from
 * Student's t with n - 1 df, type-7 quantiles, min, max) matches values
 * computed by hand, compensated summation keeps digits a naive sum loses,
 * and NaN or infinity is refused instead of reaching an output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "outagesim/error.h"
#include "outagesim/stats.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* 1..10: mean 5.5, sd sqrt(110/12), t(0.975, 9) = 2.262157162740991. */
static void one_to_ten(void **state)
{
    double x[10], work[10];
    osim_stats s;
    int i;

    (void)state;
    /* Out of order on purpose: quantiles must come from a sorted copy. */
    for (i = 0; i < 10; i++)
        x[i] = (double)((i * 7) % 10 + 1);
    assert_int_equal(osim_stats_compute(x, 1, 10, work, &s), 0);
    assert_int_equal(s.n, 10);
    NEAR(s.mean, 5.5, 1e-15);
    NEAR(s.sd, 3.0276503540974917, 1e-14);
    /* GSL's t quantile is good to about 1e-10 relative. */
    NEAR(osim_stats_t975(9), 2.262157162740991, 1e-9);
    NEAR(s.ci95_low, 3.3341494103866087, 1e-9);
    NEAR(s.ci95_high, 7.665850589613392, 1e-9);
    NEAR(osim_stats_half_width(&s), 2.1658505896133917, 1e-9);
    /* Type 7: h = 9q; p5 -> 1 + 0.45, p50 -> 5 + 0.5, p95 -> 9 + 0.55. */
    NEAR(s.p5, 1.45, 1e-14);
    NEAR(s.p50, 5.5, 1e-14);
    NEAR(s.p95, 9.55, 1e-14);
    assert_true(s.min == 1.0);
    assert_true(s.max == 10.0);
    /* The input is not reordered. */
    assert_true(x[1] == 8.0);
}

/* Selection gives exactly GSL's quantiles of a sorted copy: random data of
 * every size up to 300, with and without long runs of equal values. */
static void quantiles_match_gsl(void **state)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double x[300], sorted[300], work[300];
    size_t n, i;
    int dup;

    (void)state;
    for (dup = 0; dup < 3; dup++) {
        for (n = 1; n <= 300; n++) {
            osim_stats s;
            for (i = 0; i < n; i++) {
                double u = gsl_rng_uniform(r);
                /* dup 1: few distinct values; dup 2: mostly zeros, a long tail */
                if (dup == 0)
                    x[i] = 1e6 * (u - 0.3);
                else if (dup == 1)
                    x[i] = floor(u * 4.0);
                else
                    x[i] = u < 0.8 ? 0.0 : exp(20 * u);
                sorted[i] = x[i];
            }
            gsl_sort(sorted, 1, n);
            assert_int_equal(osim_stats_compute(x, 1, n, work, &s), 0);
            assert_true(s.p5 == gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.05) + 0.0);
            assert_true(s.p50 == gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.50) + 0.0);
            assert_true(s.p95 == gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.95) + 0.0);
            assert_true(s.min == sorted[0] + 0.0 && s.max == sorted[n - 1] + 0.0);
        }
    }
    gsl_rng_free(r);
}

/* The t quantile tends to the normal one and is wide for tiny samples. */
static void t_quantiles(void **state)
{
    (void)state;
    NEAR(osim_stats_t975(1), 12.706204736174707, 1e-9);
    NEAR(osim_stats_t975(29), 2.045229642132703, 1e-9);
    NEAR(osim_stats_t975(1000000), 1.959966, 1e-5);
}

/* A stride picks one metric out of an interleaved replication table. */
static void strided(void **state)
{
    /* Rows of (metric a, metric b). */
    double rows[8] = {1, 100, 2, 200, 3, 300, 4, 400};
    double work[4];
    osim_stats s;

    (void)state;
    assert_int_equal(osim_stats_compute(rows + 1, 2, 4, work, &s), 0);
    NEAR(s.mean, 250.0, 1e-12);
    assert_true(s.min == 100.0 && s.max == 400.0);
    /* h = 3 * 0.5 = 1.5 -> 200 + 0.5 * 100. */
    NEAR(s.p50, 250.0, 1e-12);
}

/* Neumaier's sum keeps the small terms that cancel in a naive sum. */
static void compensated_sum(void **state)
{
    double x[4] = {1.0, 1e100, 1.0, -1e100};
    double y[3000], naive = 0.0;
    double work[4];
    osim_stats s;
    int i;

    (void)state;
    assert_true(osim_stats_sum(x, 1, 4) == 2.0);
    assert_true(((1.0 + 1e100) + 1.0) - 1e100 == 0.0); /* what a naive sum gives */
    assert_int_equal(osim_stats_compute(x, 1, 4, work, &s), 0);
    assert_true(s.mean == 0.5);

    /* 0.1 a thousand times, then the pair 1e17 / -1e17 and 0.1 again. */
    for (i = 0; i < 3000; i++)
        y[i] = 0.1;
    y[1000] = 1e17;
    y[2000] = -1e17;
    for (i = 0; i < 3000; i++)
        naive += y[i];
    /* 2998 tenths: the exact answer is 299.8. */
    NEAR(osim_stats_sum(y, 1, 3000), 299.8, 1e-9);
    assert_true(fabs(naive - 299.8) > 1.0);
}

static void small_samples(void **state)
{
    double one = 42.0, work[2];
    osim_stats s;

    (void)state;
    assert_int_equal(osim_stats_compute(NULL, 1, 0, NULL, &s), 0);
    assert_int_equal(s.n, 0);
    assert_true(s.mean == 0.0 && s.p95 == 0.0);

    assert_int_equal(osim_stats_compute(&one, 1, 1, work, &s), 0);
    assert_int_equal(s.n, 1);
    assert_true(s.mean == 42.0 && s.ci95_low == 42.0 && s.ci95_high == 42.0);
    assert_true(s.p5 == 42.0 && s.p50 == 42.0 && s.p95 == 42.0);
    assert_true(s.sd == 0.0);
}

static void non_finite_refused(void **state)
{
    double x[3] = {1.0, NAN, 3.0};
    double y[3] = {1.0, INFINITY, 3.0};
    double big[2] = {1.7e308, 1.7e308};
    double work[3];
    osim_stats s;

    (void)state;
    assert_int_equal(osim_stats_compute(x, 1, 3, work, &s), OSIM_ERANGE);
    assert_int_equal(s.n, 0);
    assert_int_equal(osim_stats_compute(y, 1, 3, work, &s), OSIM_ERANGE);
    /* Finite values whose sum overflows are refused too. */
    assert_int_equal(osim_stats_compute(big, 1, 2, work, &s), OSIM_ERANGE);
    assert_int_equal(osim_stats_compute(x, 1, 3, NULL, &s), OSIM_EINVAL);
}

/* Negative zero never leaks: "-0" in a document would differ from "0". */
static void negative_zero(void **state)
{
    double x[2] = {-0.0, -0.0}, work[2];
    osim_stats s;

    (void)state;
    assert_int_equal(osim_stats_compute(x, 1, 2, work, &s), 0);
    assert_false(signbit(s.mean));
    assert_false(signbit(s.min));
    assert_false(signbit(s.p50));
}

/* ------------------------------------------------------------ from a source */

typedef struct array_src {
    const double *x;
    int calls;
} array_src;

static int read_array(void *ud, uint64_t at, size_t count, double *buf)
{
    array_src *a = ud;

    a->calls++;
    memcpy(buf, a->x + at, count * sizeof(double));
    return 0;
}

/* Every field of a and b, bit for bit. */
static void assert_same_bits(const osim_stats *a, const osim_stats *b)
{
    assert_int_equal(a->n, b->n);
    assert_memory_equal(&a->mean, &b->mean, sizeof(double));
    assert_memory_equal(&a->sd, &b->sd, sizeof(double));
    assert_memory_equal(&a->ci95_low, &b->ci95_low, sizeof(double));
    assert_memory_equal(&a->ci95_high, &b->ci95_high, sizeof(double));
    assert_memory_equal(&a->p5, &b->p5, sizeof(double));
    assert_memory_equal(&a->p50, &b->p50, sizeof(double));
    assert_memory_equal(&a->p95, &b->p95, sizeof(double));
    assert_memory_equal(&a->min, &b->min, sizeof(double));
    assert_memory_equal(&a->max, &b->max, sizeof(double));
}

/*
 * The passes over a source (rows on disk) give the bits of the summary in
 * memory, for distributions that stress the radix selection: smooth,
 * mostly zeros with a tail (a bucket of one key bigger than memory),
 * negative and positive with -0.0, few distinct values, heavy-tailed, a
 * quantile on the boundary of two buckets, and constant.
 */
static void read_matches_memory(void **state)
{
    enum { N = 200003 };
    static double x[N], work[N];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    int kind, i;

    (void)state;
    for (kind = 0; kind < 7; kind++) {
        osim_stats mem, rd;
        array_src src = {x, 0};
        for (i = 0; i < N; i++) {
            double u = gsl_rng_uniform(g);
            switch (kind) {
            case 0: x[i] = 1e9 * u; break;
            case 1: x[i] = u < 0.97 ? 0.0 : 1e6 / (1.0 - u); break;
            case 2: x[i] = u < 0.1 ? -0.0 : (u - 0.5) * 1e3; break;
            case 3: x[i] = (double)(int)(u * 5); break;
            case 4: x[i] = exp(40.0 * u) - 1.0; break;
            case 5: x[i] = i < N / 2 ? 1.0 : 2.0; break;
            default: x[i] = 3.25; break;
            }
        }
        assert_int_equal(osim_stats_compute(x, 1, N, work, &mem), 0);
        assert_int_equal(osim_stats_compute_read(read_array, &src, N, 4096, true, &rd), 0);
        assert_same_bits(&mem, &rd);
        /* More than one pass was made (the source was not read into memory). */
        assert_true(src.calls > 2 * (N / 8192));
        /* Memory enough: one read, the same bits. */
        src.calls = 0;
        assert_int_equal(osim_stats_compute_read(read_array, &src, N, N, true, &rd), 0);
        assert_same_bits(&mem, &rd);
        /* Moments only: the same mean and interval, no quantiles. */
        assert_int_equal(osim_stats_compute_read(read_array, &src, N, 4096, false, &rd), 0);
        assert_memory_equal(&mem.mean, &rd.mean, sizeof(double));
        assert_memory_equal(&mem.ci95_high, &rd.ci95_high, sizeof(double));
    }
    x[N - 7] = NAN;
    {
        array_src src = {x, 0};
        osim_stats rd;
        assert_int_equal(osim_stats_compute_read(read_array, &src, N, 4096, true, &rd),
                         OSIM_ERANGE);
    }
    gsl_rng_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_to_ten),          cmocka_unit_test(quantiles_match_gsl),
        cmocka_unit_test(t_quantiles),         cmocka_unit_test(strided),
        cmocka_unit_test(compensated_sum),     cmocka_unit_test(small_samples),
        cmocka_unit_test(non_finite_refused),  cmocka_unit_test(negative_zero),
        cmocka_unit_test(read_matches_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
