/*
 * dist_drawn.c -- the CDF and partial expectations of what osim_dist_sample()
 * actually returns, in closed form.
 *
 * Invariant: every function here describes the draw, not the textbook
 * distribution it is named after. osim_dist_sample() pushes one uniform
 * through osim_dist_quantile(), which clamps most kinds to [lo, hi] (so a
 * bound carries an atom of probability: everything the unclamped law puts
 * beyond it), truncates NORMAL to [lo, hi] (renormalised, no atoms) and
 * returns EMPIRICAL values as they are. The impact model prices business
 * losses from these moments while a brute-force check draws with
 * osim_dist_sample(): both must describe the same random variable.
 *
 * Why closed forms rather than quadrature over the inverse CDF: every kind
 * has one (the lognormal's is the classic e^{mu+sigma^2/2} Phi(...); the
 * Weibull's is an incomplete gamma function), they cost O(1), need no
 * workspace (so callers on the hot path never allocate) and have no
 * discretisation error at heavy tails, where quadrature on u -> 1 is
 * weakest and where the largest losses live.
 *
 * For a continuous kind with unclamped CDF F and partial mean
 * P(x) = E[X ; X <= x], the clamped draw Y = min(max(X, lo), hi) has
 *   E[Y ; a < Y <= b] = lo F(lo) [a < lo <= b] + hi (1 - F(hi)) [a < hi <= b]
 *                       + P(min(b, hi)) - P(max(a, lo))   (when positive).
 */
#include "core/dist_drawn.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdbool.h>

static double clampd(double x, double lo, double hi)
{
    if (x < lo)
        return lo;
    if (x > hi)
        return hi;
    return x;
}

/*
 * A kind whose draw is a single value (FIXED, or a degenerate parameter
 * set): store it in *c and return true. Mirrors osim_dist_quantile().
 */
static bool point_mass(const osim_dist *d, double *c)
{
    switch (d->kind) {
    case OSIM_DIST_FIXED: *c = clampd(d->p[0], d->lo, d->hi); return true;
    case OSIM_DIST_UNIFORM:
        if (d->p[1] > d->p[0])
            return false;
        *c = clampd(d->p[0], d->lo, d->hi);
        return true;
    case OSIM_DIST_TRIANGULAR:
        if (d->p[2] > d->p[0])
            return false;
        *c = clampd(d->p[0], d->lo, d->hi);
        return true;
    case OSIM_DIST_NORMAL: {
        double flo, fhi;
        if (d->p[1] <= 0.0) {
            *c = clampd(d->p[0], d->lo, d->hi);
            return true;
        }
        flo = isinf(d->lo) ? 0.0 : gsl_cdf_ugaussian_P((d->lo - d->p[0]) / d->p[1]);
        fhi = isinf(d->hi) ? 1.0 : gsl_cdf_ugaussian_P((d->hi - d->p[0]) / d->p[1]);
        if (fhi > flo)
            return false;
        *c = clampd(d->p[0], d->lo, d->hi);
        return true;
    }
    case OSIM_DIST_LOGNORMAL:
        if (d->p[1] > 0.0)
            return false;
        *c = clampd(exp(d->p[0]), d->lo, d->hi);
        return true;
    case OSIM_DIST_EXPONENTIAL:
        if (d->p[0] > 0.0)
            return false;
        *c = clampd(0.0, d->lo, d->hi);
        return true;
    case OSIM_DIST_WEIBULL:
        if (d->p[0] > 0.0 && d->p[1] > 0.0)
            return false;
        *c = clampd(0.0, d->lo, d->hi);
        return true;
    case OSIM_DIST_EMPIRICAL:
        if (d->n > 0)
            return false;
        *c = 0.0; /* osim_dist_quantile() returns 0 for an empty table */
        return true;
    }
    *c = 0.0;
    return true;
}

/* Unclamped CDF of a continuous kind (UNIFORM..WEIBULL except NORMAL). */
static double raw_cdf(const osim_dist *d, double x)
{
    if (x == INFINITY)
        return 1.0;
    if (x == -INFINITY)
        return 0.0;
    return osim_dist_cdf(d, x);
}

/* E[X ; X <= x] of the unclamped continuous kinds (not NORMAL, not EMPIRICAL). */
static double raw_partial_le(const osim_dist *d, double x)
{
    if (x == -INFINITY)
        return 0.0;
    if (x == INFINITY)
        return osim_dist_mean(d);
    switch (d->kind) {
    case OSIM_DIST_UNIFORM: {
        double p = d->p[0], q = d->p[1];
        if (x <= p)
            return 0.0;
        if (x >= q)
            return 0.5 * (p + q);
        return (x - p) * (x + p) / (2.0 * (q - p));
    }
    case OSIM_DIST_TRIANGULAR: {
        /* Shifted to the nearer end so that large values with a small spread
         * lose no precision to cancellation. */
        double a = d->p[0], c = d->p[1], b = d->p[2];
        if (x <= a)
            return 0.0;
        if (x >= b)
            return (a + b + c) / 3.0;
        if (x <= c) {
            double y = x - a, k = (b - a) * (c - a);
            return a * (y * y / k) + 2.0 * y * y * y / (3.0 * k);
        } else {
            double w = b - x, k = (b - a) * (b - c);
            double above = b * (w * w / k) - 2.0 * w * w * w / (3.0 * k);
            return (a + b + c) / 3.0 - above;
        }
    }
    case OSIM_DIST_LOGNORMAL: {
        double mu = d->p[0], s = d->p[1];
        if (x <= 0.0)
            return 0.0;
        return exp(mu + 0.5 * s * s) * gsl_cdf_ugaussian_P((log(x) - mu - s * s) / s);
    }
    case OSIM_DIST_EXPONENTIAL: {
        double m = d->p[0];
        if (x <= 0.0)
            return 0.0;
        return -m * expm1(-x / m) - x * exp(-x / m);
    }
    case OSIM_DIST_WEIBULL: {
        double lam = d->p[0], k = d->p[1];
        gsl_sf_result r;
        if (x <= 0.0)
            return 0.0;
        if (gsl_sf_gamma_inc_P_e(1.0 + 1.0 / k, pow(x / lam, k), &r) != 0)
            return NAN;
        return lam * tgamma(1.0 + 1.0 / k) * r.val;
    }
    default: return NAN;
    }
}

/* EMPIRICAL: an atom of mass cum[0] at value[0], then uniform pieces. */
static double empirical_partial_le(const osim_dist *d, double x)
{
    double s = 0.0;
    size_t i;

    if (x >= d->value[0])
        s += d->value[0] * d->cum[0];
    for (i = 1; i < d->n; i++) {
        double p = d->value[i - 1], q = d->value[i], w = d->cum[i] - d->cum[i - 1];
        if (w <= 0.0 || x < p)
            continue;
        if (q <= p) {
            s += w * p;
        } else if (x > p) {
            double y = x < q ? x : q;
            s += w * (y - p) * (y + p) / (2.0 * (q - p));
        }
    }
    return s;
}

/* NORMAL truncated to [lo, hi]: its normalising mass and E[X ; X <= x] unnormalised. */
static double normal_mass(const osim_dist *d, double *flo)
{
    double fhi;

    *flo = isinf(d->lo) ? 0.0 : gsl_cdf_ugaussian_P((d->lo - d->p[0]) / d->p[1]);
    fhi = isinf(d->hi) ? 1.0 : gsl_cdf_ugaussian_P((d->hi - d->p[0]) / d->p[1]);
    return fhi - *flo;
}

static double normal_partial_le(double mu, double sd, double x)
{
    double z;

    if (x == -INFINITY)
        return 0.0;
    if (x == INFINITY)
        return mu;
    z = (x - mu) / sd;
    return mu * gsl_cdf_ugaussian_P(z) - sd * gsl_ran_ugaussian_pdf(z);
}

double osim__dist_drawn_cdf(const osim_dist *d, double x)
{
    double c, flo, mass;

    if (isnan(x))
        return NAN;
    if (point_mass(d, &c))
        return x >= c ? 1.0 : 0.0;
    switch (d->kind) {
    case OSIM_DIST_EMPIRICAL: return raw_cdf(d, x);
    case OSIM_DIST_NORMAL:
        if (x < d->lo)
            return 0.0;
        if (x >= d->hi)
            return 1.0;
        mass = normal_mass(d, &flo);
        return clampd((gsl_cdf_ugaussian_P((x - d->p[0]) / d->p[1]) - flo) / mass, 0.0, 1.0);
    default:
        if (x < d->lo)
            return 0.0;
        if (x >= d->hi)
            return 1.0;
        return raw_cdf(d, x);
    }
}

double osim__dist_drawn_partial(const osim_dist *d, double a, double b)
{
    double c, s, lo, hi, flo, mass;

    if (isnan(a) || isnan(b))
        return NAN;
    if (!(b > a))
        return 0.0;
    if (point_mass(d, &c))
        return (a < c && c <= b) ? c : 0.0;
    if (d->kind == OSIM_DIST_EMPIRICAL)
        return empirical_partial_le(d, b) - empirical_partial_le(d, a);
    lo = a > d->lo ? a : d->lo;
    hi = b < d->hi ? b : d->hi;
    if (d->kind == OSIM_DIST_NORMAL) {
        if (!(hi > lo))
            return 0.0;
        mass = normal_mass(d, &flo);
        return (normal_partial_le(d->p[0], d->p[1], hi) - normal_partial_le(d->p[0], d->p[1], lo)) /
               mass;
    }
    s = 0.0;
    if (isfinite(d->lo) && a < d->lo && d->lo <= b)
        s += d->lo * raw_cdf(d, d->lo);
    if (isfinite(d->hi) && a < d->hi && d->hi <= b)
        s += d->hi * (1.0 - raw_cdf(d, d->hi));
    if (hi > lo)
        s += raw_partial_le(d, hi) - raw_partial_le(d, lo);
    return s;
}

double osim__dist_drawn_mean(const osim_dist *d)
{
    return osim__dist_drawn_partial(d, -INFINITY, INFINITY);
}
