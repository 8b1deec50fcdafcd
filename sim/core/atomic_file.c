/*
 * atomic_file.c -- temporary file, fsync, rename.
 *
 * Invariant: the final name only ever refers to a complete file. rename()
 * within one directory is atomic on POSIX file systems; the fsync of the
 * data before the rename makes the new contents durable before the name
 * moves, and the fsync of the directory makes the rename itself durable.
 */
#include "outagesim/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *join(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s%s%s", a, b, c);
    return p;
}

int osim_mkdir_p(const char *dir, osim_diag *diag)
{
    char *p = join(dir, "", "");
    size_t i, n;
    struct stat st;

    if (p == NULL)
        return OSIM_ENOMEM;
    n = strlen(p);
    for (i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        p[i] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            osim_diag_set(diag, OSIM_EIO, p, 0, 0, "cannot create directory: %s", strerror(e));
            free(p);
            return OSIM_EIO;
        }
        if (i < n)
            p[i] = '/';
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        osim_diag_set(diag, OSIM_EIO, dir, 0, 0, "not a directory");
        free(p);
        return OSIM_EIO;
    }
    free(p);
    return 0;
}

int osim_atomic_open(osim_atomic_file *af, const char *dir, const char *name, osim_diag *diag)
{
    char *prefix;
    int fd = -1, e = 0;
    unsigned attempt;

    memset(af, 0, sizeof(*af));
    prefix = join(dir, "/.", name);
    af->final_path = join(dir, "/", name);
    af->tmp_path = prefix != NULL ? malloc(strlen(prefix) + 64) : NULL;
    if (af->final_path == NULL || af->tmp_path == NULL) {
        free(prefix);
        free(af->tmp_path);
        af->tmp_path = NULL;
        osim_atomic_abort(af);
        return OSIM_ENOMEM;
    }
    /* Not mkstemp: it creates mode 0600, and fixing that means touching the
     * process umask. O_EXCL with a name unique to this process and object
     * is as safe, and the mode honours the umask. */
    for (attempt = 0; attempt < 100; attempt++) {
        snprintf(af->tmp_path, strlen(prefix) + 64, "%s.tmp.%ld.%lx.%u", prefix, (long)getpid(),
                 (unsigned long)(uintptr_t)af & 0xffffffUL, attempt);
        fd = open(af->tmp_path, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    e = errno;
    free(prefix);
    if (fd < 0) {
        osim_diag_set(diag, OSIM_EIO, af->final_path, 0, 0, "cannot create a temporary file: %s",
                      strerror(e));
        free(af->tmp_path);
        af->tmp_path = NULL; /* nothing to remove */
        osim_atomic_abort(af);
        return OSIM_EIO;
    }
    af->f = fdopen(fd, "w");
    if (af->f == NULL) {
        close(fd);
        osim_atomic_abort(af);
        return osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "fdopen failed");
    }
    return 0;
}

int osim_atomic_commit(osim_atomic_file *af, osim_diag *diag)
{
    int e = 0;

    if (af->f == NULL)
        return osim_diag_set(diag, OSIM_EIO, af->final_path, 0, 0, "file is not open");
    if (fflush(af->f) != 0 || ferror(af->f) || fsync(fileno(af->f)) != 0)
        e = errno != 0 ? errno : EIO;
    if (fclose(af->f) != 0 && e == 0)
        e = errno != 0 ? errno : EIO;
    af->f = NULL;
    if (e == 0 && rename(af->tmp_path, af->final_path) != 0)
        e = errno;
    if (e != 0) {
        osim_diag_set(diag, OSIM_EIO, af->final_path, 0, 0, "cannot write: %s", strerror(e));
        osim_atomic_abort(af);
        return OSIM_EIO;
    }
    /* Make the rename durable; failure here does not undo a complete file. */
    {
        char *dir = join(af->final_path, "", "");
        char *slash = dir != NULL ? strrchr(dir, '/') : NULL;
        if (slash != NULL) {
            int fd;
            *slash = '\0';
            fd = open(dir[0] != '\0' ? dir : "/", O_RDONLY);
            if (fd >= 0) {
                fsync(fd);
                close(fd);
            }
        }
        free(dir);
    }
    free(af->tmp_path);
    free(af->final_path);
    af->tmp_path = NULL;
    af->final_path = NULL;
    return 0;
}

void osim_atomic_abort(osim_atomic_file *af)
{
    if (af->f != NULL)
        fclose(af->f);
    af->f = NULL;
    if (af->tmp_path != NULL)
        unlink(af->tmp_path);
    free(af->tmp_path);
    free(af->final_path);
    af->tmp_path = NULL;
    af->final_path = NULL;
}

char *osim_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int osim_atomic_write(const char *dir, const char *name, osim_atomic_fill fill, void *ud,
                      osim_diag *diag)
{
    osim_atomic_file af;
    int rc;

    if ((rc = osim_atomic_open(&af, dir, name, diag)) != 0)
        return rc;
    rc = fill(af.f, ud);
    if (rc == 0 && ferror(af.f))
        rc = osim_diag_set(diag, OSIM_EIO, name, 0, 0, "write error");
    if (rc != 0) {
        osim_atomic_abort(&af);
        return rc;
    }
    return osim_atomic_commit(&af, diag);
}
