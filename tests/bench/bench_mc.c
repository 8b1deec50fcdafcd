/*
 * bench_mc.c -- Monte Carlo throughput on the reference scenario.
 *
 * Times osim_mc_run (every replication under every topology, then the
 * statistics and economics) for 1 and 2 threads, for four times as many
 * replications (time should be linear in replications), and with the
 * population multiplied by 100 through a --set style override (the cost of
 * a replication must not depend on how many people there are: people are
 * never simulated one by one). Loading the scenario and creating the
 * workers are not timed. Each case runs three times; the median is shown.
 *
 * Output, one line per case, on stdout:
 *   mc-run scenario=<name> topologies=<k> replications=<n> threads=<t> seconds=<s>
 *       topology_replications_per_s=<x> [population_x=100]
 *
 * Usage: bench_mc [--scenario FILE] [--replications N]
 *   Defaults: scenarios/kakao-pangyo-2022.yaml, 2000 replications.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outagesim/compensation.h"
#include "outagesim/error.h"
#include "outagesim/mc.h"
#include "outagesim/scenario.h"

#define RUNS 3

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Median seconds of RUNS runs; < 0 on failure. */
static double time_run(const osim_scenario *sc, uint64_t n, unsigned threads)
{
    double t[RUNS];
    int k;

    for (k = 0; k < RUNS; k++) {
        osim_mc_options o;
        osim_mc *mc = NULL;
        osim_diag d;
        double t0;
        int rc;

        memset(&o, 0, sizeof(o));
        o.seed = 1;
        o.from = 0;
        o.to = n;
        o.threads = threads;
        osim_diag_clear(&d);
        if ((rc = osim_mc_new(sc, &o, &mc, &d)) != 0) {
            fprintf(stderr, "bench_mc: %s\n", d.msg[0] ? d.msg : osim_strerror(rc));
            return -1.0;
        }
        t0 = now_s();
        rc = osim_mc_run(mc, &d);
        t[k] = now_s() - t0;
        osim_mc_free(mc);
        if (rc != 0) {
            fprintf(stderr, "bench_mc: run: %s\n", d.msg[0] ? d.msg : osim_strerror(rc));
            return -1.0;
        }
    }
    qsort(t, RUNS, sizeof(t[0]), cmp_double);
    return t[RUNS / 2];
}

static int report(const osim_scenario *sc, uint64_t n, unsigned threads, const char *extra)
{
    double s = time_run(sc, n, threads);

    if (s < 0)
        return 1;
    printf("mc-run scenario=%s topologies=%zu replications=%llu threads=%u seconds=%.3f "
           "topology_replications_per_s=%.0f%s\n",
           sc->name, sc->topologies_count, (unsigned long long)n, threads, s,
           (double)n * (double)sc->topologies_count / s, extra);
    fflush(stdout);
    return 0;
}

static int load(const char *path, const osim_override *ov, size_t nov, osim_scenario **sc)
{
    osim_diag d;
    char buf[OSIM_DIAG_MSG_MAX + OSIM_DIAG_FILE_MAX + 64];
    int rc;

    osim_diag_clear(&d);
    rc = osim_comp_scenario_load(path, ov, nov, sc, &d);
    if (rc != 0)
        fprintf(stderr, "bench_mc: %s\n", osim_diag_format(&d, buf, sizeof(buf)));
    return rc;
}

int main(int argc, char **argv)
{
    const char *path = "scenarios/kakao-pangyo-2022.yaml";
    uint64_t n = 2000;
    osim_scenario *sc = NULL, *big = NULL;
    osim_override ov;
    char users[64];
    int i, fail = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strcmp(argv[i], "--replications") == 0 && i + 1 < argc) {
            n = strtoull(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: bench_mc [--scenario FILE] [--replications N]\n");
            return 2;
        }
    }
    if (n == 0)
        n = 1;
    /* The first run sizes the thread pool (to the cores at least); each run
     * limits itself to `threads` chunks in flight. */
    osim_global_init();
    if (load(path, NULL, 0, &sc) != 0)
        return 1;
    snprintf(users, sizeof(users), "%.17g", sc->population.users * 100.0);
    ov.path = "population.users";
    ov.value = users;
    if (load(path, &ov, 1, &big) != 0) {
        osim_scenario_free(sc);
        return 1;
    }
    fail |= report(sc, n, 1, "");
    fail |= report(sc, n, 2, "");
    fail |= report(sc, 4 * n, 2, "");
    fail |= report(big, n, 2, " population_x=100");
    osim_scenario_free(big);
    osim_scenario_free(sc);
    return fail;
}
