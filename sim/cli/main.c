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
 *
 * A crash (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) prints the schedule
 * prefix of the execution that crashed and its replay command, then dies of
 * the same signal: the handler runs on its own stack (an actor's stack may
 * be the one that overflowed) and uses only write(2) and the engine's
 * async-signal-safe sim_crash_schedule.
 */
#include "cli.h"

#include "explore.h"
#include "model.h"

#include <stddef.h>
#include <string.h>
#include <unistd.h>

static void on_signal(int sig)
{
	(void)sig;
	cli_interrupted = 1;
}

static void put(const char *s)
{
	size_t n = strlen(s); /* strlen is async-signal-safe (POSIX.1-2016) */
	while (n) {
		ssize_t w = write(STDERR_FILENO, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGABRT: return "SIGABRT";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	default: return "SIGILL";
	}
}

/* Report where the exploration was, then die of sig (SA_RESETHAND restored
 * the default action). */
static void on_crash(int sig)
{
	static char token[65536];
	put("nfrace: CRASH (");
	put(signal_name(sig));
	if (sim_crash_schedule(token, sizeof(token)) == 0) {
		put(") outside an exploration\n");
	} else {
		put(") while exploring; the execution that crashed had made these decisions:\n  schedule prefix: ");
		put(token);
		put("\n  replay (crashes the same way; run it under a debugger): ");
		put(cli_crash_replay[0] ? cli_crash_replay : "nfrace replay SCENARIO --kernel PRESET");
		put(" --schedule ");
		put(token);
		put("\n");
		put(cli_crash_note);
	}
	raise(sig);
}

static void install_crash_report(void)
{
	static char altstack[1 << 16];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0};
	struct sigaction sa;
	static const int sigs[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = (int)(SA_ONSTACK | SA_RESETHAND);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
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
	install_crash_report();
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
