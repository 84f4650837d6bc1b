/*
 * wakeup.c - the wakeup-tree pool, the weak-initial test and insertion (see
 * wakeup.h).
 */
#include "wakeup.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wut_pool_init(struct wut_pool *p)
{
	memset(p, 0, sizeof(*p));
	p->free_head = WUT_NONE;
}

void wut_pool_release(struct wut_pool *p)
{
	free(p->n);
	wut_pool_init(p);
}

static uint32_t node_new(struct wut_pool *p)
{
	if (p->free_head != WUT_NONE) {
		uint32_t i = p->free_head;
		p->free_head = p->n[i].next;
		return i;
	}
	if (p->len == p->cap) {
		uint32_t cap = p->cap ? p->cap * 2 : 256;
		struct wut_node *n = realloc(p->n, (size_t)cap * sizeof(*n));
		if (!n) {
			fputs("nfrace: out of memory\n", stderr);
			abort();
		}
		p->n = n;
		p->cap = cap;
	}
	return p->len++;
}

uint32_t wut_leaf(struct wut_pool *p, const struct wut_step *step)
{
	uint32_t i = node_new(p);
	p->n[i] = (struct wut_node){*step, WUT_NONE, WUT_NONE};
	return i;
}

void wut_free(struct wut_pool *p, uint32_t tree)
{
	/* Not recursive: the explorer runs on an actor's small coroutine stack,
	 * and a tree can be thousands of steps deep.  Each freed node's child
	 * list is spliced in front of what is left to free. */
	while (tree != WUT_NONE) {
		uint32_t i = tree, child = p->n[i].child;
		tree = p->n[i].next;
		if (child != WUT_NONE) {
			uint32_t last = child;
			while (p->n[last].next != WUT_NONE)
				last = p->n[last].next;
			p->n[last].next = tree;
			tree = child;
		}
		p->n[i].child = WUT_NONE;
		p->n[i].next = p->free_head;
		p->free_head = i;
	}
}

void wut_remove_first(struct wut_pool *p, uint32_t *tree)
{
	uint32_t first = *tree;
	assert(first != WUT_NONE);
	*tree = p->n[first].next;
	p->n[first].next = WUT_NONE;
	wut_free(p, first);
}

/* Whether two entries of one actor's step can be the same step: their
 * recorded data choices agree, or one of them prescribes none. */
static bool data_compatible(const struct wut_step *a, const struct wut_step *b)
{
	if (a->ndata == WUT_DATA_UNKNOWN || b->ndata == WUT_DATA_UNKNOWN)
		return true;
	if (a->ndata != b->ndata)
		return false;
	uint32_t n = a->ndata < WUT_DATA_MAX ? a->ndata : WUT_DATA_MAX;
	return memcmp(a->data, b->data, n * sizeof(a->data[0])) == 0;
}

static bool independent(const struct wut_step *a, int actor, const struct sim_access *acc)
{
	return a->actor != actor && !sim_access_dependent(&a->acc, acc);
}

/* Index of actor's first step in w, or len. */
static size_t first_of(int actor, const struct wut_step *w, size_t len)
{
	size_t k = 0;
	while (k < len && w[k].actor != actor)
		k++;
	return k;
}

bool wut_weak_initial(int actor, const struct sim_access *next, const struct wut_step *w, size_t len)
{
	size_t k = first_of(actor, w, len);
	const struct sim_access *acc = k < len ? &w[k].acc : next;
	for (size_t j = 0; j < k; j++)
		if (!independent(&w[j], actor, acc))
			return false;
	return true;
}

/* The first-child link of node parent, or the tree itself (WUT_NONE).
 * Recomputed after every allocation: the pool may move. */
static uint32_t *child_link(struct wut_pool *p, uint32_t *tree, uint32_t parent)
{
	return parent == WUT_NONE ? tree : &p->n[parent].child;
}

/* Append v[0..len) as a chain, a new last child of parent. */
static void append_chain(struct wut_pool *p, uint32_t *tree, uint32_t parent, const struct wut_step *v, size_t len)
{
	uint32_t head = wut_leaf(p, &v[0]), tail = head;
	for (size_t k = 1; k < len; k++) {
		uint32_t i = wut_leaf(p, &v[k]);
		p->n[tail].child = i;
		tail = i;
	}
	uint32_t *link = child_link(p, tree, parent);
	while (*link != WUT_NONE)
		link = &p->n[*link].next;
	*link = head;
}

/* Among the children of parent, the entry of c's actor whose data choices
 * agree with step s, or WUT_NONE. */
static uint32_t same_step(struct wut_pool *p, uint32_t *tree, uint32_t parent, uint32_t c, const struct wut_step *s)
{
	for (uint32_t i = *child_link(p, tree, parent); i != WUT_NONE; i = p->n[i].next)
		if (p->n[i].step.actor == p->n[c].step.actor && data_compatible(&p->n[i].step, s))
			return i;
	return WUT_NONE;
}

bool wut_insert(struct wut_pool *p, uint32_t *tree, struct wut_step *v, size_t len)
{
	uint32_t parent = WUT_NONE;
	for (;;) {
		if (len == 0)
			return false; /* v is a prefix of a sequence already in the tree */
		uint32_t c = *child_link(p, tree, parent);
		while (c != WUT_NONE && !wut_weak_initial(p->n[c].step.actor, &p->n[c].step.acc, v, len))
			c = p->n[c].next;
		if (c == WUT_NONE) {
			append_chain(p, tree, parent, v, len);
			return true;
		}
		if (p->n[c].child == WUT_NONE)
			return false; /* a leaf already covers v (whatever the step chooses: every value is explored) */
		size_t k = first_of(p->n[c].step.actor, v, len);
		if (k < len && !data_compatible(&p->n[c].step, &v[k])) {
			/* the same step with other data choices: its own entry, which the
			 * step's first data node explores below that value (odpor.c) */
			c = same_step(p, tree, parent, c, &v[k]);
			if (c == WUT_NONE) {
				struct wut_step first = v[k];
				memmove(&v[1], &v[0], k * sizeof(*v));
				v[0] = first;
				append_chain(p, tree, parent, v, len);
				return true;
			}
			if (p->n[c].child == WUT_NONE)
				return false;
		}
		if (k < len) {
			memmove(&v[k], &v[k + 1], (len - k - 1) * sizeof(*v));
			len--;
		}
		parent = c;
	}
}
