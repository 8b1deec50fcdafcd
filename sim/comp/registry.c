/*
 * registry.c -- the table of compensation models, looked up by the name a
 * policy gives in `model:`. A new model is one sim/comp/<name>.c file that
 * defines `const osim_comp_model osim__comp_<name>` and one line here (with
 * its extern beside the others in comp/comp_int.h). Only the table knows
 * which models exist; callers reach them through these functions.
 */
#include <string.h>

#include "comp/comp_int.h"
#include "outagesim/compensation.h"

static const osim_comp_model *const models[] = {
    &osim__comp_goodwill_package, &osim__comp_loss_brackets,     &osim__comp_flat_credit,
    &osim__comp_fee_multiple,     &osim__comp_service_extension, &osim__comp_sla_credit,
    &osim__comp_duration_tiers,   &osim__comp_civil_damages,     NULL,
};

const osim_comp_model *const *osim_comp_models(void)
{
    return models;
}

const osim_comp_model *osim_comp_model_find(const char *name)
{
    size_t i;

    for (i = 0; models[i] != NULL; i++)
        if (strcmp(models[i]->name, name) == 0)
            return models[i];
    return NULL;
}

/* What the scenario loader needs of model i: plain data, so any thread may ask. */
static int kind_at(size_t i, osim_model_kind *out)
{
    if (i >= sizeof(models) / sizeof(models[0]) - 1)
        return 0;
    out->name = models[i]->name;
    out->params_schema = models[i]->params_schema;
    out->validate = models[i]->validate;
    out->model = models[i];
    return 1;
}

static const osim_model_catalogue catalogue = {"compensation model", kind_at};

const osim_model_catalogue *osim_comp_catalogue(void)
{
    return &catalogue;
}

int osim_comp_declare(const osim_policy *p, const osim_scenario *sc, osim_comp_shape *out)
{
    const osim_comp_model *m = p != NULL ? p->model : NULL;

    memset(out, 0, sizeof(*out));
    if (m == NULL || sc == NULL || (p->params == NULL && m->params_schema != NULL))
        return OSIM_EINVAL;
    if (m->declare == NULL)
        return OSIM_EINTERNAL;
    return m->declare(p->params, sc, out);
}

int osim_comp_eval(const osim_policy *p, const osim_impact *im, gsl_rng *rng, osim_comp_result *out)
{
    const osim_comp_model *m = p != NULL ? p->model : NULL;

    memset(out, 0, sizeof(*out));
    if (m == NULL || im == NULL || rng == NULL || (p->params == NULL && m->params_schema != NULL))
        return OSIM_EINVAL;
    return m->eval(p->params, im, rng, out);
}
