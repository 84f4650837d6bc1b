/*
 * test_fixes.c - the fix table made from model/fixes.def and the program hash
 * that schedule tokens carry.
 *
 * Every flag is found by its short name and by its commit id prefix; no preset
 * carries an unmerged patch; nf_model_hash changes with what a decision
 * sequence does (packets, fix set) and not with the scenario's description,
 * default preset or expect: entries, so editing those keeps tokens valid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model.h"

static void test_nf_fix_lookup_every_flag_by_name_and_commit(void **state)
{
	(void)state;
	const struct nf_fix_info *t = nf_fix_table();
	for (int i = 0; i < FIX_COUNT; i++) {
		assert_int_equal(t[i].id, i);
		assert_ptr_equal(nf_fix_lookup(t[i].name), &t[i]);
		if (nf_fix_merged(&t[i]))
			assert_ptr_equal(nf_fix_lookup(t[i].commit), &t[i]);
		assert_non_null(t[i].title);
		assert_non_null(t[i].effect);
	}
	assert_null(nf_fix_lookup("no-such-fix"));
	assert_null(nf_fix_lookup("unmerged"));
}

static void test_nf_preset_carries_no_unmerged_patch(void **state)
{
	(void)state;
	size_t n;
	const struct nf_preset *p = nf_preset_table(&n);
	for (size_t i = 0; i < n; i++)
		for (int f = 0; f < FIX_COUNT; f++)
			if (nf_fixset_has(p[i].fixes, (enum nf_fix_id)f))
				assert_true(nf_fix_merged(&nf_fix_table()[f]));
}

static struct scenario base_scenario(void)
{
	struct scenario sc;
	memset(&sc, 0, sizeof(sc));
	strcpy(sc.name, "hash");
	strcpy(sc.description, "first description");
	strcpy(sc.kernel, "v4.15");
	sc.packet_count = 1;
	strcpy(sc.packets[0].name, "A");
	sc.packets[0].proto = PROTO_UDP;
	sc.packets[0].src = (struct scenario_endpoint){0x0a200014, 40000};
	sc.packets[0].dst = (struct scenario_endpoint){0x0a60000a, 53};
	sc.packets[0].after = -1;
	sc.expect_count = 1;
	strcpy(sc.expect[0].kernel, "v4.15");
	sc.expect[0].verdict = EXPECT_DROP;
	return sc;
}

static void test_nf_model_hash_ignores_description_preset_and_expect(void **state)
{
	(void)state;
	static struct scenario a, b;
	a = base_scenario();
	b = a;
	strcpy(b.description, "another description");
	strcpy(b.kernel, "v5.0");
	b.expect[0].verdict = EXPECT_OK;
	b.expect_count = 2;
	strcpy(b.expect[1].kernel, "v5.0");
	b.expect[1].verdict = EXPECT_OK;
	nf_fixset fixes = nf_preset_lookup("v4.15")->fixes;
	assert_true(nf_model_hash(&a, fixes, 0) == nf_model_hash(&b, fixes, 0));
}

static void test_nf_model_hash_follows_packets_and_fixes(void **state)
{
	(void)state;
	static struct scenario a, b;
	a = base_scenario();
	b = a;
	b.packets[0].src.port = 40001;
	nf_fixset fixes = nf_preset_lookup("v4.15")->fixes;
	assert_true(nf_model_hash(&a, fixes, 0) != nf_model_hash(&b, fixes, 0));
	assert_true(nf_model_hash(&a, fixes, 0) != nf_model_hash(&a, nf_preset_lookup("v5.0")->fixes, 0));
	assert_true(nf_model_hash(&a, fixes, 0) != nf_model_hash(&a, fixes, PLANT_LOCK_ORDER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nf_fix_lookup_every_flag_by_name_and_commit),
		cmocka_unit_test(test_nf_preset_carries_no_unmerged_patch),
		cmocka_unit_test(test_nf_model_hash_ignores_description_preset_and_expect),
		cmocka_unit_test(test_nf_model_hash_follows_packets_and_fixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
