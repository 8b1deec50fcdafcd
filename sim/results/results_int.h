/*
 * results_int.h -- internal: helpers shared by the run (mc/mc.c), the
 * result (result.c) and the reports. What each metric reads from a
 * replication is in metrics.h.
 * Not part of the public API.
 */
#ifndef OUTAGESIM_MC_INT_H
#define OUTAGESIM_MC_INT_H

#include <stddef.h>

#include "outagesim/result.h"

/* The name of the metric every economics figure is built on. */
#define OSIM__MC_INCIDENT_COST "incident_cost_krw"

/*
 * Normalise an incident probability to the value its 15-significant-digit
 * text reads back as, so that a result loaded from a document computes the
 * same economics, to the bit, as the run that wrote it.
 */
double osim__mc_probability_norm(double p);

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

#endif
