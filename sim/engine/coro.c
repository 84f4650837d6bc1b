/*
 * coro.c - context switching for struct coro (see coro.h).
 *
 * The x86-64 switch saves rbp, rbx, r12-r15 on the old stack, stores rsp in
 * from->sp, loads to->sp and pops the same registers.  A fresh stack is laid
 * out so that the first switch "returns" into coro_trampoline with fn in r12
 * and arg in r13, and rsp 16-byte aligned as the SysV ABI requires at a call.
 * Under AddressSanitizer each switch is announced with the fiber hooks so that
 * stack poisoning follows the switch.
 */
#include "coro.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif

#ifdef CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* A reused stack may hold the redzones of frames that never returned (an
 * execution abandoned mid-way, a finished actor's entry frame): clear them
 * before the stack carries a new coroutine. */
static void stack_unpoison(void *stack, size_t size)
{
#ifdef CORO_ASAN
	__asan_unpoison_memory_region(stack, size);
#else
	(void)stack;
	(void)size;
#endif
}

/* Under valgrind, announce each coroutine stack so that memcheck follows the
 * switches instead of warning about them (a no-op when not under valgrind). */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define CORO_VALGRIND 1
#endif
#endif

static size_t page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);
	assert(p > 0);
	return (size_t)p;
}

void *coro_stack_alloc(size_t size)
{
	size_t page = page_size();
	size_t total = ((size + page - 1) / page) * page + page;
	unsigned char *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	if (mprotect(base, page, PROT_NONE) != 0) {
		munmap(base, total);
		return NULL;
	}
#ifdef CORO_VALGRIND
	VALGRIND_STACK_REGISTER(base + page, base + total);
#endif
	return base + page;
}

void coro_stack_free(void *stack, size_t size)
{
	size_t page = page_size();
	size_t total = ((size + page - 1) / page) * page + page;
	if (stack)
		munmap((unsigned char *)stack - page, total);
}

#ifdef CORO_ASAN
/* The thread's own stack, learnt at the first switch into a coroutine. */
static __thread const void *main_stack_bottom;
static __thread size_t main_stack_size;
#endif

static void asan_before(struct coro *from, struct coro *to)
{
#ifdef CORO_ASAN
	if (to->stack)
		__sanitizer_start_switch_fiber(&from->asan_fake, to->stack, to->stack_size);
	else
		__sanitizer_start_switch_fiber(&from->asan_fake, main_stack_bottom, main_stack_size);
#else
	(void)from;
	(void)to;
#endif
}

static void asan_after(struct coro *self)
{
#ifdef CORO_ASAN
	const void *bottom_old = NULL;
	size_t size_old = 0;
	__sanitizer_finish_switch_fiber(self->asan_fake, &bottom_old, &size_old);
	if (self->stack && !main_stack_bottom) {
		main_stack_bottom = bottom_old;
		main_stack_size = size_old;
	}
#else
	(void)self;
#endif
}

void coro_stack_reused(void *stack, size_t size)
{
	stack_unpoison(stack, size);
}

#ifdef NFRACE_CORO_UCONTEXT

void *coro_frame_top(void *stack, size_t size)
{
	(void)stack;
	(void)size;
	return NULL;
}

struct entry_args {
	void (*fn)(void *);
	void *arg;
};

static void uc_entry(unsigned hi_fn, unsigned lo_fn, unsigned hi_arg, unsigned lo_arg)
{
	uintptr_t f = ((uintptr_t)hi_fn << 32) | lo_fn;
	uintptr_t a = ((uintptr_t)hi_arg << 32) | lo_arg;
	void (*fn)(void *);
	*(void **)&fn = (void *)f;
	fn((void *)a);
	abort(); /* unreachable: coroutine entries never return */
}

void coro_init(struct coro *c, void *stack, size_t size, void (*fn)(void *), void *arg)
{
	uintptr_t f = (uintptr_t) * (void **)&fn;
	uintptr_t a = (uintptr_t)arg;
	stack_unpoison(stack, size);
	c->stack = stack;
	c->stack_size = size;
	c->asan_fake = NULL;
	getcontext(&c->uc);
	c->uc.uc_stack.ss_sp = stack;
	c->uc.uc_stack.ss_size = size;
	c->uc.uc_link = NULL;
	makecontext(&c->uc, (void (*)(void))uc_entry, 4, (unsigned)(f >> 32), (unsigned)f,
		    (unsigned)(a >> 32), (unsigned)a);
}

void coro_switch(struct coro *from, struct coro *to)
{
	asan_before(from, to);
	swapcontext(&from->uc, &to->uc);
	asan_after(from);
}

const char *coro_mechanism(void)
{
	return "ucontext";
}

#else /* x86-64 assembly switch */

void coro_switch_raw(void **save_sp, void *new_sp);
void coro_trampoline(void);

__asm__(".text\n"
	".globl coro_switch_raw\n"
	".type coro_switch_raw,@function\n"
	"coro_switch_raw:\n"
	"  pushq %rbp\n"
	"  pushq %rbx\n"
	"  pushq %r12\n"
	"  pushq %r13\n"
	"  pushq %r14\n"
	"  pushq %r15\n"
	"  movq %rsp, (%rdi)\n"
	"  movq %rsi, %rsp\n"
	"  popq %r15\n"
	"  popq %r14\n"
	"  popq %r13\n"
	"  popq %r12\n"
	"  popq %rbx\n"
	"  popq %rbp\n"
	"  ret\n"
	".size coro_switch_raw, .-coro_switch_raw\n"
	".globl coro_trampoline\n"
	".type coro_trampoline,@function\n"
	"coro_trampoline:\n"
	"  movq %r13, %rdi\n"
	"  callq *%r12\n"
	"  ud2\n"
	".size coro_trampoline, .-coro_trampoline\n");

static void coro_first_entry(void *c_void);

struct first_entry {
	void (*fn)(void *);
	void *arg;
	struct coro *self;
};

void *coro_frame_top(void *stack, size_t size)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	return (void *)(top - ((sizeof(struct first_entry) + 15) & ~(size_t)15));
}

void coro_init(struct coro *c, void *stack, size_t size, void (*fn)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	void **sp;
	struct first_entry *fe;
	assert(size >= 4096);
	stack_unpoison(stack, size);
	/* A small record at the top of the stack carries fn/arg to the first entry. */
	top -= (sizeof(struct first_entry) + 15) & ~(size_t)15;
	fe = (struct first_entry *)top;
	fe->fn = fn;
	fe->arg = arg;
	fe->self = c;
	sp = (void **)(top - 72); /* 8 mod 16: after 6 pops and ret, rsp is aligned */
	sp[0] = NULL;                        /* r15 */
	sp[1] = NULL;                        /* r14 */
	sp[2] = fe;                          /* r13: argument */
	sp[3] = *(void **)&(void (*)(void *)){coro_first_entry}; /* r12: function */
	sp[4] = NULL;                        /* rbx */
	sp[5] = NULL;                        /* rbp */
	sp[6] = *(void **)&(void (*)(void)){coro_trampoline}; /* return address */
	c->sp = sp;
	c->stack = stack;
	c->stack_size = size;
	c->asan_fake = NULL;
}

static void coro_first_entry(void *fe_void)
{
	struct first_entry *fe = fe_void;
	asan_after(fe->self);
	fe->fn(fe->arg);
	abort(); /* unreachable: coroutine entries never return */
}

void coro_switch(struct coro *from, struct coro *to)
{
	asan_before(from, to);
	coro_switch_raw(&from->sp, to->sp);
	asan_after(from);
}

const char *coro_mechanism(void)
{
	return "asm-x86_64";
}

#endif
