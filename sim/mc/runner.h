/*
 * runner.h -- what the program, not a library user, may change about a
 * Monte Carlo run: where its chunks run (exec.h).
 */
#ifndef OUTAGESIM_MC_RUNNER_H
#define OUTAGESIM_MC_RUNNER_H

#include "mc/exec.h"
#include "outagesim/mc.h"

/* Run the chunks on ex (borrowed; NULL: libuv's pool, the default).
 * Between osim_mc_new and osim_mc_run. */
void osim__mc_set_exec(osim_mc *mc, const osim__exec *ex);

/*
 * Spread the replications over the processes of procs (osim__exec_procs:
 * the ranks of an MPI job), in blocks, each block's chunks on the threads
 * of the rank that runs it (the executor of osim__mc_set_exec); rank 0
 * stores every block's rows and series counts by index, so the result is
 * the one-process result, bit for bit. On other ranks osim_mc_run returns
 * 0 with nothing summarised (their result is not to be used). No
 * precision target (every rank would need the rows). Between osim_mc_new
 * and osim_mc_run.
 */
void osim__mc_set_procs(osim_mc *mc, const osim__exec *procs);

/* Call poll (borrowed) on the calling thread while chunks run, as an
 * outer executor asked of the unit that is this run; NULL: none. */
void osim__mc_set_poll(osim_mc *mc, const osim__exec_poll *poll);

#endif
