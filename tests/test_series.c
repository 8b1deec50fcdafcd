/*
 * test_series.c -- the course of an outage over time as integer counts
 * (sim/results/series.c).
 *
 * Checked, on hand-made timelines: the down/out/unavailability counts at
 * each grid point and the distinct-users histogram (the formula of
 * impact.c) match hand-worked values; quantiles are exact to the bin; the
 * per-business loss lands in the right bins with the exact shares at the
 * bracket edges, and its weights add up to the affected businesses; a sub
 * undoes an add exactly, in any order with merges (modulo 2^64); merges
 * commute and check shape and overlap; files read back to the same counts
 * and write the same bytes; bad files and bad calls are refused; the loss
 * marks are the plot marks every policy declares (any model, whatever its
 * name), sorted and unique, and a declaration that fails fails the series;
 * the share of systems back is counted at every grid point, its mean and
 * 5-95% points read back exactly (to the bin); with 150 services out and
 * back at scattered times, every count at every grid point is the one the
 * timeline in force there gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comp/params_int.h"
#include "outagesim/impact.h"
#include "outagesim/series.h"
#include "results/series_int.h"

/* ------------------------------------------------------------- fixture */

#define NSVC 2
#define MAXPTS 8

typedef struct fixture {
    osim_scenario sc;
    osim_service sv[NSVC];
    osim_topology tp[2];
    osim_segment seg[1];
    size_t seg_deps[1];
    osim_policy pol[1];
    osim_comp_bracket br[2];
    osim_comp_loss_brackets_params bp;
    osim_replay_result rr;
    osim_service_outcome out[NSVC];
    double t[NSVC][MAXPTS], a[NSVC][MAXPTS];
    osim_impact *im;
} fixture;

/*
 * Horizon 10 h (20 grid points at 0.25, 0.75, ... h), 1,000 users active
 * at every hour. Service "a" (everyone) is out until 2 h, at half until
 * 4 h, then up; "b" (half the users) is always up. 100 businesses need "a"
 * and earn a fixed 100 won an hour: half lose 2 h, half 4 h, i.e. 200 and
 * 400 won. A loss_brackets policy has edges at 300 and 500 won.
 */
static void fx_init(fixture *f)
{
    static char *names[NSVC] = {"a", "b"};
    size_t i;

    memset(f, 0, sizeof(*f));
    f->sc.name = "series-test";
    memset(f->sc.sha256, 'a', 64);
    f->sc.timezone = "KST";
    f->sc.utc_offset_h = 9.0;
    f->sc.start_epoch_s = 1665814740; /* 2022-10-15 15:19 KST */
    f->sc.start_hour = 15.0 + 19.0 / 60.0;
    f->sc.start_weekday = 5;
    f->sc.horizon_h = 10.0;
    f->sc.population.users = 1000.0;
    for (i = 0; i < 24; i++)
        f->sc.population.hourly[i] = 1.0;
    for (i = 0; i < 7; i++)
        f->sc.population.weekly[i] = 1.0;
    f->sc.services = f->sv;
    f->sc.services_count = NSVC;
    for (i = 0; i < NSVC; i++) {
        f->sv[i].name = names[i];
        f->out[i].tl.t_h = f->t[i];
        f->out[i].tl.avail = f->a[i];
        f->out[i].tl.cap = MAXPTS;
    }
    f->sv[0].user_share = 1.0;
    f->sv[1].user_share = 0.5;
    f->tp[0].name = "x";
    f->tp[1].name = "y";
    f->sc.topologies = f->tp;
    f->sc.topologies_count = 2;

    f->seg[0].name = "shops";
    f->seg[0].count = 100.0;
    f->seg_deps[0] = 0;
    f->seg[0].deps = f->seg_deps;
    f->seg[0].deps_count = 1;
    f->seg[0].hourly_revenue_krw = osim_dist_fixed(100.0);
    for (i = 0; i < 24; i++)
        f->seg[0].hourly_profile[i] = 1.0;
    for (i = 0; i < 7; i++)
        f->seg[0].weekly_profile[i] = 1.0;
    f->sc.segments = f->seg;
    f->sc.segments_count = 1;

    f->br[0].up_to_krw = 300;
    f->br[1].up_to_krw = 500;
    f->bp.brackets = f->br;
    f->bp.brackets_count = 2;
    f->pol[0].name = "brackets";
    f->pol[0].model_name = "loss_brackets";
    f->pol[0].model = &osim__comp_loss_brackets;
    f->pol[0].params = &f->bp;
    f->sc.policies = f->pol;
    f->sc.policies_count = 1;

    f->rr.services = f->out;
    f->rr.services_count = NSVC;
    f->rr.horizon_h = 10.0;
    /* a: 0 until 2 h, 0.5 until 4 h, then 1; b: always 1. */
    f->t[0][0] = 0.0, f->a[0][0] = 0.0;
    f->t[0][1] = 2.0, f->a[0][1] = 0.5;
    f->t[0][2] = 4.0, f->a[0][2] = 1.0;
    f->out[0].tl.count = 3;
    f->t[1][0] = 0.0, f->a[1][0] = 1.0;
    f->out[1].tl.count = 1;
    assert_int_equal(osim_impact_new(&f->sc, &f->im), 0);
    assert_int_equal(osim_impact_compute(f->im, &f->rr, NULL), 0);
}

/* A second, different replication: "a" out until 1 h only. */
static void fx_other(fixture *f)
{
    f->t[0][0] = 0.0, f->a[0][0] = 0.0;
    f->t[0][1] = 1.0, f->a[0][1] = 1.0;
    f->out[0].tl.count = 2;
    assert_int_equal(osim_impact_compute(f->im, &f->rr, NULL), 0);
}

static void fx_free(fixture *f)
{
    osim_impact_free(f->im);
}

/* Everything a series counts, compared. */
static void assert_same_counts(const osim_series *x, const osim_series *y)
{
    size_t T = x->topologies_count, K = x->steps, S = x->services_count;

    assert_int_equal(T, y->topologies_count);
    assert_int_equal(K, y->steps);
    assert_memory_equal(x->reps, y->reps, T * sizeof(uint64_t));
    assert_memory_equal(x->down, y->down, T * K * S * sizeof(uint64_t));
    assert_memory_equal(x->out, y->out, T * K * S * sizeof(uint64_t));
    assert_memory_equal(x->unavail, y->unavail, T * K * S * sizeof(uint64_t));
    assert_memory_equal(x->users, y->users, T * K * OSIM__UB * sizeof(uint64_t));
    assert_memory_equal(x->loss, y->loss, T * OSIM__LB * sizeof(uint64_t));
    assert_memory_equal(x->below, y->below, T * OSIM_SERIES_MAX_MARKS * sizeof(uint64_t));
    assert_memory_equal(x->sys_back, y->sys_back, T * K * sizeof(uint64_t));
    assert_memory_equal(x->sys_hist, y->sys_hist, T * K * OSIM__SB * sizeof(uint64_t));
}

/* ------------------------------------------------------------- tests */

static void test_grid_and_counts(void **state)
{
    fixture f;
    osim_series *s = NULL;
    size_t k, K;

    (void)state;
    fx_init(&f);
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &s), 0);
    assert_int_equal(s->steps, 20);
    assert_true(s->step_h == 0.5);
    assert_int_equal(s->marks_count, 2);
    assert_true(s->marks_krw[0] == 300.0 && s->marks_krw[1] == 500.0);
    assert_int_equal(osim_series_add(s, 1, &f.rr, f.im), 0);
    assert_int_equal(osim_series_replications(s), 0); /* slot 0 untouched */
    assert_int_equal(s->reps[1], 1);
    K = s->steps;
    for (k = 0; k < K; k++) {
        double t = (k + 0.5) * 0.5;
        size_t x = (1 * K + k) * NSVC; /* slot 1, service a */
        assert_int_equal(s->down[x], t < 4.0 ? 1 : 0);
        assert_int_equal(s->out[x], t < 2.0 ? 1 : 0);
        assert_int_equal(s->unavail[x], t < 2.0 ? 1048576 : (t < 4.0 ? 524288 : 0));
        assert_int_equal(s->down[x + 1], 0); /* service b */
        assert_int_equal(s->unavail[x + 1], 0);
        assert_int_equal(s->down[k * NSVC], 0); /* slot 0 */
    }
    /* Distinct users: 1,000 x (1 - a) -> 1,000 until 2 h, 500 until 4 h, 0. */
    for (k = 0; k < K; k++) {
        double t = (k + 0.5) * 0.5, want = t < 2.0 ? 1000.0 : (t < 4.0 ? 500.0 : 0.0);
        double got = osim_series_users_quantile(s, 1, k, 0.5);
        if (want == 0.0) {
            assert_true(got == 0.0);
            assert_int_equal(s->users[(1 * K + k) * OSIM__UB], 1);
        } else {
            /* exact to the bin: in the bin that holds the true value */
            size_t b = 1 + (size_t)floor(log10(want) * 24);
            assert_true(osim__series_user_lo(b) <= want && want < osim__series_user_hi(b));
            assert_true(got >= osim__series_user_lo(b) && got < osim__series_user_hi(b));
        }
    }
    osim_series_free(s);
    fx_free(&f);
}

static void test_quantiles(void **state)
{
    fixture f;
    osim_series *s = NULL;
    size_t b;

    (void)state;
    fx_init(&f);
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &s), 0);
    /* Hand-filled histogram at slot 0, step 0: 10 replications with 0,
     * 10 in the bin of 1,000 users, 80 in the bin of 10^6. */
    s->reps[0] = 100;
    s->users[0] = 10;
    s->users[1 + 72] = 10;
    s->users[1 + 144] = 80;
    assert_true(osim_series_users_quantile(s, 0, 0, 0.05) == 0.0);
    assert_true(osim_series_users_quantile(s, 0, 0, 0.10) == 0.0);
    b = 1 + 72;
    assert_true(fabs(osim_series_users_quantile(s, 0, 0, 0.15) -
                     sqrt(osim__series_user_lo(b) * osim__series_user_hi(b))) < 1e-6);
    assert_true(osim_series_users_quantile(s, 0, 0, 0.5) >= 1e6);
    assert_true(osim_series_users_quantile(s, 0, 0, 0.5) < 1e6 * pow(10.0, 1.0 / 24));
    assert_true(fabs(osim_series_users_quantile(s, 0, 0, 1.0) - osim__series_user_hi(145)) < 1e-3);
    assert_true(osim_series_users_quantile(s, 1, 0, 0.5) == 0.0); /* nothing counted */
    assert_true(isnan(osim_series_users_quantile(s, 2, 0, 0.5)));
    osim_series_free(s);
    fx_free(&f);
}

/*
 * Systems back: a replication whose share is 1, then 0 from 1 h, 1/4 from
 * 3 h and 1 from 6 h counts that share at every grid point (in 2^-20 for
 * the mean, in bin floor(100 x), 1 alone in bin 100); a second one (1/2
 * from 1 h to 2 h) makes the mean their average and the 5%/95% points the
 * lower and the upper one, exact to the bin; a sub takes it out again.
 */
static void test_systems_back(void **state)
{
    double st[4] = {0.0, 1.0, 3.0, 6.0}, sa[4] = {1.0, 0.0, 0.25, 1.0};
    double ot[3] = {0.0, 1.0, 2.0}, oa[3] = {1.0, 0.5, 1.0};
    fixture f;
    osim_series *s = NULL, *empty = NULL;
    size_t k, K;

    (void)state;
    fx_init(&f);
    f.rr.systems.t_h = st;
    f.rr.systems.avail = sa;
    f.rr.systems.count = 4;
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &s), 0);
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &empty), 0);
    assert_int_equal(osim_series_add(s, 0, &f.rr, f.im), 0);
    K = s->steps;
    for (k = 0; k < K; k++) {
        double t = (k + 0.5) * 0.5, want = t < 1.0 ? 1.0 : (t < 3.0 ? 0.0 : (t < 6.0 ? 0.25 : 1.0));
        size_t b = want >= 1.0 ? 100 : (size_t)(want * 100);
        assert_int_equal(s->sys_back[k], (uint64_t)(want * 1048576));
        assert_int_equal(s->sys_hist[k * OSIM__SB + b], 1);
        assert_true(osim_series_systems_mean(s, 0, k) == want);
        assert_int_equal(s->sys_hist[(K + k) * OSIM__SB + 100], 0); /* slot 1 untouched */
    }
    assert_true(isnan(osim_series_systems_mean(s, 1, 0)));
    /* Another replication: 1/2 from 1 h to 2 h, else all back. */
    f.rr.systems.t_h = ot;
    f.rr.systems.avail = oa;
    f.rr.systems.count = 3;
    assert_int_equal(osim_series_add(s, 0, &f.rr, f.im), 0);
    k = 8; /* t = 4.25 h: 1/4 and 1 */
    assert_true(osim_series_systems_mean(s, 0, k) == 0.625);
    assert_true(fabs(osim_series_systems_quantile(s, 0, k, 0.05) - 0.251) < 1e-12);
    assert_true(osim_series_systems_quantile(s, 0, k, 0.95) == 1.0);
    k = 2; /* t = 1.25 h: 0 and 1/2 */
    assert_true(osim_series_systems_mean(s, 0, k) == 0.25);
    assert_true(osim_series_systems_quantile(s, 0, k, 0.05) < 0.01);
    assert_true(fabs(osim_series_systems_quantile(s, 0, k, 0.95) - 0.509) < 1e-12);
    /* Taking both out again leaves nothing (but the other slot's counts). */
    assert_int_equal(osim_series_sub(s, 0, &f.rr, f.im), 0);
    f.rr.systems.t_h = st;
    f.rr.systems.avail = sa;
    f.rr.systems.count = 4;
    assert_int_equal(osim_series_sub(s, 0, &f.rr, f.im), 0);
    assert_same_counts(s, empty);
    osim_series_free(empty);
    osim_series_free(s);
    fx_free(&f);
}

static void test_business_loss(void **state)
{
    fixture f;
    osim_series *s = NULL;
    double tot = 0.0;
    size_t b, b200, b400;

    (void)state;
    fx_init(&f);
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &s), 0);
    assert_int_equal(osim_series_add(s, 0, &f.rr, f.im), 0);
    /* 200 won is in (10^2.3, 10^2.4], 400 won in (10^2.6, 10^2.7]. */
    b200 = 24;
    b400 = 27;
    assert_true(osim__series_loss_hi(b200 - 1) < 200.0 && 200.0 <= osim__series_loss_hi(b200));
    assert_true(osim__series_loss_hi(b400 - 1) < 400.0 && 400.0 <= osim__series_loss_hi(b400));
    for (b = 0; b < OSIM__LB; b++) {
        uint64_t want = b == b200 || b == b400 ? 50 * 1024 : 0;
        assert_int_equal(s->loss[b], want);
        tot += (double)s->loss[b];
    }
    assert_true(tot == 100.0 * 1024); /* every affected business, once */
    /* Exact at the edges: 50 lost at most 300 won, all 100 at most 500. */
    assert_int_equal(s->below[0], 50 * 1024);
    assert_int_equal(s->below[1], 100 * 1024);
    osim_series_free(s);
    fx_free(&f);
}

/* A lognormal revenue: the weights still add up to the affected
 * businesses, and the shares at the edges agree with the closed form. */
static void test_business_loss_lognormal(void **state)
{
    fixture f;
    osim_series *s = NULL;
    osim_dist d = {0};
    double tot = 0.0;
    size_t b;

    (void)state;
    fx_init(&f);
    d.kind = OSIM_DIST_LOGNORMAL;
    d.p[0] = log(80.0);
    d.p[1] = 0.9;
    d.lo = -INFINITY;
    d.hi = INFINITY;
    f.seg[0].hourly_revenue_krw = d;
    assert_int_equal(osim_impact_compute(f.im, &f.rr, NULL), 0);
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &s), 0);
    assert_int_equal(osim_series_add(s, 0, &f.rr, f.im), 0);
    for (b = 0; b < OSIM__LB; b++)
        tot += (double)s->loss[b];
    assert_true(fabs(tot - 100.0 * 1024) <= OSIM__LB); /* rounding: half a unit per bin */
    for (b = 0; b < 2; b++) {
        double want = 100.0 * 1024 * osim_segment_loss_cdf(&f.im->segments[0], s->marks_krw[b]);
        assert_true(fabs((double)s->below[b] - want) <= 0.5);
    }
    /* The bins agree with the closed form at their edges, to the table's
     * hundredth of a decade. */
    {
        double cum = 0.0;
        for (b = 0; b < OSIM__LB - 1; b++) {
            double edge = osim__series_loss_hi(b), F, Flo;
            cum += (double)s->loss[b] / 1024.0 / 100.0;
            if (b == 0)
                continue;
            F = osim_segment_loss_cdf(&f.im->segments[0], edge);
            Flo = osim_segment_loss_cdf(&f.im->segments[0], edge * pow(10.0, -0.011));
            assert_true(cum <= F + 1e-3 && cum >= Flo - 1e-3);
        }
    }
    osim_series_free(s);
    fx_free(&f);
}

static void test_sub_and_merge_commute(void **state)
{
    fixture f;
    osim_series *s1 = NULL, *s2 = NULL, *both = NULL, *w = NULL, *empty = NULL;
    osim_diag d;

    (void)state;
    fx_init(&f);
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &s1), 0);
    assert_int_equal(osim_series_new_like(s1, &s2), 0);
    assert_int_equal(osim_series_new_like(s1, &both), 0);
    assert_int_equal(osim_series_new_like(s1, &w), 0);
    assert_int_equal(osim_series_new_like(s1, &empty), 0);

    /* A in s1, B in s2; both: B then A. */
    assert_int_equal(osim_series_add(s1, 0, &f.rr, f.im), 0);
    assert_int_equal(osim_series_add(both, 0, &f.rr, f.im), 0);
    fx_other(&f);
    assert_int_equal(osim_series_add(s2, 0, &f.rr, f.im), 0);
    assert_int_equal(osim_series_add(both, 0, &f.rr, f.im), 0);
    assert_int_equal(osim_series_merge(s1, s2, &d), 0);
    assert_same_counts(s1, both);

    /* Take B out again: as if only A had been added. */
    assert_int_equal(osim_series_sub(both, 0, &f.rr, f.im), 0);
    assert_int_equal(osim_series_sub(s1, 0, &f.rr, f.im), 0);
    assert_same_counts(s1, both);
    assert_int_equal(both->reps[0], 1);

    /* A sub may come before the add it undoes, in another series: w takes
     * B out while s2 still holds it; merged, they cancel exactly. */
    assert_int_equal(osim_series_sub(w, 0, &f.rr, f.im), 0);
    assert_int_equal(osim_series_merge(w, s2, &d), 0);
    assert_same_counts(w, empty);

    osim_series_free(s1);
    osim_series_free(s2);
    osim_series_free(both);
    osim_series_free(w);
    osim_series_free(empty);
    fx_free(&f);
}

static void test_merge_checks(void **state)
{
    fixture f;
    osim_series *a = NULL, *b = NULL, *c = NULL;
    size_t only_y = 1;
    uint64_t from, to;
    osim_diag d;

    (void)state;
    fx_init(&f);
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &a), 0);
    assert_int_equal(osim_series_new(&f.sc, 8, NULL, 0, &b), 0);
    osim_diag_clear(&d);
    assert_int_equal(osim_series_merge(a, b, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "seeds"));
    osim_series_free(b);
    assert_int_equal(osim_series_new(&f.sc, 7, &only_y, 1, &b), 0);
    assert_int_equal(b->topologies_count, 1);
    osim_diag_clear(&d);
    assert_int_equal(osim_series_merge(a, b, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "topologies"));
    osim_series_free(b);

    /* Ranges: adjacent parts join, in either order; overlaps are refused. */
    assert_int_equal(osim_series_new_like(a, &b), 0);
    assert_int_equal(osim_series_new_like(a, &c), 0);
    osim_series_set_range(a, 10, 20);
    osim_series_set_range(b, 20, 30);
    osim_series_set_range(c, 0, 10);
    assert_int_equal(osim_series_merge(a, b, &d), 0);
    assert_int_equal(osim_series_merge(a, c, &d), 0);
    assert_int_equal(osim_series_range(a, &from, &to), 1);
    assert_int_equal(from, 0);
    assert_int_equal(to, 30);
    osim_series_set_range(b, 25, 35);
    osim_diag_clear(&d);
    assert_int_equal(osim_series_merge(a, b, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "overlap"));

    /* Topology selection: any order, duplicates ignored, checked by mc. */
    {
        size_t sel[3] = {1, 0, 1}, want[2] = {0, 1};
        osim_series *x = NULL;
        assert_int_equal(osim_series_new(&f.sc, 7, sel, 3, &x), 0);
        assert_int_equal(osim_series_compatible(x, &f.sc, 7, want, 2), 0);
        assert_int_equal(osim_series_compatible(x, &f.sc, 8, want, 2), OSIM_EINVAL);
        assert_int_equal(osim_series_compatible(x, &f.sc, 7, want, 1), OSIM_EINVAL);
        osim_series_free(x);
    }
    osim_series_free(a);
    osim_series_free(b);
    osim_series_free(c);
    fx_free(&f);
}

/* A series merges by the rule of every merge (rows.h, osim_rows_add): a
 * gap is refused with the missing replications, as for results; a part of
 * unknown range does not join a part of known range; another time grid is
 * another shape. Refused merges leave the destination unchanged. */
static void test_merge_is_the_rows_rule(void **state)
{
    fixture f;
    osim_series *a = NULL, *b = NULL, *c = NULL;
    uint64_t from = 0, to = 0;
    osim_diag d;

    (void)state;
    fx_init(&f);
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &a), 0);
    assert_int_equal(osim_series_new_like(a, &b), 0);
    assert_int_equal(osim_series_new_like(a, &c), 0);
    assert_int_equal(osim_series_add(b, 0, &f.rr, f.im), 0);
    osim_series_set_range(a, 0, 10);
    osim_series_set_range(b, 12, 20);
    osim_diag_clear(&d);
    assert_int_equal(osim_series_merge(a, b, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "run them with --from 10 --to 12"));
    assert_int_equal(osim_series_range(a, &from, &to), 1);
    assert_true(from == 0 && to == 10 && a->reps[0] == 0);
    /* c was never given a range (a run's accumulator). */
    osim_diag_clear(&d);
    assert_int_equal(osim_series_merge(a, c, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "does not say which replications"));
    osim_series_free(c);
    f.sc.horizon_h = 20.0;
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &c), 0);
    f.sc.horizon_h = 10.0;
    osim_series_set_range(c, 10, 12);
    osim_diag_clear(&d);
    assert_int_equal(osim_series_merge(a, c, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "time grids"));
    osim_series_free(a);
    osim_series_free(b);
    osim_series_free(c);
    fx_free(&f);
}

static char *slurp(const char *dir, const char *name)
{
    char path[512];
    FILE *fp;
    long n;
    char *buf;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = calloc((size_t)n + 1, 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    return buf;
}

static void spit(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_files_round_trip(void **state)
{
    static const char *const files[] = {"series.json", "series-timeline.dat", "series-users.dat",
                                        "series-loss.dat", "series-marks.dat"};
    char dir1[] = "/tmp/osim-series-XXXXXX", dir2[] = "/tmp/osim-series-XXXXXX";
    fixture f;
    osim_series *s = NULL, *r = NULL, *g = NULL;
    uint64_t from = 0, to = 0;
    osim_diag d;
    size_t i;

    (void)state;
    fx_init(&f);
    assert_non_null(mkdtemp(dir1));
    assert_non_null(mkdtemp(dir2));
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &s), 0);
    assert_int_equal(osim_series_add(s, 0, &f.rr, f.im), 0);
    assert_int_equal(osim_series_add(s, 1, &f.rr, f.im), 0);
    fx_other(&f);
    assert_int_equal(osim_series_add(s, 0, &f.rr, f.im), 0);
    assert_int_equal(osim_series_add(s, 1, &f.rr, f.im), 0);
    osim_series_set_range(s, 4, 6);
    osim_diag_clear(&d);
    assert_int_equal(osim_series_write(s, dir1, &d), 0);
    assert_int_equal(osim_series_read(dir1, &r, &d), 0);
    assert_same_counts(s, r);
    assert_string_equal(r->scenario_name, "series-test");
    assert_true(r->seed == 7 && osim_series_range(r, &from, &to) == 1 && from == 4 && to == 6);
    assert_true(r->horizon_h == 10.0 && r->step_h == 0.5 && r->utc_offset_h == 9.0);
    /* A series read from files cannot count: it has no scenario. */
    assert_int_equal(osim_series_add(r, 0, &f.rr, f.im), OSIM_EINVAL);
    /* Written again: the same bytes. */
    assert_int_equal(osim_series_write(r, dir2, &d), 0);
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *x = slurp(dir1, files[i]), *y = slurp(dir2, files[i]);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }

    /* Each .dat file opens with the run's identity, as the CSV files do. */
    {
        char *x = slurp(dir1, "series-loss.dat");
        assert_true(strncmp(x, "# outagesim ", 12) == 0);
        assert_non_null(strstr(x, "; sha256 "));
        assert_non_null(strstr(x, "; seed 7; replications 4..5\n"));
        free(x);
    }

    /* Damaged files are refused with the file and line. */
    {
        char *orig = slurp(dir2, "series-users.dat"), body[1200];
        size_t idn = strcspn(orig, "\n") + 1;
        /* A file of another run (here: seed 8) beside series.json: refused. */
        snprintf(body, sizeof(body), "%.*s", (int)idn, orig);
        *strstr(body, "; seed 7;") = '\0';
        snprintf(body + strlen(body), sizeof(body) - strlen(body), "; seed 8;%s",
                 strstr(orig, "; seed 7;") + strlen("; seed 7;"));
        spit(dir2, "series-users.dat", body);
        osim_diag_clear(&d);
        assert_int_equal(osim_series_read(dir2, &g, &d), OSIM_EIO);
        assert_non_null(strstr(d.file, "series-users.dat"));
        assert_non_null(strstr(d.msg, "mixes two runs"));
        /* No identity line at all (an older outagesim's file): refused. */
        spit(dir2, "series-users.dat", "# comment\n0 0 0 1\n");
        osim_diag_clear(&d);
        assert_int_equal(osim_series_read(dir2, &g, &d), OSIM_EIO);
        assert_int_equal(d.line, 1);
        snprintf(body, sizeof(body), "%.*s# comment\n0 0 999 1\n", (int)idn, orig);
        spit(dir2, "series-users.dat", body);
        osim_diag_clear(&d);
        assert_int_equal(osim_series_read(dir2, &g, &d), OSIM_ESCHEMA);
        assert_non_null(strstr(d.file, "series-users.dat"));
        assert_int_equal(d.line, 3);
        snprintf(body, sizeof(body), "%.*s0 0 1 x\n", (int)idn, orig);
        spit(dir2, "series-users.dat", body);
        assert_int_equal(osim_series_read(dir2, &g, &d), OSIM_ESCHEMA);
        /* Counts that do not add up to the replications. */
        snprintf(body, sizeof(body), "%.*s0 0 0 1\n", (int)idn, orig);
        spit(dir2, "series-users.dat", body);
        osim_diag_clear(&d);
        assert_int_equal(osim_series_read(dir2, &g, &d), OSIM_ESCHEMA);
        assert_non_null(strstr(d.msg, "replications"));
        spit(dir2, "series-users.dat", orig);
        free(orig);
        spit(dir2, "series.json", "{\"format\": \"something else\"}");
        assert_int_equal(osim_series_read(dir2, &g, &d), OSIM_ESCHEMA);
        {
            char p[512];
            snprintf(p, sizeof(p), "%s/series.json", dir2);
            remove(p);
        }
    }
    osim_diag_clear(&d);
    assert_int_equal(osim_series_read(dir2, &g, &d), OSIM_ENOENT);
    assert_null(g);

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char p[512];
        snprintf(p, sizeof(p), "%s/%s", dir1, files[i]);
        remove(p);
        snprintf(p, sizeof(p), "%s/%s", dir2, files[i]);
        remove(p);
    }
    rmdir(dir1);
    rmdir(dir2);
    osim_series_free(s);
    osim_series_free(r);
    fx_free(&f);
}

/* A model known only by its table entry: it declares marks 700 and 300 won. */
static int marks_declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    int rc;

    (void)params;
    (void)sc;
    if ((rc = osim__comp_declare_class(out, "marked")) != 0 ||
        (rc = osim__comp_declare_mark(out, 700)) != 0)
        return rc;
    return osim__comp_declare_mark(out, 300);
}

static int no_declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    (void)params;
    (void)sc;
    (void)out;
    return OSIM_EOVERFLOW;
}

static void test_declared_marks(void **state)
{
    osim_comp_model marker = {.name = "marker", .doc = "test only", .declare = marks_declare};
    osim_policy pol[2];
    fixture f;
    osim_series *s = NULL;

    (void)state;
    fx_init(&f);
    pol[0] = f.pol[0]; /* loss brackets: 300 and 500 */
    pol[1] = (osim_policy){.name = "other", .model_name = "not-a-bracket", .model = &marker};
    f.sc.policies = pol;
    f.sc.policies_count = 2;
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &s), 0);
    assert_int_equal(s->marks_count, 3);
    assert_true(s->marks_krw[0] == 300.0 && s->marks_krw[1] == 500.0 && s->marks_krw[2] == 700.0);
    osim_series_free(s);
    s = NULL;
    marker.declare = no_declare;
    assert_int_equal(osim_series_new(&f.sc, 7, NULL, 0, &s), OSIM_EOVERFLOW);
    assert_null(s);
    f.sc.policies = f.pol;
    f.sc.policies_count = 1;
    fx_free(&f);
}

static void test_bad_calls(void **state)
{
    fixture f;
    osim_series *s = NULL;
    size_t bad = 5;

    (void)state;
    fx_init(&f);
    assert_int_equal(osim_series_new(NULL, 1, NULL, 0, &s), OSIM_EINVAL);
    assert_int_equal(osim_series_new(&f.sc, 1, &bad, 1, &s), OSIM_EINVAL);
    assert_int_equal(osim_series_new(&f.sc, 1, NULL, 0, &s), 0);
    assert_int_equal(osim_series_add(s, 2, &f.rr, f.im), OSIM_EINVAL);
    assert_int_equal(osim_series_add(s, 0, NULL, f.im), OSIM_EINVAL);
    f.rr.services_count = 1;
    assert_int_equal(osim_series_add(s, 0, &f.rr, f.im), OSIM_EINVAL);
    osim_series_free(s);
    osim_series_free(NULL);
    fx_free(&f);
}

/* ------------------------------------------------- many services */

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

/* The user bin of x users, as series.h defines the bins. */
static size_t ref_user_bin(double x)
{
    double b;

    if (!(x > 0.0))
        return 0;
    if (x < 1.0)
        return 1;
    b = 1.0 + floor(log10(x) * OSIM_SERIES_USERS_PER_DECADE);
    return b > OSIM_SERIES_USER_BINS ? OSIM_SERIES_USER_BINS : (size_t)b;
}

/*
 * With many services out and back at scattered times, every count at
 * every grid point is what the timeline in force at that point gives
 * (osim_timeline_at: its last step at or before the point), and the
 * distinct users fall in the bin of the product over the services, in
 * service order, of 1 - share (1 - a), evaluated afresh at each point.
 * Timelines with steps at equal times, between two grid points, beyond the
 * horizon, with one step or none.
 */
static void test_many_services_at_every_point(void **state)
{
    enum { N = 150, PTS = 10 };
    osim_scenario sc;
    osim_topology tp[2] = {{.name = "x"}, {.name = "y"}};
    osim_service *sv = calloc(N, sizeof(*sv));
    osim_service_outcome *out = calloc(N, sizeof(*out));
    double *t = calloc(N * PTS, sizeof(*t)), *a = calloc(N * PTS, sizeof(*a));
    char(*names)[8] = calloc(N, sizeof(*names));
    osim_replay_result rr;
    osim_impact *im = NULL;
    osim_series *s = NULL;
    uint64_t seed = 7;
    size_t i, k, c, K;

    (void)state;
    assert_true(sv != NULL && out != NULL && t != NULL && a != NULL && names != NULL);
    memset(&sc, 0, sizeof(sc));
    memset(&rr, 0, sizeof(rr));
    sc.name = "many";
    memset(sc.sha256, 'b', 64);
    sc.timezone = "KST";
    sc.start_hour = 21.5;
    sc.start_weekday = 4;
    sc.horizon_h = 50.0;
    sc.population.users = 3.0e7;
    for (i = 0; i < 24; i++)
        sc.population.hourly[i] = 0.05 + 0.02 * (double)i;
    for (i = 0; i < 7; i++)
        sc.population.weekly[i] = 1.0;
    sc.services = sv;
    sc.services_count = N;
    sc.topologies = tp;
    sc.topologies_count = 2;
    rr.services = out;
    rr.services_count = N;
    rr.horizon_h = sc.horizon_h;
    for (i = 0; i < N; i++) {
        double *ti = t + i * PTS, *ai = a + i * PTS;
        size_t n = 1 + (size_t)(mix_uniform(&seed) * (PTS - 1));
        snprintf(names[i], sizeof(names[i]), "s%zu", i);
        sv[i].name = names[i];
        sv[i].user_share = i % 11 == 0 ? 0.0 : 0.01 * mix_uniform(&seed);
        ti[0] = 0.0;
        ai[0] = 1.0;
        for (c = 1; c < n; c++) {
            double r = mix_uniform(&seed);
            ti[c] = r < 0.15 ? ti[c - 1] : ti[c - 1] + 12.0 * r;
            ai[c] = c + 1 == n ? 1.0 : r < 0.4 ? 0.0 : mix_uniform(&seed);
        }
        out[i].tl.t_h = ti;
        out[i].tl.avail = ai;
        out[i].tl.cap = PTS;
        out[i].tl.count = i % 53 == 3 ? 0 : n;
    }
    assert_int_equal(osim_impact_new(&sc, &im), 0);
    assert_int_equal(osim_impact_compute(im, &rr, NULL), 0);
    assert_int_equal(osim_series_new(&sc, 1, NULL, 0, &s), 0);
    assert_int_equal(osim_series_add(s, 1, &rr, im), 0);
    K = s->steps;
    for (k = 0; k < K; k++) {
        double p = ((double)k + 0.5) * s->step_h, served = 1.0; /* the grid point */
        size_t bin, x0 = (1 * K + k) * N;
        for (i = 0; i < N; i++) {
            double ak = out[i].tl.count > 0 ? osim_timeline_at(&out[i].tl, p) : 1.0;
            double u = ak < 1.0 ? (1.0 - ak > 1.0 ? 1.0 : 1.0 - ak) : 0.0;
            if (s->down[x0 + i] != (ak < 1.0) || s->out[x0 + i] != (ak <= 0.0) ||
                s->unavail[x0 + i] != (uint64_t)llround(u * OSIM_SERIES_UNAVAIL_UNIT))
                fail_msg("step %zu service %zu: down %llu out %llu unavail %llu, a = %g", k, i,
                         (unsigned long long)s->down[x0 + i], (unsigned long long)s->out[x0 + i],
                         (unsigned long long)s->unavail[x0 + i], ak);
            assert_int_equal(s->down[k * N + i], 0); /* slot 0 untouched */
            if (ak < 1.0)
                served *= 1.0 - sv[i].user_share * u;
        }
        bin = served < 1.0 ? ref_user_bin(osim_active_users(&sc, p) * (1.0 - served)) : 0;
        assert_int_equal(s->users[(1 * K + k) * OSIM__UB + bin], 1);
    }
    osim_series_free(s);
    osim_impact_free(im);
    free(names);
    free(a);
    free(t);
    free(out);
    free(sv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_and_counts),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_systems_back),
        cmocka_unit_test(test_business_loss),
        cmocka_unit_test(test_business_loss_lognormal),
        cmocka_unit_test(test_sub_and_merge_commute),
        cmocka_unit_test(test_merge_checks),
        cmocka_unit_test(test_merge_is_the_rows_rule),
        cmocka_unit_test(test_files_round_trip),
        cmocka_unit_test(test_declared_marks),
        cmocka_unit_test(test_bad_calls),
        cmocka_unit_test(test_many_services_at_every_point),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
