/*
 * test_resource.c -- a resource grants its units in strict (priority,
 * request order), through the engine at the current time, and keeps its
 * promises on cancel, release, capacity changes and memory.
 *
 * The central check plays thousands of random requests, holds, cancels and
 * capacity changes (on whole-hour times, so that many coincide) through the
 * resource and, in lockstep, through a reference written here that finds
 * the next grant by a plain scan of every request; each delivered grant
 * must be the one the reference predicted, at the time it predicted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/engine.h"
#include "outagesim/error.h"
#include "outagesim/resource.h"

#define GRANT_PRIO 5

static osim_engine *new_engine(void)
{
    osim_engine *e = NULL;

    assert_int_equal(osim_engine_new(&e, NULL, NULL), 0);
    return e;
}

static osim_resource *new_resource(osim_engine *e, unsigned capacity)
{
    osim_resource *r = NULL;

    assert_int_equal(osim_resource_new(&r, e, capacity, GRANT_PRIO, NULL, NULL), 0);
    assert_non_null(r);
    return r;
}

/* ------------------------------------------------------------ tasks: hold for a fixed time */

typedef struct task {
    osim_resource *r;
    const char *name;
    unsigned amount;
    int priority;
    double arrive_h, dur_h;
    double grant_h, finish_h; /* NAN until it happens */
    osim_request_id id;
    int order; /* rank among grants, from 1 */
    int *next_order;
} task;

static void ev_finish(osim_engine *e, void *subject, void *object)
{
    task *t = object;

    (void)subject;
    t->finish_h = osim_engine_now(e);
    assert_int_equal(osim_resource_release(t->r, t->id), 0);
}

static void ev_granted(osim_engine *e, void *subject, void *object)
{
    task *t = object;

    (void)subject;
    assert_true(isnan(t->grant_h));
    t->grant_h = osim_engine_now(e);
    t->order = (*t->next_order)++;
    assert_int_equal(osim_engine_schedule_in(e, t->dur_h, 0, ev_finish, NULL, t, NULL), 0);
}

static void ev_arrive(osim_engine *e, void *subject, void *object)
{
    task *t = object;

    (void)e;
    (void)subject;
    assert_int_equal(
        osim_resource_request(t->r, t->amount, t->priority, ev_granted, NULL, t, &t->id), 0);
    assert_true(t->id != 0);
}

static void task_init(task *t, osim_resource *r, int *next_order, unsigned amount, int priority,
                      double arrive_h, double dur_h)
{
    memset(t, 0, sizeof(*t));
    t->r = r;
    t->amount = amount;
    t->priority = priority;
    t->arrive_h = arrive_h;
    t->dur_h = dur_h;
    t->grant_h = t->finish_h = NAN;
    t->next_order = next_order;
}

static void schedule_arrivals(osim_engine *e, task *t, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        assert_int_equal(osim_engine_schedule_at(e, t[i].arrive_h, 0, ev_arrive, NULL, &t[i], NULL),
                         0);
}

/*
 * One crew, three tasks, computed by hand:
 *   A  priority 2, arrives 0, takes 3 h: the crew is free, so A starts at 0, ends at 3.
 *   B  priority 1, arrives 1, takes 2 h: waits for A.
 *   C  priority 0, arrives 2, takes 1 h: waits for A, and goes before B (lower number).
 * At 3: C starts, ends at 4; at 4: B starts, ends at 6. The crew is idle after 6.
 */
static void test_one_crew_three_tasks_by_hand(void **state)
{
    osim_engine *e = new_engine();
    osim_resource *r = new_resource(e, 1);
    task t[3];
    int next = 1;

    (void)state;
    task_init(&t[0], r, &next, 1, 2, 0.0, 3.0);
    task_init(&t[1], r, &next, 1, 1, 1.0, 2.0);
    task_init(&t[2], r, &next, 1, 0, 2.0, 1.0);
    schedule_arrivals(e, t, 3);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_true(t[0].grant_h == 0.0 && t[0].finish_h == 3.0);
    assert_true(t[2].grant_h == 3.0 && t[2].finish_h == 4.0);
    assert_true(t[1].grant_h == 4.0 && t[1].finish_h == 6.0);
    assert_int_equal(t[0].order, 1);
    assert_int_equal(t[2].order, 2);
    assert_int_equal(t[1].order, 3);
    assert_true(osim_engine_now(e) == 6.0);
    assert_int_equal(osim_resource_in_use(r), 0);
    assert_int_equal(osim_resource_waiting(r), 0);
    osim_resource_free(r);
    osim_engine_free(e);
}

/* A grant is an engine event: a request that fits at once is not delivered
 * inside the call, and is delivered at the current time. */
static void test_grant_is_an_event_at_now(void **state)
{
    osim_engine *e = new_engine();
    osim_resource *r = new_resource(e, 2);
    task t;
    int next = 1;

    (void)state;
    task_init(&t, r, &next, 2, 0, 0.0, 1.5);
    assert_int_equal(osim_resource_request(r, 2, 0, ev_granted, NULL, &t, &t.id), 0);
    assert_true(isnan(t.grant_h));
    assert_int_equal(osim_resource_in_use(r), 2); /* taken at the decision */
    assert_int_equal(osim_engine_pending(e), 1);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_true(t.grant_h == 0.0 && t.finish_h == 1.5);
    assert_int_equal(osim_resource_in_use(r), 0);
    osim_resource_free(r);
    osim_engine_free(e);
}

/* Equal priorities are served in request order. The requests are made from
 * the highest address down, so an order by address would show. */
static void test_fifo_within_priority(void **state)
{
    osim_engine *e = new_engine();
    osim_resource *r = new_resource(e, 1);
    task t[6];
    int next = 1, i;

    (void)state;
    for (i = 0; i < 6; i++)
        task_init(&t[i], r, &next, 1, 7, 0.0, 1.0);
    for (i = 5; i >= 0; i--)
        assert_int_equal(osim_resource_request(r, 1, 7, ev_granted, NULL, &t[i], &t[i].id), 0);
    assert_int_equal(osim_resource_waiting(r), 5);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    for (i = 5; i >= 0; i--) {
        assert_int_equal(t[i].order, 6 - i);
        assert_true(t[i].grant_h == (double)(5 - i));
    }
    osim_resource_free(r);
    osim_engine_free(e);
}

/* Lower priority numbers first, whatever the request order; negative ones too. */
static void test_priority_order(void **state)
{
    static const int prio[6] = {3, 1, -2, 2, 0, 1};
    static const int rank[6] = {1, 4, 2, 6, 3, 5}; /* the first holds the crew, then by priority */
    osim_engine *e = new_engine();
    osim_resource *r = new_resource(e, 1);
    task t[6];
    int next = 1, i;

    (void)state;
    for (i = 0; i < 6; i++) {
        task_init(&t[i], r, &next, 1, prio[i], 0.0, 2.0);
        assert_int_equal(osim_resource_request(r, 1, prio[i], ev_granted, NULL, &t[i], &t[i].id),
                         0);
    }
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    for (i = 0; i < 6; i++) {
        assert_int_equal(t[i].order, rank[i]);
        assert_true(t[i].grant_h == 2.0 * (rank[i] - 1));
    }
    osim_resource_free(r);
    osim_engine_free(e);
}

/*
 * Several units: one release can grant several requests at once, and the
 * order is strict: a head that does not fit blocks smaller requests behind it.
 */
static void test_release_of_several_units_and_strict_order(void **state)
{
    osim_engine *e = new_engine();
    osim_resource *r = new_resource(e, 4);
    task t[5];
    int next = 1;

    (void)state;
    task_init(&t[0], r, &next, 3, 0, 0.0, 2.0); /* A: 3 of 4, 0..2 */
    task_init(&t[1], r, &next, 2, 0, 0.0, 1.0); /* B: needs 2, 1 free: waits, and blocks */
    task_init(&t[2], r, &next, 1, 0, 0.0, 5.0); /* C: 1 would fit, but B is ahead: waits */
    task_init(&t[3], r, &next, 1, 1, 0.0, 1.0); /* D: behind C by priority */
    task_init(&t[4], r, &next, 2, 1, 0.0, 1.0); /* E: needs 2 */
    schedule_arrivals(e, t, 5);
    assert_int_equal(osim_engine_run(e, 0.0), 0);
    assert_int_equal(osim_resource_in_use(r), 3);
    assert_int_equal(osim_resource_waiting(r), 4);
    assert_true(isnan(t[2].grant_h));
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    /* At 2 A gives back 3 (4 free): B (2), C (1), D (1) start together; E
     * waits. At 3 B and D end (2 free): E starts, ends at 4. C ends at 7. */
    assert_true(t[0].grant_h == 0.0);
    assert_true(t[1].grant_h == 2.0 && t[2].grant_h == 2.0 && t[3].grant_h == 2.0);
    assert_int_equal(t[1].order, 2);
    assert_int_equal(t[2].order, 3);
    assert_int_equal(t[3].order, 4);
    assert_true(t[4].grant_h == 3.0 && t[4].finish_h == 4.0);
    assert_true(t[2].finish_h == 7.0);
    osim_resource_free(r);
    osim_engine_free(e);
}

static void never_called(osim_engine *e, void *subject, void *object)
{
    (void)e;
    (void)subject;
    (void)object;
    fail_msg("the handler of a cancelled request was called");
}

static void test_cancel(void **state)
{
    osim_engine *e = new_engine();
    osim_resource *r = new_resource(e, 2);
    osim_request_id hold, big, small, late, granted;
    task t;
    int next = 1;

    (void)state;
    task_init(&t, r, &next, 1, 0, 0.0, 1.0);
    assert_int_equal(osim_resource_request(r, 1, 0, ev_granted, NULL, &t, &hold), 0);
    t.id = hold;
    assert_int_equal(osim_engine_run(e, 0.5), 0); /* t holds 1 until 1.0 */
    assert_int_equal(osim_resource_request(r, 2, 0, never_called, NULL, NULL, &big), 0);
    assert_int_equal(osim_resource_request(r, 1, 0, never_called, NULL, NULL, &small), 0);
    assert_int_equal(osim_resource_waiting(r), 2); /* small fits but big blocks it */
    /* Cancelling the blocking head lets the one behind through at once. */
    assert_int_equal(osim_resource_cancel(r, big), 1);
    assert_int_equal(osim_resource_cancel(r, big), 0);
    assert_int_equal(osim_resource_waiting(r), 0);
    assert_int_equal(osim_resource_in_use(r), 2);
    /* small is granted but not delivered: cancelling gives its unit back. */
    assert_int_equal(osim_resource_cancel(r, small), 1);
    assert_int_equal(osim_resource_in_use(r), 1);
    assert_int_equal(osim_resource_release(r, small), OSIM_EINVAL);
    /* A waiting request cancelled in the middle of the queue. */
    assert_int_equal(osim_resource_request(r, 2, 3, never_called, NULL, NULL, &late), 0);
    assert_int_equal(osim_resource_cancel(r, late), 1);
    /* Held (its handler ran): cancel refuses, release works once. */
    assert_int_equal(osim_resource_cancel(r, hold), 0);
    assert_int_equal(osim_resource_cancel(r, 0), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_true(t.finish_h == 1.0);
    assert_int_equal(osim_resource_release(r, hold), OSIM_EINVAL);
    assert_int_equal(osim_resource_in_use(r), 0);
    /* A stale handle does not name the slot's next request. */
    assert_int_equal(osim_resource_request(r, 1, 0, ev_granted, NULL, &t, &granted), 0);
    assert_true(granted != small && granted != big && granted != late && granted != hold);
    assert_int_equal(osim_resource_cancel(r, small), 0);
    assert_int_equal(osim_resource_cancel(r, late), 0);
    assert_int_equal(osim_resource_cancel(r, granted), 1);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    osim_resource_free(r);
    osim_engine_free(e);
}

static void test_invalid_requests(void **state)
{
    osim_engine *e = new_engine();
    osim_resource *r = new_resource(e, 2);
    osim_request_id id = 42;

    (void)state;
    assert_int_equal(osim_resource_request(r, 0, 0, never_called, NULL, NULL, &id), OSIM_EINVAL);
    assert_int_equal(osim_resource_request(r, 3, 0, never_called, NULL, NULL, &id), OSIM_EINVAL);
    assert_int_equal(osim_resource_request(r, 1, 0, NULL, NULL, NULL, &id), OSIM_EINVAL);
    assert_true(id == 42);
    assert_int_equal(osim_resource_waiting(r), 0);
    assert_int_equal(osim_resource_in_use(r), 0);
    assert_int_equal(osim_engine_pending(e), 0);
    osim_resource_free(r);
    osim_engine_free(e);
}

/* Shifts: lowering the capacity takes nothing back; raising it grants. */
static void test_capacity_changes(void **state)
{
    osim_engine *e = new_engine();
    osim_resource *r = new_resource(e, 3);
    task t[3];
    int next = 1;

    (void)state;
    task_init(&t[0], r, &next, 3, 0, 0.0, 2.0);
    task_init(&t[1], r, &next, 1, 0, 0.0, 1.0);
    task_init(&t[2], r, &next, 3, 0, 0.0, 1.0);
    schedule_arrivals(e, t, 2);
    assert_int_equal(osim_engine_run(e, 1.0), 0);
    assert_int_equal(osim_resource_set_capacity(r, 1), 0);
    assert_int_equal(osim_resource_in_use(r), 3); /* above capacity, held */
    assert_int_equal(osim_engine_run(e, 5.0), 0);
    /* A ended at 2, B started then (1 of 1) and ended at 3. */
    assert_true(t[1].grant_h == 2.0 && t[1].finish_h == 3.0);
    /* A request above the capacity is refused; after a raise it is served. */
    assert_int_equal(osim_resource_request(r, 3, 0, ev_granted, NULL, &t[2], &t[2].id),
                     OSIM_EINVAL);
    assert_int_equal(osim_resource_set_capacity(r, 3), 0);
    assert_int_equal(osim_resource_request(r, 3, 0, ev_granted, NULL, &t[2], &t[2].id), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_true(t[2].grant_h == 5.0 && t[2].finish_h == 6.0);
    osim_resource_free(r);
    osim_engine_free(e);
}

/* ------------------------------------------------------------ memory */

typedef struct count_alloc {
    size_t calls;
} count_alloc;

static void *counting_realloc(void *ud, void *ptr, size_t size)
{
    count_alloc *c = ud;

    c->calls++;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, size);
}

static void hold_release_cycle(osim_engine *e, osim_resource *r, task *t, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        assert_int_equal(
            osim_resource_request(r, 1, (int)(i % 3), ev_granted, NULL, &t[i], &t[i].id), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
}

/* After the pool has grown once, requests and resets allocate nothing. */
static void test_no_allocation_in_steady_state(void **state)
{
    osim_engine *e = new_engine();
    osim_resource *r = NULL;
    count_alloc c = {0};
    task t[100];
    int next = 1;
    size_t i, warm;

    (void)state;
    assert_int_equal(osim_resource_new(&r, e, 2, GRANT_PRIO, counting_realloc, &c), 0);
    for (i = 0; i < 100; i++)
        task_init(&t[i], r, &next, 1, 0, 0.0, 1.0);
    hold_release_cycle(e, r, t, 100);
    warm = c.calls;
    assert_true(warm > 1);
    for (i = 0; i < 5; i++) {
        size_t j;
        osim_engine_reset(e);
        osim_resource_reset(r, 2);
        for (j = 0; j < 100; j++)
            task_init(&t[j], r, &next, 1, 0, 0.0, 1.0);
        hold_release_cycle(e, r, t, 100);
    }
    assert_int_equal(c.calls, warm);
    osim_resource_free(r);
    assert_int_equal(c.calls, warm + 3); /* heap, pool, the resource */
    osim_engine_free(e);
}

/* ------------------------------------------------------------ raising a priority */

#define MONO_TASKS 12

/* Play tasks (amount, priority, arrival, duration) on a resource of cap units; fills grant_h. */
static void play_tasks(task *t, size_t n, unsigned cap)
{
    osim_engine *e = new_engine();
    osim_resource *r = new_resource(e, cap);
    int next = 1;
    size_t i;

    for (i = 0; i < n; i++) {
        t[i].r = r;
        t[i].next_order = &next;
        t[i].grant_h = t[i].finish_h = NAN;
    }
    schedule_arrivals(e, t, n);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    osim_resource_free(r);
    osim_engine_free(e);
}

/*
 * Raising one request's priority never delays its grant (strict order: it
 * only leaves requests behind it, which then cannot overtake it). Checked
 * on random workloads of several-unit requests with many ties of time.
 * (Adding capacity has no such guarantee: as in any non-preemptive
 * priority schedule it can delay a request, see docs/model.md, "Crews".)
 */
static void test_raising_priority_never_delays(void **state)
{
    uint64_t s = 16;
    task a[MONO_TASKS], b[MONO_TASKS];
    size_t trial, i, moved = 0;

    (void)state;
    for (trial = 0; trial < 5000; trial++) {
        unsigned cap = 2 + (unsigned)(s = s * 6364136223846793005u + 1442695040888963407u) % 3;
        size_t x;
        for (i = 0; i < MONO_TASKS; i++) {
            memset(&a[i], 0, sizeof(a[i]));
            s = s * 6364136223846793005u + 1442695040888963407u;
            a[i].amount = 1 + (unsigned)((s >> 33) % cap);
            a[i].priority = (int)((s >> 40) % 3);
            a[i].arrive_h = (double)((s >> 45) % 6);
            a[i].dur_h = (double)(1 + (s >> 52) % 5);
        }
        memcpy(b, a, sizeof(a));
        s = s * 6364136223846793005u + 1442695040888963407u;
        x = (size_t)((s >> 33) % MONO_TASKS);
        b[x].priority -= 1 + (int)((s >> 50) % 2);
        play_tasks(a, MONO_TASKS, cap);
        play_tasks(b, MONO_TASKS, cap);
        assert_false(isnan(a[x].grant_h) || isnan(b[x].grant_h));
        assert_true(b[x].grant_h <= a[x].grant_h);
        moved += b[x].grant_h < a[x].grant_h;
    }
    /* The workloads are not trivial: raising the priority often helps. */
    assert_true(moved > 500);
}

/* ------------------------------------------------------------ random vs reference */

#define RN 3000
#define RCAP_MAX 6

enum rstate { R_NEW, R_WAIT, R_GRANTED, R_HELD, R_DONE, R_CANCELLED };

typedef struct rreq {
    unsigned amount;
    int priority;
    uint64_t seq;        /* the reference's own request order */
    double arrive_h;     /* whole hours, so that many coincide */
    double hold_h;       /* whole hours, 0 included */
    double cancel_h;     /* NAN: never cancelled */
    enum rstate state;   /* the reference's view */
    uint64_t grant_rank; /* order in which the reference granted it */
    osim_request_id id;
} rreq;

typedef struct rworld {
    osim_engine *e;
    osim_resource *r;
    rreq q[RN];
    unsigned cap, in_use;
    uint64_t seq_next, granted_next, delivered_next;
    size_t grants, cancels_ok;
} rworld;

/* The reference: grant the least (priority, seq) waiting request while it fits. */
static void ref_grant(rworld *w)
{
    for (;;) {
        rreq *best = NULL;
        size_t i;
        for (i = 0; i < RN; i++) {
            rreq *x = &w->q[i];
            if (x->state != R_WAIT)
                continue;
            if (best == NULL || x->priority < best->priority ||
                (x->priority == best->priority && x->seq < best->seq))
                best = x;
        }
        if (best == NULL || w->in_use >= w->cap || best->amount > w->cap - w->in_use)
            return;
        best->state = R_GRANTED;
        best->grant_rank = w->granted_next++;
        w->in_use += best->amount;
    }
}

static size_t ref_waiting(const rworld *w)
{
    size_t i, n = 0;

    for (i = 0; i < RN; i++)
        n += w->q[i].state == R_WAIT;
    return n;
}

static void ref_check(const rworld *w)
{
    assert_int_equal(osim_resource_in_use(w->r), w->in_use);
    assert_int_equal(osim_resource_waiting(w->r), ref_waiting(w));
    assert_int_equal(osim_resource_capacity(w->r), w->cap);
}

static void rv_release(osim_engine *e, void *subject, void *object)
{
    rworld *w = subject;
    rreq *x = object;

    (void)e;
    assert_int_equal(x->state, R_HELD);
    assert_int_equal(osim_resource_release(w->r, x->id), 0);
    x->state = R_DONE;
    w->in_use -= x->amount;
    ref_grant(w);
    ref_check(w);
}

static void rv_granted(osim_engine *e, void *subject, void *object)
{
    rworld *w = subject;
    rreq *x = object;

    /* Delivered in the order the reference granted, skipping cancelled ones. */
    assert_int_equal(x->state, R_GRANTED);
    while (w->delivered_next < x->grant_rank) {
        size_t i;
        for (i = 0; i < RN; i++)
            if (w->q[i].grant_rank == w->delivered_next && w->q[i].state != R_NEW &&
                w->q[i].state != R_WAIT)
                assert_int_equal(w->q[i].state, R_CANCELLED);
        w->delivered_next++;
    }
    assert_true(w->delivered_next == x->grant_rank);
    w->delivered_next++;
    x->state = R_HELD;
    w->grants++;
    assert_int_equal(osim_engine_schedule_in(e, x->hold_h, 1, rv_release, w, x, NULL), 0);
}

static void rv_arrive(osim_engine *e, void *subject, void *object)
{
    rworld *w = subject;
    rreq *x = object;

    (void)e;
    if (x->amount > w->cap) {
        assert_int_equal(
            osim_resource_request(w->r, x->amount, x->priority, rv_granted, w, x, &x->id),
            OSIM_EINVAL);
        x->state = R_CANCELLED;
        return;
    }
    assert_int_equal(osim_resource_request(w->r, x->amount, x->priority, rv_granted, w, x, &x->id),
                     0);
    x->state = R_WAIT;
    x->seq = w->seq_next++;
    ref_grant(w);
    ref_check(w);
}

static void rv_cancel(osim_engine *e, void *subject, void *object)
{
    rworld *w = subject;
    rreq *x = object;
    int want = x->state == R_WAIT || x->state == R_GRANTED;

    (void)e;
    if (x->state == R_NEW)
        return; /* not requested yet: nothing to cancel */
    assert_int_equal(osim_resource_cancel(w->r, x->id), want);
    if (want) {
        if (x->state == R_GRANTED)
            w->in_use -= x->amount;
        x->state = R_CANCELLED;
        w->cancels_ok++;
        ref_grant(w);
    }
    ref_check(w);
}

static void rv_shift(osim_engine *e, void *subject, void *object)
{
    rworld *w = subject;

    (void)e;
    w->cap = (unsigned)(uintptr_t)object;
    assert_int_equal(osim_resource_set_capacity(w->r, w->cap), 0);
    ref_grant(w);
    ref_check(w);
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void test_random_against_reference(void **state)
{
    rworld *w = calloc(1, sizeof(*w));
    uint64_t s = 20221015;
    size_t i, round;

    (void)state;
    assert_non_null(w);
    w->e = new_engine();
    w->r = new_resource(w->e, 3);
    for (round = 0; round < 2; round++) {
        /* The second round reuses the memory after a reset. */
        osim_engine_reset(w->e);
        osim_resource_reset(w->r, 3);
        w->cap = 3;
        w->in_use = 0;
        w->seq_next = w->granted_next = w->delivered_next = 0;
        for (i = 0; i < RN; i++) {
            rreq *x = &w->q[i];
            memset(x, 0, sizeof(*x));
            x->amount = 1 + (unsigned)(splitmix(&s) % 4);
            x->priority = (int)(splitmix(&s) % 4) - 1;
            x->arrive_h = (double)(splitmix(&s) % 1000);
            x->hold_h = (double)(splitmix(&s) % 4);
            x->grant_rank = UINT64_MAX;
            x->state = R_NEW;
            assert_int_equal(osim_engine_schedule_at(w->e, x->arrive_h, 0, rv_arrive, w, x, NULL),
                             0);
            if (splitmix(&s) % 5 == 0) {
                double c = x->arrive_h + (double)(splitmix(&s) % 6);
                assert_int_equal(osim_engine_schedule_at(w->e, c, 2, rv_cancel, w, x, NULL), 0);
            }
        }
        /* Shifts: the capacity moves between 2 and RCAP_MAX every 25 hours. */
        for (i = 0; i < 40; i++) {
            uintptr_t cap = 2 + (uintptr_t)(splitmix(&s) % (RCAP_MAX - 1));
            assert_int_equal(osim_engine_schedule_at(w->e, 25.0 * (double)i + 0.5, 3, rv_shift, w,
                                                     (void *)cap, NULL),
                             0);
        }
        assert_int_equal(osim_engine_run(w->e, INFINITY), 0);
        /* Everything granted was delivered and released; nothing waits. */
        w->cap = RCAP_MAX;
        assert_int_equal(osim_resource_set_capacity(w->r, RCAP_MAX), 0);
        ref_grant(w);
        assert_int_equal(osim_engine_run(w->e, INFINITY), 0);
        for (i = 0; i < RN; i++)
            assert_true(w->q[i].state == R_DONE || w->q[i].state == R_CANCELLED);
        assert_int_equal(osim_resource_in_use(w->r), 0);
        assert_int_equal(osim_resource_waiting(w->r), 0);
        /* The mix exercised what it is meant to. */
        assert_true(w->grants > RN / 2);
        assert_true(w->cancels_ok > 50);
    }
    osim_resource_free(w->r);
    osim_engine_free(w->e);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_crew_three_tasks_by_hand),
        cmocka_unit_test(test_grant_is_an_event_at_now),
        cmocka_unit_test(test_fifo_within_priority),
        cmocka_unit_test(test_priority_order),
        cmocka_unit_test(test_release_of_several_units_and_strict_order),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_invalid_requests),
        cmocka_unit_test(test_capacity_changes),
        cmocka_unit_test(test_no_allocation_in_steady_state),
        cmocka_unit_test(test_raising_priority_never_delays),
        cmocka_unit_test(test_random_against_reference),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
