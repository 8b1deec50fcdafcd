/*
 * args.h -- command-line pieces shared by subcommands: `--set PATH=VALUE`
 * collection and whole-number options.
 */
#ifndef OUTAGESIM_CLI_ARGS_H
#define OUTAGESIM_CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "outagesim/scenario.h"

/*
 * Split one `--set` argument "PATH=VALUE" at the first '=' into out.
 * The PATH and VALUE are copies owned by the caller (free out->path; the
 * value lives in the same block). Returns 0, or -1 if there is no '=' or
 * the path is empty; -2 when out of memory.
 */
int cli_parse_set(const char *arg, osim_override *out);

/* A growable list of overrides, in command-line order. */
typedef struct cli_overrides {
    osim_override *v;
    size_t n, cap;
} cli_overrides;

void cli_overrides_init(cli_overrides *o);

/* Parse arg with cli_parse_set and append it. Returns 0, -1 bad form, -2 OOM. */
int cli_overrides_add(cli_overrides *o, const char *arg);

void cli_overrides_free(cli_overrides *o);

/* A whole decimal number (no sign, '_' allowed between digits). Returns 0 or -1. */
int cli_parse_u64(const char *s, uint64_t *out);

#endif
