/*
 * common.c -- helpers shared by the compensation models: classes,
 * selections by index, day counting, outage triggers.
 *
 * Invariant: nothing here allocates or reads global state, so models can
 * call these on the hot path from any thread.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "comp/comp_int.h"
#include "core/dist_drawn.h"
#include "outagesim/dist.h"
#include "outagesim/money.h"

const char *const osim__comp_per_names[] = {"business", "user", "subscriber", NULL};
const char *const osim__comp_basis_names[] = {"affected", "all", "claimants", NULL};

/* What snprintf(dst, OSIM_COMP_NAME_MAX, "%s", name) writes, without printf
 * (every evaluation names its classes: this is on the hot path). The one
 * cut of a class name, for evaluations and declarations alike. */
static void copy_name(char *dst, const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;

    if (n > OSIM_COMP_NAME_MAX - 1)
        n = OSIM_COMP_NAME_MAX - 1;
    if (n > 0)
        memcpy(dst, name, n);
    dst[n] = '\0';
}

int osim__comp_class(osim_comp_result *out, const char *name, double claimants, double amount_krw)
{
    osim_comp_class *c;

    if (out->classes_count >= OSIM_COMP_MAX_CLASSES)
        return OSIM_EOVERFLOW;
    c = &out->classes[out->classes_count++];
    copy_name(c->name, name);
    c->claimants = claimants;
    c->amount_krw = amount_krw;
    return 0;
}

int osim__comp_declare_class(osim_comp_shape *out, const char *name)
{
    if (out->classes_count >= OSIM_COMP_MAX_CLASSES)
        return OSIM_EOVERFLOW;
    copy_name(out->classes[out->classes_count++], name);
    return 0;
}

int osim__comp_declare_mark(osim_comp_shape *out, int64_t krw)
{
    if (out->marks_count >= OSIM_COMP_MAX_MARKS)
        return OSIM_EOVERFLOW;
    out->marks_krw[out->marks_count++] = krw;
    return 0;
}

bool osim__comp_selected(const size_t *list, size_t n, size_t i)
{
    size_t k;

    if (n == 0)
        return true;
    for (k = 0; k < n; k++)
        if (list[k] == i)
            return true;
    return false;
}

bool osim__comp_service_selected(const osim_scenario *sc, const size_t *list, size_t n, size_t i)
{
    const osim_service *s = &sc->services[i];

    if (n > 0)
        return osim__comp_selected(list, n, i);
    return s->paid && s->subscribers > 0.0;
}

double osim__comp_days(double h)
{
    if (!(h > OSIM_COMP_EPS_H))
        return 0.0;
    return ceil((h - OSIM_COMP_EPS_H) / 24.0);
}

bool osim__comp_bands_reach(const osim_band *bands, size_t n, double trigger_h)
{
    size_t b;

    if (!(trigger_h > 0.0))
        return true;
    for (b = 0; b < n; b++)
        if (bands[b].longest_h >= trigger_h - OSIM_COMP_EPS_H)
            return true;
    return false;
}

bool osim__comp_triggered(const osim_impact *im, double trigger_h)
{
    return osim__comp_services_triggered(im, trigger_h, NULL, 0, false);
}

bool osim__comp_segments_triggered(const osim_impact *im, double trigger_h, const size_t *list,
                                   size_t n)
{
    size_t g;

    if (!(trigger_h > 0.0))
        return true;
    for (g = 0; g < im->sc->segments_count; g++)
        if (osim__comp_selected(list, n, g) &&
            osim__comp_bands_reach(im->segments[g].bands, im->segments[g].bands_count, trigger_h))
            return true;
    return false;
}

bool osim__comp_services_triggered(const osim_impact *im, double trigger_h, const size_t *list,
                                   size_t n, bool paid_only)
{
    size_t i;

    if (!(trigger_h > 0.0))
        return true;
    for (i = 0; i < im->sc->services_count; i++) {
        bool sel = paid_only ? osim__comp_service_selected(im->sc, list, n, i)
                             : osim__comp_selected(list, n, i);

        if (sel &&
            osim__comp_bands_reach(im->services[i].bands, im->services[i].bands_count, trigger_h))
            return true;
    }
    return false;
}

double osim__comp_bands_share(const osim_band *bands, size_t n)
{
    double s = 0.0;
    size_t b;

    for (b = 0; b < n; b++)
        s += bands[b].share;
    if (s < 0.0)
        return 0.0;
    return s > 1.0 ? 1.0 : s;
}

char *osim__comp_money(char *buf, size_t n, int64_t amount, const osim_scenario *sc)
{
    return osim_money_text(buf, n, (double)amount,
                           sc != NULL ? osim_currency_find(sc->currency) : NULL);
}

int osim__comp_check_impact(const osim_impact *im)
{
    if (im == NULL || im->sc == NULL)
        return OSIM_EINVAL;
    if (im->sc->services_count > 0 && im->services == NULL)
        return OSIM_EINVAL;
    if (im->sc->segments_count > 0 && im->segments == NULL)
        return OSIM_EINVAL;
    return 0;
}

/* The factor of the peak hour x peak weekday over the mean (profiles have
 * mean 1, so it is at least 1): lost hours weighted by the profiles are at
 * most the hours out times it. */
static double profile_peak(const osim_segment *s)
{
    double h = 1.0, w = 1.0;
    size_t i;

    for (i = 0; i < 24; i++)
        if (s->hourly_profile[i] > h)
            h = s->hourly_profile[i];
    for (i = 0; i < 7; i++)
        if (s->weekly_profile[i] > w)
            w = s->weekly_profile[i];
    return h * w;
}

double osim__comp_business_loss_max_krw(const osim_scenario *sc, size_t g)
{
    const osim_segment *s = &sc->segments[g];
    const osim_dist *d = &s->hourly_revenue_krw;
    double top = isfinite(d->hi) ? d->hi : osim_dist_quantile(d, 1.0);

    if (isnan(top) || !(top < INFINITY))
        return INFINITY;
    if (top < 0.0)
        top = 0.0;
    return top * sc->horizon_h * profile_peak(s);
}

double osim__comp_segment_profit_max_krw(const osim_scenario *sc, size_t g)
{
    const osim_segment *s = &sc->segments[g];
    /* The mean the impact model multiplies by (clamps included). */
    double mean = osim__dist_drawn_mean(&s->hourly_revenue_krw);
    double margin = s->margin > 0.0 ? s->margin : 0.0;

    if (!(mean > 0.0) || !(s->count > 0.0))
        return 0.0;
    return s->count * mean * sc->horizon_h * profile_peak(s) * margin;
}
