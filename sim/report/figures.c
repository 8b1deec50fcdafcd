/*
 * figures.c -- the data files and variables of the figures of a run
 * (figures.h): what a run found, written for gnuplot.
 *
 * Invariant: names never reach gnuplot except through vars.gp, where each
 * is a string expression made by osim__gp_quote (gp_escape.h). The
 * .dat files hold numbers only, so a name cannot break a column or inject
 * a command; the scripts refer to topologies, services and policies by
 * position (1-based, gnuplot arrays) and read their names from vars.gp.
 * Everything written is a pure function of the result and the series, so
 * the same run gives the same bytes.
 *
 * Figures from the metric rows (recovery-cdf, compensation, designs and
 * the total-loss panel of business-loss) use the per-replication values
 * of the result, with type-7 quantiles (stats.h); figures over time and
 * the per-business loss use the series (series.h), whose quantiles are
 * exact to a histogram bin.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outagesim/atomic_file.h"
#include "outagesim/catalogue.h"
#include "outagesim/figures.h"
#include "outagesim/money.h"
#include "outagesim/stats.h"
#include "report/gp_escape.h"
#include "results/series_layout.h"

/* The time figures stop where every service is up in this share of
 * replications at every later grid point (or at the horizon). */
#define SHOWN_UP_SHARE 0.995
/* At most this many points per empirical CDF (quantiles beyond). */
#define CDF_POINTS 2000

static const char *const figures[OSIM_FIGURES_COUNT] = {
    "timeline",     "affected-users", "recovery-cdf", "business-loss",
    "compensation", "designs",        "systems_back",
};

const char *osim_figures_name(size_t i)
{
    return i < OSIM_FIGURES_COUNT ? figures[i] : NULL;
}

size_t osim_figures_of(const osim_mc_result *r, const char **names, size_t cap)
{
    size_t i, n = 0;

    for (i = 0; i < OSIM_FIGURES_COUNT && n < cap; i++)
        names[n++] = figures[i];
    if (r != NULL && r->catalogue != NULL && n < cap)
        names[n++] = OSIM_FIGURES_EXCEEDANCE;
    return n;
}

int osim_figures_render(const char *plot_dir, const osim_plot_options *opt, osim_plot_outcome *out,
                        osim_diag *diag)
{
    return osim_plot_render_figures(plot_dir, figures, OSIM_FIGURES_COUNT, opt, out, diag);
}

/* ------------------------------------------------------------ helpers */

/* The currency of r's money (KRW when r has none): money is drawn in its
 * figure unit (억원, € million), whose size divides every money figure. */
static const osim_currency *cur_of(const osim_mc_result *r)
{
    return r->currency != NULL ? r->currency : osim_currency_default();
}

typedef struct ctx {
    const osim_mc_result *r;
    const osim_series *s; /* may be NULL */
    size_t T, M, n;       /* topologies, metrics, replications */
    double *work;         /* n + 1 doubles */
    double *vals;         /* n + 1 doubles */
    osim_diag *diag;
} ctx;

static long metric(const osim_mc_result *r, osim_metric_group g, const char *key, size_t owner)
{
    size_t m;

    for (m = 0; m < r->metrics_count; m++) {
        const osim_metric *x = &r->metrics[m];
        if (x->group == g && x->owner == owner && strcmp(x->key, key) == 0)
            return (long)m;
    }
    return -1;
}

/* vals[i] = metric m of replication i under topology t. */
static void column(ctx *c, size_t t, size_t m)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        c->vals[i] = c->r->values[(i * c->T + t) * c->M + m];
}

/* Type-7 quantile summary of c->vals (n values); zeros when n is 0. */
static int summary(ctx *c, osim_stats *st)
{
    int rc = osim_stats_compute(c->vals, 1, c->n, c->n ? c->work : NULL, st);

    if (rc != 0)
        return osim_diag_set(c->diag, rc, NULL, 0, 0, "plot: a value is not finite");
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static int put_text_array(FILE *f, const char *name, char *const *v, size_t n, size_t max_chars)
{
    size_t i;
    char el[64];

    fprintf(f, "array %s[%zu]\n", name, n ? n : 1);
    if (n == 0)
        fprintf(f, "%s[1] = ''\n", name);
    for (i = 0; i < n; i++) {
        snprintf(el, sizeof(el), "%s[%zu]", name, i + 1);
        if (osim__gp_assign(f, el, v[i], max_chars) != 0)
            return OSIM_ENOMEM;
    }
    return 0;
}

/* Local wall-clock time of ignition + h hours, "Sat 15 Oct 2022 15:19" (C locale names). */
static void local_time(int64_t epoch_s, double utc_offset_h, double h, char *buf, size_t n)
{
    time_t t = (time_t)(epoch_s + (int64_t)llround(utc_offset_h * 3600.0 + h * 3600.0));
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(buf, n, "%a %d %b %Y %H:%M", &tm) == 0)
        snprintf(buf, n, "?");
}

/* ------------------------------------------------------------ shape checks */

static int series_matches(const ctx *c)
{
    const osim_mc_result *r = c->r;
    const osim_series *s = c->s;
    size_t t;

    if (s == NULL)
        return 0;
    if (strcmp(s->sha256, r->sha256) != 0 || s->seed != r->seed ||
        s->topologies_count != r->topologies_count)
        return osim_diag_set(c->diag, OSIM_EINVAL, NULL, 0, 0,
                             "the series does not belong to these results (scenario, seed or "
                             "topologies differ)");
    for (t = 0; t < r->topologies_count; t++) {
        if (strcmp(s->topologies[t], r->topologies[t]) != 0)
            return osim_diag_set(c->diag, OSIM_EINVAL, NULL, 0, 0,
                                 "the series covers topology '%s' where the results have '%s'",
                                 s->topologies[t], r->topologies[t]);
        if (s->reps[t] != r->to - r->from)
            return osim_diag_set(c->diag, OSIM_EINVAL, NULL, 0, 0,
                                 "the series counts %llu replications, the results %llu",
                                 (unsigned long long)s->reps[t],
                                 (unsigned long long)(r->to - r->from));
    }
    return 0;
}

/* ------------------------------------------------------------ time axis */

/* Where the time figures stop: the end of the last grid bin at which some
 * service of some topology is down in more than 1 - SHOWN_UP_SHARE of
 * replications, plus half a day, rounded up to whole days; at most the
 * horizon, at least one day. */
static double shown_until_h(const osim_series *s)
{
    size_t t, k, i, last = 0;
    double h;

    for (t = 0; t < s->topologies_count; t++) {
        double lim = (1.0 - SHOWN_UP_SHARE) * (double)s->reps[t];
        for (k = 0; k < s->steps; k++)
            for (i = 0; i < s->services_count; i++)
                if ((double)s->down[(t * s->steps + k) * s->services_count + i] > lim &&
                    k + 1 > last)
                    last = k + 1;
    }
    h = ceil(((double)last * s->step_h + 12.0) / 24.0) * 24.0;
    if (h < 24.0)
        h = 24.0;
    if (h > s->steps * s->step_h)
        h = (double)s->steps * s->step_h;
    return h;
}

/* Hours between x tics, and days between date labels, for a span of h hours. */
static void tic_steps(double h, double *xtic_h, double *days)
{
    if (h <= 48.0) {
        *xtic_h = 6.0;
        *days = 1.0;
    } else if (h <= 96.0) {
        *xtic_h = 12.0;
        *days = 1.0;
    } else if (h <= 240.0) {
        *xtic_h = 24.0;
        *days = 1.0;
    } else if (h <= 480.0) {
        *xtic_h = 48.0;
        *days = 2.0;
    } else {
        *xtic_h = 24.0 * ceil(h / 24.0 / 10.0);
        *days = *xtic_h / 24.0;
    }
}

/* ------------------------------------------------------------ vars.gp */

static int write_subtitle(FILE *f, const ctx *c)
{
    const osim_mc_result *r = c->r;
    size_t len = 256, t, o;
    char *buf;
    int rc;

    for (t = 0; t < r->topologies_count; t++)
        len += strlen(r->topologies[t]) + 2;
    len += strlen(r->scenario_name);
    buf = malloc(len);
    if (buf == NULL)
        return OSIM_ENOMEM;
    o = (size_t)snprintf(buf, len, "scenario %s  |  %s ", r->scenario_name,
                         r->topologies_count == 1 ? "topology" : "topologies");
    for (t = 0; t < r->topologies_count && o < len; t++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", t ? ", " : "", r->topologies[t]);
    if (o < len)
        snprintf(buf + o, len - o, "  |  seed %llu  |  %llu replications (%llu to %llu)%s",
                 (unsigned long long)r->seed, (unsigned long long)(r->to - r->from),
                 (unsigned long long)r->from, (unsigned long long)(r->to ? r->to - 1 : 0),
                 r->interrupted ? ", interrupted" : "");
    rc = osim__gp_assign(f, "subtitle", buf, 220);
    free(buf);
    return rc;
}

/* vars.gp, part 1: what was run -- the names the scripts index by position. */
static int vars_names(FILE *f, ctx *c)
{
    const osim_mc_result *r = c->r;
    char **pnames;
    size_t p;
    int rc;

    fprintf(f,
            "# vars.gp -- written by outagesim %s for the scripts in this folder.\n"
            "# Names and text from the scenario are single-quoted strings, with\n"
            "# quotes, backquotes, at signs and backslashes as octal escapes in\n"
            "# double quotes: gnuplot substitutes nothing in them. Arrays are\n"
            "# 1-based, in the order of the data files (topology t is block t-1 of\n"
            "# a file with blocks).\n\n",
            r->version);
    if ((rc = osim__gp_assign(f, "scenario", r->scenario_name, 0)) != 0 ||
        (rc = write_subtitle(f, c)) != 0)
        return rc;
    fprintf(f, "seed = '%llu'\n", (unsigned long long)r->seed);
    fprintf(f, "replications = %llu\n", (unsigned long long)c->n);
    fprintf(f, "ntop = %zu\n", r->topologies_count);
    if ((rc = put_text_array(f, "topology", r->topologies, r->topologies_count, 48)) != 0)
        return rc;
    fprintf(f, "nsvc = %zu\n", r->services_count);
    if ((rc = put_text_array(f, "service", r->services, r->services_count, 40)) != 0)
        return rc;
    /* Policy names live inside the policy structs: gather them for the array. */
    pnames = calloc(r->policies_count + 1, sizeof(*pnames));
    if (pnames == NULL)
        return OSIM_ENOMEM;
    for (p = 0; p < r->policies_count; p++)
        pnames[p] = r->policies[p].name;
    fprintf(f, "npol = %zu\n", r->policies_count);
    rc = put_text_array(f, "policy", pnames, r->policies_count, 48);
    free(pnames);
    return rc;
}

/* vars.gp, part 2: the economics the designs figure needs. */
static int vars_economics(FILE *f, const osim_mc_result *r)
{
    size_t t, p;
    int rc;

    /* gnuplot arrays cannot be empty: an empty list is one dummy entry. */
    fprintf(f, "array policy_in_eal[%zu]\n", r->policies_count ? r->policies_count : 1);
    if (r->policies_count == 0)
        fprintf(f, "policy_in_eal[1] = 0\n");
    for (p = 0; p < r->policies_count; p++)
        fprintf(f, "policy_in_eal[%zu] = %d\n", p + 1, r->policies[p].in_economics ? 1 : 0);
    fprintf(f, "incident_probability = %.15g\n", r->incident_probability);
    if ((rc = osim__gp_assign(f, "baseline", r->baseline != NULL ? r->baseline : "", 48)) != 0)
        return rc;
    fprintf(f, "array annual_cost_fig[%zu]\n", r->topologies_count);
    for (t = 0; t < r->topologies_count; t++)
        fprintf(f, "annual_cost_fig[%zu] = %.10g\n", t + 1,
                (double)r->annual_cost_krw[t] / cur_of(r)->figure_size);
    /* How money is labelled: the figure unit ("억원", "€ million"), with its
     * size spelled out, and the name of one unit in running text. */
    fprintf(f, "\n# Money: every money figure is in money_unit; losses per business in whole\n"
               "# units (money_name).\n");
    if ((rc = osim__gp_assign(f, "money_unit", cur_of(r)->figure_unit, 0)) != 0 ||
        (rc = osim__gp_assign(f, "money_unit_long", cur_of(r)->figure_long, 0)) != 0 ||
        (rc = osim__gp_assign(f, "money_name",
                              cur_of(r)->word != NULL ? cur_of(r)->word : cur_of(r)->code, 0)) != 0)
        return rc;
    return 0;
}

/* vars.gp, part 3: the time axis of the series figures, in local time. */
static int vars_time_axis(FILE *f, const osim_series *s)
{
    double shown = shown_until_h(s), xtic, days, first_midnight_h;
    int64_t t0 = s->start_epoch_s + (int64_t)llround(s->utc_offset_h * 3600.0);
    /* Seconds since local midnight at ignition (t0 may be before 1970). */
    int64_t sod = ((t0 % 86400) + 86400) % 86400;
    char when[64];

    tic_steps(shown, &xtic, &days);
    first_midnight_h = (double)(86400 - sod) / 3600.0;
    if (sod == 0)
        first_midnight_h = 0.0;
    local_time(s->start_epoch_s, s->utc_offset_h, 0.0, when, sizeof(when));
    fprintf(f, "horizon_h = %.10g\n", s->horizon_h);
    fprintf(f, "step_h = %.10g\n", s->step_h);
    fprintf(f,
            "# Time figures show 0 .. shown_h hours: later, every service is up in\n"
            "# at least %.1f%% of replications at every grid point.\n",
            SHOWN_UP_SHARE * 100.0);
    fprintf(f, "shown_h = %.10g\n", shown);
    fprintf(f, "xtic_h = %.10g\n", xtic);
    fprintf(f,
            "# Local time (UTC%+.2g h): seconds since 1970 of ignition in local time,\n"
            "# hours from ignition to the first local midnight, days between dates.\n",
            s->utc_offset_h);
    fprintf(f, "t0_local = %lld\n", (long long)t0);
    fprintf(f, "first_midnight_h = %.10g\n", first_midnight_h);
    fprintf(f, "date_days = %.10g\n", days);
    if (osim__gp_assign(f, "tz", s->timezone, 16) != 0)
        return OSIM_ENOMEM;
    /* C-locale day and month names and digits only: safe in single quotes. */
    fprintf(f, "ignition_local = '%s'\n", when);
    return 0;
}

/* vars.gp, part 4: per topology, whether and until when something was down. */
static void vars_down(FILE *f, const osim_series *s)
{
    size_t t;

    fprintf(f, "# 1 when some service of topology t was down at some grid point.\n");
    fprintf(f, "array ever_down[%zu]\n", s->topologies_count);
    for (t = 0; t < s->topologies_count; t++) {
        size_t x, n = s->steps * s->services_count;
        int any = 0;
        for (x = 0; x < n && !any; x++)
            any = s->down[t * n + x] != 0;
        fprintf(f, "ever_down[%zu] = %d\n", t + 1, any);
    }
    fprintf(f,
            "# Hours to the end of the last grid bin at which some service of\n"
            "# topology t was down in more than %.1f%% of replications (0: never).\n",
            100.0 * (1.0 - SHOWN_UP_SHARE));
    fprintf(f, "array last_down_h[%zu]\n", s->topologies_count);
    for (t = 0; t < s->topologies_count; t++) {
        size_t k, i, last = 0;
        double lim = (1.0 - SHOWN_UP_SHARE) * (double)s->reps[t];
        for (k = 0; k < s->steps; k++)
            for (i = 0; i < s->services_count; i++)
                if ((double)s->down[(t * s->steps + k) * s->services_count + i] > lim)
                    last = k + 1;
        fprintf(f, "last_down_h[%zu] = %.10g\n", t + 1, (double)last * s->step_h);
    }
}

/* vars.gp, part 5: the compensation bracket edges marked on the business-loss figure. */
static int vars_marks(FILE *f, const osim_series *s, const osim_currency *cur)
{
    size_t p;
    int rc = 0;

    fprintf(f, "nmarks = %zu\n", s->marks_count);
    fprintf(f, "array mark_money[%zu]\n", s->marks_count ? s->marks_count : 1);
    if (s->marks_count == 0)
        fprintf(f, "mark_money[1] = 0\n");
    for (p = 0; p < s->marks_count && rc == 0; p++) {
        char amount[OSIM_MONEY_BUF], name[32];
        fprintf(f, "mark_money[%zu] = %.15g\n", p + 1, s->marks_krw[p]);
        /* "300,000 won", "€300,000": quoted like any text. */
        snprintf(name, sizeof(name), "mark_label_%zu", p + 1);
        rc = osim__gp_assign(f, name, osim_money_text(amount, sizeof(amount), s->marks_krw[p], cur),
                             0);
    }
    return rc;
}

/* vars.gp: every name, count and setting the scripts read, in five parts. */
static int write_vars(FILE *f, ctx *c)
{
    const osim_series *s = c->s;
    int rc;

    if ((rc = vars_names(f, c)) != 0 || (rc = vars_economics(f, c->r)) != 0)
        return rc;
    fprintf(f, "\n# The course of the outage (series.json): 0 when the run kept none.\n");
    fprintf(f, "have_series = %d\n", s != NULL);
    if (s != NULL) {
        if ((rc = vars_time_axis(f, s)) != 0)
            return rc;
        vars_down(f, s);
        if ((rc = vars_marks(f, s, cur_of(c->r))) != 0)
            return rc;
    } else {
        fprintf(f, "shown_h = 0\nnmarks = 0\n");
    }
    return ferror(f) ? OSIM_EIO : 0;
}

/* ------------------------------------------------------------ series data */

static int write_timeline(FILE *f, void *ud)
{
    ctx *c = ud;
    const osim_series *s = c->s;
    size_t t, k, i, K, S;

    fprintf(f,
            "# timeline.dat -- each service's state over time, per topology.\n"
            "# One block per topology (gnuplot index t-1), in the order of vars.gp's\n"
            "# topology[]; within a block one scan per service (row 1 = service[1]).\n"
            "# Columns: 1 hours since ignition (middle of a %.3g h bin)  2 service row\n"
            "#   3 P(down or degraded: availability < 1)  4 P(out: availability 0)\n"
            "#   5 mean unavailability (1 - availability, averaged over replications)\n",
            s != NULL ? s->step_h : 0.0);
    if (s == NULL)
        return 0;
    K = s->steps;
    S = s->services_count;
    for (t = 0; t < s->topologies_count; t++) {
        double n = (double)s->reps[t];
        if (t > 0)
            fputs("\n\n", f);
        for (i = 0; i < S; i++) {
            if (i > 0)
                fputc('\n', f);
            for (k = 0; k < K; k++) {
                size_t x = (t * K + k) * S + i;
                double th = ((double)k + 0.5) * s->step_h;
                if (n > 0)
                    fprintf(f, "%.6g %zu %.6g %.6g %.6g\n", th, i + 1, (double)s->down[x] / n,
                            (double)s->out[x] / n,
                            (double)s->unavail[x] / OSIM_SERIES_UNAVAIL_UNIT / n);
                else
                    fprintf(f, "%.6g %zu 0 0 0\n", th, i + 1);
            }
        }
    }
    return 0;
}

static int write_users(FILE *f, void *ud)
{
    ctx *c = ud;
    const osim_series *s = c->s;
    size_t t, k;

    fprintf(f,
            "# affected-users.dat -- distinct users affected at each moment.\n"
            "# Column 1: hours since ignition (grid point); then per topology t\n"
            "# (vars.gp topology[t]): column 3t-1 the median, 3t the 5th percentile,\n"
            "# 3t+1 the 95th percentile over replications, in users. Read from\n"
            "# histograms with %d bins per decade: exact to a factor 10^(1/%d).\n",
            OSIM_SERIES_USERS_PER_DECADE, OSIM_SERIES_USERS_PER_DECADE);
    if (s == NULL)
        return 0;
    for (k = 0; k < s->steps; k++) {
        fprintf(f, "%.6g", ((double)k + 0.5) * s->step_h);
        for (t = 0; t < s->topologies_count; t++)
            fprintf(f, " %.6g %.6g %.6g", osim_series_users_quantile(s, t, k, 0.5),
                    osim_series_users_quantile(s, t, k, 0.05),
                    osim_series_users_quantile(s, t, k, 0.95));
        fputc('\n', f);
    }
    return 0;
}

static int write_systems(FILE *f, void *ud)
{
    ctx *c = ud;
    const osim_series *s = c->s;
    size_t t, k;

    fprintf(f,
            "# systems_back.dat -- the share of all systems back at each moment (a system\n"
            "# is back when it serves on its own; every service weighs by its systems).\n"
            "# Column 1: days since ignition (grid point); then per topology t\n"
            "# (vars.gp topology[t]): column 3t-1 the mean, 3t the 5th percentile,\n"
            "# 3t+1 the 95th percentile over replications, as fractions 0..1.\n"
            "# Percentiles are read from histograms of %d bins: exact to 1/%d.\n",
            OSIM_SERIES_SYSTEM_BINS, OSIM_SERIES_SYSTEM_BINS);
    if (s == NULL)
        return 0;
    for (k = 0; k < s->steps; k++) {
        fprintf(f, "%.6g", ((double)k + 0.5) * s->step_h / 24.0);
        for (t = 0; t < s->topologies_count; t++) {
            if (s->reps[t] == 0) {
                fputs(" 1 1 1", f);
                continue;
            }
            fprintf(f, " %.6g %.6g %.6g", osim_series_systems_mean(s, t, k),
                    osim_series_systems_quantile(s, t, k, 0.05),
                    osim_series_systems_quantile(s, t, k, 0.95));
        }
        fputc('\n', f);
    }
    return 0;
}

/* Per-business loss: the CDF at the bin edges, and exact shares at the marks. */
static int write_business(FILE *f, void *ud)
{
    ctx *c = ud;
    const osim_series *s = c->s;
    size_t t, b;

    fprintf(f,
            "# loss-per-business.dat -- the loss of one affected small business over the\n"
            "# whole outage (after substitution and deferral), all segments together,\n"
            "# pooled over replications (each weighted by its expected number of\n"
            "# affected businesses). One block per topology (gnuplot index t-1).\n"
            "# Columns: 1 loss in whole %s (upper edge of a bin; %d bins per decade)\n"
            "#   2 share of affected businesses with a loss at most column 1\n"
            "#   3 mean number of affected businesses per replication (whole block)\n",
            cur_of(c->r)->code, OSIM_SERIES_LOSS_PER_DECADE);
    if (s == NULL)
        return 0;
    for (t = 0; t < s->topologies_count; t++) {
        const uint64_t *h = s->loss + t * OSIM__LB;
        double tot = 0.0, cum = 0.0, mean_aff;
        size_t lo = OSIM__LB, hi = 0;
        if (t > 0)
            fputs("\n\n", f);
        for (b = 0; b < OSIM__LB; b++)
            tot += (double)h[b];
        mean_aff = s->reps[t] ? tot / OSIM_SERIES_LOSS_UNIT / (double)s->reps[t] : 0.0;
        if (tot <= 0.0) {
            /* No affected business: one point that plots nothing on a log axis. */
            fprintf(f, "0 1 0\n");
            continue;
        }
        /* The shown range: from the bin before the first 0.05% of mass to the
         * bin where 99.95% is reached (a log axis cannot show 0 won). */
        for (b = 1; b < OSIM__LB; b++) {
            cum += (double)h[b - 1];
            if (lo == OSIM__LB && cum + (double)h[b] > 0.0005 * tot)
                lo = b - 1 > 0 ? b - 1 : 1;
            if (cum + (double)h[b] >= 0.9995 * tot) {
                hi = b;
                break;
            }
        }
        if (hi == 0)
            hi = OSIM__LB - 1;
        if (lo > hi)
            lo = hi;
        cum = 0.0;
        for (b = 0; b <= hi; b++) {
            cum += (double)h[b];
            if (b >= lo)
                fprintf(f, "%.6g %.6g %.6g\n", osim__series_loss_hi(b), cum / tot, mean_aff);
        }
    }
    return 0;
}

/* vars for the marks: per topology the exact share above each mark. */
static int write_mark_vars(FILE *f, ctx *c)
{
    const osim_series *s = c->s;
    size_t t, m, b;

    if (s == NULL || s->marks_count == 0)
        return 0;
    fprintf(f, "\n# Share of affected businesses whose loss is above mark_money[m], topology t:\n"
               "# above_mark[(t-1)*nmarks + m] (exact, not read from the bins).\n");
    fprintf(f, "array above_mark[%zu]\n", s->topologies_count * s->marks_count);
    for (t = 0; t < s->topologies_count; t++) {
        double tot = 0.0;
        for (b = 0; b < OSIM__LB; b++)
            tot += (double)s->loss[t * OSIM__LB + b];
        for (m = 0; m < s->marks_count; m++) {
            double below = (double)s->below[t * OSIM_SERIES_MAX_MARKS + m];
            double above = tot > 0.0 ? 1.0 - below / tot : 0.0;
            fprintf(f, "above_mark[%zu] = %.6g\n", t * s->marks_count + m + 1,
                    above < 0.0 ? 0.0 : above);
        }
    }
    return 0;
}

/* A share as a percentage for a sentence: "4.8%", "<0.1%", "0%". */
static void pct(char *buf, size_t n, double x)
{
    if (x <= 0.0)
        snprintf(buf, n, "0%%");
    else if (x < 0.0005)
        snprintf(buf, n, "<0.1%%");
    else
        snprintf(buf, n, "%.1f%%", 100.0 * x);
}

/* Per topology, one sentence under the per-business panel: how many
 * businesses were affected and what share lost more than each mark. */
static int write_business_lines(FILE *f, ctx *c)
{
    const osim_series *s = c->s;
    size_t t, m, b;
    int rc = 0;

    if (s == NULL)
        return 0;
    fprintf(f, "\n# Mean number of affected businesses per replication, topology t.\n");
    fprintf(f, "array affected_businesses[%zu]\n", s->topologies_count);
    for (t = 0; t < s->topologies_count; t++) {
        double tot = 0.0;
        for (b = 0; b < OSIM__LB; b++)
            tot += (double)s->loss[t * OSIM__LB + b];
        fprintf(f, "affected_businesses[%zu] = %.6g\n", t + 1,
                s->reps[t] ? tot / OSIM_SERIES_LOSS_UNIT / (double)s->reps[t] : 0.0);
    }
    fprintf(f, "\n# One line per topology for the business-loss figure.\n");
    fprintf(f, "array business_line[%zu]\n", s->topologies_count);
    for (t = 0; t < s->topologies_count && rc == 0; t++) {
        double tot = 0.0, mean;
        char line[1024], num[OSIM_MONEY_BUF], p[32], el[64];
        size_t o;
        for (b = 0; b < OSIM__LB; b++)
            tot += (double)s->loss[t * OSIM__LB + b];
        mean = s->reps[t] ? tot / OSIM_SERIES_LOSS_UNIT / (double)s->reps[t] : 0.0;
        if (!(mean >= 0.5)) {
            o = (size_t)snprintf(line, sizeof(line), "%s: no business affected", s->topologies[t]);
        } else {
            o = (size_t)snprintf(line, sizeof(line), "%s: %s businesses affected on average",
                                 s->topologies[t], osim_money_digits(num, sizeof(num), mean, NULL));
            for (m = 0; m < s->marks_count && o < sizeof(line); m++) {
                double below = (double)s->below[t * OSIM_SERIES_MAX_MARKS + m];
                pct(p, sizeof(p), tot > 0.0 ? 1.0 - below / tot : 0.0);
                o += (size_t)snprintf(
                    line + o, sizeof(line) - o,
                    m == 0 ? "; %s of them lost more than %s" : ", %s more than %s", p,
                    osim_money_text(num, sizeof(num), s->marks_krw[m], cur_of(c->r)));
            }
        }
        snprintf(el, sizeof(el), "business_line[%zu]", t + 1);
        rc = osim__gp_assign(f, el, line, 200);
    }
    return rc;
}

/* ------------------------------------------------------------ row data */

/* An empirical CDF of c->vals (scaled by `scale`): points (x, share <= x). */
static void write_cdf_block(FILE *f, ctx *c, double scale)
{
    size_t i, n = c->n;

    if (n == 0) {
        fprintf(f, "0 0\n");
        return;
    }
    qsort(c->vals, n, sizeof(double), cmp_double);
    fprintf(f, "%.10g 0\n", c->vals[0] * scale);
    if (n <= CDF_POINTS) {
        for (i = 0; i < n; i++)
            fprintf(f, "%.10g %.10g\n", c->vals[i] * scale, (double)(i + 1) / (double)n);
        return;
    }
    /* Quantiles at CDF_POINTS evenly spaced probabilities (type 7). */
    for (i = 1; i <= CDF_POINTS; i++) {
        double q = (double)i / CDF_POINTS, h = (double)(n - 1) * q;
        size_t j = (size_t)floor(h);
        double x = j + 1 < n ? c->vals[j] + (h - (double)j) * (c->vals[j + 1] - c->vals[j])
                             : c->vals[n - 1];
        fprintf(f, "%.10g %.10g\n", x * scale, q);
    }
}

static int write_recovery(FILE *f, void *ud)
{
    ctx *c = ud;
    long m = metric(c->r, OSIM_MG_TOPOLOGY, "full_recovery_h", 0);
    size_t t;

    fprintf(f, "# recovery-cdf.dat -- time to full recovery (every service back to full\n"
               "# availability for good), one block per topology (gnuplot index t-1).\n"
               "# Columns: 1 hours since ignition  2 share of replications recovered by then\n"
               "# A replication that never recovers within the horizon counts at the horizon.\n");
    if (m < 0)
        return osim_diag_set(c->diag, OSIM_EINVAL, NULL, 0, 0, "results lack full_recovery_h");
    for (t = 0; t < c->T; t++) {
        if (t > 0)
            fputs("\n\n", f);
        column(c, t, (size_t)m);
        write_cdf_block(f, c, 1.0);
    }
    return 0;
}

static int write_revenue(FILE *f, void *ud)
{
    ctx *c = ud;
    long m = metric(c->r, OSIM_MG_SMALL_BUSINESS, "revenue_loss_money", 0);
    size_t t;

    fprintf(f,
            "# revenue-loss.dat -- total small-business revenue loss of one incident\n"
            "# (all segments, after substitution and deferral), one block per topology.\n"
            "# Columns: 1 loss in %s  2 share of replications with at\n"
            "# most that loss\n",
            cur_of(c->r)->figure_long);
    if (m < 0)
        return osim_diag_set(c->diag, OSIM_EINVAL, NULL, 0, 0,
                             "results lack small_business.revenue_loss_money");
    for (t = 0; t < c->T; t++) {
        if (t > 0)
            fputs("\n\n", f);
        column(c, t, (size_t)m);
        write_cdf_block(f, c, 1.0 / cur_of(c->r)->figure_size);
    }
    return 0;
}

/* The smallest positive figure of compensation.dat (figure unit), or 0 if none. */
static int compensation_min(ctx *c, double *lo)
{
    const osim_mc_result *r = c->r;
    size_t p, t;
    int rc;

    *lo = 0.0;
    for (p = 0; p < r->policies_count; p++) {
        long m = metric(r, OSIM_MG_COMP, "total_money", p);
        if (m < 0)
            continue;
        for (t = 0; t < c->T; t++) {
            osim_stats st;
            double v[3];
            size_t k;
            column(c, t, (size_t)m);
            if ((rc = summary(c, &st)) != 0)
                return rc;
            v[0] = st.p5 / cur_of(r)->figure_size;
            v[1] = st.p50 / cur_of(r)->figure_size;
            v[2] = st.p95 / cur_of(r)->figure_size;
            for (k = 0; k < 3; k++)
                if (v[k] > 0.0 && (*lo == 0.0 || v[k] < *lo))
                    *lo = v[k];
        }
    }
    return 0;
}

static int write_compensation(FILE *f, void *ud)
{
    ctx *c = ud;
    const osim_mc_result *r = c->r;
    size_t p, t;
    int rc;

    const double size = cur_of(r)->figure_size;

    fprintf(f,
            "# compensation.dat -- total cost of each compensation policy per incident.\n"
            "# One row per policy (vars.gp policy[p]); column 1 the policy number; then\n"
            "# per topology t: column 3t-1 the median, 3t the 5th and 3t+1 the 95th\n"
            "# percentile over replications, in %s.\n",
            cur_of(r)->figure_long);
    for (p = 0; p < r->policies_count; p++) {
        long m = metric(r, OSIM_MG_COMP, "total_money", p);
        if (m < 0)
            return osim_diag_set(c->diag, OSIM_EINVAL, NULL, 0, 0,
                                 "results lack the total of policy %s", r->policies[p].name);
        fprintf(f, "%zu", p + 1);
        for (t = 0; t < c->T; t++) {
            osim_stats st;
            column(c, t, (size_t)m);
            if ((rc = summary(c, &st)) != 0)
                return rc;
            fprintf(f, " %.8g %.8g %.8g", st.p50 / size, st.p5 / size, st.p95 / size);
        }
        fputc('\n', f);
    }
    return 0;
}

static int write_designs(FILE *f, void *ud)
{
    ctx *c = ud;
    const osim_mc_result *r = c->r;
    long uh = metric(r, OSIM_MG_USERS, "user_hours_lost", 0);
    size_t t, i, sv;
    int rc;

    fprintf(f,
            "# designs.dat -- the designs side by side, one row per topology t\n"
            "# (vars.gp topology[t]). Columns:\n"
            "#   1 t\n"
            "#   2-4 mean downtime of a service (hours; the average over the %zu services\n"
            "#       of each one's downtime, the integral of 1 - availability): median,\n"
            "#       5th and 95th percentile over replications\n"
            "#   5-7 distinct-user hours lost (millions): median, 5th, 95th percentile\n"
            "#   8 expected annual loss (%s per year: incident probability x mean cost\n"
            "#     of an incident, lost revenue plus compensation)\n"
            "#   9 annual cost of the design (%s per year)\n"
            "#   10 mean cost of one incident (%s)\n",
            r->services_count, cur_of(r)->figure_unit, cur_of(r)->figure_unit,
            cur_of(r)->figure_unit);
    if (uh < 0)
        return osim_diag_set(c->diag, OSIM_EINVAL, NULL, 0, 0,
                             "results lack users.user_hours_lost");
    for (t = 0; t < c->T; t++) {
        osim_stats dt, us;
        for (i = 0; i < c->n; i++) {
            double sum = 0.0;
            for (sv = 0; sv < r->services_count; sv++) {
                long m = metric(r, OSIM_MG_SERVICE, "downtime_h", sv);
                if (m >= 0)
                    sum += r->values[(i * c->T + t) * c->M + (size_t)m];
            }
            c->vals[i] = r->services_count ? sum / (double)r->services_count : 0.0;
        }
        if ((rc = summary(c, &dt)) != 0)
            return rc;
        column(c, t, (size_t)uh);
        if ((rc = summary(c, &us)) != 0)
            return rc;
        fprintf(f, "%zu %.8g %.8g %.8g %.8g %.8g %.8g %.8g %.8g %.8g\n", t + 1, dt.p50, dt.p5,
                dt.p95, us.p50 / 1e6, us.p5 / 1e6, us.p95 / 1e6,
                r->economics[t].expected_annual_loss_krw / cur_of(r)->figure_size,
                r->economics[t].annual_cost_krw / cur_of(r)->figure_size,
                r->economics[t].mean_incident_cost_krw / cur_of(r)->figure_size);
    }
    return 0;
}

/* ------------------------------------------------------------ risk */

/* The operator's risk summary of design t (measure 0 of the catalogue). */
static const osim_risk_summary *risk_of(const osim_catalogue_result *k, size_t t)
{
    return &k->risk[t * k->measures_count];
}

/* exceedance.dat: the aggregate and occurrence curves of every design
 * (risk.h's format 1), in the figure unit. */
static int write_exceedance(FILE *f, void *ud)
{
    ctx *c = ud;
    const osim_catalogue_result *k = c->r->catalogue;
    size_t t;
    int rc;

    if ((rc = osim_risk_write_dat_header(f, OSIM_CATALOGUE_OPERATOR, risk_of(k, 0))) != 0)
        return rc;
    fprintf(f, "# money: %s\n", cur_of(c->r)->figure_long);
    for (t = 0; t < k->topologies_count && rc == 0; t++)
        rc = osim_risk_write_dat(f, k->topologies[t], risk_of(k, t), cur_of(c->r)->figure_size,
                                 t == 0);
    return rc;
}

/* exceedance-rp.dat: per design, the aggregate loss at the marked return
 * periods (10 .. 1,000 years) with its distribution-free 95% interval. */
static int write_exceedance_rp(FILE *f, void *ud)
{
    ctx *c = ud;
    const osim_catalogue_result *k = c->r->catalogue;
    double size = cur_of(c->r)->figure_size;
    size_t t, j;

    fprintf(f,
            "# exceedance-rp.dat -- aggregate annual loss (the operator's cost) at the\n"
            "# return periods of the risk table, one block per design (vars.gp topology[t]).\n"
            "# Columns: 1 return period (years)  2 loss  3-4 its 95%% interval, in %s\n",
            cur_of(c->r)->figure_long);
    for (t = 0; t < k->topologies_count; t++) {
        const osim_risk_summary *s = risk_of(k, t);
        if (t > 0)
            fputs("\n\n", f);
        for (j = 0; j < OSIM_RISK_RP_COUNT; j++)
            fprintf(f, "%.10g %.10g %.10g %.10g\n", osim_risk_return_periods_y[j],
                    s->aep[j].loss / size, s->aep[j].ci95_low / size, s->aep[j].ci95_high / size);
    }
    return ferror(f) ? OSIM_EIO : 0;
}

/* vars.gp for the exceedance figure: the year table's size, the range of
 * positive losses (log axis), each design's average annual loss as text,
 * and the catalogue in one line. Only for a catalogue's result. */
static int vars_risk(FILE *f, ctx *c)
{
    const osim_catalogue_result *k = c->r->catalogue;
    const osim_currency *cur = cur_of(c->r);
    double lo = 0.0, hi = 0.0;
    char line[1024], num[OSIM_MONEY_BUF], el[64];
    size_t t, j, o = 0;
    int rc = 0;

    fprintf(f, "\n# The risk of a year (a catalogue of %zu incidents).\n", k->incidents_count);
    fprintf(f, "have_risk = 1\nrisk_years = %zu\n", k->years);
    for (t = 0; t < k->topologies_count; t++) {
        const osim_risk_summary *s = risk_of(k, t);
        for (j = 0; j < s->curve_count; j++) {
            double v = s->curve[j].aep / cur->figure_size;
            if (v > 0.0 && (lo == 0.0 || v < lo))
                lo = v;
            if (v > hi)
                hi = v;
        }
    }
    fprintf(f, "# Smallest and largest positive aggregate loss on the curves (%s; 0: none).\n",
            cur->figure_unit);
    fprintf(f, "risk_lo_fig = %.10g\nrisk_hi_fig = %.10g\n", lo, hi);
    fprintf(f, "array risk_any[%zu]\n", k->topologies_count);
    for (t = 0; t < k->topologies_count; t++)
        fprintf(f, "risk_any[%zu] = %d\n", t + 1, risk_of(k, t)->max_year_loss > 0.0);
    fprintf(f, "array risk_aal[%zu]\n", k->topologies_count);
    for (t = 0; t < k->topologies_count && rc == 0; t++) {
        snprintf(el, sizeof(el), "risk_aal[%zu]", t + 1);
        rc = osim__gp_assign(
            f, el, osim_money_format_compact(num, sizeof(num), risk_of(k, t)->aal, cur), 0);
    }
    for (j = 0; j < k->incidents_count && o < sizeof(line); j++)
        o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s %g/yr",
                              j ? ", " : "incidents: ", k->incidents[j], k->frequency[j]);
    if (rc == 0)
        rc = osim__gp_assign(f, "risk_incidents", line, 200);
    return rc;
}

/* ------------------------------------------------------------ files */

/* dir/name from one of the writers above (atomically). */
static int write_file(ctx *c, const char *dir, const char *name, osim_atomic_fill fn)
{
    return osim_atomic_write(dir, name, fn, c, c->diag);
}

/* Per topology, 1 when the total small-business loss is 0 in every
 * replication (a log axis cannot show it); and the smallest and largest
 * positive total over all topologies (figure unit; 0 when there is none), which
 * set the range of the business-loss figure's right panel. */
static int write_zero_flags(FILE *f, ctx *c)
{
    long m = metric(c->r, OSIM_MG_SMALL_BUSINESS, "revenue_loss_money", 0);
    double lo = 0.0, hi = 0.0;
    size_t t, i;

    for (t = 0; m >= 0 && t < c->T; t++)
        for (i = 0; i < c->n; i++) {
            double v = c->r->values[(i * c->T + t) * c->M + (size_t)m] / cur_of(c->r)->figure_size;
            if (v > 0.0 && (lo == 0.0 || v < lo))
                lo = v;
            if (v > hi)
                hi = v;
        }
    fprintf(f,
            "\n# Smallest and largest positive total small-business loss (%s; 0: none).\n"
            "sb_loss_lo_fig = %.10g\nsb_loss_hi_fig = %.10g\n",
            cur_of(c->r)->figure_unit, lo, hi);

    fprintf(f, "\n# 1 when topology t never caused a small-business loss.\n");
    fprintf(f, "array no_sb_loss[%zu]\n", c->T);
    for (t = 0; t < c->T; t++) {
        int zero = 1;
        for (i = 0; m >= 0 && i < c->n && zero; i++)
            zero = !(c->r->values[(i * c->T + t) * c->M + (size_t)m] > 0.0);
        fprintf(f, "no_sb_loss[%zu] = %d\n", t + 1, zero);
    }
    return 0;
}

static int vars_all(FILE *f, void *ud)
{
    ctx *c = ud;
    double lo;
    int rc = write_vars(f, c);

    if (rc == 0 && c->r->catalogue != NULL)
        rc = vars_risk(f, c);
    if (rc == 0)
        rc = write_mark_vars(f, c);
    if (rc == 0)
        rc = write_business_lines(f, c);
    if (rc == 0)
        rc = write_zero_flags(f, c);
    if (rc == 0)
        rc = compensation_min(c, &lo);
    if (rc == 0)
        fprintf(f,
                "\n# The smallest positive figure of compensation.dat (%s; 0: none).\n"
                "comp_min_fig = %.8g\n",
                cur_of(c->r)->figure_unit, lo);
    return rc;
}

int osim_figures_prepare(const osim_mc_result *r, const osim_series *s, const char *scripts_dir,
                         const char *plot_dir, osim_diag *diag)
{
    ctx c;
    size_t i;
    char name[64];
    int rc;

    if (r == NULL || scripts_dir == NULL || plot_dir == NULL || r->stats == NULL ||
        r->economics == NULL)
        return OSIM_EINVAL;
    /* The figures read the rows directly (distributions): in memory only. */
    if (r->spill != NULL || r->values == NULL)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "plot: the figures need the rows in memory, and this result keeps "
                             "them on disk");
    memset(&c, 0, sizeof(c));
    c.r = r;
    c.s = s;
    c.T = r->topologies_count;
    c.M = r->metrics_count;
    c.n = (size_t)(r->to - r->from);
    c.diag = diag;
    if ((rc = series_matches(&c)) != 0)
        return rc;
    c.work = malloc((c.n + 1) * sizeof(double));
    c.vals = malloc((c.n + 1) * sizeof(double));
    if (c.work == NULL || c.vals == NULL) {
        rc = OSIM_ENOMEM;
        goto done;
    }
    if ((rc = osim_mkdir_p(plot_dir, diag)) != 0)
        goto done;
    if ((rc = osim_plot_copy_script(scripts_dir, plot_dir, "common.gp", diag)) != 0)
        goto done;
    for (i = 0; i < OSIM_FIGURES_COUNT; i++) {
        snprintf(name, sizeof(name), "%s.gp", figures[i]);
        if ((rc = osim_plot_copy_script(scripts_dir, plot_dir, name, diag)) != 0)
            goto done;
    }
    if ((rc = write_file(&c, plot_dir, "timeline.dat", write_timeline)) != 0 ||
        (rc = write_file(&c, plot_dir, "affected-users.dat", write_users)) != 0 ||
        (rc = write_file(&c, plot_dir, "systems_back.dat", write_systems)) != 0 ||
        (rc = write_file(&c, plot_dir, "loss-per-business.dat", write_business)) != 0 ||
        (rc = write_file(&c, plot_dir, "recovery-cdf.dat", write_recovery)) != 0 ||
        (rc = write_file(&c, plot_dir, "revenue-loss.dat", write_revenue)) != 0 ||
        (rc = write_file(&c, plot_dir, "compensation.dat", write_compensation)) != 0 ||
        (rc = write_file(&c, plot_dir, "designs.dat", write_designs)) != 0 ||
        (rc = write_file(&c, plot_dir, "vars.gp", vars_all)) != 0)
        goto done;
    /* A catalogue's run: the exceedance curves of every design. */
    if (r->catalogue != NULL &&
        ((rc = osim_plot_copy_script(scripts_dir, plot_dir, OSIM_FIGURES_EXCEEDANCE ".gp", diag)) !=
             0 ||
         (rc = write_file(&c, plot_dir, "exceedance.dat", write_exceedance)) != 0 ||
         (rc = write_file(&c, plot_dir, "exceedance-rp.dat", write_exceedance_rp)) != 0))
        goto done;
done:
    free(c.work);
    free(c.vals);
    return rc;
}
