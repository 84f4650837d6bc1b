/*
 * plot.c - plot_write (see plot.h): one gnuplot script per plot, written to a
 * temporary file with the data inlined as datablocks, that sets the SVG
 * terminal, plots, then sets the PNG terminal and replots.  gnuplot writes to
 * temporary names; only when it exits 0 are the figures written to BASE.svg
 * and BASE.png, as every output is (outfile.h: a symlink is followed, a
 * device or FIFO written in place).
 */
#include "plot.h"

#include "outfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { PLOT_PATH_MAX = 4096 };

/* The gnuplot to run: $NFRACE_GNUPLOT, else `gnuplot` on $PATH; false if none. */
static bool find_gnuplot(char *path, size_t size)
{
	const char *env = getenv("NFRACE_GNUPLOT");
	if (env && *env) {
		snprintf(path, size, "%s", env);
		return access(path, X_OK) == 0;
	}
	const char *dirs = getenv("PATH");
	if (!dirs)
		return false;
	while (*dirs) {
		size_t len = strcspn(dirs, ":");
		if (len)
			snprintf(path, size, "%.*s/gnuplot", (int)len, dirs);
		else
			snprintf(path, size, "./gnuplot"); /* an empty PATH entry is the current directory */
		if (access(path, X_OK) == 0)
			return true;
		dirs += len + (dirs[len] == ':');
	}
	return false;
}

/* A gnuplot single-quoted string: '' stands for one quote; newlines become spaces. */
static void gp_string(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; s && *s; s++) {
		if (*s == '\'')
			fputs("''", f);
		else
			fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
	fputc('\'', f);
}

static bool point_fits(const struct plot *p, const struct plot_series *s, size_t i)
{
	double x = s->x[i], y = s->y[i];
	if (!isfinite(x) || !isfinite(y))
		return false;
	if ((p->logx && x <= 0) || (p->logy && y <= 0))
		return false;
	if (s->ylow && s->yhigh && (!isfinite(s->ylow[i]) || !isfinite(s->yhigh[i])))
		return false;
	return !(p->logy && s->ylow && s->ylow[i] <= 0);
}

static void write_data(FILE *f, const struct plot *p)
{
	for (size_t k = 0; k < p->nseries; k++) {
		const struct plot_series *s = &p->series[k];
		fprintf(f, "$d%zu << EOD\n", k);
		for (size_t i = 0; i < s->n; i++) {
			if (!point_fits(p, s, i)) {
				fputc('\n', f); /* a blank line: gnuplot breaks the line here */
				continue;
			}
			fprintf(f, "%.17g %.17g", s->x[i], s->y[i]);
			if (s->ylow && s->yhigh)
				fprintf(f, " %.17g %.17g", s->ylow[i], s->yhigh[i]);
			fputc('\n', f);
		}
		fputs("EOD\n", f);
	}
}

/* Colours that stay apart for colour-blind readers and in print (Okabe and
 * Ito, and Tol's muted set past the first seven), and markers that differ in
 * shape, filled and open: twelve series before a pair repeats. */
static const char *const colours[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
				      "#000000", "#882255", "#44aa99", "#332288", "#999999", "#aa4499"};
/* filled and open shapes; the second, an open square, shows a point under it */
static const int markers[] = {7, 4, 9, 11, 5, 13, 6, 8, 10, 12, 15, 14};
enum { STYLES = sizeof(markers) / sizeof(markers[0]) };

static void write_plot_command(FILE *f, const struct plot *p)
{
	fputs("plot ", f);
	for (size_t k = 0; k < p->nseries; k++) {
		const struct plot_series *s = &p->series[k];
		bool bars = s->ylow && s->yhigh;
		const char *with = bars ? (p->points_only ? "yerrorbars" : "yerrorlines") : (p->points_only ? "points" : "linespoints");
		fprintf(f, "%s$d%zu using 1:2%s with %s lw 2 lc rgb '%s' pt %d ps 1.3 title ", k ? ", \\\n     " : "", k,
			bars ? ":3:4" : "", with, colours[k % STYLES], markers[k % STYLES]);
		gp_string(f, s->title ? s->title : "");
	}
	fputc('\n', f);
}

/* x tic labels at 1..n, slanted so that long ones fit. */
static void write_xtics(FILE *f, const struct plot *p)
{
	if (!p->xtics || !p->nxtics)
		return;
	fputs("set xtics rotate by -60 font ',9' (", f);
	for (size_t i = 0; i < p->nxtics; i++) {
		fputs(i ? ", " : "", f);
		gp_string(f, p->xtics[i]);
		fprintf(f, " %zu", i + 1);
	}
	fprintf(f, ")\nset xrange [0.5:%zu.5]\n", p->nxtics);
}

static void write_script(FILE *f, const struct plot *p, const char *svg_tmp, const char *png_tmp)
{
	write_data(f, p);
	unsigned width = p->width ? p->width : 800, height = p->height ? p->height : 600;
	fprintf(f, "set terminal svg size %u,%u fixed font 'Helvetica,12' noenhanced background '#ffffff'\nset output ",
		width, height);
	gp_string(f, svg_tmp);
	fputs("\nset encoding utf8\nset title ", f);
	gp_string(f, p->title);
	fputs("\nset xlabel ", f);
	gp_string(f, p->xlabel);
	fputs("\nset ylabel ", f);
	gp_string(f, p->ylabel);
	fprintf(f, "\n%s\n%s\nset grid\nset key inside %s box opaque spacing 1.2\n",
		p->logx ? "set logscale x" : "unset logscale x", p->logy ? "set logscale y" : "unset logscale y",
		p->key ? p->key : "top right");
	if (p->xtics && p->nxtics)
		fputs("set bmargin 14\n", f); /* room for the slanted labels */
	else if (!p->x_from_zero)
		fputs("set offsets graph 0.02, graph 0.02, 0, 0\n", f);
	if (p->x_from_zero)
		fputs("set xrange [0:*]\n", f);
	write_xtics(f, p);
	write_plot_command(f, p);
	fprintf(f, "set output\nset terminal pngcairo size %u,%u font 'DejaVu Sans,10' noenhanced background '#ffffff'\n"
		   "set output ",
		width, height);
	gp_string(f, png_tmp);
	fputs("\nreplot\nset output\n", f);
}

/* Run gnuplot on script; its stdout goes to /dev/null, its stderr stays ours.
 * Returns gnuplot's exit status, or -1 when it could not be run. */
static int run_gnuplot(const char *gnuplot, const char *script)
{
	fflush(NULL); /* the child must not write our buffered output a second time */
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		FILE *null = freopen("/dev/null", "w", stdout);
		(void)null;
		execl(gnuplot, "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The figure gnuplot wrote to tmp, written to path (outfile.h); 0 or -1 (message printed). */
static int install(const char *tmp, const char *path)
{
	char err[OUTFILE_PATH_MAX + 128];
	char *data = NULL;
	size_t len = 0, cap = 0;
	FILE *f = fopen(tmp, "rb");
	int rc = f ? 0 : -1;
	while (f && !rc && !feof(f)) {
		if (len == cap) {
			char *bigger = realloc(data, cap = cap ? 2 * cap : 65536);
			if (!bigger)
				rc = -1;
			else
				data = bigger;
		}
		if (!rc) {
			len += fread(data + len, 1, cap - len, f);
			rc = ferror(f) ? -1 : 0;
		}
	}
	if (f)
		fclose(f);
	if (rc)
		snprintf(err, sizeof(err), "cannot read %s", tmp);
	if (!rc && (rc = outfile_write(path, data, len, err, sizeof(err))) == 0) {
		free(data);
		return 0;
	}
	fprintf(stderr, "nfrace: plot: %s\n", err);
	free(data);
	return -1;
}

int plot_write(const struct plot *p, const char *base)
{
	char gnuplot[PLOT_PATH_MAX], script[PLOT_PATH_MAX], svg_tmp[PLOT_PATH_MAX], png_tmp[PLOT_PATH_MAX];
	char svg[PLOT_PATH_MAX], png[PLOT_PATH_MAX];
	if (!p || !base || !*base || strchr(base, '\'') || strchr(base, '\n') || strlen(base) > PLOT_PATH_MAX - 64) {
		fprintf(stderr, "nfrace: plot: unusable output name '%s'\n", base ? base : "(null)");
		return -1;
	}
	snprintf(svg, sizeof(svg), "%s.svg", base);
	snprintf(png, sizeof(png), "%s.png", base);
	if (!find_gnuplot(gnuplot, sizeof(gnuplot))) {
		fprintf(stderr, "nfrace: plot skipped (gnuplot not found): %s\n", svg);
		return 1;
	}
	long pid = (long)getpid();
	snprintf(script, sizeof(script), "%s.gp.tmp.%ld", base, pid);
	snprintf(svg_tmp, sizeof(svg_tmp), "%s.svg.tmp.%ld", base, pid);
	snprintf(png_tmp, sizeof(png_tmp), "%s.png.tmp.%ld", base, pid);
	FILE *f = fopen(script, "w");
	if (!f) {
		fprintf(stderr, "nfrace: cannot write %s: %s\n", script, strerror(errno));
		return -1;
	}
	write_script(f, p, svg_tmp, png_tmp);
	int rc = fclose(f) == 0 ? run_gnuplot(gnuplot, script) : -1;
	remove(script);
	if (rc == 0)
		rc = install(svg_tmp, svg) == 0 && install(png_tmp, png) == 0 ? 0 : -2;
	else
		fprintf(stderr, "nfrace: plot: %s failed for %s (exit %d)\n", gnuplot, svg, rc);
	remove(svg_tmp);
	remove(png_tmp);
	return rc == 0 ? 0 : -1;
}
