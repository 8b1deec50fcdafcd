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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/stage.h"
#include "outagesim/mc.h"
#include "outagesim/report.h"
#include "outagesim/series.h"

static void help(void)
{
    printf("usage: outagesim merge DIR... [--out DIR] [--format table|json|csv] [--quiet]\n"
           "\n"
           "Combine the results of partial runs (outagesim run --from A --to B --out DIR)\n"
           "into the result of one run over the whole range. The parts must come from the\n"
           "same scenario (file and --set overrides), seed, topologies and outagesim version,\n"
           "and their ranges must follow each other without gap or overlap (any order on\n"
           "the command line). Each DIR needs results.json and replications.csv; they are\n"
           "checked against each other.\n"
           "\n"
           "Options:\n"
           "  --out DIR        write results.json, summary.csv and replications.csv of the\n"
           "                   merged run into DIR (atomically, as run does), and its series\n"
           "                   over time (series.json, series-*.dat) when every part has one,\n"
           "                   so that `outagesim plot DIR` draws the whole run.\n"
           "  --format table|json|csv  what goes to stdout (default table).\n"
           "  --quiet          nothing on stderr but errors.\n"
           "\n"
           "The merged result is interrupted only if the part that ends the range was.\n"
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
 * Merge the parts' series (series.json and series-*.dat) into dir, if
 * every part has one. Integer counts: the merge is exactly the series of
 * one run over the merged range. Returns an exit code.
 */
static int merge_series(const char **dirs, size_t n, const osim_mc_result *merged, const char *out,
                        bool quiet)
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
        rc = osim_series_read(dirs[i], &s[i], &d);
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
            code = rc == OSIM_ENOMEM ? CLI_FAIL : CLI_USAGE;
            goto done;
        }
    }
    qsort(s, n, sizeof(*s), cmp_series);
    for (i = 1; i < n; i++) {
        if ((rc = osim_series_merge(s[0], s[i], &d)) != 0) {
            cli_print_diag(&d);
            code = CLI_USAGE;
            goto done;
        }
    }
    if (!osim_series_range(s[0], &from, &to) || from != merged->from || to != merged->to) {
        cli_errorf("the parts' series cover other replications than their results");
        code = CLI_USAGE;
        goto done;
    }
    if ((rc = osim_series_write(s[0], out, &d)) != 0) {
        cli_print_diag(&d);
        goto done;
    }
    code = CLI_OK;
done:
    for (i = 0; i < n; i++)
        osim_series_free(s[i]);
    free(s);
    return code;
}

static int merge_main(int argc, char **argv)
{
    const char *out = NULL, *format = "table";
    const char **dirs = NULL;
    osim_mc_result **parts = NULL, *merged = NULL;
    size_t ndirs = 0, nparts = 0, i;
    bool quiet = false;
    osim_diag d;
    int rc, code = CLI_FAIL, k;

    osim_diag_clear(&d);
    if ((dirs = calloc((size_t)argc + 1, sizeof(*dirs))) == NULL)
        goto done;
    for (k = 1; k < argc; k++) {
        const char *arg = argv[k];
        if (strcmp(arg, "--out") == 0 || strcmp(arg, "--format") == 0) {
            if (k + 1 >= argc) {
                cli_errorf("%s needs a value", arg);
                code = CLI_USAGE;
                goto done;
            }
            if (strcmp(arg, "--out") == 0)
                out = argv[++k];
            else
                format = argv[++k];
        } else if (strncmp(arg, "--out=", 6) == 0) {
            out = arg + 6;
        } else if (strncmp(arg, "--format=", 9) == 0) {
            format = arg + 9;
        } else if (strcmp(arg, "--quiet") == 0) {
            quiet = true;
        } else if (strncmp(arg, "--", 2) == 0) {
            cli_errorf("merge: unknown option '%s' (see outagesim merge --help)", arg);
            code = CLI_USAGE;
            goto done;
        } else {
            dirs[ndirs++] = arg;
        }
    }
    if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        cli_errorf("--format: '%s' is not one of table, json, csv", format);
        code = CLI_USAGE;
        goto done;
    }
    if (ndirs == 0) {
        cli_errorf("merge: which directories? (usage: outagesim merge DIR... [--out DIR])");
        code = CLI_USAGE;
        goto done;
    }
    if (out != NULL) {
        struct stat st;
        if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
            cli_errorf("--out: '%s' exists and is not a directory", out);
            code = CLI_USAGE;
            goto done;
        }
    }
    if ((parts = calloc(ndirs, sizeof(*parts))) == NULL)
        goto done;
    for (i = 0; i < ndirs; i++) {
        if ((rc = osim_report_load_dir(dirs[i], &parts[i], &d)) != 0) {
            cli_print_diag(&d);
            code = rc == OSIM_ENOMEM || rc == OSIM_EIO ? CLI_FAIL : CLI_USAGE;
            goto done;
        }
        nparts++;
    }
    if ((rc = osim_mc_result_merge(parts, nparts, &merged, &d)) != 0) {
        cli_print_diag(&d);
        code = rc == OSIM_ENOMEM ? CLI_FAIL : CLI_USAGE;
        goto done;
    }
    if (!quiet)
        fprintf(stderr, "outagesim: merged %zu parts: replications %llu..%llu\n", nparts,
                (unsigned long long)merged->from, (unsigned long long)merged->to - 1);
    if (out != NULL) {
        /* Results and series are published together or not at all (stage.h). */
        cli_stage stage;
        if ((rc = cli_stage_begin(&stage, out, &d)) != 0) {
            cli_print_diag(&d);
            goto done;
        }
        if ((rc = osim_report_write_dir(merged, stage.dir, &d)) != 0) {
            cli_stage_abort(&stage);
            cli_print_diag(&d);
            goto done;
        }
        if ((code = merge_series(dirs, ndirs, merged, stage.dir, quiet)) != CLI_OK) {
            cli_stage_abort(&stage);
            goto done;
        }
        code = CLI_FAIL;
        if ((rc = cli_stage_commit(&stage, &d)) != 0) {
            cli_print_diag(&d);
            goto done;
        }
    }
    code = CLI_FAIL;
    if (strcmp(format, "json") == 0)
        rc = osim_report_json(merged, stdout, &d);
    else if (strcmp(format, "csv") == 0)
        rc = osim_report_summary_csv(merged, stdout, &d);
    else
        rc = osim_report_table(merged, stdout, &d);
    if (rc != 0 || fflush(stdout) != 0) {
        cli_print_diag(&d);
        goto done;
    }
    code = CLI_OK;
done:
    for (i = 0; i < nparts; i++)
        osim_mc_result_free(parts[i]);
    free(parts);
    free(dirs);
    osim_mc_result_free(merged);
    return code;
}

const cli_command cli_cmd_merge = {
    "merge",
    "combine partial runs (--from/--to) into the result of one whole run",
    merge_main,
    help,
};
