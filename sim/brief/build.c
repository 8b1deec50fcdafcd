/*
 * build.c -- the brief's document, built from a run's result (and the
 * scenario, the figures and the sources when available).
 *
 * Invariant: every number comes from the summarised result -- the same
 * statistics results.json prints -- and passes through fmt.c, so the
 * report and the document agree figure for figure (tests/test_brief.c
 * checks it). Nothing here reads a clock, the environment or a file but
 * the ones named in the input, so the same input gives the same bytes.
 *
 * The order is the order a lawyer reads: the question and the short
 * answer; the incident and the designs; liability per regime and design;
 * claimant classes and brackets; design economics; sources and
 * assumptions; limitations; reproducibility.
 *
 * "What drives the range" of a policy is chosen mechanically: the
 * claimant class whose own 5-95% range of payments is the widest, with
 * its share of the sum of the classes' widths. A policy whose total does
 * not vary says so; a policy of one class is driven by that class.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brief/brief_int.h"
#include "core/str.h"
#include "outagesim/atomic_file.h"
#include "outagesim/catalogue.h"
#include "outagesim/figures.h"

/* The catalogue index of the metric of group g, owner, sub and key, or -1. */
static long metric(const osim_mc_result *r, osim_metric_group g, size_t owner, size_t sub,
                   const char *key)
{
    size_t m;

    for (m = 0; m < r->metrics_count; m++) {
        const osim_metric *x = &r->metrics[m];
        if (x->group == g && strcmp(x->key, key) == 0 &&
            (g == OSIM_MG_TOPOLOGY || g == OSIM_MG_USERS || g == OSIM_MG_SMALL_BUSINESS ||
             g == OSIM_MG_DATA_LOSS || g == OSIM_MG_OPERATOR || g == OSIM_MG_COST ||
             x->owner == owner) &&
            (g != OSIM_MG_COMP_CLASS || x->sub == sub))
            return (long)m;
    }
    return -1;
}

/* The stats of that metric under topology t; a zero block when absent. */
static osim_stats st(const osim_mc_result *r, size_t t, osim_metric_group g, size_t owner,
                     size_t sub, const char *key)
{
    static const osim_stats none = {0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    long m = metric(r, g, owner, sub, key);

    return m < 0 ? none : *osim_mc_result_stats(r, (size_t)t, (size_t)m);
}

static size_t baseline(const osim_mc_result *r)
{
    return r->baseline_index >= 0 ? (size_t)r->baseline_index : 0;
}

/* "a – b" of two money amounts (short form). */
static char *money_range(char *buf, size_t n, double lo, double hi, const osim_currency *cur)
{
    char a[BRIEF_NUM], b[BRIEF_NUM];

    snprintf(buf, n, "%s – %s", osim__brief_money_short(a, sizeof(a), lo, cur),
             osim__brief_money_short(b, sizeof(b), hi, cur));
    return buf;
}

/* The scenario's ignition as local time, e.g. "15 October 2022, 15:19 KST". */
static void ignition(const osim_scenario *sc, char *buf, size_t n)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    time_t t;
    struct tm tm;

    buf[0] = '\0';
    if (sc == NULL)
        return;
    t = (time_t)(sc->start_epoch_s + (int64_t)llround(sc->utc_offset_h * 3600.0));
    if (gmtime_r(&t, &tm) == NULL)
        return;
    snprintf(buf, n, "%d %s %d, %02d:%02d %s", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, sc->timezone != NULL ? sc->timezone : "");
}

/* s in single quotes when it holds anything a shell would read. */
static char *shell_word(osim_brief *b, const char *s)
{
    size_t i, len = strlen(s), q = 0;
    char *o;

    if (len > 0 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                             "-_./=:,+") == len)
        return osim__brief_strf(b, "%s", s);
    for (i = 0; i < len; i++)
        q += s[i] == '\'';
    if (b->rc != 0 || (o = malloc(len + 3 * q + 3)) == NULL) {
        b->rc = b->rc ? b->rc : OSIM_ENOMEM;
        return NULL;
    }
    len = 0;
    o[len++] = '\'';
    for (; *s != '\0'; s++) {
        if (*s == '\'') {
            memcpy(o + len, "'\\''", 4);
            len += 4;
        } else
            o[len++] = *s;
    }
    o[len++] = '\'';
    o[len] = '\0';
    return o;
}

/* Append word to the growing command *cmd (space-separated). */
static void cat_word(osim_brief *b, char **cmd, const char *word)
{
    char *n;

    if (b->rc != 0 || word == NULL)
        return;
    n = osim__brief_strf(b, "%s%s%s", *cmd != NULL ? *cmd : "", *cmd != NULL ? " " : "", word);
    if (n != NULL) {
        free(*cmd);
        *cmd = n;
    }
}

/* a + "\n\n" + more (a new paragraph of a box); a and more are freed. */
static char *join(osim_brief *b, char *a, char *more)
{
    char *n = osim__brief_strf(b, "%s\n\n%s", a ? a : "", more ? more : "");

    free(a);
    free(more);
    return n;
}

/* ------------------------------------------------------------------ sections */

static void question(osim_brief *b, const osim_mc_result *r, const osim_scenario *sc)
{
    size_t t0 = baseline(r), t, p, best = t0, lo_p = SIZE_MAX, hi_p = SIZE_MAX;
    osim_stats rec = st(r, t0, OSIM_MG_TOPOLOGY, 0, 0, "full_recovery_h");
    osim_stats users = st(r, t0, OSIM_MG_USERS, 0, 0, "distinct_affected");
    osim_stats comp = st(r, t0, OSIM_MG_COST, 0, 0, "compensation_total_money");
    char a[BRIEF_NUM], c[BRIEF_NUM], d[BRIEF_NUM], e[BRIEF_NUM], f[BRIEF_NUM];
    double nominal = 0, lo = INFINITY, hi = -INFINITY;
    char *box, *more;
    bool counted = false;

    osim__brief_section(b, 2, false, "question", "The question and the short answer");
    osim__brief_para(b,
                     "**The question.** If the fire of scenario %s struck again, what would the "
                     "outage cost in compensation under each legal regime, for each data-centre "
                     "design, and does a second site pay for itself? The figures below come from "
                     "%s simulated replays of the fire (Monte Carlo), each played under every "
                     "design.",
                     r->scenario_name, osim__brief_count(a, sizeof(a), (double)(r->to - r->from)));
    for (p = 0; p < r->policies_count; p++) {
        osim_stats tot = st(r, t0, OSIM_MG_COMP, p, 0, "total_money");
        if (r->policies[p].in_economics) {
            nominal += st(r, t0, OSIM_MG_COMP, p, 0, "nominal_money").mean;
            counted = true;
        }
        if (tot.mean < lo) {
            lo = tot.mean;
            lo_p = p;
        }
        if (tot.mean > hi) {
            hi = tot.mean;
            hi_p = p;
        }
    }
    for (t = 0; t < r->topologies_count; t++)
        if (r->economics[t].mean_incident_cost_krw < r->economics[best].mean_incident_cost_krw)
            best = t;

    box = osim__brief_strf(
        b,
        "**Short answer.** Under **%s** (the baseline design), every service is back after a "
        "median of %s (5–95%%: %s to %s) and %s users are affected.",
        r->topologies[t0], osim__brief_hours(a, sizeof(a), rec.p50),
        osim__brief_hours(c, sizeof(c), rec.p5), osim__brief_hours(d, sizeof(d), rec.p95),
        osim__brief_count(e, sizeof(e), users.p50));
    if (counted) {
        char g[BRIEF_NUM], h[BRIEF_NUM];
        more = osim__brief_strf(b,
                                "The compensation the operator counts (the regimes marked "
                                "\"counted\" below) has a nominal value of **%s** and an expected "
                                "cost of **%s** (median %s, 5–95%%: %s): take-up and approval "
                                "rates separate what is offered from what is paid.",
                                osim__brief_money(f, sizeof(f), nominal, r->currency),
                                osim__brief_money(g, sizeof(g), comp.mean, r->currency),
                                osim__brief_money_short(h, sizeof(h), comp.p50, r->currency),
                                money_range(e, sizeof(e), comp.p5, comp.p95, r->currency));
        box = join(b, box, more);
    }
    if (lo_p != SIZE_MAX && hi_p != SIZE_MAX && r->policies_count > 1) {
        more = osim__brief_strf(
            b,
            "Across the %zu regimes compared, the expected liability under "
            "%s runs from %s (%s) to %s (%s).",
            r->policies_count, r->topologies[t0], osim__brief_money(a, sizeof(a), lo, r->currency),
            r->policies[lo_p].name, osim__brief_money(c, sizeof(c), hi, r->currency),
            r->policies[hi_p].name);
        box = join(b, box, more);
    }
    if (best != t0) {
        const osim_mc_economics *eb = &r->economics[best];
        const char *when = "";
        char pbuf[96] = "";
        switch (eb->pays) {
        case OSIM_PAYS_ALWAYS: when = "at any annual probability of such a fire"; break;
        case OSIM_PAYS_NEVER: when = "at no annual probability of such a fire"; break;
        case OSIM_PAYS_ABOVE:
            snprintf(pbuf, sizeof(pbuf),
                     r->catalogue ? "when the catalogue's fires happen more than %.3g times a year"
                                  : "when such a fire is more likely than %.3g a year",
                     eb->break_even_probability);
            when = pbuf;
            break;
        case OSIM_PAYS_BELOW:
            snprintf(pbuf, sizeof(pbuf),
                     r->catalogue ? "when the catalogue's fires happen less than %.3g times a year"
                                  : "when such a fire is less likely than %.3g a year",
                     eb->break_even_probability);
            when = pbuf;
            break;
        case OSIM_PAYS_NA: when = "(no baseline to compare with)"; break;
        }
        more = osim__brief_strf(
            b,
            "**%s** cuts the mean cost of one incident (the operator's lost revenue plus counted "
            "compensation) from %s to %s; against %s it pays for itself %s.",
            r->topologies[best],
            osim__brief_money(a, sizeof(a), r->economics[t0].mean_incident_cost_krw, r->currency),
            osim__brief_money(c, sizeof(c), eb->mean_incident_cost_krw, r->currency),
            r->topologies[t0], when);
        box = join(b, box, more);
    }
    osim__brief_box(b, "%s", box ? box : "");
    free(box);
    (void)sc;
}

/* The figure dir/<name>.svg (if present) with caption. */
static int figure(osim_brief *b, const char *dir, const char *name, const char *caption,
                  osim_diag *diag)
{
    char file[96], *path, *text = NULL;
    FILE *f;
    long len = -1;
    int rc = 0;

    if (dir == NULL)
        return 0;
    snprintf(file, sizeof(file), "%s.svg", name);
    if ((path = osim_path_join(dir, file)) == NULL)
        return OSIM_ENOMEM;
    if ((f = fopen(path, "rb")) == NULL) {
        free(path);
        return 0; /* not drawn: left out */
    }
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
        (text = malloc((size_t)len + 1)) == NULL || fread(text, 1, (size_t)len, f) != (size_t)len) {
        rc = text == NULL && len >= 0 ? OSIM_ENOMEM
                                      : osim_diag_set(diag, OSIM_EIO, path, 0, 0, "cannot read");
        goto done;
    }
    text[len] = '\0';
    osim__brief_figure(b, text, caption);
done:
    fclose(f);
    free(text);
    free(path);
    return rc;
}

static void incident(osim_brief *b, const osim_mc_result *r, const osim_scenario *sc,
                     const char *scenario_note, const char *svg_dir, int *rc, osim_diag *diag)
{
    static const char *const head[] = {"design",
                                       "every service back (median)",
                                       "5–95%",
                                       "users affected",
                                       "user-hours lost",
                                       "small-business loss",
                                       "cost of the incident"};
    char when[96], a[BRIEF_NUM], c[BRIEF_NUM], d[BRIEF_NUM], e[BRIEF_NUM], f[BRIEF_NUM],
        g[BRIEF_NUM], h[BRIEF_NUM], *sites = NULL, *fire = NULL;
    size_t t, i;

    osim__brief_section(b, 2, false, "incident", "The incident and the designs");
    if (sc != NULL) {
        ignition(sc, when, sizeof(when));
        osim__brief_para(b, "**The incident.** %s", sc->description ? sc->description : "");
        for (i = 0; i < sc->sites_count; i++) {
            char *n =
                osim__brief_strf(b, "%s%s%s (%s)", sites ? sites : "", sites ? "; " : "",
                                 sc->sites[i].name, sc->sites[i].region ? sc->sites[i].region : "");
            free(sites);
            sites = n;
        }
        for (i = 0; i < r->sites_count; i++) {
            char *n =
                osim__brief_strf(b, "%s%s%s", fire ? fire : "", fire ? ", " : "", r->sites[i]);
            free(fire);
            fire = n;
        }
        osim__brief_para(b, "Ignition: %s. Sites: %s. On fire: %s.", when[0] ? when : "(not given)",
                         sites ? sites : "none", fire ? fire : "none");
        free(sites);
        free(fire);
        osim__brief_para(b, "**The designs compared.** Each replay meets the same fire under "
                            "every design, so the differences between designs are not noise.");
        osim__brief_table(b, NULL, 2, (const char *const[]){"design", "what it is"}, 0);
        for (t = 0; t < r->topologies_count; t++) {
            long k = osim_scenario_topology_index(sc, r->topologies[t]);
            const char *desc = k >= 0 && sc->topologies[k].description != NULL
                                   ? sc->topologies[k].description
                                   : "";
            osim__brief_row(b, false, (const char *const[]){r->topologies[t], desc});
        }
    } else {
        osim__brief_para(b,
                         "The scenario file was not available, so the incident and the designs "
                         "are named but not described: %s.",
                         scenario_note != NULL ? scenario_note : "no scenario was given");
    }
    osim__brief_para(b,
                     "**What happened in the replays** (medians over the replications; money "
                     "in %s).",
                     osim__brief_currency(r->currency));
    osim__brief_table(b, NULL, 7, head, 0x7Eu);
    for (t = 0; t < r->topologies_count; t++) {
        osim_stats rec = st(r, t, OSIM_MG_TOPOLOGY, 0, 0, "full_recovery_h");
        osim_stats us = st(r, t, OSIM_MG_USERS, 0, 0, "distinct_affected");
        osim_stats uh = st(r, t, OSIM_MG_USERS, 0, 0, "user_hours_lost");
        osim_stats sb = st(r, t, OSIM_MG_SMALL_BUSINESS, 0, 0, "revenue_loss_money");
        osim_stats ic = st(r, t, OSIM_MG_COST, 0, 0, "incident_cost_money");
        char range[2 * BRIEF_NUM];
        snprintf(range, sizeof(range), "%s – %s", osim__brief_hours(c, sizeof(c), rec.p5),
                 osim__brief_hours(d, sizeof(d), rec.p95));
        osim__brief_row(
            b, false,
            (const char *const[]){r->topologies[t], osim__brief_hours(a, sizeof(a), rec.p50), range,
                                  osim__brief_count(e, sizeof(e), us.p50),
                                  osim__brief_count(f, sizeof(f), uh.p50),
                                  osim__brief_money_short(g, sizeof(g), sb.p50, r->currency),
                                  osim__brief_money_short(h, sizeof(h), ic.p50, r->currency)});
    }
    if (*rc == 0)
        *rc = figure(b, svg_dir, "timeline",
                     "When each service was down, per design: the darker, the more replays in "
                     "which it was down at that hour.",
                     diag);
    if (*rc == 0)
        *rc = figure(b, svg_dir, "affected-users",
                     "Users affected over time: median and 5–95% band, per design.", diag);
    if (*rc == 0)
        *rc = figure(b, svg_dir, "recovery-cdf",
                     "How long until every service is back: the share of replays recovered by "
                     "each hour, per design.",
                     diag);
}

/*
 * Copies (a scenario with backups): per design, the services that lost data
 * or restored it from a backup in some replay, with when they were serving
 * and when their data was back. Nothing when the scenario has no backups.
 */
static void copies(osim_brief *b, const osim_mc_result *r)
{
    static const char *const head[] = {"design",
                                       "service",
                                       "serving again (median)",
                                       "data back (median)",
                                       "data back 5–95%",
                                       "data lost (mean, GB)"};
    char a[BRIEF_NUM], c[BRIEF_NUM], d[BRIEF_NUM], e[BRIEF_NUM], f[BRIEF_NUM];
    char range[2 * BRIEF_NUM];
    size_t t, s;

    if (!r->copies)
        return;
    osim__brief_para(b, "**Copies of data.** A backup holds data but cannot serve: where a "
                        "system's equipment was destroyed with no surviving replica, the newest "
                        "surviving backup decides what was lost, and restoring from it takes "
                        "time after the system is rebuilt. A service is counted as serving "
                        "before its data is back (serving but not restored).");
    osim__brief_table(b, NULL, 6, head, 0x3Cu);
    for (t = 0; t < r->topologies_count; t++)
        for (s = 0; s < r->services_count; s++) {
            osim_stats rec = st(r, t, OSIM_MG_SERVICE, s, 0, "recovered_h");
            osim_stats lost = st(r, t, OSIM_MG_SERVICE, s, 0, "data_lost_gb");
            osim_stats dat = st(r, t, OSIM_MG_COPIES, s, 0, "data_restored_h");
            if (!(lost.max > 0.0) && dat.mean == rec.mean)
                continue;
            snprintf(range, sizeof(range), "%s – %s", osim__brief_hours(c, sizeof(c), dat.p5),
                     osim__brief_hours(d, sizeof(d), dat.p95));
            osim__brief_row(b, false,
                            (const char *const[]){r->topologies[t], r->services[s],
                                                  osim__brief_hours(a, sizeof(a), rec.p50),
                                                  osim__brief_hours(e, sizeof(e), dat.p50), range,
                                                  osim__brief_count(f, sizeof(f), lost.mean)});
        }
}

/* The class of policy p (under t) with the widest 5-95% range of payments. */
static void driver(osim_brief *b, const osim_mc_result *r, size_t t, size_t p, char *buf, size_t n)
{
    const osim_mc_policy *pol = &r->policies[p];
    osim_stats tot = st(r, t, OSIM_MG_COMP, p, 0, "total_money");
    double sum = 0, best_w = -1;
    size_t k, best = 0;

    (void)b;
    if (!(tot.p95 - tot.p5 > 0.5)) {
        snprintf(buf, n, "no spread: the amount is the same in every replay");
        return;
    }
    for (k = 0; k < pol->classes_count; k++) {
        osim_stats a = st(r, t, OSIM_MG_COMP_CLASS, p, k, "amount_money");
        double w = a.p95 - a.p5;
        sum += w > 0 ? w : 0;
        if (w > best_w) {
            best_w = w;
            best = k;
        }
    }
    if (pol->classes_count == 0 || !(sum > 0)) {
        snprintf(buf, n, "how long and how widely the services were down");
        return;
    }
    if (pol->classes_count == 1)
        snprintf(buf, n, "its one claimant class, %s", pol->classes[0]);
    else
        snprintf(buf, n, "claimant class \"%s\" (%.0f%% of the classes' combined 5–95%% spread)",
                 pol->classes[best], 100.0 * best_w / sum);
}

/* What converting pol's amounts assumed, in words (owned by the caller). */
static char *converted_note(osim_brief *b, const osim_mc_result *r, const osim_mc_policy *pol)
{
    const char *to = r->currency != NULL ? r->currency->code : osim_currency_default()->code;

    return osim__brief_strf(b,
                            "the policy's amounts are written in %s and were "
                            "converted when the scenario was loaded at %.6g %s per %s, rounded "
                            "to whole units",
                            pol->converted_from, pol->converted_rate, to, pol->converted_from);
}

/* The index of the provenance item of policies.<name>.rate (items_count: none). */
static size_t rate_item(const brief_provenance *pv, const char *name)
{
    size_t i, n = strlen(name);

    for (i = 0; i < pv->items_count; i++) {
        const char *p = pv->items[i].path;
        if (strncmp(p, "policies.", 9) == 0 && strncmp(p + 9, name, n) == 0 &&
            strcmp(p + 9 + n, ".rate") == 0)
            return i;
    }
    return pv->items_count;
}

/* The converted policy whose rate path is `path`, or NULL. */
static const osim_mc_policy *converted_by(const osim_mc_result *r, const char *path)
{
    size_t i, n;

    if (strncmp(path, "policies.", 9) != 0)
        return NULL;
    for (i = 0; i < r->policies_count; i++) {
        const osim_mc_policy *pol = &r->policies[i];
        n = strlen(pol->name);
        if (pol->converted_from != NULL && strncmp(path + 9, pol->name, n) == 0 &&
            strcmp(path + 9 + n, ".rate") == 0)
            return pol;
    }
    return NULL;
}

static void liability(osim_brief *b, const osim_mc_result *r, const char *svg_dir, int *rc,
                      osim_diag *diag)
{
    static const char *const head[] = {"regime (policy)", "claimants",   "nominal value",
                                       "expected cost",   "median cost", "5–95% range"};
    char a[BRIEF_NUM], c[BRIEF_NUM], d[BRIEF_NUM], e[BRIEF_NUM], f[2 * BRIEF_NUM], drv[512];
    size_t t, p;

    osim__brief_section(b, 2, true, "liability", "Liability per regime and design");
    osim__brief_para(
        b, "For each design, every compensation regime of the scenario: the **nominal value** is "
           "what the scheme is worth if every eligible person takes it up; the **expected "
           "cost** is the mean over the replays of what is paid after take-up and approval; "
           "the **5–95%% range** is where 90%% of replays fall; **claimants** is the mean "
           "number of people or businesses paid. Under each regime, its full legal basis and "
           "what drives its range: the claimant class whose own 5–95%% range is the widest. "
           "Regimes marked \"counted\" make up the cost of an incident in the design "
           "economics.");
    for (t = 0; t < r->topologies_count; t++) {
        bool any = false;
        char *title = osim__brief_strf(b, "Under %s", r->topologies[t]);
        for (p = 0; p < r->policies_count; p++) {
            osim_stats tot = st(r, t, OSIM_MG_COMP, p, 0, "total_money");
            osim_stats nom = st(r, t, OSIM_MG_COMP, p, 0, "nominal_money");
            any = any || tot.max > 0 || nom.max > 0;
        }
        osim__brief_section(b, 3, false, r->topologies[t], title);
        free(title);
        if (!any) {
            if (r->policies_count == 0)
                osim__brief_para(b, "The scenario declares no compensation regime.");
            else
                osim__brief_para(b,
                                 "No regime pays anything under %s, in any replay: nominal "
                                 "value and cost are 0 for all %zu.",
                                 r->topologies[t], r->policies_count);
            continue;
        }
        osim__brief_table(b, NULL, 6, head, 0x3Eu);
        for (p = 0; p < r->policies_count; p++) {
            const osim_mc_policy *pol = &r->policies[p];
            osim_stats tot = st(r, t, OSIM_MG_COMP, p, 0, "total_money");
            osim_stats nom = st(r, t, OSIM_MG_COMP, p, 0, "nominal_money");
            osim_stats cl = st(r, t, OSIM_MG_COMP, p, 0, "claimants");
            char *name =
                osim__brief_strf(b, "%s%s", pol->name, pol->in_economics ? " (counted)" : "");
            char *basis, *drives;
            money_range(f, sizeof(f), tot.p5, tot.p95, r->currency);
            osim__brief_row(
                b, true,
                (const char *const[]){name ? name : "", osim__brief_count(a, sizeof(a), cl.mean),
                                      osim__brief_money(c, sizeof(c), nom.mean, r->currency),
                                      osim__brief_money(d, sizeof(d), tot.mean, r->currency),
                                      osim__brief_money(e, sizeof(e), tot.p50, r->currency), f});
            free(name);
            basis = osim__brief_strf(b, "Legal basis: %s",
                                     pol->legal_basis ? pol->legal_basis : "(not given)");
            osim__brief_span(b, basis ? basis : "");
            free(basis);
            if (pol->converted_from != NULL) {
                char *conv = converted_note(b, r, pol);
                char *line = osim__brief_strf(b, "ASSUMPTION: %s.", conv ? conv : "");
                osim__brief_span(b, line ? line : "");
                free(line);
                free(conv);
            }
            driver(b, r, t, p, drv, sizeof(drv));
            drives = osim__brief_strf(b, "Range driven by: %s.", drv);
            osim__brief_span(b, drives ? drives : "");
            free(drives);
        }
    }
    if (*rc == 0)
        *rc = figure(b, svg_dir, "compensation",
                     "Cost of each regime per design: median and 90% interval.", diag);
}

static void classes(osim_brief *b, const osim_mc_result *r, const char *svg_dir, int *rc,
                    osim_diag *diag)
{
    static const char *const head[] = {"class or bracket", "claimants (mean)",
                                       "paid in total (expected)", "average per claimant"};
    size_t t = baseline(r), p, k;
    char a[BRIEF_NUM], c[BRIEF_NUM], d[BRIEF_NUM];
    bool any = false;

    osim__brief_section(b, 2, true, "classes", "Claimant classes and brackets");
    osim__brief_para(b,
                     "Who is paid what under %s, for every regime with more than one class of "
                     "claimant (brackets of claimed loss, tiers of days out, kinds of voucher). "
                     "The average per claimant is the expected amount over the expected "
                     "claimants. The other designs' classes are in results.json.",
                     r->topologies[t]);
    for (p = 0; p < r->policies_count; p++) {
        const osim_mc_policy *pol = &r->policies[p];
        char *cap;
        if (pol->classes_count < 2)
            continue;
        any = true;
        cap = osim__brief_strf(b, "%s (%s)", pol->name, pol->model);
        osim__brief_table(b, cap, 4, head, 0xEu);
        free(cap);
        for (k = 0; k < pol->classes_count; k++) {
            osim_stats cl = st(r, t, OSIM_MG_COMP_CLASS, p, k, "claimants");
            osim_stats am = st(r, t, OSIM_MG_COMP_CLASS, p, k, "amount_money");
            osim__brief_row(
                b, false,
                (const char *const[]){
                    pol->classes[k], osim__brief_count(a, sizeof(a), cl.mean),
                    osim__brief_money(c, sizeof(c), am.mean, r->currency),
                    cl.mean > 0 ? osim__brief_money(d, sizeof(d), am.mean / cl.mean, r->currency)
                                : "–"});
        }
    }
    if (!any)
        osim__brief_para(b, "No regime of this scenario has more than one class of claimant.");
    if (*rc == 0)
        *rc = figure(b, svg_dir, "business-loss",
                     "Loss per affected small business, with the edges of the loss brackets, "
                     "and the total small-business loss per design.",
                     diag);
}

static void economics(osim_brief *b, const osim_mc_result *r, const char *svg_dir, int *rc,
                      osim_diag *diag)
{
    static const char *const head[] = {"design",
                                       "annual cost",
                                       "mean cost of one incident",
                                       "expected loss per year",
                                       "net benefit per year [95% CI]",
                                       "pays for itself"};
    char a[BRIEF_NUM], c[BRIEF_NUM], d[BRIEF_NUM], e[BRIEF_NUM], f[BRIEF_NUM], g[BRIEF_NUM],
        net[3 * BRIEF_NUM + 8], pays[96];
    size_t t, p;
    char *counted = NULL;

    osim__brief_section(b, 2, false, "economics", "Design economics");
    for (p = 0; p < r->policies_count; p++)
        if (r->policies[p].in_economics) {
            char *n = osim__brief_strf(b, "%s%s%s", counted ? counted : "", counted ? ", " : "",
                                       r->policies[p].name);
            free(counted);
            counted = n;
        }
    if (r->catalogue != NULL)
        osim__brief_para(
            b,
            "The cost of one incident is the operator's lost revenue plus the compensation "
            "counted (%s). The scenario lists %zu incidents, together %.3g a year: the expected "
            "loss per year is the sum over them of frequency times mean cost, and the mean cost "
            "of one incident below is that of an average incident of the list (expected loss / "
            "%.3g). The net benefit compares each design with %s: the loss it avoids minus what "
            "it costs on top. Because the frequencies are uncertain, the last column gives the "
            "total annual frequencies (the incidents' mix kept) at which a design pays for "
            "itself.",
            counted ? counted : "none", r->catalogue->incidents_count, r->incident_probability,
            r->incident_probability, r->baseline ? r->baseline : "the baseline");
    else
        osim__brief_para(
            b,
            "The cost of one incident is the operator's lost revenue plus the compensation "
            "counted (%s). At an annual probability of %.3g of such a fire, the expected loss "
            "per year is that probability times the mean cost. The net benefit compares each "
            "design with %s: the loss it avoids minus what it costs on top. Because the "
            "probability is uncertain, the last column gives the probabilities at which a "
            "design pays for itself.",
            counted ? counted : "none", r->incident_probability,
            r->baseline ? r->baseline : "the baseline");
    free(counted);
    osim__brief_table(b, NULL, 6, head, 0x1Eu);
    for (t = 0; t < r->topologies_count; t++) {
        const osim_mc_economics *x = &r->economics[t];
        if (!x->has_baseline || (long)t == r->baseline_index)
            snprintf(net, sizeof(net), "%s", (long)t == r->baseline_index ? "(baseline)" : "–");
        else
            snprintf(net, sizeof(net), "%s [%s, %s]",
                     osim__brief_money_short(e, sizeof(e), x->net_annual_benefit_krw, r->currency),
                     osim__brief_money_short(f, sizeof(f), x->net_ci95_low_krw, r->currency),
                     osim__brief_money_short(g, sizeof(g), x->net_ci95_high_krw, r->currency));
        switch (x->pays) {
        case OSIM_PAYS_NA: snprintf(pays, sizeof(pays), "–"); break;
        /* A catalogue's break-even is in F, its fires' total annual frequency. */
        case OSIM_PAYS_ALWAYS:
            snprintf(pays, sizeof(pays), "at any %s", r->catalogue ? "frequency" : "probability");
            break;
        case OSIM_PAYS_NEVER: snprintf(pays, sizeof(pays), "never"); break;
        case OSIM_PAYS_ABOVE:
            snprintf(pays, sizeof(pays), "if %s > %.3g a year", r->catalogue ? "F" : "p",
                     x->break_even_probability);
            break;
        case OSIM_PAYS_BELOW:
            snprintf(pays, sizeof(pays), "if %s < %.3g a year", r->catalogue ? "F" : "p",
                     x->break_even_probability);
            break;
        }
        osim__brief_row(
            b, false,
            (const char *const[]){
                r->topologies[t],
                osim__brief_money_short(a, sizeof(a), x->annual_cost_krw, r->currency),
                osim__brief_money_short(c, sizeof(c), x->mean_incident_cost_krw, r->currency),
                osim__brief_money_short(d, sizeof(d), x->expected_annual_loss_krw, r->currency),
                net, pays});
    }
    if (*rc == 0)
        *rc = figure(b, svg_dir, "designs",
                     "The designs compared: downtime, user-hours lost, expected annual loss and "
                     "annual cost.",
                     diag);
}

/* The risk of a year, for a catalogue's results: the incidents, the
 * return-period table of the operator's cost and the exceedance figure. */
static void risk_year(osim_brief *b, const osim_mc_result *r, const char *svg_dir, int *rc,
                      osim_diag *diag)
{
    static const char *const head[] = {"design",
                                       "average annual loss [95% CI]",
                                       "1 in 10",
                                       "1 in 50",
                                       "1 in 100",
                                       "1 in 250",
                                       "1 in 500",
                                       "1 in 1,000",
                                       "mean of the worst 1% of years"};
    const osim_catalogue_result *k = r->catalogue;
    char aal[3 * BRIEF_NUM + 8], lo[BRIEF_NUM], hi[BRIEF_NUM], rp[OSIM_RISK_RP_COUNT][BRIEF_NUM],
        tv[BRIEF_NUM], yrs[BRIEF_NUM];
    const char *cells[9];
    size_t t, j;

    osim__brief_section(b, 2, false, "risk", "The risk of a year");
    osim__brief_para(b,
                     "The scenario lists %zu incidents, each with an annual frequency (its "
                     "source or ASSUMPTION is in the list of sources below):",
                     k->incidents_count);
    osim__brief_list(b);
    for (j = 0; j < k->incidents_count; j++)
        osim__brief_item(
            b, NULL, "**%s**: %.3g a year (one in %s years), %s replications", k->incidents[j],
            k->frequency[j],
            k->frequency[j] > 0 ? osim__brief_count(yrs, sizeof(yrs), 1.0 / k->frequency[j]) : "no",
            osim__brief_count(lo, sizeof(lo), (double)k->replications[j]));
    osim__brief_para(
        b,
        "Each incident was replayed against every design with the same random numbers. %s "
        "years were then simulated: in each, every incident happens a Poisson number of times "
        "at its frequency, independently of the others, and each time costs what one of its "
        "replications cost. The table gives, per design, the average loss of a year and the "
        "loss of a year reached or exceeded once in 10 to 1,000 years on average (the operator's "
        "lost revenue plus the compensation counted above, summed over the year's incidents). "
        "Most years hold no incident and cost nothing, so short return periods show 0.",
        osim__brief_count(yrs, sizeof(yrs), (double)k->years));
    osim__brief_table(b, NULL, 9, head, 0x1FEu);
    for (t = 0; t < k->topologies_count; t++) {
        const osim_risk_summary *s = &k->risk[t * k->measures_count];
        snprintf(aal, sizeof(aal), "%s [%s, %s]",
                 osim__brief_money_short(yrs, sizeof(yrs), s->aal, r->currency),
                 osim__brief_money_short(lo, sizeof(lo), s->aal_ci95_low, r->currency),
                 osim__brief_money_short(hi, sizeof(hi), s->aal_ci95_high, r->currency));
        cells[0] = k->topologies[t];
        cells[1] = aal;
        for (j = 0; j < OSIM_RISK_RP_COUNT; j++)
            cells[2 + j] =
                osim__brief_money_short(rp[j], sizeof(rp[j]), s->aep[j].loss, r->currency);
        cells[8] = osim__brief_money_short(tv, sizeof(tv), s->tvar[0], r->currency);
        osim__brief_row(b, false, cells);
    }
    if (*rc == 0)
        *rc = figure(b, svg_dir, OSIM_FIGURES_EXCEEDANCE,
                     "The loss of a year against its return period, per design (log-log); the "
                     "marked points are the table's, with their 95% intervals.",
                     diag);
}

static void sources(osim_brief *b, const osim_mc_result *r, const osim_scenario *sc,
                    const brief_provenance *pv)
{
    size_t i, nsrc = 0, nass = 0, nconv = 0;

    osim__brief_section(b, 2, true, "sources", "Sources and assumptions");
    if (pv->sources_count > 0) {
        osim__brief_para(b, "The sources the scenario's values cite, as results.json records "
                            "them:");
        osim__brief_list(b);
        for (i = 0; i < pv->sources_count; i++) {
            const brief_source *s = &pv->sources[i];
            /* An untitled source (a plain string in the scenario) has no id to show. */
            osim__brief_item(b, s->url, "%s%s%s**%s**%s%s%s%s", *s->id ? "[" : "", s->id,
                             *s->id ? "] " : "", s->title, *s->publisher ? ", " : "", s->publisher,
                             *s->date ? ", " : "", s->date);
        }
    }
    /* A policy written in another currency rests on the exchange rate it was
     * converted at: the scenario's assumption, listed with the others. */
    for (i = 0; i < r->policies_count; i++)
        nconv += r->policies[i].converted_from != NULL &&
                 rate_item(pv, r->policies[i].name) == pv->items_count;
    if (pv->items_count > 0 || nconv > 0) {
        for (i = 0; i < pv->items_count; i++) {
            nsrc += strcmp(pv->items[i].kind, "source") == 0;
            nass += strcmp(pv->items[i].kind, "assumption") == 0;
        }
        nass += nconv;
        osim__brief_para(b,
                         "Every value of the scenario that carries a source or an ASSUMPTION, "
                         "with the parameter it sets (%zu cite a source, %zu are assumptions "
                         "with their reason):",
                         nsrc, nass);
        osim__brief_table(b, NULL, 4, (const char *const[]){"parameter", "kind", "sources", "note"},
                          0);
        for (i = 0; i < pv->items_count; i++) {
            /* A converted policy's rate given with its source or assumption:
             * that row, with what the conversion did. */
            const osim_mc_policy *pol = converted_by(r, pv->items[i].path);
            char *text = pol != NULL ? converted_note(b, r, pol) : NULL;
            char *both = text != NULL ? osim__brief_strf(b, "%s%s%s", pv->items[i].text,
                                                         *pv->items[i].text ? " -- " : "", text)
                                      : NULL;
            osim__brief_row(b, false,
                            (const char *const[]){pv->items[i].path, pv->items[i].kind,
                                                  pv->items[i].sources,
                                                  both != NULL ? both : pv->items[i].text});
            free(both);
            free(text);
        }
        for (i = 0; i < r->policies_count; i++) {
            const osim_mc_policy *pol = &r->policies[i];
            char *path, *text;
            if (pol->converted_from == NULL || rate_item(pv, pol->name) < pv->items_count)
                continue;
            path = osim__brief_strf(b, "policies.%s.rate", pol->name);
            text = converted_note(b, r, pol);
            osim__brief_row(
                b, false,
                (const char *const[]){path ? path : "", "assumption", "", text ? text : ""});
            free(path);
            free(text);
        }
    }
    if (pv->sources_count == 0 && pv->items_count == 0) {
        osim__brief_para(
            b,
            "results.json of this run records no sources and no assumptions as data (it was "
            "written by outagesim %s, which keeps them as comments beside each value in the "
            "scenario file). The values themselves, with their units, are listed by `outagesim "
            "params %s`; the comment beside each in the scenario file gives its source or "
            "marks it ASSUMPTION with the reason.",
            r->version, r->scenario_file);
        if (sc != NULL && sc->sources_count > 0) {
            osim__brief_para(b, "The scenario names these sources:");
            osim__brief_list(b);
            for (i = 0; i < sc->sources_count; i++)
                osim__brief_item(b, sc->sources[i].url, "%s%s%s",
                                 sc->sources[i].id ? sc->sources[i].id : "",
                                 sc->sources[i].id ? " " : "", sc->sources[i].title);
        } else if (sc == NULL) {
            osim__brief_para(b, "The scenario file was not available, so its sources cannot "
                                "be listed here.");
        }
    }
    if (sc != NULL && sc->policies_count > 0) {
        bool any = false;
        for (i = 0; i < sc->policies_count; i++)
            any = any || (sc->policies[i].source != NULL && *sc->policies[i].source != '\0');
        if (any) {
            osim__brief_para(b, "The source of each regime's rules:");
            osim__brief_list(b);
            for (i = 0; i < sc->policies_count; i++)
                if (sc->policies[i].source != NULL && *sc->policies[i].source != '\0')
                    osim__brief_item(b, NULL, "**%s**: %s", sc->policies[i].name,
                                     sc->policies[i].source);
        }
    }
}

static void limitations(osim_brief *b)
{
    size_t n, i;
    const brief_limitation *l = osim__brief_limitations(&n);

    osim__brief_section(b, 2, false, "limitations", "Limitations");
    osim__brief_para(b, "Where the model and reality differ; read the figures with these in "
                        "mind.");
    osim__brief_list(b);
    for (i = 0; i < n; i++)
        osim__brief_item(b, NULL, "**%s.** %s", l[i].topic, l[i].text);
}

static void reproduce(osim_brief *b, const osim_mc_result *r, const osim_scenario *sc)
{
    char seed[32], reps[64], *cmd = NULL, *w;
    size_t i;
    bool all = sc != NULL && sc->topologies_count == r->topologies_count;

    osim__brief_section(b, 2, false, "reproduce", "Reproducing these figures");
    snprintf(seed, sizeof(seed), "%llu", (unsigned long long)r->seed);
    snprintf(reps, sizeof(reps), "%llu (replications %llu to %llu)%s",
             (unsigned long long)(r->to - r->from), (unsigned long long)r->from,
             (unsigned long long)(r->to - 1), r->interrupted ? ", interrupted" : "");
    osim__brief_table(b, NULL, 2, (const char *const[]){"item", "value"}, 0);
    osim__brief_row(b, false, (const char *const[]){"outagesim version", r->version});
    osim__brief_row(b, false, (const char *const[]){"scenario", r->scenario_name});
    osim__brief_row(b, false, (const char *const[]){"scenario file", r->scenario_file});
    osim__brief_row(b, false,
                    (const char *const[]){"scenario sha256 (file and overrides)", r->sha256});
    osim__brief_row(b, false, (const char *const[]){"seed", seed});
    osim__brief_row(b, false, (const char *const[]){"replications", reps});
    for (i = 0; i < r->overrides_count; i++)
        osim__brief_row(b, false, (const char *const[]){"override (--set)", r->overrides[i]});
    cat_word(b, &cmd, "outagesim run");
    cat_word(b, &cmd, (w = shell_word(b, r->scenario_file)));
    free(w);
    cat_word(b, &cmd, "--seed");
    cat_word(b, &cmd, seed);
    if (r->from == 0) {
        snprintf(reps, sizeof(reps), "--replications %llu", (unsigned long long)r->to);
        cat_word(b, &cmd, reps);
    } else {
        snprintf(reps, sizeof(reps), "--from %llu --to %llu", (unsigned long long)r->from,
                 (unsigned long long)r->to);
        cat_word(b, &cmd, reps);
    }
    if (!all) {
        char *list = NULL;
        for (i = 0; i < r->topologies_count; i++) {
            char *n =
                osim__brief_strf(b, "%s%s%s", list ? list : "", list ? "," : "", r->topologies[i]);
            free(list);
            list = n;
        }
        cat_word(b, &cmd, "--topology");
        cat_word(b, &cmd, (w = shell_word(b, list ? list : "")));
        free(w);
        free(list);
    }
    for (i = 0; i < r->overrides_count; i++) {
        cat_word(b, &cmd, "--set");
        cat_word(b, &cmd, (w = shell_word(b, r->overrides[i])));
        free(w);
    }
    cat_word(b, &cmd, "--out results && outagesim report results");
    osim__brief_para(b, "The same scenario file, seed and version give the same results.json, "
                        "byte for byte, whatever the number of threads; this report is written "
                        "from it. The command, from the folder the run was started in:");
    osim__brief_pre(b, cmd ? cmd : "");
    free(cmd);
}

/* ------------------------------------------------------------------ entry */

int osim_brief_new(const osim_brief_input *in, osim_brief **out, osim_diag *diag)
{
    const osim_mc_result *r = in != NULL ? in->result : NULL;
    brief_provenance pv;
    osim_brief *b = NULL;
    char when[96] = "", reps[BRIEF_NUM];
    int rc;

    *out = NULL;
    memset(&pv, 0, sizeof(pv));
    if (r == NULL || r->stats == NULL || r->economics == NULL)
        return OSIM_EINVAL;
    if ((rc = osim__brief_provenance_read(in->results_json, &pv, diag)) != 0)
        return rc;
    if ((b = calloc(1, sizeof(*b))) == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    ignition(in->scenario, when, sizeof(when));
    b->title = osim__brief_strf(b, "What the outage would cost: liability by regime and design");
    b->subtitle =
        osim__brief_strf(b, "Scenario **%s**%s%s%s · %s replications, seed %llu · outagesim %s",
                         r->scenario_name, when[0] ? " (fire of " : "", when, when[0] ? ")" : "",
                         osim__brief_count(reps, sizeof(reps), (double)(r->to - r->from)),
                         (unsigned long long)r->seed, r->version);
    if (in->date != NULL)
        b->date = osim__brief_strf(b, "%s", in->date);
    rc = 0;
    question(b, r, in->scenario);
    incident(b, r, in->scenario, in->scenario_note, in->svg_dir, &rc, diag);
    if (rc == 0)
        copies(b, r);
    if (rc == 0)
        liability(b, r, in->svg_dir, &rc, diag);
    if (rc == 0)
        classes(b, r, in->svg_dir, &rc, diag);
    if (rc == 0)
        economics(b, r, in->svg_dir, &rc, diag);
    if (rc == 0 && r->catalogue != NULL)
        risk_year(b, r, in->svg_dir, &rc, diag);
    if (rc == 0 && in->figures_note != NULL)
        osim__brief_para(b, "Figures: %s.", in->figures_note);
    sources(b, r, in->scenario, &pv);
    limitations(b);
    reproduce(b, r, in->scenario);
    if (rc == 0)
        rc = b->rc;
    if (rc != 0)
        goto fail;
    osim__brief_provenance_free(&pv);
    *out = b;
    return 0;
fail:
    osim__brief_provenance_free(&pv);
    osim_brief_free(b);
    return rc;
}

int osim_brief_write_html(const osim_brief *b, FILE *f)
{
    return osim__brief_html(b, f);
}

int osim_brief_write_markdown(const osim_brief *b, FILE *f)
{
    return osim__brief_markdown(b, f);
}

static int fill_html(FILE *f, void *ud)
{
    return osim__brief_html(ud, f);
}

static int fill_md(FILE *f, void *ud)
{
    return osim__brief_markdown(ud, f);
}

int osim_brief_write_dir(const osim_brief *b, const char *dir, osim_diag *diag)
{
    int rc;

    if ((rc = osim_mkdir_p(dir, diag)) != 0 ||
        (rc = osim_atomic_write(dir, OSIM_BRIEF_HTML, fill_html, (void *)b, diag)) != 0 ||
        (rc = osim_atomic_write(dir, OSIM_BRIEF_MD, fill_md, (void *)b, diag)) != 0)
        return rc;
    return 0;
}
