/*
 * cmd_sweep.c -- `outagesim sweep SCENARIO --vary PATH=VALUES ...`: a full
 * Monte Carlo run at every point of a grid of parameter values.
 *
 * Parses the command line, builds the grid (sweep.h), loads every point
 * once so that a bad value fails before anything runs, hands the points to
 * the executor (sweep_cli.h: this process, or MPI ranks in
 * build/outagesim-mpi), then -- in the one process that writes -- prints a
 * table of the chosen figure and writes DIR/sweep.csv, DIR/sweep.json and
 * the figures. Exit codes: 0 done, 1 failure, 2 bad usage or scenario,
 * 128 + a stop signal (the completed points are written with --out, and
 * --resume DIR completes them later).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/mc_args.h"
#include "cli/opts.h"
#include "cli/plot_cli.h"
#include "cli/publish.h"
#include "cli/sweep_cli.h"
#include "outagesim/money.h"
#include "outagesim/sweep.h"

#define DEFAULT_REPLICATIONS 1000u

typedef struct sweep_args {
    cli_mc_args mc; /* SCENARIO and the options shared with run and sensitivity */
    const char **vary;
    size_t nvary;
    const char *metric, *stat_name;
    osim_sweep_stat stat;
    bool no_plots;
    const char *resume; /* --resume DIR */
} sweep_args;

static void help(void)
{
    printf("usage: outagesim sweep SCENARIO --vary PATH=VALUES [--vary ...] [options]\n"
           "\n"
           "Run the Monte Carlo of `outagesim run` at every point of a grid of parameter\n"
           "values, and tabulate and draw how the results change. The grid is the product of\n"
           "the --vary axes, the first axis slowest. Every point runs replications 0..N-1 with\n"
           "the same seed: each point meets the same fires (common random numbers), so the\n"
           "differences between points are the effect of the values, not noise.\n"
           "\n"
           "Axes:\n"
           "  --vary PATH=V1,V2,...  the values of one axis, each passed as `--set PATH=V`\n"
           "                         would be: 45m, 1.5h, 30%%, 1.5M, or flow YAML such as\n"
           "                         '{dist: uniform, min: 5m, max: 30m}' (commas inside [] {}\n"
           "                         or quotes do not split). Repeat for more axes.\n"
           "  --vary PATH=LO:HI:STEPS  STEPS evenly spaced values from LO to HI, both\n"
           "                         included (STEPS >= 2). LO and HI are plain numbers with\n"
           "                         the same unit suffix, or none: 30m:240m:8 gives 30m, 60m,\n"
           "                         ..., 240m; 0.001:0.01:10 gives numbers. 30m:4h is refused\n"
           "                         (write both ends in one unit).\n"
           "  --vary PATH=x0.5,x1,x2  scale factors: PATH (a number, or a whole distribution\n"
           "                         as a random variable X -> F X: every location, scale and\n"
           "                         clamp times F, a lognormal's median and p95 together;\n"
           "                         money and counts rounded, fractions capped at 1) times\n"
           "                         each F, exactly as `--set PATH=xF` and `outagesim\n"
           "                         sensitivity` scale it; x1 is the base scenario. A range\n"
           "                         of factors: PATH=x0.5:x2:4 gives x0.5, x1, x1.5, x2.\n"
           "  Tables and figures label points by their value (30m), factor (x0.5) or, for a\n"
           "  distribution written as YAML, its numbers (uniform min 5m max 30m); sweep.csv\n"
           "  then adds a column PATH (value) with the YAML as given.\n"
           "  PATH is a settable path (see `outagesim params SCENARIO`); '*' stands for one\n"
           "  whole segment and the axis then sets every matching path to the same value:\n"
           "    topologies.dual-active-standby.services.*.failover_time=5m,30m,2h\n"
           "\n"
           "Options:\n"
           "  --replications N       replications per point; default %u.\n"
           "  --seed S               master seed, 0..9223372036854775807; default 1.\n"
           "  --topology NAME|all    topologies to run (repeat, or comma-separated); default all.\n"
           "  --set PATH=VALUE       override a value at every point (repeat); PATH=xF scales\n"
           "                         it as above. A path cannot be both set and varied.\n"
           "  --out DIR              write the files listed below into DIR (all into a hidden\n"
           "                         folder beside DIR, swapped in whole with one rename).\n"
           "                         Without --out only the table is printed.\n"
           "  --no-wait              if another outagesim is writing DIR, fail (exit 1) rather\n"
           "                         than wait for it (up to 10 minutes).\n"
           "  --metric NAME          the figure of the table and the plots: a metric (a column\n"
           "                         of replications.csv, e.g. incident_cost_money or\n"
           "                         services.kakaotalk-messaging.downtime_h) or one of\n"
           "                         economics.net_annual_benefit_money,\n"
           "                         .expected_annual_loss_money, .mean_incident_cost_money,\n"
           "                         .annual_cost_money,\n"
           "                         .break_even_probability; default the total compensation of\n"
           "                         the scenario's first policy.\n"
           "  --stat p50|mean|p5|p95 which statistic of a metric; default p50 (drawn with its\n"
           "                         5-95%% band; mean with its 95%% CI).\n"
           "  --threads T            threads per process; default the number of cores (1 per\n"
           "                         rank under MPI). No effect on results.\n"
           "  --block N              replications per work unit under MPI (default: enough\n"
           "                         units to balance the ranks); no effect on results.\n"
           "  --chunk N              replications per thread work item; no effect on results.\n"
           "  --no-plots             write the files of --out but draw nothing.\n"
           "  --resume DIR           complete the interrupted sweep in DIR (written there as\n"
           "                         --out DIR): the points it completed are taken as they\n"
           "                         are, the others run; the files are then the same bytes\n"
           "                         as a sweep never stopped. The scenario, --set, --vary,\n"
           "                         --seed, --replications and --topology must be the\n"
           "                         ones of that sweep (checked; refused otherwise).\n"
           "  --quiet                no progress line and no timing on stderr.\n"
           "\n"
           "Files in DIR (--out DIR); sweep.csv starts with a '#' line naming the version,\n"
           "scenario, seed, replications and points:\n"
           "  sweep.csv              one row per point, topology and metric (the metrics of\n"
           "                         `run`, then the economics.* figures as in summary.csv),\n"
           "                         one column per axis (then PATH (value), the YAML as\n"
           "                         given, for an axis whose labels are not its values),\n"
           "                         columns: point,AXIS...,topology,metric,unit,n,mean,\n"
           "                         ci95_low,ci95_high,p5,p50,p95,min,max\n"
           "  sweep.json             each point's values and its full result document, as\n"
           "                         `run --format json` writes it\n"
           "  plots/sweep-axis-K.png  per axis K: the metric against the axis, one line\n"
           "                         per topology, the other axes at their first value\n"
           "  plots/sweep-heatmap.png  with two or more axes: the first two, one panel per\n"
           "                         topology\n"
           "  plots/sweep-axis-K.dat, plots/sweep-heatmap.dat  their data\n"
           "  plots/sweep-axis-K.gp, plots/sweep-heatmap.gp, plots/sweep-line.gp,\n"
           "  plots/sweep-heat.gp, plots/sweep-vars.gp, plots/common.gp\n"
           "                         their scripts, to redraw them by hand\n"
           "The plots are drawn with gnuplot; --no-plots writes none of plots/.\n"
           "\n"
           "Distributed: `make mpi` builds build/outagesim-mpi, which takes the same arguments;\n"
           "  mpirun -np K build/outagesim-mpi sweep SCENARIO --vary ... --out DIR\n"
           "spreads (point x block of replications) units over K processes and writes the\n"
           "same bytes as this command (see README, \"Sweeps\").\n"
           "\n"
           "Interrupted (Ctrl-C, SIGTERM, SIGHUP): the point in progress stops; with --out\n"
           "the points completed are written (sweep.csv's '#' line ends \"; interrupted;\n"
           "complete points 1-3\"; sweep.json has \"interrupted\": true, \"complete_points\"\n"
           "and \"result\": null for the others) with sweep.resume for --resume, and no\n"
           "table or figures; the exit code is 128 + the signal (130, 143, 129).\n"
           "\n"
           "Units: hours; money in whole units of scenario.currency, in the table and plots\n"
           "in its large unit (억원 = 100,000,000 won; €m = 1,000,000 euros).\n"
           "Exit codes: 0 done, 1 failure, 2 bad usage or scenario (any point's) or a\n"
           "--resume of another sweep, 130/143/129 interrupted.\n"
           "\n"
           "Example (how long may a manual failover take before a second site stops paying?):\n"
           "  outagesim sweep scenarios/kakao-pangyo-2022.yaml \\\n"
           "      --vary 'topologies.as-was.services.*.failover_time=30m,1h,2h,4h,8h' \\\n"
           "      --metric economics.mean_incident_cost_money --stat mean --out sweep-failover\n",
           DEFAULT_REPLICATIONS);
}

static int add_one(const char ***v, size_t *n, const char *s)
{
    const char **nv = realloc(*v, (*n + 1) * sizeof(*nv));

    if (nv == NULL)
        return CLI_FAIL;
    *v = nv;
    (*v)[(*n)++] = s;
    return 0;
}

enum { OPT_VARY = CLI_MC_KEY_END, OPT_METRIC, OPT_STAT, OPT_NO_PLOTS, OPT_RESUME };

static const struct option sweep_options[] = {
    CLI_MC_OPTS_COMMON,
    CLI_MC_OPT_TOPOLOGY,
    CLI_MC_OPT_BLOCK,
    {"vary", required_argument, NULL, OPT_VARY},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"stat", required_argument, NULL, OPT_STAT},
    {"no-plots", no_argument, NULL, OPT_NO_PLOTS},
    {"resume", required_argument, NULL, OPT_RESUME},
    {NULL, 0, NULL, 0},
};

/* One option or argument of the command line into a; 0 or an exit code (printed). */
static int take_option(sweep_args *a, int key, char *val)
{
    int rc;

    if (key == CLI_OPTS_ARG)
        return cli_mc_scenario(&a->mc, "sweep", val);
    if ((rc = cli_mc_option(&a->mc, "sweep", key, val)) != CLI_MC_NOT_MINE)
        return rc;
    switch (key) {
    case OPT_NO_PLOTS: a->no_plots = true; return 0;
    case OPT_RESUME: a->resume = val; return 0;
    case OPT_VARY: return add_one(&a->vary, &a->nvary, val);
    case OPT_METRIC: a->metric = val; return 0;
    case OPT_STAT:
        if (osim_sweep_stat_parse(val, &a->stat) != 0)
            return cli_usage("sweep", "--stat: '%s' is not one of p50, mean, p5, p95", val);
        return 0;
    default: return cli_opt_unhandled("sweep", key);
    }
}

static int parse_args(int argc, char **argv, sweep_args *a)
{
    cli_opts p;
    char *val;
    int key, rc;

    memset(a, 0, sizeof(*a));
    cli_mc_args_init(&a->mc, DEFAULT_REPLICATIONS);
    a->stat = OSIM_SWEEP_P50;
    cli_opts_init(&p, "sweep", argc, argv, sweep_options);
    while ((key = cli_opts_next(&p, &val)) != CLI_OPTS_END) {
        if (key == CLI_OPTS_ERROR)
            return CLI_USAGE;
        if ((rc = take_option(a, key, val)) != 0)
            return rc;
    }
    if (a->mc.scenario == NULL)
        return cli_usage("sweep", "which scenario? (usage: outagesim sweep SCENARIO --vary "
                                  "PATH=VALUES)");
    if (a->nvary == 0)
        return cli_usage("sweep", "give at least one --vary PATH=VALUES");
    /* --resume DIR completes the sweep in DIR, in DIR. */
    if (a->resume != NULL && a->mc.out != NULL && strcmp(a->resume, a->mc.out) != 0)
        return cli_usage("sweep", "--resume %s writes into %s; drop --out %s", a->resume, a->resume,
                         a->mc.out);
    if (a->resume != NULL)
        a->mc.out = a->resume;
    return cli_check_out_dir("sweep", a->mc.out);
}

/* ------------------------------------------------------------ output */

/* The table of the chosen figure: one row per point, one column per topology. */
static int print_table(const osim_sweep *sw, const char *metric, osim_sweep_stat stat)
{
    osim_diag d;

    osim_diag_clear(&d);
    if (osim_sweep_write_table(sw, metric, stat, stdout, &d) != 0) {
        cli_print_diag(&d);
        return CLI_FAIL;
    }
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

/* The figures, in dir/plots (dir: the staging folder of --out, publish.h). */
static int draw(const char *dir, const osim_sweep *sw, const sweep_args *a, const char *metric)
{
    char scripts[4096], *plot_dir, *shown_dir, **figs = NULL;
    size_t nfig = 0, i, pn = strlen(dir) + sizeof("/plots"),
           sn = strlen(a->mc.out) + sizeof("/plots");
    osim_diag d;
    int rc, code = CLI_FAIL;

    plot_dir = malloc(pn);
    shown_dir = malloc(sn);
    if (plot_dir == NULL || shown_dir == NULL) {
        free(plot_dir);
        free(shown_dir);
        return CLI_FAIL;
    }
    snprintf(plot_dir, pn, "%s/plots", dir);
    snprintf(shown_dir, sn, "%s/plots", a->mc.out);
    osim_diag_clear(&d);
    if (cli_plot_scripts_dir(scripts, sizeof(scripts)) != 0)
        goto done;
    rc = osim_sweep_plot_prepare(sw, metric, a->stat, scripts, plot_dir, &figs, &nfig, &d);
    if (rc != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    code = cli_plot_render(plot_dir, shown_dir, (const char *const *)figs, nfig, OSIM_PLOT_PNG,
                           a->mc.quiet);
done:
    for (i = 0; i < nfig; i++)
        free(figs[i]);
    free(figs);
    free(plot_dir);
    free(shown_dir);
    return code;
}

/*
 * --out: sweep.csv, sweep.json and the figures staged in one folder and
 * swapped in whole (publish.h): a sweep is written whole or not at all.
 * metric NULL: no figures (an interrupted sweep). A stop signal while the
 * figures are drawn keeps the complete sweep: it is published with the
 * figures' data and scripts but no images (as without gnuplot), and the
 * exit code is still 128 + the signal.
 */
static int write_out(const osim_sweep *sw, const sweep_args *a, const char *metric)
{
    cli_publish pub;
    osim_diag d;
    int rc, code, stopped = CLI_OK;

    osim_diag_clear(&d);
    if ((code = cli_publish_begin(&pub, a->mc.out, a->mc.no_wait ? CLI_PUBLISH_NO_WAIT : 0)) !=
        CLI_OK)
        goto done;
    if ((rc = osim_sweep_write_dir(sw, pub.stage, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if (!a->no_plots && metric != NULL && (code = draw(pub.stage, sw, a, metric)) != CLI_OK) {
        if (cli_signals_caught() == 0 || code != cli_interrupted_code())
            goto done;
        stopped = code;
    }
    code = cli_publish_commit(&pub);
    if (code == CLI_OK)
        code = stopped;
done:
    cli_publish_end(&pub);
    return code;
}

/* Check the metric against point 1's catalogue before anything runs. */
static int check_metric(const osim_sweep *sw, const char *metric)
{
    static const char *const econ[] = {
        "economics.mean_incident_cost_money", "economics.expected_annual_loss_money",
        "economics.annual_cost_money", "economics.net_annual_benefit_money",
        "economics.break_even_probability"};
    osim_mc_options opt;
    osim_mc *mc = NULL;
    osim_diag d;
    size_t i, n;
    const osim_metric *cat;
    int rc, found = 0;

    for (i = 0; i < sizeof(econ) / sizeof(econ[0]); i++)
        if (strcmp(metric, econ[i]) == 0)
            return 0;
    /* The catalogue is a function of the shape: build it from a tiny run
     * description of the base scenario (osim_mc_new plays no replication). */
    memset(&opt, 0, sizeof(opt));
    opt.seed = osim_sweep_seed(sw);
    opt.from = 0;
    opt.to = 1;
    opt.threads = 1;
    osim_diag_clear(&d);
    if ((rc = osim_mc_new(osim_sweep_base(sw), &opt, &mc, &d)) != 0) {
        cli_print_diag(&d);
        return cli_exit_code(rc);
    }
    cat = osim_mc_metrics(mc, &n);
    for (i = 0; i < n && !found; i++)
        found = strcmp(cat[i].name, metric) == 0;
    osim_mc_free(mc);
    if (!found) {
        return cli_usage(
            "sweep",
            "--metric: no metric '%s'; the metrics are the columns of "
            "replications.csv (e.g. incident_cost_money, full_recovery_h) or economics.*",
            metric);
    }
    return 0;
}

/* --resume DIR: take the points an interrupted sweep completed there. */
static int resume(osim_sweep *sw, const char *dir, bool quiet)
{
    osim_diag d;
    size_t n = 0;
    int rc, lk;

    osim_diag_clear(&d);
    /* Read whole: a writer of dir swaps it only under the lock (publish.h). */
    lk = cli_publish_share(dir);
    rc = osim_sweep_resume(sw, dir, &n, &d);
    cli_publish_unshare(lk);
    if (rc != 0) {
        cli_print_diag(&d);
        return cli_exit_code(rc);
    }
    if (!quiet)
        fprintf(stderr, "outagesim: resuming the sweep in %s: %zu of %zu points done there\n", dir,
                n, osim_sweep_points_count(sw));
    return 0;
}

/*
 * Stopped by a signal with --out: publish the points completed so far
 * (sweep.csv and sweep.json say which; sweep.resume for --resume), as a
 * whole folder like any sweep, with no table and no figures. Returns code
 * (128 + the signal) or a failure.
 */
static int write_interrupted(const osim_sweep *sw, const sweep_args *a, int code)
{
    size_t p, done = 0, np = osim_sweep_points_count(sw);
    const char *out = a->mc.out;
    int wc;

    if ((wc = write_out(sw, a, NULL)) != CLI_OK)
        return wc;
    for (p = 0; p < np; p++)
        done += osim_sweep_result(sw, p) != NULL;
    if (done < np)
        fprintf(stderr,
                "outagesim: wrote the %zu of %zu points completed into %s; `outagesim sweep "
                "... --resume %s` (the same scenario, --set, --vary, --seed, --replications "
                "and --topology) runs the other %zu\n",
                done, np, out, out, np - done);
    return code;
}

static int sweep_main(int argc, char **argv)
{
    sweep_args a;
    osim_sweep_spec spec;
    osim_sweep *sw = NULL;
    osim_sweep_axis **axes = NULL;
    cli_exec_opts eo;
    osim_diag d;
    char *metric = NULL, desc[128];
    bool writer = true;
    uint64_t t0 = uv_hrtime();
    size_t i;
    int rc, code;

    osim_diag_clear(&d);
    if ((code = parse_args(argc, argv, &a)) != 0)
        goto done;
    if ((axes = calloc(a.nvary, sizeof(*axes))) == NULL) {
        cli_errorf("out of memory");
        code = cli_exit_code(OSIM_ENOMEM);
        goto done;
    }
    for (i = 0; i < a.nvary; i++) {
        if ((rc = osim_sweep_axis_parse(a.vary[i], &axes[i], &d)) != 0) {
            cli_print_diag(&d);
            code = cli_exit_code(rc);
            goto done;
        }
    }
    memset(&spec, 0, sizeof(spec));
    spec.scenario = a.mc.scenario;
    spec.base = a.mc.ov.v;
    spec.base_count = a.mc.ov.n;
    spec.topologies = a.mc.topo_names;
    spec.topologies_count = a.mc.ntopo;
    spec.seed = a.mc.seed;
    spec.replications = a.mc.replications;
    if ((rc = osim_sweep_new(&spec, &sw, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    rc = osim_sweep_add_grid(sw, axes, a.nvary, &d);
    free(axes); /* the axes belong to the sweep now */
    axes = NULL;
    if (rc != 0 || (rc = osim_sweep_check(sw, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if (a.metric != NULL && (code = check_metric(sw, a.metric)) != 0)
        goto done;
    if (a.resume != NULL && (code = resume(sw, a.resume, a.mc.quiet)) != 0)
        goto done;
    memset(&eo, 0, sizeof(eo));
    eo.threads = a.mc.threads;
    eo.chunk = a.mc.chunk;
    eo.block = a.mc.block;
    eo.quiet = a.mc.quiet;
    eo.what = "sweep";
    eo.keeps_points = a.mc.out != NULL;
    code = cli_sweep_execute(sw, &eo, &writer);
    if (code != CLI_OK && cli_signals_caught() != 0 && code == cli_interrupted_code() &&
        a.mc.out != NULL && writer) {
        code = write_interrupted(sw, &a, code);
        goto done;
    }
    if (code != CLI_OK || !writer)
        goto done;
    if (!a.mc.quiet) {
        double el = (double)(uv_hrtime() - t0) / 1e9;
        cli_sweep_describe(&eo, desc, sizeof(desc));
        fprintf(stderr, "outagesim: %zu points x %llu replications in %.2f s (%s)\n",
                osim_sweep_points_count(sw), (unsigned long long)a.mc.replications, el, desc);
    }
    metric =
        strdup(a.metric != NULL ? a.metric : osim_sweep_default_metric(osim_sweep_result(sw, 0)));
    if (metric == NULL) {
        cli_errorf("out of memory");
        code = cli_exit_code(OSIM_ENOMEM);
        goto done;
    }
    if (a.mc.out != NULL && (code = write_out(sw, &a, metric)) != CLI_OK)
        goto done;
    code = print_table(sw, metric, a.stat);
done:
    if (axes != NULL)
        for (i = 0; i < a.nvary; i++)
            osim_sweep_axis_free(axes[i]);
    free(axes);
    free(metric);
    osim_sweep_free(sw);
    free(a.vary);
    cli_mc_args_free(&a.mc);
    return code;
}

const cli_command cli_cmd_sweep = {
    "sweep",
    "Monte Carlo runs over a grid of parameter values (tables, CSV, JSON, plots; MPI)",
    sweep_main,
    help,
};
