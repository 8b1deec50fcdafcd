/*
 * test_replay.c -- the replay mechanism against results known in closed form.
 *
 * Invariants checked: a lone service's downtime is its power-off time plus
 * its restart (mean within the 99% confidence interval of the closed form);
 * a service is only as available as what it needs (dependency chain); with
 * one member of staff manual failovers are served one at a time in request
 * order (the k-th completes after k failover times on average); the
 * incident is the same under every topology (common random numbers);
 * active-active survivors carry share x (1 + headroom) of the load;
 * half_back_h is the start of the last stretch at >= 50% (before full
 * recovery, after a second dip, the horizon when never reached); a failover
 * under way is called off when the primary is fully back, frees its staff
 * and loses no replication lag; a prerequisite counts as up at
 * needs_min < 1; systems back: identical systems recover as one step,
 * others one at a time (the standby copy counts after a failover), and the
 * expected data loss does not depend on how many systems hold the data;
 * and waiting failovers start at the instant their prerequisite, their
 * staff (of unequal sizes) or their standby arrives.
 *
 * Scenarios are built in memory so these tests depend on the replay alone.
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

#include "outagesim/replay.h"

#define MAX_SVC 8

/* A tiny world: site 0 burns, site 1 does not. */
typedef struct world {
    osim_scenario sc;
    osim_site sites[2];
    osim_incident_site inc;
    osim_profile_point profile[1];
    osim_service svc[MAX_SVC];
    size_t deps[MAX_SVC][MAX_SVC];
    size_t order[MAX_SVC];
    osim_topology topo[2];
    osim_placement pl[2][MAX_SVC];
    size_t site0, site1;
    size_t both[2];
    double half[2];
    size_t needs[MAX_SVC];
} world;

static osim_dist fixed(double v)
{
    return osim_dist_fixed(v);
}

static osim_dist expo(double mean)
{
    osim_dist d = osim_dist_fixed(0.0);
    d.kind = OSIM_DIST_EXPONENTIAL;
    d.p[0] = mean;
    d.lo = 0.0;
    return d;
}

/* Fire: power cut at 1 h, restoration at cut + suppression_h, all racks at once. */
static void world_init(world *w, size_t nsvc, double suppression_h)
{
    size_t i, t;

    memset(w, 0, sizeof(*w));
    w->site0 = 0;
    w->site1 = 1;
    w->both[0] = 0;
    w->both[1] = 1;
    w->half[0] = w->half[1] = 0.5;
    w->sites[0].name = "burning";
    w->sites[1].name = "safe";
    w->sc.name = "test";
    w->sc.horizon_h = 1000.0;
    w->sc.sites = w->sites;
    w->sc.sites_count = 2;
    w->inc.site = 0;
    w->inc.detection_h = fixed(0.0);
    w->inc.ups_ride_through_h = fixed(INFINITY);
    w->inc.partial_loss_fraction = fixed(0.0);
    w->inc.power_cut_h = fixed(1.0);
    w->inc.suppression_h = fixed(suppression_h);
    w->profile[0].after_h = 0.0;
    w->profile[0].fraction = 1.0;
    w->inc.restoration = w->profile;
    w->inc.restoration_count = 1;
    w->inc.restoration_scale = fixed(1.0);
    w->inc.destroyed_fraction = fixed(0.0);
    w->inc.replace_h = fixed(0.0);
    w->sc.incident = &w->inc;
    w->sc.incident_count = 1;
    w->sc.services = w->svc;
    w->sc.services_count = nsvc;
    w->sc.topo_order = w->order;
    for (i = 0; i < nsvc; i++) {
        w->svc[i].name = "svc";
        w->svc[i].restart_h = fixed(0.0);
        w->svc[i].shards = 1;
        w->order[i] = i;
    }
    w->sc.topologies = w->topo;
    w->sc.topologies_count = 2;
    for (t = 0; t < 2; t++) {
        w->topo[t].name = t ? "b" : "a";
        w->topo[t].staff = 1;
        w->topo[t].placements = w->pl[t];
        for (i = 0; i < nsvc; i++) {
            osim_placement *p = &w->pl[t][i];
            p->service = i;
            p->active = &w->site0;
            p->active_count = 1;
            p->lag_h = fixed(0.0);
            p->detect_h = fixed(0.0);
            p->failover_h = fixed(0.0);
            p->needs_min = 1.0;
            p->staff = 1;
        }
    }
}

typedef struct run {
    osim_incident *inc;
    osim_replay *rp;
    osim_replay_result *res;
} run;

static void run_open(run *r, const osim_scenario *sc)
{
    assert_int_equal(osim_incident_new(sc, &r->inc), 0);
    assert_int_equal(osim_replay_new(sc, &r->rp), 0);
    assert_int_equal(osim_replay_result_new(sc, &r->res), 0);
}

static void run_close(run *r)
{
    osim_replay_result_free(r->res);
    osim_replay_free(r->rp);
    osim_incident_free(r->inc);
}

static void replay(run *r, const osim_scenario *sc, size_t topo, uint64_t rep)
{
    osim_incident_draw(sc, 42, rep, r->inc);
    assert_int_equal(osim_replay_run(r->rp, r->inc, topo, 42, rep, r->res), 0);
}

/* One service, power back at 1 h + 0, restart ~ Exp(mean 2 h): the downtime is
 * the restart time, so its mean must sit in the 99% CI around 2 h. */
static void test_exponential_restart_mean(void **state)
{
    world w;
    run r;
    const int n = 4000;
    double sum = 0.0, sum2 = 0.0, mean, sd, half;
    int i;

    (void)state;
    world_init(&w, 1, 0.0);
    w.svc[0].restart_h = expo(2.0);
    run_open(&r, &w.sc);
    for (i = 0; i < n; i++) {
        replay(&r, &w.sc, 0, (uint64_t)i);
        sum += r.res->services[0].downtime_h;
        sum2 += r.res->services[0].downtime_h * r.res->services[0].downtime_h;
        /* The outage starts at the cut, exactly. */
        assert_true(r.res->services[0].tl.t_h[1] == 1.0);
        assert_true(fabs(r.res->services[0].recovered_h - (1.0 + r.res->services[0].downtime_h)) <
                    1e-9);
    }
    mean = sum / n;
    sd = sqrt((sum2 - n * mean * mean) / (n - 1));
    half = 2.5758 * 2.0 / sqrt((double)n); /* closed form: sd of Exp(2) is 2 */
    assert_true(fabs(mean - 2.0) < half);
    assert_true(fabs(sd - 2.0) < 0.15);
    run_close(&r);
}

/* A needs nothing, B needs A, C needs B. Restarts: A 5 h, B 2 h, C 3 h after
 * power returns at 1 h. B and C cannot serve before A: all back at 6 h. */
static void test_dependency_chain(void **state)
{
    world w;
    run r;

    (void)state;
    world_init(&w, 3, 0.0);
    w.svc[0].restart_h = fixed(5.0);
    w.svc[1].restart_h = fixed(2.0);
    w.svc[2].restart_h = fixed(3.0);
    w.deps[1][0] = 0;
    w.svc[1].deps = w.deps[1];
    w.svc[1].deps_count = 1;
    w.deps[2][0] = 1;
    w.svc[2].deps = w.deps[2];
    w.svc[2].deps_count = 1;
    run_open(&r, &w.sc);
    replay(&r, &w.sc, 0, 0);
    assert_true(r.res->services[0].recovered_h == 6.0);
    assert_true(r.res->services[1].recovered_h == 6.0);
    assert_true(r.res->services[2].recovered_h == 6.0);
    assert_true(fabs(r.res->services[2].downtime_h - 5.0) < 1e-12);
    assert_true(r.res->full_recovery_h == 6.0);
    /* Now A is quick: C waits for its own restart only. */
    w.svc[0].restart_h = fixed(0.5);
    replay(&r, &w.sc, 0, 0);
    assert_true(r.res->services[0].recovered_h == 1.5);
    assert_true(r.res->services[1].recovered_h == 3.0);
    assert_true(r.res->services[2].recovered_h == 4.0);
    run_close(&r);
}

/* Four services fail at the cut (1 h) and the site never returns; each fails
 * over by hand to the safe site in Exp(1 h) with one member of staff. The
 * failovers are served one after another in request order, so the k-th
 * completes at 1 + (sum of k exponential times): mean 1 + k. */
static void test_manual_failover_queue(void **state)
{
    world w;
    run r;
    const int n = 3000;
    double sum[4] = {0}, prev;
    size_t i;
    int rep;

    (void)state;
    world_init(&w, 4, 5000.0); /* restoration after the horizon */
    for (i = 0; i < 4; i++) {
        osim_placement *p = &w.pl[0][i];
        p->standby = &w.site1;
        p->standby_count = 1;
        p->replication = OSIM_REPL_SYNC;
        p->failover = OSIM_FAILOVER_MANUAL;
        p->failover_h = expo(1.0);
    }
    run_open(&r, &w.sc);
    for (rep = 0; rep < n; rep++) {
        replay(&r, &w.sc, 0, (uint64_t)rep);
        prev = 1.0;
        for (i = 0; i < 4; i++) {
            double t = r.res->services[i].recovered_h;
            assert_true(t >= prev); /* FIFO: never overtaken */
            prev = t;
            sum[i] += t;
        }
    }
    for (i = 0; i < 4; i++) {
        double k = (double)(i + 1);
        double mean = sum[i] / n;
        double half = 2.5758 * sqrt(k) / sqrt((double)n); /* sd of a sum of k Exp(1) */
        assert_true(fabs(mean - (1.0 + k)) < half);
    }
    /* Two staff: the first two start together. */
    w.topo[0].staff = 2;
    replay(&r, &w.sc, 0, 7);
    assert_true(r.res->services[0].recovered_h < 1.0 + 20.0);
    run_close(&r);
}

/* A failover cannot start before its prerequisite is up somewhere. */
static void test_failover_waits_for_prerequisite(void **state)
{
    world w;
    run r;

    (void)state;
    world_init(&w, 2, 2.0);          /* power back at 3 h */
    w.svc[0].restart_h = fixed(1.0); /* tools: back at 4 h, only at the burning site */
    w.needs[0] = 0;
    w.pl[0][1].standby = &w.site1;
    w.pl[0][1].standby_count = 1;
    w.pl[0][1].replication = OSIM_REPL_ASYNC;
    w.pl[0][1].failover = OSIM_FAILOVER_MANUAL;
    w.pl[0][1].failover_h = fixed(0.5);
    w.pl[0][1].needs = w.needs;
    w.pl[0][1].needs_count = 1;
    w.svc[1].restart_h = fixed(10.0); /* its own site would take until 13 h */
    w.svc[1].data_change_gb_per_h = 3600.0;
    w.pl[0][1].lag_h = fixed(1.0 / 3600.0); /* one second of writes */
    run_open(&r, &w.sc);
    replay(&r, &w.sc, 0, 0);
    assert_true(r.res->services[0].recovered_h == 4.0);
    assert_true(fabs(r.res->services[1].recovered_h - 4.5) < 1e-12);
    assert_true(fabs(r.res->services[1].data_lost_gb - 1.0) < 1e-9);
    run_close(&r);
}

/* The same fire under every topology: a service placed identically in two
 * topologies has an identical outcome, whatever else differs. */
static void test_common_random_numbers(void **state)
{
    world w;
    run r;
    double a_rec, a_down;
    int rep;

    (void)state;
    world_init(&w, 2, 0.0);
    w.inc.power_cut_h = expo(3.0);
    w.inc.suppression_h = expo(5.0);
    w.svc[0].restart_h = expo(2.0);
    w.svc[1].restart_h = expo(2.0);
    /* Topology b moves service 1 to active-active; service 0 is the same. */
    w.pl[1][1].active = w.both;
    w.pl[1][1].active_count = 2;
    w.pl[1][1].load_share = w.half;
    w.pl[1][1].headroom = 1.0;
    run_open(&r, &w.sc);
    for (rep = 0; rep < 50; rep++) {
        replay(&r, &w.sc, 0, (uint64_t)rep);
        a_rec = r.res->services[0].recovered_h;
        a_down = r.res->services[0].downtime_h;
        assert_true(r.res->services[1].downtime_h > 0.0);
        /* Same replication, the other topology, incident not redrawn. */
        assert_int_equal(osim_replay_run(r.rp, r.inc, 1, 42, (uint64_t)rep, r.res), 0);
        assert_true(r.res->services[0].recovered_h == a_rec);
        assert_true(r.res->services[0].downtime_h == a_down);
        assert_true(r.res->services[1].downtime_h == 0.0);
        /* And redrawing the incident gives the same fire. */
        replay(&r, &w.sc, 0, (uint64_t)rep);
        assert_true(r.res->services[0].recovered_h == a_rec);
    }
    run_close(&r);
}

/* Active-active over both sites, half the load each, headroom 30%: while the
 * burning site is dark the survivor carries 0.5 x 1.3 = 65% of the load. */
static void test_active_active_headroom(void **state)
{
    world w;
    run r;
    const osim_timeline *tl;

    (void)state;
    world_init(&w, 1, 4.0); /* dark from 1 h to 5 h */
    w.pl[0][0].active = w.both;
    w.pl[0][0].active_count = 2;
    w.pl[0][0].load_share = w.half;
    w.pl[0][0].headroom = 0.3;
    run_open(&r, &w.sc);
    replay(&r, &w.sc, 0, 0);
    tl = &r.res->services[0].tl;
    assert_int_equal(tl->count, 3);
    assert_true(fabs(osim_timeline_at(tl, 2.0) - 0.65) < 1e-12);
    assert_true(osim_timeline_at(tl, 5.0) == 1.0);
    assert_true(fabs(r.res->services[0].downtime_h - 0.35 * 4.0) < 1e-12);
    /* With full headroom nothing is lost. */
    w.pl[0][0].headroom = 1.0;
    replay(&r, &w.sc, 0, 0);
    assert_true(r.res->services[0].downtime_h == 0.0);
    assert_true(r.res->services[0].recovered_h == 0.0);
    run_close(&r);
}

/* Sharded service: shards come back one by one; availability steps by 1/k. */
static void test_shards_return_piecewise(void **state)
{
    world w;
    run r;
    const osim_timeline *tl;
    size_t i;

    (void)state;
    world_init(&w, 1, 0.0);
    w.profile[0].fraction = 0.0;
    {
        static osim_profile_point prof[2] = {{0.0, 0.0}, {10.0, 1.0}};
        w.inc.restoration = prof;
        w.inc.restoration_count = 2;
    }
    w.svc[0].shards = 4;
    run_open(&r, &w.sc);
    replay(&r, &w.sc, 0, 3);
    tl = &r.res->services[0].tl;
    assert_int_equal(tl->count, 6); /* up, down, 1/4, 2/4, 3/4, up */
    for (i = 2; i < 6; i++)
        assert_true(fabs(tl->avail[i] - (double)(i - 1) / 4.0) < 1e-12);
    assert_true(tl->t_h[5] <= 11.0 && tl->t_h[2] >= 1.0);
    run_close(&r);
}

/* ------------------------------------------------------ partly back, failover, needs_min */

/*
 * A service active on three sites (load shares 0.3, 0.3, 0.4, no headroom,
 * one shard, no restart) whose sites burn on fixed timetables: site k goes
 * dark at cut[k] and serves again at back[k] (INFINITY: never burns). Its
 * availability is then the sum of the shares of the sites with power, so
 * every step of its timeline is known on paper.
 */
typedef struct three_sites {
    osim_site sites[3];
    osim_incident_site inc[3];
    size_t active[3];
    double share[3];
} three_sites;

static void three_sites_init(world *w, three_sites *t, const double cut[3], const double back[3])
{
    size_t k;

    world_init(w, 1, 0.0);
    memset(t, 0, sizeof(*t));
    t->sites[0].name = "a";
    t->sites[1].name = "b";
    t->sites[2].name = "c";
    w->sc.sites = t->sites;
    w->sc.sites_count = 3;
    w->sc.incident_count = 0;
    for (k = 0; k < 3; k++) {
        t->active[k] = k;
        t->share[k] = k == 2 ? 0.4 : 0.3;
        if (!isfinite(cut[k]))
            continue;
        t->inc[w->sc.incident_count] = w->inc;
        t->inc[w->sc.incident_count].site = k;
        t->inc[w->sc.incident_count].power_cut_h = fixed(cut[k]);
        t->inc[w->sc.incident_count].suppression_h = fixed(back[k] - cut[k]);
        w->sc.incident_count++;
    }
    w->sc.incident = t->inc;
    w->pl[0][0].active = t->active;
    w->pl[0][0].active_count = 3;
    w->pl[0][0].load_share = t->share;
    w->pl[0][0].headroom = 0.0;
}

/* The timeline has exactly these steps (times exact, levels to rounding). */
static void assert_steps(const osim_timeline *tl, size_t n, const double *t_h, const double *a)
{
    size_t i;

    assert_int_equal(tl->count, n);
    for (i = 0; i < n; i++) {
        assert_true(tl->t_h[i] == t_h[i]);
        assert_true(fabs(tl->avail[i] - a[i]) < 1e-12);
    }
}

/* Back to >= 50% before fully back: half_back_h is the partial return, not recovered_h. */
static void test_half_back_before_recovered(void **state)
{
    static const double cut[3] = {1.0, 1.0, INFINITY}, back[3] = {4.0, 10.0, INFINITY};
    static const double t_h[] = {0.0, 1.0, 4.0, 10.0}, a[] = {1.0, 0.4, 0.7, 1.0};
    world w;
    three_sites t;
    run r;
    const osim_service_outcome *o;

    (void)state;
    three_sites_init(&w, &t, cut, back);
    run_open(&r, &w.sc);
    replay(&r, &w.sc, 0, 0);
    o = &r.res->services[0];
    assert_steps(&o->tl, 4, t_h, a);
    assert_true(o->half_back_h == 4.0);
    assert_true(o->recovered_h == 10.0);
    assert_true(fabs(o->downtime_h - (0.6 * 3.0 + 0.3 * 6.0)) < 1e-12);
    run_close(&r);
}

/* Below 50% until the horizon: never partly back, censored at the horizon like
 * recovered_h. Exactly 50% counts as back, and a service that never fell below
 * 50% was partly back from the start. */
static void test_half_back_never_reached(void **state)
{
    static const double cut[3] = {1.0, 1.0, INFINITY}, back[3] = {5000.0, 5000.0, INFINITY};
    world w;
    three_sites t;
    run r;
    const osim_service_outcome *o;

    (void)state;
    three_sites_init(&w, &t, cut, back);
    run_open(&r, &w.sc);
    replay(&r, &w.sc, 0, 0);
    o = &r.res->services[0];
    assert_int_equal(o->tl.count, 2);
    assert_true(fabs(o->tl.avail[1] - 0.4) < 1e-12);
    assert_true(o->half_back_h == w.sc.horizon_h);
    assert_true(o->recovered_h == w.sc.horizon_h);
    /* Still below 50% with headroom: 0.4 x 1.2 = 0.48. */
    w.pl[0][0].headroom = 0.2;
    replay(&r, &w.sc, 0, 0);
    assert_true(fabs(o->tl.avail[1] - 0.48) < 1e-12);
    assert_true(o->half_back_h == w.sc.horizon_h);
    /* 0.4 x 1.25 = 0.5 exactly (to rounding): at 50%, never below it. */
    w.pl[0][0].headroom = 0.25;
    replay(&r, &w.sc, 0, 0);
    assert_true(fabs(o->tl.avail[1] - 0.5) < 1e-12);
    assert_true(o->tl.avail[1] >= 0.5);
    assert_true(o->half_back_h == 0.0);
    assert_true(o->recovered_h == w.sc.horizon_h);
    run_close(&r);
}

/* Partly back at 4 h, then below 50% again from 6 h: "partly back" is the
 * start of the last stretch at >= 50% (10 h), not the first return (4 h). */
static void test_half_back_after_a_second_dip(void **state)
{
    static const double cut[3] = {1.0, 1.0, 6.0}, back[3] = {4.0, 10.0, 14.0};
    static const double t_h[] = {0.0, 1.0, 4.0, 6.0, 10.0, 14.0};
    static const double a[] = {1.0, 0.4, 0.7, 0.3, 0.6, 1.0};
    world w;
    three_sites t;
    run r;
    const osim_service_outcome *o;

    (void)state;
    three_sites_init(&w, &t, cut, back);
    run_open(&r, &w.sc);
    replay(&r, &w.sc, 0, 0);
    o = &r.res->services[0];
    assert_steps(&o->tl, 6, t_h, a);
    assert_true(o->half_back_h == 10.0);
    assert_true(o->recovered_h == 14.0);
    assert_true(fabs(o->downtime_h - (0.6 * 3.0 + 0.3 * 2.0 + 0.7 * 4.0 + 0.4 * 4.0)) < 1e-12);
    run_close(&r);
}

/* Narration kept for a test: who said what, when. */
typedef struct said {
    int n;
    double t_h[64];
    char who[64][16];
    char what[64][96];
} said;

static void record(void *ud, double t_h, const char *who, const char *what)
{
    said *s = ud;

    if (s->n >= 64)
        return;
    s->t_h[s->n] = t_h;
    snprintf(s->who[s->n], sizeof(s->who[0]), "%s", who);
    snprintf(s->what[s->n], sizeof(s->what[0]), "%s", what);
    s->n++;
}

/* When `who` said something containing `what` (-1 if never). */
static double said_at(const said *s, const char *who, const char *what)
{
    int i;

    for (i = 0; i < s->n; i++)
        if (strcmp(s->who[i], who) == 0 && strstr(s->what[i], what) != NULL)
            return s->t_h[i];
    return -1.0;
}

/*
 * Site 0 is dark from 1 h to 3 h. Services a and b fail over by hand to site
 * 1 (5 h, asynchronous, one second of writes = 1 GB behind), one member of
 * staff: a's failover starts at 1 h, b's waits for the staff. a is back on
 * its own site at 3 h, before its failover would finish (6 h): the failover
 * is called off, a keeps serving from its primary and loses no data (the lag
 * is lost only by switching to the standby), and the freed staff start b's
 * failover at 3 h, which completes at 8 h, before b's own site (13 h), and
 * loses the lag.
 */
static void test_failover_called_off_when_primary_back(void **state)
{
    static const double t_h[] = {0.0, 1.0, 3.0}, a[] = {1.0, 0.0, 1.0};
    world w;
    run r;
    said s;
    size_t i;

    (void)state;
    world_init(&w, 2, 2.0);
    w.svc[0].name = "a";
    w.svc[1].name = "b";
    w.svc[1].restart_h = fixed(10.0);
    for (i = 0; i < 2; i++) {
        osim_placement *p = &w.pl[0][i];
        w.svc[i].data_change_gb_per_h = 3600.0;
        p->standby = &w.site1;
        p->standby_count = 1;
        p->replication = OSIM_REPL_ASYNC;
        p->failover = OSIM_FAILOVER_MANUAL;
        p->failover_h = fixed(5.0);
        p->lag_h = fixed(1.0 / 3600.0);
    }
    memset(&s, 0, sizeof(s));
    run_open(&r, &w.sc);
    osim_replay_set_narrate(r.rp, record, &s);
    replay(&r, &w.sc, 0, 0);
    assert_steps(&r.res->services[0].tl, 3, t_h, a);
    assert_true(r.res->services[0].recovered_h == 3.0);
    assert_true(r.res->services[0].data_lost_gb == 0.0);
    assert_true(said_at(&s, "a", "failover to safe starts") == 1.0);
    assert_true(said_at(&s, "a", "failover called off") == 3.0);
    assert_true(said_at(&s, "a", "failover complete") < 0.0);
    assert_true(said_at(&s, "b", "failover waits for free staff") == 1.0);
    assert_true(said_at(&s, "b", "failover to safe starts") == 3.0);
    assert_true(said_at(&s, "b", "failover called off") < 0.0);
    assert_true(r.res->services[1].recovered_h == 8.0);
    assert_true(fabs(r.res->services[1].data_lost_gb - 1.0) < 1e-9);

    /* An automatic failover still in its detection delay (5 h) is called off
     * too: never requested, nothing lost. */
    w.pl[0][0].failover = OSIM_FAILOVER_AUTOMATIC;
    w.pl[0][0].detect_h = fixed(5.0);
    memset(&s, 0, sizeof(s));
    replay(&r, &w.sc, 0, 0);
    assert_steps(&r.res->services[0].tl, 3, t_h, a);
    assert_true(r.res->services[0].data_lost_gb == 0.0);
    assert_true(said_at(&s, "a", "failover called off") == 3.0);
    assert_true(said_at(&s, "a", "automatic failover requested") < 0.0);
    run_close(&r);
}

/*
 * needs_min below 1: a failover prerequisite counts as up at partial
 * availability. Tools run active-active on both sites (half the load each,
 * no headroom): 50% while site 0 is dark (1 h to 3 h, restart 2 h, so until
 * 5 h). The service fails over by hand (0.5 h) once the tools are at
 * needs_min or better: at 1 h when needs_min <= 0.5, at 5 h above it.
 */
static void test_failover_needs_min_partial(void **state)
{
    static const struct {
        double needs_min, back_h;
    } cases[] = {{0.5, 1.5}, {0.4, 1.5}, {0.6, 5.5}, {1.0, 5.5}};
    world w;
    run r;
    size_t c;

    (void)state;
    world_init(&w, 2, 2.0);
    w.svc[0].name = "tools";
    w.svc[0].restart_h = fixed(2.0);
    w.pl[0][0].active = w.both;
    w.pl[0][0].active_count = 2;
    w.pl[0][0].load_share = w.half;
    w.svc[1].name = "chat";
    w.svc[1].restart_h = fixed(10.0); /* its own site: back at 13 h */
    w.needs[0] = 0;
    w.pl[0][1].standby = &w.site1;
    w.pl[0][1].standby_count = 1;
    w.pl[0][1].replication = OSIM_REPL_SYNC;
    w.pl[0][1].failover = OSIM_FAILOVER_MANUAL;
    w.pl[0][1].failover_h = fixed(0.5);
    w.pl[0][1].needs = w.needs;
    w.pl[0][1].needs_count = 1;
    run_open(&r, &w.sc);
    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        w.pl[0][1].needs_min = cases[c].needs_min;
        replay(&r, &w.sc, 0, 0);
        assert_true(fabs(osim_timeline_at(&r.res->services[0].tl, 2.0) - 0.5) < 1e-12);
        assert_true(r.res->services[0].recovered_h == 5.0);
        assert_true(fabs(r.res->services[1].recovered_h - cases[c].back_h) < 1e-12);
    }
    run_close(&r);
}

/* ------------------------------------------------------ systems back */

/*
 * N identical systems with no randomness (fixed restart, every rack back at
 * once) recover as one step: the share of systems back is 1, then 0 from
 * the cut (1 h) to power back (1 h + 3 h) + restart (2 h), then 1 at once;
 * the 50/90/100% times are all that instant.
 */
static void test_systems_one_step(void **state)
{
    static const double t_h[] = {0.0, 1.0, 6.0}, a[] = {1.0, 0.0, 1.0};
    world w;
    run r;
    uint64_t rep;

    (void)state;
    world_init(&w, 2, 3.0);
    w.svc[0].systems = 709;
    w.svc[1].systems = 1000;
    w.svc[0].restart_h = w.svc[1].restart_h = fixed(2.0);
    run_open(&r, &w.sc);
    for (rep = 0; rep < 20; rep++) {
        replay(&r, &w.sc, 0, rep);
        assert_int_equal(r.res->systems_total, 1709);
        assert_steps(&r.res->systems, 3, t_h, a);
        assert_true(r.res->systems_50_h == 6.0);
        assert_true(r.res->systems_90_h == 6.0);
        assert_true(r.res->systems_100_h == 6.0);
    }
    run_close(&r);
}

/*
 * Systems come back one by one when racks get power over 10 h; the share
 * steps by 1/N and the 50/90/100% times are where it crosses each level.
 * After a failover a system counts as back by its standby copy: the
 * safe site's copy is up, so every system is back when the failover
 * completes (the dependency on nothing else is not counted).
 */
static void test_systems_piecewise_and_failover(void **state)
{
    static osim_profile_point prof[2] = {{0.0, 0.0}, {10.0, 1.0}};
    world w;
    run r;
    const osim_timeline *tl;
    size_t i, n = 40;

    (void)state;
    world_init(&w, 1, 0.0);
    w.inc.restoration = prof;
    w.inc.restoration_count = 2;
    w.svc[0].systems = (double)n;
    run_open(&r, &w.sc);
    replay(&r, &w.sc, 0, 5);
    tl = &r.res->systems;
    assert_int_equal(tl->count, n + 2); /* all back, none, then one more at a time */
    for (i = 2; i < tl->count; i++) {
        assert_true(fabs(tl->avail[i] - (double)(i - 1) / (double)n) < 1e-12);
        assert_true(tl->t_h[i] >= tl->t_h[i - 1]);
    }
    assert_true(r.res->systems_50_h == tl->t_h[1 + n / 2]);
    assert_true(r.res->systems_90_h == tl->t_h[1 + (9 * n + 9) / 10]);
    assert_true(r.res->systems_100_h == tl->t_h[n + 1]);
    assert_true(r.res->systems_100_h == r.res->services[0].recovered_h);

    /* Fail over automatically after 0.5 h detection + 0.5 h switch: back at 2 h,
     * before any rack has power again (suppression 5 h). */
    w.inc.suppression_h = fixed(5.0);
    w.pl[0][0].standby = &w.site1;
    w.pl[0][0].standby_count = 1;
    w.pl[0][0].replication = OSIM_REPL_SYNC;
    w.pl[0][0].failover = OSIM_FAILOVER_AUTOMATIC;
    w.pl[0][0].detect_h = fixed(0.5);
    w.pl[0][0].failover_h = fixed(0.5);
    replay(&r, &w.sc, 0, 5);
    tl = &r.res->systems;
    assert_int_equal(tl->count, 3);
    assert_true(tl->t_h[1] == 1.0 && tl->avail[1] == 0.0);
    assert_true(tl->t_h[2] == 2.0 && tl->avail[2] == 1.0);
    assert_true(r.res->systems_100_h == 2.0);
    run_close(&r);
}

/*
 * More systems with the same total data give the same expected data loss:
 * with no copy elsewhere, a share `destroyed` of racks burns and each
 * system holds data/N, so the loss is data x Binomial(N, destroyed) / N,
 * of mean data x destroyed for every N and standard deviation
 * data x sqrt(d (1 - d) / N). The mean over R replications must sit within
 * 4 standard errors of that closed form (a false alarm about once in
 * 16,000 runs per N), for N = 1, 10, 709 and 10,000.
 */
static void test_systems_same_expected_data_loss(void **state)
{
    static const double sizes[] = {1, 10, 709, 10000};
    const double data = 1000.0, d = 0.3;
    const int R = 3000;
    world w;
    run r;
    size_t k;

    (void)state;
    for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        double sum = 0.0, se;
        int i;
        world_init(&w, 1, 1.0);
        w.inc.destroyed_fraction = fixed(d);
        w.svc[0].data_gb = data;
        w.svc[0].systems = sizes[k];
        run_open(&r, &w.sc);
        for (i = 0; i < R; i++) {
            replay(&r, &w.sc, 0, (uint64_t)i);
            sum += r.res->services[0].data_lost_gb;
        }
        run_close(&r);
        se = data * sqrt(d * (1.0 - d) / sizes[k]) / sqrt((double)R);
        assert_true(fabs(sum / R - data * d) < 4.0 * se);
    }
}

/*
 * Waiting failovers start at the very instant what they wait for arrives,
 * in request order, however they got stuck. Site 0 is dark from 1 h to
 * 3 h; the tools (site 0 only, restart 2 h) are back at 5 h. Three services
 * need the tools and fail over by hand, requested at 1 h in the order b, a,
 * c; two members of staff; b takes 1 member for 1 h, a 2 members for 2 h,
 * c 1 member for 3 h. At 5 h b starts, a waits for staff (it needs both),
 * c starts. At 6 h b is done: one member is free, still not enough for a.
 * At 8 h c is done and a starts, done at 10 h.
 *
 * Then a standby that burns too: site 1 is dark from 1 h to 4 h. A service
 * of site 0 (back at 101 h) fails over by hand to site 1: requested at 1 h,
 * it waits for its standby and starts at 4 h, the moment its shards serve
 * again (0.5 h: done at 4.5 h).
 */
static void test_waiting_failovers_start_on_time(void **state)
{
    static char names[][8] = {"tools", "b", "a", "c"};
    static const double staff[] = {0, 1, 2, 1}, fo_h[] = {0, 1, 2, 3};
    osim_incident_site incs[2];
    world w;
    run r;
    said s;
    size_t i;

    (void)state;
    world_init(&w, 4, 2.0);
    w.topo[0].staff = 2;
    w.svc[0].restart_h = fixed(2.0);
    w.needs[0] = 0;
    for (i = 0; i < 4; i++) {
        osim_placement *p = &w.pl[0][i];
        w.svc[i].name = names[i];
        if (i == 0)
            continue;
        w.svc[i].restart_h = fixed(50.0);
        p->standby = &w.site1;
        p->standby_count = 1;
        p->replication = OSIM_REPL_SYNC;
        p->failover = OSIM_FAILOVER_MANUAL;
        p->failover_h = fixed(fo_h[i]);
        p->staff = staff[i];
        p->needs = w.needs;
        p->needs_count = 1;
    }
    memset(&s, 0, sizeof(s));
    run_open(&r, &w.sc);
    osim_replay_set_narrate(r.rp, record, &s);
    replay(&r, &w.sc, 0, 0);
    assert_true(r.res->services[0].recovered_h == 5.0);
    assert_true(said_at(&s, "b", "failover to safe starts") == 5.0);
    assert_true(said_at(&s, "c", "failover to safe starts") == 5.0);
    assert_true(said_at(&s, "a", "failover waits: needs tools") == 1.0);
    assert_true(said_at(&s, "a", "failover to safe starts") == 8.0);
    assert_true(r.res->services[1].recovered_h == 6.0);
    assert_true(r.res->services[3].recovered_h == 8.0);
    assert_true(r.res->services[2].recovered_h == 10.0);
    run_close(&r);

    world_init(&w, 1, 100.0);
    w.svc[0].name = "x";
    incs[0] = w.inc;
    incs[1] = w.inc;
    incs[1].site = 1;
    incs[1].suppression_h = fixed(3.0);
    w.sc.incident = incs;
    w.sc.incident_count = 2;
    w.pl[0][0].standby = &w.site1;
    w.pl[0][0].standby_count = 1;
    w.pl[0][0].replication = OSIM_REPL_SYNC;
    w.pl[0][0].failover = OSIM_FAILOVER_MANUAL;
    w.pl[0][0].failover_h = fixed(0.5);
    memset(&s, 0, sizeof(s));
    run_open(&r, &w.sc);
    osim_replay_set_narrate(r.rp, record, &s);
    replay(&r, &w.sc, 0, 0);
    assert_true(said_at(&s, "x", "failover waits: standby site is down") == 1.0);
    assert_true(said_at(&s, "x", "failover to safe starts") == 4.0);
    assert_true(r.res->services[0].recovered_h == 4.5);
    run_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential_restart_mean),
        cmocka_unit_test(test_dependency_chain),
        cmocka_unit_test(test_manual_failover_queue),
        cmocka_unit_test(test_failover_waits_for_prerequisite),
        cmocka_unit_test(test_common_random_numbers),
        cmocka_unit_test(test_active_active_headroom),
        cmocka_unit_test(test_shards_return_piecewise),
        cmocka_unit_test(test_half_back_before_recovered),
        cmocka_unit_test(test_half_back_never_reached),
        cmocka_unit_test(test_half_back_after_a_second_dip),
        cmocka_unit_test(test_failover_called_off_when_primary_back),
        cmocka_unit_test(test_failover_needs_min_partial),
        cmocka_unit_test(test_systems_one_step),
        cmocka_unit_test(test_systems_piecewise_and_failover),
        cmocka_unit_test(test_systems_same_expected_data_loss),
        cmocka_unit_test(test_waiting_failovers_start_on_time),
    };

    return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
