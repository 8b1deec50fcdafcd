/*
 * cmd_run.c -- `outagesim run`: the Monte Carlo run users bet on.
 *
 * Parses the command line, loads the scenario, sizes libuv's thread pool,
 * runs the replications with a progress line and a Ctrl-C handler on the
 * same loop, then writes the result (stdout in the chosen format, and the
 * files of --out). Only this file chooses exit codes for a run:
 * 0 done, 2 bad usage or scenario, 1 other failure, 130 interrupted.
 *
 * Ctrl-C: the first SIGINT asks the run to stop (osim_mc_stop); running
 * replications finish, the completed prefix is summarised and written with
 * "interrupted": true, and the exit code is 130. The signal handle stays
 * installed while the files are written, so a second Ctrl-C cannot cut a
 * file short (and files are renamed into place anyway).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/mc_args.h"
#include "cli/plot_cli.h"
#include "cli/progress.h"
#include "cli/stage.h"
#include "outagesim/mc.h"
#include "outagesim/money.h"
#include "outagesim/report.h"
#include "outagesim/scenario.h"
#include "outagesim/series.h"

#define DEFAULT_REPLICATIONS 1000u
#define DEFAULT_MAX_REPLICATIONS 100000u
#define MAX_THREADS 1024u /* libuv's limit on its pool */

typedef struct run_args {
    cli_mc_args mc; /* SCENARIO and the options shared with sweep and sensitivity */
    uint64_t from, to, max_replications;
    bool has_from, has_to;
    const char *format;
    bool plots;
    const char *prec_metric;
    double prec_rel;
} run_args;

static void help(void)
{
    printf(
        "usage: outagesim run SCENARIO [options]\n"
        "\n"
        "Replay the fire of SCENARIO many times (Monte Carlo), each time under every\n"
        "topology, and report per topology: downtime and recovery per service, users and\n"
        "user-hours lost, small-business losses, data lost, the cost of each compensation\n"
        "policy, and the economics of redundancy (expected annual loss, net benefit against\n"
        "the baseline design, and the incident probabilities at which a design pays for\n"
        "itself). Every figure is given as mean, 95%% confidence interval of the mean,\n"
        "5th/50th/95th percentile, min and max over the replications.\n"
        "\n"
        "Options:\n"
        "  --topology NAME|all    topologies to run (repeat, or comma-separated); default all.\n"
        "                         Every topology meets the same fire in a replication.\n"
        "  --replications N       replications to run; default %u.\n"
        "  --seed S               master seed, 0..9223372036854775807; default 1. Same seed,\n"
        "                         scenario and version: byte-identical results.\n"
        "  --threads T            worker threads, 1..%u; default the number of cores. The\n"
        "                         result does not depend on it.\n"
        "  --from A --to B        run only replications A..B-1 (a part of a larger run, for\n"
        "                         `outagesim merge`); --from alone runs A..A+N-1.\n"
        "  --set PATH=VALUE       override a scenario value (repeat); see `outagesim params`.\n"
        "  --out DIR              write DIR/results.json (the result document),\n"
        "                         DIR/summary.csv (one row per topology and metric) and\n"
        "                         DIR/replications.csv (one row per replication and topology,\n"
        "                         every metric at full precision: what merge and plots read),\n"
        "                         and DIR/series.json with DIR/series-*.dat (the course of\n"
        "                         the outage over time, for the figures).\n"
        "                         Files are written under a temporary name and renamed.\n"
        "  --format table|json|csv  what goes to stdout: tables (default, also when stdout\n"
        "                         is not a terminal), the result document, or summary.csv.\n"
        "  --quiet                no progress line and no timing on stderr.\n"
        "  --precision METRIC=REL keep adding replications (beyond --replications) until the\n"
        "                         95%% CI half-width of METRIC is within REL x |mean| under\n"
        "                         every topology, e.g. incident_cost_krw=0.02. METRIC is a\n"
        "                         column name of replications.csv.\n"
        "  --max-replications N   cap for --precision; default %u.\n"
        "  --chunk N              replications per work item; default 32 (no effect on results).\n"
        "  --plots                also draw the figures (PNG) into DIR/plots with gnuplot, as\n"
        "                         `outagesim plot DIR` does (see its --help); without gnuplot\n"
        "                         the run still succeeds and says how to draw them later.\n"
        "\n"
        "Units: hours from ignition, money in whole won (억원 = 100,000,000 won in tables).\n"
        "Timing (replications per second) goes to stderr, never into the outputs.\n"
        "Ctrl-C stops starting replications, writes the completed ones with\n"
        "\"interrupted\": true and exits 130. Exit codes: 0 done, 1 failure, 2 bad usage or\n"
        "scenario, 130 interrupted.\n"
        "\n"
        "Examples:\n"
        "  outagesim run scenarios/kakao-pangyo-2022.yaml --out results\n"
        "  outagesim run scenarios/kakao-pangyo-2022.yaml \\\n"
        "      --topology as-was,dual-active-standby --replications 5000 --seed 7 \\\n"
        "      --format json > result.json\n"
        "  outagesim run S.yaml --from 0 --to 500 --out part1   # then merge part1 part2\n",
        DEFAULT_REPLICATIONS, MAX_THREADS, DEFAULT_MAX_REPLICATIONS);
}

/* ------------------------------------------------------------ parsing */

static int parse_precision(run_args *a, char *arg)
{
    char *eq = strchr(arg, '='), *end;

    if (eq == NULL || eq == arg) {
        cli_errorf("--precision: expected METRIC=REL (e.g. incident_cost_krw=0.02), got '%s'", arg);
        return CLI_USAGE;
    }
    *eq = '\0';
    errno = 0;
    a->prec_rel = strtod(eq + 1, &end);
    if (*end == '%') {
        a->prec_rel /= 100.0;
        end++;
    }
    if (end == eq + 1 || *end != '\0' || errno != 0 || !(a->prec_rel > 0 && a->prec_rel < 1)) {
        cli_errorf("--precision: REL must be a relative half-width in (0, 1), e.g. 0.02 or 2%%");
        return CLI_USAGE;
    }
    a->prec_metric = arg;
    return 0;
}

static int parse_args(int argc, char **argv, run_args *a)
{
    cli_mc_args *m = &a->mc;
    int i, rc = 0;

    memset(a, 0, sizeof(*a));
    cli_mc_args_init(m, CLI_MC_TOPOLOGIES | CLI_MC_QUIET | CLI_MC_MIN_SENTENCE,
                     DEFAULT_REPLICATIONS);
    a->max_replications = DEFAULT_MAX_REPLICATIONS;
    a->format = "table";
    for (i = 1; i < argc && rc == 0; i++) {
        char *arg = argv[i], *val;
        char opt[64];

        if (cli_mc_is_positional(arg)) {
            if ((rc = cli_mc_positional(m, "run", argc, argv, &i)) != 0)
                return rc;
            continue;
        }
        /* --opt=value or --opt value */
        cli_opt_split(arg, opt, sizeof(opt), &val);
        if ((rc = cli_mc_option(m, "run", opt, &val, argc, argv, &i)) != CLI_MC_NOT_MINE)
            continue;
        rc = 0;
#define FLAG(name) (strcmp(opt, name) == 0)
        if (FLAG("--plots")) {
            if ((rc = cli_opt_flag(opt, val)) != 0)
                return rc;
            a->plots = true;
            continue;
        }
        if (!FLAG("--from") && !FLAG("--to") && !FLAG("--format") && !FLAG("--precision") &&
            !FLAG("--max-replications"))
            return cli_opt_unknown("run", opt);
        if ((rc = cli_opt_value("run", opt, &val, argc, argv, &i)) != 0)
            return rc;
        if (FLAG("--from")) {
            rc = cli_parse_u64_in(opt, val, 0, INT64_MAX, &a->from);
            a->has_from = true;
        } else if (FLAG("--to")) {
            rc = cli_parse_u64_in(opt, val, 0, INT64_MAX, &a->to);
            a->has_to = true;
        } else if (FLAG("--format")) {
            a->format = val;
            if (strcmp(val, "table") != 0 && strcmp(val, "json") != 0 && strcmp(val, "csv") != 0) {
                cli_errorf("--format: '%s' is not one of table, json, csv", val);
                rc = CLI_USAGE;
            }
        } else if (FLAG("--precision")) {
            rc = parse_precision(a, val);
        } else if (FLAG("--max-replications")) {
            rc = cli_parse_u64_in(opt, val, 0, UINT32_MAX, &a->max_replications);
        }
#undef FLAG
    }
    if (rc != 0)
        return rc;
    if (m->scenario == NULL) {
        cli_errorf("run: which scenario? (usage: outagesim run SCENARIO [options])");
        return CLI_USAGE;
    }
    if (a->has_to) {
        if (m->has_replications) {
            cli_errorf("run: give --to or --replications, not both");
            return CLI_USAGE;
        }
        if (a->to <= a->from) {
            cli_errorf("run: --to %llu must be greater than --from %llu", (unsigned long long)a->to,
                       (unsigned long long)a->from);
            return CLI_USAGE;
        }
    } else {
        a->to = a->from + m->replications;
    }
    if (a->prec_metric != NULL && (a->has_from || a->has_to)) {
        cli_errorf("run: --precision decides where the run ends; it cannot be combined with "
                   "--from/--to");
        return CLI_USAGE;
    }
    if (a->prec_metric != NULL && a->max_replications < a->to - a->from) {
        cli_errorf("run: --max-replications %llu is below --replications %llu",
                   (unsigned long long)a->max_replications, (unsigned long long)(a->to - a->from));
        return CLI_USAGE;
    }
    if (a->plots && m->out == NULL) {
        cli_errorf("run: --plots needs --out DIR (the plots are files)");
        return CLI_USAGE;
    }
    return cli_mc_check_out(m);
}

/* Topology names to indices; 2 (usage) for an unknown name. */
static int resolve_topologies(const osim_scenario *sc, const run_args *a, size_t **out)
{
    size_t i, j, *v;

    *out = NULL;
    if (a->mc.ntopo == 0)
        return 0;
    if ((v = malloc(a->mc.ntopo * sizeof(*v))) == NULL)
        return CLI_FAIL;
    for (i = 0; i < a->mc.ntopo; i++) {
        long k = osim_scenario_topology_index(sc, a->mc.topo_names[i]);
        if (k < 0) {
            cli_errorf("--topology: no topology '%s' in %s; it has:", a->mc.topo_names[i],
                       a->mc.scenario);
            for (j = 0; j < sc->topologies_count; j++)
                fprintf(stderr, "  %s\n", sc->topologies[j].name);
            free(v);
            return CLI_USAGE;
        }
        v[i] = (size_t)k;
    }
    *out = v;
    return 0;
}

/* ------------------------------------------------------------ running */

typedef struct run_ctx {
    osim_mc *mc;
    uv_loop_t *loop; /* for SIGINT only: pumped from the progress callback */
    uv_signal_t sigint;
    bool stopping;
    bool quiet;
    cli_progress prog;
} run_ctx;

static void on_sigint(uv_signal_t *h, int signum)
{
    run_ctx *ctx = h->data;

    (void)signum;
    if (!ctx->stopping) {
        cli_progress_end(&ctx->prog);
        fputs("outagesim: interrupted: finishing the replications in progress, then writing "
              "the completed ones\n",
              stderr);
    }
    ctx->stopping = true;
    osim_mc_stop(ctx->mc);
}

/* On the running thread, every progress_ms: a signal, then the line. */
static void on_progress(void *ud, uint64_t done, uint64_t total)
{
    run_ctx *ctx = ud;

    uv_run(ctx->loop, UV_RUN_NOWAIT);
    if (!ctx->stopping)
        cli_progress_draw(&ctx->prog, done, total);
}

static int print_stdout(const osim_mc_result *r, const char *format, osim_diag *d)
{
    int rc;

    if (strcmp(format, "json") == 0)
        rc = osim_report_json(r, stdout, d);
    else if (strcmp(format, "csv") == 0)
        rc = osim_report_summary_csv(r, stdout, d);
    else
        rc = osim_report_table(r, stdout, d);
    if (rc == 0 && fflush(stdout) != 0)
        rc = osim_diag_set(d, OSIM_EIO, NULL, 0, 0, "cannot write to stdout");
    return rc;
}

static void close_cb(uv_handle_t *h)
{
    (void)h;
}

static int run_main(int argc, char **argv)
{
    run_args a;
    osim_scenario *sc = NULL;
    osim_mc_result *res = NULL;
    osim_series *series = NULL;
    osim_mc_options opt;
    osim_diag d;
    run_ctx ctx;
    uv_loop_t loop;
    bool loop_live = false, sig_live = false;
    size_t *topo = NULL;
    int rc, st, code = CLI_FAIL;

    memset(&ctx, 0, sizeof(ctx));
    osim_diag_clear(&d);
    if ((code = parse_args(argc, argv, &a)) != 0)
        goto done;
    code = CLI_FAIL;
    if (a.mc.threads == 0) {
        int n = (int)uv_available_parallelism();
        a.mc.threads = n > 0 ? (unsigned)n : 1u;
        if (a.mc.threads > MAX_THREADS)
            a.mc.threads = MAX_THREADS;
    }

    rc = osim_scenario_load(a.mc.scenario, a.mc.ov.v, a.mc.ov.n, &sc, &d);
    if (rc != 0) {
        cli_print_diag(&d);
        /* Any load failure but memory is the scenario's (or its path's) fault. */
        code = rc == OSIM_ENOMEM ? CLI_FAIL : CLI_USAGE;
        goto done;
    }
    if ((code = resolve_topologies(sc, &a, &topo)) != 0)
        goto done;
    code = CLI_FAIL;

    if (uv_loop_init(&loop) != 0) {
        cli_errorf("cannot create an event loop");
        goto done;
    }
    loop_live = true;
    ctx.loop = &loop;

    memset(&opt, 0, sizeof(opt));
    opt.seed = a.mc.seed;
    opt.from = a.from;
    opt.to = a.to;
    opt.threads = a.mc.threads;
    opt.chunk = a.mc.chunk;
    opt.topologies = topo;
    opt.topologies_count = a.mc.ntopo;
    opt.overrides = a.mc.ov.v;
    opt.overrides_count = a.mc.ov.n;
    opt.precision_metric = a.prec_metric;
    opt.precision_rel = a.prec_rel;
    opt.max_to = a.from + a.max_replications;
    /* The course of the outage over time (series.h), kept with the results. */
    if (a.mc.out != NULL) {
        if ((rc = osim_series_new(sc, a.mc.seed, topo, a.mc.ntopo, &series)) != 0) {
            cli_errorf("cannot prepare the series: %s", osim_strerror(rc));
            goto done;
        }
        opt.series = series;
    }
    cli_progress_start(&ctx.prog, "replications", a.mc.quiet);
    ctx.quiet = a.mc.quiet;
    /* Always: the callback also delivers Ctrl-C (on_sigint) between ticks. */
    opt.progress = on_progress;
    opt.progress_ud = &ctx;
    opt.progress_ms = 200;
    rc = osim_mc_new(sc, &opt, &ctx.mc, &d);
    if (rc != 0) {
        cli_print_diag(&d);
        code = rc == OSIM_EINVAL ? CLI_USAGE : cli_exit_code(rc);
        goto done;
    }
    if (uv_signal_init(&loop, &ctx.sigint) == 0) {
        ctx.sigint.data = &ctx;
        sig_live = uv_signal_start(&ctx.sigint, on_sigint, SIGINT) == 0;
    }

    st = osim_mc_run(ctx.mc, &d);
    cli_progress_end(&ctx.prog);
    if (st != 0 && st != OSIM_ESTOPPED) {
        cli_print_diag(&d);
        code = cli_exit_code(st);
        goto done;
    }
    res = osim_mc_take_result(ctx.mc);
    if (!a.mc.quiet) {
        double el = cli_progress_elapsed_s(&ctx.prog);
        uint64_t n = res->to - res->from;
        double tr = (double)n * (double)res->topologies_count;
        char rate[OSIM_MONEY_BUF];
        fprintf(stderr,
                "outagesim: %llu replications x %zu topologies in %.2f s (%s "
                "topology-replications/s, %u threads)\n",
                (unsigned long long)n, res->topologies_count, el,
                osim_format_krw(rate, sizeof(rate), el > 0 ? tr / el : 0.0), a.mc.threads);
    }
    if (a.mc.out != NULL) {
        /* Results and series are published together or not at all (stage.h). */
        cli_stage stage;
        if ((rc = cli_stage_begin(&stage, a.mc.out, &d)) != 0) {
            cli_print_diag(&d);
            code = CLI_FAIL;
            goto done;
        }
        if ((rc = osim_report_write_dir(res, stage.dir, &d)) != 0 ||
            (rc = osim_series_write(series, stage.dir, &d)) != 0 ||
            (rc = cli_stage_commit(&stage, &d)) != 0) {
            cli_stage_abort(&stage);
            cli_print_diag(&d);
            code = CLI_FAIL;
            goto done;
        }
        if (a.plots &&
            (code = cli_plot_draw(a.mc.out, res, series, OSIM_PLOT_PNG, a.mc.quiet)) != 0)
            goto done;
        code = CLI_FAIL;
    }
    if ((rc = print_stdout(res, a.format, &d)) != 0) {
        cli_print_diag(&d);
        code = CLI_FAIL;
        goto done;
    }
    code = st == OSIM_ESTOPPED ? CLI_INTERRUPTED : CLI_OK;
done:
    if (sig_live)
        uv_signal_stop(&ctx.sigint);
    if (loop_live) {
        if (sig_live)
            uv_close((uv_handle_t *)&ctx.sigint, close_cb);
        uv_run(&loop, UV_RUN_DEFAULT);
    }
    osim_mc_free(ctx.mc);
    if (loop_live)
        uv_loop_close(&loop);
    osim_mc_result_free(res);
    osim_series_free(series);
    osim_scenario_free(sc);
    free(topo);
    cli_mc_args_free(&a.mc);
    return code;
}

const cli_command cli_cmd_run = {
    "run",
    "Monte Carlo run: statistics per topology, compensation, economics of redundancy",
    run_main,
    help,
};
