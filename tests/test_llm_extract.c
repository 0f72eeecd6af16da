#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "summarize/llm.h"
#include "tests/check.h"
#include "tests/test_llm.h"

/* llm_extract_json on a table of replies, then hostile megabytes. */
void test_llm_extract(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	        {"{\"a\":1}", "{\"a\":1}"},
	        {"Here are the scores:\n```json\n{\"scores\": "
	         "[]}\n```\nThanks!",
	         "{\"scores\": []}"},
	        {"{\"t\": \"a } b { c\"}", "{\"t\": \"a } b { c\"}"},
	        {"{\"t\": \"say \\\"}\\\" now\"}",
	         "{\"t\": \"say \\\"}\\\" now\"}"},
	        {"{\"a\": \"\\\\\"} tail", "{\"a\": \"\\\\\"}"},
	        {"{\"a\":1} {\"b\":2}", "{\"a\":1}"},
	        {"Use the form {id, score}: {\"a\":1}", "{\"a\":1}"},
	        {"{\"a\":{\"b\":[1,{\"c\":\"}\"}]}} and more",
	         "{\"a\":{\"b\":[1,{\"c\":\"}\"}]}}"},
	        {"[{\"a\":1}]", "{\"a\":1}"},
	        {"\xef\xbb\xbf {\"a\":1}", "{\"a\":1}"},
	        {"no json here", NULL},
	        {"", NULL},
	        {"}{", NULL},
	        {"{not json}", NULL},
	        {"[1, 2]", NULL},
	        {"{\"scores\": [{\"id\": \"a\", \"score\": 5}, {\"id\": \"b\"",
	         NULL},
	        {"{ oops {\"a\":1}", NULL},
	        {"{\"a\": \"unterminated}", NULL},
	};
	struct buf big = BUF_INIT(0);
	struct timespec t0;
	char *got;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = llm_extract_json(cases[i].text, strlen(cases[i].text));
		if (!CHECK_STR(got, cases[i].want))
			fprintf(stderr, "    case %zu\n", i);
		free(got);
	}
	CHECK(llm_extract_json(NULL, 0) == NULL);
	got = llm_extract_json("{\"a\":1}", 5); /* n, not the NUL, ends it */
	CHECK(got == NULL);
	free(got);
	got = llm_extract_json("x\0{\"a\":1}", 9);
	CHECK_STR(got, "{\"a\":1}");
	free(got);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < ((size_t)1 << 20); i++)
		buf_putc(&big, '{');
	got = llm_extract_json(buf_cstr(&big), big.len);
	CHECK(got == NULL);
	free(got);
	buf_reset(&big);
	while (big.len < ((size_t)1 << 20))
		buf_puts(&big, "{\"a\":");
	got = llm_extract_json(buf_cstr(&big), big.len);
	CHECK(got == NULL);
	free(got);
	buf_reset(&big);
	while (big.len < ((size_t)1 << 20))
		buf_puts(&big, "{x}");
	buf_puts(&big, "{\"found\":true}");
	got = llm_extract_json(buf_cstr(&big), big.len);
	CHECK_STR(got, "{\"found\":true}");
	free(got);
	buf_reset(&big);
	for (i = 0; i < 100000; i++)
		buf_putc(&big, '{');
	for (i = 0; i < 100000; i++)
		buf_putc(&big, '}');
	got = llm_extract_json(buf_cstr(&big), big.len);
	CHECK(got == NULL); /* too deep for jansson: rejected, not crashed */
	free(got);
	CHECK(check_seconds_since(&t0) < 2.0);
	buf_free(&big);
}
