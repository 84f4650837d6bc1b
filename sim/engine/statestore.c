/*
 * statestore.c - interning tables and vector sets for the state-caching
 * explorer (statestore.h).  Open addressing with linear probing at a load
 * of at most one half; a slot keeps 32 bits of the hash beside the id, so
 * most probes that miss never touch the stored bytes.
 */
#include "statestore.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t lane(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 31);
}

/* Four independent lanes over 32-byte blocks (the multiplications do not
 * wait for each other), folded at the end. */
uint64_t store_hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h0 = 0x243f6a8885a308d3ull ^ n, h1 = 0x13198a2e03707344ull, h2 = 0xa4093822299f31d0ull,
		 h3 = 0x082efa98ec4e6c89ull;
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		uint64_t v[4];
		memcpy(v, b + i, 32);
		h0 = lane(h0, v[0]);
		h1 = lane(h1, v[1]);
		h2 = lane(h2, v[2]);
		h3 = lane(h3, v[3]);
	}
	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, b + i, 8);
		h0 = lane(h0, v);
	}
	uint64_t t = 0;
	for (; i < n; i++)
		t = (t << 8) | b[i];
	uint64_t h = lane(h0 ^ t, rotl(h1, 17) ^ rotl(h2, 31) ^ rotl(h3, 47));
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

/* Double the slot array (or make the first one) and re-insert every slot
 * by the hash it keeps; false when out of memory (the table is unchanged). */
static bool grow_slots(uint64_t **slots, size_t *nslots)
{
	size_t ns = *nslots ? *nslots * 2 : 1024;
	uint64_t *sl = calloc(ns, sizeof(uint64_t));
	if (!sl)
		return false;
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

/* Make room for one more element in arrays of cap elements (each array one
 * pointer to a pointer with its element size); false when out of memory. */
static bool grow_ids(uint32_t *cap, void **a, size_t ea, void **b, size_t eb)
{
	uint32_t c = *cap ? *cap * 2 : 1024;
	void *na = realloc(*a, (size_t)c * ea);
	if (!na)
		return false;
	*a = na;
	if (b) {
		void *nb = realloc(*b, (size_t)c * eb);
		if (!nb)
			return false;
		*b = nb;
	}
	*cap = c;
	return true;
}

uint32_t intern_add(struct intern *t, const void *p, size_t n, bool *fresh)
{
	*fresh = false;
	if (2 * ((size_t)t->count + 1) > t->nslots && !grow_slots(&t->slots, &t->nslots))
		return UINT32_MAX;
	uint32_t h32 = (uint32_t)(store_hash(p, n) >> 32);
	size_t mask = t->nslots - 1, k;
	for (k = h32 & mask; t->slots[k]; k = (k + 1) & mask) {
		uint64_t v = t->slots[k];
		uint32_t id = (uint32_t)v - 1;
		if ((uint32_t)(v >> 32) == h32 && t->len[id] == n && (n == 0 || memcmp(t->arena + t->off[id], p, n) == 0))
			return id;
	}
	if (t->count == t->cap && !grow_ids(&t->cap, (void **)&t->off, sizeof(uint64_t), (void **)&t->len, sizeof(uint32_t)))
		return UINT32_MAX;
	if (t->alen + n > t->acap) {
		size_t c = t->acap ? t->acap * 2 : 1 << 16;
		while (c < t->alen + n)
			c *= 2;
		unsigned char *a = realloc(t->arena, c);
		if (!a)
			return UINT32_MAX;
		t->arena = a;
		t->acap = c;
	}
	if (n) /* empty vectors: p and the arena may be NULL (UBSan) */
		memcpy(t->arena + t->alen, p, n);
	uint32_t id = t->count++;
	t->off[id] = t->alen;
	t->len[id] = (uint32_t)n;
	t->alen += n;
	t->slots[k] = ((uint64_t)h32 << 32) | (id + 1u);
	*fresh = true;
	return id;
}

size_t intern_bytes_held(const struct intern *t)
{
	return t->acap + (size_t)t->cap * (sizeof(uint64_t) + sizeof(uint32_t)) + t->nslots * sizeof(uint64_t);
}

void intern_free(struct intern *t)
{
	free(t->arena);
	free(t->off);
	free(t->len);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

uint32_t vecset_add(struct vecset *s, const uint32_t *v, bool *fresh)
{
	size_t bytes = s->width * sizeof(uint32_t);
	*fresh = false;
	if (2 * ((size_t)s->count + 1) > s->nslots && !grow_slots(&s->slots, &s->nslots))
		return UINT32_MAX;
	uint32_t h32 = (uint32_t)(store_hash(v, bytes) >> 32);
	size_t mask = s->nslots - 1, k;
	for (k = h32 & mask; s->slots[k]; k = (k + 1) & mask) {
		uint64_t sl = s->slots[k];
		uint32_t id = (uint32_t)sl - 1;
		if ((uint32_t)(sl >> 32) == h32 && memcmp(s->vec + (size_t)id * s->width, v, bytes) == 0)
			return id;
	}
	if (s->count == s->cap && !grow_ids(&s->cap, (void **)&s->vec, bytes, NULL, 0))
		return UINT32_MAX;
	uint32_t id = s->count++;
	memcpy(s->vec + (size_t)id * s->width, v, bytes);
	s->slots[k] = ((uint64_t)h32 << 32) | (id + 1u);
	*fresh = true;
	return id;
}

size_t vecset_bytes_held(const struct vecset *s)
{
	return (size_t)s->cap * s->width * sizeof(uint32_t) + s->nslots * sizeof(uint64_t);
}

void vecset_free(struct vecset *s)
{
	free(s->vec);
	free(s->slots);
	uint32_t w = s->width;
	memset(s, 0, sizeof(*s));
	s->width = w;
}
