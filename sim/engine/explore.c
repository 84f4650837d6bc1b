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
 *
 * Optimal DPOR (Abdulla, Aronis, Jonsson and Sagonas, JACM 2017) replaces
 * the backtrack sets by wakeup trees (sim/wakeup.c): after each execution
 * every race e < e' whose reversal is not already covered (an actor asleep
 * or done at e's node is a weak initial of it) puts the sequence notdep(e).e'
 * into the tree of e's node, and a node takes its steps from its tree, so an
 * execution is abandoned as sleep-set blocked only where blocking (locks,
 * flags, quiesce) or a data choice that steers its actor's next access
 * leaves nothing but sleeping actors to run.  Data choices: a step is taken
 * with every value, as under DPOR; the tree entries of one actor at a node
 * are that step with other recorded values, kept by the step's first data
 * node (odpor_stash) and followed below their own value.  Optimal DPOR is
 * never split (sim_bounds.split_depth): the wakeup trees of a subtree are
 * filled by the races of the subtrees explored before it.
 */
#include "explore.h"

#include "depindex.h"
#include "exec.h"
#include "wakeup.h"

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
	uint32_t n;     /* DATA: alternatives */
	uint32_t start; /* DATA: the first value explored (optimal DPOR replays a recorded one) */
	sim_mask enabled, backtrack, done, sleep;
	uint32_t wut;   /* optimal DPOR: SCHED: the wakeup tree, its first child being explored;
			 * DATA, first choice of a step: the step's alternatives (odpor_stash) */
	uint32_t choice; /* DATA: which choice of its step (0: the first) */
	size_t ev;      /* DATA: the event of its step, NO_NODE in a prologue */
	struct sim_access pending[SIM_ACTORS_MAX];
};

struct event {
	int actor;
	struct sim_access acc;
	size_t node;
	uint64_t data; /* hash of the data choices made during the step */
	uint32_t held_off, held_n; /* optimal DPOR: the locks its actor held before it (heldbuf) */
	uint32_t ndata; /* optimal DPOR: the choices made during the step */
	uint32_t dval[WUT_DATA_MAX];
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
	struct dep_index deps; /* the events chained by object (depindex.h) */
	uint32_t *depbuf;      /* scratch: one access's dependent events (odpor_scan) */
	size_t ndep, depcap;
	uint32_t *chainbuf[2]; /* scratch: the same, per chain, newest first */
	size_t chaincap[2];
	/* optimal DPOR: the locks each actor holds now, and per event before it */
	sim_obj hold[SIM_ACTORS_MAX][SIM_FLAGS_MAX];
	uint32_t nhold[SIM_ACTORS_MAX];
	sim_obj *heldbuf;
	size_t nheld, heldcap;
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
	/* optimal DPOR (wakeup trees) */
	struct wut_pool wut;
	uint32_t next_wut;  /* the wakeup subtree the next node inherits, or WUT_NONE */
	struct wut_step cur; /* the step being taken as a wakeup tree recorded it */
	bool guided;        /* cur is a recorded step (its data choices are prescribed) */
	uint32_t stash;     /* the same actor's other entries beside cur (odpor_stash) */
	uint32_t step_choices; /* data choices made so far in the current step */
	struct wut_step *seq; /* scratch: the sequence of one race reversal */
	size_t seqcap;
	uint64_t fallbacks; /* recorded steps that could not be taken (see odpor_take) */
	bool choices_overflow; /* a step made over WUT_DATA_MAX choices (SIM_INCOMPLETE_CHOICES) */
};

static bool is_dpor(const struct explorer *x)
{
	return x->strategy == SIM_EXPLORE_DPOR || x->strategy == SIM_EXPLORE_ODPOR;
}

static int lowest(sim_mask m)
{
	assert(m != 0);
	return __builtin_ctz(m);
}

/* Grow the array *p (capacity *cap elements of elem bytes) to hold need;
 * aborts when out of memory. */
static void ensure(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap * 2 : 256;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q) {
		fputs("nfrace: out of memory\n", stderr);
		abort();
	}
	*p = q;
	*cap = n;
}

static void fatal_nondeterminism(void)
{
	fputs("nfrace: internal error: the program is not deterministic under replay\n", stderr);
	abort();
}

static struct node *push_node(struct explorer *x)
{
	ensure((void **)&x->nodes, &x->cap, x->len + 1, sizeof(struct node));
	struct node *nd = &x->nodes[x->len++];
	/* pending[] is filled by the caller when DPOR needs it */
	nd->kind = 0;
	nd->chosen = nd->n = nd->start = 0;
	nd->enabled = nd->backtrack = nd->done = nd->sleep = 0;
	nd->wut = WUT_NONE;
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

static void odpor_forced(struct explorer *x, int a);

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
	if (x->strategy == SIM_EXPLORE_ODPOR)
		odpor_forced(x, a);
	return a;
}

/* ---- optimal DPOR: following the wakeup trees --------------------------- */

/* The step about to be taken is the tree node c, the first child of a
 * wakeup tree: its data choices are replayed, and its subtree becomes the
 * wakeup tree of the next node (detached: that node owns it now). */
static void odpor_take(struct explorer *x, uint32_t c)
{
	struct wut_node *w = &x->wut.n[c];
	assert(x->next_wut == WUT_NONE);
	x->cur = w->step;
	x->guided = true;
	x->next_wut = w->child;
	w->child = WUT_NONE;
}

/* c, about to be taken, is an entry of *list: move every other entry of
 * the same actor from *list to the stash.  They are the same step with
 * other data choices (wut_insert keeps those apart); the step's first data
 * node keeps them, and each becomes the wakeup tree below the node's value
 * that it records (odpor_data_replay).  An entry with no recorded choices
 * is covered by c: every value of the step is explored. */
static void odpor_stash(struct explorer *x, uint32_t *list, uint32_t c)
{
	int a = x->wut.n[c].step.actor;
	assert(x->stash == WUT_NONE);
	for (uint32_t *link = list, tail = WUT_NONE; *link != WUT_NONE;) {
		uint32_t i = *link;
		struct wut_node *w = &x->wut.n[i];
		if (i == c || w->step.actor != a) {
			link = &w->next;
			continue;
		}
		*link = w->next;
		w->next = WUT_NONE;
		if (w->step.ndata == WUT_DATA_UNKNOWN) {
			wut_free(&x->wut, i);
			continue;
		}
		if (tail == WUT_NONE)
			x->stash = i;
		else
			x->wut.n[tail].next = i;
		tail = i;
	}
}

/* Nothing recorded to follow from here on. */
static void odpor_unguided(struct explorer *x)
{
	x->guided = false;
	wut_free(&x->wut, x->next_wut);
	x->next_wut = WUT_NONE;
}

/* A forced step of actor a (no node): take the inherited tree's child for
 * a, if any.  A tree whose children are other actors' steps cannot be
 * followed (they are not runnable here); that is counted as a fallback. */
static void odpor_forced(struct explorer *x, int a)
{
	uint32_t list = x->next_wut, c = list;
	x->next_wut = WUT_NONE;
	if (list == WUT_NONE) {
		x->guided = false;
		return;
	}
	while (c != WUT_NONE && x->wut.n[c].step.actor != a)
		c = x->wut.n[c].next;
	if (c == WUT_NONE) {
		x->fallbacks++;
		x->guided = false;
		wut_free(&x->wut, list);
		return;
	}
	odpor_stash(x, &list, c);
	if (c != list || x->wut.n[list].next != WUT_NONE)
		x->fallbacks++;
	odpor_take(x, c);
	wut_free(&x->wut, list);
}

/* Drop first children of nd's tree that cannot be taken (not runnable, or
 * asleep: the recorded sequence went astray); each is a fallback. */
static void odpor_prune_front(struct explorer *x, struct node *nd)
{
	while (nd->wut != WUT_NONE) {
		sim_mask bit = (sim_mask)1 << x->wut.n[nd->wut].step.actor;
		if ((nd->enabled & bit) && !((nd->sleep | nd->done) & bit))
			return;
		x->fallbacks++;
		wut_remove_first(&x->wut, &nd->wut);
	}
}

static struct wut_step step_now(const struct sim_exec *ex, int a)
{
	return (struct wut_step){a, ex->actors[a].pending, WUT_DATA_UNKNOWN, {0}};
}

/* A new SCHED node under optimal DPOR: its wakeup tree is the inherited
 * subtree, or (none inherited) one runnable actor not asleep.  Returns the
 * actor, or -1 if every runnable actor is asleep (the node is then dropped). */
static int odpor_new_node(struct explorer *x, struct sim_exec *ex, struct node *nd)
{
	sim_mask cand = nd->enabled & ~nd->sleep;
	nd->wut = x->next_wut;
	x->next_wut = WUT_NONE;
	odpor_prune_front(x, nd);
	if (nd->wut == WUT_NONE && cand) {
		struct wut_step st = step_now(ex, lowest(cand));
		nd->wut = wut_leaf(&x->wut, &st);
	}
	if (nd->wut == WUT_NONE) {
		x->guided = false;
		x->len--; /* sleep-set blocked */
		return -1;
	}
	odpor_stash(x, &nd->wut, nd->wut);
	odpor_take(x, nd->wut);
	return x->wut.n[nd->wut].step.actor;
}

/* Whether entry w records the values of nodes[first..last] for its step's
 * first last-first+1 choices. */
static bool data_match(const struct explorer *x, const struct wut_step *w, size_t first, size_t last)
{
	size_t k = last - first + 1;
	if (w->ndata == WUT_DATA_UNKNOWN || w->ndata > WUT_DATA_MAX || w->ndata < k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (w->data[i] != x->nodes[first + i].chosen)
			return false;
	return true;
}

/* A data node replayed.  If it has just moved to another value (it is the
 * last node), the step goes on as the stashed entry that records the values
 * chosen so far, and the steps below follow that entry's subtree; with no
 * such entry, nothing is recorded below (the races of the new value are
 * found by its own executions). */
static void odpor_data_replay(struct explorer *x, const struct node *nd)
{
	if (nd->chosen == nd->start)
		return;
	x->guided = false; /* the rest of this step's choices were recorded for another value */
	if (x->pos + 1 != x->len || nd->ev == NO_NODE)
		return;
	assert(x->next_wut == WUT_NONE);
	size_t first = x->pos - nd->choice;
	assert(x->nodes[first].kind == NODE_DATA && x->nodes[first].choice == 0 && x->nodes[first].ev == nd->ev);
	for (uint32_t *link = &x->nodes[first].wut; *link != WUT_NONE; link = &x->wut.n[*link].next) {
		uint32_t i = *link;
		if (!data_match(x, &x->wut.n[i].step, first, x->pos))
			continue;
		*link = x->wut.n[i].next;
		x->wut.n[i].next = WUT_NONE;
		odpor_take(x, i);
		wut_free(&x->wut, i);
		return;
	}
}

/* The value of a new data node: the recorded one when following a recorded
 * step, else 0.  A step that makes more choices than were recorded, or a
 * recorded value out of range, has gone astray: stop following. */
static uint32_t odpor_data_value(struct explorer *x, uint32_t n, uint32_t choice)
{
	if (!x->guided)
		return 0;
	if (x->cur.ndata == WUT_DATA_UNKNOWN) {
		x->guided = false; /* the last step of a reversal: nothing recorded below it */
		return 0;
	}
	if (x->cur.ndata > WUT_DATA_MAX || choice >= x->cur.ndata || x->cur.data[choice] >= n) {
		x->fallbacks++;
		odpor_unguided(x);
		return 0;
	}
	return x->cur.data[choice];
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
	if (x->stash != WUT_NONE) { /* the previous step made no choice */
		wut_free(&x->wut, x->stash);
		x->stash = WUT_NONE;
	}
	if (!(enabled & (enabled - 1)))
		return forced_pick(x, ex, enabled);
	if (x->pos < x->len) {
		nd = &x->nodes[x->pos];
		if (nd->kind != NODE_SCHED || nd->enabled != enabled)
			fatal_nondeterminism();
		if (x->strategy == SIM_EXPLORE_ODPOR) {
			assert(nd->wut != WUT_NONE && x->wut.n[nd->wut].step.actor == (int)nd->chosen);
			if (x->pos + 1 == x->len)
				odpor_stash(x, &nd->wut, nd->wut); /* the child backtrack just moved to */
			odpor_take(x, nd->wut);
		}
	} else {
		sim_mask asleep = is_dpor(x) ? x->next_sleep : 0;
		if ((enabled & ~asleep) && !enter_subtree(x))
			return -1; /* (a sleep-set blocked node is no subtree) */
		nd = push_node(x);
		nd->kind = NODE_SCHED;
		nd->enabled = enabled;
		if (is_dpor(x)) {
			for (uint32_t i = 0; i < ex->actor_count; i++)
				nd->pending[i] = ex->actors[i].pending;
			nd->sleep = x->next_sleep;
		}
		if (x->strategy == SIM_EXPLORE_ODPOR) {
			int a = odpor_new_node(x, ex, nd);
			if (a < 0)
				return -1;
			nd->chosen = (uint32_t)a;
			x->pos++;
			x->next_sleep = child_sleep(nd, a);
			return a;
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
	if (is_dpor(x))
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
	if (x->strategy == SIM_EXPLORE_ODPOR && in_step(x, ex)) {
		struct event *ev = &x->events[x->nev - 1];
		if (ev->ndata < WUT_DATA_MAX)
			ev->dval[ev->ndata] = value;
		else
			x->choices_overflow = true; /* the step cannot be replayed exactly: stop */
		ev->ndata++;
	}
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
		if (x->strategy == SIM_EXPLORE_ODPOR)
			odpor_data_replay(x, nd);
	} else {
		if (!enter_subtree(x))
			return 0; /* no node: the execution is abandoned at its next pick */
		bool step = in_step(x, ex);
		uint32_t v = x->strategy == SIM_EXPLORE_ODPOR && step ? odpor_data_value(x, n, x->step_choices) : 0;
		nd = push_node(x);
		nd->kind = NODE_DATA;
		nd->n = n;
		nd->chosen = nd->start = v;
		nd->ev = step ? x->nev - 1 : NO_NODE;
		nd->choice = x->step_choices;
		if (step && nd->choice == 0) {
			nd->wut = x->stash; /* the step's alternatives (odpor_stash) */
			x->stash = WUT_NONE;
		}
	}
	x->step_choices++;
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

static void push_event(struct explorer *x, int a, const struct sim_access *acc, const uint32_t *clock)
{
	ensure((void **)&x->events, &x->evcap, x->nev + 1, sizeof(struct event));
	dep_push(&x->deps, acc);
	struct event *ev = &x->events[x->nev++];
	assert(x->deps.steps == x->nev);
	ev->actor = a;
	ev->acc = *acc;
	ev->data = 0;
	ev->ndata = 0;
	ev->held_off = ev->held_n = 0;
	assert(x->forced || x->pos > 0);
	ev->node = x->forced ? NO_NODE : x->pos - 1;
	if (clock)
		memcpy(ev->clock, clock, sizeof(ev->clock));
}

/* Record in e the locks its actor holds before it, then apply e to them. */
static void note_holdings(struct explorer *x, struct event *e)
{
	uint32_t a = (uint32_t)e->actor, n = x->nhold[a];
	ensure((void **)&x->heldbuf, &x->heldcap, x->nheld + n + 1, sizeof(sim_obj));
	e->held_off = (uint32_t)x->nheld;
	e->held_n = n;
	memcpy(&x->heldbuf[x->nheld], x->hold[a], n * sizeof(sim_obj));
	x->nheld += n;
	if (e->acc.kind == SIM_LOCK) {
		assert(n < SIM_FLAGS_MAX);
		x->hold[a][x->nhold[a]++] = e->acc.obj;
	} else if (e->acc.kind == SIM_UNLOCK) {
		for (uint32_t k = 0; k < n; k++)
			if (x->hold[a][k] == e->acc.obj) {
				x->hold[a][k] = x->hold[a][--x->nhold[a]];
				break;
			}
	}
}

static void x_step(void *ctx, struct sim_exec *ex, int a, const struct sim_access *acc)
{
	struct explorer *x = ctx;
	x->step_choices = 0;
	if (!is_dpor(x)) {
		if (x->count_classes)
			push_event(x, a, acc, NULL);
		return;
	}
	uint32_t join[SIM_ACTORS_MAX];
	memcpy(join, x->clocks[a], sizeof(join));
	find_races(x, a, acc, join, ex->actor_count, x->strategy == SIM_EXPLORE_DPOR);
	join[a]++;
	memcpy(x->clocks[a], join, sizeof(join));
	push_event(x, a, acc, join);
	if (x->strategy == SIM_EXPLORE_ODPOR)
		note_holdings(x, &x->events[x->nev - 1]);
}

/* ---- optimal DPOR: races and their reversals ---------------------------- */

static struct wut_step event_step(const struct event *e)
{
	struct wut_step st = {e->actor, e->acc, e->ndata, {0}};
	memcpy(st.data, e->dval, sizeof(st.data));
	return st;
}

/* Whether step i happens before step k (k later, or k == nev for an access
 * whose clock is given). */
static bool hb(const struct explorer *x, size_t i, const uint32_t *clock_k)
{
	const struct event *e = &x->events[i];
	return e->clock[e->actor] <= clock_k[e->actor];
}

/* Reverse the race of step i with b's access acc (a later step, or b's
 * pending access): v = every later step of the execution that does not
 * happen after i (notdep(i), also those after b's step: without them the
 * order the rest of the execution had is lost, and with it classes), then
 * (b, acc).  Unless an actor asleep or done at i's node is a
 * weak initial of v (its class is explored from there already), insert v
 * into that node's wakeup tree. */
static void odpor_reverse(struct explorer *x, size_t i, int b, const struct sim_access *acc)
{
	const struct event *ei = &x->events[i];
	struct node *nd = &x->nodes[ei->node];
	ensure((void **)&x->seq, &x->seqcap, x->nev - i + 1, sizeof(struct wut_step));
	size_t len = 0;
	for (size_t k = i + 1; k < x->nev; k++)
		if (!hb(x, i, x->events[k].clock))
			x->seq[len++] = event_step(&x->events[k]);
	/* the reversed step runs before step i now: what it reads, and so which
	 * choices it makes, may differ from this execution's */
	x->seq[len++] = (struct wut_step){b, *acc, WUT_DATA_UNKNOWN, {0}};
	for (sim_mask q = nd->sleep | nd->done; q; q &= q - 1) {
		int a = lowest(q);
		if (wut_weak_initial(a, &nd->pending[a], x->seq, len))
			return;
	}
	wut_insert(&x->wut, &nd->wut, x->seq, len);
}

/* Whether acc, a lock acquire or a quiesce, could never run just before
 * step d: d's own actor holds the lock then, or a lock of the class (those
 * releases follow d in its actor's order, so no reordering moves them before
 * d).  Such a d (its release, an inner acquire of a nested section, a
 * quiesce inside a section) neither races with acc nor hides the race with
 * the step before it that takes the lock (the immediacy test skips it).
 * Other actors' locks are no such obstacle: their releases may be among the
 * steps that the reversal moves first. */
static bool holder_blocks(const struct explorer *x, const struct event *d, const struct sim_access *acc)
{
	const sim_obj *held = &x->heldbuf[d->held_off];
	for (uint32_t k = 0; k < d->held_n; k++)
		if ((acc->kind == SIM_LOCK && held[k] == acc->obj) ||
		    (acc->kind == SIM_QUIESCE && SIM_CLASS(held[k]) == acc->obj))
			return true;
	return false;
}

/* Append v to the growable array *a of *n entries (capacity *cap). */
static void push_u32(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
	ensure((void **)a, cap, *n + 1, sizeof(uint32_t));
	(*a)[(*n)++] = v;
}

/* The events before j (j: an event whose access is acc, or nev) of other
 * actors than b that acc depends on, into x->depbuf in execution order;
 * returns how many.  The chains come newest first: merged from their ends. */
static size_t dependents(struct explorer *x, size_t j, int b, const struct sim_access *acc)
{
	struct dep_chains ch = dep_chains_of(&x->deps, acc, (uint32_t)j);
	size_t n[2] = {0, 0};
	for (int c = 0; c < 2; c++)
		for (uint32_t i = ch.head[c]; i != DEP_END; i = dep_next(&x->deps, &ch, c, i))
			if (x->events[i].actor != b && sim_access_dependent(&x->events[i].acc, acc))
				push_u32(&x->chainbuf[c], &n[c], &x->chaincap[c], i);
	x->ndep = 0;
	while (n[0] || n[1]) {
		uint32_t v0 = n[0] ? x->chainbuf[0][n[0] - 1] : UINT32_MAX;
		uint32_t v1 = n[1] ? x->chainbuf[1][n[1] - 1] : UINT32_MAX;
		push_u32(&x->depbuf, &x->ndep, &x->depcap, v0 < v1 ? v0 : v1);
		n[v0 < v1 ? 0 : 1]--;
	}
	return x->ndep;
}

/* The races of b's access acc at position j (before: b's clock before it):
 * each earlier dependent step i of another actor that does not happen before
 * b's previous step and happens before no other dependent step between them
 * (an immediate race), and that could have run the other way round. */
static void odpor_scan(struct explorer *x, size_t j, int b, const struct sim_access *acc, const uint32_t *before)
{
	size_t nd = dependents(x, j, b, acc);
	const uint32_t *dep = x->depbuf;
	for (size_t k = 0; k < nd; k++) {
		size_t i = dep[k];
		const struct event *ei = &x->events[i];
		if (ei->node == NO_NODE || hb(x, i, before) || !coenabled(&ei->acc, acc) || holder_blocks(x, ei, acc))
			continue;
		bool immediate = true;
		for (size_t l = k + 1; l < nd && immediate; l++) {
			const struct event *ed = &x->events[dep[l]];
			if (!holder_blocks(x, ed, acc) && hb(x, i, ed->clock))
				immediate = false;
		}
		if (immediate)
			odpor_reverse(x, i, b, acc);
	}
}

/* After an execution: reverse every race among its steps, and with the
 * pending access of every actor that did not finish.  Races within the
 * replayed prefix are reversed again: their sequences end with other steps
 * now (notdep), which wut_insert may not find covered. */
static void odpor_races(struct explorer *x, const struct sim_exec *ex)
{
	static const uint32_t zero[SIM_ACTORS_MAX];
	const uint32_t *before[SIM_ACTORS_MAX];
	for (int a = 0; a < SIM_ACTORS_MAX; a++)
		before[a] = zero;
	for (size_t j = 0; j < x->nev; j++) {
		const struct event *e = &x->events[j];
		odpor_scan(x, j, e->actor, &e->acc, before[e->actor]);
		before[e->actor] = e->clock;
	}
	for (uint32_t q = 0; q < ex->actor_count; q++)
		if (!ex->actors[q].finished)
			odpor_scan(x, x->nev, (int)q, &ex->actors[q].pending, x->clocks[q]);
	odpor_unguided(x);
	wut_free(&x->wut, x->stash);
	x->stash = WUT_NONE;
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
			find_races(x, (int)i, &ex->actors[i].pending, NULL, 0, true);
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
			wut_free(&x->wut, nd->wut);
			nd->wut = WUT_NONE;
		} else if (x->strategy == SIM_EXPLORE_ODPOR) {
			nd->done |= (sim_mask)1 << nd->chosen;
			wut_remove_first(&x->wut, &nd->wut);
			odpor_prune_front(x, nd);
			if (nd->wut != WUT_NONE) {
				nd->chosen = (uint32_t)x->wut.n[nd->wut].step.actor;
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
			if (x->strategy == SIM_EXPLORE_ODPOR) {
				known = index;
				for (uint32_t c = nd->wut; c != WUT_NONE; c = x->wut.n[c].next)
					known++;
			}
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
	assert(s != SIM_EXPLORE_ODPOR || b->split_depth == 0); /* sim_bounds.split_depth */
	wut_pool_init(&x.wut);
	x.next_wut = x.stash = WUT_NONE;
	dep_init(&x.deps);
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
		if (s == SIM_EXPLORE_ODPOR)
			odpor_races(&x, ex);
		if (mine)
			account(r, end, ex);
		if (mine && x.count_classes && end != SIM_END_PRUNED)
			class_set_add(&x.classes, class_hash(&x, ex->actor_count));
		r->subtrees = x.frontier;
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
	static const char *const names[] = {"dfs", "dpor", "preemption-bounded dfs", "random", "pct", "timed", "odpor"};
	return names[s];
}

const char *sim_incomplete_name(enum sim_incomplete why)
{
	static const char *const names[] = {"complete",    "execution bound", "step bound",
					    "time bound",  "interrupted",
					    "a step made more data choices than odpor records (use dpor)"};
	return names[why];
}
