/*
 * invariants.c - what must hold after every step of the model.  A violation
 * is a bug in the model (or a kernel bug the model reproduces faithfully),
 * reported with its schedule and exit status 4.
 *
 *  - reference counts are never negative; a freed conntrack has none and is
 *    neither hashed nor in nf_nat_bysource;
 *  - every hashed node sits in the bucket its tuple hashes to;
 *  - a hashed conntrack holds the table's reference (use >= 1);
 *  - each skb in flight holds a reference on its conntrack;
 *  - a confirmed, live conntrack whose bucket locks nobody holds is hashed in
 *    both directions, or, if IPS_NAT_CLASH, in the REPLY direction only.
 */
#include "model.h"
#include "nf_conntrack.h"

static bool locks_free(uint32_t bucket[IP_CT_DIR_MAX], bool (*held)(void *, sim_obj), void *ctx)
{
	return !held(ctx, OBJ_BUCKET_LOCK(bucket[IP_CT_DIR_ORIGINAL] % CONNTRACK_LOCKS)) &&
	       !held(ctx, OBJ_BUCKET_LOCK(bucket[IP_CT_DIR_REPLY] % CONNTRACK_LOCKS));
}

static const char *check_conn(const struct world *w, uint32_t i, bool (*held)(void *, sim_obj), void *ctx)
{
	const struct nf_conn *ct = &w->ct[i];
	if (ct->use < 0)
		return "negative conntrack reference count";
	if (ct->freed)
		return ct->use || ct->hnode_bucket[0] >= 0 || ct->hnode_bucket[1] >= 0 || ct->bysource_linked
			       ? "freed conntrack still referenced, hashed or in nf_nat_bysource"
			       : NULL;
	uint32_t bucket[IP_CT_DIR_MAX] = {scale_hash(ct->orig_hash), scale_hash(ct->reply_hash)};
	for (int d = 0; d < IP_CT_DIR_MAX; d++) {
		if (ct->hnode_bucket[d] < 0)
			continue;
		if ((uint32_t)ct->hnode_bucket[d] != bucket[d])
			return "hashed node in the wrong bucket";
		if (ct->use < 1)
			return "hashed conntrack without the table's reference";
	}
	if (!(ct->status & IPS_CONFIRMED) || (ct->status & IPS_DYING) || !locks_free(bucket, held, ctx))
		return NULL;
	if (ct->status & IPS_NAT_CLASH) {
		if (ct->hnode_bucket[IP_CT_DIR_ORIGINAL] != HNODE_FAKE || ct->hnode_bucket[IP_CT_DIR_REPLY] < 0)
			return "NAT_CLASH conntrack not hashed in the REPLY direction only";
	} else if (ct->hnode_bucket[IP_CT_DIR_ORIGINAL] < 0 || ct->hnode_bucket[IP_CT_DIR_REPLY] < 0) {
		return "confirmed conntrack not hashed in both directions";
	}
	return NULL;
}

const char *world_check(const struct world *w, const struct nf_cpu *cpus, uint32_t ncpus,
			bool (*held)(void *ctx, sim_obj lock), void *ctx)
{
	for (int32_t i = nf_ct_next_allocated(w, -1); i >= 0; i = nf_ct_next_allocated(w, i)) {
		const char *msg = check_conn(w, (uint32_t)i, held, ctx);
		if (msg)
			return msg;
	}
	for (uint32_t c = 0; c < ncpus; c++) {
		int32_t i = cpus[c].skb_ct;
		if (i >= 0 && (w->ct[i].freed || w->ct[i].use < 1))
			return "an skb in flight points at a conntrack it holds no reference on";
	}
	return NULL;
}

static bool held_in_exec(void *ctx, sim_obj lock)
{
	return sim_lock_held(ctx, lock);
}

const char *nf_model_check(struct nf_model *m)
{
	return world_check(&m->w, m->cpus, m->w.cpu_count, held_in_exec, m->ex);
}
