#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/file.h"
#include "common/hash.h"
#include "common/pattern.h"
#include "common/utf8.h"
#include "summarize/engine.h"
#include "tests/check.h"
#include "tests/tests.h"

/* The shared helpers of common/ and the engine's ledger, LLM identity and
 * id matching. */

static void test_hash(void)
{
	char hex[HASH_HEX_LEN];

	/* FNV-1a 64 reference values */
	hash_hex(hash_fnv1a_str(HASH_FNV_OFFSET, ""), hex);
	CHECK_STR(hex, "cbf29ce484222325");
	hash_hex(hash_fnv1a_str(HASH_FNV_OFFSET, "a"), hex);
	CHECK_STR(hex, "af63dc4c8601ec8c");
	hash_hex(hash_fnv1a_str(HASH_FNV_OFFSET, "foobar"), hex);
	CHECK_STR(hex, "85944171f73967e8");
	CHECK(hash_fnv1a(HASH_FNV_OFFSET, "foobar", 6) ==
	      hash_fnv1a_str(HASH_FNV_OFFSET, "foobar"));
	CHECK(hash_fnv1a_str(HASH_FNV_OFFSET, NULL) == HASH_FNV_OFFSET);
	/* fields cannot run together */
	CHECK(hash_fnv1a_field(hash_fnv1a_field(HASH_FNV_OFFSET, "ab"), "c") !=
	      hash_fnv1a_field(hash_fnv1a_field(HASH_FNV_OFFSET, "a"), "bc"));
}

static void test_ascii(void)
{
	CHECK(ascii_isdigit('7') && !ascii_isdigit('a'));
	CHECK(ascii_isalpha('Q') && !ascii_isalpha(0xEA));
	CHECK(ascii_isalnum('z') && !ascii_isalnum('-'));
	CHECK(ascii_isspace('\v') && !ascii_isspace(0xA0));
	CHECK(ascii_isxmlspace('\r') && !ascii_isxmlspace('\v'));
	CHECK_INT(ascii_tolower('A'), 'a');
	CHECK_INT(ascii_tolower(0xC3), 0xC3);
	CHECK_INT(ascii_hexval('f'), 15);
	CHECK_INT(ascii_hexval('g'), -1);
	CHECK_INT(ascii_casecmp("OpenAI", "openai"), 0);
	CHECK(ascii_casecmp("a", "b") < 0);
	CHECK_INT(ascii_ncasecmp("ABCx", "abcy", 3), 0);
	CHECK(ascii_has_prefix_ci("HTTPS://x", "https://"));
	CHECK(!ascii_has_prefix_ci("http", "https://"));
}

static void test_file(void)
{
	char path[] = "/tmp/aidigest-file-XXXXXX";
	struct buf out = BUF_INIT(0), err = BUF_INIT(0), small = BUF_INIT(4);
	struct file_view v;
	char *text;
	int fd = mkstemp(path);

	if (!CHECK(fd >= 0))
		return;
	CHECK_INT(write(fd, "hello, file", 11), 11);
	close(fd);
	CHECK_INT(file_read(path, 100, &out, &err), 0);
	CHECK_STR(buf_cstr(&out), "hello, file");
	/* over the cap: an error, never a short read */
	buf_reset(&out);
	CHECK_INT(file_read(path, 10, &out, &err), ERR_LIMIT);
	CHECK(strstr(buf_cstr(&err), "over the cap of 10 bytes") != NULL);
	/* the buffer's own cap counts too */
	buf_reset(&err);
	CHECK_INT(file_read(path, 100, &small, &err), ERR_LIMIT);
	buf_reset(&err);
	CHECK_INT(file_read("/nonexistent/aidigest", 10, &out, &err),
	          ERR_NOT_FOUND);
	CHECK(strstr(buf_cstr(&err), "No such file") != NULL);
	buf_reset(&err);
	CHECK_INT(file_read("/tmp", 10, &out, &err), ERR_IO);
	CHECK_STR(buf_cstr(&err), "is a directory");
	text = file_read_text(path, 11, &err);
	CHECK_STR(text, "hello, file");
	free(text);
	CHECK_INT(file_view_open(&v, path, 100, &err), 0);
	CHECK_INT(v.len, 11);
	CHECK(v.data && memcmp(v.data, "hello, file", 11) == 0);
	file_view_close(&v);
	CHECK_INT(file_view_open(&v, path, 5, &err), ERR_LIMIT);
	file_view_close(&v);
	unlink(path);
	buf_free(&out);
	buf_free(&err);
	buf_free(&small);
}

static void test_pattern(void)
{
	struct pattern *p = NULL;
	struct buf err = BUF_INIT(0);
	char *s;
	size_t i;

	CHECK_INT(pattern_compile("\\bGPT-\\d", &p, &err), 0);
	CHECK(pattern_matches(p, "new gpt-5 model"));
	CHECK(!pattern_matches(p, "chatgpt"));
	CHECK(!pattern_matches(NULL, "x"));
	CHECK_STR(pattern_source(p), "\\bGPT-\\d");
	CHECK_INT(pattern_count(p, "GPT-4, GPT-5 and gpt-6", 10), 3);
	CHECK_INT(pattern_count(p, "GPT-4, GPT-5 and gpt-6", 2), 2);
	pattern_free(p);
	/* invalid UTF-8 in a subject is matched, not an error */
	CHECK_INT(pattern_compile("모델", &p, &err), 0);
	CHECK(pattern_matches(p, "\xff 새 모델"));
	pattern_free(p);
	/* a hostile pattern stops at the bound: no match, not hours */
	CHECK_INT(pattern_compile("(a+)+$", &p, &err), 0);
	s = malloc(4001);
	for (i = 0; i < 4000; i++)
		s[i] = 'a';
	s[3999] = '!';
	s[4000] = '\0';
	CHECK_INT(pattern_match(p, s, 4000), -1);
	CHECK(!pattern_matches(p, s));
	free(s);
	pattern_free(p);
	CHECK_INT(pattern_compile("(unclosed", &p, &err), ERR_PARSE);
	CHECK(p == NULL);
	CHECK(strstr(buf_cstr(&err), "bad pattern: ") != NULL);
	buf_free(&err);
}

static void test_ledger(void)
{
	struct engine_ledger l;

	engine_ledger_init(&l, 0); /* no budget: anything goes */
	CHECK(engine_ledger_reserve(&l, 1e9));
	engine_ledger_settle(&l, 1e9, 2.5);
	CHECK(l.spent == 2.5 && l.reserved == 0 && !l.hit);
	CHECK(engine_ledger_left(&l) > 1e300);

	engine_ledger_init(&l, 1.0);
	CHECK(engine_ledger_reserve(&l, 0.6));
	/* what is in flight counts: a second call of 0.6 does not fit */
	CHECK(!engine_ledger_reserve(&l, 0.6));
	CHECK(l.hit);
	CHECK(engine_ledger_left(&l) > 0.39 && engine_ledger_left(&l) < 0.41);
	/* the first cost less than its estimate: the room comes back */
	engine_ledger_settle(&l, 0.6, 0.1);
	CHECK(engine_ledger_reserve(&l, 0.6));
	engine_ledger_settle(&l, 0.6, 0.7);
	CHECK(l.spent > 0.79 && l.spent < 0.81);
	CHECK(engine_ledger_left(&l) > 0.19 && engine_ledger_left(&l) < 0.21);
}

/* Who answers: what changes the answer changes the identity, and
 * nothing else does. */
static void test_identity(void)
{
	struct llm_profile a, b;
	char version[ENGINE_VERSION_MAX];
	uint64_t id;

	memset(&a, 0, sizeof a);
	a.ep.provider = LLM_OPENAI;
	a.ep.base_url = "https://api.example/v1";
	a.ep.model = "m1";
	id = llm_profile_identity(&a);
	b = a;
	b.ep.api_key = "sk-other";
	b.ep.timeout = 5;
	b.price_in = 3;
	b.ep.base_url = "https://api.example/v1//";
	b.ep.reasoning_effort = "high"; /* not sent: not a reasoning model */
	CHECK(llm_profile_identity(&b) == id);
	b = a;
	b.ep.model = "m2";
	CHECK(llm_profile_identity(&b) != id);
	b = a;
	b.ep.base_url = "https://proxy.example/v1";
	CHECK(llm_profile_identity(&b) != id);
	b = a;
	b.ep.provider = LLM_ANTHROPIC;
	CHECK(llm_profile_identity(&b) != id);
	b = a;
	b.ep.reasoning = LLM_REASONING_YES;
	CHECK(llm_profile_identity(&b) != id);
	id = llm_profile_identity(&b);
	b.ep.reasoning_effort = "low";
	CHECK(llm_profile_identity(&b) != id);
	engine_cache_version(&a, "judge-0123456789ab", version);
	CHECK_INT(strlen(version), 18 + 1 + 16);
	CHECK(strncmp(version, "judge-0123456789ab@", 19) == 0);
}

struct match_seen {
	int calls;
	size_t k[8];
};

static int match_take(void *ctx, size_t k, json_t *answer)
{
	struct match_seen *m = ctx;

	if (json_integer_value(json_object_get(answer, "score")) > 10)
		return ERR_PARSE; /* rejected: the id stays open */
	m->k[m->calls++] = k;
	return 0;
}

static void test_match_ids(void)
{
	static const char *const ids[] = {"11", "12", "13"};
	json_t *arr = json_loads("[{\"id\":\"12\",\"score\":4},"
	                         "{\"id\":\"99\",\"score\":4},"
	                         "{\"id\":\"13\",\"score\":40},"
	                         "{\"score\":4},"
	                         "{\"id\":\"12\",\"score\":9},"
	                         "{\"id\":\"13\",\"score\":7}]",
	                         0, NULL);
	struct match_seen m;
	bool seen[3] = {false, false, false};

	memset(&m, 0, sizeof m);
	engine_match_ids(arr, ids, 3, seen, match_take, &m);
	/* unknown and id-less dropped; a repeat keeps the first that stood;
	 * a rejected answer leaves room for a later one */
	CHECK_INT(m.calls, 2);
	CHECK_INT(m.k[0], 1);
	CHECK_INT(m.k[1], 2);
	CHECK(!seen[0] && seen[1] && seen[2]);
	json_decref(arr);
}

static void test_visible(void)
{
	struct buf b = BUF_INIT(0);

	CHECK_INT(utf8_control_len("\x1b[2J", 4), 1);
	CHECK_INT(utf8_control_len("\t", 1), 0);
	CHECK_INT(utf8_control_len("\n", 1), 0);
	CHECK_INT(utf8_control_len("\r", 1), 1);
	CHECK_INT(utf8_control_len("\x7f", 1), 1);
	CHECK_INT(utf8_control_len("\xc2\x9b", 2), 2); /* C1 CSI */
	CHECK_INT(utf8_control_len("\xc2\xa0", 2), 0); /* no-break space */
	CHECK_INT(utf8_control_len("\xc2", 1), 0);
	CHECK_INT(utf8_control_len("\xea\xb0\x80", 3), 0);
	CHECK_INT(utf8_append_visible(&b,
	                              "a\x1b]0;x\x07"
	                              "b\xc2\x9b"
	                              "c\td\n",
	                              15),
	          0);
	CHECK_STR(buf_cstr(&b), "a]0;xbc\td\n");
	buf_free(&b);
}

void test_helpers(void)
{
	test_visible();
	test_hash();
	test_ascii();
	test_file();
	test_pattern();
	test_ledger();
	test_identity();
	test_match_ids();
}
