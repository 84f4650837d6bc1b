/*
 * result_plots.h - the figures of the curves in results/: P(drop) against the
 * gap between the sends (results/timing/SCENARIO.csv, `nfrace curve --gap`)
 * and events lost against the listeners' receive buffer
 * (results/events/SCENARIO.csv, `nfrace curve --rcvbuf`), one series per
 * kernel preset; and every figure of results/ at once (`nfrace plots`).  The
 * same functions draw for `nfrace curve --plot`, so a figure looks the same
 * whoever draws it.
 */
#ifndef NFRACE_RESULT_PLOTS_H
#define NFRACE_RESULT_PLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { CURVE_SERIES_MAX = 16, CURVE_X_MAX = 1000, CURVE_NAME_MAX = 64 };

/* One curve figure's data: np points of x shared by nk series. */
struct result_curve {
	char scenario[CURVE_NAME_MAX];
	size_t nk, np;
	char kernels[CURVE_SERIES_MAX][CURVE_NAME_MAX];
	double x[CURVE_X_MAX];
	double y[CURVE_SERIES_MAX][CURVE_X_MAX];
	double lo[CURVE_SERIES_MAX][CURVE_X_MAX], hi[CURVE_SERIES_MAX][CURVE_X_MAX];
	bool bars; /* lo and hi hold a confidence interval */
};

/* result_pdrop_plot - P(drop) against the gap (ns, the axis from 0) with 95%
 * intervals, to base.svg/.png.  Returns what plot_write returns. */
int result_pdrop_plot(const struct result_curve *c, const char *base);

/* result_events_plot - events lost against SO_RCVBUF (log axis), to base. */
int result_events_plot(const struct result_curve *c, const char *base);

/* result_curve_load - a curve CSV into c: x from column xcol, y from ycol,
 * with lo/hi from locol/hicol when they are not NULL; series by the kernel
 * column in order of first appearance.  0, 1 when path does not exist, -1 on
 * bad content ("path:line: what" in err). */
int result_curve_load(const char *path, const char *xcol, const char *ycol, const char *locol, const char *hicol,
		      struct result_curve *c, char *err, size_t err_size);

/* result_plots_all - draw every figure whose CSV exists under results/ (run
 * from the source directory) into dir: dpor from results/bench/dpor.csv,
 * pdrop-SCENARIO from results/timing/SCENARIO.csv (curves over the gap; the
 * one-point timeouts-per-hour.csv is no figure), events-SCENARIO from
 * results/events/SCENARIO.csv.  Every CSV is read first: a bad one is
 * reported (located, on stderr) before dir is created or anything drawn.
 * Prints each file drawn to out.  0; 1 when gnuplot is missing (each figure
 * says it was skipped); -1 on a bad CSV, an unusable dir or a gnuplot
 * failure. */
int result_plots_all(const char *dir, FILE *out);

/* result_plot_caption - the caption sentence of the figure file name (as
 * written by result_plots_all: "pdrop-dns-a-aaaa-one-backend.svg"), into buf. */
void result_plot_caption(const char *name, char *buf, size_t size);

#endif /* NFRACE_RESULT_PLOTS_H */
