/*
 * kernel_src.c - the function-to-file table of the traces (see kernel_src.h).
 *
 * One row per kernel function that a yield label of the model names.  Most
 * stayed in one file over the modelled releases; a row with a `since`
 * release gives the file from that release on (and before it, `file`).
 * Releases compare numerically (v4.15 < v5.0 < v5.10); "latest" is newer
 * than every tag.  Sources: docs/kernel-map.md; the move of the port search
 * into nf_nat_core.c with the NAT core refactor (716b23c19edd, v5.1); the
 * prandom_u32 -> get_random_u16 change in nf_nat_l4proto_unique_tuple
 * (7e3cf0843fe5, v6.1 merge window).
 */
#include "kernel_src.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORE "net/netfilter/nf_conntrack_core.c"
#define NAT_CORE "net/netfilter/nf_nat_core.c"
#define NAT_CORE_IPV4 "net/ipv4/netfilter/nf_nat_core.c"
#define AF_NETLINK "net/netlink/af_netlink.c"

static const struct {
	const char *function;
	const char *file;       /* before `since` (or always) */
	const char *since;      /* NULL: no move */
	const char *file_since; /* from `since` on */
	const char *note;       /* "" or what the reader should know */
	const char *note_since; /* the note from `since` on (NULL: the same) */
} rows[] = {
	{"____nf_conntrack_find", CORE, NULL, NULL, "", NULL},
	{"__nf_conntrack_find_get", CORE, NULL, NULL, "", NULL},
	{"nf_ct_key_equal", CORE, NULL, NULL, "", NULL},
	{"resolve_normal_ct", CORE, NULL, NULL, "", NULL},
	{"init_conntrack", CORE, NULL, NULL, "", NULL},
	{"nf_conntrack_in", CORE, NULL, NULL, "", NULL},
	{"nf_conntrack_tuple_taken", CORE, NULL, NULL, "", NULL},
	{"nf_conntrack_double_lock", CORE, NULL, NULL, "", NULL},
	{"nf_conntrack_double_unlock", CORE, NULL, NULL, "", NULL},
	{"__nf_conntrack_confirm", CORE, NULL, NULL, "", NULL},
	{"__nf_conntrack_hash_insert", CORE, NULL, NULL, "", NULL},
	{"nf_ct_resolve_clash", CORE, NULL, NULL, "added by 71d8c47fc653", NULL},
	{"__nf_ct_resolve_clash", CORE, NULL, NULL, "split out by the 6a757c07e51f series", NULL},
	{"nf_ct_resolve_clash_harder", CORE, NULL, NULL, "added by 6a757c07e51f", NULL},
	{"nf_ct_delete", CORE, NULL, NULL, "", NULL},
	{"clean_from_lists", CORE, NULL, NULL, "", NULL},
	{"nf_ct_iterate_cleanup", CORE, NULL, NULL, "", NULL},
	{"death_by_event", CORE, NULL, NULL, "", NULL},
	{"nf_conntrack_get", "include/linux/netfilter/nf_conntrack_common.h", NULL, NULL, "", NULL},
	{"nf_ct_put", "include/net/netfilter/nf_conntrack.h", NULL, NULL, "", NULL},
	{"nf_conntrack_udp_packet", "net/netfilter/nf_conntrack_proto_udp.c", NULL, NULL,
	 "udp_packet in releases before the l4proto callbacks were renamed", NULL},
	{"nf_nat_setup_info", NAT_CORE_IPV4, "v3.7", NAT_CORE, "", NULL},
	{"nf_nat_cleanup_conntrack", NAT_CORE_IPV4, "v3.7", NAT_CORE, "", NULL},
	{"find_appropriate_src", NAT_CORE_IPV4, "v3.7", NAT_CORE, "", NULL},
	{"get_unique_tuple", NAT_CORE_IPV4, "v3.7", NAT_CORE, "", NULL},
	{"nf_nat_used_tuple_new", NAT_CORE, NULL, NULL, "added by d8f84a9bc7c4", NULL},
	{"nf_nat_l4proto_unique_tuple", "net/netfilter/nf_nat_proto_common.c", "v5.1", NAT_CORE, "",
	 "moved into nf_nat_core.c by 716b23c19edd"},
	{"prandom_u32", "lib/random32.c", "v6.1", "drivers/char/random.c", "",
	 "get_random_u16() since 7e3cf0843fe5"},
	{"ecache_work", "net/netfilter/nf_conntrack_ecache.c", NULL, NULL, "", NULL},
	{"ctnetlink_dump_table", "net/netfilter/nf_conntrack_netlink.c", NULL, NULL, "", NULL},
	{"netlink_recvmsg", AF_NETLINK, NULL, NULL, "", NULL},
	{"do_one_broadcast", AF_NETLINK, NULL, NULL, "", NULL},
};

enum { ROWS = sizeof(rows) / sizeof(rows[0]) };

/* A tree as a number: vA.B[.C] -> A*10^6 + B*10^3 + C; "latest" above all. */
static long tree_rank(const char *tree)
{
	long part[3] = {0, 0, 0};
	if (!tree || !strcmp(tree, "latest"))
		return 1000000000L;
	const char *p = tree + (tree[0] == 'v');
	for (int i = 0; i < 3 && *p; i++) {
		part[i] = strtol(p, (char **)&p, 10);
		if (*p == '.')
			p++;
	}
	return part[0] * 1000000L + part[1] * 1000L + part[2];
}

static int row_of(const char *function)
{
	for (int i = 0; i < ROWS; i++)
		if (!strcmp(rows[i].function, function))
			return i;
	return -1;
}

static bool moved(int r, const char *tree)
{
	return rows[r].since && tree_rank(tree) >= tree_rank(rows[r].since);
}

bool kernel_src_function(const char *label, char *buf, size_t size)
{
	size_t n = strcspn(label, ":");
	buf[0] = '\0';
	if (!label[n] || n == 0 || n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)label[i]) && label[i] != '_')
			return false;
	memcpy(buf, label, n);
	buf[n] = '\0';
	return true;
}

const char *kernel_src_file(const char *function, const char *tree)
{
	int r = row_of(function);
	if (r < 0)
		return NULL;
	return moved(r, tree) ? rows[r].file_since : rows[r].file;
}

const char *kernel_src_note(const char *function, const char *tree)
{
	int r = row_of(function);
	if (r < 0)
		return "";
	return moved(r, tree) && rows[r].note_since ? rows[r].note_since : rows[r].note;
}

void kernel_src_url(const char *file, const char *tree, char *buf, size_t size)
{
	snprintf(buf, size, "https://elixir.bootlin.com/linux/%s/source/%s", tree ? tree : "latest", file);
}

const char *kernel_src_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}
