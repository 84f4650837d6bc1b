/*
 * probability.h - how likely a verdict is over the kernel's random data
 * choices: the probability that the random draws of one run of the scenario
 * (DNAT endpoint picks, prandom port draws) take values under which some
 * interleaving drops a packet or loses a reply.  The scheduler is taken as
 * adversarial (an interleaving that drops counts if it exists); only the
 * data is random.  A drop that needs two random ports to collide
 * (`--random-fully`) gets p = 1/64,512; one that needs nothing random, p = 1.
 *
 * It is derived from the model's own choice points: every drop execution's
 * draws (model/draws.h) become a key, the draws per CPU in order, with ports
 * that stood for "any other port" named by first appearance; equal keys are
 * one event.  The probability is the sum over the distinct keys, after
 * dropping a key that only extends another (a CPU drew more values on top:
 * a sub-event).  Two keys that extend each other on different CPUs overlap,
 * so the sum is then only an upper bound, and says so.  Plain data; never
 * printed here.
 */
#ifndef NFRACE_PROBABILITY_H
#define NFRACE_PROBABILITY_H

#include "draws.h"

#include <stdbool.h>
#include <stdint.h>

enum { JOB_DRAW_KEYS_MAX = 512 };

/* One distinct set of draws (canonical) and its probability. */
struct job_draw_key {
	uint64_t hash;
	double p;
	uint8_t n;
	uint8_t cpu[NF_DRAWS_MAX];
	uint32_t value[NF_DRAWS_MAX];
};

struct job_draws {
	uint32_t count;
	bool overflow; /* an execution had more draws than logged, or more keys than kept */
	struct job_draw_key keys[JOB_DRAW_KEYS_MAX];
};

/* job_draws_reset - empty d. */
void job_draws_reset(struct job_draws *d);

/* job_draws_add - add the draws of one dropping execution (a key already in
 * d is not added twice). */
void job_draws_add(struct job_draws *d, const struct nf_draws *log);

/* job_draws_merge - add every key of part to into (shards of one exploration). */
void job_draws_merge(struct job_draws *into, const struct job_draws *part);

/* job_draws_probability - the probability of the keys of d: false when it is
 * not known (no key, or an overflow); *exact false when it is only an upper
 * bound (overlapping keys). */
bool job_draws_probability(const struct job_draws *d, double *p, bool *exact);

/* job_draws_add_key - add one key as it is (a shard file's key); returns
 * false when d is full (overflow is then set). */
bool job_draws_add_key(struct job_draws *d, const struct job_draw_key *k);

#endif /* NFRACE_PROBABILITY_H */
