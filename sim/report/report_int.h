/*
 * report_int.h -- internal: number formatting and CSV helpers shared by the
 * report writers and the loader. Not part of the public API.
 */
#ifndef OUTAGESIM_REPORT_INT_H
#define OUTAGESIM_REPORT_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "outagesim/result.h"

/* x rounded to 12 significant digits (the display precision), -0 folded to 0. */
double osim__report_round12(double x);

/* x rounded to whole won; OSIM_ERANGE when it does not fit a long long. */
int osim__report_krw(double x, long long *out);

/* Whether a catalogue unit is money (printed as whole won). */
bool osim__report_is_money(const char *unit);

/* The result document as a jansson tree (new reference); *rc set on a bad figure. */
json_t *osim__report_json_doc(const osim_mc_result *r, int *rc);

/* Write s as one CSV field (quoted when it holds a comma, quote or line break). */
void osim__csv_field(FILE *f, const char *s);

/* A display figure into buf: whole won for money, else 12 significant digits. */
int osim__report_figure(char *buf, size_t n, double x, bool money);

/*
 * The economics figures of topology t as CSV rows (summary.csv, sweep.csv):
 * economics.mean_incident_cost_krw (band: 95% CI), .expected_annual_loss_krw,
 * .annual_cost_krw, .net_annual_benefit_krw (band: 95% CI; empty without
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
 * (static). 0 or OSIM_EINVAL for k out of range. */
int osim__report_econ_figure(const osim_mc_result *r, size_t t, int k, double *v, double *lo,
                             double *hi, const char **name, const char **unit);

/* Write "topology,name,unit,n,value,low,high,,,,,\n". 0 or OSIM_ERANGE. */
int osim__report_econ_row(FILE *f, const osim_mc_result *r, size_t t, int k);

/* Display width of UTF-8 text in a terminal (Hangul and CJK count 2), for
 * tables that align columns (table.c). */
size_t osim__report_display_width(const char *s);

#endif
