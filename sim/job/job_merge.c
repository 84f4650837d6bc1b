/*
 * job_merge.c - joining the parts of one split exploration (see
 * sim_bounds.split_depth): the shards explore disjoint sets of executions, so
 * counts add up; each outcome keeps the witness that a single process would
 * have found first.
 *
 * A single process explores the subtrees below the split depth in the
 * lexicographic order of their first split_depth decisions (the nodes above
 * the split are expanded fully, alternatives in increasing order), so of two
 * executions from different shards the one whose decision prefix is smaller
 * came first.
 */
#include "job_shard.h"
#include "program.h"

#include "token.h"

#include <string.h>

/* Whether token a's execution precedes token b's in a single process's order. */
static bool explored_before(const char *a, const char *b, uint64_t hash, uint32_t split_depth)
{
	static uint32_t da[SIM_TOKEN_DECISIONS_MAX], db[SIM_TOKEN_DECISIONS_MAX];
	size_t na, nb;
	if (sim_token_decode(a, hash, da, SIM_TOKEN_DECISIONS_MAX, &na) != SIM_TOKEN_OK ||
	    sim_token_decode(b, hash, db, SIM_TOKEN_DECISIONS_MAX, &nb) != SIM_TOKEN_OK)
		return false;
	for (size_t i = 0; i < split_depth && i < na && i < nb; i++)
		if (da[i] != db[i])
			return da[i] < db[i];
	return false; /* same subtree: one shard, which kept its first */
}

int job_outcome_order(const struct outcome *a, const struct outcome *b)
{
	if (a->dropped != b->dropped)
		return a->dropped < b->dropped ? -1 : 1;
	if (a->lost != b->lost)
		return a->lost < b->lost ? -1 : 1;
	return memcmp(a->counters, b->counters, sizeof(a->counters));
}

static void merge_outcome(struct job *into, const struct outcome *o, uint32_t split_depth)
{
	uint32_t i = 0;
	while (i < into->outcome_count && job_outcome_order(&into->outcomes[i], o) < 0)
		i++;
	if (i < into->outcome_count && job_outcome_order(&into->outcomes[i], o) == 0) {
		struct outcome *w = &into->outcomes[i];
		uint64_t n = w->executions + o->executions;
		if (explored_before(o->schedule, w->schedule, into->hash, split_depth))
			*w = *o;
		w->executions = n;
		return;
	}
	if (into->outcome_count == OUTCOMES_MAX) {
		into->outcomes_overflow = true;
		return;
	}
	memmove(&into->outcomes[i + 1], &into->outcomes[i], (into->outcome_count - i) * sizeof(struct outcome));
	into->outcomes[i] = *o;
	into->outcome_count++;
}

static void merge_result(struct sim_result *r, const struct sim_result *p)
{
	r->executions += p->executions;
	r->pruned += p->pruned;
	r->deadlocks += p->deadlocks;
	r->failures += p->failures;
	r->steps += p->steps;
	r->classes += p->classes;
	if (p->max_depth > r->max_depth)
		r->max_depth = p->max_depth;
	if (p->subtrees > r->subtrees)
		r->subtrees = p->subtrees;
	r->subtrees_owned += p->subtrees_owned;
	if (r->complete && !p->complete) {
		r->complete = false;
		r->why = p->why;
	}
}

void job_merge(struct job *into, const struct job *part)
{
	uint32_t d = into->bounds.split_depth;
	merge_result(&into->result, &part->result);
	into->result.done_fraction = into->result.complete ? 1 : 0; /* 0: not known for a join */
	into->drop_executions += part->drop_executions;
	job_draws_merge(&into->draws, &part->draws);
	into->outcomes_overflow |= part->outcomes_overflow;
	for (uint32_t i = 0; i < part->outcome_count; i++)
		merge_outcome(into, &part->outcomes[i], d);
	if (part->failed && (!into->failed || explored_before(part->fail_schedule, into->fail_schedule, into->hash, d))) {
		into->failed = true;
		memcpy(into->fail_message, part->fail_message, sizeof(into->fail_message));
		memcpy(into->fail_schedule, part->fail_schedule, sizeof(into->fail_schedule));
	}
	if (part->deadlocked &&
	    (!into->deadlocked || explored_before(part->deadlock_schedule, into->deadlock_schedule, into->hash, d))) {
		into->deadlocked = true;
		memcpy(into->deadlock_schedule, part->deadlock_schedule, sizeof(into->deadlock_schedule));
	}
}
