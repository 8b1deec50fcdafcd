/*
 * test_sweep.c -- sweeps: axis values (lists, LO:HI:STEPS ranges, refusals),
 * '*' paths, the grid product in a fixed order (first axis slowest), and
 * the invariant the MPI executor rests on: a point's result is the same
 * bytes whether it ran whole, or in blocks stored in any order after a
 * trip through osim_mc_result_pack/unpack, and equal to a plain run with the
 * same --set overrides; osim_sweep_run (the runner over the program's
 * processes) gives those bytes for any block size, reports progress up to
 * points x N, and stops when asked. Also one-at-a-time swings of numbers
 * and whole distributions, and the same scaling as sweep axes of factors
 * (x1 is the base bit for bit; x0.5 is every parameter halved by hand) and
 * as --set PATH=xF.
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

#include "outagesim/compensation.h"
#include "outagesim/mc.h"
#include "outagesim/report.h"
#include "outagesim/sweep.h"

#define SCENARIO "../scenarios/minimal.yaml"
#define KAKAO "../scenarios/kakao-pangyo-2022.yaml"
#define N 24

static osim_sweep_axis *axis(const char *arg)
{
    osim_sweep_axis *a = NULL;
    osim_diag d;

    osim_diag_clear(&d);
    if (osim_sweep_axis_parse(arg, &a, &d) != 0)
        fail_msg("%s: %s", arg, d.msg);
    return a;
}

static void refuse(const char *arg, const char *why)
{
    osim_sweep_axis *a = NULL;
    osim_diag d;

    osim_diag_clear(&d);
    assert_int_equal(osim_sweep_axis_parse(arg, &a, &d), OSIM_EINVAL);
    assert_null(a);
    if (strstr(d.msg, why) == NULL)
        fail_msg("'%s': message '%s' lacks '%s'", arg, d.msg, why);
}

static void test_axis_values(void **state)
{
    osim_sweep_axis *a;

    (void)state;
    a = axis("a.b=30m, 1h ,{dist: uniform, min: 5m, max: 30m},'x,y'");
    assert_string_equal(a->path, "a.b");
    assert_int_equal(a->values_count, 4);
    assert_string_equal(a->values[0], "30m");
    assert_string_equal(a->values[1], "1h");
    assert_string_equal(a->values[2], "{dist: uniform, min: 5m, max: 30m}");
    assert_string_equal(a->values[3], "'x,y'");
    assert_null(a->numbers); /* mixed units: categories */
    osim_sweep_axis_free(a);

    a = axis("x=30m:240m:8");
    assert_int_equal(a->values_count, 8);
    assert_string_equal(a->values[0], "30m");
    assert_string_equal(a->values[1], "60m");
    assert_string_equal(a->values[7], "240m");
    assert_non_null(a->numbers);
    assert_string_equal(a->suffix, "m");
    assert_true(a->numbers[2] == 90.0);
    osim_sweep_axis_free(a);

    a = axis("x=0.5:1.5:5");
    assert_int_equal(a->values_count, 5);
    assert_string_equal(a->values[1], "0.75");
    assert_string_equal(a->values[2], "1");
    assert_string_equal(a->values[4], "1.5");
    osim_sweep_axis_free(a);

    a = axis("x=0.1:0.3:3"); /* 0.1 + 0.2 * 0.5 prints as 0.2, not 0.19999... */
    assert_string_equal(a->values[1], "0.2");
    osim_sweep_axis_free(a);

    a = axis("scenario.utc_offset=+09:00"); /* one colon: a value, not a range */
    assert_int_equal(a->values_count, 1);
    assert_string_equal(a->values[0], "+09:00");
    osim_sweep_axis_free(a);

    refuse("x=30m:4h:5", "same unit suffix");
    refuse("x=1:2:1", "STEPS must be");
    refuse("x=1:2:z", "whole number of steps");
    refuse("x=1:1:3", "equal");
    refuse("x=1,,2", "empty");
    refuse("x={a: 1", "not closed");
    refuse("x=1h,1h", "given twice");
    refuse("novalues", "expected PATH=VALUES");
    refuse("a..b=1", "empty segment");
}

static void test_path_match(void **state)
{
    (void)state;
    assert_true(osim_sweep_path_match("a.*.c", "a.b.c"));
    assert_true(osim_sweep_path_match("a.b.c", "a.b.c"));
    assert_false(osim_sweep_path_match("a.*.c", "a.b.d"));
    assert_false(osim_sweep_path_match("a.*", "a.b.c"));
    assert_false(osim_sweep_path_match("a.*.c", "a.c"));
    assert_false(osim_sweep_path_match("a.b*.c", "a.bx.c")); /* '*' is a whole segment */
}

static osim_sweep *new_sweep(const char *const *vary, size_t n)
{
    osim_sweep_spec spec;
    osim_sweep *sw = NULL;
    osim_sweep_axis **axes = calloc(n, sizeof(*axes));
    osim_diag d;
    size_t i;

    osim_diag_clear(&d);
    memset(&spec, 0, sizeof(spec));
    spec.scenario = SCENARIO;
    spec.seed = 7;
    spec.replications = N;
    assert_int_equal(osim_sweep_new(&spec, &sw, &d), 0);
    for (i = 0; i < n; i++)
        axes[i] = axis(vary[i]);
    if (osim_sweep_add_grid(sw, axes, n, &d) != 0)
        fail_msg("%s", d.msg);
    free(axes);
    if (osim_sweep_check(sw, &d) != 0)
        fail_msg("%s", d.msg);
    return sw;
}

static const char *const VARY[] = {
    "incident.north.power_cut.mean=1h,2h",
    "incident.north.detection=10m,20m,40m",
};

static void test_grid_order(void **state)
{
    osim_sweep *sw;
    const osim_sweep_point *pt;
    size_t p;
    const size_t want[6][2] = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}};

    (void)state;
    sw = new_sweep(VARY, 2);
    assert_int_equal(osim_sweep_points_count(sw), 6);
    for (p = 0; p < 6; p++) {
        pt = osim_sweep_point_at(sw, p);
        assert_int_equal(pt->coord[0], want[p][0]);
        assert_int_equal(pt->coord[1], want[p][1]);
        assert_int_equal(pt->overrides_count, 2);
    }
    pt = osim_sweep_point_at(sw, 4);
    assert_string_equal(pt->overrides[0].path, "incident.north.power_cut.mean");
    assert_string_equal(pt->overrides[0].value, "2h");
    assert_string_equal(pt->overrides[1].value, "20m");
    assert_string_equal(pt->label,
                        "incident.north.power_cut.mean=2h, incident.north.detection=20m");
    /* Units: blocks of 10 of 24 replications -> 3 per point, point-major. */
    osim_sweep_set_block(sw, 10);
    assert_int_equal(osim_sweep_units_count(sw), 18);
    {
        size_t point;
        uint64_t from, to;
        osim_sweep_unit(sw, 5, &point, &from, &to);
        assert_int_equal(point, 1);
        assert_int_equal(from, 20);
        assert_int_equal(to, 24);
    }
    osim_sweep_free(sw);
}

static void test_grid_refusals(void **state)
{
    osim_sweep_spec spec;
    osim_sweep *sw = NULL;
    osim_sweep_axis *axes[2];
    osim_diag d;
    const osim_override set = {"incident.north.detection", "5m"};

    (void)state;
    memset(&spec, 0, sizeof(spec));
    spec.scenario = SCENARIO;
    spec.replications = 4;
    spec.base = &set;
    spec.base_count = 1;
    osim_diag_clear(&d);
    assert_int_equal(osim_sweep_new(&spec, &sw, &d), 0);
    axes[0] = axis("incident.north.detection=1h,2h");
    assert_int_equal(osim_sweep_add_grid(sw, axes, 1, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "both set"));
    osim_sweep_free(sw);

    spec.base_count = 0;
    assert_int_equal(osim_sweep_new(&spec, &sw, &d), 0);
    osim_diag_clear(&d);
    axes[0] = axis("nothing.*.here=1,2");
    assert_int_equal(osim_sweep_add_grid(sw, axes, 1, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "matches no settable path"));
    osim_sweep_free(sw);

    /* A value the scenario refuses fails the check, naming the point. */
    assert_int_equal(osim_sweep_new(&spec, &sw, &d), 0);
    osim_diag_clear(&d);
    axes[0] = axis("incident.north.suppression.median=2h,20h");
    assert_int_equal(osim_sweep_add_grid(sw, axes, 1, &d), 0);
    assert_true(osim_sweep_check(sw, &d) < 0);
    assert_non_null(strstr(d.msg, "point 2 (incident.north.suppression.median=20h)"));
    osim_sweep_free(sw);

    /* A '*' pattern expands against the settable paths. */
    assert_int_equal(osim_sweep_new(&spec, &sw, &d), 0);
    axes[0] = axis("services.*.restart.median=1h,2h");
    axes[1] = axis("incident.north.detection=1h");
    assert_int_equal(osim_sweep_add_grid(sw, axes, 2, &d), 0);
    assert_true(osim_sweep_axis_at(sw, 0)->paths_count >= 2);
    assert_string_equal(osim_sweep_axis_at(sw, 0)->paths[0], "services.login.restart.median");
    osim_sweep_free(sw);
}

/* The result document of point p as bytes. */
static char *doc_bytes(const osim_mc_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    assert_int_equal(osim_report_json(r, f, NULL), 0);
    fclose(f);
    return buf;
}

static char *sweep_json(const osim_sweep *sw)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    assert_int_equal(osim_sweep_write_json(sw, f, NULL), 0);
    assert_int_equal(osim_sweep_write_csv(sw, f, NULL), 0);
    fclose(f);
    return buf;
}

static void test_units_merge_exactly(void **state)
{
    osim_sweep *whole = new_sweep(VARY, 2), *blocks = new_sweep(VARY, 2);
    osim_sweep_run_options ro;
    osim_diag d;
    size_t p, u;
    char *a, *b;

    (void)state;
    memset(&ro, 0, sizeof(ro));
    ro.threads = 2;
    osim_diag_clear(&d);
    for (p = 0; p < osim_sweep_points_count(whole); p++) {
        osim_mc_result *r = NULL;
        assert_int_equal(osim_sweep_run_range(whole, p, 0, N, &ro, &r, &d), 0);
        assert_int_equal(osim_sweep_store(whole, p, r, &d), 0);
    }
    assert_true(osim_sweep_complete(whole));
    /* Blocks of 7, run last unit first, each packed and unpacked. */
    osim_sweep_set_block(blocks, 7);
    ro.threads = 1;
    for (u = osim_sweep_units_count(blocks); u-- > 0;) {
        osim_mc_result *r = NULL, *back = NULL;
        size_t point;
        uint64_t from, to;
        void *buf = NULL;
        size_t len = 0;
        osim_sweep_unit(blocks, u, &point, &from, &to);
        assert_int_equal(osim_sweep_run_range(blocks, point, from, to, &ro, &r, &d), 0);
        assert_int_equal(osim_mc_result_pack(r, &buf, &len), 0);
        osim_mc_result_free(r);
        assert_int_equal(osim_mc_result_unpack(buf, len, &back, &d), 0);
        /* A truncated message is refused, not misread. */
        {
            osim_mc_result *bad = NULL;
            assert_int_equal(osim_mc_result_unpack(buf, len - 3, &bad, NULL), OSIM_EINVAL);
            assert_null(bad);
        }
        free(buf);
        assert_int_equal(osim_sweep_store(blocks, point, back, &d), 0);
    }
    assert_true(osim_sweep_complete(blocks));
    a = sweep_json(whole);
    b = sweep_json(blocks);
    assert_string_equal(a, b);
    free(a);
    free(b);

    /* Point 5 equals a plain run with the same --set overrides. */
    {
        const osim_sweep_point *pt = osim_sweep_point_at(whole, 4);
        osim_scenario *sc = NULL;
        osim_mc_options opt;
        osim_mc *mc = NULL;
        osim_mc_result *r;
        assert_int_equal(
            osim_comp_scenario_load(SCENARIO, pt->overrides, pt->overrides_count, &sc, &d), 0);
        memset(&opt, 0, sizeof(opt));
        opt.seed = 7;
        opt.to = N;
        opt.threads = 1;
        opt.overrides = pt->overrides;
        opt.overrides_count = pt->overrides_count;
        assert_int_equal(osim_mc_new(sc, &opt, &mc, &d), 0);
        assert_int_equal(osim_mc_run(mc, &d), 0);
        r = osim_mc_take_result(mc);
        a = doc_bytes(r);
        b = doc_bytes(osim_sweep_result(whole, 4));
        assert_string_equal(a, b);
        free(a);
        free(b);
        osim_mc_result_free(r);
        osim_mc_free(mc);
        osim_scenario_free(sc);
    }
    /* Points differ (the axes matter) but share their fire (CRN): the
     * detection time drawn is the same at every point with the same value. */
    {
        const osim_mc_result *r0 = osim_sweep_result(whole, 0), *r3 = osim_sweep_result(whole, 3);
        long m = osim_mc_result_metric_index(r0, "incident.north.detection_h");
        long c = osim_mc_result_metric_index(r0, "incident.north.power_cut_h");
        assert_true(m >= 0 && c >= 0);
        assert_true(osim_mc_result_stats(r0, 0, (size_t)m)->mean ==
                    osim_mc_result_stats(r3, 0, (size_t)m)->mean);
        assert_true(osim_mc_result_stats(r0, 0, (size_t)c)->mean <
                    osim_mc_result_stats(r3, 0, (size_t)c)->mean);
    }
    /* A part overlapping a stored one is refused. */
    {
        osim_sweep *sw = new_sweep(VARY, 2);
        osim_mc_result *r = NULL, *r2 = NULL;
        assert_int_equal(osim_sweep_run_range(sw, 0, 0, 10, &ro, &r, &d), 0);
        assert_int_equal(osim_sweep_run_range(sw, 0, 5, 12, &ro, &r2, &d), 0);
        assert_int_equal(osim_sweep_store(sw, 0, r, &d), 0);
        assert_int_equal(osim_sweep_store(sw, 0, r2, NULL), OSIM_EINVAL);
        assert_false(osim_sweep_complete(sw));
        osim_sweep_free(sw);
    }
    osim_sweep_free(whole);
    osim_sweep_free(blocks);
}

typedef struct progress_seen {
    uint64_t last, total;
    int calls;
    osim_sweep *stop_this;
} progress_seen;

static void seen_progress(void *ud, uint64_t done, uint64_t total)
{
    progress_seen *p = ud;

    p->calls++;
    p->last = done;
    p->total = total;
    if (p->stop_this != NULL)
        osim_sweep_stop(p->stop_this);
}

static void test_sweep_run(void **state)
{
    osim_sweep *whole = new_sweep(VARY, 2), *blocks = new_sweep(VARY, 2), *stopped;
    osim_sweep_run_options ro;
    progress_seen seen;
    osim_diag d;
    size_t p;
    char *a, *b;

    (void)state;
    memset(&ro, 0, sizeof(ro));
    ro.threads = 2;
    osim_diag_clear(&d);
    for (p = 0; p < osim_sweep_points_count(whole); p++) {
        osim_mc_result *r = NULL;
        assert_int_equal(osim_sweep_run_range(whole, p, 0, N, &ro, &r, &d), 0);
        assert_int_equal(osim_sweep_store(whole, p, r, &d), 0);
    }
    memset(&seen, 0, sizeof(seen));
    ro.progress = seen_progress;
    ro.progress_ud = &seen;
    ro.progress_ms = 1;
    osim_sweep_set_block(blocks, 5);
    assert_int_equal(osim_sweep_run(blocks, &ro, &d), 0);
    assert_true(osim_sweep_complete(blocks));
    assert_true(seen.calls > 0);
    assert_int_equal(seen.total, osim_sweep_points_count(blocks) * N);
    assert_int_equal(seen.last, seen.total);
    a = sweep_json(whole);
    b = sweep_json(blocks);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* Asked to stop during the first unit: OSIM_ESTOPPED, incomplete. */
    stopped = new_sweep(VARY, 2);
    memset(&seen, 0, sizeof(seen));
    seen.stop_this = stopped;
    assert_int_equal(osim_sweep_run(stopped, &ro, &d), OSIM_ESTOPPED);
    assert_false(osim_sweep_complete(stopped));
    osim_sweep_free(stopped);
    osim_sweep_free(whole);
    osim_sweep_free(blocks);
}

static void test_swing(void **state)
{
    osim_sweep_spec spec;
    osim_sweep *sw = NULL;
    osim_override *ov = NULL;
    size_t n = 0, i;
    char *shown = NULL, **params = NULL;
    osim_diag d;

    (void)state;
    memset(&spec, 0, sizeof(spec));
    spec.scenario = SCENARIO;
    spec.replications = 4;
    osim_diag_clear(&d);
    assert_int_equal(osim_sweep_new(&spec, &sw, &d), 0);
    /* A lognormal moves as a whole: median and p95 both x1.5. */
    assert_int_equal(osim_sweep_swing(osim_sweep_base(sw), "incident.north.suppression", 1.5, &ov,
                                      &n, &shown, &d),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(ov[0].path, "incident.north.suppression.median");
    assert_string_equal(ov[0].value, "9");
    assert_string_equal(ov[1].path, "incident.north.suppression.p95");
    assert_string_equal(ov[1].value, "15");
    osim_sweep_overrides_free(ov, n);
    free(shown);
    /* A fraction is capped at 1. */
    assert_int_equal(
        osim_sweep_swing(osim_sweep_base(sw), "services.chat.user_share", 1.5, &ov, &n, &shown, &d),
        0);
    assert_int_equal(n, 1);
    assert_string_equal(ov[0].value, "1");
    osim_sweep_overrides_free(ov, n);
    free(shown);
    /* A name is not a parameter. */
    assert_int_equal(
        osim_sweep_swing(osim_sweep_base(sw), "scenario.name", 1.5, &ov, &n, &shown, NULL),
        OSIM_EINVAL);
    /* The default set: incident distributions first, no zero parameters. */
    assert_int_equal(osim_sweep_default_params(osim_sweep_base(sw), "as-is", &params, &n), 0);
    assert_true(n > 5);
    assert_string_equal(params[0], "incident.north.detection");
    for (i = 0; i < n; i++) {
        assert_null(strstr(params[i], ".profile."));
        assert_null(strstr(params[i], ".rebuild")); /* 0 in minimal.yaml */
        free(params[i]);
    }
    free(params);
    osim_sweep_free(sw);
}

/* The statistics of two results are the same bits (every metric, every
 * topology), whatever their overrides and hashes say. */
static void assert_same_stats(const osim_mc_result *a, const osim_mc_result *b)
{
    size_t t, m;

    assert_int_equal(a->topologies_count, b->topologies_count);
    assert_int_equal(a->metrics_count, b->metrics_count);
    for (t = 0; t < a->topologies_count; t++)
        for (m = 0; m < a->metrics_count; m++)
            if (memcmp(osim_mc_result_stats(a, t, m), osim_mc_result_stats(b, t, m),
                       sizeof(osim_stats)) != 0)
                fail_msg("%s under %s differs", a->metrics[m].name, a->topologies[t]);
}

/* A plain run of minimal.yaml with overrides ov, seed 7, replications 0..N-1. */
static osim_mc_result *plain_run(const osim_override *ov, size_t n)
{
    osim_scenario *sc = NULL;
    osim_mc_options opt;
    osim_mc *mc = NULL;
    osim_mc_result *r;
    osim_diag d;

    osim_diag_clear(&d);
    if (osim_comp_scenario_load(SCENARIO, ov, n, &sc, &d) != 0)
        fail_msg("%s", d.msg);
    memset(&opt, 0, sizeof(opt));
    opt.seed = 7;
    opt.to = N;
    opt.threads = 1;
    assert_int_equal(osim_mc_new(sc, &opt, &mc, &d), 0);
    assert_int_equal(osim_mc_run(mc, &d), 0);
    r = osim_mc_take_result(mc);
    osim_mc_free(mc);
    osim_scenario_free(sc);
    return r;
}

static void test_scale_axis(void **state)
{
    static const char *const vary[] = {"incident.north.suppression=x0.5,x1,x2"};
    static const osim_override halved[] = {{"incident.north.suppression.median", "3h"},
                                           {"incident.north.suppression.p95", "5h"}};
    osim_sweep_axis *a;
    osim_sweep *sw;
    osim_sweep_run_options ro;
    osim_mc_result *r;
    osim_diag d;
    size_t p;
    char *table = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    /* Factors: a list, and a range of factors. */
    a = axis("incident.north.suppression=x0.5,x1,x2");
    assert_true(a->factors);
    assert_non_null(a->numbers);
    assert_true(a->numbers[0] == 0.5 && a->numbers[2] == 2.0);
    assert_string_equal(a->labels[0], "x0.5");
    osim_sweep_axis_free(a);
    a = axis("a.b=x0.5:x2:4");
    assert_int_equal(a->values_count, 4);
    assert_string_equal(a->values[0], "x0.5");
    assert_string_equal(a->values[1], "x1");
    assert_string_equal(a->values[3], "x2");
    assert_true(a->factors);
    osim_sweep_axis_free(a);
    refuse("a.b=x0:x2:3", "range of factors");
    /* A distribution written as flow YAML is labelled by its numbers. */
    a = axis("a.b={dist: uniform, min: 5m, max: 30m},{dist: lognormal, median: 1h, p95: 3h}");
    assert_string_equal(a->labels[0], "uniform min 5m max 30m");
    assert_string_equal(a->labels[1], "lognormal median 1h p95 3h");
    assert_false(a->factors);
    osim_sweep_axis_free(a);

    sw = new_sweep(vary, 1);
    memset(&ro, 0, sizeof(ro));
    ro.threads = 2;
    osim_diag_clear(&d);
    for (p = 0; p < osim_sweep_points_count(sw); p++) {
        r = NULL;
        assert_int_equal(osim_sweep_run_range(sw, p, 0, N, &ro, &r, &d), 0);
        assert_int_equal(osim_sweep_store(sw, p, r, &d), 0);
    }
    /* x1 is the base scenario, bit for bit in every statistic. */
    r = plain_run(NULL, 0);
    assert_same_stats(osim_sweep_result(sw, 1), r);
    /* x2 is not (the axis matters). */
    {
        long m = osim_mc_result_metric_index(r, "full_recovery_h");
        assert_true(m >= 0);
        assert_true(osim_mc_result_stats(osim_sweep_result(sw, 2), 0, (size_t)m)->mean >
                    osim_mc_result_stats(r, 0, (size_t)m)->mean);
    }
    osim_mc_result_free(r);
    /* x0.5 of the lognormal (median 6h, p95 10h) is --set of both halved. */
    r = plain_run(halved, 2);
    assert_same_stats(osim_sweep_result(sw, 0), r);
    osim_mc_result_free(r);
    /* The table shows the factor, not a cut path or YAML. */
    f = open_memstream(&table, &len);
    assert_non_null(f);
    assert_int_equal(osim_sweep_write_table(sw, "full_recovery_h", OSIM_SWEEP_P50, f, &d), 0);
    fclose(f);
    assert_non_null(strstr(table, "incident.north.suppression"));
    assert_non_null(strstr(table, "  x0.5  "));
    assert_non_null(strstr(table, "active-standby"));
    free(table);
    osim_sweep_free(sw);
}

/* Two distributions are the same bits (kind, parameters, clamps). */
static void assert_same_dist(const osim_dist *a, const osim_dist *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_memory_equal(a->p, b->p, sizeof(a->p));
    assert_memory_equal(&a->lo, &b->lo, sizeof(double));
    assert_memory_equal(&a->hi, &b->hi, sizeof(double));
}

/* --set PATH=xF is the same scaling as a swing, and x1 changes nothing. */
static void test_set_scale(void **state)
{
    static const osim_override x1[] = {{"incident.north.suppression", "x1"},
                                       {"incident.north.ups_ride_through", "x1"},
                                       {"services.chat.revenue_per_h", "x1"}};
    static const osim_override x15[] = {{"incident.north.suppression", "x1.5"}};
    osim_scenario *base = NULL, *sc = NULL;
    osim_diag d;

    (void)state;
    osim_diag_clear(&d);
    assert_int_equal(osim_comp_scenario_load(SCENARIO, NULL, 0, &base, &d), 0);
    if (osim_comp_scenario_load(SCENARIO, x1, 3, &sc, &d) != 0)
        fail_msg("%s", d.msg);
    assert_same_dist(&sc->incident[0].suppression_h, &base->incident[0].suppression_h);
    assert_same_dist(&sc->incident[0].ups_ride_through_h, &base->incident[0].ups_ride_through_h);
    assert_true(sc->services[1].revenue_krw_per_h == base->services[1].revenue_krw_per_h);
    osim_scenario_free(sc);
    assert_int_equal(osim_comp_scenario_load(SCENARIO, x15, 1, &sc, &d), 0);
    {
        /* The same as the swing sensitivity makes (median 9 h, p95 15 h). */
        static const osim_override swung[] = {{"incident.north.suppression.median", "9"},
                                              {"incident.north.suppression.p95", "15"}};
        osim_scenario *sc2 = NULL;
        assert_int_equal(osim_comp_scenario_load(SCENARIO, swung, 2, &sc2, &d), 0);
        assert_same_dist(&sc->incident[0].suppression_h, &sc2->incident[0].suppression_h);
        osim_scenario_free(sc2);
    }
    osim_scenario_free(sc);
    osim_scenario_free(base);
}

/* The value of parameter path in sc, as the params table shows it. */
static void assert_param(const osim_scenario *sc, const char *path, const char *want)
{
    osim_param_table *t = NULL;
    const char *p, *v, *u;
    long i;

    assert_int_equal(osim_param_table_new(sc, &t), 0);
    i = osim_param_table_find(t, path);
    assert_true(i >= 0);
    osim_param_table_at(t, (size_t)i, &p, &v, &u);
    assert_string_equal(v, want);
    osim_param_table_free(t);
}

/* --set PATH=xF on a scenario with policies: the scaling loads the scenario
 * with the caller's models, so a policy's params scale too. */
static void test_set_scale_policy(void **state)
{
    static const osim_override x2[] = {{"policies.kakao-2022-channel-credit.params.amount", "x2"}};
    osim_scenario *sc = NULL;
    osim_diag d;

    (void)state;
    osim_diag_clear(&d);
    if (osim_comp_scenario_load(KAKAO, NULL, 0, &sc, &d) != 0)
        fail_msg("%s", d.msg);
    assert_param(sc, x2[0].path, "50000");
    osim_scenario_free(sc);
    if (osim_comp_scenario_load(KAKAO, x2, 1, &sc, &d) != 0)
        fail_msg("%s", d.msg);
    assert_param(sc, x2[0].path, "100000");
    osim_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axis_values),
        cmocka_unit_test(test_path_match),
        cmocka_unit_test(test_grid_order),
        cmocka_unit_test(test_grid_refusals),
        cmocka_unit_test(test_units_merge_exactly),
        cmocka_unit_test(test_sweep_run),
        cmocka_unit_test(test_swing),
        cmocka_unit_test(test_scale_axis),
        cmocka_unit_test(test_set_scale),
        cmocka_unit_test(test_set_scale_policy),
    };

    osim_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
