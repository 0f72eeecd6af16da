#ifndef AIDIGEST_FILE_H
#define AIDIGEST_FILE_H

#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

/* Whole files read up to a cap. A file over the cap is an error, never
 * cut short; "-" is standard input. On failure err gets the reason
 * without the path ("No such file or directory", "is a directory",
 * "over the cap of 1048576 bytes"), for the caller to put after it. */

/* Append the whole file to out (NUL-terminated as every buf). Returns 0,
 * ERR_NOT_FOUND when the file does not exist, ERR_LIMIT over max bytes
 * (or out's own cap), ERR_IO otherwise. */
MUST_CHECK int file_read(const char *path, size_t max, struct buf *out,
                         struct buf *err);

/* The same as a new string; NULL on failure. */
char *file_read_text(const char *path, size_t max, struct buf *err);

/* A whole file in memory: mapped when it is a regular file (no copy),
 * read otherwise (pipes, stdin). data is not NUL-terminated when
 * mapped. */
struct file_view {
	const char *data;
	size_t len;
	void *map;      /* private */
	size_t map_len; /* private */
	struct buf buf; /* private */
};

/* Returns 0 or an error as file_read; file_view_close either way. */
MUST_CHECK int file_view_open(struct file_view *v, const char *path, size_t max,
                              struct buf *err);
void file_view_close(struct file_view *v);

#endif
