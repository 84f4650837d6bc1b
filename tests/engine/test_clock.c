/*
 * test_clock.c - the event queue orders by time, then by insertion sequence;
 * refuses the past and overflow; advances virtual time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"
#include "prng.h"

static void test_clock_orders_by_time(void **state)
{
	(void)state;
	struct sim_event st[8];
	struct sim_clock c;
	struct sim_event e;
	sim_clock_init(&c, st, 8);
	assert_true(sim_clock_schedule(&c, 300, 3, 0));
	assert_true(sim_clock_schedule(&c, 100, 1, 0));
	assert_true(sim_clock_schedule(&c, 200, 2, 0));
	for (uint32_t k = 1; k <= 3; k++) {
		assert_true(sim_clock_next(&c, &e));
		assert_int_equal(e.kind, k);
		assert_int_equal(c.now_ns, k * 100);
	}
	assert_false(sim_clock_next(&c, &e));
}

static void test_clock_ties_keep_insertion_order(void **state)
{
	(void)state;
	struct sim_event st[64];
	struct sim_clock c;
	struct sim_event e;
	sim_clock_init(&c, st, 64);
	for (uint32_t k = 0; k < 50; k++)
		assert_true(sim_clock_schedule(&c, 1000 + (k % 3) * 10, k, k));
	sim_time_ns last_t = 0;
	uint64_t last_seq = 0;
	for (uint32_t k = 0; k < 50; k++) {
		assert_true(sim_clock_next(&c, &e));
		if (k > 0 && e.time_ns == last_t)
			assert_true(e.seq > last_seq);
		assert_true(e.time_ns >= last_t);
		last_t = e.time_ns;
		last_seq = e.seq;
	}
}

static void test_clock_refuses_past_and_full(void **state)
{
	(void)state;
	struct sim_event st[2];
	struct sim_clock c;
	struct sim_event e;
	sim_clock_init(&c, st, 2);
	assert_true(sim_clock_schedule(&c, 50, 0, 0));
	assert_true(sim_clock_schedule(&c, 60, 0, 0));
	assert_false(sim_clock_schedule(&c, 70, 0, 0));
	assert_true(sim_clock_next(&c, &e));
	assert_false(sim_clock_schedule(&c, 10, 0, 0));
	assert_int_equal(sim_clock_pending(&c), 1);
}

static void test_clock_random_heap_sorted(void **state)
{
	(void)state;
	static struct sim_event st[1000];
	struct sim_clock c;
	struct sim_prng p;
	struct sim_event e, prev = {0, 0, 0, 0};
	sim_clock_init(&c, st, 1000);
	sim_prng_seed(&p, 3);
	for (int i = 0; i < 1000; i++)
		assert_true(sim_clock_schedule(&c, sim_prng_below(&p, 50), 0, 0));
	for (int i = 0; i < 1000; i++) {
		assert_true(sim_clock_next(&c, &e));
		assert_true(e.time_ns > prev.time_ns || (e.time_ns == prev.time_ns && (i == 0 || e.seq > prev.seq)));
		prev = e;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_orders_by_time),
		cmocka_unit_test(test_clock_ties_keep_insertion_order),
		cmocka_unit_test(test_clock_refuses_past_and_full),
		cmocka_unit_test(test_clock_random_heap_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
