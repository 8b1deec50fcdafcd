/*
 * segment_loss.c -- the distribution of one business's loss across a
 * segment's affected businesses.
 *
 * Invariant: a business in band b with mean hourly revenue R loses
 * L = R * lost_h_b, R drawn from the segment's hourly_revenue_krw as
 * osim_dist_sample() would draw it, independently of the band. So L is a
 * mixture over bands (weights = band shares, which sum to 1 over affected
 * businesses) of R scaled by lost_h_b:
 *
 *   P(L <= x)            = sum_b share_b F_R(x / lost_h_b)
 *   E[L ; lo < L <= hi]  = sum_b share_b lost_h_b E[R ; lo/lost_h_b < R <= hi/lost_h_b]
 *
 * A band with lost_h_b = 0 (its outage fell entirely in hours the profile
 * gives no revenue, or every sale moved elsewhere) loses exactly 0. Both
 * functions cost O(bands), never O(businesses); neither allocates, so
 * compensation models may call them on the hot path.
 */
#include "outagesim/impact.h"

#include <math.h>

#include "core/dist_drawn.h"

double osim_segment_loss_cdf(const osim_segment_impact *si, double x_krw)
{
    double s = 0.0;
    size_t b;

    if (isnan(x_krw))
        return NAN;
    if (si == NULL || si->seg == NULL || si->bands_count == 0)
        return x_krw >= 0.0 ? 1.0 : 0.0; /* nobody affected: every loss is 0 */
    for (b = 0; b < si->bands_count; b++) {
        const osim_band *bd = &si->bands[b];
        double g;
        if (bd->lost_h > 0.0)
            g = osim__dist_drawn_cdf(&si->seg->hourly_revenue_krw, x_krw / bd->lost_h);
        else
            g = x_krw >= 0.0 ? 1.0 : 0.0;
        s += bd->share * g;
    }
    /* Shares sum to 1 up to rounding; keep the result a probability. */
    if (s < 0.0)
        return 0.0;
    if (s > 1.0)
        return 1.0;
    return s;
}

double osim_segment_loss_partial(const osim_segment_impact *si, double lo_krw, double hi_krw)
{
    double s = 0.0;
    size_t b;

    if (isnan(lo_krw) || isnan(hi_krw))
        return NAN;
    if (si == NULL || si->seg == NULL || !(hi_krw > lo_krw))
        return 0.0;
    for (b = 0; b < si->bands_count; b++) {
        const osim_band *bd = &si->bands[b];
        if (!(bd->lost_h > 0.0))
            continue;
        s += bd->share * bd->lost_h *
             osim__dist_drawn_partial(&si->seg->hourly_revenue_krw, lo_krw / bd->lost_h,
                                      hi_krw / bd->lost_h);
    }
    return s;
}
