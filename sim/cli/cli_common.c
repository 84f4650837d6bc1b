/*
 * cli_common.c - what the subcommands share: option parsing, scenario
 * loading with located errors, job configuration from presets and fix
 * flags, running a job and reporting a broken model, what run prints after
 * exploring (cli_run_finish, for run, run -j and merge), and safe output
 * files.  It calls no subcommand's file.
 */
#include "cli.h"

#include "report.h"
#include "report_cost.h"
#include "scenario_load.h"

#include <errno.h>
#include <inttypes.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_usage(FILE *f)
{
	fputs("usage: nfrace COMMAND [options]\n"
	      "  run SCENARIO [--kernel P] [--fix F]... [--no-fix F]... [--json FILE|-]\n"
	      "      [-j N] [--shard K/N --json PART]   one exploration over N processes; same bytes\n"
	      "  matrix SCENARIO... [--kernels all|P1,P2,...] [--json FILE] [--csv FILE] [--md FILE]\n"
	      "         [-j N] [--shard K/N]     N processes; or only this shard's tasks (--json only)\n"
	      "  merge SHARD.json... [--json FILE]   join shard outputs into the unsharded matrix JSON or run report\n"
	      "  check SCENARIO... [--junit FILE]  verify every expect: of each scenario\n"
	      "  replay SCENARIO --schedule TOKEN [--kernel P] [--fix F]... [--no-fix F]... [--format text|md|mail]\n"
	      "  list kernels|fixes|scenarios\n"
	      "  report SCENARIO... -o DIR [--kernels all|P1,P2,...] [-j N] [--open SCENARIO/P]   one HTML page:\n"
	      "         matrices, witness timelines, figures (same bytes with any -j)\n"
	      "  plots [-o DIR]   every figure of the CSVs in results/ (default DIR results/plots; needs gnuplot)\n"
	      "  prove SCENARIO --fix F [--kernel P] [--format mail]   regression proof: drops without F, none\n"
	      "         with F; else every surviving outcome with replay and diff commands\n"
	      "  prove --all --fix F [SCENARIO...] [--kernels ...]   fixed / still dropping / newly dropping\n"
	      "  diff SCENARIO --schedule TOKEN --kernel A [--fix F]... --vs B [--fix F]... [--format mail]\n"
	      "         one witness under two fix sets (a --fix applies to the side it follows)\n"
	      "  curve SCENARIO --gap FROM:TO:STEP --executions N [--kernels ...] [--csv FILE] [--plot BASE]\n"
	      "         P(drop) against the gap between sends, per preset (timed runs)\n"
	      "  curve EVENTS-SCENARIO --rcvbuf FROM:TO:FACTOR [--kernels ...] [--csv FILE] [--plot BASE]\n"
	      "         events lost against the listeners' receive buffer\n"
	      "options: --explore stateful|dpor|odpor|dfs|stateful-full|random|pct|timed (default: stateful\n"
	      "         for three or more packets, else dpor; events scenarios: timed; stateful: state caching\n"
	      "         with DPOR and symmetry; odpor: optimal DPOR, wakeup trees),\n"
	      "         --max-executions N, --max-steps N, --max-memory SIZE (stateful; default 4G),\n"
	      "         --executions N --seed S [--depth d] (random, pct and timed sampling),\n"
	      "         --gap NS (timed: packet k is sent k*NS after the first),\n"
	      "         --time-limit SECONDS (not deterministic), --seed S,\n"
	      "         --check-determinism (run twice, compare), --plant lock-order|abort (a planted bug),\n"
	      "         --count-classes (count Mazurkiewicz trace classes of the explored executions),\n"
	      "         --witness-bound K (run: minimise witnesses up to K preemptions, default 3)\n"
	      "exit: 0 done, 1 expectation failed, 2 bad input, 3 incomplete, 4 model invariant broke\n",
	      f);
}

static int parse_u64(const char *opt, const char *v, uint64_t *out);

/* A byte count with an optional K, M or G suffix (powers of 1024), over 0. */
static int parse_size(const char *opt, const char *v, uint64_t *out)
{
	char num[32];
	size_t n = v ? strlen(v) : 0;
	uint64_t scale = 1;
	if (n && n < sizeof(num)) {
		const char *units = "KMG";
		const char *u = strchr(units, v[n - 1]);
		if (u && v[n - 1]) {
			scale = (uint64_t)1 << (10 * (1 + (u - units)));
			n--;
		}
	}
	if (!n || n >= sizeof(num)) {
		fprintf(stderr, "nfrace: %s needs a size in bytes (K, M or G may follow)\n", opt);
		return EXIT_USAGE;
	}
	memcpy(num, v, n);
	num[n] = '\0';
	uint64_t x;
	int rc = parse_u64(opt, num, &x);
	if (rc)
		return rc;
	if (x == 0 || x > UINT64_MAX / scale) {
		fprintf(stderr, "nfrace: %s: '%s' is out of range\n", opt, v);
		return EXIT_USAGE;
	}
	*out = x * scale;
	return 0;
}

static int parse_u64(const char *opt, const char *v, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!v || !*v || *v == '-') {
		fprintf(stderr, "nfrace: %s needs a non-negative integer\n", opt);
		return EXIT_USAGE;
	}
	unsigned long long x = strtoull(v, &end, 0);
	if (errno || *end) {
		fprintf(stderr, "nfrace: %s: '%s' is not a non-negative integer\n", opt, v);
		return EXIT_USAGE;
	}
	*out = x;
	return 0;
}

/* An integer option that must lie in [min, max]; the error names the range. */
static int parse_u32_range(const char *opt, const char *v, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t x;
	int rc = parse_u64(opt, v, &x);
	if (rc)
		return rc;
	if (x < min || x > max) {
		fprintf(stderr, "nfrace: %s is %u to %u\n", opt, min, max);
		return EXIT_USAGE;
	}
	*out = (uint32_t)x;
	return 0;
}

static int parse_explore(const char *v, enum sim_strategy *s)
{
	if (v && strcmp(v, "dpor") == 0)
		*s = SIM_EXPLORE_DPOR;
	else if (v && strcmp(v, "odpor") == 0)
		*s = SIM_EXPLORE_ODPOR;
	else if (v && strcmp(v, "stateful") == 0)
		*s = SIM_EXPLORE_STATEFUL;
	else if (v && strcmp(v, "stateful-full") == 0)
		*s = SIM_EXPLORE_STATEFUL_FULL;
	else if (v && strcmp(v, "dfs") == 0)
		*s = SIM_EXPLORE_DFS;
	else if (v && strcmp(v, "random") == 0)
		*s = SIM_EXPLORE_RANDOM;
	else if (v && strcmp(v, "pct") == 0)
		*s = SIM_EXPLORE_PCT;
	else if (v && strcmp(v, "timed") == 0)
		*s = SIM_EXPLORE_TIMED;
	else {
		fprintf(stderr, "nfrace: --explore takes dpor, odpor, dfs, random, pct or timed\n");
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_plant(const char *v, uint32_t *plants)
{
	if (v && !strcmp(v, "lock-order")) {
		*plants |= PLANT_LOCK_ORDER;
		return 0;
	}
	if (v && !strcmp(v, "abort")) {
		*plants |= PLANT_ABORT;
		return 0;
	}
	fprintf(stderr, "nfrace: --plant takes lock-order or abort\n");
	return EXIT_USAGE;
}

/* One option with a value; returns 0, EXIT_USAGE, or -1 if opt is not one of these. */
static int parse_valued(struct cli_opts *o, const char *opt, const char *v)
{
	uint64_t secs;
	int rc;
	if (!strcmp(opt, "--kernel"))
		o->kernel = v;
	else if (!strcmp(opt, "--kernels"))
		o->kernels = v;
	else if (!strcmp(opt, "--json"))
		o->json = v;
	else if (!strcmp(opt, "--csv"))
		o->csv = v;
	else if (!strcmp(opt, "--md"))
		o->md = v;
	else if (!strcmp(opt, "-o"))
		o->out = v;
	else if (!strcmp(opt, "--shard"))
		o->shard = v;
	else if (!strcmp(opt, "--format")) {
		if (strcmp(v, "text") && strcmp(v, "md") && strcmp(v, "mail")) {
			fputs("nfrace: --format takes text, md or mail\n", stderr);
			return EXIT_USAGE;
		}
		o->format = v;
	}
	else if (!strcmp(opt, "-j"))
		return parse_u32_range(opt, v, 1, 64, &o->jobs);
	else if (!strcmp(opt, "--schedule"))
		o->schedule = v;
	else if (!strcmp(opt, "--junit"))
		o->junit = v;
	else if (!strcmp(opt, "--vs"))
		o->vs = v;
	else if (!strcmp(opt, "--fix") && o->fix_count < 32)
		o->fix[o->fix_count++] = v;
	else if (!strcmp(opt, "--no-fix") && o->no_fix_count < 32)
		o->no_fix[o->no_fix_count++] = v;
	else if (!strcmp(opt, "--plant"))
		return parse_plant(v, &o->plants);
	else if (!strcmp(opt, "--explore")) {
		o->strategy_given = true;
		return parse_explore(v, &o->strategy);
	} else if (!strcmp(opt, "--gap"))
		o->gap = v;
	else if (!strcmp(opt, "--rcvbuf"))
		o->rcvbuf = v;
	else if (!strcmp(opt, "--plot"))
		o->plot = v;
	else if (!strcmp(opt, "--max-executions") || !strcmp(opt, "--executions"))
		return parse_u64(opt, v, &o->bounds.executions_max);
	else if (!strcmp(opt, "--max-memory"))
		return parse_size(opt, v, &o->bounds.memory_max);
	else if (!strcmp(opt, "--depth"))
		return parse_u32_range(opt, v, 1, 16, &o->pct_depth);
	else if (!strcmp(opt, "--max-steps"))
		return parse_u64(opt, v, &o->bounds.steps_max);
	else if (!strcmp(opt, "--seed"))
		return parse_u64(opt, v, &o->seed);
	else if (!strcmp(opt, "--witness-bound"))
		return parse_u32_range(opt, v, 0, 16, &o->witness_bound);
	else if (!strcmp(opt, "--time-limit")) {
		if ((rc = parse_u64(opt, v, &secs)) != 0)
			return rc;
		o->bounds.wall_ms_max = secs * 1000;
	} else
		return -1;
	return 0;
}

volatile sig_atomic_t cli_interrupted;

/* A progress line on stderr, once a second, for runs that last over a second.
 * Wall time reaches only stderr, never a result. */
static void progress_line(void *ctx, const struct sim_result *r)
{
	static struct timespec start, last;
	static const struct sim_result *seen;
	struct timespec now;
	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (seen != r || (r->executions <= 4096 && r->states <= 4096)) {
		seen = r;
		start = last = now;
		return;
	}
	double since = (double)(now.tv_sec - last.tv_sec) + (double)(now.tv_nsec - last.tv_nsec) / 1e9;
	double total = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
	if (since < 1.0)
		return;
	last = now;
	if (r->states) /* state caching: states, not executions */
		fprintf(stderr, "progress: %" PRIu64 " states, %" PRIu64 " transitions in %.0f s (%.0f states/s), %" PRIu64
				" MiB", r->states, r->transitions, total, (double)r->states / total, r->memory_peak >> 20);
	else
		fprintf(stderr, "progress: %" PRIu64 " executions in %.0f s (%.0f/s), %" PRIu64 " pruned", r->executions,
			total, (double)r->executions / total, r->pruned);
	/* explore.h: an estimate from the position in the tree; it runs low under dpor */
	if (r->states)
		fputs("; no estimate of what is left (a state's future is unknown until explored)", stderr);
	else if (r->done_fraction >= 0.001)
		fprintf(stderr, "; about %.1f%% of the tree done: estimated %.2g executions, %.0f s in all",
			100 * r->done_fraction, (double)r->executions / r->done_fraction, total / r->done_fraction);
	else
		fputs("; under 0.1% of the tree done", stderr);
	fputc('\n', stderr);
	/* once per run, when it will take over a minute: what to reduce */
	static const struct sim_result *hinted;
	if (ctx && hinted != r && total >= 5 && (r->done_fraction < 0.001 || total / r->done_fraction > 60)) {
		hinted = r;
		report_cost_hint(stderr, ctx);
	}
}

int cli_parse(int argc, char **argv, struct cli_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->strategy = SIM_EXPLORE_DPOR;
	o->bounds.interrupt = &cli_interrupted;
	o->bounds.progress = progress_line;
	o->witness_bound = 3;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--check-determinism")) {
			o->check_determinism = true;
			continue;
		}
		if (!strcmp(a, "--count-classes")) {
			o->bounds.count_classes = true;
			continue;
		}
		if (a[0] != '-' || !strcmp(a, "-")) {
			if (o->path_count == 256) {
				fputs("nfrace: too many arguments\n", stderr);
				return EXIT_USAGE;
			}
			o->paths[o->path_count++] = a;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "nfrace: option %s needs a value\n", a);
			return EXIT_USAGE;
		}
		int rc = parse_valued(o, a, argv[i + 1]);
		if (rc < 0) {
			fprintf(stderr, "nfrace: unknown option %s\n", a);
			return EXIT_USAGE;
		}
		if (rc)
			return rc;
		i++;
	}
	return 0;
}

int cli_load(const char *path, struct scenario *sc)
{
	struct scenario_error err;
	char msg[1024];
	if (scenario_load_file(path, sc, &err) == 0)
		return 0;
	scenario_error_format(&err, msg, sizeof(msg));
	fprintf(stderr, "%s\n", msg);
	return EXIT_USAGE;
}

enum sim_strategy cli_default_strategy(const struct scenario *sc)
{
	/* docs/performance.md: with three packets or more, state caching wins
	 * (three datagrams, two endpoints, replies: 0.7 s against 83 s under
	 * dpor); with two, dpor takes milliseconds and keeps its figures */
	return sc->packet_count >= 3 ? SIM_EXPLORE_STATEFUL : SIM_EXPLORE_DPOR;
}

int cli_job(struct job *j, const struct scenario *sc, const char *preset, const struct cli_opts *o)
{
	const char *name = preset ? preset : (sc->kernel[0] ? sc->kernel : NULL);
	if (!name) {
		fprintf(stderr, "nfrace: scenario %s names no kernel: give --kernel PRESET\n", sc->name);
		return EXIT_USAGE;
	}
	const struct nf_preset *p = nf_preset_lookup(name);
	if (!p) {
		fprintf(stderr, "nfrace: unknown kernel preset '%s' (see: nfrace list kernels)\n", name);
		return EXIT_USAGE;
	}
	memset(j, 0, sizeof(*j));
	j->sc = sc;
	j->kernel = p->name;
	j->fixes = p->fixes;
	for (uint32_t k = 0; k < o->fix_count + o->no_fix_count; k++) {
		bool add = k < o->fix_count;
		const char *fname = add ? o->fix[k] : o->no_fix[k - o->fix_count];
		const struct nf_fix_info *fi = nf_fix_lookup(fname);
		if (!fi) {
			fprintf(stderr, "nfrace: unknown or ambiguous fix '%s' (see: nfrace list fixes)\n", fname);
			return EXIT_USAGE;
		}
		if (add)
			j->fixes |= 1u << (unsigned)fi->id;
		else
			j->fixes &= ~(1u << (unsigned)fi->id);
	}
	j->plants = o->plants;
	j->pct_depth = o->pct_depth;
	j->strategy = o->strategy_given ? o->strategy : cli_default_strategy(sc);
	j->bounds = o->bounds;
	if (sim_strategy_stateful(j->strategy) && !j->bounds.memory_max)
		j->bounds.memory_max = CLI_MEMORY_DEFAULT;
	/* a bound may stop the exploration: sample first (program.h) */
	j->presample = j->bounds.wall_ms_max || j->bounds.executions_max || j->bounds.memory_max;
	j->bounds.progress_ctx = (void *)sc; /* the progress line's cost hint */
	/* optimal DPOR is not split: its wakeup trees carry what one subtree's
	 * races demand of another's (explore.h) */
	j->bounds.split_depth = j->strategy == SIM_EXPLORE_ODPOR || sim_strategy_stateful(j->strategy) ? 0 : CLI_SPLIT_DEPTH;
	j->seed = o->seed;
	if (sc->events.present && sim_strategy_stateful(j->strategy)) {
		fputs("nfrace: events scenarios have no state-caching form (use timed, random, pct, dpor or dfs)\n", stderr);
		return EXIT_USAGE;
	}
	if (sc->events.present) {
		/* an events scenario is one timeline unless told otherwise */
		if (!o->strategy_given)
			j->strategy = SIM_EXPLORE_TIMED;
		if (j->strategy == SIM_EXPLORE_TIMED && !j->bounds.executions_max)
			j->bounds.executions_max = 1;
		if (!j->bounds.steps_max)
			j->bounds.steps_max = UINT64_MAX;
	}
	if ((j->strategy == SIM_EXPLORE_RANDOM || j->strategy == SIM_EXPLORE_PCT || j->strategy == SIM_EXPLORE_TIMED) &&
	    !j->bounds.executions_max) {
		fputs("nfrace: --explore random|pct|timed needs --executions N\n", stderr);
		return EXIT_USAGE;
	}
	return 0;
}

int cli_parse_gap(const char *v, uint64_t *gap)
{
	int rc = parse_u64("--gap", v, gap);
	if (!rc && *gap > 100000000u) {
		fputs("nfrace: --gap is at most 100000000 ns\n", stderr);
		return EXIT_USAGE;
	}
	return rc;
}

void cli_gap_apply(struct scenario *sc, uint64_t gap_ns)
{
	for (uint32_t k = 0; k < sc->packet_count; k++)
		sc->packets[k].send_ns = (uint32_t)(k * gap_ns);
}

int cli_parse_shard(const char *spec, uint32_t *k, uint32_t *n)
{
	unsigned kk, nn;
	char extra;
	if (sscanf(spec, "%u/%u%c", &kk, &nn, &extra) != 2 || nn == 0 || kk == 0 || kk > nn || nn > CLI_SHARDS_MAX) {
		fprintf(stderr, "nfrace: --shard takes K/N with 1 <= K <= N <= %d\n", CLI_SHARDS_MAX);
		return EXIT_USAGE;
	}
	*k = kk;
	*n = nn;
	return 0;
}

FILE *cli_out_open(const char *path, char *tmp, size_t tmp_size)
{
	if (!strcmp(path, "-")) {
		tmp[0] = '\0';
		return stdout;
	}
	snprintf(tmp, tmp_size, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f)
		fprintf(stderr, "nfrace: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

int cli_out_commit(FILE *f, const char *path, const char *tmp)
{
	if (f == stdout)
		return fflush(f) == 0 ? 0 : EXIT_USAGE;
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "nfrace: cannot write %s: %s\n", path, strerror(errno));
		remove(tmp);
		return EXIT_USAGE;
	}
	return 0;
}

void cli_out_abort(FILE *f, const char *path, const char *tmp)
{
	(void)path;
	if (f && f != stdout) {
		fclose(f);
		remove(tmp);
	}
}

char *cli_read_exact(FILE *f, size_t n)
{
	char *s = malloc(n + 1);
	if (!s || fread(s, 1, n, f) != n) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

void cli_json_array(FILE *f, uint32_t ntasks, const char *(*at)(uint32_t t))
{
	bool first = true;
	fputs("[\n", f);
	for (uint32_t t = 0; t < ntasks; t++) {
		const char *s = at(t);
		if (!s || !*s)
			continue;
		fprintf(f, "%s%s", first ? "" : ",\n", s);
		first = false;
	}
	fputs("\n]\n", f);
}

/* Each command runs one job at a time; its storage is static (about half a
 * megabyte of outcome slots), so no error path has anything to free. */
struct job *cli_job_storage(void)
{
	static struct job storage;
	memset(&storage, 0, sizeof(storage));
	return &storage;
}

bool cli_check_determinism;

static void job_run_or_die(struct job *j)
{
	if (job_run(j) != 0) {
		fputs("nfrace: out of memory\n", stderr);
		exit(EXIT_USAGE);
	}
}

/* --check-determinism: a second run must give the same bytes. */
static int rerun_and_compare(const struct job *j)
{
	static struct job again;
	again = *j;
	job_run_or_die(&again);
	if (again.outcome_count == j->outcome_count && !memcmp(&again.result, &j->result, sizeof(j->result)) &&
	    !memcmp(again.outcomes, j->outcomes, j->outcome_count * sizeof(struct outcome)) &&
	    !memcmp(&again.ev_sum, &j->ev_sum, sizeof(j->ev_sum)) && again.ev_in_sync_ms_max == j->ev_in_sync_ms_max)
		return 0;
	fprintf(stderr, "nfrace: NONDETERMINISM: two runs of %s under %s differ\n", j->sc->name, j->kernel);
	return EXIT_MODEL_BUG;
}

int cli_report_bugs(const struct job *j, const char *path)
{
	if (j->failed) {
		fprintf(stderr, "nfrace: MODEL INVARIANT BROKEN in %s under %s: %s\n  replay: nfrace replay %s --kernel %s%s --schedule %s\n",
			j->sc->name, j->kernel, j->fail_message, path, j->kernel, report_replay_options(j), j->fail_schedule);
		return EXIT_MODEL_BUG;
	}
	if (j->deadlocked) {
		fprintf(stderr, "nfrace: DEADLOCK in %s under %s: no CPU can run and some have not finished\n  replay: nfrace replay %s --kernel %s%s --schedule %s\n",
			j->sc->name, j->kernel, path, j->kernel, report_replay_options(j), j->deadlock_schedule);
		return EXIT_MODEL_BUG;
	}
	return 0;
}

char cli_crash_replay[CLI_CRASH_REPLAY_MAX];
const char *cli_crash_note = "";

void cli_crash_context(const struct job *j, const char *path)
{
	size_t n, size = sizeof(cli_crash_replay);
	const struct nf_preset *p = nf_preset_lookup(j->kernel);
	const struct nf_fix_info *fix = nf_fix_table();
	n = (size_t)snprintf(cli_crash_replay, size, "nfrace replay %s --kernel %s", path, j->kernel);
	for (size_t i = 0; i < FIX_COUNT && p && n < size; i++) {
		bool want = nf_fixset_has(j->fixes, (enum nf_fix_id)i), has = nf_fixset_has(p->fixes, (enum nf_fix_id)i);
		if (want != has)
			n += (size_t)snprintf(cli_crash_replay + n, size - n, " --%s %s", want ? "fix" : "no-fix", fix[i].name);
	}
	if (n < size)
		snprintf(cli_crash_replay + n, size - n, "%s", report_replay_options(j));
	/* a state-caching run explores the symmetric form of the model (model.h),
	 * whose decisions replay as written only without interchangeable CPUs */
	cli_crash_note = sim_strategy_stateful(j->strategy)
				 ? "  (a state-caching run: if CPUs send equal packets, the prefix is of the model's symmetric\n"
				   "   form and does not replay; rerun with --explore dpor or random for one that does)\n"
				 : "";
}

/* Run a configured job; report a broken invariant or a deadlock.  Returns 0
 * or EXIT_MODEL_BUG. */
int cli_run_job(struct job *j, const char *path)
{
	cli_crash_context(j, path);
	job_run_or_die(j);
	if (cli_report_bugs(j, path))
		return EXIT_MODEL_BUG;
	/* a run cut short by the wall clock is the one input that may differ */
	if (cli_check_determinism && (job_exit_complete(j) || !j->bounds.wall_ms_max))
		return rerun_and_compare(j);
	return 0;
}

/* The preset names of --kernels (all, or a comma-separated list). */
int cli_kernel_list(const char *spec, const char **names, uint32_t *count)
{
	size_t n;
	const struct nf_preset *t = nf_preset_table(&n);
	static char buf[1024];
	*count = 0;
	if (!spec || !strcmp(spec, "all")) {
		for (size_t i = 0; i < n; i++)
			names[(*count)++] = t[i].name;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		const struct nf_preset *p = nf_preset_lookup(tok);
		if (!p || *count == 32) {
			fprintf(stderr, "nfrace: unknown kernel preset '%s' (see: nfrace list kernels)\n", tok);
			return EXIT_USAGE;
		}
		names[(*count)++] = p->name;
	}
	return 0;
}

int cli_worse(int a, int b)
{
	static const int rank[] = {0, 2, 3, 1, 4}; /* ok < incomplete < expect < usage < bug */
	return rank[b] > rank[a] ? b : a;
}

int cli_one_scenario_job(int argc, char **argv, const char *usage, bool need_schedule, struct cli_opts *o,
			 struct scenario *sc, struct job **j)
{
	int rc = cli_parse(argc, argv, o);
	if (rc)
		return rc;
	cli_check_determinism = o->check_determinism;
	if (o->path_count != 1 || (need_schedule && !o->schedule)) {
		fprintf(stderr, "%s\n", usage);
		return EXIT_USAGE;
	}
	if ((rc = cli_load(o->paths[0], sc)) != 0)
		return rc;
	if (o->gap) {
		uint64_t gap;
		if ((rc = cli_parse_gap(o->gap, &gap)) != 0)
			return rc;
		cli_gap_apply(sc, gap);
	}
	*j = cli_job_storage();
	if ((rc = cli_job(*j, sc, o->kernel, o)) != 0)
		return rc;
	cli_crash_context(*j, o->paths[0]);
	return 0;
}

int cli_run_finish(struct job *j, const struct cli_opts *o, const char *path, int rc)
{
	char tmp[4096];
	FILE *out = o->json && strcmp(o->json, "-") == 0 ? stderr : stdout;
	FILE *jf = o->json ? cli_out_open(o->json, tmp, sizeof(tmp)) : NULL;
	if (o->json && !jf)
		return EXIT_USAGE;
	/* an incomplete run that found a drop still shows its minimal witness */
	bool drop = !job_is_events(j) && (j->drop_executions || j->presample_drops);
	if (!rc && (j->result.complete || drop) && job_minimize_witnesses(j, o->witness_bound, 2000000) != 0) {
		fputs("nfrace: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	if (!rc && j->failed) {
		fprintf(stderr, "nfrace: %s\n  schedule: %s\n", j->fail_message, j->fail_schedule);
		rc = EXIT_MODEL_BUG;
	}
	if (rc || cli_interrupted) {
		cli_out_abort(jf, o->json, tmp);
		if (cli_interrupted)
			fprintf(out, "interrupted: exploration incomplete, nothing written\n");
		return rc ? rc : EXIT_INCOMPLETE;
	}
	report_summary(out, j, path);
	if (jf) {
		report_json(jf, j, 0);
		fputc('\n', jf);
		if ((rc = cli_out_commit(jf, o->json, tmp)) != 0)
			return rc;
	}
	rc = job_exit_complete(j) ? EXIT_OK : EXIT_INCOMPLETE;
	return rc;
}
