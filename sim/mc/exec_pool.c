/*
 * exec_pool.c -- the thread executor: a job's units on libuv's thread pool
 * (uv_queue_work), at most job->slots at once, a private loop on the
 * calling thread for the after-callbacks and the tick timer.
 *
 * Invariant: a slot runs one unit at a time, and the loop thread touches
 * a slot only between its units (uv_queue_work's after-callback orders
 * the two), so a job's per-slot state needs no lock. Which slot or thread
 * ran a unit never shows in a result: units write by replication index.
 *
 * libuv sizes its pool once per process, from UV_THREADPOOL_SIZE, when the
 * pool is first used, and aborts if it cannot start the threads. This
 * file is the one place that sets that variable (osim__exec_pool_reserve),
 * before the first uv_queue_work, after checking that the threads can be
 * started: a shortage of threads is an error code, not an abort.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "mc/exec.h"

#define POOL_MAX 1024u /* libuv's own limit */

/* ------------------------------------------------------------ pool size */

/* The pool is libuv's, and so process-wide: so is what we know of it. */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned pool_size; /* 0 until sized */

static void idle_thread(void *arg)
{
    (void)arg;
}

/* Can n threads be started (and stopped again)? */
static int probe_threads(unsigned n)
{
    uv_thread_t *t = malloc((size_t)n * sizeof(*t));
    unsigned k, started = 0;
    int rc = 0;

    if (t == NULL)
        return OSIM_ENOMEM;
    for (k = 0; k < n; k++) {
        if (uv_thread_create(&t[k], idle_thread, NULL) != 0) {
            rc = OSIM_ENOMEM;
            break;
        }
        started++;
    }
    for (k = 0; k < started; k++)
        uv_thread_join(&t[k]);
    free(t);
    return rc;
}

int osim__exec_pool_reserve(unsigned threads, unsigned *granted, osim_diag *diag)
{
    unsigned want = threads, k;
    const char *env;
    char buf[32];
    int rc = 0;

    pthread_mutex_lock(&pool_lock);
    if (pool_size == 0) {
        /* Size it for any later run of this process too (a run uses at most
         * its `threads` of it): the cores, or a size the user set. */
        int cores = (int)uv_available_parallelism();
        if (cores > 0 && (unsigned)cores > want)
            want = (unsigned)cores;
        env = getenv("UV_THREADPOOL_SIZE");
        if (env != NULL && (k = (unsigned)strtoul(env, NULL, 10)) > want)
            want = k;
        if (want > POOL_MAX)
            want = POOL_MAX;
        if (want < 1)
            want = 1;
        snprintf(buf, sizeof(buf), "%u", want);
        if ((rc = probe_threads(want)) != 0)
            osim_diag_set(diag, rc, NULL, 0, 0, "cannot start %u threads", want);
        else if (setenv("UV_THREADPOOL_SIZE", buf, 1) != 0)
            rc = osim_diag_set(diag, OSIM_ENOMEM, NULL, 0, 0, "cannot set UV_THREADPOOL_SIZE");
        else
            pool_size = want;
    }
    if (granted != NULL)
        *granted = pool_size;
    pthread_mutex_unlock(&pool_lock);
    return rc;
}

/* ------------------------------------------------------------ the run */

typedef struct pool_run pool_run;

typedef struct pool_slot {
    uv_work_t req; /* req.data points back here */
    pool_run *pr;
    unsigned index;
    size_t unit; /* in flight */
    bool busy;
    int status;
    osim_diag diag;
} pool_slot;

struct pool_run {
    const osim__exec_job *job;
    uv_loop_t loop;
    uv_timer_t timer;
    bool timer_live;
    pool_slot *slot;
    size_t next;
    unsigned busy;
    int fail_rc; /* of the lowest failed unit */
    size_t fail_unit;
    osim_diag fail_diag;
};

static void record(pool_run *pr, size_t unit, int rc, const osim_diag *d)
{
    if (pr->fail_rc != 0 && unit >= pr->fail_unit)
        return;
    pr->fail_rc = rc;
    pr->fail_unit = unit;
    pr->fail_diag = *d;
    if (pr->fail_diag.code == 0)
        osim_diag_set(&pr->fail_diag, rc, NULL, 0, 0, "%s", osim_strerror(rc));
}

static void work_cb(uv_work_t *req)
{
    pool_slot *s = req->data;
    const osim__exec_job *job = s->pr->job;

    s->status = job->run(job->ud, s->index, s->unit, NULL, &s->diag);
}

static void dispatch(pool_run *pr, pool_slot *s);

static void after_work_cb(uv_work_t *req, int status)
{
    pool_slot *s = req->data;
    pool_run *pr = s->pr;
    const osim__exec_job *job = pr->job;

    (void)status; /* never cancelled */
    s->busy = false;
    pr->busy--;
    if (s->status == 0 && job->deliver != NULL)
        s->status = job->deliver(job->ud, s->index, s->unit, &s->diag);
    if (s->status != 0)
        record(pr, s->unit, s->status, &s->diag);
    dispatch(pr, s);
}

static void dispatch(pool_run *pr, pool_slot *s)
{
    const osim__exec_job *job = pr->job;
    int rc;

    if (s->busy || pr->fail_rc != 0 || pr->next >= job->count ||
        (job->stop != NULL && atomic_load(job->stop)))
        return;
    s->unit = pr->next++;
    s->status = 0;
    osim_diag_clear(&s->diag);
    s->busy = true;
    pr->busy++;
    s->req.data = s;
    if ((rc = uv_queue_work(&pr->loop, &s->req, work_cb, after_work_cb)) != 0) {
        /* Only invalid arguments make this fail: an internal error. */
        s->busy = false;
        pr->busy--;
        osim_diag_set(&s->diag, OSIM_EINTERNAL, NULL, 0, 0, "uv_queue_work: %s", uv_strerror(rc));
        record(pr, s->unit, OSIM_EINTERNAL, &s->diag);
    }
}

static void timer_cb(uv_timer_t *h)
{
    pool_run *pr = h->data;

    pr->job->tick(pr->job->ud);
}

static int pool_exec_run(const osim__exec *ex, const osim__exec_job *job, osim_diag *diag)
{
    pool_run pr;
    unsigned k;
    int rc;

    (void)ex;
    if (job->count == 0)
        return 0;
    if (job->slots < 1 || job->run == NULL)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "a job without slots or run");
    if ((rc = osim__exec_pool_reserve(job->slots, NULL, diag)) != 0)
        return rc;
    memset(&pr, 0, sizeof(pr));
    pr.job = job;
    if ((pr.slot = calloc(job->slots, sizeof(*pr.slot))) == NULL)
        return OSIM_ENOMEM;
    if (uv_loop_init(&pr.loop) != 0) {
        free(pr.slot);
        return osim_diag_set(diag, OSIM_EINTERNAL, NULL, 0, 0, "cannot create an event loop");
    }
    if (job->tick != NULL && uv_timer_init(&pr.loop, &pr.timer) == 0) {
        unsigned ms = job->tick_ms != 0 ? job->tick_ms : 250u;
        pr.timer.data = &pr;
        pr.timer_live = true;
        uv_timer_start(&pr.timer, timer_cb, ms, ms);
    }
    for (k = 0; k < job->slots; k++) {
        pr.slot[k].pr = &pr;
        pr.slot[k].index = k;
    }
    for (k = 0; k < job->slots; k++)
        dispatch(&pr, &pr.slot[k]);
    while (pr.busy > 0)
        uv_run(&pr.loop, UV_RUN_ONCE);
    if (pr.timer_live) {
        uv_timer_stop(&pr.timer);
        uv_close((uv_handle_t *)&pr.timer, NULL);
    }
    uv_run(&pr.loop, UV_RUN_DEFAULT); /* the close callback */
    uv_loop_close(&pr.loop);
    free(pr.slot);
    if (pr.fail_rc != 0) {
        if (diag != NULL && diag->code == 0)
            *diag = pr.fail_diag;
        return pr.fail_rc;
    }
    return 0;
}

static int pool_collector(const osim__exec *ex)
{
    (void)ex;
    return 1;
}

static const osim__exec pool_exec = {"pool", pool_exec_run, pool_collector, NULL};

const osim__exec *osim__exec_pool(void)
{
    return &pool_exec;
}
