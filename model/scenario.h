/*
 * scenario.h - the validated, libyaml-free description of one nfrace scenario.
 *
 * Data flows one way: scenarios/<name>.yaml -> sim/scenario/scenario_load.c ->
 * struct scenario -> model/world.c.  Nothing in here points into parser memory; a struct scenario
 * is plain data that can be copied with memcpy and compared byte for byte (all
 * unused bytes are zero because the loader starts from a zeroed struct).
 *
 * Addresses are IPv4 in host byte order; ports are host order.  Limits are fixed
 * so that a world built from a scenario needs no allocation.
 */
#ifndef NFRACE_SCENARIO_H
#define NFRACE_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

enum {
	SCENARIO_NAME_MAX = 64,
	SCENARIO_TEXT_MAX = 512,
	SCENARIO_RULES_MAX = 16,
	SCENARIO_TARGETS_MAX = 8,
	SCENARIO_PACKETS_MAX = 8,
	SCENARIO_NOTRACK_MAX = 8,
	SCENARIO_EXPECT_MAX = 32,
	SCENARIO_PRESET_NAME_MAX = 24,
	SCENARIO_CPUS_MAX = 8, /* cpu: 0..7 */
	SCENARIO_COSTS_MAX = 32,
	SCENARIO_FUNCTION_MAX = 48,
	SCENARIO_LISTENERS_MAX = 4,
};

enum nf_proto { PROTO_ANY = 0, PROTO_UDP = 17, PROTO_TCP = 6 };

/* The IPv4 hooks with conntrack or NAT work: PRE_ROUTING, LOCAL_OUT
 * ("output"), POST_ROUTING, and LOCAL_IN ("input", where a packet for a
 * local socket meets NAT SRC and confirm instead of POST_ROUTING). */
enum nf_hook { HOOK_PREROUTING = 0, HOOK_OUTPUT = 1, HOOK_POSTROUTING = 2, HOOK_INPUT = 3, HOOK_COUNT = 4 };

/* An address match: ip/prefix plus an optional port (port 0 = any). */
struct scenario_addr_match {
	bool present;
	uint32_t ip;
	uint8_t prefix_len; /* 0..32; 32 for a plain address */
	uint16_t port;      /* 0: any port */
};

struct scenario_match {
	enum nf_proto proto; /* PROTO_ANY: any */
	struct scenario_addr_match src;
	struct scenario_addr_match dst;
};

struct scenario_endpoint {
	uint32_t ip;
	uint16_t port; /* 0: keep the port */
};

enum rule_action { ACTION_DNAT = 1, ACTION_SNAT = 2, ACTION_MASQUERADE = 3 };

struct scenario_rule {
	enum nf_hook hook;
	struct scenario_match match;
	enum rule_action action;
	/* DNAT: one target, or several picked at random (a `statistic` chain). */
	uint32_t target_count;
	struct scenario_endpoint targets[SCENARIO_TARGETS_MAX];
	/* SNAT / MASQUERADE: the source address and an optional port range. */
	uint32_t to_ip;
	uint16_t port_min; /* 0 and 0: no port range given */
	uint16_t port_max;
	bool random;       /* NF_NAT_RANGE_PROTO_RANDOM */
	bool random_fully; /* NF_NAT_RANGE_PROTO_RANDOM_FULLY */
};

struct scenario_notrack {
	enum nf_hook hook;
	struct scenario_match match;
};

struct scenario_packet {
	char name[SCENARIO_NAME_MAX];
	uint32_t cpu;
	enum nf_hook hook; /* HOOK_PREROUTING (forwarded) or HOOK_OUTPUT (local) */
	enum nf_proto proto;
	struct scenario_endpoint src;
	struct scenario_endpoint dst;
	int32_t after; /* index of the packet whose reply must arrive first, or -1 */
	uint32_t send_ns; /* send offset for timed runs (ignored by exhaustive exploration) */
};

/* timing: the cost of the code before each yield, by kernel function. */
struct scenario_cost {
	char function[SCENARIO_FUNCTION_MAX]; /* label prefix before ':'; "round_trip" for the answer's wait */
	uint32_t ns;
};

struct scenario_timing {
	bool present;
	uint32_t jitter_percent;  /* 0..100 */
	uint32_t default_ns;      /* functions not in the table */
	uint32_t round_trip_ns;   /* from a query leaving to its answer arriving */
	uint32_t queries_per_s;   /* load for the timeouts-per-hour prediction; 0: none */
	uint32_t cost_count;
	struct scenario_cost costs[SCENARIO_COSTS_MAX];
};

/* events: a ctnetlink listener on the event path.  kind picks the userspace
 * behaviour: conntrack -E prints a warning on ENOBUFS and goes on; conntrackd
 * in reliable mode sets NETLINK_BROADCAST_ERROR and NETLINK_NO_ENOBUFS, and
 * otherwise doubles its buffer on ENOBUFS and resyncs after a delay. */
enum listener_kind { LISTENER_CONNTRACK_E = 1, LISTENER_CONNTRACKD = 2 };

struct scenario_listener {
	char name[SCENARIO_NAME_MAX];
	enum listener_kind kind;
	bool reliable;            /* conntrackd NetlinkEventsReliable on */
	uint32_t rcvbuf;          /* SO_RCVBUF bytes (the kernel doubles it) */
	uint32_t rcvbuf_max;      /* conntrackd NetlinkBufferSizeMaxGrowth; 0: no growth */
	uint32_t drain_per_s;     /* messages read per second; 0: stuck, never reads */
	uint32_t resync_ms;       /* conntrackd NetlinkOverrunResync; 0: off */
};

enum flow_arrival { ARRIVAL_FIXED = 1, ARRIVAL_POISSON = 2 };

/* events: flows in virtual time through the conntrack table, with the event
 * path to the listeners. */
struct scenario_events {
	bool present;
	uint32_t duration_ms;
	uint32_t nf_conntrack_max;
	uint32_t buckets;         /* nf_conntrack_htable_size */
	uint32_t flow_rate_per_s;
	enum flow_arrival arrival;
	uint32_t flow_count;      /* flows to start (0: until duration) */
	uint32_t flows_start_ms;  /* first arrival */
	bool flow_replies;        /* each flow gets one answer (DNS) */
	uint32_t reply_after_us;  /* answer delay */
	uint32_t udp_timeout_s;   /* nf_conntrack_udp_timeout */
	bool flush;               /* conntrack -F at flush_at_ms */
	uint32_t flush_at_ms;
	uint32_t msg_bytes_new, msg_bytes_update, msg_bytes_destroy; /* skb truesize per event message */
	uint32_t drain_tick_ms;   /* how often listeners read */
	uint32_t seed;            /* arrival process seed */
	uint32_t listener_count;
	struct scenario_listener listeners[SCENARIO_LISTENERS_MAX];
};

enum expect_verdict { EXPECT_OK = 1, EXPECT_DROP = 2 };

enum expect_events { EXPECT_EVENTS_ANY = 0, EXPECT_DESTROY_LOST = 1, EXPECT_DESTROY_DELIVERED = 2, EXPECT_DESTROY_PENDING = 3 };

struct scenario_expect {
	char kernel[SCENARIO_PRESET_NAME_MAX];
	enum expect_verdict verdict;  /* packets: ok | drop */
	enum expect_events destroy;   /* events scenarios: destroy: lost | delivered | pending */
};

struct scenario {
	char name[SCENARIO_NAME_MAX];
	char description[SCENARIO_TEXT_MAX];
	char kernel[SCENARIO_PRESET_NAME_MAX]; /* default preset, "" if none */
	bool nat_table;                        /* `nat:` key present */
	uint32_t rule_count;
	struct scenario_rule rules[SCENARIO_RULES_MAX];
	uint32_t notrack_count;
	struct scenario_notrack notrack[SCENARIO_NOTRACK_MAX];
	uint32_t packet_count;
	struct scenario_packet packets[SCENARIO_PACKETS_MAX];
	bool replies;
	struct scenario_timing timing;
	struct scenario_events events;
	uint32_t expect_count;
	struct scenario_expect expect[SCENARIO_EXPECT_MAX];
};

#endif /* NFRACE_SCENARIO_H */
