/*
 * bench_engine.c -- engine throughput on the classic hold model.
 *
 * The hold model (Vaucher and Duval, 1975) keeps P events pending: each step
 * pops the earliest event, and its handler schedules one new event at
 * now + Exp(1). The draw is -log(U) with U from the project's own random
 * stream (osim_rng_new), so the figure includes the random draw and the
 * handler call, as a real model would pay them, not a bare heap.
 *
 * Each case is run three times on a fresh engine and the median time is
 * reported (the machine is shared and noisy; the median of three ignores one
 * outlier either way). Only the run is timed, not filling the first P events.
 * Time is the process's CPU time (CLOCK_PROCESS_CPUTIME_ID): the benchmark
 * is single-threaded, so on an idle machine this equals wall-clock time, and
 * on a busy one it leaves out the time other programs held the CPU.
 * tests/bench/simpy_hold.py measures SimPy the same way.
 *
 * Output, one line per case, on stdout:
 *   engine-hold pending=<P> events=<N> seconds=<s> events_per_s=<x>
 *
 * Usage: bench_engine [--pending P] [--events N]
 *   With no option: P = 10, 1000 and 100000, N = 10,000,000 each.
 *   With --pending: that case only (tests/bench/simpy.sh uses this).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outagesim/engine.h"
#include "outagesim/error.h"
#include "outagesim/rng.h"

#define RUNS 3

typedef struct hold {
    gsl_rng *r;
    uint64_t left; /* events still to fire */
    int status;    /* first scheduling error, if any */
} hold;

static void hold_fire(osim_engine *e, void *subject, void *object)
{
    hold *h = subject;
    int rc;

    (void)object;
    if (--h->left == 0) {
        osim_engine_stop(e);
        return;
    }
    rc = osim_engine_schedule_in(e, -log(gsl_rng_uniform_pos(h->r)), 0, hold_fire, h, NULL, NULL);
    if (rc != 0) {
        h->status = rc;
        osim_engine_stop(e);
    }
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One timed run; returns seconds, or a negative value on error. */
static double run_once(uint64_t pending, uint64_t events, uint64_t seed)
{
    osim_engine *e = NULL;
    hold h = {0};
    double t0, t1 = -1.0;
    uint64_t i;
    int rc;

    h.r = osim_rng_new();
    if (h.r == NULL || osim_engine_new(&e, NULL, NULL) != 0)
        goto fail;
    osim_rng_seed(h.r, osim_rng_stream_seed(seed, 0, "bench-hold"));
    h.left = events;
    for (i = 0; i < pending; i++) {
        rc = osim_engine_schedule_at(e, -log(gsl_rng_uniform_pos(h.r)), 0, hold_fire, &h, NULL,
                                     NULL);
        if (rc != 0) {
            fprintf(stderr, "bench_engine: schedule: %s\n", osim_strerror(rc));
            goto fail;
        }
    }
    t0 = now_s();
    rc = osim_engine_run(e, INFINITY);
    t1 = now_s() - t0;
    if (rc != OSIM_ESTOPPED || h.status != 0 || osim_engine_fired(e) != events) {
        fprintf(stderr, "bench_engine: run: %s (fired %llu of %llu)\n",
                osim_strerror(h.status != 0 ? h.status : rc),
                (unsigned long long)osim_engine_fired(e), (unsigned long long)events);
        t1 = -1.0;
    }
fail:
    osim_engine_free(e);
    gsl_rng_free(h.r);
    return t1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static int bench_case(uint64_t pending, uint64_t events)
{
    double s[RUNS];
    int i;

    for (i = 0; i < RUNS; i++) {
        s[i] = run_once(pending, events, (uint64_t)i + 1);
        if (s[i] < 0.0)
            return 1;
    }
    qsort(s, RUNS, sizeof(s[0]), cmp_double);
    printf("engine-hold pending=%llu events=%llu seconds=%.3f events_per_s=%.0f\n",
           (unsigned long long)pending, (unsigned long long)events, s[RUNS / 2],
           (double)events / s[RUNS / 2]);
    fflush(stdout);
    return 0;
}

static int parse_count(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v == 0 || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    static const uint64_t cases[] = {10, 1000, 100000};
    uint64_t pending = 0, events = 10000000;
    size_t i;
    int a;

    osim_global_init();
    for (a = 1; a < argc; a++) {
        if (a + 1 < argc && strcmp(argv[a], "--pending") == 0) {
            if (parse_count(argv[++a], &pending) != 0)
                goto usage;
        } else if (a + 1 < argc && strcmp(argv[a], "--events") == 0) {
            if (parse_count(argv[++a], &events) != 0)
                goto usage;
        } else {
            goto usage;
        }
    }
    if (pending != 0)
        return bench_case(pending, events);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (bench_case(cases[i], events) != 0)
            return 1;
    return 0;
usage:
    fprintf(stderr, "usage: bench_engine [--pending P] [--events N]   (P, N positive integers)\n");
    return 2;
}
