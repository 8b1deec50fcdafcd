/*
 * cmd_report.c -- `outagesim report RESULTS_DIR [--out DIR]`: the
 * liability report for counsel (report.html, report.pdf, report.md) from a
 * run's results folder; also what `run --report` calls.
 *
 * The result is read back exactly as the run wrote it; the scenario (for
 * the plain-words descriptions and its sources) is reloaded from the file
 * results.json names, with the run's overrides, and used only if its
 * sha256 is the run's. The files are staged and published as one folder
 * (publish.h): OUT holds the old report or the new one, and a report.pdf
 * there was always printed from the report.html beside it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/mc_args.h"
#include "cli/opts.h"
#include "cli/plot_cli.h"
#include "cli/publish.h"
#include "cli/report_cli.h"
#include "outagesim/atomic_file.h"
#include "outagesim/brief.h"
#include "outagesim/compensation.h"
#include "outagesim/figures.h"
#include "outagesim/report.h"

static void help(void)
{
    printf("usage: outagesim report RESULTS_DIR [--out DIR] [--scenario FILE] [--date TEXT]\n"
           "                        [--no-pdf] [--quiet] [--no-wait]\n"
           "\n"
           "Write the liability report of a run for counsel, from its results folder (the\n"
           "--out of `outagesim run` or `outagesim merge`):\n"
           "  report.html   self-contained (inline styles and SVG figures, no script, nothing\n"
           "                loaded from the network); prints on A4 from any browser\n"
           "  report.pdf    report.html printed by headless Chromium (A4)\n"
           "  report.md     the same text and tables in GitHub Markdown, for a memo\n"
           "  plots/*.svg   the figures it embeds, with their data and scripts\n"
           "\n"
           "In the order a lawyer reads:\n"
           "  1. the question and the short answer\n"
           "  2. the incident and each design in plain words, and what happened in the replays\n"
           "  3. liability per regime and design: the full legal basis, claimants, the nominal\n"
           "     value beside the expected cost, the median and the 5-95%% range, and what\n"
           "     drives the range (the claimant class with the widest 5-95%% range)\n"
           "  4. claimant classes and brackets: how many in each and what each is paid\n"
           "  5. design economics: expected annual loss, net benefit, break-even probability\n"
           "  6. sources and assumptions (those results.json records; else the scenario's)\n"
           "  7. limitations: where the model and reality differ\n"
           "  8. reproducibility: version, seed, replications, scenario sha256, the command\n"
           "Every figure is the one in results.json, with thousands separators; money in the\n"
           "run's currency (results.json \"currency\"): whole units with its symbol\n"
           "(557,700,000,000원, €1,234) and, in ranges, its table units (억원 = 100,000,000\n"
           "won; €m). A policy converted from another currency is shown with its rate, as an\n"
           "assumption.\n"
           "\n"
           "Options:\n"
           "  --out DIR        write the report into DIR (default RESULTS_DIR); DIR is\n"
           "                   published whole, as `outagesim plot` does (its other files kept)\n"
           "  --scenario FILE  the scenario of the run, when the path in results.json does not\n"
           "                   lead to it from here; it must be the file the run used (same\n"
           "                   sha256 with the run's --set overrides), else exit 2. Without it\n"
           "                   and without the file, the report names the designs but cannot\n"
           "                   describe them, and says so.\n"
           "  --date TEXT      a date printed under the title (default none: the same results\n"
           "                   give the same report.html and report.md, byte for byte)\n"
           "  --no-pdf         do not print report.pdf (an older one is removed)\n"
           "  --quiet          print nothing but errors\n"
           "  --no-wait        if another outagesim is writing DIR, fail (exit 1) rather than\n"
           "                   wait for it (up to 10 minutes)\n"
           "\n"
           "Printing: report.pdf needs Chromium (Debian: apt-get install chromium). Without it,\n"
           "report.html and report.md are written, a message says the PDF was skipped and why,\n"
           "and the exit code is 0; print report.html from a browser (A4, no headers) instead.\n"
           "Figures need gnuplot; without it the report has none and says so.\n"
           "\n"
           "Environment:\n"
           "  OUTAGESIM_CHROMIUM  the Chromium program (default: chromium on PATH)\n"
           "  OUTAGESIM_GNUPLOT, OUTAGESIM_PLOTS  as for `outagesim plot`\n"
           "\n"
           "Exit codes: 0 done (also when the PDF was skipped for want of Chromium), 1 failure\n"
           "(Chromium or gnuplot failed: nothing is published), 2 bad usage, unreadable results\n"
           "or a --scenario that is not the run's, 130/143/129 interrupted.\n"
           "\n"
           "Examples:\n"
           "  outagesim run scenarios/kakao-pangyo-2022.yaml --out results --report\n"
           "  outagesim report results --out memo --date '4 December 2026'\n");
}

/* Remove stage/name if there (an older file that the new report replaces). */
static void drop(const char *stage, const char *name)
{
    char *p = osim_path_join(stage, name);

    if (p != NULL)
        unlink(p);
    free(p);
}

/* "plots/<figure>.svg" of the stage, removed before drawing: with --out
 * another folder, or without gnuplot, no older figure may be embedded. */
static void drop_svgs(const char *stage)
{
    char name[96];
    size_t i;

    for (i = 0; i <= OSIM_FIGURES_COUNT; i++) {
        snprintf(name, sizeof(name), "plots/%s.svg",
                 i < OSIM_FIGURES_COUNT ? osim_figures_name(i) : OSIM_FIGURES_EXCEEDANCE);
        drop(stage, name);
    }
}

static bool has_file(const char *dir, const char *name)
{
    char *p = osim_path_join(dir, name);
    struct stat sb;
    bool found = p != NULL && stat(p, &sb) == 0;

    free(p);
    return found;
}

static bool any_svg(const char *dir)
{
    char name[96], *p;
    struct stat sb;
    size_t i;
    bool found = false;

    for (i = 0; i < OSIM_FIGURES_COUNT && !found; i++) {
        snprintf(name, sizeof(name), "%s.svg", osim_figures_name(i));
        if ((p = osim_path_join(dir, name)) != NULL)
            found = stat(p, &sb) == 0;
        free(p);
    }
    return found;
}

static int print_pdf(const char *stage, const char *shown)
{
    osim_brief_pdf_options po;
    osim_brief_pdf_outcome oc;
    osim_diag d;
    int rc, sig, code;

    memset(&po, 0, sizeof(po));
    osim_diag_clear(&d);
    po.chromium = getenv("OUTAGESIM_CHROMIUM");
    if (po.chromium != NULL && *po.chromium == '\0')
        po.chromium = NULL;
    po.stop = cli_signals_stop_hook;
    rc = osim_brief_print_pdf(stage, &po, &oc, &d);
    if ((sig = cli_signals_caught()) != 0) {
        cli_errorf("interrupted (%s) while printing %s/%s", cli_signal_name(sig), shown,
                   OSIM_BRIEF_PDF);
        code = cli_interrupted_code();
    } else if (oc.chromium_missing) {
        fprintf(stderr,
                "outagesim: report.pdf skipped: %s (Debian: apt-get install chromium); "
                "report.html and report.md are written -- print report.html from a browser "
                "(A4), or install Chromium and run `outagesim report` again\n",
                d.msg);
        code = CLI_OK;
    } else if (rc != 0) {
        if (oc.chromium_stderr != NULL)
            fprintf(stderr, "Chromium said:\n%s%s", oc.chromium_stderr,
                    oc.chromium_stderr[strlen(oc.chromium_stderr) - 1] == '\n' ? "" : "\n");
        cli_print_diag(&d);
        code = cli_exit_code(rc);
    } else
        code = CLI_OK;
    osim_brief_pdf_outcome_free(&oc);
    return code;
}

int cli_report_write(const char *stage, const char *shown, const osim_mc_result *r,
                     const osim_series *s, const char *results_json, const osim_scenario *sc,
                     const char *scenario_note, const cli_report_opts *o)
{
    osim_brief_input in;
    osim_brief *b = NULL;
    osim_diag d;
    char *svg_dir = osim_path_join(stage, "plots");
    int rc, code;

    osim_diag_clear(&d);
    memset(&in, 0, sizeof(in));
    if (svg_dir == NULL) {
        cli_errorf("out of memory");
        return CLI_FAIL;
    }
    drop_svgs(stage);
    if ((code = cli_plot_draw(stage, shown, r, s, OSIM_PLOT_SVG, true)) != CLI_OK)
        goto done;
    in.result = r;
    in.results_json = results_json;
    in.scenario = sc;
    in.scenario_note = scenario_note;
    in.date = o->date;
    in.svg_dir = svg_dir;
    if (!any_svg(svg_dir))
        in.figures_note = "none drawn (gnuplot was not available): `outagesim plot DIR --format "
                          "svg` draws them";
    if ((rc = osim_brief_new(&in, &b, &d)) != 0 || (rc = osim_brief_write_dir(b, stage, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if (o->no_pdf) {
        drop(stage, OSIM_BRIEF_PDF);
    } else if ((code = print_pdf(stage, shown)) != CLI_OK)
        goto done;
    code = CLI_OK;
done:
    osim_brief_free(b);
    free(svg_dir);
    return code;
}

enum { OPT_OUT = CLI_OPT_KEY0, OPT_SCENARIO, OPT_DATE, OPT_NO_PDF, OPT_QUIET, OPT_NO_WAIT };

static const struct option report_options[] = {
    {"out", required_argument, NULL, OPT_OUT},
    {"scenario", required_argument, NULL, OPT_SCENARIO},
    {"date", required_argument, NULL, OPT_DATE},
    {"no-pdf", no_argument, NULL, OPT_NO_PDF},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"no-wait", no_argument, NULL, OPT_NO_WAIT},
    {NULL, 0, NULL, 0},
};

typedef struct report_args {
    const char *dir, *out, *scenario;
    bool no_wait;
    cli_report_opts o;
} report_args;

static int parse_args(int argc, char **argv, report_args *a)
{
    cli_opts p;
    char *val;
    int key;

    cli_opts_init(&p, "report", argc, argv, report_options);
    while ((key = cli_opts_next(&p, &val)) != CLI_OPTS_END) {
        switch (key) {
        case CLI_OPTS_ERROR: return CLI_USAGE;
        case CLI_OPTS_ARG:
            if (a->dir != NULL)
                return cli_usage("report", "one results folder only ('%s' and '%s')", a->dir, val);
            a->dir = val;
            break;
        case OPT_OUT: a->out = val; break;
        case OPT_SCENARIO: a->scenario = val; break;
        case OPT_DATE: a->o.date = val; break;
        case OPT_NO_PDF: a->o.no_pdf = true; break;
        case OPT_QUIET: a->o.quiet = true; break;
        case OPT_NO_WAIT: a->no_wait = true; break;
        default: return cli_opt_unhandled("report", key);
        }
    }
    if (a->dir == NULL)
        return cli_usage("report", "which results folder? (usage: outagesim report RESULTS_DIR)");
    if (a->out == NULL)
        a->out = a->dir;
    return cli_check_out_dir("report", a->out);
}

/*
 * The run's scenario: --scenario, else the file results.json names, loaded
 * with the run's overrides. Used only if its sha256 is the run's. Returns
 * an exit code: 2 when --scenario was given and is not the run's; without
 * --scenario a missing or changed file only leaves *sc NULL, *note saying
 * why.
 */
static int load_scenario(const report_args *a, const osim_mc_result *r, osim_scenario **sc,
                         char *note, size_t n)
{
    const char *path = a->scenario != NULL ? a->scenario : r->scenario_file;
    cli_overrides ov;
    osim_diag d;
    size_t i;
    int rc, code = CLI_OK;

    *sc = NULL;
    note[0] = '\0';
    osim_diag_clear(&d);
    cli_overrides_init(&ov);
    for (i = 0; i < r->overrides_count; i++)
        if (cli_overrides_add(&ov, r->overrides[i]) != 0) {
            snprintf(note, n, "the run's override '%s' cannot be read back", r->overrides[i]);
            goto done;
        }
    if ((rc = osim_comp_scenario_load(path, ov.v, ov.n, sc, &d)) != 0) {
        if (a->scenario != NULL) {
            cli_print_diag(&d);
            code = cli_exit_code(rc);
        }
        snprintf(note, n, "%s could not be loaded from here (%s)", path, osim_strerror(rc));
        goto done;
    }
    if (strcmp((*sc)->sha256, r->sha256) != 0) {
        snprintf(note, n, "%s is not the file the run used (its sha256 differs: it changed since)",
                 path);
        if (a->scenario != NULL) {
            cli_errorf("--scenario %s: %s", path, note);
            code = CLI_USAGE;
        }
        osim_scenario_free(*sc);
        *sc = NULL;
    }
done:
    cli_overrides_free(&ov);
    return code;
}

static int report_main(int argc, char **argv)
{
    report_args a;
    osim_mc_result *r = NULL;
    osim_series *s = NULL;
    osim_scenario *sc = NULL;
    cli_publish pub;
    char note[1024], *results_json = NULL;
    osim_diag d;
    bool has_pdf;
    int rc, code, lk;

    memset(&a, 0, sizeof(a));
    memset(&pub, 0, sizeof(pub));
    pub.lock_fd = -1;
    osim_diag_clear(&d);
    if ((code = parse_args(argc, argv, &a)) != 0)
        return code;
    /* Fail early on a folder that is no run (read under a shared lock). */
    lk = cli_publish_share(a.dir);
    rc = osim_report_load_dir(a.dir, &r, &d);
    cli_publish_unshare(lk);
    if (rc != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if ((code = load_scenario(&a, r, &sc, note, sizeof(note))) != CLI_OK)
        goto done;
    if (sc == NULL && !a.o.quiet)
        cli_errorf("note: the report will not describe the incident and designs: %s "
                   "(give the file with --scenario)",
                   note);
    osim_mc_result_free(r);
    r = NULL;
    if ((code = cli_publish_begin(
             &pub, a.out, CLI_PUBLISH_KEEP | (a.no_wait ? CLI_PUBLISH_NO_WAIT : 0))) != CLI_OK)
        goto done;
    /* Read again under the lock (when OUT is the results folder): what is
     * reported is what is published beside it. */
    if ((rc = osim_report_load_dir(a.dir, &r, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    osim_diag_clear(&d);
    rc = osim_series_read(a.dir, &s, &d);
    if (rc != 0 && rc != OSIM_ENOENT) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if ((s != NULL && (code = cli_plot_same_run(a.dir, r, s)) != CLI_OK))
        goto done;
    if ((results_json = osim_path_join(a.dir, OSIM_REPORT_RESULTS_JSON)) == NULL) {
        code = CLI_FAIL;
        goto done;
    }
    if ((code = cli_report_write(pub.stage, a.out, r, s, results_json, sc, note, &a.o)) != CLI_OK)
        goto done;
    has_pdf = has_file(pub.stage, OSIM_BRIEF_PDF);
    if ((code = cli_publish_commit(&pub)) == CLI_OK && !a.o.quiet)
        fprintf(stderr, "outagesim: wrote %s, %s%s in %s\n", OSIM_BRIEF_HTML, OSIM_BRIEF_MD,
                has_pdf ? " and " OSIM_BRIEF_PDF : " (no PDF)", a.out);
done:
    cli_publish_end(&pub);
    free(results_json);
    osim_series_free(s);
    osim_scenario_free(sc);
    osim_mc_result_free(r);
    return code;
}

const cli_command cli_cmd_report = {
    "report",
    "the liability report for counsel: report.html, report.pdf (Chromium), report.md",
    report_main,
    help,
};
