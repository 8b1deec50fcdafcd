/*
 * gnuplot.c -- render the figures of a plot folder with gnuplot (plot.h),
 * spawned through libuv.
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
 * All figures render at once (one process each) on a private loop; each
 * has a timer that kills a gnuplot which runs too long, and a pipe that
 * collects its stderr for the message. With a stop hook (opt->stop), one
 * more timer asks it every WATCH_MS and kills every gnuplot when it says
 * stop, so that a stop signal is not kept waiting for gnuplot.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "core/str.h"
#include "outagesim/atomic_file.h"
#include "outagesim/plot.h"

#define DEFAULT_TIMEOUT_S 300u
#define STDERR_MAX 16384 /* keep at most this much of one gnuplot's stderr */
#define WATCH_MS 50u     /* how often the stop hook is asked */

typedef struct job {
    uv_process_t proc;
    uv_pipe_t err;
    uv_timer_t timer;
    bool spawned, exited, timed_out;
    int64_t exit_status;
    int term_signal;
    char *buf;       /* stderr */
    char sink[1024]; /* reads beyond STDERR_MAX land here and are dropped */
    size_t len, cap;
    bool truncated;
    const char *figure;
    char tmp[96], final[96], expr[160], script[96];
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
        /* No room (or no memory): keep reading, so gnuplot never blocks on
         * a full pipe, but drop the text. */
        b->base = j->sink;
        b->len = sizeof(j->sink);
        return;
    }
    b->base = j->buf + j->len;
    b->len = j->cap - j->len - 1;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    job *j = s->data;

    if (n > 0 && b->base == j->sink) {
        j->truncated = true;
        return;
    }
    if (n > 0) {
        j->len += (size_t)n;
        if (j->len > STDERR_MAX) {
            j->len = STDERR_MAX;
            j->truncated = true;
        }
        return;
    }
    if (n < 0) /* UV_EOF or an error: either way the pipe is done */
        close_handle((uv_handle_t *)&j->err);
}

static void on_exit_cb(uv_process_t *p, int64_t status, int sig)
{
    job *j = p->data;

    j->exited = true;
    j->exit_status = status;
    j->term_signal = sig;
    uv_timer_stop(&j->timer);
    close_handle((uv_handle_t *)&j->timer);
    close_handle((uv_handle_t *)p);
}

static void on_timeout(uv_timer_t *t)
{
    job *j = t->data;

    j->timed_out = true;
    uv_process_kill(&j->proc, SIGKILL);
}

/* Append "figure: text" lines of j's stderr to *acc. */
static void append_stderr(char **acc, const job *j)
{
    size_t have = *acc != NULL ? strlen(*acc) : 0;
    size_t need = have + j->len + strlen(j->figure) + 64;
    char *n;

    if (j->len == 0)
        return;
    n = realloc(*acc, need);
    if (n == NULL)
        return;
    snprintf(n + have, need - have, "[%s] %.*s%s%s", j->figure, (int)j->len, j->buf,
             j->len > 0 && j->buf[j->len - 1] == '\n' ? "" : "\n", j->truncated ? "[...]\n" : "");
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

/* Start gnuplot on j's figure, with its stderr on a pipe and a timer that
 * kills it after timeout_s. Returns 0 or a libuv error (nothing left open). */
static int spawn_job(uv_loop_t *loop, job *j, const char *prog, const char *plot_dir,
                     const char *ext, unsigned timeout_s)
{
    uv_process_options_t po;
    uv_stdio_container_t stdio[3];
    char *args[5];
    int err;

    snprintf(j->tmp, sizeof(j->tmp), ".%s.%s.tmp", j->figure, ext);
    snprintf(j->final, sizeof(j->final), "%s.%s", j->figure, ext);
    snprintf(j->script, sizeof(j->script), "%s.gp", j->figure);
    /* Constants only: the format name and a file name made of the figure name. */
    snprintf(j->expr, sizeof(j->expr), "fmt='%s'; out='%s'", ext, j->tmp);
    args[0] = (char *)prog;
    args[1] = "-e";
    args[2] = j->expr;
    args[3] = j->script;
    args[4] = NULL;

    uv_pipe_init(loop, &j->err, 0);
    uv_timer_init(loop, &j->timer);
    j->err.data = j->timer.data = j->proc.data = j;

    memset(&po, 0, sizeof(po));
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_IGNORE;
    stdio[2].flags = (uv_stdio_flags)(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
    stdio[2].data.stream = (uv_stream_t *)&j->err;
    po.file = prog;
    po.args = args;
    po.cwd = plot_dir;
    po.stdio = stdio;
    po.stdio_count = 3;
    po.exit_cb = on_exit_cb;
    err = uv_spawn(loop, &j->proc, &po);
    if (err != 0) {
        /* The handles were initialised: they must be closed before the loop is. */
        close_handle((uv_handle_t *)&j->proc);
        close_handle((uv_handle_t *)&j->err);
        close_handle((uv_handle_t *)&j->timer);
        return err;
    }
    j->spawned = true;
    uv_read_start((uv_stream_t *)&j->err, on_alloc, on_read);
    uv_timer_start(&j->timer, on_timeout, (uint64_t)timeout_s * 1000u, 0);
    return 0;
}

/* After the loop: publish j's figure if gnuplot succeeded and wrote it, else
 * remove its temporary file. The first failure sets rc, the diag and
 * out->failed; later ones only add their stderr. Returns the new rc. */
static int finish_job(job *j, const char *plot_dir, unsigned timeout_s, int rc,
                      osim_plot_outcome *out, osim_diag *diag)
{
    char *tmp = osim_path_join(plot_dir, j->tmp), *fin = osim_path_join(plot_dir, j->final);
    struct stat st;
    bool ok = rc == 0 && j->exited && j->exit_status == 0 && j->term_signal == 0 && !j->timed_out;

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
            if (j->timed_out)
                rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0,
                                   "gnuplot took more than %u s on %s and was stopped", timeout_s,
                                   j->script);
            else if (j->term_signal != 0) {
                out->killed_by = j->term_signal; /* Ctrl-C reaches gnuplot too */
                rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0,
                                   "gnuplot was killed by signal %d on %s", j->term_signal,
                                   j->script);
            } else
                rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0,
                                   "gnuplot failed on %s (exit status %lld)", j->script,
                                   (long long)j->exit_status);
        }
    }
    /* Failures first: the figure that failed, then any warnings. */
    if (!ok || j->len > 0)
        append_stderr(&out->gnuplot_stderr, j);
    free(tmp);
    free(fin);
    return rc;
}

/* The stop hook's timer: ask it; on stop kill every gnuplot. Closes itself
 * once every started gnuplot has exited, so that the loop can end. */
typedef struct watch {
    uv_timer_t timer;
    job *jobs;
    size_t started;
    const osim_plot_options *opt;
    bool stopped;
} watch;

static void on_watch(uv_timer_t *t)
{
    watch *w = t->data;
    size_t i, running = 0;

    for (i = 0; i < w->started; i++)
        running += !w->jobs[i].exited;
    if (running > 0 && !w->stopped && w->opt->stop(w->opt->stop_ud) != 0) {
        w->stopped = true;
        for (i = 0; i < w->started; i++)
            if (!w->jobs[i].exited)
                uv_process_kill(&w->jobs[i].proc, SIGKILL);
    }
    if (running == 0) {
        uv_timer_stop(t);
        close_handle((uv_handle_t *)t);
    }
}

/* Spawn every figure at once on a private loop, run it until every gnuplot
 * has exited (or been killed), then publish or remove each output. */
int osim_plot_render_figures(const char *plot_dir, const char *const *figures, size_t n,
                             const osim_plot_options *opt, osim_plot_outcome *out, osim_diag *diag)
{
    const char *prog = opt != NULL && opt->gnuplot != NULL ? opt->gnuplot : "gnuplot";
    osim_plot_format fmt = opt != NULL ? opt->format : OSIM_PLOT_PNG;
    unsigned timeout_s = opt != NULL && opt->timeout_s ? opt->timeout_s : DEFAULT_TIMEOUT_S;
    const char *ext = osim_plot_format_name(fmt);
    job *jobs;
    uv_loop_t loop;
    watch w;
    size_t i, started = 0;
    int rc = 0, spawn_err = 0;

    if (plot_dir == NULL || out == NULL || figures == NULL || n == 0)
        return OSIM_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!valid_figure_names(figures, n))
        return OSIM_EINVAL;
    if ((jobs = calloc(n, sizeof(*jobs))) == NULL)
        return OSIM_ENOMEM;
    if (uv_loop_init(&loop) != 0) {
        free(jobs);
        return osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot create an event loop");
    }
    for (i = 0; i < n && spawn_err == 0; i++) {
        jobs[i].figure = figures[i];
        spawn_err = spawn_job(&loop, &jobs[i], prog, plot_dir, ext, timeout_s);
        if (spawn_err == 0)
            started++;
    }
    if (spawn_err != 0) {
        /* Stop what did start: the render as a whole cannot be done. */
        for (i = 0; i < started; i++)
            if (!jobs[i].exited)
                uv_process_kill(&jobs[i].proc, SIGKILL);
    }
    memset(&w, 0, sizeof(w));
    if (opt != NULL && opt->stop != NULL && started > 0 && uv_timer_init(&loop, &w.timer) == 0) {
        w.timer.data = &w;
        w.jobs = jobs;
        w.started = started;
        w.opt = opt;
        uv_timer_start(&w.timer, on_watch, WATCH_MS, WATCH_MS);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    if (w.stopped && rc == 0 && spawn_err == 0)
        rc = osim_diag_set(diag, OSIM_ESTOPPED, NULL, 0, 0, "stopped while gnuplot was drawing");

    if (spawn_err == UV_ENOENT || spawn_err == UV_EACCES || spawn_err == UV_ENOTDIR) {
        out->gnuplot_missing = true;
        rc = osim_diag_set(diag, OSIM_ENOTSUP, NULL, 0, 0, "cannot run %s: %s", prog,
                           uv_strerror(spawn_err));
    } else if (spawn_err != 0) {
        rc = osim_diag_set(diag, OSIM_EIO, NULL, 0, 0, "cannot start %s: %s", prog,
                           uv_strerror(spawn_err));
    }
    for (i = 0; i < started; i++) {
        rc = finish_job(&jobs[i], plot_dir, timeout_s, rc, out, diag);
        free(jobs[i].buf);
    }
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
