/*
 * plot.h - a small generic gnuplot wrapper: line/point plots of a few series,
 * optionally with error bars and log axes, rendered to SVG and PNG.
 *
 * The data is inlined in the gnuplot script (datablocks), and the terminals
 * have fixed sizes and fonts, so the files depend only on the struct plot and
 * the installed gnuplot.  Library code of the tool layer: it prints only the
 * messages its contract names (to stderr), never results.
 */
#ifndef NFRACE_PLOT_H
#define NFRACE_PLOT_H

#include <stdbool.h>
#include <stddef.h>

struct plot_series {
	const char *title;
	const double *x, *y;
	const double *ylow, *yhigh; /* ylow/yhigh NULL or error bars */
	size_t n;
};

struct plot {
	const char *title, *xlabel, *ylabel;
	bool logx, logy;
	const struct plot_series *series;
	size_t nseries;
	bool points_only;         /* points, no line between them (rows that are not a sequence) */
	bool x_from_zero;         /* the x axis starts at 0 (a linear axis of a quantity) */
	const char *key;          /* where the legend goes inside the plot: "top right" (NULL), "bottom left", ... */
	const char *const *xtics; /* labels of x = 1..nxtics, written at a slant; NULL: numbers */
	size_t nxtics;
	unsigned width, height;   /* pixels (0: 800 by 600) */
};

/* plot_write - render p with gnuplot to <base>.svg and <base>.png (data
 * inlined in the script, so the output depends only on p).  Each series is
 * drawn as lines and points, or points only (with error bars when ylow and
 * yhigh are given), each in its own colour and marker (up to 12 series; more
 * repeat them); the legend sits inside the plot.  A point with a non-finite
 * value, or a non-positive one on a log axis, is left out and breaks the
 * line there.  gnuplot is the
 * program named by $NFRACE_GNUPLOT when that is set (a path; useful to test
 * the absent branch), else the first `gnuplot` on $PATH.  Both files are
 * written to temporary names and renamed into place only when gnuplot
 * succeeded.  Returns 0 when plotted, 1 when gnuplot is not installed (after
 * printing "nfrace: plot skipped (gnuplot not found): <base>.svg" to stderr),
 * -1 on error (message printed). */
int plot_write(const struct plot *p, const char *base);

#endif /* NFRACE_PLOT_H */
