/*
 * pdf.c -- report.pdf printed from report.html by headless Chromium,
 * spawned through libuv (as gnuplot is, sim/report/gnuplot.c).
 *
 * Invariant: a report.pdf beside report.html was printed from it. Chromium
 * writes to a temporary name in the same folder, renamed over report.pdf
 * only when it exited 0 having written a file; on any failure the
 * temporary file and an older report.pdf are removed. Chromium runs without
 * a shell, with an argument vector of constants and paths made here, a
 * fresh profile folder (so that two prints never share a profile lock; it
 * is removed after) and every host name mapped to nothing: the page loads
 * nothing, and Chromium could not fetch anything if it tried.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "brief/brief_int.h"
#include "core/str.h"
#include "outagesim/atomic_file.h"

#define DEFAULT_TIMEOUT_S 120u
#define STDERR_MAX 16384
#define WATCH_MS 50u
#define PDF_TMP ".report.pdf.tmp"

typedef struct job {
    uv_process_t proc;
    uv_pipe_t err;
    uv_timer_t timer, watch;
    bool exited, timed_out, stopped, watching;
    int64_t status;
    int signal;
    char *buf;
    size_t len, cap;
    char sink[1024];
    const osim_brief_pdf_options *opt;
} job;

static void close_handle(uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    job *j = h->data;

    (void)suggested;
    if (j->cap - j->len < 1024 && j->cap < STDERR_MAX + 1024) {
        size_t nc = j->cap ? 2 * j->cap : 4096;
        char *nb = realloc(j->buf, nc);
        if (nb != NULL) {
            j->buf = nb;
            j->cap = nc;
        }
    }
    if (j->buf == NULL || j->cap - j->len < 2 || j->len >= STDERR_MAX) {
        b->base = j->sink; /* keep reading so Chromium never blocks; drop the text */
        b->len = sizeof(j->sink);
        return;
    }
    b->base = j->buf + j->len;
    b->len = j->cap - j->len - 1;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    job *j = s->data;

    if (n > 0 && b->base != j->sink) {
        j->len += (size_t)n;
        if (j->len > STDERR_MAX)
            j->len = STDERR_MAX;
        j->buf[j->len] = '\0';
    } else if (n < 0)
        close_handle((uv_handle_t *)&j->err);
}

static void on_exit_cb(uv_process_t *p, int64_t status, int sig)
{
    job *j = p->data;

    j->exited = true;
    j->status = status;
    j->signal = sig;
    uv_timer_stop(&j->timer);
    close_handle((uv_handle_t *)&j->timer);
    if (j->watching)
        close_handle((uv_handle_t *)&j->watch);
    close_handle((uv_handle_t *)p);
}

static void on_timeout(uv_timer_t *t)
{
    job *j = t->data;

    j->timed_out = true;
    uv_process_kill(&j->proc, SIGKILL);
}

static void on_watch(uv_timer_t *t)
{
    job *j = t->data;

    if (!j->exited && !j->stopped && j->opt->stop(j->opt->stop_ud) != 0) {
        j->stopped = true;
        uv_process_kill(&j->proc, SIGKILL);
    }
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* "file://" + the absolute path, percent-encoded outside [A-Za-z0-9-._~/]. */
static char *file_url(const char *abs)
{
    size_t n = strlen(abs), i, o = 0;
    char *u = malloc(7 + 3 * n + 1);

    if (u == NULL)
        return NULL;
    memcpy(u, "file://", 7);
    o = 7;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)abs[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/", c) != NULL)
            u[o++] = (char)c;
        else
            o += (size_t)sprintf(u + o, "%%%02X", c);
    }
    u[o] = '\0';
    return u;
}

void osim_brief_pdf_outcome_free(osim_brief_pdf_outcome *o)
{
    if (o == NULL)
        return;
    free(o->chromium_stderr);
    o->chromium_stderr = NULL;
}

int osim_brief_print_pdf(const char *dir, const osim_brief_pdf_options *opt,
                         osim_brief_pdf_outcome *out, osim_diag *diag)
{
    const char *prog = opt != NULL && opt->chromium != NULL ? opt->chromium : "chromium";
    unsigned timeout_s = opt != NULL && opt->timeout_s ? opt->timeout_s : DEFAULT_TIMEOUT_S;
    char absdir[PATH_MAX], *html = NULL, *url = NULL, *tmp = NULL, *fin = NULL, *profile = NULL,
                           *a_profile = NULL, *a_pdf = NULL;
    uv_process_options_t po;
    uv_stdio_container_t stdio[3];
    uv_loop_t loop;
    bool loop_open = false;
    struct stat sb;
    job j;
    char *args[16];
    int rc = 0, err, k = 0;

    memset(&j, 0, sizeof(j));
    if (dir == NULL || out == NULL)
        return OSIM_EINVAL;
    memset(out, 0, sizeof(*out));
    if (realpath(dir, absdir) == NULL)
        return osim_diag_set(diag, OSIM_EIO, dir, 0, 0, "cannot resolve: %s", strerror(errno));
    if ((html = osim_path_join(absdir, OSIM_BRIEF_HTML)) == NULL ||
        (tmp = osim_path_join(absdir, PDF_TMP)) == NULL ||
        (fin = osim_path_join(absdir, OSIM_BRIEF_PDF)) == NULL ||
        (profile = osim_path_join(absdir, ".chromium-profile.XXXXXX")) == NULL ||
        (url = file_url(html)) == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    remove(tmp);
    if (mkdtemp(profile) == NULL) {
        rc = osim_diag_set(diag, OSIM_EIO, profile, 0, 0, "cannot make a profile folder: %s",
                           strerror(errno));
        free(profile);
        profile = NULL;
        goto fail;
    }
    if ((a_profile = malloc(strlen(profile) + 32)) == NULL ||
        (a_pdf = malloc(strlen(tmp) + 32)) == NULL) {
        rc = OSIM_ENOMEM;
        goto fail;
    }
    sprintf(a_profile, "--user-data-dir=%s", profile);
    sprintf(a_pdf, "--print-to-pdf=%s", tmp);
    args[k++] = (char *)prog;
    args[k++] = "--headless";
    args[k++] = "--no-sandbox"; /* as root, and in containers without user namespaces */
    args[k++] = "--disable-gpu";
    args[k++] = "--no-first-run";
    args[k++] = "--disable-extensions";
    args[k++] = "--no-pdf-header-footer";
    args[k++] = "--host-resolver-rules=MAP * ~NOTFOUND";
    args[k++] = a_profile;
    args[k++] = a_pdf;
    args[k++] = url;
    args[k] = NULL;

    if (uv_loop_init(&loop) != 0) {
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot create an event loop");
        goto fail;
    }
    loop_open = true;
    uv_pipe_init(&loop, &j.err, 0);
    uv_timer_init(&loop, &j.timer);
    j.err.data = j.timer.data = j.proc.data = j.watch.data = &j;
    j.opt = opt;
    memset(&po, 0, sizeof(po));
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_IGNORE;
    stdio[2].flags = (uv_stdio_flags)(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
    stdio[2].data.stream = (uv_stream_t *)&j.err;
    po.file = prog;
    po.args = args;
    po.cwd = absdir;
    po.stdio = stdio;
    po.stdio_count = 3;
    po.exit_cb = on_exit_cb;
    if ((err = uv_spawn(&loop, &j.proc, &po)) != 0) {
        close_handle((uv_handle_t *)&j.proc);
        close_handle((uv_handle_t *)&j.err);
        close_handle((uv_handle_t *)&j.timer);
        uv_run(&loop, UV_RUN_DEFAULT);
        if (err == UV_ENOENT || err == UV_EACCES || err == UV_ENOTDIR) {
            out->chromium_missing = true;
            rc = osim_diag_set(diag, OSIM_ENOTSUP, NULL, 0, 0, "cannot run %s: %s", prog,
                               uv_strerror(err));
        } else
            rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot start %s: %s", prog,
                               uv_strerror(err));
        goto fail;
    }
    uv_read_start((uv_stream_t *)&j.err, on_alloc, on_read);
    uv_timer_start(&j.timer, on_timeout, (uint64_t)timeout_s * 1000u, 0);
    if (opt != NULL && opt->stop != NULL && uv_timer_init(&loop, &j.watch) == 0) {
        j.watching = true;
        uv_timer_start(&j.watch, on_watch, WATCH_MS, WATCH_MS);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    if (j.len > 0)
        out->chromium_stderr = osim__strndup(j.buf, j.len);
    if (j.stopped) {
        rc = osim_diag_set(diag, OSIM_ESTOPPED, NULL, 0, 0, "stopped while Chromium was printing");
        goto fail;
    }
    if (j.timed_out) {
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0,
                           "%s took more than %u s to print %s and was stopped", prog, timeout_s,
                           OSIM_BRIEF_HTML);
        goto fail;
    }
    if (j.signal != 0) {
        out->killed_by = j.signal;
        rc =
            osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "%s was killed by signal %d", prog, j.signal);
        goto fail;
    }
    if (j.status != 0) {
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "%s failed (exit status %lld)", prog,
                           (long long)j.status);
        goto fail;
    }
    if (stat(tmp, &sb) != 0 || sb.st_size == 0) {
        rc = osim_diag_set(diag, OSIM_EIO, fin, 0, 0, "%s exited 0 but wrote no PDF", prog);
        goto fail;
    }
    if (rename(tmp, fin) != 0) {
        rc = osim_diag_set(diag, OSIM_EIO, fin, 0, 0, "cannot rename: %s", strerror(errno));
        goto fail;
    }
    goto done;
fail:
    if (tmp != NULL)
        remove(tmp);
    if (fin != NULL)
        remove(fin); /* an older PDF would not match the new HTML */
done:
    if (loop_open) {
        uv_run(&loop, UV_RUN_DEFAULT);
        uv_loop_close(&loop);
    }
    if (profile != NULL)
        nftw(profile, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(j.buf);
    free(a_profile);
    free(a_pdf);
    free(profile);
    free(url);
    free(fin);
    free(tmp);
    free(html);
    return rc;
}
