/*
 * result.h -- the result of a Monte Carlo run (or of a merge of partial
 * runs): its shape, its row block, and the statistics and economics
 * computed from the rows.
 *
 * A result is a pure function of its shape and its rows: the metric
 * catalogue (osim_metric) is built from the shape alone (incident sites,
 * services, segments, policies and their declared claimant classes), the
 * statistics and economics from the rows alone, in index order. So a run,
 * a run split with --from/--to and merged, a run spread over MPI ranks and
 * a result read back from its files all summarise to the same bits.
 *
 * Every metric is one line of the table in sim/results/metrics.c (its
 * group, key, unit and the getter that reads it from a replication): the
 * catalogue, the rows, the JSON document, both CSV files and the merge all
 * walk it, so a metric is named in exactly one place.
 *
 * The rows live in memory (rows, values) or, for runs longer than memory
 * should hold, in an unlinked temporary file (spill,
 * osim_mc_result_spill): everything computed from them is the same bits.
 *
 * Produced by the runner (mc.h), read by the reports (report.h, figures.h)
 * and loaded back from a results folder (osim_report_load). Thread-safety:
 * a result belongs to one thread at a time; a summarised result is
 * read-only and may be shared.
 */
#ifndef OUTAGESIM_RESULT_H
#define OUTAGESIM_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outagesim/error.h"
#include "outagesim/money.h"
#include "outagesim/rows.h"
#include "outagesim/stats.h"

/* Where a metric sits in the result document (and which part of a
 * replication it is read from). */
typedef enum osim_metric_group {
    OSIM_MG_INCIDENT = 0,   /* owner: incident site (the same under every topology) */
    OSIM_MG_SERVICE,        /* owner: service */
    OSIM_MG_TOPOLOGY,       /* top level of a topology */
    OSIM_MG_USERS,          /* distinct users over all services */
    OSIM_MG_SMALL_BUSINESS, /* sums over segments */
    OSIM_MG_SEGMENT,        /* owner: segment */
    OSIM_MG_DATA_LOSS,
    OSIM_MG_OPERATOR,   /* the operator's own lost revenue */
    OSIM_MG_COMP,       /* owner: policy */
    OSIM_MG_COMP_CLASS, /* owner: policy, sub: claimant class */
    OSIM_MG_COST,       /* incident_cost_krw: lost revenue + counted compensation */
    OSIM_MG_COPIES,     /* owner: service; beside its OSIM_MG_SERVICE metrics, only in a
                         * result whose scenario has backups (osim_mc_result.copies) */
} osim_metric_group;

typedef struct osim_metric {
    char *name;       /* full path, e.g. "services.kakaotalk-messaging.downtime_h" (owned) */
    const char *key;  /* last part, e.g. "downtime_h" (static) */
    const char *unit; /* "h", "money" (whole units of r->currency), "users", "user-h",
                       * "businesses", "claimants", "GB", "services" (static) */
    osim_metric_group group;
    int what;     /* internal: which value of the replication */
    size_t owner; /* index of the site/service/segment/policy, by group */
    size_t sub;   /* class index (OSIM_MG_COMP_CLASS) */
} osim_metric;

/* A compensation policy as the result records it. */
typedef struct osim_mc_policy {
    char *name;
    char *model;
    char *legal_basis;
    bool in_economics; /* counted in the expected annual loss */
    /* Written in another currency and converted when loaded (scenario.h):
     * that currency's code and the rate (units of the result's currency per
     * unit of it); NULL and 0 when the policy was written in the result's. */
    char *converted_from;
    double converted_rate;
    char **classes; /* claimant class names, as the model declares them */
    size_t classes_count;
} osim_mc_policy;

/* For which annual incident probabilities p in [0, 1] a design pays for itself
 * against the baseline (net annual benefit > 0). */
typedef enum osim_mc_pays {
    OSIM_PAYS_NA = 0, /* the baseline itself, or the baseline was not run */
    OSIM_PAYS_NEVER,  /* at no p in [0, 1] */
    OSIM_PAYS_ALWAYS, /* at every p in [0, 1] */
    OSIM_PAYS_ABOVE,  /* when p > break_even_probability (it avoids loss, costs more) */
    OSIM_PAYS_BELOW,  /* when p < break_even_probability (it is cheaper, loses more) */
} osim_mc_pays;

/*
 * The economics of one topology t against the baseline b (money in won per
 * year unless named). With M the mean cost of one incident, C the annual
 * cost and p the annual incident probability:
 *   expected annual loss  EAL = p M
 *   net annual benefit    p (M_b - M_t) - (C_t - C_b)
 * and the break-even probability zeroes the net benefit.
 */
typedef struct osim_mc_economics {
    double mean_incident_cost_krw;   /* mean of incident_cost_krw: lost revenue + compensation */
    double expected_annual_loss_krw; /* incident_probability x mean_incident_cost_krw */
    double annual_cost_krw;          /* what the design costs to run */
    bool has_baseline;               /* the baseline topology was part of the run */
    double net_annual_benefit_krw;   /* at the scenario's p; 0 for the baseline */
    double net_ci95_low_krw, net_ci95_high_krw; /* from the paired per-replication difference */
    osim_mc_pays pays;
    double break_even_probability; /* for ABOVE and BELOW, in (0, 1) */
} osim_mc_economics;

/* "above", "below", "always", "never", or NULL for OSIM_PAYS_NA. */
const char *osim_mc_pays_name(osim_mc_pays p);

/*
 * The result of a run (or of a merge of partial runs). Everything an output
 * needs is here, and nothing else: no wall-clock data, no thread count.
 * All strings and arrays are owned by the result.
 */
enum { OSIM_MC_SOURCE_FIELDS = 6, OSIM_MC_PROV_FIELDS = 5 };

typedef struct osim_mc_result {
    char *version; /* OSIM_VERSION of the program that ran it */
    char *scenario_name;
    char *scenario_file;
    char sha256[65];  /* of the scenario bytes plus overrides */
    char **overrides; /* "PATH=VALUE" as given */
    size_t overrides_count;
    /* Where the scenario's numbers come from (osim_source, osim_provenance in
     * scenario.h), flattened to strings so that they travel and merge like
     * the rest of the identity: OSIM_MC_SOURCE_FIELDS strings per source
     * (id, title, publisher, date, url, note) and OSIM_MC_PROV_FIELDS per
     * record (path, kind "source" | "assumption" | "set", the source ids
     * separated by single spaces, reason, note). "" stands for absent.
     * Counts are of strings. */
    char **sources;
    size_t sources_count;
    char **provenance;
    size_t provenance_count;
    uint64_t seed;
    /* Of every money figure (static, money.h); NULL reads as the default,
     * KRW. Part of the identity: parts in different currencies never merge. */
    const osim_currency *currency;
    uint64_t from, to; /* the rows hold replications from .. to-1 */
    bool interrupted;  /* stopped early: to is where the completed prefix ends */

    /* Run-length control (--precision); precision_metric NULL when unused. */
    char *precision_metric;
    double precision_rel;      /* the target: half-width <= rel x |mean| */
    double precision_achieved; /* worst half-width / |mean| over topologies */
    bool precision_met;

    /* The shape: what the rows are about. */
    char **topologies;        /* selected, in scenario order */
    int64_t *annual_cost_krw; /* per topology */
    size_t topologies_count;
    char **sites; /* incident sites */
    size_t sites_count;
    char **services;
    size_t services_count;
    char **segments;
    size_t segments_count;
    /* Some placement of the scenario keeps backups: each service then also
     * has the OSIM_MG_COPIES metrics (data_restored_h, data lost by kind of
     * copy). A scenario without backups keeps the catalogue it always had. */
    bool copies;
    osim_mc_policy *policies;
    size_t policies_count;
    double incident_probability; /* per year, as printed in the document */
    char *baseline;              /* topology the economics compare against */

    osim_metric *metrics; /* the catalogue */
    size_t metrics_count;

    /* The rows: one block (rows.h) whose shape is this result's identity,
     * topologies, catalogue and economics settings. Made by
     * osim_mc_result_reserve; merged, written (replications.csv) and sent
     * (MPI) as a block. values is rows->values, a borrowed view for readers
     * that index it directly:
     *   values[((i - from) * topologies_count + t) * metrics_count + m]. */
    osim_rows *rows;
    double *values;
    /* Rows kept in a temporary file instead (osim_mc_result_spill), or
     * NULL. Then values is NULL and rows holds the shape and range only;
     * readers use osim_mc_result_column / osim_mc_result_write_rows. */
    struct osim_spill *spill;

    /* Filled by osim_mc_result_summarise(). */
    osim_stats *stats;            /* [t * metrics_count + m] */
    osim_mc_economics *economics; /* per topology */
    long baseline_index;          /* into topologies, or -1 when not run */
    /* A catalogue run's risk (catalogue.h), borrowed, set by
     * osim_catalogue_apply on the run's document; NULL otherwise. Not
     * part of the identity: never merged, packed or read back. */
    const struct osim_catalogue_result *catalogue;
    /* The same risk when r owns it (a catalogue folder read back by
     * osim_report_load_dir): freed with r. NULL otherwise. */
    struct osim_catalogue_result *catalogue_owned;
} osim_mc_result;

/* --------------------------------------------------------------- results */

/*
 * Build the catalogue of r from its shape (sites, services, segments,
 * policies and classes). Used by runs and by loaders of saved results.
 * It also sets r->incident_probability to the value its 15-significant-digit
 * text (results.json) reads back as, so that a run and its saved result
 * compute the same economics to the bit.
 */
int osim_mc_result_catalogue(osim_mc_result *r);

/* Index of the metric called name in r's catalogue, or -1. */
long osim_mc_result_metric_index(const osim_mc_result *r, const char *name);

/*
 * Make room for rows of replications from .. from+reps-1. The first call
 * makes r->rows, of r's shape (so the catalogue must be built first).
 */
int osim_mc_result_reserve(osim_mc_result *r, uint64_t reps);

/*
 * Compute stats and economics from the rows (again, if called twice): the
 * rows of r->from .. r->to-1, which must have been reserved (OSIM_EINVAL
 * otherwise). The block's range is set to r's (a run learns where its
 * completed prefix ends only when it ends).
 */
int osim_mc_result_summarise(osim_mc_result *r, osim_diag *diag);

/*
 * Keep r's rows in an unlinked temporary file in folder dir (NULL: /tmp)
 * instead of memory, from r->from on, for runs longer than memory should
 * hold: the file is gone when r is freed or the process ends, however it
 * ends. Call once, before any row is stored, instead of
 * osim_mc_result_reserve (the runner, mc.h, does it when its options ask).
 * Everything computed from the rows is the same, bit for bit:
 * osim_mc_result_summarise reads each metric's column back in passes,
 * holding about memory_bytes (osim_stats_compute_read; at least 64 KB, at
 * most 2 MB). A result whose rows are on
 * disk is not merged or packed (OSIM_EINVAL). 0, OSIM_ENOMEM, OSIM_EIO.
 */
int osim_mc_result_spill(osim_mc_result *r, const char *dir, uint64_t memory_bytes,
                         osim_diag *diag);

/*
 * The summary of metric m under topology t over the first n rows
 * (r->from .. r->from + n - 1), in memory or on disk; quantiles false:
 * moments, min and max only (stats.h). For the runner's run-length
 * control, between batches.
 */
int osim_mc_result_stats_of(const osim_mc_result *r, size_t t, size_t m, uint64_t n, bool quantiles,
                            osim_stats *out);

/*
 * replications.csv (rows.h, the text codec) of r's range, from memory or
 * from disk. OSIM_EINVAL when r holds no rows of its range.
 */
int osim_mc_result_write_rows(const osim_mc_result *r, FILE *f, osim_diag *diag);

/* Free the rows once the summaries are all that is needed (a sweep keeps
 * hundreds of points); r->values becomes NULL, the block keeps its shape. */
void osim_mc_result_drop_rows(osim_mc_result *r);

/* The stats of metric m under topology t (after summarise). */
const osim_stats *osim_mc_result_stats(const osim_mc_result *r, size_t t, size_t m);

/*
 * Combine partial results of the same scenario, seed, version and shape
 * whose ranges tile one interval without gaps or overlap, into exactly the
 * result of one run over that interval. parts are borrowed (any order).
 * The merged result is interrupted iff the part that ends it was.
 */
int osim_mc_result_merge(osim_mc_result *const *parts, size_t n, osim_mc_result **out,
                         osim_diag *diag);

/*
 * Read the rows of r's range (r->from .. r->to-1, r->interrupted) from
 * text in the format of replications.csv (rows.h, osim_rows_read_text);
 * path names f in messages. The catalogue must be built first. On success
 * the rows become r's; on failure r's rows are unchanged. 0, OSIM_EINVAL
 * (a header or line that is not of r's shape or range), OSIM_ENOMEM,
 * OSIM_EIO.
 */
int osim_mc_result_read_rows(osim_mc_result *r, FILE *f, const char *path, osim_diag *diag);

/*
 * A partial result as bytes, for sending between processes (the MPI
 * front end): its identity and shape (what results.json records: version,
 * scenario, sha256, overrides, seed, range, topologies, sites, services,
 * segments, policies and classes, economics settings) and its rows as
 * native doubles. Unpacking rebuilds the catalogue from the shape, so the
 * result is the one packed, bit for bit, ready for osim_sweep_store (sweep.h)
 * (which merges and summarises). Both ends must share byte order and
 * double format: a header word checks it (OSIM_EINVAL otherwise).
 * osim_mc_result_pack returns 0 or OSIM_ENOMEM; *buf is malloc'd (caller frees).
 */
int osim_mc_result_pack(const osim_mc_result *r, void **buf, size_t *len);
int osim_mc_result_unpack(const void *buf, size_t len, osim_mc_result **out, osim_diag *diag);

/* Free a result. NULL is a no-op. */
void osim_mc_result_free(osim_mc_result *r);

#endif
