/*
 * scenario_args.c -- SCENARIO and --set for `validate` and `params`, and
 * the scenario loading of every command (see scenario_args.h).
 */
#include "cli/scenario_args.h"

#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "outagesim/compensation.h"

enum { OPT_SET = CLI_OPT_KEY0, OPT_DOC };

static const struct option with_doc_options[] = {
    {"set", required_argument, NULL, OPT_SET},
    {"doc", no_argument, NULL, OPT_DOC},
    {NULL, 0, NULL, 0},
};

int cli_scenario_args_parse(const char *cmd, int argc, char **argv, bool with_doc,
                            cli_scenario_args *a)
{
    /* Without --doc: the same table cut before its "doc" entry. */
    struct option opts[3];
    cli_opts p;
    char *val;
    int key, rc;

    memset(a, 0, sizeof(*a));
    cli_overrides_init(&a->ov);
    memcpy(opts, with_doc_options, sizeof(opts));
    if (!with_doc)
        memset(&opts[1], 0, sizeof(opts[1]));
    cli_opts_init(&p, cmd, argc, argv, opts);
    while ((key = cli_opts_next(&p, &val)) != CLI_OPTS_END) {
        switch (key) {
        case CLI_OPTS_ERROR: return CLI_USAGE;
        case CLI_OPTS_ARG:
            if (a->scenario != NULL)
                return cli_usage(cmd, "one scenario only ('%s' and '%s')", a->scenario, val);
            a->scenario = val;
            break;
        case OPT_SET:
            if ((rc = cli_opt_set(cmd, &a->ov, val)) != 0)
                return rc;
            break;
        case OPT_DOC: a->doc = true; break;
        default: return cli_opt_unhandled(cmd, key);
        }
    }
    if (a->scenario == NULL)
        return cli_usage(
            cmd, "which scenario? (usage: outagesim %s SCENARIO [--set PATH=VALUE]...)", cmd);
    return 0;
}

void cli_scenario_args_free(cli_scenario_args *a)
{
    cli_overrides_free(&a->ov);
}

int cli_load_scenario(const char *path, const cli_overrides *ov, osim_scenario **out)
{
    osim_diag d;
    int rc;

    osim_diag_clear(&d);
    if ((rc = osim_comp_scenario_load(path, ov->v, ov->n, out, &d)) != 0) {
        cli_print_diag(&d);
        return cli_exit_code(rc);
    }
    return 0;
}
