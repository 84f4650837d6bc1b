/*
 * report_figures.c - the figures section of the `nfrace report` page (see
 * report_figures.h): SVG files inlined from their <svg element on, so the
 * page stays one self-contained file.
 */
#include "report_figures.h"

#include "report_html.h"
#include "result_plots.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static char *read_whole(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t len = 0;
	if (!f)
		return NULL;
	FILE *m = open_memstream(&s, &len);
	int ch;
	while (m && (ch = fgetc(f)) != EOF)
		fputc(ch, m);
	if (m)
		fclose(m);
	fclose(f);
	return s;
}

/* An SVG file inline: from its <svg element on (no XML prolog or doctype),
 * captioned "Figure N. " and the sentence result_plot_caption gives its name. */
static void inline_svg(FILE *f, const char *path, const char *name, int number)
{
	char caption[600];
	result_plot_caption(name, caption, sizeof(caption));
	char *svg = read_whole(path);
	const char *start = svg ? strstr(svg, "<svg") : NULL;
	fputs("<figure class=\"plot\">\n", f);
	if (start)
		fputs(start, f);
	else {
		fputs("<p>(cannot read ", f);
		html_text(f, path);
		fputs(")</p>", f);
	}
	fprintf(f, "\n<figcaption>Figure %d. ", number);
	html_text(f, caption);
	fputs("</figcaption>\n</figure>\n", f);
	free(svg);
}

static void bench_rows(FILE *f, const struct bench_dpor *b)
{
	fputs("<table id=\"dpor-rows\">\n<tr><th>row</th><th>scenario</th><th>kernel</th><th>DPOR executions</th>"
	      "<th>trace classes</th><th>naive executions</th></tr>\n",
	      f);
	for (size_t i = 0; i < b->n; i++) {
		const struct bench_dpor_row *r = &b->rows[i];
		fprintf(f, "<tr><td>%zu</td><td>", i + 1);
		html_text(f, r->scenario);
		fputs("</td><td>", f);
		html_text(f, r->kernel);
		fprintf(f, "</td><td>%.0f</td><td>%.0f</td><td>%.0f%s</td></tr>\n", r->dpor_executions, r->dpor_classes,
			r->naive_executions, r->naive_complete ? "" : " (stopped at its bound)");
	}
	fputs("</table>\n", f);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The SVG files of results/plots in name order, except skip (already shown),
 * numbered from first. */
static void other_plots(FILE *f, const char *skip, int first)
{
	char *names[256], path[4096];
	size_t n = 0;
	DIR *d = opendir("results/plots");
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d)) != NULL && n < 256;) {
		size_t len = strlen(e->d_name);
		if (len > 4 && !strcmp(e->d_name + len - 4, ".svg") && !(skip && !strcmp(e->d_name, skip)))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_name);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "results/plots/%s", names[i]);
		inline_svg(f, path, names[i], first + (int)i);
		free(names[i]);
	}
}

void report_figures(FILE *f, const char *dir, const struct bench_dpor *b, int plot_rc)
{
	char path[4096];
	fputs("<h2 id=\"figures\">Figures</h2>\n", f);
	if (plot_rc == 0) {
		snprintf(path, sizeof(path), "%s/dpor.svg", dir);
		inline_svg(f, path, "dpor.svg", 1);
	} else if (plot_rc == 1)
		fputs("<p>plot skipped (gnuplot not found): the DPOR-vs-naive figure of results/bench/dpor.csv</p>\n", f);
	if (plot_rc != 2)
		bench_rows(f, b);
	other_plots(f, plot_rc == 0 ? "dpor.svg" : NULL, plot_rc == 0 ? 2 : 1);
}
