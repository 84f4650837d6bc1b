/*
 * report.h - the texts nfrace prints or writes: the run summary, JSON (keys
 * in a fixed order), the matrix table and CSV, the coverage line, and the
 * replay trace.  Output goes to a FILE the CLI opened; nothing here decides
 * exit codes.
 */
#ifndef NFRACE_REPORT_H
#define NFRACE_REPORT_H

#include "program.h"

#include <stdio.h>

/* report_replay_options - the options a replay of j needs besides --kernel:
 * its fix set as --fix/--no-fix against the preset's, and --plant (""
 * when none; a static buffer, valid until the next call). */
const char *report_replay_options(const struct job *j);

/* report_coverage_line - "coverage: dpor, no bound, 1234 executions, complete". */
void report_coverage_line(FILE *f, const struct job *j);

/* report_summary - the human summary of one job (outcomes with schedules). */
void report_summary(FILE *f, const struct job *j, const char *scenario_path);

/* report_json - one job as a JSON object (no trailing newline). */
void report_json(FILE *f, const struct job *j, int indent);

/* report_sampling - observed drop fraction with a 95% Wilson interval, and
 * for PCT the guaranteed per-execution probability for the scenario's size. */
void report_sampling(FILE *f, const struct job *j);

/* report_wilson - the 95% Wilson score interval of k successes in n > 0 trials. */
void report_wilson(uint64_t k, uint64_t n, double *lo, double *hi);

/* report_verdict - "drop", "ok" or "incomplete" for a finished job. */
const char *report_verdict(const struct job *j);

/* report_events_destroy - an events job's DESTROY verdict: "lost" (some
 * listener never got one), "pending" (some still waiting for redelivery at
 * the end), "delivered", or "incomplete" (none lost or pending in the
 * timelines a bound or a signal let run). */
const char *report_events_destroy(const struct job *j);

/* report_cell_verdict - a matrix cell's text: the verdict, and for an events
 * job ",<destroy verdict>" ("ok,delivered"). */
void report_cell_verdict(const struct job *j, char *buf, size_t size);

/* report_outcome_text - "dropped AAAA; reply lost A" or "all answered". */
void report_outcome_text(FILE *f, const struct scenario *sc, const struct outcome *o);

/* report_counters - "insert_failed=1 drop=1" (non-zero counters only, or "none"). */
void report_counters(FILE *f, const struct outcome *o);

/* How a replayed execution is rendered (report_capture_trace). */
enum trace_style {
	TRACE_COLUMNS = 0, /* one column per CPU (replay's default) */
	TRACE_MAIL = 1,    /* one line per step, "  12 cpu1: file.c:function: access", 80 columns */
};

/* A replayed execution rendered as text (see report_capture_trace).  The
 * caller sets style and tree before the replay; text and refs come back. */
struct trace_buf {
	char *text;   /* the steps (malloc'd; the caller frees it, report_trace_free) */
	size_t len;
	bool failed;  /* an invariant broke or the execution deadlocked */
	enum trace_style style;
	const char *tree; /* the preset's source tree ("v4.15", "latest") for the references; NULL: none */
	size_t width;     /* TRACE_MAIL: line width (0: 80) */
	char *refs;   /* "kernel source at v4.15:" and one line per function the steps name */
	size_t refs_len;
};

/* report_capture_trace - trace_out callback (job_replay): render the
 * execution ex into the trace_buf ctx: the steps into text (a broken
 * invariant or a deadlock ends them), the source references of the kernel
 * functions they name into refs.  Left NULL when out of memory. */
struct sim_exec;
void report_capture_trace(void *ctx, const struct sim_exec *ex);

/* report_trace_free - free what report_capture_trace allocated. */
void report_trace_free(struct trace_buf *tb);

/* report_run_noun - what a job's execution count counts: "executions", or
 * "end states" for a state-caching run. */
const char *report_run_noun(const struct job *j);

#endif /* NFRACE_REPORT_H */
