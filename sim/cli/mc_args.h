/*
 * mc_args.h -- the Monte Carlo options that `outagesim run`, `sweep` and
 * `sensitivity` share (--replications, --seed, --threads, --chunk, --set,
 * --out, and per command --topology, --block, --quiet), and their
 * SCENARIO.
 *
 * Each command lists the shared options it takes in its own getopt_long
 * table (the CLI_MC_OPT_* entries) next to its own, walks argv with
 * cli_opts_next (opts.h) and offers every key to cli_mc_option first, so
 * the shared options are parsed, bounded and reported by one piece of
 * code. The bounds: --replications 1..UINT32_MAX, --seed 0..INT64_MAX
 * (seeds stay positive as signed 64-bit numbers, for tools that read them
 * so), --threads 1..1024 (libuv's pool limit), --chunk 1..2^20, --block
 * 1..UINT32_MAX.
 */
#ifndef OUTAGESIM_CLI_MC_ARGS_H
#define OUTAGESIM_CLI_MC_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/args.h"
#include "cli/opts.h"

#define CLI_MC_MAX_THREADS 1024u /* libuv's limit on its pool */
#define CLI_MC_MAX_CHUNK (1u << 20)

/* Keys of the shared options; a command's own keys start at CLI_MC_KEY_END. */
enum {
    CLI_MC_REPLICATIONS = CLI_OPT_KEY0,
    CLI_MC_SEED,
    CLI_MC_THREADS,
    CLI_MC_CHUNK,
    CLI_MC_SET,
    CLI_MC_OUT,
    CLI_MC_TOPOLOGY, /* NAME|all, repeatable, comma-separated */
    CLI_MC_BLOCK,
    CLI_MC_QUIET,
    CLI_MC_NO_WAIT, /* --out: fail rather than wait for another writer (publish.h) */
    CLI_MC_KEY_END,
};

/* getopt_long entries of the shared options, for a command's table. */
#define CLI_MC_OPTS_COMMON                                                                         \
    {"replications", required_argument, NULL, CLI_MC_REPLICATIONS},                                \
        {"seed", required_argument, NULL, CLI_MC_SEED},                                            \
        {"threads", required_argument, NULL, CLI_MC_THREADS},                                      \
        {"chunk", required_argument, NULL, CLI_MC_CHUNK},                                          \
        {"set", required_argument, NULL, CLI_MC_SET},                                              \
        {"out", required_argument, NULL, CLI_MC_OUT},                                              \
        {"no-wait", no_argument, NULL, CLI_MC_NO_WAIT},                                            \
    {                                                                                              \
        "quiet", no_argument, NULL, CLI_MC_QUIET                                                   \
    }
#define CLI_MC_OPT_TOPOLOGY                                                                        \
    {                                                                                              \
        "topology", required_argument, NULL, CLI_MC_TOPOLOGY                                       \
    }
#define CLI_MC_OPT_BLOCK                                                                           \
    {                                                                                              \
        "block", required_argument, NULL, CLI_MC_BLOCK                                             \
    }

/* cli_mc_option's answer for a key that is not one of the shared options. */
#define CLI_MC_NOT_MINE (-1)

typedef struct cli_mc_args {
    const char *scenario;
    const char **topo_names; /* borrowed from argv (split in place) */
    size_t ntopo;
    uint64_t replications, seed, block; /* block 0: the executor's default */
    bool has_replications;              /* --replications was given */
    unsigned threads, chunk;            /* 0: the default */
    cli_overrides ov;
    const char *out;
    bool quiet;
    bool no_wait; /* --no-wait */
} cli_mc_args;

/* Defaults: replications default_replications, seed 1, the rest 0/NULL. */
void cli_mc_args_init(cli_mc_args *a, uint64_t default_replications);

/* Free what parsing allocated (not the strings, which are argv's). */
void cli_mc_args_free(cli_mc_args *a);

/*
 * Take the positional argument arg as the scenario; a second one is the
 * usage error "one scenario only ('A' and 'B')". Returns 0 or CLI_USAGE.
 */
int cli_mc_scenario(cli_mc_args *a, const char *cmd, const char *arg);

/*
 * Offer the option key (value val, NULL for a flag) to the shared
 * options. Returns CLI_MC_NOT_MINE when key is not one of them, 0 when it
 * was consumed, or an exit code (CLI_USAGE, printed; CLI_FAIL, out of
 * memory).
 */
int cli_mc_option(cli_mc_args *a, const char *cmd, int key, char *val);

/* --out DIR of cmd must be a directory or not exist yet: 0, or CLI_USAGE (printed). */
int cli_check_out_dir(const char *cmd, const char *dir);

/* Split list at ',' in place and append the pieces to *v; 0 or CLI_FAIL (memory). */
int cli_add_list(const char ***v, size_t *n, char *list);

#endif
