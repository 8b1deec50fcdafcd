/*
 * incident.c -- realising the fire: when each rack loses and regains power.
 *
 * Invariant (common random numbers): everything drawn here is a pure
 * function of (scenario, seed, replication), and every draw comes from a
 * stream named after what it is for ("incident" per affected site, "racks",
 * "restart" and "rebuild" per service, "zones" per incident entry with
 * zones or deliveries, "decisions" per timed decision). No topology is
 * consulted, so every design is replayed against the very same fire; and
 * adding a service or a site shifts no other draw. A scenario without
 * zones, with:, roles, offsets, deliveries or decisions draws exactly what
 * it drew before those existed, and its power history is the single
 * stretch [dark, back) of the continuous rules, to the same bits.
 *
 * Failure domains: a zone is a power domain (one dark and one back instant
 * per replication, precomputed in draw_zones); a placement maps a shard's
 * drawn position into its zones (osim_incident_place_u), the same draw
 * under every design; osim_incident_power_history() overlays the timed
 * decisions on the incident's stretch by evaluating, at each instant where
 * something changes, whether the equipment can run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/incident.h"
#include "outagesim/rng.h"

int osim_incident_new(const osim_scenario *sc, osim_incident **out)
{
    osim_incident *inc;
    size_t s, z, n = 0;

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
    inc->zone_base = calloc(sc->sites_count + 1, sizeof(size_t));
    if (inc->zone_base == NULL)
        goto fail;
    for (z = 0, s = 0; s < sc->sites_count; s++) {
        inc->zone_base[s] = z;
        z += sc->sites[s].zones_count;
    }
    inc->zone_base[sc->sites_count] = z;
    inc->zone_destroyed = calloc(z + 1, sizeof(double));
    inc->zone_before = calloc(z + 1, sizeof(double));
    inc->zone_dark_h = calloc(z + 1, sizeof(double));
    inc->zone_back_h = calloc(z + 1, sizeof(double));
    inc->decision_h = calloc(sc->decisions_count + 1, sizeof(double));
    inc->decision_order = calloc(sc->decisions_count + 1, sizeof(size_t));
    if (inc->zone_destroyed == NULL || inc->zone_before == NULL || inc->zone_dark_h == NULL ||
        inc->zone_back_h == NULL || inc->decision_h == NULL || inc->decision_order == NULL)
        goto fail;
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
    free(inc->decision_order);
    free(inc->decision_h);
    free(inc->zone_back_h);
    free(inc->zone_dark_h);
    free(inc->zone_before);
    free(inc->zone_destroyed);
    free(inc->zone_base);
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
    f->replace_after_h = osim_dist_sample(&is->replace_h, r);
    f->replaced_h = f->restoration_start_h + f->replace_after_h;
    if (f->restoration_scale <= 0.0)
        f->restoration_scale = 0.0;
}

/* The restoration profile an entry follows: its own, or its lead's when it gave none. */
static const osim_incident_site *profile_owner(const osim_scenario *sc,
                                               const osim_incident_site *is)
{
    if (is->restoration_count == 0 && is->has_lead)
        return &sc->incident[is->lead];
    return is;
}

static double profile_time_for(const osim_incident_site *is, double fraction);
static double delivery_time_for(const osim_incident_site *is, double share);

/*
 * An entry that shares its lead's draws (`with:`): one ignition, one
 * suppression. Its own stream still gave the draws of its own keys
 * (partial loss, destruction, replacement), in the usual order.
 */
static void share_lead(osim_site_fire *f, const osim_site_fire *lead)
{
    f->detection_h = lead->detection_h;
    f->ups_fail_h = lead->ups_fail_h;
    f->power_cut_h = lead->power_cut_h;
    f->restoration_start_h = lead->restoration_start_h;
    f->restoration_scale = lead->restoration_scale;
    f->replaced_h = f->restoration_start_h + f->replace_after_h;
}

/* What the entry's role leaves of the fire: a site cut for firefighting or
 * shut down as a precaution loses no UPS and no equipment. */
static void apply_role(const osim_incident_site *is, osim_site_fire *f)
{
    if (is->role == OSIM_ROLE_BURNED)
        return;
    f->ups_fail_h = INFINITY;
    f->partial_fraction = 0.0;
    f->destroyed_fraction = 0.0;
    f->replaced_h = -INFINITY;
    if (is->role == OSIM_ROLE_PRECAUTION)
        f->power_cut_h = f->detection_h; /* shut down once the operators know */
    if (f->restoration_start_h < f->power_cut_h)
        f->restoration_start_h = f->power_cut_h;
}

static void apply_offset(double off, osim_site_fire *f)
{
    if (off == 0.0)
        return;
    f->detection_h += off;
    f->ups_fail_h += off;
    f->power_cut_h += off;
    f->restoration_start_h += off;
    f->replaced_h += off;
}

/*
 * The zones of entry is (site k): their destroyed shares from the entry's
 * "zones" stream, and the instant each goes dark and gets power back. Dark
 * zones are restored whole in restore_order: zone z is back when the
 * profile reaches the cumulative share of the dark zones up to and
 * including z, renormalised over the zones that went dark.
 */
static void draw_zones(const osim_scenario *sc, const osim_incident_site *is, gsl_rng *r,
                       osim_incident *inc)
{
    const osim_site *site = &sc->sites[is->site];
    const osim_site_fire *f = &inc->fire[is->site];
    const osim_incident_site *prof = profile_owner(sc, is);
    size_t base = inc->zone_base[is->site], n = site->zones_count, j, z;
    double dark_share = 0.0, cum = 0.0, before = 0.0, q;

    for (z = 0; z < n; z++) {
        double d = osim_dist_sample(&is->zone_destroyed[z], r);
        if (is->role != OSIM_ROLE_BURNED || is->zone_dark[z] == OSIM_ZONE_DARK_NONE)
            d = 0.0;
        inc->zone_destroyed[base + z] = d;
        inc->zone_before[base + z] = before;
        before += d * site->zones[z].share;
    }
    inc->fire[is->site].destroyed_total = before;
    for (z = 0; z < n; z++) {
        double dark = INFINITY;
        switch (is->zone_dark[z]) {
        case OSIM_ZONE_DARK_NONE: break;
        case OSIM_ZONE_DARK_UPS:
            dark = f->ups_fail_h < f->power_cut_h ? f->ups_fail_h : f->power_cut_h;
            break;
        case OSIM_ZONE_DARK_CUT: dark = f->power_cut_h; break;
        }
        inc->zone_dark_h[base + z] = dark;
        inc->zone_back_h[base + z] = 0.0;
        if (isfinite(dark))
            dark_share += site->zones[z].share;
    }
    for (j = 0; j < n; j++) {
        z = is->restore_order[j];
        if (!isfinite(inc->zone_dark_h[base + z]))
            continue;
        cum += site->zones[z].share;
        /* Summed in another order than dark_share, cum can pass it by an
         * ulp (0.05 + 4 x 0.1 + 5 x 0.11): past the profile's last point,
         * which would leave the last zone dark for good. */
        q = dark_share > 0.0 && cum < dark_share ? cum / dark_share : 1.0;
        inc->zone_back_h[base + z] =
            f->restoration_start_h + f->restoration_scale * profile_time_for(prof, q);
    }
}

void osim_incident_draw(const osim_scenario *sc, uint64_t seed, uint64_t rep, osim_incident *inc)
{
    osim_rng_local lr;
    gsl_rng *r = &lr.r;
    uint64_t h_inc = osim_rng_name_hash("incident");
    uint64_t h_racks = osim_rng_name_hash("racks");
    uint64_t h_restart = osim_rng_name_hash("restart");
    uint64_t h_rebuild = osim_rng_name_hash("rebuild");
    /* Catalogue incident k draws its fire from its own indices of the
     * incident and zones streams; everything else (racks, restarts,
     * rebuilds, decisions) is common to every incident. 0 for incident 0
     * and for a scenario without a catalogue: the draws of before. */
    uint64_t stream0 = (uint64_t)sc->incident_stream * OSIM_INCIDENT_STREAM_STRIDE;
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
        f->delivery_scale = 1.0;
    }
    for (i = 0; i < sc->incident_count; i++) {
        const osim_incident_site *is = &sc->incident[i];
        osim_rng_seed(r, osim_rng_stream_seed_h(seed, rep, h_inc, stream0 + i));
        draw_site_fire(is, r, &inc->fire[is->site]);
    }
    /* Failure domains: leads' draws shared, roles, offsets, zones and
     * deliveries, decisions. Each from a stream of its own, so a scenario
     * without them draws exactly what it drew before they existed. */
    for (i = 0; i < sc->incident_count; i++) {
        const osim_incident_site *is = &sc->incident[i];
        osim_site_fire *f = &inc->fire[is->site];
        if (is->has_lead)
            share_lead(f, &inc->fire[sc->incident[is->lead].site]);
    }
    for (i = 0; i < sc->incident_count; i++) {
        const osim_incident_site *is = &sc->incident[i];
        osim_site_fire *f = &inc->fire[is->site];
        apply_role(is, f);
        apply_offset(is->offset_h, f);
        if (sc->sites[is->site].zones_count == 0 && is->delivery_count == 0)
            continue;
        osim_rng_seed(r,
                      osim_rng_stream_seed_h(seed, rep, osim_rng_name_hash("zones"), stream0 + i));
        if (sc->sites[is->site].zones_count > 0)
            draw_zones(sc, is, r, inc);
        f->delivery_scale = osim_dist_sample(&is->delivery_scale, r);
        if (f->delivery_scale <= 0.0)
            f->delivery_scale = 0.0;
    }
    for (i = 0; i < sc->decisions_count; i++) {
        osim_rng_seed(r, osim_rng_stream_seed_h(seed, rep, osim_rng_name_hash("decisions"), i));
        inc->decision_h[i] = osim_dist_sample(&sc->decisions[i].after_h, r);
        /* Insertion sort by time; equal times keep the listed order. */
        for (j = i; j > 0 && inc->decision_h[inc->decision_order[j - 1]] > inc->decision_h[i]; j--)
            inc->decision_order[j] = inc->decision_order[j - 1];
        inc->decision_order[j] = i;
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

/* The same for the delivery profile: hours after restoration start (before
 * scaling) by which `share` of the replacement equipment has arrived. */
static double delivery_time_for(const osim_incident_site *is, double share)
{
    const osim_delivery_point *p = is->delivery;
    size_t i, n = is->delivery_count;

    if (n == 0)
        return INFINITY;
    if (share <= p[0].share)
        return p[0].after_h;
    for (i = 1; i < n; i++) {
        if (share <= p[i].share) {
            double ds = p[i].share - p[i - 1].share;
            double w = ds > 0.0 ? (share - p[i - 1].share) / ds : 1.0;
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

size_t osim_incident_zone_of(const osim_scenario *sc, size_t site, double u)
{
    const osim_site *s = &sc->sites[site];
    size_t lo = 0, hi = s->zones_count;

    if (hi == 0)
        return 0;
    /* The last zone whose interval starts at or below u. */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->zones[mid].lo <= u)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

double osim_incident_place_u(const osim_scenario *sc, const osim_placement *pl, size_t site,
                             double u)
{
    const osim_zone_place *zp = NULL;
    const osim_site *s = &sc->sites[site];
    double x;
    size_t i;

    if (pl == NULL)
        return u;
    for (i = 0; i < pl->zone_places_count; i++)
        if (pl->zone_places[i].site == site)
            zp = &pl->zone_places[i];
    if (zp == NULL || zp->zones_count == 0)
        return u;
    /* u x (the zones' total share), walked through the zones in site order. */
    x = u * zp->share;
    for (i = 0; i + 1 < zp->zones_count; i++) {
        const osim_zone *z = &s->zones[zp->zone[i]];
        if (x < z->share)
            return z->lo + x;
        x -= z->share;
    }
    {
        const osim_zone *z = &s->zones[zp->zone[zp->zones_count - 1]];
        double v = z->lo + x;
        /* Rounding must not push a position past its zone. */
        if (v >= z->hi)
            v = nextafter(z->hi, z->lo);
        if (v < z->lo)
            v = z->lo;
        return v;
    }
}

/* The local position of u in its zone, [0,1). */
static double zone_local(const osim_zone *z, double u)
{
    return z->share > 0.0 ? (u - z->lo) / z->share : 0.0;
}

bool osim_incident_destroyed(const osim_scenario *sc, const osim_incident *inc, size_t site,
                             double u)
{
    const osim_incident_site *is = incident_for_site(sc, site);
    const osim_site_fire *f = &inc->fire[site];
    double d;
    size_t z;

    if (is == NULL || !isfinite(f->power_cut_h))
        return false;
    if (sc->sites[site].zones_count == 0)
        return u < f->destroyed_fraction;
    z = osim_incident_zone_of(sc, site, u);
    d = inc->zone_destroyed[inc->zone_base[site] + z];
    /* A zone destroyed whole loses every rack, whatever the rounding of its bounds. */
    return d >= 1.0 || zone_local(&sc->sites[site].zones[z], u) < d;
}

/* When the destroyed equipment at u can run again: one instant per site
 * (replace:), or its rank's delivery (delivery:). */
static double replaced_at(const osim_scenario *sc, const osim_incident *inc,
                          const osim_incident_site *is, size_t site, double u)
{
    const osim_site_fire *f = &inc->fire[site];
    double q;

    if (is->delivery_count == 0 || is->role != OSIM_ROLE_BURNED)
        return f->replaced_h;
    if (sc->sites[site].zones_count == 0) {
        q = f->destroyed_fraction > 0.0 ? u / f->destroyed_fraction : 0.0;
    } else {
        size_t z = osim_incident_zone_of(sc, site, u);
        const osim_zone *zn = &sc->sites[site].zones[z];
        q = f->destroyed_total > 0.0
                ? (inc->zone_before[inc->zone_base[site] + z] + (u - zn->lo)) / f->destroyed_total
                : 0.0;
    }
    if (q > 1.0)
        q = 1.0;
    return f->restoration_start_h + f->delivery_scale * delivery_time_for(is, q);
}

double osim_incident_power_back_h(const osim_scenario *sc, const osim_incident *inc, size_t site,
                                  double u)
{
    const osim_incident_site *is = incident_for_site(sc, site);
    const osim_site_fire *f = &inc->fire[site];
    double t;

    if (is == NULL || !isfinite(f->power_cut_h))
        return 0.0;
    if (sc->sites[site].zones_count > 0) {
        size_t z = osim_incident_zone_of(sc, site, u);
        t = inc->zone_back_h[inc->zone_base[site] + z];
    } else {
        /* Restoration works from the far end (u near 1) towards the fire zone. */
        t = f->restoration_start_h +
            f->restoration_scale * profile_time_for(profile_owner(sc, is), 1.0 - u);
    }
    if (osim_incident_destroyed(sc, inc, site, u)) {
        double rep = replaced_at(sc, inc, is, site, u);
        if (rep > t)
            t = rep;
    }
    return t;
}

/* The incident's own stretch at u: dark and back (without replacement). */
static bool incident_span(const osim_scenario *sc, const osim_incident *inc, size_t site, double u,
                          double *dark, double *back)
{
    const osim_incident_site *is = incident_for_site(sc, site);
    const osim_site_fire *f = &inc->fire[site];

    if (is == NULL || !isfinite(f->power_cut_h))
        return false;
    if (sc->sites[site].zones_count > 0) {
        size_t z = osim_incident_zone_of(sc, site, u);
        *dark = inc->zone_dark_h[inc->zone_base[site] + z];
        *back = inc->zone_back_h[inc->zone_base[site] + z];
        return isfinite(*dark);
    }
    *dark = f->power_cut_h;
    if (u < f->partial_fraction && f->ups_fail_h < *dark)
        *dark = f->ups_fail_h;
    *back = f->restoration_start_h +
            f->restoration_scale * profile_time_for(profile_owner(sc, is), 1.0 - u);
    return true;
}

static bool decision_hits(const osim_decision *d, size_t site, bool zoned, size_t zone)
{
    return d->site == site && (d->whole_site || (zoned && d->zone == zone));
}

/* Is the equipment at u unusable just after instant t (history with decisions)? */
static bool unusable_at(const osim_scenario *sc, const osim_incident *inc, size_t site, size_t zone,
                        bool has_span, double d0, double b0, bool destroyed, double rep, double t)
{
    bool zoned = sc->sites[site].zones_count > 0;
    bool off = has_span && d0 <= t && t < b0;
    size_t i;

    for (i = 0; i < sc->decisions_count; i++) {
        size_t k = inc->decision_order[i];
        const osim_decision *d = &sc->decisions[k];
        double at = inc->decision_h[k];
        if (at > t)
            break;
        if (!decision_hits(d, site, zoned, zone))
            continue;
        if (d->action == OSIM_DECIDE_REOPEN)
            /* Power back; a fire darkness that starts later still comes. */
            off = has_span && d0 > at && d0 <= t && t < b0;
        else
            off = true;
    }
    return off || (destroyed && has_span && d0 <= t && t < rep);
}

void osim_incident_power_history(const osim_scenario *sc, const osim_incident *inc, size_t site,
                                 double u, osim_power_history *h)
{
    const osim_incident_site *is = incident_for_site(sc, site);
    double d0 = INFINITY, b0 = INFINITY, rep = -INFINITY;
    double cand[OSIM_DECISIONS_MAX + 3];
    bool zoned = sc->sites[site].zones_count > 0, touched = false, state = false;
    size_t zone = osim_incident_zone_of(sc, site, u), n = 0, i, j;
    bool has_span = incident_span(sc, inc, site, u, &d0, &b0);

    h->count = 0;
    h->destroyed = has_span && osim_incident_destroyed(sc, inc, site, u);
    h->rebuild_span = 0;
    if (h->destroyed)
        rep = replaced_at(sc, inc, is, site, u);
    for (i = 0; i < sc->decisions_count; i++)
        touched |= decision_hits(&sc->decisions[i], site, zoned, zone);
    if (!touched) {
        /* The incident alone: one stretch, the replacement folded in. */
        if (has_span) {
            double back = osim_incident_power_back_h(sc, inc, site, u);
            h->span[0].dark_h = d0;
            h->span[0].back_h = back;
            h->count = 1;
        }
        return;
    }
    if (has_span) {
        cand[n++] = d0;
        cand[n++] = b0;
        if (h->destroyed)
            cand[n++] = rep;
    }
    for (i = 0; i < sc->decisions_count; i++)
        if (decision_hits(&sc->decisions[i], site, zoned, zone))
            cand[n++] = inc->decision_h[i];
    /* Sort the few instants (insertion sort) and walk them in order. */
    for (i = 1; i < n; i++) {
        double x = cand[i];
        for (j = i; j > 0 && cand[j - 1] > x; j--)
            cand[j] = cand[j - 1];
        cand[j] = x;
    }
    for (i = 0; i < n; i++) {
        bool now;
        if (!isfinite(cand[i]) || (i > 0 && cand[i] == cand[i - 1]))
            continue;
        now = unusable_at(sc, inc, site, zone, has_span, d0, b0, h->destroyed, rep, cand[i]);
        if (now == state)
            continue;
        if (now) {
            if (h->count == OSIM_POWER_SPANS_MAX)
                break; /* cannot happen: at most one stretch per two instants */
            h->span[h->count].dark_h = cand[i];
            h->span[h->count].back_h = INFINITY;
            h->count++;
        } else {
            h->span[h->count - 1].back_h = cand[i];
        }
        state = now;
    }
    /* The rebuild follows the replacement: the stretch that ends once it is in. */
    for (i = 0; h->destroyed && i < h->count; i++)
        if (h->span[i].back_h >= rep) {
            h->rebuild_span = i;
            break;
        }
}

const osim_decision *osim_incident_decision_at(const osim_scenario *sc, const osim_incident *inc,
                                               size_t site, size_t zone, double t, double *at_h)
{
    bool zoned = sc->sites[site].zones_count > 0;
    const osim_decision *last = NULL;
    size_t i;

    for (i = 0; i < sc->decisions_count; i++) {
        size_t k = inc->decision_order[i];
        if (inc->decision_h[k] > t)
            break;
        if (decision_hits(&sc->decisions[k], site, zoned, zone)) {
            last = &sc->decisions[k];
            if (at_h != NULL)
                *at_h = inc->decision_h[k];
        }
    }
    return last;
}
