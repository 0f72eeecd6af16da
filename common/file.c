#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/xalloc.h"

#define FILE_CHUNK 65536

static int file_errno(struct buf *err, int e)
{
	buf_puts(err, strerror(e));
	return e == ENOENT ? ERR_NOT_FOUND : ERR_IO;
}

static int file_over(struct buf *err, size_t max)
{
	buf_printf(err, "over the cap of %zu bytes", max);
	return ERR_LIMIT;
}

/* Open path ("-": stdin) and refuse what cannot be read whole. */
static int file_open(const char *path, size_t max, int *fd_out, struct stat *st,
                     struct buf *err)
{
	int fd = strcmp(path, "-") == 0
	                 ? STDIN_FILENO
	                 : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return file_errno(err, errno);
	*fd_out = fd;
	if (fstat(fd, st) != 0)
		return file_errno(err, errno);
	if (S_ISDIR(st->st_mode)) {
		buf_puts(err, "is a directory");
		return ERR_IO;
	}
	if (S_ISREG(st->st_mode) && (unsigned long long)st->st_size > max) {
		buf_printf(err, "%lld bytes, ", (long long)st->st_size);
		return file_over(err, max);
	}
	return 0;
}

static void file_close_fd(int fd)
{
	if (fd >= 0 && fd != STDIN_FILENO)
		close(fd);
}

static int file_read_fd(int fd, size_t max, struct buf *out, struct buf *err)
{
	size_t start = out->len, room;
	ssize_t got;
	char *dst;

	for (;;) {
		if (out->len - start > max)
			return file_over(err, max);
		room = max - (out->len - start); /* one more shows "over" */
		room = room < FILE_CHUNK ? room + 1 : FILE_CHUNK;
		dst = buf_reserve(out, room);
		if (!dst) { /* out's own cap is nearer: fill it, then stop */
			size_t lim = out->max ? out->max : BUF_DEFAULT_MAX;

			room = lim > out->len ? lim - out->len : 0;
			dst = room ? buf_reserve(out, room) : NULL;
			if (!dst)
				return file_over(err, lim);
		}
		got = read(fd, dst, room);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return file_errno(err, errno);
		if (got == 0)
			return 0;
		buf_commit(out, (size_t)got);
	}
}

int file_read(const char *path, size_t max, struct buf *out, struct buf *err)
{
	struct stat st;
	int fd = -1, ret;

	ret = file_open(path, max, &fd, &st, err);
	if (ret == 0)
		ret = file_read_fd(fd, max, out, err);
	file_close_fd(fd);
	return ret;
}

char *file_read_text(const char *path, size_t max, struct buf *err)
{
	struct buf b = BUF_INIT(0);

	if (file_read(path, max, &b, err) != 0) {
		buf_free(&b);
		return NULL;
	}
	return b.data ? buf_detach(&b) : xstrdup("");
}

int file_view_open(struct file_view *v, const char *path, size_t max,
                   struct buf *err)
{
	struct stat st;
	int fd = -1, ret;

	memset(v, 0, sizeof *v);
	ret = file_open(path, max, &fd, &st, err);
	if (ret == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		               fd, 0);

		if (m != MAP_FAILED) {
			v->map = m;
			v->map_len = (size_t)st.st_size;
			v->data = m;
			v->len = v->map_len;
			file_close_fd(fd);
			return 0;
		}
	}
	if (ret == 0)
		ret = file_read_fd(fd, max, &v->buf, err);
	file_close_fd(fd);
	v->data = buf_cstr(&v->buf);
	v->len = v->buf.len;
	return ret;
}

void file_view_close(struct file_view *v)
{
	if (!v)
		return;
	if (v->map)
		munmap(v->map, v->map_len);
	buf_free(&v->buf);
	memset(v, 0, sizeof *v);
}
