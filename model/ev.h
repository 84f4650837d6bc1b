/*
 * ev.h - the conntrack event path over time: the table's accounting
 * (nf_conntrack_count, nf_conntrack_max, early_drop, "table full"), expiry
 * and flush, the ecache extension and its redelivery machinery in each
 * version, ctnetlink's broadcast to listener sockets with receive buffers,
 * and the userspace listeners (conntrack -E, conntrackd).
 *
 * One flow is one UDP conntrack (a DNS query and maybe its answer); flows are
 * numbered and conntrack i belongs to flow i, so nothing depends on
 * allocation order.  The kernel runs as one actor that handles its timed
 * work in time order (packets, timers, work queue, flush); each listener is
 * an actor that reads its socket every drain tick.  They share the sockets'
 * receive queues and the table (a resync dumps it), and yield before each
 * access, so the same code runs in timelines and under the exhaustive
 * explorer.  Names follow the kernel.
 */
#ifndef NFRACE_EV_H
#define NFRACE_EV_H

#include "clock.h"
#include "fixes.h"
#include "scenario.h"
#include "sim.h"

#include <stdbool.h>
#include <stdint.h>

/* Event bits (enum ip_conntrack_events, the ones the model raises). */
enum { IPCT_NEW = 0, IPCT_DESTROY = 2, IPCT_REPLY = 3 };

/* ctnetlink message kinds (by multicast group). */
enum ev_msg { MSG_NEW = 0, MSG_UPDATE = 1, MSG_DESTROY = 2, MSG_KINDS = 3 };

/* enum nf_ct_ecache_state */
enum { NFCT_ECACHE_UNKNOWN = 0, NFCT_ECACHE_DESTROY_FAIL = 1, NFCT_ECACHE_DESTROY_SENT = 2 };

struct nf_conntrack_ecache {
	uint16_t cache;  /* pending event bits */
	uint16_t missed; /* bits whose delivery failed */
	uint32_t portid; /* requester of a DESTROY to retransmit */
	uint8_t state;   /* enum nf_ct_ecache_state */
};

struct ev_conn {
	bool allocated, confirmed, hashed, dying_bit, assured, seen_reply;
	bool on_dying;         /* dying list (pcpu or ecache redelivery list) */
	int32_t bucket;
	int32_t hnext;         /* next conntrack in the bucket chain, -1 */
	int32_t dprev, dnext;  /* dying list links, -1 */
	uint64_t timeout;      /* expiry deadline, ns */
	struct nf_conntrack_ecache ecache;
};

/* A listener's netlink socket and its userspace reader. */
struct ev_listener {
	const struct scenario_listener *cfg;
	struct ev_net *net;      /* back pointer for the reader actor */
	uint32_t index;
	uint32_t sk_rcvbuf;      /* bytes; SO_RCVBUF doubled */
	uint32_t rmem_alloc;     /* truesize queued */
	bool congested;          /* NETLINK_S_CONGESTED */
	bool sk_err;             /* ENOBUFS pending for the next recv */
	bool broadcast_error;    /* NETLINK_BROADCAST_ERROR */
	bool no_enobufs;         /* NETLINK_NO_ENOBUFS */
	uint64_t sk_drops;
	/* receive queue: ring of (flow << 2 | kind) */
	uint64_t *queue;
	uint32_t qcap, qhead, qlen;
	uint64_t read_credit;    /* messages it may still read, in 1/1000 */
	uint64_t resync_at;      /* conntrackd resync alarm, 0 = none */
	/* what it saw, per flow: bit kind received, bit 7 flow in its view */
	uint8_t *seen;
	uint64_t mismatch;       /* flows where its view differs from the table */
	uint64_t in_sync_since;  /* time mismatch last became 0 */
	/* figures */
	uint64_t delivered[MSG_KINDS], duplicated[MSG_KINDS];
	uint64_t enobufs, resyncs, resized;
};

struct ev_stats {
	uint64_t flows, table_full_drops, early_drop, gc_early_drop, replies_without_entry;
	uint64_t broadcasts[MSG_KINDS];   /* messages built and broadcast */
	uint64_t failed[MSG_KINDS];       /* broadcasts that returned -ENOBUFS */
	uint64_t redelivered;             /* DESTROY retries */
	uint64_t dying_max;               /* most entries waiting for redelivery at once */
	uint64_t count_max;               /* highest nf_conntrack_count */
};

struct ev_net {
	const struct scenario *sc;
	const struct scenario_events *cfg;
	nf_fixset fixes;
	uint64_t seed;
	struct sim_exec *ex;
	uint32_t nflows;
	struct ev_conn *ct;       /* [nflows] */
	uint8_t *broadcast;       /* per flow: bit kind was broadcast */
	int32_t *bucket_head;     /* [cfg->buckets] */
	uint32_t count;           /* nf_conntrack_count */
	bool allocating;          /* inside __nf_conntrack_alloc: count may be max + 1 */
	int32_t dying_head;
	uint32_t dying_len;
	bool dwork_pending;       /* ecache work scheduled */
	uint64_t dwork_at;
	bool gc_early_drop;       /* conntrack_gc_work.early_drop (gc-early-drop) */
	uint32_t gc_bucket;       /* the gc worker's last (4.12) or next (5.14) bucket */
	uint64_t gc_next_run_ns;  /* gc_work->next_gc_run (4.12 form) */
	uint32_t listener_count;
	struct ev_listener listeners[SCENARIO_LISTENERS_MAX];
	struct sim_clock clock;
	struct sim_event *events;
	uint64_t *arrival;        /* [nflows] arrival times */
	struct ev_stats st;
	uint64_t end_ns;
};

/* Object ids shared between the kernel actor and listeners. */
#define OBJ_EV_TABLE 0x10000000u
#define OBJ_EV_SOCK(l) (0x11000000u | (uint32_t)(l))

/* ev_net_bytes - the memory ev_net_init allocates for scenario sc (with
 * events:): about 170 bytes per flow, and each listener's queue. */
uint64_t ev_net_bytes(const struct scenario *sc);

/* ev_net_init - size and allocate n for scenario sc (with events:) under
 * fixes; arrivals are drawn from the scenario's seed.  Returns 0 or -1. */
int ev_net_init(struct ev_net *n, const struct scenario *sc, nf_fixset fixes);
void ev_net_free(struct ev_net *n);

/* ev_net_begin - reset to the initial state and spawn the actors. */
void ev_net_begin(struct ev_net *n, struct sim_exec *ex);

/* ev_net_check - invariants (the count equals allocated entries, lists
 * consistent); NULL or a message. */
const char *ev_net_check(struct ev_net *n);

/* Figures of one finished execution. */
struct ev_figures {
	uint64_t flows, table_full_drops, early_drop, gc_early_drop, replies_without_entry;
	uint64_t delivered[MSG_KINDS], lost[MSG_KINDS], duplicated[MSG_KINDS];
	uint64_t redelivered, destroy_lost, destroy_pending, dying_max, count_max, count_end;
	uint64_t sk_drops, enobufs;
	int64_t in_sync_ms;       /* latest time a listener came back in sync for good; -1: not by the end */
	uint32_t listeners_out_of_sync;
};

/* ev_net_figures - the figures at the end of an execution. */
void ev_net_figures(const struct ev_net *n, struct ev_figures *f);

/* Kernel-side functions (ev_table.c, ev_ecache.c, ev_netlink.c). */
struct ev_net;
bool nf_ct_delete(struct ev_net *n, uint32_t i, uint32_t portid, bool report);
int nf_conntrack_eventmask_report(struct ev_net *n, uint16_t mask, uint32_t i, uint32_t portid, bool report);
void nf_conntrack_event_cache(struct ev_net *n, int event, uint32_t i);
void nf_ct_deliver_cached_events(struct ev_net *n, uint32_t i);
int ctnetlink_conntrack_event(struct ev_net *n, uint16_t events, uint32_t i);
void ecache_work(struct ev_net *n);
void gc_worker(struct ev_net *n);
void death_by_event(struct ev_net *n, uint32_t i);
void ev_schedule(struct ev_net *n, uint64_t at, uint32_t kind, uint64_t payload);
void ev_dying_add(struct ev_net *n, uint32_t i);
void ev_dying_del(struct ev_net *n, uint32_t i);
void nf_conntrack_free(struct ev_net *n, uint32_t i);
void ev_unhash(struct ev_net *n, uint32_t i);
void ev_listener_recv(struct ev_net *n, uint32_t l);
void ev_view_table_change(struct ev_net *n, uint32_t flow, bool in_table);

/* ev_view_flip - one flow's view/table agreement at listener L flipped to
 * now_equal: keep L's mismatch count and the time it last reached zero. */
void ev_view_flip(struct ev_net *n, struct ev_listener *L, bool now_equal);

/* seen[] bit: the flow is in the listener's view (bits 0..2: kinds received). */
enum { EV_SEEN_IN_VIEW = 0x80 };

/* Timed work of the kernel actor (struct sim_event.kind). */
enum { EVK_ARRIVAL, EVK_REPLY, EVK_EXPIRE, EVK_RETRY, EVK_DWORK, EVK_FLUSH, EVK_GC };

#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull
#define ECACHE_RETRY_WAIT_NS (100 * NS_PER_MS)     /* HZ/10: the worker's retry after congestion, 3.17 .. 5.18 */
#define ECACHE_RETRY_JIFFIES_NS (10 * NS_PER_MS)   /* 5.19+ */
#define ECACHE_SCHEDULE_NS (1000 * NS_PER_MS)      /* first run HZ after a failure (3.17+) */
#define EVENTS_RETRY_TIMEOUT_NS (15 * NS_PER_S)    /* nf_conntrack_events_retry_timeout default */
#define EVENTS_RETRY_STEPS 150                     /* random delay: 100 ms .. 15 s in 100 ms steps (a timer fires one jiffy later at the earliest) */
#define GC_FIRST_RUN_NS (1000 * NS_PER_MS)         /* the gc work is first queued HZ after init */
#define GC_MAX_BUCKETS_DIV 128u                    /* 4.12 form: a run scans 1/128 of the buckets */
#define GC_MIN_INTERVAL_NS (7 * NS_PER_MS)         /* max(HZ / GC_MAX_BUCKETS_DIV, 1) jiffies, HZ 1000 */
#define GC_MAX_INTERVAL_NS (125 * NS_PER_MS)       /* GC_MAX_SCAN_JIFFIES (16 s) / GC_MAX_BUCKETS_DIV */
#define GC_SCAN_INTERVAL_NS (120 * NS_PER_S)       /* 5.14 form: the next full scan after 2 minutes */

#endif /* NFRACE_EV_H */
