/*
 * report_witness.h - the witness timelines of `nfrace report`: which
 * execution a drop cell shows, and its replay as JSON (one entry per trace
 * step with the world's state after it) for the page's step-through viewer.
 */
#ifndef NFRACE_REPORT_WITNESS_H
#define NFRACE_REPORT_WITNESS_H

#include "program.h"

#include <stdbool.h>
#include <stdio.h>

/* report_best_drop - the drop outcome `run` lists with the fewest
 * preemptions, then the fewest steps (the first such in outcome order);
 * NULL when no outcome drops. */
const struct outcome *report_best_drop(const struct job *j);

/* report_witness_json - replay w (an outcome of j, which has run) with
 * tracing and a snapshot after every step, and write to f the member
 *   "SCENARIO/KERNEL":{"scenario":..,"kernel":..,"tree":"v4.15","outcome":..,"counters":..,
 *    "preemptions":P,"schedule":..,"replay":"nfrace replay PATH ...",
 *    "lanes":["cpu0",..],"steps":[{"lane":L,"fn":..,"action":..,"src":FILE|null,
 *    "url":LINK|null,"notes":[..],"state":{..}},..]}
 * (src: the kernel function's file at the preset's tree, url: a link to it).
 * preceded by a comma unless *first (which it then clears).  path is the
 * scenario file named in the replay command.  Returns 0, or -1 (message
 * printed, nothing written) when the witness does not replay: a model bug. */
int report_witness_json(FILE *f, struct job *j, const struct outcome *w, const char *path, bool *first);

#endif /* NFRACE_REPORT_WITNESS_H */
