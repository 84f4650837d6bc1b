/*
 * ev_table.c - the conntrack table over time: allocation against
 * nf_conntrack_max with early_drop, confirmation, replies, expiry,
 * nf_ct_delete in each version, the dying list and the final put.
 *
 * Versions (fix flags):
 *   none               2.6.30: DESTROY is reported once, its result ignored.
 *   reliable-events    2.6.31: death_by_timeout parks an entry whose DESTROY
 *                      failed on the dying list with a retry timer of
 *                      random % nf_conntrack_events_retry_timeout; early_drop
 *                      succeeds only if the victim's DESTROY got through.
 *   ecache-dwork       3.17+: nf_ct_delete sets DYING first; a failed DESTROY
 *                      parks the entry (DESTROY_FAIL) and schedules the
 *                      work queue after HZ; nf_ct_delete returns false, so
 *                      early_drop fails and the packet meets "table full".
 *   early-drop-list    4.9+: early_drop tries every unassured entry of up to
 *                      8 buckets (each failed one is parked) instead of one.
 *   ecache-list        5.19+: the same with the dedicated redelivery list.
 *   early-drop-dying   3.3+: the timer-era early_drop counts and succeeds
 *                      only if the victim's DESTROY got through (IPS_DYING);
 *                      in 2.6.31 winning del_timer was enough.
 *   gc-early-drop      4.12+: a failed early_drop puts the gc worker in
 *                      early-drop mode; its next run kills the unassured
 *                      entries it scans while the count is >= 95% of max.
 *   gc-one-cycle       5.14+: each gc run scans the whole table, 2 minutes
 *                      apart (before: 1/128 of it every 125 ms).
 * The count goes down only when an entry is freed, so parked entries count
 * against nf_conntrack_max.
 */
#include "ev.h"

#include "prng.h"

#include <assert.h>

enum { NF_CT_EVICTION_RANGE = 8 };

static bool has(const struct ev_net *n, enum nf_fix_id f)
{
	return nf_fixset_has(n->fixes, f);
}

void ev_schedule(struct ev_net *n, uint64_t at, uint32_t kind, uint64_t payload)
{
	if (at < n->clock.now_ns)
		at = n->clock.now_ns;
	bool ok = sim_clock_schedule(&n->clock, at, kind, payload);
	assert(ok && "event queue sized from the scenario");
	(void)ok;
}

static uint32_t hash_conntrack(const struct ev_net *n, uint32_t flow)
{
	uint64_t s = ((uint64_t)flow << 1) ^ 0x6e66726163650000ull;
	return (uint32_t)(sim_splitmix64(&s) % n->cfg->buckets);
}

void ev_view_flip(struct ev_net *n, struct ev_listener *L, bool now_equal)
{
	if (!now_equal) {
		L->mismatch++;
		return;
	}
	assert(L->mismatch > 0);
	if (--L->mismatch == 0)
		L->in_sync_since = sim_now(n->ex);
}

/* The table as a listener's view should match: confirmed entries in the hash. */
void ev_view_table_change(struct ev_net *n, uint32_t flow, bool in_table)
{
	for (uint32_t l = 0; l < n->listener_count; l++) {
		struct ev_listener *L = &n->listeners[l];
		ev_view_flip(n, L, ((L->seen[flow] & EV_SEEN_IN_VIEW) != 0) == in_table);
	}
}

static void hash_insert(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	ct->bucket = (int32_t)hash_conntrack(n, i);
	ct->hnext = n->bucket_head[ct->bucket];
	n->bucket_head[ct->bucket] = (int32_t)i;
	ct->hashed = true;
	ev_view_table_change(n, i, true);
}

/* __nf_ct_delete_from_lists: unlink both directions from the hash. */
void ev_unhash(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	if (!ct->hashed)
		return;
	int32_t *p = &n->bucket_head[ct->bucket];
	while (*p != (int32_t)i) {
		assert(*p >= 0);
		p = &n->ct[*p].hnext;
	}
	*p = ct->hnext;
	ct->hnext = -1;
	ct->hashed = false;
	ev_view_table_change(n, i, false);
}

void ev_dying_add(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	assert(!ct->on_dying);
	ct->on_dying = true;
	ct->dprev = -1;
	ct->dnext = n->dying_head;
	if (n->dying_head >= 0)
		n->ct[n->dying_head].dprev = (int32_t)i;
	n->dying_head = (int32_t)i;
	if (++n->dying_len > n->st.dying_max)
		n->st.dying_max = n->dying_len;
}

void ev_dying_del(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	assert(ct->on_dying);
	if (ct->dprev >= 0)
		n->ct[ct->dprev].dnext = ct->dnext;
	else
		n->dying_head = ct->dnext;
	if (ct->dnext >= 0)
		n->ct[ct->dnext].dprev = ct->dprev;
	ct->on_dying = false;
	ct->dprev = ct->dnext = -1;
	n->dying_len--;
}

/* destroy_conntrack + nf_conntrack_free: the last reference went. */
void nf_conntrack_free(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	assert(ct->allocated && !ct->hashed);
	if (ct->on_dying)
		ev_dying_del(n, i);
	ct->allocated = false;
	assert(n->count > 0);
	n->count--;
}

/* nf_ct_dying_timeout (2.6.31): re-arm the entry's timer to a random delay. */
static void nf_ct_dying_timeout(struct ev_net *n, uint32_t i)
{
	uint32_t step = sim_choose(n->ex, EVENTS_RETRY_STEPS, "random32() % nf_conntrack_events_retry_timeout");
	ev_schedule(n, n->clock.now_ns + (uint64_t)(step + 1) * (EVENTS_RETRY_TIMEOUT_NS / EVENTS_RETRY_STEPS), EVK_RETRY, i);
}

/* death_by_timeout in 2.6.30/2.6.31: report DESTROY; on failure (2.6.31)
 * park on the dying list with a retry timer and keep the table's reference. */
static bool death_by_timeout(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	if (!ct->dying_bit && nf_conntrack_eventmask_report(n, 1u << IPCT_DESTROY, i, 0, false) < 0 &&
	    has(n, FIX_RELIABLE_EVENTS)) {
		ev_unhash(n, i);
		ev_dying_add(n, i);
		nf_ct_dying_timeout(n, i);
		return true;
	}
	ct->dying_bit = true;
	ev_unhash(n, i);
	nf_conntrack_free(n, i);
	return true;
}

/* nf_conntrack_ecache_work / _delayed_work: schedule the redelivery worker. */
static void ecache_work_schedule(struct ev_net *n, uint64_t delay)
{
	if (n->dwork_pending)
		return;
	n->dwork_pending = true;
	n->dwork_at = n->clock.now_ns + delay;
	ev_schedule(n, n->dwork_at, EVK_DWORK, 0);
}

/* After a successful delete, a pending worker runs now (it has room again). */
static void ecache_work_kick(struct ev_net *n)
{
	if (!n->dwork_pending || n->dwork_at <= n->clock.now_ns)
		return;
	if (has(n, FIX_ECACHE_LIST) && n->dying_head < 0) {
		n->dwork_pending = false; /* nothing to redeliver: just clear pending */
		return;
	}
	n->dwork_at = n->clock.now_ns;
	ev_schedule(n, n->dwork_at, EVK_DWORK, 0);
}

bool nf_ct_delete(struct ev_net *n, uint32_t i, uint32_t portid, bool report)
{
	struct ev_conn *ct = &n->ct[i];
	if (!has(n, FIX_ECACHE_DWORK))
		return death_by_timeout(n, i);
	if (ct->dying_bit) /* test_and_set_bit(IPS_DYING_BIT): someone else deletes it */
		return false;
	ct->dying_bit = true;
	if (nf_conntrack_eventmask_report(n, 1u << IPCT_DESTROY, i, portid, report) < 0) {
		ev_unhash(n, i);
		ev_dying_add(n, i); /* pcpu dying list, or the dedicated ecache list in 5.19+ */
		ct->ecache.state = NFCT_ECACHE_DESTROY_FAIL;
		ecache_work_schedule(n, ECACHE_SCHEDULE_NS); /* nf_conntrack_ecache_(delayed_)work: HZ */
		return false;
	}
	ecache_work_kick(n);
	ev_unhash(n, i);
	nf_conntrack_free(n, i);
	return true;
}

/* early_drop_list (3.17+ form): evict every non-ASSURED, confirmed, live
 * entry of one chain; count those whose delete succeeded. */
static uint32_t early_drop_list(struct ev_net *n, uint32_t bucket)
{
	uint32_t drops = 0;
	int32_t i = n->bucket_head[bucket];
	while (i >= 0) {
		int32_t next = n->ct[i].hnext;
		const struct ev_conn *ct = &n->ct[i];
		if (!ct->assured && ct->confirmed && !ct->dying_bit && nf_ct_delete(n, (uint32_t)i, 0, false))
			drops++;
		i = next;
	}
	return drops;
}

/* The single-victim early_drop (2.6.31 .. 4.8): scan at most
 * NF_CT_EVICTION_RANGE entries from bucket h, stopping at the first bucket
 * with a candidate; the timer era takes its last unassured entry, 3.15+ the
 * first unassured, live one.  Success: in the timer era whenever del_timer
 * won (2.6.30, 2.6.31, even if death_by_timeout parked the victim), from
 * 741385119706 (v3.3) only if IPS_DYING is set afterwards (its DESTROY got
 * through); 3.15+ if nf_ct_delete returned true. */
static bool early_drop_one(struct ev_net *n, uint32_t h)
{
	bool timer_era = !has(n, FIX_ECACHE_DWORK);
	int32_t victim = -1;
	uint32_t cnt = 0;
	for (uint32_t b = 0; b < n->cfg->buckets && victim < 0 && cnt < NF_CT_EVICTION_RANGE; b++)
		for (int32_t i = n->bucket_head[(h + b) % n->cfg->buckets]; i >= 0 && cnt < NF_CT_EVICTION_RANGE;
		     i = n->ct[i].hnext, cnt++) {
			const struct ev_conn *ct = &n->ct[i];
			if (ct->assured || (!timer_era && ct->dying_bit))
				continue;
			victim = i;
			if (!timer_era)
				break;
		}
	if (victim < 0)
		return false;
	bool gone;
	if (timer_era) {
		death_by_timeout(n, (uint32_t)victim); /* del_timer(&ct->timeout) won: the victim is live and hashed */
		gone = !has(n, FIX_EARLY_DROP_DYING) || n->ct[victim].dying_bit;
	} else {
		gone = nf_ct_delete(n, (uint32_t)victim, 0, false);
	}
	if (gone)
		n->st.early_drop++;
	return gone;
}

/* early_drop - make room for a new entry hashed to bucket h. */
static bool early_drop(struct ev_net *n, uint32_t h)
{
	if (!has(n, FIX_EARLY_DROP_LIST))
		return early_drop_one(n, h);
	for (uint32_t b = 0; b < NF_CT_EVICTION_RANGE; b++) {
		uint32_t drops = early_drop_list(n, (h + b) % n->cfg->buckets);
		if (drops) {
			n->st.early_drop += drops;
			return true;
		}
	}
	return false;
}

/* gc_worker_early_drop_bucket - the early-drop part of the gc worker's scan
 * of one bucket: every confirmed, live (gc_worker_skip_ct), unassured
 * (gc_worker_can_early_drop) entry is killed while the count is at or above
 * max95.  A kill whose DESTROY fails parks the entry, which keeps counting. */
static void gc_worker_early_drop_bucket(struct ev_net *n, uint32_t bucket, uint32_t max95)
{
	int32_t i = n->bucket_head[bucket];
	while (i >= 0) {
		int32_t next = n->ct[i].hnext;
		const struct ev_conn *ct = &n->ct[i];
		if (!ct->confirmed || ct->dying_bit || n->count < max95 || ct->assured) {
			i = next;
			continue;
		}
		if (nf_ct_delete(n, (uint32_t)i, 0, false)) /* nf_ct_kill; early_drop is not counted */
			n->st.gc_early_drop++;
		i = next;
	}
}

/* gc_worker - one run of the conntrack gc worker.  Only its early-drop mode
 * is modelled (expiry happens at each entry's deadline, ev_flow_expire):
 * with conntrack_gc_work.early_drop set, nf_conntrack_max95 =
 * nf_conntrack_max / 100 * 95 and the run kills the early-droppable entries
 * of the buckets it scans; every run clears the flag.  4.12 form: the buckets
 * after last_bucket, 1/128 of the table (at least one), next run after
 * next_gc_run (+7 ms per run from HZ, capped at 125 ms: nothing expires in
 * the scan).  gc-one-cycle (4608fdfc07e1): the whole table, the next run 2
 * minutes later. */
void gc_worker(struct ev_net *n)
{
	bool one_cycle = has(n, FIX_GC_ONE_CYCLE);
	uint32_t hsize = n->cfg->buckets;
	uint32_t goal = one_cycle ? hsize : hsize / GC_MAX_BUCKETS_DIV;
	uint32_t max95 = n->gc_early_drop ? n->cfg->nf_conntrack_max / 100u * 95u : 0u;
	if (max95) {
		sim_yield(n->ex, SIM_WRITE, OBJ_EV_TABLE, "gc_worker: early drop (count >= 95% of max)");
		sim_note(n->ex, "gc_worker: early-drop mode, count %u", n->count);
	}
	uint32_t scanned = 0;
	do {
		uint32_t b;
		if (one_cycle) {
			b = n->gc_bucket++;
		} else {
			if (++n->gc_bucket >= hsize)
				n->gc_bucket = 0;
			b = n->gc_bucket;
		}
		if (max95)
			gc_worker_early_drop_bucket(n, b, max95);
	} while (++scanned < goal);
	n->gc_early_drop = false;
	if (one_cycle) {
		n->gc_bucket = 0; /* a completed scan: the next cycle starts over */
		ev_schedule(n, n->clock.now_ns + GC_SCAN_INTERVAL_NS, EVK_GC, 0);
		return;
	}
	n->gc_next_run_ns += GC_MIN_INTERVAL_NS;
	if (n->gc_next_run_ns > GC_MAX_INTERVAL_NS)
		n->gc_next_run_ns = GC_MAX_INTERVAL_NS;
	ev_schedule(n, n->clock.now_ns + n->gc_next_run_ns, EVK_GC, 0);
}

/* __nf_conntrack_alloc: count the entry; over nf_conntrack_max, early_drop
 * or "nf_conntrack: table full, dropping packet". */
static bool nf_conntrack_alloc(struct ev_net *n, uint32_t i)
{
	n->count++;
	n->allocating = true;
	bool room = n->count <= n->cfg->nf_conntrack_max || early_drop(n, hash_conntrack(n, i));
	n->allocating = false;
	if (!room) {
		if (has(n, FIX_GC_EARLY_DROP))
			n->gc_early_drop = true; /* conntrack_gc_work.early_drop = true */
		n->count--;
		n->st.table_full_drops++;
		sim_note(n->ex, "nf_conntrack: table full, dropping packet (count %u)", n->count);
		return false;
	}
	struct ev_conn *ct = &n->ct[i];
	*ct = (struct ev_conn){.allocated = true, .bucket = -1, .hnext = -1, .dprev = -1, .dnext = -1};
	if (n->count > n->st.count_max)
		n->st.count_max = n->count;
	return true;
}

/* A flow's first packet: nf_conntrack_in -> init_conntrack, then
 * nf_conntrack_confirm -> hash insert and nf_ct_deliver_cached_events. */
void ev_flow_query(struct ev_net *n, uint32_t i)
{
	sim_yield(n->ex, SIM_WRITE, OBJ_EV_TABLE, "init_conntrack: __nf_conntrack_alloc");
	n->st.flows++;
	if (!nf_conntrack_alloc(n, i))
		return;
	nf_conntrack_event_cache(n, IPCT_NEW, i);
	struct ev_conn *ct = &n->ct[i];
	ct->confirmed = true;
	hash_insert(n, i);
	ct->timeout = n->clock.now_ns + (uint64_t)n->cfg->udp_timeout_s * NS_PER_S;
	ev_schedule(n, ct->timeout, EVK_EXPIRE, i);
	nf_ct_deliver_cached_events(n, i);
	if (n->cfg->flow_replies)
		ev_schedule(n, n->clock.now_ns + (uint64_t)n->cfg->reply_after_us * 1000u, EVK_REPLY, i);
}

/* The answer: found in the REPLY direction, nf_conntrack_udp_packet refreshes
 * the timeout (SEEN_REPLY is not yet set, so it stays unassured), then
 * IPS_SEEN_REPLY and the IPCT_REPLY event, delivered at confirm. */
void ev_flow_reply(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	sim_yield(n->ex, SIM_WRITE, OBJ_EV_TABLE, "nf_conntrack_in: reply direction");
	if (!ct->allocated || !ct->hashed) {
		n->st.replies_without_entry++;
		return;
	}
	ct->timeout = n->clock.now_ns + (uint64_t)n->cfg->udp_timeout_s * NS_PER_S;
	ev_schedule(n, ct->timeout, EVK_EXPIRE, i);
	if (!ct->seen_reply) {
		ct->seen_reply = true;
		nf_conntrack_event_cache(n, IPCT_REPLY, i);
	}
	nf_ct_deliver_cached_events(n, i);
}

/* The timeout: death_by_timeout (timer era) or the gc worker's nf_ct_kill.
 * A stale expiry (the timeout was refreshed) re-arms nothing. */
void ev_flow_expire(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	if (!ct->allocated || !ct->hashed || ct->timeout != n->clock.now_ns)
		return;
	sim_yield(n->ex, SIM_WRITE, OBJ_EV_TABLE, "nf_ct_delete: timeout");
	nf_ct_delete(n, i, 0, false);
}

/* conntrack -F: ctnetlink flush -> nf_ct_iterate_cleanup over the hash in
 * bucket order.  2.6.31's kill_report reports DESTROY first; whether it
 * failed or not, death_by_timeout then runs (and reports again unless it
 * succeeded). */
void ctnetlink_flush_conntrack(struct ev_net *n)
{
	sim_yield(n->ex, SIM_WRITE, OBJ_EV_TABLE, "nf_ct_iterate_cleanup: conntrack -F");
	for (uint32_t b = 0; b < n->cfg->buckets; b++) {
		int32_t i = n->bucket_head[b];
		while (i >= 0) {
			int32_t next = n->ct[i].hnext;
			if (has(n, FIX_RELIABLE_EVENTS) && !has(n, FIX_ECACHE_DWORK) &&
			    nf_conntrack_eventmask_report(n, 1u << IPCT_DESTROY, (uint32_t)i, 0, false) == 0)
				n->ct[i].dying_bit = true; /* kill_report: delivered, skip it in death_by_timeout */
			nf_ct_delete(n, (uint32_t)i, 0, false);
			i = next;
		}
	}
}
