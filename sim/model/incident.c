/*
 * incident.c -- realising the fire: when each rack loses and regains power.
 *
 * Invariant (common random numbers): everything drawn here is a pure
 * function of (scenario, seed, replication), and every draw comes from a
 * stream named after what it is for ("incident" per affected site, "racks",
 * "restart" and "rebuild" per service). No topology is consulted, so every design
 * is replayed against the very same fire; and adding a service or a site
 * shifts no other draw.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/incident.h"
#include "outagesim/rng.h"

int osim_incident_new(const osim_scenario *sc, osim_incident **out)
{
    osim_incident *inc;
    size_t s, n = 0;

    inc = calloc(1, sizeof(*inc));
    if (inc == NULL)
        return OSIM_ENOMEM;
    inc->sites_count = sc->sites_count;
    inc->services_count = sc->services_count;
    inc->fire = calloc(sc->sites_count ? sc->sites_count : 1, sizeof(*inc->fire));
    inc->shard_base = calloc(sc->services_count ? sc->services_count : 1, sizeof(size_t));
    inc->shards = calloc(sc->services_count ? sc->services_count : 1, sizeof(size_t));
    if (inc->fire == NULL || inc->shard_base == NULL || inc->shards == NULL)
        goto fail;
    for (s = 0; s < sc->services_count; s++) {
        size_t k = osim_service_systems(&sc->services[s]);
        inc->shard_base[s] = n;
        inc->shards[s] = k;
        n += k;
    }
    inc->shards_total = n;
    inc->rack_pos = calloc(n * sc->sites_count + 1, sizeof(double));
    inc->restart_h = calloc(n * sc->sites_count + 1, sizeof(double));
    inc->rebuild_h = calloc(n * sc->sites_count + 1, sizeof(double));
    if (inc->rack_pos == NULL || inc->restart_h == NULL || inc->rebuild_h == NULL)
        goto fail;
    *out = inc;
    return 0;
fail:
    osim_incident_free(inc);
    return OSIM_ENOMEM;
}

void osim_incident_free(osim_incident *inc)
{
    if (inc == NULL)
        return;
    free(inc->rebuild_h);
    free(inc->restart_h);
    free(inc->rack_pos);
    free(inc->shards);
    free(inc->shard_base);
    free(inc->fire);
    free(inc);
}

static void draw_site_fire(const osim_incident_site *is, gsl_rng *r, osim_site_fire *f)
{
    /* The order of draws is part of the reproducibility contract. */
    f->detection_h = osim_dist_sample(&is->detection_h, r);
    f->ups_fail_h = osim_dist_sample(&is->ups_ride_through_h, r);
    f->partial_fraction = osim_dist_sample(&is->partial_loss_fraction, r);
    f->power_cut_h = osim_dist_sample(&is->power_cut_h, r);
    f->restoration_start_h = f->power_cut_h + osim_dist_sample(&is->suppression_h, r);
    f->restoration_scale = osim_dist_sample(&is->restoration_scale, r);
    f->destroyed_fraction = osim_dist_sample(&is->destroyed_fraction, r);
    f->replaced_h = f->restoration_start_h + osim_dist_sample(&is->replace_h, r);
    if (f->restoration_scale <= 0.0)
        f->restoration_scale = 0.0;
}

void osim_incident_draw(const osim_scenario *sc, uint64_t seed, uint64_t rep, osim_incident *inc)
{
    osim_rng_local lr;
    gsl_rng *r = &lr.r;
    uint64_t h_inc = osim_rng_name_hash("incident");
    uint64_t h_racks = osim_rng_name_hash("racks");
    uint64_t h_restart = osim_rng_name_hash("restart");
    uint64_t h_rebuild = osim_rng_name_hash("rebuild");
    size_t i, s, j, k;

    osim_rng_local_init(&lr, 0);
    for (k = 0; k < sc->sites_count; k++) {
        osim_site_fire *f = &inc->fire[k];
        memset(f, 0, sizeof(*f));
        f->detection_h = INFINITY;
        f->ups_fail_h = INFINITY;
        f->power_cut_h = INFINITY;
        f->restoration_start_h = INFINITY;
        f->restoration_scale = 1.0;
        f->replaced_h = INFINITY;
    }
    for (i = 0; i < sc->incident_count; i++) {
        const osim_incident_site *is = &sc->incident[i];
        osim_rng_seed(r, osim_rng_stream_seed_h(seed, rep, h_inc, i));
        draw_site_fire(is, r, &inc->fire[is->site]);
    }
    for (s = 0; s < sc->services_count; s++) {
        size_t base = inc->shard_base[s];
        osim_rng_seed(r, osim_rng_stream_seed_h(seed, rep, h_racks, s));
        for (j = 0; j < inc->shards[s]; j++)
            for (k = 0; k < sc->sites_count; k++)
                inc->rack_pos[(base + j) * sc->sites_count + k] = gsl_rng_uniform(r);
        osim_rng_seed(r, osim_rng_stream_seed_h(seed, rep, h_restart, s));
        for (j = 0; j < inc->shards[s]; j++)
            for (k = 0; k < sc->sites_count; k++)
                inc->restart_h[(base + j) * sc->sites_count + k] =
                    osim_dist_sample(&sc->services[s].restart_h, r);
        osim_rng_seed(r, osim_rng_stream_seed_h(seed, rep, h_rebuild, s));
        for (j = 0; j < inc->shards[s]; j++)
            for (k = 0; k < sc->sites_count; k++)
                inc->rebuild_h[(base + j) * sc->sites_count + k] =
                    osim_dist_sample(&sc->services[s].rebuild_h, r);
    }
}

/* Hours after restoration start (before scaling) at which `fraction` of the
 * racks have power, by linear interpolation of the profile. */
static double profile_time_for(const osim_incident_site *is, double fraction)
{
    const osim_profile_point *p = is->restoration;
    size_t i, n = is->restoration_count;

    if (n == 0)
        return INFINITY;
    if (fraction <= p[0].fraction)
        return p[0].after_h;
    for (i = 1; i < n; i++) {
        if (fraction <= p[i].fraction) {
            double df = p[i].fraction - p[i - 1].fraction;
            double w = df > 0.0 ? (fraction - p[i - 1].fraction) / df : 1.0;
            return p[i - 1].after_h + w * (p[i].after_h - p[i - 1].after_h);
        }
    }
    return INFINITY;
}

static const osim_incident_site *incident_for_site(const osim_scenario *sc, size_t site)
{
    size_t i;

    for (i = 0; i < sc->incident_count; i++)
        if (sc->incident[i].site == site)
            return &sc->incident[i];
    return NULL;
}

double osim_incident_power_back_h(const osim_scenario *sc, const osim_incident *inc, size_t site,
                                  double u)
{
    const osim_incident_site *is = incident_for_site(sc, site);
    const osim_site_fire *f = &inc->fire[site];
    double t;

    if (is == NULL || isinf(f->power_cut_h))
        return 0.0;
    /* Restoration works from the far end (u near 1) towards the fire zone. */
    t = f->restoration_start_h + f->restoration_scale * profile_time_for(is, 1.0 - u);
    if (u < f->destroyed_fraction && f->replaced_h > t)
        t = f->replaced_h;
    return t;
}
