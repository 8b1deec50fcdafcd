/*
 * test_brief.c -- invariants of the liability report (brief.h): its
 * numbers are results.json's numbers; it is a pure function of its inputs
 * (built twice: the same bytes); report.html loads nothing (no script, no
 * src, no @import, no url() but to its own SVG ids); the SVG figures
 * inlined in one page get ids of their own; the sources and provenance of
 * results.json are listed when present, said to be absent when absent, and
 * refused when malformed.
 *
 * One run of the reference scenario (64 replications) is written to a
 * temporary folder and read back as `outagesim report` reads it; the
 * checks parse report.md and compare with results.json parsed by jansson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outagesim/brief.h"
#include "outagesim/compensation.h"
#include "outagesim/mc.h"
#include "outagesim/report.h"

#define SCENARIO "../scenarios/kakao-pangyo-2022.yaml"

typedef struct world {
    char dir[64];
    char json[96];
    osim_scenario *sc;
    osim_mc_result *r; /* read back from dir */
} world;

static world W;

static int setup(void **state)
{
    osim_mc_options o;
    osim_mc *mc = NULL;
    osim_mc_result *run;
    osim_diag d;

    (void)state;
    osim_diag_clear(&d);
    snprintf(W.dir, sizeof(W.dir), "/tmp/test_brief.XXXXXX");
    if (mkdtemp(W.dir) == NULL)
        return -1;
    snprintf(W.json, sizeof(W.json), "%s/results.json", W.dir);
    if (osim_comp_scenario_load(SCENARIO, NULL, 0, &W.sc, &d) != 0)
        return -1;
    memset(&o, 0, sizeof(o));
    o.seed = 3;
    o.from = 0;
    o.to = 64;
    o.threads = 1;
    if (osim_mc_new(W.sc, &o, &mc, &d) != 0 || osim_mc_run(mc, &d) != 0)
        return -1;
    run = osim_mc_take_result(mc);
    osim_mc_free(mc);
    if (osim_report_write_dir(run, W.dir, &d) != 0)
        return -1;
    osim_mc_result_free(run);
    return osim_report_load_dir(W.dir, &W.r, &d) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    osim_mc_result_free(W.r);
    osim_scenario_free(W.sc);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", W.dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The brief of W as Markdown (md) or HTML, in a new string. */
static char *render(const char *results_json, const char *svg_dir, bool html, int want_rc)
{
    osim_brief_input in;
    osim_brief *b = NULL;
    osim_diag d;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    memset(&in, 0, sizeof(in));
    osim_diag_clear(&d);
    in.result = W.r;
    in.results_json = results_json;
    in.scenario = W.sc;
    in.svg_dir = svg_dir;
    assert_int_equal(osim_brief_new(&in, &b, &d), want_rc);
    if (want_rc != 0) {
        assert_null(b);
        return NULL;
    }
    f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(html ? osim_brief_write_html(b, f) : osim_brief_write_markdown(b, f), 0);
    fclose(f);
    osim_brief_free(b);
    return buf;
}

/* x rounded to a whole number with ',' every three digits (written here, not
 * by the library, so that the check does not compare a function with itself). */
static void grouped(char *buf, size_t n, double x)
{
    char digits[32];
    long long v = llround(x);
    size_t len, i, o = 0;

    snprintf(digits, sizeof(digits), "%lld", v < 0 ? -v : v);
    len = strlen(digits);
    if (v < 0)
        buf[o++] = '-';
    for (i = 0; i < len && o + 2 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* The cells of the Markdown table row of md (from *from on) whose first cell
 * starts with first, up to the next "### " heading; NULL when none. The row
 * is copied into row. */
static bool find_row(const char *from, const char *end, const char *first, char cells[][96],
                     size_t ncells)
{
    const char *p = from;
    size_t fl = strlen(first);

    while (p != NULL && (end == NULL || p < end)) {
        const char *line = p;
        const char *nl = strchr(p, '\n');
        p = nl != NULL ? nl + 1 : NULL;
        if (strncmp(line, "| ", 2) == 0 && strncmp(line + 2, first, fl) == 0 &&
            (line[2 + fl] == ' ' || line[2 + fl] == '|')) {
            size_t c = 0;
            const char *q = line + 1;
            while (c < ncells && q != NULL && (nl == NULL || q < nl)) {
                const char *bar = strstr(q, " |");
                size_t l;
                if (bar == NULL || (nl != NULL && bar > nl))
                    break;
                while (*q == ' ')
                    q++;
                l = (size_t)(bar - q);
                if (l > 95)
                    l = 95;
                memcpy(cells[c], q, l);
                cells[c][l] = '\0';
                c++;
                q = bar + 2;
            }
            return c == ncells;
        }
    }
    return false;
}

static void numbers_match_results_json(void **state)
{
    char *md = render(W.json, NULL, false, 0), head[160], want[64], cells[6][96];
    json_error_t err;
    json_t *doc = json_load_file(W.json, 0, &err), *tops, *t, *c;
    size_t i, j, checked = 0;

    (void)state;
    assert_non_null(doc);
    tops = json_object_get(doc, "topologies");
    json_array_foreach(tops, i, t)
    {
        const char *name = json_string_value(json_object_get(t, "name"));
        const char *sec, *end;
        snprintf(head, sizeof(head), "### Under %s\n", name);
        sec = strstr(md, head);
        assert_non_null(sec);
        end = strstr(sec + 1, "\n## ");
        {
            const char *next3 = strstr(sec + 1, "\n### ");
            if (next3 != NULL && (end == NULL || next3 < end))
                end = next3;
        }
        json_array_foreach(json_object_get(t, "compensation"), j, c)
        {
            const char *pol = json_string_value(json_object_get(c, "policy"));
            double nom =
                json_number_value(json_object_get(json_object_get(c, "nominal_money"), "mean"));
            double tot =
                json_number_value(json_object_get(json_object_get(c, "total_money"), "mean"));
            double cl = json_number_value(json_object_get(json_object_get(c, "claimants"), "mean"));
            const char *basis = json_string_value(json_object_get(c, "legal_basis"));
            char basis_line[512];
            if (!find_row(sec, end, pol, cells, 6)) {
                /* Only a design under which nothing is paid has no table. */
                assert_non_null(strstr(sec, "No regime pays anything"));
                assert_true(nom == 0 && tot == 0);
                continue;
            }
            grouped(want, sizeof(want), cl);
            assert_string_equal(cells[1], want);
            grouped(want, sizeof(want), nom);
            strcat(want, "원");
            assert_string_equal(cells[2], want);
            grouped(want, sizeof(want), tot);
            strcat(want, "원");
            assert_string_equal(cells[3], want);
            /* The full legal basis, never cut, under the policy's row. */
            snprintf(basis_line, sizeof(basis_line), "Legal basis: %s |", basis);
            assert_non_null(strstr(sec, basis_line));
            checked++;
        }
    }
    assert_true(checked >= 20); /* as-was and single-site: every policy */
    assert_non_null(strstr(md, "| kakao-2022-user-package (counted) | 48,000,000 | "
                               "557,700,000,000원 |"));
    json_decref(doc);
    free(md);
}

static void bracket_table_matches(void **state)
{
    char *md = render(W.json, NULL, false, 0), want[64], cells[4][96];
    const char *sec = strstr(md, "## Claimant classes and brackets");
    json_error_t err;
    json_t *doc = json_load_file(W.json, 0, &err), *t, *c, *k;
    size_t j, n;
    bool seen = false;

    (void)state;
    assert_non_null(doc);
    assert_non_null(sec);
    t = json_array_get(json_object_get(doc, "topologies"), 0); /* the baseline, as-was */
    assert_string_equal(json_string_value(json_object_get(t, "name")), "as-was");
    assert_non_null(strstr(sec, "*kakao-2022-small-business (loss_brackets)*"));
    json_array_foreach(json_object_get(t, "compensation"), j, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "policy")), "kakao-2022-small-business"))
            continue;
        json_array_foreach(json_object_get(c, "classes"), n, k)
        {
            const char *cls = json_string_value(json_object_get(k, "name"));
            double cl = json_number_value(json_object_get(json_object_get(k, "claimants"), "mean"));
            double am =
                json_number_value(json_object_get(json_object_get(k, "amount_money"), "mean"));
            char esc[96];
            /* '|' would be escaped; the bracket names hold none. */
            snprintf(esc, sizeof(esc), "%s", cls);
            assert_true(find_row(sec, NULL, esc, cells, 4));
            grouped(want, sizeof(want), cl);
            assert_string_equal(cells[1], want);
            grouped(want, sizeof(want), am);
            strcat(want, "원");
            assert_string_equal(cells[2], want);
            seen = true;
        }
    }
    assert_true(seen);
    json_decref(doc);
    free(md);
}

static void same_input_same_bytes(void **state)
{
    char *a = render(W.json, NULL, true, 0), *b = render(W.json, NULL, true, 0);
    char *c = render(W.json, NULL, false, 0), *d = render(W.json, NULL, false, 0);

    (void)state;
    assert_string_equal(a, b);
    assert_string_equal(c, d);
    free(a);
    free(b);
    free(c);
    free(d);
}

/* Every "url(" in s is "url(#". */
static bool urls_local(const char *s)
{
    for (s = strstr(s, "url("); s != NULL; s = strstr(s + 1, "url("))
        if (s[4] != '#')
            return false;
    return true;
}

static void html_loads_nothing(void **state)
{
    char svgdir[96], path[128], *html;
    const char *p;
    FILE *f;
    int i;

    (void)state;
    /* Two figures as gnuplot writes them: the same ids in both. */
    snprintf(svgdir, sizeof(svgdir), "%s/svg", W.dir);
    assert_int_equal(mkdir(svgdir, 0777) == 0 || access(svgdir, F_OK) == 0, 1);
    for (i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s.svg", svgdir, i == 0 ? "timeline" : "designs");
        f = fopen(path, "w");
        assert_non_null(f);
        fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg width=\"600\" height=\"400\" "
              "xmlns=\"http://www.w3.org/2000/svg\"><defs><path id=\"gpPt0\" d=\"M0 0\"/>"
              "<linearGradient id=\"g\"/></defs><use xlink:href=\"#gpPt0\"/>"
              "<rect fill=\"url(#g)\"/></svg>\n",
              f);
        fclose(f);
    }
    html = render(W.json, svgdir, true, 0);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "@import"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<?xml"));
    assert_true(urls_local(html));
    /* Every href is a link to an id of the page or a clicked http(s) link. */
    for (p = strstr(html, "href=\""); p != NULL; p = strstr(p + 1, "href=\""))
        assert_true(p[6] == '#' || strncmp(p + 6, "http", 4) == 0);
    /* Ids of the inlined figures are their own. */
    assert_non_null(strstr(html, "id=\"fig1-gpPt0\""));
    assert_non_null(strstr(html, "id=\"fig2-gpPt0\""));
    assert_non_null(strstr(html, "xlink:href=\"#fig2-gpPt0\""));
    assert_non_null(strstr(html, "url(#fig1-g)"));
    assert_null(strstr(html, "id=\"gpPt0\""));
    free(html);
}

static void sources_and_provenance(void **state)
{
    char path[128], *md;
    json_error_t err;
    json_t *doc = json_load_file(W.json, 0, &err), *src, *prov;

    (void)state;
    assert_non_null(doc);
    /* A run records its scenario's sources as data: the report lists them. */
    md = render(W.json, NULL, false, 0);
    assert_true(W.sc->sources_count > 0);
    assert_non_null(strstr(md, W.sc->sources[0].title));
    assert_null(strstr(md, "records no sources and no assumptions as data"));
    free(md);

    /* Without the arrays (an older results.json): said plainly, the scenario's listed. */
    json_object_del(doc, "sources");
    json_object_del(doc, "provenance");
    snprintf(path, sizeof(path), "%s/without-sources.json", W.dir);
    assert_int_equal(json_dump_file(doc, path, 0), 0);
    md = render(path, NULL, false, 0);
    assert_non_null(strstr(md, "records no sources and no assumptions as data"));
    assert_non_null(strstr(md, W.sc->sources[0].title));
    free(md);

    /* With the arrays h-provenance adds: every title and every path. */
    src = json_pack("[{s:s, s:s, s:s, s:s, s:s}, {s:n, s:s}]", "id", "S1", "title",
                    "Findings on the Pangyo fire", "publisher", "MSIT", "date", "2022-12-06", "url",
                    "https://example.org/msit", "id", "title", "An untitled source");
    prov = json_pack("[{s:s, s:s, s:[s], s:s}, {s:s, s:s, s:[], s:s}]", "path",
                     "incident.pangyo.power_cut", "kind", "source", "sources", "S1", "note",
                     "cut at 16:52", "path", "incident.pangyo.partial_loss", "kind", "assumption",
                     "sources", "note", "uniform 30-60%");
    json_object_set_new(doc, "sources", src);
    json_object_set_new(doc, "provenance", prov);
    snprintf(path, sizeof(path), "%s/with-sources.json", W.dir);
    assert_int_equal(json_dump_file(doc, path, 0), 0);
    md = render(path, NULL, false, 0);
    assert_non_null(strstr(md, "**Findings on the Pangyo fire**"));
    assert_non_null(strstr(md, "<https://example.org/msit>"));
    /* An untitled source (no id) is listed without an empty "[]". */
    assert_non_null(strstr(md, "- **An untitled source**"));
    assert_null(strstr(md, "[]"));
    assert_non_null(strstr(md, "| incident.pangyo.power_cut | source | S1 | cut at 16:52 |"));
    assert_non_null(
        strstr(md, "| incident.pangyo.partial_loss | assumption |  | uniform 30-60% |"));
    assert_non_null(strstr(md, "(1 cite a source, 1 are assumptions"));
    assert_null(strstr(md, "records no sources and no assumptions as data"));
    free(md);

    /* Malformed: refused, with the file named. */
    json_object_set_new(doc, "sources", json_integer(3));
    assert_int_equal(json_dump_file(doc, path, 0), 0);
    assert_null(render(path, NULL, false, OSIM_ESCHEMA));
    json_decref(doc);
}

static void without_scenario_says_so(void **state)
{
    osim_brief_input in;
    osim_brief *b = NULL;
    osim_diag d;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    memset(&in, 0, sizeof(in));
    osim_diag_clear(&d);
    in.result = W.r;
    in.scenario_note = "x.yaml could not be loaded from here";
    assert_int_equal(osim_brief_new(&in, &b, &d), 0);
    f = open_memstream(&buf, &len);
    assert_int_equal(osim_brief_write_markdown(b, f), 0);
    fclose(f);
    assert_non_null(strstr(buf, "x.yaml could not be loaded from here"));
    assert_non_null(strstr(buf, "557,700,000,000원"));
    /* Without the scenario the command names every topology. */
    assert_non_null(strstr(buf, "--topology as-was,single-site,dual-active-standby"));
    free(buf);
    osim_brief_free(b);
    in.result = NULL;
    assert_int_equal(osim_brief_new(&in, &b, &d), OSIM_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_match_results_json), cmocka_unit_test(bracket_table_matches),
        cmocka_unit_test(same_input_same_bytes),      cmocka_unit_test(html_loads_nothing),
        cmocka_unit_test(sources_and_provenance),     cmocka_unit_test(without_scenario_says_so),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
