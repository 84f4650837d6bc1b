/*
 * report_label.c - fix sets named by preset and difference, and the
 * probability of a verdict as text (report_label.h).
 */
#include "report_label.h"

#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Append to buf; never past size. */
static void add(char *buf, size_t size, const char *a, const char *b)
{
	size_t len = strlen(buf);
	if (len + 1 < size)
		snprintf(buf + len, size - len, "%s%s", a, b);
}

static nf_fixset preset_fixes(const struct job *j)
{
	const struct nf_preset *p = nf_preset_lookup(j->kernel);
	return p ? p->fixes : 0;
}

/* Append to buf, for each fix j has beyond its preset, plus and the fix's
 * name; for each it lacks, minus and the name; in table order. */
static void fix_changes(const struct job *j, char *buf, size_t size, const char *plus, const char *minus)
{
	nf_fixset base = preset_fixes(j);
	for (int i = 0; i < FIX_COUNT; i++) {
		bool in_base = nf_fixset_has(base, (enum nf_fix_id)i), in_job = nf_fixset_has(j->fixes, (enum nf_fix_id)i);
		if (in_base != in_job)
			add(buf, size, in_job ? plus : minus, nf_fix_table()[i].name);
	}
}

void report_fixes_label(const struct job *j, char *buf, size_t size)
{
	snprintf(buf, size, "%s", j->kernel);
	fix_changes(j, buf, size, " + ", " - ");
}

void report_fixes_options(const struct job *j, char *buf, size_t size)
{
	snprintf(buf, size, "--kernel %s", j->kernel);
	fix_changes(j, buf, size, " --fix ", " --no-fix ");
	if (j->plants & PLANT_LOCK_ORDER)
		add(buf, size, " --plant lock-order", "");
	if (j->plants & PLANT_ABORT)
		add(buf, size, " --plant abort", "");
}

const char *report_preset_tree(const struct job *j)
{
	const struct nf_preset *p = nf_preset_lookup(j->kernel);
	return p ? p->tree : "latest";
}

/* n with a comma every three digits: 64512 -> "64,512". */
static void grouped(uint64_t n, char *buf, size_t size)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

void report_probability_text(double p, bool exact, char *buf, size_t size)
{
	const char *le = exact ? "" : "<= ";
	double inv = p > 0 ? 1 / p : 0, whole = floor(inv + 0.5);
	if (p > 0 && whole >= 2 && whole < 1e15 && fabs(inv - whole) <= 1e-6 * whole) {
		char n[40];
		grouped((uint64_t)whole, n, sizeof(n));
		snprintf(buf, size, "%s1/%s", le, n);
	} else
		snprintf(buf, size, "%s%.3g", le, p);
}

bool report_drop_probability(const struct job *j, char *buf, size_t size)
{
	double p;
	bool exact;
	if (!job_drop_probability(j, &p, &exact) || p >= 1 - 1e-9)
		return false;
	report_probability_text(p, exact, buf, size);
	return true;
}

void report_probability_line(FILE *f, const struct job *j)
{
	char p[64];
	if (report_drop_probability(j, p, sizeof(p)))
		fprintf(f, "probability: p = %s per run of the scenario: the drops need random draws (DNAT endpoint, "
			   "port) that take such values with this probability; the interleaving is not counted\n",
			p);
}

void report_probability_json(FILE *f, const struct job *j)
{
	double p;
	bool exact;
	if (job_drop_probability(j, &p, &exact))
		fprintf(f, "%.6g", p);
	else
		fputs("null", f);
}
