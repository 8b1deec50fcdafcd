/*
 * replay.h -- one replication of the incident against one topology.
 *
 * A replication is two steps:
 *   1. osim_incident_draw() (incident.h) realises the fire at every
 *      affected site from the incident's own streams (seed, replication).
 *      It depends on neither the topology nor its streams: this is what
 *      gives common random numbers across designs.
 *   2. osim_replay_run() plays that realisation on the engine under one
 *      topology and writes, per service, a piecewise-constant availability
 *      timeline (fraction 0..1, hours from ignition), downtime, recovery
 *      time and data lost.
 *
 * An osim_replay is per-thread working memory (engine, streams, buffers):
 * create one per worker and reuse it for every replication; steady-state
 * runs allocate nothing.
 */
#ifndef OUTAGESIM_REPLAY_H
#define OUTAGESIM_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "outagesim/incident.h"
#include "outagesim/scenario.h"

/* A piecewise-constant availability: avail[i] holds from t_h[i] until t_h[i+1]
 * (the last until the horizon). t_h[0] is 0 and avail[0] is 1. */
typedef struct osim_timeline {
    double *t_h;
    double *avail;
    size_t count, cap;
} osim_timeline;

typedef struct osim_service_outcome {
    osim_timeline tl;
    double downtime_h;  /* integral of (1 - availability) to the horizon */
    double recovered_h; /* first time from which availability stays 1 (horizon if never) */
    double half_back_h; /* first time from which availability stays >= 0.5: "partly back"
                         * (0 if it never fell below; horizon if never back) */
    double data_lost_gb;
    /* data_lost_gb by the kind of copy that decided it (docs/model.md,
     * "Copies"): the replication lag of a surviving replica; the changes
     * since the newest surviving backup; everything, where no copy
     * survived. They sum to data_lost_gb (up to rounding). */
    double data_lost_replica_gb, data_lost_backup_gb, data_lost_no_copy_gb;
    double data_restored_h; /* serving and with its data back: recovered_h, or later when a
                             * restore from a backup ends after it (horizon if never) */
} osim_service_outcome;

typedef struct osim_replay_result {
    size_t services_count;
    osim_service_outcome *services;
    double full_recovery_h; /* max of recovered_h over services */
    double horizon_h;
    /* Systems back: system j of a service is back when it serves on its own
     * (before a failover, at least one of its active copies is up; after
     * one, its standby copy is up; dependencies are not counted). systems
     * is the share of all systems (every service weighs by its number of
     * systems) that are back, as a step function like an availability
     * timeline (avail[] holds the share, exactly k / systems_total). */
    osim_timeline systems;
    size_t systems_total;
    double systems_50_h;  /* first time from which >= 50% of systems stay back (0 if never
                           * below, horizon if never) */
    double systems_90_h;  /* same, 90% */
    double systems_100_h; /* same, every system */
} osim_replay_result;

int osim_replay_result_new(const osim_scenario *sc, osim_replay_result **out);
void osim_replay_result_free(osim_replay_result *r);

/* A narration sink: called in time order for each notable event. who is a
 * site or service name; what is a short sentence. Both borrowed. */
typedef void (*osim_narrate_fn)(void *ud, double t_h, const char *who, const char *what);

typedef struct osim_replay osim_replay;

int osim_replay_new(const osim_scenario *sc, osim_replay **out);
void osim_replay_free(osim_replay *rp);

/* Set or clear the narration sink (off by default: costs nothing). */
void osim_replay_set_narrate(osim_replay *rp, osim_narrate_fn fn, void *ud);

/*
 * Play incident inc under topology `topology` (index). Topology-specific
 * randomness (failover times, replication lag) comes from streams named
 * after the topology, derived from (seed, rep). Fills res (which must come
 * from osim_replay_result_new for the same scenario). Returns 0 or a
 * negative code (OSIM_ENOMEM).
 */
int osim_replay_run(osim_replay *rp, const osim_incident *inc, size_t topology, uint64_t seed,
                    uint64_t rep, osim_replay_result *res);

/* Availability of a timeline at time t_h. */
double osim_timeline_at(const osim_timeline *tl, double t_h);

#endif
