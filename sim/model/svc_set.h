/*
 * svc_set.h -- internal to the replay: a set of services as bit words.
 * Inline: an event's cost in the replay is a few of these calls.
 */
#ifndef OUTAGESIM_MODEL_SVC_SET_H
#define OUTAGESIM_MODEL_SVC_SET_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * A set of services as bit words, and the words that may hold members
 * (lo .. hi-1; empty when lo >= hi), so that taking the members of a set
 * visits the words an event marked rather than every word: an event's cost
 * does not grow with the number of services.
 */
typedef struct svc_set {
    uint64_t *w;
    size_t lo, hi;
} svc_set;

/* Sets of services (svc_set): mark, and take the lowest member. */
static inline void set_add(svc_set *set, size_t i)
{
    size_t w = i / 64;

    set->w[w] |= (uint64_t)1 << (i % 64);
    if (w < set->lo)
        set->lo = w;
    if (w >= set->hi)
        set->hi = w + 1;
}

/* Index of the lowest set bit of b != 0 (de Bruijn: portable C, no builtin). */
static inline unsigned lowest_bit(uint64_t b)
{
    static const unsigned char pos[64] = {
        0,  1,  48, 2,  57, 49, 28, 3,  61, 58, 50, 42, 38, 29, 17, 4,  62, 55, 59, 36, 53, 51,
        43, 22, 45, 39, 33, 30, 24, 18, 12, 5,  63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21,
        44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,  13, 8,  7,  6};

    return pos[((b & (~b + 1)) * UINT64_C(0x03f79d71b4cb0a89)) >> 58];
}

/* Remove and return the lowest member of word w of set (which must be non-empty). */
static inline size_t set_take(svc_set *set, size_t w)
{
    uint64_t b = set->w[w];

    set->w[w] = b & (b - 1);
    return w * 64 + lowest_bit(b);
}

/* Every word lo .. hi-1 was taken empty: the set is empty. */
static inline void set_emptied(svc_set *set)
{
    set->lo = SIZE_MAX;
    set->hi = 0;
}

static inline void set_fill(svc_set *set, size_t nwords, size_t n)
{
    size_t i;

    memset(set->w, 0, nwords * sizeof(*set->w));
    set_emptied(set);
    for (i = 0; i < n; i++)
        set_add(set, i);
}

#endif
