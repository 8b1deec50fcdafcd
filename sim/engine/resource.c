/*
 * resource.c -- units that requests wait for, granted in strict priority order.
 *
 * Invariant: after every public call that succeeded, either no request
 * waits or the head of the queue (the waiting request with the lowest
 * (priority, sequence)) does not fit in the free units. Every operation
 * that frees units or changes the head (release, cancel, a new request, a
 * capacity change) restores it by granting heads while they fit
 * (grant_ready), so a grant never waits for a later event to be noticed.
 *
 * Requests live in a pool of slots (reqs[]) with a free list; the waiting
 * ones are a binary min-heap of slot indices (heap[]) ordered by
 * (priority, sequence), each slot remembering its heap position so that a
 * cancel removes it in O(log n). The sequence grows with every request, so
 * ties of priority are served in request order, never by heap layout.
 *
 * Handles are (generation << 32 | slot), generation >= 1 and bumped each
 * time a slot is taken, as the engine's event handles: a handle names one
 * request for ever. A slot whose generation would wrap is retired.
 *
 * A grant is an engine event at the current time that calls the request's
 * handler; the event's object is the slot index (an integer in the pointer,
 * because the pool may move when it grows).
 */
#include "outagesim/resource.h"

#include <assert.h>
#include <stdlib.h>

#include "outagesim/error.h"

#define NO_SLOT UINT32_MAX
#define INITIAL_CAP 16u

enum req_state {
    REQ_FREE = 0,
    REQ_WAITING, /* in the heap */
    REQ_GRANTED, /* units taken, grant event pending */
    REQ_HELD,    /* handler called, units held until release */
};

typedef struct req {
    osim_event_fn fn;
    void *subject;
    void *object;
    uint64_t seq;
    osim_event_id ev; /* the grant event while REQ_GRANTED */
    int priority;
    unsigned amount;
    uint32_t gen;
    uint32_t link; /* heap position while waiting; next free slot while free */
    enum req_state state;
} req;

struct osim_resource {
    osim_engine *e;
    osim_alloc_fn alloc;
    void *alloc_ud;
    req *reqs;
    uint32_t nreqs; /* slots ever used: reqs[0 .. nreqs) */
    uint32_t reqs_cap;
    uint32_t free_head;
    uint32_t *heap;
    uint32_t heap_n;
    uint32_t heap_cap;
    unsigned capacity;
    unsigned in_use;
    int event_priority;
    uint64_t seq_next;
};

static void *mem(const osim_resource *r, void *p, size_t size)
{
    if (r->alloc != NULL)
        return r->alloc(r->alloc_ud, p, size);
    if (size == 0) {
        free(p);
        return NULL;
    }
    return realloc(p, size);
}

/* ------------------------------------------------------------------ heap */

static int before(const osim_resource *r, uint32_t a, uint32_t b)
{
    const req *x = &r->reqs[a], *y = &r->reqs[b];

    if (x->priority != y->priority)
        return x->priority < y->priority;
    return x->seq < y->seq;
}

static void heap_put(osim_resource *r, uint32_t pos, uint32_t slot)
{
    r->heap[pos] = slot;
    r->reqs[slot].link = pos;
}

static void sift_up(osim_resource *r, uint32_t pos)
{
    uint32_t slot = r->heap[pos];

    while (pos > 0) {
        uint32_t parent = (pos - 1) / 2;
        if (!before(r, slot, r->heap[parent]))
            break;
        heap_put(r, pos, r->heap[parent]);
        pos = parent;
    }
    heap_put(r, pos, slot);
}

static void sift_down(osim_resource *r, uint32_t pos)
{
    uint32_t slot = r->heap[pos];

    for (;;) {
        uint32_t c = 2 * pos + 1;
        if (c >= r->heap_n)
            break;
        if (c + 1 < r->heap_n && before(r, r->heap[c + 1], r->heap[c]))
            c++;
        if (!before(r, r->heap[c], slot))
            break;
        heap_put(r, pos, r->heap[c]);
        pos = c;
    }
    heap_put(r, pos, slot);
}

static void heap_remove(osim_resource *r, uint32_t pos)
{
    uint32_t last;

    assert(pos < r->heap_n);
    last = r->heap[--r->heap_n];
    if (pos == r->heap_n)
        return;
    heap_put(r, pos, last);
    if (pos > 0 && before(r, last, r->heap[(pos - 1) / 2]))
        sift_up(r, pos);
    else
        sift_down(r, pos);
}

/* ------------------------------------------------------------------ slots */

static int grow(osim_resource *r)
{
    uint32_t cap = r->reqs_cap ? r->reqs_cap * 2 : INITIAL_CAP;
    req *q;
    uint32_t *h;

    if (r->reqs_cap >= NO_SLOT / 2)
        return OSIM_ENOMEM;
    /* The heap first: if the pool then fails, a larger heap is harmless. */
    if (r->heap_cap < cap) {
        h = mem(r, r->heap, (size_t)cap * sizeof(*h));
        if (h == NULL)
            return OSIM_ENOMEM;
        r->heap = h;
        r->heap_cap = cap;
    }
    q = mem(r, r->reqs, (size_t)cap * sizeof(*q));
    if (q == NULL)
        return OSIM_ENOMEM;
    r->reqs = q;
    r->reqs_cap = cap;
    return 0;
}

/* A free slot, its generation bumped; NO_SLOT when out of memory. */
static uint32_t slot_take(osim_resource *r)
{
    uint32_t s;

    if (r->free_head != NO_SLOT) {
        s = r->free_head;
        r->free_head = r->reqs[s].link;
    } else {
        if (r->nreqs == r->reqs_cap && grow(r) != 0)
            return NO_SLOT;
        s = r->nreqs++;
        r->reqs[s].gen = 0;
    }
    r->reqs[s].gen++;
    return s;
}

static void slot_give(osim_resource *r, uint32_t s)
{
    req *q = &r->reqs[s];

    q->state = REQ_FREE;
    q->ev = 0;
    if (q->gen == UINT32_MAX)
        return; /* retired: its next handle would repeat an old one */
    q->link = r->free_head;
    r->free_head = s;
}

/* The slot of a live handle, or NO_SLOT. */
static uint32_t slot_of(const osim_resource *r, osim_request_id id)
{
    uint32_t s = (uint32_t)(id & 0xffffffffu), gen = (uint32_t)(id >> 32);

    if (id == 0 || s >= r->nreqs || r->reqs[s].gen != gen || r->reqs[s].state == REQ_FREE)
        return NO_SLOT;
    return s;
}

/* ------------------------------------------------------------------ grants */

static void ev_grant(osim_engine *e, void *subject, void *object)
{
    osim_resource *r = subject;
    req *q = &r->reqs[(uintptr_t)object];
    osim_event_fn fn = q->fn;
    void *sub = q->subject, *obj = q->object;

    assert(q->state == REQ_GRANTED);
    q->state = REQ_HELD;
    q->ev = 0;
    /* The handler may request again and so move the pool: q is not used after. */
    fn(e, sub, obj);
}

/* Grant heads of the queue while they fit (strict order: stop at the first that does not). */
static int grant_ready(osim_resource *r)
{
    while (r->heap_n > 0) {
        uint32_t s = r->heap[0];
        req *q = &r->reqs[s];
        int rc;

        if (r->in_use >= r->capacity || q->amount > r->capacity - r->in_use)
            break;
        rc = osim_engine_schedule_at(r->e, osim_engine_now(r->e), r->event_priority, ev_grant, r,
                                     (void *)(uintptr_t)s, &q->ev);
        if (rc != 0)
            return rc;
        heap_remove(r, 0);
        q->state = REQ_GRANTED;
        r->in_use += q->amount;
    }
    return 0;
}

/* ------------------------------------------------------------------ API */

int osim_resource_new(osim_resource **out, osim_engine *e, unsigned capacity, int event_priority,
                      osim_alloc_fn alloc, void *alloc_ud)
{
    osim_resource *r;

    if (alloc != NULL)
        r = alloc(alloc_ud, NULL, sizeof(*r));
    else
        r = malloc(sizeof(*r));
    if (r == NULL)
        return OSIM_ENOMEM;
    *r = (osim_resource){.e = e,
                         .alloc = alloc,
                         .alloc_ud = alloc_ud,
                         .free_head = NO_SLOT,
                         .capacity = capacity,
                         .event_priority = event_priority};
    *out = r;
    return 0;
}

static void cancel_grant_events(osim_resource *r)
{
    uint32_t s;

    for (s = 0; s < r->nreqs; s++)
        if (r->reqs[s].state == REQ_GRANTED)
            osim_engine_cancel(r->e, r->reqs[s].ev);
}

void osim_resource_free(osim_resource *r)
{
    if (r == NULL)
        return;
    cancel_grant_events(r);
    mem(r, r->heap, 0);
    mem(r, r->reqs, 0);
    mem(r, r, 0);
}

void osim_resource_reset(osim_resource *r, unsigned capacity)
{
    uint32_t s;

    cancel_grant_events(r);
    r->free_head = NO_SLOT;
    /* Highest first, so that slots are taken again from 0 up. */
    for (s = r->nreqs; s > 0; s--)
        slot_give(r, s - 1);
    r->heap_n = 0;
    r->capacity = capacity;
    r->in_use = 0;
    r->seq_next = 0;
}

int osim_resource_request(osim_resource *r, unsigned amount, int priority, osim_event_fn fn,
                          void *subject, void *object, osim_request_id *id_out)
{
    uint32_t s;
    req *q;
    int rc;

    if (amount == 0 || amount > r->capacity || fn == NULL)
        return OSIM_EINVAL;
    s = slot_take(r);
    if (s == NO_SLOT)
        return OSIM_ENOMEM;
    q = &r->reqs[s];
    q->fn = fn;
    q->subject = subject;
    q->object = object;
    q->seq = r->seq_next;
    q->ev = 0;
    q->priority = priority;
    q->amount = amount;
    q->state = REQ_WAITING;
    r->heap[r->heap_n++] = s;
    sift_up(r, r->heap_n - 1);
    /* By the invariant only this request can have become grantable. */
    rc = grant_ready(r);
    if (rc != 0 && q->state == REQ_WAITING) {
        heap_remove(r, q->link);
        slot_give(r, s);
        return rc;
    }
    /* Granted: a failure to grant others behind it (after an earlier one
     * left the queue unserved) leaves them waiting, in order. */
    r->seq_next++;
    if (id_out != NULL)
        *id_out = (uint64_t)q->gen << 32 | s;
    return 0;
}

int osim_resource_cancel(osim_resource *r, osim_request_id id)
{
    uint32_t s = slot_of(r, id);
    req *q;
    int rc;

    if (s == NO_SLOT)
        return 0;
    q = &r->reqs[s];
    if (q->state == REQ_WAITING) {
        heap_remove(r, q->link);
    } else if (q->state == REQ_GRANTED) {
        osim_engine_cancel(r->e, q->ev);
        r->in_use -= q->amount;
    } else {
        return 0; /* held: its handler ran; release it instead */
    }
    slot_give(r, s);
    rc = grant_ready(r);
    return rc != 0 ? rc : 1;
}

int osim_resource_release(osim_resource *r, osim_request_id id)
{
    uint32_t s = slot_of(r, id);

    if (s == NO_SLOT || r->reqs[s].state != REQ_HELD)
        return OSIM_EINVAL;
    r->in_use -= r->reqs[s].amount;
    slot_give(r, s);
    return grant_ready(r);
}

int osim_resource_set_capacity(osim_resource *r, unsigned capacity)
{
    r->capacity = capacity;
    return grant_ready(r);
}

unsigned osim_resource_capacity(const osim_resource *r)
{
    return r->capacity;
}

unsigned osim_resource_in_use(const osim_resource *r)
{
    return r->in_use;
}

size_t osim_resource_waiting(const osim_resource *r)
{
    return r->heap_n;
}
