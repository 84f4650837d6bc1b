/*
 * result_plots.c - the curve figures of results/ and `nfrace plots` (see
 * result_plots.h).
 */
#include "result_plots.h"

#include "bench_plots.h"
#include "csv.h"
#include "plot.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* plot_write of c: one series per kernel, with error bars when c has them. */
static int curve_plot(const struct result_curve *c, const char *base, const char *title, const char *xlabel,
		      const char *ylabel, bool logx, const char *key)
{
	struct plot_series s[CURVE_SERIES_MAX];
	for (size_t k = 0; k < c->nk; k++)
		s[k] = (struct plot_series){c->kernels[k], c->x, c->y[k], c->bars ? c->lo[k] : NULL,
					    c->bars ? c->hi[k] : NULL, c->np};
	struct plot p = {title, xlabel, ylabel, logx, false, s, c->nk, false, !logx, key, NULL, 0, 0, 0};
	return plot_write(&p, base);
}

int result_pdrop_plot(const struct result_curve *c, const char *base)
{
	char title[160];
	snprintf(title, sizeof(title), "%s: P(drop) against the gap between the two sends", c->scenario);
	return curve_plot(c, base, title, "gap between the two sends (ns)", "P(drop), with its 95% interval", false,
			  "top right");
}

int result_events_plot(const struct result_curve *c, const char *base)
{
	char title[160];
	snprintf(title, sizeof(title), "%s: events lost against the listeners' SO_RCVBUF", c->scenario);
	return curve_plot(c, base, title, "SO_RCVBUF (bytes, log scale)", "events lost (all listeners)", true,
			  "top right");
}

static int series_of(struct result_curve *c, const char *kernel)
{
	for (size_t k = 0; k < c->nk; k++)
		if (!strcmp(c->kernels[k], kernel))
			return (int)k;
	if (c->nk == CURVE_SERIES_MAX)
		return -1;
	snprintf(c->kernels[c->nk], CURVE_NAME_MAX, "%s", kernel);
	return (int)c->nk++;
}

static int point_of(struct result_curve *c, double x)
{
	for (size_t i = 0; i < c->np; i++)
		if (c->x[i] == x)
			return (int)i;
	if (c->np == CURVE_X_MAX)
		return -1;
	c->x[c->np] = x;
	for (size_t k = 0; k < CURVE_SERIES_MAX; k++)
		c->y[k][c->np] = c->lo[k][c->np] = c->hi[k][c->np] = NAN;
	return (int)c->np++;
}

int result_curve_load(const char *path, const char *xcol, const char *ycol, const char *locol, const char *hicol,
		      struct result_curve *c, char *err, size_t err_size)
{
	char line[CSV_LINE_MAX], *cols[CSV_COLS_MAX];
	const char *want[6] = {"scenario", "kernel", xcol, ycol, locol, hicol};
	int idx[6];
	FILE *f = fopen(path, "r");
	memset(c, 0, sizeof(*c));
	c->bars = locol && hicol;
	if (!f) {
		snprintf(err, err_size, "%s:0: %s", path, strerror(errno));
		return errno == ENOENT ? 1 : -1;
	}
	size_t lineno = 1, n = fgets(line, sizeof(line), f) ? csv_split(line, cols) : 0;
	for (int k = 0; k < (c->bars ? 6 : 4); k++)
		if ((idx[k] = csv_column(cols, n, want[k])) < 0) {
			snprintf(err, err_size, "%s:1: no column '%s' in the header", path, want[k]);
			fclose(f);
			return -1;
		}
	while (fgets(line, sizeof(line), f)) {
		double x, y, lo = 0, hi = 0;
		lineno++;
		if (line[0] == '\n' || line[0] == '\0')
			continue;
		n = csv_split(line, cols);
		bool ok = (size_t)idx[1] < n && (size_t)idx[2] < n && (size_t)idx[3] < n &&
			  csv_number(cols[idx[2]], &x) && csv_number(cols[idx[3]], &y);
		if (ok && c->bars)
			ok = (size_t)idx[4] < n && (size_t)idx[5] < n && csv_number(cols[idx[4]], &lo) &&
			     csv_number(cols[idx[5]], &hi);
		int k = ok ? series_of(c, cols[idx[1]]) : -1, i = k >= 0 ? point_of(c, x) : -1;
		if (i < 0) {
			snprintf(err, err_size, "%s:%zu: %s", path, lineno,
				 ok ? "more kernels or points than a figure takes" : "not a row of numbers for the header");
			fclose(f);
			return -1;
		}
		snprintf(c->scenario, sizeof(c->scenario), "%s", cols[idx[0]]);
		c->y[k][i] = y;
		c->lo[k][i] = lo;
		c->hi[k][i] = hi;
	}
	fclose(f);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The .csv files of dir, in name order (malloc'd names); how many. */
static size_t csv_files(const char *dir, char **names, size_t max)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d)) != NULL && n < max;) {
		size_t len = strlen(e->d_name);
		if (len > 4 && !strcmp(e->d_name + len - 4, ".csv"))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_name);
	return n;
}

/* Fold one figure's result into the whole run's: -1 wins, then 1 (skipped). */
static int worse(int a, int b)
{
	return a < 0 || b < 0 ? -1 : (a > b ? a : b);
}

/* Every curve CSV of results/SUB (SUB timing or events) drawn as PREFIX-NAME
 * into dir; with dir NULL, only read (and a bad one reported). */
static int draw_curves(const char *dir, FILE *out, bool events)
{
	static struct result_curve c;
	char *names[256], path[4096], base[4096], err[512];
	const char *sub = events ? "results/events" : "results/timing";
	size_t n = csv_files(sub, names, 256);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", sub, names[i]);
		int lr = events ? result_curve_load(path, "rcvbuf", "events_lost", NULL, NULL, &c, err, sizeof(err))
				: result_curve_load(path, "gap_ns", "p_drop", "ci_low", "ci_high", &c, err, sizeof(err));
		if (lr < 0) {
			fprintf(stderr, "%s\n", err);
			rc = -1;
		} else if (lr == 0 && c.np > 1 && dir) { /* one point per kernel (timeouts per hour) is a table, not a curve */
			names[i][strlen(names[i]) - 4] = '\0';
			snprintf(base, sizeof(base), "%s/%s-%s", dir, events ? "events" : "pdrop", names[i]);
			int pr = events ? result_events_plot(&c, base) : result_pdrop_plot(&c, base);
			if (pr == 0)
				fprintf(out, "%s.svg %s.png\n", base, base);
			rc = worse(rc, pr);
		}
		free(names[i]);
	}
	return rc;
}

int result_plots_all(const char *dir, FILE *out)
{
	static struct bench_dpor b;
	char err[512], base[4096];
	int rc = 0, lr = bench_dpor_load("results/bench/dpor.csv", &b, err, sizeof(err));
	if (lr < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (draw_curves(NULL, out, false) < 0 || draw_curves(NULL, out, true) < 0)
		return -1;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "nfrace: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (lr == 0) {
		snprintf(base, sizeof(base), "%s/dpor", dir);
		rc = bench_dpor_plot(&b, base);
		if (rc == 0)
			fprintf(out, "%s.svg %s.png\n", base, base);
	}
	rc = worse(rc, draw_curves(dir, out, false));
	return worse(rc, draw_curves(dir, out, true));
}

void result_plot_caption(const char *name, char *buf, size_t size)
{
	size_t len = strlen(name);
	int stem = (int)(len > 4 ? len - 4 : len); /* without ".svg" */
	if (!strncmp(name, "pdrop-", 6))
		snprintf(buf, size,
			 "P(drop) of %.*s against the gap between the two sends, one curve per kernel preset, with 95%% "
			 "confidence intervals (timed runs; data: results/timing/%.*s.csv).",
			 stem - 6, name + 6, stem - 6, name + 6);
	else if (!strncmp(name, "events-", 7))
		snprintf(buf, size,
			 "Events that the listeners of %.*s lose, against their receive buffer (SO_RCVBUF), one curve per "
			 "kernel preset (data: results/events/%.*s.csv).",
			 stem - 7, name + 7, stem - 7, name + 7);
	else if (!strcmp(name, "dpor.svg"))
		snprintf(buf, size,
			 "Executions explored per bundled scenario and kernel preset: DPOR runs one execution per trace "
			 "class, the naive search every interleaving, up to its bound (data: results/bench/dpor.csv, "
			 "rows below).");
	else
		snprintf(buf, size, "The figure results/plots/%s.", name);
}
