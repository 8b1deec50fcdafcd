/*
 * comp_int.h -- internal: the parameter structs of the compensation models
 * and the helpers they share. Not part of the public API.
 *
 * Each model lives in sim/comp_<model>.c and exports one table entry,
 * osim__comp_<model>, registered in sim/comp/registry.c. The loader binds a
 * policy's `params:` into the model's struct with its schema (so the layout
 * below is the schema's target), then calls the model's validate hook. Tests
 * fill these structs directly.
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
 *   replication (zero rows included), so statistics per class line up.
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

/* ------------------------------------------------------------ goodwill_package */

typedef struct osim_comp_goodwill_item {
    char *name;
    int64_t retail_krw;         /* face value of one unit */
    double first_n;             /* only the first N recipients get it; 0 = all */
    double take_up;             /* share of recipients who redeem it */
    double marginal_cost_share; /* cost to the operator per won of redeemed face value */
} osim_comp_goodwill_item;

typedef struct osim_comp_goodwill_params {
    double recipients;       /* people offered the package; 0 = population.users */
    bool affected_only;      /* cap recipients at the distinct users affected */
    double trigger_outage_h; /* given only if some user was out this long in one stretch */
    osim_comp_goodwill_item *items;
    size_t items_count;
} osim_comp_goodwill_params;

/* ------------------------------------------------------------ loss_brackets */

typedef struct osim_comp_bracket {
    char *label;       /* class name; NULL = "300,000 < loss <= 500,000 won" */
    int64_t up_to_krw; /* upper edge, inclusive; 0 = open-ended (last bracket only) */
    int64_t pay_krw;   /* flat payment per claimant */
    double share;      /* plus this share of the claimant's verified loss */
    int64_t cap_krw;   /* per-claimant cap on flat + share; 0 = none */
    double approval;   /* share of the bracket's claims approved */
} osim_comp_bracket;

typedef struct osim_comp_loss_brackets_params {
    size_t *segments; /* empty = all */
    size_t segments_count;
    osim_comp_bracket *brackets; /* ascending up_to */
    size_t brackets_count;
    double trigger_outage_h; /* offered only if a covered business was out this long */
} osim_comp_loss_brackets_params;

/* ------------------------------------------------------------ flat_credit */

typedef struct osim_comp_flat_credit_params {
    int per;   /* OSIM_COMP_PER_* */
    int basis; /* OSIM_COMP_BASIS_*; CLAIMANTS only for businesses */
    int64_t amount_krw;
    size_t *segments; /* per business; empty = all */
    size_t segments_count;
    size_t *services; /* per user or subscriber */
    size_t services_count;
    double take_up;          /* share of the credit actually used: cost = face value x take_up */
    double trigger_outage_h; /* paid only if a covered recipient was out this long in one stretch */
} osim_comp_flat_credit_params;

/* ------------------------------------------------------------ fee_multiple */

typedef struct osim_comp_fee_multiple_params {
    size_t *services; /* empty = every paid service */
    size_t services_count;
    double min_outage_h;         /* longest continuous outage that triggers the multiple */
    double min_monthly_outage_h; /* or this much cumulative outage; 0 = no such rule */
    double multiple;             /* x the hourly fee for the outage hours */
    bool gross_negligence;       /* no threshold at all */
    double claim_rate;           /* share of entitled subscribers who claim */
    bool pro_rata_refund;        /* automatic refund of the fee for the outage hours */
    double month_h;              /* hours in the billing month (hourly fee = monthly / month_h) */
} osim_comp_fee_multiple_params;

/* ------------------------------------------------------------ service_extension */

typedef struct osim_comp_extension {
    char *name;       /* class name; NULL = the services' names */
    size_t *services; /* empty = every paid service */
    size_t services_count;
    double extend_h;           /* fixed extension */
    double multiple;           /* plus multiple x the band's outage hours */
    double min_daily_outage_h; /* only bands out at least this long on one day; 0 = any */
    int64_t value_krw;         /* value per subscriber; 0 = monthly fee x extension / month_h */
} osim_comp_extension;

typedef struct osim_comp_extension_params {
    osim_comp_extension *items;
    size_t items_count;
    double month_h;
    double cost_share;       /* cost to the operator per won of face value */
    double trigger_outage_h; /* an item only if a subscriber of its services was out this long */
} osim_comp_extension_params;

/* ------------------------------------------------------------ sla_credit */

typedef struct osim_comp_sla_tier {
    double below;  /* monthly availability strictly below this ... */
    double credit; /* ... earns this share of the monthly charge */
} osim_comp_sla_tier;

typedef struct osim_comp_sla_params {
    size_t *services; /* empty = every paid service */
    size_t services_count;
    osim_comp_sla_tier *tiers; /* descending `below`, non-decreasing `credit` */
    size_t tiers_count;
    double month_h;
    double claim_rate;
} osim_comp_sla_params;

/* ------------------------------------------------------------ duration_tiers */

enum { OSIM_COMP_MEASURE_CUMULATIVE = 0, OSIM_COMP_MEASURE_CONTINUOUS };

typedef struct osim_comp_duration_tier {
    char *label;        /* class name; NULL = "3-4 days" from the tier edges */
    double min_days;    /* whole days, >= 1 */
    int64_t amount_krw; /* per recipient */
    double fee_months;  /* plus this many monthly fees (subscribers only) */
} osim_comp_duration_tier;

typedef struct osim_comp_duration_params {
    int per;     /* OSIM_COMP_PER_* */
    int basis;   /* AFFECTED or CLAIMANTS (businesses) */
    int measure; /* OSIM_COMP_MEASURE_* */
    size_t *segments;
    size_t segments_count;
    size_t *services;
    size_t services_count;
    osim_comp_duration_tier *tiers; /* ascending min_days */
    size_t tiers_count;
    double claim_rate;
    double trigger_outage_h; /* paid only if a recipient was out this long in one stretch */
} osim_comp_duration_params;

/* ------------------------------------------------------------ civil_damages */

typedef struct osim_comp_civil_params {
    size_t *segments;
    size_t segments_count;
    double sue_share;         /* of a segment's claimants, how many sue */
    double ordinary_share;    /* share of lost profit that is ordinary loss (Art. 393(1)) */
    bool special_foreseeable; /* special loss recoverable too (Art. 393(2)) */
    double business_success;  /* probability a business claim is upheld */
    double comparative_fault; /* reduction for the claimant's own fault */
    double suing_users;       /* users who sue for consolation money */
    double suing_user_share;  /* plus this share of the distinct users affected */
    int64_t consolation_krw;  /* claimed per suing user */
    double user_success;      /* probability a user's claim is upheld */
} osim_comp_civil_params;

/* ------------------------------------------------------------ the models */

extern const osim_comp_model osim__comp_goodwill_package;
extern const osim_comp_model osim__comp_loss_brackets;
extern const osim_comp_model osim__comp_flat_credit;
extern const osim_comp_model osim__comp_fee_multiple;
extern const osim_comp_model osim__comp_service_extension;
extern const osim_comp_model osim__comp_sla_credit;
extern const osim_comp_model osim__comp_duration_tiers;
extern const osim_comp_model osim__comp_civil_damages;

/* ------------------------------------------------------------ helpers (comp_common.c) */

/*
 * Append a class to out (the name is cut to fit). out->claimants is left to
 * the caller (see "distinct claimants" above). Returns 0, or OSIM_EOVERFLOW
 * when OSIM_COMP_MAX_CLASSES are already used (validate hooks bound the
 * number of classes a policy can make, so this is an internal error).
 */
int osim__comp_class(osim_comp_result *out, const char *name, double claimants, double amount_krw);

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

/* "300,000" style text of a won amount into buf; returns buf. */
char *osim__comp_won(char *buf, size_t n, int64_t krw);

/*
 * OSIM_EINVAL unless im is a usable impact: a scenario, and service and
 * segment arrays whenever the scenario has services and segments.
 */
int osim__comp_check_impact(const osim_impact *im);

#endif
