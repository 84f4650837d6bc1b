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
	int read_errno;     /* the file could not be read: why (EINTR: a signal), else 0 */
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

/* Where parts of a loaded scenario are in its file, for messages that point
 * at them (GitHub annotations): the 1-based line and column of each
 * expect: entry's preset key, in the order of out->expect. */
struct scenario_marks {
	unsigned expect_line[SCENARIO_EXPECT_MAX];
	unsigned expect_column[SCENARIO_EXPECT_MAX];
};

/* scenario_load_file_marks - scenario_load_file, and with marks non-NULL
 * the positions above (zeroed on error). */
int scenario_load_file_marks(const char *path, struct scenario *out, struct scenario_marks *marks,
			     struct scenario_error *err);

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
 * The "key: " part is left out when err->key is empty.  File, key and
 * message are escaped (scenario_escape), so that no text of the scenario can
 * start a line or send a terminal escape sequence.  Writes at most size
 * bytes into buf, always NUL-terminated when size > 0 (buf may be NULL when
 * size is 0).  err must not be NULL.
 */
void scenario_error_format(const struct scenario_error *err, char *buf, size_t size);

/*
 * scenario_escape - s as text safe to print on a terminal, into buf[size]
 * (always NUL-terminated, truncated to fit): printable ASCII and valid UTF-8
 * stay; control characters (C0, DEL, C1), the Unicode line separators and
 * bidirectional overrides, and bytes that are not UTF-8 become \xNN (\n,
 * \r, \t for those three); a backslash becomes \\.  Returns buf.
 */
const char *scenario_escape(const char *s, char *buf, size_t size);

/*
 * scenario_read_input - the whole file at path, at most max bytes, into a
 * malloc'd *data (NUL-terminated; *len excludes the NUL).  Regular files,
 * pipes and devices are read; a directory or a socket is refused; a FIFO
 * or pipe that gives no byte and is not closed within
 * SCENARIO_FIFO_WAIT_MS is given up (no writer), so reading never blocks for
 * ever.  Returns 0, or an errno value: EFBIG over max, EISDIR, ETIMEDOUT
 * (no writer), EINTR (a signal came while waiting), or the system's.
 */
enum { SCENARIO_FIFO_WAIT_MS = 5000 };
int scenario_read_input(const char *path, size_t max, char **data, size_t *len);

#endif /* NFRACE_SCENARIO_LOAD_H */
