/*
 * world.c - building the initial world, the model glue (begin, hash), and
 * statistic names.
 */
#include "model.h"

#include "token.h"

#include <assert.h>
#include <string.h>

static const char *const stat_names[STAT_COUNT] = {
	"searched", "found",  "new",        "invalid",        "ignore", "delete",        "delete_list",
	"insert",   "insert_failed", "drop", "early_drop", "search_restart", "clash_resolve",
};

const char *nf_ct_stat_name(enum nf_ct_stat s)
{
	assert(s < STAT_COUNT);
	return stat_names[s];
}

bool nf_ct_stat_in_kernel(nf_fixset fixes, enum nf_ct_stat s)
{
	switch (s) {
	case STAT_SEARCHED:
	case STAT_NEW:
	case STAT_DELETE:
	case STAT_DELETE_LIST:
		return !nf_fixset_has(fixes, FIX_NO_HOTPATH_STATS); /* 8e8118f89313 removed the fields */
	case STAT_IGNORE:
		/* "remove ignore stats", the v5.10 series of bc92470413f3 (docs/kernel-map.md item 14) */
		return !nf_fixset_has(fixes, FIX_CLASH_RESOLVE_STAT);
	case STAT_CLASH_RESOLVE:
		return nf_fixset_has(fixes, FIX_CLASH_RESOLVE_STAT);
	default:
		return true; /* found, invalid, insert, insert_failed, drop, early_drop, search_restart */
	}
}

void world_init(struct world *w, const struct scenario *sc, nf_fixset fixes, uint32_t plants)
{
	memset(w, 0, sizeof(*w));
	w->sc = sc;
	w->fixes = fixes;
	w->plants = plants;
	w->class_count = NF_CPUS_MAX;
	for (uint32_t i = 0; i < NF_CPUS_MAX; i++) {
		w->class_base[i] = i * NF_CT_PER_CPU;
		w->class_cap[i] = NF_CT_PER_CPU;
	}
	for (uint32_t i = 0; i < sc->packet_count; i++)
		if (sc->packets[i].after >= 0)
			w->waited_on |= 1u << sc->packets[i].after;
	for (uint32_t i = 0; i < NF_CT_MAX; i++)
		w->ct[i].hnode_bucket[0] = w->ct[i].hnode_bucket[1] = HNODE_UNHASHED;
	for (uint32_t i = 0; i < sc->packet_count; i++)
		if (sc->packets[i].cpu + 1 > w->cpu_count)
			w->cpu_count = sc->packets[i].cpu + 1;
	assert(w->cpu_count <= NF_CPUS_MAX);
	w->deletes_possible = sc->replies && nf_fixset_has(fixes, FIX_NAT_CLASH_INSERT) &&
			      !nf_fixset_has(fixes, FIX_CLASH_KEEP_ON_REPLY);
	for (uint32_t i = 0; i < sc->rule_count; i++)
		if (sc->rules[i].action != ACTION_DNAT)
			w->bysource_walked = true;
}

void nf_cpu_init(struct nf_cpu *c, struct world *w, uint32_t cpu)
{
	memset(c, 0, sizeof(*c)); /* the block is compared byte for byte: no stray padding */
	c->w = w;
	c->cls = cpu;
	c->alloc_kind = SIM_ADD;
	c->skb_ct = -1;
	for (uint32_t i = 0; i < w->sc->packet_count; i++)
		if (w->sc->packets[i].cpu == cpu)
			c->pkt[c->npkts++] = (uint8_t)i;
}



uint32_t nf_cpu_stat_sum(const struct nf_cpu *cpus, uint32_t n, enum nf_ct_stat s)
{
	uint32_t sum = 0;
	for (uint32_t c = 0; c < n; c++)
		sum += cpus[c].stats[s];
	return sum;
}

uint32_t nf_model_stat_sum(const struct nf_model *m, enum nf_ct_stat s)
{
	return nf_cpu_stat_sum(m->cpus, m->w.cpu_count, s);
}

enum pkt_fate nf_model_fate(const struct nf_model *m, uint32_t i)
{
	const struct scenario *sc = m->w.sc;
	uint32_t cpu = sc->packets[i].cpu, k = 0;
	for (uint32_t j = 0; j < i; j++)
		k += sc->packets[j].cpu == cpu;
	return (enum pkt_fate)m->cpus[cpu].fate[k];
}

/* Whether CPUs a and b send equal packets in the same order, none of them
 * waiting for or waited on by another packet. */
static bool interchangeable(const struct world *w, const struct nf_cpu *a, const struct nf_cpu *b)
{
	const struct scenario *sc = w->sc;
	if (a->npkts != b->npkts || a->npkts == 0)
		return false;
	for (uint32_t k = 0; k < a->npkts; k++) {
		const struct scenario_packet *p = &sc->packets[a->pkt[k]], *q = &sc->packets[b->pkt[k]];
		if (p->after >= 0 || q->after >= 0 || (w->waited_on & (1u << a->pkt[k])) ||
		    (w->waited_on & (1u << b->pkt[k])))
			return false;
		if (p->hook != q->hook || p->proto != q->proto || memcmp(&p->src, &q->src, sizeof(p->src)) != 0 ||
		    memcmp(&p->dst, &q->dst, sizeof(p->dst)) != 0)
			return false;
	}
	return true;
}

/* Symmetric runs: one naming class per group of interchangeable CPUs,
 * numbered by their lowest member, slots consecutive in class order; each
 * member sends the packets of the lowest member (equal to its own). */
static void group_classes(struct nf_model *m)
{
	struct world *w = &m->initial;
	uint32_t base = 0, n = 0;
	for (uint32_t c = 0; c < w->cpu_count; c++) {
		uint32_t rep = c;
		for (uint32_t d = 0; d < c && rep == c; d++)
			if (m->cpu_class[d] == d && interchangeable(w, &m->initial_cpus[d], &m->initial_cpus[c]))
				rep = d;
		m->cpu_class[c] = rep;
	}
	for (uint32_t c = 0; c < w->cpu_count; c++) {
		if (m->cpu_class[c] != c)
			continue;
		uint32_t members = 0;
		for (uint32_t d = c; d < w->cpu_count; d++)
			members += m->cpu_class[d] == c;
		w->class_base[n] = base;
		w->class_cap[n] = members * NF_CT_PER_CPU;
		base += members * NF_CT_PER_CPU;
		for (uint32_t d = c; d < w->cpu_count; d++) {
			struct nf_cpu *cd = &m->initial_cpus[d];
			if (m->cpu_class[d] != c)
				continue;
			cd->cls = n;
			cd->alloc_kind = members > 1 ? SIM_RMW : SIM_ADD;
			memcpy(cd->pkt, m->initial_cpus[c].pkt, sizeof(cd->pkt));
		}
		n++;
	}
	w->class_count = n;
}

void nf_model_init(struct nf_model *m, const struct scenario *sc, nf_fixset fixes, uint32_t plants, bool symmetric)
{
	memset(m, 0, sizeof(*m));
	world_init(&m->initial, sc, fixes, plants);
	m->symmetric = symmetric;
	for (uint32_t c = 0; c < NF_CPUS_MAX; c++) {
		nf_cpu_init(&m->initial_cpus[c], &m->initial, c);
		m->initial_cpus[c].w = &m->w;
		m->cpu_class[c] = c;
	}
	if (symmetric)
		group_classes(m);
}

void nf_model_begin(struct nf_model *m, struct sim_exec *ex)
{
	static const char *const names[NF_CPUS_MAX] = {"cpu0", "cpu1", "cpu2", "cpu3",
						       "cpu4", "cpu5", "cpu6", "cpu7"};
	m->w = m->initial;
	m->ex = ex;
	memcpy(m->cpus, m->initial_cpus, sizeof(m->cpus));
	for (uint32_t c = 0; c < m->w.cpu_count; c++)
		if (m->cpus[c].npkts)
			sim_spawn_ctx(ex, names[c], nf_cpu_run, &m->cpus[c], &m->run, sizeof(m->run), m->cpu_class[c]);
}

uint64_t nf_model_hash(const struct scenario *sc, nf_fixset fixes, uint32_t plants)
{
	uint64_t h = sim_hash64(SIM_HASH_INIT, NFRACE_MODEL_VERSION, strlen(NFRACE_MODEL_VERSION));
	/* Only what changes what a decision sequence does goes in: not timing
	 * (costs, send offsets: a timed run's schedule replays under the
	 * exhaustive replayer), nor the description, the default preset or the
	 * expect: entries (editing them keeps every token valid). */
	static struct scenario untimed;
	untimed = *sc;
	memset(&untimed.timing, 0, sizeof(untimed.timing));
	for (uint32_t i = 0; i < SCENARIO_PACKETS_MAX; i++)
		untimed.packets[i].send_ns = 0;
	memset(untimed.description, 0, sizeof(untimed.description));
	memset(untimed.kernel, 0, sizeof(untimed.kernel));
	untimed.expect_count = 0;
	memset(untimed.expect, 0, sizeof(untimed.expect));
	h = sim_hash64(h, &untimed, sizeof(untimed));
	h = sim_hash64(h, &plants, sizeof(plants));
	return sim_hash64(h, &fixes, sizeof(fixes));
}
