#include "fetch/html.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/ascii.h"
#include "common/utf8.h"

/* One HTML5 named character reference; the table is sorted by name. */
struct html_entity {
	const char *name; /* without '&' and ';' */
	const char *text; /* UTF-8 expansion */
	unsigned char name_len;
	unsigned char text_len;
	unsigned char legacy; /* also recognised without the ';' */
};

#include "fetch/html_entities.inc"

enum { EL_BLOCK = 1, EL_RAW = 2 };

/* Elements whose tags mean something here, grouped by first letter so a
 * lookup is a short scan. EL_BLOCK ones separate words, EL_RAW ones hide
 * their content up to the close tag, and all of them make
 * html_looks_like() answer true. Names are lowercase. */
struct html_element {
	const char *name;
	unsigned char flags;
};

static const struct html_element html_elements_a[] = {
        {"a", 0},
        {"abbr", 0},
        {"acronym", 0},
        {"address", EL_BLOCK},
        {"article", EL_BLOCK},
        {"aside", EL_BLOCK},
};
static const struct html_element html_elements_b[] = {
        {"b", 0},
        {"big", 0},
        {"blockquote", EL_BLOCK},
        {"br", EL_BLOCK},
};
static const struct html_element html_elements_c[] = {
        {"caption", 0},
        {"center", 0},
        {"cite", 0},
        {"code", 0},
};
static const struct html_element html_elements_d[] = {
        {"dd", EL_BLOCK},  {"del", 0},       {"dfn", 0},
        {"div", EL_BLOCK}, {"dl", EL_BLOCK}, {"dt", EL_BLOCK},
};
static const struct html_element html_elements_e[] = {
        {"em", 0},
};
static const struct html_element html_elements_f[] = {
        {"figcaption", EL_BLOCK}, {"figure", EL_BLOCK}, {"font", 0},
        {"footer", EL_BLOCK},     {"form", EL_BLOCK},
};
static const struct html_element html_elements_h[] = {
        {"h1", EL_BLOCK},     {"h2", EL_BLOCK}, {"h3", EL_BLOCK},
        {"h4", EL_BLOCK},     {"h5", EL_BLOCK}, {"h6", EL_BLOCK},
        {"header", EL_BLOCK}, {"hr", EL_BLOCK},
};
static const struct html_element html_elements_i[] = {
        {"i", 0},
        {"iframe", 0},
        {"img", 0},
        {"ins", 0},
};
static const struct html_element html_elements_k[] = {
        {"kbd", 0},
};
static const struct html_element html_elements_l[] = {
        {"li", EL_BLOCK},
};
static const struct html_element html_elements_m[] = {
        {"main", EL_BLOCK},
};
static const struct html_element html_elements_n[] = {
        {"nav", EL_BLOCK},
        {"noscript", 0},
};
static const struct html_element html_elements_o[] = {
        {"ol", EL_BLOCK},
};
static const struct html_element html_elements_p[] = {
        {"p", EL_BLOCK},
        {"pre", EL_BLOCK},
};
static const struct html_element html_elements_q[] = {
        {"q", 0},
};
static const struct html_element html_elements_s[] = {
        {"s", 0},           {"samp", 0},
        {"script", EL_RAW}, {"section", EL_BLOCK},
        {"small", 0},       {"span", 0},
        {"strike", 0},      {"strong", 0},
        {"style", EL_RAW},  {"sub", 0},
        {"sup", 0},
};
static const struct html_element html_elements_t[] = {
        {"table", EL_BLOCK}, {"tbody", EL_BLOCK}, {"td", EL_BLOCK},
        {"tfoot", EL_BLOCK}, {"th", EL_BLOCK},    {"thead", EL_BLOCK},
        {"tr", EL_BLOCK},    {"tt", 0},
};
static const struct html_element html_elements_u[] = {
        {"u", 0},
        {"ul", EL_BLOCK},
};
static const struct html_element html_elements_v[] = {
        {"var", 0},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Indexed by first letter: letter - 'a'. */
static const struct {
	const struct html_element *el;
	size_t count;
} html_element_groups[26] = {
        ['a' - 'a'] = {html_elements_a, COUNT(html_elements_a)},
        ['b' - 'a'] = {html_elements_b, COUNT(html_elements_b)},
        ['c' - 'a'] = {html_elements_c, COUNT(html_elements_c)},
        ['d' - 'a'] = {html_elements_d, COUNT(html_elements_d)},
        ['e' - 'a'] = {html_elements_e, COUNT(html_elements_e)},
        ['f' - 'a'] = {html_elements_f, COUNT(html_elements_f)},
        ['h' - 'a'] = {html_elements_h, COUNT(html_elements_h)},
        ['i' - 'a'] = {html_elements_i, COUNT(html_elements_i)},
        ['k' - 'a'] = {html_elements_k, COUNT(html_elements_k)},
        ['l' - 'a'] = {html_elements_l, COUNT(html_elements_l)},
        ['m' - 'a'] = {html_elements_m, COUNT(html_elements_m)},
        ['n' - 'a'] = {html_elements_n, COUNT(html_elements_n)},
        ['o' - 'a'] = {html_elements_o, COUNT(html_elements_o)},
        ['p' - 'a'] = {html_elements_p, COUNT(html_elements_p)},
        ['q' - 'a'] = {html_elements_q, COUNT(html_elements_q)},
        ['s' - 'a'] = {html_elements_s, COUNT(html_elements_s)},
        ['t' - 'a'] = {html_elements_t, COUNT(html_elements_t)},
        ['u' - 'a'] = {html_elements_u, COUNT(html_elements_u)},
        ['v' - 'a'] = {html_elements_v, COUNT(html_elements_v)},
};

#define HTML_ELEMENT_NAME_MAX 10 /* "blockquote", "figcaption" */

/* What numeric references 0x80-0x9F stand for (HTML5 takes them as
 * windows-1252); the five bytes windows-1252 leaves undefined stay as is. */
static const uint16_t html_windows1252[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/* Byte classes. Whitespace is SPACE TAB LF CR FF VT, never U+00A0. A text
 * run stops at TX_SPACE, TX_NUL and (in HTML) TX_MARKUP; a tag name ends at
 * TX_NAME_END; inside a tag only TX_IN_TAG bytes need a look. */
enum {
	TX_SPACE = 1,
	TX_NUL = 2,
	TX_MARKUP = 4,
	TX_NAME_END = 8,
	TX_IN_TAG = 16
};
#define TX_STOP_TEXT (TX_SPACE | TX_NUL)
#define TX_STOP_HTML (TX_SPACE | TX_NUL | TX_MARKUP)
#define TX_WS (TX_SPACE | TX_NAME_END)

static const unsigned char text_class[256] = {
        ['\0'] = TX_NUL,
        ['\t'] = TX_WS,
        ['\n'] = TX_WS,
        ['\v'] = TX_WS,
        ['\f'] = TX_WS,
        ['\r'] = TX_WS,
        [' '] = TX_WS,
        ['&'] = TX_MARKUP,
        ['<'] = TX_MARKUP,
        ['/'] = TX_NAME_END,
        ['>'] = TX_NAME_END | TX_IN_TAG,
        ['='] = TX_IN_TAG,
        ['"'] = TX_IN_TAG,
        ['\''] = TX_IN_TAG,
};

/* The value of digit c in base 10 or 16, or -1. */
static int digit_value(char c, int base)
{
	if (base == 16)
		return ascii_hexval((unsigned char)c);
	return ascii_isdigit(c) ? c - '0' : -1;
}

/* strcmp order of key[0..n) against the NUL-terminated name; a loop, as
 * the names are a few bytes and a libc call would cost more. */
static int name_cmp(const char *key, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n && name[i]; i++)
		if (key[i] != name[i])
			return (unsigned char)key[i] - (unsigned char)name[i];
	return (i < n) - (name[i] != '\0');
}

static const struct html_entity *html_entity_find(const char *name, size_t n)
{
	const struct html_entity *e;
	size_t lo, hi, mid;
	unsigned char first;
	int r;

	if (n == 0 || n > HTML_ENTITY_NAME_MAX)
		return NULL;
	first = (unsigned char)name[0];
	if (first >= 128)
		return NULL;
	lo = html_entity_first[first];
	hi = html_entity_first[first + 1];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		e = &html_entities[mid];
		r = name_cmp(name, n, e->name);
		if (r == 0)
			return e;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *html_entity_lookup(const char *name, size_t n)
{
	const struct html_entity *e = html_entity_find(name, n);

	return e ? e->text : NULL;
}

/* The element named s[0..n), ASCII case-insensitively, or NULL. */
static const struct html_element *html_element_find(const char *s, size_t n)
{
	const struct html_element *el, *last;
	char first;
	size_t i;

	if (n == 0 || n > HTML_ELEMENT_NAME_MAX)
		return NULL;
	first = (char)ascii_tolower(s[0]);
	if (first < 'a' || first > 'z' || !html_element_groups[first - 'a'].el)
		return NULL;
	el = html_element_groups[first - 'a'].el;
	last = el + html_element_groups[first - 'a'].count;
	for (; el < last; el++) {
		for (i = 1; i < n && el->name[i] != '\0' &&
		            el->name[i] == (char)ascii_tolower(s[i]);
		     i++)
			;
		if (i == n && el->name[n] == '\0')
			return el;
	}
	return NULL;
}

/* Output with whitespace collapsing. Text goes into a window reserved in
 * out and is committed at the end (or when the window is full), so plain
 * runs cost one memcpy and no call into buf. A space is owed rather than
 * written, and only written before later text: that trims both ends. */
struct text_sink {
	struct buf *out;
	char *win;    /* reserved bytes past out's length */
	size_t room;  /* size of the window */
	size_t used;  /* bytes written to the window, not yet committed */
	size_t hint;  /* window size to ask for next */
	bool space;   /* a space is owed before the next text */
	bool any;     /* this call has written text */
	size_t no_gt; /* the input has no '>' at or after this index */
};

static void sink_init(struct text_sink *k, struct buf *out, size_t n)
{
	k->out = out;
	k->win = NULL;
	k->room = 0;
	k->used = 0;
	k->hint = n < SIZE_MAX - 64 ? n + 64 : n;
	k->space = false;
	k->any = false;
	k->no_gt = SIZE_MAX;
}

static void sink_flush(struct text_sink *k)
{
	if (k->used)
		buf_commit(k->out, k->used);
	k->win = NULL;
	k->room = 0;
	k->used = 0;
}

/* Commit the window and reserve a new one of at least need bytes: the hint
 * if it fits under out's cap, else halving towards need. */
static int sink_grow(struct text_sink *k, size_t need)
{
	size_t want = k->hint > need ? k->hint : need;
	char *w;

	sink_flush(k);
	while (!(w = buf_reserve(k->out, want))) {
		if (want == need)
			return BUF_ERR_CAP;
		want = want / 2 > need ? want / 2 : need;
	}
	k->win = w;
	k->room = want;
	k->hint = k->hint / 2 + 64;
	return BUF_OK;
}

static inline int sink_put(struct text_sink *k, const char *p, size_t len)
{
	size_t lead = k->space && k->any ? 1 : 0;
	char *w;

	if (len == 0)
		return BUF_OK;
	if (k->room - k->used < len + lead && sink_grow(k, len + lead))
		return BUF_ERR_CAP;
	w = k->win + k->used;
	if (lead)
		*w++ = ' ';
	memcpy(w, p, len);
	k->used += len + lead;
	k->space = false;
	k->any = true;
	return BUF_OK;
}

static int sink_code_point(struct text_sink *k, uint32_t cp)
{
	char enc[4];

	if (cp < 0x80 && ascii_isspace((char)cp)) {
		k->space = true;
		return BUF_OK;
	}
	return sink_put(k, enc, utf8_encode(cp, enc));
}

static int sink_entity(struct text_sink *k, const struct html_entity *e)
{
	if (e->text_len == 1 && ascii_isspace(e->text[0])) {
		k->space = true;
		return BUF_OK;
	}
	return sink_put(k, e->text, e->text_len);
}

#ifdef __SSE2__
/* The offset in the 16 bytes at s of the first byte that may end a run: a
 * control byte, a space after a space (prev_space: the byte before s is
 * one), or with markup set '&' or '<'; 16 when there is none. */
static unsigned block_stop(const char *s, bool prev_space, bool markup)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
	unsigned spaces, stop;

	spaces = (unsigned)_mm_movemask_epi8(
	        _mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));
	stop = (unsigned)_mm_movemask_epi8(ctl);
	stop |= spaces & ((spaces << 1) | (prev_space ? 1u : 0u));
	if (markup) {
		ctl = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('&')),
		                   _mm_cmpeq_epi8(x, _mm_set1_epi8('<')));
		stop |= (unsigned)_mm_movemask_epi8(ctl);
	}
	return stop ? (unsigned)__builtin_ctz(stop) : 16;
}

#define BLOCK_SIZE 16
#else
/* Portable SWAR over 8 bytes: the high bit of each lane where x has a zero
 * byte, exactly (no borrow from one lane into the next). */
#define LANES(b) ((uint64_t)(b)*0x0101010101010101u)

static uint64_t zero_lanes(uint64_t x)
{
	return ~(((x & LANES(0x7F)) + LANES(0x7F)) | x) & LANES(0x80);
}

/* 0 when no byte in the 8 at s may end a run (as block_stop above), else
 * an offset at or before the first that may; the byte loop finds which. */
static unsigned block_stop(const char *s, bool prev_space, bool markup)
{
	uint64_t x, below_space, spaces, stop;

	memcpy(&x, s, 8);
	below_space = ~(((x & LANES(0x7F)) + LANES(0x60)) | x) & LANES(0x80);
	spaces = zero_lanes(x ^ LANES(' '));
	stop = below_space | (spaces & (spaces << 8));
	if (markup)
		stop |= zero_lanes(x ^ LANES('&')) | zero_lanes(x ^ LANES('<'));
	if (stop || (prev_space && s[0] == ' '))
		return 0;
	return 8;
}

#define BLOCK_SIZE 8
#endif

/* End of the run of ordinary bytes that starts at s[i] (not a stop byte):
 * no byte of a class in stop (TX_MARKUP in it or not), except single
 * spaces between ordinary bytes, which need no collapsing. A block at a
 * time while no byte in it can end the run, byte by byte near one. */
static size_t text_run_end(const char *s, size_t i, size_t n, unsigned stop)
{
	bool markup = stop & TX_MARKUP;
	size_t start = i, end;
	unsigned skip;

	for (;;) {
		while (n - i >= BLOCK_SIZE) {
			skip = block_stop(s + i, i > start && s[i - 1] == ' ',
			                  markup);
			i += skip;
			if (skip < BLOCK_SIZE)
				break;
		}
		end = n - i >= 8 ? i + 8 : n;
		while (i < end && !(text_class[(unsigned char)s[i]] & stop))
			i++;
		if (i < end && i + 1 < n && s[i] == ' ' && s[i - 1] != ' ' &&
		    !(text_class[(unsigned char)s[i + 1]] & stop)) {
			i += 2;
			continue;
		}
		if (i == end && i < n)
			continue;
		/* A block may have taken a space that the next byte shows to
		 * be doubled or last: leave it to be collapsed. (The run's
		 * first byte is no space, so s[i - 1] is in the run.) */
		return s[i - 1] == ' ' ? i - 1 : i;
	}
}

/* Write plain text s[0..n) collapsed; NUL bytes are dropped. */
static int sink_collapse(struct text_sink *k, const char *s, size_t n)
{
	size_t i = 0, j;
	int err;

	while (i < n) {
		if (text_class[(unsigned char)s[i]] & TX_STOP_TEXT) {
			if (s[i] != '\0')
				k->space = true;
			i++;
			continue;
		}
		j = text_run_end(s, i, n, TX_STOP_TEXT);
		err = sink_put(k, s + i, j - i);
		if (err)
			return err;
		i = j;
	}
	return BUF_OK;
}

int text_collapse_space(const char *text, size_t n, struct buf *out)
{
	struct text_sink k;
	int err;

	sink_init(&k, out, n);
	err = sink_collapse(&k, text, n);
	sink_flush(&k);
	return err;
}

/* Index of the next c at or after s[i], or n when there is none. */
static size_t find_byte(const char *s, size_t i, size_t n, char c)
{
	const char *p;

	if (i >= n)
		return n;
	p = memchr(s + i, c, n - i);
	return p ? (size_t)(p - s) : n;
}

/* Index just past the next c at or after s[i], or n when there is none. */
static size_t skip_past(const char *s, size_t i, size_t n, char c)
{
	size_t at = find_byte(s, i, n, c);

	return at < n ? at + 1 : n;
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t len = strlen(prefix);

	return n >= len && memcmp(s, prefix, len) == 0;
}

static bool is_tag_name_end(char c)
{
	return text_class[(unsigned char)c] & TX_NAME_END;
}

/* Index just past the '>' that ends the tag whose attributes start at
 * s[i], or n when the tag is unterminated. A '>' inside an attribute value
 * quoted right after its '=' does not end it. */
static size_t html_tag_end(const char *s, size_t i, size_t n)
{
	char c;

	for (;;) {
		while (i < n && !(text_class[(unsigned char)s[i]] & TX_IN_TAG))
			i++;
		if (i >= n)
			return n;
		c = s[i++];
		if (c == '>')
			return i;
		if (c != '=')
			continue;
		while (i < n && ascii_isspace(s[i]))
			i++;
		if (i < n && (s[i] == '"' || s[i] == '\''))
			i = skip_past(s, i + 1, n, s[i]);
	}
}

/* Index just past the close tag of raw-text element el (script, style),
 * whose content starts at s[i]; n when it is missing. */
static size_t html_raw_end(const char *s, size_t i, size_t n,
                           const struct html_element *el)
{
	size_t len = strlen(el->name), j, after;

	for (;;) {
		i = skip_past(s, i, n, '<');
		if (i >= n || n - i < 1 + len)
			return n;
		if (s[i] != '/')
			continue;
		for (j = 0; j < len; j++)
			if ((char)ascii_tolower(s[i + 1 + j]) != el->name[j])
				break;
		if (j < len)
			continue;
		after = i + 1 + len;
		if (after == n)
			return n;
		if (is_tag_name_end(s[after]))
			return html_tag_end(s, after, n);
	}
}

/* Index just past the comment that opens with "<!--" at s[i]: its end is
 * "-->" or "--!>", and "<!-->" and "<!--->" are empty comments as in HTML5.
 * n when the comment is unterminated. */
static size_t html_comment_end(const char *s, size_t i, size_t n)
{
	size_t gt;

	for (gt = find_byte(s, i + 4, n, '>'); gt < n;
	     gt = find_byte(s, gt + 1, n, '>')) {
		if (s[gt - 1] == '-' && s[gt - 2] == '-')
			return gt + 1;
		if (gt >= i + 7 && s[gt - 1] == '!' && s[gt - 2] == '-' &&
		    s[gt - 3] == '-')
			return gt + 1;
	}
	return n;
}

/* The "<![CDATA[" section at *pos: its content is text, collapsed but
 * otherwise as written; an unterminated one runs to the end. */
static int html_cdata(struct text_sink *k, const char *s, size_t n, size_t *pos)
{
	size_t start = *pos + 9, gt;

	for (gt = find_byte(s, start, n, '>'); gt < n;
	     gt = find_byte(s, gt + 1, n, '>')) {
		if (gt >= start + 2 && s[gt - 1] == ']' && s[gt - 2] == ']') {
			*pos = gt + 1;
			return sink_collapse(k, s + start, gt - 2 - start);
		}
	}
	*pos = n;
	return sink_collapse(k, s + start, n - start);
}

/* The start or end tag whose name starts at s[name]: block elements owe a
 * space, a script or style start tag swallows its content. Returns the
 * index past it. */
static size_t html_tag(struct text_sink *k, const char *s, size_t n,
                       size_t name, bool closing)
{
	const struct html_element *el;
	size_t i = name;

	while (i < n && !is_tag_name_end(s[i]))
		i++;
	el = html_element_find(s + name, i - name);
	i = html_tag_end(s, i, n);
	if (!el)
		return i;
	if (el->flags & EL_BLOCK)
		k->space = true;
	if ((el->flags & EL_RAW) && !closing)
		i = html_raw_end(s, i, n, el);
	return i;
}

/* The bogus comment ("<!x>", "<?x>", "</ x>") whose '<' is at *pos, body
 * at s[body]. One that never closes is text, as in feed parsers (HTML5
 * would drop it); no_gt keeps the search for its '>' linear overall. */
static int html_bogus_comment(struct text_sink *k, const char *s, size_t n,
                              size_t body, size_t *pos)
{
	size_t gt = body < k->no_gt ? find_byte(s, body, n, '>') : n;

	if (gt < n) {
		*pos = gt + 1;
		return BUF_OK;
	}
	if (body < k->no_gt)
		k->no_gt = body;
	*pos += 1;
	return sink_put(k, "<", 1);
}

/* The '<' at *pos, as the HTML5 tokenizer sees it: a tag, an end tag, a
 * comment, a CDATA section, a bogus comment ("<!x>", "<?x>", "</ x>"), or
 * a literal '<' when no letter, '/', '!' or '?' follows. */
static int html_markup(struct text_sink *k, const char *s, size_t n,
                       size_t *pos)
{
	size_t i = *pos;
	char c;

	if (i + 1 >= n)
		goto literal;
	c = s[i + 1];
	if (ascii_isalpha(c)) {
		*pos = html_tag(k, s, n, i + 1, false);
		return BUF_OK;
	}
	if (c == '/') {
		if (i + 2 >= n) {
			*pos = n;
			return sink_put(k, "</", 2);
		}
		if (!ascii_isalpha(s[i + 2]))
			return html_bogus_comment(k, s, n, i + 2, pos);
		*pos = html_tag(k, s, n, i + 2, true);
		return BUF_OK;
	}
	if (c == '!') {
		if (starts_with(s + i, n - i, "<![CDATA["))
			return html_cdata(k, s, n, pos);
		if (!starts_with(s + i, n - i, "<!--"))
			return html_bogus_comment(k, s, n, i + 2, pos);
		*pos = html_comment_end(s, i, n);
		return BUF_OK;
	}
	if (c == '?')
		return html_bogus_comment(k, s, n, i + 2, pos);
literal:
	*pos = i + 1;
	return sink_put(k, "<", 1);
}

/* The numeric value of a reference as HTML5 maps it. */
static uint32_t html_numeric_value(uint32_t cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return UTF8_REPLACEMENT;
	if (cp >= 0x80 && cp <= 0x9F)
		return html_windows1252[cp - 0x80];
	return cp;
}

/* The "&#" at *pos: decimal, or hex after 'x'; the ';' is optional. With
 * no digits the '&' is text. Values saturate, so long runs cannot wrap. */
static int html_numeric_ref(struct text_sink *k, const char *s, size_t n,
                            size_t *pos)
{
	size_t i = *pos, j = i + 2, start;
	uint32_t cp = 0;
	int base = 10, d;

	if (j < n && (s[j] == 'x' || s[j] == 'X')) {
		base = 16;
		j++;
	}
	start = j;
	while (j < n && (d = digit_value(s[j], base)) >= 0) {
		cp = cp * (uint32_t)base + (uint32_t)d;
		if (cp > 0x10FFFF)
			cp = 0x110000;
		j++;
	}
	if (j == start) {
		*pos = i + 1;
		return sink_put(k, "&", 1);
	}
	if (j < n && s[j] == ';')
		j++;
	*pos = j;
	return sink_code_point(k, html_numeric_value(cp));
}

/* The '&' at *pos: a numeric reference, a named one ending in ';', or the
 * longest legacy name that prefixes the letters ("&copy2024", "&ampx");
 * anything else leaves the '&' as text. */
static int html_ref(struct text_sink *k, const char *s, size_t n, size_t *pos)
{
	const struct html_entity *e;
	size_t i = *pos, j = i + 1, len, m;

	if (j < n && s[j] == '#')
		return html_numeric_ref(k, s, n, pos);
	while (j < n && j - i <= HTML_ENTITY_NAME_MAX && ascii_isalnum(s[j]))
		j++;
	len = j - i - 1;
	if (j < n && s[j] == ';') {
		e = html_entity_find(s + i + 1, len);
		if (e) {
			*pos = j + 1;
			return sink_entity(k, e);
		}
	}
	m = len < HTML_ENTITY_LEGACY_MAX ? len : HTML_ENTITY_LEGACY_MAX;
	for (; m >= HTML_ENTITY_LEGACY_MIN; m--) {
		e = html_entity_find(s + i + 1, m);
		if (e && e->legacy) {
			*pos = i + 1 + m;
			return sink_entity(k, e);
		}
	}
	*pos = i + 1;
	return sink_put(k, "&", 1);
}

int html_to_text(const char *html, size_t n, struct buf *out)
{
	struct text_sink k;
	size_t i = 0, j;
	unsigned char c;
	int err = BUF_OK;

	sink_init(&k, out, n);
	while (i < n && !err) {
		c = (unsigned char)html[i];
		if (!(text_class[c] & TX_STOP_HTML)) {
			j = text_run_end(html, i, n, TX_STOP_HTML);
			err = sink_put(&k, html + i, j - i);
			i = j;
		} else if (c == '<') {
			err = html_markup(&k, html, n, &i);
		} else if (c == '&') {
			err = html_ref(&k, html, n, &i);
		} else {
			if (c != '\0')
				k.space = true;
			i++;
		}
	}
	sink_flush(&k);
	return err;
}

/* Whether s[0..n), just after a '<', is "name" followed by whitespace, '>'
 * or '/', or "/name" followed by whitespace or '>', for a known element. */
static bool html_looks_like_tag(const char *s, size_t n)
{
	bool closing = n > 0 && s[0] == '/';
	size_t start = closing ? 1 : 0, j = start;

	while (j < n && j - start <= HTML_ELEMENT_NAME_MAX &&
	       ascii_isalnum(s[j]))
		j++;
	if (j >= n || !html_element_find(s + start, j - start))
		return false;
	if (s[j] == '>' || ascii_isspace(s[j]))
		return true;
	return !closing && s[j] == '/';
}

/* Whether s[0..n), just after a '&', is "name;" for a named reference,
 * "#digits;" or "#xhexdigits;". */
static bool html_looks_like_ref(const char *s, size_t n)
{
	size_t j = 0, start;
	int base = 10;

	if (n > 0 && s[0] == '#') {
		j = 1;
		if (j < n && (s[j] == 'x' || s[j] == 'X')) {
			base = 16;
			j++;
		}
		start = j;
		while (j < n && digit_value(s[j], base) >= 0)
			j++;
		return j > start && j < n && s[j] == ';';
	}
	while (j < n && j <= HTML_ENTITY_NAME_MAX && ascii_isalnum(s[j]))
		j++;
	return j < n && s[j] == ';' && html_entity_find(s, j) != NULL;
}

bool html_looks_like(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '<' && html_looks_like_tag(s + i + 1, n - i - 1))
			return true;
		if (s[i] == '&' && html_looks_like_ref(s + i + 1, n - i - 1))
			return true;
	}
	return false;
}
