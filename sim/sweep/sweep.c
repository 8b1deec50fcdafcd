/*
 * sweep.c -- the points of a sweep, its work units, and the reduction of
 * partial runs into one result per point.
 *
 * Invariant: the result kept for point p is a pure function of (scenario
 * file, base overrides, p's overrides, topologies, seed, N). Every unit of
 * p is an osim_mc run over its own replication range with the same seed;
 * osim_mc's rows are functions of (seed, replication) only, and the parts
 * are combined by osim_mc_result_merge -- the code of `outagesim merge`,
 * which sorts them by range and reduces in index order -- so neither the
 * order in which units finish, nor the process that ran them, nor the
 * block size can change a bit of any output. Points are kept in the order
 * they were added (the grid product in a fixed order).
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "mc/exec.h"
#include "mc/runner.h"
#include "outagesim/atomic_file.h"
#include "outagesim/compensation.h"
#include "outagesim/sweep.h"
#include "outagesim/version.h"
#include "results/codec.h"
#include "sweep/sweep_int.h"

typedef struct point_state {
    osim_mc_result **parts; /* stored, not yet merged */
    size_t nparts, cap;
    uint64_t covered;       /* replications stored */
    osim_mc_result *result; /* merged and summarised, rows dropped */
} point_state;

struct osim_sweep {
    char *scenario_path;
    osim_override *base;
    size_t base_count;
    char **topo_names; /* NULL: all */
    size_t ntopo;
    uint64_t seed, n, block;
    osim_scenario *base_sc;
    /* What the points run: the scenario, or for a catalogue its first
     * incident alone at its frequency (base_view, cached_view borrow). */
    osim_scenario base_view;
    const osim_scenario *base_use;
    osim_sweep_axis **axes;
    size_t naxes;
    osim_sweep_point *points;
    point_state *state;
    size_t npoints, cap;
    /* The scenario of the last point run. */
    size_t cached_point;
    osim_scenario *cached_sc;
    osim_scenario cached_view;
    const osim_scenario *cached_use;
    size_t *cached_topo;
    osim_mc *current; /* the run in progress, for osim_sweep_stop */
    atomic_int stop;
};

/* An owned copy of an override: one block "path\0value\0", like cli_parse_set. */
static int override_copy(const osim_override *src, osim_override *dst)
{
    size_t lp = strlen(src->path), lv = strlen(src->value);
    char *b = malloc(lp + lv + 2);

    if (b == NULL)
        return OSIM_ENOMEM;
    memcpy(b, src->path, lp + 1);
    memcpy(b + lp + 1, src->value, lv + 1);
    dst->path = b;
    dst->value = b + lp + 1;
    return 0;
}

void osim_sweep_overrides_free(osim_override *ov, size_t n)
{
    size_t i;

    if (ov == NULL)
        return;
    for (i = 0; i < n; i++)
        free((char *)ov[i].path);
    free(ov);
}

/* sc, or for a catalogue its first incident alone (a view in *view). */
static const osim_scenario *single_incident(const osim_scenario *sc, osim_scenario *view)
{
    if (sc->incidents_count == 0 || osim_scenario_incident_view(sc, 0, view) != 0)
        return sc;
    return view;
}

int osim_sweep_new(const osim_sweep_spec *spec, osim_sweep **out, osim_diag *diag)
{
    osim_sweep *sw;
    size_t i;
    int rc = OSIM_ENOMEM;

    *out = NULL;
    if (spec == NULL || spec->scenario == NULL || spec->replications == 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "a sweep needs a scenario and N >= 1");
    if ((sw = calloc(1, sizeof(*sw))) == NULL)
        return OSIM_ENOMEM;
    sw->cached_point = (size_t)-1;
    atomic_init(&sw->stop, 0);
    sw->seed = spec->seed;
    sw->n = spec->replications;
    sw->block = spec->replications;
    if ((sw->scenario_path = osim__strdup(spec->scenario)) == NULL)
        goto fail;
    if (spec->base_count > 0) {
        if ((sw->base = calloc(spec->base_count, sizeof(*sw->base))) == NULL)
            goto fail;
        for (i = 0; i < spec->base_count; i++) {
            if (override_copy(&spec->base[i], &sw->base[i]) != 0)
                goto fail;
            sw->base_count++;
        }
    }
    if (spec->topologies != NULL && spec->topologies_count > 0) {
        if ((sw->topo_names = calloc(spec->topologies_count, sizeof(char *))) == NULL)
            goto fail;
        for (i = 0; i < spec->topologies_count; i++) {
            if ((sw->topo_names[i] = osim__strdup(spec->topologies[i])) == NULL)
                goto fail;
            sw->ntopo++;
        }
    }
    rc = osim_comp_scenario_load(sw->scenario_path, sw->base, sw->base_count, &sw->base_sc, diag);
    if (rc != 0)
        goto fail;
    /* A sweep runs one incident: of a catalogue, its first (the file's own
     * incident:) at its frequency, as `run --incident` would; the risk of
     * the whole catalogue is `run`'s alone for now. */
    sw->base_use = single_incident(sw->base_sc, &sw->base_view);
    for (i = 0; i < sw->ntopo; i++) {
        if (osim_scenario_topology_index(sw->base_sc, sw->topo_names[i]) < 0) {
            rc = osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "no topology '%s' in %s",
                               sw->topo_names[i], sw->scenario_path);
            goto fail;
        }
    }
    *out = sw;
    return 0;
fail:
    osim_sweep_free(sw);
    return rc;
}

static void point_free(osim_sweep_point *pt, point_state *st)
{
    size_t i;

    osim_sweep_overrides_free(pt->overrides, pt->overrides_count);
    free(pt->coord);
    free(pt->label);
    for (i = 0; i < st->nparts; i++)
        osim_mc_result_free(st->parts[i]);
    free(st->parts);
    osim_mc_result_free(st->result);
}

void osim_sweep_free(osim_sweep *sw)
{
    size_t i;

    if (sw == NULL)
        return;
    for (i = 0; i < sw->npoints; i++)
        point_free(&sw->points[i], &sw->state[i]);
    free(sw->points);
    free(sw->state);
    for (i = 0; i < sw->naxes; i++)
        osim_sweep_axis_free(sw->axes[i]);
    free(sw->axes);
    osim_scenario_free(sw->cached_sc);
    free(sw->cached_topo);
    osim_scenario_free(sw->base_sc);
    osim_sweep_overrides_free(sw->base, sw->base_count);
    for (i = 0; i < sw->ntopo; i++)
        free(sw->topo_names[i]);
    free(sw->topo_names);
    free(sw->scenario_path);
    free(sw);
}

const osim_scenario *osim_sweep_base(const osim_sweep *sw)
{
    return sw->base_use;
}

/* ------------------------------------------------------------ points */

static int grow(osim_sweep *sw)
{
    osim_sweep_point *np;
    point_state *ns;
    size_t nc;

    if (sw->npoints < sw->cap)
        return 0;
    nc = sw->cap ? 2 * sw->cap : 16;
    if ((np = realloc(sw->points, nc * sizeof(*np))) == NULL)
        return OSIM_ENOMEM;
    sw->points = np;
    if ((ns = realloc(sw->state, nc * sizeof(*ns))) == NULL)
        return OSIM_ENOMEM;
    sw->state = ns;
    sw->cap = nc;
    return 0;
}

/* "PATH=V, PATH=V" of ov[0..n-1] (a '*' axis shows its pattern once). */
static char *make_label(const osim_override *ov, size_t n)
{
    size_t i, len = 1;
    char *s;

    if (n == 0)
        return osim__strdup("base");
    for (i = 0; i < n; i++)
        len += strlen(ov[i].path) + strlen(ov[i].value) + 3;
    if ((s = malloc(len)) == NULL)
        return NULL;
    s[0] = '\0';
    for (i = 0; i < n; i++) {
        if (i > 0)
            strcat(s, ", ");
        strcat(s, ov[i].path);
        strcat(s, "=");
        strcat(s, ov[i].value);
    }
    return s;
}

/* Append a point: base overrides, then own[0..n-1]; takes coord. */
static int push_point(osim_sweep *sw, const osim_override *own, size_t n, const char *label,
                      size_t *coord)
{
    osim_sweep_point *pt;
    size_t i;
    int rc;

    if ((rc = grow(sw)) != 0) {
        free(coord);
        return rc;
    }
    pt = &sw->points[sw->npoints];
    memset(pt, 0, sizeof(*pt));
    memset(&sw->state[sw->npoints], 0, sizeof(sw->state[0]));
    pt->coord = coord;
    pt->own_from = sw->base_count;
    sw->npoints++; /* from here, osim_sweep_free frees what the point holds */
    if ((pt->overrides = calloc(sw->base_count + n + 1, sizeof(*pt->overrides))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < sw->base_count; i++) {
        if (override_copy(&sw->base[i], &pt->overrides[i]) != 0)
            return OSIM_ENOMEM;
        pt->overrides_count++;
    }
    for (i = 0; i < n; i++) {
        if (override_copy(&own[i], &pt->overrides[sw->base_count + i]) != 0)
            return OSIM_ENOMEM;
        pt->overrides_count++;
    }
    pt->label = label != NULL ? osim__strdup(label) : make_label(own, n);
    return pt->label != NULL ? 0 : OSIM_ENOMEM;
}

int osim_sweep_add_point(osim_sweep *sw, const osim_override *ov, size_t n, const char *label,
                         size_t *index)
{
    int rc;

    if (sw->npoints >= OSIM_SWEEP_MAX_POINTS)
        return OSIM_EINVAL;
    rc = push_point(sw, ov, n, label, NULL);
    if (rc == 0 && index != NULL)
        *index = sw->npoints - 1;
    return rc;
}

/* The settable paths of sc truncated to `segments` segments that match
 * pattern, each once, in listing order. */
typedef struct expand_ctx {
    const char *pattern;
    size_t segments;
    char ***v;
    size_t *n;
    int rc;
} expand_ctx;

static size_t count_segments(const char *s)
{
    size_t n = 1;

    for (; *s != '\0'; s++)
        n += *s == '.';
    return n;
}

static int expand_one(void *ud, const char *path, const char *value, const char *unit,
                      const char *doc)
{
    expand_ctx *c = ud;
    char buf[1024];
    size_t i, seg = 0, len = strlen(path);
    char **nv;

    (void)value;
    (void)unit;
    (void)doc;
    if (len >= sizeof(buf))
        return 0;
    memcpy(buf, path, len + 1);
    for (i = 0; i < len; i++) {
        if (buf[i] == '.' && ++seg == c->segments) {
            buf[i] = '\0';
            break;
        }
    }
    if (count_segments(buf) != c->segments || !osim_sweep_path_match(c->pattern, buf))
        return 0;
    for (i = 0; i < *c->n; i++)
        if (strcmp((*c->v)[i], buf) == 0)
            return 0;
    if ((nv = realloc(*c->v, (*c->n + 1) * sizeof(*nv))) == NULL)
        return c->rc = OSIM_ENOMEM;
    *c->v = nv;
    if ((nv[*c->n] = osim__strdup(buf)) == NULL)
        return c->rc = OSIM_ENOMEM;
    (*c->n)++;
    return 0;
}

int osim__sweep_expand(const osim_scenario *sc, const char *pattern, char ***v, size_t *n);
int osim__sweep_expand(const osim_scenario *sc, const char *pattern, char ***v, size_t *n)
{
    expand_ctx c;

    c.pattern = pattern;
    c.segments = count_segments(pattern);
    c.v = v;
    c.n = n;
    c.rc = 0;
    osim_scenario_params(sc, expand_one, &c);
    return c.rc;
}

static int expand_axis(osim_sweep *sw, osim_sweep_axis *a, osim_diag *diag)
{
    int rc;

    if (sw->base_sc->incidents_count > 0 && strncmp(a->path, "incidents", 9) == 0)
        return osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                             "%s holds a catalogue (incidents:): sweep and sensitivity do not "
                             "run catalogues yet (they run its first incident alone), so '%s' "
                             "can have no effect; use outagesim run",
                             sw->scenario_path, a->path);

    if (strchr(a->path, '*') == NULL) {
        if ((a->paths = calloc(1, sizeof(char *))) == NULL ||
            (a->paths[0] = osim__strdup(a->path)) == NULL)
            return OSIM_ENOMEM;
        a->paths_count = 1;
        return 0;
    }
    if ((rc = osim__sweep_expand(sw->base_use, a->path, &a->paths, &a->paths_count)) != 0)
        return rc;
    if (a->paths_count == 0)
        return osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                             "'%s' matches no settable path of %s (see outagesim params)", a->path,
                             sw->scenario_path);
    return 0;
}

/* Is path set twice: by an earlier axis path or a base --set? */
static int check_twice(osim_sweep *sw, size_t upto_axis, const char *path, osim_diag *diag)
{
    size_t i, j;

    for (i = 0; i < sw->base_count; i++)
        if (strcmp(sw->base[i].path, path) == 0)
            return osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                                 "%s is both set (--set) and varied (--vary); drop one", path);
    for (i = 0; i < upto_axis; i++)
        for (j = 0; j < sw->axes[i]->paths_count; j++)
            if (strcmp(sw->axes[i]->paths[j], path) == 0)
                return osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                                     "%s is varied by two --vary axes", path);
    return 0;
}

int osim_sweep_add_grid(osim_sweep *sw, osim_sweep_axis **axes, size_t n, osim_diag *diag)
{
    size_t i, j, total = 1, p, nov = 0;
    osim_override *ov = NULL;
    int rc = 0;

    if (sw->naxes > 0 || sw->npoints > 0 || n == 0) {
        for (i = 0; i < n; i++)
            osim_sweep_axis_free(axes[i]);
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "a sweep has one grid");
    }
    if ((sw->axes = calloc(n, sizeof(*sw->axes))) == NULL) {
        for (i = 0; i < n; i++)
            osim_sweep_axis_free(axes[i]);
        return OSIM_ENOMEM;
    }
    for (i = 0; i < n; i++)
        sw->axes[i] = axes[i];
    sw->naxes = n;
    for (i = 0; i < n; i++) {
        if ((rc = expand_axis(sw, sw->axes[i], diag)) != 0)
            return rc;
        for (j = 0; j < sw->axes[i]->paths_count; j++)
            if ((rc = check_twice(sw, i, sw->axes[i]->paths[j], diag)) != 0)
                return rc;
        if (sw->axes[i]->values_count > OSIM_SWEEP_MAX_POINTS / total)
            return osim_diag_set(diag, OSIM_EINVAL, "--vary", 0, 0,
                                 "the grid has more than %u points", OSIM_SWEEP_MAX_POINTS);
        total *= sw->axes[i]->values_count;
        nov += sw->axes[i]->paths_count;
    }
    if ((ov = calloc(nov, sizeof(*ov))) == NULL)
        return OSIM_ENOMEM;
    for (p = 0; p < total && rc == 0; p++) {
        size_t *coord = calloc(n, sizeof(size_t)), rest = p, k = 0;
        char *label = NULL;
        size_t len = 1;
        if (coord == NULL) {
            rc = OSIM_ENOMEM;
            break;
        }
        /* The first axis slowest: coordinates are the digits of p in the
         * mixed radix of the axes' sizes, last axis least significant. */
        for (i = n; i-- > 0;) {
            coord[i] = rest % sw->axes[i]->values_count;
            rest /= sw->axes[i]->values_count;
        }
        for (i = 0; i < n; i++) {
            const osim_sweep_axis *a = sw->axes[i];
            for (j = 0; j < a->paths_count; j++) {
                ov[k].path = a->paths[j];
                ov[k].value = a->values[coord[i]];
                k++;
            }
            len += strlen(a->path) + strlen(a->values[coord[i]]) + 3;
        }
        /* The label shows each axis once, as given (a pattern stays a pattern). */
        if ((label = malloc(len)) == NULL) {
            free(coord);
            rc = OSIM_ENOMEM;
            break;
        }
        label[0] = '\0';
        for (i = 0; i < n; i++) {
            if (i > 0)
                strcat(label, ", ");
            strcat(label, sw->axes[i]->path);
            strcat(label, "=");
            strcat(label, sw->axes[i]->values[coord[i]]);
        }
        rc = push_point(sw, ov, k, label, coord);
        free(label);
    }
    free(ov);
    return rc;
}

/* Topology indices of sc for the sweep's names (NULL: all). */
static int resolve_topo(const osim_sweep *sw, const osim_scenario *sc, size_t **out)
{
    size_t i, *v;

    *out = NULL;
    if (sw->ntopo == 0)
        return 0;
    if ((v = malloc(sw->ntopo * sizeof(*v))) == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < sw->ntopo; i++) {
        long k = osim_scenario_topology_index(sc, sw->topo_names[i]);
        if (k < 0) {
            free(v);
            return OSIM_EINVAL;
        }
        v[i] = (size_t)k;
    }
    *out = v;
    return 0;
}

/* Copy d into diag, its message prefixed with the point. */
static int point_diag(const osim_sweep *sw, size_t p, const osim_diag *d, int rc, osim_diag *diag)
{
    if (diag == NULL || diag->code != 0)
        return rc;
    osim_diag_set(diag, rc, d->file[0] != '\0' ? d->file : NULL, d->line, d->col,
                  "point %zu (%.160s): %s", p + 1, sw->points[p].label,
                  d->msg[0] != '\0' ? d->msg : osim_strerror(rc));
    return rc;
}

/* Make sw->cached_sc the scenario of point p. */
static int load_point(osim_sweep *sw, size_t p, osim_diag *diag)
{
    const osim_sweep_point *pt = &sw->points[p];
    osim_diag d;
    int rc;

    if (sw->cached_point == p && sw->cached_sc != NULL)
        return 0;
    osim_scenario_free(sw->cached_sc);
    free(sw->cached_topo);
    sw->cached_sc = NULL;
    sw->cached_topo = NULL;
    sw->cached_point = (size_t)-1;
    osim_diag_clear(&d);
    rc = osim_comp_scenario_load(sw->scenario_path, pt->overrides, pt->overrides_count,
                                 &sw->cached_sc, &d);
    if (rc != 0)
        return point_diag(sw, p, &d, rc, diag);
    if ((rc = resolve_topo(sw, sw->cached_sc, &sw->cached_topo)) != 0) {
        osim_diag_set(&d, rc, NULL, 0, 0, "a topology of the sweep is missing");
        return point_diag(sw, p, &d, rc, diag);
    }
    sw->cached_use = single_incident(sw->cached_sc, &sw->cached_view);
    sw->cached_point = p;
    return 0;
}

int osim_sweep_check(osim_sweep *sw, osim_diag *diag)
{
    size_t p;
    int rc;

    if (sw->npoints == 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "the sweep has no point");
    for (p = 0; p < sw->npoints; p++)
        if ((rc = load_point(sw, p, diag)) != 0)
            return rc;
    return 0;
}

size_t osim_sweep_points_count(const osim_sweep *sw)
{
    return sw->npoints;
}

const osim_sweep_point *osim_sweep_point_at(const osim_sweep *sw, size_t p)
{
    return p < sw->npoints ? &sw->points[p] : NULL;
}

size_t osim_sweep_axes_count(const osim_sweep *sw)
{
    return sw->naxes;
}

const osim_sweep_axis *osim_sweep_axis_at(const osim_sweep *sw, size_t a)
{
    return a < sw->naxes ? sw->axes[a] : NULL;
}

uint64_t osim_sweep_replications(const osim_sweep *sw)
{
    return sw->n;
}

uint64_t osim_sweep_seed(const osim_sweep *sw)
{
    return sw->seed;
}

const char *osim_sweep_scenario_path(const osim_sweep *sw)
{
    return sw->scenario_path;
}

/* ------------------------------------------------------------ units */

void osim_sweep_set_block(osim_sweep *sw, uint64_t block)
{
    sw->block = block == 0 || block > sw->n ? sw->n : block;
}

uint64_t osim_sweep_block(const osim_sweep *sw)
{
    return sw->block;
}

static size_t blocks_per_point(const osim_sweep *sw)
{
    return (size_t)((sw->n + sw->block - 1) / sw->block);
}

size_t osim_sweep_units_count(const osim_sweep *sw)
{
    return sw->npoints * blocks_per_point(sw);
}

void osim_sweep_unit(const osim_sweep *sw, size_t u, size_t *point, uint64_t *from, uint64_t *to)
{
    size_t bpp = blocks_per_point(sw), b = u % bpp;

    *point = u / bpp;
    *from = (uint64_t)b * sw->block;
    *to = *from + sw->block < sw->n ? *from + sw->block : sw->n;
}

/* ------------------------------------------------------------ running */

/* osim_sweep_run_range, keeping an outer executor's poll alive (exec.h). */
static int run_range(osim_sweep *sw, size_t p, uint64_t from, uint64_t to,
                     const osim_sweep_run_options *ro, const osim__exec_poll *poll,
                     osim_mc_result **out, osim_diag *diag)
{
    const osim_sweep_point *pt;
    osim_mc_options opt;
    osim_mc *mc = NULL;
    osim_diag d;
    int rc;

    *out = NULL;
    if (p >= sw->npoints || to <= from || to > sw->n || ro == NULL || ro->threads < 1)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "bad sweep unit");
    if (atomic_load(&sw->stop))
        return OSIM_ESTOPPED;
    if ((rc = load_point(sw, p, diag)) != 0)
        return rc;
    pt = &sw->points[p];
    memset(&opt, 0, sizeof(opt));
    opt.seed = sw->seed;
    opt.from = from;
    opt.to = to;
    opt.threads = ro->threads;
    opt.chunk = ro->chunk;
    opt.topologies = sw->cached_topo;
    opt.topologies_count = sw->ntopo;
    opt.overrides = pt->overrides;
    opt.overrides_count = pt->overrides_count;
    opt.progress = ro->progress;
    opt.progress_ud = ro->progress_ud;
    opt.progress_ms = ro->progress_ms;
    osim_diag_clear(&d);
    if ((rc = osim_mc_new(sw->cached_use, &opt, &mc, &d)) != 0)
        return point_diag(sw, p, &d, rc, diag);
    osim__mc_set_poll(mc, poll);
    sw->current = mc;
    if (atomic_load(&sw->stop))
        osim_mc_stop(mc);
    rc = osim_mc_run(mc, &d);
    sw->current = NULL;
    if (rc == 0)
        *out = osim_mc_take_result(mc);
    osim_mc_free(mc);
    if (rc == OSIM_ESTOPPED)
        return rc;
    if (rc != 0)
        return point_diag(sw, p, &d, rc, diag);
    return 0;
}

int osim_sweep_run_range(osim_sweep *sw, size_t p, uint64_t from, uint64_t to,
                         const osim_sweep_run_options *ro, osim_mc_result **out, osim_diag *diag)
{
    return run_range(sw, p, from, to, ro, NULL, out, diag);
}

void osim_sweep_stop(osim_sweep *sw)
{
    atomic_store(&sw->stop, 1);
    if (sw->current != NULL)
        osim_mc_stop(sw->current);
}

int osim_sweep_store(osim_sweep *sw, size_t p, osim_mc_result *part, osim_diag *diag)
{
    point_state *st;
    osim_mc_result *merged = NULL;
    osim_diag d;
    size_t i;
    int rc;

    if (part == NULL)
        return OSIM_EINVAL;
    if (p >= sw->npoints || part->to > sw->n || part->to <= part->from || part->interrupted ||
        part->seed != sw->seed) {
        osim_mc_result_free(part);
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "a part does not belong to point %zu of this sweep", p + 1);
    }
    st = &sw->state[p];
    if (st->result != NULL) {
        osim_mc_result_free(part);
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "point %zu is already complete", p + 1);
    }
    for (i = 0; i < st->nparts; i++) {
        if (part->from < st->parts[i]->to && st->parts[i]->from < part->to) {
            uint64_t rep = part->from > st->parts[i]->from ? part->from : st->parts[i]->from;
            osim_mc_result_free(part);
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                 "point %zu: two parts hold replication %llu", p + 1,
                                 (unsigned long long)rep);
        }
    }
    if (st->nparts == st->cap) {
        size_t nc = st->cap ? 2 * st->cap : 4;
        osim_mc_result **np = realloc(st->parts, nc * sizeof(*np));
        if (np == NULL) {
            osim_mc_result_free(part);
            return OSIM_ENOMEM;
        }
        st->parts = np;
        st->cap = nc;
    }
    st->parts[st->nparts++] = part;
    st->covered += part->to - part->from;
    if (st->covered < sw->n)
        return 0;
    /* Complete: exactly what `outagesim merge` does with the parts. */
    osim_diag_clear(&d);
    rc = osim_mc_result_merge(st->parts, st->nparts, &merged, &d);
    if (rc != 0)
        return point_diag(sw, p, &d, rc, diag);
    for (i = 0; i < st->nparts; i++)
        osim_mc_result_free(st->parts[i]);
    st->nparts = 0;
    osim_mc_result_drop_rows(merged);
    st->result = merged;
    return 0;
}

const osim_mc_result *osim_sweep_result(const osim_sweep *sw, size_t p)
{
    return p < sw->npoints ? sw->state[p].result : NULL;
}

bool osim_sweep_complete(const osim_sweep *sw)
{
    size_t p;

    for (p = 0; p < sw->npoints; p++)
        if (sw->state[p].result == NULL)
            return false;
    return true;
}

/* ------------------------------------------------------------ the runner */

/*
 * Every unit of the sweep as one job for the program's processes
 * (osim__exec_procs: this process alone, or the ranks of an MPI job). A
 * unit runs as an ordinary partial run; its part is stored where it ran
 * (deliver) or travels packed to the collecting process (pack, receive),
 * and osim_sweep_store merges each point's parts in replication order: the
 * same bytes whichever process ran which unit, in whatever order.
 */
typedef struct sweep_job {
    osim_sweep *sw;
    size_t *units; /* the executor's unit i is the sweep's unit units[i]: those of
                    * points not complete yet (all, unless resumed) */
    const osim_sweep_run_options *ro;
    osim_sweep_run_options inner; /* ro, with the progress of the whole sweep */
    osim_mc_result *part;         /* of the unit just run here (one slot) */
    uint64_t stored;              /* replications stored so far */
    uint64_t total;
} sweep_job;

static void unit_progress(void *ud, uint64_t done, uint64_t total)
{
    sweep_job *j = ud;

    (void)total;
    j->ro->progress(j->ro->progress_ud, j->stored + done, j->total);
}

static int unit_run(void *ud, unsigned slot, size_t u, const osim__exec_poll *poll, osim_diag *diag)
{
    sweep_job *j = ud;
    uint64_t from, to;
    size_t p;

    (void)slot;
    u = j->units[u];
    osim_sweep_unit(j->sw, u, &p, &from, &to);
    osim_mc_result_free(j->part);
    j->part = NULL;
    return run_range(j->sw, p, from, to, &j->inner, poll, &j->part, diag);
}

/* A unit's part is in: store it and say how far the sweep is. */
static int unit_store(sweep_job *j, size_t u, osim_mc_result *part, osim_diag *diag)
{
    uint64_t from, to;
    size_t p;
    int rc;

    u = j->units[u];
    osim_sweep_unit(j->sw, u, &p, &from, &to);
    if (part->from != from || part->to != to) {
        osim_mc_result_free(part);
        return osim_diag_set(diag, OSIM_EINTERNAL, NULL, 0, 0,
                             "unit %zu came back with the wrong replications", u);
    }
    if ((rc = osim_sweep_store(j->sw, p, part, diag)) != 0)
        return rc;
    j->stored += to - from;
    if (j->ro->progress != NULL)
        j->ro->progress(j->ro->progress_ud, j->stored, j->total);
    return 0;
}

static int unit_deliver(void *ud, unsigned slot, size_t u, osim_diag *diag)
{
    sweep_job *j = ud;
    osim_mc_result *part = j->part;

    (void)slot;
    j->part = NULL;
    return unit_store(j, u, part, diag);
}

static int unit_pack(void *ud, unsigned slot, size_t u, void **buf, size_t *len)
{
    sweep_job *j = ud;
    int rc;

    (void)slot;
    (void)u;
    rc = osim_mc_result_pack(j->part, buf, len);
    osim_mc_result_free(j->part);
    j->part = NULL;
    return rc;
}

static int unit_receive(void *ud, size_t u, const void *buf, size_t len, osim_diag *diag)
{
    sweep_job *j = ud;
    osim_mc_result *part = NULL;
    int rc;

    if ((rc = osim_mc_result_unpack(buf, len, &part, diag)) != 0)
        return rc;
    return unit_store(j, u, part, diag);
}

int osim_sweep_run(osim_sweep *sw, const osim_sweep_run_options *ro, osim_diag *diag)
{
    const osim__exec *ex = osim__exec_procs();
    osim__exec_job job;
    sweep_job j;
    size_t u, nu = osim_sweep_units_count(sw), todo = 0, p;
    uint64_t from, to;
    int rc;

    if (ro == NULL || ro->threads < 1)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "threads must be at least 1");
    memset(&j, 0, sizeof(j));
    /* Only the units of points not complete yet (a resumed sweep has some),
     * in the same order: every process computes the same list. */
    if ((j.units = malloc((nu + 1) * sizeof(*j.units))) == NULL)
        return OSIM_ENOMEM;
    for (u = 0; u < nu; u++) {
        osim_sweep_unit(sw, u, &p, &from, &to);
        if (sw->state[p].result == NULL)
            j.units[todo++] = u;
    }
    j.sw = sw;
    j.ro = ro;
    j.inner = *ro;
    for (p = 0; p < sw->npoints; p++)
        if (sw->state[p].result == NULL)
            j.total += sw->n;
    if (ro->progress != NULL) {
        j.inner.progress = unit_progress;
        j.inner.progress_ud = &j;
    }
    memset(&job, 0, sizeof(job));
    job.count = todo;
    job.slots = 1; /* a unit uses the process's threads itself */
    job.run = unit_run;
    job.deliver = unit_deliver;
    job.pack = unit_pack;
    job.receive = unit_receive;
    job.stop = &sw->stop;
    job.ud = &j;
    rc = todo > 0 ? ex->run(ex, &job, diag) : 0;
    osim_mc_result_free(j.part);
    free(j.units);
    if (rc == 0 && atomic_load(&sw->stop))
        rc = OSIM_ESTOPPED;
    if (rc == 0 && ex->collector(ex) && !osim_sweep_complete(sw))
        rc = osim_diag_set(diag, OSIM_EINTERNAL, NULL, 0, 0, "the sweep ended incomplete");
    return rc;
}

/* ------------------------------------------------------------ resume */

/*
 * sweep.resume: u64 magic, the sweep's definition as compact JSON (the
 * "sweep" object of sweep.json plus the version and the topologies run),
 * the number of complete points, then for each its index and its summary
 * (wire.c). Invariant: a point is taken back only into a sweep with the
 * same definition, and only when its scenario (with the point's
 * overrides) hashes as it did, so a resumed sweep's files are those of a
 * sweep never stopped.
 */
#define RESUME_MAGIC 0x4f53494d53575231ull /* "OSIMSWR1" read as a native u64 */

/* The definition a resume must match, as a new JSON object. */
static json_t *resume_header(const osim_sweep *sw)
{
    json_t *h = osim__sweep_header_json(sw), *t = json_array();
    size_t i;

    json_object_set_new(h, "version", json_string(OSIM_VERSION));
    if (sw->ntopo > 0)
        for (i = 0; i < sw->ntopo; i++)
            json_array_append_new(t, json_string(sw->topo_names[i]));
    else
        for (i = 0; i < sw->base_sc->topologies_count; i++)
            json_array_append_new(t, json_string(sw->base_sc->topologies[i].name));
    json_object_set_new(h, "topologies", t);
    return h;
}

int osim__sweep_write_resume(const osim_sweep *sw, FILE *f, osim_diag *diag)
{
    osim__wbuf b = {NULL, 0, 0, false};
    json_t *h = resume_header(sw);
    char *text = h != NULL ? json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    size_t p, n = 0;
    int rc = 0;

    json_decref(h);
    if (text == NULL)
        return OSIM_ENOMEM;
    for (p = 0; p < sw->npoints; p++)
        n += sw->state[p].result != NULL;
    osim__wbuf_u64(&b, RESUME_MAGIC);
    osim__wbuf_str(&b, text);
    osim__wbuf_u64(&b, n);
    for (p = 0; p < sw->npoints; p++) {
        if (sw->state[p].result == NULL)
            continue;
        osim__wbuf_u64(&b, p);
        osim__mc_result_put_summary(&b, sw->state[p].result);
    }
    free(text);
    if (b.oom)
        rc = OSIM_ENOMEM;
    else if (fwrite(b.p, 1, b.len, f) != b.len || ferror(f))
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write %s", OSIM_SWEEP_RESUME_FILE);
    free(b.p);
    return rc;
}

/* The whole of path into *buf (malloc'd). 0, OSIM_ENOENT, OSIM_EIO, OSIM_ENOMEM. */
static int slurp(const char *path, unsigned char **buf, size_t *len, osim_diag *diag)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = NULL, *np;
    size_t cap = 0, n = 0, got;

    *buf = NULL;
    if (f == NULL)
        return errno == ENOENT
                   ? OSIM_ENOENT
                   : osim_diag_set(diag, OSIM_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
    do {
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            if ((np = realloc(p, cap)) == NULL) {
                free(p);
                fclose(f);
                return OSIM_ENOMEM;
            }
            p = np;
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        free(p);
        fclose(f);
        return osim_diag_set(diag, OSIM_EIO, path, 0, 0, "cannot read");
    }
    fclose(f);
    *buf = p;
    *len = n;
    return 0;
}

/* The first field of the definition that differs, in diag; 0 when none. */
static int compare_header(const json_t *here, const json_t *there, const char *path,
                          osim_diag *diag)
{
    static const char *const keys[] = {"version", "scenario",     "file", "sha256", "overrides",
                                       "seed",    "replications", "axes", "points", "topologies"};
    static const char *const names[] = {
        "outagesim version", "scenario name", "scenario file", "scenario bytes (sha256)",
        "--set overrides",   "seed",          "replications",  "--vary axes",
        "number of points",  "topologies"};
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *a = json_object_get(here, keys[i]), *b = json_object_get(there, keys[i]);
        if (a != NULL && b != NULL && json_equal(a, b))
            continue;
        {
            char *sa = a != NULL ? json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
            char *sb = b != NULL ? json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
            int rc =
                osim_diag_set(diag, OSIM_EINVAL, path, 0, 0,
                              "--resume: another sweep: its %s is %.120s there, %.120s here "
                              "(resume with the same scenario, --set, --vary, --seed, "
                              "--replications and --topology)",
                              names[i], sb != NULL ? sb : "missing", sa != NULL ? sa : "missing");
            free(sa);
            free(sb);
            return rc;
        }
    }
    return 0;
}

/* Take point p's summary r (owned) after checking it is that point's. */
static int resume_point(osim_sweep *sw, uint64_t p, osim_mc_result *r, const char *path,
                        osim_diag *diag)
{
    int rc;

    if (p >= sw->npoints || sw->state[p].result != NULL || r->seed != sw->seed || r->from != 0 ||
        r->to != sw->n || r->interrupted) {
        osim_mc_result_free(r);
        return osim_diag_set(diag, OSIM_EINVAL, path, 0, 0,
                             "--resume: a point there does not belong to this sweep");
    }
    if ((rc = load_point(sw, (size_t)p, diag)) != 0) {
        osim_mc_result_free(r);
        return rc;
    }
    if (strcmp(sw->cached_sc->sha256, r->sha256) != 0) {
        osim_mc_result_free(r);
        return osim_diag_set(diag, OSIM_EINVAL, path, 0, 0,
                             "--resume: point %llu (%.160s) was run on other scenario bytes",
                             (unsigned long long)p + 1, sw->points[p].label);
    }
    sw->state[p].result = r;
    return 0;
}

int osim_sweep_resume(osim_sweep *sw, const char *dir, size_t *resumed, osim_diag *diag)
{
    char *path = osim_path_join(dir, OSIM_SWEEP_RESUME_FILE), *text = NULL;
    unsigned char *buf = NULL;
    size_t len = 0;
    osim__rbuf b;
    json_t *here = NULL, *there = NULL;
    uint64_t n, i, p;
    int rc;

    *resumed = 0;
    if (path == NULL)
        return OSIM_ENOMEM;
    if ((rc = slurp(path, &buf, &len, diag)) == OSIM_ENOENT) {
        rc = osim_diag_set(diag, OSIM_ENOENT, dir, 0, 0,
                           "--resume: no interrupted sweep here (no %s: the sweep there is "
                           "complete, or there is none)",
                           OSIM_SWEEP_RESUME_FILE);
        goto fail;
    }
    if (rc != 0)
        goto fail;
    b.p = buf;
    b.len = len;
    b.at = 0;
    b.rc = 0;
    if (osim__rbuf_u64(&b) != RESUME_MAGIC || b.rc != 0 || (text = osim__rbuf_str_nn(&b)) == NULL ||
        (there = json_loads(text, 0, NULL)) == NULL) {
        rc = osim_diag_set(diag, OSIM_EINVAL, path, 0, 0,
                           "--resume: not a resume file of this program (another version, or "
                           "damaged)");
        goto fail;
    }
    if ((here = resume_header(sw)) == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    if ((rc = compare_header(here, there, path, diag)) != 0)
        goto fail;
    n = osim__rbuf_u64(&b);
    for (i = 0; b.rc == 0 && i < n; i++) {
        osim_mc_result *r;
        p = osim__rbuf_u64(&b);
        if ((r = osim__mc_result_get_summary(&b)) == NULL)
            break;
        if ((rc = resume_point(sw, p, r, path, diag)) != 0)
            goto fail;
        (*resumed)++;
    }
    if (b.rc == 0 && b.at != len)
        b.rc = OSIM_EINVAL;
    if (b.rc != 0) {
        rc = b.rc == OSIM_ENOMEM ? OSIM_ENOMEM
                                 : osim_diag_set(diag, OSIM_EINVAL, path, 0, 0,
                                                 "--resume: the resume file is truncated or "
                                                 "damaged");
        goto fail;
    }
    rc = 0;
fail:
    if (rc != 0) {
        /* Nothing half taken: every point runs again. */
        for (p = 0; p < sw->npoints; p++) {
            osim_mc_result_free(sw->state[p].result);
            sw->state[p].result = NULL;
        }
        *resumed = 0;
    }
    json_decref(here);
    json_decref(there);
    free(text);
    free(buf);
    free(path);
    return rc;
}
