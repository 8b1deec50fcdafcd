/*
 * report_int.h -- private to sim/report/: number rounding shared by the
 * report writers (csv.c, json.c). What other modules may use of the
 * report's formatting is in report/format.h.
 */
#ifndef OUTAGESIM_REPORT_INT_H
#define OUTAGESIM_REPORT_INT_H

#include "report/format.h"

/* x rounded to 12 significant digits (the display precision), -0 folded to 0. */
double osim__report_round12(double x);

/* x rounded to whole won; OSIM_ERANGE when it does not fit a long long. */
int osim__report_krw(double x, long long *out);

#endif
