/*
 * metrics.h -- internal: the table of every metric a replication yields.
 *
 * A metric is one line of the table in metrics.c: the group it belongs to
 * (where it sits in results.json, which owner it is repeated for), its key,
 * its unit and a getter that reads its value from one replication under
 * one topology. The catalogue of a run (result.c) walks the table to name
 * the columns; the runner (mc.c) calls the getters to fill a row. Nothing
 * else lists metrics, so a new metric is one getter and one table line.
 * Not part of the public API.
 */
#ifndef OUTAGESIM_RESULTS_METRICS_H
#define OUTAGESIM_RESULTS_METRICS_H

#include <stddef.h>

#include "outagesim/compensation.h"
#include "outagesim/impact.h"
#include "outagesim/replay.h"
#include "outagesim/result.h"

/* The name of the metric every economics figure is built on (the runner
 * names it in messages). */
#define OSIM__MC_INCIDENT_COST "incident_cost_money"

/*
 * One replication under one topology, as the getters see it (all borrowed,
 * read-only): the realised fire, the replay's timelines, the impact, and
 * one compensation result per policy of the result (policies[p] says
 * whether policy p counts in the economics).
 */
typedef struct osim__replication {
    const osim_scenario *sc;
    const osim_incident *incident;
    const osim_replay_result *replay;
    const osim_impact *impact;
    const osim_comp_result *comp;   /* [policies_count] */
    const osim_mc_policy *policies; /* [policies_count] */
    size_t policies_count;
} osim__replication;

/* owner: the index of the site, service, segment or policy (by group);
 * sub: the claimant class (OSIM_MG_COMP_CLASS). */
typedef double (*osim__metric_get)(const osim__replication *rep, size_t owner, size_t sub);

typedef struct osim__metric_def {
    osim_metric_group group;
    const char *key;  /* the last part of the metric's name */
    const char *unit; /* "h", "won", "users", ... */
    osim__metric_get get;
} osim__metric_def;

/* The defs of group g, in document order (*n of them, contiguous); the
 * index of each into the whole table is what osim_metric.what holds. */
const osim__metric_def *osim__metric_defs(osim_metric_group g, size_t *n, size_t *first);

/* The value of metric m (of a catalogue built from this table) in rep. */
double osim__metric_value(const osim_metric *m, const osim__replication *rep);

#endif
