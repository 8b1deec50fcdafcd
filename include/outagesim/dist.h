/*
 * dist.h -- probability distributions as scenario data.
 *
 * A distribution is a small value (no pointers except an empirical table,
 * which the scenario owns). Durations are in hours, money in won, fractions
 * in [0, 1]: the unit is the caller's, the distribution is unit-free.
 *
 * Parameterisation, by kind (p[] are the numbers a scenario gives):
 *   FIXED        p0 = value
 *   UNIFORM      p0 = min, p1 = max
 *   TRIANGULAR   p0 = min, p1 = mode, p2 = max
 *   NORMAL       p0 = mean, p1 = sd; truncated to [lo, hi] by rejection-free
 *                inverse-CDF sampling (lo defaults to 0 for durations)
 *   LOGNORMAL    p0 = mu, p1 = sigma of the underlying normal; a scenario may
 *                give median and p95 instead: mu = ln(median),
 *                sigma = ln(p95/median) / 1.6448536 (the loader converts)
 *   EXPONENTIAL  p0 = mean
 *   WEIBULL      p0 = scale, p1 = shape
 *   EMPIRICAL    table of n (value, cumulative probability) points, sampled
 *                by linear interpolation of the inverse CDF
 * Every kind except EMPIRICAL is also clamped to [lo, hi].
 */
#ifndef OUTAGESIM_DIST_H
#define OUTAGESIM_DIST_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

typedef enum osim_dist_kind {
    OSIM_DIST_FIXED = 0,
    OSIM_DIST_UNIFORM,
    OSIM_DIST_TRIANGULAR,
    OSIM_DIST_NORMAL,
    OSIM_DIST_LOGNORMAL,
    OSIM_DIST_EXPONENTIAL,
    OSIM_DIST_WEIBULL,
    OSIM_DIST_EMPIRICAL,
} osim_dist_kind;

typedef struct osim_dist {
    osim_dist_kind kind;
    double p[3];
    double lo, hi;       /* bounds; -INFINITY / INFINITY when unbounded */
    size_t n;            /* EMPIRICAL: number of points */
    const double *value; /* EMPIRICAL: ascending values (borrowed from the scenario) */
    const double *cum;   /* EMPIRICAL: ascending cumulative probabilities, last = 1 */
} osim_dist;

/* A FIXED distribution at v, unbounded. */
osim_dist osim_dist_fixed(double v);

/* One draw from d using r. Deterministic given r's state. */
double osim_dist_sample(const osim_dist *d, gsl_rng *r);

/* The draw that a uniform u in (0,1) maps to (inverse CDF), for common random numbers. */
double osim_dist_quantile(const osim_dist *d, double u);

/* The mean (of the unclamped distribution; exact for EMPIRICAL). */
double osim_dist_mean(const osim_dist *d);

/* The smallest value d can take, its bounds applied: a positive number
 * however small (2^-1074) for a distribution on (0, inf) with no lower
 * bound above 0, -INFINITY for an unbounded normal. Validation asks
 * "can this ever be 0?" with it (a rate, a scale). */
double osim_dist_min(const osim_dist *d);

/* P(X <= x) (of the unclamped distribution). */
double osim_dist_cdf(const osim_dist *d, double x);

/* The name of a kind as written in scenario files ("lognormal"). */
const char *osim_dist_kind_name(osim_dist_kind k);

#endif
