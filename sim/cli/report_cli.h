/*
 * report_cli.h -- the liability report as `outagesim report` and
 * `outagesim run --report` write it (cmd_report.c): figures drawn as SVG,
 * report.html and report.md built from the result, report.pdf printed by
 * Chromium, all into a staging folder that the caller publishes.
 */
#ifndef OUTAGESIM_CLI_REPORT_H
#define OUTAGESIM_CLI_REPORT_H

#include <stdbool.h>

#include "outagesim/result.h"
#include "outagesim/scenario.h"
#include "outagesim/series.h"

typedef struct cli_report_opts {
    const char *date; /* --date, or NULL */
    bool no_pdf;      /* --no-pdf */
    bool quiet;
} cli_report_opts;

/*
 * Write the report of r (summarised; its series s may be NULL) into stage:
 * plots/<figure>.svg, report.html, report.md and report.pdf. results_json
 * is the run's results.json (for its sources and provenance); sc its
 * scenario or NULL (scenario_note then says why). shown is the folder named
 * in messages. Returns an exit code (printed): CLI_OK also when Chromium
 * or gnuplot is missing (a message says what was skipped and why); 1 when
 * Chromium fails; 128 + a signal when stopped.
 */
int cli_report_write(const char *stage, const char *shown, const osim_mc_result *r,
                     const osim_series *s, const char *results_json, const osim_scenario *sc,
                     const char *scenario_note, const cli_report_opts *o);

#endif
