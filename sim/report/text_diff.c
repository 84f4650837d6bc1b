/*
 * text_diff.c - unified hunks of two line lists (see text_diff.h): a longest
 * common subsequence table over the lines between the common prefix and
 * suffix, walked forward into an edit script, printed with context.
 */
#include "text_diff.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { LCS_LINES_MAX = 4000, CONTEXT = 3 };

size_t text_diff_split(char *text, char **lines, size_t max)
{
	size_t n = 0;
	for (char *p = text; p && *p && n < max;) {
		lines[n++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n;
}

/* Equal but for a leading step number ("  12 cpu1: ..." and "  14 cpu1: ..."). */
static bool same(const char *a, const char *b)
{
	size_t ia = strspn(a, " "), ib = strspn(b, " ");
	size_t da = strspn(a + ia, "0123456789"), db = strspn(b + ib, "0123456789");
	if (da && db && a[ia + da] == ' ' && b[ib + db] == ' ')
		return !strcmp(a + ia + da, b + ib + db);
	return !strcmp(a, b);
}

/* The step number of line i: of the nearest line at or before it that starts
 * with one ("  12 cpu1: ..."); -1 if none. */
static long step_at(char **lines, size_t i)
{
	for (size_t k = i + 1; k-- > 0;) {
		const char *p = lines[k] + strspn(lines[k], " ");
		size_t d = strspn(p, "0123456789");
		if (d && p[d] == ' ')
			return strtol(p, NULL, 10);
	}
	return -1;
}

enum op { OP_SAME = 0, OP_DEL = 1, OP_ADD = 2 };

/* The edit script of a[lo_a..hi_a) against b[lo_b..hi_b), appended to ops. */
static size_t script(char **a, size_t na, char **b, size_t nb, unsigned char *ops)
{
	size_t k = 0;
	if (na > LCS_LINES_MAX || nb > LCS_LINES_MAX) {
		for (size_t i = 0; i < na; i++)
			ops[k++] = OP_DEL;
		for (size_t j = 0; j < nb; j++)
			ops[k++] = OP_ADD;
		return k;
	}
	/* len[i][j]: the LCS of a[i..] and b[j..] */
	uint16_t *len = calloc((na + 1) * (nb + 1), sizeof(uint16_t));
	if (!len) {
		for (size_t i = 0; i < na; i++)
			ops[k++] = OP_DEL;
		for (size_t j = 0; j < nb; j++)
			ops[k++] = OP_ADD;
		return k;
	}
#define L(i, j) len[(i) * (nb + 1) + (j)]
	for (size_t i = na; i-- > 0;)
		for (size_t j = nb; j-- > 0;)
			L(i, j) = same(a[i], b[j]) ? (uint16_t)(L(i + 1, j + 1) + 1)
						   : (L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j) : L(i, j + 1));
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		if (i < na && j < nb && same(a[i], b[j])) {
			ops[k++] = OP_SAME;
			i++;
			j++;
		} else if (j == nb || (i < na && L(i + 1, j) >= L(i, j + 1))) {
			ops[k++] = OP_DEL;
			i++;
		} else {
			ops[k++] = OP_ADD;
			j++;
		}
	}
#undef L
	free(len);
	return k;
}

size_t text_diff_unified(FILE *f, char **a, size_t na, char **b, size_t nb)
{
	size_t pre = 0, suf = 0;
	while (pre < na && pre < nb && same(a[pre], b[pre]))
		pre++;
	while (suf < na - pre && suf < nb - pre && same(a[na - 1 - suf], b[nb - 1 - suf]))
		suf++;
	unsigned char *ops = malloc(na + nb + 1);
	if (!ops)
		return 0;
	size_t k = 0, changed = 0;
	for (size_t i = 0; i < pre; i++)
		ops[k++] = OP_SAME;
	k += script(a + pre, na - pre - suf, b + pre, nb - pre - suf, ops + k);
	for (size_t i = 0; i < suf; i++)
		ops[k++] = OP_SAME;
	/* print: a change with CONTEXT lines around it; hunks closer than that merge */
	size_t ia = 0, ib = 0;
	for (size_t s = 0; s < k;) {
		if (ops[s] == OP_SAME) {
			s++, ia++, ib++;
			continue;
		}
		size_t start = s, sa = ia, sb = ib;
		for (size_t c = 0; c < CONTEXT && start > 0 && ops[start - 1] == OP_SAME; c++)
			start--, sa--, sb--;
		size_t end = s;
		for (;;) { /* extend over changes and short runs of common lines */
			while (end < k && ops[end] != OP_SAME)
				end++;
			size_t run = 0;
			while (end + run < k && ops[end + run] == OP_SAME)
				run++;
			if (end + run < k && run <= 2 * CONTEXT) {
				end += run;
				continue;
			}
			end += run < CONTEXT ? run : CONTEXT;
			break;
		}
		long step_a = step_at(a, sa), step_b = step_at(b, sb);
		if (step_a >= 0 && step_b >= 0)
			fprintf(f, "@@ A step %ld, B step %ld @@\n", step_a, step_b);
		else
			fprintf(f, "@@ A line %zu, B line %zu @@\n", sa + 1, sb + 1);
		for (size_t t = start; t < end; t++) {
			if (ops[t] == OP_SAME) {
				fprintf(f, " %s\n", a[sa++]);
				sb++;
			} else if (ops[t] == OP_DEL) {
				fprintf(f, "-%s\n", a[sa++]);
				changed++;
			} else {
				fprintf(f, "+%s\n", b[sb++]);
				changed++;
			}
		}
		s = end;
		ia = sa;
		ib = sb;
	}
	free(ops);
	return changed;
}
