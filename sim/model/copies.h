/*
 * copies.h -- internal: backups of a service's data in one replication
 * (copies.c). The replay asks which backups burned, which is the newest
 * that survives, and what a destroyed system then loses and must restore.
 * Not part of the public API; the rules are docs/model.md, "Copies".
 */
#ifndef OUTAGESIM_MODEL_COPIES_H
#define OUTAGESIM_MODEL_COPIES_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outagesim/incident.h"
#include "outagesim/scenario.h"

/* One backup as one replication realises it. */
typedef struct osim__backup_draw {
    double u;             /* its rack position on its site's axis, [0,1) */
    bool burned;          /* the incident destroyed the equipment at u */
    double age_h;         /* lag + phase x interval: the changes it lacks, in hours */
    double rate_gb_per_h; /* restore rate, > 0 */
} osim__backup_draw;

/*
 * Draw the backups of service s under placement pl (pl->backups_count of
 * them, into out) for replication rep of master seed `seed`. Backup k of s
 * draws from its own stream, "backups" with index s x OSIM_BACKUPS_MAX + k
 * (r is the caller's generator, reseeded here): its position, the phase of
 * its cycle, its lag, its restore rate, in that order (a fixed value takes
 * no draw). So the k-th backup of a service meets the same draws under
 * every topology, and adding a backup shifts no other draw. Returns the
 * index of the newest backup that did not burn (least age_h; ties: the
 * first listed), or -1 when every backup burned (or there is none).
 */
long osim__copies_draw(const osim_scenario *sc, const osim_incident *inc, const osim_placement *pl,
                       size_t s, uint64_t seed, uint64_t rep, gsl_rng *r, osim__backup_draw *out);

/*
 * The data a destroyed system with no surviving replica loses, in GB,
 * when it holds part gb of the service's data: everything (newest NULL),
 * or the changes since the newest surviving backup, age_h x data_change,
 * at most gb (a restore never loses more than there was).
 */
double osim__copies_loss_gb(const osim_service *s, double gb, const osim__backup_draw *newest);

#endif
