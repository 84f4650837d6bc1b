/*
 * snapshot.c - nf_model_snapshot (see snapshot.h).  The status bit names are
 * those of enum ip_conntrack_status without the IPS_ prefix, so the JSON
 * reads like `conntrack -L -o extended`.
 */
#include "snapshot.h"

#include "nf_conntrack.h"

#include <inttypes.h>

static const char *const status_names[] = {
	"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT", "DST_NAT", "SEQ_ADJUST",
	"SRC_NAT_DONE", "DST_NAT_DONE", "DYING", "FIXED_TIMEOUT", "TEMPLATE", "NAT_CLASH",
};

static const char *const fate_names[] = {"pending", "dropped", "reply_lost", "answered", "delivered"};

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void tuple(FILE *f, const struct nf_conntrack_tuple *t)
{
	const char *proto = t->protonum == PROTO_UDP ? "udp" : t->protonum == PROTO_TCP ? "tcp" : "proto";
	fprintf(f, "\"%s %u.%u.%u.%u:%u -> %u.%u.%u.%u:%u\"", proto, t->src_ip >> 24, (t->src_ip >> 16) & 255,
		(t->src_ip >> 8) & 255, t->src_ip & 255, t->src_port, t->dst_ip >> 24, (t->dst_ip >> 16) & 255,
		(t->dst_ip >> 8) & 255, t->dst_ip & 255, t->dst_port);
}

static void status(FILE *f, uint32_t bits)
{
	bool first = true;
	fputc('[', f);
	for (uint32_t b = 0; b < sizeof(status_names) / sizeof(status_names[0]); b++)
		if (bits & (1u << b)) {
			fprintf(f, "%s\"%s\"", first ? "" : ",", status_names[b]);
			first = false;
		}
	fputc(']', f);
}

/* The buckets that hold a node, ascending, each once. */
static uint32_t used_buckets(const struct world *w, uint32_t *out)
{
	uint32_t n = 0;
	for (int32_t i = nf_ct_next_allocated(w, -1); i >= 0; i = nf_ct_next_allocated(w, i))
		for (int d = 0; d < IP_CT_DIR_MAX; d++) {
			int32_t b = w->ct[i].hnode_bucket[d];
			if (b < 0)
				continue;
			uint32_t k = 0;
			while (k < n && out[k] < (uint32_t)b)
				k++;
			if (k < n && out[k] == (uint32_t)b)
				continue;
			for (uint32_t m = n; m > k; m--)
				out[m] = out[m - 1];
			out[k] = (uint32_t)b;
			n++;
		}
	return n;
}

static void buckets(FILE *f, const struct world *w)
{
	static uint32_t bucket[2 * NF_CT_MAX];
	static struct nf_ct_node chain[2 * NF_CT_MAX];
	uint32_t nb = used_buckets(w, bucket);
	fputs("\"buckets\":[", f);
	for (uint32_t k = 0; k < nb; k++) {
		fprintf(f, "%s{\"bucket\":%u,\"chain\":[", k ? "," : "", bucket[k]);
		uint32_t n = nf_ct_chain(w, bucket[k], chain, 2 * NF_CT_MAX);
		for (uint32_t i = 0; i < n; i++) {
			const struct nf_conn *ct = &w->ct[chain[i].ct];
			fprintf(f, "%s{\"ct\":%d,\"dir\":\"%s\",\"tuple\":", i ? "," : "", chain[i].ct,
				chain[i].dir == IP_CT_DIR_ORIGINAL ? "ORIGINAL" : "REPLY");
			tuple(f, &ct->tuplehash[chain[i].dir]);
			fputs(",\"status\":", f);
			status(f, ct->status);
			fprintf(f, ",\"use\":%d}", ct->use);
		}
		fputs("]}", f);
	}
	fputc(']', f);
}

static void lists(FILE *f, const struct nf_conn *ct)
{
	const char *names[5];
	uint32_t n = 0;
	if (ct->on_unconfirmed)
		names[n++] = "unconfirmed";
	if (ct->on_dying)
		names[n++] = "dying";
	if (ct->hnode_bucket[0] >= 0 || ct->hnode_bucket[1] >= 0)
		names[n++] = "hashed";
	if (ct->bysource_linked)
		names[n++] = "bysource";
	if (ct->freed)
		names[n++] = "freed";
	fputc('[', f);
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? "," : "", names[i]);
	fputc(']', f);
}

/* The CPU whose slots hold conntrack i (a replay is never symmetric: each
 * CPU is its own naming class, numbered like the CPU). */
static uint32_t slot_class(const struct world *w, int32_t i)
{
	uint32_t k = 0;
	while (k + 1 < w->class_count && (uint32_t)i >= w->class_base[k + 1])
		k++;
	return k;
}

static void conntracks(FILE *f, const struct world *w)
{
	bool first = true;
	fputs("\"conntracks\":[", f);
	for (int32_t i = nf_ct_next_allocated(w, -1); i >= 0; i = nf_ct_next_allocated(w, i)) {
		const struct nf_conn *ct = &w->ct[i];
		fprintf(f, "%s{\"ct\":%d,\"cpu\":%u,\"original\":", first ? "" : ",", i, slot_class(w, i));
		tuple(f, &ct->tuplehash[IP_CT_DIR_ORIGINAL]);
		fputs(",\"reply\":", f);
		tuple(f, &ct->tuplehash[IP_CT_DIR_REPLY]);
		fputs(",\"status\":", f);
		status(f, ct->status);
		fprintf(f, ",\"use\":%d,\"lists\":", ct->use);
		lists(f, ct);
		fputc('}', f);
		first = false;
	}
	fputc(']', f);
}

static void per_cpu_and_counters(FILE *f, const struct nf_model *m)
{
	const struct world *w = &m->w;
	fputs(",\"skb_ct\":[", f);
	for (uint32_t c = 0; c < w->cpu_count; c++)
		fprintf(f, "%s%d", c ? "," : "", m->cpus[c].skb_ct);
	fputs("],\"ports_drawn\":[", f);
	for (uint32_t i = 0; i < w->ports_drawn_count && i < NF_PORTS_DRAWN_MAX; i++)
		fprintf(f, "%s%u", i ? "," : "", w->ports_drawn[i]);
	fputs("],\"counters\":{", f);
	for (int s = 0; s < STAT_COUNT; s++)
		fprintf(f, "%s\"%s\":%u", s ? "," : "", nf_ct_stat_name((enum nf_ct_stat)s),
			nf_model_stat_sum(m, (enum nf_ct_stat)s));
	fputs("},\"fate\":{", f);
	for (uint32_t i = 0; i < w->sc->packet_count; i++) {
		fputs(i ? "," : "", f);
		json_str(f, w->sc->packets[i].name);
		fprintf(f, ":\"%s\"", fate_names[nf_model_fate(m, i)]);
	}
	fputc('}', f);
}

void nf_model_snapshot(const struct nf_model *m, FILE *out)
{
	const struct world *w = &m->w;
	fputc('{', out);
	buckets(out, w);
	fputc(',', out);
	conntracks(out, w);
	per_cpu_and_counters(out, m);
	fputc('}', out);
}
