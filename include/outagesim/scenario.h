/*
 * scenario.h -- a loaded scenario: the incident, the world it hits, and the
 * designs and compensation policies to compare.
 *
 * Lifecycle:
 *   1. osim_scenario_load() reads a YAML file, applies --set overrides,
 *      binds every value to the structs below and validates the result.
 *      The models a policy names are looked up in a catalogue the caller
 *      passes (schema.h), so this layer knows no model: the compensation
 *      layer passes its own (osim_comp_scenario_load, compensation.h).
 *      Any problem is reported in the osim_diag as file:line:col.
 *   2. The scenario is then immutable: everything downstream takes a
 *      const osim_scenario *, and any number of threads may read it at once.
 *   3. osim_scenario_free() releases it and everything it owns.
 *
 * Units are fixed inside the program, whatever the file says: durations in
 * hours (double), money in whole won (int64_t for parameters, distributions
 * of won as doubles), counts as doubles (populations reach 10^12), fractions
 * and probabilities in [0, 1]. Names index arrays: every cross-reference
 * (a dependency, a site, a failover prerequisite) is resolved to an index
 * at load time, so models never compare strings.
 */
#ifndef OUTAGESIM_SCENARIO_H
#define OUTAGESIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/dist.h"
#include "outagesim/error.h"
#include "outagesim/schema.h"

/* One point of a power-restoration profile: after `after_h` hours from the
 * start of restoration, `fraction` of the site's racks have power. */
typedef struct osim_profile_point {
    double after_h;
    double fraction;
} osim_profile_point;

/*
 * A zone of a site (a hall, room, row or power domain). Zones are
 * consecutive intervals of the site's rack-position axis u in [0,1) in the
 * order listed, the first at u = 0 (the fire end): zone z holds the racks
 * with lo <= u < hi, hi - lo = share. The loader fills lo and hi.
 */
typedef struct osim_zone {
    char *name;
    double share; /* share of the site's racks, (0,1]; shares of a site sum to 1 */
    double lo, hi;
} osim_zone;

/* The most zones one site may have. */
#define OSIM_ZONES_MAX 256

typedef struct osim_site {
    char *name;
    char *region;
    double servers;   /* server capacity (count); informational and for scaling */
    osim_zone *zones; /* none: the site is one implicit zone with the continuous rules */
    size_t zones_count;
} osim_site;

/* How a zone of a site loses power in an incident entry. */
typedef enum osim_zone_dark {
    OSIM_ZONE_DARK_CUT = 0, /* at the building-wide power cut (default) */
    OSIM_ZONE_DARK_UPS,     /* when the fire zone's UPS fails (ignition + ups_ride_through) */
    OSIM_ZONE_DARK_NONE,    /* never, in this incident */
} osim_zone_dark;

/* One entry of an incident's `zones:` mapping (keyed by zone name). */
typedef struct osim_zone_hit {
    char *name;
    osim_zone_dark dark;
    osim_dist destroyed_fraction; /* of the zone's racks, from its low end, [0,1] */
} osim_zone_hit;

/* What an incident entry's site suffers (role:). */
typedef enum osim_incident_role {
    OSIM_ROLE_BURNED = 0, /* the fire itself: UPS loss, power cut, destruction */
    OSIM_ROLE_CUT,        /* cut for firefighting at power_cut + offset; nothing destroyed */
    OSIM_ROLE_PRECAUTION, /* shut down at detection + offset; nothing destroyed */
} osim_incident_role;

/* One point of an equipment delivery profile: `after_h` hours after
 * restoration start, `share` of the replacement equipment has arrived. */
typedef struct osim_delivery_point {
    double after_h;
    double share;
} osim_delivery_point;

/*
 * How an incident unfolds at one site. Times are drawn once per replication
 * from the incident's own random stream, so every topology sees the same fire.
 *
 * Racks have positions u in [0,1): the fire zone is the low end. At
 * ignition + ups_ride_through_h the racks with u < partial_loss_fraction lose
 * power; at ignition + power_cut_h the whole building goes dark; after
 * suppression (power_cut_h + suppression_h) restoration starts and works
 * from the far end towards the fire: the racks with u >= 1 - profile(t)
 * have power again, so the fire zone is powered last. Racks with
 * u < destroyed_fraction hold destroyed equipment that needs replace_h
 * (from restoration start) before it can run again.
 */
typedef struct osim_incident_site {
    size_t site;                     /* index into osim_scenario.sites */
    osim_dist detection_h;           /* ignition -> operators know */
    osim_dist ups_ride_through_h;    /* ignition -> fire-zone UPS fails */
    osim_dist partial_loss_fraction; /* racks dark when the UPS fails, [0,1] */
    osim_dist power_cut_h;           /* ignition -> building-wide cut for firefighting */
    osim_dist suppression_h;         /* power cut -> fire out, restoration may start */
    osim_profile_point *restoration; /* ascending after_h, fractions non-decreasing, last 1.0 */
    size_t restoration_count;
    osim_dist restoration_scale;  /* multiplies the profile's time axis (uncertainty) */
    osim_dist destroyed_fraction; /* [0,1], at most partial_loss_fraction in practice */
    osim_dist replace_h;          /* restoration start -> replaced equipment ready */

    /*
     * Failure domains (scenarios/README.md, "Failure domains"). All zero in
     * an entry that uses none of them, which then behaves as described above.
     *
     * On a site with zones, zone_hits (as written, keyed by zone name) say
     * how each zone is hit; the loader resolves them into zone_dark and
     * zone_destroyed, indexed by the site's zone (an unlisted zone: dark at
     * the cut, nothing destroyed), and restore_order into the zone indices
     * in the order power returns (default: the reverse of the listing).
     * A zone gets power back as a whole when the profile reaches the
     * cumulative share of the dark zones up to and including it.
     *
     * An entry with a lead (`with:`) shares the lead's detection, UPS,
     * power-cut, suppression and restoration-scale draws; offset_h is added
     * to every instant of the entry; role says what the site suffers. An
     * empty restoration profile means the lead's.
     *
     * delivery (delivery_count points) replaces replace_h: the destroyed
     * rack of rank q in [0,1] among the site's destroyed racks is replaced
     * at restoration start + delivery_scale x profile(q).
     */
    osim_zone_hit *zone_hits;
    size_t zone_hits_count;
    char **restore_order_names;
    size_t restore_order_names_count;
    osim_zone_dark *zone_dark; /* sites[site].zones_count entries, or NULL without zones */
    osim_dist *zone_destroyed;
    size_t *restore_order;
    char *with; /* the lead's site name as written, or NULL */
    bool has_lead;
    size_t lead; /* index into osim_scenario.incident, when has_lead */
    double offset_h;
    osim_incident_role role;
    osim_delivery_point *delivery;
    size_t delivery_count;
    osim_dist delivery_scale;
} osim_incident_site;

/* What a timed decision does to its target (a site, or one zone of it). */
typedef enum osim_decision_action {
    OSIM_DECIDE_CUT = 0, /* dark from `after` until the next reopen of the target */
    OSIM_DECIDE_ABANDON, /* dark from `after` for good (unless reopened) */
    OSIM_DECIDE_REOPEN,  /* power back at once at `after`; destroyed equipment still waits */
} osim_decision_action;

/* The most timed decisions a scenario may hold. */
#define OSIM_DECISIONS_MAX 64

/* One timed decision (`decisions:`): exactly one of cut, abandon, reopen is
 * given, as "site" or "site/zone"; the loader resolves it. */
typedef struct osim_decision {
    osim_dist after_h; /* hours from ignition, drawn from the decision's own stream */
    char *cut, *abandon, *reopen;
    osim_decision_action action;
    size_t site;
    bool whole_site; /* else zone is the target */
    size_t zone;
} osim_decision;

/* Where one service's shards sit inside one site under one placement. */
typedef struct osim_zone_place {
    char *name; /* the site's name as written */
    char **zone_names;
    size_t zone_names_count;
    size_t site;  /* resolved */
    size_t *zone; /* resolved zone indices, ascending (the site's order) */
    size_t zones_count;
    double share; /* sum of the zones' shares */
} osim_zone_place;

typedef struct osim_service {
    char *name;
    char *description;
    size_t *deps; /* indices of services this one needs to serve */
    size_t deps_count;
    double user_share;           /* share of population.users who use it, [0,1] */
    bool paid;                   /* has paying subscribers */
    double subscribers;          /* count, when paid */
    int64_t monthly_fee_krw;     /* per subscriber, when paid */
    double data_change_gb_per_h; /* rate of new data (for replication loss) */
    double data_gb;              /* data held (lost whole if destroyed with no copy) */
    int64_t revenue_krw_per_h;   /* operator's own revenue while up (economics) */
    osim_dist restart_h;         /* power back -> serving again (per shard) */
    osim_dist rebuild_h;         /* extra, for a shard whose equipment was destroyed: once the
                                  * replacement is in, reinstall and re-sync it from its replicas */
    double systems;  /* independent systems (rack groups, shards) per site (1..OSIM_SYSTEMS_MAX,
                      * default 1): an instance serves the share of its systems that are up, so
                      * big services come back piece by piece and are exposed to more of the
                      * building. Each system has its own position, restart and rebuild draws. */
    double shards;   /* the older name of systems: after loading, always equal to systems */
    double priority; /* recovery priority for crews (whole, >= 0, default 0): a larger number
                      * is served first (docs/model.md, "Crews"); only with crews declared */
} osim_service;

typedef enum osim_replication {
    OSIM_REPL_NONE = 0,
    OSIM_REPL_ASYNC,
    OSIM_REPL_SYNC,
} osim_replication;

typedef enum osim_failover {
    OSIM_FAILOVER_NONE = 0,
    OSIM_FAILOVER_MANUAL,
    OSIM_FAILOVER_AUTOMATIC,
} osim_failover;

/*
 * A backup of a service's data (`backups:` of a placement): a copy that
 * holds data but cannot serve. It sits at a site, or in one zone of a site
 * (which may be the very building the service runs in), at a rack position
 * drawn per replication; it burns when the incident destroys the equipment
 * there. A backup is taken every interval_h and is usable lag_h after it
 * starts; restoring from it goes at restore_rate GB/h once the service's
 * systems are rebuilt (docs/model.md, "Copies").
 */
typedef struct osim_backup {
    char *at;                        /* "site" or "site/zone", as written */
    double interval_h;               /* > 0 */
    osim_dist lag_h;                 /* backup start -> usable copy */
    osim_dist restore_rate_gb_per_h; /* > 0 (every value it can take) */
    size_t site;                     /* resolved */
    bool whole_site;                 /* else zone is where it sits */
    size_t zone;                     /* resolved zone index, when !whole_site */
} osim_backup;

/*
 * A migration of a service's systems to another site or provider
 * (`migrate:` of a placement; docs/model.md, "Migration"): from `after_h`
 * past the service's first darkness, its systems that are down are moved
 * to `site`, one every 24 / pace_per_d hours, at most `limit` of them; a
 * moved system serves from there. to == NULL: no migration (the key is
 * absent), and nothing else here is read.
 */
typedef struct osim_migrate {
    char *to;          /* the destination site, as written; NULL: no migration */
    osim_dist after_h; /* the service's first darkness -> the move begins */
    char *pace;        /* systems moved per unit of time, as written ("50/d") */
    double capacity;   /* the most systems the destination takes (default: the service's) */
    double systems;    /* how many systems to move (default: min(capacity, the service's)) */
    size_t site;       /* resolved `to` */
    double pace_per_d; /* resolved pace: systems per day, > 0 */
    unsigned limit;    /* resolved: systems, as a count */
} osim_migrate;

/* The most backups one placement may have. */
#define OSIM_BACKUPS_MAX 16

/*
 * Where one service runs under one topology.
 * - active: the sites serving it; load_share[i] is the share of load site i
 *   carries (defaults to equal shares; sums to 1). With more than one
 *   active site the service is active-active: when sites fail the
 *   survivors carry min(1, sum of (share * (1 + headroom))) of the load.
 * - standby: sites that can take over by failover (active-standby).
 * - replication: how data reaches the standby; lag_h for ASYNC.
 * - failover: NONE (wait for the active site), MANUAL (takes staff and
 *   failover_h), AUTOMATIC (detect_h + failover_h, no staff). Either needs
 *   every service in `needs` up somewhere (availability >= needs_min) first.
 */
typedef struct osim_placement {
    size_t service; /* index into osim_scenario.services */
    size_t *active;
    double *load_share; /* active_count entries */
    size_t active_count;
    size_t *standby;
    size_t standby_count;
    osim_replication replication;
    osim_dist lag_h;
    osim_failover failover;
    osim_dist detect_h;
    osim_dist failover_h;
    size_t *needs; /* indices of services a failover needs */
    size_t needs_count;
    double needs_min; /* availability a prerequisite must reach, default 1.0 */
    double staff;     /* staff one manual failover occupies, default 1 */
    double headroom;  /* spare capacity of each active site, fraction of its share */
    /* Zones per site (`zones: {site: [zone, ...]}`): the shards at that site
     * sit in the union of those zones; sites not listed: spread over all. */
    osim_zone_place *zone_places;
    size_t zone_places_count;
    /* Copies that hold data but cannot serve (none: no backups). */
    osim_backup *backups;
    size_t backups_count;
    osim_migrate migrate; /* migrate.to == NULL: none */
} osim_placement;

/* Crews at one site (`site_crews: {site: N}`). */
typedef struct osim_site_crews {
    char *name;   /* the site's name as written */
    double crews; /* whole, >= 1 */
    size_t site;  /* resolved */
} osim_site_crews;

/* A shift (`shifts:`): every day between `from` and `to` (local time of
 * day), a pool of crews holds `crews` instead of its declared size. */
typedef struct osim_shift {
    char *site_name;     /* `at`: the pool's site (of site_crews); NULL: the shared pool */
    double from_h, to_h; /* hours after local midnight, [0, 24); to < from: over midnight */
    double crews;        /* whole, >= 1, not the pool's own size */
    long site;           /* resolved: the site of the pool, or -1 for the shared pool */
} osim_shift;

typedef struct osim_topology {
    char *name;
    char *description;
    osim_placement *placements; /* services_count entries, indexed by service */
    double staff;               /* recovery staff on hand for manual work */
    /* Crews (docs/model.md, "Crews"): `crews: N` is one pool every site draws
     * from; `site_crews: {site: N}` one pool per site named (other sites are
     * not limited). Neither (crews 0, no site_crews): no crews, unlimited
     * hands, and manual failovers are gated by staff as before. */
    double crews;
    osim_site_crews *site_crews;
    size_t site_crews_count;
    osim_shift *shifts; /* pools whose size changes with the time of day */
    size_t shifts_count;
    int64_t annual_cost_krw; /* what running this design costs per year */
} osim_topology;

typedef struct osim_population {
    double users;      /* population.users: total users */
    double hourly[24]; /* share of users active in each local hour, [0,1] */
    double weekly[7];  /* multiplier per weekday, Monday = 0 */
} osim_population;

/*
 * How the users of the services of one `populations:` group overlap
 * (docs/model.md, "Impact: people and businesses"). Only the distinct
 * users' totals (osim_impact.peak_affected, user_hours_lost,
 * distinct_affected) read it.
 * - INDEPENDENT: use of each service independent of the others (the rule
 *   for every service in no group; a group saying it changes nothing).
 * - DISJOINT: no user uses two of the services (a provider's tenants): the
 *   share out is the sum of the services' shares out. Shares sum to <= 1.
 * - NESTED: each service's users are a subset of the users of the service
 *   listed before it (shares non-increasing); within that subset, who is
 *   out of one service is independent of who is out of another.
 */
typedef enum osim_overlap {
    OSIM_OVERLAP_INDEPENDENT = 0,
    OSIM_OVERLAP_DISJOINT,
    OSIM_OVERLAP_NESTED,
} osim_overlap;

typedef struct osim_population_group {
    size_t *services; /* indices into osim_scenario.services, >= 2, each in one group only */
    size_t services_count;
    osim_overlap overlap;
} osim_population_group;

typedef struct osim_segment {
    char *name;
    char *description;
    double count; /* businesses in the segment */
    size_t *deps; /* services it needs (all of them) */
    size_t deps_count;
    bool paid;                    /* uses paid services (a claimant class) */
    osim_dist hourly_revenue_krw; /* one business's mean revenue per hour, across businesses */
    double hourly_profile[24];    /* relative revenue by local hour, mean 1 */
    double weekly_profile[7];     /* relative revenue by weekday (Monday = 0), mean 1 */
    double substitution;          /* share of lost revenue moved to other channels */
    double deferred;              /* share only deferred (made up later) */
    double margin;                /* profit margin, [0,1] */
    double claim_rate;            /* probability an affected business files a claim */
} osim_segment;

typedef struct osim_policy {
    char *name;
    char *model_name;
    char *legal_basis; /* one line for the legal summary table */
    char *source;      /* where the terms come from, in words: the policy's `note:` (its
                        * `source:` names ids of osim_scenario.sources, see provenance) */
    /* As written: the currency of the policy's amounts (NULL: the
     * scenario's) and the rate to the scenario's (0: none). A policy in
     * another currency is converted when loaded: its params then hold
     * amounts in the scenario's currency, currency becomes NULL and rate 0
     * (so `params` lists it as a policy in the scenario's currency), and
     * converted_from (borrowed, the scenario's) and converted_rate record
     * what was done; NULL and 0 for a policy that was not converted. */
    char *currency;
    double rate;
    const char *converted_from;
    double converted_rate;
    /* The kind's object from the load's catalogue, looked up by model_name
     * (for compensation an osim_comp_model): opaque to this layer. */
    const void *model;
    const osim_schema *params_schema; /* the kind's; NULL when it takes no parameters */
    void *params;                     /* the model's own struct, owned by the scenario */
} osim_policy;

/*
 * Where the numbers come from. A scenario (and each policy file it
 * includes) lists its sources; any value, distribution or list item of the
 * file may then name one or more of them (`source: S1.2`) or state the
 * ASSUMPTION it rests on (`assumption: "why"`), see scenarios/README.md,
 * "Sources and assumptions". Both are data: `params` shows them and the
 * result document carries them.
 *
 * A source written as a plain string has no id (id NULL) and its text as
 * title. Absent fields are NULL. Strings are owned by the scenario.
 */
typedef struct osim_source {
    char *id; /* "S1.2": unique, no spaces or commas; NULL for an untitled string */
    char *title;
    char *publisher;
    char *date; /* as written, e.g. "2022-10-16" */
    char *url;
    char *note;
} osim_source;

typedef enum osim_provenance_kind {
    OSIM_PROV_SOURCE = 0,     /* backed by the sources in ids */
    OSIM_PROV_ASSUMPTION = 1, /* an assumption; reason says why */
    OSIM_PROV_SET = 2,        /* set on the command line (--set): the file's note no longer holds */
} osim_provenance_kind;

/*
 * One annotated value (or list item, or distribution) of the scenario.
 * path is the dotted path `params` and --set use ("services.auth.restart",
 * "incident.pangyo.restoration.profile.1", "policies.kakao-2022-user-package");
 * for OSIM_PROV_SET it is the override's path. Records are in file order
 * (the scenario, then its included files), then one per override that
 * annotated nothing.
 */
typedef struct osim_provenance {
    char *path;
    osim_provenance_kind kind;
    char **ids; /* OSIM_PROV_SOURCE: ids of osim_scenario.sources, >= 1 */
    size_t ids_count;
    char *reason; /* OSIM_PROV_ASSUMPTION: the reason (never empty); else NULL */
    char *note;   /* optional note; for OSIM_PROV_SET the override "PATH=VALUE" */
} osim_provenance;

/* "source", "assumption" or "set". */
const char *osim_provenance_kind_name(osim_provenance_kind k);

/*
 * One incident of a catalogue (`incidents:`, scenarios/README.md "A
 * catalogue of incidents"): a name, how often it happens and how it
 * unfolds at each site it touches. The first entry is the scenario's own
 * `incident:` (its sites are NULL here: osim_scenario.incident holds them,
 * so every path and every model that reads it sees the first incident as
 * before); every later entry lists its own sites (`sites:`, the keys of an
 * `incident:` entry). Owned by the scenario.
 */
typedef struct osim_catalogue_incident {
    char *name;
    double frequency_per_year; /* expected occurrences per year, >= 0 */
    osim_incident_site *sites;
    size_t sites_count;
} osim_catalogue_incident;

/* The stride between incidents in the index of the `incident` and `zones`
 * streams: entry i of catalogue incident k draws from index k * 2^32 + i
 * (docs/model.md, "Random streams and draw order"). */
#define OSIM_INCIDENT_STREAM_STRIDE (UINT64_C(1) << 32)

typedef struct osim_economics {
    double incident_probability_per_year; /* per affected site */
    size_t *policies;                     /* policies counted in expected loss */
    size_t policies_count;
    char *baseline; /* topology the others are compared against */
} osim_economics;

typedef struct osim_scenario {
    char *path;      /* the file it was loaded from */
    char sha256[65]; /* of the file's bytes plus the applied overrides */
    char *name;
    char *description;
    osim_source *sources; /* of the file and of every included policy file, ids unique */
    size_t sources_count;
    osim_provenance *provenance; /* every source and assumption attached to a value */
    size_t provenance_count;
    char *timezone; /* label, e.g. "KST" */
    double utc_offset_h;
    int64_t start_epoch_s; /* ignition, as UTC seconds since 1970 */
    int start_weekday;     /* local weekday of ignition, Monday = 0 */
    double start_hour;     /* local hour of day of ignition, [0,24) */
    char *currency;        /* ISO 4217 code of every amount, one of osim_currency_codes() */
    double horizon_h;

    osim_site *sites;
    size_t sites_count;
    osim_incident_site *incident; /* one per affected site */
    size_t incident_count;
    /* The catalogue (`incidents:`), or none (incidents_count 0): then the
     * scenario is its one incident, as before catalogues existed. */
    osim_catalogue_incident *incidents;
    size_t incidents_count;
    /* Which incident of the catalogue `incident` is: 0 for a loaded
     * scenario; k in a view made by osim_scenario_incident_view. It offsets
     * the incident's streams (OSIM_INCIDENT_STREAM_STRIDE). */
    size_t incident_stream;
    osim_decision *decisions; /* timed decisions, as listed (at most OSIM_DECISIONS_MAX) */
    size_t decisions_count;
    osim_service *services; /* in dependency order is NOT guaranteed: use topo_order */
    size_t services_count;
    size_t *topo_order; /* services_count indices, every service after its deps */
    osim_topology *topologies;
    size_t topologies_count;
    osim_population population;
    osim_population_group *populations; /* how users of services overlap (default none) */
    size_t populations_count;
    osim_segment *segments;
    size_t segments_count;
    osim_policy *policies;
    size_t policies_count;
    osim_economics economics;

    void *priv; /* loader-owned: source positions, document, arena */
} osim_scenario;

/* The longest horizon a scenario may have: 3653 days (ten years), in hours. */
#define OSIM_SCENARIO_MAX_HORIZON_H (3653.0 * 24.0)

/* The most systems one service may have (services[].systems). */
#define OSIM_SYSTEMS_MAX 100000.0
/* The most system copies a scenario may hold: the sum of services' systems times the
 * number of sites. Every system has a position, a restart and a rebuild draw at every
 * site (24 bytes a copy per worker thread), and at a burning site its events and
 * timeline steps (about 150 bytes more): 180 MB per worker at the limit, measured. */
#define OSIM_SYSTEM_COPIES_MAX 1000000.0

/* One --set PATH=VALUE override. */
typedef struct osim_override {
    const char *path;
    const char *value;
} osim_override;

/*
 * How to load: overrides to apply (NULL when n_overrides is 0) and the
 * catalogue the `model:` of each policy is looked up in. A NULL catalogue
 * knows no model, so a scenario with policies fails to load with it;
 * osim_comp_scenario_load() (compensation.h) passes the compensation models.
 */
typedef struct osim_scenario_options {
    const osim_override *overrides;
    size_t n_overrides;
    const osim_model_catalogue *policy_models;
} osim_scenario_options;

/*
 * Load, override, bind and validate a scenario file. opt may be NULL (no
 * overrides, no models). On failure returns a negative code, fills diag
 * (file:line:col and message; for a bad override the file is
 * "--set PATH=VALUE") and leaves *out NULL.
 */
int osim_scenario_load(const char *path, const osim_scenario_options *opt, osim_scenario **out,
                       osim_diag *diag);

/*
 * The same, from len bytes of YAML text in memory (borrowed; need not be
 * NUL-terminated) instead of a file. name stands for the file name: errors
 * say name:line:col, sc->path is name, and `include:` paths are relative to
 * name's directory. The bytes are checked like a file's (size limit, UTF-8,
 * no NUL). For tests and the fuzz harness; data may be NULL when len is 0.
 */
int osim_scenario_load_buffer(const char *name, const char *data, size_t len,
                              const osim_scenario_options *opt, osim_scenario **out,
                              osim_diag *diag);

/*
 * Report into diag an error at the place in the file where a field of the
 * loaded scenario sc came from (field_addr: its address, e.g.
 * &sc->policies[i].model_name), as the loader reports its own checks: for
 * checks made after the load by a layer the loader does not know (the
 * compensation models' bounds). The message is fmt's text. Returns code.
 * Not thread-safe with another call on the same scenario (the loader's
 * context holds the diag while it writes).
 */
int osim_scenario_error_at(const osim_scenario *sc, const void *field_addr, int code,
                           osim_diag *diag, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/*
 * A view of sc in which incident k of its catalogue (k < incidents_count)
 * is the incident: *view is a shallow copy of *sc whose incident and
 * incident_count are the entry's sites, incident_stream is k,
 * economics.incident_probability_per_year the entry's frequency and
 * incidents_count is 0 (a view is one incident). It borrows everything
 * from sc, which must outlive it; it is never freed. Running the view
 * (mc.h) replays incident k with common random numbers: only its incident
 * and zones streams differ from incident 0's. Returns 0 or OSIM_EINVAL.
 */
int osim_scenario_incident_view(const osim_scenario *sc, size_t k, osim_scenario *view);

/* Free a scenario. NULL is a no-op. */
void osim_scenario_free(osim_scenario *sc);

/* The number of systems of s: systems, or for a service built in memory
 * with only its older name set, shards; at least 1. */
size_t osim_service_systems(const osim_service *s);

/* Hours of the day shift sh covers (over midnight when to < from), and
 * whether the local time of day tod (hours, [0, 24)) lies in it. */
double osim_shift_length(const osim_shift *sh);
bool osim_shift_covers(const osim_shift *sh, double tod);

/* Whether s is stateless: it holds no data the model counts (data 0 and
 * data_change 0). A stateless service fails over without replication,
 * since its standby lacks nothing; one holding data needs replication. */
bool osim_service_stateless(const osim_service *s);

/* Index of a name, or -1. osim_scenario_site_index_n compares the first
 * len bytes of name (the site of "site/zone"). */
long osim_scenario_service_index(const osim_scenario *sc, const char *name);
long osim_scenario_topology_index(const osim_scenario *sc, const char *name);
long osim_scenario_site_index(const osim_scenario *sc, const char *name);
long osim_scenario_site_index_n(const osim_scenario *sc, const char *name, size_t len);
long osim_site_zone_index(const osim_site *s, const char *name);

/*
 * Visit every settable path (dotted, list items by name) with its current
 * value as text and its unit ("h", "won", "fraction", "count", "" ...).
 * Stops early and returns the callback's value if it returns non-zero.
 */
typedef int (*osim_param_fn)(void *ud, const char *path, const char *value, const char *unit,
                             const char *doc);
int osim_scenario_params(const osim_scenario *sc, osim_param_fn fn, void *ud);

/*
 * The parameters of a scenario as a table (the listing above, copied), and
 * their scaling by a factor: what `--set PATH=xF`, sweep axes of factors
 * and sensitivity swings share.
 *
 * A parameter is a settable number outside a distribution, or a whole
 * distribution (PATH of PATH.dist) that is not empirical. Scaling it by
 * f > 0 multiplies the number, or the random variable of the distribution
 * (X -> f X: every location and scale parameter and clamp is multiplied,
 * a lognormal's mu gains ln f, shape and sigma stay); money and counts are
 * rounded to whole numbers and fractions capped at 1. The result is a list
 * of plain overrides (PATH.KEY=NUMBER in the program's units), each
 * number the shortest decimal that reads back as the same double, so a
 * factor of 1 reproduces the scenario exactly.
 *
 * Not thread-safe per table; tables of one scenario are independent.
 */
typedef struct osim_param_table osim_param_table;

enum { OSIM_PARAM_NONE = 0, OSIM_PARAM_NUMBER = 1, OSIM_PARAM_DIST = 2 };

/* 0 or OSIM_ENOMEM; free with osim_param_table_free (NULL is a no-op). */
int osim_param_table_new(const osim_scenario *sc, osim_param_table **out);
void osim_param_table_free(osim_param_table *t);
size_t osim_param_table_count(const osim_param_table *t);
/* Entry i (borrowed, valid until free). */
void osim_param_table_at(const osim_param_table *t, size_t i, const char **path, const char **value,
                         const char **unit);
/* Index of path, or -1. */
long osim_param_table_find(const osim_param_table *t, const char *path);
/* OSIM_PARAM_NONE, _NUMBER or _DIST; *empirical tells why a distribution is NONE. */
int osim_param_table_kind(const osim_param_table *t, const char *param, bool *empirical);
/* The key of path directly under root ("median" of root.median), or NULL. */
const char *osim_param_key_under(const char *path, const char *root);

/*
 * The overrides that scale param by f: *ov gets *n owned overrides (free
 * with osim_overrides_free), *shown a short text of the new value (owned:
 * "0.675 h" or "lognormal median 0.675 h p95 2 h"). Returns 0, OSIM_EINVAL
 * (param is not a parameter, or f is not > 0; diag says which), OSIM_ENOMEM.
 */
int osim_param_table_scale(const osim_param_table *t, const char *param, double f,
                           osim_override **ov, size_t *n, char **shown, osim_diag *diag);

/* Free n overrides made by osim_param_table_scale (each .path owns its
 * block, which holds the value too) and the array. NULL is a no-op. */
void osim_overrides_free(osim_override *ov, size_t n);

/* Is value a scale factor "xF" (F a positive decimal number)? Sets *f. */
bool osim_scale_factor_parse(const char *value, double *f);

#endif
