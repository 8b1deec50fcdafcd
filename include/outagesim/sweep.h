/*
 * sweep.h -- many Monte Carlo runs of one scenario, each with some values
 * changed: parameter sweeps (a grid of --vary axes) and one-at-a-time
 * sensitivity swings, split into work units that any number of processes
 * can share.
 *
 * A sweep is a list of points. Point p is the scenario loaded with the base
 * overrides (--set) followed by the point's own overrides, and run as one
 * Monte Carlo run over replications 0..N-1 with the sweep's seed: every
 * point meets the same fires (common random numbers), so a difference
 * between two points is the effect of the values changed, not noise.
 *
 * Grid: the points of `--vary` axes are their product in a fixed order,
 * the first axis slowest (like nested loops in command-line order): with
 * axes A (a0, a1) and B (b0, b1, b2) the points are
 *   (a0,b0) (a0,b1) (a0,b2) (a1,b0) (a1,b1) (a1,b2).
 *
 * Work units: point p's replications are cut into blocks of `block`
 * replications; unit u is (point, block) in point-major order. A unit is an
 * ordinary partial run (osim_mc over [from, to)); its result goes back into
 * the sweep with osim_sweep_store, and when a point's parts tile 0..N-1
 * they are combined by osim_mc_result_merge -- the code of `outagesim
 * merge` -- into exactly the result of one run over 0..N-1. So the outputs
 * are the same bytes however the units were spread over threads,
 * processes or machines, and whatever the block size.
 *
 * Lifecycle: osim_sweep_new (loads the base scenario), osim_sweep_add_grid
 * or osim_sweep_add_point, osim_sweep_check (loads every point once, so a
 * bad value fails before anything runs), then osim_sweep_run (every unit,
 * on the program's processes) -- or, by hand, for each point or unit
 * osim_sweep_run_range + osim_sweep_store; osim_sweep_resume between
 * check and run takes the points an interrupted sweep completed -- then the writers, then
 * osim_sweep_free. A sweep belongs to one thread (it caches the scenario
 * of the last point it ran); each run uses the process's thread pool
 * (see mc.h).
 */
#ifndef OUTAGESIM_SWEEP_H
#define OUTAGESIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outagesim/error.h"
#include "outagesim/mc.h"
#include "outagesim/money.h"
#include "outagesim/plot.h"
#include "outagesim/scenario.h"

/* ------------------------------------------------------------ axes */

/*
 * One --vary axis: "PATH=VALUES".
 *
 * VALUES is either a list V1,V2,... of texts, each passed to the scenario
 * exactly as `--set PATH=V` would be (so 45m, 1.5h, 30%, 1.5M and flow
 * YAML such as {dist: uniform, min: 5m, max: 30m} all work; commas inside
 * [] {} or quotes do not split), or a range LO:HI:STEPS: two plain numbers
 * with the same unit suffix (none, or letters, '%' or '/': 30m:4h is
 * refused, 30m:240m is fine) and a count STEPS >= 2 of evenly spaced
 * points, both ends included. Range values are written with up to 12
 * significant digits followed by the suffix: 30m:240m:8 gives 30m, 60m,
 * ..., 240m. A value list that is exactly NUMBER[SUFFIX]:NUMBER[SUFFIX]:COUNT
 * is a range; anything else is a list.
 *
 * Scale factors: values xF (x0.5,x1,x2, or a range x0.5:x2:4 of factors)
 * scale PATH -- a number, or a whole distribution as a random variable
 * X -> F X -- exactly as `--set PATH=xF` and `outagesim sensitivity` do
 * (osim_param_table_scale, scenario.h); x1 is the base scenario bit for
 * bit.
 *
 * PATH is a settable path (`outagesim params`), and may use `*` for one
 * whole segment: topologies.dual-active-standby.services.*.failover_time
 * sets every service's failover time of that topology to the same value.
 * A pattern is expanded against the base scenario's settable paths
 * (osim_sweep_add_grid) and must match at least one.
 */
typedef struct osim_sweep_axis {
    char *path;   /* as given (may hold '*'), owned */
    char **paths; /* expanded paths (after osim_sweep_add_grid), owned */
    size_t paths_count;
    char **values; /* texts, owned */
    size_t values_count;
    double *numbers; /* per value: its number when every value is NUMBER[SUFFIX]
                      * with one common suffix, or every value a factor xF (then
                      * F), else NULL (the axis is categorical) */
    char *suffix;    /* that common suffix ("" for plain numbers and factors), or NULL */
    bool factors;    /* every value is a scale factor xF */
    char **labels;   /* per value: how tables and figures show it (owned): the
                      * value itself when short and plain, a flow-YAML value as
                      * "lognormal median 1h p95 3h" (never cut) */
} osim_sweep_axis;

/* Parse "PATH=VALUES". Returns 0, or OSIM_EINVAL with diag saying what is
 * wrong (file "--vary ARG"); OSIM_ENOMEM. */
int osim_sweep_axis_parse(const char *arg, osim_sweep_axis **out, osim_diag *diag);

void osim_sweep_axis_free(osim_sweep_axis *a);

/* Split VALUES at top-level commas (not inside [] {} or quotes) into owned
 * strings. Returns 0, OSIM_EINVAL for an empty value, OSIM_ENOMEM. */
int osim_sweep_split_values(const char *text, char ***out, size_t *n);

/* Does path match pattern (segments separated by '.', '*' matching one
 * whole segment)? */
bool osim_sweep_path_match(const char *pattern, const char *path);

/* ------------------------------------------------------------ the sweep */

typedef struct osim_sweep_spec {
    const char *scenario;      /* path of the scenario file (borrowed) */
    const osim_override *base; /* --set overrides of every point (copied) */
    size_t base_count;
    const char *const *topologies; /* names to run; NULL: every topology */
    size_t topologies_count;
    uint64_t seed;
    uint64_t replications; /* N >= 1: every point runs 0..N-1 */
} osim_sweep_spec;

typedef struct osim_sweep osim_sweep;

/* A point as the outputs describe it. */
typedef struct osim_sweep_point {
    osim_override *overrides; /* base then the point's own, owned */
    size_t overrides_count;
    size_t own_from; /* overrides[own_from..] are the point's own */
    size_t *coord;   /* grid points: value index per axis; else NULL */
    char *label;     /* "PATH=V, PATH=V" of the point's own (or "base"), owned */
} osim_sweep_point;

/*
 * A new, empty sweep. Loads the scenario with the base overrides (errors
 * as osim_scenario_load's, with the file and line) and resolves the
 * topology names (OSIM_EINVAL for an unknown one).
 */
int osim_sweep_new(const osim_sweep_spec *spec, osim_sweep **out, osim_diag *diag);

void osim_sweep_free(osim_sweep *sw);

/* The scenario with the base overrides (borrowed, valid until free). */
const osim_scenario *osim_sweep_base(const osim_sweep *sw);

/*
 * Add the product of axes (ownership of the axes passes to the sweep, also
 * on failure). Expands '*' patterns. OSIM_EINVAL when a pattern matches
 * nothing, when a path is set twice (by two axes, or by an axis and a
 * base --set), or when the grid would exceed OSIM_SWEEP_MAX_POINTS points.
 * Call at most once, before any osim_sweep_add_point.
 */
#define OSIM_SWEEP_MAX_POINTS 1000000u
int osim_sweep_add_grid(osim_sweep *sw, osim_sweep_axis **axes, size_t n, osim_diag *diag);

/* Add one point with overrides ov (copied; applied after the base ones) and
 * a label (copied; NULL: made from ov). Returns its index in *index. */
int osim_sweep_add_point(osim_sweep *sw, const osim_override *ov, size_t n, const char *label,
                         size_t *index);

/*
 * Load every point's scenario once and check that it runs the same
 * topologies. On failure diag says which point (its label) and what is
 * wrong, as osim_scenario_load reports it; nothing has run.
 */
int osim_sweep_check(osim_sweep *sw, osim_diag *diag);

size_t osim_sweep_points_count(const osim_sweep *sw);
const osim_sweep_point *osim_sweep_point_at(const osim_sweep *sw, size_t p);
size_t osim_sweep_axes_count(const osim_sweep *sw);
const osim_sweep_axis *osim_sweep_axis_at(const osim_sweep *sw, size_t a);
uint64_t osim_sweep_replications(const osim_sweep *sw);
uint64_t osim_sweep_seed(const osim_sweep *sw);
const char *osim_sweep_scenario_path(const osim_sweep *sw);

/* ------------------------------------------------------------ units */

/* Replications per unit (>= 1; default: all N, one unit per point). */
void osim_sweep_set_block(osim_sweep *sw, uint64_t block);
uint64_t osim_sweep_block(const osim_sweep *sw);

/* Units: points x ceil(N / block), point-major. */
size_t osim_sweep_units_count(const osim_sweep *sw);

/* Point and replication range of unit u. */
void osim_sweep_unit(const osim_sweep *sw, size_t u, size_t *point, uint64_t *from, uint64_t *to);

/* ------------------------------------------------------------ running */

typedef struct osim_sweep_run_options {
    unsigned threads; /* per process, >= 1 */
    unsigned chunk;   /* 0: osim_mc's default */
    /* On the calling thread while replications run (see mc.h; it may call
     * osim_sweep_stop); may be NULL. For osim_sweep_run: replications
     * stored, plus those done of the unit running here, of points x N. */
    osim_mc_progress_fn progress;
    void *progress_ud;
    unsigned progress_ms;
} osim_sweep_run_options;

/*
 * Run every unit of sw (set the block first; osim_sweep_check first) and
 * store each part, on the program's processes: in build/outagesim every
 * unit runs here, in index order; in build/outagesim-mpi rank 0 hands the
 * units out to the ranks of the MPI job, runs some itself, and stores the
 * parts that come back (see sim/mpi/exec_mpi.c). Either way the stored
 * results are the same bytes. Returns 0 (on the process that stores: every
 * point is complete; on the other ranks: their share is done and nothing
 * is stored there), OSIM_ESTOPPED after osim_sweep_stop, or another
 * negative code with diag naming the point (of the lowest failed unit).
 */
int osim_sweep_run(osim_sweep *sw, const osim_sweep_run_options *opt, osim_diag *diag);

/*
 * Run replications from..to-1 of point p (loading its scenario unless the
 * last run was of the same point) and give the partial result (owned by
 * the caller, summarised). Returns 0, OSIM_ESTOPPED after osim_sweep_stop
 * (nothing is given), or another negative code with diag naming the point.
 */
int osim_sweep_run_range(osim_sweep *sw, size_t p, uint64_t from, uint64_t to,
                         const osim_sweep_run_options *opt, osim_mc_result **out, osim_diag *diag);

/* Ask the run in progress to stop (from the thread that runs it, e.g. in
 * its progress callback after a signal). */
void osim_sweep_stop(osim_sweep *sw);

/*
 * Give back a partial result of point p (ownership passes to the sweep,
 * also on failure). When the parts stored for p tile 0..N-1 they are
 * merged (osim_mc_result_merge), summarised, and the rows are dropped:
 * the sweep keeps each point's statistics, not its replications.
 * OSIM_EINVAL when the part overlaps one already stored, is not of point
 * p's scenario or does not merge.
 */
int osim_sweep_store(osim_sweep *sw, size_t p, osim_mc_result *part, osim_diag *diag);

/* Point p's summarised result once complete (rows dropped), else NULL. */
const osim_mc_result *osim_sweep_result(const osim_sweep *sw, size_t p);

/* Whether every point is complete. */
bool osim_sweep_complete(const osim_sweep *sw);

/*
 * Resuming an interrupted sweep. osim_sweep_write_dir of a sweep that is
 * not complete (stopped by osim_sweep_stop) writes, besides sweep.csv and
 * sweep.json of its complete points, OSIM_SWEEP_RESUME_FILE: the sweep's
 * definition and each complete point's summarised result, exactly (native
 * doubles: read back only by the same build on the same kind of machine).
 *
 * osim_sweep_resume reads it from dir into sw (after osim_sweep_check,
 * before osim_sweep_run) when sw is the same sweep: the same scenario file
 * name and bytes, base overrides, axes and values, seed, replications and
 * topologies. Its complete points are then stored as if run here, and
 * osim_sweep_run runs only the others, so the sweep's files are the same
 * bytes as those of a sweep never stopped. *resumed gets the number of
 * points taken. Returns 0; OSIM_ENOENT when dir holds no resume file
 * (diag says whether the sweep there is already complete); OSIM_EINVAL
 * when it is another sweep (diag names the first difference: "seed: 1
 * there, 2 here") or the file is damaged; OSIM_EIO, OSIM_ENOMEM.
 */
#define OSIM_SWEEP_RESUME_FILE "sweep.resume"
int osim_sweep_resume(osim_sweep *sw, const char *dir, size_t *resumed, osim_diag *diag);

/* ------------------------------------------------------------ figures */

/* Which statistic of a metric a figure shows. */
typedef enum osim_sweep_stat {
    OSIM_SWEEP_P50 = 0, /* band: p5 .. p95 */
    OSIM_SWEEP_MEAN,    /* band: 95% CI of the mean */
    OSIM_SWEEP_P5,
    OSIM_SWEEP_P95,
} osim_sweep_stat;

/* "p50", "mean", "p5", "p95"; and back (0 or OSIM_EINVAL). */
const char *osim_sweep_stat_name(osim_sweep_stat s);
int osim_sweep_stat_parse(const char *name, osim_sweep_stat *out);

/*
 * A figure of result r under topology t. metric is a catalogue name
 * (a column of replications.csv) or one of the economics figures
 *   economics.mean_incident_cost_money   (band: 95% CI)
 *   economics.expected_annual_loss_money
 *   economics.annual_cost_money
 *   economics.net_annual_benefit_money   (band: 95% CI; 0 for the baseline)
 *   economics.break_even_probability   (NaN unless the design pays above
 *                                       or below a probability)
 * for which stat is ignored. *value and the band (lo, hi; equal to value
 * when there is none) may be NaN. *unit is the metric's unit ("money",
 * "money/year" -- whole units of r->currency --, "h", ..., "per year"). Returns 0 or OSIM_EINVAL
 * for an unknown metric.
 */
int osim_sweep_figure(const osim_mc_result *r, size_t t, const char *metric, osim_sweep_stat stat,
                      double *value, double *lo, double *hi, const char **unit);

/* The default metric of a result: "compensation.<first policy>.total_money",
 * or "incident_cost_money" when there is no policy (static or r-owned). */
const char *osim_sweep_default_metric(const osim_mc_result *r);

/* ------------------------------------------------------------ outputs */

/*
 * sweep.csv: a '#' provenance line, then one row per point, topology and
 * metric: point,<one column per axis (or "overrides" for non-grid points)>,
 * topology,metric,unit,n,mean,ci95_low,ci95_high,p5,p50,p95,min,max --
 * the catalogue's metrics rounded like summary.csv, then the economics
 * rows exactly as summary.csv has them (economics.*; the columns that do
 * not apply are empty). An axis column holds the point's label (30m,
 * x0.5, "uniform min 5m max 30m"); an axis whose labels differ from its
 * values (YAML distributions) has a second column "PATH (value)" with the
 * value as given.
 */
int osim_sweep_write_csv(const osim_sweep *sw, FILE *f, osim_diag *diag);

/*
 * sweep.json: {"tool", "version", "sweep": {scenario, file, base
 * overrides, seed, replications, axes [{path, paths, values}]}, "points":
 * [{"index", "values" {path: value} (grid) or "overrides", "label",
 * "result": the point's result document}]}, where each result is exactly
 * the document `outagesim run --format json` writes for that point.
 */
int osim_sweep_write_json(const osim_sweep *sw, FILE *f, osim_diag *diag);

/*
 * The table `outagesim sweep` prints: one row per point (its number and
 * each axis' label: the value as written, a factor x0.5, or a
 * distribution's numbers), one column per topology with the chosen figure
 * (money in the currency's large unit, 억원 or €m, else 4 significant digits). Every column is as
 * wide as its longest name or value: no name is ever cut. Returns 0, OSIM_EINVAL (unknown metric,
 * or a point has not run), OSIM_ENOMEM, OSIM_EIO.
 */
int osim_sweep_write_table(const osim_sweep *sw, const char *metric, osim_sweep_stat stat, FILE *f,
                           osim_diag *diag);

/*
 * A figure as table text into buf (n bytes), as the tables of sweep and
 * sensitivity show it: money (unit "money" or "money/...") as cur's tables
 * write it (osim_money_format_table: 억원, €m or whole euros; NULL cur:
 * KRW), "-" for NaN,
 * anything else with 4 significant digits. One formatter, so both tables
 * print the same number the same way.
 */
void osim_sweep_format_cell(char *buf, size_t n, double v, const char *unit,
                            const osim_currency *cur);

/* Write dir/sweep.csv and dir/sweep.json (atomically; dir created). A sweep
 * that is not complete (interrupted) writes its complete points, says so
 * in both files ("; interrupted; complete points 1-3" in the '#' line of
 * sweep.csv; "interrupted": true, "complete_points": "1-3", and for each
 * other point "complete": false and "result": null in sweep.json) and
 * writes OSIM_SWEEP_RESUME_FILE too; a complete one removes that file. */
int osim_sweep_write_dir(const osim_sweep *sw, const char *dir, osim_diag *diag);

/*
 * The sweep's figures into plot_dir: per axis k (1-based) a line plot
 * sweep-axis-<k> of the metric (stat and its band) against the axis'
 * values, one line per topology, the other axes at their first value; and
 * with two or more axes a heat map sweep-heatmap of the first two axes,
 * one panel per topology. Writes sweep-vars.gp (names as inert literals,
 * gp_escape.h), sweep-*.dat (numbers), copies of common.gp and the scripts
 * sweep-line.gp and sweep-heat.gp from scripts_dir, and a two-line
 * driver per figure. The names of the figures go into *figures (owned by
 * the caller: free each and the array) for osim_plot_render_figures.
 * Only grid sweeps have figures (OSIM_EINVAL otherwise).
 */
int osim_sweep_plot_prepare(const osim_sweep *sw, const char *metric, osim_sweep_stat stat,
                            const char *scripts_dir, const char *plot_dir, char ***figures,
                            size_t *figures_count, osim_diag *diag);

/* One bar of a tornado chart: a parameter (borrowed) and the figure with
 * the parameter at its low and at its high swing. */
typedef struct osim_sweep_bar {
    const char *param;
    double at_low, at_high;
} osim_sweep_bar;

/* A tornado chart (all borrowed): bars in the order drawn, top first. */
typedef struct osim_sweep_tornado {
    const char *title, *subtitle;  /* shown as inert text */
    const char *unit;              /* the figure's; money ("money...") is drawn in the
                                    * figure unit of currency (억원, € million) */
    const osim_currency *currency; /* of money figures; NULL: KRW */
    double base;                   /* the figure with no parameter swung */
    double lo_factor, hi_factor;   /* the swings, for the legend */
    const osim_sweep_bar *bars;
    size_t bars_count;
} osim_sweep_tornado;

/*
 * The tornado figure "tornado" of a sensitivity into plot_dir (created):
 * tornado.dat (numbers), tornado-vars.gp (texts as inert literals,
 * gp_escape.h; a parameter's name cut to 64 characters) and copies of
 * common.gp and tornado.gp from scripts_dir, for osim_plot_render_figures.
 * Returns 0, OSIM_ENOENT (a script is missing), OSIM_ENOMEM, OSIM_EIO.
 */
int osim_sweep_tornado_prepare(const osim_sweep_tornado *t, const char *scripts_dir,
                               const char *plot_dir, osim_diag *diag);

/* ------------------------------------------------------------ sensitivity */

/*
 * One-at-a-time sensitivity: a parameter is a settable path with a number
 * (a count, hours, won, a fraction, ...) or a distribution (the prefix of
 * a `.dist` path). Swinging it by a factor f multiplies the number, or the
 * random variable of the distribution (X -> f X: every location and scale
 * parameter and clamp is multiplied, a lognormal's mu gains ln f, shapes
 * and sigma stay); money and counts are rounded to whole numbers and
 * fractions capped at 1. Empirical distributions cannot be swung.
 */

/*
 * The overrides that swing parameter `param` of sc by factor f (> 0).
 * *ov gets n owned overrides (free each .path -- the value shares its
 * block -- with osim_sweep_overrides_free), *shown a short text of the new
 * value (owned; "0.675 h" or "lognormal median 0.675 h"). Returns 0;
 * OSIM_EINVAL when param is not a number or swingable distribution of sc.
 */
int osim_sweep_swing(const osim_scenario *sc, const char *param, double f, osim_override **ov,
                     size_t *n, char **shown, osim_diag *diag);

void osim_sweep_overrides_free(osim_override *ov, size_t n);

/* The current value of parameter param as a short text (owned), or NULL. */
char *osim_sweep_param_text(const osim_scenario *sc, const char *param);

/*
 * The default parameters to swing, as `outagesim sensitivity --help`
 * documents them, for a metric read under topology `topology` (a name):
 *   every number and distribution under incident.* except the restoration
 *   profile's points; services.*.restart and .rebuild;
 *   topologies.<topology>.services.*.failover_time and .detect;
 *   population.users; businesses.*.count, .hourly_revenue, .claim_rate
 * -- those that are not 0. Owned strings in *out (free each and the array).
 */
int osim_sweep_default_params(const osim_scenario *sc, const char *topology, char ***out,
                              size_t *n);

/*
 * Expand a --params argument (a path or a '*' pattern) against sc into
 * swingable parameters, appended to *v (owned strings). OSIM_EINVAL when it
 * matches none.
 */
int osim_sweep_expand_params(const osim_scenario *sc, const char *pattern, char ***v, size_t *n,
                             osim_diag *diag);

#endif
