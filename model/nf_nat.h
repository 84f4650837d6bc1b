/*
 * nf_nat.h - the NAT functions of the model (net/netfilter/nf_nat_core.c,
 * nf_nat_proto_common.c / the l4 unique_tuple, the iptables NAT hook glue).
 */
#ifndef NFRACE_NF_NAT_H
#define NFRACE_NF_NAT_H

#include "world.h"

/* nf_nat_ipv4_fn - the NAT hook at hook for skb: for a NEW conntrack run the
 * nat table chain of this hook (first matching rule wins) or bind a null
 * mapping, then rewrite the packet with nf_nat_packet.  Does nothing when the
 * scenario has no nat table. */
enum nf_verdict nf_nat_ipv4_fn(struct nf_cpu *c, struct sk_buff *skb, enum nf_hook hook);

/* nf_nat_setup_info - choose the mapping of ct for maniptype within range and
 * record it (alter the REPLY tuple, status bits, nf_nat_bysource for SRC). */
enum nf_verdict nf_nat_setup_info(struct nf_cpu *c, int32_t ct, const struct nf_nat_range2 *range,
				  enum nf_nat_manip_type maniptype);

/* get_unique_tuple - the kernel's four-step choice of a NAT tuple (see nat.c). */
void get_unique_tuple(struct nf_cpu *c, struct nf_conntrack_tuple *tuple, const struct nf_conntrack_tuple *orig_tuple,
		      const struct nf_nat_range2 *range, int32_t ct, enum nf_nat_manip_type maniptype);

/* nf_nat_used_tuple - would tuple (an ORIGINAL tuple) give a REPLY tuple
 * that a confirmed conntrack other than ct already uses? */
bool nf_nat_used_tuple(struct nf_cpu *c, const struct nf_conntrack_tuple *tuple, int32_t ct);

/* nf_nat_packet - rewrite skb per ct's mapping for this hook and direction. */
enum nf_verdict nf_nat_packet(struct nf_cpu *c, int32_t ct, enum ip_conntrack_info ctinfo, enum nf_hook hook,
			      struct sk_buff *skb);

/* nf_nat_cleanup_conntrack - unlink ct from nf_nat_bysource (at free). */
void nf_nat_cleanup_conntrack(struct nf_cpu *c, int32_t ct);

#endif /* NFRACE_NF_NAT_H */
