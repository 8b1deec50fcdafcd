/*
 * migrate.c -- checks and resolution of a placement's `migrate:` (moving a
 * service's down systems to another site or provider; scenarios/README.md,
 * "Migration", and docs/model.md, "Migration").
 *
 * Invariant: a scenario without `migrate:` leaves every placement with
 * migrate.to NULL and nothing here runs, so the models behave exactly as
 * before the key existed. A scenario with one leaves here with `to`
 * resolved to a site index, the pace in systems per day (> 0) and the
 * number of systems the migration may move (limit >= 1), so the model
 * never parses text. A migration that could have no effect, or whose
 * settings contradict each other, is refused at the value's place.
 *
 * Rules (each with its reason):
 * - `to` must name a site of `sites:` that the service does not use:
 *   not an active site (it is already served there) and not a standby
 *   (a copy there is the failover's, or a standby nothing uses).
 * - a service that can fail over (failover manual or automatic) cannot
 *   also migrate: a service has one way to move, a failover of all of it
 *   to its standby or a migration of its down systems, since both would
 *   claim the same systems (docs/model.md, "Migration").
 * - a service with `backups:` cannot migrate: a restore brings data back to
 *   the systems rebuilt at their own site, and the model has no path for
 *   data to a moved system (it is not invented).
 * - pace > 0, capacity >= 1, systems >= 1 (whole numbers), systems at most
 *   capacity and at most the service's systems.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/units.h"
#include "scenario/scenario_int.h"

/* Was the value at addr given in the file (or by --set), not defaulted? */
static bool given(const osim_bind_ctx *ctx, const void *addr)
{
    const osim__note *n = osim__bind_lookup(ctx, addr);

    return n != NULL && !(n->flags & OSIM__P_DEFAULT);
}

static bool among(const size_t *list, size_t n, size_t site)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (list[i] == site)
            return true;
    return false;
}

/* A `migrate:` without `to`: whatever else it says has no effect. */
static int check_absent(osim_bind_ctx *ctx, const char *what, const osim_migrate *m)
{
    const void *at = m->pace != NULL            ? (const void *)&m->pace
                     : given(ctx, &m->capacity) ? (const void *)&m->capacity
                     : given(ctx, &m->systems)  ? (const void *)&m->systems
                     : given(ctx, &m->after_h)  ? (const void *)&m->after_h
                                                : NULL;

    if (at == NULL)
        return 0;
    return osim_bind_error(ctx, at, OSIM_ESCHEMA,
                           "%s: migrate without `to`: name the site the systems move to", what);
}

/* A whole count >= 1 when given (0: not given, the default). */
static int check_count(osim_bind_ctx *ctx, const char *what, const char *key, const double *v)
{
    if (!given(ctx, v))
        return 0;
    if (!(*v >= 1.0) || *v != floor(*v))
        return osim_bind_error(ctx, v, OSIM_ERANGE, "%s: migrate.%s must be a whole number >= 1",
                               what, key);
    return 0;
}

static int check_one(osim_bind_ctx *ctx, const osim_scenario *sc, const char *what,
                     osim_placement *p)
{
    osim_migrate *m = &p->migrate;
    const osim_service *svc = &sc->services[p->service];
    double n = (double)osim_service_systems(svc), lim;
    const char *why = NULL;
    long k;
    int rc;

    if (m->to == NULL)
        return check_absent(ctx, what, m);
    if ((k = osim_scenario_site_index(sc, m->to)) < 0)
        return osim_bind_error(ctx, &m->to, OSIM_EREF, "%s: migrate to unknown site '%s'", what,
                               m->to);
    m->site = (size_t)k;
    if (among(p->active, p->active_count, m->site))
        return osim_bind_error(ctx, &m->to, OSIM_ESCHEMA,
                               "%s: migrate to '%s', one of its active sites: a migration moves "
                               "systems to a site the service does not use",
                               what, m->to);
    if (among(p->standby, p->standby_count, m->site))
        return osim_bind_error(ctx, &m->to, OSIM_ESCHEMA,
                               "%s: migrate to '%s', its standby site: a migration moves systems "
                               "to a site the service does not use",
                               what, m->to);
    if (p->failover != OSIM_FAILOVER_NONE)
        return osim_bind_error(ctx, &m->to, OSIM_ESCHEMA,
                               "%s: migrate on a service that fails over: a service has one way "
                               "to move (a failover to its standby, or a migration); remove one",
                               what);
    if (p->backups_count > 0)
        return osim_bind_error(ctx, &m->to, OSIM_ESCHEMA,
                               "%s: migrate on a service with backups is not modelled (a restore "
                               "has no path to a moved system); remove one",
                               what);
    if (m->pace == NULL)
        return osim_bind_error(ctx, &m->to, OSIM_ESCHEMA,
                               "%s: migrate needs a pace (systems moved per day: 50/d)", what);
    if ((rc = osim__parse_rate_per_d(m->pace, &m->pace_per_d, &why)) != 0)
        return osim_bind_error(ctx, &m->pace, rc, "%s: migrate.pace '%s' %s", what, m->pace, why);
    if (!(m->pace_per_d > 0.0))
        return osim_bind_error(ctx, &m->pace, OSIM_ERANGE,
                               "%s: migrate.pace must be > 0 (got '%s'): nothing would move", what,
                               m->pace);
    if ((rc = check_count(ctx, what, "capacity", &m->capacity)) != 0 ||
        (rc = check_count(ctx, what, "systems", &m->systems)) != 0)
        return rc;
    if (given(ctx, &m->systems) && given(ctx, &m->capacity) && m->systems > m->capacity)
        return osim_bind_error(ctx, &m->systems, OSIM_ERANGE,
                               "%s: migrate.systems %.0f is more than the destination's capacity "
                               "%.0f",
                               what, m->systems, m->capacity);
    if (given(ctx, &m->systems) && m->systems > n)
        return osim_bind_error(ctx, &m->systems, OSIM_ERANGE,
                               "%s: migrate.systems %.0f is more than the service's %.0f systems",
                               what, m->systems, n);
    /* Defaults made explicit, so `params` lists what the model uses and
     * setting a listed value changes nothing: capacity all of the
     * service's systems, systems as many as the destination takes. */
    if (!given(ctx, &m->capacity))
        m->capacity = n;
    if (!given(ctx, &m->systems))
        m->systems = m->capacity < n ? m->capacity : n;
    lim = m->systems;
    m->limit = (unsigned)lim;
    return 0;
}

int osim__scenario_check_migrate(osim_bind_ctx *ctx, osim_scenario *sc)
{
    size_t ti, s;
    char what[300];
    int rc;

    for (ti = 0; ti < sc->topologies_count; ti++) {
        const osim_topology *t = &sc->topologies[ti];
        for (s = 0; s < sc->services_count; s++) {
            osim_placement *p = &t->placements[s];
            snprintf(what, sizeof(what), "topology '%s', service '%s'", t->name,
                     sc->services[p->service].name);
            if ((rc = check_one(ctx, sc, what, p)) != 0)
                return rc;
        }
    }
    return 0;
}
