/*
 * job_shard.c - run shards and shard containers, written and read as
 * untrusted text (job_shard.h).
 *
 * The reader is a cursor over the text that knows its line and column: each
 * field is read strictly (one space before it, decimal digits without a
 * leading zero, a range), each length is checked against the bytes that are
 * left, and the first thing wrong is reported where it is.
 */
#include "job_shard.h"

#include "probability.h"
#include "token.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Counts in a run shard stay below 2^56, so the sum of 64 shards' cannot overflow. */
#define COUNT_MAX (1ull << 56)

/* ---- writing ----------------------------------------------------------- */

/* body[0..len), then "end" and its checksum. */
static void write_with_checksum(FILE *f, const char *body, size_t len)
{
	fwrite(body, 1, len, f);
	fprintf(f, "end %016" PRIx64 "\n", sim_hash64(SIM_HASH_INIT, body, len));
}

static void write_outcome(FILE *f, const struct outcome *o)
{
	fprintf(f, "outcome %u %u", o->dropped, o->lost);
	for (int s = 0; s < STAT_COUNT; s++)
		fprintf(f, " %u", o->counters[s]);
	fprintf(f, " %" PRIu64 " %u %" PRIu64 " %s\n", o->executions, o->preemptions, o->steps, o->schedule);
}

/* The distinct draws of the dropping executions (probability.h): "draw P N
 * cpu:value..." per key, P as a hexadecimal float (exact); "draws-overflow"
 * when some were lost. */
static void write_draws(FILE *f, const struct job_draws *d)
{
	for (uint32_t i = 0; i < d->count; i++) {
		const struct job_draw_key *k = &d->keys[i];
		fprintf(f, "draw %a %u", k->p, k->n);
		for (uint8_t v = 0; v < k->n; v++)
			fprintf(f, " %u:%u", k->cpu[v], k->value[v]);
		fputc('\n', f);
	}
	if (d->overflow)
		fputs("draws-overflow\n", f);
}

static void write_run_body(FILE *f, const struct job *j, const char *path, uint32_t k, uint32_t n,
			   uint32_t witness_bound)
{
	const struct sim_result *r = &j->result;
	fprintf(f, "nfrace-run-shard 2 %u %u\npath %zu\n%s\nkernel %s\n", k, n, strlen(path), path, j->kernel);
	fprintf(f, "job %" PRIu64 " %u %d %" PRIu64 " %u %" PRIu64 " %" PRIu64 " %u %u %d %016" PRIx64 "\n",
		(uint64_t)j->fixes, j->plants, (int)j->strategy, j->seed, j->pct_depth, j->bounds.executions_max,
		j->bounds.steps_max, j->bounds.split_depth, witness_bound, (int)j->bounds.count_classes, j->hash);
	fprintf(f, "result %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		   " %" PRIu64 " %d %d\n",
		r->executions, r->pruned, r->deadlocks, r->failures, r->steps, r->max_depth, r->classes, r->subtrees,
		r->subtrees_owned, (int)r->complete, (int)r->why);
	fprintf(f, "drops %" PRIu64 " %d %u\n", j->drop_executions, (int)j->outcomes_overflow, j->outcome_count);
	for (uint32_t i = 0; i < j->outcome_count; i++)
		write_outcome(f, &j->outcomes[i]);
	write_draws(f, &j->draws);
	if (j->failed)
		fprintf(f, "failed %s %zu\n%s\n", j->fail_schedule, strlen(j->fail_message), j->fail_message);
	if (j->deadlocked)
		fprintf(f, "deadlock %s\n", j->deadlock_schedule);
}

void job_shard_write_run(FILE *f, const struct job *j, const char *path, uint32_t k, uint32_t n,
			 uint32_t witness_bound)
{
	char *body = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&body, &len);
	if (!m) {
		fputs("(out of memory)\n", f); /* not a shard: the reader refuses it */
		return;
	}
	write_run_body(m, j, path, k, n, witness_bound);
	fclose(m);
	write_with_checksum(f, body, len);
	free(body);
}

void job_shard_write_container(FILE *f, const char *kind, const char *ident, uint32_t k, uint32_t n, uint32_t total,
			       const char *(*task_text)(void *ctx, uint32_t t), void *ctx)
{
	char *body = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&body, &len);
	if (!m) {
		fputs("(out of memory)\n", f);
		return;
	}
	fprintf(m, "nfrace-shard 2 %s %u %u %u\nident %zu\n%s\n", kind, k, n, total, strlen(ident), ident);
	for (uint32_t t = k - 1; t < total; t += n) {
		const char *s = task_text(ctx, t);
		fprintf(m, "task %u %zu\n%s\n", t, s ? strlen(s) : 0, s ? s : "");
	}
	fclose(m);
	write_with_checksum(f, body, len);
	free(body);
}

char *job_shard_check_task_text(const struct check_task *t)
{
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);
	if (!m)
		return NULL;
	fprintf(m, "%d %zu %zu %zu\n", t->status, t->out_len, t->annotations_len, t->junit_len);
	fwrite(t->out, 1, t->out_len, m);
	fwrite(t->annotations, 1, t->annotations_len, m);
	fwrite(t->junit, 1, t->junit_len, m);
	if (fclose(m) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* ---- the reading cursor ---------------------------------------------------- */

struct cursor {
	const char *text;
	size_t len, pos, line_start;
	unsigned line;
	struct shard_error *err;
};

static void cursor_init(struct cursor *c, const char *text, size_t len, struct shard_error *err)
{
	memset(c, 0, sizeof(*c));
	c->text = text;
	c->len = len;
	c->line = 1;
	c->err = err;
	memset(err, 0, sizeof(*err));
}

/* Record an error at byte offset at of the current line; returns -1. */
__attribute__((format(printf, 3, 4))) static int fail_at(struct cursor *c, size_t at, const char *fmt, ...)
{
	va_list ap;
	c->err->line = c->line;
	c->err->column = (unsigned)(at - c->line_start + 1);
	va_start(ap, fmt);
	vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 4, 5))) static int fail_line(struct shard_error *err, unsigned line, unsigned column,
							    const char *fmt, ...)
{
	va_list ap;
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

static int peek(const struct cursor *c)
{
	return c->pos < c->len ? (unsigned char)c->text[c->pos] : -1;
}

/* The line starts with word, followed by a space or the line's end. */
static int keyword(struct cursor *c, const char *word)
{
	size_t n = strlen(word);
	if (c->len - c->pos < n || memcmp(c->text + c->pos, word, n) != 0 ||
	    (c->pos + n < c->len && c->text[c->pos + n] != ' ' && c->text[c->pos + n] != '\n'))
		return fail_at(c, c->pos, "expected a '%s' line", word);
	c->pos += n;
	return 0;
}

/* " N": a strict decimal in [min, max] (what names the field). */
static int field_u64(struct cursor *c, uint64_t min, uint64_t max, uint64_t *v, const char *what)
{
	if (peek(c) != ' ')
		return fail_at(c, c->pos, "%s: expected a space and a number", what);
	size_t start = ++c->pos;
	uint64_t x = 0;
	bool overflow = false;
	while (peek(c) >= '0' && peek(c) <= '9') {
		uint64_t d = (uint64_t)(peek(c) - '0');
		if (x > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			x = x * 10 + d;
		c->pos++;
	}
	size_t n = c->pos - start;
	if (n == 0 || (n > 1 && c->text[start] == '0') || (peek(c) != ' ' && peek(c) != '\n'))
		return fail_at(c, start, "%s: not a decimal number", what);
	if (overflow || x < min || x > max)
		return fail_at(c, start, "%s: out of range (%" PRIu64 " to %" PRIu64 ")", what, min, max);
	*v = x;
	return 0;
}

static int field_u32(struct cursor *c, uint32_t min, uint32_t max, uint32_t *v, const char *what)
{
	uint64_t x = 0; /* fail_at leaves it unset; -O3 cannot see that it returns -1 */
	if (field_u64(c, min, max, &x, what) != 0)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* " HHHHHHHHHHHHHHHH": 16 lower-case hex digits. */
static int field_hex(struct cursor *c, uint64_t *v, const char *what)
{
	if (peek(c) != ' ' || c->len - c->pos < 17)
		return fail_at(c, c->pos, "%s: expected a space and 16 hex digits", what);
	size_t start = ++c->pos;
	uint64_t x = 0;
	for (int i = 0; i < 16; i++, c->pos++) {
		int ch = peek(c);
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return fail_at(c, start, "%s: expected 16 hex digits", what);
		x = x << 4 | (uint64_t)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
	}
	if (peek(c) != ' ' && peek(c) != '\n')
		return fail_at(c, start, "%s: expected 16 hex digits", what);
	*v = x;
	return 0;
}

/* " WORD": printable characters other than space, fewer than size. */
static int field_word(struct cursor *c, char *out, size_t size, const char *what)
{
	if (peek(c) != ' ')
		return fail_at(c, c->pos, "%s: expected a space and a word", what);
	size_t start = ++c->pos;
	while (peek(c) > ' ' && peek(c) < 0x7f)
		c->pos++;
	size_t n = c->pos - start;
	if (n == 0 || (peek(c) != ' ' && peek(c) != '\n'))
		return fail_at(c, start, "%s: expected printable characters", what);
	if (n >= size)
		return fail_at(c, start, "%s: too long (at most %zu characters)", what, size - 1);
	memcpy(out, c->text + start, n);
	out[n] = '\0';
	return 0;
}

/* The end of the line. */
static int line_end(struct cursor *c)
{
	if (peek(c) != '\n')
		return fail_at(c, c->pos, peek(c) < 0 ? "the file ends in the middle of a line" : "unexpected text");
	c->pos++;
	c->line++;
	c->line_start = c->pos;
	return 0;
}

/* n bytes of raw text (no NUL), then a line end; *p points at them. */
static int raw_text(struct cursor *c, size_t n, const char **p, const char *what)
{
	if (c->len - c->pos < n)
		return fail_at(c, c->pos, "%s: %zu bytes announced, %zu left in the file", what, n, c->len - c->pos);
	if (memchr(c->text + c->pos, '\0', n))
		return fail_at(c, c->pos, "%s: contains a NUL byte", what);
	*p = c->text + c->pos;
	for (size_t i = 0; i < n; i++, c->pos++)
		if (c->text[c->pos] == '\n') {
			c->line++;
			c->line_start = c->pos + 1;
		}
	return line_end(c);
}

/* The "end HASH" line: the checksum of every byte before it; nothing after. */
static int end_line(struct cursor *c)
{
	uint64_t want, got = sim_hash64(SIM_HASH_INIT, c->text, c->pos);
	size_t at = c->pos;
	if (keyword(c, "end") != 0 || field_hex(c, &want, "end") != 0 || line_end(c) != 0)
		return -1;
	if (want != got) {
		c->line--;
		c->line_start = at;
		return fail_at(c, at + 4, "checksum mismatch: the file was changed or cut after it was written");
	}
	if (c->pos != c->len)
		return fail_at(c, c->pos, "text after the end line");
	return 0;
}

/* The first line's magic word and format version. */
static int header(struct cursor *c, const char *magic)
{
	uint64_t version;
	if (keyword(c, magic) != 0)
		return fail_at(c, 0, "not an nfrace shard file of this kind (it does not start with '%s')", magic);
	if (field_u64(c, 1, UINT64_MAX, &version, "format version") != 0)
		return -1;
	if (version != 2)
		return fail_at(c, strlen(magic) + 1, "format version %" PRIu64 " (this nfrace reads 2: run the shard again)",
			       version);
	return 0;
}

/* ---- run shards ------------------------------------------------------------ */

static int read_identity(struct cursor *c, struct run_shard *s)
{
	struct job *j = &s->part;
	uint64_t len, fixes, strategy, classes;
	const char *path;
	if (header(c, "nfrace-run-shard") != 0 || field_u32(c, 1, SHARD_N_MAX, &s->k, "shard K") != 0 ||
	    field_u32(c, 1, SHARD_N_MAX, &s->n, "shard N") != 0 || line_end(c) != 0)
		return -1;
	if (s->k > s->n)
		return fail_line(c->err, 1, 1, "shard %u of %u", s->k, s->n);
	if (keyword(c, "path") != 0 || field_u64(c, 1, SHARD_PATH_MAX - 1, &len, "path length") != 0 || line_end(c) != 0 ||
	    raw_text(c, len, &path, "path") != 0)
		return -1;
	memcpy(s->path, path, len);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f) {
			c->line--;
			c->line_start = (size_t)(path - c->text);
			return fail_at(c, (size_t)(path - c->text) + i, "path: a control character");
		}
	if (keyword(c, "kernel") != 0 || field_word(c, s->kernel, sizeof(s->kernel), "kernel") != 0)
		return -1;
	if (!nf_preset_lookup(s->kernel))
		return fail_at(c, c->line_start + 7, "kernel: unknown preset '%s'", s->kernel);
	if (line_end(c) != 0)
		return -1;
	s->job_line = c->line;
	if (keyword(c, "job") != 0 || field_u64(c, 0, (1ull << FIX_COUNT) - 1, &fixes, "fix set") != 0 ||
	    field_u32(c, 0, PLANT_LOCK_ORDER, &j->plants, "plants") != 0 ||
	    field_u64(c, SIM_EXPLORE_DFS, SIM_EXPLORE_DPOR, &strategy, "strategy (dfs or dpor)") != 0 ||
	    field_u64(c, 0, UINT64_MAX, &j->seed, "seed") != 0 || field_u32(c, 0, 16, &j->pct_depth, "pct depth") != 0 ||
	    field_u64(c, 0, 0, &j->bounds.executions_max, "execution bound (a split run has none)") != 0 ||
	    field_u64(c, 0, UINT64_MAX, &j->bounds.steps_max, "step bound") != 0 ||
	    field_u32(c, 1, 64, &j->bounds.split_depth, "split depth") != 0 ||
	    field_u32(c, 0, 16, &s->witness_bound, "witness bound") != 0 ||
	    field_u64(c, 0, 1, &classes, "count classes") != 0 || field_hex(c, &j->hash, "program hash") != 0 ||
	    line_end(c) != 0)
		return -1;
	j->fixes = (nf_fixset)fixes;
	j->strategy = (enum sim_strategy)strategy;
	j->bounds.count_classes = classes != 0;
	return 0;
}

static int read_result(struct cursor *c, struct run_shard *s)
{
	struct sim_result *r = &s->part.result;
	uint64_t complete, why, overflow;
	uint64_t *counts[] = {&r->executions, &r->pruned,  &r->deadlocks, &r->failures,      &r->steps,
			      &r->max_depth,  &r->classes, &r->subtrees,  &r->subtrees_owned};
	static const char *const names[] = {"executions", "pruned",   "deadlocks", "failures",       "steps",
					    "max depth",  "classes", "subtrees",  "subtrees owned"};
	if (keyword(c, "result") != 0)
		return -1;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (field_u64(c, 0, COUNT_MAX, counts[i], names[i]) != 0)
			return -1;
	if (field_u64(c, 0, 1, &complete, "complete") != 0 ||
	    field_u64(c, 0, SIM_INCOMPLETE_CHOICES, &why, "why incomplete") != 0)
		return -1;
	r->complete = complete != 0;
	r->why = (enum sim_incomplete)why;
	if (r->complete != (r->why == SIM_COMPLETE))
		return fail_at(c, c->line_start, "result: complete and the reason it is not disagree");
	if (r->deadlocks > r->executions || r->failures > r->executions - r->deadlocks || r->classes > r->executions ||
	    r->max_depth > r->steps || r->subtrees_owned > r->subtrees)
		return fail_at(c, c->line_start, "result: the counts do not fit together");
	if (line_end(c) != 0 || keyword(c, "drops") != 0 ||
	    field_u64(c, 0, r->executions, &s->part.drop_executions, "drop executions") != 0 ||
	    field_u64(c, 0, 1, &overflow, "outcome overflow") != 0 ||
	    field_u32(c, 0, OUTCOMES_MAX, &s->part.outcome_count, "outcome count") != 0 || line_end(c) != 0)
		return -1;
	s->part.outcomes_overflow = overflow != 0;
	return 0;
}

static int read_outcome(struct cursor *c, struct run_shard *s, uint32_t i)
{
	struct outcome *o = &s->part.outcomes[i];
	const struct sim_result *r = &s->part.result;
	s->outcome_line[i] = c->line;
	if (keyword(c, "outcome") != 0 || field_u32(c, 0, (1u << SCENARIO_PACKETS_MAX) - 1, &o->dropped, "dropped") != 0 ||
	    field_u32(c, 0, (1u << SCENARIO_PACKETS_MAX) - 1, &o->lost, "lost") != 0)
		return -1;
	for (int k = 0; k < STAT_COUNT; k++)
		if (field_u32(c, 0, UINT32_MAX, &o->counters[k], "counter") != 0)
			return -1;
	if (field_u64(c, 1, r->executions, &o->executions, "executions") != 0 ||
	    field_u32(c, 0, UINT32_MAX, &o->preemptions, "preemptions") != 0 ||
	    field_u64(c, o->preemptions, r->max_depth, &o->steps, "steps") != 0 ||
	    field_word(c, o->schedule, sizeof(o->schedule), "schedule") != 0 || line_end(c) != 0)
		return -1;
	if (i > 0 && job_outcome_order(&s->part.outcomes[i - 1], o) >= 0)
		return fail_line(c->err, s->outcome_line[i], 1,
				 "outcome: not after the one before (outcomes are sorted, each once)");
	return 0;
}

/* The outcomes' executions add up to at most the run's, and (unless some
 * outcomes were not kept) the dropping ones' to the drop executions. */
static int check_sums(struct cursor *c, const struct run_shard *s)
{
	uint64_t all = 0, drops = 0;
	for (uint32_t i = 0; i < s->part.outcome_count; i++) {
		const struct outcome *o = &s->part.outcomes[i];
		all += o->executions;
		drops += job_outcome_is_drop(o) ? o->executions : 0;
	}
	if (all > s->part.result.executions || (!s->part.outcomes_overflow && drops != s->part.drop_executions))
		return fail_line(c->err, s->job_line + 2, 1, /* the drops line */
				 "drops: the outcomes' executions do not add up to the counts");
	return 0;
}

/* " P": a probability written with %a, 0 < P <= 1. */
static int field_probability(struct cursor *c, double *p)
{
	char word[64], *end;
	size_t at = c->pos + 1;
	if (field_word(c, word, sizeof(word), "probability") != 0)
		return -1;
	*p = strtod(word, &end);
	if (*end || !(*p > 0 && *p <= 1))
		return fail_at(c, at, "probability: not a number in (0, 1]");
	return 0;
}

/* s[0..n) as a strict decimal <= max. */
static bool decimal(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	if (n == 0 || (n > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');
		if (s[i] < '0' || s[i] > '9' || d > max || x > (max - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*out = x;
	return true;
}

/* " CPU:VALUE", one draw of a key. */
static int field_draw(struct cursor *c, uint8_t *cpu, uint32_t *value)
{
	char word[32];
	size_t at = c->pos + 1;
	uint64_t x, y;
	if (field_word(c, word, sizeof(word), "draw") != 0)
		return -1;
	const char *colon = strchr(word, ':');
	if (!colon || !decimal(word, (size_t)(colon - word), SCENARIO_CPUS_MAX - 1, &x) ||
	    !decimal(colon + 1, strlen(colon + 1), UINT32_MAX, &y))
		return fail_at(c, at, "draw: expected cpu:value (cpu 0 to %d)", SCENARIO_CPUS_MAX - 1);
	*cpu = (uint8_t)x;
	*value = (uint32_t)y;
	return 0;
}

/* One "draw P N cpu:value..." line: a key of the draws (probability.h). */
static int read_draw(struct cursor *c, struct job_draws *d)
{
	struct job_draw_key k;
	uint32_t n;
	memset(&k, 0, sizeof(k));
	if (d->count == JOB_DRAW_KEYS_MAX)
		return fail_at(c, c->pos, "draw: more than %d keys", JOB_DRAW_KEYS_MAX);
	if (keyword(c, "draw") != 0 || field_probability(c, &k.p) != 0 ||
	    field_u32(c, 0, NF_DRAWS_MAX, &n, "draw count") != 0)
		return -1;
	k.n = (uint8_t)n;
	for (uint32_t v = 0; v < n; v++)
		if (field_draw(c, &k.cpu[v], &k.value[v]) != 0)
			return -1;
	if (line_end(c) != 0)
		return -1;
	job_draws_add_key(d, &k);
	return 0;
}

static int read_tail(struct cursor *c, struct run_shard *s)
{
	struct job *j = &s->part;
	uint64_t len;
	const char *msg;
	while (peek(c) == 'd' && c->len - c->pos > 5 && !memcmp(c->text + c->pos, "draw ", 5))
		if (read_draw(c, &j->draws) != 0)
			return -1;
	if (c->len - c->pos > 15 && !memcmp(c->text + c->pos, "draws-overflow\n", 15)) {
		if (keyword(c, "draws-overflow") != 0 || line_end(c) != 0)
			return -1;
		j->draws.overflow = true;
	}
	if (peek(c) == 'f' && c->len - c->pos > 7 && !memcmp(c->text + c->pos, "failed ", 7)) {
		s->failed_line = c->line;
		if (keyword(c, "failed") != 0 || field_word(c, j->fail_schedule, sizeof(j->fail_schedule), "schedule") != 0 ||
		    field_u64(c, 0, sizeof(j->fail_message) - 1, &len, "message length") != 0 || line_end(c) != 0 ||
		    raw_text(c, len, &msg, "message") != 0)
			return -1;
		memcpy(j->fail_message, msg, len);
		j->failed = true;
		if (!j->result.failures)
			return fail_line(c->err, s->failed_line, 1, "failed: but the result counts no failure");
	}
	if (peek(c) == 'd') {
		s->deadlock_line = c->line;
		if (keyword(c, "deadlock") != 0 ||
		    field_word(c, j->deadlock_schedule, sizeof(j->deadlock_schedule), "schedule") != 0 || line_end(c) != 0)
			return -1;
		j->deadlocked = true;
		if (!j->result.deadlocks)
			return fail_line(c->err, s->deadlock_line, 1, "deadlock: but the result counts no deadlock");
	}
	return end_line(c);
}

int job_shard_read_run(const char *text, size_t len, struct run_shard *s, struct shard_error *err)
{
	struct cursor c;
	cursor_init(&c, text, len, err);
	memset(s, 0, sizeof(*s));
	if (read_identity(&c, s) != 0 || read_result(&c, s) != 0)
		return -1;
	for (uint32_t i = 0; i < s->part.outcome_count; i++)
		if (read_outcome(&c, s, i) != 0)
			return -1;
	if (check_sums(&c, s) != 0)
		return -1;
	return read_tail(&c, s);
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
	return a->dropped == b->dropped && a->lost == b->lost && !memcmp(a->counters, b->counters, sizeof(a->counters));
}

/* A token of j's program (decodes against its hash). */
static bool token_of_job(const struct job *j, const char *token)
{
	static uint32_t dec[SIM_TOKEN_DECISIONS_MAX];
	size_t n;
	return sim_token_decode(token, j->hash, dec, SIM_TOKEN_DECISIONS_MAX, &n) == SIM_TOKEN_OK;
}

int job_shard_check_run(const struct run_shard *s, struct job *j, struct shard_error *err)
{
	static struct outcome got;
	uint32_t packets = (1u << j->sc->packet_count) - 1;
	memset(err, 0, sizeof(*err));
	if (job_is_events(j))
		return fail_line(err, 1, 1, "an events scenario is never split");
	if (s->part.hash != j->hash)
		return fail_line(err, s->job_line, 1,
				 "job: the program hash differs: the scenario, its preset or fix set, or nfrace changed "
				 "since the shard ran");
	for (uint32_t i = 0; i < s->part.outcome_count; i++) {
		const struct outcome *o = &s->part.outcomes[i];
		if ((o->dropped | o->lost) & ~packets)
			return fail_line(err, s->outcome_line[i], 9, "outcome: packets the scenario does not have");
		int rc = job_replay(j, o->schedule, NULL, NULL, &got);
		if (rc == 4 || (rc >= 1 && rc <= 3))
			return fail_line(err, s->outcome_line[i], 1, "outcome: the schedule is not one of this exploration (%s)",
					 rc == 4 ? "its decisions do not fit"
						 : sim_token_status_text((enum sim_token_status)rc));
		if (rc != 0 || !same_outcome(o, &got))
			return fail_line(err, s->outcome_line[i], 1, "outcome: its schedule, replayed, gives another outcome");
	}
	if (s->part.failed && !token_of_job(j, s->part.fail_schedule))
		return fail_line(err, s->failed_line, 8, "failed: the schedule is not one of this exploration");
	if (s->part.deadlocked && !token_of_job(j, s->part.deadlock_schedule))
		return fail_line(err, s->deadlock_line, 10, "deadlock: the schedule is not one of this exploration");
	return 0;
}

int job_shard_same_run(const struct run_shard *a, const struct run_shard *b, struct shard_error *err)
{
	const struct job *x = &a->part, *y = &b->part;
	memset(err, 0, sizeof(*err));
	if (strcmp(a->path, b->path))
		return fail_line(err, 3, 1, "path: another scenario than the first shard's (%s)", a->path);
	if (strcmp(a->kernel, b->kernel))
		return fail_line(err, 4, 8, "kernel: another preset than the first shard's (%s)", a->kernel);
	if (a->n != b->n)
		return fail_line(err, 1, 1, "split into %u shards, the first shard's run into %u", b->n, a->n);
	if (x->fixes != y->fixes || x->plants != y->plants || x->hash != y->hash)
		return fail_line(err, b->job_line, 1, "job: another fix set or program than the first shard's");
	if (x->strategy != y->strategy || x->seed != y->seed || x->pct_depth != y->pct_depth ||
	    x->bounds.executions_max != y->bounds.executions_max || x->bounds.steps_max != y->bounds.steps_max ||
	    x->bounds.split_depth != y->bounds.split_depth || x->bounds.count_classes != y->bounds.count_classes ||
	    a->witness_bound != b->witness_bound)
		return fail_line(err, b->job_line, 1, "job: other options than the first shard's");
	return 0;
}

/* ---- containers --------------------------------------------------------------- */

int job_shard_read_container(const char *text, size_t len, struct shard_container *c, struct shard_error *err)
{
	struct cursor cur;
	uint64_t ident_len;
	cursor_init(&cur, text, len, err);
	memset(c, 0, offsetof(struct shard_container, tasks));
	if (header(&cur, "nfrace-shard") != 0 || field_word(&cur, c->kind, sizeof(c->kind), "kind") != 0)
		return -1;
	if (strcmp(c->kind, "matrix") && strcmp(c->kind, "check"))
		return fail_at(&cur, 15, "kind: '%s' (matrix or check)", c->kind);
	if (field_u32(&cur, 1, SHARD_N_MAX, &c->k, "shard K") != 0 || field_u32(&cur, 1, SHARD_N_MAX, &c->n, "shard N") != 0 ||
	    field_u32(&cur, 0, SHARD_TASKS_MAX, &c->total, "task count") != 0)
		return -1;
	if (c->k > c->n)
		return fail_at(&cur, 0, "shard %u of %u", c->k, c->n);
	if (line_end(&cur) != 0 || keyword(&cur, "ident") != 0 ||
	    field_u64(&cur, 0, SHARD_BYTES_MAX, &ident_len, "identity length") != 0 || line_end(&cur) != 0 ||
	    raw_text(&cur, ident_len, &c->ident, "identity") != 0)
		return -1;
	c->ident_len = ident_len;
	for (uint32_t t = c->k - 1; t < c->total; t += c->n) {
		struct shard_task *task = &c->tasks[c->count];
		uint64_t tlen;
		task->line = cur.line;
		if (keyword(&cur, "task") != 0)
			return fail_at(&cur, cur.pos, "task %u of the shard is missing (each task once, in order)", t);
		if (field_u32(&cur, 0, UINT32_MAX, &task->index, "task") != 0)
			return -1;
		if (task->index != t)
			return fail_at(&cur, cur.line_start + 5, "task %u where task %u belongs (each task of the shard once, in order)",
				       task->index, t);
		if (field_u64(&cur, 0, SHARD_BYTES_MAX, &tlen, "task length") != 0 || line_end(&cur) != 0 ||
		    raw_text(&cur, tlen, &task->text, "task") != 0)
			return -1;
		task->len = tlen;
		c->count++;
	}
	return end_line(&cur);
}

int job_shard_join(const struct shard_container *const *shards, uint32_t count, const struct shard_task **at,
		   uint32_t *bad, struct shard_error *err)
{
	bool seen[SHARD_N_MAX + 1] = {false};
	memset(err, 0, sizeof(*err));
	*bad = count;
	if (count == 0)
		return fail_line(err, 0, 0, "no shard files");
	const struct shard_container *first = shards[0];
	for (uint32_t i = 0; i < count; i++) {
		const struct shard_container *c = shards[i];
		*bad = i;
		if (strcmp(c->kind, first->kind))
			return fail_line(err, 1, 15, "a %s shard among %s shards", c->kind, first->kind);
		if (c->n != first->n || c->total != first->total)
			return fail_line(err, 1, 1, "shard of %u tasks in %u parts, the first of %u tasks in %u parts", c->total,
					 c->n, first->total, first->n);
		if (c->ident_len != first->ident_len || memcmp(c->ident, first->ident, c->ident_len))
			return fail_line(err, 3, 1, "ident: another %s (other scenarios, presets or options) than the first "
						    "shard's",
					 c->kind);
		if (seen[c->k])
			return fail_line(err, 1, 1, "shard %u/%u given twice", c->k, c->n);
		seen[c->k] = true;
		for (uint32_t t = 0; t < c->count; t++)
			at[c->tasks[t].index] = &c->tasks[t];
	}
	for (uint32_t k = 1; k <= first->n; k++)
		if (!seen[k]) {
			*bad = count;
			return fail_line(err, 0, 0, "shard %u/%u is missing", k, first->n);
		}
	return 0;
}

int job_shard_read_check_task(const char *text, size_t len, struct check_task *t, struct shard_error *err)
{
	struct cursor c;
	uint64_t status, lens[3];
	cursor_init(&c, text, len, err);
	memset(t, 0, sizeof(*t));
	/* "S OUT ANN JUNIT": read the first number as a field after a virtual space */
	if (peek(&c) < '0' || peek(&c) > '4' || c.len < 2 || c.text[1] != ' ')
		return fail_at(&c, 0, "check task: expected an exit status 0 to 4");
	status = (uint64_t)(peek(&c) - '0');
	c.pos = 1;
	if (field_u64(&c, 0, len, &lens[0], "output length") != 0 || field_u64(&c, 0, len, &lens[1], "annotations length") != 0 ||
	    field_u64(&c, 0, len, &lens[2], "test case length") != 0 || line_end(&c) != 0)
		return -1;
	if (lens[0] + lens[1] + lens[2] != c.len - c.pos)
		return fail_at(&c, 0, "check task: the lengths do not add up to the text");
	t->status = (int)status;
	t->out = c.text + c.pos;
	t->out_len = lens[0];
	t->annotations = t->out + lens[0];
	t->annotations_len = lens[1];
	t->junit = t->annotations + lens[1];
	t->junit_len = lens[2];
	return 0;
}
