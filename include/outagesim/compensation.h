/*
 * compensation.h -- what an outage costs under a compensation regime.
 *
 * A model is a table entry: a name (as written in `model:` in a policy),
 * the schema of its parameters, an optional semantic check, a declaration
 * of what it emits (its claimant classes and plot marks, from the
 * parameters and the scenario alone) and an evaluation from one
 * replication's impact to a cost. A new model is one file and one line in
 * the registry (sim/comp/registry.c); nothing outside its file knows its
 * name or its parameters.
 *
 * Money: parameters are whole won (int64_t). Totals are accumulated in
 * long double and reported as doubles of whole won: exact for totals below
 * 2^53 won (9 quadrillion), far above any plausible liability.
 */
#ifndef OUTAGESIM_COMPENSATION_H
#define OUTAGESIM_COMPENSATION_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/impact.h"
#include "outagesim/schema.h"

#define OSIM_COMP_MAX_CLASSES 16
/* Room for a class name with its NUL: longer names are cut to fit. */
#define OSIM_COMP_NAME_MAX 64
#define OSIM_COMP_MAX_MARKS 16

/* One class of claimants (e.g. "loss <= 300,000 won"), with how many and how much. */
typedef struct osim_comp_class {
    char name[OSIM_COMP_NAME_MAX];
    double claimants;
    double amount_krw; /* total paid to the class */
} osim_comp_class;

typedef struct osim_comp_result {
    double total_krw;   /* expected cost to the operator in this replication */
    double nominal_krw; /* face value where the model has one (packages, credits); else total */
    double claimants;   /* distinct claimants: the sum over classes when they are disjoint */
    osim_comp_class classes[OSIM_COMP_MAX_CLASSES];
    size_t classes_count;
} osim_comp_result;

/*
 * What a policy emits, known before any replication is played: the shape
 * of a Monte Carlo run (its metric catalogue) is a pure function of the
 * scenario and the topologies, whatever replication range it starts at.
 */
typedef struct osim_comp_shape {
    /* Claimant class names, exactly as eval writes them (cut to fit the
     * same way) and in the same order; eval writes these in every
     * replication, zero rows included. */
    char classes[OSIM_COMP_MAX_CLASSES][OSIM_COMP_NAME_MAX];
    size_t classes_count;
    /* Money thresholds worth marking on the loss figure (the upper edges
     * of loss brackets), in whole won, in the model's order; none for
     * most models. */
    int64_t marks_krw[OSIM_COMP_MAX_MARKS];
    size_t marks_count;
    /* A conservative upper bound, in won, of what eval can give as
     * total_krw and as nominal_krw in one replication of this scenario
     * (every user and business out for the whole horizon, every claimant
     * in the dearest class): a scenario whose bound reaches 2^63 won is
     * refused at load (osim_comp_scenario_load) rather than at the end of
     * a run. INFINITY where the parameters admit no finite bound (a share
     * of an unbounded loss, uncapped); the load refuses only finite bounds. */
    double max_total_krw;
} osim_comp_shape;

typedef struct osim_comp_model {
    const char *name; /* "loss_brackets" */
    const char *doc;  /* one paragraph: what it models and its legal basis */
    const osim_schema *params_schema;
    /* Semantic checks after binding (ascending brackets...); may be NULL. */
    int (*validate)(const void *params, osim_bind_ctx *ctx);
    /* Declare what eval emits, from the bound parameters and the scenario
     * alone (never from an impact). out arrives cleared. Must not allocate.
     * Returns 0, or OSIM_EOVERFLOW beyond OSIM_COMP_MAX_CLASSES classes or
     * OSIM_COMP_MAX_MARKS marks, or another < 0 code. */
    int (*declare)(const void *params, const osim_scenario *sc, osim_comp_shape *out);
    /* Evaluate; rng is the replication's compensation stream for this
     * policy (claimant sampling). Must not allocate. Returns 0 or < 0. */
    int (*eval)(const void *params, const osim_impact *im, gsl_rng *rng, osim_comp_result *out);
} osim_comp_model;

/* The model registered under name, or NULL. */
const osim_comp_model *osim_comp_model_find(const char *name);

/* All registered models, NULL-terminated, for help and docs. */
const osim_comp_model *const *osim_comp_models(void);

/*
 * The registered models as the scenario loader sees them (osim_scenario_options
 * .policy_models): a policy bound with it has osim_policy.model pointing to
 * its osim_comp_model. Constant; any thread.
 */
const osim_model_catalogue *osim_comp_catalogue(void);

/*
 * osim_scenario_load() and osim_scenario_load_buffer() with the compensation
 * models as the policies' catalogue: how the CLI, the sweep and the tests
 * load a scenario. overrides may be NULL when n_overrides is 0. A policy
 * whose declared max_total_krw (osim_comp_shape) is finite and at least
 * 2^63 won is refused with OSIM_ERANGE at its `model:` (file:line:col).
 */
int osim_comp_scenario_load(const char *path, const osim_override *overrides, size_t n_overrides,
                            osim_scenario **out, osim_diag *diag);
int osim_comp_scenario_load_buffer(const char *name, const char *data, size_t len,
                                   const osim_override *overrides, size_t n_overrides,
                                   osim_scenario **out, osim_diag *diag);

/*
 * Declare what policy p of scenario sc emits (see osim_comp_shape). Clears
 * out first. Returns 0; OSIM_EINVAL without a policy, a model, a scenario
 * or bound parameters; OSIM_EINTERNAL for a model without a declaration;
 * else what the model's declare returns. Thread-safe: reads p and sc only.
 */
int osim_comp_declare(const osim_policy *p, const osim_scenario *sc, osim_comp_shape *out);

/* Evaluate policy p of the scenario on impact im. Clears out first.
 * p->model must be an osim_comp_model (a scenario loaded with
 * osim_comp_catalogue()). */
int osim_comp_eval(const osim_policy *p, const osim_impact *im, gsl_rng *rng,
                   osim_comp_result *out);

#endif
