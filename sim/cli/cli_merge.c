/*
 * cli_merge.c - `nfrace merge SHARD...`: join the parts of sharded work.
 * Matrix shards (`matrix --shard K/N --json`) are joined in task order into
 * exactly the unsharded matrix JSON (--json, default standard output); check
 * shards (`check --shard K/N --junit`) into the report and JUnit file of the
 * unsharded check (--junit, --annotate github); run shards (`run --shard
 * K/N --json`) into the single-process run report (cli_split.c).  Every
 * shard file is untrusted input (job_shard.h): a bad one is an error at its
 * line and column, shards of different work are refused.
 */
#include "cli.h"

#include "job_shard.h"
#include "scenario_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct merge_input {
	struct shard_container c; /* pointing into texts[] */
};

static struct merge_input *inputs[256];
static char *matrix_json[SHARD_TASKS_MAX];

static const char *matrix_at(uint32_t t)
{
	return matrix_json[t];
}

static int bad_shard(const char *file, const struct shard_error *e)
{
	char name[4096], msg[1024];
	if (e->line)
		fprintf(stderr, "%s:%u:%u: %s\n", scenario_escape(file, name, sizeof(name)), e->line, e->column,
			scenario_escape(e->message, msg, sizeof(msg)));
	else
		fprintf(stderr, "nfrace merge: %s\n", scenario_escape(e->message, msg, sizeof(msg)));
	return EXIT_USAGE;
}

/* Every file read once (a FIFO cannot be read twice): its text and length. */
static char *texts[256];
static size_t lens[256];

static int read_all(const struct cli_opts *o)
{
	for (uint32_t i = 0; i < o->path_count; i++) {
		int rc = cli_read_input(o->paths[i], SHARD_BYTES_MAX, &texts[i], &lens[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* Read every container and join them; at[t] gets task t. */
static int read_and_join(const struct cli_opts *o, const struct shard_task **at, uint32_t *total)
{
	static const struct shard_container *shards[256];
	struct shard_error e;
	uint32_t bad;
	for (uint32_t i = 0; i < o->path_count; i++) {
		inputs[i] = calloc(1, sizeof(*inputs[i]));
		if (!inputs[i]) {
			fputs("nfrace merge: out of memory\n", stderr);
			return EXIT_USAGE;
		}
		if (job_shard_read_container(texts[i], lens[i], &inputs[i]->c, &e) != 0)
			return bad_shard(o->paths[i], &e);
		shards[i] = &inputs[i]->c;
	}
	if (job_shard_join(shards, o->path_count, at, &bad, &e) != 0)
		return bad_shard(bad < o->path_count ? o->paths[bad] : "", &e);
	*total = shards[0]->total;
	return 0;
}

static int merge_matrix(const struct cli_opts *o, const struct shard_task *const *at, uint32_t total)
{
	struct cli_out out;
	int rc;
	if (o->junit || o->annotate) {
		fputs("nfrace merge: matrix shards join into --json; --junit and --annotate are for check shards\n", stderr);
		return EXIT_USAGE;
	}
	if ((rc = cli_out_open(&out, "--json", o->json ? o->json : "-", o)) != 0)
		return rc;
	for (uint32_t t = 0; t < total; t++)
		matrix_json[t] = strndup(at[t]->text, at[t]->len);
	cli_json_array(out.f, total, matrix_at);
	struct cli_out *outs[] = {&out};
	return cli_out_commit(outs, 1);
}

static int merge_check(const struct cli_opts *o, const struct shard_task *const *at, uint32_t total)
{
	static struct check_task tasks[SHARD_TASKS_MAX];
	struct cli_out junit;
	struct shard_error e;
	int rc;
	if (o->json) {
		fputs("nfrace merge: check shards join into --junit (and the report on standard output), not --json\n",
		      stderr);
		return EXIT_USAGE;
	}
	for (uint32_t t = 0; t < total; t++)
		if (job_shard_read_check_task(at[t]->text, at[t]->len, &tasks[t], &e) != 0) {
			uint32_t i = 0;
			while (i + 1 < o->path_count &&
			       !(at[t]->text >= texts[i] && at[t]->text < texts[i] + lens[i]))
				i++;
			e.line += at[t]->line; /* the task's text starts on the line after its header */
			return bad_shard(o->paths[i], &e);
		}
	if ((rc = cli_out_open(&junit, "--junit", o->junit, o)) != 0)
		return rc;
	return cli_check_report(tasks, total, o->annotate != NULL, &junit);
}

int cli_merge(int argc, char **argv)
{
	static const struct shard_task *at[SHARD_TASKS_MAX];
	struct cli_opts o;
	uint32_t total = 0;
	int rc = cli_parse(CLI_MERGE, argc, argv, &o);
	if (rc)
		return rc;
	if (o.path_count == 0) {
		fputs("nfrace merge: give the shard files\n", stderr);
		return EXIT_USAGE;
	}
	if ((rc = read_all(&o)) != 0)
		return rc;
	if (cli_is_run_shard(texts[0])) {
		if (o.junit || o.annotate) {
			fputs("nfrace merge: run shards join into the run report and --json\n", stderr);
			return EXIT_USAGE;
		}
		return cli_merge_runs(&o, texts, lens);
	}
	if ((rc = read_and_join(&o, at, &total)) != 0)
		return rc;
	return !strcmp(inputs[0]->c.kind, "matrix") ? merge_matrix(&o, at, total) : merge_check(&o, at, total);
}
