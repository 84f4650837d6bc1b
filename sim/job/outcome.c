/*
 * outcome.c - a job's outcomes kept sorted (outcome.h), so that a report
 * never depends on the order in which executions found them.
 */
#include "outcome.h"

#include "token.h"

#include <stdio.h>
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

void job_token_of(const struct job *j, struct sim_exec *ex, char *buf)
{
	size_t n;
	const uint32_t *dec = sim_decisions(ex, &n);
	sim_token_encode(j->hash, dec, n, buf, TOKEN_TEXT_MAX);
}

void job_witness_end(struct job *j, struct sim_exec *ex, enum sim_end end)
{
	struct outcome o;
	if (end != SIM_END_DONE)
		return;
	job_outcome_of_model(&j->model, &o);
	uint32_t p = sim_preemptions(ex);
	uint64_t s = sim_steps(ex);
	struct outcome *w = job_outcome_find(j, &o);
	if (w) {
		/* The search's first execution with the fewest preemptions, then
		 * steps, replaces the exploration's witness even on a tie: the
		 * witness then does not depend on the strategy that explored. */
		if (!w->searched || p < w->preemptions || (p == w->preemptions && s < w->steps)) {
			w->searched = true;
			w->preemptions = p;
			w->steps = s;
			job_token_of(j, ex, w->schedule);
		}
		return;
	}
	if (!j->result.complete) { /* the exploration stopped early: a new outcome */
		struct outcome *n = job_outcome_insert(j, &o);
		if (n) {
			n->sampled = n->searched = true;
			n->executions = 1;
			n->preemptions = p;
			n->steps = s;
			job_token_of(j, ex, n->schedule);
		}
		return;
	}
	if (!j->failed && !j->outcomes_overflow) {
		j->failed = true;
		snprintf(j->fail_message, sizeof(j->fail_message),
			 "explorer bug: preemption-bounded search found an outcome the exploration missed");
		job_token_of(j, ex, j->fail_schedule);
	}
}
