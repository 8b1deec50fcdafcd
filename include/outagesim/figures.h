/*
 * figures.h -- the figures of a run: a plot folder written from a result
 * (and its series), then rendered by gnuplot (plot.h).
 *
 * Seven figures, each a gnuplot script in the source tree's plots/ folder
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
 *   systems_back    share of all systems back over time (days): mean and
 *                   5-95% band per topology
 *
 * A plot folder (RESULTS/plots by convention) holds, after
 * osim_figures_prepare:
 *   common.gp + one <figure>.gp per figure   copies of the scripts
 *   vars.gp         names, counts and the subtitle, as gnuplot assignments;
 *                   every text from the scenario is an inert string expression
 *                   made by gp_escape (it runs nothing in gnuplot)
 *   *.dat           whitespace-separated numbers only (no names), with
 *                   comment lines saying what each column is
 * and after osim_figures_render, <figure>.<png|svg|pdf>. By hand:
 *   cd RESULTS/plots && gnuplot timeline.gp          (PNG)
 *   cd RESULTS/plots && gnuplot -e "fmt='svg'" timeline.gp
 *
 * Every file is written under a temporary name and renamed. Everything
 * written is a pure function of the result and the series: the same run
 * gives the same bytes.
 */
#ifndef OUTAGESIM_FIGURES_H
#define OUTAGESIM_FIGURES_H

#include <stddef.h>

#include "outagesim/error.h"
#include "outagesim/plot.h"
#include "outagesim/result.h"
#include "outagesim/series.h"

#define OSIM_FIGURES_COUNT 7

/* The eighth figure, drawn only for a catalogue's result (r->catalogue set,
 * catalogue.h): every design's aggregate exceedance curve, log-log, with
 * the return periods of the risk table marked. Its data: exceedance.dat
 * (risk.h's format) and exceedance-rp.dat. */
#define OSIM_FIGURES_EXCEEDANCE "exceedance"

/* The names of the figures of r (the seven above, then "exceedance" when r
 * holds a catalogue's risk) into names[0..cap-1]; returns how many. */
size_t osim_figures_of(const osim_mc_result *r, const char **names, size_t cap);

/* The name of figure i (0 .. OSIM_FIGURES_COUNT-1), e.g. "timeline"; NULL past the end. */
const char *osim_figures_name(size_t i);

/*
 * Write the plot folder plot_dir (created if missing) for result r
 * (summarised) and its series s (may be NULL: the timeline and
 * affected-users figures and the per-business loss panel then say that
 * the run kept no series). scripts_dir is the folder holding the scripts
 * (common.gp and <figure>.gp); they are copied into plot_dir. Returns 0,
 * OSIM_EINVAL when s does not belong to r (another scenario, seed or
 * topology list), OSIM_ENOENT when a script is missing, OSIM_EIO.
 */
int osim_figures_prepare(const osim_mc_result *r, const osim_series *s, const char *scripts_dir,
                         const char *plot_dir, osim_diag *diag);

/*
 * Render the seven figures of plot_dir (prepared by osim_figures_prepare)
 * into plot_dir/<figure>.<format>: osim_plot_render_figures() with the
 * names above, with its return codes and outcome.
 */
int osim_figures_render(const char *plot_dir, const osim_plot_options *opt, osim_plot_outcome *out,
                        osim_diag *diag);

#endif
