/*
 * main.c -- `outagesim COMMAND ...`: dispatch to one subcommand.
 *
 * The table below is the whole command set; each entry lives in its own
 * cmd_<name>.c with its own --help.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <uv.h>

#include "cli/cli.h"
#include "mc/exec.h"
#include "outagesim/version.h"

static const cli_command *const commands[] = {
    &cli_cmd_validate,
    &cli_cmd_params,
    &cli_cmd_replay,
    &cli_cmd_run,
    &cli_cmd_merge,
    &cli_cmd_plot,
    &cli_cmd_sweep,
    &cli_cmd_sensitivity,
    &cli_cmd_report,
    NULL, /* keeps the table valid while
commands are being added */
};

/*
 * libuv sets itself up once per process, at the first event loop, and
 * aborts (SIGABRT, exit 134, no message) if it cannot have a pipe then: with
 * too few file handles (ulimit -n 5), a run died inside libuv. The commands
 * that use event loops have libuv set up here first, after checking that
 * the handles it takes can be had, so that a shortage is a message and exit
 * 1. Later loops report their own failures ("cannot create an event loop").
 * validate, params and merge use no event loop and need no more handles.
 */
static bool start_libuv(const char *command)
{
    static const char *const no_loop[] = {"validate", "params", "merge"};
    struct rlimit lim;
    uv_loop_t loop;
    int fd[3], e;
    size_t k;

    for (k = 0; k < sizeof(no_loop) / sizeof(no_loop[0]); k++)
        if (strcmp(command, no_loop[k]) == 0)
            return true;
    /* What libuv opens first: an epoll handle, then its pipe. */
    fd[0] = fd[1] = fd[2] = -1;
    e = pipe(fd) == 0 && (fd[2] = dup(fd[0])) >= 0 ? 0 : errno;
    for (k = 0; k < 3; k++)
        if (fd[k] >= 0)
            close(fd[k]);
    if (e == 0 && (e = uv_loop_init(&loop)) == 0) {
        uv_loop_close(&loop);
        return true;
    }
    e = e < 0 ? -e : e; /* libuv's codes are negated errno values */
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
        cli_errorf("cannot start: too few file handles (ulimit -n is %llu): %s",
                   (unsigned long long)lim.rlim_cur, strerror(e));
    else
        cli_errorf("cannot start: %s", strerror(e));
    return false;
}

void cli_print_diag(const osim_diag *d)
{
    char buf[OSIM_DIAG_MSG_MAX + OSIM_DIAG_FILE_MAX + 64];

    /* A write to stdout whose reader went away (`| head -1`) is no error to
     * report: finish() exits 141 quietly. Only a failure without a file
     * (stdout's, never a named file's) is taken for it. */
    if (d->code == OSIM_EIO && d->file[0] == '\0' && cli_stdout_gone())
        return;
    /* Callers print a diagnostic only after a failure; an empty one means a
     * library path failed without saying why. Never print "success" then. */
    if (d->code == 0 && d->msg[0] == '\0') {
        fputs("outagesim: failed without a diagnostic (an internal error: please report it)\n",
              stderr);
        return;
    }
    fprintf(stderr, "%s\n", osim_diag_format(d, buf, sizeof(buf)));
}

void cli_errorf(const char *fmt, ...)
{
    va_list ap;

    fputs("outagesim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_exit_code(int status)
{
    switch (status) {
    case 0: return CLI_OK;
    case OSIM_ESYNTAX:
    case OSIM_ESCHEMA:
    case OSIM_ERANGE:
    case OSIM_EREF:
    case OSIM_ECYCLE:
    case OSIM_EINVAL:
    case OSIM_ENOENT:
    /* A number too large to hold is the input's: a scenario value past the
     * parser's limits, or amounts whose totals pass int64 won. */
    case OSIM_EOVERFLOW: return CLI_USAGE;
    case OSIM_ESTOPPED: return cli_interrupted_code();
    default: return CLI_FAIL;
    }
}

static size_t commands_count(void)
{
    size_t n = 0;

    while (n < sizeof(commands) / sizeof(commands[0]) && commands[n] != NULL)
        n++;
    return n;
}

static void usage(FILE *f)
{
    size_t i;

    fprintf(f,
            "outagesim %s -- replay a data-centre fire against redundancy designs, and cost it.\n"
            "\n"
            "usage: outagesim COMMAND [ARGS...]\n"
            "       outagesim COMMAND --help     full help for one command\n"
            "       outagesim --version\n"
            "\n"
            "commands:\n",
            OSIM_VERSION);
    for (i = 0; i < commands_count(); i++)
        fprintf(f, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\n"
               "A typical session:\n"
               "  outagesim validate scenarios/kakao-pangyo-2022.yaml\n"
               "  outagesim replay scenarios/kakao-pangyo-2022.yaml --topology as-was\n"
               "  outagesim run scenarios/kakao-pangyo-2022.yaml --out results --plots\n"
               "\n"
               "Options are long: --opt=value and --opt value are the same; `--` ends the\n"
               "options. Times are hours since ignition unless a clock time is shown; money is\n"
               "whole units of scenario.currency (KRW by default; EUR, USD, GBP, JPY), shown\n"
               "the currency's way: 억원 = 100,000,000 won, €m = 1,000,000 euros.\n"
               "\n"
               "Exit codes (every command):\n"
               "  0    done\n"
               "  1    failure: out of memory, a file that cannot be read or written, gnuplot\n"
               "       failed, an internal error\n"
               "  2    bad input: the command line, the scenario (syntax, schema, a value out of\n"
               "       range or too large, unknown names, cycles), a missing file\n"
               "  130  interrupted by SIGINT (Ctrl-C); what was completed is written where the\n"
               "       command says so, marked \"interrupted\"\n"
               "  143  the same after SIGTERM (kill, Slurm, Kubernetes), 129 after SIGHUP\n"
               "  141  stdout's reader went away (`outagesim run ... | head -1`): no message;\n"
               "       the files of --out are published whole before stdout is written\n");
}

/*
 * What was printed must have been written: a full disk behind stdout
 * turns success into a failure (exit 1) with a message, so that `validate
 * > report.txt` on a full disk never exits 0 with nothing in report.txt.
 * A reader that went away (a closed pipe: EPIPE) is no failure of ours:
 * exit 141 (128 + SIGPIPE, what a shell shows for any filter stopped so)
 * without a message. A stop signal that came while the command finished
 * its work still says it was stopped (128 + the signal). Other codes stand
 * (that error has been reported already).
 */
static int finish(int code)
{
    int e;

    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        e = errno;
        if (e == EPIPE || cli_stdout_gone()) {
            if (code == CLI_OK || code == CLI_FAIL)
                code = CLI_PIPE;
        } else if (code == CLI_OK) {
            cli_errorf("cannot write the output%s%s", e != 0 ? ": " : "",
                       e != 0 ? strerror(e) : "");
            code = CLI_FAIL;
        }
    }
    if (code == CLI_OK && cli_signals_caught() != 0)
        code = cli_interrupted_code();
    return code;
}

static int run_command(int argc, char **argv)
{
    size_t i;
    int code;

    osim_global_init();
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (argc >= 3) {
            for (i = 0; i < commands_count(); i++) {
                if (strcmp(argv[2], commands[i]->name) == 0) {
                    commands[i]->help();
                    return finish(CLI_OK);
                }
            }
        }
        usage(stdout);
        return finish(CLI_OK);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("outagesim %s\n", OSIM_VERSION);
        return finish(CLI_OK);
    }
    for (i = 0; i < commands_count(); i++) {
        if (strcmp(argv[1], commands[i]->name) == 0) {
            int j;
            for (j = 2; j < argc; j++) {
                if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
                    commands[i]->help();
                    return finish(CLI_OK);
                }
            }
            if (!start_libuv(commands[i]->name))
                return finish(CLI_FAIL);
            /* After start_libuv: the signal handles need libuv set up. */
            cli_signals_start();
            code = finish(commands[i]->main(argc - 1, argv + 1));
            cli_signals_end();
            return code;
        }
    }
    cli_errorf("unknown command '%s' (try 'outagesim --help')", argv[1]);
    return CLI_USAGE;
}

/* The processes' runtime (MPI in build/outagesim-mpi, nothing otherwise:
 * sim/mc/exec.h) starts before the command and ends after it. */
int main(int argc, char **argv)
{
    int code = osim__procs_start(&argc, &argv);

    if (code == 0)
        code = run_command(argc, argv);
    return osim__procs_finish(code);
}
