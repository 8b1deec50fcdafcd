/*
 * sweep_exec.c -- the single-process executor of sweeps (build/outagesim):
 * every point runs here, one after the other, each as one Monte Carlo run
 * over all its replications on libuv's pool.
 *
 * Running a point whole (one unit per point) rather than in blocks is only
 * a matter of speed: osim_sweep_store merges the parts of a point in index
 * order, so the MPI executor, which runs blocks anywhere, gives the same
 * bytes. Ctrl-C stops the point in progress; a sweep is written whole or
 * not at all, so nothing is written and the exit code is 130.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/sweep_cli.h"

#define MAX_THREADS 1024u

typedef struct exec_ctx {
    osim_sweep *sw;
    uv_signal_t sigint;
    bool stopping;
    cli_progress prog;
    uint64_t before; /* replications of the points already done */
    uint64_t total;
} exec_ctx;

static void on_sigint(uv_signal_t *h, int signum)
{
    exec_ctx *c = h->data;

    (void)signum;
    if (!c->stopping) {
        cli_progress_end(&c->prog);
        fputs("outagesim: interrupted: stopping; a sweep is written whole or not at all, so "
              "nothing will be written\n",
              stderr);
    }
    c->stopping = true;
    osim_sweep_stop(c->sw);
}

static void on_progress(void *ud, uint64_t done, uint64_t total)
{
    exec_ctx *c = ud;

    (void)total;
    cli_progress_draw(&c->prog, c->before + done, c->total);
}

static void close_cb(uv_handle_t *h)
{
    (void)h;
}

void cli_sweep_describe(const cli_exec_opts *o, char *buf, size_t n)
{
    snprintf(buf, n, "1 process x %u thread%s", o->threads, o->threads == 1 ? "" : "s");
}

int cli_sweep_execute(osim_sweep *sw, cli_exec_opts *o, bool *writer)
{
    cli_exec_opts eo = *o;
    osim_sweep_run_options ro;
    exec_ctx c;
    uv_loop_t loop;
    bool sig_live = false;
    char nbuf[32];
    size_t p, np = osim_sweep_points_count(sw);
    uint64_t n = osim_sweep_replications(sw);
    osim_diag d;
    int rc = 0, code = CLI_FAIL;

    *writer = true;
    if (eo.threads == 0) {
        int k = (int)uv_available_parallelism();
        eo.threads = k > 0 ? (unsigned)k : 1u;
        if (eo.threads > MAX_THREADS)
            eo.threads = MAX_THREADS;
    }
    /* libuv sizes its pool when the first work item is queued. */
    snprintf(nbuf, sizeof(nbuf), "%u", eo.threads);
    o->threads = eo.threads;
    if (setenv("UV_THREADPOOL_SIZE", nbuf, 1) != 0) {
        cli_errorf("cannot set UV_THREADPOOL_SIZE");
        return CLI_FAIL;
    }
    if (uv_loop_init(&loop) != 0) {
        cli_errorf("cannot create an event loop");
        return CLI_FAIL;
    }
    memset(&c, 0, sizeof(c));
    c.sw = sw;
    c.total = (uint64_t)np * n;
    if (uv_signal_init(&loop, &c.sigint) == 0) {
        c.sigint.data = &c;
        sig_live = uv_signal_start(&c.sigint, on_sigint, SIGINT) == 0;
    }
    cli_progress_start(&c.prog, "replications", eo.quiet);
    memset(&ro, 0, sizeof(ro));
    ro.threads = eo.threads;
    ro.chunk = eo.chunk;
    ro.loop = &loop;
    if (c.prog.on) {
        ro.progress = on_progress;
        ro.progress_ud = &c;
        ro.progress_ms = 200;
    }
    osim_diag_clear(&d);
    for (p = 0; p < np && rc == 0; p++) {
        osim_mc_result *part = NULL;
        rc = osim_sweep_run_range(sw, p, 0, n, &ro, &part, &d);
        if (rc == 0)
            rc = osim_sweep_store(sw, p, part, &d);
        c.before += n;
    }
    cli_progress_end(&c.prog);
    if (rc == OSIM_ESTOPPED)
        code = CLI_INTERRUPTED;
    else if (rc != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
    } else {
        code = CLI_OK;
    }
    if (sig_live) {
        uv_signal_stop(&c.sigint);
        uv_close((uv_handle_t *)&c.sigint, close_cb);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return code;
}
