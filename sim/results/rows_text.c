/*
 * rows_text.c -- the text codec of a row block: replications.csv.
 *
 * Invariant: reading is the inverse of writing. Every value is written at
 * 17 significant digits, which strtod reads back to the same double, and
 * the reader accepts exactly the lines the writer makes for the block's
 * shape and range (columns, replication indices and topologies in order),
 * so a block read back holds the bits that were written. Fields are RFC
 * 4180: quoted when they contain a comma, a quote or a line break.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/str.h"
#include "outagesim/rows.h"
#include "results/rows_int.h"

/* ------------------------------------------------------------ writing */

/*
 * x as "%.17g" would write it, into buf (>= 32 bytes); returns the length.
 * Two thirds of a run's values are whole numbers (zeros, counts, won), for
 * which printf's exact decimal conversion is needlessly slow: below 10^15
 * "%.17g" writes a whole number as its plain digits, and so does this.
 */
static size_t format17(char *buf, double x)
{
    if (x == 0.0) {
        buf[0] = '0';
        buf[1] = '\0';
        return 1;
    }
    if (fabs(x) < 1e15 && x == (double)(long long)x) {
        char tmp[24];
        unsigned long long v = (unsigned long long)(x < 0 ? -x : x);
        size_t n = 0, k = 0;
        while (v > 0) {
            tmp[n++] = (char)('0' + v % 10);
            v /= 10;
        }
        if (x < 0)
            buf[k++] = '-';
        while (n > 0)
            buf[k++] = tmp[--n];
        buf[k] = '\0';
        return k;
    }
    return (size_t)snprintf(buf, 32, "%.17g", x);
}

/* A comment for readers that skip '#' lines (gnuplot, pandas with
 * comment='#', R with comment.char='#'); the reader skips it too. */
void osim_rows_write_provenance(const osim_rows *b, FILE *f)
{
    const osim_rows_shape *s = &b->shape;

    fprintf(
        f,
        "# outagesim %s; scenario %s; file %s; sha256 %s; seed %llu; replications %llu..%llu%s\n",
        s->version, s->scenario_name, s->scenario_file, s->sha256, (unsigned long long)s->seed,
        (unsigned long long)b->from, (unsigned long long)(b->to > b->from ? b->to - 1 : b->from),
        b->interrupted ? "; interrupted" : "");
}

int osim_rows_write_text(const osim_rows *b, FILE *f, osim_diag *diag)
{
    return osim__rows_write_text_from(b, NULL, NULL, f, diag);
}

#define FETCH_REPS 256u /* replications fetched at once from a source */

int osim__rows_write_text_from(const osim_rows *b, osim__rows_fetch fetch, void *ud, FILE *f,
                               osim_diag *diag)
{
    const osim_rows_shape *s = &b->shape;
    size_t T = s->topologies_count, M = s->columns_count, t, m;
    uint64_t i, n = b->to - b->from, have = 0, first = 0;
    double *rows = NULL;
    int rc;

    if (s->kind != OSIM_ROWS_VALUES)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "counts have no text codec");
    if (fetch != NULL && (rows = malloc(FETCH_REPS * T * M * sizeof(double) + 1)) == NULL)
        return OSIM_ENOMEM;
    osim_rows_write_provenance(b, f);
    fputs("replication,topology", f);
    for (m = 0; m < M; m++) {
        fputc(',', f);
        osim__csv_field(f, s->columns[m]);
    }
    fputc('\n', f);
    for (i = 0; i < n; i++) {
        if (fetch != NULL && i >= first + have) {
            first = i;
            have = n - i < FETCH_REPS ? n - i : FETCH_REPS;
            if ((rc = fetch(ud, i, (size_t)have, rows)) != 0) {
                free(rows);
                return osim_diag_set(diag, rc, NULL, 0, 0, "cannot read the rows back: %s",
                                     osim_strerror(rc));
            }
        }
        for (t = 0; t < T; t++) {
            const double *row =
                fetch != NULL ? rows + ((i - first) * T + t) * M : osim_rows_at(b, b->from + i, t);
            fprintf(f, "%llu,", (unsigned long long)(b->from + i));
            osim__csv_field(f, s->topologies[t]);
            for (m = 0; m < M; m++) {
                char buf[40];
                buf[0] = ',';
                /* + 0.0: -0.0 is written as 0, as it always was. */
                fwrite(buf, 1, 1 + format17(buf + 1, row[m] + 0.0), f);
            }
            fputc('\n', f);
        }
        if (ferror(f))
            break;
    }
    free(rows);
    if (ferror(f))
        return osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot write replications.csv");
    return 0;
}

/* ------------------------------------------------------------ reading */

typedef struct csv_line {
    char *buf; /* the record, quotes resolved, fields NUL-separated */
    size_t cap;
    char **field;
    size_t nfields, fcap;
} csv_line;

/* Point the fields of a record into its buffer. */
static int csv_index(csv_line *L)
{
    size_t k, pos = 0;

    if (L->fcap < L->nfields) {
        char **nf = realloc(L->field, L->nfields * sizeof(char *));
        if (nf == NULL)
            return OSIM_ENOMEM;
        L->field = nf;
        L->fcap = L->nfields;
    }
    for (k = 0; k < L->nfields; k++) {
        L->field[k] = L->buf + pos;
        pos += strlen(L->buf + pos) + 1;
    }
    return 0;
}

/* Read one record (it may span lines inside quotes). 1 read, 0 at EOF, < 0 error. */
static int csv_read(FILE *f, csv_line *L, long *lineno)
{
    char *raw = NULL;
    size_t rawcap = 0, len = 0, i;
    bool quoted = false;
    ssize_t got;
    size_t out = 0;

    L->nfields = 0;
    for (;;) {
        got = getline(&raw, &rawcap, f);
        if (got < 0) {
            free(raw);
            if (len == 0 && !quoted)
                return 0;
            return OSIM_ESYNTAX; /* unterminated quote */
        }
        (*lineno)++;
        if (L->cap < out + (size_t)got + 2) {
            size_t nc = (out + (size_t)got + 2) * 2;
            char *nb = realloc(L->buf, nc);
            if (nb == NULL) {
                free(raw);
                return OSIM_ENOMEM;
            }
            L->buf = nb;
            L->cap = nc;
        }
        len = (size_t)got;
        for (i = 0; i < len; i++) {
            char c = raw[i];
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < len && raw[i + 1] == '"') {
                        L->buf[out++] = '"';
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    L->buf[out++] = c;
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == ',' || c == '\n' || c == '\r') {
                if (c == '\r')
                    continue;
                L->buf[out++] = '\0';
                L->nfields++;
                if (c == '\n')
                    break;
            } else {
                L->buf[out++] = c;
            }
        }
        if (!quoted) {
            if (len > 0 && raw[len - 1] != '\n') { /* last line without newline */
                L->buf[out++] = '\0';
                L->nfields++;
            }
            break;
        }
    }
    free(raw);
    return csv_index(L) != 0 ? OSIM_ENOMEM : 1;
}

/* The header names exactly b's columns. */
static int read_header(osim_rows *b, FILE *f, csv_line *L, long *lineno, const char *path,
                       osim_diag *diag)
{
    size_t M = b->shape.columns_count, m;
    int rc;

    /* Skip the provenance comment(s): the caller checks identity otherwise. */
    do
        rc = csv_read(f, L, lineno);
    while (rc > 0 && L->nfields >= 1 && L->field[0][0] == '#');
    if (rc <= 0 || L->nfields != M + 2 || strcmp(L->field[0], "replication") != 0 ||
        strcmp(L->field[1], "topology") != 0)
        return osim_diag_set(diag, OSIM_ESCHEMA, path, 1, 0,
                             "header does not match results.json (%zu columns, expected %zu)",
                             rc > 0 ? L->nfields : 0, M + 2);
    for (m = 0; m < M; m++)
        if (strcmp(L->field[m + 2], b->shape.columns[m]) != 0)
            return osim_diag_set(diag, OSIM_ESCHEMA, path, 1, 0,
                                 "column %zu is '%s', but results.json implies '%s'", m + 3,
                                 L->field[m + 2], b->shape.columns[m]);
    return 0;
}

/* The line of replication rep under topology t into its row. */
static int read_line(osim_rows *b, uint64_t rep, size_t t, FILE *f, csv_line *L, long *lineno,
                     const char *path, osim_diag *diag)
{
    size_t M = b->shape.columns_count, m;
    double *row = osim_rows_at(b, rep, t);
    unsigned long long got;
    char *end;
    int rc = csv_read(f, L, lineno);

    if (rc < 0)
        return osim_diag_set(diag, rc, path, (int)*lineno, 0, "unreadable record");
    if (rc == 0)
        return osim_diag_set(diag, OSIM_ESCHEMA, path, (int)*lineno, 0,
                             "ends early: replications %llu..%llu expected",
                             (unsigned long long)b->from, (unsigned long long)b->to - 1);
    errno = 0;
    got = strtoull(L->field[0], &end, 10);
    if (L->nfields != M + 2 || *end != '\0' || errno != 0 || got != rep ||
        strcmp(L->field[1], b->shape.topologies[t]) != 0)
        return osim_diag_set(diag, OSIM_ESCHEMA, path, (int)*lineno, 0,
                             "expected replication %llu under topology %s with %zu fields",
                             (unsigned long long)rep, b->shape.topologies[t], M + 2);
    for (m = 0; m < M; m++) {
        errno = 0;
        row[m] = strtod(L->field[m + 2], &end);
        /* ERANGE with a denormal is an exact read (glibc flags underflow). */
        if (end == L->field[m + 2] || *end != '\0' ||
            (errno == ERANGE && (isinf(row[m]) || row[m] == 0.0)))
            return osim_diag_set(diag, OSIM_ESCHEMA, path, (int)*lineno, 0,
                                 "column %s: '%s' is not a number", b->shape.columns[m],
                                 L->field[m + 2]);
    }
    return 0;
}

int osim_rows_read_text(osim_rows *b, FILE *f, const char *path, osim_diag *diag)
{
    csv_line L = {0};
    size_t T = b->shape.topologies_count, t;
    uint64_t i, n = b->to - b->from, cap;
    long lineno = 0;
    int rc;

    if (b->shape.kind != OSIM_ROWS_VALUES || !b->has_range)
        return osim_diag_set(diag, OSIM_EINVAL, path, 0, 0, "counts have no text codec");
    if ((rc = read_header(b, f, &L, &lineno, path, diag)) != 0)
        goto done;
    /* Room grows with the rows actually read: the range is only a claim
     * until the rows are there. */
    cap = n < 1024 ? n : 1024;
    for (i = 0; i < n; i++) {
        if (i == 0 || i == cap) {
            if (i == cap)
                cap = cap > n / 2 ? n : 2 * cap;
            if ((rc = osim_rows_reserve(b, cap)) != 0) {
                rc = osim_diag_set(diag, rc, path, (int)lineno, 0,
                                   "cannot hold %llu replications in memory",
                                   (unsigned long long)cap);
                goto done;
            }
        }
        for (t = 0; t < T; t++)
            if ((rc = read_line(b, b->from + i, t, f, &L, &lineno, path, diag)) != 0)
                goto done;
    }
    rc = csv_read(f, &L, &lineno);
    if (rc != 0)
        rc = osim_diag_set(diag, OSIM_ESCHEMA, path, (int)lineno, 0,
                           "more rows than results.json's range [%llu, %llu)",
                           (unsigned long long)b->from, (unsigned long long)b->to);
done:
    free(L.buf);
    free(L.field);
    return rc;
}
