/*
 * cli_plots.c - `nfrace plots [-o DIR]`: the figures of the CSV files in
 * results/ (today results/bench/dpor.csv, bench_plots.h) drawn with gnuplot
 * into DIR, default results/plots.
 */
#include "cli.h"

#include "bench_plots.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int cli_plots(int argc, char **argv)
{
	static struct bench_dpor b;
	struct cli_opts o;
	char err[512], base[4096];
	int rc = cli_parse(CLI_PLOTS, argc, argv, &o);
	if (rc)
		return rc;
	if (o.path_count) {
		fputs("nfrace plots: takes no files, only -o DIR (default results/plots)\n", stderr);
		return EXIT_USAGE;
	}
	const char *dir = o.out ? o.out : "results/plots";
	rc = bench_dpor_load("results/bench/dpor.csv", &b, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	if (rc == 1) {
		fputs("nfrace plots: no results/bench/dpor.csv here; nothing to plot\n", stderr);
		return EXIT_OK;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "nfrace: cannot create %s: %s\n", dir, strerror(errno));
		return EXIT_USAGE;
	}
	snprintf(base, sizeof(base), "%s/dpor", dir);
	rc = bench_dpor_plot(&b, base);
	if (rc == 0)
		printf("%s.svg %s.png\n", base, base);
	return rc < 0 ? EXIT_USAGE : EXIT_OK;
}
