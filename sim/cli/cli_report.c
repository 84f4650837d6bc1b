/*
 * cli_report.c - `nfrace report SCENARIO... -o DIR`: one self-contained HTML
 * page, DIR/index.html, with the fix matrix (the verdicts `matrix` computes),
 * a step-through timeline of the minimal witness of every drop cell (the
 * witness `run` reports, replayed with tracing and a snapshot of the world
 * after every step), and the figures: results/bench/dpor.csv plotted into DIR
 * and inlined, and any SVG already in results/plots/.  The packet-race and
 * the event-path scenarios get a matrix each; the page opens on the
 * walkthrough's witness, or the one --open names.
 *
 * With -j N the cells are computed in forked workers, as matrix -j does, and
 * assembled in cell order.  Everything is computed before DIR is touched;
 * the page goes to a temporary file renamed into place, so bad input leaves
 * nothing behind.  The page depends only on the inputs (no time, no DIR
 * name), so two runs give the same bytes, with any -j.
 */
#include "cli.h"

#include "bench_plots.h"
#include "report.h"
#include "report_figures.h"
#include "report_html.h"
#include "report_witness.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { REPORT_SCENARIOS_MAX = 64, REPORT_KERNELS_MAX = 32 };

struct report_cell {
	char verdict[24]; /* drop | ok | incomplete | BUG | n/a; events: packets,destroy */
	bool witness;     /* a timeline was recorded for this cell */
	int status;       /* the cell's exit status contribution */
	char *json;       /* the witness's member of the "witnesses" object, or NULL */
	char *events_row; /* events scenarios: the row of the event-path table, or NULL */
};

static struct scenario scs[REPORT_SCENARIOS_MAX];
static struct report_cell cells[REPORT_SCENARIOS_MAX * REPORT_KERNELS_MAX];

struct report_plan {
	const struct cli_opts *o;
	const char *kernels[REPORT_KERNELS_MAX];
	uint32_t ns, nk;
};

/* One row of the event-path table: what became of the DESTROY events and the table. */
static bool events_row(struct report_cell *c, const struct job *j)
{
	size_t len;
	const struct ev_figures *e = &j->ev_sum;
	FILE *f = open_memstream(&c->events_row, &len);
	if (!f)
		return false;
	fputs("<tr><th>", f);
	html_text(f, j->sc->name);
	fputs("</th><td>", f);
	html_text(f, j->kernel);
	fprintf(f, "</td><td>%s</td><td>%s</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>%" PRIu64
		   "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>",
		report_verdict(j), report_events_destroy(j), e->destroy_lost, e->destroy_pending, e->redelivered,
		e->dying_max, e->table_full_drops, e->early_drop);
	if (j->ev_in_sync_ms_max < 0)
		fputs("never", f);
	else
		fprintf(f, "%" PRId64 " ms", j->ev_in_sync_ms_max);
	fputs("</td></tr>\n", f);
	return fclose(f) == 0;
}

/* The status of one cell: explore, and for a drop record its minimal witness's timeline. */
static int cell_compute(const struct report_plan *p, uint32_t s, uint32_t k, struct report_cell *c)
{
	struct job *j = cli_job_storage();
	if (!nf_preset_applies(nf_preset_lookup(p->kernels[k]), scs[s].events.present)) {
		snprintf(c->verdict, sizeof(c->verdict), "n/a"); /* an event-path preset, a race scenario */
		return EXIT_OK;
	}
	int rc = cli_job(j, &scs[s], p->kernels[k], p->o);
	if (!rc)
		rc = cli_run_job(j, p->o->paths[s]);
	if (rc) {
		snprintf(c->verdict, sizeof(c->verdict), "BUG");
		return rc;
	}
	report_cell_verdict(j, c->verdict, sizeof(c->verdict));
	if (job_is_events(j)) /* a timeline of figures, not a stepped witness */
		return events_row(c, j) ? EXIT_OK : EXIT_USAGE;
	if (j->drop_executions && j->result.complete && job_minimize_witnesses(j, p->o->witness_bound, 2000000) != 0) {
		fputs("nfrace: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	const struct outcome *w = report_best_drop(j);
	if (w) {
		size_t len;
		bool first = true;
		FILE *f = open_memstream(&c->json, &len);
		if (!f)
			return EXIT_USAGE;
		rc = report_witness_json(f, j, w, p->o->paths[s], &first);
		fclose(f);
		if (rc) {
			free(c->json);
			c->json = NULL;
			return EXIT_MODEL_BUG;
		}
	}
	c->witness = w != NULL;
	return job_exit_complete(j) ? EXIT_OK : EXIT_INCOMPLETE;
}

static void cell_run(const struct report_plan *p, uint32_t t)
{
	struct report_cell *c = &cells[t];
	c->status = cell_compute(p, t / p->nk, t % p->nk, c);
}

/* Child side of -j: "status witness jsonlen rowlen verdict\n" then the JSON
 * and the row (the verdict last: it may hold a space, "drop p=1/2"). */
static void cell_send(FILE *f, const struct report_cell *c)
{
	fprintf(f, "%d %d %zu %zu %s\n%s%s", c->status, c->witness, c->json ? strlen(c->json) : 0,
		c->events_row ? strlen(c->events_row) : 0, c->verdict, c->json ? c->json : "", c->events_row ? c->events_row : "");
	fflush(f);
}

static bool read_text(FILE *f, size_t len, char **out)
{
	if (!len)
		return true;
	*out = len < SIZE_MAX / 2 ? malloc(len + 1) : NULL;
	if (!*out || fread(*out, 1, len, f) != len)
		return false;
	(*out)[len] = '\0';
	return true;
}

static bool cell_receive(FILE *f, struct report_cell *c)
{
	char line[128];
	int witness, used;
	size_t len, rowlen;
	if (!fgets(line, sizeof(line), f) || sscanf(line, "%d %d %zu %zu %n", &c->status, &witness, &len, &rowlen, &used) != 4)
		return false;
	line[strcspn(line, "\n")] = '\0';
	snprintf(c->verdict, sizeof(c->verdict), "%s", line + used);
	c->witness = witness != 0;
	return read_text(f, len, &c->json) && read_text(f, rowlen, &c->events_row);
}

static bool pool_work(void *ctx, uint32_t t, FILE *out)
{
	cell_run(ctx, t);
	cell_send(out, &cells[t]);
	return true;
}

static bool pool_take(void *ctx, uint32_t t, FILE *in)
{
	(void)ctx;
	return cell_receive(in, &cells[t]);
}

/* -j N: each cell in a worker (cli_pool_run); cells are indexed by task, so
 * completion order never reaches the page.  0, EXIT_USAGE when a worker
 * fails, EXIT_INCOMPLETE on a signal. */
static int run_parallel(const struct report_plan *p, uint32_t ntasks, uint32_t jobs)
{
	struct cli_pool pool = {jobs, NULL, pool_work, pool_take, (void *)p, "report"};
	return cli_pool_run(&pool, ntasks);
}

/* A cell's colour: drop (red), ok (green), lost (an events cell whose
 * DESTROY events were lost or are still pending: amber), or the verdict. */
static void cell_class(const char *verdict, char *buf, size_t size)
{
	size_t n = strcspn(verdict, ", ");
	if (!strncmp(verdict, "ok,", 3) && strcmp(verdict, "ok,delivered"))
		snprintf(buf, size, "lost");
	else
		snprintf(buf, size, "%.*s", (int)n, verdict);
}

/* A verdict as cell text: a narrow column may break it after its comma. */
static void cell_text(FILE *f, const char *verdict)
{
	size_t n = strcspn(verdict, ", "); /* "ok,lost": a comma before any space; "drop p=1/64,512": none */
	char head[24];
	snprintf(head, sizeof(head), "%.*s", (int)n, verdict);
	html_text(f, head);
	if (verdict[n] == ',') {
		fputs(",<wbr>", f);
		html_text(f, verdict + n + 1);
	} else
		html_text(f, verdict + n);
}

/* One matrix: the scenarios of one kind (packet races, or events) against
 * the presets that run them; no table when the page has no such scenario. */
static void write_matrix_table(FILE *f, const struct report_plan *p, bool events)
{
	bool any = false;
	for (uint32_t s = 0; s < p->ns; s++)
		any = any || scs[s].events.present == events;
	if (!any)
		return;
	fprintf(f, "<table class=\"matrix\" id=\"%s\">\n<tr><th>scenario</th>", events ? "matrix-events" : "matrix");
	for (uint32_t k = 0; k < p->nk; k++)
		if (nf_preset_applies(nf_preset_lookup(p->kernels[k]), events)) {
			fputs("<th>", f);
			html_text(f, p->kernels[k]);
			fputs("</th>", f);
		}
	fputs("</tr>\n", f);
	for (uint32_t s = 0; s < p->ns; s++) {
		if (scs[s].events.present != events)
			continue;
		fputs("<tr><th title=\"", f);
		html_text(f, scs[s].description);
		fputs("\">", f);
		html_text(f, scs[s].name);
		fputs("</th>", f);
		for (uint32_t k = 0; k < p->nk; k++) {
			const struct report_cell *c = &cells[s * p->nk + k];
			char cls[24];
			if (!nf_preset_applies(nf_preset_lookup(p->kernels[k]), events))
				continue;
			cell_class(c->verdict, cls, sizeof(cls));
			fprintf(f, "<td class=\"%s\">", cls);
			if (c->witness) {
				fputs("<a href=\"#step=", f);
				html_text(f, scs[s].name);
				fprintf(f, "/%s/0\">", p->kernels[k]);
				cell_text(f, c->verdict);
				fputs("</a>", f);
			} else
				cell_text(f, c->verdict);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void write_matrix(FILE *f, const struct report_plan *p)
{
	write_matrix_table(f, p, false);
	bool events = false;
	for (uint32_t s = 0; s < p->ns; s++)
		events = events || scs[s].events.present;
	if (events)
		fputs("<h3 id=\"matrix-events-title\">Event-path scenarios</h3>\n<p>Scenarios with an <code>events:</code> section "
		      "run under every preset, the event-path presets too. A cell is the packets' verdict, then what "
		      "became of the DESTROY events: <b>delivered</b> (green), <b>lost</b> or <b>pending</b> "
		      "(amber).</p>\n",
		      f);
	write_matrix_table(f, p, true);
}

/* The event-path figures of the events scenarios (docs/events.md), if any. */
static void write_events_table(FILE *f, const struct report_plan *p)
{
	bool any = false;
	for (uint32_t t = 0; t < p->ns * p->nk && !any; t++)
		any = cells[t].events_row != NULL;
	if (!any)
		return;
	fputs("<h2 id=\"events-title\">Event path</h2>\n<p>One simulated timeline per cell (sampled, not an "
	      "exploration): what became of the DESTROY events at the ctnetlink listeners, and of the table.</p>\n"
	      "<table id=\"events\">\n<tr><th>scenario</th><th>kernel</th><th>packets</th><th>DESTROY</th><th>lost</th>"
	      "<th>pending at the end</th><th>redelivery attempts</th><th>most waiting</th><th>table full drops</th>"
	      "<th>early_drop</th><th>listeners in sync from</th></tr>\n",
	      f);
	for (uint32_t t = 0; t < p->ns * p->nk; t++)
		if (cells[t].events_row)
			fputs(cells[t].events_row, f);
	fputs("</table>\n", f);
}

/* --open SCENARIO[/PRESET] (report's own option). */
static const char *open_opt;

/* The witness the page opens on: --open SCENARIO[/PRESET] when given, else
 * the walkthrough's case (dns-a-aaaa-one-backend under v4.15,
 * docs/walkthrough.md), else any witness of that scenario, else the first. */
static const char *open_witness(const char *ids)
{
	static char id[160];
	const char *want[3] = {open_opt, "dns-a-aaaa-one-backend/v4.15", "dns-a-aaaa-one-backend/"};
	for (int k = 0; k < 3; k++) {
		char quoted[170];
		if (!want[k])
			continue;
		snprintf(quoted, sizeof(quoted), "\"%s", want[k]);
		const char *hit = strstr(ids, quoted);
		if (hit) {
			size_t n = strcspn(hit + 1, "\"");
			snprintf(id, sizeof(id), "%.*s", (int)(n < sizeof(id) ? n : sizeof(id) - 1), hit + 1);
			return id;
		}
	}
	size_t n = ids[0] == '"' ? strcspn(ids + 1, "\"") : 0;
	snprintf(id, sizeof(id), "%.*s", (int)(n < sizeof(id) ? n : sizeof(id) - 1), ids + 1);
	return id;
}

static void write_page(FILE *f, const struct report_plan *p, const char *ids, const char *witnesses,
		       const struct bench_dpor *b, int plot_rc)
{
	const struct cli_opts *o = p->o;
	html_page_head(f, "nfrace report");
	fprintf(f, "<h1>nfrace report</h1>\n<p>nfrace %s, model %s: %u scenario%s under %u kernel preset%s; "
		   "exploration %s, seed %" PRIu64 ". Witnesses are minimal (fewest preemptions, then fewest steps) "
		   "up to %u preemptions.</p>\n",
		NFRACE_VERSION, NFRACE_MODEL_VERSION, p->ns, p->ns == 1 ? "" : "s", p->nk, p->nk == 1 ? "" : "s",
		sim_strategy_name(o->strategy), o->seed, o->witness_bound);
	fputs("<h2 id=\"matrix-title\">Fix matrix</h2>\n<p>A cell is <b>drop</b> when some execution drops a packet or "
	      "loses a reply, <b>ok</b> when the complete exploration finds none. A drop cell links to its witness.</p>\n",
	      f);
	write_matrix(f, p);
	write_events_table(f, p);
	fputs("<h2 id=\"timeline\">Witnesses, step by step</h2>\n<p>One lane per CPU, one row per step (the shared access "
	      "that begins it: kernel function and action, with what the step decided below). The state on the right "
	      "is the one after the current step.</p>\n",
	      f);
	html_viewer(f);
	report_figures(f, o->out, b, plot_rc);
	fputs("<script type=\"application/json\" id=\"nfrace-data\">", f);
	char *json = NULL;
	size_t len;
	FILE *m = open_memstream(&json, &len);
	if (m) {
		fprintf(m, "{\"order\":[%s],\"open\":", ids);
		html_json_string(m, open_witness(ids));
		fprintf(m, ",\"witnesses\":{%s\n}}", witnesses);
		fclose(m);
		html_script_json(f, json);
	}
	free(json);
	fputs("</script>\n", f);
	html_page_tail(f);
}

static int check_options(const struct cli_opts *o)
{
	if (o->path_count == 0 || o->path_count > REPORT_SCENARIOS_MAX || !o->out) {
		fputs("nfrace report: give 1 to 64 scenario files and -o DIR\n", stderr);
		return EXIT_USAGE;
	}
	if (o->shard || o->json || o->csv || o->md) {
		fputs("nfrace report: --shard, --json, --csv and --md are matrix options; report writes DIR/index.html\n",
		      stderr);
		return EXIT_USAGE;
	}
	struct stat st;
	if (stat(o->out, &st) == 0 && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "nfrace report: %s exists and is not a directory\n", o->out);
		return EXIT_USAGE;
	}
	return 0;
}

/* Every cell (here or with -j in workers), then their witnesses' JSON and
 * ids to wit/ids in scenario-major order.  The worst cell status, or -1
 * when interrupted. */
static int run_cells(const struct report_plan *p, FILE *wit, FILE *ids)
{
	uint32_t ntasks = p->ns * p->nk, jobs = p->o->jobs ? p->o->jobs : 1;
	int status = EXIT_OK;
	bool first = true;
	if (jobs > 1 && (status = run_parallel(p, ntasks, jobs)) != 0)
		return status == EXIT_INCOMPLETE ? -1 : status;
	for (uint32_t t = 0; t < ntasks && !cli_interrupted; t++) {
		if (jobs == 1)
			cell_run(p, t);
		if (cells[t].status == EXIT_USAGE)
			return EXIT_USAGE;
		status = cli_worse(status, cells[t].status);
		if (!cells[t].witness)
			continue;
		fprintf(wit, "%s%s", first ? "" : ",", cells[t].json);
		fprintf(ids, "%s\"%s/%s\"", first ? "" : ",", scs[t / p->nk].name, p->kernels[t % p->nk]);
		first = false;
		free(cells[t].json);
		cells[t].json = NULL;
	}
	return cli_interrupted ? -1 : status;
}

/* DIR, the DPOR figure in it (when results/bench/dpor.csv exists), then
 * DIR/index.html through a temporary file.  0 or EXIT_USAGE. */
static int write_outputs(const struct report_plan *p, const struct bench_dpor *bench, int bench_rc, const char *ids,
			 const char *wit)
{
	char path[4096];
	const char *dir = p->o->out;
	if (cli_interrupted) {
		fputs("interrupted: report incomplete, nothing written\n", stderr);
		return EXIT_INCOMPLETE;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "nfrace report: cannot create %s: %s\n", dir, strerror(errno));
		return EXIT_USAGE;
	}
	int plot_rc = 2;
	if (bench_rc == 0) {
		snprintf(path, sizeof(path), "%s/dpor", dir);
		if ((plot_rc = bench_dpor_plot(bench, path)) < 0)
			return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/index.html", dir);
	struct cli_out page;
	int rc = cli_out_open(&page, "-o", path, p->o);
	if (rc)
		return rc;
	write_page(page.f, p, ids, wit, bench, plot_rc);
	struct cli_out *outs[] = {&page};
	return cli_out_commit(outs, 1);
}

static void print_summary(const struct report_plan *p, const char *page)
{
	printf("nfrace %s seed %" PRIu64 "\n%-36s", NFRACE_VERSION, p->o->seed, "scenario");
	for (uint32_t k = 0; k < p->nk; k++)
		printf(" %-10s", p->kernels[k]);
	for (uint32_t s = 0; s < p->ns; s++) {
		printf("\n%-36s", scs[s].name);
		for (uint32_t k = 0; k < p->nk; k++)
			printf(" %-10s", cells[s * p->nk + k].verdict);
	}
	printf("\nwrote %s\n", page);
}

int cli_report(int argc, char **argv)
{
	static struct bench_dpor bench;
	struct cli_opts o;
	struct report_plan p = {0};
	char err[512], path[4096];
	char *wit = NULL, *ids = NULL;
	size_t wl, il;
	int rc = cli_parse(CLI_REPORT, argc, argv, &o);
	open_opt = o.open;
	if (rc || (rc = cli_kernel_list(o.kernels, p.kernels, &p.nk)) != 0 || (rc = check_options(&o)) != 0)
		return rc;
	p.o = &o;
	p.ns = o.path_count;
	for (uint32_t s = 0; s < p.ns; s++)
		if ((rc = cli_load(o.paths[s], &scs[s])) != 0)
			return rc;
	int bench_rc = bench_dpor_load("results/bench/dpor.csv", &bench, err, sizeof(err));
	if (bench_rc < 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	FILE *wf = open_memstream(&wit, &wl), *idf = open_memstream(&ids, &il);
	int status = wf && idf ? run_cells(&p, wf, idf) : EXIT_USAGE;
	if (wf)
		fclose(wf);
	if (idf)
		fclose(idf);
	if (status == EXIT_USAGE || status < 0) {
		if (status < 0)
			fputs("interrupted: report incomplete, nothing written\n", stderr);
		free(wit);
		free(ids);
		return status < 0 ? EXIT_INCOMPLETE : status;
	}
	rc = write_outputs(&p, &bench, bench_rc, ids ? ids : "", wit ? wit : "");
	free(wit);
	free(ids);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/index.html", o.out);
	print_summary(&p, path);
	return status;
}
