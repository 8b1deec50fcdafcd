/*
 * crews.h -- internal: recovery work that takes a crew, over osim_resource.
 *
 * A topology may declare crews: one pool every site draws from (`crews: N`)
 * or a pool per named site (`site_crews: {site: N}`, other sites unlimited),
 * whose sizes may change with the time of day (`shifts`).
 * Every action that needs hands (a system's restart and rebuild once its
 * power is back, a manual failover; a restore from a backup, a migration) is one
 * osim__crew_job: the model fills in where the work is and its order key,
 * asks, is called back when a crew is its, and drops the job when the work
 * is done or called off. Nothing here knows what the work is.
 *
 * Order (docs/model.md, "Crews"): requests are granted by
 *   1. the service's priority, larger first;
 *   2. the instant they were asked, earlier first;
 *   3. the service's name, in byte order (strcmp), never file order;
 *   4. the kind of work (the model's number: failover before systems);
 *   5. the job's index within its service and kind (slot, then system).
 * Requests asked at one instant are held until every event of that instant
 * at power and failover priority has fired, then sorted by 1, 3, 4, 5 and
 * handed to the resource in that order: the resource's own order (priority,
 * then request sequence) then gives 1 to 5. The order is strict: a request
 * that cannot be granted blocks those behind it (osim_resource).
 *
 * A site with no pool is not limited: asking there calls the job's start at
 * once, inside the call, exactly as if no crews existed.
 *
 * Memory: jobs belong to the model (no allocation per job here); the pools
 * and the buffer of one instant's requests are kept across replications.
 * Thread-safety: one crews object per replay, used by one thread.
 */
#ifndef OUTAGESIM_MODEL_CREWS_H
#define OUTAGESIM_MODEL_CREWS_H

#include <stddef.h>
#include <stdint.h>

#include "outagesim/engine.h"
#include "outagesim/resource.h"
#include "outagesim/scenario.h"

/* Engine priority of the crews' events: after power (0) and failover (1). */
#define OSIM__PRIO_CREWS 2

typedef struct osim__crews osim__crews;
typedef struct osim__crew_job osim__crew_job;

/* The job has its crew (called at the grant, an engine event, or at once
 * inside osim__crews_ask for a site without a pool). */
typedef void (*osim__crew_fn)(osim__crew_job *job);

struct osim__crew_job {
    /* Set by the model before osim__crews_ask. */
    size_t site;         /* where the work is done: selects the pool */
    unsigned priority;   /* the service's priority: larger first */
    uint32_t rank;       /* the service's rank by name */
    uint32_t kind;       /* order of kinds within a service: smaller first */
    uint64_t index;      /* order within a service and kind: smaller first */
    const char *who;     /* the service's name, for "held by" */
    osim__crew_fn start; /* a crew is the job's */
    osim__crew_fn waits; /* optional: asked, and not granted at once */
    void *owner;         /* the model's */
    /* Internal: the state of the request. */
    int state;
    int in_buf;
    int in_list;
    osim_request_id req;
    osim__crew_job *prev, *next; /* holders of the pool */
};

/* A crews object for replays of sc on engine e (borrowed). 0 or OSIM_ENOMEM. */
int osim__crews_new(osim__crews **out, osim_engine *e, const osim_scenario *sc);
void osim__crews_free(osim__crews *c);

/* Whether topology t declares crews at all. */
int osim__crews_declared(const osim_topology *t);

/* Start a replication under topology t: pools at t's sizes, nothing held or
 * waiting. Call after osim_engine_reset. 0 or OSIM_ENOMEM. */
int osim__crews_reset(osim__crews *c, const osim_topology *t);

/* Ask for a crew for job (idle: never asked, or dropped). 0 or OSIM_ENOMEM. */
int osim__crews_ask(osim__crews *c, osim__crew_job *job);

/* The work is done or called off: give the crew back, or withdraw the
 * request. A job never asked or already dropped is left as it is.
 * 0 or OSIM_ENOMEM (grants the release made possible could not be queued). */
int osim__crews_drop(osim__crews *c, osim__crew_job *job);

/* The first error met inside an engine event (OSIM_ENOMEM), or 0. */
int osim__crews_error(const osim__crews *c);

/* Whether job holds a crew. */
int osim__crews_holds(const osim__crew_job *job);

/* "a, b and 3 more": the services holding crews of job's pool, for
 * narration (at most three names, each once). Returns buf. */
const char *osim__crews_holders(const osim__crews *c, const osim__crew_job *job, char *buf,
                                size_t n);

#endif
