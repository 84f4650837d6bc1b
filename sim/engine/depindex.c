/*
 * depindex.c - per-object chains of an execution's steps (see depindex.h).
 */
#include "depindex.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The three kinds of chain, as the top half of a slot key. */
enum { CHAIN_OBJ = 0, CHAIN_LOCKS_OF_CLASS = 1, CHAIN_QUIESCE_OF_CLASS = 2 };

static uint64_t chain_key(int kind, uint32_t id)
{
	return (uint64_t)kind << 32 | id;
}

static void *grow(void *p, size_t n, size_t elem)
{
	void *q = realloc(p, n * elem);
	if (!q) {
		fputs("nfrace: out of memory\n", stderr);
		abort();
	}
	return q;
}

void dep_init(struct dep_index *d)
{
	memset(d, 0, sizeof(*d));
	d->gen = 1;
}

void dep_release(struct dep_index *d)
{
	free(d->slots);
	free(d->next_obj);
	free(d->next_cls);
	dep_init(d);
}

void dep_reset(struct dep_index *d)
{
	d->steps = 0;
	d->used = 0;
	if (++d->gen == 0) { /* wrapped: every stamp could look current */
		memset(d->slots, 0, (size_t)d->cap * sizeof(*d->slots));
		d->gen = 1;
	}
}

static uint32_t slot_hash(uint64_t key)
{
	key *= 0x9e3779b97f4a7c15ull;
	return (uint32_t)(key >> 32);
}

/* The slot of key in the current generation, or NULL. */
static struct dep_slot *find(const struct dep_index *d, uint64_t key)
{
	if (!d->cap)
		return NULL;
	for (uint32_t i = slot_hash(key) & (d->cap - 1);; i = (i + 1) & (d->cap - 1)) {
		struct dep_slot *s = &d->slots[i];
		if (s->gen != d->gen)
			return NULL;
		if (s->key == key)
			return s;
	}
}

static void rehash(struct dep_index *d, uint32_t cap)
{
	struct dep_slot *old = d->slots;
	uint32_t old_cap = d->cap;
	d->slots = calloc(cap, sizeof(*d->slots));
	if (!d->slots) {
		fputs("nfrace: out of memory\n", stderr);
		abort();
	}
	d->cap = cap;
	for (uint32_t k = 0; k < old_cap; k++) {
		if (old[k].gen != d->gen)
			continue;
		uint32_t i = slot_hash(old[k].key) & (cap - 1);
		while (d->slots[i].gen == d->gen)
			i = (i + 1) & (cap - 1);
		d->slots[i] = old[k];
	}
	free(old);
}

/* Make step i the head of chain key; returns the previous head. */
static uint32_t set_head(struct dep_index *d, uint64_t key, uint32_t i)
{
	struct dep_slot *s = find(d, key);
	if (s) {
		uint32_t prev = s->head;
		s->head = i;
		return prev;
	}
	if (2 * (d->used + 1) > d->cap)
		rehash(d, d->cap ? 2 * d->cap : 64);
	uint32_t k = slot_hash(key) & (d->cap - 1);
	while (d->slots[k].gen == d->gen)
		k = (k + 1) & (d->cap - 1);
	d->slots[k] = (struct dep_slot){key, i, d->gen};
	d->used++;
	return DEP_END;
}

static uint32_t head_of(const struct dep_index *d, uint64_t key)
{
	const struct dep_slot *s = find(d, key);
	return s ? s->head : DEP_END;
}

void dep_push(struct dep_index *d, const struct sim_access *acc)
{
	if (d->steps == d->steps_cap) {
		d->steps_cap = d->steps_cap ? 2 * d->steps_cap : 256;
		d->next_obj = grow(d->next_obj, d->steps_cap, sizeof(uint32_t));
		d->next_cls = grow(d->next_cls, d->steps_cap, sizeof(uint32_t));
	}
	uint32_t i = d->steps++;
	d->next_cls[i] = DEP_END;
	if (acc->kind == SIM_QUIESCE) {
		d->next_obj[i] = set_head(d, chain_key(CHAIN_QUIESCE_OF_CLASS, acc->obj), i);
		return;
	}
	d->next_obj[i] = set_head(d, chain_key(CHAIN_OBJ, acc->obj), i);
	if (acc->kind == SIM_LOCK || acc->kind == SIM_UNLOCK)
		d->next_cls[i] = set_head(d, chain_key(CHAIN_LOCKS_OF_CLASS, SIM_CLASS(acc->obj)), i);
}

/* Make prev the head of chain key again (key has a slot: a step was pushed on it). */
static void reset_head(struct dep_index *d, uint64_t key, uint32_t prev)
{
	struct dep_slot *s = find(d, key);
	assert(s);
	s->head = prev;
}

void dep_pop(struct dep_index *d, const struct sim_access *acc)
{
	assert(d->steps > 0);
	uint32_t i = --d->steps;
	if (acc->kind == SIM_QUIESCE) {
		reset_head(d, chain_key(CHAIN_QUIESCE_OF_CLASS, acc->obj), d->next_obj[i]);
		return;
	}
	reset_head(d, chain_key(CHAIN_OBJ, acc->obj), d->next_obj[i]);
	if (acc->kind == SIM_LOCK || acc->kind == SIM_UNLOCK)
		reset_head(d, chain_key(CHAIN_LOCKS_OF_CLASS, SIM_CLASS(acc->obj)), d->next_cls[i]);
}

/* The newest step before `before` on the chain that starts at head. */
static uint32_t older_than(const struct dep_index *d, uint32_t head, int which, uint32_t before)
{
	while (head != DEP_END && head >= before)
		head = which ? d->next_cls[head] : d->next_obj[head];
	return head;
}

struct dep_chains dep_chains_of(const struct dep_index *d, const struct sim_access *acc, uint32_t before)
{
	struct dep_chains ch = {{DEP_END, DEP_END}, {0, 0}};
	assert(before <= d->steps);
	if (acc->kind == SIM_QUIESCE) {
		ch.which[0] = 1; /* the lock operations of its class */
		ch.head[0] = older_than(d, head_of(d, chain_key(CHAIN_LOCKS_OF_CLASS, acc->obj)), 1, before);
		return ch;
	}
	/* step `before`, if it is a step, performs acc: it heads the older part of its own chain */
	ch.head[0] = before < d->steps ? d->next_obj[before] : head_of(d, chain_key(CHAIN_OBJ, acc->obj));
	if (acc->kind == SIM_LOCK || acc->kind == SIM_UNLOCK)
		ch.head[1] = older_than(d, head_of(d, chain_key(CHAIN_QUIESCE_OF_CLASS, SIM_CLASS(acc->obj))), 0, before);
	return ch;
}
