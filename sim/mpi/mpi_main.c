/*
 * mpi_main.c -- build/outagesim-mpi: the outagesim command line inside an
 * MPI job.
 *
 * Every rank runs the same command with the same arguments (mpirun gives
 * them all the same argv), so parsing, scenario checks and usage errors
 * happen identically everywhere; the executor of sweep_exec_mpi.c then
 * shares the work, and only rank 0 prints and writes. Ranks other than 0
 * send their stdout and stderr to /dev/null (set OUTAGESIM_MPI_VERBOSE=1
 * to keep them). Only `sweep` and `sensitivity` are distributed: with
 * more than one rank any other command is refused (it would run K times
 * and write the same files K times).
 *
 * A rank that fails (bad usage included: it might be the only one that
 * could not read a file) calls MPI_Abort with its exit code, so that no
 * rank waits forever for a partner that has gone; mpirun then exits with
 * a non-zero status.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mpi/mpi_main.h"

static int distributed(const char *cmd)
{
    return strcmp(cmd, "sweep") == 0 || strcmp(cmd, "sensitivity") == 0 ||
           strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0 ||
           strcmp(cmd, "--version") == 0;
}

int main(int argc, char **argv)
{
    int provided = 0, rank = 0, size = 1, rc;

    /* Only the thread that called MPI_Init calls MPI (libuv's pool threads
     * never do): FUNNELED is all that is needed. */
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fputs("outagesim-mpi: MPI_Init_thread failed\n", stderr);
        return CLI_FAIL;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank > 0 && getenv("OUTAGESIM_MPI_VERBOSE") == NULL) {
        if (freopen("/dev/null", "w", stdout) == NULL || freopen("/dev/null", "w", stderr) == NULL)
            MPI_Abort(MPI_COMM_WORLD, CLI_FAIL);
    }
    if (size > 1 && argc >= 2 && !distributed(argv[1])) {
        if (rank == 0)
            fprintf(stderr,
                    "outagesim-mpi: only `sweep` and `sensitivity` run distributed; run '%s' "
                    "with build/outagesim, or with mpirun -np 1\n",
                    argv[1]);
        rc = CLI_USAGE;
    } else {
        rc = outagesim_main(argc, argv);
    }
    if (rc != CLI_OK && size > 1) {
        fflush(stdout);
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, rc);
    }
    MPI_Finalize();
    return rc;
}
