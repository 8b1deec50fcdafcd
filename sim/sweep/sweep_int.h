/*
 * sweep_int.h -- private to sim/sweep/: what sweep.c and sweep_report.c
 * share to write and read sweep.resume.
 */
#ifndef OUTAGESIM_SWEEP_INT_H
#define OUTAGESIM_SWEEP_INT_H

#include <stddef.h>
#include <stdio.h>

#include "outagesim/error.h"
#include "outagesim/sweep.h"

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
