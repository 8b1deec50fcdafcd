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
    double replaced_h; /* absolute time destroyed racks can run again */
} osim_site_fire;

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

#endif
