/*
 * kernel_src.h - where a kernel function named in a trace lives, at the
 * release a kernel preset stands for: the file (which moved between releases
 * for a few functions) and a link to it at that release.  The table follows
 * docs/kernel-map.md; it is data for the reports, nothing in the model reads it.
 */
#ifndef NFRACE_KERNEL_SRC_H
#define NFRACE_KERNEL_SRC_H

#include <stdbool.h>
#include <stddef.h>

/* kernel_src_function - the kernel function a trace label names: the part
 * before its first ':' when that is a C identifier, copied into buf (always
 * NUL-terminated).  Returns false (buf "") for a label that names none
 * ("answer arrives after a round trip"). */
bool kernel_src_function(const char *label, char *buf, size_t size);

/* kernel_src_file - the source file of function at tree (a preset's tree:
 * "v4.15", "v2.6.31", or "latest"), e.g. "net/netfilter/nf_conntrack_core.c";
 * NULL when the table does not know the function. */
const char *kernel_src_file(const char *function, const char *tree);

/* kernel_src_note - what a reader should know about function at tree (its
 * name there when it differs, the commit that added it), or "". */
const char *kernel_src_note(const char *function, const char *tree);

/* kernel_src_url - the link to file at tree (elixir.bootlin.com), into buf. */
void kernel_src_url(const char *file, const char *tree, char *buf, size_t size);

/* kernel_src_basename - the part of a path after its last '/'. */
const char *kernel_src_basename(const char *path);

#endif /* NFRACE_KERNEL_SRC_H */
