/*
 * impact.h -- from availability timelines to people and money.
 *
 * The cost of computing an impact does not depend on how many users or
 * businesses there are: people are never simulated one by one. Instead:
 *
 * Bands. When a service (or the set of services a business needs) is at
 * availability a(t), we assume a fixed a(t)-share of its users is served:
 * users are ranked v in [0,1) once (by shard, by cache placement) and user
 * v is out exactly when v >= a(t). Users whose v falls between two
 * consecutive distinct availability levels share one outage history, so a
 * timeline with k distinct levels splits the users into at most k bands,
 * each with a share, a cumulative outage, a longest continuous outage, a
 * worst day and a profile-weighted number of lost hours. Subscriber
 * compensation (fee multiples, SLA tiers) and business losses are computed
 * per band.
 *
 * Loss per business. A business in band b with mean hourly revenue R loses
 * L = R * lost_h_b, where lost_h_b is the band's lost hours weighted by the
 * segment's hour-of-day and weekday revenue profile and multiplied by
 * (1 - substitution - deferred). R is drawn across businesses from the
 * segment's hourly_revenue_krw distribution, so the distribution of L over
 * affected businesses is a mixture over bands of scaled copies of R's; its
 * CDF and partial means are computed exactly, in closed form for every
 * distribution kind, clamps included (sim/model/dist_drawn.c). Compensation
 * brackets read them.
 */
#ifndef OUTAGESIM_IMPACT_H
#define OUTAGESIM_IMPACT_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "outagesim/replay.h"
#include "outagesim/scenario.h"

#define OSIM_IMPACT_MAX_BANDS 32

/* A group of users or businesses sharing one outage history. */
typedef struct osim_band {
    double share;       /* share of the service's users (or segment's businesses), (0,1] */
    double outage_h;    /* cumulative hours out */
    double longest_h;   /* longest continuous outage, hours */
    double worst_day_h; /* most hours out within one local calendar day */
    double lost_h;      /* businesses: profile-weighted lost hours (see above); users: = outage_h */
} osim_band;

typedef struct osim_service_impact {
    double user_hours_lost;       /* active users x share x unavailability, integrated */
    double peak_affected;         /* max over time of active users affected */
    double affected;              /* distinct users of this service who were out at some time */
    double subscriber_hours_lost; /* paid: subscribers x outage hours */
    osim_band bands[OSIM_IMPACT_MAX_BANDS]; /* users with an outage, by history */
    size_t bands_count;
} osim_service_impact;

typedef struct osim_segment_impact {
    const osim_segment *seg;
    double affected;                        /* businesses with any outage */
    double claimants;                       /* of those, how many file a claim (sampled) */
    double revenue_loss_krw;                /* after substitution and deferral */
    double lost_profit_krw;                 /* revenue_loss_krw x margin */
    osim_band bands[OSIM_IMPACT_MAX_BANDS]; /* affected businesses, by history; shares sum to 1 */
    size_t bands_count;
} osim_segment_impact;

typedef struct osim_impact {
    const osim_scenario *sc;
    const osim_replay_result *replay;
    double peak_affected;     /* distinct users out at the worst moment */
    double user_hours_lost;   /* distinct-user hours: a user out of five services counts once */
    double distinct_affected; /* distinct users out at some time */
    osim_service_impact *services;                                             /* services_count */
    osim_segment_impact *segments;                                             /* segments_count */
    double sb_affected, sb_revenue_loss_krw, sb_lost_profit_krw, sb_claimants; /* sums */
} osim_impact;

int osim_impact_new(const osim_scenario *sc, osim_impact **out);
void osim_impact_free(osim_impact *im);

/*
 * Compute the impact of one replay. rng is the replication's impact stream
 * (used only to sample claimant counts); it may be NULL, and claimants are
 * then their expectation, round(affected) x claim_rate. Allocates nothing;
 * costs O(services x (breakpoints + hours of horizon)), whatever the
 * population. Returns 0, or OSIM_EINVAL for a replay of another scenario
 * (service count, horizon) or a malformed timeline (t_h[0] != 0, times
 * decreasing, availability outside [0,1]).
 */
int osim_impact_compute(osim_impact *im, const osim_replay_result *replay, gsl_rng *rng);

/* The share of a segment's affected businesses whose loss is <= x won. */
double osim_segment_loss_cdf(const osim_segment_impact *si, double x_krw);

/*
 * The mean over the segment's affected businesses of L * [lo < L <= hi]
 * (won): multiply by a count of businesses to get the total loss in (lo,hi].
 */
double osim_segment_loss_partial(const osim_segment_impact *si, double lo_krw, double hi_krw);

/* Active users at hour t_h after ignition (population x hourly x weekly profile). */
double osim_active_users(const osim_scenario *sc, double t_h);

#endif
