/*
 * scenario.c -- load a scenario: read, parse, override, bind, resolve, check.
 *
 * Invariant: osim_scenario_load() either returns a scenario in which every
 * cross-reference is a valid index, every service is placed exactly once in
 * every topology (placements[i].service == i), services are ordered by
 * topo_order with each after its dependencies, and every number is in its
 * documented range -- or it returns an error with the file:line:col of the
 * first problem and frees everything it allocated. Nothing downstream ever
 * has to re-check a loaded scenario.
 *
 * YAML is parsed by libfyaml (not libcyaml, which binds schemas directly but
 * forgets node positions once loading is over: the semantic errors found
 * after binding -- a cycle, p95 below the median -- could then not point at
 * a line). The documents are parsed without resolving aliases, and any alias
 * is rejected, so a "billion laughs" file costs no more memory than its own
 * size. That size is capped at OSIM__MAX_FILE_BYTES for the scenario and its
 * includes together: libfyaml keeps a token or a node of a few hundred bytes
 * for each byte of a hostile file (measured: 8 million '[' on one line took
 * 5.8 GB and 18 s; a flat list of 3 million items 2.6 GB), so the cap is
 * what bounds memory and time: at 2 MiB, about 700 MB and 3 s at worst,
 * while real scenarios are tens of kilobytes.
 */
#include "outagesim/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"
#include "core/units.h"
#include "outagesim/money.h"
#include "scenario/scenario_int.h"

#define OSIM__MAX_FILE_BYTES (2u * 1024u * 1024u)
#define MAX_INCLUDE_DEPTH 8
#define PATH_LEN 512

/* One parsed YAML source; the parser must outlive its document. */
typedef struct yaml_src {
    struct fy_parser *parser;
    struct fy_document *doc;
    char *bytes;
    size_t len;
    int src;
    char *path; /* for includes: their directory is the base of nested includes */
} yaml_src;

/* Where a policy item came from: the include that brought it in (the
 * nearest one) and the conversion rate an include gave for its policies. */
typedef struct pol_origin {
    bool included; /* from an include; at is the include item */
    osim__pos at;
    double rate; /* 0: no rate given by an enclosing include */
    osim__pos rate_at;
    osim__prov rate_prov; /* the rate's source or assumption (path NULL: none) */
    char file[128];       /* the included file as written, for messages */
} pol_origin;

/* Everything a load holds until it returns. */
typedef struct loader {
    osim_bind_ctx *ctx;
    osim_scenario *sc;
    yaml_src *files;
    size_t files_count, files_cap;
    struct fy_node **pol_nodes; /* policy items of the file and its includes, in order */
    int *pol_srcs;
    pol_origin *pol_origins;
    size_t pol_count, pol_cap;
    struct fy_node **src_nodes; /* `sources:` lists of the file and its includes, in order */
    int *src_srcs;
    size_t src_count, src_cap;
    size_t total_bytes; /* of every file read so far: at most OSIM__MAX_FILE_BYTES */
    EVP_MD_CTX *sha;
    const osim_model_catalogue *models; /* the kinds a policy's `model:` may name */
} loader;

/* ------------------------------------------------------------ reading */

/*
 * YAML is UTF-8 text: a NUL would end libfyaml's reading silently, and a
 * file saved in a legacy encoding (EUC-KR, CP949) deserves to be named as
 * such rather than reported as a syntax error. Returns 0 or the error at
 * the first bad byte.
 */
static int check_text(osim_bind_ctx *ctx, int src, const char *buf, size_t n)
{
    osim__pos at = {src, 0, 0};
    const char *z = memchr(buf, '\0', n), *u = osim__utf8_invalid(buf, n), *p, *at_byte;

    if (z == NULL && u == NULL)
        return 0;
    at_byte = z != NULL && (u == NULL || z < u) ? z : u;
    at.line = 1;
    for (p = buf; p < at_byte; p++)
        at.line += *p == '\n';
    for (p = at_byte; p > buf && p[-1] != '\n'; p--)
        ;
    at.col = (int)(at_byte - p) + 1;
    return osim__bind_error_at(ctx, at, OSIM_ESYNTAX, "%s",
                               at_byte == z ? "a NUL byte: this is not a text file"
                                            : "not UTF-8 text (was the file saved as EUC-KR or "
                                              "another legacy encoding? save it as UTF-8)");
}

/*
 * Read a whole file. The scenario itself may be a pipe (`<(...)`), but an
 * included file must be a regular file: it is opened without blocking, so
 * that `include: /dev/stdin` or a FIFO in a file from elsewhere is an error
 * rather than a wait without end.
 */
static int read_all(osim_bind_ctx *ctx, int src, const char *path, bool regular_only, char **out,
                    size_t *len)
{
    osim__pos at = {src, 0, 0};
    struct stat st;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    int fd, rc = 0;

    fd = open(path, regular_only ? O_RDONLY | O_NONBLOCK : O_RDONLY);
    if (fd < 0) {
        int e = errno;
        return osim__bind_error_at(ctx, at, e == ENOENT ? OSIM_ENOENT : OSIM_EIO, "cannot open: %s",
                                   strerror(e));
    }
    if (fstat(fd, &st) != 0) {
        rc = osim__bind_error_at(ctx, at, OSIM_EIO, "cannot stat: %s", strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = osim__bind_error_at(ctx, at, OSIM_EINVAL,
                                 "is a directory, not a scenario file (.yaml)");
        goto fail;
    }
    if (regular_only && !S_ISREG(st.st_mode)) {
        rc = osim__bind_error_at(ctx, at, OSIM_EINVAL,
                                 "not a regular file (an included file cannot be a device or a "
                                 "pipe)");
        goto fail;
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > OSIM__MAX_FILE_BYTES) {
        rc = osim__bind_error_at(ctx, at, OSIM_ERANGE,
                                 "file is %jd bytes; scenario files are limited to %u MiB",
                                 (intmax_t)st.st_size, OSIM__MAX_FILE_BYTES >> 20);
        goto fail;
    }
    for (;;) {
        ssize_t r;
        if (n == cap) {
            char *nb;
            if (cap > OSIM__MAX_FILE_BYTES) {
                rc = osim__bind_error_at(ctx, at, OSIM_ERANGE,
                                         "file is larger than the %u MiB limit of scenario files",
                                         OSIM__MAX_FILE_BYTES >> 20);
                goto fail;
            }
            cap = cap == 0 ? 64u * 1024u : cap * 2;
            nb = realloc(buf, cap + 1);
            if (nb == NULL) {
                rc = OSIM_ENOMEM;
                goto fail;
            }
            buf = nb;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = osim__bind_error_at(ctx, at, errno == EISDIR ? OSIM_EINVAL : OSIM_EIO,
                                     "cannot read: %s", strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > OSIM__MAX_FILE_BYTES) {
        rc = osim__bind_error_at(ctx, at, OSIM_ERANGE,
                                 "file is larger than the %u MiB limit of scenario files",
                                 OSIM__MAX_FILE_BYTES >> 20);
        goto fail;
    }
    if (buf == NULL) {
        buf = malloc(1);
        if (buf == NULL) {
            rc = OSIM_ENOMEM;
            goto fail;
        }
    }
    buf[n] = '\0';
    if ((rc = check_text(ctx, src, buf, n)) != 0)
        goto fail;
    close(fd);
    *out = buf;
    *len = n;
    return 0;
fail:
    free(buf);
    close(fd);
    return rc;
}

/* The in-memory counterpart of read_all: the same limit and text checks on a copy. */
static int copy_buffer(osim_bind_ctx *ctx, int src, const char *data, size_t n, char **out,
                       size_t *len)
{
    osim__pos at = {src, 0, 0};
    char *buf;
    int rc;

    if (n > OSIM__MAX_FILE_BYTES)
        return osim__bind_error_at(ctx, at, OSIM_ERANGE,
                                   "file is %zu bytes; scenario files are limited to %u MiB", n,
                                   OSIM__MAX_FILE_BYTES >> 20);
    if ((buf = malloc(n + 1)) == NULL)
        return OSIM_ENOMEM;
    if (n > 0)
        memcpy(buf, data, n);
    buf[n] = '\0';
    if ((rc = check_text(ctx, src, buf, n)) != 0) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = n;
    return 0;
}

/* ------------------------------------------------------------ parsing */

/* libfyaml reports through a callback; keep the first error's place and text. */
typedef struct yaml_err {
    bool got;
    int line, col;
    char msg[256];
} yaml_err;

static void capture_diag(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    yaml_err *e = user;
    char text[512];
    const char *p, *q;
    size_t n;

    (void)diag;
    if (e->got)
        return;
    n = len < sizeof(text) - 1 ? len : sizeof(text) - 1;
    memcpy(text, buf, n);
    text[n] = '\0';
    p = strstr(text, ": error: ");
    if (p == NULL)
        return; /* warnings and the source-line echo */
    e->got = true;
    snprintf(e->msg, sizeof(e->msg), "%s", p + 9);
    e->msg[strcspn(e->msg, "\n")] = '\0';
    /* "name:LINE:COL: error: ..." -- walk back over ":COL" and ":LINE". */
    q = p;
    while (q > text && q[-1] >= '0' && q[-1] <= '9')
        q--;
    if (q > text && q[-1] == ':' && q < p) {
        e->col = atoi(q);
        q--;
        while (q > text && q[-1] >= '0' && q[-1] <= '9')
            q--;
        if (q > text && q[-1] == ':')
            e->line = atoi(q);
    }
}

/* Reject aliases anywhere in a tree (they could expand without bound). */
static int reject_aliases(osim_bind_ctx *ctx, struct fy_node *n, int src)
{
    osim__pos none = {src, 0, 0};
    void *it = NULL;
    int rc;

    if (n == NULL)
        return 0;
    if (fy_node_is_alias(n))
        return osim__bind_error_at(ctx, osim__bind_node_pos(n, src, none), OSIM_ESCHEMA,
                                   "aliases (*%s) are not supported: write the value out",
                                   fy_node_get_scalar0(n) != NULL ? fy_node_get_scalar0(n) : "");
    if (fy_node_is_mapping(n)) {
        struct fy_node_pair *pair;
        while ((pair = fy_node_mapping_iterate(n, &it)) != NULL) {
            rc = reject_aliases(ctx, fy_node_pair_key(pair), src);
            if (rc == 0)
                rc = reject_aliases(ctx, fy_node_pair_value(pair), src);
            if (rc != 0)
                return rc;
        }
    } else if (fy_node_is_sequence(n)) {
        struct fy_node *item;
        while ((item = fy_node_sequence_iterate(n, &it)) != NULL) {
            rc = reject_aliases(ctx, item, src);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

static void quiet_parser(struct fy_parser *p);
static int check_parse(loader *ld, yaml_src *f, const yaml_err *e, osim__pos *pat);

/* Read (or, with data, copy) and parse one file into ld->files; *out is its index there. */
static int load_yaml(loader *ld, const char *path, const char *data, size_t data_len, size_t *out)
{
    struct fy_diag_cfg dcfg;
    struct fy_parse_cfg cfg;
    struct fy_diag *diag = NULL;
    yaml_err err;
    yaml_src *f;
    osim__pos at;
    int src, rc;

    if (ld->files_count == ld->files_cap) {
        size_t cap = ld->files_cap == 0 ? 4 : ld->files_cap * 2;
        yaml_src *nf = realloc(ld->files, cap * sizeof(*nf));
        if (nf == NULL)
            return OSIM_ENOMEM;
        ld->files = nf;
        ld->files_cap = cap;
    }
    src = osim__bind_source(ld->ctx, path, false);
    if (src < 0)
        return src;
    at.src = src;
    at.line = at.col = 0;
    f = &ld->files[ld->files_count];
    memset(f, 0, sizeof(*f));
    f->src = src;
    f->path = osim__arena_strdup(ld->ctx, path);
    if (f->path == NULL)
        return OSIM_ENOMEM;
    if (data != NULL)
        rc = copy_buffer(ld->ctx, src, data, data_len, &f->bytes, &f->len);
    else
        rc = read_all(ld->ctx, src, path, ld->files_count > 0, &f->bytes, &f->len);
    if (rc != 0)
        return rc;
    ld->files_count++; /* from here on the loader frees it */
    ld->total_bytes += f->len;
    if (ld->total_bytes > OSIM__MAX_FILE_BYTES)
        return osim__bind_error_at(ld->ctx, at, OSIM_ERANGE,
                                   "the scenario and its includes come to more than the %u MiB "
                                   "limit of scenario files (is one file included many times?)",
                                   OSIM__MAX_FILE_BYTES >> 20);
    if (EVP_DigestUpdate(ld->sha, f->bytes, f->len) != 1)
        return osim__bind_error_at(ld->ctx, at, OSIM_EINTERNAL, "SHA-256 failed");

    memset(&err, 0, sizeof(err));
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = capture_diag;
    dcfg.user = &err;
    dcfg.colorize = false;
    diag = fy_diag_create(&dcfg);
    if (diag == NULL)
        return OSIM_ENOMEM;
    memset(&cfg, 0, sizeof(cfg));
    cfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2;
    cfg.diag = diag;
    f->parser = fy_parser_create(&cfg);
    fy_diag_unref(diag); /* the parser holds its own reference */
    if (f->parser == NULL)
        return OSIM_ENOMEM;
    if (fy_parser_set_string(f->parser, f->bytes, f->len) != 0)
        return OSIM_ENOMEM;
    f->doc = fy_parse_load_document(f->parser);
    rc = check_parse(ld, f, &err, &at);
    /* err lives on this stack frame: the parser must not report into it later. */
    quiet_parser(f->parser);
    if (rc != 0)
        return rc;
    rc = reject_aliases(ld->ctx, fy_document_root(f->doc), src);
    if (rc != 0)
        return rc;
    *out = ld->files_count - 1;
    return 0;
}

/* Stop a parser's diagnostics from reaching the capture callback. */
static void quiet_parser(struct fy_parser *p)
{
    struct fy_diag *d = fy_parser_get_diag(p);
    struct fy_diag_cfg cfg;

    if (d == NULL)
        return;
    fy_diag_cfg_default(&cfg);
    cfg.fp = NULL;
    cfg.output_fn = NULL;
    cfg.user = NULL;
    fy_diag_set_cfg(d, &cfg);
    fy_diag_unref(d);
}

/* After the first document: a syntax error, an empty file, or a second document? */
/*
 * libfyaml reports an error at the end of a file without a final newline
 * one line past it ("2:1" for a one-line file): point at the end of the
 * last line instead, so that the position is one an editor can go to.
 * Lines break at LF, CR and CR LF, as in YAML.
 */
static void clamp_to_text(const yaml_src *f, osim__pos *at)
{
    int line = 1;
    size_t i, start = 0;

    for (i = 0; i < f->len; i++) {
        if (f->bytes[i] == '\r' && i + 1 < f->len && f->bytes[i + 1] == '\n')
            i++;
        if (f->bytes[i] == '\n' || f->bytes[i] == '\r') {
            line++;
            start = i + 1;
        }
    }
    if (at->line > line) {
        at->line = line;
        at->col = (int)(f->len - start) + 1;
    }
}

static int check_parse(loader *ld, yaml_src *f, const yaml_err *e, osim__pos *pat)
{
    struct fy_document *extra;
    osim__pos at = *pat;
    int src = f->src;

    if (f->doc == NULL || fy_parser_get_stream_error(f->parser)) {
        if (e->got || fy_parser_get_stream_error(f->parser)) {
            at.line = e->line;
            at.col = e->col;
            clamp_to_text(f, &at);
            return osim__bind_error_at(ld->ctx, at, OSIM_ESYNTAX, "YAML syntax error: %s",
                                       e->got ? e->msg : "cannot parse");
        }
        return osim__bind_error_at(ld->ctx, at, OSIM_ESCHEMA,
                                   "file is empty: no YAML document in it");
    }
    if (fy_document_root(f->doc) == NULL)
        return osim__bind_error_at(ld->ctx, at, OSIM_ESCHEMA,
                                   "file is empty: no YAML document in it");
    extra = fy_parse_load_document(f->parser);
    if (extra != NULL || fy_parser_get_stream_error(f->parser)) {
        if (extra != NULL) {
            struct fy_node *r = fy_document_root(extra);
            at = osim__bind_node_pos(r, src, at);
            fy_parse_document_destroy(f->parser, extra);
            return osim__bind_error_at(ld->ctx, at, OSIM_ESYNTAX,
                                       "more than one YAML document ('---') in one file");
        }
        at.line = e->line;
        at.col = e->col;
        clamp_to_text(f, &at);
        return osim__bind_error_at(ld->ctx, at, OSIM_ESYNTAX, "YAML syntax error: %s",
                                   e->got ? e->msg : "cannot parse");
    }
    return 0;
}

static void loader_free(loader *ld)
{
    size_t i;

    for (i = ld->files_count; i-- > 0;) {
        if (ld->files[i].doc != NULL)
            fy_parse_document_destroy(ld->files[i].parser, ld->files[i].doc);
        if (ld->files[i].parser != NULL)
            fy_parser_destroy(ld->files[i].parser);
        free(ld->files[i].bytes);
    }
    free(ld->files);
    free(ld->pol_nodes);
    free(ld->pol_srcs);
    free(ld->src_nodes);
    free(ld->src_srcs);
    free(ld->pol_origins);
    EVP_MD_CTX_free(ld->sha);
}

/* ------------------------------------------------------------ policies and includes */

static int add_policy_node(loader *ld, struct fy_node *n, int src, const pol_origin *org)
{
    if (ld->pol_count == ld->pol_cap) {
        size_t cap = ld->pol_cap == 0 ? 8 : ld->pol_cap * 2;
        struct fy_node **nn = realloc(ld->pol_nodes, cap * sizeof(*nn));
        int *ns;
        pol_origin *no;
        if (nn == NULL)
            return OSIM_ENOMEM;
        ld->pol_nodes = nn;
        ns = realloc(ld->pol_srcs, cap * sizeof(*ns));
        if (ns == NULL)
            return OSIM_ENOMEM;
        ld->pol_srcs = ns;
        no = realloc(ld->pol_origins, cap * sizeof(*no));
        if (no == NULL)
            return OSIM_ENOMEM;
        ld->pol_origins = no;
        ld->pol_cap = cap;
    }
    ld->pol_nodes[ld->pol_count] = n;
    ld->pol_srcs[ld->pol_count] = src;
    if (org != NULL)
        ld->pol_origins[ld->pol_count] = *org;
    else
        memset(&ld->pol_origins[ld->pol_count], 0, sizeof(*org));
    ld->pol_count++;
    return 0;
}

/* Remember a `sources:` list (of the scenario or of an included file). */
static int add_sources_node(loader *ld, struct fy_node *n, int src)
{
    if (osim__node_is_null(n))
        return 0;
    if (ld->src_count == ld->src_cap) {
        size_t cap = ld->src_cap == 0 ? 4 : ld->src_cap * 2;
        struct fy_node **nn = realloc(ld->src_nodes, cap * sizeof(*nn));
        int *ns;
        if (nn == NULL)
            return OSIM_ENOMEM;
        ld->src_nodes = nn;
        ns = realloc(ld->src_srcs, cap * sizeof(*ns));
        if (ns == NULL)
            return OSIM_ENOMEM;
        ld->src_srcs = ns;
        ld->src_cap = cap;
    }
    ld->src_nodes[ld->src_count] = n;
    ld->src_srcs[ld->src_count] = src;
    ld->src_count++;
    return 0;
}

/*
 * An included policy file is a list of policies, or a mapping of
 * `sources:` (its own, as in scenario.sources) and `policies:` (that list).
 * *seq is the list (NULL: none).
 */
static int include_parts(loader *ld, struct fy_node *root, int src, osim__pos at,
                         struct fy_node **seq)
{
    void *it = NULL;
    struct fy_node_pair *pair;
    char key[64];

    *seq = root;
    if (root == NULL || !fy_node_is_mapping(root))
        return 0;
    *seq = NULL;
    while ((pair = fy_node_mapping_iterate(root, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        const char *t = osim__node_text(k, key, sizeof(key));
        int rc;
        if (t != NULL && strcmp(t, "policies") == 0) {
            *seq = v;
        } else if (t != NULL && strcmp(t, "sources") == 0) {
            if ((rc = add_sources_node(ld, v, src)) != 0)
                return rc;
        } else {
            return osim__bind_error_at(ld->ctx, osim__bind_node_pos(k, src, at), OSIM_ESCHEMA,
                                       "unknown key '%s' in a policy file (known: sources, "
                                       "policies; or the file is a list of policies)",
                                       t != NULL ? t : "?");
        }
    }
    return 0;
}

/* The directory part of path ("." if none) joined with rel, unless rel is absolute. */
static void resolve_path(char *buf, size_t n, const char *base_file, const char *rel)
{
    const char *slash = strrchr(base_file, '/');

    int r;

    if (rel[0] == '/' || slash == NULL)
        r = snprintf(buf, n, "%s", rel);
    else
        r = snprintf(buf, n, "%.*s/%s", (int)(slash - base_file), base_file, rel);
    if (r < 0 || (size_t)r >= n)
        buf[0] = '\0'; /* too long: reported as "cannot open" */
}

/*
 * The origin of the policies of include item `item` (at ip, naming rel),
 * inside an include of origin parent (NULL at the top): its `rate:` if it
 * gives one (a number > 0), else the parent's.
 */
static int include_origin(loader *ld, struct fy_node *item, int src, osim__pos ip, const char *rel,
                          const pol_origin *parent, pol_origin *out)
{
    struct fy_node *rn = fy_node_mapping_lookup_by_string(item, "rate", FY_NT), *vn;
    char text[64], *end = NULL;
    double r;
    int vsrc, rc;

    memset(out, 0, sizeof(*out));
    if (parent != NULL)
        *out = *parent;
    out->included = true;
    out->at = ip;
    snprintf(out->file, sizeof(out->file), "%.127s", rel);
    if (rn == NULL)
        return 0;
    /* Like any value, the rate may carry its source or assumption; it is
     * recorded under policies.<name>.rate of each policy converted at it. */
    rc = osim__bind_annotated(ld->ctx, rn, src, osim__bind_node_pos(rn, src, ip), "rate", &vn,
                              &vsrc, &out->rate_prov);
    if (rc != 0)
        return rc;
    out->rate_at = osim__bind_node_pos(vn, vsrc, ip);
    if (osim__node_text(vn, text, sizeof(text)) == NULL ||
        (errno = 0, r = strtod(text, &end), end == text || *end != '\0' || errno != 0) ||
        !(r > 0.0) || !isfinite(r))
        return osim__bind_error_at(ld->ctx, out->rate_at, OSIM_ESCHEMA,
                                   "rate: expected a number > 0 (units of the scenario's currency "
                                   "per unit of the included policies' currency)");
    out->rate = r;
    return 0;
}

/*
 * Collect the policy items of seq (a `policies:` list, or an included
 * file's list) into ld, loading includes recursively. org: the include
 * that brought seq in (NULL for the scenario's own list).
 */
static int collect_policies(loader *ld, struct fy_node *seq, int src, const char *file,
                            osim__pos at, int depth, const pol_origin *org)
{
    void *it = NULL;
    struct fy_node *item;
    int rc;

    if (osim__node_is_null(seq))
        return 0;
    if (!fy_node_is_sequence(seq))
        return osim__bind_error_at(ld->ctx, osim__bind_node_pos(seq, src, at), OSIM_ESCHEMA,
                                   "policies: expected a list of policies or includes, got %s",
                                   fy_node_is_mapping(seq) ? "a mapping" : "a single value");
    while ((item = fy_node_sequence_iterate(seq, &it)) != NULL) {
        osim__pos ip = osim__bind_node_pos(item, src, at);
        struct fy_node *inc;
        char rel[PATH_LEN], full[PATH_LEN];
        pol_origin sub;
        size_t fi;
        if (!fy_node_is_mapping(item))
            return osim__bind_error_at(ld->ctx, ip, OSIM_ESCHEMA,
                                       "policies: each item must be a policy (name: ..., model: "
                                       "...) or an include (include: file.yaml)");
        inc = fy_node_mapping_lookup_by_string(item, "include", FY_NT);
        if (inc == NULL) {
            rc = add_policy_node(ld, item, src, org);
            if (rc != 0)
                return rc;
            continue;
        }
        if (fy_node_mapping_item_count(item) !=
            (fy_node_mapping_lookup_by_string(item, "rate", FY_NT) != NULL ? 2 : 1))
            return osim__bind_error_at(ld->ctx, ip, OSIM_ESCHEMA,
                                       "policies: an include item holds only 'include: FILE' "
                                       "and, for policies in another currency, 'rate: R'");
        if (osim__node_text(inc, rel, sizeof(rel)) == NULL || rel[0] == '\0')
            return osim__bind_error_at(ld->ctx, osim__bind_node_pos(inc, src, ip), OSIM_ESCHEMA,
                                       "include: expected a file name");
        if ((rc = include_origin(ld, item, src, ip, rel, org, &sub)) != 0)
            return rc;
        if (depth >= MAX_INCLUDE_DEPTH)
            return osim__bind_error_at(ld->ctx, osim__bind_node_pos(inc, src, ip), OSIM_ESCHEMA,
                                       "include: nested more than %d deep (does a file include "
                                       "itself?)",
                                       MAX_INCLUDE_DEPTH);
        resolve_path(full, sizeof(full), file, rel);
        rc = load_yaml(ld, full, NULL, 0, &fi);
        if (rc != 0) {
            osim_diag *d = osim__bind_diag(ld->ctx);
            /* A file that cannot be opened is the including line's fault. */
            if (d != NULL && d->line == 0 &&
                (rc == OSIM_ENOENT || rc == OSIM_EIO || rc == OSIM_EINVAL || rc == OSIM_ERANGE)) {
                char msg[OSIM_DIAG_MSG_MAX];
                memcpy(msg, d->msg, sizeof(msg));
                osim_diag_clear(d);
                osim__bind_error_at(ld->ctx, osim__bind_node_pos(inc, src, ip), rc,
                                    "include '%.200s': %.250s", full, msg);
            }
            return rc;
        }
        {
            const yaml_src *f = &ld->files[fi];
            osim__pos fat = {f->src, 1, 1};
            struct fy_node *list;
            rc = include_parts(ld, fy_document_root(f->doc), f->src, fat, &list);
            if (rc == 0)
                rc = collect_policies(ld, list, f->src, f->path, fat, depth + 1, &sub);
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* ------------------------------------------------------------ names and references */

/* A collection of named items, for resolving references. */
typedef struct coll {
    const char *key;  /* "sites" */
    const char *noun; /* "site" */
    const char *base;
    size_t size, count, name_offset;
} coll;

static int collections(const osim_scenario *sc, coll out[5])
{
    coll c[5] = {
        {"sites", "site", (const char *)sc->sites, sizeof(osim_site), sc->sites_count,
         offsetof(osim_site, name)},
        {"services", "service", (const char *)sc->services, sizeof(osim_service),
         sc->services_count, offsetof(osim_service, name)},
        {"topologies", "topology", (const char *)sc->topologies, sizeof(osim_topology),
         sc->topologies_count, offsetof(osim_topology, name)},
        {"businesses", "business segment", (const char *)sc->segments, sizeof(osim_segment),
         sc->segments_count, offsetof(osim_segment, name)},
        {"policies", "policy", (const char *)sc->policies, sizeof(osim_policy), sc->policies_count,
         offsetof(osim_policy, name)},
    };
    memcpy(out, c, sizeof(c));
    return 5;
}

static const char *coll_name(const coll *c, size_t i)
{
    return *(char *const *)(c->base + i * c->size + c->name_offset);
}

static const coll *find_coll(const coll *cs, int n, const char *key)
{
    int i;

    for (i = 0; i < n; i++)
        if (key != NULL && strcmp(cs[i].key, key) == 0)
            return &cs[i];
    return NULL;
}

static long coll_index(const coll *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->count; i++)
        if (strcmp(coll_name(c, i), name) == 0)
            return (long)i;
    return -1;
}

/* "a, b, c" of a collection's names (shortened if long). */
static void coll_names(const coll *c, char *buf, size_t n)
{
    size_t i, k = 0;

    buf[0] = '\0';
    for (i = 0; i < c->count; i++) {
        int w = snprintf(buf + k, n - k, "%s%s", i ? ", " : "", coll_name(c, i));
        if (w < 0 || (size_t)w >= n - k) {
            if (n > 8)
                snprintf(buf + n - 5, 5, "...");
            return;
        }
        k += (size_t)w;
    }
}

/* Names are unique and usable in --set paths (no '.', '=', spaces). */
static int check_names(osim_bind_ctx *ctx, const coll *c)
{
    size_t i, j;

    for (i = 0; i < c->count; i++) {
        const char *name = coll_name(c, i), *p;
        const void *addr = c->base + i * c->size + c->name_offset;
        if (name == NULL || name[0] == '\0')
            return osim_bind_error(ctx, addr, OSIM_ESCHEMA, "%s: empty name", c->key);
        for (p = name; *p != '\0'; p++)
            if (*p == '.' || *p == '=' || *p == ' ' || *p == '\t' || (unsigned char)*p < 0x20)
                return osim_bind_error(ctx, addr, OSIM_ESCHEMA,
                                       "%s name '%s' must not contain '.', '=', spaces or "
                                       "control characters (names are used in --set paths)",
                                       c->noun, name);
        for (j = 0; j < i; j++) {
            if (strcmp(coll_name(c, j), name) == 0) {
                const osim__note *first =
                    osim__bind_lookup(ctx, c->base + j * c->size + c->name_offset);
                return osim_bind_error(ctx, addr, OSIM_ESCHEMA,
                                       "duplicate %s name '%s' (first defined on line %d)", c->noun,
                                       name, first != NULL ? first->pos.line : 0);
            }
        }
    }
    return 0;
}

static int resolve_refs(osim_bind_ctx *ctx, const osim_scenario *sc)
{
    coll cs[5];
    int nc = collections(sc, cs);
    size_t n, i;
    const osim__ref *refs = osim__bind_refs(ctx, &n);

    for (i = 0; i < n; i++) {
        const coll *c = find_coll(cs, nc, refs[i].target);
        long k;
        if (c == NULL)
            return osim__bind_error_at(ctx, refs[i].pos, OSIM_EINTERNAL,
                                       "reference to unknown collection '%s'",
                                       refs[i].target ? refs[i].target : "(null)");
        k = coll_index(c, refs[i].name);
        if (k < 0) {
            const char *words[64];
            const char *near;
            char known[300];
            size_t j, m = c->count < 63 ? c->count : 63;
            for (j = 0; j < m; j++)
                words[j] = coll_name(c, j);
            words[m] = NULL;
            near = osim__closest(refs[i].name, words, m);
            if (near != NULL)
                return osim__bind_error_at(ctx, refs[i].pos, OSIM_EREF,
                                           "unknown %s '%s' (did you mean '%s'?)", c->noun,
                                           refs[i].name, near);
            coll_names(c, known, sizeof(known));
            return osim__bind_error_at(ctx, refs[i].pos, OSIM_EREF, "unknown %s '%s' (known: %s)",
                                       c->noun, refs[i].name, c->count ? known : "none");
        }
        *refs[i].slot = (size_t)k;
    }
    return 0;
}

/* A list of indices must not name anything twice. */
static int check_unique(osim_bind_ctx *ctx, const size_t *idx, size_t n, const coll *c,
                        const char *what)
{
    size_t i, j;

    for (i = 0; i < n; i++)
        for (j = 0; j < i; j++)
            if (idx[i] == idx[j])
                return osim_bind_error(ctx, &idx[i], OSIM_ESCHEMA, "%s lists %s '%s' twice", what,
                                       c->noun, coll_name(c, idx[i]));
    return 0;
}

/* ------------------------------------------------------------ semantic checks */

/* Kahn's algorithm over service dependencies; a cycle is named in full. */
static int order_services(osim_bind_ctx *ctx, osim_scenario *sc)
{
    size_t n = sc->services_count, i, j, head = 0, tail = 0;
    size_t *indeg, *queue, *order;
    int rc = 0;

    order = osim__arena_alloc(ctx, (n ? n : 1) * sizeof(size_t));
    indeg = calloc(n ? n : 1, sizeof(size_t));
    queue = calloc(n ? n : 1, sizeof(size_t));
    if (order == NULL || indeg == NULL || queue == NULL) {
        rc = OSIM_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++)
        indeg[i] = sc->services[i].deps_count;
    for (i = 0; i < n; i++)
        if (indeg[i] == 0)
            queue[tail++] = i;
    while (head < tail) {
        size_t s = queue[head++];
        order[head - 1] = s;
        /* Every service that needs s has one fewer unmet dependency. */
        for (i = 0; i < n; i++)
            for (j = 0; j < sc->services[i].deps_count; j++)
                if (sc->services[i].deps[j] == s && --indeg[i] == 0)
                    queue[tail++] = i;
    }
    if (tail < n) {
        /* Walk unmet dependencies from a stuck service until one repeats. */
        size_t *walk = queue, len = 0, start = 0, cur;
        char msg[OSIM_DIAG_MSG_MAX];
        size_t k = 0;
        for (cur = 0; cur < n && indeg[cur] == 0; cur++)
            ;
        for (;;) {
            size_t m;
            for (m = 0; m < len && walk[m] != cur; m++)
                ;
            if (m < len) {
                start = m;
                break;
            }
            walk[len++] = cur;
            for (j = 0; j < sc->services[cur].deps_count; j++)
                if (indeg[sc->services[cur].deps[j]] > 0)
                    break;
            cur = sc->services[cur].deps[j];
        }
        msg[0] = '\0';
        for (i = start; i < len; i++) {
            int w = snprintf(msg + k, sizeof(msg) - k, "%s -> ", sc->services[walk[i]].name);
            if (w > 0 && (size_t)w < sizeof(msg) - k)
                k += (size_t)w;
        }
        snprintf(msg + k, sizeof(msg) - k, "%s", sc->services[walk[start]].name);
        rc = osim_bind_error(ctx, &sc->services[walk[start]].deps, OSIM_ECYCLE,
                             "dependency cycle: %s", msg);
        goto done;
    }
    sc->topo_order = order;
done:
    free(indeg);
    free(queue);
    return rc;
}

static int check_incident(osim_bind_ctx *ctx, osim_scenario *sc)
{
    size_t i, j, k;

    for (i = 0; i < sc->incident_count; i++) {
        osim_incident_site *in = &sc->incident[i];
        for (k = 0; k < i; k++)
            if (sc->incident[k].site == in->site)
                return osim_bind_error(ctx, &in->site, OSIM_ESCHEMA,
                                       "incident lists site '%s' twice", sc->sites[in->site].name);
        for (j = 0; j < in->restoration_count; j++) {
            const osim_profile_point *p = &in->restoration[j];
            if (j > 0 && !(p->after_h > p[-1].after_h))
                return osim_bind_error(ctx, &p->after_h, OSIM_ERANGE,
                                       "restoration.profile: 'after' must be ascending (point "
                                       "%zu is not after point %zu)",
                                       j + 1, j);
            if (j > 0 && p->fraction < p[-1].fraction)
                return osim_bind_error(ctx, &p->fraction, OSIM_ERANGE,
                                       "restoration.profile: 'fraction' must not decrease (point "
                                       "%zu is below point %zu)",
                                       j + 1, j);
        }
        if (in->restoration_count > 0 && in->restoration[in->restoration_count - 1].fraction != 1.0)
            return osim_bind_error(ctx, &in->restoration[in->restoration_count - 1].fraction,
                                   OSIM_ERANGE,
                                   "restoration.profile: the last point must have fraction 1 "
                                   "(all racks powered in the end)");
        if (!(osim_dist_min(&in->restoration_scale) > 0.0))
            return osim_bind_error(ctx, &in->restoration_scale, OSIM_ERANGE,
                                   "restoration.scale must be > 0 (it multiplies the profile's "
                                   "time axis)%s",
                                   in->restoration_scale.kind == OSIM_DIST_NORMAL
                                       ? ": give a normal scale a 'min:' above 0"
                                       : "");
    }
    return 0;
}

/*
 * services[].systems, or its older name shards (one of the two): 1 to
 * OSIM_SYSTEMS_MAX each, and at most OSIM_SYSTEM_COPIES_MAX copies
 * (systems x sites) over the scenario, counted in *copies, since every
 * copy costs memory and draws in every replication. Afterwards both
 * fields hold the count.
 */
static int check_systems(osim_bind_ctx *ctx, const osim_scenario *sc, osim_service *s,
                         double *copies)
{
    const osim__note *ns = osim__bind_lookup(ctx, &s->systems);
    const osim__note *nh = osim__bind_lookup(ctx, &s->shards);
    bool given_s = ns != NULL && !(ns->flags & OSIM__P_DEFAULT);
    bool given_h = nh != NULL && !(nh->flags & OSIM__P_DEFAULT);
    double *n = given_h && !given_s ? &s->shards : &s->systems;
    const char *key = n == &s->shards ? "shards" : "systems";

    if (given_s && given_h)
        return osim_bind_error(ctx, &s->shards, OSIM_ESCHEMA,
                               "services.%s: give systems or its older name shards, not both",
                               s->name);
    if (*n < 1.0 || *n > OSIM_SYSTEMS_MAX || *n != floor(*n))
        return osim_bind_error(ctx, n, OSIM_ERANGE,
                               "services.%s.%s must be a whole number from 1 to %.0f", s->name, key,
                               OSIM_SYSTEMS_MAX);
    *copies += *n * (double)sc->sites_count;
    if (*copies > OSIM_SYSTEM_COPIES_MAX)
        return osim_bind_error(ctx, n, OSIM_ERANGE,
                               "services.%s.%s: the scenario would hold %.0f systems x sites "
                               "(every service's systems at each of %zu sites) up to here, "
                               "more than the limit of %.0f",
                               s->name, key, *copies, sc->sites_count, OSIM_SYSTEM_COPIES_MAX);
    s->systems = s->shards = *n;
    return 0;
}

static int check_services(osim_bind_ctx *ctx, osim_scenario *sc, const coll *svc)
{
    double copies = 0.0;
    size_t i;
    int rc;

    for (i = 0; i < sc->services_count; i++) {
        osim_service *s = &sc->services[i];
        char what[300];
        snprintf(what, sizeof(what), "services.%s.needs", s->name);
        rc = check_unique(ctx, s->deps, s->deps_count, svc, what);
        if (rc != 0)
            return rc;
        if (s->data_change_gb_per_h < 0.0)
            return osim_bind_error(ctx, &s->data_change_gb_per_h, OSIM_ERANGE,
                                   "services.%s.data_change must be >= 0", s->name);
        if (s->data_gb < 0.0)
            return osim_bind_error(ctx, &s->data_gb, OSIM_ERANGE, "services.%s.data must be >= 0",
                                   s->name);
        if ((rc = check_systems(ctx, sc, s, &copies)) != 0)
            return rc;
    }
    return order_services(ctx, sc);
}

/*
 * Whether a value was written in a file (not --set to its default). A value
 * --set to what the default already is (as `params` round trips do) is not
 * refused as having no effect; written in the file, it is.
 */
static bool written(const osim_bind_ctx *ctx, const void *addr, double v, double def)
{
    const osim__note *n = osim__bind_lookup(ctx, addr);

    return n != NULL && !(n->flags & OSIM__P_DEFAULT) &&
           (!osim__bind_source_is_override(ctx, n->pos.src) || v != def);
}

static bool topology_has_crews(const osim_topology *t)
{
    return t->crews >= 1.0 || t->site_crews_count > 0;
}

double osim_shift_length(const osim_shift *sh)
{
    return sh->to_h > sh->from_h ? sh->to_h - sh->from_h : sh->to_h + 24.0 - sh->from_h;
}

bool osim_shift_covers(const osim_shift *sh, double tod)
{
    return fmod(tod - sh->from_h + 24.0, 24.0) < osim_shift_length(sh);
}

/* Whether two shifts of one pool share an hour of the day: one starts inside the other. */
static bool shifts_overlap(const osim_shift *a, const osim_shift *b)
{
    return osim_shift_covers(a, b->from_h) || osim_shift_covers(b, a->from_h);
}

/*
 * Shift k of topology t: a pool that exists (the shared one of `crews`,
 * or a site of site_crews), times of day in [0, 24) that differ, a size
 * >= 1 that is not the pool's own (it would change nothing), and no hour
 * shared with another shift of the same pool.
 */
static int check_shift(osim_bind_ctx *ctx, osim_topology *t, size_t k, const coll *sites)
{
    osim_shift *sh = &t->shifts[k];
    double base = t->crews;
    size_t i;

    sh->site = -1;
    if (sh->site_name != NULL) {
        long s = coll_index(sites, sh->site_name);
        base = 0.0;
        if (s < 0)
            return osim_bind_error(ctx, &sh->site_name, OSIM_EREF,
                                   "topology '%s': shift at unknown site '%s'", t->name,
                                   sh->site_name);
        for (i = 0; i < t->site_crews_count; i++)
            if (t->site_crews[i].site == (size_t)s)
                base = t->site_crews[i].crews;
        if (base < 1.0)
            return osim_bind_error(ctx, &sh->site_name, OSIM_ESCHEMA,
                                   "topology '%s': shift at '%s', which has no pool of crews: "
                                   "give it one under site_crews",
                                   t->name, sh->site_name);
        sh->site = s;
    } else if (base < 1.0) {
        return osim_bind_error(ctx, &sh->crews, OSIM_ESCHEMA,
                               "topology '%s': a shift without `at` changes the shared pool, "
                               "but the topology declares no crews: %s",
                               t->name,
                               t->site_crews_count > 0 ? "name the site of its pool (at: X)"
                                                       : "declare crews");
    }
    if (!(sh->from_h >= 0.0 && sh->from_h < 24.0))
        return osim_bind_error(ctx, &sh->from_h, OSIM_ERANGE,
                               "topology '%s': a shift's from is a time of day, 0h to under 24h",
                               t->name);
    if (!(sh->to_h >= 0.0 && sh->to_h < 24.0))
        return osim_bind_error(ctx, &sh->to_h, OSIM_ERANGE,
                               "topology '%s': a shift's to is a time of day, 0h to under 24h",
                               t->name);
    if (sh->from_h == sh->to_h)
        return osim_bind_error(ctx, &sh->to_h, OSIM_ERANGE,
                               "topology '%s': a shift from and to the same time: give the pool "
                               "that size instead",
                               t->name);
    if (sh->crews < 1.0)
        return osim_bind_error(ctx, &sh->crews, OSIM_ERANGE,
                               "topology '%s': a shift's crews must be at least 1", t->name);
    if (sh->crews == base)
        return osim_bind_error(ctx, &sh->crews, OSIM_ESCHEMA,
                               "topology '%s': a shift of %g crew%s, the pool's own size, "
                               "changes nothing; remove it",
                               t->name, sh->crews, sh->crews == 1.0 ? "" : "s");
    for (i = 0; i < k; i++)
        if (t->shifts[i].site == sh->site && shifts_overlap(&t->shifts[i], sh))
            return osim_bind_error(ctx, &sh->from_h, OSIM_ESCHEMA,
                                   "topology '%s': two shifts of one pool overlap; a pool has one "
                                   "size at a time",
                                   t->name);
    return 0;
}

/*
 * Crews of a topology: a count >= 1 (`crews: 0` is refused: leave the key
 * out for unlimited hands), or a pool per named site, not both; with
 * crews, the topology's staff has nothing left to gate.
 */
static int check_crews(osim_bind_ctx *ctx, const osim_scenario *sc, osim_topology *t,
                       const coll *sites)
{
    size_t i, j;

    if (written(ctx, &t->crews, t->crews, 0.0) && t->crews < 1.0)
        return osim_bind_error(ctx, &t->crews, OSIM_ERANGE,
                               "topology '%s': crews must be at least 1 (leave it out for "
                               "unlimited hands)",
                               t->name);
    if (t->crews >= 1.0 && t->site_crews_count > 0)
        return osim_bind_error(ctx, &t->site_crews, OSIM_ESCHEMA,
                               "topology '%s': give crews (one pool for every site) or "
                               "site_crews (a pool per site), not both",
                               t->name);
    for (i = 0; i < t->site_crews_count; i++) {
        osim_site_crews *c = &t->site_crews[i];
        long k = coll_index(sites, c->name);
        if (k < 0)
            return osim_bind_error(ctx, &c->name, OSIM_EREF,
                                   "topology '%s': site_crews names unknown site '%s'", t->name,
                                   c->name);
        if (c->crews < 1.0)
            return osim_bind_error(ctx, &c->crews, OSIM_ERANGE,
                                   "topology '%s': site_crews.%s must be at least 1", t->name,
                                   c->name);
        c->site = (size_t)k;
        for (j = 0; j < i; j++)
            if (t->site_crews[j].site == c->site)
                return osim_bind_error(ctx, &c->name, OSIM_ESCHEMA,
                                       "topology '%s': site_crews names site '%s' twice", t->name,
                                       c->name);
    }
    if (topology_has_crews(t) && written(ctx, &t->staff, t->staff, 1.0))
        return osim_bind_error(ctx, &t->staff, OSIM_ESCHEMA,
                               "topology '%s': staff has no effect when the topology declares "
                               "crews (crews take the manual failovers)",
                               t->name);
    for (i = 0; i < t->shifts_count; i++) {
        int rc = check_shift(ctx, t, i, sites);
        if (rc != 0)
            return rc;
    }
    (void)sc;
    return 0;
}

/* A priority orders requests for crews: refused where no topology has any. */
static int check_priorities(osim_bind_ctx *ctx, const osim_scenario *sc)
{
    size_t i;

    for (i = 0; i < sc->services_count; i++)
        if (sc->services[i].priority > 1e6)
            return osim_bind_error(ctx, &sc->services[i].priority, OSIM_ERANGE,
                                   "services.%s.priority must be at most 1000000",
                                   sc->services[i].name);
    for (i = 0; i < sc->topologies_count; i++)
        if (topology_has_crews(&sc->topologies[i]))
            return 0;
    for (i = 0; i < sc->services_count; i++)
        if (written(ctx, &sc->services[i].priority, sc->services[i].priority, 0.0))
            return osim_bind_error(ctx, &sc->services[i].priority, OSIM_ESCHEMA,
                                   "services.%s.priority has no effect: no topology declares "
                                   "crews, so no recovery ever waits for one",
                                   sc->services[i].name);
    return 0;
}

static int check_placement(osim_bind_ctx *ctx, osim_scenario *sc, osim_topology *t,
                           osim_placement *p, const coll *sites, const coll *svc)
{
    const char *sname = sc->services[p->service].name;
    const osim__note *ls = osim__bind_lookup(ctx, &p->load_share);
    char what[300];
    size_t i, j;
    int rc;

    snprintf(what, sizeof(what), "topology '%s', service '%s': active", t->name, sname);
    rc = check_unique(ctx, p->active, p->active_count, sites, what);
    if (rc == 0) {
        snprintf(what, sizeof(what), "topology '%s', service '%s': standby", t->name, sname);
        rc = check_unique(ctx, p->standby, p->standby_count, sites, what);
    }
    if (rc == 0) {
        snprintf(what, sizeof(what), "topology '%s', service '%s': needs", t->name, sname);
        rc = check_unique(ctx, p->needs, p->needs_count, svc, what);
    }
    if (rc != 0)
        return rc;
    for (i = 0; i < p->standby_count; i++)
        for (j = 0; j < p->active_count; j++)
            if (p->standby[i] == p->active[j])
                return osim_bind_error(ctx, &p->standby[i], OSIM_ESCHEMA,
                                       "topology '%s', service '%s': site '%s' is both active "
                                       "and standby",
                                       t->name, sname, sc->sites[p->standby[i]].name);
    for (i = 0; i < p->needs_count; i++)
        if (p->needs[i] == p->service)
            return osim_bind_error(ctx, &p->needs[i], OSIM_ESCHEMA,
                                   "topology '%s', service '%s': a failover cannot need the "
                                   "service itself",
                                   t->name, sname);
    if (topology_has_crews(t) && written(ctx, &p->staff, p->staff, 1.0))
        return osim_bind_error(ctx, &p->staff, OSIM_ESCHEMA,
                               "topology '%s', service '%s': staff has no effect when the "
                               "topology declares crews (a manual failover takes one crew)",
                               t->name, sname);
    if (!topology_has_crews(t) && p->failover == OSIM_FAILOVER_MANUAL && p->staff > t->staff)
        return osim_bind_error(ctx, &p->staff, OSIM_ERANGE,
                               "topology '%s', service '%s': a manual failover needs %g staff "
                               "but the topology has %g",
                               t->name, sname, p->staff, t->staff);
    if (p->headroom < 0.0)
        return osim_bind_error(ctx, &p->headroom, OSIM_ERANGE,
                               "topology '%s', service '%s': headroom must be >= 0", t->name,
                               sname);
    if (ls != NULL && (ls->flags & OSIM__P_COUNTED) && ls->count > 0) {
        double sum = 0.0;
        if (ls->count != p->active_count)
            return osim_bind_error(ctx, &p->load_share, OSIM_ESCHEMA,
                                   "topology '%s', service '%s': load_share has %zu entries but "
                                   "active has %zu sites",
                                   t->name, sname, ls->count, p->active_count);
        for (i = 0; i < p->active_count; i++) {
            if (!(p->load_share[i] >= 0.0 && p->load_share[i] <= 1.0))
                return osim_bind_error(ctx, &p->load_share[i], OSIM_ERANGE,
                                       "topology '%s', service '%s': load_share entries must be "
                                       "in [0,1]",
                                       t->name, sname);
            sum += p->load_share[i];
        }
        if (fabs(sum - 1.0) > 1e-9)
            return osim_bind_error(ctx, &p->load_share, OSIM_ERANGE,
                                   "topology '%s', service '%s': load_share sums to %.10g, not 1",
                                   t->name, sname, sum);
    } else {
        p->load_share = osim__arena_alloc(ctx, p->active_count * sizeof(double));
        if (p->load_share == NULL)
            return OSIM_ENOMEM;
        for (i = 0; i < p->active_count; i++)
            p->load_share[i] = 1.0 / (double)p->active_count;
    }
    return 0;
}

static int check_topologies(osim_bind_ctx *ctx, osim_scenario *sc, const coll *sites,
                            const coll *svc)
{
    size_t ti, i, n = sc->services_count;
    size_t *perm = NULL;
    long *at = NULL;
    int rc = 0;

    perm = calloc(n ? n : 1, sizeof(*perm));
    at = calloc(n ? n : 1, sizeof(*at));
    if (perm == NULL || at == NULL) {
        rc = OSIM_ENOMEM;
        goto done;
    }
    for (ti = 0; ti < sc->topologies_count; ti++) {
        osim_topology *t = &sc->topologies[ti];
        const osim__note *pn = osim__bind_lookup(ctx, &t->placements);
        size_t count = pn != NULL ? pn->count : 0;
        osim_placement *sorted;
        for (i = 0; i < n; i++)
            at[i] = -1;
        for (i = 0; i < count; i++) {
            osim_placement *p = &t->placements[i];
            if (at[p->service] >= 0) {
                rc = osim_bind_error(ctx, &p->service, OSIM_ESCHEMA,
                                     "topology '%s' places service '%s' twice", t->name,
                                     sc->services[p->service].name);
                goto done;
            }
            at[p->service] = (long)i;
        }
        for (i = 0; i < n; i++) {
            if (at[i] < 0) {
                rc = osim_bind_error(ctx, &t->name, OSIM_ESCHEMA,
                                     "topology '%s' places service '%s' nowhere (every service "
                                     "needs an entry under its services:)",
                                     t->name, sc->services[i].name);
                goto done;
            }
        }
        if ((rc = check_crews(ctx, sc, t, sites)) != 0)
            goto done;
        for (i = 0; i < count; i++) {
            rc = check_placement(ctx, sc, t, &t->placements[i], sites, svc);
            if (rc != 0)
                goto done;
        }
        /* Index placements by service: placements[i].service == i. */
        sorted = osim__arena_alloc(ctx, (n ? n : 1) * sizeof(*sorted));
        if (sorted == NULL) {
            rc = OSIM_ENOMEM;
            goto done;
        }
        for (i = 0; i < count; i++) {
            perm[i] = t->placements[i].service;
            sorted[perm[i]] = t->placements[i];
        }
        rc = osim__bind_move(ctx, t->placements, sorted, sizeof(*sorted), count, perm);
        if (rc != 0)
            goto done;
        t->placements = sorted;
    }
done:
    free(perm);
    free(at);
    return rc;
}

/* Scale a profile to mean 1 (profiles are relative). */
static int normalise(osim_bind_ctx *ctx, double *x, size_t n, const char *what, const char *name)
{
    double sum = 0.0;
    size_t i;

    for (i = 0; i < n; i++)
        sum += x[i];
    if (!(sum > 0.0))
        return osim_bind_error(ctx, x, OSIM_ERANGE,
                               "businesses.%s.%s: at least one entry must be > 0", name, what);
    for (i = 0; i < n; i++)
        x[i] *= (double)n / sum;
    return 0;
}

/*
 * Active users are users x hourly[hour] x weekly[weekday]: at no hour of the
 * week may that exceed the users there are (a weekday multiplier of 9.95
 * made 248 million of 48 million users "affected at the peak").
 */
static int check_population(osim_bind_ctx *ctx, const osim_scenario *sc)
{
    const osim_population *p = &sc->population;
    size_t h, d, hm = 0, dm = 0;

    for (h = 1; h < 24; h++)
        if (p->hourly[h] > p->hourly[hm])
            hm = h;
    for (d = 1; d < 7; d++)
        if (p->weekly[d] > p->weekly[dm])
            dm = d;
    if (p->hourly[hm] * p->weekly[dm] > 1.0 + 1e-12)
        return osim_bind_error(ctx, p->weekly, OSIM_ERANGE,
                               "population: hourly.%zu x weekly.%zu = %g x %g = %g, more than "
                               "all users active at once: the share active in an hour times the "
                               "weekday multiplier must be at most 1",
                               hm, dm, p->hourly[hm], p->weekly[dm], p->hourly[hm] * p->weekly[dm]);
    return 0;
}

static int check_segments(osim_bind_ctx *ctx, osim_scenario *sc, const coll *svc)
{
    size_t i;
    int rc;

    for (i = 0; i < sc->segments_count; i++) {
        osim_segment *g = &sc->segments[i];
        char what[300];
        snprintf(what, sizeof(what), "businesses.%s.needs", g->name);
        rc = check_unique(ctx, g->deps, g->deps_count, svc, what);
        if (rc != 0)
            return rc;
        if (g->substitution + g->deferred > 1.0 + 1e-12)
            return osim_bind_error(ctx, &g->deferred, OSIM_ERANGE,
                                   "businesses.%s: substitution + deferred is %g, more than 1",
                                   g->name, g->substitution + g->deferred);
        rc = normalise(ctx, g->hourly_profile, 24, "hourly_profile", g->name);
        if (rc == 0)
            rc = normalise(ctx, g->weekly_profile, 7, "weekly_profile", g->name);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/*
 * populations: each group names at least two services, each service in one
 * group at most, each with users (a service with none changes no count).
 * Disjoint users cannot add up to more than everyone; a nested service's
 * users are a subset of the service's before it, so cannot be more of them.
 * Shares compare with the same 1e-12 slack as substitution + deferred.
 */
static int check_populations(osim_bind_ctx *ctx, const osim_scenario *sc, const coll *svc)
{
    size_t i, j, k, m;
    int rc;

    for (i = 0; i < sc->populations_count; i++) {
        const osim_population_group *g = &sc->populations[i];
        double sum = 0.0;
        char what[64];

        snprintf(what, sizeof(what), "populations.%zu.services", i);
        if (g->services_count < 2)
            return osim_bind_error(ctx,
                                   g->services_count > 0 ? (const void *)&g->services[0]
                                                         : (const void *)&g->overlap,
                                   OSIM_ESCHEMA,
                                   "%s: a group needs at least two services (one alone "
                                   "overlaps with nothing)",
                                   what);
        rc = check_unique(ctx, g->services, g->services_count, svc, what);
        if (rc != 0)
            return rc;
        for (j = 0; j < g->services_count; j++) {
            const osim_service *s = &sc->services[g->services[j]];
            /* The same service in an earlier group. */
            for (k = 0; k < i; k++)
                for (m = 0; m < sc->populations[k].services_count; m++)
                    if (sc->populations[k].services[m] == g->services[j])
                        return osim_bind_error(
                            ctx, &g->services[j], OSIM_ESCHEMA,
                            "%s: service '%s' is already in populations.%zu: a service's "
                            "users are in one group only",
                            what, s->name, k);
            if (!(s->user_share > 0.0))
                return osim_bind_error(ctx, &g->services[j], OSIM_ESCHEMA,
                                       "%s: service '%s' has no users (user_share 0), so how "
                                       "they overlap changes nothing",
                                       what, s->name);
            sum += s->user_share;
            if (g->overlap == OSIM_OVERLAP_DISJOINT && sum > 1.0 + 1e-12)
                return osim_bind_error(ctx, &g->services[j], OSIM_ERANGE,
                                       "%s: the user_share of disjoint services adds up to %g "
                                       "with '%s', more than all users (1)",
                                       what, sum, s->name);
            if (g->overlap == OSIM_OVERLAP_NESTED && j > 0 &&
                s->user_share > sc->services[g->services[j - 1]].user_share + 1e-12)
                return osim_bind_error(
                    ctx, &g->services[j], OSIM_ERANGE,
                    "%s: nested service '%s' (user_share %g) has more users than '%s' "
                    "(user_share %g) it is listed inside: list the outermost first",
                    what, s->name, s->user_share, sc->services[g->services[j - 1]].name,
                    sc->services[g->services[j - 1]].user_share);
        }
    }
    return 0;
}

static int check_header(osim_bind_ctx *ctx, osim_scenario *sc)
{
    int64_t local = sc->start_epoch_s, days, secs;

    if (!(sc->horizon_h > 0.0))
        return osim_bind_error(ctx, &sc->horizon_h, OSIM_ERANGE, "scenario.horizon must be > 0");
    /* The impact walk costs O(hours of horizon) while something is down:
     * ten years is far beyond any outage, and keeps a run bounded. */
    if (sc->horizon_h > OSIM_SCENARIO_MAX_HORIZON_H)
        return osim_bind_error(ctx, &sc->horizon_h, OSIM_ERANGE,
                               "scenario.horizon must be at most 3653d (ten years), not %gh",
                               sc->horizon_h);
    days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    secs = local - days * 86400;
    sc->start_weekday = (int)(((days % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
    sc->start_hour = (double)secs / 3600.0;
    sc->start_epoch_s = local - (int64_t)llround(sc->utc_offset_h * 3600.0);
    return 0;
}

static int check_economics(osim_bind_ctx *ctx, osim_scenario *sc, const coll *pols)
{
    osim_economics *e = &sc->economics;
    const osim__note *pn = osim__bind_lookup(ctx, &e->policies);
    size_t i;
    int rc;

    if (pn == NULL || (pn->flags & OSIM__P_DEFAULT)) {
        /* Default: every policy counts. */
        e->policies_count = sc->policies_count;
        e->policies =
            osim__arena_alloc(ctx, (sc->policies_count ? sc->policies_count : 1) * sizeof(size_t));
        if (e->policies == NULL)
            return OSIM_ENOMEM;
        for (i = 0; i < sc->policies_count; i++)
            e->policies[i] = i;
    } else {
        rc = check_unique(ctx, e->policies, e->policies_count, pols, "economics.policies");
        if (rc != 0)
            return rc;
    }
    if (e->baseline == NULL) {
        e->baseline = sc->topologies_count > 0 ? sc->topologies[0].name : NULL;
    } else if (osim_scenario_topology_index(sc, e->baseline) < 0) {
        char known[300];
        coll cs[5];
        collections(sc, cs);
        coll_names(&cs[2], known, sizeof(known));
        return osim_bind_error(ctx, &e->baseline, OSIM_EREF,
                               "economics.baseline: unknown topology '%s' (known: %s)", e->baseline,
                               known);
    }
    return 0;
}

/* ------------------------------------------------------------ incidents */

/* Was the field at addr given in the file (or by --set), not defaulted? */
static bool field_given(osim_bind_ctx *ctx, const void *addr)
{
    const osim__note *n = osim__bind_lookup(ctx, addr);

    return n != NULL && !(n->flags & OSIM__P_DEFAULT);
}

/*
 * The sites of catalogue incident k (k >= 1) get every check of the
 * scenario's own incident: they are put in sc->incident for the calls and
 * put back after, so the checks (and their messages) are the same code.
 */
static int check_catalogue_sites(osim_bind_ctx *ctx, osim_scenario *sc, osim_catalogue_incident *e)
{
    osim_incident_site *own = sc->incident;
    size_t own_count = sc->incident_count;
    int rc;

    sc->incident = e->sites;
    sc->incident_count = e->sites_count;
    rc = check_incident(ctx, sc);
    if (rc == 0)
        rc = osim__scenario_check_entries(ctx, sc);
    sc->incident = own;
    sc->incident_count = own_count;
    return rc;
}

/*
 * incidents: names unique and usable in paths, frequencies finite and >= 0,
 * the first entry the scenario's incident: (no sites: of its own), every
 * other with sites:. With a catalogue economics.incident_probability has
 * no effect (each incident has its frequency), so it is refused.
 */
static int check_catalogue(osim_bind_ctx *ctx, osim_scenario *sc)
{
    coll c = {"incidents",
              "incident",
              (const char *)sc->incidents,
              sizeof(osim_catalogue_incident),
              sc->incidents_count,
              offsetof(osim_catalogue_incident, name)};
    size_t k;
    int rc;

    if (sc->incidents_count == 0)
        return 0;
    if ((rc = check_names(ctx, &c)) != 0)
        return rc;
    if (field_given(ctx, &sc->economics.incident_probability_per_year))
        return osim_bind_error(ctx, &sc->economics.incident_probability_per_year, OSIM_ESCHEMA,
                               "economics.incident_probability has no effect with incidents: "
                               "(each incident has its own frequency); remove it");
    for (k = 0; k < sc->incidents_count; k++) {
        osim_catalogue_incident *e = &sc->incidents[k];
        if (!isfinite(e->frequency_per_year) || e->frequency_per_year < 0.0)
            return osim_bind_error(ctx, &e->frequency_per_year, OSIM_ERANGE,
                                   "incidents.%s.frequency must be a number of occurrences per "
                                   "year, >= 0 (got %g)",
                                   e->name, e->frequency_per_year);
        if (k == 0 && e->sites_count > 0)
            return osim_bind_error(ctx, &e->sites, OSIM_ESCHEMA,
                                   "incidents.%s: the first incident is the scenario's incident: "
                                   "-- give its sites there, not in sites:",
                                   e->name);
        if (k > 0 && e->sites_count == 0)
            return osim_bind_error(ctx, &e->sites, OSIM_ESCHEMA,
                                   "incidents.%s: missing required key 'sites' -- how the incident "
                                   "unfolds at each site it touches, as incident: (only the first "
                                   "incident is the scenario's incident:)",
                                   e->name);
        if (k > 0 && (rc = check_catalogue_sites(ctx, sc, e)) != 0)
            return rc;
    }
    return 0;
}

int osim_scenario_incident_view(const osim_scenario *sc, size_t k, osim_scenario *view)
{
    if (sc == NULL || view == NULL || k >= sc->incidents_count)
        return OSIM_EINVAL;
    *view = *sc;
    if (k > 0) {
        view->incident = sc->incidents[k].sites;
        view->incident_count = sc->incidents[k].sites_count;
    }
    view->incident_stream = k;
    /* Its economics count it at its own frequency: the incident's share
     * of the catalogue's expected annual loss. */
    view->economics.incident_probability_per_year = sc->incidents[k].frequency_per_year;
    view->incidents = NULL;
    view->incidents_count = 0;
    return 0;
}

/* ------------------------------------------------------------ policies */

/* The names of every kind in cat, comma-separated in buf (cut to fit), or
 * "none registered": for the message about a model nobody knows. */
static const char *known_kinds(const osim_model_catalogue *cat, char *buf, size_t n)
{
    osim_model_kind m;
    size_t k = 0, j;

    buf[0] = '\0';
    if (cat == NULL || cat->kind_at == NULL || !cat->kind_at(0, &m))
        return "none registered";
    for (j = 0; cat->kind_at(j, &m); j++) {
        int w = snprintf(buf + k, n - k, "%s%s", j ? ", " : "", m.name);
        if (w > 0 && (size_t)w < n - k)
            k += (size_t)w;
    }
    return buf;
}

static int bind_policies(loader *ld)
{
    osim_scenario *sc = ld->sc;
    osim_bind_ctx *ctx = ld->ctx;
    size_t i;
    int rc;

    sc->policies_count = ld->pol_count;
    if (ld->pol_count == 0)
        return 0;
    sc->policies = osim__arena_alloc(ctx, ld->pol_count * sizeof(osim_policy));
    if (sc->policies == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < ld->pol_count; i++) {
        struct fy_node *item = ld->pol_nodes[i], *params;
        int src = ld->pol_srcs[i];
        osim__pos none = {src, 0, 0};
        osim__pos ip = osim__bind_node_pos(item, src, none);
        osim_policy *p = &sc->policies[i];
        char path[300], name[128];
        osim_model_kind m;

        if (osim__node_text(fy_node_mapping_lookup_by_string(item, "name", FY_NT), name,
                            sizeof(name)) == NULL)
            snprintf(name, sizeof(name), "%zu", i);
        snprintf(path, sizeof(path), "policies.%s", name);
        rc = osim__bind_map(ctx, &osim__policy_schema, item, p, src, ip, path);
        if (rc != 0)
            return rc;
        if (!osim_model_catalogue_find(ld->models, p->model_name, &m)) {
            char known[300];
            return osim_bind_error(
                ctx, &p->model_name, OSIM_EREF, "policies.%s: unknown %s '%s' (known: %s)", name,
                ld->models != NULL && ld->models->what != NULL ? ld->models->what
                                                               : "compensation model",
                p->model_name, known_kinds(ld->models, known, sizeof(known)));
        }
        p->model = m.model;
        p->params_schema = m.params_schema;
        {
            /* The params key itself, for a position and for its source. */
            struct fy_node_pair *pp = NULL;
            void *it = NULL;
            struct fy_node_pair *pair;
            osim__pos kp = ip;
            while ((pair = fy_node_mapping_iterate(item, &it)) != NULL) {
                const char *k = fy_node_get_scalar0(fy_node_pair_key(pair));
                if (k != NULL && strcmp(k, "params") == 0)
                    pp = pair;
            }
            params = pp != NULL ? fy_node_pair_value(pp) : NULL;
            if (pp != NULL)
                kp = osim__bind_node_pos(fy_node_pair_key(pp), src, ip);
            snprintf(path, sizeof(path), "policies.%s.params", name);
            if (m.params_schema == NULL) {
                if (!osim__node_is_null(params) &&
                    !(fy_node_is_mapping(params) && fy_node_mapping_item_count(params) == 0))
                    return osim__bind_error_at(ctx, kp, OSIM_ESCHEMA,
                                               "%s: model '%s' takes no parameters", path, m.name);
                continue;
            }
            p->params = osim__arena_alloc(ctx, m.params_schema->size);
            if (p->params == NULL)
                return OSIM_ENOMEM;
            rc = osim__bind_note(ctx, p->params, kp, 0);
            if (rc == 0)
                rc = osim__bind_map(ctx, m.params_schema, params, p->params, src, kp, path);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ sources and provenance */

const char *osim_provenance_kind_name(osim_provenance_kind k)
{
    switch (k) {
    case OSIM_PROV_SOURCE: return "source";
    case OSIM_PROV_ASSUMPTION: return "assumption";
    case OSIM_PROV_SET: return "set";
    }
    return "?";
}

static bool str_same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool source_same(const osim_source *a, const osim_source *b)
{
    return str_same(a->id, b->id) && str_same(a->title, b->title) &&
           str_same(a->publisher, b->publisher) && str_same(a->date, b->date) &&
           str_same(a->url, b->url) && str_same(a->note, b->note);
}

/* One item of a `sources:` list into *s: a string (untitled) or a mapping. */
static int bind_source_item(loader *ld, struct fy_node *item, int src, osim__pos ip, osim_source *s)
{
    static const char *const keys[] = {"id", "title", "publisher", "date", "url", "note", NULL};
    osim_bind_ctx *ctx = ld->ctx;
    char buf[2048];
    void *it = NULL;
    struct fy_node_pair *pair;

    memset(s, 0, sizeof(*s));
    if (fy_node_is_scalar(item) && !fy_node_is_alias(item)) {
        if (osim__node_text(item, buf, sizeof(buf)) == NULL || buf[0] == '\0')
            return osim__bind_error_at(ctx, ip, OSIM_ESCHEMA,
                                       "scenario.sources: an empty or too long source");
        s->title = osim__arena_strdup(ctx, buf);
        return s->title != NULL ? 0 : OSIM_ENOMEM;
    }
    if (!fy_node_is_mapping(item))
        return osim__bind_error_at(ctx, ip, OSIM_ESCHEMA,
                                   "scenario.sources: each source is {id: S1, title: \"...\", "
                                   "publisher, date, url, note} or a string");
    while ((pair = fy_node_mapping_iterate(item, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        osim__pos kp = osim__bind_node_pos(k, src, ip);
        const char *key = osim__node_text(k, buf, sizeof(buf));
        char **slot[] = {&s->id, &s->title, &s->publisher, &s->date, &s->url, &s->note};
        size_t i;
        for (i = 0; key != NULL && keys[i] != NULL; i++)
            if (strcmp(key, keys[i]) == 0)
                break;
        if (key == NULL || keys[i] == NULL)
            return osim__bind_error_at(ctx, kp, OSIM_ESCHEMA,
                                       "scenario.sources: unknown key '%s' in a source (known: "
                                       "id, title, publisher, date, url, note)",
                                       key != NULL ? key : "?");
        if (osim__node_is_null(v))
            continue;
        if (!fy_node_is_scalar(v) || fy_node_is_alias(v) ||
            osim__node_text(v, buf, sizeof(buf)) == NULL)
            return osim__bind_error_at(ctx, osim__bind_node_pos(v, src, kp), OSIM_ESCHEMA,
                                       "scenario.sources: %s: expected a text value", keys[i]);
        *slot[i] = osim__arena_strdup(ctx, buf);
        if (*slot[i] == NULL)
            return OSIM_ENOMEM;
        if (i == 0 && (buf[0] == '\0' || strpbrk(buf, " \t\n,[]") != NULL))
            return osim__bind_error_at(ctx, osim__bind_node_pos(v, src, kp), OSIM_ESCHEMA,
                                       "scenario.sources: id '%s' must be one word (no spaces, "
                                       "commas or brackets), e.g. S1.2",
                                       buf);
    }
    if (s->id == NULL || s->title == NULL)
        return osim__bind_error_at(ctx, ip, OSIM_ESCHEMA,
                                   "scenario.sources: a source needs an id and a title ({id: "
                                   "S1, title: \"...\"}); a plain string is an untitled source");
    return 0;
}

/*
 * Every `sources:` list (the scenario's, then each included file's) into
 * sc->sources. An id may be declared again, by another file, only with the
 * very same fields: policy files carry the sources they cite, and a
 * scenario that includes several of them gets each source once.
 */
static int bind_sources(loader *ld)
{
    osim_bind_ctx *ctx = ld->ctx;
    osim_scenario *sc = ld->sc;
    size_t k, n = 0, i;

    for (k = 0; k < ld->src_count; k++) {
        osim__pos at = osim__bind_node_pos(ld->src_nodes[k], ld->src_srcs[k],
                                           (osim__pos){ld->src_srcs[k], 0, 0});
        if (!fy_node_is_sequence(ld->src_nodes[k]))
            return osim__bind_error_at(ctx, at, OSIM_ESCHEMA,
                                       "scenario.sources: expected a list of sources");
        n += (size_t)fy_node_sequence_item_count(ld->src_nodes[k]);
    }
    if (n == 0)
        return 0;
    sc->sources = osim__arena_alloc(ctx, n * sizeof(osim_source));
    if (sc->sources == NULL)
        return OSIM_ENOMEM;
    for (k = 0; k < ld->src_count; k++) {
        void *it = NULL;
        struct fy_node *item;
        int src = ld->src_srcs[k];
        while ((item = fy_node_sequence_iterate(ld->src_nodes[k], &it)) != NULL) {
            osim__pos ip = osim__bind_node_pos(item, src, (osim__pos){src, 0, 0});
            osim_source *s = &sc->sources[sc->sources_count];
            bool dup = false;
            int rc = bind_source_item(ld, item, src, ip, s);
            if (rc != 0)
                return rc;
            for (i = 0; s->id != NULL && i < sc->sources_count; i++) {
                if (!str_same(sc->sources[i].id, s->id))
                    continue;
                if (!source_same(&sc->sources[i], s))
                    return osim__bind_error_at(ctx, ip, OSIM_ESCHEMA,
                                               "scenario.sources: source %s is declared again "
                                               "with other fields (an id may be repeated, by an "
                                               "included file, only word for word)",
                                               s->id);
                dup = true;
            }
            if (!dup)
                sc->sources_count++;
        }
    }
    return 0;
}

static bool path_under(const char *path, const char *root)
{
    size_t n = strlen(root);

    return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '.');
}

/*
 * An include's rate: {value: R, assumption: ...} (or source:) sets the
 * rate of each of its policies that convert_policies converts at it (in
 * another currency, no rate of their own): recorded as the annotation of
 * policies.<name>.rate of each, before the ids are checked.
 */
static int include_rate_provenance(loader *ld)
{
    const osim_scenario *sc = ld->sc;
    size_t i;
    int rc;

    for (i = 0; i < sc->policies_count; i++) {
        const osim_policy *p = &sc->policies[i];
        const pol_origin *o = &ld->pol_origins[i];
        char path[160];
        if (o->rate_prov.path == NULL || p->rate != 0.0 || p->currency == NULL ||
            strcmp(p->currency, sc->currency) == 0)
            continue;
        snprintf(path, sizeof(path), "policies.%s.rate", p->name);
        if ((rc = osim__bind_add_prov(ld->ctx, &o->rate_prov, path)) != 0)
            return rc;
    }
    return 0;
}

/*
 * The annotations the binder met into sc->provenance, every id checked
 * against sc->sources; then the overrides: one that sets an annotated
 * value (or a key of an annotated distribution) turns its record into
 * OSIM_PROV_SET -- the note of the file no longer holds -- and one that
 * annotated nothing adds a record of its own.
 */
static int bind_provenance(loader *ld, const osim_override *ov, size_t n_ov)
{
    osim_bind_ctx *ctx = ld->ctx;
    osim_scenario *sc = ld->sc;
    const osim__prov *pv;
    size_t n, i, j, k;

    pv = osim__bind_provs(ctx, &n);
    if (n + n_ov == 0)
        return 0;
    sc->provenance = osim__arena_alloc(ctx, (n + n_ov) * sizeof(osim_provenance));
    if (sc->provenance == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < n; i++) {
        osim_provenance *p = &sc->provenance[sc->provenance_count++];
        for (j = 0; j < pv[i].ids_count; j++) {
            for (k = 0; k < sc->sources_count; k++)
                if (str_same(sc->sources[k].id, pv[i].ids[j]))
                    break;
            if (k == sc->sources_count) {
                char known[400];
                size_t w = 0;
                known[0] = '\0';
                for (k = 0; k < sc->sources_count && w + 1 < sizeof(known); k++) {
                    int r;
                    if (sc->sources[k].id == NULL)
                        continue;
                    r = snprintf(known + w, sizeof(known) - w, "%s%s", w ? ", " : "",
                                 sc->sources[k].id);
                    if (r < 0 || (size_t)r >= sizeof(known) - w)
                        break;
                    w += (size_t)r;
                }
                return osim__bind_error_at(ctx, pv[i].id_pos[j], OSIM_EREF,
                                           "%s: unknown source '%s' (declared in "
                                           "scenario.sources: %s)",
                                           pv[i].path, pv[i].ids[j], w ? known : "none");
            }
        }
        p->path = pv[i].path;
        p->kind = (osim_provenance_kind)pv[i].kind;
        p->ids = pv[i].ids;
        p->ids_count = pv[i].ids_count;
        p->reason = pv[i].reason;
        p->note = pv[i].note;
    }
    for (j = 0; j < n_ov; j++) {
        bool hit = false;
        char *what = osim__arena_alloc(ctx, strlen(ov[j].path) + strlen(ov[j].value) + 2);
        if (what == NULL)
            return OSIM_ENOMEM;
        snprintf(what, strlen(ov[j].path) + strlen(ov[j].value) + 2, "%s=%s", ov[j].path,
                 ov[j].value);
        /* An override that replaced an annotated value whole took its annotation
         * with it (the binder never saw it); one that set a key of an annotated
         * distribution or list left the annotation, which no longer holds. A
         * whole item's record (a service's source) still holds for the rest. */
        for (i = 0; i < n; i++) {
            osim_provenance *p = &sc->provenance[i];
            if (pv[i].item || !path_under(ov[j].path, p->path))
                continue;
            p->kind = OSIM_PROV_SET;
            p->ids = NULL;
            p->ids_count = 0;
            p->reason = NULL;
            p->note = what;
            hit = true;
        }
        if (!hit) {
            osim_provenance *p = &sc->provenance[sc->provenance_count++];
            memset(p, 0, sizeof(*p));
            p->path = osim__arena_strdup(ctx, ov[j].path);
            if (p->path == NULL)
                return OSIM_ENOMEM;
            p->kind = OSIM_PROV_SET;
            p->note = what;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ currency */

/* 2^63: the first whole amount an int64 money field cannot hold. */
#define MONEY_LIMIT 9223372036854775808.0

static int check_currency(osim_bind_ctx *ctx, const osim_scenario *sc)
{
    if (osim_currency_find(sc->currency) == NULL)
        return osim_bind_error(ctx, &sc->currency, OSIM_ESCHEMA,
                               "scenario.currency: unknown currency '%s' (supported: %s)",
                               sc->currency != NULL ? sc->currency : "", osim_currency_codes());
    return 0;
}

/*
 * Multiply every money field of the params struct at base (schema s),
 * through nested maps and lists, by rate, rounding once to whole units
 * (half away from zero, llround). A product past 2^63 is an error at the
 * field's value.
 */
static int convert_money(osim_bind_ctx *ctx, const osim_schema *s, char *base, double rate,
                         const char *path, const char *cur)
{
    size_t i, k;
    int rc;

    for (i = 0; i < s->fields_count; i++) {
        const osim_field *f = &s->fields[i];
        char *slot = base + f->offset, sub[300];

        osim__path_join(sub, sizeof(sub), path, f->key);
        if (f->type == OSIM_FT_MONEY) {
            int64_t *v = (int64_t *)(void *)slot;
            double x = (double)*v * rate;
            if (!(x < MONEY_LIMIT))
                return osim_bind_error(ctx, v, OSIM_ERANGE,
                                       "%s: out of range: %lld x rate %.15g is past 2^63 %s", sub,
                                       (long long)*v, rate, cur);
            *v = (int64_t)llround(x);
        } else if (f->type == OSIM_FT_DIST_MONEY) {
            /* No compensation model takes one; refuse rather than leave it unconverted. */
            return osim_bind_error(ctx, slot, OSIM_ESCHEMA,
                                   "%s: a distribution of money cannot be converted at a rate: "
                                   "write the policy in the scenario's currency",
                                   sub);
        } else if (f->type == OSIM_FT_MAP && f->sub != NULL && !(f->flags & OSIM_F_CUSTOM)) {
            if ((rc = convert_money(ctx, f->sub, slot, rate, sub, cur)) != 0)
                return rc;
        } else if (f->type == OSIM_FT_SEQ && f->sub != NULL) {
            char *items = *(char **)(void *)slot;
            size_t n;
            if (f->count_offset != OSIM_NO_COUNT) {
                n = *(const size_t *)(const void *)(base + f->count_offset);
            } else {
                const osim__note *note = osim__bind_lookup(ctx, slot);
                n = note != NULL && (note->flags & OSIM__P_COUNTED) ? note->count : 0;
            }
            for (k = 0; items != NULL && k < n; k++) {
                char item[340];
                snprintf(item, sizeof(item), "%s.%zu", sub, k);
                if ((rc = convert_money(ctx, f->sub, items + k * f->sub->size, rate, item, cur)) !=
                    0)
                    return rc;
            }
        }
    }
    return 0;
}

/*
 * A policy written in another currency than the scenario's (its
 * `currency:`) needs a rate -- its own `rate:` or that of the include that
 * brought it in -- and its money parameters are converted with it, once,
 * at load; the models never see another currency. A policy's own rate
 * with nothing to convert is refused: it would suggest a conversion that
 * does not happen.
 */
static int convert_policies(loader *ld)
{
    osim_scenario *sc = ld->sc;
    osim_bind_ctx *ctx = ld->ctx;
    size_t i;
    int rc;

    for (i = 0; i < sc->policies_count; i++) {
        osim_policy *p = &sc->policies[i];
        const pol_origin *o = &ld->pol_origins[i];
        const char *pc = p->currency != NULL ? p->currency : sc->currency;
        /* rate 0 (the default) is no rate, so that `params` output loads back. */
        bool own_rate = p->rate != 0.0;
        double rate = own_rate ? p->rate : o->rate;
        char path[160];

        snprintf(path, sizeof(path), "policies.%s.params", p->name);
        if (p->currency != NULL && osim_currency_find(p->currency) == NULL)
            return osim_bind_error(ctx, &p->currency, OSIM_ESCHEMA,
                                   "policies.%s.currency: unknown currency '%s' (supported: %s)",
                                   p->name, p->currency, osim_currency_codes());
        if (own_rate && !(p->rate > 0.0 && isfinite(p->rate)))
            return osim_bind_error(ctx, &p->rate, OSIM_ERANGE,
                                   "policies.%s.rate: must be > 0 (%s per %s)", p->name,
                                   sc->currency, pc);
        if (strcmp(pc, sc->currency) == 0) {
            p->rate = 0.0;
            if (own_rate)
                return osim_bind_error(ctx, &p->rate, OSIM_ESCHEMA,
                                       "policies.%s.rate: the policy is already in %s, the "
                                       "scenario's currency: there is nothing to convert",
                                       p->name, sc->currency);
            /* An include's rate applies to those of its policies in another
             * currency: one in the scenario's (or listed so by `params`) is
             * left as it is. */
            continue;
        }
        if (!(rate > 0.0)) {
            if (o->included)
                return osim__bind_error_at(
                    ctx, o->at, OSIM_ESCHEMA,
                    "include '%s': policy %s is in %s, the scenario in %s: give the conversion "
                    "rate (%s per %s), e.g. {include: %s, rate: R}",
                    o->file, p->name, pc, sc->currency, sc->currency, pc, o->file);
            return osim_bind_error(ctx, &p->currency, OSIM_ESCHEMA,
                                   "policies.%s: the policy is in %s, the scenario in %s: give "
                                   "the conversion rate (%s per %s) as rate: R",
                                   p->name, pc, sc->currency, sc->currency, pc);
        }
        if (p->params_schema != NULL && p->params != NULL &&
            (rc = convert_money(ctx, p->params_schema, p->params, rate, path, sc->currency)) != 0)
            return rc;
        /* Now a policy in the scenario's currency, with a record of how. */
        p->converted_from = p->currency;
        p->converted_rate = rate;
        p->currency = NULL;
        p->rate = 0.0;
    }
    return 0;
}

/* Models check their own parameters once every name is resolved. */
static int validate_policies(osim_bind_ctx *ctx, osim_scenario *sc,
                             const osim_model_catalogue *models)
{
    size_t i;
    int rc;

    for (i = 0; i < sc->policies_count; i++) {
        osim_policy *p = &sc->policies[i];
        const osim__note *pn;
        osim_model_kind m;
        /* Found when bound: the catalogue is constant data. */
        if (!osim_model_catalogue_find(models, p->model_name, &m))
            return OSIM_EINTERNAL;
        if (m.validate == NULL || p->params == NULL)
            continue;
        pn = osim__bind_lookup(ctx, p->params);
        if (pn != NULL)
            osim__bind_set_fallback(ctx, pn->pos);
        rc = m.validate(p->params, ctx);
        if (rc != 0) {
            osim_diag *d = osim__bind_diag(ctx);
            if (d != NULL && d->code == 0)
                osim_bind_error(ctx, p->params, rc, "policies.%s.params: rejected by model '%s'",
                                p->name, m.name);
            return rc;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ load */

static int finish_sha(loader *ld, const osim_override *ov, size_t n_ov)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0, i;
    size_t k;

    for (k = 0; k < n_ov; k++) {
        if (EVP_DigestUpdate(ld->sha, "\n--set ", 7) != 1 ||
            EVP_DigestUpdate(ld->sha, ov[k].path, strlen(ov[k].path)) != 1 ||
            EVP_DigestUpdate(ld->sha, "=", 1) != 1 ||
            EVP_DigestUpdate(ld->sha, ov[k].value, strlen(ov[k].value)) != 1)
            return OSIM_EINTERNAL;
    }
    if (EVP_DigestFinal_ex(ld->sha, md, &len) != 1 || len != 32)
        return OSIM_EINTERNAL;
    for (i = 0; i < len; i++)
        snprintf(ld->sc->sha256 + 2 * i, 3, "%02x", md[i]);
    return 0;
}

/*
 * An arena copy of s with every byte that is not part of valid UTF-8
 * replaced by U+FFFD: sc->path is only shown (reports, JSON), and a file
 * name may be any bytes, while the JSON document must be UTF-8.
 */
static char *utf8_copy(osim_bind_ctx *ctx, const char *s)
{
    size_t n = strlen(s), o = 0;
    const char *p = s, *bad;
    char *buf, *out;

    if (osim__utf8_invalid(s, n) == NULL)
        return osim__arena_strdup(ctx, s);
    if ((buf = malloc(3 * n + 1)) == NULL)
        return NULL;
    while ((bad = osim__utf8_invalid(p, n - (size_t)(p - s))) != NULL) {
        memcpy(buf + o, p, (size_t)(bad - p));
        o += (size_t)(bad - p);
        memcpy(buf + o, "\xEF\xBF\xBD", 3);
        o += 3;
        p = bad + 1;
    }
    memcpy(buf + o, p, n - (size_t)(p - s) + 1);
    out = osim__arena_strdup(ctx, buf);
    free(buf);
    return out;
}

/* Overrides are scenario text too: UTF-8, like the file (a name with an
 * invalid byte would otherwise drop out of the JSON document silently). */
static int check_overrides_text(const osim_override *ov, size_t n, osim_diag *diag)
{
    size_t k;

    for (k = 0; k < n; k++) {
        const char *parts[2] = {ov[k].path, ov[k].value};
        int i;
        for (i = 0; i < 2; i++) {
            const char *bad = osim__utf8_invalid(parts[i], strlen(parts[i]));
            if (bad != NULL)
                return osim_diag_set(diag, OSIM_ESYNTAX, "--set", 0, 0,
                                     "the %s of override %zu is not UTF-8 text (byte 0x%02X at "
                                     "offset %zu): write names and values in UTF-8",
                                     i == 0 ? "path" : "value", k + 1,
                                     (unsigned)(unsigned char)*bad, (size_t)(bad - parts[i]));
        }
    }
    return 0;
}

/* ov: the overrides as given (hashed); apply: what they stand for (scale
 * overrides expanded). */
static int load(loader *ld, const char *path, const char *data, size_t data_len,
                const osim_override *ov, size_t n_ov, const osim_override *apply, size_t n_apply)
{
    osim_bind_ctx *ctx = ld->ctx;
    osim_scenario *sc = ld->sc;
    struct fy_node *root;
    osim__pos top;
    size_t fi;
    coll cs[5];
    int rc;

    sc->path = utf8_copy(ctx, path);
    if (sc->path == NULL)
        return OSIM_ENOMEM;
    rc = load_yaml(ld, path, data, data_len, &fi);
    if (rc != 0)
        return rc;
    root = fy_document_root(ld->files[fi].doc);
    top.src = ld->files[fi].src;
    top.line = top.col = 1;
    top = osim__bind_node_pos(root, top.src, top);
    if (!fy_node_is_mapping(root))
        return osim__bind_error_at(ctx, top, OSIM_ESCHEMA,
                                   "expected a mapping of sections (scenario:, sites:, ...) at "
                                   "the top of the file");
    {
        /* The scenario's own sources come first, then each included file's. */
        struct fy_node *hdr = fy_node_mapping_lookup_by_string(root, "scenario", FY_NT);
        if (hdr != NULL && fy_node_is_mapping(hdr))
            rc = add_sources_node(ld, fy_node_mapping_lookup_by_string(hdr, "sources", FY_NT),
                                  top.src);
        else
            rc = 0;
    }
    if (rc == 0)
        rc = collect_policies(ld, fy_node_mapping_lookup_by_string(root, "policies", FY_NT),
                              top.src, path, top, 0, NULL);
    if (rc != 0)
        return rc;
    rc = osim__override_apply(ctx, root, ld->pol_nodes, ld->pol_count, apply, n_apply, ld->models);
    if (rc != 0)
        return rc;
    rc = osim__bind_map(ctx, &osim__scenario_schema, root, sc, top.src, top, "");
    if (rc == 0)
        rc = check_currency(ctx, sc);
    if (rc == 0)
        rc = bind_policies(ld);
    if (rc == 0)
        rc = bind_sources(ld);
    if (rc == 0)
        rc = include_rate_provenance(ld);
    if (rc == 0)
        rc = bind_provenance(ld, apply, n_apply);
    if (rc == 0)
        rc = convert_policies(ld);
    if (rc != 0)
        return rc;

    collections(sc, cs);
    for (fi = 0; fi < 5; fi++) {
        rc = check_names(ctx, &cs[fi]);
        if (rc != 0)
            return rc;
    }
    rc = resolve_refs(ctx, sc);
    if (rc == 0)
        rc = check_header(ctx, sc);
    if (rc == 0)
        rc = check_incident(ctx, sc);
    if (rc == 0)
        rc = osim__scenario_check_zones(ctx, sc);
    if (rc == 0)
        rc = check_catalogue(ctx, sc);
    if (rc == 0)
        rc = check_services(ctx, sc, &cs[1]);
    if (rc == 0)
        rc = check_topologies(ctx, sc, &cs[0], &cs[1]);
    if (rc == 0)
        rc = osim__scenario_check_effect(ctx, sc);
    if (rc == 0)
        rc = check_priorities(ctx, sc);
    if (rc == 0)
        rc = osim__scenario_check_copies(ctx, sc);
    if (rc == 0)
        rc = osim__scenario_check_migrate(ctx, sc);
    if (rc == 0)
        rc = check_population(ctx, sc);
    if (rc == 0)
        rc = check_segments(ctx, sc, &cs[1]);
    if (rc == 0)
        rc = check_populations(ctx, sc, &cs[1]);
    if (rc == 0)
        rc = check_economics(ctx, sc, &cs[4]);
    if (rc == 0)
        rc = validate_policies(ctx, sc, ld->models);
    if (rc == 0)
        rc = osim__scenario_check_limits(ctx, sc);
    if (rc == 0)
        rc = finish_sha(ld, ov, n_ov);
    return rc;
}

/* osim_scenario_load and osim_scenario_load_buffer: data NULL reads path. */
static int load_scenario(const char *path, const char *data, size_t data_len,
                         const osim_scenario_options *opt, osim_scenario **out, osim_diag *diag)
{
    static const osim_scenario_options none = {NULL, 0, NULL};
    osim__scenario_priv *priv = NULL;
    osim_scenario *sc = NULL;
    osim_override *expanded = NULL;
    size_t n_expanded = 0;
    const osim_override *overrides;
    size_t n_overrides;
    loader ld;
    int rc;

    osim_diag_clear(diag);
    *out = NULL;
    memset(&ld, 0, sizeof(ld));
    if (opt == NULL)
        opt = &none;
    overrides = opt->overrides;
    n_overrides = opt->n_overrides;
    ld.models = opt->policy_models;
    if (path == NULL || (overrides == NULL && n_overrides > 0))
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "no scenario file given");
    if ((rc = check_overrides_text(overrides, n_overrides, diag)) != 0)
        return rc;
    rc = osim__override_expand(path, data, data_len, overrides, n_overrides, ld.models, &expanded,
                               &n_expanded, diag);
    if (rc != 0)
        return rc;
    sc = calloc(1, sizeof(*sc));
    priv = calloc(1, sizeof(*priv));
    ld.ctx = osim__bind_ctx_new(diag);
    ld.sha = EVP_MD_CTX_new();
    if (sc == NULL || priv == NULL || ld.ctx == NULL || ld.sha == NULL) {
        rc = osim_diag_set(diag, OSIM_ENOMEM, path, 0, 0, "out of memory loading the scenario");
        goto fail;
    }
    if (EVP_DigestInit_ex(ld.sha, EVP_sha256(), NULL) != 1) {
        rc = osim_diag_set(diag, OSIM_EINTERNAL, path, 0, 0, "cannot initialise SHA-256");
        goto fail;
    }
    ld.sc = sc;
    rc = load(&ld, path, data, data_len, overrides, n_overrides,
              expanded != NULL ? expanded : overrides, expanded != NULL ? n_expanded : n_overrides);
    if (rc != 0) {
        if (diag != NULL && diag->code == 0)
            osim_diag_set(diag, rc, path, 0, 0, "%s", osim_strerror(rc));
        osim__override_hint(diag, overrides, n_overrides);
        goto fail;
    }
    osim_overrides_free(expanded, n_expanded);
    loader_free(&ld);
    osim__bind_set_diag(ld.ctx, NULL); /* the caller's diag may not outlive the scenario */
    priv->ctx = ld.ctx;
    sc->priv = priv;
    *out = sc;
    return 0;
fail:
    osim_overrides_free(expanded, n_expanded);
    loader_free(&ld);
    osim__bind_ctx_free(ld.ctx);
    free(priv);
    free(sc);
    return rc;
}

int osim_scenario_load(const char *path, const osim_scenario_options *opt, osim_scenario **out,
                       osim_diag *diag)
{
    return load_scenario(path, NULL, 0, opt, out, diag);
}

int osim_scenario_load_buffer(const char *name, const char *data, size_t len,
                              const osim_scenario_options *opt, osim_scenario **out,
                              osim_diag *diag)
{
    if (data == NULL && len > 0) {
        *out = NULL;
        return osim_diag_set(diag, OSIM_EINVAL, name, 0, 0, "no scenario text given");
    }
    return load_scenario(name, data != NULL ? data : "", len, opt, out, diag);
}

size_t osim_service_systems(const osim_service *s)
{
    if (s->systems >= 1.0)
        return (size_t)s->systems;
    return s->shards >= 1.0 ? (size_t)s->shards : 1;
}

bool osim_service_stateless(const osim_service *s)
{
    return s->data_gb == 0.0 && s->data_change_gb_per_h == 0.0;
}

int osim_scenario_error_at(const osim_scenario *sc, const void *field_addr, int code,
                           osim_diag *diag, const char *fmt, ...)
{
    osim__scenario_priv *priv = sc != NULL ? sc->priv : NULL;
    char msg[OSIM_DIAG_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (priv == NULL || priv->ctx == NULL)
        return osim_diag_set(diag, code, sc != NULL ? sc->path : NULL, 0, 0, "%s", msg);
    /* The context reports into no diag once loaded (the caller's may not
     * outlive the scenario): lend it this one for the one message. */
    osim__bind_set_diag(priv->ctx, diag);
    osim_bind_error(priv->ctx, field_addr, code, "%s", msg);
    osim__bind_set_diag(priv->ctx, NULL);
    return code;
}

void osim_scenario_free(osim_scenario *sc)
{
    osim__scenario_priv *priv;

    if (sc == NULL)
        return;
    priv = sc->priv;
    if (priv != NULL)
        osim__bind_ctx_free(priv->ctx);
    free(priv);
    free(sc);
}

long osim_scenario_service_index(const osim_scenario *sc, const char *name)
{
    size_t i;

    for (i = 0; i < sc->services_count; i++)
        if (strcmp(sc->services[i].name, name) == 0)
            return (long)i;
    return -1;
}

long osim_scenario_site_index_n(const osim_scenario *sc, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < sc->sites_count; i++)
        if (strlen(sc->sites[i].name) == len && strncmp(sc->sites[i].name, name, len) == 0)
            return (long)i;
    return -1;
}

long osim_scenario_site_index(const osim_scenario *sc, const char *name)
{
    return osim_scenario_site_index_n(sc, name, strlen(name));
}

long osim_site_zone_index(const osim_site *s, const char *name)
{
    size_t z;

    for (z = 0; z < s->zones_count; z++)
        if (strcmp(s->zones[z].name, name) == 0)
            return (long)z;
    return -1;
}

long osim_scenario_topology_index(const osim_scenario *sc, const char *name)
{
    size_t i;

    for (i = 0; i < sc->topologies_count; i++)
        if (strcmp(sc->topologies[i].name, name) == 0)
            return (long)i;
    return -1;
}
