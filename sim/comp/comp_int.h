/*
 * comp_int.h -- internal: what the compensation models share (the table
 * entries, conventions and helpers). Not part of the public API. Their
 * parameter structs are in comp/params_int.h, for the model files and the
 * tests only: no other code knows a model's name or its parameters.
 *
 * Each model lives in sim/comp/<model>.c and exports one table entry,
 * osim__comp_<model>, registered in sim/comp/registry.c. The loader binds a
 * policy's `params:` into the model's struct with its schema, then calls
 * the model's validate hook; a run asks its declare hook for the classes
 * and plot marks it emits.
 *
 * Conventions shared by every model:
 * - Service and segment lists are REFS: names in the file, indices here,
 *   resolved by the loader, so an unknown name is a load error at its
 *   file:line:col. An empty list means "all": every segment, or every paid
 *   service with subscribers.
 * - Subscribers of a service are spread over its outage bands like its
 *   users: band b holds subscribers x share_b of them.
 * - Duration thresholds compare with a tolerance of OSIM_COMP_EPS_H, so
 *   that an outage computed as 1.9999999999 h from floating event times
 *   counts as the 2 h it is.
 * - Every model writes the same classes, in the same order, in every
 *   replication (zero rows included), so statistics per class line up:
 *   exactly those its declare hook gives from the parameters and the
 *   scenario. A model names each class with one helper used by both, so
 *   the two cannot drift; a run still checks every evaluation against the
 *   declaration (sim/mc/mc.c) rather than mislabel a column.
 * - out->claimants is the number of distinct claimants (or recipients),
 *   which is the sum over classes when classes are disjoint; where one
 *   person sits in several classes (a package of items, a refund paid
 *   alongside a fee multiple) the model documents what it counts.
 */
#ifndef OUTAGESIM_COMP_INT_H
#define OUTAGESIM_COMP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/compensation.h"
#include "outagesim/money.h"

/* Tolerance on durations in hours (3.6 microseconds). */
#define OSIM_COMP_EPS_H 1e-9
/* Tolerance on availabilities (1e-12 of a 720 h month is 2.6 ns). */
#define OSIM_COMP_EPS_AVAIL 1e-12

/* Who a per-head amount is paid to. */
enum { OSIM_COMP_PER_BUSINESS = 0, OSIM_COMP_PER_USER, OSIM_COMP_PER_SUBSCRIBER };
extern const char *const osim__comp_per_names[]; /* "business", "user", "subscriber" */

/* Which businesses or people count. */
enum { OSIM_COMP_BASIS_AFFECTED = 0, OSIM_COMP_BASIS_ALL, OSIM_COMP_BASIS_CLAIMANTS };
extern const char *const osim__comp_basis_names[]; /* "affected", "all", "claimants" */

/* ------------------------------------------------------------ the models */

extern const osim_comp_model osim__comp_goodwill_package;
extern const osim_comp_model osim__comp_loss_brackets;
extern const osim_comp_model osim__comp_flat_credit;
extern const osim_comp_model osim__comp_fee_multiple;
extern const osim_comp_model osim__comp_service_extension;
extern const osim_comp_model osim__comp_sla_credit;
extern const osim_comp_model osim__comp_duration_tiers;
extern const osim_comp_model osim__comp_civil_damages;

/* ------------------------------------------------------------ helpers (common.c) */

/*
 * Append a class name to a declaration, cut to fit exactly as
 * osim__comp_class cuts it, so that a model can name its classes once for
 * both. Returns 0, or OSIM_EOVERFLOW when OSIM_COMP_MAX_CLASSES are used.
 */
int osim__comp_declare_class(osim_comp_shape *out, const char *name);

/* Append a plot mark (whole won). Returns 0, or OSIM_EOVERFLOW when full. */
int osim__comp_declare_mark(osim_comp_shape *out, int64_t krw);

/*
 * Append a class to out (the name is cut to fit). out->claimants is left to
 * the caller (see "distinct claimants" above). Returns 0, or OSIM_EOVERFLOW
 * when OSIM_COMP_MAX_CLASSES are already used (validate hooks bound the
 * number of classes a policy can make, so this is an internal error).
 */
int osim__comp_class(osim_comp_result *out, const char *name, double claimants, double amount_krw);

/*
 * Bounds for osim_comp_shape.max_total_krw (declare hooks), from the
 * scenario alone. An outage never outlasts the horizon, band shares of a
 * service or segment sum to at most 1, and profile-weighted lost hours are
 * at most the horizon times the segment's peak hour x peak weekday.
 */

/* Largest loss of one business of segment g in one replication (won):
 * the top of its hourly revenue distribution x horizon x profile peak;
 * INFINITY when the revenue distribution has no top (lognormal, normal). */
double osim__comp_business_loss_max_krw(const osim_scenario *sc, size_t g);

/* Largest lost profit of the whole of segment g in one replication (won):
 * count x mean revenue x horizon x profile peak x margin. Finite. */
double osim__comp_segment_profit_max_krw(const osim_scenario *sc, size_t g);

/* Whether index i is in list (an empty list selects everything). */
bool osim__comp_selected(const size_t *list, size_t n, size_t i);

/*
 * Whether service i is a target of a subscriber model: in list if the list
 * is non-empty, otherwise any paid service with subscribers.
 */
bool osim__comp_service_selected(const osim_scenario *sc, const size_t *list, size_t n, size_t i);

/* Whole days of an outage of h hours: ceil(h / 24), so 24 h is 1 day and 24.01 h is 2. */
double osim__comp_days(double h);

/*
 * Triggers. A voluntary scheme made after one long outage (Kakao 2022, KT
 * 2018) is offered only for an outage long enough to be of its kind: the
 * `trigger_outage` parameter of a model. It is a property of the incident,
 * not of each recipient: once reached, every recipient the model counts is
 * paid as the scheme says. The outage looked at is always the longest
 * continuous outage (osim_band.longest_h) of the people or businesses the
 * policy pays: some band of theirs out at least trigger_h in one stretch,
 * with OSIM_COMP_EPS_H of tolerance, so an outage of exactly trigger_h
 * counts. A trigger of 0 (the default everywhere) always fires, even with
 * nobody out; the model's own counts then make zero affected pay zero.
 */

/* Whether some band of bands[0..n) was out at least trigger_h in one stretch. */
bool osim__comp_bands_reach(const osim_band *bands, size_t n, double trigger_h);

/* Trigger over every service: some service's users were out trigger_h in one stretch. */
bool osim__comp_triggered(const osim_impact *im, double trigger_h);

/*
 * Trigger over businesses: some business of a covered segment (list, empty
 * = all) was out trigger_h in one stretch. A segment's bands are the
 * outage of the services its businesses need, taken together.
 */
bool osim__comp_segments_triggered(const osim_impact *im, double trigger_h, const size_t *list,
                                   size_t n);

/*
 * Trigger over services: some user of a covered service was out trigger_h
 * in one stretch. Covered: osim__comp_service_selected when paid_only
 * (subscriber models: an empty list is every paid service), else
 * osim__comp_selected (an empty list is every service).
 */
bool osim__comp_services_triggered(const osim_impact *im, double trigger_h, const size_t *list,
                                   size_t n, bool paid_only);

/* Sum of band shares, clamped to [0, 1]. */
double osim__comp_bands_share(const osim_band *bands, size_t n);

/* An amount of the scenario's currency for a class name into buf
 * (osim_money_text: "300,000 won", "€300,000"); sc NULL: KRW. Returns buf. */
char *osim__comp_money(char *buf, size_t n, int64_t amount, const osim_scenario *sc);

/*
 * OSIM_EINVAL unless im is a usable impact: a scenario, and service and
 * segment arrays whenever the scenario has services and segments.
 */
int osim__comp_check_impact(const osim_impact *im);

#endif
