/*
 * schema.h -- scenario schemas as data.
 *
 * A schema is a table of fields: the YAML key, the C type it binds to, the
 * offset in the target struct, its unit, default and one line of
 * documentation. The loader walks a YAML document against these tables, so
 * the schema is the single source of truth for binding, for unknown-key and
 * type errors (with line and column), for `outagesim params` (every
 * settable path with unit) and for the format documentation.
 *
 * Compensation models use the same tables for their parameters, so a new
 * model brings its own schema and the loader needs no change: the loader
 * finds it through an osim_model_catalogue (below) its caller passes in.
 *
 * Binding rules by type (the value in YAML -> the C field):
 *   STRING        scalar -> char * (owned by the scenario)
 *   BOOL          true/false/yes/no -> bool
 *   REAL          number -> double
 *   COUNT         whole number >= 0, '_' separators and k/M/G suffixes -> double
 *                 ("1.5k" is 1500; "2.5" is refused: counts are never fractions)
 *   FRACTION      number in [0,1] (or "35%") -> double
 *   DURATION      "90s", "45m", "4h", "2d", "1w" or a bare number of hours -> double hours (>= 0)
 *   MONEY         whole won: 30000, 30_000, 30k, 1.5M, 2G -> int64_t (>= 0)
 *   ENUM          one of enum_names -> int (its index)
 *   DIST_DURATION a distribution of durations (see dist.h; scalar shorthand = fixed) -> osim_dist,
 * hours DIST_FRACTION a distribution of fractions in [0,1] -> osim_dist DIST_MONEY    a
 * distribution of won -> osim_dist DIST_REAL     a distribution of plain numbers -> osim_dist MAP
 * nested mapping bound with `sub` -> struct at offset SEQ           sequence of mappings bound with
 * `sub` -> pointer at offset to an array of sub->size-byte structs, count (size_t) at count_offset
 *   NAMES         sequence of strings -> char ** at offset, count at count_offset
 *   REALS         sequence of numbers -> double * at offset, count at count_offset
 *   HOURLY        sequence of exactly 24 numbers -> double[24] at offset
 *   WEEKLY        sequence of exactly 7 numbers (Monday first) -> double[7] at offset
 *   DATETIME      "YYYY-MM-DD HH:MM" (local) -> int64_t seconds, interpreted by the loader
 *   REF           a name of an item of the collection `ref` ("sites", "services",
 *                 "topologies", "businesses", "policies") -> size_t index at offset
 *   REFS          sequence of such names -> size_t * at offset, count at count_offset
 *   UTC_OFFSET    "+09:00", "-03:30", "Z" -> double hours
 *   NAMED         mapping of names to items {a: ..., b: ...} -> like SEQ (an array of
 *                 sub->size-byte structs, count at count_offset), the sub schema's
 *                 `name` field holding each key; an item that is a mapping is bound
 *                 with `sub`, any other value binds the sub schema's second field
 *                 (`{pangyo: [b3-east]}` is `{pangyo: {zones: [b3-east]}}`)
 *
 * OSIM_F_REQUIRED on a sequence (SEQ, NAMES, REFS, REALS) also requires at
 * least one item. A count_offset of OSIM_NO_COUNT binds a sequence whose
 * length is implied by another field (the loader checks it).
 *
 * Defaults: `def` is YAML text bound exactly like a value in the file
 * ("14d", "50%", "[1, 2]", "{dist: uniform, min: 0, max: 1h}"); NULL means
 * zero (an empty list, a fixed-0 distribution). For HOURLY and WEEKLY a
 * plain number fills every entry ("1"). A field with no key in the file is
 * reported, in errors, at the mapping that left it out.
 *
 * Sequence items are addressed in --set paths and `params` by their `name`
 * field (or `site`) when the item schema has one, else by index from 0.
 */
#ifndef OUTAGESIM_SCHEMA_H
#define OUTAGESIM_SCHEMA_H

#include <stddef.h>

#include "outagesim/error.h"

typedef enum osim_field_type {
    OSIM_FT_STRING,
    OSIM_FT_BOOL,
    OSIM_FT_REAL,
    OSIM_FT_COUNT,
    OSIM_FT_FRACTION,
    OSIM_FT_DURATION,
    OSIM_FT_MONEY,
    OSIM_FT_ENUM,
    OSIM_FT_DIST_DURATION,
    OSIM_FT_DIST_FRACTION,
    OSIM_FT_DIST_MONEY,
    OSIM_FT_DIST_REAL,
    OSIM_FT_MAP,
    OSIM_FT_SEQ,
    OSIM_FT_NAMES,
    OSIM_FT_REALS,
    OSIM_FT_HOURLY,
    OSIM_FT_WEEKLY,
    OSIM_FT_DATETIME,
    OSIM_FT_REF,
    OSIM_FT_REFS,
    OSIM_FT_UTC_OFFSET,
    OSIM_FT_NAMED,
} osim_field_type;

/* Field flags. */
#define OSIM_F_REQUIRED 0x1u /* missing key is an error */
#define OSIM_F_CUSTOM 0x2u   /* bound by the loader itself (policies, params) */
#define OSIM_F_NONEMPTY 0x4u /* a MAP given as {} is an error: it would set nothing */

/* count_offset for a sequence with no count field of its own. */
#define OSIM_NO_COUNT ((size_t)-1)

typedef struct osim_schema osim_schema;

typedef struct osim_field {
    const char *key;
    osim_field_type type;
    size_t offset;
    unsigned flags;
    const char *unit;       /* "h", "won", "fraction", "count", "won/h", ... for docs and params */
    const char *def;        /* default written as YAML text, bound like a value; NULL = zero */
    const char *doc;        /* one line */
    const osim_schema *sub; /* MAP, SEQ and NAMED */
    size_t count_offset;    /* SEQ, NAMED, NAMES, REALS */
    const char *const *enum_names; /* ENUM: NULL-terminated */
    const char *ref;               /* REF, REFS: the collection names refer to */
} osim_field;

struct osim_schema {
    const char *name; /* for messages: "service", "topology", ... */
    size_t size;      /* sizeof the struct it binds */
    const osim_field *fields;
    size_t fields_count;
};

/*
 * The context a validation hook gets: it reports a semantic error at the
 * source position of a bound field, given the field's address inside the
 * bound struct (e.g. &params->brackets[1].max_loss_krw).
 */
typedef struct osim_bind_ctx osim_bind_ctx;

/*
 * Record an error at the YAML position where the value at field_addr came
 * from (or the nearest enclosing mapping when that value was a default).
 * Returns code.
 */
int osim_bind_error(osim_bind_ctx *ctx, const void *field_addr, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/*
 * Models that plug into the loader. A scenario names models by kind (a
 * policy's `model: loss_brackets`) and gives them parameters; the loader
 * binds and checks those parameters without knowing what the models do.
 * What it needs of one kind is this plain data, which the plug-in layer
 * (sim/comp for compensation) hands over through a catalogue the caller
 * passes to osim_scenario_load(). The scenario layer so depends on no
 * model: the models depend on it.
 */
typedef struct osim_model_kind {
    const char *name;                 /* as written in the scenario; unique in a catalogue */
    const osim_schema *params_schema; /* NULL: the model takes no parameters */
    /* Semantic checks after binding (ascending brackets...), reporting with
     * osim_bind_error(); 0 or a negative code. May be NULL. */
    int (*validate)(const void *params, osim_bind_ctx *ctx);
    const void *model; /* the plug-in's own object, opaque here; kept in osim_policy.model */
} osim_model_kind;

/*
 * A catalogue: every kind the plug-in knows, by index. kind_at() fills *out
 * with kind i and returns 1, or returns 0 past the last kind. It must be
 * callable from any thread (the kinds are constant data).
 */
typedef struct osim_model_catalogue {
    const char *what; /* what a kind is called in messages: "compensation model" */
    int (*kind_at)(size_t i, osim_model_kind *out);
} osim_model_catalogue;

/* The kind named name in cat (NULL: an empty catalogue): 1 and *out filled, or 0. */
int osim_model_catalogue_find(const osim_model_catalogue *cat, const char *name,
                              osim_model_kind *out);

#endif
