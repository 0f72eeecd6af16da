#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>

#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/feed_impl.h"
#include "fetch/html.h"

/* RSS, RDF and Atom through libxml2's SAX2 interface, pushed in chunks.
 *
 * Safety: no entityDecl, externalSubset or resolveEntity handler is given,
 * so declared entities are never stored, expanded or loaded; getEntity
 * answers only HTML's named references (feeds use them without a DTD) and
 * returns any other name as literal text. XML_PARSE_NONET, never NOENT,
 * DTDLOAD or HUGE. Recovery from broken documents is on and recorded. */

#define XML_CHUNK 65536
#define XML_NAME_MAX 64
#define XML_BASE_MAX 32
#define XML_MAX_DECLARED 64
#define XML_DECLARED_TEXT_MAX 1024

enum xml_ns {
	NS_OTHER = 0,
	NS_CORE, /* no namespace, RSS 0.90/1.0/2.0 namespaces */
	NS_ATOM,
	NS_DC,
	NS_DCTERMS,
	NS_CONTENT,
	NS_MEDIA,
	NS_ITUNES,
	NS_XHTML,
	NS_RDF,
	NS_SLASH,
	NS_XML,
	NS_COUNT
};

static const struct {
	const char *uri;
	enum xml_ns ns;
} xml_namespaces[] = {
        {"http://purl.org/rss/1.0/", NS_CORE},
        {"http://my.netscape.com/rdf/simple/0.9/", NS_CORE},
        {"http://backend.userland.com/rss2", NS_CORE},
        {"http://backend.userland.com/rss", NS_CORE},
        {"http://blogs.law.harvard.edu/tech/rss", NS_CORE},
        {"http://purl.org/net/rss1.1#", NS_CORE},
        {"http://www.w3.org/2005/Atom", NS_ATOM},
        {"https://www.w3.org/2005/Atom", NS_ATOM},
        {"http://purl.org/atom/ns#", NS_ATOM},
        {"http://purl.org/dc/elements/1.1/", NS_DC},
        {"http://purl.org/dc/elements/1.0/", NS_DC},
        {"http://purl.org/dc/terms/", NS_DCTERMS},
        {"http://purl.org/rss/1.0/modules/content/", NS_CONTENT},
        {"http://search.yahoo.com/mrss/", NS_MEDIA},
        {"http://search.yahoo.com/mrss", NS_MEDIA},
        {"http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES},
        {"http://example.com/dtds/podcast-1.0.dtd", NS_ITUNES},
        {"http://www.w3.org/1999/xhtml", NS_XHTML},
        {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF},
        {"http://purl.org/rss/1.0/modules/slash/", NS_SLASH},
        {"http://www.w3.org/XML/1998/namespace", NS_XML},
};

enum xml_field {
	F_NONE = 0,
	F_TITLE,
	F_SUBTITLE,
	F_SUMMARY,
	F_CONTENT,
	F_LINK,
	F_ID,
	F_GUID,
	F_PUBLISHED,
	F_UPDATED,
	F_AUTHOR,
	F_ENCLOSURE,
	F_COMMENTS,
	F_GROUP, /* media:group: its children count as the entry's */
	F_COUNT
};

enum { CTX_FEED = 1, CTX_ENTRY = 2, CTX_BOTH = 3 };

/* How a text construct's type is decided. */
enum xml_type_rule {
	T_PLAIN, /* plain text, HTML when it looks like HTML (non-Atom) */
	T_HTML,  /* HTML unless the element says otherwise */
	T_XHTML, /* inline XHTML (xhtml:body) */
	T_ATTR   /* Atom: the type (and 0.3 mode) attributes */
};

/* Element -> field, grouped by namespace (xml_start looks at one group).
 * A field set by an element of a lower rank number is
 * not replaced by one of a higher number; of equal ranks the last wins, as
 * in feedparser (a repeated <updated>). */
static const struct xml_field_rule {
	enum xml_ns ns;
	const char *name; /* lower case */
	unsigned char ctx;
	unsigned char field;
	unsigned char rank;
	unsigned char type;
} xml_fields[] = {
        {NS_CORE, "title", CTX_BOTH, F_TITLE, 0, T_PLAIN},
        {NS_CORE, "description", CTX_FEED, F_SUBTITLE, 0, T_HTML},
        {NS_CORE, "description", CTX_ENTRY, F_SUMMARY, 0, T_HTML},
        {NS_CORE, "summary", CTX_ENTRY, F_SUMMARY, 0, T_HTML},
        {NS_CORE, "fullitem", CTX_ENTRY, F_CONTENT, 0, T_HTML},
        {NS_CORE, "body", CTX_ENTRY, F_CONTENT, 0, T_XHTML},
        {NS_CORE, "link", CTX_BOTH, F_LINK, 0, T_PLAIN},
        {NS_CORE, "guid", CTX_ENTRY, F_GUID, 0, T_PLAIN},
        {NS_CORE, "pubdate", CTX_BOTH, F_PUBLISHED, 0, T_PLAIN},
        {NS_CORE, "lastbuilddate", CTX_FEED, F_UPDATED, 0, T_PLAIN},
        {NS_CORE, "author", CTX_BOTH, F_AUTHOR, 0, T_PLAIN},
        {NS_CORE, "managingeditor", CTX_FEED, F_AUTHOR, 2, T_PLAIN},
        {NS_CORE, "enclosure", CTX_ENTRY, F_ENCLOSURE, 0, T_PLAIN},
        {NS_ATOM, "title", CTX_BOTH, F_TITLE, 0, T_ATTR},
        {NS_ATOM, "subtitle", CTX_FEED, F_SUBTITLE, 0, T_ATTR},
        {NS_ATOM, "tagline", CTX_FEED, F_SUBTITLE, 0, T_ATTR},
        {NS_ATOM, "summary", CTX_ENTRY, F_SUMMARY, 0, T_ATTR},
        {NS_ATOM, "content", CTX_ENTRY, F_CONTENT, 0, T_ATTR},
        {NS_ATOM, "link", CTX_BOTH, F_LINK, 0, T_PLAIN},
        {NS_ATOM, "id", CTX_BOTH, F_ID, 0, T_PLAIN},
        {NS_ATOM, "published", CTX_BOTH, F_PUBLISHED, 0, T_PLAIN},
        {NS_ATOM, "issued", CTX_BOTH, F_PUBLISHED, 0, T_PLAIN},
        {NS_ATOM, "updated", CTX_BOTH, F_UPDATED, 0, T_PLAIN},
        {NS_ATOM, "modified", CTX_BOTH, F_UPDATED, 0, T_PLAIN},
        {NS_ATOM, "author", CTX_BOTH, F_AUTHOR, 0, T_PLAIN},
        {NS_DC, "title", CTX_BOTH, F_TITLE, 1, T_PLAIN},
        {NS_DC, "description", CTX_FEED, F_SUBTITLE, 1, T_HTML},
        {NS_DC, "description", CTX_ENTRY, F_SUMMARY, 1, T_HTML},
        {NS_DC, "date", CTX_BOTH, F_UPDATED, 1, T_PLAIN},
        {NS_DC, "creator", CTX_BOTH, F_AUTHOR, 1, T_PLAIN},
        {NS_DC, "author", CTX_BOTH, F_AUTHOR, 1, T_PLAIN},
        {NS_DCTERMS, "issued", CTX_BOTH, F_PUBLISHED, 1, T_PLAIN},
        {NS_DCTERMS, "modified", CTX_BOTH, F_UPDATED, 1, T_PLAIN},
        {NS_CONTENT, "encoded", CTX_ENTRY, F_CONTENT, 0, T_HTML},
        {NS_MEDIA, "title", CTX_ENTRY, F_TITLE, 2, T_PLAIN},
        {NS_MEDIA, "description", CTX_ENTRY, F_SUMMARY, 3, T_PLAIN},
        {NS_MEDIA, "group", CTX_ENTRY, F_GROUP, 0, T_PLAIN},
        {NS_ITUNES, "subtitle", CTX_FEED, F_SUBTITLE, 2, T_PLAIN},
        {NS_ITUNES, "summary", CTX_ENTRY, F_SUMMARY, 2, T_PLAIN},
        {NS_ITUNES, "author", CTX_BOTH, F_AUTHOR, 3, T_PLAIN},
        {NS_XHTML, "body", CTX_ENTRY, F_CONTENT, 0, T_XHTML},
        {NS_SLASH, "comments", CTX_ENTRY, F_COMMENTS, 0, T_PLAIN},
};

struct xml_base {
	size_t depth;
	char *uri;
};

struct xml_capture {
	bool active;
	size_t depth; /* of the element being captured */
	const struct xml_field_rule *rule;
	bool in_entry;
	enum feed_text_type type;
	bool type_explicit;
	bool markup;       /* child elements are serialized into the text */
	bool escape_text;  /* character data is re-escaped (XHTML) */
	size_t skip_depth; /* depth of an Atom xhtml wrapper div, or 0 */
	bool permalink;    /* guid: isPermaLink is not "false" */
	bool had_children;
	bool truncated;
	struct buf text;
	/* Atom person constructs: <name>, <email> children. */
	int sub; /* 0, 'n' or 'e' */
	struct buf sub_text;
	char *name, *email;
};

struct xml_state {
	struct feed_builder *fb;
	xmlParserCtxtPtr ctxt;
	size_t depth;
	bool root_seen;
	bool not_feed;
	bool atom;          /* the document is Atom: core names mean Atom */
	size_t feed_depth;  /* depth of <channel> or the Atom <feed>, or 0 */
	size_t entry_depth; /* depth of the open <item>/<entry>, or 0 */
	size_t group_depth; /* depth of an open media:group, or 0 */
	unsigned char feed_rank[F_COUNT];
	unsigned char entry_rank[F_COUNT];
	bool entry_permalink; /* the entry's id came from a permalink guid */
	char *entry_guid_link;
	struct xml_capture cap;
	struct xml_base bases[XML_BASE_MAX];
	size_t nbases;
	long errors;
	xmlEntity entity; /* what getEntity hands back, reused */
	char entity_text[XML_DECLARED_TEXT_MAX];
	char root_name[XML_NAME_MAX];
	char *root_uri; /* the root's namespace: its names are the format's */
	const xmlChar *last_uri;
	enum xml_ns last_ns;
	/* xml_fields[rule_first[ns] .. rule_end[ns]) are the namespace's */
	unsigned char rule_first[NS_COUNT], rule_end[NS_COUNT];
	bool last_uri_valid;
	/* Internal general entities the document declares with plain text. */
	struct xml_declared {
		char *name;
		char *text;
	} declared[XML_MAX_DECLARED];
	size_t ndeclared;
};

static enum xml_ns xml_ns_lookup(const xmlChar *uri)
{
	size_t i;

	if (!uri || !*uri)
		return NS_CORE;
	for (i = 0; i < sizeof xml_namespaces / sizeof *xml_namespaces; i++)
		if (strcasecmp((const char *)uri, xml_namespaces[i].uri) == 0)
			return xml_namespaces[i].ns;
	return NS_OTHER;
}

/* The class of an element's namespace; libxml2 hands out one interned
 * string per URI, so the last answer is kept by pointer. */
static enum xml_ns xml_ns_of_cached(struct xml_state *st, const xmlChar *uri)
{
	if (uri != st->last_uri || !st->last_uri_valid) {
		st->last_uri = uri;
		st->last_ns = xml_ns_lookup(uri);
		st->last_uri_valid = true;
	}
	return st->last_ns;
}

/* The name in ASCII lower case, for matching; a longer name than any
 * the tables know is cut, on a character boundary. */
static void xml_lower(char *dst, const xmlChar *src)
{
	size_t i;

	for (i = 0; src[i] && i < XML_NAME_MAX - 1; i++)
		dst[i] = (char)((src[i] >= 'A' && src[i] <= 'Z') ? src[i] + 32
		                                                 : src[i]);
	if (src[i])
		i = utf8_valid_prefix(dst, i);
	dst[i] = '\0';
}

/* The value of attribute tuple a (localname, prefix, URI, value, end) as
 * a new string. With entity replacement off, libxml2 writes '&' in values
 * as "&#38;"; and it copies only the first byte of an entity's text into
 * a value, which can split a character: that becomes U+FFFD. */
static char *xml_attr_text(const xmlChar **a)
{
	struct buf v = BUF_INIT(1 << 20), clean = BUF_INIT(1 << 21);
	const char *p = (const char *)a[3], *end = (const char *)a[4], *amp;
	size_t n = (size_t)(end - p);

	if (!memchr(p, '&', n) && utf8_valid_prefix(p, n) == n)
		return xstrndup(p, n);
	while ((amp = memchr(p, '&', (size_t)(end - p))) != NULL) {
		buf_append(&v, p, (size_t)(amp - p));
		buf_putc(&v, '&');
		p = amp + 1;
		if (end - p >= 4 && memcmp(p, "#38;", 4) == 0)
			p += 4;
	}
	buf_append(&v, p, (size_t)(end - p));
	if (utf8_valid_prefix(buf_cstr(&v), v.len) == v.len)
		return buf_detach(&v);
	utf8_sanitize_append(&clean, buf_cstr(&v), v.len);
	buf_free(&v);
	return buf_detach(&clean);
}

/* The value of the attribute `name` (in namespace ns, or any when
 * NS_OTHER), or NULL. */
static char *xml_attr(const xmlChar **attrs, int nattrs, enum xml_ns ns,
                      const char *name)
{
	int i;

	for (i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (strcasecmp((const char *)a[0], name) != 0)
			continue;
		if (ns != NS_OTHER && xml_ns_lookup(a[2]) != ns)
			continue;
		return xml_attr_text(a);
	}
	return NULL;
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

static const char *xml_base_uri(const struct xml_state *st)
{
	if (st->nbases)
		return st->bases[st->nbases - 1].uri;
	return st->fb->opt->url;
}

/* Resolve uri against the current xml:base (or the document URL). */
static char *xml_resolve(const struct xml_state *st, const char *uri)
{
	const char *base = xml_base_uri(st);
	xmlChar *r;
	char *out;

	if (!base || !*base)
		return xstrdup(uri);
	r = xmlBuildURI((const xmlChar *)uri, (const xmlChar *)base);
	if (!r)
		return xstrdup(uri);
	out = xstrdup((const char *)r);
	xmlFree(r);
	return out;
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
	base = xml_attr(attrs, nattrs, NS_XML, "base");

	if (!base)
		return;
	if (st->nbases == XML_BASE_MAX) {
		free(base);
		return;
	}
	st->bases[st->nbases].depth = st->depth;
	st->bases[st->nbases].uri = xml_resolve(st, base);
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

static void xml_stop(struct xml_state *st)
{
	xmlStopParser(st->ctxt);
}

/* Where a field lives: the open entry or the feed. */
static struct feed_text *xml_text_slot(struct xml_state *st, bool in_entry,
                                       int field)
{
	struct feed *feed = st->fb->feed;
	struct feed_entry *e = st->fb->entry;

	switch (field) {
	case F_TITLE:
		return in_entry ? &e->title : &feed->title;
	case F_SUBTITLE:
		return &feed->subtitle;
	case F_SUMMARY:
		return &e->summary;
	default:
		return NULL;
	}
}

/* May the element of this rank set the field? Marks it taken if so. */
static bool xml_take_rank(struct xml_state *st, bool in_entry, int field,
                          int rank)
{
	unsigned char *ranks = in_entry ? st->entry_rank : st->feed_rank;

	if (ranks[field] < rank)
		return false;
	ranks[field] = (unsigned char)rank;
	return true;
}

static enum feed_text_type xml_type_from_mime(const char *t, bool *inline_xml)
{
	*inline_xml = false;
	if (!t || !*t || strcasecmp(t, "text") == 0 ||
	    strcasecmp(t, "text/plain") == 0)
		return FEED_TEXT_TEXT;
	if (strcasecmp(t, "html") == 0 || strcasecmp(t, "text/html") == 0)
		return FEED_TEXT_HTML;
	if (strcasecmp(t, "xhtml") == 0 ||
	    strcasecmp(t, "application/xhtml+xml") == 0) {
		*inline_xml = true;
		return FEED_TEXT_XHTML;
	}
	if (strstr(t, "xml")) {
		*inline_xml = true;
		return FEED_TEXT_XHTML;
	}
	if (strncasecmp(t, "text/", 5) == 0)
		return FEED_TEXT_TEXT;
	return FEED_TEXT_TEXT;
}

static void xml_capture_begin(struct xml_state *st,
                              const struct xml_field_rule *rule, bool in_entry,
                              const xmlChar **attrs, int nattrs)
{
	struct xml_capture *c = &st->cap;
	char *type, *mode;
	bool inline_xml = false;

	c->active = true;
	c->depth = st->depth;
	c->rule = rule;
	c->in_entry = in_entry;
	c->type = FEED_TEXT_TEXT;
	c->type_explicit = false;
	c->markup = true;
	c->escape_text = false;
	c->skip_depth = 0;
	c->permalink = true;
	c->had_children = false;
	c->truncated = false;
	c->sub = 0;
	buf_reset(&c->text);
	switch (rule->type) {
	case T_HTML:
		c->type = FEED_TEXT_HTML;
		break;
	case T_XHTML:
		c->type = FEED_TEXT_XHTML;
		c->escape_text = true;
		break;
	case T_ATTR:
		type = xml_attr(attrs, nattrs, NS_OTHER, "type");
		mode = xml_attr(attrs, nattrs, NS_OTHER, "mode");
		c->type = xml_type_from_mime(type, &inline_xml);
		c->type_explicit = type != NULL;
		if (mode && strcasecmp(mode, "escaped") == 0)
			inline_xml = false;
		else if (mode && strcasecmp(mode, "xml") == 0)
			inline_xml = true;
		if (inline_xml) {
			c->escape_text = true;
			if (c->type == FEED_TEXT_TEXT)
				c->type = FEED_TEXT_XHTML;
			/* Atom 1.0 xhtml: the wrapper div is not content */
			if (type && strcasecmp(type, "xhtml") == 0)
				c->skip_depth = st->depth + 1;
		}
		free(type);
		free(mode);
		break;
	default:
		break;
	}
	if (rule->field == F_GUID) {
		char *pl = xml_attr(attrs, nattrs, NS_OTHER, "ispermalink");

		c->permalink = !pl || strcasecmp(pl, "false") != 0;
		free(pl);
	}
}

static void xml_capture_append(struct xml_state *st, struct buf *b,
                               const char *s, size_t n)
{
	if (buf_append(b, s, n) != BUF_OK && !st->cap.truncated) {
		st->cap.truncated = true;
		feed_builder_note(st->fb,
		                  "cut: a field longer than %zu bytes "
		                  "was truncated",
		                  st->fb->max_text);
	}
}

static void xml_append_escaped(struct xml_state *st, const char *s, size_t n,
                               bool quote)
{
	const char *run = s, *end = s + n, *esc;

	for (; s < end; s++) {
		switch (*s) {
		case '&':
			esc = "&amp;";
			break;
		case '<':
			esc = "&lt;";
			break;
		case '>':
			esc = "&gt;";
			break;
		case '"':
			esc = quote ? "&quot;" : NULL;
			break;
		default:
			esc = NULL;
			break;
		}
		if (!esc)
			continue;
		xml_capture_append(st, &st->cap.text, run, (size_t)(s - run));
		xml_capture_append(st, &st->cap.text, esc, strlen(esc));
		run = s + 1;
	}
	xml_capture_append(st, &st->cap.text, run, (size_t)(end - run));
}

/* The value of a finished capture, trimmed, as a new string; one cut at
 * its cap may end inside a character, so that end is dropped. */
static char *xml_capture_value(struct buf *b, bool truncated)
{
	const char *s = buf_cstr(b), *e = s + b->len;
	size_t valid;

	while (s < e && strchr(" \t\r\n", *s) && *s)
		s++;
	while (e > s && strchr(" \t\r\n", e[-1]) && e[-1])
		e--;
	valid = truncated ? utf8_valid_prefix(s, (size_t)(e - s))
	                  : (size_t)(e - s);
	return xstrndup(s, valid);
}

static void xml_set_link(struct xml_state *st, bool in_entry, const char *uri,
                         int rank)
{
	char **slot = in_entry ? &st->fb->entry->link : &st->fb->feed->link;

	if (!*uri || !xml_take_rank(st, in_entry, F_LINK, rank))
		return;
	free(*slot);
	*slot = xml_resolve(st, uri);
}

static void xml_set_date(struct xml_state *st, bool in_entry, int field,
                         int rank, const char *value)
{
	struct feed_date *d;

	if (in_entry)
		d = field == F_PUBLISHED ? &st->fb->entry->published
		                         : &st->fb->entry->updated;
	else
		d = field == F_PUBLISHED ? &st->fb->feed->published
		                         : &st->fb->feed->updated;
	if (!*value || !xml_take_rank(st, in_entry, field, rank))
		return;
	free(d->raw);
	d->raw = NULL;
	feed_set_date(d, value, st->fb->opt->tz_offset_sec);
}

static void xml_set_author(struct xml_state *st, bool in_entry, int rank,
                           char *value)
{
	struct xml_capture *c = &st->cap;
	struct feed_person *p =
	        in_entry ? &st->fb->entry->author : &st->fb->feed->author;
	struct buf full = BUF_INIT(0);

	if ((!*value && !c->name && !c->email) ||
	    !xml_take_rank(st, in_entry, F_AUTHOR, rank))
		return;
	free(p->full);
	free(p->name);
	free(p->email);
	memset(p, 0, sizeof *p);
	if (c->name || c->email) {
		/* An Atom person: name and email are given apart. */
		if (c->name)
			buf_puts(&full, c->name);
		if (c->email)
			buf_printf(&full, c->name ? " (%s)" : "%s", c->email);
		p->full = buf_detach(&full);
		p->name = c->name;
		p->email = c->email;
		c->name = c->email = NULL;
	} else {
		feed_person_parse(p, value);
	}
	buf_free(&full);
}

static void xml_capture_end(struct xml_state *st)
{
	struct xml_capture *c = &st->cap;
	const struct xml_field_rule *rule = c->rule;
	bool in_entry = c->in_entry;
	struct feed_text *t;
	char *value;

	c->active = false;
	if (in_entry && !st->fb->entry)
		return;
	value = xml_capture_value(&c->text, c->truncated);
	switch (rule->field) {
	case F_TITLE:
	case F_SUBTITLE:
	case F_SUMMARY:
	case F_CONTENT:
		/* An RSS item with both <description> and <summary>: the
		 * second is content, as feedparser reads it. */
		if (rule->field == F_SUMMARY && !st->atom && rule->rank == 0 &&
		    st->entry_rank[F_SUMMARY] == 0)
			t = feed_entry_add_content(st->fb->entry);
		else if (rule->field == F_CONTENT)
			t = feed_entry_add_content(st->fb->entry);
		else if (xml_take_rank(st, in_entry, rule->field, rule->rank))
			t = xml_text_slot(st, in_entry, rule->field);
		else
			break;
		feed_text_clear(t);
		t->raw = value;
		value = NULL;
		t->type = c->type;
		t->type_explicit = c->type_explicit;
		/* Non-Atom feeds leave readers to guess text from HTML; naked
		 * child elements in an RSS description are HTML too. */
		if (t->type == FEED_TEXT_TEXT && !t->type_explicit &&
		    (c->had_children ||
		     (!st->atom && html_looks_like(t->raw, strlen(t->raw)))))
			t->type = FEED_TEXT_HTML;
		break;
	case F_LINK:
		xml_set_link(st, in_entry, value, 1);
		break;
	case F_ID:
		if (*value && xml_take_rank(st, in_entry, F_ID, rule->rank)) {
			char **slot = in_entry ? &st->fb->entry->id
			                       : &st->fb->feed->id;

			free(*slot);
			*slot = value;
			value = NULL;
		}
		break;
	case F_GUID:
		if (*value && xml_take_rank(st, true, F_ID, 1)) {
			free(st->fb->entry->id);
			st->fb->entry->id = xstrdup(value);
			free(st->entry_guid_link);
			st->entry_guid_link =
			        c->permalink ? xstrdup(value) : NULL;
		}
		break;
	case F_PUBLISHED:
	case F_UPDATED:
		xml_set_date(st, in_entry, rule->field, rule->rank, value);
		break;
	case F_AUTHOR:
		xml_set_author(st, in_entry, rule->rank, value);
		break;
	case F_COMMENTS: {
		char *end;
		long long n = strtoll(value, &end, 10);

		if (end != value && *end == '\0' && n >= 0)
			st->fb->entry->comments = n;
		break;
	}
	default:
		break;
	}
	free(value);
	free(c->name);
	free(c->email);
	c->name = c->email = NULL;
}

static void xml_atom_link(struct xml_state *st, bool in_entry,
                          const xmlChar **attrs, int nattrs)
{
	char *href = xml_attr(attrs, nattrs, NS_OTHER, "href");
	char *rel = xml_attr(attrs, nattrs, NS_OTHER, "rel");
	char *type = xml_attr(attrs, nattrs, NS_OTHER, "type");
	bool html_type;

	if (!href)
		goto out;
	if (!rel || strcasecmp(rel, "alternate") == 0) {
		html_type = !type || strcasecmp(type, "text/html") == 0 ||
		            strcasecmp(type, "application/xhtml+xml") == 0;
		xml_set_link(st, in_entry, href, html_type ? 0 : 2);
	} else if (in_entry && strcasecmp(rel, "enclosure") == 0) {
		struct feed_enclosure *enc =
		        feed_entry_add_enclosure(st->fb->entry);

		enc->url = xml_resolve(st, href);
		enc->type = type;
		enc->length = xml_attr(attrs, nattrs, NS_OTHER, "length");
		type = NULL;
	}
out:
	free(href);
	free(rel);
	free(type);
}

static void xml_enclosure(struct xml_state *st, const xmlChar **attrs,
                          int nattrs)
{
	char *url = xml_attr(attrs, nattrs, NS_OTHER, "url");
	struct feed_enclosure *enc;

	if (!url)
		return;
	enc = feed_entry_add_enclosure(st->fb->entry);
	enc->url = xml_resolve(st, url);
	enc->type = xml_attr(attrs, nattrs, NS_OTHER, "type");
	enc->length = xml_attr(attrs, nattrs, NS_OTHER, "length");
	free(url);
}

static void xml_root(struct xml_state *st, const char *name, enum xml_ns ns,
                     const xmlChar *uri, const xmlChar **namespaces, int nns,
                     const xmlChar **attrs, int nattrs)
{
	struct feed *feed = st->fb->feed;
	char *version;
	int i;

	snprintf(st->root_name, sizeof st->root_name, "%s", name);
	if (ns == NS_OTHER && uri)
		st->root_uri = xstrdup((const char *)uri);
	if (strcmp(name, "rss") == 0) {
		static const struct {
			const char *v;
			enum feed_format f;
		} versions[] = {
		        {"0.90", FEED_FORMAT_RSS090},
		        {"0.91", FEED_FORMAT_RSS091},
		        {"0.92", FEED_FORMAT_RSS092},
		        {"0.93", FEED_FORMAT_RSS093},
		        {"0.94", FEED_FORMAT_RSS094},
		        {"2.0", FEED_FORMAT_RSS20},
		        {"2.01", FEED_FORMAT_RSS20},
		        {"2", FEED_FORMAT_RSS20},
		};

		feed->format = FEED_FORMAT_RSS;
		version = xml_attr(attrs, nattrs, NS_OTHER, "version");
		for (i = 0;
		     version && i < (int)(sizeof versions / sizeof *versions);
		     i++)
			if (strcmp(version, versions[i].v) == 0)
				feed->format = versions[i].f;
		free(version);
	} else if (strcmp(name, "rdf") == 0) {
		feed->format = FEED_FORMAT_RSS10;
		for (i = 0; i < nns; i++)
			if (namespaces[2 * i + 1] &&
			    strcmp((const char *)namespaces[2 * i + 1],
			           "http://my.netscape.com/rdf/simple/0.9/") ==
			            0)
				feed->format = FEED_FORMAT_RSS090;
	} else if (strcmp(name, "feed") == 0) {
		version = xml_attr(attrs, nattrs, NS_OTHER, "version");
		feed->format =
		        (uri && strcmp((const char *)uri,
		                       "http://purl.org/atom/ns#") == 0) ||
		                        (version && strcmp(version, "0.3") == 0)
		                ? FEED_FORMAT_ATOM03
		                : FEED_FORMAT_ATOM10;
		free(version);
		st->atom = true;
		st->feed_depth = 1;
	} else if (strcmp(name, "channel") == 0) {
		feed->format = FEED_FORMAT_RSS;
		st->feed_depth = 1;
	} else {
		st->not_feed = true;
		xml_stop(st);
	}
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
		e->link = xml_resolve(st, st->entry_guid_link);
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
		char *value = xml_attr_text(a);

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
			char *v = xml_capture_value(&c->sub_text, true);

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
		xml_root(st, name, ns, uri, namespaces, nns, attrs, nattrs);
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
			char *about = xml_attr(attrs, nattrs, NS_RDF, "about");

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
		const struct xml_field_rule *r = &xml_fields[i];

		if (!(r->ctx & (in_entry ? CTX_ENTRY : CTX_FEED)) ||
		    strcmp(r->name, name) != 0)
			continue;
		switch (r->field) {
		case F_GROUP:
			st->group_depth = st->depth;
			return;
		case F_ENCLOSURE:
			xml_enclosure(st, attrs, nattrs);
			return;
		case F_LINK:
			if (ns == NS_ATOM ||
			    xml_attr_present(attrs, nattrs, "href")) {
				xml_atom_link(st, in_entry, attrs, nattrs);
				return;
			}
			break;
		default:
			break;
		}
		xml_capture_begin(st, r, in_entry, attrs, nattrs);
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
			xml_capture_end(st);
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

static void xml_chars(void *ctx, const xmlChar *s, int len)
{
	struct xml_state *st = ctx;
	struct xml_capture *c = &st->cap;

	xml_keep_going(st);
	if (!c->active)
		return;
	if (c->sub)
		xml_capture_append(st, &c->sub_text, (const char *)s,
		                   (size_t)len);
	else if (c->escape_text)
		xml_append_escaped(st, (const char *)s, (size_t)len, false);
	else
		xml_capture_append(st, &c->text, (const char *)s, (size_t)len);
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

/* Any other name comes back as its own literal text, so nothing declared
 * with markup or references is ever expanded (billion laughs) and nothing
 * external is ever loaded (XXE). */
static xmlEntityPtr xml_get_entity(void *ctx, const xmlChar *name)
{
	struct xml_state *st = ctx;
	const char *text = xml_entity_text(st, (const char *)name);
	xmlEntity *ent = &st->entity;

	if (text)
		snprintf(st->entity_text, sizeof st->entity_text, "%s", text);
	else {
		/* a name is any length: keep 50 bytes, whole characters */
		size_t n = strlen((const char *)name);

		if (n > 50)
			n = utf8_valid_prefix((const char *)name, 50);
		snprintf(st->entity_text, sizeof st->entity_text, "&%.*s;",
		         (int)n, (const char *)name);
	}
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

/* The sink of feed_xml_prepare: the rewritten document into libxml2, in
 * pieces of at most XML_CHUNK (a larger push trips its lookup limit). */
static int xml_push(void *ctx, const char *s, size_t n)
{
	xmlParserCtxtPtr ctxt = ctx;
	size_t k;

	for (; n > 0; s += k, n -= k) {
		if (ctxt->disableSAX || ctxt->instate == XML_PARSER_EOF)
			return 1;
		k = n < XML_CHUNK ? n : XML_CHUNK;
		xmlParseChunk(ctxt, s, (int)k, 0);
	}
	return ctxt->instate == XML_PARSER_EOF;
}

int feed_xml_parse(struct feed_builder *fb, const char *data, size_t n,
                   struct buf *err)
{
	struct feed_xml_prep prep;
	xmlSAXHandler sax;
	struct xml_state st;
	size_t k;
	int ret = ERR_OK;

	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = xml_start;
	sax.endElementNs = xml_end;
	sax.characters = xml_chars;
	sax.cdataBlock = xml_chars;
	sax.getEntity = xml_get_entity;
	sax.entityDecl = xml_entity_decl;
	sax.serror = xml_error;

	memset(&st, 0, sizeof st);
	st.fb = fb;
	memset(st.feed_rank, 0xff, sizeof st.feed_rank);
	for (k = sizeof xml_fields / sizeof *xml_fields; k-- > 0;) {
		st.rule_first[xml_fields[k].ns] = (unsigned char)k;
		if (!st.rule_end[xml_fields[k].ns])
			st.rule_end[xml_fields[k].ns] = (unsigned char)(k + 1);
	}
	buf_init(&st.cap.text, fb->max_text);
	buf_init(&st.cap.sub_text, 64 * 1024);

	st.ctxt = xmlCreatePushParserCtxt(&sax, &st, NULL, 0, NULL);
	if (!st.ctxt) {
		buf_puts(err, "cannot create an XML parser");
		return ERR_PARSE;
	}
	xmlCtxtUseOptions(st.ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET |
	                                   XML_PARSE_IGNORE_ENC |
	                                   XML_PARSE_NOWARNING);
	xmlSwitchEncoding(st.ctxt, XML_CHAR_ENCODING_UTF8);
	feed_xml_prepare(data, n, xml_push, st.ctxt, &prep);
	if (st.ctxt->instate != XML_PARSER_EOF)
		xmlParseChunk(st.ctxt, NULL, 0, 1);
	if (prep.bare_amp) {
		fb->feed->recovered = true;
		feed_builder_note(fb, "recovered: %ld bare '&' read as text",
		                  prep.bare_amp);
	}
	if (prep.bare_lt) {
		fb->feed->recovered = true;
		feed_builder_note(fb, "recovered: %ld bare '<' read as text",
		                  prep.bare_lt);
	}

	if (st.depth > 0 && !st.not_feed && !fb->stopped) {
		fb->feed->recovered = true;
		feed_builder_note(fb, "recovered: the document ends before its "
		                      "elements are closed (truncated?)");
	}
	if (st.cap.active && fb->entry == NULL && st.cap.in_entry)
		st.cap.active = false;
	if (st.cap.active)
		xml_capture_end(&st);
	if (fb->entry) {
		/* A truncated document: keep the entry it was reading. */
		xml_entry_end(&st);
	}
	if (st.not_feed) {
		if (strcmp(st.root_name, "html") == 0)
			buf_puts(err, "not a feed: looks like an HTML page");
		else
			buf_printf(err, "not a feed: the root element is <%s>",
			           st.root_name);
		ret = ERR_NOT_FEED;
	} else if (!st.root_seen) {
		buf_puts(err, "not a feed: no XML element could be read");
		ret = ERR_NOT_FEED;
	}
	if (st.errors > 1)
		feed_builder_note(fb, "recovered: %ld errors in all",
		                  st.errors);
	/* libxml2 keeps declared entities in a document of its own "for
	 * expat compatibility" even in SAX mode; they are never used here. */
	if (st.ctxt->myDoc) {
		xmlFreeDoc(st.ctxt->myDoc);
		st.ctxt->myDoc = NULL;
	}
	xmlFreeParserCtxt(st.ctxt);
	while (st.nbases)
		free(st.bases[--st.nbases].uri);
	buf_free(&st.cap.text);
	buf_free(&st.cap.sub_text);
	free(st.cap.name);
	free(st.cap.email);
	free(st.entry_guid_link);
	free(st.root_uri);
	while (st.ndeclared) {
		st.ndeclared--;
		free(st.declared[st.ndeclared].name);
		free(st.declared[st.ndeclared].text);
	}
	return ret;
}
