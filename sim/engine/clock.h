/*
 * clock.h - virtual time and the event queue for timed runs.
 *
 * Time is an integer count of nanoseconds.  Events are ordered by time, then
 * by insertion sequence, so two events at the same instant fire in the order
 * they were scheduled: the order never depends on addresses.  The queue is a
 * binary heap with a fixed capacity chosen by the caller.
 */
#ifndef NFRACE_CLOCK_H
#define NFRACE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t sim_time_ns;

struct sim_event {
	sim_time_ns time_ns;
	uint64_t seq;      /* insertion order, assigned by the queue */
	uint32_t kind;     /* meaning chosen by the user of the queue */
	uint64_t payload;
};

struct sim_clock {
	sim_time_ns now_ns;
	uint64_t next_seq;
	struct sim_event *heap;
	size_t len, cap;
};

/* sim_clock_init - empty queue at time 0 with room for cap events (storage
 * supplied by the caller, cap >= 1). */
void sim_clock_init(struct sim_clock *c, struct sim_event *storage, size_t cap);

/* sim_clock_schedule - queue an event at absolute time at_ns (>= now).
 * Returns false when the queue is full or at_ns is in the past. */
bool sim_clock_schedule(struct sim_clock *c, sim_time_ns at_ns, uint32_t kind, uint64_t payload);

/* sim_clock_next - remove the earliest event into *out and advance now_ns to
 * its time.  Returns false when the queue is empty. */
bool sim_clock_next(struct sim_clock *c, struct sim_event *out);

/* sim_clock_pending - number of queued events. */
size_t sim_clock_pending(const struct sim_clock *c);

#endif /* NFRACE_CLOCK_H */
