/*
 * series.h -- what a Monte Carlo run looks like over time: per topology,
 * which services are down at each moment, how many distinct users are
 * affected, and how a small business's loss is distributed.
 *
 * The per-replication metric rows (mc.h) hold totals only; the figures of
 * `outagesim plot` also need the course of the outage. A series keeps it in
 * constant memory whatever the number of replications, as INTEGER COUNTS
 * on fixed grids, so that series of different worker threads and of
 * partial runs add up exactly, in any order, to the series of one run:
 *
 * Time grid. Points t_k = (k + 1/2) step_h, k = 0 .. steps-1 (bin
 * midpoints), step_h = 0.5 h, or horizon/2000 when that is larger; the
 * grid covers [0, steps x step_h], at most the horizon.
 *
 * Timeline, per topology, time point and service:
 *   down    replications with availability < 1 at t_k (out or degraded);
 *   out     replications with availability 0 at t_k;
 *   unavail the sum over replications of 1 - a(t_k), in units of 2^-20
 *           (each replication's term is rounded to the unit; the mean
 *           unavailability is unavail / 2^20 / replications).
 *
 * Affected users, per topology and time point: a histogram of the number
 * of distinct users affected at t_k,
 *   active(t) x [1 - prod_s (1 - user_share_s (1 - a_s(t)))]
 * (osim_active_users; the distinct-users formula of impact.c), over bin 0
 * (exactly 0) and OSIM_SERIES_USER_BINS log-spaced bins, 24 per decade
 * from 1 to 10^13 users: bin b >= 1 holds [10^((b-1)/24), 10^(b/24)),
 * values below 1 go to bin 1, values above 10^13 to the last bin.
 * Quantiles read from it are exact to the bin (a factor 10^(1/24), 10%),
 * interpolated log-linearly within the bin (osim_series_users_quantile).
 *
 * Loss per small business, per topology: the expected number of affected
 * businesses (all segments together) whose loss falls in each bin, from the
 * loss distribution of each segment's bands (impact.h; the revenue CDF read
 * from a table at 100 points per decade, so a bin edge may be off by a
 * hundredth of a decade, a tenth of a bin), summed
 * over replications, in units of 2^-10 business (rounded per replication
 * and bin). Bin 0 holds a loss of exactly 0; bin b in 1..OSIM_SERIES_LOSS_BINS
 * holds (10^((b-1)/10), 10^(b/10)] won, 10 per decade from 1 won to 10^12
 * won (bin 1 also holds (0, 1], the last bin everything above). For each
 * "mark" (a money threshold a policy declares, osim_comp_declare: the upper
 * edges of loss brackets, e.g. 300,000 and 500,000 won) the weight of businesses with a loss <= the
 * mark is kept exactly (not to the bin), in the same unit.
 *
 * Systems back, per topology and time point: the sum over replications of
 * the share of all systems back at t_k (replay.h, osim_replay_result.systems)
 * in units of 2^-20, for the mean, and a histogram of that share over
 * OSIM_SERIES_SYSTEM_BINS + 1 bins: bin b < 100 holds [b/100, (b+1)/100),
 * bin 100 exactly 1 (every system back). Quantiles read from it are exact
 * to the bin (a percentage point), interpolated linearly within it.
 *
 * Identity. A series records the scenario (name, SHA-256), the seed, the
 * version, and the replication range it covers when known. Its counts are
 * a row block of kind OSIM_ROWS_COUNTS (rows.h): merging checks that
 * everything but the counts agrees, by the same code as the rows of a run.
 *
 * Files (osim_series_write, in a results directory; plain text that
 * gnuplot can read, written to temporary names and renamed):
 *   series.json          identity, shape, grid, marks, replications
 *   series-timeline.dat  slot step service down out unavail   (non-zero rows)
 *   series-users.dat     slot step bin count                  (non-zero rows)
 *   series-loss.dat      slot bin weight                      (non-zero rows)
 *   series-marks.dat     slot mark weight_at_or_below
 *   series-systems.dat   slot step back                   (non-zero rows)
 *   series-systems-hist.dat slot step bin count           (non-zero rows)
 * slot is the topology's position in series.json's "topologies" (0-based),
 * service its position in "services".
 *
 * Thread-safety: a series belongs to one thread at a time; give each
 * worker its own (osim_series_new_like) and merge them at the end.
 */
#ifndef OUTAGESIM_SERIES_H
#define OUTAGESIM_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "outagesim/error.h"
#include "outagesim/impact.h"
#include "outagesim/replay.h"
#include "outagesim/scenario.h"

#define OSIM_SERIES_STEP_H 0.5
#define OSIM_SERIES_MAX_STEPS 2000
#define OSIM_SERIES_USERS_PER_DECADE 24
#define OSIM_SERIES_USER_BINS (13 * OSIM_SERIES_USERS_PER_DECADE)
#define OSIM_SERIES_LOSS_PER_DECADE 10
#define OSIM_SERIES_LOSS_BINS (12 * OSIM_SERIES_LOSS_PER_DECADE)
#define OSIM_SERIES_MAX_MARKS 16
#define OSIM_SERIES_UNAVAIL_UNIT 1048576.0 /* 2^20 */
#define OSIM_SERIES_SYSTEM_BINS 100
#define OSIM_SERIES_LOSS_UNIT 1024.0 /* 2^10 */

typedef struct osim_series osim_series;

/*
 * A new, empty series for runs of sc (borrowed: it must outlive every
 * osim_series_add; the series copies what it writes) under master seed
 * `seed`, for the topologies `topologies` (indices into sc->topologies in
 * any order, duplicates ignored, as in osim_mc_options; NULL means all).
 * Slot t of the series is the t-th selected topology in ascending order. Marks are the plot marks
 * the scenario's policies declare (osim_comp_declare). Returns 0 or OSIM_ENOMEM / OSIM_EINVAL (or
 * the code of a policy's declaration that failed).
 */
int osim_series_new(const osim_scenario *sc, uint64_t seed, const size_t *topologies,
                    size_t topologies_count, osim_series **out);

/*
 * 0 when s was made (osim_series_new) for scenario sc, master seed `seed`
 * and exactly the topologies topo[0..n-1] (ascending indices into
 * sc->topologies), so that slot t means topo[t]; else OSIM_EINVAL.
 */
int osim_series_compatible(const osim_series *s, const osim_scenario *sc, uint64_t seed,
                           const size_t *topo, size_t n);

/* An empty series of the same shape and identity as proto (for a worker). */
int osim_series_new_like(const osim_series *proto, osim_series **out);

/*
 * Count one replication of the topology in slot `slot`: rr its replay and
 * im its impact (computed from rr). Allocates nothing. Returns 0, or
 * OSIM_EINVAL (a series read from files has no scenario to compute with;
 * a bad slot or shape).
 */
int osim_series_add(osim_series *s, size_t slot, const osim_replay_result *rr,
                    const osim_impact *im);

/*
 * Take one replication out again: the exact inverse of osim_series_add
 * with the same (slot, rr, im), for runs that stop early and keep only a
 * prefix of their replications. Counters are unsigned integers modulo
 * 2^64, so adds, subs and merges may come in any order -- a sub may reach
 * one worker's series while the add it undoes sits in another's -- and
 * the merged totals are exact. (A true total never wraps: see series.c.)
 */
int osim_series_sub(osim_series *s, size_t slot, const osim_replay_result *rr,
                    const osim_impact *im);

/* Replications counted (adds minus subs, per topology: they are equal). */
uint64_t osim_series_replications(const osim_series *s);

/*
 * Record the replication range from..to-1 the series covers (a run sets it
 * once its workers' series are merged). Written to series.json; `outagesim
 * merge` uses it to check that parts tile without overlap.
 */
void osim_series_set_range(osim_series *s, uint64_t from, uint64_t to);

/* The range, if known: returns 1 and sets from/to, else 0. */
int osim_series_range(const osim_series *s, uint64_t *from, uint64_t *to);

/*
 * The run s belongs to: the version that wrote it, the scenario's SHA-256
 * (64 hex digits) and the master seed (strings borrowed from s). Readers
 * compare them, and the range, with results.json beside it.
 */
void osim_series_identity(const osim_series *s, const char **version, const char **sha256,
                          uint64_t *seed);

/*
 * Add src's counts into dst, by the rule of every merge (rows.h,
 * osim_rows_add): both must have the same identity (scenario SHA-256,
 * seed, version) and shape (topologies, services, grid, marks), and
 * ranges that are adjacent (either order; dst becomes their union) or both
 * unknown (a run's workers, before osim_series_set_range); otherwise
 * OSIM_EINVAL with diag saying what differs (or which replications are
 * missing), and dst unchanged. Counts add exactly (modulo 2^64, see
 * osim_series_sub).
 */
int osim_series_merge(osim_series *dst, const osim_series *src, osim_diag *diag);

/* Write the files above into dir (created if missing). */
int osim_series_write(const osim_series *s, const char *dir, osim_diag *diag);

/* Read a series written by osim_series_write. OSIM_ENOENT when dir has no
 * series.json; OSIM_ESCHEMA (file:line) when a file is malformed. */
int osim_series_read(const char *dir, osim_series **out, osim_diag *diag);

/*
 * The q-quantile (0 <= q <= 1) of distinct affected users at grid point
 * `step` under topology `slot`, over the replications counted: the value at
 * rank q x n of the histogram, interpolated log-linearly within its bin
 * (exact to the bin, see above). 0 when nothing is counted.
 */
double osim_series_users_quantile(const osim_series *s, size_t slot, size_t step, double q);

/*
 * The mean share of systems back at grid point `step` under topology
 * `slot`, over the replications counted (exact to 2^-20 per replication);
 * and its q-quantile (0 <= q <= 1) from the histogram (exact to the bin).
 * NAN when nothing is counted or the arguments are out of range.
 */
double osim_series_systems_mean(const osim_series *s, size_t slot, size_t step);
double osim_series_systems_quantile(const osim_series *s, size_t slot, size_t step, double q);

void osim_series_free(osim_series *s);

#endif
