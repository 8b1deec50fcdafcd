/*
 * migration.c -- a migration's schedule: armed, waiting for its start or a
 * crew, moving, over (migration.h; docs/model.md, "Migration").
 *
 * Invariant: landing k (k = 1, 2, ...) is at t0 + k x interval, computed as
 * a product so that k landings never drift; each landing moves at most one
 * system, the lowest-numbered down one at or above the cursor, and the
 * cursor only grows, so a migration costs O(shards) scans over its life.
 * The crew, if any, is held from the grant to the end, and dropped exactly
 * once (at the end).
 */
#include <stdio.h>
#include <string.h>

#include "model/migration.h"

enum { MIG_IDLE = 0, MIG_ARMED, MIG_CREW, MIG_MOVING, MIG_DONE };

static void ev_start(osim_engine *e, void *subject, void *object);
static void ev_land(osim_engine *e, void *subject, void *object);
static void started(osim__crew_job *job);

static double interval_h(const osim__migration *m)
{
    return 24.0 / m->spec->pace_per_d;
}

static void say(osim__migration *m, const char *what)
{
    if (m->ops->say != NULL)
        m->ops->say(m->owner, what);
}

static void fail(osim__migration *m, int code)
{
    if (*m->err == 0)
        *m->err = code;
}

void osim__migration_reset(osim__migration *m, const osim_migrate *spec, const char *dest,
                           osim_engine *e, osim__crews *crews, const osim__migration_ops *ops,
                           void *owner, uint32_t shards, double after_h, uint32_t kind, int *err)
{
    memset(m, 0, sizeof(*m));
    m->spec = spec;
    m->dest = dest;
    m->engine = e;
    m->crews = crews;
    m->ops = ops;
    m->owner = owner;
    m->shards = shards;
    m->after_h = after_h;
    m->err = err;
    m->job.site = spec->site;
    m->job.kind = kind;
    m->job.index = 0;
    m->job.start = started;
    m->job.waits = ops->waits;
    m->job.owner = m;
}

void osim__migration_arm(osim__migration *m)
{
    if (m->spec == NULL || m->spec->to == NULL || m->state != MIG_IDLE)
        return;
    m->state = MIG_ARMED;
    if (osim_engine_schedule_in(m->engine, m->after_h, OSIM__PRIO_MIGRATE, ev_start, m, NULL,
                                NULL) != 0)
        fail(m, OSIM_ENOMEM);
}

static void ev_start(osim_engine *e, void *subject, void *object)
{
    osim__migration *m = subject;

    (void)e;
    (void)object;
    if (m->crews == NULL) {
        started(&m->job);
        return;
    }
    m->state = MIG_CREW;
    if (osim__crews_ask(m->crews, &m->job) != 0)
        fail(m, OSIM_ENOMEM);
}

static void end(osim__migration *m)
{
    m->state = MIG_DONE;
    if (m->crews != NULL && osim__crews_drop(m->crews, &m->job) != 0)
        fail(m, OSIM_ENOMEM);
    if (m->n > 0 && m->ops->say != NULL) {
        snprintf(m->buf, sizeof(m->buf), "migration to %s ends: %u of %u systems moved", m->dest,
                 m->moved, m->n);
        say(m, m->buf);
    }
}

/* The migration has its crew (or needs none): it begins moving now. */
static void started(osim__crew_job *job)
{
    osim__migration *m = job->owner;
    uint32_t j, down = 0;

    m->state = MIG_MOVING;
    for (j = 0; j < m->shards; j++)
        down += m->ops->down(m->owner, j);
    m->n = down < m->spec->limit ? down : m->spec->limit;
    if (m->n == 0) {
        say(m, "migration not needed: no system is down");
        end(m);
        return;
    }
    m->t0 = osim_engine_now(m->engine);
    m->ticks = 0;
    if (m->ops->say != NULL) {
        snprintf(m->buf, sizeof(m->buf), "migration of %u systems to %s starts (one every %.2f h)",
                 m->n, m->dest, interval_h(m));
        say(m, m->buf);
    }
    if (osim_engine_schedule_at(m->engine, m->t0 + interval_h(m), OSIM__PRIO_MIGRATE, ev_land, m,
                                NULL, NULL) != 0)
        fail(m, OSIM_ENOMEM);
}

static void ev_land(osim_engine *e, void *subject, void *object)
{
    osim__migration *m = subject;
    uint32_t j = m->next;

    (void)e;
    (void)object;
    m->ticks++;
    while (j < m->shards && !m->ops->down(m->owner, j))
        j++;
    m->next = j < m->shards ? j + 1 : j;
    if (j == m->shards) {
        end(m);
        return;
    }
    m->ops->move(m->owner, j);
    m->moved++;
    if (m->ops->say != NULL) {
        snprintf(m->buf, sizeof(m->buf), "system %u moved to %s (%u of %u)", j + 1, m->dest,
                 m->moved, m->n);
        say(m, m->buf);
    }
    if (m->moved == m->n)
        end(m);
    else if (osim_engine_schedule_at(m->engine, m->t0 + (double)(m->ticks + 1) * interval_h(m),
                                     OSIM__PRIO_MIGRATE, ev_land, m, NULL, NULL) != 0)
        fail(m, OSIM_ENOMEM);
    m->ops->settle(m->owner);
}
