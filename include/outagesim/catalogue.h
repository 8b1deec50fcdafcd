/*
 * catalogue.h -- the risk of a catalogue of incidents (`incidents:`,
 * scenario.h), from one run of each incident against every design.
 *
 * A catalogue run replays every incident k of the scenario (its view,
 * osim_scenario_incident_view) with the same seed, the same replication
 * range and the same designs; each run's result is incident k's event loss
 * table: the distribution of every metric over the replications. This
 * layer turns those tables into the risk of a year (risk.h): one year loss
 * table for the whole catalogue (Poisson counts of each incident per year,
 * each occurrence a replication drawn from that incident's), then per
 * design and per loss measure the average annual loss, the aggregate and
 * occurrence exceedance curves, the losses at return periods and the tail
 * value at risk. The measures are the operator's cost of an incident
 * (incident_cost_money: lost revenue plus counted compensation) and the
 * total of each compensation policy (compensation.<policy>.total_money).
 *
 * The year table draws from its own streams (risk.h), so adding it changed
 * no replication's draws; it holds replication indices, so every design and
 * every measure is summarised over the same years (common random numbers).
 *
 * Lifecycle: run the incidents, osim_catalogue_summarise, then (once the
 * per-incident tables are written, if they are) osim_catalogue_apply to
 * the first incident's result, which becomes the run's document: its
 * economics are then the catalogue's and its `catalogue` points here.
 * Free with osim_catalogue_free after the results that point to it.
 */
#ifndef OUTAGESIM_CATALOGUE_H
#define OUTAGESIM_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

#include "outagesim/error.h"
#include "outagesim/result.h"
#include "outagesim/risk.h"
#include "outagesim/scenario.h"

/* The name of the operator's measure: the metric incident_cost_money. */
#define OSIM_CATALOGUE_OPERATOR "incident_cost_money"

typedef struct osim_catalogue_result {
    size_t incidents_count;
    char **incidents;       /* names, in catalogue order (owned) */
    double *frequency;      /* per year, per incident */
    uint64_t *replications; /* per incident: the rows of its event loss table */
    uint64_t seed;          /* of the year table (the run's seed) */
    size_t years;           /* simulated years */
    size_t topologies_count;
    char **topologies; /* as in the event results (owned copies) */
    size_t measures_count;
    char **measures;         /* OSIM_CATALOGUE_OPERATOR, then each policy's name (owned) */
    osim_risk_summary *risk; /* [t * measures_count + m] */
    /* Per design: the annual loss of the operator's measure as the
     * economics count it: sum over incidents of frequency x mean cost
     * (the expectation the year table estimates), and the net benefit's
     * paired 95% interval against the baseline. */
    double *annual_loss;
    double total_frequency; /* the sum of the frequencies */
} osim_catalogue_result;

/*
 * Summarise the event results ev[0..n-1] of catalogue sc (ev[k] the run of
 * incident k: same seed, range, designs and policies, rows in memory) into
 * the risk of a year, over `years` simulated years drawn from seed.
 * Returns 0; OSIM_EINVAL when the results do not fit the catalogue or
 * each other (diag says how), or their rows are not in memory; the codes of
 * osim_ylt_build and osim_risk_summarise; OSIM_ENOMEM.
 */
int osim_catalogue_summarise(const osim_scenario *sc, osim_mc_result *const *ev, size_t n,
                             uint64_t seed, size_t years, osim_catalogue_result **out,
                             osim_diag *diag);

/*
 * osim_catalogue_summarise for the event results ev[0..n-1] of incidents
 * named names[0..n-1] (borrowed), without their scenario: what `merge`
 * does with the merged event tables of a split catalogue run. Each
 * incident's frequency is its result's incident_probability (the
 * incident's frequency, as its results.json reads back); the scenario
 * form gives the same bits.
 */
int osim_catalogue_summarise_events(const char *const *names, osim_mc_result *const *ev, size_t n,
                                    uint64_t seed, size_t years, osim_catalogue_result **out,
                                    osim_diag *diag);

/*
 * Make r (the first incident's result) the catalogue's document: its
 * economics are computed over the whole catalogue with the events' rows
 * (EAL = sum of f_k M_k; net benefit sum of f_k (M_b,k - M_t,k) minus the
 * extra annual cost, its interval from the paired differences of each
 * incident; break-even as the total frequency F at which the net benefit
 * is zero, the catalogue's mix kept), r->incident_probability becomes F,
 * and r->catalogue points to c (borrowed). Returns 0 or OSIM_ENOMEM.
 */
int osim_catalogue_apply(const osim_catalogue_result *c, osim_mc_result *const *ev, size_t n,
                         osim_mc_result *r);

/* Index of measure name in c, or -1. */
long osim_catalogue_measure_index(const osim_catalogue_result *c, const char *name);

/* Free c. NULL is a no-op. */
void osim_catalogue_free(osim_catalogue_result *c);

#endif
