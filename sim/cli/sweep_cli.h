/*
 * sweep_cli.h -- what `outagesim sweep` and `outagesim sensitivity` share,
 * and the executor that runs a sweep's units.
 *
 * sim/cli/sweep_exec.c runs the units with osim_sweep_run, on the
 * processes chosen at link time (sim/mc/exec.h): this one in
 * build/outagesim, the ranks of an MPI job in build/outagesim-mpi (`make
 * mpi`). The commands are the same code in both programs, so the same
 * arguments give the same files.
 */
#ifndef OUTAGESIM_CLI_SWEEP_H
#define OUTAGESIM_CLI_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

#include "outagesim/sweep.h"

typedef struct cli_exec_opts {
    unsigned threads; /* per process; 0: the executor's default */
    unsigned chunk;   /* 0: osim_mc's default */
    uint64_t block;   /* replications per unit; 0: the executor's default */
    bool quiet;
    const char *what;  /* "sweep" or "sensitivity", for messages */
    bool keeps_points; /* a stop keeps the completed points (sweep --out) */
} cli_exec_opts;

/*
 * Run every point of sw (checked) until each has its result; o->threads
 * is set to the threads actually used. Returns a
 * CLI exit code: CLI_OK, 128 + a stop signal (cli_interrupted_code: the
 * points completed are kept in sw), CLI_USAGE or CLI_FAIL (after printing
 * why). *writer is true in the one process that must write the
 * outputs (always, except on MPI ranks other than 0, which return once
 * their share is done and must write nothing).
 */
int cli_sweep_execute(osim_sweep *sw, cli_exec_opts *o, bool *writer);

/* "1 process" or "K MPI ranks x T threads", for the timing line. */
void cli_sweep_describe(const cli_exec_opts *o, char *buf, size_t n);

#endif
