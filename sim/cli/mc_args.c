/*
 * mc_args.c -- the Monte Carlo options shared by `run`, `sweep` and
 * `sensitivity` (see mc_args.h).
 *
 * Invariant: an option is parsed, bounded and reported here or in its
 * command, never in both; every message is the one the commands printed
 * when each had its own copy, so scripts and tests that match them keep
 * working. The bounds: --replications 1..UINT32_MAX, --seed
 * 0..INT64_MAX (seeds stay positive as signed 64-bit numbers, for tools
 * that read them so), --threads 1..1024 (libuv's pool limit), --chunk
 * 1..2^20, --block 1..UINT32_MAX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/mc_args.h"

#define MAX_THREADS 1024u /* libuv's limit on its pool */
#define MAX_CHUNK (1u << 20)

void cli_mc_args_init(cli_mc_args *a, unsigned options, uint64_t default_replications)
{
    memset(a, 0, sizeof(*a));
    cli_overrides_init(&a->ov);
    a->options = options;
    a->replications = default_replications;
    a->seed = 1;
}

void cli_mc_args_free(cli_mc_args *a)
{
    free(a->topo_names);
    a->topo_names = NULL;
    a->ntopo = 0;
    cli_overrides_free(&a->ov);
}

int cli_mc_scenario(cli_mc_args *a, const char *cmd, const char *arg)
{
    if (a->scenario != NULL) {
        cli_errorf("%s: one scenario only ('%s' and '%s')", cmd, a->scenario, arg);
        return CLI_USAGE;
    }
    a->scenario = arg;
    return 0;
}

bool cli_mc_is_positional(const char *arg)
{
    return strncmp(arg, "--", 2) != 0 || strcmp(arg, "--") == 0;
}

int cli_mc_positional(cli_mc_args *a, const char *cmd, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];

    if (strcmp(arg, "--") == 0 && *i + 1 < argc)
        arg = argv[++*i];
    return cli_mc_scenario(a, cmd, arg);
}

int cli_opt_flag(const char *opt, const char *val)
{
    if (val != NULL) {
        cli_errorf("%s takes no value", opt);
        return CLI_USAGE;
    }
    return 0;
}

void cli_opt_split(char *arg, char *opt, size_t n, char **val)
{
    char *eq;

    *val = NULL;
    snprintf(opt, n, "%s", arg);
    if ((eq = strchr(opt, '=')) != NULL) {
        *eq = '\0';
        *val = arg + (eq - opt) + 1;
    }
}

int cli_opt_value(const char *cmd, const char *opt, char **val, int argc, char **argv, int *i)
{
    if (*val == NULL) {
        if (*i + 1 >= argc) {
            cli_errorf("%s needs a value (see outagesim %s --help)", opt, cmd);
            return CLI_USAGE;
        }
        *val = argv[++*i];
    }
    return 0;
}

int cli_opt_unknown(const char *cmd, const char *opt)
{
    cli_errorf("%s: unknown option '%s' (see outagesim %s --help)", cmd, opt, cmd);
    return CLI_USAGE;
}

int cli_parse_u64_in(const char *opt, const char *s, uint64_t lo, uint64_t max, uint64_t *out)
{
    uint64_t v;

    if (cli_parse_u64(s, &v) != 0 || v > max || v < lo) {
        cli_errorf("%s: '%s' is not a whole number in %llu..%llu", opt, s, (unsigned long long)lo,
                   (unsigned long long)max);
        return CLI_USAGE;
    }
    *out = v;
    return 0;
}

int cli_add_list(const char ***v, size_t *n, char *list)
{
    char *save = NULL, *tok;

    for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        const char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
        if (nv == NULL)
            return CLI_FAIL;
        *v = nv;
        (*v)[(*n)++] = tok;
    }
    return 0;
}

/*
 * A count that must be at least 1, in the command's wording: 1..max, or
 * (CLI_MC_MIN_SENTENCE) 0..max and then "OPT must be at least 1".
 */
static int parse_count(const cli_mc_args *a, const char *opt, const char *s, uint64_t max,
                       uint64_t *out)
{
    int rc;

    if (!(a->options & CLI_MC_MIN_SENTENCE))
        return cli_parse_u64_in(opt, s, 1, max, out);
    if ((rc = cli_parse_u64_in(opt, s, 0, max, out)) != 0)
        return rc;
    if (*out == 0) {
        cli_errorf("%s must be at least 1", opt);
        return CLI_USAGE;
    }
    return 0;
}

int cli_mc_option(cli_mc_args *a, const char *cmd, const char *opt, char **val, int argc,
                  char **argv, int *i)
{
    uint64_t u = 0;
    int rc;

#define FLAG(name) (strcmp(opt, name) == 0)
    if ((a->options & CLI_MC_QUIET) && FLAG("--quiet")) {
        if ((rc = cli_opt_flag(opt, *val)) != 0)
            return rc;
        a->quiet = true;
        return 0;
    }
    if (!FLAG("--replications") && !FLAG("--seed") && !FLAG("--threads") && !FLAG("--chunk") &&
        !FLAG("--set") && !FLAG("--out") &&
        !((a->options & CLI_MC_TOPOLOGIES) && FLAG("--topology")) &&
        !((a->options & CLI_MC_BLOCK) && FLAG("--block")))
        return CLI_MC_NOT_MINE;
    if ((rc = cli_opt_value(cmd, opt, val, argc, argv, i)) != 0)
        return rc;
    if (FLAG("--replications")) {
        a->has_replications = true;
        return parse_count(a, opt, *val, UINT32_MAX, &a->replications);
    } else if (FLAG("--seed")) {
        return cli_parse_u64_in(opt, *val, 0, INT64_MAX, &a->seed);
    } else if (FLAG("--threads")) {
        rc = parse_count(a, opt, *val, MAX_THREADS, &u);
        a->threads = (unsigned)u;
    } else if (FLAG("--chunk")) {
        rc = parse_count(a, opt, *val, MAX_CHUNK, &u);
        a->chunk = (unsigned)u;
    } else if (FLAG("--block")) {
        rc = cli_parse_u64_in(opt, *val, 1, UINT32_MAX, &a->block);
    } else if (FLAG("--topology")) {
        if (strcmp(*val, "all") != 0)
            rc = cli_add_list(&a->topo_names, &a->ntopo, *val);
    } else if (FLAG("--set")) {
        int r = cli_overrides_add(&a->ov, *val);
        if (r == -2)
            return CLI_FAIL;
        if (r != 0) {
            cli_errorf("--set: expected PATH=VALUE, got '%s'", *val);
            return CLI_USAGE;
        }
    } else if (FLAG("--out")) {
        a->out = *val;
    }
#undef FLAG
    return rc;
}

int cli_mc_check_out(const cli_mc_args *a)
{
    struct stat st;

    if (a->out != NULL && stat(a->out, &st) == 0 && !S_ISDIR(st.st_mode)) {
        cli_errorf("--out: '%s' exists and is not a directory", a->out);
        return CLI_USAGE;
    }
    return 0;
}
