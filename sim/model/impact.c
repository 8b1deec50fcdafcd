/*
 * impact.c -- availability timelines turned into people and money.
 *
 * Invariant: the cost of osim_impact_compute() is O(breakpoints x
 * log(services) + services x hours of horizon), plus one multiplication
 * per service not fully up after the first that changed at each
 * breakpoint, until everyone is out (the distinct users' product keeps its
 * order: see many_sync), and never depends on population.users or on any
 * segment's count. People are never looped over:
 * users and businesses enter only as multipliers of shares, and a business's loss enters as a
 * distribution (segment_loss.c). osim_impact_compute() allocates nothing.
 *
 * Model, in the order it is computed:
 *
 * Local time. t hours after ignition is local hour floor(start_hour + t)
 * counted from midnight of the ignition day; its hour of day and weekday
 * (start_weekday + days elapsed, Monday = 0) select the profiles. Every
 * integral below is exact: time is cut at the union of timeline breakpoints
 * and local hour boundaries, where everything is constant, up to the horizon.
 *
 * Users of one service s (share sigma_s of population.users, availability
 * a_s(t)). Active users are users x hourly[hour] x weekly[weekday]; the
 * affected ones are active x sigma_s x (1 - a_s(t)). user_hours_lost is its
 * integral, peak_affected its maximum; `affected` counts users of s out at
 * some moment, active or not: users x sigma_s x (1 - min_t a_s(t)).
 * Subscribers of a paid service lose their service whether or not they are
 * using it: subscriber_hours_lost = subscribers x integral of (1 - a_s).
 *
 * Distinct users. Nothing is known about how use of one service overlaps
 * use of another, so a user's use of each service is taken as independent
 * of the others (the neutral assumption), and within a service user v is
 * out when v >= a_s(t) (impact.h). A random user is then out at t with
 * probability 1 - prod_s (1 - sigma_s (1 - a_s(t))); a user of five
 * services counts once. This gives the totals peak_affected,
 * user_hours_lost (distinct-user hours) and distinct_affected (with
 * min_t a_s(t) in place of a_s(t)).
 *
 * Bands (impact.h). The distinct availability levels l_0 < l_1 < ... below
 * 1 split the users ranked v in [l_0, 1) into bands [l_j, l_{j+1}) that
 * share one outage history: out exactly when a(t) < l_{j+1}. When there
 * are more than OSIM_IMPACT_MAX_BANDS levels, the level whose removal
 * creates the narrowest merged band is removed, repeatedly. A merged band
 * keeps the rule "out when a(t) < its upper end", i.e. the history of its
 * worst-off member: merging can overstate a band's outage, never understate
 * it. Totals (user-hours, revenue loss) are integrated from the timeline
 * directly and are exact whatever the merging.
 *
 * Businesses of a segment need all of their services: the availability they
 * see is the product of those services' availabilities (a business is
 * served when each service serves it, independently). affected =
 * count x (1 - min_t a(t)); band b's lost hours are the integral over its
 * outage of hourly_profile x weekly_profile, times (1 - substitution -
 * deferred); revenue_loss = count x E[R] x (1 - substitution - deferred) x
 * integral of (1 - a(t)) x profile, which equals affected x sum_b share_b x
 * lost_h_b x E[R] for unmerged bands; lost_profit = revenue_loss x margin;
 * claimants ~ Binomial(round(affected), claim_rate) from the replication's
 * impact stream (its expectation when no stream is given).
 */
#include "outagesim/impact.h"

#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/dist_drawn.h"
#include "model/populations.h"

/* The public object plus working memory that compute uses without allocating. */
typedef struct impact_priv {
    osim_impact pub; /* first: an osim_impact * is an impact_priv * */
    size_t *cur;     /* timeline cursors for a merged walk (services or a segment's needs) */
    const osim_timeline **tls; /* the timelines of that walk */
    struct span_rec *rec;      /* the spans of the last pass1_run (see spans) */
    size_t rec_cap;
    size_t *all;             /* 0 .. services_count-1 */
    double *min_avail;       /* per service, of the replay being computed */
    struct many *many;       /* the distinct users' walk over every service (many_sync) */
    osim__populations *pops; /* NULL, or the groups of `populations:` (populations.h) */
} impact_priv;

/* ------------------------------------------------------------------ time */

/* Hour index counted from local midnight of the ignition day, split. */
static int hour_of_day(long h)
{
    long r = h % 24;
    return (int)(r < 0 ? r + 24 : r);
}

static long day_of(long h)
{
    return h >= 0 ? h / 24 : -((-h + 23) / 24);
}

static int weekday_of(int start_weekday, long day)
{
    long r = ((long)start_weekday + day) % 7;
    return (int)(r < 0 ? r + 7 : r);
}

double osim_active_users(const osim_scenario *sc, double t_h)
{
    long h;

    if (sc == NULL || isnan(t_h))
        return NAN;
    h = (long)floor(sc->start_hour + t_h);
    return sc->population.users * sc->population.hourly[hour_of_day(h)] *
           sc->population.weekly[weekday_of(sc->start_weekday, day_of(h))];
}

/* ------------------------------------------------------------------ walk */

/*
 * A walk over [0, horizon) cut at every breakpoint of a set of timelines and
 * at every local hour boundary: within a span, every listed timeline and
 * the local hour are constant.
 *
 * Most spans end at an hour boundary with no timeline changing (a service
 * down for 100 hours is 100 spans), so the cursors, the earliest next
 * breakpoint and the product of the availabilities are kept from the last
 * time a cursor could move (walk_sync) and reused until the walk reaches
 * that breakpoint: no span costs O(timelines) unless a timeline changes in
 * it. The reused values are the ones a fresh evaluation would compute (the
 * cursors cannot move before next_bp), so the spans are the same, bit for
 * bit.
 */
typedef struct walk {
    const osim_timeline **tl; /* n timelines walked */
    size_t n;
    size_t *cur; /* n cursors: cur[k] indexes tl[k] */
    double start_hour;
    int start_weekday;
    double horizon_h;
    double t;         /* where the next span starts */
    long hour;        /* floor(start_hour + t), kept as an integer so boundaries never drift */
    int hod, wd;      /* hour_of_day(hour), weekday_of(start_weekday, day) */
    long day;         /* day_of(hour) */
    double next_bp;   /* earliest breakpoint after a cursor (INFINITY if none) */
    bool up_for_good; /* every timeline at its last level, and that level 1 */
    double a;         /* product of the availabilities at the cursors, or with svc: */
    const osim_service *svc; /* the share served, prod_k (1 - svc[k].user_share (1 - a_k)) */
    struct many *many;       /* NULL, or see many_sync */
} walk;

static void walk_init(walk *w, const osim_scenario *sc, const osim_replay_result *rr,
                      const size_t *idx, size_t n, size_t *cur, const osim_timeline **tl,
                      const osim_service *svc)
{
    size_t k;

    w->tl = tl;
    w->n = n;
    w->cur = cur;
    w->start_hour = sc->start_hour;
    w->start_weekday = sc->start_weekday;
    w->horizon_h = rr->horizon_h;
    w->t = 0.0;
    w->hour = (long)floor(sc->start_hour);
    w->hod = hour_of_day(w->hour);
    w->day = day_of(w->hour);
    w->wd = weekday_of(w->start_weekday, w->day);
    w->next_bp = -INFINITY; /* the first walk_fill syncs */
    w->up_for_good = false;
    w->a = 1.0;
    w->svc = svc;
    w->many = NULL;
    for (k = 0; k < n; k++) {
        cur[k] = 0;
        tl[k] = &rr->services[idx[k]].tl;
    }
}

/* Availability of the k-th walked timeline in the current span. */
static double walk_avail(const walk *w, size_t k)
{
    const osim_timeline *tl = w->tl[k];

    return tl->count == 0 ? 1.0 : tl->avail[w->cur[k]];
}

/*
 * A walk over many timelines (the distinct users: every service) moves
 * only the cursors whose timelines change, and multiplies again only from
 * the first factor that changed.
 *
 * walk_sync visits every timeline at every breakpoint: over a replay of N
 * services with O(N) breakpoints, O(N^2). Here the next breakpoint of each
 * timeline waits in a min-heap, so a sync pops what the walk has reached
 * and nothing else. The product must stay the one walk_sync computes, bit
 * for bit: factors multiplied one after the other in timeline order,
 * starting from 1. A factor of exactly 1 changes no product (x * 1 == x in
 * IEEE arithmetic), so only the factors other than 1 (the set `act`) are
 * multiplied, and each one's running product is kept (pre); when factors
 * change, the running product is taken up again from the one before the
 * first that changed. What the walk sees (a, next_bp, up_for_good) is
 * what walk_sync gives.
 *
 * That re-multiplication is the one cost that grows faster than the
 * model, and it stays: a product of doubles depends on its order in its
 * last bits, and the totals are reproduced bit for bit. It stops where
 * the running product falls to MANY_ALL_OUT (everyone out, whatever
 * follows), so with many services out it is bounded by how many it takes
 * to get there, not by the number of services.
 */
/* From this many timelines on, the distinct users' walk is a `many` walk. */
#define MANY_MIN_SERVICES 64

typedef struct bp_ent {
    double t; /* the timeline's next breakpoint */
    size_t k; /* which timeline */
} bp_ent;

typedef struct many {
    bp_ent *heap; /* n: the timelines with a breakpoint ahead */
    size_t heap_n;
    double *fac;             /* n: the factor of each timeline now */
    double *pre;             /* n: for k in act, the product of the factors up to k */
    uint64_t *act;           /* (n + 63) / 64 words: the timelines whose factor is not 1 */
    size_t down;             /* timelines now below 1 */
    size_t lim;              /* pre[] holds for the factors before lim (see many_product) */
    osim__populations *pops; /* NULL, or the share out is the populations' fold */
} many;

/*
 * A share served at or below this is "everyone out": for 0 <= x <= 2^-60,
 * 1.0 - x == 1.0 in binary64 (doubles just below 1 are 2^-53 apart, so any
 * x under 2^-54 is lost), and 1 - a is all the distinct users' totals use
 * of the product. Every factor is in [0, 1], so once the running product
 * is this low the whole product is too, whatever the factors after it.
 */
#define MANY_ALL_OUT 0x1p-60

static void heap_sift_down(bp_ent *h, size_t n, size_t i)
{
    bp_ent e = h[i];

    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1].t < h[c].t)
            c++;
        if (!(h[c].t < e.t))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

/* Index of the highest set bit of b != 0. */
static unsigned highest_bit(uint64_t b)
{
    unsigned r = 0;

    if (b >> 32) {
        b >>= 32;
        r += 32;
    }
    if (b >> 16) {
        b >>= 16;
        r += 16;
    }
    if (b >> 8) {
        b >>= 8;
        r += 8;
    }
    if (b >> 4) {
        b >>= 4;
        r += 4;
    }
    if (b >> 2) {
        b >>= 2;
        r += 2;
    }
    return r + (unsigned)(b >> 1);
}

/* Index of the lowest set bit of b != 0 (de Bruijn, as in replay.c: portable C, no builtin). */
static unsigned lowest_bit(uint64_t b)
{
    static const unsigned char pos[64] = {
        0,  1,  48, 2,  57, 49, 28, 3,  61, 58, 50, 42, 38, 29, 17, 4,  62, 55, 59, 36, 53, 51,
        43, 22, 45, 39, 33, 30, 24, 18, 12, 5,  63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21,
        44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,  13, 8,  7,  6};

    return pos[((b & (~b + 1)) * UINT64_C(0x03f79d71b4cb0a89)) >> 58];
}

static double many_factor(const walk *w, size_t k)
{
    return 1.0 - w->svc[k].user_share * (1.0 - walk_avail(w, k));
}

/* The factor of timeline k may have changed: keep fac, act and down in step;
 * lowers *first to k when the factor changed. */
static void many_set(walk *w, size_t k, double before, size_t *first)
{
    many *m = w->many;
    double f = many_factor(w, k), after = walk_avail(w, k);

    m->down += (after < 1.0) - (before < 1.0);
    if (f == m->fac[k])
        return;
    m->fac[k] = f;
    if (f != 1.0)
        m->act[k / 64] |= (uint64_t)1 << (k % 64);
    else
        m->act[k / 64] &= ~((uint64_t)1 << (k % 64));
    if (k < *first)
        *first = k;
}

/* The product of the factors, taken up again from timeline `first` < n. */
static double many_product(walk *w, size_t first)
{
    many *m = w->many;
    size_t nw = (w->n + 63) / 64, w0 = first / 64, wi = w0, k;
    uint64_t low = ((uint64_t)1 << (first % 64)) - 1; /* the bits before first in its word */
    uint64_t bits = m->act[w0] & low;
    double p = 1.0;

    /* The running product fell to MANY_ALL_OUT before lim, and nothing
     * before lim changed: the product is still that low (w->a, unchanged). */
    if (first >= m->lim)
        return w->a;
    /* From the running product at the last factor before `first` that is not 1. */
    while (bits == 0 && wi > 0)
        bits = m->act[--wi];
    if (bits != 0)
        p = m->pre[wi * 64 + highest_bit(bits)];
    for (wi = w0; wi < nw; wi++) {
        bits = m->act[wi] & (wi == w0 ? ~low : ~(uint64_t)0);
        while (bits != 0) {
            k = wi * 64 + lowest_bit(bits);
            bits &= bits - 1;
            p *= m->fac[k];
            m->pre[k] = p;
        }
        /* Looked at once a word: the factors after it cannot matter. */
        if (p <= MANY_ALL_OUT) {
            m->lim = (wi + 1) * 64;
            return p;
        }
    }
    m->lim = w->n;
    return p;
}

/* walk_sync for a walk with `many`: pop the breakpoints reached. */
static void many_sync(walk *w)
{
    many *m = w->many;
    size_t first = w->n;

    while (m->heap_n > 0 && m->heap[0].t <= w->t) {
        size_t k = m->heap[0].k, c;
        const osim_timeline *tl = w->tl[k];
        double before = walk_avail(w, k);
        c = ++w->cur[k];
        if (c + 1 < tl->count)
            m->heap[0].t = tl->t_h[c + 1];
        else
            m->heap[0] = m->heap[--m->heap_n];
        if (m->heap_n > 1)
            heap_sift_down(m->heap, m->heap_n, 0);
        if (m->pops != NULL) {
            double after = walk_avail(w, k);
            m->down += (after < 1.0) - (before < 1.0);
            if (after != before)
                osim__populations_set(m->pops, k, after);
        } else {
            many_set(w, k, before, &first);
        }
    }
    if (m->pops != NULL)
        w->a = 1.0 - osim__populations_out(m->pops);
    else if (first < w->n)
        w->a = many_product(w, first);
    w->next_bp = m->heap_n > 0 ? m->heap[0].t : INFINITY;
    w->up_for_good = m->heap_n == 0 && m->down == 0;
}

/* Make a walk just initialised (walk_init, with svc) a walk with m. */
static void many_init(walk *w, many *m)
{
    size_t k, i;

    w->many = m;
    m->heap_n = 0;
    m->down = 0;
    memset(m->act, 0, (w->n + 63) / 64 * sizeof(*m->act));
    for (k = 0; k < w->n; k++) {
        const osim_timeline *tl = w->tl[k];
        /* With populations, fac holds the availabilities for osim__populations_load. */
        m->fac[k] = m->pops != NULL ? walk_avail(w, k) : many_factor(w, k);
        if (m->pops == NULL && m->fac[k] != 1.0)
            m->act[k / 64] |= (uint64_t)1 << (k % 64);
        m->down += walk_avail(w, k) < 1.0;
        if (tl->count > 1) {
            m->heap[m->heap_n].t = tl->t_h[1];
            m->heap[m->heap_n].k = k;
            m->heap_n++;
        }
    }
    for (i = m->heap_n / 2; i > 0; i--)
        heap_sift_down(m->heap, m->heap_n, i - 1);
    m->lim = w->n;
    if (m->pops != NULL) {
        osim__populations_load(m->pops, m->fac);
        w->a = 1.0 - osim__populations_out(m->pops);
    } else {
        w->a = w->n > 0 ? many_product(w, 0) : 1.0;
    }
}

/* Move every cursor to the step in force at w->t; note the next breakpoint. */
static void walk_sync(walk *w)
{
    double nb = INFINITY, a = 1.0;
    bool up_for_good = true;
    size_t k;

    if (w->many != NULL) {
        many_sync(w);
        return;
    }

    for (k = 0; k < w->n; k++) {
        const osim_timeline *tl = w->tl[k];
        size_t c = w->cur[k];
        while (c + 1 < tl->count && tl->t_h[c + 1] <= w->t)
            c++;
        w->cur[k] = c;
        if (c + 1 < tl->count) {
            up_for_good = false;
            if (tl->t_h[c + 1] < nb)
                nb = tl->t_h[c + 1];
        } else if (tl->count > 0 && tl->avail[c] < 1.0) {
            up_for_good = false;
        }
    }
    /* The product in timeline order, as walk_avail gives each factor. */
    for (k = 0; k < w->n; k++) {
        double ak = walk_avail(w, k);
        a *= w->svc != NULL ? 1.0 - w->svc[k].user_share * (1.0 - ak) : ak;
    }
    w->next_bp = nb;
    w->up_for_good = up_for_good;
    w->a = a;
}

/*
 * What bands_fill needs of a span, as pass1_run saw it: bands_fill reads
 * these back instead of walking the timelines again. The buffer holds
 * about one span per hour of horizon (made once, in osim_impact_new); a
 * walk with more spans than that is walked again (full = false).
 */
typedef struct span_rec {
    double a, dt;
    long day;
    int hod, wd;
} span_rec;

typedef struct spans {
    span_rec *v;
    size_t n, cap;
    bool full; /* every span of the walk is in v */
} spans;

/* Spans walked at a time when they are not (or cannot all be) recorded. */
#define SPAN_CHUNK 64

/*
 * Walk on, writing up to cap spans to out; returns how many, fewer than cap
 * only when the walk is over. A span runs from t to the next hour boundary,
 * breakpoint or the horizon, whichever comes first; a span of no length
 * (a breakpoint on an hour boundary) is skipped. The walk's state is kept
 * in locals here (spans are written through a pointer the compiler cannot
 * tell apart from the walk) and stored back at the end.
 */
static size_t walk_fill(walk *w, span_rec *out, size_t cap)
{
    const double horizon_h = w->horizon_h, start_hour = w->start_hour;
    double t = w->t, next_bp = w->next_bp, a = w->a;
    long hour = w->hour, day = w->day;
    int hod = w->hod, wd = w->wd;
    bool up_for_good = w->up_for_good;
    size_t n = 0;

    while (n < cap && t < horizon_h) {
        double hb = (double)(hour + 1) - start_hour;
        double t1 = hb < horizon_h ? hb : horizon_h, t0 = t;
        span_rec *r = &out[n];

        /* A cursor can move only once the walk reaches the next breakpoint. */
        if (!(t < next_bp)) {
            w->t = t;
            walk_sync(w);
            next_bp = w->next_bp;
            up_for_good = w->up_for_good;
            a = w->a;
        }
        /* Every timeline is at its last level and fully up: nothing more
         * happens before the horizon, and nothing up contributes anything. */
        if (up_for_good) {
            t = horizon_h;
            break;
        }
        if (next_bp < t1)
            t1 = next_bp;
        r->a = a;
        r->day = day;
        r->hod = hod;
        r->wd = wd;
        t = t1;
        if (t1 >= hb) {
            /* The next hour; its hour of day, day and weekday by counting
             * (what hour_of_day, day_of and weekday_of would give). */
            hour++;
            if (++hod == 24) {
                hod = 0;
                day++;
                if (++wd == 7)
                    wd = 0;
            }
        }
        if (t1 > t0) {
            r->dt = t1 - t0;
            n++;
        }
    }
    w->t = t;
    w->hour = hour;
    w->day = day;
    w->hod = hod;
    w->wd = wd;
    return n;
}

/* ---------------------------------------------------------------- levels */

/* Distinct availability levels below 1, ascending, at most MAX_BANDS kept. */
typedef struct levels {
    double v[OSIM_IMPACT_MAX_BANDS + 1];
    size_t n;
} levels;

static double level_upper(const levels *ls, size_t j)
{
    return j + 1 < ls->n ? ls->v[j + 1] : 1.0;
}

static void levels_add(levels *ls, double a)
{
    size_t i = 0, j, best;
    double best_w;

    if (!(a < 1.0))
        return;
    while (i < ls->n && ls->v[i] < a)
        i++;
    if (i < ls->n && ls->v[i] == a)
        return;
    memmove(&ls->v[i + 1], &ls->v[i], (ls->n - i) * sizeof(ls->v[0]));
    ls->v[i] = a;
    ls->n++;
    if (ls->n <= OSIM_IMPACT_MAX_BANDS)
        return;
    /* Too many: drop the level j >= 1 whose removal merges the two bands
     * around it into the narrowest band. The lowest level is never dropped:
     * it fixes who is affected at all. Ties go to the lowest j. */
    best = 1;
    best_w = INFINITY;
    for (j = 1; j < ls->n; j++) {
        double wj = level_upper(ls, j) - ls->v[j - 1];
        if (wj < best_w) {
            best_w = wj;
            best = j;
        }
    }
    memmove(&ls->v[best], &ls->v[best + 1], (ls->n - best - 1) * sizeof(ls->v[0]));
    ls->n--;
}

/* ----------------------------------------------------------------- bands */

/*
 * Bands whose outage histories have been the same so far have the same
 * state, bit for bit (the same additions in the same order), so they share
 * one: a group of consecutive bands [lo, next group's lo). Band j is out
 * when a < its upper end, and the upper ends ascend, so the bands out in a
 * span are those from some j0 up: a span splits at most the one group that
 * holds j0, and a long outage at one level costs one update per group, not
 * per band. longest_h and worst_day_h are maxima of running sums that only
 * grow while they run, so they are taken when a run or a day ends.
 */
typedef struct bgroup {
    size_t lo;
    double outage_h, lost_h, run_h, day_h, longest_h, worst_day_h;
} bgroup;

/* The first band out at availability a (ls->n if none): a < level_upper(j) from j0 up. */
static size_t first_out(const levels *ls, double a)
{
    size_t lo = 0, hi = ls->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a < level_upper(ls, mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/*
 * One pass over the walk filling nb = ls->n bands: band j is out while the
 * walked availability is below its upper end. prof_h/prof_w (may be NULL:
 * weight 1) weight lost_h by hour of day and weekday; lost_h is then
 * multiplied by lost_factor. Without profiles lost_h equals outage_h (each
 * term is 1 x dt), and is copied from it.
 */
static void bands_fill(const spans *rec, walk *w, const levels *ls, const double *prof_h,
                       const double *prof_w, double lost_factor, osim_band *out)
{
    bgroup g[OSIM_IMPACT_MAX_BANDS];
    bool weighted = prof_h != NULL || prof_w != NULL;
    long day = LONG_MIN;
    double last_a = NAN;
    size_t ng = 1, i0 = 0, zeroed = 0, n = rec->n, k, i, j;
    span_rec local[SPAN_CHUNK];
    const span_rec *v = rec->v;

    if (ls->n == 0)
        return;
    memset(&g[0], 0, sizeof(g[0]));
    /* The recorded spans, or (a walk longer than the record) the walk again. */
    for (;;) {
        if (!rec->full) {
            n = walk_fill(w, local, SPAN_CHUNK);
            v = local;
        }
        for (k = 0; k < n; k++) {
            const span_rec *sp = &v[k];
            double a = sp->a, dt = sp->dt, wdt = 0.0;
            if (weighted)
                wdt = (prof_h != NULL ? prof_h[sp->hod] : 1.0) *
                      (prof_w != NULL ? prof_w[sp->wd] : 1.0) * dt;
            if (sp->day != day) {
                day = sp->day;
                for (i = 0; i < ng; i++) {
                    if (g[i].day_h > g[i].worst_day_h)
                        g[i].worst_day_h = g[i].day_h;
                    g[i].day_h = 0.0;
                }
            }
            if (!(a == last_a)) {
                /* The group that starts at the first band out (split off if needed). */
                size_t j0 = first_out(ls, a);
                last_a = a;
                if (j0 == ls->n) {
                    i0 = ng;
                } else {
                    for (i0 = ng - 1; g[i0].lo > j0; i0--)
                        ;
                    if (g[i0].lo < j0) {
                        memmove(&g[i0 + 2], &g[i0 + 1], (ng - i0 - 1) * sizeof(g[0]));
                        g[i0 + 1] = g[i0];
                        g[i0 + 1].lo = j0;
                        ng++;
                        if (i0 < zeroed)
                            zeroed++;
                        i0++;
                    }
                }
            }
            /* Runs end for the groups below i0. Those below `zeroed` ended
             * before and are 0 (ending them again changes nothing). */
            for (i = zeroed; i < i0; i++) {
                if (g[i].run_h > g[i].longest_h)
                    g[i].longest_h = g[i].run_h;
                g[i].run_h = 0.0;
            }
            zeroed = i0;
            for (i = i0; i < ng; i++) {
                g[i].outage_h += dt;
                g[i].lost_h += wdt;
                g[i].run_h += dt;
                g[i].day_h += dt;
            }
        }
        if (rec->full || n < SPAN_CHUNK)
            break;
    }
    for (i = 0; i < ng; i++) {
        size_t hi = i + 1 < ng ? g[i + 1].lo : ls->n;
        if (g[i].run_h > g[i].longest_h)
            g[i].longest_h = g[i].run_h;
        if (g[i].day_h > g[i].worst_day_h)
            g[i].worst_day_h = g[i].day_h;
        for (j = g[i].lo; j < hi; j++) {
            out[j].share = level_upper(ls, j) - ls->v[j];
            out[j].outage_h = g[i].outage_h;
            out[j].longest_h = g[i].longest_h;
            out[j].worst_day_h = g[i].worst_day_h;
            out[j].lost_h = (weighted ? g[i].lost_h : g[i].outage_h) * lost_factor;
        }
    }
}

/* What one pass over a walk learns: the inputs of totals and of the bands. */
typedef struct pass1 {
    double min_a;  /* lowest availability seen */
    double down_h; /* integral of (1 - a) */
    double wdown;  /* integral of (1 - a) x prof_h[hour] x prof_w[weekday] */
    double wpeak;  /* max of (1 - a) x prof_h x prof_w */
    levels ls;
} pass1;

static void pass1_run(walk *w, const double *prof_h, const double *prof_w, pass1 *p, spans *rec)
{
    span_rec local[SPAN_CHUNK];
    double last_a = NAN;

    p->min_a = 1.0;
    p->down_h = p->wdown = p->wpeak = 0.0;
    p->ls.n = 0;
    rec->n = 0;
    rec->full = true;
    /* Spans go to the record while it has room, then through a small
     * buffer (and the record is no longer the whole walk). */
    for (;;) {
        size_t room = rec->cap - rec->n, n, k;
        span_rec *v;
        if (rec->full && room > 0) {
            v = rec->v + rec->n;
            n = walk_fill(w, v, room);
            rec->n += n;
        } else {
            v = local;
            room = SPAN_CHUNK;
            n = walk_fill(w, local, room);
            if (n > 0)
                rec->full = false;
        }
        for (k = 0; k < n; k++) {
            double a = v[k].a, dt = v[k].dt;
            double f = (1.0 - a) * prof_h[v[k].hod] * prof_w[v[k].wd];
            if (a < p->min_a)
                p->min_a = a;
            p->down_h += (1.0 - a) * dt;
            p->wdown += f * dt;
            if (f > p->wpeak)
                p->wpeak = f;
            /* Adding the level just added again changes nothing (it is there,
             * or was merged away and would be again): once per run of spans. */
            if (!(a == last_a)) {
                levels_add(&p->ls, a);
                last_a = a;
            }
        }
        if (n < room)
            break;
    }
}

/* ------------------------------------------------------------- lifecycle */

static bool profile_ok(const double *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!(p[i] >= 0.0) || !isfinite(p[i]))
            return false;
    return true;
}

static bool fraction_ok(double x)
{
    return x >= 0.0 && x <= 1.0;
}

/* The scenario facts compute relies on; the loader should have checked them. */
static int scenario_check(const osim_scenario *sc)
{
    size_t g, k;

    if (!(sc->start_hour >= 0.0 && sc->start_hour < 24.0) || sc->start_weekday < 0 ||
        sc->start_weekday > 6 || !(sc->horizon_h > 0.0) || !isfinite(sc->horizon_h))
        return OSIM_EINVAL;
    if (!(sc->population.users >= 0.0) || !profile_ok(sc->population.hourly, 24) ||
        !profile_ok(sc->population.weekly, 7))
        return OSIM_EINVAL;
    for (k = 0; k < sc->services_count; k++)
        if (!fraction_ok(sc->services[k].user_share) || !(sc->services[k].subscribers >= 0.0))
            return OSIM_EINVAL;
    for (g = 0; g < sc->segments_count; g++) {
        const osim_segment *s = &sc->segments[g];
        if (!(s->count >= 0.0) || !fraction_ok(s->substitution) || !fraction_ok(s->deferred) ||
            s->substitution + s->deferred > 1.0 + 1e-12 || !fraction_ok(s->margin) ||
            !fraction_ok(s->claim_rate) || !profile_ok(s->hourly_profile, 24) ||
            !profile_ok(s->weekly_profile, 7))
            return OSIM_EINVAL;
        for (k = 0; k < s->deps_count; k++)
            if (s->deps[k] >= sc->services_count)
                return OSIM_EINVAL;
    }
    /* Groups the loader checked (a service in two groups: osim__populations_new). */
    for (g = 0; g < sc->populations_count; g++) {
        const osim_population_group *pg = &sc->populations[g];
        double sum = 0.0;
        if ((pg->services == NULL && pg->services_count > 0) ||
            (pg->overlap != OSIM_OVERLAP_INDEPENDENT && pg->overlap != OSIM_OVERLAP_DISJOINT &&
             pg->overlap != OSIM_OVERLAP_NESTED))
            return OSIM_EINVAL;
        for (k = 0; k < pg->services_count; k++) {
            if (pg->services[k] >= sc->services_count)
                return OSIM_EINVAL;
            sum += sc->services[pg->services[k]].user_share;
            if (pg->overlap == OSIM_OVERLAP_NESTED && k > 0 &&
                sc->services[pg->services[k]].user_share >
                    sc->services[pg->services[k - 1]].user_share + 1e-12)
                return OSIM_EINVAL;
        }
        if (pg->overlap == OSIM_OVERLAP_DISJOINT && sum > 1.0 + 1e-12)
            return OSIM_EINVAL;
    }
    return 0;
}

int osim_impact_new(const osim_scenario *sc, osim_impact **out)
{
    impact_priv *p = NULL;
    size_t n, ncur, g, k;
    int rc;

    if (sc == NULL || out == NULL)
        return OSIM_EINVAL;
    rc = scenario_check(sc);
    if (rc != 0)
        return rc;
    n = sc->services_count;
    ncur = n;
    for (g = 0; g < sc->segments_count; g++)
        if (sc->segments[g].deps_count > ncur)
            ncur = sc->segments[g].deps_count;
    p = calloc(1, sizeof(*p));
    if (p == NULL)
        goto fail;
    p->pub.sc = sc;
    p->pub.services = calloc(n ? n : 1, sizeof(*p->pub.services));
    p->pub.segments = calloc(sc->segments_count ? sc->segments_count : 1, sizeof(*p->pub.segments));
    p->cur = calloc(ncur ? ncur : 1, sizeof(*p->cur));
    p->tls = calloc(ncur ? ncur : 1, sizeof(*p->tls));
    /* One span per hour of horizon and some breakpoints; more are walked again. */
    p->rec_cap = sc->horizon_h < 65536.0 ? (size_t)ceil(sc->horizon_h) + 256 : 65536 + 256;
    p->rec = calloc(p->rec_cap, sizeof(*p->rec));
    p->all = calloc(n ? n : 1, sizeof(*p->all));
    p->min_avail = calloc(n ? n : 1, sizeof(*p->min_avail));
    p->many = calloc(1, sizeof(*p->many));
    if (p->pub.services == NULL || p->pub.segments == NULL || p->cur == NULL || p->tls == NULL ||
        p->rec == NULL || p->all == NULL || p->min_avail == NULL || p->many == NULL)
        goto fail;
    p->many->heap = calloc(n ? n : 1, sizeof(*p->many->heap));
    p->many->fac = calloc(n ? n : 1, sizeof(*p->many->fac));
    p->many->pre = calloc(n ? n : 1, sizeof(*p->many->pre));
    p->many->act = calloc((n + 63) / 64 + 1, sizeof(*p->many->act));
    if (p->many->heap == NULL || p->many->fac == NULL || p->many->pre == NULL ||
        p->many->act == NULL)
        goto fail;
    rc = osim__populations_new(sc, &p->pops);
    if (rc == OSIM_EINVAL) {
        osim_impact_free(&p->pub);
        return rc;
    }
    if (rc != 0)
        goto fail;
    for (k = 0; k < n; k++)
        p->all[k] = k;
    for (g = 0; g < sc->segments_count; g++)
        p->pub.segments[g].seg = &sc->segments[g];
    *out = &p->pub;
    return 0;
fail:
    osim_impact_free(p != NULL ? &p->pub : NULL);
    return OSIM_ENOMEM;
}

void osim_impact_free(osim_impact *im)
{
    impact_priv *p = (impact_priv *)im;

    if (p == NULL)
        return;
    osim__populations_free(p->pops);
    if (p->many != NULL) {
        free(p->many->act);
        free(p->many->pre);
        free(p->many->fac);
        free(p->many->heap);
        free(p->many);
    }
    free(p->min_avail);
    free(p->all);
    free(p->rec);
    free(p->tls);
    free(p->cur);
    free(p->pub.segments);
    free(p->pub.services);
    free(p);
}

/* -------------------------------------------------------------- compute */

static int timeline_check(const osim_timeline *tl)
{
    size_t i;

    if (tl->count == 0)
        return 0; /* never out */
    if (tl->t_h == NULL || tl->avail == NULL || tl->t_h[0] != 0.0)
        return OSIM_EINVAL;
    for (i = 0; i < tl->count; i++) {
        if (!fraction_ok(tl->avail[i]) || !isfinite(tl->t_h[i]))
            return OSIM_EINVAL;
        if (i > 0 && tl->t_h[i] < tl->t_h[i - 1])
            return OSIM_EINVAL;
    }
    return 0;
}

/*
 * Claimants among n affected businesses, each filing with probability p:
 * Binomial(n, p), drawn in O(1). GSL takes n as unsigned int; above that
 * (over 4 billion affected businesses) the binomial is replaced by a Poisson
 * approximation when n p or n (1 - p) is below 1000 (then p or 1 - p is
 * below 2.5e-7, so the variances differ by that relative amount) and by a
 * rounded normal otherwise (the variance is then at least 500 and the
 * binomial's skewness below 0.045).
 */
static double draw_claimants(gsl_rng *rng, double n, double p)
{
    double m, v, x;

    if (n <= 0.0 || p <= 0.0)
        return 0.0;
    if (p >= 1.0)
        return n;
    if (rng == NULL)
        return n * p;
    if (n <= (double)UINT_MAX)
        return (double)gsl_ran_binomial(rng, p, (unsigned int)n);
    m = n * p;
    v = m * (1.0 - p);
    if (m < 1000.0)
        return (double)gsl_ran_poisson(rng, m);
    if (n - m < 1000.0)
        return n - (double)gsl_ran_poisson(rng, n - m);
    x = nearbyint(m + gsl_ran_gaussian(rng, sqrt(v)));
    return x < 0.0 ? 0.0 : (x > n ? n : x);
}

static void service_compute(impact_priv *p, size_t s)
{
    const osim_scenario *sc = p->pub.sc;
    const osim_service *sv = &sc->services[s];
    osim_service_impact *si = &p->pub.services[s];
    double users_s = sc->population.users * sv->user_share;
    spans rec = {p->rec, 0, p->rec_cap, false};
    pass1 r;
    walk w;

    walk_init(&w, sc, p->pub.replay, &p->all[s], 1, p->cur, p->tls, NULL);
    pass1_run(&w, sc->population.hourly, sc->population.weekly, &r, &rec);
    p->min_avail[s] = r.min_a;
    si->user_hours_lost = users_s * r.wdown;
    si->peak_affected = users_s * r.wpeak;
    si->affected = users_s * (1.0 - r.min_a);
    si->subscriber_hours_lost = sv->paid ? sv->subscribers * r.down_h : 0.0;
    if (!rec.full)
        walk_init(&w, sc, p->pub.replay, &p->all[s], 1, p->cur, p->tls, NULL);
    bands_fill(&rec, &w, &r.ls, NULL, NULL, 1.0, si->bands);
    si->bands_count = r.ls.n;
}

static void distinct_compute(impact_priv *p)
{
    const osim_scenario *sc = p->pub.sc;
    const osim_population *pop = &sc->population;
    double uh = 0.0, peak = 0.0, never = 1.0;
    span_rec v[SPAN_CHUNK];
    size_t s, n, k;
    walk w;

    /* The walk's a is the share served, prod_s (1 - share_s (1 - a_s)). */
    walk_init(&w, sc, p->pub.replay, p->all, sc->services_count, p->cur, p->tls, sc->services);
    /* With few services a scan of them all is cheaper than the heap;
     * populations always take the heap (their folds are kept in trees). */
    p->many->pops = p->pops;
    if (sc->services_count >= MANY_MIN_SERVICES || p->pops != NULL)
        many_init(&w, p->many);
    do {
        n = walk_fill(&w, v, SPAN_CHUNK);
        for (k = 0; k < n; k++) {
            double f = 1.0 - v[k].a;
            double active = pop->users * pop->hourly[v[k].hod] * pop->weekly[v[k].wd];
            uh += active * f * v[k].dt;
            if (active * f > peak)
                peak = active * f;
        }
    } while (n == SPAN_CHUNK);
    if (p->pops != NULL) {
        /* The same folds, at each service's lowest availability. */
        osim__populations_load(p->pops, p->min_avail);
        never = 1.0 - osim__populations_out(p->pops);
    } else {
        for (s = 0; s < sc->services_count; s++)
            never *= 1.0 - sc->services[s].user_share * (1.0 - p->min_avail[s]);
    }
    p->pub.user_hours_lost = uh;
    p->pub.peak_affected = peak;
    p->pub.distinct_affected = pop->users * (1.0 - never);
}

static void segment_compute(impact_priv *p, size_t g, gsl_rng *rng)
{
    const osim_scenario *sc = p->pub.sc;
    const osim_segment *seg = &sc->segments[g];
    osim_segment_impact *si = &p->pub.segments[g];
    double keep = 1.0 - seg->substitution - seg->deferred;
    double out_share;
    spans rec = {p->rec, 0, p->rec_cap, false};
    size_t b;
    pass1 r;
    walk w;

    if (keep < 0.0)
        keep = 0.0; /* substitution + deferred may exceed 1 by rounding */
    walk_init(&w, sc, p->pub.replay, seg->deps, seg->deps_count, p->cur, p->tls, NULL);
    pass1_run(&w, seg->hourly_profile, seg->weekly_profile, &r, &rec);
    out_share = 1.0 - r.min_a;
    si->seg = seg;
    si->affected = seg->count * out_share;
    si->revenue_loss_krw =
        seg->count * osim__dist_drawn_mean(&seg->hourly_revenue_krw) * keep * r.wdown;
    si->lost_profit_krw = si->revenue_loss_krw * seg->margin;
    si->claimants = draw_claimants(rng, nearbyint(si->affected), seg->claim_rate);
    si->bands_count = 0;
    if (!(out_share > 0.0))
        return;
    if (!rec.full)
        walk_init(&w, sc, p->pub.replay, seg->deps, seg->deps_count, p->cur, p->tls, NULL);
    bands_fill(&rec, &w, &r.ls, seg->hourly_profile, seg->weekly_profile, keep, si->bands);
    si->bands_count = r.ls.n;
    /* A segment's bands describe its affected businesses: shares sum to 1. */
    for (b = 0; b < si->bands_count; b++)
        si->bands[b].share /= out_share;
}

int osim_impact_compute(osim_impact *im, const osim_replay_result *replay, gsl_rng *rng)
{
    impact_priv *p = (impact_priv *)im;
    const osim_scenario *sc;
    size_t s, g;
    int rc;

    if (im == NULL || replay == NULL)
        return OSIM_EINVAL;
    sc = im->sc;
    if (replay->services_count != sc->services_count || replay->services == NULL ||
        !(replay->horizon_h > 0.0) ||
        fabs(replay->horizon_h - sc->horizon_h) > 1e-9 * sc->horizon_h)
        return OSIM_EINVAL;
    for (s = 0; s < sc->services_count; s++) {
        rc = timeline_check(&replay->services[s].tl);
        if (rc != 0)
            return rc;
    }
    im->replay = replay;
    for (s = 0; s < sc->services_count; s++)
        service_compute(p, s);
    distinct_compute(p);
    im->sb_affected = im->sb_revenue_loss_krw = im->sb_lost_profit_krw = im->sb_claimants = 0.0;
    for (g = 0; g < sc->segments_count; g++) {
        segment_compute(p, g, rng);
        im->sb_affected += im->segments[g].affected;
        im->sb_revenue_loss_krw += im->segments[g].revenue_loss_krw;
        im->sb_lost_profit_krw += im->segments[g].lost_profit_krw;
        im->sb_claimants += im->segments[g].claimants;
    }
    return 0;
}
