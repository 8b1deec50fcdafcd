/*
 * test_engine.c -- the engine fires events in (time, priority, insertion)
 * order, whatever mix of schedule, cancel and run produced the queue, and it
 * keeps its promises on handles, the clock, stop, errors, memory and threads.
 *
 * The central check drives 100,000 random schedule/cancel/pop operations
 * through the engine and a reference that finds the earliest live event by a
 * plain scan; the queue grows past the size at which the engine switches
 * from one heap to its near/far layout, so both are exercised.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/engine.h"
#include "outagesim/error.h"
#include "outagesim/rng.h"

/* ------------------------------------------------------------ helpers */

/* A fl of fired events: the object pointer carries a tag. */
typedef struct fire_log {
    size_t n, cap;
    uintptr_t *tag;
    double *t_h;
    int stop_after_each; /* call osim_engine_stop from every handler */
} fire_log;

static void log_init(fire_log *l, size_t cap)
{
    l->n = 0;
    l->cap = cap;
    l->tag = calloc(cap, sizeof(*l->tag));
    l->t_h = calloc(cap, sizeof(*l->t_h));
    l->stop_after_each = 0;
    assert_non_null(l->tag);
    assert_non_null(l->t_h);
}

static void log_free(fire_log *l)
{
    free(l->tag);
    free(l->t_h);
}

static void on_fire(osim_engine *e, void *subject, void *object)
{
    fire_log *l = subject;

    assert_true(l->n < l->cap);
    l->tag[l->n] = (uintptr_t)object;
    l->t_h[l->n] = osim_engine_now(e);
    l->n++;
    if (l->stop_after_each)
        osim_engine_stop(e);
}

static void *tag_ptr(uintptr_t tag)
{
    return (void *)tag;
}

static osim_engine *new_engine(void)
{
    osim_engine *e = NULL;

    assert_int_equal(osim_engine_new(&e, NULL, NULL), 0);
    assert_non_null(e);
    return e;
}

/* ------------------------------------------------------------ random ops vs reference */

typedef struct ref_event {
    double t_h;
    int priority;
    uint64_t seq;
    osim_event_id id;
    int state; /* 0 pending, 1 fired, 2 cancelled */
    size_t live_pos;
} ref_event;

/* The reference order: (time, priority, insertion). */
static int ref_before(const ref_event *a, const ref_event *b)
{
    if (a->t_h != b->t_h)
        return a->t_h < b->t_h;
    if (a->priority != b->priority)
        return a->priority < b->priority;
    return a->seq < b->seq;
}

static void live_remove(ref_event *ev, size_t *live, size_t *nlive, size_t i)
{
    size_t p = ev[i].live_pos, last = live[--*nlive];

    live[p] = last;
    ev[last].live_pos = p;
}

static void test_random_ops_match_reference(void **state)
{
    enum { OPS = 100000 };
    osim_engine *e = new_engine();
    gsl_rng *r = osim_rng_new();
    ref_event *ev = calloc(OPS, sizeof(*ev));
    size_t *live = calloc(OPS, sizeof(*live));
    size_t nev = 0, nlive = 0, op, peak = 0, pops = 0, cancels = 0;
    fire_log fl;

    (void)state;
    assert_non_null(r);
    assert_non_null(ev);
    assert_non_null(live);
    log_init(&fl, OPS);
    fl.stop_after_each = 1;
    osim_rng_seed(r, osim_rng_stream_seed(42, 0, "test-engine-random"));

    for (op = 0; op < OPS; op++) {
        /*
         * Grow past 20,000 pending over the first 35% (the engine splits its
         * heap above 16,384), hover, then drain.
         */
        double p_sched = op < OPS * 35 / 100 ? 0.8 : op < OPS * 75 / 100 ? 0.45 : 0.2;
        double u = gsl_rng_uniform(r);

        if (u < p_sched) {
            ref_event *x = &ev[nev];
            double now = osim_engine_now(e);
            unsigned kind = (unsigned)gsl_rng_uniform_int(r, 4);

            /*
             * Events at now, and on a grid of whole hours shared by many
             * events, make equal times (so priority and FIFO ties) common,
             * also at the near/far split, which is always some entry's time.
             */
            if (kind == 0)
                x->t_h = now;
            else if (kind == 1)
                x->t_h = floor(now) + 1.0 + (double)gsl_rng_uniform_int(r, 20);
            else
                x->t_h = now - log(gsl_rng_uniform_pos(r)) * 3.0;
            x->priority = (int)gsl_rng_uniform_int(r, 5) - 2;
            x->seq = nev;
            assert_int_equal(
                osim_engine_schedule_at(e, x->t_h, x->priority, on_fire, &fl, tag_ptr(nev), &x->id),
                0);
            assert_true(x->id != 0);
            x->live_pos = nlive;
            live[nlive++] = nev;
            nev++;
        } else if (u < p_sched + 0.12 && nev > 0) {
            size_t i = (size_t)gsl_rng_uniform_int(r, (unsigned long)nev);
            int want = ev[i].state == 0;

            assert_int_equal(osim_engine_cancel(e, ev[i].id), want);
            if (want) {
                ev[i].state = 2;
                live_remove(ev, live, &nlive, i);
                cancels++;
            }
        } else {
            size_t k, best = SIZE_MAX;
            int rc;

            for (k = 0; k < nlive; k++)
                if (best == SIZE_MAX || ref_before(&ev[live[k]], &ev[best]))
                    best = live[k];
            fl.n = 0;
            rc = osim_engine_run(e, INFINITY);
            if (best == SIZE_MAX) {
                assert_int_equal(rc, 0);
                assert_int_equal(fl.n, 0);
            } else {
                assert_int_equal(rc, OSIM_ESTOPPED);
                assert_int_equal(fl.n, 1);
                assert_int_equal(fl.tag[0], best);
                assert_true(osim_engine_now(e) == ev[best].t_h);
                ev[best].state = 1;
                live_remove(ev, live, &nlive, best);
                pops++;
            }
        }
        assert_int_equal(osim_engine_pending(e), nlive);
        if (nlive > peak)
            peak = nlive;
    }
    /* The run really reached the near/far layout and did all three things. */
    assert_true(peak > 20000);
    assert_true(pops > 20000);
    assert_true(cancels > 2000);
    assert_int_equal(osim_engine_fired(e), pops);

    log_free(&fl);
    free(live);
    free(ev);
    gsl_rng_free(r);
    osim_engine_free(e);
}

/* ------------------------------------------------------------ bulk phases vs a sorted list */

typedef struct pend {
    double t_h;
    int priority;
    uint64_t seq;
    osim_event_id id;
} pend;

static int pend_cmp(const void *pa, const void *pb)
{
    const pend *a = pa, *b = pb;

    if (a->t_h != b->t_h)
        return a->t_h < b->t_h ? -1 : 1;
    if (a->priority != b->priority)
        return a->priority < b->priority ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

typedef struct bulk {
    osim_engine *e;
    gsl_rng *r;
    pend *p; /* pending, in no order */
    size_t n, cap;
    uint64_t seq;
    fire_log fl;
} bulk;

static void bulk_add(bulk *b, double t_h)
{
    pend *x;

    assert_true(b->n < b->cap);
    x = &b->p[b->n++];
    x->t_h = t_h;
    x->priority = (int)gsl_rng_uniform_int(b->r, 5) - 2;
    x->seq = b->seq++;
    /* the tag is the insertion sequence */
    assert_int_equal(osim_engine_schedule_at(b->e, t_h, x->priority, on_fire, &b->fl,
                                             tag_ptr((uintptr_t)x->seq), &x->id),
                     0);
}

/* Run until until_h: what fires must be exactly the sorted pending events up to until_h. */
static void bulk_run_check(bulk *b, double until_h)
{
    size_t i, k = 0;

    qsort(b->p, b->n, sizeof(*b->p), pend_cmp);
    b->fl.n = 0;
    assert_int_equal(osim_engine_run(b->e, until_h), 0);
    while (k < b->n && b->p[k].t_h <= until_h)
        k++;
    assert_int_equal(b->fl.n, k);
    for (i = 0; i < k; i++)
        if (b->fl.tag[i] != b->p[i].seq)
            fail_msg("event %zu of the run: tag %lu, expected %lu (t=%.17g)", i,
                     (unsigned long)b->fl.tag[i], (unsigned long)b->p[i].seq, b->p[i].t_h);
    memmove(b->p, b->p + k, (b->n - k) * sizeof(*b->p));
    b->n -= k;
    assert_int_equal(osim_engine_pending(b->e), b->n);
}

static void bulk_cancel_some(bulk *b, double share)
{
    size_t i, j = 0;

    for (i = 0; i < b->n; i++) {
        if (gsl_rng_uniform(b->r) < share)
            assert_int_equal(osim_engine_cancel(b->e, b->p[i].id), 1);
        else
            b->p[j++] = b->p[i];
    }
    b->n = j;
    assert_int_equal(osim_engine_pending(b->e), b->n);
}

/*
 * Bulk phases that drive every tier of the queue: a big queue split into
 * buckets, a burst of earlier events that overflows the near heap while
 * buckets are pending, one huge tie, cancellation of a share of everything.
 */
static void test_bulk_phases_match_sorted_list(void **state)
{
    enum { CAP = 200000 };
    bulk b = {0};
    int i;

    (void)state;
    b.e = new_engine();
    b.r = osim_rng_new();
    b.cap = CAP;
    b.p = calloc(CAP, sizeof(*b.p));
    assert_non_null(b.r);
    assert_non_null(b.p);
    log_init(&b.fl, CAP);
    osim_rng_seed(b.r, osim_rng_stream_seed(9, 0, "test-engine-bulk"));

    for (i = 0; i < 30000; i++) /* a grid of times: many ties */
        bulk_add(&b, 100.0 + 0.1 * (double)gsl_rng_uniform_int(b.r, 1000));
    bulk_run_check(&b, 100.05);
    bulk_run_check(&b, 130.0);  /* past the first near heap: buckets are built */
    for (i = 0; i < 20000; i++) /* before the next bucket: the near heap overflows */
        bulk_add(&b, 130.0 + 1e-4 * (double)gsl_rng_uniform_int(b.r, 100));
    for (i = 0; i < 5000; i++)
        bulk_add(&b, 130.0 + 1e-3 * (double)gsl_rng_uniform_int(b.r, 1000));
    bulk_cancel_some(&b, 0.1);
    bulk_run_check(&b, 130.005);
    for (i = 0; i < 10000; i++)
        bulk_add(&b, 150.0 + 0.5 * (double)gsl_rng_uniform_int(b.r, 200));
    bulk_run_check(&b, 140.0);
    for (i = 0; i < 20000; i++) /* one huge tie */
        bulk_add(&b, 300.0);
    for (i = 0; i < 20000; i++)
        bulk_add(&b, 140.0 - log(gsl_rng_uniform_pos(b.r)) * 50.0);
    bulk_cancel_some(&b, 0.3);
    bulk_run_check(&b, 170.0);
    bulk_run_check(&b, 299.0);
    for (i = 0; i < 1000; i++) /* joins the tie at 300 */
        bulk_add(&b, 300.0);
    bulk_run_check(&b, INFINITY);
    assert_int_equal(b.n, 0);

    log_free(&b.fl);
    free(b.p);
    gsl_rng_free(b.r);
    osim_engine_free(b.e);
}

/* ------------------------------------------------------------ ties */

static void test_fifo_for_equal_time_and_priority(void **state)
{
    enum { N = 40000 }; /* past the near-heap limit: splitting meets all-equal keys */
    osim_engine *e = new_engine();
    fire_log fl;
    uintptr_t i;

    (void)state;
    log_init(&fl, N + 2);
    assert_int_equal(osim_engine_schedule_at(e, 7.0, 0, on_fire, &fl, tag_ptr(N + 1), NULL), 0);
    for (i = 0; i < N; i++)
        assert_int_equal(osim_engine_schedule_at(e, 5.0, 3, on_fire, &fl, tag_ptr(i), NULL), 0);
    assert_int_equal(osim_engine_schedule_at(e, 1.0, 9, on_fire, &fl, tag_ptr(N), NULL), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(fl.n, N + 2);
    assert_int_equal(fl.tag[0], N);
    for (i = 0; i < N; i++) {
        assert_int_equal(fl.tag[i + 1], i);
        assert_true(fl.t_h[i + 1] == 5.0);
    }
    assert_int_equal(fl.tag[N + 1], N + 1);
    log_free(&fl);
    osim_engine_free(e);
}

static void test_priority_orders_equal_times(void **state)
{
    static const int prio[] = {5, -3, 0, 2147483647, -2147483647 - 1, 0, -3, 1};
    static const uintptr_t want[] = {4, 1, 6, 2, 5, 7, 0, 3};
    osim_engine *e = new_engine();
    fire_log fl;
    size_t i;

    (void)state;
    log_init(&fl, 8);
    for (i = 0; i < 8; i++)
        assert_int_equal(osim_engine_schedule_at(e, 2.5, prio[i], on_fire, &fl, tag_ptr(i), NULL),
                         0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(fl.n, 8);
    for (i = 0; i < 8; i++)
        assert_int_equal(fl.tag[i], want[i]);
    log_free(&fl);
    osim_engine_free(e);
}

/* An event scheduled at now from a handler still fires in this run, after its equals. */
static void schedule_at_now(osim_engine *e, void *subject, void *object)
{
    on_fire(e, subject, object);
    if ((uintptr_t)object == 1)
        assert_int_equal(osim_engine_schedule_in(e, 0.0, -1, on_fire, subject, tag_ptr(9), NULL),
                         0);
}

static void test_schedule_at_now_from_handler(void **state)
{
    osim_engine *e = new_engine();
    fire_log fl;

    (void)state;
    log_init(&fl, 8);
    assert_int_equal(osim_engine_schedule_at(e, 1.0, 0, schedule_at_now, &fl, tag_ptr(1), NULL), 0);
    assert_int_equal(osim_engine_schedule_at(e, 1.0, 0, on_fire, &fl, tag_ptr(2), NULL), 0);
    assert_int_equal(osim_engine_schedule_at(e, 2.0, -5, on_fire, &fl, tag_ptr(3), NULL), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(fl.n, 4);
    /* priority -1 beats the pending priority-0 event at the same time */
    assert_int_equal(fl.tag[0], 1);
    assert_int_equal(fl.tag[1], 9);
    assert_int_equal(fl.tag[2], 2);
    assert_int_equal(fl.tag[3], 3);
    log_free(&fl);
    osim_engine_free(e);
}

/* ------------------------------------------------------------ cancel */

static void test_cancel_before_and_after_firing(void **state)
{
    osim_engine *e = new_engine();
    fire_log fl;
    osim_event_id a, b, c;

    (void)state;
    log_init(&fl, 8);
    assert_int_equal(osim_engine_schedule_at(e, 1.0, 0, on_fire, &fl, tag_ptr(1), &a), 0);
    assert_int_equal(osim_engine_schedule_at(e, 2.0, 0, on_fire, &fl, tag_ptr(2), &b), 0);
    assert_int_equal(osim_engine_schedule_at(e, 3.0, 0, on_fire, &fl, tag_ptr(3), &c), 0);
    assert_true(a != b && b != c && a != c);
    assert_int_equal(osim_engine_pending(e), 3);

    assert_int_equal(osim_engine_cancel(e, b), 1);
    assert_int_equal(osim_engine_cancel(e, b), 0); /* twice: no-op */
    assert_int_equal(osim_engine_pending(e), 2);
    assert_int_equal(osim_engine_cancel(e, 0), 0);
    assert_int_equal(osim_engine_cancel(e, 0xdeadbeef12345678ULL), 0);
    assert_int_equal(osim_engine_cancel(e, (1ULL << 32) | 999999u), 0);
    assert_int_equal(osim_engine_cancel(e, a ^ (1ULL << 40)), 0); /* right slot, wrong generation */
    assert_int_equal(osim_engine_pending(e), 2);

    assert_int_equal(osim_engine_run(e, 1.5), 0);
    assert_int_equal(fl.n, 1);
    assert_int_equal(osim_engine_cancel(e, a), 0); /* fired */
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(fl.n, 2);
    assert_int_equal(fl.tag[1], 3);
    assert_int_equal(osim_engine_cancel(e, c), 0);
    assert_int_equal(osim_engine_fired(e), 2);

    /* A stale handle never cancels the event that reuses its slot. */
    {
        osim_event_id d;
        assert_int_equal(osim_engine_schedule_in(e, 1.0, 0, on_fire, &fl, tag_ptr(4), &d), 0);
        assert_int_equal(osim_engine_cancel(e, a), 0);
        assert_int_equal(osim_engine_cancel(e, b), 0);
        assert_int_equal(osim_engine_cancel(e, c), 0);
        assert_int_equal(osim_engine_pending(e), 1);
        osim_engine_reset(e);
        assert_int_equal(osim_engine_schedule_in(e, 1.0, 0, on_fire, &fl, tag_ptr(5), NULL), 0);
        assert_int_equal(osim_engine_cancel(e, d), 0); /* from before the reset */
        assert_int_equal(osim_engine_pending(e), 1);
    }
    log_free(&fl);
    osim_engine_free(e);
}

typedef struct cancel_ctx {
    fire_log *fl;
    osim_event_id victim;
    osim_event_id self;
    int rc_victim, rc_self;
} cancel_ctx;

static void cancel_from_handler(osim_engine *e, void *subject, void *object)
{
    cancel_ctx *c = subject;

    on_fire(e, c->fl, object);
    c->rc_victim = osim_engine_cancel(e, c->victim);
    c->rc_self = osim_engine_cancel(e, c->self);
}

static void test_cancel_from_handler(void **state)
{
    osim_engine *e = new_engine();
    fire_log fl;
    cancel_ctx c = {0};

    (void)state;
    log_init(&fl, 8);
    c.fl = &fl;
    assert_int_equal(
        osim_engine_schedule_at(e, 1.0, 0, cancel_from_handler, &c, tag_ptr(1), &c.self), 0);
    assert_int_equal(osim_engine_schedule_at(e, 2.0, 0, on_fire, &fl, tag_ptr(2), &c.victim), 0);
    assert_int_equal(osim_engine_schedule_at(e, 3.0, 0, on_fire, &fl, tag_ptr(3), NULL), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(c.rc_victim, 1);
    assert_int_equal(c.rc_self, 0); /* an event is no longer pending once it fires */
    assert_int_equal(fl.n, 2);
    assert_int_equal(fl.tag[1], 3);
    assert_true(osim_engine_now(e) == 3.0);
    log_free(&fl);
    osim_engine_free(e);
}

/* ------------------------------------------------------------ run, stop, errors */

static void test_run_until_time(void **state)
{
    static const double t[] = {1.0, 2.0, 2.5, 3.0, 5.0};
    osim_engine *e = new_engine();
    fire_log fl;
    size_t i;

    (void)state;
    log_init(&fl, 8);
    for (i = 0; i < 5; i++)
        assert_int_equal(osim_engine_schedule_at(e, t[i], 0, on_fire, &fl, tag_ptr(i), NULL), 0);
    assert_int_equal(osim_engine_run(e, 2.5), 0); /* an event at exactly until_h fires */
    assert_int_equal(fl.n, 3);
    assert_int_equal(osim_engine_pending(e), 2);
    assert_true(osim_engine_now(e) == 2.5);

    assert_int_equal(osim_engine_run(e, 2.75), 0); /* nothing due: only the clock moves */
    assert_int_equal(fl.n, 3);
    assert_true(osim_engine_now(e) == 2.75);

    /* Scheduling before the new clock is refused; at it, accepted. */
    assert_int_equal(osim_engine_schedule_at(e, 2.6, 0, on_fire, &fl, tag_ptr(9), NULL),
                     OSIM_EINVAL);
    assert_int_equal(osim_engine_run(e, 1.0), OSIM_EINVAL); /* backwards */
    assert_int_equal(osim_engine_run(e, NAN), OSIM_EINVAL);

    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(fl.n, 5);
    assert_true(osim_engine_now(e) == 5.0); /* running dry leaves the clock at the last event */
    assert_int_equal(osim_engine_pending(e), 0);

    assert_int_equal(osim_engine_run(e, 12.0), 0); /* empty queue, finite horizon */
    assert_true(osim_engine_now(e) == 12.0);
    log_free(&fl);
    osim_engine_free(e);
}

typedef struct stop_ctx {
    fire_log *fl;
    uintptr_t stop_at;
    int nested_rc;
} stop_ctx;

static void stop_handler(osim_engine *e, void *subject, void *object)
{
    stop_ctx *c = subject;

    on_fire(e, c->fl, object);
    if ((uintptr_t)object == c->stop_at) {
        osim_engine_stop(e);
        c->nested_rc = osim_engine_run(e, INFINITY); /* a handler may not run the engine */
    }
}

static void test_stop_from_handler(void **state)
{
    osim_engine *e = new_engine();
    fire_log fl;
    stop_ctx c;
    uintptr_t i;

    (void)state;
    log_init(&fl, 16);
    c.fl = &fl;
    c.stop_at = 3;
    c.nested_rc = 0;
    for (i = 0; i < 10; i++)
        assert_int_equal(
            osim_engine_schedule_at(e, (double)i, 0, stop_handler, &c, tag_ptr(i), NULL), 0);
    osim_engine_stop(e); /* outside a run: ignored */
    assert_int_equal(osim_engine_run(e, 100.0), OSIM_ESTOPPED);
    assert_int_equal(c.nested_rc, OSIM_EINVAL);
    assert_int_equal(fl.n, 4);
    assert_true(osim_engine_now(e) == 3.0); /* not moved to until_h */
    assert_int_equal(osim_engine_pending(e), 6);
    /* The stop request was consumed: the next run resumes. */
    assert_int_equal(osim_engine_run(e, 100.0), 0);
    assert_int_equal(fl.n, 10);
    for (i = 0; i < 10; i++)
        assert_int_equal(fl.tag[i], i);
    assert_true(osim_engine_now(e) == 100.0);
    log_free(&fl);
    osim_engine_free(e);
}

static void test_invalid_schedules(void **state)
{
    osim_engine *e = new_engine();
    fire_log fl;
    osim_event_id id = 77;

    (void)state;
    log_init(&fl, 4);
    assert_int_equal(osim_engine_run(e, 10.0), 0);
    assert_int_equal(osim_engine_schedule_at(e, 9.0, 0, on_fire, &fl, NULL, &id), OSIM_EINVAL);
    assert_int_equal(osim_engine_schedule_at(e, NAN, 0, on_fire, &fl, NULL, &id), OSIM_EINVAL);
    assert_int_equal(osim_engine_schedule_at(e, INFINITY, 0, on_fire, &fl, NULL, &id), OSIM_EINVAL);
    assert_int_equal(osim_engine_schedule_at(e, -INFINITY, 0, on_fire, &fl, NULL, &id),
                     OSIM_EINVAL);
    assert_int_equal(osim_engine_schedule_at(e, 11.0, 0, NULL, &fl, NULL, &id), OSIM_EINVAL);
    assert_int_equal(osim_engine_schedule_in(e, -1e-9, 0, on_fire, &fl, NULL, &id), OSIM_EINVAL);
    assert_int_equal(osim_engine_schedule_in(e, NAN, 0, on_fire, &fl, NULL, &id), OSIM_EINVAL);
    assert_int_equal(osim_engine_schedule_in(e, INFINITY, 0, on_fire, &fl, NULL, &id), OSIM_EINVAL);
    assert_int_equal(osim_engine_schedule_in(e, 1e308, 0, on_fire, &fl, NULL, &id), 0);
    assert_int_equal(osim_engine_schedule_in(e, 1.7e308, 0, on_fire, &fl, NULL, NULL),
                     0); /* 10 + 1.7e308 is still finite */
    assert_int_equal(osim_engine_pending(e), 2);
    assert_true(id != 77);
    assert_true(osim_engine_now(e) == 10.0);

    /* -0.0 at time 0 is time 0 and orders as such. */
    osim_engine_reset(e);
    fl.n = 0;
    assert_int_equal(osim_engine_schedule_at(e, 0.0, 1, on_fire, &fl, tag_ptr(1), NULL), 0);
    assert_int_equal(osim_engine_schedule_at(e, -0.0, 0, on_fire, &fl, tag_ptr(2), NULL), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(fl.n, 2);
    assert_int_equal(fl.tag[0], 2);
    log_free(&fl);
    osim_engine_free(e);
}

/* ------------------------------------------------------------ trace */

typedef struct trace_ctx {
    int calls;
    double last_t_h;
    int last_priority;
    osim_event_fn last_fn;
    void *last_object;
} trace_ctx;

static void trace_hook(void *ud, double t_h, int priority, osim_event_fn fn, void *subject,
                       void *object)
{
    trace_ctx *c = ud;

    (void)subject;
    c->calls++;
    c->last_t_h = t_h;
    c->last_priority = priority;
    c->last_fn = fn;
    c->last_object = object;
}

static void test_trace_hook(void **state)
{
    osim_engine *e = new_engine();
    fire_log fl;
    trace_ctx c = {0};

    (void)state;
    log_init(&fl, 8);
    osim_engine_set_trace(e, trace_hook, &c);
    assert_int_equal(osim_engine_schedule_at(e, 4.0, -7, on_fire, &fl, tag_ptr(5), NULL), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(c.calls, 1);
    assert_true(c.last_t_h == 4.0);
    assert_int_equal(c.last_priority, -7);
    assert_true(c.last_fn == on_fire);
    assert_true(c.last_object == tag_ptr(5));
    osim_engine_reset(e); /* keeps the hook */
    assert_int_equal(osim_engine_schedule_at(e, 1.0, 0, on_fire, &fl, tag_ptr(6), NULL), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(c.calls, 2);
    osim_engine_set_trace(e, NULL, NULL);
    assert_int_equal(osim_engine_schedule_at(e, 2.0, 0, on_fire, &fl, tag_ptr(7), NULL), 0);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(c.calls, 2);
    assert_int_equal(fl.n, 3);
    log_free(&fl);
    osim_engine_free(e);
}

/* ------------------------------------------------------------ threads */

/* A deterministic hold workload: a checksum of the firing sequence. */
typedef struct hold_job {
    uint64_t seed;
    uint64_t events;
    uint64_t left;
    uint64_t checksum;
    gsl_rng *r;
    int status;
} hold_job;

static void hold_step(osim_engine *e, void *subject, void *object)
{
    hold_job *j = subject;
    double t = osim_engine_now(e);
    uint64_t bits;
    int rc;

    memcpy(&bits, &t, sizeof(bits));
    j->checksum = osim_rng_mix(j->checksum ^ bits ^ (uint64_t)(uintptr_t)object);
    if (j->left == 0 || --j->left == 0)
        return; /* done: the rest drains without rescheduling */
    rc = osim_engine_schedule_in(e, -log(gsl_rng_uniform_pos(j->r)),
                                 (int)gsl_rng_uniform_int(j->r, 3), hold_step, j, tag_ptr(j->left),
                                 NULL);
    if (rc != 0)
        j->status = rc;
}

static void *hold_run(void *arg)
{
    hold_job *j = arg;
    osim_engine *e = NULL;
    uintptr_t i;

    j->r = osim_rng_new();
    if (j->r == NULL || osim_engine_new(&e, NULL, NULL) != 0) {
        j->status = OSIM_ENOMEM;
        gsl_rng_free(j->r);
        return NULL;
    }
    osim_rng_seed(j->r, osim_rng_stream_seed(j->seed, 0, "hold"));
    j->left = j->events;
    j->checksum = 0;
    for (i = 0; i < 5000 && j->status == 0; i++)
        j->status = osim_engine_schedule_at(e, gsl_rng_uniform(j->r) * 10.0, 0, hold_step, j,
                                            tag_ptr(i), NULL);
    if (j->status == 0 && osim_engine_run(e, INFINITY) != 0)
        j->status = OSIM_EINTERNAL;
    osim_engine_free(e);
    gsl_rng_free(j->r);
    return NULL;
}

static void test_two_engines_on_two_threads(void **state)
{
    hold_job solo[2] = {{.seed = 1, .events = 200000}, {.seed = 2, .events = 200000}};
    hold_job par[2] = {{.seed = 1, .events = 200000}, {.seed = 2, .events = 200000}};
    pthread_t th[2];
    int i;

    (void)state;
    hold_run(&solo[0]);
    hold_run(&solo[1]);
    for (i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, hold_run, &par[i]), 0);
    for (i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (i = 0; i < 2; i++) {
        assert_int_equal(solo[i].status, 0);
        assert_int_equal(par[i].status, 0);
        assert_true(solo[i].checksum == par[i].checksum);
    }
    assert_true(solo[0].checksum != solo[1].checksum);
}

/* ------------------------------------------------------------ memory */

/* An allocator that counts, tracks live bytes and can be told to fail. */
typedef struct count_alloc {
    long calls;      /* allocations and reallocations (not frees) */
    long fail_after; /* fail every allocation once calls reach this; -1 never */
    size_t live_bytes;
    size_t peak_bytes;
} count_alloc;

typedef struct block_head {
    size_t size;
    size_t pad; /* keeps the payload 16-byte aligned */
} block_head;

static void *counting_alloc(void *ud, void *ptr, size_t size)
{
    count_alloc *a = ud;
    block_head *h = ptr != NULL ? (block_head *)ptr - 1 : NULL;
    block_head *n;

    if (size == 0) {
        if (h != NULL) {
            a->live_bytes -= h->size;
            free(h);
        }
        return NULL;
    }
    if (a->fail_after >= 0 && a->calls >= a->fail_after)
        return NULL;
    a->calls++;
    n = realloc(h, sizeof(*n) + size);
    if (n == NULL)
        return NULL;
    a->live_bytes -= ptr != NULL ? n->size : 0;
    n->size = size;
    a->live_bytes += size;
    if (a->live_bytes > a->peak_bytes)
        a->peak_bytes = a->live_bytes;
    return n + 1;
}

static void test_allocation_failure_leaves_engine_usable(void **state)
{
    long limit;

    (void)state;
    for (limit = 0; limit < 8; limit++) {
        count_alloc a = {0, limit, 0, 0};
        osim_engine *e = NULL;
        fire_log fl;
        size_t n = 0, i;
        int rc = 0;

        rc = osim_engine_new(&e, counting_alloc, &a);
        if (limit == 0) {
            assert_int_equal(rc, OSIM_ENOMEM);
            assert_null(e);
            continue;
        }
        assert_int_equal(rc, 0);
        log_init(&fl, 100000);
        /* Schedule until the allocator refuses; the failed call changes nothing. */
        for (;;) {
            osim_event_id id = 12345;
            size_t before = osim_engine_pending(e);
            rc = osim_engine_schedule_at(e, (double)(n % 97), 0, on_fire, &fl, tag_ptr(n), &id);
            if (rc != 0) {
                assert_int_equal(rc, OSIM_ENOMEM);
                assert_int_equal(osim_engine_pending(e), before);
                assert_true(id == 12345);
                break;
            }
            n++;
            assert_true(n < 100000);
        }
        /* Let memory come back: the same engine carries on, and order is intact. */
        a.fail_after = -1;
        for (i = 0; i < 10; i++, n++)
            assert_int_equal(
                osim_engine_schedule_at(e, (double)(n % 97), 0, on_fire, &fl, tag_ptr(n), NULL), 0);
        assert_int_equal(osim_engine_pending(e), n);
        assert_int_equal(osim_engine_run(e, INFINITY), 0);
        assert_int_equal(fl.n, n);
        for (i = 1; i < n; i++) {
            assert_true(fl.t_h[i - 1] <= fl.t_h[i]);
            if (fl.t_h[i - 1] == fl.t_h[i])
                assert_true(fl.tag[i - 1] < fl.tag[i]);
        }
        log_free(&fl);
        osim_engine_free(e);
        assert_int_equal(a.live_bytes, 0);
    }
}

static void noop(osim_engine *e, void *subject, void *object)
{
    (void)e;
    (void)subject;
    (void)object;
}

static void test_reset_reuses_memory(void **state)
{
    count_alloc a = {0, -1, 0, 0};
    osim_engine *e = NULL;
    gsl_rng *r = osim_rng_new();
    long calls_after_first = 0;
    int rep, i;

    (void)state;
    assert_non_null(r);
    assert_int_equal(osim_engine_new(&e, counting_alloc, &a), 0);
    for (rep = 0; rep < 10; rep++) {
        osim_rng_seed(r, osim_rng_stream_seed(7, (uint64_t)rep, "reset"));
        for (i = 0; i < 20000; i++) {
            osim_event_id id;
            assert_int_equal(
                osim_engine_schedule_at(e, gsl_rng_uniform(r) * 100.0, 0, noop, NULL, NULL, &id),
                0);
            if (i % 3 == 0)
                assert_int_equal(osim_engine_cancel(e, id), 1);
        }
        if (rep % 2 == 0)
            assert_int_equal(osim_engine_run(e, 50.0), 0); /* leave some pending */
        osim_engine_reset(e);
        assert_int_equal(osim_engine_pending(e), 0);
        assert_true(osim_engine_now(e) == 0.0);
        assert_int_equal(osim_engine_fired(e), 0);
        if (rep == 0)
            calls_after_first = a.calls;
    }
    assert_true(calls_after_first > 1);
    assert_int_equal(a.calls, calls_after_first);
    osim_engine_free(e);
    assert_int_equal(a.live_bytes, 0);
    gsl_rng_free(r);
}

static void test_cancellation_keeps_memory_bounded(void **state)
{
    count_alloc a = {0, -1, 0, 0};
    osim_engine *e = NULL;
    osim_event_id keep[100], id;
    size_t peak_early = 0;
    int i;

    (void)state;
    assert_int_equal(osim_engine_new(&e, counting_alloc, &a), 0);
    for (i = 0; i < 100; i++)
        assert_int_equal(osim_engine_schedule_at(e, 1e6 + i, 0, noop, NULL, NULL, &keep[i]), 0);
    /*
     * Schedule and cancel a million times; cancelled entries are never
     * popped. Memory after the first thousand rounds is all it ever takes.
     */
    for (i = 0; i < 1000000; i++) {
        assert_int_equal(
            osim_engine_schedule_at(e, 1.0 + (double)(i % 1000), i % 7, noop, NULL, NULL, &id), 0);
        assert_int_equal(osim_engine_cancel(e, id), 1);
        if (i == 999)
            peak_early = a.peak_bytes;
    }
    assert_int_equal(osim_engine_pending(e), 100);
    assert_int_equal(a.peak_bytes, peak_early);
    /* the engine itself and room for a few hundred events, not a million */
    if (!(a.peak_bytes < 128 * 1024))
        fail_msg("peak %zu bytes for 100 live events", a.peak_bytes);

    /* Same with a large far region and cancellation in bulk. */
    for (i = 0; i < 1000000; i++) {
        assert_int_equal(
            osim_engine_schedule_at(e, 10.0 + (double)(i % 5000), 0, noop, NULL, NULL, &id), 0);
        if (i % 100 != 0)
            assert_int_equal(osim_engine_cancel(e, id), 1);
    }
    assert_int_equal(osim_engine_pending(e), 100 + 10000);
    /*
     * About 10,100 live events at under 80 bytes each (heap entry 16, slot
     * and sequence 40, list chunks about 18), at most as many cancelled ones
     * again before compaction, times 2 for geometric growth; plus a fixed
     * megabyte (the engine and one spare chunk per rung bucket). Without
     * compaction it would be a million entries, over 70 MB.
     */
    if (!(a.peak_bytes < 4 * 10100 * 80 + 1024 * 1024))
        fail_msg("peak %zu bytes for 10,100 live events", a.peak_bytes);
    for (i = 0; i < 100; i++)
        assert_int_equal(osim_engine_cancel(e, keep[i]), 1);
    assert_int_equal(osim_engine_run(e, INFINITY), 0);
    assert_int_equal(osim_engine_fired(e), 10000);
    osim_engine_free(e);
    assert_int_equal(a.live_bytes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_ops_match_reference),
        cmocka_unit_test(test_bulk_phases_match_sorted_list),
        cmocka_unit_test(test_fifo_for_equal_time_and_priority),
        cmocka_unit_test(test_priority_orders_equal_times),
        cmocka_unit_test(test_schedule_at_now_from_handler),
        cmocka_unit_test(test_cancel_before_and_after_firing),
        cmocka_unit_test(test_cancel_from_handler),
        cmocka_unit_test(test_run_until_time),
        cmocka_unit_test(test_stop_from_handler),
        cmocka_unit_test(test_invalid_schedules),
        cmocka_unit_test(test_trace_hook),
        cmocka_unit_test(test_two_engines_on_two_threads),
        cmocka_unit_test(test_allocation_failure_leaves_engine_usable),
        cmocka_unit_test(test_reset_reuses_memory),
        cmocka_unit_test(test_cancellation_keeps_memory_bounded),
    };

    osim_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
