/*
 * cli.h -- the command-line front end: one file per subcommand.
 *
 * Only the front end turns statuses into exit codes and prints, and one
 * function, cli_exit_code, turns a library status into an exit code, in
 * every command:
 *
 *   exit  status                                   meaning
 *   0     0                                        done
 *   2     OSIM_ESYNTAX, ESCHEMA, ERANGE, EREF,     bad input: the scenario (or
 *         ECYCLE, ENOENT, EINVAL, EOVERFLOW        a file named on the command
 *                                                  line), a --set, an option;
 *                                                  numbers too large to hold
 *   130   OSIM_ESTOPPED                            interrupted (128 + SIGINT)
 *   1     anything else (ENOMEM, EIO, ENOTSUP,     the run failed: memory,
 *         EINTERNAL)                               a file, gnuplot, a bug
 *
 * A mistake on the command line itself (opts.h) is also 2, CLI_USAGE.
 */
#ifndef OUTAGESIM_CLI_H
#define OUTAGESIM_CLI_H

#include "outagesim/error.h"

enum {
    CLI_OK = 0,
    CLI_FAIL = 1,
    CLI_USAGE = 2,
    CLI_INTERRUPTED = 130, /* 128 + SIGINT, as a shell reports a process killed by Ctrl-C */
};

typedef struct cli_command {
    const char *name;
    const char *summary;                /* one line for `outagesim --help` */
    int (*main)(int argc, char **argv); /* argv[0] is the subcommand name */
    void (*help)(void);                 /* full help on stdout */
} cli_command;

/* Print "outagesim: <diag formatted>" on stderr. */
void cli_print_diag(const osim_diag *d);

/* Print "outagesim: <message>" on stderr. */
void cli_errorf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * The exit code for a library status, by the table above. Commands never
 * choose CLI_FAIL or CLI_USAGE by hand after a library call.
 */
int cli_exit_code(int status);

/* Subcommands, each in sim/cli/cmd_<name>.c. */
extern const cli_command cli_cmd_validate;
extern const cli_command cli_cmd_params;
extern const cli_command cli_cmd_replay;
extern const cli_command cli_cmd_run;
extern const cli_command cli_cmd_merge;
extern const cli_command cli_cmd_plot;
extern const cli_command cli_cmd_sweep;
extern const cli_command cli_cmd_sensitivity;

#endif
