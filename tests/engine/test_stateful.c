/*
 * test_stateful.c - state caching (explore.h: SIM_EXPLORE_STATEFUL and
 * SIM_EXPLORE_STATEFUL_FULL) against the naive search on random toy
 * programs, its state store, symmetry, bounds and cycles.
 *
 * A toy actor runs a list of operations on shared cells with its position
 * in a C local (so the stack carries its state, as the model's do) and its
 * own data in a sim_spawn_ctx block.  Actors with equal operation lists may
 * be put in one class: then they write a value of their class, never of
 * their own, so that the program really treats them alike.  The answer of a
 * search is the set of final worlds (cells and deadlock); state caching must
 * find exactly the set the naive search finds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "explore.h"
#include "prng.h"
#include "sim.h"
#include "statestore.h"

enum { ACTORS = 4, OPS = 12, CELLS = 3, FINALS = 4096 * 8 };

#define TALLY 0x03000000u /* the tally's object, in a class of its own */

enum op_kind {
	OP_ACCESS, OP_WRITE, OP_READ_SKIP, OP_ADD, OP_LOCK, OP_UNLOCK, OP_CHOOSE, OP_SIGNAL, OP_WAIT, OP_TALLY, OP_PEEK
};

struct op {
	enum op_kind kind;
	uint32_t obj;
	uint32_t n;
};

struct ctx {
	const struct op *ops; /* shared by the members of a class */
	uint32_t nops;
	uint32_t cls;
	uint32_t done; /* operations done (own data, in the ctx) */
};

struct world {
	uint32_t cell[CELLS];
	uint32_t spin; /* OP_WAIT on object 7 spins on it instead (cycles) */
	uint32_t tally; /* object TALLY: only ever added to */
};

static struct {
	uint32_t actors;
	struct op ops[ACTORS][OPS];
	uint32_t nops[ACTORS];
	uint32_t cls[ACTORS];
	struct ctx ctx[ACTORS], run;
	struct world w;
	bool spin_mode;
	sim_obj add_only_class; /* what the program declares add-only (sim_program.add_only_class) */
	uint64_t finals[FINALS / 64];
	uint32_t nfinals;
	uint32_t failures;
} T;

static void toy_actor(struct sim_exec *ex, void *arg)
{
	struct ctx *c = arg;
	for (uint32_t i = 0; i < c->nops; i++) {
		const struct op *o = &c->ops[i];
		switch (o->kind) {
		case OP_ACCESS:
			sim_yield(ex, SIM_WRITE, o->obj, "toy write");
			break;
		case OP_WRITE:
			sim_yield(ex, SIM_WRITE, o->obj, "toy write value");
			T.w.cell[o->obj] = c->cls + 1;
			break;
		case OP_READ_SKIP: /* a cell that holds 1 skips the next operation */
			sim_yield(ex, SIM_READ, o->obj, "toy read");
			if (T.w.cell[o->obj] == 1)
				i++;
			break;
		case OP_ADD:
			sim_yield(ex, SIM_ADD, o->obj, "toy add");
			T.w.cell[o->obj] += c->cls + 1;
			break;
		case OP_TALLY:
			sim_yield(ex, SIM_ADD, TALLY, "toy tally");
			T.w.tally += c->cls + 1;
			break;
		case OP_PEEK: /* a read of the tally: breaks an add-only claim */
			sim_yield(ex, SIM_READ, TALLY, "toy peek");
			break;
		case OP_LOCK:
			sim_lock(ex, 0x01000000u | o->obj, "toy lock");
			break;
		case OP_UNLOCK:
			sim_unlock(ex, 0x01000000u | o->obj, "toy unlock");
			break;
		case OP_CHOOSE: /* value 1 skips the next operation */
			if (sim_choose(ex, o->n, "toy choice") == 1)
				i++;
			break;
		case OP_SIGNAL:
			sim_signal(ex, 0x02000000u | o->obj, "toy signal");
			break;
		case OP_WAIT:
			if (T.spin_mode) {
				while (1) {
					sim_yield(ex, SIM_READ, 7, "toy spin");
					if (T.w.spin)
						break;
				}
			} else {
				sim_wait(ex, 0x02000000u | o->obj, "toy wait");
			}
			break;
		}
		c->done++;
	}
}

static void toy_begin(void *p, struct sim_exec *ex)
{
	(void)p;
	memset(&T.w, 0, sizeof(T.w));
	for (uint32_t a = 0; a < T.actors; a++) {
		memset(&T.ctx[a], 0, sizeof(T.ctx[a]));
		/* members of a class share the first member's operation list */
		uint32_t first = a;
		while (first > 0 && T.cls[first - 1] == T.cls[a])
			first--;
		T.ctx[a] = (struct ctx){T.ops[first], T.nops[first], T.cls[a], 0};
		sim_spawn_ctx(ex, "toy", toy_actor, &T.ctx[a], &T.run, sizeof(T.run), T.cls[a]);
	}
}

static void toy_end(void *p, struct sim_exec *ex, enum sim_end end)
{
	(void)p;
	(void)ex;
	if (end == SIM_END_FAILED) {
		T.failures++;
		return;
	}
	uint32_t f = (T.w.cell[0] | T.w.cell[1] << 4 | T.w.cell[2] << 8 | (uint32_t)(end == SIM_END_DEADLOCK) << 11) << 3 |
		     (T.w.tally & 7);
	assert_true(f < FINALS);
	if (!(T.finals[f / 64] & (1ull << (f % 64))))
		T.nfinals++;
	T.finals[f / 64] |= 1ull << (f % 64);
}

static size_t toy_key(void *p, unsigned char *buf, size_t cap)
{
	(void)p;
	if (sizeof(T.w) <= cap)
		memcpy(buf, &T.w, sizeof(T.w));
	return sizeof(T.w);
}

static void toy_load(void *p, const unsigned char *buf, size_t len)
{
	(void)p;
	assert_int_equal(len, sizeof(T.w));
	memcpy(&T.w, buf, len);
}

static const struct sim_program toy = {7, NULL, toy_begin, NULL, toy_end, toy_key, toy_load, 0};

/* Explore with s and bounds b; the final worlds are left in T.finals. */
static struct sim_result explore_with(enum sim_strategy s, struct sim_bounds b)
{
	struct sim_result r;
	memset(T.finals, 0, sizeof(T.finals));
	T.nfinals = T.failures = 0;
	struct sim_program prog = toy;
	prog.add_only_class = T.add_only_class;
	assert_int_equal(sim_explore(&prog, s, &b, false, &r), 0);
	return r;
}

static struct sim_result explore(enum sim_strategy s)
{
	return explore_with(s, (struct sim_bounds){0});
}

static void add(uint32_t a, enum op_kind k, uint32_t obj, uint32_t n)
{
	assert_true(T.nops[a] < OPS);
	T.ops[a][T.nops[a]++] = (struct op){k, obj, n};
}

/* A random operation list for actor a: accesses to a few cells, some of
 * them inside a lock section, choices, and (when flags) a signal or wait. */
static void random_ops(struct sim_prng *p, uint32_t a, bool flags)
{
	static const enum op_kind kinds[] = {OP_ACCESS, OP_WRITE, OP_READ_SKIP, OP_ADD, OP_CHOOSE};
	uint32_t n = 1 + (uint32_t)sim_prng_below(p, T.actors > 3 ? 1 : 2); /* the naive search stays small */
	for (uint32_t i = 0; i < n; i++) {
		bool section = sim_prng_below(p, 4) == 0;
		uint32_t lock = (uint32_t)sim_prng_below(p, 2);
		if (section)
			add(a, OP_LOCK, lock, 0);
		enum op_kind k = kinds[sim_prng_below(p, 5)];
		add(a, k, (uint32_t)sim_prng_below(p, CELLS), k == OP_CHOOSE ? 2 + (uint32_t)sim_prng_below(p, 2) : 0);
		if (section)
			add(a, OP_UNLOCK, lock, 0);
	}
	if (flags && sim_prng_below(p, 3) == 0)
		add(a, sim_prng_below(p, 2) ? OP_SIGNAL : OP_WAIT, 0, 0);
}

static void reset(uint32_t actors)
{
	memset(&T, 0, sizeof(T));
	T.actors = actors;
	for (uint32_t a = 0; a < actors; a++)
		T.cls[a] = a;
}

/* The final worlds of s equal those of the naive search on the same program. */
static void assert_same_finals(enum sim_strategy s, const uint64_t *oracle, uint32_t count)
{
	struct sim_result r = explore(s);
	assert_true(r.complete);
	assert_int_equal(T.nfinals, count);
	assert_memory_equal(T.finals, oracle, sizeof(T.finals));
}

/* Random programs of two to four actors, some of them interchangeable:
 * both state-caching strategies reach every final world the naive search
 * reaches, and no other. */
static void test_stateful_random_programs_same_finals(void **state)
{
	(void)state;
	struct sim_prng p;
	sim_prng_seed(&p, 1404);
	uint64_t oracle[FINALS / 64];
	for (int round = 0; round < 300; round++) {
		reset(2 + (uint32_t)sim_prng_below(&p, 3));
		bool flags = round % 3 == 0;
		for (uint32_t a = 0; a < T.actors; a++) {
			if (a > 0 && sim_prng_below(&p, 2) == 0) {
				T.cls[a] = T.cls[a - 1]; /* interchangeable with the previous actor */
				continue;
			}
			random_ops(&p, a, flags);
		}
		struct sim_result naive = explore(SIM_EXPLORE_DFS);
		assert_true(naive.complete);
		uint32_t count = T.nfinals;
		memcpy(oracle, T.finals, sizeof(oracle));
		assert_same_finals(SIM_EXPLORE_STATEFUL_FULL, oracle, count);
		assert_same_finals(SIM_EXPLORE_STATEFUL, oracle, count);
	}
}

/* The step memo (stateful.c) answers a step to a seen state without taking
 * it.  On random programs: the search with it visits the same states and
 * transitions as without it and finds the same finals, and every answer it
 * gives equals the step taken (memo_check takes them all and compares). */
static void test_stateful_memo_same_search(void **state)
{
	(void)state;
	struct sim_prng p;
	sim_prng_seed(&p, 2811);
	uint64_t hits = 0;
	for (int round = 0; round < 300; round++) {
		reset(2 + (uint32_t)sim_prng_below(&p, 3));
		bool flags = round % 3 == 0;
		for (uint32_t a = 0; a < T.actors; a++) {
			if (a > 0 && sim_prng_below(&p, 2) == 0) {
				T.cls[a] = T.cls[a - 1];
				continue;
			}
			random_ops(&p, a, flags);
		}
		for (int full = 0; full < 2; full++) {
			enum sim_strategy s = full ? SIM_EXPLORE_STATEFUL_FULL : SIM_EXPLORE_STATEFUL;
			struct sim_result off = explore_with(s, (struct sim_bounds){.memo_off = true});
			uint64_t finals[FINALS / 64];
			uint32_t count = T.nfinals;
			memcpy(finals, T.finals, sizeof(finals));
			assert_int_equal(off.memo_hits, 0);
			struct sim_result on = explore(s);
			assert_int_equal(on.states, off.states);
			assert_int_equal(on.transitions, off.transitions);
			assert_int_equal(on.executions, off.executions);
			assert_int_equal(T.nfinals, count);
			assert_memory_equal(T.finals, finals, sizeof(finals));
			hits += on.memo_hits;
			struct sim_result check = explore_with(s, (struct sim_bounds){.memo_check = true});
			assert_int_equal(check.memo_mismatches, 0);
			assert_int_equal(check.memo_hits, 0);
			assert_int_equal(check.states, off.states);
		}
	}
	assert_true(hits > 1000); /* the memo did answer */
}

/* A random operation list for actor a with lock sections of one or two
 * operations, sometimes a nested lock, and lockless operations: the shapes
 * a block (stateful.c, block_continues) may or may not swallow. */
static void random_sections(struct sim_prng *p, uint32_t a)
{
	static const enum op_kind kinds[] = {OP_ACCESS, OP_WRITE, OP_READ_SKIP, OP_ADD, OP_CHOOSE, OP_SIGNAL};
	uint32_t n = 1 + (uint32_t)sim_prng_below(p, 2);
	for (uint32_t i = 0; i < n; i++) {
		bool section = sim_prng_below(p, 3) != 0, nested = section && sim_prng_below(p, 4) == 0;
		uint32_t lock = (uint32_t)sim_prng_below(p, 2), ops = section ? 1 + (uint32_t)sim_prng_below(p, 2) : 1;
		if (section)
			add(a, OP_LOCK, lock, 0);
		if (nested)
			add(a, OP_LOCK, 1 - lock, 0);
		for (uint32_t k = 0; k < ops; k++) {
			enum op_kind kind = kinds[sim_prng_below(p, 6)];
			add(a, kind, (uint32_t)sim_prng_below(p, CELLS), kind == OP_CHOOSE ? 2 : 0);
		}
		if (nested)
			add(a, OP_UNLOCK, 1 - lock, 0);
		if (section)
			add(a, OP_UNLOCK, lock, 0);
	}
}

/* Insert a tally add after some of actor a's operations (inside lock
 * sections too), up to most operations in all. */
static void insert_tallies(struct sim_prng *p, uint32_t a, uint32_t most)
{
	for (uint32_t i = 0; i < T.nops[a]; i++)
		if (T.nops[a] < most && sim_prng_below(p, 3) == 0) {
			memmove(&T.ops[a][i + 2], &T.ops[a][i + 1], (T.nops[a] - i - 1) * sizeof(struct op));
			T.ops[a][i + 1] = (struct op){OP_TALLY, 0, 0};
			T.nops[a]++;
			i++;
		}
}

/* 300 random programs of lock sections and lockless operations (seed;
 * with tallies, tally adds declared add-only among them): the state-caching
 * search with blocks and the one without, dpor and odpor all reach exactly
 * the naive search's final worlds, and the blocks save states over all (not
 * on every program: a block changes which states the DPOR's backtracking
 * reaches). */
static void blocks_against_naive(uint64_t seed, bool tallies)
{
	struct sim_prng p;
	sim_prng_seed(&p, seed);
	uint64_t oracle[FINALS / 64], on_states = 0, off_states = 0;
	for (int round = 0; round < 300; round++) {
		reset(2 + (uint32_t)sim_prng_below(&p, 2));
		T.add_only_class = tallies ? SIM_CLASS(TALLY) : 0;
		for (uint32_t a = 0; a < T.actors; a++) {
			if (a > 0 && sim_prng_below(&p, 3) == 0) {
				T.cls[a] = T.cls[a - 1];
				continue;
			}
			random_sections(&p, a);
			if (tallies)
				insert_tallies(&p, a, T.actors > 2 ? 6 : 8); /* the naive search stays small */
		}
		struct sim_result naive = explore(SIM_EXPLORE_DFS);
		assert_true(naive.complete);
		uint32_t count = T.nfinals;
		memcpy(oracle, T.finals, sizeof(oracle));
		struct sim_result off = explore_with(SIM_EXPLORE_STATEFUL, (struct sim_bounds){.blocks_off = true});
		assert_true(off.complete);
		assert_int_equal(T.nfinals, count);
		assert_memory_equal(T.finals, oracle, sizeof(oracle));
		for (int e = 0; e < 2; e++) { /* the replaying DPORs too: failing executions (two signals) */
			struct sim_result d = explore(e ? SIM_EXPLORE_ODPOR : SIM_EXPLORE_DPOR);
			assert_true(d.complete);
			assert_int_equal(T.nfinals, count);
			assert_memory_equal(T.finals, oracle, sizeof(oracle));
		}
		struct sim_result on = explore(SIM_EXPLORE_STATEFUL);
		assert_true(on.complete);
		assert_int_equal(T.nfinals, count);
		assert_memory_equal(T.finals, oracle, sizeof(oracle));
		on_states += on.states;
		off_states += off.states;
	}
	assert_true(on_states * 10 < off_states * 9); /* at least 10% fewer states */
}

/* Blocks (Lipton's reduction in SIM_EXPLORE_STATEFUL) against the naive
 * search, dpor and odpor (many of these programs fail, by signalling a flag
 * twice or releasing a lock a choice skipped: a failing step disables every
 * other actor, which all three searches once missed). */
static void test_stateful_blocks_same_finals(void **state)
{
	(void)state;
	blocks_against_naive(5313, false);
}

/* Both-movers: adds to an object every actor only adds to (the tally,
 * declared add-only) go in the block of the step before them, inside lock
 * sections and outside; the final worlds include the tally. */
static void test_stateful_both_movers_same_finals(void **state)
{
	(void)state;
	blocks_against_naive(6007, true);
}

/* A program that declares an object add-only and then reads it fails the
 * execution that reads, under every strategy (the claim is checked, not
 * trusted). */
static void test_add_only_claim_checked(void **state)
{
	(void)state;
	static const enum sim_strategy all[] = {SIM_EXPLORE_DFS, SIM_EXPLORE_DPOR, SIM_EXPLORE_ODPOR,
						SIM_EXPLORE_STATEFUL, SIM_EXPLORE_STATEFUL_FULL};
	for (size_t s = 0; s < sizeof(all) / sizeof(all[0]); s++) {
		reset(2);
		T.add_only_class = SIM_CLASS(TALLY);
		add(0, OP_TALLY, 0, 0);
		add(1, OP_PEEK, 0, 0);
		struct sim_result r = explore(all[s]);
		assert_true(r.failures > 0);
		T.add_only_class = 0; /* the same program, honestly declared */
		r = explore(all[s]);
		assert_int_equal(r.failures, 0);
	}
}

/* Two interchangeable actors writing one cell: symmetry merges the state
 * after "first actor wrote" with "second actor wrote", so there are fewer
 * states than without the class, and the same finals. */
static void test_stateful_symmetry_merges_states(void **state)
{
	(void)state;
	reset(2);
	add(0, OP_WRITE, 0, 0);
	add(0, OP_ADD, 1, 0);
	T.cls[1] = 0;
	struct sim_result sym = explore(SIM_EXPLORE_STATEFUL_FULL);
	uint32_t finals = T.nfinals;
	/* the same program, no class: actor 1 gets its own copy of the ops */
	T.cls[1] = 1;
	memcpy(T.ops[1], T.ops[0], sizeof(T.ops[0]));
	T.nops[1] = T.nops[0];
	struct sim_result asym = explore(SIM_EXPLORE_STATEFUL_FULL);
	assert_true(sym.complete && asym.complete);
	assert_true(sym.states < asym.states);
	(void)finals;
}

/* An actor that spins reading a flag another actor sets later: the state
 * repeats (a cycle), which the search must survive and still find the end. */
static void test_stateful_cycles(void **state)
{
	(void)state;
	reset(2);
	T.spin_mode = true;
	add(0, OP_WAIT, 0, 0);
	add(0, OP_WRITE, 0, 0);
	add(1, OP_ACCESS, 1, 0);
	add(1, OP_ACCESS, 2, 0);
	for (int s = 0; s < 2; s++) {
		struct sim_result r = explore(s ? SIM_EXPLORE_STATEFUL : SIM_EXPLORE_STATEFUL_FULL);
		/* actor 1 never sets the spin flag: every path spins for ever, so no end state */
		assert_true(r.complete);
		assert_true(r.cycles > 0);
		assert_int_equal(T.nfinals, 0);
	}
}

/* A memory bound stops the search as incomplete. */
static void test_stateful_memory_bound(void **state)
{
	(void)state;
	struct sim_prng p;
	sim_prng_seed(&p, 7);
	reset(4);
	for (uint32_t a = 0; a < 4; a++)
		random_ops(&p, a, false);
	struct sim_result r;
	struct sim_bounds b = {.memory_max = 1};
	assert_int_equal(sim_explore(&toy, SIM_EXPLORE_STATEFUL, &b, false, &r), 0);
	assert_false(r.complete);
	assert_int_equal(r.why, SIM_INCOMPLETE_MEMORY);
}

/* The state store keeps byte strings exactly: equal bytes one id, different
 * bytes different ids, whatever the hashes. */
static void test_statestore_exact(void **state)
{
	(void)state;
	struct intern t = {0};
	struct vecset v = {.width = 3};
	bool fresh;
	char buf[32];
	for (uint32_t i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "string %u", i);
		assert_int_equal(intern_add(&t, buf, (size_t)n, &fresh), i);
		assert_true(fresh);
		uint32_t vec[3] = {i, i * 7, i ^ 0x55};
		assert_int_equal(vecset_add(&v, vec, &fresh), i);
		assert_true(fresh);
	}
	for (uint32_t i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "string %u", i);
		assert_int_equal(intern_add(&t, buf, (size_t)n, &fresh), i);
		assert_false(fresh);
		assert_memory_equal(intern_bytes(&t, i), buf, (size_t)n);
		uint32_t vec[3] = {i, i * 7, i ^ 0x55};
		assert_int_equal(vecset_add(&v, vec, &fresh), i);
		assert_false(fresh);
	}
	assert_int_equal(intern_add(&t, "", 0, &fresh), 5000); /* the empty string is a string */
	assert_int_equal(intern_len(&t, 5000), 0);
	assert_int_equal(intern_len(&t, 12), 9);
	intern_free(&t);
	vecset_free(&v);
}

/* Tables of many MiB, grown many times: every string and vector is still
 * there, once, with its length. */
static void test_statestore_big(void **state)
{
	(void)state;
	struct intern t = {0};
	struct vecset v = {.width = 3};
	bool fresh;
	char buf[32];
	const uint32_t N = 700000;
	for (uint32_t i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof(buf), "s%u", i);
		assert_int_equal(intern_add(&t, buf, (size_t)n, &fresh), i);
		uint32_t vec[3] = {i, ~i, i * 3};
		assert_int_equal(vecset_add(&v, vec, &fresh), i);
	}
	assert_true(intern_bytes_held(&t) > (8u << 20) && vecset_bytes_held(&v) > (8u << 20));
	for (uint32_t i = 0; i < N; i += 7) {
		int n = snprintf(buf, sizeof(buf), "s%u", i);
		assert_int_equal(intern_add(&t, buf, (size_t)n, &fresh), i);
		assert_false(fresh);
		assert_int_equal(intern_len(&t, i), n);
		assert_memory_equal(intern_bytes(&t, i), buf, (size_t)n);
		uint32_t vec[3] = {i, ~i, i * 3};
		assert_int_equal(vecset_add(&v, vec, &fresh), i);
		assert_false(fresh);
	}
	intern_free(&t);
	vecset_free(&v);
}

/* A budget shared by two tables: growth past it is refused (the element
 * that needs the room is not added, the tables keep what they have), and
 * freeing the tables gives every byte back. */
static void test_statestore_budget(void **state)
{
	(void)state;
	struct store_budget b = {.max = 1u << 20, .held = 0};
	struct intern t = {.budget = &b};
	struct vecset v = {.width = 2, .budget = &b};
	bool fresh;
	char buf[32];
	uint32_t i, added = 0;
	for (i = 0; i < 1000000; i++) {
		int n = snprintf(buf, sizeof(buf), "budget %u", i);
		uint32_t vec[2] = {i, i + 1};
		if (intern_add(&t, buf, (size_t)n, &fresh) == UINT32_MAX || vecset_add(&v, vec, &fresh) == UINT32_MAX)
			break;
		added++;
	}
	assert_true(i < 1000000); /* the budget stopped it */
	assert_true(added > 1000);
	assert_true(b.held <= b.max);
	assert_int_equal(b.held, intern_bytes_held(&t) + vecset_bytes_held(&v));
	for (uint32_t k = 0; k < added; k += 97) { /* what they had is still there */
		int n = snprintf(buf, sizeof(buf), "budget %u", k);
		assert_int_equal(intern_len(&t, k), n);
		assert_memory_equal(intern_bytes(&t, k), buf, (size_t)n);
		assert_int_equal(v.vec[2 * k + 1], k + 1);
	}
	intern_free(&t);
	vecset_free(&v);
	assert_int_equal(b.held, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stateful_random_programs_same_finals),
		cmocka_unit_test(test_stateful_symmetry_merges_states),
		cmocka_unit_test(test_stateful_cycles),
		cmocka_unit_test(test_stateful_memory_bound),
		cmocka_unit_test(test_stateful_memo_same_search),
		cmocka_unit_test(test_stateful_blocks_same_finals),
		cmocka_unit_test(test_stateful_both_movers_same_finals),
		cmocka_unit_test(test_add_only_claim_checked),
		cmocka_unit_test(test_statestore_exact),
		cmocka_unit_test(test_statestore_big),
		cmocka_unit_test(test_statestore_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
