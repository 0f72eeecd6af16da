#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/urlnorm.h"
#include "tests/check.h"
#include "tests/tests.h"

/* url_canonical: input and canonical form. */
static const struct canonical_case {
	const char *in, *want; /* want NULL: rejected */
} canonical_cases[] = {
        /* scheme, host, port, fragment, empty path */
        {"HTTPS://Example.COM/Path", "https://example.com/Path"},
        {"http://example.com", "http://example.com/"},
        {"https://example.com:443/a", "https://example.com/a"},
        {"http://example.com:80/a", "http://example.com/a"},
        {"http://example.com:443/a", "http://example.com:443/a"},
        {"https://example.com:8443/a", "https://example.com:8443/a"},
        {"https://example.com:08443/a", "https://example.com:8443/a"},
        {"https://example.com:/a", "https://example.com/a"},
        {"https://example.com/a#section", "https://example.com/a"},
        {"https://example.com#top", "https://example.com/"},
        {"https://example.com?q=1", "https://example.com/?q=1"},
        {"https://example.com/a/", "https://example.com/a/"},
        {"https://example.com/a", "https://example.com/a"},
        {"  https://example.com/a \n", "https://example.com/a"},
        {"https://Example.com./a", "https://example.com/a"},
        {"https://example.com../a", "https://example.com/a"},
        {"https://./a", NULL},
        {"https://www.example.com/", "https://www.example.com/"},
        {"http://example.com/keep-http", "http://example.com/keep-http"},
        {"https://user:pw@Example.com/a", "https://user:pw@example.com/a"},
        {"https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"},
        {"https://[2001:db8::1]:8080/", "https://[2001:db8::1]:8080/"},
        /* tracking parameters */
        {"https://example.com/a?utm_source=rss&utm_medium=feed",
         "https://example.com/a"},
        {"https://example.com/a?id=3&utm_campaign=x&b=2",
         "https://example.com/a?id=3&b=2"},
        {"https://example.com/a?UTM_Source=x&q=1", "https://example.com/a?q=1"},
        {"https://example.com/?fbclid=IwAR0abc", "https://example.com/"},
        {"https://example.com/p?gclid=1&dclid=2&yclid=3&mc_cid=4&"
         "mc_eid=5&igshid=6",
         "https://example.com/p"},
        {"https://example.com/p?ref=hn&ref_src=twsrc&ref_url=x&keep=1",
         "https://example.com/p?keep=1"},
        {"https://example.com/p?reference=1", "https://example.com/p?"
                                              "reference=1"},
        {"https://example.com/p?source=rss", "https://example.com/p"},
        {"https://example.com/p?source=Twitter&x=1",
         "https://example.com/p?x=1"},
        {"https://example.com/p?source=feed", "https://example.com/p"},
        {"https://example.com/p?source=github",
         "https://example.com/p?source=github"},
        {"https://example.com/p?source=rssfeed",
         "https://example.com/p?source=rssfeed"},
        {"https://example.com/p?spm=a.b&_hsenc=x&_hsmi=y&cmpid=z",
         "https://example.com/p"},
        {"https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=XYZ",
         "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
        {"https://youtu.be/dQw4w9WgXcQ?si=XYZ", "https://youtu.be/dQw4w9WgXcQ"},
        {"https://example.com/p?si=keep", "https://example.com/p?si=keep"},
        {"https://example.com/p?s=20&t=abc",
         "https://example.com/p?s=20&t=abc"},
        {"https://example.com/a?", "https://example.com/a"},
        {"https://example.com/a?&&b=1&", "https://example.com/a?b=1"},
        {"https://example.com/a?z=1&a=2&flag", "https://example.com/"
                                               "a?z=1&a=2&flag"},
        {"https://openai.com/index/hello-gpt-4o/?utm_source=twitter",
         "https://openai.com/index/hello-gpt-4o/"},
        /* percent-encoding */
        {"https://example.com/%7euser/a%2fb%c3%a9",
         "https://example.com/~user/a%2Fb%C3%A9"},
        {"https://example.com/a b", "https://example.com/a%20b"},
        {"https://example.com/caf\xC3\xA9", "https://example.com/caf%C3%A9"},
        {"https://example.com/100%", "https://example.com/100%25"},
        {"https://example.com/%zz", "https://example.com/%25zz"},
        {"https://example.com/a?b=%7e&c=%2f", "https://example.com/"
                                              "a?b=~&c=%2F"},
        {"https://example.com/a|b", "https://example.com/a%7Cb"},
        /* X */
        {"https://twitter.com/OpenAI/status/"
         "1790072174117613963?s=20&t=x",
         "https://x.com/openai/status/1790072174117613963"},
        {"https://mobile.twitter.com/OpenAI/status/1790072174117613963",
         "https://x.com/openai/status/1790072174117613963"},
        {"http://www.x.com/OpenAI/status/1790072174117613963/photo/1",
         "https://x.com/openai/status/1790072174117613963"},
        {"https://x.com/OpenAI/statuses/1790072174117613963",
         "https://x.com/openai/status/1790072174117613963"},
        {"https://x.com/i/web/status/1790072174117613963",
         "https://x.com/i/web/status/1790072174117613963"},
        {"https://twitter.com/i/status/1790072174117613963",
         "https://x.com/i/web/status/1790072174117613963"},
        {"https://twitter.com/#!/OpenAI/status/123",
         "https://x.com/openai/status/123"},
        {"https://x.com/OpenAI?s=20&t=abc", "https://x.com/OpenAI"},
        {"http://twitter.com/OpenAI", "http://x.com/OpenAI"},
        {"https://x.com/OpenAI/status/notanid",
         "https://x.com/OpenAI/status/notanid"},
        /* arXiv and Hugging Face papers */
        {"https://arxiv.org/abs/2401.01234",
         "https://arxiv.org/abs/2401.01234"},
        {"http://arxiv.org/abs/2401.01234v2",
         "https://arxiv.org/abs/2401.01234"},
        {"https://arxiv.org/pdf/2401.01234v3.pdf",
         "https://arxiv.org/abs/2401.01234"},
        {"https://arxiv.org/pdf/2401.01234",
         "https://arxiv.org/abs/2401.01234"},
        {"https://export.arxiv.org/abs/2401.01234?context=cs.AI",
         "https://arxiv.org/abs/2401.01234"},
        {"https://www.arxiv.org/html/2401.01234v1/",
         "https://arxiv.org/abs/2401.01234"},
        {"https://arxiv.org/abs/2401.01234#S2",
         "https://arxiv.org/abs/2401.01234"},
        {"https://arxiv.org/abs/1409.1234", "https://arxiv.org/abs/"
                                            "1409.1234"},
        {"https://arxiv.org/abs/hep-th/9901001v1",
         "https://arxiv.org/abs/hep-th/9901001"},
        {"https://arxiv.org/abs/math.GT/0309136",
         "https://arxiv.org/abs/math/0309136"},
        {"https://arxiv.org/list/cs.AI/new",
         "https://arxiv.org/list/cs.AI/new"},
        {"https://arxiv.org/abs/2401.0123", "https://arxiv.org/abs/"
                                            "2401.0123"},
        {"https://arxiv.org/abs/2401.01234/extra",
         "https://arxiv.org/abs/2401.01234/extra"},
        {"https://huggingface.co/papers/2401.01234",
         "https://arxiv.org/abs/2401.01234"},
        {"https://huggingface.co/papers/2401.01234#community",
         "https://arxiv.org/abs/2401.01234"},
        {"https://huggingface.co/blog/llama3",
         "https://huggingface.co/blog/llama3"},
        {"https://huggingface.co/papers", "https://huggingface.co/papers"},
        /* not absolute http(s) URLs */
        {"ftp://example.com/", NULL},
        {"mailto:someone@example.com", NULL},
        {"javascript:alert(1)", NULL},
        {"/relative/path", NULL},
        {"//example.com/a", NULL},
        {"example.com/a", NULL},
        {"https://", NULL},
        {"https:///a", NULL},
        {"https:/example.com/a", NULL},
        {"https://exa mple.com/", NULL},
        {"https://example.com:99999/", NULL},
        {"https://example.com:8a/", NULL},
        {"https://example.com/a\nb", NULL},
        {"https://[2001:db8::1/", NULL},
        {"", NULL},
        {"   ", NULL},
};

static void test_canonical_table(void)
{
	size_t i;

	for (i = 0; i < sizeof canonical_cases / sizeof *canonical_cases; i++) {
		char *got = url_canonical(canonical_cases[i].in);

		if (!CHECK_STR(got, canonical_cases[i].want))
			fprintf(stderr, "    input: \"%s\"\n",
			        canonical_cases[i].in);
		free(got);
		/* a canonical form is its own canonical form */
		if (canonical_cases[i].want) {
			got = url_canonical(canonical_cases[i].want);
			CHECK_STR(got, canonical_cases[i].want);
			free(got);
		}
	}
	CHECK(url_canonical(NULL) == NULL);
}

static void test_canonical_bounds(void)
{
	size_t max = 8192, i;
	char *url = malloc(max + 2), *got;

	if (!CHECK(url != NULL))
		return;
	memcpy(url, "https://example.com/", 20);
	for (i = 20; i < max; i++)
		url[i] = 'a';
	url[max] = '\0';
	got = url_canonical(url);
	CHECK(got != NULL && strlen(got) == max);
	free(got);
	url[max] = 'a';
	url[max + 1] = '\0';
	CHECK(url_canonical(url) == NULL);
	/* escapes would take it past the bound */
	url[max] = '\0';
	for (i = 20; i < max; i++)
		url[i] = i % 3 ? 'a' : ' ';
	CHECK(url_canonical(url) == NULL);
	url[max / 2] = '\0';
	got = url_canonical(url);
	CHECK(got != NULL && strlen(got) > max / 2);
	free(got);
	free(url);
}

static void test_arxiv_id(void)
{
	static const struct {
		const char *in, *want; /* want NULL: none */
	} cases[] = {
	        {"2401.01234", "2401.01234"},
	        {"2401.01234v2", "2401.01234"},
	        {" 2401.01234 ", "2401.01234"},
	        {"arXiv:2401.01234", "2401.01234"},
	        {"ARXIV:2401.01234v12", "2401.01234"},
	        {"oai:arXiv.org:2203.01250v3", "2203.01250"},
	        {"hep-th/9901001", "hep-th/9901001"},
	        {"hep-th/9901001v2", "hep-th/9901001"},
	        {"arXiv:hep-th/9901001", "hep-th/9901001"},
	        {"math.GT/0309136", "math/0309136"},
	        {"cond-mat/0207270", "cond-mat/0207270"},
	        {"q-bio/0401001", "q-bio/0401001"},
	        {"0704.0001", "0704.0001"},
	        {"1412.9999", "1412.9999"},
	        {"1501.00001", "1501.00001"},
	        {"https://arxiv.org/abs/2401.01234v2", "2401.01234"},
	        {"https://arxiv.org/pdf/2401.01234.pdf", "2401.01234"},
	        {"http://export.arxiv.org/abs/hep-th/9901001",
	         "hep-th/9901001"},
	        {"https://huggingface.co/papers/2401.01234", "2401.01234"},
	        {"0703.0001", NULL},
	        {"1501.0001", NULL},
	        {"1412.00001", NULL},
	        {"2413.01234", NULL},
	        {"2400.01234", NULL},
	        {"2401.012345", NULL},
	        {"2401.01234x", NULL},
	        {"2401.01234 and more", NULL},
	        {"foo/9901001", NULL},
	        {"hep-th/990100", NULL},
	        {"hep-th/9913001", NULL},
	        {"hep-th9901001", NULL},
	        {"https://example.com/abs/2401.01234", NULL},
	        {"https://arxiv.org/list/cs.AI/new", NULL},
	        {"v1.2.3", NULL},
	        {"", NULL},
	};
	char out[40];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		bool ok = url_arxiv_id(cases[i].in, out, sizeof out);

		if (!CHECK_STR(ok ? out : NULL, cases[i].want))
			fprintf(stderr, "    input: \"%s\"\n", cases[i].in);
	}
	CHECK(!url_arxiv_id(NULL, out, sizeof out));
	CHECK(!url_arxiv_id("2401.01234", out, 10));
	CHECK(url_arxiv_id("2401.01234", out, 11));
	CHECK_STR(out, "2401.01234");
	CHECK(!url_arxiv_id("2401.01234", out, 0));
}

static void test_automated_build(void)
{
	static const struct {
		const char *in;
		bool want;
	} cases[] = {
	        {"b4567", true},
	        {"B4567", true},
	        {"  b4567\n", true},
	        {"b1", true},
	        {"b123456789", true},
	        {"b1234567890", false},
	        {"b", false},
	        {"b45a", false},
	        {"v1.2.3", false},
	        {"build 4567", false},
	        {"ab4567", false},
	        {"b 4567", false},
	        {"b4567 release", false},
	        {"", false},
	        {"Release b4567", false},
	        {"b-4567", false},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		if (!CHECK_INT(url_is_automated_build(cases[i].in),
		               cases[i].want))
			fprintf(stderr, "    input: \"%s\"\n", cases[i].in);
	CHECK(!url_is_automated_build(NULL));
}

void test_urlnorm(void)
{
	test_canonical_table();
	test_canonical_bounds();
	test_arxiv_id();
	test_automated_build();
}
