/*
 * populations.h -- model's interface for the modules above it: the share of
 * all users out when the users of some services are disjoint or nested
 * (`populations:`, populations.c). Included by impact.c (the distinct users'
 * totals) and by results (series.c: distinct users at each grid point),
 * which must count the same people. Not public API.
 *
 * A fold keeps every service's availability and answers the share of
 * population.users out, under the rule of docs/model.md ("Distinct
 * users"): a changed availability costs O(log services), the answer O(1),
 * and the answer depends on the availabilities alone, not on the order in
 * which they were set. Not thread-safe: one fold per thread.
 */
#ifndef OUTAGESIM_MODEL_POPULATIONS_H
#define OUTAGESIM_MODEL_POPULATIONS_H

#include <stddef.h>

#include "outagesim/scenario.h"

typedef struct osim__populations osim__populations;

/*
 * The fold of sc's populations, every service at availability 1, in *out;
 * *out is NULL when sc has no group other than `independent` ones (then
 * the product of impact.h's rule is the whole story and callers keep it).
 * sc is borrowed and must outlive the fold. Returns 0, OSIM_EINVAL (a
 * service index out of range, a service in two groups) or OSIM_ENOMEM.
 */
int osim__populations_new(const osim_scenario *sc, osim__populations **out);
void osim__populations_free(osim__populations *p);

/* Service k is now at availability a in [0, 1]. O(log services). */
void osim__populations_set(osim__populations *p, size_t k, double a);

/* Every service k at availability avail[k] (services_count entries). O(services). */
void osim__populations_load(osim__populations *p, const double *avail);

/* The share of population.users out now, in [0, 1]. */
double osim__populations_out(const osim__populations *p);

#endif
