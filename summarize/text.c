#include "summarize/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ascii.h"
#include "common/buf.h"
#include "common/utf8.h"
#include "common/xalloc.h"

#define TEXT_CLEAN_CP 20000 /* any input is cut to this before tidying */
/* a first sentence this short takes a second one along */
#define TEXT_LEAD_SHORT_CP 80

static bool text_invisible(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x00AD ||
	       cp == 0x061C || (cp >= 0xE0000 && cp <= 0xE007F) ||
	       (cp < 0x20 && cp != '\n' && cp != '\t');
}

char *text_clean(const char *text, size_t max_cp)
{
	struct buf b = BUF_INIT(0);
	size_t n = text ? strlen(text) : 0, i = 0, count = 0, k;
	uint32_t cp;
	char enc[4];

	while (i < n && count < max_cp) {
		k = utf8_decode(text + i, n - i, &cp);
		i += k;
		if (text_invisible(cp))
			continue;
		buf_append(&b, enc, utf8_encode(cp, enc));
		count++;
	}
	return buf_detach(&b);
}

/* Whether term occurs in text, ASCII case-insensitively, not inside a
 * longer ASCII word ("AI" is not in "said"; "Transformer" is in
 * "Transformer를"). */
bool text_has_term(const char *text, const char *term)
{
	size_t tn = strlen(term), i;
	const char *p;

	if (!text || tn == 0)
		return false;
	for (p = text; *p; p++) {
		for (i = 0; i < tn && p[i] &&
		            ascii_tolower((unsigned char)p[i]) ==
		                    ascii_tolower((unsigned char)term[i]);
		     i++)
			;
		if (i < tn)
			continue;
		if (p > text && ascii_isalnum((unsigned char)term[0]) &&
		    ascii_isalnum((unsigned char)p[-1]))
			continue;
		if (ascii_isalnum((unsigned char)term[tn - 1]) &&
		    ascii_isalnum((unsigned char)p[tn]))
			continue;
		return true;
	}
	return false;
}

bool text_has_hangul(const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;

	while (i < n) {
		i += utf8_decode(s + i, n - i, &cp);
		if ((cp >= 0xAC00 && cp <= 0xD7A3) ||
		    (cp >= 0x1100 && cp <= 0x11FF) ||
		    (cp >= 0x3130 && cp <= 0x318F))
			return true;
	}
	return false;
}

/* The URL that starts at s (http://, https:// or www., any case): its
 * length, or 0. It ends before a space, a control or non-ASCII byte or
 * one of <>"`{}|\^[]; a ')' belongs to it only when it closes a '(' of
 * the URL; trailing sentence punctuation is left to the sentence. */
static size_t text_url_len(const char *s)
{
	size_t n, start;
	int depth = 0;

	if (ascii_has_prefix_ci(s, "https://"))
		start = 8;
	else if (ascii_has_prefix_ci(s, "http://"))
		start = 7;
	else if (ascii_has_prefix_ci(s, "www."))
		start = 4;
	else
		return 0;
	for (n = start; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];

		if (c <= ' ' || c >= 0x7F || strchr("<>\"`{}|\\^[]", c))
			break;
		if (c == '(')
			depth++;
		else if (c == ')' && depth-- == 0)
			break;
	}
	while (n > start && strchr(".,;:!?'*_~", s[n - 1]))
		n--;
	return n;
}

/* A markdown link or image target at s ('[' ... "](" ... ')'), on one
 * line: its length, with the label's place in it; 0 when none. */
static size_t text_markdown_link(const char *s, size_t *label_off,
                                 size_t *label_len)
{
	size_t j, k;
	int depth = 0;

	for (j = 1;
	     s[j] && s[j] != ']' && s[j] != '[' && s[j] != '\n' && j < 1000;
	     j++)
		;
	if (s[j] != ']' || s[j + 1] != '(')
		return 0;
	for (k = j + 2; s[k] && s[k] != '\n' && k < j + 2000; k++) {
		if (s[k] == '(')
			depth++;
		else if (s[k] == ')' && depth-- == 0)
			break;
	}
	if (s[k] != ')')
		return 0;
	*label_off = 1;
	*label_len = j - 1;
	return k + 1;
}

/* After a removal: drop the brackets left empty, spaces doubled or left
 * before punctuation, and spaces at the ends of lines. */
static void text_tidy_after_removal(char *s)
{
	size_t r = 0, w = 0, k;

	while (s[r]) {
		char c = s[r];
		char close = c == '('   ? ')'
		             : c == '[' ? ']'
		             : c == '<' ? '>'
		                        : 0;

		if (close) {
			for (k = r + 1; s[k] == ' ' || s[k] == '\t'; k++)
				;
			if (s[k] == close) {
				r = k + 1;
				continue;
			}
		}
		if (c == ' ' || c == '\t') {
			for (k = r; s[k] == ' ' || s[k] == '\t'; k++)
				;
			r = k;
			if (w == 0 || s[w - 1] == '\n' || s[w - 1] == '(' ||
			    s[w - 1] == ' ' || s[k] == '\0' || s[k] == '\n' ||
			    strchr(",.;:!?)", s[k]))
				continue;
			s[w++] = ' ';
			continue;
		}
		/* "word https://x." leaves "word.."; an ellipsis stays */
		if ((c == '.' || c == ',') && w > 0 && s[w - 1] == c &&
		    s[r + 1] != c && (w < 2 || s[w - 2] != c)) {
			r++;
			continue;
		}
		s[w++] = c;
		r++;
	}
	while (w > 0 && s[w - 1] == ' ')
		w--;
	s[w] = '\0';
}

void text_strip_urls(char *text)
{
	size_t r = 0, w = 0, len, off, llen;
	unsigned char prev = ' ';
	bool removed = false;

	if (!text)
		return;
	/* markdown links keep their label; autolinks go whole */
	while (text[r]) {
		size_t img = text[r] == '!' && text[r + 1] == '[';

		if (text[r] == '<' && (len = text_url_len(text + r + 1)) > 0 &&
		    text[r + 1 + len] == '>') {
			r += len + 2;
			removed = true;
			continue;
		}
		if (text[r + img] == '[' &&
		    (len = text_markdown_link(text + r + img, &off, &llen)) >
		            0) {
			memmove(text + w, text + r + img + off, llen);
			w += llen;
			r += img + len;
			removed = true;
			continue;
		}
		text[w++] = text[r++];
	}
	text[w] = '\0';
	/* bare URLs, where a word can start */
	r = w = 0;
	while (text[r]) {
		if (!ascii_isalnum(prev) && !strchr("./@-_", prev) &&
		    (len = text_url_len(text + r)) > 0) {
			r += len;
			prev = ' ';
			removed = true;
			continue;
		}
		prev = (unsigned char)text[r];
		text[w++] = text[r++];
	}
	text[w] = '\0';
	if (removed)
		text_tidy_after_removal(text);
}

/* The length of the space character at s (ASCII white space, no-break
 * space, ideographic space, line and paragraph separators), or 0. */
static size_t text_space_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r' || *u == '\f' ||
	    *u == '\v')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

/* Every run of white space becomes one ' '; none at the ends. */
static void text_squeeze(char *s)
{
	size_t r = 0, w = 0, k;
	bool space = false;

	while (s[r]) {
		if ((k = text_space_len(s + r)) > 0) {
			r += k;
			space = w > 0;
			continue;
		}
		if (space)
			s[w++] = ' ';
		space = false;
		s[w++] = s[r++];
	}
	s[w] = '\0';
}

static const char *const text_abbreviations[] = {
        "e.g", "i.e",  "mr",  "mrs", "ms", "dr", "prof", "vs",  "etc",    "inc",
        "co",  "corp", "ltd", "jr",  "sr", "st", "no",   "fig", "approx", "al",
};

/* Whether a sentence ends right before byte at of s[0..n): after '.',
 * '!' or '?' and before a space or the end (not after an abbreviation or
 * an initial, not before a lowercase letter), or after 。！？. */
static bool text_sentence_ends(const char *s, size_t n, size_t at)
{
	size_t t, k, len, i;
	char c;

	if (at == 0 || at > n)
		return false;
	if (at >= 3 && (memcmp(s + at - 3, "\xE3\x80\x82", 3) == 0 ||
	                memcmp(s + at - 3, "\xEF\xBC\x81", 3) == 0 ||
	                memcmp(s + at - 3, "\xEF\xBC\x9F", 3) == 0))
		return true;
	c = s[at - 1];
	if ((c != '.' && c != '!' && c != '?') || (at < n && s[at] != ' '))
		return false;
	for (k = at; k < n && s[k] == ' '; k++)
		;
	if (k < n && s[k] >= 'a' && s[k] <= 'z')
		return false;
	if (c != '.' || (at >= 2 && s[at - 2] == '.'))
		return true; /* '!', '?', or an ellipsis "..." */
	for (t = at - 1; t > 0 && s[t - 1] != ' '; t--)
		;
	len = at - 1 - t;
	if (len == 1 && ascii_isalpha((unsigned char)s[t]))
		return false; /* an initial: "J. Smith" */
	if (memchr(s + t, '.', len))
		return false; /* "U.S." */
	for (i = 0; i < sizeof text_abbreviations / sizeof *text_abbreviations;
	     i++) {
		const char *a = text_abbreviations[i];

		if (strlen(a) == len && ascii_has_prefix_ci(s + t, a))
			return false;
	}
	return true;
}

/* s cut to at most max_cp code points: after a sentence in the last half
 * when there is one, else at a space there (or mid-word) with "…". */
char *text_cut(const char *s, size_t max_cp)
{
	size_t n = strlen(s), keep, half, i;
	struct buf b = BUF_INIT(0);

	if (utf8_count(s, n) <= max_cp)
		return xstrdup(s);
	if (max_cp < 2)
		return xstrndup(s, utf8_prefix_bytes(s, max_cp));
	keep = utf8_prefix_bytes(s, max_cp - 1);
	half = utf8_prefix_bytes(s, (max_cp - 1) / 2);
	for (i = keep; i > half; i--)
		if (text_sentence_ends(s, n, i))
			return xstrndup(s, i);
	for (i = keep; i > half && s[i] != ' '; i--)
		;
	if (i > half)
		keep = i;
	while (keep > 0 && s[keep - 1] == ' ')
		keep--;
	buf_append(&b, s, keep);
	buf_puts(&b, "\xE2\x80\xA6");
	return buf_detach(&b);
}

/* Feed or LLM text made fit for a slot: valid UTF-8 without invisible
 * characters, URLs removed, white space squeezed, cut to max_cp. */
char *text_tidy(const char *s, size_t max_cp)
{
	char *t = text_clean(s ? s : "", TEXT_CLEAN_CP), *c;

	text_strip_urls(t);
	text_squeeze(t);
	c = text_cut(t, max_cp);
	free(t);
	return c;
}

/* The first sentence of text, with the second when the first is short;
 * cut to max_cp. "" for no text. */
char *text_lead(const char *text, size_t max_cp)
{
	size_t n = strlen(text), i, end = 0, sentences = 0;
	char *head, *lead;

	for (i = 1; i <= n && sentences < 2; i++) {
		if (!text_sentence_ends(text, n, i))
			continue;
		end = i;
		sentences++;
		if (utf8_count(text, end) >= TEXT_LEAD_SHORT_CP)
			break;
	}
	if (end == 0)
		end = n;
	while (end > 0 && text[end - 1] == ' ')
		end--;
	head = xstrndup(text, end);
	lead = text_cut(head, max_cp);
	free(head);
	return lead;
}

/* text without a leading copy of the title (tweets repeat it), when the
 * title ends where a sentence does and enough text follows. */
const char *text_after_title(const char *text, const char *title)
{
	static const char *const joins[] = {
	        ". ", ": ", "! ", "? ", " - ", " \xE2\x80\x94 ", " | "};
	size_t tn = strlen(title), i;
	const char *p;

	if (tn == 0 || !ascii_has_prefix_ci(text, title))
		return text;
	p = text + tn;
	if (strchr(".!?:", title[tn - 1]) && *p == ' ') {
		p++;
	} else {
		for (i = 0; i < sizeof joins / sizeof *joins; i++)
			if (strncmp(p, joins[i], strlen(joins[i])) == 0)
				break;
		if (i == sizeof joins / sizeof *joins)
			return text;
		p += strlen(joins[i]);
	}
	while (*p == ' ')
		p++;
	return utf8_count(p, strlen(p)) >= 20 ? p : text;
}
