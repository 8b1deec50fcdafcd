/*
 * sweep_report.c -- what a sweep found: sweep.csv, sweep.json, and the one
 * figure of a point that plots and sensitivity read.
 *
 * Invariant: every output is a pure function of the points' results and
 * the sweep's definition, written in point order; numbers are rounded
 * exactly as summary.csv and results.json round them (report_int.h), and
 * each point's "result" in sweep.json is built by the same function as the
 * document of `outagesim run`. So a sweep's files are the same bytes for
 * the same inputs, on one process or many.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outagesim/atomic_file.h"
#include "outagesim/money.h"
#include "outagesim/sweep.h"
#include "outagesim/version.h"
#include "report/format.h"
#include "sweep/sweep_int.h"

static const char *const stat_names[] = {"p50", "mean", "p5", "p95"};

const char *osim_sweep_stat_name(osim_sweep_stat s)
{
    return (unsigned)s < 4 ? stat_names[s] : "p50";
}

int osim_sweep_stat_parse(const char *name, osim_sweep_stat *out)
{
    unsigned i;

    for (i = 0; name != NULL && i < 4; i++) {
        if (strcmp(name, stat_names[i]) == 0) {
            *out = (osim_sweep_stat)i;
            return 0;
        }
    }
    return OSIM_EINVAL;
}

const char *osim_sweep_default_metric(const osim_mc_result *r)
{
    size_t m;

    for (m = 0; r->policies_count > 0 && m < r->metrics_count; m++)
        if (r->metrics[m].group == OSIM_MG_COMP && r->metrics[m].owner == 0 &&
            strcmp(r->metrics[m].key, "total_money") == 0)
            return r->metrics[m].name;
    return "incident_cost_money";
}

int osim_sweep_figure(const osim_mc_result *r, size_t t, const char *metric, osim_sweep_stat stat,
                      double *value, double *lo, double *hi, const char **unit)
{
    long m;
    int k;

    if (r == NULL || metric == NULL || t >= r->topologies_count || r->stats == NULL)
        return OSIM_EINVAL;
    for (k = 0; k < OSIM__ECON_COUNT; k++) {
        const char *name;
        osim__report_econ_figure(r, t, k, value, lo, hi, &name, unit);
        if (strcmp(metric, name) == 0) {
            if (isnan(*lo)) {
                *lo = *value;
                *hi = *value;
            }
            return 0;
        }
    }
    if ((m = osim_mc_result_metric_index(r, metric)) < 0)
        return OSIM_EINVAL;
    {
        const osim_stats *s = osim_mc_result_stats(r, t, (size_t)m);
        *unit = r->metrics[m].unit;
        switch (stat) {
        case OSIM_SWEEP_MEAN:
            *value = s->mean;
            *lo = s->ci95_low;
            *hi = s->ci95_high;
            break;
        case OSIM_SWEEP_P5: *value = *lo = *hi = s->p5; break;
        case OSIM_SWEEP_P95: *value = *lo = *hi = s->p95; break;
        default:
            *value = s->p50;
            *lo = s->p5;
            *hi = s->p95;
            break;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ sweep.csv */

static bool is_grid(const osim_sweep *sw)
{
    return osim_sweep_axes_count(sw) > 0;
}

/* "1-3,5": the complete points (1-based), for an interrupted sweep's files. */
static char *complete_text(const osim_sweep *sw)
{
    size_t p, q, np = osim_sweep_points_count(sw), len = 1, at = 0;
    char *s;

    for (p = 0; p < np; p++)
        len += 2 * (3 * sizeof(size_t) + 1);
    if ((s = malloc(len)) == NULL)
        return NULL;
    s[0] = '\0';
    for (p = 0; p < np; p = q) {
        if (osim_sweep_result(sw, p) == NULL) {
            q = p + 1;
            continue;
        }
        for (q = p + 1; q < np && osim_sweep_result(sw, q) != NULL; q++)
            ;
        at += (size_t)snprintf(s + at, len - at, "%s%zu", at > 0 ? "," : "", p + 1);
        if (q - p > 1)
            at += (size_t)snprintf(s + at, len - at, "-%zu", q);
    }
    return s;
}

/* Does axis a show some value by a label other than the value (a
 * distribution written as flow YAML)? Then sweep.csv has a column of the
 * labels and one of the values as given. */
static bool has_labels(const osim_sweep_axis *ax)
{
    size_t i;

    for (i = 0; ax->labels != NULL && i < ax->values_count; i++)
        if (strcmp(ax->labels[i], ax->values[i]) != 0)
            return true;
    return false;
}

/* point,<axis labels (and values) or the point's own overrides> */
static void point_cells(FILE *f, const osim_sweep *sw, size_t p)
{
    const osim_sweep_point *pt = osim_sweep_point_at(sw, p);
    size_t a;

    fprintf(f, "%zu", p + 1);
    if (is_grid(sw)) {
        for (a = 0; a < osim_sweep_axes_count(sw); a++) {
            const osim_sweep_axis *ax = osim_sweep_axis_at(sw, a);
            fputc(',', f);
            if (has_labels(ax)) {
                osim__csv_field(f, ax->labels[pt->coord[a]]);
                fputc(',', f);
            }
            osim__csv_field(f, ax->values[pt->coord[a]]);
        }
    } else {
        fputc(',', f);
        osim__csv_field(f, pt->label);
    }
}

int osim_sweep_write_csv(const osim_sweep *sw, FILE *f, osim_diag *diag)
{
    const osim_scenario *sc = osim_sweep_base(sw);
    bool whole = osim_sweep_complete(sw);
    size_t p, a, t, m;
    int ek;

    fprintf(f,
            "# outagesim %s; sweep; scenario %s; file %s; sha256 %s (base); seed %llu; "
            "replications 0..%llu; points %zu",
            OSIM_VERSION, sc->name != NULL ? sc->name : "", osim_sweep_scenario_path(sw),
            sc->sha256, (unsigned long long)osim_sweep_seed(sw),
            (unsigned long long)(osim_sweep_replications(sw) - 1), osim_sweep_points_count(sw));
    /* An interrupted sweep has rows for its complete points only, and says so. */
    if (!whole) {
        char *c = complete_text(sw);
        if (c == NULL)
            return OSIM_ENOMEM;
        fprintf(f, "; interrupted; complete points %s", c[0] != '\0' ? c : "none");
        free(c);
    }
    fputc('\n', f);
    fputs("point", f);
    if (is_grid(sw)) {
        for (a = 0; a < osim_sweep_axes_count(sw); a++) {
            const osim_sweep_axis *ax = osim_sweep_axis_at(sw, a);
            fputc(',', f);
            osim__csv_field(f, ax->path);
            if (has_labels(ax)) {
                /* The label column keeps the path, the value column says so. */
                size_t len = strlen(ax->path) + sizeof(" (value)");
                char *h = malloc(len);
                if (h == NULL)
                    return OSIM_ENOMEM;
                snprintf(h, len, "%s (value)", ax->path);
                fputc(',', f);
                osim__csv_field(f, h);
                free(h);
            }
        }
    } else {
        fputs(",overrides", f);
    }
    fputs(",topology,metric,unit,n,mean,ci95_low,ci95_high,p5,p50,p95,min,max\n", f);
    for (p = 0; p < osim_sweep_points_count(sw); p++) {
        const osim_mc_result *r = osim_sweep_result(sw, p);
        if (r == NULL && !whole)
            continue;
        if (r == NULL)
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "point %zu has not run", p + 1);
        for (t = 0; t < r->topologies_count; t++) {
            for (m = 0; m < r->metrics_count; m++) {
                const osim_metric *x = &r->metrics[m];
                const osim_stats *s = osim_mc_result_stats(r, t, m);
                point_cells(f, sw, p);
                fputc(',', f);
                osim__csv_field(f, r->topologies[t]);
                fputc(',', f);
                osim__csv_field(f, x->name);
                if (osim__report_stats_cells(f, x, s, osim__report_currency(r)) != 0)
                    goto range;
                fputc('\n', f);
            }
            for (ek = 0; ek < OSIM__ECON_COUNT; ek++) {
                point_cells(f, sw, p);
                fputc(',', f);
                if (osim__report_econ_row(f, r, t, ek) != 0)
                    goto range;
            }
        }
        if (ferror(f))
            break;
    }
    if (ferror(f))
        return osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write sweep.csv");
    return 0;
range:
    return osim_diag_set(diag, OSIM_ERANGE, NULL, 0, 0, "point %zu: a figure is out of range",
                         p + 1);
}

/* ------------------------------------------------------------ the table */

void osim_sweep_format_cell(char *buf, size_t n, double v, const char *unit,
                            const osim_currency *cur)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (osim_money_unit_is_money(unit))
        osim_money_format_table(buf, n, v, cur);
    else
        snprintf(buf, n, "%.4g", v);
}

/* s in a column of width w (display columns), after a two-space gap. */
static void table_put(FILE *f, const char *s, size_t w, bool right)
{
    size_t d = osim__report_display_width(s), i;

    fputs("  ", f);
    for (i = d; right && i < w; i++)
        fputc(' ', f);
    fputs(s, f);
    for (i = d; !right && i < w; i++)
        fputc(' ', f);
}

/* The label of point p on axis a. */
static const char *axis_label(const osim_sweep *sw, size_t p, size_t a)
{
    const osim_sweep_axis *ax = osim_sweep_axis_at(sw, a);
    size_t k = osim_sweep_point_at(sw, p)->coord[a];

    return ax->labels != NULL ? ax->labels[k] : ax->values[k];
}

/*
 * The header of axis a: its path, with the unit for plain numbers (which
 * carry none of their own: "population.users (count)"). Owned.
 */
static char *axis_header(const osim_sweep *sw, const osim_sweep_axis *ax)
{
    const char *unit = NULL, *path, *value;
    osim_param_table *t = NULL;
    size_t len;
    char *h;
    long i;

    if (ax->numbers != NULL && !ax->factors && ax->suffix != NULL && ax->suffix[0] == '\0' &&
        ax->paths_count > 0 && osim_param_table_new(osim_sweep_base(sw), &t) == 0 &&
        (i = osim_param_table_find(t, ax->paths[0])) >= 0)
        osim_param_table_at(t, (size_t)i, &path, &value, &unit);
    len = strlen(ax->path) + (unit != NULL ? strlen(unit) : 0) + 4;
    if ((h = malloc(len)) != NULL) {
        if (unit != NULL && unit[0] != '\0')
            snprintf(h, len, "%s (%s)", ax->path, unit);
        else
            snprintf(h, len, "%s", ax->path);
    }
    osim_param_table_free(t);
    return h;
}

int osim_sweep_write_table(const osim_sweep *sw, const char *metric, osim_sweep_stat stat, FILE *f,
                           osim_diag *diag)
{
    const osim_mc_result *r0 = osim_sweep_result(sw, 0);
    size_t p, t, a, na = osim_sweep_axes_count(sw), np = osim_sweep_points_count(sw);
    size_t *aw = NULL, *tw = NULL;
    char **head = NULL;
    const char *unit = "";
    double v, lo, hi;
    char buf[64];
    int rc = 0;

    if (r0 == NULL || osim_sweep_figure(r0, 0, metric, stat, &v, &lo, &hi, &unit) != 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "no figure '%s' to tabulate", metric);
    aw = calloc(na + 1, sizeof(size_t));
    tw = calloc(r0->topologies_count + 1, sizeof(size_t));
    head = calloc(na + 1, sizeof(char *));
    if (aw == NULL || tw == NULL || head == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    /* Every column as wide as its widest name or value: nothing is cut. */
    for (a = 0; a < na; a++) {
        if ((head[a] = axis_header(sw, osim_sweep_axis_at(sw, a))) == NULL) {
            rc = OSIM_ENOMEM;
            goto fail;
        }
        aw[a] = osim__report_display_width(head[a]);
        for (p = 0; p < np; p++) {
            size_t w = osim__report_display_width(axis_label(sw, p, a));
            aw[a] = w > aw[a] ? w : aw[a];
        }
    }
    for (t = 0; t < r0->topologies_count; t++) {
        tw[t] = osim__report_display_width(r0->topologies[t]);
        for (p = 0; p < np; p++) {
            const osim_mc_result *r = osim_sweep_result(sw, p);
            size_t w;
            if (r == NULL || t >= r->topologies_count) {
                rc = osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "point %zu has not run", p + 1);
                goto fail;
            }
            osim_sweep_figure(r, t, metric, stat, &v, &lo, &hi, &unit);
            osim_sweep_format_cell(buf, sizeof(buf), v, unit, r->currency);
            w = osim__report_display_width(buf);
            tw[t] = w > tw[t] ? w : tw[t];
        }
        tw[t] = tw[t] < 12 ? 12 : tw[t];
    }
    osim_sweep_figure(r0, 0, metric, stat, &v, &lo, &hi, &unit);
    fprintf(f, "sweep of %s: %llu replications per point, seed %llu\n", osim_sweep_base(sw)->name,
            (unsigned long long)osim_sweep_replications(sw),
            (unsigned long long)osim_sweep_seed(sw));
    {
        char shown[64];
        osim_money_unit(shown, sizeof(shown), unit, r0->currency);
        if (strncmp(metric, "economics.", 10) == 0)
            fprintf(f, "%s (%s)\n\n", metric, shown);
        else
            fprintf(f, "%s of %s (%s)\n\n", osim_sweep_stat_name(stat), metric, shown);
    }
    fprintf(f, "%5s", "point");
    for (a = 0; a < na; a++)
        table_put(f, head[a], aw[a], false);
    for (t = 0; t < r0->topologies_count; t++)
        table_put(f, r0->topologies[t], tw[t], true);
    fputc('\n', f);
    for (p = 0; p < np; p++) {
        const osim_mc_result *r = osim_sweep_result(sw, p);
        fprintf(f, "%5zu", p + 1);
        for (a = 0; a < na; a++)
            table_put(f, axis_label(sw, p, a), aw[a], false);
        for (t = 0; t < r->topologies_count; t++) {
            osim_sweep_figure(r, t, metric, stat, &v, &lo, &hi, &unit);
            osim_sweep_format_cell(buf, sizeof(buf), v, unit, r->currency);
            table_put(f, buf, tw[t], true);
        }
        fputc('\n', f);
    }
    for (a = 0; a < na; a++) {
        const osim_sweep_axis *ax = osim_sweep_axis_at(sw, a);
        if (ax->factors)
            fprintf(f, "\n%s: xF scales it whole by F (a distribution as X -> F X).", ax->path);
    }
    fprintf(f, "\nEvery figure is in sweep.csv (--out DIR), with its confidence interval and "
               "percentiles.\n");
    if (ferror(f))
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write the table");
fail:
    for (a = 0; head != NULL && a < na; a++)
        free(head[a]);
    free(head);
    free(aw);
    free(tw);
    return rc;
}

/* ------------------------------------------------------------ sweep.json */

static json_t *strings(char *const *v, size_t n)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *overrides_json(const osim_override *ov, size_t n)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < n; i++) {
        size_t len = strlen(ov[i].path) + strlen(ov[i].value) + 2;
        char *s = malloc(len);
        if (s == NULL)
            continue;
        snprintf(s, len, "%s=%s", ov[i].path, ov[i].value);
        json_array_append_new(a, json_string(s));
        free(s);
    }
    return a;
}

json_t *osim__sweep_header_json(const osim_sweep *sw)
{
    const osim_scenario *sc = osim_sweep_base(sw);
    json_t *x = json_object(), *a;
    size_t i;

    json_object_set_new(x, "scenario", json_string(sc->name != NULL ? sc->name : ""));
    json_object_set_new(x, "file", json_string(osim_sweep_scenario_path(sw)));
    json_object_set_new(x, "sha256", json_string(sc->sha256));
    {
        const osim_sweep_point *p0 = osim_sweep_point_at(sw, 0);
        json_object_set_new(x, "overrides",
                            p0 != NULL ? overrides_json(p0->overrides, p0->own_from)
                                       : json_array());
    }
    json_object_set_new(x, "seed", json_integer((json_int_t)osim_sweep_seed(sw)));
    json_object_set_new(x, "replications", json_integer((json_int_t)osim_sweep_replications(sw)));
    a = json_array();
    for (i = 0; i < osim_sweep_axes_count(sw); i++) {
        const osim_sweep_axis *ax = osim_sweep_axis_at(sw, i);
        json_t *o = json_object();
        json_object_set_new(o, "path", json_string(ax->path));
        json_object_set_new(o, "paths", strings(ax->paths, ax->paths_count));
        json_object_set_new(o, "values", strings(ax->values, ax->values_count));
        json_array_append_new(a, o);
    }
    json_object_set_new(x, "axes", a);
    json_object_set_new(x, "points", json_integer((json_int_t)osim_sweep_points_count(sw)));
    return x;
}

static json_t *sweep_doc(const osim_sweep *sw, int *rc)
{
    json_t *doc = json_object(), *pts;
    bool whole = osim_sweep_complete(sw);
    size_t p, i;

    json_object_set_new(doc, "tool", json_string("outagesim"));
    json_object_set_new(doc, "version", json_string(OSIM_VERSION));
    /* Of every money figure of every point (keys ending in _money). */
    json_object_set_new(doc, "currency",
                        json_string(osim_sweep_base(sw)->currency != NULL
                                        ? osim_sweep_base(sw)->currency
                                        : osim_currency_default()->code));
    json_object_set_new(doc, "sweep", osim__sweep_header_json(sw));
    /* Only an interrupted sweep says so: a whole one keeps its bytes. */
    if (!whole) {
        char *c = complete_text(sw);
        json_object_set_new(doc, "interrupted", json_true());
        json_object_set_new(doc, "complete_points", json_string(c != NULL ? c : ""));
        free(c);
    }
    pts = json_array();
    for (p = 0; p < osim_sweep_points_count(sw) && *rc == 0; p++) {
        const osim_sweep_point *pt = osim_sweep_point_at(sw, p);
        const osim_mc_result *r = osim_sweep_result(sw, p);
        json_t *o = json_object(), *res;
        json_object_set_new(o, "index", json_integer((json_int_t)(p + 1)));
        json_object_set_new(o, "label", json_string(pt->label));
        if (is_grid(sw)) {
            json_t *v = json_object();
            for (i = 0; i < osim_sweep_axes_count(sw); i++) {
                const osim_sweep_axis *ax = osim_sweep_axis_at(sw, i);
                json_object_set_new(v, ax->path, json_string(ax->values[pt->coord[i]]));
            }
            json_object_set_new(o, "values", v);
        } else {
            json_object_set_new(
                o, "overrides",
                overrides_json(pt->overrides + pt->own_from, pt->overrides_count - pt->own_from));
        }
        if (r == NULL && whole) {
            *rc = OSIM_EINVAL;
            json_decref(o);
            break;
        }
        if (r == NULL) {
            /* Not run yet: `sweep --resume` runs it. */
            json_object_set_new(o, "complete", json_false());
            json_object_set_new(o, "result", json_null());
            json_array_append_new(pts, o);
            continue;
        }
        res = osim__report_json_doc(r, rc);
        json_object_set_new(o, "result", res != NULL ? res : json_null());
        json_array_append_new(pts, o);
    }
    json_object_set_new(doc, "points", pts);
    return doc;
}

int osim_sweep_write_json(const osim_sweep *sw, FILE *f, osim_diag *diag)
{
    int rc = 0;
    json_t *doc = sweep_doc(sw, &rc);

    if (doc != NULL && rc != 0) {
        json_decref(doc);
        return osim_diag_set(diag, rc, NULL, 0, 0,
                             rc == OSIM_EINVAL ? "a point of the sweep has not run"
                                               : "a figure of the sweep cannot be written");
    }
    if ((rc = osim__report_json_dump(doc, f)) == OSIM_EIO)
        return osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write sweep.json");
    return rc;
}

typedef int (*writer_fn)(const osim_sweep *, FILE *, osim_diag *);

typedef struct file_job {
    const osim_sweep *sw;
    writer_fn fn;
    osim_diag *diag;
} file_job;

static int fill_file(FILE *f, void *ud)
{
    const file_job *j = ud;

    return j->fn(j->sw, f, j->diag);
}

static int write_one(const osim_sweep *sw, const char *dir, const char *name, writer_fn fn,
                     osim_diag *diag)
{
    file_job j = {sw, fn, diag};

    return osim_atomic_write(dir, name, fill_file, &j, diag);
}

int osim_sweep_write_dir(const osim_sweep *sw, const char *dir, osim_diag *diag)
{
    char *stale;
    int rc;

    if ((rc = osim_mkdir_p(dir, diag)) != 0)
        return rc;
    /* An interrupted sweep keeps what `sweep --resume` needs; a whole one
     * has no use for it (and leaves the bytes of a sweep never stopped). */
    if (!osim_sweep_complete(sw) &&
        (rc = write_one(sw, dir, OSIM_SWEEP_RESUME_FILE, osim__sweep_write_resume, diag)) != 0)
        return rc;
    if ((rc = write_one(sw, dir, "sweep.csv", osim_sweep_write_csv, diag)) != 0)
        return rc;
    if ((rc = write_one(sw, dir, "sweep.json", osim_sweep_write_json, diag)) != 0)
        return rc;
    if (osim_sweep_complete(sw)) {
        if ((stale = osim_path_join(dir, OSIM_SWEEP_RESUME_FILE)) == NULL)
            return OSIM_ENOMEM;
        if (unlink(stale) != 0 && errno != ENOENT)
            rc = osim_diag_set(diag, OSIM_EIO, stale, 0, 0, "cannot remove: %s", strerror(errno));
        free(stale);
    }
    return rc;
}
