/*
 * ev_net.c - the event-path world: sizing from the scenario, the initial
 * state, the actors (the kernel's timed work in time order; one reader per
 * listener), invariants and the figures of an execution.
 */
#include "ev.h"

#include "prng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ev_flow_query(struct ev_net *n, uint32_t i);
void ev_flow_reply(struct ev_net *n, uint32_t i);
void ev_flow_expire(struct ev_net *n, uint32_t i);
void ctnetlink_flush_conntrack(struct ev_net *n);

static uint32_t flows_in(const struct scenario_events *e)
{
	if (e->flow_count)
		return e->flow_count;
	uint64_t span = e->duration_ms > e->flows_start_ms ? e->duration_ms - e->flows_start_ms : 0;
	return (uint32_t)((uint64_t)e->flow_rate_per_s * span / 1000u + 1u);
}

/* Arrival times: fixed spacing, or exponential gaps from the scenario's seed. */
static void draw_arrivals(struct ev_net *n)
{
	const struct scenario_events *e = n->cfg;
	struct sim_prng p;
	double t = (double)e->flows_start_ms * 1e6, mean = 1e9 / (double)e->flow_rate_per_s;
	sim_prng_seed(&p, e->seed);
	for (uint32_t k = 0; k < n->nflows; k++) {
		n->arrival[k] = (uint64_t)llround(t);
		if (e->arrival == ARRIVAL_POISSON) {
			double u = ((double)(sim_prng_next(&p) >> 11) + 0.5) / 9007199254740992.0;
			t += -log(u) * mean;
		} else {
			t += mean;
		}
	}
}

/* The sizes ev_net_init allocates (keep the two in step). */
static size_t listener_queue_cap(const struct scenario_events *e, const struct scenario_listener *c)
{
	uint32_t min_bytes = e->msg_bytes_new;
	if (e->msg_bytes_update < min_bytes)
		min_bytes = e->msg_bytes_update;
	if (e->msg_bytes_destroy < min_bytes)
		min_bytes = e->msg_bytes_destroy;
	uint64_t biggest = 2u * (uint64_t)(c->rcvbuf_max > c->rcvbuf ? c->rcvbuf_max : c->rcvbuf);
	return (size_t)(biggest / min_bytes + 2u);
}

uint64_t ev_net_bytes(const struct scenario *sc)
{
	const struct scenario_events *e = &sc->events;
	uint64_t flows = flows_in(e), bytes = sizeof(struct ev_net);
	bytes += flows * (sizeof(struct ev_conn) + 1u + sizeof(uint64_t)) + (uint64_t)e->buckets * sizeof(int32_t);
	bytes += (flows * 3u + 64u) * sizeof(struct sim_event);
	for (uint32_t l = 0; l < e->listener_count; l++)
		bytes += listener_queue_cap(e, &e->listeners[l]) * sizeof(uint64_t) + flows;
	return bytes;
}

int ev_net_init(struct ev_net *n, const struct scenario *sc, nf_fixset fixes)
{
	const struct scenario_events *e = &sc->events;
	memset(n, 0, sizeof(*n));
	n->sc = sc;
	n->cfg = e;
	n->fixes = fixes;
	n->nflows = flows_in(e);
	n->end_ns = (uint64_t)e->duration_ms * NS_PER_MS;
	n->listener_count = e->listener_count;
	size_t cap = (size_t)n->nflows * 3u + 64u;
	n->ct = calloc(n->nflows, sizeof(*n->ct));
	n->broadcast = calloc(n->nflows, 1);
	n->bucket_head = calloc(e->buckets, sizeof(int32_t));
	n->events = calloc(cap, sizeof(*n->events));
	n->arrival = calloc(n->nflows, sizeof(uint64_t));
	bool ok = n->ct && n->broadcast && n->bucket_head && n->events && n->arrival;
	for (uint32_t l = 0; l < n->listener_count && ok; l++) {
		struct ev_listener *L = &n->listeners[l];
		const struct scenario_listener *c = &e->listeners[l];
		L->cfg = c;
		L->qcap = (uint32_t)listener_queue_cap(e, c);
		L->queue = calloc(L->qcap, sizeof(uint64_t));
		L->seen = calloc(n->nflows, 1);
		ok = L->queue && L->seen;
	}
	if (!ok) {
		ev_net_free(n);
		return -1;
	}
	sim_clock_init(&n->clock, n->events, cap);
	draw_arrivals(n);
	return 0;
}

void ev_net_free(struct ev_net *n)
{
	for (uint32_t l = 0; l < SCENARIO_LISTENERS_MAX; l++) {
		free(n->listeners[l].queue);
		free(n->listeners[l].seen);
	}
	free(n->ct);
	free(n->broadcast);
	free(n->bucket_head);
	free(n->events);
	free(n->arrival);
	memset(n, 0, sizeof(*n));
}

/* The kernel: packets, timers, the work queue and the flush, in time order. */
static void kernel_actor(struct sim_exec *ex, void *arg)
{
	struct ev_net *n = arg;
	struct sim_event ev;
	n->ex = ex;
	while (sim_clock_next(&n->clock, &ev) && ev.time_ns < n->end_ns) {
		sim_at(ex, ev.time_ns);
		uint32_t i = (uint32_t)ev.payload;
		switch (ev.kind) {
		case EVK_ARRIVAL:
			if (i + 1 < n->nflows)
				ev_schedule(n, n->arrival[i + 1], EVK_ARRIVAL, i + 1);
			ev_flow_query(n, i);
			break;
		case EVK_REPLY:
			ev_flow_reply(n, i);
			break;
		case EVK_EXPIRE:
			ev_flow_expire(n, i);
			break;
		case EVK_RETRY:
			death_by_event(n, i);
			break;
		case EVK_DWORK:
			ecache_work(n);
			break;
		case EVK_FLUSH:
			ctnetlink_flush_conntrack(n);
			break;
		case EVK_GC:
			gc_worker(n);
			break;
		}
	}
}

static void reader_actor(struct sim_exec *ex, void *arg)
{
	const struct ev_listener *L = arg;
	struct ev_net *n = L->net;
	uint64_t tick = (uint64_t)n->cfg->drain_tick_ms * NS_PER_MS;
	(void)ex;
	if (L->cfg->drain_per_s == 0)
		return; /* a stuck reader never calls recv() */
	for (uint64_t t = tick; t < n->end_ns; t += tick) {
		sim_at(ex, t);
		ev_listener_recv(n, L->index);
	}
}

void ev_net_begin(struct ev_net *n, struct sim_exec *ex)
{
	const struct scenario_events *e = n->cfg;
	n->ex = ex;
	memset(n->ct, 0, (size_t)n->nflows * sizeof(*n->ct));
	memset(n->broadcast, 0, n->nflows);
	for (uint32_t b = 0; b < e->buckets; b++)
		n->bucket_head[b] = -1;
	n->count = 0;
	n->allocating = false;
	n->dying_head = -1;
	n->dying_len = 0;
	n->dwork_pending = false;
	n->dwork_at = 0;
	n->gc_early_drop = false;
	n->gc_bucket = 0;
	n->gc_next_run_ns = GC_FIRST_RUN_NS; /* next_gc_run = HZ */
	memset(&n->st, 0, sizeof(n->st));
	sim_clock_init(&n->clock, n->events, (size_t)n->nflows * 3u + 64u);
	for (uint32_t l = 0; l < n->listener_count; l++) {
		struct ev_listener *L = &n->listeners[l];
		const struct scenario_listener *c = L->cfg;
		uint64_t *queue = L->queue;
		uint8_t *seen = L->seen;
		uint32_t qcap = L->qcap;
		memset(L, 0, sizeof(*L));
		L->cfg = c;
		L->queue = queue;
		L->seen = seen;
		L->qcap = qcap;
		L->net = n;
		L->index = l;
		memset(seen, 0, n->nflows);
		L->sk_rcvbuf = 2u * c->rcvbuf; /* sock_setsockopt(SO_RCVBUF) doubles the value */
		L->broadcast_error = c->reliable;
		L->no_enobufs = c->reliable;
	}
	if (n->nflows)
		ev_schedule(n, n->arrival[0], EVK_ARRIVAL, 0);
	if (e->flush)
		ev_schedule(n, (uint64_t)e->flush_at_ms * NS_PER_MS, EVK_FLUSH, 0);
	if (nf_fixset_has(n->fixes, FIX_GC_EARLY_DROP))
		ev_schedule(n, GC_FIRST_RUN_NS, EVK_GC, 0); /* conntrack_gc_work queued HZ after init */
	sim_spawn(ex, "kernel", kernel_actor, n);
	for (uint32_t l = 0; l < n->listener_count; l++)
		sim_spawn(ex, e->listeners[l].name, reader_actor, &n->listeners[l]);
}

const char *ev_net_check(struct ev_net *n)
{
	if (n->count < n->dying_len)
		return "nf_conntrack_count below the number of entries waiting for redelivery";
	if (n->count > n->cfg->nf_conntrack_max + (n->allocating ? 1u : 0u) && nf_fixset_has(n->fixes, FIX_ECACHE_DWORK))
		return "nf_conntrack_count above nf_conntrack_max";
	return NULL;
}

void ev_net_figures(const struct ev_net *n, struct ev_figures *f)
{
	memset(f, 0, sizeof(*f));
	f->flows = n->st.flows;
	f->table_full_drops = n->st.table_full_drops;
	f->early_drop = n->st.early_drop;
	f->gc_early_drop = n->st.gc_early_drop;
	f->replies_without_entry = n->st.replies_without_entry;
	f->redelivered = n->st.redelivered;
	f->dying_max = n->st.dying_max;
	f->count_max = n->st.count_max;
	f->count_end = n->count;
	f->destroy_pending = n->dying_len;
	f->in_sync_ms = 0;
	for (uint32_t l = 0; l < n->listener_count; l++) {
		const struct ev_listener *L = &n->listeners[l];
		for (int k = 0; k < MSG_KINDS; k++) {
			f->delivered[k] += L->delivered[k];
			f->duplicated[k] += L->duplicated[k];
		}
		for (uint32_t i = 0; i < n->nflows; i++) {
			uint8_t missing = (uint8_t)(n->broadcast[i] & ~L->seen[i] & 7u);
			if (n->ct[i].allocated && n->ct[i].on_dying)
				missing &= (uint8_t)~(1u << MSG_DESTROY); /* still being retried: pending */
			for (int k = 0; k < MSG_KINDS; k++)
				f->lost[k] += (uint64_t)((missing >> k) & 1);
		}
		f->sk_drops += L->sk_drops;
		f->enobufs += L->enobufs;
		if (L->mismatch || L->qlen) { /* unread messages: not in sync yet */
			f->listeners_out_of_sync++;
			f->in_sync_ms = -1;
		} else if (f->in_sync_ms >= 0 && (int64_t)(L->in_sync_since / NS_PER_MS) > f->in_sync_ms) {
			f->in_sync_ms = (int64_t)(L->in_sync_since / NS_PER_MS);
		}
	}
	f->destroy_lost = f->lost[MSG_DESTROY];
}
