/*
 * world_pack.c - the world as canonical bytes and back, for the state-caching
 * explorer (model.h: world_pack, world_unpack).
 *
 * The bytes hold every field of struct world that a model function can read
 * and that can change during an execution: the allocation counts, every
 * allocated conntrack field by field (no padding), the shared port rover and
 * the port abstraction's draws.  What is constant (scenario, fix set, naming
 * classes, waited_on) and what is never read again (unallocated slots, which
 * init_conntrack clears when it hands them out) is left out.  The insertion
 * sequence numbers of hash nodes and nf_nat_bysource entries are written as
 * their rank among the live ones: the model only ever compares them (newest
 * first in a chain), so two worlds that differ in the numbers alone behave
 * the same, and world_unpack restores the ranks, which keep that order.  In
 * a world where no path walks nf_nat_bysource (world.bysource_walked false)
 * that order is never read at all, and every rank there is written as 0.
 */
#include "model.h"

#include <assert.h>
#include <string.h>

struct packer {
	unsigned char *p;
	size_t n, cap;
};

static void put(struct packer *k, const void *v, size_t len)
{
	if (k->n + len <= k->cap)
		memcpy(k->p + k->n, v, len);
	k->n += len;
}

#define PUT(k, v) put((k), &(v), sizeof(v))

/* A local that -ftrivial-auto-var-init=zero (model/CMakeLists.txt) need not
 * clear: every element read is written first, and nothing of it is on the
 * stack at a yield (world_pack never yields). */
#if defined(__has_attribute)
#if __has_attribute(uninitialized)
#define NOT_ZEROED __attribute__((uninitialized))
#endif
#endif
#ifndef NOT_ZEROED
#define NOT_ZEROED
#endif

/* The live sequence numbers, each with the chain it is on (a bucket, a
 * nf_nat_bysource hash), to rank against. */
struct ranks {
	uint32_t hnode[IP_CT_DIR_MAX * NF_CT_MAX], bysource[NF_CT_MAX];
	uint32_t hnode_chain[IP_CT_DIR_MAX * NF_CT_MAX], bysource_chain[NF_CT_MAX];
	uint32_t hnode_n, bysource_n;
};

/* Rank (1-based) of seq among the live[0..n) on the same chain, or 0 when
 * the node is not live.  Only nodes of one chain are ever compared. */
static uint32_t rank_of(const uint32_t *live, const uint32_t *chains, uint32_t n, uint32_t seq, uint32_t chain,
			bool alive)
{
	if (!alive)
		return 0;
	uint32_t r = 1;
	for (uint32_t i = 0; i < n; i++)
		r += chains[i] == chain && live[i] < seq;
	return r;
}

/* One conntrack as world_pack writes it: every field in a fixed order, no
 * padding (put_ct writes it in place, get_ct reads it there). */
struct __attribute__((packed)) tuple_rec {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint8_t protonum;
};

struct __attribute__((packed)) ct_rec {
	uint8_t flags; /* freed, on_unconfirmed, on_dying, bysource_linked */
	struct tuple_rec tuple[IP_CT_DIR_MAX];
	uint32_t status;
	int32_t use;
	uint32_t orig_hash, reply_hash;
	int32_t hnode_bucket[IP_CT_DIR_MAX];
	uint32_t hnode_rank[IP_CT_DIR_MAX];
	uint32_t bysource_hash, bysource_rank;
	uint64_t timeout;
};

static void put_tuple(struct tuple_rec *r, const struct nf_conntrack_tuple *t)
{
	r->src_ip = t->src_ip;
	r->dst_ip = t->dst_ip;
	r->src_port = t->src_port;
	r->dst_port = t->dst_port;
	r->protonum = t->protonum;
}

/* Written in place, field by field (a record built on the stack and copied
 * would be read back before its narrow stores have landed). */
static void put_ct(struct packer *k, const struct nf_conn *ct, const struct ranks *rk, bool w_walked)
{
	if (k->n + sizeof(struct ct_rec) > k->cap) {
		k->n += sizeof(struct ct_rec);
		return;
	}
	struct ct_rec *r = (struct ct_rec *)(void *)(k->p + k->n);
	k->n += sizeof(struct ct_rec);
	r->flags = (uint8_t)(ct->freed | ct->on_unconfirmed << 1 | ct->on_dying << 2 | ct->bysource_linked << 3);
	put_tuple(&r->tuple[IP_CT_DIR_ORIGINAL], &ct->tuplehash[IP_CT_DIR_ORIGINAL]);
	put_tuple(&r->tuple[IP_CT_DIR_REPLY], &ct->tuplehash[IP_CT_DIR_REPLY]);
	r->status = ct->status;
	r->use = ct->use;
	r->orig_hash = ct->orig_hash;
	r->reply_hash = ct->reply_hash;
	for (int d = 0; d < IP_CT_DIR_MAX; d++) {
		r->hnode_bucket[d] = ct->hnode_bucket[d];
		r->hnode_rank[d] = rank_of(rk->hnode, rk->hnode_chain, rk->hnode_n, ct->hnode_seq[d],
					   (uint32_t)ct->hnode_bucket[d], ct->hnode_bucket[d] >= 0);
	}
	r->bysource_hash = ct->bysource_hash;
	r->bysource_rank = w_walked ? rank_of(rk->bysource, rk->bysource_chain, rk->bysource_n, ct->bysource_seq,
					      ct->bysource_hash, ct->bysource_linked)
				    : 0;
	r->timeout = ct->timeout;
}

size_t world_pack(const struct world *w, unsigned char *buf, size_t cap)
{
	struct packer k = {buf, 0, cap};
	struct ranks rk NOT_ZEROED;
	rk.hnode_n = rk.bysource_n = 0;
	for (int32_t i = nf_ct_next_allocated(w, -1); i >= 0; i = nf_ct_next_allocated(w, i)) {
		const struct nf_conn *ct = &w->ct[i];
		for (int d = 0; d < IP_CT_DIR_MAX; d++)
			if (ct->hnode_bucket[d] >= 0) {
				rk.hnode_chain[rk.hnode_n] = (uint32_t)ct->hnode_bucket[d];
				rk.hnode[rk.hnode_n++] = ct->hnode_seq[d];
			}
		if (ct->bysource_linked) {
			rk.bysource_chain[rk.bysource_n] = ct->bysource_hash;
			rk.bysource[rk.bysource_n++] = ct->bysource_seq;
		}
	}
	put(&k, w->ct_alloc, w->class_count * sizeof(w->ct_alloc[0]));
	for (int32_t i = nf_ct_next_allocated(w, -1); i >= 0; i = nf_ct_next_allocated(w, i))
		put_ct(&k, &w->ct[i], &rk, w->bysource_walked);
	PUT(&k, w->port_rover);
	PUT(&k, w->ports_drawn_count);
	put(&k, w->ports_drawn, w->ports_drawn_count * sizeof(w->ports_drawn[0]));
	return k.n;
}

struct unpacker {
	const unsigned char *p;
	size_t n, len;
};

static void get(struct unpacker *u, void *v, size_t len)
{
	assert(u->n + len <= u->len);
	memcpy(v, u->p + u->n, len);
	u->n += len;
}

#define GET(u, v) get((u), &(v), sizeof(v))

static void get_tuple(struct nf_conntrack_tuple *t, const struct tuple_rec *r)
{
	t->src_ip = r->src_ip;
	t->dst_ip = r->dst_ip;
	t->src_port = r->src_port;
	t->dst_port = r->dst_port;
	t->protonum = r->protonum;
}

static void get_ct(struct unpacker *u, struct nf_conn *ct)
{
	assert(u->n + sizeof(struct ct_rec) <= u->len);
	const struct ct_rec *r = (const struct ct_rec *)(const void *)(u->p + u->n);
	u->n += sizeof(struct ct_rec);
	memset(ct, 0, sizeof(*ct));
	ct->allocated = true;
	ct->freed = r->flags & 1;
	ct->on_unconfirmed = (r->flags >> 1) & 1;
	ct->on_dying = (r->flags >> 2) & 1;
	ct->bysource_linked = (r->flags >> 3) & 1;
	get_tuple(&ct->tuplehash[IP_CT_DIR_ORIGINAL], &r->tuple[IP_CT_DIR_ORIGINAL]);
	get_tuple(&ct->tuplehash[IP_CT_DIR_REPLY], &r->tuple[IP_CT_DIR_REPLY]);
	ct->status = r->status;
	ct->use = r->use;
	ct->orig_hash = r->orig_hash;
	ct->reply_hash = r->reply_hash;
	for (int d = 0; d < IP_CT_DIR_MAX; d++) {
		ct->hnode_bucket[d] = r->hnode_bucket[d];
		ct->hnode_seq[d] = r->hnode_rank[d];
	}
	ct->bysource_hash = r->bysource_hash;
	ct->bysource_seq = r->bysource_rank;
	ct->timeout = r->timeout;
}

void world_unpack(struct world *w, const unsigned char *buf, size_t len)
{
	struct unpacker u = {buf, 0, len};
	get(&u, w->ct_alloc, w->class_count * sizeof(w->ct_alloc[0]));
	w->hnode_seq_next = w->bysource_seq_next = 0;
	for (int32_t i = nf_ct_next_allocated(w, -1); i >= 0; i = nf_ct_next_allocated(w, i)) {
		struct nf_conn *ct = &w->ct[i];
		get_ct(&u, ct);
		for (int d = 0; d < IP_CT_DIR_MAX; d++)
			if (ct->hnode_seq[d] > w->hnode_seq_next)
				w->hnode_seq_next = ct->hnode_seq[d];
		if (ct->bysource_seq > w->bysource_seq_next)
			w->bysource_seq_next = ct->bysource_seq;
	}
	for (uint32_t k = 0; k < w->class_count; k++) /* slots not handed out yet */
		for (uint32_t s = w->ct_alloc[k]; s < w->class_cap[k]; s++)
			w->ct[w->class_base[k] + s].allocated = false;
	GET(&u, w->port_rover);
	GET(&u, w->ports_drawn_count);
	assert(w->ports_drawn_count <= NF_PORTS_DRAWN_MAX);
	get(&u, w->ports_drawn, w->ports_drawn_count * sizeof(w->ports_drawn[0]));
	assert(u.n == len);
}
