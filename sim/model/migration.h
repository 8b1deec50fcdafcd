/*
 * migration.h -- internal: a migration's schedule, over the engine and the
 * crews (docs/model.md, "Migration").
 *
 * A placement's `migrate:` moves its service's down systems to another
 * site one by one. This object is the when: armed at the service's first
 * darkness, it begins `after` later (under crews once it holds a crew at
 * the destination, kept until it ends), then lands one system every
 * 24 h / pace at t0 + k x interval: the lowest-numbered system at or above
 * the cursor that the model says is down. It ends after N landings (N the
 * systems down when it began, at most the placement's limit) or at a
 * landing that finds none. The model says what a system is (down) and does
 * what a landing means (move: it serves from the destination); nothing here
 * knows of slots, capacity or timelines.
 *
 * Ties: its events have engine priority OSIM__PRIO_MIGRATE, after power (0)
 * and with failovers (1), before the crews' flush (OSIM__PRIO_CREWS, 2), so
 * its request for a crew is ordered with the others of its instant.
 *
 * Memory: embedded in the model's per-service state; no allocation.
 * Thread-safety: one per service of one replay, used by one thread.
 */
#ifndef OUTAGESIM_MODEL_MIGRATION_H
#define OUTAGESIM_MODEL_MIGRATION_H

#include <stdbool.h>
#include <stdint.h>

#include "model/crews.h"
#include "outagesim/engine.h"
#include "outagesim/scenario.h"

/* Engine priority of a migration's start and landings (the failovers'). */
#define OSIM__PRIO_MIGRATE 1

/* What the model provides: owner is the osim__migration's. */
typedef struct osim__migration_ops {
    bool (*down)(void *owner, uint32_t j);      /* system j is down: not moved, not serving */
    void (*move)(void *owner, uint32_t j);      /* system j lands: it serves from now on */
    void (*settle)(void *owner);                /* a landing's effects are in: bring state up */
    void (*say)(void *owner, const char *what); /* narration; NULL: none */
    osim__crew_fn waits;                        /* narration of a wait for a crew; may be NULL */
} osim__migration_ops;

typedef struct osim__migration {
    /* Set by osim__migration_reset. */
    const osim_migrate *spec; /* the placement's; spec->to NULL: no migration */
    const char *dest;         /* the destination's name, for narration */
    osim_engine *engine;
    osim__crews *crews; /* NULL: the topology declares none */
    const osim__migration_ops *ops;
    void *owner;
    uint32_t shards;
    double after_h; /* drawn by the model */
    int *err;       /* where an engine failure (OSIM_ENOMEM) is recorded */
    osim__crew_job job;
    /* State. */
    int state;
    double t0;      /* when it began moving */
    uint32_t ticks; /* landings so far */
    uint32_t next;  /* systems below it were moved or passed */
    uint32_t n;     /* systems it moves at most */
    uint32_t moved; /* systems it moved */
    char buf[160];
} osim__migration;

/*
 * Start a replication: idle, nothing moved. job's order keys (priority,
 * rank, who) are the model's to fill after this call; its site, kind
 * (kind) and callbacks are set here.
 */
void osim__migration_reset(osim__migration *m, const osim_migrate *spec, const char *dest,
                           osim_engine *e, osim__crews *crews, const osim__migration_ops *ops,
                           void *owner, uint32_t shards, double after_h, uint32_t kind, int *err);

/* The service's first darkness: if it has a migration not yet armed, its
 * start is scheduled after_h from now. */
void osim__migration_arm(osim__migration *m);

#endif
