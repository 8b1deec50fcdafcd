/*
 * series_layout.h -- the results module's interface for report/figures.c,
 * which turns a series into the data files of the figures: the layout of
 * an osim_series (identity, time grid, counters) and the edges of its loss
 * bins. Read only: a series is filled, merged, written and read by
 * series.c alone. What add() computes with is private (series_int.h).
 * Not public API: the counters' layout is the format of the series .dat files.
 */
#ifndef OUTAGESIM_SERIES_LAYOUT_H
#define OUTAGESIM_SERIES_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/rows.h"
#include "outagesim/series.h"

#define OSIM__UB (OSIM_SERIES_USER_BINS + 1)   /* user bins with bin 0 */
#define OSIM__LB (OSIM_SERIES_LOSS_BINS + 1)   /* loss bins with bin 0 */
#define OSIM__SB (OSIM_SERIES_SYSTEM_BINS + 1) /* systems bins with the "all back" bin */

struct osim__series_build;

struct osim_series {
    /* Identity. */
    char *version;
    char *scenario_name;
    char sha256[65];
    uint64_t seed;
    char currency[4]; /* ISO 4217 code of the loss marks (money.h) */

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
    uint64_t *reps;     /* [T] replications counted */
    uint64_t *down;     /* [(t K + k) S + s] */
    uint64_t *out;      /* same layout */
    uint64_t *unavail;  /* same layout, units of 2^-20 */
    uint64_t *users;    /* [(t K + k) OSIM__UB + b] */
    uint64_t *loss;     /* [t OSIM__LB + b], units of 2^-10 business */
    uint64_t *below;    /* [t OSIM_SERIES_MAX_MARKS + m], same unit */
    uint64_t *sys_back; /* [t K + k] sum of the share of systems back, units of 2^-20 */
    uint64_t *sys_hist; /* [(t K + k) OSIM__SB + b] replications by share of systems back */

    /* Only in a series built from a scenario (osim_series_new,
     * osim_series_new_like), else NULL: what add() computes with, private
     * to series.c (series_int.h). */
    struct osim__series_build *b;
};

/* Upper edge of loss bin b >= 1 (won); 0 for b = 0. */
double osim__series_loss_hi(size_t b);

#endif
