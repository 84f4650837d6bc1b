/*
 * fixes.h - named kernel fix flags and the kernel presets that combine them.
 *
 * Every version-dependent branch in model/ tests exactly one of these flags
 * through nf_fix(world, FIX_...).  A flag is addressable by its short name and by
 * any prefix (>= 7 hex digits) of its commit id.  A preset is a fix set that
 * stands for a kernel release; `--fix` / `--no-fix` adjust one.  The table in
 * fixes.c is the single place where commit ids, titles and releases live.
 */
#ifndef NFRACE_FIXES_H
#define NFRACE_FIXES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nf_fix_id {
	FIX_CLASH_RESOLVE,        /* 71d8c47fc653 */
	FIX_CLASH_NAT_DONE,       /* 590b52e10d41 */
	FIX_CT_MATCH,             /* ed07d9a021df */
	FIX_SAME_ORIGIN,          /* 4e35c1cb9460 */
	FIX_NO_ROVER,             /* 6ed5943f8735 */
	FIX_ATTEMPT_LIMIT,        /* a504b703bb1d */
	FIX_NAT_CLASH_INSERT,     /* 6a757c07e51f */
	FIX_CLASH_KEEP_ON_REPLY,  /* c46172147ebb */
	FIX_CLASH_RESOLVE_STAT,   /* bc92470413f3 */
	FIX_SAME_ORIGIN_ZONE,     /* 07998281c268 */
	FIX_NO_UNCONFIRMED_LIST,  /* 8a75a2c17410 */
	FIX_REVERSE_CLASH,        /* d8f84a9bc7c4 + a4e6a1031e77 */
	FIX_REVERSE_TUPLE_LOOKUP, /* 50d9ce9679dd */
	FIX_CONFIRMED_AFTER_INSERT, /* 2d72afb34065 */
	FIX_RELIABLE_EVENTS,      /* dd7669a92c60 */
	FIX_ECACHE_DWORK,         /* 9500507c6138 (UNVERIFIED) */
	FIX_ECACHE_LIST,          /* 2ed3bf188b33 */
	FIX_EARLY_DROP_LIST,      /* f330a7fdbe16 (v4.9 gc series; exact commit UNVERIFIED) */
	FIX_NO_HOTPATH_STATS,     /* 8e8118f89313 */
	FIX_LOOKUP_NO_DYING,      /* 87e389b4c200 */
	FIX_EARLY_DROP_DYING,     /* 741385119706 */
	FIX_GC_EARLY_DROP,        /* c6dd940b1f74 (UNVERIFIED id; the parent of 01026edef906) */
	FIX_GC_ONE_CYCLE,         /* 4608fdfc07e1 */
	FIX_COUNT
};

typedef uint32_t nf_fixset;

struct nf_fix_info {
	enum nf_fix_id id;
	const char *name;     /* short name, e.g. "clash-resolve" */
	const char *commit;   /* full or longest known commit id */
	const char *title;    /* commit title */
	const char *release;  /* first mainline release */
	const char *effect;   /* one line: what the modelled branch does */
};

struct nf_preset {
	const char *name;
	const char *description;
	nf_fixset fixes;
	bool race; /* a column of the packet-race matrix (the event-path presets are not) */
};

/* nf_preset_applies - whether preset p is run for a scenario with (events) or
 * without (packet race) an events: section. */
static inline bool nf_preset_applies(const struct nf_preset *p, bool events)
{
	return events || p->race;
}

/* nf_fix_table - the FIX_COUNT entries, ordered by enum nf_fix_id. */
const struct nf_fix_info *nf_fix_table(void);

/* nf_fix_lookup - find a fix by short name or commit id prefix (>= 7 hex digits,
 * case-insensitive).  Returns NULL when nothing or more than one fix matches. */
const struct nf_fix_info *nf_fix_lookup(const char *name);

/* nf_preset_table - the presets in release order; *count receives how many. */
const struct nf_preset *nf_preset_table(size_t *count);

/* nf_preset_lookup - a preset by exact name, or NULL. */
const struct nf_preset *nf_preset_lookup(const char *name);

/* nf_fixset_has - true when fix f is in set s. */
static inline bool nf_fixset_has(nf_fixset s, enum nf_fix_id f)
{
	return (s >> (unsigned)f) & 1u;
}

/* nf_fixset_names - write the short names of s, comma-separated in table order,
 * into buf (always NUL-terminated).  Returns the length it needed. */
size_t nf_fixset_names(nf_fixset s, char *buf, size_t size);

#endif /* NFRACE_FIXES_H */
