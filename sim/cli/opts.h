/*
 * opts.h -- the one command-line grammar of every subcommand, over glibc's
 * getopt_long.
 *
 * The grammar: options are long only, `--name=value` or `--name value`
 * (the next argument is the value even when it starts with '-'); a flag
 * given a value (`--quiet=x`) is refused; names are matched exactly (no
 * abbreviations, so adding an option never changes what an old command
 * line means); arguments that are not options (the SCENARIO, merge's
 * DIRs) may come first, last or between options, in order; `--` ends the
 * options and every argument after it is positional, even one that starts
 * with '-'. A lone `-` is positional. `--help`/`-h` is handled by main.c
 * before a command runs.
 *
 * Every command-line error is printed the same way, on two lines of stderr:
 *   outagesim CMD: MESSAGE
 *   try 'outagesim CMD --help'
 * and is exit code 2 (CLI_USAGE). The messages of the grammar itself:
 *   unknown option '--frob'
 *   option '--seed' needs a value
 *   option '--quiet' takes no value
 * and of values (cli_opt_u64 and friends): "--seed: 'x' is not a whole
 * number in 0..9223372036854775807".
 */
#ifndef OUTAGESIM_CLI_OPTS_H
#define OUTAGESIM_CLI_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/args.h"

/*
 * Keys of a command's options (the `val` of its struct option entries)
 * start here: above every character, so that getopt_long's optopt tells
 * a long option that refused a value from an unknown short one.
 */
#define CLI_OPT_KEY0 256

/* What cli_opts_next returns besides an option's key. */
enum {
    CLI_OPTS_END = -1,   /* no argument left */
    CLI_OPTS_ERROR = -2, /* a usage error, printed: exit CLI_USAGE */
    CLI_OPTS_ARG = -3,   /* a positional argument, in *val */
};

/* The walk over one command's argv; state of getopt_long is global, so one walk at a time. */
typedef struct cli_opts {
    const char *cmd; /* "run", for messages */
    int argc;
    char **argv; /* argv[0] is the command's name */
    const struct option *longopts;
    char optstring[4]; /* "-:" : arguments in order, missing values reported as ':' */
    int rest;          /* after "--" or the end: the next positional argument */
    bool ended;
} cli_opts;

/*
 * Start a walk over argv[1..argc-1] for command cmd with the options
 * longopts (terminated by an all-zero entry; flag entries must be NULL
 * and val a key >= CLI_OPT_KEY0). Borrowed: cmd, argv, longopts.
 */
void cli_opts_init(cli_opts *p, const char *cmd, int argc, char **argv,
                   const struct option *longopts);

/*
 * The next argument: an option's key with *val its value (NULL for a
 * flag); CLI_OPTS_ARG with *val a positional argument; CLI_OPTS_END; or
 * CLI_OPTS_ERROR after printing the usage error. *val points into argv.
 */
int cli_opts_next(cli_opts *p, char **val);

/*
 * Print "outagesim CMD: MESSAGE" and "try 'outagesim CMD --help'" on
 * stderr. Returns CLI_USAGE, so that callers can `return cli_usage(...)`.
 */
int cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
 * For the default of a command's switch over keys: an entry of its table
 * that no case handles is a bug, "an internal error", CLI_FAIL.
 */
int cli_opt_unhandled(const char *cmd, int key);

/*
 * A whole decimal number of option opt in lo..hi ('_' allowed between
 * digits), else the usage error "OPT: 'S' is not a whole number in
 * LO..HI". Returns 0 or CLI_USAGE.
 */
int cli_opt_u64(const char *cmd, const char *opt, const char *s, uint64_t lo, uint64_t hi,
                uint64_t *out);

/*
 * s as one of choices (a NULL-terminated list), its index into *out, else
 * the usage error "OPT: 'S' is not one of A, B, C". Returns 0 or CLI_USAGE.
 */
int cli_opt_choice(const char *cmd, const char *opt, const char *s, const char *const *choices,
                   int *out);

/*
 * The value of `--set PATH=VALUE` appended to o (args.h), else the usage
 * error "--set: expected PATH=VALUE, got 'S'". Returns 0, CLI_USAGE, or
 * CLI_FAIL when out of memory (printed).
 */
int cli_opt_set(const char *cmd, cli_overrides *o, const char *s);

#endif
