/*
 * depindex.h - the steps of one execution chained by the objects they touch,
 * so that the DPOR scans visit only the earlier steps that can be dependent
 * with an access instead of every earlier step.
 *
 * sim_access_dependent (exec.h) relates two accesses only when they name the
 * same object, or when one is a quiesce on a lock class and the other takes
 * or releases a lock of that class.  So every step sits on one chain of its
 * object (a quiesce: on the chain of quiesces on its class), and a lock or
 * unlock also on the chain of lock operations of its class.  The steps on
 * the chains an access names (dep_chains) are a superset of the steps it
 * depends on; the caller still applies sim_access_dependent.
 *
 * Chains link step indices newest first.  The index is rebuilt with every
 * execution (dep_reset, then dep_push for each step in order); a table of
 * chain heads keyed by object is reset in O(1) by a generation count.
 */
#ifndef NFRACE_DEPINDEX_H
#define NFRACE_DEPINDEX_H

#include "sim.h"

#include <stdint.h>

#define DEP_END UINT32_MAX

struct dep_slot {
	uint64_t key;
	uint32_t head; /* newest step on the chain */
	uint32_t gen;  /* the slot is in use in generation gen only */
};

struct dep_index {
	struct dep_slot *slots;
	uint32_t cap, used, gen;
	uint32_t *next_obj; /* per step: the next older step on its first chain */
	uint32_t *next_cls; /* per step: the next older lock operation of its class (locks only) */
	uint32_t steps, steps_cap;
};

/* The chains an access depends along: up to two, each the newest step on it
 * older than the position asked for, or DEP_END. */
struct dep_chains {
	uint32_t head[2];
	uint8_t which[2]; /* 0: follow next_obj, 1: follow next_cls */
};

/* dep_init - an empty index; dep_release frees it. */
void dep_init(struct dep_index *d);
void dep_release(struct dep_index *d);

/* dep_reset - forget every step (a new execution starts). */
void dep_reset(struct dep_index *d);

/* dep_push - step number d->steps (the next one) performs acc.  Aborts when
 * out of memory. */
void dep_push(struct dep_index *d, const struct sim_access *acc);

/* dep_pop - forget the newest step, which performed acc (a stack of steps,
 * as the state-caching search keeps: stateful.c). */
void dep_pop(struct dep_index *d, const struct sim_access *acc);

/* dep_chains_of - the chains holding every step before step `before` (or
 * before the end, with before == d->steps) that acc may depend on.  Walk
 * each with dep_next; the steps come newest first. */
struct dep_chains dep_chains_of(const struct dep_index *d, const struct sim_access *acc, uint32_t before);

/* dep_next - the step after i on chain c of ch (an older step), or DEP_END. */
static inline uint32_t dep_next(const struct dep_index *d, const struct dep_chains *ch, int c, uint32_t i)
{
	return ch->which[c] ? d->next_cls[i] : d->next_obj[i];
}

#endif /* NFRACE_DEPINDEX_H */
