/*
 * params_int.h -- internal: the parameter structs of the compensation
 * models, one section per model. The loader binds a policy's `params:` into
 * its model's struct with the model's schema (so each layout is its
 * schema's target). Only the model's own file and the tests (which fill
 * these structs directly) include this header; the rest of the program
 * reaches a model through its table entry (compensation.h) alone.
 */
#ifndef OUTAGESIM_COMP_PARAMS_INT_H
#define OUTAGESIM_COMP_PARAMS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "comp/comp_int.h"

/* ------------------------------------------------------------ goodwill_package */

typedef struct osim_comp_goodwill_item {
    char *name;
    int64_t retail_krw;         /* face value of one unit */
    double first_n;             /* only the first N recipients get it; 0 = all */
    double take_up;             /* share of recipients who redeem it */
    double marginal_cost_share; /* cost to the operator per won of redeemed face value */
} osim_comp_goodwill_item;

typedef struct osim_comp_goodwill_params {
    char *recipients;        /* "population", "affected" or a count; NULL = "population" */
    double trigger_outage_h; /* given only if some user was out this long in one stretch */
    osim_comp_goodwill_item *items;
    size_t items_count;
} osim_comp_goodwill_params;

/* ------------------------------------------------------------ loss_brackets */

typedef struct osim_comp_bracket {
    char *label;         /* class name; NULL = "300,000 < loss <= 500,000 won" */
    int64_t up_to_krw;   /* upper edge, inclusive; 0 = open-ended (last bracket only) */
    int64_t pay_krw;     /* flat payment per claimant */
    double share;        /* plus this share of the claimant's verified loss */
    int64_t cap_krw;     /* per-claimant cap on flat + share; 0 = none */
    double approval;     /* share of the bracket's claims approved */
    int64_t floor_krw;   /* paid on a claim that is not approved; <= the pay at the lower edge */
    double claim_weight; /* relative propensity to claim in this bracket; 0 = 1 */
} osim_comp_bracket;

typedef struct osim_comp_loss_brackets_params {
    size_t *segments; /* empty = all */
    size_t segments_count;
    osim_comp_bracket *brackets; /* ascending up_to */
    size_t brackets_count;
    double trigger_outage_h; /* offered only if a covered business was out this long */
} osim_comp_loss_brackets_params;

/*
 * The expected payment to one claimant whose verified loss is loss_krw:
 * approval x min(pay + share x loss, cap) + (1 - approval) x floor in its
 * bracket, 0 above a closed last bracket. Tests check presets with it.
 */
double osim__comp_brackets_expected_krw(const osim_comp_loss_brackets_params *p, double loss_krw);

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

#endif
