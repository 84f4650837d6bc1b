/*
 * cli_merge.c - `nfrace merge SHARD... [--json FILE]`: join the parts of a
 * sharded run.  Matrix shards (`matrix --shard K/N`, cli_matrix.c) are
 * containers of task JSON objects, joined in task order into exactly the
 * unsharded matrix JSON; run shards (`run --shard K/N`) are joined into the
 * single-process run report (cli_split.c).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static char **merged_json;

static const char *merged_at(uint32_t t)
{
	return merged_json[t];
}

/* `nfrace merge SHARD... [--json FILE]`: join shard containers in task order. */
int cli_merge(int argc, char **argv)
{
	static char *json[CLI_MATRIX_TASKS_MAX];
	struct cli_opts o;
	uint32_t total = 0, have = 0;
	int rc = cli_parse(CLI_MERGE, argc, argv, &o);
	if (rc)
		return rc;
	if (o.path_count == 0) {
		fputs("nfrace merge: give the shard files\n", stderr);
		return EXIT_USAGE;
	}
	if (cli_is_run_shard(o.paths[0]))
		return cli_merge_runs(&o);
	for (uint32_t i = 0; i < o.path_count; i++) {
		FILE *f = fopen(o.paths[i], "r");
		unsigned k, n, t;
		size_t len;
		char line[128];
		/* header lines are read whole: a scanf "\n" would also eat the JSON's indent */
		if (!f || !fgets(line, sizeof(line), f) || sscanf(line, "nfrace-shard 1 %u %u %u", &k, &n, &t) != 3 ||
		    t > CLI_MATRIX_TASKS_MAX || (total && t != total)) {
			fprintf(stderr, "%s:1:1: not an nfrace shard file of this matrix\n", o.paths[i]);
			if (f)
				fclose(f);
			return EXIT_USAGE;
		}
		total = t;
		unsigned task;
		while (fgets(line, sizeof(line), f) && sscanf(line, "task %u %zu", &task, &len) == 2) {
			if (task >= total || json[task]) {
				fprintf(stderr, "%s: task %u out of range or given twice\n", o.paths[i], task);
				fclose(f);
				return EXIT_USAGE;
			}
			json[task] = cli_read_exact(f, len);
			if (!json[task] || fgetc(f) != '\n') {
				fprintf(stderr, "%s: task %u is cut short\n", o.paths[i], task);
				fclose(f);
				return EXIT_USAGE;
			}
			have++;
		}
		fclose(f);
	}
	if (have != total) {
		fprintf(stderr, "nfrace merge: %u of %u tasks present; a shard is missing\n", have, total);
		return EXIT_USAGE;
	}
	struct cli_out out;
	if ((rc = cli_out_open(&out, "--json", o.json ? o.json : "-", &o)) != 0)
		return rc;
	merged_json = json;
	cli_json_array(out.f, total, merged_at);
	struct cli_out *outs[] = {&out};
	return cli_out_commit(outs, 1);
}
