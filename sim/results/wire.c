/*
 * wire.c -- a partial result as bytes, for processes that share the units
 * of a sweep (osim_mc_result_pack, result.h). It sits beside the rows'
 * binary codec (rows_bin.c), whose buffers it writes into.
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
 * in_economics, classes), incident probability, baseline and the annual
 * cost of each topology, in the primitives of rows_int.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "outagesim/result.h"
#include "results/results_int.h"
#include "results/rows_int.h"

#define MAGIC 0x4f53494d53575032ull /* "OSIMSWP2" read as a native u64 */

int osim_mc_result_pack(const osim_mc_result *r, void **buf, size_t *len)
{
    osim__wbuf b = {NULL, 0, 0, false};
    size_t i;

    if (r->rows == NULL || r->rows->from != r->from || r->rows->to != r->to)
        return OSIM_EINVAL;
    osim__wbuf_u64(&b, MAGIC);
    osim__rows_put(&b, r->rows);
    osim__wbuf_strv(&b, r->overrides, r->overrides_count);
    osim__wbuf_str(&b, r->precision_metric);
    osim__wbuf_f64(&b, r->precision_rel);
    osim__wbuf_f64(&b, r->precision_achieved);
    osim__wbuf_u64(&b, r->precision_met ? 1 : 0);
    osim__wbuf_strv(&b, r->sites, r->sites_count);
    osim__wbuf_strv(&b, r->services, r->services_count);
    osim__wbuf_strv(&b, r->segments, r->segments_count);
    osim__wbuf_u64(&b, r->policies_count);
    for (i = 0; i < r->policies_count; i++) {
        const osim_mc_policy *p = &r->policies[i];
        osim__wbuf_str(&b, p->name);
        osim__wbuf_str(&b, p->model);
        osim__wbuf_str(&b, p->legal_basis);
        osim__wbuf_u64(&b, p->in_economics ? 1 : 0);
        osim__wbuf_strv(&b, p->classes, p->classes_count);
    }
    osim__wbuf_f64(&b, r->incident_probability);
    osim__wbuf_str(&b, r->baseline);
    for (i = 0; i < r->topologies_count; i++)
        osim__wbuf_u64(&b, (uint64_t)r->annual_cost_krw[i]);
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
    }
}

int osim_mc_result_unpack(const void *buf, size_t len, osim_mc_result **out, osim_diag *diag)
{
    osim__rbuf b = {buf, len, 0, 0};
    osim_mc_result *r = NULL;
    osim_rows *rows = NULL;
    size_t i;

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
        osim__rbuf_strv(&b, &r->overrides, &r->overrides_count);
        r->precision_metric = osim__rbuf_str(&b);
        r->precision_rel = osim__rbuf_f64(&b);
        r->precision_achieved = osim__rbuf_f64(&b);
        r->precision_met = osim__rbuf_u64(&b) != 0;
        osim__rbuf_strv(&b, &r->sites, &r->sites_count);
        osim__rbuf_strv(&b, &r->services, &r->services_count);
        osim__rbuf_strv(&b, &r->segments, &r->segments_count);
        get_policies(&b, r);
        r->incident_probability = osim__rbuf_f64(&b);
        r->baseline = osim__rbuf_str_nn(&b);
    }
    if (b.rc == 0 && (r->annual_cost_krw = calloc(r->topologies_count, sizeof(int64_t))) == NULL)
        b.rc = OSIM_ENOMEM;
    for (i = 0; b.rc == 0 && i < r->topologies_count; i++)
        r->annual_cost_krw[i] = (int64_t)osim__rbuf_u64(&b);
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
