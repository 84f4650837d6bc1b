/*
 * cli_prove.c - `nfrace prove SCENARIO --fix F`: a pasteable regression proof
 * for one fix: the scenario explored without and with it, trace classes
 * counted, the minimal witness of a drop without it, none with it.
 */
#include "cli.h"

#include "report.h"
#include "report_witness.h"

#include <inttypes.h>

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
	int rc = cli_parse(CLI_PROVE, argc, argv, &o);
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
