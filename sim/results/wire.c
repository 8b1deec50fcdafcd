/*
 * wire.c -- a partial result as bytes, for processes that share the units
 * of a sweep (osim_mc_result_pack, result.h), and a summarised result as
 * bytes (codec.h). It sits beside the rows' binary codec (rows_bin.c),
 * whose buffers it writes into.
 *
 * Invariant: unpack(pack(r)) has the same identity, shape, range and
 * rows as r, bit for bit, so that osim_mc_result_merge cannot tell a part
 * that crossed a network from one computed in place. The rows travel as
 * their block in the rows' binary codec (rows.h: identity, topologies,
 * catalogue, economics notes, range, values); what the block does not hold
 * -- the names the catalogue is built from and what results.json records
 * besides -- travels after it. The catalogue is rebuilt from those names,
 * as the loader of saved results does, and the block must then be of
 * exactly the rebuilt result's shape. Statistics are not sent: the merge
 * recomputes them.
 *
 * Layout (native byte order, checked by the first word): u64 magic, the
 * block (rows_bin.c), then overrides, precision (metric, rel, achieved,
 * met), sites, services, segments, policies (name, model, legal basis,
 * in_economics, classes, converted_from and its rate), incident probability,
 * baseline, currency code, the annual cost of each topology, sources and
 * provenance, in the primitives of rows_int.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "outagesim/result.h"
#include "results/codec.h"
#include "results/results_int.h"
#include "results/rows_int.h"

#define MAGIC 0x4f53494d53575034ull /* "OSIMSWP4" read as a native u64 */

/* What the block does not hold: the names the catalogue is built from and
 * the rest of what results.json records. */
static void put_rest(osim__wbuf *b, const osim_mc_result *r)
{
    size_t i;

    osim__wbuf_strv(b, r->overrides, r->overrides_count);
    osim__wbuf_str(b, r->precision_metric);
    osim__wbuf_f64(b, r->precision_rel);
    osim__wbuf_f64(b, r->precision_achieved);
    osim__wbuf_u64(b, r->precision_met ? 1 : 0);
    osim__wbuf_strv(b, r->sites, r->sites_count);
    osim__wbuf_strv(b, r->services, r->services_count);
    osim__wbuf_strv(b, r->segments, r->segments_count);
    osim__wbuf_u64(b, r->copies ? 1 : 0);
    osim__wbuf_u64(b, r->policies_count);
    for (i = 0; i < r->policies_count; i++) {
        const osim_mc_policy *p = &r->policies[i];
        osim__wbuf_str(b, p->name);
        osim__wbuf_str(b, p->model);
        osim__wbuf_str(b, p->legal_basis);
        osim__wbuf_u64(b, p->in_economics ? 1 : 0);
        osim__wbuf_strv(b, p->classes, p->classes_count);
        osim__wbuf_str(b, p->converted_from);
        osim__wbuf_f64(b, p->converted_rate);
    }
    osim__wbuf_f64(b, r->incident_probability);
    osim__wbuf_str(b, r->baseline);
    osim__wbuf_str(b, r->currency != NULL ? r->currency->code : osim_currency_default()->code);
    for (i = 0; i < r->topologies_count; i++)
        osim__wbuf_u64(b, (uint64_t)r->annual_cost_krw[i]);
    osim__wbuf_strv(b, r->sources, r->sources_count);
    osim__wbuf_strv(b, r->provenance, r->provenance_count);
}

int osim_mc_result_pack(const osim_mc_result *r, void **buf, size_t *len)
{
    osim__wbuf b = {NULL, 0, 0, false};

    if (r->rows == NULL || r->spill != NULL || r->rows->from != r->from || r->rows->to != r->to)
        return OSIM_EINVAL;
    osim__wbuf_u64(&b, MAGIC);
    osim__rows_put(&b, r->rows);
    put_rest(&b, r);
    if (b.oom) {
        free(b.p);
        return OSIM_ENOMEM;
    }
    *buf = b.p;
    *len = b.len;
    return 0;
}

/* The identity of r from its block (the block keeps its own copy). */
static int identity_from(osim_mc_result *r, const osim_rows_shape *s)
{
    r->version = osim__strdup(s->version);
    r->scenario_name = osim__strdup(s->scenario_name);
    r->scenario_file = osim__strdup(s->scenario_file);
    memcpy(r->sha256, s->sha256, sizeof(r->sha256));
    r->seed = s->seed;
    if (r->version == NULL || r->scenario_name == NULL || r->scenario_file == NULL ||
        osim__strv_dup(s->topologies, s->topologies_count, &r->topologies) != 0)
        return OSIM_ENOMEM;
    r->topologies_count = s->topologies_count;
    return 0;
}

/* The policies of r (after the block: the catalogue is built from them). */
static void get_policies(osim__rbuf *b, osim_mc_result *r)
{
    uint64_t np = osim__rbuf_u64(b), i;

    if (b->rc == 0 && np > (b->len - b->at) / sizeof(uint64_t))
        b->rc = OSIM_EINVAL;
    if (b->rc == 0 && (r->policies = calloc((size_t)np + 1, sizeof(*r->policies))) == NULL)
        b->rc = OSIM_ENOMEM;
    for (i = 0; b->rc == 0 && i < np; i++) {
        osim_mc_policy *p = &r->policies[i];
        r->policies_count++;
        p->name = osim__rbuf_str_nn(b);
        p->model = osim__rbuf_str_nn(b);
        p->legal_basis = osim__rbuf_str_nn(b);
        p->in_economics = osim__rbuf_u64(b) != 0;
        osim__rbuf_strv(b, &p->classes, &p->classes_count);
        p->converted_from = osim__rbuf_str(b);
        p->converted_rate = osim__rbuf_f64(b);
    }
}

/* put_rest's fields back into r (whose topologies are known). */
static void get_rest(osim__rbuf *b, osim_mc_result *r)
{
    size_t i;

    osim__rbuf_strv(b, &r->overrides, &r->overrides_count);
    r->precision_metric = osim__rbuf_str(b);
    r->precision_rel = osim__rbuf_f64(b);
    r->precision_achieved = osim__rbuf_f64(b);
    r->precision_met = osim__rbuf_u64(b) != 0;
    osim__rbuf_strv(b, &r->sites, &r->sites_count);
    osim__rbuf_strv(b, &r->services, &r->services_count);
    osim__rbuf_strv(b, &r->segments, &r->segments_count);
    r->copies = osim__rbuf_u64(b) != 0;
    get_policies(b, r);
    r->incident_probability = osim__rbuf_f64(b);
    r->baseline = osim__rbuf_str_nn(b);
    {
        char *code = osim__rbuf_str_nn(b);
        if (b->rc == 0 && (r->currency = osim_currency_find(code)) == NULL)
            b->rc = OSIM_EINVAL;
        free(code);
    }
    if (b->rc == 0 &&
        (r->annual_cost_krw = calloc(r->topologies_count + 1, sizeof(int64_t))) == NULL)
        b->rc = OSIM_ENOMEM;
    for (i = 0; b->rc == 0 && i < r->topologies_count; i++)
        r->annual_cost_krw[i] = (int64_t)osim__rbuf_u64(b);
    osim__rbuf_strv(b, &r->sources, &r->sources_count);
    osim__rbuf_strv(b, &r->provenance, &r->provenance_count);
}

int osim_mc_result_unpack(const void *buf, size_t len, osim_mc_result **out, osim_diag *diag)
{
    osim__rbuf b = {buf, len, 0, 0};
    osim_mc_result *r = NULL;
    osim_rows *rows = NULL;

    *out = NULL;
    if (osim__rbuf_u64(&b) != MAGIC || b.rc != 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "a sweep part is not in this program's format (another version, "
                             "byte order or double format)");
    rows = osim__rows_get(&b);
    if (b.rc == 0 && (r = calloc(1, sizeof(*r))) == NULL)
        b.rc = OSIM_ENOMEM;
    if (b.rc == 0 && (rows->shape.kind != OSIM_ROWS_VALUES || rows->shape.topologies_count == 0))
        b.rc = OSIM_EINVAL;
    if (b.rc == 0) {
        r->baseline_index = -1;
        b.rc = identity_from(r, &rows->shape);
    }
    if (b.rc == 0) {
        get_rest(&b, r);
    }
    if (b.rc == 0 && b.at != len)
        b.rc = OSIM_EINVAL; /* trailing bytes: not what pack wrote */
    if (b.rc == 0)
        b.rc = osim_mc_result_catalogue(r);
    /* The block must be of exactly the shape the names rebuild. */
    if (b.rc == 0 && (b.rc = osim__mc_result_adopt_rows(r, rows)) == 0)
        rows = NULL;
    if (b.rc != 0) {
        int rc = b.rc;
        osim_rows_free(rows);
        osim_mc_result_free(r);
        if (rc == OSIM_ENOMEM)
            return rc;
        return osim_diag_set(diag, rc, NULL, 0, 0, "a sweep part is truncated or malformed");
    }
    *out = r;
    return 0;
}

/* ------------------------------------------------------------ summaries */

/*
 * A complete point of an interrupted sweep, kept for `sweep --resume`
 * (sweep.resume): its identity, range, the names of put_rest, and its
 * statistics and economics as native doubles -- not the rows, which a
 * sweep drops once a point is summarised. get_summary rebuilds the
 * catalogue from the names, so every writer gives the same bytes for the
 * point as it did before it was saved.
 */
#define SUMMARY_MAGIC 0x4f53494d53554d31ull /* "OSIMSUM1" read as a native u64 */

void osim__mc_result_put_summary(osim__wbuf *b, const osim_mc_result *r)
{
    size_t i, n = r->topologies_count * r->metrics_count;

    osim__wbuf_u64(b, SUMMARY_MAGIC);
    osim__wbuf_str(b, r->version);
    osim__wbuf_str(b, r->scenario_name);
    osim__wbuf_str(b, r->scenario_file);
    osim__wbuf_put(b, r->sha256, sizeof(r->sha256));
    osim__wbuf_u64(b, r->seed);
    osim__wbuf_u64(b, r->from);
    osim__wbuf_u64(b, r->to);
    osim__wbuf_u64(b, r->interrupted ? 1 : 0);
    osim__wbuf_strv(b, r->topologies, r->topologies_count);
    put_rest(b, r);
    osim__wbuf_u64(b, r->metrics_count);
    for (i = 0; i < n; i++) {
        const osim_stats *s = &r->stats[i];
        osim__wbuf_u64(b, s->n);
        osim__wbuf_f64(b, s->mean);
        osim__wbuf_f64(b, s->sd);
        osim__wbuf_f64(b, s->ci95_low);
        osim__wbuf_f64(b, s->ci95_high);
        osim__wbuf_f64(b, s->p5);
        osim__wbuf_f64(b, s->p50);
        osim__wbuf_f64(b, s->p95);
        osim__wbuf_f64(b, s->min);
        osim__wbuf_f64(b, s->max);
    }
    for (i = 0; i < r->topologies_count; i++) {
        const osim_mc_economics *e = &r->economics[i];
        osim__wbuf_f64(b, e->mean_incident_cost_krw);
        osim__wbuf_f64(b, e->expected_annual_loss_krw);
        osim__wbuf_f64(b, e->annual_cost_krw);
        osim__wbuf_u64(b, e->has_baseline ? 1 : 0);
        osim__wbuf_f64(b, e->net_annual_benefit_krw);
        osim__wbuf_f64(b, e->net_ci95_low_krw);
        osim__wbuf_f64(b, e->net_ci95_high_krw);
        osim__wbuf_u64(b, (uint64_t)e->pays);
        osim__wbuf_f64(b, e->break_even_probability);
    }
    osim__wbuf_u64(b, (uint64_t)(int64_t)r->baseline_index);
}

osim_mc_result *osim__mc_result_get_summary(osim__rbuf *b)
{
    osim_mc_result *r;
    size_t i, n;

    if (osim__rbuf_u64(b) != SUMMARY_MAGIC && b->rc == 0)
        b->rc = OSIM_EINVAL;
    if (b->rc != 0)
        return NULL;
    if ((r = calloc(1, sizeof(*r))) == NULL) {
        b->rc = OSIM_ENOMEM;
        return NULL;
    }
    r->baseline_index = -1;
    r->version = osim__rbuf_str_nn(b);
    r->scenario_name = osim__rbuf_str_nn(b);
    r->scenario_file = osim__rbuf_str_nn(b);
    osim__rbuf_get(b, r->sha256, sizeof(r->sha256));
    r->sha256[64] = '\0';
    r->seed = osim__rbuf_u64(b);
    r->from = osim__rbuf_u64(b);
    r->to = osim__rbuf_u64(b);
    r->interrupted = osim__rbuf_u64(b) != 0;
    osim__rbuf_strv(b, &r->topologies, &r->topologies_count);
    if (b->rc == 0 && r->topologies_count == 0)
        b->rc = OSIM_EINVAL;
    if (b->rc == 0)
        get_rest(b, r);
    if (b->rc == 0)
        b->rc = osim_mc_result_catalogue(r);
    if (b->rc == 0 && osim__rbuf_u64(b) != r->metrics_count && b->rc == 0)
        b->rc = OSIM_EINVAL; /* the names rebuild another catalogue */
    n = r->topologies_count * r->metrics_count;
    if (b->rc == 0 && n > (b->len - b->at) / (10 * sizeof(uint64_t)))
        b->rc = OSIM_EINVAL;
    if (b->rc == 0 &&
        ((r->stats = calloc(n + 1, sizeof(*r->stats))) == NULL ||
         (r->economics = calloc(r->topologies_count + 1, sizeof(*r->economics))) == NULL))
        b->rc = OSIM_ENOMEM;
    for (i = 0; b->rc == 0 && i < n; i++) {
        osim_stats *s = &r->stats[i];
        s->n = (size_t)osim__rbuf_u64(b);
        s->mean = osim__rbuf_f64(b);
        s->sd = osim__rbuf_f64(b);
        s->ci95_low = osim__rbuf_f64(b);
        s->ci95_high = osim__rbuf_f64(b);
        s->p5 = osim__rbuf_f64(b);
        s->p50 = osim__rbuf_f64(b);
        s->p95 = osim__rbuf_f64(b);
        s->min = osim__rbuf_f64(b);
        s->max = osim__rbuf_f64(b);
    }
    for (i = 0; b->rc == 0 && i < r->topologies_count; i++) {
        osim_mc_economics *e = &r->economics[i];
        e->mean_incident_cost_krw = osim__rbuf_f64(b);
        e->expected_annual_loss_krw = osim__rbuf_f64(b);
        e->annual_cost_krw = osim__rbuf_f64(b);
        e->has_baseline = osim__rbuf_u64(b) != 0;
        e->net_annual_benefit_krw = osim__rbuf_f64(b);
        e->net_ci95_low_krw = osim__rbuf_f64(b);
        e->net_ci95_high_krw = osim__rbuf_f64(b);
        e->pays = (osim_mc_pays)osim__rbuf_u64(b);
        e->break_even_probability = osim__rbuf_f64(b);
        if (b->rc == 0 && (unsigned)e->pays > OSIM_PAYS_BELOW)
            b->rc = OSIM_EINVAL;
    }
    if (b->rc == 0)
        r->baseline_index = (long)(int64_t)osim__rbuf_u64(b);
    if (b->rc == 0 && (r->baseline_index < -1 || r->baseline_index >= (long)r->topologies_count))
        b->rc = OSIM_EINVAL;
    if (b->rc != 0) {
        osim_mc_result_free(r);
        return NULL;
    }
    return r;
}
