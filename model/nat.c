/*
 * nat.c - NAT tuple selection and packet mangling: nf_nat_ipv4_fn with the
 * iptables nat chain and null bindings, nf_nat_setup_info, get_unique_tuple,
 * find_appropriate_src, find_best_ips_proto, nf_nat_used_tuple(_new),
 * nf_nat_l4proto_unique_tuple with the shared rover, nf_nat_packet.
 *
 * Mirrors net/netfilter/nf_nat_core.c (v4.15 to mainline), the v4.15
 * nf_nat_proto_common.c port search, and the iptables nat glue
 * (iptable_nat_do_chain, xt DNAT/SNAT, MASQUERADE).  Nothing in
 * get_unique_tuple takes a lock: its "is this tuple free?" checks read only
 * confirmed entries, which is the window every NAT clash goes through.
 *
 * Kernel randomness (the `statistic` DNAT pick, prandom port offsets) is a
 * choice point.  A port drawn from a large range is abstracted: the choice is
 * between each port the execution has already made relevant (scenario source
 * ports, earlier draws) and one fresh port (docs/model.md).
 */
#include "nf_nat.h"

#include "nf_conntrack.h"

#include <assert.h>

/* HOOK2MANIP - SRC at POST_ROUTING and LOCAL_IN, DST before routing. */
static enum nf_nat_manip_type HOOK2MANIP(enum nf_hook hook)
{
	return hook == HOOK_POSTROUTING || hook == HOOK_INPUT ? NF_NAT_MANIP_SRC : NF_NAT_MANIP_DST;
}

static bool nf_nat_initialized(const struct nf_conn *ct, enum nf_nat_manip_type manip)
{
	return ct->status & (manip == NF_NAT_MANIP_SRC ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE);
}

static uint32_t hash_by_src(const struct nf_conntrack_tuple *tuple)
{
	uint32_t h = tuple->src_ip * 0x9e3779b1u;
	h ^= ((uint32_t)tuple->src_port << 8) ^ tuple->protonum;
	h *= 0x85ebca77u;
	h ^= h >> 16;
	return h % NF_NAT_HASHSIZE;
}

/* ---- port choice -------------------------------------------------------- */

static bool port_relevant(const struct world *w, uint16_t port)
{
	for (uint32_t i = 0; i < w->sc->packet_count; i++)
		if (w->sc->packets[i].src.port == port || w->sc->packets[i].dst.port == port)
			return true;
	for (uint32_t i = 0; i < w->ports_drawn_count; i++)
		if (w->ports_drawn[i] == port)
			return true;
	return false;
}

static bool port_near_relevant(const struct world *w, uint32_t port, uint32_t lo, uint32_t hi, uint32_t dist)
{
	for (uint32_t p = port > lo + dist ? port - dist : lo; p <= port + dist && p <= hi; p++)
		if (port_relevant(w, (uint16_t)p))
			return true;
	return false;
}

/* fresh_port - a port of [min, min+range_size) that no flow has made
 * relevant, as far from the relevant ones as the range allows (256 ports,
 * else 2, else merely different); 0 when every port is relevant. */
static uint32_t fresh_port(const struct world *w, uint32_t min, uint32_t range_size)
{
	static const uint32_t dist[] = {256, 2, 0};
	uint32_t max = min + range_size - 1;
	for (size_t k = 0; k < sizeof(dist) / sizeof(dist[0]); k++)
		for (uint32_t i = 0; i < range_size; i++) {
			uint32_t p = min + (range_size / 2 + i) % range_size;
			if (!port_near_relevant(w, p, min, max, dist[k]))
				return p;
		}
	return 0;
}

/* prandom_offset - prandom_u32() % range_size as a choice point.  Small
 * ranges (<= 64 ports) are enumerated exactly; larger ones choose among the
 * relevant ports in the range and one fresh port far from all of them. */
static uint32_t prandom_offset(struct nf_cpu *c, uint32_t min, uint32_t range_size, const char *label)
{
	struct world *w = c->w;
	uint32_t cand[SCENARIO_PACKETS_MAX * 2 + NF_PORTS_DRAWN_MAX + 1];
	uint32_t n = 0, off;
	/* The set of relevant ports is shared by all CPUs' draws: declare it. */
	sim_yield(c->ex, SIM_RMW, OBJ_PORT_DRAWS, "prandom_u32: port draw (abstraction state)");
	struct nf_draw d = {(uint8_t)sim_actor_index(c->ex), NF_DRAW_PORT, false, 0, 0, 1, range_size};
	if (range_size <= 64) {
		off = sim_choose(c->ex, range_size, label);
		d.value = min + off;
		nf_draws_add(&w->draws, d);
		sim_note(c->ex, "prandom port offset %u: port %u", off, min + off);
		return off;
	}
	for (uint32_t p = min; p < min + range_size; p++)
		if (port_relevant(w, (uint16_t)p))
			cand[n++] = p - min;
	uint32_t relevant = n, fresh = fresh_port(w, min, range_size);
	if (fresh)
		cand[n++] = fresh - min;
	assert(n > 0);
	uint32_t k = sim_choose(c->ex, n, label);
	off = cand[k];
	/* a relevant port is one of range_size; the fresh one stands for all the others */
	d.value = min + off;
	d.fresh = k == relevant;
	d.num = d.fresh ? range_size - relevant : 1;
	nf_draws_add(&w->draws, d);
	if (w->ports_drawn_count < NF_PORTS_DRAWN_MAX && !port_relevant(w, (uint16_t)(min + off)))
		w->ports_drawn[w->ports_drawn_count++] = (uint16_t)(min + off);
	sim_note(c->ex, "prandom port draw: port %u (p = %u/%u)", min + off, d.num, d.den);
	return off;
}

/* secure_port - secure_ipv4_port_ephemeral(saddr, daddr, dport): a keyed hash,
 * the same for every flow with this NAT address and destination. */
static uint32_t secure_port(const struct nf_conntrack_tuple *t)
{
	uint32_t h = t->src_ip ^ (t->dst_ip * 0x9e3779b1u) ^ ((uint32_t)t->dst_port << 16);
	h *= 0x85ebca77u;
	return h ^ (h >> 13);
}

static bool l4proto_in_range(const struct nf_conntrack_tuple *t, enum nf_nat_manip_type manip, uint16_t min,
			     uint16_t max)
{
	uint16_t port = manip == NF_NAT_MANIP_SRC ? t->src_port : t->dst_port;
	return port >= min && port <= max;
}

static void set_port(struct nf_conntrack_tuple *t, enum nf_nat_manip_type manip, uint32_t port)
{
	assert(port >= 1 && port <= 65535);
	if (manip == NF_NAT_MANIP_SRC)
		t->src_port = (uint16_t)port;
	else
		t->dst_port = (uint16_t)port;
}

/* The search loop of v4.15 (no attempt limit): the whole range, then the last
 * candidate even if used; the rover remembers where it stopped. */
static void unique_tuple_unlimited(struct nf_cpu *c, struct nf_conntrack_tuple *tuple, const struct nf_nat_range2 *range,
				   enum nf_nat_manip_type manip, int32_t ct, uint32_t min, uint32_t range_size,
				   uint32_t off, bool use_rover)
{
	for (uint32_t i = 0;; ++off) {
		set_port(tuple, manip, min + off % range_size);
		if (++i != range_size && nf_nat_used_tuple(c, tuple, ct))
			continue;
		if (!(range->flags & NF_NAT_RANGE_PROTO_RANDOM_ALL) && use_rover) {
			sim_yield(c->ex, SIM_WRITE, OBJ_ROVER(tuple->protonum), "nf_nat_l4proto_unique_tuple: *rover = off");
			c->w->port_rover[tuple->protonum == PROTO_TCP] = (uint16_t)off;
		}
		sim_note(c->ex, "port search picked %u", min + off % range_size);
		return;
	}
}

/* a504b703bb1d: at most 128 tries, then halve and restart at a random offset. */
static void unique_tuple_limited(struct nf_cpu *c, struct nf_conntrack_tuple *tuple, enum nf_nat_manip_type manip,
				 int32_t ct, uint32_t min, uint32_t range_size, uint32_t off)
{
	uint32_t attempts = range_size < 128 ? range_size : 128;
	for (;;) {
		for (uint32_t i = 0; i < attempts; i++, off++) {
			set_port(tuple, manip, min + off % range_size);
			if (!nf_nat_used_tuple(c, tuple, ct)) {
				sim_note(c->ex, "port search picked %u", min + off % range_size);
				return;
			}
		}
		if (attempts >= range_size || attempts < 16) {
			sim_note(c->ex, "port search gave up: keeps taken port %u", (uint32_t)(manip == NF_NAT_MANIP_SRC ? tuple->src_port : tuple->dst_port));
			return;
		}
		attempts /= 2;
		off = prandom_offset(c, min, range_size, "nf_nat_l4proto_unique_tuple: prandom_u32() restart");
	}
}

/* nf_nat_l4proto_unique_tuple - pick a free port for UDP/TCP. */
static void nf_nat_l4proto_unique_tuple(struct nf_cpu *c, struct nf_conntrack_tuple *tuple,
					const struct nf_nat_range2 *range, enum nf_nat_manip_type manip, int32_t ct)
{
	uint32_t min, range_size, off;
	uint16_t port = manip == NF_NAT_MANIP_SRC ? tuple->src_port : tuple->dst_port;
	if (!(range->flags & NF_NAT_RANGE_PROTO_SPECIFIED)) {
		if (manip == NF_NAT_MANIP_DST)
			return; /* DNAT without ports never changes the port */
		if (port < 1024) {
			min = port < 512 ? 1 : 600;
			range_size = port < 512 ? 511 : 1023 - 600 + 1;
		} else {
			min = 1024;
			range_size = 65535 - 1024 + 1;
		}
	} else {
		min = range->min_proto;
		range_size = (uint32_t)range->max_proto - range->min_proto + 1;
	}
	bool rover = !nf_fix(c->w, FIX_NO_ROVER);
	if ((range->flags & NF_NAT_RANGE_PROTO_RANDOM) && rover) {
		off = secure_port(tuple);
	} else if ((range->flags & NF_NAT_RANGE_PROTO_RANDOM_ALL) || !rover) {
		off = prandom_offset(c, min, range_size, "nf_nat_l4proto_unique_tuple: prandom_u32()");
	} else {
		sim_yield(c->ex, SIM_READ, OBJ_ROVER(tuple->protonum), "nf_nat_l4proto_unique_tuple: off = *rover");
		off = c->w->port_rover[tuple->protonum == PROTO_TCP];
		sim_note(c->ex, "shared rover reads %u", off);
	}
	if (nf_fix(c->w, FIX_ATTEMPT_LIMIT))
		unique_tuple_limited(c, tuple, manip, ct, min, range_size, off);
	else
		unique_tuple_unlimited(c, tuple, range, manip, ct, min, range_size, off, rover);
}

/* ---- tuple selection ---------------------------------------------------- */

bool nf_nat_used_tuple(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple, int32_t ct)
{
	struct nf_conntrack_tuple reply;
	nf_ct_invert_tuple(&reply, tuple);
	return nf_conntrack_tuple_taken(c, &reply, ct);
}

/* nf_nat_used_tuple_new - d8f84a9bc7c4: a tuple used only by the exact
 * reverse flow, with no NAT on either side, is not "taken" (confirm will
 * merge the two via nf_ct_match_reverse). */
static bool nf_nat_used_tuple_new(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple, int32_t ignored)
{
	/* before 50d9ce9679dd the mask used IPS_SEQ_ADJUST_BIT (6) as a mask: SEEN_REPLY|ASSURED */
	uint32_t uses_nat = IPS_NAT_MASK | (nf_fix(c->w, FIX_REVERSE_TUPLE_LOOKUP) ? IPS_SEQ_ADJUST : IPS_SEQ_ADJUST_BIT);
	const struct nf_conn *ign = &c->w->ct[ignored];
	if (!nf_nat_used_tuple(c, tuple, ignored))
		return false;
	if (tuple->protonum != PROTO_UDP)
		return true; /* no allow_clash */
	if (ign->status & uses_nat)
		return true;
	struct nf_ct_node h = __nf_conntrack_find_get(c, tuple);
	if (h.ct < 0 && nf_fix(c->w, FIX_REVERSE_TUPLE_LOOKUP)) {
		struct nf_conntrack_tuple rev;
		nf_ct_invert_tuple(&rev, tuple);
		h = __nf_conntrack_find_get(c, &rev); /* the direction of the node found is kept */
	}
	if (h.ct < 0)
		return false; /* clashing entry went away */
	bool taken = true;
	sim_yield(c->ex, SIM_READ, OBJ_CT(h.ct), "nf_nat_used_tuple_new: READ_ONCE(ct->status)");
	const struct nf_conn *ct = &c->w->ct[h.ct];
	if (h.dir == IP_CT_DIR_REPLY && !(ct->status & uses_nat) &&
	    nf_ct_tuple_equal(&ct->tuplehash[IP_CT_DIR_REPLY], &ign->tuplehash[IP_CT_DIR_ORIGINAL]) &&
	    nf_ct_tuple_equal(&ct->tuplehash[IP_CT_DIR_ORIGINAL], &ign->tuplehash[IP_CT_DIR_REPLY])) {
		sim_note(c->ex, "used only by the reverse flow ct#%d: keep the port (d8f84a9bc7c4)", h.ct);
		taken = false;
	}
	nf_ct_put(c, h.ct);
	return taken;
}

/* in_range - the SRC side of tuple lies in range (used by step 1 only). */
static bool in_range(const struct nf_conntrack_tuple *tuple, const struct nf_nat_range2 *range)
{
	if ((range->flags & NF_NAT_RANGE_MAP_IPS) &&
	    (tuple->src_ip < range->min_addr || tuple->src_ip > range->max_addr))
		return false;
	if (!(range->flags & NF_NAT_RANGE_PROTO_SPECIFIED))
		return true;
	return l4proto_in_range(tuple, NF_NAT_MANIP_SRC, range->min_proto, range->max_proto);
}

static bool same_src(const struct nf_conn *ct, const struct nf_conntrack_tuple *tuple)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL];
	return t->protonum == tuple->protonum && t->src_ip == tuple->src_ip && t->src_port == tuple->src_port;
}

/* find_appropriate_src - reuse the mapping of another conntrack from the same
 * source ip:port, confirmed or not (nf_nat_bysource holds both). */
static bool find_appropriate_src(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple,
				 struct nf_conntrack_tuple *result, const struct nf_nat_range2 *range)
{
	const struct world *w = c->w;
	uint32_t h = hash_by_src(tuple);
	int32_t order[NF_CT_MAX];
	uint32_t n = 0;
	if (!w->bysource_walked)
		sim_fail(c->ex, "find_appropriate_src in a world declared without it (world.bysource_walked)");
	sim_yield(c->ex, SIM_READ, OBJ_BYSOURCE(h), "find_appropriate_src: walk nf_nat_bysource");
	for (int32_t i = nf_ct_next_allocated(w, -1); i >= 0; i = nf_ct_next_allocated(w, i))
		if (w->ct[i].bysource_linked && w->ct[i].bysource_hash == h)
			order[n++] = i;
	for (uint32_t k = 0; k < n; k++) { /* newest first */
		int32_t best = -1;
		for (uint32_t i = 0; i < n; i++)
			if (order[i] >= 0 && (best < 0 || w->ct[order[i]].bysource_seq > w->ct[order[best]].bysource_seq))
				best = (int32_t)i;
		int32_t i = order[best];
		order[best] = -1;
		const struct nf_conn *ct = &w->ct[i];
		if (!same_src(ct, tuple))
			continue;
		nf_ct_invert_tuple(result, &ct->tuplehash[IP_CT_DIR_REPLY]);
		result->dst_ip = tuple->dst_ip;
		result->dst_port = tuple->dst_port;
		if (in_range(result, range)) {
			sim_note(c->ex, "find_appropriate_src: reuse mapping of ct#%d (source port %u)", i, result->src_port);
			return true;
		}
	}
	return false;
}

static void find_best_ips_proto(struct nf_conntrack_tuple *tuple, const struct nf_nat_range2 *range,
				enum nf_nat_manip_type manip)
{
	if (!(range->flags & NF_NAT_RANGE_MAP_IPS))
		return;
	assert(range->min_addr == range->max_addr); /* single-address ranges only */
	if (manip == NF_NAT_MANIP_SRC)
		tuple->src_ip = range->min_addr;
	else
		tuple->dst_ip = range->min_addr;
}

void get_unique_tuple(struct nf_cpu *c, struct nf_conntrack_tuple *tuple, const struct nf_conntrack_tuple *orig_tuple,
		      const struct nf_nat_range2 *range, int32_t ct, enum nf_nat_manip_type maniptype)
{
	/* 1) SRC manip, not random: keep the tuple, or reuse this source's mapping */
	if (maniptype == NF_NAT_MANIP_SRC && !(range->flags & NF_NAT_RANGE_PROTO_RANDOM_ALL)) {
		if (in_range(orig_tuple, range)) {
			bool used = nf_fix(c->w, FIX_REVERSE_CLASH) ? nf_nat_used_tuple_new(c, orig_tuple, ct)
								    : nf_nat_used_tuple(c, orig_tuple, ct);
			if (!used) {
				*tuple = *orig_tuple;
				sim_note(c->ex, "get_unique_tuple: original tuple free, port %u kept", tuple->src_port);
				return;
			}
		} else if (find_appropriate_src(c, orig_tuple, tuple, range)) {
			if (!nf_nat_used_tuple(c, tuple, ct))
				return;
		}
	}
	/* 2) choose the address */
	*tuple = *orig_tuple;
	find_best_ips_proto(tuple, range, maniptype);
	/* 3) the port as it is, if it is in range and free */
	if (!(range->flags & NF_NAT_RANGE_PROTO_RANDOM_ALL)) {
		if (range->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
			if (l4proto_in_range(tuple, maniptype, range->min_proto, range->max_proto) &&
			    (range->min_proto == range->max_proto || !nf_nat_used_tuple(c, tuple, ct))) {
				sim_note(c->ex, "get_unique_tuple: port in range, kept");
				return;
			}
		} else if (!nf_nat_used_tuple(c, tuple, ct)) {
			sim_note(c->ex, "get_unique_tuple: mapped tuple free, port kept");
			return;
		}
	}
	/* 4) search a port */
	sim_note(c->ex, "get_unique_tuple: tuple taken or random: port search");
	nf_nat_l4proto_unique_tuple(c, tuple, range, maniptype, ct);
}

/* ---- setup, bysource, packet rewriting ---------------------------------- */

static void nf_nat_bysource_insert(struct nf_cpu *c, int32_t i)
{
	struct nf_conn *ct = &c->w->ct[i];
	uint32_t h = hash_by_src(&ct->tuplehash[IP_CT_DIR_ORIGINAL]);
	sim_lock(c->ex, OBJ_NAT_LOCK(h), "nf_nat_setup_info: spin_lock_bh(&nf_nat_locks[h])");
	sim_yield(c->ex, SIM_WRITE, OBJ_BYSOURCE(h), "nf_nat_setup_info: hlist_add_head_rcu(nf_nat_bysource)");
	ct->bysource_linked = true;
	ct->bysource_hash = h;
	ct->bysource_seq = ++c->w->bysource_seq_next;
	sim_unlock(c->ex, OBJ_NAT_LOCK(h), "nf_nat_setup_info: spin_unlock_bh");
}

void nf_nat_cleanup_conntrack(struct nf_cpu *c, int32_t i)
{
	struct nf_conn *ct = &c->w->ct[i];
	uint32_t h = ct->bysource_hash;
	sim_lock(c->ex, OBJ_NAT_LOCK(h), "nf_nat_cleanup_conntrack: spin_lock_bh(&nf_nat_locks[h])");
	sim_yield(c->ex, SIM_WRITE, OBJ_BYSOURCE(h), "nf_nat_cleanup_conntrack: hlist_del_rcu(nf_nat_bysource)");
	ct->bysource_linked = false;
	sim_unlock(c->ex, OBJ_NAT_LOCK(h), "nf_nat_cleanup_conntrack: spin_unlock_bh");
}

enum nf_verdict nf_nat_setup_info(struct nf_cpu *c, int32_t i, const struct nf_nat_range2 *range,
				  enum nf_nat_manip_type maniptype)
{
	struct nf_conn *ct = nf_ct_get_conn(c, i);
	struct nf_conntrack_tuple curr, new_tuple;
	if (ct->status & IPS_CONFIRMED)
		return NF_ACCEPT;
	assert(!nf_nat_initialized(ct, maniptype));
	nf_ct_invert_tuple(&curr, &ct->tuplehash[IP_CT_DIR_REPLY]);
	get_unique_tuple(c, &new_tuple, &curr, range, i, maniptype);
	if (!nf_ct_tuple_equal(&new_tuple, &curr)) {
		struct nf_conntrack_tuple reply;
		nf_ct_invert_tuple(&reply, &new_tuple);
		nf_conntrack_alter_reply(c, i, &reply);
		ct->status |= maniptype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
	}
	if (maniptype == NF_NAT_MANIP_SRC)
		nf_nat_bysource_insert(c, i);
	ct->status |= maniptype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE;
	return NF_ACCEPT;
}

/* __nf_nat_alloc_null_binding - map to the address the packet already has. */
static enum nf_verdict nf_nat_alloc_null_binding(struct nf_cpu *c, int32_t i, enum nf_nat_manip_type manip)
{
	const struct nf_conn *ct = &c->w->ct[i];
	uint32_t ip = manip == NF_NAT_MANIP_SRC ? ct->tuplehash[IP_CT_DIR_REPLY].dst_ip
						 : ct->tuplehash[IP_CT_DIR_REPLY].src_ip;
	struct nf_nat_range2 range = {NF_NAT_RANGE_MAP_IPS, ip, ip, 0, 0};
	sim_note(c->ex, "nf_nat_alloc_null_binding (%s)", manip == NF_NAT_MANIP_SRC ? "SRC" : "DST");
	return nf_nat_setup_info(c, i, &range, manip);
}

static bool addr_matches(const struct scenario_addr_match *m, uint32_t ip, uint16_t port)
{
	if (!m->present)
		return true;
	uint32_t mask = m->prefix_len == 0 ? 0 : 0xffffffffu << (32 - m->prefix_len);
	return (ip & mask) == (m->ip & mask) && (m->port == 0 || m->port == port);
}

static bool rule_matches(const struct scenario_match *m, const struct nf_conntrack_tuple *t)
{
	return (m->proto == PROTO_ANY || (uint8_t)m->proto == t->protonum) &&
	       addr_matches(&m->src, t->src_ip, t->src_port) && addr_matches(&m->dst, t->dst_ip, t->dst_port);
}

/* The targets: DNAT (a `statistic` chain when several), SNAT, MASQUERADE. */
static enum nf_verdict nat_target(struct nf_cpu *c, int32_t ct, const struct scenario_rule *r)
{
	struct nf_nat_range2 range = {NF_NAT_RANGE_MAP_IPS, 0, 0, 0, 0};
	if (r->action == ACTION_DNAT) {
		uint32_t k = sim_choose(c->ex, r->target_count, "-m statistic --mode random: DNAT endpoint");
		const struct scenario_endpoint *t = &r->targets[k];
		struct nf_draw d = {(uint8_t)sim_actor_index(c->ex), NF_DRAW_DNAT, false, (uint16_t)(r - c->w->sc->rules), k, 1,
				    r->target_count};
		nf_draws_add(&c->w->draws, d);
		range.min_addr = range.max_addr = t->ip;
		if (t->port) {
			range.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
			range.min_proto = range.max_proto = t->port;
		}
		sim_note(c->ex, "DNAT to endpoint %u of %u", k + 1, r->target_count);
		return nf_nat_setup_info(c, ct, &range, NF_NAT_MANIP_DST);
	}
	range.min_addr = range.max_addr = r->to_ip;
	if (r->port_min) {
		range.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		range.min_proto = r->port_min;
		range.max_proto = r->port_max;
	}
	if (r->random)
		range.flags |= NF_NAT_RANGE_PROTO_RANDOM;
	if (r->random_fully)
		range.flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
	sim_note(c->ex, "%s", r->action == ACTION_MASQUERADE ? "MASQUERADE" : "SNAT");
	return nf_nat_setup_info(c, ct, &range, NF_NAT_MANIP_SRC);
}

/* iptable_nat_do_chain - the nat table chain of hook: first matching rule wins. */
static enum nf_verdict iptable_nat_do_chain(struct nf_cpu *c, struct sk_buff *skb, enum nf_hook hook)
{
	const struct scenario *sc = c->w->sc;
	for (uint32_t i = 0; i < sc->rule_count; i++) {
		const struct scenario_rule *r = &sc->rules[i];
		if (r->hook == hook && rule_matches(&r->match, &skb->hdr))
			return nat_target(c, skb->ct, r);
	}
	return NF_ACCEPT;
}

enum nf_verdict nf_nat_packet(struct nf_cpu *c, int32_t i, enum ip_conntrack_info ctinfo, enum nf_hook hook,
			      struct sk_buff *skb)
{
	const struct nf_conn *ct = nf_ct_get_conn(c, i);
	enum ip_conntrack_dir dir = ctinfo == IP_CT_ESTABLISHED_REPLY ? IP_CT_DIR_REPLY : IP_CT_DIR_ORIGINAL;
	enum nf_nat_manip_type mtype = HOOK2MANIP(hook);
	uint32_t statusbit = mtype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
	if (dir == IP_CT_DIR_REPLY)
		statusbit ^= IPS_NAT_MASK;
	if (!(ct->status & statusbit))
		return NF_ACCEPT;
	struct nf_conntrack_tuple target;
	nf_ct_invert_tuple(&target, &ct->tuplehash[!dir]);
	if (mtype == NF_NAT_MANIP_SRC) {
		skb->hdr.src_ip = target.src_ip;
		skb->hdr.src_port = target.src_port;
	} else {
		skb->hdr.dst_ip = target.dst_ip;
		skb->hdr.dst_port = target.dst_port;
	}
	return NF_ACCEPT;
}

enum nf_verdict nf_nat_ipv4_fn(struct nf_cpu *c, struct sk_buff *skb, enum nf_hook hook)
{
	if (!c->w->sc->nat_table || skb->untracked || skb->ct < 0)
		return NF_ACCEPT;
	enum nf_nat_manip_type maniptype = HOOK2MANIP(hook);
	if (skb->ctinfo == IP_CT_NEW && !nf_nat_initialized(&c->w->ct[skb->ct], maniptype)) {
		enum nf_verdict ret = iptable_nat_do_chain(c, skb, hook);
		if (ret != NF_ACCEPT)
			return ret;
		if (!nf_nat_initialized(&c->w->ct[skb->ct], maniptype)) {
			ret = nf_nat_alloc_null_binding(c, skb->ct, maniptype);
			if (ret != NF_ACCEPT)
				return ret;
		}
	}
	return nf_nat_packet(c, skb->ct, skb->ctinfo, hook, skb);
}
