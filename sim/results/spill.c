/*
 * spill.c -- rows in an unlinked temporary file, block by block (spill.h).
 *
 * Invariant: the file holds, at block b's place, the values of the block's
 * replications column by column; a value is written only once its whole
 * block is in memory (or at a flush, which keeps the block so that later
 * rows of it are not lost), so what is read back is what was put, bit for
 * bit. The file is unlinked as soon as it is created: closing it, or the
 * process ending in any way, removes it.
 */
#include "results/spill.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_BYTES (1u << 20) /* a block's values: about 1 MiB (at least 256 rows) */

typedef struct stage {
    uint64_t index; /* block number */
    size_t filled;  /* rows put */
    double *data;   /* block x cols, column-major */
    bool used;
} stage;

struct osim_spill {
    int fd;
    uint64_t from;
    size_t cols, block;
    pthread_mutex_t lock;
    stage *st; /* blocks being filled */
    size_t nst;
    uint64_t end_block; /* blocks written: 0 .. end_block - 1 at most */
    size_t mem_values;
};

size_t osim__spill_mem_values(const osim_spill *s)
{
    return s->mem_values;
}

void osim__spill_set_mem_values(osim_spill *s, size_t values)
{
    s->mem_values = values;
}

static size_t block_values(const osim_spill *s)
{
    return s->block * s->cols;
}

static off_t block_offset(const osim_spill *s, uint64_t b)
{
    return (off_t)(b * (uint64_t)block_values(s) * sizeof(double));
}

/* pwrite/pread all of it, through short transfers and EINTR. */
static int write_all(int fd, const void *p, size_t len, off_t off)
{
    const char *c = p;

    while (len > 0) {
        ssize_t k = pwrite(fd, c, len, off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return OSIM_EIO;
        c += k;
        len -= (size_t)k;
        off += k;
    }
    return 0;
}

static int read_all(int fd, void *p, size_t len, off_t off)
{
    char *c = p;

    while (len > 0) {
        ssize_t k = pread(fd, c, len, off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return OSIM_EIO;
        if (k == 0) { /* a hole at the end: never written (beyond the rows put) */
            memset(c, 0, len);
            return 0;
        }
        c += k;
        len -= (size_t)k;
        off += k;
    }
    return 0;
}

int osim__spill_new(const char *dir, uint64_t from, size_t cols, osim_spill **out, osim_diag *diag)
{
    osim_spill *s;
    char *path;
    size_t len;

    *out = NULL;
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    len = strlen(dir) + 32;
    if ((s = calloc(1, sizeof(*s))) == NULL || (path = malloc(len)) == NULL) {
        free(s);
        return OSIM_ENOMEM;
    }
    snprintf(path, len, "%s/.outagesim-rows-XXXXXX", dir);
    s->fd = mkstemp(path);
    if (s->fd < 0 || unlink(path) != 0) {
        int e = errno;
        if (s->fd >= 0)
            close(s->fd);
        osim_diag_set(diag, OSIM_EIO, dir, 0, 0,
                      "cannot make a temporary file for the rows here: %s (set TMPDIR to a "
                      "writable folder)",
                      strerror(e));
        free(path);
        free(s);
        return OSIM_EIO;
    }
    free(path);
    s->from = from;
    s->cols = cols > 0 ? cols : 1;
    s->block = BLOCK_BYTES / (s->cols * sizeof(double));
    /* Wide rows (hundreds of metrics): still runs of 256 values per read
     * of a column, at a few MB per block being filled. */
    if (s->block < 256)
        s->block = 256;
    pthread_mutex_init(&s->lock, NULL);
    *out = s;
    return 0;
}

/* The stage of block b, made if new; NULL when out of memory. Locked. */
static stage *stage_of(osim_spill *s, uint64_t b)
{
    size_t i, free_slot = s->nst;
    stage *n;

    for (i = 0; i < s->nst; i++) {
        if (s->st[i].used && s->st[i].index == b)
            return &s->st[i];
        if (!s->st[i].used && free_slot == s->nst)
            free_slot = i;
    }
    if (free_slot == s->nst) {
        if ((n = realloc(s->st, (s->nst + 1) * sizeof(*n))) == NULL)
            return NULL;
        s->st = n;
        memset(&s->st[s->nst], 0, sizeof(*n));
        s->nst++;
    }
    n = &s->st[free_slot];
    if (n->data == NULL && (n->data = malloc(block_values(s) * sizeof(double))) == NULL)
        return NULL;
    /* A block flushed before (a run that grows batch after batch) is read
     * back, so that its rows put earlier are kept. */
    if (b < s->end_block) {
        if (read_all(s->fd, n->data, block_values(s) * sizeof(double), block_offset(s, b)) != 0)
            return NULL;
    } else {
        memset(n->data, 0, block_values(s) * sizeof(double));
    }
    n->index = b;
    n->filled = 0;
    n->used = true;
    return n;
}

static int stage_write(osim_spill *s, stage *g)
{
    int rc = write_all(s->fd, g->data, block_values(s) * sizeof(double), block_offset(s, g->index));

    if (rc == 0 && g->index + 1 > s->end_block)
        s->end_block = g->index + 1;
    return rc;
}

int osim__spill_put(osim_spill *s, uint64_t rep, size_t count, const double *rows)
{
    size_t i, c;
    int rc = 0;

    pthread_mutex_lock(&s->lock);
    for (i = 0; i < count && rc == 0; i++) {
        uint64_t k = rep + i - s->from;
        size_t j = (size_t)(k % s->block);
        stage *g = stage_of(s, k / s->block);
        const double *row = rows + i * s->cols;

        if (g == NULL) {
            rc = OSIM_ENOMEM;
            break;
        }
        for (c = 0; c < s->cols; c++)
            g->data[c * s->block + j] = row[c];
        if (++g->filled == s->block) {
            rc = stage_write(s, g);
            g->used = false;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int osim__spill_flush(osim_spill *s)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < s->nst && rc == 0; i++)
        if (s->st[i].used)
            rc = stage_write(s, &s->st[i]);
    return rc;
}

int osim__spill_column(const osim_spill *s, size_t col, uint64_t at, size_t count, double *out)
{
    while (count > 0) {
        uint64_t b = at / s->block;
        size_t j = (size_t)(at % s->block), take = s->block - j;
        int rc;

        if (take > count)
            take = count;
        rc = read_all(s->fd, out, take * sizeof(double),
                      block_offset(s, b) + (off_t)((col * s->block + j) * sizeof(double)));
        if (rc != 0)
            return rc;
        out += take;
        at += take;
        count -= take;
    }
    return 0;
}

int osim__spill_rows(const osim_spill *s, uint64_t at, size_t count, double *out)
{
    double *blk = malloc(block_values(s) * sizeof(double));
    uint64_t have = UINT64_MAX;
    size_t i, c;
    int rc = 0;

    if (blk == NULL)
        return OSIM_ENOMEM;
    for (i = 0; i < count && rc == 0; i++) {
        uint64_t k = at + i, b = k / s->block;
        size_t j = (size_t)(k % s->block);
        if (b != have) {
            rc = read_all(s->fd, blk, block_values(s) * sizeof(double), block_offset(s, b));
            have = b;
        }
        for (c = 0; c < s->cols; c++)
            out[i * s->cols + c] = blk[c * s->block + j];
    }
    free(blk);
    return rc;
}

uint64_t osim__spill_bytes(const osim_spill *s)
{
    return s->end_block * (uint64_t)block_values(s) * sizeof(double);
}

void osim__spill_free(osim_spill *s)
{
    size_t i;

    if (s == NULL)
        return;
    close(s->fd);
    for (i = 0; i < s->nst; i++)
        free(s->st[i].data);
    free(s->st);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
