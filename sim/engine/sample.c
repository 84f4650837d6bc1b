/*
 * sample.c - sampling strategies: uniform random scheduling, and PCT
 * (probabilistic concurrency testing, Burckhardt et al. 2010): each actor gets
 * a random distinct priority above d, d-1 change points are drawn among the
 * first k steps, the highest-priority runnable actor always runs, and at the
 * i-th change point the running actor drops to priority i.  For a bug of depth
 * d, one PCT execution finds it with probability at least 1/(n k^(d-1)).
 * Data choices are uniform in both.  Everything is drawn from the project's
 * PRNG: execution i uses sub-stream i of the seed.
 */
#include "explore.h"

#include "exec.h"
#include "prng.h"
#include "sampling.h"

#include <assert.h>
#include <string.h>
#include <time.h>

enum { PCT_DEPTH_MAX = 16 };

struct sampler {
	enum sim_strategy strategy;
	struct sim_prng prng;
	uint32_t prio[SIM_ACTORS_MAX];
	uint64_t change_at[PCT_DEPTH_MAX]; /* step numbers of the d-1 change points */
	uint32_t changes;
	uint64_t step;
	uint64_t pct_steps; /* k of PCT, 0: learnt from the longest execution so far */
	bool prio_set;
};

static int lowest_bit(sim_mask m)
{
	return __builtin_ctz(m);
}

static int s_pick_random(struct sampler *s, sim_mask enabled)
{
	uint32_t n = (uint32_t)__builtin_popcount(enabled);
	uint32_t k = (uint32_t)sim_prng_below(&s->prng, n);
	while (k--)
		enabled &= enabled - 1;
	return lowest_bit(enabled);
}

/* Priorities: a random permutation of d .. d+n-1 over the actors. */
static void pct_priorities(struct sampler *s, uint32_t actors)
{
	uint32_t base = s->changes + 1;
	for (uint32_t i = 0; i < actors; i++)
		s->prio[i] = base + i;
	for (uint32_t i = actors; i > 1; i--) {
		uint32_t j = (uint32_t)sim_prng_below(&s->prng, i);
		uint32_t t = s->prio[i - 1];
		s->prio[i - 1] = s->prio[j];
		s->prio[j] = t;
	}
	s->prio_set = true;
}

static int highest(const struct sampler *s, sim_mask enabled)
{
	int best = -1;
	for (sim_mask m = enabled; m; m &= m - 1) {
		int a = lowest_bit(m);
		if (best < 0 || s->prio[a] > s->prio[best])
			best = a;
	}
	return best;
}

static int s_pick_pct(struct sampler *s, struct sim_exec *ex, sim_mask enabled)
{
	if (!s->prio_set)
		pct_priorities(s, ex->actor_count);
	for (uint32_t i = 0; i < s->changes; i++)
		if (s->change_at[i] == s->step)
			s->prio[highest(s, enabled)] = i + 1; /* below every initial priority */
	return highest(s, enabled);
}

static int s_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct sampler *s = ctx;
	int a = s->strategy == SIM_EXPLORE_PCT ? s_pick_pct(s, ex, enabled) : s_pick_random(s, enabled);
	s->step++;
	return a;
}

static uint32_t s_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct sampler *s = ctx;
	(void)ex;
	return (uint32_t)sim_prng_below(&s->prng, n);
}

/* Per-execution set-up of the sampler: its own PRNG stream and PCT's change points. */
static void s_reset(void *ctx, const struct sim_prng *root, uint64_t index, const struct sim_result *r)
{
	struct sampler *s = ctx;
	enum sim_strategy strategy = s->strategy;
	uint32_t changes = s->changes;
	uint64_t pct_steps = s->pct_steps;
	memset(s, 0, sizeof(*s));
	s->strategy = strategy;
	s->changes = changes;
	s->pct_steps = pct_steps;
	sim_prng_fork(root, index, &s->prng);
	uint64_t k = pct_steps ? pct_steps : (r->max_depth ? r->max_depth : 64);
	for (uint32_t c = 0; c < s->changes; c++)
		s->change_at[c] = sim_prng_below(&s->prng, k);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The stops of a sampled run: a signal (*interrupt) or the wall-clock bound,
 * looked at between executions and, every STOP_CHECK_STEPS picks, inside
 * one (an events timeline is one long execution). */
enum { STOP_CHECK_STEPS = 4096 };

struct stopper {
	const struct sim_decider *inner;
	const struct sim_bounds *b;
	uint64_t t0_ms, picks;
	enum sim_incomplete why; /* SIM_COMPLETE until a stop */
};

static enum sim_incomplete stop_reason(struct stopper *s)
{
	if (s->b->interrupt && *s->b->interrupt)
		s->why = SIM_INCOMPLETE_INTERRUPTED;
	else if (s->b->wall_ms_max && now_ms() - s->t0_ms > s->b->wall_ms_max)
		s->why = SIM_INCOMPLETE_TIME;
	return s->why;
}

/* The inner decider's pick, or -1 (the execution is abandoned: no outcome)
 * when a stop came. */
static int stopper_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct stopper *s = ctx;
	if (++s->picks % STOP_CHECK_STEPS == 0 && stop_reason(s) != SIM_COMPLETE)
		return -1;
	return s->inner->pick(s->inner->ctx, ex, enabled);
}

static uint32_t stopper_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct stopper *s = ctx;
	return s->inner->choose(s->inner->ctx, ex, n);
}

static void stopper_step(void *ctx, struct sim_exec *ex, int actor, const struct sim_access *access)
{
	struct stopper *s = ctx;
	if (s->inner->step)
		s->inner->step(s->inner->ctx, ex, actor, access);
}

int sim_sampling_loop(const struct sim_program *prog, const struct sim_decider *d,
		      void (*reset)(void *ctx, const struct sim_prng *root, uint64_t index, const struct sim_result *r),
		      const struct sim_bounds *b, uint64_t seed, struct sim_result *r)
{
	struct sim_prng root;
	struct stopper stop = {d, b, now_ms(), 0, SIM_COMPLETE};
	struct sim_decider guarded = {stopper_pick, stopper_choose, stopper_step, &stop};
	struct sim_exec *ex = sim_exec_create();
	uint64_t steps_max = b->steps_max ? b->steps_max : 100000;
	memset(r, 0, sizeof(*r));
	if (!ex)
		return -1;
	sim_prng_seed(&root, seed);
	for (uint64_t i = 0; i < b->executions_max && stop_reason(&stop) == SIM_COMPLETE; i++) {
		reset(d->ctx, &root, i, r);
		enum sim_end end = sim_exec_run(ex, prog, &guarded, steps_max);
		if (end == SIM_END_PRUNED)
			break; /* stopped inside: the execution is no outcome */
		r->executions++;
		r->steps += ex->steps;
		if (ex->steps > r->max_depth)
			r->max_depth = ex->steps;
		r->deadlocks += end == SIM_END_DEADLOCK;
		r->failures += end == SIM_END_FAILED;
		if (b->progress && (r->executions & 4095) == 0)
			b->progress(b->progress_ctx, r);
	}
	r->complete = false; /* sampling never covers every class */
	r->why = stop.why != SIM_COMPLETE ? stop.why : SIM_INCOMPLETE_EXECUTIONS;
	sim_exec_destroy(ex);
	return 0;
}

int sim_sample(const struct sim_program *prog, enum sim_strategy strategy, const struct sim_bounds *b, uint64_t seed,
	       uint32_t pct_depth, uint64_t pct_steps, struct sim_result *r)
{
	struct sampler s;
	struct sim_decider d = {s_pick, s_choose, NULL, &s};
	assert(strategy == SIM_EXPLORE_RANDOM || strategy == SIM_EXPLORE_PCT);
	assert(pct_depth >= 1 && pct_depth <= PCT_DEPTH_MAX);
	memset(&s, 0, sizeof(s));
	s.strategy = strategy;
	s.changes = strategy == SIM_EXPLORE_PCT ? pct_depth - 1 : 0;
	s.pct_steps = pct_steps;
	return sim_sampling_loop(prog, &d, s_reset, b, seed, r);
}
