/*
 * rows_bin.c -- the binary codec of a row block, for processes that
 * exchange parts (MPI sweeps, wire.c).
 *
 * Invariant: unpack(pack(b)) equals b: the same shape, range and values,
 * bit for bit (doubles travel as their 8 bytes: -0.0, denormals, 1e308 and
 * NaN payloads come back unchanged), so that osim_rows_concat cannot tell
 * a part that crossed a network from one computed in place.
 *
 * Layout (native byte order, checked by the magic word): u64 magic "OSIMROW1",
 * u64 kind, strings version, scenario_name, scenario_file, 65 bytes sha256,
 * u64 seed, string vectors topologies and columns, u64 notes count and
 * (what, text) pairs, u64 counts_len, u64 has_range, from, to, interrupted,
 * then the values ((to - from) T C doubles) or the counts (counts_len u64).
 * A string is a u64 length and its bytes (length UINT64_MAX for NULL); a
 * vector is a u64 count and its strings.
 */
#include <stdlib.h>
#include <string.h>

#include "results/results_int.h"
#include "results/rows_int.h"

#define MAGIC 0x4f53494d524f5731ull /* "OSIMROW1" read as a native u64 */
#define NULL_LEN UINT64_MAX

/* ------------------------------------------------------------ buffers */

void osim__wbuf_put(osim__wbuf *b, const void *src, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (n > SIZE_MAX / 2 - b->len) {
        b->oom = true;
        return;
    }
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

void osim__wbuf_u64(osim__wbuf *b, uint64_t v)
{
    osim__wbuf_put(b, &v, sizeof(v));
}

void osim__wbuf_f64(osim__wbuf *b, double v)
{
    osim__wbuf_put(b, &v, sizeof(v));
}

void osim__wbuf_str(osim__wbuf *b, const char *s)
{
    if (s == NULL) {
        osim__wbuf_u64(b, NULL_LEN);
        return;
    }
    osim__wbuf_u64(b, strlen(s));
    osim__wbuf_put(b, s, strlen(s));
}

void osim__wbuf_strv(osim__wbuf *b, char *const *v, size_t n)
{
    size_t i;

    osim__wbuf_u64(b, n);
    for (i = 0; i < n; i++)
        osim__wbuf_str(b, v[i]);
}

void osim__rbuf_get(osim__rbuf *b, void *dst, size_t n)
{
    if (n == 0)
        return;
    if (b->rc != 0 || n > b->len - b->at) {
        if (b->rc == 0)
            b->rc = OSIM_EINVAL;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, b->p + b->at, n);
    b->at += n;
}

uint64_t osim__rbuf_u64(osim__rbuf *b)
{
    uint64_t v = 0;

    osim__rbuf_get(b, &v, sizeof(v));
    return v;
}

double osim__rbuf_f64(osim__rbuf *b)
{
    double v = 0;

    osim__rbuf_get(b, &v, sizeof(v));
    return v;
}

char *osim__rbuf_str(osim__rbuf *b)
{
    uint64_t n = osim__rbuf_u64(b);
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
    osim__rbuf_get(b, s, (size_t)n);
    s[n] = '\0';
    return s;
}

char *osim__rbuf_str_nn(osim__rbuf *b)
{
    char *s = osim__rbuf_str(b);

    if (s == NULL && b->rc == 0)
        b->rc = OSIM_EINVAL;
    return s;
}

void osim__rbuf_strv(osim__rbuf *b, char ***v, size_t *count)
{
    uint64_t n = osim__rbuf_u64(b), i;

    *v = NULL;
    *count = 0;
    if (b->rc != 0)
        return;
    /* Each string takes at least its length word: a bound before allocating. */
    if (n > (b->len - b->at) / sizeof(uint64_t)) {
        b->rc = OSIM_EINVAL;
        return;
    }
    if ((*v = calloc((size_t)n + 1, sizeof(char *))) == NULL) {
        b->rc = OSIM_ENOMEM;
        return;
    }
    for (i = 0; i < n && b->rc == 0; i++) {
        (*v)[i] = osim__rbuf_str_nn(b);
        if ((*v)[i] != NULL)
            (*count)++;
    }
}

/* ------------------------------------------------------------ blocks */

void osim__rows_put(osim__wbuf *b, const osim_rows *r)
{
    const osim_rows_shape *s = &r->shape;
    size_t i;

    osim__wbuf_u64(b, MAGIC);
    osim__wbuf_u64(b, (uint64_t)s->kind);
    osim__wbuf_str(b, s->version);
    osim__wbuf_str(b, s->scenario_name);
    osim__wbuf_str(b, s->scenario_file);
    osim__wbuf_put(b, s->sha256, sizeof(s->sha256));
    osim__wbuf_u64(b, s->seed);
    osim__wbuf_strv(b, s->topologies, s->topologies_count);
    osim__wbuf_strv(b, s->columns, s->columns_count);
    osim__wbuf_u64(b, s->notes_count);
    for (i = 0; i < s->notes_count; i++) {
        osim__wbuf_str(b, s->notes[i].what);
        osim__wbuf_str(b, s->notes[i].text);
    }
    osim__wbuf_u64(b, s->counts_len);
    osim__wbuf_u64(b, r->has_range ? 1 : 0);
    osim__wbuf_u64(b, r->from);
    osim__wbuf_u64(b, r->to);
    osim__wbuf_u64(b, r->interrupted ? 1 : 0);
    if (s->kind == OSIM_ROWS_COUNTS)
        osim__wbuf_put(b, r->counts, s->counts_len * sizeof(uint64_t));
    else
        osim__wbuf_put(b, r->values,
                       (size_t)(r->to - r->from) * s->topologies_count * s->columns_count *
                           sizeof(double));
}

/* The shape, up to the range. */
static void get_shape(osim__rbuf *b, osim_rows_shape *s)
{
    uint64_t kind, nn, i;

    kind = osim__rbuf_u64(b);
    if (b->rc == 0 && kind != OSIM_ROWS_VALUES && kind != OSIM_ROWS_COUNTS)
        b->rc = OSIM_EINVAL;
    s->kind = (osim_rows_kind)kind;
    s->version = osim__rbuf_str_nn(b);
    s->scenario_name = osim__rbuf_str_nn(b);
    s->scenario_file = osim__rbuf_str_nn(b);
    osim__rbuf_get(b, s->sha256, sizeof(s->sha256));
    s->sha256[64] = '\0';
    s->seed = osim__rbuf_u64(b);
    osim__rbuf_strv(b, &s->topologies, &s->topologies_count);
    osim__rbuf_strv(b, &s->columns, &s->columns_count);
    nn = osim__rbuf_u64(b);
    if (b->rc == 0 && nn > (b->len - b->at) / (2 * sizeof(uint64_t)))
        b->rc = OSIM_EINVAL;
    if (b->rc == 0 && (s->notes = calloc((size_t)nn + 1, sizeof(*s->notes))) == NULL)
        b->rc = OSIM_ENOMEM;
    for (i = 0; b->rc == 0 && i < nn; i++) {
        s->notes_count++;
        s->notes[i].what = osim__rbuf_str_nn(b);
        s->notes[i].text = osim__rbuf_str_nn(b);
    }
    s->counts_len = (size_t)osim__rbuf_u64(b);
}

osim_rows *osim__rows_get(osim__rbuf *b)
{
    osim_rows *r;
    size_t row;
    uint64_t n;

    if (osim__rbuf_u64(b) != MAGIC && b->rc == 0)
        b->rc = OSIM_EINVAL;
    if (b->rc != 0)
        return NULL;
    if ((r = calloc(1, sizeof(*r))) == NULL) {
        b->rc = OSIM_ENOMEM;
        return NULL;
    }
    get_shape(b, &r->shape);
    r->has_range = osim__rbuf_u64(b) != 0;
    r->from = osim__rbuf_u64(b);
    r->to = osim__rbuf_u64(b);
    r->interrupted = osim__rbuf_u64(b) != 0;
    if (b->rc == 0 && r->to < r->from)
        b->rc = OSIM_EINVAL;
    if (b->rc == 0 && r->shape.kind == OSIM_ROWS_COUNTS) {
        /* Bound by the bytes left before allocating. */
        if (r->shape.counts_len > (b->len - b->at) / sizeof(uint64_t))
            b->rc = OSIM_EINVAL;
        else if ((r->counts = calloc(r->shape.counts_len + 1, sizeof(uint64_t))) == NULL)
            b->rc = OSIM_ENOMEM;
        else
            osim__rbuf_get(b, r->counts, r->shape.counts_len * sizeof(uint64_t));
    } else if (b->rc == 0) {
        row = r->shape.topologies_count * r->shape.columns_count;
        n = r->to - r->from;
        if (row != 0 && n > (b->len - b->at) / sizeof(double) / row)
            b->rc = OSIM_EINVAL;
        else if (osim_rows_reserve(r, n) != 0)
            b->rc = OSIM_ENOMEM;
        else
            osim__rbuf_get(b, r->values, (size_t)n * row * sizeof(double));
    }
    if (b->rc != 0) {
        osim_rows_free(r);
        return NULL;
    }
    return r;
}

/* ------------------------------------------------------------ public */

int osim_rows_pack(const osim_rows *r, void **buf, size_t *len)
{
    osim__wbuf b = {NULL, 0, 0, false};

    osim__rows_put(&b, r);
    if (b.oom) {
        free(b.p);
        return OSIM_ENOMEM;
    }
    *buf = b.p;
    *len = b.len;
    return 0;
}

int osim_rows_unpack(const void *buf, size_t len, size_t *used, osim_rows **out, osim_diag *diag)
{
    osim__rbuf b = {buf, len, 0, 0};
    osim_rows *r = osim__rows_get(&b);

    *out = NULL;
    if (r == NULL) {
        if (b.rc == OSIM_ENOMEM)
            return OSIM_ENOMEM;
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "a row block is truncated, malformed or of another format "
                             "(version, byte order or double format)");
    }
    if (used != NULL)
        *used = b.at;
    *out = r;
    return 0;
}
