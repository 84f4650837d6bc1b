/*
 * main.c - the nfrace command line: run, matrix, check, replay, list, prove,
 * diff, merge, curve, report, plots, each in its own file (cli.h).
 *
 * Exit status: 0 done; 1 an expectation failed; 2 bad input or usage;
 * 3 a bound stopped exploration before it was complete; 4 a model invariant
 * broke.  Files named with --json/--csv are written to a temporary name and
 * renamed only when the command succeeds, so bad input leaves nothing
 * half-written.
 */
#include "cli.h"

#include <stddef.h>
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
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} commands[] = {
		{"run", cli_run},       {"matrix", cli_matrix}, {"check", cli_check}, {"replay", cli_replay},
		{"list", cli_list},     {"prove", cli_prove},   {"diff", cli_diff},   {"merge", cli_merge},
		{"curve", cli_curve},     {"report", cli_report}, {"plots", cli_plots},
	};
	const char *cmd = argv[1];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(argc - 2, argv + 2);
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		cli_usage(stdout);
		return 0;
	}
	fprintf(stderr, "nfrace: unknown command '%s'\n", cmd);
	cli_usage(stderr);
	return EXIT_USAGE;
}
