/*
 * cli_replay.c - `nfrace replay SCENARIO --schedule TOKEN`: the one execution
 * a schedule token names, traced one column per CPU, with its outcome and
 * counters (--format md: as Markdown for a bug report).
 */
#include "cli.h"

#include "report.h"
#include "token.h"

#include <stdlib.h>
#include <string.h>

int cli_replay(int argc, char **argv)
{
	static struct scenario sc;
	struct cli_opts o;
	struct outcome out;
	struct trace_buf tb = {NULL, 0, false};
	struct job *j;
	int rc = cli_one_scenario_job(CLI_REPLAY, argc, argv, "nfrace replay: give one scenario file and --schedule TOKEN", true, &o, &sc,
				  &j);
	if (rc)
		return rc;
	rc = job_replay(j, o.schedule, report_capture_trace, &tb, &out);
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
