/*
 * mc_int.h -- internal: what each catalogue entry reads from a replication,
 * and helpers shared by the run (mc.c), results (mc_result.c) and reports.
 * Not part of the public API.
 */
#ifndef OUTAGESIM_MC_INT_H
#define OUTAGESIM_MC_INT_H

#include <stddef.h>

#include "outagesim/mc.h"

/* osim_metric.what: the value a metric holds, per replication and topology. */
enum osim__mc_what {
    OSIM__W_INC_DETECTION = 0,
    OSIM__W_INC_POWER_CUT,
    OSIM__W_INC_RESTORATION_START,
    OSIM__W_SVC_DOWNTIME,
    OSIM__W_SVC_RECOVERED,
    OSIM__W_SVC_HALF_BACK,
    OSIM__W_SVC_USER_H,
    OSIM__W_SVC_DATA_LOST,
    OSIM__W_FULL_RECOVERY,
    OSIM__W_USERS_PEAK,
    OSIM__W_USERS_USER_H,
    OSIM__W_USERS_DISTINCT,
    OSIM__W_SB_AFFECTED,
    OSIM__W_SB_REVENUE,
    OSIM__W_SB_PROFIT,
    OSIM__W_SB_CLAIMANTS,
    OSIM__W_SEG_AFFECTED,
    OSIM__W_SEG_REVENUE,
    OSIM__W_SEG_PROFIT,
    OSIM__W_SEG_CLAIMANTS,
    OSIM__W_DL_GB,
    OSIM__W_DL_SERVICES,
    OSIM__W_OP_REVENUE,
    OSIM__W_COMP_TOTAL,
    OSIM__W_COMP_NOMINAL,
    OSIM__W_COMP_CLAIMANTS,
    OSIM__W_CLS_CLAIMANTS,
    OSIM__W_CLS_AMOUNT,
    OSIM__W_INCIDENT_COST,
    OSIM__W_COMP_SUM, /* compensation_total_krw: the policies counted in economics */
};

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
