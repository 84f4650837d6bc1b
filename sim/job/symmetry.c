/*
 * symmetry.c - the results of a state-caching exploration made the same as
 * any other strategy's (job_desymmetrize, program.h).
 *
 * A state-caching run explores the model in its symmetric form (model.h):
 * CPUs that send equal packets form one conntrack naming class, whose
 * members take one more step each, the allocation that names their
 * conntracks, and the search treats two states that differ by a permutation
 * of a class as one.  So (1) its witnesses are decisions of the symmetric
 * form, and (2) it finds each outcome only up to such a permutation.
 *
 * (1) A witness is re-run in the symmetric form, its steps recorded (which
 * CPU stepped, and the data choices each step made), and then run in the
 * ordinary form taking the same steps in the same order, without the
 * allocation steps: in the ordinary form that allocation is part of the
 * CPU's step before it, and it touches nothing another CPU reads, so moving
 * it there changes no other step (it only renames conntracks).  The
 * decisions of that run are the witness.
 * (2) Every outcome found is mapped through every permutation of the CPUs
 * of each class (packet k of one CPU becomes packet k of the other): each
 * image is an outcome too, since the model treats those CPUs alike, and its
 * witness is the found witness with the CPUs of its steps permuted.  Every
 * witness made here is replayed in the ordinary form and must give its
 * outcome; one that does not is reported as an explorer bug (exit 4).
 * Counts: all outcomes of one orbit share the number of end states the
 * search reached in that orbit.
 */
#include "outcome.h"

#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PERMS_MAX = 40320 }; /* 8!, a class of 8 CPUs */

struct sym {
	struct job *j;
	uint32_t actors;
	uint32_t cpu_of[SIM_ACTORS_MAX];  /* actor -> CPU */
	uint32_t class_of[SIM_ACTORS_MAX]; /* actor -> its class's first CPU */
	uint8_t (*perm)[SIM_ACTORS_MAX];  /* every actor permutation within classes */
	uint32_t nperm;
	uint32_t pkt_perm[SCENARIO_PACKETS_MAX]; /* scratch: the packet map of one permutation */
	struct outcome captured;            /* the outcome of the last run */
	bool ran;
};

static void s_begin(void *ctx, struct sim_exec *ex)
{
	struct sym *s = ctx;
	nf_model_begin(&s->j->model, ex);
}

static const char *s_check(void *ctx)
{
	struct sym *s = ctx;
	return nf_model_check(&s->j->model);
}

static void s_end(void *ctx, struct sim_exec *ex, enum sim_end end)
{
	struct sym *s = ctx;
	(void)ex;
	s->ran = end == SIM_END_DONE || end == SIM_END_DEADLOCK;
	if (s->ran)
		job_outcome_of_model(&s->j->model, &s->captured);
}

static struct sim_program program(struct sym *s)
{
	struct sim_program p = {s->j->hash, s, s_begin, s_check, s_end, NULL, NULL};
	return p;
}

static bool alloc_step(void *ctx, sim_obj obj)
{
	(void)ctx;
	return SIM_CLASS(obj) == SIM_CLASS(OBJ_CT_ALLOC(0));
}

static void model_form(struct sym *s, bool symmetric)
{
	struct job *j = s->j;
	nf_model_init(&j->model, j->sc, j->fixes, j->plants, symmetric);
}

/* The witness token of the symmetric form made an ordinary one with the
 * actors of its steps mapped by perm (NULL: as they are) into out; the
 * run's outcome, preemptions and steps into *o.  false if it cannot be
 * taken (a broken invariant in the run counts as taken: o is then unset). */
static bool translate(struct sym *s, const char *token, const uint8_t *perm, char *out, struct outcome *o)
{
	static uint32_t dec[SIM_TOKEN_DECISIONS_MAX];
	struct job *j = s->j;
	size_t n = 0;
	if (sim_token_decode(token, j->hash, dec, SIM_TOKEN_DECISIONS_MAX, &n) != SIM_TOKEN_OK)
		return false;
	struct sim_program p = program(s);
	struct sim_step_seq seq;
	model_form(s, true);
	int end = sim_steps_of(&p, dec, n, j->bounds.steps_max, &seq);
	model_form(s, false);
	if (end < 0)
		return false;
	uint32_t *nd = NULL;
	size_t nn = 0;
	uint32_t preemptions = 0;
	uint64_t steps = 0;
	s->ran = false;
	end = sim_decisions_of(&p, &seq, perm, alloc_step, NULL, j->bounds.steps_max, &nd, &nn, &preemptions, &steps);
	sim_step_seq_free(&seq);
	if (end < 0)
		return false;
	sim_token_encode(j->hash, nd, nn, out, TOKEN_TEXT_MAX);
	free(nd);
	memset(o, 0, sizeof(*o));
	if (s->ran)
		*o = s->captured;
	o->preemptions = preemptions;
	o->steps = steps;
	return true;
}

/* Every permutation of the actors that maps each class onto itself. */
static bool permutations(struct sym *s)
{
	uint32_t members[SIM_ACTORS_MAX][SIM_ACTORS_MAX], size[SIM_ACTORS_MAX] = {0}, reps[SIM_ACTORS_MAX], nreps = 0;
	for (uint32_t a = 0; a < s->actors; a++) {
		uint32_t r = 0;
		while (r < nreps && reps[r] != s->class_of[a])
			r++;
		if (r == nreps)
			reps[nreps++] = s->class_of[a];
		members[r][size[r]++] = a;
	}
	size_t total = 1;
	for (uint32_t r = 0; r < nreps; r++)
		for (uint32_t k = 2; k <= size[r]; k++)
			total *= k;
	if (total > PERMS_MAX)
		return false;
	s->perm = malloc(total * sizeof(*s->perm));
	if (!s->perm)
		return false;
	s->nperm = 0;
	/* index i in mixed radix: one factorial digit per class (Lehmer code) */
	for (size_t i = 0; i < total; i++) {
		uint8_t *p = s->perm[s->nperm++];
		size_t rest = i;
		for (uint32_t a = 0; a < SIM_ACTORS_MAX; a++)
			p[a] = (uint8_t)a;
		for (uint32_t r = 0; r < nreps; r++) {
			uint32_t pool[SIM_ACTORS_MAX], left = size[r];
			memcpy(pool, members[r], size[r] * sizeof(uint32_t));
			for (uint32_t k = 0; k < size[r]; k++) {
				size_t pick = rest % left;
				rest /= left;
				p[members[r][k]] = (uint8_t)pool[pick];
				pool[pick] = pool[--left];
			}
		}
	}
	return true;
}

/* The outcome o with its packets mapped by actor permutation perm. */
static struct outcome image(struct sym *s, const struct outcome *o, const uint8_t *perm)
{
	const struct scenario *sc = s->j->sc;
	uint32_t count[NF_CPUS_MAX] = {0}, order[NF_CPUS_MAX][SCENARIO_PACKETS_MAX]; /* each CPU's packets */
	for (uint32_t i = 0; i < sc->packet_count; i++) {
		uint32_t c = sc->packets[i].cpu;
		order[c][count[c]++] = i;
	}
	uint32_t actor_of_cpu[NF_CPUS_MAX];
	for (uint32_t a = 0; a < s->actors; a++)
		actor_of_cpu[s->cpu_of[a]] = a;
	struct outcome r = *o;
	r.dropped = r.lost = 0;
	for (uint32_t c = 0; c < NF_CPUS_MAX; c++)
		for (uint32_t k = 0; k < count[c]; k++) {
			uint32_t from = order[c][k];
			uint32_t to = order[s->cpu_of[perm[actor_of_cpu[c]]]][k];
			if (o->dropped & (1u << from))
				r.dropped |= 1u << to;
			if (o->lost & (1u << from))
				r.lost |= 1u << to;
		}
	return r;
}

/* The same outcome key (dropped, lost, counters) of two outcomes. */
static bool same(const struct outcome *a, const struct outcome *b)
{
	return job_outcome_cmp(a, b) == 0;
}

static void explorer_bug(struct job *j, const char *what, const char *schedule)
{
	if (j->failed)
		return;
	j->failed = true;
	snprintf(j->fail_message, sizeof(j->fail_message), "explorer bug: %s", what);
	snprintf(j->fail_schedule, sizeof(j->fail_schedule), "%s", schedule);
}

/* The smallest image of o: the orbit's name, for counting. */
static struct outcome orbit(struct sym *s, const struct outcome *o)
{
	struct outcome best = *o;
	for (uint32_t k = 0; k < s->nperm; k++) {
		struct outcome im = image(s, o, s->perm[k]);
		if (job_outcome_cmp(&im, &best) < 0)
			best = im;
	}
	return best;
}

int job_desymmetrize(struct job *j)
{
	struct sym s = {.j = j};
	const struct nf_model *m = &j->model;
	for (uint32_t c = 0; c < m->w.cpu_count; c++)
		if (m->cpus[c].npkts) {
			s.cpu_of[s.actors] = c;
			s.class_of[s.actors++] = m->cpu_class[c];
		}
	if (!permutations(&s))
		return -1;
	/* (1) the witnesses found, in the ordinary form */
	uint32_t found = j->outcome_count;
	static struct outcome orig[OUTCOMES_MAX];
	memcpy(orig, j->outcomes, found * sizeof(struct outcome));
	for (uint32_t i = 0; i < found; i++) {
		struct outcome got;
		struct outcome *o = &j->outcomes[i];
		if (!translate(&s, orig[i].schedule, NULL, o->schedule, &got) || !same(&got, &orig[i])) {
			explorer_bug(j, "a witness of the symmetric run does not replay", orig[i].schedule);
			continue;
		}
		o->preemptions = got.preemptions;
		o->steps = got.steps;
	}
	if (j->failed && j->fail_schedule[0]) {
		struct outcome got;
		char out[TOKEN_TEXT_MAX];
		if (translate(&s, j->fail_schedule, NULL, out, &got))
			snprintf(j->fail_schedule, sizeof(j->fail_schedule), "%s", out);
	}
	if (j->deadlocked) {
		struct outcome got;
		char out[TOKEN_TEXT_MAX];
		if (translate(&s, j->deadlock_schedule, NULL, out, &got))
			snprintf(j->deadlock_schedule, sizeof(j->deadlock_schedule), "%s", out);
	}
	/* (2) the images under the permutations */
	for (uint32_t i = 0; i < found && !j->outcomes_overflow; i++) {
		const struct outcome *src = job_outcome_find(j, &orig[i]);
		for (uint32_t k = 1; k < s.nperm && src; k++) {
			struct outcome im = image(&s, &orig[i], s.perm[k]);
			if (job_outcome_find(j, &im))
				continue;
			struct outcome got;
			char token[TOKEN_TEXT_MAX];
			if (!translate(&s, orig[i].schedule, s.perm[k], token, &got) || !same(&got, &im)) {
				explorer_bug(j, "a permuted witness does not give the permuted outcome", orig[i].schedule);
				break;
			}
			struct outcome *n = job_outcome_insert(j, &im);
			if (!n)
				break;
			snprintf(n->schedule, sizeof(n->schedule), "%s", token);
			n->preemptions = got.preemptions;
			n->steps = got.steps;
			src = job_outcome_find(j, &orig[i]); /* the insert may have moved it */
		}
	}
	/* counts: the end states of each orbit */
	static struct outcome names[OUTCOMES_MAX];
	for (uint32_t i = 0; i < found; i++)
		names[i] = orbit(&s, &orig[i]);
	j->drop_executions = 0;
	for (uint32_t i = 0; i < found; i++)
		if (job_outcome_is_drop(&orig[i]))
			j->drop_executions += orig[i].executions;
	for (uint32_t k = 0; k < j->outcome_count; k++) {
		struct outcome *o = &j->outcomes[k];
		struct outcome name = orbit(&s, o);
		o->executions = 0;
		for (uint32_t i = 0; i < found; i++)
			if (same(&names[i], &name))
				o->executions += orig[i].executions;
	}
	free(s.perm);
	model_form(&s, false);
	return 0;
}
