/*
 * limits.c -- products of inputs that must fit the reports' whole won.
 *
 * Every figure of money the program reports is a product of numbers the
 * scenario gives: businesses x revenue per hour x hours, subscribers x a
 * monthly fee, recipients x an amount per recipient. Each number alone is
 * within its own limit (counts 10^15, money int64), but their product is
 * not: a run used to compute for minutes before a report refused a figure
 * "out of range" (past int64 won, 2^63) with no place in the file and
 * nothing written. The loader checks those products instead, where it can
 * point at file:line:col, so `validate` refuses what `run` would.
 *
 * The limit is the reports' own: 2^63 won (9,223,372,036,854,775,808).
 * Totals are exact to the won below 2^53 and rounded to a double above it
 * (10^16 won is still printed to the last won, compensation.h), which is
 * why the limit is not 2^53. A product here is the scale of a figure, not
 * its worst case: an outage as long as the horizon, a distribution at its
 * mean, a profile at its peak hour of the week. Compensation models are
 * plug-ins this layer does not know: their parameters are checked by type,
 * every amount of won in a policy times the largest count it could be paid
 * to (population.users, a service's subscribers, a segment's count, or a
 * count among the policy's own parameters). A model's own multiples (10 x
 * the hourly fee, months of fees) are not known here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "outagesim/dist.h"
#include "outagesim/money.h"
#include "scenario/scenario_int.h"

/* 2^63: the first whole number of won that is not an int64, the reports' figure. */
#define LIMIT_KRW 9223372036854775808.0
/* After "2^63 <unit>": messages name the scenario's unit ("won", "EUR"). */
#define LIMIT_TAIL "(9,223,372,036,854,775,807 is the largest figure a report holds)"
/* Annual costs are subtracted from each other (net benefit): half the limit each. */
#define COST_LIMIT_KRW (LIMIT_KRW / 2.0)

/* How amounts of sc are named in messages: "won" for KRW, else the code. */
static const char *unit_of(const osim_scenario *sc)
{
    const osim_currency *c = osim_currency_find(sc->currency);

    if (c == NULL)
        c = osim_currency_default();
    return c->word != NULL ? c->word : c->code;
}

static int refuse(osim_bind_ctx *ctx, const void *addr, const char *what, const char *product,
                  double v, const char *unit)
{
    char won[64];

    osim_format_krw(won, sizeof(won), v);
    return osim_bind_error(ctx, addr, OSIM_ERANGE,
                           "%s: out of range: %s = %s %s, past the limit of 2^63 %s " LIMIT_TAIL,
                           what, product, won, unit, unit);
}

/* The largest entry of a profile normalised to mean 1 (check_segments):
 * the factor of the peak hour or day over the average one. */
static double profile_peak(const double *x, size_t n)
{
    double m = 0.0;
    size_t i;

    for (i = 0; i < n; i++)
        if (x[i] > m)
            m = x[i];
    return m > 1.0 ? m : 1.0;
}

/* The largest count money could be multiplied by, and which it is. */
typedef struct biggest {
    double n;
    char what[160];
} biggest;

/* what is the path of the count: a + b + c, joined. */
static void consider(biggest *b, double n, const char *a, const char *name, const char *c)
{
    if (n > b->n) {
        b->n = n;
        /* A long path is cut to fit: it only names the count in a message. */
        if (snprintf(b->what, sizeof(b->what), "%s%s%s", a, name, c) < 0)
            b->what[0] = '\0';
    }
}

/* A policy parameter walk: visit (field, address, path) for MONEY and
 * count-typed fields of a params struct, through nested maps and lists. */
typedef int (*visit_fn)(void *ud, const osim_field *f, const void *slot, const char *path);

static int walk(osim_bind_ctx *ctx, const osim_schema *s, const void *base, const char *path,
                visit_fn fn, void *ud)
{
    size_t i, k;
    int rc;

    for (i = 0; i < s->fields_count; i++) {
        const osim_field *f = &s->fields[i];
        const void *slot = (const char *)base + f->offset;
        char sub[300];

        osim__path_join(sub, sizeof(sub), path, f->key);
        if (f->type == OSIM_FT_MONEY || f->type == OSIM_FT_COUNT) {
            if ((rc = fn(ud, f, slot, sub)) != 0)
                return rc;
        } else if (f->type == OSIM_FT_MAP && f->sub != NULL && !(f->flags & OSIM_F_CUSTOM)) {
            if ((rc = walk(ctx, f->sub, slot, sub, fn, ud)) != 0)
                return rc;
        } else if (f->type == OSIM_FT_SEQ && f->sub != NULL) {
            const char *items = *(const char *const *)slot;
            size_t n;
            if (f->count_offset != OSIM_NO_COUNT) {
                n = *(const size_t *)((const char *)base + f->count_offset);
            } else {
                const osim__note *note = osim__bind_lookup(ctx, slot);
                n = note != NULL && (note->flags & OSIM__P_COUNTED) ? note->count : 0;
            }
            for (k = 0; items != NULL && k < n; k++) {
                char item[340];
                snprintf(item, sizeof(item), "%s.%zu", sub, k);
                if ((rc = walk(ctx, f->sub, items + k * f->sub->size, item, fn, ud)) != 0)
                    return rc;
            }
        }
    }
    return 0;
}

typedef struct policy_walk {
    osim_bind_ctx *ctx;
    const osim_policy *policy;
    biggest *count;
    const char *unit; /* of money: unit_of(sc) */
} policy_walk;

/* First pass: the policy's own counts (recipients, first_n...), in "count". */
static int find_counts(void *ud, const osim_field *f, const void *slot, const char *path)
{
    policy_walk *w = ud;

    if (f->type == OSIM_FT_COUNT && strcmp(osim__field_unit(f), "count") == 0) {
        char tail[320];
        snprintf(tail, sizeof(tail), ".params.%s", path);
        consider(w->count, *(const double *)slot, "policies.", w->policy->name, tail);
    }
    return 0;
}

/* Second pass: every amount times the largest count. */
static int check_amounts(void *ud, const osim_field *f, const void *slot, const char *path)
{
    policy_walk *w = ud;
    char what[400], product[400], won[64];
    double amount;

    if (f->type != OSIM_FT_MONEY)
        return 0;
    amount = (double)*(const int64_t *)slot;
    if (amount * w->count->n < LIMIT_KRW)
        return 0;
    osim_format_krw(won, sizeof(won), amount);
    snprintf(what, sizeof(what), "policies.%s.params.%s", w->policy->name, path);
    snprintf(product, sizeof(product), "%s %s x %.15g (%s, the most it could be paid to)", won,
             w->unit, w->count->n, w->count->what);
    return refuse(w->ctx, slot, what, product, amount * w->count->n, w->unit);
}

static int check_policies(osim_bind_ctx *ctx, const osim_scenario *sc, const biggest *people)
{
    size_t i;
    int rc;

    for (i = 0; i < sc->policies_count; i++) {
        const osim_policy *p = &sc->policies[i];
        biggest b = *people;
        policy_walk w = {ctx, p, &b, unit_of(sc)};
        if (p->params_schema == NULL || p->params == NULL)
            continue;
        if ((rc = walk(ctx, p->params_schema, p->params, "", find_counts, &w)) != 0)
            return rc;
        if ((rc = walk(ctx, p->params_schema, p->params, "", check_amounts, &w)) != 0)
            return rc;
    }
    return 0;
}

int osim__scenario_check_limits(osim_bind_ctx *ctx, const osim_scenario *sc)
{
    biggest people = {0.0, ""};
    char what[300], product[400], a[64], b[64];
    const char *unit = unit_of(sc);
    size_t i;

    consider(&people, sc->population.users, "", "population.users", "");
    for (i = 0; i < sc->services_count; i++) {
        const osim_service *s = &sc->services[i];
        /* Fees over the horizon, in billing months of 720 h (at least one). */
        double months = sc->horizon_h > 720.0 ? sc->horizon_h / 720.0 : 1.0;
        double fees = s->subscribers * (double)s->monthly_fee_krw * months;
        double revenue = (double)s->revenue_krw_per_h * sc->horizon_h;
        consider(&people, s->subscribers, "services.", s->name, ".subscribers");
        snprintf(what, sizeof(what), "services.%s", s->name);
        if (fees >= LIMIT_KRW) {
            osim_format_krw(a, sizeof(a), (double)s->monthly_fee_krw);
            snprintf(product, sizeof(product),
                     "subscribers x monthly_fee x months of the horizon (at least 1) = %.15g x "
                     "%s %s x %g",
                     s->subscribers, a, unit, months);
            /* Point at the factor out of scale: the larger of the two. */
            return refuse(ctx,
                          s->subscribers > (double)s->monthly_fee_krw
                              ? (const void *)&s->subscribers
                              : (const void *)&s->monthly_fee_krw,
                          what, product, fees, unit);
        }
        if (revenue >= LIMIT_KRW) {
            osim_format_krw(a, sizeof(a), (double)s->revenue_krw_per_h);
            snprintf(product, sizeof(product),
                     "revenue_per_h x scenario.horizon (its revenue over the horizon) = %s %s/h x "
                     "%g h",
                     a, unit, sc->horizon_h);
            return refuse(ctx, &s->revenue_krw_per_h, what, product, revenue, unit);
        }
    }
    for (i = 0; i < sc->segments_count; i++) {
        const osim_segment *g = &sc->segments[i];
        double mean = osim_dist_mean(&g->hourly_revenue_krw);
        double peak = profile_peak(g->hourly_profile, 24) * profile_peak(g->weekly_profile, 7);
        double loss = g->count * mean * peak * sc->horizon_h;
        consider(&people, g->count, "businesses.", g->name, ".count");
        if (!(loss < LIMIT_KRW)) {
            osim_format_krw(b, sizeof(b), mean);
            snprintf(what, sizeof(what), "businesses.%s", g->name);
            snprintf(product, sizeof(product),
                     "count x mean hourly_revenue x peak of the hourly and weekly profiles x "
                     "scenario.horizon = %.15g x %s %s/h x %g x %g h",
                     g->count, b, unit, peak, sc->horizon_h);
            return refuse(ctx, g->count > mean ? (const void *)&g->count : &g->hourly_revenue_krw,
                          what, product, loss, unit);
        }
    }
    for (i = 0; i < sc->topologies_count; i++) {
        const osim_topology *t = &sc->topologies[i];
        if ((double)t->annual_cost_krw >= COST_LIMIT_KRW) {
            snprintf(what, sizeof(what), "topologies.%s", t->name);
            return osim_bind_error(
                ctx, &t->annual_cost_krw, OSIM_ERANGE,
                "%s: out of range: annual_cost must be below 2^62 %s (4,611,686,018,427,387,904): "
                "net benefits subtract annual costs from each other and must stay below 2^63 "
                "%s " LIMIT_TAIL,
                what, unit, unit);
        }
    }
    return check_policies(ctx, sc, &people);
}
