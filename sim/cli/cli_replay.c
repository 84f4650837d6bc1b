/*
 * cli_replay.c - `nfrace replay SCENARIO --schedule TOKEN`: the one execution
 * a schedule token names, traced one column per CPU, with its outcome and
 * counters, then where each kernel function it names lives at the preset's
 * release (--format md: as Markdown for a bug report; --format mail: one line
 * per step in 80 columns, for a mail or a commit message).
 */
#include "cli.h"

#include "report.h"
#include "report_label.h"
#include "report_mail.h"
#include "token.h"

#include <stdlib.h>
#include <string.h>

/* The replay as mail text: header, the command, the steps, the references. */
static void print_mail(const struct job *j, const struct scenario *sc, const struct outcome *out, const char *path,
		       const char *token, const struct trace_buf *tb)
{
	char label[512], opts[512], cmd[4096];
	char *verdict = NULL, *counters = NULL;
	size_t len;
	FILE *m = open_memstream(&verdict, &len);
	if (m) {
		report_outcome_text(m, sc, out);
		fclose(m);
	}
	m = open_memstream(&counters, &len);
	if (m) {
		report_counters(m, out);
		fclose(m);
	}
	report_fixes_label(j, label, sizeof(label));
	report_fixes_options(j, opts, sizeof(opts));
	report_mail_printf(stdout, "", "    ", "nfrace %s replay of %s under %s", NFRACE_VERSION, sc->name, label);
	report_mail_printf(stdout, "verdict:  ", "          ", "%s", verdict ? verdict : "");
	report_mail_printf(stdout, "counters: ", "          ", "%s", counters ? counters : "");
	snprintf(cmd, sizeof(cmd), "nfrace replay %s %s --schedule %s --format mail", path, opts, token);
	report_mail_command(stdout, "", cmd);
	printf("\n%s\n%s", tb->text ? tb->text : "", tb->refs ? tb->refs : "");
	free(verdict);
	free(counters);
}

int cli_replay(int argc, char **argv)
{
	static struct scenario sc;
	struct cli_opts o;
	struct outcome out;
	struct trace_buf tb = {0};
	struct job *j;
	int rc = cli_one_scenario_job(CLI_REPLAY, argc, argv, "nfrace replay: give one scenario file and --schedule TOKEN", true, &o, &sc,
				  &j);
	if (rc)
		return rc;
	bool md = o.format && !strcmp(o.format, "md"), mail = o.format && !strcmp(o.format, "mail");
	tb.style = mail ? TRACE_MAIL : TRACE_COLUMNS;
	tb.tree = report_preset_tree(j);
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
	if (mail) {
		print_mail(j, &sc, &out, o.paths[0], o.schedule, &tb);
		report_trace_free(&tb);
		return tb.failed ? EXIT_MODEL_BUG : EXIT_OK;
	}
	char label[512];
	report_fixes_label(j, label, sizeof(label));
	printf(md ? "### nfrace %s replay of `%s` under %s\n\n**verdict:** " : "nfrace %s replay of %s under %s\nverdict: ",
	       NFRACE_VERSION, sc.name, label);
	report_outcome_text(stdout, &sc, &out);
	printf(md ? "  \n**counters:** " : "\ncounters: ");
	report_counters(stdout, &out);
	if (md)
		printf("  \n**schedule:** `%s`\n\n```\n%s\n%s```\n", o.schedule, tb.text ? tb.text : "", tb.refs ? tb.refs : "");
	else
		printf("\n\n%s\n%s", tb.text ? tb.text : "", tb.refs ? tb.refs : "");
	report_trace_free(&tb);
	return tb.failed ? EXIT_MODEL_BUG : EXIT_OK;
}
