/*
 * cli_prove.c - the reviewer's commands: `prove` (a pasteable regression
 * proof for one fix) and `diff` (one witness replayed under two fix sets,
 * shown side by side from the first step where they part).
 */
#include "cli.h"

#include "report.h"
#include "report_witness.h"
#include "token.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static struct job without_job, with_job;

/* Explore with trace classes counted; a broken model is reported by cli_run_job. */
static int run_complete(struct job *j, const char *path)
{
	j->bounds.count_classes = true;
	return cli_run_job(j, path);
}

static uint32_t drop_outcomes(const struct job *j)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < j->outcome_count; i++)
		n += job_outcome_is_drop(&j->outcomes[i]);
	return n;
}

static void print_proof(const struct job *wo, const struct job *wi, const struct nf_fix_info *fi, const char *path)
{
	const struct outcome *w = report_best_drop(wo);
	printf("nfrace %s regression proof (model %s)\n", NFRACE_VERSION, NFRACE_MODEL_VERSION);
	printf("scenario: %s (%s)\n", wo->sc->name, path);
	printf("fix:      %.12s \"%s\" (%s)\n", fi->commit, fi->title, fi->release);
	printf("kernel:   %s; without the fix: hash %016" PRIx64 ", with it: hash %016" PRIx64 "\n", wo->kernel, wo->hash,
	       wi->hash);
	printf("without %s: %" PRIu64 " of %" PRIu64 " trace classes drop a packet or lose a reply (%u distinct outcomes)\n",
	       fi->name, wo->drop_executions, wo->result.classes, drop_outcomes(wo));
	if (w) {
		printf("  minimal witness: ");
		report_outcome_text(stdout, wo->sc, w);
		printf("; counters ");
		report_counters(stdout, w);
		printf("; %u preemption%s, %" PRIu64 " steps\n", w->preemptions, w->preemptions == 1 ? "" : "s", w->steps);
		printf("  nfrace replay %s --kernel %s --no-fix %s --schedule %s\n", path, wo->kernel, fi->name, w->schedule);
	}
	printf("with %s: %s of the %" PRIu64 " trace classes drops a packet or loses a reply\n", fi->name,
	       wi->drop_executions ? "SOME" : "none", wi->result.classes);
	printf("exploration: %s, %s (without: %" PRIu64 " executions; with: %" PRIu64 ")\n", sim_strategy_name(wi->strategy),
	       wo->result.complete && wi->result.complete ? "complete" : "INCOMPLETE", wo->result.executions,
	       wi->result.executions);
}

int cli_prove(int argc, char **argv)
{
	static struct scenario sc;
	struct cli_opts o;
	int rc = cli_parse(argc, argv, &o);
	if (rc)
		return rc;
	if (o.path_count != 1 || o.fix_count != 1 || o.no_fix_count) {
		fputs("nfrace prove: give one scenario and exactly one --fix\n", stderr);
		return EXIT_USAGE;
	}
	const struct nf_fix_info *fi = nf_fix_lookup(o.fix[0]);
	if (!fi) {
		fprintf(stderr, "nfrace: unknown or ambiguous fix '%s' (see: nfrace list fixes)\n", o.fix[0]);
		return EXIT_USAGE;
	}
	if ((rc = cli_load(o.paths[0], &sc)) != 0)
		return rc;
	if ((rc = cli_job(&with_job, &sc, o.kernel, &o)) != 0)
		return rc;
	without_job = with_job;
	without_job.fixes &= ~(1u << (unsigned)fi->id);
	if ((rc = run_complete(&without_job, o.paths[0])) != 0 || (rc = run_complete(&with_job, o.paths[0])) != 0)
		return rc;
	if (job_minimize_witnesses(&without_job, 3, 2000000) != 0)
		return EXIT_USAGE;
	print_proof(&without_job, &with_job, fi, o.paths[0]);
	if (!without_job.result.complete || !with_job.result.complete)
		return EXIT_INCOMPLETE;
	if (!without_job.drop_executions || with_job.drop_executions) {
		printf("the proof does not hold: %s\n",
		       !without_job.drop_executions ? "nothing drops without the fix" : "drops remain with the fix");
		return EXIT_EXPECT;
	}
	return EXIT_OK;
}

/* The lines of a rendered trace. */
static size_t split_lines(char *text, char **lines, size_t max)
{
	size_t n = 0;
	for (char *p = text; p && *p && n < max;) {
		lines[n++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n;
}

static int replay_into(struct job *j, const char *token, bool foreign, struct trace_buf *tb, struct outcome *out)
{
	int rc = foreign ? job_replay_foreign(j, token, cli_capture_trace, tb, out)
			 : job_replay(j, token, cli_capture_trace, tb, out);
	if (rc == 4) {
		fprintf(stderr, "nfrace diff: the schedule does not fit %s under %s\n", j->sc->name, j->kernel);
		return EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "nfrace diff: %s\n", sim_token_status_text((enum sim_token_status)rc));
		return EXIT_USAGE;
	}
	return 0;
}

static void print_side_by_side(char **a, size_t na, char **b, size_t nb)
{
	size_t first = 0;
	while (first < na && first < nb && !strcmp(a[first], b[first]))
		first++;
	if (first == na && first == nb) {
		puts("the two replays are identical step for step");
		return;
	}
	printf("identical for the first %zu trace lines; they part here (left: A, right: B):\n\n", first);
	for (size_t i = first > 3 ? first - 3 : 0; i < first + 40 && (i < na || i < nb); i++)
		printf("%s %-100.100s | %.100s\n", i < first ? " " : "*", i < na ? a[i] : "", i < nb ? b[i] : "");
}

int cli_diff(int argc, char **argv)
{
	static struct scenario sc;
	static char *la[20000], *lb[20000];
	struct cli_opts o, ob;
	struct trace_buf ta = {NULL, 0, false}, tbb = {NULL, 0, false};
	struct outcome oa, obo;
	int rc = cli_parse(argc, argv, &o);
	if (rc)
		return rc;
	if (o.path_count != 1 || !o.schedule || !o.kernel || !o.vs) {
		fputs("nfrace diff: give one scenario, --schedule TOKEN, --kernel A and --vs B\n", stderr);
		return EXIT_USAGE;
	}
	if ((rc = cli_load(o.paths[0], &sc)) != 0)
		return rc;
	ob = o;
	ob.fix_count = ob.no_fix_count = 0;
	if ((rc = cli_job(&without_job, &sc, o.kernel, &o)) != 0 || (rc = cli_job(&with_job, &sc, o.vs, &ob)) != 0)
		return rc;
	if ((rc = replay_into(&without_job, o.schedule, false, &ta, &oa)) != 0 ||
	    (rc = replay_into(&with_job, o.schedule, true, &tbb, &obo)) != 0)
		return rc;
	printf("nfrace %s diff of one schedule of %s\nA = %s: ", NFRACE_VERSION, sc.name, without_job.kernel);
	report_outcome_text(stdout, &sc, &oa);
	printf(" (counters: ");
	report_counters(stdout, &oa);
	printf(")\nB = %s: ", with_job.kernel);
	report_outcome_text(stdout, &sc, &obo);
	printf(" (counters: ");
	report_counters(stdout, &obo);
	printf(")\n\n");
	print_side_by_side(la, split_lines(ta.text, la, 20000), lb, split_lines(tbb.text, lb, 20000));
	free(ta.text);
	free(tbb.text);
	return EXIT_OK;
}
