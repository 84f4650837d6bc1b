/*
 * main.c - the nfrace command line: run, matrix, check, replay, list, prove,
 * diff, merge, curve, report, plots, each in its own file (cli.h); their
 * names, synopses and options are tables in cli_common.c, so `nfrace CMD
 * --help` and the refusal of an option CMD does not take come from one place.
 *
 * Exit status: 0 done; 1 an expectation failed; 2 bad input or usage;
 * 3 a bound or a signal stopped the work before it was complete; 4 a model
 * invariant broke.  Output files are written only when the command has
 * everything (cli_out_commit), so bad input or a signal leaves nothing
 * half-written.  SIGINT, SIGTERM and SIGHUP all just set cli_interrupted:
 * explorations stop, workers are stopped and waited for, and the command
 * exits 3 without writing.
 */
#include "cli.h"

#include "model.h"

#include <stddef.h>
#include <string.h>

static void on_signal(int sig)
{
	(void)sig;
	cli_interrupted = 1;
}

int main(int argc, char **argv)
{
	static int (*const run[CLI_CMD_COUNT])(int argc, char **argv) = {
		[CLI_RUN] = cli_run,	 [CLI_MATRIX] = cli_matrix, [CLI_CHECK] = cli_check,   [CLI_REPLAY] = cli_replay,
		[CLI_LIST] = cli_list,	 [CLI_PROVE] = cli_prove,   [CLI_DIFF] = cli_diff,     [CLI_MERGE] = cli_merge,
		[CLI_CURVE] = cli_curve, [CLI_REPORT] = cli_report, [CLI_PLOTS] = cli_plots,
	};
	static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	enum cli_cmd cmd;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaction(signals[i], &sa, NULL);
	if (argc < 2) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("nfrace %s (%s)\n", NFRACE_VERSION, NFRACE_MODEL_VERSION);
		return argc == 2 ? EXIT_OK : EXIT_USAGE;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		if (argc > 2 && cli_cmd_lookup(argv[2], &cmd))
			cli_help(stdout, cmd);
		else
			cli_usage(stdout);
		return EXIT_OK;
	}
	if (!cli_cmd_lookup(name, &cmd)) {
		fprintf(stderr, "nfrace: unknown command '%s'\n", name);
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	if (cli_wants_help(argc - 2, argv + 2)) {
		cli_help(stdout, cmd);
		return EXIT_OK;
	}
	return run[cmd](argc - 2, argv + 2);
}
