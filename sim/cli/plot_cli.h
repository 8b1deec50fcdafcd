/*
 * plot_cli.h -- drawing the figures of a results folder, shared by
 * `outagesim plot` and `outagesim run --plots`.
 */
#ifndef OUTAGESIM_CLI_PLOT_H
#define OUTAGESIM_CLI_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "outagesim/mc.h"
#include "outagesim/plot.h"
#include "outagesim/series.h"

/*
 * Write DIR/plots (data, vars.gp, copies of the scripts) for result r and
 * series s (NULL: none) and render it with gnuplot in format fmt. DIR is
 * a staging folder (publish.h); messages name shown/plots instead. Prints
 * what it did (unless quiet) and any error; returns an exit code:
 * CLI_OK when the figures were drawn, and also when gnuplot is missing
 * (a one-line message says how to draw them later); CLI_FAIL when
 * gnuplot failed (its stderr is shown) or a file could not be written.
 * Environment: OUTAGESIM_PLOTS (the scripts' folder, default plots/
 * beside the executable's build folder), OUTAGESIM_GNUPLOT (the program,
 * default gnuplot on PATH).
 */
int cli_plot_draw(const char *dir, const char *shown, const osim_mc_result *r, const osim_series *s,
                  osim_plot_format fmt, bool quiet);

/*
 * Render figures[0..n-1] (<name>.gp scripts) of plot_dir in format fmt,
 * printing as cli_plot_draw does, with shown (the folder the user will
 * find them in, publish.h) in messages: a missing gnuplot is a one-line
 * note with the command that draws them later, not a failure; a stop
 * signal (signals.c) kills gnuplot and gives 128+signal, as does a gnuplot
 * stopped by SIGINT, SIGTERM or SIGHUP. Used by cli_plot_draw, `sweep` and
 * `sensitivity`. Returns an exit code.
 */
int cli_plot_render(const char *plot_dir, const char *shown, const char *const *figures, size_t n,
                    osim_plot_format fmt, bool quiet);

/*
 * Whether series s (read from dir) belongs to the run of r: same version,
 * scenario SHA-256, seed and replication range. CLI_OK, or CLI_FAIL after
 * saying that the folder mixes two runs.
 */
int cli_plot_same_run(const char *dir, const osim_mc_result *r, const osim_series *s);

/*
 * The folder of the plot scripts (the one holding common.gp), into buf (n
 * bytes): $OUTAGESIM_PLOTS; else plots/ beside the build folder of this
 * program (build/outagesim, build/asan/outagesim) or beside the program;
 * else ./plots. Returns 0, or -1 after printing why. Used by `plot`,
 * `run --plots`, `sweep` and `sensitivity`.
 */
int cli_plot_scripts_dir(char *buf, size_t n);

#endif
