/*
 * test_scenario.c -- loading, binding, overrides and checks of scenario files.
 *
 * Invariants checked:
 * - a valid file binds every value in the program's units, with defaults,
 *   references resolved to indices, placements indexed by service and
 *   services in dependency order;
 * - every class of mistake is rejected with its own code and the line and
 *   column of the offending token (each has a small broken file under
 *   tests/fixtures/bad/), and no error path leaks (the suite runs under
 *   ASan's leak checker);
 * - `--set` edits exactly one value, knows every path `params` lists, and
 *   setting any listed path to its listed value changes nothing;
 * - the scenario hash covers the file and the overrides;
 * - sources and assumptions are data: an annotated value binds to what the
 *   plain one binds to, each annotation is recorded under its params path,
 *   bad ones are refused at file:line:col, --set marks what it changed, and
 *   the reference scenario keeps no ASSUMPTION in comments only.
 * Tests run from tests/ (paths are relative to it).
 */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outagesim/compensation.h"
#include "outagesim/scenario.h"
#include "scenario/bind.h"
#include "scenario/scenario_int.h"

#define MINIMAL "../scenarios/minimal.yaml"
#define REFERENCE "../scenarios/kakao-pangyo-2022.yaml"
#define TINY "fixtures/good/tiny.yaml"

static osim_scenario *load_ok(const char *path, const osim_override *ov, size_t n)
{
    osim_scenario *sc = NULL;
    osim_diag d;
    int rc = osim_comp_scenario_load(path, ov, n, &sc, &d);

    if (rc != 0) {
        char buf[1024];
        fail_msg("%s: %s", path, osim_diag_format(&d, buf, sizeof(buf)));
    }
    assert_non_null(sc);
    return sc;
}

/* Load must fail with code at file:line:col, the message containing frag. */
static void load_bad(const char *path, const osim_override *ov, size_t n, int code,
                     const char *file, int line, int col, const char *frag)
{
    osim_scenario *sc = (osim_scenario *)&sc; /* must be reset to NULL */
    osim_diag d;
    char buf[1024];
    int rc = osim_comp_scenario_load(path, ov, n, &sc, &d);

    osim_diag_format(&d, buf, sizeof(buf));
    if (rc != code || d.code != code)
        fail_msg("%s: rc %s, want %s (%s)", path, osim_err_name(rc), osim_err_name(code), buf);
    assert_null(sc);
    if (strcmp(d.file, file) != 0 || d.line != line || d.col != col)
        fail_msg("%s: error at %s:%d:%d, want %s:%d:%d (%s)", path, d.file, d.line, d.col, file,
                 line, col, buf);
    if (strstr(d.msg, frag) == NULL)
        fail_msg("%s: message '%s' lacks '%s'", path, d.msg, frag);
}

/* ------------------------------------------------------------ valid files */

static void test_minimal(void **state)
{
    osim_scenario *sc = load_ok(MINIMAL, NULL, 0);
    const osim_incident_site *in;
    size_t t, i;
    long chat, login;

    (void)state;
    assert_string_equal(sc->name, "minimal");
    assert_int_equal(sc->sites_count, 2);
    assert_int_equal(sc->services_count, 4);
    assert_int_equal(sc->topologies_count, 2);
    assert_int_equal(sc->segments_count, 1);
    assert_int_equal(sc->policies_count, 0);
    assert_int_equal(strlen(sc->sha256), 64);
    /* 2022-10-15 15:19 KST is 06:19 UTC, a Saturday. */
    assert_int_equal(sc->start_epoch_s, 1665847140LL - 9 * 3600);
    assert_int_equal(sc->start_weekday, 5);
    assert_true(fabs(sc->start_hour - (15.0 + 19.0 / 60.0)) < 1e-12);
    assert_true(sc->utc_offset_h == 9.0);
    assert_true(sc->horizon_h == 168.0);
    assert_string_equal(sc->currency, "KRW"); /* default */

    in = &sc->incident[0];
    assert_int_equal(in->site, 0);
    assert_int_equal(in->detection_h.kind, OSIM_DIST_FIXED);
    assert_true(in->detection_h.p[0] == 0.25);
    assert_true(in->detection_h.lo == 0.0); /* durations never go negative */
    assert_int_equal(in->partial_loss_fraction.kind, OSIM_DIST_FIXED);
    assert_true(fabs(in->partial_loss_fraction.p[0] - 0.3) < 1e-15);
    assert_true(in->partial_loss_fraction.hi == 1.0);
    assert_int_equal(in->suppression_h.kind, OSIM_DIST_LOGNORMAL);
    assert_true(fabs(in->suppression_h.p[0] - log(6.0)) < 1e-12);
    assert_true(fabs(in->suppression_h.p[1] - log(10.0 / 6.0) / 1.6448536269514722) < 1e-12);
    assert_int_equal(in->restoration_count, 4);
    assert_true(in->restoration[2].after_h == 24.0);
    assert_true(in->restoration[3].fraction == 1.0);
    assert_int_equal(in->destroyed_fraction.kind, OSIM_DIST_UNIFORM);
    assert_true(fabs(in->destroyed_fraction.p[1] - 0.03) < 1e-15);

    login = osim_scenario_service_index(sc, "login");
    chat = osim_scenario_service_index(sc, "chat");
    assert_true(login >= 0 && chat >= 0);
    assert_int_equal(sc->services[chat].deps_count, 1);
    assert_int_equal(sc->services[chat].deps[0], (size_t)login);
    assert_true(sc->services[chat].shards == 4.0);
    assert_true(sc->services[login].shards == 1.0); /* default */
    assert_int_equal(sc->services[chat].revenue_krw_per_h, 20000000);
    assert_int_equal(sc->services[osim_scenario_service_index(sc, "pay")].monthly_fee_krw, 3900);
    assert_true(sc->services[osim_scenario_service_index(sc, "pay")].subscribers == 100000.0);
    /* Dependencies come first in topo_order. */
    assert_int_equal(sc->topo_order[0], (size_t)login);

    for (t = 0; t < sc->topologies_count; t++)
        for (i = 0; i < sc->services_count; i++)
            assert_int_equal(sc->topologies[t].placements[i].service, i);
    {
        const osim_topology *as =
            &sc->topologies[osim_scenario_topology_index(sc, "active-standby")];
        const osim_placement *pl = &as->placements[login], *pc = &as->placements[chat];
        assert_int_equal(pl->active_count, 2);
        assert_true(pl->load_share[0] == 0.5 && pl->load_share[1] == 0.5);
        assert_int_equal(pl->replication, OSIM_REPL_SYNC);
        assert_true(pl->headroom == 1.0);
        assert_int_equal(pc->active_count, 1);
        assert_true(pc->load_share[0] == 1.0); /* default: equal shares */
        assert_int_equal(pc->standby_count, 1);
        assert_int_equal(pc->standby[0], 1);
        assert_int_equal(pc->failover, OSIM_FAILOVER_MANUAL);
        assert_true(pc->needs_min == 1.0);
        assert_int_equal(pc->needs_count, 1);
        assert_true(as->annual_cost_krw == 5000000000LL);
    }
    assert_true(sc->population.users == 10e6);
    assert_true(sc->population.hourly[0] == 0.10);
    assert_true(sc->population.weekly[6] == 0.92);
    assert_true(sc->segments[0].count == 20000.0);
    assert_true(sc->segments[0].hourly_profile[5] == 1.0); /* default, mean 1 */
    assert_true(sc->segments[0].claim_rate == 0.01);
    assert_int_equal(sc->segments[0].hourly_revenue_krw.kind, OSIM_DIST_LOGNORMAL);
    assert_string_equal(sc->economics.baseline, "single-site");
    assert_int_equal(sc->economics.policies_count, 0);
    osim_scenario_free(sc);
}

static void test_reference(void **state)
{
    osim_scenario *sc;

    (void)state;
    if (access(REFERENCE, R_OK) != 0)
        fail_msg("%s is missing", REFERENCE);
    sc = load_ok(REFERENCE, NULL, 0);
    assert_true(sc->services_count > 0);
    assert_true(sc->topologies_count > 0);
    osim_scenario_free(sc);
}

static void test_policies_and_include(void **state)
{
    osim_scenario *sc = load_ok("fixtures/good/with_policies.yaml", NULL, 0);

    (void)state;
    assert_int_equal(sc->policies_count, 3);
    assert_string_equal(sc->policies[0].name, "chat-credit");
    assert_string_equal(sc->policies[1].name, "shop-credit"); /* from the included file */
    assert_string_equal(sc->policies[2].legal_basis, "an example");
    assert_ptr_equal(sc->policies[0].model, osim_comp_model_find("flat_credit"));
    assert_non_null(sc->policies[2].params);
    assert_int_equal(sc->economics.policies_count, 2);
    assert_int_equal(sc->economics.policies[0], 0);
    assert_int_equal(sc->economics.policies[1], 1);
    osim_scenario_free(sc);

    /* Without economics.policies every policy counts. */
    sc = load_ok(MINIMAL, NULL, 0);
    assert_int_equal(sc->economics.policies_count, 0);
    osim_scenario_free(sc);
}

/* ------------------------------------------------------------ model catalogues */

/* A model kind that is not a compensation model: the loader must bind and
 * check it through the catalogue alone. */
typedef struct kind_params {
    double factor;
} kind_params;

static const osim_field kind_fields[] = {
    {.key = "factor",
     .type = OSIM_FT_REAL,
     .offset = offsetof(kind_params, factor),
     .flags = OSIM_F_REQUIRED,
     .doc = "a number at most 1"},
};
static const osim_schema kind_schema = {"toy", sizeof(kind_params), kind_fields, 1};
static const int kind_object = 42; /* stands for the plug-in's own model */

static int kind_validate(const void *params, osim_bind_ctx *ctx)
{
    const kind_params *t = params;

    if (t->factor > 1.0)
        return osim_bind_error(ctx, &t->factor, OSIM_ERANGE, "factor %g is above 1", t->factor);
    return 0;
}

static int kind_at(size_t i, osim_model_kind *out)
{
    if (i > 0)
        return 0;
    out->name = "toy";
    out->params_schema = &kind_schema;
    out->validate = kind_validate;
    out->model = &kind_object;
    return 1;
}

static const osim_model_catalogue kind_catalogue = {"toy model", kind_at};

static const char kind_text[] = "scenario: {name: toy, start: \"2022-10-15 15:19\"}\n"
                                "sites: [{name: a}]\n"
                                "incident: [{site: a, power_cut: 1h, suppression: 2h,\n"
                                "            restoration: {profile: [{after: 0h, fraction: 1}]}}]\n"
                                "services: [{name: auth}]\n"
                                "topologies: [{name: one, services: [{name: auth, active: [a]}]}]\n"
                                "population: {users: 1000}\n"
                                "policies:\n"
                                "  - name: p\n"
                                "    model: toy\n"
                                "    params: {factor: 0.5}\n";

static void test_model_catalogue(void **state)
{
    osim_scenario_options opt = {NULL, 0, &kind_catalogue};
    osim_override big = {"policies.p.params.factor", "3"};
    osim_override ok = {"policies.p.params.factor", "0.25"};
    osim_scenario *sc = NULL;
    osim_model_kind k;
    osim_diag d;

    (void)state;
    assert_int_equal(osim_model_catalogue_find(&kind_catalogue, "toy", &k), 1);
    assert_ptr_equal(k.model, &kind_object);
    assert_int_equal(osim_model_catalogue_find(&kind_catalogue, "to", &k), 0);
    assert_int_equal(osim_model_catalogue_find(NULL, "toy", &k), 0);

    /* Bound through the catalogue: the policy points to the plug-in's object. */
    assert_int_equal(
        osim_scenario_load_buffer("toy.yaml", kind_text, strlen(kind_text), &opt, &sc, &d), 0);
    assert_int_equal(sc->policies_count, 1);
    assert_ptr_equal(sc->policies[0].model, &kind_object);
    assert_ptr_equal(sc->policies[0].params_schema, &kind_schema);
    assert_true(((const kind_params *)sc->policies[0].params)->factor == 0.5);
    osim_scenario_free(sc);

    /* --set reaches the params through the same catalogue. */
    opt.overrides = &ok;
    opt.n_overrides = 1;
    sc = NULL;
    assert_int_equal(
        osim_scenario_load_buffer("toy.yaml", kind_text, strlen(kind_text), &opt, &sc, &d), 0);
    assert_true(((const kind_params *)sc->policies[0].params)->factor == 0.25);
    osim_scenario_free(sc);

    /* The kind's own check runs, and reports at the override. */
    opt.overrides = &big;
    sc = NULL;
    assert_int_equal(
        osim_scenario_load_buffer("toy.yaml", kind_text, strlen(kind_text), &opt, &sc, &d),
        OSIM_ERANGE);
    assert_null(sc);
    assert_string_equal(d.file, "--set policies.p.params.factor=3");
    assert_non_null(strstr(d.msg, "factor 3 is above 1"));

    /* With no catalogue no model is known; with the compensation one, toy is not. */
    assert_int_equal(
        osim_scenario_load_buffer("toy.yaml", kind_text, strlen(kind_text), NULL, &sc, &d),
        OSIM_EREF);
    assert_null(sc);
    assert_int_equal(d.line, 10);
    assert_non_null(strstr(d.msg, "unknown compensation model 'toy' (known: none registered)"));
    assert_int_equal(
        osim_comp_scenario_load_buffer("toy.yaml", kind_text, strlen(kind_text), NULL, 0, &sc, &d),
        OSIM_EREF);
    assert_non_null(strstr(d.msg, "(known: goodwill_package, loss_brackets"));
    /* A catalogue names its kinds in messages. */
    opt.overrides = NULL;
    opt.n_overrides = 0;
    {
        static const char other[] = "policies: [{name: q, model: flat_credit}]\n";
        char text[sizeof(kind_text) + sizeof(other)];
        snprintf(text, sizeof(text), "%.*s%s", (int)(strstr(kind_text, "policies:") - kind_text),
                 kind_text, other);
        assert_int_equal(osim_scenario_load_buffer("toy.yaml", text, strlen(text), &opt, &sc, &d),
                         OSIM_EREF);
        assert_non_null(strstr(d.msg, "unknown toy model 'flat_credit' (known: toy)"));
    }
}

/* ------------------------------------------------------------ one file per error class */

typedef struct bad_case {
    const char *file; /* under fixtures/bad/ */
    int code, line, col;
    const char *frag;
} bad_case;

static const bad_case bad_cases[] = {
    {"syntax", OSIM_ESYNTAX, 13, 30, "YAML syntax error"},
    {"unknown_key", OSIM_ESCHEMA, 13, 5,
     "unknown key 'restrat' in services.auth (did you mean "
     "'restart'?)"},
    {"unknown_top", OSIM_ESCHEMA, 20, 1, "unknown key 'businesess' at the top level"},
    {"wrong_type", OSIM_ESCHEMA, 13, 25, "services.chat.needs: expected a list"},
    {"missing_required", OSIM_ESCHEMA, 7, 5, "incident.a: missing required key 'power_cut'"},
    {"negative_duration", OSIM_ERANGE, 9, 18, "'-2h' is negative: a duration must be >= 0"},
    {"negative_count", OSIM_ERANGE, 19, 21, "'-1000' is negative: a count must be >= 0"},
    {"probability", OSIM_ERANGE, 12, 30, "'1.5' is outside [0,1]"},
    {"p95_below_median", OSIM_ERANGE, 13, 49, "p95 (90m) is below the median"},
    {"cycle", OSIM_ECYCLE, 12, 18, "dependency cycle: auth -> chat -> auth"},
    {"unknown_service", OSIM_EREF, 13, 26, "unknown service 'auht' (did you mean 'auth'?)"},
    {"unknown_site", OSIM_EREF, 17, 31, "unknown site 'c' (known: a, b)"},
    {"unplaced", OSIM_ESCHEMA, 15, 11, "topology 'one' places service 'chat' nowhere"},
    {"duplicate_key", OSIM_ESYNTAX, 10, 5, "duplicate key"},
    {"duplicate_name", OSIM_ESCHEMA, 14, 12,
     "duplicate service name 'auth' (first defined on "
     "line 12)"},
    {"load_share", OSIM_ERANGE, 17, 38, "load_share sums to 1.1, not 1"},
    {"active_standby", OSIM_ESCHEMA, 18, 45, "site 'a' is both active and standby"},
    {"alias", OSIM_ESCHEMA, 20, 5, "aliases (*n) are not supported"},
    {"bomb", OSIM_ESCHEMA, 3, 9, "aliases (*a) are not supported"},
    {"multi_doc", OSIM_ESYNTAX, 21, 1, "more than one YAML document"},
    {"bad_dist", OSIM_ESCHEMA, 8, 40, "'mean' does not apply to a lognormal distribution"},
    {"unknown_model", OSIM_EREF, 21, 22, "unknown compensation model 'flat_credits' (known: "},
    {"model_validate", OSIM_ESCHEMA, 25, 14, "claimants"},
    {"fractional_count", OSIM_ERANGE, 19, 21, "'0.5' is not a whole number"},
    {"unknown_source", OSIM_EREF, 12, 48, "services.s.user_share: unknown source 'S9'"},
    /* Products that pass int64 won are refused at load, at the factor out of
     * scale, not by a report after the whole run (limits.c). */
    {"limit_segment", OSIM_ERANGE, 18, 26, "businesses.shops: out of range: count x mean"},
    {"limit_fee", OSIM_ERANGE, 11, 62, "services.auth: out of range: subscribers x monthly_fee"},
    {"limit_policy", OSIM_ERANGE, 20, 45,
     "policies.credit.params.amount: out of range: 1,000,000,000,000 won x 100000000 "
     "(population.users"},
    {"include_missing", OSIM_ENOENT, 21, 14,
     "include 'fixtures/bad/include/no_such_file.yaml': "
     "cannot open"},
};

static void test_bad_files(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        char path[256];
        snprintf(path, sizeof(path), "fixtures/bad/%s.yaml", bad_cases[i].file);
        load_bad(path, NULL, 0, bad_cases[i].code, path, bad_cases[i].line, bad_cases[i].col,
                 bad_cases[i].frag);
    }
}

static void test_error_in_included_file(void **state)
{
    (void)state;
    /* The error points into the included file, not at the include line. */
    load_bad("fixtures/bad/include_bad.yaml", NULL, 0, OSIM_ERANGE,
             "fixtures/bad/include/broken_policy.yaml", 6, 13,
             "policies.credit.params.amount: '-5' is negative");
}

static void test_unreadable(void **state)
{
    (void)state;
    load_bad("fixtures/bad/empty.yaml", NULL, 0, OSIM_ESCHEMA, "fixtures/bad/empty.yaml", 0, 0,
             "file is empty");
    load_bad("fixtures/bad/comments_only.yaml", NULL, 0, OSIM_ESCHEMA,
             "fixtures/bad/comments_only.yaml", 0, 0, "file is empty");
    load_bad("fixtures/bad", NULL, 0, OSIM_EINVAL, "fixtures/bad", 0, 0, "is a directory");
    load_bad("fixtures/no/such/file.yaml", NULL, 0, OSIM_ENOENT, "fixtures/no/such/file.yaml", 0, 0,
             "cannot open: No such file or directory");
}

static void test_too_large(void **state)
{
    char path[] = "/tmp/outagesim-big-XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    size_t i;

    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("scenario:\n  description: \"", f);
    for (i = 0; i < (17u << 20) / 64; i++)
        fputs("0123456789012345678901234567890123456789012345678901234567890123", f);
    fputs("\"\n", f);
    fclose(f);
    load_bad(path, NULL, 0, OSIM_ERANGE, path, 0, 0, "limited to 2 MiB");
    unlink(path);
}

static void write_bad(const char *bytes, size_t n, int line, int col, const char *frag)
{
    char path[] = "/tmp/outagesim-text-XXXXXX";
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, n), (ssize_t)n);
    close(fd);
    load_bad(path, NULL, 0, OSIM_ESYNTAX, path, line, col, frag);
    unlink(path);
}

static void test_not_text(void **state)
{
    static const char nul[] = "scenario:\n  name: x\0\n";
    static const char euc_kr[] = "scenario:\n  name: \xc6\xc7\xb1\xb3\n"; /* 판교 in EUC-KR */

    (void)state;
    write_bad(nul, sizeof(nul) - 1, 2, 10, "a NUL byte");
    write_bad(euc_kr, sizeof(euc_kr) - 1, 2, 9, "not UTF-8 text");
}

/* ------------------------------------------------------------ overrides */

static void test_override_values(void **state)
{
    const osim_override ov[] = {
        {"population.users", "96000000"},
        {"businesses.shops.claim_rate", "0.2"},
        {"topologies.active-standby.services.maps.failover", "automatic"},
        {"incident.north.power_cut.mean", "2h"},
        {"incident.north.detection", "{dist: uniform, min: 5m, max: 25m}"},
        {"services.login.user_share", "50%"}, /* absent in the file: created */
        {"topologies.single-site.annual_cost", "1.5G"},
        {"population.hourly.3", "0.5"},
        {"services.chat.needs", "[]"},
        {"population.users", "97M"}, /* later overrides win */
    };
    osim_scenario *sc = load_ok(MINIMAL, ov, sizeof(ov) / sizeof(ov[0]));
    long maps = osim_scenario_service_index(sc, "maps"), login, chat;
    const osim_topology *as = &sc->topologies[1];

    (void)state;
    login = osim_scenario_service_index(sc, "login");
    chat = osim_scenario_service_index(sc, "chat");
    assert_true(sc->population.users == 97e6);
    assert_true(sc->segments[0].claim_rate == 0.2);
    assert_int_equal(as->placements[maps].failover, OSIM_FAILOVER_AUTOMATIC);
    assert_int_equal(sc->incident[0].power_cut_h.kind, OSIM_DIST_NORMAL);
    assert_true(sc->incident[0].power_cut_h.p[0] == 2.0);
    assert_true(sc->incident[0].power_cut_h.p[1] == 0.25); /* untouched */
    assert_int_equal(sc->incident[0].detection_h.kind, OSIM_DIST_UNIFORM);
    assert_true(fabs(sc->incident[0].detection_h.p[1] - 25.0 / 60.0) < 1e-15);
    assert_true(sc->services[login].user_share == 0.5);
    assert_int_equal(sc->topologies[0].annual_cost_krw, 1500000000LL);
    assert_true(sc->population.hourly[3] == 0.5);
    assert_true(sc->population.hourly[4] == 0.03);
    assert_int_equal(sc->services[chat].deps_count, 0);
    osim_scenario_free(sc);
}

static void test_override_errors(void **state)
{
    static const struct {
        osim_override ov;
        int code;
        const char *frag;
    } cases[] = {
        {{"population.userz", "5"},
         OSIM_ENOENT,
         "no key 'userz' in population (known: users, hourly, weekly)"},
        {{"nosuch", "5"}, OSIM_ENOENT, "no key 'nosuch' at the top level (known: scenario, sites"},
        {{"businesses.taxi.claim_rate", "0.2"},
         OSIM_ENOENT,
         "no business segment named 'taxi' in businesses (known: shops)"},
        {{"incident.north.power_cut.median", "2h"}, 0, NULL}, /* replaced below: bad dist */
        {{"incident.north.detection.mean", "1h"}, OSIM_ENOENT, "is a single value in the file"},
        {{"incident.north.power_cut.avg", "1h"},
         OSIM_ENOENT,
         "no key 'avg' in "
         "incident.north.power_cut"},
        {{"population.users.x", "1"}, OSIM_ENOENT, "population.users is a single value"},
        {{"population..users", "1"}, OSIM_ENOENT, "empty key"},
        {{"sites.north", "x"}, OSIM_ENOENT, "sites.north is a whole site"},
        {{"population.hourly.24", "1"}, OSIM_ENOENT, "has no item 24"},
        {{"businesses.shops.claim_rate", "1.5"}, OSIM_ERANGE, "'1.5' is outside [0,1]"},
        {{"services.login.restart.p95", "1m"}, OSIM_ERANGE, "p95 (1m) is below the median"},
        {{"population.users", "-3"}, OSIM_ERANGE, "is negative"},
        {{"services.chat.needs", "[chat]"}, OSIM_ECYCLE, "dependency cycle: chat -> chat"},
        {{"services.chat.needs", "[logn]"}, OSIM_EREF, "unknown service 'logn'"},
        {{"incident.north.detection", "{dist: fixed, value: 2h"},
         OSIM_ESYNTAX,
         "not a valid YAML value"},
        {{"topologies.single-site.services.maps.failover", "sometimes"},
         OSIM_ESCHEMA,
         "'sometimes' is not one of: none, manual, automatic"},
        {{"topologies.single-site.services.maps.failover", "manual"},
         OSIM_ESCHEMA,
         "no standby site"},
        {{"policies.x.params.amount", "1"}, OSIM_ENOENT, "no policy named 'x' in policies"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char file[300];
        if (cases[i].frag == NULL)
            continue;
        snprintf(file, sizeof(file), "--set %s=%s", cases[i].ov.path, cases[i].ov.value);
        load_bad(MINIMAL, &cases[i].ov, 1, cases[i].code, file, 0, 0, cases[i].frag);
    }
    /* Adding median to a normal distribution is caught by the binder. */
    {
        osim_override ov = {"incident.north.power_cut.median", "2h"};
        load_bad(MINIMAL, &ov, 1, OSIM_ESCHEMA, "--set incident.north.power_cut.median=2h", 0, 0,
                 "'median' does not apply to a normal distribution");
    }
    /* One key of a distribution moved past another: the message says how to
     * move both, and the position stays where the binder found the clash
     * (the file's p95, or the override itself). */
    {
        osim_override ov = {"incident.north.suppression.median", "20h"};
        load_bad(MINIMAL, &ov, 1, OSIM_ERANGE, MINIMAL, 30, 53, "p95 (10h) is below the median");
        load_bad(MINIMAL, &ov, 1, OSIM_ERANGE, MINIMAL, 30, 53,
                 "set incident.north.suppression.p95 too, or scale the whole distribution with "
                 "--set incident.north.suppression=xF");
    }
    {
        osim_override ov = {"incident.north.ups_ride_through.max", "1m"};
        load_bad(MINIMAL, &ov, 1, OSIM_ERANGE, "--set incident.north.ups_ride_through.max=1m", 0, 0,
                 "set incident.north.ups_ride_through.mode too");
    }
    /* xF scales numbers and distributions; text stays text (a name may be x2). */
    {
        osim_override ov = {"scenario.name", "x2"};
        osim_scenario *sc = load_ok(MINIMAL, &ov, 1);
        assert_string_equal(sc->name, "x2");
        osim_scenario_free(sc);
    }
    /* A good override before a bad one: the bad one is reported. */
    {
        osim_override ov[2] = {{"population.users", "1"}, {"population.userz", "2"}};
        load_bad(MINIMAL, ov, 2, OSIM_ENOENT, "--set population.userz=2", 0, 0, "no key 'userz'");
    }
}

static void test_override_policies(void **state)
{
    osim_override ov = {"policies.shop-credit.params.amount", "70k"};
    osim_override bad = {"policies.shop-credit.params.amont", "70k"};
    osim_scenario *sc;

    (void)state;
    /* A policy from an included file is set like any other. */
    sc = load_ok("fixtures/good/with_policies.yaml", &ov, 1);
    osim_scenario_free(sc);
    load_bad("fixtures/good/with_policies.yaml", &bad, 1, OSIM_ENOENT,
             "--set policies.shop-credit.params.amont=70k", 0, 0,
             "no key 'amont' in policies.shop-credit.params (known: per, basis, amount");
}

static void test_hash(void **state)
{
    osim_override ov = {"population.users", "10M"}; /* the value the file has */
    osim_scenario *a = load_ok(MINIMAL, NULL, 0), *b = load_ok(MINIMAL, NULL, 0);
    osim_scenario *c = load_ok(MINIMAL, &ov, 1);

    (void)state;
    assert_string_equal(a->sha256, b->sha256);
    /* Even an override that changes nothing is part of what was run. */
    assert_string_not_equal(a->sha256, c->sha256);
    osim_scenario_free(a);
    osim_scenario_free(b);
    osim_scenario_free(c);
}

/* ------------------------------------------------------------ params */

typedef struct plist {
    char **line; /* "path=value unit" */
    char **path, **value;
    size_t n, cap;
} plist;

static char *copy(const char *s)
{
    char *c = malloc(strlen(s) + 1);

    assert_non_null(c);
    strcpy(c, s);
    return c;
}

static int collect(void *ud, const char *path, const char *value, const char *unit, const char *doc)
{
    plist *p = ud;
    size_t len = strlen(path) + strlen(value) + strlen(unit) + 8;

    (void)doc;
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 256;
        p->line = realloc(p->line, p->cap * sizeof(char *));
        p->path = realloc(p->path, p->cap * sizeof(char *));
        p->value = realloc(p->value, p->cap * sizeof(char *));
        assert_true(p->line != NULL && p->path != NULL && p->value != NULL);
    }
    p->line[p->n] = malloc(len);
    assert_non_null(p->line[p->n]);
    snprintf(p->line[p->n], len, "%s=%s %s", path, value, unit);
    p->path[p->n] = copy(path);
    p->value[p->n] = copy(value);
    p->n++;
    return 0;
}

static void plist_free(plist *p)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        free(p->line[i]);
        free(p->path[i]);
        free(p->value[i]);
    }
    free(p->line);
    free(p->path);
    free(p->value);
    memset(p, 0, sizeof(*p));
}

static bool has_line(const plist *p, const char *line)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        if (strcmp(p->line[i], line) == 0)
            return true;
    return false;
}

static void test_params_lists(void **state)
{
    osim_scenario *sc = load_ok(MINIMAL, NULL, 0);
    plist p = {0};

    (void)state;
    assert_int_equal(osim_scenario_params(sc, collect, &p), 0);
    assert_true(has_line(&p, "population.users=10000000 count"));
    assert_true(has_line(&p, "businesses.shops.claim_rate=0.01 fraction"));
    assert_true(has_line(&p, "topologies.active-standby.services.chat.failover=manual "));
    assert_true(has_line(&p, "incident.north.power_cut.dist=normal "));
    assert_true(has_line(&p, "incident.north.power_cut.mean=1.5 h"));
    assert_true(has_line(&p, "incident.north.suppression.median=6 h"));
    assert_true(has_line(&p, "incident.north.suppression.p95=10 h"));
    assert_true(has_line(&p, "incident.north.detection=0.25 h"));
    assert_true(has_line(&p, "services.chat.needs=[login] "));
    assert_true(has_line(&p, "services.login.user_share=0 fraction")); /* a default */
    assert_true(has_line(&p, "scenario.start=2022-10-15 15:19 local time"));
    assert_true(has_line(&p, "scenario.utc_offset=+09:00 "));
    assert_true(has_line(&p, "services.pay.monthly_fee=3900 won/month"));
    assert_true(has_line(&p, "topologies.active-standby.services.login.load_share=[0.5, 0.5] "
                             "fraction"));
    assert_true(has_line(&p, "incident.north.restoration.profile.1.after=4 h"));
    plist_free(&p);
    osim_scenario_free(sc);
}

/* Setting every listed path to its listed value must change nothing. */
static void params_round_trip(const char *path)
{
    osim_scenario *sc = load_ok(path, NULL, 0);
    plist before = {0};
    size_t i, j;

    assert_int_equal(osim_scenario_params(sc, collect, &before), 0);
    osim_scenario_free(sc);
    assert_true(before.n > 50);
    for (i = 0; i < before.n; i++) {
        osim_override ov;
        plist after = {0};
        ov.path = before.path[i];
        ov.value = before.value[i];
        sc = load_ok(path, &ov, 1);
        assert_int_equal(osim_scenario_params(sc, collect, &after), 0);
        if (after.n != before.n)
            fail_msg("--set %s=%s: %zu params, was %zu", ov.path, ov.value, after.n, before.n);
        for (j = 0; j < after.n; j++)
            if (strcmp(after.line[j], before.line[j]) != 0)
                fail_msg("--set %s=%s changed '%s' to '%s'", ov.path, ov.value, before.line[j],
                         after.line[j]);
        plist_free(&after);
        osim_scenario_free(sc);
    }
    plist_free(&before);
}

static void test_params_round_trip(void **state)
{
    (void)state;
    params_round_trip(MINIMAL);
    params_round_trip("fixtures/good/with_policies.yaml");
}

/* ------------------------------------------------------------ the binder on its own */

/* A schema of our own, as a compensation model would bring: every field type. */
typedef struct toy_item {
    char *name;
    double weight;
} toy_item;

typedef struct toy {
    int64_t cap_krw;
    osim_dist delay_h;
    osim_dist share;
    toy_item *items;
    size_t items_count;
    char **tags;
    size_t tags_count;
    double *xs;
    size_t xs_count;
    double week[7];
    int mode;
    bool flag;
    double flat_a, flat_b; /* filled from a nested mapping `flat:` */
} toy;

static const osim_field toy_item_fields[] = {
    {.key = "name",
     .type = OSIM_FT_STRING,
     .offset = offsetof(toy_item, name),
     .flags = OSIM_F_REQUIRED},
    {.key = "weight", .type = OSIM_FT_REAL, .offset = offsetof(toy_item, weight), .def = "1"},
};
static const osim_schema toy_item_schema = {"toy item", sizeof(toy_item), toy_item_fields, 2};
static const osim_field toy_flat_fields[] = {
    {.key = "a", .type = OSIM_FT_COUNT, .offset = offsetof(toy, flat_a), .def = "2k"},
    {.key = "b", .type = OSIM_FT_DURATION, .offset = offsetof(toy, flat_b), .def = "30m"},
};
static const osim_schema toy_flat_schema = {"flat", sizeof(toy), toy_flat_fields, 2};
static const char *const toy_modes[] = {"low", "high", NULL};
static const osim_field toy_fields[] = {
    {.key = "cap",
     .type = OSIM_FT_MONEY,
     .offset = offsetof(toy, cap_krw),
     .flags = OSIM_F_REQUIRED},
    {.key = "delay", .type = OSIM_FT_DIST_DURATION, .offset = offsetof(toy, delay_h)},
    {.key = "share", .type = OSIM_FT_DIST_FRACTION, .offset = offsetof(toy, share), .def = "50%"},
    {.key = "items",
     .type = OSIM_FT_SEQ,
     .offset = offsetof(toy, items),
     .count_offset = offsetof(toy, items_count),
     .sub = &toy_item_schema},
    {.key = "tags",
     .type = OSIM_FT_NAMES,
     .offset = offsetof(toy, tags),
     .count_offset = offsetof(toy, tags_count)},
    {.key = "xs",
     .type = OSIM_FT_REALS,
     .offset = offsetof(toy, xs),
     .count_offset = offsetof(toy, xs_count),
     .def = "[1, 2.5]"},
    {.key = "week", .type = OSIM_FT_WEEKLY, .offset = offsetof(toy, week), .def = "1"},
    {.key = "mode",
     .type = OSIM_FT_ENUM,
     .offset = offsetof(toy, mode),
     .def = "high",
     .enum_names = toy_modes},
    {.key = "flag", .type = OSIM_FT_BOOL, .offset = offsetof(toy, flag)},
    {.key = "flat", .type = OSIM_FT_MAP, .offset = 0, .sub = &toy_flat_schema},
};
static const osim_schema toy_schema = {"toy", sizeof(toy), toy_fields,
                                       sizeof(toy_fields) / sizeof(toy_fields[0])};

static void test_binder_toy(void **state)
{
    osim_diag d;
    osim_bind_ctx *ctx;
    toy t;
    int rc;

    (void)state;
    osim_diag_clear(&d);
    ctx = osim__bind_ctx_new(&d);
    assert_non_null(ctx);
    memset(&t, 0, sizeof(t));
    rc = osim__bind_text(ctx, &toy_schema,
                         "cap: 1.5M\n"
                         "delay: {dist: empirical, points: [[0h, 0.1], [2h, 0.5], [1d, 1]]}\n"
                         "items:\n"
                         "  - {name: x}\n"
                         "  - {name: y, weight: 3}\n"
                         "tags: [a, b]\n"
                         "flat: {b: 2h}\n",
                         "toy.yaml", &t);
    if (rc != 0) {
        char buf[700];
        fail_msg("%s", osim_diag_format(&d, buf, sizeof(buf)));
    }
    assert_int_equal(t.cap_krw, 1500000);
    assert_int_equal(t.delay_h.kind, OSIM_DIST_EMPIRICAL);
    assert_int_equal(t.delay_h.n, 3);
    assert_true(t.delay_h.value[2] == 24.0 && t.delay_h.cum[0] == 0.1);
    assert_int_equal(t.share.kind, OSIM_DIST_FIXED);
    assert_true(t.share.p[0] == 0.5);
    assert_int_equal(t.items_count, 2);
    assert_true(t.items[0].weight == 1.0 && t.items[1].weight == 3.0);
    assert_int_equal(t.tags_count, 2);
    assert_string_equal(t.tags[1], "b");
    assert_int_equal(t.xs_count, 2);
    assert_true(t.xs[1] == 2.5);
    assert_true(t.week[6] == 1.0);
    assert_int_equal(t.mode, 1);
    assert_false(t.flag);
    assert_true(t.flat_a == 2000.0 && t.flat_b == 2.0);

    /* A model's validate hook reports at the bound field's position... */
    rc = osim_bind_error(ctx, &t.items[1].weight, OSIM_ERANGE, "weight too big");
    assert_int_equal(rc, OSIM_ERANGE);
    assert_string_equal(d.file, "toy.yaml");
    assert_int_equal(d.line, 5);
    assert_int_equal(d.col, 23);
    /* ...and at the enclosing mapping for a default. */
    osim_diag_clear(&d);
    osim_bind_error(ctx, &t.items[0].weight, OSIM_ERANGE, "default weight");
    assert_int_equal(d.line, 4);
    assert_int_equal(d.col, 6);
    osim__bind_ctx_free(ctx);

    /* Errors: an empirical table whose probabilities go down. */
    osim_diag_clear(&d);
    ctx = osim__bind_ctx_new(&d);
    memset(&t, 0, sizeof(t));
    rc = osim__bind_text(ctx, &toy_schema,
                         "cap: 1\ndelay: {dist: empirical, points: [[1h, 0.5], [2h, 0.4]]}\n",
                         "toy.yaml", &t);
    assert_int_equal(rc, OSIM_ERANGE);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 51);
    assert_non_null(strstr(d.msg, "cumulative probabilities must be ascending"));
    osim__bind_ctx_free(ctx);

    /* Missing required key: reported at the mapping. */
    osim_diag_clear(&d);
    ctx = osim__bind_ctx_new(&d);
    memset(&t, 0, sizeof(t));
    rc = osim__bind_text(ctx, &toy_schema, "flag: yes\nweek: [1, 1, 1]\n", "toy.yaml", &t);
    assert_int_equal(rc, OSIM_ESCHEMA);
    assert_non_null(strstr(d.msg, "needs exactly 7 numbers"));
    osim__bind_ctx_free(ctx);
    osim_diag_clear(&d);
    ctx = osim__bind_ctx_new(&d);
    memset(&t, 0, sizeof(t));
    rc = osim__bind_text(ctx, &toy_schema, "flag: yes\n", "toy.yaml", &t);
    assert_int_equal(rc, OSIM_ESCHEMA);
    assert_non_null(strstr(d.msg, "missing required section 'cap:'"));
    osim__bind_ctx_free(ctx);
}

/*
 * Counts are whole, by one rule of the binder for the COUNT type: a toy
 * field, then every count the reference scenario lists (people, businesses,
 * staff, shards, days, and those in compensation models' parameters).
 */
typedef struct count_toy {
    double n;
} count_toy;

static const osim_field count_toy_fields[] = {
    {.key = "n", .type = OSIM_FT_COUNT, .offset = offsetof(count_toy, n)},
};
static const osim_schema count_toy_schema = {"count toy", sizeof(count_toy), count_toy_fields, 1};

static int bind_count(const char *text, double *out, osim_diag *d)
{
    char yaml[64];
    count_toy t = {-1.0};
    osim_bind_ctx *ctx;
    int rc;

    osim_diag_clear(d);
    ctx = osim__bind_ctx_new(d);
    assert_non_null(ctx);
    snprintf(yaml, sizeof(yaml), "n: %s\n", text);
    rc = osim__bind_text(ctx, &count_toy_schema, yaml, "toy.yaml", &t);
    osim__bind_ctx_free(ctx);
    *out = t.n;
    return rc;
}

static void test_counts_are_whole(void **state)
{
    static const struct {
        const char *text;
        double want;
    } good[] = {{"0", 0},        {"7", 7},        {"1.5k", 1500},     {"1.1k", 1100},
                {"2.5e3", 2500}, {"1_000", 1000}, {"1.67M", 1670000}, {"1000T", 1e15}};
    static const char *const bad[] = {"0.5", "2.5", "1.0001k", "1e-3", "1.5e0"};
    static const char *const keys[] = {"users",       "count",   "subscribers", "servers",
                                       "staff",       "shards",  "recipients",  "first_n",
                                       "suing_users", "min_days"};
    bool seen[sizeof(keys) / sizeof(keys[0])] = {false};
    osim_param_table *t = NULL;
    osim_scenario *sc;
    osim_diag d;
    size_t i, k;
    double v;

    (void)state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        if (bind_count(good[i].text, &v, &d) != 0)
            fail_msg("'%s': %s", good[i].text, d.msg);
        /* Exactly the integer: 1.1k is 1100, not 1.1 x 1000 = 1100.0000000000002. */
        if (v != good[i].want)
            fail_msg("'%s' bound %.17g, want %.17g", good[i].text, v, good[i].want);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (bind_count(bad[i], &v, &d) != OSIM_ERANGE)
            fail_msg("'%s' accepted as a count (%.17g)", bad[i], v);
        assert_non_null(strstr(d.msg, "is not a whole number: a count must be whole"));
        assert_int_equal(d.line, 1);
        assert_int_equal(d.col, 4);
    }
    /* Every count field of the format and of the models: one of each key. */
    sc = load_ok(REFERENCE, NULL, 0);
    assert_int_equal(osim_param_table_new(sc, &t), 0);
    for (i = 0; i < osim_param_table_count(t); i++) {
        const char *path, *value, *unit, *key;
        osim_override ov;
        osim_scenario *bad_sc = NULL;
        int rc;
        osim_param_table_at(t, i, &path, &value, &unit);
        key = strrchr(path, '.') != NULL ? strrchr(path, '.') + 1 : path;
        for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            if (strcmp(key, keys[k]) == 0)
                break;
        if (k == sizeof(keys) / sizeof(keys[0]) || seen[k])
            continue;
        seen[k] = true;
        ov.path = path;
        ov.value = "2.5";
        rc = osim_comp_scenario_load(REFERENCE, &ov, 1, &bad_sc, &d);
        if (rc != OSIM_ERANGE || strstr(d.msg, "is not a whole number") == NULL)
            fail_msg("--set %s=2.5: %s (%s)", path, osim_err_name(rc), d.msg);
        assert_null(bad_sc);
    }
    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        if (!seen[k])
            fail_msg("no count '%s' in the reference scenario's parameters", keys[k]);
    osim_param_table_free(t);
    osim_scenario_free(sc);
}

/* scenarios/README.md must document every key of the format. */
static void check_documented(const char *doc, const osim_schema *s, int depth)
{
    size_t i;

    assert_true(depth < 8);
    for (i = 0; i < s->fields_count; i++) {
        char quoted[80];
        const osim_field *f = &s->fields[i];
        static const char *const before[] = {"`", "`", "`", "."};
        static const char *const after[] = {"`", ":`", ".", "`"};
        size_t k;
        bool found = false;
        /* Nested mappings are documented as `restoration:` and `restoration.profile`. */
        for (k = 0; k < 4 && !found; k++) {
            snprintf(quoted, sizeof(quoted), "%s%s%s", before[k], f->key, after[k]);
            found = strstr(doc, quoted) != NULL;
        }
        if (!found)
            fail_msg("scenarios/README.md does not document key '%s' of %s", f->key, s->name);
        if (f->sub != NULL)
            check_documented(doc, f->sub, depth + 1);
    }
}

static void test_format_documented(void **state)
{
    FILE *f = fopen("../scenarios/README.md", "r");
    char *doc;
    long n;

    (void)state;
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    doc = calloc(1, (size_t)n + 1);
    assert_non_null(doc);
    assert_int_equal(fread(doc, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    check_documented(doc, &osim__scenario_schema, 0);
    free(doc);
}

/* ------------------------------------------------------------ sources and assumptions */

/* A small scenario with or without annotations: ANN(x) is the annotation
 * text inserted after a value (", source: S1" ...), or nothing. */
#define PROV_HEAD                                                                                  \
    "scenario:\n  name: p\n  start: \"2022-10-15 15:19\"\n"                                        \
    "  sources:\n    - {id: S1, title: \"One\", publisher: P, date: 2022-10-16, url: "             \
    "\"https://x\"}\n"                                                                             \
    "    - {id: S2.1, title: \"Two\"}\n    - \"an untitled source\"\n"

static const char prov_plain[] =
    PROV_HEAD "sites:\n  - {name: a}\n"
              "incident:\n  - site: a\n    detection: 15m\n"
              "    power_cut: {dist: normal, mean: 1.5h, sd: 15m}\n    suppression: 6h\n"
              "    restoration:\n      profile:\n        - {after: 0h, fraction: 0}\n"
              "        - {after: 1d, fraction: 1}\n"
              "services:\n  - {name: s, user_share: 0.5, needs: []}\n"
              "topologies:\n  - name: t\n    services: [{name: s, active: [a]}]\n"
              "population:\n  users: 10M\n  weekly: [1, 1, 1, 1, 1, 0.9, 0.9]\n";

static const char prov_annotated[] =
    PROV_HEAD "sites:\n  - {name: a, source: S1}\n"
              "incident:\n  - site: a\n    detection: {value: 15m, assumption: \"a guess\"}\n"
              "    power_cut: {dist: normal, mean: 1.5h, sd: 15m, source: [S1, S2.1], note: n}\n"
              "    suppression: {value: 6h, source: S1}\n"
              "    restoration:\n      profile:\n        - {after: 0h, fraction: 0}\n"
              "        - {after: 1d, fraction: 1, assumption: \"full by a day\"}\n"
              "services:\n  - {name: s, user_share: {value: 0.5, source: S1, note: \"47M\"},\n"
              "     needs: {value: [], assumption: \"stands alone\"}}\n"
              "topologies:\n  - name: t\n    services: [{name: s, active: [a]}]\n"
              "population:\n  users: {value: 10M, source: S2.1}\n"
              "  weekly: {value: [1, 1, 1, 1, 1, 0.9, 0.9], assumption: \"quiet weekends\"}\n";

static osim_scenario *load_text(const char *text, const osim_override *ov, size_t n, int want,
                                osim_diag *d)
{
    osim_scenario *sc = NULL;
    osim_scenario_options opt = {ov, n, osim_comp_catalogue()};
    int rc = osim_scenario_load_buffer("p.yaml", text, strlen(text), &opt, &sc, d);

    if (rc != want) {
        char buf[1024];
        fail_msg("rc %s, want %s: %s", osim_err_name(rc), osim_err_name(want),
                 osim_diag_format(d, buf, sizeof(buf)));
    }
    return sc;
}

typedef struct listing {
    char text[16384];
    size_t n;
} listing;

static int list_param(void *ud, const char *path, const char *value, const char *unit,
                      const char *doc)
{
    listing *l = ud;
    int w = snprintf(l->text + l->n, sizeof(l->text) - l->n, "%s=%s %s\n", path, value, unit);

    (void)doc;
    if (w < 0 || (size_t)w >= sizeof(l->text) - l->n)
        return 1;
    l->n += (size_t)w;
    return 0;
}

static const osim_provenance *prov_at(const osim_scenario *sc, const char *path)
{
    size_t i;

    for (i = 0; i < sc->provenance_count; i++)
        if (strcmp(sc->provenance[i].path, path) == 0)
            return &sc->provenance[i];
    return NULL;
}

/* Annotated values bind to what the plain ones bind to; each annotation is
 * recorded under the params path of what it is about. */
static void test_provenance_binds(void **state)
{
    osim_diag d;
    osim_scenario *a = load_text(prov_plain, NULL, 0, 0, &d);
    osim_scenario *b = load_text(prov_annotated, NULL, 0, 0, &d);
    static listing la, lb;
    const osim_provenance *p;

    (void)state;
    memset(&la, 0, sizeof(la));
    memset(&lb, 0, sizeof(lb));
    assert_int_equal(osim_scenario_params(a, list_param, &la), 0);
    assert_int_equal(osim_scenario_params(b, list_param, &lb), 0);
    assert_true(la.n > 200);
    assert_string_equal(la.text, lb.text);
    assert_memory_equal(&a->incident[0].power_cut_h, &b->incident[0].power_cut_h,
                        sizeof(osim_dist));
    assert_true(a->population.users == b->population.users);
    assert_true(a->services[0].user_share == b->services[0].user_share);

    /* Sources: in order, the string one untitled. */
    assert_int_equal(b->sources_count, 3);
    assert_string_equal(b->sources[0].id, "S1");
    assert_string_equal(b->sources[0].publisher, "P");
    assert_string_equal(b->sources[0].date, "2022-10-16");
    assert_string_equal(b->sources[0].url, "https://x");
    assert_null(b->sources[0].note);
    assert_null(b->sources[2].id);
    assert_string_equal(b->sources[2].title, "an untitled source");

    assert_int_equal(a->provenance_count, 0);
    assert_int_equal(b->provenance_count, 9);
    p = prov_at(b, "sites.a");
    assert_non_null(p);
    assert_int_equal(p->kind, OSIM_PROV_SOURCE);
    assert_int_equal(p->ids_count, 1);
    assert_string_equal(p->ids[0], "S1");
    p = prov_at(b, "incident.a.detection");
    assert_non_null(p);
    assert_int_equal(p->kind, OSIM_PROV_ASSUMPTION);
    assert_string_equal(p->reason, "a guess");
    assert_int_equal(p->ids_count, 0);
    p = prov_at(b, "incident.a.power_cut");
    assert_non_null(p);
    assert_int_equal(p->ids_count, 2);
    assert_string_equal(p->ids[1], "S2.1");
    assert_string_equal(p->note, "n");
    assert_non_null(prov_at(b, "incident.a.suppression"));
    p = prov_at(b, "incident.a.restoration.profile.1");
    assert_non_null(p);
    assert_string_equal(p->reason, "full by a day");
    p = prov_at(b, "services.s.user_share");
    assert_non_null(p);
    assert_string_equal(p->note, "47M");
    assert_non_null(prov_at(b, "services.s.needs"));
    assert_non_null(prov_at(b, "population.users"));
    assert_non_null(prov_at(b, "population.weekly"));
    assert_string_equal(osim_provenance_kind_name(OSIM_PROV_SET), "set");
    osim_scenario_free(a);
    osim_scenario_free(b);
}

/* --set on an annotated value: the value is set, its note no longer holds. */
static void test_provenance_set(void **state)
{
    static const osim_override ov[] = {
        {"incident.a.power_cut.mean", "2h"},
        {"services.s.user_share", "0.25"},
        {"population.weekly.6", "1"},
        {"scenario.horizon", "7d"},
    };
    osim_diag d;
    osim_scenario *sc = load_text(prov_annotated, ov, 4, 0, &d);
    const osim_provenance *p;

    (void)state;
    assert_true(sc->incident[0].power_cut_h.p[0] == 2.0);
    assert_true(sc->services[0].user_share == 0.25);
    assert_true(sc->population.weekly[6] == 1.0);
    p = prov_at(sc, "incident.a.power_cut");
    assert_non_null(p);
    assert_int_equal(p->kind, OSIM_PROV_SET);
    assert_int_equal(p->ids_count, 0);
    assert_string_equal(p->note, "incident.a.power_cut.mean=2h");
    /* Replaced whole: the file's annotation went with it, the override's came. */
    p = prov_at(sc, "services.s.user_share");
    assert_non_null(p);
    assert_int_equal(p->kind, OSIM_PROV_SET);
    p = prov_at(sc, "population.weekly");
    assert_non_null(p);
    assert_int_equal(p->kind, OSIM_PROV_SET);
    p = prov_at(sc, "scenario.horizon");
    assert_non_null(p);
    assert_int_equal(p->kind, OSIM_PROV_SET);
    /* An item's own source still holds. */
    p = prov_at(sc, "sites.a");
    assert_non_null(p);
    assert_int_equal(p->kind, OSIM_PROV_SOURCE);
    osim_scenario_free(sc);
}

/* Text with one replacement of from by to (a copy to free). */
static char *edit(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    char *out;

    if (at == NULL)
        fail_msg("'%s' not in the text", from);
    out = malloc(strlen(text) + strlen(to) + 1);
    assert_non_null(out);
    memcpy(out, text, (size_t)(at - text));
    strcpy(out + (at - text), to);
    strcat(out, at + strlen(from));
    return out;
}

/* Each refused annotation is reported at its own line and column. */
static void test_provenance_refused(void **state)
{
    static const struct {
        const char *from, *to;
        int code, line, col;
        const char *frag;
    } cases[] = {
        {"{value: 15m, assumption: \"a guess\"}", "{value: 15m, source: S9}", OSIM_EREF, 12, 37,
         "unknown source 'S9'"},
        {"{value: 15m, assumption: \"a guess\"}", "{value: 15m, assumption: \"\"}", OSIM_ESCHEMA,
         12, 42, "needs its reason"},
        {"{value: 15m, assumption: \"a guess\"}", "{value: 15m, source: S1, assumption: x}",
         OSIM_ESCHEMA, 12, 41, "both a source and an assumption"},
        {"{value: 15m, assumption: \"a guess\"}", "{value: 15m, note: x}", OSIM_ESCHEMA, 12, 29,
         "a note goes with"},
        {"{value: 15m, assumption: \"a guess\"}", "{value: 15m, sorce: S1}", OSIM_ESCHEMA, 12, 29,
         "unknown key 'sorce' beside value"},
        {"{value: 15m, assumption: \"a guess\"}", "{source: S1}", OSIM_ESCHEMA, 12, 17,
         "written {value"},
        {"{value: 15m, assumption: \"a guess\"}", "{value: 15m, source: \"S1 and S2\"}",
         OSIM_ESCHEMA, 12, 38, "is not a source id"},
        /* The value's own error keeps the value's position. */
        {"{value: 0.5, source: S1, note: \"47M\"}", "{value: 1.5, source: S1, note: \"47M\"}",
         OSIM_ERANGE, 20, 35, "outside [0,1]"},
        {"sd: 15m, source: [S1, S2.1]", "sd: 15m, source: [S1, S3]", OSIM_EREF, 13, 65,
         "unknown source 'S3'"},
        {"{name: a, source: S1}", "{name: {value: a, source: S1}}", OSIM_ESCHEMA, 9, 13,
         "a name is written plain"},
        {"{name: a, source: S1}", "{name: a, assumption: y, source: S1}", OSIM_ESCHEMA, 9, 15,
         "both a source and an assumption"},
        {"- {id: S2.1, title: \"Two\"}", "- {id: S1, title: \"Two\"}", OSIM_ESCHEMA, 6, 8,
         "declared again"},
        {"- {id: S2.1, title: \"Two\"}", "- {id: S2.1}", OSIM_ESCHEMA, 6, 8,
         "needs an id and a title"},
        {"- {id: S2.1, title: \"Two\"}", "- {id: S2.1, title: \"Two\", page: 3}", OSIM_ESCHEMA, 6,
         32, "unknown key 'page' in a source"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = edit(prov_annotated, cases[i].from, cases[i].to);
        osim_diag d;
        osim_scenario *sc = load_text(text, NULL, 0, cases[i].code, &d);
        assert_null(sc);
        if (d.line != cases[i].line || d.col != cases[i].col ||
            strstr(d.msg, cases[i].frag) == NULL)
            fail_msg("case %zu: %s:%d:%d: %s (want %d:%d '%s')", i, d.file, d.line, d.col, d.msg,
                     cases[i].line, cases[i].col, cases[i].frag);
        assert_string_equal(d.file, "p.yaml");
        free(text);
    }
}

/* The reference scenario and its presets keep no ASSUMPTION in comments
 * only: every one is data, and every source id used is declared. */
static void test_reference_provenance(void **state)
{
    static const char *const files[] = {
        REFERENCE,
        "../scenarios/minimal.yaml",
        "../scenarios/policies/aws-region-sla.yaml",
        "../scenarios/policies/kakao-2022.yaml",
        "../scenarios/policies/kr-civil-damages.yaml",
        "../scenarios/policies/kr-telecom-terms-2022.yaml",
        "../scenarios/policies/kr-telecom-terms-legacy.yaml",
        "../scenarios/policies/kt-ahyeon-2018.yaml",
    };
    osim_scenario *sc;
    size_t i, j, k, assumptions = 0, sourced = 0;
    char line[4096];

    (void)state;
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        FILE *f = fopen(files[i], "r");
        int n = 0;
        assert_non_null(f);
        while (fgets(line, sizeof(line), f) != NULL) {
            /* A comment: '#' at the start or after a blank, outside quotes. */
            bool quoted = false;
            char *c = NULL, *p;
            n++;
            for (p = line; *p != '\0'; p++) {
                if (*p == '"')
                    quoted = !quoted;
                if (*p == '#' && !quoted && (p == line || p[-1] == ' ')) {
                    c = p;
                    break;
                }
            }
            if (c != NULL && strstr(c, "ASSUMPTION") != NULL)
                fail_msg("%s:%d: an ASSUMPTION in a comment only: make it data", files[i], n);
        }
        fclose(f);
    }
    sc = load_ok(REFERENCE, NULL, 0);
    for (i = 0; i < sc->provenance_count; i++) {
        const osim_provenance *p = &sc->provenance[i];
        if (p->kind == OSIM_PROV_ASSUMPTION) {
            assert_non_null(p->reason);
            assert_true(strlen(p->reason) > 2);
            assumptions++;
        } else {
            assert_int_equal(p->kind, OSIM_PROV_SOURCE);
            sourced++;
        }
        for (j = 0; j < p->ids_count; j++) {
            for (k = 0; k < sc->sources_count; k++)
                if (sc->sources[k].id != NULL && strcmp(sc->sources[k].id, p->ids[j]) == 0)
                    break;
            if (k == sc->sources_count)
                fail_msg("%s: source %s is not declared", p->path, p->ids[j]);
        }
    }
    /* 87 ASSUMPTION notes were comments: 83 on one value each, 4 on a
     * section as a whole (now on each value or design); the presets' own
     * are data too. */
    if (assumptions < 90 || sourced < 60)
        fail_msg("%zu assumptions and %zu sourced values: fewer than converted", assumptions,
                 sourced);
    for (k = 0; k < sc->sources_count; k++) {
        assert_non_null(sc->sources[k].id);
        assert_non_null(sc->sources[k].title);
        for (j = 0; j < k; j++)
            assert_string_not_equal(sc->sources[j].id, sc->sources[k].id);
    }
    osim_scenario_free(sc);
}

static void test_closest(void **state)
{
    static const char *const words[] = {"restart", "revenue_per_h", "shards", NULL};

    (void)state;
    assert_string_equal(osim__closest("restrat", words, 3), "restart");
    assert_string_equal(osim__closest("shard", words, 3), "shards");
    assert_null(osim__closest("zzz", words, 3));
    assert_null(osim__closest("c", words, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_policies_and_include),
        cmocka_unit_test(test_model_catalogue),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_error_in_included_file),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_not_text),
        cmocka_unit_test(test_override_values),
        cmocka_unit_test(test_override_errors),
        cmocka_unit_test(test_override_policies),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_params_lists),
        cmocka_unit_test(test_params_round_trip),
        cmocka_unit_test(test_binder_toy),
        cmocka_unit_test(test_counts_are_whole),
        cmocka_unit_test(test_format_documented),
        cmocka_unit_test(test_closest),
        cmocka_unit_test(test_provenance_binds),
        cmocka_unit_test(test_provenance_set),
        cmocka_unit_test(test_provenance_refused),
        cmocka_unit_test(test_reference_provenance),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
