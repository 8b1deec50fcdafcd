/*
 * gnuplot.c -- render the figures of a plot folder with gnuplot (plot.h),
 * run through core/spawn.h (libuv).
 *
 * Invariant: nothing here goes through a shell and nothing from a scenario
 * reaches gnuplot's command line. gnuplot is started with an argument
 * vector of constants -- the program, "-e" with the output format and a
 * temporary output name (both chosen here from fixed tables), and the
 * figure's script -- in the plot folder as working directory; the script
 * reads vars.gp, where scenario text is inert (gp_escape.h). A figure
 * appears under its final name only when gnuplot exited 0 and wrote it:
 * it renders to .<figure>.<ext>.tmp, renamed on success and removed
 * otherwise, so a failed render never leaves half an image behind.
 *
 * All figures render at once (one process each, core/spawn.h): a gnuplot
 * which runs too long is killed, its stderr is kept for the message, and
 * with a stop hook (opt->stop) every gnuplot is killed when the hook says
 * stop, so that a stop signal is not kept waiting for gnuplot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/spawn.h"
#include "core/str.h"
#include "outagesim/atomic_file.h"
#include "outagesim/plot.h"

#define DEFAULT_TIMEOUT_S 300u

/* One figure: its gnuplot (core/spawn.h) and the names made for it. */
typedef struct job {
    osim__child *child; /* in the array osim__spawn_run takes */
    char *args[5];
    const char *figure;
    char tmp[96], final[96], expr[160], script[96];
} job;

/* Append "figure: text" lines of j's stderr to *acc. */
static void append_stderr(char **acc, const job *j)
{
    size_t have = *acc != NULL ? strlen(*acc) : 0;
    const osim__child *c = j->child;
    size_t need = have + c->err_len + strlen(j->figure) + 64;
    char *n;

    if (c->err_len == 0)
        return;
    n = realloc(*acc, need);
    if (n == NULL)
        return;
    snprintf(n + have, need - have, "[%s] %.*s%s%s", j->figure, (int)c->err_len, c->err,
             c->err[c->err_len - 1] == '\n' ? "" : "\n", c->err_truncated ? "[...]\n" : "");
    *acc = n;
}

void osim_plot_outcome_free(osim_plot_outcome *o)
{
    if (o == NULL)
        return;
    free(o->failed);
    free(o->gnuplot_stderr);
    o->failed = NULL;
    o->gnuplot_stderr = NULL;
}

static const char *const format_names[] = {"png", "svg", "pdf"};

const char *osim_plot_format_name(osim_plot_format f)
{
    return (unsigned)f < 3 ? format_names[f] : "png";
}

int osim_plot_format_parse(const char *name, osim_plot_format *out)
{
    unsigned i;

    for (i = 0; name != NULL && i < 3; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (osim_plot_format)i;
            return 0;
        }
    }
    return OSIM_EINVAL;
}

/* Names go into gnuplot's -e argument and into file names: letters, digits,
 * '-', '_' and '.' only (not first), so that they can carry no quote and no
 * path. */
static bool valid_figure_names(const char *const *figures, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (figures[i] == NULL || figures[i][0] == '\0' || figures[i][0] == '.' ||
            strlen(figures[i]) > 64 ||
            strspn(figures[i],
                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
                strlen(figures[i]))
            return false;
    return true;
}

/* Make j's names and gnuplot's argument vector: constants only, the format
 * name and file names made of the (checked) figure name. */
static void prepare_job(job *j, const char *prog, const char *plot_dir, const char *ext)
{
    snprintf(j->tmp, sizeof(j->tmp), ".%s.%s.tmp", j->figure, ext);
    snprintf(j->final, sizeof(j->final), "%s.%s", j->figure, ext);
    snprintf(j->script, sizeof(j->script), "%s.gp", j->figure);
    snprintf(j->expr, sizeof(j->expr), "fmt='%s'; out='%s'", ext, j->tmp);
    j->args[0] = (char *)prog;
    j->args[1] = "-e";
    j->args[2] = j->expr;
    j->args[3] = j->script;
    j->args[4] = NULL;
    j->child->args = j->args;
    j->child->cwd = plot_dir;
}

/* After the loop: publish j's figure if gnuplot succeeded and wrote it, else
 * remove its temporary file. The first failure sets rc, the diag and
 * out->failed; later ones only add their stderr. Returns the new rc. */
static int finish_job(job *j, const char *plot_dir, unsigned timeout_s, int rc,
                      osim_plot_outcome *out, osim_diag *diag)
{
    char *tmp = osim_path_join(plot_dir, j->tmp), *fin = osim_path_join(plot_dir, j->final);
    struct stat st;
    const osim__child *c = j->child;
    bool ok = rc == 0 && c->exit_status == 0 && c->term_signal == 0 && !c->timed_out;

    if (tmp == NULL || fin == NULL) {
        free(tmp);
        free(fin);
        return rc ? rc : OSIM_ENOMEM;
    }
    /* Exit status 0 is not enough: a script that never sets the output writes nothing. */
    if (ok && (stat(tmp, &st) != 0 || st.st_size == 0)) {
        ok = false;
        if (rc == 0) {
            rc = osim_diag_set(diag, OSIM_EIO, fin, 0, 0,
                               "gnuplot exited 0 but wrote nothing (does %s set the output?)",
                               j->script);
            out->failed = osim__strdup(j->figure);
        }
    }
    if (ok && rename(tmp, fin) != 0) {
        int e = errno;
        ok = false;
        if (rc == 0) {
            rc = osim_diag_set(diag, OSIM_EIO, fin, 0, 0, "cannot rename: %s", strerror(e));
            out->failed = osim__strdup(j->figure);
        }
    }
    if (ok) {
        out->rendered++;
    } else {
        remove(tmp);
        if (rc == 0) {
            out->failed = osim__strdup(j->figure);
            if (c->timed_out)
                rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0,
                                   "gnuplot took more than %u s on %s and was stopped", timeout_s,
                                   j->script);
            else if (c->term_signal != 0) {
                out->killed_by = c->term_signal; /* Ctrl-C reaches gnuplot too */
                rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0,
                                   "gnuplot was killed by signal %d on %s", c->term_signal,
                                   j->script);
            } else
                rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0,
                                   "gnuplot failed on %s (exit status %lld)", j->script,
                                   (long long)c->exit_status);
        }
    }
    /* Failures first: the figure that failed, then any warnings. */
    if (!ok || c->err_len > 0)
        append_stderr(&out->gnuplot_stderr, j);
    free(tmp);
    free(fin);
    return rc;
}

static bool any_stopped(const job *jobs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (jobs[i].child->stopped)
            return true;
    return false;
}

/* Run every figure's gnuplot at once (core/spawn.h), then publish or remove
 * each output. */
int osim_plot_render_figures(const char *plot_dir, const char *const *figures, size_t n,
                             const osim_plot_options *opt, osim_plot_outcome *out, osim_diag *diag)
{
    const char *prog = opt != NULL && opt->gnuplot != NULL ? opt->gnuplot : "gnuplot";
    osim_plot_format fmt = opt != NULL ? opt->format : OSIM_PLOT_PNG;
    unsigned timeout_s = opt != NULL && opt->timeout_s ? opt->timeout_s : DEFAULT_TIMEOUT_S;
    const char *ext = osim_plot_format_name(fmt);
    osim__spawn_options so = {timeout_s, opt != NULL ? opt->stop : NULL,
                              opt != NULL ? opt->stop_ud : NULL};
    osim__child *children;
    job *jobs;
    size_t i;
    int rc = 0, spawn_err = 0, run;

    if (plot_dir == NULL || out == NULL || figures == NULL || n == 0)
        return OSIM_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!valid_figure_names(figures, n))
        return OSIM_EINVAL;
    jobs = calloc(n, sizeof(*jobs));
    children = calloc(n, sizeof(*children));
    if (jobs == NULL || children == NULL) {
        free(jobs);
        free(children);
        return OSIM_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        jobs[i].figure = figures[i];
        jobs[i].child = &children[i];
        prepare_job(&jobs[i], prog, plot_dir, ext);
    }
    run = osim__spawn_run(children, n, &so, &spawn_err);
    if (run == OSIM_ENOMEM)
        rc = OSIM_ENOMEM;
    else if (run != 0 && spawn_err == 0)
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot create an event loop");
    else if (any_stopped(jobs, n) && spawn_err == 0)
        rc = osim_diag_set(diag, OSIM_ESTOPPED, NULL, 0, 0, "stopped while gnuplot was drawing");
    if (osim__spawn_missing(spawn_err)) {
        out->gnuplot_missing = true;
        rc = osim_diag_set(diag, OSIM_ENOTSUP, NULL, 0, 0, "cannot run %s: %s", prog,
                           osim__spawn_strerror(spawn_err));
    } else if (spawn_err != 0) {
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot start %s: %s", prog,
                           osim__spawn_strerror(spawn_err));
    }
    for (i = 0; i < n; i++) {
        if (children[i].started)
            rc = finish_job(&jobs[i], plot_dir, timeout_s, rc, out, diag);
        osim__child_free(&children[i]);
    }
    free(children);
    free(jobs);
    return rc;
}

/* ------------------------------------------------------------ scripts */

static int copy_stream(FILE *f, void *ud)
{
    FILE *in = ud;
    char buf[8192];
    size_t got;

    while ((got = fread(buf, 1, sizeof(buf), in)) > 0)
        if (fwrite(buf, 1, got, f) != got)
            return OSIM_EIO;
    return ferror(in) ? OSIM_EIO : 0;
}

int osim_plot_copy_script(const char *scripts_dir, const char *dir, const char *name,
                          osim_diag *diag)
{
    char *src = osim_path_join(scripts_dir, name);
    FILE *in;
    int rc;

    if (src == NULL)
        return OSIM_ENOMEM;
    if ((in = fopen(src, "rb")) == NULL) {
        int e = errno;
        rc = osim_diag_set(diag, e == ENOENT ? OSIM_ENOENT : OSIM_EIO, src, 0, 0,
                           "cannot open plot script: %s", strerror(e));
        free(src);
        return rc;
    }
    /* A failed read or write: the first message recorded names the cause. */
    if ((rc = osim_atomic_write(dir, name, copy_stream, in, diag)) == OSIM_EIO)
        osim_diag_set(diag, OSIM_EIO, src, 0, 0, "cannot copy plot script");
    fclose(in);
    free(src);
    return rc;
}
