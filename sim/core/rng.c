/*
 * rng.c -- xoshiro256** as a GSL generator type, and stream-seed derivation.
 *
 * Invariant: a stream's state is a pure function of its 64-bit seed, and a
 * stream seed is a pure function of (master seed, replication, name, index).
 * Nothing here reads the clock or the environment (GSL_RNG_SEED is ignored
 * on purpose: gsl_rng_env_setup is never called).
 */
#include "outagesim/rng.h"

#include <string.h>

typedef struct xoshiro_state {
    uint64_t s[4];
} xoshiro_state;

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t osim_rng_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void xoshiro_set(void *vstate, unsigned long seed)
{
    xoshiro_state *st = vstate;
    uint64_t x = (uint64_t)seed;
    int i;

    /* splitmix64 output never gives an all-zero state from distinct steps. */
    for (i = 0; i < 4; i++) {
        x += 0x9e3779b97f4a7c15ULL;
        st->s[i] = osim_rng_mix(x - 0x9e3779b97f4a7c15ULL);
    }
}

/* GSL generators return values in [min, max]; we give the top 32 bits. */
static unsigned long xoshiro_get(void *vstate)
{
    return (unsigned long)(xoshiro_next(vstate) >> 32);
}

/* A double in [0, 1) from the top 53 bits. */
static double xoshiro_get_double(void *vstate)
{
    return (double)(xoshiro_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "osim-xoshiro256**", 0xffffffffUL,       0, sizeof(xoshiro_state), xoshiro_set,
    xoshiro_get,         xoshiro_get_double,
};

const gsl_rng_type *const osim_rng_xoshiro256ss = &xoshiro_type;

uint64_t osim_rng_name_hash(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *name != '\0'; name++) {
        h ^= (unsigned char)*name;
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t osim_rng_stream_seed_h(uint64_t seed, uint64_t rep, uint64_t name_hash, uint64_t index)
{
    uint64_t x = osim_rng_mix(seed);

    x = osim_rng_mix(x ^ rep);
    x = osim_rng_mix(x ^ name_hash);
    return osim_rng_mix(x ^ index);
}

uint64_t osim_rng_stream_seed(uint64_t seed, uint64_t rep, const char *name)
{
    return osim_rng_stream_seed_h(seed, rep, osim_rng_name_hash(name), 0);
}

gsl_rng *osim_rng_new(void)
{
    return gsl_rng_alloc(osim_rng_xoshiro256ss);
}

void osim_rng_seed(gsl_rng *r, uint64_t seed64)
{
    /* GSL passes seeds as unsigned long: where that is 32 bits, seeds would collide. */
    _Static_assert(sizeof(unsigned long) >= sizeof(uint64_t), "unsigned long must hold 64 bits");
    gsl_rng_set(r, (unsigned long)seed64);
}

void osim_rng_local_init(osim_rng_local *l, uint64_t seed64)
{
    /* The state array is exactly xoshiro_state; checked at compile time. */
    _Static_assert(sizeof(l->state) == sizeof(xoshiro_state), "osim_rng_local state size");
    l->r.type = osim_rng_xoshiro256ss;
    l->r.state = l->state;
    osim_rng_seed(&l->r, seed64);
}
