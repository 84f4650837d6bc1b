/*
 * confirm.h - the confirm hook (nf_conntrack_confirm / __nf_conntrack_confirm)
 * and clash resolution, see confirm.c.
 */
#ifndef NFRACE_CONFIRM_H
#define NFRACE_CONFIRM_H

#include "world.h"

/* nf_conntrack_confirm - insert skb's unconfirmed conntrack into the hash
 * table, resolving a clash with an entry confirmed meanwhile.  On a merge the
 * skb is re-pointed at the winner.  Returns NF_ACCEPT or NF_DROP. */
enum nf_verdict nf_conntrack_confirm(struct nf_cpu *c, struct sk_buff *skb);

#endif /* NFRACE_CONFIRM_H */
