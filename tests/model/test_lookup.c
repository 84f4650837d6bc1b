/*
 * test_lookup.c - the lookup that meets a killed entry, the counters of each
 * kernel era, and the hook an answer to a local socket is NATed at.
 *
 * __nf_conntrack_find_get: an entry whose last reference is gone is a miss
 * (atomic_inc_not_zero fails; the freed memory stays readable), and a dying
 * entry is a miss before 87e389b4c200 and a hit with a reference after it.
 * Statistics: up to v4.8 lookups count found and searched, init_conntrack
 * new, confirm insert, destroy delete (8e8118f89313 removed them).  A NEW
 * answer for a local socket meets the nat INPUT chain (HOOK2MANIP(LOCAL_IN)),
 * not POSTROUTING.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "confirm.h"
#include "harness.h"

static const struct nf_conntrack_tuple FLOW = {IP(10, 32, 0, 20), IP(8, 8, 8, 8), 40000, 53, PROTO_UDP};
static struct nf_ct_node FOUND;
static struct sk_buff SKB;
static bool ACCEPTED;

static void body_find_get(struct nf_cpu *c)
{
	FOUND = __nf_conntrack_find_get(c, &FLOW);
}

/* The walk read the chain while the entry was still hashed; its killer has
 * since unhashed it and dropped the last reference (use 0, freed).  Marking
 * it freed while its node stays in the chain stands for that chain read. */
static void test_find_get_raced_final_put_is_a_miss(void **state)
{
	(void)state;
	const char *presets[] = {"v4.5", "v5.0", "v5.6", "mainline"};
	for (int k = 0; k < 4; k++) {
		harness_setup(presets[k], true);
		struct nf_conntrack_tuple reply = harness_inverted(&FLOW);
		int32_t i = harness_confirmed(&FLOW, &reply, IPS_DYING);
		W.ct[i].use = 0;
		W.ct[i].freed = true;
		harness_run(body_find_get); /* no "use of a freed conntrack" */
		assert_int_equal(FOUND.ct, -1);
		assert_int_equal(W.ct[i].use, 0);
	}
}

/* A killed entry an skb still holds: hashed or not, DYING is set and use > 0. */
static void test_find_get_dying_entry_by_version(void **state)
{
	(void)state;
	struct nf_conntrack_tuple reply = harness_inverted(&FLOW);
	harness_setup("v5.0", true);
	int32_t i = harness_confirmed(&FLOW, &reply, IPS_DYING);
	W.ct[i].use = 2;
	harness_run(body_find_get);
	assert_int_equal(FOUND.ct, -1); /* nf_ct_is_dying(ct): a miss */
	assert_int_equal(W.ct[i].use, 2);
	harness_setup("v5.6", true); /* 87e389b4c200: no dying test any more */
	i = harness_confirmed(&FLOW, &reply, IPS_DYING);
	W.ct[i].use = 2;
	harness_run(body_find_get);
	assert_int_equal(FOUND.ct, i);
	assert_int_equal(FOUND.dir, IP_CT_DIR_ORIGINAL);
	assert_int_equal(W.ct[i].use, 3);
}

static void body_track_and_confirm(struct nf_cpu *c)
{
	nf_conntrack_in(c, &SKB, HOOK_PREROUTING);
	c->skb_ct = SKB.ct;
	nf_conntrack_confirm(c, &SKB);
	nf_ct_put(c, SKB.ct); /* the skb goes */
	SKB.ct = c->skb_ct = -1;
	nf_conntrack_in(c, &SKB, HOOK_PREROUTING); /* a second packet finds it */
}

static uint32_t stat(enum nf_ct_stat s)
{
	return nf_cpu_stat_sum(&CPU, 1, s);
}

/* One flow: its first packet walks past another flow's node and misses, is
 * created and confirmed; the second packet finds it (its node, the newest,
 * heads the chain). */
static void test_hotpath_stats_until_v4_9(void **state)
{
	(void)state;
	const char *presets[] = {"v4.5", "v4.9", "mainline"};
	for (int k = 0; k < 3; k++) {
		harness_setup(presets[k], false);
		struct nf_conntrack_tuple other = FLOW, other_reply;
		other.src_port = 40001;
		other_reply = harness_inverted(&other);
		int32_t o = harness_confirmed(&other, &other_reply, 0);
		/* put the other flow's node in our bucket so the walk passes it */
		W.ct[o].hnode_bucket[0] = (int32_t)scale_hash(hash_conntrack_raw(&FLOW));
		W.ct[o].orig_hash = hash_conntrack_raw(&FLOW);
		SKB = (struct sk_buff){FLOW, -1, IP_CT_NEW, false};
		harness_run(body_track_and_confirm);
		bool old = k == 0;
		assert_int_equal(stat(STAT_NEW), old ? 1 : 0);
		assert_int_equal(stat(STAT_INSERT), old ? 1 : 0);
		assert_int_equal(stat(STAT_FOUND), old ? 1 : 0);    /* the second packet's hit */
		assert_int_equal(stat(STAT_SEARCHED), old ? 1 : 0); /* the other node, by the first walk */
		assert_int_equal(nf_ct_stat_in_kernel(W.fixes, STAT_SEARCHED), old);
		assert_int_equal(nf_ct_stat_in_kernel(W.fixes, STAT_DELETE_LIST), old);
		assert_true(nf_ct_stat_in_kernel(W.fixes, STAT_INSERT));
		assert_int_equal(nf_ct_stat_in_kernel(W.fixes, STAT_IGNORE), k < 2);
		assert_int_equal(nf_ct_stat_in_kernel(W.fixes, STAT_CLASH_RESOLVE), k == 2);
	}
}

static void body_answer(struct nf_cpu *c)
{
	ACCEPTED = nf_reply_exchange(c, &SC.packets[0], &SKB);
}

/* The answer to a query whose conntrack is gone (a lookup miss makes it
 * NEW), under a nat table whose only rule is hook's SNAT of every UDP
 * packet to 10.9.9.9; true if the client accepts it. */
static bool new_answer_accepted(enum nf_hook client_hook, enum nf_hook rule_hook)
{
	harness_setup("mainline", true);
	SC.packets[0].hook = client_hook;
	harness_add_rule(&(struct scenario_rule){.hook = rule_hook, .match = {.proto = PROTO_UDP}, .action = ACTION_SNAT,
						 .to_ip = IP(10, 9, 9, 9)});
	SKB = (struct sk_buff){FLOW, -1, IP_CT_NEW, false};
	harness_run(body_answer);
	return ACCEPTED;
}

static void test_new_answer_to_local_socket_meets_input_chain(void **state)
{
	(void)state;
	assert_true(new_answer_accepted(HOOK_OUTPUT, HOOK_POSTROUTING));  /* not the POSTROUTING chain */
	assert_false(new_answer_accepted(HOOK_OUTPUT, HOOK_INPUT));       /* the INPUT chain */
	assert_false(new_answer_accepted(HOOK_PREROUTING, HOOK_POSTROUTING)); /* forwarded: POSTROUTING */
	assert_true(new_answer_accepted(HOOK_PREROUTING, HOOK_INPUT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_get_raced_final_put_is_a_miss),
		cmocka_unit_test(test_find_get_dying_entry_by_version),
		cmocka_unit_test(test_hotpath_stats_until_v4_9),
		cmocka_unit_test(test_new_answer_to_local_socket_meets_input_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
