/*
 * cmd_params.c -- `outagesim params FILE [--set PATH=VALUE]...`: list every
 * path `--set` accepts, with its current value and unit.
 *
 * The list comes from osim_scenario_params(), which walks the same schema
 * tables as the loader; each line can be fed back to --set unchanged.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/scenario_args.h"
#include "core/str.h"
#include "outagesim/money.h"
#include "outagesim/scenario.h"

typedef struct row {
    char *path, *value, *unit, *doc;
} row;

typedef struct rows {
    row *v;
    size_t n, cap;
    int err;
    const osim_currency *cur; /* the scenario's: money units are shown in it */
} rows;

static int collect(void *ud, const char *path, const char *value, const char *unit, const char *doc)
{
    rows *r = ud;
    row *x;

    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        row *v = realloc(r->v, cap * sizeof(*v));
        if (v == NULL)
            return r->err = OSIM_ENOMEM;
        r->v = v;
        r->cap = cap;
    }
    x = &r->v[r->n];
    x->path = osim__strdup(path);
    x->value = osim__strdup(value);
    /* The schema writes money as "won", "won/h", ...: the scenario's unit. */
    if (r->cur != NULL && strncmp(unit, "won", 3) == 0) {
        char shown[64];
        snprintf(shown, sizeof(shown), "%s%s", r->cur->word != NULL ? r->cur->word : r->cur->code,
                 unit + 3);
        x->unit = osim__strdup(shown);
    } else {
        x->unit = osim__strdup(unit);
    }
    x->doc = osim__strdup(doc);
    r->n++;
    if (x->path == NULL || x->value == NULL || x->unit == NULL || x->doc == NULL)
        return r->err = OSIM_ENOMEM;
    return 0;
}

static bool under(const char *path, const char *root)
{
    size_t n = strlen(root);

    return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '.');
}

/* One provenance record as a line after the parameter(s) it is about. The
 * path is named when it is not the line's own (a distribution, an item). */
static void print_provenance(const osim_provenance *p, const char *row_path)
{
    size_t i;

    printf("    # ");
    if (row_path == NULL || strcmp(row_path, p->path) != 0)
        printf("%s: ", p->path);
    switch (p->kind) {
    case OSIM_PROV_SOURCE:
        printf("source ");
        for (i = 0; i < p->ids_count; i++)
            printf("%s%s", i ? ", " : "", p->ids[i]);
        break;
    case OSIM_PROV_ASSUMPTION: printf("ASSUMPTION: %s", p->reason); break;
    case OSIM_PROV_SET: printf("set on the command line (--set %s)", p->note); break;
    }
    if (p->kind != OSIM_PROV_SET && p->note != NULL)
        printf(" -- %s", p->note);
    putchar('\n');
}

static void params_help(void)
{
    printf("usage: outagesim params SCENARIO [--set PATH=VALUE]... [--doc]\n"
           "\n"
           "List every value of SCENARIO that --set can override, one per line, as\n"
           "  PATH = VALUE UNIT\n"
           "after applying the given overrides. Defaults are listed too. List items are named\n"
           "(topologies.as-was.services.auth.failover); distributions are listed by parameter\n"
           "(incident.pangyo.power_cut.mean). Values are in the program's units: durations in\n"
           "hours (h), money in whole units of scenario.currency (won for KRW), fractions in\n"
           "[0,1]; a bare number means the same in\n"
           "a file or in --set, so any line can be fed back as --set PATH=VALUE.\n"
           "\n"
           "Where the scenario gives a value's source or an assumption (scenarios/README.md,\n"
           "\"Sources and assumptions\"), a line '    # source S1.2' or '    # ASSUMPTION: why'\n"
           "follows the value (naming the path when it is a distribution or a whole item);\n"
           "a value changed by --set says so instead.\n"
           "\n"
           "options:\n"
           "  --set PATH=VALUE  override a value first (repeatable, in order). Default: none.\n"
           "  --doc             add each key's one-line description after a '#'.\n"
           "\n"
           "examples:\n"
           "  outagesim params scenarios/kakao-pangyo-2022.yaml\n"
           "  outagesim params scenarios/kakao-pangyo-2022.yaml | grep claim_rate\n"
           "  outagesim params scenarios/minimal.yaml --set population.users=96000000\n");
}

static int params_main(int argc, char **argv)
{
    cli_scenario_args a;
    osim_scenario *sc = NULL;
    rows r = {0};
    size_t i, k, wp = 0, wv = 0, *at = NULL;
    int rc, code;

    if ((code = cli_scenario_args_parse("params", argc, argv, true, &a)) != 0 ||
        (code = cli_load_scenario(a.scenario, &a.ov, &sc)) != 0)
        goto done;
    r.cur = osim_currency_find(sc->currency);
    rc = osim_scenario_params(sc, collect, &r);
    if (rc != 0 || r.err != 0) {
        cli_errorf("listing parameters: %s", osim_strerror(rc != 0 ? rc : r.err));
        code = cli_exit_code(rc != 0 ? rc : r.err);
        goto done;
    }
    for (i = 0; i < r.n; i++) {
        size_t lp = strlen(r.v[i].path), lv = strlen(r.v[i].value);
        if (lp > wp)
            wp = lp;
        if (lv > wv && lv <= 24)
            wv = lv;
    }
    /* Each record goes after the last line it covers. */
    if (sc->provenance_count > 0) {
        at = malloc(sc->provenance_count * sizeof(*at));
        if (at == NULL) {
            cli_errorf("listing parameters: %s", osim_strerror(OSIM_ENOMEM));
            code = cli_exit_code(OSIM_ENOMEM);
            goto done;
        }
    }
    for (k = 0; k < sc->provenance_count; k++) {
        at[k] = r.n;
        for (i = 0; i < r.n; i++)
            if (under(r.v[i].path, sc->provenance[k].path))
                at[k] = i;
    }
    for (i = 0; i < r.n; i++) {
        const row *x = &r.v[i];
        if (x->unit[0] != '\0' || a.doc)
            printf("%-*s = %-*s %s", (int)wp, x->path, (int)wv, x->value, x->unit);
        else
            printf("%-*s = %s", (int)wp, x->path, x->value);
        if (a.doc && x->doc[0] != '\0')
            printf("%*s# %s", x->unit[0] != '\0' ? 2 : 1, "", x->doc);
        putchar('\n');
        for (k = 0; k < sc->provenance_count; k++)
            if (at[k] == i)
                print_provenance(&sc->provenance[k], x->path);
    }
    for (k = 0; k < sc->provenance_count; k++)
        if (at[k] == r.n)
            print_provenance(&sc->provenance[k], NULL);
    code = CLI_OK;
done:
    for (i = 0; i < r.n; i++) {
        free(r.v[i].path);
        free(r.v[i].value);
        free(r.v[i].unit);
        free(r.v[i].doc);
    }
    free(r.v);
    free(at);
    osim_scenario_free(sc);
    cli_scenario_args_free(&a);
    return code;
}

const cli_command cli_cmd_params = {
    "params",
    "list every --set path of a scenario with its value and unit",
    params_main,
    params_help,
};
