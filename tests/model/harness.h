/*
 * harness.h - the hand-built world of the model's unit tests: one scenario,
 * one world, one CPU, and a single actor that runs a test body under the
 * engine (every yield is then a forced step, every data choice its first
 * value).  Shared by test_model.c and test_lookup.c.
 */
#ifndef NFRACE_TEST_HARNESS_H
#define NFRACE_TEST_HARNESS_H

#include "model.h"
#include "nf_conntrack.h"

#include <stdbool.h>
#include <stdint.h>

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

extern struct scenario SC;
extern struct world W;
extern struct nf_cpu CPU;

/* harness_setup - SC with one UDP packet (10.32.0.20:40000 -> 8.8.8.8:53,
 * entering at PRE_ROUTING), the nat table on or off, and W and CPU built
 * from it under preset. */
void harness_setup(const char *preset, bool nat_table);

/* harness_add_rule - append r to SC's nat table and rebuild W and CPU from
 * SC (before any conntrack is added: what world_init derives from the rules
 * must see it). */
void harness_add_rule(const struct scenario_rule *r);

/* harness_run - run body once on W by a single actor; asserts that the
 * execution ended without a model failure. */
void harness_run(void (*body)(struct nf_cpu *c));

/* harness_confirmed - a confirmed, hashed conntrack with these tuples and
 * status bits (plus CONFIRMED), holding the table's reference (use 1). */
int32_t harness_confirmed(const struct nf_conntrack_tuple *orig, const struct nf_conntrack_tuple *reply,
			  uint32_t status);

/* harness_unconfirmed - an unconfirmed conntrack owned by an skb (use 1, not hashed). */
int32_t harness_unconfirmed(const struct nf_conntrack_tuple *orig, const struct nf_conntrack_tuple *reply,
			    uint32_t status);

/* harness_inverted - the tuple of the other direction. */
struct nf_conntrack_tuple harness_inverted(const struct nf_conntrack_tuple *t);

#endif /* NFRACE_TEST_HARNESS_H */
