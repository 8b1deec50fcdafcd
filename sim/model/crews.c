/*
 * crews.c -- recovery work that takes a crew: pools of osim_resource and
 * the explicit order of requests (crews.h).
 *
 * Invariant: the order in which requests reach a pool's resource is a
 * function of the model's order keys and of simulated time alone. Requests
 * asked at one instant wait in a buffer until a flush event of that instant
 * (engine priority OSIM__PRIO_CREWS, after every power and failover event of
 * the instant), which sorts them by (priority, name rank, kind, index) and
 * requests them in that order. The resource then orders by its priority
 * (the service's, negated: larger first) and its request sequence, so the
 * insertion order of events, and with it the order of `services:` in the
 * file, never decides who gets a crew.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/crews.h"

enum { JOB_IDLE = 0, JOB_ASKED, JOB_REQUESTED, JOB_HELD };

typedef struct pool {
    osim_resource *res;
    osim__crew_job *holders; /* a list through the jobs' prev/next */
} pool;

struct osim__crews {
    osim_engine *engine;
    const osim_scenario *sc;
    pool *pools;     /* sites_count + 1: one per site, then the shared one */
    long *site_pool; /* sites_count: the pool of each site, -1 = not limited */
    osim__crew_job **buf;
    size_t buf_n, buf_cap;
    int flush_due;
    int err;
    /* Shifts of the current topology: whether each is on now. */
    const osim_topology *topo;
    unsigned char *shift_on;
    size_t shift_cap;
};

int osim__crews_declared(const osim_topology *t)
{
    return t->crews >= 1.0 || t->site_crews_count > 0;
}

int osim__crews_new(osim__crews **out, osim_engine *e, const osim_scenario *sc)
{
    osim__crews *c = calloc(1, sizeof(*c));
    size_t i, n = sc->sites_count + 1;

    if (c == NULL)
        return OSIM_ENOMEM;
    c->engine = e;
    c->sc = sc;
    c->pools = calloc(n, sizeof(*c->pools));
    c->site_pool = calloc(sc->sites_count ? sc->sites_count : 1, sizeof(*c->site_pool));
    if (c->pools == NULL || c->site_pool == NULL)
        goto fail;
    for (i = 0; i < n; i++)
        if (osim_resource_new(&c->pools[i].res, e, 1, OSIM__PRIO_CREWS, NULL, NULL) != 0)
            goto fail;
    *out = c;
    return 0;
fail:
    osim__crews_free(c);
    return OSIM_ENOMEM;
}

void osim__crews_free(osim__crews *c)
{
    size_t i;

    if (c == NULL)
        return;
    if (c->pools != NULL)
        for (i = 0; i <= c->sc->sites_count; i++)
            osim_resource_free(c->pools[i].res);
    free(c->pools);
    free(c->site_pool);
    free(c->buf);
    free(c->shift_on);
    free(c);
}

static unsigned units(double crews)
{
    return crews >= (double)UINT_MAX ? UINT_MAX : (unsigned)crews;
}

/* ------------------------------------------------------------------ shifts */

/*
 * A shift changes its pool's size twice a day: at `from` (local time) to
 * its crews, at `to` back to the pool's own size. Each shift has one event
 * pending, which sets the size and schedules the next change; a lowered
 * size takes no crew from the work it holds (osim_resource_set_capacity).
 */
static size_t shift_pool(const osim__crews *c, const osim_shift *sh)
{
    return sh->site >= 0 ? (size_t)sh->site : c->sc->sites_count;
}

/* The pool's own size, outside the shift. */
static unsigned shift_base(const osim_topology *t, const osim_shift *sh)
{
    size_t i;

    if (sh->site < 0)
        return units(t->crews);
    for (i = 0; i < t->site_crews_count; i++)
        if (t->site_crews[i].site == (size_t)sh->site)
            return units(t->site_crews[i].crews);
    return 1;
}

static void ev_shift(osim_engine *e, void *subject, void *object);

static void schedule_shift(osim__crews *c, size_t k, double in_h)
{
    double at = osim_engine_now(c->engine) + in_h;

    if (at <= c->sc->horizon_h && osim_engine_schedule_at(c->engine, at, OSIM__PRIO_CREWS, ev_shift,
                                                          c, (void *)(uintptr_t)k, NULL) != 0)
        c->err = OSIM_ENOMEM;
}

static void ev_shift(osim_engine *e, void *subject, void *object)
{
    osim__crews *c = subject;
    size_t k = (size_t)(uintptr_t)object;
    const osim_shift *sh = &c->topo->shifts[k];
    unsigned size;

    (void)e;
    c->shift_on[k] = !c->shift_on[k];
    size = c->shift_on[k] ? units(sh->crews) : shift_base(c->topo, sh);
    if (osim_resource_set_capacity(c->pools[shift_pool(c, sh)].res, size) != 0)
        c->err = OSIM_ENOMEM;
    schedule_shift(c, k, c->shift_on[k] ? osim_shift_length(sh) : 24.0 - osim_shift_length(sh));
}

/* At time 0: each pool at its size of the hour of ignition, and each
 * shift's first change scheduled. */
static int start_shifts(osim__crews *c, const osim_topology *t)
{
    double tod = fmod(c->sc->start_hour, 24.0);
    size_t k;

    c->topo = t;
    if (t->shifts_count > c->shift_cap) {
        unsigned char *on = realloc(c->shift_on, t->shifts_count);
        if (on == NULL)
            return OSIM_ENOMEM;
        c->shift_on = on;
        c->shift_cap = t->shifts_count;
    }
    for (k = 0; k < t->shifts_count; k++) {
        const osim_shift *sh = &t->shifts[k];
        c->shift_on[k] = osim_shift_covers(sh, tod);
        if (c->shift_on[k])
            osim_resource_reset(c->pools[shift_pool(c, sh)].res, units(sh->crews));
        schedule_shift(c, k, fmod((c->shift_on[k] ? sh->to_h : sh->from_h) - tod + 24.0, 24.0));
    }
    return c->err;
}

/* ------------------------------------------------------------------ pools */

int osim__crews_reset(osim__crews *c, const osim_topology *t)
{
    size_t i, shared = c->sc->sites_count;

    c->buf_n = 0;
    c->flush_due = 0;
    c->err = 0;
    for (i = 0; i <= shared; i++) {
        osim_resource_reset(c->pools[i].res, 1);
        c->pools[i].holders = NULL;
    }
    for (i = 0; i < shared; i++)
        c->site_pool[i] = t->crews >= 1.0 ? (long)shared : -1;
    if (t->crews >= 1.0)
        osim_resource_reset(c->pools[shared].res, units(t->crews));
    for (i = 0; i < t->site_crews_count; i++) {
        size_t s = t->site_crews[i].site;
        c->site_pool[s] = (long)s;
        osim_resource_reset(c->pools[s].res, units(t->site_crews[i].crews));
    }
    return start_shifts(c, t);
}

/* The order of one instant's requests: keys 1, 3, 4, 5 of crews.h. */
static int job_cmp(const void *pa, const void *pb)
{
    const osim__crew_job *a = *(osim__crew_job *const *)pa, *b = *(osim__crew_job *const *)pb;

    if (a->priority != b->priority)
        return a->priority > b->priority ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->index != b->index)
        return a->index < b->index ? -1 : 1;
    return 0;
}

/* job is granted: list it among the pool's holders (once). */
static void list_holder(osim__crews *c, osim__crew_job *job)
{
    pool *p = &c->pools[c->site_pool[job->site]];

    if (job->in_list)
        return;
    job->in_list = 1;
    job->prev = NULL;
    job->next = p->holders;
    if (p->holders != NULL)
        p->holders->prev = job;
    p->holders = job;
}

static void unlist_holder(osim__crews *c, osim__crew_job *job)
{
    pool *p = &c->pools[c->site_pool[job->site]];

    if (!job->in_list)
        return;
    if (job->prev != NULL)
        job->prev->next = job->next;
    else
        p->holders = job->next;
    if (job->next != NULL)
        job->next->prev = job->prev;
    job->prev = job->next = NULL;
    job->in_list = 0;
}

static void ev_grant(osim_engine *e, void *subject, void *object)
{
    osim__crews *c = subject;
    osim__crew_job *job = object;

    (void)e;
    job->state = JOB_HELD;
    list_holder(c, job);
    job->start(job);
}

/* Resource priorities are lower-first ints; service priorities larger-first. */
static int res_priority(unsigned priority)
{
    return priority >= (unsigned)INT_MAX ? -INT_MAX : -(int)priority;
}

static void ev_flush(osim_engine *e, void *subject, void *object)
{
    osim__crews *c = subject;
    size_t i;

    (void)e;
    (void)object;
    c->flush_due = 0;
    qsort(c->buf, c->buf_n, sizeof(*c->buf), job_cmp);
    for (i = 0; i < c->buf_n; i++) {
        osim__crew_job *job = c->buf[i];
        osim_resource *r;
        unsigned used;
        job->in_buf = 0;
        if (job->state != JOB_ASKED)
            continue; /* dropped before its turn */
        r = c->pools[c->site_pool[job->site]].res;
        used = osim_resource_in_use(r);
        if (osim_resource_request(r, 1, res_priority(job->priority), ev_grant, c, job, &job->req) !=
            0) {
            c->err = OSIM_ENOMEM;
            continue;
        }
        job->state = JOB_REQUESTED;
        /* Units are taken when a grant is decided: none taken, it waits;
         * taken, it holds a crew from now on (its start follows as an event). */
        if (osim_resource_in_use(r) != used)
            list_holder(c, job);
        else if (job->waits != NULL)
            job->waits(job);
    }
    c->buf_n = 0;
}

int osim__crews_ask(osim__crews *c, osim__crew_job *job)
{
    if (job->state != JOB_IDLE)
        return OSIM_EINVAL;
    if (c->site_pool[job->site] < 0) {
        /* Not limited: the work starts now, as without crews. */
        job->state = JOB_HELD;
        job->start(job);
        return 0;
    }
    job->state = JOB_ASKED;
    if (job->in_buf)
        return 0; /* dropped and asked again within one instant: still in the buffer */
    if (c->buf_n == c->buf_cap) {
        size_t cap = c->buf_cap ? 2 * c->buf_cap : 64;
        osim__crew_job **b = realloc(c->buf, cap * sizeof(*b));
        if (b == NULL)
            return OSIM_ENOMEM;
        c->buf = b;
        c->buf_cap = cap;
    }
    c->buf[c->buf_n++] = job;
    job->in_buf = 1;
    if (!c->flush_due) {
        if (osim_engine_schedule_in(c->engine, 0.0, OSIM__PRIO_CREWS, ev_flush, c, NULL, NULL) != 0)
            return OSIM_ENOMEM;
        c->flush_due = 1;
    }
    return 0;
}

int osim__crews_drop(osim__crews *c, osim__crew_job *job)
{
    int rc = 0;

    switch (job->state) {
    case JOB_ASKED: /* still in the buffer: the flush skips it */ break;
    case JOB_REQUESTED:
        unlist_holder(c, job);
        rc = osim_resource_cancel(c->pools[c->site_pool[job->site]].res, job->req);
        rc = rc < 0 ? rc : 0;
        break;
    case JOB_HELD:
        if (c->site_pool[job->site] >= 0) {
            unlist_holder(c, job);
            rc = osim_resource_release(c->pools[c->site_pool[job->site]].res, job->req);
        }
        break;
    default: return 0;
    }
    job->state = JOB_IDLE;
    job->req = 0;
    return rc;
}

int osim__crews_error(const osim__crews *c)
{
    return c->err;
}

int osim__crews_holds(const osim__crew_job *job)
{
    return job->state == JOB_HELD;
}

const char *osim__crews_holders(const osim__crews *c, const osim__crew_job *job, char *buf,
                                size_t n)
{
    const char *names[3];
    size_t shown = 0, more = 0, i, len = 0;
    const osim__crew_job *h;

    buf[0] = '\0';
    if (c->site_pool[job->site] < 0)
        return buf;
    for (h = c->pools[c->site_pool[job->site]].holders; h != NULL; h = h->next) {
        for (i = 0; i < shown; i++)
            if (strcmp(names[i], h->who) == 0)
                break;
        if (i < shown)
            continue;
        if (shown < 3)
            names[shown++] = h->who;
        else
            more++;
    }
    for (i = 0; i < shown && len < n; i++) {
        int w = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", names[i]);
        len += w > 0 ? (size_t)w : 0;
    }
    if (more > 0 && len < n)
        snprintf(buf + len, n - len, " and %zu more", more);
    return buf;
}
