/*
 * opts.c -- the command-line grammar of every subcommand (see opts.h),
 * a thin walk over getopt_long.
 *
 * Invariant: every command-line error any command prints comes through
 * cli_usage, so it reads "outagesim CMD: ..." then "try 'outagesim CMD
 * --help'" and exits 2, whatever the command. getopt_long's own messages
 * are off (opterr = 0): its wording and its "argv[0]: " prefix differ
 * from ours, and it would accept abbreviations we refuse.
 *
 * getopt_long runs in glibc's in-order mode (optstring "-"): a positional
 * argument comes back as option 1 where it stands, so the SCENARIO may be
 * first, last or between options, and "--" stops the walk with the rest
 * left in argv[optind..]. That mode does not depend on POSIXLY_CORRECT.
 */
#include "cli/opts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "outagesim %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'outagesim %s --help'\n", cmd);
    return CLI_USAGE;
}

void cli_opts_init(cli_opts *p, const char *cmd, int argc, char **argv,
                   const struct option *longopts)
{
    memset(p, 0, sizeof(*p));
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    p->longopts = longopts;
    memcpy(p->optstring, "-:", 3);
    opterr = 0;
    optind = 0; /* glibc: start afresh (a new argv) */
}

/* The option's name as typed: arg up to '=' (at most n - 1 characters). */
static const char *typed_name(const char *arg, char *buf, size_t n)
{
    size_t len = strcspn(arg, "=");

    if (len >= n)
        len = n - 1;
    memcpy(buf, arg, len);
    buf[len] = '\0';
    return buf;
}

/* The entry of longopts whose key is key, or NULL. */
static const struct option *by_key(const struct option *o, int key)
{
    for (; o->name != NULL; o++)
        if (o->val == key)
            return o;
    return NULL;
}

int cli_opts_next(cli_opts *p, char **val)
{
    char name[64];
    const char *el;
    int start, idx = -1, c;

    *val = NULL;
    if (p->ended) {
        if (p->rest >= p->argc)
            return CLI_OPTS_END;
        *val = p->argv[p->rest++];
        return CLI_OPTS_ARG;
    }
    /* optind is 0 before the first call; every call starts a new element,
     * since there are no short options to cluster. */
    start = optind == 0 ? 1 : optind;
    el = start < p->argc ? p->argv[start] : "";
    /* --help is every command's flag (main.c acts on it before the command
     * runs); given a value it is refused like any other flag. */
    if (strncmp(el, "--help=", 7) == 0) {
        cli_usage(p->cmd, "option '--help' takes no value");
        return CLI_OPTS_ERROR;
    }
    c = getopt_long(p->argc, p->argv, p->optstring, p->longopts, &idx);
    switch (c) {
    case -1:
        p->ended = true;
        p->rest = optind;
        return cli_opts_next(p, val);
    case 1: *val = optarg; return CLI_OPTS_ARG;
    case ':': {
        const struct option *o = by_key(p->longopts, optopt);
        cli_usage(p->cmd, "option '--%s' needs a value", o != NULL ? o->name : "?");
        return CLI_OPTS_ERROR;
    }
    case '?':
        if (optopt >= CLI_OPT_KEY0)
            cli_usage(p->cmd, "option '%s' takes no value", typed_name(el, name, sizeof(name)));
        else
            cli_usage(p->cmd, "unknown option '%s'", typed_name(el, name, sizeof(name)));
        return CLI_OPTS_ERROR;
    default: break;
    }
    /* A long option: refuse an abbreviation (getopt_long takes any unique
     * prefix), so that a new option never changes what an old line means. */
    if (idx < 0 || strncmp(el, "--", 2) != 0 ||
        strcmp(typed_name(el + 2, name, sizeof(name)), p->longopts[idx].name) != 0) {
        cli_usage(p->cmd, "unknown option '%s'", typed_name(el, name, sizeof(name)));
        return CLI_OPTS_ERROR;
    }
    *val = optarg;
    return c;
}

int cli_opt_unhandled(const char *cmd, int key)
{
    cli_errorf("%s: option key %d has no handler (an internal error: please report it)", cmd, key);
    return CLI_FAIL;
}

int cli_opt_u64(const char *cmd, const char *opt, const char *s, uint64_t lo, uint64_t hi,
                uint64_t *out)
{
    uint64_t v;

    if (cli_parse_u64(s, &v) != 0 || v < lo || v > hi)
        return cli_usage(cmd, "%s: '%s' is not a whole number in %llu..%llu", opt, s,
                         (unsigned long long)lo, (unsigned long long)hi);
    *out = v;
    return 0;
}

int cli_opt_choice(const char *cmd, const char *opt, const char *s, const char *const *choices,
                   int *out)
{
    char list[256];
    size_t len = 0;
    int i;

    for (i = 0; choices[i] != NULL; i++) {
        if (strcmp(s, choices[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    list[0] = '\0';
    for (i = 0; choices[i] != NULL && len < sizeof(list); i++)
        len +=
            (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i > 0 ? ", " : "", choices[i]);
    return cli_usage(cmd, "%s: '%s' is not one of %s", opt, s, list);
}

int cli_opt_set(const char *cmd, cli_overrides *o, const char *s)
{
    int rc = cli_overrides_add(o, s);

    if (rc == -2) {
        cli_errorf("out of memory");
        return CLI_FAIL;
    }
    if (rc != 0)
        return cli_usage(cmd, "--set: expected PATH=VALUE, got '%s'", s);
    return 0;
}
