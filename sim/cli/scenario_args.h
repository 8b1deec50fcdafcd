/*
 * scenario_args.h -- the command line of the commands that read one
 * scenario and nothing else of note (`validate`, `params`): SCENARIO and
 * `--set PATH=VALUE`..., plus `params`' --doc; and the one way every
 * command loads its scenario and turns a failure into an exit code.
 */
#ifndef OUTAGESIM_CLI_SCENARIO_ARGS_H
#define OUTAGESIM_CLI_SCENARIO_ARGS_H

#include <stdbool.h>

#include "cli/args.h"
#include "outagesim/scenario.h"

typedef struct cli_scenario_args {
    const char *scenario; /* borrowed from argv */
    cli_overrides ov;     /* in command-line order */
    bool doc;             /* --doc (only when with_doc) */
} cli_scenario_args;

/*
 * Parse argv (argv[0] the command's name) of command cmd: SCENARIO,
 * --set PATH=VALUE (repeatable) and, with with_doc, the flag --doc.
 * Returns 0 or an exit code (the error printed). Free with
 * cli_scenario_args_free whatever it returns.
 */
int cli_scenario_args_parse(const char *cmd, int argc, char **argv, bool with_doc,
                            cli_scenario_args *a);

void cli_scenario_args_free(cli_scenario_args *a);

/*
 * Load path with the overrides ov into *out; on failure print the
 * diagnostic (FILE:LINE:COL: MESSAGE) and return its exit code
 * (cli_exit_code), else 0.
 */
int cli_load_scenario(const char *path, const cli_overrides *ov, osim_scenario **out);

#endif
