/*
 * fuzz_merge.c - libFuzzer harness for what `nfrace merge` reads (job_shard.h):
 * any bytes, as a run shard and as a shard container (matrix or check), are
 * either accepted or refused with a located error, never a crash, a hang,
 * a leak or undefined behaviour.  An accepted run shard is then checked
 * against the scenario of the seed corpus (program hash, packets, every
 * witness replayed) and, when it passes, merged into a job twice (counts add
 * up without overflow); an accepted container is joined, and a check
 * container's tasks are read.  Each input is tried as it is and resealed
 * (its end line's checksum recomputed, as a forger would), so that mutated
 * fields get past the checksum to the checks behind it.  The seed corpus
 * (tests/fuzz/corpus/merge, made by make_merge_corpus.sh) holds real shards
 * of that scenario.
 */
#include "job_shard.h"
#include "scenario_load.h"
#include "token.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NFRACE_FUZZ_SCENARIO
#define NFRACE_FUZZ_SCENARIO "tests/data/good/dns-a-aaaa-one-backend.yaml"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A refusal must say where and what. */
static void check_error(const struct shard_error *e)
{
	if (e->message[0] == '\0' || memchr(e->message, '\0', sizeof(e->message)) == NULL)
		__builtin_trap();
}

static void run_shard(const char *text, size_t size, const struct scenario *sc)
{
	static struct run_shard s;
	static struct job j, into;
	struct shard_error e;
	if (job_shard_read_run(text, size, &s, &e) != 0) {
		check_error(&e);
		if (e.line == 0 || e.column == 0)
			__builtin_trap(); /* a run shard's errors are in its text */
		return;
	}
	const struct nf_preset *p = nf_preset_lookup(s.kernel);
	if (!p || !sc || !nf_preset_applies(p, sc->events.present))
		return;
	memset(&j, 0, sizeof(j));
	j.sc = sc;
	j.kernel = p->name;
	j.fixes = s.part.fixes;
	j.plants = s.part.plants;
	j.bounds.steps_max = s.part.bounds.steps_max < 100000 ? s.part.bounds.steps_max : 100000;
	job_prepare(&j);
	if (job_shard_check_run(&s, &j, &e) != 0) {
		check_error(&e);
		return;
	}
	memset(&into, 0, sizeof(into));
	into.sc = sc;
	into.hash = j.hash;
	into.bounds.split_depth = s.part.bounds.split_depth;
	into.result.complete = true;
	job_merge(&into, &s.part);
	job_merge(&into, &s.part);
	if (into.result.executions != 2 * s.part.result.executions || into.outcome_count != s.part.outcome_count)
		__builtin_trap();
}

static void container(const char *text, size_t size)
{
	static struct shard_container c;
	static const struct shard_task *at[SHARD_TASKS_MAX];
	const struct shard_container *all[1] = {&c};
	struct shard_error e;
	uint32_t bad;
	if (job_shard_read_container(text, size, &c, &e) != 0) {
		check_error(&e);
		return;
	}
	if (job_shard_join(all, 1, at, &bad, &e) != 0)
		check_error(&e); /* a part of N > 1 alone: a shard is missing */
	else if (c.n != 1)
		__builtin_trap();
	for (uint32_t t = 0; t < c.count && !strcmp(c.kind, "check"); t++) {
		struct check_task task;
		if (job_shard_read_check_task(c.tasks[t].text, c.tasks[t].len, &task, &e) != 0)
			check_error(&e);
		else if (task.out_len + task.annotations_len + task.junit_len > c.tasks[t].len)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario sc;
	static int loaded = -1;
	if (loaded < 0) {
		struct scenario_error err;
		loaded = scenario_load_file(NFRACE_FUZZ_SCENARIO, &sc, &err) == 0;
	}
	run_shard((const char *)data, size, loaded ? &sc : NULL);
	container((const char *)data, size);
	/* resealed: the body (without a last "end HASH" line) and a true checksum */
	size_t body = size >= 21 && !memcmp(data + size - 21, "end ", 4) ? size - 21 : size;
	char *text = malloc(body + 22);
	if (!text)
		return 0;
	memcpy(text, data, body);
	snprintf(text + body, 22, "end %016" PRIx64 "\n", sim_hash64(SIM_HASH_INIT, data, body));
	run_shard(text, body + 21, loaded ? &sc : NULL);
	container(text, body + 21);
	free(text);
	return 0;
}
