/*
 * series_int.h -- internal: the layout of an osim_series, shared by
 * series.c (which fills, merges, writes and reads it) and report_plot.c
 * (which turns it into the data files of the figures). Not public API.
 */
#ifndef OUTAGESIM_SERIES_INT_H
#define OUTAGESIM_SERIES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/rows.h"
#include "outagesim/series.h"

#define OSIM__UB (OSIM_SERIES_USER_BINS + 1) /* user bins with bin 0 */
#define OSIM__LB (OSIM_SERIES_LOSS_BINS + 1) /* loss bins with bin 0 */

/* The table of each segment's revenue CDF (series.c, attach). */
#define OSIM__RT_LO (-4.0)
#define OSIM__RT_HI 14.0
#define OSIM__RT_PER_DECADE 100
#define OSIM__RT ((size_t)((OSIM__RT_HI - OSIM__RT_LO) * OSIM__RT_PER_DECADE) + 1)

struct osim_series {
    /* Identity. */
    char *version;
    char *scenario_name;
    char sha256[65];
    uint64_t seed;

    /* Shape. */
    int64_t start_epoch_s; /* ignition, UTC seconds */
    double utc_offset_h;
    char *timezone;
    double horizon_h;
    double step_h;
    size_t steps;
    char **topologies;
    size_t topologies_count;
    char **services;
    size_t services_count;
    double marks_krw[OSIM_SERIES_MAX_MARKS];
    size_t marks_count;

    /* Counts: one row block (rows.h, OSIM_ROWS_COUNTS) holds every counter
     * below in one vector, the range it covers, and a copy of the identity,
     * topologies and shape (time grid, services, marks as notes), so that a
     * series merges by the rule of the rows (osim_rows_add): equal shapes,
     * ranges that tile. The pointers below point into blk->counts.
     * T = topologies_count, K = steps, S = services_count. */
    osim_rows *blk;
    uint64_t *reps;    /* [T] replications counted */
    uint64_t *down;    /* [(t K + k) S + s] */
    uint64_t *out;     /* same layout */
    uint64_t *unavail; /* same layout, units of 2^-20 */
    uint64_t *users;   /* [(t K + k) OSIM__UB + b] */
    uint64_t *loss;    /* [t OSIM__LB + b], units of 2^-10 business */
    uint64_t *below;   /* [t OSIM_SERIES_MAX_MARKS + m], same unit */

    /* Only in a series built from a scenario: what add() computes with. */
    const osim_scenario *sc;
    size_t *topo;     /* [T] scenario topology indices */
    double *served;   /* [K] prod_s (1 - share_s (1 - a_s)) at each grid point */
    double *rev_cdf;  /* [segment * OSIM__RT + i] F_R(10^(OSIM__RT_LO + i / per decade)) */
    double *rev_cdf0; /* [segment] F_R(0) */
    double *rev_lo_x, *rev_hi_x; /* [segment] log10 won/h where the table starts moving / is 1 */
    double w_loss[OSIM__LB];
    uint64_t w_lossq[OSIM__LB];
    double w_marks[OSIM_SERIES_MAX_MARKS];
    uint64_t w_marksq[OSIM_SERIES_MAX_MARKS];
};

/* Lower and upper edge of user bin b >= 1 (users). */
double osim__series_user_lo(size_t b);
double osim__series_user_hi(size_t b);

/* Upper edge of loss bin b >= 1 (won); 0 for b = 0. */
double osim__series_loss_hi(size_t b);

#endif
