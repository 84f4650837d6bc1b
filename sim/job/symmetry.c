/*
 * symmetry.c - the results of a state-caching exploration made the same as
 * any other strategy's (job_desymmetrize), and its witness search
 * (job_minimize_stateful); both in program.h.
 *
 * A state-caching run explores the model in its symmetric form (model.h):
 * CPUs that send equal packets form one conntrack naming class, and the
 * search treats two states that differ by a permutation of a class as one.
 * Both forms take the same steps (the allocation that names a conntrack is
 * a step in both; in the symmetric form it is a read-modify-write of the
 * class's counter, in the ordinary form a commutative add on the CPU's own),
 * so a schedule of the symmetric form replays in the ordinary form as it is,
 * with the same preemptions and steps: only the names of conntracks differ,
 * and no outcome holds a name.  But the search finds each outcome only up to
 * a permutation of a class.  So every outcome found is mapped through every
 * permutation of the CPUs of each class (packet k of one CPU becomes packet
 * k of the other): each image is an outcome too, since the model treats
 * those CPUs alike, and its witness is the found witness with the CPUs of
 * its steps permuted.  Every witness made here is replayed in the ordinary
 * form and must give its outcome; one that does not is reported as an
 * explorer bug (exit 4).  Counts: all outcomes of one orbit share the
 * number of end states the search reached in that orbit.
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
	struct sim_program p = {s->j->hash, s, s_begin, s_check, s_end, NULL, NULL, 0};
	return p;
}

static void model_form(struct sym *s, bool symmetric)
{
	struct job *j = s->j;
	nf_model_init(&j->model, j->sc, j->fixes, j->plants, symmetric);
}

/* The schedule token of the ordinary form that takes the steps of token
 * with their actors mapped by perm (NULL: as they are), into out; that
 * run's outcome, preemptions and steps into *o.  false if it cannot be
 * taken (a broken invariant in the run counts as taken: o is then unset). */
static bool permuted(struct sym *s, const char *token, const uint8_t *perm, char *out, struct outcome *o)
{
	static uint32_t dec[SIM_TOKEN_DECISIONS_MAX];
	struct job *j = s->j;
	size_t n = 0;
	if (sim_token_decode(token, j->hash, dec, SIM_TOKEN_DECISIONS_MAX, &n) != SIM_TOKEN_OK)
		return false;
	struct sim_program p = program(s);
	struct sim_step_seq seq;
	if (sim_steps_of(&p, dec, n, j->bounds.steps_max, &seq) < 0)
		return false;
	uint32_t *nd = NULL;
	size_t nn = 0;
	uint32_t preemptions = 0;
	uint64_t steps = 0;
	s->ran = false;
	int end = sim_decisions_of(&p, &seq, perm, j->bounds.steps_max, &nd, &nn, &preemptions, &steps);
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

/* The actors and classes of j's model in its symmetric form, and the
 * permutations; the model left in its ordinary form.  false if a class is
 * too large to permute or memory ran out. */
static bool sym_init(struct sym *s, struct job *j)
{
	memset(s, 0, sizeof(*s));
	s->j = j;
	model_form(s, true);
	const struct nf_model *m = &j->model;
	for (uint32_t c = 0; c < m->initial.cpu_count; c++)
		if (m->initial_cpus[c].npkts) {
			s->cpu_of[s->actors] = c;
			s->class_of[s->actors++] = m->cpu_class[c];
		}
	model_form(s, false);
	return permutations(s);
}

/* Give the images of the first n outcomes of j (a copy in src) their
 * witnesses: every image missing from j is added with the permuted witness
 * of its source; with searched_only, an image present that the witness
 * search did not reach (!searched) takes the permuted witness of a source it
 * reached.  Each permuted witness is replayed and must give the image. */
static void images(struct sym *s, const struct outcome *src, uint32_t n, bool searched_only)
{
	struct job *j = s->j;
	for (uint32_t i = 0; i < n && !j->outcomes_overflow && !j->failed; i++) {
		if (searched_only && !src[i].searched)
			continue;
		for (uint32_t k = 1; k < s->nperm; k++) {
			struct outcome im = image(s, &src[i], s->perm[k]);
			struct outcome *dst = job_outcome_find(j, &im);
			if (dst && (!searched_only || dst->searched))
				continue;
			struct outcome got;
			char token[TOKEN_TEXT_MAX];
			if (!permuted(s, src[i].schedule, s->perm[k], token, &got) || !same(&got, &im)) {
				explorer_bug(j, "a permuted witness does not give the permuted outcome", src[i].schedule);
				return;
			}
			if (!dst) {
				dst = job_outcome_insert(j, &im);
				if (!dst)
					return;
				dst->executions = 0;
			}
			memcpy(dst->schedule, token, sizeof(token));
			dst->preemptions = got.preemptions;
			dst->steps = got.steps;
			dst->searched = src[i].searched;
			dst->sampled = src[i].sampled;
		}
	}
}

int job_desymmetrize(struct job *j)
{
	struct sym s;
	if (!sym_init(&s, j))
		return -1;
	/* each witness found replays in the ordinary form */
	uint32_t found = j->outcome_count;
	static struct outcome orig[OUTCOMES_MAX];
	memcpy(orig, j->outcomes, found * sizeof(struct outcome));
	for (uint32_t i = 0; i < found && !j->failed; i++) {
		struct outcome got;
		char token[TOKEN_TEXT_MAX];
		if (!permuted(&s, orig[i].schedule, NULL, token, &got) || !same(&got, &orig[i]) ||
		    strcmp(token, orig[i].schedule) != 0 || got.preemptions != orig[i].preemptions ||
		    got.steps != orig[i].steps)
			explorer_bug(j, "a witness of the symmetric run does not replay", orig[i].schedule);
	}
	images(&s, orig, found, false);
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
	return 0;
}

int job_symmetric_witnesses(struct job *j)
{
	struct sym s;
	if (!sym_init(&s, j))
		return -1;
	static struct outcome src[OUTCOMES_MAX];
	uint32_t n = j->outcome_count;
	memcpy(src, j->outcomes, n * sizeof(struct outcome));
	images(&s, src, n, true);
	free(s.perm);
	return 0;
}
