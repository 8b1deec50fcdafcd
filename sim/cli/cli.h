/*
 * cli.h -- the command-line front end: one file per subcommand.
 *
 * Only the front end turns statuses into exit codes and prints. Exit codes:
 * 0 done, 1 other failure, 2 bad usage or bad scenario, 130 interrupted.
 */
#ifndef OUTAGESIM_CLI_H
#define OUTAGESIM_CLI_H

#include "outagesim/error.h"

enum {
    CLI_OK = 0,
    CLI_FAIL = 1,
    CLI_USAGE = 2,
    CLI_INTERRUPTED = 130,
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

/* The exit code for a library status: 2 for input errors, 1 otherwise. */
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
