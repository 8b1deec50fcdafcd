/*
 * atomic_file.h -- write a file so that readers see the old contents or the
 * new, never a mixture: write to a temporary name in the same directory,
 * flush it to disk, then rename it over the final name.
 *
 * Lifecycle:
 *   osim_atomic_file af;
 *   osim_atomic_open(&af, dir, "results.json", diag);  creates dir/.results.json.tmp.*
 *   ... write to af.f ...
 *   osim_atomic_commit(&af, diag);   fflush + fsync + fclose + rename + fsync(dir)
 * or on any error osim_atomic_abort(&af) (closes and removes the temporary
 * file). Commit also removes the temporary file when it fails. A crash or a
 * kill between open and commit leaves at most a dot-file named .NAME.tmp.*,
 * never a half-written NAME.
 *
 * Thread-safety: an osim_atomic_file belongs to one thread.
 */
#ifndef OUTAGESIM_ATOMIC_FILE_H
#define OUTAGESIM_ATOMIC_FILE_H

#include <stdio.h>

#include "outagesim/error.h"

typedef struct osim_atomic_file {
    FILE *f;          /* write here between open and commit */
    char *tmp_path;   /* owned */
    char *final_path; /* owned */
} osim_atomic_file;

/* "dir/name" in a new malloc'd string (the caller frees it), or NULL when out of memory. */
char *osim_path_join(const char *dir, const char *name);

/* Create directory dir and its parents as needed (mode 0777 & ~umask). */
int osim_mkdir_p(const char *dir, osim_diag *diag);

/* Open a temporary file for dir/name. Returns 0 or OSIM_EIO (diag says why). */
int osim_atomic_open(osim_atomic_file *af, const char *dir, const char *name, osim_diag *diag);

/* Finish: the file appears under its final name. Returns 0 or OSIM_EIO. */
int osim_atomic_commit(osim_atomic_file *af, osim_diag *diag);

/* Give up: close and remove the temporary file. Safe after commit (no-op). */
void osim_atomic_abort(osim_atomic_file *af);

/* Writes the contents of a file to f; 0 or a negative OSIM_E* code. */
typedef int (*osim_atomic_fill)(FILE *f, void *ud);

/*
 * The whole lifecycle above for one file: open dir/name, fill(f, ud), then
 * commit -- or abort when fill fails or the stream reports an error
 * (OSIM_EIO, "write error" with name as the file). Returns 0, fill's
 * code, or open's or commit's.
 */
int osim_atomic_write(const char *dir, const char *name, osim_atomic_fill fill, void *ud,
                      osim_diag *diag);

#endif
