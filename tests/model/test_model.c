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
#include "explore.h"
#include "model.h"
#include "nf_conntrack.h"
#include "nf_nat.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static struct scenario SC;
static struct world W;
static void (*BODY)(struct nf_cpu *c);
static struct nf_cpu CPU;

static void actor(struct sim_exec *ex, void *arg)
{
	(void)arg;
	CPU.ex = ex;
	BODY(&CPU);
}

static void begin(void *ctx, struct sim_exec *ex)
{
	(void)ctx;
	sim_spawn(ex, "cpu0", actor, NULL);
}

/* Run body once on W (data choices take their first value). */
static void run_body(void (*body)(struct nf_cpu *c))
{
	struct sim_program p = {1, NULL, begin, NULL, NULL, NULL, NULL};
	struct sim_result r;
	struct sim_bounds b = {.executions_max = 1};
	BODY = body;
	assert_int_equal(sim_explore(&p, SIM_EXPLORE_DFS, &b, false, &r), 0);
	assert_int_equal(r.executions, 1);
	assert_int_equal(r.failures, 0);
}

static void setup_world(const char *preset, bool nat_table)
{
	memset(&SC, 0, sizeof(SC));
	snprintf(SC.name, sizeof(SC.name), "unit");
	SC.nat_table = nat_table;
	SC.packet_count = 1;
	SC.packets[0].src = (struct scenario_endpoint){IP(10, 32, 0, 20), 40000};
	SC.packets[0].dst = (struct scenario_endpoint){IP(8, 8, 8, 8), 53};
	SC.packets[0].proto = PROTO_UDP;
	SC.packets[0].after = -1;
	world_init(&W, &SC, nf_preset_lookup(preset)->fixes, 0);
	nf_cpu_init(&CPU, &W, 0);
}

/* A confirmed, hashed conntrack with the given tuples and status bits. */
static int32_t add_confirmed(const struct nf_conntrack_tuple *orig, const struct nf_conntrack_tuple *reply,
			     uint32_t status)
{
	int32_t i = (int32_t)W.ct_alloc[0]++;
	struct nf_conn *ct = &W.ct[i];
	memset(ct, 0, sizeof(*ct));
	ct->allocated = true;
	ct->tuplehash[IP_CT_DIR_ORIGINAL] = *orig;
	ct->tuplehash[IP_CT_DIR_REPLY] = *reply;
	ct->orig_hash = hash_conntrack_raw(orig);
	ct->reply_hash = hash_conntrack_raw(reply);
	ct->status = status | IPS_CONFIRMED;
	ct->use = 1;
	ct->hnode_bucket[0] = (int32_t)scale_hash(ct->orig_hash);
	ct->hnode_bucket[1] = (int32_t)scale_hash(hash_conntrack_raw(reply));
	ct->hnode_seq[0] = ++W.hnode_seq_next;
	ct->hnode_seq[1] = ++W.hnode_seq_next;
	return i;
}

/* An unconfirmed conntrack owned by an skb (use 1, not hashed). */
static int32_t add_unconfirmed(const struct nf_conntrack_tuple *orig, const struct nf_conntrack_tuple *reply,
			       uint32_t status)
{
	int32_t i = add_confirmed(orig, reply, status);
	W.ct[i].status &= ~IPS_CONFIRMED;
	W.ct[i].hnode_bucket[0] = W.ct[i].hnode_bucket[1] = HNODE_UNHASHED;
	return i;
}

static const struct nf_conntrack_tuple POD_ORIG = {IP(10, 32, 0, 20), IP(8, 8, 8, 8), 40000, 53, PROTO_UDP};
static const struct nf_conntrack_tuple MASQ_REPLY = {IP(8, 8, 8, 8), IP(192, 168, 1, 10), 53, 40000, PROTO_UDP};
static const struct nf_nat_range2 MASQ_RANGE = {NF_NAT_RANGE_MAP_IPS, IP(192, 168, 1, 10), IP(192, 168, 1, 10), 0, 0};
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

static struct nf_conntrack_tuple inverted(const struct nf_conntrack_tuple *t)
{
	struct nf_conntrack_tuple r;
	nf_ct_invert_tuple(&r, t);
	return r;
}

static void test_get_unique_tuple_keeps_free_port(void **state)
{
	(void)state;
	setup_world("v4.15", true);
	struct nf_conntrack_tuple reply = inverted(&POD_ORIG);
	LOSER = add_unconfirmed(&POD_ORIG, &reply, 0);
	RANGE = MASQ_RANGE;
	run_body(body_unique_tuple);
	assert_int_equal(RESULT.src_ip, IP(192, 168, 1, 10));
	assert_int_equal(RESULT.src_port, 40000);
	assert_int_equal(nf_cpu_stat_sum(&CPU, 1, STAT_FOUND), 0);
}

static void test_get_unique_tuple_remaps_taken_port_from_rover(void **state)
{
	(void)state;
	setup_world("v4.15", true);
	struct nf_conntrack_tuple other = POD_ORIG;
	other.src_ip = IP(10, 32, 0, 21); /* another pod, already MASQUERADEd to :40000 */
	add_confirmed(&other, &MASQ_REPLY, IPS_SRC_NAT | IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE);
	struct nf_conntrack_tuple reply = inverted(&POD_ORIG);
	LOSER = add_unconfirmed(&POD_ORIG, &reply, 0);
	RANGE = MASQ_RANGE;
	run_body(body_unique_tuple);
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
		setup_world(presets[k], true);
		struct nf_conntrack_tuple reply = inverted(&POD_ORIG);
		add_confirmed(&POD_ORIG, &reply, IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE); /* same flow, other CPU */
		LOSER = add_unconfirmed(&POD_ORIG, &reply, IPS_DST_NAT_DONE);
		RANGE = NULL_RANGE;
		run_body(body_unique_tuple);
		assert_int_equal(RESULT.src_port, expect_port[k]);
	}
}

static void test_nf_conntrack_tuple_taken_ignores_unconfirmed(void **state)
{
	(void)state;
	setup_world("mainline", true);
	struct nf_conntrack_tuple other = POD_ORIG;
	other.src_ip = IP(10, 32, 0, 21);
	add_unconfirmed(&other, &MASQ_REPLY, IPS_SRC_NAT); /* not in the hash: invisible */
	LOSER = add_unconfirmed(&POD_ORIG, &MASQ_REPLY, 0);
	run_body(body_tuple_taken);
	assert_int_equal(VERDICT, NF_ACCEPT);
	add_confirmed(&other, &MASQ_REPLY, IPS_SRC_NAT);
	run_body(body_tuple_taken);
	assert_int_equal(VERDICT, NF_DROP);
}

/* Winner confirmed on the other CPU; the skb's conntrack loses at confirm. */
static void clash_setup(const char *preset, bool nat, const struct nf_conntrack_tuple *loser_reply, uint8_t proto)
{
	struct nf_conntrack_tuple orig = POD_ORIG, reply = inverted(&POD_ORIG);
	orig.protonum = reply.protonum = proto;
	struct nf_conntrack_tuple lreply = loser_reply ? *loser_reply : reply;
	lreply.protonum = proto;
	uint32_t done = nat ? IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE : 0;
	setup_world(preset, nat);
	add_confirmed(&orig, &reply, done);
	LOSER = add_unconfirmed(&orig, &lreply, done | (loser_reply ? IPS_DST_NAT : 0));
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
	run_body(body_confirm);
	assert_int_equal(VERDICT, NF_DROP);
	assert_counters(1, 0, 0);
}

static void test_nf_ct_resolve_clash_merges_without_nat(void **state)
{
	(void)state;
	clash_setup("v4.15", false, NULL, PROTO_UDP);
	run_body(body_confirm);
	assert_int_equal(VERDICT, NF_ACCEPT);
	assert_int_equal(SKB.ct, 0); /* re-pointed at the winner */
	assert_true(W.ct[LOSER].freed);
	assert_counters(1, 0, 0);
}

static void test_nf_ct_resolve_clash_nat_done_blocks_v4_15(void **state)
{
	(void)state;
	clash_setup("v4.15", true, NULL, PROTO_UDP);
	run_body(body_confirm);
	assert_int_equal(VERDICT, NF_DROP);
	assert_counters(1, 1, 0);
}

static void test_nf_ct_resolve_clash_ct_match_v4_19(void **state)
{
	(void)state;
	clash_setup("v4.19", true, NULL, PROTO_UDP);
	run_body(body_confirm);
	assert_int_equal(VERDICT, NF_ACCEPT);
	assert_counters(1, 0, 0);
}

static void test_nf_ct_resolve_clash_counts_clash_resolve_v5_10(void **state)
{
	(void)state;
	clash_setup("v5.10", true, NULL, PROTO_UDP);
	run_body(body_confirm);
	assert_int_equal(VERDICT, NF_ACCEPT);
	assert_counters(0, 0, 1);
}

static void test_nf_ct_resolve_clash_other_backend(void **state)
{
	(void)state;
	/* the loser was DNATed to another endpoint: only its REPLY tuple differs */
	struct nf_conntrack_tuple other_backend = inverted(&POD_ORIG);
	other_backend.src_ip = IP(10, 32, 0, 7);
	clash_setup("v5.0", true, &other_backend, PROTO_UDP);
	run_body(body_confirm);
	assert_int_equal(VERDICT, NF_DROP);
	assert_counters(1, 1, 0);
	clash_setup("v5.6", true, &other_backend, PROTO_UDP);
	run_body(body_confirm);
	assert_int_equal(VERDICT, NF_ACCEPT);
	assert_true(W.ct[LOSER].status & IPS_NAT_CLASH);
	assert_int_equal(W.ct[LOSER].hnode_bucket[IP_CT_DIR_ORIGINAL], HNODE_FAKE);
	assert_true(W.ct[LOSER].hnode_bucket[IP_CT_DIR_REPLY] >= 0);
	assert_counters(0, 0, 0); /* v5.6-v5.9: a NAT_CLASH insert counts nothing */
	clash_setup("v5.10", true, &other_backend, PROTO_UDP);
	run_body(body_confirm);
	assert_counters(0, 0, 1);
}

static void test_nf_ct_resolve_clash_tcp_never_merges(void **state)
{
	(void)state;
	clash_setup("mainline", true, NULL, PROTO_TCP);
	run_body(body_confirm);
	assert_int_equal(VERDICT, NF_DROP);
	assert_counters(1, 1, 0);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
