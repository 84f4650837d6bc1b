/*
 * test_prng.c - golden sequences for splitmix64 and xoshiro256**, computed
 * independently from the published definitions; bounded draws; forks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "prng.h"

static void test_splitmix64_golden(void **state)
{
	(void)state;
	uint64_t st = 0;
	assert_int_equal(sim_splitmix64(&st), 0xe220a8397b1dcdafull);
	assert_int_equal(sim_splitmix64(&st), 0x6e789e6aa1b965f4ull);
	assert_int_equal(sim_splitmix64(&st), 0x06c45d188009454full);
}

static void test_prng_next_golden(void **state)
{
	(void)state;
	struct sim_prng p;
	sim_prng_seed(&p, 0);
	assert_int_equal(sim_prng_next(&p), 0x99ec5f36cb75f2b4ull);
	assert_int_equal(sim_prng_next(&p), 0xbf6e1f784956452aull);
	assert_int_equal(sim_prng_next(&p), 0x1a5f849d4933e6e0ull);
	assert_int_equal(sim_prng_next(&p), 0x6aa594f1262d2d2cull);
	sim_prng_seed(&p, 12345);
	assert_int_equal(sim_prng_next(&p), 0xbe6a36374160d49bull);
	assert_int_equal(sim_prng_next(&p), 0x214aaa0637a688c6ull);
}

static void test_prng_below_in_range_and_covers(void **state)
{
	(void)state;
	struct sim_prng p;
	uint32_t seen = 0;
	sim_prng_seed(&p, 7);
	for (int i = 0; i < 1000; i++) {
		uint64_t v = sim_prng_below(&p, 5);
		assert_true(v < 5);
		seen |= 1u << v;
	}
	assert_int_equal(seen, 0x1f);
	assert_int_equal(sim_prng_below(&p, 1), 0);
}

static void test_prng_fork_independent_and_stable(void **state)
{
	(void)state;
	struct sim_prng p, a, b, c;
	sim_prng_seed(&p, 99);
	sim_prng_fork(&p, 1, &a);
	sim_prng_fork(&p, 2, &b);
	sim_prng_fork(&p, 1, &c);
	uint64_t va = sim_prng_next(&a);
	assert_int_not_equal(va, sim_prng_next(&b));
	assert_int_equal(va, sim_prng_next(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splitmix64_golden),
		cmocka_unit_test(test_prng_next_golden),
		cmocka_unit_test(test_prng_below_in_range_and_covers),
		cmocka_unit_test(test_prng_fork_independent_and_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
