/*
 * copies.c -- backups: copies of a service's data that cannot serve.
 *
 * A replica (a standby or another active site with replication) can serve;
 * a backup only holds data. When a system's equipment is destroyed and no
 * replica of it survives, the newest backup that did not burn decides what
 * is lost (the changes since it was taken), and the system's data must be
 * restored from it once the system is rebuilt; with no backup left, the
 * system's share of the data is lost whole.
 *
 * Invariant: the draws here come from streams of their own, one per
 * (service, backup), so adding or changing backups shifts no other draw
 * (the fire, rack positions, failover times, the other backups stay the
 * same: common random numbers across designs), and a placement without
 * backups draws nothing.
 */
#include <math.h>

#include "model/copies.h"
#include "outagesim/dist.h"
#include "outagesim/rng.h"

/* Where backup b sits: anywhere on its site's axis, or within its zone. */
static double backup_u(const osim_scenario *sc, const osim_backup *b, double x)
{
    const osim_zone *z;

    if (b->whole_site)
        return x;
    z = &sc->sites[b->site].zones[b->zone];
    return z->lo + x * (z->hi - z->lo);
}

long osim__copies_draw(const osim_scenario *sc, const osim_incident *inc, const osim_placement *pl,
                       size_t s, uint64_t seed, uint64_t rep, gsl_rng *r, osim__backup_draw *out)
{
    uint64_t h = osim_rng_name_hash("backups");
    long newest = -1;
    size_t i;

    for (i = 0; i < pl->backups_count; i++) {
        const osim_backup *b = &pl->backups[i];
        osim__backup_draw *d = &out[i];
        double phase;
        osim_rng_seed(r, osim_rng_stream_seed_h(seed, rep, h, (uint64_t)s * OSIM_BACKUPS_MAX + i));
        d->u = backup_u(sc, b, gsl_rng_uniform(r));
        phase = gsl_rng_uniform(r);
        d->age_h = osim_dist_sample(&b->lag_h, r);
        if (!(d->age_h > 0.0))
            d->age_h = 0.0;
        /* The fire strikes at a uniform phase of the backup cycle. */
        d->age_h += phase * b->interval_h;
        d->rate_gb_per_h = osim_dist_sample(&b->restore_rate_gb_per_h, r);
        d->burned = osim_incident_destroyed(sc, inc, b->site, d->u);
        if (!d->burned && (newest < 0 || d->age_h < out[newest].age_h))
            newest = (long)i;
    }
    return newest;
}

double osim__copies_loss_gb(const osim_service *s, double gb, const osim__backup_draw *newest)
{
    double since;

    if (newest == NULL)
        return gb;
    since = newest->age_h * s->data_change_gb_per_h;
    return since < gb ? since : gb;
}
