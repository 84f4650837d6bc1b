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

#include "program.h"

#include <signal.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_EXPECT = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3, EXIT_MODEL_BUG = 4 };

/* The most shards of one split run; the largest matrix (scenarios x presets). */
enum { CLI_SHARDS_MAX = 64 };
enum { CLI_MATRIX_SCENARIOS_MAX = 64, CLI_MATRIX_KERNELS_MAX = 32,
       CLI_MATRIX_TASKS_MAX = CLI_MATRIX_SCENARIOS_MAX * CLI_MATRIX_KERNELS_MAX };

#define NFRACE_VERSION "0.1.0"

struct cli_opts {
	const char *kernel;        /* --kernel */
	const char *kernels;       /* --kernels (matrix) */
	const char *fix[32];
	uint32_t fix_count;
	const char *no_fix[32];
	uint32_t no_fix_count;
	const char *json, *csv, *md, *schedule, *junit, *vs, *shard, *format;
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

/* cli_parse - parse options common to all commands; 0 or EXIT_USAGE (message printed). */
int cli_parse(int argc, char **argv, struct cli_opts *o);

/* cli_load - load a scenario file; on error print file:line:col: key: message. */
int cli_load(const char *path, struct scenario *sc);

/* cli_one_scenario_job - the common start of run and replay: parse the
 * options into *o, load the one scenario into *sc (with --gap applied) and
 * configure *j (cli_job_storage) for it; without exactly one scenario (and,
 * with need_schedule, a --schedule) print usage.  0 or an exit status. */
int cli_one_scenario_job(int argc, char **argv, const char *usage, bool need_schedule, struct cli_opts *o,
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

/* Output files: cli_out_open returns stdout for "-", else a temporary file;
 * cli_out_commit renames it into place; cli_out_abort removes it. */
FILE *cli_out_open(const char *path, char *tmp, size_t tmp_size);
int cli_out_commit(FILE *f, const char *path, const char *tmp);
void cli_out_abort(FILE *f, const char *path, const char *tmp);

/* cli_read_exact - the next n bytes of f as a malloc'd string; NULL when f
 * ends first (or out of memory). */
char *cli_read_exact(FILE *f, size_t n);

/* cli_json_array - the JSON array of the texts at(0..ntasks-1), each a JSON
 * value; NULL or empty ones (n/a cells) are left out.  Ends with a newline. */
void cli_json_array(FILE *f, uint32_t ntasks, const char *(*at)(uint32_t t));

/* cli_interrupted - set by SIGINT; explorations stop and report incomplete. */
extern volatile sig_atomic_t cli_interrupted;

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

/* cli_parse_shard - K/N with 1 <= K <= N <= CLI_SHARDS_MAX; 0 or EXIT_USAGE (message printed). */
int cli_parse_shard(const char *spec, uint32_t *k, uint32_t *n);

/* cli_run_finish - what run does after exploring (one process, -j N, or the
 * merge of run shards): minimise witnesses (when complete), print the
 * summary, write --json.  rc is the exploration's status (0 or
 * EXIT_MODEL_BUG).  Returns the exit status. */
int cli_run_finish(struct job *j, const struct cli_opts *o, const char *path, int rc);

/* cli_run_split - run with -j N (N > 1) or --shard K/N (cli_split.c). */
int cli_run_split(struct job *j, const struct cli_opts *o);

/* cli_is_run_shard - whether file is a shard file of `run --shard`. */
bool cli_is_run_shard(const char *file);

/* cli_merge_runs - join the run shard files o->paths into the single-process report. */
int cli_merge_runs(const struct cli_opts *o);

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
