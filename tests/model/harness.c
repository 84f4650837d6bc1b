/*
 * harness.c - the unit tests' hand-built world (harness.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "harness.h"

#include "explore.h"

#include <stdio.h>
#include <string.h>

struct scenario SC;
struct world W;
struct nf_cpu CPU;

static void (*body_fn)(struct nf_cpu *c);

static void actor(struct sim_exec *ex, void *arg)
{
	(void)arg;
	CPU.ex = ex;
	body_fn(&CPU);
}

static void begin(void *ctx, struct sim_exec *ex)
{
	(void)ctx;
	sim_spawn(ex, "cpu0", actor, NULL);
}

void harness_run(void (*body)(struct nf_cpu *c))
{
	struct sim_program p = {1, NULL, begin, NULL, NULL, NULL, NULL, 0};
	struct sim_result r;
	struct sim_bounds b = {.executions_max = 1};
	body_fn = body;
	assert_int_equal(sim_explore(&p, SIM_EXPLORE_DFS, &b, false, &r), 0);
	assert_int_equal(r.executions, 1);
	assert_int_equal(r.failures, 0);
}

void harness_setup(const char *preset, bool nat_table)
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

void harness_add_rule(const struct scenario_rule *r)
{
	assert_true(SC.rule_count < SCENARIO_RULES_MAX);
	assert_int_equal(W.ct_alloc[0], 0);
	SC.rules[SC.rule_count++] = *r;
	world_init(&W, &SC, W.fixes, 0);
	nf_cpu_init(&CPU, &W, 0);
}

int32_t harness_confirmed(const struct nf_conntrack_tuple *orig, const struct nf_conntrack_tuple *reply,
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

int32_t harness_unconfirmed(const struct nf_conntrack_tuple *orig, const struct nf_conntrack_tuple *reply,
			    uint32_t status)
{
	int32_t i = harness_confirmed(orig, reply, status);
	W.ct[i].status &= ~IPS_CONFIRMED;
	W.ct[i].hnode_bucket[0] = W.ct[i].hnode_bucket[1] = HNODE_UNHASHED;
	return i;
}

struct nf_conntrack_tuple harness_inverted(const struct nf_conntrack_tuple *t)
{
	struct nf_conntrack_tuple r;
	nf_ct_invert_tuple(&r, t);
	return r;
}
