/*
 * plot.h -- rendering gnuplot scripts: gnuplot spawned on the figure
 * scripts of a plot folder, one process per figure, without a shell.
 *
 * A plot folder holds <figure>.gp scripts and the files they read; how it
 * is written is its producer's business (figures.h for a run, sweep.h for
 * sweeps and sensitivity). A script is run with `fmt` (png, svg, pdf) and
 * `out` (the file to write) set by -e, in the plot folder:
 *   cd RESULTS/plots && gnuplot timeline.gp          (PNG)
 *   cd RESULTS/plots && gnuplot -e "fmt='svg'" timeline.gp
 */
#ifndef OUTAGESIM_PLOT_H
#define OUTAGESIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "outagesim/error.h"

typedef enum osim_plot_format {
    OSIM_PLOT_PNG = 0, /* pngcairo, 1200 x 700 (taller for many topologies) */
    OSIM_PLOT_SVG,
    OSIM_PLOT_PDF,
} osim_plot_format;

/* "png", "svg", "pdf"; and back (returns 0, or OSIM_EINVAL for another name). */
const char *osim_plot_format_name(osim_plot_format f);
int osim_plot_format_parse(const char *name, osim_plot_format *out);

typedef struct osim_plot_options {
    const char *gnuplot; /* program to run; NULL: "gnuplot", looked up on PATH */
    osim_plot_format format;
    unsigned timeout_s; /* per figure; 0 means 300 */
    /* Asked about every 50 ms on the calling thread while gnuplot runs (the
     * front end polls its signals there); nonzero stops the render: every
     * gnuplot still running is killed, no figure of the call is published
     * and the result is OSIM_ESTOPPED. NULL: never stop. */
    int (*stop)(void *ud);
    void *stop_ud;
} osim_plot_options;

/* What a render did. Strings are owned; free with osim_plot_outcome_free. */
typedef struct osim_plot_outcome {
    bool gnuplot_missing; /* the program could not be started: nothing rendered */
    size_t rendered;      /* figures written */
    char *failed;         /* the figure gnuplot failed on, or NULL */
    char *gnuplot_stderr; /* what gnuplot wrote on stderr (failure or warnings), or NULL */
    int killed_by;        /* the signal that killed a gnuplot (Ctrl-C: SIGINT), or 0 */
} osim_plot_outcome;

/*
 * Render figures[0..n-1] of plot_dir: each is rendered from
 * plot_dir/<name>.gp into plot_dir/<name>.<format>. Names are at most 64
 * bytes of letters, digits, '-', '_' and '.', not starting with '.'
 * (others are OSIM_EINVAL: a name reaches gnuplot's command line).
 * gnuplot is started with an argument vector (no shell), in plot_dir,
 * once per figure, all figures at once; its output goes to
 * .<figure>.<format>.tmp, renamed on success and removed on failure.
 * Returns 0; OSIM_ENOTSUP with out->gnuplot_missing when the program
 * cannot be found or started; OSIM_EIO when gnuplot fails or runs past the
 * timeout (out->failed names the figure, out->gnuplot_stderr holds its
 * message); OSIM_ESTOPPED when opt->stop asked to stop (nothing of this
 * call is published). Uses a private event loop; call from one thread.
 */
int osim_plot_render_figures(const char *plot_dir, const char *const *figures, size_t n,
                             const osim_plot_options *opt, osim_plot_outcome *out, osim_diag *diag);

/* Free the strings of an outcome and reset them to NULL. NULL is a no-op. */
void osim_plot_outcome_free(osim_plot_outcome *o);

/*
 * Copy the script scripts_dir/name into dir/name (atomically): how the
 * producers of a plot folder put the fixed scripts (common.gp, ...) beside
 * their data. Returns 0, OSIM_ENOENT (no such script), OSIM_EIO,
 * OSIM_ENOMEM.
 */
int osim_plot_copy_script(const char *scripts_dir, const char *dir, const char *name,
                          osim_diag *diag);

#endif
