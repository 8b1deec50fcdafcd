/*
 * exec.h -- executors: who runs which unit of work, where and when.
 *
 * A runner (sim/mc/mc.c for the replications of one Monte Carlo run,
 * sim/sweep/sweep.c for the points of a sweep) cuts its work into units
 * 0..count-1 -- each a range of replications of one point -- and hands
 * them, with the function that runs one unit, to an executor (after
 * Cimba's cimba_run_experiment: the runner knows trials, not threads).
 * The executor only decides where and when each unit runs. A unit writes
 * its rows by replication index, or its output is delivered with its
 * index, so no result can depend on the executor, the thread or the rank
 * that ran it, or the order in which units finished.
 *
 * Implementations:
 *   osim__exec_pool()    libuv's thread pool: at most job->slots units at
 *                        once in this process (exec_pool.c). The only
 *                        place that sizes the pool.
 *   osim__exec_procs()   the processes of the program: in the library
 *                        (exec_solo.c) one process, every unit run here in
 *                        index order; in build/outagesim-mpi the ranks of
 *                        MPI_COMM_WORLD, rank 0 handing units out and
 *                        collecting them (sim/mpi/exec_mpi.c). Both files
 *                        define the same osim__procs_* and
 *                        osim__exec_procs symbols; the MPI program links
 *                        exec_mpi.o ahead of the library, so the archive's
 *                        exec_solo.o is never pulled in.
 *   a test's own         tests/test_mc.c runs units in reverse order.
 *
 * Private to the program: nothing in include/outagesim/ names an executor.
 */
#ifndef OUTAGESIM_MC_EXEC_H
#define OUTAGESIM_MC_EXEC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/error.h"

/*
 * How a unit's run lets an outer executor breathe: a nested runner (a
 * sweep unit is a whole Monte Carlo run) calls poll->fn(poll->ud) every
 * few milliseconds on the thread that called the executor, so that an
 * executor that must answer messages (MPI rank 0) can while its own unit
 * runs. NULL when the executor needs nothing.
 */
typedef struct osim__exec_poll {
    void (*fn)(void *ud);
    void *ud;
    unsigned period_ms; /* how often fn wants to run */
} osim__exec_poll;

/*
 * The work. Every callback gets ud. `slot` is in 0..slots-1 and no two
 * units run on the same slot at once, so a job keeps per-slot state
 * (a worker) without locks.
 */
typedef struct osim__exec_job {
    size_t count;   /* units 0..count-1 */
    unsigned slots; /* at most this many units at once in one process, >= 1 */
    /* Run unit u, on any thread of any process. 0, or < 0 with diag set
     * (OSIM_ESTOPPED when it saw *stop). */
    int (*run)(void *ud, unsigned slot, size_t u, const osim__exec_poll *poll, osim_diag *diag);
    /* On the calling thread of the collecting process, after unit u ran
     * there on `slot` (before the slot runs anything else): keep its
     * output. NULL: run() already put it in place. */
    int (*deliver)(void *ud, unsigned slot, size_t u, osim_diag *diag);
    /* For executors that move outputs between processes: the output of u,
     * run here on `slot`, as malloc'd bytes; and those bytes taken back
     * on the collecting process (as deliver). NULL: in-process only. */
    int (*pack)(void *ud, unsigned slot, size_t u, void **buf, size_t *len);
    int (*receive)(void *ud, size_t u, const void *buf, size_t len, osim_diag *diag);
    /* On the calling thread, about every tick_ms while units run; NULL:
     * none. */
    void (*tick)(void *ud);
    unsigned tick_ms;
    /* Raised (by anyone, from any thread): start no new unit. Running
     * units see it too and may stop early. */
    atomic_int *stop;
    void *ud;
} osim__exec_job;

typedef struct osim__exec osim__exec;
struct osim__exec {
    const char *name;
    /*
     * Run the units of job until every one has run, *stop is raised or a
     * unit fails; on return no unit is running. Returns 0 (then every unit
     * ran, unless *stop was raised), or the code of the failed unit with
     * the lowest index among those that failed (diag holds its message: the
     * same whichever failed first), or an executor failure (e.g. no
     * threads: OSIM_ENOMEM). After a failure no new unit starts.
     */
    int (*run)(const osim__exec *ex, const osim__exec_job *job, osim_diag *diag);
    /* The process that collects outputs (deliver, receive): true except
     * on MPI ranks other than 0. */
    int (*collector)(const osim__exec *ex);
    void *state;
};

/* libuv's thread pool (exec_pool.c). */
const osim__exec *osim__exec_pool(void);

/*
 * Make sure libuv's pool, sized once per process, has at least `threads`
 * threads: before libuv first uses the pool this sets its size (the
 * larger of threads, the cores and a size the user set in libuv's variable, at
 * most 1024) and checks that this many threads can be started, so that a
 * shortage is OSIM_ENOMEM here and not an abort inside libuv. Afterwards
 * it only says, in *granted, how many there are (a run then has fewer
 * units in flight than asked: slower, never different). Thread-safe.
 */
int osim__exec_pool_reserve(unsigned threads, unsigned *granted, osim_diag *diag);

/* ------------------------------------------------------------ processes */

/* The executor of the processes (exec_solo.c or sim/mpi/exec_mpi.c). */
const osim__exec *osim__exec_procs(void);

/* This process's rank and the number of processes (0 and 1 unless MPI). */
void osim__procs_where(int *rank, int *size);

/*
 * Called first and last by main(): start and end the processes' runtime
 * (MPI_Init and MPI_Finalize; nothing in one process). start returns 0,
 * or an exit code to return at once (argv names a command that cannot
 * run distributed). finish takes main's exit code and returns the one to
 * exit with (an MPI rank that fails aborts the job, so that no rank waits
 * for a partner that has gone).
 */
int osim__procs_start(int *argc, char ***argv);
int osim__procs_finish(int code);

#endif
