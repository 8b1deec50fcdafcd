/*
 * cmd_sensitivity.c -- `outagesim sensitivity SCENARIO`: swing each
 * parameter one at a time and rank them by how much they move one figure
 * (a tornado chart).
 *
 * The swings are points of a sweep (sweep.h): point 1 is the scenario as
 * it is, then each parameter at LOW x and at HIGH x its value, all with
 * the same seed and replications (common random numbers), run by the same
 * executor as `outagesim sweep` -- one process, or MPI ranks in
 * build/outagesim-mpi, with the same bytes. Exit codes: 0 done, 1
 * failure, 2 bad usage or scenario, 128 + a stop signal (130, 143, 129).
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
#include "outagesim/atomic_file.h"
#include "outagesim/money.h"
#include "outagesim/sweep.h"
#include "outagesim/version.h"

#define DEFAULT_REPLICATIONS 500u
#define DEFAULT_TOP 20u

typedef struct sens_args {
    cli_mc_args mc; /* SCENARIO and the options shared with run and sweep */
    const char *topology, *metric;
    const char **params;
    size_t nparams;
    double lo, hi;
    uint64_t top;
    osim_sweep_stat stat;
    bool no_plots;
} sens_args;

typedef struct row {
    char *param, *low_text, *base_text, *high_text;
    const char *unit;
    double at_low, at_high, swing;
    size_t order;
} row;

static void help(void)
{
    printf("usage: outagesim sensitivity SCENARIO [--params PATH...] [--range LO:HI] [options]\n"
           "\n"
           "Which assumption moves the result most? Each parameter is swung one at a time to\n"
           "LO x and HI x its value, every swing is a full Monte Carlo run with the same seed\n"
           "(common random numbers, so the differences are the parameter's effect), and the\n"
           "parameters are ranked by the swing of one figure: a table, sensitivity.csv and\n"
           "a tornado chart.\n"
           "\n"
           "A parameter is a number (hours, money, a count, a fraction) or a distribution. A\n"
           "distribution is swung as a whole: X -> f X (min/mode/max, mean and sd, median and\n"
           "p95, ... all times f), so its shape is kept. Money and counts are rounded to whole\n"
           "numbers; fractions are capped at 1 (the table shows the values used).\n"
           "\n"
           "Options:\n"
           "  --params PATH          parameters to swing (repeat, or comma-separated; '*' for\n"
           "                         one path segment: businesses.*.claim_rate). Default: every\n"
           "                         distribution and number under incident.* (not the\n"
           "                         restoration profile's points), services.*.restart and\n"
           "                         .rebuild, the failover_time and detect of the chosen\n"
           "                         topology's services, population.users, businesses.*.count,\n"
           "                         .hourly_revenue and .claim_rate -- those that are not 0.\n"
           "  --range LO:HI          the factors of the low and high swings; default 0.5:1.5.\n"
           "  --metric NAME          the figure (a column of replications.csv, or economics.*\n"
           "                         as in `outagesim sweep --help`); default the total\n"
           "                         compensation of the scenario's first policy.\n"
           "  --stat p50|mean|p5|p95 its statistic; default p50 (the median).\n"
           "  --topology NAME        the design the figure is read under; default the\n"
           "                         economics baseline. Only it is run (and the baseline too\n"
           "                         for an economics.* figure).\n"
           "  --replications N       per swing; default %u. Common random numbers keep the\n"
           "                         swings' differences precise with few replications.\n"
           "  --seed S               master seed; default 1.\n"
           "  --set PATH=VALUE       override a value everywhere (repeat); PATH=xF scales a\n"
           "                         number or a whole distribution by F, like a swing.\n"
           "  --out DIR              write the files listed below into DIR (all into a hidden\n"
           "                         folder beside DIR, swapped in whole with one rename).\n"
           "                         Without --out only the table is printed.\n"
           "  --no-wait              if another outagesim is writing DIR, fail (exit 1) rather\n"
           "                         than wait for it (up to 10 minutes).\n"
           "  --top N                bars in the tornado chart; default %u.\n"
           "  --threads T, --block N, --chunk N  as for `outagesim sweep`.\n"
           "  --no-plots             no chart.\n"
           "  --quiet                no progress line and no timing on stderr.\n"
           "\n"
           "Files in DIR (--out DIR); each CSV file starts with a '#' line naming the version,\n"
           "scenario, seed, replications and what was swung:\n"
           "  sensitivity.csv        parameters ranked by swing: the values used, the figure\n"
           "                         at low, base and high, and the swing,\n"
           "                         columns: rank,parameter,low_value,base_value,high_value,\n"
           "                         metric_unit,metric_at_low,metric_at_base,metric_at_high,\n"
           "                         swing\n"
           "  sweep.csv, sweep.json  every swing's full result, as `outagesim sweep` writes\n"
           "                         them (point 1 the base, then each parameter low and high)\n"
           "  plots/tornado.png      the tornado chart of the top --top parameters (gnuplot;\n"
           "                         none with --no-plots)\n"
           "  plots/tornado.dat, plots/tornado-vars.gp, plots/tornado.gp, plots/common.gp\n"
           "                         its data and scripts, to redraw it by hand\n"
           "\n"
           "Runs 1 + 2 x (parameters) Monte Carlo runs; `mpirun -np K build/outagesim-mpi\n"
           "sensitivity ...` spreads them over K processes (same bytes).\n"
           "SIGINT (Ctrl-C), SIGTERM or SIGHUP stop it; nothing is written. Exit codes:\n"
           "0 done, 1 failure, 2 bad usage or scenario, 128 + the signal when stopped\n"
           "(130 SIGINT, 143 SIGTERM, 129 SIGHUP).\n"
           "\n"
           "Example (which assumption moves the median Civil-Act damages most?):\n"
           "  outagesim sensitivity scenarios/kakao-pangyo-2022.yaml \\\n"
           "      --metric compensation.kr-civil-damages-precedent.total_money --out sens\n",
           DEFAULT_REPLICATIONS, DEFAULT_TOP);
}

static int parse_range(const char *s, double *lo, double *hi)
{
    char *end;

    errno = 0;
    *lo = strtod(s, &end);
    if (end == s || *end != ':')
        return -1;
    s = end + 1;
    *hi = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0)
        return -1;
    if (!(*lo > 0) || !(*hi > 0) || !isfinite(*lo) || !isfinite(*hi) || *lo >= *hi)
        return -1;
    return 0;
}

enum {
    OPT_PARAMS = CLI_MC_KEY_END,
    OPT_RANGE,
    OPT_METRIC,
    OPT_STAT,
    OPT_TOPOLOGY,
    OPT_TOP,
    OPT_NO_PLOTS
};

/* --topology is one design here (not run's list): this command's own. */
static const struct option sens_options[] = {
    CLI_MC_OPTS_COMMON,
    CLI_MC_OPT_BLOCK,
    {"params", required_argument, NULL, OPT_PARAMS},
    {"range", required_argument, NULL, OPT_RANGE},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"stat", required_argument, NULL, OPT_STAT},
    {"topology", required_argument, NULL, OPT_TOPOLOGY},
    {"top", required_argument, NULL, OPT_TOP},
    {"no-plots", no_argument, NULL, OPT_NO_PLOTS},
    {NULL, 0, NULL, 0},
};

/* One option or argument of the command line into a; 0 or an exit code (printed). */
static int take_option(sens_args *a, int key, char *val)
{
    int rc;

    if (key == CLI_OPTS_ARG)
        return cli_mc_scenario(&a->mc, "sensitivity", val);
    if ((rc = cli_mc_option(&a->mc, "sensitivity", key, val)) != CLI_MC_NOT_MINE)
        return rc;
    switch (key) {
    case OPT_NO_PLOTS: a->no_plots = true; return 0;
    case OPT_PARAMS: return cli_add_list(&a->params, &a->nparams, val);
    case OPT_RANGE:
        if (parse_range(val, &a->lo, &a->hi) != 0)
            return cli_usage("sensitivity",
                             "--range: expected LO:HI with 0 < LO < HI (e.g. 0.5:1.5), got '%s'",
                             val);
        return 0;
    case OPT_METRIC: a->metric = val; return 0;
    case OPT_STAT:
        if (osim_sweep_stat_parse(val, &a->stat) != 0)
            return cli_usage("sensitivity", "--stat: '%s' is not one of p50, mean, p5, p95", val);
        return 0;
    case OPT_TOPOLOGY: a->topology = val; return 0;
    case OPT_TOP: return cli_opt_u64("sensitivity", "--top", val, 1, 1000, &a->top);
    default: return cli_opt_unhandled("sensitivity", key);
    }
}

static int parse_args(int argc, char **argv, sens_args *a)
{
    cli_opts p;
    char *val;
    int key, rc;

    memset(a, 0, sizeof(*a));
    cli_mc_args_init(&a->mc, DEFAULT_REPLICATIONS);
    a->lo = 0.5;
    a->hi = 1.5;
    a->top = DEFAULT_TOP;
    a->stat = OSIM_SWEEP_P50;
    cli_opts_init(&p, "sensitivity", argc, argv, sens_options);
    while ((key = cli_opts_next(&p, &val)) != CLI_OPTS_END) {
        if (key == CLI_OPTS_ERROR)
            return CLI_USAGE;
        if ((rc = take_option(a, key, val)) != 0)
            return rc;
    }
    if (a->mc.scenario == NULL)
        return cli_usage("sensitivity", "which scenario? (usage: outagesim sensitivity SCENARIO)");
    return cli_check_out_dir("sensitivity", a->mc.out);
}

/* ------------------------------------------------------------ output */

static int by_swing(const void *x, const void *y)
{
    const row *a = x, *b = y;

    if (a->swing != b->swing)
        return a->swing > b->swing ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int write_csv(FILE *f, const sens_args *a, const osim_sweep *sw, const char *metric,
                     const char *unit, double base, const row *rows, size_t n)
{
    char shown[64];
    size_t i;

    unit = osim_money_unit(shown, sizeof(shown), unit, osim_sweep_result(sw, 0)->currency);
    fprintf(f,
            "# outagesim %s; sensitivity; scenario %s; file %s; sha256 %s (base); seed %llu; "
            "replications 0..%llu; range %g:%g; %s of %s under %s\n",
            OSIM_VERSION, osim_sweep_base(sw)->name, a->mc.scenario, osim_sweep_base(sw)->sha256,
            (unsigned long long)a->mc.seed, (unsigned long long)(a->mc.replications - 1), a->lo,
            a->hi, osim_sweep_stat_name(a->stat), metric, a->topology);
    fprintf(f, "rank,parameter,low_value,base_value,high_value,metric_unit,metric_at_low,"
               "metric_at_base,metric_at_high,swing\n");
    for (i = 0; i < n; i++) {
        fprintf(f, "%zu,%s,\"%s\",\"%s\",\"%s\",%s,%.12g,%.12g,%.12g,%.12g\n", i + 1, rows[i].param,
                rows[i].low_text, rows[i].base_text, rows[i].high_text, unit, rows[i].at_low + 0.0,
                base + 0.0, rows[i].at_high + 0.0, rows[i].swing + 0.0);
    }
    return ferror(f) ? OSIM_EIO : 0;
}

/* The tornado chart of the top a->top rows, drawn by the sweep module into
 * dir/plots (dir: the staging folder of --out, publish.h). */
static int tornado(const char *dir, const sens_args *a, const osim_sweep *sw, const char *metric,
                   const char *unit, double base, const row *rows, size_t n)
{
    char scripts[4096], *plot_dir = NULL, *shown_dir = NULL;
    size_t pn = strlen(dir) + sizeof("/plots"), i, shown = n < a->top ? n : (size_t)a->top;
    size_t sn = strlen(a->mc.out) + sizeof("/plots");
    osim_sweep_bar *bars = calloc(shown > 0 ? shown : 1, sizeof(*bars));
    osim_sweep_tornado t;
    const char *figs[1] = {"tornado"};
    char title[600], sub[600];
    osim_diag d;
    int rc = CLI_FAIL;

    osim_diag_clear(&d);
    plot_dir = malloc(pn);
    shown_dir = malloc(sn);
    if (plot_dir == NULL || shown_dir == NULL || bars == NULL)
        goto done;
    snprintf(plot_dir, pn, "%s/plots", dir);
    snprintf(shown_dir, sn, "%s/plots", a->mc.out);
    if (cli_plot_scripts_dir(scripts, sizeof(scripts)) != 0)
        goto done;
    for (i = 0; i < shown; i++) {
        bars[i].param = rows[i].param;
        bars[i].at_low = rows[i].at_low;
        bars[i].at_high = rows[i].at_high;
    }
    if (strncmp(metric, "economics.", 10) == 0)
        snprintf(title, sizeof(title), "What moves %s (under %s)", metric + 10, a->topology);
    else
        snprintf(title, sizeof(title), "What moves the %s of %s (under %s)",
                 osim_sweep_stat_name(a->stat), metric, a->topology);
    snprintf(sub, sizeof(sub),
             "%s  ·  each parameter x%g and x%g, one at a time  ·  seed %llu  ·  %llu "
             "replications per swing (common random numbers)",
             osim_sweep_base(sw)->name, a->lo, a->hi, (unsigned long long)a->mc.seed,
             (unsigned long long)a->mc.replications);
    t = (osim_sweep_tornado){title, sub,  unit, osim_sweep_result(sw, 0)->currency, base, a->lo,
                             a->hi, bars, shown};
    if (osim_sweep_tornado_prepare(&t, scripts, plot_dir, &d) != 0) {
        cli_print_diag(&d);
        goto done;
    }
    rc = cli_plot_render(plot_dir, shown_dir, figs, 1, OSIM_PLOT_PNG, a->mc.quiet);
done:
    free(plot_dir);
    free(shown_dir);
    free(bars);
    return rc;
}

/* ------------------------------------------------------------ main */

/* One sensitivity run from the command line to the table: the steps share it. */
typedef struct sens_run {
    sens_args a;
    osim_sweep *sw;
    char **params; /* owned, np of them */
    size_t np;
    row *rows; /* nrows of them, in params' order until ranked */
    size_t nrows;
    const char *topo[2];   /* the designs run: a.topology, and the baseline for economics.* */
    size_t ntopo, t_index; /* t_index: a.topology's index among topo */
    char topo_buf[512], baseline_buf[512];
    const char *metric, *unit;
    char *metric_own;
    double basev;
    osim_diag d;
} sens_run;

/*
 * The sweep of the swings, over the designs the figure needs: the base
 * scenario is loaded first, since it names the default topology (the
 * economics baseline) and, for an economics.* figure, the baseline that
 * must run too. Returns an exit code (printed).
 */
static int open_sweep(sens_run *r)
{
    osim_sweep_spec spec;
    const osim_scenario *base;
    sens_args *a = &r->a;
    int rc;

    memset(&spec, 0, sizeof(spec));
    spec.scenario = a->mc.scenario;
    spec.base = a->mc.ov.v;
    spec.base_count = a->mc.ov.n;
    spec.seed = a->mc.seed;
    spec.replications = a->mc.replications;
    if ((rc = osim_sweep_new(&spec, &r->sw, &r->d)) != 0) {
        cli_print_diag(&r->d);
        return cli_exit_code(rc);
    }
    base = osim_sweep_base(r->sw);
    /* Copied: the first sweep (and its scenario) is freed below. */
    snprintf(r->topo_buf, sizeof(r->topo_buf), "%s",
             a->topology != NULL                ? a->topology
             : base->economics.baseline != NULL ? base->economics.baseline
                                                : base->topologies[0].name);
    snprintf(r->baseline_buf, sizeof(r->baseline_buf), "%s",
             base->economics.baseline != NULL ? base->economics.baseline : "");
    a->topology = r->topo_buf;
    if (osim_scenario_topology_index(base, a->topology) < 0) {
        cli_errorf("--topology: no topology '%s' in %s", a->topology, a->mc.scenario);
        return CLI_USAGE;
    }
    r->topo[0] = a->topology;
    r->ntopo = 1;
    if (a->metric != NULL && strncmp(a->metric, "economics.", 10) == 0 &&
        r->baseline_buf[0] != '\0' && strcmp(r->baseline_buf, a->topology) != 0) {
        /* Economics compare against the baseline: run it too, in scenario order. */
        long ib = osim_scenario_topology_index(base, r->baseline_buf);
        long it = osim_scenario_topology_index(base, a->topology);
        r->topo[ib < it ? 0 : 1] = r->baseline_buf;
        r->topo[ib < it ? 1 : 0] = a->topology;
        r->t_index = ib < it ? 1 : 0;
        r->ntopo = 2;
    }
    osim_sweep_free(r->sw);
    r->sw = NULL;
    spec.topologies = r->topo;
    spec.topologies_count = r->ntopo;
    if ((rc = osim_sweep_new(&spec, &r->sw, &r->d)) != 0) {
        cli_print_diag(&r->d);
        return cli_exit_code(rc);
    }
    return CLI_OK;
}

/*
 * The parameters (--params, or the defaults) and their points: point 0 is
 * the base, then 2i+1 (low) and 2i+2 (high) for parameter i; every point
 * is loaded once (osim_sweep_check). Returns an exit code (printed).
 */
static int add_swings(sens_run *r)
{
    const osim_scenario *base = osim_sweep_base(r->sw);
    const double fs[2] = {r->a.lo, r->a.hi};
    size_t i;
    int k, rc;

    if (r->a.nparams == 0 &&
        (rc = osim_sweep_default_params(base, r->a.topology, &r->params, &r->np)) != 0) {
        cli_errorf("sensitivity: cannot list the parameters: %s", osim_strerror(rc));
        return cli_exit_code(rc);
    }
    for (i = 0; i < r->a.nparams; i++) {
        if ((rc = osim_sweep_expand_params(base, r->a.params[i], &r->params, &r->np, &r->d)) != 0) {
            cli_print_diag(&r->d);
            return cli_exit_code(rc);
        }
    }
    if (r->np == 0) {
        cli_errorf("sensitivity: no parameter to swing");
        return CLI_USAGE;
    }
    if ((r->rows = calloc(r->np, sizeof(*r->rows))) == NULL)
        return cli_exit_code(OSIM_ENOMEM);
    if ((rc = osim_sweep_add_point(r->sw, NULL, 0, "base", NULL)) != 0)
        return cli_exit_code(rc);
    for (i = 0; i < r->np; i++) {
        row *w = &r->rows[r->nrows++];
        w->order = i;
        w->param = r->params[i];
        w->base_text = osim_sweep_param_text(base, r->params[i]);
        for (k = 0; k < 2; k++) {
            osim_override *ov = NULL;
            size_t nov = 0;
            char *shown = NULL;
            rc = osim_sweep_swing(base, r->params[i], fs[k], &ov, &nov, &shown, &r->d);
            if (rc != 0) {
                cli_print_diag(&r->d);
                return cli_exit_code(rc);
            }
            rc = osim_sweep_add_point(r->sw, ov, nov, NULL, NULL);
            osim_sweep_overrides_free(ov, nov);
            if (k == 0)
                w->low_text = shown;
            else
                w->high_text = shown;
            if (rc != 0)
                return cli_exit_code(rc);
        }
    }
    if ((rc = osim_sweep_check(r->sw, &r->d)) != 0) {
        cli_print_diag(&r->d);
        return cli_exit_code(rc);
    }
    return CLI_OK;
}

/* The figure at the base and at each swing, then the rows ranked by swing. */
static int read_figures(sens_run *r)
{
    double lo, hi;
    size_t i;
    int rc;

    r->metric = r->a.metric;
    if (r->metric == NULL) {
        r->metric_own = strdup(osim_sweep_default_metric(osim_sweep_result(r->sw, 0)));
        if ((r->metric = r->metric_own) == NULL)
            return cli_exit_code(OSIM_ENOMEM);
    }
    rc = osim_sweep_figure(osim_sweep_result(r->sw, 0), r->t_index, r->metric, r->a.stat, &r->basev,
                           &lo, &hi, &r->unit);
    if (rc != 0)
        return cli_usage("sensitivity",
                         "--metric: no metric '%s' (a column of replications.csv, or economics.*)",
                         r->metric);
    for (i = 0; i < r->nrows; i++) {
        const char *u;
        row *w = &r->rows[i];
        osim_sweep_figure(osim_sweep_result(r->sw, 2 * i + 1), r->t_index, r->metric, r->a.stat,
                          &w->at_low, &lo, &hi, &u);
        osim_sweep_figure(osim_sweep_result(r->sw, 2 * i + 2), r->t_index, r->metric, r->a.stat,
                          &w->at_high, &lo, &hi, &u);
        w->swing = fabs(w->at_high - w->at_low);
        if (isnan(w->swing))
            w->swing = 0.0;
    }
    qsort(r->rows, r->nrows, sizeof(*r->rows), by_swing);
    return CLI_OK;
}

/* --out: sweep.csv, sweep.json, sensitivity.csv and the tornado, staged in one
 * folder and swapped in whole (publish.h). Returns an exit code. */
static int write_outputs(sens_run *r)
{
    osim_atomic_file af;
    cli_publish pub;
    int rc, code;

    if ((code = cli_publish_begin(&pub, r->a.mc.out, r->a.mc.no_wait ? CLI_PUBLISH_NO_WAIT : 0)) !=
        CLI_OK)
        goto done;
    if ((rc = osim_sweep_write_dir(r->sw, pub.stage, &r->d)) != 0 ||
        (rc = osim_atomic_open(&af, pub.stage, "sensitivity.csv", &r->d)) != 0) {
        cli_print_diag(&r->d);
        code = cli_exit_code(rc);
        goto done;
    }
    if ((rc = write_csv(af.f, &r->a, r->sw, r->metric, r->unit, r->basev, r->rows, r->nrows)) !=
        0) {
        osim_atomic_abort(&af);
        cli_errorf("cannot write sensitivity.csv");
        code = cli_exit_code(rc);
        goto done;
    }
    if ((rc = osim_atomic_commit(&af, &r->d)) != 0) {
        cli_print_diag(&r->d);
        code = cli_exit_code(rc);
        goto done;
    }
    if (!r->a.no_plots && (code = tornado(pub.stage, &r->a, r->sw, r->metric, r->unit, r->basev,
                                          r->rows, r->nrows)) != CLI_OK)
        goto done;
    code = cli_publish_commit(&pub);
done:
    cli_publish_end(&pub);
    return code;
}

static int print_ranking(const sens_run *r)
{
    const osim_currency *cur = osim_sweep_result(r->sw, 0)->currency;
    char b0[64], b1[64], b2[64], b3[64], unit[64];
    size_t i;
    int pw = 9;

    osim_sweep_format_cell(b0, sizeof(b0), r->basev, r->unit, cur);
    osim_money_unit(unit, sizeof(unit), r->unit, cur);
    printf("sensitivity of %s: %s of %s under %s (%s), %llu replications per swing, "
           "seed %llu\nbase: %s; each parameter x%g and x%g, ranked by swing\n\n",
           osim_sweep_base(r->sw)->name, osim_sweep_stat_name(r->a.stat), r->metric, r->a.topology,
           unit, (unsigned long long)r->a.mc.replications, (unsigned long long)r->a.mc.seed, b0,
           r->a.lo, r->a.hi);
    /* The parameter column is as wide as the longest name: never cut. */
    for (i = 0; i < r->nrows; i++)
        pw = (int)strlen(r->rows[i].param) > pw ? (int)strlen(r->rows[i].param) : pw;
    printf("%4s  %-*s  %14s  %14s  %14s\n", "rank", pw, "parameter", "at low", "at high", "swing");
    for (i = 0; i < r->nrows; i++) {
        osim_sweep_format_cell(b1, sizeof(b1), r->rows[i].at_low, r->unit, cur);
        osim_sweep_format_cell(b2, sizeof(b2), r->rows[i].at_high, r->unit, cur);
        osim_sweep_format_cell(b3, sizeof(b3), r->rows[i].swing, r->unit, cur);
        printf("%4zu  %-*s  %14s  %14s  %14s\n", i + 1, pw, r->rows[i].param, b1, b2, b3);
    }
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

static void sens_run_free(sens_run *r)
{
    size_t i;

    for (i = 0; i < r->nrows; i++) {
        free(r->rows[i].low_text);
        free(r->rows[i].high_text);
        free(r->rows[i].base_text);
    }
    free(r->rows);
    for (i = 0; i < r->np; i++)
        free(r->params[i]);
    free(r->params);
    free(r->metric_own);
    osim_sweep_free(r->sw);
    free(r->a.params);
    cli_mc_args_free(&r->a.mc);
}

static int sens_main(int argc, char **argv)
{
    sens_run r;
    cli_exec_opts eo;
    char desc[128];
    bool writer = true;
    uint64_t t0 = uv_hrtime();
    int code;

    memset(&r, 0, sizeof(r));
    r.basev = NAN;
    r.unit = "";
    osim_diag_clear(&r.d);
    if ((code = parse_args(argc, argv, &r.a)) != CLI_OK || (code = open_sweep(&r)) != CLI_OK ||
        (code = add_swings(&r)) != CLI_OK)
        goto done;
    memset(&eo, 0, sizeof(eo));
    eo.threads = r.a.mc.threads;
    eo.chunk = r.a.mc.chunk;
    eo.block = r.a.mc.block;
    eo.quiet = r.a.mc.quiet;
    eo.what = "sensitivity";
    if ((code = cli_sweep_execute(r.sw, &eo, &writer)) != CLI_OK || !writer)
        goto done;
    if (!r.a.mc.quiet) {
        cli_sweep_describe(&eo, desc, sizeof(desc));
        fprintf(stderr, "outagesim: %zu runs x %llu replications in %.2f s (%s)\n",
                osim_sweep_points_count(r.sw), (unsigned long long)r.a.mc.replications,
                (double)(uv_hrtime() - t0) / 1e9, desc);
    }
    if ((code = read_figures(&r)) != CLI_OK ||
        (r.a.mc.out != NULL && (code = write_outputs(&r)) != CLI_OK))
        goto done;
    code = print_ranking(&r);
done:
    sens_run_free(&r);
    return code;
}

const cli_command cli_cmd_sensitivity = {
    "sensitivity",
    "one-at-a-time parameter swings ranked by effect: table, CSV, tornado chart (MPI)",
    sens_main,
    help,
};
