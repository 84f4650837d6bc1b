/*
 * replay.c - one execution re-run from its decisions (sim_replay, explore.h):
 * a witness shown as a trace, a schedule token checked, a witness of one fix
 * set replayed under another (lenient).  Not a search: the decisions come
 * from the caller, so there is no decision stack.
 */
#include "explore.h"

#include "explore_impl.h"

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
