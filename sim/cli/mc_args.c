/*
 * mc_args.c -- the Monte Carlo options shared by `run`, `sweep` and
 * `sensitivity` (see mc_args.h).
 *
 * Invariant: an option is parsed, bounded and reported here or in its
 * command, never in both, and every message comes through cli_usage
 * (opts.h), so the three commands word the same mistake the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/mc_args.h"

void cli_mc_args_init(cli_mc_args *a, uint64_t default_replications)
{
    memset(a, 0, sizeof(*a));
    cli_overrides_init(&a->ov);
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
    if (a->scenario != NULL)
        return cli_usage(cmd, "one scenario only ('%s' and '%s')", a->scenario, arg);
    a->scenario = arg;
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

int cli_mc_option(cli_mc_args *a, const char *cmd, int key, char *val)
{
    uint64_t u = 0;
    int rc = 0;

    switch (key) {
    case CLI_MC_QUIET: a->quiet = true; return 0;
    case CLI_MC_REPLICATIONS:
        a->has_replications = true;
        return cli_opt_u64(cmd, "--replications", val, 1, UINT32_MAX, &a->replications);
    case CLI_MC_SEED: return cli_opt_u64(cmd, "--seed", val, 0, INT64_MAX, &a->seed);
    case CLI_MC_THREADS:
        rc = cli_opt_u64(cmd, "--threads", val, 1, CLI_MC_MAX_THREADS, &u);
        a->threads = (unsigned)u;
        return rc;
    case CLI_MC_CHUNK:
        rc = cli_opt_u64(cmd, "--chunk", val, 1, CLI_MC_MAX_CHUNK, &u);
        a->chunk = (unsigned)u;
        return rc;
    case CLI_MC_BLOCK: return cli_opt_u64(cmd, "--block", val, 1, UINT32_MAX, &a->block);
    case CLI_MC_TOPOLOGY:
        return strcmp(val, "all") == 0 ? 0 : cli_add_list(&a->topo_names, &a->ntopo, val);
    case CLI_MC_SET: return cli_opt_set(cmd, &a->ov, val);
    case CLI_MC_OUT: a->out = val; return 0;
    case CLI_MC_NO_WAIT: a->no_wait = true; return 0;
    default: return CLI_MC_NOT_MINE;
    }
}

int cli_check_out_dir(const char *cmd, const char *dir)
{
    struct stat st;

    if (dir == NULL)
        return 0;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return cli_usage(cmd, "--out: '%s' exists and is not a directory", dir);
    /* A link to nothing is as unusable as a file, and is told the same way
     * (exit 2 before any work), not found out when the results are written. */
    if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode) && stat(dir, &st) != 0 && errno == ENOENT)
        return cli_usage(cmd,
                         "--out: '%s' is a symbolic link to something that does not exist: "
                         "remove the link or create what it points to",
                         dir);
    return 0;
}
