#ifndef AIDIGEST_FEED_XML_IMPL_H
#define AIDIGEST_FEED_XML_IMPL_H

/* Internal to fetch/: the state of the XML feed parser, shared by its SAX
 * handlers (feed_xml.c) and its tables and field mapping
 * (feed_xml_fields.c). Not a public header. */

#include <stdbool.h>
#include <stddef.h>

#include <libxml/parser.h>

#include "common/buf.h"
#include "fetch/feed_impl.h"

#define XML_NAME_MAX 64
#define XML_BASE_MAX 32
#define XML_MAX_DECLARED 64
#define XML_DECLARED_TEXT_MAX 1024
#define XML_NS_SEEN 8

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
 * A field set by an element of a lower rank number is not replaced by
 * one of a higher number; of equal ranks the last wins, as in feedparser
 * (a repeated <updated>). */
struct xml_field_rule {
	enum xml_ns ns;
	const char *name; /* lower case */
	unsigned char ctx;
	unsigned char field;
	unsigned char rank;
	unsigned char type;
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
	struct feed_xml_prepper *prep;
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
	struct buf markup; /* inline XHTML read directly, before capture */
	struct xml_base bases[XML_BASE_MAX];
	size_t nbases;
	long errors;
	xmlEntity entity; /* what getEntity hands back, reused */
	char entity_text[XML_DECLARED_TEXT_MAX];
	char root_name[XML_NAME_MAX];
	char *root_uri; /* the root's namespace: its names are the format's */
	/* namespace URIs seen (libxml2 interns them: one pointer each) */
	struct xml_ns_seen {
		const xmlChar *uri;
		enum xml_ns ns;
	} ns_seen[XML_NS_SEEN];
	size_t ns_nseen; /* slots used; then the next one to reuse */
	/* xml_fields[rule_first[ns] .. rule_end[ns]) are the namespace's */
	unsigned char rule_first[NS_COUNT], rule_end[NS_COUNT];
	/* Internal general entities the document declares with plain text. */
	struct xml_declared {
		char *name;
		char *text;
	} declared[XML_MAX_DECLARED];
	size_t ndeclared;
};

/* The element table, grouped by namespace; feed_xml_index_rules tells
 * where each namespace's group lies. */
extern const struct xml_field_rule feed_xml_fields[];

/* Fill first and end so that feed_xml_fields[first[ns] .. end[ns]) are the
 * rules of namespace ns (an empty range for one without rules). */
void feed_xml_index_rules(unsigned char first[NS_COUNT],
                          unsigned char end[NS_COUNT]);

/* The class of a namespace URI (case ignored); NS_CORE for none. */
enum xml_ns feed_xml_ns_lookup(const xmlChar *uri);

/* The value of attribute tuple a (localname, prefix, URI, value, end) as
 * a new string, '&' restored and invalid UTF-8 replaced. */
char *feed_xml_attr_text(const xmlChar **a);
/* The value of the attribute `name` (ASCII case ignored; in namespace
 * ns, or any when NS_OTHER) as a new string, or NULL. */
char *feed_xml_attr(const xmlChar **attrs, int nattrs, enum xml_ns ns,
                    const char *name);
/* uri resolved against the current xml:base (or the document's URL), as
 * a new string. */
char *feed_xml_resolve(const struct xml_state *st, const char *uri);

/* Start capturing the text of the element rule matched (its type from
 * the rule and the element's attributes). */
void feed_xml_capture_begin(struct xml_state *st,
                            const struct xml_field_rule *rule, bool in_entry,
                            const xmlChar **attrs, int nattrs);
/* The value of a finished capture, trimmed, as a new string; one cut at
 * its cap may end inside a character, so that end is dropped. */
char *feed_xml_capture_value(struct buf *b, bool truncated);
/* End the capture: its value into the field of the feed or entry it
 * belongs to, as the rule and the ranks taken so far allow. */
void feed_xml_capture_end(struct xml_state *st);

/* Elements read from their attributes alone. */
void feed_xml_atom_link(struct xml_state *st, bool in_entry,
                        const xmlChar **attrs, int nattrs);
void feed_xml_enclosure(struct xml_state *st, const xmlChar **attrs,
                        int nattrs);
/* The root element: the format, or st->not_feed (the parse stopped). */
void feed_xml_root(struct xml_state *st, const char *name, enum xml_ns ns,
                   const xmlChar *uri, const xmlChar **namespaces, int nns,
                   const xmlChar **attrs, int nattrs);

static inline void xml_stop(struct xml_state *st)
{
	xmlStopParser(st->ctxt);
}

#endif
