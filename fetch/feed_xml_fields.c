#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/uri.h>

#include "common/ascii.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/feed_xml_impl.h"
#include "fetch/html.h"

/* The XML feed parser's knowledge of the formats: namespaces, the element
 * table, attributes, and where a captured value goes (the feed's or the
 * entry's fields, by rank). The SAX handlers are in feed_xml.c. */

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

const struct xml_field_rule feed_xml_fields[] = {
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

void feed_xml_index_rules(unsigned char first[NS_COUNT],
                          unsigned char end[NS_COUNT])
{
	size_t k;

	for (k = sizeof feed_xml_fields / sizeof *feed_xml_fields; k-- > 0;) {
		first[feed_xml_fields[k].ns] = (unsigned char)k;
		if (!end[feed_xml_fields[k].ns])
			end[feed_xml_fields[k].ns] = (unsigned char)(k + 1);
	}
}

enum xml_ns feed_xml_ns_lookup(const xmlChar *uri)
{
	size_t i;

	if (!uri || !*uri)
		return NS_CORE;
	for (i = 0; i < sizeof xml_namespaces / sizeof *xml_namespaces; i++)
		if (strcasecmp((const char *)uri, xml_namespaces[i].uri) == 0)
			return xml_namespaces[i].ns;
	return NS_OTHER;
}

/* The value of attribute tuple a (localname, prefix, URI, value, end) as
 * a new string. With entity replacement off, libxml2 writes '&' in values
 * as "&#38;"; and it copies only the first byte of an entity's text into
 * a value, which can split a character: that becomes U+FFFD. */
char *feed_xml_attr_text(const xmlChar **a)
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
char *feed_xml_attr(const xmlChar **attrs, int nattrs, enum xml_ns ns,
                    const char *name)
{
	int i;

	for (i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (strcasecmp((const char *)a[0], name) != 0)
			continue;
		if (ns != NS_OTHER && feed_xml_ns_lookup(a[2]) != ns)
			continue;
		return feed_xml_attr_text(a);
	}
	return NULL;
}

static const char *xml_base_uri(const struct xml_state *st)
{
	if (st->nbases)
		return st->bases[st->nbases - 1].uri;
	return st->fb->opt->url;
}

/* Resolve uri against the current xml:base (or the document URL). */
char *feed_xml_resolve(const struct xml_state *st, const char *uri)
{
	return feed_resolve_uri(uri, xml_base_uri(st));
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

void feed_xml_capture_begin(struct xml_state *st,
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
		type = feed_xml_attr(attrs, nattrs, NS_OTHER, "type");
		mode = feed_xml_attr(attrs, nattrs, NS_OTHER, "mode");
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
		char *pl =
		        feed_xml_attr(attrs, nattrs, NS_OTHER, "ispermalink");

		c->permalink = !pl || strcasecmp(pl, "false") != 0;
		free(pl);
	}
}

/* The value of a finished capture, trimmed, as a new string; one cut at
 * its cap may end inside a character, so that end is dropped. */
char *feed_xml_capture_value(struct buf *b, bool truncated)
{
	const char *s = buf_cstr(b), *e = s + b->len;
	size_t valid;

	while (s < e && ascii_isxmlspace(*s))
		s++;
	while (e > s && ascii_isxmlspace(e[-1]))
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
	*slot = feed_xml_resolve(st, uri);
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

void feed_xml_capture_end(struct xml_state *st)
{
	struct xml_capture *c = &st->cap;
	const struct xml_field_rule *rule = c->rule;
	bool in_entry = c->in_entry;
	struct feed_text *t;
	char *value;

	c->active = false;
	if (in_entry && !st->fb->entry)
		return;
	value = feed_xml_capture_value(&c->text, c->truncated);
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

void feed_xml_atom_link(struct xml_state *st, bool in_entry,
                        const xmlChar **attrs, int nattrs)
{
	char *href = feed_xml_attr(attrs, nattrs, NS_OTHER, "href");
	char *rel = feed_xml_attr(attrs, nattrs, NS_OTHER, "rel");
	char *type = feed_xml_attr(attrs, nattrs, NS_OTHER, "type");
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

		enc->url = feed_xml_resolve(st, href);
		enc->type = type;
		enc->length = feed_xml_attr(attrs, nattrs, NS_OTHER, "length");
		type = NULL;
	}
out:
	free(href);
	free(rel);
	free(type);
}

void feed_xml_enclosure(struct xml_state *st, const xmlChar **attrs, int nattrs)
{
	char *url = feed_xml_attr(attrs, nattrs, NS_OTHER, "url");
	struct feed_enclosure *enc;

	if (!url)
		return;
	enc = feed_entry_add_enclosure(st->fb->entry);
	enc->url = feed_xml_resolve(st, url);
	enc->type = feed_xml_attr(attrs, nattrs, NS_OTHER, "type");
	enc->length = feed_xml_attr(attrs, nattrs, NS_OTHER, "length");
	free(url);
}

void feed_xml_root(struct xml_state *st, const char *name, enum xml_ns ns,
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
		version = feed_xml_attr(attrs, nattrs, NS_OTHER, "version");
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
		version = feed_xml_attr(attrs, nattrs, NS_OTHER, "version");
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
