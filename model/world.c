/*
 * world.c - building the initial world, the model glue (begin, hash), and
 * statistic names.
 */
#include "model.h"

#include "token.h"

#include <assert.h>
#include <string.h>

static const char *const stat_names[STAT_COUNT] = {
	"found", "invalid", "ignore", "insert_failed", "drop", "early_drop", "search_restart", "clash_resolve",
};

const char *nf_ct_stat_name(enum nf_ct_stat s)
{
	assert(s < STAT_COUNT);
	return stat_names[s];
}

void world_init(struct world *w, const struct scenario *sc, nf_fixset fixes, uint32_t plants)
{
	memset(w, 0, sizeof(*w));
	w->sc = sc;
	w->fixes = fixes;
	w->plants = plants;
	for (uint32_t i = 0; i < NF_CPUS_MAX; i++)
		w->skb_ct[i] = -1;
	for (uint32_t i = 0; i < NF_CT_MAX; i++)
		w->ct[i].hnode_bucket[0] = w->ct[i].hnode_bucket[1] = HNODE_UNHASHED;
	for (uint32_t i = 0; i < sc->packet_count; i++)
		if (sc->packets[i].cpu + 1 > w->cpu_count)
			w->cpu_count = sc->packets[i].cpu + 1;
	assert(w->cpu_count <= NF_CPUS_MAX);
	w->deletes_possible = sc->replies && nf_fixset_has(fixes, FIX_NAT_CLASH_INSERT) &&
			      !nf_fixset_has(fixes, FIX_CLASH_KEEP_ON_REPLY);
}

uint32_t world_stat_sum(const struct world *w, enum nf_ct_stat s)
{
	uint32_t sum = 0;
	for (uint32_t c = 0; c < NF_CPUS_MAX; c++)
		sum += w->stats[c][s];
	return sum;
}

void nf_model_init(struct nf_model *m, const struct scenario *sc, nf_fixset fixes, uint32_t plants)
{
	memset(m, 0, sizeof(*m));
	world_init(&m->initial, sc, fixes, plants);
	for (uint32_t i = 0; i < sc->packet_count; i++)
		if (sc->packets[i].after >= 0)
			m->waited_on |= 1u << sc->packets[i].after;
	for (uint32_t c = 0; c < NF_CPUS_MAX; c++)
		m->cpus[c] = (struct nf_cpu){&m->w, NULL, c};
}

void nf_model_begin(struct nf_model *m, struct sim_exec *ex)
{
	static const char *const names[NF_CPUS_MAX] = {"cpu0", "cpu1", "cpu2", "cpu3",
						       "cpu4", "cpu5", "cpu6", "cpu7"};
	m->w = m->initial;
	m->ex = ex;
	for (uint32_t c = 0; c < m->w.cpu_count; c++) {
		bool has_packets = false;
		for (uint32_t i = 0; i < m->w.sc->packet_count; i++)
			has_packets |= m->w.sc->packets[i].cpu == c;
		if (has_packets)
			sim_spawn(ex, names[c], nf_cpu_run, &m->cpus[c]);
	}
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
