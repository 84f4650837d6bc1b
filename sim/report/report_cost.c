/*
 * report_cost.c - the cost hint of a long run (see report_cost.h).
 */
#include "report_cost.h"

void report_cost_hint(FILE *f, const struct scenario *sc)
{
	uint32_t cpus = 0, endpoints = 0;
	bool random = false;
	if (sc->events.present)
		return;
	for (uint32_t c = 0; c < SCENARIO_CPUS_MAX; c++)
		for (uint32_t i = 0; i < sc->packet_count; i++)
			if (sc->packets[i].cpu == c) {
				cpus++;
				break;
			}
	for (uint32_t r = 0; r < sc->rule_count; r++) {
		if (sc->rules[r].action == ACTION_DNAT && sc->rules[r].target_count > endpoints)
			endpoints = sc->rules[r].target_count;
		random = random || sc->rules[r].random || sc->rules[r].random_fully;
	}
	fprintf(f, "hint: to explore less (docs/scenario-format.md, Cost): %u packet%s on %u CPU%s (each CPU of its own "
		   "multiplies the interleavings; packets on one CPU run in order)",
		sc->packet_count, sc->packet_count == 1 ? "" : "s", cpus, cpus == 1 ? "" : "s");
	if (sc->replies)
		fputs("; replies: true (false leaves out the answers' pass)", f);
	if (endpoints > 1)
		fprintf(f, "; %u DNAT endpoints (two show a different-endpoint race)", endpoints);
	if (random)
		fputs("; random port draws (every relevant value is explored)", f);
	fputc('\n', f);
}
