/*
 * conntrack.c - the conntrack core of the model: tuples and hashing, the
 * lockless lookups (__nf_conntrack_find_get, nf_conntrack_tuple_taken),
 * init_conntrack, nf_conntrack_in, reference counting, nf_ct_delete.
 *
 * Mirrors net/netfilter/nf_conntrack_core.c and nf_conntrack_proto_udp.c.
 * A shared access is preceded by a yield naming it.  Accesses to a conntrack
 * no other CPU can reach yet (not hashed, not in nf_nat_bysource) are local
 * and do not yield; fields that never change once a conntrack is published
 * (its tuples, the NAT bits set before publication) are read without a yield.
 */
#include "nf_conntrack.h"

#include "nf_nat.h"

#include <assert.h>
#include <string.h>

bool nf_ct_tuple_equal(const struct nf_conntrack_tuple *a, const struct nf_conntrack_tuple *b)
{
	return a->src_ip == b->src_ip && a->dst_ip == b->dst_ip && a->src_port == b->src_port &&
	       a->dst_port == b->dst_port && a->protonum == b->protonum;
}

void nf_ct_invert_tuple(struct nf_conntrack_tuple *inverse, const struct nf_conntrack_tuple *orig)
{
	struct nf_conntrack_tuple t = {orig->dst_ip, orig->src_ip, orig->dst_port, orig->src_port, orig->protonum};
	*inverse = t;
}

static uint32_t mix32(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x9e3779b1u;
	h ^= h >> 15;
	h *= 0x85ebca77u;
	h ^= h >> 13;
	return h;
}

uint32_t hash_conntrack_raw(const struct nf_conntrack_tuple *tuple)
{
	uint32_t h = 0x6e667261u; /* fixed seed: nf_conntrack_hash_rnd is one boot-time value */
	h = mix32(h, tuple->src_ip);
	h = mix32(h, tuple->dst_ip);
	h = mix32(h, ((uint32_t)tuple->src_port << 16) | tuple->dst_port);
	h = mix32(h, tuple->protonum);
	return h;
}

struct nf_conn *nf_ct_get_conn(struct nf_cpu *c, int32_t i)
{
	assert(i >= 0 && i < NF_CT_MAX && c->w->ct[i].allocated);
	struct nf_conn *ct = &c->w->ct[i];
	if (ct->freed)
		sim_fail(c->ex, "use of a freed conntrack");
	return ct;
}

const struct nf_conn *nf_ct_rcu_conn(const struct nf_cpu *c, int32_t i)
{
	assert(i >= 0 && i < NF_CT_MAX && c->w->ct[i].allocated);
	return &c->w->ct[i];
}

uint32_t nf_ct_chain(const struct world *w, uint32_t bucket, struct nf_ct_node *out, uint32_t cap)
{
	uint32_t n = 0, total = 0;
	for (int32_t i = nf_ct_next_allocated(w, -1); i >= 0; i = nf_ct_next_allocated(w, i))
		for (int d = 0; d < IP_CT_DIR_MAX; d++)
			if (w->ct[i].hnode_bucket[d] == (int32_t)bucket && total++ < cap)
				out[n++] = (struct nf_ct_node){i, (enum ip_conntrack_dir)d};
	if (total > cap)
		return total;
	/* newest first, as hlist_nulls_add_head_rcu leaves a chain */
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t j = i; j > 0; j--) {
			const struct nf_conn *a = &w->ct[out[j - 1].ct], *b = &w->ct[out[j].ct];
			if (a->hnode_seq[out[j - 1].dir] >= b->hnode_seq[out[j].dir])
				break;
			struct nf_ct_node t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

uint32_t nf_ct_chain_of(struct nf_cpu *c, uint32_t bucket, struct nf_ct_node *out)
{
	uint32_t n = nf_ct_chain(c->w, bucket, out, NF_CT_CHAIN_MAX);
	if (n > NF_CT_CHAIN_MAX)
		sim_fail(c->ex, "model limit: a hash chain longer than NF_CT_CHAIN_MAX nodes");
	return n;
}

bool nf_ct_key_equal(struct nf_cpu *c, const struct nf_ct_node *h, const struct nf_conntrack_tuple *tuple)
{
	sim_yield(c->ex, SIM_READ, OBJ_CT(h->ct), "nf_ct_key_equal: read ct->status");
	const struct nf_conn *ct = nf_ct_rcu_conn(c, h->ct);
	return nf_ct_tuple_equal(tuple, &ct->tuplehash[h->dir]) && (ct->status & IPS_CONFIRMED);
}

bool nf_ct_is_dying(struct nf_cpu *c, int32_t i, const char *label)
{
	sim_yield(c->ex, SIM_READ, OBJ_CT(i), label);
	return (nf_ct_rcu_conn(c, i)->status & IPS_DYING) != 0;
}

bool nf_ct_is_visible(const struct world *w, int32_t i)
{
	const struct nf_conn *ct = &w->ct[i];
	return ct->hnode_bucket[0] != HNODE_UNHASHED || ct->hnode_bucket[1] != HNODE_UNHASHED ||
	       ct->bysource_linked || (ct->status & IPS_CONFIRMED);
}

/* Can another CPU take a reference?  Only through the hash table. */
static bool refcount_shared(const struct world *w, int32_t i)
{
	const struct nf_conn *ct = &w->ct[i];
	return (ct->status & IPS_CONFIRMED) || ct->hnode_bucket[0] >= 0 || ct->hnode_bucket[1] >= 0;
}

static void lock_pair(uint32_t h1, uint32_t h2, uint32_t *lo, uint32_t *hi)
{
	uint32_t l1 = h1 % CONNTRACK_LOCKS, l2 = h2 % CONNTRACK_LOCKS;
	*lo = l1 < l2 ? l1 : l2;
	*hi = l1 < l2 ? l2 : l1;
}

void nf_conntrack_double_lock(struct nf_cpu *c, uint32_t h1, uint32_t h2)
{
	uint32_t lo, hi;
	lock_pair(h1, h2, &lo, &hi);
	if (c->w->plants & PLANT_LOCK_ORDER) { /* planted bug: h1 first, whatever the order */
		lo = h1 % CONNTRACK_LOCKS;
		hi = h2 % CONNTRACK_LOCKS;
	}
	sim_lock(c->ex, OBJ_BUCKET_LOCK(lo), "nf_conntrack_double_lock: spin_lock(first bucket lock)");
	if (hi != lo)
		sim_lock(c->ex, OBJ_BUCKET_LOCK(hi), "nf_conntrack_double_lock: spin_lock_nested(second)");
}

void nf_conntrack_double_unlock(struct nf_cpu *c, uint32_t h1, uint32_t h2)
{
	uint32_t l1 = h1 % CONNTRACK_LOCKS, l2 = h2 % CONNTRACK_LOCKS;
	sim_unlock(c->ex, OBJ_BUCKET_LOCK(l1), "nf_conntrack_double_unlock: spin_unlock");
	if (l2 != l1)
		sim_unlock(c->ex, OBJ_BUCKET_LOCK(l2), "nf_conntrack_double_unlock: spin_unlock");
}

/* hotpath_stats - whether this kernel still counts searched, found (in
 * lookups), new, insert, delete and delete_list: until 8e8118f89313 (v4.9). */
static bool hotpath_stats(const struct nf_cpu *c)
{
	return !nf_fix(c->w, FIX_NO_HOTPATH_STATS);
}

/* ____nf_conntrack_find - RCU walk of tuple's chain: the first node whose key
 * matches.  Up to v4.8 a hit counts `found` and every other node walked
 * `searched`.  The walk's own dying test (first seen in the f330a7fdbe16
 * file, gone with 87e389b4c200) is folded into __nf_conntrack_find_get's:
 * confirm never hashes two entries with one key, so the walk meets at most
 * one match and both tests give the same answer (docs/model.md). */
static struct nf_ct_node ____nf_conntrack_find(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple)
{
	struct nf_ct_node chain[NF_CT_CHAIN_MAX];
	uint32_t bucket = scale_hash(hash_conntrack_raw(tuple));
	sim_yield(c->ex, SIM_READ, OBJ_BUCKET(bucket), "____nf_conntrack_find: walk bucket");
	uint32_t n = nf_ct_chain_of(c, bucket, chain);
	for (uint32_t i = 0; i < n; i++) {
		if (nf_ct_key_equal(c, &chain[i], tuple)) {
			if (hotpath_stats(c))
				NF_CT_STAT_INC(c, STAT_FOUND);
			return chain[i];
		}
		if (hotpath_stats(c))
			NF_CT_STAT_INC(c, STAT_SEARCHED);
	}
	return (struct nf_ct_node){-1, IP_CT_DIR_ORIGINAL};
}

/* atomic_inc_not_zero(&ct->ct_general.use) on an entry a lockless walk
 * found: fails once the last reference is gone, even if the entry is freed
 * already (SLAB_TYPESAFE_BY_RCU keeps the memory a conntrack whose count is
 * 0 until it is reused, and slots are never reused here). */
static bool nf_ct_inc_not_zero(struct nf_cpu *c, int32_t i, const char *label)
{
	sim_yield(c->ex, nf_ct_refcount_kind(c->w), OBJ_CT_USE(i), label);
	struct nf_conn *ct = &c->w->ct[i];
	if (ct->use == 0)
		return false;
	ct->use++;
	return true;
}

struct nf_ct_node __nf_conntrack_find_get(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple)
{
	const struct nf_ct_node miss = {-1, IP_CT_DIR_ORIGINAL};
	struct nf_ct_node h = ____nf_conntrack_find(c, tuple);
	if (h.ct < 0)
		return h;
	/* before 87e389b4c200: nf_ct_is_dying(ct) || !atomic_inc_not_zero(...) is a miss */
	if (!nf_fix(c->w, FIX_LOOKUP_NO_DYING) &&
	    nf_ct_is_dying(c, h.ct, "__nf_conntrack_find_get: nf_ct_is_dying(ct)")) {
		sim_note(c->ex, "lookup found ct#%d but it is dying: miss", h.ct);
		return miss;
	}
	if (!nf_ct_inc_not_zero(c, h.ct, "__nf_conntrack_find_get: atomic_inc_not_zero(&ct->use)")) {
		sim_note(c->ex, "lookup found ct#%d but its last reference is gone: inc_not_zero fails, miss", h.ct);
		return miss;
	}
	/* The key re-check after the reference guards SLAB_TYPESAFE_BY_RCU
	 * reuse: a recycled candidate restarts the lookup (before 87e389b4c200)
	 * or is a miss.  Slots are never reused here, and tuples and CONFIRMED
	 * never change under a reference, so the re-check always holds
	 * (docs/model.md, Abstractions). */
	return h;
}

bool nf_conntrack_tuple_taken(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple, int32_t ignored)
{
	struct nf_ct_node chain[NF_CT_CHAIN_MAX];
	uint32_t bucket = scale_hash(hash_conntrack_raw(tuple));
	const struct nf_conn *ign = &c->w->ct[ignored];
	sim_yield(c->ex, SIM_READ, OBJ_BUCKET(bucket), "nf_conntrack_tuple_taken: walk bucket");
	uint32_t n = nf_ct_chain_of(c, bucket, chain);
	for (uint32_t i = 0; i < n; i++) {
		/* up to v4.8 every node but a hit counts `searched`, the ignored
		 * conntrack too (it is compared in the same test) */
		if (chain[i].ct == ignored || !nf_ct_key_equal(c, &chain[i], tuple)) {
			if (hotpath_stats(c))
				NF_CT_STAT_INC(c, STAT_SEARCHED);
			continue;
		}
		const struct nf_conn *ct = nf_ct_rcu_conn(c, chain[i].ct);
		/* 4e35c1cb9460: same ORIGINAL tuple means the same flow; leave it to
		 * nf_ct_resolve_clash.  07998281c268 adds "same zone" (one zone here). */
		if (nf_fix(c->w, FIX_SAME_ORIGIN) &&
		    nf_ct_tuple_equal(&ign->tuplehash[IP_CT_DIR_ORIGINAL], &ct->tuplehash[IP_CT_DIR_ORIGINAL])) {
			sim_note(c->ex, "tuple used by ct#%d with the same origin: not taken (4e35c1cb9460)",
				 chain[i].ct);
			continue;
		}
		NF_CT_STAT_INC(c, STAT_FOUND);
		sim_note(c->ex, "tuple taken by ct#%d; found++", chain[i].ct);
		return true;
	}
	return false;
}

/* init_conntrack - allocate an unconfirmed conntrack for tuple (a lookup miss). */
static int32_t init_conntrack(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple)
{
	struct world *w = c->w;
	/* __nf_conntrack_alloc counts the entry in net->ct.count: a commutative
	 * add on a CPU's own naming class, a read-modify-write where CPUs share
	 * one (a symmetric run: the order of allocations names the slots). */
	sim_yield(c->ex, (enum sim_access_kind)c->alloc_kind, OBJ_CT_ALLOC(c->cls),
		  "__nf_conntrack_alloc: atomic_inc(&net->ct.count)");
	if (w->ct_alloc[c->cls] == w->class_cap[c->cls])
		sim_fail(c->ex, "model limit: more conntracks on one CPU than NF_CT_PER_CPU");
	int32_t i = (int32_t)(w->class_base[c->cls] + w->ct_alloc[c->cls]++);
	struct nf_conn *ct = &w->ct[i];
	memset(ct, 0, sizeof(*ct));
	ct->allocated = true;
	ct->tuplehash[IP_CT_DIR_ORIGINAL] = *tuple;
	nf_ct_invert_tuple(&ct->tuplehash[IP_CT_DIR_REPLY], tuple);
	ct->orig_hash = hash_conntrack_raw(tuple);
	ct->reply_hash = hash_conntrack_raw(&ct->tuplehash[IP_CT_DIR_REPLY]);
	ct->hnode_bucket[0] = ct->hnode_bucket[1] = HNODE_UNHASHED;
	ct->use = 1; /* the skb's reference */
	if (!nf_fix(w, FIX_NO_UNCONFIRMED_LIST))
		ct->on_unconfirmed = true; /* nf_ct_add_to_unconfirmed_list: per-cpu */
	if (hotpath_stats(c))
		NF_CT_STAT_INC(c, STAT_NEW); /* no expectations are modelled */
	sim_note(c->ex, "init_conntrack: new unconfirmed ct#%d", i);
	return i;
}

/* resolve_normal_ct - find or create the conntrack of skb and set ctinfo. */
static void resolve_normal_ct(struct nf_cpu *c, struct sk_buff *skb)
{
	struct nf_ct_node h = __nf_conntrack_find_get(c, &skb->hdr);
	if (h.ct < 0) {
		sim_note(c->ex, "lookup missed");
		skb->ct = init_conntrack(c, &skb->hdr);
		skb->ctinfo = IP_CT_NEW;
		return;
	}
	skb->ct = h.ct;
	if (h.dir == IP_CT_DIR_REPLY) {
		skb->ctinfo = IP_CT_ESTABLISHED_REPLY;
	} else {
		sim_yield(c->ex, SIM_READ, OBJ_CT(h.ct), "resolve_normal_ct: test_bit(IPS_SEEN_REPLY_BIT)");
		skb->ctinfo = (c->w->ct[h.ct].status & IPS_SEEN_REPLY) ? IP_CT_ESTABLISHED : IP_CT_NEW;
	}
	sim_note(c->ex, "lookup found ct#%d (%s direction)", h.ct, h.dir == IP_CT_DIR_REPLY ? "REPLY" : "ORIGINAL");
}

/* nf_conntrack_udp_packet - the UDP tracker: ASSURED once a reply was seen;
 * before c46172147ebb a reply also killed a NAT_CLASH entry. */
static void nf_conntrack_udp_packet(struct nf_cpu *c, struct sk_buff *skb)
{
	struct nf_conn *ct = &c->w->ct[skb->ct];
	if (!(ct->status & IPS_CONFIRMED))
		return; /* a new flow: only the timeout is set */
	sim_yield(c->ex, SIM_RMW, OBJ_CT(skb->ct), "nf_conntrack_udp_packet: read status, set ASSURED");
	bool keep = nf_fix(c->w, FIX_CLASH_KEEP_ON_REPLY);
	if (ct->status & IPS_SEEN_REPLY) {
		/* c46172147ebb: a NAT_CLASH entry is never ASSURED */
		if (!(keep && (ct->status & IPS_NAT_CLASH)))
			ct->status |= IPS_ASSURED;
		return;
	}
	/* unreplied: before c46172147ebb the first reply killed a NAT_CLASH entry */
	if (!keep && (ct->status & IPS_NAT_CLASH) && skb->ctinfo == IP_CT_ESTABLISHED_REPLY) {
		sim_note(c->ex, "first reply on NAT_CLASH ct#%d: nf_ct_kill (before c46172147ebb)", skb->ct);
		nf_ct_kill(c, skb->ct);
	}
}

enum nf_verdict nf_conntrack_in(struct nf_cpu *c, struct sk_buff *skb, enum nf_hook hook)
{
	(void)hook;
	if (skb->untracked) {
		/* the `ignore` stat went away in the v5.10 statistics series (bc92470413f3) */
		if (!nf_fix(c->w, FIX_CLASH_RESOLVE_STAT))
			NF_CT_STAT_INC(c, STAT_IGNORE);
		sim_note(c->ex, "nf_conntrack_in: untracked skb (NOTRACK): ignore");
		return NF_ACCEPT;
	}
	resolve_normal_ct(c, skb);
	if (skb->hdr.protonum == PROTO_UDP)
		nf_conntrack_udp_packet(c, skb);
	if (skb->ctinfo == IP_CT_ESTABLISHED_REPLY) {
		sim_yield(c->ex, SIM_RMW, OBJ_CT(skb->ct), "nf_conntrack_in: test_and_set_bit(IPS_SEEN_REPLY_BIT)");
		c->w->ct[skb->ct].status |= IPS_SEEN_REPLY;
	}
	return NF_ACCEPT;
}

void nf_conntrack_alter_reply(struct nf_cpu *c, int32_t i, const struct nf_conntrack_tuple *newreply)
{
	struct nf_conn *ct = nf_ct_get_conn(c, i);
	assert(!(ct->status & IPS_CONFIRMED)); /* WARN_ON(nf_ct_is_confirmed(ct)) */
	assert(!nf_ct_is_visible(c->w, i));
	ct->tuplehash[IP_CT_DIR_REPLY] = *newreply;
	ct->reply_hash = hash_conntrack_raw(newreply);
}

enum sim_access_kind nf_ct_refcount_kind(const struct world *w)
{
	return w->deletes_possible ? SIM_RMW : SIM_ADD;
}

sim_obj world_add_only_class(const struct world *w)
{
	return w->deletes_possible ? 0 : SIM_CLASS(OBJ_CT_USE(0));
}

void nf_conntrack_get(struct nf_cpu *c, int32_t i)
{
	if (refcount_shared(c->w, i))
		sim_yield(c->ex, SIM_ADD, OBJ_CT_USE(i), "nf_conntrack_get: atomic_inc(&ct->use)");
	struct nf_conn *ct = nf_ct_get_conn(c, i);
	assert(ct->use > 0);
	ct->use++;
}

/* nf_conntrack_free - last reference gone: leave nf_nat_bysource, free. */
static void nf_conntrack_free(struct nf_cpu *c, int32_t i)
{
	struct nf_conn *ct = &c->w->ct[i];
	if (ct->bysource_linked)
		nf_nat_cleanup_conntrack(c, i);
	ct->freed = true;
	sim_note(c->ex, "ct#%d freed", i);
}

/* destroy_conntrack - unlink from the per-cpu lists (CPU-local here) and free. */
static void destroy_conntrack(struct nf_cpu *c, int32_t i)
{
	struct nf_conn *ct = &c->w->ct[i];
	assert(ct->hnode_bucket[0] < 0 && ct->hnode_bucket[1] < 0);
	ct->on_unconfirmed = false;
	ct->on_dying = false;
	if (hotpath_stats(c))
		NF_CT_STAT_INC(c, STAT_DELETE);
	nf_conntrack_free(c, i);
}

void nf_ct_put(struct nf_cpu *c, int32_t i)
{
	bool shared = refcount_shared(c->w, i);
	if (shared)
		sim_yield(c->ex, nf_ct_refcount_kind(c->w), OBJ_CT_USE(i), "nf_ct_put: atomic_dec_and_test(&ct->use)");
	struct nf_conn *ct = nf_ct_get_conn(c, i);
	if (ct->use <= 0)
		sim_fail(c->ex, "refcount underflow in nf_ct_put");
	if (shared && !c->w->deletes_possible && ct->use == 1)
		sim_fail(c->ex, "a put announced as commutative (SIM_ADD) would free the conntrack");
	if (--ct->use == 0)
		destroy_conntrack(c, i);
}

/* nf_ct_delete_from_lists - unhash both directions under the bucket locks. */
static void nf_ct_delete_from_lists(struct nf_cpu *c, int32_t i)
{
	struct nf_conn *ct = &c->w->ct[i];
	uint32_t hash = scale_hash(ct->orig_hash);
	uint32_t reply_hash = scale_hash(ct->reply_hash);
	nf_conntrack_double_lock(c, hash, reply_hash);
	if (ct->hnode_bucket[IP_CT_DIR_ORIGINAL] >= 0)
		sim_yield(c->ex, SIM_WRITE, OBJ_BUCKET(hash), "clean_from_lists: hlist_nulls_del_rcu(ORIGINAL)");
	ct->hnode_bucket[IP_CT_DIR_ORIGINAL] = HNODE_UNHASHED;
	sim_yield(c->ex, SIM_WRITE, OBJ_BUCKET(reply_hash), "clean_from_lists: hlist_nulls_del_rcu(REPLY)");
	ct->hnode_bucket[IP_CT_DIR_REPLY] = HNODE_UNHASHED;
	nf_conntrack_double_unlock(c, hash, reply_hash);
	ct->on_dying = true; /* nf_ct_add_to_dying_list: per-cpu */
	if (hotpath_stats(c))
		NF_CT_STAT_INC(c, STAT_DELETE_LIST);
}

bool nf_ct_kill(struct nf_cpu *c, int32_t i)
{
	if (!c->w->deletes_possible)
		sim_fail(c->ex, "nf_ct_kill in a world declared without deletions (world.deletes_possible)");
	sim_yield(c->ex, SIM_RMW, OBJ_CT(i), "nf_ct_delete: test_and_set_bit(IPS_DYING_BIT)");
	struct nf_conn *ct = nf_ct_get_conn(c, i);
	if (ct->status & IPS_DYING)
		return false;
	ct->status |= IPS_DYING;
	nf_ct_delete_from_lists(c, i);
	nf_ct_put(c, i); /* the table's reference */
	sim_note(c->ex, "ct#%d deleted", i);
	return true;
}

void __nf_conntrack_hash_insert(struct nf_cpu *c, int32_t i, uint32_t hash, uint32_t reply_hash)
{
	struct nf_conn *ct = &c->w->ct[i];
	sim_yield(c->ex, SIM_WRITE, OBJ_BUCKET(hash), "__nf_conntrack_hash_insert: add ORIGINAL node");
	ct->hnode_bucket[IP_CT_DIR_ORIGINAL] = (int32_t)hash;
	ct->hnode_seq[IP_CT_DIR_ORIGINAL] = ++c->w->hnode_seq_next;
	sim_yield(c->ex, SIM_WRITE, OBJ_BUCKET(reply_hash), "__nf_conntrack_hash_insert: add REPLY node");
	ct->hnode_bucket[IP_CT_DIR_REPLY] = (int32_t)reply_hash;
	ct->hnode_seq[IP_CT_DIR_REPLY] = ++c->w->hnode_seq_next;
	assert(ct->reply_hash == hash_conntrack_raw(&ct->tuplehash[IP_CT_DIR_REPLY]));
}

void nf_ct_set_confirmed(struct nf_cpu *c, int32_t i)
{
	sim_yield(c->ex, SIM_WRITE, OBJ_CT(i), "__nf_conntrack_confirm: set IPS_CONFIRMED");
	c->w->ct[i].status |= IPS_CONFIRMED;
}
