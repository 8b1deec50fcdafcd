/*
 * rows_int.h -- private to sim/results/: a row block in the binary codec
 * (rows_bin.c), which the codec of a whole result (wire.c) embeds, so that
 * a result crosses a process boundary in one format. The buffers are in
 * results/codec.h.
 */
#ifndef OUTAGESIM_ROWS_INT_H
#define OUTAGESIM_ROWS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/rows.h"
#include "results/codec.h"

/* A whole block into / out of a buffer (osim_rows_pack / unpack use them). */
void osim__rows_put(osim__wbuf *b, const osim_rows *r);
osim_rows *osim__rows_get(osim__rbuf *b);

#endif
