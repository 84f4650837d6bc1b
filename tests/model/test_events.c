/*
 * test_events.c - the event-path model (model/ev_*.c) on small hand-built
 * workloads, one property per test: what happens to DESTROY events and to the
 * table in each redesign, and that the same code runs under the exhaustive
 * explorer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ev.h"
#include "explore.h"

#define F(x) (1u << (unsigned)(x))
static const nf_fixset V2_6_30 = 0;
static const nf_fixset V2_6_31 = F(FIX_RELIABLE_EVENTS);
static const nf_fixset V4_9 = F(FIX_RELIABLE_EVENTS) | F(FIX_ECACHE_DWORK);
static const nf_fixset V5_19 = F(FIX_RELIABLE_EVENTS) | F(FIX_ECACHE_DWORK) | F(FIX_ECACHE_LIST);

static struct scenario SC;
static struct ev_net NET;
static struct ev_figures FIG;
static uint64_t RUNS, RUNS_DESTROY_LOST, RUNS_FAILED;

static void begin(void *ctx, struct sim_exec *ex)
{
	(void)ctx;
	ev_net_begin(&NET, ex);
}

static const char *check(void *ctx)
{
	(void)ctx;
	return ev_net_check(&NET);
}

static void end(void *ctx, struct sim_exec *ex, enum sim_end e)
{
	(void)ctx;
	(void)ex;
	RUNS++;
	RUNS_FAILED += e != SIM_END_DONE;
	ev_net_figures(&NET, &FIG);
	RUNS_DESTROY_LOST += FIG.destroy_lost > 0;
}

static uint64_t no_cost(void *ctx, const struct sim_access *a)
{
	(void)ctx;
	(void)a;
	return 0;
}

/* A flush of `flows` short flows with one listener. */
static void workload(uint32_t flows, uint32_t duration_ms, enum listener_kind kind, bool reliable, uint32_t rcvbuf,
		     uint32_t drain_per_s)
{
	memset(&SC, 0, sizeof(SC));
	struct scenario_events *e = &SC.events;
	e->present = true;
	e->duration_ms = duration_ms;
	e->nf_conntrack_max = 65536;
	e->buckets = 1024;
	e->flow_rate_per_s = 1000;
	e->arrival = ARRIVAL_FIXED;
	e->flow_count = flows;
	e->udp_timeout_s = 30;
	e->flush = true;
	e->flush_at_ms = flows + 5;
	e->msg_bytes_new = e->msg_bytes_update = e->msg_bytes_destroy = 1024;
	e->drain_tick_ms = 10;
	e->seed = 1;
	e->listener_count = 1;
	e->listeners[0] = (struct scenario_listener){"l", kind, reliable, rcvbuf, 0, drain_per_s, 0};
}

/* One timeline of SC under fixes. */
static void timeline(nf_fixset fixes)
{
	struct sim_program p = {1, NULL, begin, check, end, NULL, NULL, 0};
	struct sim_timing t = {no_cost, NULL, 0};
	struct sim_bounds b = {.executions_max = 1, .steps_max = UINT64_MAX};
	struct sim_result r;
	RUNS = RUNS_DESTROY_LOST = RUNS_FAILED = 0;
	assert_int_equal(ev_net_init(&NET, &SC, fixes), 0);
	assert_int_equal(sim_timed(&p, &t, &b, 1, &r), 0);
	ev_net_free(&NET);
	assert_int_equal(RUNS, 1);
	assert_int_equal(RUNS_FAILED, 0);
}

/* 2.6.30: a full socket loses DESTROY events and nothing is retried. */
static void test_before_reliable_delivery_destroy_lost(void **state)
{
	(void)state;
	workload(500, 60000, LISTENER_CONNTRACKD, true, 2048, 1000);
	timeline(V2_6_30);
	assert_true(FIG.destroy_lost > 0);
	assert_int_equal(FIG.redelivered, 0);
	assert_int_equal(FIG.dying_max, 0);
	assert_int_equal(FIG.count_end, 0);
}

/* Every redesign delivers every DESTROY to a reliable listener eventually,
 * parking entries meanwhile. */
static void test_reliable_delivery_each_redesign(void **state)
{
	(void)state;
	const nf_fixset sets[] = {V2_6_31, V4_9, V5_19};
	for (size_t i = 0; i < 3; i++) {
		workload(500, 60000, LISTENER_CONNTRACKD, true, 2048, 1000);
		timeline(sets[i]);
		assert_int_equal(FIG.destroy_lost, 0);
		assert_int_equal(FIG.destroy_pending, 0);
		assert_int_equal(FIG.delivered[MSG_DESTROY], 500);
		assert_true(FIG.dying_max > 0);
		assert_true(FIG.redelivered > 0);
		assert_int_equal(FIG.count_end, 0);
		assert_true(FIG.in_sync_ms > 0);
	}
}

/* Redelivery speed: 5.19's 10 ms retry beats the HZ/10 work queue, which beats
 * 2.6.31's random 0..15 s timers. */
static void test_redelivery_latency_by_version(void **state)
{
	(void)state;
	int64_t sync[3];
	const nf_fixset sets[] = {V2_6_31, V4_9, V5_19};
	for (size_t i = 0; i < 3; i++) {
		workload(500, 120000, LISTENER_CONNTRACKD, true, 2048, 1000);
		timeline(sets[i]);
		sync[i] = FIG.in_sync_ms;
		assert_true(sync[i] > 0);
	}
	assert_true(sync[2] < sync[1]);
	assert_true(sync[1] < sync[0]);
}

/* A listener without NETLINK_BROADCAST_ERROR never makes the kernel retry. */
static void test_unreliable_listener_loses_on_every_version(void **state)
{
	(void)state;
	workload(500, 60000, LISTENER_CONNTRACK_E, false, 2048, 1000);
	timeline(V5_19);
	assert_true(FIG.destroy_lost > 0);
	assert_int_equal(FIG.dying_max, 0);
	assert_true(FIG.sk_drops > 0);
	assert_true(FIG.enobufs > 0);
}

/* A stuck reliable listener: parked entries count and early_drop cannot free
 * them, so new flows hit "table full" in every redesign that tests whether
 * the victim is really gone (741385119706 and later).  2.6.31 counts a
 * victim as dropped once del_timer won, even if death_by_timeout parked it:
 * every flow is admitted and nf_conntrack_count passes nf_conntrack_max.
 * Before reliable delivery the victims are freed and their events lost. */
static void test_stuck_listener_fills_table(void **state)
{
	(void)state;
	workload(2000, 20000, LISTENER_CONNTRACKD, true, 2048, 0);
	SC.events.flush = false;
	SC.events.nf_conntrack_max = 256;
	SC.events.buckets = 64;
	timeline(V4_9);
	assert_true(FIG.table_full_drops > 0);
	assert_true(FIG.count_max <= 256);
	assert_true(FIG.destroy_pending > 0);
	timeline(V5_19);
	assert_true(FIG.table_full_drops > 0);
	timeline(V2_6_31);
	assert_int_equal(FIG.table_full_drops, 0);
	assert_true(FIG.early_drop > 0);
	assert_true(FIG.count_max > 256);
	assert_true(FIG.destroy_pending > 0);
	timeline(V2_6_31 | F(FIX_EARLY_DROP_DYING));
	assert_true(FIG.table_full_drops > 0);
	assert_true(FIG.count_max <= 256);
	timeline(V2_6_30);
	assert_int_equal(FIG.table_full_drops, 0);
	assert_true(FIG.early_drop > 0);
	assert_true(FIG.count_max <= 257);
}

/* The gc worker's early-drop mode (4.12+): a failed early_drop (the new
 * flow's 8 buckets are empty in a sparse table) sets the flag, and the next
 * gc run kills the unassured entries of its slice while the count is at or
 * above 95% of the maximum, so later flows find room.  With the 5.14 full
 * scans 2 minutes apart no run comes within the workload after the table
 * fills. */
static void test_gc_worker_early_drop_mode(void **state)
{
	(void)state;
	const nf_fixset v4_9 = V4_9 | F(FIX_EARLY_DROP_LIST);
	uint64_t drops_without;
	workload(300, 3000, LISTENER_CONNTRACK_E, false, 1u << 20, 1000);
	SC.events.flush = false;
	SC.events.flow_rate_per_s = 100;
	SC.events.nf_conntrack_max = 200;
	SC.events.buckets = 4096;
	timeline(v4_9);
	drops_without = FIG.table_full_drops;
	assert_true(drops_without > 0);
	assert_int_equal(FIG.gc_early_drop, 0);
	timeline(v4_9 | F(FIX_GC_EARLY_DROP));
	assert_true(FIG.gc_early_drop > 0);
	assert_true(FIG.table_full_drops < drops_without);
	timeline(v4_9 | F(FIX_GC_EARLY_DROP) | F(FIX_GC_ONE_CYCLE));
	assert_int_equal(FIG.gc_early_drop, 0);
	assert_int_equal(FIG.table_full_drops, drops_without);
}

/* The same code under DPOR: two flows, a flush, a listener whose socket holds
 * two messages and which reads twice.  Time is ignored, so every order of
 * kernel work and reads is explored: before reliable delivery some order loses
 * a DESTROY and some does not; with it none does. */
static void explore_small(nf_fixset fixes, struct sim_result *r)
{
	workload(2, 30, LISTENER_CONNTRACKD, true, 512, 100);
	struct sim_program p = {1, NULL, begin, check, end, NULL, NULL, 0};
	struct sim_bounds b = {.executions_max = 1000000, .steps_max = 10000};
	RUNS = RUNS_DESTROY_LOST = RUNS_FAILED = 0;
	assert_int_equal(ev_net_init(&NET, &SC, fixes), 0);
	assert_int_equal(sim_explore(&p, SIM_EXPLORE_DPOR, &b, false, r), 0);
	ev_net_free(&NET);
	assert_true(r->complete);
	assert_int_equal(RUNS_FAILED, 0);
	assert_true(RUNS > 1);
}

static void test_exhaustive_small_flush(void **state)
{
	(void)state;
	struct sim_result r;
	explore_small(V2_6_30, &r);
	assert_true(RUNS_DESTROY_LOST > 0);
	assert_true(RUNS_DESTROY_LOST < RUNS);
	explore_small(V5_19, &r);
	assert_int_equal(RUNS_DESTROY_LOST, 0);
	explore_small(V2_6_31, &r);
	assert_int_equal(RUNS_DESTROY_LOST, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_before_reliable_delivery_destroy_lost),
		cmocka_unit_test(test_reliable_delivery_each_redesign),
		cmocka_unit_test(test_redelivery_latency_by_version),
		cmocka_unit_test(test_unreliable_listener_loses_on_every_version),
		cmocka_unit_test(test_stuck_listener_fills_table),
		cmocka_unit_test(test_gc_worker_early_drop_mode),
		cmocka_unit_test(test_exhaustive_small_flush),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
