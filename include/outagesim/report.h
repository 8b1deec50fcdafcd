/*
 * report.h -- a run's result as a JSON document, CSV files and terminal
 * tables, and back.
 *
 * Every writer reads an osim_mc_result (after osim_mc_result_summarise) and
 * nothing else: no clock, no thread count, no host name. The same result
 * gives the same bytes, so two runs with the same inputs give identical
 * files, whatever the thread count.
 *
 * Numbers in the document and in summary.csv: money ("won") is rounded to
 * whole won and written as an integer; every other figure is written with
 * 12 significant digits (hours to well below a millisecond). The input
 * incident probability is written with 15 significant digits, the value the
 * run computed with. replications.csv carries every value with 17
 * significant digits, which read back to the same double: it is what
 * `outagesim merge` rebuilds results from.
 *
 * Writers that take a FILE * write to it and return 0, OSIM_EIO when the
 * stream reports an error, or OSIM_ERANGE for a figure that cannot be
 * represented. Thread-safety: pure readers of r.
 */
#ifndef OUTAGESIM_REPORT_H
#define OUTAGESIM_REPORT_H

#include <stdio.h>

#include "outagesim/error.h"
#include "outagesim/result.h"

/* The file names written into an output directory. */
#define OSIM_REPORT_RESULTS_JSON "results.json"
#define OSIM_REPORT_SUMMARY_CSV "summary.csv"
#define OSIM_REPORT_REPLICATIONS_CSV "replications.csv"

/* The result document (see README "The result document"), then a newline. */
int osim_report_json(const osim_mc_result *r, FILE *f, osim_diag *diag);

/* summary.csv: one row per topology and metric, with unit, n and the STATS. */
int osim_report_summary_csv(const osim_mc_result *r, FILE *f, osim_diag *diag);

/* replications.csv: one row per replication and topology, every metric, %.17g. */
int osim_report_replications_csv(const osim_mc_result *r, FILE *f, osim_diag *diag);

/*
 * Terminal tables: per topology the key metrics; the legal summary (policy,
 * legal basis, claimants, median and 90% interval of the total in won and
 * 억원); the economics of redundancy. UTF-8 text, at most 100 columns wide
 * except for long names.
 */
int osim_report_table(const osim_mc_result *r, FILE *f, osim_diag *diag);

/*
 * The names of the formats osim_report_write takes, NULL-terminated (for
 * option parsers: `--format table|json|csv`).
 */
extern const char *const osim_report_formats[];

/*
 * r in the format called format -- "table" (osim_report_table), "json"
 * (osim_report_json) or "csv" (osim_report_summary_csv) -- then f flushed,
 * so that a full disk or a closed pipe is reported here. This is what
 * `outagesim run` and `outagesim merge` print. Returns the writer's
 * status, OSIM_EIO when the flush fails, OSIM_EINVAL for another name.
 */
int osim_report_write(const osim_mc_result *r, const char *format, FILE *f, osim_diag *diag);

/*
 * Write results.json, summary.csv and replications.csv into dir (created
 * with its parents if missing). Each file is written to a temporary name
 * in dir, flushed to disk and renamed: a crash leaves either the old file
 * or the new one, never half of one.
 */
int osim_report_write_dir(const osim_mc_result *r, const char *dir, osim_diag *diag);

/* osim_report_write_dir without replications.csv (results.json and
 * summary.csv only): for runs too long for one row per replication to be
 * worth its disk (outagesim run writes it above 100,000 replications only
 * when asked). */
int osim_report_write_dir_no_rows(const osim_mc_result *r, const char *dir, osim_diag *diag);

/*
 * Read a result back from dir (results.json for the shape, replications.csv
 * for the rows), summarised. Errors name the file and line.
 */
int osim_report_load_dir(const char *dir, osim_mc_result **out, osim_diag *diag);

/* The head of a catalogue run's risk block (results.json's "risk"). */
typedef struct osim_report_risk_head {
    size_t incidents_count;
    char **incidents; /* names, in catalogue order: dir/incidents/NAME/ */
    size_t years;     /* of its year loss table (--risk-years) */
} osim_report_risk_head;

/*
 * The head of the risk block of dir/results.json into *out, or *out NULL
 * when the document has none (a run of one incident). Returns 0;
 * OSIM_ENOENT or OSIM_ESYNTAX for a missing or unreadable document,
 * OSIM_ESCHEMA for a malformed risk block (diag says where); OSIM_ENOMEM.
 */
int osim_report_load_risk_head(const char *dir, osim_report_risk_head **out, osim_diag *diag);

/* Free h. NULL is a no-op. */
void osim_report_risk_head_free(osim_report_risk_head *h);

#endif
