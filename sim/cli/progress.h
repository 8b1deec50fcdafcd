/*
 * progress.h -- a one-line progress display on stderr for long runs.
 *
 * Shown only when stderr is a terminal and the user did not ask for
 * --quiet; otherwise every call is a no-op, so that logs and pipes never
 * see carriage returns. The line is redrawn in place ("\r" and erase to
 * the end of the line) and erased by cli_progress_end().
 */
#ifndef OUTAGESIM_CLI_PROGRESS_H
#define OUTAGESIM_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct cli_progress {
    bool on;
    uint64_t t0_ns;   /* uv_hrtime() at start */
    const char *what; /* "replications" */
} cli_progress;

/* Start; on is false when stderr is not a terminal or quiet is set. */
void cli_progress_start(cli_progress *p, const char *what, bool quiet);

/* Redraw: "done/total what  rate/s  ETA". A osim_mc_progress_fn. */
void cli_progress_draw(void *p, uint64_t done, uint64_t total);

/* Erase the line. */
void cli_progress_end(cli_progress *p);

/* Seconds since cli_progress_start (works when the display is off too). */
double cli_progress_elapsed_s(const cli_progress *p);

#endif
