#include "render/publish.h"

#include <cmark.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/utf8.h"
#include "common/xalloc.h"

#define LOCK_NAME ".aidigest.lock"
/* mkstemp's six random characters after ".NAME." */
#define TEMP_RANDOM "XXXXXX"

enum {
	NAME_LIMIT = 255,             /* bytes in one path segment */
	TEMP_EXTRA = 1 + 1 + 6,       /* ".", "." and the random part */
	EXISTING_MAX = 64 * 1024,     /* bytes read of an existing post */
	FRONT_MATTER_MAX = 64 * 1024, /* bytes of front-matter validated */
	POST_MAX = 16 * 1024 * 1024,  /* bytes in a post to validate */
	FAILURES_MAX = 100,           /* failures listed by validation */
	QUOTE_MAX = 160               /* bytes of a value in a message */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_slug(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_digit(*s) && !(*s >= 'a' && *s <= 'z') && *s != '-')
			return false;
	return true;
}

/* YYYY-MM-DD, digits only (the calendar is the caller's business). */
static bool is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
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
	return -1;
}

/* Fill the placeholders of pattern into out. */
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
	return -1;
}

/* mkdir -p dir (0755, less the umask). */
static int make_folders(const char *dir, struct buf *err)
{
	char *copy, *p;
	int ret = 0;

	if (!*dir) {
		buf_puts(err, "an empty folder name");
		return -1;
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

/* The pid a lock holder wrote, or 0. */
static long lock_holder(int fd)
{
	char text[24];
	ssize_t got = pread(fd, text, sizeof text - 1, 0);
	long pid = 0;
	ssize_t i;

	if (got <= 0)
		return 0;
	for (i = 0; i < got && is_digit(text[i]) && i < 10; i++)
		pid = pid * 10 + (text[i] - '0');
	if (i == 0 || (i < got && text[i] != '\n'))
		return 0;
	return pid;
}

int publish_lock(const char *dir, struct buf *err)
{
	char *path = path_join(dir, LOCK_NAME);
	char pid[24];
	int fd, rc, e, len;
	long holder;

	if (make_folders(dir, err)) {
		fd = -1;
		goto out;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		say_errno(err, path, NULL, errno);
		goto out;
	}
	while ((rc = flock(fd, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR)
		;
	if (rc != 0) {
		e = errno;
		if (e == EWOULDBLOCK) {
			buf_puts(err,
			         "another aidigest run is publishing into ");
			utf8_append_cut(err, dir, PATH_MAX);
			holder = lock_holder(fd);
			if (holder > 0)
				buf_printf(err, " (pid %ld)", holder);
		} else {
			say_errno(err, path, "flock", e);
		}
		close(fd);
		fd = -1;
		goto out;
	}
	len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
		say_errno(err, path, "write", errno);
		close(fd);
		fd = -1;
	}
out:
	free(path);
	return fd;
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
		if (!is_alnum(name[i]))
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
			return -1;
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
	int fd = -1, ret = -1;

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
	if (make_folders(dir, err))
		goto out;
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

/* Where the front-matter's lines lie: 0 with *fm_end (the start of the
 * closing "---" line) and *body (just after it); 1 when s does not start
 * with "---\n"; -1 when no "---" line closes it. */
static int front_matter_bounds(const char *s, size_t n, size_t *fm_end,
                               size_t *body)
{
	size_t pos = 4, len;
	const char *nl;

	if (n < 4 || memcmp(s, "---\n", 4) != 0)
		return 1;
	while (pos < n) {
		nl = memchr(s + pos, '\n', n - pos);
		if (!nl)
			return -1;
		len = (size_t)(nl - (s + pos));
		if (len == 3 && memcmp(s + pos, "---", 3) == 0) {
			*fm_end = pos;
			*body = pos + 4;
			return 0;
		}
		pos += len + 1;
	}
	return -1;
}

static int hex_digit(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The one-character escapes of a double-quoted scalar. */
static const struct {
	char name, value;
} yaml_escapes[] = {{'"', '"'}, {'\\', '\\'}, {'n', '\n'}, {'t', '\t'}};

/* Read the double-quoted scalar at s[0] == '"' within a line of n bytes
 * into out; 0 with *used (through the closing quote), or -1 with *why.
 * Escapes: \" \\ \n \t \uXXXX \xHH; a raw control character other than a
 * tab, a NUL and a surrogate are refused. */
static int yaml_read_quoted(const char *s, size_t n, struct buf *out,
                            size_t *used, const char **why)
{
	size_t i = 1, k, digits;
	uint32_t cp;
	char utf8[4];
	int h;

	while (i < n) {
		if (s[i] == '"') {
			*used = i + 1;
			return 0;
		}
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t') {
			*why = "a control character in a quoted value";
			return -1;
		}
		if (s[i] != '\\') {
			buf_putc(out, s[i++]);
			continue;
		}
		if (i + 1 >= n) {
			*why = "a '\\' at the end of the line";
			return -1;
		}
		for (k = 0; k < sizeof yaml_escapes / sizeof yaml_escapes[0];
		     k++)
			if (yaml_escapes[k].name == s[i + 1])
				break;
		if (k < sizeof yaml_escapes / sizeof yaml_escapes[0]) {
			buf_putc(out, yaml_escapes[k].value);
			i += 2;
			continue;
		}
		if (s[i + 1] != 'u' && s[i + 1] != 'x') {
			*why = "an unknown escape in a quoted value";
			return -1;
		}
		digits = s[i + 1] == 'u' ? 4 : 2;
		cp = 0;
		for (k = 0; k < digits; k++) {
			h = i + 2 + k < n ? hex_digit(s[i + 2 + k]) : -1;
			if (h < 0) {
				*why = "a \\u or \\x escape without its hex "
				       "digits";
				return -1;
			}
			cp = cp * 16 + (uint32_t)h;
		}
		if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			*why = "a NUL or surrogate escape";
			return -1;
		}
		buf_append(out, utf8, utf8_encode(cp, utf8));
		i += 2 + digits;
	}
	*why = "a quoted value that does not end on its line";
	return -1;
}

/* A plain scalar as the project writes them: dates, times, numbers,
 * true/false, words; no YAML indicator that could change its meaning. */
static bool yaml_plain_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[n - 1] == ' ' || s[0] == ' ' || s[0] == ':' ||
	    (s[0] == '-' && (n == 1 || s[1] == ' ')))
		return false;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80 || is_alnum(s[i]))
			continue;
		if (!strchr(" -+._:/", s[i]) || s[i] == '\0')
			return false;
		if (s[i] == ':' && (i + 1 == n || s[i + 1] == ' '))
			return false;
	}
	return true;
}

static bool is_key_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && (is_digit(c) || c == '-'));
}

/* The length of the `key:` at the start of line, or 0. */
static size_t yaml_key_length(const char *line, size_t n)
{
	size_t i = 0;

	while (i < n && is_key_char(line[i], i == 0))
		i++;
	return i > 0 && i < n && line[i] == ':' ? i : 0;
}

/* A value for a message: at most QUOTE_MAX bytes of valid UTF-8, with
 * \ " and control characters escaped as in YAML (one line, unambiguous). */
static void append_shown(struct buf *out, const char *s)
{
	struct buf cut = BUF_INIT(0);
	const char *p;

	utf8_append_cut(&cut, s, QUOTE_MAX);
	for (p = buf_cstr(&cut); *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(out, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(out, "\\n");
		else if (*p == '\t')
			buf_puts(out, "\\t");
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			buf_printf(out, "\\x%02x", (unsigned)(unsigned char)*p);
		else
			buf_putc(out, *p);
	}
	if (strlen(s) > cut.len)
		buf_puts(out, "...");
	buf_free(&cut);
}

/* A value of an existing post as any YAML writer may have put it:
 * "double", 'single' or plain (a " #" comment cut off); 0, or -1 for a
 * double-quoted value this reader refuses. */
static int read_value_leniently(const char *v, size_t n, struct buf *out)
{
	const char *why;
	size_t i;

	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && strchr(" \t\r", v[n - 1]))
		n--;
	if (n && *v == '"')
		return yaml_read_quoted(v, n, out, &i, &why);
	if (n && *v == '\'') {
		for (i = 1; i < n; i++) {
			if (v[i] == '\'') {
				if (i + 1 >= n || v[i + 1] != '\'')
					break;
				i++; /* '' is one quote */
			}
			buf_putc(out, v[i]);
		}
		return 0;
	}
	for (i = 0; i < n && !(v[i] == '#' && i && v[i - 1] == ' '); i++)
		;
	while (i && v[i - 1] == ' ')
		i--;
	buf_append(out, v, i);
	return 0;
}

/* Read at most text's cap from fd into text. */
static int read_bounded(int fd, struct buf *text)
{
	size_t room = text->max - text->len;
	ssize_t got;

	while (room > 0) {
		got = read(fd, buf_reserve(text, room), room);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		buf_commit(text, (size_t)got);
		room -= (size_t)got;
	}
	return 0;
}

static int copy_out(char *dst, size_t size, const struct buf *value)
{
	if (value->len >= size)
		return -1;
	memcpy(dst, buf_cstr(value), value->len + 1);
	return 0;
}

int publish_existing_dates(const char *path, char *date, size_t dsize,
                           char *update, size_t usize)
{
	/* date, then update, or lastmod without it */
	static const char *const keys[] = {"date", "update", "lastmod"};
	struct buf text = BUF_INIT(EXISTING_MAX), value = BUF_INIT(0);
	bool found[3] = {false, false, false};
	const char *s, *line, *nl;
	size_t fm_end, body, n, klen, k;
	int fd, ret = -1;

	if (date && dsize)
		date[0] = '\0';
	if (update && usize)
		update[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	if (read_bounded(fd, &text))
		goto out;
	s = buf_cstr(&text);
	switch (front_matter_bounds(s, text.len, &fm_end, &body)) {
	case 1:
		ret = 0;
		goto out;
	case -1:
		goto out;
	}
	for (line = s + 4; line < s + fm_end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(s + fm_end - line));
		n = (size_t)(nl - line);
		klen = yaml_key_length(line, n);
		for (k = 0; klen && k < 3; k++)
			if (strlen(keys[k]) == klen &&
			    memcmp(line, keys[k], klen) == 0)
				break;
		if (!klen || k == 3 || found[k])
			continue;
		found[k] = true;
		buf_reset(&value);
		if (read_value_leniently(line + klen + 1, n - klen - 1, &value))
			goto out;
		if (k == 0 && date && copy_out(date, dsize, &value))
			goto out;
		if (k > 0 && update && !(k == 2 && found[1]) &&
		    copy_out(update, usize, &value))
			goto out;
	}
	ret = 0;
out:
	close(fd);
	buf_free(&text);
	buf_free(&value);
	return ret;
}

/* Validation failures, one line each, at most FAILURES_MAX listed. */
struct failures {
	struct buf *err;
	size_t count;
};

static void fail(struct failures *f, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void fail(struct failures *f, const char *fmt, ...)
{
	va_list ap;

	f->count++;
	if (f->count > FAILURES_MAX)
		return;
	va_start(ap, fmt);
	buf_vprintf(f->err, fmt, ap);
	va_end(ap);
	buf_putc(f->err, '\n');
}

/* A failure whose message ends with a value shown by append_shown. */
static void fail_with(struct failures *f, const char *what, const char *value)
{
	struct buf shown = BUF_INIT(0);

	append_shown(&shown, value);
	fail(f, "%s%s", what, buf_cstr(&shown));
	buf_free(&shown);
}

/* A parsed front-matter: keys and values as offsets into strings (each
 * NUL-terminated); a key's values are entries[i].first .. + count. */
struct fm_key {
	size_t key, first, count;
	size_t line; /* where the key is, for messages */
};

struct front_matter {
	struct buf strings;
	size_t *values, nvalues, values_cap;
	struct fm_key *keys;
	size_t nkeys, keys_cap;
};

static void fm_free(struct front_matter *fm)
{
	buf_free(&fm->strings);
	free(fm->values);
	free(fm->keys);
}

static const char *fm_string(const struct front_matter *fm, size_t off)
{
	return fm->strings.data + off;
}

static void fm_add_key(struct front_matter *fm, const char *key, size_t n,
                       size_t line)
{
	if (fm->nkeys == fm->keys_cap) {
		fm->keys_cap = fm->keys_cap ? 2 * fm->keys_cap : 16;
		fm->keys = xreallocarray(fm->keys, fm->keys_cap,
		                         sizeof fm->keys[0]);
	}
	fm->keys[fm->nkeys].key = fm->strings.len;
	fm->keys[fm->nkeys].first = fm->nvalues;
	fm->keys[fm->nkeys].count = 0;
	fm->keys[fm->nkeys].line = line;
	fm->nkeys++;
	buf_append(&fm->strings, key, n);
	buf_putc(&fm->strings, '\0');
}

/* Start a value of the last key; its text is appended to strings next. */
static void fm_add_value(struct front_matter *fm)
{
	if (fm->nvalues == fm->values_cap) {
		fm->values_cap = fm->values_cap ? 2 * fm->values_cap : 16;
		fm->values = xreallocarray(fm->values, fm->values_cap,
		                           sizeof fm->values[0]);
	}
	fm->values[fm->nvalues++] = fm->strings.len;
	fm->keys[fm->nkeys - 1].count++;
}

static bool fm_has_key(const struct front_matter *fm, const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < fm->nkeys; i++)
		if (strlen(fm_string(fm, fm->keys[i].key)) == n &&
		    memcmp(fm_string(fm, fm->keys[i].key), key, n) == 0)
			return true;
	return false;
}

/* One scalar (quoted or plain) that fills line[0..n) as the last key's
 * new value; NULL or why not. */
static const char *fm_read_value(struct front_matter *fm, const char *s,
                                 size_t n)
{
	const char *why = NULL;
	size_t used;

	fm_add_value(fm);
	if (n && s[0] == '"') {
		if (yaml_read_quoted(s, n, &fm->strings, &used, &why))
			return why;
		if (used != n)
			return "text after a quoted value";
	} else if (yaml_plain_ok(s, n)) {
		buf_append(&fm->strings, s, n);
	} else {
		return "a value that is neither \"quoted\" nor plain";
	}
	buf_putc(&fm->strings, '\0');
	return NULL;
}

/* Parse the lines s[0..n) (first_line is the number of the first) with
 * the YAML subset the project writes: `key: "quoted"`, `key: plain`, and
 * `key:` with `  - item` lines under it; empty lines are skipped. */
static int fm_parse(struct front_matter *fm, const char *s, size_t n,
                    size_t first_line, struct failures *f)
{
	const char *line = s, *nl, *why = NULL;
	size_t len, klen, lineno = first_line;
	bool in_list = false;

	for (; line < s + n; line = nl + 1, lineno++) {
		nl = memchr(line, '\n', (size_t)(s + n - line));
		len = (size_t)(nl - line);
		if (len == 0)
			continue;
		if (len >= 4 && memcmp(line, "  - ", 4) == 0) {
			if (!in_list) {
				why = "a list item that follows no `key:`";
				break;
			}
			if ((why = fm_read_value(fm, line + 4, len - 4)))
				break;
			continue;
		}
		if ((len >= 3 && (memcmp(line, "---", 3) == 0 ||
		                  memcmp(line, "...", 3) == 0))) {
			why = "a document marker inside the front-matter";
			break;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			why = "an indentation other than `  - ` for list items";
			break;
		}
		klen = yaml_key_length(line, len);
		if (!klen) {
			why = "not a `key: value` line";
			break;
		}
		if (fm->nkeys && fm->keys[fm->nkeys - 1].count == 0)
			break;
		if (fm_has_key(fm, line, klen)) {
			why = "a key that appears twice";
			break;
		}
		fm_add_key(fm, line, klen, lineno);
		in_list = klen + 1 == len;
		if (in_list)
			continue;
		if (line[klen + 1] != ' ' || klen + 2 == len ||
		    line[klen + 2] == ' ') {
			why = "not one space between `key:` and its value";
			break;
		}
		if ((why = fm_read_value(fm, line + klen + 2, len - klen - 2)))
			break;
	}
	if (!why && fm->nkeys && fm->keys[fm->nkeys - 1].count == 0) {
		why = "a `key:` with neither a value nor list items";
		lineno = fm->keys[fm->nkeys - 1].line;
	}
	if (why) {
		fail(f, "front-matter line %zu: %s", lineno, why);
		return -1;
	}
	return 0;
}

/* Compare the parsed front-matter with the expected fields, by key; a
 * key's values (one, or a list's items) in order. */
static void fm_compare(const struct front_matter *fm,
                       const struct publish_field *fields, size_t nfields,
                       struct failures *f)
{
	const struct fm_key *key;
	struct buf msg = BUF_INIT(0);
	size_t i, j, k, want, at;
	bool seen;

	for (i = 0; i < nfields; i++) {
		for (j = 0, seen = false; j < i && !seen; j++)
			seen = strcmp(fields[j].key, fields[i].key) == 0;
		if (seen)
			continue;
		for (k = 0, key = NULL; k < fm->nkeys && !key; k++)
			if (strcmp(fm_string(fm, fm->keys[k].key),
			           fields[i].key) == 0)
				key = &fm->keys[k];
		if (!key) {
			fail(f, "front-matter: %s is missing", fields[i].key);
			continue;
		}
		for (j = i, want = 0; j < nfields; j++)
			want += strcmp(fields[j].key, fields[i].key) == 0;
		if (want != key->count) {
			fail(f,
			     "front-matter: %s has %zu value(s), expected %zu",
			     fields[i].key, key->count, want);
			continue;
		}
		for (j = i, at = key->first; j < nfields; j++) {
			if (strcmp(fields[j].key, fields[i].key) != 0)
				continue;
			if (strcmp(fm_string(fm, fm->values[at]),
			           fields[j].value) != 0) {
				buf_reset(&msg);
				append_shown(&msg,
				             fm_string(fm, fm->values[at]));
				buf_puts(&msg, "\", expected \"");
				append_shown(&msg, fields[j].value);
				fail(f, "front-matter: %s is \"%s\"",
				     fields[i].key, buf_cstr(&msg));
				break;
			}
			at++;
		}
	}
	for (k = 0; k < fm->nkeys; k++) {
		for (i = 0; i < nfields; i++)
			if (strcmp(fm_string(fm, fm->keys[k].key),
			           fields[i].key) == 0)
				break;
		if (i == nfields)
			fail(f, "front-matter: %s is not expected",
			     fm_string(fm, fm->keys[k].key));
	}
	buf_free(&msg);
}

struct heading {
	int level;
	char *text;
};

/* What the walk over the body collects. */
struct body_walk {
	struct heading *headings;
	size_t nheadings, cap;
	struct buf text; /* the heading being read */
	int level;       /* its level; 0 outside headings */
};

/* The post's line of a node (cmark counts from the body's first line);
 * inline nodes without a position take their block's. */
static size_t node_line(cmark_node *node, size_t body_line)
{
	int line = 0;

	for (; node && (line = cmark_node_get_start_line(node)) <= 0;
	     node = cmark_node_parent(node))
		;
	return line > 0 ? (size_t)line + body_line - 1 : body_line;
}

static bool is_allowed(const char *url, const char *const *allowed)
{
	for (; allowed && *allowed; allowed++)
		if (strcmp(url, *allowed) == 0)
			return true;
	return false;
}

static void walk_enter(struct body_walk *w, cmark_node *node,
                       const char *const *allowed, size_t body_line,
                       struct failures *f)
{
	const char *url, *literal;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_HEADING:
		w->level = cmark_node_get_heading_level(node);
		buf_reset(&w->text);
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		literal = cmark_node_get_literal(node);
		if (w->level && literal)
			buf_puts(&w->text, literal);
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		if (w->level)
			buf_putc(&w->text, ' ');
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		url = cmark_node_get_url(node);
		if (!is_allowed(url ? url : "", allowed))
			fail_with(
			        f,
			        cmark_node_get_type(node) == CMARK_NODE_LINK
			                ? "a link not from a fetched item: "
			                : "an image not from a fetched item: ",
			        url ? url : "");
		break;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		fail(f, "raw HTML in the post (line %zu)",
		     node_line(node, body_line));
		break;
	default:
		break;
	}
}

static void walk_exit_heading(struct body_walk *w)
{
	if (w->nheadings == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->headings = xreallocarray(w->headings, w->cap,
		                            sizeof w->headings[0]);
	}
	w->headings[w->nheadings].level = w->level;
	w->headings[w->nheadings].text = xstrdup(buf_cstr(&w->text));
	w->nheadings++;
	w->level = 0;
}

/* The first heading at index from or later that matches the required
 * section (level, text prefix), or nheadings. */
static size_t find_section(const struct body_walk *w, size_t from, int level,
                           const char *prefix)
{
	size_t i;

	for (i = from; i < w->nheadings; i++)
		if (w->headings[i].level == level &&
		    strncmp(w->headings[i].text, prefix, strlen(prefix)) == 0)
			return i;
	return w->nheadings;
}

/* Each required section ("## Text") must head a section after the one
 * before it; one that is only found earlier is out of order. */
static void check_sections(const struct body_walk *w,
                           const char *const *sections, struct failures *f)
{
	size_t next = 0, at;
	const char *s;
	int level;

	for (; sections && *sections; sections++) {
		s = *sections;
		for (level = 0; s[level] == '#'; level++)
			;
		if (level < 1 || level > 6 || s[level] != ' ' ||
		    !s[level + 1]) {
			fail(f, "a required section that is not \"# text\": %s",
			     s);
			continue;
		}
		at = find_section(w, next, level, s + level + 1);
		if (at < w->nheadings)
			next = at + 1;
		else if (find_section(w, 0, level, s + level + 1) <
		         w->nheadings)
			fail(f, "a section out of order: %s", s);
		else
			fail(f, "a missing section: %s", s);
	}
}

static void check_body(const char *body, size_t n, size_t body_line,
                       const char *const *sections, const char *const *allowed,
                       struct failures *f)
{
	struct body_walk w = {NULL, 0, 0, BUF_INIT(0), 0};
	cmark_node *doc = cmark_parse_document(body, n, CMARK_OPT_DEFAULT);
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *node;
	size_t i;

	if (!doc) {
		fail(f, "cmark could not parse the post");
		return;
	}
	cmark_consolidate_text_nodes(doc);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER)
			walk_enter(&w, node, allowed, body_line, f);
		else if (cmark_node_get_type(node) == CMARK_NODE_HEADING)
			walk_exit_heading(&w);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	check_sections(&w, sections, f);
	for (i = 0; i < w.nheadings; i++)
		free(w.headings[i].text);
	free(w.headings);
	buf_free(&w.text);
}

static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 0;
	const char *p = s, *end = s + n;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

int publish_validate(const char *post, size_t n,
                     const struct publish_field *fields, size_t nfields,
                     const char *const *sections, const char *const *allowed,
                     struct buf *err)
{
	struct failures f = {err, 0};
	struct front_matter fm = {BUF_INIT(0), NULL, 0, 0, NULL, 0, 0};
	size_t fm_end = 0, body = 0, bad;

	if (!post)
		post = "";
	if (n > POST_MAX) {
		fail(&f, "the post is larger than %d MiB", POST_MAX >> 20);
		return -1;
	}
	if (memchr(post, '\0', n))
		fail(&f, "a NUL byte in the post");
	if ((bad = utf8_valid_prefix(post, n)) < n)
		fail(&f, "the post is not valid UTF-8 (byte %zu)", bad);
	switch (front_matter_bounds(post, n, &fm_end, &body)) {
	case 1:
		fail(&f, "front-matter: the post does not start with a "
		         "\"---\" line");
		break;
	case -1:
		/* Without its end there is no body to check either. */
		fail(&f, "front-matter: no \"---\" line closes it");
		goto out;
	default:
		if (fm_end > FRONT_MATTER_MAX)
			fail(&f, "front-matter: longer than %d KiB",
			     FRONT_MATTER_MAX >> 10);
		else if (fm_parse(&fm, post + 4, fm_end - 4, 2, &f) == 0)
			fm_compare(&fm, fields, nfields, &f);
	}
	check_body(post + body, n - body, count_lines(post, body) + 1, sections,
	           allowed, &f);
out:
	if (f.count > FAILURES_MAX)
		buf_printf(err, "and %zu more failures\n",
		           f.count - FAILURES_MAX);
	fm_free(&fm);
	return f.count ? -1 : 0;
}
