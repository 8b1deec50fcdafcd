/*
 * replay.c -- one realised fire played on the engine under one topology.
 *
 * What happens is not written per service anywhere: it emerges from four
 * mechanisms acting on the events of the fire.
 *
 *   Power.      Every shard of a service at a burning site goes dark when
 *               its rack does (UPS failure in the fire zone, then the
 *               building-wide cut) and serves again restart_h after its
 *               rack has power back. incident.c decides when: it gives
 *               each shard's power history (its zone's instants, the
 *               wait for replacement equipment, timed decisions), and a
 *               shard needs restart_h after every return of power.
 *   Capacity.   A service's own capacity is the share of its load that its
 *               serving sites can carry: active sites carry their load share
 *               times the share of their shards that are up, times
 *               (1 + headroom) when others have failed, capped at 1. After a
 *               failover the standby site carries it all.
 *   Failover.   When an active-standby service loses capacity, a failover is
 *               requested: automatically after detect_h, or by hand once the
 *               operators know of the fire. It starts only when every
 *               prerequisite (`needs`: ops tools, auth...) is available
 *               somewhere at needs_min or better, the standby site is up and,
 *               for a manual one, enough staff are free (requests queue
 *               FIFO); it takes failover_h. If the active site comes back
 *               first, the failover is cancelled.
 *   Dependencies. A service is only as available as what it needs:
 *               availability = own capacity x product of its dependencies'
 *               availabilities, evaluated in dependency order. The product
 *               treats the users who lose each dependency as independent.
 *
 * Invariant: after every event, each service's availability equals what
 * the state alone gives (only services whose inputs changed are computed
 * again: see update) and a timeline step is appended only when it
 * changes, so the timelines are exact piecewise-constant records.
 *
 * Cost: an event costs what it changes (the services it marks, the
 * failovers it may start), not the number of services or of failovers
 * waiting: sets of services know which words they marked (svc_set), and a
 * waiting failover is offered a start only when what it waits for changed
 * (start_waiting). A replay is then linear in its events up to the
 * engine's O(log events) per event.
 *
 * Files: this one holds the set-up, capacity, failover, update, power and
 * the run; replay_narrate.c what `replay` tells; replay_work.c the work
 * whose time is not fixed in advance (crews, restores, migrations); their
 * shared state is replay_int.h, a set of services svc_set.h.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/copies.h"
#include "outagesim/engine.h"
#include "outagesim/replay.h"
#include "outagesim/rng.h"

#include "model/crews.h"
#include "model/migration.h"

#include "model/replay_int.h"

/* Static here, where the hot paths call them (so they inline); the other
 * files of the replay call the osim__replay_ wrappers at the end. */
static void update(osim_replay *rp);
static void systems_changed(osim_replay *rp, svc_rt *v);
static void ev_shard_down(osim_engine *e, void *subject, void *object);
static void ev_shard_up(osim_engine *e, void *subject, void *object);

/* ------------------------------------------------------------------ timeline */

static int timeline_push(osim_timeline *tl, double t_h, double a)
{
    if (tl->count > 0 && tl->t_h[tl->count - 1] == t_h) {
        tl->avail[tl->count - 1] = a;
        /* Collapse a step that returned to the previous level at the same instant. */
        if (tl->count > 1 && tl->avail[tl->count - 2] == a)
            tl->count--;
        return 0;
    }
    if (tl->count == tl->cap) {
        size_t cap = tl->cap ? tl->cap * 2 : 16;
        double *t = realloc(tl->t_h, cap * sizeof(double));
        double *v;
        if (t == NULL)
            return OSIM_ENOMEM;
        tl->t_h = t;
        v = realloc(tl->avail, cap * sizeof(double));
        if (v == NULL)
            return OSIM_ENOMEM;
        tl->avail = v;
        tl->cap = cap;
    }
    tl->t_h[tl->count] = t_h;
    tl->avail[tl->count] = a;
    tl->count++;
    return 0;
}

double osim_timeline_at(const osim_timeline *tl, double t_h)
{
    size_t lo = 0, hi = tl->count;

    if (tl->count == 0)
        return 1.0;
    /* Last step with t <= t_h. */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (tl->t_h[mid] <= t_h)
            lo = mid;
        else
            hi = mid;
    }
    return tl->avail[lo];
}

int osim_replay_result_new(const osim_scenario *sc, osim_replay_result **out)
{
    osim_replay_result *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return OSIM_ENOMEM;
    r->services_count = sc->services_count;
    r->services = calloc(sc->services_count ? sc->services_count : 1, sizeof(*r->services));
    if (r->services == NULL) {
        free(r);
        return OSIM_ENOMEM;
    }
    r->horizon_h = sc->horizon_h;
    *out = r;
    return 0;
}

void osim_replay_result_free(osim_replay_result *r)
{
    size_t i;

    if (r == NULL)
        return;
    for (i = 0; i < r->services_count; i++) {
        free(r->services[i].tl.t_h);
        free(r->services[i].tl.avail);
    }
    free(r->systems.t_h);
    free(r->systems.avail);
    free(r->services);
    free(r);
}

/* ------------------------------------------------------------------ set-up */

/* Who depends on each service (the reverse of services[].deps), for update(). */
static int build_dependents(osim_replay *rp)
{
    const osim_scenario *sc = rp->sc;
    size_t n = sc->services_count, s, j, total = 0;

    rp->rdep_off = calloc(n + 1, sizeof(*rp->rdep_off));
    if (rp->rdep_off == NULL)
        return OSIM_ENOMEM;
    for (s = 0; s < n; s++)
        for (j = 0; j < sc->services[s].deps_count; j++) {
            if (sc->services[s].deps[j] >= n)
                return OSIM_EINVAL;
            rp->rdep_off[sc->services[s].deps[j] + 1]++;
            total++;
        }
    for (s = 0; s < n; s++)
        rp->rdep_off[s + 1] += rp->rdep_off[s];
    rp->rdep = calloc(total ? total : 1, sizeof(*rp->rdep));
    if (rp->rdep == NULL)
        return OSIM_ENOMEM;
    /* rdep_off[d] serves as d's fill cursor, ending at the start of d + 1's
     * range; shifting by one afterwards makes it d's start again. */
    for (s = 0; s < n; s++)
        for (j = 0; j < sc->services[s].deps_count; j++)
            rp->rdep[rp->rdep_off[sc->services[s].deps[j]]++] = s;
    for (s = n; s > 0; s--)
        rp->rdep_off[s] = rp->rdep_off[s - 1];
    rp->rdep_off[0] = 0;
    return 0;
}

/*
 * Who waits on each service for a failover, per topology (the reverse of
 * placements[].needs), so that a change in a service's availability offers
 * a start to the failovers that need it and to no others (start_waiting).
 */
static int build_needers(osim_replay *rp)
{
    const osim_scenario *sc = rp->sc;
    size_t n = sc->services_count, T = sc->topologies_count, t, s, j, total = 0;

    rp->rneed_off = calloc(T * (n + 1) + 1, sizeof(*rp->rneed_off));
    if (rp->rneed_off == NULL)
        return OSIM_ENOMEM;
    for (t = 0; t < T; t++) {
        size_t *off = rp->rneed_off + t * (n + 1);
        for (s = 0; s < n; s++) {
            const osim_placement *pl = &sc->topologies[t].placements[s];
            for (j = 0; j < pl->needs_count; j++) {
                if (pl->needs[j] >= n)
                    return OSIM_EINVAL;
                off[pl->needs[j] + 1]++;
            }
        }
        /* Offsets into one array for every topology: each starts where
         * the previous ended. */
        off[0] = total;
        for (s = 0; s < n; s++)
            off[s + 1] += off[s];
        total = off[n];
    }
    rp->rneed = calloc(total ? total : 1, sizeof(*rp->rneed));
    if (rp->rneed == NULL)
        return OSIM_ENOMEM;
    /* As in build_dependents: off[d] is d's fill cursor, then shifted back. */
    for (t = 0; t < T; t++) {
        size_t *off = rp->rneed_off + t * (n + 1);
        for (s = 0; s < n; s++) {
            const osim_placement *pl = &sc->topologies[t].placements[s];
            for (j = 0; j < pl->needs_count; j++)
                rp->rneed[off[pl->needs[j]]++] = s;
        }
        for (s = n; s > 0; s--)
            off[s] = off[s - 1];
        off[0] = t > 0 ? rp->rneed_off[t * (n + 1) - 1] : 0;
    }
    return 0;
}

/* A service's name and index, for rank_names. */
typedef struct named {
    const char *name;
    size_t index;
} named;

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

/*
 * The rank of every service's name in byte order (strcmp): the tie order of
 * requests for crews (crews.h), so that file order never decides. Names are
 * unique, so the order is total whatever qsort does with equal keys.
 */
static int rank_names(osim_replay *rp)
{
    size_t n = rp->sc->services_count, i;
    named *by = calloc(n ? n : 1, sizeof(*by));

    rp->name_rank = calloc(n ? n : 1, sizeof(*rp->name_rank));
    if (by == NULL || rp->name_rank == NULL) {
        free(by);
        return OSIM_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        by[i].name = rp->sc->services[i].name;
        by[i].index = i;
    }
    qsort(by, n, sizeof(*by), name_cmp);
    for (i = 0; i < n; i++)
        rp->name_rank[by[i].index] = (uint32_t)i;
    free(by);
    return 0;
}

/* Room for every service's backup draws (copies.c), the most any topology gives it. */
static int build_backups(osim_replay *rp)
{
    const osim_scenario *sc = rp->sc;
    size_t n = sc->services_count, s, t, total = 0;

    rp->bk_off = calloc(n + 1, sizeof(*rp->bk_off));
    if (rp->bk_off == NULL)
        return OSIM_ENOMEM;
    for (s = 0; s < n; s++) {
        size_t most = 0;
        for (t = 0; t < sc->topologies_count; t++)
            if (sc->topologies[t].placements[s].backups_count > most)
                most = sc->topologies[t].placements[s].backups_count;
        rp->bk_off[s] = total;
        total += most;
    }
    rp->bk_off[n] = total;
    rp->bk = calloc(total ? total : 1, sizeof(*rp->bk));
    return rp->bk == NULL ? OSIM_ENOMEM : 0;
}

int osim_replay_new(const osim_scenario *sc, osim_replay **out)
{
    osim_replay *rp = calloc(1, sizeof(*rp));
    size_t n = sc->services_count ? sc->services_count : 1;
    size_t m = n * (sc->sites_count ? sc->sites_count : 1);
    size_t i;
    int rc;

    if (rp == NULL)
        return OSIM_ENOMEM;
    rp->sc = sc;
    rc = osim_engine_new(&rp->engine, NULL, NULL);
    if (rc != 0)
        goto fail;
    rc = OSIM_ENOMEM;
    rp->svc = calloc(n, sizeof(*rp->svc));
    rp->slots = calloc(m, sizeof(*rp->slots));
    rp->evs = calloc(m, sizeof(*rp->evs));
    rp->waitq = calloc(2 * n, sizeof(*rp->waitq));
    rp->wq_cand = calloc((2 * n + 63) / 64, sizeof(*rp->wq_cand));
    rp->wq_staff = calloc((2 * n + 63) / 64, sizeof(*rp->wq_staff));
    rp->topo_pos = calloc(n, sizeof(*rp->topo_pos));
    rp->nwords = (n + 63) / 64;
    rp->dirty.w = calloc(rp->nwords, sizeof(*rp->dirty.w));
    rp->act_dirty.w = calloc(rp->nwords, sizeof(*rp->act_dirty.w));
    rp->changed.w = calloc(rp->nwords, sizeof(*rp->changed.w));
    for (i = 0; i < sc->services_count; i++)
        rp->systems_total += osim_service_systems(&sc->services[i]);
    rp->act_up = calloc(rp->systems_total + 1, sizeof(*rp->act_up));
    rp->sb_up = calloc(rp->systems_total + 1, sizeof(*rp->sb_up));
    rp->moved = calloc(rp->systems_total + 1, sizeof(*rp->moved));
    if (rp->svc == NULL || rp->slots == NULL || rp->evs == NULL || rp->waitq == NULL ||
        rp->wq_cand == NULL || rp->wq_staff == NULL || rp->topo_pos == NULL ||
        rp->dirty.w == NULL || rp->act_dirty.w == NULL || rp->changed.w == NULL ||
        rp->act_up == NULL || rp->sb_up == NULL || rp->moved == NULL)
        goto fail;
    for (i = 0; i < sc->services_count; i++)
        rp->topo_pos[sc->topo_order[i]] = i;
    if ((rc = build_dependents(rp)) != 0 || (rc = build_needers(rp)) != 0 ||
        (rc = osim__crews_new(&rp->crews, rp->engine, sc)) != 0 || (rc = rank_names(rp)) != 0 ||
        (rc = build_backups(rp)) != 0)
        goto fail;
    *out = rp;
    return 0;
fail:
    osim_replay_free(rp);
    return rc;
}

void osim_replay_free(osim_replay *rp)
{
    if (rp == NULL)
        return;
    osim__crews_free(rp->crews);
    osim_engine_free(rp->engine);
    free(rp->work);
    free(rp->name_rank);
    free(rp->sb_up);
    free(rp->moved);
    free(rp->act_up);
    free(rp->changed.w);
    free(rp->act_dirty.w);
    free(rp->dirty.w);
    free(rp->topo_pos);
    free(rp->rdep);
    free(rp->rdep_off);
    free(rp->rneed);
    free(rp->rneed_off);
    free(rp->wq_staff);
    free(rp->wq_cand);
    free(rp->waitq);
    free(rp->evs);
    free(rp->slots);
    free(rp->svc);
    free(rp->bk_off);
    free(rp->bk);
    free(rp);
}

void osim_replay_set_narrate(osim_replay *rp, osim_narrate_fn fn, void *ud)
{
    rp->narrate = fn;
    rp->narrate_ud = ud;
}

/* ------------------------------------------------------------------ capacity */

/*
 * The capacity of a service some of whose systems were migrated: each moved
 * system carries its 1/shards of the load from the destination; the others
 * as at their own sites (their slots' `up` no longer count moved systems),
 * the survivors absorbing what they can up to their headroom. Whole when
 * every system not moved is up at every active site.
 */
static double migrated_capacity(const svc_rt *v, double sum)
{
    double a;
    size_t i;
    bool whole = true;

    for (i = 0; i < v->slots_count; i++)
        if (v->slots[i].active && v->slots[i].up + v->moved < v->shards)
            whole = false;
    if (whole)
        return 1.0;
    a = sum * (1.0 + v->pl->headroom) + (double)v->moved / (double)v->shards;
    return a < 1.0 ? a : 1.0;
}

static double active_capacity(const svc_rt *v)
{
    double sum = 0.0, full = 0.0;
    size_t i;

    for (i = 0; i < v->slots_count; i++) {
        const slot_rt *sl = &v->slots[i];
        if (!sl->active)
            continue;
        sum += sl->share * (double)sl->up / (double)v->shards;
        full += sl->share;
    }
    if (full <= 0.0)
        return 0.0;
    if (v->moved > 0)
        return migrated_capacity(v, sum);
    if (sum >= full - 1e-12)
        return 1.0;
    /* Survivors absorb what they can, up to their headroom. */
    sum *= 1.0 + v->pl->headroom;
    return sum < 1.0 ? sum : 1.0;
}

static slot_rt *standby_slot(svc_rt *v)
{
    size_t i;

    for (i = 0; i < v->slots_count; i++)
        if (!v->slots[i].active)
            return &v->slots[i];
    return NULL;
}

static double own_capacity(svc_rt *v)
{
    if (v->fo == FO_DONE) {
        slot_rt *sb = standby_slot(v);
        return sb ? (double)sb->up / (double)v->shards : 0.0;
    }
    return active_capacity(v);
}

/* A stateless service needs no replication: its standby lacks nothing. (The
 * loader refuses a failover of a service holding data without one.) */
static bool can_fail_over(const svc_rt *v)
{
    return v->pl->failover != OSIM_FAILOVER_NONE && v->pl->standby_count > 0 &&
           (v->pl->replication != OSIM_REPL_NONE || osim_service_stateless(v->s));
}

/* ------------------------------------------------------------------ failover */

static void ev_failover_request(osim_engine *e, void *subject, void *object);
static void ev_failover_done(osim_engine *e, void *subject, void *object);

static double failed_site_detection(const osim_replay *rp, const svc_rt *v)
{
    double t = INFINITY;
    size_t i;

    /* Operators act on a failure once they know of the fire at a failed active site. */
    for (i = 0; i < v->slots_count; i++)
        if (v->slots[i].active && v->slots[i].up < v->shards) {
            double d = rp->inc->fire[v->slots[i].site].detection_h;
            if (!isfinite(d))
                d = osim_engine_now(rp->engine); /* failed without a fire: noticed at once */
            if (d < t)
                t = d;
        }
    return isfinite(t) ? t : osim_engine_now(rp->engine);
}

static void request_failover(osim_replay *rp, svc_rt *v)
{
    double now = osim_engine_now(rp->engine), t;

    if (v->pl->failover == OSIM_FAILOVER_AUTOMATIC)
        t = now + v->detect_h;
    else
        t = failed_site_detection(rp, v);
    if (t < now)
        t = now;
    v->fo = FO_PENDING;
    if (osim_engine_schedule_at(rp->engine, t, PRIO_FAILOVER, ev_failover_request, rp, v,
                                &v->fo_event) != 0)
        rp->err = OSIM_ENOMEM;
}

static void cancel_failover(osim_replay *rp, svc_rt *v)
{
    osim_engine_cancel(rp->engine, v->fo_event);
    if (rp->crews_on) {
        if (osim__crews_drop(rp->crews, &v->fo_job) != 0)
            rp->err = OSIM_ENOMEM;
    } else if (v->fo == FO_RUNNING && v->pl->failover == OSIM_FAILOVER_MANUAL) {
        rp->staff_free += v->pl->staff;
        rp->staff_freed = true;
    }
    v->fo = FO_IDLE;
    v->fo_event = 0;
    osim__replay_say(rp, v->s->name,
                     "primary site back before failover finished: failover called off");
}

static const char *missing_prerequisite(const osim_replay *rp, const svc_rt *v)
{
    size_t i;

    for (i = 0; i < v->pl->needs_count; i++) {
        const svc_rt *n = &rp->svc[v->pl->needs[i]];
        if (n->avail < v->pl->needs_min - 1e-12)
            return n->s->name;
    }
    return NULL;
}

/* What try_start did: started, or what the failover still waits for. */
enum start_outcome { START_DONE, START_WAITS, START_WAITS_STAFF };

static enum start_outcome begin_failover(osim_replay *rp, svc_rt *v, const slot_rt *sb,
                                         bool manual);

static enum start_outcome try_start(osim_replay *rp, svc_rt *v)
{
    const char *missing = missing_prerequisite(rp, v);
    slot_rt *sb = standby_slot(v);
    bool manual = v->pl->failover == OSIM_FAILOVER_MANUAL;

    if (missing != NULL || sb == NULL || sb->up < v->shards ||
        (manual && !rp->crews_on && rp->staff_free < v->pl->staff - 1e-12)) {
        if (!v->waiting_reported && rp->narrate != NULL) {
            if (missing != NULL)
                snprintf(rp->buf, sizeof(rp->buf), "failover waits: needs %s", missing);
            else if (sb == NULL || sb->up < v->shards)
                snprintf(rp->buf, sizeof(rp->buf), "failover waits: standby site is down");
            else
                snprintf(rp->buf, sizeof(rp->buf), "failover waits for free staff");
            osim__replay_say(rp, v->s->name, rp->buf);
            v->waiting_reported = true;
        }
        return missing == NULL && sb != NULL && sb->up >= v->shards ? START_WAITS_STAFF
                                                                    : START_WAITS;
    }
    if (manual && rp->crews_on) {
        /* Ready but for hands: the failover waits for a crew at the standby
         * site (fo_started is called when it has one). */
        osim__crew_job *job = &v->fo_job;
        v->fo = FO_CREW;
        job->site = sb->site;
        job->kind = WORK_FAILOVER;
        job->index = 0;
        if (osim__crews_ask(rp->crews, job) != 0)
            rp->err = OSIM_ENOMEM;
        return START_DONE;
    }
    if (manual)
        rp->staff_free -= v->pl->staff;
    return begin_failover(rp, v, sb, manual);
}

/* A crew is the manual failover's: it switches now. */
static void fo_started(osim__crew_job *job)
{
    svc_rt *v = job->owner;
    osim_replay *rp = v->rp;

    v->crew_told &= ~(1u << WORK_FAILOVER);
    begin_failover(rp, v, v->sb_slot, true);
}

/* The failover of v to sb starts now and ends failover_h later. */
static enum start_outcome begin_failover(osim_replay *rp, svc_rt *v, const slot_rt *sb, bool manual)
{
    v->fo = FO_RUNNING;
    if (osim_engine_schedule_in(rp->engine, v->failover_h, PRIO_FAILOVER, ev_failover_done, rp, v,
                                &v->fo_event) != 0) {
        rp->err = OSIM_ENOMEM;
        return START_DONE;
    }
    if (rp->narrate != NULL) {
        snprintf(rp->buf, sizeof(rp->buf), "%s failover to %s starts (%.2f h)",
                 manual ? "manual" : "automatic", rp->sc->sites[sb->site].name, v->failover_h);
        osim__replay_say(rp, v->s->name, rp->buf);
    }
    return START_DONE;
}

/*
 * Offer the waiting failovers a start, in request order. A request that
 * cannot start yet (a prerequisite is down) does not block later ones;
 * starting one changes no availability, only free staff, so one pass in
 * order is enough.
 *
 * The requests wait in a FIFO (waitq): fo_seq grows with every request, so
 * the order of arrival is the order of fo_seq. An entry goes stale when
 * its service stops waiting (started, or called off and perhaps requested
 * again under a new seq); stale entries are skipped, and dropped when the
 * FIFO is full (waitq_push).
 *
 * Only requests that could start are offered one, so that an event does
 * not cost more with every failover waiting. A request that did not start
 * waits for a prerequisite's availability, its standby's shards or staff;
 * nothing else enters the decision. Offered a start again while none of
 * those changed, it would not start either, and an offer that does not
 * start changes nothing (its one narration was given at its first offer).
 * So a request is offered a start when it arrives and then only when it is
 * a candidate (wq_cand): a prerequisite's availability changed (update,
 * through rneed) or its standby's shards did (shard_changed). Requests
 * that wait for staff alone (wq_staff) are offered one again after
 * staff_free grew, while the smallest manual failover would find enough.
 * The requests offered are taken in FIFO order, and every request that
 * would have started when all were offered one is among them: the same
 * failovers start, in the same order, scheduling the same events in the
 * same order.
 */
static void wq_mark(uint64_t *set, size_t pos)
{
    set[pos / 64] |= (uint64_t)1 << (pos % 64);
}

static void wq_unmark(uint64_t *set, size_t pos)
{
    set[pos / 64] &= ~((uint64_t)1 << (pos % 64));
}

static bool wq_marked(const uint64_t *set, size_t pos)
{
    return (set[pos / 64] >> (pos % 64)) & 1;
}

/* v's request, if it waits, may start now. */
static void wq_candidate(osim_replay *rp, const svc_rt *v)
{
    if (v->fo == FO_WAITING) {
        wq_mark(rp->wq_cand, v->wq_pos);
        rp->wq_any_cand = true;
    }
}

/* Drop stale entries, keeping the order, the marks and wq_pos in step. */
static void waitq_compact(osim_replay *rp)
{
    size_t i, n = 0;

    for (i = 0; i < rp->waitq_n; i++) {
        const wait_ent *e = &rp->waitq[i];
        bool cand = wq_marked(rp->wq_cand, i), staff = wq_marked(rp->wq_staff, i);
        wq_unmark(rp->wq_cand, i);
        wq_unmark(rp->wq_staff, i);
        if (e->v->fo == FO_WAITING && e->v->fo_seq == e->seq) {
            /* n <= i: position n holds no marks any more. */
            e->v->wq_pos = n;
            if (cand)
                wq_mark(rp->wq_cand, n);
            if (staff)
                wq_mark(rp->wq_staff, n);
            rp->waitq[n++] = *e;
        }
    }
    rp->waitq_n = n;
}

static void waitq_push(osim_replay *rp, svc_rt *v)
{
    /* v is not waiting yet, so at most the other services are: compacting
     * a full FIFO frees at least half of it, and costs O(1) per request. */
    if (rp->waitq_n == 2 * rp->sc->services_count)
        waitq_compact(rp);
    v->wq_pos = rp->waitq_n;
    rp->waitq[rp->waitq_n].v = v;
    rp->waitq[rp->waitq_n].seq = v->fo_seq;
    rp->waitq_n++;
    wq_candidate(rp, v);
}

static void start_waiting(osim_replay *rp)
{
    size_t nw = (rp->waitq_n + 63) / 64, w;
    bool staff = rp->staff_freed;

    rp->wq_any_cand = false;
    rp->staff_freed = false;
    /* try_start changes only its own service (and free staff): the entries
     * after it stay as they are. */
    for (w = 0; w < nw; w++) {
        uint64_t rest = ~(uint64_t)0; /* the positions of word w not taken yet */
        for (;;) {
            const wait_ent *e;
            uint64_t bits;
            size_t pos;
            /* Staff only shrinks here: once the smallest manual failover
             * finds too little, no request for staff alone can start. */
            staff = staff && !(rp->staff_free < rp->staff_min - 1e-12);
            bits = (rp->wq_cand[w] | (staff ? rp->wq_staff[w] : 0)) & rest;
            if (bits == 0)
                break;
            pos = w * 64 + lowest_bit(bits);
            rest = pos % 64 == 63 ? 0 : rest & (~(uint64_t)0 << (pos % 64 + 1));
            wq_unmark(rp->wq_cand, pos);
            wq_unmark(rp->wq_staff, pos);
            e = &rp->waitq[pos];
            if (e->v->fo == FO_WAITING && e->v->fo_seq == e->seq &&
                try_start(rp, e->v) == START_WAITS_STAFF)
                wq_mark(rp->wq_staff, pos);
        }
    }
}

static void ev_failover_request(osim_engine *e, void *subject, void *object)
{
    osim_replay *rp = subject;
    svc_rt *v = object;

    (void)e;
    v->fo = FO_WAITING;
    v->fo_seq = rp->fo_seq_next++;
    v->fo_event = 0;
    waitq_push(rp, v);
    osim__replay_say(rp, v->s->name,
                     v->pl->failover == OSIM_FAILOVER_AUTOMATIC
                         ? "outage detected: automatic failover requested"
                         : "manual failover requested");
    update(rp);
}

static void ev_failover_done(osim_engine *e, void *subject, void *object)
{
    osim_replay *rp = subject;
    svc_rt *v = object;

    (void)e;
    if (rp->crews_on) {
        if (osim__crews_drop(rp->crews, &v->fo_job) != 0)
            rp->err = OSIM_ENOMEM;
    } else if (v->pl->failover == OSIM_FAILOVER_MANUAL) {
        rp->staff_free += v->pl->staff;
        rp->staff_freed = true;
    }
    v->fo = FO_DONE;
    v->fo_event = 0;
    set_add(&rp->dirty, rp->topo_pos[v->index]); /* now served from the standby */
    /* The standby had every write (sync) or all but the lag (async); data
     * whose every copy burned stays lost. */
    if (v->pl->replication == OSIM_REPL_ASYNC) {
        v->data_lost_gb = v->data_orphaned_gb + v->lag_h * v->s->data_change_gb_per_h;
        v->lost_replica_gb = v->lag_h * v->s->data_change_gb_per_h;
    } else {
        v->data_lost_gb = v->data_orphaned_gb;
        v->lost_replica_gb = 0.0;
    }
    systems_changed(rp, v);
    osim__replay_say(rp, v->s->name, "failover complete: served from the standby site");
    update(rp);
}

/* ------------------------------------------------------------------ update */

/* The level as narrated: -1 down, 101 serving fully, else the rounded
 * percentage that level_text prints. */
int osim__replay_level_key(double a)
{
    if (a >= 1.0 - 1e-12)
        return 101;
    if (a <= 1e-12)
        return -1;
    return (int)nearbyint(100.0 * a);
}

/*
 * Recompute what the state implies: availabilities in dependency order,
 * then failover requests and cancellations, then waiting failovers.
 *
 * Only what can have changed is recomputed. A service's availability is a
 * function of its shards, whether it failed over and its dependencies'
 * availabilities; computed again from the same inputs it gives the same
 * value, which then changes nothing (it was stored, or was within 1e-12 of
 * the stored one). So a service is recomputed only when marked dirty: by a
 * shard event, by its failover completing, or by a dependency whose stored
 * availability changed. Likewise a failover decision depends only on the
 * active shards and on whether a request is outstanding (fo == FO_IDLE),
 * which only this loop changes: it is taken again only after a shard event
 * (act_dirty). Services are visited in the same order as before, so the
 * events scheduled and the narration are the same.
 */
static void update(osim_replay *rp)
{
    const osim_scenario *sc = rp->sc;
    double now = osim_engine_now(rp->engine);
    size_t w, j;

    if (rp->narrate != NULL) /* tested here: this runs at every event */
        osim__replay_narrate_advance(rp);
    /* Lowest topo position first; dependents sit at higher positions, so
     * marking them while the set is being taken keeps the order (and the
     * words still to visit: dirty.lo stays at or below w, dirty.hi may grow). */
    for (w = rp->dirty.lo; w < rp->dirty.hi; w++)
        while (rp->dirty.w[w] != 0) {
            svc_rt *v = &rp->svc[sc->topo_order[set_take(&rp->dirty, w)]];
            double a = own_capacity(v);
            for (j = 0; j < v->s->deps_count; j++)
                a *= rp->svc[v->s->deps[j]].avail;
            if (fabs(a - v->avail) > 1e-12) {
                v->avail = a;
                if (rp->narrate != NULL)
                    set_add(&rp->changed, rp->topo_pos[v->index]);
                if (timeline_push(&rp->res->services[v->index].tl, now, a) != 0)
                    rp->err = OSIM_ENOMEM;
                for (j = rp->rdep_off[v->index]; j < rp->rdep_off[v->index + 1]; j++)
                    set_add(&rp->dirty, rp->topo_pos[rp->rdep[j]]);
                /* Failovers that need v may start now (start_waiting). */
                for (j = rp->rneed_off_t[v->index]; j < rp->rneed_off_t[v->index + 1]; j++)
                    wq_candidate(rp, &rp->svc[rp->rneed[j]]);
            }
        }
    set_emptied(&rp->dirty);
    for (w = rp->act_dirty.lo; w < rp->act_dirty.hi; w++)
        while (rp->act_dirty.w[w] != 0) {
            svc_rt *v = &rp->svc[set_take(&rp->act_dirty, w)];
            double act;
            if (!can_fail_over(v) || v->fo == FO_DONE)
                continue;
            act = active_capacity(v);
            if (act < 1.0 - 1e-12 && v->fo == FO_IDLE)
                request_failover(rp, v);
            else if (act >= 1.0 - 1e-12 && v->fo != FO_IDLE)
                cancel_failover(rp, v);
        }
    set_emptied(&rp->act_dirty);
    if (rp->wq_any_cand || rp->staff_freed)
        start_waiting(rp);
}

/* ------------------------------------------------------------------ power */

/* A shard of v went dark or came back: its capacity and failover decision may change. */
static void shard_changed(osim_replay *rp, const svc_rt *v)
{
    set_add(&rp->dirty, rp->topo_pos[v->index]);
    set_add(&rp->act_dirty, v->index);
    wq_candidate(rp, v); /* its standby may be whole again */
}

/* ------------------------------------------------------------------ systems back */

/*
 * Systems back. System j of v is back when it serves on its own: before a
 * failover when at least one of its active copies is up, after one when
 * its standby copy is up (dependencies are not counted: operators count
 * restored systems). Each copy's events update two counts of v (back_act,
 * back_sb) in O(1); v->back is the one its failover state selects, and
 * back_total their sum over services, so the share of systems back is a
 * step function recorded in res->systems without ever scanning systems.
 */
static void systems_changed(osim_replay *rp, svc_rt *v)
{
    size_t now_back = v->fo == FO_DONE ? v->back_sb : v->back_act;

    if (now_back == v->back)
        return;
    rp->back_total = rp->back_total - v->back + now_back;
    v->back = now_back;
    if (timeline_push(&rp->res->systems, osim_engine_now(rp->engine),
                      (double)rp->back_total / (double)rp->systems_total) != 0)
        rp->err = OSIM_ENOMEM;
}

/* Copy j of v at slot sl went dark (up = false) or came back. */
static void system_copy(osim_replay *rp, svc_rt *v, const slot_rt *sl, size_t j, bool up)
{
    size_t g = v->sys_base + j;

    if (sl->active) {
        if (up && rp->act_up[g]++ == 0)
            v->back_act++;
        else if (!up && --rp->act_up[g] == 0)
            v->back_act--;
    } else if (sl == v->sb_slot && rp->sb_up[g] != (unsigned char)up) {
        rp->sb_up[g] = (unsigned char)up;
        if (up)
            v->back_sb++;
        else
            v->back_sb--;
    }
    systems_changed(rp, v);
    /* The service's first darkness: a migration's `after` counts from it. */
    if (v->back < v->shards && v->pl->migrate.to != NULL)
        osim__migration_arm(&v->mg);
}

static void ev_shard_down(osim_engine *e, void *subject, void *object)
{
    shard_ev *ev = subject;

    (void)e;
    if (ev->rp->moved[ev->svc->sys_base + (size_t)(uintptr_t)object])
        return; /* migrated: it no longer depends on this site */
    ev->slot->up--;
    system_copy(ev->rp, ev->svc, ev->slot, (size_t)(uintptr_t)object, false);
    shard_changed(ev->rp, ev->svc);
    update(ev->rp);
}

static void ev_shard_up(osim_engine *e, void *subject, void *object)
{
    shard_ev *ev = subject;

    (void)e;
    if (ev->rp->moved[ev->svc->sys_base + (size_t)(uintptr_t)object])
        return; /* migrated: it no longer depends on this site */
    ev->slot->up++;
    system_copy(ev->rp, ev->svc, ev->slot, (size_t)(uintptr_t)object, true);
    shard_changed(ev->rp, ev->svc);
    update(ev->rp);
}

static const osim_incident_site *incident_for(const osim_scenario *sc, size_t site)
{
    size_t i;

    for (i = 0; i < sc->incident_count; i++)
        if (sc->incident[i].site == site)
            return &sc->incident[i];
    return NULL;
}

/*
 * Whether shard j of v keeps a copy outside `site`: with replication, at
 * another active or standby site that does not burn or where that shard's
 * equipment was not destroyed. A fire that destroys every copy (every
 * site, as in an incident that takes them all) loses the data for good,
 * replication or not.
 */
static bool copy_survives(const osim_replay *rp, const svc_rt *v, size_t j, size_t site)
{
    const osim_scenario *sc = rp->sc;
    const osim_incident *inc = rp->inc;
    const osim_placement *pl = v->pl;
    size_t k, n = pl->active_count + pl->standby_count;

    if (pl->replication == OSIM_REPL_NONE)
        return false;
    for (k = 0; k < n; k++) {
        size_t other = k < pl->active_count ? pl->active[k] : pl->standby[k - pl->active_count];
        size_t idx = (inc->shard_base[v->index] + j) * sc->sites_count + other;
        if (other == site)
            continue;
        if (!osim_incident_destroyed(sc, inc, other,
                                     osim_incident_place_u(sc, pl, other, inc->rack_pos[idx])))
            return true;
    }
    return false;
}

/* Does anything happen to power at this site: the incident, or a decision? */
static bool site_touched(const osim_scenario *sc, const osim_incident *inc, size_t site)
{
    size_t i;

    if (incident_for(sc, site) != NULL && isfinite(inc->fire[site].power_cut_h))
        return true;
    for (i = 0; i < sc->decisions_count; i++)
        if (sc->decisions[i].site == site)
            return true;
    return false;
}

/*
 * Schedule one shard's dark and back events from its power history
 * (incident.c): after every return of power it needs its restart_h again,
 * and once its destroyed equipment is replaced, rebuild_h too. A stretch
 * that begins before the shard has restarted from the previous one joins
 * it (the shard never served in between), so every down has one up.
 */
static int schedule_shard(osim_replay *rp, shard_ev *ev, size_t j, const osim_power_history *h,
                          double restart_h, double rebuild_h, double *last_up)
{
    size_t k = 0;
    bool pending = false; /* a rebuild not yet done */

    *last_up = 0.0;
    while (k < h->count) {
        double dark = h->span[k].dark_h, up;
        pending |= h->destroyed && k == h->rebuild_span;
        up = h->span[k].back_h + restart_h;
        if (pending)
            up += rebuild_h;
        while (k + 1 < h->count && h->span[k + 1].dark_h <= up) {
            k++;
            pending |= h->destroyed && k == h->rebuild_span;
            up = h->span[k].back_h + restart_h;
            if (pending)
                up += rebuild_h;
        }
        /* Subject: the slot's events; object: the shard's index (systems back counts it). */
        if (osim_engine_schedule_at(rp->engine, dark, PRIO_POWER, ev_shard_down, ev,
                                    (void *)(uintptr_t)j, NULL) != 0 ||
            (isfinite(up) && osim_engine_schedule_at(rp->engine, up, PRIO_POWER, ev_shard_up, ev,
                                                     (void *)(uintptr_t)j, NULL) != 0))
            return OSIM_ENOMEM;
        *last_up = up;
        pending = false;
        k++;
    }
    return 0;
}

/*
 * Data on destroyed equipment of active slot sl (docs/model.md, "Data
 * loss" and "Copies"): of its destroyed shards, `orphaned` have no
 * surviving replica and lose everything, or, with a surviving backup, the
 * changes since it and must be restored from it (the last of them rebuilt
 * at restore_from); the others lose the replication lag (async).
 */
static void account_loss(svc_rt *v, const slot_rt *sl, unsigned destroyed, unsigned orphaned,
                         double restore_from)
{
    double per_shard = sl->share / (double)v->shards;
    double held = per_shard * (double)orphaned * v->s->data_gb;
    double gone = held;

    if (v->newest >= 0 && orphaned > 0) {
        gone = osim__copies_loss_gb(v->s, held, &v->bk[v->newest]);
        v->lost_backup_gb += gone;
        v->restore_gb += held;
        if (restore_from > v->restore_from_h)
            v->restore_from_h = restore_from;
    } else {
        v->lost_none_gb += gone;
    }
    v->data_orphaned_gb += gone;
    v->data_lost_gb += gone;
    if (v->pl->replication == OSIM_REPL_ASYNC) {
        double lag =
            per_shard * (double)(destroyed - orphaned) * v->lag_h * v->s->data_change_gb_per_h;
        v->data_lost_gb += lag;
        v->lost_replica_gb += lag;
    }
}

/* Schedule the dark and back events of every shard of v at sites the fire
 * or a decision touches, and account for data on destroyed equipment. */
static int schedule_power(osim_replay *rp, svc_rt *v, shard_ev *evs)
{
    const osim_scenario *sc = rp->sc;
    const osim_incident *inc = rp->inc;
    osim_power_history h;
    size_t i, j;
    int rc;

    for (i = 0; i < v->slots_count; i++) {
        slot_rt *sl = &v->slots[i];
        unsigned destroyed = 0, orphaned = 0;
        double last_up = 0.0, restore_from = 0.0;

        evs[i].rp = rp;
        evs[i].svc = v;
        evs[i].slot = sl;
        sl->work = NULL;
        if (!site_touched(sc, inc, sl->site))
            continue;
        if (rp->crews_on)
            sl->work = &rp->work[rp->work_n]; /* schedule_work fills one per system, in order */
        for (j = 0; j < v->shards; j++) {
            size_t idx = (inc->shard_base[v->index] + j) * sc->sites_count + sl->site;
            double u = osim_incident_place_u(sc, v->pl, sl->site, inc->rack_pos[idx]);
            osim_incident_power_history(sc, inc, sl->site, u, &h);
            bool lone = false;
            if (rp->crews_on)
                rc = osim__replay_schedule_work(rp, v, &evs[i], j, &h, inc->restart_h[idx],
                                                inc->rebuild_h[idx]);
            else
                rc = schedule_shard(rp, &evs[i], j, &h, inc->restart_h[idx], inc->rebuild_h[idx],
                                    &last_up);
            if (rc != 0)
                return rc;
            if (h.destroyed) {
                destroyed++;
                lone = !copy_survives(rp, v, j, sl->site);
                orphaned += lone;
            }
            /* Its data comes back from the backup once it is rebuilt (under
             * crews: once its work is done, counted down in ev_work_done). */
            if (lone && v->newest >= 0 && sl->active && rp->crews_on) {
                rp->work[rp->work_n - 1].lone = true;
                v->restore_wait++;
            } else if (lone && v->newest >= 0 && last_up > restore_from) {
                restore_from = last_up;
            }
        }
        if (destroyed > 0 && sl->active)
            account_loss(v, sl, destroyed, orphaned, restore_from);
    }
    return 0;
}

/* ------------------------------------------------------------------ run */

static void init_service(osim_replay *rp, size_t s, gsl_rng *r, slot_rt *slots)
{
    const osim_scenario *sc = rp->sc;
    svc_rt *v = &rp->svc[s];
    const osim_placement *pl = &rp->topo->placements[s];
    size_t i, n = 0;
    double eq = pl->active_count ? 1.0 / (double)pl->active_count : 0.0;

    memset(v, 0, sizeof(*v));
    v->index = s;
    v->s = &sc->services[s];
    v->pl = pl;
    v->shards = (unsigned)rp->inc->shards[s];
    v->slots = slots;
    for (i = 0; i < pl->active_count; i++, n++) {
        slots[n].site = pl->active[i];
        slots[n].active = true;
        slots[n].share = pl->load_share ? pl->load_share[i] : eq;
        slots[n].up = v->shards;
    }
    for (i = 0; i < pl->standby_count; i++, n++) {
        slots[n].site = pl->standby[i];
        slots[n].active = false;
        slots[n].share = 0.0;
        slots[n].up = v->shards;
    }
    v->slots_count = n;
    v->avail = v->said = 1.0;
    /* Every system starts back, every copy up. */
    v->sys_base = rp->inc->shard_base[s];
    v->sb_slot = standby_slot(v);
    v->back_act = v->back_sb = v->back = v->shards;
    for (i = 0; i < v->shards; i++) {
        rp->act_up[v->sys_base + i] = (unsigned)pl->active_count;
        rp->sb_up[v->sys_base + i] = 1;
        rp->moved[v->sys_base + i] = 0; /* a replay object serves runs of every topology */
    }
    /* Topology randomness, one stream per (topology, service): fixed draw order. */
    v->lag_h = osim_dist_sample(&pl->lag_h, r);
    v->detect_h = osim_dist_sample(&pl->detect_h, r);
    v->failover_h = osim_dist_sample(&pl->failover_h, r);
    v->rp = rp;
    /* Drawn last, and only for a migration: no other draw moves. */
    if (pl->migrate.to != NULL)
        osim__replay_init_migration(rp, v, osim_dist_sample(&pl->migrate.after_h, r));
    v->fo_job.owner = v;
    v->fo_job.priority = (unsigned)v->s->priority;
    v->fo_job.rank = rp->name_rank[s];
    v->fo_job.who = v->s->name;
    v->fo_job.start = fo_started;
    v->fo_job.waits = osim__replay_fo_waits;
    v->rs_job = v->fo_job;
    v->rs_job.kind = WORK_RESTORE;
    v->rs_job.index = 0;
    v->rs_job.start = osim__replay_restore_started;
    v->rs_job.waits = osim__replay_restore_waits;
    v->bk = rp->bk + rp->bk_off[s];
    v->newest = -1;
    v->restored_h = INFINITY;
}

/*
 * The first time from which at least share x of systems stay back: the end
 * of the last step below x (0 if none; the horizon if the last step is
 * below). Shares are ratios of whole counts, so the tolerance only absorbs
 * the rounding of x * total.
 */
static double systems_back_by(const osim_timeline *tl, double x, double H)
{
    double t = 0.0;
    size_t i;

    for (i = 0; i < tl->count; i++)
        if (tl->avail[i] < x - 1e-12)
            t = i + 1 < tl->count ? tl->t_h[i + 1] : H;
    return t < H ? t : H;
}

static void finish(osim_replay *rp)
{
    const osim_scenario *sc = rp->sc;
    double H = sc->horizon_h, worst = 0.0;
    size_t s, i;

    for (s = 0; s < sc->services_count; s++) {
        osim_service_outcome *o = &rp->res->services[s];
        const osim_timeline *tl = &o->tl;
        double down = 0.0, rec, half = 0.0;
        for (i = 0; i < tl->count; i++) {
            /* "Partly back": the start of the last stretch at >= 50% after a dip below. */
            if (tl->avail[i] < 0.5)
                half = i + 1 < tl->count ? tl->t_h[i + 1] : H;
            double t1 = i + 1 < tl->count ? tl->t_h[i + 1] : H;
            if (t1 > H)
                t1 = H;
            if (tl->t_h[i] < H)
                down += (1.0 - tl->avail[i]) * (t1 - tl->t_h[i]);
        }
        if (tl->avail[tl->count - 1] >= 1.0 - 1e-12)
            rec = tl->count > 1 ? tl->t_h[tl->count - 1] : 0.0;
        else
            rec = H; /* not recovered within the horizon: censored at it */
        if (rec > H)
            rec = H;
        o->downtime_h = down;
        o->recovered_h = rec;
        o->half_back_h = half < H ? half : H;
        o->data_lost_gb = rp->svc[s].data_lost_gb;
        o->data_lost_replica_gb = rp->svc[s].lost_replica_gb;
        o->data_lost_backup_gb = rp->svc[s].lost_backup_gb;
        o->data_lost_no_copy_gb = rp->svc[s].lost_none_gb;
        /* Serving is not restored: the data is whole once every restore ended. */
        o->data_restored_h = rec;
        if (rp->svc[s].restore_gb > 0.0 && !(rp->svc[s].restored_h <= rec))
            o->data_restored_h = rp->svc[s].restored_h < H ? rp->svc[s].restored_h : H;
        if (rec > worst)
            worst = rec;
    }
    rp->res->full_recovery_h = worst;
    rp->res->horizon_h = H;
    rp->res->systems_total = rp->systems_total;
    rp->res->systems_50_h = systems_back_by(&rp->res->systems, 0.5, H);
    rp->res->systems_90_h = systems_back_by(&rp->res->systems, 0.9, H);
    rp->res->systems_100_h = systems_back_by(&rp->res->systems, 1.0, H);
}

int osim_replay_run(osim_replay *rp, const osim_incident *inc, size_t topology, uint64_t seed,
                    uint64_t rep, osim_replay_result *res)
{
    const osim_scenario *sc = rp->sc;
    osim_rng_local lr;
    uint64_t h;
    size_t s;
    int rc;

    if (topology >= sc->topologies_count || inc->shards_total != rp->systems_total)
        return OSIM_EINVAL;
    rp->inc = inc;
    rp->topo = &sc->topologies[topology];
    rp->res = res;
    rp->staff_free = rp->topo->staff;
    rp->fo_seq_next = 0;
    rp->waitq_n = 0;
    memset(rp->wq_cand, 0, (2 * sc->services_count + 63) / 64 * sizeof(*rp->wq_cand));
    memset(rp->wq_staff, 0, (2 * sc->services_count + 63) / 64 * sizeof(*rp->wq_staff));
    rp->wq_any_cand = rp->staff_freed = false;
    rp->rneed_off_t = rp->rneed_off + topology * (sc->services_count + 1);
    rp->staff_min = INFINITY;
    rp->crews_on = osim__crews_declared(rp->topo) != 0;
    for (s = 0; s < sc->services_count && !rp->crews_on; s++)
        if (rp->topo->placements[s].failover == OSIM_FAILOVER_MANUAL &&
            rp->topo->placements[s].staff < rp->staff_min)
            rp->staff_min = rp->topo->placements[s].staff;
    /* The first update computes everything. */
    set_fill(&rp->dirty, rp->nwords, sc->services_count);
    set_fill(&rp->act_dirty, rp->nwords, sc->services_count);
    set_fill(&rp->changed, rp->nwords, 0);
    rp->narr_time = 0.0;
    rp->err = 0;
    osim_engine_reset(rp->engine);
    if (rp->crews_on && (rc = osim__replay_crews_start(rp)) != 0)
        return rc;
    h = osim_rng_name_hash(rp->topo->name);
    osim_rng_local_init(&lr, 0);
    for (s = 0; s < sc->services_count; s++) {
        osim_rng_seed(&lr.r, osim_rng_stream_seed_h(seed, rep, h, s));
        init_service(rp, s, &lr.r, &rp->slots[s * sc->sites_count]);
        res->services[s].tl.count = 0;
        res->services[s].data_lost_gb = 0.0;
        if ((rc = timeline_push(&res->services[s].tl, 0.0, 1.0)) != 0)
            return rc;
    }
    osim__replay_draw_backups(rp, &lr, seed, rep);
    rp->back_total = rp->systems_total;
    res->systems.count = 0;
    if ((rc = timeline_push(&res->systems, 0.0, 1.0)) != 0)
        return rc;
    for (s = 0; s < sc->services_count; s++)
        if ((rc = schedule_power(rp, &rp->svc[s], &rp->evs[s * sc->sites_count])) != 0)
            return rc;
    if ((rc = osim__replay_schedule_restores(rp)) != 0)
        return rc;
    if (rp->narrate != NULL)
        osim__replay_schedule_notes(rp);
    osim_engine_run(rp->engine, sc->horizon_h);
    if (rp->crews_on && rp->err == 0)
        rp->err = osim__crews_error(rp->crews);
    if (rp->narrate != NULL)
        osim__replay_flush_levels(rp);
    if (rp->err != 0)
        return rp->err;
    finish(rp);
    return 0;
}

/* ------------------------------------------------------------------ for the other files */

void osim__replay_update(osim_replay *rp)
{
    update(rp);
}

void osim__replay_systems_changed(osim_replay *rp, svc_rt *v)
{
    systems_changed(rp, v);
}

void osim__replay_ev_shard_down(osim_engine *e, void *subject, void *object)
{
    ev_shard_down(e, subject, object);
}

void osim__replay_ev_shard_up(osim_engine *e, void *subject, void *object)
{
    ev_shard_up(e, subject, object);
}
