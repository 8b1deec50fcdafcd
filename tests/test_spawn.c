/*
 * test_spawn.c -- sim/core/spawn.c, the one way helper programs (gnuplot,
 * Chromium) are run.
 *
 * Invariants checked, with /bin/sh standing in for the helpers:
 * - a child's exit status and stderr come back as it left them, and a
 *   stderr past the kept maximum is cut there and marked truncated (the
 *   child is not blocked on a full pipe: it ends);
 * - a child that runs past the timeout is killed (SIGKILL) and marked
 *   timed_out; one the stop hook stops is killed and marked stopped, and
 *   the hook is not asked again once it said stop;
 * - a program that is not there is a spawn error osim__spawn_missing
 *   recognises, and children started before it are killed, not waited for;
 * - several children run at once: two that each wait for the other's mark
 *   both see it.
 */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>
/* clang-format on */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/spawn.h"
#include "outagesim/error.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void exit_status_and_stderr(void **state)
{
    char *args[] = {"/bin/sh", "-c", "echo oops >&2; exit 3", NULL};
    osim__child c;
    int err = -1;

    (void)state;
    memset(&c, 0, sizeof(c));
    c.args = args;
    assert_int_equal(osim__spawn_run(&c, 1, NULL, &err), 0);
    assert_int_equal(err, 0);
    assert_true(c.started);
    assert_false(c.timed_out);
    assert_false(c.stopped);
    assert_int_equal(c.exit_status, 3);
    assert_int_equal(c.term_signal, 0);
    assert_non_null(c.err);
    assert_string_equal(c.err, "oops\n");
    assert_false(c.err_truncated);
    osim__child_free(&c);
    assert_null(c.err);
}

static void stderr_cut_at_the_maximum(void **state)
{
    char *args[] = {"/bin/sh", "-c",
                    "i=0; while [ $i -lt 700 ]; do "
                    "echo 0123456789012345678901234567890123456789 >&2; "
                    "i=$((i + 1)); done",
                    NULL};
    osim__child c;
    int err;

    (void)state;
    memset(&c, 0, sizeof(c));
    c.args = args;
    assert_int_equal(osim__spawn_run(&c, 1, NULL, &err), 0);
    assert_int_equal(c.exit_status, 0); /* 28,700 bytes written: it was never blocked */
    assert_int_equal(c.err_len, OSIM__SPAWN_STDERR_MAX);
    assert_true(c.err_truncated);
    assert_int_equal(strlen(c.err), OSIM__SPAWN_STDERR_MAX);
    osim__child_free(&c);
}

static void killed_after_the_timeout(void **state)
{
    char *args[] = {"/bin/sh", "-c", "exec sleep 30", NULL};
    osim__spawn_options o = {1, NULL, NULL};
    osim__child c;
    double t0 = now_s();
    int err;

    (void)state;
    memset(&c, 0, sizeof(c));
    c.args = args;
    assert_int_equal(osim__spawn_run(&c, 1, &o, &err), 0);
    assert_true(c.timed_out);
    assert_false(c.stopped);
    assert_int_equal(c.term_signal, SIGKILL);
    assert_true(now_s() - t0 < 10.0);
    osim__child_free(&c);
}

static int stop_on_second_ask(void *ud)
{
    int *asked = ud;

    return ++*asked >= 2;
}

static void stopped_by_the_hook(void **state)
{
    char *a1[] = {"/bin/sh", "-c", "exec sleep 30", NULL};
    char *a2[] = {"/bin/sh", "-c", "exec sleep 30", NULL};
    int asked = 0, err;
    osim__spawn_options o = {0, stop_on_second_ask, &asked};
    osim__child c[2];
    double t0 = now_s();

    (void)state;
    memset(c, 0, sizeof(c));
    c[0].args = a1;
    c[1].args = a2;
    assert_int_equal(osim__spawn_run(c, 2, &o, &err), 0);
    assert_true(c[0].stopped && c[1].stopped);
    assert_false(c[0].timed_out || c[1].timed_out);
    assert_int_equal(c[0].term_signal, SIGKILL);
    assert_int_equal(c[1].term_signal, SIGKILL);
    assert_int_equal(asked, 2); /* not asked again once it said stop */
    assert_true(now_s() - t0 < 10.0);
    osim__child_free(&c[0]);
    osim__child_free(&c[1]);
}

static void missing_program(void **state)
{
    char *a1[] = {"/bin/sh", "-c", "exec sleep 30", NULL};
    char *a2[] = {"/nonexistent/outagesim-no-such-program", NULL};
    osim__child c[2];
    double t0 = now_s();
    int err = 0;

    (void)state;
    memset(c, 0, sizeof(c));
    c[0].args = a1;
    c[1].args = a2;
    assert_int_equal(osim__spawn_run(c, 2, NULL, &err), OSIM_EIO);
    assert_int_not_equal(err, 0);
    assert_true(osim__spawn_missing(err));
    assert_non_null(osim__spawn_strerror(err));
    assert_true(c[0].started);
    assert_int_equal(c[0].term_signal, SIGKILL); /* killed, not waited for */
    assert_false(c[1].started);
    assert_true(now_s() - t0 < 10.0);
    osim__child_free(&c[0]);
    osim__child_free(&c[1]);
}

/*
 * A rendezvous, not a stopwatch: each child marks that it runs, then waits
 * (up to 20 s) for the other's mark and fails without it. Run one after the
 * other, the first would never see the second's mark; so two successes mean
 * they ran at the same time, however loaded the machine.
 */
static void children_run_at_once(void **state)
{
    char dir[] = "/tmp/osim-spawn-XXXXXX";
    char s1[256], s2[256];
    char *a1[] = {"/bin/sh", "-c", s1, NULL};
    char *a2[] = {"/bin/sh", "-c", s2, NULL};
    osim__child c[2];
    int err;

    (void)state;
    assert_non_null(mkdtemp(dir));
#define RENDEZVOUS                                                                                 \
    "touch %s/%s; i=0; while [ ! -e %s/%s ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done; "   \
    "[ -e %s/%s ]"
    snprintf(s1, sizeof(s1), RENDEZVOUS, dir, "one", dir, "two", dir, "two");
    snprintf(s2, sizeof(s2), RENDEZVOUS, dir, "two", dir, "one", dir, "one");
#undef RENDEZVOUS
    memset(c, 0, sizeof(c));
    c[0].args = a1;
    c[1].args = a2;
    assert_int_equal(osim__spawn_run(c, 2, NULL, &err), 0);
    assert_int_equal(c[0].exit_status, 0);
    assert_int_equal(c[1].exit_status, 0);
    osim__child_free(&c[0]);
    osim__child_free(&c[1]);
    snprintf(s1, sizeof(s1), "%s/one", dir);
    snprintf(s2, sizeof(s2), "%s/two", dir);
    remove(s1);
    remove(s2);
    remove(dir);
}

static void bad_arguments(void **state)
{
    char *none[] = {NULL};
    osim__child c;
    int err;

    (void)state;
    memset(&c, 0, sizeof(c));
    assert_int_equal(osim__spawn_run(NULL, 1, NULL, &err), OSIM_EINVAL);
    assert_int_equal(osim__spawn_run(&c, 0, NULL, &err), OSIM_EINVAL);
    assert_int_equal(osim__spawn_run(&c, 1, NULL, &err), OSIM_EINVAL); /* no args */
    c.args = none;
    assert_int_equal(osim__spawn_run(&c, 1, NULL, &err), OSIM_EINVAL);
    osim__child_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exit_status_and_stderr),
        cmocka_unit_test(stderr_cut_at_the_maximum),
        cmocka_unit_test(killed_after_the_timeout),
        cmocka_unit_test(stopped_by_the_hook),
        cmocka_unit_test(missing_program),
        cmocka_unit_test(children_run_at_once),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
