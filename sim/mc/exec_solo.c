/*
 * exec_solo.c -- the processes of an ordinary program: this one alone.
 * Units run here, one after the other in index order, each delivered as
 * soon as it has run; MPI is not involved.
 *
 * This object defines exactly the symbols that sim/mpi/exec_mpi.c
 * defines (osim__exec_procs, osim__procs_*): build/outagesim-mpi links
 * exec_mpi.o ahead of the library, so the linker never takes this member
 * of the archive there, and main.c is the same object in both programs.
 */
#include <stddef.h>

#include "mc/exec.h"

static int solo_run(const osim__exec *ex, const osim__exec_job *job, osim_diag *diag)
{
    size_t u;
    int rc;

    (void)ex;
    for (u = 0; u < job->count; u++) {
        if (job->stop != NULL && atomic_load(job->stop))
            return 0;
        if ((rc = job->run(job->ud, 0, u, NULL, diag)) != 0)
            return rc;
        if (job->deliver != NULL && (rc = job->deliver(job->ud, 0, u, diag)) != 0)
            return rc;
        if (job->tick != NULL)
            job->tick(job->ud);
    }
    return 0;
}

static int solo_collector(const osim__exec *ex)
{
    (void)ex;
    return 1;
}

static const osim__exec solo_exec = {"solo", solo_run, solo_collector, NULL};

const osim__exec *osim__exec_procs(void)
{
    return &solo_exec;
}

void osim__procs_where(int *rank, int *size)
{
    *rank = 0;
    *size = 1;
}

int osim__procs_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int osim__procs_finish(int code)
{
    return code;
}
