/*
 * explore.c - depth-first exploration with replay (see explore.h): the loop
 * every exhaustive strategy shares, and the decision stack it walks.
 *
 * The decision tree is kept as a stack of nodes, one per step (SCHED) and one
 * per data choice (DATA).  Every execution re-runs the program from its initial
 * state; while its position is inside the stack the stored choices are
 * replayed, past it new nodes are pushed.  After each execution the deepest
 * node with an unexplored alternative is advanced and everything below it is
 * dropped.
 *
 * What differs between strategies (which actor a new node runs, what a step
 * records, which alternatives a node gets, what is done after an execution)
 * comes through the strategy's vtable (explore_impl.h), one file per
 * strategy: dfs.c (naive and preemption-bounded), dpor.c (backtrack sets
 * and sleep sets), odpor.c (optimal DPOR's wakeup trees); split.c divides
 * one exploration into subtrees.  Sleep sets are kept here for the
 * strategies that ask for them: an actor asleep at a node need not run
 * there, as its step commutes with everything explored below.  This file
 * also counts trace classes (sim_bounds.count_classes) for any strategy.
 */
#include "explore.h"

#include "explore_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The exhaustive strategies by enum sim_strategy (the sampling ones run
 * their own loops: sim_sample, sim_timed). */
static const struct explore_strategy *const strategies[] = {
	[SIM_EXPLORE_DFS] = &explore_dfs,
	[SIM_EXPLORE_DPOR] = &explore_dpor,
	[SIM_EXPLORE_PB] = &explore_pb,
	[SIM_EXPLORE_ODPOR] = &explore_odpor,
};

static void fatal_nondeterminism(void)
{
	fputs("nfrace: internal error: the program is not deterministic under replay\n", stderr);
	abort();
}

static struct node *push_node(struct explorer *x)
{
	explore_ensure((void **)&x->nodes, &x->cap, x->len + 1, sizeof(struct node));
	struct node *nd = &x->nodes[x->len++];
	/* pending[] is filled by the caller when DPOR needs it */
	nd->kind = 0;
	nd->chosen = nd->n = nd->start = 0;
	nd->enabled = nd->backtrack = nd->done = nd->sleep = 0;
	nd->wut = WUT_NONE;
	return nd;
}

/* The sleep set below nd when actor a runs there: the actors asleep or
 * done at nd whose next access does not conflict with a's. */
static sim_mask child_sleep(const struct node *nd, int a)
{
	sim_mask carry = (nd->sleep | nd->done) & ~((sim_mask)1 << a);
	sim_mask out = 0;
	while (carry) {
		int q = lowest(carry);
		carry &= carry - 1;
		if (!sim_access_dependent(&nd->pending[q], &nd->pending[a]))
			out |= (sim_mask)1 << q;
	}
	return out;
}

/* A forced step (one runnable actor) is no decision: no node, but the sleep
 * set still loses the actors it conflicts with. */
static int forced_pick(struct explorer *x, struct sim_exec *ex, sim_mask enabled)
{
	int a = lowest(enabled);
	sim_mask keep = 0, sleep = x->next_sleep;
	if (sleep & enabled) {
		x->len = x->pos; /* only reachable as a new node: sleep-set blocked */
		return -1;
	}
	while (sleep) {
		int q = lowest(sleep);
		sleep &= sleep - 1;
		if (!sim_access_dependent(&ex->actors[q].pending, &ex->actors[a].pending))
			keep |= (sim_mask)1 << q;
	}
	x->next_sleep = keep;
	x->forced = true;
	if (x->ops->forced)
		x->ops->forced(x, a);
	return a;
}

/* A new SCHED node, its actor picked by the strategy; NULL when there is
 * none to take (another shard's subtree, or sleep-set blocked). */
static struct node *new_sched_node(struct explorer *x, struct sim_exec *ex, sim_mask enabled)
{
	sim_mask asleep = x->sleep_sets ? x->next_sleep : 0;
	if ((enabled & ~asleep) && !split_enter_subtree(x))
		return NULL; /* (a sleep-set blocked node is no subtree) */
	struct node *nd = push_node(x);
	nd->kind = NODE_SCHED;
	nd->enabled = enabled;
	if (x->sleep_sets) {
		for (uint32_t i = 0; i < ex->actor_count; i++)
			nd->pending[i] = ex->actors[i].pending;
		nd->sleep = x->next_sleep;
	}
	int a = x->ops->pick(x, ex, nd);
	if (a < 0) {
		x->len--; /* sleep-set blocked: nothing new below this point */
		return NULL;
	}
	nd->chosen = (uint32_t)a;
	return nd;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

enum { STOP_CHECK_PICKS = 4096 };

/* Whether a signal or the wall-clock bound asks the exploration to stop
 * (x->stopped says which). */
static bool stop_requested(struct explorer *x)
{
	const struct sim_bounds *b = x->bounds;
	if (b->interrupt && *b->interrupt)
		x->stopped = SIM_INCOMPLETE_INTERRUPTED;
	else if (b->wall_ms_max && now_ms() - x->t0_ms > b->wall_ms_max)
		x->stopped = SIM_INCOMPLETE_TIME;
	return x->stopped != SIM_COMPLETE;
}

static int x_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct explorer *x = ctx;
	struct node *nd;
	x->forced = false;
	if (x->skip)
		return -1;
	if (++x->picks % STOP_CHECK_PICKS == 0 && stop_requested(x))
		return -1; /* abandoned: the loop below ends the exploration incomplete */
	if (x->ops->pick_begin)
		x->ops->pick_begin(x);
	if (!(enabled & (enabled - 1)))
		return forced_pick(x, ex, enabled);
	if (x->pos < x->len) {
		nd = &x->nodes[x->pos];
		if (nd->kind != NODE_SCHED || nd->enabled != enabled)
			fatal_nondeterminism();
		if (x->ops->replay)
			x->ops->replay(x, nd);
	} else {
		nd = new_sched_node(x, ex, enabled);
		if (!nd)
			return -1;
	}
	x->pos++;
	if (x->sleep_sets)
		x->next_sleep = child_sleep(nd, (int)nd->chosen);
	return (int)nd->chosen;
}

static uint64_t fold(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* Whether the running actor is inside a step (not its prologue): a data
 * choice then belongs to the last event. */
static bool in_step(const struct explorer *x, const struct sim_exec *ex)
{
	return x->nev > 0 && x->events[x->nev - 1].actor == ex->current;
}

static void note_data(struct explorer *x, struct sim_exec *ex, uint32_t value)
{
	if (x->ops->data_note && in_step(x, ex))
		x->ops->data_note(x, &x->events[x->nev - 1], value);
	if (!x->count_classes)
		return;
	if (in_step(x, ex))
		x->events[x->nev - 1].data = fold(x->events[x->nev - 1].data, value + 1);
	else
		x->prologue_data[ex->current] = fold(x->prologue_data[ex->current], value + 1);
}

static uint32_t x_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct explorer *x = ctx;
	struct node *nd;
	if (x->skip)
		return 0;
	if (x->pos < x->len) {
		nd = &x->nodes[x->pos];
		if (nd->kind != NODE_DATA || nd->n != n)
			fatal_nondeterminism();
		if (x->ops->data_replay)
			x->ops->data_replay(x, nd);
	} else {
		if (!split_enter_subtree(x))
			return 0; /* no node: the execution is abandoned at its next pick */
		bool step = in_step(x, ex);
		nd = push_node(x);
		nd->kind = NODE_DATA;
		nd->n = n;
		nd->ev = step ? x->nev - 1 : NO_NODE;
		nd->choice = x->step_choices;
		if (step && x->ops->data_new)
			x->ops->data_new(x, nd);
	}
	x->step_choices++;
	x->pos++;
	note_data(x, ex, nd->chosen);
	return nd->chosen;
}

static void x_step(void *ctx, struct sim_exec *ex, int a, const struct sim_access *acc)
{
	struct explorer *x = ctx;
	x->step_choices = 0;
	if (x->ops->step)
		x->ops->step(x, ex, a, acc);
	else if (x->count_classes)
		explore_push_event(x, a, acc, NULL);
}

/* ---- trace classes ------------------------------------------------------ */

static bool class_set_add(struct class_set *s, uint64_t h)
{
	h |= 1; /* never 0 */
	if (2 * (s->count + 1) > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		uint64_t *slots = calloc(cap, sizeof(uint64_t));
		if (!slots) {
			fputs("nfrace: out of memory\n", stderr);
			abort();
		}
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i])
				for (size_t k = s->slots[i] & (cap - 1);; k = (k + 1) & (cap - 1))
					if (!slots[k]) {
						slots[k] = s->slots[i];
						break;
					}
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	for (size_t k = h & (s->cap - 1);; k = (k + 1) & (s->cap - 1)) {
		if (s->slots[k] == h)
			return false;
		if (!s->slots[k]) {
			s->slots[k] = h;
			s->count++;
			return true;
		}
	}
}

/* The hash of the execution's Mazurkiewicz class: its events emitted in the
 * lexicographically least order (by actor) that respects program order and
 * the order of dependent events, plus every data choice. */
static uint64_t class_hash(const struct explorer *x, uint32_t actors)
{
	enum { EV_MAX = 4096 };
	static uint16_t need[EV_MAX][SIM_ACTORS_MAX];
	static uint32_t local[EV_MAX], order[SIM_ACTORS_MAX][EV_MAX];
	uint32_t len[SIM_ACTORS_MAX] = {0}, done[SIM_ACTORS_MAX] = {0};
	size_t n = x->nev < EV_MAX ? x->nev : EV_MAX;
	uint64_t h = 0;
	for (uint32_t a = 0; a < actors; a++)
		h = fold(h, x->prologue_data[a]);
	for (size_t i = 0; i < n; i++) {
		int a = x->events[i].actor;
		local[i] = len[a];
		order[a][len[a]++] = (uint32_t)i;
		memset(need[i], 0, sizeof(need[i]));
		for (size_t j = 0; j < i; j++) {
			int q = x->events[j].actor;
			if (q != a && sim_access_dependent(&x->events[j].acc, &x->events[i].acc) &&
			    need[i][q] < local[j] + 1)
				need[i][q] = (uint16_t)(local[j] + 1);
		}
	}
	for (size_t emitted = 0; emitted < n; emitted++) {
		for (uint32_t a = 0; a < actors; a++) {
			if (done[a] == len[a])
				continue;
			uint32_t i = order[a][done[a]];
			bool ready = true;
			for (uint32_t q = 0; q < actors && ready; q++)
				ready = done[q] >= need[i][q];
			if (!ready)
				continue;
			const struct event *e = &x->events[i];
			h = fold(fold(fold(h, (uint64_t)a), ((uint64_t)e->acc.kind << 32) | e->acc.obj), e->data);
			done[a]++;
			break;
		}
	}
	return h;
}

/* Advance the deepest node that has an alternative; false when none is left. */
static bool backtrack(struct explorer *x)
{
	while (x->len > 0) {
		struct node *nd = &x->nodes[x->len - 1];
		if (nd->kind == NODE_DATA) {
			uint32_t next = (nd->chosen + 1) % nd->n; /* values in turn from start */
			if (next != nd->start) {
				nd->chosen = next;
				return true;
			}
			wut_free(&x->wut, nd->wut); /* the step's alternatives (optimal DPOR) */
			nd->wut = WUT_NONE;
		} else if (x->ops->advance) {
			if (x->ops->advance(x, nd))
				return true;
		} else {
			nd->done |= (sim_mask)1 << nd->chosen;
			sim_mask cand = nd->backtrack & ~nd->done & ~nd->sleep;
			if (cand) {
				nd->chosen = (uint32_t)lowest(cand);
				return true;
			}
		}
		x->len--;
	}
	return false;
}

/* explore.h: done_fraction.  The current execution's position in the
 * depth-first order, every known alternative of a node counted as an equal
 * share of it: sum over the path of (alternatives finished / known) times
 * the share of the node.  Nodes below 64 add nothing visible. */
static double done_fraction(const struct explorer *x)
{
	double f = 0, share = 1;
	for (size_t i = 0; i < x->len && i < 64; i++) {
		const struct node *nd = &x->nodes[i];
		uint32_t index, known;
		if (nd->kind == NODE_DATA) {
			index = nd->chosen;
			known = nd->n;
		} else {
			sim_mask all = (nd->backtrack | nd->done | (sim_mask)1 << nd->chosen) & ~nd->sleep;
			index = (uint32_t)__builtin_popcount(nd->done & ~nd->sleep);
			known = x->ops->known ? x->ops->known(x, nd, index) : (uint32_t)__builtin_popcount(all);
		}
		if (known == 0)
			break;
		f += share * index / known;
		share /= known;
	}
	return f;
}


static void start_execution(struct explorer *x)
{
	x->skip = false;
	x->pos = 0;
	x->nev = 0;
	memset(x->prologue_data, 0, sizeof(x->prologue_data));
	x->next_sleep = 0;
	memset(x->clocks, 0, sizeof(x->clocks));
	x->guided = false;
	x->step_choices = 0;
	dep_reset(&x->deps);
	memset(x->nhold, 0, sizeof(x->nhold));
	x->nheld = 0;
	assert(x->next_wut == WUT_NONE && x->stash == WUT_NONE);
}

static void account(struct sim_result *r, enum sim_end end, const struct sim_exec *ex)
{
	if (end == SIM_END_PRUNED) {
		r->pruned++;
		return;
	}
	r->executions++;
	r->steps += ex->steps;
	if (ex->steps > r->max_depth)
		r->max_depth = ex->steps;
	if (end == SIM_END_DEADLOCK)
		r->deadlocks++;
	if (end == SIM_END_FAILED)
		r->failures++;
	if (end == SIM_END_STEPS && r->complete) {
		r->complete = false;
		r->why = SIM_INCOMPLETE_STEPS;
	}
}

/* The program's end callback, for the executions this process owns only. */
static void x_end(void *ctx, struct sim_exec *ex, enum sim_end end)
{
	struct explorer *x = ctx;
	if (split_execution_mine(x) && x->prog->end)
		x->prog->end(x->prog->ctx, ex, end);
}

static const char *x_check(void *ctx)
{
	const struct explorer *x = ctx;
	return x->prog->check(x->prog->ctx);
}

static void x_begin(void *ctx, struct sim_exec *ex)
{
	const struct explorer *x = ctx;
	x->prog->begin(x->prog->ctx, ex);
}

int sim_explore(const struct sim_program *prog, enum sim_strategy s, const struct sim_bounds *b,
		bool stop_on_failure, struct sim_result *r)
{
	if (sim_strategy_stateful(s) || s == SIM_EXPLORE_STATEFUL_PB)
		return stateful_explore(prog,
					s == SIM_EXPLORE_STATEFUL	 ? STATEFUL_DPOR
					: s == SIM_EXPLORE_STATEFUL_FULL ? STATEFUL_FULL
									 : STATEFUL_WITNESS,
					b, stop_on_failure, r);
	assert((size_t)s < sizeof(strategies) / sizeof(strategies[0]) && strategies[s]);
	const struct explore_strategy *ops = strategies[s];
	struct explorer x = {.ops = ops, .sleep_sets = ops->sleep_sets, .preemptions_max = b->preemptions_max,
			     .count_classes = b->count_classes, .split_depth = b->split_depth, .shard_k = b->shard_k,
			     .shard_n = b->shard_n, .claim = b->claim, .claim_ctx = b->claim_ctx, .prog = prog};
	struct sim_decider d = {x_pick, x_choose, x_step, &x};
	assert(ops->splits || b->split_depth == 0); /* sim_bounds.split_depth */
	wut_pool_init(&x.wut);
	x.next_wut = x.stash = WUT_NONE;
	dep_init(&x.deps);
	const struct sim_program filtered = {prog->hash, &x, x_begin, prog->check ? x_check : NULL, x_end, NULL, NULL,
					     prog->add_only_class};
	struct sim_exec *ex = sim_exec_create();
	uint64_t steps_max = b->steps_max ? b->steps_max : 100000;
	uint64_t t0 = b->wall_ms_max ? now_ms() : 0, iterations = 0;
	x.bounds = b;
	x.t0_ms = t0;
	memset(r, 0, sizeof(*r));
	r->complete = true;
	if (!ex)
		return -1;
	for (;;) {
		start_execution(&x);
		enum sim_end end = sim_exec_run(ex, &filtered, &d, steps_max);
		if (x.stopped != SIM_COMPLETE) { /* inside the execution: it is not accounted */
			r->complete = false;
			r->why = x.stopped;
			break;
		}
		bool mine = split_execution_mine(&x);
		if (ops->finish)
			ops->finish(&x, ex);
		if (mine)
			account(r, end, ex);
		if (mine && x.count_classes && end != SIM_END_PRUNED)
			class_set_add(&x.classes, class_hash(&x, ex->actor_count));
		r->subtrees = x.frontier;
		r->subtrees_owned = x.owned_count;
		if (x.choices_overflow) { /* sequences through such a step would be lost */
			r->complete = false;
			r->why = SIM_INCOMPLETE_CHOICES;
			break;
		}
		bool more = backtrack(&x);
		if (!more)
			break;
		bool counted = mine && end != SIM_END_PRUNED;
		iterations++;
		if (counted && end == SIM_END_FAILED && stop_on_failure) {
			r->complete = false;
			break;
		}
		if (counted && b->executions_max && r->executions >= b->executions_max) {
			r->complete = false;
			r->why = SIM_INCOMPLETE_EXECUTIONS;
			break;
		}
		if (counted && b->progress && (r->executions & 4095) == 0) {
			r->done_fraction = done_fraction(&x);
			b->progress(b->progress_ctx, r);
		}
		if (b->interrupt && *b->interrupt) {
			r->complete = false;
			r->why = SIM_INCOMPLETE_INTERRUPTED;
			break;
		}
		if (b->wall_ms_max && (iterations & 255) == 0 && now_ms() - t0 > b->wall_ms_max) {
			r->complete = false;
			r->why = SIM_INCOMPLETE_TIME;
			break;
		}
	}
	r->classes = x.classes.count;
	r->wakeup_fallbacks = x.fallbacks;
	r->done_fraction = r->complete ? 1 : done_fraction(&x);
	sim_exec_destroy(ex);
	free(x.nodes);
	free(x.events);
	free(x.classes.slots);
	free(x.seq);
	free(x.depbuf);
	free(x.heldbuf);
	free(x.chainbuf[0]);
	free(x.chainbuf[1]);
	dep_release(&x.deps);
	wut_pool_release(&x.wut);
	return 0;
}

const char *sim_strategy_name(enum sim_strategy s)
{
	static const char *const names[] = {"dfs",	    "dpor",	"preemption-bounded dfs", "random",
					    "pct",	    "timed",	"odpor",		  "stateful",
					    "stateful-full", "preemption-bounded stateful"};
	return names[s];
}

const char *sim_incomplete_name(enum sim_incomplete why)
{
	static const char *const names[] = {"complete",    "execution bound", "step bound",
					    "time bound",  "interrupted",
					    "a step made more data choices than odpor records (use dpor)",
					    "memory bound", "state caching needs the x86-64 build (use dpor)"};
	return names[why];
}
