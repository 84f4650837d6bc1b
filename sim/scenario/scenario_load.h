/*
 * scenario_load.h - read a scenario YAML file into a validated struct scenario.
 *
 * This is the only place that knows about YAML.  The loader checks everything
 * docs/scenario-format.md promises (types, keys, values, limits, references)
 * and hands back either a fully filled struct scenario or one error: where it
 * is (file, line, column of the offending node), which key it concerns (a path
 * such as `packets[1].src`) and what is wrong.  Nothing is printed; the caller
 * decides what to do with the error, usually scenario_error_format() + stderr.
 */
#ifndef NFRACE_SCENARIO_LOAD_H
#define NFRACE_SCENARIO_LOAD_H

#include <stddef.h>

#include "scenario.h"

/* One loader error.  line and column are 1-based; both are 0 when the error
 * has no position in the text (the file could not be read).  key is the path
 * of the offending key, "" when the error is not about a key (syntax errors,
 * an empty document, a top level that is not a mapping). */
struct scenario_error {
	char file[256];
	unsigned line;
	unsigned column;
	char key[128];
	char message[256];
};

/*
 * scenario_load_file - read and validate the scenario in the file at path.
 *
 * out and err must not be NULL; path must not be NULL.  Returns 0 on success
 * with *out fully filled (zeroed first, so unused bytes are zero).  Returns -1
 * on any error with *out zeroed and *err filled; err->file is path (truncated
 * to fit).  A file that cannot be opened or read gives line 0, column 0 and a
 * message that carries strerror(errno).  Never prints.
 */
int scenario_load_file(const char *path, struct scenario *out, struct scenario_error *err);

/*
 * scenario_load_string - validate the scenario in text[0..len).
 *
 * text need not be NUL-terminated and may be NULL when len is 0 (an empty
 * document, which is an error).  file_label is only copied into err->file
 * (NULL gives "<string>").  out and err must not be NULL.  Return values and
 * the state of *out and *err are as for scenario_load_file().
 */
int scenario_load_string(const char *file_label, const char *text, size_t len,
			 struct scenario *out, struct scenario_error *err);

/*
 * scenario_error_format - render err as "file:line:col: key: message".
 *
 * The "key: " part is left out when err->key is empty.  Writes at most size
 * bytes into buf, always NUL-terminated when size > 0 (buf may be NULL when
 * size is 0).  err must not be NULL.
 */
void scenario_error_format(const struct scenario_error *err, char *buf, size_t size);

#endif /* NFRACE_SCENARIO_LOAD_H */
