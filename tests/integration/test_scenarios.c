/*
 * test_scenarios.c - whole-model tests over the scenario files:
 *   - DPOR and optimal DPOR find exactly the outcomes and trace classes the
 *     naive DFS oracle finds (on the reply-less variants in tests/data/diff,
 *     small enough for the oracle);
 *   - optimal DPOR finds DPOR's outcomes and classes on every bundled
 *     scenario and preset, one execution each, with no more executions
 *     abandoned as sleep-set blocked;
 *   - state caching (stateful, with DPOR, and stateful-full) finds the naive
 *     search's outcomes on those variants, and DPOR's on every
 *     bundled scenario and preset, and every schedule it reports (made an
 *     ordinary schedule and permuted over interchangeable CPUs, symmetry.c)
 *     replays to its outcome, and its witness search finds witnesses with
 *     the preemptions and steps of the search over executions;
 *   - every schedule reported for every bundled scenario and preset replays
 *     to the outcome it was reported with;
 *   - two runs of one job give identical outcomes, counts and schedules.
 * Runs from the source directory (CTest sets it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "scenario_load.h"

static void load(const char *path, struct scenario *sc)
{
	struct scenario_error err;
	char msg[1024];
	if (scenario_load_file(path, sc, &err) != 0) {
		scenario_error_format(&err, msg, sizeof(msg));
		fail_msg("%s", msg);
	}
}

static void run_with(struct job *j, const struct scenario *sc, const char *preset, enum sim_strategy s,
		     struct sim_bounds b)
{
	memset(j, 0, sizeof(*j));
	j->bounds = b;
	j->bounds.count_classes = true;
	j->sc = sc;
	j->kernel = preset;
	j->fixes = nf_preset_lookup(preset)->fixes;
	j->strategy = s;
	assert_int_equal(job_run(j), 0);
	assert_false(j->failed);
	assert_true(j->result.complete);
}

static void run(struct job *j, const struct scenario *sc, const char *preset, enum sim_strategy s)
{
	run_with(j, sc, preset, s, (struct sim_bounds){0});
}

static bool same_key(const struct outcome *a, const struct outcome *b)
{
	return a->dropped == b->dropped && a->lost == b->lost && !memcmp(a->counters, b->counters, sizeof(a->counters));
}

/* j's outcomes are those of ref, key for key. */
static void assert_same_outcomes(const struct job *j, const struct job *ref)
{
	assert_int_equal(j->outcome_count, ref->outcome_count);
	for (uint32_t k = 0; k < ref->outcome_count; k++)
		assert_true(same_key(&j->outcomes[k], &ref->outcomes[k]));
}

/* Each schedule of j replays to its outcome; returns how many. */
static size_t assert_schedules_replay(struct job *j)
{
	for (uint32_t k = 0; k < j->outcome_count; k++) {
		struct outcome got;
		struct outcome want = j->outcomes[k];
		assert_int_equal(job_replay(j, want.schedule, NULL, NULL, &got), 0);
		assert_true(same_key(&got, &want));
	}
	return j->outcome_count;
}

static void test_dpor_matches_dfs_outcomes(void **state)
{
	(void)state;
	static const struct {
		const char *file, *preset;
	} cases[] = {
		{"tests/data/diff/conntrack-only.yaml", "v4.5"},
		{"tests/data/diff/conntrack-only.yaml", "v4.15"},
		{"tests/data/diff/conntrack-only.yaml", "mainline"},
		{"tests/data/diff/nat-null-binding.yaml", "v4.15"},
		{"tests/data/diff/nat-null-binding.yaml", "v4.19"},
		{"tests/data/diff/nat-null-binding.yaml", "v5.0"},
		{"tests/data/diff/dns-a-aaaa-two-backends.yaml", "v5.6"},
		{"tests/data/diff/reverse-new-both-ends.yaml", "mainline"},
	};
	static struct scenario sc;
	struct job *dfs = calloc(1, sizeof(*dfs)), *dpor = calloc(1, sizeof(*dpor));
	assert_non_null(dfs);
	assert_non_null(dpor);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		load(cases[c].file, &sc);
		run(dfs, &sc, cases[c].preset, SIM_EXPLORE_DFS);
		for (int o = 0; o < 2; o++) {
			run(dpor, &sc, cases[c].preset, o ? SIM_EXPLORE_ODPOR : SIM_EXPLORE_DPOR);
			printf("  %s %s: dfs %lu executions, %lu classes; %s %lu executions; %u outcomes\n",
			       cases[c].file, cases[c].preset, (unsigned long)dfs->result.executions,
			       (unsigned long)dfs->result.classes, o ? "odpor" : "dpor",
			       (unsigned long)dpor->result.executions, dfs->outcome_count);
			assert_int_equal(dfs->outcome_count, dpor->outcome_count);
			for (uint32_t k = 0; k < dfs->outcome_count; k++)
				assert_true(same_key(&dfs->outcomes[k], &dpor->outcomes[k]));
			assert_true(dpor->result.executions < dfs->result.executions);
			/* one execution per Mazurkiewicz trace class, and every class */
			assert_int_equal(dpor->result.classes, dfs->result.classes);
			assert_true(dpor->result.executions * 10 <= dfs->result.classes * 11);
		}
		for (int full = 0; full < 2; full++) { /* state caching: the same outcomes */
			run(dpor, &sc, cases[c].preset, full ? SIM_EXPLORE_STATEFUL_FULL : SIM_EXPLORE_STATEFUL);
			printf("  %s %s: %s %lu states, %lu transitions\n", cases[c].file, cases[c].preset,
			       sim_strategy_name(dpor->strategy), (unsigned long)dpor->result.states,
			       (unsigned long)dpor->result.transitions);
			assert_same_outcomes(dpor, dfs);
			assert_schedules_replay(dpor);
		}
	}
	free(dfs);
	free(dpor);
}

static void test_odpor_matches_dpor_everywhere(void **state);

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t list_scenarios(char **paths, size_t max)
{
	DIR *d = opendir("scenarios");
	size_t n = 0;
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d)) != NULL && n < max;) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) {
			paths[n] = malloc(len + 16);
			snprintf(paths[n++], len + 16, "scenarios/%s", e->d_name);
		}
	}
	closedir(d);
	qsort(paths, n, sizeof(paths[0]), cmp);
	return n;
}

static void test_stateful_matches_dpor_everywhere(void **state)
{
	(void)state;
	static struct scenario sc;
	char *paths[128];
	size_t n = list_scenarios(paths, 128), np, cells = 0, replays = 0;
	uint64_t states[2] = {0, 0}, memo_hits = 0;
	const struct nf_preset *presets = nf_preset_table(&np);
	struct job *dpor = calloc(1, sizeof(*dpor)), *j = calloc(1, sizeof(*j)), *chk = calloc(1, sizeof(*chk));
	assert_non_null(dpor);
	assert_non_null(j);
	assert_non_null(chk);
	for (size_t s = 0; s < n; s++) {
		load(paths[s], &sc);
		for (size_t p = 0; p < np && !sc.events.present; p++) {
			if (!nf_preset_applies(&presets[p], false))
				continue;
			run(dpor, &sc, presets[p].name, SIM_EXPLORE_DPOR);
			assert_int_equal(job_minimize_witnesses(dpor, 3, 2000000), 0);
			for (int full = 0; full < 2; full++) {
				run(j, &sc, presets[p].name, full ? SIM_EXPLORE_STATEFUL_FULL : SIM_EXPLORE_STATEFUL);
				assert_same_outcomes(j, dpor);
				replays += assert_schedules_replay(j);
				states[full] += j->result.states;
				/* the step memo's every answer equals the step taken, and
				 * without answering it searches the same states */
				run_with(chk, &sc, presets[p].name, full ? SIM_EXPLORE_STATEFUL_FULL : SIM_EXPLORE_STATEFUL,
					 (struct sim_bounds){.memo_check = true});
				assert_int_equal(chk->result.memo_mismatches, 0);
				assert_int_equal(chk->result.states, j->result.states);
				assert_int_equal(chk->result.transitions, j->result.transitions);
				assert_same_outcomes(chk, dpor);
				memo_hits += j->result.memo_hits;
				/* the witness search over states: the same fewest
				 * preemptions, then steps, as the search over executions
				 * (one form suffices: both run stateful.c's witness mode) */
				if (full)
					continue;
				assert_int_equal(job_minimize_witnesses(j, 3, 2000000), 0);
				assert_false(j->failed);
				assert_int_equal(j->witness_bound, dpor->witness_bound);
				for (uint32_t k = 0; k < j->outcome_count; k++) {
					assert_int_equal(j->outcomes[k].minimal, dpor->outcomes[k].minimal);
					assert_int_equal(j->outcomes[k].preemptions, dpor->outcomes[k].preemptions);
					assert_int_equal(j->outcomes[k].steps, dpor->outcomes[k].steps);
				}
				replays += assert_schedules_replay(j);
			}
			cells++;
		}
		free(paths[s]);
	}
	printf("  %zu cells: the outcomes of dpor; %zu schedules replayed; states: stateful %llu, stateful-full %llu;"
	       " %llu steps answered by the memo\n",
	       cells, replays, (unsigned long long)states[0], (unsigned long long)states[1], (unsigned long long)memo_hits);
	assert_true(states[0] <= states[1]);
	assert_true(memo_hits > 0);
	free(dpor);
	free(j);
	free(chk);
}

static void test_every_schedule_replays_to_its_outcome(void **state)
{
	(void)state;
	static struct scenario sc;
	char *paths[128];
	size_t n = list_scenarios(paths, 128), np, replays = 0;
	const struct nf_preset *presets = nf_preset_table(&np);
	struct job *j = calloc(1, sizeof(*j));
	assert_true(n >= 10);
	for (size_t s = 0; s < n; s++) {
		load(paths[s], &sc);
		for (size_t p = 0; p < np && !sc.events.present; p++) { /* events scenarios have no schedules */
			if (!nf_preset_applies(&presets[p], false))
				continue;
			run(j, &sc, presets[p].name, SIM_EXPLORE_DPOR);
			for (uint32_t k = 0; k < j->outcome_count; k++) {
				struct outcome got;
				struct outcome want = j->outcomes[k];
				assert_int_equal(job_replay(j, want.schedule, NULL, NULL, &got), 0);
				assert_true(same_key(&got, &want));
				replays++;
			}
		}
		free(paths[s]);
	}
	printf("  %zu schedules replayed\n", replays);
	free(j);
}

static void test_odpor_matches_dpor_everywhere(void **state)
{
	(void)state;
	static struct scenario sc;
	char *paths[128];
	size_t n = list_scenarios(paths, 128), np, cells = 0;
	uint64_t dpor_pruned = 0, odpor_pruned = 0;
	const struct nf_preset *presets = nf_preset_table(&np);
	struct job *dpor = calloc(1, sizeof(*dpor)), *odpor = calloc(1, sizeof(*odpor));
	assert_non_null(dpor);
	assert_non_null(odpor);
	for (size_t s = 0; s < n; s++) {
		load(paths[s], &sc);
		for (size_t p = 0; p < np && !sc.events.present; p++) {
			if (!nf_preset_applies(&presets[p], false))
				continue;
			run(dpor, &sc, presets[p].name, SIM_EXPLORE_DPOR);
			run(odpor, &sc, presets[p].name, SIM_EXPLORE_ODPOR);
			assert_int_equal(odpor->outcome_count, dpor->outcome_count);
			for (uint32_t k = 0; k < dpor->outcome_count; k++)
				assert_true(same_key(&odpor->outcomes[k], &dpor->outcomes[k]));
			assert_int_equal(odpor->result.classes, dpor->result.classes);
			assert_int_equal(odpor->result.executions, odpor->result.classes);
			assert_true(odpor->result.pruned <= dpor->result.pruned);
			assert_int_equal(odpor->result.wakeup_fallbacks, 0);
			dpor_pruned += dpor->result.pruned;
			odpor_pruned += odpor->result.pruned;
			cells++;
		}
		free(paths[s]);
	}
	printf("  %zu cells: same outcomes and classes; abandoned as sleep-set blocked: dpor %llu, odpor %llu\n",
	       cells, (unsigned long long)dpor_pruned, (unsigned long long)odpor_pruned);
	free(dpor);
	free(odpor);
}

/* The step memo on scenarios of three and four packets, where it answers
 * most steps: every answer it would give equals the step taken, and the run
 * that uses it visits the same states and transitions and finds the same
 * outcomes.  The same scenarios without blocks: more states, the same
 * outcomes. */
static void test_stateful_memo_on_scale(void **state)
{
	(void)state;
	static const struct {
		const char *file, *preset;
	} cases[] = {
		{"scenarios/scale/dns-three-datagrams-two-endpoints.yaml", "v5.6"},
		{"scenarios/scale/dns-three-datagrams-two-endpoints.yaml", "v4.19"},
		{"scenarios/scale/dns-two-pods-a-aaaa-two-endpoints.yaml", "v5.10"},
	};
	static struct scenario sc;
	struct job *j = calloc(1, sizeof(*j)), *chk = calloc(1, sizeof(*chk));
	assert_non_null(j);
	assert_non_null(chk);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		load(cases[c].file, &sc);
		run(j, &sc, cases[c].preset, SIM_EXPLORE_STATEFUL);
		run_with(chk, &sc, cases[c].preset, SIM_EXPLORE_STATEFUL, (struct sim_bounds){.memo_check = true});
		printf("  %s %s: %lu states, %lu transitions, %lu answered by the memo\n", cases[c].file, cases[c].preset,
		       (unsigned long)j->result.states, (unsigned long)j->result.transitions,
		       (unsigned long)j->result.memo_hits);
		assert_int_equal(chk->result.memo_mismatches, 0);
		assert_int_equal(chk->result.states, j->result.states);
		assert_int_equal(chk->result.transitions, j->result.transitions);
		assert_true(j->result.memo_hits * 10 > j->result.transitions); /* it does answer (18% to 36% here) */
		assert_same_outcomes(chk, j);
		/* blocks (Lipton's reduction) off: more states, the same outcomes */
		run_with(chk, &sc, cases[c].preset, SIM_EXPLORE_STATEFUL, (struct sim_bounds){.blocks_off = true});
		printf("  %s %s without blocks: %lu states\n", cases[c].file, cases[c].preset,
		       (unsigned long)chk->result.states);
		assert_true(chk->result.states > j->result.states);
		assert_same_outcomes(chk, j);
	}
	free(j);
	free(chk);
}

static void test_job_deterministic(void **state)
{
	(void)state;
	static struct scenario sc;
	struct job *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	load("scenarios/dns-a-aaaa-two-backends.yaml", &sc);
	run(a, &sc, "v5.6", SIM_EXPLORE_DPOR);
	run(b, &sc, "v5.6", SIM_EXPLORE_DPOR);
	assert_int_equal(a->result.executions, b->result.executions);
	assert_int_equal(a->outcome_count, b->outcome_count);
	assert_memory_equal(a->outcomes, b->outcomes, a->outcome_count * sizeof(struct outcome));
	free(a);
	free(b);
}

static void test_stale_token_refused(void **state)
{
	(void)state;
	static struct scenario sc;
	struct job *j = calloc(1, sizeof(*j));
	struct outcome got;
	load("scenarios/dns-a-aaaa-one-backend.yaml", &sc);
	run(j, &sc, "v4.15", SIM_EXPLORE_DPOR);
	char token[TOKEN_TEXT_MAX];
	memcpy(token, j->outcomes[0].schedule, sizeof(token));
	j->fixes = nf_preset_lookup("v5.0")->fixes; /* another fix set: another hash */
	assert_int_equal(job_replay(j, token, NULL, NULL, &got), 3);
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpor_matches_dfs_outcomes),
		cmocka_unit_test(test_every_schedule_replays_to_its_outcome),
		cmocka_unit_test(test_odpor_matches_dpor_everywhere),
		cmocka_unit_test(test_stateful_matches_dpor_everywhere),
		cmocka_unit_test(test_stateful_memo_on_scale),
		cmocka_unit_test(test_job_deterministic),
		cmocka_unit_test(test_stale_token_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
