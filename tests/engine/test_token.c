/*
 * test_token.c - schedule tokens round-trip, carry and check the program
 * hash, and reject malformed or foreign text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "token.h"

static void test_token_round_trip(void **state)
{
	(void)state;
	const uint32_t dec[] = {0, 1, 35, 36, 40000, 7};
	char buf[128];
	uint32_t out[16];
	size_t n;
	size_t len = sim_token_encode(0x1234abcdull, dec, 6, buf, sizeof(buf));
	assert_string_equal(buf, "nfr1-000000001234abcd-01z_36__40000_7");
	assert_int_equal(len, strlen(buf));
	assert_int_equal(sim_token_decode(buf, 0x1234abcdull, out, 16, &n), SIM_TOKEN_OK);
	assert_int_equal(n, 6);
	assert_memory_equal(out, dec, sizeof(dec));
}

static void test_token_empty_decisions(void **state)
{
	(void)state;
	char buf[64];
	uint32_t out[4];
	size_t n = 9;
	sim_token_encode(1, NULL, 0, buf, sizeof(buf));
	assert_int_equal(sim_token_decode(buf, 1, out, 4, &n), SIM_TOKEN_OK);
	assert_int_equal(n, 0);
}

static void test_token_stale_hash_refused(void **state)
{
	(void)state;
	char buf[64];
	uint32_t out[4];
	size_t n;
	const uint32_t dec[] = {1, 0};
	sim_token_encode(5, dec, 2, buf, sizeof(buf));
	assert_int_equal(sim_token_decode(buf, 6, out, 4, &n), SIM_TOKEN_STALE);
}

static void test_token_malformed(void **state)
{
	(void)state;
	uint32_t out[4];
	size_t n;
	assert_int_equal(sim_token_decode("hello", 0, out, 4, &n), SIM_TOKEN_MALFORMED);
	assert_int_equal(sim_token_decode("nfr2-0000000000000000-", 0, out, 4, &n), SIM_TOKEN_VERSION);
	assert_int_equal(sim_token_decode("nfr1-000000000000000-1", 0, out, 4, &n), SIM_TOKEN_MALFORMED);
	assert_int_equal(sim_token_decode("nfr1-0000000000000000-1A", 0, out, 4, &n), SIM_TOKEN_MALFORMED);
	assert_int_equal(sim_token_decode("nfr1-0000000000000000-_12", 0, out, 4, &n), SIM_TOKEN_MALFORMED);
	assert_int_equal(sim_token_decode("nfr1-0000000000000000-12345", 0, out, 4, &n), SIM_TOKEN_MALFORMED);
	assert_int_equal(sim_token_decode("nfr1-0000000000000000-_99999999999_", 0, out, 4, &n),
			 SIM_TOKEN_MALFORMED);
}

static void test_token_truncated_output_terminated(void **state)
{
	(void)state;
	char buf[10];
	const uint32_t dec[] = {1, 2, 3};
	size_t need = sim_token_encode(7, dec, 3, buf, sizeof(buf));
	assert_int_equal(need, 5 + 17 + 3);
	assert_int_equal(strlen(buf), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_round_trip),
		cmocka_unit_test(test_token_empty_decisions),
		cmocka_unit_test(test_token_stale_hash_refused),
		cmocka_unit_test(test_token_malformed),
		cmocka_unit_test(test_token_truncated_output_terminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
