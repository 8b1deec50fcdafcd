/*
 * table.c -- the result as tables for a terminal.
 *
 * Three tables: the outcome under each topology (median and 90% interval
 * of the key metrics), the legal summary (per topology and policy: legal
 * basis, claimants, median and 90% interval of the total, in whole units
 * of the currency with thousands separators and in its large unit, 억원
 * or €m), and the economics of redundancy
 * (which design pays for itself, and at what incident probability it
 * breaks even).
 *
 * Invariant: like every writer, a pure function of the result. Columns are
 * padded by display width, not bytes: Hangul syllables take two columns,
 * other code points one, so 억원 lines up.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "outagesim/catalogue.h"
#include "outagesim/money.h"
#include "outagesim/report.h"
#include "report/report_int.h"

/* Display width of UTF-8 text: Hangul and CJK wide, the rest narrow (a byte
 * that starts no valid sequence counts as one narrow column). */
size_t osim__report_display_width(const char *s)
{
    size_t w = 0, left = strlen(s);

    while (left > 0) {
        uint32_t cp = (unsigned char)*s;
        size_t len = osim__utf8_decode(s, left, &cp);
        if (len == 0)
            len = 1;
        s += len;
        left -= len;
        w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
                     (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
                     (cp >= 0xff00 && cp <= 0xff60)
                 ? 2
                 : 1;
    }
    return w;
}

/* Write s padded to width columns (left- or right-aligned), then a gap. */
static void cell(FILE *f, const char *s, size_t width, bool right)
{
    size_t w = osim__report_display_width(s), i;

    if (right)
        for (i = w; i < width; i++)
            fputc(' ', f);
    fputs(s, f);
    if (!right)
        for (i = w; i < width; i++)
            fputc(' ', f);
}

/*
 * The next line of s wrapped at width display columns: its length in bytes
 * (breaking at the last space that fits; a word longer than width stays
 * whole), with *next at the start of the following line. Text is wrapped,
 * never cut, so every word of a legal basis stays in the table.
 */
static size_t wrap_line(const char *s, size_t width, const char **next)
{
    size_t i = 0, brk = 0, w = 0;

    while (s[i] != '\0') {
        /* Whole characters only, so a line never ends inside a sequence. */
        size_t len = osim__utf8_decode(s + i, strlen(s + i), NULL);
        char one[5];
        if (len == 0)
            len = 1;
        memcpy(one, s + i, len);
        one[len] = '\0';
        if (s[i] == ' ')
            brk = i;
        w += osim__report_display_width(one);
        if (w > width && brk > 0) {
            *next = s + brk + 1;
            return brk;
        }
        i += len;
    }
    *next = s + i;
    return i;
}

/* A count or figure to show: 12 significant digits trimmed to 4. */
static char *short_num(char *buf, size_t n, double x)
{
    double a = fabs(x);

    if (!isfinite(x))
        snprintf(buf, n, "n/a");
    else if (a >= 1e9)
        snprintf(buf, n, "%.2fG", x / 1e9);
    else if (a >= 1e6)
        snprintf(buf, n, "%.2fM", x / 1e6);
    else if (a >= 1e4)
        snprintf(buf, n, "%.1fk", x / 1e3);
    else if (a >= 100 || a == 0.0)
        snprintf(buf, n, "%.0f", x);
    else
        snprintf(buf, n, "%.3g", x);
    return buf;
}

/* Money for a compact cell, the way tables of the currency write it (KRW:
 * 억원 from one 억 up, 만원 below that, plain won under one 만; EUR: €bn,
 * €m, whole euros). Each figure is rounded once (money.h), so it never
 * contradicts itself. */
static char *eok(char *buf, size_t n, double amount, const osim_currency *cur)
{
    return osim_money_format_compact(buf, n, amount, cur);
}

static const osim_stats *stat_of(const osim_mc_result *r, size_t t, const char *name)
{
    long m = osim_mc_result_metric_index(r, name);

    return m < 0 ? NULL : osim_mc_result_stats(r, t, (size_t)m);
}

/* ------------------------------------------------------------ grids */

#define GRID_COLS 8
#define GRID_CELL 160 /* a formatted figure; names and bases are copied whole */

/* A table of text cells (copied whole: a cell is never cut), sized from
 * its content when printed. */
typedef struct grid {
    char *(*cell)[GRID_COLS];
    size_t rows, cap, cols;
    bool right[GRID_COLS];
    int rc;
} grid;

static void grid_init(grid *g, size_t cols, const char *align)
{
    size_t c;

    memset(g, 0, sizeof(*g));
    g->cols = cols;
    for (c = 0; c < cols; c++)
        g->right[c] = align[c] == 'r';
}

/* Append a row of g->cols cells (NULL prints as empty). */
static void grid_row(grid *g, const char *const *cells)
{
    size_t c;

    if (g->rc != 0)
        return;
    if (g->rows == g->cap) {
        size_t nc = g->cap ? 2 * g->cap : 16;
        void *nv = realloc(g->cell, nc * sizeof(*g->cell));
        if (nv == NULL) {
            g->rc = OSIM_ENOMEM;
            return;
        }
        g->cell = nv;
        g->cap = nc;
    }
    for (c = 0; c < g->cols; c++)
        if ((g->cell[g->rows][c] = strdup(cells[c] != NULL ? cells[c] : "")) == NULL)
            g->rc = OSIM_ENOMEM;
    g->rows++;
}

/* Print with two spaces between columns, indented; the first row is the header. */
static int grid_print(grid *g, FILE *f, const char *indent)
{
    size_t w[GRID_COLS] = {0}, r, c;

    for (r = 0; r < g->rows && g->rc != 0; r++)
        for (c = 0; c < g->cols; c++)
            free(g->cell[r][c]);
    if (g->rc != 0) {
        free(g->cell);
        g->cell = NULL;
        return g->rc;
    }
    for (r = 0; r < g->rows; r++)
        for (c = 0; c < g->cols; c++)
            if (osim__report_display_width(g->cell[r][c]) > w[c])
                w[c] = osim__report_display_width(g->cell[r][c]);
    for (r = 0; r < g->rows; r++) {
        size_t n = g->cols;
        /* No trailing blanks: a continuation line ends at its last cell. */
        while (n > 1 && g->cell[r][n - 1][0] == '\0')
            n--;
        fputs(indent, f);
        for (c = 0; c < n; c++) {
            bool last = c + 1 == n;
            cell(f, g->cell[r][c], last && !g->right[c] ? 0 : w[c], g->right[c]);
            if (!last)
                fputs("  ", f);
        }
        fputc('\n', f);
    }
    for (r = 0; r < g->rows; r++)
        for (c = 0; c < g->cols; c++)
            free(g->cell[r][c]);
    free(g->cell);
    g->cell = NULL;
    return g->rc;
}

/* ------------------------------------------------------------ tables */

typedef struct stat_col {
    const char *metric, *title;
} stat_col;

/* One row per topology of the medians of cols, and their [5%–95%] below. */
static int stats_table(const osim_mc_result *r, FILE *f, const stat_col *cols, size_t nc)
{
    const osim_currency *cur = osim__report_currency(r);
    char med[GRID_COLS][GRID_CELL], iv[GRID_COLS][GRID_CELL];
    const char *row[GRID_COLS];
    size_t t, c;
    grid g;

    grid_init(&g, nc + 1, "lrrrrr");
    row[0] = "topology";
    for (c = 0; c < nc; c++)
        row[c + 1] = cols[c].title;
    grid_row(&g, row);
    for (t = 0; t < r->topologies_count; t++) {
        for (c = 0; c < nc; c++) {
            const osim_stats *s = stat_of(r, t, cols[c].metric);
            bool money = strstr(cols[c].metric, "_money") != NULL;
            char a[OSIM_MONEY_BUF], b[OSIM_MONEY_BUF];
            if (s == NULL) {
                snprintf(med[c], GRID_CELL, "-");
                iv[c][0] = '\0';
                continue;
            }
            if (money) {
                eok(med[c], GRID_CELL, s->p50, cur);
                snprintf(iv[c], GRID_CELL, "[%s–%s]", eok(a, sizeof(a), s->p5, cur),
                         eok(b, sizeof(b), s->p95, cur));
            } else {
                short_num(med[c], GRID_CELL, s->p50);
                snprintf(iv[c], GRID_CELL, "[%s–%s]", short_num(a, sizeof(a), s->p5),
                         short_num(b, sizeof(b), s->p95));
            }
        }
        row[0] = r->topologies[t];
        for (c = 0; c < nc; c++)
            row[c + 1] = med[c];
        grid_row(&g, row);
        row[0] = "";
        for (c = 0; c < nc; c++)
            row[c + 1] = iv[c];
        grid_row(&g, row);
    }
    return grid_print(&g, f, "");
}

static int outcome_table(const osim_mc_result *r, FILE *f)
{
    static const stat_col cols[] = {
        {"full_recovery_h", "full recovery (h)"},
        {"users.distinct_affected", "users affected"},
        {"users.user_hours_lost", "user-hours lost"},
        {"small_business.revenue_loss_money", "small-business loss"},
        {"incident_cost_money", "incident cost"},
    };

    fprintf(f, "Outcome by topology: median, and [5%%–95%%] below it, over %llu replications\n",
            (unsigned long long)(r->to - r->from));
    /* A catalogue's tables down to the economics are its first incident's. */
    if (r->catalogue != NULL && r->catalogue->incidents_count > 0)
        fprintf(
            f,
            "incident %s (first of the catalogue's %zu; the economics and risk below count all)\n",
            r->catalogue->incidents[0], r->catalogue->incidents_count);
    fputc('\n', f);
    return stats_table(r, f, cols, sizeof(cols) / sizeof(cols[0]));
}

/* The curve operators publish ("50% of systems back by day 22"), as three times. */
static int systems_table(const osim_mc_result *r, FILE *f)
{
    static const stat_col cols[] = {
        {"systems_50_h", "50% back by (h)"},
        {"systems_90_h", "90% back by (h)"},
        {"systems_100_h", "100% back by (h)"},
    };

    fprintf(f, "\nSystems back: hours from ignition until at least 50%%, 90%% and 100%% of all "
               "systems stay back\n(median, [5%%–95%%] below)\n\n");
    return stats_table(r, f, cols, sizeof(cols) / sizeof(cols[0]));
}

/* A median and its [5%–95%] as two cells (NULL: "-"). */
static void med_iv(const osim_stats *s, char *med, char *iv)
{
    char a[GRID_CELL], b[GRID_CELL];

    if (s == NULL) {
        snprintf(med, GRID_CELL, "-");
        iv[0] = '\0';
        return;
    }
    short_num(med, GRID_CELL, s->p50);
    snprintf(iv, GRID_CELL, "[%s–%s]", short_num(a, sizeof(a), s->p5),
             short_num(b, sizeof(b), s->p95));
}

/* The stats of services.<name>.<key> under topology t. */
static const osim_stats *svc_stat(const osim_mc_result *r, size_t t, size_t sv, const char *key)
{
    char name[GRID_CELL * 2];

    snprintf(name, sizeof(name), "services.%s.%s", r->services[sv], key);
    return stat_of(r, t, name);
}

/*
 * Copies (a scenario with backups): per topology, the services that lost
 * data or waited for a restore in some replication, with when their data
 * was back and what was lost by kind of copy.
 */
static int copies_table(const osim_mc_result *r, FILE *f)
{
    static const char *const keys[] = {"recovered_h", "data_restored_h", "data_lost_backup_gb",
                                       "data_lost_no_copy_gb", "data_lost_replica_gb"};
    enum { NK = sizeof(keys) / sizeof(keys[0]) };
    char med[NK][GRID_CELL], iv[NK][GRID_CELL];
    const char *row[GRID_COLS];
    size_t t, sv, k;
    grid g;

    if (!r->copies)
        return 0;
    fprintf(f, "\nCopies: services that lost data or restored it from a backup (median, "
               "[5%%–95%%] below;\nserving is not restored: data back is when the restore "
               "ended)\n\n");
    grid_init(&g, NK + 2, "llrrrrr");
    row[0] = "topology";
    row[1] = "service";
    row[2] = "back at (h)";
    row[3] = "data back (h)";
    row[4] = "lost: backup (GB)";
    row[5] = "no copy (GB)";
    row[6] = "replica (GB)";
    grid_row(&g, row);
    for (t = 0; t < r->topologies_count; t++)
        for (sv = 0; sv < r->services_count; sv++) {
            const osim_stats *lost = svc_stat(r, t, sv, "data_lost_gb");
            const osim_stats *rec = svc_stat(r, t, sv, "recovered_h");
            const osim_stats *dat = svc_stat(r, t, sv, "data_restored_h");
            if (lost == NULL || rec == NULL || dat == NULL ||
                (lost->max == 0.0 && dat->mean == rec->mean))
                continue;
            for (k = 0; k < NK; k++)
                med_iv(svc_stat(r, t, sv, keys[k]), med[k], iv[k]);
            row[0] = r->topologies[t];
            row[1] = r->services[sv];
            for (k = 0; k < NK; k++)
                row[k + 2] = med[k];
            grid_row(&g, row);
            row[0] = row[1] = "";
            for (k = 0; k < NK; k++)
                row[k + 2] = iv[k];
            grid_row(&g, row);
        }
    return grid_print(&g, f, "");
}

/* Legal bases are sentences: wrapped onto lines of this many columns. */
#define BASIS_WIDTH 44

static int legal_table(const osim_mc_result *r, FILE *f)
{
    char a[OSIM_MONEY_BUF], b[OSIM_MONEY_BUF], c[OSIM_MONEY_BUF], d[OSIM_MONEY_BUF];
    char med[GRID_CELL], iv[GRID_CELL], *basis;
    const osim_currency *cur = osim__report_currency(r);
    size_t t, p;
    int rc = 0;

    if (r->policies_count == 0)
        return 0;
    fprintf(f, "\nCompensation: median total and 90%% interval [5%%–95%%] per policy\n");
    for (t = 0; t < r->topologies_count && rc == 0; t++) {
        static const char *const head[] = {"policy", "legal basis", "claimants", "median total",
                                           "90% interval"};
        grid g;
        grid_init(&g, 5, "llrrl");
        grid_row(&g, head);
        for (p = 0; p < r->policies_count; p++) {
            const osim_mc_policy *mp = &r->policies[p];
            const osim_stats *tot, *cl;
            const char *row[5];
            char name[256];
            snprintf(name, sizeof(name), "compensation.%s.total_money", mp->name);
            tot = stat_of(r, t, name);
            snprintf(name, sizeof(name), "compensation.%s.claimants", mp->name);
            cl = stat_of(r, t, name);
            if (tot == NULL || cl == NULL)
                continue;
            const char *rest = mp->legal_basis[0] != '\0' ? mp->legal_basis : "-";
            size_t len, bn = strlen(rest) + 1;
            if ((basis = malloc(bn)) == NULL) {
                g.rc = OSIM_ENOMEM;
                continue;
            }
            len = wrap_line(rest, BASIS_WIDTH, &rest);
            snprintf(basis, bn, "%.*s", (int)len, mp->legal_basis[0] ? mp->legal_basis : "-");
            /* Whole, then in the table unit unless that says the same. */
            osim_money_format(b, sizeof(b), tot->p50, cur);
            osim_money_format_table(c, sizeof(c), tot->p50, cur);
            if (strcmp(b, c) == 0)
                snprintf(med, sizeof(med), "%s", b);
            else
                snprintf(med, sizeof(med), "%s (%s)", b, c);
            snprintf(iv, sizeof(iv), "%s–%s", osim_money_format_table(c, sizeof(c), tot->p5, cur),
                     osim_money_format_table(d, sizeof(d), tot->p95, cur));
            row[0] = mp->name;
            row[1] = basis;
            row[2] = osim_money_digits(a, sizeof(a), cl->p50, cur);
            row[3] = med;
            row[4] = iv;
            grid_row(&g, row);
            /* The rest of the basis on continuation lines of its own. */
            while (*rest != '\0') {
                const char *line = rest;
                len = wrap_line(line, BASIS_WIDTH, &rest);
                snprintf(basis, bn, "%.*s", (int)len, line);
                row[0] = row[2] = row[3] = row[4] = "";
                grid_row(&g, row);
            }
            free(basis);
        }
        fprintf(f, "\n  under %s\n", r->topologies[t]);
        rc = grid_print(&g, f, "  ");
    }
    /* Policies written in another currency: the amounts above are converted. */
    for (p = 0, t = 0; p < r->policies_count; p++) {
        const osim_mc_policy *mp = &r->policies[p];
        if (mp->converted_from == NULL)
            continue;
        if (t++ == 0)
            fputc('\n', f);
        fprintf(f, "  %s: written in %s, converted at %.6g %s per %s\n", mp->name,
                mp->converted_from, mp->converted_rate, cur->code, mp->converted_from);
    }
    return rc;
}

static int economics_table(const osim_mc_result *r, FILE *f)
{
    static const char *const head[] = {"topology",
                                       "annual cost",
                                       "mean incident cost",
                                       "expected loss/yr",
                                       "net benefit/yr [95% CI]",
                                       "pays for itself",
                                       "pays when"};
    char a[OSIM_MONEY_BUF], b[OSIM_MONEY_BUF], c[OSIM_MONEY_BUF], d[OSIM_MONEY_BUF];
    char lo[OSIM_MONEY_BUF], hi[OSIM_MONEY_BUF], net[GRID_CELL], be[GRID_CELL];
    const osim_currency *cur = osim__report_currency(r);
    size_t t, p, counted = 0;
    grid g;
    int rc;

    /* A catalogue's economics are at its total annual frequency F. */
    const char *pv = r->catalogue != NULL ? "F" : "p";

    if (r->catalogue != NULL)
        fprintf(f,
                "\nEconomics of redundancy: annual frequency F = %.6g (the catalogue's %zu "
                "incidents); baseline %s\n",
                r->incident_probability, r->catalogue->incidents_count, r->baseline);
    else
        fprintf(f, "\nEconomics of redundancy: incident probability %.6g per year; baseline %s\n",
                r->incident_probability, r->baseline);
    {
        /* Wrapped at about 96 columns: policy lists grow long. */
        size_t col = (size_t)fprintf(f, "  cost of one incident = the operator's lost revenue");
        for (p = 0; p < r->policies_count; p++) {
            const char *sep = counted == 0 ? " + compensation under " : ", ";
            if (!r->policies[p].in_economics)
                continue;
            if (col + strlen(sep) + strlen(r->policies[p].name) > 96) {
                fprintf(f, "%s\n   ", counted == 0 ? " + compensation under" : ",");
                sep = " ";
                col = 3;
            }
            col += (size_t)fprintf(f, "%s%s", sep, r->policies[p].name);
            counted++;
        }
    }
    fputs("\n\n", f);
    grid_init(&g, 7, "lrrrrlr");
    grid_row(&g, head);
    for (t = 0; t < r->topologies_count; t++) {
        const osim_mc_economics *e = &r->economics[t];
        const char *row[7];
        const char *pays = "-";
        if (!e->has_baseline) {
            snprintf(net, sizeof(net), "(baseline not run)");
        } else if ((long)t == r->baseline_index) {
            snprintf(net, sizeof(net), "(baseline)");
        } else {
            snprintf(net, sizeof(net), "%s [%s, %s]",
                     eok(d, sizeof(d), e->net_annual_benefit_krw, cur),
                     eok(lo, sizeof(lo), e->net_ci95_low_krw, cur),
                     eok(hi, sizeof(hi), e->net_ci95_high_krw, cur));
            pays = e->net_annual_benefit_krw > 0.0 ? "yes" : "no";
        }
        switch (e->pays) {
        case OSIM_PAYS_ABOVE:
            snprintf(be, sizeof(be), "%s > %.3g", pv, e->break_even_probability);
            break;
        case OSIM_PAYS_BELOW:
            snprintf(be, sizeof(be), "%s < %.3g", pv, e->break_even_probability);
            break;
        case OSIM_PAYS_ALWAYS: snprintf(be, sizeof(be), "any %s", pv); break;
        case OSIM_PAYS_NEVER: snprintf(be, sizeof(be), "never"); break;
        default: snprintf(be, sizeof(be), "-");
        }
        row[0] = r->topologies[t];
        row[1] = eok(a, sizeof(a), e->annual_cost_krw, cur);
        row[2] = eok(b, sizeof(b), e->mean_incident_cost_krw, cur);
        row[3] = eok(c, sizeof(c), e->expected_annual_loss_krw, cur);
        row[4] = net;
        row[5] = pays;
        row[6] = be;
        grid_row(&g, row);
    }
    rc = grid_print(&g, f, "");
    if (r->catalogue != NULL)
        fputs("\n  expected loss = the sum over the incidents of frequency x mean cost; mean "
              "incident cost =\n  expected loss / F; net benefit = (expected loss of the "
              "baseline - expected loss) - (annual\n  cost - annual cost of the baseline); pays "
              "when: the total annual frequencies F at which\n  the net benefit is positive, "
              "the incidents' mix kept.\n",
              f);
    else
        fputs("\n  net benefit = (expected loss of the baseline - expected loss) - (annual cost - "
              "annual cost\n  of the baseline), at the incident probability above; pays when: the "
              "annual incident\n  probabilities p in [0, 1] at which the net benefit is "
              "positive.\n",
              f);
    return rc;
}

/* A catalogue's risk of a year for the operator's cost: the average annual
 * loss and the aggregate losses at the return periods, per design. */
static int risk_table(const osim_mc_result *r, FILE *f)
{
    const osim_catalogue_result *c = r->catalogue;
    const osim_currency *cur = osim__report_currency(r);
    char cells[GRID_COLS][GRID_CELL];
    const char *row[GRID_COLS];
    size_t t, j;
    grid g;

    fprintf(f,
            "\nRisk over a year: %zu incidents, %zu simulated years (Poisson arrivals, "
            "independent incidents);\n  the operator's cost of incidents, aggregate loss "
            "exceeded once in T years (AEP)\n\n",
            c->incidents_count, c->years);
    grid_init(&g, 8, "lrrrrrrr");
    row[0] = "topology";
    row[1] = "annual loss";
    for (j = 0; j < 6 && j < OSIM_RISK_RP_COUNT; j++) {
        snprintf(cells[j], GRID_CELL, "1 in %.0f", osim_risk_return_periods_y[j]);
        row[2 + j] = cells[j];
    }
    grid_row(&g, row);
    for (t = 0; t < c->topologies_count; t++) {
        const osim_risk_summary *rs = &c->risk[t * c->measures_count];
        row[0] = c->topologies[t];
        eok(cells[0], GRID_CELL, rs->aal, cur);
        row[1] = cells[0];
        for (j = 0; j < 6 && j < OSIM_RISK_RP_COUNT; j++) {
            eok(cells[1 + j], GRID_CELL, rs->aep[j].loss, cur);
            row[2 + j] = cells[1 + j];
        }
        grid_row(&g, row);
    }
    fputs("", f);
    {
        int rc = grid_print(&g, f, "");
        size_t k;
        fputs("\n  incidents:", f);
        for (k = 0; k < c->incidents_count; k++)
            fprintf(f, "%s %s (%.6g/yr)", k ? "," : "", c->incidents[k], c->frequency[k]);
        fputs("\n  the tables above the economics are of the first incident; each incident's "
              "event loss\n  table is in DIR/incidents/NAME with --out DIR\n",
              f);
        return rc;
    }
}

int osim_report_table(const osim_mc_result *r, FILE *f, osim_diag *diag)
{
    fprintf(f, "outagesim %s: %s (%s), seed %llu, replications %llu..%llu%s\n", r->version,
            r->scenario_name, r->scenario_file, (unsigned long long)r->seed,
            (unsigned long long)r->from,
            (unsigned long long)(r->to > r->from ? r->to - 1 : r->from),
            r->interrupted ? " (INTERRUPTED: completed replications only)" : "");
    fprintf(f, "scenario sha256 %s", r->sha256);
    for (size_t i = 0; i < r->overrides_count; i++)
        fprintf(f, "%s%s", i == 0 ? "; --set " : " ", r->overrides[i]);
    fputs("\n\n", f);
    if (r->to == r->from) {
        fputs("No replication completed.\n", f);
        return ferror(f) ? osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write the table") : 0;
    }
    if (outcome_table(r, f) != 0 || systems_table(r, f) != 0 || copies_table(r, f) != 0 ||
        legal_table(r, f) != 0 || economics_table(r, f) != 0 ||
        (r->catalogue != NULL && risk_table(r, f) != 0))
        return osim_diag_set(diag, OSIM_ENOMEM, NULL, 0, 0, "out of memory");
    if (r->precision_metric != NULL)
        fprintf(f, "\nRun-length control: %s to within %.3g of its mean: %s (achieved %.3g)\n",
                r->precision_metric, r->precision_rel, r->precision_met ? "met" : "NOT met",
                r->precision_achieved);
    if (ferror(f))
        return osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write the table");
    return 0;
}
