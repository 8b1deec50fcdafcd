/*
 * params.c -- every settable path of a loaded scenario, with its
 * current value and unit (`outagesim params`).
 *
 * Invariant: every path listed here is accepted by `--set` and setting it to
 * the value listed leaves the scenario unchanged. To keep that true the
 * listing walks the same schema tables as the binder, prints numbers in the
 * program's units (which a bare number in a file also means: hours for
 * durations, won for money), shows a distribution in the form the file
 * wrote it (median and p95 stay median and p95), and names list items the
 * way --set addresses them.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "scenario/scenario_int.h"

#define PATH_LEN 512
#define VALUE_LEN 4096

typedef struct walker {
    const osim_scenario *sc;
    const osim_bind_ctx *ctx;
    osim_param_fn fn;
    void *ud;
    char value[VALUE_LEN];
} walker;

static int walk_map(walker *w, const osim_schema *s, const void *base, const char *prefix,
                    bool item);

static const char *join(char *buf, size_t n, const char *prefix, const char *key)
{
    osim__path_join(buf, n, prefix, key);
    return buf;
}

/* The name of item i of a collection, for REF values. */
static const char *ref_name(const osim_scenario *sc, const char *target, size_t i)
{
    if (target == NULL)
        return "?";
    if (strcmp(target, "sites") == 0 && i < sc->sites_count)
        return sc->sites[i].name;
    if (strcmp(target, "services") == 0 && i < sc->services_count)
        return sc->services[i].name;
    if (strcmp(target, "topologies") == 0 && i < sc->topologies_count)
        return sc->topologies[i].name;
    if (strcmp(target, "businesses") == 0 && i < sc->segments_count)
        return sc->segments[i].name;
    if (strcmp(target, "policies") == 0 && i < sc->policies_count)
        return sc->policies[i].name;
    return "?";
}

static void append(char *buf, size_t n, size_t *k, const char *s)
{
    size_t len = strlen(s);

    if (*k >= n)
        return;
    if (len > n - 1 - *k)
        len = n - 1 - *k;
    memcpy(buf + *k, s, len);
    *k += len;
    buf[*k] = '\0';
}

/* Derived numbers (a median from mu, a normalised profile) carry rounding
 * noise in their last digits: 12 significant digits show what was written. */
static void format_derived(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.12g", v == 0.0 ? 0.0 : v);
}

static void list_reals(char *buf, size_t n, const double *x, size_t count, bool derived)
{
    char num[40];
    size_t i, k = 0;

    append(buf, n, &k, "[");
    for (i = 0; i < count; i++) {
        if (derived)
            format_derived(num, sizeof(num), x[i]);
        else
            osim__format_real(num, sizeof(num), x[i]);
        if (i)
            append(buf, n, &k, ", ");
        append(buf, n, &k, num);
    }
    append(buf, n, &k, "]");
}

static int emit(walker *w, const char *path, const char *value, const char *unit,
                const osim_field *f)
{
    return w->fn(w->ud, path, value, unit, f->doc != NULL ? f->doc : "");
}

static int emit_real(walker *w, const char *path, double v, const char *unit, const osim_field *f)
{
    osim__format_real(w->value, sizeof(w->value), v);
    return emit(w, path, w->value, unit, f);
}

static int walk_dist(walker *w, const osim_field *f, const osim_dist *d, const char *path)
{
    static const char *const kinds[] = {"fixed",     "uniform",     "triangular", "normal",
                                        "lognormal", "exponential", "weibull",    "empirical"};
    const osim__note *note = osim__bind_lookup(w->ctx, d);
    unsigned flags = note != NULL ? note->flags : OSIM__P_SHORT;
    const char *unit = osim__field_unit(f);
    char sub[PATH_LEN];
    int rc;

    if (flags & OSIM__P_SHORT)
        return emit_real(w, path, d->p[0], unit, f);
    rc = emit(w, join(sub, sizeof(sub), path, "dist"), kinds[d->kind], "", f);
#define P(key, v, u)                                                                               \
    do {                                                                                           \
        if (rc == 0)                                                                               \
            rc = emit_real(w, join(sub, sizeof(sub), path, key), (v), (u), f);                     \
    } while (0)
    switch (d->kind) {
    case OSIM_DIST_FIXED: P("value", d->p[0], unit); break;
    case OSIM_DIST_UNIFORM:
        P("min", d->p[0], unit);
        P("max", d->p[1], unit);
        break;
    case OSIM_DIST_TRIANGULAR:
        P("min", d->p[0], unit);
        P("mode", d->p[1], unit);
        P("max", d->p[2], unit);
        break;
    case OSIM_DIST_NORMAL:
        P("mean", d->p[0], unit);
        P("sd", d->p[1], unit);
        break;
    case OSIM_DIST_LOGNORMAL:
        if (flags & OSIM__P_MEDIAN) {
            format_derived(w->value, sizeof(w->value), exp(d->p[0]));
            if (rc == 0)
                rc = emit(w, join(sub, sizeof(sub), path, "median"), w->value, unit, f);
            format_derived(w->value, sizeof(w->value), exp(d->p[0] + 1.6448536269514722 * d->p[1]));
            if (rc == 0)
                rc = emit(w, join(sub, sizeof(sub), path, "p95"), w->value, unit, f);
        } else {
            P("mu", d->p[0], "");
            P("sigma", d->p[1], "");
        }
        break;
    case OSIM_DIST_EXPONENTIAL: P("mean", d->p[0], unit); break;
    case OSIM_DIST_WEIBULL:
        P("scale", d->p[0], unit);
        P("shape", d->p[1], "");
        break;
    case OSIM_DIST_EMPIRICAL: {
        char num[40];
        size_t i, k = 0;
        append(w->value, sizeof(w->value), &k, "[");
        for (i = 0; i < d->n; i++) {
            append(w->value, sizeof(w->value), &k, i ? ", [" : "[");
            osim__format_real(num, sizeof(num), d->value[i]);
            append(w->value, sizeof(w->value), &k, num);
            append(w->value, sizeof(w->value), &k, ", ");
            osim__format_real(num, sizeof(num), d->cum[i]);
            append(w->value, sizeof(w->value), &k, num);
            append(w->value, sizeof(w->value), &k, "]");
        }
        append(w->value, sizeof(w->value), &k, "]");
        if (rc == 0)
            rc = emit(w, join(sub, sizeof(sub), path, "points"), w->value, unit, f);
        break;
    }
    }
    if (flags & OSIM__P_MIN)
        P("min", d->lo, unit);
    if (flags & OSIM__P_MAX)
        P("max", d->hi, unit);
#undef P
    return rc;
}

/* The local date-time of scenario.start (stored as UTC after loading). */
static void format_start(char *buf, size_t n, const osim_scenario *sc)
{
    int64_t local = sc->start_epoch_s + (int64_t)llround(sc->utc_offset_h * 3600.0);
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t secs = local - days * 86400, z, era, doe, yoe, y, doy, mp, d, m;

    /* Howard Hinnant's civil_from_days. */
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (secs % 60 != 0)
        snprintf(buf, n, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld", (long long)y, (long long)m,
                 (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60),
                 (long long)(secs % 60));
    else
        snprintf(buf, n, "%04lld-%02lld-%02lld %02lld:%02lld", (long long)y, (long long)m,
                 (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60));
}

/* How many items a sequence field holds. */
static size_t seq_count(const walker *w, const osim_field *f, const void *base)
{
    const osim__note *note;

    if (f->count_offset != OSIM_NO_COUNT)
        return *(const size_t *)((const char *)base + f->count_offset);
    /* Placements are re-indexed by service once loaded; load shares follow active. */
    if (f->type == OSIM_FT_SEQ && f->sub != NULL && strcmp(f->sub->name, "placement") == 0)
        return w->sc->services_count;
    if (strcmp(f->key, "load_share") == 0)
        return ((const osim_placement *)base)->active_count;
    note = osim__bind_lookup(w->ctx, (const char *)base + f->offset);
    return note != NULL ? note->count : 0;
}

static int walk_field(walker *w, const osim_field *f, const void *base, const char *prefix)
{
    const void *slot = (const char *)base + f->offset;
    const char *unit = osim__field_unit(f);
    char path[PATH_LEN];
    size_t i, k = 0, n;
    int rc = 0;

    join(path, sizeof(path), prefix, f->key);
    switch (f->type) {
    case OSIM_FT_STRING: {
        const char *s = *(char *const *)slot;
        return emit(w, path, s != NULL ? s : "~", "", f);
    }
    case OSIM_FT_BOOL: return emit(w, path, *(const bool *)slot ? "true" : "false", "", f);
    case OSIM_FT_REAL:
    case OSIM_FT_COUNT:
    case OSIM_FT_FRACTION:
    case OSIM_FT_DURATION: return emit_real(w, path, *(const double *)slot, unit, f);
    case OSIM_FT_MONEY:
        snprintf(w->value, sizeof(w->value), "%lld", (long long)*(const int64_t *)slot);
        return emit(w, path, w->value, unit, f);
    case OSIM_FT_ENUM: {
        int v = *(const int *)slot;
        return emit(w, path, f->enum_names != NULL && v >= 0 ? f->enum_names[v] : "?", "", f);
    }
    case OSIM_FT_DATETIME:
        if (base == (const void *)w->sc && f->offset == offsetof(osim_scenario, start_epoch_s))
            format_start(w->value, sizeof(w->value), w->sc);
        else
            snprintf(w->value, sizeof(w->value), "%lld", (long long)*(const int64_t *)slot);
        return emit(w, path, w->value, unit, f);
    case OSIM_FT_UTC_OFFSET:
        osim__format_utc_offset(w->value, sizeof(w->value), *(const double *)slot);
        return emit(w, path, w->value, "", f);
    case OSIM_FT_REF: return emit(w, path, ref_name(w->sc, f->ref, *(const size_t *)slot), "", f);
    case OSIM_FT_DIST_DURATION:
    case OSIM_FT_DIST_FRACTION:
    case OSIM_FT_DIST_MONEY:
    case OSIM_FT_DIST_REAL: return walk_dist(w, f, slot, path);
    case OSIM_FT_MAP:
        if (f->sub == NULL)
            return 0; /* policy params: walked with the model's schema by the caller */
        return walk_map(w, f->sub, slot, path, false);
    case OSIM_FT_NAMES:
    case OSIM_FT_REFS:
        n = seq_count(w, f, base);
        append(w->value, sizeof(w->value), &k, "[");
        for (i = 0; i < n; i++) {
            if (i)
                append(w->value, sizeof(w->value), &k, ", ");
            if (f->type == OSIM_FT_NAMES)
                append(w->value, sizeof(w->value), &k, (*(char **const *)slot)[i]);
            else
                append(w->value, sizeof(w->value), &k,
                       ref_name(w->sc, f->ref, (*(size_t *const *)slot)[i]));
        }
        append(w->value, sizeof(w->value), &k, "]");
        return emit(w, path, w->value, "", f);
    case OSIM_FT_REALS:
        list_reals(w->value, sizeof(w->value), *(double *const *)slot, seq_count(w, f, base),
                   false);
        return emit(w, path, w->value, unit, f);
    case OSIM_FT_HOURLY:
    case OSIM_FT_WEEKLY:
        list_reals(w->value, sizeof(w->value), slot, f->type == OSIM_FT_HOURLY ? 24 : 7, true);
        return emit(w, path, w->value, unit, f);
    case OSIM_FT_SEQ:
    case OSIM_FT_NAMED: {
        const char *items = *(const char *const *)slot;
        const osim_field *key = osim__schema_item_key(f->sub);
        n = seq_count(w, f, base);
        for (i = 0; i < n && rc == 0; i++) {
            const char *item = items + i * f->sub->size;
            char ipath[PATH_LEN], label[128];
            if (key == NULL)
                snprintf(label, sizeof(label), "%zu", i);
            else if (key->type == OSIM_FT_REF)
                snprintf(label, sizeof(label), "%s",
                         ref_name(w->sc, key->ref, *(const size_t *)(item + key->offset)));
            else
                snprintf(label, sizeof(label), "%s", *(char *const *)(item + key->offset));
            join(ipath, sizeof(ipath), path, label);
            rc = walk_map(w, f->sub, item, ipath, true);
            if (rc == 0 && f->sub == &osim__policy_schema) {
                const osim_policy *p = (const osim_policy *)item;
                if (p->params_schema != NULL && p->params != NULL) {
                    char ppath[PATH_LEN];
                    join(ppath, sizeof(ppath), ipath, "params");
                    rc = walk_map(w, p->params_schema, p->params, ppath, false);
                }
            }
        }
        return rc;
    }
    }
    return 0;
}

static int walk_map(walker *w, const osim_schema *s, const void *base, const char *prefix,
                    bool item)
{
    const osim_field *key = item ? osim__schema_item_key(s) : NULL;
    size_t i;
    int rc;

    for (i = 0; i < s->fields_count; i++) {
        const osim_field *f = &s->fields[i];
        /* The key that names an item is its address, not a setting; `include`
         * is not a value. */
        if (f == key || (f->flags & OSIM_F_CUSTOM && f->type != OSIM_FT_SEQ))
            continue;
        /* Keys that do not apply to this item (zones.c) or cannot take
         * effect on it (effect.c) are not settings. */
        if (osim__param_hidden(w->sc, s, f, base) || osim__effect_hidden(w->sc, s, f, base))
            continue;
        if (f->flags & OSIM_F_CUSTOM) {
            /* policies: a SEQ the loader bound itself, walked the same way */
            osim_field plain = *f;
            plain.flags &= ~OSIM_F_CUSTOM;
            rc = walk_field(w, &plain, base, prefix);
        } else {
            rc = walk_field(w, f, base, prefix);
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

int osim_scenario_params(const osim_scenario *sc, osim_param_fn fn, void *ud)
{
    const osim__scenario_priv *priv;
    walker *w;
    int rc;

    if (sc == NULL || fn == NULL || sc->priv == NULL)
        return OSIM_EINVAL;
    priv = sc->priv;
    w = calloc(1, sizeof(*w));
    if (w == NULL)
        return OSIM_ENOMEM;
    w->sc = sc;
    w->ctx = priv->ctx;
    w->fn = fn;
    w->ud = ud;
    rc = walk_map(w, &osim__scenario_schema, sc, "", false);
    free(w);
    return rc;
}
