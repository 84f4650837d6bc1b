/*
 * test_scenario_load.c - unit tests for the scenario loader (sim/scenario/).
 *
 * Each error test feeds a small YAML text and asserts the exact position
 * (1-based line and column, counted by hand from the text), the key path and
 * a distinctive part of the message, and that *out was left zeroed.  The good
 * tests compare the whole struct scenario byte for byte with one built by
 * hand.  A few fixtures under tests/data/ exercise scenario_load_file(); their
 * directory comes from NFRACE_TEST_DATA_DIR, or from this file's own path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"
#include "scenario_load.h"

/* A packet line that is valid wherever a packet list item may go. */
#define PKT_A "  - {name: A, cpu: 0, hook: prerouting, proto: udp, src: 10.0.0.1:1000, dst: 10.0.0.2:53}\n"
#define PACKETS "packets:\n" PKT_A

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static bool all_zero(const void *p, size_t size)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < size; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static int load(const char *yaml, struct scenario *s, struct scenario_error *err)
{
	memset(s, 0xa5, sizeof(*s)); /* the loader must zero it, whatever happens */
	return scenario_load_string("t.yaml", yaml, strlen(yaml), s, err);
}

static void check_error_result(int rc, const struct scenario *s, const struct scenario_error *err,
			       unsigned line, unsigned column, const char *key, const char *message)
{
	char text[1024];
	scenario_error_format(err, text, sizeof(text));
	if (rc != -1 || err->line != line || err->column != column || strcmp(err->key, key) != 0 ||
	    strstr(err->message, message) == NULL)
		print_message("got: %s\n", text);
	assert_int_equal(rc, -1);
	assert_int_equal(err->line, line);
	assert_int_equal(err->column, column);
	assert_string_equal(err->key, key);
	assert_non_null(strstr(err->message, message));
	assert_true(all_zero(s, sizeof(*s)));
}

/* check_error - yaml must fail at line:column on key, with message containing message. */
static void check_error(const char *yaml, unsigned line, unsigned column, const char *key,
			const char *message)
{
	struct scenario s;
	struct scenario_error err;
	int rc = load(yaml, &s, &err);
	assert_string_equal(err.file, "t.yaml");
	check_error_result(rc, &s, &err, line, column, key, message);
}

static void check_ok(const char *yaml, struct scenario *s)
{
	struct scenario_error err;
	char text[1024];
	int rc = load(yaml, s, &err);
	if (rc != 0) {
		scenario_error_format(&err, text, sizeof(text));
		print_message("unexpected error: %s\n", text);
	}
	assert_int_equal(rc, 0);
}

/* data_path - tests/data/<rel>, located from NFRACE_TEST_DATA_DIR or __FILE__. */
static const char *data_path(const char *rel)
{
	static char buf[1024];
#ifdef NFRACE_TEST_DATA_DIR
	snprintf(buf, sizeof(buf), "%s/%s", NFRACE_TEST_DATA_DIR, rel);
#else
	const char *self = __FILE__;
	const char *tail = strstr(self, "scenario/test_scenario_load.c");
	int dir_len = tail ? (int)(tail - self) : 0;
	snprintf(buf, sizeof(buf), "%.*s%sdata/%s", dir_len, self, tail ? "" : "tests/", rel);
#endif
	return buf;
}

/* ------------------------------------------------------------------------ */
/* Good scenarios                                                            */

static const char full_yaml[] =
	"name: dns-a-aaaa-one-backend\n"
	"description: A and AAAA race\n"
	"kernel: v4.15\n"
	"nat:\n"
	"  rules:\n"
	"    - hook: prerouting\n"
	"      match: {proto: udp, dst: 10.96.0.10:53}\n"
	"      dnat: [10.32.0.6:53, 10.32.0.7]\n"
	"    - hook: postrouting\n"
	"      match: {src: 10.32.0.0/16}\n"
	"      masquerade: {to: 192.168.1.10, random-fully: true}\n"
	"    - hook: postrouting\n"
	"      snat: {to: 192.168.1.11, ports: 1024-65535, random: true}\n"
	"    - hook: output\n"
	"      match: {proto: tcp, src: 0.0.0.0/0, dst: 255.255.255.255}\n"
	"      dnat: 10.32.0.8:5353\n"
	"    - hook: postrouting\n"
	"      snat: {to: 1.2.3.4, ports: \"80\", random: false, random-fully: false}\n"
	"notrack:\n"
	"  - {hook: prerouting, match: {proto: udp, dst: 169.254.20.10:53}}\n"
	"  - hook: output\n"
	"packets:\n"
	"  - {name: A, cpu: 0, hook: prerouting, proto: udp, src: 10.32.0.20:40000, dst: 10.96.0.10:53}\n"
	"  - {name: AAAA_2, cpu: 7, hook: output, proto: tcp, src: 10.32.0.20:40000,\n"
	"     dst: 10.96.0.10:53, after: A}\n"
	"replies: true\n"
	"expect:\n"
	"  v4.15: drop\n"
	"  v5.0: ok\n";

/* Setters that touch named fields only: a compound literal assigned to a
 * struct may copy indeterminate padding, which would defeat the byte compare. */
static void set_addr(struct scenario_addr_match *m, uint32_t ip, uint8_t prefix_len, uint16_t port)
{
	m->present = true;
	m->ip = ip;
	m->prefix_len = prefix_len;
	m->port = port;
}

static void set_endpoint(struct scenario_endpoint *e, uint32_t ip, uint16_t port)
{
	e->ip = ip;
	e->port = port;
}

static void set_packet(struct scenario_packet *p, const char *name, uint32_t cpu, enum nf_hook hook,
		       enum nf_proto proto, int32_t after)
{
	strcpy(p->name, name);
	p->cpu = cpu;
	p->hook = hook;
	p->proto = proto;
	set_endpoint(&p->src, 0x0A200014, 40000);
	set_endpoint(&p->dst, 0x0A60000A, 53);
	p->after = after;
}

static void full_rules(struct scenario *w)
{
	struct scenario_rule *r = w->rules;
	w->rule_count = 5;
	r[0].hook = HOOK_PREROUTING;
	r[0].action = ACTION_DNAT;
	r[0].match.proto = PROTO_UDP;
	set_addr(&r[0].match.dst, 0x0A60000A, 32, 53);
	r[0].target_count = 2;
	set_endpoint(&r[0].targets[0], 0x0A200006, 53);
	set_endpoint(&r[0].targets[1], 0x0A200007, 0);
	r[1].hook = HOOK_POSTROUTING;
	r[1].action = ACTION_MASQUERADE;
	set_addr(&r[1].match.src, 0x0A200000, 16, 0);
	r[1].to_ip = 0xC0A8010A;
	r[1].random_fully = true;
	r[2].hook = HOOK_POSTROUTING;
	r[2].action = ACTION_SNAT;
	r[2].to_ip = 0xC0A8010B;
	r[2].port_min = 1024;
	r[2].port_max = 65535;
	r[2].random = true;
	r[3].hook = HOOK_OUTPUT;
	r[3].action = ACTION_DNAT;
	r[3].match.proto = PROTO_TCP;
	set_addr(&r[3].match.src, 0, 0, 0);
	set_addr(&r[3].match.dst, 0xFFFFFFFF, 32, 0);
	r[3].target_count = 1;
	set_endpoint(&r[3].targets[0], 0x0A200008, 5353);
	r[4].hook = HOOK_POSTROUTING;
	r[4].action = ACTION_SNAT;
	r[4].to_ip = 0x01020304;
	r[4].port_min = 80;
	r[4].port_max = 80;
}

/* full_expected - the struct full_yaml must produce, built field by field. */
static void full_expected(struct scenario *w)
{
	memset(w, 0, sizeof(*w));
	strcpy(w->name, "dns-a-aaaa-one-backend");
	strcpy(w->description, "A and AAAA race");
	strcpy(w->kernel, "v4.15");
	w->nat_table = true;
	full_rules(w);
	w->notrack_count = 2;
	w->notrack[0].hook = HOOK_PREROUTING;
	w->notrack[0].match.proto = PROTO_UDP;
	set_addr(&w->notrack[0].match.dst, 0xA9FE140A, 32, 53);
	w->notrack[1].hook = HOOK_OUTPUT;
	w->packet_count = 2;
	set_packet(&w->packets[0], "A", 0, HOOK_PREROUTING, PROTO_UDP, -1);
	set_packet(&w->packets[1], "AAAA_2", 7, HOOK_OUTPUT, PROTO_TCP, 0);
	w->replies = true;
	w->expect_count = 2;
	strcpy(w->expect[0].kernel, "v4.15");
	w->expect[0].verdict = EXPECT_DROP;
	strcpy(w->expect[1].kernel, "v5.0");
	w->expect[1].verdict = EXPECT_OK;
}

static void test_scenario_load_string_full_scenario_exact_values(void **state)
{
	struct scenario got;
	struct scenario want;
	(void)state;
	check_ok(full_yaml, &got);
	full_expected(&want);
	/* Field checks first, for readable failures; then every byte. */
	assert_string_equal(got.name, want.name);
	assert_int_equal(got.rule_count, 5);
	assert_int_equal(got.rules[0].targets[1].ip, 0x0A200007);
	assert_int_equal(got.rules[1].match.src.prefix_len, 16);
	assert_int_equal(got.packets[1].after, 0);
	assert_int_equal(got.expect[0].verdict, EXPECT_DROP);
	for (size_t i = 0; i < SCENARIO_RULES_MAX; i++)
		assert_memory_equal(&got.rules[i], &want.rules[i], sizeof(want.rules[i]));
	for (size_t i = 0; i < SCENARIO_PACKETS_MAX; i++)
		assert_memory_equal(&got.packets[i], &want.packets[i], sizeof(want.packets[i]));
	assert_memory_equal(&got, &want, sizeof(want));
}

static void test_scenario_load_string_minimal_defaults(void **state)
{
	struct scenario s;
	(void)state;
	check_ok("name: m\n" PACKETS, &s);
	assert_string_equal(s.name, "m");
	assert_string_equal(s.description, "");
	assert_string_equal(s.kernel, "");
	assert_false(s.nat_table);
	assert_int_equal(s.rule_count, 0);
	assert_int_equal(s.notrack_count, 0);
	assert_false(s.replies);
	assert_int_equal(s.expect_count, 0);
	assert_int_equal(s.packet_count, 1);
	assert_int_equal(s.packets[0].after, -1);
	assert_int_equal(s.packets[0].src.ip, 0x0A000001);
	assert_int_equal(s.packets[0].src.port, 1000);
}

static void test_scenario_load_string_empty_nat_turns_table_on(void **state)
{
	struct scenario s;
	(void)state;
	check_ok("name: m\nnat: {}\n" PACKETS, &s);
	assert_true(s.nat_table);
	assert_int_equal(s.rule_count, 0);
	check_ok("name: m\nnat: {rules: []}\n" PACKETS, &s);
	assert_true(s.nat_table);
	assert_int_equal(s.rule_count, 0);
	check_ok("name: m\nnotrack: []\n" PACKETS, &s);
	assert_false(s.nat_table);
}

static void test_scenario_load_string_after_resolves_to_index(void **state)
{
	struct scenario s;
	(void)state;
	check_ok("name: m\n"
		 "packets:\n" PKT_A
		 "  - {name: B, cpu: 1, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n"
		 "  - {name: C, cpu: 2, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2, after: B}\n"
		 "  - {name: D, cpu: 3, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2, after: A}\n"
		 "replies: true\n",
		 &s);
	assert_int_equal(s.packet_count, 4);
	assert_int_equal(s.packets[0].after, -1);
	assert_int_equal(s.packets[1].after, -1);
	assert_int_equal(s.packets[2].after, 1);
	assert_int_equal(s.packets[3].after, 0);
}

static void test_scenario_load_string_limits_are_inclusive(void **state)
{
	struct scenario s;
	(void)state;
	check_ok("name: m\n"
		 "nat: {rules: [{hook: output, dnat: [1.0.0.1, 1.0.0.2, 1.0.0.3, 1.0.0.4,\n"
		 "                                   1.0.0.5, 1.0.0.6, 1.0.0.7, 1.0.0.8:9]}]}\n"
		 "packets:\n" PKT_A
		 "  - {name: B, cpu: 1, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n"
		 "  - {name: C, cpu: 2, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n"
		 "  - {name: D, cpu: 3, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n"
		 "  - {name: E, cpu: 4, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n"
		 "  - {name: F, cpu: 5, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n"
		 "  - {name: G, cpu: 6, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n"
		 "  - {name: H, cpu: 7, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		 &s);
	assert_int_equal(s.packet_count, SCENARIO_PACKETS_MAX);
	assert_int_equal(s.rules[0].target_count, SCENARIO_TARGETS_MAX);
	assert_int_equal(s.rules[0].targets[7].ip, 0x01000008);
	assert_int_equal(s.rules[0].targets[7].port, 9);
}

static void test_scenario_load_string_quoting_and_comments(void **state)
{
	struct scenario s;
	(void)state;
	check_ok("# leading comment\n"
		 "name: 'q'   # trailing comment\n"
		 "description: \"tab\\there\"\n"
		 "kernel: \"mainline\"\n"
		 "replies: false\n" PACKETS,
		 &s);
	assert_string_equal(s.name, "q");
	assert_string_equal(s.description, "tab\there");
	assert_string_equal(s.kernel, "mainline");
	assert_false(s.replies);
}

/* ------------------------------------------------------------------------ */
/* Structure errors: unknown, duplicate, missing keys, wrong node types      */

static void test_scenario_load_string_unknown_key_top(void **state)
{
	(void)state;
	check_error("name: t\ncolour: red\n" PACKETS, 2, 1, "colour", "unknown key (allowed: name,");
}

static void test_scenario_load_string_unknown_key_nested(void **state)
{
	(void)state;
	check_error("name: t\n"
		    "nat:\n"
		    "  rules:\n"
		    "    - hook: prerouting\n"
		    "      match: {proto: udp, dport: 53}\n"
		    "      dnat: 10.0.0.1\n" PACKETS,
		    5, 27, "nat.rules[0].match.dport", "unknown key (allowed: proto, src, dst)");
	check_error("name: t\npackets:\n  - {name: A, port: 1}\n", 3, 15, "packets[0].port",
		    "unknown key");
	check_error("name: t\nnat: {rule: []}\n" PACKETS, 2, 7, "nat.rule", "unknown key");
	check_error("name: t\nnotrack: [{hook: output, proto: udp}]\n" PACKETS, 2, 26,
		    "notrack[0].proto", "unknown key");
	check_error("name: t\nnat: {rules: [{hook: postrouting, snat: {to: 1.1.1.1, port: 1}}]}\n" PACKETS,
		    2, 55, "nat.rules[0].snat.port", "unknown key");
}

static void test_scenario_load_string_duplicate_key(void **state)
{
	(void)state;
	check_error("name: t\n" PACKETS "name: u\n", 4, 1, "name", "duplicate key (first at line 1)");
	check_error("name: t\npackets:\n  - {name: A, name: B}\n", 3, 15, "packets[0].name",
		    "duplicate key");
	check_error("name: t\n" PACKETS "expect:\n  v5.0: ok\n  v5.0: drop\n", 6, 3, "expect.v5.0",
		    "duplicate key");
}

static void test_scenario_load_string_missing_required_key(void **state)
{
	(void)state;
	check_error(PACKETS, 1, 1, "name", "missing required key");
	check_error("name: t\n", 1, 1, "packets", "missing required key");
	check_error("name: t\n"
		    "packets:\n"
		    "  - {name: A, cpu: 0, hook: output, proto: udp, src: 10.0.0.1:1}\n",
		    3, 5, "packets[0].dst", "missing required key");
	check_error("name: t\n"
		    "nat:\n"
		    "  rules:\n"
		    "    - hook: postrouting\n"
		    "      masquerade:\n"
		    "        random: true\n" PACKETS,
		    6, 9, "nat.rules[0].masquerade.to", "missing required key");
	check_error("name: t\nnat:\n  rules:\n    - dnat: 1.1.1.1\n" PACKETS, 4, 7, "nat.rules[0].hook",
		    "missing required key");
}

static void test_scenario_load_string_wrong_node_type(void **state)
{
	(void)state;
	check_error("name: t\npackets: {}\n", 2, 10, "packets", "expected a list, found a mapping");
	check_error("name: [t]\n" PACKETS, 1, 7, "name", "expected a scalar, found a list");
	check_error("name: t\nnat:\n" PACKETS, 2, 5, "nat", "expected a mapping, found an empty value");
	check_error("name: t\nnat: {rules: {}}\n" PACKETS, 2, 14, "nat.rules", "expected a list");
	check_error("name: t\npackets:\n  - A\n", 3, 5, "packets[0]", "expected a mapping, found a scalar");
	check_error("name: t\nnat: {rules: [{hook: output, match: udp, dnat: 1.1.1.1}]}\n" PACKETS, 2, 37,
		    "nat.rules[0].match", "expected a mapping");
	check_error("name: t\nnat: {rules: [{hook: output, dnat: {to: 1.1.1.1}}]}\n" PACKETS, 2, 36,
		    "nat.rules[0].dnat", "expected a list or a scalar, found a mapping");
	check_error("name: t\n" PACKETS "expect: [v5.0]\n", 4, 9, "expect", "expected a mapping");
	check_error("name: t\n" PACKETS "expect: {v5.0: [ok]}\n", 4, 16, "expect.v5.0", "expected a scalar");
	check_error("name: t\n[a]: 1\n" PACKETS, 2, 1, "", "a key must be a scalar, found a list");
}

/* ------------------------------------------------------------------------ */
/* Value errors                                                              */

static void test_scenario_load_string_bad_scenario_name(void **state)
{
	(void)state;
	check_error("name: Big\n" PACKETS, 1, 7, "name", "invalid scenario name 'Big'");
	check_error("name: a_b\n" PACKETS, 1, 7, "name", "invalid scenario name");
	check_error("name: ''\n" PACKETS, 1, 7, "name", "invalid scenario name");
	/* 63 characters fit, 64 do not. */
	check_error("name: a123456789012345678901234567890123456789012345678901234567890123\n" PACKETS, 1,
		    7, "name", "too long (at most 63 characters)");
	check_error("name: \"a\\0b\"\n" PACKETS, 1, 7, "name", "NUL character");
}

static void test_scenario_load_string_bad_addresses(void **state)
{
	(void)state;
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 10.0.0.256:1, dst: 10.0.0.2:53}\n",
		    3, 54, "packets[0].src", "invalid address '10.0.0.256:1': not a dotted-quad");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 10.0.0.01:1, dst: 10.0.0.2:53}\n",
		    3, 54, "packets[0].src", "not a dotted-quad");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 10.0.1:1, dst: 10.0.0.2:53}\n",
		    3, 54, "packets[0].src", "not a dotted-quad");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 10.0.0.1, dst: 10.0.0.2:53}\n",
		    3, 54, "packets[0].src", "a port is required");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:0}\n",
		    3, 71, "packets[0].dst", "the port must be 1..65535");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:65536}\n",
		    3, 71, "packets[0].dst", "the port must be 1..65535");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.0/8}\n",
		    3, 71, "packets[0].dst", "a prefix length is not allowed here");
	check_error("name: t\nnotrack: [{hook: output, match: {dst: 10.0.0.0/33}}]\n" PACKETS, 2, 39,
		    "notrack[0].match.dst", "the prefix length must be 0..32");
	check_error("name: t\nnotrack: [{hook: output, match: {dst: 10.0.0.1/8}}]\n" PACKETS, 2, 39,
		    "notrack[0].match.dst", "bits set beyond the prefix length");
	check_error("name: t\nnotrack: [{hook: output, match: {src: 10.0.0.0/8:53}}]\n" PACKETS, 2, 39,
		    "notrack[0].match.src", "the prefix length must be 0..32");
	check_error("name: t\nnat: {rules: [{hook: output, dnat: [1.1.1.1, 2.2.2.2/32]}]}\n" PACKETS, 2, 46,
		    "nat.rules[0].dnat[1]", "a prefix length is not allowed here");
	check_error("name: t\nnat: {rules: [{hook: postrouting, snat: {to: 1.1.1.1:80}}]}\n" PACKETS, 2,
		    46, "nat.rules[0].snat.to", "a port is not allowed here");
	check_error("name: t\nnat: {rules: [{hook: postrouting, snat: {to: ' 1.1.1.1'}}]}\n" PACKETS, 2,
		    46, "nat.rules[0].snat.to", "not a dotted-quad");
}

static void test_scenario_load_string_bad_enums(void **state)
{
	(void)state;
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: input, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    3, 29, "packets[0].hook", "hook must be prerouting or output");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: postrouting, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    3, 29, "packets[0].hook", "hook must be prerouting or output");
	check_error("name: t\nnat: {rules: [{hook: forward, dnat: 1.1.1.1}]}\n" PACKETS, 2, 22,
		    "nat.rules[0].hook", "unknown hook (prerouting, output, postrouting or input)");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: icmp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    3, 44, "packets[0].proto", "unknown protocol (udp or tcp)");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: UDP, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    3, 44, "packets[0].proto", "unknown protocol");
	check_error("name: t\nreplies: yes\n" PACKETS, 2, 10, "replies", "expected true or false");
	check_error("name: t\nkernel: v9.9\n" PACKETS, 2, 9, "kernel", "unknown kernel preset 'v9.9'");
	check_error("name: t\n" PACKETS "expect:\n  v9.9: ok\n", 5, 3, "expect.v9.9",
		    "unknown kernel preset 'v9.9'");
	check_error("name: t\n" PACKETS "expect:\n  v5.0: pass\n", 5, 9, "expect.v5.0", "expected ok or drop");
}

static void test_scenario_load_string_bad_integers(void **state)
{
	(void)state;
	check_error("name: t\npackets:\n  - {name: A, cpu: 8, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    3, 20, "packets[0].cpu", "out of range (cpu must be 0..7)");
	check_error("name: t\npackets:\n  - {name: A, cpu: 99999999999999999999, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    3, 20, "packets[0].cpu", "out of range");
	check_error("name: t\npackets:\n  - {name: A, cpu: -1, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    3, 20, "packets[0].cpu", "not a decimal integer");
	check_error("name: t\npackets:\n  - {name: A, cpu: 01, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    3, 20, "packets[0].cpu", "not a decimal integer");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 10.0.0.1:99999999999, dst: 10.0.0.2:2}\n",
		    3, 54, "packets[0].src", "the port must be 1..65535");
}

static void test_scenario_load_string_bad_port_ranges(void **state)
{
	(void)state;
	check_error("name: t\nnat: {rules: [{hook: postrouting, snat: {to: 1.1.1.1, ports: 2000-1000}}]}\n" PACKETS,
		    2, 62, "nat.rules[0].snat.ports", "invalid port range '2000-1000'");
	check_error("name: t\nnat: {rules: [{hook: postrouting, snat: {to: 1.1.1.1, ports: 0-10}}]}\n" PACKETS,
		    2, 62, "nat.rules[0].snat.ports", "invalid port range");
	check_error("name: t\nnat: {rules: [{hook: postrouting, snat: {to: 1.1.1.1, ports: 1-65536}}]}\n" PACKETS,
		    2, 62, "nat.rules[0].snat.ports", "invalid port range");
	check_error("name: t\nnat: {rules: [{hook: postrouting, snat: {to: 1.1.1.1, ports: 1-}}]}\n" PACKETS,
		    2, 62, "nat.rules[0].snat.ports", "invalid port range");
	check_error("name: t\nnat: {rules: [{hook: postrouting, masquerade: {to: 1.1.1.1, random: 1}}]}\n" PACKETS,
		    2, 69, "nat.rules[0].masquerade.random", "expected true or false");
}

static void test_scenario_load_string_bad_packet_names(void **state)
{
	(void)state;
	check_error("name: t\npackets:\n  - {name: A.1, cpu: 0, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    3, 12, "packets[0].name", "invalid packet name 'A.1'");
	check_error("name: t\npackets:\n" PKT_A
		    "  - {name: A, cpu: 1, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2}\n",
		    4, 12, "packets[1].name", "duplicate packet name (also packets[0])");
}

static void test_scenario_load_string_rule_actions(void **state)
{
	(void)state;
	check_error("name: t\nnat: {rules: [{hook: output}]}\n" PACKETS, 2, 15, "nat.rules[0]",
		    "the rule has no action");
	check_error("name: t\nnat: {rules: [{hook: postrouting, masquerade: {to: 1.1.1.1}, snat: {to: 1.1.1.1}}]}\n" PACKETS,
		    2, 62, "nat.rules[0].snat", "exactly one action; it already has masquerade");
	check_error("name: t\nnat: {rules: [{snat: {to: 1.1.1.1}, hook: postrouting, dnat: 1.1.1.1}]}\n" PACKETS,
		    2, 56, "nat.rules[0].dnat", "exactly one action; it already has snat");
	check_error("name: t\nnat: {rules: [{hook: postrouting, dnat: 1.1.1.1}]}\n" PACKETS, 2, 35,
		    "nat.rules[0].dnat", "dnat is only allowed in prerouting and output");
	check_error("name: t\nnat: {rules: [{hook: prerouting, masquerade: {to: 1.1.1.1}}]}\n" PACKETS, 2,
		    34, "nat.rules[0].masquerade", "masquerade is only allowed in postrouting");
	check_error("name: t\nnat: {rules: [{hook: output, dnat: []}]}\n" PACKETS, 2, 36,
		    "nat.rules[0].dnat", "too few dnat targets (at least 1)");
}

/* ------------------------------------------------------------------------ */
/* after:                                                                    */

static void test_scenario_load_string_after_errors(void **state)
{
	(void)state;
	check_error("name: t\nreplies: true\npackets:\n" PKT_A
		    "  - {name: B, cpu: 1, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2, after: Z}\n",
		    5, 90, "packets[1].after", "no packet is named 'Z'");
	check_error("name: t\nreplies: true\npackets:\n" PKT_A
		    "  - {name: B, cpu: 1, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2, after: B}\n",
		    5, 90, "packets[1].after", "'B' is not an earlier packet");
	check_error("name: t\npackets:\n" PKT_A
		    "  - {name: B, cpu: 1, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2, after: A}\n",
		    4, 90, "packets[1].after", "after needs replies: true");
	check_error("name: t\nreplies: false\npackets:\n" PKT_A
		    "  - {name: B, cpu: 1, hook: output, proto: udp, src: 10.0.0.1:1, dst: 10.0.0.2:2, after: A}\n",
		    5, 90, "packets[1].after", "after needs replies: true");
}

/* ------------------------------------------------------------------------ */
/* Limits                                                                    */

static void test_scenario_load_string_too_many_packets(void **state)
{
	(void)state;
	check_error("name: t\npackets:\n" PKT_A PKT_A PKT_A PKT_A PKT_A PKT_A PKT_A PKT_A PKT_A, 11, 5,
		    "packets[8]", "too many packets (at most 8)");
	check_error("name: t\npackets: []\n", 2, 10, "packets", "too few packets (at least 1)");
}

static void test_scenario_load_string_too_many_rules(void **state)
{
	char yaml[4096];
	int n = snprintf(yaml, sizeof(yaml), "name: t\nnat:\n  rules:\n");
	(void)state;
	for (int i = 0; i < SCENARIO_RULES_MAX + 1; i++)
		n += snprintf(yaml + n, sizeof(yaml) - (size_t)n, "    - {hook: output, dnat: 1.1.1.1}\n");
	snprintf(yaml + n, sizeof(yaml) - (size_t)n, PACKETS);
	/* rules[16] is on line 3 + 17 = 20. */
	check_error(yaml, 20, 7, "nat.rules[16]", "too many rules (at most 16)");
}

static void test_scenario_load_string_too_many_targets_and_notracks(void **state)
{
	(void)state;
	check_error("name: t\nnat: {rules: [{hook: output, dnat: [1.0.0.1, 1.0.0.2, 1.0.0.3, 1.0.0.4, 1.0.0.5, 1.0.0.6, 1.0.0.7, 1.0.0.8, 1.0.0.9]}]}\n" PACKETS,
		    2, 109, "nat.rules[0].dnat[8]", "too many dnat targets (at most 8)");
	check_error("name: t\nnotrack: [{hook: output}, {hook: output}, {hook: output}, {hook: output},\n"
		    "          {hook: output}, {hook: output}, {hook: output}, {hook: output}, {hook: output}]\n" PACKETS,
		    3, 75, "notrack[8]", "too many notrack entries (at most 8)");
}

static void test_scenario_load_string_too_many_expects(void **state)
{
	char yaml[4096];
	int n = snprintf(yaml, sizeof(yaml), "name: t\n" PACKETS "expect:\n");
	(void)state;
	/* Checked before the names: all 33 are the same (valid) preset. */
	for (int i = 0; i < SCENARIO_EXPECT_MAX + 1; i++)
		n += snprintf(yaml + n, sizeof(yaml) - (size_t)n, "  v5.0: ok\n");
	/* expect key 32 is on line 4 + 33 = 37. */
	check_error(yaml, 37, 3, "expect.v5.0", "too many expectations (at most 32)");
}

/* ------------------------------------------------------------------------ */
/* Documents, syntax and files                                               */

static void test_scenario_load_string_syntax_error(void **state)
{
	(void)state;
	check_error("name: a\n  b: c\n", 2, 4, "", "mapping values are not allowed in this context");
	check_error("name: t\npackets: [\n", 3, 1, "", "did not find expected node content");
	check_error("name: *nowhere\n", 1, 7, "", "found undefined alias");
	check_error("name: \"a\x01\"\n", 1, 9, "", "control characters are not allowed");
}

static void test_scenario_load_string_not_a_scenario_document(void **state)
{
	struct scenario s;
	struct scenario_error err;
	(void)state;
	check_error("", 1, 1, "", "the document is empty");
	check_error("# only a comment\n", 1, 1, "", "the document is empty");
	check_error("- name: t\n", 1, 1, "", "the top level must be a mapping, found a list");
	check_error("just text\n", 1, 1, "", "the top level must be a mapping, found a scalar");
	check_error("name: t\n" PACKETS "---\nname: u\n", 4, 1, "", "only one YAML document");
	memset(&s, 0xa5, sizeof(s));
	check_error_result(scenario_load_string(NULL, NULL, 0, &s, &err), &s, &err, 1, 1, "",
			   "the document is empty");
	assert_string_equal(err.file, "<string>");
}

static void test_scenario_load_string_text_need_not_be_terminated(void **state)
{
	const char yaml[] = "name: t\n" PACKETS "junk: [";
	struct scenario s;
	struct scenario_error err;
	(void)state;
	/* Stop before "junk": the rest of the buffer must not be read. */
	assert_int_equal(scenario_load_string("t", yaml, strlen(yaml) - 7, &s, &err), 0);
	assert_int_equal(s.packet_count, 1);
}

/* Every prefix of a good scenario either loads or fails cleanly, and a failure
 * always leaves *out zeroed and a positioned message. */
static void test_scenario_load_string_every_prefix_is_handled(void **state)
{
	struct scenario s;
	struct scenario_error err;
	(void)state;
	for (size_t len = 0; len <= strlen(full_yaml); len++) {
		memset(&s, 0xa5, sizeof(s));
		if (scenario_load_string("p", full_yaml, len, &s, &err) == 0)
			continue;
		assert_true(all_zero(&s, sizeof(s)));
		assert_true(err.line >= 1);
		assert_true(err.message[0] != '\0');
	}
}

static void test_scenario_load_file_good_fixtures(void **state)
{
	static const char *const files[] = {"good/dns-a-aaaa-one-backend.yaml", "good/minimal.yaml"};
	struct scenario s;
	struct scenario_error err;
	char text[1024];
	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int rc = scenario_load_file(data_path(files[i]), &s, &err);
		if (rc != 0) {
			scenario_error_format(&err, text, sizeof(text));
			print_message("unexpected error: %s\n", text);
		}
		assert_int_equal(rc, 0);
	}
	assert_int_equal(scenario_load_file(data_path(files[0]), &s, &err), 0);
	assert_string_equal(s.name, "dns-a-aaaa-one-backend");
	assert_true(s.nat_table);
	assert_int_equal(s.rule_count, 2);
	assert_int_equal(s.rules[0].target_count, 1);
	assert_int_equal(s.rules[0].targets[0].ip, 0x0A200006);
	assert_int_equal(s.rules[1].action, ACTION_MASQUERADE);
	assert_int_equal(s.packet_count, 2);
	assert_int_equal(s.packets[1].cpu, 1);
	assert_int_equal(s.expect_count, 2);
}

static void test_scenario_load_file_bad_fixtures(void **state)
{
	static const struct {
		const char *file;
		unsigned line, column;
		const char *key, *message;
	} cases[] = {
		{"bad/after-later-packet.yaml", 11, 12, "packets[0].after", "'second' is not an earlier packet"},
		{"bad/masquerade-bad-to.yaml", 7, 13, "nat.rules[0].masquerade.to", "not a dotted-quad"},
		{"bad/duplicate-key.yaml", 4, 1, "name", "duplicate key (first at line 1)"},
		{"bad/syntax.yaml", 4, 1, "", "did not find expected ',' or '}'"},
	};
	struct scenario s;
	struct scenario_error err;
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = data_path(cases[i].file);
		memset(&s, 0xa5, sizeof(s));
		int rc = scenario_load_file(path, &s, &err);
		assert_string_equal(err.file, path);
		check_error_result(rc, &s, &err, cases[i].line, cases[i].column, cases[i].key,
				   cases[i].message);
	}
}

static void test_scenario_load_file_missing_file(void **state)
{
	struct scenario s;
	struct scenario_error err;
	char want[300];
	(void)state;
	memset(&s, 0xa5, sizeof(s));
	snprintf(want, sizeof(want), "cannot read file: %s", strerror(ENOENT));
	check_error_result(scenario_load_file("/nonexistent/nfrace.yaml", &s, &err), &s, &err, 0, 0,
			   "", want);
	assert_string_equal(err.file, "/nonexistent/nfrace.yaml");
	/* A directory opens but cannot be read. */
	check_error_result(scenario_load_file("/", &s, &err), &s, &err, 0, 0, "", "cannot read file: it is a directory");
}

/* A file of a given size: a valid scenario padded with a comment. */
static void write_padded(const char *path, size_t size)
{
	static const char head[] = "name: pad\n" PACKETS "#";
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(head, f);
	for (size_t i = strlen(head); i + 1 < size; i++)
		fputc('x', f);
	fputc('\n', f);
	assert_int_equal(fclose(f), 0);
}

/* The docs allow 1 MiB: exactly 1048576 bytes load, one more is refused. */
static void test_scenario_load_file_size_limit_is_inclusive(void **state)
{
	struct scenario s;
	struct scenario_error err;
	char path[] = "/tmp/nfrace-test-XXXXXX";
	(void)state;
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_padded(path, 1 << 20);
	assert_int_equal(scenario_load_file(path, &s, &err), 0);
	write_padded(path, (1 << 20) + 1);
	assert_int_equal(scenario_load_file(path, &s, &err), -1);
	assert_non_null(strstr(err.message, "larger than 1 MiB"));
	unlink(path);
}

/* A FIFO that no writer opens is given up (not waited for for ever); one
 * that a writer fills loads. */
static void test_scenario_load_file_fifo(void **state)
{
	struct scenario s;
	struct scenario_error err;
	char dir[] = "/tmp/nfrace-test-XXXXXX", path[64];
	static const char text[] = "name: fifo\n" PACKETS;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	time_t t0 = time(NULL);
	assert_int_equal(scenario_load_file(path, &s, &err), -1);
	assert_non_null(strstr(err.message, "no writer"));
	assert_true(time(NULL) - t0 < 30);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *f = fopen(path, "w");
		_exit(f && fputs(text, f) >= 0 && fclose(f) == 0 ? 0 : 1);
	}
	assert_int_equal(scenario_load_file(path, &s, &err), 0);
	assert_string_equal(s.name, "fifo");
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	unlink(path);
	rmdir(dir);
}

/* Deep nesting is refused at the level that crosses the limit, at once:
 * libyaml's work grows with the square of the depth, so the loader stops
 * before it does that work, for any file within the size limit. */
static void test_scenario_load_string_deep_nesting_is_refused_fast(void **state)
{
	struct scenario s;
	struct scenario_error err;
	size_t depth = 400000; /* a 1 MiB file: "foo: " and 2 * depth brackets */
	char *text = malloc(2 * depth + 16);
	(void)state;
	assert_non_null(text);
	strcpy(text, "foo: ");
	memset(text + 5, '[', depth);
	memset(text + 5 + depth, ']', depth);
	text[5 + 2 * depth] = '\0';
	clock_t c0 = clock();
	assert_int_equal(scenario_load_string("t.yaml", text, strlen(text), &s, &err), -1);
	assert_true((double)(clock() - c0) / CLOCKS_PER_SEC < 1.0);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 6 + 31); /* the 33rd level: the mapping is the first */
	assert_non_null(strstr(err.message, "nested deeper than 32 levels"));
	/* block style nests by indentation */
	text[0] = '\0';
	for (int i = 0; i < 40; i++)
		snprintf(text + strlen(text), 2 * depth - strlen(text), "%*sk%d:\n", i, "", i);
	check_error(text, 33, 33, "", "nested deeper than 32 levels");
	free(text);
	/* 32 levels pass the depth check and meet the walker (the key is unknown) */
	check_error("name: ok\n" PACKETS "x: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", 4, 1, "x",
		    "unknown key");
}

/* Anchors and aliases work, up to a number that no scenario needs. */
static void test_scenario_load_string_anchor_limits(void **state)
{
	struct scenario s;
	char *text = malloc(1 << 20);
	(void)state;
	assert_non_null(text);
	strcpy(text, "name: anchors\n" PACKETS "x:\n");
	for (int i = 0; i < 300; i++)
		snprintf(text + strlen(text), 64, "  - &a%d v\n", i);
	check_error(text, 4 + 257, 5, "", "more than 256 anchors");
	strcpy(text, "name: aliases\n" PACKETS "x: &a v\ny:\n");
	for (int i = 0; i < 1100; i++)
		strcat(text, "  - *a\n");
	check_error(text, 5 + 1025, 5, "", "more than 1024 aliases");
	check_ok("name: &n ok\ndescription: *n\n" PACKETS, &s);
	assert_string_equal(s.description, "ok");
	/* and at most 10000 values in all: the 10001st is refused where it is */
	strcpy(text, "x: [");
	for (int i = 0; i < 10005; i++)
		strcat(text, "1,");
	strcat(text, "1]\n");
	check_error(text, 1, 5 + 2 * (10000 - 3), "", "more than 10000 values"); /* the map, x and the list come first */
	free(text);
}

/* Text from the file is escaped in messages: a key cannot start a forged
 * file:line:col line or send a terminal escape sequence. */
static void test_scenario_error_format_escapes(void **state)
{
	struct scenario s;
	struct scenario_error err;
	char text[1024];
	static const char yaml[] = "name: x\n\"evil\\nt.yaml:1:1: all good\\e[31m\\u009b\\u202e\\\\\": 1\n" PACKETS;
	(void)state;
	assert_int_equal(scenario_load_string("t\x1b]0;title\a.yaml", yaml, strlen(yaml), &s, &err), -1);
	scenario_error_format(&err, text, sizeof(text));
	assert_null(strchr(text, '\n'));
	assert_null(strchr(text, '\x1b'));
	assert_null(strstr(text, "\xc2\x9b"));
	assert_string_equal(text, "t\\x1b]0;title\\x07.yaml:2:1: evil\\nt.yaml:1:1: all good\\x1b[31m\\xc2\\x9b"
				  "\\xe2\\x80\\xae\\\\: unknown key (allowed: name, description, kernel, nat, notrack, "
				  "packets, replies, expect, timing, events)");
	assert_string_equal(scenario_escape("caf\xc3\xa9 \xff", text, sizeof(text)), "caf\xc3\xa9 \\xff");
	assert_string_equal(scenario_escape("abcdef", text, 4), "abc");
}

/* ------------------------------------------------------------------------ */
/* scenario_error_format                                                     */

static void test_scenario_error_format_with_and_without_key(void **state)
{
	struct scenario_error err = {"s.yaml", 3, 7, "packets[1].src", "bad", 0};
	char buf[128];
	(void)state;
	scenario_error_format(&err, buf, sizeof(buf));
	assert_string_equal(buf, "s.yaml:3:7: packets[1].src: bad");
	err.key[0] = '\0';
	scenario_error_format(&err, buf, sizeof(buf));
	assert_string_equal(buf, "s.yaml:3:7: bad");
	scenario_error_format(&err, buf, 6);
	assert_string_equal(buf, "s.yam");
	scenario_error_format(&err, NULL, 0);
}


#define EVENTS_OK                                                                                  \
	"name: t\n"                                                                                \
	"events:\n"                                                                                \
	"  duration_ms: 1000\n"                                                                    \
	"  nf_conntrack_max: 100\n"                                                                \
	"  flows: {rate_per_s: 10}\n"

/* timing: and send_ns: exact values and the defaults they leave. */
static void test_scenario_load_string_timing_values(void **state)
{
	(void)state;
	struct scenario s;
	check_ok("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 1.1.1.1:1, dst: 2.2.2.2:2, "
		 "send_ns: 5000}\ntiming:\n  jitter_percent: 30\n  round_trip_ns: 200000\n  queries_per_s: 20\n"
		 "  cost_ns: {nf_conntrack_tuple_taken: 4000, ____nf_conntrack_find: 1500}\n",
		 &s);
	assert_true(s.timing.present);
	assert_int_equal(s.timing.jitter_percent, 30);
	assert_int_equal(s.timing.default_ns, 100);
	assert_int_equal(s.timing.round_trip_ns, 200000);
	assert_int_equal(s.timing.queries_per_s, 20);
	assert_int_equal(s.timing.cost_count, 2);
	assert_string_equal(s.timing.costs[1].function, "____nf_conntrack_find");
	assert_int_equal(s.timing.costs[1].ns, 1500);
	assert_int_equal(s.packets[0].send_ns, 5000);
}

/* events: values and defaults. */
static void test_scenario_load_string_events_values(void **state)
{
	(void)state;
	struct scenario s;
	check_ok(EVENTS_OK "  flush_at_ms: 500\n"
			   "  listeners:\n"
			   "    - {name: d, kind: conntrackd, reliable: true, rcvbuf: 2048, drain_per_s: 0}\n"
			   "expect:\n  v2.6.30: {packets: ok, destroy: lost}\n  v5.19: drop\n",
		 &s);
	assert_true(s.events.present);
	assert_int_equal(s.packet_count, 0);
	assert_int_equal(s.events.buckets, 25); /* nf_conntrack_max / 4 */
	assert_int_equal(s.events.udp_timeout_s, 30);
	assert_int_equal(s.events.msg_bytes_destroy, 1024);
	assert_int_equal(s.events.arrival, ARRIVAL_FIXED);
	assert_true(s.events.flush);
	assert_int_equal(s.events.flush_at_ms, 500);
	assert_int_equal(s.events.listener_count, 1);
	assert_int_equal(s.events.listeners[0].kind, LISTENER_CONNTRACKD);
	assert_true(s.events.listeners[0].reliable);
	assert_int_equal(s.expect[0].destroy, EXPECT_DESTROY_LOST);
	assert_int_equal(s.expect[1].verdict, EXPECT_DROP);
	assert_int_equal(s.expect[1].destroy, EXPECT_EVENTS_ANY);
}

/* Errors in the timing:/events: sections are located like all others. */
static void test_scenario_load_string_timing_events_errors(void **state)
{
	(void)state;
	check_error("name: t\n", 1, 1, "packets", "a scenario has packets: or events:");
	check_error(EVENTS_OK "packets: []\n", 2, 1, "events", "not both");
	check_error(EVENTS_OK "  flush_at_ms: 5000\n", 6, 16, "events.flush_at_ms", "out of range");
	check_error(EVENTS_OK "  listeners: [{name: a, kind: tcpdump, rcvbuf: 1, drain_per_s: 1}]\n", 6, 31,
		    "events.listeners[0].kind", "expected conntrack-E or conntrackd");
	check_error(EVENTS_OK "  listeners: [{name: a, kind: conntrack-E, reliable: true, rcvbuf: 1, drain_per_s: 1}]\n", 6,
		    54, "events.listeners[0].reliable", "conntrackd setting");
	check_error(EVENTS_OK "  flows: {rate_per_s: 1}\n", 6, 3, "events.flows", "duplicate key");
	check_error(EVENTS_OK "expect:\n  v5.0: {packets: ok, destroy: gone}\n", 7, 32, "expect.v5.0.destroy",
		    "expected lost, delivered or pending");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 1.1.1.1:1, dst: 2.2.2.2:2}\n"
		    "expect:\n  v2.6.31: ok\n",
		    5, 3, "expect.v2.6.31", "event-path preset");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 1.1.1.1:1, dst: 2.2.2.2:2}\n"
		    "timing: {jitter_percent: 101}\n",
		    4, 26, "timing.jitter_percent", "out of range");
	check_error("name: t\npackets:\n  - {name: A, cpu: 0, hook: output, proto: udp, src: 1.1.1.1:1, dst: 2.2.2.2:2}\n"
		    "timing: {cost_ns: {a: 1, a: 2}}\n",
		    4, 26, "timing.cost_ns.a", "duplicate key");
	check_error(EVENTS_OK "timing: {default_ns: 1}\n", 6, 9, "timing", "applies to packets:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_load_string_timing_values),
		cmocka_unit_test(test_scenario_load_string_events_values),
		cmocka_unit_test(test_scenario_load_string_timing_events_errors),
		cmocka_unit_test(test_scenario_load_string_full_scenario_exact_values),
		cmocka_unit_test(test_scenario_load_string_minimal_defaults),
		cmocka_unit_test(test_scenario_load_string_empty_nat_turns_table_on),
		cmocka_unit_test(test_scenario_load_string_after_resolves_to_index),
		cmocka_unit_test(test_scenario_load_string_limits_are_inclusive),
		cmocka_unit_test(test_scenario_load_string_quoting_and_comments),
		cmocka_unit_test(test_scenario_load_string_unknown_key_top),
		cmocka_unit_test(test_scenario_load_string_unknown_key_nested),
		cmocka_unit_test(test_scenario_load_string_duplicate_key),
		cmocka_unit_test(test_scenario_load_string_missing_required_key),
		cmocka_unit_test(test_scenario_load_string_wrong_node_type),
		cmocka_unit_test(test_scenario_load_string_bad_scenario_name),
		cmocka_unit_test(test_scenario_load_string_bad_addresses),
		cmocka_unit_test(test_scenario_load_string_bad_enums),
		cmocka_unit_test(test_scenario_load_string_bad_integers),
		cmocka_unit_test(test_scenario_load_string_bad_port_ranges),
		cmocka_unit_test(test_scenario_load_string_bad_packet_names),
		cmocka_unit_test(test_scenario_load_string_rule_actions),
		cmocka_unit_test(test_scenario_load_string_after_errors),
		cmocka_unit_test(test_scenario_load_string_too_many_packets),
		cmocka_unit_test(test_scenario_load_string_too_many_rules),
		cmocka_unit_test(test_scenario_load_string_too_many_targets_and_notracks),
		cmocka_unit_test(test_scenario_load_string_too_many_expects),
		cmocka_unit_test(test_scenario_load_string_syntax_error),
		cmocka_unit_test(test_scenario_load_string_not_a_scenario_document),
		cmocka_unit_test(test_scenario_load_string_text_need_not_be_terminated),
		cmocka_unit_test(test_scenario_load_string_every_prefix_is_handled),
		cmocka_unit_test(test_scenario_load_file_good_fixtures),
		cmocka_unit_test(test_scenario_load_file_bad_fixtures),
		cmocka_unit_test(test_scenario_load_file_missing_file),
		cmocka_unit_test(test_scenario_load_file_size_limit_is_inclusive),
		cmocka_unit_test(test_scenario_load_file_fifo),
		cmocka_unit_test(test_scenario_load_string_deep_nesting_is_refused_fast),
		cmocka_unit_test(test_scenario_load_string_anchor_limits),
		cmocka_unit_test(test_scenario_error_format_escapes),
		cmocka_unit_test(test_scenario_error_format_with_and_without_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
