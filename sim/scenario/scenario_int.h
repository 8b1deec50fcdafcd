/*
 * scenario_int.h -- internal: the scenario schema tables and the loader's
 * private state (sc->priv).
 *
 * The tables in schema.c are the single description of the file
 * format: the binder walks them, `--set` checks paths against them, `params`
 * lists them and scenarios/README.md documents them.
 */
#ifndef OUTAGESIM_SCENARIO_INT_H
#define OUTAGESIM_SCENARIO_INT_H

#include "outagesim/scenario.h"
#include "outagesim/schema.h"
#include "scenario/bind.h"

/* The whole file. */
extern const osim_schema osim__scenario_schema;
/* One item of `policies:` (params are bound with the model's own schema). */
extern const osim_schema osim__policy_schema;

/* What sc->priv points to. */
typedef struct osim__scenario_priv {
    osim_bind_ctx *ctx; /* arena, positions, distribution forms */
} osim__scenario_priv;

/*
 * Apply --set overrides to a parsed document before binding (override.c).
 * root is the scenario's root mapping; policies are the policy items of the
 * scenario and of every included file, in order. Each override becomes a
 * source of its own, so errors in its value name "--set PATH=VALUE".
 * models gives the schemas of policy params (NULL: none can be set).
 */
int osim__override_apply(osim_bind_ctx *ctx, struct fy_node *root, struct fy_node *const *policies,
                         size_t n_policies, const osim_override *ov, size_t n_ov,
                         const osim_model_catalogue *models);

/*
 * Expand every `--set PATH=xF` of ov into the plain overrides it stands for
 * (override.c), loading the scenario (path, or data when not NULL) with the
 * overrides before it and the policies' models (as osim__override_apply's).
 * *out is NULL when there is no scale override (use ov as it is), else
 * n_out owned overrides (osim_overrides_free). Errors as osim_scenario_load's.
 */
int osim__override_expand(const char *path, const char *data, size_t len, const osim_override *ov,
                          size_t n_ov, const osim_model_catalogue *models, osim_override **out,
                          size_t *n_out, osim_diag *diag);

/*
 * After a failed load: when the error is a distribution's own check and an
 * override set one key of that distribution, add to the message how to
 * move the other keys too, or to scale the distribution whole (override.c).
 */
void osim__override_hint(osim_diag *diag, const osim_override *ov, size_t n_ov);

/*
 * Refuse a scenario whose money figures could not be exact whole won
 * (limits.c): products such as businesses x revenue x horizon, subscribers x
 * monthly fee, or a policy's amount x the people it could be paid to, at or
 * beyond 2^53 won. Reports the field at fault (file:line:col) through ctx.
 * 0 or OSIM_ERANGE.
 */
int osim__scenario_check_limits(osim_bind_ctx *ctx, const osim_scenario *sc);

/*
 * Check and resolve the failure-domain keys (zones.c): sites' zones and
 * their shares, each incident entry's zones, restore_order, with:, role and
 * deliveries, the timed decisions and the placements in zones. Reports
 * file:line:col through ctx. 0 or a negative code.
 */
int osim__scenario_check_zones(osim_bind_ctx *ctx, osim_scenario *sc);
/* The entries of sc->incident alone (leads, roles, deliveries, zone hits):
 * part of osim__scenario_check_zones, and run on every catalogue incident
 * (its sites put in sc->incident for the call). */
int osim__scenario_check_entries(osim_bind_ctx *ctx, osim_scenario *sc);

/*
 * Check and resolve every placement's `backups:` (copies.c): the site or
 * site/zone of each, a positive interval and restore rate, a service that
 * holds data. Placements must be indexed by service already. Reports
 * file:line:col through ctx. 0 or a negative code.
 */
int osim__scenario_check_copies(osim_bind_ctx *ctx, osim_scenario *sc);

/*
 * Check and resolve every placement's `migrate:` (migrate.c): the `to`
 * site (not one of the service's), no failover or backups beside it, a
 * pace > 0, capacity and systems >= 1 with systems <= capacity; sets the
 * resolved site, pace_per_d and limit. Placements must be indexed by
 * service already. Reports file:line:col through ctx. 0 or a negative code.
 */
int osim__scenario_check_migrate(osim_bind_ctx *ctx, osim_scenario *sc);

/*
 * Whether field f of the item at base (bound with schema s) is a key that
 * does not apply to that item (zones.c), so `params` does not list it and
 * sweeps do not swing it: the shared draws of an entry with `with:`,
 * partial_loss and destroyed.fraction on a zoned site, the UPS and
 * destruction keys of a `cut` or `precaution` entry, delivery_scale
 * without a delivery profile, restore_order on a site without zones.
 */
bool osim__param_hidden(const osim_scenario *sc, const osim_schema *s, const osim_field *f,
                        const void *base);

/*
 * Refuse settings that cannot take effect (effect.c): a failover with no
 * standby, or of a service holding data without replication; a standby
 * nothing uses; lag, detect, failover_time, needs, needs_min, staff,
 * headroom or load_share where the model never reads them. Reports the
 * value's file:line:col through ctx. 0 or OSIM_ESCHEMA.
 */
int osim__scenario_check_effect(osim_bind_ctx *ctx, const osim_scenario *sc);

/*
 * Whether field f of the item at base (bound with schema s) can take no
 * effect there whatever its value (effect.c), so `params` does not list it
 * and sweeps do not swing it (like osim__param_hidden).
 */
bool osim__effect_hidden(const osim_scenario *sc, const osim_schema *s, const osim_field *f,
                         const void *base);

#endif
