/*
 * world.h - the state of one simulated kernel (struct world) and the types
 * the conntrack/NAT model functions share.
 *
 * One mutable world, passed by pointer: the confirmed hash table (ORIGINAL and
 * REPLY nodes per conntrack), the conntrack objects, nf_nat_bysource, the
 * shared port rover, per-CPU statistics, and the packets in flight.  Nothing
 * here allocates: a world is reset by copying the initial world built from
 * the scenario, so two worlds from the same scenario and fix set are equal
 * byte for byte.
 *
 * Names follow the kernel (nf_conn, tuplehash, IPS_* bits, NF_CT_STAT names);
 * numbering of the IPS_* bits follows include/uapi/linux/netfilter/
 * nf_conntrack_common.h so that a status word printed here reads like the one
 * `conntrack -L -o extended` would decode.
 */
#ifndef NFRACE_WORLD_H
#define NFRACE_WORLD_H

#include "draws.h"
#include "fixes.h"
#include "scenario.h"
#include "sim.h"

#include <stdbool.h>
#include <stdint.h>

enum {
	NF_CT_HASHSIZE = 1024,   /* buckets of nf_conntrack_hash (kept small; see docs) */
	CONNTRACK_LOCKS = 1024,  /* nf_conntrack_locks[] */
	NF_NAT_HASHSIZE = 1024,  /* nf_nat_bysource buckets, one nf_nat_locks[] each */
	NF_CT_MAX = 64,          /* conntrack objects one execution may allocate */
	NF_CPUS_MAX = 8,
	NF_CT_PER_CPU = NF_CT_MAX / NF_CPUS_MAX, /* slots each CPU may allocate (see naming classes below) */
	NF_PORTS_DRAWN_MAX = 32, /* random port draws remembered for the port abstraction */
};

/* Status bits (enum ip_conntrack_status). */
enum {
	IPS_EXPECTED_BIT = 0,
	IPS_SEEN_REPLY_BIT = 1,
	IPS_ASSURED_BIT = 2,
	IPS_CONFIRMED_BIT = 3,
	IPS_SRC_NAT_BIT = 4,
	IPS_DST_NAT_BIT = 5,
	IPS_SEQ_ADJUST_BIT = 6,
	IPS_SRC_NAT_DONE_BIT = 7,
	IPS_DST_NAT_DONE_BIT = 8,
	IPS_DYING_BIT = 9,
	IPS_FIXED_TIMEOUT_BIT = 10,
	IPS_NAT_CLASH_BIT = 12,
};
#define IPS_SEEN_REPLY (1u << IPS_SEEN_REPLY_BIT)
#define IPS_ASSURED (1u << IPS_ASSURED_BIT)
#define IPS_CONFIRMED (1u << IPS_CONFIRMED_BIT)
#define IPS_SRC_NAT (1u << IPS_SRC_NAT_BIT)
#define IPS_DST_NAT (1u << IPS_DST_NAT_BIT)
#define IPS_SEQ_ADJUST (1u << IPS_SEQ_ADJUST_BIT)
#define IPS_SRC_NAT_DONE (1u << IPS_SRC_NAT_DONE_BIT)
#define IPS_DST_NAT_DONE (1u << IPS_DST_NAT_DONE_BIT)
#define IPS_DYING (1u << IPS_DYING_BIT)
#define IPS_FIXED_TIMEOUT (1u << IPS_FIXED_TIMEOUT_BIT)
#define IPS_NAT_CLASH (1u << IPS_NAT_CLASH_BIT)
#define IPS_NAT_MASK (IPS_DST_NAT | IPS_SRC_NAT)
#define IPS_NAT_DONE_MASK (IPS_DST_NAT_DONE | IPS_SRC_NAT_DONE)

enum ip_conntrack_dir { IP_CT_DIR_ORIGINAL = 0, IP_CT_DIR_REPLY = 1, IP_CT_DIR_MAX = 2 };

enum ip_conntrack_info {
	IP_CT_ESTABLISHED = 0,
	IP_CT_RELATED = 1,
	IP_CT_NEW = 2,
	IP_CT_ESTABLISHED_REPLY = 3,
};

enum nf_nat_manip_type { NF_NAT_MANIP_SRC = 0, NF_NAT_MANIP_DST = 1 };

enum nf_verdict { NF_DROP = 0, NF_ACCEPT = 1 };

/* Per-CPU statistics, named and ordered as `conntrack -S` prints them
 * (struct ip_conntrack_stat).  Each kernel era has its own set
 * (nf_ct_stat_in_kernel): searched, new, delete and delete_list exist until
 * 8e8118f89313 (v4.9), ignore until the v5.10 statistics series,
 * clash_resolve from bc92470413f3 (v5.10). */
enum nf_ct_stat {
	STAT_SEARCHED,
	STAT_FOUND,
	STAT_NEW,
	STAT_INVALID,
	STAT_IGNORE,
	STAT_DELETE,
	STAT_DELETE_LIST,
	STAT_INSERT,
	STAT_INSERT_FAILED,
	STAT_DROP,
	STAT_EARLY_DROP,
	STAT_SEARCH_RESTART,
	STAT_CLASH_RESOLVE,
	STAT_COUNT
};

/* NAT range flags (uapi nf_nat.h). */
enum {
	NF_NAT_RANGE_MAP_IPS = 1u << 0,
	NF_NAT_RANGE_PROTO_SPECIFIED = 1u << 1,
	NF_NAT_RANGE_PROTO_RANDOM = 1u << 2,
	NF_NAT_RANGE_PERSISTENT = 1u << 3,
	NF_NAT_RANGE_PROTO_RANDOM_FULLY = 1u << 4,
};
#define NF_NAT_RANGE_PROTO_RANDOM_ALL (NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PROTO_RANDOM_FULLY)

struct nf_conntrack_tuple {
	uint32_t src_ip;
	uint32_t dst_ip;
	uint16_t src_port;
	uint16_t dst_port;
	uint8_t protonum;
};

struct nf_nat_range2 {
	uint32_t flags;
	uint32_t min_addr, max_addr;
	uint16_t min_proto, max_proto;
};

/* hnode_bucket values besides a bucket index */
enum { HNODE_UNHASHED = -1, HNODE_FAKE = -2 };

struct nf_conn {
	bool allocated;
	bool freed;
	struct nf_conntrack_tuple tuplehash[IP_CT_DIR_MAX];
	uint32_t status;
	int32_t use;         /* ct_general.use */
	uint32_t orig_hash;  /* raw ORIGINAL hash stored at allocation */
	uint32_t reply_hash; /* raw hash of the current REPLY tuple (kept with it; the kernel recomputes it) */
	int32_t hnode_bucket[IP_CT_DIR_MAX];
	uint32_t hnode_seq[IP_CT_DIR_MAX]; /* insertion order: newest first in a chain */
	bool on_unconfirmed, on_dying; /* on its CPU's per-cpu list */
	bool bysource_linked;
	uint32_t bysource_hash;
	uint32_t bysource_seq;
	uint64_t timeout;    /* jiffies-like deadline; informative in untimed runs */
};

/* A packet in flight on one CPU (the part of struct sk_buff the model needs). */
struct sk_buff {
	struct nf_conntrack_tuple hdr; /* addresses as they are on the wire now */
	int32_t ct;                    /* skb->_nfct: conntrack index or -1 */
	enum ip_conntrack_info ctinfo;
	bool untracked;
};

/* What happened to each scenario packet in one execution. */
enum pkt_fate {
	PKT_PENDING = 0,
	PKT_DROPPED,       /* NF_DROP on the query path */
	PKT_REPLY_LOST,    /* delivered, but no acceptable reply reached the client */
	PKT_ANSWERED,      /* the client socket accepted the reply */
	PKT_DELIVERED,     /* delivered; the scenario asks for no replies */
};

/* Planted bugs: deliberate model defects that the explorer must find
 * (testing the tester).  Never part of a kernel preset. */
enum nf_plant {
	PLANT_LOCK_ORDER = 1u << 0, /* nf_conntrack_double_lock ignores the ascending order */
	PLANT_ABORT = 1u << 1,      /* __nf_conntrack_confirm aborts the process on a clash (the crash report's test) */
};

/* Conntrack slots are handed out per naming class by a bump allocator and
 * never reused.  Normally each CPU is its own class with slots 8 * cpu ..
 * 8 * cpu + 7, so a conntrack's id never depends on the interleaving.  A
 * symmetric run (model.h) puts interchangeable CPUs in one class whose slots
 * are numbered in allocation order, so that an id names no CPU. */
struct world {
	const struct scenario *sc;
	nf_fixset fixes;
	uint32_t plants; /* enum nf_plant bits */
	uint32_t class_count;
	uint32_t class_base[NF_CPUS_MAX]; /* first slot of each class */
	uint32_t class_cap[NF_CPUS_MAX];  /* slots of each class */
	uint32_t ct_alloc[NF_CPUS_MAX];   /* slots of each class allocated so far */
	uint32_t waited_on; /* bit i: some packet waits for packet i's exchange (constant) */
	struct nf_conn ct[NF_CT_MAX];
	uint32_t hnode_seq_next;
	uint32_t bysource_seq_next;
	uint16_t port_rover[2]; /* udp_port_rover, tcp_port_rover */
	uint16_t ports_drawn[NF_PORTS_DRAWN_MAX];
	uint32_t ports_drawn_count;
	uint32_t cpu_count;
	/* Whether any path can delete a hashed conntrack (drop the table's
	 * reference): only the first reply on an IPS_NAT_CLASH entry before
	 * c46172147ebb does (nf_ct_kill).  Without deletions a hashed conntrack's
	 * count never falls below 1, so its refcount updates commute (SIM_ADD). */
	bool deletes_possible;
	/* Whether any path can walk nf_nat_bysource (find_appropriate_src):
	 * only an SNAT or MASQUERADE target whose range excludes the original
	 * tuple gets there (a null binding always keeps it).  When none can,
	 * the chains' order is never read and world_pack leaves it out. */
	bool bysource_walked;
	struct nf_draws draws; /* this execution's random data choices (draws.h) */
};

/* One CPU: the shared world, the engine handle and everything that is the
 * CPU's own (its packets, their fates, its statistics, its skb in flight).
 * Every model function takes the running CPU first, like
 * smp_processor_id().  It holds no CPU number: in a symmetric run all CPUs
 * of a class run with this block at one address and equal contents mean
 * equal CPUs (model.h), so nothing here may name the CPU. */
struct nf_cpu {
	struct world *w;
	struct sim_exec *ex;
	uint32_t cls;        /* conntrack naming class (struct world) */
	uint32_t alloc_kind; /* of the allocation step: SIM_ADD, or SIM_RMW when CPUs share the class */
	uint32_t npkts;
	uint8_t pkt[SCENARIO_PACKETS_MAX];  /* scenario indices of the packets this CPU sends */
	uint8_t fate[SCENARIO_PACKETS_MAX]; /* enum pkt_fate of pkt[k] */
	int32_t skb_ct;                     /* conntrack held by the skb in flight, or -1 */
	uint32_t stats[STAT_COUNT];         /* per-cpu statistics */
};

/* Shared object ids for yield footprints. */
#define OBJ_BUCKET(b) (0x01000000u | (uint32_t)(b))
#define OBJ_BUCKET_LOCK(l) (0x02000000u | (uint32_t)(l))
#define OBJ_CT(i) (0x03000000u | (uint32_t)(i))
#define OBJ_CT_USE(i) (0x04000000u | (uint32_t)(i))
#define OBJ_BYSOURCE(h) (0x05000000u | (uint32_t)(h))
#define OBJ_NAT_LOCK(h) (0x06000000u | (uint32_t)(h))
#define OBJ_ROVER(p) (0x07000000u | (uint32_t)(p))
#define OBJ_EXCHANGE_DONE(p) (0x08000000u | (uint32_t)(p))
#define OBJ_PORT_DRAWS 0x09000000u /* the port abstraction's record of draws (not kernel state) */
#define OBJ_CT_ALLOC(cls) (0x0a000000u | (uint32_t)(cls)) /* net->ct.count, as the slot allocator of a class */

/* world_add_only_class - 0, or the object class every CPU only ever adds to
 * in w (sim_program.add_only_class): the conntrack refcounts where no path
 * deletes a hashed conntrack (world.deletes_possible false,
 * nf_ct_refcount_kind). */
sim_obj world_add_only_class(const struct world *w);

/* nf_ct_next_allocated - the allocated conntrack slot after i (start with -1),
 * or -1: walks the per-CPU slot ranges in slot order without touching free slots. */
static inline int32_t nf_ct_next_allocated(const struct world *w, int32_t i)
{
	uint32_t next = (uint32_t)(i + 1);
	for (uint32_t k = 0; k < w->class_count; k++) { /* classes in slot order */
		uint32_t base = w->class_base[k];
		if (next < base)
			next = base;
		if (next < base + w->ct_alloc[k])
			return (int32_t)next;
	}
	return -1;
}

/* nf_fix - whether the world's kernel carries fix f. */
static inline bool nf_fix(const struct world *w, enum nf_fix_id f)
{
	return nf_fixset_has(w->fixes, f);
}

/* NF_CT_STAT_INC - count on the running CPU (per-cpu, so no yield). */
static inline void NF_CT_STAT_INC(struct nf_cpu *c, enum nf_ct_stat s)
{
	c->stats[s]++;
}

/* nf_ct_stat_name - the `conntrack -S` name of s. */
const char *nf_ct_stat_name(enum nf_ct_stat s);

/* nf_ct_stat_in_kernel - whether the kernel of fix set fixes has statistic s
 * (a field of its struct ip_conntrack_stat that `conntrack -S` prints). */
bool nf_ct_stat_in_kernel(nf_fixset fixes, enum nf_ct_stat s);

/* world_init - build the initial world for sc under fixes, every CPU its
 * own naming class. */
void world_init(struct world *w, const struct scenario *sc, nf_fixset fixes, uint32_t plants);

/* nf_cpu_init - CPU cpu's block for world w: its own packets, one naming
 * class of its own (class cpu). */
void nf_cpu_init(struct nf_cpu *c, struct world *w, uint32_t cpu);

/* nf_cpu_stat_sum - statistic s summed over n CPUs, as `conntrack -S` users add it up. */
uint32_t nf_cpu_stat_sum(const struct nf_cpu *cpus, uint32_t n, enum nf_ct_stat s);

#endif /* NFRACE_WORLD_H */
