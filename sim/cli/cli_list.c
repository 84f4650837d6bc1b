/*
 * cli_list.c - `nfrace list kernels|fixes|scenarios`: the kernel presets with
 * their fix sets, the fix flags with their commits, the bundled scenarios.
 */
#include "cli.h"

#include "scenario_load.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int list_scenarios(void)
{
	DIR *d = opendir("scenarios");
	char *names[512];
	size_t n = 0;
	if (!d) {
		fputs("nfrace list scenarios: no scenarios/ directory here\n", stderr);
		return EXIT_USAGE;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL && n < 512;) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml"))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		static struct scenario sc;
		char path[600];
		snprintf(path, sizeof(path), "scenarios/%s", names[i]);
		char safe[4 * sizeof(sc.description)];
		if (cli_load(path, &sc) == 0) /* the description is the file's text: escaped */
			printf("%-40s %.70s\n", path, scenario_escape(sc.description, safe, sizeof(safe)));
		free(names[i]);
	}
	return 0;
}

int cli_list(int argc, char **argv)
{
	size_t n;
	char names[512];
	struct cli_opts o;
	int rc = cli_parse(CLI_LIST, argc, argv, &o);
	if (rc)
		return rc;
	if (o.path_count != 1) {
		fputs("nfrace list: kernels, fixes or scenarios\n", stderr);
		return EXIT_USAGE;
	}
	const char *what = o.paths[0];
	if (!strcmp(what, "kernels")) {
		const struct nf_preset *t = nf_preset_table(&n);
		for (size_t i = 0; i < n; i++) {
			nf_fixset_names(t[i].fixes, names, sizeof(names));
			printf("%-11s %s%s\n            fixes: %s\n", t[i].name, t[i].description,
			       t[i].race ? "" : " [events scenarios only]", names[0] ? names : "none");
		}
		return 0;
	}
	if (!strcmp(what, "fixes")) {
		const struct nf_fix_info *t = nf_fix_table();
		for (size_t i = 0; i < FIX_COUNT; i++)
			printf("%-24s %.12s %-6s %s\n", t[i].name, t[i].commit, t[i].release, t[i].title);
		return 0;
	}
	if (!strcmp(what, "scenarios"))
		return list_scenarios();
	fprintf(stderr, "nfrace list: unknown list '%s' (kernels, fixes, scenarios)\n", what);
	return EXIT_USAGE;
}
