/*
 * test_impact.c -- invariants of the impact model (sim/model/impact.c,
 * sim/model/segment_loss.c, sim/model/dist_drawn.c).
 *
 * Checked: the closed-form moments of a draw agree with the inverse-CDF
 * integral and with Monte Carlo for every distribution kind, clamps
 * included; zero outage gives zero loss; figures scale exactly linearly in
 * population.users and in segment counts; a business with constant revenue
 * r and no substitution loses exactly r x d over a d-hour outage; hand-worked
 * user-hours, peaks, distinct users, bands (longest run, worst local day);
 * merging of more than OSIM_IMPACT_MAX_BANDS levels only overstates bands and
 * keeps totals exact; a Saturday-night outage costs shops less than a
 * weekday-noon one; the cohort method agrees with a brute-force simulation of
 * 2,000 businesses one by one within 4 standard errors (claimants too: the
 * cohort's sampled claimants against the businesses that filed one by one);
 * bad input is refused; with hundreds of services the distinct users'
 * totals equal, bit for bit, a span-by-span evaluation of the product.
 *
 * Scenarios and timelines are built in memory: no loader, no replay engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dist_drawn.h"
#include "outagesim/impact.h"
#include "outagesim/rng.h"

#define MAX_SVC 4
#define MAX_SEG 3
#define MAX_PTS 64

/* ------------------------------------------------------------- fixture */

typedef struct fixture {
    osim_scenario sc;
    osim_service sv[MAX_SVC];
    osim_segment seg[MAX_SEG];
    size_t deps[MAX_SEG][MAX_SVC];
    osim_replay_result rr;
    osim_service_outcome out[MAX_SVC];
    double t[MAX_SVC][MAX_PTS], a[MAX_SVC][MAX_PTS];
} fixture;

static osim_dist dist_unbounded(osim_dist_kind k, double p0, double p1, double p2)
{
    osim_dist d = {0};

    d.kind = k;
    d.p[0] = p0;
    d.p[1] = p1;
    d.p[2] = p2;
    d.lo = -INFINITY;
    d.hi = INFINITY;
    return d;
}

/* A world of nsvc services, each always up, used by everyone, flat profiles. */
static void fx_init(fixture *f, size_t nsvc, double users, double start_hour, int weekday)
{
    size_t i;

    memset(f, 0, sizeof(*f));
    f->sc.start_hour = start_hour;
    f->sc.start_weekday = weekday;
    f->sc.horizon_h = 336.0;
    f->sc.population.users = users;
    for (i = 0; i < 24; i++)
        f->sc.population.hourly[i] = 1.0;
    for (i = 0; i < 7; i++)
        f->sc.population.weekly[i] = 1.0;
    f->sc.services = f->sv;
    f->sc.services_count = nsvc;
    f->sc.segments = f->seg;
    f->rr.services = f->out;
    f->rr.services_count = nsvc;
    f->rr.horizon_h = 336.0;
    for (i = 0; i < nsvc; i++) {
        f->sv[i].user_share = 1.0;
        f->out[i].tl.t_h = f->t[i];
        f->out[i].tl.avail = f->a[i];
        f->out[i].tl.count = 1;
        f->out[i].tl.cap = MAX_PTS;
        f->t[i][0] = 0.0;
        f->a[i][0] = 1.0;
    }
}

/* Service i: availability pts[2k+1] from time pts[2k] (n points; first at 0). */
static void fx_timeline(fixture *f, size_t i, size_t n, const double *pts)
{
    size_t k;

    assert_true(n <= MAX_PTS);
    for (k = 0; k < n; k++) {
        f->t[i][k] = pts[2 * k];
        f->a[i][k] = pts[2 * k + 1];
    }
    f->out[i].tl.count = n;
}

/* Segment g: count businesses needing the first ndeps services, flat profiles. */
static osim_segment *fx_segment(fixture *f, size_t g, double count, size_t ndeps, osim_dist rev)
{
    osim_segment *s = &f->seg[g];
    size_t k;

    s->name = "seg";
    s->count = count;
    for (k = 0; k < ndeps; k++)
        f->deps[g][k] = k;
    s->deps = f->deps[g];
    s->deps_count = ndeps;
    s->hourly_revenue_krw = rev;
    for (k = 0; k < 24; k++)
        s->hourly_profile[k] = 1.0;
    for (k = 0; k < 7; k++)
        s->weekly_profile[k] = 1.0;
    if (g + 1 > f->sc.segments_count)
        f->sc.segments_count = g + 1;
    return s;
}

static osim_impact *fx_compute(fixture *f, gsl_rng *rng)
{
    osim_impact *im = NULL;

    assert_int_equal(osim_impact_new(&f->sc, &im), 0);
    assert_int_equal(osim_impact_compute(im, &f->rr, rng), 0);
    return im;
}

static void assert_close(double got, double want, double rel, double abs_tol)
{
    double tol = abs_tol + rel * fabs(want);

    if (!(fabs(got - want) <= tol)) {
        print_error("got %.17g want %.17g (tol %.3g)\n", got, want, tol);
        fail();
    }
}

/* |got - want| <= k standard errors. */
static void assert_within_se(const char *what, double got, double want, double se, double k)
{
    if (!(fabs(got - want) <= k * se + 1e-12 * fabs(want))) {
        print_error("%s: got %.10g want %.10g, %.2f SE (se %.4g)\n", what, got, want,
                    (got - want) / se, se);
        fail();
    }
}

/* ------------------------------------------------- moments of draws */

static const double emp_v[] = {1000.0, 1000.0, 4000.0, 4000.0, 9000.0};
static const double emp_c[] = {0.1, 0.3, 0.6, 0.7, 1.0};

/* Every kind, some clamped or truncated as a scenario may give them. */
static size_t drawn_cases(osim_dist *d)
{
    size_t n = 0;

    d[n++] = dist_unbounded(OSIM_DIST_FIXED, 5000.0, 0, 0);
    d[n] = dist_unbounded(OSIM_DIST_FIXED, 5000.0, 0, 0);
    d[n++].hi = 3000.0;
    d[n++] = dist_unbounded(OSIM_DIST_UNIFORM, 1000.0, 9000.0, 0);
    d[n] = dist_unbounded(OSIM_DIST_UNIFORM, 1000.0, 9000.0, 0);
    d[n].lo = 2000.0;
    d[n++].hi = 7000.0;
    d[n++] = dist_unbounded(OSIM_DIST_TRIANGULAR, 1000.0, 2500.0, 9000.0);
    d[n++] = dist_unbounded(OSIM_DIST_TRIANGULAR, 1e9, 1e9 + 2.0, 1e9 + 3.0);
    d[n] = dist_unbounded(OSIM_DIST_NORMAL, 3000.0, 2500.0, 0);
    d[n++].lo = 0.0;
    d[n] = dist_unbounded(OSIM_DIST_NORMAL, 3000.0, 2500.0, 0);
    d[n].lo = 1000.0;
    d[n++].hi = 6000.0;
    d[n++] =
        dist_unbounded(OSIM_DIST_LOGNORMAL, log(15000.0), log(40000.0 / 15000.0) / 1.6448536, 0);
    d[n] = dist_unbounded(OSIM_DIST_LOGNORMAL, log(15000.0), 0.8, 0);
    d[n].lo = 5000.0;
    d[n++].hi = 60000.0;
    d[n++] = dist_unbounded(OSIM_DIST_EXPONENTIAL, 4000.0, 0, 0);
    d[n] = dist_unbounded(OSIM_DIST_EXPONENTIAL, 4000.0, 0, 0);
    d[n++].hi = 10000.0;
    d[n++] = dist_unbounded(OSIM_DIST_WEIBULL, 5000.0, 0.7, 0);
    d[n++] = dist_unbounded(OSIM_DIST_WEIBULL, 5000.0, 3.0, 0);
    d[n] = dist_unbounded(OSIM_DIST_EMPIRICAL, 0, 0, 0);
    d[n].n = 5;
    d[n].value = emp_v;
    d[n++].cum = emp_c;
    return n;
}

static const double cut_a[] = {-INFINITY, 0.0, 1500.0, 2999.0, 4000.0, 1e9 + 1.0};
static const double cut_b[] = {INFINITY, 2000.0, 5000.0, 8000.0, 30000.0, 1e9 + 2.5};

/* E[X ; a < X <= b] by the midpoint rule on the inverse CDF over (F(a), F(b)]. */
static double quantile_partial(const osim_dist *d, double a, double b)
{
    const size_t n = 400000;
    double ua = a == -INFINITY ? 0.0 : osim__dist_drawn_cdf(d, a);
    double ub = b == INFINITY ? 1.0 : osim__dist_drawn_cdf(d, b);
    double h = (ub - ua) / (double)n, s = 0.0;
    size_t i;

    for (i = 0; i < n; i++)
        s += osim_dist_quantile(d, ua + ((double)i + 0.5) * h);
    return s * h;
}

static void test_drawn_vs_quadrature(void **state)
{
    osim_dist d[32];
    size_t n = drawn_cases(d), i, j;

    (void)state;
    for (i = 0; i < n; i++) {
        /* Means agree with osim_dist_mean when nothing is clamped. */
        if (isinf(d[i].lo) && isinf(d[i].hi))
            assert_close(osim__dist_drawn_mean(&d[i]), osim_dist_mean(&d[i]), 1e-12, 1e-9);
        for (j = 0; j < sizeof(cut_a) / sizeof(cut_a[0]); j++) {
            double got = osim__dist_drawn_partial(&d[i], cut_a[j], cut_b[j]);
            double want = quantile_partial(&d[i], cut_a[j], cut_b[j]);
            double scale = fabs(osim__dist_drawn_mean(&d[i]));
            assert_close(got, want, 2e-4, 1e-6 * scale);
        }
        assert_true(osim__dist_drawn_partial(&d[i], 5.0, 5.0) == 0.0);
        assert_true(osim__dist_drawn_partial(&d[i], 6.0, 5.0) == 0.0);
    }
}

/* Monte Carlo with osim_dist_sample: CDF and partial means within 4 SE. */
static void test_drawn_vs_monte_carlo(void **state)
{
    osim_dist d[32];
    size_t n = drawn_cases(d), i, j, k;
    const size_t draws = 200000;
    gsl_rng *r = osim_rng_new();

    (void)state;
    assert_non_null(r);
    osim_rng_seed(r, 20221015);
    for (i = 0; i < n; i++) {
        /* Moments are accumulated about the mean c so that values like 1e9
         * with a spread of 3 keep their precision. */
        double c = osim__dist_drawn_mean(&d[i]);
        double cnt[8] = {0}, sz[8] = {0}, szz[8] = {0};
        for (k = 0; k < draws; k++) {
            double x = osim_dist_sample(&d[i], r);
            for (j = 0; j < sizeof(cut_a) / sizeof(cut_a[0]); j++) {
                if (cut_a[j] < x && x <= cut_b[j]) {
                    cnt[j] += 1.0;
                    sz[j] += x - c;
                    szz[j] += (x - c) * (x - c);
                }
            }
        }
        for (j = 0; j < sizeof(cut_a) / sizeof(cut_a[0]); j++) {
            double p = cnt[j] / (double)draws, ez = sz[j] / (double)draws;
            double ezz = szz[j] / (double)draws;
            /* X 1[in] = Z + c 1[in] with Z = (X - c) 1[in]. */
            double m = ez + c * p;
            double var = (ezz - ez * ez) + c * c * p * (1.0 - p) + 2.0 * c * ez * (1.0 - p);
            double pw = osim__dist_drawn_cdf(&d[i], cut_b[j]) -
                        (cut_a[j] == -INFINITY ? 0.0 : osim__dist_drawn_cdf(&d[i], cut_a[j]));
            double se_p = sqrt(fmax(pw * (1.0 - pw), 1e-12) / (double)draws);
            double se_m = sqrt(fmax(var, 0.0) / (double)draws);
            assert_within_se("P(a<X<=b)", p, pw, se_p, 4.0);
            assert_within_se("E[X;a<X<=b]", m, osim__dist_drawn_partial(&d[i], cut_a[j], cut_b[j]),
                             se_m > 0.0 ? se_m : 1e-9, 4.0);
        }
    }
    gsl_rng_free(r);
}

/* The lognormal closed forms against GSL's own CDF and the textbook partial mean. */
static void test_drawn_lognormal_closed_form(void **state)
{
    osim_dist d = dist_unbounded(OSIM_DIST_LOGNORMAL, 9.6, 0.6, 0);
    double xs[] = {1000.0, 10000.0, 14765.0, 50000.0, 1e6};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
        double z = (log(xs[i]) - 9.6 - 0.36) / 0.6;
        assert_close(osim__dist_drawn_cdf(&d, xs[i]), gsl_cdf_lognormal_P(xs[i], 9.6, 0.6), 1e-14,
                     1e-15);
        assert_close(osim__dist_drawn_partial(&d, 0.0, xs[i]),
                     exp(9.6 + 0.18) * gsl_cdf_ugaussian_P(z), 1e-13, 1e-9);
    }
    assert_close(osim__dist_drawn_mean(&d), exp(9.6 + 0.18), 1e-14, 0.0);
}

/* ------------------------------------------------- segment loss mixture */

static void test_segment_loss_mixture(void **state)
{
    osim_segment seg = {0};
    osim_segment_impact si = {0};
    const size_t draws = 400000;
    const double cuts[] = {0.0, 300000.0, 500000.0, INFINITY};
    double cnt[3] = {0}, sum[3] = {0}, sum2[3] = {0};
    gsl_rng *r = osim_rng_new();
    size_t k, j;

    (void)state;
    seg.hourly_revenue_krw = dist_unbounded(OSIM_DIST_LOGNORMAL, log(15000.0), 0.6, 0);
    si.seg = &seg;
    si.bands_count = 3;
    si.bands[0] = (osim_band){.share = 0.5, .lost_h = 10.0};
    si.bands[1] = (osim_band){.share = 0.3, .lost_h = 30.0};
    si.bands[2] = (osim_band){.share = 0.2, .lost_h = 0.0};
    osim_rng_seed(r, 7);
    for (k = 0; k < draws; k++) {
        double u = gsl_rng_uniform(r), R = osim_dist_sample(&seg.hourly_revenue_krw, r);
        double L = R * (u < 0.5 ? 10.0 : (u < 0.8 ? 30.0 : 0.0));
        for (j = 0; j < 3; j++) {
            if (cuts[j] < L && L <= cuts[j + 1]) {
                cnt[j] += 1.0;
                sum[j] += L;
                sum2[j] += L * L;
            }
        }
    }
    /* Losses of exactly 0 (the band with no lost hours) are the CDF's atom at 0. */
    assert_close(osim_segment_loss_cdf(&si, 0.0), 0.2, 1e-12, 0.0);
    assert_true(osim_segment_loss_cdf(&si, -1.0) == 0.0);
    assert_close(osim_segment_loss_cdf(&si, INFINITY), 1.0, 1e-12, 0.0);
    for (j = 0; j < 3; j++) {
        double pw = osim_segment_loss_cdf(&si, cuts[j + 1]) - osim_segment_loss_cdf(&si, cuts[j]);
        double m = sum[j] / (double)draws, var = sum2[j] / (double)draws - m * m;
        assert_within_se("share in bracket", cnt[j] / (double)draws, pw,
                         sqrt(pw * (1.0 - pw) / (double)draws), 4.0);
        assert_within_se("partial", m, osim_segment_loss_partial(&si, cuts[j], cuts[j + 1]),
                         sqrt(var / (double)draws), 4.0);
    }
    /* The whole partial mean is the mixture mean. */
    assert_close(osim_segment_loss_partial(&si, -INFINITY, INFINITY),
                 (0.5 * 10.0 + 0.3 * 30.0) * exp(log(15000.0) + 0.18), 1e-12, 0.0);
    /* No bands: nobody affected, every loss is 0. */
    si.bands_count = 0;
    assert_true(osim_segment_loss_cdf(&si, 0.0) == 1.0);
    assert_true(osim_segment_loss_partial(&si, -INFINITY, INFINITY) == 0.0);
    gsl_rng_free(r);
}

/* ----------------------------------------------------- basic invariants */

static void test_zero_outage(void **state)
{
    fixture f;
    osim_impact *im;
    size_t s;

    (void)state;
    fx_init(&f, 2, 48e6, 15.0 + 19.0 / 60.0, 5);
    f.sv[0].paid = true;
    f.sv[0].subscribers = 1e6;
    fx_segment(&f, 0, 230000.0, 2, dist_unbounded(OSIM_DIST_LOGNORMAL, 9.6, 0.6, 0))->claim_rate =
        0.5;
    im = fx_compute(&f, NULL);
    assert_true(im->user_hours_lost == 0.0 && im->peak_affected == 0.0 &&
                im->distinct_affected == 0.0);
    for (s = 0; s < 2; s++) {
        assert_true(im->services[s].user_hours_lost == 0.0);
        assert_true(im->services[s].peak_affected == 0.0 && im->services[s].affected == 0.0);
        assert_true(im->services[s].subscriber_hours_lost == 0.0);
        assert_int_equal(im->services[s].bands_count, 0);
    }
    assert_true(im->sb_affected == 0.0 && im->sb_revenue_loss_krw == 0.0 &&
                im->sb_lost_profit_krw == 0.0 && im->sb_claimants == 0.0);
    assert_int_equal(im->segments[0].bands_count, 0);
    assert_true(osim_segment_loss_partial(&im->segments[0], -INFINITY, INFINITY) == 0.0);
    osim_impact_free(im);
}

/* Two outaged services, a segment on both; used by the scaling tests. */
static void fx_two_outages(fixture *f, double users, double count)
{
    static const double a[] = {0, 1, 1, 0.4, 10, 0.5, 30, 0.8, 60, 1};
    static const double b[] = {0, 1, 2, 0.6, 20, 0.9, 45, 1};
    osim_segment *s;
    size_t h;

    fx_init(f, 2, users, 15.0 + 19.0 / 60.0, 5);
    for (h = 0; h < 24; h++)
        f->sc.population.hourly[h] = (h >= 1 && h < 7) ? 0.1 : 0.6;
    f->sc.population.weekly[5] = 1.2;
    f->sv[0].user_share = 0.95;
    f->sv[1].user_share = 0.5;
    f->sv[1].paid = true;
    f->sv[1].subscribers = users / 100.0;
    fx_timeline(f, 0, 5, a);
    fx_timeline(f, 1, 4, b);
    s = fx_segment(
        f, 0, count, 2,
        dist_unbounded(OSIM_DIST_LOGNORMAL, log(15000.0), log(40000.0 / 15000.0) / 1.6448536, 0));
    s->substitution = 0.3;
    s->deferred = 0.1;
    s->margin = 0.25;
    s->claim_rate = 0.1;
}

static void test_scaling_is_linear(void **state)
{
    fixture f1, f2;
    osim_impact *i1, *i2;
    size_t s, b;

    (void)state;
    fx_two_outages(&f1, 48e6, 8000.0);
    fx_two_outages(&f2, 96e6, 16000.0);
    /* Doubling is exact in binary floating point, so the results must be too. */
    i1 = fx_compute(&f1, NULL);
    i2 = fx_compute(&f2, NULL);
    assert_true(i1->user_hours_lost > 0.0);
    assert_close(i2->user_hours_lost, 2.0 * i1->user_hours_lost, 0.0, 0.0);
    assert_close(i2->peak_affected, 2.0 * i1->peak_affected, 0.0, 0.0);
    assert_close(i2->distinct_affected, 2.0 * i1->distinct_affected, 0.0, 0.0);
    for (s = 0; s < 2; s++) {
        assert_close(i2->services[s].user_hours_lost, 2.0 * i1->services[s].user_hours_lost, 0.0,
                     0.0);
        assert_close(i2->services[s].affected, 2.0 * i1->services[s].affected, 0.0, 0.0);
        assert_close(i2->services[s].subscriber_hours_lost,
                     2.0 * i1->services[s].subscriber_hours_lost, 0.0, 0.0);
        /* Bands are shares: they do not move at all. */
        assert_int_equal(i2->services[s].bands_count, i1->services[s].bands_count);
        for (b = 0; b < i1->services[s].bands_count; b++)
            assert_true(memcmp(&i1->services[s].bands[b], &i2->services[s].bands[b],
                               sizeof(osim_band)) == 0);
    }
    assert_close(i2->sb_affected, 2.0 * i1->sb_affected, 0.0, 0.0);
    assert_close(i2->sb_revenue_loss_krw, 2.0 * i1->sb_revenue_loss_krw, 0.0, 0.0);
    assert_close(i2->sb_lost_profit_krw, 2.0 * i1->sb_lost_profit_krw, 0.0, 0.0);
    assert_close(i2->sb_claimants, 2.0 * i1->sb_claimants, 1e-15, 0.0);
    osim_impact_free(i1);
    osim_impact_free(i2);
}

/* A business with constant revenue r, no substitution, out for d hours, loses r d. */
static void test_constant_revenue_loses_r_times_d(void **state)
{
    static const double pts[] = {0, 1, 3.25, 0, 8.75, 1};
    const double r = 12345.0, d = 8.75 - 3.25;
    fixture f;
    osim_impact *im;
    osim_segment_impact *si;

    (void)state;
    fx_init(&f, 1, 1000.0, 15.25, 5);
    fx_timeline(&f, 0, 3, pts);
    fx_segment(&f, 0, 1.0, 1, osim_dist_fixed(r));
    im = fx_compute(&f, NULL);
    si = &im->segments[0];
    assert_true(si->affected == 1.0);
    assert_true(si->revenue_loss_krw == r * d); /* exact: every piece is dyadic */
    assert_int_equal(si->bands_count, 1);
    assert_true(si->bands[0].share == 1.0 && si->bands[0].lost_h == d);
    assert_true(si->bands[0].outage_h == d && si->bands[0].longest_h == d);
    assert_true(osim_segment_loss_cdf(si, r * d - 1.0) == 0.0);
    assert_true(osim_segment_loss_cdf(si, r * d) == 1.0);
    assert_true(osim_segment_loss_partial(si, 0.0, INFINITY) == r * d);
    /* Margin and the substitution/deferral discount are plain factors. */
    f.seg[0].substitution = 0.25;
    f.seg[0].deferred = 0.25;
    f.seg[0].margin = 0.5;
    assert_int_equal(osim_impact_compute(im, &f.rr, NULL), 0);
    assert_true(si->revenue_loss_krw == 0.5 * r * d);
    assert_true(si->lost_profit_krw == 0.25 * r * d);
    assert_true(si->bands[0].lost_h == 0.5 * d && si->bands[0].outage_h == d);
    osim_impact_free(im);
}

/* User-hours, peaks, affected and subscriber hours worked by hand. */
static void test_users_by_hand(void **state)
{
    static const double a[] = {0, 1, 2, 0.2, 5, 1};  /* 3 h at 0.2 */
    static const double b[] = {0, 1, 4, 0.5, 10, 1}; /* 6 h at 0.5 */
    fixture f;
    osim_impact *im;
    double share_out;

    (void)state;
    fx_init(&f, 2, 1000.0, 0.0, 0);
    f.sv[0].user_share = 0.5;
    f.sv[1].user_share = 0.4;
    f.sv[1].paid = true;
    f.sv[1].subscribers = 100.0;
    fx_timeline(&f, 0, 3, a);
    fx_timeline(&f, 1, 3, b);
    im = fx_compute(&f, NULL);
    assert_close(im->services[0].user_hours_lost, 1000 * 0.5 * 0.8 * 3, 1e-14, 0);
    assert_close(im->services[0].peak_affected, 1000 * 0.5 * 0.8, 1e-14, 0);
    assert_close(im->services[0].affected, 1000 * 0.5 * 0.8, 1e-14, 0);
    assert_true(im->services[0].subscriber_hours_lost == 0.0); /* not paid */
    assert_close(im->services[1].user_hours_lost, 1000 * 0.4 * 0.5 * 6, 1e-14, 0);
    assert_close(im->services[1].subscriber_hours_lost, 100 * 0.5 * 6, 1e-14, 0);
    /* Distinct: out of A w.p. 0.4, of B w.p. 0.2, independently. */
    /* 2-4: A only; 4-5: both; 5-10: B only. */
    share_out = 1.0 - (1.0 - 0.4) * (1.0 - 0.2);
    assert_close(im->user_hours_lost, 1000 * (0.4 * 2 + share_out * 1 + 0.2 * 5), 1e-14, 0);
    assert_close(im->peak_affected, 1000 * share_out, 1e-14, 0);
    assert_close(im->distinct_affected, 1000 * share_out, 1e-14, 0);
    /* Overlap is counted once: distinct users never exceed the sum over services. */
    assert_true(im->distinct_affected < im->services[0].affected + im->services[1].affected);
    osim_impact_free(im);
}

/* The peak is the worst moment of active x unavailability, not the worst of each. */
static void test_peak_follows_profile(void **state)
{
    /* Start at 00:00: 0.5 out from 01:00 to 03:00, 0.2 out from 03:00 to 05:00. */
    static const double a[] = {0, 1, 1, 0.5, 3, 0.8, 5, 1};
    fixture f;
    osim_impact *im;
    size_t h;

    (void)state;
    fx_init(&f, 1, 1000.0, 0.0, 0);
    for (h = 0; h < 24; h++)
        f.sc.population.hourly[h] = 0.1;
    f.sc.population.hourly[4] = 0.9;
    fx_timeline(&f, 0, 4, a);
    im = fx_compute(&f, NULL);
    /* 04:00-05:00: 900 active x 0.2 = 180 beats 100 active x 0.5 = 50. */
    assert_close(im->services[0].peak_affected, 180.0, 1e-14, 0);
    assert_close(im->peak_affected, 180.0, 1e-14, 0);
    assert_close(im->services[0].user_hours_lost, 100 * 0.5 * 2 + 100 * 0.2 + 900 * 0.2, 1e-14, 0);
    assert_close(im->services[0].affected, 500.0, 1e-14, 0);
    osim_impact_free(im);
}

/* Revenue is priced with the mean of the draws, clamps included. */
static void test_revenue_mean_is_clamped(void **state)
{
    static const double a[] = {0, 1, 1, 0, 3, 1};
    fixture f;
    osim_impact *im;
    osim_dist d = dist_unbounded(OSIM_DIST_LOGNORMAL, log(15000.0), 1.0, 0);
    double m;

    (void)state;
    d.hi = 20000.0;
    m = osim__dist_drawn_mean(&d);
    assert_true(m < 0.9 * osim_dist_mean(&d));
    fx_init(&f, 1, 1000.0, 0.0, 0);
    fx_timeline(&f, 0, 3, a);
    fx_segment(&f, 0, 50.0, 1, d);
    im = fx_compute(&f, NULL);
    assert_close(im->segments[0].revenue_loss_krw, 50.0 * 2.0 * m, 1e-14, 0);
    assert_close(osim_segment_loss_partial(&im->segments[0], -INFINITY, INFINITY), 2.0 * m, 1e-14,
                 0);
    assert_true(osim_segment_loss_cdf(&im->segments[0], 2.0 * 20000.0) == 1.0);
    assert_true(osim_segment_loss_cdf(&im->segments[0], 2.0 * 20000.0 - 1.0) < 0.8);
    osim_impact_free(im);
}

/* An outage still running at the horizon counts up to the horizon, not beyond. */
static void test_outage_to_horizon(void **state)
{
    static const double a[] = {0, 1, 300, 0.5};
    static const double b[] = {0, 1, 2, 0, 3, 1};
    fixture f;
    osim_impact *im;

    (void)state;
    fx_init(&f, 2, 1000.0, 0.0, 0);
    fx_timeline(&f, 0, 2, a);
    fx_timeline(&f, 1, 3, b);
    fx_segment(&f, 0, 10.0, 2, osim_dist_fixed(100.0));
    im = fx_compute(&f, NULL);
    assert_close(im->services[0].user_hours_lost, 1000.0 * 0.5 * 36.0, 1e-14, 0);
    assert_close(im->services[0].bands[0].longest_h, 36.0, 1e-14, 0);
    assert_close(im->services[0].bands[0].worst_day_h, 24.0, 1e-14, 0);
    /* The segment needs both: out 1 h fully, then 36 h at half. */
    assert_close(im->segments[0].revenue_loss_krw, 10.0 * 100.0 * (1.0 + 0.5 * 36.0), 1e-14, 0);
    assert_int_equal(im->segments[0].bands_count, 2);
    assert_close(im->segments[0].bands[1].lost_h, 37.0, 1e-14, 0);
    assert_close(im->segments[0].bands[0].lost_h, 1.0, 1e-14, 0);
    osim_impact_free(im);
}

/* Active users follow the local clock from a Saturday afternoon ignition. */
static void test_active_users_local_time(void **state)
{
    fixture f;
    size_t h;

    (void)state;
    fx_init(&f, 1, 1000.0, 15.0 + 19.0 / 60.0, 5);
    for (h = 0; h < 24; h++)
        f.sc.population.hourly[h] = (double)h / 100.0;
    for (h = 0; h < 7; h++)
        f.sc.population.weekly[h] = 1.0 + (double)h;
    assert_close(osim_active_users(&f.sc, 0.0), 1000 * 0.15 * 6, 1e-15, 0);
    assert_close(osim_active_users(&f.sc, 0.7), 1000 * 0.16 * 6, 1e-15, 0);
    /* 8 h 41 m after 15:19 Saturday is exactly Sunday midnight. */
    assert_close(osim_active_users(&f.sc, 8.0 + 41.0 / 60.0 + 1e-9), 0.0, 0, 0);
    assert_close(osim_active_users(&f.sc, 9.0 + 41.0 / 60.0 + 1e-9), 1000 * 0.01 * 7, 1e-15, 0);
    /* Monday 10:30 is 43 h 11 m later. */
    assert_close(osim_active_users(&f.sc, 43.0 + 11.0 / 60.0), 1000 * 0.10 * 1, 1e-15, 0);
    /* A week later, the same. */
    assert_close(osim_active_users(&f.sc, 168.7), osim_active_users(&f.sc, 0.7), 1e-15, 0);
}

/* Bands: share, cumulative, longest run and worst local calendar day. */
static void test_bands_by_hand(void **state)
{
    /* Start Monday 20:00. Out at 0.5 from 22:00 to 03:00 (5 h, 2 h then 3 h
     * across midnight), back, then out at 0 from 06:00 to 07:00. */
    static const double a[] = {0, 1, 2, 0.5, 7, 1, 10, 0, 11, 1};
    fixture f;
    osim_impact *im;
    const osim_band *b;

    (void)state;
    fx_init(&f, 1, 1000.0, 20.0, 0);
    fx_timeline(&f, 0, 5, a);
    im = fx_compute(&f, NULL);
    assert_int_equal(im->services[0].bands_count, 2);
    b = im->services[0].bands;
    /* Users ranked in [0, 0.5): out only while availability is 0. */
    assert_close(b[0].share, 0.5, 0, 0);
    assert_close(b[0].outage_h, 1.0, 1e-15, 0);
    assert_close(b[0].longest_h, 1.0, 1e-15, 0);
    assert_close(b[0].worst_day_h, 1.0, 1e-15, 0);
    assert_close(b[0].lost_h, 1.0, 1e-15, 0);
    /* Users in [0.5, 1): out 5 h then 1 h; Tuesday holds 3 + 1 h. */
    assert_close(b[1].share, 0.5, 0, 0);
    assert_close(b[1].outage_h, 6.0, 1e-15, 0);
    assert_close(b[1].longest_h, 5.0, 1e-15, 0);
    assert_close(b[1].worst_day_h, 4.0, 1e-15, 0);
    osim_impact_free(im);
}

/* More distinct levels than bands: merged conservatively, totals exact. */
static void test_band_merging(void **state)
{
    double pts[2 * 42];
    fixture f;
    osim_impact *im;
    const osim_service_impact *si;
    double shares = 0.0, over = 0.0, exact = 0.0, rev_bands = 0.0;
    size_t i, j;

    (void)state;
    fx_init(&f, 1, 1000.0, 0.0, 0);
    pts[0] = 0.0;
    pts[1] = 1.0;
    for (i = 0; i < 40; i++) { /* hour i+1: availability 1 - (i+1)/50, all distinct */
        pts[2 * (i + 1)] = (double)(i + 1);
        pts[2 * (i + 1) + 1] = 1.0 - (double)(i + 1) / 50.0;
        exact += (double)(i + 1) / 50.0;
    }
    pts[82] = 41.0;
    pts[83] = 1.0;
    fx_timeline(&f, 0, 42, pts);
    fx_segment(&f, 0, 100.0, 1, osim_dist_fixed(1000.0));
    im = fx_compute(&f, NULL);
    si = &im->services[0];
    assert_int_equal(si->bands_count, OSIM_IMPACT_MAX_BANDS);
    for (j = 0; j < si->bands_count; j++) {
        shares += si->bands[j].share;
        over += si->bands[j].share * si->bands[j].outage_h;
        assert_true(si->bands[j].share > 0.0);
        assert_true(si->bands[j].longest_h <= si->bands[j].outage_h + 1e-12);
        /* Every band is out at least as long as its best-off member would be:
         * a user ranked v is out for the hours i with 1 - (i+1)/50 <= v. */
        if (j > 0)
            assert_true(si->bands[j].outage_h >= si->bands[j - 1].outage_h);
    }
    assert_close(shares, 1.0 - 0.2, 1e-12, 0);
    assert_true(over >= exact - 1e-12); /* conservative */
    /* 40 levels into 32 bands takes 8 merges; the best possible merges two
     * 0.02-wide bands whose outages differ by 1 h, overstating by 0.02 h
     * each. Narrowest-first merging achieves that optimum here. */
    assert_true(over <= exact + 8 * 0.02 * 1.0 + 1e-9);
    assert_close(si->user_hours_lost, 1000.0 * exact, 1e-12, 0); /* totals exact */
    assert_close(im->segments[0].revenue_loss_krw, 100.0 * 1000.0 * exact, 1e-12, 0);
    for (j = 0; j < im->segments[0].bands_count; j++)
        rev_bands += im->segments[0].bands[j].share * im->segments[0].bands[j].lost_h;
    assert_true(im->segments[0].affected * 1000.0 * rev_bands >=
                im->segments[0].revenue_loss_krw * (1.0 - 1e-12));
    osim_impact_free(im);
}

/* Shops lose less to a Saturday-night outage than to a weekday-noon one. */
static void test_saturday_night_cheaper_than_weekday_noon(void **state)
{
    static const double pts[] = {0, 1, 0.5, 0, 4.5, 1}; /* 4 h out, from 30 min in */
    static const double shop_hourly[24] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.3, 0.6,
                                           1.0, 1.4, 1.6, 1.8, 2.0, 1.9, 1.7, 1.6,
                                           1.5, 1.5, 1.6, 1.4, 1.0, 0.6, 0.3, 0.2};
    static const double shop_weekly[7] = {1.05, 1.05, 1.05, 1.05, 1.1, 0.9, 0.8};
    double loss[2];
    size_t k;

    (void)state;
    for (k = 0; k < 2; k++) {
        fixture f;
        osim_impact *im;
        osim_segment *s;
        /* k = 0: Saturday 21:30 -> out 22:00-02:00; k = 1: Wednesday 10:30 -> out 11:00-15:00. */
        fx_init(&f, 1, 1000.0, k == 0 ? 21.5 : 10.5, k == 0 ? 5 : 2);
        fx_timeline(&f, 0, 3, pts);
        s = fx_segment(&f, 0, 1000.0, 1, dist_unbounded(OSIM_DIST_LOGNORMAL, 9.6, 0.6, 0));
        memcpy(s->hourly_profile, shop_hourly, sizeof(shop_hourly));
        memcpy(s->weekly_profile, shop_weekly, sizeof(shop_weekly));
        im = fx_compute(&f, NULL);
        loss[k] = im->segments[0].revenue_loss_krw;
        assert_true(im->segments[0].affected == 1000.0);
        /* The same outage hours, differently priced. */
        assert_close(im->segments[0].bands[0].outage_h, 4.0, 1e-15, 0);
        if (k == 0)
            assert_close(im->segments[0].bands[0].lost_h, 0.9 * (0.3 + 0.2) + 0.8 * (0.1 + 0.1),
                         1e-14, 0);
        else
            assert_close(im->segments[0].bands[0].lost_h, 1.05 * (1.8 + 2.0 + 1.9 + 1.7), 1e-14, 0);
        osim_impact_free(im);
    }
    assert_true(loss[0] < loss[1]);
}

/* ------------------------------------------------------ brute force */

#define BF_N 2000
#define BF_MIN (336 * 60)

/*
 * Simulate BF_N businesses one by one: each draws its revenue and its rank,
 * integrates its own loss minute by minute from the timelines (every
 * breakpoint and hour boundary lies on the minute grid, so this is exact),
 * and files a claim with probability claim_rate. Compare with the cohort
 * figures within 4 standard errors.
 */
static void brute_force_case(osim_dist rev, uint64_t seed)
{
    fixture f;
    osim_impact *im;
    osim_segment *s;
    const osim_segment_impact *si;
    static double a_min[BF_MIN], w_min[BF_MIN];
    static const double shop_hourly[24] = {0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7,
                                           1.0, 1.3, 1.5, 1.7, 1.9, 1.8, 1.6, 1.5,
                                           1.4, 1.4, 1.5, 1.3, 1.0, 0.7, 0.5, 0.3};
    double n_aff = 0, n_claim = 0, sum_l = 0, sum_l2 = 0, sum_all = 0, sum_all2 = 0;
    double n_b1 = 0, n_b2 = 0, p2_sum = 0, p2_sum2 = 0, keep, p_aff;
    gsl_rng *r = osim_rng_new();
    size_t i, m;

    assert_non_null(r);
    fx_two_outages(&f, 48e6, BF_N);
    s = &f.seg[0];
    s->hourly_revenue_krw = rev;
    memcpy(s->hourly_profile, shop_hourly, sizeof(shop_hourly));
    s->weekly_profile[5] = 0.9;
    s->weekly_profile[6] = 0.7;
    keep = 1.0 - s->substitution - s->deferred;
    im = fx_compute(&f, NULL);
    si = &im->segments[0];

    /* Per-minute availability (product) and revenue weight, midpoints. */
    for (m = 0; m < BF_MIN; m++) {
        double t = ((double)m + 0.5) / 60.0, tau = f.sc.start_hour + t, a = 1.0;
        long h = (long)floor(tau);
        size_t k;
        for (k = 0; k < 2; k++) {
            const osim_timeline *tl = &f.out[k].tl;
            size_t c = 0;
            while (c + 1 < tl->count && tl->t_h[c + 1] <= t)
                c++;
            a *= tl->avail[c];
        }
        a_min[m] = a;
        w_min[m] = s->hourly_profile[h % 24] * s->weekly_profile[(5 + h / 24) % 7] / 60.0;
    }
    osim_rng_seed(r, seed);
    for (i = 0; i < BF_N; i++) {
        double R = osim_dist_sample(&s->hourly_revenue_krw, r), v = gsl_rng_uniform(r);
        double lost = 0.0, L;
        int out = 0;
        for (m = 0; m < BF_MIN; m++) {
            if (v >= a_min[m]) {
                out = 1;
                lost += w_min[m];
            }
        }
        L = R * lost * keep;
        sum_all += L;
        sum_all2 += L * L;
        if (!out)
            continue;
        n_aff += 1;
        n_claim += gsl_rng_uniform(r) < s->claim_rate;
        sum_l += L;
        sum_l2 += L * L;
        if (L <= 300000.0)
            n_b1 += 1;
        else if (L <= 500000.0) {
            n_b2 += 1;
            p2_sum += L;
            p2_sum2 += L * L;
        }
    }
    /* Affected businesses: Binomial(N, 1 - min a). */
    p_aff = si->affected / BF_N;
    assert_within_se("affected", n_aff, si->affected, sqrt(BF_N * p_aff * (1 - p_aff)), 4.0);
    /* Total revenue loss. */
    {
        double mean = sum_all / BF_N, sd = sqrt(sum_all2 / BF_N - mean * mean);
        assert_within_se("revenue loss", sum_all, si->revenue_loss_krw, sqrt((double)BF_N) * sd,
                         4.0);
        assert_close(si->lost_profit_krw, si->revenue_loss_krw * s->margin, 1e-15, 0);
    }
    /* Per affected business: mean loss, brackets and partial sums. */
    {
        double mean = sum_l / n_aff, sd = sqrt(sum_l2 / n_aff - mean * mean);
        double p1 = osim_segment_loss_cdf(si, 300000.0);
        double p2 = osim_segment_loss_cdf(si, 500000.0) - p1;
        double part = osim_segment_loss_partial(si, 300000.0, 500000.0);
        double pm = p2_sum / n_aff, psd = sqrt(p2_sum2 / n_aff - pm * pm);
        double claim_p = s->claim_rate;
        assert_within_se("mean loss", mean, osim_segment_loss_partial(si, -INFINITY, INFINITY),
                         sd / sqrt(n_aff), 4.0);
        assert_true(p1 > 0.05 && p1 < 0.95); /* the brackets are informative here */
        assert_within_se("P(L<=300k)", n_b1 / n_aff, p1, sqrt(p1 * (1 - p1) / n_aff), 4.0);
        assert_within_se("P(300k<L<=500k)", n_b2 / n_aff, p2, sqrt(p2 * (1 - p2) / n_aff), 4.0);
        assert_within_se("E[L;300k<L<=500k]", pm, part, psd / sqrt(n_aff), 4.0);
        assert_within_se("claimants vs expectation", n_claim, si->affected * claim_p,
                         sqrt(si->affected * claim_p * (1 - claim_p)), 4.0);
    }
    /*
     * The cohort's sampled claimants, the figure the compensation models
     * count: drawn from K replication streams, each a whole number of the
     * affected businesses, their mean meets the businesses above that filed
     * one by one, within 4 SE of the difference (the brute-force count is
     * Binomial(BF_N, P(affected) x claim_rate)).
     */
    {
        enum { K = 200 };
        double claim_p = s->claim_rate, n_cohort = nearbyint(si->affected);
        double q = si->affected / BF_N * claim_p, sum_c = 0.0, sum_c2 = 0.0, se, var, bvar;
        gsl_rng *rc = osim_rng_new();
        int k;

        assert_non_null(rc);
        for (k = 0; k < K; k++) {
            double c;
            osim_rng_seed(rc, osim_rng_stream_seed(seed, (uint64_t)k, "claimants"));
            assert_int_equal(osim_impact_compute(im, &f.rr, rc), 0);
            c = im->segments[0].claimants;
            assert_true(c == floor(c) && c >= 0.0 && c <= n_cohort);
            sum_c += c;
            sum_c2 += c * c;
        }
        bvar = n_cohort * claim_p * (1 - claim_p);
        se = sqrt(BF_N * q * (1 - q) + bvar / K);
        assert_within_se("sampled claimants", sum_c / K, n_claim, se, 4.0);
        /* Sampled, not the expectation: they spread as the binomial does (the
         * sample variance of K draws is within about 4 SE of it). */
        var = (sum_c2 - sum_c * sum_c / K) / (K - 1);
        assert_true(var > 0.6 * bvar && var < 1.5 * bvar);
        gsl_rng_free(rc);
    }
    osim_impact_free(im);
    gsl_rng_free(r);
}

static void test_brute_force_lognormal(void **state)
{
    (void)state;
    brute_force_case(
        dist_unbounded(OSIM_DIST_LOGNORMAL, log(15000.0), log(40000.0 / 15000.0) / 1.6448536, 0),
        101);
}

static void test_brute_force_empirical(void **state)
{
    static const double v[] = {2000.0, 10000.0, 25000.0, 60000.0};
    static const double c[] = {0.05, 0.5, 0.9, 1.0};
    osim_dist d = dist_unbounded(OSIM_DIST_EMPIRICAL, 0, 0, 0);

    (void)state;
    d.n = 4;
    d.value = v;
    d.cum = c;
    brute_force_case(d, 202);
}

static void test_brute_force_clamped_weibull(void **state)
{
    osim_dist d = dist_unbounded(OSIM_DIST_WEIBULL, 16000.0, 1.3, 0);

    (void)state;
    d.lo = 3000.0;
    d.hi = 45000.0;
    brute_force_case(d, 303);
}

/* ------------------------------------------------------ claimants, errors */

static void test_claimants_sampled(void **state)
{
    fixture f;
    osim_impact *im;
    gsl_rng *r = osim_rng_new();
    double sum = 0.0, first;
    const int reps = 400;
    int k;

    (void)state;
    fx_two_outages(&f, 48e6, 8000.0);
    im = fx_compute(&f, NULL);
    first = im->segments[0].claimants; /* no stream: the expectation */
    assert_close(first, nearbyint(im->segments[0].affected) * 0.1, 1e-15, 0);
    for (k = 0; k < reps; k++) {
        double c;
        osim_rng_seed(r, (uint64_t)k);
        assert_int_equal(osim_impact_compute(im, &f.rr, r), 0);
        c = im->segments[0].claimants;
        assert_true(c == floor(c) && c >= 0.0 && c <= nearbyint(im->segments[0].affected));
        sum += c;
    }
    assert_within_se("mean claimants", sum / reps, first, sqrt(first * 0.9 / reps), 4.0);
    /* Same stream state, same draw. */
    osim_rng_seed(r, 5);
    assert_int_equal(osim_impact_compute(im, &f.rr, r), 0);
    first = im->segments[0].claimants;
    osim_rng_seed(r, 5);
    assert_int_equal(osim_impact_compute(im, &f.rr, r), 0);
    assert_true(first == im->segments[0].claimants);
    /* More affected businesses than GSL's binomial takes. */
    f.seg[0].count = 1e12;
    assert_int_equal(osim_impact_compute(im, &f.rr, r), 0);
    assert_within_se("huge claimants", im->segments[0].claimants,
                     nearbyint(im->segments[0].affected) * 0.1,
                     sqrt(nearbyint(im->segments[0].affected) * 0.09), 5.0);
    osim_impact_free(im);
    gsl_rng_free(r);
}

static void test_bad_input(void **state)
{
    static const double bad_order[] = {0, 1, 5, 0.5, 3, 1};
    static const double bad_level[] = {0, 1, 5, 1.5};
    fixture f;
    osim_impact *im;

    (void)state;
    fx_init(&f, 2, 1000.0, 0.0, 0);
    im = fx_compute(&f, NULL);
    f.rr.services_count = 1;
    assert_int_equal(osim_impact_compute(im, &f.rr, NULL), OSIM_EINVAL);
    f.rr.services_count = 2;
    f.rr.horizon_h = 100.0;
    assert_int_equal(osim_impact_compute(im, &f.rr, NULL), OSIM_EINVAL);
    f.rr.horizon_h = 336.0;
    fx_timeline(&f, 1, 3, bad_order);
    assert_int_equal(osim_impact_compute(im, &f.rr, NULL), OSIM_EINVAL);
    fx_timeline(&f, 1, 2, bad_level);
    assert_int_equal(osim_impact_compute(im, &f.rr, NULL), OSIM_EINVAL);
    f.a[1][1] = NAN;
    assert_int_equal(osim_impact_compute(im, &f.rr, NULL), OSIM_EINVAL);
    f.t[1][0] = 1.0;
    f.a[1][1] = 0.5;
    assert_int_equal(osim_impact_compute(im, &f.rr, NULL), OSIM_EINVAL);
    assert_int_equal(osim_impact_compute(NULL, &f.rr, NULL), OSIM_EINVAL);
    assert_int_equal(osim_impact_compute(im, NULL, NULL), OSIM_EINVAL);
    osim_impact_free(im);
    osim_impact_free(NULL);

    fx_init(&f, 1, 1000.0, 24.0, 0);
    assert_int_equal(osim_impact_new(&f.sc, &im), OSIM_EINVAL);
    fx_init(&f, 1, 1000.0, 0.0, 0);
    fx_segment(&f, 0, 10.0, 1, osim_dist_fixed(1.0));
    f.seg[0].substitution = 0.7;
    f.seg[0].deferred = 0.7;
    assert_int_equal(osim_impact_new(&f.sc, &im), OSIM_EINVAL);
    f.seg[0].deferred = 0.0;
    f.deps[0][0] = 3;
    assert_int_equal(osim_impact_new(&f.sc, &im), OSIM_EINVAL);
    assert_int_equal(osim_impact_new(NULL, &im), OSIM_EINVAL);
}

/* ------------------------------------------------- many services, exactly */

static uint64_t mix_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double mix_uniform(uint64_t *s)
{
    return (double)(mix_next(s) >> 11) * 0x1.0p-53;
}

/*
 * The distinct users' totals as the model defines them, one span at a time:
 * spans cut at every breakpoint of any timeline and at every local hour,
 * each span's share served the product over every service, in service
 * order, of 1 - share (1 - a), evaluated afresh; the walk ends early once
 * every timeline is at its last step and up. No state is carried from one
 * span to the next but the clock.
 */
static void distinct_reference(const osim_scenario *sc, const osim_replay_result *rr,
                               double *uh_out, double *peak_out)
{
    const osim_population *pop = &sc->population;
    double t = 0.0, uh = 0.0, peak = 0.0;
    long hour = (long)floor(sc->start_hour);
    int hod = (int)(hour % 24), wd = sc->start_weekday;
    size_t k;

    while (t < rr->horizon_h) {
        double hb = (double)(hour + 1) - sc->start_hour;
        double t1 = hb < rr->horizon_h ? hb : rr->horizon_h, nb = INFINITY, a = 1.0;
        bool settled = true;
        for (k = 0; k < rr->services_count; k++) {
            const osim_timeline *tl = &rr->services[k].tl;
            size_t c = 0;
            double ak = 1.0;
            while (c + 1 < tl->count && tl->t_h[c + 1] <= t)
                c++;
            if (tl->count > 0)
                ak = tl->avail[c];
            if (c + 1 < tl->count) {
                settled = false;
                nb = tl->t_h[c + 1] < nb ? tl->t_h[c + 1] : nb;
            } else if (ak < 1.0) {
                settled = false;
            }
            a *= 1.0 - sc->services[k].user_share * (1.0 - ak);
        }
        if (settled)
            break;
        if (nb < t1)
            t1 = nb;
        if (t1 > t) {
            double f = 1.0 - a, active = pop->users * pop->hourly[hod] * pop->weekly[wd];
            uh += active * f * (t1 - t);
            if (active * f > peak)
                peak = active * f;
        }
        if (t1 >= hb) {
            hour++;
            if (++hod == 24) {
                hod = 0;
                if (++wd == 7)
                    wd = 0;
            }
        }
        t = t1;
    }
    *uh_out = uh;
    *peak_out = peak;
}

/*
 * With hundreds of services, most of them down at once and coming back one
 * step at a time (as in a fire), the distinct users' totals are exactly,
 * bit for bit, the span-by-span reference: impact.c's walk over every
 * service moves only the timelines that change and multiplies again only
 * from the first factor that changed, which must not change a single bit.
 * The timelines mix shares of 0 and 1, steps at equal times, steps at and
 * beyond the horizon, one-step and empty timelines.
 */
static void test_distinct_many_services_exact(void **state)
{
    enum { N = 300, PTS = 12 };
    osim_scenario sc;
    osim_service *sv = calloc(N, sizeof(*sv));
    osim_service_outcome *out = calloc(N, sizeof(*out));
    double *t = calloc(N * PTS, sizeof(*t)), *a = calloc(N * PTS, sizeof(*a));
    osim_replay_result rr;
    uint64_t seed = 42;
    int round;
    size_t i, k;

    (void)state;
    assert_non_null(sv);
    assert_non_null(out);
    assert_non_null(t);
    assert_non_null(a);
    memset(&sc, 0, sizeof(sc));
    memset(&rr, 0, sizeof(rr));
    sc.start_hour = 15.3;
    sc.start_weekday = 5;
    sc.horizon_h = 168.0;
    sc.population.users = 4.8e7;
    for (i = 0; i < 24; i++)
        sc.population.hourly[i] = 0.1 + 0.4 * (double)((i * 7) % 24) / 24.0;
    for (i = 0; i < 7; i++)
        sc.population.weekly[i] = 0.9 + 0.02 * (double)i;
    sc.services = sv;
    sc.services_count = N;
    rr.services = out;
    rr.services_count = N;
    rr.horizon_h = sc.horizon_h;
    for (round = 0; round < 6; round++) {
        osim_impact *im = NULL;
        double uh, peak;
        for (i = 0; i < N; i++) {
            double *ti = t + i * PTS, *ai = a + i * PTS, cut = 1.5 + mix_uniform(&seed);
            size_t n = 1 + (size_t)(mix_uniform(&seed) * (PTS - 1));
            double u = mix_uniform(&seed);
            /* Rounds 0 to 3: shares small enough that the product stays
             * near 1/2, where every bit of it shows in the totals. Rounds 4
             * and 5: large enough that the share served falls below 2^-60
             * while most services are out (round 5: to 0, as services used
             * by everyone go out whole). */
            sv[i].user_share = u < 0.1    ? 0.0
                               : u < 0.12 ? 1.0
                                          : (round >= 4 ? 0.4 : 0.006) * mix_uniform(&seed);
            ti[0] = 0.0;
            ai[0] = 1.0;
            for (k = 1; k < n; k++) {
                double r = mix_uniform(&seed);
                /* Down at the cut (many services at once), then back in
                 * steps; now and then a step at the time of the last one. */
                ti[k] = k == 1 ? cut : r < 0.1 ? ti[k - 1] : ti[k - 1] + 40.0 * r;
                ai[k] = k + 1 == n ? 1.0
                        : sv[i].user_share == 1.0 && round < 5
                            ? 0.9 + 0.1 * (double)(k - 1) / (double)n
                        : round == 3 || round == 5 ? 0.0
                                                   : (double)(k - 1) / (double)n;
            }
            out[i].tl.t_h = ti;
            out[i].tl.avail = ai;
            out[i].tl.cap = PTS;
            out[i].tl.count = i % 97 == 5 ? 0 : n;
        }
        assert_int_equal(osim_impact_new(&sc, &im), 0);
        assert_int_equal(osim_impact_compute(im, &rr, NULL), 0);
        distinct_reference(&sc, &rr, &uh, &peak);
        if (!(im->user_hours_lost == uh) || !(im->peak_affected == peak))
            fail_msg("round %d: user_hours_lost %.17g (reference %.17g), peak %.17g "
                     "(reference %.17g)",
                     round, im->user_hours_lost, uh, im->peak_affected, peak);
        assert_true(uh > 0.0 && (round >= 4 || peak < 0.9 * sc.population.users));
        osim_impact_free(im);
    }
    free(a);
    free(t);
    free(out);
    free(sv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drawn_vs_quadrature),
        cmocka_unit_test(test_drawn_vs_monte_carlo),
        cmocka_unit_test(test_drawn_lognormal_closed_form),
        cmocka_unit_test(test_segment_loss_mixture),
        cmocka_unit_test(test_zero_outage),
        cmocka_unit_test(test_scaling_is_linear),
        cmocka_unit_test(test_constant_revenue_loses_r_times_d),
        cmocka_unit_test(test_users_by_hand),
        cmocka_unit_test(test_peak_follows_profile),
        cmocka_unit_test(test_revenue_mean_is_clamped),
        cmocka_unit_test(test_outage_to_horizon),
        cmocka_unit_test(test_active_users_local_time),
        cmocka_unit_test(test_bands_by_hand),
        cmocka_unit_test(test_band_merging),
        cmocka_unit_test(test_saturday_night_cheaper_than_weekday_noon),
        cmocka_unit_test(test_brute_force_lognormal),
        cmocka_unit_test(test_brute_force_empirical),
        cmocka_unit_test(test_brute_force_clamped_weibull),
        cmocka_unit_test(test_claimants_sampled),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_distinct_many_services_exact),
    };

    osim_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
