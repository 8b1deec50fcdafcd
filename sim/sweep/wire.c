/*
 * sweep_wire.c -- a partial result as bytes, for processes that share the
 * units of a sweep.
 *
 * Invariant: unpack(pack(r)) has the same identity, shape, range and
 * rows as r, bit for bit, so that osim_mc_result_merge cannot tell a part
 * that crossed a network from one computed in place. The shape is what
 * osim_mc_result_merge compares and copies (the fields a results.json
 * records); the catalogue is rebuilt from it with osim_mc_result_catalogue,
 * as the loader of saved results does, and its size is checked against
 * the packed one. Statistics are not sent: the merge recomputes them.
 *
 * Layout (native byte order, checked by the first word): u64 magic,
 * then fields in the order of pack(); a string is u64 length + bytes
 * (length UINT64_MAX for NULL); doubles are their 8 bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "outagesim/sweep.h"
#include "results/results_int.h"

#define MAGIC 0x4f53494d53575031ull /* "OSIMSWP1" read as a native u64 */
#define NULL_LEN UINT64_MAX

typedef struct wbuf {
    unsigned char *p;
    size_t len, cap;
    bool oom;
} wbuf;

static void put(wbuf *b, const void *src, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        unsigned char *np;
        while (nc < b->len + n)
            nc *= 2;
        if ((np = realloc(b->p, nc)) == NULL) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put_u64(wbuf *b, uint64_t v)
{
    put(b, &v, sizeof(v));
}

static void put_f64(wbuf *b, double v)
{
    put(b, &v, sizeof(v));
}

static void put_str(wbuf *b, const char *s)
{
    if (s == NULL) {
        put_u64(b, NULL_LEN);
        return;
    }
    put_u64(b, strlen(s));
    put(b, s, strlen(s));
}

static void put_strv(wbuf *b, char *const *v, size_t n)
{
    size_t i;

    put_u64(b, n);
    for (i = 0; i < n; i++)
        put_str(b, v[i]);
}

int osim_sweep_pack(const osim_mc_result *r, void **buf, size_t *len)
{
    wbuf b = {NULL, 0, 0, false};
    size_t i, rows;

    put_u64(&b, MAGIC);
    put_str(&b, r->version);
    put_str(&b, r->scenario_name);
    put_str(&b, r->scenario_file);
    put(&b, r->sha256, sizeof(r->sha256));
    put_strv(&b, r->overrides, r->overrides_count);
    put_u64(&b, r->seed);
    put_u64(&b, r->from);
    put_u64(&b, r->to);
    put_u64(&b, r->interrupted ? 1 : 0);
    put_str(&b, r->precision_metric);
    put_f64(&b, r->precision_rel);
    put_f64(&b, r->precision_achieved);
    put_u64(&b, r->precision_met ? 1 : 0);
    put_strv(&b, r->topologies, r->topologies_count);
    for (i = 0; i < r->topologies_count; i++)
        put_u64(&b, (uint64_t)r->annual_cost_krw[i]);
    put_strv(&b, r->sites, r->sites_count);
    put_strv(&b, r->services, r->services_count);
    put_strv(&b, r->segments, r->segments_count);
    put_u64(&b, r->policies_count);
    for (i = 0; i < r->policies_count; i++) {
        const osim_mc_policy *p = &r->policies[i];
        put_str(&b, p->name);
        put_str(&b, p->model);
        put_str(&b, p->legal_basis);
        put_u64(&b, p->in_economics ? 1 : 0);
        put_strv(&b, p->classes, p->classes_count);
    }
    put_f64(&b, r->incident_probability);
    put_str(&b, r->baseline);
    put_u64(&b, r->metrics_count);
    rows = (size_t)(r->to - r->from) * r->topologies_count * r->metrics_count;
    if (rows > 0)
        put(&b, r->values, rows * sizeof(double));
    if (b.oom) {
        free(b.p);
        return OSIM_ENOMEM;
    }
    *buf = b.p;
    *len = b.len;
    return 0;
}

typedef struct rbuf {
    const unsigned char *p;
    size_t len, at;
    int rc;
} rbuf;

static void get(rbuf *b, void *dst, size_t n)
{
    if (b->rc != 0)
        return;
    if (n > b->len - b->at) {
        b->rc = OSIM_EINVAL;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, b->p + b->at, n);
    b->at += n;
}

static uint64_t get_u64(rbuf *b)
{
    uint64_t v = 0;

    get(b, &v, sizeof(v));
    return v;
}

static double get_f64(rbuf *b)
{
    double v = 0;

    get(b, &v, sizeof(v));
    return v;
}

static char *get_str(rbuf *b)
{
    uint64_t n = get_u64(b);
    char *s;

    if (b->rc != 0 || n == NULL_LEN)
        return NULL;
    if (n > b->len - b->at) {
        b->rc = OSIM_EINVAL;
        return NULL;
    }
    if ((s = malloc((size_t)n + 1)) == NULL) {
        b->rc = OSIM_ENOMEM;
        return NULL;
    }
    get(b, s, (size_t)n);
    s[n] = '\0';
    return s;
}

/* A non-NULL string (an empty one for a NULL on the wire is an error). */
static char *get_str_nn(rbuf *b)
{
    char *s = get_str(b);

    if (s == NULL && b->rc == 0)
        b->rc = OSIM_EINVAL;
    return s;
}

/* n strings into *v (array of n + 1, so that n = 0 allocates too). */
static void get_strv(rbuf *b, char ***v, size_t *count)
{
    uint64_t n = get_u64(b), i;

    *v = NULL;
    *count = 0;
    if (b->rc != 0)
        return;
    if (n > (b->len - b->at) / sizeof(uint64_t)) {
        b->rc = OSIM_EINVAL;
        return;
    }
    if ((*v = calloc((size_t)n + 1, sizeof(char *))) == NULL) {
        b->rc = OSIM_ENOMEM;
        return;
    }
    for (i = 0; i < n && b->rc == 0; i++) {
        (*v)[i] = get_str_nn(b);
        if ((*v)[i] != NULL)
            (*count)++;
    }
}

int osim_sweep_unpack(const void *buf, size_t len, osim_mc_result **out, osim_diag *diag)
{
    rbuf b = {buf, len, 0, 0};
    osim_mc_result *r;
    uint64_t i, np, mcount, rows;

    *out = NULL;
    if (get_u64(&b) != MAGIC || b.rc != 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "a sweep part is not in this program's format (another version, "
                             "byte order or double format)");
    if ((r = calloc(1, sizeof(*r))) == NULL)
        return OSIM_ENOMEM;
    r->baseline_index = -1;
    r->version = get_str_nn(&b);
    r->scenario_name = get_str_nn(&b);
    r->scenario_file = get_str_nn(&b);
    get(&b, r->sha256, sizeof(r->sha256));
    r->sha256[64] = '\0';
    get_strv(&b, &r->overrides, &r->overrides_count);
    r->seed = get_u64(&b);
    r->from = get_u64(&b);
    r->to = get_u64(&b);
    r->interrupted = get_u64(&b) != 0;
    r->precision_metric = get_str(&b);
    r->precision_rel = get_f64(&b);
    r->precision_achieved = get_f64(&b);
    r->precision_met = get_u64(&b) != 0;
    get_strv(&b, &r->topologies, &r->topologies_count);
    if (b.rc == 0) {
        if ((r->annual_cost_krw = calloc(r->topologies_count + 1, sizeof(int64_t))) == NULL)
            b.rc = OSIM_ENOMEM;
        for (i = 0; b.rc == 0 && i < r->topologies_count; i++)
            r->annual_cost_krw[i] = (int64_t)get_u64(&b);
    }
    get_strv(&b, &r->sites, &r->sites_count);
    get_strv(&b, &r->services, &r->services_count);
    get_strv(&b, &r->segments, &r->segments_count);
    np = get_u64(&b);
    if (b.rc == 0 && np > (len - b.at) / sizeof(uint64_t))
        b.rc = OSIM_EINVAL;
    if (b.rc == 0 && (r->policies = calloc((size_t)np + 1, sizeof(*r->policies))) == NULL)
        b.rc = OSIM_ENOMEM;
    for (i = 0; b.rc == 0 && i < np; i++) {
        osim_mc_policy *p = &r->policies[i];
        r->policies_count++;
        p->name = get_str_nn(&b);
        p->model = get_str_nn(&b);
        p->legal_basis = get_str_nn(&b);
        p->in_economics = get_u64(&b) != 0;
        get_strv(&b, &p->classes, &p->classes_count);
    }
    r->incident_probability = get_f64(&b);
    r->baseline = get_str_nn(&b);
    mcount = get_u64(&b);
    if (b.rc == 0 && (r->to < r->from || r->topologies_count == 0))
        b.rc = OSIM_EINVAL;
    if (b.rc == 0)
        b.rc = osim_mc_result_catalogue(r);
    if (b.rc == 0 && r->metrics_count != mcount)
        b.rc = OSIM_EINVAL;
    if (b.rc == 0) {
        rows = (r->to - r->from) * r->topologies_count * r->metrics_count;
        if (rows != (len - b.at) / sizeof(double) || (len - b.at) % sizeof(double) != 0)
            b.rc = OSIM_EINVAL;
        else if (osim_mc_result_reserve(r, r->to - r->from) != 0)
            b.rc = OSIM_ENOMEM;
        else if (rows > 0)
            get(&b, r->values, (size_t)rows * sizeof(double));
    }
    if (b.rc != 0) {
        int rc = b.rc;
        osim_mc_result_free(r);
        if (rc == OSIM_ENOMEM)
            return rc;
        return osim_diag_set(diag, rc, NULL, 0, 0, "a sweep part is truncated or malformed");
    }
    *out = r;
    return 0;
}
