#include "fetch/feed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/file.h"
#include "common/xalloc.h"
#include "fetch/charset.h"
#include "fetch/feed_impl.h"

/* feed_parse, whole or in pieces. A document in pieces is read as it
 * comes when it is XML in UTF-8 (what feeds are): its first bytes decide
 * the encoding (charset_detect looks no further than CHARSET_DECL_MAX) and
 * the format, then each piece is cleaned (charset_utf8_push) and goes on
 * to the XML parser, so memory stays the same whatever the size. JSON and
 * other encodings are kept whole and read at the end, as feed_parse
 * reads them. Either way the result is feed_parse's. */

/* Bytes kept before the encoding and the format are decided. */
#define FEED_HEAD_BYTES 4096
/* The longest start feed_sniff_not_xml looks at: "<!doctype html". */
#define FEED_SNIFF_BYTES 14
/* Bytes read from a file at a time. */
#define FEED_READ_BYTES 65536

enum feed_stage {
	STAGE_HEAD,    /* keeping the first bytes */
	STAGE_TEXT,    /* UTF-8: cleaning, until the format is known */
	STAGE_XML,     /* UTF-8 XML: cleaned and parsed as it comes */
	STAGE_WHOLE,   /* keeping every byte for feed_parse's way */
	STAGE_NOT_FEED /* err says why; the rest is only counted */
};

struct feed_parser {
	struct feed_options opt;
	struct feed_builder fb;
	enum feed_stage stage;
	size_t total, max_bytes;
	struct buf raw;  /* the bytes so far, but in STAGE_XML */
	struct buf text; /* STAGE_TEXT: the clean text so far */
	struct charset_info ci;
	struct charset_utf8_stream utf8;
	struct xml_state *xml;
	struct buf err; /* STAGE_NOT_FEED: why, and its ERR_* code */
	int failure;
};

/* First non-space byte of the document, past a UTF-8 BOM. */
static const char *feed_first_byte(const char *s, size_t n)
{
	const char *end = s + n;

	while (s < end && ascii_isxmlspace(*s))
		s++;
	return s < end ? s : NULL;
}

static bool feed_starts_icase(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) >= n && strncasecmp(s, word, n) == 0;
}

static int feed_sniff_not_xml(const char *s, size_t n, struct buf *err)
{
	const char *p = feed_first_byte(s, n), *end = s + n;

	if (!p) {
		buf_puts(err, "not a feed: the document is empty");
		return ERR_NOT_FEED;
	}
	if (*p == '<') {
		if (feed_starts_icase(p, end, "<!doctype html") ||
		    feed_starts_icase(p, end, "<html")) {
			buf_puts(err, "not a feed: looks like an HTML page");
			return ERR_NOT_FEED;
		}
		return ERR_OK;
	}
	buf_puts(err, "not a feed: neither XML nor JSON");
	return ERR_NOT_FEED;
}

/* The encoding of the document that begins with data[0..n), into ci and
 * the feed. */
static void feed_detect(struct feed_builder *fb, const char *data, size_t n,
                        struct charset_info *ci)
{
	const char *content_type = fb->opt->content_type;

	charset_detect(data, n, content_type, ci);
	snprintf(fb->feed->encoding, sizeof fb->feed->encoding, "%s", ci->name);
	/* RFC 3023 makes text/xml without a charset us-ascii, which servers
	 * ignore: it is reported so, but read in the document's own. */
	if (strcmp(ci->source, "default") == 0 && content_type) {
		bool not_xml = ci->media_type_not_xml;

		charset_detect(data, n, NULL, ci);
		ci->media_type_not_xml = not_xml;
	}
	if (ci->media_type_not_xml)
		fb->feed->recovered = true;
}

/* The whole document data[0..n) into fb's feed: encoding, format, parse. */
static int feed_parse_document(struct feed_builder *fb, const char *data,
                               size_t n, struct buf *err)
{
	struct charset_info ci;
	struct buf converted = BUF_INIT(0);
	const char *text, *first;
	size_t text_len;
	long replaced = 0;
	int rc, ret;

	feed_detect(fb, data, n, &ci);
	converted.max = 3 * n + 64;
	rc = charset_to_utf8(data, n, ci.name, &converted, &text, &text_len,
	                     &replaced);
	if (rc == CHARSET_ERR_CAP) {
		buf_puts(err, "document too large once converted to UTF-8");
		ret = ERR_LIMIT;
		goto out;
	}
	if (rc == CHARSET_UNKNOWN) {
		fb->feed->recovered = true;
		feed_builder_note(
		        fb, "recovered: unknown encoding \"%s\", read as UTF-8",
		        ci.name);
	}
	if (replaced > 0) {
		fb->feed->recovered = true;
		feed_builder_note(fb,
		                  "recovered: %ld invalid characters replaced",
		                  replaced);
	}
	first = feed_first_byte(text, text_len);
	if (first && (*first == '{' || *first == '['))
		ret = feed_json_parse(fb, text, text_len, err);
	else if ((ret = feed_sniff_not_xml(text, text_len, err)) == ERR_OK)
		ret = feed_xml_parse(fb, text, text_len, err);
out:
	buf_free(&converted);
	return ret;
}

/* The feed once parsed, or freed on failure. */
static int feed_parse_done(struct feed_builder *fb, int ret, struct feed **out)
{
	if (ret != ERR_OK) {
		if (fb->entry)
			feed_entry_clear(fb->entry);
		feed_free(fb->feed);
		fb->feed = NULL;
		return ret;
	}
	feed_text_finish(&fb->feed->title, fb->max_text);
	feed_text_finish(&fb->feed->subtitle, fb->max_text);
	*out = fb->feed;
	fb->feed = NULL;
	return ERR_OK;
}

int feed_parse(const char *data, size_t n, const struct feed_options *opt,
               struct feed **out, struct buf *err)
{
	struct feed_builder fb;
	int ret;

	*out = NULL;
	ret = feed_builder_init(&fb, opt, n, err);
	if (ret != ERR_OK)
		return ret;
	ret = feed_parse_document(&fb, data, n, err);
	return feed_parse_done(&fb, ret, out);
}

struct feed_parser *feed_parser_new(const struct feed_options *opt)
{
	static const struct feed_options defaults;
	struct feed_parser *p = xcalloc(1, sizeof *p);

	p->opt = opt ? *opt : defaults;
	/* no cap is passed before the first byte: the call cannot fail */
	if (feed_builder_init(&p->fb, &p->opt, 0, &p->err) != ERR_OK)
		abort();
	p->max_bytes =
	        p->opt.max_bytes ? p->opt.max_bytes : FEED_DEFAULT_MAX_BYTES;
	buf_init(&p->raw, 0);
	buf_init(&p->text, 0);
	buf_init(&p->err, 4096);
	return p;
}

static void feed_emit_text(void *ctx, const char *s, size_t n)
{
	struct feed_parser *p = ctx;

	buf_append(&p->text, s, n);
}

static void feed_emit_xml(void *ctx, const char *s, size_t n)
{
	struct feed_parser *p = ctx;

	feed_xml_push(p->xml, s, n);
}

/* STAGE_TEXT: the format, once the clean text's start tells it. */
static void feed_parser_sniff(struct feed_parser *p)
{
	const char *text = buf_cstr(&p->text);
	const char *first = feed_first_byte(text, p->text.len);

	if (!first)
		return;
	if (*first == '{' || *first == '[') {
		p->stage = STAGE_WHOLE;
		buf_free(&p->text);
		return;
	}
	if (*first == '<' &&
	    (size_t)(text + p->text.len - first) < FEED_SNIFF_BYTES)
		return;
	p->failure = feed_sniff_not_xml(text, p->text.len, &p->err);
	if (p->failure != ERR_OK) {
		p->stage = STAGE_NOT_FEED;
		buf_free(&p->raw);
		buf_free(&p->text);
		return;
	}
	p->xml = feed_xml_begin(&p->fb, &p->err);
	if (!p->xml) {
		p->stage = STAGE_NOT_FEED;
		p->failure = ERR_PARSE;
		return;
	}
	p->stage = STAGE_XML;
	feed_xml_push(p->xml, text, p->text.len);
	buf_free(&p->raw);
	buf_free(&p->text);
}

/* STAGE_HEAD, enough bytes kept: the encoding. */
static void feed_parser_head(struct feed_parser *p)
{
	size_t bom;

	feed_detect(&p->fb, p->raw.data, p->raw.len, &p->ci);
	if (!charset_reads_as_utf8(p->raw.data, p->raw.len, p->ci.name, &bom)) {
		p->stage = STAGE_WHOLE;
		return;
	}
	p->stage = STAGE_TEXT;
	charset_utf8_push(&p->utf8, p->raw.data + bom, p->raw.len - bom, false,
	                  feed_emit_text, p);
	feed_parser_sniff(p);
}

void feed_parser_push(struct feed_parser *p, const char *data, size_t n)
{
	p->total += n;
	if (p->total > p->max_bytes || p->stage == STAGE_NOT_FEED) {
		buf_free(&p->raw);
		buf_free(&p->text);
		return;
	}
	switch (p->stage) {
	case STAGE_HEAD:
		buf_append(&p->raw, data, n);
		if (p->raw.len >= FEED_HEAD_BYTES)
			feed_parser_head(p);
		break;
	case STAGE_TEXT:
		buf_append(&p->raw, data, n);
		charset_utf8_push(&p->utf8, data, n, false, feed_emit_text, p);
		feed_parser_sniff(p);
		break;
	case STAGE_XML:
		charset_utf8_push(&p->utf8, data, n, false, feed_emit_xml, p);
		break;
	case STAGE_WHOLE:
		buf_append(&p->raw, data, n);
		break;
	case STAGE_NOT_FEED:
		break;
	}
}

/* STAGE_XML at the end of the document. */
static int feed_parser_end_xml(struct feed_parser *p, struct buf *err)
{
	char note[96];
	int ret;

	charset_utf8_push(&p->utf8, "", 0, true, feed_emit_xml, p);
	ret = feed_xml_end(p->xml, err);
	p->xml = NULL;
	if (p->utf8.replaced > 0) {
		/* said first, as feed_parse says it before reading */
		p->fb.feed->recovered = true;
		snprintf(note, sizeof note,
		         "recovered: %ld invalid characters replaced",
		         p->utf8.replaced);
		feed_builder_note_first(&p->fb, note);
	}
	return ret;
}

int feed_parser_finish(struct feed_parser *p, struct feed **out,
                       struct buf *err)
{
	int ret;

	*out = NULL;
	if (p->total > p->max_bytes) {
		buf_printf(err,
		           "document of %zu bytes is over the cap of %zu bytes",
		           p->total, p->max_bytes);
		return feed_parse_done(&p->fb, ERR_LIMIT, out);
	}
	switch (p->stage) {
	case STAGE_XML:
		ret = feed_parser_end_xml(p, err);
		break;
	case STAGE_NOT_FEED:
		buf_puts(err, buf_cstr(&p->err));
		ret = p->failure;
		break;
	default:
		/* not decided yet (a short document), or kept whole */
		ret = feed_parse_document(&p->fb, buf_cstr(&p->raw), p->raw.len,
		                          err);
		break;
	}
	buf_free(&p->raw);
	return feed_parse_done(&p->fb, ret, out);
}

void feed_parser_free(struct feed_parser *p)
{
	if (!p)
		return;
	feed_xml_free(p->xml);
	if (p->fb.feed) {
		if (p->fb.entry)
			feed_entry_clear(p->fb.entry);
		feed_free(p->fb.feed);
	}
	buf_free(&p->raw);
	buf_free(&p->text);
	buf_free(&p->err);
	free(p);
}

/* feed_parse_file for a regular file: read in pieces. */
static int feed_parse_regular(int fd, size_t max,
                              const struct feed_options *opt, struct feed **out,
                              struct buf *err)
{
	struct feed_parser *p;
	struct stat st;
	char *piece;
	ssize_t got;
	int ret;

	if (fstat(fd, &st) != 0) {
		buf_puts(err, strerror(errno));
		return ERR_IO;
	}
	if ((unsigned long long)st.st_size > max) {
		buf_printf(err, "%lld bytes, over the cap of %zu bytes",
		           (long long)st.st_size, max);
		return ERR_LIMIT;
	}
	p = feed_parser_new(opt);
	piece = xmalloc(FEED_READ_BYTES);
	for (;;) {
		got = read(fd, piece, FEED_READ_BYTES);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		feed_parser_push(p, piece, (size_t)got);
	}
	if (got < 0) {
		buf_puts(err, strerror(errno));
		ret = ERR_IO;
	} else {
		ret = feed_parser_finish(p, out, err);
	}
	free(piece);
	feed_parser_free(p);
	return ret;
}

int feed_parse_file(const char *path, const struct feed_options *opt,
                    struct feed **out, struct buf *err)
{
	size_t max =
	        opt && opt->max_bytes ? opt->max_bytes : FEED_DEFAULT_MAX_BYTES;
	struct file_view in;
	struct stat st;
	int fd, ret;

	*out = NULL;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			buf_puts(err, strerror(errno));
			return errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
		}
		ret = feed_parse_regular(fd, max, opt, out, err);
		close(fd);
		return ret;
	}
	ret = file_view_open(&in, path, max, err);
	if (ret == ERR_OK)
		ret = feed_parse(in.data ? in.data : "", in.len, opt, out, err);
	file_view_close(&in);
	return ret;
}
