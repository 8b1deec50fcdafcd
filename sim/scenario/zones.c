/*
 * zones.c -- checks and resolution of the failure-domain keys: zones of
 * sites, how an incident entry hits them, entries that share another's
 * draws (`with:`), equipment deliveries, timed decisions and placements in
 * zones (scenarios/README.md, "Failure domains").
 *
 * Invariant: a scenario that uses none of these keys leaves every field
 * this file fills at zero (no zones, no lead, no decisions), so the models
 * behave exactly as before the keys existed; a scenario that uses them
 * leaves here with every name resolved to an index (zone_dark,
 * zone_destroyed, restore_order per zoned entry; site and zone of every
 * decision; site and ascending zones of every placement), so the models
 * never compare strings. Every refusal names the place in the file.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario/scenario_int.h"

/* Was the field given in the file (or by --set), rather than defaulted? */
static bool given(osim_bind_ctx *ctx, const void *addr)
{
    const osim__note *n = osim__bind_lookup(ctx, addr);

    return n != NULL && !(n->flags & OSIM__P_DEFAULT);
}

/*
 * Was the distribution at addr given with a value other than its default
 * (fixed at def)? Keys that do not apply to an entry are refused only then:
 * `params` lists them with their defaults, and setting a listed path to
 * its listed value must change nothing.
 */
static bool departs(osim_bind_ctx *ctx, const osim_dist *d, double def)
{
    return given(ctx, d) && !(d->kind == OSIM_DIST_FIXED && d->p[0] == def);
}

static void zone_names(const osim_site *s, char *buf, size_t n)
{
    size_t z, k = 0;

    buf[0] = '\0';
    for (z = 0; z < s->zones_count; z++) {
        int w = snprintf(buf + k, n - k, "%s%s", z ? ", " : "", s->zones[z].name);
        if (w < 0 || (size_t)w >= n - k) {
            if (n > 8)
                snprintf(buf + n - 5, 5, "...");
            return;
        }
        k += (size_t)w;
    }
}

/* ------------------------------------------------------------ sites */

static int check_site_zones(osim_bind_ctx *ctx, osim_site *s)
{
    size_t z, j, given_n = 0;
    double sum = 0.0, lo = 0.0;

    if (s->zones_count == 0)
        return 0;
    if (s->zones_count > OSIM_ZONES_MAX)
        return osim_bind_error(ctx, &s->zones, OSIM_ERANGE,
                               "sites.%s.zones: at most %d zones per site (got %zu)", s->name,
                               OSIM_ZONES_MAX, s->zones_count);
    for (z = 0; z < s->zones_count; z++) {
        osim_zone *zn = &s->zones[z];
        const char *p;
        if (zn->name[0] == '\0')
            return osim_bind_error(ctx, &zn->name, OSIM_ESCHEMA, "sites.%s.zones: empty name",
                                   s->name);
        for (p = zn->name; *p != '\0'; p++)
            if (*p == '.' || *p == '=' || *p == '/' || *p == ' ' || *p == '\t' ||
                (unsigned char)*p < 0x20)
                return osim_bind_error(ctx, &zn->name, OSIM_ESCHEMA,
                                       "zone name '%s' must not contain '.', '=', '/', spaces "
                                       "or control characters (names are used in --set paths "
                                       "and in site/zone)",
                                       zn->name);
        for (j = 0; j < z; j++)
            if (strcmp(s->zones[j].name, zn->name) == 0)
                return osim_bind_error(ctx, &zn->name, OSIM_ESCHEMA,
                                       "sites.%s.zones: zone '%s' is listed twice", s->name,
                                       zn->name);
        given_n += given(ctx, &zn->share);
    }
    /* Zones without a share split what the others leave equally (all of
     * it when none has one). */
    for (z = 0; z < s->zones_count; z++) {
        osim_zone *zn = &s->zones[z];
        if (!given(ctx, &zn->share))
            continue;
        if (!(zn->share > 0.0))
            return osim_bind_error(ctx, &zn->share, OSIM_ERANGE,
                                   "sites.%s.zones.%s.share must be > 0", s->name, zn->name);
        sum += zn->share;
    }
    if (given_n < s->zones_count) {
        double rest = (1.0 - sum) / (double)(s->zones_count - given_n);
        if (!(rest > 1e-12))
            return osim_bind_error(ctx, &s->zones, OSIM_ERANGE,
                                   "sites.%s.zones: the given shares sum to %.10g and leave "
                                   "nothing for the zones without one",
                                   s->name, sum);
        for (z = 0; z < s->zones_count; z++)
            if (!given(ctx, &s->zones[z].share))
                s->zones[z].share = rest;
    } else if (fabs(sum - 1.0) > 1e-9) {
        return osim_bind_error(ctx, &s->zones, OSIM_ERANGE,
                               "sites.%s.zones: shares sum to %.10g, not 1", s->name, sum);
    }
    for (z = 0; z < s->zones_count; z++) {
        s->zones[z].lo = lo;
        lo += s->zones[z].share;
        s->zones[z].hi = z + 1 == s->zones_count ? 1.0 : lo;
    }
    return 0;
}

/* ------------------------------------------------------------ incident */

static int refuse_given(osim_bind_ctx *ctx, const osim_dist *addr, double def, const char *site,
                        const char *key, const char *why)
{
    if (departs(ctx, addr, def))
        return osim_bind_error(ctx, addr, OSIM_ESCHEMA, "incident.%s: %s is refused here: %s", site,
                               key, why);
    return 0;
}

/* The binder's own wording for a key an entry without `with:` must give. */
static int require_given(osim_bind_ctx *ctx, const void *addr, const char *site, const char *key,
                         const char *doc)
{
    if (!given(ctx, addr))
        return osim_bind_error(ctx, addr, OSIM_ESCHEMA,
                               "incident.%s: missing required key '%s' -- %s", site, key, doc);
    return 0;
}

static int resolve_lead(osim_bind_ctx *ctx, osim_scenario *sc, size_t i)
{
    osim_incident_site *in = &sc->incident[i];
    const char *site = sc->sites[in->site].name;
    size_t k;
    int rc;

    if (in->with == NULL) {
        if ((rc = require_given(ctx, &in->power_cut_h, site, "power_cut",
                                "ignition -> the whole building loses power")) != 0 ||
            (rc = require_given(ctx, &in->suppression_h, site, "suppression",
                                "power cut -> fire out, restoration may start")) != 0)
            return rc;
        if (in->restoration_count == 0)
            return osim_bind_error(ctx, &in->restoration_scale, OSIM_ESCHEMA,
                                   "incident.%s: missing required key 'restoration' (with its "
                                   "profile) -- how power comes back: profile and scale",
                                   site);
        return 0;
    }
    for (k = 0; k < i; k++)
        if (strcmp(sc->sites[sc->incident[k].site].name, in->with) == 0)
            break;
    if (k == i)
        return osim_bind_error(ctx, &in->with, OSIM_EREF,
                               "incident.%s.with: '%s' names no earlier incident entry (with: "
                               "names the site of an entry listed before this one)",
                               site, in->with);
    if (sc->incident[k].with != NULL)
        return osim_bind_error(ctx, &in->with, OSIM_ESCHEMA,
                               "incident.%s.with: entry '%s' shares the draws of '%s' itself: "
                               "name that one (with: %s)",
                               site, in->with, sc->incident[k].with, sc->incident[k].with);
    in->has_lead = true;
    in->lead = k;
    {
        static const char why[] = "an entry with 'with:' shares the lead's draws";
        if ((rc = refuse_given(ctx, &in->detection_h, 0.0, site, "detection", why)) != 0 ||
            (rc = refuse_given(ctx, &in->ups_ride_through_h, 0.0, site, "ups_ride_through", why)) !=
                0 ||
            (rc = refuse_given(ctx, &in->power_cut_h, 0.0, site, "power_cut", why)) != 0 ||
            (rc = refuse_given(ctx, &in->suppression_h, 0.0, site, "suppression", why)) != 0 ||
            (rc = refuse_given(ctx, &in->restoration_scale, 1.0, site, "restoration.scale", why)) !=
                0)
            return rc;
    }
    return 0;
}

static int check_profile(osim_bind_ctx *ctx, const osim_delivery_point *p, size_t n,
                         const char *site)
{
    size_t j;

    for (j = 1; j < n; j++) {
        if (!(p[j].after_h > p[j - 1].after_h))
            return osim_bind_error(ctx, &p[j].after_h, OSIM_ERANGE,
                                   "incident.%s.destroyed.delivery: 'after' must be ascending "
                                   "(point %zu is not after point %zu)",
                                   site, j + 1, j);
        if (p[j].share < p[j - 1].share)
            return osim_bind_error(ctx, &p[j].share, OSIM_ERANGE,
                                   "incident.%s.destroyed.delivery: 'share' must not decrease "
                                   "(point %zu is below point %zu)",
                                   site, j + 1, j);
    }
    if (n > 0 && p[n - 1].share != 1.0)
        return osim_bind_error(ctx, &p[n - 1].share, OSIM_ERANGE,
                               "incident.%s.destroyed.delivery: the last point must have share 1 "
                               "(all the equipment delivered in the end)",
                               site);
    return 0;
}

static int check_delivery(osim_bind_ctx *ctx, osim_incident_site *in, const char *site)
{
    int rc;

    if (in->delivery_count == 0) {
        if (departs(ctx, &in->delivery_scale, 1.0))
            return osim_bind_error(ctx, &in->delivery_scale, OSIM_ESCHEMA,
                                   "incident.%s.destroyed.delivery_scale needs a delivery profile "
                                   "(destroyed.delivery)",
                                   site);
        return 0;
    }
    if (departs(ctx, &in->replace_h, 0.0))
        return osim_bind_error(ctx, &in->replace_h, OSIM_ESCHEMA,
                               "incident.%s.destroyed: give replace or delivery, not both", site);
    if ((rc = check_profile(ctx, in->delivery, in->delivery_count, site)) != 0)
        return rc;
    if (!(osim_dist_min(&in->delivery_scale) > 0.0))
        return osim_bind_error(ctx, &in->delivery_scale, OSIM_ERANGE,
                               "incident.%s.destroyed.delivery_scale must be > 0 (it multiplies "
                               "the profile's time axis)",
                               site);
    return 0;
}

/* An entry on a site without zones: the zone keys make no sense there. */
static int check_unzoned(osim_bind_ctx *ctx, const osim_incident_site *in, const char *site)
{
    if (in->zone_hits_count > 0)
        return osim_bind_error(ctx, &in->zone_hits[0].name, OSIM_ESCHEMA,
                               "incident.%s.zones: site '%s' has no zones (give sites.%s.zones "
                               "first)",
                               site, site, site);
    if (in->restore_order_names_count > 0)
        return osim_bind_error(ctx, &in->restore_order_names, OSIM_ESCHEMA,
                               "incident.%s.restore_order: site '%s' has no zones", site, site);
    return 0;
}

static int resolve_zone_hits(osim_bind_ctx *ctx, osim_incident_site *in, const osim_site *s)
{
    size_t n = s->zones_count, z, j;
    bool *seen;
    char known[400];

    in->zone_dark = osim__arena_alloc(ctx, n * sizeof(*in->zone_dark));
    in->zone_destroyed = osim__arena_alloc(ctx, n * sizeof(*in->zone_destroyed));
    in->restore_order = osim__arena_alloc(ctx, n * sizeof(*in->restore_order));
    seen = osim__arena_alloc(ctx, n * sizeof(*seen));
    if (in->zone_dark == NULL || in->zone_destroyed == NULL || in->restore_order == NULL ||
        seen == NULL)
        return OSIM_ENOMEM;
    for (z = 0; z < n; z++) {
        in->zone_dark[z] = OSIM_ZONE_DARK_CUT;
        in->zone_destroyed[z] = osim_dist_fixed(0.0);
    }
    zone_names(s, known, sizeof(known));
    for (j = 0; j < in->zone_hits_count; j++) {
        const osim_zone_hit *h = &in->zone_hits[j];
        long k = osim_site_zone_index(s, h->name);
        if (k < 0)
            return osim_bind_error(ctx, &h->name, OSIM_EREF,
                                   "incident.%s.zones: unknown zone '%s' (site '%s' has: %s)",
                                   s->name, h->name, s->name, known);
        if (seen[k])
            return osim_bind_error(ctx, &h->name, OSIM_ESCHEMA,
                                   "incident.%s.zones: zone '%s' is listed twice", s->name,
                                   h->name);
        seen[k] = true;
        if (in->role != OSIM_ROLE_BURNED) {
            if (h->dark == OSIM_ZONE_DARK_UPS)
                return osim_bind_error(ctx, &h->dark, OSIM_ESCHEMA,
                                       "incident.%s.zones.%s: dark: ups is refused for role %s "
                                       "(no UPS loss: use cut or none)",
                                       s->name, h->name,
                                       in->role == OSIM_ROLE_CUT ? "cut" : "precaution");
            if (departs(ctx, &h->destroyed_fraction, 0.0))
                return osim_bind_error(ctx, &h->destroyed_fraction, OSIM_ESCHEMA,
                                       "incident.%s.zones.%s: destroyed is refused for role %s "
                                       "(nothing is destroyed)",
                                       s->name, h->name,
                                       in->role == OSIM_ROLE_CUT ? "cut" : "precaution");
        }
        if (h->dark == OSIM_ZONE_DARK_NONE && departs(ctx, &h->destroyed_fraction, 0.0))
            return osim_bind_error(ctx, &h->destroyed_fraction, OSIM_ESCHEMA,
                                   "incident.%s.zones.%s: destroyed with dark: none (a zone that "
                                   "keeps power loses no equipment)",
                                   s->name, h->name);
        in->zone_dark[k] = h->dark;
        in->zone_destroyed[k] = h->destroyed_fraction;
    }
    if (in->restore_order_names_count == 0) {
        for (z = 0; z < n; z++)
            in->restore_order[z] = n - 1 - z;
        return 0;
    }
    memset(seen, 0, n * sizeof(*seen));
    for (j = 0; j < in->restore_order_names_count; j++) {
        const char *name = in->restore_order_names[j];
        long k = osim_site_zone_index(s, name);
        if (k < 0)
            return osim_bind_error(ctx, &in->restore_order_names[j], OSIM_EREF,
                                   "incident.%s.restore_order: unknown zone '%s' (site '%s' has: "
                                   "%s)",
                                   s->name, name, s->name, known);
        if (seen[k])
            return osim_bind_error(ctx, &in->restore_order_names[j], OSIM_ESCHEMA,
                                   "incident.%s.restore_order: zone '%s' is listed twice", s->name,
                                   name);
        seen[k] = true;
        in->restore_order[j] = (size_t)k;
    }
    if (in->restore_order_names_count != n)
        return osim_bind_error(ctx, &in->restore_order_names, OSIM_ESCHEMA,
                               "incident.%s.restore_order lists %zu of the %zu zones: list every "
                               "zone once (%s)",
                               s->name, in->restore_order_names_count, n, known);
    return 0;
}

static int check_entry(osim_bind_ctx *ctx, osim_scenario *sc, size_t i)
{
    osim_incident_site *in = &sc->incident[i];
    const osim_site *s = &sc->sites[in->site];
    const char *site = s->name;
    int rc;

    if ((rc = resolve_lead(ctx, sc, i)) != 0)
        return rc;
    if (in->role != OSIM_ROLE_BURNED) {
        static const char why[] = "only a burned site loses UPS power or equipment";
        if ((rc = refuse_given(ctx, &in->ups_ride_through_h, 0.0, site, "ups_ride_through", why)) !=
                0 ||
            (rc = refuse_given(ctx, &in->partial_loss_fraction, 0.0, site, "partial_loss", why)) !=
                0 ||
            (rc = refuse_given(ctx, &in->destroyed_fraction, 0.0, site, "destroyed.fraction",
                               why)) != 0 ||
            (rc = refuse_given(ctx, &in->replace_h, 0.0, site, "destroyed.replace", why)) != 0)
            return rc;
        if (in->delivery_count > 0)
            return osim_bind_error(ctx, &in->delivery, OSIM_ESCHEMA,
                                   "incident.%s: destroyed.delivery is refused here: %s", site,
                                   why);
    }
    if ((rc = check_delivery(ctx, in, site)) != 0)
        return rc;
    if (s->zones_count == 0)
        return check_unzoned(ctx, in, site);
    if (departs(ctx, &in->partial_loss_fraction, 0.0))
        return osim_bind_error(ctx, &in->partial_loss_fraction, OSIM_ESCHEMA,
                               "incident.%s: partial_loss is refused on a site with zones: use "
                               "zones.<zone>.dark: ups for the zones the UPS loss darkens",
                               site);
    if (departs(ctx, &in->destroyed_fraction, 0.0))
        return osim_bind_error(ctx, &in->destroyed_fraction, OSIM_ESCHEMA,
                               "incident.%s: destroyed.fraction is refused on a site with zones: "
                               "use zones.<zone>.destroyed",
                               site);
    return resolve_zone_hits(ctx, in, s);
}

/* ------------------------------------------------------------ decisions */

/* "site" or "site/zone" into d's target. */
static int resolve_target(osim_bind_ctx *ctx, const osim_scenario *sc, osim_decision *d,
                          char *const *field, const char *key)
{
    const char *t = *field, *slash = strrchr(t, '/');
    char site[256];
    long k, z;

    if (slash == NULL) {
        k = osim_scenario_site_index(sc, t);
        if (k < 0)
            return osim_bind_error(ctx, field, OSIM_EREF, "decisions: %s: unknown site '%s'", key,
                                   t);
        d->site = (size_t)k;
        d->whole_site = true;
        return 0;
    }
    if ((size_t)(slash - t) >= sizeof(site))
        return osim_bind_error(ctx, field, OSIM_EREF, "decisions: %s: unknown site in '%s'", key,
                               t);
    memcpy(site, t, (size_t)(slash - t));
    site[slash - t] = '\0';
    k = osim_scenario_site_index(sc, site);
    if (k < 0)
        return osim_bind_error(ctx, field, OSIM_EREF, "decisions: %s: unknown site '%s' in '%s'",
                               key, site, t);
    z = osim_site_zone_index(&sc->sites[k], slash + 1);
    if (z < 0) {
        char known[400];
        zone_names(&sc->sites[k], known, sizeof(known));
        return osim_bind_error(ctx, field, OSIM_EREF,
                               "decisions: %s: unknown zone '%s' of site '%s' (it has: %s)", key,
                               slash + 1, site, sc->sites[k].zones_count ? known : "no zones");
    }
    d->site = (size_t)k;
    d->whole_site = false;
    d->zone = (size_t)z;
    return 0;
}

static int check_decisions(osim_bind_ctx *ctx, osim_scenario *sc)
{
    size_t i, j;
    int rc;

    if (sc->decisions_count > OSIM_DECISIONS_MAX)
        return osim_bind_error(ctx, &sc->decisions[OSIM_DECISIONS_MAX].after_h, OSIM_ERANGE,
                               "decisions: at most %d timed decisions (got %zu)",
                               OSIM_DECISIONS_MAX, sc->decisions_count);
    for (i = 0; i < sc->decisions_count; i++) {
        osim_decision *d = &sc->decisions[i];
        char *const *field = NULL;
        const char *key = NULL;
        int n = (d->cut != NULL) + (d->abandon != NULL) + (d->reopen != NULL);
        if (n != 1)
            return osim_bind_error(ctx, &d->after_h, OSIM_ESCHEMA,
                                   "decisions.%zu: give exactly one of cut, abandon, reopen "
                                   "(got %d)",
                                   i, n);
        if (d->cut != NULL) {
            d->action = OSIM_DECIDE_CUT;
            field = &d->cut;
            key = "cut";
        } else if (d->abandon != NULL) {
            d->action = OSIM_DECIDE_ABANDON;
            field = &d->abandon;
            key = "abandon";
        } else {
            d->action = OSIM_DECIDE_REOPEN;
            field = &d->reopen;
            key = "reopen";
        }
        if ((rc = resolve_target(ctx, sc, d, field, key)) != 0)
            return rc;
        if (d->action != OSIM_DECIDE_REOPEN)
            continue;
        /* A reopen undoes an earlier cut or abandon of its target (or of its whole site). */
        for (j = 0; j < i; j++) {
            const osim_decision *e = &sc->decisions[j];
            if (e->action != OSIM_DECIDE_REOPEN && e->site == d->site &&
                (e->whole_site || (!d->whole_site && e->zone == d->zone)))
                break;
        }
        if (j == i)
            return osim_bind_error(ctx, field, OSIM_ESCHEMA,
                                   "decisions.%zu: reopen '%s' without an earlier cut or abandon "
                                   "of it",
                                   i, *field);
    }
    return 0;
}

/* ------------------------------------------------------------ placements */

static int check_zone_place(osim_bind_ctx *ctx, const osim_scenario *sc, const osim_topology *t,
                            const osim_placement *p, osim_zone_place *zp)
{
    const char *svc = sc->services[p->service].name;
    const osim_site *s;
    long k = osim_scenario_site_index(sc, zp->name);
    size_t i, j, n = 0;
    bool placed = false;
    char known[400];

    if (k < 0)
        return osim_bind_error(ctx, &zp->name, OSIM_EREF,
                               "topology '%s', service '%s': zones in unknown site '%s'", t->name,
                               svc, zp->name);
    zp->site = (size_t)k;
    s = &sc->sites[k];
    for (i = 0; i < p->active_count; i++)
        placed |= p->active[i] == zp->site;
    for (i = 0; i < p->standby_count; i++)
        placed |= p->standby[i] == zp->site;
    if (!placed)
        return osim_bind_error(ctx, &zp->name, OSIM_ESCHEMA,
                               "topology '%s', service '%s': zones under site '%s', where the "
                               "service is not placed (not in active or standby)",
                               t->name, svc, zp->name);
    if (s->zones_count == 0)
        return osim_bind_error(ctx, &zp->name, OSIM_ESCHEMA,
                               "topology '%s', service '%s': zones of site '%s', which has no "
                               "zones",
                               t->name, svc, zp->name);
    if (zp->zone_names_count == 0)
        return osim_bind_error(ctx, &zp->name, OSIM_ESCHEMA,
                               "topology '%s', service '%s': empty zone list for site '%s'",
                               t->name, svc, zp->name);
    zp->zone = osim__arena_alloc(ctx, zp->zone_names_count * sizeof(size_t));
    if (zp->zone == NULL)
        return OSIM_ENOMEM;
    zone_names(s, known, sizeof(known));
    for (i = 0; i < zp->zone_names_count; i++) {
        long z = osim_site_zone_index(s, zp->zone_names[i]);
        if (z < 0)
            return osim_bind_error(ctx, &zp->zone_names[i], OSIM_EREF,
                                   "topology '%s', service '%s': unknown zone '%s' of site '%s' "
                                   "(it has: %s)",
                                   t->name, svc, zp->zone_names[i], zp->name, known);
        for (j = 0; j < i; j++)
            if (strcmp(zp->zone_names[j], zp->zone_names[i]) == 0)
                return osim_bind_error(ctx, &zp->zone_names[i], OSIM_ESCHEMA,
                                       "topology '%s', service '%s': zone '%s' listed twice",
                                       t->name, svc, zp->zone_names[i]);
        /* Insert in the site's order: the mapping of u keeps positions monotonic. */
        for (j = n; j > 0 && zp->zone[j - 1] > (size_t)z; j--)
            zp->zone[j] = zp->zone[j - 1];
        zp->zone[j] = (size_t)z;
        n++;
    }
    zp->zones_count = n;
    zp->share = 0.0;
    for (i = 0; i < n; i++)
        zp->share += s->zones[zp->zone[i]].share;
    return 0;
}

static int check_placements(osim_bind_ctx *ctx, osim_scenario *sc)
{
    size_t ti, pi, i, j;
    int rc;

    for (ti = 0; ti < sc->topologies_count; ti++) {
        const osim_topology *t = &sc->topologies[ti];
        const osim__note *pn = osim__bind_lookup(ctx, &t->placements);
        size_t count = pn != NULL ? pn->count : 0;
        for (pi = 0; pi < count; pi++) {
            osim_placement *p = &t->placements[pi];
            for (i = 0; i < p->zone_places_count; i++) {
                if ((rc = check_zone_place(ctx, sc, t, p, &p->zone_places[i])) != 0)
                    return rc;
                for (j = 0; j < i; j++)
                    if (p->zone_places[j].site == p->zone_places[i].site)
                        return osim_bind_error(ctx, &p->zone_places[i].name, OSIM_ESCHEMA,
                                               "topology '%s', service '%s': zones of site '%s' "
                                               "given twice",
                                               t->name, sc->services[p->service].name,
                                               p->zone_places[i].name);
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------ params */

static bool key_in(const char *key, const char *const *keys)
{
    for (; *keys != NULL; keys++)
        if (strcmp(key, *keys) == 0)
            return true;
    return false;
}

bool osim__param_hidden(const osim_scenario *sc, const osim_schema *s, const osim_field *f,
                        const void *base)
{
    static const char *const shared[] = {"detection", "ups_ride_through", "power_cut",
                                         "suppression", NULL};
    static const char *const unburned[] = {"ups_ride_through", "partial_loss",   "fraction",
                                           "replace",          "delivery_scale", NULL};
    const osim_incident_site *in = base;
    bool zoned;

    /* The incident entry and its flat sub-mappings bind into one osim_incident_site. */
    if (strcmp(s->name, "incident") != 0 && strcmp(s->name, "restoration") != 0 &&
        strcmp(s->name, "destroyed") != 0)
        return false;
    if (in->site >= sc->sites_count)
        return false;
    zoned = sc->sites[in->site].zones_count > 0;
    if (in->has_lead && (key_in(f->key, shared) ||
                         (strcmp(s->name, "restoration") == 0 && strcmp(f->key, "scale") == 0)))
        return true;
    if (in->role != OSIM_ROLE_BURNED && key_in(f->key, unburned))
        return true;
    if (zoned && (strcmp(f->key, "partial_loss") == 0 ||
                  (strcmp(s->name, "destroyed") == 0 && strcmp(f->key, "fraction") == 0)))
        return true;
    if (!zoned && strcmp(f->key, "restore_order") == 0)
        return true;
    return strcmp(f->key, "delivery_scale") == 0 && in->delivery_count == 0;
}

/* ------------------------------------------------------------ all */

int osim__scenario_check_entries(osim_bind_ctx *ctx, osim_scenario *sc)
{
    size_t i;
    int rc;

    for (i = 0; i < sc->incident_count; i++)
        if ((rc = check_entry(ctx, sc, i)) != 0)
            return rc;
    return 0;
}

int osim__scenario_check_zones(osim_bind_ctx *ctx, osim_scenario *sc)
{
    size_t k;
    int rc;

    for (k = 0; k < sc->sites_count; k++)
        if ((rc = check_site_zones(ctx, &sc->sites[k])) != 0)
            return rc;
    if ((rc = osim__scenario_check_entries(ctx, sc)) != 0)
        return rc;
    if ((rc = check_decisions(ctx, sc)) != 0)
        return rc;
    return check_placements(ctx, sc);
}
