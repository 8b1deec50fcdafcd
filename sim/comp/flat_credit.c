/*
 * comp_flat_credit.c -- one fixed amount per business, user or subscriber
 * (Kakao's 50,000-won Talk Channel message credit to small businesses).
 *
 * Invariant: the payment is amount x recipients, where recipients is a
 * count the impact model or the scenario gives, never a sample of this
 * model's own:
 *   business   affected: Σ segment.affected   all: Σ segment.count
 *              claimants: Σ segment.claimants (the impact's sampled claimants)
 *              over the segments listed, or with `services` the segments
 *              that need any of those services (Talk Channel businesses are
 *              the segments that need talk-channel), default all
 *   user       affected: distinct users affected, or with `services`
 *              Σ service.affected (a user of two listed services counts twice)
 *              all: population.users, or Σ users x user_share of the services
 *   subscriber affected: Σ subscribers x (share of the service's users out)
 *              all: Σ subscribers (services default: every paid service)
 * nominal = amount x recipients; total = nominal x take_up (credits are
 * only a cost when used). With basis `all` the credit is paid whatever
 * happened, like a package, unless trigger_outage is set: then only in
 * replications where some covered recipient was out that long in one
 * stretch (the trigger looks at whom the credit is for, as in every
 * model): per business, the covered segments' bands (the services their
 * businesses need); per user, the listed services (default every
 * service); per subscriber, the selected paid services. Otherwise zero
 * affected means zero.
 *
 * Classes: one, "<per>s (<basis>)": claimants = recipients, amount = total.
 */
#include <math.h>
#include <stdio.h>

#include "comp/params_int.h"

#define P osim_comp_flat_credit_params

static const osim_field fields[] = {
    {.key = "per",
     .type = OSIM_FT_ENUM,
     .offset = offsetof(P, per),
     .def = "business",
     .enum_names = osim__comp_per_names,
     .doc = "who gets it: business, user or subscriber"},
    {.key = "basis",
     .type = OSIM_FT_ENUM,
     .offset = offsetof(P, basis),
     .def = "affected",
     .enum_names = osim__comp_basis_names,
     .doc = "affected, all (whether harmed or not) or claimants (businesses only)"},
    {.key = "amount",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(P, amount_krw),
     .flags = OSIM_F_REQUIRED,
     .unit = "won",
     .doc = "per recipient"},
    {.key = "segments",
     .type = OSIM_FT_REFS,
     .offset = offsetof(P, segments),
     .count_offset = offsetof(P, segments_count),
     .ref = "businesses",
     .doc = "per business: segments covered (default all, or those needing `services`)"},
    {.key = "services",
     .type = OSIM_FT_REFS,
     .offset = offsetof(P, services),
     .count_offset = offsetof(P, services_count),
     .ref = "services",
     .doc = "per business: segments that need any of these; per user: users of these "
            "(default everyone); per subscriber: their subscribers (default every paid service)"},
    {.key = "take_up",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, take_up),
     .unit = "fraction",
     .def = "1",
     .doc = "share of the credit used (cost = face x take_up)"},
    {.key = "trigger_outage",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, trigger_outage_h),
     .unit = "h",
     .def = "0",
     .doc = "paid only if some covered recipient was out this long in one stretch (0 = always)"},
};

static const osim_schema schema = {"flat_credit params", sizeof(P), fields,
                                   sizeof(fields) / sizeof(fields[0])};

static int validate(const void *params, osim_bind_ctx *ctx)
{
    const P *p = params;

    if (p->basis == OSIM_COMP_BASIS_CLAIMANTS && p->per != OSIM_COMP_PER_BUSINESS)
        return osim_bind_error(ctx, &p->basis, OSIM_ESCHEMA,
                               "basis: 'claimants' applies to per: business only (users and "
                               "subscribers have no claim count)");
    if (p->segments_count > 0 && p->per != OSIM_COMP_PER_BUSINESS)
        return osim_bind_error(ctx, &p->segments, OSIM_ESCHEMA,
                               "segments: apply to per: business; use services for %ss",
                               osim__comp_per_names[p->per]);
    if (p->services_count > 0 && p->segments_count > 0)
        return osim_bind_error(ctx, &p->services, OSIM_ESCHEMA,
                               "services: give segments or services, not both");
    return 0;
}

static const char *const plural[] = {"businesses", "users", "subscribers"};

/* Whether segment g is covered: listed, or needing a listed service, or (no lists) any. */
static bool segment_covered(const P *p, const osim_segment *seg, size_t g)
{
    size_t k, j;

    if (p->segments_count > 0)
        return osim__comp_selected(p->segments, p->segments_count, g);
    if (p->services_count == 0)
        return true;
    for (k = 0; k < p->services_count; k++)
        for (j = 0; j < seg->deps_count; j++)
            if (seg->deps[j] == p->services[k])
                return true;
    return false;
}

/* Whether a covered recipient was out trigger_outage in one stretch. */
static bool triggered(const P *p, const osim_impact *im)
{
    const osim_scenario *sc = im->sc;
    size_t g;

    if (!(p->trigger_outage_h > 0.0))
        return true;
    switch (p->per) {
    case OSIM_COMP_PER_BUSINESS:
        for (g = 0; g < sc->segments_count; g++)
            if (segment_covered(p, &sc->segments[g], g) &&
                osim__comp_bands_reach(im->segments[g].bands, im->segments[g].bands_count,
                                       p->trigger_outage_h))
                return true;
        return false;
    case OSIM_COMP_PER_USER:
        return osim__comp_services_triggered(im, p->trigger_outage_h, p->services,
                                             p->services_count, false);
    default:
        return osim__comp_services_triggered(im, p->trigger_outage_h, p->services,
                                             p->services_count, true);
    }
}

static double recipients(const P *p, const osim_impact *im)
{
    const osim_scenario *sc = im->sc;
    double n = 0.0;
    size_t i;

    switch (p->per) {
    case OSIM_COMP_PER_BUSINESS:
        for (i = 0; i < sc->segments_count; i++) {
            if (!segment_covered(p, &sc->segments[i], i))
                continue;
            if (p->basis == OSIM_COMP_BASIS_ALL)
                n += sc->segments[i].count;
            else if (p->basis == OSIM_COMP_BASIS_CLAIMANTS)
                n += im->segments[i].claimants;
            else
                n += im->segments[i].affected;
        }
        return n;
    case OSIM_COMP_PER_USER:
        if (p->services_count == 0)
            return p->basis == OSIM_COMP_BASIS_ALL ? sc->population.users : im->distinct_affected;
        for (i = 0; i < sc->services_count; i++) {
            if (!osim__comp_selected(p->services, p->services_count, i))
                continue;
            if (p->basis == OSIM_COMP_BASIS_ALL)
                n += sc->population.users * sc->services[i].user_share;
            else
                n += im->services[i].affected;
        }
        return n;
    default:
        for (i = 0; i < sc->services_count; i++) {
            const osim_service_impact *s = &im->services[i];

            if (!osim__comp_service_selected(sc, p->services, p->services_count, i))
                continue;
            if (p->basis == OSIM_COMP_BASIS_ALL)
                n += sc->services[i].subscribers;
            else
                n += sc->services[i].subscribers * osim__comp_bands_share(s->bands, s->bands_count);
        }
        return n;
    }
}

/* The one class: "<per>s (<basis>)". */
static int class_name(const P *p, char *buf, size_t n)
{
    if (p->per < 0 || p->per > OSIM_COMP_PER_SUBSCRIBER || p->basis < 0 ||
        p->basis > OSIM_COMP_BASIS_CLAIMANTS)
        return OSIM_EINVAL;
    snprintf(buf, n, "%s (%s)", plural[p->per], osim__comp_basis_names[p->basis]);
    return 0;
}

/* The most recipients eval can count: every one of them on basis `all`
 * (affected and claimants are at most that many). */
static double recipients_max(const P *p, const osim_scenario *sc)
{
    double n = 0.0;
    size_t i;

    switch (p->per) {
    case OSIM_COMP_PER_BUSINESS:
        for (i = 0; i < sc->segments_count; i++)
            if (segment_covered(p, &sc->segments[i], i))
                n += sc->segments[i].count;
        return n;
    case OSIM_COMP_PER_USER:
        if (p->services_count == 0)
            return sc->population.users;
        for (i = 0; i < sc->services_count; i++)
            if (osim__comp_selected(p->services, p->services_count, i))
                n += sc->population.users * sc->services[i].user_share;
        return n;
    default:
        for (i = 0; i < sc->services_count; i++)
            if (osim__comp_service_selected(sc, p->services, p->services_count, i))
                n += sc->services[i].subscribers;
        return n;
    }
}

/* Bound: the amount to every recipient it could be paid to (take-up <= 1). */
static int declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    char name[OSIM_COMP_NAME_MAX];
    int rc;

    out->max_total_krw =
        (double)((long double)((const P *)params)->amount_krw * recipients_max(params, sc));
    if ((rc = class_name(params, name, sizeof(name))) != 0)
        return rc;
    return osim__comp_declare_class(out, name);
}

static int eval(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    const P *p = params;
    char name[OSIM_COMP_NAME_MAX];
    double n;
    int rc;

    (void)rng;
    if ((rc = osim__comp_check_impact(im)) != 0)
        return rc;
    if ((rc = class_name(p, name, sizeof(name))) != 0)
        return rc;
    n = triggered(p, im) ? recipients(p, im) : 0.0;
    out->nominal_krw = (double)((long double)p->amount_krw * n);
    out->total_krw = (double)((long double)p->amount_krw * n * p->take_up);
    out->claimants = n;
    return osim__comp_class(out, name, n, out->total_krw);
}

const osim_comp_model osim__comp_flat_credit = {
    .name = "flat_credit",
    .doc = "A fixed amount per business, user or subscriber (affected, all, or claimants), "
           "costed at its take-up. A voluntary payment, like Kakao's 50,000-won Talk Channel "
           "message credit to small businesses (WowTV, Dec 2022), or a fixed per-account "
           "credit such as AT&T's $5 (2024).",
    .params_schema = &schema,
    .validate = validate,
    .declare = declare,
    .eval = eval,
};
