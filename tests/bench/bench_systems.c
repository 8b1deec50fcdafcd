/*
 * bench_systems.c -- the cost of a replication against the number of systems.
 *
 * A replication must cost no worse than linearly in systems: every system
 * has its own draws and events, but no event may scan all systems (replay.c
 * keeps the count of systems back per service in O(1) per event). The
 * scenario is generated here (issue #15): two sites of 20 zones each, the
 * first burns, zone by zone (a destroyed fire zone, zones dark with the UPS,
 * zones dark at the cut, one that keeps power, a restore_order, replacements
 * on a delivery profile); 20 services split the systems evenly, placed in
 * one or two zones or spread over the site, each with a random restart and a
 * rebuild; two designs, the first site alone, and a standby at the second
 * with automatic failover. Sizes 100, 1,000, 10,000 and 100,000 systems.
 * Each case runs the Monte Carlo (one thread, the series kept as `run` keeps
 * it) three times; the median is shown. Time is the process's CPU time
 * (CLOCK_PROCESS_CPUTIME_ID), as in bench_engine: on a shared machine wall
 * time mostly measures the neighbours. Loading the scenario and creating
 * the workers are not timed.
 *
 * Output on stdout, one line per size:
 *   systems-run systems=<n> services=<k> zones=<z> replications=<r>
 *       seconds=<s> ms_per_replication=<x> us_per_system=<y>
 *       per_system_vs_1000=<v>
 * (a replication plays every design; per_system_vs_1000, from the
 * 1,000-system case on, is us_per_system over that case's: about 1 when
 * the cost is linear), then one line for the 100,000-system scenario:
 *   systems-zones systems=100000 zones=<z> sites=2 designs=2
 *       ms_per_replication=<x> replication_vs_1000=<q>
 *       max_per_system_vs_1000=<m> linear=<yes|no>
 * (replication_vs_1000: the time of a replication over the 1,000-system
 * one's, 100 when linear; max_per_system_vs_1000: the largest
 * per_system_vs_1000 of the sizes; linear=yes when it is at most
 * LINEAR_SLACK. The cost per system may grow a little as the working set
 * leaves the caches and the pending-event heap deepens (log n), but an
 * event that scanned a service's systems would make it about 10 at 10,000
 * systems and 100 at 100,000.)
 */
#include <stdarg.h>
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
#define SCEN_MAX 32768
#define ZONES 20
#define LINEAR_SLACK 1.5

/* CPU time of the process: the machine is shared, and only the one worker runs. */
static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Appends to buf at *used (snprintf's rules); a full buffer stays full. */
static void put(char *buf, size_t size, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int w;

    if (*used >= size)
        return;
    va_start(ap, fmt);
    w = vsnprintf(buf + *used, size - *used, fmt, ap);
    va_end(ap);
    *used = w < 0 ? size : *used + (size_t)w;
}

/*
 * The zones a service sits in under the design `standby` or not, as a flow
 * mapping, or "" when it is unplaced (spread over the whole site). Every
 * fourth service is unplaced, every fourth one spans two neighbouring zones
 * (two fixed zones at b), the others sit in one zone (at b, the zone at the
 * other end).
 */
static const char *placement(char *out, size_t size, size_t i, int standby)
{
    size_t z = i % ZONES, far = ZONES - 1 - z;

    if (i % 4 == 3)
        out[0] = '\0';
    else if (i % 4 == 2)
        snprintf(out, size, ", zones: {a: [z%02zu, z%02zu]%s}", z, (z + 1) % ZONES,
                 standby ? ", b: [z00, z01]" : "");
    else if (standby)
        snprintf(out, size, ", zones: {a: [z%02zu], b: [z%02zu]}", z, far);
    else
        snprintf(out, size, ", zones: {a: [z%02zu]}", z);
    return out;
}

/*
 * The scenario text: k services of n / k systems each, on two sites of
 * ZONES zones each; a burns. At a the first zone is the fire zone (2% of
 * the racks, all destroyed), the next four go dark with the UPS (the
 * second loses up to a fifth of its racks), the last keeps power, the rest
 * go dark at the cut; power comes back from z05 up, the fire end last;
 * destroyed racks wait for a delivery profile of replacements.
 */
static int scenario_text(char *buf, size_t size, size_t n, size_t k)
{
    char where[96];
    size_t used = 0, i;

    put(buf, size, &used,
        "scenario: {name: bench-systems, start: \"2022-10-15 15:19\", horizon: 14d}\n"
        "sites:\n  - name: a\n    zones:\n      - {name: z00, share: 0.02}\n");
    for (i = 1; i < ZONES; i++)
        put(buf, size, &used, "      - {name: z%02zu}\n", i);
    put(buf, size, &used, "  - name: b\n    zones:\n");
    for (i = 0; i < ZONES; i++)
        put(buf, size, &used, "      - {name: z%02zu}\n", i);
    put(buf, size, &used,
        "incident:\n"
        "  - site: a\n"
        "    detection: 15m\n"
        "    ups_ride_through: 20m\n"
        "    power_cut: 1.5h\n"
        "    suppression: {dist: lognormal, median: 8h, p95: 14h}\n"
        "    restoration: {profile: [{after: 0h, fraction: 0}, {after: 12h, fraction: 0.9},"
        " {after: 3d, fraction: 1}]}\n"
        "    destroyed:\n"
        "      delivery: [{after: 2d, share: 0.3}, {after: 7d, share: 0.8},"
        " {after: 12d, share: 1}]\n"
        "      delivery_scale: {dist: lognormal, median: 1, p95: 1.5}\n"
        "    zones:\n"
        "      z00: {dark: ups, destroyed: 1.0}\n"
        "      z01: {dark: ups, destroyed: {dist: uniform, min: 0, max: 0.2}}\n"
        "      z02: {dark: ups}\n      z03: {dark: ups}\n      z04: {dark: ups}\n"
        "      z%02d: {dark: none}\n"
        "    restore_order: [",
        ZONES - 1);
    for (i = 5; i < ZONES; i++)
        put(buf, size, &used, "z%02zu, ", i);
    put(buf, size, &used, "z04, z03, z02, z01, z00]\nservices:\n");
    for (i = 0; i < k; i++)
        put(buf, size, &used,
            "  - {name: s%02zu, systems: %zu, data: 1000,"
            " restart: {dist: lognormal, median: 1h, p95: 4h},"
            " rebuild: {dist: lognormal, median: 6h, p95: 1d}}\n",
            i, n / k);
    put(buf, size, &used, "topologies:\n  - name: single\n    services:\n");
    for (i = 0; i < k; i++)
        put(buf, size, &used, "      - {name: s%02zu, active: [a]%s}\n", i,
            placement(where, sizeof(where), i, 0));
    put(buf, size, &used, "  - name: standby\n    services:\n");
    for (i = 0; i < k; i++)
        put(buf, size, &used,
            "      - {name: s%02zu, active: [a], standby: [b], replication: sync,"
            " failover: automatic, detect: 30m, failover_time: 1h%s}\n",
            i, placement(where, sizeof(where), i, 1));
    put(buf, size, &used, "population: {users: 1M}\n");
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

/*
 * One size: k services sharing n systems; sets *ms_per_rep and *per_us, and
 * *per_1000 in the 1,000-system case (0 until then).
 */
static int bench(size_t n, size_t k, double *ms_per_rep, double *per_us, double *per_1000)
{
    static char text[SCEN_MAX];
    char buf[OSIM_DIAG_MSG_MAX + OSIM_DIAG_FILE_MAX + 64];
    osim_scenario *sc = NULL;
    uint64_t r = n >= 100000 ? 6 : (n >= 10000 ? 30 : (n >= 1000 ? 200 : 1000));
    double s;
    osim_diag d;
    int rc;

    osim_diag_clear(&d);
    if (scenario_text(text, sizeof(text), n, k) != 0) {
        fprintf(stderr, "bench_systems: scenario text over %d bytes\n", SCEN_MAX);
        return 1;
    }
    rc = osim_comp_scenario_load_buffer("bench-systems.yaml", text, strlen(text), NULL, 0, &sc, &d);
    if (rc != 0) {
        fprintf(stderr, "bench_systems: %s\n", osim_diag_format(&d, buf, sizeof(buf)));
        return 1;
    }
    s = time_run(sc, r);
    osim_scenario_free(sc);
    if (s < 0)
        return 1;
    *ms_per_rep = s / (double)r * 1e3;
    *per_us = s / (double)r / (double)n * 1e6;
    if (n == 1000)
        *per_1000 = *per_us;
    printf("systems-run systems=%zu services=%zu zones=%d replications=%llu seconds=%.3f "
           "ms_per_replication=%.3f us_per_system=%.3f",
           n, k, ZONES, (unsigned long long)r, s, *ms_per_rep, *per_us);
    if (*per_1000 > 0)
        printf(" per_system_vs_1000=%.2f", *per_us / *per_1000);
    putchar('\n');
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {100, 1000, 10000, 100000};
    static char text[SCEN_MAX];
    double ms = 0.0, per = 0.0, ms_1000 = 0.0, per_1000 = 0.0, worst = 0.0;
    size_t i;

    /* --scenario N prints the scenario of N systems, to profile it with the program. */
    if (argc == 3 && strcmp(argv[1], "--scenario") == 0) {
        size_t n = (size_t)strtoul(argv[2], NULL, 10);

        if (n < 20 || n > 100000 || scenario_text(text, sizeof(text), n, 20) != 0) {
            fprintf(stderr, "bench_systems: --scenario N: N from 20 to 100000\n");
            return 2;
        }
        fputs(text, stdout);
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: bench_systems [--scenario N]\n");
        return 2;
    }
    osim_global_init();
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        if (bench(sizes[i], 20, &ms, &per, &per_1000) != 0)
            return 1;
        if (sizes[i] == 1000)
            ms_1000 = ms;
        if (per_1000 > 0 && per / per_1000 > worst)
            worst = per / per_1000;
    }
    /* ms and per are the last size's: the 100,000-system scenario. */
    printf("systems-zones systems=%zu zones=%d sites=2 designs=2 ms_per_replication=%.3f "
           "replication_vs_1000=%.1f max_per_system_vs_1000=%.2f linear=%s\n",
           sizes[sizeof(sizes) / sizeof(sizes[0]) - 1], ZONES, ms, ms / ms_1000, worst,
           worst <= LINEAR_SLACK ? "yes" : "no");
    return 0;
}
