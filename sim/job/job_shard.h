/*
 * job_shard.h - the shard files of split work, written and read here, and
 * read as untrusted input: `nfrace merge` takes files from other machines,
 * so every field is range-checked, every length bounded by the text that
 * is there, and a bad file is an error at its line and column, never a
 * crash or an impossible result.
 *
 * Two formats, each ending in a checksum line (`end` and the FNV-1a hash of
 * every byte before it), so a cut or altered file is caught:
 *
 *   run shard (run --shard K/N): one exploration's part: the job's identity
 *     (scenario path, preset, fix set, program hash, strategy, bounds) and
 *     its results (counts, outcomes with their witnesses, a failure or
 *     deadlock).  job_shard_check_run then checks it against the scenario:
 *     the program hash, each outcome's packets, and that each witness,
 *     replayed, gives its outcome.
 *
 *   container (matrix --shard and check --shard): "nfrace-shard 2 KIND K N T",
 *     an identity text (the scenarios with their program hashes, the presets,
 *     the options: what makes the unsharded output), then the texts of the
 *     tasks t < T with t % N == K - 1, each once and in order.  Shards join
 *     when their kind, identity, N and T are equal and each K is there once.
 *
 * Nothing here prints; errors come back in struct shard_error.
 */
#ifndef NFRACE_JOB_SHARD_H
#define NFRACE_JOB_SHARD_H

#include "program.h"

#include <stdio.h>

enum {
	SHARD_N_MAX = 64,          /* shards of one split run */
	SHARD_TASKS_MAX = 8192,    /* tasks of one container */
	SHARD_PATH_MAX = 1024,     /* the scenario path a run shard names */
	SHARD_BYTES_MAX = 64 << 20, /* the largest shard file read */
};

/* Where a shard file is wrong: 1-based line and column (0 when not in the
 * text), and what is wrong. */
struct shard_error {
	unsigned line, column;
	char message[256];
};

/* A run shard as read: the part's identity and results in part (its sc and
 * model unset), what the file says besides, and the line of each outcome. */
struct run_shard {
	uint32_t k, n, witness_bound;
	char path[SHARD_PATH_MAX];
	char kernel[64];
	struct job part;
	unsigned job_line, failed_line, deadlock_line;
	unsigned outcome_line[OUTCOMES_MAX];
};

/* job_shard_write_run - j (explored as shard k of n) as a run shard; path
 * is the scenario as named on the command line. */
void job_shard_write_run(FILE *f, const struct job *j, const char *path, uint32_t k, uint32_t n,
			 uint32_t witness_bound);

/* job_shard_read_run - text[0..len) into *s, every field checked on its own
 * and against the others (counts, outcome order, checksum); 0, or -1 with
 * *err filled. */
int job_shard_read_run(const char *text, size_t len, struct run_shard *s, struct shard_error *err);

/* job_shard_check_run - check s against j, the job of s's scenario, preset
 * and fix set (job_prepare done): the program hash, the outcomes' packets,
 * each witness replayed gives its outcome, the failure and deadlock tokens
 * decode.  j's results are overwritten by the replays.  0 or -1 (*err). */
int job_shard_check_run(const struct run_shard *s, struct job *j, struct shard_error *err);

/* job_shard_same_run - whether b belongs to the exploration a is part of
 * (path, preset, fix set, hash, strategy, bounds, N); -1 with *err at b's
 * line when not. */
int job_shard_same_run(const struct run_shard *a, const struct run_shard *b, struct shard_error *err);

/* job_outcome_order - the order of outcomes in a job (job_merge.c): by
 * dropped, lost, then counters; <0, 0, >0. */
int job_outcome_order(const struct outcome *a, const struct outcome *b);

/* A container as read: the task texts point into the text that was read. */
struct shard_task {
	uint32_t index;
	const char *text;
	size_t len;
	unsigned line;
};

struct shard_container {
	char kind[16];             /* "matrix" or "check" */
	uint32_t k, n, total;      /* shard k of n, total tasks */
	const char *ident;         /* the identity text */
	size_t ident_len;
	uint32_t count;            /* tasks in this shard */
	struct shard_task tasks[SHARD_TASKS_MAX];
};

/* job_shard_write_container - a container of kind with identity ident and
 * the texts task_text(ctx, t) of the tasks t < total with t % n == k - 1. */
void job_shard_write_container(FILE *f, const char *kind, const char *ident, uint32_t k, uint32_t n, uint32_t total,
			       const char *(*task_text)(void *ctx, uint32_t t), void *ctx);

/* job_shard_read_container - text[0..len) (which must outlive *c) into *c:
 * header, identity, every task of the shard once and in order, no NUL byte,
 * checksum.  0 or -1 (*err). */
int job_shard_read_container(const char *text, size_t len, struct shard_container *c, struct shard_error *err);

/* job_shard_join - whether shards[0..count) are the parts of one container:
 * same kind, identity, N and total, each K once, none missing.  On 0, at[t]
 * (total entries) points at task t; on -1, *bad is the index of the shard
 * at fault (count when one is missing) and *err says why. */
int job_shard_join(const struct shard_container *const *shards, uint32_t count, const struct shard_task **at,
		   uint32_t *bad, struct shard_error *err);

/* A task of a check container: its exit status, the text check prints for
 * it, its GitHub annotation lines and its JUnit test case. */
struct check_task {
	int status;
	const char *out, *annotations, *junit;
	size_t out_len, annotations_len, junit_len;
};

/* job_shard_check_task_text - the text of a check task (malloc'd, NULL when out of memory). */
char *job_shard_check_task_text(const struct check_task *t);

/* job_shard_read_check_task - a check task's text into *t (pointing into
 * text); 0 or -1 (*err, line and column within the task). */
int job_shard_read_check_task(const char *text, size_t len, struct check_task *t, struct shard_error *err);

#endif /* NFRACE_JOB_SHARD_H */
