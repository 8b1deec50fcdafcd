/*
 * bind.h -- internal: the schema-driven binder, its arena and its table of
 * source positions.
 *
 * A bind context (osim_bind_ctx, opaque in schema.h) owns everything a
 * loaded scenario allocates: one arena from which every bound string and
 * array comes, and a side table that maps the address of every bound C
 * field to the place in a YAML source where its value came from. Semantic
 * checks that run after binding (a cycle, p95 below the median, a model's
 * own validate hook) report through osim_bind_error() with the address of
 * the offending field and so still point at file:line:col. The context
 * lives as long as the scenario (sc->priv) and is freed with it.
 *
 * Sources are numbered: the scenario file is one, every included policy
 * file another, every --set override another (an override has no line:
 * its errors name "--set PATH=VALUE" instead).
 */
#ifndef OUTAGESIM_BIND_H
#define OUTAGESIM_BIND_H

#include <libfyaml.h>
#include <stdbool.h>
#include <stddef.h>

#include "outagesim/schema.h"

/* A place in a source. line and col are 1-based; 0 means not known. */
typedef struct osim__pos {
    int src;
    int line;
    int col;
} osim__pos;

/* Flags recorded with a bound value. */
#define OSIM__P_DEFAULT 0x01u /* a default: the position is the enclosing mapping's */
#define OSIM__P_SHORT 0x02u   /* a distribution written as a plain value (fixed) */
#define OSIM__P_MEDIAN 0x04u  /* a lognormal written with median and p95 */
#define OSIM__P_MIN 0x08u     /* a distribution with an explicit min: clamp */
#define OSIM__P_MAX 0x10u     /* a distribution with an explicit max: clamp */
#define OSIM__P_COUNTED 0x20u /* a sequence whose length the binder keeps (see count) */

/* What the binder remembers about one bound field. */
typedef struct osim__note {
    const void *addr;
    osim__pos pos;
    unsigned flags;
    size_t count; /* OSIM__P_COUNTED: number of items bound at addr */
} osim__note;

/* A name waiting to be resolved to an index in a collection ("sites", ...). */
typedef struct osim__ref {
    size_t *slot;
    const char *target; /* collection key, from osim_field.ref */
    const char *name;
    osim__pos pos;
} osim__ref;

/*
 * A source or an assumption the binder met on a value, a distribution or a
 * mapping (scenarios/README.md, "Sources and assumptions"). Its ids are
 * checked against the scenario's sources by the loader, once every file is
 * read; id_pos says where each id was written, for that check's errors.
 */
typedef struct osim__prov {
    char *path; /* the params path of what it annotates */
    int kind;   /* osim_provenance_kind */
    char **ids;
    osim__pos *id_pos;
    size_t ids_count;
    char *reason; /* assumption text */
    char *note;
    bool item;     /* of a mapping as a whole (a list item, a section), not of one value */
    osim__pos pos; /* of the annotated value */
} osim__prov;

/* ------------------------------------------------------------ context */

/* A new empty context reporting into diag (which may be NULL). NULL on OOM. */
osim_bind_ctx *osim__bind_ctx_new(osim_diag *diag);

/* Free a context and everything its arena holds. NULL is a no-op. */
void osim__bind_ctx_free(osim_bind_ctx *ctx);

/* The diag errors go to; the loader may redirect it (NULL = none). */
void osim__bind_set_diag(osim_bind_ctx *ctx, osim_diag *diag);
osim_diag *osim__bind_diag(osim_bind_ctx *ctx);

/* Zeroed memory from the arena, freed with the context; NULL on OOM. */
void *osim__arena_alloc(osim_bind_ctx *ctx, size_t n);
char *osim__arena_strndup(osim_bind_ctx *ctx, const char *s, size_t n);
char *osim__arena_strdup(osim_bind_ctx *ctx, const char *s);

/*
 * Register a source; returns its index (>= 0) or OSIM_ENOMEM. An override
 * source reports errors without a line ("--set PATH=VALUE: message").
 */
int osim__bind_source(osim_bind_ctx *ctx, const char *name, bool is_override);
const char *osim__bind_source_name(const osim_bind_ctx *ctx, int src);
/* Whether source src is a --set override (not a file). */
bool osim__bind_source_is_override(const osim_bind_ctx *ctx, int src);

/*
 * Mark node as coming from source src (used for --set values grafted into a
 * document and for policies from included files): the binder switches to
 * src when it reaches node.
 */
int osim__bind_graft(osim_bind_ctx *ctx, struct fy_node *node, int src);

/* Record a bound field's position and flags (adds to flags if already known). */
int osim__bind_note(osim_bind_ctx *ctx, const void *addr, osim__pos pos, unsigned flags);

/*
 * Items of an array moved: what is known about addresses inside
 * old[0..n) (items of size bytes) is now known about new_base[perm[i]].
 */
int osim__bind_move(osim_bind_ctx *ctx, const void *old, void *new_base, size_t size, size_t n,
                    const size_t *perm);

/* What is known about addr, or NULL. */
const osim__note *osim__bind_lookup(const osim_bind_ctx *ctx, const void *addr);

/* The position used when an address is unknown (e.g. the mapping a hook checks). */
void osim__bind_set_fallback(osim_bind_ctx *ctx, osim__pos pos);

/* Record an error at pos (first error wins). Returns code. */
int osim__bind_error_at(osim_bind_ctx *ctx, osim__pos pos, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The position of a node of source src; fallback when it has none of its own. */
osim__pos osim__bind_node_pos(struct fy_node *n, int src, osim__pos fallback);

/* ------------------------------------------------------------ binding */

/*
 * Bind mapping node map (NULL = empty mapping) against schema s into base.
 * at is the mapping's own position (for missing keys). path is the dotted
 * path of the mapping for messages ("" at the top). Unknown keys, wrong
 * types, missing required keys and bad values are errors; absent keys get
 * their defaults. Fields flagged OSIM_F_CUSTOM are left to the caller.
 */
int osim__bind_map(osim_bind_ctx *ctx, const osim_schema *s, struct fy_node *map, void *base,
                   int src, osim__pos at, const char *path);

/*
 * Bind YAML text (a mapping) against schema s into out (s->size bytes,
 * zeroed by the caller), for tests of model parameters. The source is named
 * name. References are recorded but cannot be resolved.
 */
int osim__bind_text(osim_bind_ctx *ctx, const osim_schema *s, const char *yaml, const char *name,
                    void *out);

/* The annotations met so far, in binding order (arena memory, the vector the context's). */
const osim__prov *osim__bind_provs(const osim_bind_ctx *ctx, size_t *count);

/* For a value the binder does not bind itself (an include item's rate:): v
 * as written, plain or {value: X, source: ID | assumption: "why", note:}.
 * *inner (source *isrc) is X, or v when v is no annotated value; *out gets
 * the checked annotation, not recorded (out->path NULL when there is none),
 * to be recorded with osim__bind_add_prov under the path(s) it sets. */
int osim__bind_annotated(osim_bind_ctx *ctx, struct fy_node *v, int src, osim__pos kpos,
                         const char *path, struct fy_node **inner, int *isrc, osim__prov *out);

/* Record a copy of annotation p under path (copied). */
int osim__bind_add_prov(osim_bind_ctx *ctx, const osim__prov *p, const char *path);

/* The names waiting for resolution, in binding order. */
const osim__ref *osim__bind_refs(const osim_bind_ctx *ctx, size_t *count);

/*
 * Parse YAML text into a document without printing anything (libfyaml
 * would otherwise report to stderr). On failure returns NULL and, if err is
 * not NULL, the parser's message in err.
 */
struct fy_document *osim__yaml_from_string(const char *text, char *err, size_t n_err);

/* The schema field for key in s, or NULL. */
const osim_field *osim__schema_field(const osim_schema *s, const char *key, size_t len);

/* The known keys of s as "a, b, c" into buf. */
void osim__schema_keys(const osim_schema *s, char *buf, size_t n);

/*
 * The key that names an item of a sequence bound with s ("name", or "site"
 * for incident items), or NULL if items are addressed by index.
 */
const osim_field *osim__schema_item_key(const osim_schema *s);

/* The unit a field's values are shown in ("h", "won", "fraction", ...). */
const char *osim__field_unit(const osim_field *f);

/* The keys a distribution mapping may hold, NULL-terminated. */
extern const char *const osim__dist_keys[];

/* prefix.key (or key when prefix is empty) into buf, truncated to fit. */
void osim__path_join(char *buf, size_t n, const char *prefix, const char *key);

/* The closest of the NULL-terminated words to s, if close enough to be a typo. */
const char *osim__closest(const char *s, const char *const *words, size_t n_words);

/* A yaml scalar node's text as a NUL-terminated string in buf, or NULL if too long. */
const char *osim__node_text(struct fy_node *n, char *buf, size_t n_buf);

/* True if n is NULL or a plain null scalar (~, null, empty). */
bool osim__node_is_null(struct fy_node *n);

#endif
