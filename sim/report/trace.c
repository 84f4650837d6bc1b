/*
 * trace.c - a traced execution as text: one column per CPU, one line per
 * step (the yield label: kernel function and the access), the step's notes
 * (what it decided, counters moved) below it in the same column.  Plain
 * ASCII that survives an email.  report_capture_trace renders one into
 * memory for the commands that print it later (replay, diff).
 */
#include "exec.h"
#include "report.h"

#include <stdbool.h>
#include <string.h>

enum { COL_WIDTH = 64 };

static void row(FILE *f, const char *stepno, uint32_t actors, int col, const char *text, size_t len)
{
	fprintf(f, "%5s ", stepno);
	for (uint32_t a = 0; a < actors; a++) {
		if ((int)a == col) {
			int w = (int)(len < COL_WIDTH ? len : COL_WIDTH);
			fprintf(f, "%.*s%*s", w, text, a + 1 < actors ? COL_WIDTH - w : 0, "");
		} else if (a + 1 < actors) {
			fprintf(f, "%*s", COL_WIDTH, "");
		}
		if (a + 1 < actors)
			fputs(" | ", f);
	}
	fputc('\n', f);
}

/* A text longer than the column continues on the next lines. */
static void cell(FILE *f, const char *stepno, uint32_t actors, int col, const char *text, size_t len)
{
	const char *no = stepno;
	while (len > COL_WIDTH) {
		row(f, no, actors, col, text, COL_WIDTH);
		text += COL_WIDTH;
		len -= COL_WIDTH;
		no = "";
	}
	row(f, no, actors, col, text, len);
}

/* Where each kernel function named in a label lives (docs/kernel-map.md). */
static const struct {
	const char *function, *where;
} kernel_refs[] = {
	{"____nf_conntrack_find", "net/netfilter/nf_conntrack_core.c (all versions)"},
	{"__nf_conntrack_find_get", "net/netfilter/nf_conntrack_core.c (all versions)"},
	{"nf_ct_key_equal", "net/netfilter/nf_conntrack_core.c (all versions)"},
	{"resolve_normal_ct", "net/netfilter/nf_conntrack_core.c (all versions)"},
	{"nf_conntrack_in", "net/netfilter/nf_conntrack_core.c (all versions)"},
	{"nf_conntrack_tuple_taken", "net/netfilter/nf_conntrack_core.c (same-origin skip from 4e35c1cb9460, v5.0)"},
	{"nf_conntrack_double_lock", "net/netfilter/nf_conntrack_core.c (per-bucket locks, v3.15+)"},
	{"nf_conntrack_double_unlock", "net/netfilter/nf_conntrack_core.c (per-bucket locks, v3.15+)"},
	{"__nf_conntrack_confirm", "net/netfilter/nf_conntrack_core.c (all versions)"},
	{"__nf_conntrack_hash_insert", "net/netfilter/nf_conntrack_core.c (all versions)"},
	{"nf_ct_resolve_clash", "net/netfilter/nf_conntrack_core.c (71d8c47fc653 v4.7; split in v5.6)"},
	{"__nf_ct_resolve_clash", "net/netfilter/nf_conntrack_core.c (v5.6+)"},
	{"nf_ct_resolve_clash_harder", "net/netfilter/nf_conntrack_core.c (6a757c07e51f, v5.6+)"},
	{"nf_conntrack_get", "include/net/netfilter/nf_conntrack.h"},
	{"nf_ct_put", "include/net/netfilter/nf_conntrack.h"},
	{"nf_ct_delete", "net/netfilter/nf_conntrack_core.c (DYING bit owner from v4.8)"},
	{"clean_from_lists", "net/netfilter/nf_conntrack_core.c"},
	{"nf_conntrack_udp_packet", "net/netfilter/nf_conntrack_proto_udp.c (NAT_CLASH handling from v5.6)"},
	{"nf_nat_setup_info", "net/netfilter/nf_nat_core.c (all versions)"},
	{"nf_nat_cleanup_conntrack", "net/netfilter/nf_nat_core.c (NAT extension destroy hook)"},
	{"find_appropriate_src", "net/netfilter/nf_nat_core.c (all versions)"},
	{"nf_nat_used_tuple_new", "net/netfilter/nf_nat_core.c (d8f84a9bc7c4, v6.12+)"},
	{"nf_nat_l4proto_unique_tuple", "net/netfilter/nf_nat_proto_common.c (to v5.0), nf_nat_core.c (v5.1+)"},
	{"prandom_u32", "lib/random32.c (the explorer enumerates the draw)"},
};

/* The kernel references of the functions the trace names, each once. */
static void trace_references(FILE *f, const struct sim_exec *ex)
{
	size_t n = sizeof(kernel_refs) / sizeof(kernel_refs[0]);
	bool used[sizeof(kernel_refs) / sizeof(kernel_refs[0])] = {false};
	for (size_t s = 0; s < ex->trace_len; s++) {
		const char *label = ex->trace[s].access.label;
		if (!label)
			continue;
		size_t len = strcspn(label, ":");
		for (size_t k = 0; k < n; k++)
			if (strlen(kernel_refs[k].function) == len && !strncmp(label, kernel_refs[k].function, len))
				used[k] = true;
	}
	fputs("\nkernel references:\n", f);
	for (size_t k = 0; k < n; k++)
		if (used[k])
			fprintf(f, "  %-28s %s\n", kernel_refs[k].function, kernel_refs[k].where);
}

void report_trace(FILE *f, const struct sim_exec *ex)
{
	uint32_t actors = ex->actor_count;
	char no[24];
	fprintf(f, "%5s ", "step");
	for (uint32_t a = 0; a < actors; a++)
		fprintf(f, "%-*s%s", a + 1 < actors ? COL_WIDTH : 0, ex->actors[a].name, a + 1 < actors ? " | " : "");
	fputc('\n', f);
	for (size_t s = 0; s < ex->trace_len; s++) {
		const struct sim_trace_step *st = &ex->trace[s];
		const char *label = st->access.label ? st->access.label : "(start)";
		snprintf(no, sizeof(no), "%zu", s);
		cell(f, no, actors, st->actor, label, strlen(label));
		const char *n = ex->notes + st->note_first;
		const char *end = n + st->note_len;
		while (n < end) {
			const char *nl = memchr(n, '\n', (size_t)(end - n));
			char buf[600];
			int len = snprintf(buf, sizeof(buf), "  -> %.*s", (int)(nl - n), n);
			cell(f, "", actors, st->actor, buf, (size_t)len < sizeof(buf) ? (size_t)len : sizeof(buf) - 1);
			n = nl + 1;
		}
	}
	if (ex->failed)
		fprintf(f, "MODEL INVARIANT BROKEN: %s\n", ex->fail_msg);
	trace_references(f, ex);
}

void report_capture_trace(void *ctx, const struct sim_exec *ex)
{
	struct trace_buf *tb = ctx;
	FILE *f = open_memstream(&tb->text, &tb->len);
	if (!f)
		return;
	report_trace(f, ex);
	tb->failed = sim_fail_message(ex) != NULL;
	for (uint32_t a = 0; a < ex->actor_count; a++)
		if (!ex->actors[a].finished && !tb->failed) {
			fputs("DEADLOCK: no CPU can run and some have not finished\n", f);
			tb->failed = true;
			break;
		}
	fclose(f);
}
