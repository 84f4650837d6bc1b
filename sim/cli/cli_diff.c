/*
 * cli_diff.c - `nfrace diff SCENARIO --schedule TOKEN --kernel A --vs B`: one
 * witness replayed under two fix sets (the second leniently: its decisions
 * were made for the first), shown side by side from the first trace line
 * where they part.
 */
#include "cli.h"

#include "report.h"
#include "token.h"

#include <stdlib.h>
#include <string.h>

static struct job without_job, with_job;

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
	int rc = foreign ? job_replay_foreign(j, token, report_capture_trace, tb, out)
			 : job_replay(j, token, report_capture_trace, tb, out);
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
	int rc = cli_parse(CLI_DIFF, argc, argv, &o);
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
