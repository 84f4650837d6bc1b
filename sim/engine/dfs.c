/*
 * dfs.c - naive depth-first search, the oracle every reduction is checked
 * against: every runnable actor at every node, no sleep sets; and
 * preemption-bounded search (SIM_EXPLORE_PB, iterative context bounding):
 * the same tree restricted to executions with at most
 * sim_bounds.preemptions_max preemptions, each node running on its last
 * actor first (minimal witnesses, job_minimize_witnesses).
 */
#include "explore_impl.h"

/* Every runnable actor is an alternative; the lowest runs first. */
static int dfs_pick(struct explorer *x, struct sim_exec *ex, struct node *nd)
{
	(void)x;
	(void)ex;
	nd->backtrack = nd->enabled;
	return lowest(nd->enabled);
}

/* The last actor runs on first when it can; switching away from it (a
 * preemption) is an alternative only while the bound allows one more. */
static int pb_pick(struct explorer *x, struct sim_exec *ex, struct node *nd)
{
	sim_mask cand = nd->enabled;
	int a = lowest(cand);
	if (ex->last >= 0 && (nd->enabled & ((sim_mask)1 << ex->last))) {
		if (ex->preemptions >= x->preemptions_max)
			cand = (sim_mask)1 << ex->last; /* the bound allows no further preemption */
		a = ex->last; /* run on before preempting */
	}
	nd->backtrack = cand;
	return a;
}

const struct explore_strategy explore_dfs = {
	.splits = true,
	.pick = dfs_pick,
};

const struct explore_strategy explore_pb = {
	.splits = true,
	.pick = pb_pick,
};
