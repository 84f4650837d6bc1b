/*
 * bench_plots.c - CSV figures of results/ (see bench_plots.h).  The CSV is
 * plain (no quoting); columns are looked up by name so that a column added
 * later does not break the figure.
 */
#include "bench_plots.h"

#include "csv.h"
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const wanted[] = {"scenario", "kernel", "dpor_executions", "dpor_classes", "naive_executions",
				     "naive_complete"};
enum { NWANTED = sizeof(wanted) / sizeof(wanted[0]) };

static int parse_row(char **cols, size_t n, const int *idx, struct bench_dpor_row *r)
{
	for (size_t k = 0; k < NWANTED; k++)
		if ((size_t)idx[k] >= n)
			return -1;
	snprintf(r->scenario, sizeof(r->scenario), "%s", cols[idx[0]]);
	snprintf(r->kernel, sizeof(r->kernel), "%s", cols[idx[1]]);
	if (!csv_number(cols[idx[2]], &r->dpor_executions) || !csv_number(cols[idx[3]], &r->dpor_classes) ||
	    !csv_number(cols[idx[4]], &r->naive_executions))
		return -1;
	if (strcmp(cols[idx[5]], "true") && strcmp(cols[idx[5]], "false"))
		return -1;
	r->naive_complete = !strcmp(cols[idx[5]], "true");
	return 0;
}

int bench_dpor_load(const char *path, struct bench_dpor *b, char *err, size_t err_size)
{
	char line[CSV_LINE_MAX], *cols[CSV_COLS_MAX];
	int idx[NWANTED];
	FILE *f = fopen(path, "r");
	b->n = 0;
	if (!f) {
		snprintf(err, err_size, "%s:0: %s", path, strerror(errno));
		return errno == ENOENT ? 1 : -1;
	}
	size_t lineno = 1, n = fgets(line, sizeof(line), f) ? csv_split(line, cols) : 0;
	for (size_t k = 0; k < NWANTED; k++)
		if ((idx[k] = csv_column(cols, n, wanted[k])) < 0) {
			snprintf(err, err_size, "%s:1: no column '%s' in the header", path, wanted[k]);
			fclose(f);
			return -1;
		}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '\n' || line[0] == '\0')
			continue;
		if (b->n == BENCH_ROWS_MAX || parse_row(cols, csv_split(line, cols), idx, &b->rows[b->n]) != 0) {
			snprintf(err, err_size, "%s:%zu: %s", path, lineno,
				 b->n == BENCH_ROWS_MAX ? "more rows than a figure takes" : "not a row of numbers for the header");
			fclose(f);
			return -1;
		}
		b->n++;
	}
	fclose(f);
	return 0;
}

int bench_dpor_plot(const struct bench_dpor *b, const char *base)
{
	static double x[BENCH_ROWS_MAX], y[4][BENCH_ROWS_MAX];
	static char label[BENCH_ROWS_MAX][2 * BENCH_NAME_MAX + 2];
	static const char *labels[BENCH_ROWS_MAX];
	for (size_t i = 0; i < b->n; i++) {
		snprintf(label[i], sizeof(label[i]), "%s %s", b->rows[i].scenario, b->rows[i].kernel);
		labels[i] = label[i];
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct bench_dpor_row *r = &b->rows[i];
		x[i] = (double)(i + 1);
		y[0][i] = r->dpor_classes;
		y[1][i] = r->dpor_executions;
		/* complete and bounded naive rows are separate series (NAN: no point) */
		y[2][i] = r->naive_complete ? r->naive_executions : NAN;
		y[3][i] = r->naive_complete ? NAN : r->naive_executions;
	}
	const struct plot_series s[4] = { /* the classes' open squares ring the DPOR points they equal */
		{"DPOR executions", x, y[1], NULL, NULL, b->n},
		{"trace classes (DPOR, complete)", x, y[0], NULL, NULL, b->n},
		{"naive executions (complete)", x, y[2], NULL, NULL, b->n},
		{"naive executions (stopped at its bound: a lower bound)", x, y[3], NULL, NULL, b->n},
	};
	/* points only: the rows are unrelated scenarios, not a sequence */
	const struct plot p = {"DPOR against naive enumeration (results/bench/dpor.csv)", "scenario and kernel preset",
			       "executions (log scale)", false, true, s, 4, true, false, "top left", labels, b->n, 1000, 700};
	return plot_write(&p, base);
}
