/*
 * test_report_html.c - the escaping of the `nfrace report` page (nothing in
 * the data can end the <script> element or inject markup), and the stepwise
 * replay behind its timeline: one world snapshot after the prologues and one
 * after every step, the last one agreeing with the replayed outcome.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "program.h"
#include "report_html.h"
#include "scenario_load.h"
#include "snapshot.h"

/* The text fn writes for s. */
static char *render(void (*fn)(FILE *, const char *), const char *s)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	fn(f, s);
	fclose(f);
	return text;
}

static void test_html_script_json_escapes_script_end(void **state)
{
	(void)state;
	char *t = render(html_script_json, "{\"a\":\"</script><!-- & x\"}");
	assert_string_equal(t, "{\"a\":\"\\u003c/script\\u003e\\u003c!-- \\u0026 x\"}");
	free(t);
	t = render(html_script_json, "[\"\xe2\x80\xa8|\xe2\x80\xa9|\xe2\x82\xac\"]"); /* U+2028, U+2029, euro kept */
	assert_string_equal(t, "[\"\\u2028|\\u2029|\xe2\x82\xac\"]");
	free(t);
}

static void test_html_text_escapes_markup(void **state)
{
	(void)state;
	char *t = render(html_text, "<b a=\"1\">&</b>");
	assert_string_equal(t, "&lt;b a=&quot;1&quot;&gt;&amp;&lt;/b&gt;");
	free(t);
}

static void test_html_json_string_escapes(void **state)
{
	(void)state;
	char *t = render(html_json_string, "a\"b\\c\nd");
	assert_string_equal(t, "\"a\\\"b\\\\c\\u000ad\"");
	free(t);
}

struct seen {
	size_t n;
	char *first, *last;
	size_t trace_len;
	uint32_t actors;
};

static void observe(void *ctx, const struct nf_model *m)
{
	struct seen *s = ctx;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	nf_model_snapshot(m, f);
	fclose(f);
	if (s->n++ == 0)
		s->first = text;
	else {
		free(s->last);
		s->last = text;
	}
}

static void traced(void *ctx, const struct sim_exec *ex)
{
	struct seen *s = ctx;
	s->trace_len = ex->trace_len;
	s->actors = ex->actor_count;
}

static void test_job_replay_observed_sees_every_step(void **state)
{
	(void)state;
	static struct scenario sc;
	static struct job j;
	struct scenario_error err;
	struct seen seen = {0, NULL, NULL, 0, 0};
	struct outcome out;
	assert_int_equal(scenario_load_file("scenarios/dns-a-aaaa-one-backend.yaml", &sc, &err), 0);
	memset(&j, 0, sizeof(j));
	j.sc = &sc;
	j.kernel = "v4.15";
	j.fixes = nf_preset_lookup("v4.15")->fixes;
	j.strategy = SIM_EXPLORE_DPOR;
	assert_int_equal(job_run(&j), 0);
	const struct outcome *drop = NULL;
	for (uint32_t i = 0; i < j.outcome_count && !drop; i++)
		if (job_outcome_is_drop(&j.outcomes[i]))
			drop = &j.outcomes[i];
	assert_non_null(drop);
	assert_int_equal(job_replay_observed(&j, drop->schedule, observe, traced, &seen, &out), 0);
	/* one state after the prologues, one after each scheduled step */
	assert_int_equal(seen.n, seen.trace_len - seen.actors + 1);
	assert_non_null(strstr(seen.first, "\"buckets\":[]"));
	assert_non_null(strstr(seen.last, "\"CONFIRMED\""));
	char want[64];
	snprintf(want, sizeof(want), "\"insert_failed\":%u", out.counters[STAT_INSERT_FAILED]);
	assert_non_null(strstr(seen.last, want));
	assert_true(out.counters[STAT_INSERT_FAILED] > 0);
	free(seen.first);
	free(seen.last);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_script_json_escapes_script_end),
		cmocka_unit_test(test_html_text_escapes_markup),
		cmocka_unit_test(test_html_json_string_escapes),
		cmocka_unit_test(test_job_replay_observed_sees_every_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
