/* The post as each preset writes it from the built-in template: it passes
 * its own validation; feed and writer text reaches the body as nothing a
 * blog engine runs (no brace, no "@") and reads back through cmark as
 * itself; the front-matter keeps the text as written (and reads back so
 * through post_front_matter_read); the dates are plain days that every
 * engine files under the digest's day; the reading figures (sources and
 * items read, stories, selected, the time saved) are in the post. */

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "render/post.h"
#include "tests/check.h"
#include "tests/test_publish.h"

/* The built-in post template (templates/post.md.mustache). */
extern const char post_template_text[];

static char title[] = "Agents {{% param \"secret\" %}} {{ site.secret }} "
                      "{% include x.html %} press@hostile.example";
static char description[] = "{{< x >}} {{% nonexistent %}} 설명";
static char intro[] = "오늘은 {{% param \"secret\" %}} 소식입니다. "
                      "문의 press@hostile.example";
static char viewpoint[] = "의견 {% include x.html %} {{ site.secret }}";
static char overview[] = "종합 {: .x} {::comment}";
static char tag0[] = "AI 뉴스";
static char tag1[] = "{{ site.tag }}";
static char *tags[] = {tag0, tag1};
static char oneliner[] = "요약 ops@hostile.example {{< x >}}";
static char summary[] = "본문 {{% nonexistent %}} R&D a@b.example";
static char piece_title[] = "LLM {{% param \"secret\" %}} {%raw%}";

static const struct writer_category cats[] = {{"models", "모델"}};

/* What the body must not contain, and what its HTML must show as text. */
static const char *const body_absent[] = {"{", "}", "@", "mailto"};
static const char *const html_shown[] = {
        "{{% param &quot;secret&quot; %}}",
        "{% include x.html %} {{ site.secret }}",
        "press@hostile.example",
        "ops@hostile.example",
        "{{&lt; x &gt;}}",
        "{: .x} {::comment}",
        "R&amp;D a@b.example",
        "href=\"https://hostile.example/a/%7B%7Bsite.secret%7D%7D/%7B%25%"
        "20include%20x.html%20%25%7D\"",
};

/* Each preset's front-matter lines that carry the dates and the title. */
static const struct {
	enum post_preset preset;
	const char *lines[3];
} preset_lines[] = {
        {POST_HOODIE,
         {"\ndate: 2026-11-20\n", "\nupdate: 2026-12-02\n",
          "\ntitle: \"Agents {{% param \\\"secret\\\" %}} {{ site.secret "
          "}} {% include x.html %} press@hostile.example\"\n"}},
        {POST_HUGO,
         {"\ndate: 2026-11-20\n", "\nlastmod: 2026-12-02\n",
          "\ndescription: \"{{< x >}} {{% nonexistent %}} 설명\"\n"}},
        /* a date without a time or an offset: Jekyll reads it at
         * midnight in the site's zone, whatever it is */
        {POST_JEKYLL,
         {"\ndate: 2026-11-20\n", "\nlast_modified_at: 2026-12-02\n",
          "\n  - \"{{ site.tag }}\"\n"}},
};

static void check_preset(size_t k, struct post_spec *spec)
{
	struct buf post = BUF_INIT(0), err = BUF_INIT(0);
	struct publish_field *fields;
	const char *body;
	char **allowed, *html;
	size_t i, nfields;

	spec->preset = preset_lines[k].preset;
	CHECK_INT(post_render(post_template_text, strlen(post_template_text),
	                      spec, &post, &err),
	          0);
	fields = post_fields(spec, &nfields);
	allowed = post_allowed_urls(spec);
	if (!CHECK_INT(publish_validate(post.data, post.len, fields, nfields,
	                                post_sections,
	                                (const char *const *)allowed, &err),
	               0))
		printf("  preset %zu: %s\n", k, buf_cstr(&err));
	for (i = 0; i < 3; i++)
		if (!CHECK(strstr(buf_cstr(&post), preset_lines[k].lines[i])))
			printf("  preset %zu: no %s", k,
			       preset_lines[k].lines[i] + 1);
	body = strstr(buf_cstr(&post), "\n---\n");
	if (CHECK(body != NULL)) {
		for (i = 0; i < sizeof body_absent / sizeof *body_absent; i++)
			if (!CHECK(strstr(body, body_absent[i]) == NULL))
				printf("  preset %zu: \"%s\" in the body: "
				       "%.40s\n",
				       k, body_absent[i],
				       strstr(body, body_absent[i]));
		html = cmark_markdown_to_html(body + 5, strlen(body + 5),
		                              CMARK_OPT_DEFAULT);
		for (i = 0; i < sizeof html_shown / sizeof *html_shown; i++)
			if (!CHECK(strstr(html, html_shown[i]) != NULL))
				printf("  preset %zu: not in the HTML: %s\n", k,
				       html_shown[i]);
		free(html);
	}
	post_fields_free(fields, nfields);
	post_urls_free(allowed);
	buf_free(&post);
	buf_free(&err);
}

/* The stories without a category come last, after every named one,
 * though the best of them ranks first. */
static void check_catch_all_last(void)
{
	static const struct writer_category two[2] = {{"models", "모델"},
	                                              {"tools", "도구"}};
	struct post_item items[4];
	struct writer_output w;
	struct post_spec spec;
	json_t *data, *c;
	size_t k;
	static const int category[4] = {-1, 1, -1, 0};
	static const char *const want[3] = {"도구", "모델", "기타"};

	memset(items, 0, sizeof items);
	memset(&w, 0, sizeof w);
	memset(&spec, 0, sizeof spec);
	for (k = 0; k < 4; k++) {
		items[k].title = "t";
		items[k].url = "https://example.com/";
		items[k].category = category[k];
	}
	spec.date = spec.first_date = spec.update = "2026-11-20";
	spec.w = &w;
	spec.cats = two;
	spec.ncats = 2;
	spec.items = items;
	spec.nitems = 4;
	data = post_data(&spec);
	c = json_object_get(data, "categories");
	if (CHECK_INT(json_array_size(c), 3))
		for (k = 0; k < 3; k++)
			CHECK_STR(json_string_value(json_object_get(
			                  json_array_get(c, k), "heading")),
			          want[k]);
	CHECK_INT(json_array_size(
	                  json_object_get(json_array_get(c, 2), "stories")),
	          2);
	json_decref(data);
}

static const struct {
	const char *text;
	size_t words;
} word_cases[] = {
        {"", 0},
        {"   ", 0},
        {"one", 1},
        {"  two  words ", 2},
        {"a\tb\nc\rd\ve\ff", 6},
        {"오늘은 AI 소식입니다.", 3},
        {"no\xc2\xa0"
         "break",
         1}, /* NBSP is no ASCII space */
};

/* The reading time: words at 238 a minute, rounded to the nearest, the
 * post's own words taken off what it saves. */
static const struct {
	size_t words;
	size_t read, saved; /* with the post of test_publish_post */
} minute_cases[] = {
        {0, 0, 0},          {118, 0, 0},           {119, 1, 0},
        {238 * 30, 30, 30}, {238 * 125, 125, 125},
};

/* The figures in the post as the built-in template places them: after
 * the intro, before Today's Preview; the time saved only when there is
 * some, in Korean hours and minutes. */
static const struct {
	size_t words;
	const char *line;
} reading_cases[] = {
        {238 * 30, "\n*오늘은 12개 소스의 글 345건과 이야기 67개를 읽고 1개를 "
                   "골랐습니다. 원문을 모두 읽는 데 드는 약 30분 가운데 "
                   "30분을 아꼈습니다.*\n"},
        {238 * 125, "\n*오늘은 12개 소스의 글 345건과 이야기 67개를 읽고 "
                    "1개를 골랐습니다. 원문을 모두 읽는 데 드는 약 2시간 "
                    "5분 가운데 2시간 5분을 아꼈습니다.*\n"},
        {238 * 120, " 약 2시간 가운데 2시간을 아꼈습니다.*\n"},
        {0, "\n*오늘은 12개 소스의 글 345건과 이야기 67개를 읽고 1개를 "
            "골랐습니다.*\n"},
};

static void check_reading(struct post_spec *spec)
{
	struct buf post = BUF_INIT(0), err = BUF_INIT(0);
	const char *at, *preview;
	json_t *data;
	size_t k, read, saved;

	for (k = 0; k < sizeof word_cases / sizeof *word_cases; k++)
		if (!CHECK_INT(post_count_words(word_cases[k].text),
		               word_cases[k].words))
			printf("  words of \"%s\"\n", word_cases[k].text);
	CHECK_INT(post_count_words(NULL), 0);
	spec->preset = POST_HOODIE;
	spec->reading.sources = 12;
	spec->reading.items = 345;
	spec->reading.stories = 67;
	spec->reading.selected = 1;
	for (k = 0; k < sizeof minute_cases / sizeof *minute_cases; k++) {
		spec->reading.words = minute_cases[k].words;
		post_reading_minutes(spec, &read, &saved);
		if (!CHECK_INT(read, minute_cases[k].read) ||
		    !CHECK_INT(saved, minute_cases[k].saved))
			printf("  minutes of %zu words\n",
			       minute_cases[k].words);
	}
	for (k = 0; k < sizeof reading_cases / sizeof *reading_cases; k++) {
		spec->reading.words = reading_cases[k].words;
		buf_reset(&post);
		CHECK_INT(post_render(post_template_text,
		                      strlen(post_template_text), spec, &post,
		                      &err),
		          0);
		at = strstr(buf_cstr(&post), reading_cases[k].line);
		preview = strstr(buf_cstr(&post), "\n## Today's Preview\n");
		if (!CHECK(at != NULL) || !CHECK(preview != NULL) ||
		    !CHECK(at < preview) ||
		    !CHECK(at > strstr(buf_cstr(&post), "오늘은 ")))
			printf("  reading %zu: %s\n", k, buf_cstr(&post));
		CHECK((strstr(buf_cstr(&post), "아꼈습니다") == NULL) ==
		      (reading_cases[k].words == 0));
	}
	data = post_data(spec);
	CHECK_INT(json_integer_value(json_object_get(
	                  json_object_get(data, "reading"), "sources")),
	          12);
	CHECK_INT(json_integer_value(json_object_get(
	                  json_object_get(data, "reading"), "items")),
	          345);
	json_decref(data);
	memset(&spec->reading, 0, sizeof spec->reading);
	buf_free(&post);
	buf_free(&err);
}

/* The front-matter read back as written: the title with its quotes and
 * braces, the tags in order, the body after the closing line. */
static void check_front_matter_read(struct post_spec *spec)
{
	struct buf post = BUF_INIT(0), err = BUF_INIT(0);
	struct publish_field *f = NULL;
	size_t nf = 0, body = 0, k, ntags = 0;
	static const char bad[] = "---\ntitle: \"open\n---\nbody\n";

	spec->preset = POST_HOODIE;
	CHECK_INT(post_render(post_template_text, strlen(post_template_text),
	                      spec, &post, &err),
	          0);
	if (CHECK_INT(
	            post_front_matter_read(post.data, post.len, &f, &nf, &body),
	            0)) {
		for (k = 0; k < nf; k++) {
			if (strcmp(f[k].key, "title") == 0)
				CHECK_STR(f[k].value, title);
			if (strcmp(f[k].key, "tags") == 0)
				CHECK_STR(f[k].value,
				          ntags < 2 ? tags[ntags++] : "");
		}
		CHECK_INT(ntags, 2);
		CHECK(body > 4 &&
		      strncmp(post.data + body - 4, "---\n", 4) == 0);
	}
	post_fields_free(f, nf);
	CHECK_INT(
	        post_front_matter_read("no front-matter\n", 16, &f, &nf, &body),
	        ERR_NOT_FOUND);
	CHECK_INT(nf + body, 0);
	CHECK_INT(post_front_matter_read(bad, sizeof bad - 1, &f, &nf, &body),
	          ERR_PARSE);
	CHECK_INT(nf, 0);
	buf_free(&post);
	buf_free(&err);
}

void test_publish_post(void)
{
	struct writer_piece piece = {0};
	struct writer_output w = {0};
	struct post_item item = {0};
	struct post_spec spec = {0};
	size_t k;

	check_catch_all_last();
	piece.oneliner = oneliner;
	piece.summary = summary;
	piece.title = piece_title;
	w.title = title;
	w.description = description;
	w.tags = tags;
	w.ntags = 2;
	w.intro = intro;
	w.viewpoint = viewpoint;
	w.overview_title = overview;
	w.pieces = &piece;
	w.npieces = 1;
	item.title = piece_title;
	item.url = "https://hostile.example/a/{{site.secret}}/{% include "
	           "x.html %}";
	item.source = "hostile@example";
	item.category = 0;
	item.piece = &piece;
	spec.date = "2026-11-20";
	spec.first_date = "2026-11-20";
	spec.update = "2026-12-02";
	spec.w = &w;
	spec.cats = cats;
	spec.ncats = 1;
	spec.items = &item;
	spec.nitems = 1;
	for (k = 0; k < sizeof preset_lines / sizeof *preset_lines; k++)
		check_preset(k, &spec);
	check_reading(&spec);
	check_front_matter_read(&spec);
}
