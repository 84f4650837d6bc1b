/*
 * cli_matrix.c - `nfrace matrix` (scenario x preset table, JSON, CSV,
 * Markdown), run on one core or spread over processes (-j N) or machines
 * (--shard K/N, then `nfrace merge`), always giving the same bytes.
 *
 * Each (scenario, preset) pair is a task, numbered scenario-major.  A task's
 * results are kept as text (its JSON object, its CSV line, its verdict), so
 * whoever computed it, the output is assembled in task order.  With -j, each
 * task runs in a forked child that sends its texts back through a pipe.  A
 * shard computes the tasks whose number is K-1 modulo N and writes them in a
 * container that `nfrace merge` (cli_merge.c) joins into exactly the
 * unsharded JSON.
 */
#include "cli.h"

#include "job_shard.h"
#include "report.h"
#include "report_label.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SCENARIOS_MAX = CLI_MATRIX_SCENARIOS_MAX, KERNELS_MAX = CLI_MATRIX_KERNELS_MAX, TASKS_MAX = CLI_MATRIX_TASKS_MAX };

struct cell {
	bool done;
	int status;        /* exit status contribution */
	char verdict[24];  /* drop | ok | incomplete | BUG | n/a; events: packets,destroy */
	char *json;        /* report_json text, indent 2 */
	char *csv;         /* one CSV line */
};

static struct scenario scs[SCENARIOS_MAX];
static struct cell cells[TASKS_MAX];

static void cell_compute(struct cell *c, const struct scenario *sc, const char *path, const char *kernel,
			 const struct cli_opts *o)
{
	struct job *j = cli_job_storage();
	size_t len;
	if (!nf_preset_applies(nf_preset_lookup(kernel), sc->events.present)) {
		snprintf(c->verdict, sizeof(c->verdict), "n/a"); /* an event-path preset, a race scenario */
		c->done = true;
		return;
	}
	int rc = cli_job(j, sc, kernel, o);
	if (rc) {
		c->status = rc;
		snprintf(c->verdict, sizeof(c->verdict), "BUG");
		return;
	}
	rc = cli_run_job(j, path);
	c->status = rc ? rc : (job_exit_complete(j) ? EXIT_OK : EXIT_INCOMPLETE);
	if (rc)
		snprintf(c->verdict, sizeof(c->verdict), "BUG");
	else
		report_cell_verdict(j, c->verdict, sizeof(c->verdict));
	FILE *f = open_memstream(&c->json, &len);
	if (f) {
		report_json(f, j, 2);
		fclose(f);
	}
	f = open_memstream(&c->csv, &len);
	if (f) {
		fprintf(f, "%s,%s,%s,%s,%" PRIu64 ",%" PRIu64 ",%u,", sc->name, j->kernel, rc ? "bug" : report_verdict(j),
			j->result.complete ? "true" : "false", j->result.executions, j->drop_executions, j->outcome_count);
		if (!rc)
			report_probability_json(f, j); /* a number, or null */
		fputc('\n', f);
		fclose(f);
	}
	c->done = true;
}

/* Child side of -j: "status csvlen jsonlen verdict\n" csv json, into f (the
 * verdict last: it may hold a space, "drop p=1/2"). */
static void cell_send(FILE *f, const struct cell *c)
{
	fprintf(f, "%d %zu %zu %s\n%s%s", c->status, c->csv ? strlen(c->csv) : 0, c->json ? strlen(c->json) : 0, c->verdict,
		c->csv ? c->csv : "", c->json ? c->json : "");
	fflush(f);
}

static bool cell_receive(FILE *f, struct cell *c)
{
	size_t lc, lj;
	char line[128];
	int used;
	if (!fgets(line, sizeof(line), f) || sscanf(line, "%d %zu %zu %n", &c->status, &lc, &lj, &used) != 3)
		return false;
	line[strcspn(line, "\n")] = '\0';
	snprintf(c->verdict, sizeof(c->verdict), "%s", line + used);
	c->csv = lc ? cli_read_exact(f, lc) : NULL;
	c->json = lj ? cli_read_exact(f, lj) : NULL;
	c->done = (lc == 0 || c->csv) && (lj == 0 || c->json);
	return c->done || !strcmp(c->verdict, "BUG");
}

struct plan {
	uint32_t ns, nk, jobs, shard_k, shard_n;
	const char *kernels[KERNELS_MAX];
	const struct cli_opts *o;
};

static bool in_shard(const struct plan *p, uint32_t t)
{
	return p->shard_n == 0 || t % p->shard_n == p->shard_k - 1;
}

static void task_run_here(const struct plan *p, uint32_t t)
{
	uint32_t s = t / p->nk, k = t % p->nk;
	cell_compute(&cells[t], &scs[s], p->o->paths[s], p->kernels[k], p->o);
}

static bool pool_wanted(void *ctx, uint32_t t)
{
	return in_shard(ctx, t);
}

static bool pool_work(void *ctx, uint32_t t, FILE *out)
{
	task_run_here(ctx, t);
	cell_send(out, &cells[t]);
	return true;
}

static bool pool_take(void *ctx, uint32_t t, FILE *in)
{
	(void)ctx;
	return cell_receive(in, &cells[t]);
}

/* -j: each task in a worker (cli_pool_run); cells are indexed by task, so
 * the order of completion never reaches the output. */
static int run_parallel(struct plan *p, uint32_t ntasks)
{
	struct cli_pool pool = {p->jobs, pool_wanted, pool_work, pool_take, p, "matrix"};
	return cli_pool_run(&pool, ntasks);
}

/* A column is as wide as its widest cell (at least 10). */
static int column_width(const struct plan *p, uint32_t k)
{
	size_t w = strlen(p->kernels[k]) > 10 ? strlen(p->kernels[k]) : 10;
	for (uint32_t s = 0; s < p->ns; s++)
		if (in_shard(p, s * p->nk + k) && strlen(cells[s * p->nk + k].verdict) > w)
			w = strlen(cells[s * p->nk + k].verdict);
	return (int)w;
}

static void print_table(FILE *out, const struct plan *p)
{
	fprintf(out, "%-36s", "scenario");
	for (uint32_t k = 0; k < p->nk; k++)
		fprintf(out, " %-*s", column_width(p, k), p->kernels[k]);
	fputc('\n', out);
	for (uint32_t s = 0; s < p->ns; s++) {
		fprintf(out, "%-36s", scs[s].name);
		for (uint32_t k = 0; k < p->nk; k++) {
			const struct cell *c = &cells[s * p->nk + k];
			fprintf(out, " %-*s", column_width(p, k), in_shard(p, s * p->nk + k) ? c->verdict : "-");
		}
		fputc('\n', out);
	}
}

static void write_md(FILE *f, const struct plan *p)
{
	fputs("| scenario |", f);
	for (uint32_t k = 0; k < p->nk; k++)
		fprintf(f, " %s |", p->kernels[k]);
	fputs("\n|---|", f);
	for (uint32_t k = 0; k < p->nk; k++)
		fputs("---|", f);
	fputc('\n', f);
	for (uint32_t s = 0; s < p->ns; s++) {
		fprintf(f, "| %s |", scs[s].name);
		for (uint32_t k = 0; k < p->nk; k++)
			fprintf(f, " %s |", cells[s * p->nk + k].verdict);
		fputc('\n', f);
	}
}

static const char *cells_json(uint32_t t)
{
	return cells[t].json;
}

static const char *task_json(void *ctx, uint32_t t)
{
	(void)ctx;
	return cells[t].json;
}

/* JSON: the array of job objects; a shard writes the merge container
 * instead, with the identity of the whole matrix (job_shard.h). */
static void write_json(FILE *f, const struct plan *p, uint32_t ntasks)
{
	if (p->shard_n) {
		char *ident = cli_identity("matrix", p->o, scs, NULL, p->ns, p->kernels, p->nk);
		job_shard_write_container(f, "matrix", ident ? ident : "", p->shard_k, p->shard_n, ntasks, task_json, NULL);
		free(ident);
		return;
	}
	cli_json_array(f, ntasks, cells_json);
}

static int parse_shard(const char *spec, struct plan *p)
{
	return spec ? cli_parse_shard(spec, &p->shard_k, &p->shard_n) : 0;
}

static void write_csv(FILE *f, const struct plan *p, uint32_t ntasks)
{
	(void)p;
	fputs("scenario,kernel,verdict,complete,executions,drop_executions,outcomes,drop_probability\n", f);
	for (uint32_t t = 0; t < ntasks; t++)
		fputs(cells[t].csv ? cells[t].csv : "", f);
}

/* The output files, opened before any task runs, committed together. */
struct outputs {
	struct cli_out json, csv, md;
};

static int open_outputs(struct outputs *out, const struct cli_opts *o)
{
	int rc = cli_out_open(&out->json, "--json", o->json, o);
	if (!rc)
		rc = cli_out_open(&out->csv, "--csv", o->csv, o);
	if (!rc)
		rc = cli_out_open(&out->md, "--md", o->md, o);
	if (rc) {
		cli_out_abort(&out->json);
		cli_out_abort(&out->csv);
	}
	return rc;
}

static int write_outputs(struct outputs *out, const struct plan *p, uint32_t ntasks)
{
	struct cli_out *all[] = {&out->json, &out->csv, &out->md};
	if (out->json.f)
		write_json(out->json.f, p, ntasks);
	if (out->csv.f)
		write_csv(out->csv.f, p, ntasks);
	if (out->md.f)
		write_md(out->md.f, p);
	return cli_out_commit(all, 3);
}

int cli_matrix(int argc, char **argv)
{
	static struct outputs files;
	struct cli_opts o;
	struct plan p = {0};
	int rc = cli_parse(CLI_MATRIX, argc, argv, &o), status = EXIT_OK;
	if (rc || (rc = cli_kernel_list(o.kernels, p.kernels, &p.nk)) != 0 || (rc = parse_shard(o.shard, &p)) != 0)
		return rc;
	if (o.path_count == 0 || o.path_count > SCENARIOS_MAX) {
		fputs("nfrace matrix: give 1 to 64 scenario files\n", stderr);
		return EXIT_USAGE;
	}
	if (p.shard_n && (o.csv || o.md)) {
		fputs("nfrace matrix: a shard writes --json only (join shards with nfrace merge)\n", stderr);
		return EXIT_USAGE;
	}
	p.ns = o.path_count;
	p.jobs = o.jobs ? o.jobs : 1;
	p.o = &o;
	for (uint32_t s = 0; s < p.ns; s++)
		if ((rc = cli_load(o.paths[s], &scs[s])) != 0)
			return rc;
	if ((rc = open_outputs(&files, &o)) != 0)
		return rc;
	uint32_t ntasks = p.ns * p.nk;
	if (p.jobs > 1) {
		if ((rc = run_parallel(&p, ntasks)) != 0) {
			if (rc == EXIT_INCOMPLETE)
				fputs("interrupted: matrix incomplete, nothing written\n", stderr);
			return rc;
		}
	} else {
		for (uint32_t t = 0; t < ntasks && !cli_interrupted; t++)
			if (in_shard(&p, t))
				task_run_here(&p, t);
	}
	if (cli_interrupted) {
		fputs("interrupted: matrix incomplete, nothing written\n", stderr);
		return EXIT_INCOMPLETE;
	}
	for (uint32_t t = 0; t < ntasks; t++)
		if (in_shard(&p, t))
			status = cli_worse(status, cells[t].status);
	FILE *out = (o.json && !strcmp(o.json, "-")) || (o.csv && !strcmp(o.csv, "-")) || (o.md && !strcmp(o.md, "-")) ? stderr : stdout;
	fprintf(out, "nfrace %s seed %" PRIu64 "\n", NFRACE_VERSION, o.seed);
	print_table(out, &p);
	if ((rc = write_outputs(&files, &p, ntasks)) != 0)
		return rc;
	return status;
}
