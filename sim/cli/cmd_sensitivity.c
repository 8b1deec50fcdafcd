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
 * failure, 2 bad usage or scenario, 130 interrupted.
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
#include "cli/plot_cli.h"
#include "cli/sweep_cli.h"
#include "outagesim/atomic_file.h"
#include "outagesim/money.h"
#include "outagesim/sweep.h"
#include "outagesim/version.h"
#include "report/gp_escape.h"
#include "sweep/sweep_int.h"

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
           "A parameter is a number (hours, won, a count, a fraction) or a distribution. A\n"
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
           "  --out DIR              write DIR/sensitivity.csv (parameters ranked by swing:\n"
           "                         values used, the figure at low, base and high, swing),\n"
           "                         DIR/sweep.csv and DIR/sweep.json (every swing's full\n"
           "                         result) and DIR/plots/tornado.png (the top --top\n"
           "                         parameters). Without --out only the table is printed.\n"
           "  --top N                bars in the tornado chart; default %u.\n"
           "  --threads T, --block N, --chunk N  as for `outagesim sweep`.\n"
           "  --no-plots             no chart.\n"
           "  --quiet                no progress line and no timing on stderr.\n"
           "\n"
           "Runs 1 + 2 x (parameters) Monte Carlo runs; `mpirun -np K build/outagesim-mpi\n"
           "sensitivity ...` spreads them over K processes (same bytes).\n"
           "Exit codes: 0 done, 1 failure, 2 bad usage or scenario, 130 interrupted.\n"
           "\n"
           "Example (which assumption moves the median Civil-Act damages most?):\n"
           "  outagesim sensitivity scenarios/kakao-pangyo-2022.yaml \\\n"
           "      --metric compensation.kr-civil-damages-precedent.total_krw --out sens\n",
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

static int parse_args(int argc, char **argv, sens_args *a)
{
    cli_mc_args *m = &a->mc;
    int i, rc = 0;

    memset(a, 0, sizeof(*a));
    /* --topology is one design here (not a list), and --quiet and
     * --no-plots have always ignored a value: both stay this command's. */
    cli_mc_args_init(m, CLI_MC_BLOCK, DEFAULT_REPLICATIONS);
    a->lo = 0.5;
    a->hi = 1.5;
    a->top = DEFAULT_TOP;
    a->stat = OSIM_SWEEP_P50;
    for (i = 1; i < argc && rc == 0; i++) {
        char *arg = argv[i], *val;
        char opt[64];

        if (strncmp(arg, "--", 2) != 0) {
            if ((rc = cli_mc_scenario(m, "sensitivity", arg)) != 0)
                return rc;
            continue;
        }
        cli_opt_split(arg, opt, sizeof(opt), &val);
#define FLAG(name) (strcmp(opt, name) == 0)
        if (FLAG("--quiet") || FLAG("--no-plots")) {
            if (FLAG("--quiet"))
                m->quiet = true;
            else
                a->no_plots = true;
            continue;
        }
        if ((rc = cli_mc_option(m, "sensitivity", opt, &val, argc, argv, &i)) != CLI_MC_NOT_MINE)
            continue;
        rc = 0;
        if (!FLAG("--params") && !FLAG("--range") && !FLAG("--metric") && !FLAG("--stat") &&
            !FLAG("--topology") && !FLAG("--top"))
            return cli_opt_unknown("sensitivity", opt);
        if ((rc = cli_opt_value("sensitivity", opt, &val, argc, argv, &i)) != 0)
            return rc;
        if (FLAG("--params")) {
            rc = cli_add_list(&a->params, &a->nparams, val);
        } else if (FLAG("--range")) {
            if (parse_range(val, &a->lo, &a->hi) != 0) {
                cli_errorf("--range: expected LO:HI with 0 < LO < HI (e.g. 0.5:1.5), got '%s'",
                           val);
                rc = CLI_USAGE;
            }
        } else if (FLAG("--metric")) {
            a->metric = val;
        } else if (FLAG("--stat")) {
            if (osim_sweep_stat_parse(val, &a->stat) != 0) {
                cli_errorf("--stat: '%s' is not one of p50, mean, p5, p95", val);
                rc = CLI_USAGE;
            }
        } else if (FLAG("--topology")) {
            a->topology = val;
        } else if (FLAG("--top")) {
            rc = cli_parse_u64_in(opt, val, 1, 1000, &a->top);
        }
#undef FLAG
    }
    if (rc != 0)
        return rc;
    if (m->scenario == NULL) {
        cli_errorf("sensitivity: which scenario? (usage: outagesim sensitivity SCENARIO)");
        return CLI_USAGE;
    }
    return 0;
}

/* ------------------------------------------------------------ output */

static int by_swing(const void *x, const void *y)
{
    const row *a = x, *b = y;

    if (a->swing != b->swing)
        return a->swing > b->swing ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static void show(char *buf, size_t n, double v, const char *unit)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (strncmp(unit, "won", 3) == 0)
        osim_format_eok(buf, n, v);
    else
        snprintf(buf, n, "%.4g", v);
}

static int write_csv(FILE *f, const sens_args *a, const osim_sweep *sw, const char *metric,
                     const char *unit, double base, const row *rows, size_t n)
{
    size_t i;

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

static int write_text_file(const char *dir, const char *name, const char *text, osim_diag *d)
{
    osim_atomic_file af;
    int rc;

    if ((rc = osim_atomic_open(&af, dir, name, d)) != 0)
        return rc;
    fputs(text, af.f);
    return osim_atomic_commit(&af, d);
}

/* The tornado's data (numbers only) and driver (quoted literals). */
static int tornado(const sens_args *a, const osim_sweep *sw, const char *metric, const char *unit,
                   double base, const row *rows, size_t n)
{
    char scripts[4096], *plot_dir = NULL, *dat = NULL, *drv = NULL, *q;
    size_t pn = strlen(a->mc.out) + sizeof("/plots"), i, shown = n < a->top ? n : (size_t)a->top;
    size_t cap = 4096 + shown * 1400, len = 0;
    double scale = strncmp(unit, "won", 3) == 0 ? 1e8 : 1.0;
    char *figs[1] = {"tornado"};
    char title[600], sub[600];
    osim_diag d;
    int rc = CLI_FAIL;

    osim_diag_clear(&d);
    plot_dir = malloc(pn);
    dat = malloc(cap);
    drv = malloc(cap);
    if (plot_dir == NULL || dat == NULL || drv == NULL)
        goto done;
    snprintf(plot_dir, pn, "%s/plots", a->mc.out);
    if (cli_plot_scripts_dir(scripts, sizeof(scripts)) != 0)
        goto done;
    if (osim_mkdir_p(plot_dir, &d) != 0 ||
        osim__sweep_copy_script(scripts, plot_dir, "common.gp", &d) != 0 ||
        osim__sweep_copy_script(scripts, plot_dir, "tornado.gp", &d) != 0) {
        cli_print_diag(&d);
        goto done;
    }
    len = (size_t)snprintf(dat, cap, "# rank (1 = top), figure at low, at high (%s)\n",
                           scale > 1 ? "억원" : unit);
    for (i = 0; i < shown; i++)
        len += (size_t)snprintf(dat + len, cap - len, "%zu %.10g %.10g\n", i + 1,
                                rows[i].at_low / scale, rows[i].at_high / scale);
    len = (size_t)snprintf(drv, cap,
                           "# tornado-vars.gp -- written by outagesim sensitivity; texts are "
                           "inert literals\nfigure = 'tornado'\nnbars = %zu\nbase = %.10g\n"
                           "lo_factor = %.10g\nhi_factor = %.10g\narray pname[%zu]\n",
                           shown, base / scale, a->lo, a->hi, shown > 0 ? shown : 1);
    for (i = 0; i < shown; i++) {
        char lbl[1200];
        snprintf(lbl, sizeof(lbl), "%s", rows[i].param);
        if ((q = osim__gp_quote(lbl, 64)) == NULL)
            goto done;
        len += (size_t)snprintf(drv + len, cap - len, "pname[%zu] = %s\n", i + 1, q);
        free(q);
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
    if ((q = osim__gp_quote(title, 0)) == NULL)
        goto done;
    len += (size_t)snprintf(drv + len, cap - len, "fig_title = %s\n", q);
    free(q);
    if ((q = osim__gp_quote(sub, 0)) == NULL)
        goto done;
    len += (size_t)snprintf(drv + len, cap - len, "subtitle = %s\n", q);
    free(q);
    if ((q = osim__gp_quote(scale > 1 ? "억원 (100,000,000 won)" : unit, 0)) == NULL)
        goto done;
    len += (size_t)snprintf(drv + len, cap - len, "xlabel_text = %s\n", q);
    free(q);
    if (write_text_file(plot_dir, "tornado.dat", dat, &d) != 0 ||
        write_text_file(plot_dir, "tornado-vars.gp", drv, &d) != 0) {
        cli_print_diag(&d);
        goto done;
    }
    rc = cli_sweep_render(plot_dir, figs, 1, a->mc.quiet);
done:
    free(plot_dir);
    free(dat);
    free(drv);
    return rc;
}

/* ------------------------------------------------------------ main */

static int sens_main(int argc, char **argv)
{
    sens_args a;
    osim_sweep_spec spec;
    osim_sweep *sw = NULL;
    const osim_scenario *base;
    cli_exec_opts eo;
    osim_diag d;
    char **params = NULL, desc[128];
    size_t np = 0, i, nrows = 0;
    row *rows = NULL;
    const char *topo[2], *metric = NULL, *unit = "";
    char *metric_own = NULL, topo_buf[512], baseline_buf[512];
    size_t ntopo = 1, t_index = 0;
    bool writer = true, econ;
    double basev = NAN, lo, hi;
    uint64_t t0 = uv_hrtime();
    int rc, code;

    osim_diag_clear(&d);
    if ((code = parse_args(argc, argv, &a)) != 0)
        goto done;
    code = CLI_USAGE;
    /* The base scenario first: it names the baseline, the parameters. */
    memset(&spec, 0, sizeof(spec));
    spec.scenario = a.mc.scenario;
    spec.base = a.mc.ov.v;
    spec.base_count = a.mc.ov.n;
    spec.seed = a.mc.seed;
    spec.replications = a.mc.replications;
    if ((rc = osim_sweep_new(&spec, &sw, &d)) != 0) {
        cli_print_diag(&d);
        code = rc == OSIM_ENOMEM ? CLI_FAIL : CLI_USAGE;
        goto done;
    }
    base = osim_sweep_base(sw);
    /* Copied: the first sweep (and its scenario) is freed below. */
    snprintf(topo_buf, sizeof(topo_buf), "%s",
             a.topology != NULL                 ? a.topology
             : base->economics.baseline != NULL ? base->economics.baseline
                                                : base->topologies[0].name);
    snprintf(baseline_buf, sizeof(baseline_buf), "%s",
             base->economics.baseline != NULL ? base->economics.baseline : "");
    a.topology = topo_buf;
    if (osim_scenario_topology_index(base, a.topology) < 0) {
        cli_errorf("--topology: no topology '%s' in %s", a.topology, a.mc.scenario);
        goto done;
    }
    econ = a.metric != NULL && strncmp(a.metric, "economics.", 10) == 0;
    topo[0] = a.topology;
    if (econ && baseline_buf[0] != '\0' && strcmp(baseline_buf, a.topology) != 0) {
        /* Economics compare against the baseline: run it too, in scenario order. */
        long ib = osim_scenario_topology_index(base, baseline_buf);
        long it = osim_scenario_topology_index(base, a.topology);
        topo[ib < it ? 0 : 1] = baseline_buf;
        topo[ib < it ? 1 : 0] = a.topology;
        t_index = ib < it ? 1 : 0;
        ntopo = 2;
    }
    osim_sweep_free(sw);
    sw = NULL;
    spec.topologies = topo;
    spec.topologies_count = ntopo;
    if ((rc = osim_sweep_new(&spec, &sw, &d)) != 0) {
        cli_print_diag(&d);
        goto done;
    }
    base = osim_sweep_base(sw);
    if (a.nparams == 0) {
        if (osim_sweep_default_params(base, a.topology, &params, &np) != 0) {
            code = CLI_FAIL;
            goto done;
        }
    }
    for (i = 0; i < a.nparams; i++) {
        if ((rc = osim_sweep_expand_params(base, a.params[i], &params, &np, &d)) != 0) {
            cli_print_diag(&d);
            code = rc == OSIM_ENOMEM ? CLI_FAIL : CLI_USAGE;
            goto done;
        }
    }
    if (np == 0) {
        cli_errorf("sensitivity: no parameter to swing");
        goto done;
    }
    if ((rows = calloc(np, sizeof(*rows))) == NULL) {
        code = CLI_FAIL;
        goto done;
    }
    /* Point 0: the base; then 2i+1 (low) and 2i+2 (high) for parameter i. */
    if (osim_sweep_add_point(sw, NULL, 0, "base", NULL) != 0) {
        code = CLI_FAIL;
        goto done;
    }
    for (i = 0; i < np; i++) {
        const double fs[2] = {a.lo, a.hi};
        int k;
        row *r = &rows[nrows++];
        r->order = i;
        r->param = params[i];
        r->base_text = osim_sweep_param_text(base, params[i]);
        for (k = 0; k < 2; k++) {
            osim_override *ov = NULL;
            size_t nov = 0;
            char *shown = NULL;
            if ((rc = osim_sweep_swing(base, params[i], fs[k], &ov, &nov, &shown, &d)) != 0) {
                cli_print_diag(&d);
                code = rc == OSIM_ENOMEM ? CLI_FAIL : CLI_USAGE;
                goto done;
            }
            rc = osim_sweep_add_point(sw, ov, nov, NULL, NULL);
            osim_sweep_overrides_free(ov, nov);
            if (k == 0)
                r->low_text = shown;
            else
                r->high_text = shown;
            if (rc != 0) {
                code = CLI_FAIL;
                goto done;
            }
        }
    }
    if ((rc = osim_sweep_check(sw, &d)) != 0) {
        cli_print_diag(&d);
        code = rc == OSIM_ENOMEM ? CLI_FAIL : CLI_USAGE;
        goto done;
    }
    memset(&eo, 0, sizeof(eo));
    eo.threads = a.mc.threads;
    eo.chunk = a.mc.chunk;
    eo.block = a.mc.block;
    eo.quiet = a.mc.quiet;
    eo.what = "sensitivity";
    if ((code = cli_sweep_execute(sw, &eo, &writer)) != CLI_OK || !writer)
        goto done;
    code = CLI_FAIL;
    if (!a.mc.quiet) {
        cli_sweep_describe(&eo, desc, sizeof(desc));
        fprintf(stderr, "outagesim: %zu runs x %llu replications in %.2f s (%s)\n",
                osim_sweep_points_count(sw), (unsigned long long)a.mc.replications,
                (double)(uv_hrtime() - t0) / 1e9, desc);
    }
    metric = a.metric;
    if (metric == NULL) {
        metric_own = strdup(osim_sweep_default_metric(osim_sweep_result(sw, 0)));
        metric = metric_own;
    }
    if (metric == NULL || osim_sweep_figure(osim_sweep_result(sw, 0), t_index, metric, a.stat,
                                            &basev, &lo, &hi, &unit) != 0) {
        cli_errorf("--metric: no metric '%s' (a column of replications.csv, or economics.*)",
                   metric != NULL ? metric : "");
        code = CLI_USAGE;
        goto done;
    }
    for (i = 0; i < nrows; i++) {
        const char *u;
        osim_sweep_figure(osim_sweep_result(sw, 2 * i + 1), t_index, metric, a.stat,
                          &rows[i].at_low, &lo, &hi, &u);
        osim_sweep_figure(osim_sweep_result(sw, 2 * i + 2), t_index, metric, a.stat,
                          &rows[i].at_high, &lo, &hi, &u);
        rows[i].swing = fabs(rows[i].at_high - rows[i].at_low);
        if (isnan(rows[i].swing))
            rows[i].swing = 0.0;
    }
    qsort(rows, nrows, sizeof(*rows), by_swing);
    if (a.mc.out != NULL) {
        osim_atomic_file af;
        if ((rc = osim_sweep_write_dir(sw, a.mc.out, &d)) != 0 ||
            (rc = osim_atomic_open(&af, a.mc.out, "sensitivity.csv", &d)) != 0) {
            cli_print_diag(&d);
            goto done;
        }
        if (write_csv(af.f, &a, sw, metric, unit, basev, rows, nrows) != 0) {
            osim_atomic_abort(&af);
            cli_errorf("cannot write sensitivity.csv");
            goto done;
        }
        if (osim_atomic_commit(&af, &d) != 0) {
            cli_print_diag(&d);
            goto done;
        }
        if (!a.no_plots && tornado(&a, sw, metric, unit, basev, rows, nrows) != CLI_OK)
            goto done;
    }
    {
        char b0[64], b1[64], b2[64], b3[64];
        show(b0, sizeof(b0), basev, unit);
        printf("sensitivity of %s: %s of %s under %s (%s), %llu replications per swing, "
               "seed %llu\nbase: %s; each parameter x%g and x%g, ranked by swing\n\n",
               base->name, osim_sweep_stat_name(a.stat), metric, a.topology, unit,
               (unsigned long long)a.mc.replications, (unsigned long long)a.mc.seed, b0, a.lo,
               a.hi);
        /* The parameter column is as wide as the longest name: never cut. */
        int pw = 9;
        for (i = 0; i < nrows; i++)
            pw = (int)strlen(rows[i].param) > pw ? (int)strlen(rows[i].param) : pw;
        printf("%4s  %-*s  %14s  %14s  %14s\n", "rank", pw, "parameter", "at low", "at high",
               "swing");
        for (i = 0; i < nrows; i++) {
            show(b1, sizeof(b1), rows[i].at_low, unit);
            show(b2, sizeof(b2), rows[i].at_high, unit);
            show(b3, sizeof(b3), rows[i].swing, unit);
            printf("%4zu  %-*s  %14s  %14s  %14s\n", i + 1, pw, rows[i].param, b1, b2, b3);
        }
    }
    code = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
done:
    for (i = 0; i < nrows; i++) {
        free(rows[i].low_text);
        free(rows[i].high_text);
        free(rows[i].base_text);
    }
    free(rows);
    for (i = 0; i < np; i++)
        free(params[i]);
    free(params);
    free(metric_own);
    osim_sweep_free(sw);
    free(a.params);
    cli_mc_args_free(&a.mc);
    return code;
}

const cli_command cli_cmd_sensitivity = {
    "sensitivity",
    "one-at-a-time parameter swings ranked by effect: table, CSV, tornado chart (MPI)",
    sens_main,
    help,
};
