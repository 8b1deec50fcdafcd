/*
 * load.c -- loading a scenario whose policies name compensation models.
 *
 * The scenario loader knows no model: it looks a policy's `model:` up in the
 * catalogue its caller passes. This is the one place that passes the
 * compensation catalogue, so callers keep a one-line load.
 */
#include "outagesim/compensation.h"
#include "outagesim/scenario.h"

int osim_comp_scenario_load(const char *path, const osim_override *overrides, size_t n_overrides,
                            osim_scenario **out, osim_diag *diag)
{
    osim_scenario_options opt = {overrides, n_overrides, osim_comp_catalogue()};

    return osim_scenario_load(path, &opt, out, diag);
}

int osim_comp_scenario_load_buffer(const char *name, const char *data, size_t len,
                                   const osim_override *overrides, size_t n_overrides,
                                   osim_scenario **out, osim_diag *diag)
{
    osim_scenario_options opt = {overrides, n_overrides, osim_comp_catalogue()};

    return osim_scenario_load_buffer(name, data, len, &opt, out, diag);
}
