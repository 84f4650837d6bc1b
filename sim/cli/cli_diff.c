/*
 * cli_diff.c - `nfrace diff SCENARIO --schedule TOKEN --kernel A [--fix F]...
 * --vs B [--fix F]...`: one witness replayed under two fix sets, each side
 * labelled by its preset and fix set ("v5.0 - same-origin").  A --fix or
 * --no-fix applies to the side it follows: before --vs to A, after it to B.
 * The token was made for one of the two sides (its hash says which); that
 * side replays it exactly, the other leniently (decisions that no longer fit
 * take the first alternative).  Text: side by side from the first trace line
 * where they part; --format mail: unified hunks of the one-line-per-step
 * traces, 80 columns.  Only the steps are compared; the source references
 * follow the diff.
 */
#include "cli.h"

#include "report.h"
#include "report_label.h"
#include "report_mail.h"
#include "text_diff.h"
#include "token.h"

#include <stdlib.h>
#include <string.h>

enum { LINES_MAX = 20000 };

static struct job side_job[2];

/* One side: its job, the replay's trace and outcome. */
struct side {
	struct job *j;
	struct trace_buf tb;
	struct outcome out;
	char label[512];
	bool exact; /* replayed the token exactly (it was made for this side) */
};

/* Split argv at "--vs B": B's --fix/--no-fix (those after it) go to fix_b,
 * everything else to rest.  Returns 0 or EXIT_USAGE. */
static int split_sides(int argc, char **argv, char **rest, int *nrest, struct cli_opts *b)
{
	bool after_vs = false;
	*nrest = 0;
	b->fix_count = b->no_fix_count = 0;
	for (int i = 0; i < argc; i++) {
		bool fixopt = !strcmp(argv[i], "--fix") || !strcmp(argv[i], "--no-fix");
		if (!strcmp(argv[i], "--vs"))
			after_vs = true;
		if (after_vs && fixopt && i + 1 < argc) {
			bool add = !strcmp(argv[i], "--fix");
			if ((add ? b->fix_count : b->no_fix_count) == 32) {
				fputs("nfrace diff: too many --fix options\n", stderr);
				return EXIT_USAGE;
			}
			if (add)
				b->fix[b->fix_count++] = argv[++i];
			else
				b->no_fix[b->no_fix_count++] = argv[++i];
			continue;
		}
		rest[(*nrest)++] = argv[i];
	}
	return 0;
}

static int replay_side(struct side *s, const char *token, bool foreign, bool mail)
{
	s->tb = (struct trace_buf){0};
	s->tb.style = mail ? TRACE_MAIL : TRACE_COLUMNS;
	s->tb.tree = report_preset_tree(s->j);
	s->tb.width = MAIL_WIDTH - 1; /* room for the diff's first column */
	s->exact = !foreign;
	int rc = foreign ? job_replay_foreign(s->j, token, report_capture_trace, &s->tb, &s->out)
			 : job_replay(s->j, token, report_capture_trace, &s->tb, &s->out);
	if (rc == 4) {
		fprintf(stderr, "nfrace diff: the schedule does not fit %s under %s\n", s->j->sc->name, s->label);
		return EXIT_USAGE;
	}
	if (rc) {
		report_trace_free(&s->tb);
		return rc;
	}
	return 0;
}

/* Replay both sides: exactly the side the token was made for, the other leniently. */
static int replay_both(struct side *s, const char *token, bool mail)
{
	int rc = replay_side(&s[0], token, false, mail);
	if (rc == SIM_TOKEN_STALE) {
		if ((rc = replay_side(&s[1], token, false, mail)) == SIM_TOKEN_STALE) {
			fprintf(stderr, "nfrace diff: the schedule was made for neither %s nor %s (stale token)\n", s[0].label,
				s[1].label);
			return EXIT_USAGE;
		}
		return rc ? rc : replay_side(&s[0], token, true, mail);
	}
	return rc ? rc : replay_side(&s[1], token, true, mail);
}

static void side_summary(FILE *f, const char *prefix, const struct side *s)
{
	char *text = NULL;
	size_t len;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return;
	fprintf(m, "%s: ", s->label);
	report_outcome_text(m, s->j->sc, &s->out);
	fputs(" (counters: ", m);
	report_counters(m, &s->out);
	fprintf(m, ")%s", s->exact ? "" : "; replayed leniently");
	fclose(m);
	report_mail_wrap(f, prefix, "    ", text);
	free(text);
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

/* The references of both sides: once when equal, else B's lines A lacks after A's. */
static void print_refs(const struct side *s)
{
	const char *ra = s[0].tb.refs ? s[0].tb.refs : "", *rb = s[1].tb.refs ? s[1].tb.refs : "";
	fputs(ra, stdout);
	if (strcmp(s[0].tb.tree, s[1].tb.tree)) {
		fputs(rb, stdout);
		return;
	}
	for (const char *p = rb; *p;) {
		size_t n = strcspn(p, "\n");
		char line[1024];
		snprintf(line, sizeof(line), "%.*s\n", (int)(n < 1000 ? n : 1000), p);
		if (!strstr(ra, line))
			fputs(line, stdout);
		p += n + (p[n] == '\n');
	}
}

int cli_diff(int argc, char **argv)
{
	static struct scenario sc;
	static char *la[LINES_MAX], *lb[LINES_MAX], *rest[512];
	struct cli_opts o, ob;
	struct side s[2] = {{&side_job[0], {0}, {0}, "", false}, {&side_job[1], {0}, {0}, "", false}};
	int nrest, rc;
	if (argc > 512)
		return EXIT_USAGE;
	if ((rc = split_sides(argc, argv, rest, &nrest, &ob)) != 0 || (rc = cli_parse(CLI_DIFF, nrest, rest, &o)) != 0)
		return rc;
	if (o.path_count != 1 || !o.schedule || !o.kernel || !o.vs) {
		fputs("nfrace diff: give one scenario, --schedule TOKEN, --kernel A and --vs B\n"
		      "  (a --fix or --no-fix applies to the side it follows: before --vs to A, after it to B)\n",
		      stderr);
		return EXIT_USAGE;
	}
	bool mail = o.format && !strcmp(o.format, "mail");
	if ((rc = cli_load(o.paths[0], &sc)) != 0)
		return rc;
	/* side B: the common options with its own --fix/--no-fix */
	struct cli_opts obb = o;
	memcpy(obb.fix, ob.fix, sizeof(ob.fix));
	memcpy(obb.no_fix, ob.no_fix, sizeof(ob.no_fix));
	obb.fix_count = ob.fix_count;
	obb.no_fix_count = ob.no_fix_count;
	if ((rc = cli_job(s[0].j, &sc, o.kernel, &o)) != 0 || (rc = cli_job(s[1].j, &sc, o.vs, &obb)) != 0)
		return rc;
	report_fixes_label(s[0].j, s[0].label, sizeof(s[0].label));
	report_fixes_label(s[1].j, s[1].label, sizeof(s[1].label));
	if ((rc = replay_both(s, o.schedule, mail)) != 0) {
		if (rc != EXIT_USAGE)
			fprintf(stderr, "nfrace diff: %s\n", sim_token_status_text((enum sim_token_status)rc));
		return EXIT_USAGE;
	}
	report_mail_printf(stdout, "", "    ", "nfrace %s diff of one schedule of %s", NFRACE_VERSION, sc.name);
	side_summary(stdout, mail ? "--- A = " : "A = ", &s[0]);
	side_summary(stdout, mail ? "+++ B = " : "B = ", &s[1]);
	size_t na = text_diff_split(s[0].tb.text, la, LINES_MAX), nb = text_diff_split(s[1].tb.text, lb, LINES_MAX);
	if (mail) {
		if (text_diff_unified(stdout, la, na, lb, nb) == 0)
			puts("the two replays are identical step for step");
	} else {
		putchar('\n');
		print_side_by_side(la, na, lb, nb);
	}
	putchar('\n');
	print_refs(s);
	for (int k = 0; k < 2; k++)
		report_trace_free(&s[k].tb);
	return EXIT_OK;
}
