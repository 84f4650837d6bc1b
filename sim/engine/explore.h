/*
 * explore.h - exploration of a sim_program's executions: the one entry point
 * of every strategy.
 *
 * Exhaustive search (sim_explore) is a depth-first search over the decision
 * tree (which actor steps next, which value each choice point takes),
 * re-running every execution from the initial state with the decision
 * prefix replayed (explore.c), under one of the strategies:
 *   SIM_EXPLORE_DFS   every interleaving (the oracle; dfs.c);
 *   SIM_EXPLORE_PB    DFS bounded by preemptions (dfs.c);
 *   SIM_EXPLORE_DPOR  dynamic partial-order reduction over the yield
 *                     footprints: backtrack points from races found with
 *                     vector clocks, pruned with sleep sets (dpor.c);
 *   SIM_EXPLORE_ODPOR optimal DPOR with wakeup trees (odpor.c, wakeup.c).
 * State caching (stateful.c) is the other kind of exhaustive search: it
 * saves and restores states instead of replaying, visits each reachable
 * state of the program once (up to a permutation of interchangeable actors)
 * and, with DPOR's persistent sets, only some of them:
 *   SIM_EXPLORE_STATEFUL      state caching with DPOR;
 *   SIM_EXPLORE_STATEFUL_FULL state caching, every transition of every state.
 * Data choices are always explored completely.  One exploration can be
 * split into subtrees for several processes (split.c).  Sampling
 * (sim_sample: random, PCT; sample.c) and timelines in virtual time
 * (sim_timed; timed.c) run executions without a tree; sim_replay re-runs
 * one (replay.c).
 * Bounds end a run as incomplete; an incomplete run never claims coverage.
 */
#ifndef NFRACE_EXPLORE_H
#define NFRACE_EXPLORE_H

#include "sim.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* SIM_EXPLORE_PB: DFS restricted to executions with at most
 * sim_bounds.preemptions_max preemptions (iterative context bounding). */
struct sim_result;

enum sim_strategy {
	SIM_EXPLORE_DFS = 0,
	SIM_EXPLORE_DPOR = 1,
	SIM_EXPLORE_PB = 2,
	SIM_EXPLORE_RANDOM = 3, /* sampling: uniform choice at every decision (sample.c) */
	SIM_EXPLORE_PCT = 4,    /* sampling: probabilistic concurrency testing (sample.c) */
	SIM_EXPLORE_TIMED = 5,  /* sampling: seeded timelines in virtual time (timed.c) */
	SIM_EXPLORE_ODPOR = 6,  /* optimal DPOR: wakeup trees instead of backtrack sets (odpor.c) */
	SIM_EXPLORE_STATEFUL = 7,      /* state caching with DPOR (stateful.c) */
	SIM_EXPLORE_STATEFUL_FULL = 8, /* state caching, every transition (stateful.c) */
	SIM_EXPLORE_STATEFUL_PB = 9,   /* state caching, witness search by preemptions, then steps */
};

/* sim_strategy_stateful - whether s caches states (no replay, no split). */
static inline bool sim_strategy_stateful(enum sim_strategy s)
{
	return s == SIM_EXPLORE_STATEFUL || s == SIM_EXPLORE_STATEFUL_FULL;
}

struct sim_bounds {
	uint64_t executions_max; /* 0: unbounded (state caching: end states) */
	uint64_t memory_max;     /* state caching: bytes its tables may hold; 0: unbounded */
	uint64_t steps_max;      /* per execution; 0: default 100000 */
	uint64_t wall_ms_max;    /* 0: unbounded (the only input that is not deterministic) */
	const volatile sig_atomic_t *interrupt; /* stop when *interrupt != 0 (SIGINT); may be NULL */
	uint32_t preemptions_max; /* SIM_EXPLORE_PB only */
	bool count_classes;       /* count distinct Mazurkiewicz trace classes (sim_result.classes) */
	/* Splitting one exploration (dfs and dpor; odpor needs 0, as its wakeup
	 * trees carry what the races of one subtree demand of later ones): with
	 * split_depth > 0 the first
	 * split_depth decisions of every execution are expanded fully (every
	 * runnable actor not asleep, every data value), so the subtrees below them
	 * are explored independently of each other.  Subtree f (numbered in the
	 * order a single process reaches them) belongs to shard f % shard_n + 1;
	 * executions that end above the split belong to shard 1.  shard_n == 0:
	 * one process explores everything.  The shards of one split exploration
	 * explore disjoint sets of executions whose union does not depend on
	 * shard_n, and (sleep sets) still one execution per trace class. */
	uint32_t split_depth;
	uint32_t shard_k, shard_n; /* 1 <= shard_k <= shard_n, or shard_n == 0 */
	/* claim - with shard_n != 0, replaces the fixed assignment: subtree f is
	 * this process's iff claim(f) returns true.  Processes sharing one
	 * exploration must claim each subtree exactly once between them (a
	 * first-come table in shared memory balances the load); executions above
	 * the split stay shard 1's.  NULL: f % shard_n + 1 == shard_k. */
	bool (*claim)(void *ctx, uint64_t subtree);
	void *claim_ctx;
	/* State caching: memo_off - take every step, even one whose successor
	 * the step memo (stateful.c) already knows; memo_check - take every
	 * step the memo answers too, and count each answer that differs from
	 * the step taken (sim_result.memo_mismatches).  Both for differential
	 * tests; neither changes what a run finds. */
	bool memo_off, memo_check;
	/* blocks_off - SIM_EXPLORE_STATEFUL takes every block as single steps
	 * (Lipton's reduction off, docs/model.md "Blocks"): more states, the
	 * same outcomes.  For differential tests and measurements. */
	bool blocks_off;
	/* progress - called every 4096 executions with the running totals (may be NULL) */
	void (*progress)(void *ctx, const struct sim_result *r);
	void *progress_ctx;
};

enum sim_incomplete {
	SIM_COMPLETE = 0,
	SIM_INCOMPLETE_EXECUTIONS = 1,
	SIM_INCOMPLETE_STEPS = 2,
	SIM_INCOMPLETE_TIME = 3,
	SIM_INCOMPLETE_INTERRUPTED = 4,
	SIM_INCOMPLETE_CHOICES = 5, /* odpor: a step made more data choices than a wakeup tree records */
	SIM_INCOMPLETE_MEMORY = 6,  /* state caching: the tables reached sim_bounds.memory_max */
	SIM_INCOMPLETE_UNSUPPORTED = 7, /* state caching is not available in this build */
};

struct sim_result {
	uint64_t executions;   /* executions that ran to an end (prog->end was called) */
	uint64_t pruned;       /* executions abandoned as redundant (sleep-set blocked) */
	uint64_t deadlocks;
	uint64_t failures;     /* executions ending SIM_END_FAILED */
	uint64_t steps;        /* total steps over all executions */
	uint64_t max_depth;    /* longest execution in steps */
	uint64_t classes;      /* distinct trace classes among the executions (count_classes) */
	uint64_t subtrees;     /* split runs: subtrees reached below the split depth (all shards') */
	uint64_t subtrees_owned; /* split runs: of them, the ones this process explored (merged: the sum,
				  * which a complete split exploration makes equal to subtrees) */
	uint64_t wakeup_fallbacks; /* odpor: recorded steps that could not be taken (not runnable,
				    * asleep, or a data choice not as recorded); 0 in every test */
	/* State caching: executions counts the distinct end states reached. */
	uint64_t states;       /* distinct states visited (up to symmetry) */
	uint64_t transitions;  /* steps taken (each from a restored or just reached state) */
	uint64_t memory_peak;  /* bytes the tables held at most */
	uint64_t cycles;       /* transitions back to a state on the search stack (0 in every test) */
	uint64_t memo_hits;    /* transitions to a seen state answered by the step memo, not taken */
	uint64_t memo_mismatches; /* memo_check: answers that differed from the step (0 in every test) */
	/* done_fraction - an estimate of the fraction of the tree explored, set
	 * before each progress call: the position of the current execution in
	 * the depth-first order, counting every known alternative of a node as a
	 * subtree of equal size.  Under DPOR the first alternatives are the
	 * largest (later ones have more actors asleep), so the estimate runs
	 * low, and the total it implies high (docs/performance.md).  1 when
	 * complete; for progress lines only, never part of a report. */
	double done_fraction;
	bool complete;
	enum sim_incomplete why;
};

/* sim_explore - explore prog with strategy s (DFS, DPOR, PB, ODPOR, or one
 * of the state-caching ones, which need prog->world_key and world_load)
 * under bounds b; fill *r.
 * If stop_on_failure, exploration stops after the first SIM_END_FAILED
 * execution (the run is then reported incomplete only if other work remained).
 * Returns 0, or -1 if the engine could not allocate its state. */
int sim_explore(const struct sim_program *prog, enum sim_strategy s, const struct sim_bounds *b,
		bool stop_on_failure, struct sim_result *r);

/* sim_replay - run the one execution whose decisions are dec[0..count-1];
 * with trace_out non-NULL the execution is traced and handed to trace_out
 * before it is destroyed.  Returns the end kind, or -1 if the decisions do not
 * fit the program (a choice out of range, too few or too many decisions). */
struct sim_exec;
int sim_replay(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
	       void (*trace_out)(void *ctx, const struct sim_exec *ex), void *trace_ctx);

/* sim_replay_lenient - as sim_replay, but a decision that does not fit (out of
 * range, or none left) takes the first alternative instead of failing; for
 * replaying one kernel's witness under another kernel. */
int sim_replay_lenient(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
		       void (*trace_out)(void *ctx, const struct sim_exec *ex), void *trace_ctx);

/* struct sim_step_seq - an execution as its steps: each step's actor and
 * the object its access names, and the data choices each step made (a
 * choice made in a prologue belongs to no step and is not kept). */
struct sim_step_rec {
	uint8_t actor;
	uint8_t pad;
	sim_obj obj;
	uint32_t first_choice; /* index in choice[] */
	uint32_t nchoices;
};
struct sim_step_seq {
	struct sim_step_rec *step;
	size_t steps, step_cap;
	uint32_t *choice;
	size_t choices, choice_cap;
};

/* sim_steps_of - replay dec (as sim_replay) and record its steps into *out
 * (free with sim_step_seq_free).  Returns the end kind, or -1 (nothing to
 * free) if the decisions do not fit or memory ran out. */
int sim_steps_of(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
		 struct sim_step_seq *out);

/* sim_decisions_of - run prog taking the steps of in in order, each by
 * actor perm[actor] (perm NULL: the same actor) with its recorded data
 * choices; *dec (malloc'd, *count entries) gets the decisions of that run, a
 * schedule token's content, and *preemptions and *steps (each may be NULL)
 * that run's counts.  Returns the end kind, or -1 (*dec NULL) when the
 * steps cannot be taken so (an actor not runnable, a choice missing or out
 * of range, steps left over or missing). */
int sim_decisions_of(const struct sim_program *prog, const struct sim_step_seq *in, const uint8_t *perm,
		     uint64_t steps_max, uint32_t **dec, size_t *count, uint32_t *preemptions, uint64_t *steps);

void sim_step_seq_free(struct sim_step_seq *s);

/* sim_sample - run bounds->executions_max sampled executions of prog with
 * strategy RANDOM or PCT, seeded by seed (execution i uses sub-stream i, so a
 * run reproduces from the seed).  pct_depth is PCT's bug depth d (>= 1);
 * pct_steps the step count its change points are drawn from (0: learnt from
 * the first execution).  A sampled run is never complete.  Returns 0 or -1. */
int sim_sample(const struct sim_program *prog, enum sim_strategy s, const struct sim_bounds *b, uint64_t seed,
	       uint32_t pct_depth, uint64_t pct_steps, struct sim_result *r);

/* struct sim_timing - how long steps take, for SIM_EXPLORE_TIMED.
 * @cost_ns: duration of the code that runs before access a (the segment that
 *           the yield announcing a ends); called once per step.
 * @jitter_percent: each cost is scaled by a factor drawn uniformly from
 *           [1 - j/100, 1 + j/100] (0..100). */
struct sim_timing {
	uint64_t (*cost_ns)(void *ctx, const struct sim_access *a);
	void *ctx;
	uint32_t jitter_percent;
};

/* sim_timed - run bounds->executions_max timelines of prog.  Every actor has a
 * virtual clock; the runnable actor whose next step is due first runs (ties go
 * to the lower actor index), a step is due at the end of the actor's previous
 * step plus its cost, and never before the actor's sim_at time; an actor that
 * was blocked starts no earlier than the step that released it.  Data choices
 * are uniform.  Timeline i uses PRNG sub-stream i of seed, so a run
 * reproduces from the seed, and each timeline's decisions replay under the
 * exhaustive replayer.  Never complete.  Returns 0 or -1. */
int sim_timed(const struct sim_program *prog, const struct sim_timing *t, const struct sim_bounds *b, uint64_t seed,
	      struct sim_result *r);

/* sim_crash_schedule - async-signal-safe (plain stores, no libc calls): the
 * decisions the execution running in this process has made so far, which
 * are the prefix of the one that crashed (every step after its last
 * decision had one runnable actor), as a schedule token (token.h) into buf
 * (cap bytes, NUL-terminated).  Replaying the prefix reruns that execution
 * up to the crash.  Returns the token's full length, 0 when no execution is
 * running.  Meant for a crash handler the tool installs; the engine never
 * installs signal handlers. */
size_t sim_crash_schedule(char *buf, size_t cap);

const char *sim_strategy_name(enum sim_strategy s);
const char *sim_incomplete_name(enum sim_incomplete why);

#endif /* NFRACE_EXPLORE_H */
