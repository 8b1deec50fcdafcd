/*
 * copies.c -- checks and resolution of a placement's `backups:` (copies of
 * a service's data that cannot serve; scenarios/README.md, "Copies").
 *
 * Invariant: a scenario without `backups:` leaves every placement with
 * backups_count 0 and nothing here runs, so the models behave exactly as
 * before the key existed. A scenario with backups leaves here with every
 * `at:` resolved to a site (and zone) index, so the models never compare
 * strings. A backup that could have no effect, or no way back, is refused
 * with the place in the file: a backup of a service that holds no data, a
 * restore rate that can be zero or less (no restore path), an interval that
 * is not positive. A backup in the very building (or zone) the service runs
 * in is accepted: it is a copy, not a standby, and burns only with its racks.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario/scenario_int.h"

/* "site" or "site/zone" into b's location. */
static int resolve_at(osim_bind_ctx *ctx, const osim_scenario *sc, const char *what, osim_backup *b)
{
    const char *slash = strchr(b->at, '/');
    size_t len = slash != NULL ? (size_t)(slash - b->at) : strlen(b->at);
    long k = osim_scenario_site_index_n(sc, b->at, len), z;
    const osim_site *s;

    if (k < 0)
        return osim_bind_error(ctx, &b->at, OSIM_EREF, "%s: backup at unknown site '%.*s'", what,
                               (int)len, b->at);
    b->site = (size_t)k;
    b->whole_site = slash == NULL;
    b->zone = 0;
    if (slash == NULL)
        return 0;
    s = &sc->sites[k];
    if (s->zones_count == 0)
        return osim_bind_error(ctx, &b->at, OSIM_EREF,
                               "%s: backup at '%s', but site '%s' has no zones (write '%s')", what,
                               b->at, s->name, s->name);
    z = osim_site_zone_index(s, slash + 1);
    if (z < 0)
        return osim_bind_error(ctx, &b->at, OSIM_EREF,
                               "%s: backup at unknown zone '%s' of site '%s'", what, slash + 1,
                               s->name);
    b->zone = (size_t)z;
    return 0;
}

static int check_backup(osim_bind_ctx *ctx, const osim_scenario *sc, const char *what,
                        const osim_service *svc, osim_backup *b)
{
    int rc;

    if ((rc = resolve_at(ctx, sc, what, b)) != 0)
        return rc;
    if (!(b->interval_h > 0.0))
        return osim_bind_error(ctx, &b->interval_h, OSIM_ERANGE,
                               "%s: a backup's interval must be > 0", what);
    if (!(osim_dist_min(&b->restore_rate_gb_per_h) > 0.0))
        return osim_bind_error(ctx, &b->restore_rate_gb_per_h, OSIM_ERANGE,
                               "%s: restore_rate can be 0 or less: a backup with no restore path "
                               "(every value must be > 0 GB/h)",
                               what);
    if (!(svc->data_gb > 0.0))
        return osim_bind_error(ctx, &b->at, OSIM_ESCHEMA,
                               "%s: a backup of a service that holds no data (data: 0) can have "
                               "no effect",
                               what);
    return 0;
}

int osim__scenario_check_copies(osim_bind_ctx *ctx, osim_scenario *sc)
{
    size_t ti, s, i;
    char what[300];
    int rc;

    for (ti = 0; ti < sc->topologies_count; ti++) {
        const osim_topology *t = &sc->topologies[ti];
        for (s = 0; s < sc->services_count; s++) {
            osim_placement *p = &t->placements[s];
            if (p->backups_count == 0)
                continue;
            snprintf(what, sizeof(what), "topology '%s', service '%s'", t->name,
                     sc->services[p->service].name);
            if (p->backups_count > OSIM_BACKUPS_MAX)
                return osim_bind_error(ctx, &p->backups[OSIM_BACKUPS_MAX].at, OSIM_ERANGE,
                                       "%s: at most %d backups (got %zu)", what, OSIM_BACKUPS_MAX,
                                       p->backups_count);
            for (i = 0; i < p->backups_count; i++)
                if ((rc = check_backup(ctx, sc, what, &sc->services[p->service], &p->backups[i])) !=
                    0)
                    return rc;
        }
    }
    return 0;
}
