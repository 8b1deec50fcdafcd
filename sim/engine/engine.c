/*
 * engine.c -- the discrete-event engine: clock, pending-event set, run/stop.
 *
 * Invariant: the pending set is split by time into three tiers, each holding
 * only later keys than the one before:
 *   near   heap[0 .. near_len): a 4-ary min-heap in the total order
 *          (time, priority, sequence), every key below split_key;
 *   rung   buckets cur .. nb-1, each an unordered list, bucket j holding
 *          exactly the keys in [thr[j], thr[j+1]), with thr[cur] == split_key;
 *   top    an unordered list of keys at or above thr[nb] (the rung's end),
 *          or above split_key when there is no rung.
 * So the near root is always the earliest event. When the near heap runs
 * dry it takes the next non-empty bucket, sorted when that is cheap (a
 * sorted array is a heap that pops by one increment, see take_bucket) and
 * heapified otherwise; when the rung runs dry
 * it is rebuilt from top, with a bucket width sampled so that the densest
 * buckets hold about BUCKET_TARGET events. This is the ladder queue of Tang,
 * Goh and Thng (2005) with one rung and a heap in place of its sorted bottom
 * list: an event is appended to a bucket in O(1), moved a few times, and
 * ordered only within a small heap, so the cost per event hardly grows with
 * the number pending, where one big heap pays a cache miss per level.
 * A queue starts as a plain heap (split_key = "infinity"), and splits its
 * later part off to top only when the heap outgrows near_limit. Ties and
 * priorities are always ordered by the heap, never by bucket layout; a
 * bucket full of ties is just a bigger heap. Bucket boundaries are keys
 * (thr[]), so rounding in the bucket arithmetic can cost a step, never order.
 *
 * Every entry owns exactly one slot in slots[], which holds the handler and
 * its arguments (the sequence number is in seqs[]); a slot goes back to the
 * free list only when its entry leaves the queue. A slot whose fn is NULL
 * while its entry is queued is a cancelled event (lazy cancellation): it is
 * dropped at the root, or by compaction, which runs as soon as cancelled
 * entries outnumber live ones, so memory stays proportional to the peak
 * number of pending events whatever the schedule/cancel pattern.
 *
 * No allocation happens outside schedule: before each insert, the near array
 * can hold every queued entry and the chunk pool every list (need_chunks),
 * so taking a bucket or rebuilding the rung inside run cannot fail.
 *
 * Layout, chosen by measurement (tests/bench/bench_engine.c, hold model):
 * entries are 16 bytes (time key, priority, slot) and the heap array is
 * placed so that the four children of a node share one 64-byte cache line;
 * slots are 32 bytes, also line-aligned, and the sequence number, read only
 * to break a tie of both time and priority, lives apart. Times are compared
 * as integers (see time_key) and the smaller of two children is selected
 * without a branch: which child wins is a coin toss, and mispredicted
 * branches, not comparisons, were the cost of a level. 4-ary measured ahead
 * of binary and 8-ary; slots of the events about to fire are prefetched.
 * Sift-up and sift-down move a hole. Lists are chains of 256-byte chunks
 * from one pool. With 100,000 events pending this runs the hold model
 * about 2.4 times as fast as the same code kept as one heap (21 M against
 * 9 M events/s on the 2-core development machine).
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
#define NO_CHUNK UINT32_MAX
#define MAX_SLOTS (UINT32_MAX - 1u)
#define INITIAL_CAP 64u
#define SMALL_QUEUE 4096u  /* up to this many entries, all are in the near heap */
#define NEAR_MAX 16384u    /* a near heap above this is split (unless mostly ties) */
#define BUCKET_TARGET 128u /* entries per bucket aimed at when building a rung */
#define MAX_BUCKETS 2048u
#define CHUNK_ENTRIES 15u
#define SAMPLES 64u
#define RUN_MAX 512u /* a bucket up to this size may be sorted instead of heapified */
#define RUN_CLUMP 8u /* ... unless this many entries share a sub-range */
#define LINE 64u

typedef struct heap_entry {
    uint64_t t_key; /* the bits of the time (>= +0.0): integer order is time order */
    int32_t priority;
    uint32_t slot;
} heap_entry;

/*
 * 32 bytes, in a cache-line-aligned array: firing an event touches one line.
 * The insertion sequence, needed only to break ties, is kept apart in seqs[].
 */
typedef struct slot {
    osim_event_fn fn; /* NULL: cancelled (entry still queued) or free */
    void *subject;
    void *object;
    uint32_t gen;       /* generation of the current or last occupant; 0: never used */
    uint32_t next_free; /* free-list link while free */
} slot;

/*
 * A piece of a list. Every chunk of a list but its tail is full, so the
 * list's length says how full the tail is, and a push touches only the
 * line it writes (not a count in the chunk's header).
 */
typedef struct chunk {
    uint32_t next;
    uint32_t pad[3]; /* 16-byte header: the chunk is 256 bytes */
    heap_entry e[CHUNK_ENTRIES];
} chunk;

typedef struct clist {
    uint32_t head, tail; /* NO_CHUNK when empty */
    size_t n;
} clist;

struct osim_engine {
    heap_entry *heap;      /* near heap: heap_base, or past it while a sorted run is popped */
    heap_entry *heap_base; /* inside heap_raw, placed so that sibling groups are cache lines */
    void *heap_raw;        /* what the allocator returned */
    int near_sorted;       /* the near heap is a sorted run: pop by advancing heap */
    size_t near_len;
    size_t heap_cap;
    size_t queued;      /* entries in all three tiers, cancelled ones included */
    size_t ncancelled;  /* queued entries whose slot has fn == NULL (not a spent root) */
    size_t near_limit;  /* split the near heap when it grows past this */
    uint64_t split_key; /* near keys < split_key <= rung and top keys */

    chunk *chunks;
    uint32_t nchunks; /* chunks ever used: chunks[0 .. nchunks) */
    uint32_t chunk_cap;
    uint32_t free_chunk;
    uint32_t nb;  /* buckets in the rung (0: no rung) */
    uint32_t cur; /* next bucket to take */
    double rung_start_h;
    double rung_inv_width; /* buckets per hour */
    clist top;
    clist bucket[MAX_BUCKETS];
    uint64_t thr[MAX_BUCKETS + 1];

    slot *slots;     /* inside slots_raw, aligned to a cache line */
    uint64_t *seqs;  /* seqs[i]: insertion sequence of slot i's event (same block) */
    void *slots_raw; /* what the allocator returned */
    uint32_t nslots; /* slots ever used: slots[0 .. nslots) */
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
static inline int entry_less(const uint64_t *seqs, heap_entry a, heap_entry b)
{
    if (a.t_key != b.t_key)
        return a.t_key < b.t_key;
    if (a.priority != b.priority)
        return a.priority < b.priority;
    return seqs[a.slot] < seqs[b.slot];
}

/* Move the hole at i up until x fits, then put x there. */
static inline void sift_up(heap_entry *heap, const uint64_t *seqs, size_t i, heap_entry x)
{
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!entry_less(seqs, x, heap[parent]))
            break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = x;
}

/* The tie-break of entry_less, kept out of line: exact time ties are rare. */
static int tie_less(const uint64_t *seqs, heap_entry a, heap_entry b)
{
    if (a.priority != b.priority)
        return a.priority < b.priority;
    return seqs[a.slot] < seqs[b.slot];
}

/*
 * The index of the earlier of heap[a] and heap[b]. Written so that the
 * compiler selects with a conditional move: which child is smaller is a coin
 * toss, and a mispredicted branch per heap level costs more than the level's
 * memory traffic. Only an exact time tie takes a (predictable) branch.
 */
static inline size_t pick(const heap_entry *heap, const uint64_t *seqs, size_t a, size_t b)
{
    uint64_t ta = heap[a].t_key, tb = heap[b].t_key;

    if (__builtin_expect(ta == tb, 0))
        return tie_less(seqs, heap[b], heap[a]) ? b : a;
    return a ^ ((a ^ b) & -(size_t)(tb < ta));
}

/* Move the hole at i down (heap of n entries) until x fits, then put x there. */
static inline void sift_down(heap_entry *heap, const uint64_t *seqs, const slot *slots, size_t n,
                             size_t i, heap_entry x)
{
    for (;;) {
        size_t first = ARITY * i + 1, best, c;

        if (first + ARITY <= n) {
            /* A full sibling group: a tournament, two compares deep. */
            best = pick(heap, seqs, pick(heap, seqs, first, first + 1),
                        pick(heap, seqs, first + 2, first + 3));
        } else if (first < n) {
            best = first;
            for (c = first + 1; c < n; c++)
                best = pick(heap, seqs, best, c);
        } else {
            break;
        }
        if (!entry_less(seqs, heap[best], x))
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
        sift_down(e->heap, e->seqs, e->slots, n, i, e->heap[i]);
}

/* Partition heap[0 .. n): keys below split first. Returns their count; *min_key gets the least key.
 */
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

static inline void release_slot(osim_engine *e, uint32_t idx)
{
    slot *s = &e->slots[idx];

    s->fn = NULL;
    if (s->gen == UINT32_MAX)
        return; /* retired: reusing it would let an old handle match again */
    s->next_free = e->free_head;
    e->free_head = idx;
}

/* Remove the near root (its slot already dealt with). */
static inline void near_pop(osim_engine *e)
{
    size_t n = --e->near_len;

    e->queued--;
    if (e->near_sorted) {
        e->heap++; /* what is left of a sorted array is sorted, so still a heap */
        return;
    }
    if (n > 0)
        sift_down(e->heap, e->seqs, e->slots, n, 0, e->heap[n]);
}

/* Move the near heap back to the start of its array (after sorted pops). */
static void near_rebase(osim_engine *e)
{
    if (e->heap != e->heap_base) {
        memmove(e->heap_base, e->heap, e->near_len * sizeof(heap_entry));
        e->heap = e->heap_base;
    }
}

/* ------------------------------------------------------------ chunk lists */

static inline uint32_t chunk_take(osim_engine *e)
{
    uint32_t c = e->free_chunk;

    /* need_chunks() guarantees a chunk: the pool was sized before the insert. */
    if (c != NO_CHUNK) {
        e->free_chunk = e->chunks[c].next;
    } else {
        assert(e->nchunks < e->chunk_cap);
        c = e->nchunks++;
    }
    e->chunks[c].next = NO_CHUNK;
    return c;
}

static inline void chunk_give(osim_engine *e, uint32_t c)
{
    e->chunks[c].next = e->free_chunk;
    e->free_chunk = c;
}

static const clist empty_list = {NO_CHUNK, NO_CHUNK, 0};

/* Entries in chunk c of list l. */
static inline uint32_t chunk_count(const clist *l, uint32_t c)
{
    return c == l->tail ? (uint32_t)((l->n - 1) % CHUNK_ENTRIES) + 1 : CHUNK_ENTRIES;
}

static inline void list_push(osim_engine *e, clist *l, heap_entry x)
{
    uint32_t pos = (uint32_t)(l->n % CHUNK_ENTRIES);

    if (pos == 0) {
        uint32_t c = chunk_take(e);
        if (l->tail == NO_CHUNK)
            l->head = c;
        else
            e->chunks[l->tail].next = c;
        l->tail = c;
    }
    e->chunks[l->tail].e[pos] = x;
    l->n++;
}

/* Move every entry of l to the end of the near array, freeing l's chunks. */
static void list_to_near(osim_engine *e, clist *l)
{
    uint32_t c = l->head;

    while (c != NO_CHUNK) {
        chunk *k = &e->chunks[c];
        uint32_t next = k->next, i, count = chunk_count(l, c);
        for (i = 0; i < count; i++) {
            e->heap[e->near_len++] = k->e[i];
            /* Bring its slot in now: it fires within about BUCKET_TARGET events. */
            __builtin_prefetch(&e->slots[k->e[i].slot]);
        }
        chunk_give(e, c);
        c = next;
    }
    *l = empty_list;
}

/* Drop cancelled entries from l in place, freeing the chunks left empty. */
static void list_filter(osim_engine *e, clist *l)
{
    uint32_t rc, wc = l->head, wi = 0, c;
    size_t kept = 0;

    for (rc = l->head; rc != NO_CHUNK; rc = e->chunks[rc].next) {
        uint32_t i, count = chunk_count(l, rc);
        for (i = 0; i < count; i++) {
            heap_entry x = e->chunks[rc].e[i];
            if (e->slots[x.slot].fn == NULL) {
                release_slot(e, x.slot);
                continue;
            }
            if (wi == CHUNK_ENTRIES) {
                /* The writer never passes the reader: it has kept <= read entries. */
                wc = e->chunks[wc].next;
                wi = 0;
            }
            e->chunks[wc].e[wi++] = x;
            kept++;
        }
    }
    if (kept == 0) {
        for (c = l->head; c != NO_CHUNK;) {
            uint32_t next = e->chunks[c].next;
            chunk_give(e, c);
            c = next;
        }
        *l = empty_list;
        return;
    }
    for (c = e->chunks[wc].next; c != NO_CHUNK;) {
        uint32_t next = e->chunks[c].next;
        chunk_give(e, c);
        c = next;
    }
    e->chunks[wc].next = NO_CHUNK;
    l->tail = wc;
    l->n = kept;
}

/* ------------------------------------------------------------ tiers */

/* The bucket of a key in [thr[cur], thr[nb]): arithmetic guess, then exact by thresholds. */
static inline uint32_t bucket_of(const osim_engine *e, uint64_t key)
{
    double f = (key_time(key) - e->rung_start_h) * e->rung_inv_width;
    uint32_t j = f >= (double)e->cur ? (f < (double)e->nb ? (uint32_t)f : e->nb - 1) : e->cur;

    while (j > e->cur && key < e->thr[j])
        j--;
    while (j + 1 < e->nb && key >= e->thr[j + 1])
        j++;
    return j;
}

/*
 * Make bucket l the near heap. A bucket of up to RUN_MAX entries whose keys
 * spread out is sorted instead of heapified: a sorted array is a heap, and
 * while nothing is inserted before its end, popping it is one increment
 * instead of a sift. The sort is a counting pass into about one sub-range
 * per entry (monotone in the key, so it never misorders), then an insertion
 * sort that orders ties in full (priority, sequence) and moves an entry at
 * most within its sub-range; a sub-range of more than RUN_CLUMP entries
 * (ties, clusters) means the heap is cheaper, and it is used instead.
 */
static void take_bucket(osim_engine *e, clist *l)
{
    uint16_t count[RUN_MAX + 1];
    size_t b = l->n, i, j;
    heap_entry *run, *tmp;
    uint64_t kmin = UINT64_MAX, kmax = 0;
    double scale;
    uint32_t c;

    e->heap = e->heap_base;
    e->near_sorted = 0;
    if (b < 2 || b > RUN_MAX || 2 * b > e->heap_cap) {
        list_to_near(e, l);
        heapify(e);
        return;
    }
    /* Gather the bucket just above where the run will be. */
    run = e->heap_base;
    tmp = run + b;
    i = 0;
    for (c = l->head; c != NO_CHUNK;) {
        chunk *k = &e->chunks[c];
        uint32_t next = k->next, m, cnt = chunk_count(l, c);
        for (m = 0; m < cnt; m++, i++) {
            uint64_t key = k->e[m].t_key;
            tmp[i] = k->e[m];
            kmin = key < kmin ? key : kmin;
            kmax = key > kmax ? key : kmax;
            /* Bring its slot in now: it fires within about BUCKET_TARGET events. */
            __builtin_prefetch(&e->slots[k->e[m].slot]);
        }
        chunk_give(e, c);
        c = next;
    }
    *l = empty_list;
    e->near_len = b;
    scale = (double)b / ((double)(kmax - kmin) + 1.0);
    memset(count, 0, (b + 1) * sizeof(count[0]));
    for (i = 0; i < b; i++) {
        size_t s = (size_t)((double)(tmp[i].t_key - kmin) * scale);
        s = s < b ? s : b - 1;
        if (++count[s + 1] > RUN_CLUMP) {
            memcpy(run, tmp, b * sizeof(*run));
            heapify(e);
            return;
        }
    }
    for (i = 1; i <= b; i++)
        count[i] = (uint16_t)(count[i] + count[i - 1]);
    for (i = 0; i < b; i++) {
        size_t s = (size_t)((double)(tmp[i].t_key - kmin) * scale);
        s = s < b ? s : b - 1;
        run[count[s]++] = tmp[i];
    }
    for (i = 1; i < b; i++) {
        heap_entry x = run[i];
        for (j = i; j > 0 && entry_less(e->seqs, x, run[j - 1]); j--)
            run[j] = run[j - 1];
        run[j] = x;
    }
    e->near_sorted = 1;
}

/*
 * The near heap ran dry: take the next non-empty bucket, rebuilding the
 * rung from top when it is spent. Leaves the near heap non-empty if any
 * entry is queued.
 */
static void refill(osim_engine *e)
{
    uint64_t min_key = UINT64_MAX, max_key = 0, sample[SAMPLES];
    uint32_t c, j, nb;
    size_t stride, ns, g;
    double start_h, width_h, span_h;
    clist src;

    for (;;) {
        while (e->cur < e->nb && e->bucket[e->cur].n == 0)
            e->cur++;
        if (e->cur < e->nb) {
            take_bucket(e, &e->bucket[e->cur]);
            e->cur++;
            e->split_key = e->thr[e->cur];
            e->near_limit = 2 * e->near_len > NEAR_MAX ? 2 * e->near_len : NEAR_MAX;
            return;
        }
        if (e->top.n == 0)
            return; /* nothing queued */

        /* Rebuild the rung over top: its key range and a sample of its keys. */
        stride = e->top.n / SAMPLES > 0 ? e->top.n / SAMPLES : 1;
        ns = 0;
        g = 0;
        for (c = e->top.head; c != NO_CHUNK; c = e->chunks[c].next)
            for (j = 0; j < chunk_count(&e->top, c); j++, g++) {
                uint64_t k = e->chunks[c].e[j].t_key;
                min_key = k < min_key ? k : min_key;
                max_key = k > max_key ? k : max_key;
                if (g % stride == 0 && ns < SAMPLES) {
                    size_t m;
                    for (m = ns++; m > 0 && sample[m - 1] > k; m--)
                        sample[m] = sample[m - 1];
                    sample[m] = k;
                }
            }
        e->nb = e->cur = 0;
        if (e->top.n <= SMALL_QUEUE || min_key == max_key) {
            /* Small, or all at one time: one heap orders them (ties included). */
            e->split_key = e->top.n <= SMALL_QUEUE ? UINT64_MAX : max_key + 1;
            e->heap = e->heap_base;
            e->near_sorted = 0;
            list_to_near(e, &e->top);
            e->near_limit = 2 * e->near_len > NEAR_MAX ? 2 * e->near_len : NEAR_MAX;
            heapify(e);
            return;
        }
        /*
         * Bucket width: about BUCKET_TARGET entries where keys are densest.
         * Pending times usually thin out with distance from now, so the
         * lowest eighth of the sample gives the density that matters. When
         * MAX_BUCKETS such buckets do not reach max, the rung stops short
         * and the rest stays in top for the next rebuild.
         */
        start_h = key_time(min_key);
        span_h = key_time(max_key) - start_h;
        width_h = (key_time(sample[SAMPLES / 8]) - start_h) * BUCKET_TARGET * SAMPLES /
                  ((double)(SAMPLES / 8) * (double)e->top.n);
        if (!(width_h > 0.0) || !isfinite(width_h))
            width_h = span_h / MAX_BUCKETS; /* a tie at the low end: it fills bucket 0 */
        if (span_h / width_h < (double)MAX_BUCKETS) {
            nb = (uint32_t)(span_h / width_h) + 1;
            e->thr[nb] = max_key + 1;
        } else {
            nb = MAX_BUCKETS;
            e->thr[nb] = time_key(start_h + nb * width_h);
            if (e->thr[nb] <= min_key)
                e->thr[nb] = min_key + 1; /* progress: bucket 0 takes at least the least key */
            if (e->thr[nb] > max_key)
                e->thr[nb] = max_key + 1;
        }
        e->rung_start_h = start_h;
        e->rung_inv_width = 1.0 / width_h; /* may be inf for a tiny range: bucket_of copes */
        e->thr[0] = min_key;
        for (j = 1; j < nb; j++) {
            uint64_t k = time_key(start_h + j * width_h);
            k = k < e->thr[j - 1] ? e->thr[j - 1] : k;
            e->thr[j] = k < e->thr[nb] ? k : e->thr[nb];
        }
        e->nb = nb;
        e->split_key = min_key;
        /* Distribute top into the buckets, freeing its chunks as they empty. */
        src = e->top;
        e->top = empty_list;
        for (c = src.head; c != NO_CHUNK;) {
            uint32_t next = e->chunks[c].next;
            for (j = 0; j < chunk_count(&src, c); j++) {
                heap_entry x = e->chunks[c].e[j];
                if (x.t_key < e->thr[nb])
                    list_push(e, &e->bucket[bucket_of(e, x.t_key)], x);
                else
                    list_push(e, &e->top, x);
            }
            chunk_give(e, c);
            c = next;
        }
    }
}

/*
 * The near heap grew past its limit (many events scheduled before
 * split_key): keep about a quarter of it near and move the rest, and the
 * rung, to top. O(near_len + rung), amortised by the limit doubling.
 */
static void split_near(osim_engine *e)
{
    size_t n = e->near_len, k, i;
    uint64_t split, min_key;
    uint32_t j;

    near_rebase(e);
    e->near_sorted = 0;
    split = sample_split(e->heap, n, n / 4);
    k = partition(e->heap, n, split, &min_key);
    if (k == 0) {
        /* The sample missed the low tail: keep every entry at the least time. */
        split = min_key + 1;
        k = partition(e->heap, n, split, &min_key);
    }
    if (k == n) {
        e->near_limit = 2 * n; /* all at one time: nothing to split off */
        heapify(e);
        return;
    }
    for (j = e->cur; j < e->nb; j++) {
        clist b = e->bucket[j];
        uint32_t c;
        e->bucket[j] = empty_list;
        for (c = b.head; c != NO_CHUNK;) {
            uint32_t next = e->chunks[c].next, m;
            for (m = 0; m < chunk_count(&b, c); m++)
                list_push(e, &e->top, e->chunks[c].e[m]);
            chunk_give(e, c);
            c = next;
        }
    }
    e->nb = e->cur = 0;
    for (i = k; i < n; i++)
        list_push(e, &e->top, e->heap[i]);
    e->near_len = k;
    e->split_key = split;
    e->near_limit = 2 * k > NEAR_MAX ? 2 * k : NEAR_MAX;
    heapify(e);
}

/*
 * Drop every cancelled entry (and a spent root) from all tiers, O(n).
 * Order is total, so layout changes cannot change firing order.
 */
static void compact(osim_engine *e)
{
    size_t i = 0, j = 0;
    uint32_t b;

    if (e->root_spent) {
        i = 1; /* its slot was released when it fired */
        e->root_spent = 0;
        e->queued--;
    }
    /* Filtering in place keeps a sorted run sorted. */
    for (; i < e->near_len; i++) {
        uint32_t idx = e->heap[i].slot;
        if (e->slots[idx].fn == NULL)
            release_slot(e, idx);
        else
            e->heap[j++] = e->heap[i];
    }
    e->near_len = j;
    e->queued = j;
    near_rebase(e);
    for (b = e->cur; b < e->nb; b++) {
        list_filter(e, &e->bucket[b]);
        e->queued += e->bucket[b].n;
    }
    list_filter(e, &e->top);
    e->queued += e->top.n;
    e->ncancelled = 0;
    heapify(e);
}

/* ------------------------------------------------------------ memory */

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
 * Chunks that the lists may need with n entries queued: full chunks for the
 * entries, plus one partly filled chunk per list (MAX_BUCKETS buckets and
 * top). Below SMALL_QUEUE there are no lists at all.
 */
static size_t need_chunks(size_t n)
{
    if (n <= SMALL_QUEUE)
        return 0;
    return n / CHUNK_ENTRIES + MAX_BUCKETS + 8;
}

static int grow_chunks(osim_engine *e, size_t need)
{
    size_t cap = e->chunk_cap;
    void *arr = e->chunks;

    while (cap < need) {
        if (grow(e, &arr, &cap, sizeof(chunk), NO_CHUNK - 1u) != 0)
            return OSIM_ENOMEM;
        e->chunks = arr;
        e->chunk_cap = (uint32_t)cap;
    }
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
        memmove((char *)raw + new_off, (char *)raw + old_off, e->near_len * sizeof(heap_entry));
    e->heap_raw = raw;
    e->heap = e->heap_base = heap_view(raw); /* also undoes a sorted run's advance */
    e->heap_cap = cap;
    return 0;
}

/*
 * Double the slot capacity. One block holds the slots, aligned to a cache
 * line, then the sequence numbers. 0 or OSIM_ENOMEM (then nothing changed).
 */
static int grow_slots(osim_engine *e)
{
    size_t cap = e->slot_cap < INITIAL_CAP ? INITIAL_CAP : (size_t)e->slot_cap * 2;
    size_t per = sizeof(slot) + sizeof(uint64_t), old_off = 0, new_off;
    uintptr_t first;
    char *raw, *base;

    if (e->slot_cap >= MAX_SLOTS)
        return OSIM_ENOMEM;
    if (cap > MAX_SLOTS)
        cap = MAX_SLOTS;
    if (cap > (SIZE_MAX - LINE) / per)
        return OSIM_ENOMEM;
    if (e->slots_raw != NULL)
        old_off = (size_t)((char *)e->slots - (char *)e->slots_raw);
    raw = e->alloc(e->alloc_ud, e->slots_raw, cap * per + LINE);
    if (raw == NULL)
        return OSIM_ENOMEM;
    first = ((uintptr_t)raw + (LINE - 1)) & ~(uintptr_t)(LINE - 1);
    new_off = (size_t)(first - (uintptr_t)raw);
    base = raw + new_off;
    if (e->slots_raw != NULL) {
        /* realloc kept the old layout at old_off: move the sequences out first. */
        memmove(base + cap * sizeof(slot), raw + old_off + (size_t)e->slot_cap * sizeof(slot),
                (size_t)e->nslots * sizeof(uint64_t));
        memmove(base, raw + old_off, (size_t)e->nslots * sizeof(slot));
    }
    e->slots_raw = raw;
    e->slots = (slot *)(void *)base;
    e->seqs = (uint64_t *)(void *)(base + cap * sizeof(slot));
    e->slot_cap = (uint32_t)cap;
    return 0;
}

int osim_engine_new(osim_engine **out, osim_alloc_fn alloc, void *alloc_ud)
{
    osim_engine *e;
    uint32_t j;

    if (alloc == NULL) {
        alloc = default_alloc;
        alloc_ud = NULL;
    }
    e = alloc(alloc_ud, NULL, sizeof(*e));
    if (e == NULL)
        return OSIM_ENOMEM;
    memset(e, 0, sizeof(*e));
    e->free_head = NO_SLOT;
    e->free_chunk = NO_CHUNK;
    e->split_key = UINT64_MAX;
    e->near_limit = NEAR_MAX;
    e->top = empty_list;
    for (j = 0; j < MAX_BUCKETS; j++)
        e->bucket[j] = empty_list;
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
    if (e->chunks != NULL)
        e->alloc(e->alloc_ud, e->chunks, 0);
    if (e->slots_raw != NULL)
        e->alloc(e->alloc_ud, e->slots_raw, 0);
    e->alloc(e->alloc_ud, e, 0);
}

void osim_engine_reset(osim_engine *e)
{
    uint32_t i;

    e->near_len = 0;
    e->heap = e->heap_base;
    e->near_sorted = 0;
    e->queued = 0;
    e->ncancelled = 0;
    e->near_limit = NEAR_MAX;
    e->split_key = UINT64_MAX;
    e->root_spent = 0;
    e->stop = 0;
    e->now_h = 0.0;
    e->next_seq = 0;
    e->fired = 0;
    /* Every chunk is free again; ascending order keeps the layout reproducible. */
    e->free_chunk = NO_CHUNK;
    for (i = e->nchunks; i-- > 0;)
        chunk_give(e, i);
    for (i = 0; i < e->nb; i++)
        e->bucket[i] = empty_list;
    e->nb = e->cur = 0;
    e->top = empty_list;
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
    return e->queued - e->ncancelled - (size_t)e->root_spent;
}

uint64_t osim_engine_fired(const osim_engine *e)
{
    return e->fired;
}

/*
 * Put x into its tier (room has been made). A spent root is replaced by x
 * when x is near, else popped first.
 */
static inline void insert(osim_engine *e, heap_entry x)
{
    if (x.t_key < e->split_key) {
        e->near_sorted = 0; /* still a heap, no longer sorted */
        if (e->root_spent) {
            e->root_spent = 0;
            sift_down(e->heap, e->seqs, e->slots, e->near_len, 0, x);
            return;
        }
        near_rebase(e); /* room after the heap */
        e->queued++;
        sift_up(e->heap, e->seqs, e->near_len++, x);
        if (e->near_len > e->near_limit)
            split_near(e);
        return;
    }
    if (e->root_spent) {
        e->root_spent = 0;
        near_pop(e);
    }
    e->queued++;
    if (e->cur < e->nb && x.t_key < e->thr[e->nb])
        list_push(e, &e->bucket[bucket_of(e, x.t_key)], x);
    else
        list_push(e, &e->top, x);
}

int osim_engine_schedule_at(osim_engine *e, double t_h, int priority, osim_event_fn fn,
                            void *subject, void *object, osim_event_id *id_out)
{
    uint32_t idx;
    slot *s;
    heap_entry x;
    size_t after = e->queued + 1 - (size_t)e->root_spent;

    /* !(t_h >= now) also rejects NaN; an event at infinity could never be followed. */
    if (!(t_h >= e->now_h) || isinf(t_h) || fn == NULL)
        return OSIM_EINVAL;
    /*
     * Make room first, so that a failure leaves the engine as it was: the
     * near array can take every queued entry, the pool every list.
     */
    while (e->heap_cap < after)
        if (grow_heap(e) != 0)
            return OSIM_ENOMEM;
    if (e->chunk_cap < need_chunks(after) && grow_chunks(e, need_chunks(after)) != 0)
        return OSIM_ENOMEM;
    if (e->free_head == NO_SLOT && e->nslots == e->slot_cap && grow_slots(e) != 0)
        return OSIM_ENOMEM;

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
    e->seqs[idx] = e->next_seq++;
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
    if (e->ncancelled > (e->queued - (size_t)e->root_spent) / 2)
        compact(e);
    return 1;
}

int osim_engine_run(osim_engine *e, double until_h)
{
    if (!(until_h >= e->now_h) || e->running)
        return OSIM_EINVAL;
    e->running = 1;
    e->stop = 0;
    while (e->queued > 0) {
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
            near_pop(e);
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
            near_pop(e);
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
