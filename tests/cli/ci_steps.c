/*
 * ci_steps.c - the CI examples of docs/ci-integration.md as steps a shell
 * can run (test_ci_docs.sh): reads the markdown, parses the first ```yaml
 * block after the heading "## GitHub Actions" and after "## GitLab CI" with
 * libyaml (so a YAML mistake in the docs fails the test), checks the shape
 * each CI system needs, and prints one line per thing to do:
 *
 *   github-job NAME [needs JOB]      a job, in order
 *   matrix KEY VALUE...              its strategy.matrix (one key)
 *   run COMMAND                      a run: step (one line)
 *   upload NAME PATH                 actions/upload-artifact
 *   download PATTERN                 actions/download-artifact (merge-multiple)
 *   junit PATH                       a test reporter's file
 *   gitlab-job NAME STAGE PARALLEL   a job (PARALLEL 0: not parallel)
 *   artifacts PATH...                artifacts:paths
 *
 * usage: ci_steps FILE.md; exit 0, or 1 with a message naming the problem.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static yaml_document_t doc;

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ci_steps: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static yaml_node_t *node(int id)
{
	return yaml_document_get_node(&doc, id);
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of key in mapping m, or NULL. */
static yaml_node_t *get(yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = scalar(node(p->key));
		if (k && !strcmp(k, key))
			return node(p->value);
	}
	return NULL;
}

static const char *need_scalar(yaml_node_t *m, const char *key, const char *where)
{
	const char *v = scalar(get(m, key));
	if (!v)
		die("%s: no %s", where, key);
	return v;
}

/* The first ```yaml block after the line heading; malloc'd. */
static char *yaml_block(const char *md, const char *heading)
{
	const char *h = strstr(md, heading);
	if (!h)
		die("no heading '%s'", heading);
	const char *start = strstr(h, "\n```yaml\n");
	if (!start)
		die("no ```yaml block after '%s'", heading);
	start += 9;
	const char *end = strstr(start, "\n```");
	if (!end)
		die("the block after '%s' does not end", heading);
	return strndup(start, (size_t)(end - start) + 1);
}

static void load(const char *text, const char *what)
{
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	if (!yaml_parser_load(&parser, &doc) || !yaml_document_get_root_node(&doc))
		die("%s: not YAML: %s at line %zu", what, parser.problem ? parser.problem : "empty",
		    parser.problem_mark.line + 1);
	yaml_parser_delete(&parser);
}

static void print_run(const char *cmd, const char *where)
{
	if (strchr(cmd, '\n') && strchr(cmd, '\n')[1])
		die("%s: a run: of several lines (keep one command per step)", where);
	printf("run %.*s\n", (int)strcspn(cmd, "\n"), cmd);
}

static void github_step(yaml_node_t *step, const char *job)
{
	const char *run = scalar(get(step, "run")), *uses = scalar(get(step, "uses"));
	yaml_node_t *with = get(step, "with");
	if (run) {
		print_run(run, job);
		return;
	}
	if (!uses)
		die("job %s: a step with neither run: nor uses:", job);
	if (!strcmp(uses, "actions/checkout@v4"))
		return;
	if (!strcmp(uses, "actions/upload-artifact@v4"))
		printf("upload %s %s\n", need_scalar(with, "name", job), need_scalar(with, "path", job));
	else if (!strcmp(uses, "actions/download-artifact@v4")) {
		const char *merge = scalar(get(with, "merge-multiple"));
		if (!merge || strcmp(merge, "true"))
			die("job %s: download-artifact without merge-multiple: true puts each artifact in its own folder", job);
		printf("download %s\n", need_scalar(with, "pattern", job));
	} else if (!strcmp(uses, "mikepenz/action-junit-report@v4"))
		printf("junit %s\n", need_scalar(with, "report_paths", job));
	else
		die("job %s: uses %s, which this test does not know", job, uses);
}

static void github(const char *md)
{
	char *text = yaml_block(md, "\n## GitHub Actions");
	load(text, "GitHub Actions");
	yaml_node_t *root = yaml_document_get_root_node(&doc), *jobs = get(root, "jobs");
	if (!get(root, "on") || !jobs || jobs->type != YAML_MAPPING_NODE)
		die("GitHub Actions: a workflow needs on: and jobs:");
	for (yaml_node_pair_t *p = jobs->data.mapping.pairs.start; p < jobs->data.mapping.pairs.top; p++) {
		const char *name = scalar(node(p->key));
		yaml_node_t *job = node(p->value), *steps = get(job, "steps"), *matrix = get(get(job, "strategy"), "matrix");
		need_scalar(job, "runs-on", name);
		printf("github-job %s%s%s\n", name, get(job, "needs") ? " needs " : "", scalar(get(job, "needs")) ? scalar(get(job, "needs")) : "");
		if (matrix) {
			if (matrix->type != YAML_MAPPING_NODE || matrix->data.mapping.pairs.top - matrix->data.mapping.pairs.start != 1)
				die("job %s: a matrix of one key", name);
			yaml_node_t *values = node(matrix->data.mapping.pairs.start->value);
			printf("matrix %s", scalar(node(matrix->data.mapping.pairs.start->key)));
			for (yaml_node_item_t *v = values->data.sequence.items.start; v < values->data.sequence.items.top; v++)
				printf(" %s", scalar(node(*v)));
			putchar('\n');
		}
		if (!steps || steps->type != YAML_SEQUENCE_NODE)
			die("job %s: no steps", name);
		for (yaml_node_item_t *s = steps->data.sequence.items.start; s < steps->data.sequence.items.top; s++)
			github_step(node(*s), name);
	}
	yaml_document_delete(&doc);
	free(text);
}

static void gitlab(const char *md)
{
	char *text = yaml_block(md, "\n## GitLab CI");
	load(text, "GitLab CI");
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		const char *name = scalar(node(p->key));
		yaml_node_t *job = node(p->value), *script = get(job, "script"), *artifacts = get(job, "artifacts");
		if (!strcmp(name, "stages") || !strcmp(name, "default") || !strcmp(name, "variables"))
			continue;
		if (!script || script->type != YAML_SEQUENCE_NODE)
			die("GitLab job %s: no script list", name);
		printf("gitlab-job %s %s %s\n", name, need_scalar(job, "stage", name),
		       scalar(get(job, "parallel")) ? scalar(get(job, "parallel")) : "0");
		for (yaml_node_item_t *s = script->data.sequence.items.start; s < script->data.sequence.items.top; s++) {
			if (!scalar(node(*s)))
				die("GitLab job %s: a script item that is not a command", name);
			print_run(scalar(node(*s)), name);
		}
		yaml_node_t *paths = get(artifacts, "paths"), *junit = get(get(artifacts, "reports"), "junit");
		if (paths) {
			printf("artifacts");
			for (yaml_node_item_t *a = paths->data.sequence.items.start; a < paths->data.sequence.items.top; a++)
				printf(" %s", scalar(node(*a)));
			putchar('\n');
		}
		if (junit)
			printf("junit %s\n", scalar(junit));
	}
	yaml_document_delete(&doc);
	free(text);
}

int main(int argc, char **argv)
{
	char *md = NULL;
	size_t len = 0;
	FILE *f = argc == 2 ? fopen(argv[1], "r") : NULL;
	if (!f)
		die("usage: ci_steps FILE.md");
	FILE *m = open_memstream(&md, &len);
	for (int c; (c = fgetc(f)) != EOF;)
		fputc(c, m);
	fclose(m);
	fclose(f);
	github(md);
	gitlab(md);
	free(md);
	return 0;
}
