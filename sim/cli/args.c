/*
 * args.c -- `--set PATH=VALUE` collection and number options shared by the
 * subcommands that load a scenario (validate, params, replay, run).
 *
 * Overrides keep command-line order: later ones win when they touch the same
 * path, exactly as if the file had been edited in that order, and the order
 * goes into the scenario hash.
 */
#include "cli/args.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_set(const char *arg, osim_override *out)
{
    const char *eq = strchr(arg, '=');
    size_t len = strlen(arg);
    char *copy;

    if (eq == NULL || eq == arg)
        return -1;
    copy = malloc(len + 1);
    if (copy == NULL)
        return -2;
    memcpy(copy, arg, len + 1);
    copy[eq - arg] = '\0';
    out->path = copy;
    out->value = copy + (eq - arg) + 1;
    return 0;
}

void cli_overrides_init(cli_overrides *o)
{
    o->v = NULL;
    o->n = o->cap = 0;
}

int cli_overrides_add(cli_overrides *o, const char *arg)
{
    osim_override ov;
    int rc;

    if (o->n == o->cap) {
        size_t cap = o->cap == 0 ? 8 : o->cap * 2;
        osim_override *v = realloc(o->v, cap * sizeof(*v));
        if (v == NULL)
            return -2;
        o->v = v;
        o->cap = cap;
    }
    rc = cli_parse_set(arg, &ov);
    if (rc != 0)
        return rc;
    o->v[o->n++] = ov;
    return 0;
}

void cli_overrides_free(cli_overrides *o)
{
    size_t i;

    for (i = 0; i < o->n; i++)
        free((char *)o->v[i].path);
    free(o->v);
    cli_overrides_init(o);
}

int cli_parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = s;

    if (!isdigit((unsigned char)*p))
        return -1;
    for (; *p != '\0'; p++) {
        unsigned d;
        if (*p == '_' && p > s && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]))
            continue;
        if (!isdigit((unsigned char)*p))
            return -1;
        d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}
