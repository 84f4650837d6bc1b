/*
 * probability.c - the probability of a verdict over the random data choices
 * (see probability.h): canonical keys of the dropping executions' draws,
 * their union.
 */
#include "probability.h"

#include "program.h"

#include <stdlib.h>
#include <string.h>

enum { V_DNAT = 1u << 28, V_PORT = 2u << 28, V_FRESH = 3u << 28 };

void job_draws_reset(struct job_draws *d)
{
	d->count = 0;
	d->overflow = false;
}

static uint64_t key_hash(const struct job_draw_key *k)
{
	uint64_t h = 1469598103934665603ull;
	for (uint8_t i = 0; i < k->n; i++) {
		h = (h ^ k->cpu[i]) * 1099511628211ull;
		h = (h ^ k->value[i]) * 1099511628211ull;
	}
	return (h ^ k->n) * 1099511628211ull;
}

static bool key_equal(const struct job_draw_key *a, const struct job_draw_key *b)
{
	return a->hash == b->hash && a->n == b->n && !memcmp(a->cpu, b->cpu, a->n) &&
	       !memcmp(a->value, b->value, a->n * sizeof(a->value[0]));
}

/* The draws by CPU (stable: each CPU's in the order it drew them), fresh
 * ports named by first appearance in that order. */
static void canonical(const struct nf_draws *log, struct job_draw_key *k)
{
	uint32_t fresh_port[NF_DRAWS_MAX], nfresh = 0;
	k->n = 0;
	k->p = 1;
	for (uint32_t i = 0; i < log->count; i++)
		if (log->d[i].fresh)
			fresh_port[nfresh++] = log->d[i].value;
	uint32_t named[NF_DRAWS_MAX], nnamed = 0;
	for (uint32_t cpu = 0; cpu < 256 && k->n < log->count; cpu++)
		for (uint32_t i = 0; i < log->count; i++) {
			const struct nf_draw *d = &log->d[i];
			if (d->cpu != cpu)
				continue;
			uint32_t v;
			if (d->kind == NF_DRAW_DNAT)
				v = V_DNAT | (uint32_t)d->rule << 16 | d->value;
			else {
				bool is_fresh = false;
				for (uint32_t f = 0; f < nfresh; f++)
					is_fresh |= fresh_port[f] == d->value;
				v = V_PORT | d->value;
				if (is_fresh) {
					uint32_t n = 0;
					while (n < nnamed && named[n] != d->value)
						n++;
					if (n == nnamed)
						named[nnamed++] = d->value;
					v = V_FRESH | n;
				}
			}
			k->cpu[k->n] = d->cpu;
			k->value[k->n++] = v;
			k->p *= (double)d->num / (double)d->den;
		}
	k->hash = key_hash(k);
}

bool job_draws_add_key(struct job_draws *d, const struct job_draw_key *key)
{
	struct job_draw_key hashed = *key, *k = &hashed;
	hashed.hash = key_hash(key);
	for (uint32_t i = 0; i < d->count; i++)
		if (key_equal(&d->keys[i], k))
			return true;
	if (d->count == JOB_DRAW_KEYS_MAX) {
		d->overflow = true;
		return false;
	}
	d->keys[d->count++] = *k;
	return true;
}

void job_draws_add(struct job_draws *d, const struct nf_draws *log)
{
	struct job_draw_key k;
	if (log->overflow) {
		d->overflow = true;
		return;
	}
	canonical(log, &k);
	job_draws_add_key(d, &k);
}

void job_draws_merge(struct job_draws *into, const struct job_draws *part)
{
	into->overflow |= part->overflow;
	for (uint32_t i = 0; i < part->count; i++)
		job_draws_add_key(into, &part->keys[i]);
}

/* The values a key drew on one CPU, in order. */
static uint32_t on_cpu(const struct job_draw_key *k, uint8_t cpu, uint32_t *out)
{
	uint32_t n = 0;
	for (uint8_t i = 0; i < k->n; i++)
		if (k->cpu[i] == cpu)
			out[n++] = k->value[i];
	return n;
}

enum relation { DISJOINT, A_PREFIX, B_PREFIX, EQUAL, OVERLAP };

/* How the events of two keys relate: they are disjoint when some CPU drew
 * different values at the same position; otherwise a key whose every CPU's
 * draws are a prefix of the other's contains the other's event; when the
 * prefixes run both ways on different CPUs, the events overlap. */
static enum relation relate(const struct job_draw_key *a, const struct job_draw_key *b)
{
	bool a_prefix = true, b_prefix = true; /* a's draws a prefix of b's on every CPU, and vice versa */
	uint32_t va[NF_DRAWS_MAX], vb[NF_DRAWS_MAX];
	for (unsigned cpu = 0; cpu < 256; cpu++) {
		uint32_t na = on_cpu(a, (uint8_t)cpu, va), nb = on_cpu(b, (uint8_t)cpu, vb);
		uint32_t m = na < nb ? na : nb;
		if (memcmp(va, vb, m * sizeof(va[0])))
			return DISJOINT;
		a_prefix = a_prefix && na <= nb;
		b_prefix = b_prefix && nb <= na;
	}
	if (a_prefix && b_prefix)
		return EQUAL;
	return a_prefix ? A_PREFIX : b_prefix ? B_PREFIX : OVERLAP;
}

static int by_hash(const void *a, const void *b)
{
	const struct job_draw_key *x = *(const struct job_draw_key *const *)a, *y = *(const struct job_draw_key *const *)b;
	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

bool job_draws_probability(const struct job_draws *d, double *p, bool *exact)
{
	static bool kept[JOB_DRAW_KEYS_MAX];
	static const struct job_draw_key *order[JOB_DRAW_KEYS_MAX];
	if (d->overflow || d->count == 0)
		return false;
	double sum = 0;
	*exact = true;
	/* summed in hash order: the same keys found in another order (shards) give the same bits */
	for (uint32_t i = 0; i < d->count; i++)
		order[i] = &d->keys[i];
	qsort(order, d->count, sizeof(order[0]), by_hash);
	for (uint32_t i = 0; i < d->count; i++) {
		kept[i] = true;
		for (uint32_t j = 0; j < d->count && kept[i]; j++)
			kept[i] = j == i || relate(order[j], order[i]) != A_PREFIX; /* j's event contains i's */
		if (kept[i])
			sum += order[i]->p;
	}
	for (uint32_t i = 0; i < d->count && *exact; i++)
		for (uint32_t j = i + 1; j < d->count && *exact; j++)
			*exact = !kept[i] || !kept[j] || relate(order[i], order[j]) == DISJOINT;
	*p = sum > 1 ? 1 : sum;
	return true;
}

bool job_drop_probability(const struct job *j, double *p, bool *exact)
{
	bool exhaustive = j->strategy == SIM_EXPLORE_DPOR || j->strategy == SIM_EXPLORE_ODPOR || j->strategy == SIM_EXPLORE_DFS;
	if (!exhaustive || !j->result.complete || job_is_events(j) || !j->drop_executions)
		return false;
	return job_draws_probability(&j->draws, p, exact);
}
