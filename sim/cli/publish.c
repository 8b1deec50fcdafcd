/*
 * publish.c -- write a whole folder beside OUT, then swap it in with one
 * rename (publish.h).
 *
 * Invariant: OUT is only ever changed by one renameat2 of a complete,
 * fsynced folder, made by the one process that holds the lock of OUT. So
 * OUT holds one whole run at every instant, and every other folder named
 * .BASE.stage.* seen under the lock belongs to a writer that is gone (or
 * is the old tree of a swap whose writer died before removing it).
 */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE (glibc >= 2.28, <stdio.h>) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/publish.h"
#include "outagesim/atomic_file.h"

#define STAGE_MARK ".stage."
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

void cli_publish_pause(const char *step)
{
    /* Test hook (tests/cli.d/publish.sh, tests/fault/kill9.sh): stop here so
     * that a test can kill -9 the process at exactly this step. */
    const char *v = getenv("OUTAGESIM_TEST_PAUSE");

    if (v != NULL && strncmp(v, "publish:", 8) == 0 && strcmp(v + 8, step) == 0)
        raise(SIGSTOP);
}

/* ------------------------------------------------------------ trees */

/* Remove name (in folder dfd) and, if a folder, all it holds. 0 or -1 (errno set). */
static int remove_tree(int dfd, const char *name)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int fd, err = 0;

    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(dfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
    if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return -1;
    if ((d = fdopendir(fd)) == NULL) {
        close(fd);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (remove_tree(fd, e->d_name) != 0 && err == 0)
            err = errno;
    }
    closedir(d);
    if (err == 0 && unlinkat(dfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        err = errno;
    errno = err;
    return err == 0 ? 0 : -1;
}

/* fsync every file and folder under fd (a folder), then fd itself. 0 or -1. */
static int sync_tree(int fd)
{
    DIR *d;
    struct dirent *e;
    int dup_fd = dup(fd), err = 0;

    if (dup_fd < 0)
        return -1;
    if ((d = fdopendir(dup_fd)) == NULL) {
        close(dup_fd);
        return -1;
    }
    while (err == 0 && (e = readdir(d)) != NULL) {
        struct stat st;
        int cfd;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            err = errno;
            break;
        }
        if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
            continue;
        cfd = openat(fd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (cfd < 0) {
            err = errno;
            break;
        }
        if ((S_ISDIR(st.st_mode) ? sync_tree(cfd) : fsync(cfd)) != 0)
            err = errno;
        close(cfd);
    }
    closedir(d);
    if (err == 0 && fsync(fd) != 0)
        err = errno;
    errno = err;
    return err == 0 ? 0 : -1;
}

/* Hard-link every file of folder from into folder to, recursively, leaving
 * out a top-level entry named skip. 0 or -1 (errno set). */
static int link_tree(int from, int to, const char *skip)
{
    DIR *d;
    struct dirent *e;
    int dup_fd = dup(from), err = 0;

    if (dup_fd < 0)
        return -1;
    if ((d = fdopendir(dup_fd)) == NULL) {
        close(dup_fd);
        return -1;
    }
    while (err == 0 && (e = readdir(d)) != NULL) {
        struct stat st;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            (skip != NULL && strcmp(e->d_name, skip) == 0))
            continue;
        if (fstatat(from, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            err = errno;
        } else if (S_ISDIR(st.st_mode)) {
            int a, b;
            if (mkdirat(to, e->d_name, 0777) != 0) {
                err = errno;
                break;
            }
            a = openat(from, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            b = openat(to, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (a < 0 || b < 0 || link_tree(a, b, NULL) != 0)
                err = errno;
            if (a >= 0)
                close(a);
            if (b >= 0)
                close(b);
        } else if (S_ISREG(st.st_mode) && strstr(e->d_name, ".tmp") == NULL) {
            /* .tmp files are unfinished atomic writes: never carried over. */
            if (linkat(from, e->d_name, to, e->d_name, 0) != 0)
                err = errno;
        }
    }
    closedir(d);
    errno = err;
    return err == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ naming */

/* out made absolute and canonical (a symbolic link to a folder resolved):
 * *parent and *base point into the returned string (owned), split at '/'. */
static char *canonical(const char *out)
{
    char *copy = strdup(out), *slash, *base, *par, *res = NULL;
    size_t n;

    if (copy == NULL)
        return NULL;
    n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = '\0';
    res = realpath(copy, NULL);
    if (res != NULL) {
        free(copy);
        return res;
    }
    /* OUT does not exist yet: its parent does (made by the caller). */
    slash = strrchr(copy, '/');
    base = slash != NULL ? slash + 1 : copy;
    if (slash == copy)
        par = strdup("/");
    else if (slash != NULL) {
        *slash = '\0';
        par = strdup(copy);
    } else
        par = strdup(".");
    if (par != NULL && (res = realpath(par, NULL)) != NULL) {
        char *full = malloc(strlen(res) + strlen(base) + 2);
        if (full != NULL)
            sprintf(full, "%s/%s", strcmp(res, "/") == 0 ? "" : res, base);
        free(res);
        res = full;
    }
    free(par);
    free(copy);
    return res;
}

/* ------------------------------------------------------------ lock */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* The pid the holder wrote into the lock file (0 when unknown). */
static long holder_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

    if (n <= 0)
        return 0;
    buf[n] = '\0';
    return strtol(buf, NULL, 10);
}

static int take_lock(cli_publish *p, unsigned flags)
{
    long waited_ms = 0;
    char pid[32];
    int n;

    p->lock_fd = open(p->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (p->lock_fd < 0) {
        cli_errorf("cannot open the lock file %s: %s", p->lock, strerror(errno));
        return CLI_FAIL;
    }
    while (flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK) {
            cli_errorf("cannot lock %s: %s", p->lock, strerror(errno));
            return CLI_FAIL;
        }
        if (flags & CLI_PUBLISH_NO_WAIT) {
            cli_errorf("another outagesim (pid %ld) is writing %s; not waiting (--no-wait)",
                       holder_pid(p->lock_fd), p->out);
            return CLI_FAIL;
        }
        if (waited_ms == 0)
            cli_errorf("waiting for another outagesim writing %s (pid %ld)", p->out,
                       holder_pid(p->lock_fd));
        if (waited_ms >= CLI_PUBLISH_WAIT_S * 1000L) {
            cli_errorf("gave up after %d s: another outagesim (pid %ld) still writes %s",
                       CLI_PUBLISH_WAIT_S, holder_pid(p->lock_fd), p->out);
            return CLI_FAIL;
        }
        sleep_ms(100);
        waited_ms += 100;
    }
    /* Who holds it, for the message of the next writer (advice only). */
    n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    if (ftruncate(p->lock_fd, 0) != 0 || pwrite(p->lock_fd, pid, (size_t)n, 0) != n)
        (void)0; /* the pid is only for messages */
    return CLI_OK;
}

/* Remove the staging folders of dead writers of OUT (under the lock). */
static void collect_stale(const char *parent, const char *base)
{
    size_t bn = strlen(base);
    int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d;
    struct dirent *e;

    if (pfd < 0)
        return;
    if ((d = opendir(parent)) == NULL) {
        close(pfd);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        const char *s = e->d_name;
        char *end;
        long pid;
        if (s[0] != '.' || strncmp(s + 1, base, bn) != 0 ||
            strncmp(s + 1 + bn, STAGE_MARK, strlen(STAGE_MARK)) != 0)
            continue;
        pid = strtol(s + 1 + bn + strlen(STAGE_MARK), &end, 10);
        /* Exactly .BASE.stage.PID.XXXXXX (mkdtemp's six letters or digits):
         * not the stage of another OUT whose name starts with BASE.stage. */
        if (end == s + 1 + bn + strlen(STAGE_MARK) || *end != '.' || pid <= 0 ||
            strlen(end + 1) != 6 || strspn(end + 1, ALNUM) != 6)
            continue;
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        if (remove_tree(pfd, s) != 0)
            cli_errorf("cannot remove %s/%s, left by a writer that died: %s", parent, s,
                       strerror(errno));
    }
    closedir(d);
    close(pfd);
}

/*
 * The permissions the published folder gets: those of the current OUT, or
 * for a new one what mkdir(OUT, 0777) would give under the umask (mkdtemp
 * makes the stage 0700). The umask is read from /proc/self/status, as
 * umask(2) cannot read it without setting it (a race with other threads).
 */
static mode_t folder_mode(const char *out)
{
    struct stat st;
    char line[128];
    unsigned mask = 022;
    FILE *f;

    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return st.st_mode & 07777;
    if ((f = fopen("/proc/self/status", "r")) != NULL) {
        while (fgets(line, sizeof(line), f) != NULL)
            if (sscanf(line, "Umask: %o", &mask) == 1)
                break;
        fclose(f);
    }
    return (mode_t)(0777 & ~mask);
}

/* ------------------------------------------------------------ steps */

int cli_publish_begin(cli_publish *p, const char *out, unsigned flags)
{
    char *slash, *parent = NULL;
    const char *base;
    osim_diag d;
    int code = CLI_FAIL;

    memset(p, 0, sizeof(*p));
    p->lock_fd = -1;
    osim_diag_clear(&d);
    /* The parent must exist before OUT can be named canonically. */
    if ((parent = strdup(out)) == NULL)
        goto nomem;
    for (slash = parent + strlen(parent); slash > parent + 1 && slash[-1] == '/';)
        *--slash = '\0'; /* results/ names results */
    if ((slash = strrchr(parent, '/')) != NULL && slash != parent) {
        *slash = '\0';
        if (osim_mkdir_p(parent, &d) != 0) {
            cli_errorf("cannot create directory %s: %s: %s", out, d.file, d.msg);
            goto fail;
        }
    }
    free(parent);
    parent = NULL;
    if ((p->out = canonical(out)) == NULL) {
        if (errno == ENOMEM)
            goto nomem;
        cli_errorf("cannot create directory %s: %s", out, strerror(errno));
        goto fail;
    }
    slash = strrchr(p->out, '/');
    base = slash + 1;
    if (*base == '\0') {
        cli_errorf("cannot publish a run as the root folder '%s'", out);
        goto fail;
    }
    if ((parent = strndup(p->out, slash == p->out ? 1 : (size_t)(slash - p->out))) == NULL)
        goto nomem;
    p->lock = malloc(strlen(parent) + strlen(base) + sizeof("/..lock"));
    p->stage = malloc(strlen(parent) + strlen(base) + sizeof("/." STAGE_MARK ".XXXXXX") + 24);
    if (p->lock == NULL || p->stage == NULL)
        goto nomem;
    sprintf(p->lock, "%s/.%s.lock", parent, base);
    if ((code = take_lock(p, flags)) != CLI_OK)
        goto fail;
    code = CLI_FAIL;
    cli_publish_pause("locked");
    collect_stale(parent, base);
    sprintf(p->stage, "%s/.%s" STAGE_MARK "%ld.XXXXXX", parent, base, (long)getpid());
    if (mkdtemp(p->stage) == NULL) {
        cli_errorf("cannot create a staging folder beside %s: %s", p->out, strerror(errno));
        free(p->stage);
        p->stage = NULL;
        goto fail;
    }
    if (chmod(p->stage, folder_mode(p->out)) != 0) {
        cli_errorf("cannot set the permissions of %s: %s", p->stage, strerror(errno));
        goto fail;
    }
    if (flags & CLI_PUBLISH_KEEP) {
        int from = open(p->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int to = open(p->stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int bad = from < 0 || to < 0 || link_tree(from, to, NULL) != 0;
        int e = errno;
        if (from >= 0)
            close(from);
        if (to >= 0)
            close(to);
        if (bad) {
            cli_errorf("cannot link the files of %s into %s: %s", p->out, p->stage, strerror(e));
            goto fail;
        }
    }
    cli_publish_pause("begun");
    free(parent);
    return CLI_OK;
nomem:
    cli_errorf("out of memory");
fail:
    free(parent);
    return code;
}

/* Whether path exists (not following a final symbolic link). */
static bool exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

    if (fd < 0)
        return -1;
    rc = sync_tree(fd);
    close(fd);
    return rc;
}

/* The message for a renameat2 that failed (errno): OUT is unchanged. */
static int swap_failed(const cli_publish *p, const char *how)
{
    if (errno == EINVAL || errno == ENOSYS)
        cli_errorf("the filesystem of %s cannot replace a folder atomically (renameat2 %s: %s); "
                   "nothing was changed",
                   p->out, how, strerror(errno));
    else
        cli_errorf("cannot move %s into place as %s: %s; %s is unchanged", p->stage, p->out,
                   strerror(errno), p->out);
    return CLI_FAIL;
}

int cli_publish_commit(cli_publish *p)
{
    char *parent = NULL;
    bool swapped = false, placed = false;
    int fd;

    if (p->stage == NULL || p->lock_fd < 0) {
        cli_errorf("internal error: nothing staged");
        return CLI_FAIL;
    }
    cli_publish_pause("staged");
    if (sync_path(p->stage) != 0) {
        cli_errorf("cannot sync %s: %s", p->stage, strerror(errno));
        return CLI_FAIL;
    }
    cli_publish_pause("before-swap");
    if (!exists(p->out)) {
        if (renameat2(AT_FDCWD, p->stage, AT_FDCWD, p->out, RENAME_NOREPLACE) == 0)
            placed = true;
        else if (errno != EEXIST) /* EEXIST: OUT appeared meanwhile; swap with it */
            return swap_failed(p, "RENAME_NOREPLACE");
    }
    if (!placed) {
        if (renameat2(AT_FDCWD, p->stage, AT_FDCWD, p->out, RENAME_EXCHANGE) != 0)
            return swap_failed(p, "RENAME_EXCHANGE");
        swapped = true; /* the old tree is now at p->stage */
    } else {
        free(p->stage);
        p->stage = NULL; /* nothing old to remove */
    }
    cli_publish_pause("after-swap");
    if ((parent = strdup(p->out)) != NULL) {
        char *slash = strrchr(parent, '/');
        slash[slash == parent ? 1 : 0] = '\0';
        fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            if (fsync(fd) != 0)
                cli_errorf("warning: cannot sync %s: %s", parent, strerror(errno));
            close(fd);
        }
        free(parent);
    }
    cli_publish_pause("before-cleanup");
    if (swapped) {
        if (remove_tree(AT_FDCWD, p->stage) != 0)
            cli_errorf("warning: %s is published, but the previous run's files in %s cannot be "
                       "removed (%s); the next writer of %s removes them when it can",
                       p->out, p->stage, strerror(errno), p->out);
        free(p->stage);
        p->stage = NULL;
    }
    cli_publish_pause("done");
    return CLI_OK;
}

void cli_publish_end(cli_publish *p)
{
    if (p->stage != NULL)
        (void)remove_tree(AT_FDCWD, p->stage);
    if (p->lock_fd >= 0)
        close(p->lock_fd); /* releases the flock */
    free(p->stage);
    free(p->out);
    free(p->lock);
    p->stage = p->out = p->lock = NULL;
    p->lock_fd = -1;
}

int cli_publish_share(const char *dir)
{
    char *path = canonical(dir), *slash, *lock = NULL;
    long waited_ms = 0;
    int fd = -1;

    if (path == NULL || (slash = strrchr(path, '/')) == NULL || slash[1] == '\0')
        goto done;
    if ((lock = malloc(strlen(path) + sizeof("/..lock"))) == NULL)
        goto done;
    *slash = '\0';
    sprintf(lock, "%s/.%s.lock", slash == path ? "" : path, slash + 1);
    if ((fd = open(lock, O_RDONLY | O_CLOEXEC)) < 0)
        goto done;
    while (flock(fd, LOCK_SH | LOCK_NB) != 0) {
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK || waited_ms >= CLI_PUBLISH_WAIT_S * 1000L) {
            close(fd);
            fd = -1;
            break;
        }
        if (waited_ms == 0)
            cli_errorf("waiting for another outagesim writing %s (pid %ld)", dir, holder_pid(fd));
        sleep_ms(100);
        waited_ms += 100;
    }
done:
    free(lock);
    free(path);
    return fd;
}

void cli_publish_unshare(int fd)
{
    if (fd >= 0)
        close(fd);
}
