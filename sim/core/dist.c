/*
 * dist.c -- sampling, quantiles and moments of scenario distributions.
 *
 * Every random draw is one uniform pushed through the inverse CDF (a FIXED
 * distribution draws nothing: it has nothing to randomise, and consuming no
 * uniform keeps a stream's other draws where they were). That costs a
 * little more than GSL's specialised samplers for some kinds, but it gives
 * each random quantity exactly one uniform from its stream: draws stay
 * aligned when a parameter changes (a sweep over a median moves every
 * replication's draw smoothly instead of reshuffling it), which is what
 * makes differences between designs and sweep points low-noise.
 */
#include "outagesim/dist.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

osim_dist osim_dist_fixed(double v)
{
    osim_dist d = {0};

    d.kind = OSIM_DIST_FIXED;
    d.p[0] = v;
    d.lo = -INFINITY;
    d.hi = INFINITY;
    return d;
}

static double clamp(double x, double lo, double hi)
{
    if (x < lo)
        return lo;
    if (x > hi)
        return hi;
    return x;
}

static double triangular_quantile(double a, double c, double b, double u)
{
    double fc;

    if (b <= a)
        return a;
    fc = (c - a) / (b - a);
    if (u < fc)
        return a + sqrt(u * (b - a) * (c - a));
    return b - sqrt((1.0 - u) * (b - a) * (b - c));
}

static double normal_quantile(const osim_dist *d, double u)
{
    double mu = d->p[0], sd = d->p[1];
    double flo, fhi;

    if (sd <= 0.0)
        return clamp(mu, d->lo, d->hi);
    flo = isinf(d->lo) ? 0.0 : gsl_cdf_ugaussian_P((d->lo - mu) / sd);
    fhi = isinf(d->hi) ? 1.0 : gsl_cdf_ugaussian_P((d->hi - mu) / sd);
    if (fhi <= flo)
        return clamp(mu, d->lo, d->hi);
    return mu + sd * gsl_cdf_ugaussian_Pinv(flo + u * (fhi - flo));
}

static double empirical_quantile(const osim_dist *d, double u)
{
    size_t i;

    if (d->n == 0)
        return 0.0;
    if (u <= d->cum[0])
        return d->value[0];
    for (i = 1; i < d->n; i++) {
        if (u <= d->cum[i]) {
            double w = d->cum[i] - d->cum[i - 1];
            double f = w > 0.0 ? (u - d->cum[i - 1]) / w : 1.0;
            return d->value[i - 1] + f * (d->value[i] - d->value[i - 1]);
        }
    }
    return d->value[d->n - 1];
}

double osim_dist_quantile(const osim_dist *d, double u)
{
    double x;

    /* Keep u inside (0,1) so that unbounded inverse CDFs stay finite. */
    if (u <= 0.0)
        u = 0x1.0p-60;
    if (u >= 1.0)
        u = 1.0 - 0x1.0p-53;
    switch (d->kind) {
    case OSIM_DIST_FIXED: x = d->p[0]; break;
    case OSIM_DIST_UNIFORM: x = d->p[0] + u * (d->p[1] - d->p[0]); break;
    case OSIM_DIST_TRIANGULAR: x = triangular_quantile(d->p[0], d->p[1], d->p[2], u); break;
    case OSIM_DIST_NORMAL: x = normal_quantile(d, u); break;
    case OSIM_DIST_LOGNORMAL: x = exp(d->p[0] + d->p[1] * gsl_cdf_ugaussian_Pinv(u)); break;
    case OSIM_DIST_EXPONENTIAL: x = -d->p[0] * log1p(-u); break;
    case OSIM_DIST_WEIBULL: x = d->p[0] * pow(-log1p(-u), 1.0 / d->p[1]); break;
    case OSIM_DIST_EMPIRICAL: return empirical_quantile(d, u);
    default: x = 0.0; break;
    }
    return clamp(x, d->lo, d->hi);
}

double osim_dist_sample(const osim_dist *d, gsl_rng *r)
{
    if (d->kind == OSIM_DIST_FIXED)
        return clamp(d->p[0], d->lo, d->hi); /* consume nothing: fixed values need no draw */
    return osim_dist_quantile(d, gsl_rng_uniform_pos(r));
}

double osim_dist_mean(const osim_dist *d)
{
    size_t i;
    double m = 0.0;

    switch (d->kind) {
    case OSIM_DIST_FIXED: return d->p[0];
    case OSIM_DIST_UNIFORM: return 0.5 * (d->p[0] + d->p[1]);
    case OSIM_DIST_TRIANGULAR: return (d->p[0] + d->p[1] + d->p[2]) / 3.0;
    case OSIM_DIST_NORMAL: return d->p[0];
    case OSIM_DIST_LOGNORMAL: return exp(d->p[0] + 0.5 * d->p[1] * d->p[1]);
    case OSIM_DIST_EXPONENTIAL: return d->p[0];
    case OSIM_DIST_WEIBULL: return d->p[0] * tgamma(1.0 + 1.0 / d->p[1]);
    case OSIM_DIST_EMPIRICAL:
        if (d->n == 0)
            return 0.0;
        /* Piecewise-linear inverse CDF: the mean is the trapezoid sum. */
        m = d->value[0] * d->cum[0];
        for (i = 1; i < d->n; i++)
            m += 0.5 * (d->value[i] + d->value[i - 1]) * (d->cum[i] - d->cum[i - 1]);
        return m;
    }
    return 0.0;
}

double osim_dist_min(const osim_dist *d)
{
    double m;

    switch (d->kind) {
    case OSIM_DIST_FIXED:
    case OSIM_DIST_UNIFORM:
    case OSIM_DIST_TRIANGULAR: m = d->p[0]; break;
    case OSIM_DIST_NORMAL: m = -INFINITY; break;
    case OSIM_DIST_EMPIRICAL: m = d->n > 0 ? d->value[0] : 0.0; break;
    default:
        m = 0.0; /* lognormal, exponential, weibull: (0, inf) */
        if (d->lo <= 0.0)
            return 0x1p-1074; /* positive, however small */
        break;
    }
    return m > d->lo ? m : d->lo;
}

double osim_dist_cdf(const osim_dist *d, double x)
{
    size_t i;

    switch (d->kind) {
    case OSIM_DIST_FIXED: return x >= d->p[0] ? 1.0 : 0.0;
    case OSIM_DIST_UNIFORM:
        if (d->p[1] <= d->p[0])
            return x >= d->p[0] ? 1.0 : 0.0;
        return clamp((x - d->p[0]) / (d->p[1] - d->p[0]), 0.0, 1.0);
    case OSIM_DIST_TRIANGULAR: {
        double a = d->p[0], c = d->p[1], b = d->p[2];
        if (x <= a)
            return 0.0;
        if (x >= b)
            return 1.0;
        if (x <= c)
            return (x - a) * (x - a) / ((b - a) * (c - a));
        return 1.0 - (b - x) * (b - x) / ((b - a) * (b - c));
    }
    case OSIM_DIST_NORMAL:
        return d->p[1] > 0.0 ? gsl_cdf_gaussian_P(x - d->p[0], d->p[1])
                             : (x >= d->p[0] ? 1.0 : 0.0);
    case OSIM_DIST_LOGNORMAL: return x > 0.0 ? gsl_cdf_lognormal_P(x, d->p[0], d->p[1]) : 0.0;
    case OSIM_DIST_EXPONENTIAL: return x > 0.0 ? gsl_cdf_exponential_P(x, d->p[0]) : 0.0;
    case OSIM_DIST_WEIBULL: return x > 0.0 ? gsl_cdf_weibull_P(x, d->p[0], d->p[1]) : 0.0;
    case OSIM_DIST_EMPIRICAL:
        if (d->n == 0 || x < d->value[0])
            return 0.0;
        for (i = 1; i < d->n; i++) {
            if (x < d->value[i]) {
                double w = d->value[i] - d->value[i - 1];
                double f = w > 0.0 ? (x - d->value[i - 1]) / w : 1.0;
                return d->cum[i - 1] + f * (d->cum[i] - d->cum[i - 1]);
            }
        }
        return 1.0;
    }
    return 0.0;
}

const char *osim_dist_kind_name(osim_dist_kind k)
{
    static const char *const names[] = {"fixed",     "uniform",     "triangular", "normal",
                                        "lognormal", "exponential", "weibull",    "empirical"};

    if ((unsigned)k < sizeof(names) / sizeof(names[0]))
        return names[k];
    return "unknown";
}
