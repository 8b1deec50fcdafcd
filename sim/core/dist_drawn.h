/*
 * dist_drawn.h -- core's interface for the modules above it: the moments of
 * what osim_dist_sample() returns (dist_drawn.c). Included by model
 * (impact.c, segment_loss.c: business losses priced in closed form) and
 * results (series.c: the revenue tables of the loss figures), which must
 * describe the same random variable the draws do. Not public API: the
 * clamping it describes is an implementation detail of osim_dist_sample().
 */
#ifndef OUTAGESIM_DIST_DRAWN_H
#define OUTAGESIM_DIST_DRAWN_H

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
