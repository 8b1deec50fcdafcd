/*
 * bind.c -- the schema-driven binder: YAML nodes -> C structs, with every
 * value's source position remembered.
 *
 * Invariant: after a successful osim__bind_map(), every field of the schema
 * holds either the value the document gave (converted to the program's
 * units) or its default, and the side table knows, for the address of each
 * bound field, where that value came from (the enclosing mapping for a
 * default). Nothing is bound without being checked: a key the schema does
 * not know, a value of the wrong shape or out of range stops binding with
 * file:line:col in the diag. Memory all comes from the context's arena, so
 * an error at any point leaks nothing once the context is freed.
 */
#include "bind.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/dist.h"
#include "units.h"

/* ------------------------------------------------------------ context */

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    max_align_t data[];
} arena_chunk;

typedef struct source {
    char *name;
    bool is_override;
} source;

typedef struct graft {
    struct fy_node *node;
    int src;
} graft;

struct osim_bind_ctx {
    arena_chunk *chunks;
    osim_diag *diag;
    source *sources;
    size_t sources_count, sources_cap;
    graft *grafts;
    size_t grafts_count, grafts_cap;
    osim__note *notes; /* open addressing on addr; addr NULL = empty */
    size_t notes_count, notes_cap;
    osim__ref *refs;
    size_t refs_count, refs_cap;
    osim__pos fallback;
};

#define ARENA_CHUNK_MIN (64u * 1024u)

osim_bind_ctx *osim__bind_ctx_new(osim_diag *diag)
{
    osim_bind_ctx *ctx = calloc(1, sizeof(*ctx));

    if (ctx != NULL)
        ctx->diag = diag;
    return ctx;
}

void osim__bind_ctx_free(osim_bind_ctx *ctx)
{
    arena_chunk *c, *next;

    if (ctx == NULL)
        return;
    for (c = ctx->chunks; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    free(ctx->sources); /* names live in the arena */
    free(ctx->grafts);
    free(ctx->notes);
    free(ctx->refs);
    free(ctx);
}

void osim__bind_set_diag(osim_bind_ctx *ctx, osim_diag *diag)
{
    ctx->diag = diag;
}

osim_diag *osim__bind_diag(osim_bind_ctx *ctx)
{
    return ctx->diag;
}

void *osim__arena_alloc(osim_bind_ctx *ctx, size_t n)
{
    const size_t align = sizeof(max_align_t);
    arena_chunk *c = ctx->chunks;
    void *p;

    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / 2)
        return NULL;
    n = (n + align - 1) / align * align;
    if (c == NULL || c->size - c->used < n) {
        size_t size = n > ARENA_CHUNK_MIN ? n : ARENA_CHUNK_MIN;
        c = malloc(sizeof(*c) + size);
        if (c == NULL)
            return NULL;
        c->size = size;
        c->used = 0;
        /* A chunk made for one big block goes behind the current one so the
         * current one's free space is not wasted. */
        if (ctx->chunks != NULL && size == n && ctx->chunks->size - ctx->chunks->used > 0) {
            c->next = ctx->chunks->next;
            ctx->chunks->next = c;
        } else {
            c->next = ctx->chunks;
            ctx->chunks = c;
        }
    }
    p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *osim__arena_strndup(osim_bind_ctx *ctx, const char *s, size_t n)
{
    char *p = osim__arena_alloc(ctx, n + 1);

    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *osim__arena_strdup(osim_bind_ctx *ctx, const char *s)
{
    return osim__arena_strndup(ctx, s, strlen(s));
}

/* Grow a malloc'ed vector to hold one more item. */
static int grow(void **v, size_t *cap, size_t count, size_t item)
{
    void *n;
    size_t c;

    if (count < *cap)
        return 0;
    c = *cap == 0 ? 16 : *cap * 2;
    n = realloc(*v, c * item);
    if (n == NULL)
        return OSIM_ENOMEM;
    *v = n;
    *cap = c;
    return 0;
}

int osim__bind_source(osim_bind_ctx *ctx, const char *name, bool is_override)
{
    char *copy;

    if (grow((void **)&ctx->sources, &ctx->sources_cap, ctx->sources_count,
             sizeof(*ctx->sources)) != 0)
        return OSIM_ENOMEM;
    copy = osim__arena_strdup(ctx, name);
    if (copy == NULL)
        return OSIM_ENOMEM;
    ctx->sources[ctx->sources_count].name = copy;
    ctx->sources[ctx->sources_count].is_override = is_override;
    return (int)ctx->sources_count++;
}

const char *osim__bind_source_name(const osim_bind_ctx *ctx, int src)
{
    if (src < 0 || (size_t)src >= ctx->sources_count)
        return NULL;
    return ctx->sources[src].name;
}

int osim__bind_graft(osim_bind_ctx *ctx, struct fy_node *node, int src)
{
    if (grow((void **)&ctx->grafts, &ctx->grafts_cap, ctx->grafts_count, sizeof(*ctx->grafts)) !=
        0)
        return OSIM_ENOMEM;
    ctx->grafts[ctx->grafts_count].node = node;
    ctx->grafts[ctx->grafts_count].src = src;
    ctx->grafts_count++;
    return 0;
}

/* The source a node belongs to, given the source of its parent. */
__attribute__((unused)) static int source_of(const osim_bind_ctx *ctx, struct fy_node *n, int src)
{
    size_t i;

    for (i = 0; i < ctx->grafts_count; i++)
        if (ctx->grafts[i].node == n)
            return ctx->grafts[i].src;
    return src;
}

static size_t hash_addr(const void *addr)
{
    uint64_t x = (uint64_t)(uintptr_t)addr;

    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static osim__note *note_slot(osim__note *tab, size_t cap, const void *addr)
{
    size_t i = hash_addr(addr) & (cap - 1);

    while (tab[i].addr != NULL && tab[i].addr != addr)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

int osim__bind_note(osim_bind_ctx *ctx, const void *addr, osim__pos pos, unsigned flags)
{
    osim__note *slot;

    if (addr == NULL)
        return 0;
    if ((ctx->notes_count + 1) * 4 > ctx->notes_cap * 3) {
        size_t cap = ctx->notes_cap == 0 ? 256 : ctx->notes_cap * 2, i;
        osim__note *tab = calloc(cap, sizeof(*tab));
        if (tab == NULL)
            return OSIM_ENOMEM;
        for (i = 0; i < ctx->notes_cap; i++)
            if (ctx->notes[i].addr != NULL)
                *note_slot(tab, cap, ctx->notes[i].addr) = ctx->notes[i];
        free(ctx->notes);
        ctx->notes = tab;
        ctx->notes_cap = cap;
    }
    slot = note_slot(ctx->notes, ctx->notes_cap, addr);
    if (slot->addr == NULL) {
        slot->addr = addr;
        slot->pos = pos;
        slot->flags = flags;
        slot->count = 0;
        ctx->notes_count++;
    } else {
        slot->pos = pos;
        slot->flags |= flags;
    }
    return 0;
}

const osim__note *osim__bind_lookup(const osim_bind_ctx *ctx, const void *addr)
{
    const osim__note *slot;

    if (ctx->notes_cap == 0 || addr == NULL)
        return NULL;
    slot = note_slot(ctx->notes, ctx->notes_cap, addr);
    return slot->addr == addr ? slot : NULL;
}

__attribute__((unused)) static int note_count(osim_bind_ctx *ctx, const void *addr, osim__pos pos, size_t count)
{
    osim__note *slot;

    if (osim__bind_note(ctx, addr, pos, OSIM__P_COUNTED) != 0)
        return OSIM_ENOMEM;
    slot = note_slot(ctx->notes, ctx->notes_cap, addr);
    slot->count = count;
    return 0;
}

void osim__bind_set_fallback(osim_bind_ctx *ctx, osim__pos pos)
{
    ctx->fallback = pos;
}

static int verror_at(osim_bind_ctx *ctx, osim__pos pos, int code, const char *fmt, va_list ap)
{
    char msg[OSIM_DIAG_MSG_MAX];
    const char *file = osim__bind_source_name(ctx, pos.src);

    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (pos.src >= 0 && (size_t)pos.src < ctx->sources_count && ctx->sources[pos.src].is_override)
        pos.line = pos.col = 0;
    return osim_diag_set(ctx->diag, code, file, pos.line, pos.col, "%s", msg);
}

int osim__bind_error_at(osim_bind_ctx *ctx, osim__pos pos, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verror_at(ctx, pos, code, fmt, ap);
    va_end(ap);
    return code;
}

int osim_bind_error(osim_bind_ctx *ctx, const void *field_addr, int code, const char *fmt, ...)
{
    const osim__note *note;
    osim__pos pos;
    va_list ap;

    if (ctx == NULL)
        return code;
    note = osim__bind_lookup(ctx, field_addr);
    pos = note != NULL ? note->pos : ctx->fallback;
    va_start(ap, fmt);
    verror_at(ctx, pos, code, fmt, ap);
    va_end(ap);
    return code;
}

osim__pos osim__bind_node_pos(struct fy_node *n, int src, osim__pos fallback)
{
    osim__pos p = fallback;
    struct fy_token *t;
    const struct fy_mark *m;

    p.src = src;
    if (n == NULL)
        return fallback;
    /* libfyaml 0.7 exposes marks for scalar tokens only: a collection is
     * placed at its first key or item, or at the key that holds it. */
    if (fy_node_is_mapping(n)) {
        void *it = NULL;
        struct fy_node_pair *pair = fy_node_mapping_iterate(n, &it);
        return pair != NULL ? osim__bind_node_pos(fy_node_pair_key(pair), src, fallback)
                            : fallback;
    }
    if (fy_node_is_sequence(n)) {
        void *it = NULL;
        struct fy_node *item = fy_node_sequence_iterate(n, &it);
        return item != NULL ? osim__bind_node_pos(item, src, fallback) : fallback;
    }
    t = fy_node_get_scalar_token(n);
    if (t == NULL)
        return fallback;
    m = fy_token_start_mark(t);
    if (m == NULL)
        return fallback;
    p.line = m->line + 1;
    p.col = m->column + 1;
    return p;
}
