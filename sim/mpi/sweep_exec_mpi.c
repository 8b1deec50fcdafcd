/*
 * sweep_exec_mpi.c -- the MPI executor of sweeps (build/outagesim-mpi):
 * (point x block of replications) units spread over the ranks of
 * MPI_COMM_WORLD, handed out one at a time by rank 0, which also works.
 *
 * Invariant: the outputs do not depend on the number of ranks, the block
 * size or the order in which units finish. Each unit is an ordinary
 * partial run; its rows travel to rank 0 bit for bit (osim_sweep_pack),
 * and rank 0 gives every part to osim_sweep_store, which merges a point's
 * parts with osim_mc_result_merge -- the code of `outagesim merge` -- in
 * replication order once they tile 0..N-1. So `mpirun -np K` writes the
 * bytes that `outagesim sweep` writes on one process.
 *
 * Protocol (MPI_COMM_WORLD; workers are ranks 1..K-1):
 *   worker -> 0  READY (no data)            at start
 *   0 -> worker  UNIT  (int64 unit, or -1 = no more work: finish)
 *   worker -> 0  PART  (u64 unit + osim_sweep_pack bytes) after a unit,
 *                FAIL  (int64 status, u64 unit, message text) if it failed;
 *                either one asks for the next unit.
 * Rank 0 runs units itself and answers messages in between: while one of
 * its own units runs, osim_mc's progress timer (every POLL_MS on the libuv
 * loop thread, which is the thread that called MPI_Init) drains waiting
 * messages. Waiting ranks poll with MPI_Iprobe and sleep 1 ms instead of
 * blocking in MPI_Recv, which in Open MPI spins a core that a neighbour's
 * work needs on an oversubscribed node.
 *
 * Failures: the first failing unit stops the hand-out; every rank gets
 * -1, rank 0 reports the failure of the lowest unit index (the same
 * message whatever the timing) and returns its exit code.
 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/sweep_cli.h"

#define TAG_READY 1
#define TAG_UNIT 2
#define TAG_PART 3
#define TAG_FAIL 4
#define POLL_MS 10u
#define UNITS_PER_RANK 4u /* aim for this many units per rank when blocks are chosen */
#define MIN_BLOCK 16u

typedef struct master {
    osim_sweep *sw;
    size_t nunits, next, done;
    int size, active; /* workers that have not been sent -1 */
    int fail_rc;      /* first failure (lowest unit) */
    size_t fail_unit;
    char fail_msg[OSIM_DIAG_MSG_MAX + OSIM_DIAG_FILE_MAX + 64];
    cli_progress prog;
} master;

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static void record_failure(master *m, int rc, size_t unit, const char *msg)
{
    if (m->fail_rc != 0 && unit >= m->fail_unit)
        return;
    m->fail_rc = rc;
    m->fail_unit = unit;
    snprintf(m->fail_msg, sizeof(m->fail_msg), "%s", msg);
}

/* Send worker w its next unit, or -1 when there is none or a unit failed. */
static void give(master *m, int w)
{
    int64_t u = -1;

    if (m->fail_rc == 0 && m->next < m->nunits)
        u = (int64_t)m->next++;
    else
        m->active--;
    MPI_Send(&u, 1, MPI_INT64_T, w, TAG_UNIT, MPI_COMM_WORLD);
}

static void store_part(master *m, const unsigned char *buf, size_t len)
{
    osim_mc_result *part = NULL;
    osim_diag d;
    uint64_t unit, from, to;
    size_t point;
    char text[sizeof(m->fail_msg)];
    int rc;

    osim_diag_clear(&d);
    if (len < sizeof(uint64_t)) {
        record_failure(m, OSIM_EINTERNAL, (size_t)-1, "a malformed message from a rank");
        return;
    }
    memcpy(&unit, buf, sizeof(unit));
    if (unit >= m->nunits) {
        record_failure(m, OSIM_EINTERNAL, (size_t)-1, "a part of an unknown unit");
        return;
    }
    osim_sweep_unit(m->sw, (size_t)unit, &point, &from, &to);
    rc = osim_sweep_unpack(buf + sizeof(unit), len - sizeof(unit), &part, &d);
    if (rc == 0 && (part->from != from || part->to != to)) {
        osim_mc_result_free(part);
        rc = osim_diag_set(&d, OSIM_EINTERNAL, NULL, 0, 0,
                           "unit %llu came back with the wrong replications",
                           (unsigned long long)unit);
    }
    if (rc == 0)
        rc = osim_sweep_store(m->sw, point, part, &d);
    if (rc != 0) {
        record_failure(m, rc, (size_t)unit, osim_diag_format(&d, text, sizeof(text)));
        return;
    }
    m->done++;
    cli_progress_draw(&m->prog, m->done, m->nunits);
}

/* Answer every message that is waiting (rank 0). */
static void drain(master *m)
{
    for (;;) {
        MPI_Status st;
        int flag = 0, count = 0;
        unsigned char *buf;

        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag)
            return;
        MPI_Get_count(&st, MPI_BYTE, &count);
        buf = malloc((size_t)count + 1);
        if (buf == NULL) {
            /* Receive into nothing is impossible: give up on the run. */
            MPI_Abort(MPI_COMM_WORLD, CLI_FAIL);
            return;
        }
        MPI_Recv(buf, count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        if (st.MPI_TAG == TAG_PART) {
            store_part(m, buf, (size_t)count);
        } else if (st.MPI_TAG == TAG_FAIL) {
            int64_t rc = OSIM_EINTERNAL;
            uint64_t unit = 0;
            if ((size_t)count >= 2 * sizeof(int64_t)) {
                memcpy(&rc, buf, sizeof(rc));
                memcpy(&unit, buf + sizeof(rc), sizeof(unit));
                buf[count] = '\0';
                record_failure(m, (int)rc, (size_t)unit, (char *)buf + 2 * sizeof(int64_t));
            } else {
                record_failure(m, OSIM_EINTERNAL, (size_t)-1, "a rank failed");
            }
        }
        free(buf);
        give(m, st.MPI_SOURCE);
    }
}

/* osim_mc's progress callback on rank 0: serve the workers. */
static void on_tick(void *ud, uint64_t done, uint64_t total)
{
    (void)done;
    (void)total;
    drain(ud);
}

static int run_master(master *m, const osim_sweep_run_options *base)
{
    osim_sweep_run_options ro = *base;
    osim_diag d;
    char text[sizeof(m->fail_msg)];

    ro.progress = on_tick;
    ro.progress_ud = m;
    ro.progress_ms = POLL_MS;
    for (;;) {
        drain(m);
        if (m->fail_rc == 0 && m->next < m->nunits) {
            size_t u = m->next++, point;
            uint64_t from, to;
            osim_mc_result *part = NULL;
            int rc;
            osim_sweep_unit(m->sw, u, &point, &from, &to);
            osim_diag_clear(&d);
            rc = osim_sweep_run_range(m->sw, point, from, to, &ro, &part, &d);
            if (rc == 0)
                rc = osim_sweep_store(m->sw, point, part, &d);
            if (rc != 0)
                record_failure(m, rc, u, osim_diag_format(&d, text, sizeof(text)));
            else
                cli_progress_draw(&m->prog, ++m->done, m->nunits);
            continue;
        }
        if (m->active == 0)
            break;
        sleep_ms(1);
    }
    return m->fail_rc;
}

static int run_worker(osim_sweep *sw, const osim_sweep_run_options *ro)
{
    int64_t u;
    char text[OSIM_DIAG_MSG_MAX + OSIM_DIAG_FILE_MAX + 64];

    MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
    for (;;) {
        int flag = 0;
        size_t point;
        uint64_t from, to;
        osim_mc_result *part = NULL;
        osim_diag d;
        void *buf = NULL;
        size_t len = 0;
        int rc;

        while (MPI_Iprobe(0, TAG_UNIT, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE) == MPI_SUCCESS &&
               !flag)
            sleep_ms(1);
        MPI_Recv(&u, 1, MPI_INT64_T, 0, TAG_UNIT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (u < 0)
            return 0;
        osim_sweep_unit(sw, (size_t)u, &point, &from, &to);
        osim_diag_clear(&d);
        rc = osim_sweep_run_range(sw, point, from, to, ro, &part, &d);
        if (rc == 0 && (rc = osim_sweep_pack(part, &buf, &len)) == 0) {
            unsigned char *msg = malloc(len + sizeof(uint64_t));
            uint64_t unit = (uint64_t)u;
            if (msg == NULL) {
                rc = OSIM_ENOMEM;
            } else {
                memcpy(msg, &unit, sizeof(unit));
                memcpy(msg + sizeof(unit), buf, len);
                MPI_Send(msg, (int)(len + sizeof(unit)), MPI_BYTE, 0, TAG_PART, MPI_COMM_WORLD);
                free(msg);
            }
        }
        free(buf);
        osim_mc_result_free(part);
        if (rc != 0) {
            int64_t head[2] = {rc, u};
            size_t tl;
            unsigned char *msg;
            if (d.code == 0)
                osim_diag_set(&d, rc, NULL, 0, 0, "%s", osim_strerror(rc));
            osim_diag_format(&d, text, sizeof(text));
            tl = strlen(text) + 1;
            if ((msg = malloc(sizeof(head) + tl)) == NULL)
                MPI_Abort(MPI_COMM_WORLD, CLI_FAIL);
            memcpy(msg, head, sizeof(head));
            memcpy(msg + sizeof(head), text, tl);
            MPI_Send(msg, (int)(sizeof(head) + tl), MPI_BYTE, 0, TAG_FAIL, MPI_COMM_WORLD);
            free(msg);
        }
    }
}

void cli_sweep_describe(const cli_exec_opts *o, char *buf, size_t n)
{
    int size = 1;

    MPI_Comm_size(MPI_COMM_WORLD, &size);
    snprintf(buf, n, "%d MPI rank%s x %u thread%s, blocks of %llu replications", size,
             size == 1 ? "" : "s", o->threads, o->threads == 1 ? "" : "s",
             (unsigned long long)o->block);
}

/* Replications per unit: whole points when there are enough of them to
 * give every rank UNITS_PER_RANK, else blocks small enough that there
 * are (at least MIN_BLOCK, at most N). */
static uint64_t default_block(const osim_sweep *sw, int size)
{
    uint64_t n = osim_sweep_replications(sw), want = (uint64_t)size * UNITS_PER_RANK, bpp, b;
    size_t np = osim_sweep_points_count(sw);

    if (np >= want)
        return n;
    bpp = (want + np - 1) / np;
    b = (n + bpp - 1) / bpp;
    if (b < MIN_BLOCK)
        b = MIN_BLOCK;
    return b > n ? n : b;
}

int cli_sweep_execute(osim_sweep *sw, cli_exec_opts *o, bool *writer)
{
    osim_sweep_run_options ro;
    uv_loop_t loop;
    char nbuf[32];
    int rank = 0, size = 1, rc;

    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *writer = rank == 0;
    /* One thread per rank unless asked: the ranks are the parallelism. */
    if (o->threads == 0)
        o->threads = 1;
    snprintf(nbuf, sizeof(nbuf), "%u", o->threads);
    if (setenv("UV_THREADPOOL_SIZE", nbuf, 1) != 0) {
        cli_errorf("cannot set UV_THREADPOOL_SIZE");
        return CLI_FAIL;
    }
    if (o->block == 0)
        o->block = default_block(sw, size);
    osim_sweep_set_block(sw, o->block);
    o->block = osim_sweep_block(sw);
    if (uv_loop_init(&loop) != 0) {
        cli_errorf("cannot create an event loop");
        return CLI_FAIL;
    }
    memset(&ro, 0, sizeof(ro));
    ro.threads = o->threads;
    ro.chunk = o->chunk;
    ro.loop = &loop;
    if (rank == 0) {
        master m;
        memset(&m, 0, sizeof(m));
        m.sw = sw;
        m.nunits = osim_sweep_units_count(sw);
        m.size = size;
        m.active = size - 1;
        m.fail_unit = (size_t)-1;
        cli_progress_start(&m.prog, "units", o->quiet);
        rc = run_master(&m, &ro);
        cli_progress_end(&m.prog);
        if (rc == 0 && !osim_sweep_complete(sw))
            record_failure(&m, rc = OSIM_EINTERNAL, 0, "the sweep ended incomplete");
        if (rc != 0)
            fprintf(stderr, "outagesim: %s\n", m.fail_msg);
    } else {
        rc = run_worker(sw, &ro);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return rc == 0 ? CLI_OK : cli_exit_code(rc);
}
