/*
 * engine.c -- the discrete-event engine: clock, pending-event set, run/stop.
 *
 * Invariant: the queue heap[0 .. heap_len) is split in two at split_key.
 * heap[0 .. near_len) is a 4-ary min-heap (the near heap) ordered by the
 * total order (time, priority, sequence); heap[near_len .. heap_len) is an
 * unordered far region, and every near key is below split_key and every far
 * key at or above it. So the near root is always the earliest event. Every
 * entry owns exactly one slot in slots[], which holds the handler, its
 * arguments and the sequence number; a slot goes back to the free list only
 * when its entry leaves the queue. A slot whose fn is NULL while its entry
 * is still queued is a cancelled event (lazy cancellation): it is dropped
 * when it reaches the root, or earlier by compaction, which runs as soon as
 * cancelled entries outnumber live ones, so memory stays proportional to the
 * peak number of pending events whatever the schedule/cancel pattern.
 *
 * Why two parts: up to SMALL_QUEUE entries everything is near (split_key is
 * "infinity") and this is a plain heap. A large heap spends its time on
 * cache misses in its bottom levels; with a far region, an event scheduled
 * beyond split_key costs one append, and when the near heap runs dry one
 * sequential pass moves the earliest 1/NEAR_SHARE of the far region into it
 * (a sampled split key; the estimate affects speed only, never order).
 * Measured on the hold model at 100,000 pending (tests/bench/bench_engine.c),
 * this is about 25% faster than one big heap, and identical below 4096.
 *
 * Layout, chosen by measurement: entries are 16 bytes (time key, priority,
 * slot) and the array is placed so that the four children of a node share
 * one 64-byte cache line; the sequence number lives in the slot and is read
 * only to break a tie of both time and priority. Times are compared as
 * integers (see time_key) and the smaller of two children is selected
 * without a branch: which child wins is a coin toss, and mispredicted
 * branches, not comparisons, were the cost of a level. 4-ary measured
 * ahead of binary and 8-ary. Sift-up and sift-down move a hole.
 *
 * While a handler runs, the entry of the event being fired still sits at
 * the root ("spent root"). If the handler schedules a near event, the new
 * entry replaces the root and sinks: one sift-down instead of a sift-down
 * for the pop plus a sift-up for the push (the hold pattern, pop one and
 * push one, is the common case of a simulation).
 *
 * Handles are (generation << 32 | slot). A slot's generation is bumped
 * each time the slot is taken, so a handle names one event for ever; a
 * slot whose generation would wrap is retired instead of reused (it costs
 * 40 bytes per 4 billion events), so no stale handle can ever cancel a
 * later event. Generations survive osim_engine_reset for the same reason.
 */
#include "outagesim/engine.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/error.h"

#define ARITY 4
#define NO_SLOT UINT32_MAX
#define MAX_SLOTS (UINT32_MAX - 1u)
#define INITIAL_CAP 64u
#define SMALL_QUEUE 4096u /* up to this many entries, all are in the near heap */
#define NEAR_MAX 16384u /* a near heap above this is split (unless mostly ties) */
#define NEAR_SHARE 16u /* a refill moves about 1/NEAR_SHARE of the queue into the near heap */
#define SAMPLES 64u
#define LINE 64u

typedef struct heap_entry {
    uint64_t t_key; /* the bits of the time (>= +0.0): integer order is time order */
    int32_t priority;
    uint32_t slot;
} heap_entry;

typedef struct slot {
    osim_event_fn fn; /* NULL: cancelled (entry still in the heap) or free */
    void *subject;
    void *object;
    uint64_t seq;       /* insertion sequence, for FIFO among equal (time, priority) */
    uint32_t gen;       /* generation of the current or last occupant; 0: never used */
    uint32_t next_free; /* free-list link while free */
} slot;

struct osim_engine {
    heap_entry *heap; /* inside heap_raw, placed so that every sibling group is one cache line */
    void *heap_raw;   /* what the allocator returned */
    slot *slots;
    size_t heap_len; /* near heap and far region together */
    size_t near_len; /* heap[0 .. near_len) is the near heap */
    size_t heap_cap;
    uint64_t split_key; /* near keys < split_key <= far keys */
    size_t near_limit;  /* split the near heap when it grows past this */
    size_t ncancelled; /* heap entries whose slot has fn == NULL (not counting a spent root) */
    uint32_t nslots;   /* slots ever used: slots[0 .. nslots) */
    uint32_t slot_cap;
    uint32_t free_head;
    int root_spent; /* heap[0] is the event being fired: logically removed */
    int running;
    int stop;
    double now_h;
    uint64_t next_seq;
    uint64_t fired;
    osim_trace_fn trace;
    void *trace_ud;
    osim_alloc_fn alloc;
    void *alloc_ud;
};

static void *default_alloc(void *ud, void *ptr, size_t size)
{
    (void)ud;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, size);
}

/*
 * Times are finite and >= +0.0 (the clock starts at 0 and never goes back),
 * and for such doubles the IEEE bit patterns, read as unsigned integers,
 * sort in the same order as the values. Integer compares are shorter on the
 * critical path of a sift than floating ones. Adding +0.0 turns -0.0
 * (which passes t_h >= 0) into +0.0, whose bits are 0.
 */
static inline uint64_t time_key(double t_h)
{
    uint64_t k;

    t_h += 0.0;
    memcpy(&k, &t_h, sizeof(k));
    return k;
}

static inline double key_time(uint64_t k)
{
    double t_h;

    memcpy(&t_h, &k, sizeof(t_h));
    return t_h;
}

/* a fires before b. Sequence numbers are unique, so this is a total order. */
static inline int entry_less(const slot *slots, heap_entry a, heap_entry b)
{
    if (a.t_key != b.t_key)
        return a.t_key < b.t_key;
    if (a.priority != b.priority)
        return a.priority < b.priority;
    return slots[a.slot].seq < slots[b.slot].seq;
}

/* Move the hole at i up until x fits, then put x there. */
static inline void sift_up(heap_entry *heap, const slot *slots, size_t i, heap_entry x)
{
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!entry_less(slots, x, heap[parent]))
            break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = x;
}

/* The tie-break of entry_less, kept out of line: exact time ties are rare. */
static int tie_less(const slot *slots, heap_entry a, heap_entry b)
{
    if (a.priority != b.priority)
        return a.priority < b.priority;
    return slots[a.slot].seq < slots[b.slot].seq;
}

/*
 * The index of the earlier of heap[a] and heap[b]. Written so that the
 * compiler selects with a conditional move: which child is smaller is a coin
 * toss, and a mispredicted branch per heap level costs more than the level's
 * memory traffic. Only an exact time tie takes a (predictable) branch.
 */
static inline size_t pick(const heap_entry *heap, const slot *slots, size_t a, size_t b)
{
    uint64_t ta = heap[a].t_key, tb = heap[b].t_key;

    if (__builtin_expect(ta == tb, 0))
        return tie_less(slots, heap[b], heap[a]) ? b : a;
    return a ^ ((a ^ b) & -(size_t)(tb < ta));
}

/* Move the hole at i down (heap of n entries) until x fits, then put x there. */
static inline void sift_down(heap_entry *heap, const slot *slots, size_t n, size_t i,
                             heap_entry x)
{
    for (;;) {
        size_t first = ARITY * i + 1, best, c;

        if (first + ARITY <= n) {
            /* A full sibling group: a tournament, two compares deep. */
            best = pick(heap, slots, pick(heap, slots, first, first + 1),
                        pick(heap, slots, first + 2, first + 3));
        } else if (first < n) {
            best = first;
            for (c = first + 1; c < n; c++)
                best = pick(heap, slots, best, c);
        } else {
            break;
        }
        if (!entry_less(slots, heap[best], x))
            break;
        if (i == 0) /* heap[best] becomes the root: fetch its slot for the run loop */
            __builtin_prefetch(&slots[heap[best].slot]);
        heap[i] = heap[best];
        i = best;
    }
    heap[i] = x;
}

/* Floyd's bottom-up construction of the near heap: O(n). */
static void heapify(osim_engine *e)
{
    size_t i, n = e->near_len;

    if (n < 2)
        return;
    for (i = (n - 2) / ARITY + 1; i-- > 0;)
        sift_down(e->heap, e->slots, n, i, e->heap[i]);
}

/*
 * Remove the near root and return the index of the hole it leaves at the
 * end of the near heap; the far region still starts right after it. The
 * caller fills the hole (with a far entry) or closes it (fill_hole).
 */
static inline size_t near_pop(osim_engine *e)
{
    size_t n = --e->near_len;

    if (n > 0)
        sift_down(e->heap, e->slots, n, 0, e->heap[n]);
    return n;
}

/* Close the hole at h (between near and far) with the last far entry. */
static inline void fill_hole(osim_engine *e, size_t h)
{
    e->heap_len--;
    if (e->heap_len > h)
        e->heap[h] = e->heap[e->heap_len];
}

/* Partition heap[0 .. n): keys below split first. Returns their count; *min_key gets the least key. */
static size_t partition(heap_entry *heap, size_t n, uint64_t split, uint64_t *min_key)
{
    size_t i, k = 0;
    uint64_t m = UINT64_MAX;

    for (i = 0; i < n; i++) {
        uint64_t key = heap[i].t_key;
        m = key < m ? key : m;
        if (key < split) {
            heap_entry tmp = heap[k];
            heap[k++] = heap[i];
            heap[i] = tmp;
        }
    }
    *min_key = m;
    return k;
}

/*
 * A split key that leaves about `want` of the n entries below it, from the
 * keys of SAMPLES entries at fixed, evenly spaced positions (deterministic).
 * Only speed depends on the estimate, never order.
 */
static uint64_t sample_split(const heap_entry *heap, size_t n, size_t want)
{
    uint64_t key[SAMPLES];
    size_t i, j, rank;

    for (i = 0; i < SAMPLES; i++) {
        uint64_t k = heap[i * n / SAMPLES + n / (2 * SAMPLES)].t_key;
        for (j = i; j > 0 && key[j - 1] > k; j--)
            key[j] = key[j - 1];
        key[j] = k;
    }
    rank = want * SAMPLES / n;
    if (rank < 1)
        rank = 1;
    if (rank > SAMPLES - 1)
        rank = SAMPLES - 1;
    return key[rank];
}

/* Split the near heap at a key that keeps about `want` of its n entries near. */
static void split_near(osim_engine *e, size_t want)
{
    size_t n = e->near_len, k;
    uint64_t split, min_key;

    split = sample_split(e->heap, n, want);
    k = partition(e->heap, n, split, &min_key);
    if (k == 0) {
        /* The sample missed the low tail: keep every entry at the least time. */
        split = min_key + 1;
        k = partition(e->heap, n, split, &min_key);
    }
    /* Keys only fall, so the far region stays at or above the new split. */
    if (split < e->split_key)
        e->split_key = split;
    e->near_len = k;
    /* Many equal times can keep the near heap big: do not split it again at once. */
    e->near_limit = 2 * k > NEAR_MAX ? 2 * k : NEAR_MAX;
    heapify(e);
}

/*
 * The near heap ran dry: rebuild it from the far region, which is then the
 * whole queue. A small queue becomes one plain heap.
 */
static void refill(osim_engine *e)
{
    size_t n = e->heap_len;

    e->near_len = n;
    if (n <= SMALL_QUEUE) {
        e->split_key = UINT64_MAX;
        e->near_limit = NEAR_MAX;
        heapify(e);
        return;
    }
    e->split_key = UINT64_MAX;
    split_near(e, n / NEAR_SHARE);
}

static inline void release_slot(osim_engine *e, uint32_t idx)
{
    slot *s = &e->slots[idx];

    s->fn = NULL;
    if (s->gen == UINT32_MAX)
        return; /* retired: reusing it would let an old handle match again */
    s->next_free = e->free_head;
    e->free_head = idx;
}

/*
 * Drop every cancelled entry (and a spent root) and rebuild the near heap in
 * O(n), keeping near entries near and far ones far. Order is total, so
 * layout changes cannot change firing order.
 */
static void compact(osim_engine *e)
{
    size_t i = 0, j = 0, near_end = e->near_len;

    if (e->root_spent) {
        i = 1; /* its slot was released when it fired */
        e->root_spent = 0;
    }
    for (; i < e->heap_len; i++) {
        uint32_t idx = e->heap[i].slot;
        if (i == near_end)
            e->near_len = j;
        if (e->slots[idx].fn == NULL)
            release_slot(e, idx);
        else
            e->heap[j++] = e->heap[i];
    }
    if (near_end >= e->heap_len)
        e->near_len = j;
    e->heap_len = j;
    e->ncancelled = 0;
    heapify(e);
}

/* Grow an array of *cap elements of size sz geometrically. 0 or OSIM_ENOMEM (unchanged). */
static int grow(osim_engine *e, void **arr, size_t *cap, size_t sz, size_t max)
{
    size_t ncap = *cap < INITIAL_CAP ? INITIAL_CAP : *cap * 2;
    void *p;

    if (*cap >= max)
        return OSIM_ENOMEM;
    if (ncap > max)
        ncap = max;
    if (ncap > SIZE_MAX / sz)
        return OSIM_ENOMEM;
    p = e->alloc(e->alloc_ud, *arr, ncap * sz);
    if (p == NULL)
        return OSIM_ENOMEM;
    *arr = p;
    *cap = ncap;
    return 0;
}

/*
 * Where the heap array starts inside a block at raw: the children of node i,
 * heap[ARITY*i+1 .. ARITY*i+ARITY], must start on a cache-line boundary, so
 * &heap[1] is aligned to LINE bytes. The block has LINE spare bytes for it.
 */
static heap_entry *heap_view(void *raw)
{
    uintptr_t first = (uintptr_t)raw + sizeof(heap_entry);

    first = (first + (LINE - 1)) & ~(uintptr_t)(LINE - 1);
    return (heap_entry *)(first - sizeof(heap_entry));
}

/* Double the heap's capacity. 0 or OSIM_ENOMEM (then nothing changed). */
static int grow_heap(osim_engine *e)
{
    size_t cap = e->heap_cap < INITIAL_CAP ? INITIAL_CAP : e->heap_cap * 2;
    size_t old_off = (size_t)((char *)e->heap - (char *)e->heap_raw);
    size_t new_off;
    void *raw;

    if (cap > (SIZE_MAX - LINE) / sizeof(heap_entry) || cap > (size_t)MAX_SLOTS + 1)
        return OSIM_ENOMEM;
    raw = e->alloc(e->alloc_ud, e->heap_raw, cap * sizeof(heap_entry) + LINE);
    if (raw == NULL)
        return OSIM_ENOMEM;
    /* realloc kept the bytes at the old offset; the new block may want another. */
    new_off = (size_t)((char *)heap_view(raw) - (char *)raw);
    if (e->heap_raw != NULL && new_off != old_off)
        memmove((char *)raw + new_off, (char *)raw + old_off, e->heap_len * sizeof(heap_entry));
    e->heap_raw = raw;
    e->heap = heap_view(raw);
    e->heap_cap = cap;
    return 0;
}

int osim_engine_new(osim_engine **out, osim_alloc_fn alloc, void *alloc_ud)
{
    osim_engine *e;

    if (alloc == NULL) {
        alloc = default_alloc;
        alloc_ud = NULL;
    }
    e = alloc(alloc_ud, NULL, sizeof(*e));
    if (e == NULL)
        return OSIM_ENOMEM;
    *e = (osim_engine){0};
    e->free_head = NO_SLOT;
    e->split_key = UINT64_MAX;
    e->near_limit = NEAR_MAX;
    e->alloc = alloc;
    e->alloc_ud = alloc_ud;
    *out = e;
    return 0;
}

void osim_engine_free(osim_engine *e)
{
    if (e == NULL)
        return;
    if (e->heap_raw != NULL)
        e->alloc(e->alloc_ud, e->heap_raw, 0);
    if (e->slots != NULL)
        e->alloc(e->alloc_ud, e->slots, 0);
    e->alloc(e->alloc_ud, e, 0);
}

void osim_engine_reset(osim_engine *e)
{
    uint32_t i;

    e->heap_len = 0;
    e->near_len = 0;
    e->split_key = UINT64_MAX;
    e->near_limit = NEAR_MAX;
    e->ncancelled = 0;
    e->root_spent = 0;
    e->stop = 0;
    e->now_h = 0.0;
    e->next_seq = 0;
    e->fired = 0;
    /*
     * Every slot becomes free but keeps its generation, so handles from the
     * previous replication stay stale. Ascending order keeps slot numbers,
     * and so handle values, reproducible.
     */
    e->free_head = NO_SLOT;
    for (i = e->nslots; i-- > 0;) {
        e->slots[i].fn = NULL;
        if (e->slots[i].gen != UINT32_MAX) {
            e->slots[i].next_free = e->free_head;
            e->free_head = i;
        }
    }
}

double osim_engine_now(const osim_engine *e)
{
    return e->now_h;
}

size_t osim_engine_pending(const osim_engine *e)
{
    return e->heap_len - e->ncancelled - (size_t)e->root_spent;
}

uint64_t osim_engine_fired(const osim_engine *e)
{
    return e->fired;
}

/*
 * Put x into the queue (room has been made). A spent root is replaced by x
 * when x belongs to the near heap, else removed, and x takes the hole.
 */
static inline void insert(osim_engine *e, heap_entry x)
{
    if (x.t_key < e->split_key) {
        if (e->root_spent) {
            e->root_spent = 0;
            sift_down(e->heap, e->slots, e->near_len, 0, x);
            return;
        }
        if (e->heap_len > e->near_len) /* make room: the first far entry moves to the end */
            e->heap[e->heap_len] = e->heap[e->near_len];
        e->heap_len++;
        sift_up(e->heap, e->slots, e->near_len++, x);
        if (e->near_len > e->near_limit)
            split_near(e, e->near_len / 4); /* O(near_len), amortised over the growth */
    } else if (e->root_spent) {
        e->root_spent = 0;
        e->heap[near_pop(e)] = x;
    } else {
        e->heap[e->heap_len++] = x;
    }
}

int osim_engine_schedule_at(osim_engine *e, double t_h, int priority, osim_event_fn fn,
                            void *subject, void *object, osim_event_id *id_out)
{
    uint32_t idx;
    slot *s;
    heap_entry x;

    /* !(t_h >= now) also rejects NaN; an event at infinity could never be followed. */
    if (!(t_h >= e->now_h) || isinf(t_h) || fn == NULL)
        return OSIM_EINVAL;
    /* Make room first, so that a failure leaves the engine as it was. */
    if (!e->root_spent && e->heap_len == e->heap_cap && grow_heap(e) != 0)
        return OSIM_ENOMEM;
    if (e->free_head == NO_SLOT && e->nslots == e->slot_cap) {
        size_t cap = e->slot_cap;
        void *arr = e->slots;
        if (grow(e, &arr, &cap, sizeof(slot), MAX_SLOTS) != 0)
            return OSIM_ENOMEM;
        e->slots = arr;
        e->slot_cap = (uint32_t)cap;
    }

    if (e->free_head != NO_SLOT) {
        idx = e->free_head;
        e->free_head = e->slots[idx].next_free;
    } else {
        idx = e->nslots++;
        e->slots[idx].gen = 0;
    }
    s = &e->slots[idx];
    s->fn = fn;
    s->subject = subject;
    s->object = object;
    s->seq = e->next_seq++;
    s->gen++;

    x.t_key = time_key(t_h);
    x.priority = priority;
    x.slot = idx;
    insert(e, x);
    if (id_out != NULL)
        *id_out = (uint64_t)s->gen << 32 | idx;
    return 0;
}

int osim_engine_schedule_in(osim_engine *e, double delay_h, int priority, osim_event_fn fn,
                            void *subject, void *object, osim_event_id *id_out)
{
    if (!(delay_h >= 0.0))
        return OSIM_EINVAL;
    return osim_engine_schedule_at(e, e->now_h + delay_h, priority, fn, subject, object, id_out);
}

int osim_engine_cancel(osim_engine *e, osim_event_id id)
{
    uint32_t idx = (uint32_t)id, gen = (uint32_t)(id >> 32);
    slot *s;

    if (gen == 0 || idx >= e->nslots)
        return 0;
    s = &e->slots[idx];
    if (s->gen != gen || s->fn == NULL)
        return 0;
    s->fn = NULL;
    e->ncancelled++;
    if (e->ncancelled > (e->heap_len - (size_t)e->root_spent) / 2)
        compact(e);
    return 1;
}

int osim_engine_run(osim_engine *e, double until_h)
{
    if (!(until_h >= e->now_h) || e->running)
        return OSIM_EINVAL;
    e->running = 1;
    e->stop = 0;
    while (e->heap_len > 0) {
        heap_entry top;
        slot *s;
        osim_event_fn fn;
        void *subject, *object;
        double t_h;
        size_t c;

        if (e->near_len == 0)
            refill(e);
        top = e->heap[0];
        s = &e->slots[top.slot];
        /*
         * One of the root's children fires next (unless the handler
         * schedules an earlier event): fetching their slots now hides a
         * cache miss per event when the slot array is large.
         */
        for (c = 1; c < 1 + ARITY && c < e->near_len; c++)
            __builtin_prefetch(&e->slots[e->heap[c].slot]);
        fn = s->fn;

        if (fn == NULL) {
            /* Cancelled: discard lazily. */
            e->ncancelled--;
            release_slot(e, top.slot);
            fill_hole(e, near_pop(e));
            continue;
        }
        t_h = key_time(top.t_key);
        if (t_h > until_h)
            break;
        assert(t_h >= e->now_h);
        subject = s->subject;
        object = s->object;
        release_slot(e, top.slot); /* fired: a cancel from the handler is a no-op */
        e->now_h = t_h;
        e->fired++;
        if (e->trace != NULL)
            e->trace(e->trace_ud, t_h, top.priority, fn, subject, object);
        e->root_spent = 1;
        fn(e, subject, object);
        if (e->root_spent) {
            e->root_spent = 0;
            fill_hole(e, near_pop(e));
        }
        if (e->stop) {
            e->stop = 0;
            e->running = 0;
            return OSIM_ESTOPPED;
        }
    }
    if (isfinite(until_h))
        e->now_h = until_h;
    e->running = 0;
    return 0;
}

void osim_engine_stop(osim_engine *e)
{
    if (e->running)
        e->stop = 1;
}

void osim_engine_set_trace(osim_engine *e, osim_trace_fn fn, void *ud)
{
    e->trace = fn;
    e->trace_ud = fn != NULL ? ud : NULL;
}
