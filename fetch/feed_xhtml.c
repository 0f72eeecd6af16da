#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <libxml/uri.h>

#include "common/ascii.h"
#include "common/utf8.h"
#include "fetch/feed_impl.h"

/* The content of an inline XHTML element (Atom type="xhtml", xhtml:body)
 * read straight into the HTML it already is, as fetch/feed_xml.c would
 * write it back from libxml2's events: a tag as "<name a=\"v\">" with its
 * prefix and namespace declarations dropped, text and values with their
 * references decoded and & < > (and " in values) escaped, comments left
 * out. Every element, attribute and reference would otherwise cost a SAX
 * callback (libxml2's walk of markup-dense XHTML alone takes as long as
 * sfeed's whole parse).
 *
 * The input is valid UTF-8 of XML's characters (fetch/charset.c made it
 * so). The reader takes only what libxml2 reads without a message and
 * exactly as written here; at anything else (a CR, a processing
 * instruction, a prefix not declared inside, a mismatched end tag, a
 * reference to no character, nesting past the limit, a run past
 * XHTML_MAX_RUN) it refuses the whole content, which libxml2 then reads as
 * before. The differential test (tests/test_feed_xhtml.c) and fuzz target
 * (fuzz_xhtml) hold it to libxml2's reading. */

#define XHTML_MAX_RUN ((size_t)1 << 20)
#define XHTML_MAX_ATTRS 32
#define XHTML_MAX_NS 16
#define XHTML_MAX_NAME 256
#define XHTML_MAX_DEPTH 128

enum xr_status { XR_OK, XR_REFUSE, XR_MORE };

struct xr_name {
	const char *s;
	size_t len;    /* the qualified name */
	size_t prefix; /* bytes of its prefix (0: none); local at s+prefix+1 */
};

struct xr_attr {
	struct xr_name name;
	bool declaration;              /* xmlns or xmlns:p */
	const char *value, *value_end; /* as written, quotes excluded */
};

struct xr {
	const char *start, *end;
	const struct feed_xhtml_opts *o;
	struct buf *out;
	long bare_amp;
	size_t depth;
	struct xr_name open[XHTML_MAX_DEPTH];
	struct xr_ns {
		const char *prefix;
		size_t len, depth;
	} ns[XHTML_MAX_NS];
	size_t nns;
};

/* The bytes of text that need a look: [0] in text & < > and CR (which
 * the reader leaves to libxml2); [1] in a value also " and tab and LF
 * (read as a space). The input holds only XML's characters, in valid
 * UTF-8: the charset pass (fetch/charset.c) has made it so. */
static const unsigned char xr_special[2][256] = {
        {['&'] = 1, ['<'] = 1, ['>'] = 1, ['\r'] = 1},
        {['&'] = 1,
         ['<'] = 1,
         ['>'] = 1,
         ['\r'] = 1,
         ['"'] = 1,
         ['\t'] = 1,
         ['\n'] = 1},
};

/* A byte of an ASCII name: letters, digits, _ : - . */
static inline bool xr_name_byte(unsigned char c)
{
	return ascii_isalnum(c) || c == '_' || c == ':' || c == '-' || c == '.';
}

/* The bytes from s on before the first that xr_special[value] marks (or
 * e); 16 at a time where SSE2 is there. */
static const char *xr_skip_plain(const char *s, const char *e, bool value)
{
	const unsigned char *tab = xr_special[value];
#ifdef __SSE2__
	const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'),
	              gt = _mm_set1_epi8('>'), cr = _mm_set1_epi8('\r'),
	              quot = _mm_set1_epi8(value ? '"' : '&'),
	              ht = _mm_set1_epi8(value ? '\t' : '&'),
	              lf = _mm_set1_epi8(value ? '\n' : '&');
	__m128i b, m;

	for (; e - s >= 16; s += 16) {
		b = _mm_loadu_si128((const __m128i *)(const void *)s);
		m = _mm_or_si128(
		        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, amp),
		                                  _mm_cmpeq_epi8(b, lt)),
		                     _mm_or_si128(_mm_cmpeq_epi8(b, gt),
		                                  _mm_cmpeq_epi8(b, cr))),
		        _mm_or_si128(_mm_cmpeq_epi8(b, quot),
		                     _mm_or_si128(_mm_cmpeq_epi8(b, ht),
		                                  _mm_cmpeq_epi8(b, lf))));
		if (_mm_movemask_epi8(m))
			break;
	}
#endif
	while (s < e && !tab[(unsigned char)*s])
		s++;
	return s;
}

static inline void xr_put(struct xr *x, const char *s, size_t n)
{
	if (x->out->len < x->o->out_max)
		buf_append(x->out, s, n);
}

static void xr_put_escaped(struct xr *x, const char *s, size_t n, bool value)
{
	const char *run = s, *end = s + n;

	for (; s < end; s++) {
		const char *esc = *s == '&'            ? "&amp;"
		                  : *s == '<'          ? "&lt;"
		                  : *s == '>'          ? "&gt;"
		                  : *s == '"' && value ? "&quot;"
		                                       : NULL;

		if (!esc)
			continue;
		xr_put(x, run, (size_t)(s - run));
		xr_put(x, esc, strlen(esc));
		run = s + 1;
	}
	xr_put(x, run, (size_t)(end - run));
}

static void xr_put_char(struct xr *x, uint32_t cp, bool value)
{
	char u[4];
	size_t n = utf8_encode(cp, u);

	xr_put_escaped(x, u, n, value);
}

/* The reference at s in text or a value, its character (or a named one's
 * text) written escaped; *len its length. As the pre-pass reads it: a '&'
 * that begins no reference is a '&'. */
static enum xr_status xr_reference(struct xr *x, const char *s, const char *end,
                                   bool value, size_t *len)
{
	char name[72];
	uint32_t cp;
	size_t n = feed_xml_reference(s, end, &cp);

	*len = n ? n : 1;
	if (n == 0) {
		x->bare_amp++;
		xr_put(x, "&amp;", 5);
		return XR_OK;
	}
	if (s[1] == '#') {
		/* &#10; &#13; &#1; and the pre-pass's "&#X" repair: libxml2's
		 */
		if (cp == 0 || s[2] == 'X')
			return XR_REFUSE;
		xr_put_char(x, cp, value);
		return XR_OK;
	}
	if (cp) {
		xr_put_char(x, cp, value);
		return XR_OK;
	}
	/* an HTML name, which libxml2 asks feed_xml.c for; not in a value,
	 * where libxml2 keeps one byte of its text */
	if (value || n - 2 >= sizeof name || memchr(s + 1, ':', n - 2))
		return XR_REFUSE;
	memcpy(name, s + 1, n - 2);
	name[n - 2] = '\0';
	{
		const char *text = x->o->entity(x->o->ctx, name);

		xr_put_escaped(x, text, strlen(text), false);
	}
	return XR_OK;
}

/* Characters from *p written as markup, up to e or, in text, a '<'
 * (*p is left there); refused at what libxml2 would report. */
static enum xr_status xr_chars(struct xr *x, const char **p, const char *e,
                               bool value)
{
	const char *s = *p, *run = s, *start = s;
	size_t k;

	for (;; run = s) {
		s = xr_skip_plain(s, e, value);
		xr_put(x, run, (size_t)(s - run));
		if (s == e || (*s == '<' && !value))
			break;
		if (*s == '&') {
			if (xr_reference(x, s, e, value, &k) != XR_OK)
				return XR_REFUSE;
			s += k;
		} else if (*s == '>') {
			/* "]]>" in text is an error */
			if (!value && s - start >= 2 && s[-1] == ']' &&
			    s[-2] == ']')
				return XR_REFUSE;
			xr_put(x, "&gt;", 4);
			s++;
		} else if (*s == '"') {
			xr_put(x, "&quot;", 6);
			s++;
		} else if (value && (*s == '\t' || *s == '\n')) {
			xr_put(x, " ", 1); /* as XML reads a value */
			s++;
		} else {
			return XR_REFUSE; /* a CR, '<' in a value */
		}
	}
	*p = s;
	return XR_OK;
}

/* XML's white space but CR, which the reader leaves to libxml2. */
static bool xr_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static const char *xr_skip_space(const char *p, const char *e)
{
	while (p < e && xr_is_space(*p))
		p++;
	return p;
}

/* The name at *p (ASCII only), *p moved past it; refused when it is no
 * name libxml2 reads as this one (non-ASCII, two colons). */
static enum xr_status xr_read_name(const char **p, const char *e,
                                   struct xr_name *n)
{
	const char *s = *p, *colon = NULL, *q;

	if (s >= e)
		return XR_MORE;
	if (!(ascii_isalpha(*s) || *s == '_'))
		return XR_REFUSE;
	for (q = s; q < e && xr_name_byte((unsigned char)*q); q++)
		if (*q == ':') {
			/* one colon, a letter or _ after it (an NCName) */
			if (colon ||
			    (q + 1 < e && !ascii_isalpha(q[1]) && q[1] != '_'))
				return XR_REFUSE;
			colon = q;
		}
	if (q == e)
		return XR_MORE;
	if ((unsigned char)*q >= 0x80 || q - s > XHTML_MAX_NAME ||
	    (colon && colon + 1 == q))
		return XR_REFUSE;
	n->s = s;
	n->len = (size_t)(q - s);
	n->prefix = colon ? (size_t)(colon - s) : 0;
	*p = q;
	return XR_OK;
}

static const char *xr_local(const struct xr_name *n, size_t *len)
{
	size_t skip = n->prefix ? n->prefix + 1 : 0;

	*len = n->len - skip;
	return n->s + skip;
}

static bool xr_prefix_is(const struct xr_name *n, const char *p, size_t len)
{
	return n->prefix == len && memcmp(n->s, p, len) == 0;
}

static bool xr_same_name(const struct xr_name *a, const struct xr_name *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Whether a namespace name is one libxml2 takes without a word: an
 * absolute URI of plain characters, not the two reserved ones. */
static bool xr_plain_uri(const char *s, const char *e)
{
	static const char *const reserved[] = {
	        "http://www.w3.org/XML/1998/namespace",
	        "http://www.w3.org/2000/xmlns/",
	};
	const char *p = s;
	char uri[512];
	xmlURIPtr parsed;
	size_t i;

	if (p >= e || !ascii_isalpha(*p))
		return false;
	while (p < e &&
	       (ascii_isalnum(*p) || *p == '+' || *p == '.' || *p == '-'))
		p++;
	if (p >= e || *p != ':')
		return false;
	for (; p < e; p++)
		if (!ascii_isalnum(*p) && !strchr("/._~:-", *p))
			return false;
	for (i = 0; i < sizeof reserved / sizeof *reserved; i++)
		if ((size_t)(e - s) == strlen(reserved[i]) &&
		    memcmp(s, reserved[i], (size_t)(e - s)) == 0)
			return false;
	/* and one libxml2's own URI parser takes ("http://a.b:c" is not) */
	if ((size_t)(e - s) >= sizeof uri)
		return false;
	memcpy(uri, s, (size_t)(e - s));
	uri[e - s] = '\0';
	parsed = xmlParseURI(uri);
	xmlFreeURI(parsed);
	return parsed != NULL;
}

static bool xr_declared(const struct xr *x, const struct xr_name *n)
{
	size_t i;

	for (i = x->nns; i-- > 0;)
		if (x->ns[i].len == n->prefix &&
		    memcmp(x->ns[i].prefix, n->s, n->prefix) == 0)
			return true;
	return false;
}

/* The namespace declarations among a tag's attributes, in force from
 * the element at depth; false at one libxml2 would report. */
static bool xr_declare(struct xr *x, const struct xr_attr *a, size_t na,
                       size_t depth)
{
	const struct xr_name *n;
	size_t i;

	for (i = 0; i < na; i++) {
		if (!a[i].declaration)
			continue;
		n = &a[i].name;
		if (!n->prefix) {
			if (a[i].value != a[i].value_end &&
			    !xr_plain_uri(a[i].value, a[i].value_end))
				return false;
			continue;
		}
		if (!xr_plain_uri(a[i].value, a[i].value_end) ||
		    x->nns == XHTML_MAX_NS ||
		    (n->len == 9 && memcmp(n->s + 6, "xml", 3) == 0) ||
		    (n->len == 11 && memcmp(n->s + 6, "xmlns", 5) == 0))
			return false;
		x->ns[x->nns].prefix = n->s + 6;
		x->ns[x->nns].len = n->len - 6;
		x->ns[x->nns].depth = depth;
		x->nns++;
	}
	return true;
}

/* The attributes of a start tag from *pp, which is left at its '>' or
 * "/>". */
static enum xr_status xr_read_attrs(const char **pp, const char *e,
                                    struct xr_attr *a, size_t *na)
{
	const char *p = *pp, *close;
	struct xr_name *n;
	enum xr_status st;
	bool space;

	for (*na = 0;; (*na)++) {
		close = xr_skip_space(p, e);
		space = close != p;
		p = close;
		if (p == e)
			return XR_MORE;
		if (*p == '>' || *p == '/')
			break;
		if (!space || *na == XHTML_MAX_ATTRS)
			return XR_REFUSE;
		n = &a[*na].name;
		if ((st = xr_read_name(&p, e, n)) != XR_OK)
			return st;
		a[*na].declaration =
		        (n->len == 5 && memcmp(n->s, "xmlns", 5) == 0) ||
		        xr_prefix_is(n, "xmlns", 5);
		p = xr_skip_space(p, e);
		if (p < e && *p != '=')
			return XR_REFUSE;
		p = xr_skip_space(p + 1, e);
		if (p >= e)
			return XR_MORE;
		if (*p != '"' && *p != '\'')
			return XR_REFUSE;
		close = memchr(p + 1, *p, (size_t)(e - p - 1));
		if (!close)
			return XR_MORE;
		a[*na].value = p + 1;
		a[*na].value_end = close;
		p = close + 1;
	}
	*pp = p;
	return XR_OK;
}

/* Whether the element and attribute names resolve as libxml2 takes them
 * without a word: prefixes declared, no attribute twice. */
static bool xr_names_ok(const struct xr *x, const struct xr_name *el,
                        const struct xr_attr *a, size_t na)
{
	size_t i, j, li, lj;
	const char *si, *sj;

	if (el->prefix && (xr_prefix_is(el, "xml", 3) ||
	                   xr_prefix_is(el, "xmlns", 5) || !xr_declared(x, el)))
		return false;
	for (i = 0; i < na; i++) {
		if (a[i].declaration) {
			for (j = 0; j < i; j++)
				if (xr_same_name(&a[i].name, &a[j].name))
					return false;
			continue;
		}
		if (a[i].name.prefix && !xr_prefix_is(&a[i].name, "xml", 3) &&
		    !xr_declared(x, &a[i].name))
			return false;
		si = xr_local(&a[i].name, &li);
		for (j = 0; j < i; j++) {
			if (a[j].declaration)
				continue;
			sj = xr_local(&a[j].name, &lj);
			if (li == lj && memcmp(si, sj, li) == 0)
				return false;
		}
	}
	return true;
}

static bool xr_written(const struct xr *x, size_t depth)
{
	return !(x->o->skip_top && depth == 1);
}

/* pre (n bytes) and the local part of name. */
static void xr_put_tag(struct xr *x, const char *pre, size_t n,
                       const struct xr_name *name)
{
	size_t len;
	const char *local = xr_local(name, &len);

	xr_put(x, pre, n);
	xr_put(x, local, len);
}

/* The attributes' values, written when the element is (else read all the
 * same: libxml2 reads them). */
static enum xr_status xr_put_attrs(struct xr *x, const struct xr_attr *a,
                                   size_t na, bool written)
{
	size_t i, keep = x->out->len;
	const char *v;

	for (i = 0; i < na; i++) {
		if (a[i].declaration)
			continue;
		xr_put_tag(x, " ", 1, &a[i].name);
		xr_put(x, "=\"", 2);
		v = a[i].value;
		if (xr_chars(x, &v, a[i].value_end, true) != XR_OK)
			return XR_REFUSE;
		xr_put(x, "\"", 1);
	}
	if (!written)
		buf_truncate(x->out, keep);
	return XR_OK;
}

/* The start tag at lt; *p past it. */
static enum xr_status xr_start_tag(struct xr *x, const char *lt, const char **p)
{
	struct xr_attr a[XHTML_MAX_ATTRS];
	struct xr_name el;
	const char *q = lt + 1;
	size_t na, depth = x->depth + 1;
	enum xr_status st;
	bool empty, written = xr_written(x, depth);

	if ((st = xr_read_name(&q, x->end, &el)) != XR_OK ||
	    (st = xr_read_attrs(&q, x->end, a, &na)) != XR_OK)
		return st;
	empty = *q == '/';
	if (empty && q + 1 >= x->end)
		return XR_MORE;
	if (empty && q[1] != '>')
		return XR_REFUSE;
	if (depth > x->o->max_depth || depth > XHTML_MAX_DEPTH ||
	    !xr_declare(x, a, na, depth) || !xr_names_ok(x, &el, a, na))
		return XR_REFUSE;
	if (written)
		xr_put_tag(x, "<", 1, &el);
	if (xr_put_attrs(x, a, na, written) != XR_OK)
		return XR_REFUSE;
	if (written)
		xr_put(x, ">", 1);
	*p = q + (empty ? 2 : 1);
	if (!empty) {
		x->open[x->depth++] = el;
		return XR_OK;
	}
	if (written) {
		xr_put_tag(x, "</", 2, &el);
		xr_put(x, ">", 1);
	}
	while (x->nns && x->ns[x->nns - 1].depth == depth)
		x->nns--;
	return XR_OK;
}

/* The end tag at lt of the element open at x->depth > 0; *p past it. */
static enum xr_status xr_end_tag(struct xr *x, const char *lt, const char **p)
{
	struct xr_name n;
	const char *q = lt + 2;
	enum xr_status st;

	if ((st = xr_read_name(&q, x->end, &n)) != XR_OK)
		return st;
	if (!xr_same_name(&n, &x->open[x->depth - 1]))
		return XR_REFUSE;
	q = xr_skip_space(q, x->end);
	if (q == x->end)
		return XR_MORE;
	if (*q != '>')
		return XR_REFUSE;
	if (xr_written(x, x->depth)) {
		xr_put_tag(x, "</", 2, &n);
		xr_put(x, ">", 1);
	}
	while (x->nns && x->ns[x->nns - 1].depth == x->depth)
		x->nns--;
	x->depth--;
	*p = q + 1;
	return XR_OK;
}

static bool xr_starts(const char *s, const char *end, const char *what)
{
	size_t n = strlen(what);

	return (size_t)(end - s) >= n && memcmp(s, what, n) == 0;
}

/* The first `what` (3 bytes) in [s, end), or NULL. */
static const char *xr_find3(const char *s, const char *end, const char *what)
{
	for (; (s = memchr(s, what[0], (size_t)(end - s))) != NULL; s++)
		if (end - s >= 3 && s[1] == what[1] && s[2] == what[2])
			return s;
	return NULL;
}

/* A comment or CDATA section at lt; *p past it. */
static enum xr_status xr_special_section(struct xr *x, const char *lt,
                                         const char **p)
{
	const char *body, *close;

	if (xr_starts(lt, x->end, "<!--")) {
		body = lt + 4;
		if (!(close = xr_find3(body, x->end, "-->")))
			return XR_MORE;
		/* "--" inside, or "--->", is an error */
		if (close > body && close[-1] == '-')
			return XR_REFUSE;
		for (; body + 1 < close; body++)
			if (body[0] == '-' && body[1] == '-')
				return XR_REFUSE;
		if (memchr(lt + 4, '\r', (size_t)(close - (lt + 4))))
			return XR_REFUSE;
	} else if (xr_starts(lt, x->end, "<![CDATA[")) {
		body = lt + 9;
		if (!(close = xr_find3(body, x->end, "]]>")))
			return XR_MORE;
		if (memchr(body, '\r', (size_t)(close - body)))
			return XR_REFUSE;
		xr_put_escaped(x, body, (size_t)(close - body), false);
	} else {
		return XR_REFUSE; /* a declaration */
	}
	*p = close + 3;
	return XR_OK;
}

static enum xr_status xr_run(struct xr *x, size_t *used)
{
	const char *p = x->start, *lt;
	enum xr_status st;
	unsigned char c;

	for (;;) {
		if ((size_t)(p - x->start) > XHTML_MAX_RUN)
			return XR_REFUSE;
		if ((st = xr_chars(x, &p, x->end, false)) != XR_OK)
			return st;
		lt = p;
		/* too few bytes to tell a comment, CDATA and a tag apart */
		if (x->end - lt < 9)
			return XR_MORE;
		c = (unsigned char)lt[1];
		if (c == '/' && x->depth == 0) {
			*used = (size_t)(lt - x->start);
			return XR_OK;
		}
		if (c == '/')
			st = xr_end_tag(x, lt, &p);
		else if (c == '!')
			st = xr_special_section(x, lt, &p);
		else if (ascii_isalpha(c) || c == '_')
			st = xr_start_tag(x, lt, &p);
		else
			st = XR_REFUSE; /* '<' as text, "<?", a name past ASCII
			                 */
		if (st != XR_OK)
			return st;
	}
}

enum feed_xhtml_status feed_xhtml_read(const char *s, size_t n, bool final,
                                       const struct feed_xhtml_opts *o,
                                       struct buf *out, size_t *used,
                                       long *bare_amp)
{
	struct xr x;
	enum xr_status st;

	memset(&x, 0, sizeof x);
	x.start = s;
	x.end = s + n;
	x.o = o;
	x.out = out;
	st = xr_run(&x, used);
	/* the input ended inside the content: at the document's end, or
	 * past the longest run read, it is libxml2's */
	if (st == XR_MORE && !final && n <= XHTML_MAX_RUN)
		return FEED_XHTML_MORE;
	if (st != XR_OK)
		return FEED_XHTML_REFUSED;
	*bare_amp += x.bare_amp;
	return FEED_XHTML_TAKEN;
}
