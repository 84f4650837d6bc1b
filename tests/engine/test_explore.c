/*
 * test_explore.c - the explorer on toy programs with known answers:
 * interleaving counts, locks, data choices, deadlock, bounds, replay, and
 * DPOR against the naive oracle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "explore.h"
#include "prng.h"
#include "sim.h"
#include "token.h"

enum { MAX_ACTORS = 4, MAX_OPS = 12, MAX_EXECS = 4096, FINALS_WORDS = 1024 };

enum op_kind { OP_ACCESS, OP_LOCK, OP_UNLOCK, OP_CHOOSE, OP_WRITEVAL, OP_CHOOSE_SKIP, OP_SIGNAL, OP_WAIT };

struct op {
	enum op_kind kind;
	enum sim_access_kind access;
	sim_obj obj;
	uint32_t n; /* OP_CHOOSE alternatives */
};

struct toy {
	uint32_t actors;
	uint32_t ops[MAX_ACTORS];
	struct op prog[MAX_ACTORS][MAX_OPS];
	/* per execution */
	uint32_t order[64];
	uint32_t order_len;
	uint32_t value[8]; /* shared cells written by OP_WRITEVAL: value = actor+1 */
	uint32_t sum[8];   /* counters: an OP_WRITEVAL of kind SIM_ADD adds actor+1 */
	/* collected */
	uint32_t execs;
	uint32_t deadlocks;
	char tokens[MAX_EXECS][96];
	uint32_t orders[MAX_EXECS][64];
	uint32_t order_lens[MAX_EXECS];
	uint32_t finals[MAX_EXECS];
	uint64_t final_set[FINALS_WORDS]; /* every (value[0..1], sum[0..1]) reached, as a bit set */
};

static struct toy T;
static uint32_t actor_ids[MAX_ACTORS] = {0, 1, 2, 3};

static void toy_actor(struct sim_exec *ex, void *arg)
{
	uint32_t me = *(uint32_t *)arg;
	for (uint32_t i = 0; i < T.ops[me]; i++) {
		const struct op *o = &T.prog[me][i];
		switch (o->kind) {
		case OP_ACCESS:
			sim_yield(ex, o->access, o->obj, "toy access");
			break;
		case OP_WRITEVAL: /* a read that sees actor 1's value skips a following access */
			sim_yield(ex, o->access, o->obj, "toy access with effect");
			if (o->access == SIM_ADD)
				T.sum[o->obj] += me + 1; /* commutes with other adds */
			else if (o->access != SIM_READ)
				T.value[o->obj] = me + 1;
			else if (T.value[o->obj] + T.sum[o->obj] == 1 && i + 1 < T.ops[me] &&
				 T.prog[me][i + 1].kind == OP_WRITEVAL)
				i++;
			break;
		case OP_LOCK:
			sim_lock(ex, o->obj, "toy lock");
			break;
		case OP_UNLOCK:
			sim_unlock(ex, o->obj, "toy unlock");
			break;
		case OP_CHOOSE:
			sim_choose(ex, o->n, "toy choice");
			break;
		case OP_SIGNAL:
			sim_signal(ex, o->obj, "toy signal");
			break;
		case OP_WAIT:
			sim_wait(ex, o->obj, "toy wait");
			break;
		case OP_CHOOSE_SKIP: /* value 1 skips a following access */
			if (sim_choose(ex, 2, "toy choice") == 1 && i + 1 < T.ops[me] &&
			    T.prog[me][i + 1].kind == OP_WRITEVAL)
				i++;
			break;
		}
		if (o->kind != OP_CHOOSE && o->kind != OP_CHOOSE_SKIP)
			T.order[T.order_len++] = me;
	}
}

static void toy_begin(void *ctx, struct sim_exec *ex)
{
	(void)ctx;
	T.order_len = 0;
	memset(T.value, 0, sizeof(T.value));
	memset(T.sum, 0, sizeof(T.sum));
	for (uint32_t i = 0; i < T.actors; i++)
		sim_spawn(ex, "toy", toy_actor, &actor_ids[i]);
}

static void toy_end(void *ctx, struct sim_exec *ex, enum sim_end end)
{
	(void)ctx;
	size_t n;
	const uint32_t *dec = sim_decisions(ex, &n);
	if (end == SIM_END_DEADLOCK)
		T.deadlocks++;
	uint32_t f = T.value[0] | T.value[1] << 3 | T.sum[0] << 6 | T.sum[1] << 11;
	assert_true(T.value[0] < 8 && T.value[1] < 8 && T.sum[0] < 32 && T.sum[1] < 32);
	T.final_set[f / 64] |= 1ull << (f % 64);
	if (T.execs < MAX_EXECS) {
		sim_token_encode(42, dec, n, T.tokens[T.execs], sizeof(T.tokens[0]));
		memcpy(T.orders[T.execs], T.order, sizeof(T.order));
		T.order_lens[T.execs] = T.order_len;
		T.finals[T.execs] = T.value[0] * 16 + T.value[1];
	}
	T.execs++;
}

static const struct sim_program toy_program = {42, NULL, toy_begin, NULL, toy_end, NULL, NULL, 0};

static void toy_reset(uint32_t actors)
{
	memset(&T, 0, sizeof(T));
	T.actors = actors;
}

static void toy_add(uint32_t actor, struct op o)
{
	assert_true(T.ops[actor] < MAX_OPS);
	T.prog[actor][T.ops[actor]++] = o;
}

static struct sim_result run(enum sim_strategy s, uint64_t executions_max)
{
	struct sim_result r;
	struct sim_bounds b = {.executions_max = executions_max};
	T.execs = 0;
	T.deadlocks = 0;
	assert_int_equal(sim_explore(&toy_program, s, &b, false, &r), 0);
	return r;
}

static void two_by_three(sim_obj obj_a, sim_obj obj_b, enum sim_access_kind kind)
{
	toy_reset(2);
	for (int i = 0; i < 3; i++) {
		toy_add(0, (struct op){OP_ACCESS, kind, obj_a, 0});
		toy_add(1, (struct op){OP_ACCESS, kind, obj_b, 0});
	}
}

static void test_dfs_two_actors_three_yields_twenty(void **state)
{
	(void)state;
	two_by_three(1, 2, SIM_WRITE);
	struct sim_result r = run(SIM_EXPLORE_DFS, 0);
	assert_true(r.complete);
	assert_int_equal(r.executions, 20);
	assert_int_equal(T.execs, 20);
}

static void test_dfs_three_actors_two_yields_ninety(void **state)
{
	(void)state;
	toy_reset(3);
	for (uint32_t a = 0; a < 3; a++)
		for (int i = 0; i < 2; i++)
			toy_add(a, (struct op){OP_ACCESS, SIM_WRITE, 1, 0});
	struct sim_result r = run(SIM_EXPLORE_DFS, 0);
	assert_int_equal(r.executions, 90); /* 6! / (2! 2! 2!) */
}

static void test_dfs_lock_serialises_sections(void **state)
{
	(void)state;
	toy_reset(2);
	for (uint32_t a = 0; a < 2; a++) {
		toy_add(a, (struct op){OP_LOCK, SIM_LOCK, 100, 0});
		toy_add(a, (struct op){OP_UNLOCK, SIM_UNLOCK, 100, 0});
	}
	struct sim_result r = run(SIM_EXPLORE_DFS, 0);
	assert_int_equal(r.executions, 2); /* 6 interleavings without the lock */
	for (uint32_t e = 0; e < 2; e++)
		assert_int_equal(T.orders[e][0], T.orders[e][1]); /* sections never overlap */
}

static void test_dfs_lock_with_outside_step(void **state)
{
	(void)state;
	/* each actor: write own cell, lock, write x, unlock.  Of the 70 interleavings
	 * of 4+4 steps only those with the two sections (lock, write, unlock) in
	 * sequence remain; the other actor's first step may fall in any of the 5 gaps
	 * before its own section: 5 per section order, 10 in all. */
	toy_reset(2);
	for (uint32_t a = 0; a < 2; a++) {
		toy_add(a, (struct op){OP_ACCESS, SIM_WRITE, 10 + a, 0});
		toy_add(a, (struct op){OP_LOCK, SIM_LOCK, 100, 0});
		toy_add(a, (struct op){OP_ACCESS, SIM_WRITE, 1, 0});
		toy_add(a, (struct op){OP_UNLOCK, SIM_UNLOCK, 100, 0});
	}
	struct sim_result r = run(SIM_EXPLORE_DFS, 0);
	assert_int_equal(r.executions, 10);
}

static void test_dfs_choices_multiply(void **state)
{
	(void)state;
	two_by_three(1, 2, SIM_WRITE);
	toy_add(0, (struct op){OP_CHOOSE, SIM_READ, 0, 3});
	struct sim_result r = run(SIM_EXPLORE_DFS, 0);
	assert_int_equal(r.executions, 60);
}

static void test_dfs_deadlock_found(void **state)
{
	(void)state;
	toy_reset(2);
	toy_add(0, (struct op){OP_LOCK, SIM_LOCK, 100, 0});
	toy_add(0, (struct op){OP_LOCK, SIM_LOCK, 101, 0});
	toy_add(0, (struct op){OP_UNLOCK, SIM_UNLOCK, 101, 0});
	toy_add(0, (struct op){OP_UNLOCK, SIM_UNLOCK, 100, 0});
	toy_add(1, (struct op){OP_LOCK, SIM_LOCK, 101, 0});
	toy_add(1, (struct op){OP_LOCK, SIM_LOCK, 100, 0});
	toy_add(1, (struct op){OP_UNLOCK, SIM_UNLOCK, 100, 0});
	toy_add(1, (struct op){OP_UNLOCK, SIM_UNLOCK, 101, 0});
	struct sim_result r = run(SIM_EXPLORE_DFS, 0);
	assert_true(r.complete);
	/* A takes 100 and B takes 101 in either order: 2 deadlocks; plus the
	 * serial orders: A's 4 steps first, B's first, and each with the other's
	 * first acquire squeezed in before the second lock is taken: 6 in all. */
	assert_int_equal(r.deadlocks, 2);
	assert_int_equal(r.executions, 6);
	r = run(SIM_EXPLORE_DPOR, 0);
	assert_true(r.deadlocks >= 1);
}

static void test_explore_bound_gives_incomplete(void **state)
{
	(void)state;
	two_by_three(1, 2, SIM_WRITE);
	struct sim_result r = run(SIM_EXPLORE_DFS, 5);
	assert_false(r.complete);
	assert_int_equal(r.why, SIM_INCOMPLETE_EXECUTIONS);
	assert_int_equal(r.executions, 5);
	struct sim_bounds b = {.steps_max = 3};
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DFS, &b, false, &r), 0);
	assert_false(r.complete);
	assert_int_equal(r.why, SIM_INCOMPLETE_STEPS);
}

static void test_replay_round_trip(void **state)
{
	(void)state;
	two_by_three(1, 1, SIM_WRITE);
	toy_add(1, (struct op){OP_CHOOSE, SIM_READ, 0, 2});
	run(SIM_EXPLORE_DFS, 0);
	uint32_t n = T.execs;
	assert_int_equal(n, 40);
	static char tokens[64][96];
	static uint32_t orders[64][64];
	memcpy(tokens, T.tokens, sizeof(tokens));
	memcpy(orders, T.orders, sizeof(orders));
	for (uint32_t e = 0; e < n; e++) {
		uint32_t dec[64];
		size_t count;
		assert_int_equal(sim_token_decode(tokens[e], 42, dec, 64, &count), SIM_TOKEN_OK);
		T.execs = 0;
		assert_int_equal(sim_replay(&toy_program, dec, count, 0, NULL, NULL), SIM_END_DONE);
		assert_memory_equal(T.orders[0], orders[e], sizeof(orders[e]));
	}
	/* a token for another program is refused; a cut-short token does not fit */
	uint32_t dec[64];
	size_t count;
	assert_int_equal(sim_token_decode(tokens[3], 43, dec, 64, &count), SIM_TOKEN_STALE);
	assert_int_equal(sim_token_decode(tokens[3], 42, dec, 64, &count), SIM_TOKEN_OK);
	assert_int_equal(sim_replay(&toy_program, dec, count - 1, 0, NULL, NULL), -1);
}

static void test_explore_deterministic(void **state)
{
	(void)state;
	static char first[MAX_EXECS][96];
	two_by_three(1, 2, SIM_RMW);
	toy_add(0, (struct op){OP_CHOOSE, SIM_READ, 0, 2});
	run(SIM_EXPLORE_DFS, 0);
	uint32_t n = T.execs;
	memcpy(first, T.tokens, sizeof(first));
	run(SIM_EXPLORE_DFS, 0);
	assert_int_equal(T.execs, n);
	assert_memory_equal(first, T.tokens, sizeof(first));
}

static void test_dpor_independent_is_one_execution(void **state)
{
	(void)state;
	two_by_three(1, 2, SIM_WRITE);
	struct sim_result r = run(SIM_EXPLORE_DPOR, 0);
	assert_true(r.complete);
	assert_int_equal(r.executions, 1);
}

static void test_classes_counted(void **state)
{
	(void)state;
	struct sim_result r;
	struct sim_bounds b = {.count_classes = true};
	two_by_three(1, 1, SIM_WRITE); /* all dependent: every interleaving is its own class */
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DFS, &b, false, &r), 0);
	assert_int_equal(r.classes, 20);
	two_by_three(1, 2, SIM_WRITE); /* all independent: one class */
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DFS, &b, false, &r), 0);
	assert_int_equal(r.executions, 20);
	assert_int_equal(r.classes, 1);
	two_by_three(1, 2, SIM_WRITE);
	toy_add(0, (struct op){OP_CHOOSE, SIM_READ, 0, 3}); /* data choices make classes */
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DFS, &b, false, &r), 0);
	assert_int_equal(r.classes, 3);
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DPOR, &b, false, &r), 0);
	assert_int_equal(r.executions, 3);
	assert_int_equal(r.classes, 3);
}

/* Random programs (reads, writes, atomic updates and commutative adds on two
 * cells; lock sections): DPOR must reach every trace class the naive search
 * reaches, one execution each, and every final state. */
static void test_dpor_random_programs_all_classes(void **state)
{
	(void)state;
	struct sim_prng p;
	struct sim_bounds b = {.count_classes = true};
	uint64_t odpor_pruned = 0, odpor_fallbacks = 0;
	sim_prng_seed(&p, 2026);
	for (int iter = 0; iter < 300; iter++) {
		toy_reset(2 + (uint32_t)sim_prng_below(&p, 2));
		for (uint32_t a = 0; a < T.actors; a++) {
			uint32_t n = 1 + (uint32_t)sim_prng_below(&p, 2); /* at most 6 of MAX_OPS */
			for (uint32_t i = 0; i < n; i++) {
				static const enum sim_access_kind kinds[] = {SIM_READ, SIM_WRITE, SIM_RMW, SIM_ADD, SIM_ADD};
				enum sim_access_kind k = kinds[sim_prng_below(&p, 5)];
				sim_obj obj = (sim_obj)sim_prng_below(&p, 2);
				bool section = sim_prng_below(&p, 4) == 0;
				if (section)
					toy_add(a, (struct op){OP_LOCK, SIM_LOCK, 100, 0});
				toy_add(a, (struct op){OP_WRITEVAL, k, obj, 0});
				if (section)
					toy_add(a, (struct op){OP_UNLOCK, SIM_UNLOCK, 100, 0});
			}
		}
		struct sim_result naive, dpor;
		static uint64_t naive_finals[FINALS_WORDS];
		memset(T.final_set, 0, sizeof(T.final_set));
		assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DFS, &b, false, &naive), 0);
		memcpy(naive_finals, T.final_set, sizeof(naive_finals));
		for (int o = 0; o < 2; o++) {
			memset(T.final_set, 0, sizeof(T.final_set));
			assert_int_equal(sim_explore(&toy_program, o ? SIM_EXPLORE_ODPOR : SIM_EXPLORE_DPOR, &b, false, &dpor), 0);
			assert_int_equal(dpor.classes, naive.classes);
			assert_int_equal(dpor.executions, dpor.classes);
			assert_memory_equal(T.final_set, naive_finals, sizeof(naive_finals));
			assert_true(dpor.executions <= naive.executions);
			if (o) {
				odpor_pruned += dpor.pruned;
				odpor_fallbacks += dpor.wakeup_fallbacks;
			}
		}
	}
	print_message("odpor: %llu sleep-set blocked, %llu fallbacks over 300 programs\n",
		      (unsigned long long)odpor_pruned, (unsigned long long)odpor_fallbacks);
}

/* Adds to one counter commute with each other but not with a read of it. */
static void test_dpor_adds_commute(void **state)
{
	(void)state;
	struct sim_result r;
	struct sim_bounds b = {.count_classes = true};
	two_by_three(1, 1, SIM_ADD);
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DFS, &b, false, &r), 0);
	assert_int_equal(r.executions, 20);
	assert_int_equal(r.classes, 1);
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DPOR, &b, false, &r), 0);
	assert_int_equal(r.executions, 1);
	toy_reset(3);
	toy_add(0, (struct op){OP_WRITEVAL, SIM_ADD, 0, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_ADD, 0, 0});
	toy_add(2, (struct op){OP_WRITEVAL, SIM_READ, 0, 0});
	/* the read sees 0, 1, 2 or both adds: before both, between (either add
	 * first) or after both: 4 classes */
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DFS, &b, false, &r), 0);
	assert_int_equal(r.classes, 4);
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DPOR, &b, false, &r), 0);
	assert_int_equal(r.executions, 4);
	assert_int_equal(r.classes, 4);
}

/* A random program as in test_dpor_random_programs_all_classes. */
static void random_program(struct sim_prng *p)
{
	static const enum sim_access_kind kinds[] = {SIM_READ, SIM_WRITE, SIM_RMW, SIM_ADD, SIM_ADD};
	toy_reset(2 + (uint32_t)sim_prng_below(p, 2));
	for (uint32_t a = 0; a < T.actors; a++)
		for (uint32_t i = 0, n = 1 + (uint32_t)sim_prng_below(p, 2); i < n; i++) {
			bool section = sim_prng_below(p, 4) == 0;
			if (section)
				toy_add(a, (struct op){OP_LOCK, SIM_LOCK, 100, 0});
			toy_add(a, (struct op){OP_WRITEVAL, kinds[sim_prng_below(p, 5)], (sim_obj)sim_prng_below(p, 2), 0});
			if (section)
				toy_add(a, (struct op){OP_UNLOCK, SIM_UNLOCK, 100, 0});
		}
	toy_add(0, (struct op){OP_CHOOSE, SIM_READ, 0, 2});
}

/* Optimal DPOR on larger random programs (three or four actors, up to
 * three accesses each, lock sections, a data choice): every class the naive
 * search reaches, one execution each, and no execution abandoned as sleep-set
 * blocked, where source DPOR abandons some. */
static void test_odpor_no_blocked_executions(void **state)
{
	(void)state;
	static const enum sim_access_kind kinds[] = {SIM_READ, SIM_WRITE, SIM_RMW, SIM_ADD, SIM_ADD};
	struct sim_prng p;
	struct sim_bounds b = {.count_classes = true};
	uint64_t dpor_pruned = 0, odpor_execs = 0, dpor_execs = 0;
	static uint64_t naive_finals[FINALS_WORDS];
	sim_prng_seed(&p, 4242);
	for (int iter = 0; iter < 60; iter++) {
		toy_reset(3 + (uint32_t)sim_prng_below(&p, 2));
		for (uint32_t a = 0; a < T.actors; a++)
			for (uint32_t i = 0, n = 1 + (uint32_t)sim_prng_below(&p, T.actors == 3 ? 3 : 2); i < n; i++) {
				bool section = sim_prng_below(&p, 4) == 0;
				if (section)
					toy_add(a, (struct op){OP_LOCK, SIM_LOCK, 100, 0});
				toy_add(a, (struct op){OP_WRITEVAL, kinds[sim_prng_below(&p, 5)], (sim_obj)sim_prng_below(&p, 2), 0});
				if (section)
					toy_add(a, (struct op){OP_UNLOCK, SIM_UNLOCK, 100, 0});
			}
		toy_add(1, (struct op){OP_CHOOSE, SIM_READ, 0, 2});
		struct sim_result naive, dpor, odpor;
		memset(T.final_set, 0, sizeof(T.final_set));
		assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DFS, &b, false, &naive), 0);
		memcpy(naive_finals, T.final_set, sizeof(naive_finals));
		assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DPOR, &b, false, &dpor), 0);
		memset(T.final_set, 0, sizeof(T.final_set));
		assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_ODPOR, &b, false, &odpor), 0);
		assert_true(odpor.complete);
		if (odpor.classes != naive.classes) {
			print_message("iter %d: naive %llu dpor %llu odpor %llu (pruned %llu fb %llu)\n", iter,
				      (unsigned long long)naive.classes, (unsigned long long)dpor.classes,
				      (unsigned long long)odpor.classes, (unsigned long long)odpor.pruned,
				      (unsigned long long)odpor.wakeup_fallbacks);
			for (uint32_t a = 0; a < T.actors; a++) {
				print_message("  actor %u:", a);
				for (uint32_t i = 0; i < T.ops[a]; i++)
					print_message(" %d/%s/%u", T.prog[a][i].kind, (const char *[]){"r","w","rmw","lock","unlock","wait","sig","q","add"}[T.prog[a][i].access], (unsigned)T.prog[a][i].obj);
				print_message("\n");
			}
		}
		assert_int_equal(odpor.classes, naive.classes);
		assert_int_equal(odpor.executions, odpor.classes);
		assert_int_equal(odpor.executions, dpor.executions);
		assert_memory_equal(T.final_set, naive_finals, sizeof(naive_finals));
		assert_int_equal(odpor.pruned, 0);
		assert_int_equal(odpor.wakeup_fallbacks, 0);
		dpor_pruned += dpor.pruned;
		dpor_execs += dpor.executions;
		odpor_execs += odpor.executions;
	}
	print_message("%llu classes; source DPOR abandoned %llu executions, optimal DPOR none\n",
		      (unsigned long long)odpor_execs, (unsigned long long)dpor_pruned);
	assert_true(dpor_pruned > 0); /* the programs are big enough to tell the two apart */
}

/* Optimal DPOR against the naive search on prog (as set up in T): the same
 * trace classes and final states, one execution per class.  Returns its result. */
static struct sim_result odpor_against_naive(void)
{
	static uint64_t naive_finals[FINALS_WORDS];
	struct sim_bounds b = {.count_classes = true};
	struct sim_result naive, odpor;
	memset(T.final_set, 0, sizeof(T.final_set));
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_DFS, &b, false, &naive), 0);
	assert_true(naive.complete);
	memcpy(naive_finals, T.final_set, sizeof(naive_finals));
	memset(T.final_set, 0, sizeof(T.final_set));
	assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_ODPOR, &b, false, &odpor), 0);
	assert_true(odpor.complete);
	assert_int_equal(odpor.classes, naive.classes);
	assert_int_equal(odpor.executions, odpor.classes);
	assert_memory_equal(T.final_set, naive_finals, sizeof(naive_finals));
	return odpor;
}

/* Data choices under optimal DPOR, the cases that once lost classes:
 * a choice made in an independent step (its other value must not inherit the
 * first value's wakeup tree, whose steps were recorded for that value), and
 * a race reversal whose sequence runs the choosing step with another value
 * than the tree's entry for it (the sequence belongs below that value). */
static void test_odpor_data_choices(void **state)
{
	(void)state;
	/* 0: add c1; 1: read c1; 2: write c0, then choose; 3: add c1 -- 4 orders x 2 values */
	toy_reset(4);
	toy_add(0, (struct op){OP_WRITEVAL, SIM_ADD, 1, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_READ, 1, 0});
	toy_add(2, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
	toy_add(2, (struct op){OP_CHOOSE, SIM_READ, 0, 2});
	toy_add(3, (struct op){OP_WRITEVAL, SIM_ADD, 1, 0});
	assert_int_equal(odpor_against_naive().classes, 8);
	/* 0: rmw c1; 1: add c0, choose (1 skips the add), add c1, write c1; 2: add c1 */
	toy_reset(3);
	toy_add(0, (struct op){OP_WRITEVAL, SIM_RMW, 1, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_ADD, 0, 0});
	toy_add(1, (struct op){OP_CHOOSE_SKIP, SIM_READ, 0, 2});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_ADD, 1, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_WRITE, 1, 0});
	toy_add(2, (struct op){OP_WRITEVAL, SIM_ADD, 1, 0});
	assert_int_equal(odpor_against_naive().classes, 15); /* 9 with the add, 6 without */
	/* random programs, a choosing step in any actor (value 1 skips an access) */
	static const enum sim_access_kind kinds[] = {SIM_READ, SIM_WRITE, SIM_RMW, SIM_ADD};
	struct sim_prng p;
	uint64_t classes = 0;
	sim_prng_seed(&p, 77);
	for (int iter = 0; iter < 150; iter++) {
		toy_reset(3);
		for (uint32_t a = 0; a < 3; a++)
			for (uint32_t i = 0, n = 1 + (uint32_t)sim_prng_below(&p, 3); i < n; i++) {
				if (sim_prng_below(&p, 3) == 0)
					toy_add(a, (struct op){OP_CHOOSE_SKIP, SIM_READ, 0, 2});
				toy_add(a, (struct op){OP_WRITEVAL, kinds[sim_prng_below(&p, 4)], (sim_obj)sim_prng_below(&p, 2), 0});
			}
		classes += odpor_against_naive().classes;
	}
	print_message("%llu classes over 150 programs with choices\n", (unsigned long long)classes);
}

/* Optimal DPOR with a quiesce on a lock class (runnable only while no other
 * actor holds a lock of the class) and nested lock sections (found by
 * fuzzing and review; each case lost classes or final states once).  The
 * race is with the outer acquire of a nested section, not with the inner
 * one, before which the quiesce cannot run. */
static void test_odpor_quiesce_nested_locks(void **state)
{
	(void)state;
	const sim_obj cls = 0x02000000u;
	toy_reset(2);
	toy_add(0, (struct op){OP_LOCK, SIM_LOCK, cls | 0, 0});
	toy_add(0, (struct op){OP_LOCK, SIM_LOCK, cls | 1, 0});
	toy_add(0, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
	toy_add(0, (struct op){OP_UNLOCK, SIM_UNLOCK, cls | 1, 0});
	toy_add(0, (struct op){OP_UNLOCK, SIM_UNLOCK, cls | 0, 0});
	toy_add(1, (struct op){OP_ACCESS, SIM_QUIESCE, cls, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_READ, 0, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_WRITE, 1, 0});
	struct sim_result r = odpor_against_naive();
	assert_int_equal(r.classes, 3); /* quiesce after the section; before it, read before or after the write */
	/* a lock held by another actor when an acquire races with the quiesce is
	 * no obstacle: the reversal may run that actor's release first (0 quiesces;
	 * 1: lock A; 2: lock B, lock A inside it) */
	toy_reset(3);
	toy_add(0, (struct op){OP_ACCESS, SIM_QUIESCE, cls, 0});
	toy_add(1, (struct op){OP_LOCK, SIM_LOCK, cls | 0, 0});
	toy_add(1, (struct op){OP_UNLOCK, SIM_UNLOCK, cls | 0, 0});
	toy_add(2, (struct op){OP_LOCK, SIM_LOCK, cls | 1, 0});
	toy_add(2, (struct op){OP_LOCK, SIM_LOCK, cls | 0, 0});
	toy_add(2, (struct op){OP_UNLOCK, SIM_UNLOCK, cls | 0, 0});
	toy_add(2, (struct op){OP_UNLOCK, SIM_UNLOCK, cls | 1, 0});
	assert_int_equal(odpor_against_naive().classes, 6);
	/* a quiesce by a lock holder: the other actor's acquire races with the
	 * holder's acquire, not with the quiesce inside the section */
	toy_reset(2);
	toy_add(0, (struct op){OP_LOCK, SIM_LOCK, cls | 0, 0});
	toy_add(0, (struct op){OP_ACCESS, SIM_QUIESCE, cls, 0});
	toy_add(0, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
	toy_add(0, (struct op){OP_UNLOCK, SIM_UNLOCK, cls | 0, 0});
	toy_add(1, (struct op){OP_LOCK, SIM_LOCK, cls | 0, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_READ, 0, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_WRITE, 1, 0});
	toy_add(1, (struct op){OP_UNLOCK, SIM_UNLOCK, cls | 0, 0});
	assert_int_equal(odpor_against_naive().classes, 2);
}

/* A flag is one-shot: a second signal fails the execution (the explorers'
 * "a signal and a wait are never runnable together" needs it). */
static void test_signal_twice_fails(void **state)
{
	(void)state;
	toy_reset(2);
	toy_add(0, (struct op){OP_WAIT, SIM_WAIT, 300, 0});
	toy_add(1, (struct op){OP_SIGNAL, SIM_SIGNAL, 300, 0});
	toy_add(1, (struct op){OP_SIGNAL, SIM_SIGNAL, 300, 0});
	struct sim_result r = run(SIM_EXPLORE_DFS, 0);
	assert_true(r.failures > 0);
	toy_reset(2);
	toy_add(0, (struct op){OP_WAIT, SIM_WAIT, 300, 0});
	toy_add(1, (struct op){OP_SIGNAL, SIM_SIGNAL, 300, 0});
	r = run(SIM_EXPLORE_DFS, 0);
	assert_int_equal(r.failures, 0);
	assert_int_equal(r.executions, 1);
}

/* A step may make WUT_DATA_MAX (8) choices under optimal DPOR; one more and
 * the exploration stops, incomplete, instead of losing the sequences through
 * that step. */
static void test_odpor_choice_limit(void **state)
{
	(void)state;
	for (uint32_t choices = 8; choices <= 9; choices++) {
		toy_reset(3);
		toy_add(0, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
		for (uint32_t i = 0; i < choices; i++)
			toy_add(0, (struct op){OP_CHOOSE, SIM_READ, 0, 2});
		toy_add(0, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
		toy_add(1, (struct op){OP_WRITEVAL, SIM_WRITE, 1, 0});
		toy_add(2, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
		toy_add(2, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
		toy_add(2, (struct op){OP_WRITEVAL, SIM_WRITE, 1, 0});
		if (choices == 8) {
			assert_int_equal(odpor_against_naive().classes, 12u << 8); /* 12 orders, 256 choice vectors */
			continue;
		}
		struct sim_bounds b = {0};
		struct sim_result r;
		assert_int_equal(sim_explore(&toy_program, SIM_EXPLORE_ODPOR, &b, false, &r), 0);
		assert_false(r.complete);
		assert_int_equal(r.why, SIM_INCOMPLETE_CHOICES);
	}
}

/* One exploration split into shards: the shards' executions are disjoint and
 * add up to the split exploration's, which still has one execution per class
 * (DPOR) or every interleaving (DFS), and together they reach every final state. */
static void test_split_shards_partition(void **state)
{
	(void)state;
	struct sim_prng p;
	static uint64_t whole[FINALS_WORDS], joined[FINALS_WORDS];
	sim_prng_seed(&p, 77);
	for (int iter = 0; iter < 100; iter++) {
		random_program(&p);
		for (int s = 0; s < 2; s++) {
			enum sim_strategy strategy = s ? SIM_EXPLORE_DPOR : SIM_EXPLORE_DFS;
			struct sim_bounds b = {.count_classes = true};
			struct sim_result plain, split, part;
			assert_int_equal(sim_explore(&toy_program, strategy, &b, false, &plain), 0);
			memset(T.final_set, 0, sizeof(T.final_set));
			b.split_depth = 1 + (uint32_t)sim_prng_below(&p, 4);
			assert_int_equal(sim_explore(&toy_program, strategy, &b, false, &split), 0);
			memcpy(whole, T.final_set, sizeof(whole));
			assert_int_equal(split.executions, plain.executions);
			assert_int_equal(split.classes, plain.classes);
			uint64_t sum = 0, classes = 0;
			uint32_t shards = 1 + (uint32_t)sim_prng_below(&p, 4);
			memset(joined, 0, sizeof(joined));
			for (uint32_t k = 1; k <= shards; k++) {
				b.shard_k = k;
				b.shard_n = shards;
				memset(T.final_set, 0, sizeof(T.final_set));
				assert_int_equal(sim_explore(&toy_program, strategy, &b, false, &part), 0);
				assert_true(part.complete);
				assert_int_equal(part.subtrees, split.subtrees);
				sum += part.executions;
				classes += part.classes;
				for (int w = 0; w < FINALS_WORDS; w++)
					joined[w] |= T.final_set[w];
			}
			assert_int_equal(sum, split.executions);
			if (strategy == SIM_EXPLORE_DPOR) /* one execution per class: no class in two shards */
				assert_int_equal(classes, split.classes);
			assert_memory_equal(joined, whole, sizeof(whole));
		}
	}
}

/* The progress estimate grows with the work done, stays below 1 while work
 * remains and is 1 at the end. */
static void test_done_fraction_grows(void **state)
{
	(void)state;
	for (int s = 0; s < 2; s++) {
		enum sim_strategy strategy = s ? SIM_EXPLORE_DPOR : SIM_EXPLORE_DFS;
		double last = 0;
		two_by_three(1, 1, SIM_WRITE);
		toy_add(0, (struct op){OP_CHOOSE, SIM_READ, 0, 2});
		struct sim_result all = run(strategy, 0);
		assert_true(all.complete);
		assert_true(all.done_fraction == 1.0);
		for (uint64_t k = 1; k < all.executions; k++) {
			struct sim_result r = run(strategy, k);
			assert_false(r.complete);
			assert_true(r.done_fraction >= last);
			assert_true(r.done_fraction < 1.0);
			last = r.done_fraction;
		}
		assert_true(last > 0.5);
	}
}

static void test_dpor_reads_commute(void **state)
{
	(void)state;
	two_by_three(1, 1, SIM_READ);
	struct sim_result r = run(SIM_EXPLORE_DPOR, 0);
	assert_int_equal(r.executions, 1);
}

/* Collect the set of final values under a strategy (bitmask over 256 values). */
static void finals_set(enum sim_strategy s, uint64_t set[4], uint64_t *execs)
{
	struct sim_result r = run(s, 0);
	memset(set, 0, 4 * sizeof(uint64_t));
	for (uint32_t e = 0; e < T.execs && e < MAX_EXECS; e++)
		set[T.finals[e] / 64] |= 1ull << (T.finals[e] % 64);
	*execs = r.executions;
}

static void test_dpor_matches_dfs_outcomes(void **state)
{
	(void)state;
	/* two shared cells, written and read in different orders, one lock */
	toy_reset(3);
	toy_add(0, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
	toy_add(0, (struct op){OP_ACCESS, SIM_READ, 1, 0});
	toy_add(0, (struct op){OP_WRITEVAL, SIM_WRITE, 1, 0});
	toy_add(1, (struct op){OP_LOCK, SIM_LOCK, 100, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_WRITE, 1, 0});
	toy_add(1, (struct op){OP_UNLOCK, SIM_UNLOCK, 100, 0});
	toy_add(1, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
	toy_add(2, (struct op){OP_LOCK, SIM_LOCK, 100, 0});
	toy_add(2, (struct op){OP_WRITEVAL, SIM_WRITE, 0, 0});
	toy_add(2, (struct op){OP_UNLOCK, SIM_UNLOCK, 100, 0});
	uint64_t dfs[4], dpor[4], n_dfs, n_dpor;
	finals_set(SIM_EXPLORE_DFS, dfs, &n_dfs);
	finals_set(SIM_EXPLORE_DPOR, dpor, &n_dpor);
	assert_memory_equal(dfs, dpor, sizeof(dfs));
	assert_true(n_dpor < n_dfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dfs_two_actors_three_yields_twenty),
		cmocka_unit_test(test_dfs_three_actors_two_yields_ninety),
		cmocka_unit_test(test_dfs_lock_serialises_sections),
		cmocka_unit_test(test_dfs_lock_with_outside_step),
		cmocka_unit_test(test_dfs_choices_multiply),
		cmocka_unit_test(test_dfs_deadlock_found),
		cmocka_unit_test(test_explore_bound_gives_incomplete),
		cmocka_unit_test(test_replay_round_trip),
		cmocka_unit_test(test_explore_deterministic),
		cmocka_unit_test(test_dpor_independent_is_one_execution),
		cmocka_unit_test(test_dpor_reads_commute),
		cmocka_unit_test(test_dpor_adds_commute),
		cmocka_unit_test(test_split_shards_partition),
		cmocka_unit_test(test_done_fraction_grows),
		cmocka_unit_test(test_classes_counted),
		cmocka_unit_test(test_dpor_random_programs_all_classes),
		cmocka_unit_test(test_odpor_no_blocked_executions),
		cmocka_unit_test(test_odpor_data_choices),
		cmocka_unit_test(test_odpor_quiesce_nested_locks),
		cmocka_unit_test(test_signal_twice_fails),
		cmocka_unit_test(test_odpor_choice_limit),
		cmocka_unit_test(test_dpor_matches_dfs_outcomes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
