/*
 * publish.h -- the unit of publication is a folder.
 *
 * A command that writes OUT (run, merge, sweep, sensitivity --out, plot
 * DIR) never writes into OUT itself. Step by step:
 *
 *   1. cli_publish_begin takes an exclusive flock(2) on PARENT/.BASE.lock
 *      (OUT itself is swapped, so it cannot hold the lock). A second writer
 *      of the same OUT waits for it (saying so on stderr) up to
 *      CLI_PUBLISH_WAIT_S, or fails at once with CLI_PUBLISH_NO_WAIT.
 *   2. Under the lock, staging folders of dead processes
 *      (PARENT/.BASE.stage.PID.*, kill(PID, 0) failing with ESRCH) are
 *      removed with what they hold.
 *   3. A fresh staging folder PARENT/.BASE.stage.PID.RAND is made (same
 *      filesystem as OUT); with CLI_PUBLISH_KEEP (plot) the files of the
 *      current OUT are hard-linked into it (outagesim never modifies a file
 *      in place: every write is a new file renamed over the old, so a link
 *      is as good as a copy, and the published OUT is never touched).
 *   4. The command writes every file and figure into p->stage.
 *   5. cli_publish_commit fsyncs every file and folder of the stage, then
 *      swaps it in with ONE rename: renameat2(RENAME_EXCHANGE) when OUT
 *      exists, renameat2(RENAME_NOREPLACE) when it does not; fsyncs PARENT;
 *      removes the old tree, now at the staging name.
 *   6. cli_publish_end removes a stage that was not committed and releases
 *      the lock.
 *
 * So whatever happens (kill -9, a full disk, an immutable file), OUT holds
 * either the previous run or the new one, whole; leftovers of a killed
 * writer are hidden and collected by the next writer of OUT.
 *
 * Test hook: OUTAGESIM_TEST_PAUSE=publish:STEP makes the process stop
 * itself (raise(SIGSTOP)) at STEP, one of locked, begun, staged,
 * before-swap, after-swap, before-cleanup, done, so that the tests
 * (tests/cli.d/publish.sh) can kill -9 it exactly there.
 */
#ifndef OUTAGESIM_CLI_PUBLISH_H
#define OUTAGESIM_CLI_PUBLISH_H

#include <stdbool.h>

#define CLI_PUBLISH_NO_WAIT 1u /* fail at once when another writer holds OUT */
#define CLI_PUBLISH_KEEP 2u    /* the stage starts with OUT's files (hard links) */
#define CLI_PUBLISH_WAIT_S 600 /* how long a second writer waits for the first */

typedef struct cli_publish {
    char *out;   /* the folder published (owned copy; a symbolic link resolved) */
    char *stage; /* PARENT/.BASE.stage.PID.RAND while staging (owned), else NULL */
    char *lock;  /* PARENT/.BASE.lock (owned) */
    int lock_fd; /* -1 when not held */
} cli_publish;

/*
 * Steps 1-3 above for folder out; flags CLI_PUBLISH_*. Returns CLI_OK, or
 * an exit code after printing why (CLI_FAIL: the lock is held and
 * --no-wait, or a file error). After any return p may be given to
 * cli_publish_end.
 */
int cli_publish_begin(cli_publish *p, const char *out, unsigned flags);

/* Step 5. Returns CLI_OK or CLI_FAIL (printed: OUT is then untouched). */
int cli_publish_commit(cli_publish *p);

/* Step 6: remove an uncommitted stage, release the lock, free p. Safe twice. */
void cli_publish_end(cli_publish *p);

/*
 * For a reader of folder dir (merge's parts): a shared lock on its lock
 * file, so that no writer swaps dir while it is read. Returns the lock's
 * descriptor, or -1 when there is none to take (no lock file: no writer
 * since; an unwritable parent); reading then relies on the swap alone
 * and on the identity checks of the readers. Waits for a writer like
 * cli_publish_begin (CLI_PUBLISH_WAIT_S).
 */
int cli_publish_share(const char *dir);

/* Release what cli_publish_share took (-1: nothing). */
void cli_publish_unshare(int fd);

/* The test hook above: stop here if OUTAGESIM_TEST_PAUSE names publish:step. */
void cli_publish_pause(const char *step);

#endif
