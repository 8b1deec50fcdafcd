/*
 * engine.h -- the discrete-event engine: a simulated clock and a pending-event set.
 *
 * The engine knows nothing of fires, services or money. An event is a
 * handler called with a subject and an object at a simulated time. Events
 * are ordered by (time, priority, insertion sequence): equal times fire in
 * priority order (lower first), and equal priorities in the order they were
 * scheduled, so a run never depends on heap layout.
 *
 * Time is a double, in hours since the origin (for outagesim: ignition).
 * Why hours as a double, not integer seconds: the models draw durations
 * from continuous distributions that span seconds (detection) to weeks
 * (equipment replacement), every output is in hours, and a double holds a
 * time of ten years to better than a microsecond. Determinism does not
 * suffer: IEEE arithmetic is exact-repeatable, and ties are broken by the
 * sequence number, never by rounding.
 *
 * Thread-safety: an engine is an object with no global state; different
 * engines may run on different threads at once. One engine is used by one
 * thread at a time.
 */
#ifndef OUTAGESIM_ENGINE_H
#define OUTAGESIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

typedef struct osim_engine osim_engine;

/* A handler. subject and object are borrowed pointers passed at scheduling. */
typedef void (*osim_event_fn)(osim_engine *e, void *subject, void *object);

/*
 * A handle to a scheduled event, for cancelling. 0 is never a valid handle.
 * A handle stays safe to use after its event fired or was cancelled:
 * cancelling it then is a no-op.
 */
typedef uint64_t osim_event_id;

/* Called before each event fires, when set. Costs one branch when unset. */
typedef void (*osim_trace_fn)(void *ud, double t_h, int priority, osim_event_fn fn, void *subject,
                              void *object);

/*
 * The allocator: realloc semantics (ptr NULL allocates, size 0 frees and
 * returns NULL). NULL for both means the C library's realloc/free.
 */
typedef void *(*osim_alloc_fn)(void *ud, void *ptr, size_t size);

/*
 * Create an engine with the clock at 0. alloc may be NULL (C library).
 * Returns 0 or OSIM_ENOMEM; *out is set only on success.
 */
int osim_engine_new(osim_engine **out, osim_alloc_fn alloc, void *alloc_ud);

/* Free an engine and every pending event. NULL is a no-op. */
void osim_engine_free(osim_engine *e);

/*
 * Drop every pending event and set the clock back to 0, keeping the memory
 * for the next replication (no allocation in steady state). Also clears a
 * stop request; the trace hook is kept.
 */
void osim_engine_reset(osim_engine *e);

/* The current simulated time, in hours. */
double osim_engine_now(const osim_engine *e);

/* The number of events pending (scheduled, not fired, not cancelled). */
size_t osim_engine_pending(const osim_engine *e);

/*
 * Schedule fn(e, subject, object) at absolute time t_h (hours) with the
 * given priority (lower fires first among equal times). t_h must not lie
 * before now and must be finite (not NaN, not infinite), and fn must not be
 * NULL: OSIM_EINVAL. Any int is a valid priority. id_out may be NULL.
 * Returns 0, OSIM_EINVAL or OSIM_ENOMEM (the engine is unchanged on error).
 * Memory grows here, geometrically, and is kept (across osim_engine_reset
 * too); nothing else in the engine allocates.
 */
int osim_engine_schedule_at(osim_engine *e, double t_h, int priority, osim_event_fn fn,
                            void *subject, void *object, osim_event_id *id_out);

/* Schedule after a delay of delay_h >= 0 hours from now. As schedule_at. */
int osim_engine_schedule_in(osim_engine *e, double delay_h, int priority, osim_event_fn fn,
                            void *subject, void *object, osim_event_id *id_out);

/*
 * Cancel a scheduled event. Returns 1 if it was pending and is now
 * cancelled, 0 if it had already fired or been cancelled (or id is 0).
 * O(1); the slot is reclaimed lazily.
 */
int osim_engine_cancel(osim_engine *e, osim_event_id id);

/*
 * Run events in order until none is pending, the next one lies after
 * until_h (those stay pending and the clock is set to until_h), or a
 * handler calls osim_engine_stop(). Pass INFINITY to run until empty.
 * With a finite until_h the clock ends at until_h also when the queue runs
 * dry first; with INFINITY it stays at the last event's time; when stopped
 * it stays at the stopping event's time. Returns 0, or OSIM_ESTOPPED if
 * stopped by a handler, or OSIM_EINVAL if until_h is NaN or before now, or
 * if called from a handler (runs do not nest).
 */
int osim_engine_run(osim_engine *e, double until_h);

/* Ask the running engine to return after the current handler. Outside a run: no effect. */
void osim_engine_stop(osim_engine *e);

/* Set or clear (fn NULL) the trace hook. */
void osim_engine_set_trace(osim_engine *e, osim_trace_fn fn, void *ud);

/* The number of events fired since creation or the last reset. */
uint64_t osim_engine_fired(const osim_engine *e);

#endif
