/*
 * risk_int.h -- the year table's layout, shared by the files of sim/risk/.
 * Private to this folder (tests/layers.py checks it).
 */
#ifndef OUTAGESIM_RISK_INT_H
#define OUTAGESIM_RISK_INT_H

#include "outagesim/risk.h"

/*
 * The occurrences of incident i are year[start[i] .. start[i + 1] - 1] and
 * the same range of rep, in ascending year (the order they were drawn).
 * Stored by incident, not by year, so that each incident's occurrences are
 * one contiguous run drawn from one stream.
 */
struct osim_ylt {
    size_t n_years;
    size_t n_incidents;
    double *rate;   /* n_incidents */
    size_t *n_reps; /* n_incidents */
    size_t *start;  /* n_incidents + 1 */
    uint32_t *year; /* start[n_incidents] */
    uint32_t *rep;
};

#endif
