/*
 * statestore.c - interning tables and vector sets for the state-caching
 * explorer (statestore.h).  Open addressing with linear probing at a load
 * of at most one half; a slot keeps 32 bits of the hash beside where the
 * entry is, so most probes that miss never touch the stored bytes.
 */
#include "statestore.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { HUGE_PAGE = 2u << 20 };

/* Resize the block p (old bytes used) to n bytes, keeping the old bytes.  A
 * big table is probed at random, so every probe would also miss the TLB on
 * 4 KiB pages: from 4 MiB on, a block is 2 MiB aligned and asks the kernel
 * for transparent huge pages (a hint; where it is refused, nothing changes
 * but the speed).  NULL when out of memory (p is then unchanged). */
static void *table_realloc(void *p, size_t old, size_t n)
{
	if (n < 2 * (size_t)HUGE_PAGE)
		return realloc(p, n);
	size_t sz = (n + HUGE_PAGE - 1) & ~((size_t)HUGE_PAGE - 1);
	void *q = aligned_alloc(HUGE_PAGE, sz);
	if (!q)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(q, sz, MADV_HUGEPAGE);
#endif
	if (old)
		memcpy(q, p, old);
	free(p);
	return q;
}

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
	uint64_t *sl = table_realloc(NULL, 0, ns * sizeof(uint64_t));
	if (!sl)
		return false;
	memset(sl, 0, ns * sizeof(uint64_t));
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
	void *na = table_realloc(*a, (size_t)*cap * ea, (size_t)c * ea);
	if (!na)
		return false;
	*a = na;
	if (b) {
		void *nb = table_realloc(*b, (size_t)*cap * eb, (size_t)c * eb);
		if (!nb)
			return false;
		*b = nb;
	}
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
	if (2 * ((size_t)t->count + 1) > t->nslots && !grow_slots(&t->slots, &t->nslots))
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
	if (t->count == t->cap && !grow_ids(&t->cap, (void **)&t->off, sizeof(uint64_t), (void **)&t->len, sizeof(uint32_t)))
		return UINT32_MAX;
	size_t need = (sizeof(struct entry_head) + n + 7) & ~(size_t)7;
	if ((t->alen + need) / 8 >= UINT32_MAX)
		return UINT32_MAX; /* past what a slot can name: 32 GiB */
	if (t->alen + need > t->acap) {
		size_t c = t->acap ? t->acap * 2 : 1 << 16;
		while (c < t->alen + need)
			c *= 2;
		unsigned char *a = table_realloc(t->arena, t->alen, c);
		if (!a)
			return UINT32_MAX;
		t->arena = a;
		t->acap = c;
	}
	uint32_t id = t->count++;
	struct entry_head eh = {id, (uint32_t)n};
	memcpy(t->arena + t->alen, &eh, sizeof(eh));
	if (n) /* p may be NULL for an empty vector */
		memcpy(t->arena + t->alen + sizeof(eh), p, n);
	t->off[id] = t->alen + sizeof(eh);
	t->len[id] = (uint32_t)n;
	t->slots[k] = ((uint64_t)h32 << 32) | (t->alen / 8 + 1u);
	t->alen += need;
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
	return vecset_add_hashed(s, v, (uint32_t)(store_hash(v, s->width * sizeof(uint32_t)) >> 32), fresh);
}

uint32_t vecset_add_hashed(struct vecset *s, const uint32_t *v, uint32_t h32, bool *fresh)
{
	size_t bytes = s->width * sizeof(uint32_t);
	*fresh = false;
	if (2 * ((size_t)s->count + 1) > s->nslots && !grow_slots(&s->slots, &s->nslots))
		return UINT32_MAX;
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
