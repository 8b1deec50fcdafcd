/*
 * override.c -- `--set PATH=VALUE`: edit the parsed YAML before binding.
 *
 * Invariant: an override changes the document exactly as if the user had
 * edited the file, and nothing else. It is applied to the libfyaml tree
 * before binding, so the value goes through the same binder as the file
 * (same units, same checks, same defaults), and a key the file left out but
 * the schema knows is simply added. PATH is checked against the schema as it
 * is walked: a key the schema does not know is an error naming the keys it
 * does know (OSIM_ENOENT), never silently ignored -- a sweep over a
 * misspelt key would otherwise produce identical results at every point.
 * Each override is a source of its own, so a bad value is reported as
 * "--set PATH=VALUE: message".
 *
 * Paths: dotted keys; a list item is addressed by its `name` (`site` for
 * incident items) or, for lists whose items have no name, by its index
 * from 0; a list of numbers by index too (population.hourly.3).
 * Distribution parameters are keys of the distribution
 * (incident.pangyo.power_cut.mean).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_int.h"

#define MAX_COMPONENTS 32
#define PATH_BUF 512

typedef struct setter {
    osim_bind_ctx *ctx;
    const osim_override *ov;
    osim__pos at; /* the override's own source, no line */
    struct fy_node *const *policies;
    size_t n_policies;
    const osim_model_catalogue *models; /* the schemas of policy params */
} setter;

/* The value of an override as a node of doc: a plain string, or YAML for
 * values that start like a flow collection or a quoted scalar. */
static int make_value(setter *st, struct fy_document *doc, struct fy_node **out)
{
    const char *v = st->ov->value;
    struct fy_document *tmp;
    char err[200];

    if (v[0] != '{' && v[0] != '[' && v[0] != '"' && v[0] != '\'') {
        *out = fy_node_create_scalar_copy(doc, v, strlen(v));
        return *out != NULL ? 0 : OSIM_ENOMEM;
    }
    tmp = osim__yaml_from_string(v, err, sizeof(err));
    if (tmp == NULL)
        return osim__bind_error_at(st->ctx, st->at, OSIM_ESYNTAX, "not a valid YAML value: %s",
                                   err);
    *out = fy_node_copy(doc, fy_document_root(tmp));
    fy_document_destroy(tmp);
    return *out != NULL ? 0 : OSIM_ENOMEM;
}

/* Put value under key in map (replacing what was there), marked as the override's. */
static int set_key(setter *st, struct fy_node *map, const char *key, struct fy_node *value)
{
    struct fy_node_pair *pair = fy_node_mapping_lookup_pair_by_string(map, key, FY_NT);
    int src = st->at.src, rc;

    rc = osim__bind_graft(st->ctx, value, src);
    if (rc != 0)
        return rc;
    if (pair != NULL) {
        if (fy_node_pair_set_value(pair, value) != 0)
            return OSIM_ENOMEM;
        return 0;
    }
    {
        struct fy_node *k = fy_node_create_scalar_copy(fy_node_document(map), key, strlen(key));
        if (k == NULL)
            return OSIM_ENOMEM;
        rc = osim__bind_graft(st->ctx, k, src);
        if (rc != 0 || fy_node_mapping_append(map, k, value) != 0) {
            fy_node_free(k);
            return rc != 0 ? rc : OSIM_ENOMEM;
        }
    }
    return 0;
}

/* The mapping under key in map, created (empty) if absent or null. */
static int child_map(setter *st, struct fy_node *map, const char *key, const char *path,
                     struct fy_node **out)
{
    struct fy_node *c = fy_node_mapping_lookup_by_string(map, key, FY_NT);
    int rc;

    if (c != NULL && fy_node_is_mapping(c)) {
        *out = c;
        return 0;
    }
    if (c != NULL && !osim__node_is_null(c))
        return osim__bind_error_at(st->ctx, st->at, OSIM_ESCHEMA,
                                   "%s is not a mapping in the file, so it has no keys to set",
                                   path);
    c = fy_node_create_mapping(fy_node_document(map));
    if (c == NULL)
        return OSIM_ENOMEM;
    rc = set_key(st, map, key, c);
    if (rc != 0) {
        fy_node_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* The item of seq whose key field equals label (or the label-th item). */
static struct fy_node *find_item(struct fy_node *seq, const osim_field *key, const char *label)
{
    void *it = NULL;
    struct fy_node *item;
    char buf[256];
    size_t i = 0;

    if (seq == NULL || !fy_node_is_sequence(seq))
        return NULL;
    if (key == NULL) {
        if (!all_digits(label))
            return NULL;
        return fy_node_sequence_get_by_index(seq, atoi(label));
    }
    while ((item = fy_node_sequence_iterate(seq, &it)) != NULL) {
        struct fy_node *v = fy_node_is_mapping(item)
                                ? fy_node_mapping_lookup_by_string(item, key->key, FY_NT)
                                : NULL;
        if (v != NULL && osim__node_text(v, buf, sizeof(buf)) != NULL && strcmp(buf, label) == 0)
            return item;
        i++;
    }
    return NULL;
}

/* "a, b, c": the names of the items of a list, for "no such item" messages. */
static void item_names(struct fy_node *const *items, size_t n, struct fy_node *seq,
                       const osim_field *key, char *buf, size_t size)
{
    void *it = NULL;
    struct fy_node *item;
    char name[128];
    size_t k = 0, i = 0;

    buf[0] = '\0';
    for (;;) {
        int w;
        if (items != NULL)
            item = i < n ? items[i] : NULL;
        else
            item =
                seq != NULL && fy_node_is_sequence(seq) ? fy_node_sequence_iterate(seq, &it) : NULL;
        if (item == NULL)
            break;
        if (key == NULL)
            snprintf(name, sizeof(name), "%zu", i);
        else if (!fy_node_is_mapping(item) ||
                 osim__node_text(fy_node_mapping_lookup_by_string(item, key->key, FY_NT), name,
                                 sizeof(name)) == NULL)
            snprintf(name, sizeof(name), "?");
        w = snprintf(buf + k, size - k, "%s%s", i ? ", " : "", name);
        if (w < 0 || (size_t)w >= size - k) {
            if (size > 8)
                snprintf(buf + size - 5, 5, "...");
            return;
        }
        k += (size_t)w;
        i++;
    }
    if (i == 0)
        snprintf(buf, size, "none");
}

static const char *join(char *buf, size_t n, const char *prefix, const char *key)
{
    osim__path_join(buf, n, prefix, key);
    return buf;
}

static int no_key(setter *st, const osim_schema *s, const char *key, const char *prefix)
{
    char known[400];

    osim__schema_keys(s, known, sizeof(known));
    return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT, "no key '%s' %s%s (known: %s)", key,
                               prefix[0] ? "in " : "at ", prefix[0] ? prefix : "the top level",
                               known);
}

static bool is_list(osim_field_type t)
{
    return t == OSIM_FT_NAMES || t == OSIM_FT_REFS || t == OSIM_FT_REALS || t == OSIM_FT_HOURLY ||
           t == OSIM_FT_WEEKLY;
}

static bool is_dist(osim_field_type t)
{
    return t == OSIM_FT_DIST_DURATION || t == OSIM_FT_DIST_FRACTION || t == OSIM_FT_DIST_MONEY ||
           t == OSIM_FT_DIST_REAL;
}

static int apply_one(setter *st, struct fy_node *root)
{
    char buf[PATH_BUF], prefix[PATH_BUF], next[PATH_BUF];
    char *comp[MAX_COMPONENTS];
    size_t n = 0, i;
    const osim_schema *s = &osim__scenario_schema;
    struct fy_node *node = root, *value;
    char *p;
    int rc;

    if (strlen(st->ov->path) >= sizeof(buf))
        return osim__bind_error_at(st->ctx, st->at, OSIM_EINVAL, "path too long");
    snprintf(buf, sizeof(buf), "%s", st->ov->path);
    for (p = buf;;) {
        char *dot = strchr(p, '.');
        if (n == MAX_COMPONENTS)
            return osim__bind_error_at(st->ctx, st->at, OSIM_EINVAL, "path too deep");
        comp[n++] = p;
        if (dot == NULL)
            break;
        *dot = '\0';
        p = dot + 1;
    }
    for (i = 0; i < n; i++)
        if (comp[i][0] == '\0')
            return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                       "empty key in the path (write a.b.c)");
    prefix[0] = '\0';
    for (i = 0; i < n; i++) {
        const char *c = comp[i];
        const osim_field *f = osim__schema_field(s, c, strlen(c));
        bool last = i + 1 == n;
        if (f == NULL)
            return no_key(st, s, c, prefix);
        join(next, sizeof(next), prefix, c);
        if (f->flags & OSIM_F_CUSTOM && f->type != OSIM_FT_MAP && f->type != OSIM_FT_SEQ)
            return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT, "%s cannot be set", next);
        if (last) {
            if (f->type == OSIM_FT_SEQ && (f->flags & OSIM_F_CUSTOM))
                return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                           "%s cannot be set whole: set a key of one policy "
                                           "(%s.NAME.KEY)",
                                           next, next);
            rc = make_value(st, fy_node_document(node), &value);
            if (rc == 0) {
                rc = set_key(st, node, c, value);
                if (rc != 0)
                    fy_node_free(value);
            }
            return rc;
        }
        if (f->type == OSIM_FT_MAP && !(f->flags & OSIM_F_CUSTOM)) {
            rc = child_map(st, node, c, next, &node);
            if (rc != 0)
                return rc;
            s = f->sub;
        } else if (f->type == OSIM_FT_MAP) {
            /* A policy's params: the schema is its model's. */
            char model[128];
            osim_model_kind m;
            if (osim__node_text(fy_node_mapping_lookup_by_string(node, "model", FY_NT), model,
                                sizeof(model)) == NULL ||
                !osim_model_catalogue_find(st->models, model, &m))
                return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                           "%s: the policy has no known model, so its params "
                                           "cannot be set",
                                           next);
            if (m.params_schema == NULL)
                return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                           "%s: model '%s' takes no parameters", next, m.name);
            rc = child_map(st, node, c, next, &node);
            if (rc != 0)
                return rc;
            s = m.params_schema;
        } else if (f->type == OSIM_FT_SEQ) {
            const osim_field *key = osim__schema_item_key(f->sub);
            struct fy_node *seq = NULL, *item = NULL;
            char names[300];
            const char *label = comp[++i];
            bool policies = (f->flags & OSIM_F_CUSTOM) != 0;
            if (policies) {
                size_t k;
                char name[128];
                for (k = 0; k < st->n_policies && item == NULL; k++)
                    if (osim__node_text(
                            fy_node_mapping_lookup_by_string(st->policies[k], "name", FY_NT), name,
                            sizeof(name)) != NULL &&
                        strcmp(name, label) == 0)
                        item = st->policies[k];
            } else {
                seq = fy_node_mapping_lookup_by_string(node, c, FY_NT);
                item = find_item(seq, key, label);
            }
            if (item == NULL || !fy_node_is_mapping(item)) {
                item_names(policies ? st->policies : NULL, st->n_policies, seq, key, names,
                           sizeof(names));
                return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                           "no %s %s '%s' in %s (known: %s)", f->sub->name,
                                           key != NULL ? "named" : "numbered", label, next, names);
            }
            join(prefix, sizeof(prefix), next, label);
            if (i + 1 == n)
                return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                           "%s is a whole %s: set one of its keys (%s.KEY)", prefix,
                                           f->sub->name, prefix);
            node = item;
            s = f->sub;
            continue;
        } else if (is_dist(f->type)) {
            const char *k = comp[i + 1];
            struct fy_node *d = fy_node_mapping_lookup_by_string(node, c, FY_NT);
            size_t j;
            for (j = 0; osim__dist_keys[j] != NULL; j++)
                if (strcmp(osim__dist_keys[j], k) == 0)
                    break;
            if (osim__dist_keys[j] == NULL || i + 2 != n)
                return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                           "no key '%s' in %s (a distribution has: dist, value, "
                                           "min, max, mode, mean, sd, median, p95, mu, sigma, "
                                           "scale, shape, points)",
                                           k, next);
            if (d != NULL && !fy_node_is_mapping(d) && !osim__node_is_null(d))
                return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                           "%s is a single value in the file, not a "
                                           "distribution: set it whole (--set %s=45m, or --set "
                                           "'%s={dist: lognormal, median: 1h, p95: 3h}')",
                                           next, next, next);
            rc = child_map(st, node, c, next, &node);
            if (rc != 0)
                return rc;
            rc = make_value(st, fy_node_document(node), &value);
            if (rc == 0) {
                rc = set_key(st, node, k, value);
                if (rc != 0)
                    fy_node_free(value);
            }
            return rc;
        } else if (is_list(f->type)) {
            struct fy_node *seq = fy_node_mapping_lookup_by_string(node, c, FY_NT), *old, *nv;
            const char *k = comp[i + 1];
            if (i + 2 != n || !all_digits(k))
                return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                           "%s is a list: set it whole (--set '%s=[...]') or one "
                                           "item by its index from 0 (%s.0)",
                                           next, next, next);
            old = seq != NULL && fy_node_is_sequence(seq)
                      ? fy_node_sequence_get_by_index(seq, atoi(k))
                      : NULL;
            if (old == NULL)
                return osim__bind_error_at(
                    st->ctx, st->at, OSIM_ENOENT,
                    "%s has no item %s in the file (it has %d): set the "
                    "list whole (--set '%s=[...]')",
                    next, k,
                    seq != NULL && fy_node_is_sequence(seq) ? fy_node_sequence_item_count(seq) : 0,
                    next);
            rc = make_value(st, fy_node_document(seq), &nv);
            if (rc != 0)
                return rc;
            rc = osim__bind_graft(st->ctx, nv, st->at.src);
            if (rc != 0 || fy_node_sequence_insert_after(seq, old, nv) != 0) {
                fy_node_free(nv);
                return rc != 0 ? rc : OSIM_ENOMEM;
            }
            fy_node_free(fy_node_sequence_remove(seq, old));
            return 0;
        } else {
            return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                       "%s is a single value: it has no key '%s'", next,
                                       comp[i + 1]);
        }
        snprintf(prefix, sizeof(prefix), "%s", next);
    }
    return 0;
}

int osim__override_apply(osim_bind_ctx *ctx, struct fy_node *root, struct fy_node *const *policies,
                         size_t n_policies, const osim_override *ov, size_t n_ov,
                         const osim_model_catalogue *models)
{
    char label[OSIM_DIAG_FILE_MAX];
    size_t k;
    int rc;

    for (k = 0; k < n_ov; k++) {
        setter st;
        if (ov[k].path == NULL || ov[k].value == NULL)
            return osim_diag_set(osim__bind_diag(ctx), OSIM_EINVAL, "--set", 0, 0,
                                 "an override needs PATH=VALUE");
        snprintf(label, sizeof(label), "--set %s=%s", ov[k].path, ov[k].value);
        memset(&st, 0, sizeof(st));
        st.ctx = ctx;
        st.ov = &ov[k];
        st.policies = policies;
        st.n_policies = n_policies;
        st.models = models;
        rc = osim__bind_source(ctx, label, true);
        if (rc < 0)
            return rc;
        st.at.src = rc;
        rc = apply_one(&st, root);
        if (rc != 0)
            return rc;
    }
    return 0;
}
