/*
 * nf_conntrack.h - the conntrack core functions of the model
 * (net/netfilter/nf_conntrack_core.c, nf_conntrack_proto_udp.c).
 *
 * Every function takes the running CPU first.  A function that touches
 * shared state yields before each access (sim.h); the yield labels name the
 * kernel function and the access, so a trace reads like the source.
 */
#ifndef NFRACE_NF_CONNTRACK_H
#define NFRACE_NF_CONNTRACK_H

#include "world.h"

/* One node of a hash chain: conntrack index and direction. */
struct nf_ct_node {
	int32_t ct;
	enum ip_conntrack_dir dir;
};

/* Nodes a hash chain walk may meet.  Eight packets with their replies
 * allocate at most 16 conntracks (32 nodes); a longer chain is a model
 * limit (nf_ct_chain_of fails the execution), never a silent cut. */
enum { NF_CT_CHAIN_MAX = 32 };

/* nf_ct_tuple_equal - same addresses, ports and protocol. */
bool nf_ct_tuple_equal(const struct nf_conntrack_tuple *a, const struct nf_conntrack_tuple *b);

/* nf_ct_invert_tuple - the tuple of the other direction. */
void nf_ct_invert_tuple(struct nf_conntrack_tuple *inverse, const struct nf_conntrack_tuple *orig);

/* hash_conntrack_raw - the raw hash of a tuple (fixed seed; see docs/model.md). */
uint32_t hash_conntrack_raw(const struct nf_conntrack_tuple *tuple);

/* scale_hash - bucket index of a raw hash in nf_conntrack_hash[]. */
static inline uint32_t scale_hash(uint32_t raw)
{
	return (uint32_t)(((uint64_t)raw * NF_CT_HASHSIZE) >> 32);
}

/* nf_ct_get_conn - conntrack i of the world; fails the execution if it was freed
 * (a use-after-free in the modelled code is a model bug). */
struct nf_conn *nf_ct_get_conn(struct nf_cpu *c, int32_t i);

/* nf_ct_chain - the nodes of bucket b, newest first (hlist_nulls_add_head_rcu
 * order), at most cap of them into out.  Reads the chain without yielding:
 * callers yield on OBJ_BUCKET(b) first.  Returns the node count, which may
 * exceed cap. */
uint32_t nf_ct_chain(const struct world *w, uint32_t bucket, struct nf_ct_node *out, uint32_t cap);

/* nf_ct_chain_of - nf_ct_chain into NF_CT_CHAIN_MAX nodes for the running
 * CPU; a longer chain fails the execution (a model limit). */
uint32_t nf_ct_chain_of(struct nf_cpu *c, uint32_t bucket, struct nf_ct_node *out);

/* nf_ct_key_equal - node's tuple equals tuple and its conntrack is CONFIRMED.
 * Yields a read of the conntrack's status. */
bool nf_ct_key_equal(struct nf_cpu *c, const struct nf_ct_node *h, const struct nf_conntrack_tuple *tuple);

/* nf_ct_is_dying - reads the status of a conntrack other CPUs may change. */
bool nf_ct_is_dying(struct nf_cpu *c, int32_t ct, const char *label);

/* nf_conntrack_double_lock / _unlock - bucket locks of h1 and h2, taken in
 * ascending lock order, one lock when both map to the same one. */
void nf_conntrack_double_lock(struct nf_cpu *c, uint32_t h1, uint32_t h2);
void nf_conntrack_double_unlock(struct nf_cpu *c, uint32_t h1, uint32_t h2);

/* __nf_conntrack_find_get - lockless lookup of tuple with a reference taken
 * (atomic_inc_not_zero) and the key re-checked.  Returns the node, or ct -1. */
struct nf_ct_node __nf_conntrack_find_get(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple);

/* nf_conntrack_tuple_taken - is tuple used by a confirmed conntrack other than
 * ignored?  Counts `found`.  With 4e35c1cb9460 an entry with our ORIGINAL
 * tuple does not count. */
bool nf_conntrack_tuple_taken(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple, int32_t ignored);

/* nf_conntrack_in - PRE_ROUTING/LOCAL_OUT conntrack hook for skb.  Attaches a
 * conntrack (found or new) or marks the skb untracked.  Returns the verdict. */
enum nf_verdict nf_conntrack_in(struct nf_cpu *c, struct sk_buff *skb, enum nf_hook hook);

/* nf_conntrack_alter_reply - overwrite the REPLY tuple of an unconfirmed conntrack. */
void nf_conntrack_alter_reply(struct nf_cpu *c, int32_t ct, const struct nf_conntrack_tuple *newreply);

/* nf_ct_refcount_kind - the access kind of a refcount update of a conntrack
 * others can see whose result is tested (atomic_inc_not_zero,
 * atomic_dec_and_test): SIM_RMW when a hashed conntrack can be deleted in
 * this world, else SIM_ADD (the table's reference keeps the count >= 1, so
 * the test always gives the same answer and the updates commute). */
enum sim_access_kind nf_ct_refcount_kind(const struct world *w);

/* nf_conntrack_get - take a reference on a conntrack others can see (the
 * caller holds one, or the bucket lock keeps the table's): an untested
 * increment, SIM_ADD in every world. */
void nf_conntrack_get(struct nf_cpu *c, int32_t ct);

/* nf_ct_put - drop a reference; the last one destroys and frees the conntrack. */
void nf_ct_put(struct nf_cpu *c, int32_t ct);

/* nf_ct_kill - nf_ct_delete(ct, 0, 0): mark DYING, unhash, drop the table's
 * reference.  Returns false if another CPU won the DYING bit. */
bool nf_ct_kill(struct nf_cpu *c, int32_t ct);

/* nf_ct_is_visible - whether other CPUs can reach ct (hashed or in bysource);
 * accesses to an invisible conntrack are CPU-local and need no yield. */
bool nf_ct_is_visible(const struct world *w, int32_t ct);

/* __nf_conntrack_hash_insert - link ORIGINAL and REPLY nodes (caller holds
 * both bucket locks). */
void __nf_conntrack_hash_insert(struct nf_cpu *c, int32_t ct, uint32_t hash, uint32_t reply_hash);

/* nf_ct_set_confirmed - set IPS_CONFIRMED on ct (a write others may observe). */
void nf_ct_set_confirmed(struct nf_cpu *c, int32_t ct);

#endif /* NFRACE_NF_CONNTRACK_H */
