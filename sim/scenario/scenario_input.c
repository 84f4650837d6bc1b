/*
 * scenario_input.c - the edges of the loader that touch the outside world:
 * reading an input file whole and bounded (a regular file, a pipe, a FIFO
 * that may never get a writer, a device), and escaping text that came from
 * a file before it reaches a terminal (scenario_load.h).
 */
#include "scenario_load.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Wait until fd has bytes or its end (POLLHUP: a writer came and went);
 * timeout_ms < 0: no limit.  0 or an errno value. */
static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	int r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return errno;
	return r == 0 ? ETIMEDOUT : 0;
}

/* Read fd to its end into a buffer that grows to at most max + 1 bytes.  A
 * FIFO (fifo) is first waited for, at most SCENARIO_FIFO_WAIT_MS: opened
 * without blocking, it reads as ended while no writer has come.  0 or an
 * errno value. */
static int read_fd(int fd, size_t max, bool fifo, char **data, size_t *len)
{
	size_t cap = 4096, used = 0;
	int e = fifo ? wait_readable(fd, SCENARIO_FIFO_WAIT_MS) : 0;
	char *buf = e ? NULL : malloc(cap + 1);
	if (e || !buf)
		return e ? e : ENOMEM;
	for (;;) {
		if (used == cap) {
			if (cap > max)
				break; /* max + 1 bytes read: too big */
			size_t bigger_cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *bigger = realloc(buf, bigger_cap + 1);
			if (!bigger) {
				free(buf);
				return ENOMEM;
			}
			buf = bigger;
			cap = bigger_cap;
		}
		ssize_t n = read(fd, buf + used, cap - used);
		if (n > 0) {
			used += (size_t)n;
			continue;
		}
		if (n == 0) {
			*data = buf;
			*len = used;
			buf[used] = '\0';
			return 0;
		}
		e = errno == EAGAIN ? wait_readable(fd, -1) : errno; /* a writer or device with nothing yet */
		if (e) {
			free(buf);
			return e;
		}
	}
	free(buf);
	return EFBIG;
}

int scenario_read_input(const char *path, size_t max, char **data, size_t *len)
{
	struct stat st;
	/* O_NONBLOCK: opening a FIFO does not wait for a writer (read_fd does, bounded) */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return e;
	}
	if (S_ISDIR(st.st_mode) || S_ISSOCK(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		close(fd);
		return EFBIG;
	}
	int e = read_fd(fd, max, S_ISFIFO(st.st_mode), data, len);
	close(fd);
	return e;
}

/* The length of the valid UTF-8 sequence at s (1..4), and its code point;
 * 0 when it is not one (overlong, surrogate, beyond U+10FFFF, cut). */
static size_t utf8_sequence(const unsigned char *s, uint32_t *cp)
{
	size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
	uint32_t min = n == 4 ? 0x10000 : n == 3 ? 0x800 : 0x80;
	if (n == 0 || s[0] > 0xf4)
		return 0;
	*cp = s[0] & (0x7fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3fu);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* Code points that act on a terminal or on how a line reads. */
static bool unsafe_code_point(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||	    /* C1 controls (CSI is U+009B) */
	       cp == 0x2028 || cp == 0x2029 ||	    /* line and paragraph separators */
	       (cp >= 0x202a && cp <= 0x202e) ||    /* bidirectional embeddings and overrides */
	       (cp >= 0x2066 && cp <= 0x2069) ||    /* bidirectional isolates */
	       cp == 0x200e || cp == 0x200f || cp == 0x061c; /* direction marks */
}

const char *scenario_escape(const char *s, char *buf, size_t size)
{
	size_t used = 0;
	if (size == 0)
		return buf;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		char piece[5 * 4 + 1];
		size_t n = 1;
		uint32_t cp;
		if (*p >= 0x20 && *p < 0x7f)
			snprintf(piece, sizeof(piece), *p == '\\' ? "\\\\" : "%c", *p);
		else if (*p == '\n' || *p == '\r' || *p == '\t')
			snprintf(piece, sizeof(piece), "\\%c", *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't');
		else if (*p >= 0x80 && (n = utf8_sequence(p, &cp)) > 0 && !unsafe_code_point(cp))
			snprintf(piece, sizeof(piece), "%.*s", (int)n, (const char *)p);
		else {
			n = n ? n : 1; /* an unsafe sequence is escaped byte by byte */
			piece[0] = '\0';
			for (size_t i = 0; i < n; i++)
				snprintf(piece + strlen(piece), sizeof(piece) - strlen(piece), "\\x%02x", p[i]);
		}
		size_t len = strlen(piece);
		if (used + len >= size)
			break;
		memcpy(buf + used, piece, len);
		used += len;
		p += n;
	}
	buf[used] = '\0';
	return buf;
}
