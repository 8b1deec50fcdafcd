/*
 * sweep_exec.c -- how `sweep` and `sensitivity` run their units: the
 * library's runner (osim_sweep_run) on the program's processes, which are
 * one process in build/outagesim and the ranks of an MPI job in
 * build/outagesim-mpi (sim/mpi/exec_mpi.c, chosen at link time). This
 * file only picks the defaults and sets the stop hook (signals.c).
 *
 * One process runs each point whole (one unit per point); several ranks
 * cut points into blocks so that every rank gets work. That is only a
 * matter of speed: osim_sweep_store merges the parts of a point in index
 * order, so every choice gives the same bytes. A stop signal (SIGINT,
 * SIGTERM, SIGHUP) stops the point in progress and the exit code is 128 +
 * the signal; `sweep` then writes the points completed so far (for
 * --resume), `sensitivity` nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/sweep_cli.h"
#include "mc/exec.h"

#define MAX_THREADS 1024u
#define UNITS_PER_RANK 4u /* aim for this many units per rank when blocks are chosen */
#define MIN_BLOCK 16u

typedef struct exec_ctx {
    osim_sweep *sw;
    const cli_exec_opts *o;
    bool stopping;
    cli_progress prog;
} exec_ctx;

/* A stop signal (signals.c): stop the point in progress. */
static void on_stop(void *ud, int signum)
{
    exec_ctx *c = ud;

    if (!c->stopping) {
        cli_progress_end(&c->prog);
        if (c->o->keeps_points)
            fprintf(stderr,
                    "outagesim: interrupted (%s): stopping; the points completed so far will "
                    "be written (`outagesim sweep --resume DIR` runs the rest)\n",
                    cli_signal_name(signum));
        else
            fprintf(stderr,
                    "outagesim: interrupted (%s): stopping; a %s is written whole or not at "
                    "all, so nothing will be written\n",
                    cli_signal_name(signum), c->o->what);
    }
    c->stopping = true;
    osim_sweep_stop(c->sw);
}

/* On the running thread, every few milliseconds: a signal, then the line. */
static void on_progress(void *ud, uint64_t done, uint64_t total)
{
    exec_ctx *c = ud;

    cli_signals_poll();
    if (!c->stopping)
        cli_progress_draw(&c->prog, done, total);
}

void cli_sweep_describe(const cli_exec_opts *o, char *buf, size_t n)
{
    int rank, size;

    osim__procs_where(&rank, &size);
    if (size == 1)
        snprintf(buf, n, "1 process x %u thread%s", o->threads, o->threads == 1 ? "" : "s");
    else
        snprintf(buf, n, "%d MPI ranks x %u thread%s, blocks of %llu replications", size,
                 o->threads, o->threads == 1 ? "" : "s", (unsigned long long)o->block);
}

/* Replications per unit: whole points when there are enough of them to
 * give every rank UNITS_PER_RANK, else blocks small enough that there
 * are (at least MIN_BLOCK, at most N). */
static uint64_t default_block(const osim_sweep *sw, int size)
{
    uint64_t n = osim_sweep_replications(sw), want = (uint64_t)size * UNITS_PER_RANK, bpp, b;
    size_t np = osim_sweep_points_count(sw);

    if (size == 1 || np >= want)
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
    exec_ctx c;
    int rank, size, rc, code;
    osim_diag d;

    osim__procs_where(&rank, &size);
    *writer = rank == 0;
    if (o->threads == 0) {
        /* Several ranks are the parallelism: one thread each unless asked. */
        int k = size > 1 ? 1 : (int)uv_available_parallelism();
        o->threads = k > 0 ? (unsigned)k : 1u;
        if (o->threads > MAX_THREADS)
            o->threads = MAX_THREADS;
    }
    /* --block is for MPI units: one process runs every point whole. */
    if (o->block == 0 || size == 1)
        o->block = default_block(sw, size);
    osim_sweep_set_block(sw, o->block);
    o->block = osim_sweep_block(sw);

    memset(&c, 0, sizeof(c));
    c.sw = sw;
    c.o = o;
    cli_progress_start(&c.prog, "replications", o->quiet);
    memset(&ro, 0, sizeof(ro));
    ro.threads = o->threads;
    ro.chunk = o->chunk;
    ro.progress = on_progress;
    ro.progress_ud = &c;
    ro.progress_ms = 200;
    osim_diag_clear(&d);
    cli_signals_on_stop(on_stop, &c);
    rc = osim_sweep_run(sw, &ro, &d);
    cli_signals_on_stop(NULL, NULL);
    cli_progress_end(&c.prog);
    if (rc == OSIM_ESTOPPED) {
        code = cli_exit_code(rc);
    } else if (rc != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
    } else {
        code = CLI_OK;
    }
    return code;
}
