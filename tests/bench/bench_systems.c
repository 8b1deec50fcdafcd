/*
 * bench_systems.c -- the cost of a replication against the number of systems.
 *
 * A replication must cost no worse than linearly in systems: every system
 * has its own draws and events, but no event may scan all systems (replay.c
 * keeps the count of systems back per service in O(1) per event). The
 * scenario is generated here: two sites, the first burns; 20 services
 * split the systems evenly (the spread that 20 zones will give once sites
 * have zones), each with a random restart, a share of destroyed racks and
 * a rebuild; two designs, the first site alone, and a standby at the
 * second with automatic failover. Sizes 100, 1,000, 10,000 and 100,000
 * systems, then one service of 100,000 systems alone. Each case runs the
 * Monte Carlo (one thread, the series kept as `run` keeps it) three times;
 * the median is shown. Loading and creating the workers are not timed.
 *
 * Output, one line per case, on stdout:
 *   systems-run systems=<n> services=<k> replications=<r> seconds=<s>
 *       ms_per_replication=<x> us_per_system=<y> per_system_vs_1000=<z>
 * (a replication plays every design; per_system_vs_1000, from the
 * 1,000-system case on, is us_per_system over that case's: about 1 when
 * the cost is linear).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outagesim/compensation.h"
#include "outagesim/error.h"
#include "outagesim/mc.h"
#include "outagesim/scenario.h"
#include "outagesim/series.h"

#define RUNS 3
#define SCEN_MAX 16384

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

/* The scenario text: k services of n / k systems each. */
static int scenario_text(char *buf, size_t size, size_t n, size_t k)
{
    size_t used, i;

    used = (size_t)snprintf(
        buf, size,
        "scenario: {name: bench-systems, start: \"2022-10-15 15:19\", horizon: 14d}\n"
        "sites:\n  - {name: a}\n  - {name: b}\n"
        "incident:\n"
        "  - site: a\n"
        "    detection: 15m\n"
        "    ups_ride_through: 20m\n"
        "    partial_loss: 0.3\n"
        "    power_cut: 1.5h\n"
        "    suppression: {dist: lognormal, median: 8h, p95: 14h}\n"
        "    restoration: {profile: [{after: 0h, fraction: 0}, {after: 12h, fraction: 0.9},"
        " {after: 3d, fraction: 1}]}\n"
        "    destroyed: {fraction: 0.05, replace: {dist: lognormal, median: 3d, p95: 5d}}\n"
        "services:\n");
    for (i = 0; i < k && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used,
                                 "  - {name: s%zu, systems: %zu, data: 1000,"
                                 " restart: {dist: lognormal, median: 1h, p95: 4h},"
                                 " rebuild: {dist: lognormal, median: 6h, p95: 1d}}\n",
                                 i, n / k);
    if (used < size)
        used += (size_t)snprintf(buf + used, size - used,
                                 "topologies:\n  - name: single\n"
                                 "    services:\n");
    for (i = 0; i < k && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "      - {name: s%zu, active: [a]}\n", i);
    if (used < size)
        used += (size_t)snprintf(buf + used, size - used,
                                 "  - name: standby\n"
                                 "    services:\n");
    for (i = 0; i < k && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used,
                                 "      - {name: s%zu, active: [a], standby: [b],"
                                 " replication: sync, failover: automatic, detect: 30m,"
                                 " failover_time: 1h}\n",
                                 i);
    if (used < size)
        used += (size_t)snprintf(buf + used, size - used, "population: {users: 1M}\n");
    return used < size ? 0 : OSIM_ENOMEM;
}

/* Median seconds of RUNS runs of r replications; < 0 on failure. */
static double time_run(const osim_scenario *sc, uint64_t r)
{
    double t[RUNS];
    int k;

    for (k = 0; k < RUNS; k++) {
        osim_mc_options o;
        osim_series *series = NULL;
        osim_mc *mc = NULL;
        osim_diag d;
        double t0;
        int rc;

        memset(&o, 0, sizeof(o));
        o.seed = 1;
        o.from = 0;
        o.to = r;
        o.threads = 1;
        osim_diag_clear(&d);
        if ((rc = osim_series_new(sc, o.seed, NULL, 0, &series)) != 0 ||
            (o.series = series, rc = osim_mc_new(sc, &o, &mc, &d)) != 0) {
            fprintf(stderr, "bench_systems: %s\n", d.msg[0] ? d.msg : osim_strerror(rc));
            osim_series_free(series);
            return -1.0;
        }
        t0 = now_s();
        rc = osim_mc_run(mc, &d);
        t[k] = now_s() - t0;
        osim_mc_free(mc);
        osim_series_free(series);
        if (rc != 0) {
            fprintf(stderr, "bench_systems: run: %s\n", d.msg[0] ? d.msg : osim_strerror(rc));
            return -1.0;
        }
    }
    qsort(t, RUNS, sizeof(t[0]), cmp_double);
    return t[RUNS / 2];
}

/* One case; *per_1000 is set by the 1,000-system case (0 until then). */
static int bench(size_t n, size_t k, double *per_1000)
{
    static char text[SCEN_MAX];
    char buf[OSIM_DIAG_MSG_MAX + OSIM_DIAG_FILE_MAX + 64];
    osim_scenario *sc = NULL;
    uint64_t r = n >= 100000 ? 6 : (n >= 10000 ? 30 : (n >= 1000 ? 200 : 1000));
    double s, per;
    osim_diag d;
    int rc;

    osim_diag_clear(&d);
    if (scenario_text(text, sizeof(text), n, k) != 0)
        return 1;
    rc = osim_comp_scenario_load_buffer("bench-systems.yaml", text, strlen(text), NULL, 0, &sc, &d);
    if (rc != 0) {
        fprintf(stderr, "bench_systems: %s\n", osim_diag_format(&d, buf, sizeof(buf)));
        return 1;
    }
    s = time_run(sc, r);
    osim_scenario_free(sc);
    if (s < 0)
        return 1;
    per = s / (double)r / (double)n * 1e6;
    if (n == 1000 && k > 1)
        *per_1000 = per;
    printf("systems-run systems=%zu services=%zu replications=%llu seconds=%.3f "
           "ms_per_replication=%.3f us_per_system=%.3f",
           n, k, (unsigned long long)r, s, s / (double)r * 1e3, per);
    if (*per_1000 > 0)
        printf(" per_system_vs_1000=%.2f", per / *per_1000);
    putchar('\n');
    fflush(stdout);
    return 0;
}

int main(void)
{
    static const size_t sizes[] = {100, 1000, 10000, 100000};
    double per_1000 = 0.0;
    size_t i;
    int fail = 0;

    osim_global_init();
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        fail |= bench(sizes[i], 20, &per_1000);
    fail |= bench(100000, 1, &per_1000);
    return fail;
}
