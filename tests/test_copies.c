/*
 * test_copies.c -- copies of data: backups that hold data but cannot serve
 * (docs/model.md, "Copies").
 *
 * Invariants checked, replication by replication over many seeds on
 * tests/fixtures/copies/base.yaml (a random share of one zone of one
 * building destroyed, a service held only there): an off-site backup never
 * increases the data lost, and lowers it in some replication; a backup in
 * the same building loses everything when its building burns, and then
 * nothing is restored; a faster restore rate never lengthens
 * data_restored_h, and shortens it in some replication; data is never back
 * before the service is; the data lost by kind of copy sums to data_lost_gb;
 * the loss with a surviving backup is the changes since it (at most the
 * data held); and the backups' draws shift no other draw (every availability
 * timeline is the same with or without backups). Under crews
 * (tests/fixtures/copies/crews.yaml): crews enough for everything give the
 * results of no crews exactly, restore included; one crew, which the
 * restore holds too, never brings data back earlier, and later in some
 * replication, where the rebuilt systems and the restore queue for it.
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

#include "outagesim/incident.h"
#include "outagesim/replay.h"
#include "outagesim/scenario.h"

#define FIXTURE "fixtures/copies/base.yaml"
#define REPS 400
#define STORE 0 /* services[0] */

static const char *fixture = FIXTURE;

static osim_scenario *load(const osim_override *ov, size_t n)
{
    osim_scenario_options opt = {ov, n, NULL};
    osim_scenario *sc = NULL;
    osim_diag d;

    if (osim_scenario_load(fixture, &opt, &sc, &d) != 0)
        fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
    return sc;
}

/* One scenario's replay machinery. */
typedef struct runner {
    osim_scenario *sc;
    osim_incident *inc;
    osim_replay *rp;
    osim_replay_result *res;
} runner;

static void runner_init(runner *r, const osim_override *ov, size_t n)
{
    r->sc = load(ov, n);
    assert_int_equal(osim_incident_new(r->sc, &r->inc), 0);
    assert_int_equal(osim_replay_new(r->sc, &r->rp), 0);
    assert_int_equal(osim_replay_result_new(r->sc, &r->res), 0);
}

static void runner_free(runner *r)
{
    osim_replay_result_free(r->res);
    osim_replay_free(r->rp);
    osim_incident_free(r->inc);
    osim_scenario_free(r->sc);
}

/* Play replication rep under topology `name`: the store's outcome (copied). */
static osim_service_outcome play(runner *r, const char *name, uint64_t seed, uint64_t rep)
{
    long t = osim_scenario_topology_index(r->sc, name);
    osim_service_outcome o;

    assert_true(t >= 0);
    osim_incident_draw(r->sc, seed, rep, r->inc);
    assert_int_equal(osim_replay_run(r->rp, r->inc, (size_t)t, seed, rep, r->res), 0);
    o = r->res->services[STORE];
    memset(&o.tl, 0, sizeof(o.tl));
    return o;
}

static void check_kinds(const osim_service_outcome *o)
{
    double sum = o->data_lost_replica_gb + o->data_lost_backup_gb + o->data_lost_no_copy_gb;

    assert_true(fabs(sum - o->data_lost_gb) <= 1e-9 * (1.0 + o->data_lost_gb));
    assert_true(o->data_restored_h >= o->recovered_h);
}

static void offsite_never_loses_more(void **state)
{
    runner r;
    size_t lower = 0, some_loss = 0;
    uint64_t seed, rep;

    (void)state;
    runner_init(&r, NULL, 0);
    for (seed = 1; seed <= 3; seed++)
        for (rep = 0; rep < REPS; rep++) {
            osim_service_outcome none = play(&r, "none", seed, rep);
            osim_service_outcome off = play(&r, "offsite-only", seed, rep);
            osim_service_outcome zone = play(&r, "same-zone", seed, rep);
            osim_service_outcome both = play(&r, "offsite", seed, rep);
            check_kinds(&none);
            check_kinds(&off);
            check_kinds(&zone);
            check_kinds(&both);
            assert_true(off.data_lost_gb <= none.data_lost_gb);
            /* Adding the off-site backup to a same-zone one. */
            assert_true(both.data_lost_gb <= zone.data_lost_gb);
            /* The off-site backup never burns: nothing is lost whole. */
            assert_true(off.data_lost_no_copy_gb == 0.0);
            lower += off.data_lost_gb < none.data_lost_gb;
            some_loss += none.data_lost_gb > 0.0;
            /* Serving comes back the same way: a backup cannot serve. */
            assert_true(off.recovered_h == none.recovered_h);
            assert_true(off.downtime_h == none.downtime_h);
        }
    /* The fixture destroys the store's systems often enough to see it. */
    assert_true(some_loss > REPS);
    assert_true(lower > REPS);
    runner_free(&r);
}

static void same_building_burns_with_it(void **state)
{
    static const osim_override ov[] = {
        {"incident.pangyo.zones.fire.destroyed", "1"},
        {"incident.pangyo.zones.b3-west.destroyed", "1"},
        {"incident.pangyo.zones.upper.destroyed", "1"},
    };
    runner all, some;
    size_t survived = 0;
    uint64_t rep;
    double data;

    (void)state;
    runner_init(&all, ov, 3);
    runner_init(&some, ov, 1); /* only the fire zone burns whole */
    data = all.sc->services[STORE].data_gb;
    for (rep = 0; rep < REPS; rep++) {
        osim_service_outcome o = play(&all, "same-building", 5, rep);
        osim_service_outcome s = play(&some, "same-building", 5, rep);
        check_kinds(&o);
        assert_true(fabs(o.data_lost_gb - data) <= 1e-9 * data);
        assert_true(fabs(o.data_lost_no_copy_gb - data) <= 1e-9 * data);
        assert_true(o.data_lost_backup_gb == 0.0);
        /* Nothing left to restore: data back when the service is. */
        assert_true(o.data_restored_h == o.recovered_h);
        /* In another hall of the same building, it survives this fire. */
        check_kinds(&s);
        survived += s.data_lost_gb < data && s.data_restored_h > s.recovered_h;
    }
    assert_int_equal(survived, REPS);
    runner_free(&some);
    runner_free(&all);
}

static void faster_restore_never_later(void **state)
{
    static const osim_override fast[] = {
        {"topologies.same-building.services.store.backups.0.restore_rate", "x1.5"},
    };
    runner slow, quick;
    size_t earlier = 0;
    uint64_t seed, rep;

    (void)state;
    runner_init(&slow, NULL, 0);
    runner_init(&quick, fast, 1);
    for (seed = 1; seed <= 3; seed++)
        for (rep = 0; rep < REPS; rep++) {
            osim_service_outcome a = play(&slow, "same-building", seed, rep);
            osim_service_outcome b = play(&quick, "same-building", seed, rep);
            assert_true(b.data_restored_h <= a.data_restored_h);
            earlier += b.data_restored_h < a.data_restored_h;
            /* The rate decides nothing else. */
            assert_true(a.data_lost_gb == b.data_lost_gb);
            assert_true(a.recovered_h == b.recovered_h);
        }
    assert_true(earlier > REPS);
    runner_free(&quick);
    runner_free(&slow);
}

/*
 * The loss with a surviving backup is the changes since it, at most the
 * data held: with every system destroyed and a fixed lag and interval, it
 * lies in [lag, lag + interval] x data_change, capped at data.
 */
static void loss_is_changes_since_backup(void **state)
{
    static const osim_override ov[] = {{"incident.pangyo.zones.fire.destroyed", "1"}};
    runner r;
    uint64_t rep;
    double change, data, lo = INFINITY, hi = 0.0;

    (void)state;
    runner_init(&r, ov, 1);
    change = r.sc->services[STORE].data_change_gb_per_h;
    data = r.sc->services[STORE].data_gb;
    for (rep = 0; rep < REPS; rep++) {
        osim_service_outcome o = play(&r, "same-building", 9, rep);
        double age = o.data_lost_backup_gb / change;
        check_kinds(&o);
        assert_true(o.data_lost_no_copy_gb == 0.0);
        assert_true(age >= 1.0 - 1e-9 && age <= 25.0 + 1e-9);
        if (age < lo)
            lo = age;
        if (age > hi)
            hi = age;
        assert_true(o.data_lost_backup_gb <= data);
    }
    /* The phase of the backup cycle is uniform: both ends are reached. */
    assert_true(lo < 2.0 && hi > 24.0);
    runner_free(&r);
}

/* Backups draw from their own stream: every availability timeline is the same without them. */
static void backups_shift_no_draw(void **state)
{
    runner r;
    osim_replay_result *other;
    uint64_t rep;
    size_t s, i;

    (void)state;
    runner_init(&r, NULL, 0);
    assert_int_equal(osim_replay_result_new(r.sc, &other), 0);
    for (rep = 0; rep < 50; rep++) {
        long tn = osim_scenario_topology_index(r.sc, "none");
        long tb = osim_scenario_topology_index(r.sc, "offsite");
        osim_incident_draw(r.sc, 11, rep, r.inc);
        assert_int_equal(osim_replay_run(r.rp, r.inc, (size_t)tn, 11, rep, r.res), 0);
        assert_int_equal(osim_replay_run(r.rp, r.inc, (size_t)tb, 11, rep, other), 0);
        for (s = 0; s < r.sc->services_count; s++) {
            const osim_timeline *a = &r.res->services[s].tl, *b = &other->services[s].tl;
            assert_int_equal(a->count, b->count);
            for (i = 0; i < a->count; i++) {
                assert_true(a->t_h[i] == b->t_h[i]);
                assert_true(a->avail[i] == b->avail[i]);
            }
        }
    }
    osim_replay_result_free(other);
    runner_free(&r);
}

static void same_outcome(const osim_service_outcome *a, const osim_service_outcome *b)
{
    assert_true(a->recovered_h == b->recovered_h);
    assert_true(a->downtime_h == b->downtime_h);
    assert_true(a->data_lost_gb == b->data_lost_gb);
    assert_true(a->data_restored_h == b->data_restored_h ||
                (isinf(a->data_restored_h) && isinf(b->data_restored_h)));
}

static void restores_under_crews(void **state)
{
    runner r;
    size_t later = 0, restored = 0;
    uint64_t seed, rep;

    (void)state;
    fixture = "fixtures/copies/crews.yaml";
    runner_init(&r, NULL, 0);
    fixture = FIXTURE;
    for (seed = 1; seed <= 3; seed++)
        for (rep = 0; rep < REPS; rep++) {
            osim_service_outcome none = play(&r, "no-crews", seed, rep);
            osim_service_outcome many = play(&r, "many-crews", seed, rep);
            osim_service_outcome one = play(&r, "one-crew", seed, rep);
            check_kinds(&one);
            same_outcome(&none, &many);
            assert_true(one.data_lost_gb == none.data_lost_gb);
            assert_true(one.data_restored_h >= none.data_restored_h);
            assert_true(one.data_restored_h >= one.recovered_h);
            restored += isfinite(none.data_restored_h) && none.data_lost_backup_gb > 0.0;
            later += one.data_restored_h > none.data_restored_h;
        }
    /* Restores happen, and one crew delays some of them. */
    assert_true(restored > REPS);
    assert_true(later > REPS);
    runner_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(offsite_never_loses_more),
        cmocka_unit_test(same_building_burns_with_it),
        cmocka_unit_test(faster_restore_never_later),
        cmocka_unit_test(loss_is_changes_since_backup),
        cmocka_unit_test(backups_shift_no_draw),
        cmocka_unit_test(restores_under_crews),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
