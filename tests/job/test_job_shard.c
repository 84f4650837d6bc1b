/*
 * test_job_shard.c - unit tests of the shard files (sim/job/job_shard.c):
 * a real run shard and container round-trip; every kind of damage is
 * refused at its line and column (checked against texts resealed with a
 * true checksum, as a forger would make them, so that each check is reached
 * on its own); a part whose header claims the whole exploration is caught
 * by the subtree count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job_shard.h"
#include "scenario_load.h"
#include "token.h"

static struct scenario sc;
static struct job j;

/* Shard k of n of the fixture's exploration under v4.15, as text (malloc'd). */
static char *run_shard_text(uint32_t k, uint32_t n)
{
	struct scenario_error err;
	char *text = NULL;
	size_t len = 0;
	assert_int_equal(scenario_load_file("tests/data/good/dns-a-aaaa-one-backend.yaml", &sc, &err), 0);
	memset(&j, 0, sizeof(j));
	j.sc = &sc;
	j.kernel = nf_preset_lookup("v4.15")->name;
	j.fixes = nf_preset_lookup("v4.15")->fixes;
	j.strategy = SIM_EXPLORE_DPOR;
	j.bounds.split_depth = 8;
	j.bounds.shard_k = k;
	j.bounds.shard_n = n;
	assert_int_equal(job_run(&j), 0);
	FILE *f = open_memstream(&text, &len);
	job_shard_write_run(f, &j, "fixture.yaml", k, n, 3);
	fclose(f);
	return text;
}

/* text with line `line` (1-based) replaced by repl and a true checksum. */
static char *resealed(const char *text, unsigned line, const char *repl)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	const char *p = text;
	for (unsigned l = 1; *p; l++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (!strncmp(p, "end ", 4) && (!nl || !nl[1]))
			break;
		if (l == line)
			fprintf(f, "%s\n", repl);
		else
			fwrite(p, 1, n, f);
		p += n;
	}
	fflush(f);
	fprintf(f, "end %016" PRIx64 "\n", sim_hash64(SIM_HASH_INIT, out, len));
	fclose(f);
	return out;
}

/* The text of line `line` of text, into buf. */
static const char *line_of(const char *text, unsigned line, char *buf, size_t size)
{
	const char *p = text;
	for (unsigned l = 1; l < line && p; l++)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	assert_non_null(p);
	snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
	return buf;
}

static void expect_refused(const char *text, unsigned line, unsigned column, const char *message)
{
	static struct run_shard s;
	struct shard_error e;
	int rc = job_shard_read_run(text, strlen(text), &s, &e);
	if (rc != -1 || e.line != line || e.column != column || !strstr(e.message, message))
		print_message("got %u:%u: %s\n", e.line, e.column, e.message);
	assert_int_equal(rc, -1);
	assert_int_equal(e.line, line);
	assert_int_equal(e.column, column);
	assert_non_null(strstr(e.message, message));
}

static void test_job_shard_run_round_trip(void **state)
{
	static struct run_shard s;
	struct shard_error e;
	(void)state;
	char *text = run_shard_text(2, 3);
	assert_int_equal(job_shard_read_run(text, strlen(text), &s, &e), 0);
	assert_int_equal(s.k, 2);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.path, "fixture.yaml");
	assert_int_equal(s.part.hash, j.hash);
	assert_int_equal(s.part.outcome_count, j.outcome_count);
	assert_int_equal(s.part.result.executions, j.result.executions);
	assert_int_equal(s.part.result.subtrees_owned, j.result.subtrees_owned);
	assert_memory_equal(s.part.outcomes, j.outcomes, j.outcome_count * sizeof(struct outcome));
	j.bounds.shard_n = 0;
	job_prepare(&j);
	assert_int_equal(job_shard_check_run(&s, &j, &e), 0);
	free(text);
}

/* Each field out of range, each relation broken: refused where it is. */
static void test_job_shard_run_damage_located(void **state)
{
	char buf[4096], repl[4200];
	(void)state;
	char *text = run_shard_text(1, 2), *bad;
	/* (line, replacement, column, message) */
	struct {
		unsigned line;
		const char *repl;
		unsigned column;
		const char *message;
	} cases[] = {
		{1, "nfrace-run-shard 2 3 2", 1, "shard 3 of 2"},
		{1, "nfrace-run-shard 2 0 2", 20, "shard K: out of range"},
		{1, "nfrace-run-shard 1 1 2", 18, "format version 1"},
		{1, "nfrace-run-shard 2 1 4294967297", 22, "shard N: out of range"},
		{2, "path 0", 6, "path length: out of range"},
		{2, "path 9999", 6, "path length: out of range"},
		{4, "kernel v9.9", 8, "kernel: unknown preset"},
		{6, "result 1 0 0 0 1 1 0 0 0 1 3", 1, "complete and the reason it is not disagree"},
		{6, "result 1 0 0 0 1 1 0 0 0 0 99", 28, "why incomplete: out of range"},
		{6, "result 1 0 5 0 1 1 0 0 0 0 1", 1, "the counts do not fit together"},
		{6, "result 1 0 0 0 1 1 0 0 0 0 -1", 28, "why incomplete: not a decimal number"},
		{6, "result 72057594037927937 0 0 0 1 1 0 0 0 0 1", 8, "executions: out of range"},
		{7, "drops 0 0 257", 11, "outcome count: out of range"},
		{7, "drops 0 2 0", 9, "outcome overflow: out of range"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = resealed(text, cases[i].line, cases[i].repl);
		expect_refused(bad, cases[i].line, cases[i].column, cases[i].message);
		free(bad);
	}
	/* the job line: a strategy that is not split, an execution bound */
	line_of(text, 5, buf, sizeof(buf));
	snprintf(repl, sizeof(repl), "job %" PRIu64 " 0 6%s", (uint64_t)j.fixes, strstr(buf + 4, " 0 ") + 4);
	bad = resealed(text, 5, repl);
	expect_refused(bad, 5, (unsigned)strlen("job ") + (unsigned)snprintf(NULL, 0, "%" PRIu64, (uint64_t)j.fixes) + 4,
		       "strategy (dfs or dpor): out of range");
	free(bad);
	/* an outcome of a packet beyond 8, an outcome out of order */
	line_of(text, 8, buf, sizeof(buf));
	snprintf(repl, sizeof(repl), "outcome 256%s", strchr(buf + 8, ' '));
	bad = resealed(text, 8, repl);
	expect_refused(bad, 8, 9, "dropped: out of range");
	free(bad);
	if (j.outcome_count >= 2) {
		char second[4096];
		line_of(text, 9, second, sizeof(second));
		bad = resealed(text, 8, second);
		expect_refused(bad, 9, 1, "outcome: not after the one before");
		free(bad);
	}
	/* the draws of the dropping executions (probability.h), after the outcomes */
	unsigned draw_line = 8 + j.outcome_count;
	assert_int_equal(strncmp(line_of(text, draw_line, buf, sizeof(buf)), "draw ", 5), 0);
	struct {
		const char *repl;
		unsigned column;
		const char *message;
	} draws[] = {
		{"draw 0x1.8p+0 0", 6, "probability: not a number in (0, 1]"},
		{"draw nan 0", 6, "probability: not a number in (0, 1]"},
		{"draw 0x1p-1 33", 13, "draw count: out of range"},
		{"draw 0x1p-1 1 9:1", 15, "draw: expected cpu:value"},
		{"draw 0x1p-1 1 1:4294967296", 15, "draw: expected cpu:value"},
		{"draw 0x1p-1 2 1:1", 18, "draw: expected a space and a word"},
	};
	for (size_t i = 0; i < sizeof(draws) / sizeof(draws[0]); i++) {
		bad = resealed(text, draw_line, draws[i].repl);
		expect_refused(bad, draw_line, draws[i].column, draws[i].message);
		free(bad);
	}
	/* the checksum: a changed byte without resealing */
	bad = strdup(text);
	bad[strlen("nfrace-run-shard 2 1 2\npath 12\nf")] = 'F';
	unsigned end_line = 0;
	for (const char *p = text; *p; p++)
		end_line += *p == '\n';
	expect_refused(bad, end_line, 5, "checksum mismatch");
	free(bad);
	/* cut short anywhere */
	for (size_t cut = 0; cut + 1 < strlen(text); cut += 7) {
		static struct run_shard s;
		struct shard_error e;
		assert_int_equal(job_shard_read_run(text, cut, &s, &e), -1);
		assert_true(e.line >= 1 && e.column >= 1 && e.message[0]);
	}
	free(text);
}

/* A part whose header says it is the whole exploration: it reads and its
 * witnesses replay, but it explored fewer subtrees than there are. */
static void test_job_shard_run_forged_header(void **state)
{
	static struct run_shard s;
	struct shard_error e;
	(void)state;
	char *text = run_shard_text(1, 3);
	char *forged = resealed(text, 1, "nfrace-run-shard 2 1 1");
	assert_int_equal(job_shard_read_run(forged, strlen(forged), &s, &e), 0);
	j.bounds.shard_n = 0;
	job_prepare(&j);
	assert_int_equal(job_shard_check_run(&s, &j, &e), 0);
	assert_true(s.part.result.complete);
	assert_true(s.part.result.subtrees_owned < s.part.result.subtrees);
	free(forged);
	free(text);
}

static const char *task_text(void *ctx, uint32_t t)
{
	static char buf[32];
	(void)ctx;
	snprintf(buf, sizeof(buf), "{\"task\": %u}", t);
	return buf;
}

static char *container_text(uint32_t k, uint32_t n, const char *ident)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	job_shard_write_container(f, "matrix", ident, k, n, 5, task_text, NULL);
	fclose(f);
	return text;
}

static void test_job_shard_container_join(void **state)
{
	static struct shard_container a, b, c;
	static const struct shard_task *at[SHARD_TASKS_MAX];
	const struct shard_container *both[] = {&b, &a}, *twice[] = {&a, &a}, *other[] = {&a, &c};
	struct shard_error e;
	uint32_t bad;
	(void)state;
	char *ta = container_text(1, 2, "matrix of x\n"), *tb = container_text(2, 2, "matrix of x\n");
	char *tc = container_text(2, 2, "matrix of y\n");
	assert_int_equal(job_shard_read_container(ta, strlen(ta), &a, &e), 0);
	assert_int_equal(job_shard_read_container(tb, strlen(tb), &b, &e), 0);
	assert_int_equal(job_shard_read_container(tc, strlen(tc), &c, &e), 0);
	assert_int_equal(a.count, 3);
	assert_int_equal(b.count, 2);
	assert_int_equal(job_shard_join(both, 2, at, &bad, &e), 0);
	for (uint32_t t = 0; t < 5; t++) {
		char want[32];
		snprintf(want, sizeof(want), "{\"task\": %u}", t);
		assert_int_equal(at[t]->len, strlen(want));
		assert_memory_equal(at[t]->text, want, at[t]->len);
	}
	assert_int_equal(job_shard_join(twice, 2, at, &bad, &e), -1);
	assert_non_null(strstr(e.message, "given twice"));
	assert_int_equal(job_shard_join(other, 2, at, &bad, &e), -1);
	assert_int_equal(bad, 1);
	assert_non_null(strstr(e.message, "ident: another matrix"));
	assert_int_equal(job_shard_join(both, 1, at, &bad, &e), -1);
	assert_non_null(strstr(e.message, "shard 1/2 is missing"));
	/* a task out of place, a task length past the end, a task missing */
	char *bad_text = resealed(ta, 5, "task 1 12");
	assert_int_equal(job_shard_read_container(bad_text, strlen(bad_text), &a, &e), -1);
	assert_int_equal(e.line, 5);
	assert_non_null(strstr(e.message, "task 1 where task 0 belongs"));
	free(bad_text);
	bad_text = resealed(ta, 5, "task 0 99999");
	assert_int_equal(job_shard_read_container(bad_text, strlen(bad_text), &a, &e), -1);
	assert_non_null(strstr(e.message, "bytes announced"));
	free(bad_text);
	free(ta);
	free(tb);
	free(tc);
}

static void test_job_shard_check_task(void **state)
{
	struct check_task t = {1, "FAIL x\n", "::error file=a,line=1,col=1::m\n", "  <testcase/>\n", 7, 31, 14}, u;
	struct shard_error e;
	(void)state;
	char *text = job_shard_check_task_text(&t);
	assert_int_equal(job_shard_read_check_task(text, strlen(text), &u, &e), 0);
	assert_int_equal(u.status, 1);
	assert_int_equal(u.out_len, 7);
	assert_memory_equal(u.junit, t.junit, t.junit_len);
	assert_int_equal(job_shard_read_check_task("9 0 0 0\n", 8, &u, &e), -1);
	assert_int_equal(job_shard_read_check_task("1 5 0 0\nabc", 11, &u, &e), -1);
	assert_non_null(strstr(e.message, "do not add up"));
	assert_int_equal(job_shard_read_check_task("1 18446744073709551615 1 0\n", 27, &u, &e), -1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_job_shard_run_round_trip),
		cmocka_unit_test(test_job_shard_run_damage_located),
		cmocka_unit_test(test_job_shard_run_forged_header),
		cmocka_unit_test(test_job_shard_container_join),
		cmocka_unit_test(test_job_shard_check_task),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
