/*
 * cli_split.c - one exploration split across processes: `nfrace run -j N`
 * (forked workers on this machine) and `nfrace run --shard K/N` (one part,
 * written as a shard file) joined by `nfrace merge`, all giving the bytes of
 * a single-process `nfrace run`.
 *
 * Every run explores the same split tree (cli_job sets split_depth), so the
 * shards' parts are disjoint and add up (sim_bounds.split_depth, job_merge).
 * A shard file carries the job's identity (scenario path, preset, fix set,
 * program hash, bounds) and its results as text; the merge checks that the
 * shards belong together, joins them, then does what `run` does after its
 * exploration: minimise the witnesses and print the report.
 */
#include "cli.h"

#include "report.h"

#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the shard file ------------------------------------------------------ */

static void write_outcome(FILE *f, const struct outcome *o)
{
	fprintf(f, "outcome %u %u", o->dropped, o->lost);
	for (int s = 0; s < STAT_COUNT; s++)
		fprintf(f, " %u", o->counters[s]);
	fprintf(f, " %" PRIu64 " %u %" PRIu64 " %s\n", o->executions, o->preemptions, o->steps, o->schedule);
}

/* shard_write - j's identity and results; path is the scenario as named on the command line. */
static void shard_write(FILE *f, const struct job *j, const char *path, uint32_t witness_bound)
{
	const struct sim_result *r = &j->result;
	fprintf(f, "nfrace-run-shard 1 %u %u\npath %zu\n%s\nkernel %s\n", j->bounds.shard_k, j->bounds.shard_n,
		strlen(path), path, j->kernel);
	fprintf(f, "job %" PRIu64 " %u %d %" PRIu64 " %u %" PRIu64 " %" PRIu64 " %u %u %d %016" PRIx64 "\n",
		(uint64_t)j->fixes, j->plants, (int)j->strategy, j->seed, j->pct_depth, j->bounds.executions_max,
		j->bounds.steps_max, j->bounds.split_depth, witness_bound, (int)j->bounds.count_classes, j->hash);
	fprintf(f, "result %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		   " %d %d\n",
		r->executions, r->pruned, r->deadlocks, r->failures, r->steps, r->max_depth, r->classes, r->subtrees,
		(int)r->complete, (int)r->why);
	fprintf(f, "drops %" PRIu64 " %d %u\n", j->drop_executions, (int)j->outcomes_overflow, j->outcome_count);
	for (uint32_t i = 0; i < j->outcome_count; i++)
		write_outcome(f, &j->outcomes[i]);
	if (j->failed)
		fprintf(f, "failed %s %zu\n%s\n", j->fail_schedule, strlen(j->fail_message), j->fail_message);
	if (j->deadlocked)
		fprintf(f, "deadlock %s\n", j->deadlock_schedule);
	fputs("end\n", f);
}

/* What a shard file says besides the job's results. */
struct shard_meta {
	uint32_t k, n, witness_bound;
	char path[1024];
	char kernel[64];
};

static bool read_line(FILE *f, char *line, size_t size)
{
	if (!fgets(line, (int)size, f))
		return false;
	line[strcspn(line, "\n")] = '\0';
	return true;
}

static bool read_text(FILE *f, size_t len, char *out, size_t size)
{
	if (len >= size || fread(out, 1, len, f) != len || fgetc(f) != '\n')
		return false;
	out[len] = '\0';
	return true;
}

static bool read_outcome(const char *line, struct outcome *o)
{
	int used;
	memset(o, 0, sizeof(*o));
	if (sscanf(line, "outcome %u %u%n", &o->dropped, &o->lost, &used) != 2)
		return false;
	line += used;
	for (int s = 0; s < STAT_COUNT; s++) {
		if (sscanf(line, " %u%n", &o->counters[s], &used) != 1)
			return false;
		line += used;
	}
	return sscanf(line, " %" SCNu64 " %u %" SCNu64 " %2047s", &o->executions, &o->preemptions, &o->steps,
		      o->schedule) == 4;
}

static bool read_header(FILE *f, struct job *j, struct shard_meta *m)
{
	char line[4096];
	size_t len;
	uint64_t fixes;
	int strategy, classes, complete, why;
	struct sim_result *r = &j->result;
	if (!read_line(f, line, sizeof(line)) || sscanf(line, "nfrace-run-shard 1 %u %u", &m->k, &m->n) != 2 ||
	    !read_line(f, line, sizeof(line)) || sscanf(line, "path %zu", &len) != 1 ||
	    !read_text(f, len, m->path, sizeof(m->path)) || !read_line(f, line, sizeof(line)) ||
	    sscanf(line, "kernel %63s", m->kernel) != 1 || !read_line(f, line, sizeof(line)))
		return false;
	if (sscanf(line, "job %" SCNu64 " %u %d %" SCNu64 " %u %" SCNu64 " %" SCNu64 " %u %u %d %" SCNx64, &fixes, &j->plants,
		   &strategy, &j->seed, &j->pct_depth, &j->bounds.executions_max, &j->bounds.steps_max,
		   &j->bounds.split_depth, &m->witness_bound, &classes, &j->hash) != 11)
		return false;
	j->fixes = (nf_fixset)fixes;
	j->strategy = (enum sim_strategy)strategy;
	j->bounds.count_classes = classes != 0;
	if (!read_line(f, line, sizeof(line)) ||
	    sscanf(line, "result %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			 " %d %d",
		   &r->executions, &r->pruned, &r->deadlocks, &r->failures, &r->steps, &r->max_depth, &r->classes,
		   &r->subtrees, &complete, &why) != 10)
		return false;
	r->complete = complete != 0;
	r->why = (enum sim_incomplete)why;
	return true;
}

/* shard_read - one shard file into j (results) and m; false if it is not one. */
static bool shard_read(FILE *f, struct job *j, struct shard_meta *m)
{
	char line[4096];
	int overflow;
	uint32_t count;
	size_t len;
	if (!read_header(f, j, m) || !read_line(f, line, sizeof(line)) ||
	    sscanf(line, "drops %" SCNu64 " %d %u", &j->drop_executions, &overflow, &count) != 3 || count > OUTCOMES_MAX)
		return false;
	j->outcomes_overflow = overflow != 0;
	for (j->outcome_count = 0; j->outcome_count < count; j->outcome_count++)
		if (!read_line(f, line, sizeof(line)) || !read_outcome(line, &j->outcomes[j->outcome_count]))
			return false;
	while (read_line(f, line, sizeof(line))) {
		if (!strcmp(line, "end"))
			return true;
		if (sscanf(line, "failed %2047s %zu", j->fail_schedule, &len) == 2) {
			j->failed = true;
			if (!read_text(f, len, j->fail_message, sizeof(j->fail_message)))
				return false;
		} else if (sscanf(line, "deadlock %2047s", j->deadlock_schedule) == 1) {
			j->deadlocked = true;
		} else {
			return false;
		}
	}
	return false;
}

/* ---- after the exploration: what run prints ------------------------------ */

/* The job of the shards' scenario and preset, its results zeroed, ready to merge into. */
static int merged_job(struct job *j, struct scenario *sc, const struct job *first, const struct shard_meta *m)
{
	int rc = cli_load(m->path, sc);
	if (rc)
		return rc;
	const struct nf_preset *p = nf_preset_lookup(m->kernel);
	if (!p)
		return EXIT_USAGE;
	memset(j, 0, sizeof(*j));
	j->sc = sc;
	j->kernel = p->name;
	j->fixes = first->fixes;
	j->plants = first->plants;
	j->strategy = first->strategy;
	j->seed = first->seed;
	j->pct_depth = first->pct_depth;
	j->bounds.executions_max = first->bounds.executions_max;
	j->bounds.steps_max = first->bounds.steps_max;
	j->bounds.split_depth = first->bounds.split_depth;
	j->bounds.count_classes = first->bounds.count_classes;
	j->result.complete = true;
	job_prepare(j);
	if (j->hash != first->hash) {
		fprintf(stderr, "nfrace merge: %s has changed since the shards ran (program hash differs)\n", m->path);
		return EXIT_USAGE;
	}
	return 0;
}

static bool same_exploration(const struct job *a, const struct job *b, const struct shard_meta *ma,
			     const struct shard_meta *mb)
{
	return a->hash == b->hash && a->strategy == b->strategy && a->seed == b->seed &&
	       a->bounds.executions_max == b->bounds.executions_max && a->bounds.steps_max == b->bounds.steps_max &&
	       a->bounds.split_depth == b->bounds.split_depth && ma->n == mb->n && ma->witness_bound == mb->witness_bound &&
	       !strcmp(ma->path, mb->path) && !strcmp(ma->kernel, mb->kernel);
}

/* Read, check and join shard files into *j (sc is its scenario storage). */
static int join_shards(const char *const *files, uint32_t count, struct job *j, struct scenario *sc,
		       struct shard_meta *meta)
{
	static struct job part, first;
	static struct shard_meta m0;
	bool seen[CLI_SHARDS_MAX] = {false};
	for (uint32_t i = 0; i < count; i++) {
		struct shard_meta m;
		FILE *f = fopen(files[i], "r");
		memset(&part, 0, sizeof(part));
		bool ok = f && shard_read(f, &part, &m) && m.n <= CLI_SHARDS_MAX && m.k >= 1 && m.k <= m.n;
		if (f)
			fclose(f);
		if (!ok || (i > 0 && !same_exploration(&first, &part, &m0, &m))) {
			fprintf(stderr, "%s:1:1: not a shard file of this run\n", files[i]);
			return EXIT_USAGE;
		}
		if (seen[m.k - 1]) {
			fprintf(stderr, "nfrace merge: shard %u/%u given twice\n", m.k, m.n);
			return EXIT_USAGE;
		}
		seen[m.k - 1] = true;
		if (i == 0) {
			first = part;
			m0 = m;
			int rc = merged_job(j, sc, &first, &m);
			if (rc)
				return rc;
		}
		job_merge(j, &part);
	}
	for (uint32_t k = 0; k < m0.n; k++)
		if (!seen[k]) {
			fprintf(stderr, "nfrace merge: shard %u/%u is missing\n", k + 1, m0.n);
			return EXIT_USAGE;
		}
	*meta = m0;
	return 0;
}

int cli_merge_runs(const struct cli_opts *o)
{
	static struct job j;
	static struct scenario sc;
	struct shard_meta m;
	struct cli_out json;
	int rc = cli_out_open(&json, "--json", o->json, o);
	if (rc || (rc = join_shards(o->paths, o->path_count, &j, &sc, &m)) != 0) {
		cli_out_abort(&json);
		return rc;
	}
	struct cli_opts ro = *o;
	ro.witness_bound = m.witness_bound;
	FILE *out = o->json && !strcmp(o->json, "-") ? stderr : stdout;
	fprintf(out, "nfrace %s seed %" PRIu64 "\n", NFRACE_VERSION, j.seed);
	return cli_run_finish(&j, &ro, m.path, cli_report_bugs(&j, m.path), &json);
}

bool cli_is_run_shard(const char *file)
{
	char line[64] = "";
	FILE *f = fopen(file, "r");
	if (!f)
		return false;
	bool yes = fgets(line, sizeof(line), f) && !strncmp(line, "nfrace-run-shard ", 17);
	fclose(f);
	return yes;
}

/* ---- run --shard and run -j ---------------------------------------------- */

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
	shard_write(f, j, o->paths[0], o->witness_bound);
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

/* Wait for the workers pid[0..started); a SIGINT that reaches this process
 * at any moment is passed on to them (polling, so none is missed between a
 * check and a wait).  Returns 0 when every worker exited 0. */
static int wait_workers(const pid_t *pid, uint32_t started, uint32_t n)
{
	bool alive[CLI_SHARDS_MAX], passed_on = false;
	uint32_t left = started;
	int rc = 0;
	for (uint32_t k = 0; k < started; k++)
		alive[k] = true;
	while (left > 0) {
		if (cli_interrupted && !passed_on) {
			for (uint32_t k = 0; k < started; k++)
				if (alive[k])
					kill(pid[k], SIGINT); /* the workers stop and write what they have */
			passed_on = true;
		}
		int wst;
		pid_t got = waitpid(-1, &wst, WNOHANG);
		if (got == 0 || (got < 0 && errno == EINTR)) {
			nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
			continue;
		}
		if (got < 0)
			return -1;
		for (uint32_t k = 0; k < started; k++)
			if (pid[k] == got && alive[k]) {
				alive[k] = false;
				left--;
				if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
					if (!cli_interrupted)
						fprintf(stderr, "nfrace run: worker %u of %u failed\n", k + 1, n);
					rc = -1;
				}
			}
	}
	return rc;
}

/* `run -j N`: N forked shards into temporary files, joined here. */
static int run_parallel(struct job *j, const struct cli_opts *o)
{
	static struct scenario sc;
	FILE *fp[CLI_SHARDS_MAX];
	char names[CLI_SHARDS_MAX][64];
	const char *files[CLI_SHARDS_MAX] = {NULL};
	pid_t pid[CLI_SHARDS_MAX];
	uint32_t n = o->jobs;
	struct shard_meta m;
	int rc = 0;
	struct claims claims = {mmap(NULL, CLAIM_BITS / 8, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0), 0, n};
	if (claims.bits == MAP_FAILED) {
		fprintf(stderr, "nfrace run: cannot share memory between workers: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	j->bounds.claim = claim_subtree;
	j->bounds.claim_ctx = &claims;
	fflush(NULL);
	uint32_t started = 0;
	for (uint32_t k = 0; k < n; k++) {
		snprintf(names[k], sizeof(names[k]), "/tmp/nfrace-shard-XXXXXX");
		int fd = mkstemp(names[k]);
		fp[k] = fd >= 0 ? fdopen(fd, "w+") : NULL;
		files[k] = names[k];
		if (!fp[k] || (pid[k] = fork()) < 0) {
			fprintf(stderr, "nfrace run: cannot start a worker: %s\n", strerror(errno));
			if (fp[k]) {
				fclose(fp[k]);
				remove(names[k]);
			}
			rc = EXIT_USAGE;
			break;
		}
		if (pid[k] == 0) {
			claims.k = k + 1;
			int st = run_shard_to(fp[k], j, o, k + 1, n, true);
			struct rusage ru;
			getrusage(RUSAGE_SELF, &ru);
			fprintf(stderr, "worker %u/%u: %" PRIu64 " executions, %" PRIu64 " subtrees seen, %.1f s CPU\n", k + 1, n,
				j->result.executions, j->result.subtrees,
				(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6);
			_exit(fclose(fp[k]) == 0 && st != EXIT_USAGE ? 0 : 1);
		}
		fclose(fp[k]);
		started++;
	}
	if (wait_workers(pid, started, n) != 0)
		rc = EXIT_USAGE;
	if (!rc && !cli_interrupted)
		rc = join_shards(files, n, j, &sc, &m); /* j is rebuilt from the shards (its model holds pointers into itself) */
	for (uint32_t k = 0; k < started; k++)
		remove(names[k]);
	munmap(claims.bits, CLAIM_BITS / 8);
	if (rc)
		return rc;
	return cli_report_bugs(j, o->paths[0]) ? EXIT_MODEL_BUG : 0;
}

int cli_run_split(struct job *j, const struct cli_opts *o, struct cli_out *json)
{
	uint32_t k, n;
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
	if (o->jobs > 1) {
		FILE *out = o->json && strcmp(o->json, "-") == 0 ? stderr : stdout;
		fprintf(out, "nfrace %s seed %" PRIu64 "\n", NFRACE_VERSION, j->seed);
		int rc = run_parallel(j, o);
		if (cli_interrupted) {
			fprintf(out, "interrupted: exploration incomplete, nothing written\n");
			return EXIT_INCOMPLETE;
		}
		return rc == EXIT_USAGE ? rc : cli_run_finish(j, o, o->paths[0], rc, json);
	}
	int rc = cli_parse_shard(o->shard, &k, &n);
	if (rc)
		return rc;
	if (!o->json || !strcmp(o->json, "-")) {
		fputs("nfrace run: a shard writes its part to --json FILE (join the parts with nfrace merge)\n", stderr);
		return EXIT_USAGE;
	}
	rc = run_shard_to(json->f, j, o, k, n, false);
	if (cli_interrupted || rc == EXIT_USAGE) {
		cli_out_abort(json);
		return cli_interrupted ? EXIT_INCOMPLETE : rc;
	}
	printf("shard %u/%u of %s under %s: %" PRIu64 " executions, %u outcomes (join the shards with nfrace merge)\n", k,
	       n, j->sc->name, j->kernel, j->result.executions, j->outcome_count);
	struct cli_out *outs[] = {json};
	int wrc = cli_out_commit(outs, 1);
	return wrc ? wrc : rc;
}
