/*
 * cli_check.c - `nfrace check SCENARIO... [--junit FILE]`: every expect:
 * entry of each scenario explored and compared with its verdict (the CI race
 * matrix), PASS/FAIL per entry with the witness of a failure, optionally as
 * a JUnit file.
 */
#include "cli.h"

#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* s as XML text (JUnit failure messages). */
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
	int rc = cli_parse(CLI_CHECK, argc, argv, &o), status = EXIT_OK;
	uint32_t passed = 0, failed = 0;
	if (rc)
		return rc;
	cli_check_determinism = o.check_determinism;
	if (o.path_count == 0) {
		fputs("nfrace check: give one or more scenario files\n", stderr);
		return EXIT_USAGE;
	}
	char *cases = NULL;
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
		struct cli_out out;
		struct cli_out *outs[] = {&out};
		if ((rc = cli_out_open(&out, "--junit", o.junit, &o)) != 0)
			return rc;
		FILE *f = out.f;
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"nfrace race matrix\" tests=\"%u\" "
			   "failures=\"%u\">\n%s</testsuite>\n",
			passed + failed, failed, cases ? cases : "");
		free(cases);
		if ((rc = cli_out_commit(outs, 1)) != 0)
			return rc;
	}
	return status;
}
