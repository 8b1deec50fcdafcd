/*
 * metrics.c -- every metric a replication yields: one getter and one table
 * line each.
 *
 * Invariant: the table's order is the order of the result document, the
 * CSV columns and the row layout within each group (result.c repeats a
 * group's lines for each of its owners). Adding a line appends a column and
 * changes every output: bump OSIM_VERSION and say so in CHANGELOG.md.
 * Getters only read the replication: a value is a pure function of
 * (scenario, seed, replication, topology), as mc.c's invariant needs. Sums
 * are taken in scenario order, so they are the same bits in every run.
 *
 * To add a metric: write a getter below, add its line to the table in the
 * group where it belongs (a new group also needs a place in result.c's
 * catalogue and in report/json.c), then regenerate docs/schemas
 * (python3 docs/schemas/gen.py: the schemas list every key).
 */
#include <assert.h>

#include "results/metrics.h"
#include "results/results_int.h"

/* ------------------------------------------------------------ getters */

static const osim_site_fire *fire_of(const osim__replication *r, size_t site)
{
    return &r->incident->fire[r->sc->incident[site].site];
}

static double inc_detection(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return fire_of(r, o)->detection_h;
}

static double inc_power_cut(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return fire_of(r, o)->power_cut_h;
}

static double inc_restoration(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return fire_of(r, o)->restoration_start_h;
}

static double svc_downtime(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->replay->services[o].downtime_h;
}

static double svc_recovered(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->replay->services[o].recovered_h;
}

static double svc_half_back(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->replay->services[o].half_back_h;
}

static double svc_user_hours(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->impact->services[o].user_hours_lost;
}

static double svc_data_lost(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->replay->services[o].data_lost_gb;
}

static double svc_data_restored(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->replay->services[o].data_restored_h;
}

static double svc_lost_replica(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->replay->services[o].data_lost_replica_gb;
}

static double svc_lost_backup(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->replay->services[o].data_lost_backup_gb;
}

static double svc_lost_no_copy(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->replay->services[o].data_lost_no_copy_gb;
}

static double full_recovery(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->replay->full_recovery_h;
}

static double systems_50(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->replay->systems_50_h;
}

static double systems_90(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->replay->systems_90_h;
}

static double systems_100(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->replay->systems_100_h;
}

static double users_peak(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->impact->peak_affected;
}

static double users_user_hours(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->impact->user_hours_lost;
}

static double users_distinct(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->impact->distinct_affected;
}

static double sb_affected(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->impact->sb_affected;
}

static double sb_revenue(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->impact->sb_revenue_loss_krw;
}

static double sb_profit(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->impact->sb_lost_profit_krw;
}

static double sb_claimants(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return r->impact->sb_claimants;
}

static double seg_affected(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->impact->segments[o].affected;
}

static double seg_revenue(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->impact->segments[o].revenue_loss_krw;
}

static double seg_profit(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->impact->segments[o].lost_profit_krw;
}

static double seg_claimants(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->impact->segments[o].claimants;
}

static double data_lost_gb(const osim__replication *r, size_t o, size_t s)
{
    double gb = 0.0;
    size_t i;

    (void)o, (void)s;
    for (i = 0; i < r->sc->services_count; i++)
        gb += r->replay->services[i].data_lost_gb;
    return gb;
}

static double services_with_loss(const osim__replication *r, size_t o, size_t s)
{
    double n = 0.0;
    size_t i;

    (void)o, (void)s;
    for (i = 0; i < r->sc->services_count; i++)
        if (r->replay->services[i].data_lost_gb > 0.0)
            n += 1.0;
    return n;
}

/* The operator's own revenue lost: revenue per hour x downtime, summed. */
static double operator_revenue(const osim__replication *r, size_t o, size_t s)
{
    double op = 0.0;
    size_t i;

    (void)o, (void)s;
    for (i = 0; i < r->sc->services_count; i++)
        op += (double)r->sc->services[i].revenue_krw_per_h * r->replay->services[i].downtime_h;
    return op;
}

static double comp_total(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->comp[o].total_krw;
}

static double comp_nominal(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->comp[o].nominal_krw;
}

static double comp_claimants(const osim__replication *r, size_t o, size_t s)
{
    (void)s;
    return r->comp[o].claimants;
}

static double class_claimants(const osim__replication *r, size_t o, size_t s)
{
    return r->comp[o].classes[s].claimants;
}

static double class_amount(const osim__replication *r, size_t o, size_t s)
{
    return r->comp[o].classes[s].amount_krw;
}

/* Add the compensation of the policies counted in the economics to acc,
 * in scenario order. */
static double add_counted_compensation(const osim__replication *r, double acc)
{
    size_t p;

    for (p = 0; p < r->policies_count; p++)
        if (r->policies[p].in_economics)
            acc += r->comp[p].total_krw;
    return acc;
}

static double compensation_total(const osim__replication *r, size_t o, size_t s)
{
    (void)o, (void)s;
    return add_counted_compensation(r, 0.0);
}

/* Lost revenue plus counted compensation: the figure the economics use.
 * Summed from the operator's loss on, not as a difference of totals, so
 * that both it and compensation_total_krw are exact sums. */
static double incident_cost(const osim__replication *r, size_t o, size_t s)
{
    return add_counted_compensation(r, operator_revenue(r, o, s));
}

/* ------------------------------------------------------------ the table */

static const osim__metric_def defs[] = {
    {OSIM_MG_INCIDENT, "detection_h", "h", inc_detection},
    {OSIM_MG_INCIDENT, "power_cut_h", "h", inc_power_cut},
    {OSIM_MG_INCIDENT, "restoration_start_h", "h", inc_restoration},
    {OSIM_MG_SERVICE, "downtime_h", "h", svc_downtime},
    {OSIM_MG_SERVICE, "recovered_h", "h", svc_recovered},
    {OSIM_MG_SERVICE, "half_back_h", "h", svc_half_back},
    {OSIM_MG_SERVICE, "user_hours_lost", "user-h", svc_user_hours},
    {OSIM_MG_SERVICE, "data_lost_gb", "GB", svc_data_lost},
    {OSIM_MG_TOPOLOGY, "full_recovery_h", "h", full_recovery},
    {OSIM_MG_TOPOLOGY, "systems_50_h", "h", systems_50},
    {OSIM_MG_TOPOLOGY, "systems_90_h", "h", systems_90},
    {OSIM_MG_TOPOLOGY, "systems_100_h", "h", systems_100},
    {OSIM_MG_USERS, "peak_affected", "users", users_peak},
    {OSIM_MG_USERS, "user_hours_lost", "user-h", users_user_hours},
    {OSIM_MG_USERS, "distinct_affected", "users", users_distinct},
    {OSIM_MG_SMALL_BUSINESS, "affected", "businesses", sb_affected},
    {OSIM_MG_SMALL_BUSINESS, "revenue_loss_money", "money", sb_revenue},
    {OSIM_MG_SMALL_BUSINESS, "lost_profit_money", "money", sb_profit},
    {OSIM_MG_SMALL_BUSINESS, "claimants", "businesses", sb_claimants},
    {OSIM_MG_SEGMENT, "affected", "businesses", seg_affected},
    {OSIM_MG_SEGMENT, "revenue_loss_money", "money", seg_revenue},
    {OSIM_MG_SEGMENT, "lost_profit_money", "money", seg_profit},
    {OSIM_MG_SEGMENT, "claimants", "businesses", seg_claimants},
    {OSIM_MG_DATA_LOSS, "lost_gb", "GB", data_lost_gb},
    {OSIM_MG_DATA_LOSS, "services_with_loss", "services", services_with_loss},
    {OSIM_MG_OPERATOR, "lost_revenue_money", "money", operator_revenue},
    {OSIM_MG_COMP, "total_money", "money", comp_total},
    {OSIM_MG_COMP, "nominal_money", "money", comp_nominal},
    {OSIM_MG_COMP, "claimants", "claimants", comp_claimants},
    {OSIM_MG_COMP_CLASS, "claimants", "claimants", class_claimants},
    {OSIM_MG_COMP_CLASS, "amount_money", "money", class_amount},
    {OSIM_MG_COST, "compensation_total_money", "money", compensation_total},
    {OSIM_MG_COST, OSIM__MC_INCIDENT_COST, "money", incident_cost},
    /* Last in the table, so that the index of every older line stays; in the
     * document they follow each service's own (result.c). */
    {OSIM_MG_COPIES, "data_restored_h", "h", svc_data_restored},
    {OSIM_MG_COPIES, "data_lost_replica_gb", "GB", svc_lost_replica},
    {OSIM_MG_COPIES, "data_lost_backup_gb", "GB", svc_lost_backup},
    {OSIM_MG_COPIES, "data_lost_no_copy_gb", "GB", svc_lost_no_copy},
};

#define NDEFS (sizeof(defs) / sizeof(defs[0]))

const osim__metric_def *osim__metric_defs(osim_metric_group g, size_t *n, size_t *first)
{
    size_t i = 0, k;

    while (i < NDEFS && defs[i].group != g)
        i++;
    for (k = i; k < NDEFS && defs[k].group == g; k++)
        ;
    /* A group's lines are contiguous: one block per group. */
    assert(k == NDEFS || k == i || defs[k].group != g);
    *n = k - i;
    *first = i;
    return defs + i;
}

double osim__metric_value(const osim_metric *m, const osim__replication *rep)
{
    assert(m->what >= 0 && (size_t)m->what < NDEFS);
    return defs[m->what].get(rep, m->owner, m->sub);
}
