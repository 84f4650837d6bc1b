/*
 * fixes.c - the fix-flag table and the kernel presets.
 *
 * The table is made from fixes.def, where each flag is declared once.  The
 * releases are the first mainline tags that carry each commit, as recorded
 * in docs/fixes.md (with the evidence for each).  Presets are built cumulatively
 * so that each one reads as "the previous release plus these commits".
 */
#include "fixes.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct nf_fix_info fix_table[FIX_COUNT] = {
#define NF_FIX(id, name, commit, title, release, effect) {FIX_##id, name, commit, title, release, effect},
#include "fixes.def"
#undef NF_FIX
};

#define F(x) (1u << (unsigned)(x))

enum {
	SET_V2_6_30 = 0,
	SET_V2_6_31 = F(FIX_RELIABLE_EVENTS),
	SET_V4_5 = SET_V2_6_31 | F(FIX_ECACHE_DWORK),
	SET_V4_15 = SET_V4_5 | F(FIX_CLASH_RESOLVE) | F(FIX_CLASH_NAT_DONE) | F(FIX_EARLY_DROP_LIST),
	SET_BIONIC = SET_V4_15 | F(FIX_CT_MATCH) | F(FIX_SAME_ORIGIN),
	SET_V4_19 = SET_V4_15 | F(FIX_CT_MATCH),
	SET_V5_0 = SET_V4_19 | F(FIX_SAME_ORIGIN) | F(FIX_NO_ROVER) | F(FIX_ATTEMPT_LIMIT),
	SET_V5_6 = SET_V5_0 | F(FIX_NAT_CLASH_INSERT),
	SET_V5_10 = SET_V5_6 | F(FIX_CLASH_KEEP_ON_REPLY) | F(FIX_CLASH_RESOLVE_STAT),
	SET_V5_19 = SET_V5_10 | F(FIX_SAME_ORIGIN_ZONE) | F(FIX_NO_UNCONFIRMED_LIST) | F(FIX_ECACHE_LIST),
	SET_V6_12 = SET_V5_19 | F(FIX_REVERSE_CLASH),
	SET_MAINLINE = SET_V6_12 | F(FIX_REVERSE_TUPLE_LOOKUP) | F(FIX_CONFIRMED_AFTER_INSERT),
};

static const struct nf_preset preset_table[] = {
	{"v2.6.30", "before reliable event delivery: failed events are lost", SET_V2_6_30, false, "v2.6.30"},
	{"v2.6.31", "dd7669a92c60: reliable delivery, random per-entry retry timer", SET_V2_6_31, false, "v2.6.31"},
	{"v4.5", "before clash resolution: every insertion race drops", SET_V4_5, true, "v4.5"},
	{"v4.9", "event redelivery by work queue (9500507c6138); races as v4.15", SET_V4_15, false, "v4.9"},
	{"v4.15", "clash resolution, skipped once NAT is done (Ubuntu Bionic base)", SET_V4_15, true, "v4.15"},
	{"bionic-sru", "v4.15 + ed07d9a021df + 4e35c1cb9460 (Ubuntu SRU, LP #1836816)", SET_BIONIC, true, "v4.15"},
	{"v4.19", "v4.15 + ed07d9a021df", SET_V4_19, true, "v4.19"},
	{"v5.0", "v4.19 + 4e35c1cb9460 + 6ed5943f8735 + a504b703bb1d", SET_V5_0, true, "v5.0"},
	{"v5.6", "v5.0 + 6a757c07e51f (reply-only NAT_CLASH entries)", SET_V5_6, true, "v5.6"},
	{"v5.10", "v5.6 + c46172147ebb + bc92470413f3", SET_V5_10, true, "v5.10"},
	{"v5.19", "v5.10 + 07998281c268 + 8a75a2c17410 + 2ed3bf188b33 (dedicated redelivery list)", SET_V5_19, false, "v5.19"},
	{"v6.12", "v5.19 + d8f84a9bc7c4/a4e6a1031e77", SET_V6_12, true, "v6.12"},
	{"mainline", "v6.12 + 50d9ce9679dd + 2d72afb34065", SET_MAINLINE, true, "latest"},
};

const struct nf_fix_info *nf_fix_table(void)
{
	for (size_t i = 0; i < FIX_COUNT; i++)
		assert(fix_table[i].id == (enum nf_fix_id)i);
	return fix_table;
}

bool nf_fix_merged(const struct nf_fix_info *f)
{
	return strcmp(f->commit, "unmerged") != 0;
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
