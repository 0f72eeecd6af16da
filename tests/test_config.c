#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/ini.h"
#include "tests/check.h"
#include "tests/tests.h"

static void test_ini(void)
{
	static const char text[] =
	        "# comment\n"
	        "top = level\n"
	        "[digest]\n"
	        "timezone = +09:00   \n"
	        "  ; another comment\n"
	        "name = \"quoted \\\"value\\\" with # and ;\"\n"
	        "[judge.a]\n"
	        "model=gpt\n"
	        "model = later wins\n"
	        "no equals sign\n"
	        "[broken\n"
	        " = no key\n"
	        "q = \"unterminated\n";
	struct buf err = BUF_INIT(0);
	struct ini ini;

	CHECK_INT(ini_parse(text, strlen(text), "t.conf", &ini, &err), 4);
	CHECK_STR(ini_get(&ini, "", "top"), "level");
	CHECK_STR(ini_get(&ini, "digest", "timezone"), "+09:00");
	CHECK_STR(ini_get(&ini, "digest", "name"),
	          "quoted \"value\" with # and ;");
	CHECK_STR(ini_get(&ini, "judge.a", "model"), "later wins");
	CHECK_INT(ini_find(&ini, "judge.a", "model")->line, 9);
	CHECK(ini_get(&ini, "digest", "model") == NULL);
	CHECK(strstr(buf_cstr(&err), "t.conf:10: expected key = value") !=
	      NULL);
	CHECK(strstr(buf_cstr(&err), "t.conf:11: malformed section header") !=
	      NULL);
	CHECK(strstr(buf_cstr(&err), "t.conf:12: a key is missing") != NULL);
	CHECK(strstr(buf_cstr(&err), "t.conf:13: unterminated quoted value") !=
	      NULL);
	ini_free(&ini);
	buf_free(&err);
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/aidigest-conf-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		if (fd >= 0)
			close(fd);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static void test_config_load(void)
{
	struct buf err = BUF_INIT(0), warn = BUF_INIT(0);
	struct config c;
	const char *home = getenv("HOME");
	char *saved_home = home ? strdup(home) : NULL;
	char *path;

	/* nothing to read: built-in defaults, never the current folder */
	unsetenv("AIDIGEST_CONFIG");
	setenv("HOME", "/nonexistent-aidigest-home", 1);
	CHECK_INT(config_load(NULL, &c, &err, &warn), 0);
	CHECK(c.path == NULL);
	CHECK_INT(c.tz_offset_sec, 9 * 3600);
	CHECK_INT(c.transfers, 16);
	CHECK_INT(c.per_host, 2);
	CHECK_INT(c.timeout, 30);
	CHECK_INT(c.deadline, 150);
	CHECK_INT(c.max_bytes, 16 << 20);
	config_free(&c);

	path = write_temp("[digest]\ntimezone = -05:00\nfeeds = ~/f.txt\n"
	                  "stale_days = 7\n[fetch]\ntransfers = 4\n"
	                  "max_bytes = 2M\nsurprise = 1\n[judge.x]\nmodel = m\n"
	                  "[mystery]\nk = v\n");
	if (!CHECK(path != NULL))
		return;
	CHECK_INT(config_load(path, &c, &err, &warn), 0);
	CHECK_STR(c.path, path);
	CHECK_INT(c.tz_offset_sec, -5 * 3600);
	CHECK_STR(c.feeds, "/nonexistent-aidigest-home/f.txt");
	CHECK_INT(c.stale_days, 7);
	CHECK_INT(c.transfers, 4);
	CHECK_INT(c.max_bytes, 2 << 20);
	CHECK(strstr(buf_cstr(&warn), "unknown key 'surprise' in [fetch]") !=
	      NULL);
	CHECK(strstr(buf_cstr(&warn), "unknown section [mystery]") != NULL);
	/* later sections are kept for their modules */
	CHECK_STR(ini_get(&c.ini, "judge.x", "model"), "m");
	config_free(&c);

	/* $AIDIGEST_CONFIG is read when -c is not given */
	setenv("AIDIGEST_CONFIG", path, 1);
	CHECK_INT(config_load(NULL, &c, &err, &warn), 0);
	CHECK_STR(c.path, path);
	config_free(&c);
	unsetenv("AIDIGEST_CONFIG");
	unlink(path);
	free(path);

	/* bad values are errors with their line */
	path = write_temp(
	        "[digest]\ntimezone = noon\n[fetch]\ntransfers = 0\n");
	buf_reset(&err);
	CHECK_INT(config_load(path, &c, &err, &warn), ERR_PARSE);
	CHECK(strstr(buf_cstr(&err), ":2: digest.timezone wants an offset") !=
	      NULL);
	CHECK(strstr(buf_cstr(&err),
	             ":4: fetch.transfers wants a number from 1") != NULL);
	config_free(&c);
	unlink(path);
	free(path);

	/* a named file that does not exist */
	buf_reset(&err);
	CHECK_INT(config_load("/nonexistent/aidigest.conf", &c, &err, &warn),
	          ERR_NOT_FOUND);
	CHECK(strstr(buf_cstr(&err), "/nonexistent/aidigest.conf") != NULL);
	config_free(&c);
	/* a folder is not an empty configuration */
	buf_reset(&err);
	CHECK_INT(config_load("/tmp", &c, &err, &warn), ERR_IO);
	CHECK_STR(buf_cstr(&err), "/tmp: is a directory\n");
	config_free(&c);
	buf_free(&err);
	buf_free(&warn);
	if (saved_home)
		setenv("HOME", saved_home, 1);
	free(saved_home);
}

void test_config(void)
{
	test_ini();
	test_config_load();
}
