/*
 * fixes.c - the fix-flag table and the kernel presets.
 *
 * The releases are the first mainline tags that carry each commit, as recorded
 * in docs/fixes.md (with the evidence for each).  Presets are built cumulatively
 * so that each one reads as "the previous release plus these commits".
 */
#include "fixes.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct nf_fix_info fix_table[FIX_COUNT] = {
	{FIX_CLASH_RESOLVE, "clash-resolve", "71d8c47fc653711c41bc3282e5b0e605b3727956",
	 "netfilter: conntrack: introduce clash resolution on insertion race", "v4.7",
	 "nf_ct_resolve_clash merges an allow_clash loser into the winner instead of dropping it"},
	{FIX_CLASH_NAT_DONE, "clash-nat-done", "590b52e10d41",
	 "netfilter: conntrack: skip clash resolution if nat is in place", "v4.8",
	 "nf_ct_resolve_clash refuses to merge once the winner has any NAT_DONE bit"},
	{FIX_CT_MATCH, "ct-match", "ed07d9a021df6da53456663a76999189badc432a",
	 "netfilter: nf_conntrack: resolve clash for matching conntracks", "v4.19",
	 "a NATed clash merges when nf_ct_match() finds both directions equal"},
	{FIX_SAME_ORIGIN, "same-origin", "4e35c1cb9460240e983a01745b5f29fe3a4d8e39",
	 "netfilter: nf_nat: skip nat clash resolution for same-origin entries", "v5.0",
	 "nf_conntrack_tuple_taken ignores an entry whose ORIGINAL tuple equals ours"},
	{FIX_NO_ROVER, "no-rover", "6ed5943f8735e2b778d92ea4d9805c0a1d89bc2b",
	 "netfilter: nat: remove l4 protocol port rovers", "v5.0",
	 "the port search starts at prandom_u32() instead of the shared per-protocol rover "
	 "(and, as in the v5.0 file, also for --random instead of secure_port)"},
	{FIX_ATTEMPT_LIMIT, "attempt-limit", "a504b703bb1da526a01593da0e4be2af9d9f5fa8",
	 "netfilter: nat: limit port clash resolution attempts", "v5.0",
	 "the port search tries at most 128+64+32+16+8 ports, restarting at random offsets"},
	{FIX_NAT_CLASH_INSERT, "nat-clash-insert", "6a757c07e51f80ac34325fcd558490d2d1439e1b",
	 "netfilter: conntrack: allow insertion of clashing entries", "v5.6",
	 "nf_ct_resolve_clash_harder inserts a loser with a unique reply as IPS_NAT_CLASH"},
	{FIX_CLASH_KEEP_ON_REPLY, "clash-keep-on-reply", "c46172147ebbeb70094db48d76ab7945d96c638b",
	 "netfilter: conntrack: do not auto-delete clash entries on reply", "v5.9",
	 "the first reply no longer kills the IPS_NAT_CLASH entry it matched (nf_ct_kill)"},
	{FIX_CLASH_RESOLVE_STAT, "clash-resolve-stat", "bc92470413f3af1",
	 "netfilter: conntrack: add clash resolution stat counter", "v5.10",
	 "resolved clashes count clash_resolve instead of insert_failed"},
	{FIX_SAME_ORIGIN_ZONE, "same-origin-zone", "07998281c268592963e1cd623fe6ab0270b65ae4",
	 "netfilter: conntrack: skip identical origin tuple in same zone only", "v5.11",
	 "the same-origin skip also requires the same zone (one zone is modelled)"},
	{FIX_NO_UNCONFIRMED_LIST, "no-unconfirmed-list", "8a75a2c1741073f0c2d7bee146648e717527e048",
	 "netfilter: conntrack: remove unconfirmed list", "v5.19",
	 "init_conntrack no longer links the entry on the per-cpu unconfirmed list"},
	{FIX_REVERSE_CLASH, "reverse-clash", "d8f84a9bc7c4e07fdc4edc00f9e868b8db974ccb",
	 "netfilter: nf_nat: don't try nat source port reallocation for reverse dir clash "
	 "(with a4e6a1031e77 \"netfilter: conntrack: add clash resolution for reverse collisions\")",
	 "v6.12",
	 "nf_nat_used_tuple_new keeps the port for an exact reverse clash; nf_ct_can_merge adds "
	 "nf_ct_match_reverse and drops the NAT_DONE shortcut and the winner-dying check"},
	{FIX_REVERSE_TUPLE_LOOKUP, "reverse-tuple-lookup", "50d9ce9679dd50df2dc51ada717fa875bc248fad",
	 "netfilter: nf_nat: also check reverse tuple to obtain clashing entry", "v6.16",
	 "nf_nat_used_tuple_new also looks the clashing entry up by the inverted tuple"},
	{FIX_CONFIRMED_AFTER_INSERT, "confirmed-after-insert", "2d72afb340657f03f7261e9243b44457a9228ac7",
	 "netfilter: nf_conntrack: fix crash due to removal of uninitialised entry", "v6.16",
	 "IPS_CONFIRMED is set after the hash insert instead of before it"},
	{FIX_RELIABLE_EVENTS, "reliable-events", "dd7669a92c60",
	 "netfilter: conntrack: optional reliable conntrack event delivery", "v2.6.31",
	 "a DESTROY event that fails (a NETLINK_BROADCAST_ERROR listener overran) parks the entry on the dying list "
	 "and is retried; failed NEW/UPDATE events are kept in ecache->missed"},
	{FIX_ECACHE_DWORK, "ecache-dwork", "9500507c6138",
	 "netfilter: conntrack: remove timer from ecache extension", "v3.17",
	 "redelivery by a work queue over the per-cpu dying lists every HZ/10 instead of a random "
	 "per-entry timer; nf_ct_delete reports failure, so early_drop does not count parked entries"},
	{FIX_ECACHE_LIST, "ecache-list", "2ed3bf188b33",
	 "netfilter: ecache: use dedicated list for event redelivery", "v5.19",
	 "failed DESTROYs go to a dedicated list; the worker is scheduled after HZ and retries every 10 ms"},
	{FIX_EARLY_DROP_LIST, "early-drop-list", "f330a7fdbe16",
	 "netfilter: conntrack: get rid of conntrack timer", "v4.9",
	 "early_drop_list tries every unassured entry of up to 8 buckets instead of one victim "
	 "(first seen in this v4.9 series; the exact commit is UNVERIFIED)"},
	{FIX_NO_HOTPATH_STATS, "no-hotpath-stats", "8e8118f893138d4cc3d4dbf4163d7497fca54a9d",
	 "netfilter: conntrack: remove packet hotpath stats", "v4.9",
	 "lookups, confirm, init_conntrack and destroy no longer count searched, found (lookups), insert, new, "
	 "delete and delete_list; found stays in nf_conntrack_tuple_taken"},
	{FIX_LOOKUP_NO_DYING, "lookup-no-dying", "87e389b4c20091b562bd65d90272f9d7c67eb437",
	 "netfilter: conntrack: small conntrack lookup optimization", "v5.3",
	 "__nf_conntrack_find_get no longer tests the dying bit (a dying entry it can take a reference on is "
	 "returned) and a failed key re-check is a miss instead of a restart"},
	{FIX_EARLY_DROP_DYING, "early-drop-dying", "741385119706d4370eb7899c5ca96ad125c520e5",
	 "netfilter: nf_conntrack: fix early_drop with reliable event delivery", "v3.3",
	 "early_drop counts and succeeds only if death_by_timeout set IPS_DYING (the DESTROY got through); "
	 "before it, winning del_timer was enough even when the victim was parked on the dying list"},
	{FIX_GC_EARLY_DROP, "gc-early-drop", "c6dd940b1f74",
	 "netfilter: allow early drop of assured conntracks", "v4.12",
	 "a failed early_drop sets conntrack_gc_work.early_drop: the gc worker's next run kills every "
	 "early-droppable (unassured) entry it scans while nf_conntrack_count >= 95% of nf_conntrack_max"},
	{FIX_GC_ONE_CYCLE, "gc-one-cycle", "4608fdfc07e116f9fc0895beb40abad7cdb5ee3d",
	 "netfilter: conntrack: collect all entries in one cycle", "v5.14",
	 "each gc run scans the whole table and the next comes 2 minutes later, instead of 1/128 of the "
	 "buckets every 125 ms"},
};

#define F(x) (1u << (unsigned)(x))

enum {
	SET_V2_6_30 = 0,
	SET_V2_6_31 = F(FIX_RELIABLE_EVENTS),
	SET_V4_5 = SET_V2_6_31 | F(FIX_EARLY_DROP_DYING) | F(FIX_ECACHE_DWORK),
	SET_V4_9 = SET_V4_5 | F(FIX_CLASH_RESOLVE) | F(FIX_CLASH_NAT_DONE) | F(FIX_EARLY_DROP_LIST) |
		   F(FIX_NO_HOTPATH_STATS),
	SET_V4_15 = SET_V4_9 | F(FIX_GC_EARLY_DROP),
	SET_BIONIC = SET_V4_15 | F(FIX_CT_MATCH) | F(FIX_SAME_ORIGIN),
	SET_V4_19 = SET_V4_15 | F(FIX_CT_MATCH),
	SET_V5_0 = SET_V4_19 | F(FIX_SAME_ORIGIN) | F(FIX_NO_ROVER) | F(FIX_ATTEMPT_LIMIT),
	SET_V5_6 = SET_V5_0 | F(FIX_LOOKUP_NO_DYING) | F(FIX_NAT_CLASH_INSERT),
	SET_V5_10 = SET_V5_6 | F(FIX_CLASH_KEEP_ON_REPLY) | F(FIX_CLASH_RESOLVE_STAT),
	SET_V5_19 = SET_V5_10 | F(FIX_SAME_ORIGIN_ZONE) | F(FIX_GC_ONE_CYCLE) | F(FIX_NO_UNCONFIRMED_LIST) |
		    F(FIX_ECACHE_LIST),
	SET_V6_12 = SET_V5_19 | F(FIX_REVERSE_CLASH),
	SET_MAINLINE = SET_V6_12 | F(FIX_REVERSE_TUPLE_LOOKUP) | F(FIX_CONFIRMED_AFTER_INSERT),
};

static const struct nf_preset preset_table[] = {
	{"v2.6.30", "before reliable event delivery: failed events are lost", SET_V2_6_30, false},
	{"v2.6.31", "dd7669a92c60: reliable delivery, random per-entry retry timer", SET_V2_6_31, false},
	{"v4.5", "before clash resolution: every insertion race drops", SET_V4_5, true},
	{"v4.9", "event redelivery by work queue (9500507c6138), early_drop_list, no hot-path stats; races as v4.15",
	 SET_V4_9, false},
	{"v4.15", "clash resolution, skipped once NAT is done (Ubuntu Bionic base)", SET_V4_15, true},
	{"bionic-sru", "v4.15 + ed07d9a021df + 4e35c1cb9460 (Ubuntu SRU, LP #1836816)", SET_BIONIC, true},
	{"v4.19", "v4.15 + ed07d9a021df", SET_V4_19, true},
	{"v5.0", "v4.19 + 4e35c1cb9460 + 6ed5943f8735 + a504b703bb1d", SET_V5_0, true},
	{"v5.6", "v5.0 + 87e389b4c200 + 6a757c07e51f (reply-only NAT_CLASH entries)", SET_V5_6, true},
	{"v5.10", "v5.6 + c46172147ebb + bc92470413f3", SET_V5_10, true},
	{"v5.19", "v5.10 + 07998281c268 + 8a75a2c17410 + 2ed3bf188b33 (dedicated redelivery list)", SET_V5_19, false},
	{"v6.12", "v5.19 + d8f84a9bc7c4/a4e6a1031e77", SET_V6_12, true},
	{"mainline", "v6.12 + 50d9ce9679dd + 2d72afb34065", SET_MAINLINE, true},
};

const struct nf_fix_info *nf_fix_table(void)
{
	for (size_t i = 0; i < FIX_COUNT; i++)
		assert(fix_table[i].id == (enum nf_fix_id)i);
	return fix_table;
}

static bool is_hex_prefix(const char *s)
{
	size_t n = strlen(s);
	if (n < 7 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool commit_has_prefix(const char *commit, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strlen(commit) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)commit[i]) != tolower((unsigned char)prefix[i]))
			return false;
	return true;
}

const struct nf_fix_info *nf_fix_lookup(const char *name)
{
	const struct nf_fix_info *found = NULL;
	for (size_t i = 0; i < FIX_COUNT; i++)
		if (strcmp(fix_table[i].name, name) == 0)
			return &fix_table[i];
	if (!is_hex_prefix(name))
		return NULL;
	for (size_t i = 0; i < FIX_COUNT; i++) {
		if (!commit_has_prefix(fix_table[i].commit, name))
			continue;
		if (found)
			return NULL;
		found = &fix_table[i];
	}
	return found;
}

const struct nf_preset *nf_preset_table(size_t *count)
{
	*count = sizeof(preset_table) / sizeof(preset_table[0]);
	return preset_table;
}

const struct nf_preset *nf_preset_lookup(const char *name)
{
	size_t n;
	const struct nf_preset *t = nf_preset_table(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

size_t nf_fixset_names(nf_fixset s, char *buf, size_t size)
{
	size_t len = 0;
	assert(size > 0);
	buf[0] = '\0';
	for (size_t i = 0; i < FIX_COUNT; i++) {
		if (!nf_fixset_has(s, (enum nf_fix_id)i))
			continue;
		int n = snprintf(buf + (len < size ? len : size - 1), len < size ? size - len : 1,
				 "%s%s", len ? "," : "", fix_table[i].name);
		assert(n >= 0);
		len += (size_t)n;
	}
	return len;
}
