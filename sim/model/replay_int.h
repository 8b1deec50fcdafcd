/*
 * replay_int.h -- internal: the state of a replay, shared by the files of
 * the replay (replay.c: set-up, capacity, failover, update, power and the
 * run; replay_narrate.c: what `replay` tells; replay_work.c: work that
 * takes a crew, restores from backups and migrations). Included by those
 * files only.
 */
#ifndef OUTAGESIM_MODEL_REPLAY_INT_H
#define OUTAGESIM_MODEL_REPLAY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/copies.h"
#include "model/crews.h"
#include "model/migration.h"
#include "model/svc_set.h"
#include "outagesim/engine.h"
#include "outagesim/incident.h"
#include "outagesim/replay.h"
#include "outagesim/rng.h"

enum fo_state {
    FO_IDLE = 0, /* nothing asked */
    FO_PENDING,  /* request scheduled (detection delay) */
    FO_WAITING,  /* requested; waiting for prerequisites, standby or staff */
    FO_CREW,     /* ready; waiting for a crew (topologies with crews) */
    FO_RUNNING,  /* switching */
    FO_DONE,     /* served from the standby */
};

/* Narration notes go first at an instant, so that a cause is told before its effects. */
enum { PRIO_NARRATE = -1, PRIO_POWER = 0, PRIO_FAILOVER = 1, PRIO_RESTORE = 2 };

typedef struct svc_rt svc_rt;

/* One placed site of a service: its shards' state. */
typedef struct slot_rt {
    size_t site;
    unsigned up;  /* shards serving */
    double share; /* load share (active slots) */
    bool active;
    struct shard_work *work; /* under crews, at a touched site: its systems' work, by index */
} slot_rt;

/* The subject of a power event: which slot of which service (the object
 * is the shard's index j, packed into the pointer's integer value, so that
 * 100,000 systems need no event objects of their own). */
typedef struct shard_ev {
    osim_replay *rp;
    svc_rt *svc;
    slot_rt *slot;
} shard_ev;

struct svc_rt {
    size_t index;
    const osim_service *s;
    const osim_placement *pl;
    slot_rt *slots; /* active first, then standby */
    size_t slots_count;
    unsigned shards;
    double avail;
    double said; /* the level last narrated */
    enum fo_state fo;
    osim_event_id fo_event;
    uint64_t fo_seq; /* request order for the FIFO */
    size_t wq_pos;   /* position of its entry in waitq while FO_WAITING */
    double lag_h, detect_h, failover_h;
    double data_lost_gb;
    double data_orphaned_gb; /* on destroyed shards with no surviving replica: gone for good
                              * (everything, or the changes since the newest backup) */
    /* Copies (copies.c): the backups' draws, the newest that survived (-1:
     * none), the data lost by kind of copy, and the restore from the backup
     * (GB to restore, from when, done when; INFINITY: not yet). */
    osim__backup_draw *bk;
    long newest;
    double lost_replica_gb, lost_backup_gb, lost_none_gb;
    double restore_gb, restore_from_h, restored_h;
    bool waiting_reported;
    /* Systems back (osim__replay_systems_changed, replay.c): systems of v
     * with an active copy up, with their standby copy up, and the one that
     * counts now. */
    size_t sys_base; /* v's first system in the replay's per-system arrays */
    size_t back_act, back_sb, back;
    slot_rt *sb_slot;      /* the standby a failover goes to (standby_slot), or NULL */
    osim__crew_job fo_job; /* a manual failover's crew (topologies with crews) */
    osim_replay *rp;       /* the owner, for the crews' callbacks */
    unsigned crew_told;    /* kinds of work whose wait for a crew was told (narration) */
    /* Under crews the restore starts when the last system that needs it is
     * back (restore_wait counts those not yet back for good), and takes a
     * crew at that system's site for its duration. */
    uint32_t restore_wait;
    osim__crew_job rs_job;
    /* Migration (migration.c; replay_work.c, section "migration"): its
     * schedule, and the systems it moved, which serve from its destination. */
    osim__migration mg;
    uint32_t moved;
};

/* Kinds of work that take a crew, in their order within one service. */
enum { WORK_FAILOVER = 0, WORK_SYSTEM = 1, WORK_RESTORE = 2, WORK_MIGRATE = 3 };

/*
 * One system's copy at one slot under a topology with crews: after every
 * return of power it waits for a crew, then takes its restart (and its
 * rebuild, the first time after its destroyed equipment is replaced) while
 * holding it. A return of darkness calls the work off.
 */
enum { SW_UP = 0, SW_DARK, SW_WORK };

typedef struct shard_work shard_work;
struct shard_work {
    osim__crew_job job; /* job.owner: this */
    shard_ev *ev;
    uint32_t j;          /* the system's index in its service */
    uint32_t spans_seen; /* power returns so far */
    uint32_t rebuild_span;
    unsigned char state;
    uint32_t readies; /* power returns scheduled: the last one brings it back for good */
    bool destroyed, rebuild_due, rebuilt;
    bool lone; /* destroyed with no surviving replica: its data comes from the backup */
    double restart_h, rebuild_h;
    osim_event_id done_ev;
};

/* A failover request in the FIFO: stale once v is no longer waiting with this seq. */
typedef struct wait_ent {
    svc_rt *v;
    uint64_t seq;
} wait_ent;

struct osim_replay {
    const osim_scenario *sc;
    osim_engine *engine;
    osim_narrate_fn narrate;
    void *narrate_ud;
    svc_rt *svc;    /* services_count */
    slot_rt *slots; /* services_count * sites_count */
    shard_ev *evs;  /* services_count * sites_count */
    /* Dependents of s: rdep[rdep_off[s] .. rdep_off[s + 1]) (services_count + 1 offsets). */
    size_t *rdep_off;
    size_t *rdep;
    size_t *topo_pos; /* services_count: position of s in sc->topo_order */
    size_t nwords;    /* 64-bit words of a set of services */
    svc_set dirty; /* by topo position: availability to compute again (see osim__replay_update) */
    svc_set act_dirty; /* by service index: failover decision to take again */
    svc_set changed;   /* by topo position: level changed, not told yet (narration only) */
    wait_ent *waitq;   /* 2 x services_count: waiting failovers in request (fo_seq) order */
    size_t waitq_n;
    /* Per system (systems_total, services' systems in scenario order). */
    unsigned *act_up;     /* active copies up */
    unsigned char *sb_up; /* the standby copy (sb_slot) is up */
    unsigned char *moved; /* the system was migrated: its old sites no longer matter */
    size_t systems_total; /* the sum of services' systems */
    size_t back_total;    /* systems back, over all services */
    /* Which waiting failovers start_waiting (replay.c) offers a start, as
     * sets of waitq positions (2 x services_count bits each). */
    uint64_t *wq_cand;  /* something it waits for may have changed */
    uint64_t *wq_staff; /* it waits for staff alone */
    /* Backups' draws: service s's at bk + bk_off[s] (room for the most
     * backups any topology gives s). */
    osim__backup_draw *bk;
    size_t *bk_off;
    bool wq_any_cand; /* wq_cand may be non-empty */
    bool staff_freed; /* staff_free grew since the last start_waiting */
    double staff_min; /* the least staff one manual failover of this topology takes */
    /* Services whose failover needs s, per topology t: rneed[rneed_off[t * (n + 1) + s] ..
     * rneed_off[t * (n + 1) + s + 1]) (n = services_count). */
    size_t *rneed_off;
    size_t *rneed;
    const size_t *rneed_off_t; /* the current topology's */
    /* per run */
    const osim_incident *inc;
    const osim_topology *topo;
    osim_replay_result *res;
    double staff_free;
    uint64_t fo_seq_next;
    double narr_time; /* instant whose level changes are not told yet */
    int err;
    char buf[256];
    char lvlbuf[64]; /* level_text's own: say() may flush levels while buf is in use */
    /* Crews (crews.c): used by topologies that declare them. */
    osim__crews *crews;
    bool crews_on;       /* the current topology declares crews */
    uint32_t *name_rank; /* services_count: rank of each service's name in byte order */
    shard_work *work;    /* per run: one per (service, slot, system) at touched sites */
    size_t work_n, work_cap;
};

/* ---------------------------------------------------------- between files */

/* replay.c */
int osim__replay_level_key(double a);      /* a level as narrated: rounded percent */
void osim__replay_update(osim_replay *rp); /* availability again where inputs changed */
void osim__replay_systems_changed(osim_replay *rp, svc_rt *v);
/* Power events of one system's copy (subject: shard_ev; object: the index). */
void osim__replay_ev_shard_down(osim_engine *e, void *subject, void *object);
void osim__replay_ev_shard_up(osim_engine *e, void *subject, void *object);

/* replay_narrate.c */
void osim__replay_say(osim_replay *rp, const char *who, const char *what);
void osim__replay_narrate_advance(osim_replay *rp); /* levels of a past instant told */
void osim__replay_flush_levels(osim_replay *rp);
void osim__replay_schedule_notes(osim_replay *rp); /* sites', zones' and decisions' notes */

/* replay_work.c */
int osim__replay_crews_start(osim_replay *rp);
int osim__replay_schedule_work(osim_replay *rp, svc_rt *v, shard_ev *ev, size_t j,
                               const osim_power_history *h, double restart_h, double rebuild_h);
void osim__replay_fo_waits(osim__crew_job *job);
void osim__replay_restore_started(osim__crew_job *job);
void osim__replay_restore_waits(osim__crew_job *job);
void osim__replay_init_migration(osim_replay *rp, svc_rt *v, double after_h);
void osim__replay_draw_backups(osim_replay *rp, osim_rng_local *lr, uint64_t seed, uint64_t rep);
int osim__replay_schedule_restores(osim_replay *rp);

#endif
