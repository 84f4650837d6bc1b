/*
 * cli_prove.c - `nfrace prove SCENARIO --fix F [--kernel P]`: a pasteable
 * regression proof for one fix (or a patch under review, docs/your-patch.md):
 * the scenario explored without and with it, trace classes counted, the
 * minimal witness of a drop without it, none with it.  When the proof does
 * not hold, every outcome that still drops or loses a reply with the fix is
 * listed with its class count, minimal witness, replay command and a ready
 * `nfrace diff` command.  --format mail: the same in 80 columns.
 *
 * `nfrace prove --all --fix F [SCENARIO...]`: the fix against every bundled
 * scenario (or those named) under every preset that runs it, one table:
 * fixed, still dropping, newly dropping (a regression, exit 1).
 */
#include "cli.h"

#include "report.h"
#include "report_label.h"
#include "report_mail.h"
#include "report_witness.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static struct job without_job, with_job;

/* What prove prints a proof with: the output style and the scenario's path. */
struct proof_out {
	bool mail;
	const char *path;
	const struct nf_fix_info *fix;
};

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

/* "trace classes" where each execution is its own class (dpor), else "executions". */
static const char *unit(const struct job *j)
{
	return j->result.classes == j->result.executions ? "trace classes" : "executions";
}

static void line(const struct proof_out *po, const char *first, const char *cont, const char *text)
{
	if (po->mail)
		report_mail_wrap(stdout, first, cont, text);
	else
		printf("%s%s\n", first, text);
}

static void command(const struct proof_out *po, const char *label, const char *cmd)
{
	if (po->mail) {
		printf("    %s\n", label);
		report_mail_command(stdout, "      ", cmd);
	} else
		printf("    %-8s%s\n", label, cmd);
}

/* j's replay options as text ("--kernel v5.0 --fix my-patch"). */
static void opts_of(const struct job *j, char *buf, size_t size)
{
	report_fixes_options(j, buf, size);
}

/* One outcome of j after head ("outcome 2: "): text, class count, counters,
 * witness, replay and diff commands.  other is the job of the other side,
 * for the diff. */
static void print_outcome(const struct proof_out *po, const struct job *j, const struct job *other,
			  const struct outcome *w, const char *head)
{
	char *text = NULL, cmd[4096], opts[512], other_opts[512];
	size_t len;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return;
	fputs(head, m);
	report_outcome_text(m, j->sc, w);
	fprintf(m, " [%" PRIu64 " %s]; counters ", w->executions, unit(j));
	report_counters(m, w);
	fprintf(m, "; witness: %u preemption%s, %" PRIu64 " steps", w->preemptions, w->preemptions == 1 ? "" : "s",
		w->steps);
	fclose(m);
	line(po, "  ", "    ", text ? text : "");
	free(text);
	opts_of(j, opts, sizeof(opts));
	opts_of(other, other_opts, sizeof(other_opts));
	snprintf(cmd, sizeof(cmd), "nfrace replay %s %s --schedule %s%s", po->path, opts, w->schedule,
		 po->mail ? " --format mail" : "");
	command(po, "replay:", cmd);
	/* the side without the fix is always A: '-' is the kernel before the patch */
	const struct job *a = j == &without_job ? j : other, *b = j == &without_job ? other : j;
	char a_opts[512], b_opts[512];
	opts_of(a, a_opts, sizeof(a_opts));
	opts_of(b, b_opts, sizeof(b_opts));
	snprintf(cmd, sizeof(cmd), "nfrace diff %s %s --schedule %s --vs %s%s", po->path, a_opts, w->schedule,
		 b_opts + strlen("--kernel "), po->mail ? " --format mail" : "");
	command(po, "diff:", cmd);
}

/* For drops that need improbable random draws: how improbable. */
static void print_probability(const struct proof_out *po, const struct job *j)
{
	char p[64], text[256];
	if (!report_drop_probability(j, p, sizeof(p)))
		return;
	snprintf(text, sizeof(text), "they need random draws (DNAT endpoint, port) of probability p = %s per run", p);
	line(po, "  ", "    ", text);
}

static void print_proof(const struct proof_out *po, const struct job *wo, const struct job *wi)
{
	const struct nf_fix_info *fi = po->fix;
	const struct outcome *w = report_best_drop(wo);
	char lwo[512], lwi[512], text[2048];
	report_fixes_label(wo, lwo, sizeof(lwo));
	report_fixes_label(wi, lwi, sizeof(lwi));
	snprintf(text, sizeof(text), "nfrace %s regression proof (model %s)", NFRACE_VERSION, NFRACE_MODEL_VERSION);
	line(po, "", "    ", text);
	snprintf(text, sizeof(text), "%s (%s)", wo->sc->name, po->path);
	line(po, "scenario: ", "          ", text);
	if (nf_fix_merged(fi))
		snprintf(text, sizeof(text), "%.12s \"%s\" (%s)", fi->commit, fi->title, fi->release);
	else
		snprintf(text, sizeof(text), "\"%s\" (a patch under review, unmerged)", fi->title);
	line(po, "fix:      ", "          ", text);
	snprintf(text, sizeof(text), "without the fix %s (hash %016" PRIx64 "), with it %s (hash %016" PRIx64 ")", lwo,
		 wo->hash, lwi, wi->hash);
	line(po, "kernel:   ", "          ", text);
	snprintf(text, sizeof(text), "without %s: %" PRIu64 " of %" PRIu64 " %s drop a packet or lose a reply (%u distinct outcomes)",
		 fi->name, wo->drop_executions, wo->result.executions, unit(wo), drop_outcomes(wo));
	line(po, "", "  ", text);
	print_probability(po, wo);
	if (w)
		print_outcome(po, wo, wi, w, "minimal witness: ");
	if (!wi->drop_executions)
		snprintf(text, sizeof(text), "with %s: none of the %" PRIu64 " %s drops a packet or loses a reply",
			 fi->name, wi->result.executions, unit(wi));
	else
		snprintf(text, sizeof(text), "with %s: %" PRIu64 " of the %" PRIu64 " %s still drop a packet or lose a reply:",
			 fi->name, wi->drop_executions, wi->result.executions, unit(wi));
	line(po, "", "  ", text);
	print_probability(po, wi);
	uint32_t number = 0;
	for (uint32_t i = 0; i < wi->outcome_count; i++)
		if (job_outcome_is_drop(&wi->outcomes[i])) {
			char head[32];
			snprintf(head, sizeof(head), "outcome %u: ", ++number);
			print_outcome(po, wi, wo, &wi->outcomes[i], head);
		}
	snprintf(text, sizeof(text), "%s, %s (without: %" PRIu64 " executions; with: %" PRIu64 ")",
		 sim_strategy_name(wi->strategy),
		 wo->result.complete && wi->result.complete ? "complete" : "INCOMPLETE", wo->result.executions,
		 wi->result.executions);
	line(po, "exploration: ", "    ", text);
}

/* Configure both jobs of fix fi for sc under preset (NULL: the scenario's
 * default): with = the preset plus the fix, without = minus it. */
static int prove_jobs(const struct scenario *sc, const char *preset, const struct cli_opts *o,
		      const struct nf_fix_info *fi)
{
	int rc = cli_job(&with_job, sc, preset, o);
	if (rc)
		return rc;
	with_job.fixes |= 1u << (unsigned)fi->id;
	without_job = with_job;
	without_job.fixes &= ~(1u << (unsigned)fi->id);
	return 0;
}

/* Run both jobs; minimise the witnesses of the drops that the proof lists. */
static int prove_run(const char *path, uint32_t witness_bound, bool minimise)
{
	int rc;
	if ((rc = run_complete(&without_job, path)) != 0 || (rc = run_complete(&with_job, path)) != 0)
		return rc;
	if (!minimise)
		return 0;
	if ((without_job.result.complete && job_minimize_witnesses(&without_job, witness_bound, 2000000) != 0) ||
	    (with_job.result.complete && with_job.drop_executions &&
	     job_minimize_witnesses(&with_job, witness_bound, 2000000) != 0)) {
		fputs("nfrace: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	return 0;
}

static const struct nf_fix_info *the_fix(const struct cli_opts *o)
{
	const struct nf_fix_info *fi = nf_fix_lookup(o->fix[0]);
	if (!fi)
		fprintf(stderr, "nfrace: unknown or ambiguous fix '%s' (see: nfrace list fixes)\n", o->fix[0]);
	return fi;
}

/* ---- prove --all ---------------------------------------------------------- */

enum { ALL_SCENARIOS_MAX = 64 };

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The bundled scenarios (the .yaml files of scenarios/, in name order) into paths. */
static uint32_t bundled(char **paths, uint32_t max)
{
	uint32_t n = 0;
	DIR *d = opendir("scenarios");
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d)) != NULL && n < max;) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) {
			paths[n] = malloc(len + 11);
			if (paths[n])
				snprintf(paths[n++], len + 11, "scenarios/%s", e->d_name);
		}
	}
	closedir(d);
	qsort(paths, n, sizeof(paths[0]), cmp_str);
	return n;
}

struct tally {
	uint32_t fixed, still, regressions, incomplete, ok;
};

/* A side's verdict as the matrix has it ("drop", "drop p=1/2", "ok,lost"). */
static const char *verdict(const struct job *j)
{
	static char buf[2][32];
	static int k;
	k = !k;
	report_cell_verdict(j, buf[k], sizeof(buf[k]));
	return buf[k];
}

/* What j's failing outcomes do: bit 0 some packet dropped, bit 1 some reply lost. */
static int failure_kinds(const struct job *j)
{
	int kinds = 0;
	for (uint32_t i = 0; i < j->outcome_count; i++)
		kinds |= (j->outcomes[i].dropped ? 1 : 0) | (j->outcomes[i].lost ? 2 : 0);
	return kinds;
}

/* A cell that fails before and after: the same way, or another. */
static const char *change_of_kind(void)
{
	static const char *const name[4] = {"", "drop", "lost reply", "drop+lost"};
	static char buf[64];
	int a = failure_kinds(&without_job), b = failure_kinds(&with_job);
	if (a == b)
		return "still drops";
	snprintf(buf, sizeof(buf), "%s -> %s", name[a], name[b]);
	return buf;
}

/* One cell of the table; returns the exit status it contributes. */
static int all_cell(const struct scenario *sc, const char *path, const char *preset, const struct cli_opts *o,
		    const struct nf_fix_info *fi, struct tally *t, FILE *regressions)
{
	int rc = prove_jobs(sc, preset, o, fi);
	if (!rc)
		rc = prove_run(path, o->witness_bound, false);
	if (rc)
		return rc;
	bool before = without_job.drop_executions > 0, after = with_job.drop_executions > 0;
	bool complete = job_exit_complete(&without_job) && job_exit_complete(&with_job);
	const char *result;
	if (!complete && !(before && after))
		result = "INCOMPLETE", t->incomplete++;
	else if (before && !after)
		result = "fixed", t->fixed++;
	else if (before && after)
		result = sc->events.present ? "still fails" : change_of_kind(), t->still++;
	else if (after)
		result = sc->events.present ? "NEW FAILURE" : "NEW DROP", t->regressions++;
	else {
		t->ok++;
		return 0;
	}
	printf("%-36s %-11s %-16s %-16s %s\n", sc->name, preset, verdict(&without_job), verdict(&with_job), result);
	if (!before && after) {
		if (with_job.result.complete && job_minimize_witnesses(&with_job, o->witness_bound, 2000000) != 0)
			return EXIT_USAGE;
		const struct outcome *w = report_best_drop(&with_job);
		char opts[512];
		report_fixes_options(&with_job, opts, sizeof(opts));
		fprintf(regressions, "%s under %s: ", sc->name, preset);
		if (w) {
			report_outcome_text(regressions, sc, w);
			fprintf(regressions, "\n  nfrace replay %s %s --schedule %s\n", path, opts, w->schedule);
		} else /* an events timeline: no single witness */
			fprintf(regressions, "%s\n  nfrace run %s %s\n", verdict(&with_job), path, opts);
	}
	if (!complete)
		return EXIT_INCOMPLETE;
	return before || !after ? 0 : EXIT_EXPECT;
}

static int prove_all(struct cli_opts *o, const struct nf_fix_info *fi)
{
	static struct scenario sc;
	static char *owned[ALL_SCENARIOS_MAX];
	const char *paths[ALL_SCENARIOS_MAX];
	uint32_t n = 0, owned_n = 0;
	if (o->path_count > ALL_SCENARIOS_MAX) {
		fputs("nfrace prove --all: at most 64 scenarios\n", stderr);
		return EXIT_USAGE;
	}
	if (o->path_count)
		for (uint32_t i = 0; i < o->path_count; i++)
			paths[n++] = o->paths[i];
	else {
		owned_n = n = bundled(owned, ALL_SCENARIOS_MAX);
		for (uint32_t i = 0; i < n; i++)
			paths[i] = owned[i];
	}
	if (!n) {
		fputs("nfrace prove --all: no scenarios (run it in the source directory, or name them)\n", stderr);
		return EXIT_USAGE;
	}
	const char *kernels[32];
	uint32_t nk;
	int rc = cli_kernel_list(o->kernels, kernels, &nk), status = EXIT_OK;
	char *reg = NULL;
	size_t reg_len;
	FILE *regressions = open_memstream(&reg, &reg_len);
	if (rc || !regressions)
		return rc ? rc : EXIT_USAGE;
	struct tally t = {0, 0, 0, 0, 0};
	if (nf_fix_merged(fi))
		printf("nfrace %s prove --all: %s (%.12s, %s) on %u scenario%s\n", NFRACE_VERSION, fi->name, fi->commit,
		       fi->release, n, n == 1 ? "" : "s");
	else
		printf("nfrace %s prove --all: %s (unmerged) on %u scenario%s\n", NFRACE_VERSION, fi->name, n,
		       n == 1 ? "" : "s");
	printf("%-36s %-11s %-16s %-16s %s\n", "scenario", "preset", "before", "after", "result");
	for (uint32_t s = 0; s < n && status != EXIT_USAGE && status != EXIT_MODEL_BUG; s++) {
		if ((rc = cli_load(paths[s], &sc)) != 0) {
			status = rc;
			break;
		}
		for (uint32_t k = 0; k < nk && !cli_interrupted; k++) {
			if (!nf_preset_applies(nf_preset_lookup(kernels[k]), sc.events.present))
				continue;
			status = cli_worse(status, all_cell(&sc, paths[s], kernels[k], o, fi, &t, regressions));
		}
	}
	fclose(regressions);
	if (status != EXIT_USAGE && status != EXIT_MODEL_BUG) {
		printf("summary: %u fixed, %u still drop, %u newly drop (regressions), %u incomplete; %u cells ok before and after\n",
		       t.fixed, t.still, t.regressions, t.incomplete, t.ok);
		if (t.regressions)
			printf("regressions (before: %s's preset without %s; after: with it):\n%s", fi->name, fi->name, reg);
	}
	free(reg);
	for (uint32_t i = 0; i < owned_n; i++)
		free(owned[i]);
	return cli_interrupted ? EXIT_INCOMPLETE : status;
}

int cli_prove(int argc, char **argv)
{
	static struct scenario sc;
	struct cli_opts o;
	int rc = cli_parse(CLI_PROVE, argc, argv, &o);
	bool all = o.all;
	if (rc)
		return rc;
	if ((!all && o.path_count != 1) || o.fix_count != 1 || o.no_fix_count) {
		fputs("nfrace prove: give one scenario and exactly one --fix (or --all --fix F [SCENARIO...])\n", stderr);
		return EXIT_USAGE;
	}
	const struct nf_fix_info *fi = the_fix(&o);
	if (!fi)
		return EXIT_USAGE;
	o.fix_count = 0; /* the jobs add and remove it themselves */
	if (all) {
		if (o.kernel && !o.kernels)
			o.kernels = o.kernel;
		return prove_all(&o, fi);
	}
	if ((rc = cli_load(o.paths[0], &sc)) != 0 || (rc = prove_jobs(&sc, o.kernel, &o, fi)) != 0 ||
	    (rc = prove_run(o.paths[0], o.witness_bound, true)) != 0)
		return rc;
	struct proof_out po = {o.format && !strcmp(o.format, "mail"), o.paths[0], fi};
	print_proof(&po, &without_job, &with_job);
	if (!without_job.result.complete || !with_job.result.complete)
		return EXIT_INCOMPLETE;
	if (!without_job.drop_executions || with_job.drop_executions) {
		line(&po, "", "  ",
		     !without_job.drop_executions ? "the proof does not hold: nothing drops without the fix"
						  : "the proof does not hold: drops or lost replies remain with the fix (listed above)");
		return EXIT_EXPECT;
	}
	return EXIT_OK;
}
