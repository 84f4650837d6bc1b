/*
 * bench_plots.h - the figures nfrace draws from the CSV files in results/:
 * today results/bench/dpor.csv (DPOR executions, naive executions and trace
 * classes per scenario and kernel).  Loading is separate from plotting so
 * that `nfrace report` can print the rows beside the figure.
 */
#ifndef NFRACE_BENCH_PLOTS_H
#define NFRACE_BENCH_PLOTS_H

#include <stdbool.h>
#include <stddef.h>

enum { BENCH_ROWS_MAX = 128, BENCH_NAME_MAX = 64 };

/* One row of results/bench/dpor.csv. */
struct bench_dpor_row {
	char scenario[BENCH_NAME_MAX];
	char kernel[BENCH_NAME_MAX];
	double dpor_executions, dpor_classes, naive_executions;
	bool naive_complete; /* false: the naive run stopped at its bound (a lower bound) */
};

struct bench_dpor {
	size_t n;
	struct bench_dpor_row rows[BENCH_ROWS_MAX];
};

/* bench_dpor_load - read path (columns found by header name).  Returns 0;
 * 1 when the file does not exist; -1 on bad content, with "path:line: what"
 * in err. */
int bench_dpor_load(const char *path, struct bench_dpor *b, char *err, size_t err_size);

/* bench_dpor_plot - plot_write of b to base: rows on x (1..n, in file order),
 * executions on a log y axis: trace classes, DPOR executions (one per class,
 * so its points sit on the classes' points), naive executions (complete) and
 * naive executions (stopped at its bound: a lower bound).  Returns what
 * plot_write returns. */
int bench_dpor_plot(const struct bench_dpor *b, const char *base);

#endif /* NFRACE_BENCH_PLOTS_H */
