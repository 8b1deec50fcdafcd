/*
 * report_csv.c -- summary.csv, replications.csv, and the output directory.
 *
 * Invariant: replications.csv is the text codec of the result's row
 * block (rows.h): every value at 17 significant digits, which strtod reads
 * back to the same double; so a result loaded from it (load.c) summarises
 * to the same bits as the run that wrote it. summary.csv holds the display
 * figures, rounded exactly like the JSON document, then per topology its
 * economics (economics.* rows: the numbers of results.json's "economics",
 * the percentile columns empty). Fields are RFC 4180:
 * quoted when they contain a comma, a quote or a line break.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outagesim/atomic_file.h"
#include "outagesim/catalogue.h"
#include "outagesim/money.h"
#include "outagesim/report.h"
#include "report/report_int.h"

int osim__report_figure(char *buf, size_t n, double x, bool money)
{
    if (money) {
        long long v;
        if (osim__report_krw(x, &v) != 0)
            return OSIM_ERANGE;
        snprintf(buf, n, "%lld", v);
        return 0;
    }
    if (!isfinite(x))
        return OSIM_ERANGE;
    snprintf(buf, n, "%.12g", osim__report_round12(x));
    return 0;
}

/* ------------------------------------------------------------ economics rows */

/* The economics figures of a topology, in the order of summary.csv and
 * sweep.csv (osim_mc_economics, mc.h). */
static const struct {
    const char *name, *unit;
    bool money;
} econ[OSIM__ECON_COUNT] = {
    {"economics.mean_incident_cost_money", "money", true},
    {"economics.expected_annual_loss_money", "money/year", true},
    {"economics.annual_cost_money", "money/year", true},
    {"economics.net_annual_benefit_money", "money/year", true},
    {"economics.pays_for_itself", "1 = yes", false},
    {"economics.break_even_probability", "per year", false},
};

int osim__report_econ_figure(const osim_mc_result *r, size_t t, int k, double *v, double *lo,
                             double *hi, const char **name, const char **unit)
{
    const osim_mc_economics *e = &r->economics[t];

    if (k < 0 || k >= OSIM__ECON_COUNT)
        return OSIM_EINVAL;
    *name = econ[k].name;
    *unit = econ[k].unit;
    *lo = *hi = NAN;
    switch (k) {
    case OSIM__ECON_MEAN_COST: {
        long m = osim_mc_result_metric_index(r, "incident_cost_money");
        *v = e->mean_incident_cost_krw;
        /* A catalogue's mean is over its incidents, weighted by frequency:
         * the first incident's interval is not its interval, so none is
         * given (risk.aal_money carries the catalogue's). */
        if (m >= 0 && r->catalogue == NULL) {
            *lo = osim_mc_result_stats(r, t, (size_t)m)->ci95_low;
            *hi = osim_mc_result_stats(r, t, (size_t)m)->ci95_high;
        }
        break;
    }
    case OSIM__ECON_EAL: *v = e->expected_annual_loss_krw; break;
    case OSIM__ECON_ANNUAL_COST: *v = e->annual_cost_krw; break;
    case OSIM__ECON_NET:
        *v = e->has_baseline ? e->net_annual_benefit_krw : NAN;
        if (e->has_baseline) {
            *lo = e->net_ci95_low_krw;
            *hi = e->net_ci95_high_krw;
        }
        break;
    case OSIM__ECON_PAYS:
        /* As results.json's pays_for_itself: null (empty) without a baseline. */
        *v = e->has_baseline ? (e->net_annual_benefit_krw > 0.0 ? 1.0 : 0.0) : NAN;
        break;
    default:
        *v = e->pays == OSIM_PAYS_ABOVE || e->pays == OSIM_PAYS_BELOW ? e->break_even_probability
                                                                      : NAN;
        if (e->pays == OSIM_PAYS_ABOVE)
            *unit = "per year; pays above";
        else if (e->pays == OSIM_PAYS_BELOW)
            *unit = "per year; pays below";
        break;
    }
    return 0;
}

int osim__report_figure_cell(FILE *f, double x, bool money)
{
    char buf[64];

    fputc(',', f);
    if (isnan(x))
        return 0;
    if (osim__report_figure(buf, sizeof(buf), x, money) != 0)
        return OSIM_ERANGE;
    fputs(buf, f);
    return 0;
}

int osim__report_stats_cells(FILE *f, const osim_metric *x, const osim_stats *s,
                             const osim_currency *cur)
{
    const double v[8] = {s->mean, s->ci95_low, s->ci95_high, s->p5, s->p50, s->p95, s->min, s->max};
    bool money = osim__report_is_money(x->unit);
    char unit[64];
    size_t k;

    fprintf(f, ",%s,%zu", osim_money_unit(unit, sizeof(unit), x->unit, cur), s->n);
    for (k = 0; k < 8; k++)
        if (osim__report_figure_cell(f, v[k], money) != 0)
            return OSIM_ERANGE;
    return 0;
}

int osim__report_econ_row(FILE *f, const osim_mc_result *r, size_t t, int k)
{
    const char *name, *unit;
    char shown[64];
    double v, lo, hi;
    int rc;

    if ((rc = osim__report_econ_figure(r, t, k, &v, &lo, &hi, &name, &unit)) != 0)
        return rc;
    osim__csv_field(f, r->topologies[t]);
    fputc(',', f);
    osim__csv_field(f, name);
    fputc(',', f);
    osim__csv_field(f, osim_money_unit(shown, sizeof(shown), unit, osim__report_currency(r)));
    fprintf(f, ",%llu", (unsigned long long)(r->to - r->from));
    if (osim__report_figure_cell(f, v, econ[k].money) != 0 ||
        osim__report_figure_cell(f, lo, econ[k].money) != 0 ||
        osim__report_figure_cell(f, hi, econ[k].money) != 0)
        return OSIM_ERANGE;
    fputs(",,,,,\n", f);
    return 0;
}

/* One risk.* row: name, unit, n (simulated years), value and its interval
 * (NAN: empty), the quantile columns empty. */
static int risk_row(FILE *f, const osim_mc_result *r, size_t t, const char *name, const char *unit,
                    size_t n, double v, double lo, double hi)
{
    char shown[64];

    osim__csv_field(f, r->topologies[t]);
    fputc(',', f);
    osim__csv_field(f, name);
    fputc(',', f);
    osim__csv_field(f, osim_money_unit(shown, sizeof(shown), unit, osim__report_currency(r)));
    fprintf(f, ",%zu", n);
    if (osim__report_figure_cell(f, v, true) != 0 || osim__report_figure_cell(f, lo, true) != 0 ||
        osim__report_figure_cell(f, hi, true) != 0)
        return OSIM_ERANGE;
    fputs(",,,,,\n", f);
    return 0;
}

/*
 * A catalogue's risk of a year for design t (results.json's risk block,
 * the operator's measure): risk.aal_money with its interval, the aggregate
 * loss at each return period (risk.aep_<T>y_money, with the quantile's
 * interval) and the tail value at risk (risk.tvar_<1/a>y_money: the mean
 * of the worst a of years). n is the number of simulated years.
 */
static int risk_rows(FILE *f, const osim_mc_result *r, size_t t)
{
    const osim_catalogue_result *k = r->catalogue;
    const osim_risk_summary *s;
    char name[64];
    size_t j;
    int rc;

    if (k == NULL || t >= k->topologies_count)
        return 0;
    s = &k->risk[t * k->measures_count];
    if ((rc = risk_row(f, r, t, "risk.aal_money", "money/year", s->n_years, s->aal, s->aal_ci95_low,
                       s->aal_ci95_high)) != 0)
        return rc;
    for (j = 0; j < OSIM_RISK_RP_COUNT; j++) {
        snprintf(name, sizeof(name), "risk.aep_%.0fy_money", osim_risk_return_periods_y[j]);
        if ((rc = risk_row(f, r, t, name, "money", s->n_years, s->aep[j].loss, s->aep[j].ci95_low,
                           s->aep[j].ci95_high)) != 0)
            return rc;
    }
    for (j = 0; j < OSIM_RISK_TVAR_COUNT; j++) {
        snprintf(name, sizeof(name), "risk.tvar_%.0fy_money", 1.0 / osim_risk_tvar_levels[j]);
        if ((rc = risk_row(f, r, t, name, "money", s->n_years, s->tvar[j], NAN, NAN)) != 0)
            return rc;
    }
    return 0;
}

int osim_report_summary_csv(const osim_mc_result *r, FILE *f, osim_diag *diag)
{
    size_t t, m;
    int ek;

    /* The first line of both CSV files: which run this is (rows.h). */
    if (r->rows == NULL || r->rows->from != r->from || r->rows->to != r->to)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "the result has not been summarised");
    osim_rows_write_provenance(r->rows, f);
    fputs("topology,metric,unit,n,mean,ci95_low,ci95_high,p5,p50,p95,min,max\n", f);
    for (t = 0; t < r->topologies_count; t++) {
        for (m = 0; m < r->metrics_count; m++) {
            const osim_metric *x = &r->metrics[m];
            const osim_stats *s = osim_mc_result_stats(r, t, m);
            osim__csv_field(f, r->topologies[t]);
            fputc(',', f);
            osim__csv_field(f, x->name);
            if (osim__report_stats_cells(f, x, s, osim__report_currency(r)) != 0)
                return osim_diag_set(diag, OSIM_ERANGE, NULL, 0, 0, "%s under %s is out of range",
                                     x->name, r->topologies[t]);
            fputc('\n', f);
        }
        /* Then the economics of the topology (as results.json has them);
         * the quantile columns do not apply and are empty. */
        for (ek = 0; ek < OSIM__ECON_COUNT; ek++)
            if (osim__report_econ_row(f, r, t, ek) != 0)
                return osim_diag_set(diag, OSIM_ERANGE, NULL, 0, 0,
                                     "the economics of %s are out of range", r->topologies[t]);
        if (risk_rows(f, r, t) != 0)
            return osim_diag_set(diag, OSIM_ERANGE, NULL, 0, 0,
                                 "the risk of a year of %s is out of range", r->topologies[t]);
    }
    if (ferror(f))
        return osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write summary.csv");
    return 0;
}

/* The rows' text codec (rows.h): the same lines for a run, a merge and a load. */
int osim_report_replications_csv(const osim_mc_result *r, FILE *f, osim_diag *diag)
{
    return osim_mc_result_write_rows(r, f, diag);
}

typedef int (*writer_fn)(const osim_mc_result *, FILE *, osim_diag *);

/* Render into a temporary file and flush it to disk, without renaming. */
static int prepare_one(const osim_mc_result *r, const char *dir, const char *name, writer_fn fn,
                       osim_atomic_file *af, osim_diag *diag)
{
    int rc;

    if ((rc = osim_atomic_open(af, dir, name, diag)) != 0)
        return rc;
    errno = 0;
    if ((rc = fn(r, af->f, diag)) != 0) {
        int e = errno;
        /* A write that failed: say why (a full disk), and which file. */
        if (ferror(af->f) && e != 0) {
            osim_diag_clear(diag); /* the renderer's "cannot write X" says less */
            return osim_diag_set(diag, OSIM_EIO, af->final_path, 0, 0, "cannot write: %s",
                                 strerror(e));
        }
        return rc;
    }
    if (fflush(af->f) != 0 || ferror(af->f) || fsync(fileno(af->f)) != 0)
        return osim_diag_set(diag, OSIM_EIO, af->final_path, 0, 0, "cannot write: %s",
                             strerror(errno != 0 ? errno : EIO));
    return 0;
}

const char *const osim_report_formats[] = {"table", "json", "csv", NULL};

int osim_report_write(const osim_mc_result *r, const char *format, FILE *f, osim_diag *diag)
{
    static const writer_fn fns[3] = {osim_report_table, osim_report_json, osim_report_summary_csv};
    size_t i;
    int rc;

    for (i = 0; i < 3 && strcmp(format, osim_report_formats[i]) != 0; i++)
        ;
    if (i == 3)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "unknown report format '%s'", format);
    if ((rc = fns[i](r, f, diag)) == 0 && fflush(f) != 0)
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write the report: %s",
                           strerror(errno));
    return rc;
}

/*
 * All three files or none: each is rendered and flushed to disk under a
 * temporary name first, and only when all three are complete are they
 * renamed into place. A figure that cannot be written or a full disk then
 * leaves DIR as it was -- never new rows beside an old results.json.
 */
static int write_dir(const osim_mc_result *r, const char *dir, bool rows, osim_diag *diag);

int osim_report_write_dir(const osim_mc_result *r, const char *dir, osim_diag *diag)
{
    return write_dir(r, dir, true, diag);
}

int osim_report_write_dir_no_rows(const osim_mc_result *r, const char *dir, osim_diag *diag)
{
    return write_dir(r, dir, false, diag);
}

static int write_dir(const osim_mc_result *r, const char *dir, bool rows, osim_diag *diag)
{
    static const char *const names[3] = {OSIM_REPORT_REPLICATIONS_CSV, OSIM_REPORT_SUMMARY_CSV,
                                         OSIM_REPORT_RESULTS_JSON};
    static const writer_fn fns[3] = {osim_report_replications_csv, osim_report_summary_csv,
                                     osim_report_json};
    osim_atomic_file af[3];
    size_t i;
    int rc;

    memset(af, 0, sizeof(af));
    if ((rc = osim_mkdir_p(dir, diag)) != 0)
        return rc;
    for (i = rows ? 0 : 1; i < 3; i++)
        if ((rc = prepare_one(r, dir, names[i], fns[i], &af[i], diag)) != 0)
            goto fail;
    /* The rows first and the document last: a reader that finds a
     * results.json finds the rows it summarises beside it. */
    for (i = rows ? 0 : 1; i < 3; i++)
        if ((rc = osim_atomic_commit(&af[i], diag)) != 0)
            goto fail;
    return 0;
fail:
    for (i = 0; i < 3; i++)
        osim_atomic_abort(&af[i]);
    return rc;
}
