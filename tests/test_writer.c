#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common/buf.h"
#include "common/ini.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/http.h"
#include "store/store.h"
#include "common/err.h"
#include "summarize/text.h"
#include "summarize/writer.h"
#include "tests/check.h"
#include "tests/server_child.h"
#include "tests/test_llm.h"
#include "tests/tests.h"

#define WRITER_TEST_KEY_VAR "AIDIGEST_TEST_WRITER_KEY"
#define WRITER_TEST_NO_KEY_VAR "AIDIGEST_TEST_WRITER_NO_KEY"

/* Load a configuration from text; err and notices collect messages. */
static int writer_test_load(const char *text, struct writer_config *c,
                            struct buf *err, struct buf *notices)
{
	struct ini ini;
	int rc;

	buf_reset(err);
	buf_reset(notices);
	ini_parse(text, strlen(text), "test.conf", &ini, err);
	rc = writer_config_load(&ini, "test.conf", c, err, notices);
	ini_free(&ini);
	return rc;
}

static bool writer_test_has_url(const char *s)
{
	static const char *const marks[] = {"http:", "https:", "www.", "](",
	                                    "HTTP"};
	size_t i;

	for (i = 0; i < sizeof marks / sizeof *marks; i++)
		if (strstr(s, marks[i]))
			return true;
	return false;
}

static bool writer_test_hangul(const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;

	while (i < n) {
		i += utf8_decode(s + i, n - i, &cp);
		if (cp >= 0xAC00 && cp <= 0xD7A3)
			return true;
	}
	return false;
}

/* A slot as every slot must be: there, valid UTF-8, Korean (tags may
 * not be), without a URL, bounded. */
static void writer_test_slot(const char *what, const char *s, bool korean)
{
	bool ok = s && *s && utf8_valid_prefix(s, strlen(s)) == strlen(s) &&
	          (!korean || writer_test_hangul(s)) &&
	          !writer_test_has_url(s) && utf8_count(s, strlen(s)) <= 1200;

	if (!CHECK(ok))
		fprintf(stderr, "  slot %s: '%s'\n", what, s ? s : "(null)");
}

static void writer_test_output(const struct writer_output *o, size_t n,
                               size_t ncats)
{
	size_t i;

	writer_test_slot("title", o->title, true);
	writer_test_slot("description", o->description, true);
	writer_test_slot("intro", o->intro, true);
	writer_test_slot("viewpoint", o->viewpoint, true);
	writer_test_slot("overview_title", o->overview_title, true);
	CHECK(o->ntags >= 3 && o->ntags <= 6);
	for (i = 0; i < o->ntags; i++)
		writer_test_slot("tag", o->tags[i], false);
	CHECK_INT(o->nheadings, ncats);
	for (i = 0; i < o->nheadings; i++)
		writer_test_slot("heading", o->headings[i], true);
	CHECK_INT(o->npieces, n);
	for (i = 0; i < o->npieces; i++) {
		writer_test_slot("oneliner", o->pieces[i].oneliner, true);
		writer_test_slot("summary", o->pieces[i].summary, true);
		writer_test_slot("piece title", o->pieces[i].title, false);
	}
}

/* Configurations the writer refuses, and what it says. */
static const struct {
	const char *conf, *want;
} writer_test_bad[] = {
        {"[writer]\nprovider = bard\nmodel = m\n",
         "test.conf:2: [writer] provider is openai or anthropic, not "
         "'bard'\n"},
        {"[writer]\nmodel = m\nprice_in = cheap\n",
         "test.conf:3: [writer] price_in wants a number from 0 to "
         "1e+06, not 'cheap'\n"},
        {"[writer]\nmodel = m\ntimeout = 0\n",
         "test.conf:3: [writer] timeout wants a number from 1 to 3600, "
         "not '0'\n"},
        {"[writer]\nmodel = m\ncolour = blue\n",
         "test.conf:3: [writer] has no key 'colour'\n"},
        {"[writer]\nmodel = m\nmax_tokens = 10\n",
         "test.conf:3: [writer] max_tokens wants a number from 1024 to "
         "1e+06, not '10'\n"},
        {"[writer]\nmodel = m\nreasoning = maybe\n",
         "test.conf:3: [writer] reasoning is auto, yes or no, not "
         "'maybe'\n"},
        {"[writer]\nmodel = m\nreasoning_effort = max\n",
         "test.conf:3: [writer] reasoning_effort is minimal, low, "
         "medium or high, not 'max'\n"},
        {"\n[writer]\nprovider = openai\n",
         "test.conf:3: [writer] needs a model (leave [writer] out for "
         "the extractive writer)\n"},
        {"[writer]\nmodel = m\nbase_url = ftp://x\n",
         "test.conf:3: [writer] base_url is an http(s) URL, not "
         "'ftp://x'\n"},
        {"[writer]\nmodel = m\nprompt = /nonexistent/writer.txt\n",
         "test.conf:3: [writer] prompt: cannot read "
         "'/nonexistent/writer.txt' (No such file or directory)\n"},
        {"[glossary]\nTransformer = 변환기\n",
         "test.conf:2: [glossary] 'Transformer' takes no value: list "
         "terms as `terms = a, b` or one `TERM =` a line\n"},
};

static void test_writer_config(void)
{
	struct writer_config c;
	struct buf err = BUF_INIT(0), notices = BUF_INIT(0);
	char path[] = "/tmp/aidigest-writer-prompt-XXXXXX";
	size_t i;
	int fd;

	/* no [writer]: extractive; the glossary in both forms, deduplicated */
	CHECK_INT(writer_test_load("[glossary]\n"
	                           "terms = Transformer, self-attention,, "
	                           "GPT-4o\n"
	                           "Mixture of Experts =\n"
	                           "transformer =\n",
	                           &c, &err, &notices),
	          0);
	CHECK_STR(buf_cstr(&err), "");
	CHECK_STR(buf_cstr(&notices), "");
	CHECK(!c.llm);
	CHECK_INT(c.nglossary, 4);
	if (c.nglossary == 4) {
		CHECK_STR(c.glossary[0], "Transformer");
		CHECK_STR(c.glossary[1], "self-attention");
		CHECK_STR(c.glossary[2], "GPT-4o");
		CHECK_STR(c.glossary[3], "Mixture of Experts");
	}
	CHECK(strstr(c.prompt, "Transformer, self-attention, GPT-4o, "
	                       "Mixture of Experts") != NULL);
	CHECK(strstr(c.prompt, "{glossary}") == NULL);
	CHECK(strstr(c.prompt, "{categories}") != NULL);
	CHECK(strncmp(c.prompt_version, "writer-", 7) == 0);
	CHECK_INT(c.text_max, 1500);
	CHECK_INT(c.max_tokens, 8192);
	CHECK(strncmp(c.rewrite_version, "rewrite-", 8) == 0);
	CHECK(strstr(c.rewrite_prompt, "Transformer, self-attention") != NULL);
	writer_config_free(&c);

	/* a key variable that is not set: a notice, the extractive writer */
	unsetenv(WRITER_TEST_NO_KEY_VAR);
	CHECK_INT(writer_test_load("[writer]\nprovider = anthropic\n"
	                           "model = claude-x\n"
	                           "api_key_env = " WRITER_TEST_NO_KEY_VAR "\n",
	                           &c, &err, &notices),
	          0);
	CHECK(!c.llm);
	CHECK_STR(buf_cstr(&notices),
	          "writer skipped: $" WRITER_TEST_NO_KEY_VAR " is not set\n");
	CHECK(c.profile.ep.api_key == NULL);
	writer_config_free(&c);

	/* a key that is set: the LLM writer, defaults filled */
	setenv(WRITER_TEST_KEY_VAR, "sk-writer-secret", 1);
	CHECK_INT(writer_test_load("[writer]\nprovider = anthropic\n"
	                           "model = claude-x\n"
	                           "api_key_env = " WRITER_TEST_KEY_VAR "\n"
	                           "price_in = 3\nprice_out = 15\n"
	                           "timeout = 30\ntext_max = 800\n"
	                           "max_tokens = 16000\nreasoning = yes\n"
	                           "reasoning_effort = low\n",
	                           &c, &err, &notices),
	          0);
	CHECK_STR(buf_cstr(&err), "");
	CHECK(c.llm);
	CHECK_INT(c.profile.ep.provider, LLM_ANTHROPIC);
	CHECK_STR(c.profile.ep.base_url, "https://api.anthropic.com/v1");
	CHECK_STR(c.profile.ep.model, "claude-x");
	CHECK_STR(c.profile.ep.api_key, "sk-writer-secret");
	CHECK_INT(c.profile.ep.timeout, 30);
	CHECK_INT(c.text_max, 800);
	CHECK_INT(c.max_tokens, 16000);
	CHECK_INT(c.profile.ep.reasoning, LLM_REASONING_YES);
	CHECK_STR(c.profile.ep.reasoning_effort, "low");
	CHECK(c.profile.price_in == 3 && c.profile.price_out == 15);
	CHECK(strstr(c.prompt, "(none given)") != NULL);
	writer_config_free(&c);
	CHECK_INT(writer_test_load("[writer]\nmodel = gpt-x\n", &c, &err,
	                           &notices),
	          0);
	CHECK(c.llm);
	CHECK_INT(c.profile.ep.provider, LLM_OPENAI);
	CHECK_STR(c.profile.ep.base_url, "https://api.openai.com/v1");
	CHECK(c.profile.ep.api_key == NULL);
	CHECK_INT(c.profile.ep.timeout, 120);
	writer_config_free(&c);

	for (i = 0; i < sizeof writer_test_bad / sizeof *writer_test_bad; i++) {
		CHECK_INT(writer_test_load(writer_test_bad[i].conf, &c, &err,
		                           &notices),
		          ERR_PARSE);
		CHECK_STR(buf_cstr(&err), writer_test_bad[i].want);
		CHECK(!c.llm);
		writer_config_free(&c);
	}

	/* a prompt of one's own */
	fd = mkstemp(path);
	if (CHECK(fd >= 0)) {
		struct buf conf = BUF_INIT(0);
		static const char prompt[] = "Keep {glossary} as written.\n";

		CHECK_INT(write(fd, prompt, strlen(prompt)),
		          (long)strlen(prompt));
		close(fd);
		buf_printf(&conf,
		           "[writer]\nmodel = m\nprompt = %s\n[glossary]\n"
		           "terms = Transformer\n",
		           path);
		CHECK_INT(writer_test_load(buf_cstr(&conf), &c, &err, &notices),
		          0);
		CHECK_STR(c.prompt, "Keep Transformer as written.\n");
		writer_config_free(&c);
		unlink(path);
		buf_free(&conf);
	}
	buf_free(&err);
	buf_free(&notices);
}

static void test_text_strip_urls(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	        {"see https://example.com/a for more", "see for more"},
	        {"자세한 내용은 https://example.com/a?b=1 에서.",
	         "자세한 내용은 에서."},
	        {"[원문](https://example.com/post) 참고.", "원문 참고."},
	        {"![그림](http://x.test/y.png)", "그림"},
	        {"(www.example.com/news)", ""},
	        {"<https://example.org/x> 끝", "끝"},
	        {"link (https://en.wikipedia.org/wiki/Foo_(bar)) here",
	         "link here"},
	        {"HTTPS://EXAMPLE.COM/X yes", "yes"},
	        {"a https://x.test/z, b", "a, b"},
	        {"read https://x.test/z.", "read."},
	        {"모델글https://x.test/z뒤", "모델글뒤"},
	        {"http://", ""},
	        {"", ""},
	        /* left as they are */
	        {"no url here, e.g. example.com",
	         "no url here, e.g. example.com"},
	        {"awww.com is a word", "awww.com is a word"},
	        {"[not a link] (text)", "[not a link] (text)"},
	        {"spaces  stay  when nothing goes",
	         "spaces  stay  when nothing goes"},
	        {"end https://x.test/y. Next", "end. Next"},
	        {"wait... https://x.test/y", "wait..."},
	        {"a (www.x.test)", "a"},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *s = xstrdup(cases[i].in);

		text_strip_urls(s);
		CHECK_STR(s, cases[i].want);
		free(s);
	}
	text_strip_urls(NULL);
}

static const struct writer_category writer_test_cats[] = {
        {"research", "연구"},
        {"models", "모델"},
        {"industry", "산업·비즈니스"},
};

/* Stories the extractive writer writes about. */
static const struct writer_story korean[] = {
        {1, "오픈AI, 새 추론 모델 공개", "연구소",
         "오픈AI가 새 추론 모델을 공개했습니다. 수학 점수가 크게 "
         "올랐습니다. 가격은 그대로입니다.",
         "models"},
        {2, "국내 연구진, 효율적인 어텐션 기법 발표", "뉴스룸",
         "국내 연구진이 메모리를 절반만 쓰는 어텐션 기법을 "
         "발표했습니다. 자세한 내용은 https://example.kr/paper 에서 "
         "볼 수 있습니다.",
         "research"},
        {3, "AI 스타트업 투자 유치", "", NULL, "industry"},
};
static const struct writer_story english[] = {
        {11, "Foo 2 is out https://t.co/abc", "lab",
         "Foo 2 is out https://t.co/abc. We released Foo 2 today, with "
         "a new Transformer kernel. It is faster. See "
         "https://foo.ai/blog for more.",
         "models"},
        {12, "New benchmark for agents", "foo-blog",
         "We present a benchmark, i.e. a set of 500 tasks. Agents "
         "struggle.",
         "research"},
        {13, "Startup raises $10M", "newsroom", "", "nope"},
        {14,
         "\xff\xfe"
         "Bad bytes\xc3",
         "x",
         "Text \xe2\x80\xae with a bidi "
         "override.",
         NULL},
};
static void test_writer_extractive(void)
{

	struct writer_config cfg;
	struct writer_output o;
	struct buf err = BUF_INIT(0), notices = BUF_INIT(0);
	char *long_text;
	size_t i;

	CHECK_INT(writer_test_load("[glossary]\nterms = Transformer\n", &cfg,
	                           &err, &notices),
	          0);

	/* Korean stories */
	CHECK_INT(writer_write(&cfg, NULL, korean, 3, writer_test_cats, 3, &o,
	                       &err),
	          0);
	writer_test_output(&o, 3, 3);
	CHECK(!o.by_llm);
	CHECK_INT(o.replaced, 0);
	CHECK_INT(o.use.requests, 0);
	CHECK_STR(o.note, "");
	/* the frames take turns; 연구소 ends in a vowel: 가 */
	CHECK_STR(o.pieces[0].oneliner,
	          "연구소가 「오픈AI, 새 추론 모델 공개」 소식을 전했습니다.");
	CHECK_STR(o.pieces[1].oneliner,
	          "뉴스룸에서 「국내 연구진, 효율적인 "
	          "어텐션 기법 발표」 소식이 나왔습니다.");
	CHECK_STR(o.pieces[2].oneliner,
	          "「AI 스타트업 투자 유치」 소식입니다.");
	/* the first short sentence takes the second along */
	CHECK_STR(o.pieces[0].summary, "오픈AI가 새 추론 모델을 공개했습니다. "
	                               "수학 점수가 크게 올랐습니다.");
	CHECK_STR(o.pieces[1].summary,
	          "국내 연구진이 메모리를 절반만 쓰는 어텐션 기법을 "
	          "발표했습니다. 자세한 내용은 에서 볼 수 있습니다.");
	/* no text: the title, and 치 takes 는 */
	CHECK_STR(o.pieces[2].summary,
	          "「AI 스타트업 투자 유치」는 오늘 전해진 소식으로, 자세한 "
	          "내용은 원문에서 확인할 수 있습니다.");
	CHECK_STR(o.pieces[0].title, "오픈AI, 새 추론 모델 공개");
	CHECK_STR(o.headings[0], "연구");
	CHECK_STR(o.headings[2], "산업·비즈니스");
	CHECK_STR(o.overview_title, "오늘의 AI 소식 종합");
	CHECK_STR(o.title, "오늘의 AI 소식: 오픈AI, 새 추론 모델 공개 외 2건");
	CHECK(strstr(o.intro, "AI 소식 3건") != NULL);
	CHECK(strstr(o.intro, "연구소가 전한 「오픈AI, 새 추론 모델 공개」"
	                      "입니다.") != NULL);
	CHECK(strstr(o.intro, "연구, 모델, 산업·비즈니스 분야") != NULL);
	CHECK(strncmp(o.viewpoint,
	              "자동 작성 의견: ", strlen("자동 작성 의견: ")) == 0);
	CHECK(strstr(o.viewpoint, "고루 나뉘어") != NULL);
	CHECK_STR(o.tags[0], "AI 뉴스");
	writer_output_free(&o);

	/* English stories: the lead quoted, particles after Latin endings */
	CHECK_INT(writer_write(&cfg, NULL, english, 4, writer_test_cats, 3, &o,
	                       &err),
	          0);
	writer_test_output(&o, 4, 3);
	CHECK_STR(o.pieces[0].title, "Foo 2 is out");
	/* "lab" cannot be told (랩): the neutral form */
	CHECK_STR(o.pieces[0].oneliner,
	          "lab이(가) 「Foo 2 is out」 소식을 전했습니다.");
	/* the title repeated at the start of the text is passed over */
	CHECK_STR(o.pieces[0].summary,
	          "lab은(는) \xE2\x80\x9CWe released Foo 2 today, with a new "
	          "Transformer kernel. It is faster.\xE2\x80\x9D라고 "
	          "전했습니다.");
	/* "i.e." ends no sentence; blog 블로그 takes 는 */
	CHECK_STR(o.pieces[1].summary,
	          "foo-blog는 \xE2\x80\x9CWe present a benchmark, i.e. a set "
	          "of 500 tasks. Agents struggle.\xE2\x80\x9D라고 전했습니다.");
	CHECK_STR(o.pieces[2].oneliner,
	          "「Startup raises $10M」 소식을 newsroom에서 전했습니다.");
	/* M (엠) ends in a consonant */
	CHECK_STR(
	        o.pieces[2].summary,
	        "「Startup raises $10M」은 newsroom에서 전한 소식으로, 자세한 "
	        "내용은 원문에서 확인할 수 있습니다.");
	CHECK(strstr(o.pieces[3].title, "Bad bytes") != NULL);
	CHECK(strstr(o.pieces[3].summary, "\xe2\x80\xae") == NULL);
	/* the category of a story is counted; an unknown one is not */
	CHECK(strstr(o.viewpoint, "모델 분야가 1건") == NULL);
	CHECK(strstr(o.viewpoint, "고루 나뉘어") != NULL);
	/* the glossary term a title names becomes a tag only when named */
	for (i = 0; i < o.ntags; i++)
		CHECK(strcmp(o.tags[i], "Transformer") != 0);
	writer_output_free(&o);

	/* a long text with no sentence end: cut, with an ellipsis */
	{
		struct buf b = BUF_INIT(0);
		struct writer_story s = {21, "Long", "src", NULL, "models"};

		for (i = 0; i < 600; i++)
			buf_puts(&b, "word ");
		long_text = buf_detach(&b);
		s.text = long_text;
		CHECK_INT(writer_write(&cfg, NULL, &s, 1, writer_test_cats, 3,
		                       &o, &err),
		          0);
		writer_test_output(&o, 1, 3);
		CHECK(utf8_count(o.pieces[0].summary,
		                 strlen(o.pieces[0].summary)) <= 600);
		CHECK(strstr(o.pieces[0].summary, "\xE2\x80\xA6") != NULL);
		CHECK(strstr(o.viewpoint, "모델 분야가 1건") != NULL);
		CHECK(strstr(o.intro, "src가 전한 「Long」 소식 한 건") !=
		      NULL);
		writer_output_free(&o);
		free(long_text);
	}

	/* no stories at all, no categories */
	CHECK_INT(writer_write(&cfg, NULL, NULL, 0, NULL, 0, &o, &err), 0);
	writer_test_output(&o, 0, 0);
	writer_output_free(&o);
	CHECK_INT(writer_write(&cfg, NULL, NULL, 2, NULL, 0, &o, &err),
	          ERR_USAGE);
	writer_config_free(&cfg);
	buf_free(&err);
	buf_free(&notices);
}

/* The particles after a text: 「TEXT」 + 은/는 in the summary of a story
 * without text, TEXT + 이/가 in the one-liner when TEXT is the source. */
static void test_writer_particles(void)
{
	static const struct {
		const char *text, *eun, *i;
	} cases[] = {
	        {"새 모델 공개", "는", "가"},
	        {"오픈소스 모델", "은", "이"}, /* ㄹ */
	        {"추론 엔진", "은", "이"},
	        {"뉴스룸", "은", "이"},
	        {"연구소", "는", "가"},
	        {"LLM", "은", "이"},
	        {"Transformer", "는", "가"},
	        {"Google", "은", "이"},
	        {"Apple", "는", "가"},
	        {"Kaggle", "은(는)", "이(가)"},
	        {"Llama 3 (8B)", "은", "이"},
	        {"OpenAI", "는", "가"},
	        {"GPT-4o", "는", "가"},
	        {"Anthropic", "은", "이"},
	        {"Price cut by 50%", "는", "가"},
	        {"DeepSeek", "은(는)", "이(가)"},
	        {"Claude", "는", "가"},
	        {"Mistral", "은", "이"},
	        {"Sonnet", "은", "이"},
	        {"GitHub", "는", "가"},
	        {"R1", "은", "이"},
	        {"「인용」 안의 제목", "은", "이"},
	        {"版本", "은(는)", "이(가)"},
	        {"Qwen", "은", "이"},
	        {"Hello!", "는", "가"},
	        {"Slack", "은", "이"},
	        {"Hugging Face", "는", "가"},
	};
	struct writer_output o;
	struct buf err = BUF_INIT(0), want = BUF_INIT(0);
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct writer_story s = {1, cases[i].text, cases[i].text, "",
		                         NULL};

		CHECK_INT(writer_write(NULL, NULL, &s, 1, NULL, 0, &o, &err),
		          0);
		buf_reset(&want);
		buf_printf(&want, "「%s」%s ", cases[i].text, cases[i].eun);
		if (!CHECK(strncmp(o.pieces[0].summary, buf_cstr(&want),
		                   want.len) == 0))
			fprintf(stderr, "  got '%s'\n", o.pieces[0].summary);
		buf_reset(&want);
		buf_printf(&want, "%s%s 「", cases[i].text, cases[i].i);
		if (!CHECK(strncmp(o.pieces[0].oneliner, buf_cstr(&want),
		                   want.len) == 0))
			fprintf(stderr, "  got '%s'\n", o.pieces[0].oneliner);
		writer_output_free(&o);
	}
	buf_free(&err);
	buf_free(&want);
}

static const struct writer_story writer_test_stories[] = {
        {101, "Transformer inference gets 2x faster with a new kernel", "lab",
         "The new kernel speeds up Transformer inference by 2x. It uses "
         "self-attention tricks.",
         "research"},
        {102, "GPT-4o price cut announced", "openai",
         "OpenAI cut GPT-4o prices by half.", "models"},
        {103, "Startup raises $10M for agents", "news",
         "An agents startup raised $10M.", "industry"},
};

/* Write the three stories with the fake server's MODEL, with a cache
 * (NULL: none) and a budget (negative: none); the base URL's path (NULL:
 * "/v1") and more [writer] keys (NULL: none) when given. */
static void writer_test_llm_at(int port, const char *path, const char *more,
                               const char *provider, const char *model,
                               const char *key_var, struct store *cache,
                               double budget, struct writer_output *o)
{
	struct writer_config cfg;
	struct buf conf = BUF_INIT(0), err = BUF_INIT(0), notices = BUF_INIT(0);
	struct engine_ledger ledger;
	struct engine_run run;

	buf_printf(&conf,
	           "[writer]\nprovider = %s\nbase_url = http://127.0.0.1:%d%s\n"
	           "model = %s\napi_key_env = %s\nprice_in = 2\n"
	           "price_out = 8\ntimeout = 10\n%s"
	           "[glossary]\nterms = Transformer, self-attention, GPT-4o\n",
	           provider, port, path ? path : "/v1", model, key_var,
	           more ? more : "");
	CHECK_INT(writer_test_load(buf_cstr(&conf), &cfg, &err, &notices), 0);
	CHECK(cfg.llm);
	engine_ledger_init(&ledger, budget >= 0 ? budget : 0);
	if (budget == 0)
		ledger.max_usd = 1e-12; /* nothing may be spent */
	run.cache = cache;
	run.ledger = &ledger;
	CHECK_INT(writer_write(&cfg, &run, writer_test_stories, 3,
	                       writer_test_cats, 3, o, &err),
	          0);
	writer_test_output(o, 3, 3);
	writer_config_free(&cfg);
	buf_free(&conf);
	buf_free(&err);
	buf_free(&notices);
}

static void writer_test_llm_with(int port, const char *provider,
                                 const char *model, const char *key_var,
                                 struct store *cache, double budget,
                                 struct writer_output *o)
{
	writer_test_llm_at(port, NULL, NULL, provider, model, key_var, cache,
	                   budget, o);
}

static void writer_test_llm(int port, const char *provider, const char *model,
                            const char *key_var, struct writer_output *o)
{
	writer_test_llm_with(port, provider, model, key_var, NULL, -1, o);
}

/* The cache: a second writing of the same stories sends nothing; a
 * cached reply that is not the writer's JSON is written again; a failed
 * call is not kept. The budget: a call over it is not sent. */
static void test_writer_cache_budget(int port)
{
	struct writer_output o, first;
	struct buf err = BUF_INIT(0);
	struct store *st = NULL;
	sqlite3 *db = NULL;
	char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/aidigest-writer-XXXXXX");
	fd = mkstemp(path);
	if (!CHECK(fd >= 0))
		return;
	close(fd);
	if (!CHECK_INT(store_open(path, &st, &err), 0))
		goto out;

	writer_test_llm_with(port, "openai", "writer", WRITER_TEST_KEY_VAR, st,
	                     -1, &first);
	CHECK(first.by_llm && !first.cached);
	CHECK_INT(first.use.requests, 1);
	CHECK(first.use.usd > 0);
	writer_test_llm_with(port, "openai", "writer", WRITER_TEST_KEY_VAR, st,
	                     -1, &o);
	CHECK(o.by_llm && o.cached);
	CHECK_INT(o.use.requests, 0);
	CHECK(o.use.usd == 0 && o.use.tokens_in == 0);
	CHECK_STR(o.note, "");
	CHECK_STR(o.pieces[0].oneliner, first.pieces[0].oneliner);
	CHECK_STR(o.pieces[2].summary, first.pieces[2].summary);
	CHECK_STR(o.viewpoint, first.viewpoint);
	CHECK_STR(o.title, first.title);
	writer_output_free(&o);
	/* another model is another call */
	writer_test_llm_with(port, "anthropic", "writer", WRITER_TEST_KEY_VAR,
	                     st, -1, &o);
	CHECK(o.by_llm && !o.cached);
	CHECK_INT(o.use.requests, 1);
	writer_output_free(&o);
	/* and so is the same model behind another endpoint, or with another
	 * reasoning setting (issue 10, defect 8) */
	writer_test_llm_at(port, "/proxy/v1", NULL, "openai", "writer",
	                   WRITER_TEST_KEY_VAR, st, -1, &o);
	CHECK(o.by_llm && !o.cached);
	CHECK_INT(o.use.requests, 1);
	writer_output_free(&o);
	writer_test_llm_at(port, "/proxy/v1", NULL, "openai", "writer",
	                   WRITER_TEST_KEY_VAR, st, -1, &o);
	CHECK(o.by_llm && o.cached);
	CHECK_INT(o.use.requests, 0);
	writer_output_free(&o);
	writer_test_llm_at(port, "/proxy/v1", "reasoning = yes\n", "openai",
	                   "writer", WRITER_TEST_KEY_VAR, st, -1, &o);
	CHECK(o.by_llm && !o.cached);
	CHECK_INT(o.use.requests, 1);
	writer_output_free(&o);

	/* a spoiled cache entry is not used: the call is made again */
	if (CHECK_INT(sqlite3_open(path, &db), SQLITE_OK))
		CHECK_INT(sqlite3_exec(db, "UPDATE writings SET reply = '[1,2'",
		                       NULL, NULL, NULL),
		          SQLITE_OK);
	sqlite3_close(db);
	writer_test_llm_with(port, "openai", "writer", WRITER_TEST_KEY_VAR, st,
	                     -1, &o);
	CHECK(o.by_llm && !o.cached);
	CHECK_INT(o.use.requests, 1);
	CHECK_STR(o.pieces[0].oneliner, first.pieces[0].oneliner);
	writer_output_free(&o);

	/* a failed call is not kept */
	writer_test_llm_with(port, "openai", "writer-500", WRITER_TEST_KEY_VAR,
	                     st, -1, &o);
	CHECK(!o.by_llm);
	writer_output_free(&o);
	writer_test_llm_with(port, "openai", "writer-500", WRITER_TEST_KEY_VAR,
	                     st, -1, &o);
	CHECK(!o.by_llm && !o.cached);
	CHECK_INT(o.use.requests, 1);
	writer_output_free(&o);

	/* the budget: too little left sends nothing, enough sends */
	writer_test_llm_with(port, "openai", "writer-urls", WRITER_TEST_KEY_VAR,
	                     NULL, 0.0001, &o);
	CHECK(!o.by_llm);
	CHECK_INT(o.use.requests, 0);
	CHECK(strstr(o.note, "the budget has $0.0001 left") != NULL);
	CHECK(o.use.tokens_in == 0 && o.use.usd == 0);
	writer_output_free(&o);
	writer_test_llm_with(port, "openai", "writer-urls", WRITER_TEST_KEY_VAR,
	                     NULL, 0.5, &o);
	CHECK(o.by_llm);
	CHECK_INT(o.use.requests, 1);
	writer_output_free(&o);
	/* a cached reply costs nothing, so no budget keeps it out */
	writer_test_llm_with(port, "openai", "writer", WRITER_TEST_KEY_VAR, st,
	                     0, &o);
	CHECK(o.by_llm && o.cached);
	writer_output_free(&o);

	writer_output_free(&first);
out:
	store_close(st);
	unlink(path);
	snprintf(path + strlen(path), sizeof path - strlen(path), "-wal");
	unlink(path);
	path[strlen(path) - 4] = '\0';
	snprintf(path + strlen(path), sizeof path - strlen(path), "-shm");
	unlink(path);
	buf_free(&err);
}

/* The max_tokens of the fake server's requests for model, in order. */
static json_t *writer_test_asked(int port, const char *model)
{
	json_t *stats = llm_test_server_get(port, "/stats");
	json_t *asked =
	        json_object_get(json_object_get(stats, "max_tokens"), model);

	json_incref(asked);
	json_decref(stats);
	return asked;
}

static void writer_test_check_asked(int port, const char *model, long first,
                                    long second)
{
	json_t *asked = writer_test_asked(port, model);

	CHECK_INT(json_array_size(asked), second ? 2 : 1);
	CHECK_INT(json_integer_value(json_array_get(asked, 0)), first);
	if (second)
		CHECK_INT(json_integer_value(json_array_get(asked, 1)), second);
	json_decref(asked);
}

/* A reply cut at max_tokens is no reply: asked once more with twice the
 * room (up to [writer] max_tokens) when the budget holds that call too,
 * else every slot is the extractive writer's (issue 10, defect 12). */
static void test_writer_cut(int port)
{
	static const char *const providers[] = {"openai", "anthropic"};
	static const char *const models[] = {"writer-truncated",
	                                     "writer-truncated-a"};
	struct writer_output o;
	size_t i;

	for (i = 0; i < 2; i++) {
		writer_test_llm(port, providers[i], models[i],
		                WRITER_TEST_KEY_VAR, &o);
		CHECK(o.by_llm);
		CHECK_INT(o.replaced, 0);
		CHECK_STR(o.note, "");
		CHECK_INT(o.use.requests, 2);
		CHECK(o.use.tokens_out > 2886);
		writer_output_free(&o);
		/* 1536 + 450 a story, then twice that */
		writer_test_check_asked(port, models[i], 2886, 5772);
	}
	/* no more room than [writer] max_tokens: not asked again */
	writer_test_llm_at(port, NULL, "max_tokens = 2000\n", "openai",
	                   "writer-truncated-b", WRITER_TEST_KEY_VAR, NULL, -1,
	                   &o);
	CHECK(!o.by_llm);
	CHECK_INT(o.use.requests, 1);
	CHECK(strstr(o.note, "the reply was cut short at max_tokens 2000 "
	                     "(finish_reason length)") != NULL);
	writer_output_free(&o);
	writer_test_check_asked(port, "writer-truncated-b", 2000, 0);
	/* the first call fits the budget, the one with more room not */
	writer_test_llm_at(port, NULL, NULL, "anthropic", "writer-truncated-c",
	                   WRITER_TEST_KEY_VAR, NULL, 0.05, &o);
	CHECK(!o.by_llm);
	CHECK_INT(o.use.requests, 1);
	CHECK(o.use.usd > 0.02);
	CHECK(strstr(o.note,
	             "the reply was cut short at max_tokens 2886 "
	             "(stop_reason max_tokens)); the budget has $") != NULL);
	writer_output_free(&o);
	writer_test_check_asked(port, "writer-truncated-c", 2886, 0);
}

static void test_writer_server(int port)
{
	struct writer_output o, ex;
	struct buf err = BUF_INIT(0);
	size_t i;

	setenv(WRITER_TEST_KEY_VAR, "test-key", 1);
	setenv("AIDIGEST_TEST_WRITER_WRONG_KEY", "wrong-key", 1);
	/* the extractive text, to compare with */
	CHECK_INT(writer_write(NULL, NULL, writer_test_stories, 3,
	                       writer_test_cats, 3, &ex, &err),
	          0);

	/* a good reply is used whole */
	writer_test_llm(port, "openai", "writer", WRITER_TEST_KEY_VAR, &o);
	CHECK(o.by_llm);
	CHECK_INT(o.replaced, 0);
	CHECK_STR(o.note, "");
	CHECK_INT(o.use.requests, 1);
	CHECK(o.use.tokens_in > 0 && o.use.tokens_out > 0);
	CHECK(o.use.usd > 0 &&
	      o.use.usd ==
	              (o.use.tokens_in * 2.0 + o.use.tokens_out * 8.0) / 1e6);
	CHECK_STR(o.pieces[0].oneliner,
	          "「Transformer inference gets 2x faster with a new kernel」 "
	          "소식이 나왔습니다.");
	CHECK_STR(o.headings[0], "research 분야 소식");
	CHECK_STR(o.headings[1], "models 분야 소식");
	CHECK_STR(o.overview_title, "오늘의 AI 기술 동향");
	CHECK_INT(o.ntags, 3);
	CHECK_STR(o.tags[0], "AI");
	CHECK(strncmp(o.viewpoint, "의견으로는", 15) == 0);
	/* the titles are the items', not the LLM's */
	CHECK_STR(o.pieces[1].title, "GPT-4o price cut announced");
	writer_output_free(&o);

	/* the same from the Anthropic API */
	writer_test_llm(port, "anthropic", "writer", WRITER_TEST_KEY_VAR, &o);
	CHECK(o.by_llm);
	CHECK_INT(o.replaced, 0);
	CHECK_STR(o.headings[2], "industry 분야 소식");
	writer_output_free(&o);

	/* URLs and links are taken out; the slots stay the LLM's */
	writer_test_llm(port, "openai", "writer-urls", WRITER_TEST_KEY_VAR, &o);
	CHECK(o.by_llm);
	CHECK_INT(o.replaced, 0);
	CHECK_STR(o.pieces[0].oneliner,
	          "「Transformer inference gets 2x faster with a new kernel」 "
	          "소식이 나왔습니다. 자세한 내용은 에서.");
	CHECK(strstr(o.pieces[0].summary, "tricks. 원문 참고.") != NULL);
	CHECK(strstr(o.intro, "정리했습니다.") != NULL);
	CHECK(strstr(o.intro, "example") == NULL);
	CHECK(strstr(o.viewpoint, "example") == NULL);
	CHECK(strstr(o.viewpoint, "x.test") == NULL);
	writer_output_free(&o);

	/* a summary that translated "Transformer": extractive, counted */
	writer_test_llm(port, "openai", "writer-glossary", WRITER_TEST_KEY_VAR,
	                &o);
	CHECK(o.by_llm);
	CHECK_INT(o.replaced, 1);
	CHECK_STR(o.pieces[0].summary, ex.pieces[0].summary);
	CHECK(strstr(o.pieces[0].summary, "Transformer") != NULL);
	CHECK(strstr(o.pieces[0].oneliner, "소식이 나왔습니다") != NULL);
	CHECK(strstr(o.note, "glossary term lost 1") != NULL);
	writer_output_free(&o);

	/* a one-liner in English only: extractive, counted */
	writer_test_llm(port, "openai", "writer-english", WRITER_TEST_KEY_VAR,
	                &o);
	CHECK(o.by_llm);
	CHECK_INT(o.replaced, 1);
	CHECK_STR(o.pieces[0].oneliner, ex.pieces[0].oneliner);
	CHECK(strstr(o.note, "not Korean 1") != NULL);
	writer_output_free(&o);

	/* a story left out: its two slots extractive */
	writer_test_llm(port, "openai", "writer-missing", WRITER_TEST_KEY_VAR,
	                &o);
	CHECK(o.by_llm);
	CHECK_INT(o.replaced, 2);
	CHECK_STR(o.pieces[2].oneliner, ex.pieces[2].oneliner);
	CHECK_STR(o.pieces[2].summary, ex.pieces[2].summary);
	CHECK(strcmp(o.pieces[1].oneliner, ex.pieces[1].oneliner) != 0);
	writer_output_free(&o);

	/* a refused key and a failing server: all extractive, with a note */
	writer_test_llm(port, "openai", "writer",
	                "AIDIGEST_TEST_WRITER_WRONG_KEY", &o);
	CHECK(!o.by_llm);
	CHECK(strstr(o.note, "the LLM writer failed") != NULL);
	CHECK(strstr(o.note, "wrong-key") == NULL);
	CHECK_STR(o.intro, ex.intro);
	writer_output_free(&o);
	writer_test_llm(port, "openai", "writer-500", WRITER_TEST_KEY_VAR, &o);
	CHECK(!o.by_llm);
	CHECK_INT(o.use.requests, 1);
	CHECK(strstr(o.note, "500") != NULL);
	for (i = 0; i < 3; i++) {
		CHECK_STR(o.pieces[i].oneliner, ex.pieces[i].oneliner);
		CHECK_STR(o.pieces[i].summary, ex.pieces[i].summary);
	}
	CHECK_STR(o.viewpoint, ex.viewpoint);
	writer_output_free(&o);

	writer_output_free(&ex);
	buf_free(&err);
}

void test_writer(void)
{
	struct server_child server = {-1, -1, -1, 0};

	test_writer_config();
	test_text_strip_urls();
	test_writer_extractive();
	test_writer_particles();
	if (!server_child_python3()) {
		printf("writer: server tests skipped (python3 absent)\n");
		return;
	}
	if (!CHECK_INT(http_global_init(), 0))
		return;
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	if (CHECK(server_child_start(&server, "tests/llm_server.py"))) {
		test_writer_server(server.port);
		test_writer_cache_budget(server.port);
		test_writer_cut(server.port);
	}
	server_child_stop(&server);
	http_global_cleanup();
}
