/*
 * snapshot.h - the state of one simulated kernel as compact JSON, for the
 * step-through timeline of `nfrace report`: the shared conntrack hash table
 * bucket by bucket (newest node first, as the kernel's chains are), every
 * conntrack object with its tuples and IPS_* status bits, each CPU's skb_ct,
 * the NAT port draws, the `conntrack -S` counters and the packets' fates.
 *
 * Read-only; writes to a stream the caller opened (the tool layer decides
 * where the text goes).  Keys come in a fixed order, so equal worlds give
 * equal text.
 */
#ifndef NFRACE_SNAPSHOT_H
#define NFRACE_SNAPSHOT_H

#include "model.h"

#include <stdio.h>

/* nf_model_snapshot - write the world of m (the running or just finished
 * execution) to out as one JSON object without a trailing newline:
 *   {"buckets":[{"bucket":B,"chain":[{"ct":N,"dir":"ORIGINAL","tuple":"udp a:p -> b:q",
 *     "status":["CONFIRMED",...],"use":U},...]},...],
 *    "conntracks":[{"ct":N,"cpu":C,"original":"...","reply":"...","status":[...],
 *     "use":U,"lists":["unconfirmed"|"dying"|"hashed"|"bysource"|"freed"...]},...],
 *    "skb_ct":[N or -1 per CPU],"ports_drawn":[P,...],
 *    "counters":{"found":0,...} (the statistics this kernel has, nf_ct_stat_in_kernel),"fate":{"PACKET":"pending"|...}}
 * m must not be NULL.  Strings contain no characters that JSON escapes other
 * than those of packet names, which are escaped. */
void nf_model_snapshot(const struct nf_model *m, FILE *out);

#endif /* NFRACE_SNAPSHOT_H */
