#include "fetch/feed.h"

#include <stdarg.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>

#include "common/ascii.h"
#include "common/date.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/charset.h"
#include "fetch/feed_impl.h"
#include "fetch/html.h"

#define FEED_MAX_NOTES 8

static const char *const feed_format_names[] = {
        [FEED_FORMAT_UNKNOWN] = "",      [FEED_FORMAT_RSS090] = "rss090",
        [FEED_FORMAT_RSS091] = "rss091", [FEED_FORMAT_RSS092] = "rss092",
        [FEED_FORMAT_RSS093] = "rss093", [FEED_FORMAT_RSS094] = "rss094",
        [FEED_FORMAT_RSS20] = "rss20",   [FEED_FORMAT_RSS] = "rss",
        [FEED_FORMAT_RSS10] = "rss10",   [FEED_FORMAT_ATOM03] = "atom03",
        [FEED_FORMAT_ATOM10] = "atom10", [FEED_FORMAT_JSON10] = "json1",
        [FEED_FORMAT_JSON11] = "json11",
};

const char *feed_format_name(enum feed_format format)
{
	if ((size_t)format >=
	    sizeof feed_format_names / sizeof *feed_format_names)
		return "";
	return feed_format_names[format];
}

void feed_set_str(char **dst, const char *s, size_t n)
{
	if (*dst)
		return;
	*dst = xstrndup(s, n);
}

void feed_set_date(struct feed_date *d, const char *s, int tz_offset_sec)
{
	int64_t t;

	if (d->raw)
		return;
	d->raw = xstrdup(s);
	d->known = date_parse(s, tz_offset_sec, &t) == 0;
	d->time = d->known ? t : 0;
}

static bool feed_is_email_delim(unsigned char c)
{
	return c <= ' ' || strchr("()<>[],;\"'", c) != NULL;
}

void feed_person_parse(struct feed_person *p, const char *s)
{
	const char *at = strchr(s, '@'), *b, *e;
	struct buf name = BUF_INIT(0);
	size_t i, n;

	if (!p->full)
		p->full = xstrdup(s);
	if (p->name || p->email)
		return;
	if (!at) {
		text_collapse_space(s, strlen(s), &name);
		if (name.len)
			p->name = buf_detach(&name);
		buf_free(&name);
		return;
	}
	for (b = at; b > s && !feed_is_email_delim((unsigned char)b[-1]); b--)
		;
	for (e = at; *e && !feed_is_email_delim((unsigned char)*e); e++)
		;
	if (e - b > 7 && strncmp(b, "mailto:", 7) == 0)
		p->email = xstrndup(b + 7, (size_t)(e - b - 7));
	else
		p->email = xstrndup(b, (size_t)(e - b));
	/* The name is what is left once the address and the brackets or
	 * parentheses around either are gone. */
	buf_append(&name, s, (size_t)(b - s));
	buf_putc(&name, ' ');
	buf_puts(&name, e);
	for (i = 0; i < name.len; i++)
		if (strchr("()<>", name.data[i]))
			name.data[i] = ' ';
	n = name.len;
	{
		struct buf clean = BUF_INIT(0);

		text_collapse_space(name.data, n, &clean);
		if (clean.len)
			p->name = buf_detach(&clean);
		buf_free(&clean);
	}
	buf_free(&name);
}

void feed_builder_set_text(struct feed_builder *fb, struct feed_text *t,
                           const char *s, size_t n, enum feed_text_type type)
{
	if (!s || t->raw)
		return;
	if (n > fb->max_text) {
		n = utf8_valid_prefix(s, fb->max_text);
		feed_builder_note(fb,
		                  "cut: a field longer than %zu bytes was "
		                  "truncated",
		                  fb->max_text);
	}
	t->raw = xstrndup(s, n);
	t->type = type;
}

void feed_text_clear(struct feed_text *t)
{
	free(t->raw);
	free(t->text);
	memset(t, 0, sizeof *t);
}

static void feed_person_clear(struct feed_person *p)
{
	free(p->full);
	free(p->name);
	free(p->email);
	memset(p, 0, sizeof *p);
}

static void feed_date_clear(struct feed_date *d)
{
	free(d->raw);
	memset(d, 0, sizeof *d);
}

void feed_entry_clear(struct feed_entry *e)
{
	size_t i;

	feed_text_clear(&e->title);
	feed_text_clear(&e->summary);
	for (i = 0; i < e->ncontent; i++)
		feed_text_clear(&e->content[i]);
	free(e->content);
	free(e->link);
	free(e->id);
	feed_date_clear(&e->published);
	feed_date_clear(&e->updated);
	feed_person_clear(&e->author);
	for (i = 0; i < e->nenclosures; i++) {
		free(e->enclosures[i].url);
		free(e->enclosures[i].type);
		free(e->enclosures[i].length);
	}
	free(e->enclosures);
	memset(e, 0, sizeof *e);
	e->likes = e->reposts = e->points = e->stars = e->comments = -1;
}

struct feed_enclosure *feed_entry_add_enclosure(struct feed_entry *e)
{
	struct feed_enclosure *enc;

	e->enclosures = xreallocarray(e->enclosures, e->nenclosures + 1,
	                              sizeof *e->enclosures);
	enc = &e->enclosures[e->nenclosures++];
	memset(enc, 0, sizeof *enc);
	return enc;
}

struct feed_text *feed_entry_add_content(struct feed_entry *e)
{
	struct feed_text *t;

	e->content =
	        xreallocarray(e->content, e->ncontent + 1, sizeof *e->content);
	t = &e->content[e->ncontent++];
	memset(t, 0, sizeof *t);
	return t;
}

void feed_text_finish(struct feed_text *t, size_t max_text)
{
	struct buf out = BUF_INIT(max_text);
	size_t n;

	if (!t->raw || t->text)
		return;
	n = strlen(t->raw);
	if (t->type == FEED_TEXT_TEXT)
		text_collapse_space(t->raw, n, &out);
	else
		html_to_text(t->raw, n, &out);
	t->text = buf_detach(&out);
}

static void feed_free_fields(struct feed *feed)
{
	size_t i;

	feed_text_clear(&feed->title);
	feed_text_clear(&feed->subtitle);
	free(feed->link);
	free(feed->id);
	feed_date_clear(&feed->published);
	feed_date_clear(&feed->updated);
	feed_person_clear(&feed->author);
	for (i = 0; feed->entries && i < feed->nentries; i++)
		feed_entry_clear(&feed->entries[i]);
	free(feed->entries);
	buf_free(&feed->notes);
}

void feed_free(struct feed *feed)
{
	if (!feed)
		return;
	feed_free_fields(feed);
	free(feed);
}

void feed_builder_note(struct feed_builder *fb, const char *fmt, ...)
{
	struct feed *feed = fb->feed;
	size_t lines = 0, i;
	va_list ap;

	for (i = 0; i < feed->notes.len; i++)
		lines += feed->notes.data[i] == '\n';
	if (lines >= FEED_MAX_NOTES)
		return;
	va_start(ap, fmt);
	buf_vprintf(&feed->notes, fmt, ap);
	va_end(ap);
	buf_putc(&feed->notes, '\n');
}

void feed_builder_note_first(struct feed_builder *fb, const char *note)
{
	struct buf *notes = &fb->feed->notes;
	struct buf both = BUF_INIT(notes->max);
	size_t lines = 0, i;

	buf_puts(&both, note);
	buf_putc(&both, '\n');
	for (i = 0; i < notes->len && lines < FEED_MAX_NOTES - 1; i++) {
		buf_putc(&both, notes->data[i]);
		lines += notes->data[i] == '\n';
	}
	buf_free(notes);
	*notes = both;
}

struct feed_entry *feed_builder_begin_entry(struct feed_builder *fb)
{
	struct feed *feed = fb->feed;
	struct feed_entry *e = &fb->scratch;

	if (!fb->opt->on_entry) {
		if (feed->nentries == feed->entries_cap) {
			feed->entries_cap =
			        feed->entries_cap ? feed->entries_cap * 2 : 16;
			feed->entries =
			        xreallocarray(feed->entries, feed->entries_cap,
			                      sizeof *feed->entries);
		}
		e = &feed->entries[feed->nentries];
	}
	memset(e, 0, sizeof *e);
	e->likes = e->reposts = e->points = e->stars = e->comments = -1;
	fb->entry = e;
	return e;
}

static void feed_entry_finish(struct feed_entry *e, size_t max_text,
                              bool summary_text_only)
{
	size_t i;

	feed_text_finish(&e->title, max_text);
	feed_text_finish(&e->summary, max_text);
	if (summary_text_only && e->summary.text && *e->summary.text)
		return;
	for (i = 0; i < e->ncontent; i++)
		feed_text_finish(&e->content[i], max_text);
}

void feed_builder_end_entry(struct feed_builder *fb)
{
	struct feed *feed = fb->feed;
	struct feed_entry *e = fb->entry;

	if (!e)
		return;
	fb->entry = NULL;
	feed_entry_finish(e, fb->max_text, fb->opt->summary_text_only);
	if (fb->opt->on_entry) {
		feed->nentries++;
		if (fb->opt->on_entry(fb->opt->ctx, feed, e))
			fb->stopped = true;
		feed_entry_clear(e);
	} else {
		feed->nentries++;
	}
	if (!fb->stopped && feed->nentries >= fb->max_entries) {
		feed_builder_note(fb,
		                  "cut: more than %zu entries; the rest "
		                  "are ignored",
		                  fb->max_entries);
		fb->stopped = true;
	}
}

int feed_builder_init(struct feed_builder *fb, const struct feed_options *opt,
                      size_t n, struct buf *err)
{
	static const struct feed_options defaults;

	if (!opt)
		opt = &defaults;
	memset(fb, 0, sizeof *fb);
	fb->opt = opt;
	fb->max_entries =
	        opt->max_entries ? opt->max_entries : FEED_DEFAULT_MAX_ENTRIES;
	fb->max_depth =
	        opt->max_depth ? opt->max_depth : FEED_DEFAULT_MAX_DEPTH;
	fb->max_text = opt->max_text ? opt->max_text : FEED_DEFAULT_MAX_TEXT;
	if (n > (opt->max_bytes ? opt->max_bytes : FEED_DEFAULT_MAX_BYTES)) {
		buf_printf(err,
		           "document of %zu bytes is over the cap of %zu bytes",
		           n,
		           opt->max_bytes ? opt->max_bytes
		                          : FEED_DEFAULT_MAX_BYTES);
		return ERR_LIMIT;
	}
	fb->feed = xcalloc(1, sizeof *fb->feed);
	buf_init(&fb->feed->notes, 64 * 1024);
	return ERR_OK;
}

/* Output */

/* The bytes feed_tsv_escape stops at: the escapes, C0, DEL, and 0xC2,
 * which may start a C1 control character. */
static bool feed_tsv_stop(unsigned char c)
{
	return c < 0x20 || c == '\\' || c == 0x7F || c == 0xC2;
}

/* Length of the run at the start of s[0..n) written as it is. */
static size_t feed_tsv_run(const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i c1f = _mm_set1_epi8(0x1F), del = _mm_set1_epi8(0x7F);
	const __m128i bs = _mm_set1_epi8('\\'), c2 = _mm_set1_epi8((char)0xC2);
	__m128i x, stop;
	unsigned mask;

	for (; n - i >= 16; i += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* x <= 0x1F, unsigned: min(x, 0x1F) == x */
		stop = _mm_cmpeq_epi8(_mm_min_epu8(x, c1f), x);
		stop = _mm_or_si128(stop, _mm_cmpeq_epi8(x, del));
		stop = _mm_or_si128(stop, _mm_cmpeq_epi8(x, bs));
		stop = _mm_or_si128(stop, _mm_cmpeq_epi8(x, c2));
		mask = (unsigned)_mm_movemask_epi8(stop);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	while (i < n && !feed_tsv_stop((unsigned char)s[i]))
		i++;
	return i;
}

void feed_tsv_escape(FILE *fp, const char *s)
{
	size_t n = strlen(s), run, k;

	for (;;) {
		/* up to the next byte that is escaped or may start a control
		 * character */
		run = feed_tsv_run(s, n);
		fwrite(s, 1, run, fp);
		s += run;
		n -= run;
		if (n == 0)
			return;
		k = utf8_control_len(s, n < 2 ? n : 2);
		if (*s != '\r' && k > 0) {
			s += k; /* dropped: raw to a terminal it could act */
			n -= k;
			continue;
		}
		switch (*s) {
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		default: /* 0xC2 starting another character */
			fputc(*s, fp);
			break;
		}
		s++;
		n--;
	}
}

static void feed_put_field(FILE *fp, const char *prefix, const char *name,
                           const char *value)
{
	if (!value || !*value)
		return;
	fprintf(fp, "%s%s\t", prefix, name);
	feed_tsv_escape(fp, value);
	fputc('\n', fp);
}

static const char *feed_text_type_name(enum feed_text_type type)
{
	static const char *const names[] = {"text", "html", "xhtml"};

	return names[type];
}

static void feed_put_text(FILE *fp, const char *prefix, const char *name,
                          const struct feed_text *t)
{
	char key[64];

	if (!t->raw)
		return;
	snprintf(key, sizeof key, "%s.raw", name);
	feed_put_field(fp, prefix, key, t->raw);
	snprintf(key, sizeof key, "%s.text", name);
	feed_put_field(fp, prefix, key, t->text);
	snprintf(key, sizeof key, "%s.type", name);
	feed_put_field(fp, prefix, key, feed_text_type_name(t->type));
}

static void feed_put_date(FILE *fp, const char *prefix, const char *name,
                          const struct feed_date *d)
{
	char key[64], utc[TIME_UTC_LEN];

	if (!d->raw)
		return;
	if (d->known) {
		time_format_utc(d->time, utc);
		feed_put_field(fp, prefix, name, utc);
	}
	snprintf(key, sizeof key, "%s.raw", name);
	feed_put_field(fp, prefix, key, d->raw);
}

static void feed_put_person(FILE *fp, const char *prefix,
                            const struct feed_person *p)
{
	feed_put_field(fp, prefix, "author", p->full);
	feed_put_field(fp, prefix, "author.name", p->name);
	feed_put_field(fp, prefix, "author.email", p->email);
}

int feed_print_fields(FILE *fp, const struct feed *feed)
{
	char prefix[64], key[64];
	size_t i, j;

	fprintf(fp, "version\t%s\n", feed_format_name(feed->format));
	feed_put_field(fp, "", "encoding", feed->encoding);
	fprintf(fp, "bozo\t%d\n", feed->recovered ? 1 : 0);
	feed_put_text(fp, "feed.", "title", &feed->title);
	feed_put_text(fp, "feed.", "subtitle", &feed->subtitle);
	feed_put_field(fp, "feed.", "link", feed->link);
	feed_put_field(fp, "feed.", "id", feed->id);
	feed_put_date(fp, "feed.", "published", &feed->published);
	feed_put_date(fp, "feed.", "updated", &feed->updated);
	feed_put_person(fp, "feed.", &feed->author);
	fprintf(fp, "entries.count\t%zu\n", feed->nentries);
	for (i = 0; feed->entries && i < feed->nentries; i++) {
		const struct feed_entry *e = &feed->entries[i];

		snprintf(prefix, sizeof prefix, "entries[%zu].", i);
		feed_put_text(fp, prefix, "title", &e->title);
		feed_put_text(fp, prefix, "summary", &e->summary);
		for (j = 0; j < e->ncontent; j++) {
			snprintf(key, sizeof key, "content[%zu]", j);
			feed_put_text(fp, prefix, key, &e->content[j]);
		}
		feed_put_field(fp, prefix, "link", e->link);
		feed_put_field(fp, prefix, "id", e->id);
		feed_put_date(fp, prefix, "published", &e->published);
		feed_put_date(fp, prefix, "updated", &e->updated);
		feed_put_person(fp, prefix, &e->author);
		for (j = 0; j < e->nenclosures; j++) {
			snprintf(key, sizeof key, "enclosures[%zu].url", j);
			feed_put_field(fp, prefix, key, e->enclosures[j].url);
			snprintf(key, sizeof key, "enclosures[%zu].type", j);
			feed_put_field(fp, prefix, key, e->enclosures[j].type);
			snprintf(key, sizeof key, "enclosures[%zu].length", j);
			feed_put_field(fp, prefix, key,
			               e->enclosures[j].length);
		}
	}
	return ferror(fp) ? ERR_IO : ERR_OK;
}

int feed_print_tsv(FILE *fp, const struct feed *feed,
                   const struct feed_entry *entry)
{
	const struct feed_date *d =
	        entry->published.known ? &entry->published : &entry->updated;
	const char *summary = entry->summary.text;
	char utc[TIME_UTC_LEN];

	(void)feed;
	if ((!summary || !*summary) && entry->ncontent)
		summary = entry->content[0].text;
	if (d->known) {
		time_format_utc(d->time, utc);
		fputs(utc, fp);
	}
	fputc('\t', fp);
	feed_tsv_escape(fp, entry->title.text ? entry->title.text : "");
	fputc('\t', fp);
	feed_tsv_escape(fp, entry->link ? entry->link : "");
	fputc('\t', fp);
	feed_tsv_escape(fp, entry->id ? entry->id : "");
	fputc('\t', fp);
	feed_tsv_escape(fp, entry->author.full    ? entry->author.full
	                    : entry->author.name  ? entry->author.name
	                    : entry->author.email ? entry->author.email
	                                          : "");
	fputc('\t', fp);
	feed_tsv_escape(fp, summary ? summary : "");
	fputc('\n', fp);
	return ferror(fp) ? ERR_IO : ERR_OK;
}

/* Skip s's blanks; the next byte. */
static const char *feed_skip_blanks(const char *s)
{
	while (ascii_isspace((unsigned char)*s))
		s++;
	return s;
}

/* Past word (ASCII case aside) and the blanks after it, or NULL. */
static const char *feed_past_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	if (ascii_ncasecmp(s, word, n) != 0)
		return NULL;
	return feed_skip_blanks(s + n);
}

const char *feed_summary_start(const char *text)
{
	const char *p = text ? feed_skip_blanks(text) : NULL;
	size_t digits;

	/* arXiv:NNNN.NNNNN[vN] Announce Type: WORD Abstract: */
	if (!p || !(p = feed_past_word(p, "arXiv:")))
		return text;
	for (digits = 0; ascii_isdigit((unsigned char)*p) || *p == '.'; p++)
		digits++;
	if (digits < 6)
		return text;
	if (*p == 'v')
		for (p++; ascii_isdigit((unsigned char)*p); p++)
			;
	p = feed_skip_blanks(p);
	if (!(p = feed_past_word(p, "Announce Type:")))
		return text;
	while (*p && !ascii_isspace((unsigned char)*p))
		p++;
	p = feed_skip_blanks(p);
	if (!(p = feed_past_word(p, "Abstract:")))
		return text;
	return *p ? p : text;
}

char *feed_resolve_uri(const char *uri, const char *base)
{
	struct buf out = BUF_INIT(0);
	const char *s;
	xmlChar *r;
	size_t i, n, k;
	uint32_t cp;

	if (!base || !*base)
		return xstrdup(uri);
	r = xmlBuildURI((const xmlChar *)uri, (const xmlChar *)base);
	s = r ? (const char *)r : uri;
	n = strlen(s);
	/* libxml2 decodes %XX while it resolves ("%DD" is byte 0xDD): bytes
	 * that make no UTF-8 go back to %XX, so a link is always text */
	for (i = 0; i < n; i += k) {
		k = utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_REPLACEMENT && k == 1)
			buf_printf(&out, "%%%02X", (unsigned char)s[i]);
		else
			buf_append(&out, s + i, k);
	}
	xmlFree(r);
	return buf_detach(&out);
}
