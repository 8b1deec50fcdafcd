/*
 * mc_args.h -- the Monte Carlo options that `outagesim run`, `sweep` and
 * `sensitivity` share (--replications, --seed, --threads, --chunk, --set,
 * --out, and per command --topology, --block, --quiet), and the pieces of
 * their argv walk (SCENARIO, --opt=value or --opt value, unknown options).
 *
 * Each command keeps its own loop and its own options; it offers every
 * option to cli_mc_option first, so the shared options are parsed, bounded
 * and reported by one piece of code. The messages are the ones the three
 * commands printed before they shared it, word for word.
 */
#ifndef OUTAGESIM_CLI_MC_ARGS_H
#define OUTAGESIM_CLI_MC_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/args.h"

/* Which of the optional shared options a command takes (cli_mc_args_init). */
enum {
    CLI_MC_TOPOLOGIES = 1u << 0, /* --topology NAME|all, repeatable, comma-separated */
    CLI_MC_BLOCK = 1u << 1,      /* --block N, 1..UINT32_MAX */
    CLI_MC_QUIET = 1u << 2,      /* --quiet (a value is refused) */
    /*
     * `run`'s wording for a 0 in --replications, --threads or --chunk:
     * the range message says 0..MAX and a 0 is refused with "--X must be
     * at least 1"; without it the range message says 1..MAX.
     */
    CLI_MC_MIN_SENTENCE = 1u << 3,
};

/* cli_mc_option's answer for an option that is not one of the shared ones. */
#define CLI_MC_NOT_MINE (-1)

typedef struct cli_mc_args {
    unsigned options; /* CLI_MC_* bits */
    const char *scenario;
    const char **topo_names; /* borrowed from argv (split in place) */
    size_t ntopo;
    uint64_t replications, seed, block; /* block 0: the executor's default */
    bool has_replications;              /* --replications was given */
    unsigned threads, chunk;            /* 0: the default */
    cli_overrides ov;
    const char *out;
    bool quiet;
} cli_mc_args;

/* Defaults: replications default_replications, seed 1, the rest 0/NULL. */
void cli_mc_args_init(cli_mc_args *a, unsigned options, uint64_t default_replications);

/* Free what parsing allocated (not the strings, which are argv's). */
void cli_mc_args_free(cli_mc_args *a);

/*
 * Take the positional argument arg as the scenario; a second one is
 * "CMD: one scenario only (...)" and CLI_USAGE. Returns 0 or CLI_USAGE.
 */
int cli_mc_scenario(cli_mc_args *a, const char *cmd, const char *arg);

/*
 * The same for argv[*i] when it does not start with "--", or is "--" (the
 * argument after a "--" is the scenario even if it starts with '-'; a
 * final "--" is taken as the scenario's name). Returns 0 or CLI_USAGE.
 */
int cli_mc_positional(cli_mc_args *a, const char *cmd, int argc, char **argv, int *i);

/* Whether arg is for cli_mc_positional: not "--..." or exactly "--". */
bool cli_mc_is_positional(const char *arg);

/* A flag option: "OPT takes no value" and CLI_USAGE if val is not NULL, else 0. */
int cli_opt_flag(const char *opt, const char *val);

/*
 * Split the option arg into its name (copied into opt, truncated to n - 1
 * characters) and, for "--name=value", *val pointing into arg after the
 * '='; *val is NULL without one.
 */
void cli_opt_split(char *arg, char *opt, size_t n, char **val);

/*
 * When *val is NULL, take argv[++*i] as the value; with no argument left,
 * print "OPT needs a value (see outagesim CMD --help)" and return
 * CLI_USAGE. Returns 0 otherwise.
 */
int cli_opt_value(const char *cmd, const char *opt, char **val, int argc, char **argv, int *i);

/* Print "CMD: unknown option 'OPT' (see outagesim CMD --help)"; returns CLI_USAGE. */
int cli_opt_unknown(const char *cmd, const char *opt);

/*
 * Offer option opt (value *val, NULL if none after '=') to the shared
 * options. Returns CLI_MC_NOT_MINE when opt is not one of them (for this
 * command's options bits), 0 when it was consumed (a value taken from
 * argv advances *i), or an exit code (CLI_USAGE, printed; CLI_FAIL, out of
 * memory).
 */
int cli_mc_option(cli_mc_args *a, const char *cmd, const char *opt, char **val, int argc,
                  char **argv, int *i);

/* --out must be a directory or not exist yet: 0, or CLI_USAGE (printed). */
int cli_mc_check_out(const cli_mc_args *a);

/* A whole number in lo..max, else "OPT: 'S' is not a whole number in LO..MAX" and CLI_USAGE. */
int cli_parse_u64_in(const char *opt, const char *s, uint64_t lo, uint64_t max, uint64_t *out);

/* Split list at ',' in place and append the pieces to *v; 0 or CLI_FAIL (memory). */
int cli_add_list(const char ***v, size_t *n, char *list);

#endif
