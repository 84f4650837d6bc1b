/*
 * coro.h - minimal stackful coroutines for the engine's actors.
 *
 * On x86-64 a context switch is six callee-saved pushes, a stack-pointer swap
 * and six pops (coro.c); elsewhere, or when built with NFRACE_CORO_UCONTEXT,
 * it falls back to <ucontext.h>.  The choice was made by measurement:
 * results/bench/yield.csv (bench/bench_yield.c) reports both.
 *
 * A coroutine's entry function must never return; it switches away for the
 * last time instead.  Stacks are owned by the caller (see coro_stack_alloc).
 */
#ifndef NFRACE_CORO_H
#define NFRACE_CORO_H

#include <stddef.h>

#if !defined(__x86_64__) && !defined(NFRACE_CORO_UCONTEXT)
#define NFRACE_CORO_UCONTEXT 1
#endif

#ifdef NFRACE_CORO_UCONTEXT
#include <ucontext.h>
#endif

struct coro {
#ifdef NFRACE_CORO_UCONTEXT
	ucontext_t uc;
#else
	void *sp; /* saved stack pointer while switched out */
#endif
	void *stack;       /* NULL for the thread's own context */
	size_t stack_size;
	void *asan_fake;   /* sanitizer fiber bookkeeping */
};

/* coro_stack_alloc - a stack of at least size bytes with a guard page below
 * it; returns NULL on failure.  coro_stack_free releases it. */
void *coro_stack_alloc(size_t size);
void coro_stack_free(void *stack, size_t size);

/* coro_init - prepare c to run fn(arg) on stack at its first switch-in. */
void coro_init(struct coro *c, void *stack, size_t size, void (*fn)(void *), void *arg);

/* coro_frame_top - where the first frame of a coroutine on stack begins:
 * below the record coro_init leaves at the top, which is read only at the
 * first switch-in.  Assembly switch only (NULL with ucontext). */
void *coro_frame_top(void *stack, size_t size);

/* coro_stack_reused - the bytes of stack were overwritten by a copy (a
 * stepwise execution swapping stacks): forget the sanitizer's poisoning of
 * old frames there.  A no-op without AddressSanitizer. */
void coro_stack_reused(void *stack, size_t size);

/* coro_switch - save the current context into from and resume to. */
void coro_switch(struct coro *from, struct coro *to);

/* coro_mechanism - "asm-x86_64" or "ucontext". */
const char *coro_mechanism(void);

#endif /* NFRACE_CORO_H */
