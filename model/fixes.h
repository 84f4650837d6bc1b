/*
 * fixes.h - named kernel fix flags and the kernel presets that combine them.
 *
 * Every version-dependent branch in model/ tests exactly one of these flags
 * through nf_fix(world, FIX_...).  A flag is addressable by its short name and by
 * any prefix (>= 7 hex digits) of its commit id.  A preset is a fix set that
 * stands for a kernel release; `--fix` / `--no-fix` adjust one.  Each flag is
 * declared once, by one NF_FIX line in fixes.def (name, commit id or
 * "unmerged", title, release, effect); the enum below and the table in fixes.c
 * are both made from it (docs/your-patch.md).
 */
#ifndef NFRACE_FIXES_H
#define NFRACE_FIXES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* FIX_<ID> for every NF_FIX line of fixes.def, in file order. */
enum nf_fix_id {
#define NF_FIX(id, name, commit, title, release, effect) FIX_##id,
#include "fixes.def"
#undef NF_FIX
	FIX_COUNT
};

typedef uint32_t nf_fixset;
_Static_assert(FIX_COUNT <= 32, "nf_fixset holds at most 32 fix flags");

struct nf_fix_info {
	enum nf_fix_id id;
	const char *name;     /* short name, e.g. "clash-resolve" */
	const char *commit;   /* full or longest known commit id, or "unmerged" */
	const char *title;    /* commit title */
	const char *release;  /* first mainline release, or "unmerged" */
	const char *effect;   /* one line: what the modelled branch does */
};

struct nf_preset {
	const char *name;
	const char *description;
	nf_fixset fixes;
	bool race; /* a column of the packet-race matrix (the event-path presets are not) */
	const char *tree; /* the source tree it stands for: a mainline tag ("v4.15"), or "latest" */
};

/* nf_preset_applies - whether preset p is run for a scenario with (events) or
 * without (packet race) an events: section. */
static inline bool nf_preset_applies(const struct nf_preset *p, bool events)
{
	return events || p->race;
}

/* nf_fix_table - the FIX_COUNT entries, ordered by enum nf_fix_id. */
const struct nf_fix_info *nf_fix_table(void);

/* nf_fix_merged - whether f is an upstream commit (not a patch under review). */
bool nf_fix_merged(const struct nf_fix_info *f);

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
