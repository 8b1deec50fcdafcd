/*
 * cmd_run.c -- `outagesim run`: the Monte Carlo run users bet on.
 *
 * Parses the command line, loads the scenario, chooses the thread count,
 * runs the replications with a progress line and a stop hook (signals.c:
 * delivered from the progress callback), then writes the result (stdout in
 * the chosen format, and the files of --out). Exit codes are
 * cli_exit_code's (cli.h): 0 done, 2 bad usage or scenario, 1 other
 * failure, 128 + the signal when stopped (130 SIGINT, 143 SIGTERM, 129
 * SIGHUP).
 *
 * Stopping: the first SIGINT, SIGTERM or SIGHUP asks the run to stop
 * (osim_mc_stop); running replications finish, the completed prefix is
 * summarised and written with "interrupted": true, and the exit code is
 * 128 + the signal. The signals stay caught while the files are written,
 * so a second one cannot cut the publication short (and the folder is
 * swapped into place whole anyway, publish.h). The files of --out are
 * published before stdout is written, so a reader of stdout that
 * goes away (`| head -1`, exit 141) never leaves them half done.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/mc_args.h"
#include "cli/opts.h"
#include "cli/plot_cli.h"
#include "cli/progress.h"
#include "cli/publish.h"
#include "cli/report_cli.h"
#include "cli/scenario_args.h"
#include "mc/exec.h"
#include "mc/runner.h"
#include "outagesim/atomic_file.h"
#include "outagesim/catalogue.h"
#include "outagesim/compensation.h"
#include "outagesim/mc.h"
#include "outagesim/money.h"
#include "outagesim/report.h"
#include "outagesim/risk.h"
#include "outagesim/scenario.h"
#include "outagesim/series.h"

#define DEFAULT_REPLICATIONS 1000u
#define DEFAULT_MAX_REPLICATIONS 100000u
/* Above this many replications replications.csv is written only when asked
 * (--replications-csv): 10^7 replications of a small scenario make 20 GB. */
#define ROWS_CSV_MAX 100000u
/* The rows of a run held in memory at most (MB); a longer run keeps them
 * in a temporary file, so its memory does not grow with its length. */
#define DEFAULT_ROWS_MEMORY_MB 16u

typedef struct run_args {
    cli_mc_args mc; /* SCENARIO and the options shared with sweep and sensitivity */
    uint64_t from, to, max_replications;
    bool has_from, has_to;
    const char *format;
    bool plots;
    bool report;   /* --report: the liability report too (cmd_report.c) */
    bool rows_csv; /* --replications-csv */
    uint64_t rows_memory_mb;
    const char *prec_metric;
    double prec_rel;
    uint64_t risk_years;  /* years of a catalogue's year loss table */
    const char *incident; /* --incident: one incident of a catalogue, alone */
} run_args;

static void help(void)
{
    printf(
        "usage: outagesim run SCENARIO [options]\n"
        "\n"
        "Replay the fire of SCENARIO many times (Monte Carlo), each time under every\n"
        "topology, and report per topology: downtime and recovery per service, the times\n"
        "by which 50%%, 90%% and 100%% of systems are back (systems_50_h, systems_90_h,\n"
        "systems_100_h) and the share of systems back over time, users and\n"
        "user-hours lost, small-business losses, data lost, the cost of each compensation\n"
        "policy, and the economics of redundancy (expected annual loss, net benefit against\n"
        "the baseline design, and the incident probabilities at which a design pays for\n"
        "itself). Every figure is given as mean, 95%% confidence interval of the mean,\n"
        "5th/50th/95th percentile, min and max over the replications.\n"
        "\n"
        "A scenario with a catalogue of incidents (incidents:, each with an annual\n"
        "frequency) is replayed incident by incident with the same random numbers; its\n"
        "economics count every incident, and it adds the risk of a year: average annual\n"
        "loss and the losses at return periods of 10 to 1,000 years, per design.\n"
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
        "                         `outagesim merge`); --from alone runs A..A+N-1. A\n"
        "                         catalogue (incidents:) splits too: merge rebuilds its\n"
        "                         year loss table from the parts' incidents/NAME/.\n"
        "  --set PATH=VALUE       override a scenario value (repeat); see `outagesim params`.\n"
        "                         PATH=xF scales a number, or a whole distribution (X -> F X,\n"
        "                         e.g. incident.pangyo.suppression=x2), by F.\n"
        "  --out DIR              write the files listed below into DIR: all into a hidden\n"
        "                         folder beside DIR, then swapped in with one rename, so\n"
        "                         DIR holds the old run or the new, never a mix (old plots\n"
        "                         go with the old run).\n"
        "  --no-wait              if another outagesim is writing DIR, fail (exit 1) rather\n"
        "                         than wait for it (up to 10 minutes).\n"
        "  --format table|json|csv  what goes to stdout: tables (default, also when stdout\n"
        "                         is not a terminal), the result document, or summary.csv.\n"
        "  --quiet                no progress line and no timing on stderr.\n"
        "  --precision METRIC=REL keep adding replications (beyond --replications) until the\n"
        "                         95%% CI half-width of METRIC is within REL x |mean| under\n"
        "                         every topology, e.g. incident_cost_money=0.02. METRIC is a\n"
        "                         column name of replications.csv.\n"
        "  --max-replications N   cap for --precision; default %u.\n"
        "  --chunk N              replications per work item; default 32 (no effect on results).\n"
        "  --plots                also draw the figures (PNG) into DIR/plots with gnuplot, as\n"
        "                         `outagesim plot DIR` does (see its --help); without gnuplot\n"
        "                         the run still succeeds and says how to draw them later.\n"
        "  --report               also write the liability report for counsel into DIR\n"
        "                         (report.html, report.pdf, report.md and the SVG figures),\n"
        "                         as `outagesim report DIR` does (see its --help).\n"
        "                         Needs the rows in memory (see --rows-memory).\n"
        "  --replications-csv     write replications.csv also for a run of more than %u\n"
        "                         replications (above that it is left out unless asked:\n"
        "                         one line per replication and topology; merge and plot\n"
        "                         need it).\n"
        "  --rows-memory MB       the most memory the rows of the run may take; default %u.\n"
        "                         A longer run keeps them in an unlinked temporary file in\n"
        "                         $TMPDIR (default /tmp), gone when the run ends however it\n"
        "                         ends, and reads each metric back to summarise it: memory\n"
        "                         stays flat at any number of replications and the results\n"
        "                         are the same, bit for bit. 0: always on disk.\n"
        "  --risk-years N         a catalogue's year loss table: N simulated years\n"
        "                         (default 100000).\n"
        "  --incident NAME        run one incident of a catalogue (incidents:) alone, as a\n"
        "                         scenario of that one incident at its own frequency: the\n"
        "                         run of any single-incident scenario, which --precision and\n"
        "                         long runs with rows on disk take (a whole catalogue does\n"
        "                         not). The first incident is the file's own incident:, so\n"
        "                         its results are those of the scenario without a catalogue.\n"
        "\n"
        "Files in DIR (--out DIR); each CSV file starts with a '#' line naming the version,\n"
        "scenario, seed and replications:\n"
        "  results.json           the result document (what --format json prints)\n"
        "  summary.csv            one row per topology and metric, then its economics.* rows\n"
        "                         (and for a catalogue its risk.* rows: risk.aal_money,\n"
        "                         risk.aep_<T>y_money for T = 10 .. 1000, risk.tvar_100y_money\n"
        "                         and risk.tvar_250y_money; n = the simulated years)\n"
        "                         (--format csv prints it),\n"
        "                         columns: topology,metric,unit,n,mean,ci95_low,ci95_high,\n"
        "                         p5,p50,p95,min,max\n"
        "  replications.csv       one row per replication and topology, every metric at full\n"
        "                         precision (what merge and plot read); above %u\n"
        "                         replications only with --replications-csv. One column per "
        "metric\n"
        "                         (the metrics of summary.csv, in its order),\n"
        "                         columns: replication,topology,METRIC...\n"
        "  series.json            the course of the outage over time (shape and counts),\n"
        "  series-timeline.dat, series-users.dat, series-loss.dat, series-marks.dat\n"
        "  series-systems.dat, series-systems-hist.dat\n"
        "                         with its data: integer counts, columns named in a comment\n"
        "                         (series-systems*: the share of all systems back over time)\n"
        "  plots/*                with --plots: the figures and their data and scripts, as\n"
        "                         `outagesim plot DIR` writes them: timeline, affected-users,\n"
        "                         recovery-cdf, business-loss, compensation, designs and\n"
        "                         systems_back (share of systems back vs days, per design\n"
        "                         its mean and 5-95%% band)\n"
        "\n"
        "Units: hours from ignition, money in whole units of scenario.currency (tables:\n"
        "억원 = 100,000,000 won, €m = 1,000,000 euros; CSV unit column: KRW, EUR, ...).\n"
        "Timing (replications per second) goes to stderr, never into the outputs.\n"
        "Ctrl-C (SIGINT), SIGTERM and SIGHUP stop starting replications, write the\n"
        "completed ones with \"interrupted\": true and exit 128 + the signal. Exit codes:\n"
        "0 done, 1 failure, 2 bad usage or scenario, 130/143/129 interrupted by\n"
        "SIGINT/SIGTERM/SIGHUP, 141 stdout's reader went away (no message; --out is\n"
        "complete).\n"
        "\n"
        "Examples:\n"
        "  outagesim run scenarios/kakao-pangyo-2022.yaml --out results\n"
        "  outagesim run scenarios/kakao-pangyo-2022.yaml \\\n"
        "      --topology as-was,dual-active-standby --replications 5000 --seed 7 \\\n"
        "      --format json > result.json\n"
        "  outagesim run S.yaml --from 0 --to 500 --out part1   # then merge part1 part2\n",
        DEFAULT_REPLICATIONS, CLI_MC_MAX_THREADS, DEFAULT_MAX_REPLICATIONS, ROWS_CSV_MAX,
        DEFAULT_ROWS_MEMORY_MB, ROWS_CSV_MAX);
}

/* ------------------------------------------------------------ parsing */

static int parse_precision(run_args *a, char *arg)
{
    char *eq = strchr(arg, '='), *end;

    if (eq == NULL || eq == arg)
        return cli_usage(
            "run", "--precision: expected METRIC=REL (e.g. incident_cost_money=0.02), got '%s'",
            arg);
    *eq = '\0';
    errno = 0;
    a->prec_rel = strtod(eq + 1, &end);
    if (*end == '%') {
        a->prec_rel /= 100.0;
        end++;
    }
    if (end == eq + 1 || *end != '\0' || errno != 0 || !(a->prec_rel > 0 && a->prec_rel < 1))
        return cli_usage(
            "run", "--precision: REL must be a relative half-width in (0, 1), e.g. 0.02 or 2%%");
    a->prec_metric = arg;
    return 0;
}

enum {
    OPT_FROM = CLI_MC_KEY_END,
    OPT_TO,
    OPT_FORMAT,
    OPT_PRECISION,
    OPT_MAX_REPLICATIONS,
    OPT_PLOTS,
    OPT_REPORT,
    OPT_ROWS_CSV,
    OPT_ROWS_MEMORY,
    OPT_RISK_YEARS,
    OPT_INCIDENT
};

static const struct option run_options[] = {
    CLI_MC_OPTS_COMMON,
    CLI_MC_OPT_TOPOLOGY,
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"precision", required_argument, NULL, OPT_PRECISION},
    {"max-replications", required_argument, NULL, OPT_MAX_REPLICATIONS},
    {"plots", no_argument, NULL, OPT_PLOTS},
    {"report", no_argument, NULL, OPT_REPORT},
    {"replications-csv", no_argument, NULL, OPT_ROWS_CSV},
    {"rows-memory", required_argument, NULL, OPT_ROWS_MEMORY},
    {"risk-years", required_argument, NULL, OPT_RISK_YEARS},
    {"incident", required_argument, NULL, OPT_INCIDENT},
    {NULL, 0, NULL, 0},
};

/* One option or argument of the command line into a; 0 or an exit code (printed). */
static int take_option(run_args *a, int key, char *val)
{
    int rc, k;

    if (key == CLI_OPTS_ARG)
        return cli_mc_scenario(&a->mc, "run", val);
    if ((rc = cli_mc_option(&a->mc, "run", key, val)) != CLI_MC_NOT_MINE)
        return rc;
    switch (key) {
    case OPT_PLOTS: a->plots = true; return 0;
    case OPT_REPORT: a->report = true; return 0;
    case OPT_ROWS_CSV: a->rows_csv = true; return 0;
    case OPT_ROWS_MEMORY:
        return cli_opt_u64("run", "--rows-memory", val, 0, UINT32_MAX, &a->rows_memory_mb);
    case OPT_RISK_YEARS:
        return cli_opt_u64("run", "--risk-years", val, 1, UINT32_MAX, &a->risk_years);
    case OPT_INCIDENT: a->incident = val; return 0;
    case OPT_FROM:
        a->has_from = true;
        return cli_opt_u64("run", "--from", val, 0, INT64_MAX, &a->from);
    case OPT_TO: a->has_to = true; return cli_opt_u64("run", "--to", val, 0, INT64_MAX, &a->to);
    case OPT_FORMAT:
        rc = cli_opt_choice("run", "--format", val, osim_report_formats, &k);
        a->format = val;
        return rc;
    case OPT_PRECISION: return parse_precision(a, val);
    case OPT_MAX_REPLICATIONS:
        return cli_opt_u64("run", "--max-replications", val, 0, UINT32_MAX, &a->max_replications);
    default: return cli_opt_unhandled("run", key);
    }
}

/* The options that only make sense together, once all are read. */
static int check_args(run_args *a)
{
    cli_mc_args *m = &a->mc;

    if (m->scenario == NULL)
        return cli_usage("run", "which scenario? (usage: outagesim run SCENARIO [options])");
    if (a->has_to) {
        if (m->has_replications)
            return cli_usage("run", "give --to or --replications, not both");
        if (a->to <= a->from)
            return cli_usage("run", "--to %llu must be greater than --from %llu",
                             (unsigned long long)a->to, (unsigned long long)a->from);
    } else {
        /* Replication numbers end at 2^63-1 (the largest --to), as they are
         * written into the outputs as signed numbers: a range past it would
         * wrap to a negative "to". */
        if (m->replications > (uint64_t)INT64_MAX - a->from)
            return cli_usage("run",
                             "--from %llu + --replications %llu passes %lld, the largest "
                             "end of a range (--to): use a smaller --from",
                             (unsigned long long)a->from, (unsigned long long)m->replications,
                             (long long)INT64_MAX);
        a->to = a->from + m->replications;
    }
    if (a->prec_metric != NULL && (a->has_from || a->has_to))
        return cli_usage("run", "--precision decides where the run ends; it cannot be combined "
                                "with --from/--to");
    if (a->prec_metric != NULL && a->max_replications < a->to - a->from)
        return cli_usage("run", "--max-replications %llu is below --replications %llu",
                         (unsigned long long)a->max_replications,
                         (unsigned long long)(a->to - a->from));
    if (a->plots && m->out == NULL)
        return cli_usage("run", "--plots needs --out DIR (the plots are files)");
    if (a->report && m->out == NULL)
        return cli_usage("run", "--report needs --out DIR (the report is files)");
    return cli_check_out_dir("run", m->out);
}

static int parse_args(int argc, char **argv, run_args *a)
{
    cli_opts p;
    char *val;
    int key, rc;

    memset(a, 0, sizeof(*a));
    cli_mc_args_init(&a->mc, DEFAULT_REPLICATIONS);
    a->max_replications = DEFAULT_MAX_REPLICATIONS;
    a->rows_memory_mb = DEFAULT_ROWS_MEMORY_MB;
    a->risk_years = OSIM_RISK_YEARS_DEFAULT;
    a->format = "table";
    cli_opts_init(&p, "run", argc, argv, run_options);
    while ((key = cli_opts_next(&p, &val)) != CLI_OPTS_END) {
        if (key == CLI_OPTS_ERROR)
            return CLI_USAGE;
        if ((rc = take_option(a, key, val)) != 0)
            return rc;
    }
    return check_args(a);
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

/* The running side of one run: the runner, the series and the progress line. */
typedef struct run_ctx {
    osim_mc *mc;
    osim_series *series; /* with --out only */
    bool stopping;
    bool quiet;
    int rank, ranks; /* MPI: this process and how many (0 and 1 otherwise) */
    cli_progress prog;
} run_ctx;

/* A stop signal (signals.c): finish the replications in progress. */
static void on_stop(void *ud, int signum)
{
    run_ctx *ctx = ud;

    if (!ctx->stopping) {
        cli_progress_end(&ctx->prog);
        fprintf(stderr,
                "outagesim: interrupted: finishing the replications in progress, then writing "
                "the completed ones (%s)\n",
                cli_signal_name(signum));
    }
    ctx->stopping = true;
    osim_mc_stop(ctx->mc);
}

/* On the running thread, every progress_ms: a signal, then the line. */
static void on_progress(void *ud, uint64_t done, uint64_t total)
{
    run_ctx *ctx = ud;

    cli_signals_poll();
    if (!ctx->stopping)
        cli_progress_draw(&ctx->prog, done, total);
}

/*
 * --threads (default: the cores, at most CLI_MC_MAX_THREADS). The run's
 * executor sizes libuv's pool from it (sim/mc/exec_pool.c). Returns an
 * exit code.
 */
static int choose_threads(run_args *a)
{
    if (a->mc.threads == 0) {
        int n = (int)uv_available_parallelism();
        a->mc.threads = n > 0 ? (unsigned)n : 1u;
        if (a->mc.threads > CLI_MC_MAX_THREADS)
            a->mc.threads = CLI_MC_MAX_THREADS;
    }
    return CLI_OK;
}

/*
 * The series (with --out), the progress line, the runner over the
 * topologies topo, and the stop hook, in ctx. Returns an exit code
 * (printed); run_ctx_close undoes whatever was done.
 */
static int start_mc(run_ctx *ctx, const osim_scenario *sc, const run_args *a, const size_t *topo,
                    const char *label, bool series)
{
    osim_mc_options opt;
    osim_diag d;
    int rc;

    osim_diag_clear(&d);
    memset(&opt, 0, sizeof(opt));
    opt.seed = a->mc.seed;
    opt.from = a->from;
    opt.to = a->to;
    opt.threads = a->mc.threads;
    opt.chunk = a->mc.chunk;
    opt.topologies = topo;
    opt.topologies_count = a->mc.ntopo;
    opt.overrides = a->mc.ov.v;
    opt.overrides_count = a->mc.ov.n;
    opt.precision_metric = a->prec_metric;
    opt.precision_rel = a->prec_rel;
    opt.max_to = a->from + a->max_replications;
    /* Beyond the memory allowed the rows go to a file ($TMPDIR): 0 MB
     * means always (1 byte is less than any row). */
    opt.rows_memory_bytes = a->rows_memory_mb > 0 ? a->rows_memory_mb * 1000000u : 1u;
    opt.spill_dir = getenv("TMPDIR");
    /* The course of the outage over time (series.h), kept with the results. */
    if (a->mc.out != NULL && series) {
        if ((rc = osim_series_new(sc, a->mc.seed, topo, a->mc.ntopo, &ctx->series)) != 0) {
            cli_errorf("cannot prepare the series: %s", osim_strerror(rc));
            return cli_exit_code(rc);
        }
        opt.series = ctx->series;
    }
    cli_progress_start(&ctx->prog, label, a->mc.quiet);
    ctx->quiet = a->mc.quiet;
    /* Always: the callback also delivers a stop signal (on_stop) between ticks. */
    opt.progress = on_progress;
    opt.progress_ud = ctx;
    opt.progress_ms = 200;
    if ((rc = osim_mc_new(sc, &opt, &ctx->mc, &d)) != 0) {
        cli_print_diag(&d);
        return cli_exit_code(rc);
    }
    /* In build/outagesim-mpi under mpirun: the replications over the ranks. */
    if (ctx->ranks > 1) {
        if (a->prec_metric != NULL)
            return cli_usage("run", "--precision cannot run over MPI ranks (each decision needs "
                                    "every row): run it with one process");
        osim__mc_set_procs(ctx->mc, osim__exec_procs());
    }
    if (a->plots && osim_mc_spills(ctx->mc))
        return cli_usage("run",
                         "--plots needs every row in memory, and this run keeps its rows on disk "
                         "(more than --rows-memory %llu MB): raise --rows-memory, or plot a "
                         "shorter run",
                         (unsigned long long)a->rows_memory_mb);
    cli_signals_on_stop(on_stop, ctx);
    return CLI_OK;
}

/* The stop hook cleared, the runner and the series freed. */
static void run_ctx_close(run_ctx *ctx)
{
    cli_signals_on_stop(NULL, NULL);
    osim_mc_free(ctx->mc);
    osim_series_free(ctx->series);
}

/* The timing line on stderr: never in the outputs, so they stay reproducible.
 * incident: the catalogue's incident it times, or NULL. */
static void print_timing(const run_ctx *ctx, const osim_mc_result *res, unsigned threads, int ranks,
                         const char *incident)
{
    char where[48] = "";

    double el = cli_progress_elapsed_s(&ctx->prog);
    uint64_t n = res->to - res->from;
    double tr = (double)n * (double)res->topologies_count;
    char rate[OSIM_MONEY_BUF];

    if (ranks > 1)
        snprintf(where, sizeof(where), "%d MPI ranks x ", ranks);

    fprintf(stderr,
            "outagesim: %s%s%llu replications x %zu topologies in %.2f s (%s "
            "topology-replications/s, %s%u threads)\n",
            incident ? incident : "", incident ? ": " : "", (unsigned long long)n,
            res->topologies_count, el, osim_format_krw(rate, sizeof(rate), el > 0 ? tr / el : 0.0),
            where, threads);
}

/* Whether replications.csv is written: up to ROWS_CSV_MAX replications,
 * or when asked. */
static bool rows_csv(const run_args *a, const osim_mc_result *res)
{
    return a->rows_csv || res->to - res->from <= ROWS_CSV_MAX;
}

/* --out: results, series and (--plots) figures staged in one folder and
 * swapped in whole (publish.h). */
static int write_out(const run_args *a, const osim_mc_result *res, const osim_series *series,
                     const osim_scenario *sc)
{
    cli_publish pub;
    cli_report_opts ro;
    osim_diag d;
    char *json = NULL;
    int rc, code;

    osim_diag_clear(&d);
    if ((code = cli_publish_begin(&pub, a->mc.out, a->mc.no_wait ? CLI_PUBLISH_NO_WAIT : 0)) !=
        CLI_OK)
        goto done;
    if ((rc = rows_csv(a, res) ? osim_report_write_dir(res, pub.stage, &d)
                               : osim_report_write_dir_no_rows(res, pub.stage, &d)) != 0 ||
        (rc = osim_series_write(series, pub.stage, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if (a->plots && (code = cli_plot_draw(pub.stage, a->mc.out, res, series, OSIM_PLOT_PNG,
                                          a->mc.quiet)) != CLI_OK)
        goto done;
    if (a->report) {
        memset(&ro, 0, sizeof(ro));
        ro.quiet = a->mc.quiet;
        if ((json = osim_path_join(pub.stage, OSIM_REPORT_RESULTS_JSON)) == NULL) {
            code = CLI_FAIL;
            goto done;
        }
        if ((code = cli_report_write(pub.stage, a->mc.out, res, series, json, sc, NULL, &ro)) !=
            CLI_OK)
            goto done;
    }
    code = cli_publish_commit(&pub);
    if (code == CLI_OK && !rows_csv(a, res))
        fprintf(stderr,
                "outagesim: %s holds no replications.csv (more than %u replications; "
                "--replications-csv writes it, for merge and plot)\n",
                a->mc.out, ROWS_CSV_MAX);
done:
    free(json);
    cli_publish_end(&pub);
    return code;
}

/* ------------------------------------------------------------ catalogues */

/*
 * --precision decides where a run ends from one metric's interval; a
 * catalogue runs its incidents one after the other, each to the same
 * range (common random numbers), so it has no one place to decide.
 * Refused, with the way that works. (--from/--to and MPI ranks work:
 * each incident's event table is split or spread like any run, and the
 * year loss table is built once every incident is whole, by `merge` or
 * on rank 0.)
 */
static int catalogue_refusals(const run_args *a)
{
    if (a->prec_metric != NULL)
        return cli_usage("run", "--precision cannot be combined with incidents: (a catalogue): "
                                "give --replications");
    return CLI_OK;
}

/*
 * Incident k of the catalogue, run against every selected design: its
 * result (its event loss table) in *out, and with `series` the course of
 * the outage in *series (ownership passes). Under MPI (where->ranks > 1)
 * every rank runs its share of the replications and rank 0 gathers them:
 * only rank 0 gets a result; the others get NULL. Returns an exit code
 * (printed).
 */
static int run_incident(const run_args *a, const osim_scenario *view, const size_t *topo,
                        const char *name, bool series, const run_ctx *where, osim_mc_result **out,
                        osim_series **series_out)
{
    run_ctx ctx;
    osim_diag d;
    char label[160];
    int st, code;

    memset(&ctx, 0, sizeof(ctx));
    ctx.rank = where->rank;
    ctx.ranks = where->ranks;
    osim_diag_clear(&d);
    snprintf(label, sizeof(label), "replications of %s", name);
    if ((code = start_mc(&ctx, view, a, topo, label, series)) != CLI_OK)
        goto done;
    if (osim_mc_spills(ctx.mc)) {
        code = cli_usage("run",
                         "a catalogue needs the rows of every incident in memory, and this run "
                         "keeps its rows on disk (more than --rows-memory %llu MB): raise "
                         "--rows-memory, or give fewer replications",
                         (unsigned long long)a->rows_memory_mb);
        goto done;
    }
    st = osim_mc_run(ctx.mc, &d);
    cli_progress_end(&ctx.prog);
    if (st == OSIM_ESTOPPED) {
        fprintf(stderr, "outagesim: a catalogue run that is interrupted writes nothing (its "
                        "year loss table needs every incident whole)\n");
        code = cli_exit_code(st);
        goto done;
    }
    if (st != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(st);
        goto done;
    }
    /* Other MPI ranks have sent their rows to rank 0, which summarises. */
    if (ctx.rank != 0)
        goto done;
    *out = osim_mc_take_result(ctx.mc);
    if (!a->mc.quiet)
        print_timing(&ctx, *out, a->mc.threads, ctx.ranks, name);
    if (series_out != NULL) {
        *series_out = ctx.series;
        ctx.series = NULL;
    }
done:
    run_ctx_close(&ctx);
    return code;
}

/* Each incident's event loss table into stage/incidents/NAME/ (results.json,
 * summary.csv, replications.csv): the per-replication metrics of each. */
static int write_event_tables(const run_args *a, const osim_scenario *sc, osim_mc_result **ev,
                              const char *stage)
{
    osim_diag d;
    size_t k;
    int rc;

    osim_diag_clear(&d);
    for (k = 0; k < sc->incidents_count; k++) {
        char *base = osim_path_join(stage, "incidents");
        char *dir = base != NULL ? osim_path_join(base, sc->incidents[k].name) : NULL;
        free(base);
        if (dir == NULL)
            return CLI_FAIL;
        rc = rows_csv(a, ev[k]) ? osim_report_write_dir(ev[k], dir, &d)
                                : osim_report_write_dir_no_rows(ev[k], dir, &d);
        free(dir);
        if (rc != 0) {
            cli_print_diag(&d);
            return cli_exit_code(rc);
        }
    }
    return CLI_OK;
}

/*
 * --out of a catalogue: the event tables, then the catalogue's document
 * (the first incident's result with the catalogue's economics and risk),
 * its series and figures, staged and swapped in whole (publish.h).
 */
static int write_out_catalogue(const run_args *a, const osim_scenario *sc, osim_mc_result **ev,
                               const osim_catalogue_result *c, const osim_series *series)
{
    cli_publish pub;
    cli_report_opts ro;
    osim_diag d;
    char *json = NULL;
    int rc, code;

    osim_diag_clear(&d);
    if ((code = cli_publish_begin(&pub, a->mc.out, a->mc.no_wait ? CLI_PUBLISH_NO_WAIT : 0)) !=
        CLI_OK)
        goto done;
    if ((code = write_event_tables(a, sc, ev, pub.stage)) != CLI_OK)
        goto done;
    if (osim_catalogue_apply(c, ev, sc->incidents_count, ev[0]) != 0) {
        code = CLI_FAIL;
        goto done;
    }
    if ((rc = rows_csv(a, ev[0]) ? osim_report_write_dir(ev[0], pub.stage, &d)
                                 : osim_report_write_dir_no_rows(ev[0], pub.stage, &d)) != 0 ||
        (rc = osim_series_write(series, pub.stage, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if (a->plots && (code = cli_plot_draw(pub.stage, a->mc.out, ev[0], series, OSIM_PLOT_PNG,
                                          a->mc.quiet)) != CLI_OK)
        goto done;
    if (a->report) {
        memset(&ro, 0, sizeof(ro));
        ro.quiet = a->mc.quiet;
        if ((json = osim_path_join(pub.stage, OSIM_REPORT_RESULTS_JSON)) == NULL) {
            code = CLI_FAIL;
            goto done;
        }
        if ((code = cli_report_write(pub.stage, a->mc.out, ev[0], series, json, sc, NULL, &ro)) !=
            CLI_OK)
            goto done;
    }
    code = cli_publish_commit(&pub);
done:
    free(json);
    cli_publish_end(&pub);
    return code;
}

/*
 * `run` of a scenario with a catalogue (incidents:): every incident
 * against every design, one after the other, with the same seed and
 * replications (common random numbers: docs/model.md), then the year loss
 * table and the risk of each design (catalogue.h). Writes its outputs
 * itself; returns an exit code (printed).
 */
static int run_catalogue(run_args *a, const osim_scenario *sc, const size_t *topo,
                         const run_ctx *where)
{
    size_t K = sc->incidents_count, k;
    osim_scenario *views = NULL;
    osim_mc_result **ev = NULL;
    osim_catalogue_result *c = NULL;
    osim_series *series = NULL;
    osim_diag d;
    int code, rc;

    osim_diag_clear(&d);
    if ((code = catalogue_refusals(a)) != CLI_OK)
        return code;
    views = calloc(K, sizeof(*views));
    ev = calloc(K, sizeof(*ev));
    if (views == NULL || ev == NULL) {
        code = CLI_FAIL;
        goto done;
    }
    for (k = 0; k < K; k++) {
        if (osim_scenario_incident_view(sc, k, &views[k]) != 0) {
            code = CLI_FAIL;
            goto done;
        }
        if ((code = run_incident(a, &views[k], topo, sc->incidents[k].name, k == 0, where, &ev[k],
                                 k == 0 ? &series : NULL)) != CLI_OK)
            goto done;
    }
    if (where->rank != 0) /* rank 0 holds every incident's rows and writes */
        goto done;
    if ((rc = osim_catalogue_summarise(sc, ev, K, a->mc.seed, (size_t)a->risk_years, &c, &d)) !=
        0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if (a->mc.out != NULL) {
        if ((code = write_out_catalogue(a, sc, ev, c, series)) != CLI_OK)
            goto done;
    } else if (osim_catalogue_apply(c, ev, K, ev[0]) != 0) {
        code = CLI_FAIL;
        goto done;
    }
    if ((rc = osim_report_write(ev[0], a->format, stdout, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    code = CLI_OK;
done:
    for (k = 0; ev != NULL && k < K; k++)
        osim_mc_result_free(ev[k]);
    free(ev);
    free(views);
    osim_catalogue_free(c);
    osim_series_free(series);
    return code;
}

/*
 * --incident NAME: *view becomes incident NAME of catalogue sc alone (a
 * single-incident scenario at its own frequency, borrowing from sc), and
 * *use points to it. Without --incident, *use is sc. Returns an exit code.
 */
static int pick_incident(const run_args *a, const osim_scenario *sc, osim_scenario *view,
                         const osim_scenario **use)
{
    size_t k;

    *use = sc;
    if (a->incident == NULL)
        return CLI_OK;
    if (sc->incidents_count == 0)
        return cli_usage("run", "--incident %s: %s holds no catalogue (incidents:)", a->incident,
                         a->mc.scenario);
    for (k = 0; k < sc->incidents_count; k++)
        if (strcmp(sc->incidents[k].name, a->incident) == 0)
            break;
    if (k == sc->incidents_count)
        return cli_usage("run", "--incident %s: no such incident in %s (its first is '%s')",
                         a->incident, a->mc.scenario, sc->incidents[0].name);
    if (osim_scenario_incident_view(sc, k, view) != 0)
        return CLI_FAIL;
    *use = view;
    return CLI_OK;
}

static int run_main(int argc, char **argv)
{
    run_args a;
    osim_scenario *loaded = NULL, view;
    const osim_scenario *sc = NULL;
    osim_mc_result *res = NULL;
    osim_diag d;
    run_ctx ctx;
    size_t *topo = NULL;
    int rc, st, code;

    memset(&ctx, 0, sizeof(ctx));
    osim__procs_where(&ctx.rank, &ctx.ranks);
    osim_diag_clear(&d);
    if ((code = parse_args(argc, argv, &a)) != 0 || (code = choose_threads(&a)) != 0 ||
        (code = cli_load_scenario(a.mc.scenario, &a.mc.ov, &loaded)) != 0 ||
        (code = pick_incident(&a, loaded, &view, &sc)) != 0 ||
        (code = resolve_topologies(sc, &a, &topo)) != 0 ||
        (code = sc->incidents_count > 0
                    ? run_catalogue(&a, sc, topo, &ctx)
                    : start_mc(&ctx, sc, &a, topo, "replications", true)) != 0 ||
        sc->incidents_count > 0)
        goto done;
    st = osim_mc_run(ctx.mc, &d);
    cli_progress_end(&ctx.prog);
    if (st != 0 && st != OSIM_ESTOPPED) {
        cli_print_diag(&d);
        code = cli_exit_code(st);
        goto done;
    }
    /* Other MPI ranks have sent their rows to rank 0, which writes. */
    if (ctx.rank != 0) {
        code = cli_exit_code(st == OSIM_ESTOPPED ? 0 : st);
        goto done;
    }
    /* Interrupted (ESTOPPED): the completed prefix is written, then exit 128 + signal. */
    res = osim_mc_take_result(ctx.mc);
    if (!a.mc.quiet)
        print_timing(&ctx, res, a.mc.threads, ctx.ranks, NULL);
    if (a.mc.out != NULL && (code = write_out(&a, res, ctx.series, sc)) != 0)
        goto done;
    if ((rc = osim_report_write(res, a.format, stdout, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    code = cli_exit_code(st);
done:
    run_ctx_close(&ctx);
    osim_mc_result_free(res);
    osim_scenario_free(loaded);
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
