/*
 * rows_int.h -- internal: the byte buffers of the binary codec
 * (rows_bin.c), shared with the codec of a whole result (wire.c), so
 * that a result crosses a process boundary in one format. Not public API.
 *
 * Writers record running out of memory and readers record a short or
 * malformed buffer in the buffer itself: a sequence of puts or gets is
 * checked once at its end.
 */
#ifndef OUTAGESIM_ROWS_INT_H
#define OUTAGESIM_ROWS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/rows.h"

typedef struct osim__wbuf {
    unsigned char *p;
    size_t len, cap;
    bool oom;
} osim__wbuf;

typedef struct osim__rbuf {
    const unsigned char *p;
    size_t len, at;
    int rc; /* first failure: OSIM_EINVAL (short, malformed) or OSIM_ENOMEM */
} osim__rbuf;

void osim__wbuf_put(osim__wbuf *b, const void *src, size_t n);
void osim__wbuf_u64(osim__wbuf *b, uint64_t v);
void osim__wbuf_f64(osim__wbuf *b, double v);
void osim__wbuf_str(osim__wbuf *b, const char *s); /* NULL travels as NULL */
void osim__wbuf_strv(osim__wbuf *b, char *const *v, size_t n);

void osim__rbuf_get(osim__rbuf *b, void *dst, size_t n);
uint64_t osim__rbuf_u64(osim__rbuf *b);
double osim__rbuf_f64(osim__rbuf *b);
char *osim__rbuf_str(osim__rbuf *b);    /* may return NULL (a NULL on the wire) */
char *osim__rbuf_str_nn(osim__rbuf *b); /* a NULL on the wire is malformed */
/* n strings into *v (an array of n + 1, so that n = 0 allocates too). */
void osim__rbuf_strv(osim__rbuf *b, char ***v, size_t *count);

/* A whole block into / out of a buffer (osim_rows_pack / unpack use them). */
void osim__rows_put(osim__wbuf *b, const osim_rows *r);
osim_rows *osim__rows_get(osim__rbuf *b);

#endif
