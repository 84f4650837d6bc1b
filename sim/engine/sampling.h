/*
 * sampling.h - the execution loop shared by the sampling strategies (random,
 * PCT in sample.c; timed in timed.c): execution i runs with PRNG sub-stream i
 * of the seed, so any sampled run reproduces from its seed.
 */
#ifndef NFRACE_SAMPLING_H
#define NFRACE_SAMPLING_H

#include "exec.h"
#include "explore.h"
#include "prng.h"

/* sim_sampling_loop - run b->executions_max executions of prog with decider d
 * (fewer if *b->interrupt is set or b->wall_ms_max passes: both are looked
 * at between executions and every few thousand steps inside one, whose
 * partial execution then counts for nothing); before execution i,
 * reset(d->ctx, root, i, r) sets the decider up (r holds the totals so far).
 * Fills *r; never complete; r->why says what stopped it.  Returns 0, or -1
 * if the engine could not allocate. */
int sim_sampling_loop(const struct sim_program *prog, const struct sim_decider *d,
		      void (*reset)(void *ctx, const struct sim_prng *root, uint64_t index, const struct sim_result *r),
		      const struct sim_bounds *b, uint64_t seed, struct sim_result *r);

#endif /* NFRACE_SAMPLING_H */
