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
 * algorithm.  If the actor is asleep at that node, the node is expanded fully:
 * the races its subtree would reveal are otherwise lost (found by comparing
 * trace-class counts with the naive search).  A lock release and another
 * actor's acquire of that lock, and a
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
	uint64_t data; /* hash of the data choices made during the step */
	uint32_t clock[SIM_ACTORS_MAX];
};

/* A set of 64-bit trace-class hashes (open addressing; 0 marks a free slot). */
struct class_set {
	uint64_t *slots;
	size_t cap, count;
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
	bool count_classes;
	uint64_t prologue_data[SIM_ACTORS_MAX];
	struct class_set classes;
	/* splitting (explore.h) */
	uint32_t split_depth, shard_k, shard_n;
	bool (*claim)(void *ctx, uint64_t subtree);
	void *claim_ctx;
	uint64_t frontier;  /* subtrees reached so far */
	bool owned;         /* the subtree below the current split node is this process's */
	bool skip;          /* this execution entered a subtree of another shard */
	const struct sim_program *prog; /* the explored program (end is filtered) */
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
	/* pending[] is filled by the caller when DPOR needs it */
	nd->kind = 0;
	nd->chosen = nd->n = 0;
	nd->enabled = nd->backtrack = nd->done = nd->sleep = 0;
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

/* About to create the node at the split depth: number its subtree and say
 * whether this process explores it (false: abandon the execution). */
static bool enter_subtree(struct explorer *x)
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
	return x->owned;
}

/* Whether the current execution belongs to this process (explore.h). */
static bool execution_mine(const struct explorer *x)
{
	if (!x->shard_n)
		return true;
	if (x->skip)
		return false;
	return x->pos > x->split_depth ? x->owned : x->shard_k == 1;
}

static int x_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct explorer *x = ctx;
	struct node *nd;
	x->forced = false;
	if (x->skip)
		return -1;
	if (!(enabled & (enabled - 1)))
		return forced_pick(x, ex, enabled);
	if (x->pos < x->len) {
		nd = &x->nodes[x->pos];
		if (nd->kind != NODE_SCHED || nd->enabled != enabled)
			fatal_nondeterminism();
	} else {
		sim_mask asleep = x->strategy == SIM_EXPLORE_DPOR ? x->next_sleep : 0;
		if ((enabled & ~asleep) && !enter_subtree(x))
			return -1; /* (a sleep-set blocked node is no subtree) */
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
		bool full = x->strategy != SIM_EXPLORE_DPOR || x->pos < x->split_depth;
		nd->backtrack = full ? cand : (sim_mask)1 << nd->chosen;
	}
	x->pos++;
	if (x->strategy == SIM_EXPLORE_DPOR)
		x->next_sleep = child_sleep(nd, (int)nd->chosen);
	return (int)nd->chosen;
}

static uint64_t fold(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

static void note_data(struct explorer *x, struct sim_exec *ex, uint32_t value)
{
	if (!x->count_classes)
		return;
	if (x->nev > 0 && x->events[x->nev - 1].actor == ex->current)
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
	} else {
		if (!enter_subtree(x))
			return 0; /* no node: the execution is abandoned at its next pick */
		nd = push_node(x);
		nd->kind = NODE_DATA;
		nd->n = n;
		nd->chosen = 0;
	}
	x->pos++;
	note_data(x, ex, nd->chosen);
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
	sim_mask bit = (sim_mask)1 << a;
	assert(nd->kind == NODE_SCHED);
	/* a not enabled there, or asleep there (its subtree, where the races it
	 * would uncover live, is not explored from here): expand the node fully */
	if ((nd->enabled & bit) && !(nd->sleep & bit))
		nd->backtrack |= bit;
	else
		nd->backtrack |= nd->enabled;
}

/* Add backtrack points for actor a's access acc against all earlier steps.
 * With join non-NULL, also fold the clocks of every dependent earlier step
 * into join (the step's new vector clock), in the same pass. */
static void find_races(struct explorer *x, int a, const struct sim_access *acc, uint32_t *join)
{
	const uint32_t *ca = x->clocks[a];
	for (size_t j = x->nev; j-- > 0;) {
		const struct event *e = &x->events[j];
		if (e->actor == a || !sim_access_dependent(&e->acc, acc))
			continue;
		if (join)
			for (int k = 0; k < SIM_ACTORS_MAX; k++)
				if (e->clock[k] > join[k])
					join[k] = e->clock[k];
		if (e->clock[e->actor] <= ca[e->actor])
			continue; /* e happens before a's current state */
		if (coenabled(&e->acc, acc))
			add_backtrack(x, e->node, a);
	}
}

static void push_event(struct explorer *x, int a, const struct sim_access *acc, const uint32_t *clock)
{
	if (!ensure((void **)&x->events, &x->evcap, x->nev + 1, sizeof(struct event))) {
		fputs("nfrace: out of memory\n", stderr);
		abort();
	}
	struct event *ev = &x->events[x->nev++];
	ev->actor = a;
	ev->acc = *acc;
	ev->data = 0;
	assert(x->forced || x->pos > 0);
	ev->node = x->forced ? NO_NODE : x->pos - 1;
	if (clock)
		memcpy(ev->clock, clock, sizeof(ev->clock));
}

static void x_step(void *ctx, struct sim_exec *ex, int a, const struct sim_access *acc)
{
	struct explorer *x = ctx;
	(void)ex;
	if (x->strategy != SIM_EXPLORE_DPOR) {
		if (x->count_classes)
			push_event(x, a, acc, NULL);
		return;
	}
	uint32_t join[SIM_ACTORS_MAX];
	memcpy(join, x->clocks[a], sizeof(join));
	find_races(x, a, acc, join); /* races against the clock before this step */
	join[a]++;
	memcpy(x->clocks[a], join, sizeof(join));
	push_event(x, a, acc, join);
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

/* Races of accesses that never ran (blocked, bounded or failed executions). */
static void pending_races(struct explorer *x, const struct sim_exec *ex)
{
	if (x->strategy != SIM_EXPLORE_DPOR)
		return;
	for (uint32_t i = 0; i < ex->actor_count; i++)
		if (!ex->actors[i].finished)
			find_races(x, (int)i, &ex->actors[i].pending, NULL);
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
			known = (uint32_t)__builtin_popcount(all);
		}
		if (known == 0)
			break;
		f += share * index / known;
		share /= known;
	}
	return f;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void start_execution(struct explorer *x)
{
	x->skip = false;
	x->pos = 0;
	x->nev = 0;
	memset(x->prologue_data, 0, sizeof(x->prologue_data));
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

/* The program's end callback, for the executions this process owns only. */
static void x_end(void *ctx, struct sim_exec *ex, enum sim_end end)
{
	struct explorer *x = ctx;
	if (execution_mine(x) && x->prog->end)
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
	struct explorer x = {.strategy = s, .preemptions_max = b->preemptions_max, .count_classes = b->count_classes,
			     .split_depth = b->split_depth, .shard_k = b->shard_k, .shard_n = b->shard_n,
			     .claim = b->claim, .claim_ctx = b->claim_ctx, .prog = prog};
	struct sim_decider d = {x_pick, x_choose, x_step, &x};
	const struct sim_program filtered = {prog->hash, &x, x_begin, prog->check ? x_check : NULL, x_end};
	struct sim_exec *ex = sim_exec_create();
	uint64_t steps_max = b->steps_max ? b->steps_max : 100000;
	uint64_t t0 = b->wall_ms_max ? now_ms() : 0, iterations = 0;
	memset(r, 0, sizeof(*r));
	r->complete = true;
	if (!ex)
		return -1;
	for (;;) {
		start_execution(&x);
		enum sim_end end = sim_exec_run(ex, &filtered, &d, steps_max);
		bool mine = execution_mine(&x);
		pending_races(&x, ex);
		if (mine)
			account(r, end, ex);
		if (mine && x.count_classes && end != SIM_END_PRUNED)
			class_set_add(&x.classes, class_hash(&x, ex->actor_count));
		r->subtrees = x.frontier;
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
	r->done_fraction = r->complete ? 1 : done_fraction(&x);
	sim_exec_destroy(ex);
	free(x.nodes);
	free(x.events);
	free(x.classes.slots);
	return 0;
}

/* ---- replay ------------------------------------------------------------- */

struct replayer {
	const uint32_t *dec;
	size_t count, pos;
	bool bad;
	bool lenient;
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
		if (rp->lenient) {
			rp->pos++;
			return lowest(enabled);
		}
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
		rp->pos++;
		return 0; /* keeps running; the replay is reported as not fitting */
	}
	return rp->dec[rp->pos++];
}

static int replay(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
		  void (*trace_out)(void *ctx, const struct sim_exec *ex), void *trace_ctx, bool lenient)
{
	struct replayer rp = {dec, count, 0, false, lenient};
	struct sim_decider d = {r_pick, r_choose, NULL, &rp};
	struct sim_exec *ex = sim_exec_create();
	if (!ex)
		return -1;
	sim_exec_set_tracing(ex, trace_out != NULL);
	enum sim_end end = sim_exec_run(ex, prog, &d, steps_max ? steps_max : 100000);
	int ret = ((!lenient && (rp.bad || rp.pos != rp.count)) || end == SIM_END_PRUNED) ? -1 : (int)end;
	if (ret >= 0 && trace_out)
		trace_out(trace_ctx, ex);
	sim_exec_destroy(ex);
	return ret;
}

int sim_replay(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
	       void (*trace_out)(void *ctx, const struct sim_exec *ex), void *trace_ctx)
{
	return replay(prog, dec, count, steps_max, trace_out, trace_ctx, false);
}

int sim_replay_lenient(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
		       void (*trace_out)(void *ctx, const struct sim_exec *ex), void *trace_ctx)
{
	return replay(prog, dec, count, steps_max, trace_out, trace_ctx, true);
}

const char *sim_strategy_name(enum sim_strategy s)
{
	static const char *const names[] = {"dfs", "dpor", "preemption-bounded dfs", "random", "pct", "timed"};
	return names[s];
}

const char *sim_incomplete_name(enum sim_incomplete why)
{
	static const char *const names[] = {"complete", "execution bound", "step bound", "time bound", "interrupted"};
	return names[why];
}
