/*
 * sweep_int.h -- internal helpers of the sweep module shared with the
 * command line (sensitivity's tornado). Not part of the public API.
 */
#ifndef OUTAGESIM_SWEEP_INT_H
#define OUTAGESIM_SWEEP_INT_H

#include <stddef.h>

#include "outagesim/error.h"

/* Copy scripts_dir/name into dir/name (atomically). 0, OSIM_ENOENT, OSIM_EIO. */
int osim__sweep_copy_script(const char *scripts_dir, const char *dir, const char *name,
                            osim_diag *diag);

/*
 * A figure as table text into buf (n bytes), as the tables of sweep and
 * sensitivity show it: money (a unit starting "won") in 억원, "-" for NaN,
 * anything else with 4 significant digits. One formatter, so both tables
 * print the same number the same way.
 */
void osim__sweep_cell(char *buf, size_t n, double v, const char *unit);

#endif
