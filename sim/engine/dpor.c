/*
 * dpor.c - dynamic partial-order reduction (Flanagan-Godefroid backtracking
 * with sleep sets), SIM_EXPLORE_DPOR.
 *
 * Every step carries a vector clock built from the dependency relation of
 * the yield footprints.  When an actor's access is dependent on an earlier
 * step of another actor that does not happen before it, and the two could be
 * enabled together, that earlier step's node gets the actor (or, if it was
 * not enabled there, every enabled actor) added to its backtrack set.  Every
 * such earlier step is taken, not only the latest, which covers the
 * per-state check of the original algorithm.  If the actor is asleep at that
 * node, the node is expanded fully: the races its subtree would reveal are
 * otherwise lost (found by comparing trace-class counts with the naive
 * search).  A lock release and another actor's acquire of that lock, and a
 * signal and a wait on the same flag, and a release and a quiesce on its
 * lock class, are never enabled together (coenabled, explore_impl.h).
 *
 * A new node runs its lowest runnable actor not asleep; its backtrack set
 * starts with that actor alone (every one above the split depth, so that
 * the subtrees below it are independent of each other: split.c).  Nodes
 * advance through their backtrack sets (explore.c).  The vector clocks are
 * shared with optimal DPOR (odpor.c), which finds its races after the
 * execution instead.
 */
#include "explore_impl.h"

#include <string.h>

static void add_backtrack(struct explorer *x, size_t node, int a)
{
	if (node == NO_NODE)
		return; /* a forced step: there was nothing else to run */
	struct node *nd = &x->nodes[node];
	sim_mask bit = (sim_mask)1 << a;
	assert(nd->kind == NODE_SCHED);
	/* a not enabled there, or asleep there (its subtree, where the races it
	 * would uncover live, is not explored from here): expand the node fully */
	if ((nd->enabled & bit) && !(nd->sleep & bit))
		nd->backtrack |= bit;
	else
		nd->backtrack |= nd->enabled;
}

/* Fold step e's vector clock into join (the first n actors' entries, the
 * others are 0).  Nothing to do when join has seen e already: a clock that
 * has seen e is at least e's clock in every entry. */
static void join_clock(uint32_t *join, const struct event *e, uint32_t n)
{
	if (e->clock[e->actor] <= join[e->actor])
		return;
	for (uint32_t k = 0; k < n; k++)
		if (e->clock[k] > join[k])
			join[k] = e->clock[k];
}

/* Walk the earlier steps that actor a's access acc depends on: with join
 * non-NULL fold their clocks into join (the step's new vector clock; n
 * actors); with races, add backtrack points for them (DPOR; optimal DPOR
 * finds its races after the execution, odpor_races). */
static void find_races(struct explorer *x, int a, const struct sim_access *acc, uint32_t *join, uint32_t n,
		       bool races)
{
	const uint32_t *ca = x->clocks[a];
	struct dep_chains ch = dep_chains_of(&x->deps, acc, (uint32_t)x->nev);
	for (int c = 0; c < 2; c++)
		for (uint32_t j = ch.head[c]; j != DEP_END; j = dep_next(&x->deps, &ch, c, j)) {
			const struct event *e = &x->events[j];
			if (e->actor == a || !sim_access_dependent(&e->acc, acc))
				continue;
			if (join)
				join_clock(join, e, n);
			if (!races || e->clock[e->actor] <= ca[e->actor])
				continue; /* e happens before a's current state */
			if (coenabled(&e->acc, acc))
				add_backtrack(x, e->node, a);
		}
}

void dpor_clock_step(struct explorer *x, struct sim_exec *ex, int a, const struct sim_access *acc, bool races)
{
	uint32_t join[SIM_ACTORS_MAX];
	memcpy(join, x->clocks[a], sizeof(join));
	find_races(x, a, acc, join, ex->actor_count, races);
	join[a]++;
	memcpy(x->clocks[a], join, sizeof(join));
	explore_push_event(x, a, acc, join);
}

static int dpor_pick(struct explorer *x, struct sim_exec *ex, struct node *nd)
{
	(void)ex;
	sim_mask cand = nd->enabled & ~nd->sleep;
	if (!cand)
		return -1;
	int a = lowest(cand);
	nd->backtrack = x->pos < x->split_depth ? cand : (sim_mask)1 << a;
	return a;
}

static void dpor_step(struct explorer *x, struct sim_exec *ex, int a, const struct sim_access *acc)
{
	dpor_clock_step(x, ex, a, acc, true);
}

/* Races of accesses that never ran (blocked, bounded or failed executions).
 * A failing step ends the execution, so it disables every other actor: it
 * is dependent with all of them, and its node also explores every other
 * runnable actor that is not asleep there. */
static void pending_races(struct explorer *x, const struct sim_exec *ex)
{
	for (uint32_t i = 0; i < ex->actor_count; i++)
		if (!ex->actors[i].finished)
			find_races(x, (int)i, &ex->actors[i].pending, NULL, 0, true);
	if (ex->end == SIM_END_FAILED && x->nev > 0 && x->events[x->nev - 1].node != NO_NODE) {
		const struct event *e = &x->events[x->nev - 1];
		struct node *nd = &x->nodes[e->node];
		nd->backtrack |= nd->enabled & ~nd->sleep;
	}
}

const struct explore_strategy explore_dpor = {
	.sleep_sets = true,
	.splits = true,
	.pick = dpor_pick,
	.step = dpor_step,
	.finish = pending_races,
};
