#include "summarize/writer_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ascii.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "summarize/korean.h"
#include "summarize/text.h"

/* The extractive writer: every slot from the stories' own titles and
 * first sentences, with Korean connecting text. */

const char *writer_label(const struct writer_category *c)
{
	return c->label && *c->label ? c->label : c->id ? c->id : "";
}

void writer_run_init(struct writer_run *r)
{
	size_t i, k,
	        text_max = r->cfg && r->cfg->text_max ? r->cfg->text_max : 1500;

	r->s = xcalloc(r->n + 1, sizeof *r->s);
	r->count = xcalloc(r->ncats + 1, sizeof *r->count);
	for (i = 0; i < r->n; i++) {
		const struct writer_story *st = &r->stories[i];
		struct writer_story_text *t = &r->s[i];

		snprintf(t->id, sizeof t->id, "%lld", (long long)st->id);
		t->title = text_tidy(st->title, WRITER_SENT_TITLE_CP);
		if (!*t->title) {
			free(t->title);
			t->title = xstrdup("제목 없는 소식");
		}
		t->quote = text_cut(t->title, WRITER_QUOTE_CP);
		t->source = text_tidy(st->source, WRITER_SOURCE_CP);
		t->text = text_tidy(st->text, text_max);
		t->lead = text_lead(text_after_title(t->text, t->title),
		                    WRITER_LEAD_CP);
		t->cat = -1;
		for (k = 0; st->category && k < r->ncats; k++)
			if (r->cats[k].id &&
			    ascii_casecmp(r->cats[k].id, st->category) == 0) {
				t->cat = (int)k;
				r->count[k]++;
				break;
			}
	}
}

void writer_run_free(struct writer_run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->s[i].title);
		free(r->s[i].quote);
		free(r->s[i].source);
		free(r->s[i].text);
		free(r->s[i].lead);
	}
	free(r->s);
	free(r->count);
}

/* The labels of the categories that have stories, in the given order,
 * joined by ", "; skip: one index to leave out, or -1. */
static void writer_put_labels(struct buf *b, const struct writer_run *r,
                              long skip)
{
	size_t k;
	bool any = false;

	for (k = 0; k < r->ncats; k++) {
		if (r->count[k] == 0 || (long)k == skip)
			continue;
		buf_printf(b, "%s%s", any ? ", " : "",
		           writer_label(&r->cats[k]));
		any = true;
	}
}

static size_t writer_categories_present(const struct writer_run *r)
{
	size_t k, m = 0;

	for (k = 0; k < r->ncats; k++)
		m += r->count[k] > 0;
	return m;
}

/* A buffer's text cut to max_cp, as a new string; the buffer is freed. */
static char *writer_finish(struct buf *b, size_t max_cp)
{
	char *s = text_cut(buf_cstr(b), max_cp);

	buf_free(b);
	return s;
}

/* The lead of a story as a Korean sentence: itself when it is Korean, or
 * quoted, with the source unless the sentence before named it. Nothing
 * when there is no lead. */
static void writer_put_lead(struct buf *b, const struct writer_story_text *t,
                            bool source_named)
{
	if (!*t->lead)
		return;
	if (text_has_hangul(t->lead)) {
		buf_puts(b, t->lead);
		return;
	}
	if (*t->source && !source_named) {
		buf_puts(b, t->source);
		korean_particle(b, KOREAN_EUN_NEUN);
		buf_printf(b, " \xE2\x80\x9C%s\xE2\x80\x9D라고 전했습니다.",
		           t->lead);
	} else {
		buf_printf(b, "원문은 \xE2\x80\x9C%s\xE2\x80\x9D라고 전합니다.",
		           t->lead);
	}
}

static char *writer_extractive_oneliner(const struct writer_run *r, size_t i)
{
	const struct writer_story_text *t = &r->s[i];
	struct buf b = BUF_INIT(0);

	if (!*t->source) {
		buf_printf(&b, "「%s」 소식입니다.", t->quote);
		return writer_finish(&b, WRITER_ONELINER_CP);
	}
	switch (i % 3) {
	case 0:
		buf_puts(&b, t->source);
		korean_particle(&b, KOREAN_I_GA);
		buf_printf(&b, " 「%s」 소식을 전했습니다.", t->quote);
		break;
	case 1:
		buf_printf(&b, "%s에서 「%s」 소식이 나왔습니다.", t->source,
		           t->quote);
		break;
	default:
		buf_printf(&b, "「%s」 소식을 %s에서 전했습니다.", t->quote,
		           t->source);
		break;
	}
	return writer_finish(&b, WRITER_ONELINER_CP);
}

static char *writer_extractive_summary(const struct writer_run *r, size_t i)
{
	const struct writer_story_text *t = &r->s[i];
	struct buf b = BUF_INIT(0);

	if (*t->lead) {
		writer_put_lead(&b, t, false);
		return writer_finish(&b, WRITER_SUMMARY_CP);
	}
	buf_printf(&b, "「%s」", t->quote);
	korean_particle(&b, KOREAN_EUN_NEUN);
	if (*t->source)
		buf_printf(&b, " %s에서 전한 소식으로", t->source);
	else
		buf_puts(&b, " 오늘 전해진 소식으로");
	buf_puts(&b, ", 자세한 내용은 원문에서 확인할 수 있습니다.");
	return writer_finish(&b, WRITER_SUMMARY_CP);
}

static char *writer_extractive_intro(const struct writer_run *r)
{
	const struct writer_story_text *t = &r->s[0];
	struct buf b = BUF_INIT(0);

	if (r->n == 0) {
		buf_puts(&b, "오늘은 새로 전할 AI 소식이 없습니다.");
		return writer_finish(&b, WRITER_PARAGRAPH_CP);
	}
	if (r->n == 1) {
		buf_puts(&b, "오늘은 ");
	} else {
		buf_printf(&b,
		           "오늘은 AI 소식 %zu건을 살펴봅니다. 가장 먼저 볼 "
		           "소식은 ",
		           r->n);
	}
	if (*t->source) {
		buf_puts(&b, t->source);
		korean_particle(&b, KOREAN_I_GA);
		buf_puts(&b, " 전한 ");
	}
	if (r->n == 1)
		buf_printf(&b, "「%s」 소식 한 건을 살펴봅니다.", t->quote);
	else
		buf_printf(&b, "「%s」입니다.", t->quote);
	if (*t->lead) {
		buf_putc(&b, ' ');
		writer_put_lead(&b, t, true);
	}
	if (r->n > 1 && writer_categories_present(r) > 0) {
		buf_puts(&b, " 이어서 ");
		writer_put_labels(&b, r, -1);
		buf_puts(&b, " 분야의 소식을 차례로 정리했습니다.");
	}
	return writer_finish(&b, WRITER_PARAGRAPH_CP);
}

static char *writer_extractive_viewpoint(const struct writer_run *r)
{
	struct buf b = BUF_INIT(0);
	size_t k, top = 0, second = 0;

	buf_puts(&b, "자동 작성 의견: ");
	if (r->n == 0) {
		buf_puts(&b, "오늘은 의견을 낼 만한 소식이 없습니다.");
		return writer_finish(&b, WRITER_PARAGRAPH_CP);
	}
	for (k = 1; k < r->ncats; k++)
		if (r->count[k] > r->count[top])
			top = k;
	for (k = 0; k < r->ncats; k++)
		if (k != top && r->count[k] > second)
			second = r->count[k];
	if (r->ncats == 0 || r->count[top] == 0) {
		buf_printf(&b,
		           "오늘의 소식 중에서는 「%s」 소식이 가장 먼저 눈에 "
		           "띕니다.",
		           r->s[0].quote);
	} else if (r->count[top] > second) {
		buf_printf(&b,
		           "오늘의 소식 중에서는 %s 분야가 %zu건으로 가장 "
		           "많아 눈에 띕니다.",
		           writer_label(&r->cats[top]), r->count[top]);
		if (writer_categories_present(r) > 1) {
			buf_puts(&b, " 그 밖에 ");
			writer_put_labels(&b, r, (long)top);
			buf_puts(&b, " 분야의 소식도 함께 살펴볼 만합니다.");
		}
	} else {
		buf_puts(&b, "오늘의 소식은 ");
		writer_put_labels(&b, r, -1);
		buf_puts(&b, " 분야에 고루 나뉘어 있습니다.");
	}
	buf_puts(&b, " 이 의견은 LLM 없이 소식의 분류와 건수만 보고 쓴 것이니, "
	             "각 소식의 의미는 원문을 읽고 판단하시기를 권합니다.");
	return writer_finish(&b, WRITER_PARAGRAPH_CP);
}

/* Add a tag unless it is empty or there already (ASCII case aside). */
void writer_add_tag(struct writer_output *o, const char *tag)
{
	char *t = text_tidy(tag, WRITER_TAG_CP);
	size_t i;

	for (i = 0; *t && i < o->ntags; i++)
		if (ascii_casecmp(o->tags[i], t) == 0)
			break;
	if (!*t || i < o->ntags || o->ntags == WRITER_TAGS_MAX) {
		free(t);
		return;
	}
	o->tags = xreallocarray(o->tags, o->ntags + 1, sizeof *o->tags);
	o->tags[o->ntags++] = t;
}

static void writer_extractive_tags(const struct writer_run *r,
                                   struct writer_output *o)
{
	static const char *const fillers[] = {"인공지능", "오늘의 AI"};
	bool *used = xcalloc(r->ncats + 1, sizeof *used);
	size_t k, i, j;

	writer_add_tag(o, "AI 뉴스");
	/* the categories present, the largest first */
	for (j = 0; j < r->ncats; j++) {
		size_t best = r->ncats;

		for (k = 0; k < r->ncats; k++)
			if (!used[k] && r->count[k] > 0 &&
			    (best == r->ncats || r->count[k] > r->count[best]))
				best = k;
		if (best == r->ncats)
			break;
		used[best] = true;
		writer_add_tag(o, writer_label(&r->cats[best]));
	}
	/* glossary terms the titles name */
	for (k = 0; r->cfg && k < r->cfg->nglossary; k++)
		for (i = 0; i < r->n; i++)
			if (text_has_term(r->s[i].title, r->cfg->glossary[k])) {
				writer_add_tag(o, r->cfg->glossary[k]);
				break;
			}
	for (k = 0;
	     o->ntags < WRITER_TAGS_MIN && k < sizeof fillers / sizeof *fillers;
	     k++)
		writer_add_tag(o, fillers[k]);
	free(used);
}

void writer_extractive(const struct writer_run *r, struct writer_output *o)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	if (r->n == 0)
		buf_puts(&b, "오늘의 AI 소식");
	else if (r->n == 1)
		buf_printf(&b, "오늘의 AI 소식: %s", r->s[0].quote);
	else
		buf_printf(&b, "오늘의 AI 소식: %s 외 %zu건", r->s[0].quote,
		           r->n - 1);
	o->title = writer_finish(&b, WRITER_TITLE_CP);
	buf_init(&b, 0);
	if (r->n == 0)
		buf_puts(&b, "오늘은 새로 전할 AI 소식이 없습니다.");
	else if (r->n == 1)
		buf_printf(&b, "「%s」 소식을 정리했습니다.", r->s[0].quote);
	else
		buf_printf(&b, "「%s」 등 오늘의 AI 소식 %zu건을 정리했습니다.",
		           r->s[0].quote, r->n);
	o->description = writer_finish(&b, WRITER_DESCRIPTION_CP);
	writer_extractive_tags(r, o);
	o->intro = writer_extractive_intro(r);
	o->viewpoint = writer_extractive_viewpoint(r);
	o->overview_title = xstrdup("오늘의 AI 소식 종합");
	o->nheadings = r->ncats;
	o->headings = xcalloc(r->ncats + 1, sizeof *o->headings);
	for (i = 0; i < r->ncats; i++) {
		o->headings[i] =
		        text_tidy(writer_label(&r->cats[i]), WRITER_HEADING_CP);
		if (!*o->headings[i]) {
			free(o->headings[i]);
			o->headings[i] = xstrdup("기타");
		}
	}
	o->npieces = r->n;
	o->pieces = xcalloc(r->n + 1, sizeof *o->pieces);
	for (i = 0; i < r->n; i++) {
		o->pieces[i].id = r->stories[i].id;
		o->pieces[i].title =
		        text_cut(r->s[i].title, WRITER_STORY_TITLE_CP);
		o->pieces[i].oneliner = writer_extractive_oneliner(r, i);
		o->pieces[i].summary = writer_extractive_summary(r, i);
	}
}
