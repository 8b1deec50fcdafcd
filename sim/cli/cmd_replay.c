/*
 * cmd_replay.c -- `outagesim replay`: narrate one replication of the fire.
 *
 * The replication is simulated first, in full and at once, into a list of
 * narration lines; --speed only paces how they are shown, with a libuv
 * timer. Simulated time never runs on a wall clock, so a paced replay and
 * an instant one print exactly the same lines.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "outagesim/compensation.h"
#include "outagesim/replay.h"
#include "outagesim/scenario.h"

typedef struct line {
    double t_h;
    char who[64];
    char what[160];
} line;

typedef struct story {
    line *v;
    size_t n, cap;
    int err;
} story;

static void collect(void *ud, double t_h, const char *who, const char *what)
{
    story *s = ud;

    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        line *v = realloc(s->v, cap * sizeof(*v));
        if (v == NULL) {
            s->err = OSIM_ENOMEM;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].t_h = t_h;
    snprintf(s->v[s->n].who, sizeof(s->v[s->n].who), "%s", who);
    snprintf(s->v[s->n].what, sizeof(s->v[s->n].what), "%s", what);
    s->n++;
}

/* "2022-10-15 16:52" local time of t_h hours after ignition. */
static void local_time(const osim_scenario *sc, double t_h, char *buf, size_t n)
{
    time_t t = (time_t)(sc->start_epoch_s + (int64_t)llround(t_h * 3600.0) +
                        (int64_t)llround(sc->utc_offset_h * 3600.0));
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

/* CSV needs quoting only for commas, quotes and newlines. */
static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

typedef struct show {
    const osim_scenario *sc;
    const story *st;
    bool csv;
    size_t next;
} show;

static void print_line(show *sh, const line *l)
{
    char when[32];

    local_time(sh->sc, l->t_h, when, sizeof(when));
    if (sh->csv) {
        printf("%s,%.4f,", when, l->t_h);
        csv_field(stdout, l->who);
        fputc(',', stdout);
        csv_field(stdout, l->what);
        fputc('\n', stdout);
    } else {
        printf("%s %s  %+8.2fh  %s: %s\n", when, sh->sc->timezone ? sh->sc->timezone : "", l->t_h,
               l->who, l->what);
    }
}

/* ------------------------------------------------------------------ pacing */

typedef struct pacer {
    show *sh;
    double speed;   /* simulated seconds per wall second */
    uint64_t t0_ms; /* wall start */
    uv_timer_t timer;
    uv_signal_t sigint;
    bool interrupted;
} pacer;

static void on_tick(uv_timer_t *t)
{
    pacer *p = t->data;
    double wall_s = (double)(uv_now(t->loop) - p->t0_ms) / 1000.0;
    double sim_h = wall_s * p->speed / 3600.0;

    while (p->sh->next < p->sh->st->n && p->sh->st->v[p->sh->next].t_h <= sim_h)
        print_line(p->sh, &p->sh->st->v[p->sh->next++]);
    fflush(stdout);
    if (p->sh->next >= p->sh->st->n) {
        uv_timer_stop(&p->timer);
        uv_close((uv_handle_t *)&p->timer, NULL);
        uv_close((uv_handle_t *)&p->sigint, NULL);
    }
}

static void on_sigint(uv_signal_t *s, int signum)
{
    pacer *p = s->data;

    (void)signum;
    p->interrupted = true;
    uv_timer_stop(&p->timer);
    uv_close((uv_handle_t *)&p->timer, NULL);
    uv_close((uv_handle_t *)&p->sigint, NULL);
}

static int play_paced(show *sh, double speed)
{
    uv_loop_t loop;
    pacer p;

    memset(&p, 0, sizeof(p));
    p.sh = sh;
    p.speed = speed;
    if (uv_loop_init(&loop) != 0)
        return CLI_FAIL;
    uv_timer_init(&loop, &p.timer);
    uv_signal_init(&loop, &p.sigint);
    p.timer.data = &p;
    p.sigint.data = &p;
    p.t0_ms = uv_now(&loop);
    uv_signal_start(&p.sigint, on_sigint, SIGINT);
    uv_timer_start(&p.timer, on_tick, 0, 50);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    if (p.interrupted) {
        fprintf(stderr, "outagesim: replay interrupted at %zu of %zu events\n", sh->next,
                sh->st->n);
        return CLI_INTERRUPTED;
    }
    return CLI_OK;
}

/* ------------------------------------------------------------------ summary */

static void print_summary(const osim_scenario *sc, const osim_replay_result *res, const char *topo)
{
    size_t s;

    printf("\nSummary for topology %s (hours from ignition; data lost in GB):\n", topo);
    printf("  %-22s %12s %12s %12s\n", "service", "back at (h)", "downtime (h)", "data lost");
    for (s = 0; s < sc->services_count; s++) {
        const osim_service_outcome *o = &res->services[s];
        printf("  %-22s %12.2f %12.2f %12.1f\n", sc->services[s].name, o->recovered_h,
               o->downtime_h, o->data_lost_gb);
    }
    printf("  %-22s %12.2f\n", "whole system", res->full_recovery_h);
}

static void help(void)
{
    printf("usage: outagesim replay SCENARIO --topology NAME [options]\n"
           "\n"
           "Narrate one replication of the incident under one design: what happened,\n"
           "when (local clock time and hours since ignition), and why services came back\n"
           "when they did. Ends with a table of recovery times.\n"
           "\n"
           "options:\n"
           "  --topology NAME   the design to replay (required; see the scenario's topologies)\n"
           "  --seed S          master seed, a whole number (default 1)\n"
           "  --replication R   which replication of that seed to narrate (default 0);\n"
           "                    the same (seed, R) is replication R of `outagesim run`\n"
           "  --speed X         0 prints at once (default); X > 0 plays X simulated seconds\n"
           "                    per wall-clock second (3600 = one hour per second).\n"
           "                    Ctrl-C stops a paced replay (exit 130)\n"
           "  --format F        text (default) or csv: time,hours,who,what\n"
           "  --set PATH=VALUE  override a scenario value (repeatable; see `outagesim params`)\n"
           "\n"
           "example:\n"
           "  outagesim replay scenarios/kakao-pangyo-2022.yaml --topology as-was --speed 3600\n");
}

static int replay_main(int argc, char **argv)
{
    const char *path = NULL, *topo_name = NULL, *format = "text";
    uint64_t seed = 1, rep = 0;
    double speed = 0.0;
    cli_overrides ov;
    osim_scenario *sc = NULL;
    osim_incident *inc = NULL;
    osim_replay *rp = NULL;
    osim_replay_result *res = NULL;
    osim_diag diag;
    story st = {0};
    show sh;
    long topo;
    int i, rc, code = CLI_FAIL;

    cli_overrides_init(&ov);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--topology") == 0 && i + 1 < argc) {
            topo_name = argv[++i];
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (cli_parse_u64(argv[++i], &seed) != 0) {
                cli_errorf("--seed wants a whole number, not '%s'", argv[i]);
                goto usage;
            }
        } else if (strcmp(a, "--replication") == 0 && i + 1 < argc) {
            if (cli_parse_u64(argv[++i], &rep) != 0) {
                cli_errorf("--replication wants a whole number, not '%s'", argv[i]);
                goto usage;
            }
        } else if (strcmp(a, "--speed") == 0 && i + 1 < argc) {
            char *end;
            speed = strtod(argv[++i], &end);
            if (*end != '\0' || !(speed >= 0.0) || !isfinite(speed)) {
                cli_errorf("--speed wants a number >= 0, not '%s'", argv[i]);
                goto usage;
            }
        } else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
            if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0) {
                cli_errorf("--format wants text or csv, not '%s'", format);
                goto usage;
            }
        } else if (strcmp(a, "--set") == 0 && i + 1 < argc) {
            if (cli_overrides_add(&ov, argv[++i]) != 0) {
                cli_errorf("--set wants PATH=VALUE, not '%s'", argv[i]);
                goto usage;
            }
        } else if (a[0] == '-') {
            cli_errorf("unknown option '%s' (see 'outagesim replay --help')", a);
            goto usage;
        } else if (path == NULL) {
            path = a;
        } else {
            cli_errorf("one scenario at a time ('%s' and '%s')", path, a);
            goto usage;
        }
    }
    if (path == NULL || topo_name == NULL) {
        cli_errorf("replay needs a SCENARIO and --topology NAME (see 'outagesim replay --help')");
        goto usage;
    }
    osim_diag_clear(&diag);
    rc = osim_comp_scenario_load(path, ov.v, ov.n, &sc, &diag);
    if (rc != 0) {
        cli_print_diag(&diag);
        code = cli_exit_code(rc);
        goto done;
    }
    topo = osim_scenario_topology_index(sc, topo_name);
    if (topo < 0) {
        size_t t;
        fprintf(stderr, "outagesim: no topology '%s' in %s; it has:", topo_name, path);
        for (t = 0; t < sc->topologies_count; t++)
            fprintf(stderr, " %s", sc->topologies[t].name);
        fputc('\n', stderr);
        code = CLI_USAGE;
        goto done;
    }
    if ((rc = osim_incident_new(sc, &inc)) != 0 || (rc = osim_replay_new(sc, &rp)) != 0 ||
        (rc = osim_replay_result_new(sc, &res)) != 0) {
        cli_errorf("%s", osim_strerror(rc));
        goto done;
    }
    osim_replay_set_narrate(rp, collect, &st);
    osim_incident_draw(sc, seed, rep, inc);
    rc = osim_replay_run(rp, inc, (size_t)topo, seed, rep, res);
    if (rc == 0)
        rc = st.err;
    if (rc != 0) {
        cli_errorf("replay failed: %s", osim_strerror(rc));
        goto done;
    }
    sh.sc = sc;
    sh.st = &st;
    sh.csv = strcmp(format, "csv") == 0;
    sh.next = 0;
    if (sh.csv) {
        printf("local_time,hours_since_ignition,who,what\n");
    } else {
        printf("%s, topology %s, seed %" PRIu64 ", replication %" PRIu64 "\n", sc->name, topo_name,
               seed, rep);
        char when[32];
        local_time(sc, 0.0, when, sizeof(when));
        printf("ignition at %s %s; times are local and hours since ignition\n\n", when,
               sc->timezone ? sc->timezone : "");
    }
    if (speed > 0.0) {
        code = play_paced(&sh, speed);
        if (code != CLI_OK)
            goto done;
    } else {
        for (; sh.next < st.n; sh.next++)
            print_line(&sh, &st.v[sh.next]);
    }
    if (!sh.csv)
        print_summary(sc, res, topo_name);
    code = CLI_OK;
    goto done;
usage:
    code = CLI_USAGE;
done:
    free(st.v);
    osim_replay_result_free(res);
    osim_replay_free(rp);
    osim_incident_free(inc);
    osim_scenario_free(sc);
    cli_overrides_free(&ov);
    return code;
}

const cli_command cli_cmd_replay = {
    "replay",
    "narrate one replication of the fire under one design",
    replay_main,
    help,
};
