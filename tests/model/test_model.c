/*
 * test_model.c - kernel functions of the model, one behaviour each, run on a
 * hand-built world by a single actor (every yield is then a forced step).
 *
 * get_unique_tuple: keeps a free port, remaps a taken one from the shared
 * rover, the same-origin skip of 4e35c1cb9460; nf_conntrack_tuple_taken does
 * not see unconfirmed entries; __nf_conntrack_confirm with clash resolution in
 * each version's form, with its counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "confirm.h"
#include "harness.h"
#include "nf_nat.h"

static const struct nf_conntrack_tuple POD_ORIG = {IP(10, 32, 0, 20), IP(8, 8, 8, 8), 40000, 53, PROTO_UDP};
static const struct nf_conntrack_tuple MASQ_REPLY = {IP(8, 8, 8, 8), IP(192, 168, 1, 10), 53, 40000, PROTO_UDP};
static const struct nf_nat_range2 MASQ_RANGE = {NF_NAT_RANGE_MAP_IPS, IP(192, 168, 1, 10), IP(192, 168, 1, 10), 0, 0};
/* The rule MASQ_RANGE stands for (a world without an SNAT or MASQUERADE rule
 * never walks nf_nat_bysource: world.bysource_walked). */
static const struct scenario_rule MASQ_RULE = {.hook = HOOK_POSTROUTING, .match = {.proto = PROTO_UDP},
					       .action = ACTION_MASQUERADE, .to_ip = IP(192, 168, 1, 10)};
static const struct nf_nat_range2 NULL_RANGE = {NF_NAT_RANGE_MAP_IPS, IP(10, 32, 0, 20), IP(10, 32, 0, 20), 0, 0};
static struct nf_nat_range2 RANGE;
static struct nf_conntrack_tuple RESULT;
static int32_t LOSER;
static enum nf_verdict VERDICT;
static struct sk_buff SKB;

static void body_unique_tuple(struct nf_cpu *c)
{
	get_unique_tuple(c, &RESULT, &POD_ORIG, &RANGE, LOSER, NF_NAT_MANIP_SRC);
}

static void body_tuple_taken(struct nf_cpu *c)
{
	VERDICT = nf_conntrack_tuple_taken(c, &MASQ_REPLY, LOSER) ? NF_DROP : NF_ACCEPT;
}

static void body_confirm(struct nf_cpu *c)
{
	VERDICT = nf_conntrack_confirm(c, &SKB);
}


static void test_get_unique_tuple_keeps_free_port(void **state)
{
	(void)state;
	harness_setup("v4.15", true);
	harness_add_rule(&MASQ_RULE);
	struct nf_conntrack_tuple reply = harness_inverted(&POD_ORIG);
	LOSER = harness_unconfirmed(&POD_ORIG, &reply, 0);
	RANGE = MASQ_RANGE;
	harness_run(body_unique_tuple);
	assert_int_equal(RESULT.src_ip, IP(192, 168, 1, 10));
	assert_int_equal(RESULT.src_port, 40000);
	assert_int_equal(nf_cpu_stat_sum(&CPU, 1, STAT_FOUND), 0);
}

static void test_get_unique_tuple_remaps_taken_port_from_rover(void **state)
{
	(void)state;
	harness_setup("v4.15", true);
	harness_add_rule(&MASQ_RULE);
	struct nf_conntrack_tuple other = POD_ORIG;
	other.src_ip = IP(10, 32, 0, 21); /* another pod, already MASQUERADEd to :40000 */
	harness_confirmed(&other, &MASQ_REPLY, IPS_SRC_NAT | IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE);
	struct nf_conntrack_tuple reply = harness_inverted(&POD_ORIG);
	LOSER = harness_unconfirmed(&POD_ORIG, &reply, 0);
	RANGE = MASQ_RANGE;
	harness_run(body_unique_tuple);
	assert_int_equal(RESULT.src_ip, IP(192, 168, 1, 10));
	assert_int_equal(RESULT.src_port, 1024); /* 1024 + the rover's 0 */
	assert_int_equal(nf_cpu_stat_sum(&CPU, 1, STAT_FOUND), 1);
}

static void test_get_unique_tuple_same_origin_skip(void **state)
{
	(void)state;
	const char *presets[] = {"v4.19", "bionic-sru", "v5.0"};
	const uint16_t expect_port[] = {1024, 40000, 40000};
	for (int k = 0; k < 3; k++) {
		harness_setup(presets[k], true);
		struct nf_conntrack_tuple reply = harness_inverted(&POD_ORIG);
		harness_confirmed(&POD_ORIG, &reply, IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE); /* same flow, other CPU */
		LOSER = harness_unconfirmed(&POD_ORIG, &reply, IPS_DST_NAT_DONE);
		RANGE = NULL_RANGE;
		harness_run(body_unique_tuple);
		assert_int_equal(RESULT.src_port, expect_port[k]);
	}
}

static void test_nf_conntrack_tuple_taken_ignores_unconfirmed(void **state)
{
	(void)state;
	harness_setup("mainline", true);
	struct nf_conntrack_tuple other = POD_ORIG;
	other.src_ip = IP(10, 32, 0, 21);
	harness_unconfirmed(&other, &MASQ_REPLY, IPS_SRC_NAT); /* not in the hash: invisible */
	LOSER = harness_unconfirmed(&POD_ORIG, &MASQ_REPLY, 0);
	harness_run(body_tuple_taken);
	assert_int_equal(VERDICT, NF_ACCEPT);
	harness_confirmed(&other, &MASQ_REPLY, IPS_SRC_NAT);
	harness_run(body_tuple_taken);
	assert_int_equal(VERDICT, NF_DROP);
}

/* Winner confirmed on the other CPU; the skb's conntrack loses at confirm. */
static void clash_setup(const char *preset, bool nat, const struct nf_conntrack_tuple *loser_reply, uint8_t proto)
{
	struct nf_conntrack_tuple orig = POD_ORIG, reply = harness_inverted(&POD_ORIG);
	orig.protonum = reply.protonum = proto;
	struct nf_conntrack_tuple lreply = loser_reply ? *loser_reply : reply;
	lreply.protonum = proto;
	uint32_t done = nat ? IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE : 0;
	harness_setup(preset, nat);
	harness_confirmed(&orig, &reply, done);
	LOSER = harness_unconfirmed(&orig, &lreply, done | (loser_reply ? IPS_DST_NAT : 0));
	SKB = (struct sk_buff){orig, LOSER, IP_CT_NEW, false};
	CPU.skb_ct = LOSER;
}

static void assert_counters(uint32_t insert_failed, uint32_t drop, uint32_t clash_resolve)
{
	assert_int_equal(nf_cpu_stat_sum(&CPU, 1, STAT_INSERT_FAILED), insert_failed);
	assert_int_equal(nf_cpu_stat_sum(&CPU, 1, STAT_DROP), drop);
	assert_int_equal(nf_cpu_stat_sum(&CPU, 1, STAT_CLASH_RESOLVE), clash_resolve);
}

static void test_nf_ct_resolve_clash_none_before_71d8c47(void **state)
{
	(void)state;
	clash_setup("v4.5", false, NULL, PROTO_UDP);
	harness_run(body_confirm);
	assert_int_equal(VERDICT, NF_DROP);
	assert_counters(1, 0, 0);
}

static void test_nf_ct_resolve_clash_merges_without_nat(void **state)
{
	(void)state;
	clash_setup("v4.15", false, NULL, PROTO_UDP);
	harness_run(body_confirm);
	assert_int_equal(VERDICT, NF_ACCEPT);
	assert_int_equal(SKB.ct, 0); /* re-pointed at the winner */
	assert_true(W.ct[LOSER].freed);
	assert_counters(1, 0, 0);
}

static void test_nf_ct_resolve_clash_nat_done_blocks_v4_15(void **state)
{
	(void)state;
	clash_setup("v4.15", true, NULL, PROTO_UDP);
	harness_run(body_confirm);
	assert_int_equal(VERDICT, NF_DROP);
	assert_counters(1, 1, 0);
}

static void test_nf_ct_resolve_clash_ct_match_v4_19(void **state)
{
	(void)state;
	clash_setup("v4.19", true, NULL, PROTO_UDP);
	harness_run(body_confirm);
	assert_int_equal(VERDICT, NF_ACCEPT);
	assert_counters(1, 0, 0);
}

static void test_nf_ct_resolve_clash_counts_clash_resolve_v5_10(void **state)
{
	(void)state;
	clash_setup("v5.10", true, NULL, PROTO_UDP);
	harness_run(body_confirm);
	assert_int_equal(VERDICT, NF_ACCEPT);
	assert_counters(0, 0, 1);
}

static void test_nf_ct_resolve_clash_other_backend(void **state)
{
	(void)state;
	/* the loser was DNATed to another endpoint: only its REPLY tuple differs */
	struct nf_conntrack_tuple other_backend = harness_inverted(&POD_ORIG);
	other_backend.src_ip = IP(10, 32, 0, 7);
	clash_setup("v5.0", true, &other_backend, PROTO_UDP);
	harness_run(body_confirm);
	assert_int_equal(VERDICT, NF_DROP);
	assert_counters(1, 1, 0);
	clash_setup("v5.6", true, &other_backend, PROTO_UDP);
	harness_run(body_confirm);
	assert_int_equal(VERDICT, NF_ACCEPT);
	assert_true(W.ct[LOSER].status & IPS_NAT_CLASH);
	assert_int_equal(W.ct[LOSER].hnode_bucket[IP_CT_DIR_ORIGINAL], HNODE_FAKE);
	assert_true(W.ct[LOSER].hnode_bucket[IP_CT_DIR_REPLY] >= 0);
	assert_counters(0, 0, 0); /* v5.6-v5.9: a NAT_CLASH insert counts nothing */
	clash_setup("v5.10", true, &other_backend, PROTO_UDP);
	harness_run(body_confirm);
	assert_counters(0, 0, 1);
}

static void test_nf_ct_resolve_clash_tcp_never_merges(void **state)
{
	(void)state;
	clash_setup("mainline", true, NULL, PROTO_TCP);
	harness_run(body_confirm);
	assert_int_equal(VERDICT, NF_DROP);
	assert_counters(1, 1, 0);
}

/* Two conntracks on one nf_nat_bysource chain, inserted in either order:
 * world_pack writes the order only in a world where find_appropriate_src
 * can walk the chain (an SNAT or MASQUERADE rule), and unpacking and
 * packing again gives the same bytes. */
static size_t pack_bysource_pair(bool masquerade, bool reversed, unsigned char *buf, size_t cap)
{
	harness_setup("v5.10", true);
	if (masquerade)
		harness_add_rule(&MASQ_RULE);
	struct nf_conntrack_tuple other = POD_ORIG;
	other.src_port = 40001;
	struct nf_conntrack_tuple r1 = harness_inverted(&POD_ORIG), r2 = harness_inverted(&other);
	int32_t a = harness_unconfirmed(&POD_ORIG, &r1, IPS_SRC_NAT_DONE);
	int32_t b = harness_unconfirmed(&other, &r2, IPS_SRC_NAT_DONE);
	W.ct[a].bysource_linked = W.ct[b].bysource_linked = true;
	W.ct[a].bysource_hash = W.ct[b].bysource_hash = 7;
	W.ct[a].bysource_seq = reversed ? 2 : 1;
	W.ct[b].bysource_seq = reversed ? 1 : 2;
	W.bysource_seq_next = 2;
	assert_int_equal(W.bysource_walked, masquerade);
	size_t n = world_pack(&W, buf, cap);
	assert_true(n <= cap);
	unsigned char again[4096];
	world_unpack(&W, buf, n);
	assert_int_equal(world_pack(&W, again, sizeof(again)), n);
	assert_memory_equal(again, buf, n);
	return n;
}

static void test_world_pack_bysource_order_only_where_walked(void **state)
{
	(void)state;
	unsigned char x[4096], y[4096];
	for (int masq = 0; masq < 2; masq++) {
		size_t nx = pack_bysource_pair(masq, false, x, sizeof(x));
		size_t ny = pack_bysource_pair(masq, true, y, sizeof(y));
		assert_int_equal(nx, ny);
		assert_int_equal(memcmp(x, y, nx) == 0, !masq);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_unique_tuple_keeps_free_port),
		cmocka_unit_test(test_get_unique_tuple_remaps_taken_port_from_rover),
		cmocka_unit_test(test_get_unique_tuple_same_origin_skip),
		cmocka_unit_test(test_nf_conntrack_tuple_taken_ignores_unconfirmed),
		cmocka_unit_test(test_nf_ct_resolve_clash_none_before_71d8c47),
		cmocka_unit_test(test_nf_ct_resolve_clash_merges_without_nat),
		cmocka_unit_test(test_nf_ct_resolve_clash_nat_done_blocks_v4_15),
		cmocka_unit_test(test_nf_ct_resolve_clash_ct_match_v4_19),
		cmocka_unit_test(test_nf_ct_resolve_clash_counts_clash_resolve_v5_10),
		cmocka_unit_test(test_nf_ct_resolve_clash_other_backend),
		cmocka_unit_test(test_nf_ct_resolve_clash_tcp_never_merges),
		cmocka_unit_test(test_world_pack_bysource_order_only_where_walked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
