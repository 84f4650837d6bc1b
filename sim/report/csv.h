/*
 * csv.h - the plain CSV of results/ (no quoting, one header line): a line cut
 * into fields, a column found by its header name, a number read strictly.
 * Shared by the figures (bench_plots.c, result_plots.c).
 */
#ifndef NFRACE_CSV_H
#define NFRACE_CSV_H

#include <stdbool.h>
#include <stddef.h>

enum { CSV_COLS_MAX = 32, CSV_LINE_MAX = 1024 };

/* csv_split - cut line (in place; its newline dropped) at commas into at most
 * CSV_COLS_MAX fields; returns how many. */
size_t csv_split(char *line, char **cols);

/* csv_column - the index of the field named name among n, or -1. */
int csv_column(char **cols, size_t n, const char *name);

/* csv_number - s as a double, true only when all of s is a number. */
bool csv_number(const char *s, double *out);

#endif /* NFRACE_CSV_H */
