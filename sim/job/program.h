/*
 * program.h - one exploration job: a scenario under one fix set, run through
 * the engine, with its executions folded into distinct outcomes.
 *
 * This is tool layer: it joins the model (model/model.h) and the engine
 * (explore.h) and produces plain data for the reports.  It never prints.
 */
#ifndef NFRACE_PROGRAM_H
#define NFRACE_PROGRAM_H

#include "ev.h"
#include "explore.h"
#include "fixes.h"
#include "model.h"
#include "probability.h"
#include "scenario.h"

enum { OUTCOMES_MAX = 256, TOKEN_TEXT_MAX = 2048 };

/* One distinct (dropped, lost replies, counters) result and one execution
 * that produces it. */
struct outcome {
	uint32_t dropped;      /* bit i: packets[i] dropped */
	uint32_t lost;         /* bit i: packets[i]'s reply never reached the client */
	uint32_t counters[STAT_COUNT];
	uint64_t executions;
	char schedule[TOKEN_TEXT_MAX];
	uint32_t preemptions;  /* of the schedule above */
	uint64_t steps;        /* of the schedule above */
	bool minimal;          /* no execution with this outcome has fewer preemptions, or as
				  few and fewer steps (shown by preemption-bounded search) */
	bool searched;         /* the minimisation found it: schedule is that search's first
				  witness with the fewest preemptions, then steps */
	bool sampled;          /* found by the presample only (an incomplete run): executions
				  counts sampled executions */
};

enum { PRESAMPLE_EXECUTIONS = 2000, PRESAMPLE_DEPTH = 3 };

struct job {
	const struct scenario *sc;
	const char *kernel;    /* preset name the fix set started from */
	nf_fixset fixes;
	uint32_t plants;       /* planted bugs (tests of the explorer only) */
	enum sim_strategy strategy;
	struct sim_bounds bounds;
	uint64_t seed;
	uint32_t pct_depth;    /* PCT bug depth d (sampling only) */
	/* results */
	struct sim_result result;
	uint64_t drop_executions;
	/* presample: before a bounded exhaustive run (a time, execution or
	 * memory bound, or any state-caching run), sample PRESAMPLE_EXECUTIONS
	 * executions with PCT from seed, so that a drop reachable in about 1% of
	 * executions is reported even if the bound stops the exploration; an
	 * outcome only the sampling found is kept with outcome.sampled set. */
	bool presample;
	uint64_t presample_executions, presample_drops;
	uint32_t outcome_count;
	bool outcomes_overflow;
	struct outcome outcomes[OUTCOMES_MAX];
	bool failed;           /* a model invariant broke */
	char fail_message[256];
	char fail_schedule[TOKEN_TEXT_MAX];
	bool deadlocked;
	char deadlock_schedule[TOKEN_TEXT_MAX];
	uint32_t witness_bound;      /* preemption bound the minimisation completed */
	uint64_t witness_executions; /* executions the minimisation ran */
	/* events scenarios: figures summed over the executions */
	struct ev_figures ev_sum;
	uint64_t ev_runs, ev_runs_table_full, ev_runs_destroy_lost;
	int64_t ev_in_sync_ms_max;   /* latest over runs; -1 if some run ended out of sync */
	struct job_draws draws;      /* the distinct random draws of the dropping executions (probability.h) */
	/* engine glue */
	struct nf_model model;
	struct ev_net ev;
	uint64_t hash;
};

/* job_run - explore j->sc under j->fixes; fills the result fields.  The job
 * must stay at one address while it runs.  Returns 0, or -1 when the engine
 * could not allocate. */
int job_run(struct job *j);

/* job_prepare - build j's model and program hash from sc, fixes and plants
 * (job_run does it first; a merge does it before minimising witnesses). */
void job_prepare(struct job *j);

/* job_merge - add the results of part, one shard of the same split
 * exploration (same program hash, into->bounds.split_depth), to into: counts
 * add up, outcomes are joined, and each outcome, the failure and the deadlock
 * keep the witness a single process would have met first (job_merge.c).
 * Merging every shard of a complete exploration into a zeroed job gives the
 * single process's results exactly.  After a failure each shard stops at its
 * own first one: the earliest is kept, the counts are not the single run's. */
void job_merge(struct job *into, const struct job *part);

/* job_desymmetrize - after a state-caching exploration of j (job_run does
 * it): turn its witnesses into ordinary schedules and add every outcome
 * that a permutation of interchangeable CPUs makes of a found one
 * (sim/job/symmetry.c).  The model is in its ordinary form afterwards.
 * Returns 0, or -1 when out of memory; a witness that does not replay
 * fails the job (j->failed, an explorer bug). */
int job_desymmetrize(struct job *j);

/* job_symmetric_witnesses - after a witness search over the symmetric form
 * (job_minimize_witnesses of a state-caching job): every outcome the search
 * did not reach (!searched) whose image under a class permutation it did
 * reach takes that outcome's witness, permuted; an image missing from j is
 * added.  Returns 0 or -1; a permuted witness that does not replay fails the
 * job (an explorer bug). */
int job_symmetric_witnesses(struct job *j);

/* job_minimize_witnesses - after job_run: replace each outcome's schedule by
 * one with the fewest preemptions, then the fewest steps, by preemption-
 * bounded search with bounds 0, 1, ... up to bound_max, each bound limited to
 * executions_max executions.  An outcome the bounded search finds that the
 * exploration did not is an explorer bug and fails the job.  Returns 0 or -1. */
int job_minimize_witnesses(struct job *j, uint32_t bound_max, uint64_t executions_max);

/* job_drop_probability - the probability over the random data choices that
 * some interleaving drops a packet or loses a reply (probability.h); false
 * when not known (no drop, a sampled or incomplete exploration, too many
 * draws).  *exact false: p is an upper bound. */
bool job_drop_probability(const struct job *j, double *p, bool *exact);

/* job_is_events - whether j's scenario is an events: scenario. */
bool job_is_events(const struct job *j);

/* job_exit_complete - whether j did all it was asked: an exhaustive run that
 * finished, or an events simulation that ran all its timelines (they are
 * the whole job; they are reported as sampled, never as an exploration). */
static inline bool job_exit_complete(const struct job *j)
{
	return j->result.complete || (j->sc->events.present && j->strategy == SIM_EXPLORE_TIMED &&
				      j->result.why == SIM_INCOMPLETE_EXECUTIONS); /* not cut by time or a signal */
}

/* job_timing - the step costs of a timed run of j (the scenario's timing:,
 * or the defaults documented in docs/timing.md). */
const struct scenario_timing *job_timing(const struct job *j);

/* job_outcome_is_drop - whether an outcome drops a packet or loses a reply. */
bool job_outcome_is_drop(const struct outcome *o);

/* job_replay - replay token against j's scenario and fix set; trace_out (may
 * be NULL) receives the traced execution, out receives its outcome.
 * Returns 0, or the sim_token_status (1..3) of a bad token, or 4 when the
 * token's decisions do not fit this program. */
struct sim_exec;
int job_replay(struct job *j, const char *token, void (*trace_out)(void *, const struct sim_exec *), void *ctx,
	       struct outcome *out);

/* job_replay_observed - as job_replay, and observe(ctx, &j->model) is called
 * with the world after the actors' prologues and after every step, in order
 * (before the invariant check of that state); a step that fails the
 * execution is not observed.  trace_out(ctx, ...) then receives the traced
 * execution; both callbacks get ctx. */
int job_replay_observed(struct job *j, const char *token, void (*observe)(void *, const struct nf_model *),
			void (*trace_out)(void *, const struct sim_exec *), void *ctx, struct outcome *out);

/* job_replay_foreign - replay the decisions of a token made for another fix
 * set (its hash is not checked) leniently under j's fix set.  Returns 0, or
 * the sim_token_status of malformed text. */
int job_replay_foreign(struct job *j, const char *token, void (*trace_out)(void *, const struct sim_exec *), void *ctx,
		       struct outcome *out);

#endif /* NFRACE_PROGRAM_H */
