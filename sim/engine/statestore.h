/*
 * statestore.h - the exact sets behind the state-caching explorer
 * (stateful.c; engine-private).
 *
 * Collapse compression, as in SPIN's COLLAPSE mode: a state is a short
 * vector of ids, one for the world, one for the signalled flags and one per
 * actor, each id naming a byte string kept once in an interning table.  Two
 * states are the same state exactly when their vectors are equal, and two
 * vectors are equal exactly when the byte strings behind them are: nothing
 * is hashed away, so no two different states are ever merged (the hashes
 * only find candidates; memcmp decides).
 *
 * Every table counts the bytes it holds (store_bytes), for --max-memory.
 */
#ifndef NFRACE_STATESTORE_H
#define NFRACE_STATESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* store_hash - the hash the tables use (64 bits, four multiply lanes). */
uint64_t store_hash(const void *p, size_t n);

/* store_grown - the capacity after cap (elements or bytes; first when cap
 * is 0): half as much again, so that a table holds at most a third more
 * than it uses. */
static inline size_t store_grown(size_t cap, size_t first)
{
	return cap ? cap + cap / 2 : first;
}

/* struct store_budget - the bytes that the tables sharing it may hold
 * together (max 0: no limit).  A table that would grow past it refuses the
 * element that needs the room (as when out of memory), so a bound is never
 * overshot by a doubling. */
struct store_budget {
	size_t max, held;
};

/* struct intern - byte strings of any length, each kept once, with dense ids. */
struct intern {
	struct store_budget *budget; /* may be NULL */
	unsigned char *arena;
	size_t alen, acap;
	uint64_t *off;   /* per id: where its bytes are in arena (its length is the 4 bytes before) */
	uint32_t count, cap;
	uint64_t *slots; /* open addressing: hash32 << 32 | (arena offset / 8 + 1); 0 is free */
	size_t nslots;
};

/* intern_add - the id of the n bytes at p, added if new (*fresh then true).
 * Returns UINT32_MAX when out of memory (nothing added). */
uint32_t intern_add(struct intern *t, const void *p, size_t n, bool *fresh);

/* intern_hash - the hash intern_add files the n bytes at p under; with
 * intern_prefetch(t, h) the slot it will probe first starts loading, and
 * intern_add_hashed(t, p, n, h, fresh) is intern_add with the hash given
 * (so that several lookups' memory loads overlap). */
static inline uint32_t intern_hash(const void *p, size_t n)
{
	return (uint32_t)(store_hash(p, n) >> 32);
}

static inline void intern_prefetch(const struct intern *t, uint32_t h)
{
	if (t->nslots)
		__builtin_prefetch(&t->slots[h & (t->nslots - 1)]);
}

uint32_t intern_add_hashed(struct intern *t, const void *p, size_t n, uint32_t h32, bool *fresh);

/* intern_bytes - the bytes of id (intern_len of them). */
static inline const unsigned char *intern_bytes(const struct intern *t, uint32_t id)
{
	return t->arena + t->off[id];
}

static inline uint32_t intern_len(const struct intern *t, uint32_t id)
{
	uint32_t n;
	__builtin_memcpy(&n, t->arena + t->off[id] - sizeof(n), sizeof(n));
	return n;
}

/* intern_bytes_held - memory the table holds. */
size_t intern_bytes_held(const struct intern *t);

void intern_free(struct intern *t);

/* struct vecset - vectors of `width` uint32, each kept once, dense ids.
 * With keyw (0 < keyw < width) only the first keyw words are the key (hashed
 * and compared): the rest is data filed with it, written when the key is
 * added and never compared. */
struct vecset {
	uint32_t width, keyw; /* keyw 0: the whole vector is the key */
	struct store_budget *budget; /* may be NULL */
	uint32_t *vec;   /* count * width */
	uint32_t count, cap;
	uint64_t *slots; /* hash32 << 32 | (id + 1); 0 is free */
	size_t nslots;
};

/* vecset_add - the id of vector v (width entries), added if new.
 * UINT32_MAX when out of memory. */
uint32_t vecset_add(struct vecset *s, const uint32_t *v, bool *fresh);

/* vecset_add_hashed - vecset_add with the caller's hash of v: any function
 * of what v stands for (equal vectors must get equal hashes; the hash only
 * picks the slots probed, memcmp decides).  vecset_prefetch starts loading
 * the first slot it probes. */
uint32_t vecset_add_hashed(struct vecset *s, const uint32_t *v, uint32_t h32, bool *fresh);

/* vecset_find_hashed - the id of vector v (hashed as for vecset_add_hashed)
 * if the set holds it, else UINT32_MAX; adds nothing. */
uint32_t vecset_find_hashed(const struct vecset *s, const uint32_t *v, uint32_t h32);

static inline void vecset_prefetch(const struct vecset *s, uint32_t h)
{
	if (s->nslots)
		__builtin_prefetch(&s->slots[h & (s->nslots - 1)]);
}

size_t vecset_bytes_held(const struct vecset *s);
void vecset_free(struct vecset *s);


#endif /* NFRACE_STATESTORE_H */
