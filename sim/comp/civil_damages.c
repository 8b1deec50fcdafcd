/*
 * comp_civil_damages.c -- what suits under the Civil Act would cost in
 * expectation: businesses' lost profit and users' consolation money.
 *
 * Invariant: expected cost = Σ claim x recoverable share x success probability
 * x (1 - fault),
 * where the claims are:
 *   businesses  per covered segment, the claimants who sue
 *               (segment.claimants x sue_share, the impact's sampled
 *               claimants) times the mean lost profit of an affected
 *               business (segment.lost_profit_krw / segment.affected:
 *               profit, never revenue); of that claim only the
 *               recoverable share counts: 1 if special loss is
 *               foreseeable (Art. 393(2)), else ordinary_share
 *               (Art. 393(1): ordinary loss only)
 *   users       min(distinct users affected, suing_users +
 *               suing_user_share x distinct users affected) x consolation
 * nominal = Σ claims as filed (the whole lost profit and consolation
 * asked); total = the expected cost.
 *
 * Defaults follow the Korean precedents: the SKT outage suit (Seoul Central
 * District Court, 2015-07-02, affirmed 2016) held drivers' and couriers'
 * lost income to be special loss, not foreseeable, so ordinary_share = 0
 * and special_foreseeable = false; the only users' suit over the Kakao
 * outage (six plaintiffs, 1,000,000 won each) was dismissed by the Seoul
 * Southern District Court on 2023-08-22, so user_success = 0. With the
 * defaults the expected cost is therefore zero and only the nominal claim
 * is informative: set the parameters to test a different legal view.
 *
 * Classes: "businesses: lost profit" and "users: consolation money"
 * (claimants = those who sue; disjoint).
 */
#include <math.h>

#include "comp/params_int.h"

#define P osim_comp_civil_params

static const osim_field fields[] = {
    {.key = "segments",
     .type = OSIM_FT_REFS,
     .offset = offsetof(P, segments),
     .count_offset = offsetof(P, segments_count),
     .ref = "businesses",
     .doc = "business segments whose claimants sue (default all)"},
    {.key = "sue_share",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, sue_share),
     .unit = "fraction",
     .def = "1",
     .doc = "share of a segment's claimants who go to court (1 = every claimant: upper bound)"},
    {.key = "ordinary_share",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, ordinary_share),
     .unit = "fraction",
     .def = "0",
     .doc = "share of lost profit that is ordinary loss (SKT 2015: lost income is special)"},
    {.key = "special_foreseeable",
     .type = OSIM_FT_BOOL,
     .offset = offsetof(P, special_foreseeable),
     .def = "false",
     .doc = "special loss is recoverable: the operator knew or could have known (Art. 393(2))"},
    {.key = "business_success",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, business_success),
     .unit = "fraction",
     .def = "1",
     .doc = "probability (or expected share) of a recoverable business claim being awarded"},
    {.key = "comparative_fault",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, comparative_fault),
     .unit = "fraction",
     .def = "0",
     .doc = "reduction for the claimant's own fault (Art. 396/763)"},
    {.key = "suing_users",
     .type = OSIM_FT_COUNT,
     .offset = offsetof(P, suing_users),
     .unit = "count",
     .def = "6",
     .doc = "users suing for consolation money (2023 suit: 6)"},
    {.key = "suing_user_share",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, suing_user_share),
     .unit = "fraction",
     .def = "0",
     .doc = "plus this share of the distinct users affected"},
    {.key = "consolation",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(P, consolation_krw),
     .unit = "won",
     .def = "1M",
     .doc = "claimed per suing user (2023 suit: 1,000,000 won)"},
    {.key = "user_success",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(P, user_success),
     .unit = "fraction",
     .def = "0",
     .doc = "probability a user's claim is upheld (2023 suit dismissed: 0)"},
};

static const osim_schema schema = {"civil_damages params", sizeof(P), fields,
                                   sizeof(fields) / sizeof(fields[0])};

static const char class_business[] = "businesses: lost profit";
static const char class_users[] = "users: consolation money";

/* Classes: businesses, then users. */
static int declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    int rc;

    const P *p = params;
    long double bound = 0.0L;
    size_t i;

    /* Bound: suing businesses claim at most their segment's lost profit
     * (a claimant is an affected business, each claiming the mean lost
     * profit of one); suing users are at most population.users. */
    for (i = 0; i < sc->segments_count; i++)
        if (osim__comp_selected(p->segments, p->segments_count, i))
            bound += osim__comp_segment_profit_max_krw(sc, i);
    bound += (long double)sc->population.users * (double)p->consolation_krw;
    out->max_total_krw = (double)bound;
    if ((rc = osim__comp_declare_class(out, class_business)) != 0)
        return rc;
    return osim__comp_declare_class(out, class_users);
}

static int eval(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    const P *p = params;
    const osim_scenario *sc;
    long double biz_claim = 0.0L, user_claim, biz_expected, user_expected;
    double biz_n = 0.0, users, recoverable, keep;
    size_t i;
    int rc;

    (void)rng;
    if ((rc = osim__comp_check_impact(im)) != 0)
        return rc;
    sc = im->sc;
    recoverable = p->special_foreseeable ? 1.0 : p->ordinary_share;
    keep = 1.0 - p->comparative_fault;
    for (i = 0; i < sc->segments_count; i++) {
        const osim_segment_impact *si = &im->segments[i];
        double n;

        if (!osim__comp_selected(p->segments, p->segments_count, i) || !(si->affected > 0.0))
            continue;
        n = si->claimants * p->sue_share;
        biz_n += n;
        biz_claim += (long double)n * (si->lost_profit_krw / si->affected);
    }
    users = p->suing_users + p->suing_user_share * im->distinct_affected;
    if (users > im->distinct_affected)
        users = im->distinct_affected > 0.0 ? im->distinct_affected : 0.0;
    user_claim = (long double)users * (double)p->consolation_krw;

    out->nominal_krw = (double)(biz_claim + user_claim);
    biz_expected = biz_claim * recoverable * p->business_success * keep;
    user_expected = user_claim * p->user_success * keep;
    out->total_krw = (double)(biz_expected + user_expected);
    out->claimants = biz_n + users;
    if ((rc = osim__comp_class(out, class_business, biz_n, (double)biz_expected)) != 0)
        return rc;
    return osim__comp_class(out, class_users, users, (double)user_expected);
}

const osim_comp_model osim__comp_civil_damages = {
    .name = "civil_damages",
    .doc = "Expected cost of Civil Act suits: businesses' lost profit (not revenue), ordinary "
           "loss only unless special loss is foreseeable (Art. 393), and users' consolation "
           "money, each times its probability of success and (1 - comparative fault) (Arts. "
           "390, 750, 396/763). Defaults reflect the precedents: lost income from an outage "
           "was special loss (SKT, 2015) and the users' suit over the Kakao outage was "
           "dismissed (2023-08-22), so the default expected cost is zero.",
    .params_schema = &schema,
    .validate = NULL,
    .declare = declare,
    .eval = eval,
};
