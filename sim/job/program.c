/*
 * program.c - running a job: the sim_program callbacks for the model, and the
 * folding of executions into outcomes (sorted, so the report does not depend
 * on discovery order).
 */
#include "program.h"

#include "outcome.h"

#include "token.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void prog_begin(void *ctx, struct sim_exec *ex)
{
	struct job *j = ctx;
	nf_model_begin(&j->model, ex);
}

static const char *prog_check(void *ctx)
{
	struct job *j = ctx;
	return nf_model_check(&j->model);
}


/* Count o on its twin, or insert it with ex as its witness. */
static void record_outcome(struct job *j, const struct outcome *o, struct sim_exec *ex)
{
	struct outcome *t = job_outcome_find(j, o);
	if (t) {
		t->executions++;
		return;
	}
	t = job_outcome_insert(j, o);
	if (!t)
		return;
	t->executions = 1;
	t->preemptions = sim_preemptions(ex);
	t->steps = sim_steps(ex);
	job_token_of(j, ex, t->schedule);
}

static void prog_end(void *ctx, struct sim_exec *ex, enum sim_end end)
{
	struct job *j = ctx;
	struct outcome o;
	if (end == SIM_END_FAILED) {
		if (!j->failed) {
			j->failed = true;
			snprintf(j->fail_message, sizeof(j->fail_message), "%s", sim_fail_message(ex));
			job_token_of(j, ex, j->fail_schedule);
		}
		return;
	}
	if (end == SIM_END_DEADLOCK && !j->deadlocked) {
		j->deadlocked = true;
		job_token_of(j, ex, j->deadlock_schedule);
	}
	if (end == SIM_END_STEPS)
		return; /* cut short: its state is no outcome */
	job_outcome_of_model(&j->model, &o);
	if (job_outcome_is_drop(&o)) {
		j->drop_executions++;
		if (!sim_strategy_stateful(j->strategy)) /* a state-caching run does not see every path's draws */
			job_draws_add(&j->draws, &j->model.w.draws);
	}
	record_outcome(j, &o, ex);
}

static size_t prog_world_key(void *ctx, unsigned char *buf, size_t cap)
{
	const struct job *j = ctx;
	return world_pack(&j->model.w, buf, cap);
}

static void prog_world_load(void *ctx, const unsigned char *buf, size_t len)
{
	struct job *j = ctx;
	world_unpack(&j->model.w, buf, len);
}

/* j's program; its model is built (job_prepare): the class declared
 * add-only comes from the initial world (the scenario and the fix set). */
static struct sim_program make_program(struct job *j)
{
	struct sim_program p = {j->hash, j, prog_begin, prog_check, prog_end, prog_world_key, prog_world_load,
				world_add_only_class(&j->model.initial)};
	return p;
}

bool job_is_events(const struct job *j)
{
	return j->sc->events.present;
}

/* Without a timing: section: every step 100 ns +-20%, a 100 us round trip. */
static const struct scenario_timing default_timing = {true, 20, 100, 100000, 0, 0, {{"", 0}}};

const struct scenario_timing *job_timing(const struct job *j)
{
	return j->sc->timing.present ? &j->sc->timing : &default_timing;
}

/* The cost of the code before access a: by the kernel function that the
 * label starts with; the answer's wait for the round trip. */
static uint64_t step_cost(void *ctx, const struct sim_access *a)
{
	const struct job *j = ctx;
	const struct scenario_timing *t = job_timing(j);
	if (job_is_events(j))
		return 0; /* the event path runs at its events' times */
	if (a->kind == SIM_QUIESCE || a->kind == SIM_LOCK_WAIT)
		return t->round_trip_ns; /* only an answer's arrival waits so (packet.c) */
	size_t len = strcspn(a->label, ":");
	for (uint32_t i = 0; i < t->cost_count; i++)
		if (strlen(t->costs[i].function) == len && !memcmp(t->costs[i].function, a->label, len))
			return t->costs[i].ns;
	return t->default_ns;
}

static void ev_begin(void *ctx, struct sim_exec *ex)
{
	struct job *j = ctx;
	ev_net_begin(&j->ev, ex);
}

static const char *ev_check(void *ctx)
{
	struct job *j = ctx;
	return ev_net_check(&j->ev);
}

static void ev_end(void *ctx, struct sim_exec *ex, enum sim_end end)
{
	struct job *j = ctx;
	struct ev_figures f;
	if (end == SIM_END_FAILED) {
		if (!j->failed) {
			j->failed = true;
			snprintf(j->fail_message, sizeof(j->fail_message), "%s", sim_fail_message(ex));
		}
		return;
	}
	if (end == SIM_END_DEADLOCK)
		j->deadlocked = true;
	if (end != SIM_END_DONE)
		return;
	ev_net_figures(&j->ev, &f);
	uint64_t dying_max = j->ev_sum.dying_max > f.dying_max ? j->ev_sum.dying_max : f.dying_max;
	uint64_t count_max = j->ev_sum.count_max > f.count_max ? j->ev_sum.count_max : f.count_max;
	uint64_t *sum = &j->ev_sum.flows;
	const uint64_t *add = &f.flows;
	for (size_t k = 0; k < offsetof(struct ev_figures, in_sync_ms) / sizeof(uint64_t); k++)
		sum[k] += add[k]; /* every uint64_t figure up to in_sync_ms is a count */
	j->ev_sum.dying_max = dying_max; /* ... except these two maxima */
	j->ev_sum.count_max = count_max;
	j->ev_sum.listeners_out_of_sync += f.listeners_out_of_sync;
	if (f.in_sync_ms < 0 || j->ev_in_sync_ms_max < 0)
		j->ev_in_sync_ms_max = -1;
	else if (f.in_sync_ms > j->ev_in_sync_ms_max)
		j->ev_in_sync_ms_max = f.in_sync_ms;
	j->ev_runs++;
	j->ev_runs_table_full += f.table_full_drops > 0;
	j->ev_runs_destroy_lost += f.destroy_lost > 0;
	if (f.table_full_drops || f.destroy_lost)
		j->drop_executions++;
}

static int job_run_events(struct job *j)
{
	struct sim_program p = {j->hash, j, ev_begin, ev_check, ev_end, NULL, NULL, 0};
	struct sim_timing t = {step_cost, j, 0};
	memset(&j->ev_sum, 0, sizeof(j->ev_sum));
	j->ev_runs = j->ev_runs_table_full = j->ev_runs_destroy_lost = 0;
	j->ev_in_sync_ms_max = 0;
	if (ev_net_init(&j->ev, j->sc, j->fixes) != 0)
		return -1;
	int rc;
	if (j->strategy == SIM_EXPLORE_TIMED)
		rc = sim_timed(&p, &t, &j->bounds, j->seed, &j->result);
	else if (j->strategy == SIM_EXPLORE_RANDOM || j->strategy == SIM_EXPLORE_PCT)
		rc = sim_sample(&p, j->strategy, &j->bounds, j->seed, j->pct_depth ? j->pct_depth : 2, 0, &j->result);
	else
		rc = sim_explore(&p, j->strategy, &j->bounds, true, &j->result);
	ev_net_free(&j->ev);
	return rc;
}

void job_prepare(struct job *j)
{
	nf_model_init(&j->model, j->sc, j->fixes, j->plants, sim_strategy_stateful(j->strategy));
	j->hash = nf_model_hash(j->sc, j->fixes, j->plants);
}

/* The presample (program.h): PCT executions of j's scenario, their
 * outcomes left in j, which the caller moves aside. */
static int presample(struct job *j)
{
	struct sim_bounds b = j->bounds;
	struct sim_result r;
	b.executions_max = PRESAMPLE_EXECUTIONS;
	b.progress = NULL;
	nf_model_init(&j->model, j->sc, j->fixes, j->plants, false);
	struct sim_program p = make_program(j);
	int rc = sim_sample(&p, SIM_EXPLORE_PCT, &b, j->seed, PRESAMPLE_DEPTH, 0, &r);
	j->presample_executions = r.executions;
	j->presample_drops = j->drop_executions;
	return rc;
}

/* After the exhaustive run: a complete one must have found every sampled
 * outcome; an incomplete one keeps those it missed, marked sampled. */
static void merge_presample(struct job *j, const struct outcome *found, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (job_outcome_find(j, &found[i]))
			continue;
		if (j->result.complete) {
			if (!j->failed) {
				j->failed = true;
				snprintf(j->fail_message, sizeof(j->fail_message),
					 "explorer bug: sampling found an outcome the complete exploration missed");
				snprintf(j->fail_schedule, sizeof(j->fail_schedule), "%s", found[i].schedule);
			}
			return;
		}
		struct outcome *o = job_outcome_insert(j, &found[i]);
		if (o)
			o->sampled = true;
	}
}

static bool exhaustive(enum sim_strategy s)
{
	return s == SIM_EXPLORE_DFS || s == SIM_EXPLORE_DPOR || s == SIM_EXPLORE_ODPOR || sim_strategy_stateful(s);
}

int job_run(struct job *j)
{
	static struct outcome sampled[OUTCOMES_MAX];
	uint32_t nsampled = 0;
	j->outcome_count = 0;
	j->drop_executions = 0;
	j->presample_executions = j->presample_drops = 0;
	job_draws_reset(&j->draws);
	j->failed = j->deadlocked = j->outcomes_overflow = false;
	j->hash = nf_model_hash(j->sc, j->fixes, j->plants);
	if (job_is_events(j))
		return job_run_events(j);
	if (j->presample && exhaustive(j->strategy) && j->bounds.shard_n == 0) {
		if (presample(j) != 0)
			return -1;
		nsampled = j->outcome_count;
		memcpy(sampled, j->outcomes, nsampled * sizeof(struct outcome));
		j->outcome_count = 0;
		j->drop_executions = 0;
		job_draws_reset(&j->draws);
		if (j->failed)
			return 0; /* a broken invariant: reported with its schedule */
	}
	job_prepare(j);
	struct sim_program p = make_program(j);
	if (j->strategy == SIM_EXPLORE_RANDOM || j->strategy == SIM_EXPLORE_PCT)
		return sim_sample(&p, j->strategy, &j->bounds, j->seed, j->pct_depth ? j->pct_depth : 2, 0, &j->result);
	if (j->strategy == SIM_EXPLORE_TIMED) {
		struct sim_timing t = {step_cost, j, job_timing(j)->jitter_percent};
		return sim_timed(&p, &t, &j->bounds, j->seed, &j->result);
	}
	int rc = sim_explore(&p, j->strategy, &j->bounds, true, &j->result);
	if (rc == 0 && sim_strategy_stateful(j->strategy))
		rc = job_desymmetrize(j);
	if (rc == 0 && nsampled)
		merge_presample(j, sampled, nsampled);
	return rc;
}

/* The end callback of the minimisation runs: improve the witness of the outcome. */
static void pb_end(void *ctx, struct sim_exec *ex, enum sim_end end)
{
	job_witness_end(ctx, ex, end);
}

/* After a complete search with preemption bound k: every outcome whose
 * witness has at most k preemptions has a minimal one (no schedule with fewer
 * preemptions reaches it, or an earlier bound would have found it); whether
 * every outcome now has. */
static bool witnesses_within(struct job *j, uint32_t k)
{
	bool all = true;
	for (uint32_t i = 0; i < j->outcome_count; i++) {
		if (j->outcomes[i].preemptions <= k)
			j->outcomes[i].minimal = true;
		all = all && j->outcomes[i].minimal;
	}
	j->witness_bound = k;
	return all;
}

/* Before the bounded searches: nothing searched, nothing counted. */
static void witness_search_begin(struct job *j)
{
	j->witness_executions = 0;
	for (uint32_t i = 0; i < j->outcome_count; i++)
		j->outcomes[i].searched = false;
}

/* After the search with bound k (result r): whether the searches end, because
 * this one was stopped by a bound or every outcome's witness is minimal. */
static bool witness_search_done(struct job *j, const struct sim_result *r, uint32_t k)
{
	j->witness_executions += r->executions;
	return !r->complete || witnesses_within(j, k);
}

/* job_minimize_witnesses for a state-caching job: witness searches over
 * the symmetric form's states (stateful.c, exact within their bound) with
 * bounds 0, 1, ... as below, each followed by the witnesses of the images.
 * A search's cost grows steeply with its bound, so the last one dominates. */
static int minimize_stateful(struct job *j, uint32_t bound_max)
{
	struct sim_program p = make_program(j);
	p.end = pb_end;
	witness_search_begin(j);
	int rc = 0;
	for (uint32_t k = 0; k <= bound_max && !j->failed && rc == 0; k++) {
		struct sim_bounds b = j->bounds;
		struct sim_result r;
		b.preemptions_max = k;
		b.executions_max = 0; /* bounded by memory and time, as the exploration */
		b.split_depth = b.shard_k = b.shard_n = 0;
		b.progress = NULL;
		nf_model_init(&j->model, j->sc, j->fixes, j->plants, true);
		rc = sim_explore(&p, SIM_EXPLORE_STATEFUL_PB, &b, true, &r);
		nf_model_init(&j->model, j->sc, j->fixes, j->plants, false);
		if (rc != 0 || job_symmetric_witnesses(j) != 0)
			return -1;
		if (witness_search_done(j, &r, k))
			break;
	}
	return rc;
}

int job_minimize_witnesses(struct job *j, uint32_t bound_max, uint64_t executions_max)
{
	if (sim_strategy_stateful(j->strategy))
		return minimize_stateful(j, bound_max);
	struct sim_program p = {j->hash, j, prog_begin, prog_check, pb_end, NULL, NULL,
				world_add_only_class(&j->model.initial)};
	witness_search_begin(j);
	for (uint32_t k = 0; k <= bound_max && !j->failed; k++) {
		struct sim_bounds b = j->bounds;
		struct sim_result r;
		b.executions_max = executions_max;
		b.preemptions_max = k;
		b.split_depth = b.shard_k = b.shard_n = 0; /* one process, the whole bounded tree */
		if (sim_explore(&p, SIM_EXPLORE_PB, &b, true, &r) != 0)
			return -1;
		if (witness_search_done(j, &r, k))
			break;
	}
	return 0;
}

struct replay_ctx {
	struct job *j;
	struct outcome *out;
	void (*trace_out)(void *, const struct sim_exec *);
	void (*observe)(void *, const struct nf_model *);
	void *ctx;
};

/* The check callback of an observed replay: it runs after the prologues and
 * after every step, so it sees each state of the execution in order. */
static const char *replay_check(void *ctx)
{
	struct replay_ctx *rc = ctx;
	if (rc->observe)
		rc->observe(rc->ctx, &rc->j->model);
	return nf_model_check(&rc->j->model);
}

static void replay_begin(void *ctx, struct sim_exec *ex)
{
	struct replay_ctx *rc = ctx;
	nf_model_begin(&rc->j->model, ex);
}

static void replay_trace(void *ctx, const struct sim_exec *ex)
{
	struct replay_ctx *rc = ctx;
	job_outcome_of_model(&rc->j->model, rc->out);
	if (rc->trace_out)
		rc->trace_out(rc->ctx, ex);
}


/* Replay the decisions of token; foreign: made for another fix set, so its
 * hash is not checked and decisions that do not fit take the first choice. */
static int replay_token(struct job *j, const char *token, bool foreign,
			void (*trace_out)(void *, const struct sim_exec *), void (*observe)(void *, const struct nf_model *),
			void *ctx, struct outcome *out)
{
	static uint32_t dec[SIM_TOKEN_DECISIONS_MAX];
	size_t n;
	nf_model_init(&j->model, j->sc, j->fixes, j->plants, false);
	j->hash = nf_model_hash(j->sc, j->fixes, j->plants);
	enum sim_token_status st = sim_token_decode(token, j->hash, dec, SIM_TOKEN_DECISIONS_MAX, &n);
	if (st != SIM_TOKEN_OK && !(foreign && st == SIM_TOKEN_STALE))
		return (int)st;
	struct replay_ctx rc = {j, out, trace_out, observe, ctx};
	struct sim_program p = {j->hash, &rc, replay_begin, replay_check, NULL, NULL, NULL, 0};
	int end = foreign ? sim_replay_lenient(&p, dec, n, j->bounds.steps_max, replay_trace, &rc)
			  : sim_replay(&p, dec, n, j->bounds.steps_max, replay_trace, &rc);
	return end < 0 ? 4 : 0;
}

int job_replay(struct job *j, const char *token, void (*trace_out)(void *, const struct sim_exec *), void *ctx,
	       struct outcome *out)
{
	return replay_token(j, token, false, trace_out, NULL, ctx, out);
}

int job_replay_observed(struct job *j, const char *token, void (*observe)(void *, const struct nf_model *),
			void (*trace_out)(void *, const struct sim_exec *), void *ctx, struct outcome *out)
{
	return replay_token(j, token, false, trace_out, observe, ctx, out);
}

int job_replay_foreign(struct job *j, const char *token, void (*trace_out)(void *, const struct sim_exec *), void *ctx,
		       struct outcome *out)
{
	return replay_token(j, token, true, trace_out, NULL, ctx, out);
}
