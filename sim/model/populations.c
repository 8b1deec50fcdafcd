/*
 * populations.c -- the share of all users out when the users of some
 * services are disjoint or nested (`populations:`).
 *
 * Invariant: the share out is a function of the services' availabilities
 * alone, bit for bit, whatever the order in which they were set, and a
 * changed availability costs O(log services). So the distinct users' walk
 * (impact.c) and the distinct users at grid points (series.c) count the
 * same people, and neither cost depends on population.users.
 *
 * The rule (docs/model.md, "Distinct users"). A group's share out is a
 * fold over its services in listed order of pairs (P, S): S the share of
 * all users out so far, P the share of the users still to be placed that
 * the services so far serve, combined
 *     (P_L, S_L) . (P_R, S_R) = (P_L P_R, S_L + P_L S_R).
 * Service s, with x_s = user_share_s (1 - a_s) of all users out of it,
 * enters as
 *     disjoint:     (1, x_s)         S = sum_s x_s
 *     nested:       (a_s, x_s)       S = sum_j x_j prod_{i<j} a_i
 *     independent:  (1 - x_s, x_s)   S = 1 - prod_s (1 - x_s)
 * Nested is the union of a chain of subsets: a user of the j-th service is
 * a user of every one before it, and is out unless each of them serves it;
 * within its subset, whether one service serves it is independent of
 * whether another does (users are ranked per service, impact.h). Groups,
 * and every service in no group (a group of one), are independent of each
 * other: the whole share out is the independent fold of the groups' shares
 * (1 - S_G, S_G), in the order of each group's first service in
 * `services:`. An `independent` group is its services as groups of one.
 *
 * The combination is associative, so each fold lives in a segment tree of
 * fixed shape, its unused leaves the identity (1, 0) (exactly: 1 x S = S,
 * S + 0 = S, P x 1 = P): a node is always the fold of the leaves below it,
 * computed the same way, so the root depends on the leaves only.
 */
#include "model/populations.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "outagesim/error.h"

/* A fold of cap leaves (a power of two): node i in [1, 2 cap), leaf j at cap + j. */
typedef struct ftree {
    size_t cap;
    double *p; /* 2 cap: P of each node (node 0 unused) */
    double *s; /* 2 cap: S of each node */
} ftree;

struct osim__populations {
    const osim_scenario *sc;
    size_t n_units;     /* groups, a service in no group counting as a group of one */
    size_t *unit_of;    /* per service: its group */
    size_t *pos;        /* per service: its leaf in its group's fold */
    osim_overlap *kind; /* per group */
    ftree *unit;        /* per group: the fold of its services */
    ftree top;          /* the independent fold of the groups' shares out */
    double *store;      /* every tree's nodes, one allocation */
};

static void ftree_node(ftree *t, size_t i)
{
    t->p[i] = t->p[2 * i] * t->p[2 * i + 1];
    t->s[i] = t->s[2 * i] + t->p[2 * i] * t->s[2 * i + 1];
}

/* Leaf j is (p, s): fold the path to the root again. */
static void ftree_set(ftree *t, size_t j, double p, double s)
{
    size_t i = t->cap + j;

    t->p[i] = p;
    t->s[i] = s;
    for (i /= 2; i >= 1; i /= 2)
        ftree_node(t, i);
}

/* Every inner node again, from the leaves. */
static void ftree_build(ftree *t)
{
    size_t i;

    for (i = t->cap - 1; i >= 1; i--)
        ftree_node(t, i);
}

/* The leaf of service k at availability a (clamped to [0, 1]). */
static void leaf(const osim__populations *ps, size_t k, double a, double *p, double *s)
{
    osim_overlap kind = ps->kind[ps->unit_of[k]];
    double x;

    a = a < 0.0 ? 0.0 : a > 1.0 ? 1.0 : a;
    x = ps->sc->services[k].user_share * (1.0 - a);
    *s = x;
    *p = kind == OSIM_OVERLAP_DISJOINT ? 1.0 : kind == OSIM_OVERLAP_NESTED ? a : 1.0 - x;
}

void osim__populations_set(osim__populations *ps, size_t k, double a)
{
    size_t u = ps->unit_of[k];
    double p, s;

    leaf(ps, k, a, &p, &s);
    ftree_set(&ps->unit[u], ps->pos[k], p, s);
    s = ps->unit[u].s[1];
    ftree_set(&ps->top, u, 1.0 - s, s);
}

void osim__populations_load(osim__populations *ps, const double *avail)
{
    size_t n = ps->sc->services_count, k, u;

    for (k = 0; k < n; k++) {
        ftree *t = &ps->unit[ps->unit_of[k]];
        leaf(ps, k, avail[k], &t->p[t->cap + ps->pos[k]], &t->s[t->cap + ps->pos[k]]);
    }
    for (u = 0; u < ps->n_units; u++) {
        ftree *t = &ps->unit[u];
        ftree_build(t);
        ps->top.p[ps->top.cap + u] = 1.0 - t->s[1];
        ps->top.s[ps->top.cap + u] = t->s[1];
    }
    ftree_build(&ps->top);
}

double osim__populations_out(const osim__populations *ps)
{
    return ps->top.s[1];
}

void osim__populations_free(osim__populations *ps)
{
    if (ps == NULL)
        return;
    free(ps->store);
    free(ps->unit);
    free(ps->kind);
    free(ps->pos);
    free(ps->unit_of);
    free(ps);
}

static size_t pow2_at_least(size_t n)
{
    size_t c = 1;

    while (c < n)
        c *= 2;
    return c;
}

/*
 * Number the groups in the order of their first service; a service in no
 * group (or in an `independent` one) is a group of one. Sets unit_of, pos,
 * kind, n_units and each group's size in count[]. OSIM_EINVAL for a
 * service out of range or met twice.
 */
static int number_groups(osim__populations *ps, size_t *count)
{
    const osim_scenario *sc = ps->sc;
    size_t n = sc->services_count, g, j, k, u = 0;

    for (k = 0; k < n; k++)
        ps->unit_of[k] = SIZE_MAX;
    /* unit_of[k] holds the group index until the services are numbered. */
    for (g = 0; g < sc->populations_count; g++) {
        const osim_population_group *pg = &sc->populations[g];
        if (pg->overlap == OSIM_OVERLAP_INDEPENDENT)
            continue;
        for (j = 0; j < pg->services_count; j++) {
            k = pg->services[j];
            if (k >= n || ps->unit_of[k] != SIZE_MAX)
                return OSIM_EINVAL;
            ps->unit_of[k] = n + g; /* >= n: a group, not yet a unit */
            ps->pos[k] = j;
        }
    }
    for (k = 0; k < n; k++) {
        size_t first;
        if (ps->unit_of[k] == SIZE_MAX) {
            ps->kind[u] = OSIM_OVERLAP_INDEPENDENT;
            ps->pos[k] = 0;
            count[u] = 1;
            ps->unit_of[k] = u++;
            continue;
        }
        if (ps->unit_of[k] < n)
            continue; /* numbered with its group's first service */
        g = ps->unit_of[k] - n;
        ps->kind[u] = sc->populations[g].overlap;
        count[u] = sc->populations[g].services_count;
        for (j = 0; j < count[u]; j++) {
            first = sc->populations[g].services[j];
            ps->unit_of[first] = u;
        }
        u++;
    }
    ps->n_units = u;
    return 0;
}

int osim__populations_new(const osim_scenario *sc, osim__populations **out)
{
    size_t n, g, u, nodes = 0, off = 0, j;
    size_t *count = NULL;
    osim__populations *ps = NULL;
    bool any = false;
    int rc = OSIM_ENOMEM;

    if (sc == NULL || out == NULL)
        return OSIM_EINVAL;
    *out = NULL;
    n = sc->services_count;
    for (g = 0; g < sc->populations_count; g++) {
        if (sc->populations[g].services_count > 0 && sc->populations[g].services == NULL)
            return OSIM_EINVAL;
        if (sc->populations[g].overlap != OSIM_OVERLAP_INDEPENDENT)
            any = true;
    }
    if (!any || n == 0)
        return 0;
    ps = calloc(1, sizeof(*ps));
    count = calloc(n, sizeof(*count));
    if (ps == NULL || count == NULL)
        goto fail;
    ps->sc = sc;
    ps->unit_of = calloc(n, sizeof(*ps->unit_of));
    ps->pos = calloc(n, sizeof(*ps->pos));
    ps->kind = calloc(n, sizeof(*ps->kind));
    ps->unit = calloc(n, sizeof(*ps->unit));
    if (ps->unit_of == NULL || ps->pos == NULL || ps->kind == NULL || ps->unit == NULL)
        goto fail;
    rc = number_groups(ps, count);
    if (rc != 0)
        goto fail;
    rc = OSIM_ENOMEM;
    for (u = 0; u < ps->n_units; u++) {
        ps->unit[u].cap = pow2_at_least(count[u]);
        nodes += 4 * ps->unit[u].cap;
    }
    ps->top.cap = pow2_at_least(ps->n_units);
    nodes += 4 * ps->top.cap;
    ps->store = malloc(nodes * sizeof(*ps->store));
    if (ps->store == NULL)
        goto fail;
    for (u = 0; u <= ps->n_units; u++) {
        ftree *t = u < ps->n_units ? &ps->unit[u] : &ps->top;
        t->p = ps->store + off;
        t->s = ps->store + off + 2 * t->cap;
        off += 4 * t->cap;
        /* Every node the identity (1, 0): what every service up folds to. */
        for (j = 0; j < 2 * t->cap; j++) {
            t->p[j] = 1.0;
            t->s[j] = 0.0;
        }
    }
    free(count);
    *out = ps;
    return 0;
fail:
    free(count);
    osim__populations_free(ps);
    return rc;
}
