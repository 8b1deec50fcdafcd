/*
 * results_int.h -- private to sim/results/: the row block of a result,
 * shared by result.c and the codec of a whole result (wire.c). Modules
 * above use the public osim_mc_result_read_rows and osim_mc_result_pack /
 * unpack (result.h); the metric table is in metrics.h.
 */
#ifndef OUTAGESIM_MC_INT_H
#define OUTAGESIM_MC_INT_H

#include <stddef.h>

#include "outagesim/result.h"

/*
 * A new row block of r's shape (identity, topologies, catalogue, and the
 * economics settings as notes) over [from, to), zeroed.
 */
int osim__mc_result_rows_new(const osim_mc_result *r, uint64_t from, uint64_t to, osim_rows **out);

/*
 * Make rows (owned, taken on success) r's rows: its shape must be r's
 * (OSIM_EINVAL otherwise, rows then still the caller's), and r's range and
 * values view become the block's.
 */
int osim__mc_result_adopt_rows(osim_mc_result *r, osim_rows *rows);

/* For which p in [0, 1] the net benefit p dm - dc is positive (result.c):
 * the economics of a run and of a catalogue (catalogue.c). */
osim_mc_pays osim__mc_pays_when(double dm, double dc, double *p_star);

#endif
