/*
 * report_mail.h - text that survives a mail client: lines of at most 80
 * columns, wrapped only between words (a schedule token, a commit id or a path
 * is never split, even when it alone is longer), and shell commands broken
 * with " \" between options so that they still paste.  Used by
 * `--format mail` of prove, replay and diff (trace_mail.c).
 */
#ifndef NFRACE_REPORT_MAIL_H
#define NFRACE_REPORT_MAIL_H

#include <stdio.h>

enum { MAIL_WIDTH = 80 };

/* report_mail_wrap - write text (one paragraph, no newline in it) to f: the
 * first line starts with first, the following ones with cont; words are
 * separated by single spaces; each line ends with '\n'. */
void report_mail_wrap(FILE *f, const char *first, const char *cont, const char *text);

/* report_mail_command - write the shell command cmd (words separated by
 * spaces; an option starts with "-") indented by indent, broken before an
 * option with " \" where the next option and its value would pass column 80,
 * continuation lines indented by 4 more. */
void report_mail_command(FILE *f, const char *indent, const char *cmd);

/* report_mail_printf - format a paragraph and write it wrapped (as report_mail_wrap). */
void report_mail_printf(FILE *f, const char *first, const char *cont, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* report_mail_wrap_width - report_mail_wrap with another width (a diff
 * writes its lines one column narrower, for the '+', '-' or ' ' in front). */
void report_mail_wrap_width(FILE *f, const char *first, const char *cont, const char *text, size_t width);

/* report_trace_mail_step - one step of a trace in mail form: its number, the
 * CPU and the label with the kernel function written as file:function at
 * tree (the file's base name; the full path is in the references), wrapped
 * at width (0: MAIL_WIDTH); then each note as "-> note" below it. */
void report_trace_mail_step(FILE *f, size_t step, const char *cpu, const char *label, const char *notes,
			    size_t notes_len, const char *tree, size_t width);

#endif /* NFRACE_REPORT_MAIL_H */
