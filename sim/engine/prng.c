/*
 * prng.c - splitmix64 and xoshiro256** (Blackman and Vigna), written from the
 * published definitions.  Golden sequences are pinned in tests/engine/test_prng.c.
 */
#include "prng.h"

#include <assert.h>

uint64_t sim_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void sim_prng_seed(struct sim_prng *p, uint64_t seed)
{
	uint64_t st = seed;
	for (int i = 0; i < 4; i++)
		p->s[i] = sim_splitmix64(&st);
	assert(p->s[0] | p->s[1] | p->s[2] | p->s[3]);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sim_prng_next(struct sim_prng *p)
{
	uint64_t *s = p->s;
	const uint64_t result = rotl(s[1] * 5, 7) * 9;
	const uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t sim_prng_below(struct sim_prng *p, uint64_t bound)
{
	assert(bound >= 1);
	uint64_t threshold = (0 - bound) % bound; /* 2^64 mod bound */
	for (;;) {
		uint64_t r = sim_prng_next(p);
		if (r >= threshold)
			return r % bound;
	}
}

void sim_prng_fork(const struct sim_prng *p, uint64_t stream, struct sim_prng *out)
{
	uint64_t st = p->s[0] ^ rotl(p->s[2], 17) ^ (stream * 0xd1342543de82ef95ull);
	for (int i = 0; i < 4; i++)
		out->s[i] = sim_splitmix64(&st);
}
