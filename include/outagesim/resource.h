/*
 * resource.h -- a pool of identical units (crews, staff) that requests wait for.
 *
 * The pattern is SimPy's PriorityResource: a resource has a capacity of
 * whole units; a request asks for some of them with a priority and is
 * granted when it reaches the head of the queue and its units are free; the
 * holder releases them when its work is done, which grants the next ones.
 * The resource knows nothing of fires or services: a model decides what a
 * unit is (a crew, a person) and what a request is for.
 *
 * Rules, all of them part of the contract:
 * - Units are whole (unsigned): staff and crews are counted, and whole
 *   numbers make "does it fit" exact, with no rounding tolerance.
 * - Order: lower priority number first (as in the engine: priority 0 is
 *   served before priority 1); equal priorities in request order (a
 *   sequence number that grows with every request, never an address).
 * - Strict order: the request at the head of the queue is granted first,
 *   and a head that does not fit in the free units blocks every request
 *   behind it, even smaller ones that would fit. Why: a large request is
 *   never starved by a stream of small ones; a request's grant time
 *   depends only on the units held and on the requests ahead of it, never
 *   on those behind it (with first fit, small requests behind could keep
 *   taking the units it waits for). This is also SimPy's PriorityResource.
 * - A grant is delivered through the engine: the request's handler is
 *   scheduled at the current simulated time with the event priority given
 *   at creation, so a grant made inside a handler (a release) is delivered
 *   after that handler returns, never re-entrantly. Units are taken when
 *   the grant is decided, so no later request can take them in between.
 *   Grants decided at one instant are delivered in grant order.
 * - Capacity can change at any time (shifts: the model schedules events
 *   that call osim_resource_set_capacity). Lowering it below the units in
 *   use takes nothing back: holders keep their units, and no request is
 *   granted until the units in use fall below the new capacity.
 *
 * Memory: requests live in a pool owned by the resource that grows
 * geometrically and is kept (also across osim_resource_reset), so in
 * steady state a request allocates nothing. Cancelling a waiting request
 * costs O(log n) in the number waiting; requesting and granting too.
 *
 * Thread-safety: as the engine it belongs to. One resource is used by one
 * thread at a time, with one engine; no global state.
 */
#ifndef OUTAGESIM_RESOURCE_H
#define OUTAGESIM_RESOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "outagesim/engine.h"

typedef struct osim_resource osim_resource;

/*
 * A handle to a request. 0 is never a valid handle. A handle names one
 * request for ever: once released or cancelled, passing it again is
 * harmless (cancel returns 0, release returns OSIM_EINVAL).
 */
typedef uint64_t osim_request_id;

/*
 * Create a resource of `capacity` units on engine e (borrowed: it must
 * outlive the resource). Grants are delivered as engine events of priority
 * event_priority. alloc may be NULL (the C library), as for the engine.
 * Returns 0 or OSIM_ENOMEM; *out is set only on success.
 */
int osim_resource_new(osim_resource **out, osim_engine *e, unsigned capacity, int event_priority,
                      osim_alloc_fn alloc, void *alloc_ud);

/* Free a resource. NULL is a no-op. Grant events still pending in the
 * engine are cancelled. */
void osim_resource_free(osim_resource *r);

/*
 * Drop every request (waiting, granted or held), set the capacity, and
 * restart the request sequence, keeping the memory: for the next
 * replication. Grant events still pending in the engine are cancelled (a
 * no-op when the engine was reset first, which is the usual order).
 */
void osim_resource_reset(osim_resource *r, unsigned capacity);

/*
 * Ask for `amount` units (1 .. capacity) at `priority` (lower first). When
 * granted, fn(e, subject, object) is called as an engine event at the time
 * of the grant (which may be now). id_out (may be NULL) receives the
 * handle, needed to release the units or cancel the request.
 * Returns 0; OSIM_EINVAL if amount is 0 or above the current capacity or fn
 * is NULL; OSIM_ENOMEM (the resource is unchanged then).
 */
int osim_resource_request(osim_resource *r, unsigned amount, int priority, osim_event_fn fn,
                          void *subject, void *object, osim_request_id *id_out);

/*
 * Withdraw a request whose handler has not been called yet: one waiting in
 * the queue, or one granted whose grant event has not fired (its units go
 * back and may be granted to others). Returns 1 if withdrawn, 0 if the
 * handler was already called, or the request was released or cancelled
 * before (or id is 0). Its handler will not be called.
 * May grant other requests: returns OSIM_ENOMEM if the engine cannot take
 * their grant events (they stay waiting, in order).
 */
int osim_resource_cancel(osim_resource *r, osim_request_id id);

/*
 * The holder of a granted request (its handler was called) gives its
 * units back; waiting requests that now fit are granted, in order.
 * Returns 0; OSIM_EINVAL if id is not a request whose handler was called
 * and that is not released yet; OSIM_ENOMEM as for cancel (the units are
 * back all the same).
 */
int osim_resource_release(osim_resource *r, osim_request_id id);

/*
 * Change the capacity (a shift starts or ends). Raising it grants waiting
 * requests that now fit; lowering it takes no units back from holders.
 * Waiting requests larger than the new capacity stay waiting (and, the
 * order being strict, block those behind them) until it is raised again.
 * Returns 0 or OSIM_ENOMEM as for cancel.
 */
int osim_resource_set_capacity(osim_resource *r, unsigned capacity);

/* The capacity, in units. */
unsigned osim_resource_capacity(const osim_resource *r);

/* Units taken by granted requests (delivered or about to be). May exceed
 * the capacity after it was lowered. */
unsigned osim_resource_in_use(const osim_resource *r);

/* The number of requests waiting (not granted). */
size_t osim_resource_waiting(const osim_resource *r);

#endif
