/*
 * schema.c -- the scenario file format as data.
 *
 * One table per struct of scenario.h: the YAML key, the C type and offset,
 * whether it is required, its unit, its default (YAML text) and one line of
 * documentation. The loader binds with these tables, `--set` checks paths
 * against them and `outagesim params` lists them, so a key added here is
 * at once loadable, settable and listed. scenarios/README.md documents
 * the same keys for people and must be kept in step.
 *
 * Nested mappings that fill flat fields of their parent (incident.restoration,
 * incident.destroyed, the `scenario:` header) are MAP fields at offset 0 whose
 * sub-fields carry the parent's offsets.
 */
#include <stddef.h>
#include <string.h>

#include "scenario/scenario_int.h"

/* The tables keep one field per one or two lines, which clang-format would
 * explode into one line per member. */
/* clang-format off */

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const replication_names[] = {"none", "async", "sync", NULL};
static const char *const failover_names[] = {"none", "manual", "automatic", NULL};
static const char *const dark_names[] = {"cut", "ups", "none", NULL};
static const char *const role_names[] = {"burned", "cut", "precaution", NULL};

/* ---------------------------------------------------------------- scenario: */

static const osim_field header_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_scenario, name),
     .flags = OSIM_F_REQUIRED, .doc = "short name of the scenario"},
    {.key = "description", .type = OSIM_FT_STRING,
     .offset = offsetof(osim_scenario, description), .doc = "what the scenario is about"},
    /* Bound by the loader (scenario.c), with the sources of included files:
     * a list of {id, title, publisher, date, url, note} or of strings. Not a
     * parameter: --set cannot change it and params does not list it. */
    {.key = "sources", .type = OSIM_FT_NAMES, .offset = offsetof(osim_scenario, sources),
     .flags = OSIM_F_CUSTOM, .doc = "where the numbers come from: {id, title, ...} or strings"},
    {.key = "timezone", .type = OSIM_FT_STRING, .offset = offsetof(osim_scenario, timezone),
     .def = "UTC", .doc = "label of the local time zone (e.g. KST)"},
    {.key = "utc_offset", .type = OSIM_FT_UTC_OFFSET,
     .offset = offsetof(osim_scenario, utc_offset_h), .def = "+00:00",
     .doc = "local time minus UTC (\"+09:00\")"},
    {.key = "start", .type = OSIM_FT_DATETIME, .offset = offsetof(osim_scenario, start_epoch_s),
     .flags = OSIM_F_REQUIRED, .unit = "local time",
     .doc = "local date and time of ignition, \"YYYY-MM-DD HH:MM\""},
    {.key = "currency", .type = OSIM_FT_STRING, .offset = offsetof(osim_scenario, currency),
     .def = "KRW", .doc = "ISO 4217 code of every amount (whole units): KRW, EUR, USD, GBP, JPY"},
    {.key = "horizon", .type = OSIM_FT_DURATION, .offset = offsetof(osim_scenario, horizon_h),
     .def = "14d", .doc = "simulated time after ignition (> 0)"},
};
static const osim_schema header_schema = {"scenario", sizeof(osim_scenario), header_fields,
                                          N(header_fields)};

/* ---------------------------------------------------------------- sites: */

static const osim_field zone_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_zone, name),
     .flags = OSIM_F_REQUIRED, .doc = "unique name of the zone in its site"},
    {.key = "share", .type = OSIM_FT_FRACTION, .offset = offsetof(osim_zone, share),
     .doc = "share of the site's racks, > 0; shares sum to 1 (omitted on all zones: equal)"},
};
static const osim_schema zone_schema = {"zone", sizeof(osim_zone), zone_fields,
                                        N(zone_fields)};

static const osim_field site_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_site, name),
     .flags = OSIM_F_REQUIRED, .doc = "unique name of the site"},
    {.key = "region", .type = OSIM_FT_STRING, .offset = offsetof(osim_site, region),
     .doc = "where it is (free text)"},
    {.key = "servers", .type = OSIM_FT_COUNT, .offset = offsetof(osim_site, servers),
     .def = "0", .doc = "server capacity (informational)"},
    {.key = "zones", .type = OSIM_FT_SEQ, .offset = offsetof(osim_site, zones),
     .count_offset = offsetof(osim_site, zones_count), .sub = &zone_schema,
     .doc = "halls, rooms or power domains in order from the fire end (default: one)"},
};
static const osim_schema site_schema = {"site", sizeof(osim_site), site_fields,
                                        N(site_fields)};

/* ---------------------------------------------------------------- incident: */

static const osim_field point_fields[] = {
    {.key = "after", .type = OSIM_FT_DURATION, .offset = offsetof(osim_profile_point, after_h),
     .flags = OSIM_F_REQUIRED, .doc = "time since restoration started"},
    {.key = "fraction", .type = OSIM_FT_FRACTION,
     .offset = offsetof(osim_profile_point, fraction), .flags = OSIM_F_REQUIRED,
     .doc = "share of the site's racks with power by then"},
};
static const osim_schema point_schema = {"profile point", sizeof(osim_profile_point),
                                         point_fields, N(point_fields)};

static const osim_field restoration_fields[] = {
    {.key = "profile", .type = OSIM_FT_SEQ, .offset = offsetof(osim_incident_site, restoration),
     .count_offset = offsetof(osim_incident_site, restoration_count), .sub = &point_schema,
     .doc = "points {after, fraction}: after ascending, fraction non-decreasing, last 1 "
            "(required without with:)"},
    {.key = "scale", .type = OSIM_FT_DIST_REAL,
     .offset = offsetof(osim_incident_site, restoration_scale), .def = "1", .unit = "",
     .doc = "multiplies the profile's time axis (> 0)"},
};
static const osim_schema restoration_schema = {"restoration", sizeof(osim_incident_site),
                                               restoration_fields, N(restoration_fields)};

static const osim_field delivery_point_fields[] = {
    {.key = "after", .type = OSIM_FT_DURATION, .offset = offsetof(osim_delivery_point, after_h),
     .flags = OSIM_F_REQUIRED, .doc = "time since restoration started"},
    {.key = "share", .type = OSIM_FT_FRACTION, .offset = offsetof(osim_delivery_point, share),
     .flags = OSIM_F_REQUIRED, .doc = "share of the replacement equipment delivered by then"},
};
static const osim_schema delivery_point_schema = {"delivery point", sizeof(osim_delivery_point),
                                                  delivery_point_fields,
                                                  N(delivery_point_fields)};

static const osim_field destroyed_fields[] = {
    {.key = "fraction", .type = OSIM_FT_DIST_FRACTION,
     .offset = offsetof(osim_incident_site, destroyed_fraction), .def = "0",
     .doc = "share of racks (from the fire end) whose equipment is destroyed"},
    {.key = "replace", .type = OSIM_FT_DIST_DURATION,
     .offset = offsetof(osim_incident_site, replace_h), .def = "0",
     .doc = "restoration start -> replacement equipment ready"},
    {.key = "delivery", .type = OSIM_FT_SEQ, .offset = offsetof(osim_incident_site, delivery),
     .count_offset = offsetof(osim_incident_site, delivery_count), .sub = &delivery_point_schema,
     .doc = "instead of replace: points {after, share}, share delivered vs time, last share 1"},
    {.key = "delivery_scale", .type = OSIM_FT_DIST_REAL,
     .offset = offsetof(osim_incident_site, delivery_scale), .def = "1", .unit = "",
     .doc = "multiplies the delivery profile's time axis (> 0)"},
};
static const osim_schema destroyed_schema = {"destroyed", sizeof(osim_incident_site),
                                             destroyed_fields, N(destroyed_fields)};

static const osim_field zone_hit_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_zone_hit, name),
     .doc = "the zone (the key of the mapping)"},
    {.key = "dark", .type = OSIM_FT_ENUM, .offset = offsetof(osim_zone_hit, dark), .def = "cut",
     .enum_names = dark_names,
     .doc = "cut (at the power cut) | ups (when the UPS fails) | none (keeps power)"},
    {.key = "destroyed", .type = OSIM_FT_DIST_FRACTION,
     .offset = offsetof(osim_zone_hit, destroyed_fraction), .def = "0",
     .doc = "share of the zone's racks (from its fire end) whose equipment is destroyed"},
};
static const osim_schema zone_hit_schema = {"zone", sizeof(osim_zone_hit), zone_hit_fields,
                                            N(zone_hit_fields)};

static const osim_field incident_fields[] = {
    {.key = "site", .type = OSIM_FT_REF, .offset = offsetof(osim_incident_site, site),
     .flags = OSIM_F_REQUIRED, .ref = "sites", .doc = "the site that burns (a name in sites)"},
    {.key = "detection", .type = OSIM_FT_DIST_DURATION,
     .offset = offsetof(osim_incident_site, detection_h), .def = "0",
     .doc = "ignition -> operators know"},
    {.key = "ups_ride_through", .type = OSIM_FT_DIST_DURATION,
     .offset = offsetof(osim_incident_site, ups_ride_through_h), .def = "0",
     .doc = "ignition -> the fire zone's UPS fails"},
    {.key = "partial_loss", .type = OSIM_FT_DIST_FRACTION,
     .offset = offsetof(osim_incident_site, partial_loss_fraction), .def = "0",
     .doc = "share of racks dark when the UPS fails"},
    {.key = "power_cut", .type = OSIM_FT_DIST_DURATION,
     .offset = offsetof(osim_incident_site, power_cut_h),
     .doc = "ignition -> the whole building loses power (required without with:)"},
    {.key = "suppression", .type = OSIM_FT_DIST_DURATION,
     .offset = offsetof(osim_incident_site, suppression_h),
     .doc = "power cut -> fire out, restoration may start (required without with:)"},
    {.key = "restoration", .type = OSIM_FT_MAP, .offset = 0, .sub = &restoration_schema,
     .doc = "how power comes back: profile and scale (required without with:)"},
    {.key = "destroyed", .type = OSIM_FT_MAP, .offset = 0, .sub = &destroyed_schema,
     .doc = "destroyed equipment (default: none)"},
    {.key = "zones", .type = OSIM_FT_NAMED, .offset = offsetof(osim_incident_site, zone_hits),
     .count_offset = offsetof(osim_incident_site, zone_hits_count), .sub = &zone_hit_schema,
     .doc = "per zone of a zoned site: {dark, destroyed} (unlisted: dark at the cut)"},
    {.key = "restore_order", .type = OSIM_FT_NAMES,
     .offset = offsetof(osim_incident_site, restore_order_names),
     .count_offset = offsetof(osim_incident_site, restore_order_names_count),
     .doc = "zones in the order power returns (default: reverse of the listing)"},
    {.key = "with", .type = OSIM_FT_STRING, .offset = offsetof(osim_incident_site, with),
     .doc = "an earlier entry's site whose draws this entry shares (one ignition)"},
    {.key = "offset", .type = OSIM_FT_DURATION, .offset = offsetof(osim_incident_site, offset_h),
     .def = "0", .doc = "added to every instant of this entry"},
    {.key = "role", .type = OSIM_FT_ENUM, .offset = offsetof(osim_incident_site, role),
     .def = "burned", .enum_names = role_names,
     .doc = "burned | cut (for firefighting) | precaution (shut down when detected)"},
};
static const osim_schema incident_schema = {"incident", sizeof(osim_incident_site),
                                            incident_fields, N(incident_fields)};

/* ---------------------------------------------------------------- decisions: */

static const osim_field decision_fields[] = {
    {.key = "after", .type = OSIM_FT_DIST_DURATION, .offset = offsetof(osim_decision, after_h),
     .flags = OSIM_F_REQUIRED, .doc = "ignition -> the decision takes effect"},
    {.key = "cut", .type = OSIM_FT_STRING, .offset = offsetof(osim_decision, cut),
     .doc = "site or site/zone cut (dark until reopened)"},
    {.key = "abandon", .type = OSIM_FT_STRING, .offset = offsetof(osim_decision, abandon),
     .doc = "site or site/zone abandoned (never powered again unless reopened)"},
    {.key = "reopen", .type = OSIM_FT_STRING, .offset = offsetof(osim_decision, reopen),
     .doc = "site or site/zone reopened: power back at once"},
};
static const osim_schema decision_schema = {"decision", sizeof(osim_decision), decision_fields,
                                            N(decision_fields)};

/* ---------------------------------------------------------------- services: */

static const osim_field service_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_service, name),
     .flags = OSIM_F_REQUIRED, .doc = "unique name of the service"},
    {.key = "description", .type = OSIM_FT_STRING, .offset = offsetof(osim_service, description),
     .doc = "what it is"},
    {.key = "needs", .type = OSIM_FT_REFS, .offset = offsetof(osim_service, deps),
     .count_offset = offsetof(osim_service, deps_count), .ref = "services",
     .doc = "services it needs to serve (no cycles)"},
    {.key = "user_share", .type = OSIM_FT_FRACTION, .offset = offsetof(osim_service, user_share),
     .def = "0", .doc = "share of population.users who use it"},
    {.key = "paid", .type = OSIM_FT_BOOL, .offset = offsetof(osim_service, paid), .def = "false",
     .doc = "has paying subscribers"},
    {.key = "subscribers", .type = OSIM_FT_COUNT, .offset = offsetof(osim_service, subscribers),
     .def = "0", .doc = "paying subscribers (when paid)"},
    {.key = "monthly_fee", .type = OSIM_FT_MONEY,
     .offset = offsetof(osim_service, monthly_fee_krw), .def = "0", .unit = "won/month",
     .doc = "fee per subscriber per month"},
    {.key = "data_change", .type = OSIM_FT_REAL,
     .offset = offsetof(osim_service, data_change_gb_per_h), .def = "0", .unit = "GB/h",
     .doc = "rate of new data (>= 0)"},
    {.key = "data", .type = OSIM_FT_REAL, .offset = offsetof(osim_service, data_gb), .def = "0",
     .unit = "GB", .doc = "data held (>= 0)"},
    {.key = "revenue_per_h", .type = OSIM_FT_MONEY,
     .offset = offsetof(osim_service, revenue_krw_per_h), .def = "0", .unit = "won/h",
     .doc = "the operator's own revenue while it is up"},
    {.key = "restart", .type = OSIM_FT_DIST_DURATION, .offset = offsetof(osim_service, restart_h),
     .def = "0", .doc = "power back -> serving again (per system)"},
    {.key = "rebuild", .type = OSIM_FT_DIST_DURATION, .offset = offsetof(osim_service, rebuild_h),
     .def = "0", .doc = "extra, for a system whose equipment was destroyed: reinstall and re-sync "
                        "once the replacement is in"},
    {.key = "systems", .type = OSIM_FT_COUNT, .offset = offsetof(osim_service, systems),
     .def = "1", .doc = "independent systems per site, each recovering on its own, 1..100000"},
    {.key = "shards", .type = OSIM_FT_COUNT, .offset = offsetof(osim_service, shards),
     .def = "1", .doc = "older name of systems (give one of the two)"},
    {.key = "priority", .type = OSIM_FT_COUNT, .offset = offsetof(osim_service, priority),
     .def = "0", .doc = "recovery priority for crews: larger first (needs crews in a topology)"},
};
static const osim_schema service_schema = {"service", sizeof(osim_service), service_fields,
                                           N(service_fields)};

/* ---------------------------------------------------------------- topologies: */

static const osim_field zone_place_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_zone_place, name),
     .doc = "the site (the key of the mapping)"},
    {.key = "zones", .type = OSIM_FT_NAMES, .offset = offsetof(osim_zone_place, zone_names),
     .count_offset = offsetof(osim_zone_place, zone_names_count), .flags = OSIM_F_REQUIRED,
     .doc = "zones of that site the shards sit in"},
};
static const osim_schema zone_place_schema = {"zone placement", sizeof(osim_zone_place),
                                              zone_place_fields, N(zone_place_fields)};

static const osim_field backup_fields[] = {
    {.key = "at", .type = OSIM_FT_STRING, .offset = offsetof(osim_backup, at),
     .flags = OSIM_F_REQUIRED, .doc = "where the copy is kept: a site, or site/zone"},
    {.key = "interval", .type = OSIM_FT_DURATION, .offset = offsetof(osim_backup, interval_h),
     .flags = OSIM_F_REQUIRED, .doc = "time between two backups (> 0)"},
    {.key = "lag", .type = OSIM_FT_DIST_DURATION, .offset = offsetof(osim_backup, lag_h),
     .def = "0", .doc = "backup start -> the copy is usable"},
    {.key = "restore_rate", .type = OSIM_FT_DIST_REAL,
     .offset = offsetof(osim_backup, restore_rate_gb_per_h), .flags = OSIM_F_REQUIRED,
     .unit = "GB/h", .doc = "how fast data comes back from it (every value > 0)"},
};
static const osim_schema backup_schema = {"backup", sizeof(osim_backup), backup_fields,
                                          N(backup_fields)};

static const osim_field migrate_fields[] = {
    {.key = "to", .type = OSIM_FT_STRING, .offset = offsetof(osim_migrate, to),
     .doc = "the site (or provider) the systems move to; not one of the service's sites"},
    {.key = "after", .type = OSIM_FT_DIST_DURATION, .offset = offsetof(osim_migrate, after_h),
     .def = "0", .doc = "the service's first darkness -> the move begins"},
    {.key = "pace", .type = OSIM_FT_STRING, .offset = offsetof(osim_migrate, pace),
     .unit = "systems per time", .doc = "systems moved per day, as a rate: 50/d, 2/h, 100/w"},
    {.key = "capacity", .type = OSIM_FT_COUNT, .offset = offsetof(osim_migrate, capacity),
     .def = "0", .doc = "the most systems the destination takes (default: all the service's; >= 1)"},
    {.key = "systems", .type = OSIM_FT_COUNT, .offset = offsetof(osim_migrate, systems),
     .def = "0", .doc = "how many systems to move (default: as many as capacity takes; <= capacity)"},
};
static const osim_schema migrate_schema = {"migration", sizeof(osim_migrate), migrate_fields,
                                           N(migrate_fields)};

static const osim_field placement_fields[] = {
    {.key = "name", .type = OSIM_FT_REF, .offset = offsetof(osim_placement, service),
     .flags = OSIM_F_REQUIRED, .ref = "services", .doc = "the service placed (a name in services)"},
    {.key = "active", .type = OSIM_FT_REFS, .offset = offsetof(osim_placement, active),
     .count_offset = offsetof(osim_placement, active_count), .flags = OSIM_F_REQUIRED,
     .ref = "sites", .doc = "sites serving it (>= 1)"},
    {.key = "load_share", .type = OSIM_FT_REALS, .offset = offsetof(osim_placement, load_share),
     .count_offset = OSIM_NO_COUNT, .unit = "fraction",
     .doc = "share of load per active site, sums to 1 (default equal)"},
    {.key = "standby", .type = OSIM_FT_REFS, .offset = offsetof(osim_placement, standby),
     .count_offset = offsetof(osim_placement, standby_count), .ref = "sites",
     .doc = "sites that can take over by failover"},
    {.key = "replication", .type = OSIM_FT_ENUM, .offset = offsetof(osim_placement, replication),
     .def = "none", .enum_names = replication_names, .doc = "none | async | sync"},
    {.key = "lag", .type = OSIM_FT_DIST_DURATION, .offset = offsetof(osim_placement, lag_h),
     .def = "0", .doc = "replication lag (async)"},
    {.key = "failover", .type = OSIM_FT_ENUM, .offset = offsetof(osim_placement, failover),
     .def = "none", .enum_names = failover_names, .doc = "none | manual | automatic"},
    {.key = "detect", .type = OSIM_FT_DIST_DURATION, .offset = offsetof(osim_placement, detect_h),
     .def = "0", .doc = "failure -> automatic failover starts"},
    {.key = "failover_time", .type = OSIM_FT_DIST_DURATION,
     .offset = offsetof(osim_placement, failover_h), .def = "0",
     .doc = "time a failover takes once started"},
    {.key = "needs", .type = OSIM_FT_REFS, .offset = offsetof(osim_placement, needs),
     .count_offset = offsetof(osim_placement, needs_count), .ref = "services",
     .doc = "services a failover needs up somewhere"},
    {.key = "needs_min", .type = OSIM_FT_FRACTION, .offset = offsetof(osim_placement, needs_min),
     .def = "1", .doc = "availability each of those must reach"},
    {.key = "staff", .type = OSIM_FT_COUNT, .offset = offsetof(osim_placement, staff),
     .def = "1", .doc = "recovery staff one manual failover occupies"},
    {.key = "headroom", .type = OSIM_FT_REAL, .offset = offsetof(osim_placement, headroom),
     .def = "0", .unit = "fraction of share",
     .doc = "spare capacity of each active site (>= 0; 1 = can carry double)"},
    {.key = "zones", .type = OSIM_FT_NAMED, .offset = offsetof(osim_placement, zone_places),
     .count_offset = offsetof(osim_placement, zone_places_count), .sub = &zone_place_schema,
     .doc = "{site: [zone, ...]}: the shards there sit in those zones (default: spread)"},
    {.key = "backups", .type = OSIM_FT_SEQ, .offset = offsetof(osim_placement, backups),
     .count_offset = offsetof(osim_placement, backups_count), .sub = &backup_schema,
     .doc = "copies that hold data but cannot serve: [{at, interval, lag, restore_rate}]"},
    {.key = "migrate", .type = OSIM_FT_MAP, .offset = offsetof(osim_placement, migrate),
     .sub = &migrate_schema, .flags = OSIM_F_NONEMPTY,
     .doc = "move down systems to another site: {to, after, pace, capacity, systems}"},
};
static const osim_schema placement_schema = {"placement", sizeof(osim_placement),
                                             placement_fields, N(placement_fields)};

static const osim_field site_crews_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_site_crews, name),
     .doc = "the site (the key of the mapping)"},
    {.key = "crews", .type = OSIM_FT_COUNT, .offset = offsetof(osim_site_crews, crews),
     .flags = OSIM_F_REQUIRED, .doc = "crews at that site (>= 1)"},
};
static const osim_schema site_crews_schema = {"site crews", sizeof(osim_site_crews),
                                              site_crews_fields, N(site_crews_fields)};

static const osim_field shift_fields[] = {
    {.key = "at", .type = OSIM_FT_STRING, .offset = offsetof(osim_shift, site_name),
     .doc = "the site of the pool (one of site_crews); left out: the shared pool of crews"},
    {.key = "from", .type = OSIM_FT_DURATION, .offset = offsetof(osim_shift, from_h),
     .flags = OSIM_F_REQUIRED, .unit = "h", .doc = "local time of day the shift starts (20h: 20:00)"},
    {.key = "to", .type = OSIM_FT_DURATION, .offset = offsetof(osim_shift, to_h),
     .flags = OSIM_F_REQUIRED, .unit = "h", .doc = "local time of day it ends (8h: 08:00)"},
    {.key = "crews", .type = OSIM_FT_COUNT, .offset = offsetof(osim_shift, crews),
     .flags = OSIM_F_REQUIRED, .doc = "crews of the pool during the shift (>= 1)"},
};
static const osim_schema shift_schema = {"shift", sizeof(osim_shift), shift_fields,
                                         N(shift_fields)};

static const osim_field topology_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_topology, name),
     .flags = OSIM_F_REQUIRED, .doc = "unique name of the design"},
    {.key = "description", .type = OSIM_FT_STRING,
     .offset = offsetof(osim_topology, description), .doc = "what the design is"},
    {.key = "staff", .type = OSIM_FT_COUNT, .offset = offsetof(osim_topology, staff), .def = "1",
     .doc = "recovery staff on hand for manual work"},
    {.key = "crews", .type = OSIM_FT_COUNT, .offset = offsetof(osim_topology, crews), .def = "0",
     .doc = "crews shared by every site (>= 1; 0 = none declared: unlimited)"},
    {.key = "site_crews", .type = OSIM_FT_NAMED, .offset = offsetof(osim_topology, site_crews),
     .count_offset = offsetof(osim_topology, site_crews_count), .sub = &site_crews_schema,
     .doc = "{site: N}: crews per site (sites not named are not limited)"},
    {.key = "shifts", .type = OSIM_FT_SEQ, .offset = offsetof(osim_topology, shifts),
     .count_offset = offsetof(osim_topology, shifts_count), .sub = &shift_schema,
     .doc = "[{from, to, crews, at}]: a pool's crews by time of day"},
    {.key = "annual_cost", .type = OSIM_FT_MONEY,
     .offset = offsetof(osim_topology, annual_cost_krw), .def = "0", .unit = "won/year",
     .doc = "what running this design costs per year"},
    {.key = "services", .type = OSIM_FT_SEQ, .offset = offsetof(osim_topology, placements),
     .count_offset = OSIM_NO_COUNT, .flags = OSIM_F_REQUIRED, .sub = &placement_schema,
     .doc = "where each service runs: every service exactly once"},
};
static const osim_schema topology_schema = {"topology", sizeof(osim_topology), topology_fields,
                                            N(topology_fields)};

/* ---------------------------------------------------------------- population: */

static const osim_field population_fields[] = {
    {.key = "users", .type = OSIM_FT_COUNT, .offset = offsetof(osim_population, users),
     .flags = OSIM_F_REQUIRED, .doc = "total users"},
    {.key = "hourly", .type = OSIM_FT_HOURLY, .offset = offsetof(osim_population, hourly),
     .def = "1", .unit = "fraction", .doc = "share of users active in each local hour 0..23"},
    {.key = "weekly", .type = OSIM_FT_WEEKLY, .offset = offsetof(osim_population, weekly),
     .def = "1", .unit = "", .doc = "multiplier per weekday, Monday first"},
};
static const osim_schema population_schema = {"population", sizeof(osim_population),
                                              population_fields, N(population_fields)};

/* ---------------------------------------------------------------- populations: */

static const char *const overlap_names[] = {"independent", "disjoint", "nested", NULL};

static const osim_field population_group_fields[] = {
    {.key = "services", .type = OSIM_FT_REFS,
     .offset = offsetof(osim_population_group, services),
     .count_offset = offsetof(osim_population_group, services_count), .flags = OSIM_F_REQUIRED,
     .ref = "services", .doc = "services whose users overlap as `overlap` says (>= 2; nested: "
                               "outermost first)"},
    {.key = "overlap", .type = OSIM_FT_ENUM, .offset = offsetof(osim_population_group, overlap),
     .flags = OSIM_F_REQUIRED, .enum_names = overlap_names,
     .doc = "disjoint | nested | independent"},
};
static const osim_schema population_group_schema = {"population group",
                                                    sizeof(osim_population_group),
                                                    population_group_fields,
                                                    N(population_group_fields)};

/* ---------------------------------------------------------------- businesses: */

static const osim_field segment_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_segment, name),
     .flags = OSIM_F_REQUIRED, .doc = "unique name of the segment"},
    {.key = "description", .type = OSIM_FT_STRING, .offset = offsetof(osim_segment, description),
     .doc = "who they are"},
    {.key = "count", .type = OSIM_FT_COUNT, .offset = offsetof(osim_segment, count),
     .flags = OSIM_F_REQUIRED, .doc = "businesses in the segment"},
    {.key = "needs", .type = OSIM_FT_REFS, .offset = offsetof(osim_segment, deps),
     .count_offset = offsetof(osim_segment, deps_count), .flags = OSIM_F_REQUIRED,
     .ref = "services", .doc = "services it depends on (all of them, >= 1)"},
    {.key = "paid", .type = OSIM_FT_BOOL, .offset = offsetof(osim_segment, paid), .def = "false",
     .doc = "uses paid services (a claimant class)"},
    {.key = "hourly_revenue", .type = OSIM_FT_DIST_MONEY,
     .offset = offsetof(osim_segment, hourly_revenue_krw), .flags = OSIM_F_REQUIRED,
     .unit = "won/h", .doc = "one business's mean revenue per hour, across businesses"},
    {.key = "hourly_profile", .type = OSIM_FT_HOURLY,
     .offset = offsetof(osim_segment, hourly_profile), .def = "1", .unit = "",
     .doc = "relative revenue by local hour 0..23 (normalised to mean 1)"},
    {.key = "weekly_profile", .type = OSIM_FT_WEEKLY,
     .offset = offsetof(osim_segment, weekly_profile), .def = "1", .unit = "",
     .doc = "relative revenue by weekday, Monday first (normalised to mean 1)"},
    {.key = "substitution", .type = OSIM_FT_FRACTION,
     .offset = offsetof(osim_segment, substitution), .def = "0",
     .doc = "share of lost revenue moved to other channels"},
    {.key = "deferred", .type = OSIM_FT_FRACTION, .offset = offsetof(osim_segment, deferred),
     .def = "0", .doc = "share only deferred; substitution + deferred <= 1"},
    {.key = "margin", .type = OSIM_FT_FRACTION, .offset = offsetof(osim_segment, margin),
     .flags = OSIM_F_REQUIRED, .doc = "profit margin"},
    {.key = "claim_rate", .type = OSIM_FT_FRACTION, .offset = offsetof(osim_segment, claim_rate),
     .def = "0", .doc = "probability an affected business files a claim"},
};
static const osim_schema segment_schema = {"business segment", sizeof(osim_segment),
                                           segment_fields, N(segment_fields)};

/* ---------------------------------------------------------------- policies: */

static const osim_field policy_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_policy, name),
     .flags = OSIM_F_REQUIRED, .doc = "unique name of the policy"},
    {.key = "model", .type = OSIM_FT_STRING, .offset = offsetof(osim_policy, model_name),
     .flags = OSIM_F_REQUIRED, .doc = "compensation model (see scenarios/policies/README.md)"},
    {.key = "legal_basis", .type = OSIM_FT_STRING, .offset = offsetof(osim_policy, legal_basis),
     .doc = "one line for the legal summary"},
    /* `source:` of a policy names source ids (an annotation, bind.c); the
     * words on where the terms come from are its note. */
    {.key = "note", .type = OSIM_FT_STRING, .offset = offsetof(osim_policy, source),
     .doc = "where the terms come from, in words"},
    {.key = "currency", .type = OSIM_FT_STRING, .offset = offsetof(osim_policy, currency),
     .doc = "currency its amounts are written in (default the scenario's)"},
    {.key = "rate", .type = OSIM_FT_REAL, .offset = offsetof(osim_policy, rate), .def = "0",
     .unit = "per unit", .doc = "scenario currency per unit of the policy's (when they differ)"},
    {.key = "params", .type = OSIM_FT_MAP, .offset = offsetof(osim_policy, params),
     .flags = OSIM_F_CUSTOM, .doc = "the model's parameters (bound with its own schema)"},
    {.key = "include", .type = OSIM_FT_STRING, .offset = 0, .flags = OSIM_F_CUSTOM,
     .doc = "instead of a policy: a file holding a list of policies"},
};
const osim_schema osim__policy_schema = {"policy", sizeof(osim_policy), policy_fields,
                                         N(policy_fields)};

/* ---------------------------------------------------------------- economics: */

static const osim_field economics_fields[] = {
    {.key = "incident_probability", .type = OSIM_FT_FRACTION,
     .offset = offsetof(osim_economics, incident_probability_per_year), .def = "0",
     .unit = "per year", .doc = "probability of such an incident per site per year"},
    {.key = "policies", .type = OSIM_FT_REFS, .offset = offsetof(osim_economics, policies),
     .count_offset = offsetof(osim_economics, policies_count), .ref = "policies",
     .doc = "policies counted in expected annual loss (default all)"},
    {.key = "baseline", .type = OSIM_FT_STRING, .offset = offsetof(osim_economics, baseline),
     .doc = "topology the others are compared against (default the first)"},
};
static const osim_schema economics_schema = {"economics", sizeof(osim_economics),
                                             economics_fields, N(economics_fields)};

/* ---------------------------------------------------------------- incidents: */

static const osim_field catalogue_fields[] = {
    {.key = "name", .type = OSIM_FT_STRING, .offset = offsetof(osim_catalogue_incident, name),
     .flags = OSIM_F_REQUIRED, .doc = "unique name of the incident (e.g. fire-pangyo)"},
    {.key = "frequency", .type = OSIM_FT_REAL,
     .offset = offsetof(osim_catalogue_incident, frequency_per_year), .flags = OSIM_F_REQUIRED,
     .unit = "per year", .doc = "expected occurrences per year (>= 0)"},
    {.key = "sites", .type = OSIM_FT_SEQ, .offset = offsetof(osim_catalogue_incident, sites),
     .count_offset = offsetof(osim_catalogue_incident, sites_count), .sub = &incident_schema,
     .doc = "how it unfolds at each affected site, as incident: (not in the first entry, "
            "which is incident:)"},
};
static const osim_schema catalogue_schema = {"incidents", sizeof(osim_catalogue_incident),
                                             catalogue_fields, N(catalogue_fields)};

/* ---------------------------------------------------------------- the file */

static const osim_field top_fields[] = {
    {.key = "scenario", .type = OSIM_FT_MAP, .offset = 0, .flags = OSIM_F_REQUIRED,
     .sub = &header_schema, .doc = "name, time and horizon of the scenario"},
    {.key = "sites", .type = OSIM_FT_SEQ, .offset = offsetof(osim_scenario, sites),
     .count_offset = offsetof(osim_scenario, sites_count), .flags = OSIM_F_REQUIRED,
     .sub = &site_schema, .doc = "data centres"},
    {.key = "incident", .type = OSIM_FT_SEQ, .offset = offsetof(osim_scenario, incident),
     .count_offset = offsetof(osim_scenario, incident_count), .flags = OSIM_F_REQUIRED,
     .sub = &incident_schema, .doc = "how the incident unfolds at each affected site"},
    {.key = "incidents", .type = OSIM_FT_SEQ, .offset = offsetof(osim_scenario, incidents),
     .count_offset = offsetof(osim_scenario, incidents_count), .sub = &catalogue_schema,
     .doc = "a catalogue: named incidents with annual frequencies (the first is incident:)"},
    {.key = "decisions", .type = OSIM_FT_SEQ, .offset = offsetof(osim_scenario, decisions),
     .count_offset = offsetof(osim_scenario, decisions_count), .sub = &decision_schema,
     .doc = "timed decisions: {after, cut|abandon|reopen: site or site/zone}"},
    {.key = "services", .type = OSIM_FT_SEQ, .offset = offsetof(osim_scenario, services),
     .count_offset = offsetof(osim_scenario, services_count), .flags = OSIM_F_REQUIRED,
     .sub = &service_schema, .doc = "the services and what they depend on"},
    {.key = "topologies", .type = OSIM_FT_SEQ, .offset = offsetof(osim_scenario, topologies),
     .count_offset = offsetof(osim_scenario, topologies_count), .flags = OSIM_F_REQUIRED,
     .sub = &topology_schema, .doc = "redundancy designs to compare"},
    {.key = "population", .type = OSIM_FT_MAP, .offset = offsetof(osim_scenario, population),
     .flags = OSIM_F_REQUIRED, .sub = &population_schema, .doc = "the users"},
    {.key = "populations", .type = OSIM_FT_SEQ, .offset = offsetof(osim_scenario, populations),
     .count_offset = offsetof(osim_scenario, populations_count), .sub = &population_group_schema,
     .doc = "groups of services whose users are disjoint or nested (default: independent)"},
    {.key = "businesses", .type = OSIM_FT_SEQ, .offset = offsetof(osim_scenario, segments),
     .count_offset = offsetof(osim_scenario, segments_count), .sub = &segment_schema,
     .doc = "small-business segments"},
    {.key = "policies", .type = OSIM_FT_SEQ, .offset = offsetof(osim_scenario, policies),
     .count_offset = offsetof(osim_scenario, policies_count), .flags = OSIM_F_CUSTOM,
     .sub = &osim__policy_schema, .doc = "compensation policies (or includes of policy files)"},
    {.key = "economics", .type = OSIM_FT_MAP, .offset = offsetof(osim_scenario, economics),
     .sub = &economics_schema, .doc = "expected annual loss settings"},
};
const osim_schema osim__scenario_schema = {"scenario file", sizeof(osim_scenario), top_fields,
                                           N(top_fields)};
/* clang-format on */

int osim_model_catalogue_find(const osim_model_catalogue *cat, const char *name,
                              osim_model_kind *out)
{
    osim_model_kind k;
    size_t i;

    if (cat == NULL || cat->kind_at == NULL || name == NULL)
        return 0;
    for (i = 0; cat->kind_at(i, &k); i++)
        if (k.name != NULL && strcmp(k.name, name) == 0) {
            *out = k;
            return 1;
        }
    return 0;
}
