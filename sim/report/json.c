/*
 * report_json.c -- the result document.
 *
 * Invariant: the document is a pure function of the result. Keys appear in
 * a fixed order (jansson keeps insertion order), the metrics of each part
 * come from the catalogue in catalogue order, and numbers are rounded the
 * same way every time: money to whole units of the result's currency (the
 * document's "currency") as an integer, other figures to
 * 12 significant digits (dumped with 15, which prints such a value exactly
 * as its 12-digit text), the incident probability with 15. No clock, no
 * thread count, no host: two runs with the same inputs give the same bytes.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/catalogue.h"
#include "outagesim/money.h"
#include "outagesim/report.h"
#include "report/report_int.h"

/* Dumped with this precision: exact for values rounded to <= 15 digits. */
#define DUMP_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

double osim__report_round12(double x)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.12g", x);
    return strtod(buf, NULL) + 0.0;
}

int osim__report_krw(double x, long long *out)
{
    double r = round(x);

    /* 2^63 is exactly representable; anything at or beyond it is not a long long. */
    if (!isfinite(r) || r >= 9223372036854775808.0 || r < -9223372036854775808.0)
        return OSIM_ERANGE;
    *out = (long long)r;
    return 0;
}

bool osim__report_is_money(const char *unit)
{
    return osim_money_unit_is_money(unit);
}

const osim_currency *osim__report_currency(const osim_mc_result *r)
{
    return r->currency != NULL ? r->currency : osim_currency_default();
}

/* A figure of the given unit as a JSON number; NULL (and *rc) on failure. */
static json_t *figure(double x, bool money, int *rc)
{
    if (money) {
        long long v;
        if (osim__report_krw(x, &v) != 0) {
            *rc = OSIM_ERANGE;
            return json_null();
        }
        return json_integer((json_int_t)v);
    }
    if (!isfinite(x)) {
        *rc = OSIM_ERANGE;
        return json_null();
    }
    return json_real(osim__report_round12(x));
}

/* Non-finite becomes null rather than an error (optional figures). */
static json_t *figure_or_null(double x, bool money, int *rc)
{
    if (!isfinite(x))
        return json_null();
    return figure(x, money, rc);
}

static json_t *stats_obj(const osim_stats *s, bool money, int *rc)
{
    json_t *o = json_object();

    json_object_set_new(o, "mean", figure(s->mean, money, rc));
    json_object_set_new(o, "ci95_low", figure(s->ci95_low, money, rc));
    json_object_set_new(o, "ci95_high", figure(s->ci95_high, money, rc));
    json_object_set_new(o, "p5", figure(s->p5, money, rc));
    json_object_set_new(o, "p50", figure(s->p50, money, rc));
    json_object_set_new(o, "p95", figure(s->p95, money, rc));
    json_object_set_new(o, "min", figure(s->min, money, rc));
    json_object_set_new(o, "max", figure(s->max, money, rc));
    return o;
}

/* Add every metric of (group, owner, sub) under topology t to o, by key. */
static void add_metrics(json_t *o, const osim_mc_result *r, size_t t, osim_metric_group g,
                        size_t owner, size_t sub, int *rc)
{
    size_t m;

    for (m = 0; m < r->metrics_count; m++) {
        const osim_metric *x = &r->metrics[m];
        if (x->group != g || x->owner != owner || x->sub != sub)
            continue;
        json_object_set_new(
            o, x->key,
            stats_obj(osim_mc_result_stats(r, t, m), osim__report_is_money(x->unit), rc));
    }
}

/* One quantile (a loss at a return period) with its interval. */
static json_t *risk_quantile(double T, const osim_risk_quantile *q, int *rc)
{
    json_t *o = json_object();

    json_object_set_new(o, "return_period_y", json_real(T));
    json_object_set_new(o, "loss_money", figure(q->loss, true, rc));
    json_object_set_new(o, "ci95_low_money", figure(q->ci95_low, true, rc));
    json_object_set_new(o, "ci95_high_money", figure(q->ci95_high, true, rc));
    return o;
}

/* The risk of one design and one measure (risk.h's summary). */
static json_t *risk_measure(const osim_catalogue_result *c, size_t t, size_t m, int *rc)
{
    const osim_risk_summary *s = &c->risk[t * c->measures_count + m];
    json_t *o = json_object(), *aep = json_array(), *oep = json_array(), *tv = json_array();
    size_t j;

    json_object_set_new(o, "measure", json_string(c->measures[m]));
    json_object_set_new(o, "aal_money", figure(s->aal, true, rc));
    json_object_set_new(o, "aal_ci95_low_money", figure(s->aal_ci95_low, true, rc));
    json_object_set_new(o, "aal_ci95_high_money", figure(s->aal_ci95_high, true, rc));
    json_object_set_new(o, "aal_analytic_money", figure(s->aal_analytic, true, rc));
    json_object_set_new(o, "max_year_loss_money", figure(s->max_year_loss, true, rc));
    json_object_set_new(o, "years_with_loss", json_integer((json_int_t)s->years_with_loss));
    for (j = 0; j < OSIM_RISK_RP_COUNT; j++) {
        json_array_append_new(aep, risk_quantile(osim_risk_return_periods_y[j], &s->aep[j], rc));
        json_array_append_new(oep, risk_quantile(osim_risk_return_periods_y[j], &s->oep[j], rc));
    }
    for (j = 0; j < OSIM_RISK_TVAR_COUNT; j++) {
        json_t *x = json_object();
        json_object_set_new(x, "level", json_real(osim_risk_tvar_levels[j]));
        json_object_set_new(x, "var_money", figure(s->var[j], true, rc));
        json_object_set_new(x, "tvar_money", figure(s->tvar[j], true, rc));
        json_array_append_new(tv, x);
    }
    json_object_set_new(o, "aep", aep);
    json_object_set_new(o, "oep", oep);
    json_object_set_new(o, "tail", tv);
    return o;
}

/* A catalogue run's "risk": the incidents, the year table and, per
 * design, the risk of each measure. */
static json_t *risk_obj(const osim_catalogue_result *c, int *rc)
{
    json_t *o = json_object(), *inc = json_array(), *top = json_array();
    size_t k, t, m;

    json_object_set_new(o, "years", json_integer((json_int_t)c->years));
    json_object_set_new(o, "seed", json_integer((json_int_t)c->seed));
    json_object_set_new(o, "total_frequency_per_year", json_real(c->total_frequency));
    for (k = 0; k < c->incidents_count; k++) {
        json_t *x = json_object();
        json_object_set_new(x, "name", json_string(c->incidents[k]));
        json_object_set_new(x, "frequency_per_year", json_real(c->frequency[k]));
        json_object_set_new(x, "replications", json_integer((json_int_t)c->replications[k]));
        json_array_append_new(inc, x);
    }
    json_object_set_new(o, "incidents", inc);
    for (t = 0; t < c->topologies_count; t++) {
        json_t *x = json_object(), *ms = json_array();
        json_object_set_new(x, "name", json_string(c->topologies[t]));
        for (m = 0; m < c->measures_count; m++)
            json_array_append_new(ms, risk_measure(c, t, m, rc));
        json_object_set_new(x, "measures", ms);
        json_array_append_new(top, x);
    }
    json_object_set_new(o, "topologies", top);
    return o;
}

static json_t *economics_obj(const osim_mc_result *r, size_t t, int *rc)
{
    const osim_mc_economics *e = &r->economics[t];
    json_t *o = json_object();

    json_object_set_new(o, "annual_cost_money", figure(e->annual_cost_krw, true, rc));
    json_object_set_new(o, "mean_incident_cost_money", figure(e->mean_incident_cost_krw, true, rc));
    json_object_set_new(o, "expected_annual_loss_money",
                        figure(e->expected_annual_loss_krw, true, rc));
    if (e->has_baseline) {
        json_object_set_new(o, "net_annual_benefit_money",
                            figure(e->net_annual_benefit_krw, true, rc));
        json_object_set_new(o, "net_annual_benefit_ci95_low_money",
                            figure(e->net_ci95_low_krw, true, rc));
        json_object_set_new(o, "net_annual_benefit_ci95_high_money",
                            figure(e->net_ci95_high_krw, true, rc));
        json_object_set_new(o, "pays_for_itself", json_boolean(e->net_annual_benefit_krw > 0.0));
    } else {
        json_object_set_new(o, "net_annual_benefit_money", json_null());
        json_object_set_new(o, "net_annual_benefit_ci95_low_money", json_null());
        json_object_set_new(o, "net_annual_benefit_ci95_high_money", json_null());
        json_object_set_new(o, "pays_for_itself", json_null());
    }
    /* pays_when: for which annual incident probabilities p the design pays for
     * itself: "above" or "below" break_even_probability, "always", "never";
     * null for the baseline itself. */
    json_object_set_new(o, "pays_when",
                        osim_mc_pays_name(e->pays) != NULL ? json_string(osim_mc_pays_name(e->pays))
                                                           : json_null());
    json_object_set_new(o, "break_even_probability",
                        e->pays == OSIM_PAYS_ABOVE || e->pays == OSIM_PAYS_BELOW
                            ? figure(e->break_even_probability, false, rc)
                            : json_null());
    return o;
}

static json_t *topology_obj(const osim_mc_result *r, size_t t, int *rc)
{
    json_t *o = json_object(), *a, *x, *sb, *segs;
    size_t i, c;

    json_object_set_new(o, "name", json_string(r->topologies[t]));
    a = json_array();
    for (i = 0; i < r->services_count; i++) {
        x = json_object();
        json_object_set_new(x, "name", json_string(r->services[i]));
        add_metrics(x, r, t, OSIM_MG_SERVICE, i, 0, rc);
        add_metrics(x, r, t, OSIM_MG_COPIES, i, 0, rc);
        json_array_append_new(a, x);
    }
    json_object_set_new(o, "services", a);
    add_metrics(o, r, t, OSIM_MG_TOPOLOGY, 0, 0, rc);
    x = json_object();
    add_metrics(x, r, t, OSIM_MG_USERS, 0, 0, rc);
    json_object_set_new(o, "users", x);
    sb = json_object();
    add_metrics(sb, r, t, OSIM_MG_SMALL_BUSINESS, 0, 0, rc);
    segs = json_array();
    for (i = 0; i < r->segments_count; i++) {
        x = json_object();
        json_object_set_new(x, "name", json_string(r->segments[i]));
        add_metrics(x, r, t, OSIM_MG_SEGMENT, i, 0, rc);
        json_array_append_new(segs, x);
    }
    json_object_set_new(sb, "segments", segs);
    json_object_set_new(o, "small_business", sb);
    x = json_object();
    add_metrics(x, r, t, OSIM_MG_DATA_LOSS, 0, 0, rc);
    json_object_set_new(o, "data_loss", x);
    x = json_object();
    add_metrics(x, r, t, OSIM_MG_OPERATOR, 0, 0, rc);
    json_object_set_new(o, "operator", x);
    a = json_array();
    for (i = 0; i < r->policies_count; i++) {
        const osim_mc_policy *p = &r->policies[i];
        json_t *cls = json_array();
        x = json_object();
        json_object_set_new(x, "policy", json_string(p->name));
        json_object_set_new(x, "model", json_string(p->model));
        json_object_set_new(x, "legal_basis", json_string(p->legal_basis));
        json_object_set_new(x, "in_economics", json_boolean(p->in_economics));
        if (p->converted_from != NULL) {
            /* Written in another currency: which, and the rate it was converted at. */
            json_t *cv = json_object();
            json_object_set_new(cv, "currency", json_string(p->converted_from));
            json_object_set_new(cv, "rate", json_real(p->converted_rate));
            json_object_set_new(x, "converted_from", cv);
        }
        add_metrics(x, r, t, OSIM_MG_COMP, i, 0, rc);
        for (c = 0; c < p->classes_count; c++) {
            json_t *k = json_object();
            json_object_set_new(k, "name", json_string(p->classes[c]));
            add_metrics(k, r, t, OSIM_MG_COMP_CLASS, i, c, rc);
            json_array_append_new(cls, k);
        }
        json_object_set_new(x, "classes", cls);
        json_array_append_new(a, x);
    }
    json_object_set_new(o, "compensation", a);
    add_metrics(o, r, t, OSIM_MG_COST, 0, 0, rc);
    json_object_set_new(o, "economics", economics_obj(r, t, rc));
    return o;
}

static json_t *strings(char *const *v, size_t n)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

/* A flattened string of the result ("" = absent) as a JSON string or null. */
static json_t *str_or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

/* The scenario's sources: [{id, title, publisher, date, url, note}]. */
static json_t *sources_arr(const osim_mc_result *r)
{
    static const char *const keys[OSIM_MC_SOURCE_FIELDS] = {"id",   "title", "publisher",
                                                            "date", "url",   "note"};
    json_t *a = json_array();
    size_t i, j;

    for (i = 0; i + OSIM_MC_SOURCE_FIELDS <= r->sources_count; i += OSIM_MC_SOURCE_FIELDS) {
        json_t *o = json_object();
        for (j = 0; j < OSIM_MC_SOURCE_FIELDS; j++)
            json_object_set_new(o, keys[j], str_or_null(r->sources[i + j]));
        json_array_append_new(a, o);
    }
    return a;
}

/* Every annotated value: [{path, kind, sources: [ids], reason, note}]. */
static json_t *provenance_arr(const osim_mc_result *r)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i + OSIM_MC_PROV_FIELDS <= r->provenance_count; i += OSIM_MC_PROV_FIELDS) {
        json_t *o = json_object(), *ids = json_array();
        const char *p = r->provenance[i + 2];
        while (*p != '\0') {
            size_t n = strcspn(p, " ");
            json_array_append_new(ids, json_stringn(p, n));
            p += n;
            if (*p == ' ')
                p++;
        }
        json_object_set_new(o, "path", json_string(r->provenance[i]));
        json_object_set_new(o, "kind", json_string(r->provenance[i + 1]));
        json_object_set_new(o, "sources", ids);
        json_object_set_new(o, "reason", str_or_null(r->provenance[i + 3]));
        json_object_set_new(o, "note", str_or_null(r->provenance[i + 4]));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *osim__report_json_doc(const osim_mc_result *r, int *rc)
{
    json_t *doc = json_object(), *x, *a;
    size_t i;

    json_object_set_new(doc, "tool", json_string("outagesim"));
    json_object_set_new(doc, "version", json_string(r->version));
    x = json_object();
    json_object_set_new(x, "name", json_string(r->scenario_name));
    json_object_set_new(x, "file", json_string(r->scenario_file));
    json_object_set_new(x, "sha256", json_string(r->sha256));
    json_object_set_new(x, "overrides", strings(r->overrides, r->overrides_count));
    json_object_set_new(doc, "scenario", x);
    json_object_set_new(doc, "seed", json_integer((json_int_t)r->seed));
    /* Every money figure below (keys ending in _money) is in whole units of it. */
    json_object_set_new(doc, "currency", json_string(osim__report_currency(r)->code));
    json_object_set_new(doc, "replications", json_integer((json_int_t)(r->to - r->from)));
    json_object_set_new(doc, "from", json_integer((json_int_t)r->from));
    json_object_set_new(doc, "to", json_integer((json_int_t)r->to));
    json_object_set_new(doc, "interrupted", json_boolean(r->interrupted));
    if (r->precision_metric != NULL) {
        x = json_object();
        json_object_set_new(x, "metric", json_string(r->precision_metric));
        json_object_set_new(x, "rel", figure(r->precision_rel, false, rc));
        json_object_set_new(x, "achieved", figure_or_null(r->precision_achieved, false, rc));
        json_object_set_new(x, "met", json_boolean(r->precision_met));
        json_object_set_new(doc, "precision", x);
    }
    /* The fire is the same under every topology (common random numbers):
     * written once, from the first topology's rows. */
    x = json_object();
    a = json_array();
    for (i = 0; i < r->sites_count; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "name", json_string(r->sites[i]));
        if (r->topologies_count > 0)
            add_metrics(s, r, 0, OSIM_MG_INCIDENT, i, 0, rc);
        json_array_append_new(a, s);
    }
    json_object_set_new(x, "sites", a);
    json_object_set_new(doc, "incident", x);
    x = json_object();
    /* 15 digits: the exact value the run used (osim_mc_result_catalogue rounds it so). */
    json_object_set_new(x, "incident_probability", json_real(r->incident_probability));
    json_object_set_new(x, "baseline", json_string(r->baseline));
    a = json_array();
    for (i = 0; i < r->policies_count; i++)
        if (r->policies[i].in_economics)
            json_array_append_new(a, json_string(r->policies[i].name));
    json_object_set_new(x, "policies", a);
    json_object_set_new(doc, "economics", x);
    if (r->catalogue != NULL)
        json_object_set_new(doc, "risk", risk_obj(r->catalogue, rc));
    a = json_array();
    for (i = 0; i < r->topologies_count; i++)
        json_array_append_new(a, topology_obj(r, i, rc));
    json_object_set_new(doc, "topologies", a);
    /* Last, so that readers of the keys above see the document they knew. */
    json_object_set_new(doc, "sources", sources_arr(r));
    json_object_set_new(doc, "provenance", provenance_arr(r));
    return doc;
}

int osim_report_json(const osim_mc_result *r, FILE *f, osim_diag *diag)
{
    int rc = 0;
    json_t *doc = osim__report_json_doc(r, &rc);

    if (doc != NULL && rc != 0) {
        json_decref(doc);
        return osim_diag_set(diag, rc, NULL, 0, 0,
                             "a figure of the result cannot be written (out of range)");
    }
    if ((rc = osim__report_json_dump(doc, f)) == OSIM_EIO)
        return osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write the result document");
    return rc;
}

int osim__report_json_dump(json_t *doc, FILE *f)
{
    int rc = 0;

    if (doc == NULL)
        return OSIM_ENOMEM;
    if (json_dumpf(doc, f, DUMP_FLAGS) != 0 || fputc('\n', f) == EOF || ferror(f))
        rc = OSIM_EIO;
    json_decref(doc);
    return rc;
}
