/*
 * risk.h -- risk over a year: year loss tables, AEP and OEP curves, return
 * periods and tail value at risk, from event losses and annual frequencies.
 *
 * Pure statistics: this module knows nothing of scenarios, designs or
 * money. Its inputs are, per incident of a catalogue, an annual frequency
 * and the losses of n simulated occurrences (replications) of it; its
 * output is the distribution of the loss of a year. The method is the one
 * catastrophe modellers use (an event loss table sampled into a year loss
 * table, as in the Oasis Loss Modelling Framework's ktools):
 *
 *   1. The year table (osim_ylt): for each of n_years simulated years and
 *      each incident i, the number of times i happens that year is drawn
 *      from a Poisson distribution of mean rate_i (gsl_ran_poisson); each
 *      occurrence is given a replication index drawn uniformly from
 *      0..n_reps_i - 1 (gsl_rng_uniform_int). Incidents are independent of
 *      each other and of the years before. The table holds indices, never
 *      losses, so one table serves every design and every loss measure:
 *      they all see the same years and the same replications (common random
 *      numbers), and the differences between designs carry no sampling
 *      noise from the year draws.
 *   2. A summary (osim_risk_summarise): the losses of one design and one
 *      measure are looked up through the table. A year's aggregate loss is
 *      the sum of its occurrences' losses, its occurrence loss the largest
 *      of them (0 for a year without an occurrence).
 *
 * Definitions, over the n_years year losses y (aggregate or occurrence):
 *   aal            average annual loss: the mean of the aggregate year
 *                  losses (GSL's gsl_stats_mean);
 *   aal_ci95       aal -/+ z(0.975) * sd / sqrt(n_years), the normal
 *                  interval of the mean (sd: sample standard deviation of
 *                  the aggregate year losses, gsl_stats_sd_m);
 *   aal_analytic   sum over incidents of rate_i * mean(loss_i): what the
 *                  aal estimates, without the sampling of years;
 *   loss at return period T (AEP from the aggregate losses, OEP from the
 *                  occurrence losses): the (1 - 1/T) quantile of the year
 *                  losses, GSL's gsl_stats_quantile_from_sorted_data
 *                  (Hyndman and Fan's definition 7: with the losses sorted
 *                  y_0 <= ... <= y_{n-1}, h = (n - 1) q, i = floor(h), the
 *                  quantile is y_i + (h - i) (y_{i+1} - y_i)). A loss that is
 *                  reached or exceeded in one year of T on average;
 *   its ci95       a distribution-free 95% interval of that quantile: the
 *                  order statistics y_lo and y_hi at the 0-based ranks
 *                  lo = floor(h - z s) and hi = ceil(h + z s), s =
 *                  sqrt(n q (1 - q)), clamped to 0..n - 1 (the normal
 *                  approximation to the binomial count of years below the
 *                  quantile);
 *   var[k], tvar[k] at tail level a (osim_risk_tvar_levels: 1% and 0.4%,
 *                  i.e. 1 in 100 and 1 in 250 years), aggregate losses:
 *                  var is the (1 - a) quantile as above, tvar the mean of
 *                  the m = ceil(a n_years) largest year losses (the
 *                  empirical expected shortfall: the average of the worst
 *                  a share of years). With a = 1/M for a whole M, as here,
 *                  tvar >= var always holds;
 *   curve          the exceedance curves at log-spaced return periods:
 *                  10 points a decade from 1 year to at most n_years (and
 *                  at most OSIM_RISK_CURVE_MAX points).
 * Return periods longer than about n_years / 10 are poorly estimated (fewer
 * than ten years of the table lie beyond them): the ci95 fields say how
 * poorly, and n_years is the lever.
 *
 * Determinism: a table is a pure function of (seed, n_years, incidents);
 * a summary a pure function of (table, events). Same inputs, same bits, on
 * any thread. Each incident draws from its own stream, seeded from (seed,
 * the incident's name): adding, removing or reordering incidents leaves
 * every other incident's occurrences as they were.
 *
 * Memory: a table holds 8 bytes per occurrence (about n_years * the sum of
 * the rates); a summary uses 2 * n_years doubles of scratch, freed before
 * it returns, and nothing that grows with the replications.
 *
 * Thread-safety: a built table is immutable; any number of threads may
 * summarise with it at once. No global state.
 */
#ifndef OUTAGESIM_RISK_H
#define OUTAGESIM_RISK_H

#include <stdint.h>
#include <stdio.h>

#include "outagesim/error.h"

/* The number of simulated years when the caller has no reason to choose. */
#define OSIM_RISK_YEARS_DEFAULT 100000

/* At most this many occurrences in one table (n_years * sum of rates is
 * checked against it before drawing): 8 bytes each, so 800 MB. */
#define OSIM_RISK_OCCURRENCES_MAX 100000000ULL

/* The return periods of the summary, in years: 10, 50, 100, 250, 500, 1000. */
#define OSIM_RISK_RP_COUNT 6
extern const double osim_risk_return_periods_y[OSIM_RISK_RP_COUNT];

/* The tail levels of var and tvar: 0.01 and 0.004 (1 in 100, 1 in 250 years). */
#define OSIM_RISK_TVAR_COUNT 2
extern const double osim_risk_tvar_levels[OSIM_RISK_TVAR_COUNT];

/* The most points of an exceedance curve (10 a decade: 1 to 10^6 years). */
#define OSIM_RISK_CURVE_MAX 61

/* One incident of the catalogue, as the year table needs it. */
typedef struct osim_ylt_incident {
    const char *name;   /* borrowed; seeds the incident's stream: unique, non-empty */
    double annual_rate; /* mean occurrences per year, finite and >= 0 */
    size_t n_reps;      /* replications simulated (>= 1; at most UINT32_MAX) */
} osim_ylt_incident;

/* The year table: opaque, immutable once built. */
typedef struct osim_ylt osim_ylt;

/*
 * Build the year table of n_years years (1 <= n_years <= UINT32_MAX) for
 * n_incidents incidents (>= 1). Incident i draws from its own stream,
 * seeded with osim_rng_stream_seed_h(seed, UINT64_MAX, hash("ylt"),
 * hash(name)) (rng.h; no replication has index UINT64_MAX, so the stream is
 * none of a run's), the years in order: names must differ. On success *out owns the table (free it
 * with osim_ylt_free). Returns 0; OSIM_EINVAL on a NULL argument, a zero count, a repeated or empty
 * name (diag names the incident); OSIM_ERANGE on a rate that is negative or not finite, or when the
 * expected occurrences exceed OSIM_RISK_OCCURRENCES_MAX; OSIM_ENOMEM. *out is set only on success.
 */
int osim_ylt_build(osim_ylt **out, uint64_t seed, size_t n_years, const osim_ylt_incident *inc,
                   size_t n_incidents, osim_diag *diag);

/* Free a table. NULL is a no-op. */
void osim_ylt_free(osim_ylt *y);

/* The table's years, incidents and occurrences (all incidents). */
size_t osim_ylt_years(const osim_ylt *y);
size_t osim_ylt_incidents(const osim_ylt *y);
size_t osim_ylt_occurrences(const osim_ylt *y);

/*
 * The occurrences of incident i, in year order: *count of them, year[k]
 * the year (0-based) and rep[k] the replication of the k-th (either
 * output may be NULL). Borrowed from the table; valid while it lives.
 * Returns 0, or OSIM_EINVAL when i is out of range.
 */
int osim_ylt_occurrences_of(const osim_ylt *y, size_t i, size_t *count, const uint32_t **year,
                            const uint32_t **rep);

/*
 * One incident's event losses for one design and one measure: loss[j] is
 * the loss of replication j (n of them, n equal to the table's n_reps for
 * this incident; every loss finite and >= 0). In the table's incident
 * order. name is for diagnostics only (may be NULL).
 */
typedef struct osim_risk_event {
    const char *name;
    double annual_rate; /* for aal_analytic; must equal the table's rate */
    size_t n;
    const double *loss; /* borrowed, n values */
} osim_risk_event;

/* A quantile of the year losses with its distribution-free 95% interval. */
typedef struct osim_risk_quantile {
    double loss;
    double ci95_low, ci95_high;
} osim_risk_quantile;

/* One point of the exceedance curves. */
typedef struct osim_risk_point {
    double return_period_y; /* T */
    double aep;             /* aggregate loss exceeded once in T years */
    double oep;             /* occurrence loss exceeded once in T years */
} osim_risk_point;

/* The risk of one design and one measure over a year. Plain data. */
typedef struct osim_risk_summary {
    size_t n_years;
    size_t years_with_loss; /* years whose aggregate loss is > 0 */
    double aal;
    double aal_sd; /* sample sd of the aggregate year losses */
    double aal_ci95_low, aal_ci95_high;
    double aal_analytic;
    double max_year_loss;                       /* the worst aggregate year of the table */
    osim_risk_quantile aep[OSIM_RISK_RP_COUNT]; /* at osim_risk_return_periods_y */
    osim_risk_quantile oep[OSIM_RISK_RP_COUNT];
    double var[OSIM_RISK_TVAR_COUNT]; /* aggregate, at osim_risk_tvar_levels */
    double tvar[OSIM_RISK_TVAR_COUNT];
    size_t curve_count;
    osim_risk_point curve[OSIM_RISK_CURVE_MAX];
} osim_risk_summary;

/*
 * Summarise the losses ev[0..n_incidents - 1] (one per incident of y, in
 * its order) into *out. Returns 0; OSIM_EINVAL on a NULL argument, a count
 * or an n that does not match the table, or a rate that differs from it;
 * OSIM_ERANGE on a loss that is negative or not finite (diag names the
 * incident and replication); OSIM_ENOMEM. *out is zeroed on failure.
 */
int osim_risk_summarise(const osim_ylt *y, const osim_risk_event *ev, size_t n_incidents,
                        osim_risk_summary *out, osim_diag *diag);

/*
 * The year losses themselves, for what a summary does not say (a paired
 * comparison of two designs over the same years, a histogram): agg[t] the
 * aggregate and occ[t] the occurrence loss of year t, n_years each (either
 * may be NULL). Same arguments and errors as osim_risk_summarise.
 */
int osim_risk_year_losses(const osim_ylt *y, const osim_risk_event *ev, size_t n_incidents,
                          double *agg, double *occ, osim_diag *diag);

/*
 * What design b saves against design a per year, over the same years:
 * the mean of agg_a[t] - agg_b[t] with its normal 95% interval from the
 * paired differences. Common random numbers make this interval much
 * narrower than the two aal intervals would suggest.
 */
typedef struct osim_risk_diff {
    double mean;
    double sd;
    double ci95_low, ci95_high;
} osim_risk_diff;

int osim_risk_compare(const osim_ylt *y, const osim_risk_event *a, const osim_risk_event *b,
                      size_t n_incidents, osim_risk_diff *out, osim_diag *diag);

/*
 * The exceedance data file that plots/exceedance.gp reads (format version
 * 1). osim_risk_write_dat_header writes the comment lines that open it;
 * osim_risk_write_dat then appends one block per design, in the order of
 * vars.gp's topology[] (blocks are gnuplot data sets: two blank lines
 * before each but the first, so `index t - 1` is design t). A block is a
 * comment line naming the design, then one line per curve point:
 *   return_period_y  exceedance_probability  aep  oep
 * with losses divided by unit (the figure's money unit, e.g. 1e8 for
 * 억원; 1 for none), printed with %.10g. measure names what the losses
 * are (a comment only). design and measure are written into comments with
 * control characters replaced by '?'. first says whether this is the
 * first block. Returns 0, OSIM_EINVAL (NULL, unit not > 0) or OSIM_EIO.
 */
int osim_risk_write_dat_header(FILE *f, const char *measure, const osim_risk_summary *s);
int osim_risk_write_dat(FILE *f, const char *design, const osim_risk_summary *s, double unit,
                        int first);

#endif
