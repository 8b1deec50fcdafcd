/*
 * cmd_merge.c -- `outagesim merge DIR...`: combine partial runs.
 *
 * Each DIR is the --out of a run over a part of the replication range
 * (--from A --to B). Merging checks that every part has the same version,
 * scenario (sha256, which covers --set overrides), seed and topologies and
 * that the ranges tile one interval, then rebuilds the statistics from the
 * rows of replications.csv: the output is exactly, byte for byte, what one
 * run over the whole interval would have written.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/mc_args.h"
#include "cli/opts.h"
#include "cli/plot_cli.h"
#include "cli/publish.h"
#include "outagesim/mc.h"
#include "outagesim/report.h"
#include "outagesim/series.h"

static void help(void)
{
    printf("usage: outagesim merge DIR... [--out DIR] [--format table|json|csv] [--quiet]\n"
           "                       [--no-wait]\n"
           "\n"
           "Combine the results of partial runs (outagesim run --from A --to B --out DIR)\n"
           "into the result of one run over the whole range. The parts must come from the\n"
           "same scenario (file and --set overrides), seed, topologies and outagesim version,\n"
           "and their ranges must follow each other without gap or overlap (any order on\n"
           "the command line). Each DIR needs results.json and replications.csv; they are\n"
           "checked against each other.\n"
           "\n"
           "Options:\n"
           "  --out DIR        write the files of the merged run, listed below, into DIR\n"
           "                   (written into a hidden folder beside DIR, then swapped in\n"
           "                   whole, as run does), so that `outagesim plot DIR` draws\n"
           "                   the whole run.\n"
           "  --no-wait        fail (exit 1) if another outagesim is writing DIR, rather\n"
           "                   than wait for it (up to 10 minutes).\n"
           "  --format table|json|csv  what goes to stdout (default table).\n"
           "  --quiet          nothing on stderr but errors.\n"
           "\n"
           "Files in DIR (--out DIR), as `outagesim run --out` writes them (see its --help):\n"
           "  results.json     the result document\n"
           "  summary.csv      one row per topology and metric, then its economics.* rows,\n"
           "                   columns: topology,metric,unit,n,mean,ci95_low,ci95_high,\n"
           "                   p5,p50,p95,min,max\n"
           "  replications.csv  one row per replication and topology,\n"
           "                   columns: replication,topology,METRIC...\n"
           "  series.json      the series over time, when every part has one,\n"
           "  series-timeline.dat, series-users.dat, series-loss.dat, series-marks.dat\n"
           "  series-systems.dat, series-systems-hist.dat\n"
           "                   with its data\n"
           "\n"
           "The merged result is interrupted only if the part that ends the range was.\n"
           "SIGINT, SIGTERM or SIGHUP before the files are published: nothing is published\n"
           "(DIR keeps what it held) and the exit code is 128 + the signal (130, 143, 129).\n"
           "Exit codes: 0 done, 1 failure, 2 bad usage or parts that do not fit together.\n"
           "\n"
           "Example:\n"
           "  outagesim run S.yaml --from 0 --to 500 --out part1\n"
           "  outagesim run S.yaml --from 500 --to 1000 --out part2\n"
           "  outagesim merge part1 part2 --out whole   # == run S.yaml --replications 1000\n");
}

/* ------------------------------------------------------------ series (plot.h) */

static int cmp_series(const void *a, const void *b)
{
    uint64_t fa = 0, fb = 0, ta, tb;

    osim_series_range(*(osim_series *const *)a, &fa, &ta);
    osim_series_range(*(osim_series *const *)b, &fb, &tb);
    return (fa > fb) - (fa < fb);
}

/*
 * Merge the parts' series (series.json and series-*.dat) into *out (NULL
 * unless every part has one), each part read under its shared lock
 * (publish.h) and checked against the part's results. Integer counts: the
 * merge is exactly the series of one run over the merged range. Read
 * before --out is locked, so that `merge A B --out A` does not wait for
 * itself. Returns an exit code.
 */
static int merge_series(const char **dirs, osim_mc_result *const *parts, size_t n,
                        const osim_mc_result *merged, bool quiet, osim_series **out)
{
    osim_series **s = calloc(n ? n : 1, sizeof(*s));
    uint64_t from = 0, to = 0;
    osim_diag d;
    size_t i;
    int rc, code = CLI_FAIL;

    osim_diag_clear(&d);
    if (s == NULL)
        return CLI_FAIL;
    for (i = 0; i < n; i++) {
        int lk = cli_publish_share(dirs[i]);
        rc = osim_series_read(dirs[i], &s[i], &d);
        cli_publish_unshare(lk);
        if (rc == OSIM_ENOENT) {
            if (!quiet)
                cli_errorf("note: %s has no series.json: the merged run has no series over "
                           "time (its timeline and affected-users figures will be empty)",
                           dirs[i]);
            code = CLI_OK;
            goto done;
        }
        if (rc != 0) {
            cli_print_diag(&d);
            code = cli_exit_code(rc);
            goto done;
        }
        /* Rewritten between the two reads? Then the part mixes two runs. */
        if ((code = cli_plot_same_run(dirs[i], parts[i], s[i])) != CLI_OK)
            goto done;
    }
    qsort(s, n, sizeof(*s), cmp_series);
    for (i = 1; i < n; i++) {
        if ((rc = osim_series_merge(s[0], s[i], &d)) != 0) {
            cli_print_diag(&d);
            code = cli_exit_code(rc);
            goto done;
        }
    }
    if (!osim_series_range(s[0], &from, &to) || from != merged->from || to != merged->to) {
        cli_errorf("the parts' series cover other replications than their results");
        code = CLI_USAGE;
        goto done;
    }
    *out = s[0];
    s[0] = NULL;
    code = CLI_OK;
done:
    for (i = 0; i < n; i++)
        osim_series_free(s[i]);
    free(s);
    return code;
}

typedef struct merge_args {
    const char **dirs; /* borrowed from argv */
    size_t ndirs;
    const char *out, *format;
    bool quiet, no_wait;
} merge_args;

enum { OPT_OUT = CLI_OPT_KEY0, OPT_FORMAT, OPT_QUIET, OPT_NO_WAIT };

static const struct option merge_options[] = {
    {"out", required_argument, NULL, OPT_OUT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"no-wait", no_argument, NULL, OPT_NO_WAIT},
    {NULL, 0, NULL, 0},
};

static int parse_args(int argc, char **argv, merge_args *a)
{
    cli_opts p;
    char *val;
    int key, k;

    memset(a, 0, sizeof(*a));
    a->format = "table";
    if ((a->dirs = calloc((size_t)argc + 1, sizeof(*a->dirs))) == NULL)
        return cli_exit_code(OSIM_ENOMEM);
    cli_opts_init(&p, "merge", argc, argv, merge_options);
    while ((key = cli_opts_next(&p, &val)) != CLI_OPTS_END) {
        switch (key) {
        case CLI_OPTS_ERROR: return CLI_USAGE;
        case CLI_OPTS_ARG: a->dirs[a->ndirs++] = val; break;
        case OPT_OUT: a->out = val; break;
        case OPT_FORMAT:
            if (cli_opt_choice("merge", "--format", val, osim_report_formats, &k) != 0)
                return CLI_USAGE;
            a->format = val;
            break;
        case OPT_QUIET: a->quiet = true; break;
        case OPT_NO_WAIT: a->no_wait = true; break;
        default: return cli_opt_unhandled("merge", key);
        }
    }
    if (a->ndirs == 0)
        return cli_usage("merge", "which directories? (usage: outagesim merge DIR... [--out DIR])");
    return cli_check_out_dir("merge", a->out);
}

/*
 * A part that lacks one of its files is unfit, like a part of another
 * scenario: exit 2, whichever file is missing. The loader reports a file it
 * cannot open as an I/O error (exit 1), which stays the answer for a file
 * that is there but cannot be read.
 */
static bool part_unfit(const char *dir, int rc)
{
    static const char *const needed[] = {"results.json", "replications.csv"};
    char path[4096];
    struct stat st;
    size_t k;

    if (rc != OSIM_EIO)
        return false;
    for (k = 0; k < sizeof(needed) / sizeof(needed[0]); k++) {
        int w = snprintf(path, sizeof(path), "%s/%s", dir, needed[k]);
        if (w > 0 && (size_t)w < sizeof(path) && stat(path, &st) != 0 && errno == ENOENT)
            return true;
    }
    return false;
}

/* Load every part and merge them into *merged. Returns an exit code (printed). */
static int load_parts(const merge_args *a, osim_mc_result ***parts, size_t *nparts,
                      osim_mc_result **merged)
{
    osim_diag d;
    size_t i;
    int rc;

    osim_diag_clear(&d);
    if ((*parts = calloc(a->ndirs, sizeof(**parts))) == NULL)
        return cli_exit_code(OSIM_ENOMEM);
    for (i = 0; i < a->ndirs; i++) {
        /* A part being rewritten is read whole: before or after its swap. */
        int lk = cli_publish_share(a->dirs[i]);
        rc = osim_report_load_dir(a->dirs[i], &(*parts)[i], &d);
        cli_publish_unshare(lk);
        if (rc != 0) {
            cli_print_diag(&d);
            return part_unfit(a->dirs[i], rc) ? CLI_USAGE : cli_exit_code(rc);
        }
        (*nparts)++;
    }
    if ((rc = osim_mc_result_merge(*parts, *nparts, merged, &d)) != 0) {
        cli_print_diag(&d);
        return cli_exit_code(rc);
    }
    return CLI_OK;
}

/*
 * A merge has no partial result worth keeping, so a stop signal (SIGINT,
 * SIGTERM, SIGHUP: signals.c) is honoured between its steps: after the
 * parts are read and just before publishing. Then it says so and the exit
 * code is 128 + the signal. Returns whether one came.
 */
static bool stopped(const char *what)
{
    int sig = cli_signals_caught();

    if (sig != 0)
        cli_errorf("interrupted (%s): %s", cli_signal_name(sig), what);
    return sig != 0;
}

/* --out: results, CSV files and series staged in one folder and swapped in whole (publish.h). */
static int write_out(const merge_args *a, const osim_mc_result *merged, const osim_series *series)
{
    cli_publish pub;
    osim_diag d;
    int rc, code;

    osim_diag_clear(&d);
    if ((code = cli_publish_begin(&pub, a->out, a->no_wait ? CLI_PUBLISH_NO_WAIT : 0)) != CLI_OK)
        goto done;
    if ((rc = osim_report_write_dir(merged, pub.stage, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    if (series != NULL && (rc = osim_series_write(series, pub.stage, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    /* Last moment to honour a stop signal: the folder keeps its old run. */
    if (stopped("nothing published")) {
        code = cli_interrupted_code();
        goto done;
    }
    code = cli_publish_commit(&pub);
done:
    cli_publish_end(&pub);
    return code;
}

static int merge_main(int argc, char **argv)
{
    merge_args a;
    osim_mc_result **parts = NULL, *merged = NULL;
    osim_series *series = NULL;
    size_t nparts = 0, i;
    osim_diag d;
    int rc, code;

    osim_diag_clear(&d);
    if ((code = parse_args(argc, argv, &a)) != CLI_OK ||
        (code = load_parts(&a, &parts, &nparts, &merged)) != CLI_OK)
        goto done;
    if (stopped(a.out != NULL ? "nothing published" : "nothing printed")) {
        code = cli_interrupted_code();
        goto done;
    }
    if (!a.quiet)
        fprintf(stderr, "outagesim: merged %zu parts: replications %llu..%llu\n", nparts,
                (unsigned long long)merged->from, (unsigned long long)merged->to - 1);
    if (a.out != NULL &&
        ((code = merge_series(a.dirs, parts, nparts, merged, a.quiet, &series)) != CLI_OK ||
         (code = write_out(&a, merged, series)) != CLI_OK))
        goto done;
    if ((rc = osim_report_write(merged, a.format, stdout, &d)) != 0)
        cli_print_diag(&d);
    code = cli_exit_code(rc);
done:
    osim_series_free(series);
    for (i = 0; i < nparts; i++)
        osim_mc_result_free(parts[i]);
    free(parts);
    free(a.dirs);
    osim_mc_result_free(merged);
    return code;
}

const cli_command cli_cmd_merge = {
    "merge",
    "combine partial runs (--from/--to) into the result of one whole run",
    merge_main,
    help,
};
