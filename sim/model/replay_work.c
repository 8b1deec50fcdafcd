/*
 * replay_work.c -- the work of a replay that is not fixed in advance: a
 * system's restart and rebuild under crews, the restore from a backup,
 * and a migration's landings (docs/model.md: "Crews in the replay",
 * "Copies", "Migration").
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/replay_int.h"

/* ------------------------------------------------------------------ crews */

/*
 * Under a topology with crews a system's copy does not come back at a time
 * fixed in advance: each return of power (ev_work_ready) asks for a crew,
 * the crew's arrival (work_started) starts the restart (and the rebuild
 * when due), and its end (ev_work_done) brings the copy back and frees the
 * crew. Darkness (ev_work_down) takes a serving copy down or calls the work
 * off. With a crew always free the copy comes back at exactly the time
 * schedule_shard gives: (power back + restart) + rebuild, the same sums.
 */
static void ev_work_done(osim_engine *e, void *subject, void *object);
static void restore_ask(osim_replay *rp, svc_rt *v, size_t site);

/* Narration of a wait: once per service and kind until one of them is granted. */
static void tell_wait(osim_replay *rp, svc_rt *v, const osim__crew_job *job, const char *what)
{
    char held[160];

    if (rp->narrate == NULL || (v->crew_told & (1u << job->kind)))
        return;
    v->crew_told |= 1u << job->kind;
    osim__crews_holders(rp->crews, job, held, sizeof(held));
    snprintf(rp->buf, sizeof(rp->buf), "%s of %s at %s waits for a crew (held by %s)", what,
             v->s->name, rp->sc->sites[job->site].name, held[0] ? held : "nobody");
    osim__replay_say(rp, v->s->name, rp->buf);
}

static void work_waits(osim__crew_job *job)
{
    shard_work *w = job->owner;

    tell_wait(w->ev->rp, w->ev->svc, job, w->rebuild_due ? "rebuild" : "restart");
}

void osim__replay_fo_waits(osim__crew_job *job)
{
    svc_rt *v = job->owner;

    tell_wait(v->rp, v, job, "failover");
}

static void work_started(osim__crew_job *job)
{
    shard_work *w = job->owner;
    osim_replay *rp = w->ev->rp;
    double t = osim_engine_now(rp->engine) + w->restart_h;

    w->ev->svc->crew_told &= ~(1u << WORK_SYSTEM);
    if (w->rebuild_due)
        t += w->rebuild_h;
    if (osim_engine_schedule_at(rp->engine, t, PRIO_POWER, ev_work_done, w, NULL, &w->done_ev) != 0)
        rp->err = OSIM_ENOMEM;
}

static void ev_work_ready(osim_engine *e, void *subject, void *object)
{
    shard_work *w = subject;
    uint32_t k = w->spans_seen++;

    (void)e;
    (void)object;
    if (w->ev->rp->moved[w->ev->svc->sys_base + w->j])
        return; /* migrated: nothing to restart here */
    if (w->destroyed && k >= w->rebuild_span && !w->rebuilt)
        w->rebuild_due = true;
    w->state = SW_WORK;
    if (osim__crews_ask(w->ev->rp->crews, &w->job) != 0)
        w->ev->rp->err = OSIM_ENOMEM;
}

static void ev_work_done(osim_engine *e, void *subject, void *object)
{
    shard_work *w = subject;
    osim_replay *rp = w->ev->rp;

    (void)object;
    w->done_ev = 0;
    w->rebuilt |= w->rebuild_due;
    w->rebuild_due = false;
    w->state = SW_UP;
    if (osim__crews_drop(rp->crews, &w->job) != 0)
        rp->err = OSIM_ENOMEM;
    osim__replay_ev_shard_up(e, w->ev, (void *)(uintptr_t)w->j);
    /* Back for good (no later return of power): the same instant as
     * schedule_shard's last up, so a restore it waited for starts now. */
    if (w->lone && w->spans_seen == w->readies && --w->ev->svc->restore_wait == 0)
        restore_ask(rp, w->ev->svc, w->job.site);
}

static void ev_work_down(osim_engine *e, void *subject, void *object)
{
    shard_work *w = subject;
    osim_replay *rp = w->ev->rp;

    (void)object;
    if (rp->moved[w->ev->svc->sys_base + w->j])
        return; /* migrated: its work here was called off when it moved */
    if (w->state == SW_UP) {
        w->state = SW_DARK;
        osim__replay_ev_shard_down(e, w->ev, (void *)(uintptr_t)w->j);
        return;
    }
    /* Dark again before it served: the work is called off (a rebuild due stays due). */
    if (w->done_ev != 0)
        osim_engine_cancel(rp->engine, w->done_ev);
    w->done_ev = 0;
    if (osim__crews_drop(rp->crews, &w->job) != 0)
        rp->err = OSIM_ENOMEM;
    w->state = SW_DARK;
}

/* One system's copy under crews: a dark event per stretch, a ready event
 * per return of power (the work itself is decided as it goes). */
int osim__replay_schedule_work(osim_replay *rp, svc_rt *v, shard_ev *ev, size_t j,
                               const osim_power_history *h, double restart_h, double rebuild_h)
{
    shard_work *w = &rp->work[rp->work_n++];
    size_t k;

    memset(w, 0, sizeof(*w));
    w->ev = ev;
    w->j = (uint32_t)j;
    w->state = SW_UP;
    w->destroyed = h->destroyed;
    w->rebuild_span = (uint32_t)h->rebuild_span;
    w->restart_h = restart_h;
    w->rebuild_h = rebuild_h;
    w->job.owner = w;
    w->job.site = ev->slot->site;
    w->job.priority = (unsigned)v->s->priority;
    w->job.rank = rp->name_rank[v->index];
    w->job.kind = WORK_SYSTEM;
    w->job.index = (uint64_t)(ev->slot - v->slots) * v->shards + j;
    w->job.who = v->s->name;
    w->job.start = work_started;
    w->job.waits = work_waits;
    for (k = 0; k < h->count; k++) {
        w->readies += isfinite(h->span[k].back_h);
        if (osim_engine_schedule_at(rp->engine, h->span[k].dark_h, PRIO_POWER, ev_work_down, w,
                                    NULL, NULL) != 0 ||
            (isfinite(h->span[k].back_h) &&
             osim_engine_schedule_at(rp->engine, h->span[k].back_h, PRIO_POWER, ev_work_ready, w,
                                     NULL, NULL) != 0))
            return OSIM_ENOMEM;
    }
    return 0;
}

/* ------------------------------------------------------------------ restores */

static void ev_restore_done(osim_engine *e, void *subject, void *object)
{
    osim_replay *rp = subject;
    svc_rt *v = object;

    v->restored_h = osim_engine_now(e);
    osim__replay_say(rp, v->s->name, "data restored from the backup");
    if (rp->crews_on && osim__crews_drop(rp->crews, &v->rs_job) != 0)
        rp->err = OSIM_ENOMEM;
}

/*
 * The last destroyed system that needs its data from the backup is
 * rebuilt: the restore starts, and takes restore_gb / rate hours. It is a
 * timed action of its own (under crews it holds one); it changes no
 * availability: a service that serves before its data is back is
 * reported as serving but not restored (data_restored_h).
 */
static void restore_begin(osim_replay *rp, svc_rt *v)
{
    const osim__backup_draw *b = &v->bk[v->newest];
    double dur = v->restore_gb / b->rate_gb_per_h;

    if (osim_engine_schedule_in(rp->engine, dur, PRIO_RESTORE, ev_restore_done, rp, v, NULL) != 0) {
        rp->err = OSIM_ENOMEM;
        return;
    }
    if (rp->narrate != NULL) {
        const osim_backup *bk = &v->pl->backups[v->newest];
        snprintf(rp->buf, sizeof(rp->buf),
                 "restore of %.0f GB from the backup at %s starts (%.2f h at %.0f GB/h)",
                 v->restore_gb, bk->at, dur, b->rate_gb_per_h);
        osim__replay_say(rp, v->s->name, rp->buf);
    }
}

static void ev_restore_start(osim_engine *e, void *subject, void *object)
{
    (void)e;
    restore_begin(subject, object);
}

/* A crew is the restore's: it starts now. */
void osim__replay_restore_started(osim__crew_job *job)
{
    svc_rt *v = job->owner;

    v->crew_told &= ~(1u << WORK_RESTORE);
    restore_begin(v->rp, v);
}

void osim__replay_restore_waits(osim__crew_job *job)
{
    svc_rt *v = job->owner;

    tell_wait(v->rp, v, job, "restore");
}

/* Under crews: the restore of v, due now, asks for a crew at site (where
 * the last system that needed it was rebuilt). */
static void restore_ask(osim_replay *rp, svc_rt *v, size_t site)
{
    if (v->restore_gb <= 0.0 || v->newest < 0)
        return;
    v->rs_job.site = site;
    if (osim__crews_ask(rp->crews, &v->rs_job) != 0)
        rp->err = OSIM_ENOMEM;
}

/* ------------------------------------------------------------------ migration */

/*
 * What a migration's landings mean here (its schedule is migration.c's;
 * docs/model.md, "Migration"). System j of v is down when it was not moved
 * and none of its active copies is up. A moved system serves from the
 * destination from the instant it lands: it counts as back and carries its
 * 1/shards of the load (migrated_capacity), its old sites' events no longer
 * touch it (ev_shard_*, ev_work_*), and under crews the restart or rebuild
 * it had asked for or was doing there is called off and its crew freed.
 */
static bool mig_down(void *owner, uint32_t j)
{
    const svc_rt *v = owner;
    size_t g = v->sys_base + j;

    return !v->rp->moved[g] && v->rp->act_up[g] == 0;
}

static void mig_move(void *owner, uint32_t j)
{
    svc_rt *v = owner;
    osim_replay *rp = v->rp;
    size_t i;

    osim__replay_narrate_advance(rp);
    rp->moved[v->sys_base + j] = 1;
    v->moved++;
    for (i = 0; rp->crews_on && i < v->slots_count; i++) {
        shard_work *w = v->slots[i].work;
        if (w == NULL || w[j].state != SW_WORK)
            continue;
        if (w[j].done_ev != 0)
            osim_engine_cancel(rp->engine, w[j].done_ev);
        w[j].done_ev = 0;
        if (osim__crews_drop(rp->crews, &w[j].job) != 0)
            rp->err = OSIM_ENOMEM;
        w[j].state = SW_DARK;
    }
    v->back_act++;
    osim__replay_systems_changed(rp, v);
    set_add(&rp->dirty, rp->topo_pos[v->index]);
}

static void mig_settle(void *owner)
{
    osim__replay_update(((svc_rt *)owner)->rp);
}

static void mig_say(void *owner, const char *what)
{
    svc_rt *v = owner;

    osim__replay_say(v->rp, v->s->name, what);
}

static void mig_waits(osim__crew_job *job)
{
    const osim__migration *m = job->owner;
    svc_rt *v = m->owner;

    tell_wait(v->rp, v, job, "migration");
}

/* Narrating or not: no text is formatted for a replay that tells nothing. */
static const osim__migration_ops mig_ops_told = {mig_down, mig_move, mig_settle, mig_say,
                                                 mig_waits};
static const osim__migration_ops mig_ops_quiet = {mig_down, mig_move, mig_settle, NULL, NULL};

void osim__replay_init_migration(osim_replay *rp, svc_rt *v, double after_h)
{
    const osim_migrate *m = &v->pl->migrate;

    osim__migration_reset(&v->mg, m, rp->sc->sites[m->site].name, rp->engine,
                          rp->crews_on ? rp->crews : NULL,
                          rp->narrate != NULL ? &mig_ops_told : &mig_ops_quiet, v, v->shards,
                          after_h, WORK_MIGRATE, &rp->err);
    v->mg.job.priority = (unsigned)v->s->priority;
    v->mg.job.rank = rp->name_rank[v->index];
    v->mg.job.who = v->s->name;
}

/* Draw every service's backups (copies.c: a stream per backup). */
void osim__replay_draw_backups(osim_replay *rp, osim_rng_local *lr, uint64_t seed, uint64_t rep)
{
    size_t s;

    for (s = 0; s < rp->sc->services_count; s++) {
        svc_rt *v = &rp->svc[s];
        if (v->pl->backups_count > 0)
            v->newest = osim__copies_draw(rp->sc, rp->inc, v->pl, s, seed, rep, &lr->r, v->bk);
    }
}

/* Schedule the start of every restore a destroyed system needs. */
int osim__replay_schedule_restores(osim_replay *rp)
{
    size_t s;

    if (rp->crews_on) /* started by the work they wait for (restore_ask) */
        return 0;
    for (s = 0; s < rp->sc->services_count; s++) {
        svc_rt *v = &rp->svc[s];
        if (v->restore_gb > 0.0 && isfinite(v->restore_from_h) &&
            osim_engine_schedule_at(rp->engine, v->restore_from_h, PRIO_RESTORE, ev_restore_start,
                                    rp, v, NULL) != 0)
            return OSIM_ENOMEM;
    }
    return 0;
}

/* A run under crews: the pools at the topology's sizes, and room for the
 * work of every (service, slot, system), kept across runs. */
int osim__replay_crews_start(osim_replay *rp)
{
    const osim_scenario *sc = rp->sc;
    size_t need = 0, s;

    for (s = 0; s < sc->services_count; s++) {
        const osim_placement *pl = &rp->topo->placements[s];
        need += (pl->active_count + pl->standby_count) * rp->inc->shards[s];
    }
    if (need > rp->work_cap) {
        shard_work *w = realloc(rp->work, need * sizeof(*w));
        if (w == NULL)
            return OSIM_ENOMEM;
        rp->work = w;
        rp->work_cap = need;
    }
    rp->work_n = 0;
    return osim__crews_reset(rp->crews, rp->topo);
}
