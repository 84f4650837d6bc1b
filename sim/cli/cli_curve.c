/*
 * cli_curve.c - `nfrace curve`: P(drop) against the gap between the sends,
 * per preset, from timed runs (--explore timed).  For every preset and every
 * gap FROM, FROM+STEP, ..., TO it samples N seeded timelines (packet k sent
 * k * gap after the first) and writes one CSV row with the drop fraction and
 * its 95% Wilson interval; with --plot BASE it also draws BASE.svg/.png.
 * For an events: scenario, --rcvbuf FROM:TO:FACTOR sweeps every listener's
 * SO_RCVBUF instead and writes the events figures per buffer size.
 * Same seed, same bytes.
 */
#include "cli.h"

#include "result_plots.h"
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { CURVE_POINTS_MAX = 1000, CURVE_KERNELS_MAX = 32 };

struct curve_row {
	uint64_t gap, n, drops;
	double p, lo, hi;
};

static int parse_range(const char *spec, uint64_t *from, uint64_t *to, uint64_t *step)
{
	uint64_t v[3];
	if (!spec || cli_parse_fields("--gap", spec, ':', v, 3) != 0 || v[2] == 0 || v[0] > v[1] ||
	    v[1] > 100000000u || (v[1] - v[0]) / v[2] >= CURVE_POINTS_MAX) {
		fprintf(stderr, "nfrace curve: --gap takes FROM:TO:STEP in ns (FROM <= TO <= 100000000, STEP > 0, "
				"at most %d points)\n", CURVE_POINTS_MAX);
		return EXIT_USAGE;
	}
	*from = v[0];
	*to = v[1];
	*step = v[2];
	return 0;
}

/* One point: N timelines of sc (gap applied) under preset. */
static int curve_point(const struct scenario *base, const char *preset, uint64_t gap, const struct cli_opts *o,
		       const char *path, struct curve_row *row)
{
	static struct scenario sc;
	struct job *j = cli_job_storage();
	sc = *base;
	cli_gap_apply(&sc, gap);
	int rc = cli_job(j, &sc, preset, o);
	if (rc || (rc = cli_run_job(j, path)) != 0)
		return rc;
	row->gap = gap;
	row->n = j->result.executions;
	row->drops = j->drop_executions;
	row->p = row->n ? (double)row->drops / (double)row->n : 0;
	report_wilson(row->drops, row->n ? row->n : 1, &row->lo, &row->hi);
	return 0;
}

/* One CSV row per point; with a query rate, the predicted timeouts per hour. */
static void write_rows(FILE *f, const struct scenario *sc, const char *kernel, const struct curve_row *rows,
		       uint32_t count)
{
	double per_hour = (double)sc->timing.queries_per_s * 3600.0;
	for (uint32_t i = 0; i < count; i++) {
		fprintf(f, "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.6f,%.6f,%.6f", sc->name, kernel, rows[i].gap,
			rows[i].n, rows[i].drops, rows[i].p, rows[i].lo, rows[i].hi);
		if (sc->timing.queries_per_s)
			fprintf(f, ",%.1f,%.1f,%.1f", per_hour * rows[i].p, per_hour * rows[i].lo, per_hour * rows[i].hi);
		fputc('\n', f);
	}
}

enum { SWEEP_POINTS_MAX = 32 };

/* Draw one series per preset with the figures of `nfrace plots`
 * (result_plots.h); gnuplot missing is not an error (plot_write says so). */
static int draw(const struct cli_opts *o, const char *scenario, bool events, const char *const *kernels, uint32_t nk,
		uint32_t np, const double *x, const double *y, const double *lo, const double *hi, size_t stride)
{
	static struct result_curve c;
	memset(&c, 0, sizeof(c));
	snprintf(c.scenario, sizeof(c.scenario), "%s", scenario);
	c.nk = nk < CURVE_SERIES_MAX ? nk : CURVE_SERIES_MAX;
	c.np = np < CURVE_X_MAX ? np : CURVE_X_MAX;
	c.bars = lo && hi;
	for (size_t i = 0; i < c.np; i++)
		c.x[i] = x[i];
	for (size_t k = 0; k < c.nk; k++) {
		snprintf(c.kernels[k], sizeof(c.kernels[k]), "%s", kernels[k]);
		for (size_t i = 0; i < c.np; i++) {
			c.y[k][i] = y[k * stride + i];
			c.lo[k][i] = lo ? lo[k * stride + i] : 0;
			c.hi[k][i] = hi ? hi[k * stride + i] : 0;
		}
	}
	int rc = events ? result_events_plot(&c, o->plot) : result_pdrop_plot(&c, o->plot);
	return rc < 0 ? EXIT_USAGE : 0;
}

/* events scenarios: the figures against the listeners' receive buffer. */
static int rcvbuf_sweep(struct scenario *sc, const char *const *kernels, uint32_t nk, const struct cli_opts *o,
			struct cli_out *csv)
{
	static double xs[SWEEP_POINTS_MAX], lost[CURVE_KERNELS_MAX * SWEEP_POINTS_MAX];
	uint32_t np = 0;
	uint64_t v[3];
	if (!o->rcvbuf || cli_parse_fields("--rcvbuf", o->rcvbuf, ':', v, 3) != 0 || v[0] == 0 || v[0] > v[1] ||
	    v[1] > (1u << 30) || v[2] < 2 || v[2] > (1u << 30)) {
		fputs("nfrace curve: an events scenario takes --rcvbuf FROM:TO:FACTOR (bytes, FACTOR >= 2)\n", stderr);
		return EXIT_USAGE;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return EXIT_USAGE;
	fputs("scenario,kernel,rcvbuf,timelines,flows,events_lost,destroy_lost,destroy_pending,dying_max,"
	      "table_full_drops,in_sync_ms\n", m);
	for (uint32_t k = 0; k < nk; k++) {
		np = 0;
		for (uint64_t b = v[0]; b <= v[1] && !cli_interrupted && np < SWEEP_POINTS_MAX; b *= v[2], np++) {
			struct job *j = cli_job_storage();
			for (uint32_t l = 0; l < sc->events.listener_count; l++) {
				struct scenario_listener *L = &sc->events.listeners[l];
				L->rcvbuf = (uint32_t)b;
				if (L->rcvbuf_max && L->rcvbuf_max < L->rcvbuf)
					L->rcvbuf_max = L->rcvbuf;
			}
			int rc = cli_job(j, sc, kernels[k], o);
			if (rc || (rc = cli_run_job(j, o->paths[0])) != 0) {
				fclose(m);
				free(text);
				return rc;
			}
			const struct ev_figures *e = &j->ev_sum;
			fprintf(m, "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
				   ",%" PRId64 "\n",
				sc->name, kernels[k], b, j->ev_runs, e->flows, e->lost[0] + e->lost[1] + e->lost[2],
				e->destroy_lost, e->destroy_pending, e->dying_max, e->table_full_drops, j->ev_in_sync_ms_max);
			xs[np] = (double)b;
			lost[k * SWEEP_POINTS_MAX + np] = (double)(e->lost[0] + e->lost[1] + e->lost[2]);
		}
	}
	fclose(m);
	int rc = EXIT_OK;
	if (cli_interrupted) {
		fputs("interrupted: sweep incomplete, nothing written\n", stderr);
		rc = EXIT_INCOMPLETE;
	} else {
		struct cli_out *outs[] = {csv};
		fputs(text, csv->f);
		rc = cli_out_commit(outs, 1);
	}
	free(text);
	if (!rc && o->plot) {
		rc = draw(o, sc->name, true, kernels, nk, np, xs, lost, NULL, NULL, SWEEP_POINTS_MAX);
	}
	return rc;
}

/* --plot BASE writes BASE.svg and BASE.png (plot.c): neither may be an input
 * or the --csv file.  Checked as outputs are, then let go (gnuplot writes them). */
static int check_plot_base(const struct cli_opts *o)
{
	char svg[OUTFILE_PATH_MAX], png[OUTFILE_PATH_MAX];
	struct cli_out a = {0}, b = {0}, csv = {0};
	if (!o->plot)
		return 0;
	snprintf(svg, sizeof(svg), "%s.svg", o->plot);
	snprintf(png, sizeof(png), "%s.png", o->plot);
	int rc = cli_out_open(&a, "--plot", svg, o);
	if (!rc)
		rc = cli_out_open(&b, "--plot", png, o);
	if (!rc)
		rc = cli_out_open(&csv, "--csv", o->csv, o);
	cli_out_abort(&csv);
	cli_out_abort(&b);
	cli_out_abort(&a);
	return rc;
}

int cli_curve(int argc, char **argv)
{
	static struct scenario sc;
	static struct curve_row rows[CURVE_KERNELS_MAX][CURVE_POINTS_MAX];
	struct cli_opts o;
	const char *kernels[CURVE_KERNELS_MAX];
	uint32_t nk = 0, np = 0;
	uint64_t from, to, step;
	struct cli_out csv;
	int rc = cli_parse(CLI_CURVE, argc, argv, &o);
	if (rc)
		return rc;
	if (o.path_count != 1) {
		fputs("nfrace curve: give one scenario\n", stderr);
		return EXIT_USAGE;
	}
	if ((rc = cli_kernel_list(o.kernels, kernels, &nk)) != 0 || (rc = cli_load(o.paths[0], &sc)) != 0 ||
	    (rc = check_plot_base(&o)) != 0)
		return rc;
	if (sc.events.present) {
		/* the sweep's CSV goes to stdout without --csv */
		if ((rc = cli_out_open(&csv, "--csv", o.csv ? o.csv : "-", &o)) != 0)
			return rc;
		return rcvbuf_sweep(&sc, kernels, nk, &o, &csv);
	}
	if ((rc = cli_out_open(&csv, "--csv", o.csv, &o)) != 0)
		return rc;
	if (!o.bounds.executions_max) {
		fputs("nfrace curve: give --executions N (timelines per point)\n", stderr);
		return EXIT_USAGE;
	}
	if ((rc = parse_range(o.gap, &from, &to, &step)) != 0)
		return rc;
	o.strategy = SIM_EXPLORE_TIMED;
	o.strategy_given = true;
	uint32_t used = 0;
	for (uint32_t k = 0; k < nk; k++) {
		if (!nf_preset_applies(nf_preset_lookup(kernels[k]), false))
			continue;
		kernels[used++] = kernels[k];
	}
	nk = used;
	for (uint32_t k = 0; k < nk; k++) {
		np = 0;
		for (uint64_t g = from; g <= to && !cli_interrupted; g += step, np++)
			if ((rc = curve_point(&sc, kernels[k], g, &o, o.paths[0], &rows[k][np])) != 0)
				return rc;
	}
	if (cli_interrupted) {
		fputs("interrupted: curve incomplete, nothing written\n", stderr);
		return EXIT_INCOMPLETE;
	}
	FILE *out = o.csv && !strcmp(o.csv, "-") ? stderr : stdout;
	fprintf(out, "nfrace %s seed %" PRIu64 ": P(drop) of %s against the send gap, %" PRIu64 " timelines per point\n",
		NFRACE_VERSION, o.seed, sc.name, o.bounds.executions_max);
	for (uint32_t k = 0; k < nk; k++) {
		fprintf(out, "%-10s", kernels[k]);
		for (uint32_t i = 0; i < np; i++)
			fprintf(out, " %" PRIu64 "ns:%.3f", rows[k][i].gap, rows[k][i].p);
		fputc('\n', out);
	}
	if (csv.f) {
		struct cli_out *outs[] = {&csv};
		fputs("scenario,kernel,gap_ns,executions,drops,p_drop,ci_low,ci_high", csv.f);
		fputs(sc.timing.queries_per_s ? ",timeouts_per_hour,tph_low,tph_high\n" : "\n", csv.f);
		for (uint32_t k = 0; k < nk; k++)
			write_rows(csv.f, &sc, kernels[k], rows[k], np);
		if ((rc = cli_out_commit(outs, 1)) != 0)
			return rc;
	}
	if (o.plot) {
		static double x[CURVE_POINTS_MAX], y[CURVE_KERNELS_MAX * CURVE_POINTS_MAX];
		static double lo[CURVE_KERNELS_MAX * CURVE_POINTS_MAX], hi[CURVE_KERNELS_MAX * CURVE_POINTS_MAX];
		for (uint32_t i = 0; i < np; i++)
			x[i] = (double)rows[0][i].gap;
		for (uint32_t k = 0; k < nk; k++)
			for (uint32_t i = 0; i < np; i++) {
				y[k * CURVE_POINTS_MAX + i] = rows[k][i].p;
				lo[k * CURVE_POINTS_MAX + i] = rows[k][i].lo;
				hi[k * CURVE_POINTS_MAX + i] = rows[k][i].hi;
			}
		return draw(&o, sc.name, false, kernels, nk, np, x, y, lo, hi, CURVE_POINTS_MAX);
	}
	return EXIT_OK;
}
