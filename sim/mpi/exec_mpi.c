/*
 * exec_mpi.c -- the processes of build/outagesim-mpi: the ranks of
 * MPI_COMM_WORLD. Rank 0 hands a job's units out one at a time, runs some
 * itself, and collects every unit's output; the other ranks run what they
 * are given and send the output back packed (the job's pack, receive).
 *
 * This object defines exactly the symbols of the library's one-process
 * stub, sim/mc/exec_solo.c (osim__exec_procs, osim__procs_*): the MPI
 * program links it ahead of liboutagesim.a, so the stub is never taken,
 * and sim/cli/main.c -- compiled once -- calls osim__procs_start and
 * osim__procs_finish around every command, which here start and end MPI.
 *
 * Invariant: the outputs do not depend on the number of ranks or on the
 * order in which units finish. A unit's output travels bit for bit and
 * is delivered with its unit index; the job stores it by index (a sweep
 * merges a point's parts in replication order once they tile 0..N-1). So
 * `mpirun -np K` writes the bytes that one process writes.
 *
 * Protocol (MPI_COMM_WORLD; workers are ranks 1..K-1):
 *   worker -> 0  READY (no data)            at start
 *   0 -> worker  UNIT  (int64 unit, or -1 = no more work: finish)
 *   worker -> 0  PART  (u64 unit + the job's packed output) after a unit,
 *                FAIL  (int64 status, u64 unit, message text) if it failed;
 *                either one asks for the next unit.
 * Rank 0 answers messages between its own units and, while one of them
 * runs, from the unit's poll (exec.h: every POLL_MS on the thread that
 * called MPI_Init, the only one that calls MPI: FUNNELED is enough).
 * Waiting ranks poll with MPI_Iprobe and sleep 1 ms instead of blocking in
 * MPI_Recv, which in Open MPI spins a core that a neighbour's work needs
 * on an oversubscribed node.
 *
 * Failures: the first failing unit stops the hand-out; every rank gets
 * -1, rank 0 reports the failure of the lowest unit index (the same
 * message whatever the timing). A rank whose command fails aborts the job
 * (osim__procs_finish), so that no rank waits for a partner that has gone.
 *
 * Ranks other than 0 send their stdout and stderr to /dev/null (set
 * OUTAGESIM_MPI_VERBOSE=1 to keep them). Only `run` (its replications in
 * blocks, sim/mc/mc.c), `sweep` and `sensitivity` are distributed: with
 * more than one rank any other command is refused (it would run K times
 * and write the same files K times).
 */
#include <mpi.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "mc/exec.h"

#define TAG_READY 1
#define TAG_UNIT 2
#define TAG_PART 3
#define TAG_FAIL 4
#define POLL_MS 10u
#define TEXT_MAX (OSIM_DIAG_MSG_MAX + OSIM_DIAG_FILE_MAX + 64)

static int my_rank, my_size = 1;
static bool mpi_live; /* MPI_Init succeeded */

typedef struct master {
    const osim__exec_job *job;
    size_t next;
    int active;  /* workers that have not been sent -1 */
    int fail_rc; /* of the lowest failed unit */
    size_t fail_unit;
    char fail_msg[TEXT_MAX];
} master;

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static bool stopped(const osim__exec_job *job)
{
    return job->stop != NULL && atomic_load(job->stop);
}

static void record_failure(master *m, int rc, size_t unit, const char *msg)
{
    if (m->fail_rc != 0 && unit >= m->fail_unit)
        return;
    m->fail_rc = rc;
    m->fail_unit = unit;
    snprintf(m->fail_msg, sizeof(m->fail_msg), "%s", msg);
}

static void record_diag(master *m, int rc, size_t unit, osim_diag *d)
{
    char text[TEXT_MAX];

    if (d->code == 0)
        osim_diag_set(d, rc, NULL, 0, 0, "%s", osim_strerror(rc));
    record_failure(m, rc, unit, osim_diag_format(d, text, sizeof(text)));
}

/* Send worker w its next unit, or -1 when there is none, or after a
 * failure or a stop. */
static void give(master *m, int w)
{
    int64_t u = -1;

    if (m->fail_rc == 0 && !stopped(m->job) && m->next < m->job->count)
        u = (int64_t)m->next++;
    else
        m->active--;
    MPI_Send(&u, 1, MPI_INT64_T, w, TAG_UNIT, MPI_COMM_WORLD);
}

static void take_part(master *m, const unsigned char *buf, size_t len)
{
    const osim__exec_job *job = m->job;
    uint64_t unit;
    osim_diag d;
    int rc;

    if (len < sizeof(uint64_t)) {
        record_failure(m, OSIM_EINTERNAL, (size_t)-1, "a malformed message from a rank");
        return;
    }
    memcpy(&unit, buf, sizeof(unit));
    if (unit >= job->count) {
        record_failure(m, OSIM_EINTERNAL, (size_t)-1, "a part of an unknown unit");
        return;
    }
    osim_diag_clear(&d);
    rc = job->receive(job->ud, (size_t)unit, buf + sizeof(unit), len - sizeof(unit), &d);
    if (rc != 0)
        record_diag(m, rc, (size_t)unit, &d);
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
        if ((buf = malloc((size_t)count + 1)) == NULL) {
            /* Receiving into nothing is impossible: give up on the run. */
            MPI_Abort(MPI_COMM_WORLD, CLI_FAIL);
            return;
        }
        MPI_Recv(buf, count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        if (st.MPI_TAG == TAG_PART) {
            take_part(m, buf, (size_t)count);
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

static void poll_drain(void *ud)
{
    drain(ud);
}

static int run_master(const osim__exec_job *job, osim_diag *diag)
{
    master m;
    osim__exec_poll poll;

    memset(&m, 0, sizeof(m));
    m.job = job;
    m.active = my_size - 1;
    m.fail_unit = (size_t)-1;
    poll.fn = poll_drain;
    poll.ud = &m;
    poll.period_ms = POLL_MS;
    for (;;) {
        drain(&m);
        if (m.fail_rc == 0 && !stopped(job) && m.next < job->count) {
            size_t u = m.next++;
            osim_diag d;
            int rc;
            osim_diag_clear(&d);
            rc = job->run(job->ud, 0, u, &poll, &d);
            if (rc == 0 && job->deliver != NULL)
                rc = job->deliver(job->ud, 0, u, &d);
            if (rc != 0)
                record_diag(&m, rc, u, &d);
            if (job->tick != NULL)
                job->tick(job->ud);
            continue;
        }
        if (m.active == 0)
            break;
        sleep_ms(1);
    }
    if (m.fail_rc != 0)
        return osim_diag_set(diag, m.fail_rc, NULL, 0, 0, "%s", m.fail_msg);
    return 0;
}

static void send_failure(int rc, int64_t u, osim_diag *d)
{
    int64_t head[2] = {rc, u};
    char text[TEXT_MAX];
    unsigned char *msg;
    size_t tl;

    if (d->code == 0)
        osim_diag_set(d, rc, NULL, 0, 0, "%s", osim_strerror(rc));
    osim_diag_format(d, text, sizeof(text));
    tl = strlen(text) + 1;
    if ((msg = malloc(sizeof(head) + tl)) == NULL)
        MPI_Abort(MPI_COMM_WORLD, CLI_FAIL);
    memcpy(msg, head, sizeof(head));
    memcpy(msg + sizeof(head), text, tl);
    MPI_Send(msg, (int)(sizeof(head) + tl), MPI_BYTE, 0, TAG_FAIL, MPI_COMM_WORLD);
    free(msg);
}

static int run_worker(const osim__exec_job *job)
{
    MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
    for (;;) {
        int flag = 0, rc;
        int64_t u;
        osim_diag d;
        void *buf = NULL;
        size_t len = 0;

        while (MPI_Iprobe(0, TAG_UNIT, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE) == MPI_SUCCESS &&
               !flag)
            sleep_ms(1);
        MPI_Recv(&u, 1, MPI_INT64_T, 0, TAG_UNIT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (u < 0)
            return 0;
        osim_diag_clear(&d);
        rc = job->run(job->ud, 0, (size_t)u, NULL, &d);
        if (rc == 0 && (rc = job->pack(job->ud, 0, (size_t)u, &buf, &len)) == 0) {
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
        if (rc != 0)
            send_failure(rc, u, &d);
    }
}

static int mpi_run(const osim__exec *ex, const osim__exec_job *job, osim_diag *diag)
{
    (void)ex;
    if (my_size > 1 && (job->pack == NULL || job->receive == NULL))
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "this work cannot be spread over MPI ranks");
    return my_rank == 0 ? run_master(job, diag) : run_worker(job);
}

static int mpi_collector(const osim__exec *ex)
{
    (void)ex;
    return my_rank == 0;
}

static const osim__exec mpi_exec = {"mpi", mpi_run, mpi_collector, NULL};

const osim__exec *osim__exec_procs(void)
{
    return &mpi_exec;
}

void osim__procs_where(int *rank, int *size)
{
    *rank = my_rank;
    *size = my_size;
}

static int distributed(const char *cmd)
{
    return strcmp(cmd, "run") == 0 || strcmp(cmd, "sweep") == 0 ||
           strcmp(cmd, "sensitivity") == 0 || strcmp(cmd, "--help") == 0 ||
           strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0 || strcmp(cmd, "--version") == 0;
}

int osim__procs_start(int *argc, char ***argv)
{
    int provided = 0;

    /* Only the thread that called MPI_Init calls MPI (the pool's threads
     * never do): FUNNELED is all that is needed. */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fputs("outagesim-mpi: MPI_Init_thread failed\n", stderr);
        return CLI_FAIL;
    }
    mpi_live = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &my_size);
    if (my_rank > 0 && getenv("OUTAGESIM_MPI_VERBOSE") == NULL) {
        if (freopen("/dev/null", "w", stdout) == NULL || freopen("/dev/null", "w", stderr) == NULL)
            MPI_Abort(MPI_COMM_WORLD, CLI_FAIL);
    }
    if (my_size > 1 && *argc >= 2 && !distributed((*argv)[1])) {
        if (my_rank == 0)
            fprintf(
                stderr,
                "outagesim-mpi: only `run`, `sweep` and `sensitivity` run distributed; run '%s' "
                "with build/outagesim, or with mpirun -np 1\n",
                (*argv)[1]);
        return CLI_USAGE;
    }
    return 0;
}

int osim__procs_finish(int code)
{
    if (!mpi_live)
        return code;
    if (code != CLI_OK && my_size > 1) {
        fflush(stdout);
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, code);
    }
    MPI_Finalize();
    return code;
}
