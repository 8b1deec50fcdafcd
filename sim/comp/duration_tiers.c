/*
 * comp_duration_tiers.c -- amounts by outage length in whole days (KT's
 * Ahyeon fire of 2018, merchants: 1-2 days 400,000 won, 3-4 days 800,000,
 * 5-6 days 1,000,000, 7 days or more 1,200,000; users: one month's fee).
 *
 * Invariant: days are counted as started days, days = ceil(hours / 24)
 * (with OSIM_COMP_EPS_H of tolerance), so 24 h is 1 day, 24.01 h is 2 and
 * 48 h is 2. For each recipient group and each outage band b
 * (count x share_b recipients sharing one history), the tier paid is the
 * last one with min_days <= days_b, and one recipient gets
 *   amount + fee_months x monthly_fee          (fee_months: subscribers only)
 * Hours are the band's cumulative outage (measure: cumulative) or its
 * longest continuous outage (measure: continuous). Recipients:
 *   business    segment.affected (basis affected) or segment.claimants
 *               (basis claimants: the impact's sampled claimants), spread
 *               over the segment's bands like the affected
 *   subscriber  subscribers x share_b of each selected service
 *   user        users out x share_b of each listed service (services required)
 * nominal = every recipient claims; total = nominal x claim_rate.
 *
 * Trigger: ceil makes any outage at all "day 1", so tiers sized for a
 * multi-day outage (KT's smallest pays 400,000 won for "1-2 days") would
 * pay in full for 40 minutes. With trigger_outage the scheme is paid only
 * in replications where some recipient was out that long in one stretch
 * (longest continuous outage, whatever `measure` says): for businesses the
 * covered segments' bands, for subscribers and users the selected
 * services' bands. Otherwise it pays zero, same classes. Once reached,
 * every recipient is paid by its own days as above, so the day-boundary
 * semantics are unchanged; the default 0 keeps the model general.
 *
 * Classes: one per tier, named "1-2 days", "3-4 days", "7+ days" from the
 * tier edges (or its label); claimants disjoint within one service or
 * segment (a user of two listed services counts twice).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "comp/params_int.h"

#define P osim_comp_duration_params
#define T osim_comp_duration_tier

static const char *const measure_names[] = {"cumulative", "continuous", NULL};

static const osim_field tier_fields[] = {
    {.key = "min_days",
     .type = OSIM_FT_COUNT,
     .offset = offsetof(T, min_days),
     .flags = OSIM_F_REQUIRED,
     .unit = "days",
     .doc = "first whole day this tier applies from (days = ceil(hours / 24))"},
    {.key = "amount",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(T, amount_krw),
     .unit = "won",
     .def = "0",
     .doc = "per recipient"},
    {.key = "fee_months",
     .type = OSIM_FT_REAL,
     .offset = offsetof(T, fee_months),
     .unit = "months",
     .def = "0",
     .doc = "plus this many monthly fees (per: subscriber)"},
    {.key = "label",
     .type = OSIM_FT_STRING,
     .offset = offsetof(T, label),
     .doc = "claimant class name (default from the edges: \"3-4 days\")"},
};

static const osim_schema tier_schema = {"duration tier", sizeof(T), tier_fields,
                                        sizeof(tier_fields) / sizeof(tier_fields[0])};

static const osim_field fields[] = {
    {.key = "per",
     .type = OSIM_FT_ENUM,
     .offset = offsetof(P, per),
     .def = "business",
     .enum_names = osim__comp_per_names,
     .doc = "who is paid: business, user or subscriber"},
    {.key = "basis",
     .type = OSIM_FT_ENUM,
     .offset = offsetof(P, basis),
     .def = "affected",
     .enum_names = osim__comp_basis_names,
     .doc = "businesses: affected or claimants (those who apply)"},
    {.key = "measure",
     .type = OSIM_FT_ENUM,
     .offset = offsetof(P, measure),
     .def = "cumulative",
     .enum_names = measure_names,
     .doc = "outage length: cumulative hours out or longest continuous outage"},
    {.key = "segments",
     .type = OSIM_FT_REFS,
     .offset = offsetof(P, segments),
     .count_offset = offsetof(P, segments_count),
     .ref = "businesses",
     .doc = "per business: segments covered (default all)"},
    {.key = "services",
     .type = OSIM_FT_REFS,
     .offset = offsetof(P, services),
     .count_offset = offsetof(P, services_count),
     .ref = "services",
     .doc = "per subscriber (default every paid service) or per user (required)"},
    {.key = "tiers",
     .type = OSIM_FT_SEQ,
     .offset = offsetof(P, tiers),
     .flags = OSIM_F_REQUIRED,
     .sub = &tier_schema,
     .count_offset = offsetof(P, tiers_count),
     .doc = "ascending min_days (at most 16)"},
    {.key = "claim_rate",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, claim_rate),
     .unit = "fraction",
     .def = "1",
     .doc = "share of recipients who claim"},
    {.key = "trigger_outage",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, trigger_outage_h),
     .unit = "h",
     .def = "0",
     .doc = "paid only if some recipient was out this long in one stretch (0 = always)"},
};

static const osim_schema schema = {"duration_tiers params", sizeof(P), fields,
                                   sizeof(fields) / sizeof(fields[0])};

static int validate(const void *params, osim_bind_ctx *ctx)
{
    const P *p = params;
    size_t k;

    if (p->tiers_count > OSIM_COMP_MAX_CLASSES)
        return osim_bind_error(ctx, &p->tiers, OSIM_ERANGE, "tiers: at most %d tiers",
                               OSIM_COMP_MAX_CLASSES);
    if (p->basis == OSIM_COMP_BASIS_ALL)
        return osim_bind_error(ctx, &p->basis, OSIM_ESCHEMA,
                               "basis: 'all' has no outage length: use affected or claimants");
    if (p->basis == OSIM_COMP_BASIS_CLAIMANTS && p->per != OSIM_COMP_PER_BUSINESS)
        return osim_bind_error(ctx, &p->basis, OSIM_ESCHEMA,
                               "basis: 'claimants' applies to per: business only");
    if (p->segments_count > 0 && p->per != OSIM_COMP_PER_BUSINESS)
        return osim_bind_error(ctx, &p->segments, OSIM_ESCHEMA,
                               "segments: apply to per: business only");
    if (p->services_count > 0 && p->per == OSIM_COMP_PER_BUSINESS)
        return osim_bind_error(ctx, &p->services, OSIM_ESCHEMA,
                               "services: apply to per: user or subscriber only");
    if (p->per == OSIM_COMP_PER_USER && p->services_count == 0)
        return osim_bind_error(ctx, &p->services, OSIM_ESCHEMA,
                               "services: per: user needs the services whose users are paid");
    for (k = 0; k < p->tiers_count; k++) {
        const T *t = &p->tiers[k];

        if (t->min_days < 1.0 || t->min_days != floor(t->min_days))
            return osim_bind_error(ctx, &t->min_days, OSIM_ERANGE,
                                   "tiers.%zu.min_days: must be a whole number >= 1, not %g", k,
                                   t->min_days);
        if (k > 0 && !(t->min_days > p->tiers[k - 1].min_days))
            return osim_bind_error(ctx, &t->min_days, OSIM_ERANGE,
                                   "tiers.%zu.min_days: %g is not above the previous tier's %g: "
                                   "tiers must ascend",
                                   k, t->min_days, p->tiers[k - 1].min_days);
        if (t->fee_months != 0.0 && p->per != OSIM_COMP_PER_SUBSCRIBER)
            return osim_bind_error(ctx, &t->fee_months, OSIM_ESCHEMA,
                                   "tiers.%zu.fee_months: needs per: subscriber (only "
                                   "subscribers pay a fee)",
                                   k);
        if (!(t->fee_months >= 0.0))
            return osim_bind_error(ctx, &t->fee_months, OSIM_ERANGE,
                                   "tiers.%zu.fee_months: must be >= 0", k);
    }
    return 0;
}

/* The tier for an outage of h hours, or tiers_count for none. */
static size_t tier_of(const P *p, double h)
{
    double days = osim__comp_days(h);
    size_t k, t = p->tiers_count;

    for (k = 0; k < p->tiers_count; k++)
        if (p->tiers[k].min_days <= days)
            t = k;
    return t;
}

typedef struct acc {
    double count[OSIM_COMP_MAX_CLASSES];
    long double amount[OSIM_COMP_MAX_CLASSES];
} acc;

/* Whether the scheme is paid at all: some recipient out trigger_outage in one stretch. */
static bool triggered(const P *p, const osim_impact *im)
{
    if (p->per == OSIM_COMP_PER_BUSINESS)
        return osim__comp_segments_triggered(im, p->trigger_outage_h, p->segments,
                                             p->segments_count);
    return osim__comp_services_triggered(im, p->trigger_outage_h, p->services, p->services_count,
                                         p->per == OSIM_COMP_PER_SUBSCRIBER);
}

/* Add n recipients of one history (band bd, monthly fee fee) to acc. */
static void add_band(const P *p, const osim_band *bd, double n, double fee, acc *a)
{
    double h = p->measure == OSIM_COMP_MEASURE_CONTINUOUS ? bd->longest_h : bd->outage_h;
    size_t t = tier_of(p, h);

    if (t == p->tiers_count || !(n > 0.0))
        return;
    a->count[t] += n;
    a->amount[t] +=
        (long double)n * ((double)p->tiers[t].amount_krw + p->tiers[t].fee_months * fee);
}

/*
 * Class names are made on every evaluation, and printf's floating-point
 * path dominated the cost of this model. Whole day counts from 1 (what
 * validate admits) are written digit by digit instead; the text is what
 * "%.0f" gives (anything else still goes through it), and a name is
 * truncated as snprintf would truncate it.
 */
static const char *days_text(char *tmp, size_t n, double x)
{
    char d[24];
    size_t k = 0, i = 0;
    unsigned long long v;

    if (!(x >= 1.0 && x <= 1e15 && x == floor(x))) {
        snprintf(tmp, n, "%.0f", x);
        return tmp;
    }
    v = (unsigned long long)x;
    do {
        d[k++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v > 0);
    while (k > 0 && i + 1 < n)
        tmp[i++] = d[--k];
    tmp[i] = '\0';
    return tmp;
}

/* Append s to the NUL-terminated buf of size n, truncating as snprintf does. */
static void name_cat(char *buf, size_t n, const char *s)
{
    size_t i = strlen(buf);

    while (*s != '\0' && i + 1 < n)
        buf[i++] = *s++;
    buf[i] = '\0';
}

static void tier_name(const P *p, size_t k, char *buf, size_t n)
{
    const T *t = &p->tiers[k];
    char a[320], b[320]; /* room for "%.0f" of any double */
    double last;

    if (t->label != NULL) {
        snprintf(buf, n, "%s", t->label);
        return;
    }
    buf[0] = '\0';
    name_cat(buf, n, days_text(a, sizeof(a), t->min_days));
    if (k + 1 == p->tiers_count) {
        name_cat(buf, n, "+ days");
        return;
    }
    last = p->tiers[k + 1].min_days - 1.0;
    if (last == t->min_days) {
        name_cat(buf, n, t->min_days == 1.0 ? " day" : " days");
    } else {
        name_cat(buf, n, "-");
        name_cat(buf, n, days_text(b, sizeof(b), last));
        name_cat(buf, n, " days");
    }
}

/* Classes: one per tier, in file order. */
/* The dearest tier for a recipient paying a monthly fee of fee_krw. */
static double tier_max_krw(const P *p, double fee_krw)
{
    double m = 0.0;
    size_t k;

    for (k = 0; k < p->tiers_count; k++) {
        double v = (double)p->tiers[k].amount_krw + fabs(p->tiers[k].fee_months) * fee_krw;
        if (v > m)
            m = v;
    }
    return m;
}

/*
 * Bound: every recipient add_recipients can count, in the dearest tier:
 * a covered segment's businesses (affected or claimants, at most its
 * count); a covered service's users out (at most population.users x its
 * user share) or its subscribers, who also pay its fee (claim rate <= 1).
 */
static double bound_krw(const P *p, const osim_scenario *sc)
{
    long double bound = 0.0L;
    size_t i;

    if (p->per == OSIM_COMP_PER_BUSINESS) {
        for (i = 0; i < sc->segments_count; i++)
            if (osim__comp_selected(p->segments, p->segments_count, i))
                bound += (long double)sc->segments[i].count * tier_max_krw(p, 0.0);
        return (double)bound;
    }
    for (i = 0; i < sc->services_count; i++) {
        const osim_service *s = &sc->services[i];
        bool sel = p->per == OSIM_COMP_PER_SUBSCRIBER
                       ? osim__comp_service_selected(sc, p->services, p->services_count, i)
                       : osim__comp_selected(p->services, p->services_count, i);
        double n = p->per == OSIM_COMP_PER_SUBSCRIBER ? s->subscribers
                                                      : sc->population.users * s->user_share;

        if (sel)
            bound += (long double)n * tier_max_krw(p, (double)s->monthly_fee_krw);
    }
    return (double)bound;
}

static int declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    const P *p = params;
    char name[OSIM_COMP_NAME_MAX];
    size_t k;
    int rc;

    if (p->tiers_count > OSIM_COMP_MAX_CLASSES)
        return OSIM_EINVAL;
    for (k = 0; k < p->tiers_count; k++) {
        tier_name(p, k, name, sizeof(name));
        if ((rc = osim__comp_declare_class(out, name)) != 0)
            return rc;
    }
    out->max_total_krw = bound_krw(p, sc);
    return 0;
}

/* Add every recipient of the impact to acc, by band. */
static void add_recipients(const P *p, const osim_impact *im, acc *a)
{
    const osim_scenario *sc = im->sc;
    size_t i, b;

    if (p->per == OSIM_COMP_PER_BUSINESS) {
        for (i = 0; i < sc->segments_count; i++) {
            const osim_segment_impact *si = &im->segments[i];
            double n = p->basis == OSIM_COMP_BASIS_CLAIMANTS ? si->claimants : si->affected;

            if (!osim__comp_selected(p->segments, p->segments_count, i))
                continue;
            for (b = 0; b < si->bands_count; b++)
                add_band(p, &si->bands[b], n * si->bands[b].share, 0.0, a);
        }
        return;
    }
    for (i = 0; i < sc->services_count; i++) {
        const osim_service *s = &sc->services[i];
        const osim_service_impact *si = &im->services[i];
        bool sel = p->per == OSIM_COMP_PER_SUBSCRIBER
                       ? osim__comp_service_selected(sc, p->services, p->services_count, i)
                       : osim__comp_selected(p->services, p->services_count, i);
        double out_share = osim__comp_bands_share(si->bands, si->bands_count);

        if (!sel || !(out_share > 0.0))
            continue;
        for (b = 0; b < si->bands_count; b++) {
            /* Band shares are of all the service's users; si->affected
             * counts the users out, over every band. */
            double n = p->per == OSIM_COMP_PER_SUBSCRIBER
                           ? s->subscribers * si->bands[b].share
                           : si->affected * si->bands[b].share / out_share;
            add_band(p, &si->bands[b], n, (double)s->monthly_fee_krw, a);
        }
    }
}

static int eval(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    const P *p = params;
    acc a = {{0}, {0}};
    long double nominal = 0.0L;
    double claimants = 0.0;
    size_t k;
    int rc;

    (void)rng;
    if ((rc = osim__comp_check_impact(im)) != 0)
        return rc;
    if (p->tiers_count > OSIM_COMP_MAX_CLASSES)
        return OSIM_EINVAL;
    if (triggered(p, im))
        add_recipients(p, im, &a);
    for (k = 0; k < p->tiers_count; k++) {
        char name[OSIM_COMP_NAME_MAX];

        nominal += a.amount[k];
        claimants += a.count[k] * p->claim_rate;
        tier_name(p, k, name, sizeof(name));
        if ((rc = osim__comp_class(out, name, a.count[k] * p->claim_rate,
                                   (double)(a.amount[k] * p->claim_rate))) != 0)
            return rc;
    }
    out->nominal_krw = (double)nominal;
    out->total_krw = (double)(nominal * p->claim_rate);
    out->claimants = claimants;
    return 0;
}

const osim_comp_model osim__comp_duration_tiers = {
    .name = "duration_tiers",
    .doc = "Amounts by outage length in started days (days = ceil(hours / 24)): a fixed "
           "amount per business, user or subscriber, and for subscribers optionally a number "
           "of monthly fees. Basis: KT's voluntary compensation after the Ahyeon exchange "
           "fire of Nov 2018 (merchants 0.4/0.8/1.0/1.2 M won at 1-2/3-4/5-6/7+ days; users "
           "one month's fee), under Telecommunications Business Act Art. 33. Those tiers were "
           "made for a multi-day outage: trigger_outage pays the scheme only when a recipient "
           "was out that long in one stretch.",
    .params_schema = &schema,
    .validate = validate,
    .declare = declare,
    .eval = eval,
};
