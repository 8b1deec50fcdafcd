/*
 * mc.c -- a Monte Carlo run: replications in chunks handed to an executor
 * (exec.h; libuv's thread pool unless told otherwise), rows stored by
 * replication index, statistics reduced in index order.
 *
 * Invariant: the row of (replication i, topology t) is a pure function of
 * (scenario, seed, i, t). Workers never share mutable state: each slot of
 * the executor owns one worker (replay, incident, impact, compensation
 * results, all created once and reused) and runs one chunk at a time,
 * writing only the rows of its own indices and its own bytes of `done`.
 * Which thread ran which chunk, in which order, and how big the chunks
 * were, therefore cannot change a single bit of the result (test_mc runs
 * the chunks backwards to check it).
 *
 * Stopping: osim_mc_stop() raises a flag that workers read before each
 * replication; nothing new starts, running replications finish, and the
 * result keeps the longest completed prefix of the index range, so an
 * interrupted run is itself a valid partial run (resume it with --from).
 *
 * Run-length control: with a precision target, the index range grows in
 * batches; each batch is one job for the executor, and each decision is
 * taken between jobs, when no chunk is in flight, from the statistics of
 * the completed range, so it too is thread-independent.
 *
 * Rows on disk: when the rows of the range would take more than
 * opt->rows_memory_bytes, each worker fills a chunk's rows in its own
 * buffer and puts them into the result's spill file at their index
 * (results/spill.h), and the summaries read the columns back in passes
 * (osim_stats_compute_read): the bits are those of rows in memory, and
 * memory no longer grows with the replications (the done flags are bits).
 *
 * Over processes (osim__mc_set_procs, MPI ranks): the range is cut into
 * blocks; the process that runs a block runs its chunks on its threads
 * into a block buffer, and rank 0 stores every block's rows by index (its
 * own at once, the others' as they arrive, with their done flags and the
 * series counts their threads made), so neither the ranks nor the order
 * in which blocks arrive can change a bit.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "core/str.h"
#include "mc/exec.h"
#include "mc/runner.h"
#include "outagesim/compensation.h"
#include "outagesim/impact.h"
#include "outagesim/mc.h"
#include "outagesim/replay.h"
#include "outagesim/rng.h"
#include "outagesim/series.h"
#include "outagesim/version.h"
#include "results/metrics.h"
#include "results/spill.h"

#define DEFAULT_CHUNK 32u
#define DEFAULT_PROGRESS_MS 250u

typedef struct worker {
    osim_mc *mc;
    osim_replay *rp;
    osim_incident *inc;
    osim_replay_result *res;
    osim_impact *im;
    osim_comp_result *cr; /* one per policy */
    osim_series *ser;     /* this worker's share of opt->series, or NULL (plot.h) */
    double *rowbuf;       /* rows on disk: a chunk's rows, before they are put */
    int status;           /* first failure */
    uint64_t fail_rep;
    char msg[OSIM_DIAG_MSG_MAX];
} worker;

typedef struct done_ranges {
    pthread_mutex_t lock;
    uint64_t low; /* every local index below is done */
    uint64_t *r;  /* [a, b) pairs above low: sorted, disjoint, not touching */
    size_t n, cap;
} done_ranges;

struct osim_mc {
    const osim_scenario *sc;
    uint64_t seed;
    unsigned chunk;
    size_t *topo; /* selected scenario topology indices, ascending */
    size_t T, M, P;
    uint64_t *impact_hash; /* [t] */
    uint64_t *comp_hash;   /* [p * T + t] */
    osim_mc_result *res;
    osim_series *series; /* borrowed opt->series, or NULL */
    worker *w;
    unsigned nworkers;
    uint64_t from, next, target, max_to; /* the range is from .. target-1 (target grows) */
    uint64_t batch_from, batch_to;       /* the job in flight: chunks from .. to-1 */
    /* Spread over processes (MPI, osim__mc_set_procs): blocks of
     * block_reps replications, each run on this process's threads into
     * blockbuf, then stored by rank 0 (its own, or sent by another rank). */
    const osim__exec *procs;
    uint64_t block_reps, run_from, run_to;
    double *blockbuf;
    done_ranges done; /* replications whose row is stored (done_add) */
    bool spill;       /* rows on disk (osim_mc_result_spill) */
    atomic_uint_fast64_t done_count;
    atomic_int stop;  /* the user asked to stop */
    atomic_int abort; /* a worker failed */
    long prec_metric;
    double prec_rel;
    const osim__exec *exec;      /* where the chunks run */
    const osim__exec_poll *poll; /* an outer executor's, or NULL */
    osim_mc_progress_fn progress;
    void *progress_ud;
    unsigned progress_ms;
    bool ran;
};

/* ------------------------------------------------------------ one replication */

static int fail(worker *w, int rc, uint64_t rep, size_t t, const char *fmt, const char *what)
{
    w->status = rc;
    w->fail_rep = rep;
    snprintf(w->msg, sizeof(w->msg), "replication %llu under topology %s: %s%s",
             (unsigned long long)rep, w->mc->sc->topologies[w->mc->topo[t]].name, fmt,
             what != NULL ? what : "");
    return rc;
}

/* Every policy writes exactly the classes its model declared, in that
 * order, in every replication (compensation.h); the catalogue was built
 * from the declarations, so check rather than mislabel a column. */
static int check_classes(osim_mc *mc, worker *w, uint64_t rep, size_t t)
{
    size_t p, c;

    for (p = 0; p < mc->P; p++) {
        const osim_mc_policy *mp = &mc->res->policies[p];
        const osim_comp_result *cr = &w->cr[p];
        bool same = cr->classes_count == mp->classes_count;
        for (c = 0; same && c < cr->classes_count; c++)
            same = strcmp(cr->classes[c].name, mp->classes[c]) == 0;
        if (!same) {
            fail(w, OSIM_EINTERNAL, rep, t, "the claimant classes of policy ", mp->name);
            strncat(w->msg, " differ from those its model declared",
                    sizeof(w->msg) - strlen(w->msg) - 1);
            return OSIM_EINTERNAL;
        }
    }
    return 0;
}

/* Fill the row of (rep, topology t) from the worker's results: each
 * metric's getter (results/metrics.c) reads its value. */
static int extract(osim_mc *mc, worker *w, uint64_t rep, size_t t, double *row)
{
    const osim_metric *cat = mc->res->metrics;
    osim__replication view = {mc->sc, w->inc, w->res, w->im, w->cr, mc->res->policies, mc->P};
    size_t m;

    for (m = 0; m < mc->M; m++) {
        double v = osim__metric_value(&cat[m], &view);
        if (!isfinite(v))
            return fail(w, OSIM_ERANGE, rep, t, "not a finite number: ", cat[m].name);
        row[m] = v;
    }
    return 0;
}

/* Replication rep under every selected topology. rows: T * M doubles. */
static int run_replication(osim_mc *mc, worker *w, uint64_t rep, double *rows)
{
    const osim_scenario *sc = mc->sc;
    osim_rng_local lr;
    size_t t, p;
    int rc;

    osim_incident_draw(sc, mc->seed, rep, w->inc);
    for (t = 0; t < mc->T; t++) {
        rc = osim_replay_run(w->rp, w->inc, mc->topo[t], mc->seed, rep, w->res);
        if (rc != 0)
            return fail(w, rc, rep, t, "replay failed: ", osim_strerror(rc));
        osim_rng_local_init(&lr, osim_rng_stream_seed_h(mc->seed, rep, mc->impact_hash[t], 0));
        rc = osim_impact_compute(w->im, w->res, &lr.r);
        if (rc != 0)
            return fail(w, rc, rep, t, "impact failed: ", osim_strerror(rc));
        for (p = 0; p < mc->P; p++) {
            osim_rng_local_init(
                &lr, osim_rng_stream_seed_h(mc->seed, rep, mc->comp_hash[p * mc->T + t], 0));
            rc = osim_comp_eval(&sc->policies[p], w->im, &lr.r, &w->cr[p]);
            if (rc != 0) {
                fail(w, rc, rep, t, "compensation failed under policy ", sc->policies[p].name);
                return rc;
            }
        }
        /* The course of the outage over time, for the figures (series.h). */
        if (w->ser != NULL && (rc = osim_series_add(w->ser, t, w->res, w->im)) != 0)
            return fail(w, rc, rep, t, "series failed: ", osim_strerror(rc));
        if ((rc = check_classes(mc, w, rep, t)) != 0)
            return rc;
        if ((rc = extract(mc, w, rep, t, rows + t * mc->M)) != 0)
            return rc;
    }
    return 0;
}

/* ------------------------------------------------------------ the chunks */

/*
 * The completed replications, by local index: everything below `low`,
 * and above it the ranges completed out of order (a chunk still running
 * leaves a gap). Chunks start in index order, so the ranges are few (about
 * the chunks in flight) and memory does not grow with the run. Updated
 * once per chunk, under a lock.
 */
static int done_add(osim_mc *mc, uint64_t a, uint64_t b)
{
    done_ranges *d = &mc->done;
    size_t i;
    int rc = 0;

    if (a >= b)
        return 0;
    pthread_mutex_lock(&d->lock);
    if (a <= d->low) {
        if (b > d->low)
            d->low = b;
    } else {
        for (i = 0; i < d->n && d->r[2 * i] < a; i++)
            ;
        if (d->n == d->cap) {
            size_t nc = d->cap ? 2 * d->cap : 16;
            uint64_t *nr = realloc(d->r, nc * 2 * sizeof(uint64_t));
            if (nr == NULL) {
                rc = OSIM_ENOMEM;
                goto done;
            }
            d->r = nr;
            d->cap = nc;
        }
        memmove(&d->r[2 * (i + 1)], &d->r[2 * i], (d->n - i) * 2 * sizeof(uint64_t));
        d->r[2 * i] = a;
        d->r[2 * i + 1] = b;
        d->n++;
        /* Join touching neighbours: the one before, then those after. */
        if (i > 0 && d->r[2 * i - 1] >= a) {
            i--;
            if (d->r[2 * i + 3] > d->r[2 * i + 1])
                d->r[2 * i + 1] = d->r[2 * i + 3];
            memmove(&d->r[2 * (i + 1)], &d->r[2 * (i + 2)], (d->n - i - 2) * 2 * sizeof(uint64_t));
            d->n--;
        }
        while (i + 1 < d->n && d->r[2 * i + 1] >= d->r[2 * i + 2]) {
            if (d->r[2 * i + 3] > d->r[2 * i + 1])
                d->r[2 * i + 1] = d->r[2 * i + 3];
            memmove(&d->r[2 * (i + 1)], &d->r[2 * (i + 2)], (d->n - i - 2) * 2 * sizeof(uint64_t));
            d->n--;
        }
    }
    /* Ranges that now touch the prefix join it. */
    while (d->n > 0 && d->r[0] <= d->low) {
        if (d->r[1] > d->low)
            d->low = d->r[1];
        memmove(&d->r[0], &d->r[2], (d->n - 1) * 2 * sizeof(uint64_t));
        d->n--;
    }
done:
    pthread_mutex_unlock(&d->lock);
    return rc;
}

static bool done_at(osim_mc *mc, uint64_t k)
{
    done_ranges *d = &mc->done;
    bool yes;
    size_t i;

    pthread_mutex_lock(&d->lock);
    yes = k < d->low;
    for (i = 0; !yes && i < d->n; i++)
        yes = d->r[2 * i] <= k && k < d->r[2 * i + 1];
    pthread_mutex_unlock(&d->lock);
    return yes;
}

/* How many replications from the start of the range are all done. */
static uint64_t done_prefix(osim_mc *mc)
{
    uint64_t low;

    pthread_mutex_lock(&mc->done.lock);
    low = mc->done.low;
    pthread_mutex_unlock(&mc->done.lock);
    return low;
}

/* Unit u of the job in flight: replications begin..end-1. */
static void chunk_range(const osim_mc *mc, size_t u, uint64_t *begin, uint64_t *end)
{
    *begin = mc->batch_from + (uint64_t)u * mc->chunk;
    *end = mc->batch_to - *begin < mc->chunk ? mc->batch_to : *begin + mc->chunk;
}

/* The replication function the executor runs: one chunk, on the worker of
 * its slot, each row written at its replication's index. */
static int chunk_run(void *ud, unsigned slot, size_t u, const osim__exec_poll *poll,
                     osim_diag *diag)
{
    osim_mc *mc = ud;
    worker *w = &mc->w[slot];
    size_t row = mc->T * mc->M;
    uint64_t rep, begin, end;

    (void)poll; /* a chunk is short: nothing nested to keep alive */
    chunk_range(mc, u, &begin, &end);
    for (rep = begin; rep < end; rep++) {
        uint64_t k = rep - mc->res->from;
        double *out = mc->blockbuf != NULL ? mc->blockbuf + (size_t)(rep - mc->batch_from) * row
                      : mc->spill          ? w->rowbuf + (size_t)(rep - begin) * row
                                           : mc->res->values + (size_t)k * row;
        if (atomic_load_explicit(&mc->stop, memory_order_relaxed) ||
            atomic_load_explicit(&mc->abort, memory_order_relaxed))
            break;
        if (run_replication(mc, w, rep, out) != 0) {
            atomic_store(&mc->abort, 1);
            return osim_diag_set(diag, w->status, NULL, 0, 0, "%s", w->msg);
        }
        atomic_fetch_add_explicit(&mc->done_count, 1, memory_order_relaxed);
    }
    /* On disk: the chunk's completed rows in one put (they are a prefix of it). */
    if (mc->spill && mc->blockbuf == NULL && rep > begin) {
        int rc = osim__spill_put(mc->res->spill, begin, (size_t)(rep - begin), w->rowbuf);
        if (rc != 0) {
            atomic_store(&mc->abort, 1);
            return osim_diag_set(diag, rc, NULL, 0, 0, "cannot write the rows to disk: %s",
                                 osim_strerror(rc));
        }
    }
    /* The rows are stored (or in the block buffer, over processes): done. */
    if (done_add(mc, begin - mc->res->from, rep - mc->res->from) != 0) {
        atomic_store(&mc->abort, 1);
        return osim_diag_set(diag, OSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}

/* On the calling thread while chunks run: progress, and an outer
 * executor's poll (a sweep unit on MPI rank 0 answers the other ranks). */
static void chunk_tick(void *ud)
{
    osim_mc *mc = ud;
    uint64_t done, total;

    if (mc->poll != NULL)
        mc->poll->fn(mc->poll->ud);
    if (mc->progress != NULL) {
        osim_mc_progress(mc, &done, &total);
        mc->progress(mc->progress_ud, done, total);
    }
}

/* ------------------------------------------------------------ over processes */

/* The rows of one block: at most about this much (a message of MPI). */
#define BLOCK_BYTES (4u << 20)

static void block_range(const osim_mc *mc, size_t u, uint64_t *b0, uint64_t *b1)
{
    *b0 = mc->run_from + (uint64_t)u * mc->block_reps;
    *b1 = mc->run_to - *b0 < mc->block_reps ? mc->run_to : *b0 + mc->block_reps;
}

/* Rows rows of replications b0..b1-1 into the result (memory or disk). */
static int store_block(osim_mc *mc, uint64_t b0, uint64_t b1, const double *rows)
{
    size_t row = mc->T * mc->M;

    if (mc->spill)
        return osim__spill_put(mc->res->spill, b0, (size_t)(b1 - b0), rows);
    memcpy(mc->res->values + (size_t)(b0 - mc->res->from) * row, rows,
           (size_t)(b1 - b0) * row * sizeof(double));
    return 0;
}

/* store_block from bytes that may not be aligned for doubles: through
 * blockbuf, which is free between rank 0's own blocks (receive runs between
 * them or from the poll of one, so use a buffer of its own). */
static int store_block_unaligned(osim_mc *mc, uint64_t b0, uint64_t b1, const unsigned char *p)
{
    size_t row = mc->T * mc->M, bytes = (size_t)(b1 - b0) * row * sizeof(double);
    double *tmp = malloc(bytes + 1);
    int rc;

    if (tmp == NULL)
        return OSIM_ENOMEM;
    memcpy(tmp, p, bytes);
    rc = store_block(mc, b0, b1, tmp);
    free(tmp);
    return rc;
}

/* A block on this process: its chunks as one job on the threads. */
static int block_run(void *ud, unsigned slot, size_t u, const osim__exec_poll *poll,
                     osim_diag *diag)
{
    osim_mc *mc = ud;
    osim__exec_job job;
    const osim__exec_poll *outer = mc->poll;
    int rc;

    (void)slot;
    memset(&job, 0, sizeof(job));
    block_range(mc, u, &mc->batch_from, &mc->batch_to);
    job.count = (size_t)((mc->batch_to - mc->batch_from + mc->chunk - 1) / mc->chunk);
    job.slots = mc->nworkers;
    job.run = chunk_run;
    job.stop = &mc->stop;
    job.ud = mc;
    /* Rank 0 answers the other ranks while its own block runs. */
    if (poll != NULL)
        mc->poll = poll;
    if (mc->progress != NULL || mc->poll != NULL) {
        job.tick = chunk_tick;
        job.tick_ms = mc->progress_ms;
        if (mc->poll != NULL && mc->poll->period_ms != 0 && mc->poll->period_ms < job.tick_ms)
            job.tick_ms = mc->poll->period_ms;
    }
    rc = mc->exec->run(mc->exec, &job, diag);
    mc->poll = outer;
    return rc;
}

/* Rank 0, a block it ran: stored (its done bits are set already). */
static int block_deliver(void *ud, unsigned slot, size_t u, osim_diag *diag)
{
    osim_mc *mc = ud;
    uint64_t b0, b1;
    int rc;

    (void)slot;
    block_range(mc, u, &b0, &b1);
    if ((rc = store_block(mc, b0, b1, mc->blockbuf)) != 0)
        return osim_diag_set(diag, rc, NULL, 0, 0, "cannot store the rows: %s", osim_strerror(rc));
    return 0;
}

/*
 * Another rank, a block it ran, for rank 0: one byte per replication (done
 * or not: a stop can cut a block short), the rows, and the counts of the
 * series its threads made meanwhile (then started afresh).
 */
static int block_pack(void *ud, unsigned slot, size_t u, void **buf, size_t *len)
{
    osim_mc *mc = ud;
    size_t row = mc->T * mc->M, n, i, slen = 0;
    uint64_t b0, b1, hdr[3];
    void *sbuf = NULL;
    unsigned char *p;
    int rc = 0;

    (void)slot;
    block_range(mc, u, &b0, &b1);
    n = (size_t)(b1 - b0);
    if (mc->series != NULL) {
        osim_series *acc = NULL;
        unsigned k;
        if ((rc = osim_series_new_like(mc->series, &acc)) != 0)
            return rc;
        for (k = 0; k < mc->nworkers && rc == 0; k++) {
            osim_series *fresh = NULL;
            if ((rc = osim_series_merge(acc, mc->w[k].ser, NULL)) == 0 &&
                (rc = osim_series_new_like(mc->series, &fresh)) == 0) {
                osim_series_free(mc->w[k].ser);
                mc->w[k].ser = fresh;
            }
        }
        if (rc == 0)
            rc = osim_series_pack(acc, &sbuf, &slen);
        osim_series_free(acc);
        if (rc != 0)
            return rc;
    }
    *len = sizeof(hdr) + n + n * row * sizeof(double) + slen;
    if ((p = malloc(*len)) == NULL) {
        free(sbuf);
        return OSIM_ENOMEM;
    }
    hdr[0] = b0;
    hdr[1] = b1;
    hdr[2] = slen;
    memcpy(p, hdr, sizeof(hdr));
    for (i = 0; i < n; i++)
        p[sizeof(hdr) + i] = done_at(mc, b0 + i - mc->res->from) ? 1 : 0;
    memcpy(p + sizeof(hdr) + n, mc->blockbuf, n * row * sizeof(double));
    if (slen > 0)
        memcpy(p + sizeof(hdr) + n + n * row * sizeof(double), sbuf, slen);
    free(sbuf);
    *buf = p;
    return 0;
}

/* Rank 0, a block another rank ran: stored, its done bits and series counts added. */
static int block_receive(void *ud, size_t u, const void *buf, size_t len, osim_diag *diag)
{
    osim_mc *mc = ud;
    size_t row = mc->T * mc->M, n, i;
    const unsigned char *p = buf;
    uint64_t b0, b1, hdr[3];
    int rc;

    block_range(mc, u, &b0, &b1);
    n = (size_t)(b1 - b0);
    if (len < sizeof(hdr))
        return osim_diag_set(diag, OSIM_EINTERNAL, NULL, 0, 0, "a malformed block");
    memcpy(hdr, p, sizeof(hdr));
    if (hdr[0] != b0 || hdr[1] != b1 || len != sizeof(hdr) + n + n * row * sizeof(double) + hdr[2])
        return osim_diag_set(diag, OSIM_EINTERNAL, NULL, 0, 0, "a malformed block");
    /* The rows may not be aligned in the message: copy them out first. */
    if ((rc = store_block_unaligned(mc, b0, b1, p + sizeof(hdr) + n)) != 0)
        return osim_diag_set(diag, rc, NULL, 0, 0, "cannot store the rows: %s", osim_strerror(rc));
    for (i = 0; i < n; i++) {
        size_t j = i;
        while (j < n && p[sizeof(hdr) + j])
            j++;
        if (j > i && done_add(mc, b0 + i - mc->res->from, b0 + j - mc->res->from) != 0)
            return OSIM_ENOMEM;
        atomic_fetch_add_explicit(&mc->done_count, j - i, memory_order_relaxed);
        i = j;
    }
    if (hdr[2] > 0 && mc->series != NULL)
        return osim_series_add_packed(mc->series, p + sizeof(hdr) + n + n * row * sizeof(double),
                                      (size_t)hdr[2], diag);
    return 0;
}

/* The range next..target-1 in blocks over the processes. */
static int run_blocks(osim_mc *mc, osim_diag *diag)
{
    osim__exec_job job;
    int rank, size;

    osim__procs_where(&rank, &size);
    memset(&job, 0, sizeof(job));
    mc->run_from = mc->next;
    mc->run_to = mc->target;
    /* Several blocks per rank, each at most BLOCK_BYTES of rows. */
    mc->block_reps = (mc->run_to - mc->run_from + (uint64_t)size * 4 - 1) / ((uint64_t)size * 4);
    if (mc->block_reps > BLOCK_BYTES / (mc->T * mc->M * sizeof(double) + 1))
        mc->block_reps = BLOCK_BYTES / (mc->T * mc->M * sizeof(double) + 1);
    if (mc->block_reps < mc->chunk)
        mc->block_reps = mc->chunk;
    free(mc->blockbuf);
    if ((mc->blockbuf = malloc((size_t)mc->block_reps * mc->T * mc->M * sizeof(double) + 1)) ==
        NULL)
        return OSIM_ENOMEM;
    job.count = (size_t)((mc->run_to - mc->run_from + mc->block_reps - 1) / mc->block_reps);
    job.slots = 1; /* one block at a time per process; its chunks use the threads */
    job.run = block_run;
    job.deliver = block_deliver;
    job.pack = block_pack;
    job.receive = block_receive;
    job.stop = &mc->stop;
    job.ud = mc;
    mc->next = mc->target;
    return mc->procs->run(mc->procs, &job, diag);
}

/* Run the chunks of next..target-1 as one job. */
static int run_batch(osim_mc *mc, osim_diag *diag)
{
    osim__exec_job job;

    if (mc->procs != NULL)
        return run_blocks(mc, diag);
    memset(&job, 0, sizeof(job));
    mc->batch_from = mc->next;
    mc->batch_to = mc->target;
    job.count = (size_t)((mc->target - mc->next + mc->chunk - 1) / mc->chunk);
    job.slots = mc->nworkers;
    job.run = chunk_run;
    job.stop = &mc->stop;
    job.ud = mc;
    if (mc->progress != NULL || mc->poll != NULL) {
        job.tick = chunk_tick;
        job.tick_ms = mc->progress_ms;
        if (mc->poll != NULL && mc->poll->period_ms != 0 && mc->poll->period_ms < job.tick_ms)
            job.tick_ms = mc->poll->period_ms;
    }
    mc->next = mc->target;
    return mc->exec->run(mc->exec, &job, diag);
}

void osim__mc_set_exec(osim_mc *mc, const osim__exec *ex)
{
    mc->exec = ex != NULL ? ex : osim__exec_pool();
}

void osim__mc_set_procs(osim_mc *mc, const osim__exec *procs)
{
    mc->procs = procs;
}

void osim__mc_set_poll(osim_mc *mc, const osim__exec_poll *poll)
{
    mc->poll = poll;
}

/* ------------------------------------------------------------ set-up */

static void worker_free(worker *w)
{
    osim_replay_free(w->rp);
    osim_incident_free(w->inc);
    osim_replay_result_free(w->res);
    osim_impact_free(w->im);
    osim_series_free(w->ser);
    free(w->cr);
    free(w->rowbuf);
}

static int worker_init(osim_mc *mc, worker *w)
{
    const osim_scenario *sc = mc->sc;
    int rc;

    memset(w, 0, sizeof(*w));
    w->mc = mc;
    if ((rc = osim_replay_new(sc, &w->rp)) != 0 || (rc = osim_incident_new(sc, &w->inc)) != 0 ||
        (rc = osim_replay_result_new(sc, &w->res)) != 0 || (rc = osim_impact_new(sc, &w->im)) != 0)
        return rc;
    if (mc->series != NULL && (rc = osim_series_new_like(mc->series, &w->ser)) != 0)
        return rc;
    w->cr = calloc(mc->P + 1, sizeof(*w->cr));
    return w->cr != NULL ? 0 : OSIM_ENOMEM;
}

/* "prefix<a>/<b>" hashed, without allocating for short names. */
static uint64_t hash_name(const char *prefix, const char *a, const char *b)
{
    char buf[512];

    snprintf(buf, sizeof(buf), "%s%s%s%s", prefix, a, b != NULL ? "/" : "", b != NULL ? b : "");
    return osim_rng_name_hash(buf);
}

static int cmp_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;

    return a < b ? -1 : a > b;
}

static char *dup_or_empty(const char *s)
{
    return osim__strdup(s != NULL ? s : "");
}

/* The scenario's sources and provenance, flattened (result.h). */
static int result_provenance(const osim_scenario *sc, osim_mc_result *r)
{
    size_t i, j, k = 0;

    if (sc->sources_count > 0) {
        r->sources = calloc(sc->sources_count * OSIM_MC_SOURCE_FIELDS, sizeof(char *));
        if (r->sources == NULL)
            return OSIM_ENOMEM;
    }
    for (i = 0; i < sc->sources_count; i++) {
        const osim_source *s = &sc->sources[i];
        const char *f[OSIM_MC_SOURCE_FIELDS] = {s->id,   s->title, s->publisher,
                                                s->date, s->url,   s->note};
        for (j = 0; j < OSIM_MC_SOURCE_FIELDS; j++) {
            if ((r->sources[k] = dup_or_empty(f[j])) == NULL)
                return OSIM_ENOMEM;
            r->sources_count = ++k;
        }
    }
    if (sc->provenance_count > 0) {
        r->provenance = calloc(sc->provenance_count * OSIM_MC_PROV_FIELDS, sizeof(char *));
        if (r->provenance == NULL)
            return OSIM_ENOMEM;
    }
    for (i = 0, k = 0; i < sc->provenance_count; i++) {
        const osim_provenance *p = &sc->provenance[i];
        size_t n = 1;
        char *ids;
        for (j = 0; j < p->ids_count; j++)
            n += strlen(p->ids[j]) + 1;
        if ((ids = calloc(n, 1)) == NULL)
            return OSIM_ENOMEM;
        for (j = 0; j < p->ids_count; j++) {
            if (j > 0)
                strcat(ids, " ");
            strcat(ids, p->ids[j]);
        }
        r->provenance[k] = dup_or_empty(p->path);
        r->provenance[k + 1] = dup_or_empty(osim_provenance_kind_name(p->kind));
        r->provenance[k + 2] = ids;
        r->provenance[k + 3] = dup_or_empty(p->reason);
        r->provenance[k + 4] = dup_or_empty(p->note);
        k += OSIM_MC_PROV_FIELDS;
        r->provenance_count = k;
        for (j = 1; j <= OSIM_MC_PROV_FIELDS; j++)
            if (r->provenance[k - j] == NULL)
                return OSIM_ENOMEM;
    }
    return 0;
}

/* The identity of the run: version, scenario, seed, range start, overrides. */
static int result_identity(const osim_scenario *sc, const osim_mc_options *opt, osim_mc_result *r)
{
    const osim_economics *ec = &sc->economics;
    size_t i;

    r->baseline_index = -1;
    r->version = osim__strdup(OSIM_VERSION);
    r->scenario_name = osim__strdup(sc->name != NULL ? sc->name : "");
    r->scenario_file = osim__strdup(sc->path != NULL ? sc->path : "");
    r->baseline = osim__strdup(ec->baseline != NULL ? ec->baseline : sc->topologies[0].name);
    if (!r->version || !r->scenario_name || !r->scenario_file || !r->baseline)
        return OSIM_ENOMEM;
    memcpy(r->sha256, sc->sha256, sizeof(r->sha256));
    r->sha256[64] = '\0';
    r->seed = opt->seed;
    r->currency = osim_currency_find(sc->currency);
    if (r->currency == NULL)
        r->currency = osim_currency_default();
    r->from = opt->from;
    r->to = opt->from;
    r->incident_probability = ec->incident_probability_per_year;
    if (result_provenance(sc, r) != 0)
        return OSIM_ENOMEM;

    if (opt->overrides_count == 0)
        return 0;
    if ((r->overrides = calloc(opt->overrides_count, sizeof(char *))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < opt->overrides_count; i++) {
        size_t n = strlen(opt->overrides[i].path) + strlen(opt->overrides[i].value) + 2;
        if ((r->overrides[i] = malloc(n)) == NULL)
            return OSIM_ENOMEM;
        snprintf(r->overrides[i], n, "%s=%s", opt->overrides[i].path, opt->overrides[i].value);
        r->overrides_count++;
    }
    return 0;
}

/* The selected topologies, in run order, with their annual cost. */
static int result_topologies(const osim_mc *mc, osim_mc_result *r)
{
    const osim_scenario *sc = mc->sc;
    size_t i;

    r->topologies = calloc(mc->T, sizeof(char *));
    r->annual_cost_krw = calloc(mc->T, sizeof(int64_t));
    if (r->topologies == NULL || r->annual_cost_krw == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < mc->T; i++) {
        if ((r->topologies[i] = osim__strdup(sc->topologies[mc->topo[i]].name)) == NULL)
            return OSIM_ENOMEM;
        r->topologies_count++;
        r->annual_cost_krw[i] = sc->topologies[mc->topo[i]].annual_cost_krw;
    }
    return 0;
}

static const char *site_name(const osim_scenario *sc, size_t i)
{
    return sc->sites[sc->incident[i].site].name;
}

static const char *service_name(const osim_scenario *sc, size_t i)
{
    return sc->services[i].name;
}

static const char *segment_name(const osim_scenario *sc, size_t i)
{
    return sc->segments[i].name;
}

/* *v = copies of name(sc, 0..n-1), *count those made so far (the result
 * frees them on failure); nothing for n == 0. */
static int copy_names(const osim_scenario *sc, size_t n,
                      const char *(*name)(const osim_scenario *, size_t), char ***v, size_t *count)
{
    size_t i;

    if (n == 0)
        return 0;
    if ((*v = calloc(n, sizeof(char *))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < n; i++) {
        if (((*v)[i] = osim__strdup(name(sc, i))) == NULL)
            return OSIM_ENOMEM;
        (*count)++;
    }
    return 0;
}

/* One policy: names, whether it counts in the economics, and the claimant
 * classes its model declares (the columns its rows will hold). */
static int result_policy(const osim_scenario *sc, size_t i, osim_mc_policy *p, osim_diag *diag)
{
    const osim_policy *sp = &sc->policies[i];
    const osim_economics *ec = &sc->economics;
    osim_comp_shape shape;
    size_t c;
    int rc;

    p->name = osim__strdup(sp->name);
    p->model = osim__strdup(sp->model_name != NULL ? sp->model_name : "");
    p->legal_basis = osim__strdup(sp->legal_basis != NULL ? sp->legal_basis : "");
    if (p->name == NULL || p->model == NULL || p->legal_basis == NULL)
        return OSIM_ENOMEM;
    if (sp->converted_from != NULL) {
        if ((p->converted_from = osim__strdup(sp->converted_from)) == NULL)
            return OSIM_ENOMEM;
        p->converted_rate = sp->converted_rate;
    }
    /* An empty economics.policies list counts every policy (the format's default). */
    p->in_economics = ec->policies_count == 0;
    for (c = 0; c < ec->policies_count; c++)
        if (ec->policies[c] == i)
            p->in_economics = true;
    if ((rc = osim_comp_declare(sp, sc, &shape)) != 0)
        return osim_diag_set(diag, rc, NULL, 0, 0,
                             "policy %s: its model cannot declare its claimant classes: %s",
                             sp->name, osim_strerror(rc));
    if (shape.classes_count == 0)
        return 0;
    if ((p->classes = calloc(shape.classes_count, sizeof(char *))) == NULL)
        return OSIM_ENOMEM;
    for (c = 0; c < shape.classes_count; c++) {
        if ((p->classes[c] = osim__strdup(shape.classes[c])) == NULL)
            return OSIM_ENOMEM;
        p->classes_count++;
    }
    return 0;
}

/* Does some placement of any topology keep backups (the copies metrics)? */
static bool has_backups(const osim_scenario *sc)
{
    size_t t, s;

    for (t = 0; t < sc->topologies_count; t++)
        for (s = 0; s < sc->services_count; s++)
            if (sc->topologies[t].placements[s].backups_count > 0)
                return true;
    return false;
}

/*
 * The run's shape and identity, a pure function of the scenario and the
 * selected topologies: no replication is played, so a run starting at any
 * index has the same catalogue.
 */
static int build_result(osim_mc *mc, const osim_mc_options *opt, osim_diag *diag)
{
    const osim_scenario *sc = mc->sc;
    osim_mc_result *r = calloc(1, sizeof(*r));
    size_t i;
    int rc;

    if (r == NULL)
        return OSIM_ENOMEM;
    mc->res = r; /* freed with mc on failure */
    if ((rc = result_identity(sc, opt, r)) != 0 || (rc = result_topologies(mc, r)) != 0 ||
        (rc = copy_names(sc, sc->incident_count, site_name, &r->sites, &r->sites_count)) != 0 ||
        (rc = copy_names(sc, sc->services_count, service_name, &r->services, &r->services_count)) !=
            0 ||
        (rc = copy_names(sc, sc->segments_count, segment_name, &r->segments, &r->segments_count)) !=
            0)
        return rc;
    r->copies = has_backups(sc);
    if ((r->policies = calloc(mc->P + 1, sizeof(*r->policies))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < mc->P; i++) {
        r->policies_count++;
        if ((rc = result_policy(sc, i, &r->policies[i], diag)) != 0)
            return rc;
    }
    return osim_mc_result_catalogue(r);
}

static int check_options(const osim_scenario *sc, const osim_mc_options *opt, osim_diag *diag)
{
    size_t i;

    if (sc == NULL || opt == NULL)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "no scenario or no options");
    if (opt->to <= opt->from)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "empty replication range [%llu, %llu)",
                             (unsigned long long)opt->from, (unsigned long long)opt->to);
    if (opt->threads < 1)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "threads must be at least 1");
    if (sc->topologies_count == 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "the scenario has no topology");
    if (opt->topologies != NULL && opt->topologies_count == 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "no topology selected");
    for (i = 0; opt->topologies != NULL && i < opt->topologies_count; i++)
        if (opt->topologies[i] >= sc->topologies_count)
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "topology index %zu out of range",
                                 opt->topologies[i]);
    if (opt->precision_metric != NULL && !(opt->precision_rel > 0.0 && opt->precision_rel < 1.0))
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "precision must be a relative half-width in (0, 1), e.g. 0.05");
    return 0;
}

/* Step 1: the run's own settings, from the options. */
static osim_mc *mc_alloc(const osim_scenario *sc, const osim_mc_options *opt)
{
    osim_mc *mc = calloc(1, sizeof(*mc));

    if (mc == NULL)
        return NULL;
    mc->sc = sc;
    mc->seed = opt->seed;
    mc->chunk = opt->chunk != 0 ? opt->chunk : DEFAULT_CHUNK;
    mc->P = sc->policies_count;
    mc->progress = opt->progress;
    mc->progress_ud = opt->progress_ud;
    mc->progress_ms = opt->progress_ms != 0 ? opt->progress_ms : DEFAULT_PROGRESS_MS;
    mc->prec_metric = -1;
    mc->exec = osim__exec_pool();
    atomic_init(&mc->done_count, 0);
    pthread_mutex_init(&mc->done.lock, NULL);
    atomic_init(&mc->stop, 0);
    atomic_init(&mc->abort, 0);
    return mc;
}

/* Step 2: the selected topologies, in ascending scenario order, each once,
 * and the names of their random streams ("impact/<topology>",
 * "comp/<policy>/<topology>"). */
static int select_topologies(osim_mc *mc, const osim_mc_options *opt)
{
    const osim_scenario *sc = mc->sc;
    size_t i, j, t;

    mc->T = opt->topologies != NULL ? opt->topologies_count : sc->topologies_count;
    if ((mc->topo = malloc(mc->T * sizeof(*mc->topo))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < mc->T; i++)
        mc->topo[i] = opt->topologies != NULL ? opt->topologies[i] : i;
    qsort(mc->topo, mc->T, sizeof(*mc->topo), cmp_size);
    for (i = j = 0; i < mc->T; i++)
        if (j == 0 || mc->topo[j - 1] != mc->topo[i])
            mc->topo[j++] = mc->topo[i];
    mc->T = j;

    mc->impact_hash = malloc(mc->T * sizeof(uint64_t));
    mc->comp_hash = malloc((mc->P * mc->T + 1) * sizeof(uint64_t));
    if (mc->impact_hash == NULL || mc->comp_hash == NULL)
        return OSIM_ENOMEM;
    for (t = 0; t < mc->T; t++) {
        const char *tn = sc->topologies[mc->topo[t]].name;
        mc->impact_hash[t] = hash_name("impact/", tn, NULL);
        for (i = 0; i < mc->P; i++)
            mc->comp_hash[i * mc->T + t] = hash_name("comp/", sc->policies[i].name, tn);
    }
    return 0;
}

/* Step 3: the series to count into (checked against the run), and one
 * worker per thread. */
static int make_workers(osim_mc *mc, const osim_mc_options *opt, osim_diag *diag)
{
    unsigned k;
    int rc;

    if (opt->series != NULL) {
        if (osim_series_compatible(opt->series, mc->sc, opt->seed, mc->topo, mc->T) != 0)
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                 "the series was made for another scenario, seed or topologies");
        mc->series = opt->series;
    }
    mc->nworkers = opt->threads;
    if ((mc->w = calloc(mc->nworkers, sizeof(*mc->w))) == NULL)
        return OSIM_ENOMEM;
    for (k = 0; k < mc->nworkers; k++)
        if ((rc = worker_init(mc, &mc->w[k])) != 0)
            return rc;
    return 0;
}

/* Step 4: the result's shape and catalogue, from the declarations of the
 * scenario's models and the selected topologies alone (build_result): no
 * replication is played, so a run starting at any index has the same shape. */
static int learn_shape(osim_mc *mc, const osim_mc_options *opt, osim_diag *diag)
{
    int rc;

    if ((rc = build_result(mc, opt, diag)) != 0)
        return rc;
    mc->M = mc->res->metrics_count;
    return 0;
}

/* Step 5: the run-length control's metric, by name. */
static int set_precision(osim_mc *mc, const osim_mc_options *opt, osim_diag *diag)
{
    if (opt->precision_metric == NULL)
        return 0;
    mc->prec_metric = osim_mc_result_metric_index(mc->res, opt->precision_metric);
    if (mc->prec_metric < 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "unknown metric '%s' for --precision (the metric names are the "
                             "columns of replications.csv, e.g. %s or full_recovery_h)",
                             opt->precision_metric, OSIM__MC_INCIDENT_COST);
    mc->prec_rel = opt->precision_rel;
    mc->res->precision_metric = osim__strdup(opt->precision_metric);
    mc->res->precision_rel = opt->precision_rel;
    return mc->res->precision_metric != NULL ? 0 : OSIM_ENOMEM;
}

/*
 * Rows on disk: the folder must have room for them (checked now, not when
 * the disk fills hours into the run), and each worker gets a buffer for
 * one chunk's rows. most: bytes of rows the run may write.
 */
static int start_spill(osim_mc *mc, const osim_mc_options *opt, double most, osim_diag *diag)
{
    const char *dir = opt->spill_dir != NULL && opt->spill_dir[0] != '\0' ? opt->spill_dir : "/tmp";
    struct statvfs fs;
    unsigned k;
    int rc;

    if (statvfs(dir, &fs) == 0 && (double)fs.f_bavail * (double)fs.f_frsize < most)
        return osim_diag_set(diag, OSIM_EIO, dir, 0, 0,
                             "cannot hold %llu replications in memory or on disk: their rows "
                             "need %.1f GB and this folder has %.1f GB free (set TMPDIR to a "
                             "larger disk, or run fewer)",
                             (unsigned long long)(mc->target - mc->from), most / 1e9,
                             (double)fs.f_bavail * (double)fs.f_frsize / 1e9);
    if ((rc = osim_mc_result_spill(mc->res, dir, opt->rows_memory_bytes, diag)) != 0)
        return rc;
    mc->spill = true;
    for (k = 0; k < mc->nworkers; k++)
        if ((mc->w[k].rowbuf = malloc((size_t)mc->chunk * mc->T * mc->M * sizeof(double) + 1)) ==
            NULL)
            return OSIM_ENOMEM;
    return 0;
}

/* Step 6: room for every row of the range (quantiles need them all), in
 * memory or, beyond opt->rows_memory_bytes, on disk. */
static int reserve_rows(osim_mc *mc, const osim_mc_options *opt, osim_diag *diag)
{
    uint64_t n = opt->to - opt->from;
    double mb, most;
    int rc;

    mc->from = opt->from;
    mc->next = opt->from;
    mc->target = opt->to;
    mc->max_to = opt->max_to > opt->to ? opt->max_to : opt->to;
    /* The most rows the run may hold: up to max_to only when a precision
     * target may extend it. */
    most = (double)((mc->prec_metric >= 0 ? mc->max_to : mc->target) - mc->from) *
           (double)(mc->T * mc->M) * (double)sizeof(double);
    if (opt->rows_memory_bytes > 0 && most > (double)opt->rows_memory_bytes) {
        rc = start_spill(mc, opt, most, diag);
        if (rc == OSIM_ENOMEM && diag != NULL && diag->code == 0)
            osim_diag_set(diag, rc, NULL, 0, 0, "out of memory for the rows' buffers");
        return rc;
    }
    if (osim_mc_result_reserve(mc->res, n) == 0)
        return 0;
    mb = (double)n * (double)(mc->T * mc->M) * 8.0 / 1e6;
    return osim_diag_set(diag, OSIM_ENOMEM, NULL, 0, 0,
                         "cannot hold %llu replications in memory (%.0f MB: %zu values each); "
                         "run fewer, or keep the rows on disk (run --rows-memory)",
                         (unsigned long long)n, mb, mc->T * mc->M);
}

int osim_mc_new(const osim_scenario *sc, const osim_mc_options *opt, osim_mc **out, osim_diag *diag)
{
    osim_mc *mc;
    int rc;

    if ((rc = check_options(sc, opt, diag)) != 0)
        return rc;
    if ((mc = mc_alloc(sc, opt)) == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    if ((rc = select_topologies(mc, opt)) != 0 || (rc = make_workers(mc, opt, diag)) != 0 ||
        (rc = learn_shape(mc, opt, diag)) != 0 || (rc = set_precision(mc, opt, diag)) != 0 ||
        (rc = reserve_rows(mc, opt, diag)) != 0)
        goto fail;
    *out = mc;
    return 0;
fail:
    osim_mc_free(mc);
    /* The steps' allocations fail without a message of their own (under
     * ulimit -v, often the threads' working state): say it once, here. */
    if (rc == OSIM_ENOMEM && diag != NULL && diag->code == 0)
        osim_diag_set(diag, rc, NULL, 0, 0,
                      "out of memory preparing the run with %u threads (each thread holds its "
                      "own working state: fewer threads need less)",
                      opt->threads);
    return rc;
}

/* ------------------------------------------------------------ the run */

/* Worst relative half-width of the precision metric over topologies, from
 * the first n rows; INFINITY when a mean is 0 but the spread is not. */
static int precision_now(osim_mc *mc, uint64_t n, double *achieved)
{
    osim_mc_result *r = mc->res;
    double *work = malloc((mc->spill ? 0 : (size_t)n) * sizeof(double) + 1), worst = 0.0;
    size_t t;
    int rc = 0;

    if (work == NULL)
        return OSIM_ENOMEM;
    if (mc->spill && (rc = osim__spill_flush(r->spill)) != 0) {
        free(work);
        return rc;
    }
    for (t = 0; t < mc->T; t++) {
        osim_stats s;
        double hw, rel;
        if (mc->spill) /* only the mean and interval: one column, read back */
            rc = osim_mc_result_stats_of(r, t, (size_t)mc->prec_metric, n, false, &s);
        else
            rc = osim_stats_compute(r->values + t * mc->M + (size_t)mc->prec_metric, mc->T * mc->M,
                                    (size_t)n, work, &s);
        if (rc != 0)
            break;
        hw = osim_stats_half_width(&s);
        rel = hw == 0.0 ? 0.0 : s.mean == 0.0 ? INFINITY : hw / fabs(s.mean);
        if (rel > worst)
            worst = rel;
    }
    free(work);
    *achieved = worst;
    return rc;
}

/* Grow the range to what the precision target needs; false when done. */
static int precision_extend(osim_mc *mc, bool *more)
{
    uint64_t from = mc->res->from, n = mc->target - from, want, cap = mc->max_to - from;
    double achieved, ratio;
    int rc;

    *more = false;
    if ((rc = precision_now(mc, n, &achieved)) != 0)
        return rc;
    mc->res->precision_achieved = achieved;
    mc->res->precision_met = achieved <= mc->prec_rel;
    if (mc->res->precision_met || n >= cap)
        return 0;
    /* The half-width shrinks like 1/sqrt(n): aim 10% past the estimate,
     * and grow by at least a tenth so that a noisy estimate cannot stall. */
    ratio = isfinite(achieved) ? achieved / mc->prec_rel : 2.0;
    want = (uint64_t)ceil(1.1 * (double)n * ratio * ratio);
    if (want < n + n / 10 + 1)
        want = n + n / 10 + 1;
    if (want > cap)
        want = cap;
    if ((rc = osim_mc_result_reserve(mc->res, want)) != 0)
        return rc;
    mc->target = from + want;
    *more = true;
    return 0;
}

/*
 * The series of the run (opt->series): the sum of the workers' series,
 * less the replications that completed beyond the prefix the result keeps
 * (an interrupted run), which are played again and subtracted -- counts
 * are integers, so the series then covers exactly the result's range.
 */
static int series_finish(osim_mc *mc, uint64_t prefix, uint64_t n, osim_diag *diag)
{
    worker *w = &mc->w[0];
    osim_rng_local lr;
    uint64_t k;
    unsigned i;
    size_t t;
    int rc;

    for (i = 0; i < mc->nworkers; i++)
        if (mc->w[i].ser != NULL && (rc = osim_series_merge(mc->series, mc->w[i].ser, diag)) != 0)
            return rc;
    for (k = prefix; k < n; k++) {
        uint64_t rep = mc->res->from + k;
        if (!done_at(mc, k))
            continue;
        osim_incident_draw(mc->sc, mc->seed, rep, w->inc);
        for (t = 0; t < mc->T; t++) {
            rc = osim_replay_run(w->rp, w->inc, mc->topo[t], mc->seed, rep, w->res);
            if (rc == 0) {
                osim_rng_local_init(&lr,
                                    osim_rng_stream_seed_h(mc->seed, rep, mc->impact_hash[t], 0));
                rc = osim_impact_compute(w->im, w->res, &lr.r);
            }
            if (rc == 0)
                rc = osim_series_sub(mc->series, t, w->res, w->im);
            if (rc != 0)
                return osim_diag_set(diag, rc, NULL, 0, 0,
                                     "series: replaying replication %llu failed: %s",
                                     (unsigned long long)rep, osim_strerror(rc));
        }
    }
    osim_series_set_range(mc->series, mc->res->from, mc->res->from + prefix);
    return 0;
}

/* Run the range, batch after batch while the precision target wants more. */
static int run_batches(osim_mc *mc, osim_diag *diag)
{
    int rc;

    for (;;) {
        bool more = false;
        if ((rc = run_batch(mc, diag)) != 0)
            return rc;
        if (atomic_load(&mc->stop) || mc->prec_metric < 0)
            return 0;
        if ((rc = precision_extend(mc, &more)) != 0)
            return osim_diag_set(diag, rc, NULL, 0, 0, "run-length control: %s", osim_strerror(rc));
        if (!more)
            return 0;
    }
}

int osim_mc_run(osim_mc *mc, osim_diag *diag)
{
    osim_mc_result *r = mc->res;
    uint64_t prefix = 0, n;
    int rc = 0;

    if (mc->ran || r == NULL)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "a run can be started only once");
    mc->ran = true;
    if ((rc = run_batches(mc, diag)) != 0)
        return rc;
    /* Over processes, only the collecting one (rank 0) holds the rows. */
    if (mc->procs != NULL && !mc->procs->collector(mc->procs))
        return 0;

    n = mc->target - r->from;
    prefix = done_prefix(mc);
    if (prefix > n)
        prefix = n;
    r->to = r->from + prefix;
    r->interrupted = prefix < n;
    if (mc->series != NULL && (rc = series_finish(mc, prefix, n, diag)) != 0)
        return rc;
    if (r->interrupted && mc->prec_metric >= 0)
        r->precision_met = false;
    if (mc->progress != NULL)
        mc->progress(mc->progress_ud, atomic_load(&mc->done_count), n);
    if ((rc = osim_mc_result_summarise(r, diag)) != 0)
        return rc;
    if (mc->prec_metric >= 0 && prefix > 0) {
        double achieved;
        if ((rc = precision_now(mc, prefix, &achieved)) != 0)
            return rc;
        r->precision_achieved = achieved;
        r->precision_met = achieved <= mc->prec_rel;
    }
    return r->interrupted ? OSIM_ESTOPPED : 0;
}

void osim_mc_stop(osim_mc *mc)
{
    if (mc != NULL)
        atomic_store(&mc->stop, 1);
}

void osim_mc_progress(const osim_mc *mc, uint64_t *done, uint64_t *total)
{
    osim_mc *m = (osim_mc *)mc; /* atomics are read-only here */

    *done = atomic_load_explicit(&m->done_count, memory_order_relaxed);
    *total = mc->target - mc->from;
}

bool osim_mc_spills(const osim_mc *mc)
{
    return mc->spill;
}

const osim_metric *osim_mc_metrics(const osim_mc *mc, size_t *count)
{
    *count = mc->res != NULL ? mc->res->metrics_count : 0;
    return mc->res != NULL ? mc->res->metrics : NULL;
}

osim_mc_result *osim_mc_take_result(osim_mc *mc)
{
    osim_mc_result *r = mc->res;

    mc->res = NULL;
    return r;
}

void osim_mc_free(osim_mc *mc)
{
    unsigned k;

    if (mc == NULL)
        return;
    if (mc->w != NULL)
        for (k = 0; k < mc->nworkers; k++)
            worker_free(&mc->w[k]);
    free(mc->w);
    osim_mc_result_free(mc->res);
    free(mc->done.r);
    pthread_mutex_destroy(&mc->done.lock);
    free(mc->blockbuf);
    free(mc->topo);
    free(mc->impact_hash);
    free(mc->comp_hash);
    free(mc);
}
