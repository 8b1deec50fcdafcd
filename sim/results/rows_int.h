/*
 * rows_int.h -- private to sim/results/: a row block in the binary codec
 * (rows_bin.c), which the codec of a whole result (wire.c) embeds, so that
 * a result crosses a process boundary in one format (the buffers are in
 * results/codec.h); and the text codec fed from elsewhere than the block's
 * own values (rows on disk, result.c).
 */
#ifndef OUTAGESIM_ROWS_INT_H
#define OUTAGESIM_ROWS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outagesim/rows.h"
#include "results/codec.h"

/* A whole block into / out of a buffer (osim_rows_pack / unpack use them). */
void osim__rows_put(osim__wbuf *b, const osim_rows *r);
osim_rows *osim__rows_get(osim__rbuf *b);

/*
 * The text codec (osim_rows_write_text) of b's shape and range with the
 * values from fetch (count replications from index at, counted from
 * b->from, as rows of T x C doubles) instead of b's own; fetch NULL: b's.
 */
typedef int (*osim__rows_fetch)(void *ud, uint64_t at, size_t count, double *out);
int osim__rows_write_text_from(const osim_rows *b, osim__rows_fetch fetch, void *ud, FILE *f,
                               osim_diag *diag);

#endif
