/*
 * catalogue.c -- the risk of a catalogue of incidents from the event loss
 * tables of its incidents (catalogue.h).
 *
 * Invariant: everything here is a pure function of the event results'
 * rows (read in index order), the frequencies and the seed of the year
 * table, so a catalogue run gives the same bits for any thread count.
 * The statistics themselves (year table, exceedance, return periods,
 * TVaR) are risk.h's; this file only lays the rows out as its event
 * losses, one column per incident, design and measure.
 */
#include "outagesim/catalogue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "results/metrics.h"
#include "results/results_int.h"

/* z of the two-sided 95% normal interval. */
#define Z95 1.959963984540054

void osim_catalogue_free(osim_catalogue_result *c)
{
    if (c == NULL)
        return;
    osim__strv_free(c->incidents, c->incidents_count);
    osim__strv_free(c->topologies, c->topologies_count);
    osim__strv_free(c->measures, c->measures_count);
    free(c->frequency);
    free(c->replications);
    free(c->risk);
    free(c->annual_loss);
    free(c);
}

long osim_catalogue_measure_index(const osim_catalogue_result *c, const char *name)
{
    size_t m;

    for (m = 0; c != NULL && m < c->measures_count; m++)
        if (strcmp(c->measures[m], name) == 0)
            return (long)m;
    return -1;
}

/* The metric index of measure m in r: the incident cost, or policy m-1's total. */
static long measure_metric(const osim_mc_result *r, size_t m)
{
    size_t i;

    if (m == 0)
        return osim_mc_result_metric_index(r, OSIM__MC_INCIDENT_COST);
    for (i = 0; i < r->metrics_count; i++)
        if (r->metrics[i].group == OSIM_MG_COMP && r->metrics[i].owner == m - 1 &&
            strcmp(r->metrics[i].key, "total_money") == 0)
            return (long)i;
    return -1;
}

/* The rows of incident k's result fit the first's: same range, designs, policies. */
static int check_events(const char *const *names, osim_mc_result *const *ev, size_t n,
                        osim_diag *diag)
{
    size_t k, t, p;

    if (ev == NULL || n == 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "catalogue: no event results");
    for (k = 0; k < n; k++) {
        const osim_mc_result *r = ev[k];
        if (r == NULL || r->values == NULL || r->spill != NULL || r->to <= r->from)
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                 "catalogue: the rows of incident '%s' are not in memory",
                                 names[k]);
        if (r->topologies_count != ev[0]->topologies_count ||
            r->policies_count != ev[0]->policies_count || r->seed != ev[0]->seed)
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                 "catalogue: incident '%s' was run with other designs, policies "
                                 "or seed than '%s'",
                                 names[k], names[0]);
        for (t = 0; t < r->topologies_count; t++)
            if (strcmp(r->topologies[t], ev[0]->topologies[t]) != 0)
                return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                     "catalogue: incident '%s' ran other designs", names[k]);
        for (p = 0; p <= r->policies_count; p++)
            if (measure_metric(r, p) < 0)
                return osim_diag_set(diag, OSIM_EINTERNAL, NULL, 0, 0,
                                     "catalogue: incident '%s' lacks a loss measure", names[k]);
    }
    return 0;
}

/* Column (t, metric) of r's rows, copied into out (n = to - from values). */
static void column(const osim_mc_result *r, size_t t, size_t metric, double *out)
{
    uint64_t n = r->to - r->from, i;

    for (i = 0; i < n; i++)
        out[i] = osim_rows_at(r->rows, r->from + i, t)[metric];
}

static int alloc_names(osim_catalogue_result *c, const char *const *names,
                       osim_mc_result *const *ev, size_t n)
{
    const osim_mc_result *r0 = ev[0];
    size_t k, t, m;

    c->incidents_count = n;
    c->topologies_count = r0->topologies_count;
    c->measures_count = r0->policies_count + 1;
    c->incidents = calloc(c->incidents_count, sizeof(char *));
    c->frequency = calloc(c->incidents_count, sizeof(double));
    c->replications = calloc(c->incidents_count, sizeof(uint64_t));
    c->topologies = calloc(c->topologies_count + 1, sizeof(char *));
    c->measures = calloc(c->measures_count, sizeof(char *));
    c->risk = calloc(c->topologies_count * c->measures_count + 1, sizeof(osim_risk_summary));
    c->annual_loss = calloc(c->topologies_count + 1, sizeof(double));
    if (c->incidents == NULL || c->frequency == NULL || c->replications == NULL ||
        c->topologies == NULL || c->measures == NULL || c->risk == NULL || c->annual_loss == NULL)
        return OSIM_ENOMEM;
    for (k = 0; k < c->incidents_count; k++) {
        if ((c->incidents[k] = osim__strdup(names[k])) == NULL)
            return OSIM_ENOMEM;
        /* The frequency as incident k's own result holds it (its
         * incident_probability, the value its results.json reads back
         * as): a merge of the event tables then counts the same bits. */
        c->frequency[k] = ev[k]->incident_probability;
        c->total_frequency += c->frequency[k];
    }
    for (t = 0; t < c->topologies_count; t++)
        if ((c->topologies[t] = osim__strdup(r0->topologies[t])) == NULL)
            return OSIM_ENOMEM;
    for (m = 0; m < c->measures_count; m++)
        if ((c->measures[m] =
                 osim__strdup(m == 0 ? OSIM_CATALOGUE_OPERATOR : r0->policies[m - 1].name)) == NULL)
            return OSIM_ENOMEM;
    return 0;
}

/* The risk of design t and measure m: one column of losses per incident. */
static int summarise_one(osim_catalogue_result *c, const osim_ylt *y, osim_mc_result *const *ev,
                         size_t t, size_t m, double **cols, osim_risk_event *events,
                         osim_diag *diag)
{
    size_t k;

    for (k = 0; k < c->incidents_count; k++) {
        column(ev[k], t, (size_t)measure_metric(ev[k], m), cols[k]);
        events[k].name = c->incidents[k];
        events[k].annual_rate = c->frequency[k];
        events[k].n = (size_t)c->replications[k];
        events[k].loss = cols[k];
    }
    return osim_risk_summarise(y, events, c->incidents_count, &c->risk[t * c->measures_count + m],
                               diag);
}

int osim_catalogue_summarise(const osim_scenario *sc, osim_mc_result *const *ev, size_t n,
                             uint64_t seed, size_t years, osim_catalogue_result **out,
                             osim_diag *diag)
{
    const char **names;
    size_t k;
    int rc;

    *out = NULL;
    if (sc == NULL)
        return OSIM_EINVAL;
    if (ev == NULL || n == 0 || n != sc->incidents_count)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "catalogue: %zu event results for %zu incidents", n,
                             sc->incidents_count);
    if ((names = calloc(n, sizeof(*names))) == NULL)
        return OSIM_ENOMEM;
    for (k = 0; k < n; k++)
        names[k] = sc->incidents[k].name;
    rc = osim_catalogue_summarise_events(names, ev, n, seed, years, out, diag);
    free(names);
    return rc;
}

int osim_catalogue_summarise_events(const char *const *names, osim_mc_result *const *ev, size_t n,
                                    uint64_t seed, size_t years, osim_catalogue_result **out,
                                    osim_diag *diag)
{
    osim_catalogue_result *c = NULL;
    osim_ylt_incident *inc = NULL;
    osim_risk_event *events = NULL;
    double **cols = NULL;
    osim_ylt *y = NULL;
    size_t k, t, m;
    int rc;

    *out = NULL;
    if (names == NULL || (rc = check_events(names, ev, n, diag)) != 0)
        return names == NULL ? OSIM_EINVAL : rc;
    if ((c = calloc(1, sizeof(*c))) == NULL || (rc = alloc_names(c, names, ev, n)) != 0) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    c->seed = seed;
    c->years = years;
    inc = calloc(n, sizeof(*inc));
    events = calloc(n, sizeof(*events));
    cols = calloc(n, sizeof(*cols));
    if (inc == NULL || events == NULL || cols == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    for (k = 0; k < n; k++) {
        c->replications[k] = ev[k]->to - ev[k]->from;
        inc[k].name = c->incidents[k];
        inc[k].annual_rate = c->frequency[k];
        inc[k].n_reps = (size_t)c->replications[k];
        if ((cols[k] = malloc((size_t)c->replications[k] * sizeof(double))) == NULL) {
            rc = OSIM_ENOMEM;
            goto fail;
        }
    }
    if ((rc = osim_ylt_build(&y, seed, years, inc, n, diag)) != 0)
        goto fail;
    for (t = 0; t < c->topologies_count; t++) {
        for (m = 0; m < c->measures_count; m++)
            if ((rc = summarise_one(c, y, ev, t, m, cols, events, diag)) != 0)
                goto fail;
        /* The expectation, from the event tables' means (no year sampling). */
        c->annual_loss[t] = c->risk[t * c->measures_count].aal_analytic;
    }
    *out = c;
    c = NULL;
    rc = 0;
fail:
    for (k = 0; cols != NULL && k < n; k++)
        free(cols[k]);
    free(cols);
    free(events);
    free(inc);
    osim_ylt_free(y);
    osim_catalogue_free(c);
    return rc;
}

/* ------------------------------------------------------------ economics */

/*
 * Mean and standard error of the paired differences base - row of the
 * operator's measure in incident result r (both designs met the same
 * fires in every replication). diff holds to - from doubles of scratch.
 */
static void paired(const osim_mc_result *r, size_t b, size_t t, long metric, double *diff,
                   double *mean, double *se)
{
    uint64_t n = r->to - r->from, i;
    double s = 0.0, ss = 0.0;

    for (i = 0; i < n; i++) {
        diff[i] = osim_rows_at(r->rows, r->from + i, b)[metric] -
                  osim_rows_at(r->rows, r->from + i, t)[metric];
        s += diff[i];
    }
    *mean = s / (double)n;
    for (i = 0; i < n; i++)
        ss += (diff[i] - *mean) * (diff[i] - *mean);
    *se = n > 1 ? sqrt(ss / (double)(n - 1) / (double)n) : 0.0;
}

int osim_catalogue_apply(const osim_catalogue_result *c, osim_mc_result *const *ev, size_t n,
                         osim_mc_result *r)
{
    size_t t, k;
    long b = r->baseline_index;
    double F = c->total_frequency, *diff;
    uint64_t most = 0;

    for (k = 0; k < n; k++)
        if (ev[k]->to - ev[k]->from > most)
            most = ev[k]->to - ev[k]->from;
    if ((diff = malloc((size_t)(most ? most : 1) * sizeof(double))) == NULL)
        return OSIM_ENOMEM;
    r->incident_probability = F;
    r->catalogue = c;
    for (t = 0; t < r->topologies_count; t++) {
        osim_mc_economics *e = &r->economics[t];
        double net = 0.0, var = 0.0, dc;
        e->expected_annual_loss_krw = c->annual_loss[t];
        /* M: the cost of an average incident of the catalogue, so that
         * EAL = F M as for one incident of probability F. */
        e->mean_incident_cost_krw = F > 0.0 ? c->annual_loss[t] / F : 0.0;
        if (b < 0 || !e->has_baseline)
            continue;
        dc = e->annual_cost_krw - (double)r->annual_cost_krw[b];
        for (k = 0; k < n; k++) {
            double mean, se;
            long metric = osim_mc_result_metric_index(ev[k], OSIM__MC_INCIDENT_COST);
            paired(ev[k], (size_t)b, t, metric, diff, &mean, &se);
            net += c->frequency[k] * mean;
            var += c->frequency[k] * c->frequency[k] * se * se;
        }
        e->pays = OSIM_PAYS_NA;
        e->break_even_probability = 0.0;
        if ((long)t == b) {
            e->net_annual_benefit_krw = 0.0;
            e->net_ci95_low_krw = e->net_ci95_high_krw = 0.0;
            continue;
        }
        e->net_annual_benefit_krw = net - dc + 0.0;
        e->net_ci95_low_krw = net - Z95 * sqrt(var) - dc + 0.0;
        e->net_ci95_high_krw = net + Z95 * sqrt(var) - dc + 0.0;
        /* Break-even: the total frequency F* at which F* (net / F) = dc. */
        e->pays = osim__mc_pays_when(F > 0.0 ? net / F : 0.0, dc, &e->break_even_probability);
    }
    free(diff);
    return 0;
}
