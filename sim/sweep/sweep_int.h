/*
 * sweep_int.h -- internal helpers of the sweep module shared with the
 * command line (sensitivity's tornado). Not part of the public API.
 */
#ifndef OUTAGESIM_SWEEP_INT_H
#define OUTAGESIM_SWEEP_INT_H

#include "outagesim/error.h"

/* Copy scripts_dir/name into dir/name (atomically). 0, OSIM_ENOENT, OSIM_EIO. */
int osim__sweep_copy_script(const char *scripts_dir, const char *dir, const char *name,
                            osim_diag *diag);

#endif
