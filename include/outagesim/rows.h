/*
 * rows.h -- a row block: the one form in which the replications of a run
 * are kept, combined, written and sent.
 *
 * A block is (shape, replication range [from, to), values).
 *
 *   shape   what the values are about: the identity of the run (version,
 *           scenario name and SHA-256, master seed), the topologies (slot
 *           order), the columns (the metric catalogue, by name) and notes
 *           (anything else two parts must agree on, as canonical text,
 *           e.g. the economics settings or a time grid).
 *   range   the replications from .. to-1 the values cover.
 *   values  of one of two kinds:
 *     OSIM_ROWS_VALUES  one row per replication and topology, in index
 *                       order: values[((i - from) T + t) C + c] (T
 *                       topologies, C columns). Parts CONCATENATE.
 *     OSIM_ROWS_COUNTS  one vector of counts_len unsigned integers summed
 *                       over the range (the series over time, series.h).
 *                       Parts ADD, modulo 2^64.
 *
 * Combining. Blocks combine only when their shapes are equal
 * (osim_rows_shape_compare) and their ranges tile one interval without
 * gap or overlap (osim_rows_tiles); the result is exactly the block of one
 * run over that interval. This one rule is `outagesim merge`, the merge of
 * an MPI sweep's parts and the merge of series: a run split in parts and
 * the whole run are equal by construction.
 *
 * Codecs. The text codec is replications.csv (a provenance comment, a
 * header naming the columns, one line per replication and topology, each
 * value at 17 significant digits, which strtod reads back to the same
 * double). The binary codec is for processes that exchange parts (MPI):
 * native byte order, checked by a magic word; doubles travel as their 8
 * bytes, so -0.0, denormals and NaN payloads come back bit for bit.
 *
 * Ownership: a block owns its shape (deep copy) and values. Blocks are not
 * thread-safe; distinct rows of one block may be written by distinct
 * threads (mc.c) when nothing reallocates it meanwhile.
 */
#ifndef OUTAGESIM_ROWS_H
#define OUTAGESIM_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outagesim/error.h"

typedef enum osim_rows_kind {
    OSIM_ROWS_VALUES = 0, /* doubles per (replication, topology, column); concatenate */
    OSIM_ROWS_COUNTS = 1, /* one count vector for the whole range; add */
} osim_rows_kind;

/* Something else two blocks must agree on. what completes the sentence
 * "cannot merge: parts [a, b) and [c, d) are ...", e.g. "with different
 * economics settings"; text is compared byte for byte. Both owned. */
typedef struct osim_rows_note {
    char *what;
    char *text;
} osim_rows_note;

typedef struct osim_rows_shape {
    osim_rows_kind kind;
    char *version; /* OSIM_VERSION of the program that made the values */
    char *scenario_name;
    char *scenario_file; /* recorded (provenance), not compared: a scenario may move */
    char sha256[65];     /* of the scenario bytes plus overrides */
    uint64_t seed;
    char **topologies; /* slot order */
    size_t topologies_count;
    char **columns; /* VALUES: the metric names, in row order; COUNTS: may be empty */
    size_t columns_count;
    osim_rows_note *notes;
    size_t notes_count;
    size_t counts_len; /* COUNTS: length of the count vector; VALUES: 0 */
} osim_rows_shape;

typedef struct osim_rows {
    osim_rows_shape shape; /* owned */
    bool has_range;        /* VALUES: always; COUNTS: false while a run is still adding */
    uint64_t from, to;     /* the values cover replications from .. to-1 */
    bool interrupted;      /* the run that made the range stopped early at `to` */
    double *values;        /* VALUES: room for `cap` replications */
    size_t cap;
    uint64_t *counts; /* COUNTS: shape.counts_len */
} osim_rows;

/* Why two blocks do not combine (0: they do). */
typedef enum osim_rows_why {
    OSIM_ROWS_OK = 0,
    OSIM_ROWS_KIND,       /* one holds values, the other counts */
    OSIM_ROWS_VERSION,    /* made by different versions */
    OSIM_ROWS_SCENARIO,   /* different scenario (SHA-256 or name) */
    OSIM_ROWS_SEED,       /* different master seeds */
    OSIM_ROWS_TOPOLOGIES, /* different topologies or slot order */
    OSIM_ROWS_COLUMNS,    /* different columns (catalogue), or count length (checked after notes) */
    OSIM_ROWS_NOTE,       /* a note differs (see its `what`) */
    OSIM_ROWS_GAP,        /* the ranges leave replications out */
    OSIM_ROWS_OVERLAP,    /* the ranges share replications */
    OSIM_ROWS_NO_RANGE,   /* a COUNTS block whose range is unknown meets one whose range is known */
} osim_rows_why;

/*
 * A new block of shape (deep-copied) covering [from, to), values or counts
 * zeroed. to >= from. For COUNTS, has_range is true; call
 * osim_rows_clear_range for an accumulator whose range is set later.
 * Returns 0, OSIM_EINVAL (to < from) or OSIM_ENOMEM.
 */
int osim_rows_new(const osim_rows_shape *shape, uint64_t from, uint64_t to, osim_rows **out);

/* Free a block. NULL is a no-op. */
void osim_rows_free(osim_rows *b);

/* Deep copy src into dst (dst uninitialised); 0 or OSIM_ENOMEM (dst then empty). */
int osim_rows_shape_copy(osim_rows_shape *dst, const osim_rows_shape *src);

/* Free what a shape owns and zero it. */
void osim_rows_shape_clear(osim_rows_shape *s);

/*
 * OSIM_ROWS_OK when a and b describe the same values; otherwise the first
 * difference, in the order of the enum, and *what (if not NULL) the end of
 * the sentence "parts ... are ..." (static, or the note's `what`).
 */
osim_rows_why osim_rows_shape_compare(const osim_rows_shape *a, const osim_rows_shape *b,
                                      const char **what);

/* VALUES: make room for `reps` replications (keeps the values held). */
int osim_rows_reserve(osim_rows *b, uint64_t reps);

/* VALUES: the row of replication rep (from <= rep < from + cap) under topology t. */
static inline double *osim_rows_at(const osim_rows *b, uint64_t rep, size_t t)
{
    return b->values +
           ((size_t)(rep - b->from) * b->shape.topologies_count + t) * b->shape.columns_count;
}

/* Set the range (VALUES: to - from <= cap); or forget it (COUNTS accumulator). */
void osim_rows_set_range(osim_rows *b, uint64_t from, uint64_t to, bool interrupted);
void osim_rows_clear_range(osim_rows *b);

/*
 * Whether parts[0..n-1] (any order) combine: equal shapes and ranges that
 * tile one interval. Returns OSIM_ROWS_OK, or why not, with *bad (if not
 * NULL) the index into parts of one offending part and *other the other.
 */
osim_rows_why osim_rows_tiles(const osim_rows *const *parts, size_t n, size_t *bad, size_t *other);

/*
 * Combine parts (borrowed, any order) whose ranges tile one interval into
 * one new block over it: rows concatenated in index order (VALUES) or
 * counts added (COUNTS). interrupted is that of the part that ends the
 * range. Returns 0, OSIM_ENOMEM, or OSIM_EINVAL with diag saying which
 * parts and why (the missing range, for a gap).
 */
int osim_rows_concat(const osim_rows *const *parts, size_t n, osim_rows **out, osim_diag *diag);

/*
 * COUNTS: add src into dst in place, under the same rules: equal shapes,
 * and ranges that are adjacent (either order; dst becomes their union) or
 * both unknown (the accumulators of one run's workers). dst is unchanged
 * on failure (OSIM_EINVAL with diag).
 */
int osim_rows_add(osim_rows *dst, const osim_rows *src, osim_diag *diag);

/* ------------------------------------------------------------ codecs */

/*
 * Text codec, VALUES only (replications.csv): the provenance comment
 *   # outagesim V; scenario N; file F; sha256 H; seed S; replications A..B[; interrupted]
 * the header "replication,topology,<columns>" and one line per
 * replication and topology. Fields are RFC 4180. OSIM_EIO on a write error.
 */
int osim_rows_write_text(const osim_rows *b, FILE *f, osim_diag *diag);

/* The first line of the text codec alone (summary.csv opens with it too). */
void osim_rows_write_provenance(const osim_rows *b, FILE *f);

/*
 * Read the text codec into b, a block of the expected shape whose range
 * [from, to) is what the caller was told (e.g. by results.json): the header
 * must name exactly b's columns and the lines must be exactly the
 * replications of the range under b's topologies, in order. Room grows
 * with the lines actually read (a claimed range of 10^18 is "ends early",
 * not an allocation). path is for messages. OSIM_ESCHEMA (path:line) when
 * the file does not match.
 */
int osim_rows_read_text(osim_rows *b, FILE *f, const char *path, osim_diag *diag);

/*
 * Binary codec: the whole block (shape, range, values or counts). pack
 * returns 0 or OSIM_ENOMEM; *buf is malloc'd (the caller frees). unpack
 * reads one block from the start of buf and sets *used to its length in
 * bytes (buf may hold more); OSIM_EINVAL with diag for a truncated or
 * malformed buffer or one of another format.
 */
int osim_rows_pack(const osim_rows *b, void **buf, size_t *len);
int osim_rows_unpack(const void *buf, size_t len, size_t *used, osim_rows **out, osim_diag *diag);

#endif
