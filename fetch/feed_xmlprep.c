#include <stdbool.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ascii.h"
#include "common/utf8.h"
#include "common/xalloc.h"
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
 * With a take_text function, such a decoded run, and a CDATA section of
 * the document, is offered to it instead, once all before it has gone to
 * the sink: libxml2 then never sees the characters (in push mode it reads
 * a CDATA section three times over: to find its end, to check its UTF-8,
 * to hand it over in 300-byte pieces), and the run's line breaks stay in
 * the document as an empty comment, so the line numbers of messages do
 * not move.
 *
 * Nothing else changes and no line is added or removed. Linear time.
 * The result goes to the sink in pieces of about PREP_FLUSH bytes, so
 * nothing document-sized is copied (a copy of 12 MB costs more in page
 * faults than all the rest). Fed in pieces, the pass keeps what a piece
 * leaves unfinished (a text run, a tag, a comment) and reads it again
 * with the next, no sooner than it has doubled (linear time still). */

#define PREP_FLUSH 65536
/* Bytes of a new piece first joined to what waits, to finish it. */
#define PREP_TAKE_MIN 1024

struct feed_xml_prepper {
	const char *copied; /* data before this has gone into out */
	struct buf out;     /* what the sink has not had yet */
	struct buf text;    /* a text run's characters, references decoded */
	struct buf carry;   /* input a piece left unfinished */
	size_t carry_tried; /* carry's length when last read in vain */
	feed_xml_sink sink;
	feed_xml_text_fn take_text;
	feed_xml_markup_fn take_markup;
	void *ctx;
	bool armed;     /* the last markup was a start tag naming xhtml */
	bool no_markup; /* a DOCTYPE: its declarations are libxml2's */
	struct feed_xml_prep res;
	long bare_amp_mark; /* res.bare_amp when the text run began */
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
static void prep_replace(struct feed_xml_prepper *pp, const char *p,
                         const char *s, size_t n, const char *resume)
{
	buf_append(&pp->out, pp->copied, (size_t)(p - pp->copied));
	buf_append(&pp->out, s, n);
	pp->copied = resume;
}

/* Hand out what out holds to the sink. */
static void prep_sink_out(struct feed_xml_prepper *pp)
{
	if (!pp->stopped && pp->out.len &&
	    pp->sink(pp->ctx, pp->out.data, pp->out.len) != 0)
		pp->stopped = true;
	buf_reset(&pp->out);
}

/* Hand out everything up to p (data unchanged since copied) to the sink
 * now, as before a run is offered to take_text. */
static void prep_send(struct feed_xml_prepper *pp, const char *p)
{
	buf_append(&pp->out, pp->copied, (size_t)(p - pp->copied));
	pp->copied = p;
	prep_sink_out(pp);
}

/* At a boundary between runs: hand what is ready up to p to the sink
 * once there is enough of it. */
static void prep_flush(struct feed_xml_prepper *pp, const char *p)
{
	if (pp->out.len + (size_t)(p - pp->copied) >= PREP_FLUSH)
		prep_send(pp, p);
}

/* Whether a[0..n) and b[0..n) are the same bytes; for a few bytes, a loop
 * beats a call to memcmp. */
static bool prep_same(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* The reference at s: its length (0 for a bare '&') and, for the five
 * predefined entities and numeric references to characters XML allows
 * (but CR, which CDATA would turn into LF, and LF, which would add a line
 * and move the line numbers of later messages), the code point in *cp;
 * *cp is 0 for any other (named) reference. */
size_t feed_xml_reference(const char *s, const char *end, uint32_t *cp)
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
		if (p < end && *p == predefined[i].name[0] &&
		    (size_t)(end - p) >= predefined[i].len &&
		    prep_same(p + 1, predefined[i].name + 1,
		              predefined[i].len - 1)) {
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
static void prep_repair_amps(struct feed_xml_prepper *pp, const char *s,
                             const char *e, bool text)
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
			pp->res.bare_lt++;
			amp = lt;
			continue;
		}
		if (!amp)
			break;
		if (!feed_xml_reference(amp, e, &cp)) {
			prep_replace(pp, amp, "&amp;", 5, amp + 1);
			pp->res.bare_amp++;
		} else if (amp[1] == '#' && amp[2] == 'X') {
			prep_replace(pp, amp, "&#x", 3, amp + 3);
			pp->res.bare_amp++;
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

/* The input [from, to), taken, leaves the document but for its line
 * breaks, in an empty comment: later messages keep their line numbers. */
static void prep_keep_lines(struct feed_xml_prepper *pp, const char *from,
                            const char *to)
{
	const char *lf;
	size_t lines = 0;

	for (lf = from; (lf = memchr(lf, '\n', (size_t)(to - lf))) != NULL;
	     lf++)
		lines++;
	if (lines) {
		buf_puts(&pp->out, "<!--");
		while (lines--)
			buf_putc(&pp->out, '\n');
		buf_puts(&pp->out, "-->");
	}
	pp->copied = to;
}

/* Offer s[0..n), the characters of the content [from, to) of the input,
 * to take_text; once taken, that content leaves the document but for its
 * line breaks (in an empty comment). */
static bool prep_give(struct feed_xml_prepper *pp, const char *s, size_t n,
                      const char *from, const char *to)
{
	if (!pp->take_text)
		return false;
	prep_send(pp, from);
	if (pp->stopped || !pp->take_text(pp->ctx, s, n))
		return false;
	prep_keep_lines(pp, from, to);
	return true;
}

/* prep_decode for text with a CR in it: the slow way, CRLF as LF. */
static bool prep_decode_cr(struct feed_xml_prepper *pp, const char *s,
                           const char *e)
{
	struct buf *t = &pp->text;
	const char *p, *amp;
	uint32_t cp;
	size_t len;
	char utf8[4];

	for (p = s; (amp = memchr(p, '&', (size_t)(e - p))) != NULL;
	     p = amp + len) {
		if (!prep_append_lf(t, p, amp))
			return false;
		len = feed_xml_reference(amp, e, &cp);
		if (len == 0) {
			buf_putc(t, '&'); /* a bare '&' is text */
			pp->res.bare_amp++;
			len = 1;
			continue;
		}
		if (cp == 0)
			return false;
		buf_append(t, utf8, utf8_encode(cp, utf8));
	}
	return prep_append_lf(t, p, e);
}

/* Copy s[0..n) to w up to its first '&' (or all of it); returns the bytes
 * copied. w has room for n bytes: a block is stored before it is looked
 * at, so a run costs no call per reference. */
static size_t prep_copy_to_amp(char *w, const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i amp = _mm_set1_epi8('&');
	__m128i x;
	unsigned mask;

	for (; n - i >= 16; i += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		_mm_storeu_si128((__m128i *)(void *)(w + i), x);
		mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, amp));
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	for (; i < n && s[i] != '&'; i++)
		w[i] = s[i];
	return i;
}

/* The characters of text [s, e) into pp->text, references decoded and
 * CRLF as LF; false at what CDATA cannot hold as it is: a CR alone, a
 * reference that is no character XML allows (a named one, &#1;). The
 * characters are never more bytes than the text. */
static bool prep_decode(struct feed_xml_prepper *pp, const char *s,
                        const char *e)
{
	struct buf *t = &pp->text;
	const char *p = s;
	size_t k, len, done = 0;
	uint32_t cp;
	char *w;

	buf_reset(t);
	if (memchr(s, '\r', (size_t)(e - s)))
		return prep_decode_cr(pp, s, e);
	w = buf_reserve(t, (size_t)(e - s));
	while (p < e) {
		k = prep_copy_to_amp(w + done, p, (size_t)(e - p));
		done += k;
		p += k;
		if (p == e)
			break;
		len = feed_xml_reference(p, e, &cp);
		if (len == 0) {
			w[done++] = '&'; /* a bare '&' is text */
			pp->res.bare_amp++;
			p++;
			continue;
		}
		if (cp == 0)
			return false;
		done += utf8_encode(cp, w + done);
		p += len;
	}
	buf_commit(t, done);
	return true;
}

/* A run of text [s, e) (it may hold '<' that start no markup). */
static void prep_text(struct feed_xml_prepper *pp, const char *s, const char *e)
{
	struct buf *t = &pp->text;

	if (!memchr(s, '&', (size_t)(e - s))) {
		if (memchr(s, '<', (size_t)(e - s)))
			prep_repair_amps(pp, s, e, true);
		return;
	}
	if (!prep_decode(pp, s, e))
		goto plain;
	/* "]]>" as written is an error libxml2 reports: it must see it. */
	if (!prep_find(s, e, "]]>", 3) &&
	    prep_give(pp, buf_cstr(t), t->len, s, e)) {
		pp->res.cdata++;
		return;
	}
	if (prep_find(buf_cstr(t), buf_cstr(t) + t->len, "]]>", 3))
		goto plain;
	buf_append(&pp->out, pp->copied, (size_t)(s - pp->copied));
	buf_puts(&pp->out, "<![CDATA[");
	buf_append(&pp->out, t->data, t->len);
	buf_puts(&pp->out, "]]>");
	pp->copied = e;
	pp->res.cdata++;
	return;
plain:
	pp->res.bare_amp = pp->bare_amp_mark;
	prep_repair_amps(pp, s, e, true);
}

/* A CDATA section of the document, [s, e) with its markup: its content is
 * offered as it is (a CR in it stays for libxml2 to read). */
static void prep_cdata(struct feed_xml_prepper *pp, const char *s,
                       const char *e)
{
	const char *body = s + 9;
	size_t n = (size_t)(e - 3 - body);

	if (!memchr(body, '\r', n))
		prep_give(pp, body, n, s, e);
}

/* The end of the tag at s ('<' of a start or end tag): past its '>',
 * quoted values skipped; NULL when the input ends first. */
static const char *prep_tag_end(const char *s, const char *end)
{
	const char *p = s + 1, *close;

	while (p < end) {
		while (p < end && *p != '"' && *p != '\'' && *p != '>')
			p++;
		if (p >= end)
			return NULL;
		if (*p == '>')
			return p + 1;
		close = memchr(p + 1, *p, (size_t)(end - p - 1));
		if (!close)
			return NULL;
		p = close + 1;
	}
	return NULL;
}

/* The bare '&' in the quoted values of the whole tag [s, e), repaired. */
static void prep_tag_repair(struct feed_xml_prepper *pp, const char *s,
                            const char *e)
{
	const char *p = s + 1, *close;

	while (p < e) {
		while (p < e && *p != '"' && *p != '\'')
			p++;
		if (p >= e)
			return;
		close = memchr(p + 1, *p, (size_t)(e - p - 1));
		if (!close)
			return;
		if (memchr(p + 1, '&', (size_t)(close - p - 1)))
			prep_repair_amps(pp, p + 1, close, false);
		p = close + 1;
	}
}

/* Past the declaration at s ("<!DOCTYPE ... [ ... ]>"): quotes, an
 * internal subset and comments in it are skipped; NULL when the input
 * ends first. */
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
				return NULL;
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
					return NULL;
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
	return NULL;
}

static const char *prep_past(const char *s, const char *end, const char *what,
                             size_t n)
{
	const char *close = prep_find(s, end, what, n);

	return close ? close + n : NULL;
}

/* The end of the markup at lt (c = lt[1]), or NULL when the input ends
 * before it does. A piece too short to tell a comment, a CDATA section and
 * a declaration apart ends first, too. */
static const char *prep_markup_end(const char *lt, const char *end,
                                   unsigned char c, bool final)
{
	if (c == '!' && end - lt < 9 && !final)
		return NULL;
	if (c == '!' && end - lt >= 4 && memcmp(lt, "<!--", 4) == 0)
		return prep_past(lt + 4, end, "-->", 3);
	if (c == '!' && end - lt >= 9 && memcmp(lt, "<![CDATA[", 9) == 0)
		return prep_past(lt + 9, end, "]]>", 3);
	if (c == '!')
		return prep_declaration(lt, end);
	if (c == '?')
		return prep_past(lt + 2, end, "?>", 2);
	return prep_tag_end(lt, end);
}

/* Whether the markup [lt, next) is the start tag of a text construct
 * that may be inline XHTML (Atom's title, subtitle, tagline, summary and
 * content; body), names xhtml (type="xhtml", an XHTML namespace,
 * xhtml:body) and has content. */
static bool prep_arms(const char *lt, const char *next, unsigned char c)
{
	static const char *const names[] = {"content",  "summary", "title",
	                                    "subtitle", "tagline", "body"};
	const char *name = lt + 1, *p = name;
	size_t i, len;

	if (c == '!' || c == '?' || c == '/' || next - lt < 12 ||
	    next[-2] == '/')
		return false;
	for (; p < next && *p != ' ' && *p != '\t' && *p != '\n' &&
	       *p != '\r' && *p != '>' && *p != '/';
	     p++)
		if (*p == ':')
			name = p + 1;
	len = (size_t)(p - name);
	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (len == strlen(names[i]) && memcmp(name, names[i], len) == 0)
			return memmem(p, (size_t)(next - p), "xhtml", 5) ||
			       memmem(lt, (size_t)(p - lt), "xhtml", 5);
	return false;
}

/* Offer the content at text (up to end) to take_markup: the bytes taken,
 * 0, or -1 to be asked again with more. */
static long prep_offer_markup(struct feed_xml_prepper *pp, const char *text,
                              const char *end, bool final)
{
	long took;

	prep_send(pp, text);
	if (pp->stopped)
		return 0;
	took = pp->take_markup(pp->ctx, text, (size_t)(end - text), final,
	                       &pp->res.bare_amp);
	if (took > 0) {
		prep_keep_lines(pp, text, text + took);
		pp->res.markup++;
	}
	return took;
}

/* Rewrite data[0..n); unless final (the document ends there), stop at the
 * first text run or markup the data ends inside. Returns the bytes done:
 * all of them have gone into out or the sinks. */
static size_t prep_run(struct feed_xml_prepper *pp, const char *data, size_t n,
                       bool final)
{
	const char *p = data, *end = data + n, *text = data, *lt, *next;
	unsigned char c;

	pp->copied = data;
	while (!pp->stopped &&
	       (lt = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (lt + 1 >= end && !final)
			break;
		c = lt + 1 < end ? (unsigned char)lt[1] : 0;
		if (c != '!' && c != '?' && c != '/' &&
		    !prep_is_name_start(c)) {
			p = lt + 1; /* a '<' in text */
			continue;
		}
		if (pp->armed && c != '!' && c != '?' && c != '/') {
			long took = prep_offer_markup(pp, text, end, final);

			/* stopped: nothing after is read, in any pieces */
			if (took < 0 || pp->stopped)
				break; /* armed still: asked again with more */
			pp->armed = false;
			if (took > 0) {
				p = text = text + took;
				prep_flush(pp, p);
				continue;
			}
		}
		next = prep_markup_end(lt, end, c, final);
		if (!next && !final)
			break;
		if (!next)
			next = end;
		pp->armed = pp->take_markup && !pp->no_markup &&
		            prep_arms(lt, next, c);
		if (c == '!' && next - lt >= 3 && lt[2] != '-' && lt[2] != '[')
			pp->no_markup = true;
		pp->bare_amp_mark = pp->res.bare_amp;
		prep_text(pp, text, lt);
		if (c == '!' && next - lt >= 12 &&
		    memcmp(lt, "<![CDATA[", 9) == 0 &&
		    memcmp(next - 3, "]]>", 3) == 0)
			prep_cdata(pp, lt, next);
		else if (c != '!' && c != '?' &&
		         memchr(lt, '&', (size_t)(next - lt)))
			prep_tag_repair(pp, lt, next);
		p = text = next;
		prep_flush(pp, p);
	}
	if (pp->stopped)
		return n;
	if (final) {
		pp->bare_amp_mark = pp->res.bare_amp;
		prep_text(pp, text, end);
		text = end;
	}
	buf_append(&pp->out, pp->copied, (size_t)(text - pp->copied));
	return (size_t)(text - data);
}

struct feed_xml_prepper *
feed_xml_prepper_new(feed_xml_sink sink, feed_xml_text_fn take_text, void *ctx)
{
	struct feed_xml_prepper *pp = xcalloc(1, sizeof *pp);

	pp->sink = sink;
	pp->take_text = take_text;
	pp->ctx = ctx;
	buf_init(&pp->out, 0);
	buf_init(&pp->text, 0);
	buf_init(&pp->carry, 0);
	return pp;
}

/* Read what waits in carry with data's first bytes joined to it, until it
 * is done with or data is used up; returns the bytes of data used. */
static size_t prep_resume(struct feed_xml_prepper *pp, const char *data,
                          size_t n)
{
	size_t used = 0, take, old, done;

	while (pp->carry.len && used < n && !pp->stopped) {
		old = pp->carry.len;
		take = old > PREP_TAKE_MIN ? old : PREP_TAKE_MIN;
		take = take < n - used ? take : n - used;
		buf_append(&pp->carry, data + used, take);
		used += take;
		if (pp->carry.len < 2 * pp->carry_tried && used < n)
			continue;
		done = prep_run(pp, pp->carry.data, pp->carry.len, false);
		if (done >= old) {
			/* what is left is data's, read where it is */
			used -= pp->carry.len - done;
			buf_reset(&pp->carry);
			pp->carry_tried = 0;
			break;
		}
		memmove(pp->carry.data, pp->carry.data + done,
		        pp->carry.len - done);
		buf_truncate(&pp->carry, pp->carry.len - done);
		pp->carry_tried = pp->carry.len;
	}
	return used;
}

int feed_xml_prepper_push(struct feed_xml_prepper *pp, const char *data,
                          size_t n)
{
	size_t used, done;

	used = prep_resume(pp, data, n);
	if (pp->carry.len == 0 && used < n && !pp->stopped) {
		done = prep_run(pp, data + used, n - used, false);
		buf_append(&pp->carry, data + used + done, n - used - done);
		pp->carry_tried = pp->carry.len;
	}
	if (pp->out.len >= PREP_FLUSH)
		prep_sink_out(pp);
	return pp->stopped ? 1 : 0;
}

int feed_xml_prepper_finish(struct feed_xml_prepper *pp,
                            struct feed_xml_prep *res)
{
	if (!pp->stopped)
		prep_run(pp, buf_cstr(&pp->carry), pp->carry.len, true);
	buf_reset(&pp->carry);
	prep_sink_out(pp);
	*res = pp->res;
	return pp->stopped ? 1 : 0;
}

void feed_xml_prepper_take_markup(struct feed_xml_prepper *pp,
                                  feed_xml_markup_fn take)
{
	pp->take_markup = take;
}

void feed_xml_prepper_free(struct feed_xml_prepper *pp)
{
	if (!pp)
		return;
	buf_free(&pp->out);
	buf_free(&pp->text);
	buf_free(&pp->carry);
	free(pp);
}

int feed_xml_prepare(const char *data, size_t n, feed_xml_sink sink, void *ctx,
                     struct feed_xml_prep *res)
{
	struct feed_xml_prepper *pp = feed_xml_prepper_new(sink, NULL, ctx);
	int ret;

	prep_run(pp, data, n, true);
	ret = feed_xml_prepper_finish(pp, res);
	feed_xml_prepper_free(pp);
	return ret;
}
