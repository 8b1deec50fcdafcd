/*
 * effect.c -- settings that cannot take effect.
 *
 * A scenario is a description of a world, and a value in it promises that
 * it matters. A setting the model never reads (a replication lag on a
 * synchronous copy, a detection delay on a manual failover, a failover
 * with nothing to fail over to) would sit in the file, in `params` and in
 * every sweep over it as if it changed something, and a sweep over it
 * would report the same result at every point. So each such combination
 * is refused, at the file:line:col of the value, with a message that says
 * what to do instead.
 *
 * Invariant: every rule names one key of one kind of item (a placement
 * today) and the condition under which the model ignores it. A value is
 * refused only when it departs from the key's default: `params` lists the
 * key with its default (or hides it, see below), and setting a listed path
 * to its listed value must change nothing. When the condition leaves the
 * key without effect whatever its value (rule.hide), `params` does not list
 * it at all (osim__effect_hidden), so sweeps and `sensitivity` do not swing
 * it. Each rule was checked against the model (sim/model/replay.c): the
 * condition is exactly where the replay does not read the key.
 *
 * Adding a rule is one function of the condition and one line of the
 * table (a key of a new kind of item -- a service's priority, a backup --
 * needs that kind in effect_item and in run_kind). The rules run in table
 * order and the first that refuses is reported, like every other check.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario_int.h"

/* What a rule looks at: one placement of one topology, with its service. */
typedef struct effect_item {
    const osim_scenario *sc;
    const osim_topology *t;
    const osim_placement *p;
    const osim_service *s;
} effect_item;

/* The kinds of items rules are about (the schema name of the item). */
typedef enum effect_kind {
    EFFECT_PLACEMENT = 0,
} effect_kind;

/* The form of a key's value, to tell whether it departs from its default. */
typedef enum effect_form {
    FORM_ENUM = 0, /* int, default 0 */
    FORM_DIST,     /* osim_dist, default fixed `def` */
    FORM_NUMBER,   /* double, default `def` */
    FORM_REFS,     /* list of references, default empty: at points at the item index `nth` */
    FORM_REALS,    /* list of numbers the binder counts (load_share), default absent */
} effect_form;

typedef struct effect_rule {
    effect_kind kind;
    const char *key; /* the key refused (and hidden, see hide) */
    effect_form form;
    size_t offset;       /* of the key's value in the item */
    double def;          /* its default (FORM_DIST, FORM_NUMBER) */
    size_t count_offset; /* FORM_REFS: of the list's count */
    size_t nth;          /* FORM_REFS: the list item the rule is about (0: any, 1: a second...) */
    /* The condition: the key (its nth item) can take no effect on this item. */
    bool (*when)(const effect_item *it);
    bool hide; /* the condition leaves the key without effect whatever its value */
    /* The rest of the message, after "topology 'T', service 'S': <key> ": why it
     * has no effect, and what to do instead. */
    const char *why;
} effect_rule;

/* ------------------------------------------------------------ conditions */

static bool no_standby(const effect_item *it)
{
    return it->p->standby_count == 0;
}

/* A failover needs the data at the standby, unless there is none to need. */
static bool holds_data_unreplicated(const effect_item *it)
{
    return it->p->replication == OSIM_REPL_NONE && !osim_service_stateless(it->s);
}

/* Without a failover, a standby matters only as a copy of data. */
static bool standby_unused(const effect_item *it)
{
    return it->p->failover == OSIM_FAILOVER_NONE &&
           (it->p->replication == OSIM_REPL_NONE || osim_service_stateless(it->s));
}

/* Only the first standby is failed over to; the others only hold copies. */
static bool extra_standby_unused(const effect_item *it)
{
    return it->p->replication == OSIM_REPL_NONE || osim_service_stateless(it->s);
}

static bool single_site(const effect_item *it)
{
    return it->p->active_count == 1 && it->p->standby_count == 0;
}

static bool not_async(const effect_item *it)
{
    return it->p->replication != OSIM_REPL_ASYNC;
}

static bool not_automatic(const effect_item *it)
{
    return it->p->failover != OSIM_FAILOVER_AUTOMATIC;
}

static bool not_manual(const effect_item *it)
{
    return it->p->failover != OSIM_FAILOVER_MANUAL;
}

static bool no_failover(const effect_item *it)
{
    return it->p->failover == OSIM_FAILOVER_NONE;
}

static bool no_prerequisite(const effect_item *it)
{
    return it->p->failover != OSIM_FAILOVER_NONE && it->p->needs_count == 0;
}

/* One active site with one system is either wholly up or wholly down. */
static bool all_or_nothing(const effect_item *it)
{
    return it->p->active_count == 1 && osim_service_systems(it->s) == 1;
}

static bool one_active_site(const effect_item *it)
{
    return it->p->active_count == 1;
}

/* ------------------------------------------------------------ the rules */

static const effect_rule rules[] = {
    {EFFECT_PLACEMENT, "failover", FORM_ENUM, offsetof(osim_placement, failover), 0, 0, 0,
     no_standby, true,
     "has no standby site to fail over to: add one under standby, or set failover: none"},
    {EFFECT_PLACEMENT, "failover", FORM_ENUM, offsetof(osim_placement, failover), 0, 0, 0,
     holds_data_unreplicated, false,
     "without replication would serve from a standby that lacks the service's data (data or "
     "data_change > 0): set replication: async or sync, or failover: none (only a stateless "
     "service, with data and data_change 0, fails over without replication)"},
    {EFFECT_PLACEMENT, "standby", FORM_REFS, offsetof(osim_placement, standby), 0,
     offsetof(osim_placement, standby_count), 0, standby_unused, true,
     "is never used: with failover: none it is not failed over to, and without replicated "
     "data it holds no copy; set failover: manual or automatic (and replication, if the "
     "service holds data), or remove the standby"},
    {EFFECT_PLACEMENT, "standby", FORM_REFS, offsetof(osim_placement, standby), 0,
     offsetof(osim_placement, standby_count), 1, extra_standby_unused, false,
     "beyond the first is never used: only the first standby is failed over to, and without "
     "replicated data a further one holds no copy; remove it, or replicate the service's "
     "data (replication: async or sync)"},
    {EFFECT_PLACEMENT, "replication", FORM_ENUM, offsetof(osim_placement, replication), 0, 0, 0,
     single_site, true,
     "has no effect: the service runs at one active site with no standby, so there is no "
     "other copy; add a standby (or a second active site), or remove it"},
    {EFFECT_PLACEMENT, "lag", FORM_DIST, offsetof(osim_placement, lag_h), 0, 0, 0, not_async, true,
     "has no effect without replication: async (it is what asynchronous replication loses); "
     "remove it or set replication: async"},
    {EFFECT_PLACEMENT, "detect", FORM_DIST, offsetof(osim_placement, detect_h), 0, 0, 0,
     not_automatic, true,
     "has no effect without failover: automatic (a manual failover is requested when the "
     "operators learn of the fire: the incident's detection); remove it or set failover: "
     "automatic"},
    {EFFECT_PLACEMENT, "failover_time", FORM_DIST, offsetof(osim_placement, failover_h), 0, 0, 0,
     no_failover, true,
     "has no effect with failover: none; remove it or set failover: manual or automatic"},
    {EFFECT_PLACEMENT, "needs", FORM_REFS, offsetof(osim_placement, needs), 0,
     offsetof(osim_placement, needs_count), 0, no_failover, true,
     "(what a failover waits for) has no effect with failover: none; remove it or set "
     "failover: manual or automatic (what the service needs to serve goes under "
     "services[].needs)"},
    {EFFECT_PLACEMENT, "needs_min", FORM_NUMBER, offsetof(osim_placement, needs_min), 1.0, 0, 0,
     no_failover, true,
     "has no effect with failover: none; remove it or set failover: manual or automatic"},
    {EFFECT_PLACEMENT, "needs_min", FORM_NUMBER, offsetof(osim_placement, needs_min), 1.0, 0, 0,
     no_prerequisite, true,
     "has no effect without needs (the services a failover waits for); remove it or list them "
     "under needs"},
    {EFFECT_PLACEMENT, "staff", FORM_NUMBER, offsetof(osim_placement, staff), 1.0, 0, 0, not_manual,
     true,
     "has no effect without failover: manual (only manual failovers take staff); remove it or "
     "set failover: manual"},
    {EFFECT_PLACEMENT, "headroom", FORM_NUMBER, offsetof(osim_placement, headroom), 0.0, 0, 0,
     all_or_nothing, true,
     "has no effect: at one active site with one system the service is wholly up or wholly "
     "down; remove it, or give the service more systems or a second active site"},
    {EFFECT_PLACEMENT, "load_share", FORM_REALS, offsetof(osim_placement, load_share), 0.0, 0, 0,
     one_active_site, true,
     "has no effect with one active site, which carries all the load; "
     "remove it"},
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

/* ------------------------------------------------------------ checking */

/* Was the value at addr given in the file (or by --set), not defaulted? */
static bool given(const osim_bind_ctx *ctx, const void *addr)
{
    const osim__note *n = osim__bind_lookup(ctx, addr);

    return n != NULL && !(n->flags & OSIM__P_DEFAULT);
}

/* The address of the rule's value in item base when it departs from the
 * key's default (what the rule refuses), else NULL. */
static const void *departing(const osim_bind_ctx *ctx, const effect_rule *r, const void *base)
{
    const char *at = (const char *)base + r->offset;

    switch (r->form) {
    case FORM_ENUM: return *(const int *)at != 0 ? at : NULL;
    case FORM_DIST: {
        const osim_dist *d = (const osim_dist *)at;
        return given(ctx, d) && !(d->kind == OSIM_DIST_FIXED && d->p[0] == r->def) ? at : NULL;
    }
    case FORM_NUMBER: return given(ctx, at) && *(const double *)at != r->def ? at : NULL;
    case FORM_REFS: {
        const size_t *list = *(size_t *const *)at;
        size_t count = *(const size_t *)((const char *)base + r->count_offset);
        return count > r->nth ? (const void *)&list[r->nth] : NULL;
    }
    case FORM_REALS: {
        const osim__note *n = osim__bind_lookup(ctx, at);
        return n != NULL && (n->flags & OSIM__P_COUNTED) && n->count > 0 ? at : NULL;
    }
    }
    return NULL;
}

static int run_placements(osim_bind_ctx *ctx, const osim_scenario *sc)
{
    size_t ti, i, k;

    for (ti = 0; ti < sc->topologies_count; ti++) {
        const osim_topology *t = &sc->topologies[ti];
        for (i = 0; i < sc->services_count; i++) {
            effect_item it = {sc, t, &t->placements[i], &sc->services[t->placements[i].service]};
            for (k = 0; k < N_RULES; k++) {
                const effect_rule *r = &rules[k];
                const void *at;
                if (r->kind != EFFECT_PLACEMENT || !r->when(&it) ||
                    (at = departing(ctx, r, it.p)) == NULL)
                    continue;
                if (r->form == FORM_REFS && strcmp(r->key, "standby") == 0)
                    return osim_bind_error(
                        ctx, at, OSIM_ESCHEMA, "topology '%s', service '%s': standby site '%s' %s",
                        t->name, it.s->name, sc->sites[*(const size_t *)at].name, r->why);
                if (r->form == FORM_ENUM && strcmp(r->key, "failover") == 0)
                    return osim_bind_error(
                        ctx, at, OSIM_ESCHEMA, "topology '%s', service '%s': failover: %s %s",
                        t->name, it.s->name,
                        it.p->failover == OSIM_FAILOVER_MANUAL ? "manual" : "automatic", r->why);
                return osim_bind_error(ctx, at, OSIM_ESCHEMA, "topology '%s', service '%s': %s %s",
                                       t->name, it.s->name, r->key, r->why);
            }
        }
    }
    return 0;
}

int osim__scenario_check_effect(osim_bind_ctx *ctx, const osim_scenario *sc)
{
    return run_placements(ctx, sc);
}

/* ------------------------------------------------------------ params */

bool osim__effect_hidden(const osim_scenario *sc, const osim_schema *s, const osim_field *f,
                         const void *base)
{
    const osim_placement *p = base;
    effect_item it = {sc, NULL, p, NULL};
    size_t ti, k;

    if (strcmp(s->name, "placement") != 0)
        return false;
    /* No migration: its keys are not settings (a scenario without the key
     * lists exactly what it did before the key existed). */
    if (strcmp(f->key, "migrate") == 0)
        return p->migrate.to == NULL;
    for (ti = 0; ti < sc->topologies_count && it.t == NULL; ti++) {
        const osim_topology *t = &sc->topologies[ti];
        if (p >= t->placements && p < t->placements + sc->services_count)
            it.t = t;
    }
    if (it.t == NULL || p->service >= sc->services_count)
        return false;
    it.s = &sc->services[p->service];
    for (k = 0; k < N_RULES; k++)
        if (rules[k].kind == EFFECT_PLACEMENT && rules[k].hide &&
            strcmp(rules[k].key, f->key) == 0 && rules[k].when(&it))
            return true;
    return false;
}
