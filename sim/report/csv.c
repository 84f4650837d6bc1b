/*
 * csv.c - reading the CSV files of results/ (see csv.h).
 */
#include "csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

size_t csv_split(char *line, char **cols)
{
	size_t n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < CSV_COLS_MAX;) {
		cols[n++] = p;
		char *comma = strchr(p, ',');
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	return n;
}

int csv_column(char **cols, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cols[i], name))
			return (int)i;
	return -1;
}

bool csv_number(const char *s, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return *s && !*end && !errno;
}
