/*
 * sim.h - the engine API that model code uses: actors, yield points, locks,
 * wait flags and data choice points.
 *
 * This is the whole contract between the engine and a model (the PINS idea): a model
 * is a struct sim_program whose begin() spawns actors; each actor is plain C
 * that calls sim_yield() immediately *before* every access to shared state,
 * naming the object, the access kind and a human label.  The code that runs
 * between two yields of one actor is one atomic step, and its footprint is the
 * single access announced at the yield that started it.  Code that runs before
 * an actor's first yield (its prologue) must touch no shared state.
 *
 * Nothing here knows about conntrack.  The engine core never prints.
 */
#ifndef NFRACE_SIM_H
#define NFRACE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIM_ACTORS_MAX = 16, /* actors per execution */
	SIM_FLAGS_MAX = 64,  /* locks held plus wait flags set at once */
};

/* An object id chosen by the model; equal ids mean the same shared object. */
typedef uint32_t sim_obj;

enum sim_access_kind {
	SIM_READ = 0,   /* plain or RCU read */
	SIM_WRITE = 1,  /* plain write */
	SIM_RMW = 2,    /* atomic read-modify-write (refcount, test_and_set_bit) */
	SIM_LOCK = 3,   /* lock acquire: not runnable while another actor holds obj */
	SIM_UNLOCK = 4, /* lock release by the holder */
	SIM_WAIT = 5,   /* not runnable until some actor has signalled obj */
	SIM_SIGNAL = 6, /* set wait flag obj (a write) */
	SIM_QUIESCE = 7, /* not runnable while another actor holds a lock of class obj */
	SIM_ADD = 8,    /* commutative update whose result nobody observes (see below) */
	SIM_LOCK_WAIT = 9, /* read of lock obj, not runnable while another actor holds it */
	SIM_ACCESS_KINDS = 10
};

/* Dependency: two accesses by different actors conflict when they name the
 * same object and are not both READs, both WAITs or both ADDs.  SIM_ADD is the
 * model's promise that its update commutes with every other ADD to obj in
 * every reachable state (an atomic_inc whose value is not tested, say): the
 * explorer then treats the order of two ADDs as unobservable. */
struct sim_access {
	enum sim_access_kind kind;
	sim_obj obj;
	const char *label; /* static string, e.g. "__nf_conntrack_confirm: scan ORIGINAL bucket" */
};

struct sim_exec;
typedef void (*sim_actor_fn)(struct sim_exec *ex, void *arg);

/* How one execution ended. */
enum sim_end {
	SIM_END_DONE = 0,      /* every actor finished */
	SIM_END_DEADLOCK = 1,  /* no actor runnable, some not finished */
	SIM_END_STEPS = 2,     /* the per-execution step bound was hit */
	SIM_END_FAILED = 3,    /* sim_fail() or the program's check() reported a broken invariant */
	SIM_END_PRUNED = 4,    /* the strategy abandoned it (sleep-set blocked); no outcome */
};

/*
 * struct sim_program - a model as the engine sees it.
 * @hash:  identifies scenario + model version + fix set; stamped into tokens.
 * @ctx:   passed back to every callback.
 * @begin: reset the world to its initial state and sim_spawn() the actors.
 * @check: invariant check after every step; return NULL or a static/ctx-owned
 *         message describing the violation.  May be NULL.
 * @end:   called once per execution that was not pruned, after it ended.
 */
struct sim_program {
	uint64_t hash;
	void *ctx;
	void (*begin)(void *ctx, struct sim_exec *ex);
	const char *(*check)(void *ctx);
	void (*end)(void *ctx, struct sim_exec *ex, enum sim_end end);
	/* State caching (explore.h: SIM_EXPLORE_STATEFUL); both NULL: the
	 * program cannot be explored that way.
	 * @world_key:  the program's shared state (everything besides the actors'
	 *	sim_spawn_ctx blocks) as canonical bytes into buf (cap bytes);
	 *	returns the length, which may exceed cap (then nothing past cap is
	 *	written).  Equal bytes must mean equal futures.
	 * @world_load: set the shared state from such bytes. */
	size_t (*world_key)(void *ctx, unsigned char *buf, size_t cap);
	void (*world_load)(void *ctx, const unsigned char *buf, size_t len);
	/* @add_only_class: 0, or a SIM_CLASS every object of which every
	 *	actor of this program only ever adds to (SIM_ADD).  Such an add
	 *	is independent of every step of every other actor, so state
	 *	caching with DPOR takes it in the same transition as the step
	 *	before it (docs/model.md, "Both-movers").  Checked: an access of
	 *	another kind to such an object fails the execution. */
	sim_obj add_only_class;
};

/* sim_spawn - add an actor; only from program->begin().  name is static. */
void sim_spawn(struct sim_exec *ex, const char *name, sim_actor_fn fn, void *arg);

/* sim_spawn_ctx - add an actor whose own state, besides its stack, is the
 * ctx_size bytes at ctx, and that is interchangeable with every other actor
 * of class cls: they run the same code, which behaves alike from equal bytes
 * of stack and ctx and never learns which actor it is (no actor index, no
 * address of its own).  In a stepwise execution (state caching) every actor
 * runs on one shared stack with its ctx copied to run_ctx while it runs, and
 * fn gets run_ctx; the explorer may then treat two states that differ only
 * by a permutation of the actors of a class as one.  Otherwise fn gets ctx.
 * sim_spawn is this with a class of its own and no ctx. */
void sim_spawn_ctx(struct sim_exec *ex, const char *name, sim_actor_fn fn, void *ctx, void *run_ctx, size_t ctx_size,
		   uint32_t cls);

/* sim_yield - announce the next shared access and let the scheduler pick.
 * Returns when this actor is scheduled; the access is then performed by the
 * caller before its next yield.  Use sim_lock/sim_unlock/sim_wait/sim_signal
 * for the synchronising kinds. */
void sim_yield(struct sim_exec *ex, enum sim_access_kind kind, sim_obj obj, const char *label);

/* sim_lock - acquire lock obj (blocks while another actor holds it).
 * Re-acquiring a lock one holds is a model bug and fails the execution. */
void sim_lock(struct sim_exec *ex, sim_obj obj, const char *label);

/* sim_unlock - release lock obj; releasing a lock one does not hold fails the execution. */
void sim_unlock(struct sim_exec *ex, sim_obj obj, const char *label);

/* sim_wait - block until flag obj has been signalled (it stays set). */
void sim_wait(struct sim_exec *ex, sim_obj obj, const char *label);

/* sim_signal - set flag obj, making every sim_wait(obj) runnable.  A flag is
 * one-shot: signalling it again fails the execution (the explorers take a
 * signal and a wait on one flag as never runnable together, which holds only
 * for one signal). */
void sim_signal(struct sim_exec *ex, sim_obj obj, const char *label);

/* SIM_CLASS - the class of an object id: its top 8 bits. */
#define SIM_CLASS(obj) ((obj) & 0xff000000u)

/* sim_quiesce - block until no other actor holds a lock whose SIM_CLASS is
 * lock_class.  Models an event that comes after a delay longer than any
 * critical section of that class (a network round trip, say). */
void sim_quiesce(struct sim_exec *ex, sim_obj lock_class, const char *label);

/* sim_lock_wait - block until no other actor holds lock obj, taking
 * nothing (spin_unlock_wait): a read of the lock, dependent with its
 * acquires and releases, not with other waits.  Models an event that
 * comes after a delay longer than any critical section under obj. */
void sim_lock_wait(struct sim_exec *ex, sim_obj lock, const char *label);

/* sim_choose - a data choice point with n >= 1 alternatives; returns 0..n-1.
 * The explorer enumerates every value; n == 1 returns 0 and is not a decision. */
uint32_t sim_choose(struct sim_exec *ex, uint32_t n, const char *label);

/* sim_at - the running actor's next step happens no earlier than virtual time
 * ns (nanoseconds from the start of the execution).  Only the timed strategy
 * reads it; exhaustive strategies ignore time, so the same model code runs
 * under both.  Times only move forward: an earlier ns than a previous call
 * is ignored. */
void sim_at(struct sim_exec *ex, uint64_t ns);

/* sim_now - virtual time of the step being run, in ns (0 outside timed runs). */
uint64_t sim_now(const struct sim_exec *ex);

/* sim_fail - report a broken model invariant; the execution ends with
 * SIM_END_FAILED and this actor never resumes.  msg is copied. */
void sim_fail(struct sim_exec *ex, const char *msg);

/* sim_tracing - true when the execution records a trace (replay); lets the
 * model skip building note text otherwise. */
bool sim_tracing(const struct sim_exec *ex);

/* sim_note - attach a line to the current step of the trace (what the step
 * decided, counters moved).  Cheap no-op unless tracing. */
void sim_note(struct sim_exec *ex, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* sim_actor_index - the running actor's index (spawn order), or -1 outside actors. */
int sim_actor_index(const struct sim_exec *ex);

/* sim_lock_held - whether some actor holds lock obj (for invariant checks). */
bool sim_lock_held(const struct sim_exec *ex, sim_obj obj);

/* sim_fail_message - the message of a SIM_END_FAILED execution, or NULL. */
const char *sim_fail_message(const struct sim_exec *ex);

/* sim_preemptions - context switches away from a still-runnable actor so far. */
uint32_t sim_preemptions(const struct sim_exec *ex);

/* sim_steps - steps taken so far. */
uint64_t sim_steps(const struct sim_exec *ex);

/* sim_decisions - the execution's real decisions (schedule points with two or
 * more runnable actors, data choices with n >= 2), in order; this is what a
 * schedule token encodes. */
const uint32_t *sim_decisions(const struct sim_exec *ex, size_t *count);

#endif /* NFRACE_SIM_H */
