/*
 * model.h - the conntrack/NAT model as one unit the tool can drive: build it
 * from a scenario and a fix set, start an execution (reset the world, spawn
 * one actor per CPU), check invariants, read the outcome.
 *
 * The model knows nothing about exploration strategies; it only uses sim.h.
 *
 * Symmetric runs.  CPUs that send equal packets (same hook, protocol and
 * addresses, in the same order, none waiting for or waited on by another
 * packet) are interchangeable.  nf_model_init with symmetric set puts each
 * such group in one conntrack naming class (world.h) and gives every member
 * the packet list of the group's first CPU, so that two members in the same
 * state have byte-equal nf_cpu blocks; the state-caching explorer may then
 * treat states that differ by a permutation of a class as one (docs/model.md).
 */
#ifndef NFRACE_MODEL_H
#define NFRACE_MODEL_H

#include "world.h"

#define NFRACE_MODEL_VERSION "nfrace-model-3"

struct nf_model {
	struct world w;       /* the live world of the running execution */
	struct world initial; /* reset source */
	struct nf_cpu cpus[NF_CPUS_MAX];    /* each CPU's block (live) */
	struct nf_cpu initial_cpus[NF_CPUS_MAX];
	struct nf_cpu run;    /* where a stepwise engine puts the running CPU's block (sim_spawn_ctx) */
	uint32_t cpu_class[NF_CPUS_MAX]; /* interchangeability class of each CPU (its lowest member) */
	struct sim_exec *ex;
	bool symmetric;
};

/* nf_model_init - prepare m for sc under fixes (sc must outlive m); with
 * symmetric, interchangeable CPUs share a naming class (see above). */
void nf_model_init(struct nf_model *m, const struct scenario *sc, nf_fixset fixes, uint32_t plants, bool symmetric);

/* nf_model_begin - reset the world and spawn the CPU actors (program begin). */
void nf_model_begin(struct nf_model *m, struct sim_exec *ex);

/* nf_model_check - the invariants after a step; NULL or a message. */
const char *nf_model_check(struct nf_model *m);

/* nf_model_hash - identifies scenario, model version and fix set (for tokens). */
uint64_t nf_model_hash(const struct scenario *sc, nf_fixset fixes, uint32_t plants);

/* nf_model_fate - the fate of scenario packet i in the execution that just ran. */
enum pkt_fate nf_model_fate(const struct nf_model *m, uint32_t i);

/* nf_model_stat_sum - statistic s summed over the CPUs. */
uint32_t nf_model_stat_sum(const struct nf_model *m, enum nf_ct_stat s);

/* nf_cpu_run - the actor of one CPU: its packets in scenario order. */
void nf_cpu_run(struct sim_exec *ex, void *cpu);

/* world_check - invariants of w and the CPUs' skbs; lock_held tells whether a bucket lock is held. */
const char *world_check(const struct world *w, const struct nf_cpu *cpus, uint32_t ncpus,
			bool (*lock_held)(void *ctx, sim_obj lock), void *ctx);

/* world_pack - w as canonical bytes into buf (cap bytes; returns the length,
 * which may exceed cap: nothing is written past cap).  Equal bytes mean
 * equal futures: every field a model function may read is in them, and the
 * insertion sequence numbers are replaced by their ranks (only their order
 * is ever compared).  world_unpack - set w from such bytes. */
size_t world_pack(const struct world *w, unsigned char *buf, size_t cap);
void world_unpack(struct world *w, const unsigned char *buf, size_t len);

#endif /* NFRACE_MODEL_H */
