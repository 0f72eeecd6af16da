#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/ascii.h"
#include "common/utf8.h"
#include "fetch/feed_impl.h"

/* One pass over an XML document before libxml2 reads it: markup is told
 * from text as XML does (tags with their quoted values, comments, CDATA
 * sections, processing instructions, declarations with an internal
 * subset), and
 *
 * - text made only of characters and character references (&lt; &amp;
 *   &#8217; ..., the form of escaped HTML) becomes one CDATA section with
 *   the references decoded and CRLF as LF (a lone CR keeps the text as
 *   it is): the same characters reach the parser, which then reads them
 *   in one piece instead of one callback per reference (twice as fast on
 *   escaped HTML);
 * - a bare '&' in text or in a quoted value ("AT&T", "?a=1&b=2") becomes
 *   "&amp;", HTML's "&#X41;" becomes "&#x41;", and a '<' in text that
 *   starts no markup ("1 < 2") becomes "&lt;": repairs libxml2 would
 *   otherwise make by dropping text.
 *
 * Nothing else changes and no line is added or removed. Linear time.
 * The result goes to the sink in pieces of about PREP_FLUSH bytes, so
 * nothing document-sized is copied (a copy of 12 MB costs more in page
 * faults than all the rest). */

#define PREP_FLUSH 65536

struct prep {
	const char *copied; /* data before this has gone into out */
	struct buf out;     /* what the sink has not had yet */
	feed_xml_sink sink;
	void *ctx;
	struct feed_xml_prep *res;
	long bare_amp_mark; /* res->bare_amp when the text run began */
	bool stopped;       /* the sink asked to stop */
};

/* The first `what` (n bytes, its first byte seldom seen: ']' '-' '?')
 * in [s, end), or NULL; memchr on that byte beats a general search. */
static const char *prep_find(const char *s, const char *end, const char *what,
                             size_t n)
{
	const char *hit;

	for (; (hit = memchr(s, what[0], (size_t)(end - s))) != NULL;
	     s = hit + 1)
		if ((size_t)(end - hit) >= n && memcmp(hit, what, n) == 0)
			return hit;
	return NULL;
}

static bool prep_is_name_start(unsigned char c)
{
	return ascii_isalpha(c) || c == '_' || c == ':' || c >= 0x80;
}

/* Emit data up to p (unchanged) and then s[0..n) in its place. */
static void prep_replace(struct prep *pp, const char *p, const char *s,
                         size_t n, const char *resume)
{
	buf_append(&pp->out, pp->copied, (size_t)(p - pp->copied));
	buf_append(&pp->out, s, n);
	pp->copied = resume;
}

/* At a boundary between runs: hand what is ready up to p to the sink
 * once there is enough of it. */
static void prep_flush(struct prep *pp, const char *p, bool last)
{
	if (!last && pp->out.len + (size_t)(p - pp->copied) < PREP_FLUSH)
		return;
	buf_append(&pp->out, pp->copied, (size_t)(p - pp->copied));
	pp->copied = p;
	if (!pp->stopped && pp->out.len &&
	    pp->sink(pp->ctx, pp->out.data, pp->out.len) != 0)
		pp->stopped = true;
	buf_reset(&pp->out);
}

/* The reference at s: its length (0 for a bare '&') and, for the five
 * predefined entities and numeric references to characters XML allows
 * (but CR, which CDATA would turn into LF, and LF, which would add a line
 * and move the line numbers of later messages), the code point in *cp;
 * *cp is 0 for any other (named) reference. */
static size_t prep_reference(const char *s, const char *end, uint32_t *cp)
{
	static const struct {
		const char *name;
		size_t len;
		char c;
	} predefined[] = {
	        {"lt;", 3, '<'},   {"gt;", 3, '>'},    {"amp;", 4, '&'},
	        {"quot;", 5, '"'}, {"apos;", 5, '\''},
	};
	const char *p = s + 1;
	uint32_t v = 0;
	size_t i, digits = 0;

	*cp = 0;
	for (i = 0; i < sizeof predefined / sizeof *predefined; i++)
		if ((size_t)(end - p) >= predefined[i].len &&
		    memcmp(p, predefined[i].name, predefined[i].len) == 0) {
			*cp = (unsigned char)predefined[i].c;
			return predefined[i].len + 1;
		}
	if (p < end && *p == '#') {
		bool hex = p + 1 < end && (p[1] == 'x' || p[1] == 'X');

		for (p += hex ? 2 : 1;
		     p < end && digits < 8 &&
		     (hex ? ascii_isxdigit(*p) : ascii_isdigit(*p));
		     p++, digits++)
			v = v * (hex ? 16 : 10) +
			    (uint32_t)ascii_hexval((unsigned char)*p);
		if (digits == 0 || p >= end || *p != ';')
			return 0;
		if (v == 0x9 || (v >= 0x20 && v <= 0xD7FF) ||
		    (v >= 0xE000 && v <= 0xFFFD) ||
		    (v >= 0x10000 && v <= 0x10FFFF))
			*cp = v;
		return (size_t)(p + 1 - s);
	}
	if (p < end && prep_is_name_start((unsigned char)*p) &&
	    (unsigned char)*p < 0x80) {
		for (; p < end && digits < 64 &&
		       (prep_is_name_start((unsigned char)*p) ||
		        ascii_isdigit(*p) || *p == '-' || *p == '.') &&
		       (unsigned char)*p < 0x80;
		     p++)
			digits++;
		if (p < end && *p == ';')
			return (size_t)(p + 1 - s);
	}
	return 0;
}

/* Repair bare '&' and "&#X" in [s, e) (text or a quoted value). */
static void prep_repair_amps(struct prep *pp, const char *s, const char *e,
                             bool text)
{
	const char *amp, *lt;
	uint32_t cp;

	for (; s < e; s = amp + 1) {
		amp = memchr(s, '&', (size_t)(e - s));
		lt = text ? memchr(s, '<', (size_t)((amp ? amp : e) - s))
		          : NULL;
		if (lt) {
			/* the caller found that it starts no markup */
			prep_replace(pp, lt, "&lt;", 4, lt + 1);
			pp->res->bare_lt++;
			amp = lt;
			continue;
		}
		if (!amp)
			break;
		if (!prep_reference(amp, e, &cp)) {
			prep_replace(pp, amp, "&amp;", 5, amp + 1);
			pp->res->bare_amp++;
		} else if (amp[1] == '#' && amp[2] == 'X') {
			prep_replace(pp, amp, "&#x", 3, amp + 3);
			pp->res->bare_amp++;
		}
	}
}

/* Append text [s, e) to out as XML reads it, CRLF as LF (libxml2 keeps
 * the CRs of a CDATA section as they are); false at a CR alone, which
 * XML reads as an LF: written as one, it would add a line. */
static bool prep_append_lf(struct buf *out, const char *s, const char *e)
{
	const char *cr;

	for (; (cr = memchr(s, '\r', (size_t)(e - s))) != NULL; s = cr + 1) {
		if (cr + 1 >= e || cr[1] != '\n')
			return false;
		buf_append(out, s, (size_t)(cr - s));
	}
	buf_append(out, s, (size_t)(e - s));
	return true;
}

/* A run of text [s, e) (it may hold '<' that start no markup). */
static void prep_text(struct prep *pp, const char *s, const char *e)
{
	struct buf *out = &pp->out;
	const char *p, *amp;
	size_t mark, body;
	uint32_t cp;
	size_t len;
	char utf8[4];

	if (!memchr(s, '&', (size_t)(e - s))) {
		if (memchr(s, '<', (size_t)(e - s)))
			prep_repair_amps(pp, s, e, true);
		return;
	}
	/* Try the CDATA form; give it up at the first reference it cannot
	 * hold, or if the text holds "]]>". */
	buf_append(out, pp->copied, (size_t)(s - pp->copied));
	pp->copied = s;
	mark = out->len;
	buf_puts(out, "<![CDATA[");
	body = out->len;
	for (p = s; (amp = memchr(p, '&', (size_t)(e - p))) != NULL;
	     p = amp + len) {
		if (!prep_append_lf(out, p, amp))
			goto plain;
		len = prep_reference(amp, e, &cp);
		if (len == 0) {
			buf_putc(out, '&'); /* a bare '&' is text */
			pp->res->bare_amp++;
			len = 1;
			continue;
		}
		if (cp == 0)
			goto plain;
		buf_append(out, utf8, utf8_encode(cp, utf8));
	}
	if (!prep_append_lf(out, p, e))
		goto plain;
	if (prep_find(out->data + body, out->data + out->len, "]]>", 3))
		goto plain;
	buf_puts(out, "]]>");
	pp->res->cdata++;
	pp->copied = e;
	return;
plain:
	buf_truncate(out, mark);
	pp->res->bare_amp = pp->bare_amp_mark;
	prep_repair_amps(pp, s, e, true);
}

/* The end of the tag at s ('<' of a start or end tag): past its '>',
 * quoted values skipped (their bare '&' repaired); NULL when the document
 * ends first. */
static const char *prep_tag(struct prep *pp, const char *s, const char *end)
{
	const char *p = s + 1, *close;
	char quote;

	while (p < end) {
		while (p < end && *p != '"' && *p != '\'' && *p != '>')
			p++;
		if (p >= end)
			return NULL;
		if (*p == '>')
			return p + 1;
		quote = *p;
		close = memchr(p + 1, quote, (size_t)(end - p - 1));
		if (!close)
			return NULL;
		if (memchr(p + 1, '&', (size_t)(close - p - 1)))
			prep_repair_amps(pp, p + 1, close, false);
		p = close + 1;
	}
	return NULL;
}

/* Past the declaration at s ("<!DOCTYPE ... [ ... ]>"): quotes, an
 * internal subset and comments in it are skipped. */
static const char *prep_declaration(const char *s, const char *end)
{
	const char *p = s + 2, *close;
	int depth = 0;

	for (; p < end; p++) {
		switch (*p) {
		case '"':
		case '\'':
			close = memchr(p + 1, *p, (size_t)(end - p - 1));
			if (!close)
				return end;
			p = close;
			break;
		case '[':
			depth++;
			break;
		case ']':
			depth--;
			break;
		case '<':
			if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
				close = prep_find(p + 4, end, "-->", 3);
				if (!close)
					return end;
				p = close + 2;
			}
			break;
		case '>':
			if (depth <= 0)
				return p + 1;
			break;
		default:
			break;
		}
	}
	return end;
}

static const char *prep_past(const char *s, const char *end, const char *what,
                             size_t n)
{
	const char *close = prep_find(s, end, what, n);

	return close ? close + n : end;
}

int feed_xml_prepare(const char *data, size_t n, feed_xml_sink sink, void *ctx,
                     struct feed_xml_prep *res)
{
	const char *p = data, *end = data + n, *text = data, *lt, *next;
	struct prep pp;
	unsigned char c;

	memset(res, 0, sizeof *res);
	memset(&pp, 0, sizeof pp);
	pp.copied = data;
	pp.sink = sink;
	pp.ctx = ctx;
	pp.res = res;
	buf_init(&pp.out, 0);
	while (!pp.stopped &&
	       (lt = memchr(p, '<', (size_t)(end - p))) != NULL) {
		c = lt + 1 < end ? (unsigned char)lt[1] : 0;
		if (c != '!' && c != '?' && c != '/' &&
		    !prep_is_name_start(c)) {
			p = lt + 1; /* a '<' in text */
			continue;
		}
		pp.bare_amp_mark = res->bare_amp;
		prep_text(&pp, text, lt);
		if (c == '!' && end - lt >= 4 && memcmp(lt, "<!--", 4) == 0)
			next = prep_past(lt + 4, end, "-->", 3);
		else if (c == '!' && end - lt >= 9 &&
		         memcmp(lt, "<![CDATA[", 9) == 0)
			next = prep_past(lt + 9, end, "]]>", 3);
		else if (c == '!')
			next = prep_declaration(lt, end);
		else if (c == '?')
			next = prep_past(lt + 2, end, "?>", 2);
		else
			next = prep_tag(&pp, lt, end);
		if (!next)
			next = end;
		p = text = next;
		prep_flush(&pp, p, false);
	}
	if (!pp.stopped) {
		pp.bare_amp_mark = res->bare_amp;
		prep_text(&pp, text, end);
		prep_flush(&pp, end, true);
	}
	buf_free(&pp.out);
	return pp.stopped ? 1 : 0;
}
