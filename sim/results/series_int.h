/*
 * series_int.h -- private to sim/results/: what a series built from a
 * scenario computes with (series.c), and the edges of the user bins (for
 * series.c and its tests). The layout others may read is series_layout.h.
 */
#ifndef OUTAGESIM_SERIES_INT_H
#define OUTAGESIM_SERIES_INT_H

#include "results/series_layout.h"

/* The table of each segment's revenue CDF (series.c, attach). */
#define OSIM__RT_LO (-4.0)
#define OSIM__RT_HI 14.0
#define OSIM__RT_PER_DECADE 100
#define OSIM__RT ((size_t)((OSIM__RT_HI - OSIM__RT_LO) * OSIM__RT_PER_DECADE) + 1)

/* What osim_series_add() computes with; allocated with the series' shape
 * when it is built from a scenario (attach). */
struct osim__series_build {
    const osim_scenario *sc;
    size_t *topo;     /* [T] scenario topology indices */
    double *served;   /* [K] prod_s (1 - share_s (1 - a_s)) at each grid point */
    double *rev_cdf;  /* [segment * OSIM__RT + i] F_R(10^(OSIM__RT_LO + i / per decade)) */
    double *rev_cdf0; /* [segment] F_R(0) */
    double *rev_lo_x, *rev_hi_x; /* [segment] log10 won/h where the table starts moving / is 1 */
    /* timeline_apply's sweep of the grid (S services, K steps): */
    size_t *cur;    /* [S] timeline step in force (SIZE_MAX: not reached yet) */
    size_t *nxt;    /* [S] next service in the same bucket (SIZE_MAX ends a bucket) */
    size_t *bucket; /* [K] first service whose step in force changes at that grid step */
    uint64_t *uq;   /* [S] unavailability increment of the step in force */
    double *fac;    /* [S] its factor of served[], 1 - share (1 - a) */
    uint64_t *act;  /* [(S + 63) / 64] services below 1 now */
    uint64_t *zero; /* [(S + 63) / 64] services at 0 now */
    struct osim__populations *pops; /* NULL, or served[] follows `populations:` */
    double w_loss[OSIM__LB];
    uint64_t w_lossq[OSIM__LB];
    double w_marks[OSIM_SERIES_MAX_MARKS];
    uint64_t w_marksq[OSIM_SERIES_MAX_MARKS];
};

/* Lower and upper edge of user bin b >= 1 (users). */
double osim__series_user_lo(size_t b);
double osim__series_user_hi(size_t b);

#endif
