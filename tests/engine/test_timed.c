/*
 * test_timed.c - the timed strategy on toy programs whose timelines can be
 * worked out by hand: steps run in order of their due times, sim_at floors,
 * a blocked actor starts after the step that released it, jitter is seeded,
 * and a timeline's decisions replay exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "exec.h"
#include "explore.h"

enum { LOG_MAX = 32 };

/* What each step saw: actor, label, virtual time. */
struct seen {
	int actor;
	const char *label;
	uint64_t now;
};
static struct seen LOG[LOG_MAX];
static uint32_t LOGN;
static uint64_t B_AT; /* sim_at floor for actor b */
static bool LOCKS;    /* the lock program instead of the plain one */

static void step(struct sim_exec *ex, const char *label)
{
	sim_yield(ex, SIM_WRITE, 1, label);
	if (LOGN < LOG_MAX)
		LOG[LOGN++] = (struct seen){sim_actor_index(ex), label, sim_now(ex)};
}

static void actor_a(struct sim_exec *ex, void *arg)
{
	(void)arg;
	if (LOCKS) {
		sim_lock(ex, 7, "lock");          /* due 10 */
		step(ex, "a:inside");             /* due 40 */
		sim_unlock(ex, 7, "unlock");      /* due 50 */
		return;
	}
	step(ex, "a:first");  /* cost 10 */
	step(ex, "a:second"); /* cost 10 */
}

static void actor_b(struct sim_exec *ex, void *arg)
{
	(void)arg;
	if (LOCKS) {
		sim_lock(ex, 7, "lock"); /* due 10 + 10 = 20 by cost, but a holds it until 50 */
		step(ex, "b:inside");    /* 30 after it got the lock */
		sim_unlock(ex, 7, "unlock");
		return;
	}
	sim_at(ex, B_AT);
	step(ex, "b:only"); /* cost 1 */
}

static void begin(void *ctx, struct sim_exec *ex)
{
	(void)ctx;
	LOGN = 0;
	sim_spawn(ex, "a", actor_a, NULL);
	sim_spawn(ex, "b", actor_b, NULL);
}

static uint64_t cost(void *ctx, const struct sim_access *a)
{
	(void)ctx;
	if (!strcmp(a->label, "b:only"))
		return 1;
	if (!strcmp(a->label, "lock"))
		return 10;
	if (!strcmp(a->label, "a:inside") || !strcmp(a->label, "b:inside"))
		return 30;
	return 10;
}

static struct sim_result run(uint32_t jitter, uint64_t seed, uint64_t executions)
{
	struct sim_program p = {1, NULL, begin, NULL, NULL, NULL, NULL, 0};
	struct sim_timing t = {cost, NULL, jitter};
	struct sim_bounds b = {.executions_max = executions};
	struct sim_result r;
	assert_int_equal(sim_timed(&p, &t, &b, seed, &r), 0);
	return r;
}

/* b's step costs 1 ns but may not run before 15: a (10), b (15), a (20). */
static void test_due_order_and_floor(void **state)
{
	(void)state;
	LOCKS = false;
	B_AT = 15;
	struct sim_result r = run(0, 1, 1);
	assert_int_equal(r.executions, 1);
	assert_false(r.complete);
	assert_int_equal(LOGN, 3);
	assert_string_equal(LOG[0].label, "a:first");
	assert_int_equal(LOG[0].now, 10);
	assert_string_equal(LOG[1].label, "b:only");
	assert_int_equal(LOG[1].now, 15);
	assert_string_equal(LOG[2].label, "a:second");
	assert_int_equal(LOG[2].now, 20);
}

/* Without the floor b runs first (due 1). */
static void test_without_floor(void **state)
{
	(void)state;
	LOCKS = false;
	B_AT = 0;
	run(0, 1, 1);
	assert_string_equal(LOG[0].label, "b:only");
	assert_int_equal(LOG[0].now, 1);
}

/* a takes the lock at 10 and releases it at 50; b's lock (due 20) waits
 * until then and its next step ends 30 later. */
static void test_blocked_actor_starts_after_release(void **state)
{
	(void)state;
	LOCKS = true;
	run(0, 1, 1);
	assert_int_equal(LOGN, 2);
	assert_string_equal(LOG[0].label, "a:inside");
	assert_int_equal(LOG[0].now, 40);
	assert_string_equal(LOG[1].label, "b:inside");
	assert_int_equal(LOG[1].now, 50 + 30);
}

/* With jitter the times move, reproducibly from the seed. */
static void test_jitter_is_seeded(void **state)
{
	(void)state;
	LOCKS = false;
	B_AT = 0;
	uint64_t a[3], b[3], c[3];
	run(50, 7, 1);
	for (int i = 0; i < 3; i++)
		a[i] = LOG[i].now;
	run(50, 7, 1);
	for (int i = 0; i < 3; i++)
		b[i] = LOG[i].now;
	run(50, 8, 1);
	for (int i = 0; i < 3; i++)
		c[i] = LOG[i].now;
	assert_memory_equal(a, b, sizeof(a));
	assert_true(memcmp(a, c, sizeof(a)) != 0);
	for (int i = 0; i < 3; i++)
		assert_true(a[i] <= 30); /* every cost at most 1.5 x 10 */
}

static uint32_t DEC[64];
static size_t NDEC;
static const char *LAST_LABELS[LOG_MAX];

static void keep_decisions(void *ctx, struct sim_exec *ex, enum sim_end end)
{
	(void)ctx;
	(void)end;
	const uint32_t *d = sim_decisions(ex, &NDEC);
	memcpy(DEC, d, NDEC * sizeof(*d));
	for (uint32_t i = 0; i < LOGN; i++)
		LAST_LABELS[i] = LOG[i].label;
}

/* A timeline is an ordinary execution: its decisions replay to the same steps. */
static void test_timeline_replays(void **state)
{
	(void)state;
	LOCKS = false;
	B_AT = 15;
	struct sim_program p = {1, NULL, begin, NULL, keep_decisions, NULL, NULL, 0};
	struct sim_timing t = {cost, NULL, 0};
	struct sim_bounds b = {.executions_max = 1};
	struct sim_result r;
	assert_int_equal(sim_timed(&p, &t, &b, 3, &r), 0);
	assert_true(NDEC > 0);
	p.end = NULL;
	assert_int_equal(sim_replay(&p, DEC, NDEC, 1000, NULL, NULL), SIM_END_DONE);
	assert_int_equal(LOGN, 3);
	for (uint32_t i = 0; i < LOGN; i++)
		assert_string_equal(LOG[i].label, LAST_LABELS[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_order_and_floor),
		cmocka_unit_test(test_without_floor),
		cmocka_unit_test(test_blocked_actor_starts_after_release),
		cmocka_unit_test(test_jitter_is_seeded),
		cmocka_unit_test(test_timeline_replays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
