/*
 * replay_narrate.c -- what `outagesim replay` tells of a replay: each
 * service's level once per instant and in dependency order, and the notes
 * of sites, zones and timed decisions, told before their effects.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/replay_int.h"

/* The text of a level: "down", "degraded: N% available" or "serving fully". */
static const char *level_text(osim_replay *rp, double a)
{
    int k = osim__replay_level_key(a);

    if (k == 101)
        return "serving fully";
    if (k == -1)
        return "down";
    snprintf(rp->lvlbuf, sizeof(rp->lvlbuf), "degraded: %d%% available", k);
    return rp->lvlbuf;
}

/*
 * Tell the services whose level changed at the instant narr_time, once each
 * and in dependency order, however many shard events that instant held.
 */
void osim__replay_flush_levels(osim_replay *rp)
{
    const osim_scenario *sc = rp->sc;
    size_t w;

    /* Only services whose level changed (update marks them) can differ
     * from what was said; taken in topo position order, as a scan of
     * every service would find them. */
    for (w = rp->changed.lo; w < rp->changed.hi; w++)
        while (rp->changed.w[w] != 0) {
            svc_rt *v = &rp->svc[sc->topo_order[set_take(&rp->changed, w)]];
            /* Told once per level as worded: many systems coming back one
             * by one move the share without moving the rounded percentage. */
            if (osim__replay_level_key(v->avail) != osim__replay_level_key(v->said)) {
                v->said = v->avail;
                rp->narrate(rp->narrate_ud, rp->narr_time, v->s->name, level_text(rp, v->avail));
            }
        }
    set_emptied(&rp->changed);
}

void osim__replay_say(osim_replay *rp, const char *who, const char *what)
{
    if (rp->narrate == NULL)
        return;
    osim__replay_narrate_advance(rp);
    rp->narrate(rp->narrate_ud, osim_engine_now(rp->engine), who, what);
}

/* Called before every state change: levels of an earlier instant are told first. */
void osim__replay_narrate_advance(osim_replay *rp)
{
    double now;

    if (rp->narrate == NULL)
        return;
    now = osim_engine_now(rp->engine);
    if (now > rp->narr_time) {
        osim__replay_flush_levels(rp);
        rp->narr_time = now;
    }
}

/* Narration-only events carry their text in a small static table of kinds. */
enum site_note {
    NOTE_DETECTED,
    NOTE_UPS,
    NOTE_CUT,
    NOTE_RESTORE,
    NOTE_P50,
    NOTE_P90,
    NOTE_P100,
    NOTE_REPLACED,
    NOTE_PRECAUTION,
    NOTE_COUNT
};

static const char *const note_text[NOTE_COUNT] = {
    "operators learn of the fire",         "UPS in the fire zone fails: racks there go dark",
    "building power cut for firefighting", "fire out: power restoration begins",
    "half of the racks have power again",  "90% of the racks have power again",
    "all racks have power again",          "destroyed equipment replaced",
    "shut down as a precaution",
};

/* Site notes pack (site index, note kind) into the object pointer's integer
 * value: narration is optional and must not need memory of its own. */
static void ev_note(osim_engine *e, void *subject, void *object)
{
    osim_replay *rp = subject;
    uintptr_t v = (uintptr_t)object;
    size_t site = v / NOTE_COUNT, kind = v % NOTE_COUNT;

    (void)e;
    osim__replay_say(rp, rp->sc->sites[site].name, note_text[kind]);
}

static void note_at(osim_replay *rp, double t_h, size_t site, enum site_note kind)
{
    if (!isfinite(t_h) || t_h > rp->sc->horizon_h)
        return;
    osim_engine_schedule_at(rp->engine, t_h, PRIO_NARRATE, ev_note, rp,
                            (void *)(uintptr_t)(site * NOTE_COUNT + kind), NULL);
}

static double profile_time(const osim_incident_site *is, double fraction)
{
    size_t i;

    for (i = 0; i < is->restoration_count; i++) {
        if (fraction <= is->restoration[i].fraction) {
            double f0 = i ? is->restoration[i - 1].fraction : 0.0;
            double a0 = i ? is->restoration[i - 1].after_h : is->restoration[0].after_h;
            double df = is->restoration[i].fraction - f0;
            double w = df > 0.0 ? (fraction - f0) / df : 1.0;
            return a0 + w * (is->restoration[i].after_h - a0);
        }
    }
    return INFINITY;
}

/* Zone notes pack (site, zone, kind) like site notes: "zone b3-east: dark (UPS failed)". */
enum zone_note { ZNOTE_UPS, ZNOTE_CUT, ZNOTE_PRECAUTION, ZNOTE_BACK, ZNOTE_COUNT };

static const char *const znote_text[ZNOTE_COUNT] = {
    "dark (UPS failed)",
    "dark (power cut)",
    "dark (shut down as a precaution)",
    "power back",
};

/* Power back in a zone, told as what happens: a decision in force may keep
 * the zone shut, and a reopen after it went dark already brought the power
 * back (NULL: nothing new to tell). */
static const char *back_text(const osim_replay *rp, size_t site, size_t zone)
{
    double at = 0.0;
    const osim_decision *d =
        osim_incident_decision_at(rp->sc, rp->inc, site, zone, osim_engine_now(rp->engine), &at);

    if (d == NULL)
        return znote_text[ZNOTE_BACK];
    if (d->action == OSIM_DECIDE_REOPEN)
        return at >= rp->inc->zone_dark_h[rp->inc->zone_base[site] + zone] ? NULL
                                                                           : znote_text[ZNOTE_BACK];
    if (d->action == OSIM_DECIDE_ABANDON)
        return d->whole_site ? "power back, but the site stays abandoned (decision)"
                             : "power back, but the zone stays abandoned (decision)";
    return d->whole_site ? "power back, but the site stays shut until reopened (decision)"
                         : "power back, but the zone stays shut until reopened (decision)";
}

static void ev_zone_note(osim_engine *e, void *subject, void *object)
{
    osim_replay *rp = subject;
    uintptr_t v = (uintptr_t)object;
    size_t kind = v % ZNOTE_COUNT, zone = v / ZNOTE_COUNT % OSIM_ZONES_MAX;
    size_t site = v / ZNOTE_COUNT / OSIM_ZONES_MAX;
    const char *what = znote_text[kind];

    (void)e;
    if (rp->narrate == NULL || (kind == ZNOTE_BACK && (what = back_text(rp, site, zone)) == NULL))
        return;
    snprintf(rp->buf, sizeof(rp->buf), "zone %s: %s", rp->sc->sites[site].zones[zone].name, what);
    osim__replay_say(rp, rp->sc->sites[site].name, rp->buf);
}

static void zone_note_at(osim_replay *rp, double t_h, size_t site, size_t zone, enum zone_note kind)
{
    if (!isfinite(t_h) || t_h > rp->sc->horizon_h)
        return;
    osim_engine_schedule_at(
        rp->engine, t_h, PRIO_NARRATE, ev_zone_note, rp,
        (void *)(uintptr_t)((site * OSIM_ZONES_MAX + zone) * ZNOTE_COUNT + kind), NULL);
}

/* Decision notes carry the decision's index. */
static void ev_decision_note(osim_engine *e, void *subject, void *object)
{
    static const char *const what[] = {"cut (decision)", "abandoned (decision)",
                                       "reopened: power back (decision)"};
    osim_replay *rp = subject;
    const osim_decision *d = &rp->sc->decisions[(uintptr_t)object];
    const osim_site *site = &rp->sc->sites[d->site];

    (void)e;
    if (d->whole_site)
        snprintf(rp->buf, sizeof(rp->buf), "site: %s", what[d->action]);
    else
        snprintf(rp->buf, sizeof(rp->buf), "zone %s: %s", site->zones[d->zone].name,
                 what[d->action]);
    osim__replay_say(rp, site->name, rp->buf);
}

static void schedule_zone_notes(osim_replay *rp, const osim_incident_site *is)
{
    const osim_site *site = &rp->sc->sites[is->site];
    const osim_incident *inc = rp->inc;
    size_t z, base = inc->zone_base[is->site];

    for (z = 0; z < site->zones_count; z++) {
        double dark = inc->zone_dark_h[base + z];
        enum zone_note kind = ZNOTE_CUT;
        if (!isfinite(dark))
            continue;
        if (is->role == OSIM_ROLE_PRECAUTION)
            kind = ZNOTE_PRECAUTION;
        else if (is->role == OSIM_ROLE_BURNED && is->zone_dark[z] == OSIM_ZONE_DARK_UPS &&
                 dark < inc->fire[is->site].power_cut_h)
            kind = ZNOTE_UPS;
        zone_note_at(rp, dark, is->site, z, kind);
        zone_note_at(rp, inc->zone_back_h[base + z], is->site, z, ZNOTE_BACK);
    }
}

void osim__replay_schedule_notes(osim_replay *rp)
{
    const osim_scenario *sc = rp->sc;
    size_t i;

    for (i = 0; i < sc->incident_count; i++) {
        const osim_incident_site *is = &sc->incident[i];
        const osim_site_fire *f = &rp->inc->fire[is->site];
        double r0 = f->restoration_start_h, k = f->restoration_scale;
        const osim_incident_site *prof =
            is->restoration_count == 0 && is->has_lead ? &sc->incident[is->lead] : is;

        note_at(rp, f->detection_h, is->site, NOTE_DETECTED);
        if (rp->sc->sites[is->site].zones_count > 0) {
            /* Zones say themselves when they go dark and come back. */
            note_at(rp, f->power_cut_h, is->site,
                    is->role == OSIM_ROLE_PRECAUTION ? NOTE_PRECAUTION : NOTE_CUT);
            note_at(rp, r0, is->site, NOTE_RESTORE);
            schedule_zone_notes(rp, is);
            if (rp->inc->fire[is->site].destroyed_total > 0.0 && is->delivery_count == 0)
                note_at(rp, f->replaced_h, is->site, NOTE_REPLACED);
            continue;
        }
        if (is->role == OSIM_ROLE_PRECAUTION) {
            note_at(rp, f->power_cut_h, is->site, NOTE_PRECAUTION);
            note_at(rp, r0, is->site, NOTE_RESTORE);
            note_at(rp, r0 + k * profile_time(prof, 0.5), is->site, NOTE_P50);
            note_at(rp, r0 + k * profile_time(prof, 0.9), is->site, NOTE_P90);
            note_at(rp, r0 + k * profile_time(prof, 1.0), is->site, NOTE_P100);
            continue;
        }
        if (f->ups_fail_h < f->power_cut_h && f->partial_fraction > 0.0)
            note_at(rp, f->ups_fail_h, is->site, NOTE_UPS);
        note_at(rp, f->power_cut_h, is->site, NOTE_CUT);
        note_at(rp, r0, is->site, NOTE_RESTORE);
        note_at(rp, r0 + k * profile_time(prof, 0.5), is->site, NOTE_P50);
        note_at(rp, r0 + k * profile_time(prof, 0.9), is->site, NOTE_P90);
        note_at(rp, r0 + k * profile_time(prof, 1.0), is->site, NOTE_P100);
        if (f->destroyed_fraction > 0.0 && is->delivery_count == 0)
            note_at(rp, f->replaced_h, is->site, NOTE_REPLACED);
    }
    for (i = 0; i < sc->decisions_count; i++) {
        double t = rp->inc->decision_h[i];
        if (isfinite(t) && t <= sc->horizon_h)
            osim_engine_schedule_at(rp->engine, t, PRIO_NARRATE, ev_decision_note, rp,
                                    (void *)(uintptr_t)i, NULL);
    }
}
