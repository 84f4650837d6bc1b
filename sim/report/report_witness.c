/*
 * report_witness.c - one witness as the timeline of `nfrace report` (see
 * report_witness.h): the schedule is replayed with tracing while every state
 * is snapshotted (nf_model_snapshot), and each trace step is written with
 * its lane, kernel function, action, notes and the state after it.
 */
#include "report_witness.h"

#include "exec.h"
#include "kernel_src.h"
#include "report.h"
#include "report_html.h"
#include "report_label.h"
#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

enum { STATES_MAX = 100000 };

/* The states of one observed replay, as snapshot JSON texts in step order. */
struct states {
	char *text[STATES_MAX];
	size_t n;
};

struct capture {
	struct states states;
	FILE *out;        /* the witness's "lanes" and "steps" JSON go here */
	const char *tree; /* the preset's source tree, for each step's source link */
};

static void observe(void *ctx, const struct nf_model *m)
{
	struct states *st = &((struct capture *)ctx)->states;
	size_t len;
	if (st->n == STATES_MAX)
		return;
	FILE *f = open_memstream(&st->text[st->n], &len);
	if (!f)
		return;
	nf_model_snapshot(m, f);
	if (fclose(f) == 0)
		st->n++;
}

/* The state after trace step s: the first observation follows the actors'
 * prologues (trace steps 0..actors-1), each later one a scheduled step. */
static const char *state_after(const struct capture *c, size_t s, uint32_t actors)
{
	size_t k = s + 1 >= actors ? s + 1 - actors : 0;
	if (c->states.n == 0)
		return "null";
	return c->states.text[k < c->states.n ? k : c->states.n - 1];
}

static void json_notes(FILE *f, const char *n, const char *end)
{
	fputc('[', f);
	for (bool first = true; n < end; first = false) {
		const char *nl = memchr(n, '\n', (size_t)(end - n));
		char buf[600];
		size_t len = (size_t)((nl ? nl : end) - n);
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1), n);
		fputs(first ? "" : ",", f);
		html_json_string(f, buf);
		n += len + 1;
	}
	fputc(']', f);
}

static void capture_trace(void *ctx, const struct sim_exec *ex)
{
	struct capture *c = ctx;
	FILE *f = c->out;
	fputs("\"lanes\":[", f);
	for (uint32_t a = 0; a < ex->actor_count; a++) {
		fputs(a ? "," : "", f);
		html_json_string(f, ex->actors[a].name);
	}
	fputs("],\"steps\":[", f);
	for (size_t s = 0; s < ex->trace_len; s++) {
		const struct sim_trace_step *st = &ex->trace[s];
		const char *label = st->access.label ? st->access.label : "(start)";
		size_t fn_len = strcspn(label, ":");
		char fn[128];
		snprintf(fn, sizeof(fn), "%.*s", (int)(fn_len < sizeof(fn) ? fn_len : sizeof(fn) - 1), label);
		const char *action = label + fn_len;
		action += strspn(action, ": ");
		fprintf(f, "%s\n{\"lane\":%d,\"fn\":", s ? "," : "", st->actor);
		html_json_string(f, fn);
		fputs(",\"action\":", f);
		html_json_string(f, action);
		const char *src = kernel_src_file(fn, c->tree);
		char url[512];
		fputs(",\"src\":", f);
		if (src) {
			kernel_src_url(src, c->tree, url, sizeof(url));
			html_json_string(f, src);
			fputs(",\"url\":", f);
			html_json_string(f, url);
		} else
			fputs("null,\"url\":null", f);
		fputs(",\"notes\":", f);
		json_notes(f, ex->notes + st->note_first, ex->notes + st->note_first + st->note_len);
		fprintf(f, ",\"state\":%s}", state_after(c, s, ex->actor_count));
	}
	fputs("]", f);
}

const struct outcome *report_best_drop(const struct job *j)
{
	const struct outcome *best = NULL;
	for (uint32_t i = 0; i < j->outcome_count; i++) {
		const struct outcome *o = &j->outcomes[i];
		if (job_outcome_is_drop(o) && (!best || o->preemptions < best->preemptions ||
					       (o->preemptions == best->preemptions && o->steps < best->steps)))
			best = o;
	}
	return best;
}

static char *text_of(void (*fn)(FILE *, const struct scenario *, const struct outcome *), const struct job *j,
		     const struct outcome *o)
{
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);
	if (f) {
		fn(f, j->sc, o);
		fclose(f);
	}
	return s;
}

static void counters_text(FILE *f, const struct scenario *sc, const struct outcome *o)
{
	(void)sc;
	report_counters(f, o);
}

int report_witness_json(FILE *f, struct job *j, const struct outcome *w, const char *path, bool *first)
{
	static struct capture c;
	struct outcome out;
	char *body = NULL, *outcome = text_of(report_outcome_text, j, w), *counters = text_of(counters_text, j, w);
	size_t len;
	c.states.n = 0;
	c.tree = report_preset_tree(j);
	c.out = open_memstream(&body, &len);
	int rc = c.out ? job_replay_observed(j, w->schedule, observe, capture_trace, &c, &out) : -1;
	if (c.out)
		fclose(c.out);
	if (rc == 0) {
		char id[160], replay[TOKEN_TEXT_MAX + 512];
		snprintf(id, sizeof(id), "%s/%s", j->sc->name, j->kernel);
		snprintf(replay, sizeof(replay), "nfrace replay %s --kernel %s%s --schedule %s", path, j->kernel,
			 report_replay_options(j), w->schedule);
		fprintf(f, "%s\n", *first ? "" : ",");
		html_json_string(f, id);
		fputs(":{\"scenario\":", f);
		html_json_string(f, j->sc->name);
		fputs(",\"kernel\":", f);
		html_json_string(f, j->kernel);
		fputs(",\"tree\":", f);
		html_json_string(f, c.tree);
		fputs(",\"outcome\":", f);
		html_json_string(f, outcome ? outcome : "");
		fputs(",\"counters\":", f);
		html_json_string(f, counters ? counters : "");
		fprintf(f, ",\"preemptions\":%u,\"schedule\":", w->preemptions);
		html_json_string(f, w->schedule);
		fputs(",\"replay\":", f);
		html_json_string(f, replay);
		fprintf(f, ",%s}", body ? body : "");
		*first = false;
	} else
		fprintf(stderr, "nfrace report: the witness of %s under %s does not replay: %s\n", j->sc->name, j->kernel,
			w->schedule);
	for (size_t i = 0; i < c.states.n; i++)
		free(c.states.text[i]);
	free(body);
	free(outcome);
	free(counters);
	return rc == 0 ? 0 : -1;
}
