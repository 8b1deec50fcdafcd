/*
 * mc.h -- Monte Carlo runs: many replications of the fire, every topology,
 * in parallel, reduced to statistics and the economics of redundancy.
 *
 * A replication i (an index, not a count) is:
 *   1. osim_incident_draw(seed, i): the fire, once, shared by every topology
 *      (common random numbers: each design meets exactly the same fire);
 *   2. for each selected topology t, in scenario order:
 *        osim_replay_run(t)                 -> availability timelines
 *        osim_impact_compute, stream "impact/<topology>"
 *        osim_comp_eval for each policy p, stream "comp/<policy>/<topology>"
 *      and the row of metrics of (i, t) is stored at its index.
 * Every stream's seed is a pure function of (seed, i, stream name), rows are
 * kept by index and statistics are reduced in index order, so the result is
 * the same, bit for bit, for any number of threads, any chunk size and any
 * split of the index range into parts (see osim_mc_result_merge).
 *
 * What a run produces is an osim_mc_result (result.h): its catalogue of
 * metrics is a pure function of the run's shape, declared by the scenario
 * and the compensation models before any replication is played.
 *
 * Threads: replications run in chunks of `chunk` replications on a pool of
 * threads, at most `threads` chunks at once, each on its own worker state
 * (replay, incident, impact, compensation results), created once and
 * reused. The pool is process-wide and sized once, by the first run of the
 * process that needs it (to the larger of its `threads` and the number of
 * cores): a later run that asks for more threads than that still gives
 * the same result, with less parallelism. A process that cannot start
 * the threads gets OSIM_ENOMEM from osim_mc_run, not an abort. Callbacks
 * (progress) run on the thread that called osim_mc_run.
 *
 * Memory: the rows of the run are kept for exact quantiles, in memory or,
 * beyond rows_memory_bytes, in an unlinked temporary file (same bits; see
 * osim_mc_options): a run of 10^7 replications then holds about what a run
 * of 10^5 holds.
 *
 * Lifecycle: osim_mc_new() (checks options, builds the catalogue), then
 * osim_mc_run() once, then osim_mc_take_result(), then osim_mc_free().
 */
#ifndef OUTAGESIM_MC_H
#define OUTAGESIM_MC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/error.h"
#include "outagesim/result.h"
#include "outagesim/scenario.h"

/* Progress callback, on the thread that called osim_mc_run, every
 * progress_ms while the run goes and once at the end: replications done
 * of total. It may call osim_mc_stop (e.g. after a signal). */
typedef void (*osim_mc_progress_fn)(void *ud, uint64_t done, uint64_t total);

typedef struct osim_mc_options {
    uint64_t seed;
    uint64_t from, to;        /* replications from .. to-1; to > from */
    unsigned threads;         /* chunks in flight at once, >= 1 */
    unsigned chunk;           /* replications per work item; 0 means 32 */
    const size_t *topologies; /* indices into sc->topologies; NULL means all */
    size_t topologies_count;
    const osim_override *overrides; /* recorded in the result only (already applied) */
    size_t overrides_count;
    /* Run-length control: keep adding replications (beyond `to`, up to
     * max_to) until the 95% half-width of metric `precision_metric` is at
     * most precision_rel x |mean| under every topology. NULL: off. */
    const char *precision_metric;
    double precision_rel;
    uint64_t max_to;
    osim_mc_progress_fn progress; /* may be NULL */
    void *progress_ud;
    unsigned progress_ms; /* period; 0 means 250 */
    /* The course of the outage over time, for the figures (series.h):
     * borrowed, empty, made by osim_series_new for this scenario, seed and
     * topology selection, or NULL. Each worker counts into its own copy;
     * osim_mc_run adds them into it, and it then covers exactly the
     * result's replications from..to-1 (also when interrupted). */
    struct osim_series *series;
    /* Memory for the rows: when the rows of the whole range (up to max_to
     * with a precision target) would take more than rows_memory_bytes,
     * they go to an unlinked temporary file in spill_dir (NULL: /tmp)
     * instead (osim_mc_result_spill), and memory no longer grows with the
     * replications. The result is the same, bit for bit. 0: no limit (all
     * rows in memory, as a sweep's points need them). */
    uint64_t rows_memory_bytes;
    const char *spill_dir;
} osim_mc_options;

typedef struct osim_mc osim_mc;

/*
 * Prepare a run of sc (borrowed; must outlive the run). Creates the worker
 * states and builds the catalogue from the scenario, the selected
 * topologies and the claimant classes each policy declares
 * (osim_comp_declare): no replication is played, so the catalogue does not
 * depend on `from`. A policy whose evaluation writes other classes than it
 * declared fails the run (OSIM_EINTERNAL, naming the policy). Returns 0 or < 0 with diag set
 * (OSIM_EINVAL for bad options, such as an unknown precision metric).
 */
int osim_mc_new(const osim_scenario *sc, const osim_mc_options *opt, osim_mc **out,
                osim_diag *diag);

/*
 * Run the replications and summarise them. Returns 0 when done;
 * OSIM_ENOMEM also when the threads cannot be started; OSIM_ESTOPPED after osim_mc_stop() (the
 * result then holds the completed prefix from..to-1 and says interrupted); another negative code on
 * failure (diag names the replication and topology). Call once.
 */
int osim_mc_run(osim_mc *mc, osim_diag *diag);

/* Ask a run to stop starting replications. Safe from any thread, from the
 * progress callback and from a signal handler (a lock-free atomic store);
 * replications in progress finish. */
void osim_mc_stop(osim_mc *mc);

/* Replications done so far and the current total (for progress). */
void osim_mc_progress(const osim_mc *mc, uint64_t *done, uint64_t *total);

/* Whether the run keeps its rows on disk (rows_memory_bytes; after osim_mc_new). */
bool osim_mc_spills(const osim_mc *mc);

/* The catalogue (valid after osim_mc_new). */
const osim_metric *osim_mc_metrics(const osim_mc *mc, size_t *count);

/* Take the result (ownership passes to the caller; later calls give NULL). */
osim_mc_result *osim_mc_take_result(osim_mc *mc);

void osim_mc_free(osim_mc *mc);

#endif
