/*
 * exec.c - the execution loop: actors as coroutines, yield points, locks and
 * wait flags, data choices, and the decision log.
 *
 * One function, schedule_next, decides who runs.  It runs in whichever
 * context is current: the scheduler's for the first step, after that the
 * actor that just yielded or finished, which then switches straight to the
 * chosen actor (or simply returns when it chose itself, the common case) and
 * to the scheduler context only when the execution ends.  This saves the two
 * context switches per step that a central scheduler loop costs
 * (docs/performance.md).  Synchronising effects (lock owner, signalled flag)
 * are applied when the step is picked, before the actor resumes, which keeps
 * "enabled" a pure function of the flag table and the actors' pending
 * accesses.
 */
#include "exec.h"

#include <assert.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
enum { ACTOR_STACK_SIZE = 1024 * 1024 };
#else
enum { ACTOR_STACK_SIZE = 128 * 1024 };
#endif

/* The execution running in this process, for sim_crash_schedule (a signal
 * handler reads it): set when an execution starts, cleared when it ends or
 * its context is destroyed. */
static struct sim_exec *volatile crash_exec;

struct sim_exec *sim_exec_create(void)
{
	struct sim_exec *ex = calloc(1, sizeof(*ex));
	if (!ex)
		return NULL;
	ex->stack_size = ACTOR_STACK_SIZE;
	ex->decision_cap = 256;
	ex->decisions = malloc(ex->decision_cap * sizeof(*ex->decisions));
	if (!ex->decisions) {
		free(ex);
		return NULL;
	}
	return ex;
}

void sim_exec_destroy(struct sim_exec *ex)
{
	if (!ex)
		return;
	if (crash_exec == ex)
		crash_exec = NULL;
	for (size_t i = 0; i < SIM_ACTORS_MAX; i++) {
		coro_stack_free(ex->stacks[i], ex->stack_size);
		free(ex->actors[i].saved);
	}
	coro_stack_free(ex->run_stack, ex->stack_size);
	free(ex->decisions);
	free(ex->trace);
	free(ex->notes);
	free(ex);
}

void sim_exec_set_tracing(struct sim_exec *ex, bool on)
{
	ex->tracing = on;
}

bool sim_tracing(const struct sim_exec *ex)
{
	return ex->tracing;
}

int sim_actor_index(const struct sim_exec *ex)
{
	return ex->current;
}

const char *sim_fail_message(const struct sim_exec *ex)
{
	return ex->failed ? ex->fail_msg : NULL;
}

uint32_t sim_preemptions(const struct sim_exec *ex)
{
	return ex->preemptions;
}

uint64_t sim_steps(const struct sim_exec *ex)
{
	return ex->steps;
}

const uint32_t *sim_decisions(const struct sim_exec *ex, size_t *count)
{
	*count = ex->decision_count;
	return ex->decisions;
}

static void die_oom(void)
{
	/* The engine has no way to continue without memory; this is not bad input. */
	fputs("nfrace: out of memory\n", stderr);
	abort();
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	p = realloc(p, n * elem);
	if (!p)
		die_oom();
	*cap = n;
	return p;
}

static void record_decision(struct sim_exec *ex, uint32_t value)
{
	ex->decisions = grow(ex->decisions, &ex->decision_cap, ex->decision_count + 1, sizeof(uint32_t));
	ex->decisions[ex->decision_count++] = value;
}

/* ---- the actor side ---------------------------------------------------- */

static __thread struct sim_exec *entry_exec;

static void hand_over(struct sim_exec *ex, struct coro *from, int self);

/* The entry of every actor.  No actor index or pointer stays in its frame
 * while the actor's function runs (it finds the actor again afterwards), so
 * interchangeable actors on the shared stack of a stepwise execution have
 * equal frames (sim_spawn_ctx). */
static void actor_main(void *unused)
{
	(void)unused;
	{
		struct sim_exec *ex = entry_exec;
		const struct sim_actor *a = &ex->actors[ex->current];
		a->fn(ex, a->arg);
	}
	struct sim_exec *ex = entry_exec;
	int i = ex->current;
	ex->actors[i].finished = true;
	hand_over(ex, &ex->actors[i].coro, i);
	/* unreachable: a finished actor is never enabled */
	abort();
}

/* Stepwise executions keep a switched-out actor's stack in its saved buffer
 * and copy it to the shared run stack while the actor runs; its ctx goes to
 * run_ctx likewise. */
static void save_stack(struct sim_exec *ex, struct sim_actor *a)
{
	if (a->finished) {
		a->saved_len = 0;
		return;
	}
	const char *top = (const char *)ex->run_stack + ex->stack_size;
	size_t n = (size_t)(top - (const char *)a->coro.sp);
	a->saved = grow(a->saved, &a->saved_cap, n, 1);
	coro_stack_reused(a->coro.sp, n); /* its frames' redzones are copied as bytes (sanitizer) */
	memcpy(a->saved, a->coro.sp, n);
	a->saved_len = n;
}

static void switch_out(struct sim_exec *ex, struct sim_actor *a)
{
	if (a->ctx_size)
		memcpy(a->ctx, a->run_ctx, a->ctx_size);
	save_stack(ex, a);
}

static void switch_in(struct sim_exec *ex, struct sim_actor *a)
{
	if (a->ctx_size)
		memcpy(a->run_ctx, a->ctx, a->ctx_size);
	coro_stack_reused(ex->run_stack, ex->stack_size); /* other actors' frames were here */
	memcpy(a->coro.sp, a->saved, a->saved_len);
}

/* Nonzero while a stepwise execution runs: each yield then zeroes the dead
 * stack below its caller on the way back (see sim_yield). */
unsigned char sim_scrub;
enum { SCRUB_BYTES = 4096 };

void sim_spawn_ctx(struct sim_exec *ex, const char *name, sim_actor_fn fn, void *ctx, void *run_ctx, size_t ctx_size,
		   uint32_t cls)
{
	assert(ex->current == -1);
	assert(ex->actor_count < SIM_ACTORS_MAX);
	uint32_t i = ex->actor_count++;
	struct sim_actor *a = &ex->actors[i];
	void **stack = ex->stepwise ? &ex->run_stack : &ex->stacks[i];
	if (!*stack) {
		*stack = coro_stack_alloc(ex->stack_size);
		if (!*stack)
			die_oom();
	}
	a->fn = fn;
	a->arg = ex->stepwise && ctx_size ? run_ctx : ctx;
	a->name = name;
	a->finished = false;
	a->pending = (struct sim_access){SIM_READ, 0, NULL};
	a->not_before = 0;
	a->state_sp = NULL;
	a->ctx = ctx;
	a->run_ctx = run_ctx;
	a->ctx_size = ex->stepwise ? ctx_size : 0;
	a->cls = cls;
	if (ex->stepwise) { /* frames start on zeroed memory, whatever ran here before */
		char *top = (char *)*stack + ex->stack_size - 8 * SCRUB_BYTES;
		coro_stack_reused(top, 8 * SCRUB_BYTES); /* old frames' redzones (sanitizer) */
		memset(top, 0, 8 * SCRUB_BYTES);
	}
	coro_init(&a->coro, *stack, ex->stack_size, actor_main, NULL);
	if (ex->stepwise)
		save_stack(ex, a);
}

void sim_spawn(struct sim_exec *ex, const char *name, sim_actor_fn fn, void *arg)
{
	sim_spawn_ctx(ex, name, fn, arg, NULL, 0, 0x80000000u | ex->actor_count);
}

static struct sim_actor *running(struct sim_exec *ex)
{
	assert(ex->current >= 0 && (uint32_t)ex->current < ex->actor_count);
	return &ex->actors[ex->current];
}

#ifndef NFRACE_CORO_UCONTEXT
/*
 * sim_yield is a stub in front of sim_yield_at: it pushes the callee-saved
 * registers (the caller's live values that are not on its stack) and passes
 * that stack pointer on, so that an actor's continuation is the memory from
 * there to its first frame (sim_actor_blob).  On the way back it pops them
 * and, in a stepwise execution, zeroes SCRUB_BYTES of dead stack below its
 * caller, so that frames the actor pushes later start from zeros and not
 * from what earlier calls left there: equal states then have equal stacks
 * more often.  It also zeroes the caller-saved registers, free to use after
 * the call, so that nothing the scheduler left in them (a pointer into a
 * snapshot it restored, say) reaches the actor's stack through a padding byte
 * or a spill: a step's bytes are then a function of the actor's own bytes and
 * the memory it reads (stateful.c's step memo relies on it).
 */
void sim_yield_at(struct sim_exec *ex, enum sim_access_kind kind, sim_obj obj, const char *label, void *sp);
__asm__(".text\n"
	".globl sim_yield\n"
	".type sim_yield,@function\n"
	"sim_yield:\n"
	"  pushq %rbp\n"
	"  pushq %rbx\n"
	"  pushq %r12\n"
	"  pushq %r13\n"
	"  pushq %r14\n"
	"  pushq %r15\n"
	"  movq %rsp, %r8\n"
	"  subq $8, %rsp\n" /* 16-byte alignment at the call */
	"  call sim_yield_at\n"
	"  addq $8, %rsp\n"
	"  popq %r15\n"
	"  popq %r14\n"
	"  popq %r13\n"
	"  popq %r12\n"
	"  popq %rbx\n"
	"  popq %rbp\n"
	"  cmpb $0, sim_scrub(%rip)\n"
	"  je 1f\n"
	"  leaq -4096(%rsp), %rdi\n" /* SCRUB_BYTES */
	"  movl $512, %ecx\n"
	"  xorl %eax, %eax\n"
	"  rep stosq\n"
	"  xorl %edi, %edi\n" /* and the caller-saved registers: what the scheduler */
	"  xorl %esi, %esi\n" /* left in them (a pointer into a snapshot, say) */
	"  xorl %edx, %edx\n" /* never reaches the actor's stack through a */
	"  xorl %r8d, %r8d\n" /* padding byte or a spill */
	"  xorl %r9d, %r9d\n"
	"  xorl %r10d, %r10d\n"
	"  xorl %r11d, %r11d\n"
	"  pxor %xmm0, %xmm0\n"
	"  pxor %xmm1, %xmm1\n"
	"  pxor %xmm2, %xmm2\n"
	"  pxor %xmm3, %xmm3\n"
	"  pxor %xmm4, %xmm4\n"
	"  pxor %xmm5, %xmm5\n"
	"  pxor %xmm6, %xmm6\n"
	"  pxor %xmm7, %xmm7\n"
	"  pxor %xmm8, %xmm8\n"
	"  pxor %xmm9, %xmm9\n"
	"  pxor %xmm10, %xmm10\n"
	"  pxor %xmm11, %xmm11\n"
	"  pxor %xmm12, %xmm12\n"
	"  pxor %xmm13, %xmm13\n"
	"  pxor %xmm14, %xmm14\n"
	"  pxor %xmm15, %xmm15\n"
	"1:\n"
	"  ret\n"
	".size sim_yield, .-sim_yield\n");

void sim_yield_at(struct sim_exec *ex, enum sim_access_kind kind, sim_obj obj, const char *label, void *sp)
{
	struct sim_actor *a = running(ex);
	a->state_sp = sp;
#else
void sim_yield(struct sim_exec *ex, enum sim_access_kind kind, sim_obj obj, const char *label)
{
	struct sim_actor *a = running(ex);
#endif
	assert(kind < SIM_ACCESS_KINDS);
	assert(label != NULL);
	if (kind != SIM_ADD && SIM_CLASS(obj) == ex->prog->add_only_class && ex->prog->add_only_class)
		sim_fail(ex, "an access other than an add to an object the program declares add-only "
			     "(sim_program.add_only_class)");
	a->pending = (struct sim_access){kind, obj, label};
	hand_over(ex, &a->coro, ex->current);
	assert(&ex->actors[ex->current] == a);
}

void sim_at(struct sim_exec *ex, uint64_t ns)
{
	struct sim_actor *a = running(ex);
	if (ns > a->not_before)
		a->not_before = ns;
}

uint64_t sim_now(const struct sim_exec *ex)
{
	return ex->now;
}

static int flag_find(const struct sim_exec *ex, sim_obj obj)
{
	for (uint32_t i = 0; i < ex->flag_count; i++)
		if (ex->flags[i].obj == obj)
			return (int)i;
	return -1;
}

bool sim_lock_held(const struct sim_exec *ex, sim_obj obj)
{
	int f = flag_find(ex, obj);
	return f >= 0 && ex->flags[f].owner >= 0;
}

void sim_fail(struct sim_exec *ex, const char *msg)
{
	struct sim_actor *a = running(ex);
	ex->failed = true;
	ex->end = SIM_END_FAILED;
	snprintf(ex->fail_msg, sizeof(ex->fail_msg), "%s", msg);
	coro_switch(&a->coro, &ex->sched);
	/* unreachable: failed actor resumed */
	abort();
}

void sim_lock(struct sim_exec *ex, sim_obj obj, const char *label)
{
	int f = flag_find(ex, obj);
	if (f >= 0 && ex->flags[f].owner == ex->current)
		sim_fail(ex, "lock acquired twice by the same actor");
	sim_yield(ex, SIM_LOCK, obj, label);
	f = flag_find(ex, obj);
	assert(f >= 0 && ex->flags[f].owner == ex->current);
}

void sim_unlock(struct sim_exec *ex, sim_obj obj, const char *label)
{
	int f = flag_find(ex, obj);
	if (f < 0 || ex->flags[f].owner != ex->current)
		sim_fail(ex, "lock released by an actor that does not hold it");
	sim_yield(ex, SIM_UNLOCK, obj, label);
	assert(flag_find(ex, obj) < 0);
}

void sim_wait(struct sim_exec *ex, sim_obj obj, const char *label)
{
	sim_yield(ex, SIM_WAIT, obj, label);
}

void sim_signal(struct sim_exec *ex, sim_obj obj, const char *label)
{
	sim_yield(ex, SIM_SIGNAL, obj, label);
	int f = flag_find(ex, obj);
	assert(f >= 0 && ex->flags[f].owner == -1);
	if (ex->flags[f].signals > 1)
		sim_fail(ex, "wait flag signalled twice (flags are one-shot)");
}

void sim_lock_wait(struct sim_exec *ex, sim_obj lock, const char *label)
{
	sim_yield(ex, SIM_LOCK_WAIT, lock, label);
}

void sim_quiesce(struct sim_exec *ex, sim_obj lock_class, const char *label)
{
	assert(SIM_CLASS(lock_class) == lock_class);
	sim_yield(ex, SIM_QUIESCE, lock_class, label);
}

static bool class_locked_by_other(const struct sim_exec *ex, sim_obj cls, int me)
{
	for (uint32_t i = 0; i < ex->flag_count; i++)
		if (ex->flags[i].owner >= 0 && ex->flags[i].owner != me && SIM_CLASS(ex->flags[i].obj) == cls)
			return true;
	return false;
}

uint32_t sim_choose(struct sim_exec *ex, uint32_t n, const char *label)
{
	assert(n >= 1);
	(void)label;
	if (n == 1)
		return 0;
	uint32_t v = ex->decider->choose(ex->decider->ctx, ex, n);
	assert(v < n);
	record_decision(ex, v);
	if (ex->tracing)
		sim_note(ex, "choice %s = %u of %u", label, v, n);
	return v;
}

void sim_note(struct sim_exec *ex, const char *fmt, ...)
{
	if (!ex->tracing || ex->trace_len == 0)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	struct sim_trace_step *st = &ex->trace[ex->trace_len - 1];
	ex->notes = grow(ex->notes, &ex->notes_cap, ex->notes_len + len + 1, 1);
	if (st->note_len == 0)
		st->note_first = (uint32_t)ex->notes_len;
	assert(st->note_first + st->note_len == ex->notes_len);
	memcpy(ex->notes + ex->notes_len, line, len);
	ex->notes[ex->notes_len + len] = '\n';
	ex->notes_len += len + 1;
	st->note_len += (uint32_t)(len + 1);
}

/* ---- the scheduler side ------------------------------------------------- */

sim_mask sim_exec_enabled(const struct sim_exec *ex)
{
	sim_mask m = 0;
	for (uint32_t i = 0; i < ex->actor_count; i++) {
		const struct sim_actor *a = &ex->actors[i];
		if (a->finished)
			continue;
		int f = flag_find(ex, a->pending.obj);
		if (a->pending.kind == SIM_LOCK && f >= 0)
			continue;
		if (a->pending.kind == SIM_WAIT && (f < 0 || ex->flags[f].owner != -1))
			continue;
		if (a->pending.kind == SIM_QUIESCE && class_locked_by_other(ex, a->pending.obj, (int)i))
			continue;
		if (a->pending.kind == SIM_LOCK_WAIT && f >= 0 && ex->flags[f].owner != (int)i)
			continue;
		m |= (sim_mask)1 << i;
	}
	return m;
}

static void trace_step(struct sim_exec *ex, int actor, const struct sim_access *acc)
{
	if (!ex->tracing)
		return;
	ex->trace = grow(ex->trace, &ex->trace_cap, ex->trace_len + 1, sizeof(*ex->trace));
	ex->trace[ex->trace_len++] = (struct sim_trace_step){actor, *acc, 0, 0};
}

static void apply_sync(struct sim_exec *ex, int actor, const struct sim_access *acc)
{
	int f = flag_find(ex, acc->obj);
	switch (acc->kind) {
	case SIM_LOCK:
		assert(f < 0);
		assert(ex->flag_count < SIM_FLAGS_MAX);
		ex->flags[ex->flag_count++] = (struct sim_flag){acc->obj, actor, 0};
		break;
	case SIM_UNLOCK:
		assert(f >= 0 && ex->flags[f].owner == actor);
		ex->flags[f] = ex->flags[--ex->flag_count];
		break;
	case SIM_SIGNAL:
		if (f < 0) {
			assert(ex->flag_count < SIM_FLAGS_MAX);
			ex->flags[ex->flag_count++] = (struct sim_flag){acc->obj, -1, 1};
		} else {
			ex->flags[f].signals++;
		}
		break;
	default:
		break;
	}
}

static void reset(struct sim_exec *ex, const struct sim_program *prog, const struct sim_decider *d,
		  uint64_t steps_max)
{
	crash_exec = ex;
	ex->prog = prog;
	ex->decider = d;
	ex->actor_count = 0;
	ex->current = -1;
	ex->flag_count = 0;
	ex->decision_count = 0;
	ex->steps = 0;
	ex->steps_max = steps_max;
	ex->last = -1;
	ex->preemptions = 0;
	ex->now = 0;
	ex->in_prologue = false;
	ex->stepwise = false;
	sim_scrub = 0;
	ex->end = SIM_END_DONE;
	ex->failed = false;
	ex->pruned = false;
	ex->fail_msg[0] = '\0';
	ex->trace_len = 0;
	ex->notes_len = 0;
}

/* Run every actor from its entry to its first yield, in spawn order; each
 * yield returns here (hand_over, in_prologue). */
static bool run_prologues(struct sim_exec *ex)
{
	static const struct sim_access start = {SIM_READ, 0, NULL};
	ex->in_prologue = true;
	for (uint32_t i = 0; i < ex->actor_count && !ex->failed; i++) {
		trace_step(ex, (int)i, &start);
		ex->current = (int)i;
		entry_exec = ex;
		if (ex->stepwise)
			switch_in(ex, &ex->actors[i]);
		coro_switch(&ex->sched, &ex->actors[i].coro);
		if (ex->stepwise)
			switch_out(ex, &ex->actors[i]);
		ex->current = -1;
	}
	ex->in_prologue = false;
	return !ex->failed;
}

static bool check_invariants(struct sim_exec *ex)
{
	if (!ex->prog->check)
		return true;
	const char *msg = ex->prog->check(ex->prog->ctx);
	if (!msg)
		return true;
	ex->failed = true;
	snprintf(ex->fail_msg, sizeof(ex->fail_msg), "%s", msg);
	return false;
}

/* Actor a (enabled) takes its pending step: log the decision, count a
 * preemption, tell the decider, apply the synchronisation. */
static void take_step(struct sim_exec *ex, int a, sim_mask enabled)
{
	assert(enabled & ((sim_mask)1 << a));
	if (enabled & (enabled - 1))
		record_decision(ex, (uint32_t)a);
	if (ex->last >= 0 && ex->last != a && (enabled & ((sim_mask)1 << ex->last)))
		ex->preemptions++;
	ex->last = a;
	const struct sim_access acc = ex->actors[a].pending;
	if (ex->decider->step)
		ex->decider->step(ex->decider->ctx, ex, a, &acc);
	apply_sync(ex, a, &acc);
	trace_step(ex, a, &acc);
	ex->steps++;
}

/* The one scheduling decision between two steps: check the invariants, ask
 * the decider for the next step and apply its synchronisation.  Returns the
 * actor to run next, or -1 with ex->end saying how the execution ended. */
static int schedule_next(struct sim_exec *ex)
{
	if (!check_invariants(ex)) {
		ex->end = SIM_END_FAILED;
		return -1;
	}
	sim_mask enabled = sim_exec_enabled(ex);
	if (!enabled) {
		ex->end = SIM_END_DONE;
		for (uint32_t i = 0; i < ex->actor_count; i++)
			if (!ex->actors[i].finished)
				ex->end = SIM_END_DEADLOCK;
		return -1;
	}
	if (ex->steps >= ex->steps_max) {
		ex->end = SIM_END_STEPS;
		return -1;
	}
	int a = ex->decider->pick(ex->decider->ctx, ex, enabled);
	if (a < 0) {
		ex->end = SIM_END_PRUNED;
		return -1;
	}
	take_step(ex, a, enabled);
	return a;
}

/* Give the CPU away from the context saved in from (actor self, or -1 for
 * the scheduler context): to the next actor, or to the scheduler context when
 * the execution is over.  Returns when from is resumed, with ex->current set
 * to self; at once if self was picked again. */
static void hand_over(struct sim_exec *ex, struct coro *from, int self)
{
	if (ex->in_prologue || ex->stepwise) {
		coro_switch(from, &ex->sched);
		return;
	}
	ex->current = -1;
	int next = schedule_next(ex);
	if (next == self) {
		ex->current = self;
		return;
	}
	if (next < 0) {
		assert(self >= 0); /* the scheduler context handles an immediate end itself */
		coro_switch(from, &ex->sched);
		return;
	}
	ex->current = next;
	entry_exec = ex;
	coro_switch(from, &ex->actors[next].coro);
}

enum sim_end sim_exec_run(struct sim_exec *ex, const struct sim_program *prog, const struct sim_decider *d,
			  uint64_t steps_max)
{
	enum sim_end end = SIM_END_FAILED;
	reset(ex, prog, d, steps_max);
	prog->begin(prog->ctx, ex);
	if (run_prologues(ex)) {
		int first = schedule_next(ex);
		if (first >= 0) {
			ex->current = first;
			entry_exec = ex;
			coro_switch(&ex->sched, &ex->actors[first].coro);
			ex->current = -1;
		}
		end = ex->end;
	}
	if (end == SIM_END_PRUNED) {
		ex->pruned = true;
		crash_exec = NULL;
		return end;
	}
	if (prog->end)
		prog->end(prog->ctx, ex, end);
	crash_exec = NULL;
	return end;
}

/* ---- stepwise executions --------------------------------------------- */

bool sim_stepwise_supported(void)
{
#if defined(NFRACE_CORO_UCONTEXT)
	return false; /* no register pushes to find a continuation by */
#else
	return true;
#endif
}

bool sim_exec_begin(struct sim_exec *ex, const struct sim_program *prog, const struct sim_decider *d)
{
	assert(sim_stepwise_supported());
	reset(ex, prog, d, UINT64_MAX);
	ex->stepwise = true;
	sim_scrub = 1;
	prog->begin(prog->ctx, ex);
	return run_prologues(ex) && check_invariants(ex);
}

bool sim_exec_step(struct sim_exec *ex, int a, sim_mask enabled)
{
	assert(ex->stepwise && ex->current == -1);
	take_step(ex, a, enabled);
	ex->current = a;
	entry_exec = ex;
	switch_in(ex, &ex->actors[a]);
	coro_switch(&ex->sched, &ex->actors[a].coro);
	switch_out(ex, &ex->actors[a]);
	ex->current = -1;
	return !ex->failed && check_invariants(ex);
}

/* ---- the schedule of a crashing execution ------------------------------ */

/* Append byte c to buf[*len] when it fits (keeping room for the NUL). */
static void crash_put(char *buf, size_t cap, size_t *len, char c)
{
	if (*len + 1 < cap)
		buf[*len] = c;
	(*len)++;
}

static void crash_put_decimal(char *buf, size_t cap, size_t *len, uint32_t v)
{
	char digits[10];
	int n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		crash_put(buf, cap, len, digits[--n]);
}

size_t sim_crash_schedule(char *buf, size_t cap)
{
	static const char digits36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	const struct sim_exec *ex = crash_exec;
	size_t len = 0;
	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (!ex || !ex->prog)
		return 0;
	const char *head = "nfr1-";
	for (const char *p = head; *p; p++)
		crash_put(buf, cap, &len, *p);
	for (int shift = 60; shift >= 0; shift -= 4)
		crash_put(buf, cap, &len, digits36[(ex->prog->hash >> shift) & 0xf]);
	crash_put(buf, cap, &len, '-');
	for (size_t i = 0; i < ex->decision_count; i++) {
		uint32_t d = ex->decisions[i];
		if (d < 36) {
			crash_put(buf, cap, &len, digits36[d]);
			continue;
		}
		crash_put(buf, cap, &len, '_');
		crash_put_decimal(buf, cap, &len, d);
		crash_put(buf, cap, &len, '_');
	}
	buf[len < cap ? len : cap - 1] = '\0';
	return len;
}

const char *sim_access_kind_name(enum sim_access_kind kind)
{
	static const char *const names[SIM_ACCESS_KINDS] = {"read", "write", "rmw", "lock",
							     "unlock", "wait", "signal", "quiesce", "add", "lock_wait"};
	assert(kind < SIM_ACCESS_KINDS);
	return names[kind];
}
