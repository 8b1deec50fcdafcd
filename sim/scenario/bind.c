/*
 * bind.c -- the schema-driven binder: YAML nodes -> C structs, with every
 * value's source position remembered.
 *
 * How the tables drive it: the binder has no code for any section of the
 * scenario. osim__bind_map() walks one YAML mapping against one
 * osim_schema: each key is looked up among the schema's fields, and the
 * field's type says how the value is parsed (units.h for scalars,
 * dist.h forms for distributions) and where it is stored (base + offset);
 * MAP and SEQ fields recurse with their `sub` schema, so the nesting of
 * the tables is the nesting of the file. Fields the mapping leaves out are
 * bound from their `def` text exactly as if the file had said it, so a
 * default obeys the same checks as a value. REF and REFS names are only
 * queued here; the loader resolves them once every collection is bound.
 *
 * Invariant: after a successful osim__bind_map(), every field of the schema
 * holds either the value the document gave (converted to the program's
 * units) or its default, and the side table of notes knows, for the
 * address of each bound field (and of each list item and distribution
 * parameter), the source, line and column its value came from. A default
 * is noted at the mapping that left its key out, a list as a whole at its
 * key, and anything --set put in at the override's own source (which has
 * no line). Checks that run after binding -- the loader's, a model's
 * validate hook -- therefore report file:line:col from a field's address
 * alone (osim_bind_error). Nothing is bound without being checked: a key
 * the schema does not know, a value of the wrong shape or out of range
 * stops binding with file:line:col in the diag. Memory all comes from the
 * context's arena, so an error at any point leaks nothing once the
 * context is freed.
 *
 * Sources and assumptions: a value written {value: X, source: ID} (or
 * assumption: "why"), a distribution mapping with those keys beside its
 * own, and any mapping carrying them for itself, bind exactly as X, the
 * distribution or the mapping alone would; the annotation is recorded
 * (osim__bind_provs) under the params path of what it is about, and the
 * loader checks its ids once every file's sources are known.
 */
#include "scenario/bind.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "outagesim/dist.h"

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
    osim__prov *provs;
    size_t provs_count, provs_cap;
    osim__pos fallback;
    bool defaulting; /* binding a default: every position is default_pos */
    osim__pos default_pos;
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
    free(ctx->provs); /* their strings live in the arena */
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

/* Grow a malloc'ed vector to hold one more item. Sources, grafts and refs
 * are malloc'ed, not arena, because they grow and are dropped whole. */
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

bool osim__bind_source_is_override(const osim_bind_ctx *ctx, int src)
{
    return src >= 0 && (size_t)src < ctx->sources_count && ctx->sources[src].is_override;
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

/* A node --set put into a document belongs to the override's source, not
 * to the file around it: remember that, for source_of(). */
int osim__bind_graft(osim_bind_ctx *ctx, struct fy_node *node, int src)
{
    if (grow((void **)&ctx->grafts, &ctx->grafts_cap, ctx->grafts_count, sizeof(*ctx->grafts)) != 0)
        return OSIM_ENOMEM;
    ctx->grafts[ctx->grafts_count].node = node;
    ctx->grafts[ctx->grafts_count].src = src;
    ctx->grafts_count++;
    return 0;
}

/* The source a node belongs to, given the source of its parent. */
static int source_of(const osim_bind_ctx *ctx, struct fy_node *n, int src)
{
    size_t i;

    /* Latest first: a node freed by a later override may share an address. */
    for (i = ctx->grafts_count; i-- > 0;)
        if (ctx->grafts[i].node == n)
            return ctx->grafts[i].src;
    return src;
}

/* Notes are keyed by field address in an open-addressing table whose
 * capacity is a power of two; struct fields share their low address bits,
 * so the address is mixed first (the first half of MurmurHash3's 64-bit
 * finaliser) before it is masked. */
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
    /* Keep the load at most 3/4, so a probe always ends at an empty slot. */
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
        /* Bound again (a default, then the value): the latest place wins. */
        slot->pos = pos;
        slot->flags |= flags;
    }
    return 0;
}

/* The loader reorders arrays after binding (a topology's placements, into
 * service order): carry the notes along, or errors about moved
 * fields would lose their place. Collected first, because re-noting may
 * grow (and rebuild) the table being scanned. */
int osim__bind_move(osim_bind_ctx *ctx, const void *old, void *new_base, size_t size, size_t n,
                    const size_t *perm)
{
    const char *lo = old, *hi = lo + size * n;
    osim__note *moved;
    size_t i, k = 0;
    int rc = 0;

    if (n == 0 || ctx->notes_cap == 0)
        return 0;
    moved = malloc(ctx->notes_count * sizeof(*moved));
    if (moved == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < ctx->notes_cap; i++) {
        const char *a = ctx->notes[i].addr;
        if (a != NULL && a >= lo && a < hi) {
            size_t off = (size_t)(a - lo);
            moved[k] = ctx->notes[i];
            moved[k].addr = (char *)new_base + perm[off / size] * size + off % size;
            k++;
        }
    }
    for (i = 0; i < k && rc == 0; i++) {
        rc = osim__bind_note(ctx, moved[i].addr, moved[i].pos, moved[i].flags);
        if (rc == 0)
            note_slot(ctx->notes, ctx->notes_cap, moved[i].addr)->count = moved[i].count;
    }
    free(moved);
    return rc;
}

const osim__note *osim__bind_lookup(const osim_bind_ctx *ctx, const void *addr)
{
    const osim__note *slot;

    if (ctx->notes_cap == 0 || addr == NULL)
        return NULL;
    slot = note_slot(ctx->notes, ctx->notes_cap, addr);
    return slot->addr == addr ? slot : NULL;
}

/* A list with no count field of its own (OSIM_NO_COUNT) keeps its length in
 * its note, where the loader checks it against the field that implies it. */
static int note_count(osim_bind_ctx *ctx, const void *addr, osim__pos pos, size_t count)
{
    osim__note *slot;

    if (osim__bind_note(ctx, addr, pos, OSIM__P_COUNTED) != 0)
        return OSIM_ENOMEM;
    slot = note_slot(ctx->notes, ctx->notes_cap, addr);
    slot->count = count;
    return 0;
}

/* Where osim_bind_error() reports a field that has no note (a model's
 * validate hook may name a derived field): the policy's params. */
void osim__bind_set_fallback(osim_bind_ctx *ctx, osim__pos pos)
{
    ctx->fallback = pos;
}

/* The format attribute lets clang check the forwarded format (-Wformat-nonliteral). */
__attribute__((format(printf, 4, 0))) static int verror_at(osim_bind_ctx *ctx, osim__pos pos,
                                                           int code, const char *fmt, va_list ap)
{
    char msg[OSIM_DIAG_MSG_MAX];
    const char *file = osim__bind_source_name(ctx, pos.src);

    vsnprintf(msg, sizeof(msg), fmt, ap);
    /* An override is one line of the command, not a file: no line:col. */
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
        return pair != NULL ? osim__bind_node_pos(fy_node_pair_key(pair), src, fallback) : fallback;
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

/* ------------------------------------------------------------ quiet parsing */

typedef struct quiet_err {
    bool got;
    char msg[200];
} quiet_err;

static void quiet_capture(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    quiet_err *e = user;
    char text[400];
    const char *p;
    size_t n = len < sizeof(text) - 1 ? len : sizeof(text) - 1;

    (void)diag;
    if (e->got)
        return;
    memcpy(text, buf, n);
    text[n] = '\0';
    p = strstr(text, "error: ");
    if (p == NULL)
        return;
    e->got = true;
    snprintf(e->msg, sizeof(e->msg), "%s", p + 7);
    e->msg[strcspn(e->msg, "\n")] = '\0';
}

/* Parse YAML text that is not a file (a default, a --set value): libfyaml's
 * own messages are captured, never printed, since library code writes
 * nothing to stderr; the first error becomes err. */
struct fy_document *osim__yaml_from_string(const char *text, char *err, size_t n_err)
{
    struct fy_diag_cfg dcfg;
    struct fy_parse_cfg cfg;
    struct fy_diag *diag;
    struct fy_document *doc;
    quiet_err e;

    memset(&e, 0, sizeof(e));
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = quiet_capture;
    dcfg.user = &e;
    dcfg.colorize = false;
    diag = fy_diag_create(&dcfg);
    if (diag == NULL)
        return NULL;
    memset(&cfg, 0, sizeof(cfg));
    cfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2;
    cfg.diag = diag;
    doc = fy_document_build_from_string(&cfg, text, FY_NT);
    if (doc != NULL && fy_document_root(doc) == NULL) {
        fy_document_destroy(doc);
        doc = NULL;
    }
    if (doc == NULL && err != NULL && n_err > 0)
        snprintf(err, n_err, "%s", e.got ? e.msg : "no value");
    /* The document may report later (it keeps the diag): point it nowhere. */
    if (doc != NULL) {
        dcfg.output_fn = NULL;
        dcfg.user = NULL;
        fy_diag_set_cfg(diag, &dcfg);
    }
    fy_diag_unref(diag);
    return doc;
}

/* ------------------------------------------------------------ nodes and names */

/* YAML 1.2 core-schema null: plain ~, null, Null, NULL or nothing. A quoted
 * "null" is a string and stays one. */
bool osim__node_is_null(struct fy_node *n)
{
    const char *t;
    size_t len;
    enum fy_node_style st;

    if (n == NULL)
        return true;
    if (!fy_node_is_scalar(n) || fy_node_is_alias(n))
        return false;
    st = fy_node_get_style(n);
    if (st != FYNS_PLAIN && st != FYNS_ANY)
        return false;
    t = fy_node_get_scalar(n, &len);
    if (t == NULL || len == 0)
        return true;
    return (len == 1 && t[0] == '~') ||
           (len == 4 &&
            (memcmp(t, "null", 4) == 0 || memcmp(t, "Null", 4) == 0 || memcmp(t, "NULL", 4) == 0));
}

/* A scalar's text, NUL-terminated in buf (libfyaml's is not); NULL when n is
 * not a scalar or the text does not fit -- never a silent truncation. */
const char *osim__node_text(struct fy_node *n, char *buf, size_t n_buf)
{
    const char *t;
    size_t len;

    if (n == NULL || !fy_node_is_scalar(n))
        return NULL;
    t = fy_node_get_scalar(n, &len);
    if (t == NULL) {
        t = "";
        len = 0;
    }
    if (len + 1 > n_buf)
        return NULL;
    memcpy(buf, t, len);
    buf[len] = '\0';
    return buf;
}

/* What a node is, for "expected X, got Y" messages. */
static const char *node_kind(struct fy_node *n)
{
    if (n == NULL)
        return "nothing";
    if (fy_node_is_mapping(n))
        return "a mapping (key: value)";
    if (fy_node_is_sequence(n))
        return "a list";
    if (fy_node_is_alias(n))
        return "an alias";
    return "a single value";
}

/* Optimal string alignment distance: a swap of two neighbours counts once,
 * the commonest typo in a key ("restrat"). Keys are short: words of 63
 * bytes or more are simply not compared. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t d[64][64];

    if (la >= 63 || lb >= 63)
        return (size_t)-1;
    for (i = 0; i <= la; i++)
        d[i][0] = i;
    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++) {
        for (j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *osim__closest(const char *s, const char *const *words, size_t n_words)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, i, limit;

    /* Short words are too close to everything to guess at. */
    limit = strlen(s) <= 2 ? 0 : strlen(s) <= 4 ? 1 : strlen(s) <= 8 ? 2 : 3;
    for (i = 0; i < n_words && words[i] != NULL; i++) {
        size_t d = edit_distance(s, words[i]);
        if (d < best_d) {
            best_d = d;
            best = words[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

const osim_field *osim__schema_field(const osim_schema *s, const char *key, size_t len)
{
    size_t i;

    for (i = 0; i < s->fields_count; i++)
        if (strlen(s->fields[i].key) == len && memcmp(s->fields[i].key, key, len) == 0)
            return &s->fields[i];
    return NULL;
}

void osim__schema_keys(const osim_schema *s, char *buf, size_t n)
{
    size_t i, k = 0;

    if (n == 0)
        return;
    buf[0] = '\0';
    for (i = 0; i < s->fields_count && k + 1 < n; i++) {
        int w = snprintf(buf + k, n - k, "%s%s", i ? ", " : "", s->fields[i].key);
        if (w < 0 || (size_t)w >= n - k) {
            if (n > 4)
                snprintf(buf + (n > 8 ? n - 5 : 0), 5, ", ..");
            return;
        }
        k += (size_t)w;
    }
}

/* The field that names an item of a list (`name`, or `site` for incident
 * items): --set paths and errors address items by it rather than by an
 * index that shifts when the file changes. */
const osim_field *osim__schema_item_key(const osim_schema *s)
{
    size_t i;

    if (s == NULL)
        return NULL;
    for (i = 0; i < s->fields_count; i++) {
        const osim_field *f = &s->fields[i];
        if ((strcmp(f->key, "name") == 0 || strcmp(f->key, "site") == 0) &&
            (f->type == OSIM_FT_STRING || f->type == OSIM_FT_REF))
            return f;
    }
    return NULL;
}

const char *osim__field_unit(const osim_field *f)
{
    if (f->unit != NULL)
        return f->unit;
    switch (f->type) {
    case OSIM_FT_DURATION:
    case OSIM_FT_DIST_DURATION:
    case OSIM_FT_UTC_OFFSET: return "h";
    case OSIM_FT_MONEY:
    case OSIM_FT_DIST_MONEY: return "won";
    case OSIM_FT_FRACTION:
    case OSIM_FT_DIST_FRACTION: return "fraction";
    case OSIM_FT_COUNT: return "count";
    default: return "";
    }
}

/* The key a sequence item is called by in paths: its name, or its index. */
static void item_label(const osim_schema *sub, struct fy_node *item, size_t i, char *buf, size_t n)
{
    const osim_field *k = osim__schema_item_key(sub);

    if (k != NULL && item != NULL && fy_node_is_mapping(item)) {
        struct fy_node *v = fy_node_mapping_lookup_by_string(item, k->key, FY_NT);
        if (v != NULL && fy_node_is_scalar(v) && osim__node_text(v, buf, n) != NULL &&
            buf[0] != '\0')
            return;
    }
    snprintf(buf, n, "%zu", i);
}

void osim__path_join(char *buf, size_t n, const char *prefix, const char *key)
{
    size_t k = 0, lp = prefix != NULL ? strlen(prefix) : 0, lk = strlen(key);

    if (n == 0)
        return;
    if (lp > 0) {
        if (lp > n - 1)
            lp = n - 1;
        memmove(buf, prefix, lp);
        k = lp;
        if (k < n - 1)
            buf[k++] = '.';
    }
    if (lk > n - 1 - k)
        lk = n - 1 - k;
    memmove(buf + k, key, lk);
    buf[k + lk] = '\0';
}

static void join_path(char *buf, size_t n, const char *path, const char *key)
{
    osim__path_join(buf, n, path, key);
}

/* ------------------------------------------------------------ binding */

#define PATH_MAX_LEN 512
#define TEXT_MAX 1024

typedef enum dunit { DU_DURATION, DU_FRACTION, DU_MONEY, DU_REAL } dunit;

const char *const osim__dist_keys[] = {"dist",  "value", "min",    "max",    "mode",
                                       "mean",  "sd",    "median", "p95",    "mu",
                                       "sigma", "scale", "shape",  "points", NULL};

static const char *const dist_kinds[] = {"fixed",   "uniform",   "triangular",
                                         "normal",  "lognormal", "exponential",
                                         "weibull", "empirical", NULL};

/* Where node n is -- or, while a default is bound, where the key was left
 * out: the text of a default has no place in any file. */
static osim__pos pos_of(const osim_bind_ctx *ctx, struct fy_node *n, int src, osim__pos fallback)
{
    if (ctx->defaulting)
        return ctx->default_pos;
    return osim__bind_node_pos(n, src, fallback);
}

static unsigned note_flags(const osim_bind_ctx *ctx)
{
    return ctx->defaulting ? OSIM__P_DEFAULT : 0u;
}

static int note(osim_bind_ctx *ctx, const void *addr, osim__pos pos, unsigned flags)
{
    return osim__bind_note(ctx, addr, pos, flags | note_flags(ctx));
}

/* Queue a name for resolution: the collection it names may be bound later
 * (sections come in any order, and policies after everything), so the
 * loader resolves every ref once binding is over, reporting at pos. */
static int add_ref(osim_bind_ctx *ctx, size_t *slot, const char *target, const char *name,
                   osim__pos pos)
{
    char *copy;

    if (grow((void **)&ctx->refs, &ctx->refs_cap, ctx->refs_count, sizeof(*ctx->refs)) != 0)
        return OSIM_ENOMEM;
    copy = osim__arena_strdup(ctx, name);
    if (copy == NULL)
        return OSIM_ENOMEM;
    ctx->refs[ctx->refs_count].slot = slot;
    ctx->refs[ctx->refs_count].target = target;
    ctx->refs[ctx->refs_count].name = copy;
    ctx->refs[ctx->refs_count].pos = pos;
    ctx->refs_count++;
    return 0;
}

const osim__ref *osim__bind_refs(const osim_bind_ctx *ctx, size_t *count)
{
    *count = ctx->refs_count;
    return ctx->refs;
}

/* The text of scalar node n into buf, or an error naming path. */
static int scalar_text(osim_bind_ctx *ctx, struct fy_node *n, int src, osim__pos fallback,
                       const char *path, const char *expected, char *buf, size_t n_buf,
                       const char **out)
{
    osim__pos pos = pos_of(ctx, n, src, fallback);

    if (n == NULL || !fy_node_is_scalar(n) || fy_node_is_alias(n))
        return osim__bind_error_at(ctx, pos, OSIM_ESCHEMA, "%s: expected %s, got %s", path,
                                   expected, node_kind(n));
    *out = osim__node_text(n, buf, n_buf);
    if (*out == NULL)
        return osim__bind_error_at(ctx, pos, OSIM_ESCHEMA, "%s: value too long", path);
    return 0;
}

static const char *type_noun(osim_field_type t)
{
    switch (t) {
    case OSIM_FT_STRING: return "a text value";
    case OSIM_FT_BOOL: return "true or false";
    case OSIM_FT_REAL: return "a number";
    case OSIM_FT_COUNT: return "a count";
    case OSIM_FT_FRACTION: return "a fraction";
    case OSIM_FT_DURATION: return "a duration";
    case OSIM_FT_MONEY: return "an amount of money";
    case OSIM_FT_ENUM: return "one word";
    case OSIM_FT_DATETIME: return "a date and time";
    case OSIM_FT_UTC_OFFSET: return "a UTC offset";
    case OSIM_FT_REF: return "a name";
    case OSIM_FT_DIST_DURATION:
    case OSIM_FT_DIST_FRACTION:
    case OSIM_FT_DIST_MONEY:
    case OSIM_FT_DIST_REAL: return "a value or a distribution {dist: ...}";
    case OSIM_FT_MAP: return "a mapping (key: value)";
    case OSIM_FT_NAMED: return "a mapping of names (name: ...)";
    default: return "a list";
    }
}

static int value_error(osim_bind_ctx *ctx, osim__pos pos, int code, const char *path,
                       const char *text, const char *why)
{
    return osim__bind_error_at(ctx, pos, code, "%s: '%s' %s", path, text, why);
}

/* ------------------------------------------------------------ annotations */

/*
 * Sources and assumptions are data: any value may be written
 * {value: X, source: ID} or {value: X, assumption: "why"}, a distribution
 * mapping may carry the same keys beside its own, and any mapping (a list
 * item, a section) may carry them for itself; `note:` goes with either.
 * The binder binds the value exactly as if it were written plain (its
 * errors keep the value's own position) and records the annotation under
 * the value's params path; the loader checks the ids once every file's
 * sources are known.
 */
typedef struct annot {
    struct fy_node *source, *assumption, *note;
    int ssrc, asrc, nsrc;
    osim__pos spos, apos, npos; /* of each key */
} annot;

static bool is_annot_key(const char *k)
{
    return strcmp(k, "source") == 0 || strcmp(k, "assumption") == 0 || strcmp(k, "note") == 0;
}

/* Keep key k (value v, of source vsrc, key at kpos) in a if it is an annotation key. */
static bool annot_take(annot *a, const char *k, struct fy_node *v, int vsrc, osim__pos kpos)
{
    if (strcmp(k, "source") == 0) {
        a->source = v;
        a->ssrc = vsrc;
        a->spos = kpos;
    } else if (strcmp(k, "assumption") == 0) {
        a->assumption = v;
        a->asrc = vsrc;
        a->apos = kpos;
    } else if (strcmp(k, "note") == 0) {
        a->note = v;
        a->nsrc = vsrc;
        a->npos = kpos;
    } else {
        return false;
    }
    return true;
}

static int prov_push(osim_bind_ctx *ctx, const osim__prov *p)
{
    if (grow((void **)&ctx->provs, &ctx->provs_cap, ctx->provs_count, sizeof(*ctx->provs)) != 0)
        return OSIM_ENOMEM;
    ctx->provs[ctx->provs_count++] = *p;
    return 0;
}

const osim__prov *osim__bind_provs(const osim_bind_ctx *ctx, size_t *count)
{
    *count = ctx->provs_count;
    return ctx->provs;
}

/* A source id: a word without spaces, commas or brackets (ids are listed
 * with spaces between them in results, and cited in text). */
static bool id_ok(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (*s == ' ' || *s == '\t' || *s == ',' || *s == '[' || *s == ']' || *s == '\n')
            return false;
    return true;
}

/* Text of an annotation's scalar, trimmed, into the arena; errors name what. */
static int annot_text(osim_bind_ctx *ctx, struct fy_node *n, int src, osim__pos kpos,
                      const char *path, const char *what, char **out)
{
    char buf[TEXT_MAX];
    const char *text;
    size_t len;
    int rc = scalar_text(ctx, n, src, kpos, path, what, buf, sizeof(buf), &text);

    if (rc != 0)
        return rc;
    while (*text == ' ' || *text == '\n' || *text == '\t')
        text++;
    len = strlen(text);
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\n' || text[len - 1] == '\t'))
        len--;
    *out = osim__arena_strndup(ctx, text, len);
    return *out != NULL ? 0 : OSIM_ENOMEM;
}

/* Check annotation a of what sits at path (its value at vpos) into *pp;
 * pp->path stays NULL when a holds neither a source nor an assumption. */
static int annot_make(osim_bind_ctx *ctx, const annot *a, const char *path, osim__pos vpos,
                      bool item, osim__prov *pp)
{
    osim__prov p;
    int rc;

    memset(pp, 0, sizeof(*pp));
    if (a->source == NULL && a->assumption == NULL) {
        if (a->note != NULL)
            return osim__bind_error_at(ctx, a->npos, OSIM_ESCHEMA,
                                       "%s: a note goes with a source or an assumption "
                                       "(source: ID, or assumption: \"why\")",
                                       path);
        return 0;
    }
    if (a->source != NULL && a->assumption != NULL)
        return osim__bind_error_at(ctx, a->apos, OSIM_ESCHEMA,
                                   "%s: both a source and an assumption: a value rests on one or "
                                   "the other (put what the source does not say in note:)",
                                   path);
    memset(&p, 0, sizeof(p));
    p.pos = vpos;
    p.item = item;
    p.path = osim__arena_strdup(ctx, path);
    if (p.path == NULL)
        return OSIM_ENOMEM;
    if (a->source != NULL) {
        struct fy_node *seq = fy_node_is_sequence(a->source) ? a->source : NULL;
        size_t n = seq != NULL ? (size_t)fy_node_sequence_item_count(seq) : 1, i;
        void *it = NULL;
        p.kind = 0; /* OSIM_PROV_SOURCE */
        if (n == 0)
            return osim__bind_error_at(ctx, a->spos, OSIM_ESCHEMA,
                                       "%s: source: needs at least one source id", path);
        p.ids = osim__arena_alloc(ctx, n * sizeof(char *));
        p.id_pos = osim__arena_alloc(ctx, n * sizeof(osim__pos));
        if (p.ids == NULL || p.id_pos == NULL)
            return OSIM_ENOMEM;
        for (i = 0; i < n; i++) {
            struct fy_node *idn = seq != NULL ? fy_node_sequence_iterate(seq, &it) : a->source;
            p.id_pos[i] = pos_of(ctx, idn, a->ssrc, a->spos);
            rc = annot_text(ctx, idn, a->ssrc, a->spos, path, "a source id (S1.2) or a list of ids",
                            &p.ids[i]);
            if (rc != 0)
                return rc;
            if (!id_ok(p.ids[i]))
                return osim__bind_error_at(ctx, p.id_pos[i], OSIM_ESCHEMA,
                                           "%s: source: '%s' is not a source id (an id is one "
                                           "word, as declared in scenario.sources; write free "
                                           "text in note:)",
                                           path, p.ids[i]);
        }
        p.ids_count = n;
    } else {
        p.kind = 1; /* OSIM_PROV_ASSUMPTION */
        rc = annot_text(ctx, a->assumption, a->asrc, a->apos, path,
                        "the reason of the assumption, as text", &p.reason);
        if (rc != 0)
            return rc;
        if (p.reason[0] == '\0')
            return osim__bind_error_at(ctx, pos_of(ctx, a->assumption, a->asrc, a->apos),
                                       OSIM_ESCHEMA,
                                       "%s: an assumption needs its reason: assumption: \"why "
                                       "this value\"",
                                       path);
    }
    if (a->note != NULL) {
        rc = annot_text(ctx, a->note, a->nsrc, a->npos, path, "a note, as text", &p.note);
        if (rc != 0)
            return rc;
    }
    *pp = p;
    return 0;
}

/* Check and record annotation a of what sits at path (its value at vpos). */
static int annot_record(osim_bind_ctx *ctx, const annot *a, const char *path, osim__pos vpos,
                        bool item)
{
    osim__prov p;
    int rc = annot_make(ctx, a, path, vpos, item, &p);

    return rc != 0 || p.path == NULL ? rc : prov_push(ctx, &p);
}

/*
 * A value written {value: X, source: ..., assumption: ..., note: ...}:
 * *inner is X (NULL when v is no such mapping). A mapping with annotation
 * keys but no value: is an error, as is any other key beside value:.
 */
static int annot_unwrap(osim_bind_ctx *ctx, struct fy_node *v, int src, osim__pos kpos,
                        const char *path, annot *a, struct fy_node **inner, int *isrc)
{
    char key[64];
    void *it = NULL;
    struct fy_node_pair *pair;
    struct fy_node *val = NULL;
    bool any = false;

    *inner = NULL;
    while ((pair = fy_node_mapping_iterate(v, &it)) != NULL) {
        const char *k = osim__node_text(fy_node_pair_key(pair), key, sizeof(key));
        if (k != NULL && strcmp(k, "value") == 0)
            val = fy_node_pair_value(pair);
        else if (k != NULL && is_annot_key(k))
            any = true;
    }
    if (val == NULL) {
        if (any)
            return osim__bind_error_at(ctx, pos_of(ctx, v, src, kpos), OSIM_ESCHEMA,
                                       "%s: a value with a source or an assumption is written "
                                       "{value: ..., source: ID} or {value: ..., assumption: "
                                       "\"why\"}",
                                       path);
        return 0;
    }
    it = NULL;
    while ((pair = fy_node_mapping_iterate(v, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(pair), *vn = fy_node_pair_value(pair);
        int ks = source_of(ctx, kn, src);
        osim__pos kp = pos_of(ctx, kn, ks, kpos);
        const char *k = osim__node_text(kn, key, sizeof(key));
        if (k != NULL && strcmp(k, "value") == 0)
            continue;
        if (k == NULL || !annot_take(a, k, vn, source_of(ctx, vn, ks), kp))
            return osim__bind_error_at(ctx, kp, OSIM_ESCHEMA,
                                       "%s: unknown key '%s' beside value: (an annotated value "
                                       "takes value, source, assumption, note)",
                                       path, k != NULL ? k : "?");
    }
    *inner = val;
    *isrc = source_of(ctx, val, src);
    return 0;
}

int osim__bind_annotated(osim_bind_ctx *ctx, struct fy_node *v, int src, osim__pos kpos,
                         const char *path, struct fy_node **inner, int *isrc, osim__prov *out)
{
    annot a;
    int rc;

    memset(&a, 0, sizeof(a));
    memset(out, 0, sizeof(*out));
    *inner = v;
    *isrc = src;
    if (v == NULL || !fy_node_is_mapping(v))
        return 0;
    if ((rc = annot_unwrap(ctx, v, src, kpos, path, &a, inner, isrc)) != 0)
        return rc;
    if (*inner == NULL) { /* a mapping without value: and annotations: not a value at all */
        *inner = v;
        *isrc = src;
        return 0;
    }
    return annot_make(ctx, &a, path, pos_of(ctx, *inner, *isrc, kpos), false, out);
}

int osim__bind_add_prov(osim_bind_ctx *ctx, const osim__prov *p, const char *path)
{
    osim__prov q = *p;

    if ((q.path = osim__arena_strdup(ctx, path)) == NULL)
        return OSIM_ENOMEM;
    return prov_push(ctx, &q);
}

/*
 * A count is whole: people, businesses, staff, shards, days. The decimal
 * text is checked exactly (through the money parser's integer arithmetic),
 * so "1.1k" is 1100 while "2.5" and "0.5" are refused, and the value kept is
 * that integer, not the product of a decimal and a power of ten (1.1 x 1000
 * is 1100.0000000000002 in a double).
 */
static int parse_whole_count(const char *text, double *out, const char **why)
{
    int64_t whole;
    double v;
    int rc = osim__parse_count(text, &v, why);

    if (rc != 0)
        return rc;
    /* In range and >= 0 by now, so the only refusal left is a fraction. */
    if (osim__parse_money(text, &whole, NULL) != 0) {
        *why = "is not a whole number: a count must be whole (0, 1, 2, ...)";
        return OSIM_ERANGE;
    }
    *out = (double)whole;
    return 0;
}

/* Parse scalar text for a scalar-typed field into slot. */
static int bind_scalar(osim_bind_ctx *ctx, const osim_field *f, const char *text, void *slot,
                       osim__pos pos, const char *path)
{
    const char *why = NULL;
    int rc = 0;

    switch (f->type) {
    case OSIM_FT_STRING: {
        /* A folded or literal block (`>`, `|`) ends in a newline nobody means. */
        size_t len = strlen(text);
        char *copy;
        while (len > 0 && text[len - 1] == '\n')
            len--;
        copy = osim__arena_strndup(ctx, text, len);
        if (copy == NULL)
            return OSIM_ENOMEM;
        *(char **)slot = copy;
        break;
    }
    case OSIM_FT_BOOL: rc = osim__parse_bool(text, (bool *)slot, &why); break;
    case OSIM_FT_REAL: rc = osim__parse_real(text, (double *)slot, &why); break;
    case OSIM_FT_COUNT: rc = parse_whole_count(text, (double *)slot, &why); break;
    case OSIM_FT_FRACTION:
        rc = osim__parse_fraction(text, (double *)slot, &why);
        if (rc == OSIM_ERANGE)
            why = "is outside [0,1]: a fraction or probability must be between 0 and 1";
        break;
    case OSIM_FT_DURATION: rc = osim__parse_duration_h(text, (double *)slot, &why); break;
    case OSIM_FT_MONEY: rc = osim__parse_money(text, (int64_t *)slot, &why); break;
    case OSIM_FT_DATETIME: rc = osim__parse_datetime(text, (int64_t *)slot, &why); break;
    case OSIM_FT_UTC_OFFSET: rc = osim__parse_utc_offset(text, (double *)slot, &why); break;
    case OSIM_FT_ENUM: {
        size_t i;
        char list[256];
        size_t k = 0;
        for (i = 0; f->enum_names != NULL && f->enum_names[i] != NULL; i++) {
            if (strcmp(text, f->enum_names[i]) == 0) {
                *(int *)slot = (int)i;
                return note(ctx, slot, pos, 0);
            }
        }
        list[0] = '\0';
        for (i = 0; f->enum_names != NULL && f->enum_names[i] != NULL; i++) {
            int w = snprintf(list + k, sizeof(list) - k, "%s%s", i ? ", " : "", f->enum_names[i]);
            if (w < 0 || (size_t)w >= sizeof(list) - k)
                break;
            k += (size_t)w;
        }
        return osim__bind_error_at(ctx, pos, OSIM_ESCHEMA, "%s: '%s' is not one of: %s", path, text,
                                   list);
    }
    case OSIM_FT_REF:
        if (text[0] == '\0')
            return osim__bind_error_at(ctx, pos, OSIM_ESCHEMA, "%s: empty name", path);
        rc = add_ref(ctx, (size_t *)slot, f->ref, text, pos);
        if (rc != 0)
            return rc;
        break;
    default: return osim__bind_error_at(ctx, pos, OSIM_EINTERNAL, "%s: not a scalar field", path);
    }
    if (rc != 0)
        return value_error(ctx, pos, rc, path, text, why);
    return note(ctx, slot, pos, 0);
}

static dunit dist_unit(osim_field_type t)
{
    switch (t) {
    case OSIM_FT_DIST_DURATION: return DU_DURATION;
    case OSIM_FT_DIST_FRACTION: return DU_FRACTION;
    case OSIM_FT_DIST_MONEY: return DU_MONEY;
    default: return DU_REAL;
    }
}

static int parse_unit(dunit u, const char *s, double *out, const char **why)
{
    int64_t won;
    int rc;

    switch (u) {
    case DU_DURATION: return osim__parse_duration_h(s, out, why);
    case DU_FRACTION:
        rc = osim__parse_fraction(s, out, why);
        if (rc == OSIM_ERANGE && why != NULL)
            *why = "is outside [0,1]: a fraction or probability must be between 0 and 1";
        return rc;
    case DU_MONEY:
        rc = osim__parse_money(s, &won, why);
        if (rc == 0)
            *out = (double)won;
        return rc;
    default: return osim__parse_real(s, out, why);
    }
}

static void unit_bounds(dunit u, double *lo, double *hi)
{
    *lo = u == DU_REAL ? -INFINITY : 0.0;
    *hi = u == DU_FRACTION ? 1.0 : INFINITY;
}

/* One number of a distribution mapping: its value, position and presence. */
typedef struct dparam {
    bool given;
    double v;
    osim__pos pos;
    int src;
    struct fy_node *node;
} dparam;

enum {
    K_DIST,
    K_VALUE,
    K_MIN,
    K_MAX,
    K_MODE,
    K_MEAN,
    K_SD,
    K_MEDIAN,
    K_P95,
    K_MU,
    K_SIGMA,
    K_SCALE,
    K_SHAPE,
    K_POINTS,
    K_COUNT
};

/* Which keys each kind takes (bit per K_*), and which it needs. */
static const unsigned kind_allows[] = {
    [OSIM_DIST_FIXED] = 1u << K_VALUE | 1u << K_MIN | 1u << K_MAX,
    [OSIM_DIST_UNIFORM] = 1u << K_MIN | 1u << K_MAX,
    [OSIM_DIST_TRIANGULAR] = 1u << K_MIN | 1u << K_MODE | 1u << K_MAX,
    [OSIM_DIST_NORMAL] = 1u << K_MEAN | 1u << K_SD | 1u << K_MIN | 1u << K_MAX,
    [OSIM_DIST_LOGNORMAL] =
        1u << K_MEDIAN | 1u << K_P95 | 1u << K_MU | 1u << K_SIGMA | 1u << K_MIN | 1u << K_MAX,
    [OSIM_DIST_EXPONENTIAL] = 1u << K_MEAN | 1u << K_MIN | 1u << K_MAX,
    [OSIM_DIST_WEIBULL] = 1u << K_SCALE | 1u << K_SHAPE | 1u << K_MIN | 1u << K_MAX,
    [OSIM_DIST_EMPIRICAL] = 1u << K_POINTS,
};

static const char *const kind_takes[] = {
    [OSIM_DIST_FIXED] = "value (and optional min, max)",
    [OSIM_DIST_UNIFORM] = "min, max",
    [OSIM_DIST_TRIANGULAR] = "min, mode, max",
    [OSIM_DIST_NORMAL] = "mean, sd (and optional min, max)",
    [OSIM_DIST_LOGNORMAL] = "median and p95, or mu and sigma (and optional min, max)",
    [OSIM_DIST_EXPONENTIAL] = "mean (and optional min, max)",
    [OSIM_DIST_WEIBULL] = "scale, shape (and optional min, max)",
    [OSIM_DIST_EMPIRICAL] = "points",
};

/* Keys whose values are plain numbers whatever the field's unit: mu and
 * sigma are in log space and a Weibull shape has no unit. */
static bool key_is_plain(int k)
{
    return k == K_MU || k == K_SIGMA || k == K_SHAPE;
}

/* The points of an empirical distribution: [value, cumulative probability]
 * pairs, both ascending, the last probability 1 (set exactly, so that a
 * draw of u < 1 always finds a point). */
static int bind_points(osim_bind_ctx *ctx, osim_dist *d, dunit u, struct fy_node *seq, int src,
                       osim__pos at, const char *path)
{
    char buf[TEXT_MAX], ppath[PATH_MAX_LEN];
    const char *text, *why;
    size_t n, i;
    double *value, *cum;
    void *it = NULL;
    struct fy_node *item;
    int rc;

    join_path(ppath, sizeof(ppath), path, "points");
    if (!fy_node_is_sequence(seq))
        return osim__bind_error_at(ctx, pos_of(ctx, seq, src, at), OSIM_ESCHEMA,
                                   "%s: expected a list of [value, cumulative probability] "
                                   "pairs, got %s",
                                   ppath, node_kind(seq));
    n = (size_t)fy_node_sequence_item_count(seq);
    if (n == 0)
        return osim__bind_error_at(ctx, pos_of(ctx, seq, src, at), OSIM_ESCHEMA,
                                   "%s: needs at least one point", ppath);
    value = osim__arena_alloc(ctx, n * sizeof(double));
    cum = osim__arena_alloc(ctx, n * sizeof(double));
    if (value == NULL || cum == NULL)
        return OSIM_ENOMEM;
    for (i = 0; (item = fy_node_sequence_iterate(seq, &it)) != NULL; i++) {
        osim__pos ip = pos_of(ctx, item, src, at);
        struct fy_node *a, *b;
        if (!fy_node_is_sequence(item) || fy_node_sequence_item_count(item) != 2)
            return osim__bind_error_at(ctx, ip, OSIM_ESCHEMA,
                                       "%s: point %zu must be a pair [value, cumulative "
                                       "probability]",
                                       ppath, i + 1);
        a = fy_node_sequence_get_by_index(item, 0);
        b = fy_node_sequence_get_by_index(item, 1);
        rc = scalar_text(ctx, a, src, ip, ppath, "a value", buf, sizeof(buf), &text);
        if (rc != 0)
            return rc;
        rc = parse_unit(u, text, &value[i], &why);
        if (rc != 0)
            return value_error(ctx, pos_of(ctx, a, src, ip), rc, ppath, text, why);
        rc = scalar_text(ctx, b, src, ip, ppath, "a probability", buf, sizeof(buf), &text);
        if (rc != 0)
            return rc;
        rc = osim__parse_fraction(text, &cum[i], &why);
        if (rc != 0)
            return value_error(ctx, pos_of(ctx, b, src, ip), rc, ppath, text, why);
        if (i > 0 && value[i] < value[i - 1])
            return osim__bind_error_at(ctx, pos_of(ctx, a, src, ip), OSIM_ERANGE,
                                       "%s: values must be ascending (point %zu is below point "
                                       "%zu)",
                                       ppath, i + 1, i);
        if (i > 0 && cum[i] < cum[i - 1])
            return osim__bind_error_at(ctx, pos_of(ctx, b, src, ip), OSIM_ERANGE,
                                       "%s: cumulative probabilities must be ascending (point "
                                       "%zu is below point %zu)",
                                       ppath, i + 1, i);
        if (i + 1 == n && fabs(cum[i] - 1.0) > 1e-9)
            return osim__bind_error_at(ctx, pos_of(ctx, b, src, ip), OSIM_ERANGE,
                                       "%s: the last cumulative probability must be 1", ppath);
        rc = note(ctx, &value[i], pos_of(ctx, a, src, ip), 0);
        if (rc == 0)
            rc = note(ctx, &cum[i], pos_of(ctx, b, src, ip), 0);
        if (rc != 0)
            return rc;
    }
    cum[n - 1] = 1.0;
    d->n = n;
    d->value = value;
    d->cum = cum;
    return 0;
}

/*
 * A distribution written as a mapping {dist: kind, ...} is bound in five
 * steps over one dist_form: read the keys (and the kind, so the other keys
 * can be checked against it), parse the numbers the kind allows, set the
 * parameters the kind needs, apply min/max clamps, then note where each
 * parameter came from. Each step stops at the first error, so the error a
 * user sees is the first one in this order, whatever the key order in the
 * file.
 */
typedef struct dist_form {
    dparam prm[K_COUNT]; /* by K_*: what the mapping gave */
    int kind;            /* osim_dist_kind, -1 until 'dist:' is read */
    dunit u;             /* the unit of the field's values */
    osim__pos mpos;      /* the mapping's own position, for missing keys */
    unsigned flags;      /* OSIM__P_* noted with the distribution */
    const char *path;
    annot ann; /* source, assumption and note beside the distribution's keys */
} dist_form;

/* Step 1: every key of the mapping into fm->prm, and the kind from 'dist:'. */
static int dist_read_keys(osim_bind_ctx *ctx, dist_form *fm, struct fy_node *map, int src,
                          osim__pos at)
{
    char buf[TEXT_MAX];
    const char *text, *path = fm->path;
    void *it = NULL;
    struct fy_node_pair *pair;
    int k, rc;

    while ((pair = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *key = fy_node_pair_key(pair), *val = fy_node_pair_value(pair);
        /* A key and its value may come from different sources (a --set graft). */
        int ksrc = source_of(ctx, key, src);
        osim__pos kp = pos_of(ctx, key, ksrc, at);
        dparam *pm;
        if (osim__node_text(key, buf, sizeof(buf)) == NULL)
            return osim__bind_error_at(ctx, kp, OSIM_ESCHEMA, "%s: keys must be words", path);
        if (annot_take(&fm->ann, buf, val, source_of(ctx, val, ksrc), kp))
            continue;
        for (k = 0; k < K_COUNT; k++)
            if (strcmp(buf, osim__dist_keys[k]) == 0)
                break;
        if (k == K_COUNT) {
            const char *near = osim__closest(buf, osim__dist_keys, K_COUNT);
            if (near != NULL)
                return osim__bind_error_at(ctx, kp, OSIM_ESCHEMA,
                                           "%s: unknown key '%s' in a distribution (did you "
                                           "mean '%s'?)",
                                           path, buf, near);
            return osim__bind_error_at(ctx, kp, OSIM_ESCHEMA,
                                       "%s: unknown key '%s' in a distribution (known: dist, "
                                       "value, min, max, mode, mean, sd, median, p95, mu, "
                                       "sigma, scale, shape, points)",
                                       path, buf);
        }
        pm = &fm->prm[k];
        pm->given = true;
        pm->node = val;
        pm->src = source_of(ctx, val, ksrc);
        pm->pos = pos_of(ctx, val, pm->src, kp);
        if (k != K_DIST)
            continue;
        rc = scalar_text(ctx, val, pm->src, kp, path, "a distribution kind", buf, sizeof(buf),
                         &text);
        if (rc != 0)
            return rc;
        for (fm->kind = 0; dist_kinds[fm->kind] != NULL; fm->kind++)
            if (strcmp(text, dist_kinds[fm->kind]) == 0)
                break;
        if (dist_kinds[fm->kind] == NULL)
            return osim__bind_error_at(ctx, pm->pos, OSIM_ESCHEMA,
                                       "%s: unknown distribution '%s' (one of: fixed, "
                                       "uniform, triangular, normal, lognormal, "
                                       "exponential, weibull, empirical)",
                                       path, text);
    }
    if (fm->kind < 0)
        return osim__bind_error_at(ctx, fm->mpos, OSIM_ESCHEMA,
                                   "%s: a distribution needs 'dist:' (one of: fixed, uniform, "
                                   "triangular, normal, lognormal, exponential, weibull, "
                                   "empirical)",
                                   path);
    return 0;
}

/* Step 2: refuse keys the kind does not take; parse the numbers of the others. */
static int dist_parse_values(osim_bind_ctx *ctx, dist_form *fm)
{
    char buf[TEXT_MAX];
    const char *text, *why;
    int k, rc;

    for (k = 1; k < K_COUNT; k++) {
        dparam *pm = &fm->prm[k];
        if (!pm->given)
            continue;
        if (!(kind_allows[fm->kind] & (1u << k)))
            return osim__bind_error_at(ctx, pm->pos, OSIM_ESCHEMA,
                                       "%s: '%s' does not apply to a %s distribution (it takes "
                                       "%s)",
                                       fm->path, osim__dist_keys[k], dist_kinds[fm->kind],
                                       kind_takes[fm->kind]);
        if (k == K_POINTS)
            continue; /* a list, bound by bind_points in step 3 */
        rc = scalar_text(ctx, pm->node, pm->src, pm->pos, fm->path, "a number", buf, sizeof(buf),
                         &text);
        if (rc != 0)
            return rc;
        /* The sd of a fraction is a spread, not a fraction: it may exceed 1. */
        if (key_is_plain(k) || (k == K_SD && fm->u == DU_FRACTION))
            rc = osim__parse_real(text, &pm->v, &why);
        else
            rc = parse_unit(fm->u, text, &pm->v, &why);
        if (rc != 0) {
            char kpath[PATH_MAX_LEN];
            join_path(kpath, sizeof(kpath), fm->path, osim__dist_keys[k]);
            return value_error(ctx, pm->pos, rc, kpath, text, why);
        }
    }
    return 0;
}

/* Step 3: the kind's parameters into d->p (or d's points), each checked. */
static int dist_set_params(osim_bind_ctx *ctx, dist_form *fm, osim_dist *d)
{
    const dparam *prm = fm->prm;
    const char *path = fm->path;
    int kind = fm->kind;
    char buf[TEXT_MAX];

#define NEED(key)                                                                                  \
    do {                                                                                           \
        if (!prm[key].given)                                                                       \
            return osim__bind_error_at(ctx, fm->mpos, OSIM_ESCHEMA,                                \
                                       "%s: a %s distribution needs '%s' (it takes %s)", path,     \
                                       dist_kinds[kind], osim__dist_keys[key], kind_takes[kind]);  \
    } while (0)
#define CHECK(cond, key, ...)                                                                      \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return osim__bind_error_at(ctx, prm[key].pos, OSIM_ERANGE, __VA_ARGS__);               \
    } while (0)

    switch (kind) {
    case OSIM_DIST_FIXED:
        NEED(K_VALUE);
        d->p[0] = prm[K_VALUE].v;
        break;
    case OSIM_DIST_UNIFORM:
        NEED(K_MIN);
        NEED(K_MAX);
        CHECK(prm[K_MAX].v >= prm[K_MIN].v, K_MAX, "%s: max (%s) is below min", path,
              osim__node_text(prm[K_MAX].node, buf, sizeof(buf)));
        d->p[0] = prm[K_MIN].v;
        d->p[1] = prm[K_MAX].v;
        break;
    case OSIM_DIST_TRIANGULAR:
        NEED(K_MIN);
        NEED(K_MODE);
        NEED(K_MAX);
        CHECK(prm[K_MODE].v >= prm[K_MIN].v, K_MODE, "%s: mode is below min", path);
        CHECK(prm[K_MAX].v >= prm[K_MODE].v, K_MAX, "%s: max is below mode", path);
        d->p[0] = prm[K_MIN].v;
        d->p[1] = prm[K_MODE].v;
        d->p[2] = prm[K_MAX].v;
        break;
    case OSIM_DIST_NORMAL:
        NEED(K_MEAN);
        NEED(K_SD);
        CHECK(prm[K_SD].v >= 0.0, K_SD, "%s: sd must be >= 0", path);
        d->p[0] = prm[K_MEAN].v;
        d->p[1] = prm[K_SD].v;
        break;
    case OSIM_DIST_LOGNORMAL:
        /* Two ways to write it; mixing them would leave one pair unused. */
        if (prm[K_MU].given || prm[K_SIGMA].given) {
            if (prm[K_MEDIAN].given || prm[K_P95].given)
                return osim__bind_error_at(ctx, prm[prm[K_MEDIAN].given ? K_MEDIAN : K_P95].pos,
                                           OSIM_ESCHEMA,
                                           "%s: give either median and p95, or mu and sigma, "
                                           "not both",
                                           path);
            NEED(K_MU);
            NEED(K_SIGMA);
            CHECK(prm[K_SIGMA].v >= 0.0, K_SIGMA, "%s: sigma must be >= 0", path);
            d->p[0] = prm[K_MU].v;
            d->p[1] = prm[K_SIGMA].v;
        } else {
            NEED(K_MEDIAN);
            NEED(K_P95);
            CHECK(prm[K_MEDIAN].v > 0.0, K_MEDIAN, "%s: the median must be > 0", path);
            CHECK(prm[K_P95].v >= prm[K_MEDIAN].v, K_P95,
                  "%s: p95 (%s) is below the median: the 95th percentile of a lognormal "
                  "cannot be smaller than its median",
                  path, osim__node_text(prm[K_P95].node, buf, sizeof(buf)));
            /* mu = ln(median); sigma from p95 = median * exp(1.6449 sigma), z(0.95). */
            d->p[0] = log(prm[K_MEDIAN].v);
            d->p[1] = log(prm[K_P95].v / prm[K_MEDIAN].v) / 1.6448536269514722;
            fm->flags |= OSIM__P_MEDIAN;
        }
        break;
    case OSIM_DIST_EXPONENTIAL:
        NEED(K_MEAN);
        CHECK(prm[K_MEAN].v > 0.0, K_MEAN, "%s: the mean must be > 0", path);
        d->p[0] = prm[K_MEAN].v;
        break;
    case OSIM_DIST_WEIBULL:
        NEED(K_SCALE);
        NEED(K_SHAPE);
        CHECK(prm[K_SCALE].v > 0.0, K_SCALE, "%s: scale must be > 0", path);
        CHECK(prm[K_SHAPE].v > 0.0, K_SHAPE, "%s: shape must be > 0", path);
        d->p[0] = prm[K_SCALE].v;
        d->p[1] = prm[K_SHAPE].v;
        break;
    case OSIM_DIST_EMPIRICAL:
        NEED(K_POINTS);
        return bind_points(ctx, d, fm->u, prm[K_POINTS].node, prm[K_POINTS].src, prm[K_POINTS].pos,
                           path);
    }
#undef NEED
#undef CHECK
    return 0;
}

/* Step 4: the bounds draws are clamped to: the unit's, narrowed by min and max
 * for the kinds whose min and max are not parameters. */
static int dist_set_bounds(osim_bind_ctx *ctx, dist_form *fm, osim_dist *d)
{
    const dparam *prm = fm->prm;

    unit_bounds(fm->u, &d->lo, &d->hi);
    if (fm->kind == OSIM_DIST_UNIFORM || fm->kind == OSIM_DIST_TRIANGULAR)
        return 0;
    if (prm[K_MIN].given) {
        fm->flags |= OSIM__P_MIN;
        if (prm[K_MIN].v > d->lo)
            d->lo = prm[K_MIN].v;
    }
    if (prm[K_MAX].given) {
        fm->flags |= OSIM__P_MAX;
        if (prm[K_MAX].v < d->hi)
            d->hi = prm[K_MAX].v;
    }
    if (prm[K_MIN].given && prm[K_MAX].given && prm[K_MAX].v < prm[K_MIN].v)
        return osim__bind_error_at(ctx, prm[K_MAX].pos, OSIM_ERANGE, "%s: max is below min",
                                   fm->path);
    return 0;
}

/* Step 5: positions for the distribution (the mapping) and for each
 * parameter (its key's value), so later checks and `params` point there. */
static int dist_note(osim_bind_ctx *ctx, const dist_form *fm, osim_dist *d)
{
    /* Which key gave d->p[0..2], by kind (-1: none). */
    static const int pk[OSIM_DIST_EMPIRICAL + 1][3] = {
        [OSIM_DIST_FIXED] = {K_VALUE, -1, -1},           [OSIM_DIST_UNIFORM] = {K_MIN, K_MAX, -1},
        [OSIM_DIST_TRIANGULAR] = {K_MIN, K_MODE, K_MAX}, [OSIM_DIST_NORMAL] = {K_MEAN, K_SD, -1},
        [OSIM_DIST_LOGNORMAL] = {K_MEDIAN, K_P95, -1},   [OSIM_DIST_EXPONENTIAL] = {K_MEAN, -1, -1},
        [OSIM_DIST_WEIBULL] = {K_SCALE, K_SHAPE, -1},    [OSIM_DIST_EMPIRICAL] = {K_POINTS, -1, -1},
    };
    const dparam *prm = fm->prm;
    int k, rc = note(ctx, d, fm->mpos, fm->flags);

    for (k = 0; rc == 0 && k < 3; k++) {
        int key = pk[fm->kind][k];
        if (fm->kind == OSIM_DIST_LOGNORMAL && !(fm->flags & OSIM__P_MEDIAN))
            key = k == 0 ? K_MU : k == 1 ? K_SIGMA : -1;
        if (key >= 0 && prm[key].given)
            rc = note(ctx, &d->p[k], prm[key].pos, 0);
    }
    if (rc == 0 && prm[K_MIN].given)
        rc = note(ctx, &d->lo, prm[K_MIN].pos, 0);
    if (rc == 0 && prm[K_MAX].given)
        rc = note(ctx, &d->hi, prm[K_MAX].pos, 0);
    return rc;
}

/* A distribution written as a mapping {dist: kind, ...}: the five steps above. */
static int bind_dist_map(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *map, osim_dist *d,
                         int src, osim__pos at, const char *path)
{
    dist_form fm;
    int rc;

    memset(&fm, 0, sizeof(fm));
    fm.kind = -1;
    fm.u = dist_unit(f->type);
    /* A default has no place of its own: errors point at what left the key out. */
    fm.mpos = ctx->defaulting ? ctx->default_pos : at;
    fm.path = path;
    rc = dist_read_keys(ctx, &fm, map, src, at);
    if (rc == 0)
        rc = dist_parse_values(ctx, &fm);
    if (rc != 0)
        return rc;
    memset(d, 0, sizeof(*d));
    d->kind = (osim_dist_kind)fm.kind;
    rc = dist_set_params(ctx, &fm, d);
    if (rc == 0)
        rc = dist_set_bounds(ctx, &fm, d);
    if (rc == 0)
        rc = dist_note(ctx, &fm, d);
    if (rc == 0)
        rc = annot_record(ctx, &fm.ann, path, fm.mpos, false);
    return rc;
}

/* A distribution field: a plain value (fixed) or a mapping. */
static int bind_dist(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *v, const char *text,
                     osim_dist *d, int src, osim__pos at, const char *path)
{
    char buf[TEXT_MAX];
    const char *why;
    dunit u = dist_unit(f->type);
    osim__pos pos;
    double x;
    int rc;

    if (v != NULL && fy_node_is_mapping(v))
        return bind_dist_map(ctx, f, v, d, src, at, path);
    pos = pos_of(ctx, v, src, at);
    if (v != NULL) {
        rc = scalar_text(ctx, v, src, at, path, type_noun(f->type), buf, sizeof(buf), &text);
        if (rc != 0)
            return rc;
    }
    rc = parse_unit(u, text, &x, &why);
    if (rc != 0)
        return value_error(ctx, pos, rc, path, text, why);
    *d = osim_dist_fixed(x);
    unit_bounds(u, &d->lo, &d->hi);
    rc = note(ctx, d, pos, OSIM__P_SHORT);
    if (rc == 0)
        rc = note(ctx, &d->p[0], pos, 0);
    return rc;
}

static int bind_value(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *v, void *base,
                      int src, osim__pos kpos, const char *path);
static int bind_default(osim_bind_ctx *ctx, const osim_field *f, void *base, int src, osim__pos at,
                        const char *path);

/* Sequence-typed fields: check the node is a list and get its length. */
static int seq_of(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *v, int src,
                  osim__pos kpos, const char *path, size_t *n)
{
    if (!fy_node_is_sequence(v))
        return osim__bind_error_at(
            ctx, pos_of(ctx, v, src, kpos), OSIM_ESCHEMA, "%s: expected %s, got %s", path,
            f->type == OSIM_FT_SEQ ? "a list of mappings ('- key: value')" : "a list ([a, b, ...])",
            node_kind(v));
    *n = (size_t)fy_node_sequence_item_count(v);
    if (*n == 0 && (f->flags & OSIM_F_REQUIRED))
        return osim__bind_error_at(ctx, pos_of(ctx, v, src, kpos), OSIM_ESCHEMA,
                                   "%s: needs at least one item", path);
    return 0;
}

static int store_count(osim_bind_ctx *ctx, const osim_field *f, void *base, void *slot,
                       osim__pos kpos, size_t n)
{
    if (f->count_offset == OSIM_NO_COUNT)
        return note_count(ctx, slot, kpos, n);
    *(size_t *)((char *)base + f->count_offset) = n;
    return 0;
}

/*
 * The three shapes of list. Each binds the n items of v into an array (from
 * the arena, or the fixed array at slot for HOURLY and WEEKLY) and notes
 * every item at its own position, so a later check on item i points at
 * item i.
 */

/* SEQ: mappings bound with f->sub; items are addressed by name in paths. */
static int bind_list_of_maps(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *v, void *slot,
                             size_t n, int src, osim__pos kpos, const char *path)
{
    char ipath[PATH_MAX_LEN], label[128];
    char *items = n ? osim__arena_alloc(ctx, n * f->sub->size) : NULL;
    void *it = NULL;
    struct fy_node *item;
    size_t i;
    int rc;

    if (n != 0 && items == NULL)
        return OSIM_ENOMEM;
    for (i = 0; (item = fy_node_sequence_iterate(v, &it)) != NULL; i++) {
        /* An item --set appended comes from the override, not the file. */
        int isrc = source_of(ctx, item, src);
        osim__pos ip = pos_of(ctx, item, isrc, kpos);
        item_label(f->sub, item, i, label, sizeof(label));
        join_path(ipath, sizeof(ipath), path, label);
        if (!fy_node_is_mapping(item))
            return osim__bind_error_at(ctx, ip, OSIM_ESCHEMA,
                                       "%s: each item must be a mapping (key: value), got %s", path,
                                       node_kind(item));
        rc = osim__bind_map(ctx, f->sub, item, items + i * f->sub->size, isrc, ip, ipath);
        if (rc != 0)
            return rc;
    }
    *(void **)slot = items;
    return 0;
}

/* NAMES: strings kept as written. REFS: names queued for resolution to
 * indices once every collection is bound (osim__bind_refs). */
static int bind_list_of_names(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *v,
                              void *slot, size_t n, int src, osim__pos kpos, const char *path)
{
    char buf[TEXT_MAX];
    const char *text;
    char **names = NULL;
    size_t *idx = NULL, i;
    void *it = NULL;
    struct fy_node *item;
    int rc;

    if (f->type == OSIM_FT_NAMES)
        names = n ? osim__arena_alloc(ctx, n * sizeof(char *)) : NULL;
    else
        idx = n ? osim__arena_alloc(ctx, n * sizeof(size_t)) : NULL;
    if (n != 0 && names == NULL && idx == NULL)
        return OSIM_ENOMEM;
    for (i = 0; (item = fy_node_sequence_iterate(v, &it)) != NULL; i++) {
        osim__pos ip = pos_of(ctx, item, src, kpos);
        rc = scalar_text(ctx, item, src, kpos, path, "a name", buf, sizeof(buf), &text);
        if (rc != 0)
            return rc;
        if (names != NULL) {
            names[i] = osim__arena_strdup(ctx, text);
            if (names[i] == NULL)
                return OSIM_ENOMEM;
            rc = note(ctx, &names[i], ip, 0);
        } else {
            if (text[0] == '\0')
                return osim__bind_error_at(ctx, ip, OSIM_ESCHEMA, "%s: empty name", path);
            rc = add_ref(ctx, &idx[i], f->ref, text, ip);
            if (rc == 0)
                rc = note(ctx, &idx[i], ip, 0);
        }
        if (rc != 0)
            return rc;
    }
    if (names != NULL)
        *(char ***)slot = names;
    else
        *(size_t **)slot = idx;
    return 0;
}

/* REALS, HOURLY, WEEKLY: numbers (fractions when the unit says so); the
 * profiles are weights, so they must not be negative. */
static int bind_list_of_numbers(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *v,
                                void *slot, size_t n, int src, osim__pos kpos, const char *path)
{
    char buf[TEXT_MAX], ipath[PATH_MAX_LEN], label[32];
    const char *text, *why;
    double *x = slot;
    bool frac = f->unit != NULL && strcmp(f->unit, "fraction") == 0;
    void *it = NULL;
    struct fy_node *item;
    size_t i;
    int rc;

    if (f->type == OSIM_FT_REALS) {
        x = n ? osim__arena_alloc(ctx, n * sizeof(double)) : NULL;
        if (n != 0 && x == NULL)
            return OSIM_ENOMEM;
    }
    for (i = 0; (item = fy_node_sequence_iterate(v, &it)) != NULL; i++) {
        osim__pos ip = pos_of(ctx, item, src, kpos);
        rc = scalar_text(ctx, item, src, kpos, path, "a number", buf, sizeof(buf), &text);
        if (rc != 0)
            return rc;
        rc = frac ? osim__parse_fraction(text, &x[i], &why) : osim__parse_real(text, &x[i], &why);
        if (rc == 0 && f->type != OSIM_FT_REALS && x[i] < 0.0) {
            rc = OSIM_ERANGE;
            why = "is negative: these numbers must be >= 0";
        }
        if (rc != 0) {
            snprintf(label, sizeof(label), "%zu", i);
            join_path(ipath, sizeof(ipath), path, label);
            return value_error(ctx, ip, rc, ipath, text, why);
        }
        rc = note(ctx, &x[i], ip, 0);
        if (rc != 0)
            return rc;
    }
    if (f->type == OSIM_FT_REALS)
        *(double **)slot = x;
    return 0;
}

/*
 * NAMED: a mapping {name: item, ...} bound as an array like SEQ's, each
 * item's `name` field holding its key, so paths and errors address the
 * items by name exactly as SEQ items. A value that is not a mapping binds
 * the sub schema's second field (the item's one setting, written short).
 */
static int bind_named(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *v, void *base,
                      int src, osim__pos kpos, const char *path)
{
    char ipath[PATH_MAX_LEN], label[128];
    const osim_field *key = osim__schema_item_key(f->sub);
    void *slot = (char *)base + f->offset;
    char *items;
    struct fy_node_pair *pair;
    void *it = NULL;
    size_t n, i;
    int rc;

    if (key == NULL || key->type != OSIM_FT_STRING || f->sub->fields_count < 2)
        return osim__bind_error_at(ctx, kpos, OSIM_EINTERNAL, "%s: bad named schema", path);
    if (!fy_node_is_mapping(v))
        return osim__bind_error_at(ctx, pos_of(ctx, v, src, kpos), OSIM_ESCHEMA,
                                   "%s: expected a mapping of names (name: ...), got %s", path,
                                   node_kind(v));
    n = (size_t)fy_node_mapping_item_count(v);
    if (n == 0 && (f->flags & OSIM_F_REQUIRED))
        return osim__bind_error_at(ctx, pos_of(ctx, v, src, kpos), OSIM_ESCHEMA,
                                   "%s: needs at least one item", path);
    items = n ? osim__arena_alloc(ctx, n * f->sub->size) : NULL;
    if (n != 0 && items == NULL)
        return OSIM_ENOMEM;
    for (i = 0; (pair = fy_node_mapping_iterate(v, &it)) != NULL; i++) {
        struct fy_node *k = fy_node_pair_key(pair), *iv = fy_node_pair_value(pair);
        int ksrc = source_of(ctx, k, src);
        osim__pos ip = pos_of(ctx, k, ksrc, kpos);
        char *item = items + i * f->sub->size;
        const osim_field *second = &f->sub->fields[key == &f->sub->fields[0] ? 1 : 0];
        if (k == NULL || !fy_node_is_scalar(k) || fy_node_is_alias(k) ||
            osim__node_text(k, label, sizeof(label)) == NULL || label[0] == '\0')
            return osim__bind_error_at(ctx, ip, OSIM_ESCHEMA, "%s: names must be plain words",
                                       path);
        join_path(ipath, sizeof(ipath), path, label);
        if (osim__node_is_null(iv) || fy_node_is_mapping(iv)) {
            rc = osim__bind_map(ctx, f->sub, osim__node_is_null(iv) ? NULL : iv, item,
                                source_of(ctx, iv, ksrc), ip, ipath);
        } else {
            /* The short form: bind the one field, default the rest. */
            size_t j;
            char fpath[PATH_MAX_LEN];
            join_path(fpath, sizeof(fpath), ipath, second->key);
            rc = bind_value(ctx, second, iv, item, source_of(ctx, iv, ksrc), ip, fpath);
            for (j = 0; rc == 0 && j < f->sub->fields_count; j++) {
                const osim_field *o = &f->sub->fields[j];
                if (o == second || o == key)
                    continue;
                join_path(fpath, sizeof(fpath), ipath, o->key);
                rc = bind_default(ctx, o, item, src, ip, fpath);
            }
        }
        if (rc != 0)
            return rc;
        /* The key names the item: set last, so a `name:` inside cannot override it. */
        *(char **)(item + key->offset) = osim__arena_strdup(ctx, label);
        if (*(char **)(item + key->offset) == NULL)
            return OSIM_ENOMEM;
        rc = note(ctx, item + key->offset, ip, 0);
        if (rc != 0)
            return rc;
    }
    *(void **)slot = items;
    rc = store_count(ctx, f, base, slot, kpos, n);
    if (rc != 0)
        return rc;
    return note(ctx, slot, ctx->defaulting ? ctx->default_pos : kpos, 0);
}

/* A list-typed field: check its shape and length, bind the items, keep the count. */
static int bind_list(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *v, void *base,
                     int src, osim__pos kpos, const char *path)
{
    void *slot = (char *)base + f->offset;
    size_t n = 0, fixed = 0;
    int rc;

    if (f->type == OSIM_FT_HOURLY)
        fixed = 24;
    else if (f->type == OSIM_FT_WEEKLY)
        fixed = 7;
    rc = seq_of(ctx, f, v, src, kpos, path, &n);
    if (rc != 0)
        return rc;
    if (fixed != 0 && n != fixed)
        return osim__bind_error_at(ctx, pos_of(ctx, v, src, kpos), OSIM_ESCHEMA,
                                   "%s: needs exactly %zu numbers (%s), got %zu", path, fixed,
                                   fixed == 24 ? "one per hour 0..23"
                                               : "one per weekday, Monday "
                                                 "first",
                                   n);
    switch (f->type) {
    case OSIM_FT_SEQ: rc = bind_list_of_maps(ctx, f, v, slot, n, src, kpos, path); break;
    case OSIM_FT_NAMES:
    case OSIM_FT_REFS: rc = bind_list_of_names(ctx, f, v, slot, n, src, kpos, path); break;
    case OSIM_FT_REALS:
    case OSIM_FT_HOURLY:
    case OSIM_FT_WEEKLY: rc = bind_list_of_numbers(ctx, f, v, slot, n, src, kpos, path); break;
    default: return OSIM_EINTERNAL;
    }
    if (rc != 0)
        return rc;
    /* HOURLY and WEEKLY are fixed arrays: nothing to count. */
    if (fixed == 0) {
        rc = store_count(ctx, f, base, slot, kpos, n);
        if (rc != 0)
            return rc;
    }
    /* The list as a whole is where its key is: "dependency cycle" points at `needs:`. */
    return note(ctx, slot, ctx->defaulting ? ctx->default_pos : kpos, 0);
}

static int bind_value(osim_bind_ctx *ctx, const osim_field *f, struct fy_node *v, void *base,
                      int src, osim__pos kpos, const char *path)
{
    void *slot = (char *)base + f->offset;
    char buf[TEXT_MAX];
    const char *text;
    int rc;

    /* A value --set put under a key of the file belongs to the override. */
    if (src != kpos.src) {
        kpos = pos_of(ctx, v, src, kpos);
        kpos.src = src;
    }
    if (v != NULL && fy_node_is_alias(v))
        return osim__bind_error_at(ctx, pos_of(ctx, v, src, kpos), OSIM_ESCHEMA,
                                   "%s: aliases (*name) are not supported: write the value out",
                                   path);
    /* {value: X, source: ...}: X bound as if written alone, then the annotation. */
    if (v != NULL && fy_node_is_mapping(v) && f->type != OSIM_FT_MAP &&
        fy_node_mapping_lookup_by_string(v, "dist", FY_NT) == NULL) {
        struct fy_node *inner;
        annot a;
        int isrc = src;
        memset(&a, 0, sizeof(a));
        rc = annot_unwrap(ctx, v, src, kpos, path, &a, &inner, &isrc);
        if (rc != 0)
            return rc;
        if (inner != NULL) {
            rc = bind_value(ctx, f, inner, base, isrc, kpos, path);
            return rc != 0 ? rc
                           : annot_record(ctx, &a, path, pos_of(ctx, inner, isrc, kpos), false);
        }
    }
    switch (f->type) {
    case OSIM_FT_DIST_DURATION:
    case OSIM_FT_DIST_FRACTION:
    case OSIM_FT_DIST_MONEY:
    case OSIM_FT_DIST_REAL: return bind_dist(ctx, f, v, NULL, slot, src, kpos, path);
    case OSIM_FT_MAP:
        if (f->sub == NULL)
            return osim__bind_error_at(ctx, kpos, OSIM_EINTERNAL, "%s: no schema", path);
        /* {} cannot be told from a missing key once bound: refuse it here. */
        if ((f->flags & OSIM_F_NONEMPTY) && v != NULL && fy_node_is_mapping(v) &&
            fy_node_mapping_item_count(v) == 0)
            return osim__bind_error_at(ctx, kpos, OSIM_ESCHEMA,
                                       "%s: an empty mapping sets nothing: give its keys (%s) or "
                                       "remove it",
                                       path, f->doc != NULL ? f->doc : f->key);
        return osim__bind_map(ctx, f->sub, v, slot, src, kpos, path);
    case OSIM_FT_SEQ:
    case OSIM_FT_NAMES:
    case OSIM_FT_REFS:
    case OSIM_FT_REALS:
    case OSIM_FT_HOURLY:
    case OSIM_FT_WEEKLY: return bind_list(ctx, f, v, base, src, kpos, path);
    case OSIM_FT_NAMED: return bind_named(ctx, f, v, base, src, kpos, path);
    default:
        rc = scalar_text(ctx, v, src, kpos, path, type_noun(f->type), buf, sizeof(buf), &text);
        if (rc != 0)
            return rc;
        return bind_scalar(ctx, f, text, slot, pos_of(ctx, v, src, kpos), path);
    }
}

/* Give an absent field its default (def text, or zero). */
/*
 * Bind a field the mapping left out, from its `def` text, as if the file had
 * said it: a default is checked like a value. While defaulting, every note
 * and error goes to `at` -- the mapping that left the key out -- since the
 * text of a default has no place in any file; nested defaults keep the
 * outermost place.
 */
static int bind_default(osim_bind_ctx *ctx, const osim_field *f, void *base, int src, osim__pos at,
                        const char *path)
{
    void *slot = (char *)base + f->offset;
    bool was = ctx->defaulting;
    osim__pos was_pos = ctx->default_pos;
    int rc = 0;

    if (!was) {
        ctx->defaulting = true;
        ctx->default_pos = at;
    }
    if (f->type == OSIM_FT_MAP) {
        rc = osim__bind_map(ctx, f->sub, NULL, slot, src, at, path);
    } else if (f->def != NULL && (f->def[0] == '[' || f->def[0] == '{')) {
        struct fy_document *doc = osim__yaml_from_string(f->def, NULL, 0);
        if (doc == NULL)
            rc = osim__bind_error_at(ctx, at, OSIM_EINTERNAL, "%s: bad default '%s'", path, f->def);
        else
            rc = bind_value(ctx, f, fy_document_root(doc), base, src, at, path);
        fy_document_destroy(doc);
    } else if (f->type == OSIM_FT_HOURLY || f->type == OSIM_FT_WEEKLY) {
        /* A scalar default fills every entry. */
        size_t n = f->type == OSIM_FT_HOURLY ? 24 : 7, i;
        double x = 0.0, *arr = slot;
        const char *why;
        if (f->def != NULL && osim__parse_real(f->def, &x, &why) != 0)
            rc = osim__bind_error_at(ctx, at, OSIM_EINTERNAL, "%s: bad default", path);
        for (i = 0; rc == 0 && i < n; i++) {
            arr[i] = x;
            rc = note(ctx, &arr[i], at, 0);
        }
        if (rc == 0)
            rc = note(ctx, slot, at, 0);
    } else {
        switch (f->type) {
        case OSIM_FT_DIST_DURATION:
        case OSIM_FT_DIST_FRACTION:
        case OSIM_FT_DIST_MONEY:
        case OSIM_FT_DIST_REAL:
            rc = bind_dist(ctx, f, NULL, f->def != NULL ? f->def : "0", slot, src, at, path);
            break;
        case OSIM_FT_SEQ:
        case OSIM_FT_NAMED:
        case OSIM_FT_NAMES:
        case OSIM_FT_REFS:
        case OSIM_FT_REALS:
            *(void **)slot = NULL;
            rc = store_count(ctx, f, base, slot, at, 0);
            break;
        default:
            if (f->def != NULL)
                rc = bind_scalar(ctx, f, f->def, slot, at, path);
            else if (f->type != OSIM_FT_REF)
                rc = note(ctx, slot, at, 0);
            break;
        }
    }
    if (!was) {
        ctx->defaulting = false;
        ctx->default_pos = was_pos;
    }
    return rc;
}

#define MAX_FIELDS 128

/*
 * Bind one mapping: every key the file gives, then every field it left out
 * (an error if required, else its default). Keys are bound in file order,
 * so the first error reported is the first in the file; the defaults come
 * after, so a default never hides an error in the file.
 */
int osim__bind_map(osim_bind_ctx *ctx, const osim_schema *s, struct fy_node *map, void *base,
                   int src, osim__pos at, const char *path)
{
    unsigned char seen[MAX_FIELDS];
    char key[256], fpath[PATH_MAX_LEN], known[400];
    annot ann;
    void *it = NULL;
    struct fy_node_pair *pair;
    size_t i;
    int rc;

    if (s->fields_count > MAX_FIELDS)
        return osim__bind_error_at(ctx, at, OSIM_EINTERNAL, "schema '%s' has too many fields",
                                   s->name);
    if (map != NULL && fy_node_is_alias(map))
        return osim__bind_error_at(ctx, pos_of(ctx, map, src, at), OSIM_ESCHEMA,
                                   "%s: aliases (*name) are not supported: write the value out",
                                   path[0] ? path : s->name);
    if (map != NULL && !fy_node_is_mapping(map) && !osim__node_is_null(map))
        return osim__bind_error_at(ctx, pos_of(ctx, map, src, at), OSIM_ESCHEMA,
                                   "%s: expected a mapping (key: value), got %s",
                                   path[0] ? path : s->name, node_kind(map));
    if (map != NULL && !fy_node_is_mapping(map))
        map = NULL;
    memset(seen, 0, sizeof(seen));
    memset(&ann, 0, sizeof(ann));
    while (map != NULL && (pair = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        int ksrc = source_of(ctx, k, src); /* a key --set created is the override's */
        osim__pos kpos = pos_of(ctx, k, ksrc, at);
        const osim_field *f;
        if (k == NULL || !fy_node_is_scalar(k) || fy_node_is_alias(k) ||
            osim__node_text(k, key, sizeof(key)) == NULL)
            return osim__bind_error_at(ctx, kpos, OSIM_ESCHEMA, "%s: keys must be plain words",
                                       path[0] ? path : s->name);
        f = osim__schema_field(s, key, strlen(key));
        /* A mapping's own source or assumption (not at the top of the file). A
         * schema's own `note` field (a policy's) is bound and also read here. */
        if ((f == NULL || strcmp(key, "note") == 0) && path[0] != '\0' &&
            annot_take(&ann, key, v, source_of(ctx, v, ksrc), kpos) && f == NULL)
            continue;
        if (f == NULL) {
            const char *words[MAX_FIELDS + 1];
            const char *near;
            for (i = 0; i < s->fields_count; i++)
                words[i] = s->fields[i].key;
            words[i] = NULL;
            near = osim__closest(key, words, s->fields_count);
            if (near != NULL)
                return osim__bind_error_at(
                    ctx, kpos, OSIM_ESCHEMA, "unknown key '%s' %s%s (did you mean '%s'?)", key,
                    path[0] ? "in " : "at ", path[0] ? path : "the top level", near);
            osim__schema_keys(s, known, sizeof(known));
            return osim__bind_error_at(ctx, kpos, OSIM_ESCHEMA, "unknown key '%s' %s%s (known: %s)",
                                       key, path[0] ? "in " : "at ",
                                       path[0] ? path : "the top level", known);
        }
        i = (size_t)(f - s->fields);
        if (f->flags & OSIM_F_CUSTOM) {
            seen[i] = 1; /* the loader binds it itself (policies, params) */
            continue;
        }
        if (osim__node_is_null(v))
            continue; /* `key:` with no value: as if absent (the default, or missing) */
        seen[i] = 1;
        join_path(fpath, sizeof(fpath), path, f->key);
        /* The key that names an item is its address in paths: the item carries
         * the annotation, not its name. */
        if (f == osim__schema_item_key(s) && fy_node_is_mapping(v))
            return osim__bind_error_at(ctx, pos_of(ctx, v, source_of(ctx, v, ksrc), kpos),
                                       OSIM_ESCHEMA,
                                       "%s: a name is written plain; a source or an assumption "
                                       "goes on the item (- {%s: ..., source: ID})",
                                       fpath, f->key);
        rc = bind_value(ctx, f, v, base, source_of(ctx, v, ksrc), kpos, fpath);
        if (rc != 0)
            return rc;
    }
    for (i = 0; i < s->fields_count; i++) {
        const osim_field *f = &s->fields[i];
        if (seen[i] || (f->flags & OSIM_F_CUSTOM))
            continue;
        if (f->flags & OSIM_F_REQUIRED) {
            if (ctx->defaulting)
                return osim__bind_error_at(ctx, ctx->default_pos, OSIM_ESCHEMA, "missing %s.%s: %s",
                                           path[0] ? path : s->name, f->key,
                                           f->doc != NULL ? f->doc : "required");
            if (path[0] == '\0')
                return osim__bind_error_at(
                    ctx, at, OSIM_ESCHEMA, "missing required section '%s:'%s%s", f->key,
                    f->doc != NULL ? " -- " : "", f->doc != NULL ? f->doc : "");
            return osim__bind_error_at(ctx, at, OSIM_ESCHEMA, "%s: missing required key '%s'%s%s",
                                       path, f->key, f->doc != NULL ? " -- " : "",
                                       f->doc != NULL ? f->doc : "");
        }
        join_path(fpath, sizeof(fpath), path, f->key);
        rc = bind_default(ctx, f, base, src, at, fpath);
        if (rc != 0)
            return rc;
    }
    /* A schema's own note field is not an annotation unless one goes with it. */
    if (ann.source == NULL && ann.assumption == NULL && ann.note != NULL &&
        osim__schema_field(s, "note", 4) != NULL)
        return 0;
    return annot_record(ctx, &ann, path, at, true);
}

int osim__bind_text(osim_bind_ctx *ctx, const osim_schema *s, const char *yaml, const char *name,
                    void *out)
{
    struct fy_document *doc;
    char err[200];
    int src, rc;
    osim__pos at = {0, 1, 1};

    src = osim__bind_source(ctx, name, false);
    if (src < 0)
        return src;
    at.src = src;
    doc = osim__yaml_from_string(yaml, err, sizeof(err));
    if (doc == NULL)
        return osim__bind_error_at(ctx, at, OSIM_ESYNTAX, "not valid YAML: %s", err);
    rc = osim__bind_map(ctx, s, fy_document_root(doc), out, src, at, "");
    fy_document_destroy(doc);
    return rc;
}
