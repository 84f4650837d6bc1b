/*
 * explore.c - depth-first exploration with replay, plain or with dynamic
 * partial-order reduction (see explore.h).
 *
 * The decision tree is kept as a stack of nodes, one per step (SCHED) and one
 * per data choice (DATA).  Every execution re-runs the program from its initial
 * state; while its position is inside the stack the stored choices are
 * replayed, past it new nodes are pushed.  After each execution the deepest
 * node with an unexplored alternative is advanced and everything below it is
 * dropped.
 *
 * DPOR (Flanagan-Godefroid backtracking with sleep sets): every step carries a
 * vector clock built from the dependency relation of the yield footprints.
 * When an actor's access is dependent on an earlier step of another actor that
 * does not happen before it, and the two could be enabled together, that
 * earlier step's node gets the actor (or, if it was not enabled there, every
 * enabled actor) added to its backtrack set.  Every such earlier step is taken,
 * not only the latest, which covers the per-state check of the original
 * algorithm.  A lock release and another actor's acquire of that lock, and a
 * signal and a wait on the same flag, and a release and a quiesce on its
 * lock class, are never enabled together.
 */
#include "explore.h"

#include "exec.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { NODE_SCHED = 0, NODE_DATA = 1 };
#define NO_NODE SIZE_MAX

struct node {
	uint8_t kind;
	uint32_t chosen;
	uint32_t n; /* DATA: alternatives */
	sim_mask enabled, backtrack, done, sleep;
	struct sim_access pending[SIM_ACTORS_MAX];
};

struct event {
	int actor;
	struct sim_access acc;
	size_t node;
	uint32_t clock[SIM_ACTORS_MAX];
};

struct explorer {
	enum sim_strategy strategy;
	struct node *nodes;
	size_t len, cap, pos;
	struct event *events;
	size_t nev, evcap;
	uint32_t clocks[SIM_ACTORS_MAX][SIM_ACTORS_MAX];
	sim_mask next_sleep;
	bool forced; /* the step being taken had no alternative */
	uint32_t preemptions_max;
};

static int lowest(sim_mask m)
{
	assert(m != 0);
	return __builtin_ctz(m);
}

static bool ensure(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap * 2 : 256;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static void fatal_nondeterminism(void)
{
	fputs("nfrace: internal error: the program is not deterministic under replay\n", stderr);
	abort();
}

static struct node *push_node(struct explorer *x)
{
	if (!ensure((void **)&x->nodes, &x->cap, x->len + 1, sizeof(struct node))) {
		fputs("nfrace: out of memory\n", stderr);
		abort();
	}
	struct node *nd = &x->nodes[x->len++];
	memset(nd, 0, sizeof(*nd));
	return nd;
}

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
	return a;
}

static int x_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct explorer *x = ctx;
	struct node *nd;
	x->forced = false;
	if (!(enabled & (enabled - 1)))
		return forced_pick(x, ex, enabled);
	if (x->pos < x->len) {
		nd = &x->nodes[x->pos];
		if (nd->kind != NODE_SCHED || nd->enabled != enabled)
			fatal_nondeterminism();
	} else {
		nd = push_node(x);
		nd->kind = NODE_SCHED;
		nd->enabled = enabled;
		if (x->strategy == SIM_EXPLORE_DPOR) {
			for (uint32_t i = 0; i < ex->actor_count; i++)
				nd->pending[i] = ex->actors[i].pending;
			nd->sleep = x->next_sleep;
		}
		sim_mask cand = enabled & ~nd->sleep;
		if (!cand) {
			x->len--; /* sleep-set blocked: nothing new below this point */
			return -1;
		}
		nd->chosen = (uint32_t)lowest(cand);
		if (x->strategy == SIM_EXPLORE_PB && ex->last >= 0 && (enabled & ((sim_mask)1 << ex->last))) {
			if (ex->preemptions >= x->preemptions_max)
				cand = (sim_mask)1 << ex->last; /* the bound allows no further preemption */
			nd->chosen = (uint32_t)ex->last; /* run on before preempting */
		}
		nd->backtrack = x->strategy == SIM_EXPLORE_DPOR ? (sim_mask)1 << nd->chosen : cand;
	}
	x->pos++;
	if (x->strategy == SIM_EXPLORE_DPOR)
		x->next_sleep = child_sleep(nd, (int)nd->chosen);
	return (int)nd->chosen;
}

static uint32_t x_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct explorer *x = ctx;
	struct node *nd;
	(void)ex;
	if (x->pos < x->len) {
		nd = &x->nodes[x->pos];
		if (nd->kind != NODE_DATA || nd->n != n)
			fatal_nondeterminism();
	} else {
		nd = push_node(x);
		nd->kind = NODE_DATA;
		nd->n = n;
		nd->chosen = 0;
	}
	x->pos++;
	return nd->chosen;
}

static bool coenabled(const struct sim_access *a, const struct sim_access *b)
{
	if ((a->kind == SIM_UNLOCK && b->kind == SIM_LOCK) || (a->kind == SIM_LOCK && b->kind == SIM_UNLOCK))
		return false;
	if ((a->kind == SIM_SIGNAL && b->kind == SIM_WAIT) || (a->kind == SIM_WAIT && b->kind == SIM_SIGNAL))
		return false;
	if ((a->kind == SIM_UNLOCK && b->kind == SIM_QUIESCE) || (a->kind == SIM_QUIESCE && b->kind == SIM_UNLOCK))
		return false;
	return true;
}

static void add_backtrack(struct explorer *x, size_t node, int a)
{
	if (node == NO_NODE)
		return; /* a forced step: there was nothing else to run */
	struct node *nd = &x->nodes[node];
	assert(nd->kind == NODE_SCHED);
	if (nd->enabled & ((sim_mask)1 << a))
		nd->backtrack |= (sim_mask)1 << a;
	else
		nd->backtrack |= nd->enabled;
}

/* Add backtrack points for actor a's access acc against all earlier steps. */
static void find_races(struct explorer *x, int a, const struct sim_access *acc)
{
	const uint32_t *ca = x->clocks[a];
	for (size_t j = x->nev; j-- > 0;) {
		const struct event *e = &x->events[j];
		if (e->actor == a || !sim_access_dependent(&e->acc, acc))
			continue;
		if (e->clock[e->actor] <= ca[e->actor])
			continue; /* e happens before a's current state */
		if (coenabled(&e->acc, acc))
			add_backtrack(x, e->node, a);
	}
}

static void x_step(void *ctx, struct sim_exec *ex, int a, const struct sim_access *acc)
{
	struct explorer *x = ctx;
	(void)ex;
	if (x->strategy != SIM_EXPLORE_DPOR)
		return;
	find_races(x, a, acc);
	uint32_t *ca = x->clocks[a];
	for (size_t j = 0; j < x->nev; j++) {
		const struct event *e = &x->events[j];
		if (e->actor == a || !sim_access_dependent(&e->acc, acc))
			continue;
		for (int k = 0; k < SIM_ACTORS_MAX; k++)
			if (e->clock[k] > ca[k])
				ca[k] = e->clock[k];
	}
	ca[a]++;
	if (!ensure((void **)&x->events, &x->evcap, x->nev + 1, sizeof(struct event))) {
		fputs("nfrace: out of memory\n", stderr);
		abort();
	}
	struct event *ev = &x->events[x->nev++];
	ev->actor = a;
	ev->acc = *acc;
	assert(x->forced || x->pos > 0);
	ev->node = x->forced ? NO_NODE : x->pos - 1;
	memcpy(ev->clock, ca, sizeof(ev->clock));
}

/* Races of accesses that never ran (blocked, bounded or failed executions). */
static void pending_races(struct explorer *x, const struct sim_exec *ex)
{
	if (x->strategy != SIM_EXPLORE_DPOR)
		return;
	for (uint32_t i = 0; i < ex->actor_count; i++)
		if (!ex->actors[i].finished)
			find_races(x, (int)i, &ex->actors[i].pending);
}

/* Advance the deepest node that has an alternative; false when none is left. */
static bool backtrack(struct explorer *x)
{
	while (x->len > 0) {
		struct node *nd = &x->nodes[x->len - 1];
		if (nd->kind == NODE_DATA) {
			if (nd->chosen + 1 < nd->n) {
				nd->chosen++;
				return true;
			}
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

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void start_execution(struct explorer *x)
{
	x->pos = 0;
	x->nev = 0;
	x->next_sleep = 0;
	memset(x->clocks, 0, sizeof(x->clocks));
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

int sim_explore(const struct sim_program *prog, enum sim_strategy s, const struct sim_bounds *b,
		bool stop_on_failure, struct sim_result *r)
{
	struct explorer x = {.strategy = s, .preemptions_max = b->preemptions_max};
	struct sim_decider d = {x_pick, x_choose, x_step, &x};
	struct sim_exec *ex = sim_exec_create();
	uint64_t steps_max = b->steps_max ? b->steps_max : 100000;
	uint64_t t0 = b->wall_ms_max ? now_ms() : 0;
	memset(r, 0, sizeof(*r));
	r->complete = true;
	if (!ex)
		return -1;
	for (;;) {
		start_execution(&x);
		enum sim_end end = sim_exec_run(ex, prog, &d, steps_max);
		pending_races(&x, ex);
		account(r, end, ex);
		bool more = backtrack(&x);
		if (!more)
			break;
		if (end == SIM_END_FAILED && stop_on_failure) {
			r->complete = false;
			break;
		}
		if (b->executions_max && r->executions >= b->executions_max) {
			r->complete = false;
			r->why = SIM_INCOMPLETE_EXECUTIONS;
			break;
		}
		if (b->interrupt && *b->interrupt) {
			r->complete = false;
			r->why = SIM_INCOMPLETE_INTERRUPTED;
			break;
		}
		if (b->wall_ms_max && (r->executions & 255) == 0 && now_ms() - t0 > b->wall_ms_max) {
			r->complete = false;
			r->why = SIM_INCOMPLETE_TIME;
			break;
		}
	}
	sim_exec_destroy(ex);
	free(x.nodes);
	free(x.events);
	return 0;
}

/* ---- replay ------------------------------------------------------------- */

struct replayer {
	const uint32_t *dec;
	size_t count, pos;
	bool bad;
};

static int r_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct replayer *rp = ctx;
	(void)ex;
	if (!(enabled & (enabled - 1)))
		return lowest(enabled);
	if (rp->pos >= rp->count || rp->dec[rp->pos] >= SIM_ACTORS_MAX ||
	    !(enabled & ((sim_mask)1 << rp->dec[rp->pos]))) {
		rp->bad = true;
		return -1;
	}
	return (int)rp->dec[rp->pos++];
}

static uint32_t r_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct replayer *rp = ctx;
	(void)ex;
	if (rp->pos >= rp->count || rp->dec[rp->pos] >= n) {
		rp->bad = true;
		return 0; /* keeps running; the replay is reported as not fitting */
	}
	return rp->dec[rp->pos++];
}

int sim_replay(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
	       void (*trace_out)(void *ctx, const struct sim_exec *ex), void *trace_ctx)
{
	struct replayer rp = {dec, count, 0, false};
	struct sim_decider d = {r_pick, r_choose, NULL, &rp};
	struct sim_exec *ex = sim_exec_create();
	if (!ex)
		return -1;
	sim_exec_set_tracing(ex, trace_out != NULL);
	enum sim_end end = sim_exec_run(ex, prog, &d, steps_max ? steps_max : 100000);
	int ret = (rp.bad || rp.pos != rp.count || end == SIM_END_PRUNED) ? -1 : (int)end;
	if (ret >= 0 && trace_out)
		trace_out(trace_ctx, ex);
	sim_exec_destroy(ex);
	return ret;
}

const char *sim_strategy_name(enum sim_strategy s)
{
	return s == SIM_EXPLORE_DPOR ? "dpor" : s == SIM_EXPLORE_PB ? "preemption-bounded dfs" : "dfs";
}

const char *sim_incomplete_name(enum sim_incomplete why)
{
	static const char *const names[] = {"complete", "execution bound", "step bound", "time bound", "interrupted"};
	return names[why];
}
