/*
 * split.c - one exploration divided into subtrees explored independently
 * (sim_bounds.split_depth, shard_k/shard_n, claim; explore.h): the first
 * split_depth decisions of every execution are expanded fully (dpor.c's
 * pick gives those nodes every runnable actor not asleep), the subtrees
 * below them are numbered in the order a single process reaches them, and
 * each belongs to one shard (by number, or claimed first come, first served).
 * An execution in a subtree of another shard is abandoned at its next
 * decision; one that ends above the split belongs to shard 1.
 */
#include "explore_impl.h"

/* About to create the node at the split depth: number its subtree and say
 * whether this process explores it (false: abandon the execution). */
bool split_enter_subtree(struct explorer *x)
{
	if (!x->split_depth || x->len != x->split_depth || x->pos != x->len)
		return true;
	uint64_t f = x->frontier++;
	if (!x->shard_n)
		x->owned = true;
	else if (x->claim)
		x->owned = x->claim(x->claim_ctx, f);
	else
		x->owned = f % x->shard_n == x->shard_k - 1;
	x->skip = !x->owned;
	x->owned_count += x->owned;
	return x->owned;
}

/* Whether the current execution belongs to this process (explore.h). */
bool split_execution_mine(const struct explorer *x)
{
	if (!x->shard_n)
		return true;
	if (x->skip)
		return false;
	return x->pos > x->split_depth ? x->owned : x->shard_k == 1;
}
