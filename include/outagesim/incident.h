/*
 * incident.h -- the fire, realised: when each site's racks lose and regain
 * power in one replication, and where each service's shards sit.
 *
 * Lifecycle: osim_incident_new() sizes an osim_incident for a scenario (one
 * per worker thread); osim_incident_draw() fills it for replication rep,
 * allocating nothing; osim_incident_free() releases it. A draw is a pure
 * function of (scenario, seed, rep) and consults no topology, so every
 * design is replayed (replay.h) against the very same fire: common random
 * numbers across designs. Times are hours from ignition.
 *
 * Thread-safety: the scenario is shared read-only; an osim_incident belongs
 * to one thread at a time.
 */
#ifndef OUTAGESIM_INCIDENT_H
#define OUTAGESIM_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/scenario.h"

/* One realised incident at one site (hours from ignition). */
typedef struct osim_site_fire {
    double detection_h;
    double ups_fail_h;
    double partial_fraction;
    double power_cut_h;
    double restoration_start_h;
    double restoration_scale;
    double destroyed_fraction;
    double replaced_h;      /* absolute time destroyed racks can run again (replace:) */
    double replace_after_h; /* the replace draw: replaced_h - restoration_start_h, as drawn */
    double delivery_scale;  /* multiplies the delivery profile's time axis (delivery:) */
    double destroyed_total; /* zoned site: share of its racks destroyed (for delivery ranks) */
} osim_site_fire;

/*
 * A shard's power history at one site: the disjoint stretches [dark_h,
 * back_h) during which its equipment cannot run (no power, or destroyed and
 * not yet replaced), in time order; back_h may be INFINITY. The first is
 * the incident's, the others come from timed decisions.
 */
typedef struct osim_power_span {
    double dark_h, back_h;
} osim_power_span;

/* The most stretches one history can hold (incident, replacement, decisions). */
#define OSIM_POWER_SPANS_MAX (OSIM_DECISIONS_MAX / 2 + 4)

typedef struct osim_power_history {
    size_t count;
    osim_power_span span[OSIM_POWER_SPANS_MAX];
    bool destroyed;      /* the equipment burned: it needs rebuild_h once replaced */
    size_t rebuild_span; /* destroyed: the stretch that ends with the replacement in */
} osim_power_history;

/*
 * A realised incident. Shard j of service s at site k sits at rack position
 * rack_pos[(shard_base[s] + j) * sites_count + k] in [0,1) and, once its
 * rack has power, needs restart_h[same index] hours to serve again. These
 * are drawn from the incident's streams, so they are the same under every
 * topology (whether or not the topology places s at k).
 */
typedef struct osim_incident {
    size_t sites_count, services_count, shards_total;
    osim_site_fire *fire; /* per site; a site not in the incident has power_cut_h = INFINITY */
    size_t *shard_base;   /* per service */
    size_t *shards;       /* per service: how many */
    double *rack_pos;
    double *restart_h;
    double *rebuild_h; /* same layout; only used where the shard's equipment was destroyed */
    /* Zones of the incident's sites: site k's zone z is at zone_base[k] + z. */
    size_t *zone_base;      /* per site */
    double *zone_destroyed; /* drawn share of the zone's racks destroyed */
    double *zone_before;    /* destroyed share of the site's racks in zones before z */
    double *zone_dark_h;    /* when the zone goes dark (INFINITY: never) */
    double *zone_back_h;    /* when it has power again */
    double *decision_h;     /* per decision: when it takes effect */
    size_t *decision_order; /* decisions by time (ties: as listed) */
} osim_incident;

/* Allocate an incident sized for sc (borrowed, not kept): 0, or OSIM_ENOMEM with
 * *out untouched. Draw it only for scenarios of the same shape. */
int osim_incident_new(const osim_scenario *sc, osim_incident **out);
/* Free an incident. NULL is a no-op. */
void osim_incident_free(osim_incident *inc);

/* Draw replication rep's incident under master seed. Pure function of (sc, seed, rep). */
void osim_incident_draw(const osim_scenario *sc, uint64_t seed, uint64_t rep, osim_incident *inc);

/* When the racks at position u of site k have power (between from_h and the next
 * change), for tests and narration: returns the time power returns at u, or
 * INFINITY if it never does within the profile. */
double osim_incident_power_back_h(const osim_scenario *sc, const osim_incident *inc, size_t site,
                                  double u);

/*
 * Where a shard drawn at position u in [0,1) sits at site `site` under
 * placement pl (NULL: no placement): u itself, or, when pl places the
 * service in zones of that site, u mapped linearly onto the union of those
 * zones' intervals (weighted by share), so the same draw lands in the same
 * relative place under every design (common random numbers).
 */
double osim_incident_place_u(const osim_scenario *sc, const osim_placement *pl, size_t site,
                             double u);

/* Whether the equipment at (placed) position u of site k was destroyed. */
bool osim_incident_destroyed(const osim_scenario *sc, const osim_incident *inc, size_t site,
                             double u);

/*
 * The power history of the racks at (placed) position u of site `site`
 * into *h: the incident's dark and back instants (by zone on a zoned site,
 * by position otherwise), the wait for replacement equipment if destroyed,
 * then the timed decisions in time order (cut: dark until the next reopen;
 * abandon: dark for good; reopen: power back at once, destroyed equipment
 * still waiting). No stretch at all when neither touches the site.
 */
void osim_incident_power_history(const osim_scenario *sc, const osim_incident *inc, size_t site,
                                 double u, osim_power_history *h);

/* The zone of site k that holds position u (0 on a site without zones). */
size_t osim_incident_zone_of(const osim_scenario *sc, size_t site, double u);

/*
 * The timed decision in force on zone `zone` of site `site` at instant t:
 * the last one (in time order, ties as listed) taking effect at or before t
 * that names the zone or its whole site, or NULL when none has yet. *at_h,
 * when not NULL, gets its instant. On a site without zones pass zone 0:
 * only whole-site decisions count. (The replay's narration asks it, so that
 * power coming back to a zone a decision keeps shut is told as such.)
 */
const osim_decision *osim_incident_decision_at(const osim_scenario *sc, const osim_incident *inc,
                                               size_t site, size_t zone, double t, double *at_h);

#endif
