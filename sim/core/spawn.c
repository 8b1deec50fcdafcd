/*
 * spawn.c -- helper programs run to the end on a private libuv loop
 * (spawn.h).
 *
 * Invariant: when osim__spawn_run returns, every child it started has
 * ended and every handle it opened is closed. Each child has a pipe for its
 * stderr, read until EOF even past the kept maximum (a child blocked on a
 * full pipe would never end), and a timer that kills it after the timeout;
 * one more timer asks the stop hook and kills every child still running
 * when it says stop. The loop runs until all of them are closed, so no
 * callback can fire after the call.
 */
#include "core/spawn.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define WATCH_MS 50u /* how often the stop hook is asked */

/* The libuv side of one child. */
typedef struct slot {
    uv_process_t proc;
    uv_pipe_t err;
    uv_timer_t timer;
    bool exited;
    size_t cap;
    char sink[1024]; /* reads beyond the maximum land here and are dropped */
    osim__child *c;
} slot;

typedef struct watch {
    uv_timer_t timer;
    slot *slots;
    size_t started;
    const osim__spawn_options *opt;
    bool stopped; /* the hook said stop: it is not asked again */
} watch;

static void close_handle(uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    slot *s = h->data;
    osim__child *c = s->c;

    (void)suggested;
    if (s->cap - c->err_len < 1024 && s->cap < OSIM__SPAWN_STDERR_MAX + 1024) {
        size_t nc = s->cap ? 2 * s->cap : 4096;
        char *nb = realloc(c->err, nc);
        if (nb != NULL) {
            c->err = nb;
            s->cap = nc;
        }
    }
    if (c->err == NULL || s->cap - c->err_len < 2 || c->err_len >= OSIM__SPAWN_STDERR_MAX) {
        /* No room (or no memory): keep reading, drop the text. */
        b->base = s->sink;
        b->len = sizeof(s->sink);
        return;
    }
    b->base = c->err + c->err_len;
    b->len = s->cap - c->err_len - 1;
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
    slot *s = st->data;
    osim__child *c = s->c;

    if (n > 0 && b->base == s->sink) {
        c->err_truncated = true;
    } else if (n > 0) {
        c->err_len += (size_t)n;
        if (c->err_len > OSIM__SPAWN_STDERR_MAX) {
            c->err_len = OSIM__SPAWN_STDERR_MAX;
            c->err_truncated = true;
        }
        c->err[c->err_len] = '\0';
    } else if (n < 0) { /* UV_EOF or an error: either way the pipe is done */
        close_handle((uv_handle_t *)&s->err);
    }
}

static void on_exit_cb(uv_process_t *p, int64_t status, int sig)
{
    slot *s = p->data;

    s->exited = true;
    s->c->exit_status = status;
    s->c->term_signal = sig;
    uv_timer_stop(&s->timer);
    close_handle((uv_handle_t *)&s->timer);
    close_handle((uv_handle_t *)p);
}

static void on_timeout(uv_timer_t *t)
{
    slot *s = t->data;

    s->c->timed_out = true;
    uv_process_kill(&s->proc, SIGKILL);
}

/* Ask the stop hook; on stop kill every child still running. Closes itself
 * once every started child has exited, so that the loop can end. */
static void on_watch(uv_timer_t *t)
{
    watch *w = t->data;
    size_t i, running = 0;

    for (i = 0; i < w->started; i++)
        running += !w->slots[i].exited;
    if (running > 0 && !w->stopped && w->opt->stop(w->opt->stop_ud) != 0) {
        w->stopped = true;
        for (i = 0; i < w->started; i++)
            if (!w->slots[i].exited) {
                w->slots[i].c->stopped = true;
                uv_process_kill(&w->slots[i].proc, SIGKILL);
            }
    }
    if (running == 0) {
        uv_timer_stop(t);
        close_handle((uv_handle_t *)t);
    }
}

/* Start one child with its stderr on a pipe and its timer. Returns 0 or a
 * libuv error (its handles then closing). */
static int start(uv_loop_t *loop, slot *s, unsigned timeout_s)
{
    uv_process_options_t po;
    uv_stdio_container_t stdio[3];
    int err;

    uv_pipe_init(loop, &s->err, 0);
    uv_timer_init(loop, &s->timer);
    s->err.data = s->timer.data = s->proc.data = s;
    memset(&po, 0, sizeof(po));
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_IGNORE;
    stdio[2].flags = (uv_stdio_flags)(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
    stdio[2].data.stream = (uv_stream_t *)&s->err;
    po.file = s->c->args[0];
    po.args = (char **)s->c->args;
    po.cwd = s->c->cwd;
    po.stdio = stdio;
    po.stdio_count = 3;
    po.exit_cb = on_exit_cb;
    if ((err = uv_spawn(loop, &s->proc, &po)) != 0) {
        /* The handles were initialised: they must be closed before the loop is. */
        close_handle((uv_handle_t *)&s->proc);
        close_handle((uv_handle_t *)&s->err);
        close_handle((uv_handle_t *)&s->timer);
        return err;
    }
    s->c->started = true;
    uv_read_start((uv_stream_t *)&s->err, on_alloc, on_read);
    if (timeout_s > 0)
        uv_timer_start(&s->timer, on_timeout, (uint64_t)timeout_s * 1000u, 0);
    return 0;
}

int osim__spawn_run(osim__child *children, size_t n, const osim__spawn_options *opt, int *spawn_err)
{
    unsigned timeout_s = opt != NULL ? opt->timeout_s : 0;
    uv_loop_t loop;
    slot *slots;
    watch w;
    size_t i, started = 0;
    int err = 0;

    if (spawn_err != NULL)
        *spawn_err = 0;
    if (children == NULL || n == 0)
        return OSIM_EINVAL;
    for (i = 0; i < n; i++)
        if (children[i].args == NULL || children[i].args[0] == NULL)
            return OSIM_EINVAL;
    if ((slots = calloc(n, sizeof(*slots))) == NULL)
        return OSIM_ENOMEM;
    if (uv_loop_init(&loop) != 0) {
        free(slots);
        return OSIM_EIO;
    }
    for (i = 0; i < n && err == 0; i++) {
        slots[i].c = &children[i];
        if ((err = start(&loop, &slots[i], timeout_s)) == 0)
            started++;
    }
    if (err != 0) /* stop what did start: the set as a whole cannot be done */
        for (i = 0; i < started; i++)
            uv_process_kill(&slots[i].proc, SIGKILL);
    memset(&w, 0, sizeof(w));
    if (opt != NULL && opt->stop != NULL && started > 0 && uv_timer_init(&loop, &w.timer) == 0) {
        w.timer.data = &w;
        w.slots = slots;
        w.started = started;
        w.opt = opt;
        uv_timer_start(&w.timer, on_watch, WATCH_MS, WATCH_MS);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    free(slots);
    if (err != 0) {
        if (spawn_err != NULL)
            *spawn_err = err;
        return OSIM_EIO;
    }
    return 0;
}

bool osim__spawn_missing(int spawn_err)
{
    return spawn_err == UV_ENOENT || spawn_err == UV_EACCES || spawn_err == UV_ENOTDIR;
}

const char *osim__spawn_strerror(int spawn_err)
{
    return uv_strerror(spawn_err);
}

void osim__child_free(osim__child *c)
{
    if (c == NULL)
        return;
    free(c->err);
    c->err = NULL;
    c->err_len = 0;
}
