/*
 * exec.h - one execution of a sim_program: the engine-internal view used by
 * the explorer and the replayer (model code sees only sim.h).
 *
 * An execution owns the actors' coroutines and stacks (allocated once per
 * struct sim_exec and reused for every execution), the lock/flag table, the
 * decision log, and optionally a trace.  Which actor runs next and which value
 * a choice point returns is asked of a struct sim_decider, so the same loop
 * serves exhaustive search, DPOR and replay.
 */
#ifndef NFRACE_EXEC_H
#define NFRACE_EXEC_H

#include "coro.h"
#include "sim.h"

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t sim_mask; /* one bit per actor */

/* The questions an execution asks its strategy. */
struct sim_decider {
	/* pick - choose one actor among enabled (never 0).  Return -1 to prune the
	 * execution (it then ends with SIM_END_PRUNED). */
	int (*pick)(void *ctx, struct sim_exec *ex, sim_mask enabled);
	/* choose - a data choice with n >= 2 alternatives; return 0..n-1. */
	uint32_t (*choose)(void *ctx, struct sim_exec *ex, uint32_t n);
	/* step - actor is about to perform access (called after pick); may be NULL. */
	void (*step)(void *ctx, struct sim_exec *ex, int actor, const struct sim_access *access);
	void *ctx;
};

/* One recorded step of a traced execution. */
struct sim_trace_step {
	int actor;
	struct sim_access access;
	uint32_t note_first; /* offset into the note arena */
	uint32_t note_len;
};

struct sim_actor {
	struct coro coro;
	sim_actor_fn fn;
	void *arg;
	const char *name;
	struct sim_access pending;
	uint64_t not_before; /* sim_at: virtual ns before which the pending step may not run */
	bool finished;
	void *state_sp;      /* where the register pushes of its last yield begin (stepwise) */
	void *ctx, *run_ctx; /* sim_spawn_ctx; ctx_size is 0 unless stepwise */
	size_t ctx_size;
	uint32_t cls;
	unsigned char *saved; /* stepwise: its stack from coro.sp to the top while switched out */
	size_t saved_len, saved_cap;
};

struct sim_flag {
	sim_obj obj;
	int owner;        /* lock holder's index; -1 for a signalled wait flag */
	uint32_t signals; /* wait flag: how often it was signalled (sim_signal allows 1) */
};

struct sim_exec {
	const struct sim_program *prog;
	const struct sim_decider *decider;
	struct coro sched;
	struct sim_actor actors[SIM_ACTORS_MAX];
	void *stacks[SIM_ACTORS_MAX];
	size_t stack_size;
	uint32_t actor_count;
	int current;
	struct sim_flag flags[SIM_FLAGS_MAX];
	uint32_t flag_count;
	uint32_t *decisions;
	size_t decision_count, decision_cap;
	uint64_t steps;
	uint64_t steps_max;
	int last;              /* actor of the previous step, -1 before the first */
	uint32_t preemptions;  /* steps that switched away from a still-runnable actor */
	uint64_t now;          /* virtual ns of the current step (timed runs; 0 otherwise) */
	bool in_prologue;      /* actors run to their first yield, each back to sched */
	bool stepwise;         /* every yield switches back to sched (sim_exec_step) */
	void *run_stack;       /* stepwise: the one stack every actor runs on */
	enum sim_end end;      /* how the execution ended, set before switching to sched */
	bool failed, pruned;
	char fail_msg[256];
	/* trace, when tracing */
	bool tracing;
	struct sim_trace_step *trace;
	size_t trace_len, trace_cap;
	char *notes;
	size_t notes_len, notes_cap;
};

/* sim_exec_create - allocate an execution context (stacks included); NULL on
 * allocation failure.  sim_exec_destroy frees it. */
struct sim_exec *sim_exec_create(void);
void sim_exec_destroy(struct sim_exec *ex);

/* sim_exec_run - run one execution of prog from its initial state, asking d
 * for every decision; at most steps_max steps.  Calls prog->end unless pruned.
 * Returns how it ended. */
enum sim_end sim_exec_run(struct sim_exec *ex, const struct sim_program *prog, const struct sim_decider *d,
			  uint64_t steps_max);

/* sim_exec_enabled - the actors that could take a step now. */
sim_mask sim_exec_enabled(const struct sim_exec *ex);

/* sim_exec_set_tracing - record a trace in later runs (replay). */
void sim_exec_set_tracing(struct sim_exec *ex, bool on);

/* sim_quiesce_dependent - whether quiesce q conflicts with o: o takes or
 * releases a lock of q's class. */
static inline bool sim_quiesce_dependent(const struct sim_access *q, const struct sim_access *o)
{
	if (o->kind == SIM_QUIESCE)
		return false;
	return (o->kind == SIM_LOCK || o->kind == SIM_UNLOCK) && SIM_CLASS(o->obj) == q->obj;
}

/* sim_reads - whether access a only reads its object (a read, or a
 * sim_lock_wait, which reads the lock). */
static inline bool sim_reads(const struct sim_access *a)
{
	return a->kind == SIM_READ || a->kind == SIM_LOCK_WAIT;
}

/* sim_access_dependent - whether two accesses by different actors conflict
 * (same object, and not both reads, both waits or both adds; a quiesce
 * conflicts with the lock operations of its class).  Inline: the DPOR race
 * scan asks it for every pair of steps. */
static inline bool sim_access_dependent(const struct sim_access *a, const struct sim_access *b)
{
	if (a->kind == SIM_QUIESCE)
		return sim_quiesce_dependent(a, b);
	if (b->kind == SIM_QUIESCE)
		return sim_quiesce_dependent(b, a);
	if (a->obj != b->obj)
		return false;
	if (sim_reads(a) && sim_reads(b))
		return false;
	if (a->kind == SIM_WAIT && b->kind == SIM_WAIT)
		return false;
	if (a->kind == SIM_ADD && b->kind == SIM_ADD)
		return false; /* commutative updates (sim.h) */
	return true;
}

/* ---- stepwise executions (state caching, stateful.c) ------------------- */

/* sim_stepwise_supported - whether stepwise executions work in this build
 * (the x86-64 assembly context switch, no fake stacks). */
bool sim_stepwise_supported(void);

/* sim_exec_begin - start an execution of prog in stepwise mode: reset,
 * spawn, run the prologues (every actor to its first yield) and check the
 * invariants.  Decisions are the caller's (sim_exec_step); d answers only
 * data choices.  Returns false if the execution failed already. */
bool sim_exec_begin(struct sim_exec *ex, const struct sim_program *prog, const struct sim_decider *d);

/* sim_exec_step - run enabled actor a for one step: apply its pending
 * access, resume it on the shared stack until its next yield or its end,
 * check the invariants.  enabled is sim_exec_enabled() now (for the decision
 * log and the preemption count).  Returns false if the execution failed
 * (sim_fail or a broken invariant). */
bool sim_exec_step(struct sim_exec *ex, int a, sim_mask enabled);

/* sim_snap_engine_save - copy a stepwise execution's engine state (flags,
 * counters) into buf (cap bytes); sim_snap_actor_save - copy actor a's
 * (context, pending access, stack, ctx).  Each returns the size needed,
 * copying nothing when it exceeds cap.  The restores set ex back to saved
 * parts of the same execution.  The program's world is not included
 * (world_key, world_load). */
size_t sim_snap_engine_save(const struct sim_exec *ex, void *buf, size_t cap);
void sim_snap_engine_restore(struct sim_exec *ex, const void *buf);
size_t sim_snap_actor_save(const struct sim_exec *ex, uint32_t a, void *buf, size_t cap);
void sim_snap_actor_restore(struct sim_exec *ex, uint32_t a, const void *buf);

/* sim_actor_blob - actor a's continuation while it is switched out in a
 * stepwise execution: its stack from the register pushes of its last yield
 * up to its first frame (the bytes that, with its ctx, decide what it does). */
const void *sim_actor_blob(const struct sim_exec *ex, uint32_t a, size_t *len);

/* sim_access_kind_name - "read", "write", "rmw", "lock", "unlock", "wait", "signal", "quiesce", "add". */
const char *sim_access_kind_name(enum sim_access_kind kind);

#endif /* NFRACE_EXEC_H */
