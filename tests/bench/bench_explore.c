/*
 * bench_explore.c - exploration figures for docs/performance.md, written as
 * CSV into the directory given as argv[1] (default results/bench):
 *   rate.csv     executions per second on one core, A/AAAA scenario, dfs, dpor
 *                and odpor
 *   dpor.csv     per bundled scenario and preset: DPOR executions, the trace
 *                classes among them, the executions abandoned as sleep-set
 *                blocked, the same for optimal DPOR, and the naive count where
 *                it finishes within 5M executions and 20 s (naive_complete)
 *   burst.csv    N queries from one socket on N CPUs (N = 2.., until one
 *                takes over 10 s), DPOR and optimal DPOR, time
 * An optional second argument (rate, dpor or burst) runs only that part.
 * Run from the source directory (it reads scenarios/).
 */
#include "program.h"
#include "scenario_load.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct job J;

static double run(const struct scenario *sc, const char *preset, enum sim_strategy s, uint64_t max, bool classes)
{
	memset(&J, 0, sizeof(J));
	J.sc = sc;
	J.kernel = preset;
	J.fixes = nf_preset_lookup(preset)->fixes;
	J.strategy = s;
	J.bounds.executions_max = max;
	J.bounds.count_classes = classes;
	J.bounds.wall_ms_max = s == SIM_EXPLORE_DFS ? 20000 : 0; /* the naive oracle gets 20 s */
	double t0 = now_s();
	if (job_run(&J) != 0 || J.failed)
		exit(1);
	return now_s() - t0;
}

static void load(const char *path, struct scenario *sc)
{
	struct scenario_error err;
	if (scenario_load_file(path, sc, &err) != 0) {
		char msg[512];
		scenario_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		exit(2);
	}
}

static FILE *csv(const char *dir, const char *name, const char *header)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fprintf(f, "%s\n", header);
	return f;
}

static void bench_rate(const char *dir)
{
	static struct scenario sc;
	FILE *f = csv(dir, "rate.csv", "scenario,kernel,explore,executions,seconds,executions_per_second");
	load("scenarios/dns-a-aaaa-one-backend.yaml", &sc);
	const enum sim_strategy s[] = {SIM_EXPLORE_DFS, SIM_EXPLORE_DPOR, SIM_EXPLORE_ODPOR};
	for (int k = 0; k < 3; k++) {
		double t = run(&sc, "v4.15", s[k], s[k] == SIM_EXPLORE_DFS ? 2000000 : 0, false);
		fprintf(f, "%s,v4.15,%s,%" PRIu64 ",%.3f,%.0f\n", sc.name, sim_strategy_name(s[k]), J.result.executions, t,
			(double)J.result.executions / t);
	}
	fclose(f);
}

static void bench_dpor(const char *dir)
{
	static struct scenario sc;
	static const char *const files[] = {
		"scenarios/conntrack-only.yaml", "scenarios/dns-a-aaaa-local.yaml", "scenarios/dns-a-aaaa-one-backend.yaml",
		"scenarios/dns-a-aaaa-two-backends.yaml", "scenarios/glibc-single-request.yaml",
		"scenarios/glibc-single-request-reopen.yaml", "scenarios/nat-null-binding.yaml",
		"scenarios/notrack-nodelocal-dns.yaml", "scenarios/reverse-new-both-ends.yaml",
		"scenarios/snat-two-pods-random-fully.yaml", "scenarios/snat-two-pods-same-port.yaml",
		"scenarios/tcp-syn-snat-two-pods.yaml", "tests/data/diff/conntrack-only.yaml",
		"tests/data/diff/nat-null-binding.yaml", "tests/data/diff/dns-a-aaaa-two-backends.yaml"};
	FILE *f = csv(dir, "dpor.csv",
		      "scenario,kernel,dpor_executions,dpor_classes,dpor_seconds,naive_executions,naive_classes,naive_complete,"
		      "dpor_pruned,odpor_executions,odpor_classes,odpor_pruned,odpor_seconds");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		load(files[i], &sc);
		const char *presets[] = {"v4.15", "v5.6"};
		for (int p = 0; p < 2; p++) {
			double t = run(&sc, presets[p], SIM_EXPLORE_DPOR, 0, true);
			struct sim_result d = J.result;
			double to = run(&sc, presets[p], SIM_EXPLORE_ODPOR, 0, true);
			struct sim_result o = J.result;
			run(&sc, presets[p], SIM_EXPLORE_DFS, 5000000, true);
			fprintf(f, "%s,%s,%" PRIu64 ",%" PRIu64 ",%.3f,%" PRIu64 ",%" PRIu64 ",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64
				   ",%" PRIu64 ",%.3f\n",
				sc.name, presets[p], d.executions, d.classes, t, J.result.executions, J.result.classes,
				J.result.complete ? "true" : "false", d.pruned, o.executions, o.classes, o.pruned, to);
			fflush(f);
		}
	}
	fclose(f);
}

static void bench_burst(const char *dir)
{
	static struct scenario base, sc;
	FILE *f = csv(dir, "burst.csv", "packets,kernel,explore,executions,pruned,seconds,complete,drop_executions");
	bool more[2] = {true, true}; /* per strategy: the last N took under 10 s */
	load("scenarios/dns-a-aaaa-one-backend.yaml", &base);
	for (uint32_t n = 2; n <= 6; n++) {
		sc = base;
		sc.packet_count = n;
		sc.replies = false; /* the udpclash selftest counts answers; here: packets through confirm */
		for (uint32_t i = 0; i < n; i++) {
			sc.packets[i] = base.packets[0];
			snprintf(sc.packets[i].name, sizeof(sc.packets[i].name), "q%u", i + 1);
			sc.packets[i].cpu = i;
		}
		for (int k = 0; k < 2; k++) {
			enum sim_strategy s = k ? SIM_EXPLORE_ODPOR : SIM_EXPLORE_DPOR;
			if (!more[k])
				continue;
			double t = run(&sc, "v5.10", s, 20000000, false);
			fprintf(f, "%u,v5.10,%s,%" PRIu64 ",%" PRIu64 ",%.3f,%s,%" PRIu64 "\n", n, sim_strategy_name(s),
				J.result.executions, J.result.pruned, t, J.result.complete ? "true" : "false", J.drop_executions);
			fflush(f);
			more[k] = t <= 10; /* the next N costs some hundred times more */
		}
		if (!more[0] && !more[1])
			break;
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "results/bench";
	const char *only = argc > 2 ? argv[2] : NULL;
	if (only && strcmp(only, "rate") && strcmp(only, "dpor") && strcmp(only, "burst")) {
		fprintf(stderr, "usage: bench_explore [DIR [rate|dpor|burst]]\n");
		return 2;
	}
	if (!only || !strcmp(only, "rate"))
		bench_rate(dir);
	if (!only || !strcmp(only, "dpor"))
		bench_dpor(dir);
	if (!only || !strcmp(only, "burst"))
		bench_burst(dir);
	printf("written to %s/%s.csv\n", dir, only ? only : "{rate,dpor,burst}");
	return 0;
}
