/*
 * load.c -- loading a scenario whose policies name compensation models.
 *
 * The scenario loader knows no model: it looks a policy's `model:` up in the
 * catalogue its caller passes. This is the one place that passes the
 * compensation catalogue, so callers keep a one-line load, and so the one
 * place that can check what only the models know: the loader refuses money
 * products of the scenario past 2^63 won (sim/scenario/limits.c), but a
 * model's own multiples (10 x the hourly fee, months of fees, a share of a
 * loss) are the model's. Each model bounds its payout in one replication
 * (osim_comp_shape.max_total_krw); a policy whose bound reaches 2^63 won
 * would make a report refuse its figure at the end of a run, with nothing
 * written, so the load refuses it at once, at the policy's `model:`.
 */
#include <math.h>

#include "outagesim/compensation.h"
#include "outagesim/money.h"
#include "outagesim/scenario.h"

/* 2^63: the first whole number of won that is not an int64, the reports' limit. */
#define LIMIT_KRW 9223372036854775808.0

/* 0, or OSIM_ERANGE (into diag) for the first policy whose bound reaches the limit. */
static int check_bounds(const osim_scenario *sc, osim_diag *diag)
{
    size_t i;

    for (i = 0; i < sc->policies_count; i++) {
        const osim_policy *p = &sc->policies[i];
        const osim_currency *cur = osim_currency_find(sc->currency);
        /* Amounts are named the scenario's way: "won", "EUR". */
        const char *unit = cur == NULL ? "won" : cur->word != NULL ? cur->word : cur->code;
        osim_comp_shape shape;
        char won[64];
        int rc;

        if ((rc = osim_comp_declare(p, sc, &shape)) != 0)
            return osim_scenario_error_at(sc, &p->model_name, rc, diag,
                                          "policies.%s: model %s cannot declare its shape", p->name,
                                          p->model_name);
        /* INFINITY: no finite bound, nothing proved (see compensation.h). */
        if (!(shape.max_total_krw >= LIMIT_KRW) || isinf(shape.max_total_krw))
            continue;
        osim_format_krw(won, sizeof(won), shape.max_total_krw);
        return osim_scenario_error_at(
            sc, &p->model_name, OSIM_ERANGE, diag,
            "policies.%s: out of range: policy %s (%s) could pay up to %s %s in one "
            "replication, past 2^63 %s (9,223,372,036,854,775,807 is the largest figure a "
            "report holds); lower its amounts or multiples, or the counts they are paid to",
            p->name, p->name, p->model_name, won, unit, unit);
    }
    return 0;
}

/* The loaded scenario, unless a policy's bound refuses it (then freed). */
static int checked(int rc, osim_scenario **out, osim_diag *diag)
{
    if (rc != 0)
        return rc;
    if ((rc = check_bounds(*out, diag)) != 0) {
        osim_scenario_free(*out);
        *out = NULL;
    }
    return rc;
}

int osim_comp_scenario_load(const char *path, const osim_override *overrides, size_t n_overrides,
                            osim_scenario **out, osim_diag *diag)
{
    osim_scenario_options opt = {overrides, n_overrides, osim_comp_catalogue()};

    return checked(osim_scenario_load(path, &opt, out, diag), out, diag);
}

int osim_comp_scenario_load_buffer(const char *name, const char *data, size_t len,
                                   const osim_override *overrides, size_t n_overrides,
                                   osim_scenario **out, osim_diag *diag)
{
    osim_scenario_options opt = {overrides, n_overrides, osim_comp_catalogue()};

    return checked(osim_scenario_load_buffer(name, data, len, &opt, out, diag), out, diag);
}
