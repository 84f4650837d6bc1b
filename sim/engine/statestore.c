/*
 * statestore.c - interning tables and vector sets for the state-caching
 * explorer (statestore.h).  Open addressing with linear probing at a load
 * of at most one half; a slot keeps 32 bits of the hash beside where the
 * entry is, so most probes that miss never touch the stored bytes.
 */
#include "statestore.h"

#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

/* The 128-bit product of a and b folded to 64 bits (as wyhash's mum). */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
	u128 r = (u128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* Four independent lanes over 64-byte blocks, each folding 16 bytes into its
 * state with one 64x64->128 multiplication (the multiplications do not wait
 * for each other), then 16-byte and shorter tails, folded at the end. */
uint64_t store_hash(const void *p, size_t n)
{
	static const uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull,
			      k3 = 0x589965cc75374cc3ull;
	const unsigned char *b = p;
	uint64_t s0 = k0 ^ n, s1 = k1, s2 = k2, s3 = k3;
	size_t i = 0;
	for (; i + 64 <= n; i += 64) {
		s0 = mum(rd64(b + i) ^ s0, rd64(b + i + 8) ^ k1);
		s1 = mum(rd64(b + i + 16) ^ s1, rd64(b + i + 24) ^ k2);
		s2 = mum(rd64(b + i + 32) ^ s2, rd64(b + i + 40) ^ k3);
		s3 = mum(rd64(b + i + 48) ^ s3, rd64(b + i + 56) ^ k0);
	}
	for (; i + 16 <= n; i += 16)
		s0 = mum(rd64(b + i) ^ s0, rd64(b + i + 8) ^ k1);
	uint64_t a = 0, c = 0;
	if (i + 8 <= n) {
		a = rd64(b + i);
		i += 8;
	}
	for (; i < n; i++)
		c = (c << 8) | b[i];
	s0 = mum(a ^ s0, c ^ k2);
	uint64_t h = mum(s0 ^ s1 ^ k3, s2 ^ s3 ^ k0 ^ n);
	return mum(h ^ k1, h ^ k2);
}

/* Take n more bytes of budget b (NULL: no budget); false if that would pass
 * its max.  budget_give returns them. */
static bool budget_take(struct store_budget *b, size_t n)
{
	if (!b)
		return true;
	if (b->max && b->held + n > b->max)
		return false;
	b->held += n;
	return true;
}

static void budget_give(struct store_budget *b, size_t n)
{
	if (b)
		b->held -= n;
}

/* Double the slot array (or make the first one) and re-insert every slot
 * by the hash it keeps; false when out of memory or budget (the table is
 * unchanged). */
static bool grow_slots(struct store_budget *b, uint64_t **slots, size_t *nslots)
{
	size_t ns = *nslots ? *nslots * 2 : 1024;
	if (!budget_take(b, (ns - *nslots) * sizeof(uint64_t)))
		return false;
	uint64_t *sl = calloc(ns, sizeof(uint64_t));
	if (!sl) {
		budget_give(b, (ns - *nslots) * sizeof(uint64_t));
		return false;
	}
	for (size_t i = 0; i < *nslots; i++) {
		uint64_t v = (*slots)[i];
		if (!v)
			continue;
		size_t k = (v >> 32) & (ns - 1);
		while (sl[k])
			k = (k + 1) & (ns - 1);
		sl[k] = v;
	}
	free(*slots);
	*slots = sl;
	*nslots = ns;
	return true;
}

/* Whether a table of nslots slots holding count elements must grow before
 * it takes one more: it is kept at most three quarters full (linear probing
 * with the hash's top half kept in the slot, so a probe past a slot of
 * another hash costs no load of the element). */
static bool full(uint32_t count, size_t nslots)
{
	return 4 * ((size_t)count + 1) > 3 * nslots;
}

/* Make room for one more element in an array of cap elements of e bytes;
 * false when out of memory (the array is unchanged). */
static bool grow_ids(struct store_budget *b, uint32_t *cap, void **a, size_t e)
{
	size_t g = store_grown(*cap, 1024);
	if (g > UINT32_MAX)
		return false;
	uint32_t c = (uint32_t)g;
	if (!budget_take(b, (size_t)(c - *cap) * e))
		return false;
	void *na = realloc(*a, (size_t)c * e);
	if (!na) {
		budget_give(b, (size_t)(c - *cap) * e);
		return false;
	}
	*a = na;
	*cap = c;
	return true;
}

uint32_t intern_add(struct intern *t, const void *p, size_t n, bool *fresh)
{
	return intern_add_hashed(t, p, n, intern_hash(p, n), fresh);
}

/* An entry of the arena: its id and length, then its bytes, at an offset
 * that is a multiple of 8.  A slot keeps that offset / 8 + 1 beside the
 * hash, so a probe reads the slot, then the entry: two loads, not three. */
struct entry_head {
	uint32_t id, len;
};

uint32_t intern_add_hashed(struct intern *t, const void *p, size_t n, uint32_t h32, bool *fresh)
{
	*fresh = false;
	if (full(t->count, t->nslots) && !grow_slots(t->budget, &t->slots, &t->nslots))
		return UINT32_MAX;
	size_t mask = t->nslots - 1, k;
	for (k = h32 & mask; t->slots[k]; k = (k + 1) & mask) {
		uint64_t v = t->slots[k];
		if ((uint32_t)(v >> 32) != h32)
			continue;
		const unsigned char *e = t->arena + ((size_t)(uint32_t)v - 1) * 8;
		struct entry_head eh;
		memcpy(&eh, e, sizeof(eh));
		if (eh.len == n && (n == 0 || memcmp(e + sizeof(eh), p, n) == 0))
			return eh.id;
	}
	if (t->count == t->cap && !grow_ids(t->budget, &t->cap, (void **)&t->off, sizeof(uint64_t)))
		return UINT32_MAX;
	size_t need = (sizeof(struct entry_head) + n + 7) & ~(size_t)7;
	if ((t->alen + need) / 8 >= UINT32_MAX)
		return UINT32_MAX; /* past what a slot can name: 32 GiB */
	if (t->alen + need > t->acap) {
		size_t c = store_grown(t->acap, 1 << 16);
		while (c < t->alen + need)
			c = store_grown(c, 0);
		if (!budget_take(t->budget, c - t->acap))
			return UINT32_MAX;
		unsigned char *a = realloc(t->arena, c);
		if (!a) {
			budget_give(t->budget, c - t->acap);
			return UINT32_MAX;
		}
		t->arena = a;
		t->acap = c;
	}
	uint32_t id = t->count++;
	struct entry_head eh = {id, (uint32_t)n};
	memcpy(t->arena + t->alen, &eh, sizeof(eh));
	if (n) /* p may be NULL for an empty vector */
		memcpy(t->arena + t->alen + sizeof(eh), p, n);
	t->off[id] = t->alen + sizeof(eh);
	t->slots[k] = ((uint64_t)h32 << 32) | (t->alen / 8 + 1u);
	t->alen += need;
	*fresh = true;
	return id;
}

size_t intern_bytes_held(const struct intern *t)
{
	return t->acap + (size_t)t->cap * sizeof(uint64_t) + t->nslots * sizeof(uint64_t);
}

void intern_free(struct intern *t)
{
	budget_give(t->budget, intern_bytes_held(t));
	struct store_budget *b = t->budget;
	free(t->arena);
	free(t->off);
	free(t->slots);
	memset(t, 0, sizeof(*t));
	t->budget = b;
}

/* The bytes of a vector that are its key. */
static size_t key_bytes(const struct vecset *s)
{
	return (s->keyw ? s->keyw : s->width) * sizeof(uint32_t);
}

uint32_t vecset_add(struct vecset *s, const uint32_t *v, bool *fresh)
{
	return vecset_add_hashed(s, v, (uint32_t)(store_hash(v, key_bytes(s)) >> 32), fresh);
}

uint32_t vecset_add_hashed(struct vecset *s, const uint32_t *v, uint32_t h32, bool *fresh)
{
	size_t bytes = key_bytes(s), all = s->width * sizeof(uint32_t);
	*fresh = false;
	if (full(s->count, s->nslots) && !grow_slots(s->budget, &s->slots, &s->nslots))
		return UINT32_MAX;
	size_t mask = s->nslots - 1, k;
	for (k = h32 & mask; s->slots[k]; k = (k + 1) & mask) {
		uint64_t sl = s->slots[k];
		uint32_t id = (uint32_t)sl - 1;
		if ((uint32_t)(sl >> 32) == h32 && memcmp(s->vec + (size_t)id * s->width, v, bytes) == 0)
			return id;
	}
	if (s->count == s->cap && !grow_ids(s->budget, &s->cap, (void **)&s->vec, all))
		return UINT32_MAX;
	uint32_t id = s->count++;
	memcpy(s->vec + (size_t)id * s->width, v, all);
	s->slots[k] = ((uint64_t)h32 << 32) | (id + 1u);
	*fresh = true;
	return id;
}

uint32_t vecset_find_hashed(const struct vecset *s, const uint32_t *v, uint32_t h32)
{
	if (!s->nslots)
		return UINT32_MAX;
	size_t bytes = key_bytes(s), mask = s->nslots - 1;
	for (size_t k = h32 & mask; s->slots[k]; k = (k + 1) & mask) {
		uint64_t sl = s->slots[k];
		uint32_t id = (uint32_t)sl - 1;
		if ((uint32_t)(sl >> 32) == h32 && memcmp(s->vec + (size_t)id * s->width, v, bytes) == 0)
			return id;
	}
	return UINT32_MAX;
}

size_t vecset_bytes_held(const struct vecset *s)
{
	return (size_t)s->cap * s->width * sizeof(uint32_t) + s->nslots * sizeof(uint64_t);
}

void vecset_free(struct vecset *s)
{
	budget_give(s->budget, vecset_bytes_held(s));
	free(s->vec);
	free(s->slots);
	uint32_t w = s->width, k = s->keyw;
	struct store_budget *b = s->budget;
	memset(s, 0, sizeof(*s));
	s->width = w;
	s->keyw = k;
	s->budget = b;
}
