/*
 * outfile.h - writing an output file without destroying anything.
 *
 * Every file nfrace writes (--json, --csv, --md, --junit, -o DIR/index.html,
 * the figures) goes through here, in two steps so that a command with several
 * outputs writes all of them or none:
 *
 *   outfile_resolve  what the path names: symlinks are followed to the file
 *                    they point at (a dangling one to the file it would
 *                    create), which is then
 *                      - "-": standard output;
 *                      - a regular file or a new name: written to a temporary
 *                        file beside it (PATH.tmp.XXXXXX, with the mode and,
 *                        as root, the owner of the file it replaces) and
 *                        renamed over it: readers see the old or the new
 *                        bytes, never half; the symlink stays a symlink; a
 *                        hard link to the old file keeps the old bytes;
 *                      - a character or block device or a FIFO: written in
 *                        place, never replaced (/dev/null stays a device,
 *                        /dev/stdout a symlink, a FIFO's reader gets the
 *                        bytes);
 *                      - the file standard output or error goes to (through
 *                        /dev/stdout, or its own name): written through
 *                        that descriptor, after what was printed there;
 *                      - a directory, a socket or a missing directory: refused.
 *   outfile_stage    the temporary file written, or the device/FIFO opened
 *                    (opening a FIFO waits for its reader);
 *   outfile_commit   the rename, or the bytes written in place.
 *
 * Errors are returned as text (err), never printed.
 */
#ifndef NFRACE_OUTFILE_H
#define NFRACE_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

enum { OUTFILE_PATH_MAX = 4096 };

enum outfile_kind {
	OUTFILE_STDOUT,  /* "-" */
	OUTFILE_NEW,     /* no file yet: created by rename */
	OUTFILE_REGULAR, /* replaced by rename, mode and owner kept */
	OUTFILE_SPECIAL, /* a device or FIFO: written in place */
};

struct outfile {
	const char *path;                /* as given */
	enum outfile_kind kind;
	char target[OUTFILE_PATH_MAX];   /* path with every symlink followed */
	struct stat st;                  /* the target's, unless OUTFILE_NEW or OUTFILE_STDOUT */
	char tmp[OUTFILE_PATH_MAX + 16]; /* the staged temporary file ("" if none) */
	int fd;                          /* the opened device or FIFO (-1 if none) */
	int std_fd;                      /* OUTFILE_SPECIAL: 1 or 2 when the target is the
					    file standard output or error goes to, else -1 */
};

/* outfile_resolve - fill *o for writing path (see above); 0, or -1 with
 * the reason in err (the path is not written, nothing is created). */
int outfile_resolve(struct outfile *o, const char *path, char *err, size_t err_size);

/* outfile_stage - after outfile_resolve: write data[0..len) to a temporary
 * file beside a regular or new target, or open a device or FIFO target
 * (a FIFO: this waits for a reader; a signal makes it fail with errno
 * EINTR).  0, or -1 with errno set and the reason in err (nothing left
 * behind). */
int outfile_stage(struct outfile *o, const void *data, size_t len, char *err, size_t err_size);

/* outfile_commit - after outfile_stage: rename the temporary file over the
 * target, or write data[0..len) to the device, FIFO or standard output.
 * 0, or -1 with the reason in err (the temporary file removed). */
int outfile_commit(struct outfile *o, const void *data, size_t len, char *err, size_t err_size);

/* outfile_abort - undo outfile_stage: remove the temporary file, close the
 * device.  Safe to call on a resolved, staged or committed outfile. */
void outfile_abort(struct outfile *o);

/* outfile_write - resolve, stage and commit one file; 0 or -1 (err). */
int outfile_write(const char *path, const void *data, size_t len, char *err, size_t err_size);

/* outfile_is - whether writing o would replace the file path names: o's
 * target is a regular file with path's device and inode. */
bool outfile_is(const struct outfile *o, const char *path);

#endif /* NFRACE_OUTFILE_H */
