/*
 * main.c - the nfrace command line: run, matrix, check, replay, list.
 *
 * Exit status: 0 done; 1 an expectation failed; 2 bad input or usage;
 * 3 a bound stopped exploration before it was complete; 4 a model invariant
 * broke.  Files named with --json/--csv are written to a temporary name and
 * renamed only when the command succeeds, so bad input leaves nothing
 * half-written.
 */
#include "cli.h"

#include <string.h>

static void on_sigint(int sig)
{
	(void)sig;
	cli_interrupted = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	if (argc < 2) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "run") == 0)
		return cli_run(argc - 2, argv + 2);
	if (strcmp(cmd, "matrix") == 0)
		return cli_matrix(argc - 2, argv + 2);
	if (strcmp(cmd, "check") == 0)
		return cli_check(argc - 2, argv + 2);
	if (strcmp(cmd, "replay") == 0)
		return cli_replay(argc - 2, argv + 2);
	if (strcmp(cmd, "list") == 0)
		return cli_list(argc - 2, argv + 2);
	if (strcmp(cmd, "prove") == 0)
		return cli_prove(argc - 2, argv + 2);
	if (strcmp(cmd, "diff") == 0)
		return cli_diff(argc - 2, argv + 2);
	if (strcmp(cmd, "merge") == 0)
		return cli_merge(argc - 2, argv + 2);
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		cli_usage(stdout);
		return 0;
	}
	fprintf(stderr, "nfrace: unknown command '%s'\n", cmd);
	cli_usage(stderr);
	return EXIT_USAGE;
}
