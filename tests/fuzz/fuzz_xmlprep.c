#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "fetch/feed_impl.h"

/* Differential target for feed_xml_prepare: a document that libxml2 reads
 * without any error must give, once rewritten, the same events: the same
 * elements, attributes and character data (text and CDATA joined, as a
 * reader sees them). Its text may move into CDATA sections, nothing else
 * may change. The rewritten document must also keep its line count. Fed
 * in pieces (of 1 to 64 bytes, from the input's last byte) the pass must
 * write the same; and with a taker that hands runs to the parser where
 * fetch/feed_xml.c does, the events and the line count stay the same. */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct trace {
	struct buf events;
	int errors;
};

static void trace_text(void *ctx, const xmlChar *s, int len)
{
	struct trace *t = ctx;

	buf_append(&t->events, s, (size_t)len);
}

static void trace_start(void *ctx, const xmlChar *localname,
                        const xmlChar *prefix, const xmlChar *uri, int nns,
                        const xmlChar **namespaces, int nattrs, int ndefaulted,
                        const xmlChar **attrs)
{
	struct trace *t = ctx;
	int i;

	(void)prefix;
	(void)uri;
	(void)nns;
	(void)namespaces;
	(void)ndefaulted;
	buf_printf(&t->events, "\x01<%s", (const char *)localname);
	for (i = 0; i < nattrs; i++) {
		buf_printf(&t->events, " %s=", (const char *)attrs[5 * i]);
		buf_append(&t->events, attrs[5 * i + 3],
		           (size_t)(attrs[5 * i + 4] - attrs[5 * i + 3]));
	}
	buf_putc(&t->events, '\x01');
}

static void trace_end(void *ctx, const xmlChar *localname,
                      const xmlChar *prefix, const xmlChar *uri)
{
	struct trace *t = ctx;

	(void)prefix;
	(void)uri;
	buf_printf(&t->events, "\x01</%s\x01", (const char *)localname);
}

static void trace_error(void *ctx, xmlErrorPtr e)
{
	struct trace *t = ctx;

	if (e && e->level >= XML_ERR_ERROR)
		t->errors++;
}

static void trace_parse(const char *s, size_t n, struct trace *t)
{
	xmlSAXHandler sax;
	xmlParserCtxtPtr ctxt;
	size_t k;

	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = trace_start;
	sax.endElementNs = trace_end;
	sax.characters = trace_text;
	sax.cdataBlock = trace_text;
	sax.serror = trace_error;
	buf_init(&t->events, 0);
	t->errors = 0;
	ctxt = xmlCreatePushParserCtxt(&sax, t, NULL, 0, NULL);
	if (!ctxt)
		abort();
	/* as fetch/feed_xml.c reads: UTF-8 whatever the document says */
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
	xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
	for (; n > 0 && ctxt->instate != XML_PARSER_EOF; s += k, n -= k) {
		k = n < 4096 ? n : 4096;
		xmlParseChunk(ctxt, s, (int)k, 0);
	}
	xmlParseChunk(ctxt, NULL, 0, 1);
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	xmlFreeParserCtxt(ctxt);
}

static int sink(void *ctx, const char *s, size_t n)
{
	return buf_append(ctx, s, n) != BUF_OK;
}

/* The pass fed in pieces of step bytes, into out. */
static void prepare_in_pieces(const char *doc, size_t size, size_t step,
                              struct buf *out)
{
	struct feed_xml_prepper *pp = feed_xml_prepper_new(sink, NULL, out);
	struct feed_xml_prep res;
	size_t i;

	for (i = 0; i < size; i += step)
		feed_xml_prepper_push(pp, doc + i,
		                      size - i < step ? size - i : step);
	feed_xml_prepper_finish(pp, &res);
	feed_xml_prepper_free(pp);
}

/* A parse whose runs the pass hands over, as fetch/feed_xml.c takes them. */
struct taken {
	struct trace trace; /* first: the handlers' context */
	xmlParserCtxtPtr ctxt;
	size_t lines; /* line breaks libxml2 was given */
};

static int taken_sink(void *ctx, const char *s, size_t n)
{
	struct taken *k = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		k->lines += s[i] == '\n';
	xmlParseChunk(k->ctxt, s, (int)n, 0);
	return k->ctxt->instate == XML_PARSER_EOF;
}

static int taken_take(void *ctx, const char *s, size_t n)
{
	struct taken *k = ctx;
	xmlParserCtxtPtr c = k->ctxt;

	if (c->instate != XML_PARSER_CONTENT || c->disableSAX || !c->input ||
	    c->input->cur != c->input->end)
		return 0;
	trace_text(&k->trace, (const xmlChar *)s, (int)n);
	return 1;
}

static void trace_taken(const char *doc, size_t size, struct taken *k)
{
	xmlSAXHandler sax;
	struct feed_xml_prepper *pp;
	struct feed_xml_prep res;

	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = trace_start;
	sax.endElementNs = trace_end;
	sax.characters = trace_text;
	sax.cdataBlock = trace_text;
	sax.serror = trace_error;
	buf_init(&k->trace.events, 0);
	k->trace.errors = 0;
	k->lines = 0;
	k->ctxt = xmlCreatePushParserCtxt(&sax, &k->trace, NULL, 0, NULL);
	if (!k->ctxt)
		abort();
	xmlCtxtUseOptions(k->ctxt, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
	xmlSwitchEncoding(k->ctxt, XML_CHAR_ENCODING_UTF8);
	pp = feed_xml_prepper_new(taken_sink, taken_take, k);
	feed_xml_prepper_push(pp, doc, size);
	feed_xml_prepper_finish(pp, &res);
	feed_xml_prepper_free(pp);
	xmlParseChunk(k->ctxt, NULL, 0, 1);
	if (k->ctxt->myDoc)
		xmlFreeDoc(k->ctxt->myDoc);
	xmlFreeParserCtxt(k->ctxt);
}

static void events_differ(const char *what, const struct trace *before,
                          const struct trace *after)
{
	fprintf(stderr,
	        "fuzz_xmlprep: events differ (%s)\n"
	        "before: %s\nafter:  %s\n",
	        what, buf_cstr(&before->events), buf_cstr(&after->events));
	abort();
}

static bool same_events(const struct trace *a, const struct trace *b)
{
	return a->events.len == b->events.len &&
	       memcmp(buf_cstr(&a->events), buf_cstr(&b->events),
	              a->events.len) == 0;
}

static size_t lines(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		count += s[i] == '\n';
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *doc = (const char *)data;
	struct buf out = BUF_INIT(0), pieces = BUF_INIT(0);
	struct feed_xml_prep res;
	struct trace before, after;
	struct taken taken;

	/* the parser hands it UTF-8 only (fetch/charset.c converts first) */
	if (utf8_valid_prefix(doc, size) != size || memchr(doc, '\0', size))
		return 0;
	if (feed_xml_prepare(doc, size, sink, &out, &res) != 0)
		abort();
	if (lines(doc, size) != lines(buf_cstr(&out), out.len)) {
		fprintf(stderr, "fuzz_xmlprep: the line count changed\n");
		abort();
	}
	prepare_in_pieces(doc, size, size ? 1 + data[size - 1] % 64 : 1,
	                  &pieces);
	if (pieces.len != out.len ||
	    memcmp(buf_cstr(&pieces), buf_cstr(&out), out.len) != 0) {
		fprintf(stderr, "fuzz_xmlprep: pieces write otherwise\n");
		abort();
	}
	trace_parse(doc, size, &before);
	if (before.errors == 0) {
		trace_parse(buf_cstr(&out), out.len, &after);
		if (after.errors != 0 || !same_events(&before, &after))
			events_differ("rewritten", &before, &after);
		buf_free(&after.events);
		trace_taken(doc, size, &taken);
		if (taken.trace.errors != 0 ||
		    !same_events(&before, &taken.trace))
			events_differ("taken", &before, &taken.trace);
		if (taken.lines != lines(doc, size)) {
			fprintf(stderr,
			        "fuzz_xmlprep: taken runs moved lines\n");
			abort();
		}
		buf_free(&taken.trace.events);
	}
	buf_free(&before.events);
	buf_free(&out);
	buf_free(&pieces);
	return 0;
}
