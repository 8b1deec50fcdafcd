/*
 * comp_goodwill_package.c -- items handed to users as a goodwill gesture
 * (Kakao's emoticons, shopping coupons and Talk Drawer Plus of 29 Dec 2022).
 *
 * Invariant: the package does not depend on who was harmed or how badly,
 * only on how many people it is offered to, so the nominal value is the
 * same in every replication (exactly Σ retail x eligible, in whole won):
 *   eligible_i = min(first_n_i, recipients)      (first_n_i = 0: recipients)
 *   nominal    = Σ retail_i x eligible_i          -> out->nominal_krw
 *   redeemed_i = retail_i x eligible_i x take_up_i
 *   cost       = Σ redeemed_i x marginal_cost_share_i -> out->total_krw
 * recipients follows the scenario: "population" (the default) is
 * population.users, "affected" the distinct users affected in the
 * replication; a count fixes it whatever the population, which a preset
 * should do only on purpose and say why. With trigger_outage
 * the package is given only in replications where some service's users
 * were out that long in one stretch (else zero, same classes), so a design
 * that keeps everyone served is not charged for a gesture it would never
 * have made.
 *
 * Classes: one per item, in file order: claimants = eligible recipients of
 * the item (whether or not they redeem it), amount = its cost. The same
 * people hold several items, so out->claimants is the largest item's
 * eligible count (the people the package reaches), not the sum.
 */
#include <math.h>
#include <string.h>

#include "comp/params_int.h"
#include "core/units.h"

#define P osim_comp_goodwill_params
#define I osim_comp_goodwill_item

static const osim_field item_fields[] = {
    {.key = "name",
     .type = OSIM_FT_STRING,
     .offset = offsetof(I, name),
     .flags = OSIM_F_REQUIRED,
     .doc = "what is given; names the claimant class"},
    {.key = "retail",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(I, retail_krw),
     .flags = OSIM_F_REQUIRED,
     .unit = "won",
     .doc = "face (retail) value of one unit"},
    {.key = "first_n",
     .type = OSIM_FT_COUNT,
     .offset = offsetof(I, first_n),
     .unit = "count",
     .def = "0",
     .doc = "only the first N recipients get it (0 = every recipient)"},
    {.key = "take_up",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(I, take_up),
     .unit = "fraction",
     .def = "1",
     .doc = "share of eligible recipients who redeem it"},
    {.key = "marginal_cost_share",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(I, marginal_cost_share),
     .unit = "fraction",
     .def = "1",
     .doc = "cost to the operator per won of redeemed face value (1 = face value)"},
};

static const osim_schema item_schema = {"goodwill item", sizeof(I), item_fields,
                                        sizeof(item_fields) / sizeof(item_fields[0])};

static const osim_field fields[] = {
    {.key = "recipients",
     .type = OSIM_FT_STRING,
     .offset = offsetof(P, recipients),
     .unit = "population|affected|count",
     .def = "population",
     .doc = "people the package is offered to: population (population.users), affected (the "
            "distinct users affected in the replication) or a fixed count"},
    {.key = "trigger_outage",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, trigger_outage_h),
     .unit = "h",
     .def = "0",
     .doc = "given only if some service's users were out this long in one stretch (0 = always)"},
    {.key = "items",
     .type = OSIM_FT_SEQ,
     .offset = offsetof(P, items),
     .flags = OSIM_F_REQUIRED,
     .sub = &item_schema,
     .count_offset = offsetof(P, items_count),
     .doc = "the items given, one claimant class each (at most 16)"},
};

static const osim_schema schema = {"goodwill_package params", sizeof(P), fields,
                                   sizeof(fields) / sizeof(fields[0])};

enum { RECIPIENTS_POPULATION, RECIPIENTS_AFFECTED, RECIPIENTS_COUNT };

/*
 * Which recipients s names (NULL = population); *count for a fixed count,
 * which must be whole, as every count of the format (exactly: 1.1k is 1100).
 * A negative OSIM_E* code with *why completing "'<s>' ..." if none.
 */
static int recipients_kind(const char *s, double *count, const char **why)
{
    int64_t whole;
    int rc;

    *count = 0.0;
    if (s == NULL || strcmp(s, "population") == 0)
        return RECIPIENTS_POPULATION;
    if (strcmp(s, "affected") == 0)
        return RECIPIENTS_AFFECTED;
    if ((rc = osim__parse_count(s, count, NULL)) != 0) {
        *why = "is not population, affected or a count (48_000_000, 48M)";
        return rc;
    }
    if (osim__parse_money(s, &whole, NULL) != 0) {
        *why = "is not a whole number: a count must be whole (0, 1, 2, ...)";
        return OSIM_ERANGE;
    }
    *count = (double)whole;
    return RECIPIENTS_COUNT;
}

static int validate(const void *params, osim_bind_ctx *ctx)
{
    const P *p = params;
    const char *why = "";
    double n;
    int rc;

    if ((rc = recipients_kind(p->recipients, &n, &why)) < 0)
        return osim_bind_error(ctx, &p->recipients, rc, "recipients: '%s' %s", p->recipients, why);
    if (p->items_count > OSIM_COMP_MAX_CLASSES)
        return osim_bind_error(ctx, &p->items, OSIM_ERANGE,
                               "items: a package holds at most %d items (one claimant class each)",
                               OSIM_COMP_MAX_CLASSES);
    return 0;
}

/* Classes: the items, by name, in file order. */
static int declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    const P *p = params;
    size_t i;
    int rc;

    (void)sc;
    for (i = 0; i < p->items_count; i++)
        if ((rc = osim__comp_declare_class(out, p->items[i].name)) != 0)
            return rc;
    return 0;
}

static int eval(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    const P *p = params;
    long double nominal = 0.0L, cost = 0.0L;
    const char *why = NULL;
    double base, reach = 0.0;
    size_t i;
    int rc;

    (void)rng;
    if ((rc = osim__comp_check_impact(im)) != 0)
        return rc;
    switch (recipients_kind(p->recipients, &base, &why)) {
    case RECIPIENTS_POPULATION: base = im->sc->population.users; break;
    case RECIPIENTS_AFFECTED:
        base = im->distinct_affected > 0.0 ? im->distinct_affected : 0.0;
        break;
    case RECIPIENTS_COUNT: break;
    default: /* validate refuses it at load */ return OSIM_EINVAL;
    }
    if (!osim__comp_triggered(im, p->trigger_outage_h))
        base = 0.0;
    for (i = 0; i < p->items_count; i++) {
        const I *it = &p->items[i];
        double eligible = it->first_n > 0.0 && it->first_n < base ? it->first_n : base;
        long double face = (long double)it->retail_krw * eligible;
        long double item_cost = face * it->take_up * it->marginal_cost_share;

        nominal += face;
        cost += item_cost;
        if (eligible > reach)
            reach = eligible;
        if ((rc = osim__comp_class(out, it->name, eligible, (double)item_cost)) != 0)
            return rc;
    }
    out->nominal_krw = (double)nominal;
    out->total_krw = (double)cost;
    out->claimants = reach;
    return 0;
}

const osim_comp_model osim__comp_goodwill_package = {
    .name = "goodwill_package",
    .doc = "Items given to users as a goodwill gesture (emoticons, coupons, a month of a paid "
           "plan): nominal = retail value x eligible recipients (all, or the first N), "
           "redeemed = nominal x take-up, cost = redeemed x marginal cost share; recipients "
           "are the population, the distinct affected users or a fixed count. No statute "
           "requires it: it is a voluntary settlement, like Kakao's package of 29 Dec 2022 "
           "(557.7 bn won nominal).",
    .params_schema = &schema,
    .validate = validate,
    .declare = declare,
    .eval = eval,
};
