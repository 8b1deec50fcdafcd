/*
 * series.c -- the course of an outage over time, as integer counts that
 * add up across threads and partial runs (see series.h for the grids).
 *
 * Invariant: every counter is an unsigned integer and every replication's
 * contribution to it is a pure function of (scenario, replay, impact),
 * computed the same way whether it is added or subtracted. Sums of
 * integers do not depend on their order, so a run's series is the same,
 * bit for bit, for any thread count, chunk size or split into parts, and a
 * subtraction undoes an addition exactly. Rounding to fixed-point units
 * (unavailability 2^-20, businesses 2^-10) happens once per replication
 * and bin, before anything is summed.
 *
 * add() allocates nothing; the loss bins read each segment's revenue CDF
 * from a table made once (attach), the bracket marks compute it exactly.
 */
#include "outagesim/series.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dist_drawn.h"
#include "core/str.h"
#include "model/populations.h"
#include "outagesim/atomic_file.h"
#include "outagesim/compensation.h"
#include "outagesim/money.h"
#include "outagesim/version.h"
#include "results/series_int.h"

#define SERIES_FORMAT "outagesim-series"
#define IDENTITY_MAX 1024 /* an identity line, with its scenario name cut at need */
/* From this many services on, a replication's counts are made grid step by
 * grid step (counts_by_step): fewer fit in cache whichever way. */
#define SWEEP_MIN_SERVICES 64
/* 2: money keys end in _money and the document names its currency (1: _krw). */
#define SERIES_FORMAT_VERSION 2

/* ------------------------------------------------------------ bins */

double osim__series_user_lo(size_t b)
{
    return b <= 1 ? 1.0 : pow(10.0, (double)(b - 1) / OSIM_SERIES_USERS_PER_DECADE);
}

double osim__series_user_hi(size_t b)
{
    return pow(10.0, (double)b / OSIM_SERIES_USERS_PER_DECADE);
}

double osim__series_loss_hi(size_t b)
{
    return b == 0 ? 0.0 : pow(10.0, (double)b / OSIM_SERIES_LOSS_PER_DECADE);
}

static size_t user_bin(double x)
{
    double b;

    if (!(x > 0.0))
        return 0;
    if (x < 1.0)
        return 1;
    b = 1.0 + floor(log10(x) * OSIM_SERIES_USERS_PER_DECADE);
    return b > OSIM_SERIES_USER_BINS ? OSIM_SERIES_USER_BINS : (size_t)b;
}

/* The systems bin of share x in [0, 1]: floor(100 x), all back alone in the last. */
static size_t systems_bin(double x)
{
    double b = floor(x * OSIM_SERIES_SYSTEM_BINS);

    if (!(b > 0.0))
        return 0;
    if (x >= 1.0)
        return OSIM_SERIES_SYSTEM_BINS;
    return b >= OSIM_SERIES_SYSTEM_BINS ? OSIM_SERIES_SYSTEM_BINS - 1 : (size_t)b;
}

/* ------------------------------------------------------------ lifecycle */

void osim_series_free(osim_series *s)
{
    if (s == NULL)
        return;
    free(s->version);
    free(s->scenario_name);
    free(s->timezone);
    osim__strv_free(s->topologies, s->topologies_count);
    osim__strv_free(s->services, s->services_count);
    osim_rows_free(s->blk);
    if (s->b != NULL) {
        free(s->b->topo);
        free(s->b->served);
        free(s->b->rev_cdf);
        free(s->b->rev_cdf0);
        free(s->b->rev_lo_x);
        free(s->b->rev_hi_x);
        free(s->b->cur);
        free(s->b->nxt);
        free(s->b->bucket);
        free(s->b->uq);
        free(s->b->fac);
        free(s->b->act);
        free(s->b->zero);
        osim__populations_free(s->b->pops);
        free(s->b);
    }
    free(s);
}

/* text += piece; *rc records running out of memory. */
static void cat(char **text, const char *piece, int *rc)
{
    size_t n = *text != NULL ? strlen(*text) : 0, k = strlen(piece);
    char *t;

    if (*rc != 0)
        return;
    if ((t = realloc(*text, n + k + 1)) == NULL) {
        *rc = OSIM_ENOMEM;
        return;
    }
    memcpy(t + n, piece, k + 1);
    *text = t;
}

/*
 * The notes of s's block: what else, beyond identity and topologies, two
 * series must share to add up (doubles in %a, to the bit).
 */
static int shape_notes(const osim_series *s, osim_rows_note *notes)
{
    char buf[256];
    size_t i;
    int rc = 0;

    notes[0].what = "with different time grids";
    notes[1].what = "with different services";
    notes[2].what = "with different loss brackets";
    snprintf(buf, sizeof(buf), "%lld %a %a %a %zu ", (long long)s->start_epoch_s, s->utc_offset_h,
             s->horizon_h, s->step_h, s->steps);
    cat(&notes[0].text, buf, &rc);
    cat(&notes[0].text, s->timezone != NULL ? s->timezone : "", &rc);
    cat(&notes[1].text, "", &rc);
    for (i = 0; i < s->services_count; i++) {
        cat(&notes[1].text, s->services[i], &rc);
        cat(&notes[1].text, "\037", &rc);
    }
    cat(&notes[2].text, "", &rc);
    for (i = 0; i < s->marks_count; i++) {
        snprintf(buf, sizeof(buf), "%a ", s->marks_krw[i]);
        cat(&notes[2].text, buf, &rc);
    }
    return rc;
}

/*
 * Make the counters (zeroed) for the shape already set in s: one COUNTS
 * block of s's identity, topologies and notes, range unknown (an
 * accumulator) until osim_series_set_range or a read sets it.
 */
static int alloc_counts(osim_series *s)
{
    size_t T = s->topologies_count, K = s->steps, S = s->services_count;
    size_t n = T * K * (S ? S : 1);
    osim_rows_note notes[3] = {{NULL, NULL}, {NULL, NULL}, {NULL, NULL}};
    osim_rows_shape shape;
    uint64_t *c;
    size_t i;
    int rc;

    if (T == 0 || K == 0 || K > OSIM_SERIES_MAX_STEPS)
        return OSIM_EINVAL;
    memset(&shape, 0, sizeof(shape));
    shape.kind = OSIM_ROWS_COUNTS;
    shape.version = s->version;
    shape.scenario_name = s->scenario_name;
    memcpy(shape.sha256, s->sha256, sizeof(shape.sha256));
    shape.seed = s->seed;
    shape.topologies = s->topologies;
    shape.topologies_count = T;
    shape.notes = notes;
    shape.notes_count = 3;
    shape.counts_len = T + 3 * n + T * K * OSIM__UB + T * OSIM__LB + T * OSIM_SERIES_MAX_MARKS +
                       T * K + T * K * OSIM__SB;
    if ((rc = shape_notes(s, notes)) == 0)
        rc = osim_rows_new(&shape, 0, 0, &s->blk);
    for (i = 0; i < 3; i++)
        free(notes[i].text);
    if (rc != 0)
        return rc;
    osim_rows_clear_range(s->blk);
    c = s->blk->counts;
    s->reps = c;
    s->down = c += T;
    s->out = c += n;
    s->unavail = c += n;
    s->users = c += n;
    s->loss = c += T * K * OSIM__UB;
    s->below = c += T * OSIM__LB;
    s->sys_back = c += T * OSIM_SERIES_MAX_MARKS;
    s->sys_hist = c += T * K;
    return 0;
}

/*
 * Work arrays and the scenario link, for a series that will be added to.
 * For the loss bins, each segment's revenue CDF F_R is tabulated once at
 * OSIM__RT_PER_DECADE points per decade over 10^OSIM__RT_LO .. 10^OSIM__RT_HI
 * won per hour; a band's bins read it at edge / lost_h (revenue_cdf: a
 * shift of at most a hundredth of a decade, a tenth of a bin). The
 * bracket marks are computed exactly instead.
 */
static int attach(osim_series *s, const osim_scenario *sc, const size_t *topo)
{
    size_t K = s->steps, G = sc->segments_count, S = s->services_count, g, i;

    if ((s->b = calloc(1, sizeof(*s->b))) == NULL)
        return OSIM_ENOMEM;
    s->b->sc = sc;
    s->b->topo = malloc(s->topologies_count * sizeof(*s->b->topo));
    s->b->served = calloc(K, sizeof(*s->b->served));
    s->b->rev_cdf = calloc((G ? G : 1) * OSIM__RT, sizeof(*s->b->rev_cdf));
    s->b->rev_cdf0 = calloc(G ? G : 1, sizeof(*s->b->rev_cdf0));
    s->b->rev_lo_x = calloc(G ? G : 1, sizeof(*s->b->rev_lo_x));
    s->b->rev_hi_x = calloc(G ? G : 1, sizeof(*s->b->rev_hi_x));
    s->b->cur = calloc(S ? S : 1, sizeof(*s->b->cur));
    s->b->nxt = calloc(S ? S : 1, sizeof(*s->b->nxt));
    s->b->bucket = calloc(K, sizeof(*s->b->bucket));
    s->b->uq = calloc(S ? S : 1, sizeof(*s->b->uq));
    s->b->fac = calloc(S ? S : 1, sizeof(*s->b->fac));
    s->b->act = calloc((S + 63) / 64 + 1, sizeof(*s->b->act));
    s->b->zero = calloc((S + 63) / 64 + 1, sizeof(*s->b->zero));
    if (s->b->topo == NULL || s->b->served == NULL || s->b->rev_cdf == NULL ||
        s->b->rev_cdf0 == NULL || s->b->rev_lo_x == NULL || s->b->rev_hi_x == NULL ||
        s->b->cur == NULL || s->b->nxt == NULL || s->b->bucket == NULL || s->b->uq == NULL ||
        s->b->fac == NULL || s->b->act == NULL || s->b->zero == NULL)
        return OSIM_ENOMEM;
    memcpy(s->b->topo, topo, s->topologies_count * sizeof(*s->b->topo));
    if (S != sc->services_count)
        return OSIM_EINVAL;
    i = (size_t)osim__populations_new(sc, &s->b->pops);
    if (i != 0)
        return (int)i;
    for (g = 0; g < G; g++) {
        const osim_dist *R = &sc->segments[g].hourly_revenue_krw;
        double *T = s->b->rev_cdf + g * OSIM__RT;
        size_t first = OSIM__RT, last = OSIM__RT - 1;
        s->b->rev_cdf0[g] = osim__dist_drawn_cdf(R, 0.0);
        for (i = 0; i < OSIM__RT; i++)
            T[i] =
                osim__dist_drawn_cdf(R, pow(10.0, OSIM__RT_LO + (double)i / OSIM__RT_PER_DECADE));
        /* Where the table moves: after its last entry equal to the first,
         * up to its first entry at 1. */
        for (i = 1; i < OSIM__RT && first == OSIM__RT; i++)
            if (T[i] > T[0])
                first = i - 1;
        for (i = 0; i < OSIM__RT; i++)
            if (T[i] >= 1.0) {
                last = i;
                break;
            }
        if (first == OSIM__RT)
            first = 0;
        s->b->rev_lo_x[g] = OSIM__RT_LO + (double)first / OSIM__RT_PER_DECADE;
        s->b->rev_hi_x[g] = OSIM__RT_LO + (double)last / OSIM__RT_PER_DECADE;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/*
 * The plot marks every policy declares (osim_comp_declare: the upper edges
 * of loss brackets), sorted, unique; the first OSIM_SERIES_MAX_MARKS * 4
 * in policy order are looked at, the lowest OSIM_SERIES_MAX_MARKS kept.
 * Returns 0 or the code of a declaration that failed.
 */
static int collect_marks(const osim_scenario *sc, osim_series *s)
{
    osim_comp_shape shape;
    size_t p, k, n = 0, i;
    double v[OSIM_SERIES_MAX_MARKS * 4];
    int rc;

    for (p = 0; p < sc->policies_count; p++) {
        if ((rc = osim_comp_declare(&sc->policies[p], sc, &shape)) != 0)
            return rc;
        for (k = 0; k < shape.marks_count && n < sizeof(v) / sizeof(v[0]); k++)
            v[n++] = (double)shape.marks_krw[k];
    }
    qsort(v, n, sizeof(v[0]), cmp_double);
    s->marks_count = 0;
    for (i = 0; i < n && s->marks_count < OSIM_SERIES_MAX_MARKS; i++)
        if (s->marks_count == 0 || v[i] != s->marks_krw[s->marks_count - 1])
            s->marks_krw[s->marks_count++] = v[i];
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return (x > y) - (x < y);
}

int osim_series_new(const osim_scenario *sc, uint64_t seed, const size_t *topologies,
                    size_t topologies_count, osim_series **out)
{
    osim_series *s = NULL;
    size_t *topo = NULL;
    size_t t, i;
    int rc = OSIM_ENOMEM;

    if (sc == NULL || out == NULL || !(sc->horizon_h > 0.0) || !isfinite(sc->horizon_h))
        return OSIM_EINVAL;
    if (topologies == NULL)
        topologies_count = sc->topologies_count;
    if (topologies_count == 0)
        return OSIM_EINVAL;
    topo = malloc(topologies_count * sizeof(*topo));
    s = calloc(1, sizeof(*s));
    if (topo == NULL || s == NULL)
        goto fail;
    for (t = 0; t < topologies_count; t++) {
        topo[t] = topologies != NULL ? topologies[t] : t;
        if (topo[t] >= sc->topologies_count) {
            rc = OSIM_EINVAL;
            goto fail;
        }
    }
    /* Ascending, each once: the order a Monte Carlo run uses (mc.h). */
    qsort(topo, topologies_count, sizeof(*topo), cmp_size);
    for (t = i = 0; t < topologies_count; t++)
        if (i == 0 || topo[i - 1] != topo[t])
            topo[i++] = topo[t];
    topologies_count = i;
    s->version = osim__strdup(OSIM_VERSION);
    s->scenario_name = osim__strdup(sc->name != NULL ? sc->name : "");
    s->timezone = osim__strdup(sc->timezone != NULL ? sc->timezone : "UTC");
    memcpy(s->sha256, sc->sha256, sizeof(s->sha256));
    s->sha256[64] = '\0';
    s->seed = seed;
    snprintf(s->currency, sizeof(s->currency), "%.3s",
             osim_currency_find(sc->currency) != NULL ? sc->currency
                                                      : osim_currency_default()->code);
    s->start_epoch_s = sc->start_epoch_s;
    s->utc_offset_h = sc->utc_offset_h;
    s->horizon_h = sc->horizon_h;
    s->step_h = OSIM_SERIES_STEP_H;
    if (sc->horizon_h / s->step_h > OSIM_SERIES_MAX_STEPS)
        s->step_h = sc->horizon_h / OSIM_SERIES_MAX_STEPS;
    s->steps = (size_t)floor(sc->horizon_h / s->step_h + 1e-9);
    if (s->steps == 0) {
        s->steps = 1;
        s->step_h = sc->horizon_h;
    }
    if (s->steps > OSIM_SERIES_MAX_STEPS)
        s->steps = OSIM_SERIES_MAX_STEPS;
    s->topologies_count = topologies_count;
    s->services_count = sc->services_count;
    s->topologies = calloc(topologies_count, sizeof(*s->topologies));
    s->services = calloc(sc->services_count ? sc->services_count : 1, sizeof(*s->services));
    if (s->version == NULL || s->scenario_name == NULL || s->timezone == NULL ||
        s->topologies == NULL || s->services == NULL)
        goto fail;
    for (t = 0; t < topologies_count; t++)
        if ((s->topologies[t] = osim__strdup(sc->topologies[topo[t]].name)) == NULL)
            goto fail;
    for (i = 0; i < sc->services_count; i++)
        if ((s->services[i] = osim__strdup(sc->services[i].name)) == NULL)
            goto fail;
    if ((rc = collect_marks(sc, s)) != 0 || (rc = alloc_counts(s)) != 0 ||
        (rc = attach(s, sc, topo)) != 0)
        goto fail;
    free(topo);
    *out = s;
    return 0;
fail:
    free(topo);
    osim_series_free(s);
    return rc;
}

int osim_series_compatible(const osim_series *s, const osim_scenario *sc, uint64_t seed,
                           const size_t *topo, size_t n)
{
    size_t t;

    if (s == NULL || sc == NULL || s->b == NULL || s->b->sc != sc || s->seed != seed ||
        s->topologies_count != n)
        return OSIM_EINVAL;
    for (t = 0; t < n; t++)
        if (topo == NULL || s->b->topo[t] != topo[t])
            return OSIM_EINVAL;
    return 0;
}

/* A copy of src's identity and shape (not its counts, not its scenario link). */
static int clone_shape(const osim_series *src, osim_series **out)
{
    osim_series *s = calloc(1, sizeof(*s));
    size_t i;
    int rc = OSIM_ENOMEM;

    if (s == NULL)
        return OSIM_ENOMEM;
    s->version = osim__strdup(src->version != NULL ? src->version : "");
    s->scenario_name = osim__strdup(src->scenario_name != NULL ? src->scenario_name : "");
    s->timezone = osim__strdup(src->timezone != NULL ? src->timezone : "");
    memcpy(s->sha256, src->sha256, sizeof(s->sha256));
    s->seed = src->seed;
    memcpy(s->currency, src->currency, sizeof(s->currency));
    s->start_epoch_s = src->start_epoch_s;
    s->utc_offset_h = src->utc_offset_h;
    s->horizon_h = src->horizon_h;
    s->step_h = src->step_h;
    s->steps = src->steps;
    s->topologies_count = src->topologies_count;
    s->services_count = src->services_count;
    memcpy(s->marks_krw, src->marks_krw, sizeof(s->marks_krw));
    s->marks_count = src->marks_count;
    s->topologies = calloc(s->topologies_count ? s->topologies_count : 1, sizeof(char *));
    s->services = calloc(s->services_count ? s->services_count : 1, sizeof(char *));
    if (s->version == NULL || s->scenario_name == NULL || s->timezone == NULL ||
        s->topologies == NULL || s->services == NULL)
        goto fail;
    for (i = 0; i < s->topologies_count; i++)
        if ((s->topologies[i] = osim__strdup(src->topologies[i])) == NULL)
            goto fail;
    for (i = 0; i < s->services_count; i++)
        if ((s->services[i] = osim__strdup(src->services[i])) == NULL)
            goto fail;
    if ((rc = alloc_counts(s)) != 0)
        goto fail;
    *out = s;
    return 0;
fail:
    osim_series_free(s);
    return rc;
}

int osim_series_new_like(const osim_series *proto, osim_series **out)
{
    osim_series *s = NULL;
    int rc;

    if (proto == NULL || out == NULL)
        return OSIM_EINVAL;
    if ((rc = clone_shape(proto, &s)) != 0)
        return rc;
    if (proto->b != NULL && (rc = attach(s, proto->b->sc, proto->b->topo)) != 0) {
        osim_series_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* ------------------------------------------------------------ one replication */

/*
 * Counters are unsigned and wrap modulo 2^64, so adds, subs and merges
 * form a group: whatever their order -- a sub may reach a worker's series
 * before the add it undoes has been merged in from another -- the totals
 * come out exact. A true total cannot wrap: a replication adds at most 1
 * to a count, at most 2^20 to an unavailability, and (for any segment of
 * fewer than 10^9 businesses) less than 2^40 to a loss weight.
 */
static void bump(uint64_t *c, uint64_t inc, int sign)
{
    *c = sign > 0 ? *c + inc : *c - inc;
}

/* What bump adds: inc, or its negation modulo 2^64. */
static uint64_t signed_inc(uint64_t inc, int sign)
{
    return sign > 0 ? inc : (uint64_t)0 - inc;
}

/* The first grid step whose point is at or after t_h (steps if none). */
static size_t step_at_or_after(const osim_series *s, double t_h)
{
    double k = ceil(t_h / s->step_h - 0.5);

    if (!(k > 0.0))
        return 0;
    if (k >= (double)s->steps)
        return s->steps;
    /* Guard the rounding of the division: the point of step k is (k + 1/2) step_h. */
    while (k > 0.0 && ((k - 1.0) + 0.5) * s->step_h >= t_h)
        k -= 1.0;
    while (k < (double)s->steps && (k + 0.5) * s->step_h < t_h)
        k += 1.0;
    return (size_t)k;
}

/*
 * Availability at the grid points, per service: within a timeline segment
 * every grid point gets the same increments. served[k] (k < the returned
 * kmax) collects prod_s (1 - share_s (1 - a_s)) in service order, for the
 * distinct users; after the last change of any timeline every service is
 * up, so nothing is counted there but "no user affected". Two ways, the
 * same counts and the same products: service after service, one segment
 * at a time (few services), or grid step after grid step (many: see
 * counts_by_step).
 */
static size_t counts_by_service(osim_series *s, size_t slot, const osim_replay_result *rr, int sign)
{
    const osim_scenario *sc = s->b->sc;
    size_t K = s->steps, S = s->services_count, i, k, kmax = 0;
    uint64_t *down = s->down + slot * K * S, *outc = s->out + slot * K * S;
    uint64_t *unav = s->unavail + slot * K * S;
    /* bump(c, inc, sign) is c + inc or c - inc modulo 2^64, which is
     * c + signed_inc(inc, sign): the same counts with one addition. */
    uint64_t one = signed_inc(1, sign);

    for (i = 0; i < S; i++) {
        const osim_timeline *tl = &rr->services[i].tl;
        double share = sc->services[i].user_share;
        size_t c, k1 = tl->count > 0 ? step_at_or_after(s, tl->t_h[0]) : 0;
        for (c = 0; c < tl->count; c++) {
            double a = tl->avail[c], u = 1.0 - a;
            /* A segment starts at the step where the previous one ended. */
            size_t k0 = k1;
            uint64_t uq;
            k1 = c + 1 < tl->count ? step_at_or_after(s, tl->t_h[c + 1]) : K;
            if (!(a < 1.0) || k0 >= k1)
                continue;
            u = u > 1.0 ? 1.0 : u;
            uq = signed_inc((uint64_t)llround(u * OSIM_SERIES_UNAVAIL_UNIT), sign);
            for (k = k0; k < k1; k++) {
                size_t x = k * S + i;
                down[x] += one;
                unav[x] += uq;
            }
            if (a <= 0.0) /* out: elsewhere the increment is 0 */
                for (k = k0; k < k1; k++)
                    outc[k * S + i] += one;
            if (k1 > kmax) {
                for (k = kmax; k < k1; k++)
                    s->b->served[k] = 1.0;
                kmax = k1;
            }
            for (k = k0; k < k1; k++)
                s->b->served[k] *= 1.0 - share * u;
        }
    }
    return kmax;
}

/* Index of the lowest set bit of b != 0 (de Bruijn: portable C, no builtin). */
static unsigned lowest_bit(uint64_t b)
{
    static const unsigned char pos[64] = {
        0,  1,  48, 2,  57, 49, 28, 3,  61, 58, 50, 42, 38, 29, 17, 4,  62, 55, 59, 36, 53, 51,
        43, 22, 45, 39, 33, 30, 24, 18, 12, 5,  63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21,
        44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,  13, 8,  7,  6};

    return pos[((b & (~b + 1)) * UINT64_C(0x03f79d71b4cb0a89)) >> 58];
}

/* Grid step where segment c of tl ends (K after the last). */
static size_t segment_end(const osim_series *s, const osim_timeline *tl, size_t c)
{
    return c + 1 < tl->count ? step_at_or_after(s, tl->t_h[c + 1]) : s->steps;
}

/*
 * Service i reached grid step k, where the timeline step in force changes:
 * move to it, note what it adds at every grid step until it changes again,
 * and wait in the bucket of that grid step.
 */
static void service_settle(osim_series *s, const osim_replay_result *rr, size_t i, size_t k,
                           int sign)
{
    struct osim__series_build *b = s->b;
    const osim_timeline *tl = &rr->services[i].tl;
    size_t c = b->cur[i] == SIZE_MAX ? 0 : b->cur[i], e = segment_end(s, tl, c);
    uint64_t bit = (uint64_t)1 << (i % 64);
    double a;

    /* Segment c covers grid steps [end of c - 1, end of c): the first that ends after k. */
    while (e <= k)
        e = segment_end(s, tl, ++c);
    b->cur[i] = c;
    a = tl->avail[c];
    b->act[i / 64] &= ~bit;
    b->zero[i / 64] &= ~bit;
    if (a < 1.0) {
        double u = 1.0 - a;
        u = u > 1.0 ? 1.0 : u;
        b->uq[i] = signed_inc((uint64_t)llround(u * OSIM_SERIES_UNAVAIL_UNIT), sign);
        b->fac[i] = 1.0 - s->b->sc->services[i].user_share * u;
        b->act[i / 64] |= bit;
        if (a <= 0.0) /* out: elsewhere the increment is 0 */
            b->zero[i / 64] |= bit;
    }
    if (e < s->steps) {
        b->nxt[i] = b->bucket[e];
        b->bucket[e] = i;
    }
}

/*
 * Every service into the bucket of the grid step at or after its
 * timeline's first point (a timeline counts from there), with no step in
 * force yet: the start of the sweeps of counts_by_step and
 * served_by_populations.
 */
static void bucket_timelines(osim_series *s, const osim_replay_result *rr)
{
    struct osim__series_build *b = s->b;
    size_t K = s->steps, S = s->services_count, i, k;

    for (k = 0; k < K; k++)
        b->bucket[k] = SIZE_MAX;
    for (i = 0; i < S; i++) {
        const osim_timeline *tl = &rr->services[i].tl;
        b->cur[i] = SIZE_MAX;
        if (tl->count > 0 && (k = step_at_or_after(s, tl->t_h[0])) < K) {
            b->nxt[i] = b->bucket[k];
            b->bucket[k] = i;
        }
    }
}

/*
 * counts_by_service with many services: the counters of one grid step lie
 * next to each other in memory, S words from the next step's, so walking
 * each service through every grid step touches a new cache line at every
 * count. Here the grid is swept step by step, and at each step the
 * services below 1 there are taken in service order (served[] multiplies
 * in the same order). Each service waits in the bucket of the grid step
 * where its timeline step in force next changes (bucket, nxt), so a step
 * costs the services it counts plus a scan of the bit words. Returns K:
 * served[] is set at every step (1 where every service is up).
 */
static size_t counts_by_step(osim_series *s, size_t slot, const osim_replay_result *rr, int sign)
{
    struct osim__series_build *b = s->b;
    size_t K = s->steps, S = s->services_count, nw = (S + 63) / 64, i, k, w;
    uint64_t *down = s->down + slot * K * S, *outc = s->out + slot * K * S;
    uint64_t *unav = s->unavail + slot * K * S;
    uint64_t one = signed_inc(1, sign);

    memset(b->act, 0, nw * sizeof(*b->act));
    memset(b->zero, 0, nw * sizeof(*b->zero));
    bucket_timelines(s, rr);
    for (k = 0; k < K; k++) {
        double served = 1.0;
        size_t x0 = k * S;
        for (i = b->bucket[k]; i != SIZE_MAX;) {
            size_t next = b->nxt[i]; /* settling moves i to a later bucket */
            service_settle(s, rr, i, k, sign);
            i = next;
        }
        for (w = 0; w < nw; w++) {
            uint64_t bits = b->act[w];
            while (bits != 0) {
                i = w * 64 + lowest_bit(bits);
                bits &= bits - 1;
                down[x0 + i] += one;
                unav[x0 + i] += b->uq[i];
                if ((b->zero[w] >> (i % 64)) & 1)
                    outc[x0 + i] += one;
                served *= b->fac[i];
            }
        }
        b->served[k] = served;
    }
    return K;
}

/*
 * served[] under `populations:` (populations.h), at every grid step: the
 * same sweep as counts_by_step, each service waiting in the bucket of the
 * grid step where its timeline step in force next changes, and moving its
 * leaf of the fold there. A grid step costs O(log services) per service
 * that changes at it. Returns K.
 */
static size_t served_by_populations(osim_series *s, const osim_replay_result *rr)
{
    struct osim__series_build *b = s->b;
    size_t K = s->steps, S = s->services_count, i, k;

    for (i = 0; i < S; i++)
        b->fac[i] = 1.0; /* every service up: a timeline counts from its first point */
    osim__populations_load(b->pops, b->fac);
    bucket_timelines(s, rr);
    for (k = 0; k < K; k++) {
        for (i = b->bucket[k]; i != SIZE_MAX;) {
            const osim_timeline *tl = &rr->services[i].tl;
            size_t next = b->nxt[i], c = b->cur[i] == SIZE_MAX ? 0 : b->cur[i];
            size_t e = segment_end(s, tl, c);
            while (e <= k)
                e = segment_end(s, tl, ++c);
            b->cur[i] = c;
            osim__populations_set(b->pops, i, tl->avail[c]);
            if (e < K) {
                b->nxt[i] = b->bucket[e];
                b->bucket[e] = i;
            }
            i = next;
        }
        b->served[k] = 1.0 - osim__populations_out(b->pops);
    }
    return K;
}

static void timeline_apply(osim_series *s, size_t slot, const osim_replay_result *rr, int sign)
{
    const osim_scenario *sc = s->b->sc;
    size_t K = s->steps, k, kmax;
    uint64_t *users = s->users + slot * K * OSIM__UB;
    uint64_t one = signed_inc(1, sign);

    kmax = s->services_count >= SWEEP_MIN_SERVICES ? counts_by_step(s, slot, rr, sign)
                                                   : counts_by_service(s, slot, rr, sign);
    if (s->b->pops != NULL)
        kmax = served_by_populations(s, rr);
    /* The distinct-users formula of impact.c (distinct_compute) at t_k.
     * Active users change at local hour boundaries and served[] at
     * breakpoints only: a bin is computed again only when either changed. */
    {
        double last_served = -1.0, active = 0.0;
        long last_hour = LONG_MIN;
        size_t b = 0;
        for (k = 0; k < K; k++) {
            if (k < kmax && s->b->served[k] < 1.0) {
                double t = ((double)k + 0.5) * s->step_h;
                long hour = (long)floor(sc->start_hour + t);
                if (hour != last_hour) {
                    active = osim_active_users(sc, t);
                    last_hour = hour;
                    last_served = -1.0;
                }
                if (s->b->served[k] != last_served) {
                    b = user_bin(active * (1.0 - s->b->served[k]));
                    last_served = s->b->served[k];
                }
                users[k * OSIM__UB + b] += one;
            } else {
                users[k * OSIM__UB] += one;
            }
        }
    }
}

/*
 * The share of systems back at the grid points: every step of the grid
 * counts the replication once in the histogram (the timeline starts at 0
 * and its last step holds to the horizon), and adds its share in units of
 * 2^-20 to the sum the mean is read from.
 */
static void systems_apply(osim_series *s, size_t slot, const osim_replay_result *rr, int sign)
{
    const osim_timeline *tl = &rr->systems;
    size_t K = s->steps, c, k, k1 = 0;
    uint64_t *back = s->sys_back + slot * K, *hist = s->sys_hist + slot * K * OSIM__SB;
    uint64_t one = signed_inc(1, sign);

    if (tl->count == 0) { /* no record: every system stayed back */
        for (k = 0; k < K; k++) {
            back[k] += signed_inc((uint64_t)OSIM_SERIES_UNAVAIL_UNIT, sign);
            hist[k * OSIM__SB + OSIM_SERIES_SYSTEM_BINS] += one;
        }
        return;
    }
    for (c = 0; c < tl->count; c++) {
        double x = tl->avail[c];
        size_t k0 = k1, b;
        uint64_t q;
        k1 = c + 1 < tl->count ? step_at_or_after(s, tl->t_h[c + 1]) : K;
        if (k0 >= k1)
            continue;
        x = x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
        q = signed_inc((uint64_t)llround(x * OSIM_SERIES_UNAVAIL_UNIT), sign);
        b = systems_bin(x);
        for (k = k0; k < k1; k++) {
            back[k] += q;
            hist[k * OSIM__SB + b] += one;
        }
    }
}

/*
 * F_R(x) for segment g from its table (see attach), at the table point at
 * or below log10(x): never above the true value, by less than the mass R
 * has within a hundredth of a decade; an atom of R (a fixed revenue, a
 * clamp) at a table point is kept as a step where it is. (The 1e-9 keeps
 * log10 of a table point from rounding below it.)
 */
static double revenue_cdf(const osim_series *s, size_t g, double log10_x)
{
    const double *G = s->b->rev_cdf + g * OSIM__RT;
    double pos = (log10_x - OSIM__RT_LO) * OSIM__RT_PER_DECADE + 1e-9;

    if (!(pos > 0.0))
        return G[0];
    if (pos >= (double)(OSIM__RT - 1))
        return G[OSIM__RT - 1];
    return G[(size_t)pos];
}

/* Add the loss distribution of one segment's affected businesses to w_loss. */
static void segment_loss_pass(osim_series *s, size_t g, const osim_segment_impact *si)
{
    const osim_dist *R = &si->seg->hourly_revenue_krw;
    double f0 = s->b->rev_cdf0[g];
    size_t b, m, j;

    for (b = 0; b < si->bands_count; b++) {
        const osim_band *bd = &si->bands[b];
        double w = si->affected * bd->share, prev, shift, lo, hi;
        size_t j0, j1;

        if (!(w > 0.0))
            continue;
        if (!(bd->lost_h > 0.0)) {
            s->b->w_loss[0] += w; /* lost exactly nothing */
            for (m = 0; m < s->marks_count; m++)
                s->b->w_marks[m] += w;
            continue;
        }
        /* The marks exactly: P(R lost_h <= mark). */
        for (m = 0; m < s->marks_count; m++)
            s->b->w_marks[m] += w * osim__dist_drawn_cdf(R, s->marks_krw[m] / bd->lost_h);
        /* The bins: F_R at edge_j / lost_h, from the table; what R puts at
         * or below 0 loses nothing. Only the edges where the table moves
         * are read (below: its first value, above: 1). The weights of a
         * band add up to w. */
        s->b->w_loss[0] += w * f0;
        prev = f0;
        shift = log10(bd->lost_h);
        lo = floor((s->b->rev_lo_x[g] + shift) * OSIM_SERIES_LOSS_PER_DECADE);
        hi = ceil((s->b->rev_hi_x[g] + shift) * OSIM_SERIES_LOSS_PER_DECADE);
        j0 = lo < 1.0 ? 1 : (lo > OSIM_SERIES_LOSS_BINS ? OSIM_SERIES_LOSS_BINS : (size_t)lo);
        j1 = hi < 1.0 ? 1 : (hi > OSIM_SERIES_LOSS_BINS ? OSIM_SERIES_LOSS_BINS : (size_t)hi);
        /* Bins j0 .. j1 - 1 read the table; the first bin from j1 on (or the
         * last bin) takes the rest, F = 1. The reading stops at F = 1. */
        for (j = j0; j < j1; j++) {
            double f = revenue_cdf(s, g, (double)j / OSIM_SERIES_LOSS_PER_DECADE - shift);
            if (f < prev)
                f = prev;
            if (f > 1.0)
                f = 1.0;
            s->b->w_loss[j] += w * (f - prev);
            prev = f;
            if (f >= 1.0)
                break;
        }
        if (j >= j1) {
            double f = 1.0 < prev ? prev : 1.0;
            if (f > 1.0)
                f = 1.0;
            s->b->w_loss[j] += w * (f - prev);
        }
    }
}

static void loss_pass(osim_series *s, const osim_impact *im)
{
    const osim_scenario *sc = s->b->sc;
    size_t g, j, m;

    for (j = 0; j < OSIM__LB; j++)
        s->b->w_loss[j] = 0.0;
    for (m = 0; m < s->marks_count; m++)
        s->b->w_marks[m] = 0.0;
    for (g = 0; g < sc->segments_count; g++) {
        const osim_segment_impact *si = &im->segments[g];
        if (si->seg == NULL || !(si->affected > 0.0) || si->bands_count == 0)
            continue;
        segment_loss_pass(s, g, si);
    }
    for (j = 0; j < OSIM__LB; j++)
        s->b->w_lossq[j] = (uint64_t)llround(s->b->w_loss[j] * OSIM_SERIES_LOSS_UNIT);
    for (m = 0; m < s->marks_count; m++)
        s->b->w_marksq[m] = (uint64_t)llround(s->b->w_marks[m] * OSIM_SERIES_LOSS_UNIT);
}

/* The timelines hold what impact.c also requires (it has checked them
 * when im was computed from rr; a caller may still pass another replay). */
static bool replay_ok(const osim_replay_result *rr)
{
    size_t i, c;

    for (i = 0; i < rr->services_count; i++) {
        const osim_timeline *tl = &rr->services[i].tl;
        if (tl->count > 0 && (tl->t_h == NULL || tl->avail == NULL))
            return false;
        for (c = 0; c < tl->count; c++)
            if (isnan(tl->avail[c]) || isnan(tl->t_h[c]))
                return false;
    }
    return true;
}

static int accumulate(osim_series *s, size_t slot, const osim_replay_result *rr,
                      const osim_impact *im, int sign)
{
    uint64_t *loss, *below;
    size_t j, m;

    if (s == NULL || rr == NULL || im == NULL)
        return OSIM_EINVAL;
    if (s->b == NULL || slot >= s->topologies_count || rr->services_count != s->services_count ||
        (rr->services_count > 0 && rr->services == NULL) ||
        (s->b->sc->segments_count > 0 && im->segments == NULL))
        return OSIM_EINVAL;
    if (!replay_ok(rr))
        return OSIM_EINVAL;
    loss_pass(s, im);
    timeline_apply(s, slot, rr, sign);
    systems_apply(s, slot, rr, sign);
    loss = s->loss + slot * OSIM__LB;
    below = s->below + slot * OSIM_SERIES_MAX_MARKS;
    for (j = 0; j < OSIM__LB; j++)
        bump(&loss[j], s->b->w_lossq[j], sign);
    for (m = 0; m < s->marks_count; m++)
        bump(&below[m], s->b->w_marksq[m], sign);
    bump(&s->reps[slot], 1, sign);
    return 0;
}

int osim_series_add(osim_series *s, size_t slot, const osim_replay_result *rr,
                    const osim_impact *im)
{
    return accumulate(s, slot, rr, im, +1);
}

int osim_series_sub(osim_series *s, size_t slot, const osim_replay_result *rr,
                    const osim_impact *im)
{
    return accumulate(s, slot, rr, im, -1);
}

uint64_t osim_series_replications(const osim_series *s)
{
    return s != NULL && s->topologies_count > 0 ? s->reps[0] : 0;
}

void osim_series_set_range(osim_series *s, uint64_t from, uint64_t to)
{
    if (s == NULL)
        return;
    if (to >= from)
        osim_rows_set_range(s->blk, from, to, false);
    else
        osim_rows_clear_range(s->blk);
}

int osim_series_range(const osim_series *s, uint64_t *from, uint64_t *to)
{
    if (s == NULL || !s->blk->has_range)
        return 0;
    *from = s->blk->from;
    *to = s->blk->to;
    return 1;
}

/* ------------------------------------------------------------ merge */

/* The rule of every merge (rows.h): the same shape, ranges that tile. */
void osim_series_identity(const osim_series *s, const char **version, const char **sha256,
                          uint64_t *seed)
{
    *version = s->version;
    *sha256 = s->sha256;
    *seed = s->seed;
}

int osim_series_merge(osim_series *dst, const osim_series *src, osim_diag *diag)
{
    if (dst == NULL || src == NULL)
        return OSIM_EINVAL;
    return osim_rows_add(dst->blk, src->blk, diag);
}

int osim_series_pack(const osim_series *s, void **buf, size_t *len)
{
    return osim_rows_pack(s->blk, buf, len);
}

int osim_series_add_packed(osim_series *dst, const void *buf, size_t len, osim_diag *diag)
{
    osim_rows *src = NULL;
    size_t used;
    int rc;

    if ((rc = osim_rows_unpack(buf, len, &used, &src, diag)) != 0)
        return rc;
    rc = used == len ? osim_rows_add(dst->blk, src, diag)
                     : osim_diag_set(diag, OSIM_EINVAL, NULL, 0, 0, "series: trailing bytes");
    osim_rows_free(src);
    return rc;
}

/* ------------------------------------------------------------ quantiles */

double osim_series_users_quantile(const osim_series *s, size_t slot, size_t step, double q)
{
    const uint64_t *h;
    double n = 0.0, rank, c = 0.0;
    size_t b;

    if (s == NULL || slot >= s->topologies_count || step >= s->steps || isnan(q))
        return NAN;
    if (q < 0.0)
        q = 0.0;
    if (q > 1.0)
        q = 1.0;
    h = s->users + (slot * s->steps + step) * OSIM__UB;
    for (b = 0; b < OSIM__UB; b++)
        n += (double)h[b];
    if (n == 0.0)
        return 0.0;
    rank = q * n;
    for (b = 0; b < OSIM__UB; b++) {
        double f, lo, hi;
        if (h[b] == 0)
            continue;
        if (rank > c + (double)h[b] && b + 1 < OSIM__UB) {
            c += (double)h[b];
            continue;
        }
        if (b == 0)
            return 0.0;
        f = (rank - c) / (double)h[b];
        f = f < 0.0 ? 0.0 : (f > 1.0 ? 1.0 : f);
        lo = osim__series_user_lo(b);
        hi = osim__series_user_hi(b);
        return lo * pow(hi / lo, f);
    }
    return 0.0; /* not reached: the last non-empty bin holds rank n */
}

double osim_series_systems_mean(const osim_series *s, size_t slot, size_t step)
{
    if (s == NULL || slot >= s->topologies_count || step >= s->steps || s->reps[slot] == 0)
        return NAN;
    return (double)s->sys_back[slot * s->steps + step] / OSIM_SERIES_UNAVAIL_UNIT /
           (double)s->reps[slot];
}

double osim_series_systems_quantile(const osim_series *s, size_t slot, size_t step, double q)
{
    const uint64_t *h;
    double n = 0.0, rank, c = 0.0;
    size_t b;

    if (s == NULL || slot >= s->topologies_count || step >= s->steps || isnan(q))
        return NAN;
    q = q < 0.0 ? 0.0 : (q > 1.0 ? 1.0 : q);
    h = s->sys_hist + (slot * s->steps + step) * OSIM__SB;
    for (b = 0; b < OSIM__SB; b++)
        n += (double)h[b];
    if (n == 0.0)
        return NAN;
    rank = q * n;
    for (b = 0; b < OSIM__SB; b++) {
        double f;
        if (h[b] == 0)
            continue;
        if (rank > c + (double)h[b] && b + 1 < OSIM__SB) {
            c += (double)h[b];
            continue;
        }
        if (b == OSIM_SERIES_SYSTEM_BINS)
            return 1.0; /* every system back: exact */
        f = (rank - c) / (double)h[b];
        f = f < 0.0 ? 0.0 : (f > 1.0 ? 1.0 : f);
        return ((double)b + f) / OSIM_SERIES_SYSTEM_BINS;
    }
    return 1.0; /* not reached: the last non-empty bin holds rank n */
}

/* ------------------------------------------------------------ files */

/*
 * The run's identity as one comment line, as the CSV files carry it
 * (rows.h, without the scenario's file, which a series does not record):
 *   # outagesim V; scenario N; sha256 H; seed S; replications A..B
 * Every .dat file starts with it, and osim_series_read refuses a file whose
 * line differs from the one series.json gives: a folder mixing two runs is
 * never read as one.
 */
static void identity_line(const osim_series *s, char *buf, size_t n)
{
    uint64_t from = 0, to = 0;

    if (osim_series_range(s, &from, &to))
        snprintf(buf, n,
                 "# outagesim %s; scenario %s; sha256 %s; seed %llu; replications %llu..%llu",
                 s->version, s->scenario_name, s->sha256, (unsigned long long)s->seed,
                 (unsigned long long)from, (unsigned long long)(to > from ? to - 1 : from));
    else
        snprintf(buf, n, "# outagesim %s; scenario %s; sha256 %s; seed %llu; replications unknown",
                 s->version, s->scenario_name, s->sha256, (unsigned long long)s->seed);
}

static int write_dat_header(FILE *f, const osim_series *s, const char *what, const char *cols)
{
    char id[IDENTITY_MAX];

    identity_line(s, id, sizeof(id));
    return fprintf(f,
                   "%s\n"
                   "# %s\n"
                   "# Integer counts that add up across parts; see series.json for the shape.\n"
                   "# Columns: %s\n",
                   id, what, cols) < 0
               ? OSIM_EIO
               : 0;
}

static int write_timeline(const osim_series *s, FILE *f)
{
    size_t t, k, i, K = s->steps, S = s->services_count;

    if (write_dat_header(f, s, "availability of each service over time",
                         "slot step service down out unavail (down: replications with "
                         "availability < 1 at step_h x (step + 1/2) h; out: availability 0; "
                         "unavail: sum of 1 - availability in units of 2^-20); rows that are "
                         "all zero are left out") != 0)
        return OSIM_EIO;
    for (t = 0; t < s->topologies_count; t++)
        for (k = 0; k < K; k++)
            for (i = 0; i < S; i++) {
                size_t x = (t * K + k) * S + i;
                if (s->down[x] == 0 && s->out[x] == 0 && s->unavail[x] == 0)
                    continue;
                fprintf(f, "%zu %zu %zu %llu %llu %llu\n", t, k, i, (unsigned long long)s->down[x],
                        (unsigned long long)s->out[x], (unsigned long long)s->unavail[x]);
            }
    return 0;
}

static int write_users(const osim_series *s, FILE *f)
{
    size_t t, k, b, K = s->steps;

    if (write_dat_header(f, s, "distinct affected users over time, histograms",
                         "slot step bin count (bin 0: no user affected; bin b >= 1: "
                         "[10^((b-1)/24), 10^(b/24)) users); empty bins are left out") != 0)
        return OSIM_EIO;
    for (t = 0; t < s->topologies_count; t++)
        for (k = 0; k < K; k++)
            for (b = 0; b < OSIM__UB; b++) {
                uint64_t c = s->users[(t * K + k) * OSIM__UB + b];
                if (c != 0)
                    fprintf(f, "%zu %zu %zu %llu\n", t, k, b, (unsigned long long)c);
            }
    return 0;
}

static int write_loss(const osim_series *s, FILE *f)
{
    const osim_currency *cur = osim_currency_find(s->currency);
    char cols[400];
    size_t t, b;

    /* The loss in whole units of the series' currency ("won", "EUR"). */
    snprintf(cols, sizeof(cols),
             "slot bin weight (bin 0: loss 0; bin b >= 1: (10^((b-1)/10), "
             "10^(b/10)] %s; weight: expected businesses summed over "
             "replications, in units of 2^-10 business); empty bins are left "
             "out",
             cur == NULL         ? "won"
             : cur->word != NULL ? cur->word
                                 : cur->code);
    if (write_dat_header(f, s, "loss per affected small business, histogram", cols) != 0)
        return OSIM_EIO;
    for (t = 0; t < s->topologies_count; t++)
        for (b = 0; b < OSIM__LB; b++) {
            uint64_t c = s->loss[t * OSIM__LB + b];
            if (c != 0)
                fprintf(f, "%zu %zu %llu\n", t, b, (unsigned long long)c);
        }
    return 0;
}

static int write_marks(const osim_series *s, FILE *f)
{
    size_t t, m;

    if (write_dat_header(f, s, "businesses with a loss at or below each bracket edge",
                         "slot mark weight (mark: index into loss_marks_money of series.json; "
                         "weight in units of 2^-10 business, summed over replications)") != 0)
        return OSIM_EIO;
    for (t = 0; t < s->topologies_count; t++)
        for (m = 0; m < s->marks_count; m++)
            fprintf(f, "%zu %zu %llu\n", t, m,
                    (unsigned long long)s->below[t * OSIM_SERIES_MAX_MARKS + m]);
    return 0;
}

static int write_systems(const osim_series *s, FILE *f)
{
    size_t t, k, K = s->steps;

    if (write_dat_header(f, s, "share of all systems back over time, summed",
                         "slot step back (back: the sum over replications of the share of "
                         "systems back at step_h x (step + 1/2) h, in units of 2^-20); rows "
                         "of 0 are left out") != 0)
        return OSIM_EIO;
    for (t = 0; t < s->topologies_count; t++)
        for (k = 0; k < K; k++)
            if (s->sys_back[t * K + k] != 0)
                fprintf(f, "%zu %zu %llu\n", t, k, (unsigned long long)s->sys_back[t * K + k]);
    return 0;
}

static int write_systems_hist(const osim_series *s, FILE *f)
{
    size_t t, k, b, K = s->steps;

    if (write_dat_header(f, s, "share of all systems back over time, histograms",
                         "slot step bin count (bin b < 100: a share in [b/100, (b+1)/100); "
                         "bin 100: every system back); empty bins are left out") != 0)
        return OSIM_EIO;
    for (t = 0; t < s->topologies_count; t++)
        for (k = 0; k < K; k++)
            for (b = 0; b < OSIM__SB; b++) {
                uint64_t c = s->sys_hist[(t * K + k) * OSIM__SB + b];
                if (c != 0)
                    fprintf(f, "%zu %zu %zu %llu\n", t, k, b, (unsigned long long)c);
            }
    return 0;
}

static json_t *strv_json(char **v, size_t n)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, json_string(v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *meta_json(const osim_series *s)
{
    json_t *o = json_object(), *time = json_object(), *ub = json_object(), *lb = json_object();
    json_t *marks = json_array(), *reps = json_array(), *range;
    size_t i;
    int bad = 0;

    if (o == NULL || time == NULL || ub == NULL || lb == NULL || marks == NULL || reps == NULL)
        goto fail;
    for (i = 0; i < s->marks_count; i++)
        bad |= json_array_append_new(marks, json_real(s->marks_krw[i]));
    for (i = 0; i < s->topologies_count; i++)
        bad |= json_array_append_new(reps, json_integer((json_int_t)s->reps[i]));
    bad |= json_object_set_new(time, "start_epoch_s", json_integer(s->start_epoch_s));
    bad |= json_object_set_new(time, "utc_offset_h", json_real(s->utc_offset_h));
    bad |= json_object_set_new(time, "timezone", json_string(s->timezone));
    bad |= json_object_set_new(time, "horizon_h", json_real(s->horizon_h));
    bad |= json_object_set_new(time, "step_h", json_real(s->step_h));
    bad |= json_object_set_new(time, "steps", json_integer((json_int_t)s->steps));
    bad |= json_object_set_new(ub, "per_decade", json_integer(OSIM_SERIES_USERS_PER_DECADE));
    bad |= json_object_set_new(ub, "bins", json_integer(OSIM_SERIES_USER_BINS));
    bad |= json_object_set_new(lb, "per_decade", json_integer(OSIM_SERIES_LOSS_PER_DECADE));
    bad |= json_object_set_new(lb, "bins", json_integer(OSIM_SERIES_LOSS_BINS));
    bad |= json_object_set_new(lb, "unit_per_business", json_integer(1024));

    bad |= json_object_set_new(o, "format", json_string(SERIES_FORMAT));
    bad |= json_object_set_new(o, "format_version", json_integer(SERIES_FORMAT_VERSION));
    bad |= json_object_set_new(o, "version", json_string(s->version));
    bad |= json_object_set_new(o, "scenario", json_string(s->scenario_name));
    bad |= json_object_set_new(o, "sha256", json_string(s->sha256));
    bad |= json_object_set_new(o, "seed", json_integer((json_int_t)s->seed));
    bad |= json_object_set_new(o, "currency", json_string(s->currency));
    if (s->blk->has_range) {
        range = json_object();
        if (range == NULL)
            goto fail;
        bad |= json_object_set_new(range, "from", json_integer((json_int_t)s->blk->from));
        bad |= json_object_set_new(range, "to", json_integer((json_int_t)s->blk->to));
    } else {
        range = json_null();
    }
    bad |= json_object_set_new(o, "range", range);
    bad |= json_object_set_new(o, "replications", reps);
    reps = NULL;
    bad |= json_object_set_new(o, "time", time);
    time = NULL;
    bad |= json_object_set_new(o, "topologies", strv_json(s->topologies, s->topologies_count));
    bad |= json_object_set_new(o, "services", strv_json(s->services, s->services_count));
    bad |= json_object_set_new(o, "user_bins", ub);
    ub = NULL;
    bad |= json_object_set_new(o, "loss_bins", lb);
    lb = NULL;
    bad |= json_object_set_new(o, "unavail_unit", json_integer(1048576));
    bad |= json_object_set_new(o, "system_bins", json_integer(OSIM_SERIES_SYSTEM_BINS));
    bad |= json_object_set_new(o, "loss_marks_money", marks);
    marks = NULL;
    if (bad)
        goto fail;
    return o;
fail:
    json_decref(o);
    json_decref(time);
    json_decref(ub);
    json_decref(lb);
    json_decref(marks);
    json_decref(reps);
    return NULL;
}

typedef int (*dat_writer)(const osim_series *s, FILE *f);

static int write_one(const osim_series *s, const char *dir, const char *name, dat_writer fn,
                     osim_diag *diag)
{
    osim_atomic_file af;
    int rc;

    if ((rc = osim_atomic_open(&af, dir, name, diag)) != 0)
        return rc;
    rc = fn(s, af.f);
    if (rc == 0 && ferror(af.f))
        rc = OSIM_EIO;
    if (rc != 0) {
        osim_atomic_abort(&af);
        return osim_diag_set(diag, rc, name, 0, 0, "cannot write: %s", osim_strerror(rc));
    }
    return osim_atomic_commit(&af, diag);
}

static int write_meta(const osim_series *s, FILE *f)
{
    json_t *o = meta_json(s);
    int rc;

    if (o == NULL)
        return OSIM_ENOMEM;
    rc = json_dumpf(o, f, JSON_INDENT(2)) == 0 && fputc('\n', f) != EOF ? 0 : OSIM_EIO;
    json_decref(o);
    return rc;
}

int osim_series_write(const osim_series *s, const char *dir, osim_diag *diag)
{
    int rc;

    if (s == NULL || dir == NULL)
        return OSIM_EINVAL;
    if ((rc = osim_mkdir_p(dir, diag)) != 0)
        return rc;
    /* series.json last: its presence says the .dat files beside it are whole. */
    if ((rc = write_one(s, dir, "series-timeline.dat", write_timeline, diag)) != 0 ||
        (rc = write_one(s, dir, "series-users.dat", write_users, diag)) != 0 ||
        (rc = write_one(s, dir, "series-loss.dat", write_loss, diag)) != 0 ||
        (rc = write_one(s, dir, "series-marks.dat", write_marks, diag)) != 0 ||
        (rc = write_one(s, dir, "series-systems.dat", write_systems, diag)) != 0 ||
        (rc = write_one(s, dir, "series-systems-hist.dat", write_systems_hist, diag)) != 0 ||
        (rc = write_one(s, dir, "series.json", write_meta, diag)) != 0)
        return rc;
    return 0;
}

/* ------------------------------------------------------------ reading */

typedef struct reader {
    const char *file; /* for messages */
    osim_diag *diag;
    int rc;
} reader;

static int rbad(reader *R, int line, const char *msg)
{
    if (R->rc == 0)
        R->rc = osim_diag_set(R->diag, OSIM_ESCHEMA, R->file, line, 0, "%s", msg);
    return R->rc;
}

static json_t *jget(reader *R, json_t *o, const char *key, json_type type)
{
    json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    char msg[128];

    if (v == NULL || json_typeof(v) != type) {
        snprintf(msg, sizeof(msg), "missing or mistyped key '%s'", key);
        rbad(R, 0, msg);
        return NULL;
    }
    return v;
}

static double jnum(reader *R, json_t *o, const char *key)
{
    json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    char msg[128];

    if (!json_is_number(v)) {
        snprintf(msg, sizeof(msg), "missing or mistyped key '%s'", key);
        rbad(R, 0, msg);
        return 0.0;
    }
    return json_number_value(v);
}

static uint64_t jcount(reader *R, json_t *o, const char *key)
{
    json_t *v = jget(R, o, key, JSON_INTEGER);

    if (v == NULL)
        return 0;
    if (json_integer_value(v) < 0) {
        rbad(R, 0, "a count is negative");
        return 0;
    }
    return (uint64_t)json_integer_value(v);
}

static char *jstr(reader *R, json_t *o, const char *key)
{
    json_t *v = jget(R, o, key, JSON_STRING);
    char *d;

    if (v == NULL)
        return NULL;
    d = osim__strdup(json_string_value(v));
    if (d == NULL && R->rc == 0)
        R->rc = OSIM_ENOMEM;
    return d;
}

static char **jstrv(reader *R, json_t *o, const char *key, size_t *n)
{
    json_t *a = jget(R, o, key, JSON_ARRAY), *v;
    char **out;
    size_t i;

    *n = 0;
    if (a == NULL)
        return NULL;
    out = calloc(json_array_size(a) ? json_array_size(a) : 1, sizeof(*out));
    if (out == NULL) {
        R->rc = R->rc ? R->rc : OSIM_ENOMEM;
        return NULL;
    }
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v) || (out[i] = osim__strdup(json_string_value(v))) == NULL) {
            osim__strv_free(out, i);
            rbad(R, 0, "a name is not a string");
            return NULL;
        }
    }
    *n = json_array_size(a);
    return out;
}

/* series.json parsed, or NULL with R->rc set (OSIM_ENOENT when absent). */
static json_t *load_doc(reader *R)
{
    json_error_t err;
    json_t *doc;
    FILE *f = fopen(R->file, "r");

    if (f == NULL) {
        int e = errno;
        R->rc = osim_diag_set(R->diag, e == ENOENT ? OSIM_ENOENT : OSIM_EIO, R->file, 0, 0,
                              "cannot open: %s", strerror(e));
        return NULL;
    }
    doc = json_loadf(f, 0, &err);
    fclose(f);
    if (doc == NULL)
        R->rc = osim_diag_set(R->diag, OSIM_ESCHEMA, R->file, err.line, err.column, "%s", err.text);
    return doc;
}

/* format, format_version: an outagesim series of this format. */
static void read_format(reader *R, json_t *doc)
{
    json_t *v = jget(R, doc, "format", JSON_STRING);
    const char *fmt = v != NULL ? json_string_value(v) : "";

    if (R->rc == 0 && (strcmp(fmt, SERIES_FORMAT) != 0 ||
                       jnum(R, doc, "format_version") != SERIES_FORMAT_VERSION))
        rbad(R, 0,
             "not an outagesim series of this version (format or format_version; "
             "format_version 1, with _krw keys, was written by an older outagesim: run "
             "the scenario again)");
}

/* version, scenario, sha256, seed. */
static void read_identity(reader *R, json_t *doc, osim_series *s)
{
    json_t *v;

    s->version = jstr(R, doc, "version");
    s->scenario_name = jstr(R, doc, "scenario");
    v = jget(R, doc, "sha256", JSON_STRING);
    if (v != NULL)
        snprintf(s->sha256, sizeof(s->sha256), "%s", json_string_value(v));
    s->seed = (uint64_t)json_integer_value(jget(R, doc, "seed", JSON_INTEGER));
    v = jget(R, doc, "currency", JSON_STRING);
    if (v != NULL && osim_currency_find(json_string_value(v)) == NULL)
        rbad(R, 0, "currency is not a supported ISO 4217 code");
    else if (v != NULL)
        snprintf(s->currency, sizeof(s->currency), "%.3s", json_string_value(v));
}

/* range: {from, to} or null (unknown); *known says which. */
static void read_range(reader *R, json_t *doc, bool *known, uint64_t *from, uint64_t *to)
{
    json_t *range = json_object_get(doc, "range");

    *known = false;
    if (json_is_object(range)) {
        *known = true;
        *from = jcount(R, range, "from");
        *to = jcount(R, range, "to");
        if (*to < *from)
            rbad(R, 0, "range: to is before from");
    } else if (!json_is_null(range)) {
        rbad(R, 0, "missing or mistyped key 'range'");
    }
}

/* time (the grid), topologies and services. */
static void read_grid(reader *R, json_t *doc, osim_series *s)
{
    json_t *time = jget(R, doc, "time", JSON_OBJECT);

    s->start_epoch_s = (int64_t)jnum(R, time, "start_epoch_s");
    s->utc_offset_h = jnum(R, time, "utc_offset_h");
    s->timezone = jstr(R, time, "timezone");
    s->horizon_h = jnum(R, time, "horizon_h");
    s->step_h = jnum(R, time, "step_h");
    s->steps = (size_t)jcount(R, time, "steps");
    s->topologies = jstrv(R, doc, "topologies", &s->topologies_count);
    s->services = jstrv(R, doc, "services", &s->services_count);
    if (R->rc == 0 && (!(s->horizon_h > 0.0) || !(s->step_h > 0.0) || s->steps == 0 ||
                       s->steps > OSIM_SERIES_MAX_STEPS || s->topologies_count == 0))
        rbad(R, 0, "time grid or topologies out of range");
}

/* user_bins, loss_bins, unavail_unit: this version's, or the counts mean something else. */
static void check_bins(reader *R, json_t *doc)
{
    json_t *ub = jget(R, doc, "user_bins", JSON_OBJECT);
    json_t *lb = jget(R, doc, "loss_bins", JSON_OBJECT);

    if (R->rc == 0 && (jnum(R, ub, "per_decade") != OSIM_SERIES_USERS_PER_DECADE ||
                       jnum(R, ub, "bins") != OSIM_SERIES_USER_BINS ||
                       jnum(R, lb, "per_decade") != OSIM_SERIES_LOSS_PER_DECADE ||
                       jnum(R, lb, "bins") != OSIM_SERIES_LOSS_BINS ||
                       jnum(R, lb, "unit_per_business") != OSIM_SERIES_LOSS_UNIT ||
                       jnum(R, doc, "unavail_unit") != OSIM_SERIES_UNAVAIL_UNIT ||
                       jnum(R, doc, "system_bins") != OSIM_SERIES_SYSTEM_BINS))
        rbad(R, 0, "bins or units differ from this version's");
}

/* loss_marks_money: at most OSIM_SERIES_MAX_MARKS numbers. */
static void read_marks(reader *R, json_t *doc, osim_series *s)
{
    json_t *marks = jget(R, doc, "loss_marks_money", JSON_ARRAY), *v;
    size_t i;

    if (marks == NULL)
        return;
    if (json_array_size(marks) > OSIM_SERIES_MAX_MARKS)
        rbad(R, 0, "too many loss_marks_money");
    json_array_foreach(marks, i, v)
    {
        if (i >= OSIM_SERIES_MAX_MARKS || !json_is_number(v)) {
            rbad(R, 0, "loss_marks_money holds a non-number");
            break;
        }
        s->marks_krw[i] = json_number_value(v);
        s->marks_count = i + 1;
    }
}

/* replications: one count per topology (after alloc_counts). */
static void read_reps(reader *R, json_t *doc, osim_series *s)
{
    json_t *reps = jget(R, doc, "replications", JSON_ARRAY), *v;
    size_t i;

    if (R->rc == 0 && json_array_size(reps) != s->topologies_count)
        rbad(R, 0, "replications: one count per topology expected");
    if (R->rc != 0)
        return;
    json_array_foreach(reps, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < 0) {
            rbad(R, 0, "replications: not a count");
            break;
        }
        s->reps[i] = (uint64_t)json_integer_value(v);
    }
}

/* series.json: identity, range, shape and per-topology replications, in that order. */
static int read_meta(const char *dir, osim_series **out, osim_diag *diag)
{
    char *path = osim_path_join(dir, "series.json");
    reader R = {path, diag, 0};
    json_t *doc = NULL;
    osim_series *s = NULL;
    uint64_t from = 0, to = 0;
    bool known = false;

    if (path == NULL)
        return OSIM_ENOMEM;
    if ((doc = load_doc(&R)) == NULL)
        goto done;
    if ((s = calloc(1, sizeof(*s))) == NULL) {
        R.rc = OSIM_ENOMEM;
        goto done;
    }
    read_format(&R, doc);
    if (R.rc != 0)
        goto done;
    read_identity(&R, doc, s);
    read_range(&R, doc, &known, &from, &to);
    read_grid(&R, doc, s);
    check_bins(&R, doc);
    read_marks(&R, doc, s);
    if (R.rc == 0 && (R.rc = alloc_counts(s)) != 0)
        goto done;
    if (R.rc == 0 && known)
        osim_series_set_range(s, from, to);
    read_reps(&R, doc, s);
done:
    json_decref(doc);
    free(path);
    if (R.rc != 0) {
        osim_series_free(s);
        return R.rc;
    }
    *out = s;
    return 0;
}

/* Read one .dat file of rows of `ncols` unsigned integers; each row is
 * passed to fn, which returns an error message or NULL. */
typedef const char *(*row_fn)(osim_series *s, const unsigned long long *v);

static int read_dat(osim_series *s, const char *dir, const char *name, size_t ncols, row_fn fn,
                    osim_diag *diag)
{
    char *path = osim_path_join(dir, name);
    reader R = {path, diag, 0};
    char line[IDENTITY_MAX + 2], id[IDENTITY_MAX];
    int lineno = 0;
    FILE *f;

    if (path == NULL)
        return OSIM_ENOMEM;
    f = fopen(path, "r");
    if (f == NULL) {
        int e = errno;
        osim_diag_set(diag, e == ENOENT ? OSIM_ENOENT : OSIM_EIO, path, 0, 0, "cannot open: %s",
                      strerror(e));
        free(path);
        return e == ENOENT ? OSIM_ENOENT : OSIM_EIO;
    }
    while (R.rc == 0 && fgets(line, sizeof(line), f) != NULL) {
        unsigned long long v[8];
        const char *p = line, *why;
        size_t c;
        lineno++;
        if (strchr(line, '\n') == NULL && !feof(f)) {
            rbad(&R, lineno, "line too long");
            break;
        }
        if (lineno == 1) {
            /* The identity line must be series.json's (identity_line). */
            line[strcspn(line, "\r\n")] = '\0';
            identity_line(s, id, sizeof(id));
            if (strcmp(line, id) != 0) {
                R.rc = osim_diag_set(
                    diag, OSIM_EIO, path, 1, 0,
                    "%s comes from another run than series.json beside it (its first line "
                    "should be '%.300s'); the folder mixes two runs",
                    name, id);
                break;
            }
            continue;
        }
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\0')
            continue;
        for (c = 0; c < ncols; c++) {
            char *end;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p < '0' || *p > '9')
                break;
            errno = 0;
            v[c] = strtoull(p, &end, 10);
            if (errno != 0)
                break;
            p = end;
        }
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (c < ncols || *p != '\0') {
            char msg[64];
            snprintf(msg, sizeof(msg), "expected %zu unsigned integers", ncols);
            rbad(&R, lineno, msg);
            break;
        }
        if ((why = fn(s, v)) != NULL)
            rbad(&R, lineno, why);
    }
    if (R.rc == 0 && ferror(f))
        R.rc = osim_diag_set(diag, OSIM_EIO, path, 0, 0, "read error");
    fclose(f);
    free(path);
    return R.rc;
}

static const char *row_timeline(osim_series *s, const unsigned long long *v)
{
    size_t x;

    if (v[0] >= s->topologies_count || v[1] >= s->steps || v[2] >= s->services_count)
        return "slot, step or service out of range";
    x = ((size_t)v[0] * s->steps + (size_t)v[1]) * s->services_count + (size_t)v[2];
    if (s->down[x] != 0 || s->out[x] != 0 || s->unavail[x] != 0)
        return "a row repeats an earlier one";
    if (v[3] > s->reps[v[0]] || v[4] > v[3] ||
        v[5] > (unsigned long long)s->reps[v[0]] * (unsigned long long)OSIM_SERIES_UNAVAIL_UNIT)
        return "counts exceed the replications";
    s->down[x] = v[3];
    s->out[x] = v[4];
    s->unavail[x] = v[5];
    return NULL;
}

static const char *row_users(osim_series *s, const unsigned long long *v)
{
    size_t x;

    if (v[0] >= s->topologies_count || v[1] >= s->steps || v[2] >= OSIM__UB)
        return "slot, step or bin out of range";
    x = ((size_t)v[0] * s->steps + (size_t)v[1]) * OSIM__UB + (size_t)v[2];
    if (s->users[x] != 0)
        return "a row repeats an earlier one";
    s->users[x] = v[3];
    return NULL;
}

static const char *row_loss(osim_series *s, const unsigned long long *v)
{
    size_t x;

    if (v[0] >= s->topologies_count || v[1] >= OSIM__LB)
        return "slot or bin out of range";
    x = (size_t)v[0] * OSIM__LB + (size_t)v[1];
    if (s->loss[x] != 0)
        return "a row repeats an earlier one";
    s->loss[x] = v[2];
    return NULL;
}

static const char *row_systems(osim_series *s, const unsigned long long *v)
{
    size_t x;

    if (v[0] >= s->topologies_count || v[1] >= s->steps)
        return "slot or step out of range";
    x = (size_t)v[0] * s->steps + (size_t)v[1];
    if (s->sys_back[x] != 0)
        return "a row repeats an earlier one";
    if (v[2] > (unsigned long long)s->reps[v[0]] * (unsigned long long)OSIM_SERIES_UNAVAIL_UNIT)
        return "the share exceeds the replications";
    s->sys_back[x] = v[2];
    return NULL;
}

static const char *row_systems_hist(osim_series *s, const unsigned long long *v)
{
    size_t x;

    if (v[0] >= s->topologies_count || v[1] >= s->steps || v[2] >= OSIM__SB)
        return "slot, step or bin out of range";
    x = ((size_t)v[0] * s->steps + (size_t)v[1]) * OSIM__SB + (size_t)v[2];
    if (s->sys_hist[x] != 0)
        return "a row repeats an earlier one";
    s->sys_hist[x] = v[3];
    return NULL;
}

static const char *row_marks(osim_series *s, const unsigned long long *v)
{
    if (v[0] >= s->topologies_count || v[1] >= s->marks_count)
        return "slot or mark out of range";
    s->below[(size_t)v[0] * OSIM_SERIES_MAX_MARKS + (size_t)v[1]] = v[2];
    return NULL;
}

/* Every time point of a topology counts each replication exactly once,
 * in the users' histograms and in the systems'. */
static int check_users(const osim_series *s, const char *dir, osim_diag *diag)
{
    size_t t, k, b;

    for (t = 0; t < s->topologies_count; t++)
        for (k = 0; k < s->steps; k++) {
            uint64_t n = 0, m = 0;
            for (b = 0; b < OSIM__UB; b++)
                n += s->users[(t * s->steps + k) * OSIM__UB + b];
            for (b = 0; b < OSIM__SB; b++)
                m += s->sys_hist[(t * s->steps + k) * OSIM__SB + b];
            if (m != s->reps[t])
                return osim_diag_set(diag, OSIM_ESCHEMA, dir, 0, 0,
                                     "series-systems-hist.dat: topology %zu, step %zu counts %llu "
                                     "replications, series.json says %llu",
                                     t, k, (unsigned long long)m, (unsigned long long)s->reps[t]);
            if (n != s->reps[t])
                return osim_diag_set(diag, OSIM_ESCHEMA, dir, 0, 0,
                                     "series-users.dat: topology %zu, step %zu counts %llu "
                                     "replications, series.json says %llu",
                                     t, k, (unsigned long long)n, (unsigned long long)s->reps[t]);
        }
    return 0;
}

int osim_series_read(const char *dir, osim_series **out, osim_diag *diag)
{
    osim_series *s = NULL;
    int rc;

    if (dir == NULL || out == NULL)
        return OSIM_EINVAL;
    if ((rc = read_meta(dir, &s, diag)) != 0)
        return rc;
    if ((rc = read_dat(s, dir, "series-timeline.dat", 6, row_timeline, diag)) != 0 ||
        (rc = read_dat(s, dir, "series-users.dat", 4, row_users, diag)) != 0 ||
        (rc = read_dat(s, dir, "series-loss.dat", 3, row_loss, diag)) != 0 ||
        (rc = read_dat(s, dir, "series-marks.dat", 3, row_marks, diag)) != 0 ||
        (rc = read_dat(s, dir, "series-systems.dat", 3, row_systems, diag)) != 0 ||
        (rc = read_dat(s, dir, "series-systems-hist.dat", 4, row_systems_hist, diag)) != 0 ||
        (rc = check_users(s, dir, diag)) != 0) {
        osim_series_free(s);
        return rc;
    }
    *out = s;
    return 0;
}
