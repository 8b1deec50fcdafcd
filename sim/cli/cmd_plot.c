/*
 * cmd_plot.c -- `outagesim plot RESULTS_DIR [--format png|svg|pdf]`: draw
 * the figures of a run's results folder; also what `run --plots` calls.
 *
 * The folder's results.json and replications.csv give the per-replication
 * figures; its series.json (and series-*.dat) the course of the outage
 * over time. Both are read back exactly as the run wrote them, so drawing
 * later, or drawing a merged run, gives the figures the run would have.
 * Everything goes into RESULTS_DIR/plots: data files, vars.gp, copies of
 * the scripts, and the images.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/plot_cli.h"
#include "cli/publish.h"
#include "outagesim/figures.h"
#include "outagesim/report.h"

static void help(void)
{
    printf("usage: outagesim plot RESULTS_DIR [--format png|svg|pdf] [--quiet] [--no-wait]\n"
           "\n"
           "Draw the seven figures of a run (eight for a catalogue) from its results folder\n"
           "(the --out of `outagesim run`, or of `outagesim merge`) with gnuplot:\n"
           "  timeline        per topology, each service's probability of being down\n"
           "                  over time (hours since ignition and local date)\n"
           "  affected-users  distinct users affected over time: median and 5-95%% band\n"
           "  recovery-cdf    distribution of the time until every service is back\n"
           "  business-loss   loss per affected small business (whole units) with the edges\n"
           "                  of the loss brackets, and total small-business loss\n"
           "  compensation    cost of each compensation policy: median, 90%% interval\n"
           "  designs         downtime, user-hours lost, expected annual loss and annual\n"
           "                  cost of each design\n"
           "  systems_back    share of all systems back vs days since ignition: per design\n"
           "                  the mean and 5-95%% band\n"
           "and, for a catalogue of incidents (results.json with a risk block):\n"
           "  exceedance      each design's loss of a year against its return period\n"
           "                  (log-log), the losses at 10 to 1,000 years marked; the\n"
           "                  catalogue's economics and risk are rebuilt from incidents/NAME/\n"
           "Each names the scenario, topologies, seed and replications in its subtitle.\n"
           "\n"
           "Files, all in RESULTS_DIR/plots:\n"
           "  FIGURE.png        each figure above (FIGURE.svg or .pdf with --format)\n"
           "  FIGURE.gp         a copy of its script\n"
           "  common.gp         what the scripts share\n"
           "  vars.gp           names and labels of the run, as inert gnuplot literals\n"
           "  timeline.dat, affected-users.dat, recovery-cdf.dat, loss-per-business.dat,\n"
           "  revenue-loss.dat, compensation.dat, designs.dat, systems_back.dat\n"
           "                    (and for a catalogue exceedance.dat, exceedance-rp.dat)\n"
           "                    the figures' data: numbers, columns named in a comment\n"
           "\n"
           "So a figure can be edited and redrawn by hand:\n"
           "  cd RESULTS_DIR/plots && gnuplot timeline.gp            (PNG)\n"
           "  cd RESULTS_DIR/plots && gnuplot -e \"fmt='svg'\" timeline.gp\n"
           "RESULTS_DIR is rewritten whole: its files are linked into a hidden folder beside\n"
           "it, the figures drawn there, and the folder swapped in with one rename; a run\n"
           "writing RESULTS_DIR meanwhile waits for the plot (or the plot for it).\n"
           "\n"
           "Options:\n"
           "  --format png|svg|pdf  image format (default png: 1200 px wide, pngcairo)\n"
           "  --quiet               print nothing but errors\n"
           "  --no-wait             if another outagesim is writing RESULTS_DIR, fail (exit 1)\n"
           "                        rather than wait for it (up to 10 minutes)\n"
           "\n"
           "Environment:\n"
           "  OUTAGESIM_GNUPLOT  the gnuplot program (default: gnuplot on PATH)\n"
           "  OUTAGESIM_PLOTS    the folder of the scripts (default: plots/ of the source\n"
           "                     tree, found from the program's location or the current folder)\n"
           "\n"
           "Without gnuplot (Debian: apt-get install gnuplot-nox) the data and scripts are\n"
           "still written and the command succeeds; a one-line message says how to draw\n"
           "them later. If gnuplot fails, its message is shown and the exit code is 1.\n"
           "SIGINT (Ctrl-C), SIGTERM or SIGHUP: gnuplot is stopped, no new figure is kept,\n"
           "and the exit code is 128 + the signal (130, 143, 129).\n"
           "Exit codes: 0 done, 1 failure, 2 bad usage or unreadable results.\n"
           "\n"
           "Example:\n"
           "  outagesim run scenarios/kakao-pangyo-2022.yaml --out results\n"
           "  outagesim plot results --format svg\n");
}

/* dir/rel if it holds the scripts (common.gp), copied into buf. */
static bool has_common(const char *dir, const char *rel, char *buf, size_t n)
{
    char probe[4200];
    struct stat st;

    snprintf(buf, n, "%s%s%s", dir, *dir && *rel ? "/" : "", rel);
    snprintf(probe, sizeof(probe), "%s/common.gp", buf);
    return stat(probe, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The plot scripts, looked for in order: $OUTAGESIM_PLOTS (an error if it
 * holds none); beside an installed program, <exe dir>/../share/outagesim/plots
 * (make install), so an installed outagesim needs no environment; then the
 * source tree's plots/ from a program in build/ or build/asan/, or beside it;
 * last, plots/ of the current folder. The program's location comes from
 * uv_exepath (/proc/self/exe on Linux), so symbolic links to it and a PATH
 * look-up do not matter.
 */
int cli_plot_scripts_dir(char *buf, size_t n)
{
    const char *env = getenv("OUTAGESIM_PLOTS");
    char exe[4096];
    size_t len = sizeof(exe);

    if (env != NULL && *env != '\0') {
        if (has_common(env, "", buf, n))
            return 0;
        cli_errorf("OUTAGESIM_PLOTS='%s' holds no common.gp", env);
        return -1;
    }
    if (uv_exepath(exe, &len) == 0) {
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            if (has_common(exe, "../share/outagesim/plots", buf, n) ||
                has_common(exe, "../plots", buf, n) || has_common(exe, "../../plots", buf, n) ||
                has_common(exe, "plots", buf, n))
                return 0;
        }
    }
    if (has_common("plots", "", buf, n))
        return 0;
    cli_errorf("cannot find the plot scripts (plots/common.gp); set OUTAGESIM_PLOTS to their "
               "folder");
    return -1;
}

/* s in single quotes for a POSIX shell ('\'' for a quote). */
static void print_shell_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s != '\0'; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

int cli_plot_same_run(const char *dir, const osim_mc_result *r, const osim_series *s)
{
    const char *version, *sha256;
    uint64_t seed, from = 0, to = 0;

    osim_series_identity(s, &version, &sha256, &seed);
    if (osim_series_range(s, &from, &to) && strcmp(version, r->version) == 0 &&
        strcmp(sha256, r->sha256) == 0 && seed == r->seed && from == r->from && to == r->to)
        return CLI_OK;
    cli_errorf("%s: series.json and results.json are not from one run (seed %llu and %llu, "
               "replications from %llu and %llu): the folder mixes two runs",
               dir, (unsigned long long)seed, (unsigned long long)r->seed, (unsigned long long)from,
               (unsigned long long)r->from);
    return CLI_FAIL;
}

int cli_plot_render(const char *plot_dir, const char *shown, const char *const *figures, size_t n,
                    osim_plot_format fmt, bool quiet)
{
    osim_plot_options po;
    osim_plot_outcome oc;
    osim_diag d;
    size_t i;
    int rc, sig, code = CLI_FAIL;

    osim_diag_clear(&d);
    memset(&oc, 0, sizeof(oc));
    memset(&po, 0, sizeof(po));
    po.gnuplot = getenv("OUTAGESIM_GNUPLOT");
    if (po.gnuplot != NULL && *po.gnuplot == '\0')
        po.gnuplot = NULL;
    po.format = fmt;
    po.stop = cli_signals_stop_hook; /* a stop signal kills gnuplot (signals.c) */
    rc = osim_plot_render_figures(plot_dir, figures, n, &po, &oc, &d);
    /* Ctrl-C reaches gnuplot too (one process group): a gnuplot killed by
     * it is the interruption, not a gnuplot failure. */
    if ((sig = cli_signals_caught()) != 0) {
        cli_errorf("interrupted (%s) while drawing the figures in %s", cli_signal_name(sig), shown);
        code = cli_interrupted_code();
        goto done;
    }
    if (rc == OSIM_ESTOPPED) {
        code = cli_exit_code(rc);
        goto done;
    }
    if (oc.gnuplot_missing) {
        /* One line: what happened and the exact command for later. */
        fprintf(stderr,
                "outagesim: %s (Debian: apt-get install gnuplot-nox); the figures' data "
                "and scripts are in %s -- draw them later with: cd ",
                d.msg, shown);
        print_shell_quoted(stderr, shown);
        fputs(" && for f in", stderr);
        for (i = 0; i < n; i++)
            fprintf(stderr, " %s", figures[i]);
        fputs("; do gnuplot \"$f.gp\"; done\n", stderr);
        code = CLI_OK;
        goto done;
    }
    if (oc.gnuplot_stderr != NULL && (rc != 0 || !quiet))
        fprintf(stderr, "%s%s", rc != 0 ? "gnuplot said:\n" : "gnuplot warnings:\n",
                oc.gnuplot_stderr);
    if (rc != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        /* A gnuplot stopped by Ctrl-C (the terminal signals the whole process
         * group) or by a scheduler's SIGTERM/SIGHUP: the plot was interrupted,
         * exit 128+signal as the shell reports it, not a failure of gnuplot. */
        if (oc.killed_by == SIGINT || oc.killed_by == SIGTERM || oc.killed_by == SIGHUP)
            code = 128 + oc.killed_by;
        goto done;
    }
    if (!quiet) {
        fprintf(stderr, "outagesim: drew %zu figure%s in %s:", oc.rendered,
                oc.rendered == 1 ? "" : "s", shown);
        for (i = 0; i < n; i++)
            fprintf(stderr, " %s.%s", figures[i], osim_plot_format_name(fmt));
        fputc('\n', stderr);
    }
    code = CLI_OK;
done:
    osim_plot_outcome_free(&oc);
    return code;
}

int cli_plot_draw(const char *dir, const char *shown, const osim_mc_result *r, const osim_series *s,
                  osim_plot_format fmt, bool quiet)
{
    char scripts[4096];
    size_t pn = strlen(dir) + sizeof("/plots"), sn = strlen(shown) + sizeof("/plots"), i;
    char *plot_dir = malloc(pn), *shown_dir = malloc(sn);
    const char *names[OSIM_FIGURES_COUNT + 1];
    osim_diag d;
    int rc, sig, code = CLI_FAIL;

    osim_diag_clear(&d);
    if (plot_dir == NULL || shown_dir == NULL) {
        free(plot_dir);
        free(shown_dir);
        cli_errorf("out of memory");
        return CLI_FAIL;
    }
    snprintf(plot_dir, pn, "%s/plots", dir);
    snprintf(shown_dir, sn, "%s/plots", shown);
    /* A stop signal (signals.c) before drawing: draw nothing; while
     * drawing, the stop hook kills gnuplot and nothing drawn is kept. */
    if ((sig = cli_signals_caught()) != 0) {
        cli_errorf("interrupted (%s): the figures were not drawn (draw them later with "
                   "`outagesim plot %s`)",
                   cli_signal_name(sig), shown);
        code = cli_interrupted_code();
        goto done;
    }
    if (cli_plot_scripts_dir(scripts, sizeof(scripts)) != 0)
        goto done;
    if ((rc = osim_figures_prepare(r, s, scripts, plot_dir, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    i = osim_figures_of(r, names, OSIM_FIGURES_COUNT + 1);
    code = cli_plot_render(plot_dir, shown_dir, names, i, fmt, quiet);
done:
    free(plot_dir);
    free(shown_dir);
    return code;
}

enum { OPT_FORMAT = CLI_OPT_KEY0, OPT_QUIET, OPT_NO_WAIT };

static const struct option plot_options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"no-wait", no_argument, NULL, OPT_NO_WAIT},
    {NULL, 0, NULL, 0},
};

static int parse_args(int argc, char **argv, const char **dir, osim_plot_format *fmt, bool *quiet,
                      bool *no_wait)
{
    cli_opts p;
    char *val;
    int key;

    cli_opts_init(&p, "plot", argc, argv, plot_options);
    while ((key = cli_opts_next(&p, &val)) != CLI_OPTS_END) {
        switch (key) {
        case CLI_OPTS_ERROR: return CLI_USAGE;
        case CLI_OPTS_ARG:
            if (*dir != NULL)
                return cli_usage("plot", "one results folder only ('%s' and '%s')", *dir, val);
            *dir = val;
            break;
        case OPT_FORMAT:
            if (osim_plot_format_parse(val, fmt) != 0)
                return cli_usage("plot", "--format: '%s' is not one of png, svg, pdf", val);
            break;
        case OPT_QUIET: *quiet = true; break;
        case OPT_NO_WAIT: *no_wait = true; break;
        default: return cli_opt_unhandled("plot", key);
        }
    }
    if (*dir == NULL)
        return cli_usage("plot", "which results folder? (usage: outagesim plot RESULTS_DIR)");
    return 0;
}

/*
 * Under the lock of DIR (publish.h): read the run, stage DIR's files (hard
 * links) with new figures, swap. Old figures never sit beside new data,
 * and a run writing DIR meanwhile waits for the plot, or the plot for it.
 */
static int plot_main(int argc, char **argv)
{
    const char *dir = NULL;
    osim_plot_format fmt = OSIM_PLOT_PNG;
    osim_mc_result *r = NULL;
    osim_series *s = NULL;
    cli_publish pub;
    bool quiet = false, no_wait = false;
    osim_diag d;
    int rc, code, lk;

    osim_diag_clear(&d);
    memset(&pub, 0, sizeof(pub));
    pub.lock_fd = -1;
    if ((code = parse_args(argc, argv, &dir, &fmt, &quiet, &no_wait)) != 0)
        return code;
    /* Fail early, before making a lock file, on a folder that is no run at
     * all (read under a shared lock: a writer may be swapping it). */
    lk = cli_publish_share(dir);
    rc = osim_report_load_dir(dir, &r, &d);
    cli_publish_unshare(lk);
    if (rc != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    osim_mc_result_free(r);
    r = NULL;
    if ((code = cli_publish_begin(
             &pub, dir, CLI_PUBLISH_KEEP | (no_wait ? CLI_PUBLISH_NO_WAIT : 0))) != CLI_OK)
        goto done;
    /* Read again under the lock: what is drawn is what is published. */
    if ((rc = osim_report_load_dir(dir, &r, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    osim_diag_clear(&d);
    rc = osim_series_read(dir, &s, &d);
    if (rc == OSIM_ENOENT) {
        if (!quiet)
            cli_errorf("note: %s has no series.json (a run of an older version?): the timeline "
                       "and affected-users figures will be empty",
                       dir);
        s = NULL;
    } else if (rc != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if ((s != NULL && (code = cli_plot_same_run(dir, r, s)) != CLI_OK) ||
        (code = cli_plot_draw(pub.stage, dir, r, s, fmt, quiet)) != CLI_OK)
        goto done;
    code = cli_publish_commit(&pub);
done:
    cli_publish_end(&pub);
    osim_series_free(s);
    osim_mc_result_free(r);
    return code;
}

const cli_command cli_cmd_plot = {
    "plot",
    "draw the figures of a results folder with gnuplot (PNG, SVG or PDF)",
    plot_main,
    help,
};
