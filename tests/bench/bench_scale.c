/*
 * bench_scale.c -- the cost of a topology-replication against the number of
 * services: it should grow linearly with the model, not faster.
 *
 * A scenario with N services is generated, deterministically from a seed,
 * by gen_scenario below: two sites, a fire at one of them (UPS failure,
 * building cut, suppression, staged restoration, destroyed racks), and
 * services in three tiers, as a company's services are built: 4 core
 * services (auth, key store, ops tools, ...), N/8 platform services that
 * need one core service and now and then a neighbouring platform service,
 * and products that need one or two platform services and, half of them,
 * a core one: a random dependency DAG whose in-degree is at most 3 and in
 * which a failure reaches a bounded number of services, except for the few
 * core ones whose failure reaches everything. Products have users (shares
 * 1% to 30%), some have subscribers, data and revenue; 1 to 4 shards each.
 * Three designs: everything in the burning site; every service with a
 * standby in the other (core and platform automatic, products manual with
 * limited staff, needing the ops tools and their platform services); and
 * core and platform active-active with half the products failing over
 * automatically. Four business segments and one SLA-credit policy.
 *
 * For 100, 200, 400 and 800 services the whole run is timed (osim_mc_run
 * with the series of the figures, as `outagesim run` does, one thread;
 * loading and set-up not timed) in CPU seconds of the process, RUNS rounds
 * with the sizes interleaved and starting from a different size each
 * round, so that a busy spell on the shared machine hits every size alike;
 * the fastest round per size is reported.
 *
 * Output, on stdout:
 *   scale services=<N> topologies=3 replications=<R> seconds_per_topology_replication=<s>
 * one line per size, then
 *   scale-ratio services=800/100 ratio=<r> exponent=<e> target=10 within_target=<yes|no>
 * where exponent is the slope of log(time) against log(N) from 100 to 800
 * (1 is linear). A benchmark on a shared machine reports rather than fails.
 *
 * Usage: bench_scale                     the benchmark
 *        bench_scale --write N FILE      write the scenario of N services
 *        bench_scale --once N            one run of N services, its seconds per
 *                                        topology-replication (for callgrind)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outagesim/compensation.h"
#include "outagesim/error.h"
#include "outagesim/mc.h"
#include "outagesim/result.h"
#include "outagesim/scenario.h"
#include "outagesim/series.h"

#define SIZES 4
#define RUNS 5
#define SEED 17
/* Replications per run: the same for every size, enough for 100 services
 * to take a few milliseconds per round. */
#define REPLICATIONS 48
#define CORE 4

/* splitmix64: a generator of its own, so the scenarios never change. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
    return (double)(next_u64(s) >> 11) * 0x1.0p-53;
}

static unsigned below(uint64_t *s, unsigned n)
{
    return (unsigned)(uniform(s) * n);
}

/* The tiers: 0 .. CORE-1 core, then `plat` platform services, then products. */
typedef struct shape {
    unsigned n, plat;
    unsigned *deps; /* n * 3, UINT32_MAX for none */
} shape;

static void name_of(char *buf, size_t n, const shape *sh, unsigned i)
{
    if (i < CORE)
        snprintf(buf, n, "core%u", i);
    else if (i < CORE + sh->plat)
        snprintf(buf, n, "plat%04u", i - CORE);
    else
        snprintf(buf, n, "prod%04u", i - CORE - sh->plat);
}

static void add_dep(unsigned *d, unsigned x)
{
    int k;

    for (k = 0; k < 3; k++) {
        if (d[k] == x)
            return;
        if (d[k] == UINT32_MAX) {
            d[k] = x;
            return;
        }
    }
}

/* The dependency DAG: every service needs only services before it. */
static void make_deps(shape *sh, uint64_t *rng)
{
    unsigned i, first_prod = CORE + sh->plat;

    for (i = 0; i < sh->n * 3; i++)
        sh->deps[i] = UINT32_MAX;
    add_dep(&sh->deps[2 * 3], 0); /* the ops tools need auth */
    for (i = CORE; i < first_prod; i++) {
        unsigned *d = &sh->deps[i * 3];
        add_dep(d, below(rng, CORE));
        if (i > CORE && uniform(rng) < 0.3)
            add_dep(d, i - 1 - below(rng, i - CORE < 4 ? i - CORE : 4));
    }
    for (; i < sh->n; i++) {
        unsigned *d = &sh->deps[i * 3];
        add_dep(d, CORE + below(rng, sh->plat));
        if (uniform(rng) < 0.5)
            add_dep(d, CORE + below(rng, sh->plat));
        if (uniform(rng) < 0.5)
            add_dep(d, below(rng, CORE));
    }
}

static void needs_list(FILE *f, const shape *sh, unsigned i, bool with_ops)
{
    const unsigned *d = &sh->deps[i * 3];
    char name[32];
    int k, first = 1;

    fputs("[", f);
    if (with_ops) {
        fputs("core2", f);
        first = 0;
    }
    for (k = 0; k < 3 && d[k] != UINT32_MAX; k++) {
        if (with_ops && d[k] == 2)
            continue;
        name_of(name, sizeof(name), sh, d[k]);
        fprintf(f, "%s%s", first ? "" : ", ", name);
        first = 0;
    }
    fputs("]", f);
}

static const char *const head =
    "scenario:\n"
    "  name: scale-%u\n"
    "  description: generated by tests/bench/bench_scale.c (%u services, seed %u)\n"
    "  timezone: KST\n"
    "  utc_offset: \"+09:00\"\n"
    "  start: \"2022-10-15 15:19\"\n"
    "  horizon: 7d\n"
    "sites:\n"
    "  - {name: a, servers: 4000}\n"
    "  - {name: b, servers: 4000}\n"
    "incident:\n"
    "  - site: a\n"
    "    detection: 15m\n"
    "    ups_ride_through: {dist: triangular, min: 5m, mode: 15m, max: 30m}\n"
    "    partial_loss: 30%%\n"
    "    power_cut: {dist: normal, mean: 1.5h, sd: 15m}\n"
    "    suppression: {dist: lognormal, median: 6h, p95: 10h}\n"
    "    restoration:\n"
    "      profile:\n"
    "        - {after: 0h, fraction: 0}\n"
    "        - {after: 4h, fraction: 0.5}\n"
    "        - {after: 1d, fraction: 0.9}\n"
    "        - {after: 3d, fraction: 1}\n"
    "      scale: {dist: lognormal, median: 1, p95: 1.3}\n"
    "    destroyed:\n"
    "      fraction: {dist: uniform, min: 1%%, max: 3%%}\n"
    "      replace: {dist: lognormal, median: 3d, p95: 5d}\n"
    "services:\n";

/* Write the scenario of n >= 8 services made from seed to f. */
static int gen_scenario(FILE *f, unsigned n, uint64_t seed)
{
    uint64_t rng = seed;
    shape sh;
    char name[32];
    unsigned i, k, prods;

    sh.n = n;
    sh.plat = n / 8 > 4 ? n / 8 : 4;
    sh.deps = malloc((size_t)n * 3 * sizeof(*sh.deps));
    if (sh.deps == NULL || n < 8)
        return free(sh.deps), -1;
    prods = n - CORE - sh.plat;
    make_deps(&sh, &rng);
    fprintf(f, head, n, n, (unsigned)seed);
    for (i = 0; i < n; i++) {
        bool prod = i >= CORE + sh.plat;
        double med_m = 20.0 + 100.0 * uniform(&rng);
        name_of(name, sizeof(name), &sh, i);
        fprintf(f, "  - {name: %s, needs: ", name);
        needs_list(f, &sh, i, false);
        fprintf(f, ", shards: %u, restart: {dist: lognormal, median: %.0fm, p95: %.0fm}",
                i < CORE ? 2 : 1 + below(&rng, 4), med_m, 3.0 * med_m);
        fprintf(f, ", rebuild: {dist: lognormal, median: %.0fh, p95: %.0fh}",
                6.0 + 18.0 * uniform(&rng), 48.0 + 48.0 * uniform(&rng));
        if (prod) {
            fprintf(f, ", user_share: %.3f, data: %.0f, data_change: %.0f, revenue_per_h: %.0fk",
                    0.01 + 0.29 * uniform(&rng), 1000.0 * (1 + below(&rng, 100)),
                    (double)(1 + below(&rng, 50)), 100.0 * (1 + below(&rng, 100)));
            if (uniform(&rng) < 0.1)
                fprintf(f, ", paid: true, subscribers: %uk, monthly_fee: 3_900",
                        1 + below(&rng, 200));
        }
        fputs("}\n", f);
    }
    fputs("topologies:\n"
          "  - name: single-site\n"
          "    description: everything in the burning site\n"
          "    services:\n",
          f);
    for (i = 0; i < n; i++) {
        name_of(name, sizeof(name), &sh, i);
        fprintf(f, "      - {name: %s, active: [a]}\n", name);
    }
    fprintf(f,
            "  - name: standby\n"
            "    description: every service has a standby in b\n"
            "    staff: %u\n"
            "    annual_cost: 20G\n"
            "    services:\n",
            2 + n / 50);
    for (i = 0; i < n; i++) {
        name_of(name, sizeof(name), &sh, i);
        fprintf(f, "      - {name: %s, active: [a], standby: [b], ", name);
        if (i < CORE + sh.plat) {
            fputs("replication: sync, failover: automatic, detect: 5m, failover_time: 15m", f);
            if (i >= CORE) {
                fputs(", needs: ", f);
                needs_list(f, &sh, i, false);
            }
        } else {
            fprintf(f,
                    "replication: async, lag: {dist: uniform, min: 1s, max: 30s}, "
                    "failover: manual, failover_time: {dist: lognormal, median: %.0fm, p95: 3h}, "
                    "needs_min: 0.9, needs: ",
                    20.0 + 60.0 * uniform(&rng));
            needs_list(f, &sh, i, true);
        }
        fputs("}\n", f);
    }
    fputs("  - name: active-active\n"
          "    description: core and platform in both sites, half the products fail over\n"
          "    annual_cost: 40G\n"
          "    services:\n",
          f);
    for (i = 0, k = 0; i < n; i++) {
        name_of(name, sizeof(name), &sh, i);
        if (i < CORE + sh.plat)
            fprintf(f, "      - {name: %s, active: [a, b], replication: sync, headroom: %s}\n",
                    name, i < CORE ? "1.0" : "0.5");
        else if (k++ % 2 == 0)
            fprintf(f,
                    "      - {name: %s, active: [a], standby: [b], replication: sync, "
                    "failover: automatic, detect: 10m, failover_time: 30m}\n",
                    name);
        else
            fprintf(f, "      - {name: %s, active: [a]}\n", name);
    }
    fputs("population:\n"
          "  users: 40M\n"
          "  hourly: [0.10, 0.06, 0.04, 0.03, 0.03, 0.05, 0.12, 0.25, 0.35, 0.40, 0.42, 0.44,\n"
          "           0.46, 0.45, 0.44, 0.44, 0.45, 0.47, 0.50, 0.52, 0.52, 0.48, 0.38, 0.22]\n"
          "  weekly: [1, 1, 1, 1, 1, 0.95, 0.92]\n"
          "businesses:\n",
          f);
    for (k = 0; k < 4; k++) {
        fprintf(f,
                "  - {name: seg%u, count: %uk, margin: 0.2, claim_rate: 1%%, "
                "substitution: 0.3, hourly_revenue: {dist: lognormal, median: 5k, p95: 30k}, "
                "needs: [",
                k, 10 * (k + 1));
        for (i = 0; i <= k % 3; i++) {
            name_of(name, sizeof(name), &sh, CORE + sh.plat + below(&rng, prods));
            fprintf(f, "%s%s", i ? ", " : "", name);
        }
        fputs("]}\n", f);
    }
    fputs("policies:\n"
          "  - name: sla\n"
          "    model: sla_credit\n"
          "    params:\n"
          "      tiers:\n"
          "        - {below: 99.9%, credit: 10%}\n"
          "        - {below: 99%, credit: 25%}\n"
          "      month: 720h\n"
          "      claim_rate: 0.5\n"
          "economics:\n"
          "  incident_probability: 0.002\n"
          "  baseline: single-site\n",
          f);
    free(sh.deps);
    return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------------ timing */

/* CPU seconds of the whole process (every thread): on a shared machine
 * less disturbed by other processes than the wall clock, and a run with
 * one chunk in flight keeps one thread busy. */
static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int load(unsigned n, osim_scenario **out)
{
    char *buf = NULL, msg[OSIM_DIAG_MSG_MAX + OSIM_DIAG_FILE_MAX + 64], name[32];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    osim_diag d;
    int rc;

    if (f == NULL)
        return -1;
    rc = gen_scenario(f, n, SEED);
    if (fclose(f) != 0 || rc != 0) {
        free(buf);
        fprintf(stderr, "bench_scale: cannot generate %u services\n", n);
        return -1;
    }
    snprintf(name, sizeof(name), "scale-%u.yaml", n);
    osim_diag_clear(&d);
    rc = osim_comp_scenario_load_buffer(name, buf, len, NULL, 0, out, &d);
    free(buf);
    if (rc != 0)
        fprintf(stderr, "bench_scale: %s\n", osim_diag_format(&d, msg, sizeof(msg)));
    return rc;
}

/* Seconds of one run of sc (REPLICATIONS, every topology, one thread, with
 * the series); < 0 on failure. */
static double time_run(const osim_scenario *sc)
{
    osim_mc_options o;
    osim_series *ser = NULL;
    osim_mc *mc = NULL;
    osim_diag d;
    double t0, t = -1.0;
    int rc;

    memset(&o, 0, sizeof(o));
    o.seed = 1;
    o.from = 0;
    o.to = REPLICATIONS;
    o.threads = 1;
    osim_diag_clear(&d);
    if ((rc = osim_series_new(sc, o.seed, NULL, 0, &ser)) != 0) {
        fprintf(stderr, "bench_scale: series: %s\n", osim_strerror(rc));
        return -1.0;
    }
    o.series = ser;
    if ((rc = osim_mc_new(sc, &o, &mc, &d)) != 0) {
        fprintf(stderr, "bench_scale: %s\n", d.msg[0] ? d.msg : osim_strerror(rc));
        goto done;
    }
    t0 = now_s();
    rc = osim_mc_run(mc, &d);
    t = now_s() - t0;
    if (rc != 0) {
        fprintf(stderr, "bench_scale: run: %s\n", d.msg[0] ? d.msg : osim_strerror(rc));
        t = -1.0;
    }
done:
    osim_mc_free(mc);
    osim_series_free(ser);
    return t;
}

int main(int argc, char **argv)
{
    static const unsigned sizes[SIZES] = {100, 200, 400, 800};
    osim_scenario *sc[SIZES] = {NULL};
    double best[SIZES], ratio, expo;
    int status = 1, r;
    size_t i, k;

    if (argc == 4 && strcmp(argv[1], "--write") == 0) {
        FILE *f = fopen(argv[3], "w");
        long n = strtol(argv[2], NULL, 10);
        if (f == NULL || n < 8 || n > 100000) {
            fprintf(stderr, "bench_scale: cannot write %s services to %s\n", argv[2], argv[3]);
            return 1;
        }
        r = gen_scenario(f, (unsigned)n, SEED);
        return fclose(f) != 0 || r != 0;
    }
    osim_global_init();
    if (argc == 3 && strcmp(argv[1], "--once") == 0) {
        long n = strtol(argv[2], NULL, 10);
        double t;
        if (n < 8 || n > 100000 || load((unsigned)n, &sc[0]) != 0)
            return 1;
        t = time_run(sc[0]);
        if (t >= 0)
            printf("scale services=%ld seconds_per_topology_replication=%.3g\n", n,
                   t / ((double)REPLICATIONS * (double)sc[0]->topologies_count));
        osim_scenario_free(sc[0]);
        return t < 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: bench_scale [--write N FILE | --once N]\n");
        return 2;
    }
    for (i = 0; i < SIZES; i++) {
        if (load(sizes[i], &sc[i]) != 0)
            goto done;
        best[i] = INFINITY;
    }
    for (r = 0; r < RUNS; r++)
        for (k = 0; k < SIZES; k++) {
            size_t j = (k + (size_t)r) % SIZES;
            double t = time_run(sc[j]);
            if (t < 0)
                goto done;
            if (t < best[j])
                best[j] = t;
        }
    for (i = 0; i < SIZES; i++) {
        best[i] /= (double)REPLICATIONS * (double)sc[i]->topologies_count;
        printf("scale services=%u topologies=%zu replications=%u "
               "seconds_per_topology_replication=%.3g\n",
               sizes[i], sc[i]->topologies_count, REPLICATIONS, best[i]);
    }
    ratio = best[SIZES - 1] / best[0];
    expo = log(ratio) / log((double)sizes[SIZES - 1] / sizes[0]);
    printf("scale-ratio services=%u/%u ratio=%.2f exponent=%.2f target=10 within_target=%s\n",
           sizes[SIZES - 1], sizes[0], ratio, expo, ratio <= 10.0 ? "yes" : "no");
    status = 0;
done:
    for (i = 0; i < SIZES; i++)
        osim_scenario_free(sc[i]);
    return status;
}
