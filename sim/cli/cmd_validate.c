/*
 * cmd_validate.c -- `outagesim validate FILE [--set PATH=VALUE]...`: load and
 * check a scenario, write nothing.
 *
 * The whole of validation is osim_comp_scenario_load(): this command only prints
 * its verdict. Exit 0 when the scenario is good, 2 when it (or the command
 * line) is not, with the first problem as `file:line:col: message` on
 * stderr; 1 when it cannot be read at all, or memory runs out (cli.h's
 * table). It never writes a file.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/scenario_args.h"
#include "outagesim/scenario.h"

static void validate_help(void)
{
    printf(
        "usage: outagesim validate SCENARIO [--set PATH=VALUE]...\n"
        "\n"
        "Load SCENARIO (a YAML file, see scenarios/README.md), apply the overrides and check\n"
        "everything the simulator relies on: syntax, unknown keys, types and units, required\n"
        "keys, ranges (no negative durations or counts, probabilities in [0,1], p95 not below\n"
        "the median), references to sites, services and policies, dependency cycles, and that\n"
        "every topology places every service exactly once. Nothing is written.\n"
        "\n"
        "On success prints one line to stdout and exits 0:\n"
        "  scenarios/minimal.yaml: ok (2 sites, 4 services, 2 topologies, 1 segment, 0 policies)\n"
        "On the first problem prints it to stderr as FILE:LINE:COL: MESSAGE and exits 2\n"
        "(an override's problem as \"--set PATH=VALUE: MESSAGE\"); exits 1 if the file\n"
        "exists but cannot be read.\n"
        "\n"
        "options:\n"
        "  --set PATH=VALUE  override one value before checking; repeatable, applied in order.\n"
        "                    PATH is the dotted key path, list items by name\n"
        "                    (businesses.taxi-drivers.claim_rate=0.2); VALUE in the key's unit\n"
        "                    (durations 90s/45m/4h/2d, money 30k/1.5M). `outagesim params FILE`\n"
        "                    lists every PATH. Default: none.\n"
        "\n"
        "examples:\n"
        "  outagesim validate scenarios/kakao-pangyo-2022.yaml\n"
        "  outagesim validate scenarios/kakao-pangyo-2022.yaml --set population.users=96000000\n");
}

static int validate_main(int argc, char **argv)
{
    cli_scenario_args a;
    osim_scenario *sc = NULL;
    int code;

    if ((code = cli_scenario_args_parse("validate", argc, argv, false, &a)) != 0 ||
        (code = cli_load_scenario(a.scenario, &a.ov, &sc)) != 0)
        goto done;
    printf("%s: ok (%zu site%s, %zu service%s, %zu topolog%s, %zu segment%s, %zu polic%s)\n",
           a.scenario, sc->sites_count, sc->sites_count == 1 ? "" : "s", sc->services_count,
           sc->services_count == 1 ? "" : "s", sc->topologies_count,
           sc->topologies_count == 1 ? "y" : "ies", sc->segments_count,
           sc->segments_count == 1 ? "" : "s", sc->policies_count,
           sc->policies_count == 1 ? "y" : "ies");
    code = CLI_OK;
done:
    osim_scenario_free(sc);
    cli_scenario_args_free(&a);
    return code;
}

const cli_command cli_cmd_validate = {
    "validate",
    "load and check a scenario file (exit 0 good, 2 bad)",
    validate_main,
    validate_help,
};
