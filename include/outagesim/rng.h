/*
 * rng.h -- named, seedable random streams over GSL.
 *
 * Reproducibility rests on one rule: every random draw comes from a stream
 * whose seed is a pure function of (master seed, replication index, stream
 * name). A stream's draws therefore never depend on thread count, on which
 * thread ran a replication, or on how many other streams exist. Using the
 * same stream name for the incident under every topology gives common random
 * numbers: the fire does not know which design you chose.
 *
 * Streams are gsl_rng objects, so every gsl_ran_* distribution works on
 * them. The generator is GSL's own interface over xoshiro256** (Blackman and
 * Vigna, 2018), registered as a gsl_rng_type: GSL's built-in generators
 * take 32-bit seeds, and with a million replications times a dozen streams
 * a 32-bit seed space would make streams collide. xoshiro256** takes the
 * full 64 bits, seeds in a few nanoseconds (splitmix64), and passes BigCrush.
 */
#ifndef OUTAGESIM_RNG_H
#define OUTAGESIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The GSL generator type used for every stream. Stateless, shareable. */
extern const gsl_rng_type *const osim_rng_xoshiro256ss;

/* splitmix64: a bijective 64-bit mixer, used to derive seeds. */
uint64_t osim_rng_mix(uint64_t x);

/* FNV-1a hash of a stream name, for use in osim_rng_stream_seed. */
uint64_t osim_rng_name_hash(const char *name);

/*
 * The 64-bit seed of stream `name` of replication `rep` under master `seed`.
 * A pure function: the contract behind reproducibility and CRN.
 */
uint64_t osim_rng_stream_seed(uint64_t seed, uint64_t rep, const char *name);

/* Same, with the name already hashed (for hot loops) and an extra index (e.g. a service). */
uint64_t osim_rng_stream_seed_h(uint64_t seed, uint64_t rep, uint64_t name_hash, uint64_t index);

/* Allocate a stream (gsl_rng_alloc with our type). NULL when out of memory. */
gsl_rng *osim_rng_new(void);

/* Reseed r with a 64-bit seed (all 64 bits are used). */
void osim_rng_seed(gsl_rng *r, uint64_t seed64);

/*
 * A stream that lives on the stack or inside another struct: no allocation,
 * for the hot path where a replication reseeds dozens of short streams.
 * Use &l->r wherever a gsl_rng * is wanted.
 */
typedef struct osim_rng_local {
    gsl_rng r;
    uint64_t state[4];
} osim_rng_local;

/* Point l->r at l's own state and seed it. */
void osim_rng_local_init(osim_rng_local *l, uint64_t seed64);

#endif
