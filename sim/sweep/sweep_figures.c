/*
 * sweep_plot.c -- the figures of a sweep: one line plot per axis and a
 * heat map of the first two axes, as data files and gnuplot drivers.
 *
 * Invariant: as in report_plot.c, text reaches gnuplot only as
 * single-quoted literals made by osim__gp_quote (gp_escape.h) -- axis
 * paths, values and topology names are written into the generated driver
 * and vars files that way, and the .dat files hold numbers only. The
 * drivers are two kinds of line: assignments of such literals or of
 * numbers, and `load` of a fixed script name. Everything is a pure
 * function of the sweep's results.
 *
 * An axis is drawn on a numeric x axis when its values are numbers with
 * one unit suffix, or durations (45m, 2h, 1d: in hours); otherwise the
 * values are categories at equal spacing. Money is drawn in the figure
 * unit of the scenario's currency (억원, € million: money.h).
 *
 * The tornado chart of `outagesim sensitivity` is written here too (same
 * quoting, same scripts folder); its ranking is the caller's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "outagesim/atomic_file.h"
#include "outagesim/plot.h"
#include "outagesim/sweep.h"
#include "report/gp_escape.h"

typedef struct pctx {
    const osim_sweep *sw;
    const char *metric;
    osim_sweep_stat stat;
    const char *unit;
    const osim_currency *cur;
    double scale; /* divide figures by this (cur->figure_size for money) */
    size_t axis;  /* the axis being written */
    osim_diag *diag;
} pctx;

/* x of value i of axis a: the number, hours of a duration, or i + 1. */
static int axis_x(const osim_sweep_axis *a, double *x, const char **xunit)
{
    size_t i;
    const char *why;

    if (a->numbers != NULL) {
        for (i = 0; i < a->values_count; i++)
            x[i] = a->numbers[i];
        *xunit = a->suffix;
        return 1;
    }
    for (i = 0; i < a->values_count; i++)
        if (osim__parse_duration_h(a->values[i], &x[i], &why) != 0)
            break;
    if (i == a->values_count) {
        *xunit = "h";
        return 1;
    }
    for (i = 0; i < a->values_count; i++)
        x[i] = (double)(i + 1);
    *xunit = "";
    return 0;
}

/* How value i of axis a is shown: its label (x0.5, 30m, "lognormal median
 * 1h p95 3h"), never the flow YAML it was written as. */
static const char *label_of(const osim_sweep_axis *a, size_t i)
{
    return a->labels != NULL ? a->labels[i] : a->values[i];
}

/* The point of the grid with coordinate `k` on axis `a` and `m` on axis
 * `b` (b may be (size_t)-1), the other axes at their first value. */
static size_t point_of(const osim_sweep *sw, size_t a, size_t k, size_t b, size_t m)
{
    size_t p = 0, i, n = osim_sweep_axes_count(sw);

    for (i = 0; i < n; i++) {
        size_t c = i == a ? k : i == b ? m : 0;
        p = p * osim_sweep_axis_at(sw, i)->values_count + c;
    }
    return p;
}

static double fig(const pctx *c, size_t p, size_t t, double *lo, double *hi)
{
    const osim_mc_result *r = osim_sweep_result(c->sw, p);
    double v = NAN;
    const char *u;

    *lo = *hi = NAN;
    if (r == NULL || osim_sweep_figure(r, t, c->metric, c->stat, &v, lo, hi, &u) != 0)
        return NAN;
    *lo /= c->scale;
    *hi /= c->scale;
    return v / c->scale;
}

/* gnuplot reads "NaN" as a missing point. */
static void num(FILE *f, double x)
{
    if (isnan(x))
        fputs(" NaN", f);
    else
        fprintf(f, " %.10g", x);
}

static int write_line_dat(FILE *f, void *ud)
{
    pctx *c = ud;
    const osim_sweep_axis *a = osim_sweep_axis_at(c->sw, c->axis);
    const osim_mc_result *r0 = osim_sweep_result(c->sw, 0);
    double *x = malloc(a->values_count * sizeof(double));
    const char *xu;
    size_t i, t;

    if (x == NULL)
        return OSIM_ENOMEM;
    axis_x(a, x, &xu);
    fprintf(f, "# axis %zu: x, then per topology t: value low high (band)\n", c->axis + 1);
    for (i = 0; i < a->values_count; i++) {
        size_t p = point_of(c->sw, c->axis, i, (size_t)-1, 0);
        fprintf(f, "%.10g", x[i]);
        for (t = 0; t < r0->topologies_count; t++) {
            double lo, hi, v = fig(c, p, t, &lo, &hi);
            num(f, v);
            num(f, lo);
            num(f, hi);
        }
        fputc('\n', f);
    }
    free(x);
    return 0;
}

static int write_heat_dat(FILE *f, void *ud)
{
    pctx *c = ud;
    const osim_sweep_axis *a = osim_sweep_axis_at(c->sw, 0), *b = osim_sweep_axis_at(c->sw, 1);
    const osim_mc_result *r0 = osim_sweep_result(c->sw, 0);
    size_t i, j, t;

    fprintf(f, "# heat map: one block per topology (gnuplot index t-1): i j value\n");
    for (t = 0; t < r0->topologies_count; t++) {
        if (t > 0)
            fputs("\n\n", f);
        for (i = 0; i < a->values_count; i++) {
            for (j = 0; j < b->values_count; j++) {
                double lo, hi, v = fig(c, point_of(c->sw, 0, i, 1, j), t, &lo, &hi);
                fprintf(f, "%zu %zu", i + 1, j + 1);
                num(f, v);
                fputc('\n', f);
            }
        }
    }
    return 0;
}

/* The label of a figure of this unit, after scaling, into buf. */
static const char *unit_label(char *buf, size_t n, const char *unit, const osim_currency *cur)
{
    if (strcmp(unit, "money") == 0)
        snprintf(buf, n, "%s", cur->figure_long);
    else if (osim_money_unit_is_money(unit))
        snprintf(buf, n, "%s per %s", cur->figure_unit,
                 strncmp(unit, "money/", 6) == 0 ? unit + 6 : "unit");
    else if (strcmp(unit, "h") == 0)
        snprintf(buf, n, "hours");
    else
        snprintf(buf, n, "%s", unit);
    return buf;
}

static int write_vars(FILE *f, void *ud)
{
    pctx *c = ud;
    const osim_sweep *sw = c->sw;
    const osim_mc_result *r0 = osim_sweep_result(sw, 0);
    const osim_scenario *sc = osim_sweep_base(sw);
    char buf[1024];
    size_t t;
    int rc = 0;
    bool econ = strncmp(c->metric, "economics.", 10) == 0;

    fprintf(f, "# sweep-vars.gp -- written by outagesim sweep; names are inert literals.\n");
    fprintf(f, "ntop = %zu\narray topology[%zu]\n", r0->topologies_count, r0->topologies_count);
    for (t = 0; t < r0->topologies_count && rc == 0; t++) {
        char name[32];
        snprintf(name, sizeof(name), "topology[%zu]", t + 1);
        rc = osim__gp_assign(f, name, r0->topologies[t], 0);
    }
    if (rc == 0)
        rc = osim__gp_assign(f, "metric", c->metric, 0);
    if (rc == 0)
        rc = osim__gp_assign(f, "ylabel_text", unit_label(buf, sizeof(buf), c->unit, c->cur), 0);
    if (econ) {
        static const char *const names[][2] = {
            {"mean_incident_cost_money",
             "Mean cost of one incident (lost revenue + counted compensation)"},
            {"expected_annual_loss_money", "Expected annual loss"},
            {"annual_cost_money", "Annual cost of the design"},
            {"net_annual_benefit_money", "Net annual benefit against the baseline design"},
            {"break_even_probability", "Break-even annual incident probability"},
        };
        size_t i;
        snprintf(buf, sizeof(buf), "%s", c->metric + 10);
        for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            if (strcmp(c->metric + 10, names[i][0]) == 0)
                snprintf(buf, sizeof(buf), "%s", names[i][1]);
    } else
        snprintf(buf, sizeof(buf), "%s of %s", osim_sweep_stat_name(c->stat), c->metric);
    if (rc == 0)
        rc = osim__gp_assign(f, "metric_title", buf, 0);
    if (c->stat == OSIM_SWEEP_P50 && !econ)
        snprintf(buf, sizeof(buf), "line: median over replications; band: 5th to 95th percentile");
    else if (c->stat == OSIM_SWEEP_MEAN ||
             strcmp(c->metric, "economics.net_annual_benefit_money") == 0 ||
             strcmp(c->metric, "economics.mean_incident_cost_money") == 0)
        snprintf(buf, sizeof(buf), "line: mean; band: 95%% confidence interval of the mean");
    else
        snprintf(buf, sizeof(buf), "%s", "");
    if (rc == 0)
        rc = osim__gp_assign(f, "band_note", buf, 0);
    snprintf(buf, sizeof(buf),
             "%s  ·  seed %llu  ·  %llu replications per point (common random "
             "numbers)  ·  outagesim sweep",
             sc->name != NULL ? sc->name : "", (unsigned long long)osim_sweep_seed(sw),
             (unsigned long long)osim_sweep_replications(sw));
    if (rc == 0)
        rc = osim__gp_assign(f, "subtitle", buf, 0);
    fprintf(f, "has_band = %d\n",
            (c->stat == OSIM_SWEEP_P50 || c->stat == OSIM_SWEEP_MEAN) ? 1 : 0);
    return rc;
}

/* A driver: constants and quoted literals, then `load 'script'`. */
static int write_line_driver(FILE *f, void *ud)
{
    pctx *c = ud;
    const osim_sweep *sw = c->sw;
    const osim_sweep_axis *a = osim_sweep_axis_at(sw, c->axis);
    double *x = malloc(a->values_count * sizeof(double)), mn = INFINITY, mx = -INFINITY;
    const char *xu;
    char buf[1200], name[32];
    size_t i, k;
    int numeric, rc = 0;

    if (x == NULL)
        return OSIM_ENOMEM;
    numeric = axis_x(a, x, &xu);
    for (i = 0; i < a->values_count; i++) {
        mn = x[i] < mn ? x[i] : mn;
        mx = x[i] > mx ? x[i] : mx;
    }
    fprintf(f, "# written by outagesim sweep: the figure of axis %zu\n", c->axis + 1);
    fprintf(f, "load 'sweep-vars.gp'\nfigure = 'sweep-axis-%zu'\ndat = 'sweep-axis-%zu.dat'\n",
            c->axis + 1, c->axis + 1);
    fprintf(f, "x_log = %d\nx_min = %.10g\nx_max = %.10g\n",
            numeric && mn > 0 && mx / mn >= 8 ? 1 : 0, mn, mx);
    if (a->factors)
        snprintf(buf, sizeof(buf), "%s (scale factor: X -> F X)", a->path);
    else if (numeric && *xu != '\0')
        snprintf(buf, sizeof(buf), "%s (%s)", a->path, xu);
    else
        snprintf(buf, sizeof(buf), "%s", a->path);
    rc = osim__gp_assign(f, "xlabel_text", buf, 0);
    /* The other axes, held at their first value. */
    buf[0] = '\0';
    for (k = 0; k < osim_sweep_axes_count(sw); k++) {
        const osim_sweep_axis *o = osim_sweep_axis_at(sw, k);
        size_t used = strlen(buf);
        if (k == c->axis)
            continue;
        snprintf(buf + used, sizeof(buf) - used, "%s%s = %s",
                 used ? ", " : "other axes at: ", o->path, label_of(o, 0));
    }
    if (rc == 0)
        rc = osim__gp_assign(f, "others_note", buf, 0);
    fprintf(f, "nx = %zu\narray xval[%zu]\narray xtext[%zu]\n", a->values_count, a->values_count,
            a->values_count);
    for (i = 0; i < a->values_count && rc == 0; i++) {
        fprintf(f, "xval[%zu] = %.10g\n", i + 1, x[i]);
        snprintf(name, sizeof(name), "xtext[%zu]", i + 1);
        rc = osim__gp_assign(f, name, label_of(a, i), 0);
    }
    fprintf(f, "load 'sweep-line.gp'\n");
    free(x);
    return rc;
}

static int write_heat_driver(FILE *f, void *ud)
{
    pctx *c = ud;
    const osim_sweep_axis *a = osim_sweep_axis_at(c->sw, 0), *b = osim_sweep_axis_at(c->sw, 1);
    char name[32], buf[1200];
    size_t i, k;
    int rc;

    fprintf(f, "# written by outagesim sweep: the heat map of axes 1 and 2\n");
    fprintf(f, "load 'sweep-vars.gp'\nfigure = 'sweep-heatmap'\ndat = 'sweep-heatmap.dat'\n");
    rc = osim__gp_assign(f, "xlabel_text", a->path, 0);
    if (rc == 0)
        rc = osim__gp_assign(f, "ylabel_axis", b->path, 0);
    buf[0] = '\0';
    for (k = 2; k < osim_sweep_axes_count(c->sw); k++) {
        const osim_sweep_axis *o = osim_sweep_axis_at(c->sw, k);
        size_t used = strlen(buf);
        snprintf(buf + used, sizeof(buf) - used, "%s%s = %s",
                 used ? ", " : "other axes at: ", o->path, label_of(o, 0));
    }
    if (rc == 0)
        rc = osim__gp_assign(f, "others_note", buf, 0);
    fprintf(f, "nx = %zu\nny = %zu\narray xtext[%zu]\narray ytext[%zu]\n", a->values_count,
            b->values_count, a->values_count, b->values_count);
    for (i = 0; i < a->values_count && rc == 0; i++) {
        snprintf(name, sizeof(name), "xtext[%zu]", i + 1);
        rc = osim__gp_assign(f, name, label_of(a, i), 0);
    }
    for (i = 0; i < b->values_count && rc == 0; i++) {
        snprintf(name, sizeof(name), "ytext[%zu]", i + 1);
        rc = osim__gp_assign(f, name, label_of(b, i), 0);
    }
    fprintf(f, "load 'sweep-heat.gp'\n");
    return rc;
}

/* dir/name from one of the writers above (atomically). */
static int write_file(pctx *c, const char *dir, const char *name, osim_atomic_fill fn)
{
    return osim_atomic_write(dir, name, fn, c, c->diag);
}

/* Append "prefix<k>" (k > 0) or "prefix" to the figure names. */
static int add_name(char ***v, size_t *n, const char *prefix, size_t k)
{
    char buf[64], **nv = realloc(*v, (*n + 1) * sizeof(*nv));

    if (nv == NULL)
        return OSIM_ENOMEM;
    *v = nv;
    if (k > 0)
        snprintf(buf, sizeof(buf), "%s%zu", prefix, k);
    else
        snprintf(buf, sizeof(buf), "%s", prefix);
    if ((nv[*n] = strdup(buf)) == NULL)
        return OSIM_ENOMEM;
    (*n)++;
    return 0;
}

int osim_sweep_plot_prepare(const osim_sweep *sw, const char *metric, osim_sweep_stat stat,
                            const char *scripts_dir, const char *plot_dir, char ***figures,
                            size_t *figures_count, osim_diag *diag)
{
    pctx c;
    char name[64];
    double v, lo, hi;
    size_t k, i;
    int rc;

    *figures = NULL;
    *figures_count = 0;
    if (osim_sweep_axes_count(sw) == 0 || !osim_sweep_complete(sw))
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "only a complete grid has figures");
    memset(&c, 0, sizeof(c));
    c.sw = sw;
    c.metric = metric;
    c.stat = stat;
    c.diag = diag;
    if (osim_sweep_figure(osim_sweep_result(sw, 0), 0, metric, stat, &v, &lo, &hi, &c.unit) != 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "no metric '%s'", metric);
    c.cur = osim_sweep_result(sw, 0)->currency;
    if (c.cur == NULL)
        c.cur = osim_currency_default();
    c.scale = osim_money_unit_is_money(c.unit) ? c.cur->figure_size : 1.0;
    if ((rc = osim_mkdir_p(plot_dir, diag)) != 0)
        return rc;
    if ((rc = osim_plot_copy_script(scripts_dir, plot_dir, "common.gp", diag)) != 0 ||
        (rc = osim_plot_copy_script(scripts_dir, plot_dir, "sweep-line.gp", diag)) != 0 ||
        (rc = osim_plot_copy_script(scripts_dir, plot_dir, "sweep-heat.gp", diag)) != 0)
        return rc;
    if ((rc = write_file(&c, plot_dir, "sweep-vars.gp", write_vars)) != 0)
        return rc;
    for (k = 0; k < osim_sweep_axes_count(sw); k++) {
        c.axis = k;
        snprintf(name, sizeof(name), "sweep-axis-%zu.dat", k + 1);
        if ((rc = write_file(&c, plot_dir, name, write_line_dat)) != 0)
            goto fail;
        snprintf(name, sizeof(name), "sweep-axis-%zu.gp", k + 1);
        if ((rc = write_file(&c, plot_dir, name, write_line_driver)) != 0)
            goto fail;
        if ((rc = add_name(figures, figures_count, "sweep-axis-", k + 1)) != 0)
            goto fail;
    }
    if (osim_sweep_axes_count(sw) >= 2) {
        if ((rc = write_file(&c, plot_dir, "sweep-heatmap.dat", write_heat_dat)) != 0 ||
            (rc = write_file(&c, plot_dir, "sweep-heatmap.gp", write_heat_driver)) != 0)
            goto fail;
        if ((rc = add_name(figures, figures_count, "sweep-heatmap", 0)) != 0)
            goto fail;
    }
    return 0;
fail:
    for (i = 0; i < *figures_count; i++)
        free((*figures)[i]);
    free(*figures);
    *figures = NULL;
    *figures_count = 0;
    return rc;
}

/* ------------------------------------------------------------ tornado */

typedef struct tornado_job {
    const osim_sweep_tornado *t;
    const osim_currency *cur;
    double scale; /* divide figures by this (cur->figure_size for money) */
} tornado_job;

/* tornado.dat: numbers only, one bar a line. */
static int write_tornado_dat(FILE *f, void *ud)
{
    const tornado_job *j = ud;
    size_t i;

    fprintf(f, "# rank (1 = top), figure at low, at high (%s)\n",
            j->scale > 1 ? j->cur->figure_unit : j->t->unit);
    for (i = 0; i < j->t->bars_count; i++)
        fprintf(f, "%zu %.10g %.10g\n", i + 1, j->t->bars[i].at_low / j->scale,
                j->t->bars[i].at_high / j->scale);
    return 0;
}

/* tornado-vars.gp: numbers and inert literals (a parameter's name cut to 64 characters). */
static int write_tornado_vars(FILE *f, void *ud)
{
    const tornado_job *j = ud;
    const osim_sweep_tornado *t = j->t;
    size_t i, n = t->bars_count;
    char name[64];

    fprintf(f,
            "# tornado-vars.gp -- written by outagesim sensitivity; texts are "
            "inert literals\nfigure = 'tornado'\nnbars = %zu\nbase = %.10g\n"
            "lo_factor = %.10g\nhi_factor = %.10g\narray pname[%zu]\n",
            n, t->base / j->scale, t->lo_factor, t->hi_factor, n > 0 ? n : 1);
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "pname[%zu]", i + 1);
        if (osim__gp_assign(f, name, t->bars[i].param, 64) != 0)
            return OSIM_ENOMEM;
    }
    if (osim__gp_assign(f, "fig_title", t->title, 0) != 0 ||
        osim__gp_assign(f, "subtitle", t->subtitle, 0) != 0 ||
        osim__gp_assign(f, "xlabel_text", j->scale > 1 ? j->cur->figure_long : t->unit, 0) != 0)
        return OSIM_ENOMEM;
    return 0;
}

int osim_sweep_tornado_prepare(const osim_sweep_tornado *t, const char *scripts_dir,
                               const char *plot_dir, osim_diag *diag)
{
    const osim_currency *cur = t->currency != NULL ? t->currency : osim_currency_default();
    tornado_job j = {t, cur, osim_money_unit_is_money(t->unit) ? cur->figure_size : 1.0};
    int rc;

    if ((rc = osim_mkdir_p(plot_dir, diag)) != 0 ||
        (rc = osim_plot_copy_script(scripts_dir, plot_dir, "common.gp", diag)) != 0 ||
        (rc = osim_plot_copy_script(scripts_dir, plot_dir, "tornado.gp", diag)) != 0 ||
        (rc = osim_atomic_write(plot_dir, "tornado.dat", write_tornado_dat, &j, diag)) != 0 ||
        (rc = osim_atomic_write(plot_dir, "tornado-vars.gp", write_tornado_vars, &j, diag)) != 0)
        return rc == OSIM_ENOMEM ? osim_diag_set(diag, rc, NULL, 0, 0, "out of memory") : rc;
    return 0;
}
