/*
 * confirm.c - __nf_conntrack_confirm and clash resolution in each version's
 * form (net/netfilter/nf_conntrack_core.c):
 *
 *   no resolution         before 71d8c47fc653: every clash drops
 *   71d8c47fc653          allow_clash && !dying && inc_not_zero -> merge
 *   590b52e10d41          ... && the winner has no NAT_DONE bit
 *   ed07d9a021df          ... || nf_ct_match(winner, loser)
 *   6a757c07e51f          split: __nf_ct_resolve_clash, then
 *                         nf_ct_resolve_clash_harder (reply-only NAT_CLASH insert)
 *   a4e6a1031e77          nf_ct_can_merge = match || match_reverse, no NAT_DONE
 *                         shortcut, no winner-dying check (flag reverse-clash)
 *
 * Counters follow docs/kernel-verification.md (2b, 2c): up to v5.5 the caller
 * counts insert_failed for every clash; v5.6-v5.9 count insert_failed on a
 * merge, nothing on a NAT_CLASH insert; from bc92470413f3 a resolved clash
 * counts clash_resolve; an unresolvable one counts drop and insert_failed.
 */
#include "confirm.h"

#include "nf_conntrack.h"

#include <assert.h>

static bool nf_ct_match(const struct nf_conn *a, const struct nf_conn *b)
{
	return nf_ct_tuple_equal(&a->tuplehash[IP_CT_DIR_ORIGINAL], &b->tuplehash[IP_CT_DIR_ORIGINAL]) &&
	       nf_ct_tuple_equal(&a->tuplehash[IP_CT_DIR_REPLY], &b->tuplehash[IP_CT_DIR_REPLY]);
}

static bool nf_ct_match_reverse(const struct nf_conn *a, const struct nf_conn *b)
{
	return nf_ct_tuple_equal(&a->tuplehash[IP_CT_DIR_ORIGINAL], &b->tuplehash[IP_CT_DIR_REPLY]) &&
	       nf_ct_tuple_equal(&a->tuplehash[IP_CT_DIR_REPLY], &b->tuplehash[IP_CT_DIR_ORIGINAL]);
}

static bool allow_clash(const struct nf_conn *ct)
{
	return ct->tuplehash[IP_CT_DIR_ORIGINAL].protonum == PROTO_UDP; /* TCP: no allow_clash */
}

/* Re-point the skb at the winner: the loser's reference goes, ctinfo stays. */
static void merge_into_winner(struct nf_cpu *c, struct sk_buff *skb, int32_t winner)
{
	int32_t loser = skb->ct;
	sim_note(c->ex, "clash with ct#%d resolved: skb now uses ct#%d, loser ct#%d released", winner, winner, loser);
	skb->ct = winner; /* nf_ct_set; done before the put so the skb never points at a freed entry */
	c->skb_ct = winner;
	nf_ct_put(c, loser);
}

/* v4.7 .. v5.5: one function, winner reference taken with inc_not_zero. */
static enum nf_verdict nf_ct_resolve_clash_v4(struct nf_cpu *c, struct sk_buff *skb, int32_t winner)
{
	const struct nf_conn *w_ct = &c->w->ct[winner];
	const struct nf_conn *loser = &c->w->ct[skb->ct];
	bool nat_done = (w_ct->status & IPS_NAT_DONE_MASK) != 0; /* set before publication */
	bool nat_blocks = nf_fix(c->w, FIX_CLASH_NAT_DONE) && !nf_fix(c->w, FIX_CT_MATCH) && nat_done;
	if (allow_clash(loser) && !nat_blocks &&
	    !nf_ct_is_dying(c, winner, "nf_ct_resolve_clash: nf_ct_is_dying(winner)")) {
		sim_yield(c->ex, nf_ct_refcount_kind(c->w), OBJ_CT_USE(winner),
			  "nf_ct_resolve_clash: atomic_inc_not_zero(&winner->use)");
		c->w->ct[winner].use++;
		if (!nf_fix(c->w, FIX_CLASH_NAT_DONE) || !nat_done || nf_ct_match(w_ct, loser)) {
			merge_into_winner(c, skb, winner);
			return NF_ACCEPT;
		}
		sim_note(c->ex, "winner ct#%d is NATed and nf_ct_match fails", winner);
		nf_ct_put(c, winner);
	} else if (nat_blocks) {
		sim_note(c->ex, "winner ct#%d has IPS_NAT_DONE_MASK set: no clash resolution (590b52e10d41)", winner);
	}
	NF_CT_STAT_INC(c, STAT_DROP);
	sim_note(c->ex, "nf_ct_resolve_clash -> NF_DROP; drop++");
	return NF_DROP;
}

/* __nf_ct_resolve_clash - v5.6+: merge into an existing entry if it matches. */
static enum nf_verdict __nf_ct_resolve_clash(struct nf_cpu *c, struct sk_buff *skb, int32_t winner)
{
	const struct nf_conn *w_ct = &c->w->ct[winner];
	const struct nf_conn *loser = &c->w->ct[skb->ct];
	bool can_merge;
	if (!nf_fix(c->w, FIX_REVERSE_CLASH) && nf_ct_is_dying(c, winner, "__nf_ct_resolve_clash: nf_ct_is_dying(winner)"))
		return NF_DROP;
	if (nf_fix(c->w, FIX_REVERSE_CLASH))
		can_merge = nf_ct_match(w_ct, loser) || nf_ct_match_reverse(w_ct, loser);
	else
		can_merge = (w_ct->status & IPS_NAT_DONE_MASK) == 0 || nf_ct_match(w_ct, loser);
	if (!can_merge)
		return NF_DROP;
	nf_conntrack_get(c, winner);
	merge_into_winner(c, skb, winner);
	NF_CT_STAT_INC(c, nf_fix(c->w, FIX_CLASH_RESOLVE_STAT) ? STAT_CLASH_RESOLVE : STAT_INSERT_FAILED);
	return NF_ACCEPT;
}

/* nf_ct_resolve_clash_harder - 6a757c07e51f: the clash is in the ORIGINAL
 * direction only; if the REPLY tuple is unique, insert the loser reply-only. */
static enum nf_verdict nf_ct_resolve_clash_harder(struct nf_cpu *c, struct sk_buff *skb, uint32_t repl_idx)
{
	struct nf_ct_node chain[NF_CT_CHAIN_MAX];
	int32_t loser = skb->ct;
	struct nf_conn *ct = &c->w->ct[loser];
	sim_yield(c->ex, SIM_READ, OBJ_BUCKET(repl_idx), "nf_ct_resolve_clash_harder: scan REPLY bucket");
	uint32_t n = nf_ct_chain_of(c, repl_idx, chain);
	for (uint32_t i = 0; i < n; i++)
		if (nf_ct_key_equal(c, &chain[i], &ct->tuplehash[IP_CT_DIR_REPLY])) {
			sim_note(c->ex, "REPLY tuple also taken by ct#%d", chain[i].ct);
			return __nf_ct_resolve_clash(c, skb, chain[i].ct);
		}
	ct->status |= IPS_FIXED_TIMEOUT | IPS_NAT_CLASH;
	ct->use++; /* __nf_conntrack_insert_prepare: the table's reference */
	if (!nf_fix(c->w, FIX_CONFIRMED_AFTER_INSERT))
		ct->status |= IPS_CONFIRMED;
	ct->hnode_bucket[IP_CT_DIR_ORIGINAL] = HNODE_FAKE; /* hlist_nulls_add_fake */
	sim_yield(c->ex, SIM_WRITE, OBJ_BUCKET(repl_idx), "nf_ct_resolve_clash_harder: add REPLY node only");
	ct->hnode_bucket[IP_CT_DIR_REPLY] = (int32_t)repl_idx;
	ct->hnode_seq[IP_CT_DIR_REPLY] = ++c->w->hnode_seq_next;
	if (nf_fix(c->w, FIX_CONFIRMED_AFTER_INSERT))
		nf_ct_set_confirmed(c, loser);
	if (nf_fix(c->w, FIX_CLASH_RESOLVE_STAT))
		NF_CT_STAT_INC(c, STAT_CLASH_RESOLVE);
	sim_note(c->ex, "ct#%d inserted reply-only as IPS_NAT_CLASH (1 s timeout)", loser);
	return NF_ACCEPT;
}

/* nf_ct_resolve_clash - v5.6+ entry point. */
static enum nf_verdict nf_ct_resolve_clash(struct nf_cpu *c, struct sk_buff *skb, int32_t winner, uint32_t repl_idx)
{
	if (allow_clash(&c->w->ct[skb->ct])) {
		if (__nf_ct_resolve_clash(c, skb, winner) == NF_ACCEPT)
			return NF_ACCEPT;
		if (nf_ct_resolve_clash_harder(c, skb, repl_idx) == NF_ACCEPT)
			return NF_ACCEPT;
	}
	NF_CT_STAT_INC(c, STAT_DROP);
	NF_CT_STAT_INC(c, STAT_INSERT_FAILED);
	sim_note(c->ex, "nf_ct_resolve_clash -> NF_DROP; drop++ insert_failed++");
	return NF_DROP;
}

/* Scan one chain for a confirmed entry with tuple; returns its ct or -1. */
static int32_t scan_bucket(struct nf_cpu *c, uint32_t bucket, const struct nf_conntrack_tuple *tuple, const char *label)
{
	struct nf_ct_node chain[NF_CT_CHAIN_MAX];
	sim_yield(c->ex, SIM_READ, OBJ_BUCKET(bucket), label);
	uint32_t n = nf_ct_chain_of(c, bucket, chain);
	for (uint32_t i = 0; i < n; i++)
		if (nf_ct_key_equal(c, &chain[i], tuple))
			return chain[i].ct;
	return -1;
}

static enum nf_verdict clash(struct nf_cpu *c, struct sk_buff *skb, int32_t winner, uint32_t reply_hash)
{
	enum nf_verdict ret;
	if (!nf_fix(c->w, FIX_NAT_CLASH_INSERT)) {
		c->w->ct[skb->ct].on_dying = true; /* nf_ct_add_to_dying_list: per-cpu */
		if (nf_fix(c->w, FIX_CLASH_RESOLVE)) {
			ret = nf_ct_resolve_clash_v4(c, skb, winner);
		} else {
			sim_note(c->ex, "no clash resolution in this kernel -> NF_DROP");
			ret = NF_DROP;
		}
		NF_CT_STAT_INC(c, STAT_INSERT_FAILED);
		sim_note(c->ex, "__nf_conntrack_confirm: insert_failed++");
		return ret;
	}
	return nf_ct_resolve_clash(c, skb, winner, reply_hash);
}

static enum nf_verdict __nf_conntrack_confirm(struct nf_cpu *c, struct sk_buff *skb)
{
	int32_t i = skb->ct;
	struct nf_conn *ct = &c->w->ct[i];
	enum nf_verdict ret;
	if (skb->ctinfo == IP_CT_ESTABLISHED_REPLY)
		return NF_ACCEPT;
	uint32_t hash = scale_hash(ct->orig_hash);
	uint32_t reply_hash = scale_hash(ct->reply_hash); /* hash_conntrack(REPLY tuple), recomputed after NAT */
	nf_conntrack_double_lock(c, hash, reply_hash);
	ct->on_unconfirmed = false; /* nf_ct_del_from_dying_or_unconfirmed_list */
	if (ct->status & IPS_DYING) {
		NF_CT_STAT_INC(c, STAT_INSERT_FAILED);
		ret = NF_DROP;
		goto out_unlock;
	}
	const char *where = "ORIGINAL";
	int32_t winner = scan_bucket(c, hash, &ct->tuplehash[IP_CT_DIR_ORIGINAL],
				     "__nf_conntrack_confirm: scan ORIGINAL bucket");
	if (winner < 0) {
		where = "REPLY";
		winner = scan_bucket(c, reply_hash, &ct->tuplehash[IP_CT_DIR_REPLY],
				     "__nf_conntrack_confirm: scan REPLY bucket");
	}
	if (winner >= 0) {
		sim_note(c->ex, "clash found in %s bucket: ct#%d already confirmed", where, winner);
		ret = clash(c, skb, winner, reply_hash);
		goto out_unlock;
	}
	ct->use++; /* the table's reference; nobody else can reach ct yet */
	if (!nf_fix(c->w, FIX_CONFIRMED_AFTER_INSERT))
		ct->status |= IPS_CONFIRMED; /* before the insert: unobservable until hashed */
	__nf_conntrack_hash_insert(c, i, hash, reply_hash);
	if (nf_fix(c->w, FIX_CONFIRMED_AFTER_INSERT))
		nf_ct_set_confirmed(c, i);
	sim_note(c->ex, "ct#%d confirmed and inserted", i);
	ret = NF_ACCEPT;
out_unlock:
	nf_conntrack_double_unlock(c, hash, reply_hash);
	return ret;
}

enum nf_verdict nf_conntrack_confirm(struct nf_cpu *c, struct sk_buff *skb)
{
	if (skb->untracked || skb->ct < 0)
		return NF_ACCEPT;
	if (c->w->ct[skb->ct].status & IPS_CONFIRMED)
		return NF_ACCEPT; /* CONFIRMED is never cleared: no yield needed */
	return __nf_conntrack_confirm(c, skb);
}
