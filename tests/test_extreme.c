/*
 * test_extreme.c -- inputs at and beyond the limits, at the library level.
 *
 * Invariants checked:
 * - loading from memory (osim_comp_scenario_load_buffer, the fuzz harness's entry)
 *   gives the same scenario and hash as loading the file;
 * - every hostile input is a clear error, fast and bounded: an include of a
 *   FIFO or a device (never a wait), one file included over and over (the
 *   2 MiB cap covers a scenario and its includes), a horizon beyond ten
 *   years, a count or number beyond 10^15, more users active in an hour
 *   than there are, non-UTF-8 `--set` text; a
 *   non-UTF-8 file name is kept readable (U+FFFD) instead of vanishing from
 *   the JSON document;
 * - an incident that destroys every copy of the data loses it, replication
 *   or not (it used to count a copy at a destroyed site as a survivor);
 * - money stays exact at Kakao scale and beyond: 10^12 users x 10,000 won is
 *   exactly 10^16 won through compensation, statistics and the JSON
 *   document; whole won are exact in a double up to 2^53; a figure past
 *   int64 is refused (OSIM_ERANGE), never printed wrong;
 * - sums over many replications are compensated: a million values of
 *   10^12 + 0.3 won have the mean a naive sum loses;
 * - a result that cannot be written leaves the output directory as it was:
 *   no new file, no half of a new set beside an old results.json.
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

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comp/params_int.h"
#include "outagesim/compensation.h"
#include "outagesim/impact.h"
#include "outagesim/mc.h"
#include "outagesim/money.h"
#include "outagesim/replay.h"
#include "outagesim/report.h"
#include "outagesim/rng.h"
#include "outagesim/scenario.h"
#include "outagesim/stats.h"
#include "report/report_int.h"

/* |a - b| <= eps, with both values in the failure message. */
#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.17g, want %.17g", #a, a_, b_);                                        \
    } while (0)

#define MINIMAL "../scenarios/minimal.yaml"
#define MONEY "fixtures/extreme/money-scale.yaml"
#define DESTROY "fixtures/extreme/destroy-all.yaml"
#define HUB "fixtures/extreme/hub.yaml"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static osim_scenario *load_ok(const char *path, const osim_override *ov, size_t n)
{
    osim_scenario *sc = NULL;
    osim_diag d;

    if (osim_comp_scenario_load(path, ov, n, &sc, &d) != 0) {
        char buf[1024];
        fail_msg("%s: %s", path, osim_diag_format(&d, buf, sizeof(buf)));
    }
    return sc;
}

/* A load from memory fails with code, and the message contains frag. */
static void buffer_bad(const char *name, const char *text, const osim_override *ov, size_t n,
                       int code, const char *frag)
{
    osim_scenario *sc = NULL;
    osim_diag d;
    char buf[1024];
    int rc = osim_comp_scenario_load_buffer(name, text, strlen(text), ov, n, &sc, &d);

    osim_diag_format(&d, buf, sizeof(buf));
    if (rc != code || d.code != code || strstr(buf, frag) == NULL)
        fail_msg("rc %s (want %s): %s (want '%s')", osim_err_name(rc), osim_err_name(code), buf,
                 frag);
    assert_null(sc);
}

/* ------------------------------------------------------------ loading */

static void test_buffer_equals_file(void **state)
{
    size_t n;
    char *text = slurp(MINIMAL, &n);
    osim_scenario *a = load_ok(MINIMAL, NULL, 0), *b = NULL;
    osim_diag d;

    (void)state;
    /* Not NUL-terminated: the loader must take the length, not the string. */
    text[n] = 'x';
    assert_int_equal(osim_comp_scenario_load_buffer(MINIMAL, text, n, NULL, 0, &b, &d), 0);
    assert_string_equal(a->sha256, b->sha256);
    assert_string_equal(b->path, MINIMAL);
    assert_int_equal(a->services_count, b->services_count);
    osim_scenario_free(a);
    osim_scenario_free(b);
    /* No data: an error, not a crash. */
    assert_int_equal(osim_comp_scenario_load_buffer("x.yaml", NULL, 5, NULL, 0, &b, &d),
                     OSIM_EINVAL);
    assert_null(b);
    assert_int_equal(osim_comp_scenario_load_buffer("x.yaml", NULL, 0, NULL, 0, &b, &d),
                     OSIM_ESCHEMA);
    assert_null(b);
    free(text);
}

/* A scenario text that includes `inc` from its policies. */
static char *with_include(const char *inc)
{
    size_t n;
    char *base = slurp(MINIMAL, &n), *out = malloc(n + strlen(inc) + 64);

    assert_non_null(out);
    sprintf(out, "%s\npolicies:\n  - include: %s\n", base, inc);
    free(base);
    return out;
}

static void test_include_not_regular(void **state)
{
    char dir[] = "/tmp/outagesim-fifo-XXXXXX", fifo[64];
    char *text;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(fifo, sizeof(fifo), "%s/policies.yaml", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* A blocking open of a FIFO without a writer would wait for ever: the
     * alarm fails the suite instead of hanging CI if that ever comes back. */
    alarm(30);
    text = with_include(fifo);
    buffer_bad("../scenarios/x.yaml", text, NULL, 0, OSIM_EINVAL, "not a regular file");
    free(text);
    text = with_include("/dev/zero");
    buffer_bad("../scenarios/x.yaml", text, NULL, 0, OSIM_EINVAL, "not a regular file");
    free(text);
    alarm(0);
    unlink(fifo);
    rmdir(dir);
}

static void test_includes_share_the_cap(void **state)
{
    char path[] = "/tmp/outagesim-inc-XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    char *text, *p;
    size_t i, n;

    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    /* 100 KiB of comment and one policy: small alone, 2.4 MiB 24 times. */
    for (i = 0; i < 1600; i++)
        fputs("# padding padding padding padding padding padding padding padding\n", f);
    fputs("- {name: p, model: flat_credit, legal_basis: x, params: {amount: 1}}\n", f);
    fclose(f);
    text = slurp(MINIMAL, &n);
    p = malloc(n + 24 * (strlen(path) + 20) + 32);
    assert_non_null(p);
    strcpy(p, text);
    strcat(p, "\npolicies:\n");
    for (i = 0; i < 24; i++) {
        strcat(p, "  - include: ");
        strcat(p, path);
        strcat(p, "\n");
    }
    buffer_bad("x.yaml", p, NULL, 0, OSIM_ERANGE, "limit of scenario files");
    /* The error points at the include that went over, not at nothing. */
    {
        osim_scenario *sc = NULL;
        osim_diag d;
        assert_int_equal(osim_comp_scenario_load_buffer("x.yaml", p, strlen(p), NULL, 0, &sc, &d),
                         OSIM_ERANGE);
        assert_string_equal(d.file, "x.yaml");
        assert_true(d.line > 0);
    }
    free(p);
    free(text);
    unlink(path);
}

static void test_horizon_and_magnitudes(void **state)
{
    static const struct {
        const char *path, *value;
        int code;
    } cases[] = {
        {"scenario.horizon", "3653d", 0},
        {"scenario.horizon", "3654d", OSIM_ERANGE},
        {"scenario.horizon", "99999999999999999999d", OSIM_ERANGE},
        {"population.users", "0", 0},
        {"population.users", "1T", 0},
        {"population.users", "1000T", 0},
        {"population.users", "1001T", OSIM_EOVERFLOW},
        {"population.users", "1e308", OSIM_EOVERFLOW},
        {"businesses.shops.count", "1e16", OSIM_EOVERFLOW},
        {"services.pay.subscribers", "1e300", OSIM_EOVERFLOW},
        {"services.chat.data", "1e300", OSIM_EOVERFLOW},
        {"services.chat.data", "1e15", 0},
        /* More users active in an hour than there are (found by the fuzzer). */
        {"population.weekly.5", "9.95", OSIM_ERANGE},
        {"population.weekly.5", "1.9", 0}, /* x 0.52 at 19:00: 0.988 */
        /* The largest fee parses, but a month of it for 100,000 subscribers is
         * past int64 won: refused at load (limits.c), not after the run. */
        {"services.pay.monthly_fee", "9223372036854775807", OSIM_ERANGE},
        {"services.pay.monthly_fee", "92233720368547", 0}, /* x 100k: just below 2^63 */
        {"services.pay.monthly_fee", "9223372036854775808", OSIM_EOVERFLOW},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        osim_override ov = {cases[i].path, cases[i].value};
        osim_scenario *sc = NULL;
        osim_diag d;
        int rc = osim_comp_scenario_load(MINIMAL, &ov, 1, &sc, &d);
        if (rc != cases[i].code)
            fail_msg("--set %s=%s: %s, want %s (%s)", ov.path, ov.value, osim_err_name(rc),
                     osim_err_name(cases[i].code), d.msg);
        osim_scenario_free(sc);
    }
}

static void test_non_utf8(void **state)
{
    osim_override bad_value = {"scenario.name", "caf\xe9"}; /* Latin-1 */
    osim_override bad_path = {"scenario.\xff", "x"};
    osim_override good = {"scenario.name", "\xed\x8c\x90\xea\xb5\x90 \xed\x99\x94\xec\x9e\xac"};
    osim_scenario *sc = NULL;
    osim_diag d;
    size_t n;
    char *text;

    (void)state;
    assert_int_equal(osim_comp_scenario_load(MINIMAL, &bad_value, 1, &sc, &d), OSIM_ESYNTAX);
    assert_non_null(strstr(d.msg, "value of override 1 is not UTF-8"));
    assert_int_equal(osim_comp_scenario_load(MINIMAL, &bad_path, 1, &sc, &d), OSIM_ESYNTAX);
    assert_non_null(strstr(d.msg, "path of override 1 is not UTF-8"));
    assert_null(sc);
    sc = load_ok(MINIMAL, &good, 1); /* Korean is UTF-8: fine */
    assert_string_equal(sc->name, good.value);
    osim_scenario_free(sc);
    /* A file name that is not UTF-8 (any bytes are a Linux file name). */
    text = slurp(MINIMAL, &n);
    assert_int_equal(osim_comp_scenario_load_buffer("r\xe9sum\xe9.yaml", text, n, NULL, 0, &sc, &d),
                     0);
    assert_string_equal(sc->path, "r\xef\xbf\xbdsum\xef\xbf\xbd.yaml");
    osim_scenario_free(sc);
    /* A syntax error at the end of a file without a final newline points at
     * the end of its last line, not past it (found by the fuzzer). */
    buffer_bad("eof.yaml", "%YAML 1.2", NULL, 0, OSIM_ESYNTAX, "eof.yaml:1:10: YAML syntax");
    buffer_bad("eof.yaml", "a: 1\r\nb: [", NULL, 0, OSIM_ESYNTAX, "eof.yaml:2:");
    /* And a file whose text is not UTF-8 (EUC-KR) is refused where it goes wrong. */
    buffer_bad("euc-kr.yaml", "scenario:\n  name: \xc7\xd1\xb1\xb9\n", NULL, 0, OSIM_ESYNTAX,
               "euc-kr.yaml:2:9: not UTF-8 text");
    free(text);
}

/* ------------------------------------------------------------ one replication */

typedef struct one_rep {
    osim_incident *inc;
    osim_replay *rp;
    osim_replay_result *res;
    osim_impact *im;
} one_rep;

static void play(const osim_scenario *sc, one_rep *o, size_t topology)
{
    osim_rng_local lr;

    if (o->inc == NULL) {
        assert_int_equal(osim_incident_new(sc, &o->inc), 0);
        assert_int_equal(osim_replay_new(sc, &o->rp), 0);
        assert_int_equal(osim_replay_result_new(sc, &o->res), 0);
        assert_int_equal(osim_impact_new(sc, &o->im), 0);
    }
    osim_incident_draw(sc, 1, 0, o->inc);
    assert_int_equal(osim_replay_run(o->rp, o->inc, topology, 1, 0, o->res), 0);
    osim_rng_local_init(&lr, 3);
    assert_int_equal(osim_impact_compute(o->im, o->res, &lr.r), 0);
}

static void one_rep_free(one_rep *o)
{
    osim_impact_free(o->im);
    osim_replay_result_free(o->res);
    osim_replay_free(o->rp);
    osim_incident_free(o->inc);
}

static void test_destroy_every_site(void **state)
{
    osim_scenario *sc = load_ok(DESTROY, NULL, 0);
    one_rep o = {0};
    size_t t, s;

    (void)state;
    for (t = 0; t < sc->topologies_count; t++) {
        play(sc, &o, t);
        /* Every rack of both sites is destroyed: every copy of chat's
         * 100 GB burns, active-active and synchronous replication or not. */
        s = (size_t)osim_scenario_service_index(sc, "chat");
        assert_near(o.res->services[s].data_lost_gb, 100.0, 1e-9);
        assert_near(o.res->full_recovery_h, 124.0, 1e-9);
        assert_near(o.res->services[s].downtime_h, 123.5, 1e-9);
        assert_near(o.im->distinct_affected, 10e6, 1e-3);
    }
    one_rep_free(&o);
    osim_scenario_free(sc);
}

static void test_dependency_hub(void **state)
{
    static const struct {
        const char *name;
        double down_h;
    } want[] = {{"core", 3.5}, {"alone", 3.5}, {"a", 4.5}, {"b", 4.5}, {"c", 4.5}, {"d", 4.5}};
    osim_scenario *sc = load_ok(HUB, NULL, 0);
    one_rep o = {0};
    size_t i;

    (void)state;
    play(sc, &o, 0);
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        long s = osim_scenario_service_index(sc, want[i].name);
        assert_true(s >= 0);
        assert_near(o.res->services[s].downtime_h, want[i].down_h, 1e-9);
    }
    assert_near(o.res->full_recovery_h, 5.0, 1e-9);
    one_rep_free(&o);
    osim_scenario_free(sc);
}

/* ------------------------------------------------------------ money */

static void test_money_at_scale(void **state)
{
    osim_scenario *sc = load_ok(MONEY, NULL, 0);
    one_rep o = {0};
    osim_comp_result cr;
    osim_rng_local lr;
    char buf[64];
    long long v;

    (void)state;
    play(sc, &o, 0);
    osim_rng_local_init(&lr, 5);
    assert_int_equal(osim_comp_eval(&sc->policies[0], o.im, &lr.r, &cr), 0);
    /* 10^12 users x 10,000 won: exactly 10^16, a double's exact integer. */
    assert_true(cr.total_krw == 1e16);
    assert_true(cr.nominal_krw == 1e16);
    assert_true(cr.claimants == 1e12);
    assert_int_equal(osim__report_krw(cr.total_krw, &v), 0);
    assert_true(v == 10000000000000000LL);
    assert_string_equal(osim_format_krw(buf, sizeof(buf), cr.total_krw), "10,000,000,000,000,000");
    assert_string_equal(osim_format_eok(buf, sizeof(buf), cr.total_krw),
                        "100,000,000.0\xec\x96\xb5\xec\x9b\x90"); /* 억원 */
    /* Whole won are exact up to 2^53; int64's end is refused, not wrapped. */
    assert_int_equal(osim__report_krw(9007199254740992.0, &v), 0);
    assert_true(v == 9007199254740992LL);
    assert_int_equal(osim__report_krw(9223372036854774784.0, &v), 0); /* largest double < 2^63 */
    assert_int_equal(osim__report_krw(9223372036854775808.0, &v), OSIM_ERANGE);
    assert_int_equal(osim__report_krw(-9223372036854777856.0, &v), OSIM_ERANGE);
    assert_int_equal(osim__report_krw(NAN, &v), OSIM_ERANGE);
    assert_int_equal(osim__report_krw(INFINITY, &v), OSIM_ERANGE);
    one_rep_free(&o);
    osim_scenario_free(sc);
}

static void test_compensated_sum(void **state)
{
    const size_t n = 1000000;
    double *x = malloc(n * sizeof(double)), *work = malloc(n * sizeof(double));
    double naive = 0.0, want = 1e12 + 0.3;
    osim_stats s;
    size_t i;

    (void)state;
    assert_non_null(x);
    assert_non_null(work);
    for (i = 0; i < n; i++) {
        x[i] = want;
        naive += x[i];
    }
    assert_int_equal(osim_stats_compute(x, 1, n, work, &s), 0);
    /* The compensated sum is the exact sum rounded once (10^18 + 300,048.8
     * to the nearest double, a multiple of 128), so the mean is the value
     * itself to the last bit; the naive running sum drifts by whole won. */
    assert_true(osim_stats_sum(x, 1, n) == 1e18 + 3e5);
    assert_true(s.mean == want);
    assert_true(fabs(naive / (double)n - want) > 1e-3);
    free(x);
    free(work);
}

/* ------------------------------------------------------------ outputs */

static size_t files_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    if (d == NULL)
        return 0;
    /* Dot-files count too: a temporary file left behind is a failure. */
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static osim_mc_result *run_mc(const osim_scenario *sc)
{
    osim_mc_options o;
    osim_mc *mc = NULL;
    osim_mc_result *r;
    osim_diag d;

    memset(&o, 0, sizeof(o));
    o.seed = 1;
    o.from = 0;
    o.to = 3;
    o.threads = 1;
    assert_int_equal(osim_mc_new(sc, &o, &mc, &d), 0);
    assert_int_equal(osim_mc_run(mc, &d), 0);
    r = osim_mc_take_result(mc);
    osim_mc_free(mc);
    assert_non_null(r);
    return r;
}

static void test_write_dir_all_or_nothing(void **state)
{
    osim_override huge = {"policies.per-user-credit.params.amount", "10G"}; /* 10^22 won */
    osim_scenario *ok = load_ok(MONEY, NULL, 0), *bad = load_ok(MONEY, NULL, 0), *refused = NULL;
    osim_mc_result *rok, *rbad;
    char dir[] = "/tmp/outagesim-out-XXXXXX", path[128];
    struct stat before, after;
    osim_diag d;

    (void)state;
    /* The loader refuses such an amount (limits.c); the writer must still
     * refuse a figure past int64 won, so the amount is set behind its back. */
    assert_int_equal(osim_comp_scenario_load(MONEY, &huge, 1, &refused, &d), OSIM_ERANGE);
    assert_null(refused);
    ((osim_comp_flat_credit_params *)bad->policies[0].params)->amount_krw = 10000000000LL;
    rok = run_mc(ok);
    rbad = run_mc(bad);
    assert_non_null(mkdtemp(dir));
    /* A figure past int64 won: refused, and nothing appears. */
    assert_int_equal(osim_report_write_dir(rbad, dir, &d), OSIM_ERANGE);
    assert_int_equal(files_in(dir), 0);
    /* A good run, then the bad one again: the good files stay as they were. */
    assert_int_equal(osim_report_write_dir(rok, dir, &d), 0);
    assert_int_equal(files_in(dir), 3);
    snprintf(path, sizeof(path), "%s/%s", dir, OSIM_REPORT_REPLICATIONS_CSV);
    assert_int_equal(stat(path, &before), 0);
    assert_int_equal(osim_report_write_dir(rbad, dir, &d), OSIM_ERANGE);
    assert_int_equal(files_in(dir), 3);
    assert_int_equal(stat(path, &after), 0);
    assert_true(before.st_ino == after.st_ino && before.st_size == after.st_size);
    unlink(path);
    snprintf(path, sizeof(path), "%s/%s", dir, OSIM_REPORT_SUMMARY_CSV);
    unlink(path);
    snprintf(path, sizeof(path), "%s/%s", dir, OSIM_REPORT_RESULTS_JSON);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
    osim_mc_result_free(rok);
    osim_mc_result_free(rbad);
    osim_scenario_free(ok);
    osim_scenario_free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buffer_equals_file),
        cmocka_unit_test(test_include_not_regular),
        cmocka_unit_test(test_includes_share_the_cap),
        cmocka_unit_test(test_horizon_and_magnitudes),
        cmocka_unit_test(test_non_utf8),
        cmocka_unit_test(test_destroy_every_site),
        cmocka_unit_test(test_dependency_hub),
        cmocka_unit_test(test_money_at_scale),
        cmocka_unit_test(test_compensated_sum),
        cmocka_unit_test(test_write_dir_all_or_nothing),
    };

    osim_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
