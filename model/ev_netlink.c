/*
 * ev_netlink.c - ctnetlink_conntrack_event and the netlink broadcast to the
 * listener sockets, and the listeners' side: netlink_recvmsg with ENOBUFS,
 * conntrack -E (warns, reads on) and conntrackd (reliable mode: both socket
 * flags; otherwise it grows its buffer and resyncs after a delay).
 *
 * Broadcast (do_one_broadcast / netlink_broadcast_deliver): a socket takes
 * the message while rmem_alloc <= sk_rcvbuf and it is not congested; else
 * netlink_overrun: sk_drops++, and unless NETLINK_NO_ENOBUFS, the congested
 * bit and sk_err = ENOBUFS once per episode.  Only a socket with
 * NETLINK_BROADCAST_ERROR makes the broadcast fail (-ENOBUFS), which is what
 * turns on the kernel's redelivery.  The congested bit clears when the
 * receive queue empties (netlink_rcv_wake).
 */
#include "ev.h"

#include <assert.h>

static uint32_t msg_bytes(const struct ev_net *n, enum ev_msg k)
{
	return k == MSG_NEW ? n->cfg->msg_bytes_new : k == MSG_UPDATE ? n->cfg->msg_bytes_update
								      : n->cfg->msg_bytes_destroy;
}

/* netlink_broadcast_deliver; returns false on overrun. */
static bool netlink_broadcast_deliver(struct ev_net *n, struct ev_listener *L, uint32_t flow, enum ev_msg k)
{
	if (L->rmem_alloc > L->sk_rcvbuf || L->congested || L->qlen == L->qcap)
		return false;
	L->rmem_alloc += msg_bytes(n, k);
	L->queue[(L->qhead + L->qlen) % L->qcap] = (uint64_t)flow << 2 | (uint64_t)k;
	L->qlen++;
	if (L->seen[flow] & (1u << k))
		L->duplicated[k]++;
	L->seen[flow] |= (uint8_t)(1u << k);
	L->delivered[k]++;
	return true;
}

static void netlink_overrun(struct ev_listener *L)
{
	if (!L->no_enobufs && !L->congested) {
		L->congested = true;
		L->sk_err = true;
	}
	L->sk_drops++;
}

int ctnetlink_conntrack_event(struct ev_net *n, uint16_t events, uint32_t i)
{
	enum ev_msg k = (events & (1u << IPCT_DESTROY)) ? MSG_DESTROY
			: (events & (1u << IPCT_NEW)) ? MSG_NEW
						       : MSG_UPDATE;
	if (n->listener_count == 0)
		return 0; /* !nfnetlink_has_listeners(): nobody to tell is success */
	n->st.broadcasts[k]++;
	n->broadcast[i] |= (uint8_t)(1u << k);
	bool delivery_failure = false;
	for (uint32_t l = 0; l < n->listener_count; l++) {
		struct ev_listener *L = &n->listeners[l];
		sim_yield(n->ex, SIM_WRITE, OBJ_EV_SOCK(l), "do_one_broadcast: netlink_broadcast_deliver");
		if (netlink_broadcast_deliver(n, L, i, k))
			continue;
		netlink_overrun(L);
		if (L->broadcast_error)
			delivery_failure = true;
	}
	if (delivery_failure) {
		n->st.failed[k]++;
		return -1; /* -ENOBUFS */
	}
	return 0;
}

/* The listener's view of one flow changes; keep the mismatch count. */
static void view_set(struct ev_net *n, struct ev_listener *L, uint32_t flow, bool in_view)
{
	bool was = (L->seen[flow] & EV_SEEN_IN_VIEW) != 0;
	if (was == in_view)
		return;
	bool in_table = n->ct[flow].allocated && n->ct[flow].hashed;
	if (in_view)
		L->seen[flow] |= EV_SEEN_IN_VIEW;
	else
		L->seen[flow] &= (uint8_t)~EV_SEEN_IN_VIEW;
	ev_view_flip(n, L, in_view == in_table);
}

/* conntrackd's resync: dump the table (ctnetlink_dump_table) and replace its cache. */
static void conntrackd_resync(struct ev_net *n, struct ev_listener *L)
{
	sim_yield(n->ex, SIM_READ, OBJ_EV_TABLE, "ctnetlink_dump_table: conntrackd resync");
	for (uint32_t f = 0; f < n->nflows; f++)
		view_set(n, L, f, n->ct[f].allocated && n->ct[f].hashed);
	L->resyncs++;
	L->resync_at = 0;
}

/* recv() returned ENOBUFS. */
static void listener_enobufs(struct ev_net *n, struct ev_listener *L)
{
	L->enobufs++;
	if (L->cfg->kind != LISTENER_CONNTRACKD)
		return; /* conntrack -E: "WARNING: We have hit ENOBUFS! We are losing events." */
	/* nl_resize_socket_buffer: double the requested size while that stays
	 * within NetlinkBufferSizeMaxGrowth (the kernel doubles the request again) */
	uint64_t asked = L->sk_rcvbuf / 2u;
	if (L->cfg->rcvbuf_max && asked * 2u <= L->cfg->rcvbuf_max) {
		L->sk_rcvbuf = (uint32_t)(asked * 4u);
		L->resized++;
	}
	if (L->cfg->resync_ms && !L->resync_at)
		L->resync_at = sim_now(n->ex) + (uint64_t)L->cfg->resync_ms * NS_PER_MS;
}

/* One drain tick of listener l: read what its rate allows. */
void ev_listener_recv(struct ev_net *n, uint32_t l)
{
	struct ev_listener *L = &n->listeners[l];
	sim_yield(n->ex, SIM_RMW, OBJ_EV_SOCK(l), "netlink_recvmsg: read events");
	L->read_credit += (uint64_t)L->cfg->drain_per_s * n->cfg->drain_tick_ms; /* 1/1000 messages */
	if (L->sk_err) { /* sock_error(): the first recv after an overrun fails */
		L->sk_err = false;
		listener_enobufs(n, L);
	}
	while (L->read_credit >= 1000 && L->qlen) {
		uint64_t m = L->queue[L->qhead];
		uint32_t flow = (uint32_t)(m >> 2);
		enum ev_msg k = (enum ev_msg)(m & 3u);
		L->qhead = (L->qhead + 1) % L->qcap;
		L->qlen--;
		L->rmem_alloc -= msg_bytes(n, k);
		L->read_credit -= 1000;
		view_set(n, L, flow, k != MSG_DESTROY);
	}
	if (L->qlen == 0) {
		L->congested = false; /* netlink_rcv_wake */
		if (L->read_credit > 1000)
			L->read_credit = 1000; /* an idle reader saves up no reads */
	}
	if (L->resync_at && L->resync_at <= sim_now(n->ex))
		conntrackd_resync(n, L);
}
