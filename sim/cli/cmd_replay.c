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
#include "cli/opts.h"
#include "cli/scenario_args.h"
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
    int interrupted; /* the stop signal (signals.c), or 0 */
} pacer;

static void on_tick(uv_timer_t *t)
{
    pacer *p = t->data;
    double wall_s = (double)(uv_now(t->loop) - p->t0_ms) / 1000.0;
    double sim_h = wall_s * p->speed / 3600.0;

    while (p->sh->next < p->sh->st->n && p->sh->st->v[p->sh->next].t_h <= sim_h)
        print_line(p->sh, &p->sh->st->v[p->sh->next++]);
    fflush(stdout);
    /* Every tick also delivers a stop signal (SIGINT, SIGTERM, SIGHUP). */
    p->interrupted = cli_signals_caught();
    if (p->sh->next >= p->sh->st->n || p->interrupted != 0) {
        uv_timer_stop(&p->timer);
        uv_close((uv_handle_t *)&p->timer, NULL);
    }
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
    p.timer.data = &p;
    p.t0_ms = uv_now(&loop);
    uv_timer_start(&p.timer, on_tick, 0, 50);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    if (p.interrupted != 0) {
        fprintf(stderr, "outagesim: replay interrupted (%s) at %zu of %zu events\n",
                cli_signal_name(p.interrupted), sh->next, sh->st->n);
        return cli_interrupted_code();
    }
    return CLI_OK;
}

/* ------------------------------------------------------------------ summary */

/* Does topology t keep backups of some service (the summary then shows when data is back)? */
static bool topology_has_backups(const osim_scenario *sc, const char *topo)
{
    long t = osim_scenario_topology_index(sc, topo);
    size_t s;

    for (s = 0; t >= 0 && s < sc->services_count; s++)
        if (sc->topologies[t].placements[s].backups_count > 0)
            return true;
    return false;
}

static void print_summary(const osim_scenario *sc, const osim_replay_result *res, const char *topo)
{
    bool copies = topology_has_backups(sc, topo);
    size_t s;

    printf("\nSummary for topology %s (hours from ignition; data lost in GB):\n", topo);
    printf("  %-22s %12s %12s %12s", "service", "back at (h)", "downtime (h)", "data lost");
    if (copies)
        printf(" %14s", "data back (h)");
    printf("\n");
    for (s = 0; s < sc->services_count; s++) {
        const osim_service_outcome *o = &res->services[s];
        printf("  %-22s %12.2f %12.2f %12.1f", sc->services[s].name, o->recovered_h, o->downtime_h,
               o->data_lost_gb);
        if (copies)
            printf(" %14.2f", o->data_restored_h);
        printf("\n");
    }
    printf("  %-22s %12.2f\n", "whole system", res->full_recovery_h);
    printf("\nSystems back (%zu systems): 50%% by %.2f h, 90%% by %.2f h, 100%% by %.2f h\n",
           res->systems_total, res->systems_50_h, res->systems_90_h, res->systems_100_h);
}

static void help(void)
{
    printf("usage: outagesim replay SCENARIO --topology NAME [options]\n"
           "\n"
           "Narrate one replication of the incident under one design: what happened,\n"
           "when (local clock time and hours since ignition), and why services came back\n"
           "when they did. Ends with a table of recovery times and the times by\n"
           "which 50%%, 90%% and 100%% of systems were back. Writes only to stdout.\n"
           "\n"
           "options:\n"
           "  --topology NAME   the design to replay (required; see the scenario's topologies)\n"
           "  --seed S          master seed, a whole number (default 1)\n"
           "  --replication R   which replication of that seed to narrate (default 0);\n"
           "                    the same (seed, R) is replication R of `outagesim run`\n"
           "  --speed X         0 prints at once (default); X > 0 plays X simulated seconds\n"
           "                    per wall-clock second (3600 = one hour per second).\n"
           "                    Ctrl-C stops a paced replay (exit 130; SIGTERM 143,\n"
           "                    SIGHUP 129)\n"
           "  --format F        text (default) or csv (one row per event, no summary),\n"
           "                    columns: local_time,hours_since_ignition,who,what\n"
           "  --set PATH=VALUE  override a scenario value (repeatable; see `outagesim params`)\n"
           "\n"
           "example:\n"
           "  outagesim replay scenarios/kakao-pangyo-2022.yaml --topology as-was --speed 3600\n");
}

typedef struct replay_args {
    const char *scenario, *topology;
    uint64_t seed, rep;
    double speed; /* simulated seconds per wall second; 0: at once */
    bool csv;
    cli_overrides ov;
} replay_args;

enum { OPT_TOPOLOGY = CLI_OPT_KEY0, OPT_SEED, OPT_REPLICATION, OPT_SPEED, OPT_FORMAT, OPT_SET };

static const struct option replay_options[] = {
    {"topology", required_argument, NULL, OPT_TOPOLOGY},
    {"seed", required_argument, NULL, OPT_SEED},
    {"replication", required_argument, NULL, OPT_REPLICATION},
    {"speed", required_argument, NULL, OPT_SPEED},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"set", required_argument, NULL, OPT_SET},
    {NULL, 0, NULL, 0},
};

static const char *const replay_formats[] = {"text", "csv", NULL};

/* One option or argument of the command line into a; 0 or an exit code (printed). */
static int take_option(replay_args *a, int key, char *val)
{
    char *end;
    int k, rc;

    switch (key) {
    case CLI_OPTS_ARG:
        if (a->scenario != NULL)
            return cli_usage("replay", "one scenario only ('%s' and '%s')", a->scenario, val);
        a->scenario = val;
        return 0;
    case OPT_TOPOLOGY: a->topology = val; return 0;
    /* The bounds of `run`, so that (seed, R) names replication R of any run. */
    case OPT_SEED: return cli_opt_u64("replay", "--seed", val, 0, INT64_MAX, &a->seed);
    case OPT_REPLICATION: return cli_opt_u64("replay", "--replication", val, 0, INT64_MAX, &a->rep);
    case OPT_SPEED:
        a->speed = strtod(val, &end);
        if (end == val || *end != '\0' || !(a->speed >= 0.0) || !isfinite(a->speed))
            return cli_usage("replay", "--speed: '%s' is not a number >= 0", val);
        return 0;
    case OPT_FORMAT:
        rc = cli_opt_choice("replay", "--format", val, replay_formats, &k);
        a->csv = k == 1;
        return rc;
    case OPT_SET: return cli_opt_set("replay", &a->ov, val);
    default: return cli_opt_unhandled("replay", key);
    }
}

static int parse_args(int argc, char **argv, replay_args *a)
{
    cli_opts p;
    char *val;
    int key, rc;

    memset(a, 0, sizeof(*a));
    a->seed = 1;
    cli_overrides_init(&a->ov);
    cli_opts_init(&p, "replay", argc, argv, replay_options);
    while ((key = cli_opts_next(&p, &val)) != CLI_OPTS_END) {
        if (key == CLI_OPTS_ERROR)
            return CLI_USAGE;
        if ((rc = take_option(a, key, val)) != 0)
            return rc;
    }
    if (a->scenario == NULL || a->topology == NULL)
        return cli_usage("replay", "needs a SCENARIO and --topology NAME");
    return 0;
}

/* The index of a->topology in sc, else print the known ones and return -1. */
static long find_topology(const osim_scenario *sc, const replay_args *a)
{
    long topo = osim_scenario_topology_index(sc, a->topology);
    size_t t;

    if (topo >= 0)
        return topo;
    fprintf(stderr, "outagesim: no topology '%s' in %s; it has:", a->topology, a->scenario);
    for (t = 0; t < sc->topologies_count; t++)
        fprintf(stderr, " %s", sc->topologies[t].name);
    fputc('\n', stderr);
    return -1;
}

/*
 * Simulate replication a->rep of seed a->seed under topology topo, in
 * full, into st (the narration) and *res (the recovery times). Returns an
 * exit code (printed).
 */
static int simulate(const osim_scenario *sc, const replay_args *a, size_t topo, story *st,
                    osim_replay_result **res)
{
    osim_incident *inc = NULL;
    osim_replay *rp = NULL;
    int rc;

    if ((rc = osim_incident_new(sc, &inc)) != 0 || (rc = osim_replay_new(sc, &rp)) != 0 ||
        (rc = osim_replay_result_new(sc, res)) != 0) {
        cli_errorf("%s", osim_strerror(rc));
        goto done;
    }
    osim_replay_set_narrate(rp, collect, st);
    osim_incident_draw(sc, a->seed, a->rep, inc);
    rc = osim_replay_run(rp, inc, topo, a->seed, a->rep, *res);
    if (rc == 0)
        rc = st->err;
    if (rc != 0)
        cli_errorf("replay failed: %s", osim_strerror(rc));
done:
    osim_replay_free(rp);
    osim_incident_free(inc);
    return cli_exit_code(rc);
}

/* What comes before the lines: the CSV header, or a title and the ignition time. */
static void print_head(const osim_scenario *sc, const replay_args *a)
{
    char when[32];

    if (a->csv) {
        printf("local_time,hours_since_ignition,who,what\n");
        return;
    }
    printf("%s, topology %s, seed %" PRIu64 ", replication %" PRIu64 "\n", sc->name, a->topology,
           a->seed, a->rep);
    local_time(sc, 0.0, when, sizeof(when));
    printf("ignition at %s %s; times are local and hours since ignition\n\n", when,
           sc->timezone ? sc->timezone : "");
}

static int replay_main(int argc, char **argv)
{
    replay_args a;
    osim_scenario *sc = NULL;
    osim_replay_result *res = NULL;
    story st = {0};
    show sh;
    long topo;
    int code;

    if ((code = parse_args(argc, argv, &a)) != 0 ||
        (code = cli_load_scenario(a.scenario, &a.ov, &sc)) != 0)
        goto done;
    if ((topo = find_topology(sc, &a)) < 0) {
        code = CLI_USAGE;
        goto done;
    }
    if ((code = simulate(sc, &a, (size_t)topo, &st, &res)) != 0)
        goto done;
    sh.sc = sc;
    sh.st = &st;
    sh.csv = a.csv;
    sh.next = 0;
    print_head(sc, &a);
    if (a.speed > 0.0) {
        if ((code = play_paced(&sh, a.speed)) != CLI_OK)
            goto done;
    } else {
        for (; sh.next < st.n; sh.next++)
            print_line(&sh, &st.v[sh.next]);
    }
    if (!sh.csv)
        print_summary(sc, res, a.topology);
    code = CLI_OK;
done:
    free(st.v);
    osim_replay_result_free(res);
    osim_scenario_free(sc);
    cli_overrides_free(&a.ov);
    return code;
}

const cli_command cli_cmd_replay = {
    "replay",
    "narrate one replication of the fire under one design",
    replay_main,
    help,
};
