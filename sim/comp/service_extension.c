/*
 * comp_service_extension.c -- paid content extended for free: by fixed
 * time (Melon passes +3 days, webtoon rentals +72 h), by a multiple of the
 * lost time (the FTC standard for paid online content: 3x the lost time
 * after an unannounced outage of 4 h in a day), or by a fixed value in
 * points (Kakao T Pro: 7,550 won, "6 days of membership").
 *
 * Invariant: for each item, each of its services and each outage band b
 * of that service (subscribers x share_b people sharing one history):
 *   qualifies  = min_daily_outage_h == 0 or worst_day_h_b >= it
 *   extension  = extend_h + multiple x outage_h_b
 *   value      = value_krw, or monthly_fee x extension / month_h
 *   nominal   += subscribers_b x value                      if qualifies
 * total = nominal x cost_share. Only subscribers who were out count, so
 * zero affected means zero.
 *
 * Trigger: a fixed extension (Melon +3 days) sized for a multi-day outage
 * would otherwise be given in full for 40 minutes. With trigger_outage an
 * item is given only in replications where some subscriber of its own
 * services was out that long in one stretch (osim__comp_services_triggered
 * over the item's services), so Melon's extension does not follow from
 * webtoon's outage. Once given, every subscriber out counts as above
 * (min_daily_outage still applies per band).
 *
 * Classes: one per item, in file order, named by `name` or by its
 * services; claimants = subscriptions extended (a subscriber of two listed
 * services counts twice), and out->claimants is their sum.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "comp/params_int.h"

#define P osim_comp_extension_params
#define E osim_comp_extension

static const osim_field item_fields[] = {
    {.key = "name",
     .type = OSIM_FT_STRING,
     .offset = offsetof(E, name),
     .doc = "claimant class name (default the services' names)"},
    {.key = "services",
     .type = OSIM_FT_REFS,
     .offset = offsetof(E, services),
     .count_offset = offsetof(E, services_count),
     .ref = "services",
     .doc = "services extended (default every paid service)"},
    {.key = "extend",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(E, extend_h),
     .unit = "h",
     .def = "0",
     .doc = "fixed extension"},
    {.key = "multiple",
     .type = OSIM_FT_REAL,
     .offset = offsetof(E, multiple),
     .unit = "x",
     .def = "0",
     .doc = "plus this multiple of the subscriber's outage hours"},
    {.key = "min_daily_outage",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(E, min_daily_outage_h),
     .unit = "h",
     .def = "0",
     .doc = "only subscribers out at least this long within one day (0 = any outage)"},
    {.key = "value",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(E, value_krw),
     .unit = "won",
     .def = "0",
     .doc = "value per subscriber (0 = monthly fee x extension / month)"},
};

static const osim_schema item_schema = {"extension", sizeof(E), item_fields,
                                        sizeof(item_fields) / sizeof(item_fields[0])};

static const osim_field fields[] = {
    {.key = "items",
     .type = OSIM_FT_SEQ,
     .offset = offsetof(P, items),
     .flags = OSIM_F_REQUIRED,
     .sub = &item_schema,
     .count_offset = offsetof(P, items_count),
     .doc = "the extensions, one claimant class each (at most 16)"},
    {.key = "month",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, month_h),
     .unit = "h",
     .def = "720h",
     .doc = "billing month that the monthly fee buys (KT 2021: 720 h)"},
    {.key = "cost_share",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, cost_share),
     .unit = "fraction",
     .def = "1",
     .doc = "cost to the operator per won of face value (1 = forgone subscription revenue)"},
    {.key = "trigger_outage",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, trigger_outage_h),
     .unit = "h",
     .def = "0",
     .doc = "an item is given only if a subscriber of its services was out this long in one "
            "stretch (0 = always)"},
};

static const osim_schema schema = {"service_extension params", sizeof(P), fields,
                                   sizeof(fields) / sizeof(fields[0])};

static int validate(const void *params, osim_bind_ctx *ctx)
{
    const P *p = params;
    size_t k;

    if (p->items_count > OSIM_COMP_MAX_CLASSES)
        return osim_bind_error(ctx, &p->items, OSIM_ERANGE, "items: at most %d items",
                               OSIM_COMP_MAX_CLASSES);
    if (!(p->month_h > 0.0))
        return osim_bind_error(ctx, &p->month_h, OSIM_ERANGE, "month: must be > 0");
    for (k = 0; k < p->items_count; k++) {
        const E *e = &p->items[k];

        if (!(e->multiple >= 0.0))
            return osim_bind_error(ctx, &e->multiple, OSIM_ERANGE,
                                   "items.%zu.multiple: must be >= 0, not %g", k, e->multiple);
        if (e->extend_h == 0.0 && e->multiple == 0.0 && e->value_krw == 0)
            return osim_bind_error(ctx, &e->extend_h, OSIM_ESCHEMA,
                                   "items.%zu: needs extend, multiple or value", k);
    }
    return 0;
}

/* The class name of item e: its name, or its services joined by '+'. */
static void item_name(const E *e, const osim_scenario *sc, char *buf, size_t n)
{
    size_t k, used = 0;

    buf[0] = '\0';
    if (e->name != NULL) {
        snprintf(buf, n, "%s", e->name);
        return;
    }
    if (e->services_count == 0) {
        snprintf(buf, n, "paid services");
        return;
    }
    for (k = 0; k < e->services_count && used + 1 < n; k++) {
        const char *s =
            e->services[k] < sc->services_count ? sc->services[e->services[k]].name : "?";
        int w = snprintf(buf + used, n - used, "%s%s", k > 0 ? "+" : "", s);

        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Classes: one per item, in file order. */
/*
 * Bound: every item to every subscriber of its services, at its value or
 * at the fee for the extension with the whole horizon out (cost share <= 1).
 */
static int declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    const P *p = params;
    char name[OSIM_COMP_NAME_MAX];
    long double bound = 0.0L;
    size_t k, i;
    int rc;

    for (k = 0; k < p->items_count; k++) {
        const E *e = &p->items[k];

        item_name(e, sc, name, sizeof(name));
        if ((rc = osim__comp_declare_class(out, name)) != 0)
            return rc;
        for (i = 0; p->month_h > 0.0 && i < sc->services_count; i++) {
            const osim_service *s = &sc->services[i];
            double value = e->value_krw > 0
                               ? (double)e->value_krw
                               : (double)s->monthly_fee_krw *
                                     (e->extend_h + fabs(e->multiple) * sc->horizon_h) / p->month_h;

            if (osim__comp_service_selected(sc, e->services, e->services_count, i))
                bound += (long double)s->subscribers * value;
        }
    }
    out->max_total_krw = (double)bound;
    return 0;
}

static int eval(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    const P *p = params;
    const osim_scenario *sc;
    long double nominal = 0.0L;
    double claimants = 0.0;
    size_t k, i, b;
    int rc;

    (void)rng;
    if ((rc = osim__comp_check_impact(im)) != 0)
        return rc;
    if (!(p->month_h > 0.0))
        return OSIM_EINVAL;
    sc = im->sc;
    for (k = 0; k < p->items_count; k++) {
        const E *e = &p->items[k];
        char name[OSIM_COMP_NAME_MAX];
        long double face = 0.0L;
        double n = 0.0;
        bool given = osim__comp_services_triggered(im, p->trigger_outage_h, e->services,
                                                   e->services_count, true);

        for (i = 0; given && i < sc->services_count; i++) {
            const osim_service *s = &sc->services[i];
            const osim_service_impact *si = &im->services[i];

            if (!osim__comp_service_selected(sc, e->services, e->services_count, i))
                continue;
            for (b = 0; b < si->bands_count; b++) {
                const osim_band *bd = &si->bands[b];
                double subs = s->subscribers * bd->share, value;

                if (!(bd->outage_h > 0.0) || !(subs > 0.0))
                    continue;
                if (e->min_daily_outage_h > 0.0 &&
                    bd->worst_day_h < e->min_daily_outage_h - OSIM_COMP_EPS_H)
                    continue;
                if (e->value_krw > 0)
                    value = (double)e->value_krw;
                else
                    value = (double)s->monthly_fee_krw *
                            (e->extend_h + e->multiple * bd->outage_h) / p->month_h;
                n += subs;
                face += (long double)subs * value;
            }
        }
        nominal += face;
        claimants += n;
        item_name(e, sc, name, sizeof(name));
        if ((rc = osim__comp_class(out, name, n, (double)(face * p->cost_share))) != 0)
            return rc;
    }
    out->nominal_krw = (double)nominal;
    out->total_krw = (double)(nominal * p->cost_share);
    out->claimants = claimants;
    return 0;
}

const osim_comp_model osim__comp_service_extension = {
    .name = "service_extension",
    .doc = "Paid subscriptions extended for free, by fixed time, by a multiple of the lost "
           "time, or by a fixed value in points; valued at the subscription's price for the "
           "extra time. Basis: the FTC Consumer Dispute Settlement Standard for paid online "
           "content (unannounced outage of 4 h or more in a day: 3x the lost time added) and "
           "Kakao's paid-service compensation of Oct 2022 (Melon +3 days, webtoon +72 h, "
           "Kakao T Pro 7,550 won), made after a 127-hour outage: trigger_outage gives an item "
           "only when its services were out that long in one stretch.",
    .params_schema = &schema,
    .validate = validate,
    .declare = declare,
    .eval = eval,
};
