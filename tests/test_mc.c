/*
 * test_mc.c -- invariants of a Monte Carlo run: the result is a pure
 * function of (scenario, seed, replication range). Checked: the same seed
 * twice gives identical bytes; 1 and 2 threads and any chunk size give
 * identical bytes; every topology meets the same fire in a replication
 * (common random numbers) and a topology's rows do not depend on which
 * other topologies ran; partial runs merge into exactly the whole run;
 * a saved result reads back exactly; an interrupted run keeps a completed
 * prefix identical to the whole run's; run-length control meets its target
 * identically for any thread count; the economics follow their formulas;
 * the catalogue is built from what the models declare, without evaluating
 * anything, so it is the same whatever replication the range starts at;
 * an evaluation that writes classes other than the declared ones fails the
 * run with OSIM_EINTERNAL naming the policy.
 * The executors (exec.h): a fake one that runs the chunks last first, on
 * rotating slots, gives the pool's bytes; the pool never runs two units on
 * one slot or more than `slots` at once, stops on request, and reports the
 * failure of the lowest failed unit whatever the timing.
 * Rows on disk (rows_memory_bytes) give the documents and rows of rows in
 * memory, also interrupted, and leave nothing in their folder; a run
 * spread over processes in blocks (a fake executor that packs and
 * receives every other block, as MPI ranks do) gives the one-process rows
 * and series counts.
 *
 * The scenario is built in memory so that this suite depends on the run,
 * not on the YAML loader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comp/params_int.h"
#include "mc/exec.h"
#include "mc/runner.h"
#include "outagesim/mc.h"
#include "outagesim/report.h"
#include "outagesim/series.h"
#include "outagesim/sweep.h"

typedef struct world {
    osim_scenario sc;
    osim_site sites[2];
    osim_incident_site inc;
    osim_profile_point profile[2];
    osim_service svc[2];
    size_t app_deps[1];
    size_t order[2];
    osim_topology topo[2];
    osim_placement pl[2][2];
    size_t site0, site1;
    osim_segment seg;
    size_t seg_deps[1];
    osim_policy pol[2];
    osim_comp_flat_credit_params credit;
    osim_comp_loss_brackets_params brackets;
    osim_comp_bracket br[2];
} world;

static osim_dist expo(double mean)
{
    osim_dist d = osim_dist_fixed(0.0);
    d.kind = OSIM_DIST_EXPONENTIAL;
    d.p[0] = mean;
    d.lo = 0.0;
    return d;
}

static world W;

static void world_init(world *w)
{
    size_t i, t;

    memset(w, 0, sizeof(*w));
    w->site0 = 0;
    w->site1 = 1;
    w->sites[0].name = "burning";
    w->sites[1].name = "safe";
    w->sc.name = "mc-test";
    w->sc.path = "in-memory";
    memset(w->sc.sha256, 'a', 64);
    w->sc.start_hour = 15.3;
    w->sc.start_weekday = 5;
    w->sc.horizon_h = 336.0;
    w->sc.sites = w->sites;
    w->sc.sites_count = 2;

    w->inc.site = 0;
    w->inc.detection_h = osim_dist_fixed(0.2);
    w->inc.ups_ride_through_h = osim_dist_fixed(INFINITY);
    w->inc.partial_loss_fraction = osim_dist_fixed(0.0);
    w->inc.power_cut_h = expo(1.0);
    w->inc.suppression_h = expo(5.0);
    w->profile[0].after_h = 0.0;
    w->profile[0].fraction = 0.0;
    w->profile[1].after_h = 10.0;
    w->profile[1].fraction = 1.0;
    w->inc.restoration = w->profile;
    w->inc.restoration_count = 2;
    w->inc.restoration_scale = osim_dist_fixed(1.0);
    w->inc.destroyed_fraction = osim_dist_fixed(0.0);
    w->inc.replace_h = osim_dist_fixed(0.0);
    w->sc.incident = &w->inc;
    w->sc.incident_count = 1;

    w->svc[0].name = "core";
    w->svc[0].user_share = 0.9;
    w->svc[0].revenue_krw_per_h = 1000000;
    w->svc[0].data_change_gb_per_h = 2.0;
    w->svc[0].restart_h = expo(0.5);
    w->svc[0].shards = 4; /* the older name of systems (osim_service_systems) */
    w->svc[1].name = "app";
    w->svc[1].user_share = 0.5;
    w->svc[1].revenue_krw_per_h = 300000;
    w->svc[1].restart_h = expo(1.0);
    w->svc[1].systems = 500; /* many systems: the identity tests cover systems back */
    w->app_deps[0] = 0;
    w->svc[1].deps = w->app_deps;
    w->svc[1].deps_count = 1;
    w->order[0] = 0;
    w->order[1] = 1;
    w->sc.services = w->svc;
    w->sc.services_count = 2;
    w->sc.topo_order = w->order;

    w->sc.topologies = w->topo;
    w->sc.topologies_count = 2;
    for (t = 0; t < 2; t++) {
        w->topo[t].name = t ? "two-site" : "as-was";
        w->topo[t].staff = 2;
        w->topo[t].annual_cost_krw = t ? 500000000 : 0;
        w->topo[t].placements = w->pl[t];
        for (i = 0; i < 2; i++) {
            osim_placement *p = &w->pl[t][i];
            p->service = i;
            p->active = &w->site0;
            p->active_count = 1;
            p->lag_h = osim_dist_fixed(0.01);
            p->detect_h = osim_dist_fixed(0.1);
            p->failover_h = expo(2.0);
            p->needs_min = 1.0;
            p->staff = 1;
            if (t == 1) {
                p->standby = &w->site1;
                p->standby_count = 1;
                p->replication = OSIM_REPL_ASYNC;
                p->failover = OSIM_FAILOVER_AUTOMATIC;
            }
        }
    }

    w->sc.population.users = 1e6;
    for (i = 0; i < 24; i++)
        w->sc.population.hourly[i] = 0.3 + 0.02 * (double)i;
    for (i = 0; i < 7; i++)
        w->sc.population.weekly[i] = 1.0;

    w->seg.name = "shops";
    w->seg.count = 1000;
    w->seg_deps[0] = 1;
    w->seg.deps = w->seg_deps;
    w->seg.deps_count = 1;
    w->seg.hourly_revenue_krw = osim_dist_fixed(0.0);
    w->seg.hourly_revenue_krw.kind = OSIM_DIST_LOGNORMAL;
    w->seg.hourly_revenue_krw.p[0] = log(15000.0);
    w->seg.hourly_revenue_krw.p[1] = 0.6;
    w->seg.hourly_revenue_krw.lo = 0.0;
    for (i = 0; i < 24; i++)
        w->seg.hourly_profile[i] = 1.0;
    for (i = 0; i < 7; i++)
        w->seg.weekly_profile[i] = 1.0;
    w->seg.substitution = 0.2;
    w->seg.deferred = 0.1;
    w->seg.margin = 0.3;
    w->seg.claim_rate = 0.05;
    w->sc.segments = &w->seg;
    w->sc.segments_count = 1;

    w->credit.per = OSIM_COMP_PER_BUSINESS;
    w->credit.basis = OSIM_COMP_BASIS_AFFECTED;
    w->credit.amount_krw = 50000;
    w->credit.take_up = 1.0;
    w->pol[0].name = "credit";
    w->pol[0].model_name = "flat_credit";
    w->pol[0].legal_basis = "voluntary, like Kakao's 2022 Talk Channel credit";
    w->pol[0].model = &osim__comp_flat_credit;
    w->pol[0].params = &w->credit;

    w->br[0].label = "loss <= 300,000 won";
    w->br[0].up_to_krw = 300000;
    w->br[0].pay_krw = 30000;
    w->br[0].approval = 1.0;
    w->br[1].label = "loss > 300,000 won";
    w->br[1].pay_krw = 50000;
    w->br[1].approval = 0.9;
    w->brackets.brackets = w->br;
    w->brackets.brackets_count = 2;
    w->pol[1].name = "brackets";
    w->pol[1].model_name = "loss_brackets";
    w->pol[1].legal_basis = "";
    w->pol[1].model = &osim__comp_loss_brackets;
    w->pol[1].params = &w->brackets;
    w->sc.policies = w->pol;
    w->sc.policies_count = 2;

    w->sc.economics.incident_probability_per_year = 0.01;
}

static osim_mc_options options(uint64_t from, uint64_t to, unsigned threads, unsigned chunk)
{
    osim_mc_options o;

    memset(&o, 0, sizeof(o));
    o.seed = 7;
    o.from = from;
    o.to = to;
    o.threads = threads;
    o.chunk = chunk;
    return o;
}

static osim_mc_result *run(const osim_mc_options *o, int want)
{
    osim_mc *mc = NULL;
    osim_mc_result *r;
    osim_diag d;

    osim_diag_clear(&d);
    assert_int_equal(osim_mc_new(&W.sc, o, &mc, &d), 0);
    assert_int_equal(osim_mc_run(mc, &d), want);
    r = osim_mc_take_result(mc);
    assert_non_null(r);
    osim_mc_free(mc);
    return r;
}

/* The result document as text (owned by the caller). */
static char *doc(const osim_mc_result *r)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    osim_diag d;

    assert_non_null(f);
    osim_diag_clear(&d);
    assert_int_equal(osim_report_json(r, f, &d), 0);
    fclose(f);
    return buf;
}

static size_t row_len(const osim_mc_result *r)
{
    return r->topologies_count * r->metrics_count;
}

static void same_result(const osim_mc_result *a, const osim_mc_result *b)
{
    char *x = doc(a), *y = doc(b);
    size_t n = (size_t)(a->to - a->from);

    assert_string_equal(x, y);
    assert_int_equal(a->from, b->from);
    assert_int_equal(a->to, b->to);
    assert_int_equal(row_len(a), row_len(b));
    assert_memory_equal(a->values, b->values, n * row_len(a) * sizeof(double));
    free(x);
    free(y);
}

static void determinism(void **state)
{
    osim_mc_options o = options(0, 60, 1, 0);
    osim_mc_result *a = run(&o, 0), *b = run(&o, 0);
    long k;

    (void)state;
    assert_int_equal(a->to - a->from, 60);
    assert_false(a->interrupted);
    same_result(a, b);
    /* The fire is random: the replications differ from each other. */
    k = osim_mc_result_metric_index(a, "incident.burning.power_cut_h");
    assert_true(k >= 0);
    assert_true(osim_mc_result_stats(a, 0, (size_t)k)->max >
                osim_mc_result_stats(a, 0, (size_t)k)->min);
    /* A different seed gives a different run. */
    o.seed = 8;
    osim_mc_result_free(b);
    b = run(&o, 0);
    assert_true(memcmp(a->values, b->values, row_len(a) * sizeof(double)) != 0);
    osim_mc_result_free(a);
    osim_mc_result_free(b);
}

static void threads_and_chunks(void **state)
{
    osim_mc_options o1 = options(0, 100, 1, 0), o2 = options(0, 100, 2, 0);
    osim_mc_options o3 = options(0, 100, 2, 1), o4 = options(0, 100, 3, 7);
    osim_mc_result *a = run(&o1, 0), *b = run(&o2, 0), *c = run(&o3, 0), *d = run(&o4, 0);

    (void)state;
    same_result(a, b);
    same_result(a, c);
    same_result(a, d);
    osim_mc_result_free(a);
    osim_mc_result_free(b);
    osim_mc_result_free(c);
    osim_mc_result_free(d);
}

static void common_random_numbers(void **state)
{
    osim_mc_options o = options(0, 50, 2, 0);
    osim_mc_result *both = run(&o, 0), *one;
    size_t only = 1, M = both->metrics_count, i, m, ninc = 0;
    bool differ = false;

    (void)state;
    /* The incident metrics are equal under both topologies, row by row. */
    for (m = 0; m < M; m++) {
        if (both->metrics[m].group != OSIM_MG_INCIDENT)
            continue;
        ninc++;
        for (i = 0; i < 50; i++)
            assert_true(both->values[(i * 2 + 0) * M + m] == both->values[(i * 2 + 1) * M + m]);
    }
    assert_int_equal(ninc, 3);
    /* ... while the outcomes differ (the designs matter). */
    for (i = 0; i < 50 && !differ; i++)
        differ = both->values[(i * 2) * M + M - 1] != both->values[(i * 2 + 1) * M + M - 1];
    assert_true(differ);

    /* Running one topology alone gives exactly its rows of the joint run. */
    o.topologies = &only;
    o.topologies_count = 1;
    one = run(&o, 0);
    assert_int_equal(one->topologies_count, 1);
    assert_string_equal(one->topologies[0], "two-site");
    for (i = 0; i < 50; i++)
        assert_memory_equal(one->values + i * M, both->values + (i * 2 + 1) * M,
                            M * sizeof(double));
    /* Without the baseline in the run, there is no net benefit. */
    assert_false(one->economics[0].has_baseline);
    osim_mc_result_free(both);
    osim_mc_result_free(one);
}

static void catalogue_and_classes(void **state)
{
    osim_mc_options o = options(0, 10, 1, 0);
    osim_mc_result *r = run(&o, 0);
    long k;

    (void)state;
    assert_int_equal(r->policies_count, 2);
    assert_int_equal(r->policies[1].classes_count, 2);
    assert_string_equal(r->policies[1].classes[0], "loss <= 300,000 won");
    assert_true(osim_mc_result_metric_index(r, "services.core.downtime_h") >= 0);
    assert_true(osim_mc_result_metric_index(r, "small_business.segments.shops.claimants") >= 0);
    k = osim_mc_result_metric_index(
        r, "compensation.brackets.classes.loss <= 300,000 won.amount_money");
    assert_true(k >= 0);
    assert_string_equal(r->metrics[k].unit, "money");
    /* The hand-built scenario names no currency: the result's is the default. */
    assert_non_null(r->currency);
    assert_string_equal(r->currency->code, "KRW");
    assert_string_equal(r->metrics[r->metrics_count - 1].name, "incident_cost_money");
    /* Every metric name is unique. */
    for (size_t i = 0; i < r->metrics_count; i++)
        assert_int_equal(osim_mc_result_metric_index(r, r->metrics[i].name), (long)i);
    osim_mc_result_free(r);
}

static void economics_formulas(void **state)
{
    osim_mc_options o = options(0, 80, 2, 0);
    osim_mc_result *r = run(&o, 0);
    long m = osim_mc_result_metric_index(r, "incident_cost_money");
    long op = osim_mc_result_metric_index(r, "operator.lost_revenue_money");
    long c0 = osim_mc_result_metric_index(r, "compensation.credit.total_money");
    long c1 = osim_mc_result_metric_index(r, "compensation.brackets.total_money");
    const osim_mc_economics *e0 = &r->economics[0], *e1 = &r->economics[1];
    double m0 = osim_mc_result_stats(r, 0, (size_t)m)->mean;
    double m1 = osim_mc_result_stats(r, 1, (size_t)m)->mean;
    size_t M = r->metrics_count, i;

    (void)state;
    /* Cost of one incident = lost revenue + every counted policy (all by default). */
    for (i = 0; i < 80 * 2; i++)
        assert_true(fabs(r->values[i * M + m] - r->values[i * M + op] - r->values[i * M + c0] -
                         r->values[i * M + c1]) <= 1e-6 * (1.0 + r->values[i * M + m]));
    assert_int_equal(r->baseline_index, 0);
    assert_true(e0->expected_annual_loss_krw == 0.01 * m0);
    assert_true(e1->expected_annual_loss_krw == 0.01 * m1);
    assert_true(e0->net_annual_benefit_krw == 0.0);
    assert_true(fabs(e1->net_annual_benefit_krw - (0.01 * (m0 - m1) - 5e8)) <= 1e-3);
    assert_true(e1->net_ci95_low_krw <= e1->net_annual_benefit_krw);
    assert_true(e1->net_ci95_high_krw >= e1->net_annual_benefit_krw);
    /* The standby design loses less per incident and costs 500M won a year more:
     * it pays when p > 500M / (m0 - m1), if that is below 1. */
    assert_true(m1 < m0);
    assert_int_equal(e0->pays, OSIM_PAYS_NA);
    if (5e8 / (m0 - m1) < 1.0) {
        assert_int_equal(e1->pays, OSIM_PAYS_ABOVE);
        assert_true(fabs(e1->break_even_probability - 5e8 / (m0 - m1)) <=
                    1e-12 * e1->break_even_probability);
    } else {
        assert_int_equal(e1->pays, OSIM_PAYS_NEVER);
    }
    osim_mc_result_free(r);
}

/* A hand-made result: topologies "base" and "alt", 3 replications whose
 * incident cost is mb (base) and mt (alt), annual costs cb and ct. */
static const osim_mc_economics *economics_of(osim_mc_result **keep, double mb, double mt,
                                             int64_t cb, int64_t ct, double p)
{
    osim_mc_result *r = calloc(1, sizeof(*r));
    long m;
    size_t i, M;
    osim_diag d;

    assert_non_null(r);
    r->topologies = calloc(2, sizeof(char *));
    r->topologies[0] = strdup("base");
    r->topologies[1] = strdup("alt");
    r->topologies_count = 2;
    r->annual_cost_krw = calloc(2, sizeof(int64_t));
    r->annual_cost_krw[0] = cb;
    r->annual_cost_krw[1] = ct;
    r->baseline = strdup("base");
    r->incident_probability = p;
    r->to = 3;
    assert_int_equal(osim_mc_result_catalogue(r), 0);
    assert_int_equal(osim_mc_result_reserve(r, 3), 0);
    M = r->metrics_count;
    memset(r->values, 0, 3 * 2 * M * sizeof(double));
    m = osim_mc_result_metric_index(r, "incident_cost_money");
    assert_true(m >= 0);
    for (i = 0; i < 3; i++) {
        r->values[(i * 2 + 0) * M + (size_t)m] = mb;
        r->values[(i * 2 + 1) * M + (size_t)m] = mt;
    }
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_result_summarise(r, &d), 0);
    *keep = r;
    return &r->economics[1];
}

static void economics_cases(void **state)
{
    osim_mc_result *r;
    const osim_mc_economics *e;

    (void)state;
    /* Avoids 50 per incident for 10 a year more: pays when p > 0.2. */
    e = economics_of(&r, 100, 50, 0, 10, 0.5);
    assert_int_equal(e->pays, OSIM_PAYS_ABOVE);
    assert_true(fabs(e->break_even_probability - 0.2) < 1e-15);
    assert_true(fabs(e->net_annual_benefit_krw - (0.5 * 50 - 10)) < 1e-9);
    assert_int_equal(r->economics[0].pays, OSIM_PAYS_NA);
    osim_mc_result_free(r);
    /* Loses 50 more per incident but saves 20 a year: pays when p < 0.4. */
    e = economics_of(&r, 100, 150, 100, 80, 0.1);
    assert_int_equal(e->pays, OSIM_PAYS_BELOW);
    assert_true(fabs(e->break_even_probability - 0.4) < 1e-15);
    assert_true(e->net_annual_benefit_krw > 0.0);
    osim_mc_result_free(r);
    /* Better and cheaper: any p. Worse and dearer: never. */
    e = economics_of(&r, 100, 50, 10, 5, 0.1);
    assert_int_equal(e->pays, OSIM_PAYS_ALWAYS);
    osim_mc_result_free(r);
    e = economics_of(&r, 100, 150, 5, 10, 0.1);
    assert_int_equal(e->pays, OSIM_PAYS_NEVER);
    osim_mc_result_free(r);
    /* Break-even beyond 1 is no probability: never, or always. */
    e = economics_of(&r, 100, 50, 0, 100, 0.1);
    assert_int_equal(e->pays, OSIM_PAYS_NEVER);
    osim_mc_result_free(r);
    e = economics_of(&r, 100, 150, 100, 0, 0.1);
    assert_int_equal(e->pays, OSIM_PAYS_ALWAYS);
    osim_mc_result_free(r);
    /* A baseline that was not run: no net benefit at all. */
    e = economics_of(&r, 100, 50, 0, 10, 0.5);
    free(r->baseline);
    r->baseline = strdup("elsewhere");
    assert_int_equal(osim_mc_result_summarise(r, NULL), 0);
    e = &r->economics[1]; /* summarising again reallocates */
    assert_false(e->has_baseline);
    assert_int_equal(e->pays, OSIM_PAYS_NA);
    assert_int_equal(r->baseline_index, -1);
    osim_mc_result_free(r);
}

static void merge_parts(void **state)
{
    osim_mc_options ow = options(0, 90, 2, 0), oa = options(0, 40, 1, 0),
                    ob = options(40, 77, 2, 5), oc = options(77, 90, 1, 0);
    osim_mc_result *whole = run(&ow, 0), *a = run(&oa, 0), *b = run(&ob, 0), *c = run(&oc, 0);
    osim_mc_result *parts[3] = {c, a, b}, *merged = NULL;
    osim_mc_result *gap[2] = {a, c}, *overlap[2] = {a, whole};
    osim_diag d;

    (void)state;
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_result_merge(parts, 3, &merged, &d), 0);
    same_result(whole, merged);
    osim_mc_result_free(merged);
    merged = NULL;

    osim_diag_clear(&d);
    assert_int_equal(osim_mc_result_merge(gap, 2, &merged, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "--from 40 --to 77"));
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_result_merge(overlap, 2, &merged, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "overlap"));
    osim_mc_result_free(whole);
    osim_mc_result_free(a);
    osim_mc_result_free(b);
    osim_mc_result_free(c);
}

/* A run's rows are one block (rows.h) of the result's shape and range; a
 * part run with another incident probability has the same rows but
 * another document, so the merge refuses it (a note of the block's shape);
 * and the parts of a sweep cross the wire as the same block, bit for bit. */
static void rows_block(void **state)
{
    osim_mc_options oa = options(0, 20, 2, 3), ob = options(20, 30, 1, 0);
    osim_mc_result *a = run(&oa, 0), *b, *merged = NULL, *back = NULL;
    osim_mc_result *parts[2];
    void *buf = NULL;
    size_t len = 0;
    osim_diag d;

    (void)state;
    assert_non_null(a->rows);
    assert_true(a->rows->from == 0 && a->rows->to == 20 && !a->rows->interrupted);
    assert_true(a->values == a->rows->values);
    assert_int_equal(a->rows->shape.columns_count, a->metrics_count);
    assert_string_equal(a->rows->shape.columns[a->metrics_count - 1],
                        a->metrics[a->metrics_count - 1].name);

    W.sc.economics.incident_probability_per_year = 0.02;
    b = run(&ob, 0);
    W.sc.economics.incident_probability_per_year = 0.01;
    parts[0] = a;
    parts[1] = b;
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_result_merge(parts, 2, &merged, &d), OSIM_EINVAL);
    assert_null(merged);
    assert_non_null(strstr(d.msg, "economics settings"));
    osim_mc_result_free(b);

    assert_int_equal(osim_mc_result_pack(a, &buf, &len), 0);
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_result_unpack(buf, len, &back, &d), 0);
    /* Not summarised (osim_sweep_store merges and summarises): compare rows. */
    assert_true(back->from == 0 && back->to == 20 && back->values == back->rows->values);
    assert_memory_equal(a->values, back->values, 20 * row_len(a) * sizeof(double));
    assert_int_equal(osim_rows_shape_compare(&a->rows->shape, &back->rows->shape, NULL),
                     OSIM_ROWS_OK);
    osim_mc_result_free(back);
    free(buf);
    osim_mc_result_free(a);
}

/* Whether dir holds any file whose name contains ".tmp". */
static bool has_tmp(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    bool found = false;

    assert_non_null(dp);
    while ((e = readdir(dp)) != NULL)
        if (strstr(e->d_name, ".tmp") != NULL)
            found = true;
    closedir(dp);
    return found;
}

static void save_and_load(void **state)
{
    char tmpl[] = "/tmp/test_mc.XXXXXX", sub[64], path[128];
    osim_mc_options o = options(5, 35, 2, 0);
    osim_mc_result *r = run(&o, 0), *back = NULL;
    osim_diag d;
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(tmpl));
    snprintf(sub, sizeof(sub), "%s/a/b", tmpl);
    osim_diag_clear(&d);
    assert_int_equal(osim_report_write_dir(r, sub, &d), 0);
    assert_false(has_tmp(sub));
    assert_int_equal(osim_report_load_dir(sub, &back, &d), 0);
    same_result(r, back);
    osim_mc_result_free(back);
    back = NULL;

    /* A results.json edited by hand no longer matches its rows. */
    snprintf(path, sizeof(path), "%s/results.json", sub);
    f = fopen(path, "a");
    assert_non_null(f);
    fputs(" ", f);
    fclose(f);
    osim_diag_clear(&d);
    assert_int_equal(osim_report_load_dir(sub, &back, &d), OSIM_ESCHEMA);
    assert_non_null(strstr(d.msg, "does not match"));

    snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
    assert_int_equal(system(path), 0);
    osim_mc_result_free(r);
}

typedef struct stopper {
    osim_mc *mc;
    int calls;
} stopper;

static void stop_soon(void *ud, uint64_t done, uint64_t total)
{
    stopper *s = ud;

    (void)total;
    s->calls++;
    if (done > 0)
        osim_mc_stop(s->mc);
}

static void interrupt(void **state)
{
    osim_mc_options o = options(0, 200000, 2, 4), ow;
    stopper s = {NULL, 0};
    osim_mc_result *r, *whole;
    osim_diag d;
    size_t n;

    (void)state;
    o.progress = stop_soon;
    o.progress_ud = &s;
    o.progress_ms = 1;
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_new(&W.sc, &o, &s.mc, &d), 0);
    assert_int_equal(osim_mc_run(s.mc, &d), OSIM_ESTOPPED);
    r = osim_mc_take_result(s.mc);
    osim_mc_free(s.mc);
    assert_true(s.calls > 0);
    assert_true(r->interrupted);
    n = (size_t)(r->to - r->from);
    assert_true(n < 200000);
    /* The completed prefix is exactly the start of an uninterrupted run. */
    ow = options(0, n > 0 ? n : 1, 1, 0);
    whole = run(&ow, 0);
    if (n > 0)
        assert_memory_equal(whole->values, r->values, n * row_len(r) * sizeof(double));
    osim_mc_result_free(whole);
    osim_mc_result_free(r);
}

static void precision(void **state)
{
    osim_mc_options o1 = options(0, 20, 1, 0), o2;
    osim_mc_result *a, *b;

    (void)state;
    o1.precision_metric = "incident_cost_money";
    o1.precision_rel = 0.05;
    o1.max_to = 5000;
    o2 = o1;
    o2.threads = 2;
    o2.chunk = 3;
    a = run(&o1, 0);
    b = run(&o2, 0);
    assert_true(a->precision_met);
    assert_true(a->precision_achieved <= 0.05);
    assert_true(a->to > 20);
    same_result(a, b);
    osim_mc_result_free(a);
    osim_mc_result_free(b);
}

/* ------------------------------------------------------------ declared shape */

/* A test model: declares one class, "declared"; its evaluation writes what
 * fake_mode says and is counted (workers run it on the pool's threads). */
enum { FAKE_AS_DECLARED, FAKE_RENAMED, FAKE_EXTRA, FAKE_MISSING };
static int fake_mode;
static atomic_long fake_evals;

static int fake_declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    (void)params;
    (void)sc;
    return osim__comp_declare_class(out, "declared");
}

static int fake_eval(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    int rc = 0;

    (void)params;
    (void)im;
    (void)rng;
    atomic_fetch_add(&fake_evals, 1);
    switch (fake_mode) {
    case FAKE_AS_DECLARED: rc = osim__comp_class(out, "declared", 1.0, 10.0); break;
    case FAKE_RENAMED: rc = osim__comp_class(out, "undeclared", 1.0, 10.0); break;
    case FAKE_EXTRA:
        if ((rc = osim__comp_class(out, "declared", 1.0, 10.0)) == 0)
            rc = osim__comp_class(out, "extra", 0.0, 0.0);
        break;
    default: break;
    }
    out->total_krw = out->nominal_krw = 10.0;
    return rc;
}

static const osim_comp_model fake_model = {
    .name = "fake",
    .doc = "test only",
    .declare = fake_declare,
    .eval = fake_eval,
};

static void catalogue_without_replication(void **state)
{
    const osim_comp_model *saved = W.pol[1].model;
    osim_mc_options a = options(0, 5, 1, 0), b = options(12345, 12350, 2, 1);
    osim_mc *ma = NULL, *mb = NULL;
    const osim_metric *x, *y;
    osim_diag d;
    size_t nx, ny, i;

    (void)state;
    /* The real models: the same names from 0 and from 12345. */
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_new(&W.sc, &a, &ma, &d), 0);
    assert_int_equal(osim_mc_new(&W.sc, &b, &mb, &d), 0);
    x = osim_mc_metrics(ma, &nx);
    y = osim_mc_metrics(mb, &ny);
    assert_int_equal(nx, ny);
    for (i = 0; i < nx; i++)
        assert_string_equal(x[i].name, y[i].name);
    osim_mc_free(ma);
    osim_mc_free(mb);

    /* Preparing a run evaluates nothing: its catalogue holds the declared class. */
    W.pol[1].model = &fake_model;
    atomic_store(&fake_evals, 0);
    assert_int_equal(osim_mc_new(&W.sc, &b, &mb, &d), 0);
    assert_int_equal(atomic_load(&fake_evals), 0);
    x = osim_mc_metrics(mb, &nx);
    for (i = 0; i < nx; i++)
        if (strcmp(x[i].name, "compensation.brackets.classes.declared.claimants") == 0)
            break;
    assert_true(i < nx);
    osim_mc_free(mb);
    W.pol[1].model = saved;
}

static void undeclared_classes_fail(void **state)
{
    static const int bad[] = {FAKE_RENAMED, FAKE_EXTRA, FAKE_MISSING};
    const osim_comp_model *saved = W.pol[1].model;
    osim_mc_options o = options(3, 9, 2, 1);
    osim_mc_result *r;
    osim_mc *mc = NULL;
    osim_diag d;
    size_t i;

    (void)state;
    W.pol[1].model = &fake_model;
    /* The fake as declared runs: the failures below are the mismatch alone. */
    fake_mode = FAKE_AS_DECLARED;
    r = run(&o, 0);
    assert_int_equal(r->policies[1].classes_count, 1);
    assert_string_equal(r->policies[1].classes[0], "declared");
    osim_mc_result_free(r);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fake_mode = bad[i];
        osim_diag_clear(&d);
        assert_int_equal(osim_mc_new(&W.sc, &o, &mc, &d), 0);
        assert_int_equal(osim_mc_run(mc, &d), OSIM_EINTERNAL);
        assert_non_null(strstr(d.msg, "policy brackets"));
        assert_non_null(strstr(d.msg, "declared"));
        /* The lowest failing replication is reported, whichever worker ran it. */
        assert_non_null(strstr(d.msg, "replication 3 "));
        osim_mc_free(mc);
        mc = NULL;
    }
    fake_mode = FAKE_AS_DECLARED;
    W.pol[1].model = saved;
}

static void bad_options(void **state)
{
    osim_mc_options o = options(10, 10, 1, 0);
    osim_mc *mc = NULL;
    osim_diag d;
    size_t bad = 9;

    (void)state;
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_new(&W.sc, &o, &mc, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "empty replication range"));
    o = options(0, 10, 0, 0);
    assert_int_equal(osim_mc_new(&W.sc, &o, &mc, &d), OSIM_EINVAL);
    o = options(0, 10, 1, 0);
    o.topologies = &bad;
    o.topologies_count = 1;
    assert_int_equal(osim_mc_new(&W.sc, &o, &mc, &d), OSIM_EINVAL);
    o = options(0, 10, 1, 0);
    o.precision_metric = "no_such_metric";
    o.precision_rel = 0.1;
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_new(&W.sc, &o, &mc, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "no_such_metric"));
    assert_null(mc);
}

/* ------------------------------------------------------------ executors */

/* A fake executor: every unit, last first, on slot u % slots, delivered
 * at once; counts what it ran so that the test knows it was used. */
typedef struct reverse_state {
    size_t units_run, jobs;
} reverse_state;

static int reverse_run(const osim__exec *ex, const osim__exec_job *job, osim_diag *diag)
{
    reverse_state *st = ex->state;
    size_t u;
    int rc;

    st->jobs++;
    for (u = job->count; u-- > 0;) {
        unsigned slot = (unsigned)(u % job->slots);
        if ((rc = job->run(job->ud, slot, u, NULL, diag)) != 0)
            return rc;
        if (job->deliver != NULL && (rc = job->deliver(job->ud, slot, u, diag)) != 0)
            return rc;
        st->units_run++;
    }
    return 0;
}

static int always_collect(const osim__exec *ex)
{
    (void)ex;
    return 1;
}

static osim_mc_result *run_on(const osim_mc_options *o, const osim__exec *ex)
{
    osim_mc *mc = NULL;
    osim_mc_result *r;
    osim_diag d;

    osim_diag_clear(&d);
    assert_int_equal(osim_mc_new(&W.sc, o, &mc, &d), 0);
    osim__mc_set_exec(mc, ex);
    assert_int_equal(osim_mc_run(mc, &d), 0);
    r = osim_mc_take_result(mc);
    assert_non_null(r);
    osim_mc_free(mc);
    return r;
}

static void reverse_executor(void **state)
{
    reverse_state st = {0, 0};
    osim__exec rev = {"reverse", reverse_run, always_collect, &st};
    osim_mc_options o = options(0, 100, 3, 7), op = options(0, 20, 2, 3);
    osim_mc_result *a, *b;

    (void)state;
    a = run(&o, 0);
    b = run_on(&o, &rev);
    assert_int_equal(st.units_run, 15); /* ceil(100 / 7) chunks, all by the fake */
    same_result(a, b);
    osim_mc_result_free(a);
    osim_mc_result_free(b);
    /* Run-length control: several jobs (batches), still the same bytes. */
    op.precision_metric = "incident_cost_money";
    op.precision_rel = 0.05;
    op.max_to = 5000;
    st.jobs = 0;
    a = run(&op, 0);
    b = run_on(&op, &rev);
    assert_true(st.jobs > 1);
    same_result(a, b);
    osim_mc_result_free(a);
    osim_mc_result_free(b);
}

/* A synthetic job for the pool: units >= fail_from fail, naming
 * themselves; each slot checks it is alone; the tick may stop the job. */
typedef struct probe_job {
    atomic_int in_slot[8];
    atomic_int running, max_running, ran;
    size_t fail_from;
    atomic_int stop;
    int ticks;
    int stop_after_ticks;
} probe_job;

static int probe_run(void *ud, unsigned slot, size_t u, const osim__exec_poll *poll,
                     osim_diag *diag)
{
    probe_job *p = ud;
    int now, max, k;
    volatile double x = 0.0;

    (void)poll;
    if (atomic_fetch_add(&p->in_slot[slot], 1) != 0)
        return osim_diag_set(diag, OSIM_EINTERNAL, NULL, 0, 0, "slot %u shared", slot);
    now = atomic_fetch_add(&p->running, 1) + 1;
    max = atomic_load(&p->max_running);
    while (now > max && !atomic_compare_exchange_weak(&p->max_running, &max, now))
        ;
    for (k = 0; k < 20000; k++) /* a little work, so that units overlap */
        x += k * 0.5;
    atomic_fetch_sub(&p->running, 1);
    atomic_fetch_sub(&p->in_slot[slot], 1);
    atomic_fetch_add(&p->ran, 1);
    if (u >= p->fail_from)
        return osim_diag_set(diag, OSIM_ERANGE, NULL, 0, 0, "unit %zu failed", u);
    return 0;
}

static void probe_tick(void *ud)
{
    probe_job *p = ud;

    if (++p->ticks >= p->stop_after_ticks && p->stop_after_ticks > 0)
        atomic_store(&p->stop, 1);
}

static osim__exec_job probe_init(probe_job *p, size_t count, unsigned slots)
{
    osim__exec_job job;

    memset(p, 0, sizeof(*p));
    p->fail_from = (size_t)-1;
    memset(&job, 0, sizeof(job));
    job.count = count;
    job.slots = slots;
    job.run = probe_run;
    job.stop = &p->stop;
    job.ud = p;
    return job;
}

static void pool_executor(void **state)
{
    const osim__exec *pool = osim__exec_pool();
    unsigned granted = 0, slots;
    probe_job p;
    osim__exec_job job;
    osim_diag d;

    (void)state;
    assert_int_equal(osim__exec_pool_reserve(2, &granted, NULL), 0);
    assert_true(granted >= 2);
    for (slots = 1; slots <= 3; slots++) {
        job = probe_init(&p, 200, slots);
        osim_diag_clear(&d);
        assert_int_equal(pool->run(pool, &job, &d), 0);
        assert_int_equal(atomic_load(&p.ran), 200);
        assert_true(atomic_load(&p.max_running) <= (int)slots);
        /* The lowest failed unit is reported, whichever failed first. */
        job = probe_init(&p, 200, slots);
        p.fail_from = 4;
        osim_diag_clear(&d);
        assert_int_equal(pool->run(pool, &job, &d), OSIM_ERANGE);
        assert_string_equal(d.msg, "unit 4 failed");
        assert_true(atomic_load(&p.ran) < 200);
    }
    /* Stop from the tick: nothing new starts, what runs finishes. */
    job = probe_init(&p, 1000000, 2);
    job.tick = probe_tick;
    job.tick_ms = 1;
    p.stop_after_ticks = 3;
    osim_diag_clear(&d);
    assert_int_equal(pool->run(pool, &job, &d), 0);
    assert_true(p.ticks >= 3);
    assert_true(atomic_load(&p.ran) < 1000000);
}

/* ------------------------------------------------------------ rows on disk */

/* replications.csv of r as text (owned by the caller). */
static char *rows_text(const osim_mc_result *r)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    osim_diag d;

    assert_non_null(f);
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_result_write_rows(r, f, &d), 0);
    fclose(f);
    return buf;
}

/* The same document and rows, wherever each result keeps its rows. */
static void same_text(const osim_mc_result *a, const osim_mc_result *b)
{
    char *x = doc(a), *y = doc(b);

    assert_string_equal(x, y);
    free(x);
    free(y);
    x = rows_text(a);
    y = rows_text(b);
    assert_string_equal(x, y);
    free(x);
    free(y);
}

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(dp);
    while ((e = readdir(dp)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(dp);
    return n;
}

/*
 * Rows on disk (rows_memory_bytes below the run's rows) give the bits of
 * rows in memory: 5,000 replications take the passes over the file (a
 * summary holds 4,096 values at the smallest budget), for 1 and 3 threads;
 * the file never shows in its folder; an interrupted run on disk keeps the
 * prefix of the whole run; a result on disk is neither merged nor packed;
 * a folder where no file can be made fails the run at osim_mc_new.
 */
static void rows_on_disk(void **state)
{
    char tmpl[] = "/tmp/test_mc_spill.XXXXXX", cmd[96];
    osim_mc_options o = options(0, 5000, 2, 7), od1, od3, bad;
    osim_mc_result *mem, *d1, *d3, *m = NULL;
    osim_mc *mc = NULL;
    osim_diag d;
    void *buf = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(mkdtemp(tmpl));
    mem = run(&o, 0);
    assert_null(mem->spill);
    od1 = options(0, 5000, 1, 0);
    od1.rows_memory_bytes = 1;
    od1.spill_dir = tmpl;
    od3 = options(0, 5000, 3, 5);
    od3.rows_memory_bytes = 5000; /* below 5,000 rows, too */
    od3.spill_dir = tmpl;
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_new(&W.sc, &od1, &mc, &d), 0);
    assert_true(osim_mc_spills(mc));
    assert_int_equal(entries(tmpl), 0); /* unlinked at once */
    assert_int_equal(osim_mc_run(mc, &d), 0);
    d1 = osim_mc_take_result(mc);
    osim_mc_free(mc);
    d3 = run(&od3, 0);
    assert_non_null(d1->spill);
    assert_null(d1->values);
    same_text(mem, d1);
    same_text(mem, d3);
    /* Nothing is merged or packed from disk. */
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_result_merge(&d1, 1, &m, &d), OSIM_EINVAL);
    assert_non_null(strstr(d.msg, "on disk"));
    assert_int_equal(osim_mc_result_pack(d1, &buf, &len), OSIM_EINVAL);
    osim_mc_result_free(d1);
    osim_mc_result_free(d3);
    assert_int_equal(entries(tmpl), 0);

    /* A folder that does not exist: the run fails before it starts. */
    bad = options(0, 100, 1, 0);
    bad.rows_memory_bytes = 1;
    snprintf(cmd, sizeof(cmd), "%s/missing", tmpl);
    bad.spill_dir = cmd;
    osim_diag_clear(&d);
    mc = NULL;
    assert_int_equal(osim_mc_new(&W.sc, &bad, &mc, &d), OSIM_EIO);
    assert_null(mc);
    assert_non_null(strstr(d.file, "missing"));
    assert_int_equal(rmdir(tmpl), 0);
    osim_mc_result_free(mem);
}

static void interrupt_on_disk(void **state)
{
    osim_mc_options o = options(0, 200000, 2, 4), ow;
    stopper s = {NULL, 0};
    osim_mc_result *r, *whole;
    osim_diag d;
    size_t n;

    (void)state;
    o.progress = stop_soon;
    o.progress_ud = &s;
    o.progress_ms = 1;
    o.rows_memory_bytes = 1;
    osim_diag_clear(&d);
    assert_int_equal(osim_mc_new(&W.sc, &o, &s.mc, &d), 0);
    assert_int_equal(osim_mc_run(s.mc, &d), OSIM_ESTOPPED);
    r = osim_mc_take_result(s.mc);
    osim_mc_free(s.mc);
    assert_true(r->interrupted);
    n = (size_t)(r->to - r->from);
    assert_true(n > 0 && n < 200000);
    ow = options(0, n, 1, 0);
    whole = run(&ow, 0);
    whole->interrupted = true; /* the one difference the documents may have */
    assert_int_equal(osim_mc_result_summarise(whole, &d), 0);
    same_text(whole, r);
    osim_mc_result_free(whole);
    osim_mc_result_free(r);
}

/*
 * A fake executor of processes: units last first, every odd one as if a
 * second rank ran it (run, then its output packed and received, as
 * exec_mpi.c moves it), the even ones delivered here; rows and series
 * counts must come out as one process makes them.
 */
static int procs_run(const osim__exec *ex, const osim__exec_job *job, osim_diag *diag)
{
    reverse_state *st = ex->state;
    size_t u;
    int rc;

    st->jobs++;
    for (u = job->count; u-- > 0;) {
        void *buf = NULL;
        size_t len = 0;
        if ((rc = job->run(job->ud, 0, u, NULL, diag)) != 0)
            return rc;
        if (u % 2 == 1) {
            assert_int_equal(job->pack(job->ud, 0, u, &buf, &len), 0);
            rc = job->receive(job->ud, u, buf, len, diag);
            free(buf);
            st->units_run++;
        } else {
            rc = job->deliver(job->ud, 0, u, diag);
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

static void procs_blocks(void **state)
{
    reverse_state st = {0, 0};
    osim__exec ex = {"procs", procs_run, always_collect, &st};
    int disk;

    (void)state;
    for (disk = 0; disk < 2; disk++) {
        osim_mc_options o = options(0, 700, 2, 9);
        osim_series *s1 = NULL, *s2 = NULL;
        osim_mc_result *one, *spread;
        osim_mc *mc = NULL;
        void *b1 = NULL, *b2 = NULL;
        size_t l1 = 0, l2 = 0;
        osim_diag d;

        assert_int_equal(osim_series_new(&W.sc, o.seed, NULL, 0, &s1), 0);
        assert_int_equal(osim_series_new(&W.sc, o.seed, NULL, 0, &s2), 0);
        o.series = s1;
        one = run(&o, 0);
        o.series = s2;
        o.rows_memory_bytes = disk ? 1 : 0;
        osim_diag_clear(&d);
        assert_int_equal(osim_mc_new(&W.sc, &o, &mc, &d), 0);
        osim__mc_set_procs(mc, &ex);
        assert_int_equal(osim_mc_run(mc, &d), 0);
        spread = osim_mc_take_result(mc);
        osim_mc_free(mc);
        same_text(one, spread);
        assert_int_equal(osim_series_pack(s1, &b1, &l1), 0);
        assert_int_equal(osim_series_pack(s2, &b2, &l2), 0);
        assert_int_equal(l1, l2);
        assert_memory_equal(b1, b2, l1);
        free(b1);
        free(b2);
        osim_series_free(s1);
        osim_series_free(s2);
        osim_mc_result_free(one);
        osim_mc_result_free(spread);
    }
    /* Blocks went through the packed path. */
    assert_true(st.units_run > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(determinism),
        cmocka_unit_test(threads_and_chunks),
        cmocka_unit_test(common_random_numbers),
        cmocka_unit_test(catalogue_and_classes),
        cmocka_unit_test(economics_formulas),
        cmocka_unit_test(economics_cases),
        cmocka_unit_test(merge_parts),
        cmocka_unit_test(rows_block),
        cmocka_unit_test(save_and_load),
        cmocka_unit_test(interrupt),
        cmocka_unit_test(precision),
        cmocka_unit_test(catalogue_without_replication),
        cmocka_unit_test(undeclared_classes_fail),
        cmocka_unit_test(bad_options),
        cmocka_unit_test(reverse_executor),
        cmocka_unit_test(pool_executor),
        cmocka_unit_test(rows_on_disk),
        cmocka_unit_test(interrupt_on_disk),
        cmocka_unit_test(procs_blocks),
    };

    /* The pool is sized once per process: room for the 3-thread runs. */
    if (osim__exec_pool_reserve(4, NULL, NULL) != 0)
        return 1;
    osim_global_init();
    world_init(&W);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
