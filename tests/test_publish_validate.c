/* publish_validate: a post in the reference sample's shape passes; each
 * way a body, its links or its front-matter can go wrong is caught and
 * said; the YAML read back is the YAML written. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/xalloc.h"
#include "render/publish.h"
#include "tests/check.h"
#include "tests/test_publish.h"

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
		CHECK_INT(validate(post, good_fields, NFIELDS, &err),
		          ERR_PARSE);
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
	CHECK_INT(validate(post, good_fields, NFIELDS, &err), ERR_PARSE);
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
	CHECK_INT(validate(twice, good_fields, NFIELDS, &err), ERR_PARSE);
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
	CHECK_INT(validate(twice, good_fields, NFIELDS, &err), ERR_PARSE);
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
		          ERR_PARSE);
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
	CHECK_INT(validate(buf_cstr(&naive), fields, NFIELDS, &err), ERR_PARSE);
	CHECK(strncmp(buf_cstr(&err), "front-matter line 2: ", 21) == 0);
	buf_reset(&naive);
	buf_printf(&naive,
	           "---\ntitle: %s\ndescription: \"PoLL: \\\"여러 판사"
	           "\\\"\\n두 줄\"\ndate: 2024-05-01\nupdate: 2024-05-02\n%s",
	           title, body);
	CHECK_INT(validate(buf_cstr(&naive), fields, NFIELDS, &err), ERR_PARSE);
	CHECK(strstr(buf_cstr(&err), "front-matter") != NULL);

	/* Escaped, it is one scalar and reads back as itself. */
	post = replace(good_post,
	               "\"LLM을 활용한 다중 판사 시스템의 효율성과 비용 절감\"",
	               "\"a \\\"quote\\\"\\n---\\ntitle: pwned\"");
	CHECK_INT(validate(post, fields, NFIELDS, &err), 0);
	CHECK_STR(buf_cstr(&err), "");
	/* ... and not as the original title. */
	CHECK_INT(validate(post, good_fields, NFIELDS, &err), ERR_PARSE);
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
		CHECK_INT(validate(post, good_fields, NFIELDS, &err),
		          ERR_PARSE);
		if (!CHECK(strstr(buf_cstr(&err), cases[i].message) != NULL))
			fprintf(stderr, "    case %zu: %s\n", i,
			        buf_cstr(&err));
		free(post);
	}

	/* Unterminated: that is all there is to say. */
	post = replace(good_post, "---\n\n최근", "\n최근");
	CHECK_INT(validate(post, good_fields, NFIELDS, &err), ERR_PARSE);
	CHECK_STR(buf_cstr(&err), "front-matter: no \"---\" line closes it\n");
	free(post);
	CHECK_INT(validate("---\ntitle: x", good_fields, 0, &err), ERR_PARSE);
	CHECK_INT(validate("", good_fields, 0, &err), ERR_PARSE);

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
		               cases[i].value ? 0 : ERR_PARSE))
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
		        {"---\nk:\n  - \"b\"\n  - a\n---\n", ERR_PARSE},
		        {"---\nk:\n    - \"a\"\n  - b\n---\n", ERR_PARSE},
		        {"---\nk:\n- \"a\"\n  - b\n---\n", ERR_PARSE},
		        {"---\nk:\n  -\"a\"\n  - b\n---\n", ERR_PARSE},
		        {"---\n  - \"a\"\nk:\n  - b\n---\n", ERR_PARSE},
		        {"---\nk: a\n  - b\n---\n", ERR_PARSE},
		        {"---\nk:\n  - \"a\n  - b\n---\n", ERR_PARSE},
		        {"---\nk:\n  - [a]\n  - b\n---\n", ERR_PARSE},
		        {"---\nk:\n  - a\n  - b\nk:\n  - a\n  - b\n---\n",
		         ERR_PARSE},
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

void test_publish_validate(void)
{
	test_validate_body();
	test_validate_injection();
	test_validate_fields();
	test_validate_yaml();
}
