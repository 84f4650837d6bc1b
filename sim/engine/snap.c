/*
 * snap.c - snapshots of a stepwise execution (exec.h): the engine's part of
 * a state that the state-caching explorer saves on its stack and restores
 * when it backtracks, and each actor's continuation as bytes.
 *
 * A stepwise execution keeps every switched-out actor's stack in its saved
 * buffer (exec.c), so a snapshot is in parts: the engine's (the flag table,
 * the counters that feed decision logs and preemption counts) and, per
 * actor, its coroutine context, pending access, saved stack and ctx block,
 * so that a caller can save and restore only the actors a step changed.
 * Restoring writes them back; the next sim_exec_step copies the stack of the
 * actor it runs onto the shared run stack.  The program's world is saved by
 * the caller (sim_program.world_key / world_load).
 */
#include "exec.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct snap_engine {
	uint32_t flag_count;
	int last;
	uint32_t preemptions;
	uint64_t steps;
	size_t decision_count;
	struct sim_flag flags[SIM_FLAGS_MAX];
};

struct snap_actor {
	struct coro coro;
	struct sim_access pending;
	void *state_sp;
	bool finished;
	uint32_t saved_len;
	/* then saved_len bytes of stack and ctx_size bytes of ctx */
};

size_t sim_snap_engine_save(const struct sim_exec *ex, void *buf, size_t cap)
{
	assert(ex->stepwise && ex->current == -1);
	size_t need = offsetof(struct snap_engine, flags) + ex->flag_count * sizeof(struct sim_flag);
	if (need > cap)
		return need;
	struct snap_engine *h = buf;
	h->flag_count = ex->flag_count;
	memcpy(h->flags, ex->flags, ex->flag_count * sizeof(struct sim_flag));
	h->last = ex->last;
	h->preemptions = ex->preemptions;
	h->steps = ex->steps;
	h->decision_count = ex->decision_count;
	return need;
}

void sim_snap_engine_restore(struct sim_exec *ex, const void *buf)
{
	const struct snap_engine *h = buf;
	assert(ex->stepwise && ex->current == -1);
	ex->flag_count = h->flag_count;
	memcpy(ex->flags, h->flags, h->flag_count * sizeof(struct sim_flag));
	ex->last = h->last;
	ex->preemptions = h->preemptions;
	ex->steps = h->steps;
	ex->decision_count = h->decision_count;
	ex->failed = false;
}

size_t sim_snap_actor_save(const struct sim_exec *ex, uint32_t i, void *buf, size_t cap)
{
	const struct sim_actor *a = &ex->actors[i];
	assert(ex->stepwise && ex->current == -1 && i < ex->actor_count);
	size_t need = sizeof(struct snap_actor) + a->saved_len + a->ctx_size;
	if (need > cap)
		return need;
	struct snap_actor *s = buf;
	*s = (struct snap_actor){a->coro, a->pending, a->state_sp, a->finished, (uint32_t)a->saved_len};
	unsigned char *p = (unsigned char *)(s + 1);
	memcpy(p, a->saved, a->saved_len);
	memcpy(p + a->saved_len, a->ctx, a->ctx_size);
	return need;
}

void sim_snap_actor_restore(struct sim_exec *ex, uint32_t i, const void *buf)
{
	struct sim_actor *a = &ex->actors[i];
	const struct snap_actor *s = buf;
	assert(ex->stepwise && ex->current == -1 && i < ex->actor_count);
	a->coro = s->coro;
	a->pending = s->pending;
	a->state_sp = s->state_sp;
	a->finished = s->finished;
	if (s->saved_len > a->saved_cap) {
		unsigned char *q = realloc(a->saved, s->saved_len);
		if (!q) {
			fputs("nfrace: out of memory\n", stderr);
			abort();
		}
		a->saved = q;
		a->saved_cap = s->saved_len;
	}
	a->saved_len = s->saved_len;
	const unsigned char *p = (const unsigned char *)(s + 1);
	memcpy(a->saved, p, a->saved_len);
	memcpy(a->ctx, p + a->saved_len, a->ctx_size);
}

const void *sim_actor_blob(const struct sim_exec *ex, uint32_t i, size_t *len)
{
	const struct sim_actor *a = &ex->actors[i];
	const char *frame_top = coro_frame_top(ex->run_stack, ex->stack_size);
	const char *sp = a->coro.sp, *state = a->state_sp;
	assert(ex->stepwise && !a->finished && state && frame_top);
	assert(state >= sp && state < frame_top && (size_t)(frame_top - sp) <= a->saved_len);
	*len = (size_t)(frame_top - state);
	return a->saved + (state - sp);
}
