/*
 * stage.c -- write a set of files into a hidden directory, then move them in.
 *
 * Invariant: until cli_stage_commit() starts renaming, the output directory
 * holds nothing new; the renames are within one filesystem and happen only
 * after every staged file was written and flushed by its own writer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/stage.h"
#include "outagesim/atomic_file.h"

int cli_stage_begin(cli_stage *st, const char *out, osim_diag *diag)
{
    int rc;

    st->out = NULL;
    st->dir = NULL;
    if ((rc = osim_mkdir_p(out, diag)) != 0)
        return rc;
    st->out = strdup(out);
    st->dir = osim_path_join(out, ".stage.XXXXXX");
    if (st->out == NULL || st->dir == NULL) {
        cli_stage_abort(st);
        return osim_diag_set(diag, OSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (mkdtemp(st->dir) == NULL) {
        rc = osim_diag_set(diag, OSIM_EIO, out, 0, 0, "cannot create a staging directory: %s",
                           strerror(errno));
        free(st->dir);
        st->dir = NULL;
        cli_stage_abort(st);
        return rc;
    }
    return 0;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    int rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

int cli_stage_commit(cli_stage *st, osim_diag *diag)
{
    DIR *d = opendir(st->dir);
    struct dirent *e;
    int rc = 0;

    if (d == NULL)
        return osim_diag_set(diag, OSIM_EIO, st->dir, 0, 0, "cannot read: %s", strerror(errno));
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char *from, *to;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        from = osim_path_join(st->dir, e->d_name);
        to = osim_path_join(st->out, e->d_name);
        if (from == NULL || to == NULL)
            rc = osim_diag_set(diag, OSIM_ENOMEM, NULL, 0, 0, "out of memory");
        else if (rename(from, to) != 0)
            rc = osim_diag_set(diag, OSIM_EIO, to, 0, 0, "cannot move into place: %s",
                               strerror(errno));
        free(from);
        free(to);
    }
    closedir(d);
    if (rc == 0 && sync_dir(st->out) != 0)
        rc = osim_diag_set(diag, OSIM_EIO, st->out, 0, 0, "cannot sync: %s", strerror(errno));
    cli_stage_abort(st);
    return rc;
}

void cli_stage_abort(cli_stage *st)
{
    if (st->dir != NULL) {
        DIR *d = opendir(st->dir);
        struct dirent *e;
        if (d != NULL) {
            while ((e = readdir(d)) != NULL) {
                char *p;
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                if ((p = osim_path_join(st->dir, e->d_name)) != NULL)
                    unlink(p);
                free(p);
            }
            closedir(d);
        }
        rmdir(st->dir);
    }
    free(st->dir);
    free(st->out);
    st->dir = NULL;
    st->out = NULL;
}
