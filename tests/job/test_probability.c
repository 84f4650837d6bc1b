/*
 * test_probability.c - the probability of a verdict over the random draws
 * (sim/job/probability.c): keys of the dropping executions' draws, one event
 * per key whatever the order the CPUs drew in, a key that only extends
 * another not counted twice, overlapping keys reported as a bound; and end to
 * end on bundled scenarios, where the figure comes out of the model's choice
 * points (1/64,512 for two --random-fully draws that must collide).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "probability.h"
#include "program.h"
#include "scenario_load.h"

enum { R = 64512 }; /* ports 1024..65535 */

static struct nf_draw port(uint8_t cpu, uint32_t value, bool fresh, uint32_t num)
{
	struct nf_draw d = {cpu, NF_DRAW_PORT, fresh, 0, value, num, R};
	return d;
}

static void add(struct job_draws *d, int n, const struct nf_draw *draws)
{
	struct nf_draws log;
	memset(&log, 0, sizeof(log));
	for (int i = 0; i < n; i++)
		nf_draws_add(&log, draws[i]);
	job_draws_add(d, &log);
}

static double prob(const struct job_draws *d, bool *exact)
{
	double p = -1;
	assert_true(job_draws_probability(d, &p, exact));
	return p;
}

static void test_job_draws_probability_two_draws_collide(void **state)
{
	(void)state;
	static struct job_draws d;
	bool exact;
	job_draws_reset(&d);
	/* both draw the scenario's port 40000, or both the same other port */
	const struct nf_draw same_relevant[] = {port(0, 40000, false, 1), port(1, 40000, false, 1)};
	const struct nf_draw same_fresh[] = {port(0, 33000, true, R - 1), port(1, 33000, false, 1)};
	add(&d, 2, same_relevant);
	add(&d, 2, same_fresh);
	double p = prob(&d, &exact);
	assert_true(exact);
	assert_true(fabs(p * R - 1) < 1e-9);
}

static void test_job_draws_add_one_event_in_either_order(void **state)
{
	(void)state;
	static struct job_draws d;
	bool exact;
	job_draws_reset(&d);
	/* cpu0 draws some other port first and cpu1 the same; then the other way round,
	 * where the fresh port the abstraction picked has another number */
	const struct nf_draw first[] = {port(0, 33000, true, R - 1), port(1, 33000, false, 1)};
	const struct nf_draw second[] = {port(1, 20000, true, R - 1), port(0, 20000, false, 1)};
	add(&d, 2, first);
	add(&d, 2, second);
	assert_int_equal(d.count, 1);
	assert_true(fabs(prob(&d, &exact) - (double)(R - 1) / R / R) < 1e-15);
}

static void test_job_draws_probability_extension_counted_once(void **state)
{
	(void)state;
	static struct job_draws d;
	bool exact;
	job_draws_reset(&d);
	const struct nf_draw shorter[] = {port(0, 40000, false, 1)};
	const struct nf_draw longer[] = {port(0, 40000, false, 1), port(0, 33000, true, R - 1)};
	add(&d, 2, longer);
	add(&d, 1, shorter);
	double p = prob(&d, &exact);
	assert_true(exact);
	assert_true(fabs(p * R - 1) < 1e-9);
}

static void test_job_draws_probability_overlap_is_a_bound(void **state)
{
	(void)state;
	static struct job_draws d;
	bool exact;
	job_draws_reset(&d);
	/* cpu0 draws more in one, cpu1 in the other: the events overlap */
	const struct nf_draw a[] = {port(0, 40000, false, 1), port(0, 40001, false, 1), port(1, 40000, false, 1)};
	const struct nf_draw b[] = {port(0, 40000, false, 1), port(1, 40000, false, 1), port(1, 40001, false, 1)};
	add(&d, 3, a);
	add(&d, 3, b);
	prob(&d, &exact);
	assert_false(exact);
}

static void test_job_draws_probability_dnat_endpoints_differ(void **state)
{
	(void)state;
	static struct job_draws d;
	bool exact;
	job_draws_reset(&d);
	for (uint32_t a = 0; a < 2; a++) {
		const struct nf_draw draws[] = {{0, NF_DRAW_DNAT, false, 0, a, 1, 2}, {1, NF_DRAW_DNAT, false, 0, 1 - a, 1, 2}};
		add(&d, 2, draws);
	}
	assert_true(fabs(prob(&d, &exact) - 0.5) < 1e-12);
	assert_true(exact);
}

/* The bundled scenario under a preset, explored by DPOR. */
static double scenario_probability(const char *path, const char *preset, bool *known)
{
	static struct scenario sc;
	static struct job j;
	struct scenario_error err;
	double p = -1;
	bool exact;
	assert_int_equal(scenario_load_file(path, &sc, &err), 0);
	memset(&j, 0, sizeof(j));
	j.sc = &sc;
	j.kernel = preset;
	j.fixes = nf_preset_lookup(preset)->fixes;
	j.strategy = SIM_EXPLORE_DPOR;
	assert_int_equal(job_run(&j), 0);
	assert_true(j.result.complete);
	*known = job_drop_probability(&j, &p, &exact);
	assert_true(!*known || exact);
	return p;
}

static void test_job_drop_probability_of_bundled_scenarios(void **state)
{
	(void)state;
	bool known;
	double p = scenario_probability("scenarios/snat-two-pods-random-fully.yaml", "mainline", &known);
	assert_true(known);
	assert_true(fabs(p * R - 1) < 1e-9);
	p = scenario_probability("scenarios/dns-a-aaaa-two-backends.yaml", "v5.0", &known);
	assert_true(known);
	assert_true(fabs(p - 0.5) < 1e-12);
	p = scenario_probability("scenarios/dns-a-aaaa-one-backend.yaml", "v4.15", &known);
	assert_true(known);
	assert_true(fabs(p - 1) < 1e-12);
	scenario_probability("scenarios/dns-a-aaaa-one-backend.yaml", "v5.0", &known);
	assert_false(known); /* no drop */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_job_draws_probability_two_draws_collide),
		cmocka_unit_test(test_job_draws_add_one_event_in_either_order),
		cmocka_unit_test(test_job_draws_probability_extension_counted_once),
		cmocka_unit_test(test_job_draws_probability_overlap_is_a_bound),
		cmocka_unit_test(test_job_draws_probability_dnat_endpoints_differ),
		cmocka_unit_test(test_job_drop_probability_of_bundled_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
