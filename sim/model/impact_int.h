/*
 * impact_int.h -- internal helpers of the impact module, shared between its
 * files and its tests. Not part of the public API.
 */
#ifndef OUTAGESIM_IMPACT_INT_H
#define OUTAGESIM_IMPACT_INT_H

#include "outagesim/dist.h"

/*
 * Moments of the value osim_dist_sample() returns (clamped to [lo, hi] for
 * most kinds, truncated for NORMAL, as drawn for EMPIRICAL), in closed form.
 *
 * osim__dist_drawn_cdf:     P(X <= x).
 * osim__dist_drawn_partial: E[X ; a < X <= b]; 0 when b <= a. a may be
 *                           -INFINITY and b INFINITY.
 * osim__dist_drawn_mean:    E[X].
 */
double osim__dist_drawn_cdf(const osim_dist *d, double x);
double osim__dist_drawn_partial(const osim_dist *d, double a, double b);
double osim__dist_drawn_mean(const osim_dist *d);

#endif
