/*
 * comp_sla_credit.c -- cloud service credits: monthly availability tiers,
 * each earning a share of the monthly charge (AWS region-level SLA: below
 * 99.99% 10%, below 99% 30%, below 95% 100%), capped at 100%.
 *
 * Invariant: availability is counted per outage band over one billing
 * month of month_h hours:
 *   availability_b = max(0, 1 - outage_h_b / month_h)
 *   credit_b       = credit of the last (lowest) tier with
 *                    availability_b < below - OSIM_COMP_EPS_AVAIL, or 0
 *   amount        += credit_b x monthly_fee x subscribers x share_b
 * Tiers descend in `below` and credits do not decrease, so the last tier
 * met is the largest credit; credits are fractions, so the cap of 100% of
 * the monthly charge holds by construction. An availability exactly at a
 * threshold meets the SLO (AWS: "less than"). An outage longer than a
 * month is counted against one month, not spread over two bills.
 * nominal = every eligible customer claims; total = nominal x claim_rate.
 *
 * Classes: one per tier, "availability < 99.99%", in file order;
 * claimants = subscribers x claim_rate whose availability fell in it.
 */
#include <math.h>
#include <stdio.h>

#include "comp/params_int.h"

#define P osim_comp_sla_params
#define T osim_comp_sla_tier

static const osim_field tier_fields[] = {
    {.key = "below",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(T, below),
     .flags = OSIM_F_REQUIRED,
     .unit = "fraction",
     .doc = "monthly availability strictly below this (\"99.99%\") ..."},
    {.key = "credit",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(T, credit),
     .flags = OSIM_F_REQUIRED,
     .unit = "fraction",
     .doc = "... earns this share of the monthly charge (\"10%\")"},
};

static const osim_schema tier_schema = {"SLA tier", sizeof(T), tier_fields,
                                        sizeof(tier_fields) / sizeof(tier_fields[0])};

static const osim_field fields[] = {
    {.key = "services",
     .type = OSIM_FT_REFS,
     .offset = offsetof(P, services),
     .count_offset = offsetof(P, services_count),
     .ref = "services",
     .doc = "services covered (default every paid service)"},
    {.key = "tiers",
     .type = OSIM_FT_SEQ,
     .offset = offsetof(P, tiers),
     .flags = OSIM_F_REQUIRED,
     .sub = &tier_schema,
     .count_offset = offsetof(P, tiers_count),
     .doc = "descending `below`, non-decreasing `credit` (at most 16)"},
    {.key = "month",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, month_h),
     .unit = "h",
     .def = "720h",
     .doc = "the billing month availability is measured over"},
    {.key = "claim_rate",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, claim_rate),
     .unit = "fraction",
     .def = "1",
     .doc = "share of eligible customers who claim (AWS: by the end of the 2nd billing cycle)"},
};

static const osim_schema schema = {"sla_credit params", sizeof(P), fields,
                                   sizeof(fields) / sizeof(fields[0])};

static int validate(const void *params, osim_bind_ctx *ctx)
{
    const P *p = params;
    size_t k;

    if (p->tiers_count > OSIM_COMP_MAX_CLASSES)
        return osim_bind_error(ctx, &p->tiers, OSIM_ERANGE, "tiers: at most %d tiers",
                               OSIM_COMP_MAX_CLASSES);
    if (!(p->month_h > 0.0))
        return osim_bind_error(ctx, &p->month_h, OSIM_ERANGE, "month: must be > 0");
    for (k = 1; k < p->tiers_count; k++) {
        const T *a = &p->tiers[k - 1], *t = &p->tiers[k];

        if (!(t->below < a->below))
            return osim_bind_error(ctx, &t->below, OSIM_ERANGE,
                                   "tiers.%zu.below: %g%% is not under the previous tier's "
                                   "%g%%: tiers must descend",
                                   k, t->below * 100.0, a->below * 100.0);
        if (t->credit < a->credit)
            return osim_bind_error(ctx, &t->credit, OSIM_ERANGE,
                                   "tiers.%zu.credit: %g%% is under the previous tier's %g%%: "
                                   "a lower availability must not earn less",
                                   k, t->credit * 100.0, a->credit * 100.0);
    }
    return 0;
}

/* The name of tier k's class: "availability < 99.99%". */
static void tier_name(const P *p, size_t k, char *buf, size_t n)
{
    snprintf(buf, n, "availability < %.10g%%", p->tiers[k].below * 100.0);
}

/* Classes: one per tier, in file order. */
static int declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    const P *p = params;
    char name[OSIM_COMP_NAME_MAX];
    long double bound = 0.0L;
    double credit = 0.0;
    size_t k;
    int rc;

    if (p->tiers_count > OSIM_COMP_MAX_CLASSES)
        return OSIM_EINVAL;
    for (k = 0; k < p->tiers_count; k++) {
        tier_name(p, k, name, sizeof(name));
        if ((rc = osim__comp_declare_class(out, name)) != 0)
            return rc;
        if (p->tiers[k].credit > credit)
            credit = p->tiers[k].credit;
    }
    /* Bound: every subscriber of a covered service in the dearest tier. */
    for (k = 0; k < sc->services_count; k++)
        if (osim__comp_service_selected(sc, p->services, p->services_count, k))
            bound += (long double)credit * (double)sc->services[k].monthly_fee_krw *
                     sc->services[k].subscribers;
    out->max_total_krw = (double)bound;
    return 0;
}

static int eval(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    const P *p = params;
    const osim_scenario *sc;
    double count[OSIM_COMP_MAX_CLASSES] = {0};
    long double amount[OSIM_COMP_MAX_CLASSES] = {0};
    long double nominal = 0.0L;
    double claimants = 0.0;
    size_t i, b, k;
    int rc;

    (void)rng;
    if ((rc = osim__comp_check_impact(im)) != 0)
        return rc;
    if (!(p->month_h > 0.0) || p->tiers_count > OSIM_COMP_MAX_CLASSES)
        return OSIM_EINVAL;
    sc = im->sc;
    for (i = 0; i < sc->services_count; i++) {
        const osim_service *s = &sc->services[i];
        const osim_service_impact *si = &im->services[i];

        if (!osim__comp_service_selected(sc, p->services, p->services_count, i))
            continue;
        for (b = 0; b < si->bands_count; b++) {
            const osim_band *bd = &si->bands[b];
            double subs = s->subscribers * bd->share;
            double avail = 1.0 - bd->outage_h / p->month_h;
            size_t tier = p->tiers_count;
            long double a;

            if (!(subs > 0.0))
                continue;
            if (avail < 0.0)
                avail = 0.0;
            for (k = 0; k < p->tiers_count; k++)
                if (avail < p->tiers[k].below - OSIM_COMP_EPS_AVAIL)
                    tier = k;
            if (tier == p->tiers_count)
                continue;
            a = (long double)p->tiers[tier].credit * (double)s->monthly_fee_krw * subs;
            nominal += a;
            amount[tier] += a * p->claim_rate;
            count[tier] += subs * p->claim_rate;
            claimants += subs * p->claim_rate;
        }
    }
    for (k = 0; k < p->tiers_count; k++) {
        char name[OSIM_COMP_NAME_MAX];

        tier_name(p, k, name, sizeof(name));
        if ((rc = osim__comp_class(out, name, count[k], (double)amount[k])) != 0)
            return rc;
    }
    out->nominal_krw = (double)nominal;
    out->total_krw = (double)(nominal * p->claim_rate);
    out->claimants = claimants;
    return 0;
}

const osim_comp_model osim__comp_sla_credit = {
    .name = "sla_credit",
    .doc = "Cloud SLA service credits: the monthly availability of each customer (outage "
           "hours against a 720 h month) falls into a tier that earns a share of the monthly "
           "charge, capped at 100%; credits go against future bills and are the sole remedy. "
           "Basis: the provider's SLA, e.g. AWS Compute region-level (2022-05-05): below "
           "99.99% 10%, below 99% 30%, below 95% 100%.",
    .params_schema = &schema,
    .validate = validate,
    .declare = declare,
    .eval = eval,
};
