/*
 * test_effect.c -- settings that cannot take effect (sim/scenario/effect.c)
 * and the stateless failover they make room for.
 *
 * Invariants checked: every rule of the table refuses its key with the
 * file:line:col of the value and a message that names it; a good scenario
 * (a stateless failover without replication) loads; and, over many seeds,
 * a stateless service with an automatic standby is fully back within
 * (its first loss of capacity) + detect + failover_time, where before it
 * waited for its own site.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "outagesim/incident.h"
#include "outagesim/replay.h"
#include "outagesim/scenario.h"

static const char base[] =
    "scenario: {name: t, start: \"2024-01-01 00:00\", horizon: 10d}\n" /* 1 */
    "sites: [{name: a}, {name: b}, {name: c}]\n"                       /* 2 */
    "incident:\n"                                                      /* 3 */
    "  - site: a\n"                                                    /* 4 */
    "    detection: 10m\n"                                             /* 5 */
    "    power_cut: {dist: uniform, min: 30m, max: 2h}\n"              /* 6 */
    "    suppression: {dist: lognormal, median: 6h, p95: 12h}\n"       /* 7 */
    "    restoration: {profile: [{after: 0h, fraction: 0}, {after: 1d, fraction: 1}]}\n"
    "services:\n"                                              /* 9 */
    "  - {name: web, restart: 30m}\n"                          /* 10 */
    "  - {name: db, data: 100, data_change: 1, restart: 1h}\n" /* 11 */
    "topologies:\n"                                            /* 12 */
    "  - name: t\n"                                            /* 13 */
    "    services:\n"                                          /* 14 */
    "      - {name: web, active: [a], standby: [b], failover: automatic,\n"
    "         detect: {dist: uniform, min: 2m, max: 10m},\n"        /* 16 */
    "         failover_time: {dist: uniform, min: 5m, max: 30m}}\n" /* 17 */
    "      - {name: db, active: [a]}\n"                             /* 18 */
    "population: {users: 1000}\n";

typedef struct effect_case {
    const char *set; /* PATH=VALUE */
    const char *msg; /* a fragment of the message */
} effect_case;

static const effect_case cases[] = {
    {"topologies.t.services.db.failover=manual", "failover: manual has no standby site"},
    {"topologies.t.services.db.replication=sync", "replication has no effect"},
    {"topologies.t.services.db.lag=1h", "lag has no effect without replication: async"},
    {"topologies.t.services.db.detect=1h", "detect has no effect without failover: automatic"},
    {"topologies.t.services.db.failover_time=1h",
     "failover_time has no effect with failover: none"},
    {"topologies.t.services.db.needs=[web]", "needs (what a failover waits for) has no effect"},
    {"topologies.t.services.db.needs_min=0.5", "needs_min has no effect with failover: none"},
    {"topologies.t.services.web.needs_min=0.5", "needs_min has no effect without needs"},
    {"topologies.t.services.web.staff=2", "staff has no effect without failover: manual"},
    {"topologies.t.services.db.headroom=1", "headroom has no effect"},
    {"topologies.t.services.db.load_share=[1]", "load_share has no effect with one active site"},
    {"topologies.t.services.db.standby=[b]", "standby site 'b' is never used"},
    {"topologies.t.services.web.standby=[b, c]", "standby site 'c' beyond the first"},
};

static void test_good_scenario_loads(void **state)
{
    osim_scenario *sc = NULL;
    osim_diag d;

    (void)state;
    assert_int_equal(osim_scenario_load_buffer("t.yaml", base, strlen(base), NULL, &sc, &d), 0);
    osim_scenario_free(sc);
}

static void test_every_rule_refuses(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[256], buf[1024];
        const char *eq = strchr(cases[i].set, '=');
        osim_override ov;
        osim_scenario_options opt = {&ov, 1, NULL};
        osim_scenario *sc = NULL;
        osim_diag d;
        snprintf(path, sizeof(path), "%.*s", (int)(eq - cases[i].set), cases[i].set);
        ov.path = path;
        ov.value = eq + 1;
        assert_int_equal(osim_scenario_load_buffer("t.yaml", base, strlen(base), &opt, &sc, &d),
                         OSIM_ESCHEMA);
        osim_diag_format(&d, buf, sizeof(buf));
        if (strstr(buf, cases[i].msg) == NULL || strstr(buf, "--set ") != buf)
            fail_msg("%s: %s", cases[i].set, buf);
    }
}

/* The file's own value is reported at its line and column. */
static void test_refused_at_line_col(void **state)
{
    static const char text[] =
        "scenario: {name: t, start: \"2024-01-01 00:00\"}\n"
        "sites: [{name: a}, {name: b}]\n"
        "incident: [{site: a, power_cut: 1h, suppression: 1h,\n"
        "            restoration: {profile: [{after: 0h, fraction: 1}]}}]\n"
        "services: [{name: db, data: 5}]\n"
        "topologies:\n"
        "  - name: t\n"
        "    services: [{name: db, active: [a], standby: [b], failover: manual}]\n"
        "population: {users: 1}\n";
    osim_scenario *sc = NULL;
    osim_diag d;
    char buf[1024];

    (void)state;
    assert_int_equal(osim_scenario_load_buffer("t.yaml", text, strlen(text), NULL, &sc, &d),
                     OSIM_ESCHEMA);
    osim_diag_format(&d, buf, sizeof(buf));
    if (strstr(buf, "t.yaml:8:64: topology 't', service 'db': failover: manual without "
                    "replication") != buf)
        fail_msg("%s", buf);
}

/* Many seeds: web is back by its first loss + detect (<= 10m) + failover (<= 30m). */
static void test_stateless_back_within_detect_and_failover(void **state)
{
    osim_scenario *sc = NULL;
    osim_incident *inc = NULL;
    osim_replay *rp = NULL;
    osim_replay_result *res = NULL;
    osim_diag d;
    uint64_t rep;

    (void)state;
    assert_int_equal(osim_scenario_load_buffer("t.yaml", base, strlen(base), NULL, &sc, &d), 0);
    assert_int_equal(osim_incident_new(sc, &inc), 0);
    assert_int_equal(osim_replay_new(sc, &rp), 0);
    assert_int_equal(osim_replay_result_new(sc, &res), 0);
    for (rep = 0; rep < 500; rep++) {
        const osim_service_outcome *o = &res->services[0];
        double first;
        osim_incident_draw(sc, 7, rep, inc);
        assert_int_equal(osim_replay_run(rp, inc, 0, 7, rep, res), 0);
        assert_true(o->tl.count >= 2);
        first = o->tl.t_h[1];
        assert_true(o->recovered_h <= first + 10.0 / 60 + 30.0 / 60 + 1e-9);
        assert_true(o->recovered_h >= first + 7.0 / 60 - 1e-9);
        /* db, which has no standby, waits for its site: far longer. */
        assert_true(res->services[1].recovered_h > o->recovered_h);
    }
    osim_replay_result_free(res);
    osim_replay_free(rp);
    osim_incident_free(inc);
    osim_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_scenario_loads),
        cmocka_unit_test(test_every_rule_refuses),
        cmocka_unit_test(test_refused_at_line_col),
        cmocka_unit_test(test_stateless_back_within_detect_and_failover),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
