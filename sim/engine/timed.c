/*
 * timed.c - the timed strategy: executions as timelines in virtual time.
 *
 * Each actor carries a clock.  The yield that announces an actor's next
 * access ends the code segment before it, so that step is due at
 *     due = max(end of the actor's previous step + cost(access), sim_at floor)
 * where cost comes from the caller's table, scaled by a seeded jitter factor.
 * The scheduler runs the runnable actor whose step is due first (lower index
 * on ties).  A blocked actor (lock, wait flag, quiesce) cannot run before the
 * step that unblocked it: its due time is raised to the current time.  This is
 * a discrete-event simulation whose events are the model's own steps, so the
 * same model code runs here and under the exhaustive explorer; a timeline is
 * an ordinary execution whose decisions replay exactly.
 */
#include "explore.h"

#include "exec.h"
#include "prng.h"
#include "sampling.h"

#include <assert.h>
#include <string.h>

struct timed {
	const struct sim_timing *timing;
	struct sim_prng prng;
	uint64_t due[SIM_ACTORS_MAX];
	uint64_t end[SIM_ACTORS_MAX];  /* when the actor's previous step ended */
	bool costed[SIM_ACTORS_MAX];   /* due[] is computed for the pending access */
	uint64_t now;
};

/* A cost scaled by a factor uniform in [1 - j, 1 + j], in 1/1000 steps. */
static uint64_t jittered(struct timed *t, uint64_t cost)
{
	uint32_t j = t->timing->jitter_percent;
	if (j == 0 || cost == 0)
		return cost;
	uint64_t span = 2u * 10u * j; /* per mille */
	uint64_t f = 1000u - 10u * j + sim_prng_below(&t->prng, span + 1);
	return cost * f / 1000u;
}

static int t_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct timed *t = ctx;
	int best = -1;
	for (sim_mask m = enabled; m; m &= m - 1) {
		int a = __builtin_ctz(m);
		if (!t->costed[a]) {
			const struct sim_actor *act = &ex->actors[a];
			uint64_t due = t->end[a] + jittered(t, t->timing->cost_ns(t->timing->ctx, &act->pending));
			t->due[a] = due > act->not_before ? due : act->not_before;
			t->costed[a] = true;
		}
		if (t->due[a] < t->now) /* it was blocked until the step just taken */
			t->due[a] = t->now;
		if (best < 0 || t->due[a] < t->due[best])
			best = a;
	}
	assert(best >= 0);
	t->now = t->due[best];
	t->end[best] = t->now;
	t->costed[best] = false;
	ex->now = t->now;
	return best;
}

static uint32_t t_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct timed *t = ctx;
	(void)ex;
	return (uint32_t)sim_prng_below(&t->prng, n);
}

static void t_reset(void *ctx, const struct sim_prng *root, uint64_t index, const struct sim_result *r)
{
	struct timed *t = ctx;
	const struct sim_timing *timing = t->timing;
	(void)r;
	memset(t, 0, sizeof(*t));
	t->timing = timing;
	sim_prng_fork(root, index, &t->prng);
}

int sim_timed(const struct sim_program *prog, const struct sim_timing *timing, const struct sim_bounds *b,
	      uint64_t seed, struct sim_result *r)
{
	struct timed t;
	struct sim_decider d = {t_pick, t_choose, NULL, &t};
	assert(timing != NULL && timing->cost_ns != NULL && timing->jitter_percent <= 100);
	memset(&t, 0, sizeof(t));
	t.timing = timing;
	return sim_sampling_loop(prog, &d, t_reset, b, seed, r);
}
