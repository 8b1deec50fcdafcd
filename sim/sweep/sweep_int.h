/*
 * sweep_int.h -- internal helpers of the sweep module shared with the
 * command line (sensitivity's tornado). Not part of the public API.
 */
#ifndef OUTAGESIM_SWEEP_INT_H
#define OUTAGESIM_SWEEP_INT_H

#include <stddef.h>

#include "outagesim/error.h"
#include "outagesim/sweep.h"
#include "results/rows_int.h"

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

/*
 * A complete point's summarised result (identity, names, statistics and
 * economics; no rows) into b, and back (NULL with b->rc set when b is
 * short or malformed). For sweep.resume (wire.c).
 */
void osim__sweep_put_summary(osim__wbuf *b, const osim_mc_result *r);
osim_mc_result *osim__sweep_get_summary(osim__rbuf *b);

/*
 * The "sweep" object of sweep.json: what the sweep is (scenario, file,
 * sha256, base overrides, seed, replications, axes, points). A new
 * reference (sweep_report.c).
 */
struct json_t;
struct json_t *osim__sweep_header_json(const osim_sweep *sw);

/* sweep.resume of an incomplete sweep (sweep.c): its header and every
 * complete point's summary. 0, OSIM_ENOMEM, OSIM_EIO. */
int osim__sweep_write_resume(const osim_sweep *sw, FILE *f, osim_diag *diag);

#endif
