/*
 * main.c - the nfrace command line: run, matrix, check, replay, list, prove,
 * diff, merge, curve, report, plots, each in its own file (cli.h).
 *
 * Exit status: 0 done; 1 an expectation failed; 2 bad input or usage;
 * 3 a bound stopped exploration before it was complete; 4 a model invariant
 * broke.  Files named with --json/--csv are written to a temporary name and
 * renamed only when the command succeeds, so bad input leaves nothing
 * half-written.
 *
 * A crash (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) prints the schedule
 * prefix of the execution that crashed and its replay command, then dies of
 * the same signal: the handler runs on its own stack (an actor's stack may
 * be the one that overflowed) and uses only write(2) and the engine's
 * async-signal-safe sim_crash_schedule.
 */
#include "cli.h"

#include "explore.h"

#include <stddef.h>
#include <string.h>
#include <unistd.h>

static void on_sigint(int sig)
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
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	install_crash_report();
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
