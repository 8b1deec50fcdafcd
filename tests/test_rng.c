/*
 * test_rng.c -- random streams are a pure function of (seed, replication,
 * name), distinct names and replications give distinct streams, GSL's
 * samplers work on them, and every distribution kind's quantile, CDF, mean
 * and sampler agree with each other.
 *
 * Golden values below were checked against an independent implementation
 * of splitmix64 and xoshiro256** (Blackman and Vigna's reference
 * algorithm, re-coded in Python), not just copied from this code's output:
 * if one changes, every published result changes with it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "outagesim/dist.h"
#include "outagesim/error.h"
#include "outagesim/rng.h"

/* ------------------------------------------------------------ streams */

/* Stream seeds recomputed by the independent Python implementation named above. */
static const struct {
    uint64_t seed, rep;
    const char *name;
    uint64_t index, want;
} pinned[] = {
    {42, 0, "incident", 0, 0x32f3df8e3c79a024ULL},
    {42, 7, "failover", 0, 0xb50d29735a0ccc40ULL},
    {0, 0, "", 0, 0x220360b5b93d25d5ULL},
    {UINT64_MAX, 1000000000000ULL, "racks", 0, 0x448dd5fc53c80564ULL},
    {1, 3, "restart", 0, 0xa62c140f254715aeULL},
    {42, 7, "failover", 3, 0x1e6c3357a4ee796cULL},
};
enum { NPINNED = sizeof(pinned) / sizeof(pinned[0]) };

static uint64_t pinned_seed(size_t i)
{
    return osim_rng_stream_seed_h(pinned[i].seed, pinned[i].rep, osim_rng_name_hash(pinned[i].name),
                                  pinned[i].index);
}

/*
 * Pure: the value depends on the arguments alone, not on what was computed
 * or drawn before. Each pinned value is checked first, last, in reverse
 * order and after other seeds were derived and streams drawn from, so hidden
 * state (a cache, a counter, a shared generator) would show as a mismatch.
 */
static void test_stream_seed_is_pure_and_pinned(void **state)
{
    gsl_rng *r = osim_rng_new();
    size_t i, k;

    (void)state;
    assert_non_null(r);
    for (i = 0; i < NPINNED; i++)
        assert_true(pinned_seed(i) == pinned[i].want);
    for (i = NPINNED; i-- > 0;) {
        /* Disturb: other names, replications and draws in between. */
        for (k = 0; k < 10; k++) {
            osim_rng_seed(r, osim_rng_stream_seed(k, i, pinned[(i + 1) % NPINNED].name));
            (void)gsl_rng_get(r);
        }
        assert_true(pinned_seed(i) == pinned[i].want);
        if (pinned[i].index == 0)
            assert_true(osim_rng_stream_seed(pinned[i].seed, pinned[i].rep, pinned[i].name) ==
                        pinned[i].want);
    }
    /* FNV-1a: "" is its offset basis; "incident" as computed independently. */
    assert_true(osim_rng_name_hash("") == 0xcbf29ce484222325ULL);
    assert_true(osim_rng_name_hash("incident") == 0x1349d55eb2fa1387ULL);
    gsl_rng_free(r);
}

static void test_generator_matches_reference(void **state)
{
    gsl_rng *r = osim_rng_new();

    (void)state;
    assert_non_null(r);
    osim_rng_seed(r, 12345);
    assert_true(gsl_rng_get(r) == 0xbe6a3637UL);
    assert_true(gsl_rng_uniform(r) == 0x1.0a555031bd344p-3);
    assert_true(gsl_rng_max(r) == 0xffffffffUL);
    assert_true(gsl_rng_min(r) == 0);
    gsl_rng_free(r);
}

static void test_distinct_inputs_give_distinct_streams(void **state)
{
    static const char *const names[] = {"incident", "failover",  "impact",
                                        "Incident", "incident ", ""};
    enum { NN = sizeof(names) / sizeof(names[0]), REPS = 50 };
    uint64_t seen[NN * REPS * 2];
    size_t n = 0, i, j;
    gsl_rng *a = osim_rng_new(), *b = osim_rng_new();

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    for (i = 0; i < NN; i++)
        for (j = 0; j < REPS; j++) {
            seen[n++] = osim_rng_stream_seed(1, j, names[i]);
            seen[n++] = osim_rng_stream_seed(2, j, names[i]);
        }
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            assert_true(seen[i] != seen[j]);
    /* Index and the high half of the master seed matter too. */
    assert_true(osim_rng_stream_seed_h(1, 0, 99, 0) != osim_rng_stream_seed_h(1, 0, 99, 1));
    assert_true(osim_rng_stream_seed(1ULL << 40, 0, "x") != osim_rng_stream_seed(0, 0, "x"));

    /* Different seeds give different draws; the same seed, the same draws. */
    osim_rng_seed(a, osim_rng_stream_seed(1, 0, "incident"));
    osim_rng_seed(b, osim_rng_stream_seed(1, 1, "incident"));
    {
        int differ = 0;
        for (i = 0; i < 100; i++)
            differ += gsl_rng_get(a) != gsl_rng_get(b);
        assert_true(differ > 95);
    }
    /* Seeds that differ only above bit 32 still give different streams. */
    osim_rng_seed(a, 5);
    osim_rng_seed(b, 5 | (1ULL << 50));
    assert_true(gsl_rng_get(a) != gsl_rng_get(b));
    /* Reseeding restarts the stream. */
    osim_rng_seed(a, 77);
    {
        unsigned long first[10];
        for (i = 0; i < 10; i++)
            first[i] = gsl_rng_get(a);
        osim_rng_seed(a, 77);
        for (i = 0; i < 10; i++)
            assert_true(gsl_rng_get(a) == first[i]);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* |mean of n draws - want| within 4 standard errors of the sample. */
static void check_mean(double sum, double sumsq, double n, double want, const char *what)
{
    double mean = sum / n, var = sumsq / n - mean * mean;
    double se = sqrt(var > 0.0 ? var / n : 0.0);

    if (!(fabs(mean - want) <= 4.0 * se + 1e-12 * fabs(want)))
        fail_msg("%s: sample mean %.9g, expected %.9g (4 SE = %.3g)", what, mean, want, 4.0 * se);
}

static void test_gsl_samplers_work_on_streams(void **state)
{
    enum { N = 100000 };
    gsl_rng *r = osim_rng_new();
    double s[5] = {0}, q[5] = {0};
    int i;

    (void)state;
    assert_non_null(r);
    osim_rng_seed(r, osim_rng_stream_seed(3, 0, "gsl"));
    for (i = 0; i < N; i++) {
        double x[5];
        unsigned long k = gsl_rng_uniform_int(r, 6);
        int j;

        assert_true(k < 6);
        x[0] = gsl_rng_uniform(r);
        x[1] = gsl_ran_gaussian(r, 2.0);
        x[2] = gsl_ran_exponential(r, 3.0); /* GSL takes the mean */
        x[3] = (double)gsl_ran_poisson(r, 4.5);
        x[4] = (double)k;
        assert_true(x[0] >= 0.0 && x[0] < 1.0);
        assert_true(gsl_rng_uniform_pos(r) > 0.0);
        for (j = 0; j < 5; j++) {
            s[j] += x[j];
            q[j] += x[j] * x[j];
        }
    }
    check_mean(s[0], q[0], N, 0.5, "uniform");
    check_mean(s[1], q[1], N, 0.0, "gaussian");
    check_mean(s[2], q[2], N, 3.0, "exponential");
    check_mean(s[3], q[3], N, 4.5, "poisson");
    check_mean(s[4], q[4], N, 2.5, "uniform_int");
    gsl_rng_free(r);
}

/* ------------------------------------------------------------ distributions */

static const double emp_value[] = {1.0, 2.0, 3.5, 5.0, 10.0};
static const double emp_cum[] = {0.0, 0.3, 0.5, 0.9, 1.0};
static const double emp_atom_value[] = {3.0, 4.0, 8.0};
static const double emp_atom_cum[] = {0.25, 0.75, 1.0};
static const double emp_inner_value[] = {1.0, 2.0, 2.0, 5.0};
static const double emp_inner_cum[] = {0.0, 0.3, 0.5, 1.0};

static osim_dist make(osim_dist_kind k, double p0, double p1, double p2)
{
    osim_dist d = osim_dist_fixed(0.0);

    d.kind = k;
    d.p[0] = p0;
    d.p[1] = p1;
    d.p[2] = p2;
    return d;
}

/* One of each continuous kind, unbounded. */
static size_t continuous_kinds(osim_dist *out)
{
    size_t n = 0;

    out[n++] = make(OSIM_DIST_UNIFORM, 2.0, 7.0, 0.0);
    out[n++] = make(OSIM_DIST_TRIANGULAR, 1.0, 2.0, 10.0);
    out[n++] = make(OSIM_DIST_TRIANGULAR, 0.0, 0.0, 4.0); /* mode at an end */
    out[n++] = make(OSIM_DIST_NORMAL, 5.0, 1.5, 0.0);
    out[n++] = make(OSIM_DIST_LOGNORMAL, log(12.0), 0.8, 0.0);
    out[n++] = make(OSIM_DIST_EXPONENTIAL, 6.0, 0.0, 0.0);
    out[n++] = make(OSIM_DIST_WEIBULL, 30.0, 1.7, 0.0);
    out[n++] = make(OSIM_DIST_WEIBULL, 2.0, 0.6, 0.0);
    out[n] = make(OSIM_DIST_EMPIRICAL, 0.0, 0.0, 0.0);
    out[n].n = 5;
    out[n].value = emp_value;
    out[n].cum = emp_cum;
    n++;
    return n;
}

/*
 * osim_dist_min is a lower bound of every draw, reached by the bounded
 * kinds; positive (never 0) for the kinds on (0, inf), so that "can this
 * rate be 0?" is answered no for them; raised by a lower bound.
 */
static void test_smallest_value(void **state)
{
    osim_dist d[16];
    size_t n = continuous_kinds(d), i;

    (void)state;
    for (i = 0; i < n; i++) {
        double m = osim_dist_min(&d[i]);
        assert_true(m <= osim_dist_quantile(&d[i], 1e-9));
        switch (d[i].kind) {
        case OSIM_DIST_UNIFORM:
        case OSIM_DIST_TRIANGULAR:
        case OSIM_DIST_EMPIRICAL:
            if (!(fabs(m - osim_dist_quantile(&d[i], 0.0)) <= 1e-6 * (1.0 + fabs(m))))
                fail_msg("%s: min %.17g, quantile(0) %.17g", osim_dist_kind_name(d[i].kind), m,
                         osim_dist_quantile(&d[i], 0.0));
            break;
        case OSIM_DIST_NORMAL: assert_true(isinf(m) && m < 0.0); break;
        default: assert_true(m > 0.0 && m < 1e-300); break;
        }
        d[i].lo = 1.5;
        assert_true(osim_dist_min(&d[i]) >= 1.5);
    }
    assert_true(osim_dist_min(&(osim_dist){.kind = OSIM_DIST_FIXED, .p = {4.0}, .lo = -INFINITY}) ==
                4.0);
}

static void test_quantile_cdf_round_trip(void **state)
{
    osim_dist d[16];
    size_t n = continuous_kinds(d), i;
    int k;

    (void)state;
    for (i = 0; i < n; i++) {
        for (k = 1; k < 1000; k++) {
            double u = k / 1000.0, x = osim_dist_quantile(&d[i], u), back;
            back = osim_dist_cdf(&d[i], x);
            if (!(fabs(back - u) < 1e-9))
                fail_msg("%s: cdf(quantile(%g)) = %.12g", osim_dist_kind_name(d[i].kind), u, back);
            /* quantile is non-decreasing */
            assert_true(osim_dist_quantile(&d[i], u - 0.0005) <= x);
        }
        /* and the other way round, away from flat parts of the CDF */
        for (k = 1; k < 100; k++) {
            double x = osim_dist_quantile(&d[i], k / 100.0);
            double again = osim_dist_quantile(&d[i], osim_dist_cdf(&d[i], x));
            if (!(fabs(again - x) <= 1e-7 * (1.0 + fabs(x))))
                fail_msg("%s: quantile(cdf(%.12g)) = %.12g", osim_dist_kind_name(d[i].kind), x,
                         again);
        }
    }

    /* FIXED: every quantile is the value, and the CDF steps there. */
    {
        osim_dist f = osim_dist_fixed(3.5);
        assert_true(osim_dist_quantile(&f, 0.01) == 3.5);
        assert_true(osim_dist_quantile(&f, 0.99) == 3.5);
        assert_true(osim_dist_cdf(&f, 3.5) == 1.0);
        assert_true(osim_dist_cdf(&f, nextafter(3.5, 0.0)) == 0.0);
    }
    /* EMPIRICAL with an atom at its first value: cdf(quantile(u)) >= u, equal above the atom. */
    {
        osim_dist e = make(OSIM_DIST_EMPIRICAL, 0.0, 0.0, 0.0);
        e.n = 3;
        e.value = emp_atom_value;
        e.cum = emp_atom_cum;
        assert_true(osim_dist_quantile(&e, 0.1) == 3.0);
        assert_true(osim_dist_cdf(&e, 3.0) == 0.25);
        assert_true(osim_dist_cdf(&e, 2.999) == 0.0);
        for (k = 1; k < 100; k++) {
            double u = k / 100.0, back = osim_dist_cdf(&e, osim_dist_quantile(&e, u));
            assert_true(back >= u - 1e-12);
            if (u > 0.25)
                assert_true(fabs(back - u) < 1e-12);
        }
    }
    /* A repeated value is an atom inside the table. */
    {
        osim_dist e = make(OSIM_DIST_EMPIRICAL, 0.0, 0.0, 0.0);
        e.n = 4;
        e.value = emp_inner_value;
        e.cum = emp_inner_cum;
        assert_true(osim_dist_quantile(&e, 0.4) == 2.0);
        assert_true(osim_dist_cdf(&e, 2.0) == 0.5);
        assert_true(fabs(osim_dist_cdf(&e, nextafter(2.0, 0.0)) - 0.3) < 1e-12);
        assert_true(fabs(osim_dist_mean(&e) - (0.3 * 1.5 + 0.2 * 2.0 + 0.5 * 3.5)) < 1e-12);
    }
    /* Bounds clamp the draw (not the CDF). */
    {
        osim_dist c = make(OSIM_DIST_EXPONENTIAL, 6.0, 0.0, 0.0);
        c.lo = 1.0;
        c.hi = 10.0;
        assert_true(osim_dist_quantile(&c, 0.001) == 1.0);
        assert_true(osim_dist_quantile(&c, 0.999) == 10.0);
        assert_true(fabs(osim_dist_quantile(&c, 0.5) - 6.0 * log(2.0)) < 1e-12);
    }
    /* Truncated NORMAL: the draw follows the renormalised law on [lo, hi]. */
    {
        osim_dist t = make(OSIM_DIST_NORMAL, 1.0, 2.0, 0.0);
        double flo = gsl_cdf_gaussian_P(0.0 - 1.0, 2.0), fhi = gsl_cdf_gaussian_P(4.0 - 1.0, 2.0);
        t.lo = 0.0;
        t.hi = 4.0;
        for (k = 1; k < 100; k++) {
            double u = k / 100.0, x = osim_dist_quantile(&t, u);
            assert_true(x >= 0.0 && x <= 4.0);
            assert_true(fabs((osim_dist_cdf(&t, x) - flo) / (fhi - flo) - u) < 1e-9);
        }
    }
}

static void test_sample_means(void **state)
{
    enum { N = 100000 };
    osim_dist d[16];
    size_t n = continuous_kinds(d), i;
    gsl_rng *r = osim_rng_new();

    (void)state;
    assert_non_null(r);
    d[n] = make(OSIM_DIST_EMPIRICAL, 0.0, 0.0, 0.0);
    d[n].n = 3;
    d[n].value = emp_atom_value;
    d[n].cum = emp_atom_cum;
    n++;
    d[n++] = osim_dist_fixed(2.25);
    for (i = 0; i < n; i++) {
        double s = 0.0, q = 0.0;
        int k;

        osim_rng_seed(r, osim_rng_stream_seed(11, i, "dist-mean"));
        for (k = 0; k < N; k++) {
            double x = osim_dist_sample(&d[i], r);
            s += x;
            q += x * x;
        }
        check_mean(s, q, N, osim_dist_mean(&d[i]), osim_dist_kind_name(d[i].kind));
    }
    /* A FIXED draw is the value itself and consumes no uniform. */
    {
        osim_dist f = osim_dist_fixed(2.25);
        gsl_rng *copy;
        osim_rng_seed(r, 5);
        copy = gsl_rng_clone(r);
        assert_non_null(copy);
        assert_true(osim_dist_sample(&f, r) == 2.25);
        assert_true(gsl_rng_get(r) == gsl_rng_get(copy));
        gsl_rng_free(copy);
    }
    gsl_rng_free(r);
}

static void test_lognormal_from_median_and_p95(void **state)
{
    /* dist.h: mu = ln(median), sigma = ln(p95 / median) / 1.6448536 */
    const double median = 18.0, p95 = 96.0;
    osim_dist d = make(OSIM_DIST_LOGNORMAL, log(median), log(p95 / median) / 1.6448536, 0.0);

    (void)state;
    assert_true(fabs(osim_dist_quantile(&d, 0.5) - median) < 1e-9 * median);
    assert_true(fabs(osim_dist_quantile(&d, 0.95) - p95) < 1e-6 * p95);
    assert_true(fabs(osim_dist_cdf(&d, median) - 0.5) < 1e-12);
    assert_true(fabs(osim_dist_cdf(&d, p95) - 0.95) < 1e-7);
    /* 1.6448536 is the standard normal's 95th percentile to 7 decimals. */
    assert_true(fabs(gsl_cdf_ugaussian_Pinv(0.95) - 1.6448536) < 1e-7);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(osim_dist_kind_name(OSIM_DIST_FIXED), "fixed");
    assert_string_equal(osim_dist_kind_name(OSIM_DIST_LOGNORMAL), "lognormal");
    assert_string_equal(osim_dist_kind_name(OSIM_DIST_EMPIRICAL), "empirical");
    assert_string_equal(osim_dist_kind_name((osim_dist_kind)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_seed_is_pure_and_pinned),
        cmocka_unit_test(test_generator_matches_reference),
        cmocka_unit_test(test_distinct_inputs_give_distinct_streams),
        cmocka_unit_test(test_gsl_samplers_work_on_streams),
        cmocka_unit_test(test_quantile_cdf_round_trip),
        cmocka_unit_test(test_smallest_value),
        cmocka_unit_test(test_sample_means),
        cmocka_unit_test(test_lognormal_from_median_and_p95),
        cmocka_unit_test(test_kind_names),
    };

    osim_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
