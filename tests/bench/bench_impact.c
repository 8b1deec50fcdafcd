/*
 * bench_impact.c -- the cost of one impact computation does not grow with
 * the number of users or businesses.
 *
 * The reference scenario is loaded four times: as written (48 million users,
 * 770,000 businesses), with population.users times 100 (4.8 billion), with
 * every segment's count times 100 (77 million businesses: claimants rise
 * from about 8,000 to about 800,000) and with both. The same replays (every
 * topology, REPLAYS replications, played once on the scenario as written)
 * are then turned into impacts under each, and only osim_impact_compute()
 * is timed: RUNS rounds, each timing COMPUTES computations under every case
 * in turn (interleaved, starting from a different case each round, so that
 * a busy spell on a shared machine hits every case alike), and the fastest
 * round per case is reported: on a loaded machine the minimum is the figure
 * least disturbed by other processes. The impact stream is reseeded before
 * each computation, as in a real run.
 *
 * Output, one line per case, on stdout:
 *   impact-cost users=<N> businesses=<M> claimants=<mean> seconds_per_replication=<s>
 * and a last line with the ratio of the slowest case to the fastest:
 *   impact-cost-ratio max_over_min=<r> within_20_percent=<yes|no>
 * (a benchmark on a shared machine, so it reports rather than fails).
 *
 * Usage: bench_impact [SCENARIO]   (default scenarios/kakao-pangyo-2022.yaml,
 * looked up from the current directory and from its parent)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outagesim/compensation.h"
#include "outagesim/error.h"
#include "outagesim/impact.h"
#include "outagesim/replay.h"
#include "outagesim/rng.h"
#include "outagesim/scenario.h"

#define RUNS 31
#define REPLAYS 64
#define COMPUTES 1000
#define SCALE "100"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Load path with the users and/or segment counts multiplied by SCALE. */
static int load_scaled(const char *path, const osim_scenario *base, int users_x, int counts_x,
                       osim_scenario **out)
{
    osim_override ov[1 + 64];
    char val[1 + 64][64], key[64][160];
    size_t n = 0, g;
    osim_diag d;
    char msg[600];
    int rc;

    osim_diag_clear(&d);
    if (users_x) {
        snprintf(val[n], sizeof(val[n]), "%.0f", base->population.users * atof(SCALE));
        ov[n].path = "population.users";
        ov[n].value = val[n];
        n++;
    }
    for (g = 0; counts_x && g < base->segments_count && g < 64; g++) {
        snprintf(key[g], sizeof(key[g]), "businesses.%s.count", base->segments[g].name);
        snprintf(val[n], sizeof(val[n]), "%.0f", base->segments[g].count * atof(SCALE));
        ov[n].path = key[g];
        ov[n].value = val[n];
        n++;
    }
    rc = osim_comp_scenario_load(path, ov, n, out, &d);
    if (rc != 0)
        fprintf(stderr, "bench_impact: %s\n", osim_diag_format(&d, msg, sizeof(msg)));
    return rc;
}

/* COMPUTES impacts of the stored replays under im, in seconds per impact. */
static int time_round(osim_impact *im, osim_replay_result *const *res, size_t nres, double *sec,
                      double *claimants)
{
    osim_rng_local lr;
    double t0 = now_s();
    size_t i;
    int rc;

    *claimants = 0.0;
    for (i = 0; i < COMPUTES; i++) {
        osim_rng_local_init(&lr, osim_rng_stream_seed(1, i, "impact"));
        rc = osim_impact_compute(im, res[i % nres], &lr.r);
        if (rc != 0) {
            fprintf(stderr, "bench_impact: compute: %s\n", osim_strerror(rc));
            return 1;
        }
        *claimants += im->sb_claimants;
    }
    *sec = (now_s() - t0) / COMPUTES;
    *claimants /= COMPUTES;
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "scenarios/kakao-pangyo-2022.yaml";
    char alt[4096];
    osim_scenario *base = NULL, *scaled[4] = {NULL};
    osim_replay_result *res[REPLAYS * 8] = {NULL};
    osim_replay *rp = NULL;
    osim_incident *inc = NULL;
    osim_diag d;
    char msg[600];
    size_t nres = 0, t, i, k;
    osim_impact *im[4] = {NULL};
    double sec[4], round_s[4][RUNS], claimants[4], lo, hi;
    int status = 1, r, rc;
    FILE *f;

    osim_global_init();
    if (argc > 2) {
        fprintf(stderr, "usage: bench_impact [SCENARIO]\n");
        return 2;
    }
    /* make bench runs from the top directory; allow tests/ too. */
    f = fopen(path, "r");
    if (f == NULL && argc == 1) {
        snprintf(alt, sizeof(alt), "../%s", path);
        path = alt;
    } else if (f != NULL) {
        fclose(f);
    }
    osim_diag_clear(&d);
    rc = osim_comp_scenario_load(path, NULL, 0, &base, &d);
    if (rc != 0) {
        fprintf(stderr, "bench_impact: %s\n", osim_diag_format(&d, msg, sizeof(msg)));
        return 1;
    }
    if ((rc = osim_replay_new(base, &rp)) != 0 || (rc = osim_incident_new(base, &inc)) != 0) {
        fprintf(stderr, "bench_impact: %s\n", osim_strerror(rc));
        goto done;
    }
    for (i = 0; i < REPLAYS; i++) {
        osim_incident_draw(base, 1, i, inc);
        for (t = 0; t < base->topologies_count && t < 8; t++) {
            if ((rc = osim_replay_result_new(base, &res[nres])) != 0 ||
                (rc = osim_replay_run(rp, inc, t, 1, i, res[nres])) != 0) {
                fprintf(stderr, "bench_impact: replay: %s\n", osim_strerror(rc));
                nres++;
                goto done;
            }
            nres++;
        }
    }
    for (k = 0; k < 4; k++) {
        if (load_scaled(path, base, (int)(k & 1), (int)(k >> 1), &scaled[k]) != 0)
            goto done;
        if ((rc = osim_impact_new(scaled[k], &im[k])) != 0) {
            fprintf(stderr, "bench_impact: impact: %s\n", osim_strerror(rc));
            goto done;
        }
    }
    for (r = 0; r < RUNS; r++) {
        for (i = 0; i < 4; i++) {
            k = (i + (size_t)r) % 4;
            if (time_round(im[k], res, nres, &round_s[k][r], &claimants[k]) != 0)
                goto done;
        }
    }
    for (k = 0; k < 4; k++) {
        double businesses = 0.0;
        size_t g;
        qsort(round_s[k], RUNS, sizeof(round_s[k][0]), cmp_double);
        sec[k] = round_s[k][0];
        for (g = 0; g < scaled[k]->segments_count; g++)
            businesses += scaled[k]->segments[g].count;
        printf("impact-cost users=%.0f businesses=%.0f claimants=%.0f "
               "seconds_per_replication=%.3g\n",
               scaled[k]->population.users, businesses, claimants[k], sec[k]);
    }
    lo = hi = sec[0];
    for (k = 1; k < 4; k++) {
        lo = sec[k] < lo ? sec[k] : lo;
        hi = sec[k] > hi ? sec[k] : hi;
    }
    printf("impact-cost-ratio max_over_min=%.3f within_20_percent=%s\n", hi / lo,
           hi <= 1.2 * lo ? "yes" : "no");
    status = 0;
done:
    for (i = 0; i < nres; i++)
        osim_replay_result_free(res[i]);
    for (k = 0; k < 4; k++) {
        osim_impact_free(im[k]);
        osim_scenario_free(scaled[k]);
    }
    osim_incident_free(inc);
    osim_replay_free(rp);
    osim_scenario_free(base);
    return status;
}
