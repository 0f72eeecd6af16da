#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/xalloc.h"
#include "render/publish.h"
#include "tests/check.h"
#include "tests/test_publish.h"
#include "tests/tests.h"

/* A fresh folder under /tmp; path receives its name. */
static bool temp_folder(char *path, size_t size)
{
	snprintf(path, size, "/tmp/aidigest-publish-XXXXXX");
	return mkdtemp(path) != NULL;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *join(const char *dir, const char *name)
{
	size_t size = strlen(dir) + strlen(name) + 2;
	char *s = xmalloc(size);

	snprintf(s, size, "%s/%s", dir, name);
	return s;
}

static bool write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");
	bool ok;

	if (!fp)
		return false;
	ok = fputs(text, fp) >= 0;
	return fclose(fp) == 0 && ok;
}

/* Whether the file at path holds exactly data[0..n). */
static bool file_is(const char *path, const char *data, size_t n)
{
	struct buf got = BUF_INIT(0);
	bool same = check_read_file(path, &got) && got.len == n &&
	            memcmp(got.data ? got.data : "", data, n) == 0;

	buf_free(&got);
	return same;
}

/* Entries of dir named ".BASE.*": publish_write's temporary files. */
static int count_temps(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t blen = strlen(base);
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] == '.' &&
		    strncmp(de->d_name + 1, base, blen) == 0 &&
		    de->d_name[1 + blen] == '.')
			n++;
	closedir(d);
	return n;
}

static bool send_all(int fd, const char *s, size_t n)
{
	ssize_t put;

	while (n > 0) {
		put = write(fd, s, n);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return false;
		s += put;
		n -= (size_t)put;
	}
	return true;
}

static void receive_all(int fd, struct buf *out)
{
	char chunk[512];
	ssize_t got;

	while ((got = read(fd, chunk, sizeof chunk)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		buf_append(out, chunk, (size_t)got);
	}
}

static void test_paths(void)
{
	static const struct {
		const char *out, *pattern, *date, *slug;
		const char *want; /* NULL: refused */
	} cases[] = {
	        {"out", "content/posts/{date}-ai-news/index.md", "2024-05-01",
	         NULL, "out/content/posts/2024-05-01-ai-news/index.md"},
	        {"out/", "{year}/{month}/{day}/{slug}.md", "2024-05-01",
	         "ai-news", "out/2024/05/01/ai-news.md"},
	        {"/srv/blog", "_posts/{date}-{slug}.md", "2024-12-31",
	         "llm-judges-2", "/srv/blog/_posts/2024-12-31-llm-judges-2.md"},
	        {"out//blog//", "a//b///{day}.md", "2024-05-09", "",
	         "out/blog/a/b/09.md"},
	        {"/", "post.md", "2024-05-01", NULL, "/post.md"},
	        {".", "..md/x.md", "2024-05-01", NULL, "./..md/x.md"},
	        {"out", "/etc/passwd", "2024-05-01", NULL, NULL},
	        {"out", "../x.md", "2024-05-01", NULL, NULL},
	        {"out", "a/../../x.md", "2024-05-01", NULL, NULL},
	        {"out", "a/..", "2024-05-01", NULL, NULL},
	        {"out", "./x.md", "2024-05-01", NULL, NULL},
	        {"out", "posts/", "2024-05-01", NULL, NULL},
	        {"out", "", "2024-05-01", NULL, NULL},
	        {"", "x.md", "2024-05-01", NULL, NULL},
	        {"out", "{slug}.md", "2024-05-01", "../etc", NULL},
	        {"out", "{slug}.md", "2024-05-01", "A", NULL},
	        {"out", "{slug}.md", "2024-05-01", "a b", NULL},
	        {"out", "{slug}.md", "2024-05-01", "a/b", NULL},
	        {"out", "{slug}.md", "2024-05-01", NULL, NULL},
	        {"out", "{slug}.md", "2024-05-01", "", NULL},
	        {"out", "{title}.md", "2024-05-01", NULL, NULL},
	        {"out", "{date.md", "2024-05-01", NULL, NULL},
	        {"out", "date}.md", "2024-05-01", NULL, NULL},
	        {"out", "a\nb.md", "2024-05-01", NULL, NULL},
	        {"out", "{date}.md", "2024-5-1", NULL, NULL},
	        {"out", "{date}.md", "2024-05-01/..", NULL, NULL},
	        {"out", "{date}.md", NULL, NULL, NULL},
	};
	struct buf err = BUF_INIT(0);
	char *got, *long_pattern;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&err);
		got = publish_path(cases[i].out, cases[i].pattern,
		                   cases[i].date, cases[i].slug, &err);
		if (!CHECK_STR(got, cases[i].want))
			fprintf(stderr, "    case %zu: %s\n", i,
			        buf_cstr(&err));
		CHECK(got ? err.len == 0 : err.len > 0);
		free(got);
	}

	buf_reset(&err);
	got = publish_path("out", "../{date}.md", "2024-05-01", NULL, &err);
	CHECK(got == NULL);
	CHECK_STR(buf_cstr(&err),
	          "output pattern \"../{date}.md\": a '.' or '..' segment");

	/* A file name with no room left for ".NAME.XXXXXX". */
	long_pattern = xmalloc(300);
	memset(long_pattern, 'a', 299);
	long_pattern[299] = '\0';
	buf_reset(&err);
	got = publish_path("out", long_pattern, "2024-05-01", NULL, &err);
	CHECK(got == NULL);
	free(long_pattern);
	buf_free(&err);
}

static void test_lock(const char *root)
{
	struct buf err = BUF_INIT(0), want = BUF_INIT(0), got = BUF_INIT(0);
	char *dir = join(root, "blog"),
	     *lock_path = join(dir, ".aidigest.lock");
	int fd, fd2, ready[2], go[2], status;
	char c = 0;
	pid_t pid;

	/* The folder does not exist yet: the lock creates it. */
	CHECK_INT(publish_lock(dir, &fd, &err), 0);
	CHECK(fd >= 0);
	buf_printf(&want, "%ld\n", (long)getpid());
	CHECK(file_is(lock_path, want.data, want.len));

	/* flock belongs to the open file description: a second open() in
	 * the same process is refused too. */
	buf_reset(&want);
	buf_printf(&want, "another aidigest run holds the lock in %s (pid %ld)",
	           dir, (long)getpid());
	CHECK_INT(publish_lock(dir, &fd2, &err), ERR_IO);
	CHECK_INT(fd2, -1);
	CHECK_STR(buf_cstr(&err), buf_cstr(&want));

	/* A child process is refused, and told our pid. */
	if (CHECK(pipe(ready) == 0)) {
		pid = fork();
		if (pid == 0) {
			struct buf child_err = BUF_INIT(0);
			int child_fd;

			close(ready[0]);
			if (publish_lock(dir, &child_fd, &child_err) == 0 &&
			    child_fd >= 0)
				buf_puts(&child_err, "locked");
			_exit(send_all(ready[1], child_err.data, child_err.len)
			              ? 0
			              : 1);
		}
		close(ready[1]);
		receive_all(ready[0], &got);
		close(ready[0]);
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0);
		CHECK_STR(buf_cstr(&got), buf_cstr(&want));
	}

	publish_unlock(fd);
	CHECK(file_is(lock_path, "", 0));
	CHECK_INT(publish_lock(dir, &fd, &err), 0);
	CHECK(fd >= 0);
	publish_unlock(fd);
	publish_unlock(-1);

	/* A child holds it: we are refused with the child's pid. */
	if (CHECK(pipe(ready) == 0) && CHECK(pipe(go) == 0)) {
		pid = fork();
		if (pid == 0) {
			struct buf child_err = BUF_INIT(0);
			int child_fd;

			close(ready[0]);
			close(go[1]);
			c = publish_lock(dir, &child_fd, &child_err) == 0 &&
			                    child_fd >= 0
			            ? 'y'
			            : 'n';
			if (!send_all(ready[1], &c, 1))
				_exit(1);
			/* Hold it until the parent closes its end. */
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		close(ready[1]);
		close(go[0]);
		CHECK(read(ready[0], &c, 1) == 1 && c == 'y');
		buf_reset(&err);
		buf_reset(&want);
		buf_printf(
		        &want,
		        "another aidigest run holds the lock in %s (pid %ld)",
		        dir, (long)pid);
		CHECK_INT(publish_lock(dir, &fd, &err), ERR_IO);
		CHECK_STR(buf_cstr(&err), buf_cstr(&want));
		close(go[1]);
		close(ready[0]);
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
		/* The child's exit released it. */
		buf_reset(&err);
		CHECK_INT(publish_lock(dir, &fd, &err), 0);
		CHECK(fd >= 0);
		publish_unlock(fd);
	}

	/* A lock file that is a symlink is not followed. */
	buf_reset(&err);
	free(lock_path);
	lock_path = join(root, "elsewhere");
	CHECK(mkdir(lock_path, 0755) == 0);
	free(lock_path);
	lock_path = join(root, "elsewhere/.aidigest.lock");
	CHECK(symlink("/tmp/aidigest-nonexistent-target", lock_path) == 0);
	free(dir);
	dir = join(root, "elsewhere");
	CHECK_INT(publish_lock(dir, &fd, &err), ERR_IO);
	CHECK(strstr(buf_cstr(&err), ".aidigest.lock: ") != NULL);

	free(dir);
	free(lock_path);
	buf_free(&err);
	buf_free(&want);
	buf_free(&got);
}

static void test_write(const char *root)
{
	struct buf err = BUF_INIT(0), msg = BUF_INIT(0);
	char *dir = join(root, "site/content/posts/2024-05-01-ai-news");
	char *path = join(dir, "index.md"), *stale, *other;
	static const char *const stale_names[] = {".index.md.AbC123",
	                                          ".index.md.zzzzzz", NULL};
	static const char *const kept_names[] = {
	        ".other.md.abcdef", ".index.md.toolong1", ".index.md.ab",
	        "index.md.AbC123", NULL};
	char big[65536];
	struct stat st;
	ino_t first_inode;
	int status, fds[2];
	size_t i;
	pid_t pid;

	/* New file, folders created. */
	CHECK_INT(publish_write(path, "first\n", 6, &err), 0);
	CHECK_STR(buf_cstr(&err), "");
	CHECK(file_is(path, "first\n", 6));
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644);
	first_inode = st.st_ino;
	CHECK_INT(count_temps(dir, "index.md"), 0);

	/* Replacement: a new file renamed over the old one. */
	CHECK_INT(publish_write(path, "second\n", 7, &err), 0);
	CHECK(file_is(path, "second\n", 7));
	CHECK(stat(path, &st) == 0 && st.st_ino != first_inode &&
	      (st.st_mode & 07777) == 0644);
	CHECK_INT(count_temps(dir, "index.md"), 0);

	/* An empty post is a post. */
	CHECK_INT(publish_write(path, "", 0, &err), 0);
	CHECK(file_is(path, "", 0));

	/* A killed run's leftovers go with the next publish; look-alikes
	 * stay. */
	for (i = 0; stale_names[i]; i++) {
		stale = join(dir, stale_names[i]);
		CHECK(write_text(stale, "partial"));
		free(stale);
	}
	for (i = 0; kept_names[i]; i++) {
		other = join(dir, kept_names[i]);
		CHECK(write_text(other, "keep"));
		free(other);
	}
	CHECK_INT(count_temps(dir, "index.md"), 4);
	CHECK_INT(publish_write(path, "third\n", 6, &err), 0);
	CHECK(file_is(path, "third\n", 6));
	for (i = 0; stale_names[i]; i++) {
		stale = join(dir, stale_names[i]);
		CHECK(access(stale, F_OK) != 0);
		free(stale);
	}
	for (i = 0; kept_names[i]; i++) {
		other = join(dir, kept_names[i]);
		CHECK(access(other, F_OK) == 0);
		unlink(other);
		free(other);
	}

	/* A write that fails half-way (a file size limit: it holds for root
	 * too) leaves the old post and no temporary file. */
	memset(big, 'x', sizeof big);
	if (CHECK(pipe(fds) == 0)) {
		pid = fork();
		if (pid == 0) {
			struct buf child_err = BUF_INIT(0);
			struct rlimit rl = {4096, 4096};
			int rc;

			close(fds[0]);
			signal(SIGXFSZ, SIG_IGN);
			if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(2);
			rc = publish_write(path, big, sizeof big, &child_err);
			if (!send_all(fds[1], child_err.data, child_err.len))
				_exit(3);
			_exit(rc == ERR_IO ? 0 : 1);
		}
		close(fds[1]);
		receive_all(fds[0], &msg);
		close(fds[0]);
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0);
		CHECK(strstr(buf_cstr(&msg), dir) != NULL);
		CHECK(strstr(buf_cstr(&msg), ": write: ") != NULL);
		CHECK(strstr(buf_cstr(&msg), strerror(EFBIG)) != NULL);
		CHECK(file_is(path, "third\n", 6));
		CHECK_INT(count_temps(dir, "index.md"), 0);
	}

	/* A folder we may not write to (root may write anywhere). */
	if (geteuid() != 0) {
		CHECK(chmod(dir, 0555) == 0);
		buf_reset(&err);
		CHECK_INT(publish_write(path, "fourth\n", 7, &err), ERR_IO);
		CHECK(strstr(buf_cstr(&err), dir) != NULL);
		CHECK(strstr(buf_cstr(&err), strerror(EACCES)) != NULL);
		CHECK(file_is(path, "third\n", 6));
		CHECK(chmod(dir, 0755) == 0);
	} else {
		printf("publish: as root, a read-only folder cannot fail a "
		       "write; the file size limit stands for it\n");
	}

	/* A folder that is a file: the message names it. */
	stale = join(root, "plain-file");
	CHECK(write_text(stale, "x"));
	other = join(stale, "sub/index.md");
	buf_reset(&err);
	CHECK_INT(publish_write(other, "x", 1, &err), ERR_IO);
	CHECK(strncmp(buf_cstr(&err), stale, strlen(stale)) == 0);
	CHECK(strstr(buf_cstr(&err), strerror(ENOTDIR)) != NULL);
	free(other);
	free(stale);

	/* The target is a folder: refused, the folder stays. */
	buf_reset(&err);
	CHECK_INT(publish_write(dir, "x", 1, &err), ERR_IO);
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));

	free(dir);
	free(path);
	buf_free(&err);
	buf_free(&msg);
}

static void test_existing_dates(const char *root)
{
	static const struct {
		const char *text;
		int rc;
		const char *date, *update;
	} cases[] = {
	        {"---\ntitle: \"x\"\ndate: 2024-05-01\nupdate: 2024-05-02\n"
	         "---\nbody\n",
	         0, "2024-05-01", "2024-05-02"},
	        {"---\ndate: \"2024-05-01\"\nupdate: \"2024-05-\\x33\"\n---\n",
	         0, "2024-05-01", "2024-05-3"},
	        {"---\ndate: 2024-05-01T09:00:00+09:00\nlastmod: "
	         "2024-05-03T09:00:00+09:00\ndraft: false\n---\n",
	         0, "2024-05-01T09:00:00+09:00", "2024-05-03T09:00:00+09:00"},
	        {"---\nlastmod: 2024-05-04\nupdate: 2024-05-05\ndate: "
	         "2024-05-01\n---\n",
	         0, "2024-05-01", "2024-05-05"},
	        {"---\nupdate: 2024-05-05\nlastmod: 2024-05-04\n---\n", 0, "",
	         "2024-05-05"},
	        {"---\nlayout: post\ndate: 2024-05-01 09:00:00 +0900\n---\n", 0,
	         "2024-05-01 09:00:00 +0900", ""},
	        /* jekyll's update (last_modified_at), after lastmod's */
	        {"---\nlayout: post\ndate: 2024-05-01\nlast_modified_at: "
	         "2024-05-02\n---\n",
	         0, "2024-05-01", "2024-05-02"},
	        {"---\nlast_modified_at: 2024-05-06\nlastmod: "
	         "2024-05-04\n---\n",
	         0, "", "2024-05-04"},
	        {"---\ndate: '2024-05-01'   # a comment\nupdate: 2024-05-02 # "
	         "note\n---\n",
	         0, "2024-05-01", "2024-05-02"},
	        {"---\ntags:\n  - \"date: 1999-01-01\"\ndate: "
	         "2024-05-01\n---\n",
	         0, "2024-05-01", ""},
	        {"---\ndate: 'it''s'\nupdate: ''\n---\n", 0, "it's", ""},
	        {"no front-matter\ndate: 2024-05-01\n", 0, "", ""},
	        {"---\ndate: 2024-05-01\n", ERR_PARSE, "", ""},
	        {"---\ndate: \"2024-05-01\n---\n", ERR_PARSE, "", ""},
	        {"---\ndate: "
	         "2024-05-01-and-a-value-too-long-for-its-room\n---\n",
	         ERR_LIMIT, "", ""},
	};
	char *path = join(root, "existing.md"), *text;
	char date[32], update[32];
	struct buf big = BUF_INIT(0);
	size_t i;

	CHECK_INT(publish_existing_dates(path, date, sizeof date, update,
	                                 sizeof update),
	          ERR_NOT_FOUND);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (!CHECK(write_text(path, cases[i].text)))
			continue;
		memset(date, 'z', sizeof date);
		memset(update, 'z', sizeof update);
		if (!CHECK_INT(publish_existing_dates(path, date, sizeof date,
		                                      update, sizeof update),
		               cases[i].rc))
			fprintf(stderr, "    case %zu\n", i);
		if (cases[i].rc != 0)
			continue;
		CHECK_STR(date, cases[i].date);
		CHECK_STR(update, cases[i].update);
	}
	CHECK(write_text(path, cases[0].text));
	CHECK_INT(publish_existing_dates(path, date, sizeof date, NULL, 0), 0);
	CHECK_STR(date, "2024-05-01");
	CHECK_INT(publish_existing_dates(path, date, 10, NULL, 0), ERR_LIMIT);

	/* The front-matter must end within the 64 KiB read. */
	buf_puts(&big, "---\ndate: 2024-05-01\ndescription: \"");
	while (big.len < 70000)
		buf_puts(&big, "long ");
	buf_puts(&big, "\"\n---\n");
	CHECK(write_text(path, buf_cstr(&big)));
	CHECK_INT(publish_existing_dates(path, date, sizeof date, update,
	                                 sizeof update),
	          ERR_PARSE);
	buf_free(&big);

	/* A folder is not a post. */
	CHECK_INT(publish_existing_dates(root, date, sizeof date, update,
	                                 sizeof update),
	          ERR_IO);
	text = join(root, "no/such/folder/index.md");
	CHECK_INT(publish_existing_dates(text, date, sizeof date, update,
	                                 sizeof update),
	          ERR_NOT_FOUND);
	free(text);
	free(path);
}

static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* kill -9 at 20 random moments while a child publishes a 2 MB post over
 * the old one: the post is always one of the two, whole; a killed write's
 * temporary file goes with the next publish. */
static void test_crash(const char *root)
{
	enum { KILLS = 20, SIZE = 2 * 1024 * 1024, CHILD_WRITES = 10000 };
	char *dir = join(root, "crash/posts/2024-05-01-ai-news");
	char *path = join(dir, "index.md");
	char *old_post = xmalloc(SIZE), *new_post = xmalloc(SIZE);
	struct buf err = BUF_INIT(0);
	uint32_t seed = 0x5eed2024u;
	int round, status, fds[2], temps, max_temps = 0;
	int mid_write = 0, saw_old = 0, saw_new = 0, broken = 0, finished = 0;
	struct timespec t0, pause;
	double one_write, delay, max_delay;
	pid_t pid;
	char c;

	memset(old_post, 'o', SIZE);
	memset(new_post, 'n', SIZE);
	memcpy(old_post, "---\ntitle: \"old\"\n---\n", 21);
	memcpy(new_post, "---\ntitle: \"new\"\n---\n", 21);

	/* How long one publish takes here: kills spread over 1.5 times it. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(publish_write(path, new_post, SIZE, &err), 0);
	CHECK_INT(publish_write(path, old_post, SIZE, &err), 0);
	one_write = check_seconds_since(&t0) / 2;
	max_delay = one_write * 1.5 + 0.001;
	if (max_delay > 0.2)
		max_delay = 0.2;

	for (round = 0; round < KILLS; round++) {
		CHECK_INT(publish_write(path, old_post, SIZE, &err), 0);
		CHECK_INT(count_temps(dir, "index.md"), 0);
		if (!CHECK(pipe(fds) == 0))
			break;
		pid = fork();
		if (pid == 0) {
			struct buf child_err = BUF_INIT(0);
			int i;

			close(fds[0]);
			if (!send_all(fds[1], "r", 1))
				_exit(1);
			for (i = 0; i < CHILD_WRITES; i++)
				if (publish_write(path, new_post, SIZE,
				                  &child_err) != 0)
					_exit(2);
			_exit(0);
		}
		close(fds[1]);
		CHECK(read(fds[0], &c, 1) == 1);
		close(fds[0]);
		delay = max_delay * (next_random(&seed) % 10000) / 10000.0;
		pause.tv_sec = (time_t)delay;
		pause.tv_nsec = (long)((delay - (double)pause.tv_sec) * 1e9);
		while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
			;
		kill(pid, SIGKILL);
		CHECK(waitpid(pid, &status, 0) == pid);
		if (!WIFSIGNALED(status))
			finished++;

		if (file_is(path, old_post, SIZE))
			saw_old++;
		else if (file_is(path, new_post, SIZE))
			saw_new++;
		else
			broken++;
		temps = count_temps(dir, "index.md");
		if (temps > 0)
			mid_write++;
		if (temps > max_temps)
			max_temps = temps;
	}
	CHECK_INT(broken, 0);
	CHECK_INT(saw_old + saw_new, KILLS);
	/* Each publish clears the one before's leftovers: never more than
	 * one, and none after the next publish. */
	CHECK(max_temps <= 1);
	CHECK(mid_write > 0);
	CHECK_INT(publish_write(path, old_post, SIZE, &err), 0);
	CHECK_INT(count_temps(dir, "index.md"), 0);
	CHECK(file_is(path, old_post, SIZE));
	printf("publish crash test: %d kills over 0-%.1f ms (one publish "
	       "%.1f ms): %d mid-write, %d old post whole, %d new post whole, "
	       "%d broken, %d not killed\n",
	       KILLS, max_delay * 1000, one_write * 1000, mid_write, saw_old,
	       saw_new, broken, finished);

	free(old_post);
	free(new_post);
	free(dir);
	free(path);
	buf_free(&err);
}

void test_publish(void)
{
	char root[64];

	test_paths();
	test_publish_validate();
	test_publish_post();
	if (!CHECK(temp_folder(root, sizeof root)))
		return;
	test_lock(root);
	test_write(root);
	test_existing_dates(root);
	test_crash(root);
	remove_tree(root);
}
