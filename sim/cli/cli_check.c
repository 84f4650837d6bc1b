/*
 * cli_cmds.c - the subcommands: run, matrix, check, replay, list.
 */
#include "cli.h"

#include "exec.h"
#include "report.h"
#include "token.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The common start of run and replay: options, one scenario, one job. */
static int one_scenario_job(int argc, char **argv, const char *usage, bool need_schedule, struct cli_opts *o,
			    struct scenario *sc, struct job **j)
{
	int rc = cli_parse(argc, argv, o);
	if (rc)
		return rc;
	cli_check_determinism = o->check_determinism;
	if (o->path_count != 1 || (need_schedule && !o->schedule)) {
		fprintf(stderr, "%s\n", usage);
		return EXIT_USAGE;
	}
	if ((rc = cli_load(o->paths[0], sc)) != 0)
		return rc;
	if (o->gap) {
		uint64_t gap;
		if ((rc = cli_parse_gap(o->gap, &gap)) != 0)
			return rc;
		cli_gap_apply(sc, gap);
	}
	*j = cli_job_storage();
	return cli_job(*j, sc, o->kernel, o);
}

int cli_run(int argc, char **argv)
{
	static struct scenario sc;
	struct cli_opts o;
	struct job *j;
	int rc = one_scenario_job(argc, argv, "nfrace run: give exactly one scenario file", false, &o, &sc, &j);
	if (rc)
		return rc;
	if (o.jobs > 1 || o.shard)
		return cli_run_split(j, &o);
	FILE *out = o.json && strcmp(o.json, "-") == 0 ? stderr : stdout;
	fprintf(out, "nfrace %s seed %" PRIu64 "\n", NFRACE_VERSION, j->seed);
	return cli_run_finish(j, &o, o.paths[0], cli_run_job(j, o.paths[0]));
}

int cli_run_finish(struct job *j, const struct cli_opts *o, const char *path, int rc)
{
	char tmp[4096];
	FILE *out = o->json && strcmp(o->json, "-") == 0 ? stderr : stdout;
	FILE *jf = o->json ? cli_out_open(o->json, tmp, sizeof(tmp)) : NULL;
	if (o->json && !jf)
		return EXIT_USAGE;
	if (!rc && j->result.complete && job_minimize_witnesses(j, o->witness_bound, 2000000) != 0) {
		fputs("nfrace: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	if (!rc && j->failed) {
		fprintf(stderr, "nfrace: %s\n  schedule: %s\n", j->fail_message, j->fail_schedule);
		rc = EXIT_MODEL_BUG;
	}
	if (rc || cli_interrupted) {
		cli_out_abort(jf, o->json, tmp);
		if (cli_interrupted)
			fprintf(out, "interrupted: exploration incomplete, nothing written\n");
		return rc ? rc : EXIT_INCOMPLETE;
	}
	report_summary(out, j, path);
	if (jf) {
		report_json(jf, j, 0);
		fputc('\n', jf);
		if ((rc = cli_out_commit(jf, o->json, tmp)) != 0)
			return rc;
	}
	rc = job_exit_complete(j) ? EXIT_OK : EXIT_INCOMPLETE;
	return rc;
}

/* One expectation: prints PASS/FAIL and returns its exit status. */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

/* The explanation of a failed expectation: the first drop witness, if any. */
static void failure_text(FILE *f, const struct job *j, const char *path)
{
	if (job_is_events(j)) {
		report_summary(f, j, path);
		return;
	}
	for (uint32_t i = 0; i < j->outcome_count; i++)
		if (job_outcome_is_drop(&j->outcomes[i])) {
			fputs("witness: ", f);
			report_outcome_text(f, j->sc, &j->outcomes[i]);
			fputs(" (counters: ", f);
			report_counters(f, &j->outcomes[i]);
			fprintf(f, ")\nreplay: nfrace replay %s --kernel %s --schedule %s\n", path, j->kernel,
				j->outcomes[i].schedule);
			return;
		}
	if (!j->result.complete)
		fputs("exploration incomplete: a bound stopped it before every class was explored\n", f);
	else
		fputs("no execution drops a packet or loses a reply\n", f);
}

/* One expectation: prints PASS/FAIL (and a JUnit test case) and returns its exit status. */
static int check_one(struct job *j, const struct scenario *sc, const struct scenario_expect *e, const char *path,
		     const struct cli_opts *o, FILE *junit)
{
	char *why = NULL;
	size_t why_len = 0;
	int rc = cli_job(j, sc, e->kernel, o);
	if (rc)
		return rc;
	if ((rc = cli_run_job(j, path)) != 0)
		return rc;
	char want[32], got[32];
	snprintf(want, sizeof(want), "%s", e->verdict == EXPECT_DROP ? "drop" : "ok");
	snprintf(got, sizeof(got), "%s", report_verdict(j));
	if (e->destroy != EXPECT_EVENTS_ANY) {
		/* events scenarios: packets, then what became of the DESTROY events */
		snprintf(want + strlen(want), sizeof(want) - strlen(want), ",%s",
			 e->destroy == EXPECT_DESTROY_LOST	 ? "lost"
			 : e->destroy == EXPECT_DESTROY_PENDING ? "pending"
								  : "delivered");
		snprintf(got + strlen(got), sizeof(got) - strlen(got), ",%s", report_events_destroy(j));
	}
	bool pass = !strcmp(want, got);
	printf("%-10s %-36s %-10s expected %-4s got %-10s [%" PRIu64 " executions]\n",
	       pass ? "PASS" : (strcmp(got, "incomplete") ? "FAIL" : "INCOMPLETE"), sc->name, j->kernel, want, got,
	       j->result.executions);
	FILE *m = open_memstream(&why, &why_len);
	if (m) {
		failure_text(m, j, path);
		fclose(m);
	}
	if (!pass && why)
		printf("           %s", why);
	if (junit) {
		fprintf(junit, "  <testcase classname=\"%s\" name=\"%s\" time=\"0\">\n", sc->name, j->kernel);
		if (!pass) {
			fprintf(junit, "    <failure message=\"expected %s, got %s\">", want, got);
			xml_text(junit, why ? why : "");
			fputs("</failure>\n", junit);
		}
		fputs("  </testcase>\n", junit);
	}
	free(why);
	if (pass)
		return EXIT_OK;
	return strcmp(got, "incomplete") ? EXIT_EXPECT : EXIT_INCOMPLETE;
}

int cli_check(int argc, char **argv)
{
	static struct scenario sc;
	struct cli_opts o;
	int rc = cli_parse(argc, argv, &o), status = EXIT_OK;
	uint32_t passed = 0, failed = 0;
	if (rc)
		return rc;
	cli_check_determinism = o.check_determinism;
	if (o.path_count == 0) {
		fputs("nfrace check: give one or more scenario files\n", stderr);
		return EXIT_USAGE;
	}
	char *cases = NULL, tmp[4096];
	size_t cases_len = 0;
	FILE *junit = o.junit ? open_memstream(&cases, &cases_len) : NULL;
	struct job *j = cli_job_storage();
	for (uint32_t s = 0; s < o.path_count; s++) {
		if ((rc = cli_load(o.paths[s], &sc)) != 0)
			return rc;
		if (sc.expect_count == 0) {
			printf("FAIL       %-36s has no expect: entries\n", sc.name);
			failed++;
			status = cli_worse(status, EXIT_EXPECT);
		}
		for (uint32_t e = 0; e < sc.expect_count; e++) {
			rc = check_one(j, &sc, &sc.expect[e], o.paths[s], &o, junit);
			if (rc == EXIT_USAGE)
				return rc;
			rc ? failed++ : passed++;
			status = cli_worse(status, rc);
			if (cli_interrupted)
				return EXIT_INCOMPLETE; /* nothing written */
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	if (junit) {
		fclose(junit);
		FILE *f = cli_out_open(o.junit, tmp, sizeof(tmp));
		if (!f)
			return EXIT_USAGE;
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"nfrace race matrix\" tests=\"%u\" "
			   "failures=\"%u\">\n%s</testsuite>\n",
			passed + failed, failed, cases ? cases : "");
		free(cases);
		if ((rc = cli_out_commit(f, o.junit, tmp)) != 0)
			return rc;
	}
	return status;
}

int cli_replay(int argc, char **argv)
{
	static struct scenario sc;
	struct cli_opts o;
	struct outcome out;
	struct trace_buf tb = {NULL, 0, false};
	struct job *j;
	int rc = one_scenario_job(argc, argv, "nfrace replay: give one scenario file and --schedule TOKEN", true, &o, &sc,
				  &j);
	if (rc)
		return rc;
	rc = job_replay(j, o.schedule, cli_capture_trace, &tb, &out);
	if (rc == 4) {
		fprintf(stderr, "nfrace replay: the schedule does not fit %s under %s (decisions out of range or count)\n",
			sc.name, j->kernel);
		return EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "nfrace replay: %s\n", sim_token_status_text((enum sim_token_status)rc));
		return EXIT_USAGE;
	}
	bool md = o.format && !strcmp(o.format, "md");
	printf(md ? "### nfrace %s replay of `%s` under %s\n\n**verdict:** " : "nfrace %s replay of %s under %s\nverdict: ",
	       NFRACE_VERSION, sc.name, j->kernel);
	report_outcome_text(stdout, &sc, &out);
	printf(md ? "  \n**counters:** " : "\ncounters: ");
	report_counters(stdout, &out);
	if (md)
		printf("  \n**schedule:** `%s`\n\n```\n%s```\n", o.schedule, tb.text ? tb.text : "");
	else
		printf("\n\n%s", tb.text ? tb.text : "");
	free(tb.text);
	return tb.failed ? EXIT_MODEL_BUG : EXIT_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int list_scenarios(void)
{
	DIR *d = opendir("scenarios");
	char *names[512];
	size_t n = 0;
	if (!d) {
		fputs("nfrace list scenarios: no scenarios/ directory here\n", stderr);
		return EXIT_USAGE;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL && n < 512;) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml"))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		static struct scenario sc;
		char path[600];
		snprintf(path, sizeof(path), "scenarios/%s", names[i]);
		if (cli_load(path, &sc) == 0)
			printf("%-40s %.70s\n", path, sc.description);
		free(names[i]);
	}
	return 0;
}

int cli_list(int argc, char **argv)
{
	size_t n;
	char names[512];
	if (argc != 1) {
		fputs("nfrace list: kernels, fixes or scenarios\n", stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[0], "kernels")) {
		const struct nf_preset *t = nf_preset_table(&n);
		for (size_t i = 0; i < n; i++) {
			nf_fixset_names(t[i].fixes, names, sizeof(names));
			printf("%-11s %s%s\n            fixes: %s\n", t[i].name, t[i].description,
			       t[i].race ? "" : " [events scenarios only]", names[0] ? names : "none");
		}
		return 0;
	}
	if (!strcmp(argv[0], "fixes")) {
		const struct nf_fix_info *t = nf_fix_table();
		for (size_t i = 0; i < FIX_COUNT; i++)
			printf("%-24s %.12s %-6s %s\n", t[i].name, t[i].commit, t[i].release, t[i].title);
		return 0;
	}
	if (!strcmp(argv[0], "scenarios"))
		return list_scenarios();
	fprintf(stderr, "nfrace list: unknown list '%s' (kernels, fixes, scenarios)\n", argv[0]);
	return EXIT_USAGE;
}
