/*
 * scenario_load_time.c - the timing: and events: sections of a scenario.
 *
 * timing: turns a packet-race scenario into timelines: the cost of the code
 * before each yield, by kernel function, a jitter, the round trip, and an
 * optional query rate for the timeouts-per-hour prediction.
 * events: describes a workload in virtual time for the event-path model:
 * flows arriving at a rate, the table size, a flush, and ctnetlink listeners.
 * Same rules as the rest of the loader: fixed key tables, strict decimals,
 * the first error wins and names file, line, column and key.
 */
#include "scenario_load_time.h"

#include <string.h>

enum { TIMING_JITTER, TIMING_DEFAULT, TIMING_RTT, TIMING_QPS, TIMING_COST, TIMING_FIELDS };
static const struct field timing_fields[TIMING_FIELDS] = {
	{"jitter_percent", false}, {"default_ns", false}, {"round_trip_ns", false},
	{"queries_per_s", false},  {"cost_ns", false},
};

static int load_costs(struct loader *ld, yaml_node_t *n, const char *path, struct scenario_timing *t)
{
	char p[PATH_LEN], label[PATH_LEN];
	if (yl_want_type(ld, n, YAML_MAPPING_NODE, path) != 0)
		return -1;
	for (yaml_node_pair_t *pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yl_node_at(ld, pair->key);
		if (k->type != YAML_SCALAR_NODE)
			return yl_fail(ld, k, path, "a key must be a scalar");
		yl_path_key(p, path, yl_key_label(k, label));
		if (t->cost_count == SCENARIO_COSTS_MAX)
			return yl_fail(ld, k, p, "too many costs (at most %d)", SCENARIO_COSTS_MAX);
		struct scenario_cost *c = &t->costs[t->cost_count];
		if (yl_scalar_text(ld, k, p, c->function, sizeof(c->function)) != 0)
			return -1;
		for (uint32_t i = 0; i < t->cost_count; i++)
			if (strcmp(t->costs[i].function, c->function) == 0)
				return yl_fail(ld, k, p, "duplicate key");
		if (yl_load_u32(ld, yl_node_at(ld, pair->value), p, 0, 1000000000u, &c->ns) != 0)
			return -1;
		t->cost_count++;
	}
	return 0;
}

int load_timing(struct loader *ld, yaml_node_t *n, const char *path)
{
	struct scenario_timing *t = &ld->out->timing;
	struct fields f;
	char p[PATH_LEN];
	yaml_node_t **v = f.value;
	if (yl_map_fields(ld, n, path, timing_fields, TIMING_FIELDS, &f) != 0)
		return -1;
	if (ld->out->events.present)
		return yl_fail(ld, n, path, "timing: applies to packets:, not to events:");
	t->present = true;
	t->default_ns = 100;
	if ((v[TIMING_JITTER] &&
	     yl_load_u32(ld, v[TIMING_JITTER], yl_path_key(p, path, "jitter_percent"), 0, 100, &t->jitter_percent)) ||
	    (v[TIMING_DEFAULT] &&
	     yl_load_u32(ld, v[TIMING_DEFAULT], yl_path_key(p, path, "default_ns"), 0, 1000000000u, &t->default_ns)) ||
	    (v[TIMING_RTT] &&
	     yl_load_u32(ld, v[TIMING_RTT], yl_path_key(p, path, "round_trip_ns"), 0, 4000000000u, &t->round_trip_ns)) ||
	    (v[TIMING_QPS] &&
	     yl_load_u32(ld, v[TIMING_QPS], yl_path_key(p, path, "queries_per_s"), 0, 10000000u, &t->queries_per_s)) ||
	    (v[TIMING_COST] && load_costs(ld, v[TIMING_COST], yl_path_key(p, path, "cost_ns"), t)))
		return -1;
	return 0;
}

enum { FL_RATE, FL_ARRIVAL, FL_COUNT, FL_START, FL_REPLIES, FL_REPLY_AFTER, FL_SEED, FL_FIELDS };
static const struct field flow_fields[FL_FIELDS] = {
	{"rate_per_s", true}, {"arrival", false},        {"count", false}, {"start_ms", false},
	{"replies", false},   {"reply_after_us", false}, {"seed", false},
};

static int load_flows(struct loader *ld, yaml_node_t *n, const char *path, struct scenario_events *e)
{
	struct fields f;
	char p[PATH_LEN];
	yaml_node_t **v = f.value;
	if (yl_map_fields(ld, n, path, flow_fields, FL_FIELDS, &f) != 0 ||
	    yl_load_u32(ld, v[FL_RATE], yl_path_key(p, path, "rate_per_s"), 1, 1000000u, &e->flow_rate_per_s) ||
	    (v[FL_COUNT] && yl_load_u32(ld, v[FL_COUNT], yl_path_key(p, path, "count"), 1, 10000000u, &e->flow_count)) ||
	    (v[FL_START] &&
	     yl_load_u32(ld, v[FL_START], yl_path_key(p, path, "start_ms"), 0, 86400000u, &e->flows_start_ms)) ||
	    (v[FL_REPLIES] && yl_load_bool(ld, v[FL_REPLIES], yl_path_key(p, path, "replies"), &e->flow_replies)) ||
	    (v[FL_REPLY_AFTER] && yl_load_u32(ld, v[FL_REPLY_AFTER], yl_path_key(p, path, "reply_after_us"), 1,
					      60000000u, &e->reply_after_us)) ||
	    (v[FL_SEED] && yl_load_u32(ld, v[FL_SEED], yl_path_key(p, path, "seed"), 0, 0xffffffffu, &e->seed)))
		return -1;
	e->arrival = ARRIVAL_FIXED;
	if (v[FL_ARRIVAL]) {
		yl_path_key(p, path, "arrival");
		if (yl_want_type(ld, v[FL_ARRIVAL], YAML_SCALAR_NODE, p) != 0)
			return -1;
		if (yl_scalar_is(v[FL_ARRIVAL], "poisson"))
			e->arrival = ARRIVAL_POISSON;
		else if (!yl_scalar_is(v[FL_ARRIVAL], "fixed"))
			return yl_fail(ld, v[FL_ARRIVAL], p, "expected fixed or poisson");
	}
	return 0;
}

enum { MB_NEW, MB_UPDATE, MB_DESTROY, MB_FIELDS };
static const struct field msg_fields[MB_FIELDS] = {{"new", false}, {"update", false}, {"destroy", false}};

static int load_msg_bytes(struct loader *ld, yaml_node_t *n, const char *path, struct scenario_events *e)
{
	struct fields f;
	char p[PATH_LEN];
	yaml_node_t **v = f.value;
	if (yl_map_fields(ld, n, path, msg_fields, MB_FIELDS, &f) != 0 ||
	    (v[MB_NEW] && yl_load_u32(ld, v[MB_NEW], yl_path_key(p, path, "new"), 1, 65536, &e->msg_bytes_new)) ||
	    (v[MB_UPDATE] &&
	     yl_load_u32(ld, v[MB_UPDATE], yl_path_key(p, path, "update"), 1, 65536, &e->msg_bytes_update)) ||
	    (v[MB_DESTROY] &&
	     yl_load_u32(ld, v[MB_DESTROY], yl_path_key(p, path, "destroy"), 1, 65536, &e->msg_bytes_destroy)))
		return -1;
	return 0;
}

enum { LS_NAME, LS_KIND, LS_RELIABLE, LS_RCVBUF, LS_RCVBUF_MAX, LS_DRAIN, LS_RESYNC, LS_FIELDS };
static const struct field listener_fields[LS_FIELDS] = {
	{"name", true},        {"kind", true},         {"reliable", false}, {"rcvbuf", true},
	{"rcvbuf_max", false}, {"drain_per_s", true}, {"resync_ms", false},
};

static int load_listener(struct loader *ld, yaml_node_t *n, const char *path, struct scenario_listener *l)
{
	struct fields f;
	char p[PATH_LEN];
	yaml_node_t **v = f.value;
	if (yl_map_fields(ld, n, path, listener_fields, LS_FIELDS, &f) != 0 ||
	    yl_scalar_text(ld, v[LS_NAME], yl_path_key(p, path, "name"), l->name, sizeof(l->name)) != 0)
		return -1;
	yl_path_key(p, path, "kind");
	if (yl_want_type(ld, v[LS_KIND], YAML_SCALAR_NODE, p) != 0)
		return -1;
	if (yl_scalar_is(v[LS_KIND], "conntrack-E"))
		l->kind = LISTENER_CONNTRACK_E;
	else if (yl_scalar_is(v[LS_KIND], "conntrackd"))
		l->kind = LISTENER_CONNTRACKD;
	else
		return yl_fail(ld, v[LS_KIND], p, "expected conntrack-E or conntrackd");
	if ((v[LS_RELIABLE] && yl_load_bool(ld, v[LS_RELIABLE], yl_path_key(p, path, "reliable"), &l->reliable)) ||
	    yl_load_u32(ld, v[LS_RCVBUF], yl_path_key(p, path, "rcvbuf"), 1, 1u << 30, &l->rcvbuf) ||
	    (v[LS_RCVBUF_MAX] &&
	     yl_load_u32(ld, v[LS_RCVBUF_MAX], yl_path_key(p, path, "rcvbuf_max"), 1, 1u << 30, &l->rcvbuf_max)) ||
	    yl_load_u32(ld, v[LS_DRAIN], yl_path_key(p, path, "drain_per_s"), 0, 100000000u, &l->drain_per_s) ||
	    (v[LS_RESYNC] &&
	     yl_load_u32(ld, v[LS_RESYNC], yl_path_key(p, path, "resync_ms"), 1, 86400000u, &l->resync_ms)))
		return -1;
	if (l->reliable && l->kind != LISTENER_CONNTRACKD)
		return yl_fail(ld, v[LS_RELIABLE], yl_path_key(p, path, "reliable"),
			       "reliable mode is a conntrackd setting (NetlinkEventsReliable)");
	if (l->rcvbuf_max && l->rcvbuf_max < l->rcvbuf)
		return yl_fail(ld, v[LS_RCVBUF_MAX], yl_path_key(p, path, "rcvbuf_max"), "smaller than rcvbuf");
	return 0;
}

static int load_listeners(struct loader *ld, yaml_node_t *n, const char *path, struct scenario_events *e)
{
	char p[PATH_LEN];
	size_t count;
	if (yl_seq_items(ld, n, path, 1, SCENARIO_LISTENERS_MAX, "listeners", &count) != 0)
		return -1;
	for (size_t i = 0; i < count; i++) {
		yl_path_index(p, path, i);
		if (load_listener(ld, yl_seq_item(ld, n, i), p, &e->listeners[i]) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(e->listeners[j].name, e->listeners[i].name) == 0)
				return yl_fail(ld, yl_seq_item(ld, n, i), p, "duplicate listener name '%s'",
					       e->listeners[i].name);
	}
	e->listener_count = (uint32_t)count;
	return 0;
}

enum { EV_DURATION, EV_MAX, EV_BUCKETS, EV_FLOWS, EV_UDP_TIMEOUT, EV_FLUSH, EV_MSG, EV_TICK, EV_LISTENERS,
       EV_FIELDS };
static const struct field events_fields[EV_FIELDS] = {
	{"duration_ms", true},   {"nf_conntrack_max", true}, {"buckets", false},
	{"flows", true},         {"udp_timeout_s", false},   {"flush_at_ms", false},
	{"message_bytes", false}, {"drain_tick_ms", false},  {"listeners", false},
};

int load_events(struct loader *ld, yaml_node_t *n, const char *path)
{
	struct scenario_events *e = &ld->out->events;
	struct fields f;
	char p[PATH_LEN];
	yaml_node_t **v = f.value;
	if (yl_map_fields(ld, n, path, events_fields, EV_FIELDS, &f) != 0)
		return -1;
	e->present = true;
	e->udp_timeout_s = 30;
	e->msg_bytes_new = e->msg_bytes_update = e->msg_bytes_destroy = 1024;
	e->drain_tick_ms = 10;
	e->reply_after_us = 500;
	e->seed = 1;
	if (yl_load_u32(ld, v[EV_DURATION], yl_path_key(p, path, "duration_ms"), 1, 86400000u, &e->duration_ms) ||
	    yl_load_u32(ld, v[EV_MAX], yl_path_key(p, path, "nf_conntrack_max"), 1, 4000000u, &e->nf_conntrack_max) ||
	    (v[EV_BUCKETS] && yl_load_u32(ld, v[EV_BUCKETS], yl_path_key(p, path, "buckets"), 1, 4000000u, &e->buckets)) ||
	    load_flows(ld, v[EV_FLOWS], yl_path_key(p, path, "flows"), e) ||
	    (v[EV_UDP_TIMEOUT] &&
	     yl_load_u32(ld, v[EV_UDP_TIMEOUT], yl_path_key(p, path, "udp_timeout_s"), 1, 86400, &e->udp_timeout_s)) ||
	    (v[EV_FLUSH] && yl_load_u32(ld, v[EV_FLUSH], yl_path_key(p, path, "flush_at_ms"), 0, e->duration_ms,
					&e->flush_at_ms)) ||
	    (v[EV_MSG] && load_msg_bytes(ld, v[EV_MSG], yl_path_key(p, path, "message_bytes"), e)) ||
	    (v[EV_TICK] && yl_load_u32(ld, v[EV_TICK], yl_path_key(p, path, "drain_tick_ms"), 1, 60000, &e->drain_tick_ms)) ||
	    (v[EV_LISTENERS] && load_listeners(ld, v[EV_LISTENERS], yl_path_key(p, path, "listeners"), e)))
		return -1;
	e->flush = v[EV_FLUSH] != NULL;
	if (!e->buckets)
		e->buckets = e->nf_conntrack_max / 4 > 16 ? e->nf_conntrack_max / 4 : 16;
	uint64_t flows = e->flow_count ? e->flow_count
				       : (uint64_t)e->flow_rate_per_s * e->duration_ms / 1000u + 1u;
	if (flows > 10000000u)
		return yl_fail(ld, v[EV_FLOWS], yl_path_key(p, path, "flows"),
			       "more than 10000000 flows in duration_ms (give count: or a lower rate)");
	return 0;
}
