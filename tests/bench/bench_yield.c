/*
 * bench_yield.c - cost of one yield and resume, the number that chose the
 * actor mechanism (target: at most 50 ns).  Links only the engine core, which
 * also proves that the engine (sim/engine) builds and links without model/.
 *
 * Measures (ns per yield+resume pair, best of 5 runs of 2M pairs):
 *   coro_switch    the raw context switch used by the engine (asm or ucontext)
 *   swapcontext    glibc ucontext, for comparison
 *   engine_step    a full engine step when the yielding actor runs on (the
 *                  scheduler decides in the actor's context; no switch)
 *   engine_step_switch  the same when every step switches to the other of
 *                  two actors (one context switch per step)
 * Writes CSV to the path given as argv[1] (default results/bench/yield.csv).
 */
#include "coro.h"
#include "exec.h"
#include "explore.h"
#include "sim.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <ucontext.h>

enum { PAIRS = 2000000, RUNS = 5 };

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct coro main_c, worker_c;
static volatile uint64_t counter;

static void worker(void *arg)
{
	(void)arg;
	for (;;) {
		counter++;
		coro_switch(&worker_c, &main_c);
	}
}

static double bench_coro(void)
{
	size_t size = 64 * 1024;
	void *stack = coro_stack_alloc(size);
	double best = 1e9;
	if (!stack)
		exit(1);
	coro_init(&worker_c, stack, size, worker, NULL);
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns();
		for (int i = 0; i < PAIRS; i++)
			coro_switch(&main_c, &worker_c);
		double ns = (double)(now_ns() - t0) / PAIRS;
		if (ns < best)
			best = ns;
	}
	coro_stack_free(stack, size);
	return best;
}

static ucontext_t uc_main, uc_worker;

static void uc_worker_fn(void)
{
	for (;;) {
		counter++;
		swapcontext(&uc_worker, &uc_main);
	}
}

static double bench_ucontext(void)
{
	static char stack[64 * 1024];
	static double best;
	best = 1e9;
	getcontext(&uc_worker);
	uc_worker.uc_stack.ss_sp = stack;
	uc_worker.uc_stack.ss_size = sizeof(stack);
	uc_worker.uc_link = NULL;
	makecontext(&uc_worker, uc_worker_fn, 0);
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns();
		for (int i = 0; i < PAIRS / 4; i++)
			swapcontext(&uc_main, &uc_worker);
		double ns = (double)(now_ns() - t0) / (PAIRS / 4);
		if (ns < best)
			best = ns;
	}
	return best;
}

/* One actor that yields PAIRS times: every step is a full scheduler round. */
static void yielder(struct sim_exec *ex, void *arg)
{
	(void)arg;
	for (int i = 0; i < PAIRS; i++)
		sim_yield(ex, SIM_READ, 1, "bench");
}

static void y_begin(void *ctx, struct sim_exec *ex)
{
	(void)ctx;
	sim_spawn(ex, "yielder", yielder, NULL);
}

static double bench_engine(void)
{
	const struct sim_program prog = {0, NULL, y_begin, NULL, NULL, NULL, NULL, 0};
	double best = 1e9;
	for (int r = 0; r < RUNS; r++) {
		struct sim_result res;
		struct sim_bounds b = {.steps_max = (uint64_t)PAIRS + 10};
		uint64_t t0 = now_ns();
		sim_explore(&prog, SIM_EXPLORE_DFS, &b, false, &res);
		double ns = (double)(now_ns() - t0) / PAIRS;
		if (ns < best)
			best = ns;
	}
	return best;
}

/* Two actors, and a decider that always picks the one that did not run last:
 * every step hands the CPU to the other actor. */
static void alternator(struct sim_exec *ex, void *arg)
{
	(void)arg;
	for (int i = 0; i < PAIRS / 2; i++)
		sim_yield(ex, SIM_READ, 1, "bench");
}

static void alt_begin(void *ctx, struct sim_exec *ex)
{
	(void)ctx;
	sim_spawn(ex, "a", alternator, NULL);
	sim_spawn(ex, "b", alternator, NULL);
}

static int alt_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	(void)ctx;
	int other = ex->last == 0 ? 1 : 0;
	return (enabled >> other) & 1 ? other : __builtin_ctz(enabled);
}

static uint32_t alt_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	(void)ctx;
	(void)ex;
	(void)n;
	return 0;
}

static double bench_engine_switch(void)
{
	const struct sim_program prog = {0, NULL, alt_begin, NULL, NULL, NULL, NULL, 0};
	const struct sim_decider d = {alt_pick, alt_choose, NULL, NULL};
	struct sim_exec *ex = sim_exec_create();
	double best = 1e9;
	if (!ex)
		exit(2);
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns();
		if (sim_exec_run(ex, &prog, &d, (uint64_t)PAIRS + 10) != SIM_END_DONE)
			exit(1);
		double ns = (double)(now_ns() - t0) / PAIRS;
		if (ns < best)
			best = ns;
	}
	sim_exec_destroy(ex);
	return best;
}

int main(int argc, char **argv)
{
	const char *out = argc > 1 ? argv[1] : "results/bench/yield.csv";
	double c = bench_coro(), u = bench_ucontext(), e = bench_engine(), es = bench_engine_switch();
	FILE *f = fopen(out, "w");
	if (!f) {
		perror(out);
		return 2;
	}
	fprintf(f, "measure,mechanism,ns_per_yield_resume\n");
	fprintf(f, "coro_switch,%s,%.1f\n", coro_mechanism(), c);
	fprintf(f, "swapcontext,ucontext,%.1f\n", u);
	fprintf(f, "engine_step,%s,%.1f\n", coro_mechanism(), e);
	fprintf(f, "engine_step_switch,%s,%.1f\n", coro_mechanism(), es);
	fclose(f);
	printf("coro_switch (%s): %.1f ns per yield+resume\n", coro_mechanism(), c);
	printf("swapcontext (ucontext): %.1f ns per yield+resume\n", u);
	printf("engine step, same actor runs on: %.1f ns\n", e);
	printf("engine step, switching between two actors: %.1f ns\n", es);
	printf("written to %s\n", out);
	return 0;
}
