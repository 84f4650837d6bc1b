/*
 * ev_ecache.c - the conntrack event cache (the ecache extension) and the
 * redelivery of DESTROY events that failed, in each version:
 *   2.6.31 (reliable-events): death_by_event, the entry's own retry timer;
 *   3.17+ (ecache-dwork): ecache_work walks the dying list every HZ/10,
 *          stops at the first failure, puts at most 16 entries per pass;
 *   5.19+ (ecache-list): ecache_work on the dedicated list, 10 ms retry.
 * Before reliable delivery (2.6.30) a failed event is simply gone.
 */
#include "ev.h"

#include <assert.h>

enum { ECACHE_PUT_BATCH = 16 };

static bool has(const struct ev_net *n, enum nf_fix_id f)
{
	return nf_fixset_has(n->fixes, f);
}

void nf_conntrack_event_cache(struct ev_net *n, int event, uint32_t i)
{
	n->ct[i].ecache.cache |= (uint16_t)(1u << event);
}

void nf_ct_deliver_cached_events(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	struct nf_conntrack_ecache *e = &ct->ecache;
	uint16_t events = e->cache;
	e->cache = 0; /* xchg(&e->cache, 0) */
	if (!ct->confirmed || ct->dying_bit)
		return;
	uint16_t missed = has(n, FIX_RELIABLE_EVENTS) ? e->missed : 0;
	if (!events && !missed)
		return;
	int ret = ctnetlink_conntrack_event(n, events | missed, i);
	if (!has(n, FIX_RELIABLE_EVENTS))
		return; /* before dd7669a92c the result is not looked at */
	if (ret < 0)
		e->missed |= events;
	else
		e->missed &= (uint16_t)~missed;
}

int nf_conntrack_eventmask_report(struct ev_net *n, uint16_t mask, uint32_t i, uint32_t portid, bool report)
{
	struct ev_conn *ct = &n->ct[i];
	struct nf_conntrack_ecache *e = &ct->ecache;
	(void)report;
	if (!ct->confirmed)
		return 0;
	/* A retransmitted DESTROY (portid kept from the failed one) ignores missed. */
	uint16_t missed = (has(n, FIX_RELIABLE_EVENTS) && !e->portid) ? e->missed : 0;
	int ret = ctnetlink_conntrack_event(n, mask | missed, i);
	if (!has(n, FIX_RELIABLE_EVENTS))
		return 0;
	if (ret < 0) {
		if (mask & (1u << IPCT_DESTROY))
			e->portid = portid;
		else
			e->missed |= mask;
	} else {
		e->missed &= (uint16_t)~missed;
	}
	return ret;
}

/* death_by_event (2.6.31): the retry timer of a parked entry fired. */
void death_by_event(struct ev_net *n, uint32_t i)
{
	struct ev_conn *ct = &n->ct[i];
	if (!ct->allocated || !ct->on_dying)
		return;
	sim_yield(n->ex, SIM_WRITE, OBJ_EV_TABLE, "death_by_event: retry IPCT_DESTROY");
	n->st.redelivered++;
	if (nf_conntrack_eventmask_report(n, 1u << IPCT_DESTROY, i, ct->ecache.portid, false) < 0) {
		uint32_t step = sim_choose(n->ex, EVENTS_RETRY_STEPS, "random32() % nf_conntrack_events_retry_timeout");
		ev_schedule(n, n->clock.now_ns + (uint64_t)(step + 1) * (EVENTS_RETRY_TIMEOUT_NS / EVENTS_RETRY_STEPS),
			    EVK_RETRY, i);
		return;
	}
	ct->dying_bit = true;
	nf_conntrack_free(n, i);
}

/* 3.17 .. 5.18: walk the dying list for DESTROY_FAIL entries. */
static void ecache_work_dying_list(struct ev_net *n)
{
	uint32_t refs[ECACHE_PUT_BATCH];
	uint32_t nrefs = 0;
	int64_t delay = -1; /* -1: no reschedule */
	for (int32_t i = n->dying_head; i >= 0; i = n->ct[i].dnext) {
		struct ev_conn *ct = &n->ct[i];
		if (ct->ecache.state != NFCT_ECACHE_DESTROY_FAIL)
			continue;
		n->st.redelivered++;
		if (nf_conntrack_eventmask_report(n, 1u << IPCT_DESTROY, (uint32_t)i, ct->ecache.portid, false) < 0) {
			delay = (int64_t)ECACHE_RETRY_WAIT_NS;
			break;
		}
		ct->ecache.state = NFCT_ECACHE_DESTROY_SENT;
		refs[nrefs++] = (uint32_t)i;
		if (nrefs == ECACHE_PUT_BATCH) {
			delay = 0;
			break;
		}
	}
	for (uint32_t k = 0; k < nrefs; k++)
		nf_conntrack_free(n, refs[k]);
	if (delay >= 0) {
		n->dwork_pending = true;
		n->dwork_at = n->clock.now_ns + (uint64_t)delay;
		ev_schedule(n, n->dwork_at, EVK_DWORK, 0);
	}
}

/* 5.19+: ecache_work_evict_list on the dedicated list.  A failure is
 * STATE_CONGESTED (retry in 10 ms).  The 10 ms budget test is true right after
 * the first successful send, so a pass puts one entry and restarts at once. */
static void ecache_work_evict_list(struct ev_net *n)
{
	int32_t i = n->dying_head;
	if (i < 0)
		return;
	n->st.redelivered++;
	if (nf_conntrack_eventmask_report(n, 1u << IPCT_DESTROY, (uint32_t)i, n->ct[i].ecache.portid, false) < 0) {
		n->dwork_pending = true;
		n->dwork_at = n->clock.now_ns + ECACHE_RETRY_JIFFIES_NS;
		ev_schedule(n, n->dwork_at, EVK_DWORK, 0);
		return;
	}
	nf_conntrack_free(n, (uint32_t)i);
	if (n->dying_head >= 0) { /* STATE_RESTART */
		n->dwork_pending = true;
		n->dwork_at = n->clock.now_ns;
		ev_schedule(n, n->dwork_at, EVK_DWORK, 0);
	}
}

void ecache_work(struct ev_net *n)
{
	if (!n->dwork_pending || n->dwork_at != n->clock.now_ns)
		return; /* superseded by a kick */
	sim_yield(n->ex, SIM_WRITE, OBJ_EV_TABLE, "ecache_work: redeliver IPCT_DESTROY");
	n->dwork_pending = false;
	if (has(n, FIX_ECACHE_LIST))
		ecache_work_evict_list(n);
	else
		ecache_work_dying_list(n);
}
