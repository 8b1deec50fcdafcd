/*
 * load.c -- read a run's output directory back into a result.
 *
 * Invariant: loading is the inverse of writing. The shape (identity,
 * topologies, services, segments, policies, classes, economics settings)
 * comes from results.json, the rows from replications.csv (the rows' text
 * codec, rows.h), whose header must name exactly the catalogue that the
 * shape builds. After loading,
 * the result is summarised and its document regenerated: it must equal
 * results.json byte for byte, which proves that the two files belong
 * together and that the rows were read back exactly.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/str.h"
#include "outagesim/atomic_file.h"
#include "outagesim/catalogue.h"
#include "outagesim/money.h"
#include "outagesim/report.h"
#include "outagesim/version.h"
#include "report/report_int.h"

typedef struct loader {
    const char *path; /* for messages */
    osim_diag *diag;
    int rc;
} loader;

static int bad(loader *L, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int bad(loader *L, int line, const char *fmt, ...)
{
    char msg[OSIM_DIAG_MSG_MAX];
    va_list ap;

    if (L->rc == 0) {
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        L->rc = osim_diag_set(L->diag, OSIM_ESCHEMA, L->path, line, 0, "%s", msg);
    }
    return L->rc;
}

/* json at key of type; records an error when absent or of another type. */
static json_t *get(loader *L, json_t *o, const char *key, json_type type)
{
    json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

    if (v == NULL || json_typeof(v) != type) {
        bad(L, 0, "missing or mistyped key '%s'", key);
        return NULL;
    }
    return v;
}

static char *get_str(loader *L, json_t *o, const char *key)
{
    json_t *v = get(L, o, key, JSON_STRING);
    char *s;

    if (v == NULL)
        return NULL;
    s = osim__strdup(json_string_value(v));
    if (s == NULL && L->rc == 0)
        L->rc = OSIM_ENOMEM;
    return s;
}

static uint64_t get_u64(loader *L, json_t *o, const char *key)
{
    json_t *v = get(L, o, key, JSON_INTEGER);

    if (v == NULL)
        return 0;
    if (json_integer_value(v) < 0) {
        bad(L, 0, "negative '%s'", key);
        return 0;
    }
    return (uint64_t)json_integer_value(v);
}

/* The names of an array of objects (by key) into a new string vector. */
static char **names_of(loader *L, json_t *arr, const char *key, size_t *count)
{
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0, i;
    char **v;

    *count = 0;
    if (!json_is_array(arr)) {
        bad(L, 0, "expected an array for '%s'", key);
        return NULL;
    }
    if (n == 0)
        return NULL;
    v = calloc(n, sizeof(*v));
    if (v == NULL) {
        L->rc = OSIM_ENOMEM;
        return NULL;
    }
    for (i = 0; i < n && L->rc == 0; i++) {
        json_t *e = json_array_get(arr, i);
        v[i] = json_is_string(e) ? osim__strdup(json_string_value(e)) : get_str(L, e, key);
        if (v[i] == NULL && L->rc == 0)
            L->rc = OSIM_ENOMEM;
        *count = i + 1;
    }
    return v;
}

/*
 * The flattened strings of an array of objects (keys in order; null -> "")
 * into a new string vector; an absent array is none. ids_key, when not NULL,
 * is an array of strings joined by single spaces (a provenance's sources).
 */
static char **flat_of(loader *L, json_t *doc, const char *name, const char *const *keys, size_t nk,
                      const char *ids_key, size_t *count)
{
    json_t *arr = json_object_get(doc, name);
    size_t n, i, j, k = 0;
    char **v;

    *count = 0;
    if (arr == NULL)
        return NULL;
    if (!json_is_array(arr)) {
        bad(L, 0, "expected an array for '%s'", name);
        return NULL;
    }
    n = json_array_size(arr);
    if (n == 0)
        return NULL;
    if ((v = calloc(n * nk, sizeof(*v))) == NULL) {
        L->rc = OSIM_ENOMEM;
        return NULL;
    }
    for (i = 0; i < n && L->rc == 0; i++) {
        json_t *e = json_array_get(arr, i);
        for (j = 0; j < nk && L->rc == 0; j++, k++) {
            json_t *x = json_is_object(e) ? json_object_get(e, keys[j]) : NULL;
            *count = k + 1;
            if (ids_key != NULL && strcmp(keys[j], ids_key) == 0 && json_is_array(x)) {
                size_t len = 1, m;
                for (m = 0; m < json_array_size(x); m++)
                    len += strlen(json_string_value(json_array_get(x, m)) != NULL
                                      ? json_string_value(json_array_get(x, m))
                                      : "") +
                           1;
                if ((v[k] = calloc(len, 1)) == NULL) {
                    L->rc = OSIM_ENOMEM;
                    break;
                }
                for (m = 0; m < json_array_size(x); m++) {
                    const char *s = json_string_value(json_array_get(x, m));
                    if (s == NULL) {
                        bad(L, 0, "'%s': expected strings in '%s'", name, keys[j]);
                        break;
                    }
                    if (m > 0)
                        strcat(v[k], " ");
                    strcat(v[k], s);
                }
                continue;
            }
            if (x != NULL && !json_is_null(x) && !json_is_string(x)) {
                bad(L, 0, "'%s': expected a string or null for '%s'", name, keys[j]);
                break;
            }
            v[k] = osim__strdup(x != NULL && json_is_string(x) ? json_string_value(x) : "");
            if (v[k] == NULL)
                L->rc = OSIM_ENOMEM;
        }
    }
    return v;
}

static void read_shape(loader *L, json_t *doc, osim_mc_result *r)
{
    static const char *const skeys[] = {"id", "title", "publisher", "date", "url", "note"};
    static const char *const pkeys[] = {"path", "kind", "sources", "reason", "note"};
    json_t *sc, *top, *t0, *eco, *comp, *x;
    size_t i, n;

    r->version = get_str(L, doc, "version");
    if (L->rc == 0 && strcmp(r->version, OSIM_VERSION) != 0) {
        bad(L, 0,
            "written by outagesim %s; this is " OSIM_VERSION
            " (results of different versions cannot be combined)",
            r->version);
        return;
    }
    /* Money keys ended in _krw, without a currency, before results said
     * which currency they are in: such a document cannot be read as one. */
    x = json_object_get(doc, "currency");
    if (x == NULL) {
        bad(L, 0,
            "no 'currency': written by an older outagesim, whose money keys end in _krw; "
            "run the scenario again with this version to read or merge it");
        return;
    }
    if (!json_is_string(x) || (r->currency = osim_currency_find(json_string_value(x))) == NULL) {
        bad(L, 0, "'currency' is not one of %s", osim_currency_codes());
        return;
    }
    sc = get(L, doc, "scenario", JSON_OBJECT);
    r->scenario_name = get_str(L, sc, "name");
    r->scenario_file = get_str(L, sc, "file");
    x = get(L, sc, "sha256", JSON_STRING);
    if (x != NULL) {
        if (strlen(json_string_value(x)) != 64)
            bad(L, 0, "sha256 is not 64 hex digits");
        else
            memcpy(r->sha256, json_string_value(x), 65);
    }
    r->overrides =
        names_of(L, get(L, sc, "overrides", JSON_ARRAY), "overrides", &r->overrides_count);
    r->sources = flat_of(L, doc, "sources", skeys, OSIM_MC_SOURCE_FIELDS, NULL, &r->sources_count);
    r->provenance =
        flat_of(L, doc, "provenance", pkeys, OSIM_MC_PROV_FIELDS, "sources", &r->provenance_count);
    r->seed = get_u64(L, doc, "seed");
    r->from = get_u64(L, doc, "from");
    r->to = get_u64(L, doc, "to");
    if (L->rc == 0 && r->to < r->from)
        bad(L, 0, "'to' lies before 'from'");
    x = json_object_get(doc, "interrupted");
    if (!json_is_boolean(x))
        bad(L, 0, "missing or mistyped key '%s'", "interrupted");
    else
        r->interrupted = json_is_true(x);
    x = json_object_get(doc, "precision");
    if (x != NULL && L->rc == 0) {
        json_t *rel = json_object_get(x, "rel"), *ach = json_object_get(x, "achieved");
        r->precision_metric = get_str(L, x, "metric");
        r->precision_rel = json_number_value(rel);
        r->precision_achieved = json_is_number(ach) ? json_number_value(ach) : HUGE_VAL;
        r->precision_met = json_is_true(json_object_get(x, "met"));
    }
    x = get(L, doc, "incident", JSON_OBJECT);
    r->sites = names_of(L, get(L, x, "sites", JSON_ARRAY), "name", &r->sites_count);
    eco = get(L, doc, "economics", JSON_OBJECT);
    x = get(L, eco, "incident_probability", JSON_REAL);
    r->incident_probability = x != NULL ? json_real_value(x) : 0.0;
    r->baseline = get_str(L, eco, "baseline");

    top = get(L, doc, "topologies", JSON_ARRAY);
    if (L->rc != 0)
        return;
    n = json_array_size(top);
    if (n == 0) {
        bad(L, 0, "no topologies");
        return;
    }
    r->topologies = names_of(L, top, "name", &r->topologies_count);
    r->annual_cost_krw = calloc(n, sizeof(int64_t));
    if (r->annual_cost_krw == NULL) {
        L->rc = OSIM_ENOMEM;
        return;
    }
    for (i = 0; i < n && L->rc == 0; i++) {
        json_t *e = get(L, json_array_get(top, i), "economics", JSON_OBJECT);
        json_t *c = get(L, e, "annual_cost_money", JSON_INTEGER);
        r->annual_cost_krw[i] = c != NULL ? (int64_t)json_integer_value(c) : 0;
    }
    t0 = json_array_get(top, 0);
    r->services = names_of(L, get(L, t0, "services", JSON_ARRAY), "name", &r->services_count);
    /* A run with backups wrote the copies metrics beside each service's. */
    x = json_array_get(json_object_get(t0, "services"), 0);
    r->copies = x != NULL && json_object_get(x, "data_restored_h") != NULL;
    x = get(L, t0, "small_business", JSON_OBJECT);
    r->segments = names_of(L, get(L, x, "segments", JSON_ARRAY), "name", &r->segments_count);
    comp = get(L, t0, "compensation", JSON_ARRAY);
    if (L->rc != 0)
        return;
    n = json_array_size(comp);
    r->policies = calloc(n + 1, sizeof(*r->policies));
    if (r->policies == NULL) {
        L->rc = OSIM_ENOMEM;
        return;
    }
    for (i = 0; i < n && L->rc == 0; i++) {
        json_t *p = json_array_get(comp, i);
        osim_mc_policy *mp = &r->policies[i];
        r->policies_count = i + 1;
        mp->name = get_str(L, p, "policy");
        mp->model = get_str(L, p, "model");
        mp->legal_basis = get_str(L, p, "legal_basis");
        x = json_object_get(p, "in_economics");
        mp->in_economics = json_is_true(x);
        x = json_object_get(p, "converted_from");
        if (x != NULL) {
            json_t *rate = get(L, x, "rate", JSON_REAL);
            mp->converted_from = get_str(L, x, "currency");
            mp->converted_rate = rate != NULL ? json_real_value(rate) : 0.0;
        }
        mp->classes = names_of(L, get(L, p, "classes", JSON_ARRAY), "name", &mp->classes_count);
    }
}

/* ------------------------------------------------------------ rows */

/* The rows of results.json's range, from replications.csv (the text codec). */
static int read_rows(const char *path, osim_mc_result *r, osim_diag *diag)
{
    FILE *f;
    int rc;

    if ((f = fopen(path, "r")) == NULL && errno == ENOENT)
        /* A long run leaves the file out unless asked (outagesim run). */
        return osim_diag_set(diag, OSIM_ENOENT, path, 0, 0,
                             "no such file: the rows of these %llu replications were not written "
                             "(a run of more than 100,000 replications writes replications.csv "
                             "only with --replications-csv; run it again with it)",
                             (unsigned long long)(r->to - r->from));
    if (f == NULL)
        return osim_diag_set(diag, OSIM_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    rc = osim_mc_result_read_rows(r, f, path, diag);
    fclose(f);
    return rc;
}

/* ------------------------------------------------------------ identity */

/*
 * Whether the first line of dir/name (a CSV file beside results.json) names
 * the run of r: "# outagesim V; ... sha256 H; seed S; replications A..B"
 * (rows.h). Each file of a folder is renamed into place whole, but a
 * folder written file by file (an older outagesim, a copy by hand) can
 * mix two runs; this is where a reader refuses it. OSIM_EIO when the file
 * is of another run, with a message naming both files.
 */
static int check_identity(const osim_mc_result *r, const char *dir, const char *name,
                          osim_diag *diag)
{
    char *path = osim_path_join(dir, name);
    char line[2048], want[160];
    FILE *f;
    int rc = 0;

    if (path == NULL)
        return OSIM_ENOMEM;
    if ((f = fopen(path, "r")) == NULL) {
        /* Only replications.csv is required (read_rows opened it already). */
        if (errno != ENOENT)
            rc = osim_diag_set(diag, OSIM_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        goto done;
    }
    if (fgets(line, sizeof(line), f) == NULL)
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    snprintf(want, sizeof(want), "# outagesim %s;", r->version);
    if (strncmp(line, want, strlen(want)) != 0)
        goto mixed;
    snprintf(want, sizeof(want), "; sha256 %s;", r->sha256);
    if (strstr(line, want) == NULL)
        goto mixed;
    snprintf(want, sizeof(want), "; seed %llu;", (unsigned long long)r->seed);
    if (strstr(line, want) == NULL)
        goto mixed;
    snprintf(want, sizeof(want), "; replications %llu..%llu", (unsigned long long)r->from,
             (unsigned long long)(r->to > r->from ? r->to - 1 : r->from));
    {
        const char *p = strstr(line, want);
        if (p == NULL || (p[strlen(want)] != '\0' && p[strlen(want)] != ';'))
            goto mixed;
    }
    goto done;
mixed:
    rc = osim_diag_set(diag, OSIM_EIO, path, 1, 0,
                       "%s and %s are not from one run (%s should name outagesim %s, seed "
                       "%llu, replications %llu..%llu, sha256 %.12s...): the folder mixes "
                       "two runs",
                       name, OSIM_REPORT_RESULTS_JSON, name, r->version,
                       (unsigned long long)r->seed, (unsigned long long)r->from,
                       (unsigned long long)(r->to > r->from ? r->to - 1 : r->from), r->sha256);
done:
    free(path);
    return rc;
}

/* Whether the document r would write equals the bytes of the file at path. */
static int same_document(const osim_mc_result *r, const char *path, osim_diag *diag)
{
    char *mine = NULL, *theirs = NULL;
    size_t mine_n = 0, theirs_n = 0;
    FILE *m = open_memstream(&mine, &mine_n), *f;
    int rc = 0;

    if (m == NULL)
        return OSIM_ENOMEM;
    rc = osim_report_json(r, m, diag);
    fclose(m);
    if (rc != 0)
        goto done;
    f = fopen(path, "rb");
    if (f == NULL) {
        rc = osim_diag_set(diag, OSIM_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        goto done;
    }
    {
        FILE *t = open_memstream(&theirs, &theirs_n);
        char buf[65536];
        size_t got;
        if (t == NULL) {
            fclose(f);
            rc = OSIM_ENOMEM;
            goto done;
        }
        while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
            fwrite(buf, 1, got, t);
        fclose(t);
        fclose(f);
    }
    if (mine_n != theirs_n || memcmp(mine, theirs, mine_n) != 0)
        rc = osim_diag_set(diag, OSIM_ESCHEMA, path, 0, 0,
                           "does not match the rows of replications.csv beside it (edited, or "
                           "the two files come from different runs)");
done:
    free(mine);
    free(theirs);
    return rc;
}

/*
 * A catalogue's folder (results.json holds a `risk` block): its economics
 * and risk are the whole catalogue's, so they are rebuilt as `run` built
 * them, from each incident's event table in dir/incidents/NAME/ (read
 * back like any results folder) with the year table's seed and length.
 * r (the first incident's rows) then holds the catalogue's economics and
 * owns the risk. A folder without `risk` is left as it is.
 */
static int load_catalogue(const char *dir, osim_mc_result *r, osim_diag *diag)
{
    osim_report_risk_head *h = NULL;
    osim_mc_result **ev = NULL;
    osim_catalogue_result *c = NULL;
    char *base = NULL;
    size_t k, n = 0;
    int rc;

    if ((rc = osim_report_load_risk_head(dir, &h, diag)) != 0 || h == NULL)
        return rc;
    n = h->incidents_count;
    rc = OSIM_ENOMEM;
    ev = calloc(n, sizeof(*ev));
    base = osim_path_join(dir, "incidents");
    if (ev == NULL || base == NULL)
        goto done;
    for (k = 0; k < n; k++) {
        char *sub;
        if (strchr(h->incidents[k], '/') != NULL || h->incidents[k][0] == '.') {
            rc = osim_diag_set(diag, OSIM_ESCHEMA, dir, 0, 0,
                               "results.json: risk: incident %zu has no usable name", k + 1);
            goto done;
        }
        if ((sub = osim_path_join(base, h->incidents[k])) == NULL) {
            rc = OSIM_ENOMEM;
            goto done;
        }
        rc = osim_report_load_dir(sub, &ev[k], diag);
        free(sub);
        if (rc != 0)
            goto done;
    }
    /* The year table's seed is the run's (cmd_run.c, merge). */
    if ((rc = osim_catalogue_summarise_events((const char *const *)h->incidents, ev, n, r->seed,
                                              h->years, &c, diag)) != 0 ||
        (rc = osim_catalogue_apply(c, ev, n, r)) != 0)
        goto done;
    r->catalogue_owned = c;
    c = NULL;
done:
    for (k = 0; ev != NULL && k < n; k++)
        osim_mc_result_free(ev[k]);
    osim_catalogue_free(c);
    free(ev);
    free(base);
    osim_report_risk_head_free(h);
    return rc;
}

int osim_report_load_dir(const char *dir, osim_mc_result **out, osim_diag *diag)
{
    char *jpath = osim_path_join(dir, OSIM_REPORT_RESULTS_JSON);
    char *cpath = osim_path_join(dir, OSIM_REPORT_REPLICATIONS_CSV);
    osim_mc_result *r = calloc(1, sizeof(*r));
    json_error_t jerr;
    json_t *doc = NULL;
    loader L = {jpath, diag, 0};
    int rc = OSIM_ENOMEM;

    if (jpath == NULL || cpath == NULL || r == NULL)
        goto fail;
    r->baseline_index = -1;
    doc = json_load_file(jpath, 0, &jerr);
    if (doc == NULL) {
        rc = osim_diag_set(diag, errno == ENOENT ? OSIM_ENOENT : OSIM_ESYNTAX, jpath, jerr.line,
                           jerr.column, "%s", jerr.text);
        goto fail;
    }
    read_shape(&L, doc, r);
    if ((rc = L.rc) != 0)
        goto fail;
    if ((rc = osim_mc_result_catalogue(r)) != 0)
        goto fail;
    if ((rc = read_rows(cpath, r, diag)) != 0)
        goto fail;
    if ((rc = osim_mc_result_summarise(r, diag)) != 0)
        goto fail;
    if ((rc = load_catalogue(dir, r, diag)) != 0)
        goto fail;
    if ((rc = same_document(r, jpath, diag)) != 0)
        goto fail;
    if ((rc = check_identity(r, dir, OSIM_REPORT_REPLICATIONS_CSV, diag)) != 0 ||
        (rc = check_identity(r, dir, OSIM_REPORT_SUMMARY_CSV, diag)) != 0)
        goto fail;
    json_decref(doc);
    free(jpath);
    free(cpath);
    *out = r;
    return 0;
fail:
    json_decref(doc);
    free(jpath);
    free(cpath);
    osim_mc_result_free(r);
    return rc;
}
