/*
 * clock.c - binary min-heap keyed by (time_ns, seq); see clock.h.
 */
#include "clock.h"

#include <assert.h>

void sim_clock_init(struct sim_clock *c, struct sim_event *storage, size_t cap)
{
	assert(storage && cap >= 1);
	c->now_ns = 0;
	c->next_seq = 0;
	c->heap = storage;
	c->len = 0;
	c->cap = cap;
}

static bool before(const struct sim_event *a, const struct sim_event *b)
{
	if (a->time_ns != b->time_ns)
		return a->time_ns < b->time_ns;
	return a->seq < b->seq;
}

static void swap(struct sim_event *a, struct sim_event *b)
{
	struct sim_event t = *a;
	*a = *b;
	*b = t;
}

bool sim_clock_schedule(struct sim_clock *c, sim_time_ns at_ns, uint32_t kind, uint64_t payload)
{
	if (c->len == c->cap || at_ns < c->now_ns)
		return false;
	size_t i = c->len++;
	c->heap[i] = (struct sim_event){at_ns, c->next_seq++, kind, payload};
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!before(&c->heap[i], &c->heap[parent]))
			break;
		swap(&c->heap[i], &c->heap[parent]);
		i = parent;
	}
	return true;
}

bool sim_clock_next(struct sim_clock *c, struct sim_event *out)
{
	if (c->len == 0)
		return false;
	*out = c->heap[0];
	c->heap[0] = c->heap[--c->len];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < c->len && before(&c->heap[l], &c->heap[m]))
			m = l;
		if (r < c->len && before(&c->heap[r], &c->heap[m]))
			m = r;
		if (m == i)
			break;
		swap(&c->heap[i], &c->heap[m]);
		i = m;
	}
	assert(out->time_ns >= c->now_ns);
	c->now_ns = out->time_ns;
	return true;
}

size_t sim_clock_pending(const struct sim_clock *c)
{
	return c->len;
}
