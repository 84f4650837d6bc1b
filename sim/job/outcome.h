/*
 * outcome.h - the outcomes of a job as a sorted set (job layer, used by the
 * files that run jobs and by those that complete their results).
 */
#ifndef NFRACE_OUTCOME_H
#define NFRACE_OUTCOME_H

#include "program.h"

/* job_outcome_of_model - the outcome of the execution m just ran: dropped
 * packets, lost replies, counters (schedule and counts left empty). */
void job_outcome_of_model(const struct nf_model *m, struct outcome *o);

/* job_outcome_cmp - the order of outcomes in a job (dropped, lost, counters). */
int job_outcome_cmp(const struct outcome *a, const struct outcome *b);

/* job_outcome_find - j's outcome equal to o, or NULL. */
struct outcome *job_outcome_find(struct job *j, const struct outcome *o);

/* job_outcome_insert - insert o (not yet in j) in sorted position and return
 * the new entry; NULL, with j->outcomes_overflow set, when j is full. */
struct outcome *job_outcome_insert(struct job *j, const struct outcome *o);

#endif /* NFRACE_OUTCOME_H */
