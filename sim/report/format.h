/*
 * format.h -- the report module's interface for the sweep's report
 * (sweep/sweep_report.c): how a figure, a CSV field, the economics rows and
 * the result document are written, so that sweep.csv, sweep.json and the
 * sweep table print every number exactly as summary.csv, results.json and
 * the run's table do. Implemented in csv.c, json.c and table.c. Not public
 * API: these are the formats of the files, not a library service.
 */
#ifndef OUTAGESIM_REPORT_FORMAT_H
#define OUTAGESIM_REPORT_FORMAT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/str.h"
#include "outagesim/money.h"
#include "outagesim/result.h"

/* Whether a catalogue unit is money (printed as whole units of the currency). */
bool osim__report_is_money(const char *unit);

/* The currency of r's money figures (never NULL: KRW when r has none). */
const osim_currency *osim__report_currency(const osim_mc_result *r);

/* The result document as a jansson tree (new reference); *rc set on a bad figure. */
json_t *osim__report_json_doc(const osim_mc_result *r, int *rc);

/* A display figure into buf: whole won for money, else 12 significant digits. */
int osim__report_figure(char *buf, size_t n, double x, bool money);

/* ",figure" (osim__report_figure) as a CSV cell; "," alone for NaN. 0 or OSIM_ERANGE. */
int osim__report_figure_cell(FILE *f, double x, bool money);

/*
 * The statistics columns of summary.csv and sweep.csv for metric x:
 * ",unit,n,mean,ci95_low,ci95_high,p5,p50,p95,min,max" (no newline), money
 * units written as cur's code ("EUR"). 0 or OSIM_ERANGE for a figure past
 * what a report can hold.
 */
int osim__report_stats_cells(FILE *f, const osim_metric *x, const osim_stats *s,
                             const osim_currency *cur);

/*
 * Print a JSON document as results.json and sweep.json are printed (two
 * spaces of indent, reals with 15 significant digits, then a newline) and
 * free it. 0, OSIM_ENOMEM for a NULL doc, OSIM_EIO when f reports an error.
 */
int osim__report_json_dump(json_t *doc, FILE *f);

/*
 * The economics figures of topology t as CSV rows (summary.csv, sweep.csv):
 * economics.mean_incident_cost_money (band: 95% CI), .expected_annual_loss_money,
 * .annual_cost_money, .net_annual_benefit_money (band: 95% CI; empty without
 * the baseline), .pays_for_itself (1 or 0, empty without the baseline),
 * .break_even_probability (unit "per year; pays above|below", empty unless
 * the design pays above or below a probability).
 */
enum {
    OSIM__ECON_MEAN_COST,
    OSIM__ECON_EAL,
    OSIM__ECON_ANNUAL_COST,
    OSIM__ECON_NET,
    OSIM__ECON_PAYS,
    OSIM__ECON_BREAK_EVEN,
    OSIM__ECON_COUNT
};

/* Figure k of topology t: value and band (NaN when none), name and unit
 * (static; money as "money" or "money/year", see osim_money_unit). 0 or
 * OSIM_EINVAL for k out of range. */
int osim__report_econ_figure(const osim_mc_result *r, size_t t, int k, double *v, double *lo,
                             double *hi, const char **name, const char **unit);

/* Write "topology,name,unit,n,value,low,high,,,,,\n" (money units as the
 * result's currency code). 0 or OSIM_ERANGE. */
int osim__report_econ_row(FILE *f, const osim_mc_result *r, size_t t, int k);

/* Display width of UTF-8 text in a terminal (Hangul and CJK count 2), for
 * tables that align columns (table.c). */
size_t osim__report_display_width(const char *s);

#endif
