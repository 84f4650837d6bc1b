/*
 * model.h - the conntrack/NAT model as one unit the tool can drive: build it
 * from a scenario and a fix set, start an execution (reset the world, spawn
 * one actor per CPU), check invariants, read the outcome.
 *
 * The model knows nothing about exploration strategies; it only uses sim.h.
 */
#ifndef NFRACE_MODEL_H
#define NFRACE_MODEL_H

#include "world.h"

#define NFRACE_MODEL_VERSION "nfrace-model-2"

struct nf_model {
	struct world w;       /* the live world of the running execution */
	struct world initial; /* reset source */
	struct nf_cpu cpus[NF_CPUS_MAX];
	struct sim_exec *ex;
	uint32_t waited_on;   /* bit i: some packet waits for packet i's exchange */
};

/* nf_model_init - prepare m for sc under fixes (sc must outlive m). */
void nf_model_init(struct nf_model *m, const struct scenario *sc, nf_fixset fixes, uint32_t plants);

/* nf_model_begin - reset the world and spawn the CPU actors (program begin). */
void nf_model_begin(struct nf_model *m, struct sim_exec *ex);

/* nf_model_check - the invariants after a step; NULL or a message. */
const char *nf_model_check(struct nf_model *m);

/* nf_model_hash - identifies scenario, model version and fix set (for tokens). */
uint64_t nf_model_hash(const struct scenario *sc, nf_fixset fixes, uint32_t plants);

/* nf_cpu_run - the actor of one CPU: its packets in scenario order. */
void nf_cpu_run(struct sim_exec *ex, void *cpu);

/* world_check - invariants of w; lock_held tells whether a bucket lock is held. */
const char *world_check(const struct world *w, bool (*lock_held)(void *ctx, sim_obj lock), void *ctx);

#endif /* NFRACE_MODEL_H */
