#include "render/publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"

#define LOCK_NAME ".aidigest.lock"
/* mkstemp's six random characters after ".NAME." */
#define TEMP_RANDOM "XXXXXX"

/* The path, the lock and the atomic write of render/publish.h; the
 * front-matter is read in frontmatter.c, a post validated in validate.c. */

enum {
	NAME_LIMIT = 255,      /* bytes in one path segment */
	TEMP_EXTRA = 1 + 1 + 6 /* ".", "." and the random part */
};

static bool is_slug(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!ascii_isdigit(*s) && !ascii_islower(*s) && *s != '-')
			return false;
	return true;
}

/* YYYY-MM-DD, digits only (the calendar is the caller's business). */
static bool is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !ascii_isdigit(s[i]) : s[i] != shape[i])
			return false;
	return s[i] == '\0';
}

/* The placeholders of an output pattern: a slice of the date, or the
 * slug (from < 0). */
static const struct {
	const char *name;
	int from, len;
} path_fields[] = {
        {"date", 0, 10}, {"year", 0, 4},  {"month", 5, 2},
        {"day", 8, 2},   {"slug", -1, 0},
};

static int path_refuse(struct buf *err, const char *pattern, const char *why)
{
	buf_puts(err, "output pattern \"");
	utf8_append_cut(err, pattern, 200);
	buf_printf(err, "\": %s", why);
	return ERR_PARSE;
}

/* Fill the placeholders of pattern into out: 0, or ERR_PARSE (err says
 * why). */
static int path_expand(struct buf *out, const char *pattern, const char *date,
                       const char *slug, struct buf *err)
{
	const char *p = pattern, *close;
	size_t i, len;

	while (*p) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return path_refuse(err, pattern, "a control character");
		if (*p == '}')
			return path_refuse(err, pattern, "a '}' without '{'");
		if (*p != '{') {
			buf_putc(out, *p++);
			continue;
		}
		close = strchr(p, '}');
		if (!close)
			return path_refuse(err, pattern, "a '{' without '}'");
		len = (size_t)(close - p - 1);
		for (i = 0; i < sizeof path_fields / sizeof path_fields[0]; i++)
			if (strlen(path_fields[i].name) == len &&
			    memcmp(path_fields[i].name, p + 1, len) == 0)
				break;
		if (i == sizeof path_fields / sizeof path_fields[0])
			return path_refuse(
			        err, pattern,
			        "an unknown placeholder (known: "
			        "{date} {year} {month} {day} {slug})");
		if (path_fields[i].from >= 0) {
			buf_append(out, date + path_fields[i].from,
			           (size_t)path_fields[i].len);
		} else {
			if (!slug)
				return path_refuse(err, pattern,
				                   "{slug} but no slug");
			buf_puts(out, slug);
		}
		p = close + 1;
	}
	return 0;
}

/* Append path to out with runs of '/' made one and a trailing '/'
 * dropped (a lone "/" stays). */
static void path_append_folder(struct buf *out, const char *dir)
{
	const char *p;

	for (p = dir; *p; p++)
		if (*p != '/' ||
		    (out->len == 0 || out->data[out->len - 1] != '/'))
			buf_putc(out, *p);
	if (out->len > 1 && out->data[out->len - 1] == '/')
		buf_truncate(out, out->len - 1);
}

char *publish_path(const char *out_dir, const char *pattern, const char *date,
                   const char *slug, struct buf *err)
{
	struct buf rel = BUF_INIT(0), path = BUF_INIT(0);
	const char *seg, *end;
	size_t len;
	char *ret = NULL;

	if (!out_dir || !*out_dir) {
		buf_puts(err, "no output folder");
		goto out;
	}
	if (!pattern || !*pattern) {
		path_refuse(err, "", "empty");
		goto out;
	}
	if (pattern[0] == '/') {
		path_refuse(err, pattern,
		            "an absolute path (it is taken "
		            "under the output folder)");
		goto out;
	}
	if (!date || !is_date(date)) {
		buf_puts(err, "a date that is not YYYY-MM-DD: ");
		utf8_append_cut(err, date ? date : "(none)", 40);
		goto out;
	}
	if (slug && !*slug)
		slug = NULL;
	if (slug && !is_slug(slug)) {
		buf_puts(err, "a slug that is not [a-z0-9-]+: \"");
		utf8_append_cut(err, slug, 200);
		buf_putc(err, '"');
		goto out;
	}
	if (path_expand(&rel, pattern, date, slug, err))
		goto out;
	if (rel.len && rel.data[rel.len - 1] == '/') {
		path_refuse(err, pattern, "a folder, not a file");
		goto out;
	}

	path_append_folder(&path, out_dir);
	for (seg = buf_cstr(&rel); *seg; seg = *end ? end + 1 : end) {
		end = strchr(seg, '/');
		if (!end)
			end = seg + strlen(seg);
		len = (size_t)(end - seg);
		if (len == 0)
			continue;
		if ((len == 1 && seg[0] == '.') ||
		    (len == 2 && seg[0] == '.' && seg[1] == '.')) {
			path_refuse(err, pattern, "a '.' or '..' segment");
			goto out;
		}
		if (len > NAME_LIMIT - TEMP_EXTRA) {
			path_refuse(err, pattern, "a segment too long");
			goto out;
		}
		if (path.data[path.len - 1] != '/')
			buf_putc(&path, '/');
		buf_append(&path, seg, len);
	}
	if (path.len + 1 >= PATH_MAX) {
		path_refuse(err, pattern, "a path too long");
		goto out;
	}
	ret = buf_detach(&path);
out:
	buf_free(&rel);
	buf_free(&path);
	return ret;
}

static int say_errno(struct buf *err, const char *path, const char *what, int e)
{
	utf8_append_cut(err, path, PATH_MAX);
	if (what)
		buf_printf(err, ": %s", what);
	buf_printf(err, ": %s", strerror(e));
	return ERR_IO;
}

/* mkdir -p dir (0755, less the umask): 0, ERR_USAGE for "", or ERR_IO. */
static int make_folders(const char *dir, struct buf *err)
{
	char *copy, *p;
	int ret = 0;

	if (!*dir) {
		buf_puts(err, "an empty folder name");
		return ERR_USAGE;
	}
	copy = xstrdup(dir);
	for (p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char keep = *p;

			*p = '\0';
			if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
				ret = say_errno(err, copy, NULL, errno);
				break;
			}
			*p = keep;
		}
		if (*p == '\0')
			break;
	}
	free(copy);
	return ret;
}

static char *path_join(const char *dir, const char *name)
{
	size_t size = strlen(dir) + 1 + strlen(name) + 1;
	char *s = xmalloc(size);

	snprintf(s, size, "%s/%s", dir, name);
	return s;
}

/* "another aidigest run holds the lock in DIR (pid N)" (without the pid
 * part when it is 0) into err; returns ERR_IO. */
static int lock_refuse(struct buf *err, const char *dir, long holder)
{
	buf_puts(err, "another aidigest run holds the lock in ");
	utf8_append_cut(err, dir, PATH_MAX);
	if (holder > 0)
		buf_printf(err, " (pid %ld)", holder);
	return ERR_IO;
}

/* The pid a lock holder wrote, or 0. */
static long lock_holder(int fd)
{
	char text[24];
	ssize_t got = pread(fd, text, sizeof text - 1, 0);
	long pid = 0;
	ssize_t i;

	if (got <= 0)
		return 0;
	for (i = 0; i < got && ascii_isdigit(text[i]) && i < 10; i++)
		pid = pid * 10 + (text[i] - '0');
	if (i == 0 || (i < got && text[i] != '\n'))
		return 0;
	return pid;
}

int publish_lock(const char *dir, int *out, struct buf *err)
{
	char *path = path_join(dir, LOCK_NAME);
	char pid[24];
	int fd, rc, e, len, ret;

	*out = -1;
	ret = make_folders(dir, err);
	if (ret != ERR_OK)
		goto out;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		ret = say_errno(err, path, NULL, errno);
		goto out;
	}
	while ((rc = flock(fd, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR)
		;
	if (rc != 0) {
		e = errno;
		if (e == EWOULDBLOCK)
			ret = lock_refuse(err, dir, lock_holder(fd));
		else
			ret = say_errno(err, path, "flock", e);
		close(fd);
		goto out;
	}
	len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
		ret = say_errno(err, path, "write", errno);
		close(fd);
		goto out;
	}
	*out = fd;
out:
	free(path);
	return ret;
}

void publish_unlock(int fd)
{
	int rc;

	if (fd < 0)
		return;
	/* No stale pid for the next run's message to show. */
	rc = ftruncate(fd, 0);
	(void)rc;
	close(fd);
}

/* The names our temporary files for base take: ".BASE.XXXXXX". */
static bool is_temp_of(const char *name, const char *base)
{
	size_t blen = strlen(base), i;

	if (name[0] != '.' || strncmp(name + 1, base, blen) != 0 ||
	    name[1 + blen] != '.')
		return false;
	name += blen + 2;
	for (i = 0; i < sizeof TEMP_RANDOM - 1; i++)
		if (!ascii_isalnum(name[i]))
			return false;
	return name[i] == '\0';
}

/* Remove what an earlier, killed publish_write left behind. Best effort:
 * a leftover costs space, never correctness. */
static void remove_stale_temps(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL)
		if (is_temp_of(de->d_name, base))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

static int write_all(int fd, const char *data, size_t n)
{
	ssize_t put;

	while (n > 0) {
		put = write(fd, data, n);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0) {
			if (put == 0)
				errno = EIO;
			return ERR_IO;
		}
		data += put;
		n -= (size_t)put;
	}
	return 0;
}

static int sync_folder(const char *dir, struct buf *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e;

	if (fd < 0)
		return say_errno(err, dir, NULL, errno);
	if (fsync(fd) != 0 && errno != EINVAL) {
		e = errno;
		close(fd);
		return say_errno(err, dir, "fsync", e);
	}
	close(fd);
	return 0;
}

int publish_write(const char *path, const char *data, size_t n, struct buf *err)
{
	const char *slash = strrchr(path, '/'), *base;
	char *dir, *temp = NULL;
	size_t size;
	int fd = -1, ret = ERR_USAGE;

	if (!slash) {
		dir = xstrdup(".");
		base = path;
	} else {
		dir = slash == path ? xstrdup("/")
		                    : xstrndup(path, (size_t)(slash - path));
		base = slash + 1;
	}
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		utf8_append_cut(err, path, PATH_MAX);
		buf_puts(err, ": not a file name");
		goto out;
	}
	ret = make_folders(dir, err);
	if (ret != ERR_OK)
		goto out;
	ret = ERR_IO;
	remove_stale_temps(dir, base);

	size = strlen(dir) + strlen(base) + sizeof "/.." TEMP_RANDOM;
	temp = xmalloc(size);
	snprintf(temp, size, "%s/.%s.%s", dir, base, TEMP_RANDOM);
	fd = mkostemp(temp, O_CLOEXEC);
	if (fd < 0) {
		say_errno(err, temp, "cannot create", errno);
		free(temp);
		temp = NULL;
		goto out;
	}
	if (write_all(fd, data, n) != 0) {
		say_errno(err, temp, "write", errno);
		goto out;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		say_errno(err, temp, "fsync", errno);
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		say_errno(err, temp, "close", errno);
		goto out;
	}
	fd = -1;
	if (rename(temp, path) != 0) {
		say_errno(err, path, "rename", errno);
		goto out;
	}
	free(temp);
	temp = NULL;
	ret = sync_folder(dir, err);
out:
	if (fd >= 0)
		close(fd);
	if (temp) {
		unlink(temp);
		free(temp);
	}
	free(dir);
	return ret;
}
