/*
 * fuzz_scenario.c -- libFuzzer harness for the scenario loader and the
 * `--set` override parser.
 *
 * Invariant checked: whatever the bytes, loading either succeeds with a
 * scenario that can be simulated to finite numbers, or fails with a code
 * from the error table and a diagnostic that says so -- never a crash, a
 * sanitizer report, a leak, a hang, or NaN/infinity in a result.
 *
 * Input: YAML text, optionally followed by a line "#--set" and then one
 * `--set` argument per line ("PATH=VALUE"), split exactly as the command
 * line splits them (cli_overrides_add). The marker is a YAML comment, so
 * every scenario file is an input as it is, and every input is a file
 * `outagesim validate FILE --set ...` can reproduce. An input with nothing
 * before the marker applies its overrides to scenarios/minimal.yaml, or
 * with the marker "#--set ref" to scenarios/kakao-pangyo-2022.yaml: most
 * mutations of such an input still load, so the fuzzer explores values
 * (and the models' arithmetic) rather than YAML syntax.
 *
 * The text is loaded from memory with osim_comp_scenario_load_buffer under the
 * name FUZZ_NAME, a file inside scenarios/, so that `include:` lines of
 * the shipped scenarios (policies/...) resolve as they do for real files.
 *
 * When a scenario loads, one replication (seed 1, replication 0) is played
 * under every topology, and the impact and every policy are evaluated: a
 * loadable scenario that makes the model misbehave is as much a bug as a
 * loader crash. Every figure must be finite and where it can be: times in
 * [0, horizon], downtime at most the recovery time, the full recovery the
 * last service's, users affected at most the population, profit at most
 * revenue, money and counts never negative.
 *
 * Built two ways: with clang and -fsanitize=fuzzer (`make fuzz`), and with
 * the project's compiler and ASan/UBSan plus driver.c, which feeds every
 * file of the corpus through LLVMFuzzerTestOneInput once (`make test`).
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "outagesim/compensation.h"
#include "outagesim/error.h"
#include "outagesim/impact.h"
#include "outagesim/replay.h"
#include "outagesim/rng.h"
#include "outagesim/scenario.h"

#ifndef FUZZ_NAME
#define FUZZ_NAME "scenarios/fuzz.yaml"
#endif
#define BASE_MINIMAL "scenarios/minimal.yaml"
#define BASE_REFERENCE "scenarios/kakao-pangyo-2022.yaml"

/* The base scenarios' text, read once (the harness's only state). */
static char *base_minimal, *base_reference;
static size_t base_minimal_len, base_reference_len;

/* More overrides than this are ignored: the parser is linear in them. */
#define MAX_SETS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken invariant: say which and stop, so the fuzzer keeps the input. */
static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_scenario: invariant broken: %s%s%s\n", what, detail != NULL ? ": " : "",
            detail != NULL ? detail : "");
    abort();
}

static void check_finite(double x, const char *what)
{
    char buf[64];

    if (!isfinite(x)) {
        snprintf(buf, sizeof(buf), "%g", x);
        die(what, buf);
    }
}

/* Finite and within [lo, hi] (with a relative tolerance for rounding). */
static void check_range(double x, double lo, double hi, const char *what)
{
    char buf[128];
    double tol = 1e-9 * (fabs(lo) > fabs(hi) ? fabs(lo) : fabs(hi)) + 1e-9;

    check_finite(x, what);
    if (x < lo - tol || x > hi + tol) {
        snprintf(buf, sizeof(buf), "%.17g not in [%.17g, %.17g]", x, lo, hi);
        die(what, buf);
    }
}

/* Every settable path must come back with a value and a unit. */
static int param_cb(void *ud, const char *path, const char *value, const char *unit,
                    const char *doc)
{
    size_t *n = ud;

    if (path == NULL || path[0] == '\0' || value == NULL || unit == NULL || doc == NULL)
        die("params: a NULL or empty field", path);
    (*n)++;
    return 0;
}

/* One replication under every topology, every number finite. */
static void simulate(const osim_scenario *sc)
{
    osim_incident *inc = NULL;
    osim_replay *rp = NULL;
    osim_replay_result *res = NULL;
    osim_impact *im = NULL;
    osim_comp_result cr;
    osim_rng_local lr;
    size_t t, i, p;
    int rc;

    if (osim_incident_new(sc, &inc) != 0 || osim_replay_new(sc, &rp) != 0 ||
        osim_replay_result_new(sc, &res) != 0 || osim_impact_new(sc, &im) != 0)
        die("cannot allocate the model for a loaded scenario", NULL);
    osim_incident_draw(sc, 1, 0, inc);
    for (t = 0; t < sc->topologies_count; t++) {
        if ((rc = osim_replay_run(rp, inc, t, 1, 0, res)) != 0)
            die("replay failed on a loaded scenario", osim_strerror(rc));
        {
            double H = sc->horizon_h, worst = 0.0;
            check_range(res->full_recovery_h, 0.0, H, "full_recovery_h");
            for (i = 0; i < res->services_count; i++) {
                const osim_service_outcome *o = &res->services[i];
                check_range(o->downtime_h, 0.0, H, "downtime_h");
                check_range(o->recovered_h, 0.0, H, "recovered_h");
                check_range(o->downtime_h, 0.0, o->recovered_h, "downtime_h after recovery");
                check_range(o->data_lost_gb, 0.0, HUGE_VAL, "data_lost_gb");
                if (o->recovered_h > worst)
                    worst = o->recovered_h;
            }
            check_range(res->full_recovery_h, worst, worst,
                        "full_recovery_h is the last service's");
            /* Systems back: each later level is reached no earlier. */
            check_range(res->systems_50_h, 0.0, res->systems_90_h, "systems_50_h");
            check_range(res->systems_90_h, 0.0, res->systems_100_h, "systems_90_h");
            check_range(res->systems_100_h, 0.0, H, "systems_100_h");
        }
        osim_rng_local_init(&lr, 7);
        if ((rc = osim_impact_compute(im, res, &lr.r)) != 0)
            die("impact failed on a loaded scenario", osim_strerror(rc));
        check_range(im->user_hours_lost, 0.0, sc->population.users * sc->horizon_h,
                    "user_hours_lost");
        check_range(im->distinct_affected, 0.0, sc->population.users, "distinct_affected");
        check_range(im->peak_affected, 0.0, sc->population.users, "peak_affected");
        check_range(im->sb_revenue_loss_krw, 0.0, HUGE_VAL, "sb_revenue_loss_krw");
        check_range(im->sb_lost_profit_krw, 0.0, im->sb_revenue_loss_krw, "sb_lost_profit_krw");
        check_range(im->sb_claimants, 0.0, HUGE_VAL, "sb_claimants");
        for (p = 0; p < sc->policies_count; p++) {
            osim_rng_local_init(&lr, 11 + p);
            if ((rc = osim_comp_eval(&sc->policies[p], im, &lr.r, &cr)) != 0)
                die("compensation failed on a loaded scenario", sc->policies[p].name);
            check_range(cr.total_krw, 0.0, HUGE_VAL, "compensation total_krw");
            check_range(cr.nominal_krw, 0.0, HUGE_VAL, "compensation nominal_krw");
            check_range(cr.claimants, 0.0, HUGE_VAL, "compensation claimants");
            for (i = 0; i < cr.classes_count; i++) {
                check_range(cr.classes[i].amount_krw, 0.0, HUGE_VAL, "class amount_krw");
                check_range(cr.classes[i].claimants, 0.0, HUGE_VAL, "class claimants");
            }
        }
    }
    osim_impact_free(im);
    osim_replay_result_free(res);
    osim_replay_free(rp);
    osim_incident_free(inc);
}

/* Where the override part starts: after a line "#--set" or "#--set ref"
 * (*ref is 0 or 1, or -1 without a marker). Returns the length of the YAML part. */
static size_t split_at(const char *s, size_t n, size_t *rest, int *ref)
{
    static const char *const markers[2] = {"#--set\n", "#--set ref\n"};
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        if (i > 0 && s[i - 1] != '\n')
            continue;
        for (k = 0; k < 2; k++) {
            size_t m = strlen(markers[k]);
            if (i + m <= n && memcmp(s + i, markers[k], m) == 0) {
                *rest = i + m;
                *ref = k;
                return i;
            }
        }
    }
    *rest = n;
    *ref = -1;
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) == NULL ||
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "fuzz_scenario: cannot read %s (run from the repository root)\n", path);
        exit(1);
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    osim_global_init();
    base_minimal = slurp(BASE_MINIMAL, &base_minimal_len);
    base_reference = slurp(BASE_REFERENCE, &base_reference_len);
    return 0;
}

static bool blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cli_overrides ovs;
    osim_scenario *sc = NULL;
    osim_diag diag;
    char *text, *line;
    const char *yaml;
    size_t yaml_len, rest, nparams = 0;
    int rc, ref;

    /* A private NUL-terminated copy: the override lines are cut in place. */
    if ((text = malloc(size + 1)) == NULL)
        return 0;
    if (size > 0)
        memcpy(text, data, size);
    text[size] = '\0';
    yaml_len = split_at(text, size, &rest, &ref);
    yaml = text;
    if (ref >= 0 && blank(text, yaml_len)) {
        yaml = ref == 1 ? base_reference : base_minimal;
        yaml_len = ref == 1 ? base_reference_len : base_minimal_len;
    }
    cli_overrides_init(&ovs);
    for (line = text + rest; line < text + size && ovs.n < MAX_SETS;) {
        char *nl = memchr(line, '\n', (size_t)(text + size - line));
        if (nl != NULL)
            *nl = '\0';
        if (cli_overrides_add(&ovs, line) == -2)
            die("out of memory collecting overrides", NULL);
        if (nl == NULL)
            break;
        line = nl + 1;
    }

    rc = osim_comp_scenario_load_buffer(FUZZ_NAME, yaml, yaml_len, ovs.v, ovs.n, &sc, &diag);
    if (rc == 0) {
        if (sc == NULL)
            die("load returned 0 without a scenario", NULL);
        if (strlen(sc->sha256) != 64)
            die("a loaded scenario without its sha256", sc->sha256);
        if (osim_scenario_params(sc, param_cb, &nparams) != 0 || nparams == 0)
            die("params listing failed on a loaded scenario", NULL);
        simulate(sc);
        osim_scenario_free(sc);
    } else {
        if (sc != NULL)
            die("a failed load left a scenario behind", NULL);
        if (rc >= 0 || strcmp(osim_err_name(rc), "OSIM_UNKNOWN") == 0)
            die("load failed with a code outside the error table", NULL);
        if (diag.code != rc)
            die("the diagnostic's code is not the returned code", diag.msg);
        if (diag.msg[0] == '\0')
            die("an error without a message", osim_err_name(rc));
        if (memchr(diag.msg, '\0', sizeof(diag.msg)) == NULL)
            die("an unterminated diagnostic", NULL);
        /* An error in the text points at a line the text has. YAML breaks
         * lines at LF, CR and CR LF; counting every CR and LF (and the
         * first byte of U+0085, U+2028, U+2029) can only over-count. */
        if (strcmp(diag.file, FUZZ_NAME) == 0 && diag.line > 0) {
            size_t k, lines = 1;
            for (k = 0; k < yaml_len; k++)
                lines +=
                    yaml[k] == '\n' || yaml[k] == '\r' || yaml[k] == '\xc2' || yaml[k] == '\xe2';
            if ((size_t)diag.line > lines || diag.col < 0)
                die("an error position outside the text", diag.msg);
        }
    }
    cli_overrides_free(&ovs);
    free(text);
    return 0;
}
