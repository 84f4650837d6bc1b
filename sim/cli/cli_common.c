/*
 * cli_common.c - what the subcommands share: option parsing, scenario
 * loading with located errors, job configuration from presets and fix
 * flags, running a job and reporting a broken model, what run prints after
 * exploring (cli_run_finish, for run, run -j and merge), and safe output
 * files.  It calls no subcommand's file.
 */
#include "cli.h"

#include "model.h"
#include "job_shard.h"
#include "report.h"
#include "report_cost.h"
#include "scenario_load.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the subcommands and their options ---------------------------------- */

#define BIT(c) (1u << (unsigned)(c))

/* Each subcommand: its name, what follows it, and one line on what it does. */
static const struct {
	const char *name, *synopsis, *summary;
} commands[CLI_CMD_COUNT] = {
	[CLI_RUN] = {"run", "SCENARIO [options]",
		     "explore one scenario under one fix set: every distinct outcome with a minimal witness\n"
		     "and its replay command; -j N or --shard K/N split it over processes (same bytes)"},
	[CLI_MATRIX] = {"matrix", "SCENARIO... [options]",
			"the scenario x preset table (text, --json, --csv, --md); -j N processes or\n"
			"--shard K/N (join the parts with nfrace merge), same bytes as one process"},
	[CLI_CHECK] = {"check", "SCENARIO... [options]",
		       "verify every expect: entry of each scenario (the CI race matrix); a scenario that\n"
		       "does not load is an errored case and the others still run"},
	[CLI_REPLAY] = {"replay", "SCENARIO --schedule TOKEN [options]",
			"the one execution a schedule token names, traced one column per CPU"},
	[CLI_LIST] = {"list", "kernels|fixes|scenarios", "the kernel presets, the fix flags, the bundled scenarios"},
	[CLI_PROVE] = {"prove", "SCENARIO --fix F [options]\n       nfrace prove --all --fix F [SCENARIO...] [options]",
		       "regression proof for one fix: drops without it, none with it; when it fails, every\n"
		       "surviving outcome with replay and diff commands; --all: fixed / still / newly dropping"},
	[CLI_DIFF] = {"diff", "SCENARIO --schedule TOKEN --kernel A [--fix F]... --vs B [--fix F]... [options]",
		      "one witness replayed under two fix sets, side by side from where they part (a --fix or\n"
		      "--no-fix applies to the side it follows: before --vs to A, after it to B)"},
	[CLI_MERGE] = {"merge", "SHARD... [options]",
		       "join shard files: matrix shards into the unsharded --json, run shards into the run\n"
		       "report, check shards into one report and --junit file"},
	[CLI_CURVE] = {"curve", "SCENARIO --gap FROM:TO:STEP --executions N [options]\n"
				"       nfrace curve EVENTS-SCENARIO --rcvbuf FROM:TO:FACTOR [options]",
		       "P(drop) against the gap between the sends per preset (timed runs), or for an events\n"
		       "scenario the events lost against the listeners' receive buffer"},
	[CLI_REPORT] = {"report", "SCENARIO... -o DIR [options]",
			"one HTML page DIR/index.html: fix matrix, every drop cell's witness step by step,\n"
			"figures (same bytes with any -j)"},
	[CLI_PLOTS] = {"plots", "[-o DIR]", "figures of the CSV files in results/ (gnuplot), default DIR results/plots"},
};

/* Option groups by what the subcommand does. */
#define EXPLORERS (BIT(CLI_RUN) | BIT(CLI_MATRIX) | BIT(CLI_CHECK) | BIT(CLI_PROVE) | BIT(CLI_REPORT))
#define SAMPLERS (EXPLORERS | BIT(CLI_CURVE))
#define FIX_SETS (SAMPLERS | BIT(CLI_REPLAY) | BIT(CLI_DIFF))

struct cli_option;
typedef int (*cli_setter)(struct cli_opts *o, const struct cli_option *opt, const char *v);

/*
 * struct cli_option - one row of the option table.  A new option is one row:
 * its name, its value's name (NULL for a flag), the subcommands that take it,
 * the setter and the field of struct cli_opts it fills (offsetof), the range
 * of an integer, and its help line.  Rows with the same setter and field are
 * one option under two names (--executions, --max-executions).
 */
struct cli_option {
	const char *name;
	const char *value;
	uint32_t cmds;
	cli_setter set;
	size_t field;
	uint64_t min, max;
	const char *help;
};

static void *field_of(struct cli_opts *o, const struct cli_option *opt)
{
	return (char *)o + opt->field;
}

static int set_str(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	if (!*v) {
		fprintf(stderr, "nfrace %s: %s needs a value, not an empty string\n", commands[o->cmd].name, opt->name);
		return EXIT_USAGE;
	}
	*(const char **)field_of(o, opt) = v;
	return 0;
}

static int set_flag(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	(void)v;
	*(bool *)field_of(o, opt) = true;
	return 0;
}

static int set_u64(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	return cli_parse_decimal(opt->name, v, opt->min, opt->max, field_of(o, opt));
}

static int set_u32(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	uint64_t x;
	int rc = cli_parse_decimal(opt->name, v, opt->min, opt->max, &x);
	assert(opt->max <= UINT32_MAX);
	if (!rc)
		*(uint32_t *)field_of(o, opt) = (uint32_t)x;
	return rc;
}

/* --time-limit SECONDS: kept in milliseconds. */
static int set_seconds(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	uint64_t secs;
	int rc = cli_parse_decimal(opt->name, v, opt->min, opt->max, &secs);
	if (!rc)
		*(uint64_t *)field_of(o, opt) = secs * 1000u;
	return rc;
}

/* --fix F and --no-fix F: at most CLI_FIX_MAX each. */
static int set_fix(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	bool add = !strcmp(opt->name, "--fix");
	uint32_t *count = add ? &o->fix_count : &o->no_fix_count;
	if (*count == CLI_FIX_MAX) {
		fprintf(stderr, "nfrace %s: at most %d %s options (there are %d fix flags)\n", commands[o->cmd].name,
			CLI_FIX_MAX, opt->name, FIX_COUNT);
		return EXIT_USAGE;
	}
	(add ? o->fix : o->no_fix)[(*count)++] = v;
	return 0;
}

static int set_explore(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	static const struct {
		const char *name;
		enum sim_strategy s;
	} names[] = {{"stateful", SIM_EXPLORE_STATEFUL}, {"dpor", SIM_EXPLORE_DPOR},	{"odpor", SIM_EXPLORE_ODPOR},
		     {"dfs", SIM_EXPLORE_DFS}, {"stateful-full", SIM_EXPLORE_STATEFUL_FULL}, {"random", SIM_EXPLORE_RANDOM},
		     {"pct", SIM_EXPLORE_PCT}, {"timed", SIM_EXPLORE_TIMED}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(v, names[i].name)) {
			o->strategy = names[i].s;
			o->strategy_given = true;
			return 0;
		}
	fprintf(stderr, "nfrace: --explore takes %s\n", opt->value);
	return EXIT_USAGE;
}

/* A value out of the row's list of words ("text|md|mail"). */
static int set_word(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	size_t n = strlen(v);
	for (const char *w = opt->value; *w;) {
		size_t len = strcspn(w, "|");
		if (len == n && !strncmp(w, v, n)) {
			*(const char **)field_of(o, opt) = v;
			return 0;
		}
		w += len + (w[len] == '|');
	}
	fprintf(stderr, "nfrace %s: %s takes %s, not '%s'\n", commands[o->cmd].name, opt->name, opt->value, v);
	return EXIT_USAGE;
}

static int set_plant(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	if (!strcmp(v, "lock-order"))
		o->plants |= PLANT_LOCK_ORDER;
	else if (!strcmp(v, "abort"))
		o->plants |= PLANT_ABORT;
	else {
		fprintf(stderr, "nfrace %s: %s takes %s, not '%s'\n", commands[o->cmd].name, opt->name, opt->value, v);
		return EXIT_USAGE;
	}
	return 0;
}

/* A byte count with an optional K, M or G suffix (powers of 1024), over 0. */
static int set_size(struct cli_opts *o, const struct cli_option *opt, const char *v)
{
	char num[32];
	size_t n = strlen(v);
	uint64_t scale = 1, x;
	const char *unit = n ? strchr("KMG", v[n - 1]) : NULL;
	if (unit && *unit) {
		scale = (uint64_t)1 << (10 * (1 + (unit - "KMG")));
		n--;
	}
	if (n >= sizeof(num)) {
		fprintf(stderr, "nfrace %s: %s takes a size in bytes (K, M or G may follow)\n", commands[o->cmd].name,
			opt->name);
		return EXIT_USAGE;
	}
	memcpy(num, v, n);
	num[n] = '\0';
	int rc = cli_parse_decimal(opt->name, num, 1, UINT64_MAX / scale, &x);
	if (!rc)
		*(uint64_t *)field_of(o, opt) = x * scale;
	return rc;
}

#define F(field) offsetof(struct cli_opts, field)
#define ALL_CMDS ((1u << CLI_CMD_COUNT) - 1)

static const struct cli_option options[] = {
	{"--kernel", "P", BIT(CLI_RUN) | BIT(CLI_REPLAY) | BIT(CLI_PROVE) | BIT(CLI_DIFF), set_str, F(kernel), 0, 0,
	 "kernel preset (nfrace list kernels); default: the scenario's kernel:"},
	{"--kernels", "all|P1,P2,...",
	 BIT(CLI_MATRIX) | BIT(CLI_CHECK) | BIT(CLI_CURVE) | BIT(CLI_REPORT) | BIT(CLI_PROVE), set_str, F(kernels), 0, 0,
	 "the presets (default all; check: only the expect: entries of these presets; prove --all)"},
	{"--fix", "F", FIX_SETS, set_fix, F(fix), 0, 0, "add fix F to the preset (short name or commit id prefix)"},
	{"--no-fix", "F", FIX_SETS & ~BIT(CLI_PROVE), set_fix, F(no_fix), 0, 0, "remove fix F from the preset"},
	{"--json", "FILE|-", BIT(CLI_RUN) | BIT(CLI_MATRIX) | BIT(CLI_MERGE), set_str, F(json), 0, 0,
	 "write JSON to FILE (- for stdout); with --shard, this shard's part"},
	{"--csv", "FILE|-", BIT(CLI_MATRIX) | BIT(CLI_CURVE), set_str, F(csv), 0, 0, "write CSV to FILE (- for stdout)"},
	{"--md", "FILE|-", BIT(CLI_MATRIX), set_str, F(md), 0, 0, "write the table as Markdown to FILE"},
	{"--junit", "FILE|-", BIT(CLI_CHECK) | BIT(CLI_MERGE), set_str, F(junit), 0, 0,
	 "write JUnit XML to FILE; with check --shard, this shard's part (join with merge --junit)"},
	{"--annotate", "github", BIT(CLI_CHECK) | BIT(CLI_MERGE), set_word, F(annotate), 0, 0,
	 "print a ::error file=...,line=...:: line at the expect: entry of each failure"},
	{"-o", "DIR", BIT(CLI_REPORT) | BIT(CLI_PLOTS), set_str, F(out), 0, 0, "output directory"},
	{"-j", "N", BIT(CLI_RUN) | BIT(CLI_MATRIX) | BIT(CLI_CHECK) | BIT(CLI_REPORT), set_u32, F(jobs), 1,
	 CLI_SHARDS_MAX, "N worker processes (1 to 64); the output does not depend on N"},
	{"--shard", "K/N", BIT(CLI_RUN) | BIT(CLI_MATRIX) | BIT(CLI_CHECK), set_str, F(shard), 0, 0,
	 "compute only part K of N (1 <= K <= N <= 64); join the parts with nfrace merge"},
	{"--schedule", "TOKEN", BIT(CLI_REPLAY) | BIT(CLI_DIFF), set_str, F(schedule), 0, 0,
	 "the schedule token (nfr1-...) to replay"},
	{"--vs", "B", BIT(CLI_DIFF), set_str, F(vs), 0, 0, "the preset of the right-hand side"},
	{"--format", "text|md|mail", BIT(CLI_REPLAY), set_word, F(format), 0, 0,
	 "text (default), Markdown, or mail: 80 columns, one line per step"},
	{"--format", "text|mail", BIT(CLI_PROVE) | BIT(CLI_DIFF), set_word, F(format), 0, 0,
	 "text (default) or mail: 80 columns, one line per step"},
	{"--all", NULL, BIT(CLI_PROVE), set_flag, F(all), 0, 0,
	 "the fix against every bundled scenario (or those named) and preset: fixed, still or newly dropping"},
	{"--open", "SCENARIO[/P]", BIT(CLI_REPORT), set_str, F(open), 0, 0,
	 "the witness the page opens on (default: the walkthrough's)"},
	{"--explore", "stateful|dpor|odpor|dfs|stateful-full|random|pct|timed", EXPLORERS, set_explore, F(strategy), 0,
	 0,
	 "the strategy (default: stateful for three packets or more, else dpor; events scenarios: one timed "
	 "timeline); stateful: state caching with DPOR and symmetry; odpor: optimal DPOR"},
	{"--max-memory", "SIZE", EXPLORERS, set_size, F(bounds.memory_max), 0, 0,
	 "state caching: the memory its tables may hold (K, M, G; default 4G); past it, incomplete (exit 3)"},
	{"--executions", "N", SAMPLERS, set_u64, F(bounds.executions_max), 1, UINT64_MAX,
	 "executions to sample (random, pct, timed); for exhaustive strategies a bound"},
	{"--max-executions", "N", SAMPLERS, set_u64, F(bounds.executions_max), 1, UINT64_MAX,
	 "stop after N executions (incomplete, exit 3)"},
	{"--max-steps", "N", SAMPLERS | BIT(CLI_REPLAY) | BIT(CLI_DIFF), set_u64, F(bounds.steps_max), 1, UINT64_MAX,
	 "steps per execution (default 100000)"},
	{"--time-limit", "SECONDS", SAMPLERS, set_seconds, F(bounds.wall_ms_max), 1, 31536000,
	 "stop after SECONDS of wall time (incomplete, exit 3; not deterministic)"},
	{"--seed", "S", SAMPLERS, set_u64, F(seed), 0, UINT64_MAX, "seed of sampling and timelines (default 0)"},
	{"--depth", "d", EXPLORERS, set_u32, F(pct_depth), 1, 16, "PCT bug depth (default 2)"},
	{"--gap", "NS", BIT(CLI_RUN) | BIT(CLI_REPLAY), set_str, F(gap), 0, 0,
	 "timed: packet k is sent k*NS after the first (0 to 100000000)"},
	{"--gap", "FROM:TO:STEP", BIT(CLI_CURVE), set_str, F(gap), 0, 0, "the gaps of the curve, in ns"},
	{"--rcvbuf", "FROM:TO:FACTOR", BIT(CLI_CURVE), set_str, F(rcvbuf), 0, 0,
	 "events scenarios: the listeners' receive buffers of the sweep, in bytes"},
	{"--plot", "BASE", BIT(CLI_CURVE), set_str, F(plot), 0, 0, "draw BASE.svg and BASE.png (gnuplot)"},
	{"--count-classes", NULL, BIT(CLI_RUN) | BIT(CLI_MATRIX) | BIT(CLI_CHECK) | BIT(CLI_REPORT), set_flag,
	 F(bounds.count_classes), 0, 0, "count the Mazurkiewicz trace classes of the explored executions"},
	{"--check-determinism", NULL, SAMPLERS, set_flag, F(check_determinism), 0, 0,
	 "run every job twice and compare (exit 4 if they differ)"},
	{"--witness-bound", "K", BIT(CLI_RUN) | BIT(CLI_REPORT) | BIT(CLI_PROVE), set_u32, F(witness_bound), 0, 16,
	 "minimise witnesses up to K preemptions (default 3)"},
	{"--plant", "lock-order|abort", FIX_SETS, set_plant, F(plants), 0, 0, "a planted bug (testing the tester)"},
};
enum { OPTION_COUNT = sizeof(options) / sizeof(options[0]) };

#undef F

bool cli_cmd_lookup(const char *name, enum cli_cmd *cmd)
{
	for (int c = 0; c < CLI_CMD_COUNT; c++)
		if (!strcmp(name, commands[c].name)) {
			*cmd = (enum cli_cmd)c;
			return true;
		}
	return false;
}

void cli_usage(FILE *f)
{
	fputs("usage: nfrace COMMAND [options]   (nfrace COMMAND --help: its options; nfrace --version)\n", f);
	for (int c = 0; c < CLI_CMD_COUNT; c++)
		fprintf(f, "  %-7s %s\n", commands[c].name, commands[c].synopsis);
	fputs("exit: 0 done, 1 expectation failed, 2 bad input or usage, 3 incomplete (a bound or a signal),\n"
	      "      4 model invariant broke\n",
	      f);
}

void cli_help(FILE *f, enum cli_cmd cmd)
{
	fprintf(f, "usage: nfrace %s %s\n\n%s\n", commands[cmd].name, commands[cmd].synopsis, commands[cmd].summary);
	bool any = false;
	for (size_t r = 0; r < OPTION_COUNT; r++) {
		char head[64];
		if (!(options[r].cmds & BIT(cmd)))
			continue;
		if (!any)
			fputs("\noptions:\n", f);
		any = true;
		snprintf(head, sizeof(head), "%s%s%s", options[r].name, options[r].value ? " " : "",
			 options[r].value ? options[r].value : "");
		if (strlen(head) > 26) /* the help on a line of its own */
			fprintf(f, "  %s\n  %-26s %s\n", head, "", options[r].help);
		else
			fprintf(f, "  %-26s %s\n", head, options[r].help);
	}
	fputs("\nexit: 0 done, 1 expectation failed, 2 bad input or usage, 3 incomplete, 4 model invariant broke\n", f);
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int cli_parse_decimal(const char *opt, const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	size_t len = v ? strlen(v) : 0;
	bool digits = len > 0 && len == strspn(v, "0123456789") && (len == 1 || v[0] != '0');
	for (size_t i = 0; digits && i < len; i++) {
		uint64_t d = (uint64_t)(v[i] - '0');
		if (x > (UINT64_MAX - d) / 10) {
			digits = false;
			x = UINT64_MAX; /* overflow: out of range */
			break;
		}
		x = x * 10 + d;
	}
	if (!digits && x != UINT64_MAX) {
		fprintf(stderr, "nfrace: %s takes a decimal number (digits only, no sign or leading zero), not '%s'\n",
			opt, v ? v : "");
		return EXIT_USAGE;
	}
	if (!digits || x < min || x > max) {
		fprintf(stderr, "nfrace: %s is %" PRIu64 " to %" PRIu64 ", not %s\n", opt, min, max, v);
		return EXIT_USAGE;
	}
	*out = x;
	return 0;
}

/* The row of option name; NULL when no subcommand has it.  Of two rows of one
 * name (--gap), the one cmd takes. */
static const struct cli_option *option_row(const char *name, enum cli_cmd cmd)
{
	const struct cli_option *found = NULL;
	for (size_t r = 0; r < OPTION_COUNT; r++)
		if (!strcmp(options[r].name, name) && (!found || (options[r].cmds & BIT(cmd))))
			found = &options[r];
	return found;
}

/* Whether row was given before (under either of its names). */
static bool given_before(const struct cli_opts *o, const struct cli_option *row)
{
	for (size_t r = 0; r < OPTION_COUNT; r++)
		if ((o->given >> r & 1u) && options[r].set == row->set && options[r].field == row->field)
			return true;
	return false;
}

/* One option at argv[*i] (and its value); 0 or EXIT_USAGE. */
static int parse_option(struct cli_opts *o, int argc, char **argv, int *i)
{
	const char *cmd = commands[o->cmd].name, *a = argv[*i];
	const struct cli_option *row = option_row(a, o->cmd);
	if (!row) {
		fprintf(stderr, "nfrace %s: unknown option %s (nfrace %s --help lists the options)\n", cmd, a, cmd);
		return EXIT_USAGE;
	}
	if (!(row->cmds & BIT(o->cmd))) {
		fprintf(stderr, "nfrace %s: %s is not an option of %s (nfrace %s --help lists its options)\n", cmd, a,
			cmd, cmd);
		return EXIT_USAGE;
	}
	if (row->set != set_fix && row->set != set_plant && given_before(o, row)) {
		fprintf(stderr, "nfrace %s: %s given twice\n", cmd, a);
		return EXIT_USAGE;
	}
	o->given |= 1ull << (size_t)(row - options);
	if (!row->value)
		return row->set(o, row, NULL);
	if (*i + 1 >= argc) {
		fprintf(stderr, "nfrace %s: option %s needs a value (%s)\n", cmd, a, row->value);
		return EXIT_USAGE;
	}
	*i += 1;
	return row->set(o, row, argv[*i]);
}

/* --fix F and --no-fix F of one flag together are refused. */
static int check_fix_options(const struct cli_opts *o)
{
	for (uint32_t a = 0; a < o->fix_count; a++)
		for (uint32_t b = 0; b < o->no_fix_count; b++) {
			const struct nf_fix_info *x = nf_fix_lookup(o->fix[a]), *y = nf_fix_lookup(o->no_fix[b]);
			if (x && x == y) {
				fprintf(stderr, "nfrace %s: --fix %s and --no-fix %s name the same fix (%s)\n",
					commands[o->cmd].name, o->fix[a], o->no_fix[b], x->name);
				return EXIT_USAGE;
			}
		}
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

int cli_parse(enum cli_cmd cmd, int argc, char **argv, struct cli_opts *o)
{
	static_assert(OPTION_COUNT <= 64, "struct cli_opts.given has one bit per option row");
	bool options_end = false;
	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->strategy = SIM_EXPLORE_DPOR;
	o->bounds.interrupt = &cli_interrupted;
	o->bounds.progress = progress_line;
	o->witness_bound = 3;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!options_end && !strcmp(a, "--")) {
			options_end = true; /* every later argument is a file */
			continue;
		}
		if (options_end || a[0] != '-' || !strcmp(a, "-")) {
			if (o->path_count == 256) {
				fprintf(stderr, "nfrace %s: too many arguments (at most 256)\n", commands[cmd].name);
				return EXIT_USAGE;
			}
			o->paths[o->path_count++] = a;
			continue;
		}
		int rc = parse_option(o, argc, argv, &i);
		if (rc)
			return rc;
	}
	cli_check_determinism = o->check_determinism;
	return check_fix_options(o);
}

int cli_load(const char *path, struct scenario *sc)
{
	struct scenario_error err;
	char msg[1024];
	if (scenario_load_file(path, sc, &err) == 0)
		return 0;
	if (err.read_errno == EINTR && cli_interrupted)
		return EXIT_INCOMPLETE; /* a signal while waiting for a FIFO's writer */
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
	if (!nf_preset_applies(p, sc->events.present)) {
		/* matrix and report show such a cell as n/a; run and replay refuse it */
		fprintf(stderr, "nfrace: %s is an event-path preset and %s a packets: scenario; run it under a race preset "
				"(see: nfrace list kernels)\n", p->name, sc->name);
		return EXIT_USAGE;
	}
	if (sc->events.present && ev_net_bytes(sc) > CLI_EVENTS_BYTES_MAX) {
		fprintf(stderr, "nfrace: scenario %s: its events run would need %" PRIu64 " MiB (about 170 bytes per flow), "
				"over the %llu MiB allowed; give events.flows a count: or a lower rate_per_s\n",
			sc->name, ev_net_bytes(sc) >> 20, (unsigned long long)CLI_EVENTS_BYTES_MAX >> 20);
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
	return cli_parse_decimal("--gap", v, 0, 100000000u, gap);
}

void cli_gap_apply(struct scenario *sc, uint64_t gap_ns)
{
	for (uint32_t k = 0; k < sc->packet_count; k++)
		sc->packets[k].send_ns = (uint32_t)(k * gap_ns);
}

int cli_parse_fields(const char *opt, const char *spec, char sep, uint64_t *vals, size_t n)
{
	char field[32];
	const char *p = spec;
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(p, (char[]){sep, '\0'});
		bool last = i + 1 == n;
		if (len >= sizeof(field) || (last ? p[len] != '\0' : p[len] != sep)) {
			fprintf(stderr, "nfrace: %s takes %zu decimal numbers separated by '%c', not '%s'\n", opt, n, sep,
				spec);
			return EXIT_USAGE;
		}
		memcpy(field, p, len);
		field[len] = '\0';
		if (cli_parse_decimal(opt, field, 0, UINT64_MAX, &vals[i]) != 0)
			return EXIT_USAGE;
		p += len + 1;
	}
	return 0;
}

int cli_parse_shard(const char *spec, uint32_t *k, uint32_t *n)
{
	uint64_t v[2];
	if (cli_parse_fields("--shard", spec, '/', v, 2) != 0 || v[1] == 0 || v[0] == 0 || v[0] > v[1] ||
	    v[1] > CLI_SHARDS_MAX) {
		fprintf(stderr, "nfrace: --shard takes K/N with 1 <= K <= N <= %d, not '%s'\n", CLI_SHARDS_MAX, spec);
		return EXIT_USAGE;
	}
	*k = (uint32_t)v[0];
	*n = (uint32_t)v[1];
	return 0;
}

/* ---- output files ---------------------------------------------------------- */

/* The outputs opened and not yet committed or aborted: to refuse a second
 * output to the same file, and to keep each memory stream reachable until
 * then (a command that fails early leaves its outputs to the exit). */
enum { OPEN_OUTS_MAX = 8 };
static struct {
	bool used;
	const char *option;
	struct outfile file;
	FILE *f;
} open_outs[OPEN_OUTS_MAX];

static void out_forget(struct cli_out *out)
{
	for (size_t i = 0; i < OPEN_OUTS_MAX; i++)
		if (open_outs[i].used && open_outs[i].f == out->f)
			open_outs[i].used = false;
}

/* Whether two resolved outputs are one file (devices and FIFOs may be shared). */
static bool same_output(const struct outfile *a, const struct outfile *b)
{
	char da[OUTFILE_PATH_MAX], db[OUTFILE_PATH_MAX];
	if (a->kind != b->kind || a->kind == OUTFILE_SPECIAL)
		return false;
	if (a->kind == OUTFILE_STDOUT)
		return true;
	if (a->kind == OUTFILE_REGULAR)
		return a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino;
	const char *ba = strrchr(a->target, '/'), *bb = strrchr(b->target, '/');
	snprintf(da, sizeof(da), "%.*s", ba ? (int)(ba - a->target) + 1 : 1, ba ? a->target : ".");
	snprintf(db, sizeof(db), "%.*s", bb ? (int)(bb - b->target) + 1 : 1, bb ? b->target : ".");
	char *ra = realpath(da, NULL), *rb = realpath(db, NULL);
	bool same = ra && rb && !strcmp(ra, rb) && !strcmp(ba ? ba + 1 : a->target, bb ? bb + 1 : b->target);
	free(ra);
	free(rb);
	return same;
}

int cli_out_open(struct cli_out *out, const char *option, const char *path, const struct cli_opts *o)
{
	char err[OUTFILE_PATH_MAX + 128];
	memset(out, 0, sizeof(*out));
	out->option = option;
	if (!path)
		return 0;
	if (outfile_resolve(&out->file, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "nfrace: %s: %s\n", option, err);
		return EXIT_USAGE;
	}
	for (uint32_t i = 0; o && i < o->path_count; i++)
		if (outfile_is(&out->file, o->paths[i])) {
			fprintf(stderr, "nfrace: %s %s would replace the input file %s; refusing\n", option, path, o->paths[i]);
			return EXIT_USAGE;
		}
	size_t slot = OPEN_OUTS_MAX;
	for (size_t i = 0; i < OPEN_OUTS_MAX; i++) {
		if (open_outs[i].used && same_output(&open_outs[i].file, &out->file)) {
			fprintf(stderr, "nfrace: %s %s and %s %s are the same file\n", open_outs[i].option,
				open_outs[i].file.path, option, path);
			return EXIT_USAGE;
		}
		if (!open_outs[i].used)
			slot = i;
	}
	assert(slot < OPEN_OUTS_MAX);
	out->f = open_memstream(&out->buf, &out->len);
	if (!out->f) {
		fputs("nfrace: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	open_outs[slot].used = true;
	open_outs[slot].option = option;
	open_outs[slot].file = out->file;
	open_outs[slot].f = out->f;
	return 0;
}

void cli_out_abort(struct cli_out *out)
{
	if (!out->f)
		return;
	out_forget(out);
	fclose(out->f);
	outfile_abort(&out->file);
	free(out->buf);
	out->f = NULL;
	out->buf = NULL;
}

static int out_abort_all(struct cli_out *const *outs, size_t n, int rc)
{
	for (size_t i = 0; i < n; i++)
		cli_out_abort(outs[i]);
	if (rc == EXIT_INCOMPLETE)
		fputs("interrupted: nothing written\n", stderr);
	return rc;
}

int cli_out_commit(struct cli_out *const *outs, size_t n)
{
	char err[OUTFILE_PATH_MAX + 128];
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		if (!outs[i]->f)
			continue;
		if (fflush(outs[i]->f) != 0 || ferror(outs[i]->f)) {
			fputs("nfrace: out of memory\n", stderr);
			rc = EXIT_USAGE;
		} else if (outfile_stage(&outs[i]->file, outs[i]->buf, outs[i]->len, err, sizeof(err)) != 0) {
			rc = errno == EINTR && cli_interrupted ? EXIT_INCOMPLETE : EXIT_USAGE;
			if (rc == EXIT_USAGE)
				fprintf(stderr, "nfrace: %s: %s\n", outs[i]->option, err);
		}
	}
	if (!rc && cli_interrupted)
		rc = EXIT_INCOMPLETE; /* the last moment a signal stops the outputs */
	if (rc)
		return out_abort_all(outs, n, rc);
	for (size_t i = 0; i < n; i++) {
		if (!outs[i]->f)
			continue;
		if (!rc && outfile_commit(&outs[i]->file, outs[i]->buf, outs[i]->len, err, sizeof(err)) != 0) {
			fprintf(stderr, "nfrace: %s: %s\n", outs[i]->option, err);
			rc = EXIT_USAGE;
		}
		cli_out_abort(outs[i]); /* releases it; a committed file has nothing left to undo */
	}
	return rc;
}

char *cli_read_exact(FILE *f, size_t n)
{
	char *s = n < SIZE_MAX / 2 ? malloc(n + 1) : NULL;
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

/* ---- the worker pool (-j N) ------------------------------------------------ */

static void on_child(int sig)
{
	(void)sig; /* only to wake sigsuspend */
}

/* In a forked worker: the signal mask and handlers of a plain process, and
 * SIGTERM when the parent dies (a worker never outlives nfrace). */
static bool worker_setup(const sigset_t *old_mask, pid_t parent)
{
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
		return false;
	return true;
}

struct pool_state {
	pid_t pid[CLI_SHARDS_MAX];
	uint32_t task[CLI_SHARDS_MAX];
	FILE *file[CLI_SHARDS_MAX];
	uint32_t running;
	int rc;
};

/* Start task t in a free slot; false when fork or the temporary file fails. */
static bool pool_start(const struct cli_pool *p, struct pool_state *st, uint32_t t, const sigset_t *old_mask)
{
	uint32_t slot = 0;
	while (slot < CLI_SHARDS_MAX && st->pid[slot])
		slot++;
	assert(slot < CLI_SHARDS_MAX);
	FILE *f = tmpfile(); /* unlinked: nothing is left by any signal */
	pid_t parent = getpid(), pid = f ? fork() : -1;
	if (pid < 0) {
		fprintf(stderr, "nfrace %s: cannot start a worker: %s\n", p->who, strerror(errno));
		if (f)
			fclose(f);
		return false;
	}
	if (pid == 0) {
		if (!worker_setup(old_mask, parent))
			_exit(EXIT_USAGE);
		bool ok = p->work(p->ctx, t, f);
		_exit(ok && fflush(f) == 0 && !ferror(f) ? 0 : EXIT_USAGE);
	}
	st->pid[slot] = pid;
	st->task[slot] = t;
	st->file[slot] = f;
	st->running++;
	return true;
}

/* A worker ended: take its result (unless the pool is stopping). */
static void pool_reap(const struct cli_pool *p, struct pool_state *st, pid_t pid, int wst)
{
	uint32_t slot = 0;
	while (slot < CLI_SHARDS_MAX && st->pid[slot] != pid)
		slot++;
	if (slot == CLI_SHARDS_MAX)
		return; /* not ours */
	st->pid[slot] = 0;
	st->running--;
	FILE *f = st->file[slot];
	if (!st->rc && !cli_interrupted) {
		rewind(f);
		if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0 || !p->take(p->ctx, st->task[slot], f)) {
			fprintf(stderr, "nfrace %s: the worker of task %u failed\n", p->who, st->task[slot]);
			st->rc = EXIT_USAGE;
		}
	}
	fclose(f);
}

int cli_pool_run(const struct cli_pool *p, uint32_t ntasks)
{
	static struct pool_state st;
	sigset_t block, old_mask;
	struct sigaction sa, old_chld;
	bool stopping = false;
	uint32_t next = 0;
	assert(p->jobs >= 1 && p->jobs <= CLI_SHARDS_MAX);
	memset(&st, 0, sizeof(st));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, &old_chld);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	/* blocked except inside sigsuspend: a signal cannot slip between a check and the wait */
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	fflush(NULL);
	for (;;) {
		while (!stopping && st.running < p->jobs && next < ntasks) {
			uint32_t t = next++;
			if (p->wanted && !p->wanted(p->ctx, t))
				continue;
			if (!pool_start(p, &st, t, &old_mask))
				st.rc = EXIT_USAGE;
			break; /* start one, then look at signals and exits again */
		}
		if (!stopping && (st.rc || cli_interrupted)) {
			stopping = true;
			for (uint32_t k = 0; k < CLI_SHARDS_MAX; k++)
				if (st.pid[k])
					kill(st.pid[k], SIGTERM);
		}
		int wst;
		pid_t pid = waitpid(-1, &wst, WNOHANG);
		if (pid > 0) {
			pool_reap(p, &st, pid, wst);
			continue;
		}
		if (st.running == 0 && (stopping || next >= ntasks))
			break;
		if (st.running == p->jobs || stopping || next >= ntasks)
			sigsuspend(&old_mask); /* returns after a handler: a worker exited or a signal came */
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGCHLD, &old_chld, NULL);
	if (st.rc)
		return st.rc;
	return cli_interrupted ? EXIT_INCOMPLETE : 0;
}

/* text[0..len) on f, line by line, each line escaped (scenario_escape). */
static void print_lines(FILE *f, const char *text, size_t len)
{
	char line[2048], safe[4 * sizeof(line)];
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - text) - at : len - at;
		snprintf(line, sizeof(line), "%.*s", (int)n, text + at);
		fprintf(f, "%s\n", scenario_escape(line, safe, sizeof(safe)));
		at += n + 1;
	}
}

/* Whether an annotation line is one nfrace writes: a ::error or ::warning
 * with a file, on one line. */
static bool annotation_ok(const char *s, size_t n)
{
	bool error = n > 13 && !memcmp(s, "::error file=", 13), warning = n > 15 && !memcmp(s, "::warning file=", 15);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return error || warning;
}

static void print_annotations(const char *text, size_t len)
{
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - text) - at : len - at;
		if (annotation_ok(text + at, n))
			printf("%.*s\n", (int)n, text + at);
		else
			fputs("nfrace: an annotation line that nfrace does not write was left out\n", stderr);
		at += n + 1;
	}
}

static bool contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(s + i, needle, k))
			return true;
	return false;
}

/* Whether a JUnit test case is one nfrace writes: one <testcase> element. */
static bool testcase_ok(const char *s, size_t n)
{
	static const char head[] = "  <testcase ", tail[] = "</testcase>\n";
	return n > sizeof(head) + sizeof(tail) && !memcmp(s, head, sizeof(head) - 1) &&
	       !memcmp(s + n - (sizeof(tail) - 1), tail, sizeof(tail) - 1) && !contains(s, n, "</testsuite") &&
	       !contains(s + sizeof(head) - 1, n - (sizeof(head) - 1), "<testcase");
}

int cli_check_report(const struct check_task *tasks, uint32_t n, bool annotate, struct cli_out *junit)
{
	uint32_t passed = 0, failed = 0, errors = 0;
	int status = EXIT_OK;
	for (uint32_t t = 0; t < n; t++) {
		const struct check_task *c = &tasks[t];
		print_lines(stdout, c->out, c->out_len);
		if (annotate)
			print_annotations(c->annotations, c->annotations_len);
		status = cli_worse(status, c->status);
		if (c->status == EXIT_OK)
			passed++;
		else if (c->status == EXIT_EXPECT || c->status == EXIT_INCOMPLETE)
			failed++;
		else
			errors++;
	}
	printf("%u passed, %u failed", passed, failed);
	printf(errors ? ", %u errors\n" : "\n", errors);
	if (!junit->f)
		return status;
	fprintf(junit->f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"nfrace race matrix\" tests=\"%u\" "
		"failures=\"%u\" errors=\"%u\">\n",
		n, failed, errors);
	for (uint32_t t = 0; t < n; t++) {
		if (testcase_ok(tasks[t].junit, tasks[t].junit_len))
			fwrite(tasks[t].junit, 1, tasks[t].junit_len, junit->f);
		else
			fputs("  <testcase classname=\"nfrace\" name=\"merge\"><error message=\"a test case that nfrace "
			      "does not write\"/></testcase>\n", junit->f);
	}
	fputs("</testsuite>\n", junit->f);
	struct cli_out *outs[] = {junit};
	int rc = cli_out_commit(outs, 1);
	return rc ? rc : status;
}

char *cli_identity(const char *kind, const struct cli_opts *o, const struct scenario *scs, const bool *loaded,
		   uint32_t ns, const char *const *kernels, uint32_t nk)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return NULL;
	fprintf(m, "nfrace %s %s %s\n", NFRACE_VERSION, NFRACE_MODEL_VERSION, kind);
	for (uint32_t s = 0; s < ns; s++) {
		if (loaded && !loaded[s])
			fprintf(m, "scenario %s (does not load)\n", o->paths[s]);
		else
			fprintf(m, "scenario %s %016" PRIx64 "\n", o->paths[s], nf_model_hash(&scs[s], 0, 0));
	}
	fputs("kernels", m);
	for (uint32_t k = 0; k < nk; k++)
		fprintf(m, "%s%s", k ? "," : " ", kernels[k]);
	fprintf(m, "\noptions %s seed %" PRIu64 " executions %" PRIu64 " steps %" PRIu64 " time-limit-ms %" PRIu64
		   " memory %" PRIu64 " depth %u plants %u classes %d",
		o->strategy_given ? sim_strategy_name(o->strategy) : "default", o->seed, o->bounds.executions_max,
		o->bounds.steps_max, o->bounds.wall_ms_max, o->bounds.memory_max, o->pct_depth, o->plants,
		(int)o->bounds.count_classes);
	for (uint32_t f = 0; f < o->fix_count; f++)
		fprintf(m, " fix %s", nf_fix_lookup(o->fix[f]) ? nf_fix_lookup(o->fix[f])->name : o->fix[f]);
	for (uint32_t f = 0; f < o->no_fix_count; f++)
		fprintf(m, " no-fix %s", nf_fix_lookup(o->no_fix[f]) ? nf_fix_lookup(o->no_fix[f])->name : o->no_fix[f]);
	fputc('\n', m);
	if (fclose(m) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int cli_read_input(const char *path, size_t max, char **text, size_t *len)
{
	int e = scenario_read_input(path, max, text, len);
	if (e == 0)
		return 0;
	if (e == EINTR && cli_interrupted)
		return EXIT_INCOMPLETE;
	fprintf(stderr, "%s:0:0: cannot read file: %s\n", path, strerror(e));
	return EXIT_USAGE;
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
	snprintf(cli_crash_replay, sizeof(cli_crash_replay), "nfrace replay %s --kernel %s%s", path, j->kernel,
		 report_replay_options(j));
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

/* The preset names of --kernels (all, or a comma-separated list): an empty
 * list or item, an unknown preset and a preset named twice are refused. */
int cli_kernel_list(const char *spec, const char **names, uint32_t *count)
{
	size_t n;
	const struct nf_preset *t = nf_preset_table(&n);
	*count = 0;
	if (!spec || !strcmp(spec, "all")) {
		assert(n <= CLI_MATRIX_KERNELS_MAX);
		for (size_t i = 0; i < n; i++)
			names[(*count)++] = t[i].name;
		return 0;
	}
	for (const char *p = spec;; p++) {
		char name[64];
		size_t len = strcspn(p, ",");
		if (len == 0 || len >= sizeof(name)) {
			fprintf(stderr, "nfrace: --kernels takes all or presets separated by commas, not '%s'\n", spec);
			return EXIT_USAGE;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		const struct nf_preset *pr = nf_preset_lookup(name);
		if (!pr) {
			fprintf(stderr, "nfrace: unknown kernel preset '%s' (see: nfrace list kernels)\n", name);
			return EXIT_USAGE;
		}
		for (uint32_t k = 0; k < *count; k++)
			if (names[k] == pr->name) {
				fprintf(stderr, "nfrace: --kernels names %s twice\n", pr->name);
				return EXIT_USAGE;
			}
		assert(*count < CLI_MATRIX_KERNELS_MAX); /* distinct presets: at most the table */
		names[(*count)++] = pr->name;
		p += len;
		if (!*p)
			return 0;
	}
}

int cli_worse(int a, int b)
{
	static const int rank[] = {0, 2, 3, 1, 4}; /* ok < incomplete < expect < usage < bug */
	return rank[b] > rank[a] ? b : a;
}

int cli_one_scenario_job(enum cli_cmd cmd, int argc, char **argv, const char *usage, bool need_schedule, struct cli_opts *o,
			 struct scenario *sc, struct job **j)
{
	int rc = cli_parse(cmd, argc, argv, o);
	if (rc)
		return rc;
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

int cli_run_finish(struct job *j, const struct cli_opts *o, const char *path, int rc, struct cli_out *json,
		   bool from_shards)
{
	FILE *out = o->json && strcmp(o->json, "-") == 0 ? stderr : stdout;
	/* an incomplete run that found a drop still shows its minimal witness */
	bool drop = !job_is_events(j) && (j->drop_executions || j->presample_drops);
	if (!rc && !cli_interrupted && (j->result.complete || drop) &&
	    job_minimize_witnesses(j, o->witness_bound, 2000000) != 0) {
		fputs("nfrace: out of memory\n", stderr);
		cli_out_abort(json);
		return EXIT_USAGE;
	}
	if (!rc && j->failed && from_shards) {
		/* the witness search found what the parts say was never reached */
		fprintf(stderr, "nfrace merge: the shards do not add up to one exploration (%s): a shard file was "
				"altered or comes from another run\n", j->fail_message);
		rc = EXIT_USAGE;
	} else if (!rc && j->failed) {
		fprintf(stderr, "nfrace: %s\n  schedule: %s\n", j->fail_message, j->fail_schedule);
		rc = EXIT_MODEL_BUG;
	}
	if (rc || cli_interrupted) {
		cli_out_abort(json);
		if (cli_interrupted)
			fprintf(out, "interrupted: exploration incomplete, nothing written\n");
		return rc ? rc : EXIT_INCOMPLETE;
	}
	report_summary(out, j, path);
	if (json->f) {
		report_json(json->f, j, 0);
		fputc('\n', json->f);
	}
	struct cli_out *outs[] = {json};
	if ((rc = cli_out_commit(outs, 1)) != 0)
		return rc;
	return job_exit_complete(j) ? EXIT_OK : EXIT_INCOMPLETE;
}
