/*
 * spawn.h -- internal: run helper programs (gnuplot, Chromium) to the end,
 * through libuv, with a timeout, a stop hook and their stderr kept.
 *
 * Who includes it: sim/report/gnuplot.c (one gnuplot per figure, all at
 * once) and sim/brief/pdf.c (one Chromium per report). Both need the same
 * mechanics -- no shell, an argument vector, stderr on a pipe that is always
 * drained, a timer that kills a child running too long, a hook asked every
 * 50 ms that kills every child when it says stop -- and each words its own
 * messages from what this module reports. Callers never see libuv: the
 * loop, the handles and libuv's error codes stay in spawn.c.
 *
 * Not thread-safe per call (one private loop per osim__spawn_run), but
 * calls on different threads with their own children do not interact.
 */
#ifndef OUTAGESIM_SPAWN_H
#define OUTAGESIM_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/error.h"

/* At most this much of one child's stderr is kept; the rest is read and
 * dropped (so the child never blocks on a full pipe) and marks truncated. */
#define OSIM__SPAWN_STDERR_MAX 16384u

/* One child. The caller fills the inputs; osim__spawn_run fills the rest. */
typedef struct osim__child {
    /* In (borrowed for the call): args[0] is the program, looked up on PATH
     * when it has no '/'; NULL-terminated. cwd: working folder, or NULL. */
    char *const *args;
    const char *cwd;
    /* Out. started: the program ran (only then do the others mean anything).
     * timed_out: killed for running past the timeout. stopped: killed
     * because the stop hook said so. exit_status and term_signal as the
     * child ended (term_signal 0 when it exited by itself). */
    bool started, timed_out, stopped;
    int64_t exit_status;
    int term_signal;
    /* stderr: NUL-terminated, owned (free with osim__child_free), NULL when
     * the child wrote nothing; truncated when more than the maximum came. */
    char *err;
    size_t err_len;
    bool err_truncated;
} osim__child;

typedef struct osim__spawn_options {
    unsigned timeout_s;    /* per child, from its start; 0 means no timeout */
    int (*stop)(void *ud); /* asked every 50 ms while any child runs; NULL: never */
    void *stop_ud;
} osim__spawn_options;

/* Start children[0..n) at once and wait until every one has ended (or been
 * killed). When a child cannot be started, the ones already started are
 * killed and no further one is started; *spawn_err is then that error (test
 * it with osim__spawn_missing, word it with osim__spawn_strerror), else 0.
 * Returns 0 when every child was started (whatever their exit status),
 * OSIM_EIO when one could not be (*spawn_err says why) or no event loop
 * could be made (*spawn_err 0), OSIM_ENOMEM or OSIM_EINVAL. */
int osim__spawn_run(osim__child *children, size_t n, const osim__spawn_options *opt,
                    int *spawn_err);

/* Whether a spawn error means the program is not there or cannot be run
 * (not found, not executable, a path through a non-folder). */
bool osim__spawn_missing(int spawn_err);

/* The text of a spawn error ("no such file or directory"). Static storage. */
const char *osim__spawn_strerror(int spawn_err);

/* Frees a child's stderr; the inputs are the caller's. NULL is a no-op. */
void osim__child_free(osim__child *c);

#endif
