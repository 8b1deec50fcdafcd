/*
 * pdf.c -- report.pdf printed from report.html by headless Chromium, run
 * through core/spawn.h (libuv) as gnuplot is (sim/report/gnuplot.c).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brief/brief_int.h"
#include "core/spawn.h"
#include "core/str.h"
#include "outagesim/atomic_file.h"

#define DEFAULT_TIMEOUT_S 120u
#define PDF_TMP ".report.pdf.tmp"

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
    osim__spawn_options so = {timeout_s, opt != NULL ? opt->stop : NULL,
                              opt != NULL ? opt->stop_ud : NULL};
    osim__child child;
    struct stat sb;
    char *args[16];
    int rc = 0, err = 0, k = 0;

    memset(&child, 0, sizeof(child));
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

    child.args = args;
    child.cwd = absdir;
    if ((rc = osim__spawn_run(&child, 1, &so, &err)) != 0) {
        if (osim__spawn_missing(err)) {
            out->chromium_missing = true;
            rc = osim_diag_set(diag, OSIM_ENOTSUP, NULL, 0, 0, "cannot run %s: %s", prog,
                               osim__spawn_strerror(err));
        } else if (err != 0)
            rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot start %s: %s", prog,
                               osim__spawn_strerror(err));
        else if (rc == OSIM_EIO)
            rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot create an event loop");
        goto fail;
    }
    if (child.err_len > 0)
        out->chromium_stderr = osim__strndup(child.err, child.err_len);
    if (child.stopped) {
        rc = osim_diag_set(diag, OSIM_ESTOPPED, NULL, 0, 0, "stopped while Chromium was printing");
        goto fail;
    }
    if (child.timed_out) {
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0,
                           "%s took more than %u s to print %s and was stopped", prog, timeout_s,
                           OSIM_BRIEF_HTML);
        goto fail;
    }
    if (child.term_signal != 0) {
        out->killed_by = child.term_signal;
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "%s was killed by signal %d", prog,
                           child.term_signal);
        goto fail;
    }
    if (child.exit_status != 0) {
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "%s failed (exit status %lld)", prog,
                           (long long)child.exit_status);
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
    if (profile != NULL)
        nftw(profile, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    osim__child_free(&child);
    free(a_profile);
    free(a_pdf);
    free(profile);
    free(url);
    free(fin);
    free(tmp);
    free(html);
    return rc;
}
