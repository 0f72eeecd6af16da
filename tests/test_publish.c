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
	fd = publish_lock(dir, &err);
	CHECK(fd >= 0);
	buf_printf(&want, "%ld\n", (long)getpid());
	CHECK(file_is(lock_path, want.data, want.len));

	/* flock belongs to the open file description: a second open() in
	 * the same process is refused too. */
	buf_reset(&want);
	buf_printf(&want,
	           "another aidigest run is publishing into %s (pid %ld)", dir,
	           (long)getpid());
	fd2 = publish_lock(dir, &err);
	CHECK_INT(fd2, -1);
	CHECK_STR(buf_cstr(&err), buf_cstr(&want));

	/* A child process is refused, and told our pid. */
	if (CHECK(pipe(ready) == 0)) {
		pid = fork();
		if (pid == 0) {
			struct buf child_err = BUF_INIT(0);
			int child_fd;

			close(ready[0]);
			child_fd = publish_lock(dir, &child_err);
			if (child_fd >= 0)
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
	fd = publish_lock(dir, &err);
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
			child_fd = publish_lock(dir, &child_err);
			c = child_fd >= 0 ? 'y' : 'n';
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
		        "another aidigest run is publishing into %s (pid %ld)",
		        dir, (long)pid);
		CHECK_INT(publish_lock(dir, &err), -1);
		CHECK_STR(buf_cstr(&err), buf_cstr(&want));
		close(go[1]);
		close(ready[0]);
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
		/* The child's exit released it. */
		buf_reset(&err);
		fd = publish_lock(dir, &err);
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
	CHECK_INT(publish_lock(dir, &err), -1);
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
			_exit(rc == -1 ? 0 : 1);
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
		CHECK_INT(publish_write(path, "fourth\n", 7, &err), -1);
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
	CHECK_INT(publish_write(other, "x", 1, &err), -1);
	CHECK(strncmp(buf_cstr(&err), stale, strlen(stale)) == 0);
	CHECK(strstr(buf_cstr(&err), strerror(ENOTDIR)) != NULL);
	free(other);
	free(stale);

	/* The target is a folder: refused, the folder stays. */
	buf_reset(&err);
	CHECK_INT(publish_write(dir, "x", 1, &err), -1);
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
	        {"---\ndate: '2024-05-01'   # a comment\nupdate: 2024-05-02 # "
	         "note\n---\n",
	         0, "2024-05-01", "2024-05-02"},
	        {"---\ntags:\n  - \"date: 1999-01-01\"\ndate: "
	         "2024-05-01\n---\n",
	         0, "2024-05-01", ""},
	        {"---\ndate: 'it''s'\nupdate: ''\n---\n", 0, "it's", ""},
	        {"no front-matter\ndate: 2024-05-01\n", 0, "", ""},
	        {"---\ndate: 2024-05-01\n", -1, "", ""},
	        {"---\ndate: \"2024-05-01\n---\n", -1, "", ""},
	        {"---\ndate: "
	         "2024-05-01-and-a-value-too-long-for-its-room\n---\n",
	         -1, "", ""},
	};
	char *path = join(root, "existing.md"), *text;
	char date[32], update[32];
	struct buf big = BUF_INIT(0);
	size_t i;

	CHECK_INT(publish_existing_dates(path, date, sizeof date, update,
	                                 sizeof update),
	          1);
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
	CHECK_INT(publish_existing_dates(path, date, 10, NULL, 0), -1);

	/* The front-matter must end within the 64 KiB read. */
	buf_puts(&big, "---\ndate: 2024-05-01\ndescription: \"");
	while (big.len < 70000)
		buf_puts(&big, "long ");
	buf_puts(&big, "\"\n---\n");
	CHECK(write_text(path, buf_cstr(&big)));
	CHECK_INT(publish_existing_dates(path, date, sizeof date, update,
	                                 sizeof update),
	          -1);
	buf_free(&big);

	/* A folder is not a post. */
	CHECK_INT(publish_existing_dates(root, date, sizeof date, update,
	                                 sizeof update),
	          -1);
	text = join(root, "no/such/folder/index.md");
	CHECK_INT(publish_existing_dates(text, date, sizeof date, update,
	                                 sizeof update),
	          1);
	free(text);
	free(path);
}

/* A post in the shape of the reference sample. */
static const char good_post[] =
        "---\n"
        "title: \"LLM을 활용한 다중 판사 시스템의 효율성과 비용 절감\"\n"
        "description: \"PoLL: \\\"여러 판사\\\"\\n두 줄\"\n"
        "date: 2024-05-01\n"
        "update: 2024-05-02\n"
        "tags:\n"
        "  - \"LLM\"\n"
        "  - \"다중 판사 시스템\"\n"
        "  - \"비용 효율성\"\n"
        "---\n"
        "\n"
        "최근 연구에 따르면, 다양한 LLM을 조합하면 더 높은 성능을 보입니다. "
        "[Cohere의 연구](https://twitter.com/cohere/status/1785284142789242932)"
        "에 따르면 그렇습니다.\n"
        "\n"
        "## Today's Preview\n"
        "* OpenAI 뉴스\n"
        "  - 메모리 기능이 모든 사용자에게 제공됩니다. [자세히 보기]"
        "(https://twitter.com/OpenAI/status/1784992796669096181)\n"
        "* LLMs와 AI 모델\n"
        "  - Llama 3 모델은 32k 컨텍스트에서 뛰어납니다. [자세히 보기]"
        "(https://en.wikipedia.org/wiki/Llama_%28model%29)\n"
        "\n"
        "### AI Viewpoint 🤖\n"
        "> 이 연구는 중요한 시사점을 제공합니다. \\<script\\> 는 글자입니다.\n"
        "\n"
        "## Today's Overview\n"
        "### 최신 인공지능 기술과 응용 분야의 종합 리포트\n"
        "\n"
        "**1. 최신 인공지능 기술 동향**\n"
        "- **Triton과 CUDA의 한계**: 4096 요소 블록은 실행 가능합니다. "
        "([Compiler Explorer](https://godbolt.org/z/9K9Gf1v6P))\n"
        "- **Effort Engine**: 계산 노력을 조정합니다. ([GitHub]"
        "(https://github.com/kolinko/effort))\n";

static const struct publish_field good_fields[] = {
        {"tags", "LLM"},
        {"date", "2024-05-01"},
        {"title", "LLM을 활용한 다중 판사 시스템의 효율성과 비용 절감"},
        {"tags", "다중 판사 시스템"},
        {"description", "PoLL: \"여러 판사\"\n두 줄"},
        {"update", "2024-05-02"},
        {"tags", "비용 효율성"},
};

static const char *const good_sections[] = {
        "## Today's Preview", "### AI Viewpoint", "## Today's Overview", NULL};

static const char *const good_allowed[] = {
        "https://twitter.com/cohere/status/1785284142789242932",
        "https://twitter.com/OpenAI/status/1784992796669096181",
        "https://en.wikipedia.org/wiki/Llama_%28model%29",
        "https://godbolt.org/z/9K9Gf1v6P",
        "https://github.com/kolinko/effort",
        NULL};

#define NFIELDS (sizeof good_fields / sizeof good_fields[0])

/* s with its first `from` replaced by `to` (s itself when absent: the
 * test then fails on the unchanged result). Caller frees. */
static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	struct buf out = BUF_INIT(0);

	CHECK(at != NULL);
	if (!at)
		return xstrdup(s);
	buf_append(&out, s, (size_t)(at - s));
	buf_puts(&out, to);
	buf_puts(&out, at + strlen(from));
	return buf_detach(&out);
}

static int validate(const char *post, const struct publish_field *fields,
                    size_t nfields, struct buf *err)
{
	buf_reset(err);
	return publish_validate(post, strlen(post), fields, nfields,
	                        good_sections, good_allowed, err);
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* One body change each, and a phrase its message must carry. */
static void test_validate_body(void)
{
	static const struct {
		const char *from, *to, *message;
	} cases[] = {
	        {"### AI Viewpoint 🤖", "### AI 관점",
	         "a missing section: ### AI Viewpoint\n"},
	        {"## Today's Preview", "# Today's Preview",
	         "a missing section: ## Today's Preview\n"},
	        {"## Today's Overview", "## Todays Overview",
	         "a missing section: ## Today's Overview\n"},
	        {"https://godbolt.org/z/9K9Gf1v6P", "https://evil.example/x",
	         "a link not from a fetched item: https://evil.example/x\n"},
	        {"https://en.wikipedia.org/wiki/Llama_%28model%29",
	         "https://en.wikipedia.org/wiki/Llama_(model)",
	         "a link not from a fetched item: "
	         "https://en.wikipedia.org/wiki/Llama_(model)\n"},
	        {"이 연구는", "![그림](https://evil.example/p.png) 이 연구는",
	         "an image not from a fetched item: "
	         "https://evil.example/p.png\n"},
	        {"이 연구는", "<https://evil.example/auto> 이 연구는",
	         "a link not from a fetched item: https://evil.example/auto\n"},
	        {"[자세히 보기](https://twitter.com/OpenAI",
	         "[자세히 보기][r]\n\n[r]: https://evil.example/ref\n\n"
	         "[x](https://twitter.com/OpenAI",
	         "a link not from a fetched item: https://evil.example/ref\n"},
	        {"[GitHub](", "[GitHub]()\n[y](",
	         "a link not from a fetched "
	         "item: \n"},
	        {"이 연구는", "이 <b>연구는</b>",
	         "raw HTML in the post (line 21)\n"},
	        {"## Today's Overview\n",
	         "<script>alert(1)</script>\n\n## Today's Overview\n",
	         "raw HTML in the post (line 23)\n"},
	        {"- **Effort Engine**", "<!-- a note -->\n- **Effort Engine**",
	         "raw HTML in the post"},
	        {"최근 연구에", "최근 \xff 연구에",
	         "the post is not valid UTF-8 (byte "},
	};
	struct buf err = BUF_INIT(0);
	char *post, *twice;
	size_t i;

	CHECK_INT(validate(good_post, good_fields, NFIELDS, &err), 0);
	CHECK_STR(buf_cstr(&err), "");

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		post = replace(good_post, cases[i].from, cases[i].to);
		CHECK_INT(validate(post, good_fields, NFIELDS, &err), -1);
		if (!CHECK(strstr(buf_cstr(&err), cases[i].message) != NULL))
			fprintf(stderr, "    case %zu: %s\n", i,
			        buf_cstr(&err));
		free(post);
	}

	/* Every failure, one per line. */
	post = replace(good_post, "https://godbolt.org/z/9K9Gf1v6P",
	               "https://evil.example/1");
	twice = replace(post, "(https://github.com/kolinko/effort))\n",
	                "(https://evil.example/2))\n\n<hr>\n");
	free(post);
	post = replace(twice, "## Today's Preview", "## Preview");
	CHECK_INT(validate(post, good_fields, NFIELDS, &err), -1);
	CHECK_STR(buf_cstr(&err),
	          "a link not from a fetched item: https://evil.example/1\n"
	          "a link not from a fetched item: https://evil.example/2\n"
	          "raw HTML in the post (line 30)\n"
	          "a missing section: ## Today's Preview\n");
	free(post);
	free(twice);

	/* Out of order: the other sections still count; a section that
	 * appears twice counts where it is in order. */
	post = replace(good_post, "## Today's Overview\n", "## Overview\n");
	twice = replace(post, "최근 연구에 따르면,",
	                "## Today's Overview\n\n최근 연구에 따르면,");
	CHECK_INT(validate(twice, good_fields, NFIELDS, &err), -1);
	CHECK_STR(buf_cstr(&err),
	          "a section out of order: ## Today's Overview\n");
	free(post);
	post = replace(twice, "## Overview\n", "## Today's Overview\n");
	CHECK_INT(validate(post, good_fields, NFIELDS, &err), 0);
	free(post);
	free(twice);

	post = replace(good_post, "### AI Viewpoint 🤖\n", "");
	twice = replace(post, "## Today's Preview\n",
	                "### AI Viewpoint 🤖\n## Today's Preview\n");
	CHECK_INT(validate(twice, good_fields, NFIELDS, &err), -1);
	CHECK_STR(buf_cstr(&err), "a section out of order: ### AI Viewpoint\n");
	free(post);
	free(twice);

	/* More than a hundred failures are counted, not listed. */
	{
		struct buf many = BUF_INIT(0);

		buf_puts(&many, good_post);
		for (i = 0; i < 150; i++)
			buf_printf(&many, "[l](https://evil.example/%zu)\n", i);
		CHECK_INT(validate(buf_cstr(&many), good_fields, NFIELDS, &err),
		          -1);
		CHECK_INT(count_char(buf_cstr(&err), '\n'), 101);
		CHECK(strstr(buf_cstr(&err), "and 50 more failures\n") != NULL);
		buf_free(&many);
	}
	buf_free(&err);
}

/* A title that tries to end the front-matter and add a key. */
static void test_validate_injection(void)
{
	static const char title[] = "a \"quote\"\n---\ntitle: pwned";
	struct publish_field fields[NFIELDS];
	struct buf err = BUF_INIT(0), naive = BUF_INIT(0);
	const char *body = strstr(good_post, "tags:\n");
	size_t i;
	char *post;

	memcpy(fields, good_fields, sizeof fields);
	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].key, "title") == 0)
			fields[i].value = title;

	/* A naive writer, with and without quotes. */
	buf_printf(&naive,
	           "---\ntitle: \"%s\"\ndescription: \"PoLL: \\\"여러 판사"
	           "\\\"\\n두 줄\"\ndate: 2024-05-01\nupdate: 2024-05-02\n%s",
	           title, body);
	CHECK_INT(validate(buf_cstr(&naive), fields, NFIELDS, &err), -1);
	CHECK(strncmp(buf_cstr(&err), "front-matter line 2: ", 21) == 0);
	buf_reset(&naive);
	buf_printf(&naive,
	           "---\ntitle: %s\ndescription: \"PoLL: \\\"여러 판사"
	           "\\\"\\n두 줄\"\ndate: 2024-05-01\nupdate: 2024-05-02\n%s",
	           title, body);
	CHECK_INT(validate(buf_cstr(&naive), fields, NFIELDS, &err), -1);
	CHECK(strstr(buf_cstr(&err), "front-matter") != NULL);

	/* Escaped, it is one scalar and reads back as itself. */
	post = replace(good_post,
	               "\"LLM을 활용한 다중 판사 시스템의 효율성과 비용 절감\"",
	               "\"a \\\"quote\\\"\\n---\\ntitle: pwned\"");
	CHECK_INT(validate(post, fields, NFIELDS, &err), 0);
	CHECK_STR(buf_cstr(&err), "");
	/* ... and not as the original title. */
	CHECK_INT(validate(post, good_fields, NFIELDS, &err), -1);
	CHECK(strstr(buf_cstr(&err), "front-matter: title is \"a \\\"quote") !=
	      NULL);
	free(post);
	buf_free(&naive);
	buf_free(&err);
}

/* The front-matter against the expected fields. */
static void test_validate_fields(void)
{
	static const struct {
		const char *from, *to, *message;
	} cases[] = {
	        {"date: 2024-05-01\n", "", "front-matter: date is missing\n"},
	        {"date: 2024-05-01\n", "date: 2024-05-01\ndraft: false\n",
	         "front-matter: draft is not expected\n"},
	        {"update: 2024-05-02", "update: 2024-05-03",
	         "front-matter: update is \"2024-05-03\", expected "
	         "\"2024-05-02\"\n"},
	        {"  - \"LLM\"\n  - \"다중 판사 시스템\"",
	         "  - \"다중 판사 시스템\"\n  - \"LLM\"",
	         "front-matter: tags is \"다중 판사 시스템\", expected "
	         "\"LLM\"\n"},
	        {"  - \"LLM\"\n", "",
	         "front-matter: tags has 2 value(s), "
	         "expected 3\n"},
	        {"date: 2024-05-01\n", "date: 2024-05-01\ndate: 2024-05-01\n",
	         "front-matter line 5: a key that appears twice\n"},
	        {"update: 2024-05-02\n", "update: 2024-05-02\n---\n",
	         "front-matter: tags is missing\n"},
	        {"---\ntitle", "--- \ntitle",
	         "front-matter: the post does not "
	         "start with a \"---\" line\n"},
	        {"tags:\n", "tags:\n---\n",
	         "front-matter line 6: a `key:` with neither a value nor list "
	         "items\n"},
	};
	struct buf err = BUF_INIT(0);
	char *post;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		post = replace(good_post, cases[i].from, cases[i].to);
		CHECK_INT(validate(post, good_fields, NFIELDS, &err), -1);
		if (!CHECK(strstr(buf_cstr(&err), cases[i].message) != NULL))
			fprintf(stderr, "    case %zu: %s\n", i,
			        buf_cstr(&err));
		free(post);
	}

	/* Unterminated: that is all there is to say. */
	post = replace(good_post, "---\n\n최근", "\n최근");
	CHECK_INT(validate(post, good_fields, NFIELDS, &err), -1);
	CHECK_STR(buf_cstr(&err), "front-matter: no \"---\" line closes it\n");
	free(post);
	CHECK_INT(validate("---\ntitle: x", good_fields, 0, &err), -1);
	CHECK_INT(validate("", good_fields, 0, &err), -1);

	/* An empty front-matter and no fields, no sections: fine. */
	buf_reset(&err);
	CHECK_INT(publish_validate("---\n---\nbody\n", 13, NULL, 0, NULL, NULL,
	                           &err),
	          0);
	buf_free(&err);
}

/* One front-matter line each: the value it reads as, or NULL when the
 * YAML subset refuses it. */
static void test_validate_yaml(void)
{
	static const struct {
		const char *line, *value;
	} cases[] = {
	        {"k: \"a\\u00e9b\"", "a\xc3\xa9"
	                             "b"},
	        {"k: \"\\u D\"", NULL},
	        {"k: \"\\x41\\t\\\\\\\"\"", "A\t\\\""},
	        {"k: \"\\xe9\"", "\xc3\xa9"},
	        {"k: \"\\uAC00\"", "\xea\xb0\x80"},
	        {"k: \"raw\ttab\"", "raw\ttab"},
	        {"k: \"\"", ""},
	        {"k: 2024-05-01", "2024-05-01"},
	        {"k: 2024-05-01T09:00:00+09:00", "2024-05-01T09:00:00+09:00"},
	        {"k: 2024-05-01 09:00:00 +0900", "2024-05-01 09:00:00 +0900"},
	        {"k: false", "false"},
	        {"k: -1.5", "-1.5"},
	        {"k: 한국어 단어", "한국어 단어"},
	        {"k_2-b: x", "x"},
	        {"k: \"\\q\"", NULL},
	        {"k: \"\\u12\"", NULL},
	        {"k: \"\\ud800\"", NULL},
	        {"k: \"\\x00\"", NULL},
	        {"k: \"\\u0000\"", NULL},
	        {"k: \"a\\", NULL},
	        {"k: \"abc", NULL},
	        {"k: \"a\x01"
	         "b\"",
	         NULL},
	        {"k: \"a\" b", NULL},
	        {"k: \"a\" ", NULL},
	        {"k: a: b", NULL},
	        {"k: a:", NULL},
	        {"k: a #b", NULL},
	        {"k: a ", NULL},
	        {"k:  a", NULL},
	        {"k:a", NULL},
	        {"k:\t\"a\"", NULL},
	        {" k: a", NULL},
	        {"\tk: a", NULL},
	        {"k: 'a'", NULL},
	        {"k: [a]", NULL},
	        {"k: {a: b}", NULL},
	        {"k: &x a", NULL},
	        {"k: *x", NULL},
	        {"k: !!str a", NULL},
	        {"k: |", NULL},
	        {"k: >", NULL},
	        {"k: - a", NULL},
	        {"k: -", NULL},
	        {"k: a\r", NULL},
	        {"# comment", NULL},
	        {"...", NULL},
	        {"--- x", NULL},
	        {"? k", NULL},
	        {"1k: a", NULL},
	        {"k", NULL},
	};
	struct buf err = BUF_INIT(0), post = BUF_INIT(0);
	struct publish_field field = {"k", NULL};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&post);
		buf_printf(&post, "---\n%s\n---\n", cases[i].line);
		field.key =
		        strncmp(cases[i].line, "k_2-b", 5) == 0 ? "k_2-b" : "k";
		field.value = cases[i].value ? cases[i].value : "";
		buf_reset(&err);
		if (!CHECK_INT(publish_validate(post.data, post.len, &field, 1,
		                                NULL, NULL, &err),
		               cases[i].value ? 0 : -1))
			fprintf(stderr, "    case %zu: %s\n", i,
			        buf_cstr(&err));
		if (!cases[i].value)
			CHECK(strncmp(buf_cstr(&err),
			              "front-matter line 2: ", 21) == 0);
	}

	/* Lists. */
	{
		static const struct {
			const char *text;
			int rc;
		} lists[] = {
		        {"---\nk:\n  - \"a\"\n  - b\n---\n", 0},
		        {"---\nk:\n\n  - \"a\"\n\n  - b\n\n---\n", 0},
		        {"---\nk:\n  - \"b\"\n  - a\n---\n", -1},
		        {"---\nk:\n    - \"a\"\n  - b\n---\n", -1},
		        {"---\nk:\n- \"a\"\n  - b\n---\n", -1},
		        {"---\nk:\n  -\"a\"\n  - b\n---\n", -1},
		        {"---\n  - \"a\"\nk:\n  - b\n---\n", -1},
		        {"---\nk: a\n  - b\n---\n", -1},
		        {"---\nk:\n  - \"a\n  - b\n---\n", -1},
		        {"---\nk:\n  - [a]\n  - b\n---\n", -1},
		        {"---\nk:\n  - a\n  - b\nk:\n  - a\n  - b\n---\n", -1},
		};
		const struct publish_field two[] = {{"k", "a"}, {"k", "b"}};

		for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
			buf_reset(&err);
			if (!CHECK_INT(publish_validate(lists[i].text,
			                                strlen(lists[i].text),
			                                two, 2, NULL, NULL,
			                                &err),
			               lists[i].rc))
				fprintf(stderr, "    list case %zu: %s\n", i,
				        buf_cstr(&err));
		}
	}
	buf_free(&err);
	buf_free(&post);
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

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
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
	one_write = seconds_since(&t0) / 2;
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
	test_validate_body();
	test_validate_injection();
	test_validate_fields();
	test_validate_yaml();
	if (!CHECK(temp_folder(root, sizeof root)))
		return;
	test_lock(root);
	test_write(root);
	test_existing_dates(root);
	test_crash(root);
	remove_tree(root);
}
