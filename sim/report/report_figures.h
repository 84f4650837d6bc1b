/*
 * report_figures.h - the figures section of the `nfrace report` page: the
 * DPOR-vs-naive figure and its rows, and every other SVG in results/plots.
 */
#ifndef NFRACE_REPORT_FIGURES_H
#define NFRACE_REPORT_FIGURES_H

#include "bench_plots.h"

#include <stdio.h>

/* report_figures - write the section to f.  plot_rc is what bench_dpor_plot
 * returned for DIR/dpor (0 drawn: DIR/dpor.svg is inlined; 1 skipped: the
 * page says so), or 2 when there is no results/bench/dpor.csv (b unused).
 * Then every results/plots/NAME.svg (relative to the working directory) in
 * name order, except dpor.svg when DIR's own was inlined.  A file that cannot
 * be read is named in the page instead. */
void report_figures(FILE *f, const char *dir, const struct bench_dpor *b, int plot_rc);

#endif /* NFRACE_REPORT_FIGURES_H */
