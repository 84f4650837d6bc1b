/*
 * text_diff.h - a line diff of two rendered traces, as unified hunks (' '
 * common, '-' only in A, '+' only in B, three lines of context), for
 * `nfrace diff --format mail`.  Lines are compared without their leading
 * step number, so that a step inserted on one side does not make every
 * later line differ.
 */
#ifndef NFRACE_TEXT_DIFF_H
#define NFRACE_TEXT_DIFF_H

#include <stddef.h>
#include <stdio.h>

/* text_diff_split - cut text at its newlines (in place) into at most max
 * lines; returns how many. */
size_t text_diff_split(char *text, char **lines, size_t max);

/* text_diff_unified - write the hunks that turn a[0..na) into b[0..nb) to f,
 * each headed "@@ A step i, B step j @@" (the steps its first lines belong
 * to; "A line i, B line j" for text without step numbers).  Returns the number of lines that
 * differ (0: identical; nothing written).  Up to 4000 lines a side are
 * aligned by longest common subsequence; past that, by common prefix and
 * suffix only. */
size_t text_diff_unified(FILE *f, char **a, size_t na, char **b, size_t nb);

#endif /* NFRACE_TEXT_DIFF_H */
