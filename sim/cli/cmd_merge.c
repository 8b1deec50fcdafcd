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
#include "outagesim/atomic_file.h"
#include "outagesim/catalogue.h"
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
           "Parts of a catalogue run (a scenario with incidents:) are merged incident by\n"
           "incident from their incidents/NAME/ folders, then the year loss table is built\n"
           "once over the merged range, exactly as one run builds it; --out DIR then also\n"
           "holds incidents/NAME/ as run writes it. Every part must hold every incident and\n"
           "the same --risk-years.\n"
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

/* Publish the staged folder, unless a stop signal came: the last moment to
 * honour one (the folder then keeps its old run). Returns an exit code. */
static int publish_unless_stopped(cli_publish *pub)
{
    if (stopped("nothing published"))
        return cli_interrupted_code();
    return cli_publish_commit(pub);
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
    code = publish_unless_stopped(&pub);
done:
    cli_publish_end(&pub);
    return code;
}

/* ------------------------------------------------------------ catalogues */

/*
 * A catalogue run (incidents:) writes each incident's event table into
 * incidents/NAME/ and, at the top, the first incident's result with the
 * catalogue's risk and economics. Its year loss table needs every
 * incident's rows over the whole range, so a part's own risk block is not
 * merged: the event tables are, incident by incident, as any run's, and
 * the year table is built once from the merged tables -- exactly what one
 * run over the merged range builds (catalogue.h).
 */

/* The parts of one catalogue: its head (from the first part) and theirs. */
typedef struct cat_merge {
    osim_report_risk_head *head;
    osim_mc_result **ev;    /* [k]: incident k's merged event table */
    osim_mc_result **first; /* [i]: part i's table of the first incident */
    osim_catalogue_result *c;
} cat_merge;

static void cat_merge_free(cat_merge *m, size_t nparts)
{
    size_t k;

    for (k = 0; m->ev != NULL && m->head != NULL && k < m->head->incidents_count; k++)
        osim_mc_result_free(m->ev[k]);
    for (k = 0; m->first != NULL && k < nparts; k++)
        osim_mc_result_free(m->first[k]);
    free(m->ev);
    free(m->first);
    osim_catalogue_free(m->c);
    osim_report_risk_head_free(m->head);
}

/* Whether heads a and b name the same incidents, in order, and years. */
static bool same_head(const osim_report_risk_head *a, const osim_report_risk_head *b)
{
    size_t k;

    if (a->incidents_count != b->incidents_count || a->years != b->years)
        return false;
    for (k = 0; k < a->incidents_count; k++)
        if (strcmp(a->incidents[k], b->incidents[k]) != 0)
            return false;
    return true;
}

/* Why dir, beside catalogue part cat, has no risk head: unreadable (the
 * loader's message) or a run of one incident. Returns an exit code. */
static int not_catalogue(const char *cat, const char *dir)
{
    osim_report_risk_head *h = NULL;
    osim_diag d;
    int rc;

    osim_diag_clear(&d);
    rc = osim_report_load_risk_head(dir, &h, &d);
    osim_report_risk_head_free(h);
    if (rc != 0) {
        cli_print_diag(&d);
        return rc == OSIM_ENOENT ? CLI_USAGE : cli_exit_code(rc);
    }
    cli_errorf("%s is a part of a catalogue run (incidents:) and %s is not: merge the parts of "
               "one run",
               cat, dir);
    return CLI_USAGE;
}

/*
 * The risk heads of every part: *head NULL when no part is a catalogue's
 * (the parts are then merged as ever, and a part that cannot be read is
 * reported there). A mix, or catalogues that differ, is refused. Returns
 * an exit code (printed).
 */
static int risk_heads(const merge_args *a, osim_report_risk_head **head)
{
    osim_report_risk_head **h = calloc(a->ndirs, sizeof(*h));
    osim_diag d;
    size_t i, found = 0, first = 0;
    int code = CLI_OK;

    *head = NULL;
    if (h == NULL)
        return cli_exit_code(OSIM_ENOMEM);
    for (i = 0; i < a->ndirs; i++) {
        int lk = cli_publish_share(a->dirs[i]);
        osim_diag_clear(&d);
        /* Unreadable: left to the loader below, whose messages are known. */
        if (osim_report_load_risk_head(a->dirs[i], &h[i], &d) == 0 && h[i] != NULL && found++ == 0)
            first = i;
        cli_publish_unshare(lk);
    }
    for (i = 0; found > 0 && i < a->ndirs && code == CLI_OK; i++) {
        if (h[i] == NULL)
            code = not_catalogue(a->dirs[first], a->dirs[i]);
        else if (!same_head(h[first], h[i])) {
            cli_errorf("%s and %s are parts of different catalogues (other incidents, or another "
                       "--risk-years): merge the parts of one run",
                       a->dirs[first], a->dirs[i]);
            code = CLI_USAGE;
        }
    }
    if (code == CLI_OK && found > 0) {
        *head = h[first];
        h[first] = NULL;
    }
    for (i = 0; i < a->ndirs; i++)
        osim_report_risk_head_free(h[i]);
    free(h);
    return code;
}

/*
 * Incident `name`'s event tables of every part, merged into *out; with
 * keep, the parts are handed over in keep[] (the first incident's, which
 * the top of each part repeats: its series is checked against them).
 * Returns an exit code (printed).
 */
static int merge_incident(const merge_args *a, const char *name, osim_mc_result **keep,
                          osim_mc_result **out)
{
    osim_mc_result **parts = calloc(a->ndirs, sizeof(*parts));
    osim_diag d;
    size_t i;
    int rc, code = CLI_OK;

    osim_diag_clear(&d);
    if (parts == NULL)
        return cli_exit_code(OSIM_ENOMEM);
    for (i = 0; i < a->ndirs && code == CLI_OK; i++) {
        char *base = osim_path_join(a->dirs[i], "incidents");
        char *dir = base != NULL ? osim_path_join(base, name) : NULL;
        struct stat st;
        int lk;
        free(base);
        if (dir == NULL) {
            code = cli_exit_code(OSIM_ENOMEM);
            break;
        }
        lk = cli_publish_share(a->dirs[i]);
        if (stat(dir, &st) != 0) {
            cli_errorf("%s has no incidents/%s/ (the event table of incident '%s'): not a whole "
                       "part of a catalogue run; run that part again",
                       a->dirs[i], name, name);
            code = CLI_USAGE;
        } else if ((rc = osim_report_load_dir(dir, &parts[i], &d)) != 0) {
            cli_print_diag(&d);
            code = part_unfit(dir, rc) ? CLI_USAGE : cli_exit_code(rc);
        }
        cli_publish_unshare(lk);
        free(dir);
    }
    if (code == CLI_OK && (rc = osim_mc_result_merge(parts, a->ndirs, out, &d)) != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
    }
    for (i = 0; i < a->ndirs; i++) {
        if (keep != NULL)
            keep[i] = parts[i];
        else
            osim_mc_result_free(parts[i]);
    }
    free(parts);
    return code;
}

/* Every incident merged, then the catalogue's risk over the merged range. */
static int merge_catalogue_tables(const merge_args *a, cat_merge *m)
{
    size_t K = m->head->incidents_count, k;
    osim_diag d;
    int rc, code;

    osim_diag_clear(&d);
    m->ev = calloc(K, sizeof(*m->ev));
    m->first = calloc(a->ndirs, sizeof(*m->first));
    if (m->ev == NULL || m->first == NULL)
        return cli_exit_code(OSIM_ENOMEM);
    for (k = 0; k < K; k++)
        if ((code = merge_incident(a, m->head->incidents[k], k == 0 ? m->first : NULL,
                                   &m->ev[k])) != CLI_OK)
            return code;
    if ((rc = osim_catalogue_summarise_events((const char *const *)m->head->incidents, m->ev, K,
                                              m->ev[0]->seed, m->head->years, &m->c, &d)) != 0) {
        cli_print_diag(&d);
        return cli_exit_code(rc);
    }
    return CLI_OK;
}

/* --out of a catalogue: the event tables, then the catalogue's document,
 * as run writes them, staged and swapped in whole (publish.h). */
static int write_out_catalogue(const merge_args *a, cat_merge *m, const osim_series *series)
{
    size_t K = m->head->incidents_count, k;
    cli_publish pub;
    osim_diag d;
    int rc = 0, code;

    osim_diag_clear(&d);
    if ((code = cli_publish_begin(&pub, a->out, a->no_wait ? CLI_PUBLISH_NO_WAIT : 0)) != CLI_OK)
        goto done;
    for (k = 0; k < K && rc == 0; k++) {
        char *base = osim_path_join(pub.stage, "incidents");
        char *dir = base != NULL ? osim_path_join(base, m->head->incidents[k]) : NULL;
        free(base);
        rc = dir != NULL ? osim_report_write_dir(m->ev[k], dir, &d) : OSIM_ENOMEM;
        free(dir);
    }
    if (rc == 0 && (rc = osim_catalogue_apply(m->c, m->ev, K, m->ev[0])) == 0)
        rc = osim_report_write_dir(m->ev[0], pub.stage, &d);
    if (rc == 0 && series != NULL)
        rc = osim_series_write(series, pub.stage, &d);
    if (rc != 0) {
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        goto done;
    }
    code = publish_unless_stopped(&pub);
done:
    cli_publish_end(&pub);
    return code;
}

/* `merge` of the parts of a catalogue run (head: theirs). Returns an exit code. */
static int merge_catalogue(const merge_args *a, osim_report_risk_head *head)
{
    cat_merge m;
    osim_series *series = NULL;
    osim_mc_result *top;
    osim_diag d;
    int rc, code;

    memset(&m, 0, sizeof(m));
    m.head = head;
    osim_diag_clear(&d);
    if ((code = merge_catalogue_tables(a, &m)) != CLI_OK)
        goto done;
    top = m.ev[0];
    if (stopped(a->out != NULL ? "nothing published" : "nothing printed")) {
        code = cli_interrupted_code();
        goto done;
    }
    if (!a->quiet)
        fprintf(stderr,
                "outagesim: merged %zu parts of a catalogue of %zu incidents: replications "
                "%llu..%llu; its year loss table rebuilt over them\n",
                a->ndirs, head->incidents_count, (unsigned long long)top->from,
                (unsigned long long)top->to - 1);
    if (a->out != NULL) {
        if ((code = merge_series(a->dirs, m.first, a->ndirs, top, a->quiet, &series)) != CLI_OK ||
            (code = write_out_catalogue(a, &m, series)) != CLI_OK)
            goto done;
    } else if (osim_catalogue_apply(m.c, m.ev, head->incidents_count, top) != 0) {
        code = cli_exit_code(OSIM_ENOMEM);
        goto done;
    }
    if ((rc = osim_report_write(top, a->format, stdout, &d)) != 0)
        cli_print_diag(&d);
    code = cli_exit_code(rc);
done:
    osim_series_free(series);
    cat_merge_free(&m, a->ndirs);
    return code;
}

static int merge_main(int argc, char **argv)
{
    merge_args a;
    osim_mc_result **parts = NULL, *merged = NULL;
    osim_series *series = NULL;
    osim_report_risk_head *head = NULL; /* merge_catalogue's once given */
    size_t nparts = 0, i;
    osim_diag d;
    int rc, code;

    osim_diag_clear(&d);
    if ((code = parse_args(argc, argv, &a)) != CLI_OK || (code = risk_heads(&a, &head)) != CLI_OK)
        goto done;
    if (head != NULL) {
        code = merge_catalogue(&a, head);
        goto done;
    }
    if ((code = load_parts(&a, &parts, &nparts, &merged)) != CLI_OK)
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
