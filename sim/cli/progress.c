/*
 * progress.c -- the progress line: replications done of total, the rate
 * and the time left, redrawn in place on a terminal.
 *
 * Invariant: nothing is written unless stderr is a terminal and --quiet is
 * off; the figures come from the caller (a libuv timer on the run's loop),
 * never from the simulation's results, which hold no wall-clock data.
 */
#include "cli/progress.h"

#include <stdio.h>
#include <unistd.h>
#include <uv.h>

void cli_progress_start(cli_progress *p, const char *what, bool quiet)
{
    p->on = !quiet && isatty(STDERR_FILENO);
    p->t0_ns = uv_hrtime();
    p->what = what;
}

double cli_progress_elapsed_s(const cli_progress *p)
{
    return (double)(uv_hrtime() - p->t0_ns) / 1e9;
}

static void eta_text(char *buf, size_t n, double s)
{
    if (s < 0 || s != s || s > 1e7)
        snprintf(buf, n, "--:--");
    else if (s >= 3600)
        snprintf(buf, n, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60) % 60, (int)s % 60);
    else
        snprintf(buf, n, "%d:%02d", (int)(s / 60), (int)s % 60);
}

void cli_progress_draw(void *ud, uint64_t done, uint64_t total)
{
    cli_progress *p = ud;
    double el, rate;
    char eta[32];

    if (!p->on)
        return;
    el = cli_progress_elapsed_s(p);
    rate = el > 0 ? (double)done / el : 0.0;
    eta_text(eta, sizeof(eta),
             rate > 0 ? (double)(total - (done < total ? done : total)) / rate : -1.0);
    fprintf(stderr, "\r\033[K%llu/%llu %s  %.0f/s  ETA %s", (unsigned long long)done,
            (unsigned long long)total, p->what, rate, eta);
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (!p->on)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
}
