/*
 * test_populations.c -- populations that do not overlap (`populations:`,
 * sim/model/impact.c and the loader's checks in sim/scenario/scenario.c).
 *
 * Checked: a provider whose disjoint tenants are all cut off shows every
 * user affected (independence showed about two thirds); on random
 * timelines the distinct users' totals keep the order
 * max over services <= nested <= independent <= disjoint <= sum over
 * services; nested equals its outer service while the outer is down, and
 * adds only the inner's users the outer leaves served; hand-worked shares
 * out for nested and for a disjoint group beside an ungrouped service; with
 * flat profiles a disjoint group's distinct totals are the sums of its
 * services' own totals (computed by another path, per service), also with
 * hundreds of services; an `independent` group changes no bit; the impact
 * refuses groups the loader would refuse; the loader refuses bad groups
 * with file:line:col and accepts good ones.
 *
 * Timelines are built in memory; the loader tests read
 * ../scenarios/minimal.yaml (tests run from tests/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/impact.h"

#define MAX_SVC 256
#define MAX_PTS 16

/* ------------------------------------------------------------- fixture */

typedef struct fixture {
    osim_scenario sc;
    osim_service sv[MAX_SVC];
    osim_replay_result rr;
    osim_service_outcome out[MAX_SVC];
    double t[MAX_SVC][MAX_PTS], a[MAX_SVC][MAX_PTS];
    osim_population_group grp[4];
    size_t members[4][MAX_SVC];
} fixture;

/* n services, always up, flat profiles, a week's horizon, no groups. */
static void fx_init(fixture *f, size_t n, double users)
{
    size_t i;

    memset(f, 0, sizeof(*f));
    f->sc.start_hour = 0.0;
    f->sc.horizon_h = 168.0;
    f->sc.population.users = users;
    for (i = 0; i < 24; i++)
        f->sc.population.hourly[i] = 1.0;
    for (i = 0; i < 7; i++)
        f->sc.population.weekly[i] = 1.0;
    f->sc.services = f->sv;
    f->sc.services_count = n;
    f->sc.populations = f->grp;
    f->rr.services = f->out;
    f->rr.services_count = n;
    f->rr.horizon_h = 168.0;
    for (i = 0; i < n; i++) {
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

/* Group g: the n services idx[] (NULL: 0..n-1), with overlap kind. */
static void fx_group(fixture *f, size_t g, osim_overlap kind, size_t n, const size_t *idx)
{
    size_t k;

    for (k = 0; k < n; k++)
        f->members[g][k] = idx != NULL ? idx[k] : k;
    f->grp[g].services = f->members[g];
    f->grp[g].services_count = n;
    f->grp[g].overlap = kind;
    if (g + 1 > f->sc.populations_count)
        f->sc.populations_count = g + 1;
}

static osim_impact *fx_compute(fixture *f)
{
    osim_impact *im = NULL;

    assert_int_equal(osim_impact_new(&f->sc, &im), 0);
    assert_int_equal(osim_impact_compute(im, &f->rr, NULL), 0);
    return im;
}

static void assert_close(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want) + 1e-9)) {
        print_error("got %.17g want %.17g\n", got, want);
        fail();
    }
}

/* a <= b, up to rounding. */
static void assert_le(const char *what, double a, double b)
{
    if (!(a <= b + 1e-12 * fabs(b) + 1e-9)) {
        print_error("%s: %.17g > %.17g\n", what, a, b);
        fail();
    }
}

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
    return (double)(mix(s) >> 11) * 0x1p-53;
}

/* ------------------------------------------------------ disjoint tenants */

/*
 * A provider with n tenants, each in one hall, each a service used by 1/n
 * of the provider's customers, all cut off from hour 2 to hour 30: every
 * customer is affected. Taken as independent, the same outage shows
 * 1 - (1 - 1/n)^n of them (about two thirds), the symptom of issue 16.
 */
static void tenants_all_cut(size_t n)
{
    static const double cut[] = {0, 1, 2, 0, 30, 1};
    fixture *f = malloc(sizeof(*f));
    osim_impact *im;
    double indep = 1.0 - pow(1.0 - 1.0 / (double)n, (double)n);
    size_t i;

    assert_non_null(f);
    fx_init(f, n, 1e6);
    for (i = 0; i < n; i++) {
        f->sv[i].user_share = 1.0 / (double)n;
        fx_timeline(f, i, 3, cut);
    }
    im = fx_compute(f);
    assert_close(im->distinct_affected, 1e6 * indep, 1e-12);
    assert_true(im->distinct_affected < 0.75e6);
    osim_impact_free(im);

    fx_group(f, 0, OSIM_OVERLAP_DISJOINT, n, NULL);
    im = fx_compute(f);
    assert_close(im->distinct_affected, 1e6, 1e-12);
    assert_close(im->peak_affected, 1e6, 1e-12);
    assert_close(im->user_hours_lost, 1e6 * 28.0, 1e-12);
    osim_impact_free(im);
    free(f);
}

static void test_tenants_all_cut_off(void **state)
{
    (void)state;
    tenants_all_cut(3);
    tenants_all_cut(8);
    tenants_all_cut(200); /* as many services as the scale walk handles */
}

/* ------------------------------------------------------------- bounds */

/*
 * Random timelines over six services, the same timelines four ways: no
 * groups (independent), one disjoint group, one nested chain (shares in
 * descending order). Per total: the largest single service's <= nested <=
 * independent <= disjoint <= the sum over services (and <= users), and
 * strictly so in user-hours in most rounds (two services out at once).
 */
static void test_bounds(void **state)
{
    enum { N = 6 };
    fixture *f = malloc(sizeof(*f));
    uint64_t seed = 16;
    int round, strict = 0;

    (void)state;
    assert_non_null(f);
    for (round = 0; round < 200; round++) {
        double share[N], sum = 0.0, tot[3][3], mx[3] = {0, 0, 0}, sm[3] = {0, 0, 0};
        size_t order[N], i, j, k;
        int way;
        fx_init(f, N, 1e5);
        f->sc.start_hour = 24.0 * uniform(&seed);
        for (i = 0; i < 24; i++)
            f->sc.population.hourly[i] = 0.2 + 0.8 * uniform(&seed);
        for (i = 0; i < N; i++) {
            double pts[2 * MAX_PTS], t = 0.0;
            size_t n = 1 + (size_t)(uniform(&seed) * 8);
            share[i] = uniform(&seed);
            sum += share[i];
            pts[0] = 0.0;
            pts[1] = 1.0;
            for (k = 1; k < n; k++) {
                t += 30.0 * uniform(&seed);
                pts[2 * k] = t;
                pts[2 * k + 1] = k + 1 == n ? 1.0 : uniform(&seed) < 0.3 ? 0.0 : uniform(&seed);
            }
            fx_timeline(f, i, n, pts);
        }
        /* Shares that fit disjoint (sum <= 1), sorted descending for nesting. */
        for (i = 0; i < N; i++)
            f->sv[i].user_share = share[i] / (sum * (1.0 + uniform(&seed)));
        for (i = 0; i < N; i++)
            order[i] = i;
        for (i = 1; i < N; i++)
            for (j = i; j > 0 && f->sv[order[j]].user_share > f->sv[order[j - 1]].user_share; j--) {
                size_t x = order[j];
                order[j] = order[j - 1];
                order[j - 1] = x;
            }
        for (way = 0; way < 3; way++) {
            osim_impact *im;
            f->sc.populations_count = 0;
            if (way == 1)
                fx_group(f, 0, OSIM_OVERLAP_NESTED, N, order);
            if (way == 2)
                fx_group(f, 0, OSIM_OVERLAP_DISJOINT, N, NULL);
            im = fx_compute(f);
            tot[way][0] = im->distinct_affected;
            tot[way][1] = im->peak_affected;
            tot[way][2] = im->user_hours_lost;
            if (way == 0)
                for (i = 0; i < N; i++) {
                    const osim_service_impact *si = &im->services[i];
                    double v[3] = {si->affected, si->peak_affected, si->user_hours_lost};
                    for (k = 0; k < 3; k++) {
                        if (v[k] > mx[k])
                            mx[k] = v[k];
                        sm[k] += v[k];
                    }
                }
            osim_impact_free(im);
        }
        for (k = 0; k < 3; k++) {
            assert_le("max <= nested", mx[k], tot[1][k]);
            assert_le("nested <= independent", tot[1][k], tot[0][k]);
            assert_le("independent <= disjoint", tot[0][k], tot[2][k]);
            assert_le("disjoint <= sum", tot[2][k], sm[k]);
        }
        assert_le("disjoint <= users", tot[2][0], 1e5);
        /* Overlap changes something when two services are out at once. */
        if (tot[1][2] < tot[0][2] * (1.0 - 1e-9) && tot[0][2] < tot[2][2] * (1.0 - 1e-9))
            strict++;
    }
    /* Most rounds have two services out at once: each rule then differs. */
    if (strict < 100)
        fail_msg("only %d of 200 rounds with nested < independent < disjoint", strict);
    free(f);
}

/* ---------------------------------------------------------------- nested */

/*
 * Outer (share 0.6) down whole from 2 h to 20 h. Inner (0.3, its users among
 * the outer's) down inside that window: nothing more is lost than the
 * outer's. Inner down also from 40 h to 50 h at 0.5: its own users out then,
 * 0.3 x 0.5, add to the totals.
 */
static void test_nested_outer_down(void **state)
{
    static const double outer[] = {0, 1, 2, 0, 20, 1};
    static const double inner_in[] = {0, 1, 5, 0, 12, 0.5, 15, 1};
    static const double inner_both[] = {0, 1, 5, 0, 12, 0.5, 15, 1, 40, 0.5, 50, 1};
    fixture f;
    osim_impact *im;

    (void)state;
    fx_init(&f, 2, 1000.0);
    f.sv[0].user_share = 0.6;
    f.sv[1].user_share = 0.3;
    fx_timeline(&f, 0, 3, outer);
    fx_timeline(&f, 1, 4, inner_in);
    fx_group(&f, 0, OSIM_OVERLAP_NESTED, 2, NULL);
    im = fx_compute(&f);
    assert_close(im->distinct_affected, 1000 * 0.6, 1e-14);
    assert_close(im->peak_affected, 1000 * 0.6, 1e-14);
    assert_close(im->user_hours_lost, 1000 * 0.6 * 18, 1e-14);
    assert_close(im->distinct_affected, im->services[0].affected, 1e-14);
    assert_close(im->user_hours_lost, im->services[0].user_hours_lost, 1e-14);
    osim_impact_free(im);

    fx_timeline(&f, 1, 6, inner_both);
    im = fx_compute(&f);
    assert_close(im->distinct_affected, 1000 * 0.6, 1e-14);
    assert_close(im->user_hours_lost, 1000 * (0.6 * 18 + 0.3 * 0.5 * 10), 1e-14);
    osim_impact_free(im);
}

/*
 * Hand-worked shares out. Nested: outer 0.6 at 0.5, inner 0.3 at 0.5 at
 * once: 0.6 x 0.5 + 0.3 x 0.5 (outer serves) x 0.5 (inner does not) =
 * 0.375. A disjoint pair (0.2 at 0, 0.3 at 0.5: out 0.35) beside a third
 * service in no group (0.4 at 0.5: out 0.2), independent of the pair:
 * 1 - 0.65 x 0.8 = 0.48.
 */
static void test_by_hand(void **state)
{
    static const double half[] = {0, 1, 10, 0.5, 20, 1};
    static const double zero[] = {0, 1, 10, 0, 20, 1};
    fixture f;
    osim_impact *im;

    (void)state;
    fx_init(&f, 2, 1000.0);
    f.sv[0].user_share = 0.6;
    f.sv[1].user_share = 0.3;
    fx_timeline(&f, 0, 3, half);
    fx_timeline(&f, 1, 3, half);
    fx_group(&f, 0, OSIM_OVERLAP_NESTED, 2, NULL);
    im = fx_compute(&f);
    assert_close(im->peak_affected, 375.0, 1e-14);
    assert_close(im->user_hours_lost, 3750.0, 1e-14);
    assert_close(im->distinct_affected, 375.0, 1e-14);
    osim_impact_free(im);

    {
        static const size_t pair[] = {0, 2};
        fx_init(&f, 3, 1000.0);
        f.sv[0].user_share = 0.2;
        f.sv[1].user_share = 0.4;
        f.sv[2].user_share = 0.3;
        fx_timeline(&f, 0, 3, zero);
        fx_timeline(&f, 1, 3, half);
        fx_timeline(&f, 2, 3, half);
        fx_group(&f, 0, OSIM_OVERLAP_DISJOINT, 2, pair);
        im = fx_compute(&f);
        assert_close(im->peak_affected, 480.0, 1e-14);
        assert_close(im->user_hours_lost, 4800.0, 1e-14);
        assert_close(im->distinct_affected, 480.0, 1e-14);
        osim_impact_free(im);
    }
}

/* --------------------------------------------- disjoint, by another path */

/*
 * With flat profiles, users of disjoint services are out at t in the sum
 * of the services' shares out, so the distinct totals are the sums of the
 * per-service totals, which impact.c computes service by service with no
 * fold at all. 240 tenants, staggered cuts and returns in steps, several
 * at the same instants, one never out, one with an empty timeline.
 */
static void test_disjoint_sums_many(void **state)
{
    enum { N = 240 };
    fixture *f = malloc(sizeof(*f));
    osim_impact *im;
    uint64_t seed = 5;
    double uh = 0.0, aff = 0.0;
    size_t i, k;

    (void)state;
    assert_non_null(f);
    fx_init(f, N, 3e7);
    for (i = 0; i < N; i++) {
        double pts[2 * MAX_PTS], t = 1.0 + (double)(i % 7);
        size_t n = i == 17 ? 1 : 2 + (size_t)(uniform(&seed) * 10);
        f->sv[i].user_share = (0.5 + uniform(&seed)) / (1.5 * N);
        pts[0] = 0.0;
        pts[1] = 1.0;
        for (k = 1; k < n; k++) {
            pts[2 * k] = t;
            pts[2 * k + 1] = k + 1 == n ? 1.0 : (double)(k - 1) / (double)n;
            t += i % 3 == 0 ? 6.0 : 20.0 * uniform(&seed);
        }
        fx_timeline(f, i, n, pts);
    }
    f->out[101].tl.count = 0;
    fx_group(f, 0, OSIM_OVERLAP_DISJOINT, N, NULL);
    im = fx_compute(f);
    for (i = 0; i < N; i++) {
        uh += im->services[i].user_hours_lost;
        aff += im->services[i].affected;
    }
    assert_true(uh > 0.0);
    assert_close(im->user_hours_lost, uh, 1e-12);
    assert_close(im->distinct_affected, aff, 1e-12);
    osim_impact_free(im);
    free(f);
}

/* ------------------------------------------------ independent, and refusals */

/* An `independent` group is today's rule: not one bit changes. */
static void test_independent_group_changes_nothing(void **state)
{
    static const double a[] = {0, 1, 2, 0.2, 5, 1};
    static const double b[] = {0, 1, 4, 0.5, 10, 1};
    fixture f;
    osim_impact *im;
    double uh, peak, aff;

    (void)state;
    fx_init(&f, 3, 1234.0);
    f.sv[0].user_share = 0.5;
    f.sv[1].user_share = 0.4;
    f.sv[2].user_share = 0.3;
    fx_timeline(&f, 0, 3, a);
    fx_timeline(&f, 2, 3, b);
    im = fx_compute(&f);
    uh = im->user_hours_lost;
    peak = im->peak_affected;
    aff = im->distinct_affected;
    osim_impact_free(im);
    fx_group(&f, 0, OSIM_OVERLAP_INDEPENDENT, 3, NULL);
    im = fx_compute(&f);
    assert_true(im->user_hours_lost == uh && im->peak_affected == peak &&
                im->distinct_affected == aff);
    osim_impact_free(im);
}

/* The impact refuses groups the loader refuses (a scenario built by hand). */
static void test_impact_refuses(void **state)
{
    static const size_t beyond[] = {0, 7};
    static const size_t again[] = {1, 2};
    fixture f;
    osim_impact *im = NULL;

    (void)state;
    fx_init(&f, 3, 100.0);
    f.sv[0].user_share = 0.5;
    f.sv[1].user_share = 0.4;
    f.sv[2].user_share = 0.3;
    fx_group(&f, 0, OSIM_OVERLAP_DISJOINT, 2, beyond);
    assert_int_equal(osim_impact_new(&f.sc, &im), OSIM_EINVAL);
    fx_group(&f, 0, OSIM_OVERLAP_DISJOINT, 3, NULL); /* 1.2 of the users */
    assert_int_equal(osim_impact_new(&f.sc, &im), OSIM_EINVAL);
    fx_group(&f, 0, OSIM_OVERLAP_NESTED, 2, again);   /* 0.4 then 0.3: fine */
    fx_group(&f, 1, OSIM_OVERLAP_DISJOINT, 2, again); /* the same services again */
    assert_int_equal(osim_impact_new(&f.sc, &im), OSIM_EINVAL);
    f.sc.populations_count = 1;
    f.members[0][0] = 2; /* nested 0.3 then 0.3: fine; then 0.3 inside... */
    f.members[0][1] = 1; /* ... 0.4 is larger than its outer */
    assert_int_equal(osim_impact_new(&f.sc, &im), OSIM_EINVAL);
    assert_null(im);
}

/* ----------------------------------------------------------------- loader */

static char *minimal_without_businesses(void)
{
    FILE *fp = fopen("../scenarios/minimal.yaml", "rb");
    char *text = calloc(1, 1 << 16), *cut;
    size_t n;

    assert_non_null(fp);
    assert_non_null(text);
    n = fread(text, 1, (1 << 16) - 4096, fp);
    fclose(fp);
    text[n] = '\0';
    cut = strstr(text, "\nbusinesses:");
    assert_non_null(cut);
    cut[1] = '\0';
    return text;
}

/* Load minimal.yaml (without its businesses) plus `extra`; the diagnostic's text. */
static int load_with(const char *extra, osim_scenario **sc, char *msg, size_t n)
{
    char *text = minimal_without_businesses();
    osim_diag d;
    int rc;

    strcat(text, extra);
    memset(&d, 0, sizeof(d));
    rc = osim_scenario_load_buffer("p.yaml", text, strlen(text), NULL, sc, &d);
    snprintf(msg, n, "p.yaml:%d:%d: %s", d.line, d.col, d.msg);
    free(text);
    return rc;
}

static void expect_refused(const char *extra, const char *where, const char *words)
{
    osim_scenario *sc = NULL;
    char msg[1024];

    assert_int_not_equal(load_with(extra, &sc, msg, sizeof(msg)), 0);
    assert_null(sc);
    if (strstr(msg, where) == NULL || strstr(msg, words) == NULL)
        fail_msg("expected '%s' ... '%s', got: %s", where, words, msg);
}

static void test_loader(void **state)
{
    osim_scenario *sc = NULL;
    char msg[1024];

    (void)state;
    /* minimal.yaml: chat 0.95, pay 0.3, maps 0.2 of the users; login none. */
    if (load_with("populations:\n"
                  "  - {services: [chat, pay], overlap: nested}\n"
                  "  - {services: [maps, login], overlap: disjoint}\n",
                  &sc, msg, sizeof(msg)) == 0)
        fail_msg("accepted a service with no users in a group");
    if (strstr(msg, "p.yaml:107:23:") == NULL)
        fail_msg("%s", msg);
    assert_non_null(strstr(msg, "'login' has no users"));

    if (load_with("populations:\n"
                  "  - {services: [chat, pay, maps], overlap: nested}\n",
                  &sc, msg, sizeof(msg)) != 0)
        fail_msg("refused a good group: %s", msg);
    assert_int_equal(sc->populations_count, 1);
    assert_int_equal(sc->populations[0].overlap, OSIM_OVERLAP_NESTED);
    assert_int_equal(sc->populations[0].services_count, 3);
    assert_string_equal(sc->services[sc->populations[0].services[2]].name, "maps");
    osim_scenario_free(sc);
    sc = NULL;
    if (load_with("populations:\n"
                  "  - services: [pay, maps]\n"
                  "    overlap: disjoint\n",
                  &sc, msg, sizeof(msg)) != 0)
        fail_msg("refused a good group: %s", msg);
    assert_int_equal(sc->populations[0].overlap, OSIM_OVERLAP_DISJOINT);
    osim_scenario_free(sc);

    expect_refused("populations:\n  - {services: [chat, pay, maps], overlap: disjoint}\n",
                   "p.yaml:106:", "adds up to 1.25 with 'pay', more than all users");
    expect_refused("populations:\n  - {services: [pay, chat], overlap: nested}\n",
                   "p.yaml:106:22:", "'chat' (user_share 0.95) has more users than 'pay'");
    expect_refused("populations:\n"
                   "  - {services: [pay, maps], overlap: disjoint}\n"
                   "  - {services: [chat, pay], overlap: nested}\n",
                   "p.yaml:107:23:", "'pay' is already in populations.0");
    expect_refused("populations:\n  - {services: [pay], overlap: disjoint}\n",
                   "p.yaml:106:17:", "at least two services");
    expect_refused("populations:\n  - {services: [pay, nope], overlap: disjoint}\n",
                   "p.yaml:106:22:", "unknown service 'nope'");
    expect_refused("populations:\n  - {services: [pay, maps, pay], overlap: disjoint}\n",
                   "p.yaml:106:28:", "lists service 'pay' twice");
    expect_refused("populations:\n  - {services: [pay, maps], overlap: overlapping}\n",
                   "p.yaml:106:", "not one of: independent, disjoint, nested");
    expect_refused("populations:\n  - {services: [pay, maps]}\n",
                   "p.yaml:106:", "missing required key 'overlap'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tenants_all_cut_off),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_nested_outer_down),
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_disjoint_sums_many),
        cmocka_unit_test(test_independent_group_changes_nothing),
        cmocka_unit_test(test_impact_refuses),
        cmocka_unit_test(test_loader),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
