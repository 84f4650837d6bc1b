/*
 * cli_plots.c - `nfrace plots [-o DIR]`: every figure of the CSV files in
 * results/ drawn with gnuplot into DIR, default results/plots: the DPOR
 * figure (results/bench/dpor.csv), P(drop) against the send gap
 * (results/timing/), events lost against the receive buffer
 * (results/events/); result_plots.h.
 */
#include "cli.h"

#include "result_plots.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int cli_plots(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(CLI_PLOTS, argc, argv, &o);
	if (rc)
		return rc;
	if (o.path_count) {
		fputs("nfrace plots: takes no files, only -o DIR (default results/plots)\n", stderr);
		return EXIT_USAGE;
	}
	const char *dir = o.out ? o.out : "results/plots";
	struct stat st;
	if (stat("results", &st) != 0 || !S_ISDIR(st.st_mode)) {
		fputs("nfrace plots: no results/ here; nothing to plot (run it in the source directory)\n", stderr);
		return EXIT_OK;
	}
	return result_plots_all(dir, stdout) < 0 ? EXIT_USAGE : EXIT_OK;
}
