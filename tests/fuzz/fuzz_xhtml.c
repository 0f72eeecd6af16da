#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "fetch/feed.h"

/* Differential target for fetch/feed_xhtml.c: inline XHTML read directly
 * must give what libxml2's events of it give. The first byte chooses the
 * document the rest goes into as a content (Atom content, Atom title and
 * summary, RSS xhtml:body) and the limits; the document is parsed by
 * libxml2 alone, then with the direct reader whole and in pieces (of 1 to
 * 64 bytes, from the input's last byte). Every field, note and the
 * recovered flag must agree, else it aborts. */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One per line: the parentheses tell a joined literal from a lost comma. */
static const char *const fuzz_xhtml_docs[] = {
        ("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\n"
         "<entry><id>urn:e</id><content type=\"xhtml\">%s</content></entry>"
         "<entry><title>n</title></entry></feed>\n"),
        ("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>\n"
         "<title type=\"xhtml\">%s</title><summary type=\"xhtml\">%s"
         "</summary></entry></feed>"),
        ("<rss version=\"2.0\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">"
         "<channel><item><xhtml:body>%s</xhtml:body></item></channel></rss>"),
};

static void fuzz_xhtml_fill(struct buf *doc, const char *tmpl,
                            const char *content, size_t n)
{
	const char *hole;

	for (; (hole = strstr(tmpl, "%s")) != NULL; tmpl = hole + 2) {
		buf_append(doc, tmpl, (size_t)(hole - tmpl));
		buf_append(doc, content, n);
	}
	buf_puts(doc, tmpl);
}

/* Everything the parse tells, into out. */
static void fuzz_xhtml_parse(const struct buf *doc,
                             const struct feed_options *opt, size_t piece,
                             struct buf *out)
{
	struct buf err = BUF_INIT(0);
	struct feed_parser *p;
	struct feed *f = NULL;
	char *text = NULL;
	size_t len = 0, i;
	FILE *fp;
	int rc;

	if (piece == 0) {
		rc = feed_parse(doc->data, doc->len, opt, &f, &err);
	} else {
		p = feed_parser_new(opt);
		for (i = 0; i < doc->len; i += piece)
			feed_parser_push(p, doc->data + i,
			                 doc->len - i < piece ? doc->len - i
			                                      : piece);
		rc = feed_parser_finish(p, &f, &err);
		feed_parser_free(p);
	}
	buf_printf(out, "rc %d err %s\n", rc, buf_cstr(&err));
	if (f) {
		fp = open_memstream(&text, &len);
		if (!fp || feed_print_fields(fp, f) != ERR_OK)
			abort();
		fclose(fp);
		buf_append(out, text, len);
		buf_printf(out, "notes\n%s", buf_cstr(&f->notes));
		free(text);
	}
	feed_free(f);
	buf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf doc = BUF_INIT(0), want = BUF_INIT(0), got = BUF_INIT(0);
	struct feed_options opt = {0};
	size_t step;
	long direct = 0;
	int pass;

	if (size < 1)
		return 0;
	fuzz_xhtml_fill(&doc, fuzz_xhtml_docs[data[0] % 3],
	                (const char *)data + 1, size - 1);
	if (data[0] & 4)
		opt.max_depth = 6;
	if (data[0] & 8)
		opt.max_text = 40;
	opt.xhtml_by_libxml2 = true;
	fuzz_xhtml_parse(&doc, &opt, 0, &want);
	opt.xhtml_by_libxml2 = false;
	opt.xhtml_direct = &direct;
	step = 1 + data[size - 1] % 64;
	for (pass = 0; pass < 2; pass++) {
		buf_reset(&got);
		fuzz_xhtml_parse(&doc, &opt, pass ? step : 0, &got);
		if (got.len != want.len ||
		    memcmp(buf_cstr(&got), buf_cstr(&want), want.len) != 0) {
			fprintf(stderr,
			        "fuzz_xhtml: read directly otherwise (%s)\n"
			        "--- libxml2:\n%s\n--- direct:\n%s\n",
			        pass ? "in pieces" : "whole", buf_cstr(&want),
			        buf_cstr(&got));
			abort();
		}
	}
	buf_free(&doc);
	buf_free(&want);
	buf_free(&got);
	return 0;
}
