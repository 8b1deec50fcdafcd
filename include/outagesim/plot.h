/*
 * plot.h -- the figures of a run: data files written from a result (and its
 * series), rendered by gnuplot.
 *
 * Six figures, each a gnuplot script in the source tree's plots/ folder
 * (readable and editable; they read only the files listed here):
 *   timeline        per topology, one row per service, coloured by the
 *                   probability that the service is down over time
 *   affected-users  distinct affected users over time: median, 5-95% band
 *   recovery-cdf    distribution of the time to full recovery
 *   business-loss   loss per affected small business with the compensation
 *                   bracket edges, and the total small-business loss
 *   compensation    total cost per policy and topology: median, 90% interval
 *   designs         downtime, user-hours lost, expected annual loss and
 *                   annual cost per topology
 *
 * A plot folder (RESULTS/plots by convention) holds, after
 * osim_plot_prepare:
 *   common.gp + one <figure>.gp per figure   copies of the scripts
 *   vars.gp         names, counts and the subtitle, as gnuplot assignments;
 *                   every text from the scenario is an inert string expression
 *                   made by gp_escape (it runs nothing in gnuplot)
 *   *.dat           whitespace-separated numbers only (no names), with
 *                   comment lines saying what each column is
 * and after osim_plot_render, <figure>.<png|svg|pdf>. By hand:
 *   cd RESULTS/plots && gnuplot timeline.gp          (PNG)
 *   cd RESULTS/plots && gnuplot -e "fmt='svg'" timeline.gp
 *
 * Every file is written under a temporary name and renamed.
 */
#ifndef OUTAGESIM_PLOT_H
#define OUTAGESIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "outagesim/error.h"
#include "outagesim/mc.h"
#include "outagesim/series.h"

typedef enum osim_plot_format {
    OSIM_PLOT_PNG = 0, /* pngcairo, 1200 x 700 (taller for many topologies) */
    OSIM_PLOT_SVG,
    OSIM_PLOT_PDF,
} osim_plot_format;

#define OSIM_PLOT_FIGURES 6

/* The name of figure i (0 .. OSIM_PLOT_FIGURES-1), e.g. "timeline"; NULL past the end. */
const char *osim_plot_figure(size_t i);

/* "png", "svg", "pdf"; and back (returns 0, or OSIM_EINVAL for another name). */
const char *osim_plot_format_name(osim_plot_format f);
int osim_plot_format_parse(const char *name, osim_plot_format *out);

/*
 * Write the plot folder plot_dir (created if missing) for result r
 * (summarised) and its series s (may be NULL: the timeline and
 * affected-users figures and the per-business loss panel then say that
 * the run kept no series). scripts_dir is the folder holding the scripts
 * (common.gp and <figure>.gp); they are copied into plot_dir. Returns 0,
 * OSIM_EINVAL when s does not belong to r (another scenario, seed or
 * topology list), OSIM_ENOENT when a script is missing, OSIM_EIO.
 */
int osim_plot_prepare(const osim_mc_result *r, const osim_series *s, const char *scripts_dir,
                      const char *plot_dir, osim_diag *diag);

typedef struct osim_plot_options {
    const char *gnuplot; /* program to run; NULL: "gnuplot", looked up on PATH */
    osim_plot_format format;
    unsigned timeout_s; /* per figure; 0 means 300 */
} osim_plot_options;

/* What a render did. Strings are owned; free with osim_plot_outcome_free. */
typedef struct osim_plot_outcome {
    bool gnuplot_missing; /* the program could not be started: nothing rendered */
    size_t rendered;      /* figures written */
    char *failed;         /* the figure gnuplot failed on, or NULL */
    char *gnuplot_stderr; /* what gnuplot wrote on stderr (failure or warnings), or NULL */
} osim_plot_outcome;

/*
 * Render every figure of plot_dir (prepared by osim_plot_prepare) into
 * plot_dir/<figure>.<format>. gnuplot is started with an argument vector
 * (no shell), in plot_dir, once per figure, all figures at once; its
 * output goes to .<figure>.<format>.tmp, renamed on success and removed
 * on failure. Returns 0; OSIM_ENOTSUP with out->gnuplot_missing when the
 * program cannot be found or started; OSIM_EIO when gnuplot fails or runs
 * past the timeout (out->failed names the figure, out->gnuplot_stderr
 * holds its message). Uses a private event loop; call from one thread.
 */
int osim_plot_render(const char *plot_dir, const osim_plot_options *opt, osim_plot_outcome *out,
                     osim_diag *diag);

/*
 * The same for any figures of plot_dir: figures[0..n-1] are names (at most
 * 64 bytes of letters, digits, '-', '_' and '.', not starting with '.';
 * others are OSIM_EINVAL: a name reaches gnuplot's command line); each is
 * rendered from plot_dir/<name>.gp into
 * plot_dir/<name>.<format>. osim_plot_render is this with the six figures
 * above. Used by the sweep and sensitivity figures (sweep.h).
 */
int osim_plot_render_figures(const char *plot_dir, const char *const *figures, size_t n,
                             const osim_plot_options *opt, osim_plot_outcome *out, osim_diag *diag);

void osim_plot_outcome_free(osim_plot_outcome *o);

#endif
