/*
 * ylt.c -- the year loss table's skeleton: which incidents happen in which
 * simulated year, and which replication stands for each occurrence.
 *
 * Invariant: incident i's occurrences are a pure function of (seed, i's
 * name, i's rate, i's n_reps, n_years). Each incident has its own stream
 * and draws its years in order (a Poisson count, then that many uniform
 * replication indices), so the table of a catalogue is the union of the
 * tables of its incidents: adding or removing an incident moves no other
 * incident's occurrence. The table holds indices, never losses, so every
 * design and every measure reads the same years (common random numbers).
 */
#include "risk/risk_int.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outagesim/rng.h"

void osim_ylt_free(osim_ylt *y)
{
    if (y == NULL)
        return;
    free(y->rep);
    free(y->year);
    free(y->start);
    free(y->n_reps);
    free(y->rate);
    free(y);
}

/* The arguments of osim_ylt_build, checked before anything is drawn. */
static int check_incidents(size_t n_years, const osim_ylt_incident *inc, size_t n, osim_diag *diag)
{
    double expected = 0.0;
    size_t i, j;

    if (n_years == 0 || n_years > UINT32_MAX)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "year table: years must be between 1 and %lu, not %zu",
                             (unsigned long)UINT32_MAX, n_years);
    for (i = 0; i < n; i++) {
        const char *nm = inc[i].name;

        if (nm == NULL || nm[0] == '\0')
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                 "year table: incident %zu has no name", i + 1);
        for (j = 0; j < i; j++)
            if (strcmp(inc[j].name, nm) == 0)
                return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                     "year table: incident name '%s' is used twice (each "
                                     "incident's stream is seeded from its name)",
                                     nm);
        if (!isfinite(inc[i].annual_rate) || inc[i].annual_rate < 0.0)
            return osim_diag_set(diag, OSIM_ERANGE, NULL, 0, 0,
                                 "year table: incident '%s': the annual rate must be finite "
                                 "and >= 0, not %g",
                                 nm, inc[i].annual_rate);
        if (inc[i].n_reps == 0 || inc[i].n_reps > UINT32_MAX)
            return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                                 "year table: incident '%s': replications must be between 1 "
                                 "and %lu, not %zu",
                                 nm, (unsigned long)UINT32_MAX, inc[i].n_reps);
        expected += inc[i].annual_rate * (double)n_years;
    }
    if (expected > (double)OSIM_RISK_OCCURRENCES_MAX)
        return osim_diag_set(diag, OSIM_ERANGE, NULL, 0, 0,
                             "year table: %.3g occurrences expected, more than the %llu a "
                             "table holds (fewer years, or lower rates)",
                             expected, (unsigned long long)OSIM_RISK_OCCURRENCES_MAX);
    return 0;
}

/* Room for at least need occurrences in y's year and rep arrays. */
static int reserve(osim_ylt *y, size_t *cap, size_t need)
{
    size_t c = *cap ? *cap : 1024;
    uint32_t *p;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    if ((p = realloc(y->year, c * sizeof *p)) == NULL)
        return OSIM_ENOMEM;
    y->year = p;
    if ((p = realloc(y->rep, c * sizeof *p)) == NULL)
        return OSIM_ENOMEM;
    y->rep = p;
    *cap = c;
    return 0;
}

/* Draw an incident's years into y from occurrence *end on; *end moves past them. */
static int draw_incident(osim_ylt *y, size_t *cap, size_t *end, uint64_t seed,
                         const osim_ylt_incident *inc)
{
    osim_rng_local l;
    size_t at = *end, t;
    int rc;

    osim_rng_local_init(&l, osim_rng_stream_seed_h(seed, UINT64_MAX, osim_rng_name_hash("ylt"),
                                                   osim_rng_name_hash(inc->name)));
    for (t = 0; t < y->n_years; t++) {
        /* A rate of 0 draws nothing: the stream of such an incident is unused. */
        unsigned int k = inc->annual_rate > 0.0 ? gsl_ran_poisson(&l.r, inc->annual_rate) : 0;

        if (k == 0)
            continue;
        if (at + k > OSIM_RISK_OCCURRENCES_MAX)
            return OSIM_ERANGE;
        if ((rc = reserve(y, cap, at + k)) != 0)
            return rc;
        for (; k > 0; k--, at++) {
            y->year[at] = (uint32_t)t;
            y->rep[at] = (uint32_t)gsl_rng_uniform_int(&l.r, (unsigned long)inc->n_reps);
        }
    }
    *end = at;
    return 0;
}

int osim_ylt_build(osim_ylt **out, uint64_t seed, size_t n_years, const osim_ylt_incident *inc,
                   size_t n_incidents, osim_diag *diag)
{
    osim_ylt *y = NULL;
    size_t cap = 0, end = 0, i;
    int rc;

    if (out == NULL || inc == NULL || n_incidents == 0)
        return osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0,
                             "year table: no incidents (or a NULL argument)");
    if ((rc = check_incidents(n_years, inc, n_incidents, diag)) != 0)
        return rc;
    rc = OSIM_ENOMEM;
    if ((y = calloc(1, sizeof *y)) == NULL)
        goto fail;
    y->n_years = n_years;
    y->n_incidents = n_incidents;
    if ((y->rate = calloc(n_incidents, sizeof *y->rate)) == NULL ||
        (y->n_reps = calloc(n_incidents, sizeof *y->n_reps)) == NULL ||
        (y->start = calloc(n_incidents + 1, sizeof *y->start)) == NULL)
        goto fail;
    for (i = 0; i < n_incidents; i++) {
        y->rate[i] = inc[i].annual_rate;
        y->n_reps[i] = inc[i].n_reps;
        if ((rc = draw_incident(y, &cap, &end, seed, &inc[i])) != 0) {
            if (rc == OSIM_ERANGE)
                osim_diag_set(diag, rc, NULL, 0, 0, "year table: more than %llu occurrences drawn",
                              (unsigned long long)OSIM_RISK_OCCURRENCES_MAX);
            goto fail;
        }
        y->start[i + 1] = end;
    }
    *out = y;
    return 0;
fail:
    if (rc == OSIM_ENOMEM)
        osim_diag_set(diag, rc, NULL, 0, 0, "year table: out of memory");
    osim_ylt_free(y);
    return rc;
}

size_t osim_ylt_years(const osim_ylt *y)
{
    return y != NULL ? y->n_years : 0;
}

size_t osim_ylt_incidents(const osim_ylt *y)
{
    return y != NULL ? y->n_incidents : 0;
}

size_t osim_ylt_occurrences(const osim_ylt *y)
{
    return y != NULL ? y->start[y->n_incidents] : 0;
}

int osim_ylt_occurrences_of(const osim_ylt *y, size_t i, size_t *count, const uint32_t **year,
                            const uint32_t **rep)
{
    size_t a;

    if (y == NULL || i >= y->n_incidents)
        return OSIM_EINVAL;
    a = y->start[i];
    if (count != NULL)
        *count = y->start[i + 1] - a;
    if (year != NULL)
        *year = y->year != NULL ? y->year + a : NULL;
    if (rep != NULL)
        *rep = y->rep != NULL ? y->rep + a : NULL;
    return 0;
}
