/*
 * draws.h - the record of one execution's random data choices (the
 * `statistic` DNAT pick, prandom port draws) with the probability of the
 * value each took, for the probability of a verdict (docs/model.md,
 * "Probability of a verdict").
 *
 * The explorer enumerates every value of a choice point (sim_choose); how
 * likely a value is, only the model knows: a DNAT endpoint or a port of a
 * small range is one of n equally likely values (1/n); an abstracted draw
 * from a large range (nat.c) picks one port already relevant (1/range) or
 * stands for every other port at once ((range - relevant)/range).  Each
 * draw is logged with its CPU, what it picked and that probability; a port
 * that stood for the other ports is marked `fresh`, so that the job layer can
 * name it canonically (two executions drawing "some other port" in either
 * order are one event).  Nothing here yields: the log is the model's own
 * bookkeeping, not kernel state, and not part of world_pack's state (the
 * state-caching explorer reports no probability).
 */
#ifndef NFRACE_DRAWS_H
#define NFRACE_DRAWS_H

#include <stdbool.h>
#include <stdint.h>

enum { NF_DRAWS_MAX = 32 };

enum nf_draw_kind { NF_DRAW_DNAT = 1, NF_DRAW_PORT = 2 };

struct nf_draw {
	uint8_t cpu;       /* the drawing CPU's actor index (sim_actor_index: CPUs with packets, in order) */
	uint8_t kind;      /* enum nf_draw_kind */
	bool fresh;        /* PORT: the value stands for every port no flow has made relevant */
	uint16_t rule;     /* DNAT: the rule's index */
	uint32_t value;    /* DNAT: the endpoint index; PORT: the port */
	uint32_t num, den; /* the probability of this value: num/den */
};

struct nf_draws {
	uint32_t count;
	bool overflow;     /* more than NF_DRAWS_MAX draws: the probability is not known */
	struct nf_draw d[NF_DRAWS_MAX];
};

/* nf_draws_add - log one draw (a no-op past NF_DRAWS_MAX, which sets overflow). */
static inline void nf_draws_add(struct nf_draws *log, struct nf_draw d)
{
	if (log->count == NF_DRAWS_MAX) {
		log->overflow = true;
		return;
	}
	log->d[log->count++] = d;
}

#endif /* NFRACE_DRAWS_H */
