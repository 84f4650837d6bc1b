/*
 * stateful.c - exhaustive exploration by state caching (explore.h:
 * SIM_EXPLORE_STATEFUL and SIM_EXPLORE_STATEFUL_FULL).
 *
 * A depth-first search over states, not over executions.  The execution runs
 * stepwise (exec.h): after every step the state is looked up in the store
 * (statestore.h) and, if it was seen before, not explored again; the search
 * backtracks by restoring a snapshot (snap.c plus the program's world_load)
 * instead of replaying from the start.  What a state is, and why equal keys
 * mean equal futures, is in docs/model.md ("State caching"):
 *
 *   the world's canonical bytes (sim_program.world_key);
 *   the signalled wait flags;
 *   per actor: finished or not, its pending access, its ctx block, the locks
 *   it holds and its continuation (sim_actor_blob), interned to one id;
 *   the actor ids sorted within each class of interchangeable actors, so two
 *   states that differ by a permutation of a class are one state.
 *
 * With DPOR (SIM_EXPLORE_STATEFUL) a state explores only the actors of its
 * backtrack set, which races add to as in dpor.c (Flanagan-Godefroid, every
 * earlier dependent step, no sleep sets).  A state reached again is not
 * explored again, so the races between the path to it and the steps below
 * it are found from its summary instead (Yang, Chen, Gopalakrishnan and
 * Kirby, "Efficient stateful dynamic partial order reduction", SPIN 2008):
 * per actor, a 256-bit signature of the accesses it makes or has pending in
 * the explored part below the state.  Signatures over-approximate (a bit can
 * stand for several objects), and a summary access is taken to race with
 * every path step that does not happen before its actor's position there;
 * both only add backtrack points.  A step back to a state on the search
 * stack (a cycle; none in the model) makes every state on the stack expand
 * fully and every summary from then on count as "everything".
 *
 * With DPOR a transition is a block (Lipton's reduction, docs/model.md
 * "Blocks"): a step that acquires a lock goes on with at most one access
 * that is always runnable and then the releases that follow, with no state
 * stored in between.  Each step of a block is its own entry on the path
 * (its access, vector clock and races), so the path has more entries than
 * the stack has frames: path.frame maps one to the other.  A failing step
 * disables every other actor, so the state it leaves explores them all.
 */
#include "explore_impl.h"

#include "depindex.h"
#include "statestore.h"

#include <time.h>

enum {
	CHOICES_MAX = 16,  /* data choices one step may make */
	SIG_WORDS = 4,     /* 256-bit summaries */
	ST_ONSTACK = 1,    /* the state is on the search stack */
	ST_DONE = 2,       /* explored (its summary is final) */
	MEMO_RES = 7,      /* a memo result: world, flags, component ids, their hashes, the block's rest */
	BLOCK_MAX = 32,    /* steps one block may take (a longer one just ends there) */
	NO_REST = UINT32_MAX - 1, /* a block of one step: no rest in x->rests (UINT32_MAX: not filed) */
};

/* A summary signature: bit h(object, category) for each access. */
struct sig {
	uint64_t w[SIG_WORDS];
};

enum { CAT_READ, CAT_WRITE, CAT_ADD, CAT_WAIT, CAT_LOCKS_OF, CAT_QUIESCE };

/* What the search keeps per state besides its key. */
struct state_info {
	uint32_t sum;   /* its summaries' vector in sumvecs (once explored) */
	uint32_t flags; /* ST_* */
};

/* One state on the search stack, and the step being explored from it. */
struct frame {
	uint32_t state;
	uint32_t step_lo;                /* the path index of the first step leaving this state */
	uint32_t comp[SIM_ACTORS_MAX];   /* each actor's component id */
	uint32_t chash[SIM_ACTORS_MAX];  /* and its bytes' hash */
	uint8_t pos[SIM_ACTORS_MAX];     /* each actor's position in the state vector */
	size_t mark;                     /* the snapshot arena's length before this frame */
	size_t engine_off, world_off, world_len;
	uint32_t world_id, shared_id;    /* the ids of the world and the signalled flags (the memo's key) */
	uint32_t memo_hash;              /* of the memo key of the step leaving this state (begin_step) */
	size_t actor_off[SIM_ACTORS_MAX]; /* where each actor's part of this state is saved
					   * (here if it moved last, else in an ancestor) */
	sim_mask enabled, backtrack, done;
	int last;                        /* the actor that stepped into this state (-1: none) */
	struct sim_access pending[SIM_ACTORS_MAX];
	uint32_t clocks[SIM_ACTORS_MAX][SIM_ACTORS_MAX]; /* each actor's vector clock here */
	/* the step leaving this state (the child being explored): struct path */
	int ev_actor;
	struct sim_access ev_acc;
	uint32_t nch, cval[CHOICES_MAX], cn[CHOICES_MAX]; /* the step's data choices (an odometer) */
	bool choices_left;
	struct sig summary[SIM_ACTORS_MAX]; /* per actor, what it does below */
};

/* The steps along the search stack, packed for the scans over it: step j
 * belongs to the block leaving frame frame[j] (its actor, access, vector
 * clock and dependency query), and open[i] holds the actors frame i could
 * still be told to explore. */
struct path {
	struct sim_access *acc;
	uint32_t *frame;
	int8_t *actor;
	uint32_t (*clock)[SIM_ACTORS_MAX];
	struct sig *query;
	sim_mask *open;
	size_t cap;
};

struct sx {
	const struct sim_program *prog;
	const struct sim_bounds *b;
	struct sim_result *r;
	struct sim_exec *ex;
	bool por, stop_on_failure;
	bool pb;              /* witness search: fewest preemptions, then steps (stateful_witnesses) */
	uint32_t *label;      /* pb: per state and position of the last actor, (preemptions, steps) + 1 */
	uint32_t n; /* actors */
	struct frame *frames;
	size_t depth, fcap;
	struct path path;
	struct dep_index dep; /* the path's steps 0..dep.steps-1 chained by object */
	unsigned char *snaps; /* the stack's snapshots, frame after frame */
	size_t snaps_len, snaps_cap;
	struct store_budget budget; /* the tables' share of --max-memory (statestore.h) */
	struct intern worlds, comps, shareds, sigs;
	struct intern rests; /* the accesses of blocks after their first step (memo results) */
	struct vecset states;
	struct vecset sumvecs; /* per-position summary ids (sigs), one vector per explored state */
	struct state_info *info; /* per state (one load finds both) */
	size_t live_off[SIM_ACTORS_MAX]; /* the saved part each actor's live state equals (SIZE_MAX: none) */
	size_t state_cap;
	unsigned char *wbuf, *cbuf; /* the world's key, one actor's component */
	size_t wcap, wlen, ccap;
	const unsigned char *wptr; /* the live world's key bytes (wlen of them): wbuf, or a stored world */
	uint32_t world_id, world_hash;   /* of the live state's world (state_id) */
	uint32_t shared_id, shared_hash; /* and of its signalled flags */
	/* The step memo: (world, flags, component and class of the actor that
	 * steps) -> what the step makes of them (MEMO_RES words filed with the
	 * key: the world's, the flags' and the component's ids, then their
	 * hashes).  Steps that made data choices or failed are not in it.
	 * docs/model.md, State caching: the step memo. */
	struct vecset memo; /* key: 4 words (memo_key); then MEMO_RES words of result */
	bool kept_live; /* the last explore_step answered from the memo: the execution did not move */
	uint32_t top_sig;     /* the all-ones summary */
	bool cyclic;          /* every summary counts as everything */
	bool oom;
	struct frame *chf;    /* the frame whose step is running (its choices) */
	uint32_t chpos;
	bool choices_overflow;
	uint64_t t0_ms;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- summaries ------------------------------------------------------------ */

static void sig_set(struct sig *s, uint32_t obj, int cat)
{
	uint64_t h = ((uint64_t)obj << 3 | (uint64_t)(unsigned)cat) * 0x9e3779b97f4a7c15ull;
	unsigned bit = (unsigned)(h >> 56); /* 0..255 */
	s->w[bit >> 6] |= 1ull << (bit & 63);
}

static int category(enum sim_access_kind k)
{
	switch (k) {
	case SIM_READ:
	case SIM_LOCK_WAIT: /* a read of the lock */
		return CAT_READ;
	case SIM_ADD:
		return CAT_ADD;
	case SIM_WAIT:
		return CAT_WAIT;
	default:
		return CAT_WRITE;
	}
}

/* Add access a to s.  A lock operation also marks its class, which a
 * quiesce of that class depends on. */
static void sig_add(struct sig *s, const struct sim_access *a)
{
	if (a->kind == SIM_QUIESCE) {
		sig_set(s, a->obj, CAT_QUIESCE);
		return;
	}
	sig_set(s, a->obj, category(a->kind));
	if (a->kind == SIM_LOCK || a->kind == SIM_UNLOCK)
		sig_set(s, SIM_CLASS(a->obj), CAT_LOCKS_OF);
}

/* The bits that an access dependent with b sets (sim_access_dependent). */
static struct sig sig_query(const struct sim_access *b)
{
	struct sig q = {{0}};
	if (b->kind == SIM_QUIESCE) {
		sig_set(&q, b->obj, CAT_LOCKS_OF);
		return q;
	}
	int c = category(b->kind);
	for (int k = CAT_READ; k <= CAT_WAIT; k++)
		if (k != c || c == CAT_WRITE)
			sig_set(&q, b->obj, k);
	if (b->kind == SIM_LOCK || b->kind == SIM_UNLOCK)
		sig_set(&q, SIM_CLASS(b->obj), CAT_QUIESCE);
	return q;
}

static bool sig_meets(const struct sig *a, const struct sig *b)
{
	uint64_t m = 0;
	for (int i = 0; i < SIG_WORDS; i++)
		m |= a->w[i] & b->w[i];
	return m != 0;
}

static void sig_or(struct sig *a, const struct sig *b)
{
	for (int i = 0; i < SIG_WORDS; i++)
		a->w[i] |= b->w[i];
}


/* ---- memory -------------------------------------------------------------- */

static size_t memory_held(const struct sx *x)
{
	return intern_bytes_held(&x->worlds) + intern_bytes_held(&x->comps) + intern_bytes_held(&x->shareds) +
	       intern_bytes_held(&x->sigs) + intern_bytes_held(&x->rests) + vecset_bytes_held(&x->states) +
	       vecset_bytes_held(&x->sumvecs) + vecset_bytes_held(&x->memo) +
	       x->state_cap * sizeof(struct state_info) + x->fcap * sizeof(struct frame) + x->snaps_cap + x->wcap +
	       x->ccap;
}

/* Grow *p (capacity *cap bytes) to hold need bytes; false when out of memory. */
static bool reserve(unsigned char **p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 4096;
	while (c < need)
		c *= 2;
	unsigned char *q = realloc(*p, c);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

/* Room in the path for step j; false when out of memory. */
static bool path_reserve(struct path *t, size_t j)
{
	if (j < t->cap)
		return true;
	size_t c = t->cap ? 2 * t->cap : 256;
	void *a = realloc(t->acc, c * sizeof(*t->acc)), *b = a ? realloc(t->actor, c * sizeof(*t->actor)) : NULL;
	if (a)
		t->acc = a;
	if (b)
		t->actor = b;
	void *d = b ? realloc(t->clock, c * sizeof(*t->clock)) : NULL, *e = d ? realloc(t->query, c * sizeof(*t->query)) : NULL;
	if (d)
		t->clock = d;
	if (e)
		t->query = e;
	void *g = e ? realloc(t->open, c * sizeof(*t->open)) : NULL;
	if (g)
		t->open = g;
	void *h = g ? realloc(t->frame, c * sizeof(*t->frame)) : NULL;
	if (!h)
		return false;
	t->frame = h;
	t->cap = c;
	return true;
}

static void path_free(struct path *t)
{
	free(t->acc);
	free(t->actor);
	free(t->clock);
	free(t->query);
	free(t->open);
	free(t->frame);
}

/* ---- the engine's questions ------------------------------------------------ */

/* Data choices of the running step: the recorded values of the frame's
 * odometer, then 0 for every new choice. */
static uint32_t sx_choose(void *ctx, struct sim_exec *ex, uint32_t n)
{
	struct sx *x = ctx;
	struct frame *f = x->chf;
	uint32_t k = x->chpos++;
	(void)ex;
	if (k >= CHOICES_MAX) {
		x->choices_overflow = true;
		return 0;
	}
	if (k < f->nch) {
		assert(f->cn[k] == n); /* the step is deterministic up to its choices */
		return f->cval[k];
	}
	f->cn[k] = n;
	f->cval[k] = 0;
	f->nch = k + 1;
	return 0;
}

/* Stepwise executions ask nobody to pick (sim_exec_step names the actor). */
static int sx_pick(void *ctx, struct sim_exec *ex, sim_mask enabled)
{
	(void)ctx;
	(void)ex;
	(void)enabled;
	assert(!"stepwise executions never ask for a pick");
	return -1;
}

/* ---- state keys ---------------------------------------------------------- */

/* The bytes of actor i's component, everything that is the actor's own, in
 * x->cbuf; their length, or 0 when out of memory. */
static size_t component_bytes(struct sx *x, uint32_t i)
{
	const struct sim_exec *ex = x->ex;
	const struct sim_actor *a = &ex->actors[i];
	size_t blen = 0;
	const unsigned char *blob = a->finished ? NULL : sim_actor_blob(ex, i, &blen);
	uint32_t locks[SIM_FLAGS_MAX], nl = 0;
	for (uint32_t k = 0; k < ex->flag_count; k++)
		if (ex->flags[k].owner == (int)i) {
			uint32_t j = nl++;
			for (; j > 0 && locks[j - 1] > ex->flags[k].obj; j--)
				locks[j] = locks[j - 1];
			locks[j] = ex->flags[k].obj;
		}
	struct {
		uint32_t finished, kind, obj, locks;
		uint64_t label;
	} head = {a->finished, a->finished ? 0 : (uint32_t)a->pending.kind, a->finished ? 0 : a->pending.obj, nl,
		  a->finished ? 0 : (uint64_t)(uintptr_t)a->pending.label};
	size_t n = sizeof(head) + a->ctx_size + nl * sizeof(uint32_t) + blen;
	if (!reserve(&x->cbuf, &x->ccap, n))
		return 0;
	unsigned char *p = x->cbuf;
	memcpy(p, &head, sizeof(head));
	p += sizeof(head);
	memcpy(p, a->ctx, a->ctx_size);
	p += a->ctx_size;
	memcpy(p, locks, nl * sizeof(uint32_t));
	p += nl * sizeof(uint32_t);
	if (blen)
		memcpy(p, blob, blen);
	return n;
}

/* A 32-bit mix (the finaliser of MurmurHash3). */
static uint32_t mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

/* The hash of a state from its parts' hashes: the world's, the signalled
 * flags' and each actor's component's.  The actors' part is a sum, so it is
 * the same in every order: equal states get equal hashes. */
static uint32_t state_hash(const struct sx *x, uint32_t hw, uint32_t hf, const uint32_t *chash)
{
	uint32_t hs = mix32(hw) * 0x9e3779b1u + mix32(hf ^ 0x7f4a7c15u);
	for (uint32_t i = 0; i < x->n; i++)
		hs += mix32(chash[i] ^ (x->ex->actors[i].cls + 1u) * 0x27d4eb2fu);
	return mix32(hs);
}

/* The state vector v (v[0], v[1] set: world and flags ids) of components
 * comp[]: the ids sorted by class, then id; pos[] gets each actor's place. */
static void state_vector(const struct sx *x, const uint32_t *comp, uint32_t *v, uint8_t *pos)
{
	const struct sim_exec *ex = x->ex;
	uint32_t order[SIM_ACTORS_MAX];
	for (uint32_t i = 0; i < x->n; i++) {
		uint32_t j = i;
		for (; j > 0; j--) {
			uint32_t o = order[j - 1], co = ex->actors[o].cls, ci = ex->actors[i].cls;
			if (co < ci || (co == ci && comp[o] <= comp[i]))
				break;
			order[j] = o;
		}
		order[j] = i;
	}
	for (uint32_t k = 0; k < x->n; k++) {
		v[2 + k] = comp[order[k]];
		pos[order[k]] = (uint8_t)k;
	}
}

/* Room for what the search keeps of new state id; false when out of memory. */
static bool state_added(struct sx *x, uint32_t id)
{
	if (id >= x->state_cap) {
		size_t c = store_grown(x->state_cap, 1 << 14);
		struct state_info *in = realloc(x->info, c * sizeof(*in));
		if (in)
			x->info = in;
		uint32_t *l = in && x->pb ? realloc(x->label, c * x->n * sizeof(uint32_t)) : NULL;
		if (l)
			x->label = l;
		if (!in || (x->pb && !l))
			return false;
		x->state_cap = c;
	}
	x->info[id].flags = 0;
	if (x->pb)
		memset(&x->label[(size_t)id * x->n], 0, x->n * sizeof(uint32_t));
	return true;
}

/* The id of the live state.  comp[] gets every actor's component id and
 * chash[] its bytes' hash (copied from parent but for actor moved; all
 * computed when parent is NULL), pos[] each actor's position in the
 * canonical order (by class, then component).  UINT32_MAX when out of
 * memory.  The world's and the flags' ids and hashes are left in x
 * (world_id, ...) for push and the step memo.
 *
 * The state's hash is computed from the bytes' hashes, not from the ids, so
 * that the three table slots a lookup needs (world, moved actor, state) are
 * known, and start loading, before any of them is read. */
static uint32_t state_id(struct sx *x, const struct frame *parent, int moved, uint32_t *comp, uint32_t *chash,
			 uint8_t *pos, bool *fresh)
{
	const struct sim_exec *ex = x->ex;
	uint32_t v[2 + SIM_ACTORS_MAX];
	bool f;
	*fresh = false;
	size_t n = x->prog->world_key(x->prog->ctx, x->wbuf, x->wcap);
	if (n > x->wcap) {
		if (!reserve(&x->wbuf, &x->wcap, n))
			return UINT32_MAX;
		n = x->prog->world_key(x->prog->ctx, x->wbuf, x->wcap);
	}
	x->wlen = n;
	x->wptr = x->wbuf;
	uint32_t hw = intern_hash(x->wbuf, n);
	intern_prefetch(&x->worlds, hw);
	uint32_t flags[2 * SIM_FLAGS_MAX], nf = 0; /* signalled wait flags, by object */
	for (uint32_t i = 0; i < ex->flag_count; i++) {
		if (ex->flags[i].owner >= 0)
			continue;
		uint32_t j = nf++;
		for (; j > 0 && flags[2 * (j - 1)] > ex->flags[i].obj; j--) {
			flags[2 * j] = flags[2 * (j - 1)];
			flags[2 * j + 1] = flags[2 * (j - 1) + 1];
		}
		flags[2 * j] = ex->flags[i].obj;
		flags[2 * j + 1] = ex->flags[i].signals;
	}
	uint32_t hf = intern_hash(flags, nf * 2 * sizeof(uint32_t));
	size_t cn = 0;
	if (parent) {
		memcpy(comp, parent->comp, x->n * sizeof(uint32_t));
		memcpy(chash, parent->chash, x->n * sizeof(uint32_t));
		cn = component_bytes(x, (uint32_t)moved);
		if (!cn)
			return UINT32_MAX;
		chash[moved] = intern_hash(x->cbuf, cn);
		intern_prefetch(&x->comps, chash[moved]);
	} else {
		for (uint32_t i = 0; i < x->n; i++) {
			size_t m = component_bytes(x, i);
			if (!m)
				return UINT32_MAX;
			chash[i] = intern_hash(x->cbuf, m);
			comp[i] = intern_add_hashed(&x->comps, x->cbuf, m, chash[i], &f);
			if (comp[i] == UINT32_MAX)
				return UINT32_MAX;
		}
	}
	uint32_t hs = state_hash(x, hw, hf, chash);
	vecset_prefetch(&x->states, hs);
	v[0] = intern_add_hashed(&x->worlds, x->wbuf, n, hw, &f);
	v[1] = intern_add_hashed(&x->shareds, flags, nf * 2 * sizeof(uint32_t), hf, &f);
	x->world_id = v[0];
	x->world_hash = hw;
	x->shared_id = v[1];
	x->shared_hash = hf;
	if (parent) {
		comp[moved] = intern_add_hashed(&x->comps, x->cbuf, cn, chash[moved], &f);
		if (comp[moved] == UINT32_MAX)
			return UINT32_MAX;
	}
	if (v[0] == UINT32_MAX || v[1] == UINT32_MAX)
		return UINT32_MAX;
	state_vector(x, comp, v, pos);
	uint32_t id = vecset_add_hashed(&x->states, v, hs, fresh);
	if (id == UINT32_MAX)
		return id;
	if (!*fresh) {
		__builtin_prefetch(&x->info[id]); /* seen_state reads it */
		return id;
	}
	return state_added(x, id) ? id : UINT32_MAX;
}

/* ---- the search stack ----------------------------------------------------- */

/* Store the summaries sig[] of state s (per actor, positions pos) as one
 * vector of ids; false when out of memory. */
static bool store_summary(struct sx *x, uint32_t s, const uint8_t *pos, const struct sig *sig)
{
	uint32_t ids[SIM_ACTORS_MAX];
	for (uint32_t a = 0; a < x->n; a++) {
		bool fresh;
		uint32_t id = x->cyclic ? x->top_sig : intern_add(&x->sigs, &sig[a], sizeof(struct sig), &fresh);
		if (id == UINT32_MAX)
			return false;
		ids[pos[a]] = id;
	}
	bool fresh;
	x->info[s].sum = vecset_add(&x->sumvecs, ids, &fresh);
	return x->info[s].sum != UINT32_MAX;
}

/* The summary of state s's actor in position k. */
static const struct sig *summary_at(const struct sx *x, uint32_t s, uint32_t k)
{
	uint32_t id = x->sumvecs.vec[(size_t)x->info[s].sum * x->n + k];
	return (const struct sig *)(const void *)intern_bytes(&x->sigs, id);
}

/* Reserve n more bytes of the snapshot arena (16-byte aligned); the offset,
 * or SIZE_MAX when out of memory. */
static size_t arena(struct sx *x, size_t n)
{
	size_t off = (x->snaps_len + 15) & ~(size_t)15;
	if (!reserve(&x->snaps, &x->snaps_cap, off + n))
		return SIZE_MAX;
	x->snaps_len = off + n;
	return off;
}

/* Save actor a's part of the live state; its offset, or SIZE_MAX. */
static size_t save_actor(struct sx *x, uint32_t a)
{
	size_t n = sim_snap_actor_save(x->ex, a, NULL, 0);
	size_t off = arena(x, n);
	if (off != SIZE_MAX) {
		sim_snap_actor_save(x->ex, a, x->snaps + off, n);
		x->live_off[a] = off;
	}
	return off;
}

/* Push the live state (state id, components, positions, actor clocks) as a
 * new frame.  Its snapshot saves the engine's part, the world and, for an
 * initial state every actor, else only moved, the actor that stepped into
 * it: the others' parts are their parent's. */
static struct frame *push(struct sx *x, uint32_t state, const uint32_t *comp, const uint32_t *chash, const uint8_t *pos,
			  uint32_t clocks[][SIM_ACTORS_MAX], int moved)
{
	const struct sim_exec *ex = x->ex;
	if (x->depth == x->fcap) {
		size_t c = x->fcap ? 2 * x->fcap : 256;
		struct frame *fr = realloc(x->frames, c * sizeof(struct frame));
		if (!fr) {
			x->oom = true;
			return NULL;
		}
		x->frames = fr;
		x->fcap = c;
	}
	if (!path_reserve(&x->path, x->dep.steps)) {
		x->oom = true;
		return NULL;
	}
	struct frame *f = &x->frames[x->depth];
	f->mark = x->snaps_len;
	size_t en = sim_snap_engine_save(ex, NULL, 0);
	f->engine_off = arena(x, en);
	f->world_off = arena(x, x->wlen);
	if (f->engine_off == SIZE_MAX || f->world_off == SIZE_MAX) {
		x->oom = true;
		return NULL;
	}
	sim_snap_engine_save(ex, x->snaps + f->engine_off, en);
	f->world_len = x->wlen;
	f->world_id = x->world_id;
	f->shared_id = x->shared_id;
	memcpy(x->snaps + f->world_off, x->wptr, x->wlen);
	for (uint32_t a = 0; a < x->n; a++) {
		if (moved < 0 || (int)a == moved)
			f->actor_off[a] = save_actor(x, a);
		else
			f->actor_off[a] = x->frames[x->depth - 1].actor_off[a];
		if (f->actor_off[a] == SIZE_MAX) {
			x->oom = true;
			return NULL;
		}
	}
	x->depth++;
	f->state = state;
	f->step_lo = x->dep.steps;
	memcpy(f->comp, comp, sizeof(f->comp));
	memcpy(f->chash, chash, sizeof(f->chash));
	memcpy(f->pos, pos, sizeof(f->pos));
	f->enabled = sim_exec_enabled(ex);
	f->backtrack = f->done = 0;
	f->nch = 0;
	f->choices_left = false;
	memcpy(f->clocks, clocks, x->n * sizeof(f->clocks[0]));
	f->last = ex->last;
	for (uint32_t i = 0; i < x->n; i++) {
		f->pending[i] = ex->actors[i].pending;
		memset(&f->summary[i], 0, sizeof(struct sig));
		if (!ex->actors[i].finished)
			sig_add(&f->summary[i], &ex->actors[i].pending);
	}
	x->info[state].flags |= ST_ONSTACK;
	if (f->enabled)
		f->backtrack = x->por ? (sim_mask)1 << __builtin_ctz(f->enabled) : f->enabled;
	return f;
}

/* Set the execution back to frame f's state: the engine's part, the world,
 * and each actor whose live part is not f's. */
static void restore(struct sx *x, const struct frame *f)
{
	sim_snap_engine_restore(x->ex, x->snaps + f->engine_off);
	x->prog->world_load(x->prog->ctx, x->snaps + f->world_off, f->world_len);
	for (uint32_t a = 0; a < x->n; a++)
		if (x->live_off[a] != f->actor_off[a]) {
			sim_snap_actor_restore(x->ex, a, x->snaps + f->actor_off[a]);
			x->live_off[a] = f->actor_off[a];
		}
}

/* Forget the path's steps from n on (their dependency index entries too). */
static void path_truncate(struct sx *x, size_t n)
{
	while (x->dep.steps > n)
		dep_pop(&x->dep, &x->path.acc[x->dep.steps - 1]);
}

/* Pop the top frame: its summary, by canonical position, becomes the
 * state's, and joins its parent's. */
static bool pop(struct sx *x)
{
	struct frame *f = &x->frames[x->depth - 1];
	if (!x->pb && !store_summary(x, f->state, f->pos, f->summary))
		return false;
	x->info[f->state].flags = (x->info[f->state].flags & ~(uint32_t)ST_ONSTACK) | ST_DONE;
	for (uint32_t a = 0; a < x->n; a++)
		if (x->live_off[a] != SIZE_MAX && x->live_off[a] >= f->mark)
			x->live_off[a] = SIZE_MAX; /* its saved part goes with the frame */
	x->snaps_len = f->mark;
	x->depth--;
	path_truncate(x, f->step_lo); /* the popped frame's block goes with it */
	if (x->depth)
		for (uint32_t a = 0; a < x->n; a++)
			sig_or(&x->frames[x->depth - 1].summary[a], &f->summary[a]);
	return true;
}

/* ---- races --------------------------------------------------------------- */

/* The state that path step j leaves (the first of its block) must also
 * explore actor q (or, q not runnable there, every runnable actor). */
static void add_backtrack(struct sx *x, size_t j, int q)
{
	uint32_t i = x->path.frame[j];
	struct frame *f = &x->frames[i];
	sim_mask bit = (sim_mask)1 << q;
	f->backtrack |= (f->enabled & bit) ? bit : f->enabled;
	x->path.open[i] = f->enabled & ~f->backtrack;
}

/* Races of actor p's access acc (p's clock pc before it) with the steps
 * 0..upto-1 of the path (dpor.c's race scan over the search stack). */
/* Whether access a conflicts with every access of another actor to its
 * object (sim_access_dependent): then on an object's chain every older step
 * happens before it, and its vector clock bounds theirs. */
static bool exclusive(const struct sim_access *a)
{
	return a->kind != SIM_READ && a->kind != SIM_LOCK_WAIT && a->kind != SIM_WAIT && a->kind != SIM_ADD &&
	       a->kind != SIM_QUIESCE;
}

static void races(struct sx *x, size_t upto, int p, const struct sim_access *acc, const uint32_t *pc)
{
	const struct path *t = &x->path;
	assert(x->dep.steps == upto); /* the index holds exactly the steps scanned */
	struct dep_chains ch = dep_chains_of(&x->dep, acc, x->dep.steps);
	for (int c = 0; c < 2; c++)
		for (uint32_t j = ch.head[c]; j != DEP_END; j = dep_next(&x->dep, &ch, c, j)) {
			int r = t->actor[j];
			bool before = r == p || t->clock[j][r] <= pc[r]; /* j happens before p's position */
			if (before && ch.which[c] == 0 && exclusive(&t->acc[j]))
				break; /* so does every older step on the object's chain: no race there */
			if (before || !sim_access_dependent(&t->acc[j], acc))
				continue;
			if (coenabled(&t->acc[j], acc))
				add_backtrack(x, j, p);
		}
}

/* A state seen before, whose actors do sum[] below it, reached by the steps
 * 0..upto-1 of the path with actor clocks ck: every summary access of actor
 * q may race with a step that does not happen before q's position here. */
static void summary_races(struct sx *x, size_t upto, const struct sig *sum, uint32_t ck[][SIM_ACTORS_MAX])
{
	const struct path *t = &x->path;
	struct sig any = {{0}};
	for (uint32_t q = 0; q < x->n; q++)
		sig_or(&any, &sum[q]);
	for (size_t j = 0; j < upto; j++) {
		if (!t->open[t->frame[j]] || !sig_meets(&any, &t->query[j]))
			continue; /* nothing left to add, or nothing below depends on the step */
		int r = t->actor[j];
		for (uint32_t q = 0; q < x->n; q++)
			if ((int)q != r && t->clock[j][r] > ck[q][r] && sig_meets(&sum[q], &t->query[j]))
				add_backtrack(x, j, (int)q);
	}
}

/* The memo key of actor p's step from frame f. */
static void memo_key(const struct sx *x, const struct frame *f, int p, uint32_t *key)
{
	key[0] = f->world_id;
	key[1] = f->shared_id;
	key[2] = f->comp[p];
	key[3] = x->ex->actors[p].cls;
}

/* Path step me, actor p's access acc (p's clock before it: before): its
 * vector clock, joined with every earlier dependent step of another actor. */
static void step_clock(struct sx *x, size_t me, int p, const struct sim_access *acc, const uint32_t *before)
{
	struct path *t = &x->path;
	uint32_t *c = t->clock[me];
	memcpy(c, before, sizeof(t->clock[me]));
	struct dep_chains ch = dep_chains_of(&x->dep, acc, x->dep.steps);
	for (int h = 0; h < 2; h++)
		for (uint32_t j = ch.head[h]; j != DEP_END; j = dep_next(&x->dep, &ch, h, j)) {
			bool own = t->actor[j] == p;
			if (!own && sim_access_dependent(&t->acc[j], acc))
				for (uint32_t k = 0; k < x->n; k++)
					if (t->clock[j][k] > c[k])
						c[k] = t->clock[j][k];
			if (h == 0 && ch.which[0] == 0 && exclusive(&t->acc[j]))
				break; /* c now bounds every older step on the object's chain (own: by program order) */
		}
	c[p]++;
}

/* Choose the next step of the top frame f: its actor, event clock and query. */
static void begin_step(struct sx *x, struct frame *f, int p)
{
	struct path *t = &x->path;
	size_t me = f->step_lo;
	f->done |= (sim_mask)1 << p;
	f->ev_actor = p;
	f->ev_acc = f->pending[p];
	f->nch = 0;
	path_truncate(x, me); /* the frame's previous block (its last child's) */
	t->acc[me] = f->ev_acc;
	t->frame[me] = (uint32_t)(x->depth - 1);
	t->actor[me] = (int8_t)p;
	t->query[me] = sig_query(&f->ev_acc);
	t->open[x->depth - 1] = f->enabled & ~f->backtrack;
	step_clock(x, me, p, &f->ev_acc, f->clocks[p]);
	if (!x->pb && !x->b->memo_off) { /* the memo's slot for the step starts loading */
		uint32_t key[4];
		memo_key(x, f, p, key);
		f->memo_hash = (uint32_t)(store_hash(key, sizeof(key)) >> 32);
		vecset_prefetch(&x->memo, f->memo_hash);
	}
	if (x->por)
		races(x, me, p, &f->ev_acc, f->clocks[p]);
	dep_push(&x->dep, &f->ev_acc);
}

/* Whether an actor whose block started with a lock acquire goes on in the
 * same block with its pending access a (only_lock: the block is that
 * acquire alone so far).  A block is R N? L* (docs/model.md, "Blocks"): a
 * lock acquire, at most one access of a kind that is always runnable, then
 * releases; a block that starts with anything else is that one step.  So
 * where a block ends depends on the actor's own state alone. */
static bool block_continues(const struct sim_access *a, bool only_lock)
{
	switch (a->kind) {
	case SIM_UNLOCK:
		return true;
	case SIM_READ:
	case SIM_WRITE:
	case SIM_RMW:
	case SIM_ADD:
	case SIM_SIGNAL:
		return only_lock;
	default:
		return false;
	}
}

/* Actor p's block from the top frame f goes on with access acc: file it as
 * the path's next step, with its vector clock and its races, and add it to
 * f's summary (blocks exist only with DPOR).  False when out of memory. */
static bool block_step(struct sx *x, struct frame *f, int p, const struct sim_access *acc)
{
	struct path *t = &x->path;
	size_t me = x->dep.steps;
	assert(me > f->step_lo && t->actor[me - 1] == p); /* the block's first step is filed */
	if (!path_reserve(t, me))
		return false;
	t->acc[me] = *acc;
	t->frame[me] = (uint32_t)(x->depth - 1);
	t->actor[me] = (int8_t)p;
	t->query[me] = sig_query(acc);
	step_clock(x, me, p, acc, t->clock[me - 1]);
	races(x, me, p, acc, t->clock[me - 1]);
	dep_push(&x->dep, acc);
	sig_add(&f->summary[p], acc);
	return true;
}

/* The witness search's label of the live state: preemptions, then steps,
 * as one number that orders them so (plus 1: 0 is "never reached"). */
static uint32_t label_now(const struct sim_exec *ex)
{
	uint64_t steps = sim_steps(ex) < 0xffffff ? sim_steps(ex) : 0xffffff;
	return (sim_preemptions(ex) << 24 | (uint32_t)steps) + 1;
}

/* The witness search reached state s (comp, pos) by a step of actor p: go
 * on from it unless it was reached before, with the same actor last (by
 * position), with fewer preemptions, or as few and as few steps. */
static bool witness_step(struct sx *x, uint32_t s, bool fresh, const uint32_t *comp, const uint32_t *chash,
			 const uint8_t *pos, int p, uint32_t ck[][SIM_ACTORS_MAX])
{
	struct sim_exec *ex = x->ex;
	if (fresh)
		x->r->states++;
	if (sim_preemptions(ex) > x->b->preemptions_max) {
		x->r->pruned++;
		return true;
	}
	/* No cut at a state on the stack: a cycle back to it with the same
	 * actor last has a worse label, and one with another actor last may
	 * cost fewer preemptions from there on.  Labels only fall, so the
	 * search ends. */
	uint32_t *label = &x->label[(size_t)s * x->n + pos[p]], mine = label_now(ex);
	if (*label && *label <= mine)
		return true;
	*label = mine;
	if (!sim_exec_enabled(ex)) {
		bool deadlock = false;
		for (uint32_t i = 0; i < x->n; i++)
			deadlock |= !ex->actors[i].finished;
		x->r->executions++;
		x->prog->end(x->prog->ctx, ex, deadlock ? SIM_END_DEADLOCK : SIM_END_DONE);
		return true;
	}
	return push(x, s, comp, chash, pos, ck, p) != NULL;
}

/* After a step of f's actor: move the odometer of its data choices to the
 * next combination; false when every combination has been taken. */
static bool next_choices(struct sx *x, struct frame *f)
{
	if (x->chpos < f->nch)
		f->nch = x->chpos;
	for (int k = (int)f->nch - 1; k >= 0; k--)
		if (f->cval[k] + 1 < f->cn[k]) {
			f->cval[k]++;
			f->nch = (uint32_t)k + 1;
			return true;
		}
	return false;
}

/* ---- ends ---------------------------------------------------------------- */

static void stop(struct sx *x, enum sim_incomplete why)
{
	x->r->complete = false;
	if (x->r->why == SIM_COMPLETE)
		x->r->why = why;
}

/* A new state where no actor can run: an end state, done or deadlocked. */
static void end_state(struct sx *x, uint32_t s, const uint8_t *pos, uint32_t ck[][SIM_ACTORS_MAX])
{
	const struct sim_exec *ex = x->ex;
	struct frame *f = x->depth ? &x->frames[x->depth - 1] : NULL; /* NULL: an initial state */
	bool deadlock = false;
	struct sig g[SIM_ACTORS_MAX];
	memset(g, 0, sizeof(g));
	for (uint32_t i = 0; i < x->n; i++) {
		if (!ex->actors[i].finished) {
			deadlock = true;
			sig_add(&g[i], &ex->actors[i].pending);
			if (x->por)
				races(x, x->dep.steps, (int)i, &ex->actors[i].pending, ck[i]);
		}
		if (f)
			sig_or(&f->summary[i], &g[i]);
	}
	if (!store_summary(x, s, pos, g)) {
		x->oom = true;
		return;
	}
	x->info[s].flags = ST_DONE;
	x->r->executions++;
	if (deadlock)
		x->r->deadlocks++;
	x->prog->end(x->prog->ctx, x->ex, deadlock ? SIM_END_DEADLOCK : SIM_END_DONE);
}

/* A step back to state s: explore nothing below it, find the races with it. */
static void seen_state(struct sx *x, uint32_t s, const uint8_t *pos, uint32_t ck[][SIM_ACTORS_MAX])
{
	struct frame *f = &x->frames[x->depth - 1];
	struct sig sum[SIM_ACTORS_MAX];
	if (x->info[s].flags & ST_ONSTACK) {
		x->r->cycles++;
		x->cyclic = true;
		for (size_t j = 0; j < x->depth; j++) {
			x->frames[j].backtrack = x->frames[j].enabled;
			x->path.open[j] = 0;
		}
	}
	for (uint32_t a = 0; a < x->n; a++) {
		if (x->cyclic)
			memset(&sum[a], 0xff, sizeof(sum[a]));
		else
			sum[a] = *summary_at(x, s, pos[a]);
		sig_or(&f->summary[a], &sum[a]);
	}
	if (x->por)
		summary_races(x, x->dep.steps, sum, ck);
}

/* ---- the search ---------------------------------------------------------- */

static bool bounded(struct sx *x, uint64_t transitions)
{
	const struct sim_bounds *b = x->b;
	if (b->interrupt && *b->interrupt) {
		stop(x, SIM_INCOMPLETE_INTERRUPTED);
		return true;
	}
	if (b->executions_max && x->r->executions >= b->executions_max) {
		stop(x, SIM_INCOMPLETE_EXECUTIONS);
		return true;
	}
	if ((transitions & 1023) == 1) { /* the first step, then every 1024 */
		size_t held = memory_held(x);
		if (held > x->r->memory_peak)
			x->r->memory_peak = held;
		if (b->memory_max && held > b->memory_max) {
			stop(x, SIM_INCOMPLETE_MEMORY);
			return true;
		}
		if (b->wall_ms_max && now_ms() - x->t0_ms > b->wall_ms_max) {
			stop(x, SIM_INCOMPLETE_TIME);
			return true;
		}
	}
	return false;
}

/* The fraction of the search done, from the first levels of the stack. */
static double done_fraction(const struct sx *x)
{
	double f = 0, share = 1;
	for (size_t i = 0; i < x->depth && i < 64; i++) {
		const struct frame *fr = &x->frames[i];
		uint32_t known = (uint32_t)__builtin_popcount(fr->backtrack | fr->done);
		uint32_t index = (uint32_t)__builtin_popcount(fr->done) - 1;
		if (known == 0)
			break;
		f += share * index / known;
		share /= known;
	}
	return f;
}

/* One step from the top frame f (restored first unless live): returns false
 * when the search must stop. */
/* ---- the step memo --------------------------------------------------------- */


/* After actor p's step from frame f to the live state (its components
 * comp[], hashes chash[]), a step that made no data choice: remember what it
 * made, or with memo_check compare it with what was remembered.  False when
 * the memo could not grow (out of memory or budget): the step is then just
 * not remembered. */
static bool memo_record(struct sx *x, const struct frame *f, int p, const uint32_t *comp, const uint32_t *chash,
			uint32_t rest)
{
	uint32_t e[4 + MEMO_RES] = {0, 0, 0, 0, x->world_id, x->shared_id, comp[p], x->world_hash, x->shared_hash,
				    chash[p], rest};
	bool fresh;
	memo_key(x, f, p, e);
	uint32_t id = vecset_add(&x->memo, e, &fresh);
	if (id == UINT32_MAX)
		return false;
	if (!fresh && memcmp(&x->memo.vec[(size_t)id * x->memo.width + 4], e + 4, MEMO_RES * sizeof(uint32_t)) != 0)
		x->r->memo_mismatches++;
	return true;
}

/* What the memo knows of actor p's step from frame f: the successor's
 * parts (when known) and its state id if the store holds it. */
struct memo_succ {
	bool known;
	uint32_t res[MEMO_RES];
	uint32_t comp[SIM_ACTORS_MAX], chash[SIM_ACTORS_MAX], v[2 + SIM_ACTORS_MAX], hs;
	uint8_t pos[SIM_ACTORS_MAX];
};

/* Fill m from the memo; the successor's state id, or UINT32_MAX when the
 * step is not in the memo or leads to a state not seen yet. */
static uint32_t memo_successor(const struct sx *x, const struct frame *f, int p, struct memo_succ *m)
{
	uint32_t key[4];
	memo_key(x, f, p, key);
	uint32_t id = vecset_find_hashed(&x->memo, key, f->memo_hash);
	m->known = id != UINT32_MAX;
	if (!m->known)
		return UINT32_MAX;
	memcpy(m->res, &x->memo.vec[(size_t)id * x->memo.width + 4], sizeof(m->res));
	memcpy(m->comp, f->comp, x->n * sizeof(uint32_t));
	memcpy(m->chash, f->chash, x->n * sizeof(uint32_t));
	m->comp[p] = m->res[2];
	m->chash[p] = m->res[5];
	m->hs = state_hash(x, m->res[3], m->res[4], m->chash);
	vecset_prefetch(&x->states, m->hs); /* loads while the vector is sorted */
	m->v[0] = m->res[0];
	m->v[1] = m->res[1];
	state_vector(x, m->comp, m->v, m->pos);
	uint32_t s = vecset_find_hashed(&x->states, m->v, m->hs);
	if (s != UINT32_MAX)
		__builtin_prefetch(&x->info[s]); /* seen_state reads it */
	return s;
}

/* The step the memo knew (m) was taken and made a new state: file it
 * without packing or hashing anything, and leave the world's bytes for push
 * where the store keeps them.  Its id, or UINT32_MAX when out of memory. */
static uint32_t memo_new_state(struct sx *x, const struct memo_succ *m)
{
	bool fresh;
	uint32_t s = vecset_add_hashed(&x->states, m->v, m->hs, &fresh);
	if (s == UINT32_MAX)
		return s;
	assert(fresh); /* memo_successor found no such state, and no step ran in between */
	x->world_id = m->res[0];
	x->shared_id = m->res[1];
	x->world_hash = m->res[3];
	x->shared_hash = m->res[4];
	x->wptr = intern_bytes(&x->worlds, m->res[0]);
	x->wlen = intern_len(&x->worlds, m->res[0]);
	return state_added(x, s) ? s : UINT32_MAX;
}

/* The accesses of a block after its first (rest: an id in x->rests, or
 * NO_REST) into acc; their number. */
static uint32_t block_rest(const struct sx *x, uint32_t rest, struct sim_access *acc)
{
	if (rest == NO_REST)
		return 0;
	uint32_t len = intern_len(&x->rests, rest);
	assert(len % sizeof(*acc) == 0 && len <= BLOCK_MAX * sizeof(*acc)); /* as block_rest_id filed it */
	memcpy(acc, intern_bytes(&x->rests, rest), len);
	return len / (uint32_t)sizeof(*acc);
}

/* ---- one step ------------------------------------------------------------ */

/* Whether access a is a both-mover: an add to an object that every actor
 * only ever adds to (sim_program.add_only_class), so independent of every
 * step of every other actor, and always runnable. */
static bool both_mover(const struct sx *x, const struct sim_access *a)
{
	return a->kind == SIM_ADD && x->prog->add_only_class && SIM_CLASS(a->obj) == x->prog->add_only_class;
}

/* Actor p took the first step of its block from the top frame f; take the
 * rest, filing each step in the path (block_step): after an acquire, at
 * most one access and then the releases (block_continues); after any step,
 * and anywhere in a block, both-movers.  False when the execution failed
 * (*ok false) or when out of memory (x->oom). */
static bool block_run(struct sx *x, struct frame *f, int p, bool *ok)
{
	struct sim_exec *ex = x->ex;
	bool lock = f->ev_acc.kind == SIM_LOCK, access_ok = lock;
	for (uint32_t k = 0; *ok && k < BLOCK_MAX && !ex->actors[p].finished; k++) {
		struct sim_access acc = ex->actors[p].pending;
		if (both_mover(x, &acc))
			; /* goes anywhere in a block, and changes nothing of what may follow */
		else if (lock && block_continues(&acc, access_ok))
			access_ok = false; /* after the access or a release: releases only */
		else
			break;
		sim_mask en = sim_exec_enabled(ex);
		assert(en & ((sim_mask)1 << p)); /* the kinds that continue are always runnable */
		if (!block_step(x, f, p, &acc)) {
			x->oom = true;
			return false;
		}
		*ok = sim_exec_step(ex, p, en);
	}
	return *ok;
}

/* The rest of the block just taken from the top frame f (the path's steps
 * after its first) filed in x->rests: its id, NO_REST when there is none,
 * UINT32_MAX when the table cannot grow. */
static uint32_t block_rest_id(struct sx *x, const struct frame *f)
{
	size_t n = x->dep.steps - f->step_lo - 1;
	if (n == 0)
		return NO_REST;
	bool fresh;
	return intern_add(&x->rests, &x->path.acc[f->step_lo + 1], n * sizeof(struct sim_access), &fresh);
}

/* Actor p took the step leaving frame f: add its access to f's summary, and
 * set ck to the actors' clocks after it (rows of actors only: a row is 64
 * bytes). */
static void stepped(struct sx *x, struct frame *f, int p, uint32_t ck[][SIM_ACTORS_MAX])
{
	sig_add(&f->summary[p], &f->ev_acc);
	memcpy(ck, f->clocks, x->n * sizeof(ck[0]));
	memcpy(ck[p], x->path.clock[x->dep.steps - 1], sizeof(ck[p]));
}

static bool explore_step(struct sx *x, struct frame *f, bool live)
{
	struct sim_exec *ex = x->ex;
	int p = f->ev_actor;
	bool use_memo = !x->pb && !x->b->memo_off && f->nch == 0; /* the step's first (or only) choice values */
	struct memo_succ m;
	m.known = false;
	path_truncate(x, f->step_lo + 1); /* the rest of the block of the step's previous choice values */
	x->kept_live = false;
	if (use_memo && !x->b->memo_check) {
		/* a step to a seen state: answered without taking it, the execution stays */
		uint32_t s = memo_successor(x, f, p, &m);
		if (s != UINT32_MAX) {
			x->r->transitions++;
			x->r->memo_hits++;
			f->choices_left = false; /* the memo holds only steps that made no choice */
			struct sim_access acc[BLOCK_MAX];
			uint32_t k = block_rest(x, m.res[6], acc);
			for (uint32_t i = 0; i < k; i++)
				if (!block_step(x, f, p, &acc[i])) {
					x->oom = true;
					return false;
				}
			uint32_t ck[SIM_ACTORS_MAX][SIM_ACTORS_MAX];
			stepped(x, f, p, ck);
			seen_state(x, s, m.pos, ck);
			x->kept_live = live;
			return true;
		}
	}
	if (!live)
		restore(x, f);
	x->chf = f;
	x->chpos = 0;
	bool ok = sim_exec_step(ex, p, f->enabled);
	assert(x->dep.steps == f->step_lo + 1); /* the path ends with this step: its block goes on from there */
	if (ok && x->por && !x->b->blocks_off && !block_run(x, f, p, &ok) && x->oom)
		return false;
	x->live_off[p] = SIZE_MAX; /* p's part is new */
	x->r->transitions++;
	f->choices_left = next_choices(x, f);
	if (x->choices_overflow) {
		stop(x, SIM_INCOMPLETE_CHOICES);
		return false;
	}
	if (!ok) {
		/* The execution ends here, so the failing step disables every
		 * other actor: it is dependent with all of them, and f explores
		 * every runnable actor.  What the others would have done next
		 * races with the path as at an end state (dpor.c: pending_races). */
		if (x->por) {
			f->backtrack |= f->enabled;
			x->path.open[x->depth - 1] = 0;
			for (uint32_t i = 0; i < x->n; i++)
				if ((int)i != p && !ex->actors[i].finished)
					races(x, x->dep.steps, (int)i, &ex->actors[i].pending, f->clocks[i]);
		}
		x->r->failures++;
		x->r->executions++;
		x->prog->end(x->prog->ctx, ex, SIM_END_FAILED);
		if (x->stop_on_failure) {
			stop(x, SIM_INCOMPLETE_EXECUTIONS);
			return false;
		}
		return true;
	}
	uint32_t ck[SIM_ACTORS_MAX][SIM_ACTORS_MAX];
	stepped(x, f, p, ck);
	/* the new state's parts land in m's arrays: the memo's when it knew them */
	uint32_t *comp = m.comp, *chash = m.chash;
	uint8_t *pos = m.pos;
	bool fresh = true;
	uint32_t s;
	if (m.known) { /* a new state, whose parts the memo gave */
		s = memo_new_state(x, &m);
	} else {
		s = state_id(x, f, p, comp, chash, pos, &fresh);
		uint32_t rest = s != UINT32_MAX && use_memo && f->nch == 0 ? block_rest_id(x, f) : UINT32_MAX;
		if (rest != UINT32_MAX)
			memo_record(x, f, p, comp, chash, rest); /* when the memo cannot grow, the step is only not remembered */
	}
	if (s == UINT32_MAX) {
		x->oom = true;
		return false;
	}
	if (x->pb)
		return witness_step(x, s, fresh, comp, chash, pos, p, ck);
	if (!fresh) {
		seen_state(x, s, pos, ck);
		return true;
	}
	x->r->states++;
	if (!sim_exec_enabled(ex)) {
		end_state(x, s, pos, ck);
		return !x->oom;
	}
	if (x->depth >= (x->b->steps_max ? x->b->steps_max : 100000)) {
		stop(x, SIM_INCOMPLETE_STEPS);
		x->info[s].flags = ST_DONE; /* not explored: the run is incomplete */
		return true;
	}
	if (!push(x, s, comp, chash, pos, ck, p))
		return false;
	if (x->b->progress && (x->r->states & 4095) == 0) {
		x->r->done_fraction = done_fraction(x);
		x->b->progress(x->b->progress_ctx, x->r);
	}
	return true;
}

static void search(struct sx *x)
{
	bool live = true; /* the execution is in the top frame's state */
	while (x->depth) {
		struct frame *f = &x->frames[x->depth - 1];
		if (!f->choices_left) {
			sim_mask cand = f->backtrack & ~f->done;
			if (!cand) {
				if (!pop(x)) {
					x->oom = true;
					return;
				}
				live = false;
				continue;
			}
			/* the witness search runs on before it preempts, as dfs.c's bounded search */
			int a = x->pb && f->last >= 0 && (cand & ((sim_mask)1 << f->last)) ? f->last : __builtin_ctz(cand);
			begin_step(x, f, a);
		}
		size_t depth = x->depth;
		if (!explore_step(x, f, live) || bounded(x, x->r->transitions))
			return;
		/* a new frame was pushed: the execution is in its state; a memo answer: it did not move */
		live = x->depth > depth || x->kept_live;
	}
}

int stateful_explore(const struct sim_program *prog, enum stateful_mode mode, const struct sim_bounds *b,
		     bool stop_on_failure, struct sim_result *r)
{
	struct sx x = {.prog = prog, .b = b, .r = r, .por = mode == STATEFUL_DPOR, .pb = mode == STATEFUL_WITNESS,
		       .stop_on_failure = stop_on_failure};
	struct sim_decider d = {sx_pick, sx_choose, NULL, &x};
	memset(r, 0, sizeof(*r));
	dep_init(&x.dep);
	x.budget.max = b->memory_max;
	x.worlds.budget = x.comps.budget = x.shareds.budget = x.sigs.budget = x.rests.budget = &x.budget;
	x.states.budget = x.sumvecs.budget = x.memo.budget = &x.budget;
	r->complete = true;
	if (!sim_stepwise_supported() || !prog->world_key || !prog->world_load) {
		stop(&x, SIM_INCOMPLETE_UNSUPPORTED);
		return 0;
	}
	x.ex = sim_exec_create();
	if (!x.ex)
		return -1;
	x.t0_ms = now_ms();
	/* Choices made in the prologues (before any step) give different
	 * initial states: each is the root of a search of its own. */
	struct frame *root = calloc(1, sizeof(struct frame));
	if (!root) {
		sim_exec_destroy(x.ex);
		return -1;
	}
	bool more = true;
	while (more && !x.oom && r->complete) {
		x.chf = root;
		x.chpos = 0;
		bool ok = sim_exec_begin(x.ex, prog, &d);
		more = next_choices(&x, root);
		if (x.choices_overflow) {
			stop(&x, SIM_INCOMPLETE_CHOICES);
			break;
		}
		if (!ok) {
			r->failures++;
			r->executions++;
			prog->end(prog->ctx, x.ex, SIM_END_FAILED);
			if (stop_on_failure)
				stop(&x, SIM_INCOMPLETE_EXECUTIONS);
			continue;
		}
		x.n = x.ex->actor_count;
		x.states.width = 2 + x.n;
		x.sumvecs.width = x.n;
		x.memo.width = 4 + MEMO_RES;
		x.memo.keyw = 4;
		for (uint32_t a = 0; a < SIM_ACTORS_MAX; a++)
			x.live_off[a] = SIZE_MAX;
		if (x.top_sig == 0 && x.sigs.count == 0) {
			struct sig top;
			memset(&top, 0xff, sizeof(top));
			bool f;
			x.top_sig = intern_add(&x.sigs, &top, sizeof(top), &f);
		}
		uint32_t comp[SIM_ACTORS_MAX], chash[SIM_ACTORS_MAX], clocks[SIM_ACTORS_MAX][SIM_ACTORS_MAX];
		uint8_t pos[SIM_ACTORS_MAX];
		bool fresh;
		memset(clocks, 0, sizeof(clocks));
		uint32_t s0 = state_id(&x, NULL, -1, comp, chash, pos, &fresh);
		if (s0 == UINT32_MAX) {
			x.oom = true;
			break;
		}
		if (!fresh)
			continue; /* another choice led to the same initial state */
		dep_reset(&x.dep);
		r->states++;
		if (x.pb)
			memset(x.label, 0xff, x.n * sizeof(uint32_t)); /* reached once, with nothing before */
		if (!sim_exec_enabled(x.ex))
			end_state(&x, s0, pos, clocks);
		else if (push(&x, s0, comp, chash, pos, clocks, -1))
			search(&x);
	}
	free(root);
	if (x.oom)
		stop(&x, SIM_INCOMPLETE_MEMORY);
	size_t held = memory_held(&x);
	if (held > r->memory_peak)
		r->memory_peak = held;
	r->done_fraction = r->complete ? 1 : done_fraction(&x);
	sim_exec_destroy(x.ex);
	intern_free(&x.worlds);
	intern_free(&x.comps);
	intern_free(&x.shareds);
	intern_free(&x.sigs);
	intern_free(&x.rests);
	vecset_free(&x.states);
	vecset_free(&x.sumvecs);
	vecset_free(&x.memo);
	path_free(&x.path);
	dep_release(&x.dep);
	free(x.info);
	free(x.label);
	free(x.frames);
	free(x.snaps);
	free(x.wbuf);
	free(x.cbuf);
	return 0;
}
