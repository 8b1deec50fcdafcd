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

/* Call poll (borrowed) on the calling thread while chunks run, as an
 * outer executor asked of the unit that is this run; NULL: none. */
void osim__mc_set_poll(osim_mc *mc, const osim__exec_poll *poll);

#endif
