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
 *   130   OSIM_ESTOPPED after SIGINT (Ctrl-C)      interrupted: 128 + the
 *   143   OSIM_ESTOPPED after SIGTERM              signal that stopped it
 *   129   OSIM_ESTOPPED after SIGHUP               (signals.c)
 *   141   -- (stdout's reader went away: SIGPIPE)  quiet: nothing more to say
 *   1     anything else (ENOMEM, EIO, ENOTSUP,     the run failed: memory,
 *         EINTERNAL)                               a file, gnuplot, a bug
 *
 * A mistake on the command line itself (opts.h) is also 2, CLI_USAGE.
 */
#ifndef OUTAGESIM_CLI_H
#define OUTAGESIM_CLI_H

#include <stdbool.h>

#include "outagesim/error.h"

enum {
    CLI_OK = 0,
    CLI_FAIL = 1,
    CLI_USAGE = 2,
    CLI_INTERRUPTED = 130, /* 128 + SIGINT, as a shell reports a process killed by Ctrl-C */
    CLI_PIPE = 141,        /* 128 + SIGPIPE: stdout's reader went away */
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
 * The exit code for a library status, by the table above (OSIM_ESTOPPED:
 * cli_interrupted_code). Commands never choose CLI_FAIL or CLI_USAGE by
 * hand after a library call.
 */
int cli_exit_code(int status);

/* ------------------------------------------------------------ signals (signals.c) */

/*
 * What a command does when a stop signal (SIGINT, SIGTERM, SIGHUP) is
 * delivered: ask the library to stop (osim_mc_stop, osim_sweep_stop) and
 * say so on stderr. Called on the command's thread, from cli_signals_poll.
 */
typedef void (*cli_stop_fn)(void *ud, int signum);

/* Catch SIGINT, SIGTERM and SIGHUP (libuv handles on the front end's own
 * loop) and ignore SIGPIPE; main() calls it before the command. */
void cli_signals_start(void);

/* Close the handles; main() calls it after the command. */
void cli_signals_end(void);

/* Set (or clear, fn NULL) the command's stop hook. A signal caught
 * before the hook was set is handed to it at once. */
void cli_signals_on_stop(cli_stop_fn fn, void *ud);

/* Deliver a pending signal (to the hook): call it often while working. */
void cli_signals_poll(void);

/* Poll, then the first stop signal caught (SIGINT, SIGTERM, SIGHUP), or 0. */
int cli_signals_caught(void);

/* cli_signals_caught() != 0, as a library stop hook (osim_plot_options.stop). */
int cli_signals_stop_hook(void *ud);

/* "SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE", or "a signal". */
const char *cli_signal_name(int signum);

/* 128 + the signal caught (SIGINT when none was): the exit code of a stop. */
int cli_interrupted_code(void);

/* Whether stdout is a pipe whose reader has gone (writes fail: EPIPE). */
bool cli_stdout_gone(void);

/* Subcommands, each in sim/cli/cmd_<name>.c. */
extern const cli_command cli_cmd_validate;
extern const cli_command cli_cmd_params;
extern const cli_command cli_cmd_replay;
extern const cli_command cli_cmd_run;
extern const cli_command cli_cmd_merge;
extern const cli_command cli_cmd_plot;
extern const cli_command cli_cmd_sweep;
extern const cli_command cli_cmd_sensitivity;
extern const cli_command cli_cmd_report;

#endif
