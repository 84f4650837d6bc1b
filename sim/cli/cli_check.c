/*
 * cli_check.c - `nfrace check SCENARIO...`: every expect: entry of each
 * scenario explored and compared with its verdict (the CI race matrix),
 * PASS/FAIL per entry with the witness of a failure, optionally as a JUnit
 * file and as GitHub annotations at the expect: lines.
 *
 * Each expectation is a task, numbered in scenario and entry order; a
 * scenario that does not load is one task (an errored test case) and the
 * others still run.  A task's result is kept as text (job_shard.h: its exit
 * status, its lines, its annotations, its JUnit test case), so whoever
 * computed it - this process, a -j worker, or a --shard on another machine
 * joined by `nfrace merge` - the report is assembled in task order
 * (cli_check_report) with the same bytes.  The one exception is the JUnit
 * time attribute: wall-clock seconds, never compared.
 */
#include "cli.h"

#include "job_shard.h"
#include "report.h"
#include "scenario_load.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { CHECK_SCENARIOS_MAX = 256, TASK_LOAD_ERROR = -1, TASK_NO_EXPECT = -2 };

static struct scenario scs[CHECK_SCENARIOS_MAX];
static struct scenario_marks marks[CHECK_SCENARIOS_MAX];
static bool loaded[CHECK_SCENARIOS_MAX];
static char load_error[CHECK_SCENARIOS_MAX][1024];
static struct scenario_error load_where[CHECK_SCENARIOS_MAX];

struct check_plan {
	const struct cli_opts *o;
	const char *kernels[CLI_MATRIX_KERNELS_MAX];
	uint32_t nk, shard_k, shard_n, ntasks;
	struct {
		uint16_t scenario;
		int16_t expect; /* index into expect[], or TASK_LOAD_ERROR, TASK_NO_EXPECT */
	} task[SHARD_TASKS_MAX];
	char *text[SHARD_TASKS_MAX]; /* each task's result (job_shard_check_task_text) */
};

/* s as XML text: markup characters as entities, control characters escaped. */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
}

/* s as the data (property: also ',' and ':') of a GitHub workflow command. */
static void gh_escape(FILE *f, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%' || *s == '\r' || *s == '\n' || (property && (*s == ',' || *s == ':')))
			fprintf(f, "%%%02X", (unsigned char)*s);
		else
			fputc(*s, f);
	}
}

/* "::error file=PATH,line=L,col=C,title=TITLE::MESSAGE" */
static void annotation(FILE *f, const char *level, const char *path, unsigned line, unsigned col, const char *title,
		       const char *message)
{
	fprintf(f, "::%s file=", level);
	gh_escape(f, path, true);
	fprintf(f, ",line=%u,col=%u,title=", line ? line : 1, col ? col : 1);
	gh_escape(f, title, true);
	fputs("::", f);
	gh_escape(f, message, false);
	fputc('\n', f);
}

/* The explanation of a failed expectation: the first drop witness, if any. */
static void failure_text(FILE *f, const struct job *j, const char *path)
{
	if (job_is_events(j)) {
		report_summary(f, j, path);
		return;
	}
	for (uint32_t i = 0; i < j->outcome_count; i++)
		if (job_outcome_is_drop(&j->outcomes[i])) {
			fputs("witness: ", f);
			report_outcome_text(f, j->sc, &j->outcomes[i]);
			fputs(" (counters: ", f);
			report_counters(f, &j->outcomes[i]);
			fprintf(f, ")\nreplay: nfrace replay %s --kernel %s%s --schedule %s\n", path, j->kernel,
				report_replay_options(j), j->outcomes[i].schedule);
			return;
		}
	if (!j->result.complete)
		fputs("exploration incomplete: a bound stopped it before every class was explored\n", f);
	else
		fputs("no execution drops a packet or loses a reply\n", f);
}

/* One JUnit test case: pass (kind NULL), <failure> or <error>. */
struct test_case {
	const char *classname, *name, *kind;
	char message[1200];
	char *body;
};

static void write_case(FILE *f, const struct test_case *c, double seconds)
{
	fputs("  <testcase classname=\"", f);
	xml_text(f, c->classname);
	fputs("\" name=\"", f);
	xml_text(f, c->name);
	fprintf(f, "\" time=\"%.3f\">\n", seconds);
	if (c->kind) {
		fprintf(f, "    <%s message=\"", c->kind);
		xml_text(f, c->message);
		fputs("\">", f);
		xml_text(f, c->body ? c->body : "");
		fprintf(f, "</%s>\n", c->kind);
	}
	fputs("  </testcase>\n", f);
}

/* The verdicts one expectation compares: packets, and for events scenarios what became of the DESTROY events. */
static void verdicts(const struct job *j, const struct scenario_expect *e, char *want, char *got, size_t size)
{
	snprintf(want, size, "%s", e->verdict == EXPECT_DROP ? "drop" : "ok");
	snprintf(got, size, "%s", report_verdict(j));
	if (e->destroy != EXPECT_EVENTS_ANY) {
		snprintf(want + strlen(want), size - strlen(want), ",%s",
			 e->destroy == EXPECT_DESTROY_LOST	  ? "lost"
			 : e->destroy == EXPECT_DESTROY_PENDING ? "pending"
								  : "delivered");
		snprintf(got + strlen(got), size - strlen(got), ",%s", report_events_destroy(j));
	}
}

/* One expectation explored and compared; its lines to out, annotations to ann. */
static int check_expect(const struct check_plan *p, uint32_t s, uint32_t e, FILE *out, FILE *ann, struct test_case *c)
{
	const struct scenario *sc = &scs[s];
	const struct scenario_expect *x = &sc->expect[e];
	const char *path = p->o->paths[s];
	struct job *j = cli_job_storage();
	char want[32], got[32], message[256];
	size_t len;
	c->classname = sc->name;
	c->name = x->kernel;
	int rc = cli_job(j, sc, x->kernel, p->o);
	if (!rc)
		rc = cli_run_job(j, path);
	if (rc) {
		fprintf(out, "%-10s %-36s %-10s %s\n", "BUG", sc->name, x->kernel,
			rc == EXIT_MODEL_BUG ? "the model broke (the replay command is on standard error)" : "cannot run");
		c->kind = "error";
		snprintf(c->message, sizeof(c->message), "%s", rc == EXIT_MODEL_BUG ? "the model broke" : "cannot run");
		annotation(ann, "error", path, marks[s].expect_line[e], marks[s].expect_column[e], "nfrace check",
			   c->message);
		return rc == EXIT_MODEL_BUG ? EXIT_MODEL_BUG : EXIT_USAGE;
	}
	verdicts(j, x, want, got, sizeof(want));
	bool pass = !strcmp(want, got), incomplete = strstr(got, "incomplete") != NULL;
	fprintf(out, "%-10s %-36s %-10s expected %-4s got %-10s [%" PRIu64 " executions]\n",
		pass ? "PASS" : incomplete ? "INCOMPLETE" : "FAIL", sc->name, j->kernel, want, got, j->result.executions);
	if (pass)
		return EXIT_OK;
	FILE *m = open_memstream(&c->body, &len);
	if (m) {
		failure_text(m, j, path);
		fclose(m);
	}
	if (c->body)
		fprintf(out, "           %s", c->body);
	c->kind = "failure";
	snprintf(c->message, sizeof(c->message), "expected %s, got %s", want, got);
	snprintf(message, sizeof(message), "%s under %s: expected %s, got %s", sc->name, j->kernel, want, got);
	annotation(ann, incomplete ? "warning" : "error", path, marks[s].expect_line[e], marks[s].expect_column[e],
		   "nfrace check", message);
	return incomplete ? EXIT_INCOMPLETE : EXIT_EXPECT;
}

/* Task t: a scenario that did not load, one without expect: entries, or one expectation. */
static int check_task(const struct check_plan *p, uint32_t t, FILE *out, FILE *ann, struct test_case *c)
{
	uint32_t s = p->task[t].scenario;
	const char *path = p->o->paths[s];
	if (p->task[t].expect == TASK_LOAD_ERROR) {
		fprintf(out, "%-10s %s\n           %s\n", "ERROR", path, load_error[s]);
		c->classname = path;
		c->name = "load";
		c->kind = "error";
		snprintf(c->message, sizeof(c->message), "%s", load_error[s]);
		annotation(ann, "error", path, load_where[s].line, load_where[s].column, "nfrace check: the scenario does not load",
			   load_error[s]);
		return EXIT_USAGE;
	}
	if (p->task[t].expect == TASK_NO_EXPECT) {
		fprintf(out, "%-10s %-36s has no expect: entries\n", "FAIL", scs[s].name);
		c->classname = scs[s].name;
		c->name = "expect";
		c->kind = "failure";
		snprintf(c->message, sizeof(c->message), "the scenario has no expect: entries");
		annotation(ann, "error", path, 1, 1, "nfrace check", c->message);
		return EXIT_EXPECT;
	}
	return check_expect(p, s, (uint32_t)p->task[t].expect, out, ann, c);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Task t's result as text (job_shard.h), NULL when out of memory.  Only the
 * JUnit time is wall clock. */
static char *task_result(const struct check_plan *p, uint32_t t)
{
	struct timespec t0;
	struct test_case c = {"", "", NULL, "", NULL};
	struct check_task r = {0};
	char *out = NULL, *ann = NULL, *junit = NULL, *text = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	FILE *fo = open_memstream(&out, &r.out_len), *fa = open_memstream(&ann, &r.annotations_len);
	FILE *fj = open_memstream(&junit, &r.junit_len);
	if (fo && fa && fj) {
		r.status = check_task(p, t, fo, fa, &c);
		write_case(fj, &c, seconds_since(&t0));
	}
	bool ok = fo && fa && fj;
	ok = (fo && fclose(fo) == 0) && ok;
	ok = (fa && fclose(fa) == 0) && ok;
	ok = (fj && fclose(fj) == 0) && ok;
	if (ok) {
		r.out = out;
		r.annotations = ann;
		r.junit = junit;
		text = job_shard_check_task_text(&r);
	}
	free(out);
	free(ann);
	free(junit);
	free(c.body);
	return text;
}

static bool in_shard(const struct check_plan *p, uint32_t t)
{
	return p->shard_n == 0 || t % p->shard_n == p->shard_k - 1;
}

static bool pool_wanted(void *ctx, uint32_t t)
{
	return in_shard(ctx, t);
}

static bool pool_work(void *ctx, uint32_t t, FILE *out)
{
	char *text = task_result(ctx, t);
	bool ok = text && fputs(text, out) >= 0;
	free(text);
	return ok;
}

static bool pool_take(void *ctx, uint32_t t, FILE *in)
{
	struct check_plan *p = ctx;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char buf[4096];
	for (size_t n; m && (n = fread(buf, 1, sizeof(buf), in)) > 0;)
		fwrite(buf, 1, n, m);
	if (!m || fclose(m) != 0 || ferror(in)) {
		free(text);
		return false;
	}
	p->text[t] = text;
	return true;
}

/* Load every scenario (a failure is a task, not the end) and number the tasks. */
static int plan_tasks(struct check_plan *p)
{
	const struct cli_opts *o = p->o;
	for (uint32_t s = 0; s < o->path_count; s++) {
		loaded[s] = scenario_load_file_marks(o->paths[s], &scs[s], &marks[s], &load_where[s]) == 0;
		if (!loaded[s]) {
			if (load_where[s].read_errno == EINTR && cli_interrupted)
				return EXIT_INCOMPLETE;
			scenario_error_format(&load_where[s], load_error[s], sizeof(load_error[s]));
			p->task[p->ntasks++].scenario = (uint16_t)s;
			p->task[p->ntasks - 1].expect = TASK_LOAD_ERROR;
			continue;
		}
		if (scs[s].expect_count == 0 && !o->kernels) {
			p->task[p->ntasks].scenario = (uint16_t)s;
			p->task[p->ntasks++].expect = TASK_NO_EXPECT;
		}
		for (uint32_t e = 0; e < scs[s].expect_count; e++) {
			bool wanted = !o->kernels;
			for (uint32_t k = 0; k < p->nk; k++)
				wanted = wanted || !strcmp(p->kernels[k], scs[s].expect[e].kernel);
			if (!wanted)
				continue;
			p->task[p->ntasks].scenario = (uint16_t)s;
			p->task[p->ntasks++].expect = (int16_t)e;
		}
	}
	if (p->ntasks == 0) {
		fputs("nfrace check: no expect: entry of these scenarios is for the presets of --kernels\n", stderr);
		return EXIT_USAGE;
	}
	return 0;
}

static const char *shard_task_text(void *ctx, uint32_t t)
{
	const struct check_plan *p = ctx;
	return p->text[t];
}

/* The results of this process's tasks (here or in -j workers). */
static int run_tasks(struct check_plan *p)
{
	uint32_t jobs = p->o->jobs ? p->o->jobs : 1;
	if (jobs > 1) {
		struct cli_pool pool = {jobs, pool_wanted, pool_work, pool_take, p, "check"};
		return cli_pool_run(&pool, p->ntasks);
	}
	for (uint32_t t = 0; t < p->ntasks && !cli_interrupted; t++)
		if (in_shard(p, t) && !(p->text[t] = task_result(p, t))) {
			fputs("nfrace check: out of memory\n", stderr);
			return EXIT_USAGE;
		}
	return cli_interrupted ? EXIT_INCOMPLETE : 0;
}

/* The report of this process's tasks; a shard also writes its part. */
static int report(struct check_plan *p, struct cli_out *junit)
{
	static struct check_task tasks[SHARD_TASKS_MAX];
	struct shard_error e;
	uint32_t n = 0;
	for (uint32_t t = 0; t < p->ntasks; t++)
		if (in_shard(p, t) && job_shard_read_check_task(p->text[t], strlen(p->text[t]), &tasks[n++], &e) != 0) {
			fprintf(stderr, "nfrace check: task %u: %s\n", t, e.message);
			return EXIT_USAGE;
		}
	if (!p->shard_n)
		return cli_check_report(tasks, n, p->o->annotate != NULL, junit);
	struct cli_out none = {0};
	int status = cli_check_report(tasks, n, p->o->annotate != NULL, &none);
	char *ident = cli_identity("check", p->o, scs, loaded, p->o->path_count, p->kernels, p->nk);
	job_shard_write_container(junit->f, "check", ident ? ident : "", p->shard_k, p->shard_n, p->ntasks,
				  shard_task_text, p);
	free(ident);
	struct cli_out *outs[] = {junit};
	int rc = cli_out_commit(outs, 1);
	return rc ? rc : status;
}

int cli_check(int argc, char **argv)
{
	static struct check_plan plan;
	struct cli_opts o;
	struct cli_out junit;
	int rc = cli_parse(CLI_CHECK, argc, argv, &o);
	if (rc)
		return rc;
	memset(&plan, 0, sizeof(plan));
	plan.o = &o;
	if (o.path_count == 0) {
		fputs("nfrace check: give one or more scenario files\n", stderr);
		return EXIT_USAGE;
	}
	if (o.kernels && (rc = cli_kernel_list(o.kernels, plan.kernels, &plan.nk)) != 0)
		return rc;
	if (o.shard && ((rc = cli_parse_shard(o.shard, &plan.shard_k, &plan.shard_n)) != 0))
		return rc;
	if (o.shard && (!o.junit || !strcmp(o.junit, "-"))) {
		fputs("nfrace check: a shard writes its part to --junit FILE (join the parts with nfrace merge --junit)\n",
		      stderr);
		return EXIT_USAGE;
	}
	if ((rc = cli_out_open(&junit, "--junit", o.junit, &o)) != 0 || (rc = plan_tasks(&plan)) != 0 ||
	    (rc = run_tasks(&plan)) != 0) {
		cli_out_abort(&junit);
		if (rc == EXIT_INCOMPLETE)
			fputs("interrupted: check incomplete, nothing written\n", stderr);
		return rc;
	}
	return report(&plan, &junit);
}
