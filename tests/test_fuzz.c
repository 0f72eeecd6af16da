#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/check.h"
#include "tests/tests.h"

/* The libFuzzer targets of tests/fuzz/, built into the unit tests to
 * replay the inputs that once broke them: every file of
 * tests/fuzz/crashes/TARGET/ goes through TARGET's entry point in a child
 * process, which must exit 0 within REPLAY_SECONDS. A broken property
 * aborts the child, as it aborts the fuzzer. The targets' static names
 * differ, so that they can share this file. */

#define REPLAY_DIR "tests/fuzz/crashes"
#define REPLAY_SECONDS 60

#define LLVMFuzzerInitialize fuzz_feed_init
#define LLVMFuzzerTestOneInput fuzz_feed_one
#include "tests/fuzz/fuzz_feed.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize fuzz_date_init
#define LLVMFuzzerTestOneInput fuzz_date_one
#include "tests/fuzz/fuzz_date.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_html_one
#include "tests/fuzz/fuzz_html.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_xmlprep_one
#include "tests/fuzz/fuzz_xmlprep.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_xhtml_one
#include "tests/fuzz/fuzz_xhtml.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_charset_one
#include "tests/fuzz/fuzz_charset.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_api_one
#include "tests/fuzz/fuzz_api.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_mustache_one
#include "tests/fuzz/fuzz_mustache.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_llm_one
#include "tests/fuzz/fuzz_llm.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_frontmatter_one
#include "tests/fuzz/fuzz_frontmatter.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_ini_one
#include "tests/fuzz/fuzz_ini.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize fuzz_sources_init
#define LLVMFuzzerTestOneInput fuzz_sources_one
#include "tests/fuzz/fuzz_sources.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_opml_one
#include "tests/fuzz/fuzz_opml.c"
#undef LLVMFuzzerTestOneInput

typedef int (*replay_init_fn)(int *argc, char ***argv);
typedef int (*replay_one_fn)(const uint8_t *data, size_t size);

/* html_swar is fuzz_html over html.c's portable scanning, which this
 * build does not have: its inputs replay through the SSE2 code. */
static const struct replay_target {
	const char *name;
	replay_init_fn init;
	replay_one_fn one;
} replay_targets[] = {
        {"feed", fuzz_feed_init, fuzz_feed_one},
        {"date", fuzz_date_init, fuzz_date_one},
        {"html", NULL, fuzz_html_one},
        {"html_swar", NULL, fuzz_html_one},
        {"xmlprep", NULL, fuzz_xmlprep_one},
        {"xhtml", NULL, fuzz_xhtml_one},
        {"charset", NULL, fuzz_charset_one},
        {"api", NULL, fuzz_api_one},
        {"mustache", NULL, fuzz_mustache_one},
        {"llm", NULL, fuzz_llm_one},
        {"frontmatter", NULL, fuzz_frontmatter_one},
        {"ini", NULL, fuzz_ini_one},
        {"sources", fuzz_sources_init, fuzz_sources_one},
        {"opml", NULL, fuzz_opml_one},
};

static const struct replay_target *replay_target_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof replay_targets / sizeof *replay_targets; i++)
		if (strcmp(replay_targets[i].name, name) == 0)
			return &replay_targets[i];
	return NULL;
}

/* Run t over the file at path in a child: true when it exits 0. */
static bool replay_one(const struct replay_target *t, const char *path)
{
	static char arg0[] = "replay";
	struct buf data = BUF_INIT(0);
	char *args[] = {arg0, NULL}, **argv = args;
	int argc = 1, status;
	pid_t pid;

	if (!check_read_file(path, &data)) {
		buf_free(&data);
		return false;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		alarm(REPLAY_SECONDS);
		if (t->init)
			t->init(&argc, &argv);
		t->one((const uint8_t *)buf_cstr(&data), data.len);
		_exit(0);
	}
	buf_free(&data);
	if (pid < 0)
		return false;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Every input of REPLAY_DIR/name; a folder that names no target fails. */
static void replay_folder(const char *name)
{
	const struct replay_target *t = replay_target_named(name);
	struct buf path = BUF_INIT(0);
	struct dirent *d;
	DIR *dir;

	if (!check_true(t != NULL, name, __FILE__, __LINE__))
		return;
	buf_printf(&path, "%s/%s", REPLAY_DIR, name);
	dir = opendir(buf_cstr(&path));
	if (!CHECK(dir != NULL)) {
		buf_free(&path);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s/%s", REPLAY_DIR, name, d->d_name);
		check_true(replay_one(t, buf_cstr(&path)), buf_cstr(&path),
		           __FILE__, __LINE__);
	}
	closedir(dir);
	buf_free(&path);
}

void test_fuzz(void)
{
	struct buf path = BUF_INIT(0);
	struct dirent *d;
	struct stat st;
	DIR *dir = opendir(REPLAY_DIR);

	if (!CHECK(dir != NULL))
		return;
	while ((d = readdir(dir)) != NULL) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", REPLAY_DIR, d->d_name);
		if (d->d_name[0] != '.' && stat(buf_cstr(&path), &st) == 0 &&
		    S_ISDIR(st.st_mode))
			replay_folder(d->d_name);
	}
	closedir(dir);
	buf_free(&path);
}
