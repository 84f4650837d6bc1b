/*
 * replay.c - one execution re-run from its decisions (sim_replay, explore.h):
 * a witness shown as a trace, a schedule token checked, a witness of one fix
 * set replayed under another (lenient).  Not a search: the decisions come
 * from the caller, so there is no decision stack.
 */
#include "explore.h"

#include "explore_impl.h"

#include <stdlib.h>
#include <string.h>

struct replayer {
	const uint32_t *dec;
	size_t count, pos;
	bool bad;
	bool lenient;
};

static int r_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct replayer *rp = ctx;
	(void)ex;
	if (!(enabled & (enabled - 1)))
		return lowest(enabled);
	if (rp->pos >= rp->count || rp->dec[rp->pos] >= SIM_ACTORS_MAX ||
	    !(enabled & ((sim_mask)1 << rp->dec[rp->pos]))) {
		rp->bad = true;
		if (rp->lenient) {
			rp->pos++;
			return lowest(enabled);
		}
		return -1;
	}
	return (int)rp->dec[rp->pos++];
}

static uint32_t r_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct replayer *rp = ctx;
	(void)ex;
	if (rp->pos >= rp->count || rp->dec[rp->pos] >= n) {
		rp->bad = true;
		rp->pos++;
		return 0; /* keeps running; the replay is reported as not fitting */
	}
	return rp->dec[rp->pos++];
}

static int replay(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
		  void (*trace_out)(void *ctx, const struct sim_exec *ex), void *trace_ctx, bool lenient)
{
	struct replayer rp = {dec, count, 0, false, lenient};
	struct sim_decider d = {r_pick, r_choose, NULL, &rp};
	struct sim_exec *ex = sim_exec_create();
	if (!ex)
		return -1;
	sim_exec_set_tracing(ex, trace_out != NULL);
	enum sim_end end = sim_exec_run(ex, prog, &d, steps_max ? steps_max : 100000);
	int ret = ((!lenient && (rp.bad || rp.pos != rp.count)) || end == SIM_END_PRUNED) ? -1 : (int)end;
	if (ret >= 0 && trace_out)
		trace_out(trace_ctx, ex);
	sim_exec_destroy(ex);
	return ret;
}

int sim_replay(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
	       void (*trace_out)(void *ctx, const struct sim_exec *ex), void *trace_ctx)
{
	return replay(prog, dec, count, steps_max, trace_out, trace_ctx, false);
}

int sim_replay_lenient(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
		       void (*trace_out)(void *ctx, const struct sim_exec *ex), void *trace_ctx)
{
	return replay(prog, dec, count, steps_max, trace_out, trace_ctx, true);
}

/* ---- an execution as the sequence of its steps ----------------------------- */

static bool seq_push_step(struct sim_step_seq *s, int actor, sim_obj obj)
{
	if (s->steps == s->step_cap) {
		size_t c = s->step_cap ? 2 * s->step_cap : 256;
		struct sim_step_rec *q = realloc(s->step, c * sizeof(*q));
		if (!q)
			return false;
		s->step = q;
		s->step_cap = c;
	}
	s->step[s->steps++] = (struct sim_step_rec){(uint8_t)actor, 0, obj, (uint32_t)s->choices, 0};
	return true;
}

static bool seq_push_choice(struct sim_step_seq *s, uint32_t v)
{
	if (s->choices == s->choice_cap) {
		size_t c = s->choice_cap ? 2 * s->choice_cap : 64;
		uint32_t *q = realloc(s->choice, c * sizeof(*q));
		if (!q)
			return false;
		s->choice = q;
		s->choice_cap = c;
	}
	s->choice[s->choices++] = v;
	if (s->steps)
		s->step[s->steps - 1].nchoices++;
	return true;
}

void sim_step_seq_free(struct sim_step_seq *s)
{
	free(s->step);
	free(s->choice);
	memset(s, 0, sizeof(*s));
}

struct recorder {
	struct replayer rp;
	struct sim_step_seq *out;
	bool oom;
};

static uint32_t rec_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct recorder *rc = ctx;
	uint32_t v = r_choose(&rc->rp, ex, n);
	rc->oom |= !seq_push_choice(rc->out, v);
	return v;
}

static int rec_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct recorder *rc = ctx;
	return r_pick(&rc->rp, ex, enabled);
}

static void rec_step(void *ctx, struct sim_exec *ex, int a, const struct sim_access *acc)
{
	struct recorder *rc = ctx;
	(void)ex;
	rc->oom |= !seq_push_step(rc->out, a, acc->obj);
}

int sim_steps_of(const struct sim_program *prog, const uint32_t *dec, size_t count, uint64_t steps_max,
		 struct sim_step_seq *out)
{
	struct recorder rc = {{dec, count, 0, false, false}, out, false};
	struct sim_decider d = {rec_pick, rec_choose, rec_step, &rc};
	struct sim_exec *ex = sim_exec_create();
	memset(out, 0, sizeof(*out));
	if (!ex)
		return -1;
	enum sim_end end = sim_exec_run(ex, prog, &d, steps_max ? steps_max : 100000);
	sim_exec_destroy(ex);
	if (rc.oom || rc.rp.bad || rc.rp.pos != rc.rp.count || end == SIM_END_PRUNED) {
		sim_step_seq_free(out);
		return -1;
	}
	return (int)end;
}

struct follower {
	const struct sim_step_seq *in;
	const uint8_t *perm;
	bool (*skip)(void *ctx, sim_obj obj);
	void *skip_ctx;
	size_t next;   /* the next step of in to consider */
	size_t cur;    /* the step running now */
	uint32_t used; /* its choices taken so far (counted on from the step they belong to) */
	bool bad;
};

static int f_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	struct follower *f = ctx;
	(void)ex;
	while (f->next < f->in->steps && f->skip && f->skip(f->skip_ctx, f->in->step[f->next].obj))
		f->next++;
	if (f->next >= f->in->steps) {
		f->bad = true;
		return -1;
	}
	f->cur = f->next++;
	f->used = 0;
	int a = f->in->step[f->cur].actor;
	if (f->perm)
		a = f->perm[a];
	if (!(enabled & ((sim_mask)1 << a))) {
		f->bad = true;
		return -1;
	}
	return a;
}

/* The data choices of the running step are its own, then those of the
 * same actor's steps right after it in its own order that are left out
 * (their code runs as part of this step when they are not steps). */
static uint32_t f_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct follower *f = ctx;
	(void)ex;
	if (f->next == 0) { /* a choice before any step */
		f->bad = true;
		return 0;
	}
	const struct sim_step_rec *s = &f->in->step[f->cur];
	while (f->used >= s->nchoices) {
		size_t k = (size_t)(s - f->in->step) + 1;
		while (k < f->in->steps && f->in->step[k].actor != f->in->step[f->cur].actor)
			k++;
		if (k >= f->in->steps || !f->skip || !f->skip(f->skip_ctx, f->in->step[k].obj)) {
			f->bad = true;
			return 0;
		}
		f->used -= s->nchoices;
		s = &f->in->step[k];
	}
	uint32_t v = f->in->choice[s->first_choice + f->used];
	if (v >= n) {
		f->bad = true;
		return 0;
	}
	f->used++;
	return v;
}

int sim_decisions_of(const struct sim_program *prog, const struct sim_step_seq *in, const uint8_t *perm,
		     bool (*skip)(void *ctx, sim_obj obj), void *skip_ctx, uint64_t steps_max, uint32_t **dec,
		     size_t *count, uint32_t *preemptions, uint64_t *steps)
{
	struct follower f = {in, perm, skip, skip_ctx, 0, 0, 0, false};
	struct sim_decider d = {f_pick, f_choose, NULL, &f};
	struct sim_exec *ex = sim_exec_create();
	*dec = NULL;
	*count = 0;
	if (!ex)
		return -1;
	enum sim_end end = sim_exec_run(ex, prog, &d, steps_max ? steps_max : 100000);
	while (f.next < in->steps && skip && skip(skip_ctx, in->step[f.next].obj))
		f.next++;
	int ret = f.bad || f.next != in->steps || end == SIM_END_PRUNED ? -1 : (int)end;
	if (ret >= 0) {
		size_t n;
		const uint32_t *v = sim_decisions(ex, &n);
		*dec = malloc((n ? n : 1) * sizeof(uint32_t));
		if (*dec) {
			memcpy(*dec, v, n * sizeof(uint32_t));
			*count = n;
		} else {
			ret = -1;
		}
		if (preemptions)
			*preemptions = sim_preemptions(ex);
		if (steps)
			*steps = sim_steps(ex);
	}
	sim_exec_destroy(ex);
	return ret;
}
