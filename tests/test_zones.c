/*
 * test_zones.c -- failure domains: zones, placement in zones, incidents
 * that span sites (with:, role:, offset:), deliveries and timed decisions.
 *
 * Invariants checked, each over many replications (seeds):
 * - moving a service's shards out of the fire zone never lengthens its
 *   downtime; two services placed in one zone go dark and come back at the
 *   same instants (deterministic restart); a zone destroyed whole with no
 *   copy loses all the data placed there;
 * - an entry sharing another's draws (with:) has the same ignition-relative
 *   instants at offset 0 and instants shifted by exactly the offset
 *   otherwise, and its services' timelines follow;
 * - zones and decisions on a site nothing runs at change no bit of the
 *   results elsewhere (a site without zones keeps the continuous rules);
 * - a delivery profile spreads replacements over the profile by rank, one
 *   point gives them all at once;
 * - abandon keeps a zone dark to the horizon; cut then reopen gives an
 *   outage of that length plus the restart;
 * - every refusal of the new keys names file:line:col; `params` lists the
 *   new values and setting each to its listed value changes nothing.
 * Tests run from tests/ (paths are relative to it).
 */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/incident.h"
#include "outagesim/replay.h"
#include "outagesim/scenario.h"

#define REPS 200
#define EXAMPLE "../scenarios/examples/zones.yaml"

/* The common head of the test scenarios: two sites, A with three zones. */
#define HEAD                                                                                       \
    "scenario: {name: t, start: \"2024-01-01 00:00\", horizon: 30d}\n"                             \
    "sites:\n"                                                                                     \
    "  - name: a\n"                                                                                \
    "    zones:\n"                                                                                 \
    "      - {name: fire, share: 0.1}\n"                                                           \
    "      - {name: mid, share: 0.3}\n"                                                            \
    "      - {name: far, share: 0.6}\n"                                                            \
    "  - {name: b}\n"

#define POP "population: {users: 1000}\n"

static osim_scenario *load_text(const char *text)
{
    osim_scenario *sc = NULL;
    osim_diag d;
    int rc = osim_scenario_load_buffer("t.yaml", text, strlen(text), NULL, &sc, &d);

    if (rc != 0) {
        char buf[1024];
        fail_msg("%s\n---\n%s", osim_diag_format(&d, buf, sizeof(buf)), text);
    }
    assert_non_null(sc);
    return sc;
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

static void play(run *r, const osim_scenario *sc, const char *topology, uint64_t rep)
{
    long t = osim_scenario_topology_index(sc, topology);

    assert_true(t >= 0);
    osim_incident_draw(sc, 42, rep, r->inc);
    assert_int_equal(osim_replay_run(r->rp, r->inc, (size_t)t, 42, rep, r->res), 0);
}

static const osim_service_outcome *outcome(const run *r, const osim_scenario *sc,
                                           const char *service)
{
    long s = osim_scenario_service_index(sc, service);

    assert_true(s >= 0);
    return &r->res->services[s];
}

/* ------------------------------------------------------------ the fire zone */

static const char fire_text[] =
    HEAD "incident:\n"
         "  - site: a\n"
         "    detection: 10m\n"
         "    ups_ride_through: {dist: uniform, min: 5m, max: 30m}\n"
         "    power_cut: {dist: uniform, min: 1h, max: 2h}\n"
         "    suppression: {dist: lognormal, median: 6h, p95: 12h}\n"
         "    restoration:\n"
         "      profile: [{after: 0h, fraction: 0}, {after: 1d, fraction: 0.5}, "
         "{after: 4d, fraction: 1}]\n"
         "      scale: {dist: lognormal, median: 1, p95: 1.5}\n"
         "    destroyed: {replace: {dist: uniform, min: 3d, max: 6d}}\n"
         "    zones:\n"
         "      fire: {dark: ups, destroyed: {dist: uniform, min: 0.2, max: 1}}\n"
         "      mid: {dark: ups, destroyed: {dist: uniform, min: 0, max: 0.2}}\n"
         "services:\n"
         "  - {name: s, shards: 8, data: 800, restart: {dist: lognormal, median: 1h, p95: 4h},\n"
         "     rebuild: {dist: uniform, min: 2h, max: 10h}}\n"
         "  - {name: t, restart: 2h}\n"
         "  - {name: u, restart: 2h}\n"
         "topologies:\n"
         "  - name: in-fire\n"
         "    services:\n"
         "      - {name: s, active: [a], zones: {a: [fire]}}\n"
         "      - {name: t, active: [a], zones: {a: [far]}}\n"
         "      - {name: u, active: [a], zones: {a: [far]}}\n"
         "  - name: spread\n"
         "    services:\n"
         "      - {name: s, active: [a]}\n"
         "      - {name: t, active: [a], zones: {a: [mid, far]}}\n"
         "      - {name: u, active: [a], zones: {a: [mid, far]}}\n"
         "  - name: out\n"
         "    services:\n"
         "      - {name: s, active: [a], zones: {a: [far]}}\n"
         "      - {name: t, active: [a], zones: {a: [far]}}\n"
         "      - {name: u, active: [b]}\n" POP;

/* Out of the fire zone is never worse than spread, which is never worse than in it. */
static void test_moving_out_of_the_fire_zone(void **state)
{
    osim_scenario *sc = load_text(fire_text);
    run r;
    uint64_t rep;
    int strictly = 0;

    (void)state;
    run_open(&r, sc);
    for (rep = 0; rep < REPS; rep++) {
        double in, spread, out, in_rec, out_rec;
        play(&r, sc, "in-fire", rep);
        in = outcome(&r, sc, "s")->downtime_h;
        in_rec = outcome(&r, sc, "s")->recovered_h;
        play(&r, sc, "spread", rep);
        spread = outcome(&r, sc, "s")->downtime_h;
        play(&r, sc, "out", rep);
        out = outcome(&r, sc, "s")->downtime_h;
        out_rec = outcome(&r, sc, "s")->recovered_h;
        assert_true(out <= spread + 1e-9);
        assert_true(spread <= in + 1e-9);
        assert_true(out_rec <= in_rec + 1e-9);
        strictly += out < in - 1e-6;
    }
    /* The comparison has teeth: the fire zone is worse in most replications. */
    assert_true(strictly > REPS / 2);
    run_close(&r);
    osim_scenario_free(sc);
}

/* Two services in one zone, deterministic restart: one outage, in every replication. */
static void test_one_zone_one_fate(void **state)
{
    osim_scenario *sc = load_text(fire_text);
    run r;
    uint64_t rep;
    size_t i;

    (void)state;
    run_open(&r, sc);
    for (rep = 0; rep < REPS; rep++) {
        const osim_timeline *t, *u;
        play(&r, sc, "in-fire", rep);
        t = &outcome(&r, sc, "t")->tl;
        u = &outcome(&r, sc, "u")->tl;
        assert_true(t->count >= 3); /* up, down, up */
        assert_int_equal(t->count, u->count);
        for (i = 0; i < t->count; i++) {
            assert_true(t->t_h[i] == u->t_h[i]);
            assert_true(t->avail[i] == u->avail[i]);
        }
    }
    /* Controls: spread over two zones, their positions differ and so, in
     * some replications, do their outages; in different sites they differ. */
    {
        int differ = 0;
        for (rep = 0; rep < 50; rep++) {
            play(&r, sc, "spread", rep);
            differ += outcome(&r, sc, "t")->recovered_h != outcome(&r, sc, "u")->recovered_h;
            play(&r, sc, "out", rep);
            assert_true(outcome(&r, sc, "t")->downtime_h > 0.0);
            assert_true(outcome(&r, sc, "u")->downtime_h == 0.0);
        }
        assert_true(differ > 0);
    }
    run_close(&r);
    osim_scenario_free(sc);
}

/* A zone destroyed whole, no copy: all the data placed there is gone. */
static void test_destroyed_zone_loses_its_data(void **state)
{
    static const char text[] =
        HEAD "incident:\n"
             "  - site: a\n"
             "    power_cut: 1h\n"
             "    suppression: 5h\n"
             "    restoration: {profile: [{after: 0h, fraction: 1}]}\n"
             "    destroyed: {replace: 2d}\n"
             "    zones: {fire: {dark: ups, destroyed: 1}}\n"
             "services:\n"
             "  - {name: s, shards: 16, data: 1600}\n"
             "topologies:\n"
             "  - name: in\n"
             "    services: [{name: s, active: [a], zones: {a: [fire]}}]\n"
             "  - name: copy\n"
             "    services: [{name: s, active: [a], standby: [b], "
             "replication: sync, zones: {a: [fire]}}]\n"
             "  - name: beside\n"
             "    services: [{name: s, active: [a], zones: {a: [mid]}}]\n" POP;
    osim_scenario *sc = load_text(text);
    run r;
    uint64_t rep;

    (void)state;
    run_open(&r, sc);
    for (rep = 0; rep < REPS; rep++) {
        play(&r, sc, "in", rep);
        assert_true(outcome(&r, sc, "s")->data_lost_gb == 1600.0);
        /* back after the replacement: cut 1 h + 5 h + 2 d */
        assert_true(outcome(&r, sc, "s")->recovered_h == 6.0 + 48.0);
        play(&r, sc, "copy", rep);
        assert_true(outcome(&r, sc, "s")->data_lost_gb == 0.0);
        play(&r, sc, "beside", rep);
        assert_true(outcome(&r, sc, "s")->data_lost_gb == 0.0);
        assert_true(outcome(&r, sc, "s")->recovered_h == 6.0);
    }
    run_close(&r);
    osim_scenario_free(sc);
}

/* ------------------------------------------------------------ with:, offset */

static void span_text(char *buf, size_t n, const char *offset)
{
    snprintf(buf, n,
             "scenario: {name: t, start: \"2024-01-01 00:00\", horizon: 30d}\n"
             "sites: [{name: a}, {name: b}, {name: c}]\n"
             "incident:\n"
             "  - site: a\n"
             "    detection: {dist: uniform, min: 5m, max: 1h}\n"
             "    power_cut: {dist: uniform, min: 1h, max: 3h}\n"
             "    suppression: {dist: lognormal, median: 6h, p95: 20h}\n"
             "    restoration:\n"
             "      profile: [{after: 2h, fraction: 1}]\n"
             "      scale: {dist: uniform, min: 0.5, max: 2}\n"
             "  - {site: b, with: a%s}\n"
             "services:\n"
             "  - {name: x, restart: 1h}\n"
             "  - {name: y, restart: 1h}\n"
             "topologies:\n"
             "  - name: t\n"
             "    services: [{name: x, active: [a]}, {name: y, active: [b]}]\n" POP,
             offset);
}

static void check_span(const char *offset, double off_h)
{
    char text[2048];
    osim_scenario *sc;
    run r;
    uint64_t rep;
    size_t i;

    span_text(text, sizeof(text), offset);
    sc = load_text(text);
    run_open(&r, sc);
    for (rep = 0; rep < REPS; rep++) {
        const osim_site_fire *fa, *fb;
        const osim_timeline *x, *y;
        play(&r, sc, "t", rep);
        fa = &r.inc->fire[0];
        fb = &r.inc->fire[1];
        assert_true(fb->detection_h == fa->detection_h + off_h);
        assert_true(fb->power_cut_h == fa->power_cut_h + off_h);
        assert_true(fb->restoration_start_h == fa->restoration_start_h + off_h);
        assert_true(fb->restoration_scale == fa->restoration_scale);
        /* c is in no incident */
        assert_true(isinf(r.inc->fire[2].power_cut_h));
        x = &outcome(&r, sc, "x")->tl;
        y = &outcome(&r, sc, "y")->tl;
        assert_int_equal(x->count, 3);
        assert_int_equal(x->count, y->count);
        for (i = 0; i < x->count; i++) {
            double shift = i == 0 ? 0.0 : off_h;
            assert_true(fabs(y->t_h[i] - (x->t_h[i] + shift)) <= 1e-9 * (1.0 + x->t_h[i]));
            assert_true(y->avail[i] == x->avail[i]);
        }
        if (off_h == 0.0)
            for (i = 0; i < x->count; i++)
                assert_true(y->t_h[i] == x->t_h[i]);
    }
    run_close(&r);
    osim_scenario_free(sc);
}

static void test_with_shares_the_draws(void **state)
{
    (void)state;
    check_span("", 0.0);
    check_span(", offset: 90m", 1.5);
}

/* Roles: cut at power_cut + offset, precaution at detection; nothing destroyed. */
static void test_roles(void **state)
{
    static const char head[] = HEAD "incident:\n"
                                    "  - site: b\n"
                                    "    detection: {dist: uniform, min: 5m, max: 1h}\n"
                                    "    power_cut: {dist: uniform, min: 2h, max: 3h}\n"
                                    "    suppression: 10h\n"
                                    "    restoration: {profile: [{after: 1h, fraction: 1}]}\n"
                                    "    destroyed: {fraction: 1, replace: 5d}\n"
                                    "  - {site: a, with: b, offset: 30m, role: ";
    static const char text[] = "}\n"
                               "services:\n"
                               "  - {name: x, data: 100}\n"
                               "topologies:\n"
                               "  - name: t\n"
                               "    services: [{name: x, active: [a]}]\n" POP;
    static const char *const roles[] = {"cut", "precaution"};
    size_t k;

    (void)state;
    for (k = 0; k < 2; k++) {
        char buf[sizeof(head) + sizeof(text) + 16];
        osim_scenario *sc;
        run r;
        uint64_t rep;
        snprintf(buf, sizeof(buf), "%s%s%s", head, roles[k], text);
        sc = load_text(buf);
        run_open(&r, sc);
        for (rep = 0; rep < 50; rep++) {
            const osim_site_fire *fb = &r.inc->fire[1];
            const osim_timeline *x;
            double dark;
            play(&r, sc, "t", rep);
            x = &outcome(&r, sc, "x")->tl;
            dark = k == 0 ? fb->power_cut_h + 0.5 : fb->detection_h + 0.5;
            assert_int_equal(x->count, 3);
            assert_true(fabs(x->t_h[1] - dark) < 1e-12);
            /* every zone back in its turn: the last (fire) at the profile's end */
            assert_true(fabs(x->t_h[2] - (fb->restoration_start_h + 0.5 + 1.0)) < 1e-12);
            assert_true(outcome(&r, sc, "x")->data_lost_gb == 0.0);
        }
        run_close(&r);
        osim_scenario_free(sc);
    }
}

/* ------------------------------------------------------------ nothing else moves */

/* Zones and a decision on a site nothing runs at: the same bits elsewhere. */
static void test_unused_zones_change_nothing(void **state)
{
    static const char plain[] =
        "scenario: {name: t, start: \"2024-01-01 00:00\", horizon: 30d}\n"
        "sites: [{name: a}, {name: b}]\n"
        "incident:\n"
        "  - site: a\n"
        "    ups_ride_through: {dist: uniform, min: 5m, max: 30m}\n"
        "    partial_loss: 0.3\n"
        "    power_cut: {dist: uniform, min: 1h, max: 2h}\n"
        "    suppression: {dist: lognormal, median: 6h, p95: 12h}\n"
        "    restoration:\n"
        "      profile: [{after: 0h, fraction: 0}, {after: 1d, fraction: 0.5}, "
        "{after: 4d, fraction: 1}]\n"
        "    destroyed: {fraction: {dist: uniform, min: 0, max: 0.1}, replace: 3d}\n"
        "services:\n"
        "  - {name: s, shards: 16, data: 800, restart: {dist: lognormal, median: 1h, p95: 4h},\n"
        "     rebuild: 5h}\n"
        "topologies:\n"
        "  - name: t\n"
        "    services: [{name: s, active: [a]}]\n" POP;
    static const char zoned[] =
        "scenario: {name: t, start: \"2024-01-01 00:00\", horizon: 30d}\n"
        "sites: [{name: a}, {name: b, zones: [{name: p}, {name: q}]}]\n"
        "incident:\n"
        "  - site: a\n"
        "    ups_ride_through: {dist: uniform, min: 5m, max: 30m}\n"
        "    partial_loss: 0.3\n"
        "    power_cut: {dist: uniform, min: 1h, max: 2h}\n"
        "    suppression: {dist: lognormal, median: 6h, p95: 12h}\n"
        "    restoration:\n"
        "      profile: [{after: 0h, fraction: 0}, {after: 1d, fraction: 0.5}, "
        "{after: 4d, fraction: 1}]\n"
        "    destroyed: {fraction: {dist: uniform, min: 0, max: 0.1}, replace: 3d}\n"
        "decisions: [{after: 3h, cut: b/q}, {after: 1d, abandon: b}]\n"
        "services:\n"
        "  - {name: s, shards: 16, data: 800, restart: {dist: lognormal, median: 1h, p95: 4h},\n"
        "     rebuild: 5h}\n"
        "topologies:\n"
        "  - name: t\n"
        "    services: [{name: s, active: [a]}]\n" POP;
    osim_scenario *a = load_text(plain), *b = load_text(zoned);
    run ra, rb;
    uint64_t rep;
    size_t i;
    int varied = 0;
    double first = -1.0;

    (void)state;
    run_open(&ra, a);
    run_open(&rb, b);
    for (rep = 0; rep < REPS; rep++) {
        const osim_service_outcome *oa, *ob;
        play(&ra, a, "t", rep);
        play(&rb, b, "t", rep);
        oa = &ra.res->services[0];
        ob = &rb.res->services[0];
        assert_int_equal(oa->tl.count, ob->tl.count);
        for (i = 0; i < oa->tl.count; i++) {
            assert_memory_equal(&oa->tl.t_h[i], &ob->tl.t_h[i], sizeof(double));
            assert_memory_equal(&oa->tl.avail[i], &ob->tl.avail[i], sizeof(double));
        }
        assert_memory_equal(&oa->downtime_h, &ob->downtime_h, sizeof(double));
        assert_memory_equal(&oa->data_lost_gb, &ob->data_lost_gb, sizeof(double));
        if (first < 0.0)
            first = oa->downtime_h;
        varied += oa->downtime_h != first;
    }
    assert_true(varied > 0); /* the replications differ: the comparison is not trivial */
    run_close(&ra);
    run_close(&rb);
    osim_scenario_free(a);
    osim_scenario_free(b);
}

/* ------------------------------------------------------------ deliveries */

static void delivery_text(char *buf, size_t n, const char *delivery)
{
    snprintf(buf, n,
             "scenario: {name: t, start: \"2024-01-01 00:00\", horizon: 60d}\n"
             "sites: [{name: a}, {name: b}]\n"
             "incident:\n"
             "  - site: a\n"
             "    power_cut: 1h\n"
             "    suppression: 9h\n"
             "    restoration: {profile: [{after: 0h, fraction: 1}]}\n"
             "    destroyed: {fraction: 1, delivery: %s}\n"
             "services:\n"
             "  - {name: s, shards: 64}\n"
             "topologies:\n"
             "  - name: t\n"
             "    services: [{name: s, active: [a]}]\n" POP,
             delivery);
}

static void test_delivery_profile(void **state)
{
    char text[2048];
    osim_scenario *sc;
    run r;
    uint64_t rep;
    size_t j;

    (void)state;
    /* A profile: the rack of rank q (here its position u) at 10 h + 100 h x q. */
    delivery_text(text, sizeof(text), "[{after: 0h, share: 0}, {after: 100h, share: 1}]");
    sc = load_text(text);
    run_open(&r, sc);
    for (rep = 0; rep < 50; rep++) {
        const osim_timeline *tl;
        play(&r, sc, "t", rep);
        for (j = 0; j < 64; j++) {
            double u = r.inc->rack_pos[j * sc->sites_count + 0];
            osim_power_history h;
            osim_incident_power_history(sc, r.inc, 0, u, &h);
            assert_int_equal(h.count, 1);
            assert_true(h.destroyed);
            assert_true(fabs(h.span[0].back_h - (10.0 + 100.0 * u)) < 1e-9);
        }
        tl = &outcome(&r, sc, "s")->tl;
        /* 64 shards back one by one: spread over the profile */
        assert_true(tl->count > 40);
        assert_true(tl->t_h[2] < 10.0 + 20.0);
        assert_true(tl->t_h[tl->count - 1] > 10.0 + 80.0);
    }
    run_close(&r);
    osim_scenario_free(sc);
    /* One point: every rack at once. */
    delivery_text(text, sizeof(text), "[{after: 50h, share: 1}]");
    sc = load_text(text);
    run_open(&r, sc);
    for (rep = 0; rep < 50; rep++) {
        const osim_timeline *tl;
        play(&r, sc, "t", rep);
        tl = &outcome(&r, sc, "s")->tl;
        assert_int_equal(tl->count, 3);
        assert_true(tl->t_h[2] == 60.0);
    }
    run_close(&r);
    osim_scenario_free(sc);
}

/* ------------------------------------------------------------ decisions */

static void test_decisions(void **state)
{
    static const char text[] = HEAD "incident:\n"
                                    "  - site: b\n"
                                    "    power_cut: 1h\n"
                                    "    suppression: 1h\n"
                                    "    restoration: {profile: [{after: 0h, fraction: 1}]}\n"
                                    "decisions:\n"
                                    "  - {after: 10h, cut: a/mid}\n"
                                    "  - {after: {dist: uniform, min: 20h, max: 40h}, "
                                    "reopen: a/mid}\n"
                                    "  - {after: {dist: uniform, min: 2d, max: 3d}, "
                                    "abandon: a/far}\n"
                                    "services:\n"
                                    "  - {name: m, restart: 2h}\n"
                                    "  - {name: f, restart: 2h}\n"
                                    "  - {name: z, restart: 2h}\n"
                                    "topologies:\n"
                                    "  - name: t\n"
                                    "    services:\n"
                                    "      - {name: m, active: [a], zones: {a: [mid]}}\n"
                                    "      - {name: f, active: [a], zones: {a: [far]}}\n"
                                    "      - {name: z, active: [a], zones: {a: [fire]}}\n" POP;
    osim_scenario *sc = load_text(text);
    run r;
    uint64_t rep;
    double H = sc->horizon_h, last = -1.0;
    int varied = 0;

    (void)state;
    run_open(&r, sc);
    for (rep = 0; rep < REPS; rep++) {
        double reopen, abandon;
        play(&r, sc, "t", rep);
        reopen = r.inc->decision_h[1];
        abandon = r.inc->decision_h[2];
        assert_true(reopen >= 20.0 && reopen <= 40.0);
        /* cut at 10 h, reopened: an outage of that length, plus the restart */
        assert_true(fabs(outcome(&r, sc, "m")->downtime_h - (reopen - 10.0 + 2.0)) < 1e-9);
        assert_true(fabs(outcome(&r, sc, "m")->recovered_h - (reopen + 2.0)) < 1e-9);
        /* abandoned: dark to the horizon */
        assert_true(outcome(&r, sc, "f")->recovered_h == H);
        assert_true(fabs(outcome(&r, sc, "f")->downtime_h - (H - abandon)) < 1e-9);
        /* the zone no decision names keeps power */
        assert_true(outcome(&r, sc, "z")->downtime_h == 0.0);
        varied += last >= 0.0 && reopen != last;
        last = reopen;
    }
    assert_true(varied > 0);
    run_close(&r);
    osim_scenario_free(sc);
}

/* A decision during the fire: cut before the zone is back keeps it dark until
 * the reopen; a restart interrupted by a second stretch starts over. */
static void test_decision_history(void **state)
{
    static const char text[] = HEAD "incident:\n"
                                    "  - site: a\n"
                                    "    power_cut: 1h\n"
                                    "    suppression: 9h\n"
                                    "    restoration: {profile: [{after: 0h, fraction: 1}]}\n"
                                    "decisions:\n"
                                    "  - {after: 5h, cut: a}\n"
                                    "  - {after: 20h, reopen: a}\n"
                                    "  - {after: 21h, cut: a/far}\n"
                                    "  - {after: 30h, reopen: a/far}\n"
                                    "services:\n"
                                    "  - {name: f, restart: 2h}\n"
                                    "  - {name: m, restart: 2h}\n"
                                    "topologies:\n"
                                    "  - name: t\n"
                                    "    services:\n"
                                    "      - {name: f, active: [a], zones: {a: [far]}}\n"
                                    "      - {name: m, active: [a], zones: {a: [mid]}}\n" POP;
    osim_scenario *sc = load_text(text);
    run r;
    osim_power_history h;

    (void)state;
    run_open(&r, sc);
    play(&r, sc, "t", 0);
    /* far: dark 1 h .. 20 h (the cut holds it past restoration at 10 h), then 21 .. 30 h */
    osim_incident_power_history(sc, r.inc, 0, 0.9, &h);
    assert_int_equal(h.count, 2);
    assert_true(h.span[0].dark_h == 1.0 && h.span[0].back_h == 20.0);
    assert_true(h.span[1].dark_h == 21.0 && h.span[1].back_h == 30.0);
    /* the restart after 20 h is cut short at 21 h: one outage 1 .. 32 h */
    assert_true(outcome(&r, sc, "f")->recovered_h == 32.0);
    assert_true(outcome(&r, sc, "f")->downtime_h == 31.0);
    assert_true(outcome(&r, sc, "m")->recovered_h == 22.0);
    run_close(&r);
    osim_scenario_free(sc);
}

/* ------------------------------------------------------------ validate */

typedef struct bad_case {
    const char *from, *to; /* replace `from` in the good text by `to` */
    int line, col;
    const char *frag;
} bad_case;

static const char good_text[] =
    HEAD "incident:\n"           /* 9 */
         "  - site: a\n"         /* 10 */
         "    power_cut: 1h\n"   /* 11 */
         "    suppression: 1h\n" /* 12 */
         "    restoration: {profile: [{after: 0h, fraction: 1}]}\n"
         "    zones: {fire: {dark: ups}}\n"       /* 14 */
         "  - {site: b, with: a, role: cut}\n"    /* 15 */
         "decisions: [{after: 1d, cut: a/mid}]\n" /* 16 */
         "services: [{name: s}]\n"                /* 17 */
         "topologies:\n"                          /* 18 */
         "  - name: t\n"                          /* 19 */
         "    services: [{name: s, active: [a], zones: {a: [fire]}}]\n" POP;

static const bad_case bad_cases[] = {
    {"zones: {a: [fire]}", "zones: {a: [hall]}", 20, 51, "unknown zone 'hall'"},
    {"zones: {a: [fire]}", "zones: {c: [fire]}", 20, 47, "zones in unknown site 'c'"},
    {"zones: {a: [fire]}", "zones: {a: []}", 20, 47, "needs at least one item"},
    {"zones: {a: [fire]}", "zones: {b: [fire]}", 20, 47, "not placed"},
    {"zones: {a: [fire]}", "zones: {a: [fire, fire]}", 20, 57, "listed twice"},
    {"active: [a], zones", "active: [a, b], zones", 0, 0, NULL}, /* fine */
    {"active: [a], zones: {a: [fire]}", "active: [a, b], zones: {b: [p]}", 20, 50,
     "which has no zones"},
    {"{name: fire, share: 0.1}", "{name: fire, share: 0.2}", 4, 5, "sum to 1.1"},
    {"{name: fire, share: 0.1}", "{name: fire, share: 0}", 5, 29, "must be > 0"},
    {"{name: mid, share: 0.3}", "{name: fire, share: 0.3}", 6, 16, "listed twice"},
    {"{name: mid, share: 0.3}", "{name: m/d, share: 0.3}", 6, 16, "must not contain"},
    {"zones: {fire: {dark: ups}}", "zones: {hall: {dark: ups}}", 14, 13, "unknown zone 'hall'"},
    {"zones: {fire: {dark: ups}}", "partial_loss: 0.2", 14, 19, "use zones.<zone>.dark: ups"},
    {"zones: {fire: {dark: ups}}", "restore_order: [far, mid]", 14, 5, "every zone once"},
    {"zones: {fire: {dark: ups}}", "destroyed: {fraction: 0.1}", 14, 27, "zones.<zone>.destroyed"},
    {"zones: {fire: {dark: ups}}", "destroyed: {replace: 1d, delivery: [{after: 1d, share: 1}]}",
     14, 26, "not both"},
    {"zones: {fire: {dark: ups}}", "destroyed: {delivery: [{after: 1d, share: 0.5}]}", 14, 47,
     "share 1"},
    {"{site: b, with: a, role: cut}", "{site: b, with: c, role: cut}", 15, 21, "no earlier"},
    {"{site: b, with: a, role: cut}", "{site: b, with: a, power_cut: 2h}", 15, 35, "shares"},
    {"{site: b, with: a, role: cut}", "{site: b, with: a, role: cut, partial_loss: 0.1}", 15, 49,
     "only a burned site"},
    {"{site: b, with: a, role: cut}", "{site: b, role: cut}", 15, 6,
     "missing required key 'power_cut'"},
    {"{site: b, with: a, role: cut}", "{site: b, with: a, zones: {x: {}}}", 15, 32, "has no zones"},
    {"decisions: [{after: 1d, cut: a/mid}]", "decisions: [{after: 1d, cut: a/hall}]", 16, 30,
     "unknown zone 'hall'"},
    {"decisions: [{after: 1d, cut: a/mid}]", "decisions: [{after: 1d, cut: c}]", 16, 30,
     "unknown site 'c'"},
    {"decisions: [{after: 1d, cut: a/mid}]", "decisions: [{after: 1d, reopen: a/mid}]", 16, 33,
     "without an earlier cut"},
    {"decisions: [{after: 1d, cut: a/mid}]", "decisions: [{after: 1d, cut: a, reopen: a}]", 16, 21,
     "exactly one"},
};

static void test_validate_refusals(void **state)
{
    size_t i;

    (void)state;
    osim_scenario_free(load_text(good_text));
    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const bad_case *c = &bad_cases[i];
        char text[4096];
        const char *at = strstr(good_text, c->from);
        osim_scenario *sc = NULL;
        osim_diag d;
        int rc;
        assert_non_null(at);
        snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good_text), good_text, c->to,
                 at + strlen(c->from));
        rc = osim_scenario_load_buffer("t.yaml", text, strlen(text), NULL, &sc, &d);
        if (c->frag == NULL) {
            if (rc != 0)
                fail_msg("case %zu: %s", i, d.msg);
            osim_scenario_free(sc);
            continue;
        }
        if (rc == 0)
            fail_msg("case %zu (%s): loaded", i, c->to);
        assert_null(sc);
        if (strstr(d.msg, c->frag) == NULL || d.line != c->line || d.col != c->col)
            fail_msg("case %zu (%s): got %d:%d: %s; want %d:%d: ...%s...", i, c->to, d.line, d.col,
                     d.msg, c->line, c->col, c->frag);
        assert_string_equal(d.file, "t.yaml");
    }
}

/* More than 64 decisions are refused. */
static void test_too_many_decisions(void **state)
{
    char *text = malloc(16384);
    size_t k = 0, i;
    osim_scenario *sc = NULL;
    osim_diag d;

    (void)state;
    assert_non_null(text);
    k += (size_t)snprintf(text + k, 16384 - k, "%s", HEAD);
    k += (size_t)snprintf(text + k, 16384 - k,
                          "incident: [{site: a, power_cut: 1h, suppression: 1h, "
                          "restoration: {profile: [{after: 0h, fraction: 1}]}}]\n"
                          "services: [{name: s}]\n"
                          "topologies: [{name: t, services: [{name: s, active: [a]}]}]\n" POP
                          "decisions:\n");
    for (i = 0; i < 65; i++)
        k += (size_t)snprintf(text + k, 16384 - k, "  - {after: %zuh, cut: b}\n", i + 1);
    assert_int_not_equal(osim_scenario_load_buffer("t.yaml", text, k, NULL, &sc, &d), 0);
    assert_non_null(strstr(d.msg, "at most 64"));
    assert_true(d.line > 0);
    /* 64 are fine */
    k -= strlen("  - {after: 65h, cut: b}\n");
    assert_int_equal(osim_scenario_load_buffer("t.yaml", text, k, NULL, &sc, &d), 0);
    osim_scenario_free(sc);
    free(text);
}

/* ------------------------------------------------------------ params */

typedef struct plist {
    char **path, **value, **line;
    size_t n;
} plist;

static int collect(void *ud, const char *path, const char *value, const char *unit, const char *doc)
{
    plist *p = ud;
    size_t len = strlen(path) + strlen(value) + strlen(unit) + 3;

    (void)doc;
    p->path = realloc(p->path, (p->n + 1) * sizeof(char *));
    p->value = realloc(p->value, (p->n + 1) * sizeof(char *));
    p->line = realloc(p->line, (p->n + 1) * sizeof(char *));
    assert_non_null(p->path);
    assert_non_null(p->value);
    assert_non_null(p->line);
    p->path[p->n] = strdup(path);
    p->value[p->n] = strdup(value);
    p->line[p->n] = malloc(len);
    assert_non_null(p->line[p->n]);
    snprintf(p->line[p->n], len, "%s=%s %s", path, value, unit);
    p->n++;
    return 0;
}

static void plist_free(plist *p)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        free(p->path[i]);
        free(p->value[i]);
        free(p->line[i]);
    }
    free(p->path);
    free(p->value);
    free(p->line);
    memset(p, 0, sizeof(*p));
}

static bool has(const plist *p, const char *line)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        if (strcmp(p->line[i], line) == 0)
            return true;
    return false;
}

static osim_scenario *load_file(const char *path, const osim_override *ov, size_t n)
{
    osim_scenario_options opt = {ov, n, NULL};
    osim_scenario *sc = NULL;
    osim_diag d;

    if (osim_scenario_load(path, &opt, &sc, &d) != 0)
        fail_msg("%s: %d:%d: %s", path, d.line, d.col, d.msg);
    return sc;
}

static void test_params_round_trip(void **state)
{
    osim_scenario *sc = load_file(EXAMPLE, NULL, 0);
    plist before = {0};
    size_t i, j;

    (void)state;
    assert_int_equal(osim_scenario_params(sc, collect, &before), 0);
    osim_scenario_free(sc);
    assert_true(has(&before, "sites.campus-a.zones.hall-1.share=0.35 fraction"));
    assert_true(has(&before, "incident.campus-a.zones.hall-1.destroyed.max=0.1 fraction"));
    assert_true(has(&before, "incident.campus-b.offset=0.25 h"));
    assert_true(has(&before, "decisions.1.after=72 h"));
    assert_true(has(&before, "incident.campus-a.destroyed.delivery.1.share=0.8 fraction"));
    assert_true(has(&before, "topologies.campus-only.services.ledger.zones.campus-a.zones="
                             "[hall-1] "));
    for (i = 0; i < before.n; i++) {
        osim_override ov = {before.path[i], before.value[i]};
        plist after = {0};
        sc = load_file(EXAMPLE, &ov, 1);
        assert_int_equal(osim_scenario_params(sc, collect, &after), 0);
        if (after.n != before.n)
            fail_msg("--set %s=%s: %zu params, was %zu", ov.path, ov.value, after.n, before.n);
        for (j = 0; j < after.n; j++)
            if (strcmp(after.line[j], before.line[j]) != 0)
                fail_msg("--set %s=%s changed '%s' to '%s'", ov.path, ov.value, before.line[j],
                         after.line[j]);
        plist_free(&after);
        osim_scenario_free(sc);
    }
    plist_free(&before);
}

/* --set reaches the new values, and a changed share moves the zones. */
static void test_set_new_values(void **state)
{
    static const osim_override ov[] = {
        {"sites.campus-b.zones.east.share", "0.25"},
        {"incident.campus-a.zones.hall-2.dark", "none"},
        {"decisions.2.after", "5d"},
        {"topologies.campus-only.services.ledger.zones.campus-a.zones", "[battery]"},
    };
    osim_scenario *sc = load_file(EXAMPLE, ov, 4);
    const osim_site *b = &sc->sites[1];

    (void)state;
    assert_true(b->zones[0].share == 0.25 && b->zones[1].share == 0.75);
    assert_true(b->zones[1].lo == 0.25 && b->zones[1].hi == 1.0);
    assert_int_equal(sc->incident[0].zone_dark[2], OSIM_ZONE_DARK_NONE);
    assert_true(sc->decisions[2].after_h.p[0] == 120.0);
    assert_int_equal(sc->topologies[0].placements[0].zone_places[0].zone[0], 0);
    osim_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moving_out_of_the_fire_zone),
        cmocka_unit_test(test_one_zone_one_fate),
        cmocka_unit_test(test_destroyed_zone_loses_its_data),
        cmocka_unit_test(test_with_shares_the_draws),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_unused_zones_change_nothing),
        cmocka_unit_test(test_delivery_profile),
        cmocka_unit_test(test_decisions),
        cmocka_unit_test(test_decision_history),
        cmocka_unit_test(test_validate_refusals),
        cmocka_unit_test(test_too_many_decisions),
        cmocka_unit_test(test_params_round_trip),
        cmocka_unit_test(test_set_new_values),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
