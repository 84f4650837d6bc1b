/*
 * cli_run.c - `nfrace run SCENARIO`: one exploration, every distinct outcome
 * with a minimal witness and its replay command, optionally as JSON; with
 * -j N or --shard K/N the exploration is split across processes
 * (cli_split.c), with the same bytes.
 */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

int cli_run(int argc, char **argv)
{
	static struct scenario sc;
	struct cli_opts o;
	struct job *j;
	struct cli_out json;
	int rc = cli_one_scenario_job(CLI_RUN, argc, argv, "nfrace run: give exactly one scenario file", false, &o, &sc, &j);
	if (rc || (rc = cli_out_open(&json, "--json", o.json, &o)) != 0)
		return rc;
	if (sim_strategy_stateful(j->strategy) && o.shard) {
		/* one state cache: shards would each explore what the others see
		 * (docs/performance.md: three parts, 2.6 times the states) */
		fputs("nfrace run: --shard splits dpor and dfs explorations; a state-caching search keeps one cache"
		      " (use --explore dpor, or matrix --shard)\n",
		      stderr);
		return EXIT_USAGE;
	}
	if (sim_strategy_stateful(j->strategy) && o.jobs > 1)
		fputs("nfrace run: a state-caching search runs in one process (one cache); -j splits dpor and dfs"
		      " runs and matrix cells\n",
		      stderr);
	else if (o.jobs > 1 || o.shard)
		return cli_run_split(j, &o, &json);
	FILE *out = o.json && strcmp(o.json, "-") == 0 ? stderr : stdout;
	fprintf(out, "nfrace %s seed %" PRIu64 "\n", NFRACE_VERSION, j->seed);
	return cli_run_finish(j, &o, o.paths[0], cli_run_job(j, o.paths[0]), &json, false);
}
