/*
 * spill.h -- the rows of a run kept in a file instead of memory, for runs
 * longer than memory should hold (result.h, osim_mc_result_spill). The
 * results module's interface for the runner above it (sim/mc/mc.c puts
 * rows, and rank 0 of an MPI run puts the rows other ranks send).
 *
 * A spill holds the rows of replications from, from + 1, ... (each row
 * `cols` doubles: topologies x metrics, the layout of rows.h) in an
 * unnamed temporary file: it is created in a folder and unlinked at once,
 * so it disappears when closed, whatever ends the process (an error, a
 * signal, a crash) -- nothing is ever left behind to clean up.
 *
 * Layout: blocks of `block` replications, each block column-major (the
 * `block` values of column 0, then of column 1, ...), so that one
 * column -- what a summary reads -- is read in runs of block values.
 * Rows arrive in any order (threads finish chunks out of order); a block
 * is assembled in memory and written once complete, so memory holds only
 * the blocks being filled (about two per thread at work).
 *
 * Thread-safety: osim__spill_put may be called from several threads at
 * once (for distinct replications); the rest from one thread, with no put
 * in flight.
 */
#ifndef OUTAGESIM_RESULTS_SPILL_H
#define OUTAGESIM_RESULTS_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "outagesim/error.h"

typedef struct osim_spill osim_spill;

/* A new spill in folder dir (NULL: /tmp) for rows of cols doubles from
 * replication from on. 0, OSIM_ENOMEM, or OSIM_EIO with diag naming dir. */
int osim__spill_new(const char *dir, uint64_t from, size_t cols, osim_spill **out, osim_diag *diag);

/* The memory a reader of the spill may use, as doubles (set by its owner). */
size_t osim__spill_mem_values(const osim_spill *s);
void osim__spill_set_mem_values(osim_spill *s, size_t values);

/* Store the rows of replications rep .. rep+count-1 (count x cols doubles,
 * row after row). Thread-safe. 0, OSIM_ENOMEM or OSIM_EIO (disk full). */
int osim__spill_put(osim_spill *s, uint64_t rep, size_t count, const double *rows);

/* Write the blocks still being filled (keeping them), so that every row
 * put so far can be read. 0 or OSIM_EIO. */
int osim__spill_flush(osim_spill *s);

/* The values of column col for replications from + at .. + count - 1. */
int osim__spill_column(const osim_spill *s, size_t col, uint64_t at, size_t count, double *out);

/* Rows (cols doubles each) of replications from + at .. + count - 1. */
int osim__spill_rows(const osim_spill *s, uint64_t at, size_t count, double *out);

/* Bytes on disk so far (for messages). */
uint64_t osim__spill_bytes(const osim_spill *s);

/* Close (and so delete) the file. NULL is a no-op. */
void osim__spill_free(osim_spill *s);

#endif
