/*
 * test_crews.c -- crews in the replay (sim/model/crews.c, docs/model.md "Crews").
 *
 * Invariants checked: a hand-computed timeline (one crew, three tasks,
 * fixed times; priority first, then name order) is what the replay gives,
 * exactly; and crews too many to ever bind give the results of a topology
 * without crews whose staff never binds, bit for bit, over many seeds.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_computed_three_tasks),
        cmocka_unit_test(test_infinite_crews_equal_no_crews),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
