/*
 * scenario_load.c - YAML text -> struct scenario, or one positioned error.
 *
 * libyaml builds the node tree (yaml_parser_load); this file walks it once,
 * top-down, checking each mapping against a small table of allowed keys before
 * reading any value.  Every check that fails calls yl_fail(), which records the
 * libyaml mark of the offending node and the key path, and returns -1; callers
 * just propagate -1.  So the first error in walk order is the one reported:
 * within a mapping, key errors (not a scalar, unknown, duplicate, missing) come
 * before value errors, and values are read in a fixed order, not text order.
 *
 * The leaf parsers (dotted quads, addresses, port ranges; decimal numbers in
 * scenario_yaml.c) are pure functions returning a problem string or NULL, so
 * the wording of value errors lives next to the rule it explains.  The
 * helpers that walk the node tree are in scenario_yaml.c, the timing: and
 * events: sections in scenario_load_time.c; this file holds the packet-race
 * sections and drives libyaml.  No libyaml type leaves the loader.
 */
#include "scenario_load.h"
#include "scenario_load_time.h"
#include "scenario_yaml.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "fixes.h"
#include "scenario.h"

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

static void error_reset(struct scenario_error *err, const char *file)
{
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "<string>");
}

/* ------------------------------------------------------------------------ */
/* Pure leaf parsers                                                         */

/* parse_ipv4 - s[0..len) as exactly four dot-separated decimal octets. */
static bool parse_ipv4(const char *s, size_t len, uint32_t *ip)
{
	uint32_t v = 0;
	size_t pos = 0;
	for (unsigned part = 0; part < 4; part++) {
		size_t start = pos;
		uint32_t octet;
		while (pos < len && s[pos] != '.')
			pos++;
		if (pos - start > 3 || yl_parse_decimal(s + start, pos - start, 255, &octet) != NUM_OK)
			return false;
		v = (v << 8) | octet;
		if (part < 3) {
			if (pos == len)
				return false;
			pos++; /* the dot */
		}
	}
	*ip = v;
	return pos == len;
}

/* parse_port - s[0..len) as a port 1..65535. */
static bool parse_port(const char *s, size_t len, uint16_t *port)
{
	uint32_t v;
	if (yl_parse_decimal(s, len, 65535, &v) != NUM_OK || v == 0)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* Address forms a caller accepts; a plain "ip" is accepted unless ADDR_NEED_PORT. */
enum { ADDR_PREFIX = 1u, ADDR_PORT = 2u, ADDR_NEED_PORT = 4u };

struct addr {
	uint32_t ip;
	uint8_t prefix_len; /* 32 unless "/n" was given */
	uint16_t port;      /* 0 unless ":n" was given */
};

static const char *parse_prefix(const char *s, struct addr *a)
{
	uint32_t n;
	uint32_t mask;
	if (yl_parse_decimal(s, strlen(s), 32, &n) != NUM_OK)
		return "the prefix length must be 0..32";
	mask = n == 0 ? 0u : ~0u << (32 - n);
	if ((a->ip & ~mask) != 0)
		return "the address has bits set beyond the prefix length";
	a->prefix_len = (uint8_t)n;
	return NULL;
}

/* parse_addr - "ip", "ip/prefix" or "ip:port", restricted by forms.  Returns
 * NULL on success, else what is wrong. */
static const char *parse_addr(const char *s, unsigned forms, struct addr *a)
{
	size_t ip_len = strcspn(s, "/:");
	a->prefix_len = 32;
	a->port = 0;
	if (!parse_ipv4(s, ip_len, &a->ip))
		return "not a dotted-quad IPv4 address";
	if (s[ip_len] == '\0')
		return (forms & ADDR_NEED_PORT) ? "a port is required (ip:port)" : NULL;
	if (s[ip_len] == '/') {
		if (!(forms & ADDR_PREFIX))
			return "a prefix length is not allowed here";
		return parse_prefix(s + ip_len + 1, a);
	}
	if (!(forms & (ADDR_PORT | ADDR_NEED_PORT)))
		return "a port is not allowed here";
	if (!parse_port(s + ip_len + 1, strlen(s + ip_len + 1), &a->port))
		return "the port must be 1..65535";
	return NULL;
}

/* parse_port_range - "a-b" or "a", 1 <= a <= b <= 65535. */
static bool parse_port_range(const char *s, uint16_t *min, uint16_t *max)
{
	const char *dash = strchr(s, '-');
	if (!dash) {
		if (!parse_port(s, strlen(s), min))
			return false;
		*max = *min;
		return true;
	}
	return parse_port(s, (size_t)(dash - s), min) &&
	       parse_port(dash + 1, strlen(dash + 1), max) && *min <= *max;
}

/* name_ok - non-empty, [a-z0-9-] plus [A-Z_] when packet is set. */
static bool name_ok(const char *s, bool packet)
{
	if (s[0] == '\0')
		return false;
	for (const char *c = s; *c != '\0'; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-';
		if (packet)
			ok = ok || (*c >= 'A' && *c <= 'Z') || *c == '_';
		if (!ok)
			return false;
	}
	return true;
}
static int load_cpu(struct loader *ld, yaml_node_t *n, const char *path, uint32_t *out)
{
	char text[VALUE_LEN];
	enum num_result r;
	if (yl_scalar_text(ld, n, path, text, sizeof(text)) != 0)
		return -1;
	r = yl_parse_decimal(text, strlen(text), CPU_MAX, out);
	if (r == NUM_SYNTAX)
		return yl_fail(ld, n, path, "'%s' is not a decimal integer", text);
	if (r == NUM_RANGE)
		return yl_fail(ld, n, path, "'%s' is out of range (cpu must be 0..%d)", text, CPU_MAX);
	return 0;
}

static int load_proto(struct loader *ld, yaml_node_t *n, const char *path, enum nf_proto *out)
{
	if (yl_want_type(ld, n, YAML_SCALAR_NODE, path) != 0)
		return -1;
	if (yl_scalar_is(n, "udp"))
		*out = PROTO_UDP;
	else if (yl_scalar_is(n, "tcp"))
		*out = PROTO_TCP;
	else
		return yl_fail(ld, n, path, "unknown protocol (udp or tcp)");
	return 0;
}

static const char *const hook_names[HOOK_COUNT] = {
	[HOOK_PREROUTING] = "prerouting",
	[HOOK_OUTPUT] = "output",
	[HOOK_POSTROUTING] = "postrouting",
	[HOOK_INPUT] = "input",
};

#define HOOK_BIT(h) (1u << (unsigned)(h))
#define HOOKS_LOCAL (HOOK_BIT(HOOK_PREROUTING) | HOOK_BIT(HOOK_OUTPUT))
#define HOOKS_ALL (HOOKS_LOCAL | HOOK_BIT(HOOK_POSTROUTING) | HOOK_BIT(HOOK_INPUT))

/* load_hook - a hook name whose bit is in allowed. */
static int load_hook(struct loader *ld, yaml_node_t *n, const char *path, unsigned allowed,
		     enum nf_hook *out)
{
	if (yl_want_type(ld, n, YAML_SCALAR_NODE, path) != 0)
		return -1;
	for (unsigned h = 0; h < HOOK_COUNT; h++) {
		if ((allowed & HOOK_BIT(h)) && yl_scalar_is(n, hook_names[h])) {
			*out = (enum nf_hook)h;
			return 0;
		}
	}
	if (allowed == HOOKS_ALL)
		return yl_fail(ld, n, path, "unknown hook (prerouting, output, postrouting or input)");
	return yl_fail(ld, n, path, "hook must be prerouting or output");
}

/* load_addr - an address in one of forms (see parse_addr). */
static int load_addr(struct loader *ld, yaml_node_t *n, const char *path, unsigned forms,
		     struct addr *out)
{
	char text[VALUE_LEN];
	const char *problem;
	if (yl_scalar_text(ld, n, path, text, sizeof(text)) != 0)
		return -1;
	problem = parse_addr(text, forms, out);
	if (problem != NULL)
		return yl_fail(ld, n, path, "invalid address '%s': %s", text, problem);
	return 0;
}

/* load_preset - a known kernel preset name, copied into out[SCENARIO_PRESET_NAME_MAX]. */
static int load_preset(struct loader *ld, yaml_node_t *n, const char *path, char *out)
{
	char text[VALUE_LEN];
	if (yl_scalar_text(ld, n, path, text, sizeof(text)) != 0)
		return -1;
	if (nf_preset_lookup(text) == NULL)
		return yl_fail(ld, n, path, "unknown kernel preset '%s'", text);
	if (strlen(text) >= SCENARIO_PRESET_NAME_MAX)
		return yl_fail(ld, n, path, "preset name longer than %d characters",
			    SCENARIO_PRESET_NAME_MAX - 1);
	memcpy(out, text, strlen(text) + 1);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* nat: and notrack:                                                         */

enum { MATCH_PROTO, MATCH_SRC, MATCH_DST, MATCH_FIELDS };
static const struct field match_fields[MATCH_FIELDS] = {
	{"proto", false}, {"src", false}, {"dst", false},
};

static int load_match_addr(struct loader *ld, yaml_node_t *n, const char *path,
			   struct scenario_addr_match *out)
{
	struct addr a;
	if (load_addr(ld, n, path, ADDR_PREFIX | ADDR_PORT, &a) != 0)
		return -1;
	out->present = true;
	out->ip = a.ip;
	out->prefix_len = a.prefix_len;
	out->port = a.port;
	return 0;
}

/* load_match - {proto, src, dst}, all optional; absent ones match anything. */
static int load_match(struct loader *ld, yaml_node_t *n, const char *path, struct scenario_match *m)
{
	struct fields f;
	char p[PATH_LEN];
	if (yl_map_fields(ld, n, path, match_fields, MATCH_FIELDS, &f) != 0)
		return -1;
	if (f.value[MATCH_PROTO] &&
	    load_proto(ld, f.value[MATCH_PROTO], yl_path_key(p, path, "proto"), &m->proto) != 0)
		return -1;
	if (f.value[MATCH_SRC] &&
	    load_match_addr(ld, f.value[MATCH_SRC], yl_path_key(p, path, "src"), &m->src) != 0)
		return -1;
	if (f.value[MATCH_DST] &&
	    load_match_addr(ld, f.value[MATCH_DST], yl_path_key(p, path, "dst"), &m->dst) != 0)
		return -1;
	return 0;
}

static int load_target(struct loader *ld, yaml_node_t *n, const char *path,
		       struct scenario_endpoint *out)
{
	struct addr a;
	if (load_addr(ld, n, path, ADDR_PORT, &a) != 0)
		return -1;
	out->ip = a.ip;
	out->port = a.port;
	return 0;
}

/* load_dnat - one "ip[:port]" scalar, or a list of 1..SCENARIO_TARGETS_MAX. */
static int load_dnat(struct loader *ld, yaml_node_t *n, const char *path, struct scenario_rule *r)
{
	char p[PATH_LEN];
	size_t count;
	r->action = ACTION_DNAT;
	if (n->type == YAML_SCALAR_NODE) {
		r->target_count = 1;
		return load_target(ld, n, path, &r->targets[0]);
	}
	if (n->type == YAML_MAPPING_NODE)
		return yl_fail(ld, n, path, "expected a list or a scalar, found a mapping");
	if (yl_seq_items(ld, n, path, 1, SCENARIO_TARGETS_MAX, "dnat targets", &count) != 0)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (load_target(ld, yl_seq_item(ld, n, i), yl_path_index(p, path, i), &r->targets[i]) != 0)
			return -1;
	r->target_count = (uint32_t)count;
	return 0;
}

enum { SNAT_TO, SNAT_PORTS, SNAT_RANDOM, SNAT_RANDOM_FULLY, SNAT_FIELDS };
static const struct field snat_fields[SNAT_FIELDS] = {
	{"to", true}, {"ports", false}, {"random", false}, {"random-fully", false},
};

/* load_source_nat - the {to, ports, random, random-fully} of snat/masquerade. */
static int load_source_nat(struct loader *ld, yaml_node_t *n, const char *path,
			   struct scenario_rule *r)
{
	struct fields f;
	struct addr a;
	char p[PATH_LEN];
	char text[VALUE_LEN];
	if (yl_map_fields(ld, n, path, snat_fields, SNAT_FIELDS, &f) != 0)
		return -1;
	if (load_addr(ld, f.value[SNAT_TO], yl_path_key(p, path, "to"), 0, &a) != 0)
		return -1;
	r->to_ip = a.ip;
	if (f.value[SNAT_PORTS]) {
		if (yl_scalar_text(ld, f.value[SNAT_PORTS], yl_path_key(p, path, "ports"), text, sizeof(text)) != 0)
			return -1;
		if (!parse_port_range(text, &r->port_min, &r->port_max))
			return yl_fail(ld, f.value[SNAT_PORTS], p,
				    "invalid port range '%s' (a or a-b, 1 <= a <= b <= 65535)", text);
	}
	if (f.value[SNAT_RANDOM] &&
	    yl_load_bool(ld, f.value[SNAT_RANDOM], yl_path_key(p, path, "random"), &r->random) != 0)
		return -1;
	if (f.value[SNAT_RANDOM_FULLY] &&
	    yl_load_bool(ld, f.value[SNAT_RANDOM_FULLY], yl_path_key(p, path, "random-fully"),
		      &r->random_fully) != 0)
		return -1;
	return 0;
}

enum { RULE_HOOK, RULE_MATCH, RULE_DNAT, RULE_SNAT, RULE_MASQUERADE, RULE_FIELDS };
static const struct field rule_fields[RULE_FIELDS] = {
	{"hook", true}, {"match", false}, {"dnat", false}, {"snat", false}, {"masquerade", false},
};

/* rule_action - the single action key of a rule; a second one is reported at
 * whichever of the two comes later in the text. */
static int rule_action(struct loader *ld, yaml_node_t *n, const char *path,
		       const struct fields *f, size_t *action)
{
	char p[PATH_LEN];
	size_t first = RULE_FIELDS;
	for (size_t i = RULE_DNAT; i <= RULE_MASQUERADE; i++) {
		if (f->key[i] == NULL)
			continue;
		if (first == RULE_FIELDS) {
			first = i;
			continue;
		}
		size_t later = f->key[i]->start_mark.index > f->key[first]->start_mark.index ? i : first;
		size_t other = later == i ? first : i;
		return yl_fail(ld, f->key[later], yl_path_key(p, path, rule_fields[later].key),
			    "a rule takes exactly one action; it already has %s", rule_fields[other].key);
	}
	if (first == RULE_FIELDS)
		return yl_fail(ld, n, path, "the rule has no action (dnat, snat or masquerade)");
	*action = first;
	return 0;
}

/* load_rule - one nat rule: hook, optional match, exactly one action that
 * suits the hook (dnat before routing; snat in postrouting or input, the
 * nat INPUT chain; masquerade in postrouting only). */
static int load_rule(struct loader *ld, yaml_node_t *n, const char *path, struct scenario_rule *r)
{
	struct fields f;
	char p[PATH_LEN];
	size_t action = 0;
	if (yl_map_fields(ld, n, path, rule_fields, RULE_FIELDS, &f) != 0 ||
	    rule_action(ld, n, path, &f, &action) != 0 ||
	    load_hook(ld, f.value[RULE_HOOK], yl_path_key(p, path, "hook"), HOOKS_ALL, &r->hook) != 0)
		return -1;
	if (f.value[RULE_MATCH] &&
	    load_match(ld, f.value[RULE_MATCH], yl_path_key(p, path, "match"), &r->match) != 0)
		return -1;
	yl_path_key(p, path, rule_fields[action].key);
	if (action == RULE_DNAT) {
		if (r->hook == HOOK_POSTROUTING || r->hook == HOOK_INPUT)
			return yl_fail(ld, f.key[action], p, "dnat is only allowed in prerouting and output");
		return load_dnat(ld, f.value[action], p, r);
	}
	if (action == RULE_SNAT && r->hook != HOOK_POSTROUTING && r->hook != HOOK_INPUT)
		return yl_fail(ld, f.key[action], p, "snat is only allowed in postrouting and input");
	if (action == RULE_MASQUERADE && r->hook != HOOK_POSTROUTING)
		return yl_fail(ld, f.key[action], p, "masquerade is only allowed in postrouting");
	r->action = action == RULE_SNAT ? ACTION_SNAT : ACTION_MASQUERADE;
	return load_source_nat(ld, f.value[action], p, r);
}

static const struct field nat_fields[] = {{"rules", false}};

/* load_nat - nat: {rules: [...]}; its presence alone turns the nat table on. */
static int load_nat(struct loader *ld, yaml_node_t *n, const char *path)
{
	struct fields f;
	char p[PATH_LEN];
	char item[PATH_LEN];
	size_t count = 0;
	if (yl_map_fields(ld, n, path, nat_fields, 1, &f) != 0)
		return -1;
	ld->out->nat_table = true;
	if (f.value[0] == NULL)
		return 0;
	yl_path_key(p, path, "rules");
	if (yl_seq_items(ld, f.value[0], p, 0, SCENARIO_RULES_MAX, "rules", &count) != 0)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (load_rule(ld, yl_seq_item(ld, f.value[0], i), yl_path_index(item, p, i),
			      &ld->out->rules[i]) != 0)
			return -1;
	ld->out->rule_count = (uint32_t)count;
	return 0;
}

enum { NOTRACK_HOOK, NOTRACK_MATCH, NOTRACK_FIELDS };
static const struct field notrack_fields[NOTRACK_FIELDS] = {{"hook", true}, {"match", false}};

static int load_notrack_one(struct loader *ld, yaml_node_t *n, const char *path,
			    struct scenario_notrack *nt)
{
	struct fields f;
	char p[PATH_LEN];
	if (yl_map_fields(ld, n, path, notrack_fields, NOTRACK_FIELDS, &f) != 0 ||
	    load_hook(ld, f.value[NOTRACK_HOOK], yl_path_key(p, path, "hook"), HOOKS_LOCAL, &nt->hook) != 0)
		return -1;
	if (f.value[NOTRACK_MATCH] &&
	    load_match(ld, f.value[NOTRACK_MATCH], yl_path_key(p, path, "match"), &nt->match) != 0)
		return -1;
	return 0;
}

static int load_notrack(struct loader *ld, yaml_node_t *n, const char *path)
{
	char p[PATH_LEN];
	size_t count = 0;
	if (yl_seq_items(ld, n, path, 0, SCENARIO_NOTRACK_MAX, "notrack entries", &count) != 0)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (load_notrack_one(ld, yl_seq_item(ld, n, i), yl_path_index(p, path, i),
				     &ld->out->notrack[i]) != 0)
			return -1;
	ld->out->notrack_count = (uint32_t)count;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* packets:                                                                  */

enum { PKT_NAME, PKT_CPU, PKT_HOOK, PKT_PROTO, PKT_SRC, PKT_DST, PKT_AFTER, PKT_SEND_NS, PKT_FIELDS };
static const struct field packet_fields[PKT_FIELDS] = {
	{"name", true}, {"cpu", true},  {"hook", true},   {"proto", true},
	{"src", true},  {"dst", true},  {"after", false}, {"send_ns", false},
};

static int load_packet_name(struct loader *ld, yaml_node_t *n, const char *path, size_t index)
{
	struct scenario_packet *pk = ld->out->packets;
	if (yl_scalar_text(ld, n, path, pk[index].name, sizeof(pk[index].name)) != 0)
		return -1;
	if (!name_ok(pk[index].name, true))
		return yl_fail(ld, n, path, "invalid packet name '%s' (letters, digits, '_' and '-')",
			    pk[index].name);
	for (size_t i = 0; i < index; i++)
		if (strcmp(pk[i].name, pk[index].name) == 0)
			return yl_fail(ld, n, path, "duplicate packet name (also packets[%zu])", i);
	return 0;
}

static int load_endpoint(struct loader *ld, yaml_node_t *n, const char *path,
			 struct scenario_endpoint *out)
{
	struct addr a;
	if (load_addr(ld, n, path, ADDR_NEED_PORT, &a) != 0)
		return -1;
	out->ip = a.ip;
	out->port = a.port;
	return 0;
}

/* load_packet - packets[index]; its `after` node (or NULL) goes to *after so
 * that it can be resolved once every name is known. */
static int load_packet(struct loader *ld, yaml_node_t *n, const char *path, size_t index,
		       yaml_node_t **after)
{
	struct scenario_packet *pk = &ld->out->packets[index];
	struct fields f;
	char p[PATH_LEN];
	if (yl_map_fields(ld, n, path, packet_fields, PKT_FIELDS, &f) != 0 ||
	    load_packet_name(ld, f.value[PKT_NAME], yl_path_key(p, path, "name"), index) != 0 ||
	    load_cpu(ld, f.value[PKT_CPU], yl_path_key(p, path, "cpu"), &pk->cpu) != 0 ||
	    load_hook(ld, f.value[PKT_HOOK], yl_path_key(p, path, "hook"), HOOKS_LOCAL, &pk->hook) != 0 ||
	    load_proto(ld, f.value[PKT_PROTO], yl_path_key(p, path, "proto"), &pk->proto) != 0 ||
	    load_endpoint(ld, f.value[PKT_SRC], yl_path_key(p, path, "src"), &pk->src) != 0 ||
	    load_endpoint(ld, f.value[PKT_DST], yl_path_key(p, path, "dst"), &pk->dst) != 0)
		return -1;
	if (f.value[PKT_SEND_NS] &&
	    yl_load_u32(ld, f.value[PKT_SEND_NS], yl_path_key(p, path, "send_ns"), 0, 1000000000u, &pk->send_ns) != 0)
		return -1;
	pk->after = -1;
	*after = f.value[PKT_AFTER];
	return 0;
}

/* resolve_after - packets[index].after = the index of the earlier packet that
 * node names.  Needs replies: true, since it waits for that packet's reply. */
static int resolve_after(struct loader *ld, yaml_node_t *node, const char *path, size_t index)
{
	char name[SCENARIO_NAME_MAX];
	if (yl_scalar_text(ld, node, path, name, sizeof(name)) != 0)
		return -1;
	if (!ld->out->replies)
		return yl_fail(ld, node, path, "after needs replies: true (it waits for a reply)");
	for (size_t i = 0; i < ld->out->packet_count; i++) {
		if (strcmp(ld->out->packets[i].name, name) != 0)
			continue;
		if (i >= index)
			return yl_fail(ld, node, path, "'%s' is not an earlier packet", name);
		ld->out->packets[index].after = (int32_t)i;
		return 0;
	}
	return yl_fail(ld, node, path, "no packet is named '%s'", name);
}

static int load_packets(struct loader *ld, yaml_node_t *n, const char *path)
{
	yaml_node_t *after[SCENARIO_PACKETS_MAX];
	char p[PATH_LEN];
	size_t count = 0;
	if (yl_seq_items(ld, n, path, 1, SCENARIO_PACKETS_MAX, "packets", &count) != 0)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (load_packet(ld, yl_seq_item(ld, n, i), yl_path_index(p, path, i), i, &after[i]) != 0)
			return -1;
	ld->out->packet_count = (uint32_t)count;
	for (size_t i = 0; i < count; i++) {
		char q[PATH_LEN];
		if (after[i] != NULL &&
		    resolve_after(ld, after[i], yl_path_key(q, yl_path_index(p, path, i), "after"), i) != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* expect: and the top level                                                 */

static int load_verdict(struct loader *ld, yaml_node_t *v, const char *path, enum expect_verdict *out)
{
	if (yl_scalar_is(v, "ok"))
		*out = EXPECT_OK;
	else if (yl_scalar_is(v, "drop"))
		*out = EXPECT_DROP;
	else
		return yl_fail(ld, v, path, "expected ok or drop");
	return 0;
}

static const struct field expect_fields[] = {{"packets", true}, {"destroy", false}};

/* load_expect_map - {packets: ok|drop, destroy: lost|delivered|pending}, for events scenarios. */
static int load_expect_map(struct loader *ld, yaml_node_t *v, const char *path, struct scenario_expect *e)
{
	struct fields f;
	char p[PATH_LEN];
	if (yl_map_fields(ld, v, path, expect_fields, 2, &f) != 0 ||
	    yl_want_type(ld, f.value[0], YAML_SCALAR_NODE, yl_path_key(p, path, "packets")) != 0 ||
	    load_verdict(ld, f.value[0], p, &e->verdict) != 0)
		return -1;
	if (!f.value[1])
		return 0;
	yl_path_key(p, path, "destroy");
	if (yl_want_type(ld, f.value[1], YAML_SCALAR_NODE, p) != 0)
		return -1;
	if (yl_scalar_is(f.value[1], "lost"))
		e->destroy = EXPECT_DESTROY_LOST;
	else if (yl_scalar_is(f.value[1], "delivered"))
		e->destroy = EXPECT_DESTROY_DELIVERED;
	else if (yl_scalar_is(f.value[1], "pending"))
		e->destroy = EXPECT_DESTROY_PENDING;
	else
		return yl_fail(ld, f.value[1], p, "expected lost, delivered or pending");
	if (!ld->out->events.present)
		return yl_fail(ld, f.value[1], p, "destroy: needs an events: section");
	return 0;
}

static int load_expect_one(struct loader *ld, const yaml_node_pair_t *pair, const char *path,
			   struct scenario_expect *e)
{
	yaml_node_t *k = yl_node_at(ld, pair->key);
	yaml_node_t *v = yl_node_at(ld, pair->value);
	char label[PATH_LEN];
	char p[PATH_LEN];
	if (k->type != YAML_SCALAR_NODE)
		return yl_fail(ld, k, path, "a key must be a scalar, found %s", yl_node_kind(k));
	yl_path_key(p, path, yl_key_label(k, label));
	if (load_preset(ld, k, p, e->kernel) != 0)
		return -1;
	if (ld->marks) {
		size_t i = (size_t)(e - ld->out->expect);
		ld->marks->expect_line[i] = (unsigned)k->start_mark.line + 1;
		ld->marks->expect_column[i] = (unsigned)k->start_mark.column + 1;
	}
	if (!nf_preset_applies(nf_preset_lookup(e->kernel), ld->out->events.present))
		return yl_fail(ld, k, p, "%s is an event-path preset; a packets: scenario cannot expect it", e->kernel);
	for (const struct scenario_expect *prev = ld->out->expect; prev < e; prev++)
		if (strcmp(prev->kernel, e->kernel) == 0)
			return yl_fail(ld, k, p, "duplicate key");
	if (v->type == YAML_MAPPING_NODE)
		return load_expect_map(ld, v, p, e);
	if (yl_want_type(ld, v, YAML_SCALAR_NODE, p) != 0)
		return -1;
	return load_verdict(ld, v, p, &e->verdict);
}

/* load_expect - preset name -> ok | drop, at most SCENARIO_EXPECT_MAX. */
static int load_expect(struct loader *ld, yaml_node_t *n, const char *path)
{
	char label[PATH_LEN];
	char p[PATH_LEN];
	size_t count;
	if (yl_want_type(ld, n, YAML_MAPPING_NODE, path) != 0)
		return -1;
	count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (count > SCENARIO_EXPECT_MAX) {
		yaml_node_t *k = yl_node_at(ld, n->data.mapping.pairs.start[SCENARIO_EXPECT_MAX].key);
		if (k->type == YAML_SCALAR_NODE)
			yl_path_key(p, path, yl_key_label(k, label));
		return yl_fail(ld, k, k->type == YAML_SCALAR_NODE ? p : path,
			    "too many expectations (at most %d)", SCENARIO_EXPECT_MAX);
	}
	for (size_t i = 0; i < count; i++)
		if (load_expect_one(ld, &n->data.mapping.pairs.start[i], path, &ld->out->expect[i]) != 0)
			return -1;
	ld->out->expect_count = (uint32_t)count;
	return 0;
}

enum { TOP_NAME, TOP_DESCRIPTION, TOP_KERNEL, TOP_NAT, TOP_NOTRACK, TOP_PACKETS, TOP_REPLIES,
       TOP_EXPECT, TOP_TIMING, TOP_EVENTS, TOP_FIELDS };
static const struct field top_fields[TOP_FIELDS] = {
	{"name", true},     {"description", false}, {"kernel", false},  {"nat", false},
	{"notrack", false}, {"packets", false},     {"replies", false}, {"expect", false},
	{"timing", false},  {"events", false},
};

/* load_top - the top-level mapping.  replies is read before packets because
 * resolving `after` depends on it. */
static int load_top(struct loader *ld, yaml_node_t *root)
{
	struct scenario *s = ld->out;
	struct fields f;
	yaml_node_t **v = f.value;
	if (yl_map_fields(ld, root, "", top_fields, TOP_FIELDS, &f) != 0 ||
	    yl_scalar_text(ld, v[TOP_NAME], "name", s->name, sizeof(s->name)) != 0)
		return -1;
	if (!name_ok(s->name, false))
		return yl_fail(ld, v[TOP_NAME], "name",
			    "invalid scenario name '%s' (lower-case letters, digits and '-')", s->name);
	if ((v[TOP_DESCRIPTION] && yl_scalar_text(ld, v[TOP_DESCRIPTION], "description", s->description,
					       sizeof(s->description)) != 0) ||
	    (v[TOP_KERNEL] && load_preset(ld, v[TOP_KERNEL], "kernel", s->kernel) != 0) ||
	    (v[TOP_REPLIES] && yl_load_bool(ld, v[TOP_REPLIES], "replies", &s->replies) != 0) ||
	    (v[TOP_NAT] && load_nat(ld, v[TOP_NAT], "nat") != 0) ||
	    (v[TOP_NOTRACK] && load_notrack(ld, v[TOP_NOTRACK], "notrack") != 0))
		return -1;
	if (!v[TOP_PACKETS] && !v[TOP_EVENTS])
		return yl_fail(ld, root, "packets", "missing required key (a scenario has packets: or events:)");
	if (v[TOP_PACKETS] && v[TOP_EVENTS])
		return yl_fail(ld, f.key[TOP_EVENTS], "events", "a scenario has packets: or events:, not both");
	if ((v[TOP_PACKETS] && load_packets(ld, v[TOP_PACKETS], "packets") != 0) ||
	    (v[TOP_EVENTS] && load_events(ld, v[TOP_EVENTS], "events") != 0) ||
	    (v[TOP_TIMING] && load_timing(ld, v[TOP_TIMING], "timing") != 0) ||
	    (v[TOP_EXPECT] && load_expect(ld, v[TOP_EXPECT], "expect") != 0))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Driving libyaml                                                           */

/* offset_mark - line/column (0-based) of byte offset in text, for reader
 * errors, which libyaml reports as an offset only. */
static yaml_mark_t offset_mark(const char *text, size_t len, size_t offset)
{
	yaml_mark_t m = {0, 0, 0};
	m.index = offset;
	for (size_t i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			m.line++;
			m.column = 0;
		} else {
			m.column++;
		}
	}
	return m;
}

/* parser_fail - turn the parser's error state into *err; returns -1. */
static int parser_fail(struct loader *ld, const yaml_parser_t *parser, const char *text, size_t len)
{
	yaml_mark_t m = parser->problem_mark;
	const char *problem = parser->problem ? parser->problem : "out of memory";
	if (parser->error == YAML_READER_ERROR) {
		m = offset_mark(text, len, parser->problem_offset);
		return yl_fail_mark(ld, m, "", "invalid input: %s (byte 0x%02x)", problem,
				 (unsigned)parser->problem_value & 0xffu);
	}
	if (parser->context != NULL)
		return yl_fail_mark(ld, m, "", "%s (%s started at line %u, column %u)", problem,
				 parser->context, (unsigned)parser->context_mark.line + 1,
				 (unsigned)parser->context_mark.column + 1);
	return yl_fail_mark(ld, m, "", "%s", problem);
}

/* load_document - the single document of the stream, validated into ld->out. */
static int load_document(struct loader *ld, yaml_document_t *doc)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	ld->doc = doc;
	if (root == NULL)
		return yl_fail_mark(ld, doc->start_mark, "",
				 "the document is empty (a scenario needs at least name and packets)");
	if (root->type != YAML_MAPPING_NODE)
		return yl_fail(ld, root, "", "the top level must be a mapping, found %s", yl_node_kind(root));
	return load_top(ld, root);
}

/* no_second_document - fail when the stream holds anything after the first document. */
static int no_second_document(struct loader *ld, yaml_parser_t *parser, const char *text,
			      size_t len)
{
	yaml_document_t next;
	int rc = 0;
	if (!yaml_parser_load(parser, &next))
		return parser_fail(ld, parser, text, len);
	if (yaml_document_get_root_node(&next) != NULL)
		rc = yl_fail_mark(ld, next.start_mark, "", "only one YAML document is allowed");
	yaml_document_delete(&next);
	return rc;
}

static int load_stream(struct loader *ld, yaml_parser_t *parser, const char *text, size_t len)
{
	yaml_document_t doc;
	int rc;
	if (!yaml_parser_load(parser, &doc))
		return parser_fail(ld, parser, text, len);
	rc = load_document(ld, &doc);
	yaml_document_delete(&doc);
	if (rc != 0)
		return rc;
	return no_second_document(ld, parser, text, len);
}

/* prescan - libyaml's events, before it builds a document: nesting deeper
 * than NEST_MAX, more anchors or aliases, or more nodes than the format
 * could use, is refused at the event that crosses the line, so that no file
 * within the size limit makes libyaml work long (its scanner's work grows
 * with the square of the nesting, its anchor look-ups with the square of
 * the anchors, and a document of a million nodes takes a while to build).
 * Syntax errors are reported as the load would. */
static int prescan(struct loader *ld, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	uint32_t depth = 0, anchors = 0, aliases = 0, nodes = 0;
	int rc = 0;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(ld->err->message, sizeof(ld->err->message), "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (bool done = false; !done && rc == 0;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_fail(ld, &parser, text, len);
			break;
		}
		bool opens = ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT;
		const yaml_char_t *anchor = ev.type == YAML_SCALAR_EVENT	 ? ev.data.scalar.anchor
					    : ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
					    : ev.type == YAML_MAPPING_START_EVENT  ? ev.data.mapping_start.anchor
										  : NULL;
		bool is_node = opens || ev.type == YAML_SCALAR_EVENT || ev.type == YAML_ALIAS_EVENT;
		if (is_node && ++nodes > NODES_MAX)
			rc = yl_fail_mark(ld, ev.start_mark, "", "more than %d values (lists, mappings and scalars)", NODES_MAX);
		else if (opens && ++depth > NEST_MAX)
			rc = yl_fail_mark(ld, ev.start_mark, "", "nested deeper than %d levels", NEST_MAX);
		else if (anchor && ++anchors > ANCHORS_MAX)
			rc = yl_fail_mark(ld, ev.start_mark, "", "more than %d anchors", ANCHORS_MAX);
		else if (ev.type == YAML_ALIAS_EVENT && ++aliases > ALIASES_MAX)
			rc = yl_fail_mark(ld, ev.start_mark, "", "more than %d aliases", ALIASES_MAX);
		if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* load_text - scenario_load_string, with marks (may be NULL). */
static int load_text(const char *file_label, const char *text, size_t len, struct scenario *out,
		     struct scenario_marks *marks, struct scenario_error *err)
{
	struct loader ld = {NULL, err, out, marks};
	yaml_parser_t parser;
	int rc;
	if (marks)
		memset(marks, 0, sizeof(*marks));
	assert(out != NULL);
	assert(err != NULL);
	assert(text != NULL || len == 0);
	memset(out, 0, sizeof(*out));
	error_reset(err, file_label);
	if (text == NULL)
		text = "";
	if (prescan(&ld, text, len) != 0)
		return -1;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err->message, sizeof(err->message), "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	rc = load_stream(&ld, &parser, text, len);
	yaml_parser_delete(&parser);
	if (rc != 0) {
		memset(out, 0, sizeof(*out));
		if (marks)
			memset(marks, 0, sizeof(*marks));
	}
	return rc;
}

int scenario_load_string(const char *file_label, const char *text, size_t len,
			 struct scenario *out, struct scenario_error *err)
{
	return load_text(file_label, text, len, out, NULL, err);
}

/* The message of a file that cannot be read (scenario_read_input's errno). */
static const char *read_problem(int e)
{
	switch (e) {
	case EFBIG:
		return "the file is larger than 1 MiB (1048576 bytes)";
	case ETIMEDOUT:
		return "nothing came through the FIFO or pipe for 5 s (no writer)";
	case EISDIR:
		return "it is a directory";
	case EINVAL:
		return "it is a socket";
	default:
		return strerror(e);
	}
}

int scenario_load_file(const char *path, struct scenario *out, struct scenario_error *err)
{
	return scenario_load_file_marks(path, out, NULL, err);
}

int scenario_load_file_marks(const char *path, struct scenario *out, struct scenario_marks *marks,
			     struct scenario_error *err)
{
	char *data = NULL;
	size_t len = 0;
	assert(path != NULL);
	assert(out != NULL);
	assert(err != NULL);
	memset(out, 0, sizeof(*out));
	error_reset(err, path);
	int e = scenario_read_input(path, FILE_SIZE_MAX, &data, &len);
	if (marks)
		memset(marks, 0, sizeof(*marks));
	if (e != 0) {
		snprintf(err->message, sizeof(err->message), "cannot read file: %s", read_problem(e));
		err->read_errno = e;
		return -1;
	}
	int rc = load_text(path, data, len, out, marks, err);
	free(data);
	return rc;
}

void scenario_error_format(const struct scenario_error *err, char *buf, size_t size)
{
	assert(err != NULL);
	if (size == 0)
		return;
	int n;
	char file[4 * sizeof(err->file)], key[4 * sizeof(err->key)], message[4 * sizeof(err->message)];
	assert(buf != NULL);
	scenario_escape(err->file, file, sizeof(file));
	scenario_escape(err->key, key, sizeof(key));
	scenario_escape(err->message, message, sizeof(message));
	if (err->key[0] != '\0')
		n = snprintf(buf, size, "%s:%u:%u: %s: %s", file, err->line, err->column, key, message);
	else
		n = snprintf(buf, size, "%s:%u:%u: %s", file, err->line, err->column, message);
	if (n < 0)
		buf[0] = '\0';
}
