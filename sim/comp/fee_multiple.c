/*
 * comp_fee_multiple.c -- Korean carrier terms and the Fair Trade
 * Commission's dispute-settlement standard: for an outage of at least T
 * continuous hours, M times the hourly fee for the outage time, on claim;
 * plus (since July 2022) an automatic pro-rata refund.
 *
 * Invariant: subscribers are counted per outage band, never one by one.
 * For each selected service and each band b (subscribers x share_b people
 * sharing one outage history):
 *   hourly     = monthly_fee / month_h                (720 h: KT 2021)
 *   entitled   = gross_negligence, or longest_h_b >= min_outage_h, or
 *                (min_monthly_outage_h > 0 and outage_h_b >= it)
 *   multiple   = M x hourly x outage_h_b x subscribers_b     if entitled
 *   refund     = hourly x outage_h_b x subscribers_b         if pro_rata_refund
 * nominal = Σ multiple + Σ refund (every entitled subscriber claims);
 * total   = Σ multiple x claim_rate + Σ refund (the refund needs no claim).
 * Thresholds compare with a tolerance of OSIM_COMP_EPS_H, so an outage of
 * exactly T hours counts.
 *
 * Classes: "fee multiple (on claim)" (claimants = entitled subscribers x
 * claim_rate) and, when enabled, "pro-rata refund (automatic)" (every
 * subscriber out at all). A claimant also gets the refund, so
 * out->claimants is the refund's count when the refund is on, else the
 * multiple's.
 */
#include <math.h>

#include "comp/params_int.h"

#define P osim_comp_fee_multiple_params

static const osim_field fields[] = {
    {.key = "services",
     .type = OSIM_FT_REFS,
     .offset = offsetof(P, services),
     .count_offset = offsetof(P, services_count),
     .ref = "services",
     .doc = "paid services covered (default every paid service)"},
    {.key = "min_outage",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, min_outage_h),
     .unit = "h",
     .def = "2h",
     .doc = "continuous outage that triggers the multiple (KCC 2022: 2 h; before: 3 h)"},
    {.key = "min_monthly_outage",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, min_monthly_outage_h),
     .unit = "h",
     .def = "0",
     .doc = "or this much cumulative outage in the month (before 2022: 6 h; 0 = no such rule)"},
    {.key = "multiple",
     .type = OSIM_FT_REAL,
     .offset = offsetof(P, multiple),
     .unit = "x",
     .def = "10",
     .doc = "times the hourly fee for the outage hours (KCC 2022: 10)"},
    {.key = "gross_negligence",
     .type = OSIM_FT_BOOL,
     .offset = offsetof(P, gross_negligence),
     .def = "false",
     .doc = "intent or gross negligence: any duration counts (since 2023-03)"},
    {.key = "claim_rate",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, claim_rate),
     .unit = "fraction",
     .def = "1",
     .doc = "share of entitled subscribers who claim"},
    {.key = "pro_rata_refund",
     .type = OSIM_FT_BOOL,
     .offset = offsetof(P, pro_rata_refund),
     .def = "true",
     .doc = "automatic refund of the fee for the outage hours (since 2022-07)"},
    {.key = "month",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, month_h),
     .unit = "h",
     .def = "720h",
     .doc = "billing month: hourly fee = monthly fee / month (KT 2021: 720 h)"},
};

static const osim_schema schema = {"fee_multiple params", sizeof(P), fields,
                                   sizeof(fields) / sizeof(fields[0])};

static int validate(const void *params, osim_bind_ctx *ctx)
{
    const P *p = params;

    if (!(p->multiple >= 0.0))
        return osim_bind_error(ctx, &p->multiple, OSIM_ERANGE, "multiple: must be >= 0, not %g",
                               p->multiple);
    if (!(p->month_h > 0.0))
        return osim_bind_error(ctx, &p->month_h, OSIM_ERANGE, "month: must be > 0");
    return 0;
}

static bool entitled(const P *p, const osim_band *b)
{
    if (p->gross_negligence)
        return true;
    if (b->longest_h >= p->min_outage_h - OSIM_COMP_EPS_H)
        return true;
    return p->min_monthly_outage_h > 0.0 &&
           b->outage_h >= p->min_monthly_outage_h - OSIM_COMP_EPS_H;
}

static const char class_multiple[] = "fee multiple (on claim)";
static const char class_refund[] = "pro-rata refund (automatic)";

/*
 * Classes: the multiple, and the refund when it is on. Bound: every
 * subscriber of a covered service out the whole horizon, all entitled and
 * all claiming: subscribers x hourly fee x horizon x (multiple + refund).
 */
static int declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    const P *p = params;
    double per_h = fabs(p->multiple) + (p->pro_rata_refund ? 1.0 : 0.0);
    long double bound = 0.0L;
    size_t i;
    int rc;

    for (i = 0; p->month_h > 0.0 && i < sc->services_count; i++)
        if (osim__comp_service_selected(sc, p->services, p->services_count, i))
            bound += (long double)sc->services[i].subscribers *
                     ((double)sc->services[i].monthly_fee_krw / p->month_h) * sc->horizon_h * per_h;
    out->max_total_krw = (double)bound;
    if ((rc = osim__comp_declare_class(out, class_multiple)) != 0 || !p->pro_rata_refund)
        return rc;
    return osim__comp_declare_class(out, class_refund);
}

static int eval(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    const P *p = params;
    const osim_scenario *sc;
    long double mult = 0.0L, refund = 0.0L;
    double mult_n = 0.0, refund_n = 0.0;
    size_t i, b;
    int rc;

    (void)rng;
    if ((rc = osim__comp_check_impact(im)) != 0)
        return rc;
    if (!(p->month_h > 0.0))
        return OSIM_EINVAL;
    sc = im->sc;
    for (i = 0; i < sc->services_count; i++) {
        const osim_service *s = &sc->services[i];
        const osim_service_impact *si = &im->services[i];
        double hourly = (double)s->monthly_fee_krw / p->month_h;

        if (!osim__comp_service_selected(sc, p->services, p->services_count, i))
            continue;
        for (b = 0; b < si->bands_count; b++) {
            const osim_band *bd = &si->bands[b];
            double subs = s->subscribers * bd->share;

            if (!(bd->outage_h > 0.0) || !(subs > 0.0))
                continue;
            refund_n += subs;
            refund += (long double)hourly * bd->outage_h * subs;
            if (entitled(p, bd)) {
                mult_n += subs;
                mult += (long double)p->multiple * hourly * bd->outage_h * subs;
            }
        }
    }
    if (!p->pro_rata_refund) {
        refund = 0.0L;
        refund_n = 0.0;
    }
    out->nominal_krw = (double)(mult + refund);
    out->total_krw = (double)(mult * p->claim_rate + refund);
    out->claimants = p->pro_rata_refund ? refund_n : mult_n * p->claim_rate;
    if ((rc = osim__comp_class(out, class_multiple, mult_n * p->claim_rate,
                               (double)(mult * p->claim_rate))) != 0)
        return rc;
    if (p->pro_rata_refund)
        rc = osim__comp_class(out, class_refund, refund_n, (double)refund);
    return rc;
}

const osim_comp_model osim__comp_fee_multiple = {
    .name = "fee_multiple",
    .doc = "Korean carrier terms and the FTC Consumer Dispute Settlement Standard: an outage "
           "of at least T continuous hours earns M x the hourly fee (monthly fee / 720) for "
           "the outage time, on claim; since July 2022 T = 2 h and M = 10 (before: 3 h, 6x "
           "broadband / 8x mobile), with gross negligence any duration counts (since March "
           "2023), and the fee for the outage time is refunded automatically (KCC release "
           "2022-06-24; etnews; newdaily).",
    .params_schema = &schema,
    .validate = validate,
    .declare = declare,
    .eval = eval,
};
