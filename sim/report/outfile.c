/*
 * outfile.c - output files that never destroy anything (outfile.h): a
 * symlink is followed, not replaced; a regular file is replaced atomically
 * by rename with its mode and owner; a device or FIFO is written in place.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SYMLINK_HOPS_MAX = 40 };

static int fail(char *err, size_t size, const char *path, const char *why)
{
	snprintf(err, size, "cannot write %s: %s", path, why);
	return -1;
}

/* The directory part of path ("." when there is none) into dir. */
static void dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == path)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

/* Follow the symlink at o->target one hop: its text, relative to its directory. */
static int follow_link(struct outfile *o, char *err, size_t size)
{
	char link[OUTFILE_PATH_MAX], dir[OUTFILE_PATH_MAX];
	ssize_t n = readlink(o->target, link, sizeof(link) - 1);
	if (n < 0)
		return fail(err, size, o->path, strerror(errno));
	link[n] = '\0';
	if (link[0] == '/') {
		memcpy(o->target, link, (size_t)n + 1);
		return 0;
	}
	dir_of(o->target, dir, sizeof(dir));
	if ((size_t)snprintf(o->target, sizeof(o->target), "%s/%s", dir, link) >= sizeof(o->target))
		return fail(err, size, o->path, "the path is too long");
	return 0;
}

/* A new file at o->target: its directory must exist and be writable. */
static int check_new(struct outfile *o, char *err, size_t size)
{
	char dir[OUTFILE_PATH_MAX];
	struct stat st;
	dir_of(o->target, dir, sizeof(dir));
	if (stat(dir, &st) != 0)
		return fail(err, size, o->path, errno == ENOENT ? "no such directory" : strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return fail(err, size, o->path, "a part of the path is not a directory");
	if (access(dir, W_OK | X_OK) != 0)
		return fail(err, size, o->path, strerror(errno));
	o->kind = OUTFILE_NEW;
	return 0;
}

/* A name that does not exist (yet): follow dangling symlinks to the name
 * the write creates. */
static int resolve_new(struct outfile *o, char *err, size_t size)
{
	for (int hop = 0; hop <= SYMLINK_HOPS_MAX; hop++) {
		struct stat st;
		if (lstat(o->target, &st) != 0) {
			if (errno == ENOENT)
				return check_new(o, err, size);
			return fail(err, size, o->path, strerror(errno));
		}
		if (!S_ISLNK(st.st_mode))
			return fail(err, size, o->path, "it changed while being looked at");
		if (follow_link(o, err, size) != 0)
			return -1;
	}
	return fail(err, size, o->path, strerror(ELOOP));
}

/* Whether st is the file behind descriptor fd. */
static bool is_fd(const struct stat *st, int fd)
{
	struct stat fst;
	return fstat(fd, &fst) == 0 && fst.st_dev == st->st_dev && fst.st_ino == st->st_ino;
}

int outfile_resolve(struct outfile *o, const char *path, char *err, size_t err_size)
{
	memset(o, 0, sizeof(*o));
	o->path = path;
	o->fd = -1;
	o->std_fd = -1;
	if (!strcmp(path, "-")) {
		o->kind = OUTFILE_STDOUT;
		return 0;
	}
	if (!*path || strlen(path) >= sizeof(o->target) - 32)
		return fail(err, err_size, path, "unusable file name");
	snprintf(o->target, sizeof(o->target), "%s", path);
	if (stat(path, &o->st) != 0) { /* stat follows every symlink, /proc's too */
		if (errno == ENOENT)
			return resolve_new(o, err, err_size);
		return fail(err, err_size, path, strerror(errno));
	}
	if (S_ISDIR(o->st.st_mode))
		return fail(err, err_size, path, "it is a directory");
	if (S_ISSOCK(o->st.st_mode))
		return fail(err, err_size, path, "it is a socket");
	if (!S_ISREG(o->st.st_mode) || is_fd(&o->st, 1) || is_fd(&o->st, 2)) {
		/* a device, a FIFO, or the file standard output or error goes to
		 * (/dev/stdout): written in place */
		o->kind = OUTFILE_SPECIAL;
		o->std_fd = is_fd(&o->st, 1) ? 1 : is_fd(&o->st, 2) ? 2 : -1;
		return 0;
	}
	char *real = realpath(path, NULL);
	if (!real || strlen(real) >= sizeof(o->target) - 32) {
		free(real);
		return fail(err, err_size, path, real ? "the path is too long" : strerror(errno));
	}
	snprintf(o->target, sizeof(o->target), "%s", real);
	free(real);
	if (check_new(o, err, err_size) != 0) /* the rename needs the directory */
		return -1;
	o->kind = OUTFILE_REGULAR;
	return 0;
}

/* Write all of data to fd, through partial writes and signals. */
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The mode a new file gets from open(..., 0666). */
static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

static int stage_temporary(struct outfile *o, const void *data, size_t len, char *err, size_t err_size)
{
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.XXXXXX", o->target);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
		o->tmp[0] = '\0';
		fail(err, err_size, o->path, strerror(e));
		errno = e;
		return -1;
	}
	mode_t mode = o->kind == OUTFILE_REGULAR ? o->st.st_mode & 07777 : new_file_mode();
	if (o->kind == OUTFILE_REGULAR && geteuid() == 0 && fchown(fd, o->st.st_uid, o->st.st_gid) != 0) {
		/* keep going: the mode below is still the old file's */
	}
	int rc = fchmod(fd, mode) == 0 && write_all(fd, data, len) == 0 ? 0 : -1;
	int e = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (rc != 0) {
		unlink(o->tmp);
		o->tmp[0] = '\0';
		fail(err, err_size, o->path, strerror(e));
		errno = e;
	}
	return rc;
}

int outfile_stage(struct outfile *o, const void *data, size_t len, char *err, size_t err_size)
{
	if (o->kind == OUTFILE_STDOUT)
		return 0;
	if (o->kind == OUTFILE_NEW || o->kind == OUTFILE_REGULAR)
		return stage_temporary(o, data, len, err, err_size);
	o->fd = o->std_fd >= 0 ? dup(o->std_fd) : open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (o->fd < 0) {
		int e = errno;
		fail(err, err_size, o->path, strerror(e));
		errno = e;
		return -1;
	}
	return 0;
}

int outfile_commit(struct outfile *o, const void *data, size_t len, char *err, size_t err_size)
{
	int rc = 0;
	if (o->kind == OUTFILE_STDOUT) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
			rc = fail(err, err_size, "standard output", strerror(errno));
		return rc;
	}
	if (o->kind == OUTFILE_SPECIAL) {
		if (o->std_fd >= 0)
			fflush(NULL); /* after what was printed there */
		if (write_all(o->fd, data, len) != 0)
			rc = fail(err, err_size, o->path, strerror(errno));
		if (close(o->fd) != 0 && rc == 0)
			rc = fail(err, err_size, o->path, strerror(errno));
		o->fd = -1;
		return rc;
	}
	if (rename(o->tmp, o->target) != 0) {
		rc = fail(err, err_size, o->path, strerror(errno));
		unlink(o->tmp);
	}
	o->tmp[0] = '\0';
	return rc;
}

void outfile_abort(struct outfile *o)
{
	if (o->tmp[0]) {
		unlink(o->tmp);
		o->tmp[0] = '\0';
	}
	if (o->fd >= 0) {
		close(o->fd);
		o->fd = -1;
	}
}

int outfile_write(const char *path, const void *data, size_t len, char *err, size_t err_size)
{
	struct outfile o;
	if (outfile_resolve(&o, path, err, err_size) != 0 || outfile_stage(&o, data, len, err, err_size) != 0)
		return -1;
	if (outfile_commit(&o, data, len, err, err_size) != 0) {
		outfile_abort(&o);
		return -1;
	}
	return 0;
}

bool outfile_is(const struct outfile *o, const char *path)
{
	struct stat st;
	if (o->kind != OUTFILE_REGULAR || stat(path, &st) != 0)
		return false;
	return st.st_dev == o->st.st_dev && st.st_ino == o->st.st_ino;
}
