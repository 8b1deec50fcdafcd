/*
 * comp_loss_brackets.c -- payments to claimants by the loss they claim
 * (Kakao's small-business scheme of 29 Dec 2022: 30,000 won for a loss up
 * to 300,000, 50,000 up to 500,000, above that case by case).
 *
 * Invariant: nothing here is a constant count. For each covered segment,
 * the claimants are the impact model's sampled claimants of that
 * replication, and they fall into brackets by one multinomial draw whose
 * probabilities come from the segment's loss distribution, weighted by how
 * readily a business with such a loss claims:
 *   p_k ∝ (F(up_to_k) - F(up_to_{k-1})) x claim_weight_k   (F = osim_segment_loss_cdf)
 * with brackets closed above ("up to 300,000" includes 300,000). A
 * claimant in bracket k is paid E[min(pay_k + share_k L, cap_k) | L in k],
 * computed exactly from the partial means osim_segment_loss_partial gives
 * (the "verified loss" of a case-by-case bracket is the conditional mean of
 * the loss in it); the weight moves claimants between brackets, not the
 * loss within one. A claim that is not approved is paid the bracket's floor:
 *   nominal = Σ count_k x pay-per-claimant_k           (every claim approved)
 *   total   = Σ count_k x (pay-per-claimant_k x approval_k + floor_k x (1 - approval_k))
 * validate keeps floor_k at most the approved payment at the bracket's
 * lower edge, so a scheme whose approved payments are continuous stays
 * continuous in expectation when the floor is the lower bracket's payment.
 * If the last bracket has an upper edge, claimants above it are counted in
 * a class "loss > X won (not covered)" that pays nothing.
 *
 * Trigger: Kakao's brackets were a one-off settlement after a 127-hour
 * outage, not a standing promise. With trigger_outage the scheme is
 * offered only in replications where some business of a covered segment
 * was out that long in one stretch (the longest continuous outage of the
 * services it needs: the segment's bands, osim__comp_segments_triggered);
 * otherwise nobody claims under it and it pays zero, same classes. Once
 * offered, every sampled claimant is counted, however short their own
 * outage. No draw is made when it is not offered.
 *
 * Classes: one per bracket (plus that one), summed over segments.
 * Claimants are disjoint across classes. Plot marks: the brackets' upper
 * edges, so the loss figure shows how many businesses fall under each.
 */
#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "comp/params_int.h"

#define P osim_comp_loss_brackets_params
#define B osim_comp_bracket

static const osim_field bracket_fields[] = {
    {.key = "up_to",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(B, up_to_krw),
     .unit = "won",
     .def = "0",
     .doc = "upper edge of the claimed loss, inclusive (omit on the open last bracket)"},
    {.key = "pay",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(B, pay_krw),
     .unit = "won",
     .def = "0",
     .doc = "flat payment per claimant"},
    {.key = "share",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(B, share),
     .unit = "fraction",
     .def = "0",
     .doc = "plus this share of the claimant's verified loss"},
    {.key = "cap",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(B, cap_krw),
     .unit = "won",
     .def = "0",
     .doc = "cap on one claimant's payment (0 = none)"},
    {.key = "approval",
     .type = OSIM_FT_FRACTION,
     .offset = offsetof(B, approval),
     .unit = "fraction",
     .def = "1",
     .doc = "share of the bracket's claims approved"},
    {.key = "floor",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(B, floor_krw),
     .unit = "won",
     .def = "0",
     .doc = "paid on a claim that is not approved (at most what an approved claim gets at the "
            "bracket's lower edge)"},
    {.key = "claim_weight",
     .type = OSIM_FT_REAL,
     .offset = offsetof(B, claim_weight),
     .unit = "ratio",
     .def = "1",
     .doc = "relative propensity to claim of a business whose loss falls in this bracket"},
    {.key = "label",
     .type = OSIM_FT_STRING,
     .offset = offsetof(B, label),
     .doc = "claimant class name (default from the edges: \"loss <= 300,000 won\")"},
};

static const osim_schema bracket_schema = {"loss bracket", sizeof(B), bracket_fields,
                                           sizeof(bracket_fields) / sizeof(bracket_fields[0])};

static const osim_field fields[] = {
    {.key = "segments",
     .type = OSIM_FT_REFS,
     .offset = offsetof(P, segments),
     .count_offset = offsetof(P, segments_count),
     .ref = "businesses",
     .doc = "business segments covered (default all)"},
    {.key = "brackets",
     .type = OSIM_FT_SEQ,
     .offset = offsetof(P, brackets),
     .flags = OSIM_F_REQUIRED,
     .sub = &bracket_schema,
     .count_offset = offsetof(P, brackets_count),
     .doc = "ascending by up_to; only the last may be open (at most 15)"},
    {.key = "trigger_outage",
     .type = OSIM_FT_DURATION,
     .offset = offsetof(P, trigger_outage_h),
     .unit = "h",
     .def = "0",
     .doc = "offered only if some covered business was out this long in one stretch "
            "(0 = always)"},
};

static const osim_schema schema = {"loss_brackets params", sizeof(P), fields,
                                   sizeof(fields) / sizeof(fields[0])};

/* What an approved claim with verified loss loss_krw is paid in bracket b. */
static double approved_pay(const B *b, double loss_krw)
{
    double x = (double)b->pay_krw + b->share * loss_krw;

    return b->cap_krw > 0 && x > (double)b->cap_krw ? (double)b->cap_krw : x;
}

double osim__comp_brackets_expected_krw(const P *p, double loss_krw)
{
    size_t k;

    for (k = 0; k < p->brackets_count; k++) {
        const B *b = &p->brackets[k];

        if (b->up_to_krw == 0 || loss_krw <= (double)b->up_to_krw)
            return b->approval * approved_pay(b, loss_krw) +
                   (1.0 - b->approval) * (double)b->floor_krw;
    }
    return 0.0; /* above a closed last bracket: not covered */
}

static int validate(const void *params, osim_bind_ctx *ctx)
{
    const P *p = params;
    size_t k;

    /* One class per bracket plus one for "not covered". */
    if (p->brackets_count > OSIM_COMP_MAX_CLASSES - 1)
        return osim_bind_error(ctx, &p->brackets, OSIM_ERANGE, "brackets: at most %d brackets",
                               OSIM_COMP_MAX_CLASSES - 1);
    for (k = 0; k < p->brackets_count; k++) {
        const B *b = &p->brackets[k];
        bool last = k + 1 == p->brackets_count;

        if (b->up_to_krw == 0 && !last)
            return osim_bind_error(ctx, &b->up_to_krw, OSIM_ESCHEMA,
                                   "brackets.%zu.up_to: missing; only the last bracket may be "
                                   "open-ended",
                                   k);
        if (k > 0 && b->up_to_krw != 0 && b->up_to_krw <= p->brackets[k - 1].up_to_krw)
            return osim_bind_error(ctx, &b->up_to_krw, OSIM_ERANGE,
                                   "brackets.%zu.up_to: %lld won is not above the previous "
                                   "bracket's %lld: brackets must ascend",
                                   k, (long long)b->up_to_krw,
                                   (long long)p->brackets[k - 1].up_to_krw);
        if (b->pay_krw == 0 && b->share == 0.0)
            return osim_bind_error(ctx, &b->pay_krw, OSIM_ESCHEMA,
                                   "brackets.%zu: pays nothing: give pay, share or both", k);
        /* A rejected claim must not get more than an approved one, or a
         * lower approval would raise the payment. */
        if (b->floor_krw > 0 &&
            (double)b->floor_krw >
                approved_pay(b, k == 0 ? 0.0 : (double)p->brackets[k - 1].up_to_krw))
            return osim_bind_error(ctx, &b->floor_krw, OSIM_ERANGE,
                                   "brackets.%zu.floor: %lld won is more than an approved claim "
                                   "gets at the bracket's lower edge",
                                   k, (long long)b->floor_krw);
        if (!(b->claim_weight > 0.0) || !isfinite(b->claim_weight))
            return osim_bind_error(ctx, &b->claim_weight, OSIM_ERANGE,
                                   "brackets.%zu.claim_weight: %g is not a positive number", k,
                                   b->claim_weight);
    }
    return 0;
}

/* The class name of bracket b (lo = previous edge, 0 for the first), with
 * amounts in the scenario's currency ("loss <= 300,000 won", "loss <= €300"). */
static void bracket_name(const B *b, int64_t lo, const osim_scenario *sc, char *buf, size_t n)
{
    char a[OSIM_MONEY_BUF], c[OSIM_MONEY_BUF];

    if (b->label != NULL) {
        snprintf(buf, n, "%s", b->label);
    } else if (b->up_to_krw == 0) {
        snprintf(buf, n, "loss > %s", osim__comp_money(a, sizeof(a), lo, sc));
    } else if (lo == 0) {
        snprintf(buf, n, "loss <= %s", osim__comp_money(a, sizeof(a), b->up_to_krw, sc));
    } else {
        /* A unit written after the number ("won") closes the range once:
         * "300,000 < loss <= 500,000 won"; a symbol goes on both ("€300 < loss <= €500"). */
        const osim_currency *cur = osim_currency_find(sc != NULL ? sc->currency : NULL);
        if (cur == NULL || cur->word != NULL)
            osim_money_digits(a, sizeof(a), (double)lo, cur);
        else
            osim__comp_money(a, sizeof(a), lo, sc);
        snprintf(buf, n, "%s < loss <= %s", a, osim__comp_money(c, sizeof(c), b->up_to_krw, sc));
    }
}

/* Classes: one per bracket, plus "not covered" above a closed last one. */
static size_t class_count(const P *p)
{
    size_t nb = p->brackets_count;

    return nb > 0 && p->brackets[nb - 1].up_to_krw == 0 ? nb : nb + 1;
}

/* The name of class k, for declare and eval alike. */
static void class_name(const P *p, size_t k, const osim_scenario *sc, char *buf, size_t n)
{
    char a[OSIM_MONEY_BUF];
    int64_t lo = k == 0 ? 0 : p->brackets[k - 1].up_to_krw;

    if (k < p->brackets_count)
        bracket_name(&p->brackets[k], lo, sc, buf, n);
    else
        snprintf(buf, n, "loss > %s (not covered)", osim__comp_money(a, sizeof(a), lo, sc));
}

/* The classes, and the upper edges of the brackets as plot marks. */
/*
 * The most one claimant of a bracket can be paid when losses reach at most
 * top_krw: an approved claim's min(pay + share x loss, cap) at the
 * bracket's upper edge (a conditional mean over the bracket is at most
 * that), or the floor. INFINITY for an uncapped share of an unbounded loss.
 */
static double claim_max_krw(const B *b, double top_krw)
{
    double hi = b->up_to_krw > 0 && (double)b->up_to_krw < top_krw ? (double)b->up_to_krw : top_krw;
    double x = b->share > 0.0 ? (double)b->pay_krw + b->share * hi : (double)b->pay_krw;

    if (b->cap_krw > 0 && x > (double)b->cap_krw)
        x = (double)b->cap_krw;
    return x > (double)b->floor_krw ? x : (double)b->floor_krw;
}

/*
 * Bound: every business of a covered segment a claimant (the claimants are
 * at most its count), each paid what the dearest bracket can pay for the
 * largest loss one business can have. The conditional means of eval are
 * computed in floating point: the bound has 1e-9 of room for their rounding.
 */
static double bound_krw(const P *p, const osim_scenario *sc)
{
    long double bound = 0.0L;
    size_t g, k;

    for (g = 0; g < sc->segments_count; g++) {
        double top = osim__comp_business_loss_max_krw(sc, g), per = 0.0;

        if (!osim__comp_selected(p->segments, p->segments_count, g) ||
            !(sc->segments[g].count > 0.0))
            continue;
        for (k = 0; k < p->brackets_count; k++) {
            double x = claim_max_krw(&p->brackets[k], top);
            if (x > per)
                per = x;
        }
        bound += (long double)sc->segments[g].count * per;
    }
    return (double)(bound * (1.0L + 1e-9L));
}

static int declare(const void *params, const osim_scenario *sc, osim_comp_shape *out)
{
    const P *p = params;
    char name[OSIM_COMP_NAME_MAX];
    size_t k, nk = class_count(p);
    int rc;

    /* What eval accepts (validate keeps a loaded policy within it). */
    if (p->brackets_count == 0 || p->brackets_count > OSIM_COMP_MAX_CLASSES - 1)
        return OSIM_EINVAL;
    out->max_total_krw = bound_krw(p, sc);
    for (k = 0; k < nk; k++) {
        class_name(p, k, sc, name, sizeof(name));
        if ((rc = osim__comp_declare_class(out, name)) != 0)
            return rc;
    }
    for (k = 0; k < p->brackets_count; k++)
        if (p->brackets[k].up_to_krw > 0 &&
            (rc = osim__comp_declare_mark(out, p->brackets[k].up_to_krw)) != 0)
            return rc;
    return 0;
}

/*
 * E[min(pay + share L, cap) ; lo < L <= hi] for one business of segment
 * si: the mean over all affected businesses, not yet conditioned on the
 * bracket (the caller divides by the bracket's probability).
 */
static double bracket_pay(const B *b, const osim_segment_impact *si, double lo, double hi,
                          double f_lo, double f_hi)
{
    double pay = (double)b->pay_krw, s = b->share, cap = (double)b->cap_krw;
    double t, f_t;

    if (b->cap_krw == 0)
        return pay * (f_hi - f_lo) + (s > 0.0 ? s * osim_segment_loss_partial(si, lo, hi) : 0.0);
    if (cap <= pay || s == 0.0)
        return (pay < cap ? pay : cap) * (f_hi - f_lo);
    /* The cap binds for L above t. */
    t = (cap - pay) / s;
    if (t <= lo)
        return cap * (f_hi - f_lo);
    if (t >= hi)
        return pay * (f_hi - f_lo) + s * osim_segment_loss_partial(si, lo, hi);
    f_t = osim_segment_loss_cdf(si, t);
    return pay * (f_t - f_lo) + s * osim_segment_loss_partial(si, lo, t) + cap * (f_hi - f_t);
}

static int eval(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    const P *p = params;
    size_t nb = p->brackets_count, nk, i, k;
    double count[OSIM_COMP_MAX_CLASSES] = {0}, paid[OSIM_COMP_MAX_CLASSES] = {0};
    long double nominal = 0.0L, total = 0.0L;
    double claimants = 0.0;
    bool offered;
    int rc;

    if ((rc = osim__comp_check_impact(im)) != 0)
        return rc;
    if (nb == 0 || nb > OSIM_COMP_MAX_CLASSES - 1 || rng == NULL)
        return OSIM_EINVAL;
    nk = class_count(p); /* the extra one: above the last edge, not covered */
    offered =
        osim__comp_segments_triggered(im, p->trigger_outage_h, p->segments, p->segments_count);

    for (i = 0; offered && i < im->sc->segments_count; i++) {
        const osim_segment_impact *si = &im->segments[i];
        double prob[OSIM_COMP_MAX_CLASSES], edge_f[OSIM_COMP_MAX_CLASSES + 1];
        double edge[OSIM_COMP_MAX_CLASSES + 1], weighted[OSIM_COMP_MAX_CLASSES];
        unsigned int drawn[OSIM_COMP_MAX_CLASSES];
        double n = si->claimants > 0.0 ? floor(si->claimants + 0.5) : 0.0;

        if (!osim__comp_selected(p->segments, p->segments_count, i) || n < 1.0)
            continue;
        if (n > (double)UINT_MAX)
            return OSIM_EOVERFLOW;
        /* Edges: -inf, up_to_0, ..., up_to_{nb-1} (or +inf when open), +inf. */
        edge[0] = -INFINITY;
        edge_f[0] = 0.0;
        for (k = 0; k < nk; k++) {
            bool top = k + 1 == nk;
            edge[k + 1] = top ? INFINITY : (double)p->brackets[k].up_to_krw;
            edge_f[k + 1] = top ? 1.0 : osim_segment_loss_cdf(si, edge[k + 1]);
            if (isnan(edge_f[k + 1]))
                return OSIM_EINVAL;
            prob[k] = edge_f[k + 1] - edge_f[k];
            if (prob[k] < 0.0) /* a CDF is monotone; guard rounding */
                prob[k] = 0.0;
            /* gsl_ran_multinomial normalises the weights itself. A weight of
             * 0 is a struct filled in C without one (validate refuses it in
             * a file): every bracket alike. */
            weighted[k] = k < nb && p->brackets[k].claim_weight > 0.0
                              ? prob[k] * p->brackets[k].claim_weight
                              : prob[k];
        }
        gsl_ran_multinomial(rng, nk, (unsigned int)n, weighted, drawn);
        for (k = 0; k < nk; k++) {
            double per, amount, approved;

            count[k] += drawn[k];
            claimants += drawn[k];
            if (k >= nb || drawn[k] == 0 || !(prob[k] > 0.0))
                continue;
            per = bracket_pay(&p->brackets[k], si, edge[k], edge[k + 1], edge_f[k], edge_f[k + 1]) /
                  prob[k];
            amount = drawn[k] * per;
            nominal += amount;
            /* Approved claims get the bracket's payment, the others its floor. */
            approved = amount * p->brackets[k].approval + drawn[k] *
                                                              (1.0 - p->brackets[k].approval) *
                                                              (double)p->brackets[k].floor_krw;
            total += (long double)approved;
            paid[k] += approved;
        }
    }

    for (k = 0; k < nk; k++) {
        char name[OSIM_COMP_NAME_MAX];

        class_name(p, k, im->sc, name, sizeof(name));
        if ((rc = osim__comp_class(out, name, count[k], paid[k])) != 0)
            return rc;
    }
    out->nominal_krw = (double)nominal;
    out->total_krw = (double)total;
    out->claimants = claimants;
    return 0;
}

const osim_comp_model osim__comp_loss_brackets = {
    .name = "loss_brackets",
    .doc = "Flat payments to claimants by the loss they claim, with a case-by-case bracket "
           "paying a share of the verified loss at an approval rate. Claimants are the impact "
           "model's sampled claimants, split over brackets by a multinomial draw from the "
           "segment's loss distribution. Basis: a voluntary scheme under the provider's duty "
           "to compensate (Telecommunications Business Act Art. 33), as in Kakao's plan for "
           "small businesses of 29 Dec 2022, made after a 127-hour outage: trigger_outage "
           "offers it only when a covered business was out that long in one stretch.",
    .params_schema = &schema,
    .validate = validate,
    .declare = declare,
    .eval = eval,
};
