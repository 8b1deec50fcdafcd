/*
 * test_crews.c -- crews in the replay (sim/model/crews.c, docs/model.md "Crews").
 *
 * Invariants checked: a hand-computed timeline (one crew, three tasks,
 * fixed times; priority first, then name order) is what the replay gives,
 * exactly; crews too many to ever bind give the results of a topology
 * without crews whose staff never binds, bit for bit, over many seeds; with
 * independent work and equal priorities one more crew never slows any
 * service (400 seeds, 1/2/3/5 crews); raising a one-system service's
 * priority never brings it back later (400 seeds); shifts change a pool's
 * size at the local times of day they say, take no crew from work under
 * way, and a raised size grants at once (hand-computed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/replay.h"

static osim_scenario *load_file(const char *path)
{
    osim_scenario *sc = NULL;
    osim_diag d;

    memset(&d, 0, sizeof(d));
    assert_int_equal(osim_scenario_load(path, NULL, &sc, &d), 0);
    return sc;
}

static osim_scenario *load_text(const char *name, const char *text)
{
    osim_scenario *sc = NULL;
    osim_diag d;

    memset(&d, 0, sizeof(d));
    assert_int_equal(osim_scenario_load_buffer(name, text, strlen(text), NULL, &sc, &d), 0);
    return sc;
}

/* c (priority 2) 3..6, then a and b (priority 1) in name order: a 6..8, b 8..9. */
static void test_hand_computed_three_tasks(void **state)
{
    osim_scenario *sc = load_file("fixtures/crews/three.yaml");
    osim_incident *inc = NULL;
    osim_replay *rp = NULL;
    osim_replay_result *res = NULL;
    long a = osim_scenario_service_index(sc, "a"), b = osim_scenario_service_index(sc, "b"),
         c = osim_scenario_service_index(sc, "c");

    (void)state;
    assert_int_equal(osim_incident_new(sc, &inc), 0);
    assert_int_equal(osim_replay_new(sc, &rp), 0);
    assert_int_equal(osim_replay_result_new(sc, &res), 0);
    osim_incident_draw(sc, 1, 0, inc);
    assert_int_equal(osim_replay_run(rp, inc, 0, 1, 0, res), 0);
    assert_true(res->services[c].recovered_h == 6.0);
    assert_true(res->services[a].recovered_h == 8.0);
    assert_true(res->services[b].recovered_h == 9.0);
    assert_true(res->services[c].downtime_h == 5.0);
    assert_true(res->services[a].downtime_h == 7.0);
    assert_true(res->services[b].downtime_h == 8.0);
    osim_replay_result_free(res);
    osim_replay_free(rp);
    osim_incident_free(inc);
    osim_scenario_free(sc);
}

/* Replace every "    staff: 2\n" of text by with (a new string). */
static char *replace_staff(const char *text, const char *with)
{
    const char *key = "    staff: 2\n";
    size_t n = strlen(text), k = strlen(key), w = strlen(with), i = 0, o = 0;
    char *out = malloc(n * 2 + 64);

    assert_non_null(out);
    while (i < n) {
        if (strncmp(text + i, key, k) == 0) {
            memcpy(out + o, with, w);
            o += w;
            i += k;
        } else {
            out[o++] = text[i++];
        }
    }
    out[o] = '\0';
    return out;
}

static int same_timeline(const osim_timeline *x, const osim_timeline *y)
{
    return x->count == y->count && memcmp(x->t_h, y->t_h, x->count * sizeof(double)) == 0 &&
           memcmp(x->avail, y->avail, x->count * sizeof(double)) == 0;
}

/* scenarios/minimal.yaml with staff 1000 (never binds) vs crews 1,000,000. */
static void test_infinite_crews_equal_no_crews(void **state)
{
    FILE *f = fopen("../scenarios/minimal.yaml", "rb");
    char *text, *ta, *tb;
    long len;
    osim_scenario *sa, *sb;
    osim_incident *inc;
    osim_replay *ra, *rb;
    osim_replay_result *xa, *xb;
    size_t t, s;
    uint64_t rep;

    (void)state;
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = calloc((size_t)len + 1, 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    ta = replace_staff(text, "    staff: 1000\n");
    tb = replace_staff(text, "    crews: 1000000\n");
    sa = load_text("minimal-staff.yaml", ta);
    sb = load_text("minimal-crews.yaml", tb);
    assert_true(sb->topologies[0].crews == 1000000.0);
    assert_int_equal(osim_incident_new(sa, &inc), 0);
    assert_int_equal(osim_replay_new(sa, &ra), 0);
    assert_int_equal(osim_replay_new(sb, &rb), 0);
    assert_int_equal(osim_replay_result_new(sa, &xa), 0);
    assert_int_equal(osim_replay_result_new(sb, &xb), 0);
    for (rep = 0; rep < 300; rep++) {
        osim_incident_draw(sa, 11, rep, inc);
        for (t = 0; t < sa->topologies_count; t++) {
            assert_int_equal(osim_replay_run(ra, inc, t, 11, rep, xa), 0);
            assert_int_equal(osim_replay_run(rb, inc, t, 11, rep, xb), 0);
            for (s = 0; s < sa->services_count; s++) {
                assert_true(same_timeline(&xa->services[s].tl, &xb->services[s].tl));
                assert_true(xa->services[s].data_lost_gb == xb->services[s].data_lost_gb);
            }
            assert_true(same_timeline(&xa->systems, &xb->systems));
        }
    }
    osim_replay_result_free(xb);
    osim_replay_result_free(xa);
    osim_replay_free(rb);
    osim_replay_free(ra);
    osim_incident_free(inc);
    osim_scenario_free(sb);
    osim_scenario_free(sa);
    free(tb);
    free(ta);
    free(text);
}

/* Independent work: five services, systems at random rack positions (power
 * back over a day), exponential restarts and rebuilds, no needs, no
 * failovers. %d/%d are the priorities of s0 and s3, %s the crews line. */
#define INDEP_FMT                                                                                  \
    "scenario: {name: indep, start: \"2022-10-15 00:00\", horizon: 30d}\n"                         \
    "sites:\n  - {name: north}\n"                                                                  \
    "incident:\n  - site: north\n    detection: 30m\n    ups_ride_through: 20m\n"                  \
    "    partial_loss: 30%%\n    power_cut: 1h\n    suppression: 2h\n"                             \
    "    restoration:\n      profile: [{after: 0h, fraction: 0}, {after: 1d, fraction: 1}]\n"      \
    "    destroyed: {fraction: 10%%, replace: 2d}\n"                                               \
    "services:\n"                                                                                  \
    "  - {name: s0, systems: 3, restart: {dist: exponential, mean: 3h}, rebuild: 5h, priority: "   \
    "%d}\n"                                                                                        \
    "  - {name: s1, systems: 2, restart: {dist: exponential, mean: 2h}}\n"                         \
    "  - {name: s2, systems: 4, restart: {dist: exponential, mean: 1h}}\n"                         \
    "  - {name: s3, restart: {dist: exponential, mean: 6h}, priority: %d}\n"                       \
    "  - {name: s4, systems: 2, restart: {dist: exponential, mean: 4h}}\n"                         \
    "topologies:\n  - name: t\n    %s\n    services:\n"                                            \
    "      - {name: s0, active: [north]}\n      - {name: s1, active: [north]}\n"                   \
    "      - {name: s2, active: [north]}\n      - {name: s3, active: [north]}\n"                   \
    "      - {name: s4, active: [north]}\n"                                                        \
    "population:\n  users: 1M\n"

static osim_scenario *indep(const char *crews, int p0, int p3)
{
    char buf[4096];

    snprintf(buf, sizeof(buf), INDEP_FMT, p0, p3, crews);
    return load_text("indep.yaml", buf);
}

/* Equal priorities, no prerequisites: one more crew never makes any service
 * come back later nor lose more (the theorem of docs/model.md). Some
 * replication must be strictly faster, or the test could not fail. */
static void test_more_crews_never_slower_independent(void **state)
{
    const char *lines[] = {"crews: 1", "crews: 2", "crews: 3", "crews: 5"};
    osim_scenario *sc[4];
    osim_replay *rp[4];
    osim_replay_result *res[4];
    osim_incident *inc;
    int k, faster = 0;
    size_t s;
    uint64_t rep;

    (void)state;
    for (k = 0; k < 4; k++) {
        sc[k] = indep(lines[k], 0, 0);
        assert_int_equal(osim_replay_new(sc[k], &rp[k]), 0);
        assert_int_equal(osim_replay_result_new(sc[k], &res[k]), 0);
    }
    assert_int_equal(osim_incident_new(sc[0], &inc), 0);
    for (rep = 0; rep < 400; rep++) {
        osim_incident_draw(sc[0], 5, rep, inc);
        for (k = 0; k < 4; k++)
            assert_int_equal(osim_replay_run(rp[k], inc, 0, 5, rep, res[k]), 0);
        for (k = 0; k + 1 < 4; k++)
            for (s = 0; s < sc[0]->services_count; s++) {
                assert_true(res[k + 1]->services[s].recovered_h <= res[k]->services[s].recovered_h);
                assert_true(res[k + 1]->services[s].downtime_h <=
                            res[k]->services[s].downtime_h + 1e-9);
                faster += res[k + 1]->services[s].recovered_h < res[k]->services[s].recovered_h;
            }
    }
    assert_true(faster > 0);
    for (k = 0; k < 4; k++) {
        osim_replay_result_free(res[k]);
        osim_replay_free(rp[k]);
        osim_scenario_free(sc[k]);
    }
    osim_incident_free(inc);
}

/* Raising a one-system service's priority (s3: 0 -> 3, others 0) never
 * brings it back later, and does help it somewhere. (For a service of many
 * systems this is not a theorem: its first systems, served sooner, can
 * push others' work onto crews its later systems then wait for.) */
static void test_raising_priority_never_delays(void **state)
{
    osim_scenario *lo = indep("crews: 2", 0, 0), *hi = indep("crews: 2", 0, 3);
    osim_replay *rl, *rh;
    osim_replay_result *xl, *xh;
    osim_incident *inc;
    int helped = 0;
    uint64_t rep;

    (void)state;
    assert_int_equal(osim_replay_new(lo, &rl), 0);
    assert_int_equal(osim_replay_new(hi, &rh), 0);
    assert_int_equal(osim_replay_result_new(lo, &xl), 0);
    assert_int_equal(osim_replay_result_new(hi, &xh), 0);
    assert_int_equal(osim_incident_new(lo, &inc), 0);
    for (rep = 0; rep < 400; rep++) {
        osim_incident_draw(lo, 9, rep, inc);
        assert_int_equal(osim_replay_run(rl, inc, 0, 9, rep, xl), 0);
        assert_int_equal(osim_replay_run(rh, inc, 0, 9, rep, xh), 0);
        assert_true(xh->services[3].recovered_h <= xl->services[3].recovered_h);
        helped += xh->services[3].recovered_h < xl->services[3].recovered_h;
    }
    assert_true(helped > 0);
    osim_incident_free(inc);
    osim_replay_result_free(xh);
    osim_replay_result_free(xl);
    osim_replay_free(rh);
    osim_replay_free(rl);
    osim_scenario_free(hi);
    osim_scenario_free(lo);
}

/* tests/fixtures/crews/three.yaml with its "    crews: 1" line replaced. */
static osim_scenario *three_with(const char *crews_lines)
{
    FILE *f = fopen("fixtures/crews/three.yaml", "rb");
    char text[4096], *out, *at;
    size_t n;
    osim_scenario *sc;

    assert_non_null(f);
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    at = strstr(text, "    crews: 1\n");
    assert_non_null(at);
    out = malloc(n + strlen(crews_lines) + 1);
    assert_non_null(out);
    memcpy(out, text, (size_t)(at - text));
    strcpy(out + (at - text), crews_lines);
    strcat(out, at + strlen("    crews: 1\n"));
    sc = load_text("three-shifts.yaml", out);
    free(out);
    return sc;
}

/* Recovery times of a, b, c (in that order) under the fixture's one topology. */
static void three_times(osim_scenario *sc, double t[3])
{
    osim_incident *inc = NULL;
    osim_replay *rp = NULL;
    osim_replay_result *res = NULL;
    const char *names[3] = {"a", "b", "c"};
    int i;

    assert_int_equal(osim_incident_new(sc, &inc), 0);
    assert_int_equal(osim_replay_new(sc, &rp), 0);
    assert_int_equal(osim_replay_result_new(sc, &res), 0);
    osim_incident_draw(sc, 1, 0, inc);
    assert_int_equal(osim_replay_run(rp, inc, 0, 1, 0, res), 0);
    for (i = 0; i < 3; i++)
        t[i] = res->services[osim_scenario_service_index(sc, names[i])].recovered_h;
    osim_replay_result_free(res);
    osim_replay_free(rp);
    osim_incident_free(inc);
    osim_scenario_free(sc);
}

/*
 * Ignition at 00:00, power back at 3 h; restarts a 2 h, b 1 h, c 3 h; c
 * first (priority 2), then a before b (name). With 2 crews: c 3..6, a
 * 3..5, b 5..6. A night shift of 1 crew from 04:00 takes no crew from c
 * or a, but b waits for c: 6..7; if it ends at 05:30, the second crew is
 * back then and b goes at once: 5.5..6.5. A shift on at ignition (22:00
 * to 04:00, 3 crews, over 1 otherwise) gives all three a crew at 3 h.
 */
static void test_shifts_hand_computed(void **state)
{
    double t[3];

    (void)state;
    three_times(three_with("    crews: 2\n"), t);
    assert_true(t[0] == 5.0 && t[1] == 6.0 && t[2] == 6.0);
    three_times(three_with("    crews: 2\n    shifts: [{from: 4h, to: 12h, crews: 1}]\n"), t);
    assert_true(t[0] == 5.0 && t[1] == 7.0 && t[2] == 6.0);
    three_times(three_with("    crews: 2\n    shifts: [{from: 4h, to: 5h30m, crews: 1}]\n"), t);
    assert_true(t[0] == 5.0 && t[1] == 6.5 && t[2] == 6.0);
    three_times(three_with("    crews: 1\n    shifts: [{from: 22h, to: 4h, crews: 3}]\n"), t);
    assert_true(t[0] == 5.0 && t[1] == 4.0 && t[2] == 6.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_computed_three_tasks),
        cmocka_unit_test(test_infinite_crews_equal_no_crews),
        cmocka_unit_test(test_more_crews_never_slower_independent),
        cmocka_unit_test(test_raising_priority_never_delays),
        cmocka_unit_test(test_shifts_hand_computed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
