#include "summarize/writer.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/utf8.h"
#include "common/xalloc.h"
#include "store/store.h"
#include "summarize/panel.h"

/* templates/prompts/writer.txt, embedded at build time (Makefile). */
extern const char writer_prompt_text[];
/* templates/prompts/rewrite.txt, the same way. */
extern const char writer_rewrite_prompt_text[];

#define WRITER_MAX_TERMS 256
#define WRITER_TERM_BYTES 100
#define WRITER_PROMPT_BYTES ((size_t)1 << 20)
#define WRITER_CLEAN_CP 20000 /* any input is cut to this before tidying */
#define WRITER_SENT_TITLE_CP 300
#define WRITER_STORY_TITLE_CP 200
#define WRITER_QUOTE_CP 100 /* a story's title quoted in a sentence */
#define WRITER_SOURCE_CP 40
#define WRITER_CATEGORY_CP 40
#define WRITER_TITLE_CP 120
#define WRITER_DESCRIPTION_CP 200
#define WRITER_TAG_CP 30
#define WRITER_TAGS_MIN 3
#define WRITER_TAGS_MAX 6
#define WRITER_HEADING_CP 40
#define WRITER_ONELINER_CP 200
#define WRITER_SUMMARY_CP 600
#define WRITER_PARAGRAPH_CP 1200
#define WRITER_LEAD_CP 300
#define WRITER_LEAD_SHORT_CP                                                   \
	80 /* a first sentence this short takes a                              \
	    * second one along */
#define WRITER_MAX_TOKENS 8192 /* [writer] max_tokens' default */

/* The reply the LLM writer must give. */
static const char writer_schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,"
        "\"required\":[\"title\",\"description\",\"tags\",\"intro\","
        "\"viewpoint\",\"overview_title\",\"headings\",\"stories\"],"
        "\"properties\":{"
        "\"title\":{\"type\":\"string\"},"
        "\"description\":{\"type\":\"string\"},"
        "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
        "\"intro\":{\"type\":\"string\"},"
        "\"viewpoint\":{\"type\":\"string\"},"
        "\"overview_title\":{\"type\":\"string\"},"
        "\"headings\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,\"required\":[\"id\",\"heading\"],"
        "\"properties\":{\"id\":{\"type\":\"string\"},"
        "\"heading\":{\"type\":\"string\"}}}},"
        "\"stories\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,"
        "\"required\":[\"id\",\"oneliner\",\"summary\"],"
        "\"properties\":{\"id\":{\"type\":\"string\"},"
        "\"oneliner\":{\"type\":\"string\"},"
        "\"summary\":{\"type\":\"string\"}}}}}}";

/* The reply a rewrite must give: every key of every object present
 * (strict structured outputs), "" where a kind has no such slot. */
static const char writer_rewrite_schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,"
        "\"required\":[\"rewrites\"],"
        "\"properties\":{"
        "\"rewrites\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,"
        "\"required\":[\"id\",\"oneliner\",\"summary\",\"text\"],"
        "\"properties\":{\"id\":{\"type\":\"string\"},"
        "\"oneliner\":{\"type\":\"string\"},"
        "\"summary\":{\"type\":\"string\"},"
        "\"text\":{\"type\":\"string\"}}}}}}";

/* Bytes */

static bool writer_is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static bool writer_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char writer_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* ASCII case-insensitive, byte-wise otherwise: the same in any locale. */
static int writer_casecmp(const char *a, const char *b)
{
	for (; *a && writer_lower((unsigned char)*a) ==
	                     writer_lower((unsigned char)*b);
	     a++, b++)
		;
	return (int)writer_lower((unsigned char)*a) -
	       (int)writer_lower((unsigned char)*b);
}

static bool writer_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (writer_lower((unsigned char)*s) !=
		    writer_lower((unsigned char)*prefix))
			return false;
	return true;
}

/* Whether term occurs in text, ASCII case-insensitively, not inside a
 * longer ASCII word ("AI" is not in "said"; "Transformer" is in
 * "Transformer를"). */
static bool writer_has_term(const char *text, const char *term)
{
	size_t tn = strlen(term), i;
	const char *p;

	if (!text || tn == 0)
		return false;
	for (p = text; *p; p++) {
		for (i = 0; i < tn && p[i] &&
		            writer_lower((unsigned char)p[i]) ==
		                    writer_lower((unsigned char)term[i]);
		     i++)
			;
		if (i < tn)
			continue;
		if (p > text && writer_is_alnum((unsigned char)term[0]) &&
		    writer_is_alnum((unsigned char)p[-1]))
			continue;
		if (writer_is_alnum((unsigned char)term[tn - 1]) &&
		    writer_is_alnum((unsigned char)p[tn]))
			continue;
		return true;
	}
	return false;
}

static bool writer_has_hangul(const char *s)
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

/* Text */

/* The URL that starts at s (http://, https:// or www., any case): its
 * length, or 0. It ends before a space, a control or non-ASCII byte or
 * one of <>"`{}|\^[]; a ')' belongs to it only when it closes a '(' of
 * the URL; trailing sentence punctuation is left to the sentence. */
static size_t writer_url_len(const char *s)
{
	size_t n, start;
	int depth = 0;

	if (writer_prefix_ci(s, "https://"))
		start = 8;
	else if (writer_prefix_ci(s, "http://"))
		start = 7;
	else if (writer_prefix_ci(s, "www."))
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
static size_t writer_markdown_link(const char *s, size_t *label_off,
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
static void writer_tidy_after_removal(char *s)
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

void writer_strip_urls(char *text)
{
	size_t r = 0, w = 0, len, off, llen;
	unsigned char prev = ' ';
	bool removed = false;

	if (!text)
		return;
	/* markdown links keep their label; autolinks go whole */
	while (text[r]) {
		size_t img = text[r] == '!' && text[r + 1] == '[';

		if (text[r] == '<' &&
		    (len = writer_url_len(text + r + 1)) > 0 &&
		    text[r + 1 + len] == '>') {
			r += len + 2;
			removed = true;
			continue;
		}
		if (text[r + img] == '[' &&
		    (len = writer_markdown_link(text + r + img, &off, &llen)) >
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
		if (!writer_is_alnum(prev) && !strchr("./@-_", prev) &&
		    (len = writer_url_len(text + r)) > 0) {
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
		writer_tidy_after_removal(text);
}

/* The length of the space character at s (ASCII white space, no-break
 * space, ideographic space, line and paragraph separators), or 0. */
static size_t writer_space_len(const char *s)
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
static void writer_squeeze(char *s)
{
	size_t r = 0, w = 0, k;
	bool space = false;

	while (s[r]) {
		if ((k = writer_space_len(s + r)) > 0) {
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

static const char *const writer_abbreviations[] = {
        "e.g", "i.e",  "mr",  "mrs", "ms", "dr", "prof", "vs",  "etc",    "inc",
        "co",  "corp", "ltd", "jr",  "sr", "st", "no",   "fig", "approx", "al",
};

/* Whether a sentence ends right before byte at of s[0..n): after '.',
 * '!' or '?' and before a space or the end (not after an abbreviation or
 * an initial, not before a lowercase letter), or after 。！？. */
static bool writer_sentence_ends(const char *s, size_t n, size_t at)
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
	if (len == 1 && writer_is_alpha((unsigned char)s[t]))
		return false; /* an initial: "J. Smith" */
	if (memchr(s + t, '.', len))
		return false; /* "U.S." */
	for (i = 0;
	     i < sizeof writer_abbreviations / sizeof *writer_abbreviations;
	     i++) {
		const char *a = writer_abbreviations[i];

		if (strlen(a) == len && writer_prefix_ci(s + t, a))
			return false;
	}
	return true;
}

/* s cut to at most max_cp code points: after a sentence in the last half
 * when there is one, else at a space there (or mid-word) with "…". */
static char *writer_cut(const char *s, size_t max_cp)
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
		if (writer_sentence_ends(s, n, i))
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
static char *writer_tidy(const char *s, size_t max_cp)
{
	char *t = panel_clean_text(s ? s : "", WRITER_CLEAN_CP), *c;

	writer_strip_urls(t);
	writer_squeeze(t);
	c = writer_cut(t, max_cp);
	free(t);
	return c;
}

/* The first sentence of text, with the second when the first is short;
 * cut to max_cp. "" for no text. */
static char *writer_lead(const char *text, size_t max_cp)
{
	size_t n = strlen(text), i, end = 0, sentences = 0;
	char *head, *lead;

	for (i = 1; i <= n && sentences < 2; i++) {
		if (!writer_sentence_ends(text, n, i))
			continue;
		end = i;
		sentences++;
		if (utf8_count(text, end) >= WRITER_LEAD_SHORT_CP)
			break;
	}
	if (end == 0)
		end = n;
	while (end > 0 && text[end - 1] == ' ')
		end--;
	head = xstrndup(text, end);
	lead = writer_cut(head, max_cp);
	free(head);
	return lead;
}

/* text without a leading copy of the title (tweets repeat it), when the
 * title ends where a sentence does and enough text follows. */
static const char *writer_after_title(const char *text, const char *title)
{
	static const char *const joins[] = {
	        ". ", ": ", "! ", "? ", " - ", " \xE2\x80\x94 ", " | "};
	size_t tn = strlen(title), i;
	const char *p;

	if (tn == 0 || !writer_prefix_ci(text, title))
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

/* Korean particles */

/* The sound a text ends with, for the particle after it. */
enum writer_final {
	WRITER_FINAL_UNKNOWN = 0,
	WRITER_FINAL_VOWEL,     /* no final consonant: 가 를 는 와 로 */
	WRITER_FINAL_CONSONANT, /* 이 을 은 과 으로 */
	WRITER_FINAL_RIEUL      /* ㄹ: 이 을 은 과, but 로 */
};

enum writer_particle {
	WRITER_I_GA = 0,
	WRITER_EUL_REUL,
	WRITER_EUN_NEUN,
	WRITER_GWA_WA,
	WRITER_EURO_RO
};

static const struct {
	const char *consonant, *vowel, *neutral;
} writer_particles[] = {
        [WRITER_I_GA] = {"이", "가", "이(가)"},
        [WRITER_EUL_REUL] = {"을", "를", "을(를)"},
        [WRITER_EUN_NEUN] = {"은", "는", "은(는)"},
        [WRITER_GWA_WA] = {"과", "와", "과(와)"},
        [WRITER_EURO_RO] = {"으로", "로", "(으)로"},
};

/* How an English word ends, read as a Korean loanword: the first suffix
 * that matches (lowercase; 'V' is any of aeiou). What cannot be told
 * from the spelling ("Deep" 딥 but "Loop" 루프) is UNKNOWN, and takes the
 * neutral form. */
static const struct {
	const char *suffix;
	enum writer_final final;
} writer_english_endings[] = {
        {"hub", WRITER_FINAL_VOWEL},      /* GitHub 깃허브 */
        {"google", WRITER_FINAL_RIEUL},   /* 구글 */
        {"apple", WRITER_FINAL_VOWEL},    /* 애플 */
        {"deep", WRITER_FINAL_CONSONANT}, /* 딥 */
        {"tweet", WRITER_FINAL_CONSONANT},
        {"ee", WRITER_FINAL_VOWEL},
        {"le", WRITER_FINAL_UNKNOWN},
        {"me", WRITER_FINAL_CONSONANT}, /* Chrome 크롬, Time 타임 */
        {"ne", WRITER_FINAL_CONSONANT}, /* Engine 엔진, Phone 폰 */
        {"e", WRITER_FINAL_VOWEL},      /* Claude 클로드, Face 페이스 */
        {"ng", WRITER_FINAL_CONSONANT},
        {"m", WRITER_FINAL_CONSONANT},
        {"n", WRITER_FINAL_CONSONANT},
        {"l", WRITER_FINAL_RIEUL}, /* Mistral 미스트랄 */
        {"a", WRITER_FINAL_VOWEL},
        {"i", WRITER_FINAL_VOWEL},
        {"o", WRITER_FINAL_VOWEL},
        {"u", WRITER_FINAL_VOWEL},
        {"y", WRITER_FINAL_VOWEL},
        {"ck", WRITER_FINAL_CONSONANT}, /* Slack 슬랙 */
        {"pp", WRITER_FINAL_CONSONANT}, /* App 앱 */
        {"VVk", WRITER_FINAL_UNKNOWN},
        {"Vk", WRITER_FINAL_CONSONANT}, /* Grok 그록 */
        {"VVt", WRITER_FINAL_UNKNOWN},
        {"Vt", WRITER_FINAL_CONSONANT}, /* Chat 챗, Copilot 코파일럿 */
        {"VVp", WRITER_FINAL_UNKNOWN},
        {"Vp", WRITER_FINAL_CONSONANT}, /* Chip 칩 */
        {"Vc", WRITER_FINAL_CONSONANT}, /* Anthropic 앤트로픽 */
        {"Vb", WRITER_FINAL_UNKNOWN},   /* Lab 랩, but Hub 허브 */
        {"k", WRITER_FINAL_VOWEL},      /* Link 링크, Mark 마크 */
        {"t", WRITER_FINAL_VOWEL}, /* Agent 에이전트, Light 라이트 */
        {"p", WRITER_FINAL_VOWEL}, /* Help 헬프 */
        {"c", WRITER_FINAL_VOWEL}, /* Arc 아크 */
        {"b", WRITER_FINAL_VOWEL},
        {"g", WRITER_FINAL_VOWEL}, /* Blog 블로그 */
        {"d", WRITER_FINAL_VOWEL}, /* Cloud 클라우드 */
        {"f", WRITER_FINAL_VOWEL},
        {"h", WRITER_FINAL_VOWEL}, /* PyTorch 파이토치 */
        {"j", WRITER_FINAL_VOWEL},
        {"q", WRITER_FINAL_VOWEL},
        {"r", WRITER_FINAL_VOWEL}, /* Transformer 트랜스포머 */
        {"s", WRITER_FINAL_VOWEL}, /* News 뉴스 */
        {"v", WRITER_FINAL_VOWEL}, /* arXiv 아카이브 */
        {"w", WRITER_FINAL_VOWEL},
        {"x", WRITER_FINAL_VOWEL}, /* Codex 코덱스 */
        {"z", WRITER_FINAL_VOWEL},
};

/* Digits as read in Korean: 영 일 이 삼 사 오 육 칠 팔 구 (10 십, 100 백,
 * 1000 천 end like 0). */
static const enum writer_final writer_digit_final[10] = {
        WRITER_FINAL_CONSONANT, WRITER_FINAL_RIEUL, WRITER_FINAL_VOWEL,
        WRITER_FINAL_CONSONANT, WRITER_FINAL_VOWEL, WRITER_FINAL_VOWEL,
        WRITER_FINAL_CONSONANT, WRITER_FINAL_RIEUL, WRITER_FINAL_RIEUL,
        WRITER_FINAL_VOWEL,
};

/* A letter of an acronym, read by its name: 엘 알 end in ㄹ, 엠 엔 in
 * a consonant, all others (에이, 비, 티, ...) in a vowel. */
static enum writer_final writer_letter_final(unsigned char c)
{
	c = writer_lower(c);
	if (c == 'l' || c == 'r')
		return WRITER_FINAL_RIEUL;
	if (c == 'm' || c == 'n')
		return WRITER_FINAL_CONSONANT;
	return WRITER_FINAL_VOWEL;
}

static bool writer_suffix_matches(const char *word, size_t n, const char *pat)
{
	size_t m = strlen(pat), j;

	if (m > n)
		return false;
	for (j = 0; j < m; j++) {
		char pc = pat[m - 1 - j], wc = word[n - 1 - j];

		if (pc == 'V' ? !strchr("aeiou", wc) || wc == '\0' : pc != wc)
			return false;
	}
	return true;
}

/* The ASCII word ending at s[0..end): an acronym (its trailing capitals
 * number two or more, or it is all capitals: "LLM", "OpenAI", "X") is read
 * letter by letter; another word by its spelling. */
static enum writer_final writer_word_final(const char *s, size_t end)
{
	char word[16];
	size_t start = end, len, upper = 0, i;

	while (start > 0 && writer_is_alpha((unsigned char)s[start - 1]))
		start--;
	while (upper < end - start && s[end - 1 - upper] >= 'A' &&
	       s[end - 1 - upper] <= 'Z')
		upper++;
	if (upper >= 2 || upper == end - start)
		return writer_letter_final((unsigned char)s[end - 1]);
	len = end - start < sizeof word ? end - start : sizeof word;
	for (i = 0; i < len; i++)
		word[i] = (char)writer_lower((unsigned char)s[end - len + i]);
	for (i = 0;
	     i < sizeof writer_english_endings / sizeof *writer_english_endings;
	     i++)
		if (writer_suffix_matches(word, len,
		                          writer_english_endings[i].suffix))
			return writer_english_endings[i].final;
	return WRITER_FINAL_UNKNOWN;
}

/* The start of the code point that ends at s[0..end), and the point. */
static size_t writer_prev_cp(const char *s, size_t end, uint32_t *cp)
{
	size_t j = end - 1;

	while (j > 0 && end - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
	utf8_decode(s + j, end - j, cp);
	return j;
}

/* Closing quotes and brackets a particle follows: 」』〉》）’” … */
static bool writer_is_closer(uint32_t cp)
{
	return cp == 0x300D || cp == 0x300F || cp == 0x3009 || cp == 0x300B ||
	       cp == 0xFF09 || cp == 0x2019 || cp == 0x201D || cp == 0x2026 ||
	       cp == 0x3011;
}

/* The final sound of the text s[0..n): its last Hangul syllable's final
 * consonant ((cp - 0xAC00) % 28: 0 none, 8 ㄹ), a digit's or a letter's
 * Korean reading; closing brackets, quotes and a trailing parenthesis
 * ("Llama 3 (8B)") are passed over, as a particle follows the word
 * before them. */
static enum writer_final writer_final_sound(const char *s, size_t n)
{
	size_t end = n, start, steps;
	uint32_t cp;

	for (steps = 0; end > 0 && steps < 400; steps++) {
		start = writer_prev_cp(s, end, &cp);
		if (cp >= 0xAC00 && cp <= 0xD7A3) {
			unsigned jong = (unsigned)((cp - 0xAC00) % 28);

			return jong == 0   ? WRITER_FINAL_VOWEL
			       : jong == 8 ? WRITER_FINAL_RIEUL
			                   : WRITER_FINAL_CONSONANT;
		}
		if (cp >= '0' && cp <= '9')
			return writer_digit_final[cp - '0'];
		if (cp < 0x80 && writer_is_alpha((unsigned char)cp))
			return writer_word_final(s, end);
		if (cp == '%' || cp == '+')
			return WRITER_FINAL_VOWEL; /* 퍼센트, 플러스 */
		if (cp == ')' || cp == 0xFF09) {
			/* back over the parenthesis to its '(' */
			int depth = 0;
			size_t k = end;

			while (k > 0) {
				uint32_t c;

				k = writer_prev_cp(s, k, &c);
				if (c == ')' || c == 0xFF09)
					depth++;
				else if ((c == '(' || c == 0xFF08) &&
				         --depth == 0)
					break;
			}
			if (depth != 0)
				return WRITER_FINAL_UNKNOWN;
			end = k;
			continue;
		}
		if ((cp < 0x80 && !writer_is_alnum((unsigned char)cp)) ||
		    writer_is_closer(cp)) {
			end = start;
			continue;
		}
		return WRITER_FINAL_UNKNOWN;
	}
	return WRITER_FINAL_UNKNOWN;
}

/* Append the particle that fits what b ends with: 이/가, 을/를, ...; the
 * neutral 이(가) when the ending cannot be told. */
static void writer_particle(struct buf *b, enum writer_particle p)
{
	enum writer_final f = writer_final_sound(buf_cstr(b), b->len);

	if (f == WRITER_FINAL_UNKNOWN)
		buf_puts(b, writer_particles[p].neutral);
	else if (f == WRITER_FINAL_VOWEL ||
	         (f == WRITER_FINAL_RIEUL && p == WRITER_EURO_RO))
		buf_puts(b, writer_particles[p].vowel);
	else
		buf_puts(b, writer_particles[p].consonant);
}

/* Configuration */

struct writer_settings {
	char *provider, *base_url, *model, *api_key_env, *prompt,
	        *rewrite_prompt, *reasoning, *reasoning_effort;
	double price_in, price_out, timeout, text_max, max_tokens;
};

enum writer_key_type { WRITER_KEY_STRING, WRITER_KEY_NUMBER };

/* The keys of [writer]. */
static const struct {
	const char *key;
	enum writer_key_type type;
	size_t offset;
	double min, max;
} writer_keys[] = {
        {"provider", WRITER_KEY_STRING,
         offsetof(struct writer_settings, provider), 0, 0},
        {"base_url", WRITER_KEY_STRING,
         offsetof(struct writer_settings, base_url), 0, 0},
        {"model", WRITER_KEY_STRING, offsetof(struct writer_settings, model), 0,
         0},
        {"api_key_env", WRITER_KEY_STRING,
         offsetof(struct writer_settings, api_key_env), 0, 0},
        {"prompt", WRITER_KEY_STRING, offsetof(struct writer_settings, prompt),
         0, 0},
        {"rewrite_prompt", WRITER_KEY_STRING,
         offsetof(struct writer_settings, rewrite_prompt), 0, 0},
        {"reasoning", WRITER_KEY_STRING,
         offsetof(struct writer_settings, reasoning), 0, 0},
        {"reasoning_effort", WRITER_KEY_STRING,
         offsetof(struct writer_settings, reasoning_effort), 0, 0},
        {"price_in", WRITER_KEY_NUMBER,
         offsetof(struct writer_settings, price_in), 0, 1e6},
        {"price_out", WRITER_KEY_NUMBER,
         offsetof(struct writer_settings, price_out), 0, 1e6},
        {"max_tokens", WRITER_KEY_NUMBER,
         offsetof(struct writer_settings, max_tokens), 1024, 1000000},
        {"timeout", WRITER_KEY_NUMBER,
         offsetof(struct writer_settings, timeout), 1, 3600},
        {"text_max", WRITER_KEY_NUMBER,
         offsetof(struct writer_settings, text_max), 50, 100000},
};

static int writer_setting(struct writer_settings *st, const struct ini_entry *e,
                          const char *file, struct buf *err)
{
	size_t i;
	char *end;
	double v;

	for (i = 0; i < sizeof writer_keys / sizeof *writer_keys; i++)
		if (strcmp(writer_keys[i].key, e->key) == 0)
			break;
	if (i == sizeof writer_keys / sizeof *writer_keys) {
		buf_printf(err, "%s:%d: [writer] has no key '%s'\n", file,
		           e->line, e->key);
		return -1;
	}
	if (writer_keys[i].type == WRITER_KEY_STRING) {
		char **slot = (char **)((char *)st + writer_keys[i].offset);

		free(*slot);
		*slot = xstrdup(e->value);
		return 0;
	}
	v = strtod(e->value, &end);
	if (end == e->value || *end ||
	    !(v >= writer_keys[i].min && v <= writer_keys[i].max)) {
		buf_printf(err,
		           "%s:%d: [writer] %s wants a number from %g to "
		           "%g, not '%s'\n",
		           file, e->line, e->key, writer_keys[i].min,
		           writer_keys[i].max, e->value);
		return -1;
	}
	*(double *)((char *)st + writer_keys[i].offset) = v;
	return 0;
}

static int writer_add_term(struct writer_config *c, const char *term, size_t n,
                           const char *file, int line, struct buf *err)
{
	size_t i;
	char *t;

	while (n > 0 && (*term == ' ' || *term == '\t')) {
		term++;
		n--;
	}
	while (n > 0 && (term[n - 1] == ' ' || term[n - 1] == '\t'))
		n--;
	if (n == 0)
		return 0;
	if (n > WRITER_TERM_BYTES || utf8_valid_prefix(term, n) != n ||
	    memchr(term, '\0', n)) {
		buf_printf(err,
		           "%s:%d: [glossary] a term is valid UTF-8 of at "
		           "most %d bytes\n",
		           file, line, WRITER_TERM_BYTES);
		return -1;
	}
	t = xstrndup(term, n);
	for (i = 0; i < c->nglossary; i++)
		if (writer_casecmp(c->glossary[i], t) == 0) {
			free(t);
			return 0;
		}
	if (c->nglossary == WRITER_MAX_TERMS) {
		buf_printf(err, "%s:%d: [glossary] has more than %d terms\n",
		           file, line, WRITER_MAX_TERMS);
		free(t);
		return -1;
	}
	c->glossary = xreallocarray(c->glossary, c->nglossary + 1,
	                            sizeof *c->glossary);
	c->glossary[c->nglossary++] = t;
	return 0;
}

/* [glossary]: `terms = a, b, c`, or `TERM =` with no value. */
static int writer_glossary_key(struct writer_config *c,
                               const struct ini_entry *e, const char *file,
                               struct buf *err)
{
	const char *p, *comma;
	int bad = 0;

	if (strcmp(e->key, "terms") != 0) {
		if (*e->value) {
			buf_printf(err,
			           "%s:%d: [glossary] '%s' takes no value: "
			           "list terms as `terms = a, b` or one "
			           "`TERM =` a line\n",
			           file, e->line, e->key);
			return -1;
		}
		return writer_add_term(c, e->key, strlen(e->key), file, e->line,
		                       err);
	}
	for (p = e->value;; p = comma + 1) {
		comma = strchr(p, ',');
		if (writer_add_term(c, p,
		                    comma ? (size_t)(comma - p) : strlen(p),
		                    file, e->line, err) != 0)
			bad++;
		if (!comma)
			break;
	}
	return bad ? -1 : 0;
}

static char *writer_read_prompt(const char *path, const char *file, int line,
                                struct buf *err)
{
	struct buf b = BUF_INIT(WRITER_PROMPT_BYTES);
	char chunk[8192];
	size_t got;
	bool over = false;
	FILE *fp = fopen(path, "r");

	if (!fp) {
		buf_printf(err, "%s:%d: [writer] prompt: cannot read '%s'\n",
		           file, line, path);
		return NULL;
	}
	while (!over && (got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		over = buf_append(&b, chunk, got) != BUF_OK;
	fclose(fp);
	if (over || utf8_valid_prefix(b.data ? b.data : "", b.len) != b.len) {
		buf_printf(err,
		           "%s:%d: [writer] prompt: '%s' is not UTF-8 text "
		           "of at most 1 MiB\n",
		           file, line, path);
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* template with every `name` replaced by value; a new string. */
static char *writer_fill(const char *template, const char *name,
                         const char *value)
{
	struct buf b = BUF_INIT(0);
	const char *p = template, *mark;

	while ((mark = strstr(p, name)) != NULL) {
		buf_append(&b, p, (size_t)(mark - p));
		buf_puts(&b, value);
		p = mark + strlen(name);
	}
	buf_puts(&b, p);
	return buf_detach(&b);
}

static uint64_t writer_fnv(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001B3ULL;
	}
	return h;
}

int writer_config_load(const struct ini *ini, const char *file,
                       struct writer_config *out, struct buf *err,
                       struct buf *notices)
{
	struct writer_settings st;
	const struct ini_entry *first = NULL, *prompt_at = NULL,
	                       *rewrite_at = NULL;
	struct buf terms = BUF_INIT(0);
	char *template = NULL;
	const char *key;
	size_t i;
	int bad = 0;
	uint64_t h = 0xCBF29CE484222325ULL;

	memset(out, 0, sizeof *out);
	memset(&st, 0, sizeof st);
	st.timeout = 120;
	st.text_max = 1500;
	st.max_tokens = WRITER_MAX_TOKENS;
	out->name = xstrdup("writer");
	if (!file)
		file = "aidigest.conf";
	for (i = 0; ini && i < ini->n; i++) {
		const struct ini_entry *e = &ini->v[i];

		if (strcmp(e->section, "writer") == 0) {
			if (!first)
				first = e;
			if (strcmp(e->key, "prompt") == 0)
				prompt_at = e;
			if (strcmp(e->key, "rewrite_prompt") == 0)
				rewrite_at = e;
			bad += writer_setting(&st, e, file, err) != 0;
		} else if (strcmp(e->section, "glossary") == 0) {
			bad += writer_glossary_key(out, e, file, err) != 0;
		}
	}
	out->price_in = st.price_in;
	out->price_out = st.price_out;
	out->text_max = (size_t)st.text_max;
	out->max_tokens = (int)st.max_tokens;
	out->ep.timeout = (long)st.timeout;
	out->ep.provider = LLM_OPENAI;
	if (st.provider && strcmp(st.provider, "anthropic") == 0) {
		out->ep.provider = LLM_ANTHROPIC;
	} else if (st.provider && strcmp(st.provider, "openai") != 0) {
		const struct ini_entry *e = ini_find(ini, "writer", "provider");

		buf_printf(err,
		           "%s:%d: [writer] provider is openai or anthropic, "
		           "not '%s'\n",
		           file, e ? e->line : 0, st.provider);
		bad++;
	}
	if (st.base_url && !writer_prefix_ci(st.base_url, "http://") &&
	    !writer_prefix_ci(st.base_url, "https://")) {
		const struct ini_entry *e = ini_find(ini, "writer", "base_url");

		buf_printf(err,
		           "%s:%d: [writer] base_url is an http(s) URL, not "
		           "'%s'\n",
		           file, e ? e->line : 0, st.base_url);
		bad++;
	}
	if (st.reasoning &&
	    llm_reasoning_parse(st.reasoning, &out->ep.reasoning) != 0) {
		const struct ini_entry *e = ini_find(ini, "writer", "reasoning");

		buf_printf(err,
		           "%s:%d: [writer] reasoning is auto, yes or no, not "
		           "'%s'\n",
		           file, e ? e->line : 0, st.reasoning);
		bad++;
	}
	if (st.reasoning_effort) {
		if (llm_effort_check(st.reasoning_effort) != 0) {
			const struct ini_entry *e =
			        ini_find(ini, "writer", "reasoning_effort");

			buf_printf(err,
			           "%s:%d: [writer] reasoning_effort is minimal, "
			           "low, medium or high, not '%s'\n",
			           file, e ? e->line : 0, st.reasoning_effort);
			bad++;
		} else {
			out->ep.reasoning_effort = xstrdup(st.reasoning_effort);
		}
	}
	if (first && (!st.model || !*st.model)) {
		buf_printf(err,
		           "%s:%d: [writer] needs a model (leave [writer] "
		           "out for the extractive writer)\n",
		           file, first->line);
		bad++;
	}

	/* the prompt: the file given, else the built-in copy */
	if (st.prompt) {
		template = writer_read_prompt(
		        st.prompt, file, prompt_at ? prompt_at->line : 0, err);
		bad += template == NULL;
	}
	if (!template)
		template = xstrdup(writer_prompt_text);
	for (i = 0; i < out->nglossary; i++)
		buf_printf(&terms, "%s%s", i ? ", " : "", out->glossary[i]);
	out->prompt =
	        writer_fill(template, "{glossary}",
	                    out->nglossary ? buf_cstr(&terms) : "(none given)");
	h = writer_fnv(h, out->prompt);
	h = writer_fnv(h, writer_schema);
	snprintf(out->prompt_version, sizeof out->prompt_version,
	         "writer-%012llx", (unsigned long long)(h & 0xFFFFFFFFFFFFULL));
	free(template);
	template = NULL;

	/* the rewrite prompt, the same way */
	if (st.rewrite_prompt) {
		template = writer_read_prompt(st.rewrite_prompt, file,
		                              rewrite_at ? rewrite_at->line : 0,
		                              err);
		bad += template == NULL;
	}
	if (!template)
		template = xstrdup(writer_rewrite_prompt_text);
	out->rewrite_prompt =
	        writer_fill(template, "{glossary}",
	                    out->nglossary ? buf_cstr(&terms) : "(none given)");
	h = 0xcbf29ce484222325ULL;
	h = writer_fnv(h, out->rewrite_prompt);
	h = writer_fnv(h, writer_rewrite_schema);
	snprintf(out->rewrite_version, sizeof out->rewrite_version,
	         "rewrite-%012llx", (unsigned long long)(h & 0xFFFFFFFFFFFFULL));
	free(template);
	buf_free(&terms);

	/* the endpoint; its key from the environment */
	if (first && !bad) {
		out->llm = true;
		if (st.api_key_env && *st.api_key_env) {
			key = getenv(st.api_key_env);
			if (!key || !*key) {
				buf_printf(notices,
				           "writer skipped: $%s is not set\n",
				           st.api_key_env);
				out->llm = false;
			} else {
				out->ep.api_key = xstrdup(key);
			}
		}
	}
	if (out->llm) {
		out->ep.base_url =
		        st.base_url ? st.base_url
		        : out->ep.provider == LLM_ANTHROPIC
		                ? xstrdup("https://api.anthropic.com/v1")
		                : xstrdup("https://api.openai.com/v1");
		out->ep.model = st.model;
		st.base_url = st.model = NULL;
	}
	free(st.provider);
	free(st.base_url);
	free(st.model);
	free(st.api_key_env);
	free(st.prompt);
	free(st.rewrite_prompt);
	free(st.reasoning);
	free(st.reasoning_effort);
	return bad ? -1 : 0;
}

void writer_config_free(struct writer_config *c)
{
	size_t i;

	if (!c)
		return;
	free((char *)c->ep.base_url);
	free((char *)c->ep.model);
	if (c->ep.api_key) {
		explicit_bzero((char *)c->ep.api_key, strlen(c->ep.api_key));
		free((char *)c->ep.api_key);
	}
	free(c->name);
	free(c->prompt);
	free(c->rewrite_prompt);
	free((char *)c->ep.reasoning_effort);
	for (i = 0; i < c->nglossary; i++)
		free(c->glossary[i]);
	free(c->glossary);
	memset(c, 0, sizeof *c);
}

/* A run */

struct writer_story_text {
	char id[24];
	char *title;  /* tidied, as sent */
	char *quote;  /* the title cut for a sentence */
	char *source; /* tidied, may be "" */
	char *text;   /* tidied, cut to text_max, as sent */
	char *lead;   /* its first sentence or two, may be "" */
	int cat;      /* index into cats, or -1 */
};

struct writer_run {
	const struct writer_config *cfg;
	const struct writer_story *stories;
	size_t n;
	const struct writer_category *cats;
	size_t ncats;
	struct writer_story_text *s;
	size_t *count; /* stories per category */
};

/* Why LLM slots were replaced by extractive text. */
struct writer_tally {
	int missing, not_korean, glossary;
};

static const char *writer_label(const struct writer_category *c)
{
	return c->label && *c->label ? c->label : c->id ? c->id : "";
}

static void writer_run_init(struct writer_run *r)
{
	size_t i, k,
	        text_max = r->cfg && r->cfg->text_max ? r->cfg->text_max : 1500;

	r->s = xcalloc(r->n + 1, sizeof *r->s);
	r->count = xcalloc(r->ncats + 1, sizeof *r->count);
	for (i = 0; i < r->n; i++) {
		const struct writer_story *st = &r->stories[i];
		struct writer_story_text *t = &r->s[i];

		snprintf(t->id, sizeof t->id, "%lld", (long long)st->id);
		t->title = writer_tidy(st->title, WRITER_SENT_TITLE_CP);
		if (!*t->title) {
			free(t->title);
			t->title = xstrdup("제목 없는 소식");
		}
		t->quote = writer_cut(t->title, WRITER_QUOTE_CP);
		t->source = writer_tidy(st->source, WRITER_SOURCE_CP);
		t->text = writer_tidy(st->text, text_max);
		t->lead = writer_lead(writer_after_title(t->text, t->title),
		                      WRITER_LEAD_CP);
		t->cat = -1;
		for (k = 0; st->category && k < r->ncats; k++)
			if (r->cats[k].id &&
			    writer_casecmp(r->cats[k].id, st->category) == 0) {
				t->cat = (int)k;
				r->count[k]++;
				break;
			}
	}
}

static void writer_run_free(struct writer_run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->s[i].title);
		free(r->s[i].quote);
		free(r->s[i].source);
		free(r->s[i].text);
		free(r->s[i].lead);
	}
	free(r->s);
	free(r->count);
}

/* The labels of the categories that have stories, in the given order,
 * joined by ", "; skip: one index to leave out, or -1. */
static void writer_put_labels(struct buf *b, const struct writer_run *r,
                              long skip)
{
	size_t k;
	bool any = false;

	for (k = 0; k < r->ncats; k++) {
		if (r->count[k] == 0 || (long)k == skip)
			continue;
		buf_printf(b, "%s%s", any ? ", " : "",
		           writer_label(&r->cats[k]));
		any = true;
	}
}

static size_t writer_categories_present(const struct writer_run *r)
{
	size_t k, m = 0;

	for (k = 0; k < r->ncats; k++)
		m += r->count[k] > 0;
	return m;
}

/* A buffer's text cut to max_cp, as a new string; the buffer is freed. */
static char *writer_finish(struct buf *b, size_t max_cp)
{
	char *s = writer_cut(buf_cstr(b), max_cp);

	buf_free(b);
	return s;
}

/* The lead of a story as a Korean sentence: itself when it is Korean, or
 * quoted, with the source unless the sentence before named it. Nothing
 * when there is no lead. */
static void writer_put_lead(struct buf *b, const struct writer_story_text *t,
                            bool source_named)
{
	if (!*t->lead)
		return;
	if (writer_has_hangul(t->lead)) {
		buf_puts(b, t->lead);
		return;
	}
	if (*t->source && !source_named) {
		buf_puts(b, t->source);
		writer_particle(b, WRITER_EUN_NEUN);
		buf_printf(b, " \xE2\x80\x9C%s\xE2\x80\x9D라고 전했습니다.",
		           t->lead);
	} else {
		buf_printf(b, "원문은 \xE2\x80\x9C%s\xE2\x80\x9D라고 전합니다.",
		           t->lead);
	}
}

static char *writer_extractive_oneliner(const struct writer_run *r, size_t i)
{
	const struct writer_story_text *t = &r->s[i];
	struct buf b = BUF_INIT(0);

	if (!*t->source) {
		buf_printf(&b, "「%s」 소식입니다.", t->quote);
		return writer_finish(&b, WRITER_ONELINER_CP);
	}
	switch (i % 3) {
	case 0:
		buf_puts(&b, t->source);
		writer_particle(&b, WRITER_I_GA);
		buf_printf(&b, " 「%s」 소식을 전했습니다.", t->quote);
		break;
	case 1:
		buf_printf(&b, "%s에서 「%s」 소식이 나왔습니다.", t->source,
		           t->quote);
		break;
	default:
		buf_printf(&b, "「%s」 소식을 %s에서 전했습니다.", t->quote,
		           t->source);
		break;
	}
	return writer_finish(&b, WRITER_ONELINER_CP);
}

static char *writer_extractive_summary(const struct writer_run *r, size_t i)
{
	const struct writer_story_text *t = &r->s[i];
	struct buf b = BUF_INIT(0);

	if (*t->lead) {
		writer_put_lead(&b, t, false);
		return writer_finish(&b, WRITER_SUMMARY_CP);
	}
	buf_printf(&b, "「%s」", t->quote);
	writer_particle(&b, WRITER_EUN_NEUN);
	if (*t->source)
		buf_printf(&b, " %s에서 전한 소식으로", t->source);
	else
		buf_puts(&b, " 오늘 전해진 소식으로");
	buf_puts(&b, ", 자세한 내용은 원문에서 확인할 수 있습니다.");
	return writer_finish(&b, WRITER_SUMMARY_CP);
}

static char *writer_extractive_intro(const struct writer_run *r)
{
	const struct writer_story_text *t = &r->s[0];
	struct buf b = BUF_INIT(0);

	if (r->n == 0) {
		buf_puts(&b, "오늘은 새로 전할 AI 소식이 없습니다.");
		return writer_finish(&b, WRITER_PARAGRAPH_CP);
	}
	if (r->n == 1) {
		buf_puts(&b, "오늘은 ");
	} else {
		buf_printf(&b,
		           "오늘은 AI 소식 %zu건을 살펴봅니다. 가장 먼저 볼 "
		           "소식은 ",
		           r->n);
	}
	if (*t->source) {
		buf_puts(&b, t->source);
		writer_particle(&b, WRITER_I_GA);
		buf_puts(&b, " 전한 ");
	}
	if (r->n == 1)
		buf_printf(&b, "「%s」 소식 한 건을 살펴봅니다.", t->quote);
	else
		buf_printf(&b, "「%s」입니다.", t->quote);
	if (*t->lead) {
		buf_putc(&b, ' ');
		writer_put_lead(&b, t, true);
	}
	if (r->n > 1 && writer_categories_present(r) > 0) {
		buf_puts(&b, " 이어서 ");
		writer_put_labels(&b, r, -1);
		buf_puts(&b, " 분야의 소식을 차례로 정리했습니다.");
	}
	return writer_finish(&b, WRITER_PARAGRAPH_CP);
}

static char *writer_extractive_viewpoint(const struct writer_run *r)
{
	struct buf b = BUF_INIT(0);
	size_t k, top = 0, second = 0;

	buf_puts(&b, "자동 작성 의견: ");
	if (r->n == 0) {
		buf_puts(&b, "오늘은 의견을 낼 만한 소식이 없습니다.");
		return writer_finish(&b, WRITER_PARAGRAPH_CP);
	}
	for (k = 1; k < r->ncats; k++)
		if (r->count[k] > r->count[top])
			top = k;
	for (k = 0; k < r->ncats; k++)
		if (k != top && r->count[k] > second)
			second = r->count[k];
	if (r->ncats == 0 || r->count[top] == 0) {
		buf_printf(&b,
		           "오늘의 소식 중에서는 「%s」 소식이 가장 먼저 눈에 "
		           "띕니다.",
		           r->s[0].quote);
	} else if (r->count[top] > second) {
		buf_printf(&b,
		           "오늘의 소식 중에서는 %s 분야가 %zu건으로 가장 "
		           "많아 눈에 띕니다.",
		           writer_label(&r->cats[top]), r->count[top]);
		if (writer_categories_present(r) > 1) {
			buf_puts(&b, " 그 밖에 ");
			writer_put_labels(&b, r, (long)top);
			buf_puts(&b, " 분야의 소식도 함께 살펴볼 만합니다.");
		}
	} else {
		buf_puts(&b, "오늘의 소식은 ");
		writer_put_labels(&b, r, -1);
		buf_puts(&b, " 분야에 고루 나뉘어 있습니다.");
	}
	buf_puts(&b, " 이 의견은 LLM 없이 소식의 분류와 건수만 보고 쓴 것이니, "
	             "각 소식의 의미는 원문을 읽고 판단하시기를 권합니다.");
	return writer_finish(&b, WRITER_PARAGRAPH_CP);
}

/* Add a tag unless it is empty or there already (ASCII case aside). */
static void writer_add_tag(struct writer_output *o, const char *tag)
{
	char *t = writer_tidy(tag, WRITER_TAG_CP);
	size_t i;

	for (i = 0; *t && i < o->ntags; i++)
		if (writer_casecmp(o->tags[i], t) == 0)
			break;
	if (!*t || i < o->ntags || o->ntags == WRITER_TAGS_MAX) {
		free(t);
		return;
	}
	o->tags = xreallocarray(o->tags, o->ntags + 1, sizeof *o->tags);
	o->tags[o->ntags++] = t;
}

static void writer_extractive_tags(const struct writer_run *r,
                                   struct writer_output *o)
{
	static const char *const fillers[] = {"인공지능", "오늘의 AI"};
	bool *used = xcalloc(r->ncats + 1, sizeof *used);
	size_t k, i, j;

	writer_add_tag(o, "AI 뉴스");
	/* the categories present, the largest first */
	for (j = 0; j < r->ncats; j++) {
		size_t best = r->ncats;

		for (k = 0; k < r->ncats; k++)
			if (!used[k] && r->count[k] > 0 &&
			    (best == r->ncats || r->count[k] > r->count[best]))
				best = k;
		if (best == r->ncats)
			break;
		used[best] = true;
		writer_add_tag(o, writer_label(&r->cats[best]));
	}
	/* glossary terms the titles name */
	for (k = 0; r->cfg && k < r->cfg->nglossary; k++)
		for (i = 0; i < r->n; i++)
			if (writer_has_term(r->s[i].title,
			                    r->cfg->glossary[k])) {
				writer_add_tag(o, r->cfg->glossary[k]);
				break;
			}
	for (k = 0;
	     o->ntags < WRITER_TAGS_MIN && k < sizeof fillers / sizeof *fillers;
	     k++)
		writer_add_tag(o, fillers[k]);
	free(used);
}

static void writer_extractive(const struct writer_run *r,
                              struct writer_output *o)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	if (r->n == 0)
		buf_puts(&b, "오늘의 AI 소식");
	else if (r->n == 1)
		buf_printf(&b, "오늘의 AI 소식: %s", r->s[0].quote);
	else
		buf_printf(&b, "오늘의 AI 소식: %s 외 %zu건", r->s[0].quote,
		           r->n - 1);
	o->title = writer_finish(&b, WRITER_TITLE_CP);
	buf_init(&b, 0);
	if (r->n == 0)
		buf_puts(&b, "오늘은 새로 전할 AI 소식이 없습니다.");
	else if (r->n == 1)
		buf_printf(&b, "「%s」 소식을 정리했습니다.", r->s[0].quote);
	else
		buf_printf(&b, "「%s」 등 오늘의 AI 소식 %zu건을 정리했습니다.",
		           r->s[0].quote, r->n);
	o->description = writer_finish(&b, WRITER_DESCRIPTION_CP);
	writer_extractive_tags(r, o);
	o->intro = writer_extractive_intro(r);
	o->viewpoint = writer_extractive_viewpoint(r);
	o->overview_title = xstrdup("오늘의 AI 소식 종합");
	o->nheadings = r->ncats;
	o->headings = xcalloc(r->ncats + 1, sizeof *o->headings);
	for (i = 0; i < r->ncats; i++) {
		o->headings[i] = writer_tidy(writer_label(&r->cats[i]),
		                             WRITER_HEADING_CP);
		if (!*o->headings[i]) {
			free(o->headings[i]);
			o->headings[i] = xstrdup("기타");
		}
	}
	o->npieces = r->n;
	o->pieces = xcalloc(r->n + 1, sizeof *o->pieces);
	for (i = 0; i < r->n; i++) {
		o->pieces[i].id = r->stories[i].id;
		o->pieces[i].title =
		        writer_cut(r->s[i].title, WRITER_STORY_TITLE_CP);
		o->pieces[i].oneliner = writer_extractive_oneliner(r, i);
		o->pieces[i].summary = writer_extractive_summary(r, i);
	}
}

/* The LLM writer */

/* The first glossary term one of the sources has and slot lost, or
 * NULL. */
static const char *writer_lost_term(const struct writer_config *cfg,
                                    const char *src1, const char *src2,
                                    const char *slot)
{
	size_t k;

	for (k = 0; k < cfg->nglossary; k++) {
		const char *term = cfg->glossary[k];

		if ((writer_has_term(src1, term) ||
		     writer_has_term(src2, term)) &&
		    !writer_has_term(slot, term))
			return term;
	}
	return NULL;
}

/* What became of one LLM slot: taken, or rejected for a lost glossary
 * term (the LLM's text kept for a rewrite). */
struct writer_slot_info {
	bool llm;
	const char *lost_term; /* the config's string */
	char *rejected;        /* owned */
};

/* Put the LLM's text for a slot in place of the extractive text when it
 * can stand: present, not empty, Korean, and keeping the glossary terms
 * of its sources; otherwise the extractive text stays and is counted.
 * info, when given, says which. */
static void writer_take(const struct writer_config *cfg, struct writer_tally *t,
                        json_t *v, size_t max_cp, const char *src1,
                        const char *src2, char **slot,
                        struct writer_slot_info *info)
{
	const char *s = json_string_value(v), *lost = NULL;
	char *c;

	if (!s) {
		t->missing++;
		return;
	}
	c = writer_tidy(s, max_cp);
	if (!*c)
		t->missing++;
	else if (!writer_has_hangul(c))
		t->not_korean++;
	else if ((src1 || src2) &&
	         (lost = writer_lost_term(cfg, src1, src2, c)) != NULL) {
		t->glossary++;
		if (info) {
			info->lost_term = lost;
			free(info->rejected);
			info->rejected = c;
			return;
		}
	} else {
		free(*slot);
		*slot = c;
		if (info)
			info->llm = true;
		return;
	}
	free(c);
}

/* a, a newline and b, as one new string */
static char *writer_join(const char *a, const char *b)
{
	struct buf j = BUF_INIT(0);

	buf_printf(&j, "%s\n%s", a ? a : "", b ? b : "");
	return buf_detach(&j);
}

static void writer_take_tags(struct writer_tally *t, json_t *tags,
                             struct writer_output *o)
{
	struct writer_output fresh;
	json_t *v;
	size_t i;

	memset(&fresh, 0, sizeof fresh);
	json_array_foreach(tags, i, v)
	{
		if (json_is_string(v))
			writer_add_tag(&fresh, json_string_value(v));
	}
	if (fresh.ntags == 0) {
		t->missing++;
		return;
	}
	/* fewer than three: the extractive tags fill up */
	for (i = 0; fresh.ntags < WRITER_TAGS_MIN && i < o->ntags; i++)
		writer_add_tag(&fresh, o->tags[i]);
	for (i = 0; i < o->ntags; i++)
		free(o->tags[i]);
	free(o->tags);
	o->tags = fresh.tags;
	o->ntags = fresh.ntags;
}

static void writer_take_headings(const struct writer_run *r,
                                 struct writer_tally *t, json_t *headings,
                                 struct writer_output *o)
{
	json_t *v, *found;
	size_t i, k;

	for (k = 0; k < r->ncats; k++) {
		found = NULL;
		json_array_foreach(headings, i, v)
		{
			const char *id =
			        json_string_value(json_object_get(v, "id"));

			if (id && r->cats[k].id &&
			    strcmp(id, r->cats[k].id) == 0) {
				found = json_object_get(v, "heading");
				break;
			}
		}
		writer_take(r->cfg, t, found, WRITER_HEADING_CP, NULL, NULL,
		            &o->headings[k], NULL);
	}
}

static void writer_take_stories(const struct writer_run *r,
                                struct writer_tally *t, json_t *stories,
                                struct writer_output *o)
{
	json_t **entry = xcalloc(r->n + 1, sizeof *entry), *v;
	struct writer_slot_info a[2];
	size_t i, k;

	json_array_foreach(stories, i, v)
	{
		const char *id = json_string_value(json_object_get(v, "id"));

		if (!id)
			continue;
		/* unknown ids are dropped; a repeated id keeps its first */
		for (k = 0; k < r->n; k++)
			if (!entry[k] && strcmp(r->s[k].id, id) == 0) {
				entry[k] = v;
				break;
			}
	}
	for (k = 0; k < r->n; k++) {
		if (!entry[k]) {
			t->missing += 2;
			continue;
		}
		/* the one-liner keeps the title's terms; the summary the
		 * title's and the text's */
		memset(a, 0, sizeof a);
		writer_take(r->cfg, t, json_object_get(entry[k], "oneliner"),
		            WRITER_ONELINER_CP, r->s[k].title, "",
		            &o->pieces[k].oneliner, &a[0]);
		writer_take(r->cfg, t, json_object_get(entry[k], "summary"),
		            WRITER_SUMMARY_CP, r->s[k].title, r->s[k].text,
		            &o->pieces[k].summary, &a[1]);
		o->pieces[k].llm = a[0].llm || a[1].llm;
		if (a[0].lost_term || a[1].lost_term) {
			o->pieces[k].lost_term = xstrdup(
			        a[0].lost_term ? a[0].lost_term : a[1].lost_term);
			o->pieces[k].draft = writer_join(
			        a[0].rejected ? a[0].rejected
			                      : o->pieces[k].oneliner,
			        a[1].rejected ? a[1].rejected
			                      : o->pieces[k].summary);
		}
		free(a[0].rejected);
		free(a[1].rejected);
	}
	free(entry);
}

static void writer_note(struct writer_output *o, const char *text)
{
	size_t n = strlen(text);

	if (n > sizeof o->note - 1)
		n = utf8_valid_prefix(text, sizeof o->note - 1);
	memcpy(o->note, text, n);
	o->note[n] = '\0';
}

static char *writer_user_message(const struct writer_run *r)
{
	json_t *arr = json_array();
	struct buf b = BUF_INIT(0);
	char *dump, *cat;
	size_t i;

	for (i = 0; i < r->n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(r->s[i].id));
		json_object_set_new(o, "title", json_string(r->s[i].title));
		json_object_set_new(o, "source", json_string(r->s[i].source));
		json_object_set_new(o, "text", json_string(r->s[i].text));
		if (r->stories[i].category) {
			cat = writer_tidy(r->stories[i].category,
			                  WRITER_CATEGORY_CP);
			json_object_set_new(o, "category", json_string(cat));
			free(cat);
		}
		json_array_append_new(arr, o);
	}
	dump = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_printf(&b,
	           "Write today's digest from these %zu stories; the first is "
	           "the headline:\n%s",
	           r->n, dump ? dump : "[]");
	free(dump);
	json_decref(arr);
	return buf_detach(&b);
}

static char *writer_system_prompt(const struct writer_run *r)
{
	struct buf list = BUF_INIT(0);
	char *system;
	size_t k;

	for (k = 0; k < r->ncats; k++)
		buf_printf(&list, "%s%s: %s", k ? ", " : "",
		           r->cats[k].id ? r->cats[k].id : "",
		           writer_label(&r->cats[k]));
	system = writer_fill(r->cfg->prompt ? r->cfg->prompt : "",
	                     "{categories}",
	                     r->ncats ? buf_cstr(&list) : "(none)");
	buf_free(&list);
	return system;
}

struct writer_reply {
	bool done;
	enum llm_error error;
	char message[256];
	char *json;
	char *raw;
	long tokens_in, tokens_out;
	int attempts;
};

static void writer_on_done(void *ctx, size_t index, const struct llm_result *lr)
{
	struct writer_reply *rep = ctx;

	(void)index;
	rep->done = true;
	rep->error = lr->error;
	snprintf(rep->message, sizeof rep->message, "%s", lr->message);
	rep->json = lr->json ? xstrdup(lr->json) : NULL;
	rep->raw = lr->raw ? xstrdup(lr->raw) : NULL;
	rep->tokens_in = lr->tokens_in;
	rep->tokens_out = lr->tokens_out;
	rep->attempts = lr->attempts;
}

/* The most output tokens a call may ask for: [writer] max_tokens. */
static int writer_max_tokens(const struct writer_config *cfg)
{
	return cfg->max_tokens > 0 ? cfg->max_tokens : WRITER_MAX_TOKENS;
}

/* The cache key: everything the call sends that shapes the reply. */
static void writer_cache_key(const struct writer_config *cfg,
                             const struct llm_call *call, const char *version,
                             char key[17])
{
	char n[32];
	uint64_t h = 0xcbf29ce484222325ULL;

	snprintf(n, sizeof n, "%d\x1f%d\x1f", (int)cfg->ep.provider,
	         call->max_tokens);
	h = writer_fnv(h, n);
	h = writer_fnv(h, cfg->name ? cfg->name : "");
	h = writer_fnv(h, "\x1f");
	h = writer_fnv(h, cfg->ep.model ? cfg->ep.model : "");
	h = writer_fnv(h, "\x1f");
	h = writer_fnv(h, version);
	h = writer_fnv(h, "\x1f");
	h = writer_fnv(h, call->schema_name);
	h = writer_fnv(h, "\x1f");
	h = writer_fnv(h, call->system ? call->system : "");
	h = writer_fnv(h, "\x1f");
	h = writer_fnv(h, call->user);
	snprintf(key, 17, "%016llx", (unsigned long long)h);
}

/* The reply, if its JSON is an object with the array `want`; else NULL. */
static json_t *writer_parse(const char *text, const char *want)
{
	json_t *root = text ? json_loads(text, 0, NULL) : NULL;

	if (json_is_object(root) && json_is_array(json_object_get(root, want)))
		return root;
	json_decref(root);
	return NULL;
}

#define WRITER_OUT_TOKENS_PER_STORY 300
#define WRITER_OUT_TOKENS_BASE 800

/* One call of the writer: the cache's answer when it has one (*cached),
 * else, within the budget, the LLM's (its cost added to o, the reply
 * kept in the cache). The reply's JSON when it has the array `want`;
 * else NULL and why in note. Trouble with the cache goes to trouble. */
static json_t *writer_call(const struct writer_config *cfg,
                           struct llm_call *call, const char *version,
                           const char *want, size_t nout,
                           struct writer_output *o, bool *cached,
                           struct buf *note, struct buf *trouble)
{
	struct writer_reply rep;
	struct llm_options opt;
	struct buf err = BUF_INIT(1024);
	json_t *root = NULL;
	char *text = NULL, key[17];

	*cached = false;
	memset(&rep, 0, sizeof rep);
	memset(&opt, 0, sizeof opt);
	writer_cache_key(cfg, call, version, key);

	/* 1. the cache: the same call was answered before */
	if (cfg->cache) {
		if (store_writing_get(cfg->cache, key, &text) < 0)
			buf_printf(trouble, "%sthe writer's cache could not be "
			                    "read (%s)",
			           trouble->len ? "; " : "",
			           store_error(cfg->cache));
		else if ((root = writer_parse(text, want)) != NULL)
			*cached = true;
		free(text);
		if (root)
			goto out;
	}

	/* 2. the budget, then the call */
	if (cfg->budgeted) {
		double in = (strlen(call->system ? call->system : "") +
		             strlen(call->user)) /
		            4.0;
		double out = WRITER_OUT_TOKENS_BASE +
		             (double)nout * WRITER_OUT_TOKENS_PER_STORY;
		double estimate =
		        (in * cfg->price_in + out * cfg->price_out) / 1e6;

		if (estimate > cfg->budget_left - o->usd) {
			double left = cfg->budget_left - o->usd;

			buf_printf(note,
			           "the budget has $%.4f left, less than the "
			           "writer's call may cost ($%.4f)",
			           left > 0 ? left : 0, estimate);
			goto out;
		}
	}
	opt.done = writer_on_done;
	opt.ctx = &rep;
	if (llm_call_all(call, 1, &opt, &err) != 0 || !rep.done) {
		buf_printf(note, "the LLM writer could not start (%s)",
		           buf_cstr(&err));
		goto out;
	}
	o->requests += rep.attempts > 0 ? 1 : 0;
	o->tokens_in += rep.tokens_in;
	o->tokens_out += rep.tokens_out;
	o->usd += (rep.tokens_in * cfg->price_in +
	           rep.tokens_out * cfg->price_out) /
	          1e6;
	if (rep.error != LLM_OK) {
		buf_printf(note, "the LLM writer failed (%s)", rep.message);
		goto out;
	}
	root = writer_parse(rep.json, want);
	if (!root) {
		buf_printf(note, "the LLM writer's reply has no %s", want);
		goto out;
	}
	if (cfg->cache) {
		struct store_writing w;

		memset(&w, 0, sizeof w);
		w.key = key;
		w.writer = cfg->name ? cfg->name : "writer";
		w.prompt_version = version;
		w.reply = rep.json;
		w.raw = rep.raw;
		w.tokens_in = rep.tokens_in;
		w.tokens_out = rep.tokens_out;
		w.usd = (rep.tokens_in * cfg->price_in +
		         rep.tokens_out * cfg->price_out) /
		        1e6;
		w.at = (int64_t)time(NULL);
		if (store_writing_put(cfg->cache, &w) != 0)
			buf_printf(trouble, "%sthe writer's cache could not be "
			                    "written (%s)",
			           trouble->len ? "; " : "",
			           store_error(cfg->cache));
	}
out:
	free(rep.json);
	free(rep.raw);
	buf_free(&err);
	return root;
}

static void writer_llm(const struct writer_run *r, struct writer_output *o)
{
	const struct writer_config *cfg = r->cfg;
	struct writer_tally t = {0, 0, 0};
	struct writer_slot_info info;
	struct llm_call call;
	struct buf note = BUF_INIT(1024), trouble = BUF_INIT(1024);
	json_t *root;
	char *system = writer_system_prompt(r), *user = writer_user_message(r);
	size_t max_tokens = 1536 + 450 * r->n;

	memset(&call, 0, sizeof call);
	call.ep = &cfg->ep;
	call.system = system;
	call.user = user;
	call.schema_name = "digest_writer";
	call.schema_json = writer_schema;
	call.max_tokens =
	        (int)(max_tokens < (size_t)writer_max_tokens(cfg)
	                      ? max_tokens
	                      : (size_t)writer_max_tokens(cfg));
	root = writer_call(cfg, &call, cfg->prompt_version, "stories", r->n, o,
	                   &o->cached, &note, &trouble);
	if (!root) {
		buf_puts(&note, ": the extractive writer wrote every slot");
		goto out;
	}

	/* the reply into the slots */
	o->by_llm = true;
	writer_take_stories(r, &t, json_object_get(root, "stories"), o);
	writer_take_headings(r, &t, json_object_get(root, "headings"), o);
	writer_take_tags(&t, json_object_get(root, "tags"), o);
	writer_take(cfg, &t, json_object_get(root, "title"), WRITER_TITLE_CP,
	            NULL, NULL, &o->title, NULL);
	writer_take(cfg, &t, json_object_get(root, "description"),
	            WRITER_DESCRIPTION_CP, NULL, NULL, &o->description, NULL);
	memset(&info, 0, sizeof info);
	writer_take(cfg, &t, json_object_get(root, "intro"),
	            WRITER_PARAGRAPH_CP, r->s[0].title, "", &o->intro, &info);
	o->intro_llm = info.llm;
	if (info.lost_term) {
		o->intro_lost_term = xstrdup(info.lost_term);
		o->intro_draft = info.rejected;
		info.rejected = NULL;
	}
	memset(&info, 0, sizeof info);
	writer_take(cfg, &t, json_object_get(root, "viewpoint"),
	            WRITER_PARAGRAPH_CP, NULL, NULL, &o->viewpoint, &info);
	o->viewpoint_llm = info.llm;
	writer_take(cfg, &t, json_object_get(root, "overview_title"),
	            WRITER_TITLE_CP, NULL, NULL, &o->overview_title, NULL);
	o->replaced = t.missing + t.not_korean + t.glossary;
	if (o->replaced)
		buf_printf(&note,
		           "%d LLM slot%s replaced by extractive text "
		           "(missing %d, not Korean %d, glossary term "
		           "lost %d)",
		           o->replaced, o->replaced == 1 ? "" : "s", t.missing,
		           t.not_korean, t.glossary);
out:
	if (trouble.len)
		buf_printf(&note, "%s%s", note.len ? "; " : "",
		           buf_cstr(&trouble));
	writer_note(o, buf_cstr(&note));
	json_decref(root);
	free(system);
	free(user);
	buf_free(&note);
	buf_free(&trouble);
}

/* Rewrites */

static const char *const writer_fix_kinds[] = {"story", "intro",
                                               "viewpoint"};

static const char *writer_fix_id(const struct writer_run *r,
                                 const struct writer_fix *f)
{
	return f->kind == WRITER_FIX_STORY ? r->s[f->index].id
	                                   : writer_fix_kinds[f->kind];
}

/* The draft the reviewers saw: the LLM's text as written. */
static char *writer_fix_draft(const struct writer_output *o,
                              const struct writer_fix *f)
{
	const struct writer_piece *p;

	switch (f->kind) {
	case WRITER_FIX_STORY:
		p = &o->pieces[f->index];
		return p->draft ? xstrdup(p->draft)
		                : writer_join(p->oneliner, p->summary);
	case WRITER_FIX_INTRO:
		return xstrdup(o->intro_draft ? o->intro_draft : o->intro);
	default:
		return xstrdup(o->viewpoint);
	}
}

static char *writer_rewrite_message(const struct writer_run *r,
                                    const struct writer_fix *fixes,
                                    size_t nfix, const struct writer_output *o)
{
	json_t *arr = json_array(), *probs;
	struct buf b = BUF_INIT(0);
	char *dump, *draft, *clean;
	size_t i, k;

	for (i = 0; i < nfix; i++) {
		const struct writer_fix *f = &fixes[i];
		json_t *obj = json_object();

		json_object_set_new(obj, "id", json_string(writer_fix_id(r, f)));
		json_object_set_new(obj, "kind",
		                    json_string(writer_fix_kinds[f->kind]));
		clean = writer_tidy(f->source_title ? f->source_title : "",
		                    WRITER_SENT_TITLE_CP);
		json_object_set_new(obj, "source_title", json_string(clean));
		free(clean);
		clean = writer_tidy(f->source_text ? f->source_text : "",
		                    r->cfg->text_max ? r->cfg->text_max * 4
		                                     : 6000);
		json_object_set_new(obj, "source_text", json_string(clean));
		free(clean);
		draft = writer_fix_draft(o, f);
		clean = writer_tidy(draft, WRITER_CLEAN_CP);
		json_object_set_new(obj, "draft", json_string(clean));
		free(clean);
		free(draft);
		probs = json_array();
		for (k = 0; k < f->nproblems; k++) {
			clean = writer_tidy(f->problems[k] ? f->problems[k] : "",
			                    300);
			if (*clean)
				json_array_append_new(probs, json_string(clean));
			free(clean);
		}
		json_object_set_new(obj, "problems", probs);
		json_array_append_new(arr, obj);
	}
	dump = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_printf(&b, "Revise these %zu texts:\n%s", nfix, dump ? dump : "[]");
	free(dump);
	json_decref(arr);
	return buf_detach(&b);
}

/* Take one rewrite into its slots when it can stand: Korean, present,
 * keeping the glossary terms of its sources. */
static bool writer_take_fix(const struct writer_run *r, struct writer_fix *f,
                            json_t *v, struct writer_output *o)
{
	const struct writer_config *cfg = r->cfg;
	struct writer_tally t = {0, 0, 0};
	struct writer_slot_info a[2];
	char *one = NULL, *sum = NULL, *text = NULL;
	bool ok = false;

	memset(a, 0, sizeof a);
	if (f->kind == WRITER_FIX_STORY) {
		struct writer_piece *p = &o->pieces[f->index];
		const struct writer_story_text *s = &r->s[f->index];

		one = xstrdup("");
		sum = xstrdup("");
		writer_take(cfg, &t, json_object_get(v, "oneliner"),
		            WRITER_ONELINER_CP, s->title, "", &one, &a[0]);
		writer_take(cfg, &t, json_object_get(v, "summary"),
		            WRITER_SUMMARY_CP, s->title, s->text, &sum, &a[1]);
		if (a[0].llm && a[1].llm) {
			free(p->oneliner);
			free(p->summary);
			p->oneliner = one;
			p->summary = sum;
			one = sum = NULL;
			p->llm = true;
			free(p->lost_term);
			free(p->draft);
			p->lost_term = p->draft = NULL;
			ok = true;
		} else {
			f->lost_term = a[0].lost_term ? a[0].lost_term
			                              : a[1].lost_term;
		}
	} else {
		text = xstrdup("");
		writer_take(cfg, &t, json_object_get(v, "text"),
		            WRITER_PARAGRAPH_CP,
		            f->kind == WRITER_FIX_INTRO ? r->s[0].title : NULL,
		            f->kind == WRITER_FIX_INTRO ? "" : NULL, &text, &a[0]);
		if (a[0].llm) {
			char **slot = f->kind == WRITER_FIX_INTRO ? &o->intro
			                                          : &o->viewpoint;

			free(*slot);
			*slot = text;
			text = NULL;
			if (f->kind == WRITER_FIX_INTRO) {
				o->intro_llm = true;
				free(o->intro_lost_term);
				free(o->intro_draft);
				o->intro_lost_term = o->intro_draft = NULL;
			} else {
				o->viewpoint_llm = true;
			}
			ok = true;
		} else {
			f->lost_term = a[0].lost_term;
		}
	}
	free(a[0].rejected);
	free(a[1].rejected);
	free(one);
	free(sum);
	free(text);
	return ok;
}

int writer_rewrite(const struct writer_config *cfg,
                   const struct writer_story *stories, size_t n,
                   struct writer_fix *fixes, size_t nfix,
                   struct writer_output *o, struct buf *note)
{
	struct writer_run r;
	struct llm_call call;
	struct buf trouble = BUF_INIT(1024);
	json_t *root = NULL, *arr, *v;
	char *user = NULL;
	bool cached = false;
	size_t i, k, max_tokens;

	for (i = 0; i < nfix; i++) {
		fixes[i].fixed = false;
		fixes[i].lost_term = NULL;
		if (fixes[i].kind > WRITER_FIX_VIEWPOINT ||
		    (fixes[i].kind == WRITER_FIX_STORY && fixes[i].index >= n) ||
		    (fixes[i].kind == WRITER_FIX_STORY &&
		     fixes[i].index >= o->npieces)) {
			buf_puts(note, "writer: a rewrite of a story that is not "
			               "there");
			return -1;
		}
	}
	if (!cfg || !cfg->llm || nfix == 0)
		return 0;
	memset(&r, 0, sizeof r);
	r.cfg = cfg;
	r.stories = stories;
	r.n = n;
	writer_run_init(&r);
	user = writer_rewrite_message(&r, fixes, nfix, o);
	memset(&call, 0, sizeof call);
	call.ep = &cfg->ep;
	call.system = cfg->rewrite_prompt;
	call.user = user;
	call.schema_name = "digest_rewrite";
	call.schema_json = writer_rewrite_schema;
	max_tokens = 1024 + 450 * nfix;
	call.max_tokens =
	        (int)(max_tokens < (size_t)writer_max_tokens(cfg)
	                      ? max_tokens
	                      : (size_t)writer_max_tokens(cfg));
	root = writer_call(cfg, &call, cfg->rewrite_version, "rewrites", nfix,
	                   o, &cached, note, &trouble);
	if (root) {
		o->rewrite_calls++;
		arr = json_object_get(root, "rewrites");
		for (i = 0; i < nfix; i++) {
			const char *want = writer_fix_id(&r, &fixes[i]);

			json_array_foreach(arr, k, v)
			{
				const char *id = json_string_value(
				        json_object_get(v, "id"));

				if (id && strcmp(id, want) == 0) {
					fixes[i].fixed = writer_take_fix(
					        &r, &fixes[i], v, o);
					break;
				}
			}
		}
	}
	if (trouble.len)
		buf_printf(note, "%s%s", note->len ? "; " : "",
		           buf_cstr(&trouble));
	json_decref(root);
	free(user);
	buf_free(&trouble);
	writer_run_free(&r);
	return 0;
}

int writer_write(const struct writer_config *cfg,
                 const struct writer_story *stories, size_t n,
                 const struct writer_category *cats, size_t ncats,
                 struct writer_output *out, struct buf *err)
{
	struct writer_run r;

	if (out)
		memset(out, 0, sizeof *out);
	if (!out || (n && !stories) || (ncats && !cats)) {
		buf_puts(err, "writer: no stories or categories given");
		return -1;
	}
	memset(&r, 0, sizeof r);
	r.cfg = cfg;
	r.stories = stories;
	r.n = n;
	r.cats = cats;
	r.ncats = ncats;
	writer_run_init(&r);
	writer_extractive(&r, out);
	if (cfg && cfg->llm && n > 0)
		writer_llm(&r, out);
	writer_run_free(&r);
	return 0;
}

void writer_output_free(struct writer_output *o)
{
	size_t i;

	if (!o)
		return;
	free(o->title);
	free(o->description);
	for (i = 0; i < o->ntags; i++)
		free(o->tags[i]);
	free(o->tags);
	free(o->intro);
	free(o->viewpoint);
	free(o->overview_title);
	for (i = 0; i < o->nheadings; i++)
		free(o->headings[i]);
	free(o->headings);
	for (i = 0; i < o->npieces; i++) {
		free(o->pieces[i].oneliner);
		free(o->pieces[i].summary);
		free(o->pieces[i].title);
		free(o->pieces[i].lost_term);
		free(o->pieces[i].draft);
	}
	free(o->intro_lost_term);
	free(o->intro_draft);
	free(o->pieces);
	memset(o, 0, sizeof *o);
}
