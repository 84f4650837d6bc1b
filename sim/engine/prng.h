/*
 * prng.h - the project's own seeded PRNG: splitmix64 to expand a seed,
 * xoshiro256** for the stream.  Integer API only; no floats in decisions.
 * One 64-bit seed reproduces a whole run; components derive sub-seeds with
 * sim_prng_fork so that adding draws in one does not shift another.
 */
#ifndef NFRACE_PRNG_H
#define NFRACE_PRNG_H

#include <stdint.h>

struct sim_prng {
	uint64_t s[4];
};

/* sim_splitmix64 - advance *state and return the next splitmix64 output. */
uint64_t sim_splitmix64(uint64_t *state);

/* sim_prng_seed - initialise p from seed (any value, 0 included). */
void sim_prng_seed(struct sim_prng *p, uint64_t seed);

/* sim_prng_next - the next 64 random bits. */
uint64_t sim_prng_next(struct sim_prng *p);

/* sim_prng_below - uniform in [0, bound), bound >= 1, without modulo bias. */
uint64_t sim_prng_below(struct sim_prng *p, uint64_t bound);

/* sim_prng_fork - a generator for sub-component `stream`, independent of p's
 * later draws; p itself is not advanced. */
void sim_prng_fork(const struct sim_prng *p, uint64_t stream, struct sim_prng *out);

#endif /* NFRACE_PRNG_H */
