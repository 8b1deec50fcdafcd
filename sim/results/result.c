/*
 * result.c -- the result of a Monte Carlo run: the metric catalogue, the
 * statistics and economics computed from the rows, and the merge of
 * partial runs.
 *
 * Invariant: a result is a pure function of its shape (what the rows are
 * about) and its rows (replications from..to-1 in index order). The
 * catalogue is built from the shape alone, the statistics from the rows
 * alone, in index order; so a run, a run split into parts and merged, and a
 * result read back from its files all summarise to the same bits.
 *
 * The rows are one row block (rows.h) whose shape is made here from the
 * result's (rows_shape_of): identity, topologies, catalogue, and as notes
 * the annual costs, policies and economics settings. A merge is the
 * concatenation of the parts' blocks, refused by the block's rules; a
 * block read or received (report/load.c, wire.c) is adopted only if its
 * shape is exactly the one the result's own fields make.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "outagesim/catalogue.h"
#include "outagesim/result.h"
#include "results/metrics.h"
#include "results/results_int.h"
#include "results/rows_int.h"
#include "results/spill.h"

/* ------------------------------------------------------------ small helpers */

/*
 * An incident probability as the value its 15-significant-digit text reads
 * back as, so that a result loaded from a document computes the same
 * economics, to the bit, as the run that wrote it. Idempotent.
 */
static double probability_norm(double p)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.15g", p);
    return strtod(buf, NULL);
}

/* ------------------------------------------------------------ catalogue */

typedef struct cat_builder {
    osim_mc_result *r;
    size_t cap;
    int rc;
} cat_builder;

/* Append the metrics of group g for one owner; prefix is the path before the key. */
static void cat_add(cat_builder *b, osim_metric_group g, size_t owner, size_t sub,
                    const char *prefix)
{
    osim_mc_result *r = b->r;
    size_t i, n, first;
    const osim__metric_def *defs = osim__metric_defs(g, &n, &first);

    for (i = 0; i < n && b->rc == 0; i++) {
        osim_metric *m;
        size_t len = strlen(prefix) + strlen(defs[i].key) + 1;

        if (r->metrics_count == b->cap) {
            size_t nc = b->cap ? 2 * b->cap : 64;
            osim_metric *nm = realloc(r->metrics, nc * sizeof(*nm));
            if (nm == NULL) {
                b->rc = OSIM_ENOMEM;
                return;
            }
            r->metrics = nm;
            b->cap = nc;
        }
        m = &r->metrics[r->metrics_count];
        memset(m, 0, sizeof(*m));
        m->name = malloc(len);
        if (m->name == NULL) {
            b->rc = OSIM_ENOMEM;
            return;
        }
        snprintf(m->name, len, "%s%s", prefix, defs[i].key);
        m->key = defs[i].key;
        m->unit = defs[i].unit;
        m->group = g;
        m->what = (int)(first + i);
        m->owner = owner;
        m->sub = sub;
        r->metrics_count++;
    }
}

/* A prefix "a.b.c." from up to three parts (NULL parts are skipped). */
static char *prefix3(const char *a, const char *b, const char *c, const char *d)
{
    const char *parts[4] = {a, b, c, d};
    size_t len = 1, i;
    char *p;

    for (i = 0; i < 4; i++)
        if (parts[i] != NULL)
            len += strlen(parts[i]) + 1;
    p = malloc(len);
    if (p == NULL)
        return NULL;
    p[0] = '\0';
    for (i = 0; i < 4; i++) {
        if (parts[i] != NULL) {
            strcat(p, parts[i]);
            strcat(p, ".");
        }
    }
    return p;
}

static void cat_add_named(cat_builder *b, osim_metric_group g, size_t owner, size_t sub,
                          const char *p1, const char *p2, const char *p3, const char *p4)
{
    char *prefix;

    if (b->rc != 0)
        return;
    prefix = prefix3(p1, p2, p3, p4);
    if (prefix == NULL) {
        b->rc = OSIM_ENOMEM;
        return;
    }
    cat_add(b, g, owner, sub, prefix);
    free(prefix);
}

static void metrics_free(osim_mc_result *r)
{
    size_t i;

    for (i = 0; i < r->metrics_count; i++)
        free(r->metrics[i].name);
    free(r->metrics);
    r->metrics = NULL;
    r->metrics_count = 0;
}

int osim_mc_result_catalogue(osim_mc_result *r)
{
    cat_builder b = {r, 0, 0};
    size_t i, c;

    metrics_free(r);
    /* Every result passes here (run, load, unpack, merge): one place fixes
     * the probability to the value results.json reads back as. */
    r->incident_probability = probability_norm(r->incident_probability);
    /* The order here is the order of the document, the CSV columns and the
     * row layout: change it and every output changes (bump the version). */
    for (i = 0; i < r->sites_count; i++)
        cat_add_named(&b, OSIM_MG_INCIDENT, i, 0, "incident", r->sites[i], NULL, NULL);
    for (i = 0; i < r->services_count; i++) {
        cat_add_named(&b, OSIM_MG_SERVICE, i, 0, "services", r->services[i], NULL, NULL);
        if (r->copies)
            cat_add_named(&b, OSIM_MG_COPIES, i, 0, "services", r->services[i], NULL, NULL);
    }
    cat_add_named(&b, OSIM_MG_TOPOLOGY, 0, 0, NULL, NULL, NULL, NULL);
    cat_add_named(&b, OSIM_MG_USERS, 0, 0, "users", NULL, NULL, NULL);
    cat_add_named(&b, OSIM_MG_SMALL_BUSINESS, 0, 0, "small_business", NULL, NULL, NULL);
    for (i = 0; i < r->segments_count; i++)
        cat_add_named(&b, OSIM_MG_SEGMENT, i, 0, "small_business", "segments", r->segments[i],
                      NULL);
    cat_add_named(&b, OSIM_MG_DATA_LOSS, 0, 0, "data_loss", NULL, NULL, NULL);
    cat_add_named(&b, OSIM_MG_OPERATOR, 0, 0, "operator", NULL, NULL, NULL);
    for (i = 0; i < r->policies_count; i++) {
        const osim_mc_policy *p = &r->policies[i];
        cat_add_named(&b, OSIM_MG_COMP, i, 0, "compensation", p->name, NULL, NULL);
        for (c = 0; c < p->classes_count; c++)
            cat_add_named(&b, OSIM_MG_COMP_CLASS, i, c, "compensation", p->name, "classes",
                          p->classes[c]);
    }
    cat_add_named(&b, OSIM_MG_COST, 0, 0, NULL, NULL, NULL, NULL);
    if (b.rc != 0)
        metrics_free(r);
    return b.rc;
}

long osim_mc_result_metric_index(const osim_mc_result *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->metrics_count; i++)
        if (strcmp(r->metrics[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* ------------------------------------------------------------ the row block */

/* Append one note, text formatted; rc records the first failure. */
static void add_note(osim_rows_shape *s, const char *what, const char *text, int *rc)
{
    osim_rows_note *n;

    if (*rc != 0)
        return;
    n = realloc(s->notes, (s->notes_count + 1) * sizeof(*n));
    if (n == NULL) {
        *rc = OSIM_ENOMEM;
        return;
    }
    s->notes = n;
    n = &s->notes[s->notes_count];
    n->what = osim__strdup(what);
    n->text = osim__strdup(text);
    s->notes_count++;
    if (n->what == NULL || n->text == NULL)
        *rc = OSIM_ENOMEM;
}

/* text (growing) += the formatted piece; rc records the first failure. */
static void cat_text(char **text, size_t *len, int *rc, const char *piece)
{
    size_t n = strlen(piece);
    char *t;

    if (*rc != 0)
        return;
    if ((t = realloc(*text, *len + n + 1)) == NULL) {
        *rc = OSIM_ENOMEM;
        return;
    }
    memcpy(t + *len, piece, n + 1);
    *text = t;
    *len += n;
}

/*
 * The shape of r's rows: its identity, topologies and catalogue, and as
 * notes what else two parts must share to be one run -- the annual costs,
 * the policies and the economics settings (they change no row, but they
 * change the document a merge would write).
 */
static int rows_shape_of(const osim_mc_result *r, osim_rows_shape *out)
{
    osim_rows_shape s;
    char *text = NULL, buf[160];
    size_t len = 0, i;
    int rc = 0;

    memset(&s, 0, sizeof(s));
    memset(out, 0, sizeof(*out));
    s.kind = OSIM_ROWS_VALUES;
    s.version = r->version;
    s.scenario_name = r->scenario_name;
    s.scenario_file = r->scenario_file;
    memcpy(s.sha256, r->sha256, sizeof(s.sha256));
    s.seed = r->seed;
    s.topologies = r->topologies;
    s.topologies_count = r->topologies_count;
    s.columns_count = r->metrics_count;
    if (r->metrics_count > 0 && (s.columns = calloc(r->metrics_count, sizeof(char *))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < r->metrics_count; i++)
        s.columns[i] = r->metrics[i].name;
    /* Copy what is borrowed so far; the notes are added to the copy. */
    rc = osim_rows_shape_copy(out, &s);
    free(s.columns);
    if (rc != 0)
        return rc;
    for (i = 0; i < r->topologies_count; i++) {
        snprintf(buf, sizeof(buf), "%s%lld", i ? " " : "", (long long)r->annual_cost_krw[i]);
        cat_text(&text, &len, &rc, buf);
    }
    add_note(out, "of different topology selections (annual costs differ)", text ? text : "", &rc);
    free(text);
    text = NULL;
    len = 0;
    for (i = 0; i < r->policies_count; i++) {
        const osim_mc_policy *p = &r->policies[i];
        cat_text(&text, &len, &rc, p->model != NULL ? p->model : "");
        cat_text(&text, &len, &rc, "\037");
        cat_text(&text, &len, &rc, p->legal_basis != NULL ? p->legal_basis : "");
        cat_text(&text, &len, &rc, p->in_economics ? "\0371" : "\0370");
        if (p->converted_from != NULL) {
            /* %a: the rate to the bit. */
            snprintf(buf, sizeof(buf), "\037%.8s %a", p->converted_from, p->converted_rate);
            cat_text(&text, &len, &rc, buf);
        }
        cat_text(&text, &len, &rc, "\036");
    }
    add_note(out, "with different compensation policies", text ? text : "", &rc);
    free(text);
    text = NULL;
    len = 0;
    /* %a: the probability to the bit. */
    snprintf(buf, sizeof(buf), "%a\037%s\037", r->incident_probability,
             r->currency != NULL ? r->currency->code : osim_currency_default()->code);
    cat_text(&text, &len, &rc, buf);
    cat_text(&text, &len, &rc, r->baseline != NULL ? r->baseline : "");
    add_note(out, "with different economics settings or currencies", text ? text : "", &rc);
    free(text);
    if (rc != 0)
        osim_rows_shape_clear(out);
    return rc;
}

int osim__mc_result_rows_new(const osim_mc_result *r, uint64_t from, uint64_t to, osim_rows **out)
{
    osim_rows_shape shape;
    int rc;

    *out = NULL;
    if ((rc = rows_shape_of(r, &shape)) != 0)
        return rc;
    rc = osim_rows_new(&shape, from, to, out);
    osim_rows_shape_clear(&shape);
    return rc;
}

int osim_mc_result_read_rows(osim_mc_result *r, FILE *f, const char *path, osim_diag *diag)
{
    osim_rows *rows = NULL;
    int rc;

    /* Empty at first: results.json's range is only a claim until the rows
     * are there (the codec grows the block with the lines it reads). */
    if ((rc = osim__mc_result_rows_new(r, r->from, r->from, &rows)) != 0)
        return rc;
    osim_rows_set_range(rows, r->from, r->to, r->interrupted);
    rc = osim_rows_read_text(rows, f, path, diag);
    if (rc == 0 && (rc = osim__mc_result_adopt_rows(r, rows)) == 0)
        return 0;
    osim_rows_free(rows);
    return rc;
}

int osim__mc_result_adopt_rows(osim_mc_result *r, osim_rows *rows)
{
    osim_rows_shape mine;
    osim_rows_why why;
    int rc;

    if ((rc = rows_shape_of(r, &mine)) != 0)
        return rc;
    why = osim_rows_shape_compare(&mine, &rows->shape, NULL);
    osim_rows_shape_clear(&mine);
    if (why != OSIM_ROWS_OK || !rows->has_range)
        return OSIM_EINVAL;
    osim_rows_free(r->rows);
    r->rows = rows;
    r->values = rows->values;
    r->from = rows->from;
    r->to = rows->to;
    r->interrupted = rows->interrupted;
    return 0;
}

int osim_mc_result_reserve(osim_mc_result *r, uint64_t reps)
{
    int rc;

    if (r->spill != NULL) /* the file grows with the rows put */
        return 0;
    if (r->rows == NULL) {
        /* The block starts empty at r->from; its range is r's from summarise on. */
        if ((rc = osim__mc_result_rows_new(r, r->from, r->from, &r->rows)) != 0)
            return rc;
    }
    rc = osim_rows_reserve(r->rows, reps);
    r->values = r->rows->values;
    return rc;
}

/* The most values a summary of rows on disk holds at once (2 MB). */
#define SPILL_STATS_VALUES ((size_t)1 << 17)

int osim_mc_result_spill(osim_mc_result *r, const char *dir, uint64_t memory_bytes, osim_diag *diag)
{
    int rc;

    if (r->spill != NULL || (r->rows != NULL && r->rows->cap > 0))
        return OSIM_EINVAL;
    if (r->rows == NULL && (rc = osim__mc_result_rows_new(r, r->from, r->from, &r->rows)) != 0)
        return rc;
    r->values = NULL;
    rc = osim__spill_new(dir, r->from, r->topologies_count * r->metrics_count, &r->spill, diag);
    /* A column read into memory takes two arrays (values and work): 16
     * bytes a value; and never more than SPILL_STATS_VALUES, so that the
     * summary of 10^7 replications takes what that of 10^5 takes. */
    if (rc == 0)
        osim__spill_set_mem_values(r->spill, memory_bytes / 16 > SPILL_STATS_VALUES
                                                 ? SPILL_STATS_VALUES
                                                 : (size_t)(memory_bytes / 16));
    return rc;
}

/* Values held at once while a column is summarised (stats.h). */
static size_t mem_values(const osim_mc_result *r)
{
    return r->spill != NULL ? osim__spill_mem_values(r->spill) : SIZE_MAX / 2;
}

/* A column of r's rows as a source for osim_stats_compute_read: metric m
 * under topology t, or (with b >= 0) its value under b minus under t. */
typedef struct column_src {
    const osim_mc_result *r;
    size_t t, m;
    long b;
} column_src;

static int column_get(const osim_mc_result *r, size_t t, size_t m, uint64_t at, size_t count,
                      double *buf)
{
    size_t T = r->topologies_count, M = r->metrics_count, i;

    if (r->spill != NULL)
        return osim__spill_column(r->spill, t * M + m, at, count, buf);
    for (i = 0; i < count; i++)
        buf[i] = r->rows->values[((size_t)at + i) * T * M + t * M + m];
    return 0;
}

static int column_read(void *ud, uint64_t at, size_t count, double *buf)
{
    const column_src *c = ud;
    double other[512];
    size_t i, k;
    int rc;

    if (c->b < 0)
        return column_get(c->r, c->t, c->m, at, count, buf);
    for (i = 0; i < count; i += k) {
        k = count - i < 512 ? count - i : 512;
        if ((rc = column_get(c->r, (size_t)c->b, c->m, at + i, k, buf + i)) != 0 ||
            (rc = column_get(c->r, c->t, c->m, at + i, k, other)) != 0)
            return rc;
        for (size_t j = 0; j < k; j++)
            buf[i + j] -= other[j];
    }
    return 0;
}

int osim_mc_result_stats_of(const osim_mc_result *r, size_t t, size_t m, uint64_t n, bool quantiles,
                            osim_stats *out)
{
    column_src c = {r, t, m, -1};

    if (r->rows == NULL || (r->spill == NULL && n > r->rows->cap))
        return OSIM_EINVAL;
    return osim_stats_compute_read(column_read, &c, n, mem_values(r), quantiles, out);
}

static int spill_fetch(void *ud, uint64_t at, size_t count, double *out)
{
    const osim_mc_result *r = ud;

    return osim__spill_rows(r->spill, at, count, out);
}

int osim_mc_result_write_rows(const osim_mc_result *r, FILE *f, osim_diag *diag)
{
    if (r->rows == NULL || r->rows->from != r->from || r->rows->to != r->to)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "the result holds no rows to write");
    if (r->spill == NULL)
        return osim_rows_write_text(r->rows, f, diag);
    return osim__rows_write_text_from(r->rows, spill_fetch, (void *)r, f, diag);
}

void osim_mc_result_drop_rows(osim_mc_result *r)
{
    if (r == NULL || r->rows == NULL)
        return;
    osim__spill_free(r->spill);
    r->spill = NULL;
    free(r->rows->values);
    r->rows->values = NULL;
    r->rows->cap = 0;
    r->values = NULL;
}

const osim_stats *osim_mc_result_stats(const osim_mc_result *r, size_t t, size_t m)
{
    return &r->stats[t * r->metrics_count + m];
}

/* ------------------------------------------------------------ economics */

static long topology_index(const osim_mc_result *r, const char *name)
{
    size_t i;

    if (name == NULL)
        return -1;
    for (i = 0; i < r->topologies_count; i++)
        if (strcmp(r->topologies[i], name) == 0)
            return (long)i;
    return -1;
}

const char *osim_mc_pays_name(osim_mc_pays p)
{
    switch (p) {
    case OSIM_PAYS_NEVER: return "never";
    case OSIM_PAYS_ALWAYS: return "always";
    case OSIM_PAYS_ABOVE: return "above";
    case OSIM_PAYS_BELOW: return "below";
    default: return NULL;
    }
}

/*
 * For which p in [0, 1] the net benefit p dm - dc is positive, where dm is
 * the loss avoided per incident (M_b - M_t) and dc the extra annual cost
 * (C_t - C_b). It is a line in p: one root p* = dc / dm at most.
 */
osim_mc_pays osim__mc_pays_when(double dm, double dc, double *p_star)
{
    *p_star = 0.0;
    if (dm == 0.0)
        return dc < 0.0 ? OSIM_PAYS_ALWAYS : OSIM_PAYS_NEVER;
    if (dm > 0.0) { /* better in a fire: pays when fires are frequent enough */
        double ps = dc / dm;
        if (ps <= 0.0)
            return OSIM_PAYS_ALWAYS;
        if (ps >= 1.0)
            return OSIM_PAYS_NEVER;
        *p_star = ps;
        return OSIM_PAYS_ABOVE;
    }
    /* Worse in a fire: pays only by being cheaper, while fires are rare enough. */
    if (dc >= 0.0)
        return OSIM_PAYS_NEVER;
    {
        double ps = dc / dm;
        if (ps >= 1.0)
            return OSIM_PAYS_ALWAYS;
        *p_star = ps;
        return OSIM_PAYS_BELOW;
    }
}

/*
 * Net annual benefit of t against baseline b with probability p:
 *   (p M_b - p M_t) - (C_t - C_b)
 * where M is the mean cost of one incident and C the annual cost. Its CI
 * comes from the paired differences M_b,i - M_t,i: both designs met the
 * same fire in replication i, so the difference is far less noisy than
 * either mean. Break-even is the p that zeroes the net benefit.
 */
static int economics(osim_mc_result *r, double *work, osim_diag *diag)
{
    long mc = osim_mc_result_metric_index(r, OSIM__MC_INCIDENT_COST);
    size_t T = r->topologies_count, t, i;
    size_t n = (size_t)(r->to - r->from);
    double p = r->incident_probability;
    long b = topology_index(r, r->baseline);
    double *diff = NULL;
    int rc = 0;

    r->baseline_index = b;
    if (mc < 0)
        return osim_diag_set(diag, OSIM_EINTERNAL, NULL, 0, 0, "catalogue lacks %s",
                             OSIM__MC_INCIDENT_COST);
    if (b >= 0 && n > 0 && r->spill == NULL) {
        diff = malloc(n * sizeof(*diff));
        if (diff == NULL)
            return OSIM_ENOMEM;
    }
    for (t = 0; t < T; t++) {
        osim_mc_economics *e = &r->economics[t];
        const osim_stats *st = osim_mc_result_stats(r, t, (size_t)mc);

        memset(e, 0, sizeof(*e));
        e->mean_incident_cost_krw = st->mean;
        e->expected_annual_loss_krw = p * st->mean;
        e->annual_cost_krw = (double)r->annual_cost_krw[t];
        if (b < 0)
            continue;
        {
            const osim_stats *sb = osim_mc_result_stats(r, (size_t)b, (size_t)mc);
            double dcost = e->annual_cost_krw - (double)r->annual_cost_krw[b];
            double dmean = sb->mean - st->mean;
            osim_stats sd;

            e->has_baseline = true;
            if (r->spill != NULL) {
                /* Only the interval is used: moments, from the file. */
                column_src c = {r, t, (size_t)mc, b};
                rc = osim_stats_compute_read(column_read, &c, n, mem_values(r), false, &sd);
            } else {
                for (i = 0; i < n; i++)
                    diff[i] = osim_rows_at(r->rows, r->from + i, (size_t)b)[mc] -
                              osim_rows_at(r->rows, r->from + i, t)[mc];
                rc = osim_stats_compute(diff, 1, n, work, &sd);
            }
            if (rc != 0) {
                osim_diag_set(diag, rc, NULL, 0, 0,
                              "economics: incident cost difference is "
                              "not finite");
                break;
            }
            if ((long)t == b) {
                e->net_annual_benefit_krw = 0.0;
                continue;
            }
            e->net_annual_benefit_krw = p * dmean - dcost + 0.0;
            e->net_ci95_low_krw = p * sd.ci95_low - dcost + 0.0;
            e->net_ci95_high_krw = p * sd.ci95_high - dcost + 0.0;
            e->pays = osim__mc_pays_when(dmean, dcost, &e->break_even_probability);
        }
    }
    free(diff);
    return rc;
}

int osim_mc_result_summarise(osim_mc_result *r, osim_diag *diag)
{
    size_t T = r->topologies_count, M = r->metrics_count, t, m;
    size_t n = (size_t)(r->to - r->from);
    double *work = NULL;
    int rc = 0;

    /* The rows are the block's: r->from..r->to-1, reserved before (or on disk). */
    if (r->to < r->from || (rc = osim_mc_result_reserve(r, 0)) != 0)
        return r->to < r->from ? OSIM_EINVAL : rc;
    if (r->spill != NULL && (rc = osim__spill_flush(r->spill)) != 0)
        return osim_diag_set(diag, rc, NULL, 0, 0, "cannot write the rows to disk: %s",
                             osim_strerror(rc));
    if (r->spill == NULL && r->to - r->from > r->rows->cap)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "replications %llu..%llu were never reserved",
                             (unsigned long long)r->from, (unsigned long long)r->to - 1);
    osim_rows_set_range(r->rows, r->from, r->to, r->interrupted);
    free(r->stats);
    free(r->economics);
    r->stats = calloc(T * M + 1, sizeof(*r->stats));
    r->economics = calloc(T + 1, sizeof(*r->economics));
    /* On disk: each column is read back in passes (no n-sized buffer). */
    work = malloc((r->spill != NULL ? 0 : n + 1) * sizeof(*work) + 1);
    if (r->stats == NULL || r->economics == NULL || work == NULL) {
        rc = OSIM_ENOMEM;
        goto done;
    }
    for (t = 0; t < T; t++) {
        for (m = 0; m < M; m++) {
            if (r->spill != NULL)
                rc = osim_mc_result_stats_of(r, t, m, n, true, &r->stats[t * M + m]);
            else
                rc = osim_stats_compute(r->rows->values + t * M + m, T * M, n, work,
                                        &r->stats[t * M + m]);
            if (rc != 0) {
                osim_diag_set(diag, rc, NULL, 0, 0,
                              "metric %s under topology %s is not finite in some replication",
                              r->metrics[m].name, r->topologies[t]);
                goto done;
            }
        }
    }
    rc = economics(r, work, diag);
done:
    free(work);
    return rc;
}

/* ------------------------------------------------------------ free, copy */

static void policies_free(osim_mc_policy *p, size_t n)
{
    size_t i;

    if (p == NULL)
        return;
    for (i = 0; i < n; i++) {
        free(p[i].name);
        free(p[i].model);
        free(p[i].legal_basis);
        free(p[i].converted_from);
        osim__strv_free(p[i].classes, p[i].classes_count);
    }
    free(p);
}

void osim_mc_result_free(osim_mc_result *r)
{
    if (r == NULL)
        return;
    free(r->version);
    free(r->scenario_name);
    free(r->scenario_file);
    osim__strv_free(r->overrides, r->overrides_count);
    osim__strv_free(r->sources, r->sources_count);
    osim__strv_free(r->provenance, r->provenance_count);
    free(r->precision_metric);
    osim__strv_free(r->topologies, r->topologies_count);
    free(r->annual_cost_krw);
    osim__strv_free(r->sites, r->sites_count);
    osim__strv_free(r->services, r->services_count);
    osim__strv_free(r->segments, r->segments_count);
    policies_free(r->policies, r->policies_count);
    free(r->baseline);
    metrics_free(r);
    osim_rows_free(r->rows);
    osim__spill_free(r->spill);
    free(r->stats);
    free(r->economics);
    osim_catalogue_free(r->catalogue_owned);
    free(r);
}

/* A copy of src's identity and shape (no rows, no stats). */
static int copy_shape(const osim_mc_result *src, osim_mc_result **out)
{
    osim_mc_result *r = calloc(1, sizeof(*r));
    size_t i;
    int rc = OSIM_ENOMEM;

    if (r == NULL)
        return OSIM_ENOMEM;
    r->version = osim__strdup(src->version);
    r->scenario_name = osim__strdup(src->scenario_name);
    r->scenario_file = osim__strdup(src->scenario_file);
    r->baseline = osim__strdup(src->baseline);
    if ((src->version && !r->version) || (src->scenario_name && !r->scenario_name) ||
        (src->scenario_file && !r->scenario_file) || (src->baseline && !r->baseline))
        goto fail;
    memcpy(r->sha256, src->sha256, sizeof(r->sha256));
    r->seed = src->seed;
    r->currency = src->currency;
    r->incident_probability = src->incident_probability;
    r->baseline_index = -1;
    if (osim__strv_dup(src->overrides, src->overrides_count, &r->overrides) != 0)
        goto fail;
    r->overrides_count = src->overrides_count;
    if (osim__strv_dup(src->sources, src->sources_count, &r->sources) != 0)
        goto fail;
    r->sources_count = src->sources_count;
    if (osim__strv_dup(src->provenance, src->provenance_count, &r->provenance) != 0)
        goto fail;
    r->provenance_count = src->provenance_count;
    if (osim__strv_dup(src->topologies, src->topologies_count, &r->topologies) != 0)
        goto fail;
    r->topologies_count = src->topologies_count;
    r->annual_cost_krw = calloc(src->topologies_count + 1, sizeof(int64_t));
    if (r->annual_cost_krw == NULL)
        goto fail;
    memcpy(r->annual_cost_krw, src->annual_cost_krw, src->topologies_count * sizeof(int64_t));
    if (osim__strv_dup(src->sites, src->sites_count, &r->sites) != 0)
        goto fail;
    r->sites_count = src->sites_count;
    if (osim__strv_dup(src->services, src->services_count, &r->services) != 0)
        goto fail;
    r->services_count = src->services_count;
    if (osim__strv_dup(src->segments, src->segments_count, &r->segments) != 0)
        goto fail;
    r->segments_count = src->segments_count;
    r->copies = src->copies;
    r->policies = calloc(src->policies_count + 1, sizeof(*r->policies));
    if (r->policies == NULL)
        goto fail;
    r->policies_count = src->policies_count;
    for (i = 0; i < src->policies_count; i++) {
        const osim_mc_policy *s = &src->policies[i];
        osim_mc_policy *d = &r->policies[i];
        d->name = osim__strdup(s->name);
        d->model = osim__strdup(s->model);
        d->legal_basis = osim__strdup(s->legal_basis);
        d->in_economics = s->in_economics;
        d->converted_from = s->converted_from != NULL ? osim__strdup(s->converted_from) : NULL;
        d->converted_rate = s->converted_rate;
        if (d->name == NULL || d->model == NULL || d->legal_basis == NULL ||
            (s->converted_from != NULL && d->converted_from == NULL))
            goto fail;
        if (osim__strv_dup(s->classes, s->classes_count, &d->classes) != 0)
            goto fail;
        d->classes_count = s->classes_count;
    }
    if ((rc = osim_mc_result_catalogue(r)) != 0)
        goto fail;
    *out = r;
    return 0;
fail:
    osim_mc_result_free(r);
    return rc;
}

/* ------------------------------------------------------------ merge */

int osim_mc_result_merge(osim_mc_result *const *parts, size_t n, osim_mc_result **out,
                         osim_diag *diag)
{
    const osim_rows **blocks = NULL;
    osim_mc_result *r = NULL;
    osim_rows *rows = NULL;
    size_t i;
    int rc;

    if (n == 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "nothing to merge");
    for (i = 0; n > 1 && i < n; i++)
        if (parts[i]->precision_metric != NULL)
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                 "cannot merge: part [%llu, %llu) was run with --precision (a "
                                 "run-length-controlled run is not a part)",
                                 (unsigned long long)parts[i]->from,
                                 (unsigned long long)parts[i]->to);
    if ((blocks = malloc(n * sizeof(*blocks))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < n; i++) {
        if (parts[i]->rows == NULL) {
            rc = osim_diag_set(
                diag, OSIM_EINVAL, NULL, 0, 0, "cannot merge: part [%llu, %llu) holds no rows",
                (unsigned long long)parts[i]->from, (unsigned long long)parts[i]->to);
            goto fail;
        }
        if (parts[i]->spill != NULL) {
            rc =
                osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                              "cannot merge: the rows of part [%llu, %llu) are on disk, not in "
                              "memory (merge its replications.csv)",
                              (unsigned long long)parts[i]->from, (unsigned long long)parts[i]->to);
            goto fail;
        }
        blocks[i] = parts[i]->rows;
    }
    /* One rule for every merge: the blocks must tile (rows.h). */
    if ((rc = osim_rows_concat(blocks, n, &rows, diag)) != 0)
        goto fail;
    if ((rc = copy_shape(parts[0], &r)) != 0)
        goto fail;
    free(r->scenario_file); /* the first part's, as a run over the range records */
    if ((r->scenario_file = osim__strdup(rows->shape.scenario_file)) == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    if ((rc = osim__mc_result_adopt_rows(r, rows)) != 0)
        goto fail;
    rows = NULL;
    if ((rc = osim_mc_result_summarise(r, diag)) != 0)
        goto fail;
    free(blocks);
    *out = r;
    return 0;
fail:
    free(blocks);
    osim_rows_free(rows);
    osim_mc_result_free(r);
    return rc;
}
