/*
 * scenario_load_time.h - the timing: and events: sections of a scenario
 * (scenario_load_time.c), read for scenario_load.c with the helpers of
 * scenario_yaml.h.
 */
#ifndef NFRACE_SCENARIO_LOAD_TIME_H
#define NFRACE_SCENARIO_LOAD_TIME_H

#include "scenario_yaml.h"

/* load_timing / load_events - validate the timing: / events: mapping n
 * (key path path) into ld->out->timing / ld->out->events.  0, or -1 with
 * the error recorded in ld->err (yl_fail). */
int load_timing(struct loader *ld, yaml_node_t *n, const char *path);
int load_events(struct loader *ld, yaml_node_t *n, const char *path);

#endif /* NFRACE_SCENARIO_LOAD_TIME_H */
