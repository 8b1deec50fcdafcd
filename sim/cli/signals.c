/*
 * signals.c -- the one place where the command line catches the signals
 * that stop a command: SIGINT (Ctrl-C), SIGTERM (kill, Slurm, Kubernetes)
 * and SIGHUP (a closed terminal or ssh session), all three alike.
 *
 * Invariant: a stop signal never kills the process and never does work in
 * signal context. main() installs one libuv signal handle per signal on a
 * loop of the front end's own before the command runs (once libuv could be
 * set up: see cli_signals_start); libuv's handler
 * only notes the signal, and the loop delivers it when the command polls
 * (cli_signals_poll: from the progress callback of a run or sweep, from
 * the tick of a paced replay, at the publication step of merge and plot).
 * The first signal is remembered, and the command's stop hook (if one is
 * set) asks the library to stop: the library then returns OSIM_ESTOPPED,
 * with whatever was completed kept, and cli_exit_code turns that into 128
 * plus the signal's number -- 130, 143, 129 -- as a shell reports a
 * process killed by it.
 *
 * SIGPIPE is ignored instead: a write to a closed pipe then fails with
 * EPIPE, which the front end turns into a quiet exit 141 (main.c) after
 * whatever files were being published are in place or untouched.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "cli/cli.h"

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

static struct {
    uv_loop_t loop;
    uv_signal_t handles[NSTOP];
    bool loop_live, handle_live[NSTOP];
    int caught; /* the first stop signal, or 0 */
    cli_stop_fn hook;
    void *hook_ud;
} S;

static void on_signal(uv_signal_t *h, int signum)
{
    (void)h;
    if (S.caught == 0)
        S.caught = signum;
    if (S.hook != NULL)
        S.hook(S.hook_ud, signum);
}

void cli_signals_start(void)
{
    struct sigaction sa;
    int fd[3];
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);
    /* libuv aborts at its first loop if it cannot have its pipes (main.c,
     * start_libuv, checks this for the commands with loops; validate,
     * params and merge have none). Without three spare file handles the
     * stop signals keep their default action rather than risk that. */
    if (pipe(fd) != 0)
        return;
    fd[2] = dup(fd[0]);
    close(fd[0]);
    close(fd[1]);
    if (fd[2] < 0)
        return;
    close(fd[2]);
    if (uv_loop_init(&S.loop) != 0)
        return; /* no handles: the signals keep their default action */
    S.loop_live = true;
    for (i = 0; i < NSTOP; i++) {
        if (uv_signal_init(&S.loop, &S.handles[i]) != 0)
            continue;
        S.handle_live[i] = true;
        if (uv_signal_start(&S.handles[i], on_signal, stop_signals[i]) != 0) {
            uv_close((uv_handle_t *)&S.handles[i], NULL);
            S.handle_live[i] = false;
        }
    }
}

void cli_signals_end(void)
{
    size_t i;

    if (!S.loop_live)
        return;
    for (i = 0; i < NSTOP; i++) {
        if (S.handle_live[i]) {
            uv_signal_stop(&S.handles[i]);
            uv_close((uv_handle_t *)&S.handles[i], NULL);
            S.handle_live[i] = false;
        }
    }
    uv_run(&S.loop, UV_RUN_DEFAULT);
    uv_loop_close(&S.loop);
    S.loop_live = false;
}

void cli_signals_on_stop(cli_stop_fn fn, void *ud)
{
    S.hook = fn;
    S.hook_ud = ud;
    /* A signal that came before the hook was set still stops the work. */
    if (fn != NULL && S.caught != 0)
        fn(ud, S.caught);
    else if (fn != NULL)
        cli_signals_poll();
}

void cli_signals_poll(void)
{
    if (S.loop_live)
        uv_run(&S.loop, UV_RUN_NOWAIT);
}

int cli_signals_caught(void)
{
    cli_signals_poll();
    return S.caught;
}

const char *cli_signal_name(int signum)
{
    switch (signum) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "SIGPIPE";
    default: return "a signal";
    }
}

int cli_interrupted_code(void)
{
    return 128 + (S.caught != 0 ? S.caught : SIGINT);
}

bool cli_stdout_gone(void)
{
    struct pollfd p;

    /* The write end of a pipe whose reader has gone polls as POLLERR. */
    p.fd = STDOUT_FILENO;
    p.events = 0;
    p.revents = 0;
    return poll(&p, 1, 0) == 1 && (p.revents & POLLERR) != 0;
}

int cli_signals_stop_hook(void *ud)
{
    (void)ud;
    return cli_signals_caught() != 0;
}
