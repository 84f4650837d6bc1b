/*
 * odpor.c - optimal DPOR (Abdulla, Aronis, Jonsson and Sagonas, JACM 2017),
 * SIM_EXPLORE_ODPOR: the backtrack sets of DPOR (dpor.c) replaced by wakeup
 * trees (wakeup.c).
 *
 * After each execution every race e < e' whose reversal is not already
 * covered (an actor asleep or done at e's node is a weak initial of it) puts
 * the sequence notdep(e).e' into the tree of e's node, and a node takes its
 * steps from its tree, so an execution is abandoned as sleep-set blocked
 * only where blocking (locks, flags, quiesce) or a data choice that steers
 * its actor's next access leaves nothing but sleeping actors to run.  Data
 * choices: a step is taken with every value, as under DPOR; the tree entries
 * of one actor at a node are that step with other recorded values, kept by
 * the step's first data node (odpor_stash) and followed below their own
 * value.  Optimal DPOR is never split (sim_bounds.split_depth): the wakeup
 * trees of a subtree are filled by the races of the subtrees explored
 * before it.  The steps' vector clocks are DPOR's (dpor_clock_step).
 */
#include "explore_impl.h"

#include <string.h>

/* ---- following the wakeup trees ----------------------------------------- */

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
static int odpor_pick(struct explorer *x, struct sim_exec *ex, struct node *nd)
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
		x->guided = false; /* sleep-set blocked */
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

/* Before each scheduling decision: the previous step made no data choice,
 * so its stashed alternatives have no node to keep them. */
static void odpor_pick_begin(struct explorer *x)
{
	if (x->stash != WUT_NONE) {
		wut_free(&x->wut, x->stash);
		x->stash = WUT_NONE;
	}
}

/* A SCHED node of the prefix: its step is the first child of its tree. */
static void odpor_replay(struct explorer *x, struct node *nd)
{
	assert(nd->wut != WUT_NONE && x->wut.n[nd->wut].step.actor == (int)nd->chosen);
	if (x->pos + 1 == x->len)
		odpor_stash(x, &nd->wut, nd->wut); /* the child backtrack just moved to */
	odpor_take(x, nd->wut);
}

/* A new data node of the running step: the recorded value, and the first
 * choice of a step keeps the step's stashed alternatives. */
static void odpor_data_new(struct explorer *x, struct node *nd)
{
	nd->chosen = nd->start = odpor_data_value(x, nd->n, nd->choice);
	if (nd->choice == 0) {
		nd->wut = x->stash; /* the step's alternatives (odpor_stash) */
		x->stash = WUT_NONE;
	}
}

/* The running step, event e, made a data choice of value: recorded, so that
 * a reversal can replay the step exactly. */
static void odpor_data_note(struct explorer *x, struct event *e, uint32_t value)
{
	if (e->ndata < WUT_DATA_MAX)
		e->dval[e->ndata] = value;
	else
		x->choices_overflow = true; /* the step cannot be replayed exactly: stop */
	e->ndata++;
}

/* Record in e the locks its actor holds before it, then apply e to them. */
static void note_holdings(struct explorer *x, struct event *e)
{
	uint32_t a = (uint32_t)e->actor, n = x->nhold[a];
	explore_ensure((void **)&x->heldbuf, &x->heldcap, x->nheld + n + 1, sizeof(sim_obj));
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

static void odpor_step(struct explorer *x, struct sim_exec *ex, int a, const struct sim_access *acc)
{
	dpor_clock_step(x, ex, a, acc, false);
	note_holdings(x, &x->events[x->nev - 1]);
}

/* ---- races and their reversals ------------------------------------------ */

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
	explore_ensure((void **)&x->seq, &x->seqcap, x->nev - i + 1, sizeof(struct wut_step));
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
		if (((acc->kind == SIM_LOCK || acc->kind == SIM_LOCK_WAIT) && held[k] == acc->obj) ||
		    (acc->kind == SIM_QUIESCE && SIM_CLASS(held[k]) == acc->obj))
			return true;
	return false;
}

/* Append v to the growable array *a of *n entries (capacity *cap). */
static void push_u32(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
	explore_ensure((void **)a, cap, *n + 1, sizeof(uint32_t));
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

/* The execution failed at a step from nd.  That step ends it, so it
 * disables every other actor: it is dependent with all of them (dpor.c:
 * pending_races), and no step of another actor can be a weak initial of it
 * or run after it.  So each other actor runnable at nd, not asleep or done
 * there, becomes a child of nd's tree of its own, never inserted below the
 * failing step (wut_insert would, the step being independent of it by its
 * access). */
static void failure_alternatives(struct explorer *x, struct node *nd)
{
	uint32_t first = nd->wut, last = first;
	assert(first != WUT_NONE); /* the failing step is nd's first child */
	int failed = x->wut.n[first].step.actor;
	while (x->wut.n[last].next != WUT_NONE)
		last = x->wut.n[last].next;
	for (sim_mask q = nd->enabled & ~(nd->sleep | nd->done); q; q &= q - 1) {
		int a = lowest(q);
		bool known = a == failed;
		for (uint32_t c = first; c != WUT_NONE && !known; c = x->wut.n[c].next)
			known = x->wut.n[c].step.actor == a;
		if (known)
			continue;
		struct wut_step st = {a, nd->pending[a], WUT_DATA_UNKNOWN, {0}};
		uint32_t leaf = wut_leaf(&x->wut, &st);
		x->wut.n[last].next = leaf;
		last = leaf;
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
	if (ex->end == SIM_END_FAILED && x->nev > 0 && x->events[x->nev - 1].node != NO_NODE)
		failure_alternatives(x, &x->nodes[x->events[x->nev - 1].node]);
	odpor_unguided(x);
	wut_free(&x->wut, x->stash);
	x->stash = WUT_NONE;
}

/* nd has explored its tree's first child: the next child, if any. */
static bool odpor_advance(struct explorer *x, struct node *nd)
{
	nd->done |= (sim_mask)1 << nd->chosen;
	wut_remove_first(&x->wut, &nd->wut);
	odpor_prune_front(x, nd);
	if (nd->wut == WUT_NONE)
		return false;
	nd->chosen = (uint32_t)x->wut.n[nd->wut].step.actor;
	return true;
}

/* The alternatives known at nd: those done, and its tree's children. */
static uint32_t odpor_known(const struct explorer *x, const struct node *nd, uint32_t index)
{
	uint32_t known = index;
	for (uint32_t c = nd->wut; c != WUT_NONE; c = x->wut.n[c].next)
		known++;
	return known;
}

const struct explore_strategy explore_odpor = {
	.sleep_sets = true,
	.pick = odpor_pick,
	.advance = odpor_advance,
	.known = odpor_known,
	.step = odpor_step,
	.finish = odpor_races,
	.pick_begin = odpor_pick_begin,
	.forced = odpor_forced,
	.replay = odpor_replay,
	.data_new = odpor_data_new,
	.data_replay = odpor_data_replay,
	.data_note = odpor_data_note,
};
