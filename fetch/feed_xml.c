#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/feed_impl.h"
#include "fetch/feed_xml_impl.h"
#include "fetch/html.h"

/* RSS, RDF and Atom through libxml2's SAX2 interface, pushed in chunks.
 *
 * Safety: no entityDecl, externalSubset or resolveEntity handler is given,
 * so declared entities are never stored, expanded or loaded; getEntity
 * answers only HTML's named references (feeds use them without a DTD) and
 * returns any other name as literal text. XML_PARSE_NONET, never NOENT,
 * DTDLOAD or HUGE. Recovery from broken documents is on and recorded. */

#define XML_CHUNK 65536

/* The class of an element's namespace; libxml2 hands out one interned
 * string per URI, so the answers for the last few are kept by pointer. */
static enum xml_ns xml_ns_of_cached(struct xml_state *st, const xmlChar *uri)
{
	struct xml_ns_seen *slot;
	size_t i, n = st->ns_nseen < XML_NS_SEEN ? st->ns_nseen : XML_NS_SEEN;

	if (!uri)
		return NS_CORE;
	for (i = 0; i < n; i++)
		if (st->ns_seen[i].uri == uri)
			return st->ns_seen[i].ns;
	slot = &st->ns_seen[st->ns_nseen++ % XML_NS_SEEN];
	slot->uri = uri;
	slot->ns = feed_xml_ns_lookup(uri);
	return slot->ns;
}

/* The name in ASCII lower case, for matching; a longer name than any
 * the tables know is cut, on a character boundary. */
static void xml_lower(char *dst, const xmlChar *src)
{
	size_t i;

	for (i = 0; src[i] && i < XML_NAME_MAX - 1; i++)
		dst[i] = (char)ascii_tolower(src[i]);
	if (src[i])
		i = utf8_valid_prefix(dst, i);
	dst[i] = '\0';
}

static bool xml_attr_present(const xmlChar **attrs, int nattrs,
                             const char *name)
{
	int i;

	for (i = 0; i < nattrs; i++)
		if (strcasecmp((const char *)attrs[5 * i], name) == 0)
			return true;
	return false;
}

static void xml_push_base(struct xml_state *st, const xmlChar **attrs,
                          int nattrs)
{
	char *base = NULL;
	int i;

	/* the prefix xml is bound to the XML namespace by definition */
	for (i = 0; i < nattrs; i++)
		if (attrs[5 * i + 1] &&
		    strcmp((const char *)attrs[5 * i + 1], "xml") == 0 &&
		    strcmp((const char *)attrs[5 * i], "base") == 0)
			break;
	if (i == nattrs)
		return;
	base = feed_xml_attr(attrs, nattrs, NS_XML, "base");

	if (!base)
		return;
	if (st->nbases == XML_BASE_MAX) {
		free(base);
		return;
	}
	st->bases[st->nbases].depth = st->depth;
	st->bases[st->nbases].uri = feed_xml_resolve(st, base);
	st->nbases++;
	free(base);
}

static void xml_pop_bases(struct xml_state *st)
{
	while (st->nbases && st->bases[st->nbases - 1].depth > st->depth) {
		st->nbases--;
		free(st->bases[st->nbases].uri);
	}
}

/* Append to a capture; what passes its cap is cut off (a character may be
 * cut: the value's end is trimmed), so the value does not depend on the
 * pieces the text came in. */
static void xml_capture_append(struct xml_state *st, struct buf *b,
                               const char *s, size_t n)
{
	size_t room;

	if (buf_append(b, s, n) == BUF_OK)
		return;
	room = b->max > b->len ? b->max - b->len : 0;
	if (room > 0 && room < n)
		buf_append(b, s, room);
	if (!st->cap.truncated) {
		st->cap.truncated = true;
		feed_builder_note(st->fb,
		                  "cut: a field longer than %zu bytes "
		                  "was truncated",
		                  st->fb->max_text);
	}
}

/* The reference a byte of text becomes in markup, or NULL; quote: in an
 * attribute value. */
static const char *xml_escape_of(unsigned char c, bool quote)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return quote ? "&quot;" : NULL;
	default:
		return NULL;
	}
}

static void xml_append_escaped(struct xml_state *st, const char *s, size_t n,
                               bool quote)
{
	/* the bytes that need a reference, one lookup a byte: & < > and,
	 * in a value ([1]), " */
	static const unsigned char special[2][256] = {
	        {['&'] = 1, ['<'] = 1, ['>'] = 1},
	        {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1}};
	const unsigned char *tab = special[quote];
	const char *run = s, *end = s + n, *esc;

	for (;;) {
		while (s < end && !tab[(unsigned char)*s])
			s++;
		if (s == end)
			break;
		esc = xml_escape_of((unsigned char)*s, quote);
		xml_capture_append(st, &st->cap.text, run, (size_t)(s - run));
		xml_capture_append(st, &st->cap.text, esc, strlen(esc));
		run = ++s;
	}
	xml_capture_append(st, &st->cap.text, run, (size_t)(end - run));
}

static void xml_entry_begin(struct xml_state *st)
{
	feed_builder_begin_entry(st->fb);
	st->entry_depth = st->depth;
	st->group_depth = 0;
	memset(st->entry_rank, 0xff, sizeof st->entry_rank);
	free(st->entry_guid_link);
	st->entry_guid_link = NULL;
}

static void xml_entry_end(struct xml_state *st)
{
	struct feed_entry *e = st->fb->entry;

	/* An RSS guid that is a permalink doubles as the link. */
	if (e && !e->link && st->entry_guid_link)
		e->link = feed_xml_resolve(st, st->entry_guid_link);
	free(st->entry_guid_link);
	st->entry_guid_link = NULL;
	st->entry_depth = 0;
	st->group_depth = 0;
	feed_builder_end_entry(st->fb);
	if (st->fb->stopped)
		xml_stop(st);
}

static bool xml_blank(const struct buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (!strchr(" \t\r\n", b->data[i]))
			return false;
	return true;
}

/* Serialize a child element of a captured text construct. */
static void xml_capture_child_start(struct xml_state *st, const char *name,
                                    const xmlChar *localname,
                                    const xmlChar **attrs, int nattrs)
{
	struct xml_capture *c = &st->cap;
	int i;

	/* Typepad wraps escaped HTML in an XHTML div: not content. */
	if (!c->had_children && c->rule->type == T_ATTR &&
	    st->depth == c->depth + 1 && strcmp(name, "div") == 0 &&
	    c->type == FEED_TEXT_HTML && xml_blank(&c->text))
		c->skip_depth = st->depth;
	c->had_children = true;
	if (c->rule->field == F_AUTHOR && st->depth == c->depth + 1) {
		if (strcmp(name, "name") == 0)
			c->sub = 'n';
		else if (strcmp(name, "email") == 0)
			c->sub = 'e';
		buf_reset(&c->sub_text);
		return;
	}
	if (!c->markup || st->depth == c->skip_depth)
		return;
	xml_capture_append(st, &c->text, "<", 1);
	xml_capture_append(st, &c->text, (const char *)localname,
	                   strlen((const char *)localname));
	for (i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;
		char *value = feed_xml_attr_text(a);

		xml_capture_append(st, &c->text, " ", 1);
		xml_capture_append(st, &c->text, (const char *)a[0],
		                   strlen((const char *)a[0]));
		xml_capture_append(st, &c->text, "=\"", 2);
		xml_append_escaped(st, value, strlen(value), true);
		xml_capture_append(st, &c->text, "\"", 1);
		free(value);
	}
	xml_capture_append(st, &c->text, ">", 1);
}

static void xml_capture_child_end(struct xml_state *st,
                                  const xmlChar *localname)
{
	struct xml_capture *c = &st->cap;

	if (c->rule->field == F_AUTHOR && st->depth == c->depth + 1) {
		char **slot = c->sub == 'n'   ? &c->name
		              : c->sub == 'e' ? &c->email
		                              : NULL;

		if (slot && !*slot) {
			char *v = feed_xml_capture_value(&c->sub_text, true);

			if (*v)
				*slot = v;
			else
				free(v);
		}
		c->sub = 0;
		return;
	}
	if (!c->markup || st->depth == c->skip_depth)
		return;
	xml_capture_append(st, &c->text, "</", 2);
	xml_capture_append(st, &c->text, (const char *)localname,
	                   strlen((const char *)localname));
	xml_capture_append(st, &c->text, ">", 1);
}

/* libxml2 marks the document not well-formed after any error and then
 * drops every later entity reference, &amp; included. Errors are recorded
 * as they come, so the flag is reset to keep reading what follows. */
static void xml_keep_going(struct xml_state *st)
{
	if (!st->ctxt->wellFormed)
		st->ctxt->wellFormed = 1;
}

static void xml_start(void *ctx, const xmlChar *localname,
                      const xmlChar *prefix, const xmlChar *uri, int nns,
                      const xmlChar **namespaces, int nattrs, int ndefaulted,
                      const xmlChar **attrs)
{
	struct xml_state *st = ctx;
	char name[XML_NAME_MAX];
	enum xml_ns ns;
	bool in_entry, is_parent;
	size_t i;

	(void)prefix;
	(void)ndefaulted;
	xml_keep_going(st);
	st->depth++;
	if (st->depth > st->fb->max_depth) {
		feed_builder_note(st->fb,
		                  "cut: elements nested deeper than %zu",
		                  st->fb->max_depth);
		st->fb->feed->recovered = true;
		xml_stop(st);
		return;
	}
	if (nattrs)
		xml_push_base(st, attrs, nattrs);
	xml_lower(name, localname);
	if (st->cap.active) {
		xml_capture_child_start(st, name, localname, attrs, nattrs);
		return;
	}
	ns = xml_ns_of_cached(st, uri);
	if (ns == NS_OTHER && st->root_uri && uri &&
	    strcmp((const char *)uri, st->root_uri) == 0)
		ns = NS_CORE;
	if (ns == NS_CORE && st->atom)
		ns = NS_ATOM;
	if (!st->root_seen) {
		st->root_seen = true;
		feed_xml_root(st, name, ns, uri, namespaces, nns, attrs,
		              nattrs);
		return;
	}
	if (ns == NS_CORE && st->entry_depth == 0 && !st->atom &&
	    strcmp(name, "channel") == 0) {
		if (!st->feed_depth)
			st->feed_depth = st->depth;
		return;
	}
	if ((ns == NS_CORE && strcmp(name, "item") == 0) ||
	    (ns == NS_ATOM && strcmp(name, "entry") == 0)) {
		if (st->entry_depth == 0 && !st->fb->stopped) {
			char *about =
			        feed_xml_attr(attrs, nattrs, NS_RDF, "about");

			xml_entry_begin(st);
			if (about && *about) {
				st->entry_rank[F_ID] = 2;
				st->fb->entry->id = about;
				about = NULL;
			}
			free(about);
		}
		return;
	}
	in_entry = st->entry_depth != 0;
	if (in_entry)
		is_parent =
		        st->depth == st->entry_depth + 1 ||
		        (st->group_depth && st->depth == st->group_depth + 1);
	else
		is_parent = st->feed_depth && st->depth == st->feed_depth + 1;
	if (!is_parent)
		return;
	/* Atom names in an RSS document keep their meaning (atom:link). */
	for (i = st->rule_first[ns]; i < st->rule_end[ns]; i++) {
		const struct xml_field_rule *r = &feed_xml_fields[i];

		if (!(r->ctx & (in_entry ? CTX_ENTRY : CTX_FEED)) ||
		    r->name[0] != name[0] || strcmp(r->name, name) != 0)
			continue;
		switch (r->field) {
		case F_GROUP:
			st->group_depth = st->depth;
			return;
		case F_ENCLOSURE:
			feed_xml_enclosure(st, attrs, nattrs);
			return;
		case F_LINK:
			if (ns == NS_ATOM ||
			    xml_attr_present(attrs, nattrs, "href")) {
				feed_xml_atom_link(st, in_entry, attrs, nattrs);
				return;
			}
			break;
		default:
			break;
		}
		feed_xml_capture_begin(st, r, in_entry, attrs, nattrs);
		return;
	}
}

static void xml_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                    const xmlChar *uri)
{
	struct xml_state *st = ctx;

	(void)prefix;
	(void)uri;
	xml_keep_going(st);
	if (st->depth == 0)
		return;
	if (st->cap.active) {
		if (st->depth == st->cap.depth) {
			feed_xml_capture_end(st);
		} else {
			xml_capture_child_end(st, localname);
		}
	} else if (st->entry_depth && st->depth == st->entry_depth) {
		xml_entry_end(st);
	} else if (st->group_depth && st->depth == st->group_depth) {
		st->group_depth = 0;
	} else if (st->feed_depth && st->depth == st->feed_depth) {
		st->feed_depth = 0;
	}
	st->depth--;
	xml_pop_bases(st);
}

/* Character data, from libxml2 or the pre-pass. */
static void xml_text(struct xml_state *st, const char *s, size_t n)
{
	struct xml_capture *c = &st->cap;

	xml_keep_going(st);
	if (!c->active)
		return;
	if (c->sub)
		xml_capture_append(st, &c->sub_text, s, n);
	else if (c->escape_text)
		xml_append_escaped(st, s, n, false);
	else
		xml_capture_append(st, &c->text, s, n);
}

static void xml_chars(void *ctx, const xmlChar *s, int len)
{
	xml_text(ctx, (const char *)s, (size_t)len);
}

/* HTML 4 meanings where HTML5 moved a name (feedparser reads HTML 4). */
static const struct {
	const char *name;
	const char *text;
} xml_html4_entities[] = {
        {"lang", "\xE2\x8C\xA9"}, /* U+2329 */
        {"rang", "\xE2\x8C\xAA"}, /* U+232A */
};

/* The text of the named reference: one the document declared with plain
 * text, else an HTML name (feeds use them without a DTD), else NULL. */
static const char *xml_entity_text(const struct xml_state *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->ndeclared; i++)
		if (strcmp(st->declared[i].name, name) == 0)
			return st->declared[i].text;
	for (i = 0; i < sizeof xml_html4_entities / sizeof *xml_html4_entities;
	     i++)
		if (strcmp(xml_html4_entities[i].name, name) == 0)
			return xml_html4_entities[i].text;
	return html_entity_lookup(name, strlen(name));
}

/* The text a named reference reads as, in st->entity_text: any name but
 * a declared or an HTML one comes back as its own literal text. */
static const char *xml_entity_fill(void *ctx, const char *name)
{
	struct xml_state *st = ctx;
	const char *text = xml_entity_text(st, name);

	if (text)
		snprintf(st->entity_text, sizeof st->entity_text, "%s", text);
	else {
		/* a name is any length: keep 50 bytes, whole characters */
		size_t n = strlen(name);

		if (n > 50)
			n = utf8_valid_prefix(name, 50);
		snprintf(st->entity_text, sizeof st->entity_text, "&%.*s;",
		         (int)n, name);
	}
	return st->entity_text;
}

/* Any other name comes back as its own literal text, so nothing declared
 * with markup or references is ever expanded (billion laughs) and nothing
 * external is ever loaded (XXE). */
static xmlEntityPtr xml_get_entity(void *ctx, const xmlChar *name)
{
	struct xml_state *st = ctx;
	xmlEntity *ent = &st->entity;

	xml_entity_fill(st, (const char *)name);
	memset(ent, 0, sizeof *ent);
	ent->type = XML_ENTITY_DECL;
	ent->etype = XML_INTERNAL_PREDEFINED_ENTITY;
	ent->name = name;
	ent->content = (xmlChar *)st->entity_text;
	ent->orig = ent->content;
	ent->length = (int)strlen(st->entity_text);
	return ent;
}

/* Keep internal entities whose value is plain text (no '&', no '<'): a
 * bounded number, each bounded; no other declaration is kept. */
static void xml_entity_decl(void *ctx, const xmlChar *name, int type,
                            const xmlChar *public_id, const xmlChar *system_id,
                            xmlChar *content)
{
	struct xml_state *st = ctx;

	(void)public_id;
	(void)system_id;
	if (type != XML_INTERNAL_GENERAL_ENTITY || !content || !name ||
	    st->ndeclared == XML_MAX_DECLARED ||
	    strlen((const char *)content) >= XML_DECLARED_TEXT_MAX ||
	    strpbrk((const char *)content, "&<"))
		return;
	st->declared[st->ndeclared].name = xstrdup((const char *)name);
	st->declared[st->ndeclared].text = xstrdup((const char *)content);
	st->ndeclared++;
}

static void xml_error(void *ctx, xmlErrorPtr e)
{
	struct xml_state *st = ctx;
	size_t n;

	if (!e || e->level < XML_ERR_ERROR)
		return;
	st->fb->feed->recovered = true;
	if (st->errors++ == 0) {
		struct buf msg = BUF_INIT(0);

		/* messages quote the document: keep them valid and short */
		utf8_append_cut(&msg, e->message ? e->message : "error", 160);
		n = msg.len;
		while (n && (msg.data[n - 1] == '\n' || msg.data[n - 1] == ' '))
			n--;
		feed_builder_note(st->fb, "recovered: line %d: %.*s", e->line,
		                  (int)n, buf_cstr(&msg));
		buf_free(&msg);
	}
}

/* The sink of the pre-pass: the rewritten document into libxml2, in
 * pieces of at most XML_CHUNK (a larger push trips its lookup limit). */
static int xml_push(void *ctx, const char *s, size_t n)
{
	struct xml_state *st = ctx;
	xmlParserCtxtPtr ctxt = st->ctxt;
	size_t k;

	for (; n > 0; s += k, n -= k) {
		if (ctxt->disableSAX || ctxt->instate == XML_PARSER_EOF)
			return 1;
		k = n < XML_CHUNK ? n : XML_CHUNK;
		xmlParseChunk(ctxt, s, (int)k, 0);
	}
	return ctxt->instate == XML_PARSER_EOF;
}

/* Whether libxml2 has read all it was given and stands inside an element
 * with nothing left to read: where a run taken from the pre-pass goes. */
static bool xml_between_events(const struct xml_state *st)
{
	xmlParserCtxtPtr ctxt = st->ctxt;

	return ctxt->instate == XML_PARSER_CONTENT && !ctxt->disableSAX &&
	       ctxt->input && ctxt->input->cur == ctxt->input->end;
}

/* The pre-pass offers a run of content once libxml2 has read all before
 * it: taken as character data when libxml2 is inside an element with
 * nothing left to read, which is where it would have read it. */
static int xml_take_text(void *ctx, const char *s, size_t n)
{
	struct xml_state *st = ctx;

	if (!xml_between_events(st))
		return 0;
	xml_text(st, s, n);
	return 1;
}

/* The pre-pass offers the content of an element that may be inline
 * XHTML: read directly (fetch/feed_xhtml.c) when it is the content of the
 * XHTML text construct being captured, as xml_capture_child_start and
 * xml_text would have written it from libxml2's events. */
static long xml_take_markup(void *ctx, const char *s, size_t n, bool final,
                            long *bare_amp)
{
	struct xml_state *st = ctx;
	struct xml_capture *c = &st->cap;
	struct feed_xhtml_opts o;
	enum feed_xhtml_status r;
	size_t used = 0, cap_depth;

	if (st->fb->opt->xhtml_by_libxml2 || !c->active || !c->escape_text ||
	    c->sub || c->rule->field == F_AUTHOR || st->depth != c->depth ||
	    !xml_between_events(st))
		return 0;
	/* the Typepad wrapper (xml_capture_child_start) is libxml2's */
	if (!c->had_children && c->rule->type == T_ATTR &&
	    c->type == FEED_TEXT_HTML)
		return 0;
	cap_depth = st->fb->max_depth < 200 ? st->fb->max_depth : 200;
	memset(&o, 0, sizeof o);
	o.skip_top = c->skip_depth == c->depth + 1;
	o.max_depth = cap_depth > st->depth ? cap_depth - st->depth : 0;
	o.out_max =
	        (c->text.max > c->text.len ? c->text.max - c->text.len : 0) + 1;
	o.entity = xml_entity_fill;
	o.ctx = st;
	buf_reset(&st->markup);
	r = feed_xhtml_read(s, n, final, &o, &st->markup, &used, bare_amp);
	if (r == FEED_XHTML_MORE)
		return -1;
	if (r != FEED_XHTML_TAKEN)
		return 0;
	c->had_children = true;
	xml_capture_append(st, &c->text, st->markup.data, st->markup.len);
	if (st->fb->opt->xhtml_direct)
		(*st->fb->opt->xhtml_direct)++;
	return (long)used;
}

struct xml_state *feed_xml_begin(struct feed_builder *fb, struct buf *err)
{
	struct xml_state *st = xcalloc(1, sizeof *st);
	xmlSAXHandler sax;

	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = xml_start;
	sax.endElementNs = xml_end;
	sax.characters = xml_chars;
	sax.cdataBlock = xml_chars;
	sax.getEntity = xml_get_entity;
	sax.entityDecl = xml_entity_decl;
	sax.serror = xml_error;

	st->fb = fb;
	memset(st->feed_rank, 0xff, sizeof st->feed_rank);
	feed_xml_index_rules(st->rule_first, st->rule_end);
	buf_init(&st->cap.text, fb->max_text);
	buf_init(&st->cap.sub_text, 64 * 1024);
	buf_init(&st->markup, 0);

	st->ctxt = xmlCreatePushParserCtxt(&sax, st, NULL, 0, NULL);
	if (!st->ctxt) {
		buf_puts(err, "cannot create an XML parser");
		free(st);
		return NULL;
	}
	xmlCtxtUseOptions(st->ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET |
	                                    XML_PARSE_IGNORE_ENC |
	                                    XML_PARSE_NOWARNING);
	xmlSwitchEncoding(st->ctxt, XML_CHAR_ENCODING_UTF8);
	st->prep = feed_xml_prepper_new(xml_push, xml_take_text, st);
	feed_xml_prepper_take_markup(st->prep, xml_take_markup);
	return st;
}

void feed_xml_push(struct xml_state *st, const char *data, size_t n)
{
	feed_xml_prepper_push(st->prep, data, n);
}

/* What the end of the document tells: repairs, truncation, not a feed. */
static int xml_conclude(struct xml_state *st, const struct feed_xml_prep *prep,
                        struct buf *err)
{
	struct feed_builder *fb = st->fb;
	int ret = ERR_OK;

	if (prep->bare_amp) {
		fb->feed->recovered = true;
		feed_builder_note(fb, "recovered: %ld bare '&' read as text",
		                  prep->bare_amp);
	}
	if (prep->bare_lt) {
		fb->feed->recovered = true;
		feed_builder_note(fb, "recovered: %ld bare '<' read as text",
		                  prep->bare_lt);
	}
	if (st->depth > 0 && !st->not_feed && !fb->stopped) {
		fb->feed->recovered = true;
		feed_builder_note(fb, "recovered: the document ends before its "
		                      "elements are closed (truncated?)");
	}
	if (st->cap.active && fb->entry == NULL && st->cap.in_entry)
		st->cap.active = false;
	if (st->cap.active)
		feed_xml_capture_end(st);
	if (fb->entry) {
		/* A truncated document: keep the entry it was reading. */
		xml_entry_end(st);
	}
	if (st->not_feed) {
		if (strcmp(st->root_name, "html") == 0)
			buf_puts(err, "not a feed: looks like an HTML page");
		else
			buf_printf(err, "not a feed: the root element is <%s>",
			           st->root_name);
		ret = ERR_NOT_FEED;
	} else if (!st->root_seen) {
		buf_puts(err, "not a feed: no XML element could be read");
		ret = ERR_NOT_FEED;
	}
	if (st->errors > 1)
		feed_builder_note(fb, "recovered: %ld errors in all",
		                  st->errors);
	return ret;
}

int feed_xml_end(struct xml_state *st, struct buf *err)
{
	struct feed_xml_prep prep;
	int ret;

	feed_xml_prepper_finish(st->prep, &prep);
	if (st->ctxt->instate != XML_PARSER_EOF)
		xmlParseChunk(st->ctxt, NULL, 0, 1);
	ret = xml_conclude(st, &prep, err);
	feed_xml_free(st);
	return ret;
}

void feed_xml_free(struct xml_state *st)
{
	if (!st)
		return;
	/* libxml2 keeps declared entities in a document of its own "for
	 * expat compatibility" even in SAX mode; they are never used here. */
	if (st->ctxt->myDoc) {
		xmlFreeDoc(st->ctxt->myDoc);
		st->ctxt->myDoc = NULL;
	}
	xmlFreeParserCtxt(st->ctxt);
	feed_xml_prepper_free(st->prep);
	while (st->nbases)
		free(st->bases[--st->nbases].uri);
	buf_free(&st->cap.text);
	buf_free(&st->cap.sub_text);
	buf_free(&st->markup);
	free(st->cap.name);
	free(st->cap.email);
	free(st->entry_guid_link);
	free(st->root_uri);
	while (st->ndeclared) {
		st->ndeclared--;
		free(st->declared[st->ndeclared].name);
		free(st->declared[st->ndeclared].text);
	}
	free(st);
}

int feed_xml_parse(struct feed_builder *fb, const char *data, size_t n,
                   struct buf *err)
{
	struct xml_state *st = feed_xml_begin(fb, err);

	if (!st)
		return ERR_PARSE;
	feed_xml_push(st, data, n);
	return feed_xml_end(st, err);
}
