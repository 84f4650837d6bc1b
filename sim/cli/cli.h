/*
 * cli.h - the subcommands of nfrace, one file each (cli_run.c, cli_matrix.c,
 * ...; main.c dispatches), and what they share (cli_common.c: option
 * parsing, loading scenarios, configuring and running jobs, what run prints
 * after exploring, writing output files safely).  A subcommand file calls
 * cli_common.c and the layers below, and no other subcommand's file except
 * the split run (cli_split.c, called by run and merge).
 */
#ifndef NFRACE_CLI_H
#define NFRACE_CLI_H

#include "outfile.h"
#include "program.h"

#include <signal.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_EXPECT = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3, EXIT_MODEL_BUG = 4 };

/* The most shards of one split run; the largest matrix (scenarios x presets). */
enum { CLI_SHARDS_MAX = 64 };
enum { CLI_MATRIX_SCENARIOS_MAX = 64, CLI_MATRIX_KERNELS_MAX = 32,
       CLI_MATRIX_TASKS_MAX = CLI_MATRIX_SCENARIOS_MAX * CLI_MATRIX_KERNELS_MAX };

#define NFRACE_VERSION "0.1.0"

/* The most memory an events run may allocate (ev_net_bytes); more is refused (exit 2). */
#define CLI_EVENTS_BYTES_MAX (1ull << 30)

/* The subcommands, one bit each: an option row (cli_common.c) names the
 * subcommands that take it; any other subcommand refuses it (exit 2). */
enum cli_cmd {
	CLI_RUN, CLI_MATRIX, CLI_CHECK, CLI_REPLAY, CLI_LIST, CLI_PROVE, CLI_DIFF, CLI_MERGE, CLI_CURVE, CLI_REPORT,
	CLI_PLOTS, CLI_CMD_COUNT
};

enum { CLI_FIX_MAX = 32 };

struct cli_opts {
	enum cli_cmd cmd;          /* the subcommand parsing them */
	const char *kernel;        /* --kernel */
	const char *kernels;       /* --kernels (matrix) */
	const char *fix[CLI_FIX_MAX];
	uint32_t fix_count;
	const char *no_fix[CLI_FIX_MAX];
	uint32_t no_fix_count;
	const char *json, *csv, *md, *schedule, *junit, *vs, *shard, *format;
	const char *annotate;      /* --annotate github (check, merge) */
	const char *open;          /* --open SCENARIO[/PRESET] (report) */
	bool all;                  /* --all (prove) */
	const char *out;           /* -o DIR (report) */
	uint32_t jobs;             /* -j N (matrix) */
	enum sim_strategy strategy;
	bool strategy_given;       /* --explore was given */
	const char *gap;           /* --gap NS or FROM:TO:STEP (timed) */
	const char *rcvbuf;        /* --rcvbuf FROM:TO:FACTOR (curve, events scenarios) */
	const char *plot;          /* --plot BASE (curve): BASE.svg and BASE.png */
	struct sim_bounds bounds;
	uint64_t seed;
	uint32_t plants;           /* --plant (testing the tester) */
	uint32_t pct_depth;        /* --depth (pct) */
	bool check_determinism;    /* --check-determinism */
	uint32_t witness_bound;    /* --witness-bound (run): preemption bound for minimal witnesses */
	const char *paths[256];    /* positional arguments */
	uint32_t path_count;
	uint64_t given;            /* bit r: option row r was given (cli_common.c) */
};

/* The crash report (main.c's handler for SIGSEGV, SIGABRT, ...): the replay
 * command of the job running now, without its --schedule; set by
 * cli_crash_context before a job runs. */
enum { CLI_CRASH_REPLAY_MAX = 2048 };
extern char cli_crash_replay[CLI_CRASH_REPLAY_MAX];
extern const char *cli_crash_note; /* a caveat printed after it, or "" */

/* cli_crash_context - record the replay command of job j (scenario at path,
 * its preset, --fix/--no-fix for every flag it differs from the preset in,
 * its planted bugs) for the crash report. */
void cli_crash_context(const struct job *j, const char *path);

/* cli_parse - parse the options of subcommand cmd against the option table:
 * an option another subcommand takes is refused, an unknown one is called
 * unknown, a repeated one (other than --fix/--no-fix) is refused, numbers
 * are strict decimals within their range.  0 or EXIT_USAGE (message printed). */
int cli_parse(enum cli_cmd cmd, int argc, char **argv, struct cli_opts *o);

/* cli_cmd_lookup - the subcommand called name; false if there is none. */
bool cli_cmd_lookup(const char *name, enum cli_cmd *cmd);

/* cli_help - `nfrace CMD --help`: synopsis, what it does, its options. */
void cli_help(FILE *f, enum cli_cmd cmd);

/* cli_wants_help - whether the arguments of a subcommand ask for --help (-h). */
bool cli_wants_help(int argc, char **argv);

/* cli_parse_decimal - v as a strict decimal in [min, max] (digits only, no
 * sign, no leading zero, no octal or hex); 0 or EXIT_USAGE, the message
 * naming opt. */
int cli_parse_decimal(const char *opt, const char *v, uint64_t min, uint64_t max, uint64_t *out);

/* cli_load - load a scenario file; on error print file:line:col: key: message. */
int cli_load(const char *path, struct scenario *sc);

/* cli_one_scenario_job - the common start of run and replay: parse the
 * options into *o, load the one scenario into *sc (with --gap applied) and
 * configure *j (cli_job_storage) for it; without exactly one scenario (and,
 * with need_schedule, a --schedule) print usage.  0 or an exit status. */
int cli_one_scenario_job(enum cli_cmd cmd, int argc, char **argv, const char *usage, bool need_schedule, struct cli_opts *o,
			 struct scenario *sc, struct job **j);

/* CLI_MEMORY_DEFAULT - the memory bound of a state-caching run when no
 * --max-memory is given (a fixed figure, so that output never depends on
 * the machine). */
#define CLI_MEMORY_DEFAULT ((uint64_t)4 << 30)

/* cli_default_strategy - the exploration a scenario gets without --explore:
 * state caching for three packets or more, dpor otherwise. */
enum sim_strategy cli_default_strategy(const struct scenario *sc);

/* cli_job - configure j for sc with preset (or the scenario's default) and the
 * --fix/--no-fix adjustments; 0 or EXIT_USAGE. */
int cli_job(struct job *j, const struct scenario *sc, const char *preset, const struct cli_opts *o);

/*
 * Output files (what each does with symlinks, devices and FIFOs: outfile.h).
 * cli_out_open checks the path at once (not a directory, not one of the
 * command's input files, not another output of the command) and gives a
 * memory stream to write into; nothing is created.  cli_out_commit writes a
 * command's outputs all or none: each is staged (a temporary file beside
 * it, or the device or FIFO opened), then, unless a signal came meanwhile,
 * renamed or written.  So bad input, a failed output or a signal leaves
 * every output as it was.
 */
struct cli_out {
	const char *option;   /* "--json", for messages */
	FILE *f;              /* the command writes here; NULL when the option was not given */
	char *buf;
	size_t len;
	struct outfile file;
};

/* cli_out_open - out for option's path (NULL: not asked for, out->f NULL);
 * 0 or EXIT_USAGE (message printed). */
int cli_out_open(struct cli_out *out, const char *option, const char *path, const struct cli_opts *o);

/* cli_out_commit - write outs[0..n) (those opened) all or none, and release
 * them.  0, EXIT_USAGE (an output failed; message printed) or
 * EXIT_INCOMPLETE (a signal came before the outputs were committed). */
int cli_out_commit(struct cli_out *const *outs, size_t n);

/* cli_out_abort - drop an opened output unwritten (no-op when not opened). */
void cli_out_abort(struct cli_out *out);

/* cli_read_exact - the next n bytes of f as a malloc'd string; NULL when f
 * ends first (or out of memory). */
char *cli_read_exact(FILE *f, size_t n);

/* cli_json_array - the JSON array of the texts at(0..ntasks-1), each a JSON
 * value; NULL or empty ones (n/a cells) are left out.  Ends with a newline. */
void cli_json_array(FILE *f, uint32_t ntasks, const char *(*at)(uint32_t t));

/* cli_interrupted - set by SIGINT; explorations stop and report incomplete. */
extern volatile sig_atomic_t cli_interrupted;

/*
 * struct cli_pool - tasks computed in forked workers (-j N), at most jobs at
 * once.  A worker computes task t with work(), writing its result to an
 * unlinked temporary file, and exits; the parent reads it back with take()
 * as each worker exits, so the order of completion never reaches an output.
 * A SIGINT, SIGTERM or SIGHUP to the parent (and a worker that fails) stops
 * every worker with SIGTERM and waits for it; a worker whose parent dies
 * gets SIGTERM from the kernel.  No temporary file has a name.
 */
struct cli_pool {
	uint32_t jobs;
	bool (*wanted)(void *ctx, uint32_t t);             /* NULL: every task */
	bool (*work)(void *ctx, uint32_t t, FILE *out);    /* in the worker; false: it failed */
	bool (*take)(void *ctx, uint32_t t, FILE *in);     /* in the parent; false: a bad result */
	void *ctx;
	const char *who;                                   /* "matrix", for messages */
};

/* cli_pool_run - tasks 0..ntasks-1 of p; 0, EXIT_USAGE (a worker could not
 * start or failed; message printed) or EXIT_INCOMPLETE (a signal). */
int cli_pool_run(const struct cli_pool *p, uint32_t ntasks);

/* cli_check_report - what `check` shows of its tasks (or `merge` of check
 * shards'), in task order: each task's lines on standard output (control
 * characters escaped), with annotate its ::error/::warning lines (others
 * are dropped), the "P passed, F failed" line, and the JUnit file into
 * junit (opened or not) with one test case per task.  Returns the worst
 * task status, or the output's failure. */
struct check_task;
int cli_check_report(const struct check_task *tasks, uint32_t n, bool annotate, struct cli_out *junit);

/* cli_identity - what makes the output of a sharded command (kind "matrix"
 * or "check"): nfrace and model version, each scenario's path and program
 * hash (loaded NULL: all loaded; an unloaded one is named as such), the
 * presets and every option that changes a result.  Shards of one command
 * line (up to --shard and -j) have equal identities.  malloc'd text. */
char *cli_identity(const char *kind, const struct cli_opts *o, const struct scenario *scs, const bool *loaded,
		   uint32_t ns, const char *const *kernels, uint32_t nk);

/* cli_read_input - the whole file at path (at most max bytes) as a malloc'd
 * text for a command's input (shard files); 0, or EXIT_USAGE with a message
 * naming the file, or EXIT_INCOMPLETE when a signal interrupted the read. */
int cli_read_input(const char *path, size_t max, char **text, size_t *len);

/* cli_job_storage - the (static, zeroed) job a command runs; one at a time. */
struct job *cli_job_storage(void);

/* cli_run_job - run a configured job; report a broken invariant, a deadlock
 * or (with --check-determinism) a second run that differs.  0 or EXIT_MODEL_BUG. */
extern bool cli_check_determinism;
int cli_run_job(struct job *j, const char *path);

/* cli_report_bugs - print j's broken invariant or deadlock with its replay
 * command; EXIT_MODEL_BUG if there was one, else 0. */
int cli_report_bugs(const struct job *j, const char *path);

/* cli_kernel_list - the presets of --kernels (all, or P1,P2,...); 0 or EXIT_USAGE. */
int cli_kernel_list(const char *spec, const char **names, uint32_t *count);

/* cli_worse - the more serious of two exit statuses (bug > usage > expect > incomplete > ok). */
int cli_worse(int a, int b);

/* CLI_SPLIT_DEPTH - the split depth of every dfs/dpor job the CLI runs
 * (sim_bounds.split_depth): run, run -j N and the shards of run --shard K/N
 * explore the same tree, so they report the same bytes. */
enum { CLI_SPLIT_DEPTH = 8 };

/* cli_parse_fields - spec as exactly n strict decimals separated by sep
 * ("1/3", "0:9000:3000") into vals; 0 or EXIT_USAGE (message names opt). */
int cli_parse_fields(const char *opt, const char *spec, char sep, uint64_t *vals, size_t n);

/* cli_parse_shard - K/N with 1 <= K <= N <= CLI_SHARDS_MAX; 0 or EXIT_USAGE (message printed). */
int cli_parse_shard(const char *spec, uint32_t *k, uint32_t *n);

/* cli_run_finish - what run does after exploring (one process, -j N, or the
 * merge of run shards): minimise witnesses (when complete), print the
 * summary, write json (opened for --json before the exploration).  rc is the
 * exploration's status (0 or EXIT_MODEL_BUG).  from_shards: j was joined
 * from shard files, so a witness search that finds an outcome the parts
 * never reached means a bad shard (exit 2), not an explorer bug (exit 4).
 * Returns the exit status. */
int cli_run_finish(struct job *j, const struct cli_opts *o, const char *path, int rc, struct cli_out *json,
		   bool from_shards);

/* cli_run_split - run with -j N (N > 1) or --shard K/N (cli_split.c); json
 * is the opened --json output. */
int cli_run_split(struct job *j, const struct cli_opts *o, struct cli_out *json);

/* cli_is_run_shard - whether a shard file's text is one of `run --shard`. */
bool cli_is_run_shard(const char *text);

/* cli_merge_runs - join the run shard files o->paths, read into texts[i]
 * (lens[i] bytes), into the single-process report. */
int cli_merge_runs(const struct cli_opts *o, char *const *texts, const size_t *lens);

/* cli_parse_gap - one gap in ns; 0 or EXIT_USAGE. */
int cli_parse_gap(const char *v, uint64_t *gap);

/* cli_gap_apply - packet k of sc is sent k * gap_ns after the first. */
void cli_gap_apply(struct scenario *sc, uint64_t gap_ns);

/* cli_usage - the usage text of every subcommand. */
void cli_usage(FILE *f);

/* The subcommands: argv holds the arguments after the subcommand's name;
 * each returns the exit status (main.c). */
int cli_run(int argc, char **argv);     /* cli_run.c */
int cli_matrix(int argc, char **argv);  /* cli_matrix.c */
int cli_check(int argc, char **argv);   /* cli_check.c */
int cli_replay(int argc, char **argv);  /* cli_replay.c */
int cli_list(int argc, char **argv);    /* cli_list.c */
int cli_prove(int argc, char **argv);   /* cli_prove.c */
int cli_diff(int argc, char **argv);    /* cli_diff.c */
int cli_merge(int argc, char **argv);   /* cli_merge.c */
int cli_curve(int argc, char **argv);   /* cli_curve.c */
int cli_report(int argc, char **argv);  /* cli_report.c */

/* cli_plots - `nfrace plots [-o DIR]` (cli_plots.c): every figure whose CSV
 * exists under results/ (run from the source directory) to DIR (default
 * results/plots).  0 done (also when gnuplot is missing: each figure says it
 * was skipped), 2 on a bad CSV or an unwritable DIR. */
int cli_plots(int argc, char **argv);

#endif /* NFRACE_CLI_H */
