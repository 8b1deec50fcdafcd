/*
 * codec.h -- the results module's interface for modules above it that keep
 * results in a binary file of their own: sweep (sweep.c, the sweep.resume
 * file of an interrupted sweep). The byte buffers of the binary codec
 * (rows_bin.c, wire.c) and the codec of a summarised result (wire.c), so
 * that such a file is written with the primitives and format of the MPI
 * wire. Not public API: the bytes are native (same build, same machine).
 *
 * Writers record running out of memory and readers record a short or
 * malformed buffer in the buffer itself: a sequence of puts or gets is
 * checked once at its end.
 */
#ifndef OUTAGESIM_RESULTS_CODEC_H
#define OUTAGESIM_RESULTS_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/result.h"

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

/*
 * A complete point's summarised result (identity, names, statistics and
 * economics; no rows) into b, and back (NULL with b->rc set when b is
 * short or malformed). The catalogue is rebuilt from the names.
 */
void osim__mc_result_put_summary(osim__wbuf *b, const osim_mc_result *r);
osim_mc_result *osim__mc_result_get_summary(osim__rbuf *b);

#endif
