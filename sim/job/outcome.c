/*
 * outcome.c - a job's outcomes kept sorted (outcome.h), so that a report
 * never depends on the order in which executions found them.
 */
#include "outcome.h"

#include <string.h>

void job_outcome_of_model(const struct nf_model *m, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	for (uint32_t i = 0; i < m->w.sc->packet_count; i++) {
		enum pkt_fate f = nf_model_fate(m, i);
		if (f == PKT_DROPPED)
			o->dropped |= 1u << i;
		if (f == PKT_REPLY_LOST)
			o->lost |= 1u << i;
	}
	for (int s = 0; s < STAT_COUNT; s++)
		o->counters[s] = nf_model_stat_sum(m, (enum nf_ct_stat)s);
}

int job_outcome_cmp(const struct outcome *a, const struct outcome *b)
{
	if (a->dropped != b->dropped)
		return a->dropped < b->dropped ? -1 : 1;
	if (a->lost != b->lost)
		return a->lost < b->lost ? -1 : 1;
	return memcmp(a->counters, b->counters, sizeof(a->counters));
}

/* The index of o in j's sorted outcomes, or where it would go (*found false). */
static uint32_t position(const struct job *j, const struct outcome *o, bool *found)
{
	uint32_t lo = 0, hi = j->outcome_count;
	*found = false;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		int c = job_outcome_cmp(&j->outcomes[mid], o);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct outcome *job_outcome_find(struct job *j, const struct outcome *o)
{
	bool found;
	uint32_t i = position(j, o, &found);
	return found ? &j->outcomes[i] : NULL;
}

struct outcome *job_outcome_insert(struct job *j, const struct outcome *o)
{
	bool found;
	uint32_t i = position(j, o, &found);
	if (found)
		return &j->outcomes[i];
	if (j->outcome_count == OUTCOMES_MAX) {
		j->outcomes_overflow = true;
		return NULL;
	}
	memmove(&j->outcomes[i + 1], &j->outcomes[i], (j->outcome_count - i) * sizeof(struct outcome));
	j->outcomes[i] = *o;
	j->outcome_count++;
	return &j->outcomes[i];
}

bool job_outcome_is_drop(const struct outcome *o)
{
	return o->dropped != 0 || o->lost != 0;
}
