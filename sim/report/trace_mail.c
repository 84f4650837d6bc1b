/*
 * trace_mail.c - mail-friendly text (see report_mail.h): word wrapping at 80
 * columns that never breaks a word, shell commands broken between options,
 * and the one-line-per-step form of a trace ("  12 cpu1:
 * nf_conntrack_core.c:__nf_conntrack_confirm: scan ORIGINAL bucket"), like a
 * SPIN trail.
 */
#include "kernel_src.h"
#include "report_mail.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void report_mail_wrap(FILE *f, const char *first, const char *cont, const char *text)
{
	report_mail_wrap_width(f, first, cont, text, MAIL_WIDTH);
}

void report_mail_wrap_width(FILE *f, const char *first, const char *cont, const char *text, size_t width)
{
	const char *prefix = first;
	size_t col = 0;
	bool line_empty = true;
	fputs(prefix, f);
	col = strlen(prefix);
	for (const char *p = text; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ");
		if (!line_empty && col + 1 + n > width) {
			fputc('\n', f);
			fputs(cont, f);
			col = strlen(cont);
			line_empty = true;
		}
		if (!line_empty) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += n;
		line_empty = false;
		p += n;
	}
	fputc('\n', f);
}

void report_mail_printf(FILE *f, const char *first, const char *cont, const char *fmt, ...)
{
	char *text = NULL;
	size_t len;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(m, fmt, ap);
	va_end(ap);
	if (fclose(m) == 0)
		report_mail_wrap(f, first, cont, text);
	free(text);
}

/* The length of the option group starting at p: "--opt value" or a lone word. */
static size_t group_len(const char *p)
{
	size_t n = strcspn(p, " ");
	if (p[0] != '-' || !p[n])
		return n;
	const char *v = p + n + 1;
	if (*v == '-')
		return n; /* a flag without a value */
	return n + 1 + strcspn(v, " ");
}

void report_mail_command(FILE *f, const char *indent, const char *cmd)
{
	size_t col = strlen(indent);
	bool first = true;
	fputs(indent, f);
	for (const char *p = cmd; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = group_len(p);
		/* break before an option group that would pass the margin (2 for " \") */
		if (!first && p[0] == '-' && col + 1 + n + 2 > MAIL_WIDTH) {
			fprintf(f, " \\\n%s    ", indent);
			col = strlen(indent) + 4;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += n;
		p += n;
		first = false;
	}
	fputc('\n', f);
}

void report_trace_mail_step(FILE *f, size_t step, const char *cpu, const char *label, const char *notes,
			    size_t notes_len, const char *tree, size_t width)
{
	width = width ? width : MAIL_WIDTH;
	char fn[128], first[64], text[700];
	const char *file = kernel_src_function(label, fn, sizeof(fn)) ? kernel_src_file(fn, tree) : NULL;
	snprintf(first, sizeof(first), "%4zu %s: ", step, cpu);
	if (file)
		snprintf(text, sizeof(text), "%s:%s", kernel_src_basename(file), label);
	else
		snprintf(text, sizeof(text), "%s", label);
	report_mail_wrap_width(f, first, "            ", text, width);
	for (const char *n = notes, *end = notes + notes_len; n < end;) {
		const char *nl = memchr(n, '\n', (size_t)(end - n));
		size_t len = (size_t)((nl ? nl : end) - n);
		snprintf(text, sizeof(text), "-> %.*s", (int)(len < 600 ? len : 600), n);
		report_mail_wrap_width(f, "           ", "              ", text, width);
		n += len + 1;
	}
}
