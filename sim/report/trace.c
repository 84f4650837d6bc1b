/*
 * trace.c - a traced execution as text, in one of two styles: one column per
 * CPU, one line per step (the yield label: kernel function and the access),
 * the step's notes (what it decided, counters moved) below it in the same
 * column; or the mail style of trace_mail.c, one line per step.  Then the
 * source reference of every kernel function the steps name, at the release
 * of the preset (kernel_src.h).  Plain ASCII.  report_capture_trace renders
 * one into memory for the commands that print it later (replay, diff).
 */
#include "exec.h"
#include "kernel_src.h"
#include "report.h"
#include "report_mail.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { COL_WIDTH = 64, FUNCTIONS_MAX = 64 };

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

/* A text longer than the column continues on the next lines, indented, cut
 * at a space (a word longer than the column, only, is cut where it must be). */
static void cell(FILE *f, const char *stepno, uint32_t actors, int col, const char *text, size_t len)
{
	const char *no = stepno;
	char buf[COL_WIDTH + 1];
	size_t indent = 0;
	while (indent + len > COL_WIDTH) {
		size_t room = COL_WIDTH - indent, cut = room;
		while (cut > 0 && text[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = room;
		snprintf(buf, sizeof(buf), "%*s%.*s", (int)indent, "", (int)cut, text);
		row(f, no, actors, col, buf, strlen(buf));
		while (cut < len && text[cut] == ' ')
			cut++;
		text += cut;
		len -= cut;
		no = "";
		indent = 6;
	}
	snprintf(buf, sizeof(buf), "%*s%.*s", (int)indent, "", (int)len, text);
	row(f, no, actors, col, buf, strlen(buf));
}

/* The kernel functions the steps name, each once, in order of first use. */
static size_t used_functions(const struct sim_exec *ex, char names[][64])
{
	size_t n = 0;
	char fn[64];
	for (size_t s = 0; s < ex->trace_len; s++) {
		const char *label = ex->trace[s].access.label;
		if (!label || !kernel_src_function(label, fn, sizeof(fn)))
			continue;
		size_t k = 0;
		while (k < n && strcmp(names[k], fn))
			k++;
		if (k == n && n < FUNCTIONS_MAX)
			strcpy(names[n++], fn);
	}
	return n;
}

/* "kernel source at v4.15:" and one line per function the trace names. */
static void trace_references(FILE *f, const struct sim_exec *ex, const char *tree, bool mail)
{
	static char names[FUNCTIONS_MAX][64];
	size_t n = used_functions(ex, names);
	char line[512];
	if (!strcmp(tree, "latest"))
		fputs("kernel source at the latest mainline:\n", f);
	else
		fprintf(f, "kernel source at %s:\n", tree);
	for (size_t k = 0; k < n; k++) {
		const char *file = kernel_src_file(names[k], tree), *note = kernel_src_note(names[k], tree);
		if (!file)
			continue;
		char first[64];
		snprintf(line, sizeof(line), "%s%s%s%s", file, *note ? " (" : "", note, *note ? ")" : "");
		snprintf(first, sizeof(first), "  %-28s ", names[k]);
		if (mail && strlen(first) < MAIL_WIDTH / 2)
			report_mail_wrap(f, first, "                               ", line);
		else
			fprintf(f, "%s%s\n", first, line);
	}
}

static void columns(FILE *f, const struct sim_exec *ex)
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
}

static void mail(FILE *f, const struct sim_exec *ex, const char *tree, size_t width)
{
	for (size_t s = 0; s < ex->trace_len; s++) {
		const struct sim_trace_step *st = &ex->trace[s];
		report_trace_mail_step(f, s, ex->actors[st->actor].name, st->access.label ? st->access.label : "(start)",
				       ex->notes + st->note_first, st->note_len, tree, width);
	}
}

void report_capture_trace(void *ctx, const struct sim_exec *ex)
{
	struct trace_buf *tb = ctx;
	FILE *f = open_memstream(&tb->text, &tb->len);
	if (!f)
		return;
	if (tb->style == TRACE_MAIL)
		mail(f, ex, tb->tree, tb->width);
	else
		columns(f, ex);
	tb->failed = sim_fail_message(ex) != NULL;
	if (tb->failed)
		fprintf(f, "MODEL INVARIANT BROKEN: %s\n", ex->fail_msg);
	for (uint32_t a = 0; a < ex->actor_count; a++)
		if (!ex->actors[a].finished && !tb->failed) {
			fputs("DEADLOCK: no CPU can run and some have not finished\n", f);
			tb->failed = true;
			break;
		}
	fclose(f);
	if (!tb->tree)
		return;
	f = open_memstream(&tb->refs, &tb->refs_len);
	if (!f)
		return;
	trace_references(f, ex, tb->tree, tb->style == TRACE_MAIL);
	fclose(f);
}

void report_trace_free(struct trace_buf *tb)
{
	free(tb->text);
	free(tb->refs);
	tb->text = tb->refs = NULL;
}
