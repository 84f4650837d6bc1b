/*
 * wakeup.h - wakeup trees for optimal DPOR (Abdulla, Aronis, Jonsson and
 * Sagonas, "Source Sets: A Foundation for Optimal Dynamic Partial Order
 * Reduction", JACM 2017, section 6).
 *
 * A wakeup tree at a node of the exploration is an ordered tree of step
 * sequences still to be explored from that node; its leaves are the
 * sequences, its root's children the first steps.  A step is named by its
 * actor; it carries its access (for the dependency relation) and the data
 * choices made during it (so that the sequence replays the same steps).
 *
 * Trees live in one pool of nodes linked by index; a tree is the index of its
 * first root child (WUT_NONE: empty).  Subtrees are moved, not copied: the
 * explorer hands a child's subtree to the node below it and frees it when the
 * child is finished.
 */
#ifndef NFRACE_WAKEUP_H
#define NFRACE_WAKEUP_H

#include "exec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WUT_NONE UINT32_MAX

enum { WUT_DATA_MAX = 8 }; /* more in one step: the explorer stops, incomplete */
#define WUT_DATA_UNKNOWN UINT32_MAX

/* One step of a sequence.  ndata > WUT_DATA_MAX: the step made more choices
 * than recorded, so it cannot be replayed exactly.  WUT_DATA_UNKNOWN: nothing
 * is prescribed: a step chosen afresh, or the last step of a race reversal,
 * which runs in a new order, so it may read other values and choose
 * differently. */
struct wut_step {
	int actor;
	struct sim_access acc;
	uint32_t ndata;
	uint32_t data[WUT_DATA_MAX];
};

struct wut_node {
	struct wut_step step;
	uint32_t child; /* first child, WUT_NONE for a leaf */
	uint32_t next;  /* next sibling, WUT_NONE for the last */
};

struct wut_pool {
	struct wut_node *n;
	uint32_t len, cap;
	uint32_t free_head; /* freed nodes, linked through next */
};

/* wut_pool_init - an empty pool; wut_pool_release frees its memory. */
void wut_pool_init(struct wut_pool *p);
void wut_pool_release(struct wut_pool *p);

/* wut_leaf - a new one-step tree holding step; aborts when out of memory. */
uint32_t wut_leaf(struct wut_pool *p, const struct wut_step *step);

/* wut_remove_first - unlink the first root child of *tree and free it with
 * its subtree.  *tree must not be empty. */
void wut_remove_first(struct wut_pool *p, uint32_t *tree);

/* wut_free - free every node of tree (all siblings and their subtrees);
 * iterative, in bounded stack. */
void wut_free(struct wut_pool *p, uint32_t tree);

/* wut_weak_initial - whether an actor whose next step is next (actor,
 * access) is a weak initial of the sequence w[0..len): its first step in w
 * is independent of every step before it in w, or it has no step in w and
 * next is independent of all of w.  With that actor first, w can be
 * reordered to start with it (JACM 2017, definition 6.1). */
bool wut_weak_initial(int actor, const struct sim_access *next, const struct wut_step *w, size_t len);

/* wut_insert - insert the sequence v[0..len) into *tree unless a leaf of the
 * tree already covers it (insert[E](v, wut), JACM 2017 section 6.2): walk
 * from the root, descending into the first child whose step is a weak
 * initial of what is left of v; reaching a leaf, or using v up, means v is
 * redundant.  Otherwise what is left becomes a new last child.
 *
 * Data choices: entries of one actor among the children of a node are one
 * step with different recorded choices (the explorer takes them together,
 * each below its own value, odpor.c).  When the matching child's actor
 * has its step in v with other choices, the walk goes on in the sibling
 * entry that records v's choices, or v (that step first) becomes a new such
 * entry.  Returns whether the tree grew.  v is modified (steps are removed
 * as matched, or moved to the front). */
bool wut_insert(struct wut_pool *p, uint32_t *tree, struct wut_step *v, size_t len);

#endif /* NFRACE_WAKEUP_H */
