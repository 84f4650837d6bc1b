/*
 * cli_split.c - one exploration split across processes: `nfrace run -j N`
 * (forked workers on this machine) and `nfrace run --shard K/N` (one part,
 * written as a shard file) joined by `nfrace merge`, all giving the bytes of
 * a single-process `nfrace run`.
 *
 * Every run explores the same split tree (cli_job sets split_depth), so the
 * shards' parts are disjoint and add up (sim_bounds.split_depth, job_merge).
 * A shard file (job_shard.h) carries the job's identity (scenario path,
 * preset, fix set, program hash, bounds) and its results as text; the merge
 * reads each as untrusted input, checks it against the scenario and the
 * other shards, joins them, then does what `run` does after its
 * exploration: minimise the witnesses and print the report.  A bound on
 * executions is not split (its cut would depend on which process got where
 * first): -j and --shard refuse it.
 */
#include "cli.h"

#include "job_shard.h"
#include "report.h"
#include "scenario_load.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

/* file:line:col: message of a bad shard; EXIT_USAGE. */
static int shard_fail(const char *file, const struct shard_error *e)
{
	char name[4096], msg[1024];
	fprintf(stderr, "%s:%u:%u: %s\n", scenario_escape(file, name, sizeof(name)), e->line, e->column,
		scenario_escape(e->message, msg, sizeof(msg)));
	return EXIT_USAGE;
}

/* ---- merge: run shards into the run report --------------------------------- */

/* j configured for the exploration s is a part of (its scenario loaded into
 * sc, model built), results zeroed and complete until a part says not. */
static int merged_job(struct job *j, struct scenario *sc, const struct run_shard *s, const char *file)
{
	int rc = cli_load(s->path, sc);
	if (rc)
		return rc;
	const struct nf_preset *p = nf_preset_lookup(s->kernel);
	if (!nf_preset_applies(p, sc->events.present)) {
		struct shard_error e = {4, 8, "kernel: an event-path preset; a packets: scenario is not run under it"};
		return shard_fail(file, &e);
	}
	memset(j, 0, sizeof(*j));
	j->sc = sc;
	j->kernel = p->name;
	j->fixes = s->part.fixes;
	j->plants = s->part.plants;
	j->strategy = s->part.strategy;
	j->seed = s->part.seed;
	j->pct_depth = s->part.pct_depth;
	j->bounds.executions_max = s->part.bounds.executions_max;
	j->bounds.steps_max = s->part.bounds.steps_max;
	j->bounds.split_depth = s->part.bounds.split_depth;
	j->bounds.count_classes = s->part.bounds.count_classes;
	j->bounds.interrupt = &cli_interrupted;
	j->result.complete = true;
	job_prepare(j);
	return 0;
}

/* One shard file's text into part, checked on its own. */
static int read_part(const char *file, const char *text, size_t len, struct run_shard *part)
{
	struct shard_error e;
	return job_shard_read_run(text, len, part, &e) ? shard_fail(file, &e) : 0;
}

/* part against j, the job of its exploration: hash, packets, witnesses. */
static int check_part(const char *file, const struct run_shard *part, const struct job *j)
{
	static struct job probe; /* replays the witnesses; j keeps its results */
	struct shard_error e;
	probe = *j;
	return job_shard_check_run(part, &probe, &e) ? shard_fail(file, &e) : 0;
}

/* Check and join the shard files (their texts) into *j (sc is its scenario storage). */
static int join_shards(const char *const *files, char *const *texts, const size_t *lens, uint32_t count,
		       struct job *j, struct scenario *sc, struct run_shard *first)
{
	static struct run_shard part;
	bool seen[CLI_SHARDS_MAX + 1] = {false};
	struct shard_error e;
	for (uint32_t i = 0; i < count; i++) {
		int rc = read_part(files[i], texts[i], lens[i], &part);
		if (rc)
			return rc;
		if (i == 0) {
			*first = part;
			rc = merged_job(j, sc, first, files[0]);
		} else if (job_shard_same_run(first, &part, &e) != 0) {
			rc = shard_fail(files[i], &e);
		}
		if (rc || (rc = check_part(files[i], &part, j)) != 0)
			return rc;
		if (seen[part.k]) {
			fprintf(stderr, "nfrace merge: shard %u/%u given twice\n", part.k, part.n);
			return EXIT_USAGE;
		}
		seen[part.k] = true;
		if (part.part.result.complete && first->part.result.complete &&
		    part.part.result.subtrees != first->part.result.subtrees) {
			struct shard_error d = {first->job_line + 1, 1, "result: another split tree than the first shard's"};
			return shard_fail(files[i], &d);
		}
		job_merge(j, &part.part);
	}
	for (uint32_t k = 1; k <= first->n; k++)
		if (!seen[k]) {
			fprintf(stderr, "nfrace merge: shard %u/%u is missing\n", k, first->n);
			return EXIT_USAGE;
		}
	if (j->result.complete && j->result.subtrees_owned != j->result.subtrees) {
		fprintf(stderr, "nfrace merge: the shards explored %" PRIu64 " of the %" PRIu64 " subtrees of the exploration: "
				"a shard file was altered or comes from another split\n",
			j->result.subtrees_owned, j->result.subtrees);
		return EXIT_USAGE;
	}
	return 0;
}

int cli_merge_runs(const struct cli_opts *o, char *const *texts, const size_t *lens)
{
	static struct job j;
	static struct scenario sc;
	static struct run_shard first;
	struct cli_out json;
	int rc = cli_out_open(&json, "--json", o->json, o);
	if (rc || (rc = join_shards(o->paths, texts, lens, o->path_count, &j, &sc, &first)) != 0) {
		cli_out_abort(&json);
		return rc;
	}
	struct cli_opts ro = *o;
	ro.witness_bound = first.witness_bound;
	FILE *out = o->json && !strcmp(o->json, "-") ? stderr : stdout;
	fprintf(out, "nfrace %s seed %" PRIu64 "\n", NFRACE_VERSION, j.seed);
	return cli_run_finish(&j, &ro, first.path, cli_report_bugs(&j, first.path), &json, true);
}

bool cli_is_run_shard(const char *text)
{
	return !strncmp(text, "nfrace-run-shard ", 17);
}

/* ---- run --shard and run -j -------------------------------------------------- */

/* Explore shard k/n of j and write it to f.  A -j worker (quiet) leaves the
 * report of a broken invariant or deadlock to the parent, which names the
 * earliest of all workers', and makes no --check-determinism rerun (its
 * subtree claims are spent). */
static int run_shard_to(FILE *f, struct job *j, const struct cli_opts *o, uint32_t k, uint32_t n, bool quiet)
{
	int rc;
	j->bounds.shard_k = k;
	j->bounds.shard_n = n;
	if (quiet) {
		if (job_run(j) != 0)
			return EXIT_USAGE;
		rc = j->failed || j->deadlocked ? EXIT_MODEL_BUG : 0;
	} else {
		rc = cli_run_job(j, o->paths[0]);
	}
	if (rc == EXIT_MODEL_BUG && !j->failed && !j->deadlocked)
		return rc; /* nondeterminism: nothing to merge */
	job_shard_write_run(f, j, o->paths[0], k, n, o->witness_bound);
	return rc;
}

/* -j: the workers claim subtrees first come, first served, from a bit table
 * in memory they share; subtrees past the table go by number (f % N). */
enum { CLAIM_BITS = 1 << 22 };

struct claims {
	uint64_t *bits; /* shared between the workers */
	uint32_t k, n;
};

static bool claim_subtree(void *ctx, uint64_t f)
{
	struct claims *c = ctx;
	if (f >= CLAIM_BITS)
		return f % c->n == c->k - 1;
	uint64_t bit = 1ull << (f % 64);
	return !(__atomic_fetch_or(&c->bits[f / 64], bit, __ATOMIC_RELAXED) & bit);
}

struct parallel {
	struct job *j;
	const struct cli_opts *o;
	struct claims claims;
	uint32_t n;
};

/* A worker: shard t+1 of n, claiming subtrees with the others. */
static bool parallel_work(void *ctx, uint32_t t, FILE *out)
{
	struct parallel *p = ctx;
	struct rusage ru;
	p->claims.k = t + 1;
	int st = run_shard_to(out, p->j, p->o, t + 1, p->n, true);
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "worker %u/%u: %" PRIu64 " executions, %" PRIu64 " subtrees seen, %.1f s CPU\n", t + 1, p->n,
		p->j->result.executions, p->j->result.subtrees,
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6);
	return st != EXIT_USAGE;
}

/* The parent: a worker's part, merged in (the order does not matter: job_merge). */
static bool parallel_take(void *ctx, uint32_t t, FILE *in)
{
	static struct run_shard part;
	struct parallel *p = ctx;
	struct shard_error e;
	char *text = NULL;
	size_t len = 0, cap = 0;
	(void)t;
	for (size_t n = 1; n > 0; len += n) {
		if (len == cap) {
			char *bigger = realloc(text, cap = cap ? 2 * cap : 65536);
			if (!bigger)
				break;
			text = bigger;
		}
		n = fread(text + len, 1, cap - len, in);
	}
	bool ok = text && !ferror(in) && job_shard_read_run(text, len, &part, &e) == 0;
	free(text);
	if (ok)
		job_merge(p->j, &part.part);
	return ok;
}

/* `run -j N`: N forked shards claiming subtrees, joined here into j. */
static int run_parallel(struct job *j, const struct cli_opts *o)
{
	static struct parallel par;
	par = (struct parallel){j, o, {NULL, 0, o->jobs}, o->jobs};
	par.claims.bits = mmap(NULL, CLAIM_BITS / 8, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (par.claims.bits == MAP_FAILED) {
		fprintf(stderr, "nfrace run: cannot share memory between workers: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	j->bounds.claim = claim_subtree;
	j->bounds.claim_ctx = &par.claims;
	j->result.complete = true; /* until a part says not */
	job_prepare(j);            /* the hash job_merge decodes witnesses with */
	struct cli_pool pool = {o->jobs, NULL, parallel_work, parallel_take, &par, "run"};
	int rc = cli_pool_run(&pool, o->jobs);
	munmap(par.claims.bits, CLAIM_BITS / 8);
	if (rc)
		return rc;
	return cli_report_bugs(j, o->paths[0]) ? EXIT_MODEL_BUG : 0;
}

/* What -j and --shard cannot split. */
static int check_splittable(const struct job *j, const struct cli_opts *o)
{
	if (o->jobs > 1 && o->shard) {
		fputs("nfrace run: give -j N or --shard K/N, not both\n", stderr);
		return EXIT_USAGE;
	}
	if (job_is_events(j)) {
		fputs("nfrace run: -j and --shard split packet-race explorations, not events timelines\n", stderr);
		return EXIT_USAGE;
	}
	if (j->strategy != SIM_EXPLORE_DPOR && j->strategy != SIM_EXPLORE_DFS) {
		/* odpor: a subtree's wakeup trees are filled by the races of the
		 * subtrees explored before it, so subtrees cannot go to other processes */
		fputs("nfrace run: -j and --shard split dpor and dfs explorations only\n", stderr);
		return EXIT_USAGE;
	}
	if (j->strategy == SIM_EXPLORE_DFS && j->bounds.count_classes) {
		/* dfs meets a class in many subtrees: the shards' counts do not add up */
		fputs("nfrace run: --count-classes with -j or --shard needs --explore dpor\n", stderr);
		return EXIT_USAGE;
	}
	if (j->bounds.executions_max) {
		/* which executions a cut keeps would depend on which worker got where first */
		fputs("nfrace run: --max-executions is not split: which executions it keeps would depend on timing; "
		      "run without -j/--shard, or without the bound\n",
		      stderr);
		return EXIT_USAGE;
	}
	return 0;
}

int cli_run_split(struct job *j, const struct cli_opts *o, struct cli_out *json)
{
	uint32_t k, n;
	int rc = check_splittable(j, o);
	if (rc)
		return rc;
	if (o->jobs > 1) {
		FILE *out = o->json && strcmp(o->json, "-") == 0 ? stderr : stdout;
		fprintf(out, "nfrace %s seed %" PRIu64 "\n", NFRACE_VERSION, j->seed);
		rc = run_parallel(j, o);
		if (cli_interrupted) {
			fprintf(out, "interrupted: exploration incomplete, nothing written\n");
			return EXIT_INCOMPLETE;
		}
		return rc == EXIT_USAGE ? rc : cli_run_finish(j, o, o->paths[0], rc, json, false);
	}
	if ((rc = cli_parse_shard(o->shard, &k, &n)) != 0)
		return rc;
	if (!o->json || !strcmp(o->json, "-")) {
		fputs("nfrace run: a shard writes its part to --json FILE (join the parts with nfrace merge)\n", stderr);
		return EXIT_USAGE;
	}
	rc = run_shard_to(json->f, j, o, k, n, false);
	if (cli_interrupted || rc == EXIT_USAGE) {
		cli_out_abort(json);
		if (cli_interrupted)
			fputs("interrupted: exploration incomplete, nothing written\n", stderr);
		return cli_interrupted ? EXIT_INCOMPLETE : rc;
	}
	printf("shard %u/%u of %s under %s: %" PRIu64 " executions, %u outcomes (join the shards with nfrace merge)\n", k,
	       n, j->sc->name, j->kernel, j->result.executions, j->outcome_count);
	struct cli_out *outs[] = {json};
	int wrc = cli_out_commit(outs, 1);
	return wrc ? wrc : rc;
}
