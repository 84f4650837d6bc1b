/*
 * packet.c - one CPU's packets through the IPv4 hooks, and their replies.
 *
 * Query path (first packet of a flow), in hook priority order:
 *   PRE_ROUTING (forwarded) or LOCAL_OUT (local socket):
 *     raw NOTRACK (-300), nf_conntrack_in (-200), NAT DST (-100)
 *   POST_ROUTING: NAT SRC (+100), nf_conntrack_confirm (INT_MAX)
 * then the packet reaches its destination.  With replies, the destination
 * answers with the addresses swapped; the answer enters PRE_ROUTING, is looked
 * up by its tuple (normally the REPLY direction), un-NATed by nf_nat_packet at
 * both NAT hooks, and the client socket accepts it only if it comes from the
 * address the client sent to and is addressed to the client's own ip:port.
 * The FORWARD hook carries no conntrack or NAT work and is not modelled.
 * Timing assumption: an answer arrives after a network round trip, which is
 * longer than any CPU's bucket-locked section, so it waits (sim_lock_wait)
 * until no other CPU holds the lock of the bucket its lookup walks: it never
 * sees a conntrack half inserted there.  Sections under other locks do not
 * hold it up (they touch nothing the answer's lookup reads).
 */
#include "confirm.h"
#include "model.h"
#include "nf_conntrack.h"
#include "nf_nat.h"

#include <stddef.h>
#include <string.h>

static bool notrack_matches(const struct scenario *sc, enum nf_hook hook, const struct nf_conntrack_tuple *t)
{
	for (uint32_t i = 0; i < sc->notrack_count; i++) {
		const struct scenario_notrack *n = &sc->notrack[i];
		const struct scenario_match *m = &n->match;
		if (n->hook != hook)
			continue;
		if (m->proto != PROTO_ANY && (uint8_t)m->proto != t->protonum)
			continue;
		uint32_t smask = m->src.prefix_len ? 0xffffffffu << (32 - m->src.prefix_len) : 0;
		uint32_t dmask = m->dst.prefix_len ? 0xffffffffu << (32 - m->dst.prefix_len) : 0;
		if (m->src.present && ((t->src_ip & smask) != (m->src.ip & smask) || (m->src.port && m->src.port != t->src_port)))
			continue;
		if (m->dst.present && ((t->dst_ip & dmask) != (m->dst.ip & dmask) || (m->dst.port && m->dst.port != t->dst_port)))
			continue;
		return true;
	}
	return false;
}

static void skb_set_ct(struct nf_cpu *c, struct sk_buff *skb)
{
	c->skb_ct = skb->ct;
}

/* kfree_skb / consume_skb: the skb's conntrack reference goes. */
static void skb_release(struct nf_cpu *c, struct sk_buff *skb)
{
	int32_t ct = skb->ct;
	skb->ct = -1;
	c->skb_ct = -1;
	if (ct >= 0)
		nf_ct_put(c, ct);
}

/* The hooks a packet crosses from first_hook to its exit; returns the verdict. */
static enum nf_verdict ipv4_hooks(struct nf_cpu *c, struct sk_buff *skb, enum nf_hook first_hook)
{
	enum nf_verdict v = nf_conntrack_in(c, skb, first_hook);
	skb_set_ct(c, skb);
	if (v == NF_ACCEPT)
		v = nf_nat_ipv4_fn(c, skb, first_hook);
	if (v == NF_ACCEPT)
		v = nf_nat_ipv4_fn(c, skb, HOOK_POSTROUTING);
	if (v == NF_ACCEPT)
		v = nf_conntrack_confirm(c, skb);
	skb_set_ct(c, skb);
	return v;
}

static struct nf_conntrack_tuple packet_tuple(const struct scenario_packet *p)
{
	struct nf_conntrack_tuple t = {p->src.ip, p->dst.ip, p->src.port, p->dst.port, (uint8_t)p->proto};
	return t;
}

/* The answer from the destination; returns true if the client accepts it. */
static bool reply_exchange(struct nf_cpu *c, const struct scenario_packet *p, const struct sk_buff *sent)
{
	struct sk_buff r = {{0, 0, 0, 0, 0}, -1, IP_CT_NEW, sent->untracked};
	nf_ct_invert_tuple(&r.hdr, &sent->hdr);
	/* A round trip is longer than any bucket-locked section (BH off, spinlock
	 * held): the answer never lands inside another CPU's insertion into the
	 * bucket its lookup walks (docs/model.md, Round trips). */
	uint32_t lock = scale_hash(hash_conntrack_raw(&r.hdr)) % CONNTRACK_LOCKS;
	sim_lock_wait(c->ex, OBJ_BUCKET_LOCK(lock), "answer arrives after a round trip");
	sim_note(c->ex, "reply from the destination enters PRE_ROUTING");
	enum nf_verdict v = ipv4_hooks(c, &r, HOOK_PREROUTING);
	bool ok = v == NF_ACCEPT && r.hdr.src_ip == p->dst.ip && r.hdr.src_port == p->dst.port &&
		  r.hdr.dst_ip == p->src.ip && r.hdr.dst_port == p->src.port;
	skb_release(c, &r);
	return ok;
}

/* One packet's query and, with replies, its answer; returns its fate. */
static enum pkt_fate packet_exchange(struct nf_cpu *c, const struct scenario_packet *p)
{
	const struct scenario *sc = c->w->sc;
	struct sk_buff skb = {packet_tuple(p), -1, IP_CT_NEW, false};
	skb.untracked = notrack_matches(sc, p->hook, &skb.hdr);
	enum nf_verdict v = ipv4_hooks(c, &skb, p->hook);
	if (v == NF_DROP) {
		sim_note(c->ex, "packet %s dropped", p->name);
		skb_release(c, &skb);
		return PKT_DROPPED;
	}
	struct sk_buff sent = skb;
	skb_release(c, &skb);
	if (!sc->replies)
		return PKT_DELIVERED;
	bool ok = reply_exchange(c, p, &sent);
	sim_note(c->ex, "reply to %s %s", p->name, ok ? "accepted by the client socket" : "never reaches the client");
	return ok ? PKT_ANSWERED : PKT_REPLY_LOST;
}

void nf_cpu_run(struct sim_exec *ex, void *arg)
{
	struct nf_cpu *c = arg;
	c->ex = ex;
	for (uint32_t k = 0; k < c->npkts; k++) {
		const struct scenario_packet *p = &c->w->sc->packets[c->pkt[k]];
		if (p->after >= 0)
			sim_wait(ex, OBJ_EXCHANGE_DONE(p->after), "resolver: next query after the previous answer or timeout");
		sim_at(ex, p->send_ns); /* timed runs: the send offset */
		c->fate[k] = (uint8_t)packet_exchange(c, p);
		if (c->w->waited_on & (1u << c->pkt[k]))
			sim_signal(ex, OBJ_EXCHANGE_DONE(c->pkt[k]), "resolver: exchange finished");
	}
}
