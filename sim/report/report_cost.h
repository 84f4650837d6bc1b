/*
 * report_cost.h - what makes a scenario expensive to explore, said to the
 * user of a long run (docs/scenario-format.md, "Cost").
 */
#ifndef NFRACE_REPORT_COST_H
#define NFRACE_REPORT_COST_H

#include "scenario.h"

#include <stdio.h>

/* report_cost_hint - one "to explore less: ..." line naming what sc has of
 * the costly things, largest first: packets on CPUs of their own, replies,
 * DNAT endpoints, random port draws; nothing for an events scenario. */
void report_cost_hint(FILE *f, const struct scenario *sc);

#endif /* NFRACE_REPORT_COST_H */
