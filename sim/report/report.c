/*
 * report.c - summary, JSON and coverage texts for jobs (see report.h).
 * JSON is written by hand with a fixed key order so that results diff cleanly.
 */
#include "report.h"
#include "report_html.h"
#include "report_label.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void report_wilson(uint64_t k, uint64_t n, double *lo, double *hi)
{
	const double z = 1.959964;
	double p = (double)k / (double)n, nn = (double)n;
	double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
	double half = z * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / (1 + z * z / nn);
	*lo = centre - half < 0 ? 0 : centre - half;
	*hi = centre + half > 1 ? 1 : centre + half;
}

void report_sampling(FILE *f, const struct job *j)
{
	uint64_t n = j->result.executions;
	double lo = 0, hi = 0;
	if (!n)
		return;
	report_wilson(j->drop_executions, n, &lo, &hi);
	fprintf(f, "sampled: %s, seed %" PRIu64 ": %" PRIu64 " of %" PRIu64 " executions drop (%.4f; 95%% CI %.4f to %.4f)\n",
		sim_strategy_name(j->strategy), j->seed, j->drop_executions, n, (double)j->drop_executions / (double)n, lo, hi);
	if (j->strategy == SIM_EXPLORE_TIMED && job_timing(j)->queries_per_s) {
		double per_hour = (double)job_timing(j)->queries_per_s * 3600.0;
		fprintf(f, "predicted at %u lookups/s: %.0f timeouts per hour (95%% CI %.0f to %.0f)\n",
			job_timing(j)->queries_per_s, per_hour * (double)j->drop_executions / (double)n, per_hour * lo,
			per_hour * hi);
	}
	if (j->strategy == SIM_EXPLORE_PCT) {
		uint32_t d = j->pct_depth ? j->pct_depth : 2, actors = j->model.w.cpu_count;
		double k = (double)j->result.max_depth, bound = 1.0 / (double)actors;
		for (uint32_t i = 1; i < d; i++)
			bound /= k;
		fprintf(f, "pct: depth %u, %u CPUs, at most %.0f steps: each execution finds a given depth-%u bug with "
			   "probability >= %.3g (1/(n k^(d-1)))\n",
			d, actors, k, d, bound);
	}
}

const char *report_events_destroy(const struct job *j)
{
	if (j->ev_sum.destroy_lost)
		return "lost";
	if (j->ev_sum.destroy_pending)
		return "pending";
	return job_exit_complete(j) ? "delivered" : "incomplete";
}

const char *report_verdict(const struct job *j)
{
	if (job_is_events(j)) /* a timeline cut by a bound or a signal shows nothing */
		return j->ev_sum.table_full_drops ? "drop" : job_exit_complete(j) ? "ok" : "incomplete";
	if (j->drop_executions > 0 || j->presample_drops > 0)
		return "drop";
	return j->result.complete ? "ok" : "incomplete";
}

void report_cell_verdict(const struct job *j, char *buf, size_t size)
{
	char p[48];
	if (job_is_events(j))
		snprintf(buf, size, "%s,%s", report_verdict(j), report_events_destroy(j));
	else if (report_drop_probability(j, p, sizeof(p)))
		snprintf(buf, size, "%s p=%s", report_verdict(j), p); /* a drop that needs improbable draws */
	else
		snprintf(buf, size, "%s", report_verdict(j));
}

const char *report_replay_options(const struct job *j)
{
	static char buf[FIX_COUNT * 48 + 64];
	char all[sizeof(buf) + 64];
	report_fixes_options(j, all, sizeof(all)); /* "--kernel P" and then these */
	snprintf(buf, sizeof(buf), "%s", all + strlen("--kernel ") + strlen(j->kernel));
	return buf;
}

const char *report_run_noun(const struct job *j)
{
	return sim_strategy_stateful(j->strategy) ? "end states" : "executions";
}

/* The coverage of a state-caching run in one phrase (text and JSON). */
static void stateful_coverage(char *buf, size_t size, const struct job *j)
{
	const struct sim_result *r = &j->result;
	snprintf(buf, size,
		 "%s, %s, %" PRIu64 " states, %" PRIu64 " transitions, %" PRIu64 " end states, peak %" PRIu64 " MiB",
		 sim_strategy_name(j->strategy), r->complete ? "no bound hit" : sim_incomplete_name(r->why), r->states,
		 r->transitions, r->executions, (r->memory_peak + (1u << 20) - 1) >> 20);
}

void report_coverage_line(FILE *f, const struct job *j)
{
	const struct sim_result *r = &j->result;
	if (!r->complete && j->presample_executions)
		fprintf(f, "sampled first: %" PRIu64 " pct executions from seed %" PRIu64 ", %" PRIu64
			   " of them drop a packet or lose a reply\n",
			j->presample_executions, j->seed, j->presample_drops);
	if (sim_strategy_stateful(j->strategy)) {
		char cov[256];
		stateful_coverage(cov, sizeof(cov), j);
		fprintf(f, "coverage: %s, %s\n", cov, r->complete ? "complete" : "INCOMPLETE");
		if (r->cycles)
			fprintf(f, "stateful: %" PRIu64 " steps led back to a state on the search stack; every state on"
				   " the stack was expanded fully (docs/model.md, State caching)\n",
				r->cycles);
		return;
	}
	fprintf(f, "coverage: %s, %s, %" PRIu64 " executions (%" PRIu64 " pruned as equivalent), %s\n",
		sim_strategy_name(j->strategy), r->complete ? "no bound hit" : sim_incomplete_name(r->why),
		r->executions, r->pruned, r->complete ? "complete" : "INCOMPLETE");
	if (r->wakeup_fallbacks)
		fprintf(f, "odpor: %" PRIu64 " recorded wakeup steps were not runnable where the sequence put them"
			   " (docs/model.md, Exploration)\n",
			r->wakeup_fallbacks);
	if (j->bounds.count_classes)
		fprintf(f, "trace classes: %" PRIu64 " distinct among the %" PRIu64 " executions (explored/classes = %.3f)\n",
			r->classes, r->executions, r->classes ? (double)r->executions / (double)r->classes : 0.0);
}

static void packet_list(FILE *f, const struct scenario *sc, uint32_t mask, const char *sep)
{
	bool first = true;
	for (uint32_t i = 0; i < sc->packet_count; i++)
		if (mask & (1u << i)) {
			fprintf(f, "%s%s", first ? "" : sep, sc->packets[i].name);
			first = false;
		}
}

void report_outcome_text(FILE *f, const struct scenario *sc, const struct outcome *o)
{
	if (!o->dropped && !o->lost) {
		fputs(sc->replies ? "every query answered" : "every packet delivered", f);
		return;
	}
	if (o->dropped) {
		fputs("dropped ", f);
		packet_list(f, sc, o->dropped, ", ");
	}
	if (o->lost) {
		fputs(o->dropped ? "; reply lost for " : "reply lost for ", f);
		packet_list(f, sc, o->lost, ", ");
	}
}

void report_counters(FILE *f, const struct outcome *o)
{
	bool any = false;
	for (int s = 0; s < STAT_COUNT; s++)
		if (o->counters[s]) {
			fprintf(f, "%s%s=%u", any ? " " : "", nf_ct_stat_name((enum nf_ct_stat)s), o->counters[s]);
			any = true;
		}
	if (!any)
		fputs("none", f);
}

static const char *const msg_names[MSG_KINDS] = {"new", "update", "destroy"};

static void kinds_text(FILE *f, const uint64_t v[MSG_KINDS])
{
	for (int k = 0; k < MSG_KINDS; k++)
		fprintf(f, "%s%s %" PRIu64, k ? ", " : "", msg_names[k], v[k]);
}

/* The events figures (sums over the timelines). */
static void report_events_summary(FILE *f, const struct job *j)
{
	const struct ev_figures *e = &j->ev_sum;
	fprintf(f, "  timelines: %" PRIu64 " (each %u ms of virtual time), flows started: %" PRIu64 "\n", j->ev_runs,
		j->sc->events.duration_ms, e->flows);
	fprintf(f, "  packets dropped (nf_conntrack: table full, dropping packet): %" PRIu64 "; early_drop=%" PRIu64
		   "; killed by the gc worker's early-drop mode: %" PRIu64 "; nf_conntrack_count highest %" PRIu64
		   ", at the end %" PRIu64 "\n",
		e->table_full_drops, e->early_drop, e->gc_early_drop, e->count_max, e->count_end);
	fputs("  events delivered: ", f);
	kinds_text(f, e->delivered);
	fputs("\n  events lost:      ", f);
	kinds_text(f, e->lost);
	fputs("\n  duplicated:       ", f);
	kinds_text(f, e->duplicated);
	fprintf(f, "\n  DESTROY: %" PRIu64 " lost, %" PRIu64 " still waiting for redelivery at the end, %" PRIu64
		   " redelivery attempts, at most %" PRIu64 " entries waiting at once\n",
		e->destroy_lost, e->destroy_pending, e->redelivered, e->dying_max);
	fprintf(f, "  listeners: sk_drops %" PRIu64 ", recv ENOBUFS %" PRIu64 "; ", e->sk_drops, e->enobufs);
	if (j->ev_in_sync_ms_max < 0)
		fprintf(f, "%u listener(s) still out of sync with the table at the end\n", e->listeners_out_of_sync);
	else
		fprintf(f, "every listener in sync with the table from %" PRId64 " ms on\n", j->ev_in_sync_ms_max);
	fprintf(f, "verdict: packets %s, DESTROY events %s\n", report_verdict(j), report_events_destroy(j));
	fprintf(f, "coverage: %s, %" PRIu64 " timeline(s) from seed %" PRIu64 " (sampled, not exhaustive)%s%s\n",
		sim_strategy_name(j->strategy), j->result.executions, j->seed, job_exit_complete(j) ? "" : ", INCOMPLETE: ",
		job_exit_complete(j) ? "" : sim_incomplete_name(j->result.why));
}

void report_summary(FILE *f, const struct job *j, const char *path)
{
	char names[512];
	nf_fixset_names(j->fixes, names, sizeof(names));
	fprintf(f, "scenario %s, kernel %s (fixes: %s)\n", j->sc->name, j->kernel, names[0] ? names : "none");
	if (job_is_events(j) && j->strategy == SIM_EXPLORE_TIMED) {
		report_events_summary(f, j);
		return;
	}
	for (uint32_t i = 0; i < j->outcome_count; i++) {
		const struct outcome *o = &j->outcomes[i];
		fprintf(f, "  outcome %u: ", i + 1);
		report_outcome_text(f, j->sc, o);
		if (o->sampled)
			fprintf(f, "  [found by sampling only: %" PRIu64 " executions]\n    counters: ", o->executions);
		else
			fprintf(f, "  [%" PRIu64 " %s]\n    counters: ", o->executions, report_run_noun(j));
		report_counters(f, o);
		fprintf(f, "\n    witness: %u preemption%s, %" PRIu64 " steps%s", o->preemptions, o->preemptions == 1 ? "" : "s",
			o->steps, o->minimal ? " (fewest preemptions, then fewest steps)" : "");
		fprintf(f, "\n    replay: nfrace replay %s --kernel %s%s --schedule %s\n", path, j->kernel,
			report_replay_options(j), o->schedule);
	}
	if (j->outcomes_overflow)
		fprintf(f, "  (more than %d distinct outcomes; the rest are counted but not listed)\n", OUTCOMES_MAX);
	if (!j->drop_executions && j->presample_drops)
		fprintf(f, "verdict: %s (found by sampling: %" PRIu64 " of %" PRIu64 " pct executions; the exploration"
			   " found none before its bound)\n",
			report_verdict(j), j->presample_drops, j->presample_executions);
	else
		fprintf(f, "verdict: %s (%" PRIu64 " of %" PRIu64 " %s drop a packet or lose a reply)\n",
			report_verdict(j), j->drop_executions, j->result.executions, report_run_noun(j));
	report_probability_line(f, j);
	if (job_is_events(j))
		report_events_summary(f, j);
	else if (j->strategy == SIM_EXPLORE_RANDOM || j->strategy == SIM_EXPLORE_PCT || j->strategy == SIM_EXPLORE_TIMED)
		report_sampling(f, j);
	if (!job_is_events(j))
		report_coverage_line(f, j);
}

static void json_packets(FILE *f, const struct scenario *sc, uint32_t mask)
{
	bool first = true;
	fputc('[', f);
	for (uint32_t i = 0; i < sc->packet_count; i++)
		if (mask & (1u << i)) {
			fputs(first ? "" : ", ", f);
			html_json_string(f, sc->packets[i].name);
			first = false;
		}
	fputc(']', f);
}

/* One outcome; its counters are the ones the kernel of fixes has (`conntrack -S` of that era). */
static void json_outcome(FILE *f, const struct scenario *sc, nf_fixset fixes, const struct outcome *o, const char *pad)
{
	fprintf(f, "%s{\"dropped\": ", pad);
	json_packets(f, sc, o->dropped);
	fputs(", \"lost_replies\": ", f);
	json_packets(f, sc, o->lost);
	fputs(", \"counters\": {", f);
	bool first = true;
	for (int s = 0; s < STAT_COUNT; s++) {
		if (!nf_ct_stat_in_kernel(fixes, (enum nf_ct_stat)s))
			continue;
		fprintf(f, "%s\"%s\": %u", first ? "" : ", ", nf_ct_stat_name((enum nf_ct_stat)s), o->counters[s]);
		first = false;
	}
	fprintf(f, "}, \"executions\": %" PRIu64 ", \"schedule\": ", o->executions);
	html_json_string(f, o->schedule);
	fprintf(f, ", \"preemptions\": %u, \"steps\": %" PRIu64 ", \"minimal\": %s%s}", o->preemptions, o->steps,
		o->minimal ? "true" : "false", o->sampled ? ", \"sampled\": true" : "");
}

static void json_kinds(FILE *f, const char *key, const uint64_t v[MSG_KINDS])
{
	fprintf(f, "\"%s\": {", key);
	for (int k = 0; k < MSG_KINDS; k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", msg_names[k], v[k]);
	fputs("}, ", f);
}

/* "events": the figures summed over the timelines (maxima for *_max). */
static void json_events(FILE *f, const struct job *j, const char *pad)
{
	const struct ev_figures *e = &j->ev_sum;
	fprintf(f, "%s  \"events\": {\"timelines\": %" PRIu64 ", \"flows\": %" PRIu64 ", ", pad, j->ev_runs, e->flows);
	json_kinds(f, "delivered", e->delivered);
	json_kinds(f, "lost", e->lost);
	json_kinds(f, "duplicated", e->duplicated);
	fprintf(f, "\"redelivered\": %" PRIu64 ", \"destroy_lost\": %" PRIu64 ", \"destroy_pending\": %" PRIu64
		   ", \"dying_max\": %" PRIu64 ", \"table_full_drops\": %" PRIu64 ", \"early_drop\": %" PRIu64
		   ", \"gc_early_drop\": %" PRIu64 ", \"count_max\": %" PRIu64 ", \"count_end\": %" PRIu64
		   ", \"sk_drops\": %" PRIu64 ", \"enobufs\": %" PRIu64 ", \"in_sync_ms\": ",
		e->redelivered, e->destroy_lost, e->destroy_pending, e->dying_max, e->table_full_drops, e->early_drop,
		e->gc_early_drop, e->count_max, e->count_end, e->sk_drops, e->enobufs);
	if (j->ev_in_sync_ms_max < 0)
		fputs("null", f);
	else
		fprintf(f, "%" PRId64, j->ev_in_sync_ms_max);
	fprintf(f, ", \"verdict\": {\"packets\": \"%s\", \"destroy\": \"%s\"}},\n", report_verdict(j),
		report_events_destroy(j));
}

void report_json(FILE *f, const struct job *j, int indent)
{
	char pad[16], pad2[20];
	snprintf(pad, sizeof(pad), "%*s", indent, "");
	snprintf(pad2, sizeof(pad2), "%*s", indent + 4, "");
	fprintf(f, "%s{\n%s  \"scenario\": ", pad, pad);
	html_json_string(f, j->sc->name);
	fprintf(f, ",\n%s  \"kernel\": ", pad);
	html_json_string(f, j->kernel);
	fprintf(f, ",\n%s  \"fixes\": [", pad);
	bool first = true;
	for (int i = 0; i < FIX_COUNT; i++)
		if (nf_fixset_has(j->fixes, (enum nf_fix_id)i)) {
			fputs(first ? "" : ", ", f);
			html_json_string(f, nf_fix_table()[i].name);
			first = false;
		}
	fprintf(f, "],\n%s  \"explore\": \"%s\",\n%s  \"seed\": %" PRIu64 ",\n", pad, sim_strategy_name(j->strategy), pad,
		j->seed);
	fprintf(f, "%s  \"complete\": %s,\n%s  \"executions\": %" PRIu64 ",\n", pad, j->result.complete ? "true" : "false",
		pad, j->result.executions);
	if (sim_strategy_stateful(j->strategy))
		fprintf(f, "%s  \"states\": %" PRIu64 ",\n%s  \"transitions\": %" PRIu64 ",\n%s  \"memory_peak\": %" PRIu64 ",\n",
			pad, j->result.states, pad, j->result.transitions, pad, j->result.memory_peak);
	fprintf(f, "%s  \"drop_executions\": %" PRIu64 ",\n%s  \"drop_probability\": ", pad, j->drop_executions, pad);
	report_probability_json(f, j);
	fprintf(f, ",\n%s  \"outcomes\": [", pad);
	for (uint32_t i = 0; i < j->outcome_count; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_outcome(f, j->sc, j->fixes, &j->outcomes[i], pad2);
	}
	fprintf(f, "%s],\n", j->outcome_count ? "\n  " : "");
	if (job_is_events(j))
		json_events(f, j, pad);
	fprintf(f, "%s  \"coverage\": ", pad);
	char cov[256];
	if (sim_strategy_stateful(j->strategy)) {
		char part[200];
		stateful_coverage(part, sizeof(part), j);
		snprintf(cov, sizeof(cov), "%s, %s", part, j->result.complete ? "complete" : "incomplete");
	} else {
		snprintf(cov, sizeof(cov), "%s, %s, %" PRIu64 " executions, %s", sim_strategy_name(j->strategy),
			 j->result.complete ? "no bound hit" : sim_incomplete_name(j->result.why), j->result.executions,
			 j->result.complete ? "complete" : "incomplete");
	}
	html_json_string(f, cov);
	fprintf(f, "\n%s}", pad);
}
