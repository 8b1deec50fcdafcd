/*
 * stage.h -- publish a set of output files together.
 *
 * A run writes several files (results.json, the CSV files, the series). Each
 * is already written atomically, but as a set they are not: a failure
 * between two of them would leave new results beside an older run's series.
 * So a command writes the whole set into a fresh hidden directory inside
 * the output directory (same filesystem), and only when every file is
 * complete moves them into place, one rename each. On failure the staging
 * directory is removed and the output directory is exactly as it was.
 */
#ifndef OUTAGESIM_CLI_STAGE_H
#define OUTAGESIM_CLI_STAGE_H

#include "outagesim/error.h"

typedef struct cli_stage {
    char *out; /* final directory (owned copy) */
    char *dir; /* out/.stage.XXXXXX while staging (owned) */
} cli_stage;

/* Create out (and parents) and a fresh staging directory in it. 0 or OSIM_EIO/ENOMEM. */
int cli_stage_begin(cli_stage *st, const char *out, osim_diag *diag);

/* Move every staged file into out, remove the staging directory. 0 or OSIM_EIO. */
int cli_stage_commit(cli_stage *st, osim_diag *diag);

/* Remove the staging directory and what it holds; frees st. Safe after commit. */
void cli_stage_abort(cli_stage *st);

#endif
