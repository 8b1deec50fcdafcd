/*
 * rows.c -- row blocks: shapes, ranges, and the one rule that combines
 * parts (rows.h).
 *
 * Invariant: two blocks combine only when their shapes are equal and their
 * ranges tile one interval; the combination is then a pure function of
 * the parts' values in index order (rows copied, counts added modulo
 * 2^64), so any split of a run into parts, in any order, combines into the
 * bits of the whole run. Every merge in the program -- `outagesim merge`,
 * the parts of an MPI sweep, the series over time -- goes through
 * osim_rows_tiles, so there is one set of refusals and one set of messages.
 */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "outagesim/rows.h"
#include "results/results_int.h"

/* ------------------------------------------------------------ shape */

void osim_rows_shape_clear(osim_rows_shape *s)
{
    size_t i;

    if (s == NULL)
        return;
    free(s->version);
    free(s->scenario_name);
    free(s->scenario_file);
    osim__strv_free(s->topologies, s->topologies_count);
    osim__strv_free(s->columns, s->columns_count);
    for (i = 0; i < s->notes_count; i++) {
        free(s->notes[i].what);
        free(s->notes[i].text);
    }
    free(s->notes);
    memset(s, 0, sizeof(*s));
}

/* A copy of s, "" for NULL: a block's strings are never NULL. */
static char *dup_nn(const char *s)
{
    return osim__strdup(s != NULL ? s : "");
}

int osim_rows_shape_copy(osim_rows_shape *dst, const osim_rows_shape *src)
{
    size_t i;

    memset(dst, 0, sizeof(*dst));
    dst->kind = src->kind;
    memcpy(dst->sha256, src->sha256, sizeof(dst->sha256));
    dst->sha256[64] = '\0';
    dst->seed = src->seed;
    dst->counts_len = src->counts_len;
    dst->version = dup_nn(src->version);
    dst->scenario_name = dup_nn(src->scenario_name);
    dst->scenario_file = dup_nn(src->scenario_file);
    if (dst->version == NULL || dst->scenario_name == NULL || dst->scenario_file == NULL)
        goto fail;
    if (osim__strv_dup(src->topologies, src->topologies_count, &dst->topologies) != 0)
        goto fail;
    dst->topologies_count = src->topologies_count;
    if (osim__strv_dup(src->columns, src->columns_count, &dst->columns) != 0)
        goto fail;
    dst->columns_count = src->columns_count;
    if (src->notes_count > 0) {
        if ((dst->notes = calloc(src->notes_count, sizeof(*dst->notes))) == NULL)
            goto fail;
        for (i = 0; i < src->notes_count; i++) {
            dst->notes_count = i + 1;
            dst->notes[i].what = dup_nn(src->notes[i].what);
            dst->notes[i].text = dup_nn(src->notes[i].text);
            if (dst->notes[i].what == NULL || dst->notes[i].text == NULL)
                goto fail;
        }
    }
    return 0;
fail:
    osim_rows_shape_clear(dst);
    return OSIM_ENOMEM;
}

static bool str_eq(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static bool strv_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
    size_t i;

    if (na != nb)
        return false;
    for (i = 0; i < na; i++)
        if (!str_eq(a[i], b[i]))
            return false;
    return true;
}

/* The ends of "cannot merge: parts [a, b) and [c, d) are ...". */
static const char *why_text(osim_rows_why why)
{
    switch (why) {
    case OSIM_ROWS_KIND: return "of different kinds (rows and counts)";
    case OSIM_ROWS_VERSION: return "made by different versions of outagesim";
    case OSIM_ROWS_SCENARIO:
        return "of different scenarios (sha256 differs: file or --set overrides)";
    case OSIM_ROWS_SEED: return "run with different seeds";
    case OSIM_ROWS_TOPOLOGIES: return "of different topologies (selection or order)";
    case OSIM_ROWS_COLUMNS:
        return "with different metrics (services, segments, policies or classes)";
    default: return "of different shapes";
    }
}

osim_rows_why osim_rows_shape_compare(const osim_rows_shape *a, const osim_rows_shape *b,
                                      const char **what)
{
    osim_rows_why why = OSIM_ROWS_OK;
    size_t i;

    if (a->kind != b->kind)
        why = OSIM_ROWS_KIND;
    else if (!str_eq(a->version, b->version))
        why = OSIM_ROWS_VERSION;
    else if (strcmp(a->sha256, b->sha256) != 0 || !str_eq(a->scenario_name, b->scenario_name))
        why = OSIM_ROWS_SCENARIO;
    else if (a->seed != b->seed)
        why = OSIM_ROWS_SEED;
    else if (!strv_eq(a->topologies, a->topologies_count, b->topologies, b->topologies_count))
        why = OSIM_ROWS_TOPOLOGIES;
    else if (!strv_eq(a->columns, a->columns_count, b->columns, b->columns_count))
        why = OSIM_ROWS_COLUMNS;
    if (why != OSIM_ROWS_OK) {
        if (what != NULL)
            *what = why_text(why);
        return why;
    }
    for (i = 0; i < a->notes_count || i < b->notes_count; i++) {
        const osim_rows_note *na = i < a->notes_count ? &a->notes[i] : NULL;
        const osim_rows_note *nb = i < b->notes_count ? &b->notes[i] : NULL;
        if (na == NULL || nb == NULL || !str_eq(na->what, nb->what) ||
            !str_eq(na->text, nb->text)) {
            if (what != NULL)
                *what = na != NULL ? na->what : nb->what;
            return OSIM_ROWS_NOTE;
        }
    }
    /* After the notes: a count vector's length follows from them (a grid). */
    if (a->counts_len != b->counts_len) {
        if (what != NULL)
            *what = "with count vectors of different lengths";
        return OSIM_ROWS_COLUMNS;
    }
    return OSIM_ROWS_OK;
}

/* ------------------------------------------------------------ blocks */

void osim_rows_free(osim_rows *b)
{
    if (b == NULL)
        return;
    osim_rows_shape_clear(&b->shape);
    free(b->values);
    free(b->counts);
    free(b);
}

/* Values per replication (T x C). */
static size_t row_len(const osim_rows *b)
{
    return b->shape.topologies_count * b->shape.columns_count;
}

int osim_rows_reserve(osim_rows *b, uint64_t reps)
{
    size_t row = row_len(b);
    double *v;

    if (b->shape.kind != OSIM_ROWS_VALUES)
        return OSIM_EINVAL;
    if (reps <= b->cap && b->values != NULL)
        return 0;
    if (row != 0 && reps > SIZE_MAX / sizeof(double) / row)
        return OSIM_ENOMEM;
    /* + 1: an empty shape still gets a pointer to hand out. */
    v = realloc(b->values, (size_t)reps * row * sizeof(double) + 1);
    if (v == NULL)
        return OSIM_ENOMEM;
    b->values = v;
    b->cap = (size_t)reps;
    return 0;
}

int osim_rows_new(const osim_rows_shape *shape, uint64_t from, uint64_t to, osim_rows **out)
{
    osim_rows *b;
    int rc;

    *out = NULL;
    if (to < from)
        return OSIM_EINVAL;
    if ((b = calloc(1, sizeof(*b))) == NULL)
        return OSIM_ENOMEM;
    if ((rc = osim_rows_shape_copy(&b->shape, shape)) != 0)
        goto fail;
    b->has_range = true;
    b->from = from;
    b->to = to;
    if (shape->kind == OSIM_ROWS_COUNTS) {
        rc = OSIM_ENOMEM;
        if ((b->counts = calloc(shape->counts_len + 1, sizeof(*b->counts))) == NULL)
            goto fail;
    } else {
        if ((rc = osim_rows_reserve(b, to - from)) != 0)
            goto fail;
        memset(b->values, 0, (size_t)(to - from) * row_len(b) * sizeof(double));
    }
    *out = b;
    return 0;
fail:
    osim_rows_free(b);
    return rc;
}

void osim_rows_set_range(osim_rows *b, uint64_t from, uint64_t to, bool interrupted)
{
    b->has_range = true;
    b->from = from;
    b->to = to;
    b->interrupted = interrupted;
}

void osim_rows_clear_range(osim_rows *b)
{
    b->has_range = false;
    b->from = b->to = 0;
    b->interrupted = false;
}

/* ------------------------------------------------------------ tiling */

typedef struct ranked {
    const osim_rows *b;
    size_t index; /* into the caller's parts */
} ranked;

static int by_from(const void *x, const void *y)
{
    const ranked *a = x, *b = y;

    /* An empty part sorts before a part that starts where it does. */
    if (a->b->from != b->b->from)
        return a->b->from < b->b->from ? -1 : 1;
    if (a->b->to != b->b->to)
        return a->b->to < b->b->to ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Parts sorted by the start of their range (a new array, or NULL). */
static ranked *sorted_parts(const osim_rows *const *parts, size_t n)
{
    ranked *s = malloc((n ? n : 1) * sizeof(*s));
    size_t i;

    if (s == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        s[i].b = parts[i];
        s[i].index = i;
    }
    qsort(s, n, sizeof(*s), by_from);
    return s;
}

/* The check of osim_rows_tiles on sorted parts; *k is the offending position. */
static osim_rows_why tiles_sorted(const ranked *s, size_t n, size_t *k, const char **what)
{
    size_t i;
    osim_rows_why why;

    *what = NULL;
    for (i = 0; i < n; i++) {
        *k = i;
        if (i > 0 && (why = osim_rows_shape_compare(&s[0].b->shape, &s[i].b->shape, what)) != 0)
            return why;
        if (!s[i].b->has_range)
            return OSIM_ROWS_NO_RANGE;
        if (i > 0 && s[i].b->from > s[i - 1].b->to)
            return OSIM_ROWS_GAP;
        if (i > 0 && s[i].b->from < s[i - 1].b->to)
            return OSIM_ROWS_OVERLAP;
    }
    return OSIM_ROWS_OK;
}

osim_rows_why osim_rows_tiles(const osim_rows *const *parts, size_t n, size_t *bad, size_t *other)
{
    ranked *s = sorted_parts(parts, n);
    const char *what;
    osim_rows_why why;
    size_t k = 0;

    if (s == NULL)
        return OSIM_ROWS_NO_RANGE; /* out of memory: refuse rather than guess */
    why = tiles_sorted(s, n, &k, &what);
    if (why != OSIM_ROWS_OK) {
        if (bad != NULL)
            *bad = s[k].index;
        if (other != NULL)
            *other = k > 0 ? s[why <= OSIM_ROWS_NOTE ? 0 : k - 1].index : s[k].index;
    }
    free(s);
    return why;
}

/* The message of a refusal, on sorted parts (k: the offending position). */
static int refuse(const ranked *s, size_t k, osim_rows_why why, const char *what, osim_diag *diag)
{
    const osim_rows *a = k > 0 ? s[why <= OSIM_ROWS_NOTE ? 0 : k - 1].b : s[k].b, *b = s[k].b;

    switch (why) {
    case OSIM_ROWS_GAP:
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "cannot merge: replications %llu..%llu are missing "
                             "(run them with --from %llu --to %llu)",
                             (unsigned long long)a->to, (unsigned long long)b->from - 1,
                             (unsigned long long)a->to, (unsigned long long)b->from);
    case OSIM_ROWS_OVERLAP:
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "cannot merge: parts [%llu, %llu) and [%llu, %llu) overlap",
                             (unsigned long long)a->from, (unsigned long long)a->to,
                             (unsigned long long)b->from, (unsigned long long)b->to);
    case OSIM_ROWS_NO_RANGE:
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "cannot merge: a part does not say which replications it covers");
    default:
        if (!a->has_range || !b->has_range) /* accumulators of a run */
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "cannot merge: the parts are %s",
                                 what != NULL ? what : why_text(why));
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "cannot merge: parts [%llu, %llu) and [%llu, %llu) are %s",
                             (unsigned long long)a->from, (unsigned long long)a->to,
                             (unsigned long long)b->from, (unsigned long long)b->to,
                             what != NULL ? what : why_text(why));
    }
}

/* Modulo 2^64, like every counter of a series (series.c). */
static void counts_add(uint64_t *a, const uint64_t *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        a[i] += b[i];
}

int osim_rows_concat(const osim_rows *const *parts, size_t n, osim_rows **out, osim_diag *diag)
{
    ranked *s = NULL;
    osim_rows *r = NULL;
    const char *what;
    osim_rows_why why;
    size_t i, k = 0, row;
    int rc;

    *out = NULL;
    if (n == 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "nothing to merge");
    if ((s = sorted_parts(parts, n)) == NULL)
        return OSIM_ENOMEM;
    if ((why = tiles_sorted(s, n, &k, &what)) != OSIM_ROWS_OK) {
        rc = refuse(s, k, why, what, diag);
        goto fail;
    }
    if ((rc = osim_rows_new(&s[0].b->shape, s[0].b->from, s[n - 1].b->to, &r)) != 0)
        goto fail;
    r->interrupted = s[n - 1].b->interrupted;
    row = row_len(r);
    for (i = 0; i < n; i++) {
        const osim_rows *p = s[i].b;
        size_t reps = (size_t)(p->to - p->from);
        if (r->shape.kind == OSIM_ROWS_COUNTS)
            counts_add(r->counts, p->counts, r->shape.counts_len);
        else if (reps > 0)
            memcpy(osim_rows_at(r, p->from, 0), p->values, reps * row * sizeof(double));
    }
    free(s);
    *out = r;
    return 0;
fail:
    free(s);
    osim_rows_free(r);
    return rc;
}

int osim_rows_add(osim_rows *dst, const osim_rows *src, osim_diag *diag)
{
    const osim_rows *pair[2] = {dst, src};
    ranked s[2];
    const char *what = NULL;
    osim_rows_why why;
    size_t k = 1;

    if (dst->shape.kind != OSIM_ROWS_COUNTS || src->shape.kind != OSIM_ROWS_COUNTS)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "only counts add");
    s[0].b = pair[0];
    s[0].index = 0;
    s[1].b = pair[1];
    s[1].index = 1;
    if (!dst->has_range && !src->has_range) {
        /* The accumulators of one run: the run sets the range at its end. */
        why = osim_rows_shape_compare(&dst->shape, &src->shape, &what);
    } else {
        qsort(s, 2, sizeof(*s), by_from);
        why = tiles_sorted(s, 2, &k, &what);
    }
    if (why != OSIM_ROWS_OK)
        return refuse(s, k, why, what, diag);
    counts_add(dst->counts, src->counts, dst->shape.counts_len);
    if (dst->has_range) {
        dst->interrupted = s[1].b->interrupted;
        dst->from = s[0].b->from;
        dst->to = s[1].b->to;
    }
    return 0;
}
