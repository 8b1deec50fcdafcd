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
 *
 * Scaling: `--set PATH=xF` multiplies a number, or a whole distribution as
 * a random variable (X -> F X), by F. It is expanded, before anything is
 * applied, into the plain overrides of every key it changes, computed from
 * the scenario as the overrides before it leave it -- by the same code
 * (osim_param_table_scale) that sensitivity swings parameters with -- so a
 * scaled run is exactly a run with those numbers typed by hand, and x1
 * gives back the scenario bit for bit (numbers are written in the
 * shortest form that reads back as the same double).
 */
#include <ctype.h>
#include <math.h>
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

/* A value written {value: X, source: ...} (scenarios/README.md, "Sources and
 * assumptions") stands for X: an override steps into X, whose annotation
 * then no longer holds (the loader marks it set on the command line). */
static struct fy_node *unwrap(struct fy_node *n)
{
    struct fy_node *v;

    if (n == NULL || !fy_node_is_mapping(n) ||
        fy_node_mapping_lookup_by_string(n, "dist", FY_NT) != NULL)
        return n;
    v = fy_node_mapping_lookup_by_string(n, "value", FY_NT);
    return v != NULL ? v : n;
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

/* ------------------------------------------------------------ applying one override */

/* PATH cut at its dots into comp[] (pointing into buf). */
static int split_path(setter *st, char *buf, size_t size, char **comp, size_t *n)
{
    char *p;

    *n = 0;
    if (strlen(st->ov->path) >= size)
        return osim__bind_error_at(st->ctx, st->at, OSIM_EINVAL, "path too long");
    snprintf(buf, size, "%s", st->ov->path);
    for (p = buf;;) {
        char *dot = strchr(p, '.');
        if (*n == MAX_COMPONENTS)
            return osim__bind_error_at(st->ctx, st->at, OSIM_EINVAL, "path too deep");
        comp[(*n)++] = p;
        if (dot == NULL)
            break;
        *dot = '\0';
        p = dot + 1;
    }
    for (size_t i = 0; i < *n; i++)
        if (comp[i][0] == '\0')
            return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                       "empty key in the path (write a.b.c)");
    return 0;
}

/* The override's value under key of map (the path's last component). */
static int set_value(setter *st, struct fy_node *map, const char *key)
{
    struct fy_node *value;
    int rc = make_value(st, fy_node_document(map), &value);

    if (rc == 0) {
        rc = set_key(st, map, key, value);
        if (rc != 0)
            fy_node_free(value);
    }
    return rc;
}

/*
 * A service's `systems` has an older name, `shards`, and a file may give
 * only one of the two. Setting either replaces the other, as editing the
 * file would, so that `--set services.X.systems=N` works on files that say
 * `shards:` (and every line of `params` can be fed back).
 */
static void drop_other_name(struct fy_node *map, const osim_schema *s, const char *key)
{
    const char *other = NULL;
    struct fy_node_pair *pair;

    if (strcmp(s->name, "service") != 0)
        return;
    if (strcmp(key, "systems") == 0)
        other = "shards";
    else if (strcmp(key, "shards") == 0)
        other = "systems";
    /* Removing by the pair's own key frees the pair and its key; the value
     * comes back detached, ours to free. */
    if (other != NULL && fy_node_is_mapping(map) &&
        (pair = fy_node_mapping_lookup_pair_by_string(map, other, FY_NT)) != NULL)
        fy_node_free(fy_node_mapping_remove_by_key(map, fy_node_pair_key(pair)));
}

/* Step into a policy's params: its schema is its model's. */
static int enter_policy_params(setter *st, const char *c, const char *next, struct fy_node **node,
                               const osim_schema **s)
{
    char model[128];
    osim_model_kind m;

    if (osim__node_text(fy_node_mapping_lookup_by_string(*node, "model", FY_NT), model,
                        sizeof(model)) == NULL ||
        !osim_model_catalogue_find(st->models, model, &m))
        return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                   "%s: the policy has no known model, so its params "
                                   "cannot be set",
                                   next);
    if (m.params_schema == NULL)
        return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                   "%s: model '%s' takes no parameters", next, m.name);
    *s = m.params_schema;
    return child_map(st, *node, c, next, node);
}

/* The policy item named label (policies are gathered from every included file). */
static struct fy_node *find_policy(setter *st, const char *label)
{
    char name[128];
    size_t k;

    for (k = 0; k < st->n_policies; k++)
        if (osim__node_text(fy_node_mapping_lookup_by_string(st->policies[k], "name", FY_NT), name,
                            sizeof(name)) != NULL &&
            strcmp(name, label) == 0)
            return st->policies[k];
    return NULL;
}

/* Step into the item `label` of the list field f (key c of *node); prefix
 * becomes LIST.LABEL. */
static int enter_item(setter *st, const osim_field *f, const char *c, const char *next,
                      const char *label, bool last, char *prefix, struct fy_node **node)
{
    const osim_field *key = osim__schema_item_key(f->sub);
    struct fy_node *seq = NULL, *item;
    char names[300];
    bool policies = (f->flags & OSIM_F_CUSTOM) != 0;

    if (policies) {
        item = find_policy(st, label);
    } else {
        seq = unwrap(fy_node_mapping_lookup_by_string(*node, c, FY_NT));
        item = find_item(seq, key, label);
    }
    if (item == NULL || !fy_node_is_mapping(item)) {
        item_names(policies ? st->policies : NULL, st->n_policies, seq, key, names, sizeof(names));
        return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT, "no %s %s '%s' in %s (known: %s)",
                                   f->sub->name, key != NULL ? "named" : "numbered", label, next,
                                   names);
    }
    join(prefix, PATH_BUF, next, label);
    if (last)
        return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                   "%s is a whole %s: set one of its keys (%s.KEY)", prefix,
                                   f->sub->name, prefix);
    *node = item;
    return 0;
}

/* Step into the item `label` of the mapping of names f (key c of *node), as
 * enter_item does for lists. An item written short (not a mapping) can only
 * have its one field set (short_key, the next component, which must be the
 * last): then 1 is returned with *node the mapping, whose key label to set. */
static int enter_named(setter *st, const osim_field *f, const char *c, const char *next,
                       const char *label, bool last, const char *short_key, bool short_last,
                       char *prefix, struct fy_node **node)
{
    struct fy_node *map = fy_node_mapping_lookup_by_string(*node, c, FY_NT), *item;

    item = map != NULL && fy_node_is_mapping(map)
               ? fy_node_mapping_lookup_by_string(map, label, FY_NT)
               : NULL;
    join(prefix, PATH_BUF, next, label);
    if (item == NULL)
        return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT, "no %s named '%s' in %s",
                                   f->sub->name, label, next);
    if (last)
        return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                   "%s is a whole %s: set one of its keys (%s.KEY)", prefix,
                                   f->sub->name, prefix);
    if (!fy_node_is_mapping(item)) {
        /* Written short: it stands for its one field; setting that sets the value. */
        const osim_field *key = osim__schema_item_key(f->sub);
        const osim_field *one = &f->sub->fields[key == &f->sub->fields[0] ? 1 : 0];
        if (short_key == NULL || strcmp(short_key, one->key) != 0 || !short_last)
            return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                       "%s is written short in the file: set %s.%s", prefix, prefix,
                                       one->key);
        *node = map;
        return 1;
    }
    *node = item;
    return 0;
}

/* Set key k of the distribution at key c of node (PATH ends DIST.k). */
static int set_dist_key(setter *st, struct fy_node *node, const char *c, const char *next,
                        const char *k, bool k_last)
{
    struct fy_node *d = unwrap(fy_node_mapping_lookup_by_string(node, c, FY_NT));
    size_t j;
    int rc;

    for (j = 0; osim__dist_keys[j] != NULL; j++)
        if (strcmp(osim__dist_keys[j], k) == 0)
            break;
    if (osim__dist_keys[j] == NULL || !k_last)
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
    if (d != NULL && fy_node_is_mapping(d))
        return set_value(st, d, k);
    rc = child_map(st, node, c, next, &node);
    return rc != 0 ? rc : set_value(st, node, k);
}

/* Replace item k (an index) of the list at key c of node. */
static int set_list_item(setter *st, struct fy_node *node, const char *c, const char *next,
                         const char *k, bool k_last)
{
    struct fy_node *seq = unwrap(fy_node_mapping_lookup_by_string(node, c, FY_NT)), *old, *nv;
    int rc;

    if (!k_last || !all_digits(k))
        return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                   "%s is a list: set it whole (--set '%s=[...]') or one "
                                   "item by its index from 0 (%s.0)",
                                   next, next, next);
    old = seq != NULL && fy_node_is_sequence(seq) ? fy_node_sequence_get_by_index(seq, atoi(k))
                                                  : NULL;
    if (old == NULL)
        return osim__bind_error_at(
            st->ctx, st->at, OSIM_ENOENT,
            "%s has no item %s in the file (it has %d): set the list whole (--set '%s=[...]')",
            next, k, seq != NULL && fy_node_is_sequence(seq) ? fy_node_sequence_item_count(seq) : 0,
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
}

/*
 * Walk the override's path down the document and the schema together,
 * one component at a time: a mapping key steps into its sub-schema
 * (creating the mapping if the file left it out), a list key takes the
 * next component as an item's name, and the walk ends by setting a key, a
 * distribution's key or a list item.
 */
static int apply_one(setter *st, struct fy_node *root)
{
    char buf[PATH_BUF], prefix[PATH_BUF], next[PATH_BUF];
    char *comp[MAX_COMPONENTS];
    size_t n = 0, i;
    const osim_schema *s = &osim__scenario_schema;
    struct fy_node *node = root;
    int rc;

    if ((rc = split_path(st, buf, sizeof(buf), comp, &n)) != 0)
        return rc;
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
        if (last && f->type == OSIM_FT_SEQ && (f->flags & OSIM_F_CUSTOM))
            return osim__bind_error_at(st->ctx, st->at, OSIM_ENOENT,
                                       "%s cannot be set whole: set a key of one policy "
                                       "(%s.NAME.KEY)",
                                       next, next);
        if (last) {
            drop_other_name(node, s, c);
            return set_value(st, node, c);
        }
        if (f->type == OSIM_FT_MAP && !(f->flags & OSIM_F_CUSTOM)) {
            if ((rc = child_map(st, node, c, next, &node)) != 0)
                return rc;
            s = f->sub;
        } else if (f->type == OSIM_FT_MAP) {
            if ((rc = enter_policy_params(st, c, next, &node, &s)) != 0)
                return rc;
        } else if (f->type == OSIM_FT_SEQ) {
            i++;
            rc = enter_item(st, f, c, next, comp[i], i + 1 == n, prefix, &node);
            if (rc != 0)
                return rc;
            s = f->sub;
            continue;
        } else if (f->type == OSIM_FT_NAMED) {
            i++;
            rc = enter_named(st, f, c, next, comp[i], i + 1 == n, i + 1 < n ? comp[i + 1] : NULL,
                             i + 2 == n, prefix, &node);
            if (rc == 1)
                return set_value(st, node, comp[i]);
            if (rc != 0)
                return rc;
            s = f->sub;
            continue;
        } else if (is_dist(f->type)) {
            return set_dist_key(st, node, c, next, comp[i + 1], i + 2 == n);
        } else if (is_list(f->type)) {
            return set_list_item(st, node, c, next, comp[i + 1], i + 2 == n);
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

/* ------------------------------------------------------------ parameters and scaling */

typedef struct param_entry {
    char *path, *value, *unit;
} param_entry;

struct osim_param_table {
    param_entry *v;
    size_t n, cap;
    int rc;
};

static int collect(void *ud, const char *path, const char *value, const char *unit, const char *doc)
{
    osim_param_table *l = ud;
    param_entry *e;

    (void)doc;
    if (l->n > 0 && strcmp(l->v[l->n - 1].path, path) == 0)
        return 0; /* a path listed twice in a row */
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 256;
        param_entry *nv = realloc(l->v, nc * sizeof(*nv));
        if (nv == NULL)
            return l->rc = OSIM_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    e = &l->v[l->n];
    e->path = strdup(path);
    e->value = strdup(value);
    e->unit = strdup(unit);
    if (e->path == NULL || e->value == NULL || e->unit == NULL) {
        free(e->path);
        free(e->value);
        free(e->unit);
        return l->rc = OSIM_ENOMEM;
    }
    l->n++;
    return 0;
}

void osim_param_table_free(osim_param_table *t)
{
    size_t i;

    if (t == NULL)
        return;
    for (i = 0; i < t->n; i++) {
        free(t->v[i].path);
        free(t->v[i].value);
        free(t->v[i].unit);
    }
    free(t->v);
    free(t);
}

int osim_param_table_new(const osim_scenario *sc, osim_param_table **out)
{
    osim_param_table *t = calloc(1, sizeof(*t));
    int rc;

    *out = NULL;
    if (t == NULL)
        return OSIM_ENOMEM;
    osim_scenario_params(sc, collect, t);
    if ((rc = t->rc) != 0) {
        osim_param_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

size_t osim_param_table_count(const osim_param_table *t)
{
    return t->n;
}

void osim_param_table_at(const osim_param_table *t, size_t i, const char **path, const char **value,
                         const char **unit)
{
    *path = t->v[i].path;
    *value = t->v[i].value;
    *unit = t->v[i].unit;
}

static bool is_number(const char *s, double *x)
{
    char *end;

    if (*s == '\0')
        return false;
    *x = strtod(s, &end);
    return *end == '\0' && isfinite(*x);
}

long osim_param_table_find(const osim_param_table *t, const char *path)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        if (strcmp(t->v[i].path, path) == 0)
            return (long)i;
    return -1;
}

static const param_entry *find_entry(const osim_param_table *t, const char *path)
{
    long i = osim_param_table_find(t, path);

    return i >= 0 ? &t->v[i] : NULL;
}

const char *osim_param_key_under(const char *path, const char *root)
{
    size_t n = strlen(root);

    if (strncmp(path, root, n) != 0 || path[n] != '.')
        return NULL;
    return strchr(path + n + 1, '.') == NULL ? path + n + 1 : NULL;
}

int osim_param_table_kind(const osim_param_table *t, const char *p, bool *empirical)
{
    char buf[1024];
    const param_entry *e;
    const char *dot;
    double x;

    *empirical = false;
    snprintf(buf, sizeof(buf), "%s.dist", p);
    if ((e = find_entry(t, buf)) != NULL) {
        *empirical = strcmp(e->value, "empirical") == 0;
        return *empirical ? OSIM_PARAM_NONE : OSIM_PARAM_DIST;
    }
    e = find_entry(t, p);
    if (e == NULL || !is_number(e->value, &x))
        return OSIM_PARAM_NONE;
    /* A number inside a distribution (root.median) is not a parameter of its own. */
    if ((dot = strrchr(p, '.')) != NULL) {
        snprintf(buf, sizeof(buf), "%.*s.dist", (int)(dot - p), p);
        if (find_entry(t, buf) != NULL)
            return OSIM_PARAM_NONE;
    }
    return OSIM_PARAM_NUMBER;
}

/* Whether values of unit are whole: money, and the COUNT fields (which the
 * binder refuses as fractions), counted in "count" or, for duration tiers'
 * min_days, in "days". */
static bool whole_unit(const char *unit)
{
    return strncmp(unit, "won", 3) == 0 || strcmp(unit, "count") == 0 || strcmp(unit, "days") == 0;
}

/* v times f in the unit's terms: whole for money and counts, fractions capped. */
static double scaled(double v, double f, const char *unit)
{
    double x = v * f;

    if (whole_unit(unit))
        x = round(x);
    if (strcmp(unit, "fraction") == 0 && x > 1.0)
        x = 1.0;
    return x;
}

/* x as the shortest decimal that reads back as x (so a factor of 1 gives
 * back the scenario bit for bit); money and counts whole. */
static void fmt_num(char *buf, size_t n, double x, const char *unit)
{
    int prec;

    if (whole_unit(unit)) {
        snprintf(buf, n, "%.0f", x + 0.0);
        return;
    }
    for (prec = 12; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, x + 0.0);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* x for people: 12 significant digits (the exact value is in the override). */
static void fmt_show(char *buf, size_t n, double x, const char *unit)
{
    if (whole_unit(unit))
        snprintf(buf, n, "%.0f", x + 0.0);
    else
        snprintf(buf, n, "%.12g", x + 0.0);
}

static int add_ov(osim_override **ov, size_t *n, const char *path, const char *value)
{
    size_t lp = strlen(path), lv = strlen(value);
    osim_override *nv = realloc(*ov, (*n + 1) * sizeof(*nv));
    char *b;

    if (nv == NULL)
        return OSIM_ENOMEM;
    *ov = nv;
    if ((b = malloc(lp + lv + 2)) == NULL)
        return OSIM_ENOMEM;
    memcpy(b, path, lp + 1);
    memcpy(b + lp + 1, value, lv + 1);
    nv[*n].path = b;
    nv[*n].value = b + lp + 1;
    (*n)++;
    return 0;
}

void osim_overrides_free(osim_override *ov, size_t n)
{
    size_t i;

    for (i = 0; ov != NULL && i < n; i++)
        free((char *)ov[i].path);
    free(ov);
}

static void append(char *buf, size_t n, const char *s)
{
    size_t k = strlen(buf);

    snprintf(buf + k, n - k, "%s", s);
}

/* The overrides that scale a distribution's keys (X -> fX). */
static int scale_dist(const osim_param_table *t, const char *param, double f, osim_override **ov,
                      size_t *n, char *text, size_t text_size)
{
    char dp[1024], num[64], show[64];
    size_t i;
    int rc = 0;

    snprintf(dp, sizeof(dp), "%s.dist", param);
    snprintf(text, text_size, "%s", find_entry(t, dp)->value);
    for (i = 0; i < t->n && rc == 0; i++) {
        const param_entry *e = &t->v[i];
        const char *key = osim_param_key_under(e->path, param);
        double x;
        if (key == NULL || strcmp(key, "dist") == 0 || strcmp(key, "shape") == 0 ||
            strcmp(key, "sigma") == 0 || !is_number(e->value, &x))
            continue;
        double y = strcmp(key, "mu") == 0 ? x + log(f) : scaled(x, f, e->unit);
        fmt_num(num, sizeof(num), y, strcmp(key, "mu") == 0 ? "" : e->unit);
        fmt_show(show, sizeof(show), y, strcmp(key, "mu") == 0 ? "" : e->unit);
        rc = add_ov(ov, n, e->path, num);
        append(text, text_size, " ");
        append(text, text_size, key);
        append(text, text_size, " ");
        append(text, text_size, show);
        if (*e->unit && strcmp(key, "mu") != 0) {
            append(text, text_size, " ");
            append(text, text_size, e->unit);
        }
    }
    return rc;
}

int osim_param_table_scale(const osim_param_table *t, const char *param, double f,
                           osim_override **ov, size_t *n, char **shown, osim_diag *diag)
{
    bool emp;
    int kind, rc = 0;
    char num[64], text[512] = "";

    *ov = NULL;
    *n = 0;
    *shown = NULL;
    if (!(f > 0) || !isfinite(f))
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "a scale factor must be > 0");
    kind = osim_param_table_kind(t, param, &emp);
    if (kind == OSIM_PARAM_NONE)
        return osim_diag_set(diag, OSIM_EINVAL, "--params", 0, 0,
                             emp ? "%s is an empirical distribution, which cannot be scaled"
                                 : "%s is not a number or a distribution of the scenario (see "
                                   "outagesim params)",
                             param);
    if (kind == OSIM_PARAM_NUMBER) {
        const param_entry *e = find_entry(t, param);
        double x = 0.0;
        is_number(e->value, &x);
        fmt_num(num, sizeof(num), scaled(x, f, e->unit), e->unit);
        rc = add_ov(ov, n, param, num);
        fmt_show(num, sizeof(num), scaled(x, f, e->unit), e->unit);
        snprintf(text, sizeof(text), "%s%s%s", num, *e->unit ? " " : "", e->unit);
    } else {
        rc = scale_dist(t, param, f, ov, n, text, sizeof(text));
    }
    if (rc == 0 && (*shown = strdup(text)) == NULL)
        rc = OSIM_ENOMEM;
    if (rc != 0) {
        osim_overrides_free(*ov, *n);
        *ov = NULL;
        *n = 0;
    }
    return rc;
}

bool osim_scale_factor_parse(const char *value, double *f)
{
    char *end;

    if (value == NULL || value[0] != 'x' || !(isdigit((unsigned char)value[1]) || value[1] == '.'))
        return false;
    *f = strtod(value + 1, &end);
    return *end == '\0' && isfinite(*f) && *f > 0;
}

/* ------------------------------------------------------------ --set PATH=xF */

/* Load the scenario (a file, or data) with overrides ov (none of them a
 * scale) and the caller's models, so that policy params can be scaled too. */
static int load_with(const char *path, const char *data, size_t len, const osim_override *ov,
                     size_t n, const osim_model_catalogue *models, osim_scenario **sc,
                     osim_diag *diag)
{
    const osim_scenario_options opt = {ov, n, models};

    if (data != NULL)
        return osim_scenario_load_buffer(path, data, len, &opt, sc, diag);
    return osim_scenario_load(path, &opt, sc, diag);
}

/* Replace scale override k (PATH=xF) by the overrides of every key it
 * scales, computed from the scenario as the overrides before it leave it. */
static int expand_scale(const char *path, const char *data, size_t len, const osim_override *k,
                        double f, const osim_model_catalogue *models, osim_override **exp,
                        size_t *n_exp, osim_diag *diag)
{
    osim_scenario *sc = NULL;
    osim_param_table *t = NULL;
    osim_override *ov = NULL;
    char label[OSIM_DIAG_FILE_MAX], *shown = NULL;
    size_t n = 0, i;
    bool emp = false;
    int rc;

    snprintf(label, sizeof(label), "--set %s=%s", k->path, k->value);
    if ((rc = load_with(path, data, len, *exp, *n_exp, models, &sc, diag)) != 0)
        return rc;
    if ((rc = osim_param_table_new(sc, &t)) != 0)
        goto fail;
    if (osim_param_table_kind(t, k->path, &emp) == OSIM_PARAM_NONE) {
        const param_entry *e = find_entry(t, k->path);
        double x;
        char num[64];
        if (!emp && (e == NULL || !is_number(e->value, &x))) {
            /* Not a number: applied as it is, as text (a name may be
             * "x2"), and an unknown key is reported by the walk. */
            rc = add_ov(exp, n_exp, k->path, k->value);
            goto fail;
        }
        if (e != NULL && is_number(e->value, &x)) {
            /* One number of a distribution, scaled alone (median=x2). */
            fmt_num(num, sizeof(num), scaled(x, f, e->unit), e->unit);
            rc = add_ov(exp, n_exp, k->path, num);
            goto fail;
        }
        rc = osim_diag_set(diag, OSIM_ESCHEMA, label, 0, 0,
                           "%s is an empirical distribution: xF scales a number or a parametric "
                           "distribution, not a list of points",
                           k->path);
        goto fail;
    }
    if ((rc = osim_param_table_scale(t, k->path, f, &ov, &n, &shown, diag)) != 0)
        goto fail;
    for (i = 0; i < n && rc == 0; i++)
        rc = add_ov(exp, n_exp, ov[i].path, ov[i].value);
fail:
    free(shown);
    osim_overrides_free(ov, n);
    osim_param_table_free(t);
    osim_scenario_free(sc);
    return rc;
}

int osim__override_expand(const char *path, const char *data, size_t len, const osim_override *ov,
                          size_t n_ov, const osim_model_catalogue *models, osim_override **out,
                          size_t *n_out, osim_diag *diag)
{
    osim_override *exp = NULL;
    size_t n_exp = 0, k;
    bool any = false;
    double f;
    int rc = 0;

    *out = NULL;
    *n_out = 0;
    for (k = 0; k < n_ov && !any; k++)
        any = osim_scale_factor_parse(ov[k].value, &f);
    if (!any)
        return 0;
    for (k = 0; k < n_ov && rc == 0; k++) {
        if (osim_scale_factor_parse(ov[k].value, &f))
            rc = expand_scale(path, data, len, &ov[k], f, models, &exp, &n_exp, diag);
        else
            rc = add_ov(&exp, &n_exp, ov[k].path, ov[k].value);
    }
    if (rc != 0) {
        osim_overrides_free(exp, n_exp);
        return rc;
    }
    *out = exp;
    *n_out = n_exp;
    return 0;
}

/* ------------------------------------------------------------ --set one key of a distribution */

void osim__override_hint(osim_diag *diag, const osim_override *ov, size_t n_ov)
{
    size_t k, j, len;
    char hint[OSIM_DIAG_MSG_MAX], others[200];

    if (diag == NULL || diag->code == 0)
        return;
    for (k = n_ov; k-- > 0;) {
        const char *dot = strrchr(ov[k].path, '.'), *key;
        size_t root = dot != NULL ? (size_t)(dot - ov[k].path) : 0;
        if (dot == NULL)
            continue;
        key = dot + 1;
        for (j = 0; osim__dist_keys[j] != NULL && strcmp(osim__dist_keys[j], key) != 0; j++)
            ;
        if (osim__dist_keys[j] == NULL || strcmp(key, "dist") == 0)
            continue; /* not one key of a distribution */
        /* The binder names a distribution's problem "ROOT: ...". */
        if (strncmp(diag->msg, ov[k].path, root) != 0 || strncmp(diag->msg + root, ": ", 2) != 0)
            continue;
        others[0] = '\0';
        for (j = 0; osim__dist_keys[j] != NULL; j++) {
            const char *w = osim__dist_keys[j], *m = diag->msg + root + 2;
            size_t wl = strlen(w);
            bool named = false;
            if (strcmp(w, key) == 0 || strcmp(w, "dist") == 0)
                continue;
            for (; (m = strstr(m, w)) != NULL; m += wl)
                if ((m == diag->msg || !isalnum((unsigned char)m[-1])) &&
                    !isalnum((unsigned char)m[wl]))
                    named = true;
            if (named) {
                len = strlen(others);
                snprintf(others + len, sizeof(others) - len, "%s%.*s.%s", len ? " and " : "",
                         (int)root, ov[k].path, w);
            }
        }
        if (others[0] == '\0')
            return;
        snprintf(hint, sizeof(hint),
                 "; --set %s=%s moves one parameter of the distribution: set %s too, or scale "
                 "the whole distribution with --set %.*s=xF (e.g. x2)",
                 ov[k].path, ov[k].value, others, (int)root, ov[k].path);
        len = strlen(diag->msg);
        snprintf(diag->msg + len, sizeof(diag->msg) - len, "%s", hint);
        return;
    }
}
