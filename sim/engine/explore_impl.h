/*
 * explore_impl.h - the inside of sim_explore (explore.h), shared by its
 * files and by nothing else: the decision stack, the recorded events of the
 * current execution, and the small vtable through which each strategy file
 * adds its part to the one replay loop in explore.c.
 *
 *   explore.c  the replay loop, the decision stack, trace classes
 *   dfs.c      naive depth-first search, and preemption-bounded DFS
 *   dpor.c     DPOR: vector clocks, the race scan, backtrack sets
 *   odpor.c    optimal DPOR: following wakeup trees, race reversal (wakeup.c)
 *   split.c    splitting one exploration into independent subtrees
 *   replay.c   replaying one decision sequence (not a search: no vtable)
 *
 * A new strategy is a file defining one const struct explore_strategy, a
 * value of enum sim_strategy, and its line in explore.c's strategy table.
 */
#ifndef NFRACE_EXPLORE_IMPL_H
#define NFRACE_EXPLORE_IMPL_H

#include "explore.h"

#include "depindex.h"
#include "exec.h"
#include "wakeup.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NODE_SCHED = 0, NODE_DATA = 1 };
#define NO_NODE SIZE_MAX

/* One decision of the stack: which actor stepped (SCHED), or which value a
 * data choice took (DATA). */
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

/* One step of the current execution (recorded under DPOR, optimal DPOR, and
 * when counting trace classes). */
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

struct explorer;

/*
 * struct explore_strategy - what a strategy adds to the replay loop.
 * Every hook may be NULL; the comment names what happens then.
 * @sleep_sets: keep each SCHED node's pending accesses and sleep set, and
 *	carry sleep sets down (DPOR and optimal DPOR).
 * @splits:     may be split (sim_bounds.split_depth > 0).
 * @pick:       (required) the actor to run at the new SCHED node nd, whose
 *	enabled, sleep and pending are filled in; sets nd->backtrack (or its
 *	own record of alternatives).  -1: every runnable actor is asleep, and
 *	the node is dropped (sleep-set blocked).
 * @advance:    nd (SCHED, the deepest node) has explored nd->chosen: move
 *	nd->chosen to the next alternative, or return false when none is left.
 *	NULL: the lowest actor of nd->backtrack not done and not asleep.
 * @known:      the alternatives of SCHED node nd known so far, for the
 *	progress estimate (explore.h: done_fraction).  NULL: those of the
 *	backtrack set, the done ones and the chosen one, none asleep.
 * @step:       actor a is about to perform acc.  NULL: the step is recorded
 *	only when trace classes are counted (explore_push_event).
 * @finish:     the execution ex has ended (races of accesses that never ran).
 * The hooks of a strategy that follows recorded steps (optimal DPOR):
 * @pick_begin: before every scheduling decision.
 * @forced:     a step of a, the only runnable actor (no node).
 * @replay:     SCHED node nd of the stored prefix is taken again.
 * @data_new:   the new DATA node nd belongs to the running step: may set its
 *	first value (nd->chosen, nd->start).  NULL: 0.
 * @data_replay: DATA node nd of the stored prefix is taken again.
 * @data_note:  the running step, event e, made a data choice of value.
 */
struct explore_strategy {
	bool sleep_sets;
	bool splits;
	int (*pick)(struct explorer *x, struct sim_exec *ex, struct node *nd);
	bool (*advance)(struct explorer *x, struct node *nd);
	uint32_t (*known)(const struct explorer *x, const struct node *nd, uint32_t index);
	void (*step)(struct explorer *x, struct sim_exec *ex, int a, const struct sim_access *acc);
	void (*finish)(struct explorer *x, const struct sim_exec *ex);
	void (*pick_begin)(struct explorer *x);
	void (*forced)(struct explorer *x, int a);
	void (*replay)(struct explorer *x, struct node *nd);
	void (*data_new)(struct explorer *x, struct node *nd);
	void (*data_replay)(struct explorer *x, const struct node *nd);
	void (*data_note)(struct explorer *x, struct event *e, uint32_t value);
};

/* stateful_explore - state caching (stateful.c): with DPOR's backtrack sets,
 * with every transition, or the witness search (every transition, at most
 * b->preemptions_max preemptions, a state explored again only when reached
 * with fewer preemptions, or as few and fewer steps, with the same actor
 * last); arguments and result as sim_explore's. */
enum stateful_mode { STATEFUL_DPOR, STATEFUL_FULL, STATEFUL_WITNESS };
int stateful_explore(const struct sim_program *prog, enum stateful_mode mode, const struct sim_bounds *b,
		     bool stop_on_failure, struct sim_result *r);

/* The strategies (one file each). */
extern const struct explore_strategy explore_dfs, explore_pb, explore_dpor, explore_odpor;

struct explorer {
	const struct explore_strategy *ops;
	bool sleep_sets; /* ops->sleep_sets, read on every decision */
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
	/* splitting (explore.h, split.c) */
	uint32_t split_depth, shard_k, shard_n;
	bool (*claim)(void *ctx, uint64_t subtree);
	void *claim_ctx;
	uint64_t frontier;  /* subtrees reached so far */
	uint64_t owned_count; /* of them, this process's */
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
	/* stops inside an execution (a signal, the wall clock): looked at every
	 * STOP_CHECK_PICKS decisions, since one execution may be long (an events
	 * timeline under dpor); the execution is then abandoned unaccounted */
	const struct sim_bounds *bounds;
	uint64_t picks, t0_ms;
	enum sim_incomplete stopped; /* SIM_COMPLETE until a stop */
};

static inline int lowest(sim_mask m)
{
	assert(m != 0);
	return __builtin_ctz(m);
}

/* coenabled - whether accesses a and b (of two actors) can be enabled
 * together: a lock release and another actor's acquire of that lock (or
 * lock_wait on it), a signal and a wait on the same flag, a release and a
 * quiesce on its lock class never are. */
static inline bool coenabled(const struct sim_access *a, const struct sim_access *b)
{
	if ((a->kind == SIM_UNLOCK && b->kind == SIM_LOCK) || (a->kind == SIM_LOCK && b->kind == SIM_UNLOCK))
		return false;
	if ((a->kind == SIM_SIGNAL && b->kind == SIM_WAIT) || (a->kind == SIM_WAIT && b->kind == SIM_SIGNAL))
		return false;
	if ((a->kind == SIM_UNLOCK && b->kind == SIM_QUIESCE) || (a->kind == SIM_QUIESCE && b->kind == SIM_UNLOCK))
		return false;
	if ((a->kind == SIM_UNLOCK && b->kind == SIM_LOCK_WAIT) || (a->kind == SIM_LOCK_WAIT && b->kind == SIM_UNLOCK))
		return false;
	return true;
}

/* explore_ensure - grow the array *p (capacity *cap elements of elem bytes)
 * to hold need; aborts when out of memory. */
static inline void explore_ensure(void **p, size_t *cap, size_t need, size_t elem)
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

/* explore_push_event - record the step of actor a performing acc as the
 * next event; clock (NULL: none kept) is its vector clock.  Inline: called
 * on every step under DPOR (dpor.c) and when counting classes (explore.c). */
static inline void explore_push_event(struct explorer *x, int a, const struct sim_access *acc, const uint32_t *clock)
{
	explore_ensure((void **)&x->events, &x->evcap, x->nev + 1, sizeof(struct event));
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

/* dpor_clock_step - the vector clock of actor a's step acc, from the
 * earlier steps it depends on; with races, add DPOR's backtrack points for
 * the races with them.  Records the event (dpor.c; optimal DPOR uses it
 * without races, finding its races after the execution). */
void dpor_clock_step(struct explorer *x, struct sim_exec *ex, int a, const struct sim_access *acc, bool races);

/* split_enter_subtree - about to create a node at the current position:
 * at the split depth, number the subtree below it and say whether this
 * process explores it (false: abandon the execution).  split.c. */
bool split_enter_subtree(struct explorer *x);

/* split_execution_mine - whether the current execution belongs to this
 * process (explore.h: splitting).  split.c. */
bool split_execution_mine(const struct explorer *x);

#endif /* NFRACE_EXPLORE_IMPL_H */
