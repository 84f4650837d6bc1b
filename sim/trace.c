/*
 * trace.c - a traced execution as text: one column per CPU, one line per
 * step (the yield label: kernel function and the access), the step's notes
 * (what it decided, counters moved) below it in the same column.  Plain
 * ASCII that survives an email.
 */
#include "exec.h"
#include "report.h"

#include <string.h>

enum { COL_WIDTH = 64 };

static void row(FILE *f, const char *stepno, uint32_t actors, int col, const char *text, size_t len)
{
	fprintf(f, "%5s ", stepno);
	for (uint32_t a = 0; a < actors; a++) {
		if ((int)a == col) {
			int w = (int)(len < COL_WIDTH ? len : COL_WIDTH);
			fprintf(f, "%.*s%*s", w, text, a + 1 < actors ? COL_WIDTH - w : 0, "");
		} else if (a + 1 < actors) {
			fprintf(f, "%*s", COL_WIDTH, "");
		}
		if (a + 1 < actors)
			fputs(" | ", f);
	}
	fputc('\n', f);
}

/* A text longer than the column continues on the next lines. */
static void cell(FILE *f, const char *stepno, uint32_t actors, int col, const char *text, size_t len)
{
	const char *no = stepno;
	while (len > COL_WIDTH) {
		row(f, no, actors, col, text, COL_WIDTH);
		text += COL_WIDTH;
		len -= COL_WIDTH;
		no = "";
	}
	row(f, no, actors, col, text, len);
}

void report_trace(FILE *f, const struct sim_exec *ex)
{
	uint32_t actors = ex->actor_count;
	char no[24];
	fprintf(f, "%5s ", "step");
	for (uint32_t a = 0; a < actors; a++)
		fprintf(f, "%-*s%s", a + 1 < actors ? COL_WIDTH : 0, ex->actors[a].name, a + 1 < actors ? " | " : "");
	fputc('\n', f);
	for (size_t s = 0; s < ex->trace_len; s++) {
		const struct sim_trace_step *st = &ex->trace[s];
		const char *label = st->access.label ? st->access.label : "(start)";
		snprintf(no, sizeof(no), "%zu", s);
		cell(f, no, actors, st->actor, label, strlen(label));
		const char *n = ex->notes + st->note_first;
		const char *end = n + st->note_len;
		while (n < end) {
			const char *nl = memchr(n, '\n', (size_t)(end - n));
			char buf[600];
			int len = snprintf(buf, sizeof(buf), "  -> %.*s", (int)(nl - n), n);
			cell(f, "", actors, st->actor, buf, (size_t)len < sizeof(buf) ? (size_t)len : sizeof(buf) - 1);
			n = nl + 1;
		}
	}
	if (ex->failed)
		fprintf(f, "MODEL INVARIANT BROKEN: %s\n", ex->fail_msg);
}
