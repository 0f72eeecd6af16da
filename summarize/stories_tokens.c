#include "summarize/stories_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/utf8.h"

/* Words that say nothing about which story a title is: English function
 * words and announcement verbs (every story is an announcement), Korean
 * announcement verbs by their two-syllable stem. Sorted for bsearch. */
static const char *const stories_stopwords[] = {
        "about",     "after",     "all",          "an",         "and",
        "announce",  "announced", "announcement", "announces",  "announcing",
        "are",       "as",        "at",           "be",         "been",
        "but",       "by",        "can",          "could",      "debut",
        "debuts",    "do",        "does",         "for",        "from",
        "has",       "have",      "here",         "how",        "in",
        "into",      "introduce", "introduced",   "introduces", "introducing",
        "is",        "it",        "its",          "just",       "launch",
        "launched",  "launches",  "launching",    "meet",       "more",
        "now",       "of",        "on",           "or",         "our",
        "out",       "over",      "release",      "released",   "releases",
        "releasing", "say",       "says",         "than",       "that",
        "the",       "their",     "this",         "to",         "unveil",
        "unveiled",  "unveils",   "up",           "via",        "vs",
        "was",       "we",        "what",         "when",       "which",
        "who",       "why",       "will",         "with",       "you",
        "your",      "공개",      "내놔",         "발표",       "선보",
        "출시",
};

/* Words that announce a release: a title with one is a launch (English
 * words as written, Korean by their two-syllable stem). Sorted. */
static const char *const stories_launch_words[] = {
        "arrives", "available", "debut",      "debuts",     "hello",
        "here",    "introduce", "introduced", "introduces", "introducing",
        "launch",  "launched",  "launches",   "launching",  "meet",
        "release", "released",  "releases",   "releasing",  "ships",
        "unveil",  "unveiled",  "unveils",    "공개",       "내놔",
        "선보",    "선봬",      "출격",       "출시",
};

/* Magnitude words that scale the number before them: $6.6 billion. */
static const struct {
	const char *word;
	double scale;
} stories_magnitudes[] = {
        {"billion", 1e9}, {"bn", 1e9},        {"million", 1e6},
        {"mn", 1e6},      {"trillion", 1e12}, {"thousand", 1e3},
};

/* Korean number units: 25만6천 is 256,000, 5000억 is 500 billion. */
static const struct {
	const char *unit;
	double scale;
} stories_korean_units[] = {
        {"조", 1e12}, {"억", 1e8}, {"만", 1e4}, {"천", 1e3}, {"백", 1e2},
};

/* Counters and currencies written after a Korean number (9000명,
 * 799달러, 10배): they say what was counted, which an English title says
 * with a word or a symbol of its own. unit: '$' for an amount of money
 * (always a figure), 'x' for times (10배 is 10x), 0 for a count. */
static const struct {
	const char *word;
	char unit;
} stories_counters[] = {
        {"달러", '$'}, {"유로", '$'}, {"위안", '$'}, {"엔", '$'}, {"원", '$'},
        {"배", 'x'},   {"명", 0},     {"개", 0},     {"장", 0},   {"대", 0},
        {"건", 0},     {"곳", 0},     {"종", 0},     {"년", 0},   {"월", 0},
        {"일", 0},     {"단", 0},     {"세대", 0},
};

/* Units written after a number, joined to it or not (2 MB, 2MB, 10x). */
static const char *const stories_units[] = {
        "x", "kb", "mb", "gb", "tb", "ms", "kw", "mw", "gw", "ghz", "nm",
};

/* Figures are written with the largest of these that fits: 7b, 256k. */
static const struct {
	char suffix;
	double scale;
} stories_suffixes[] = {
        {'t', 1e12},
        {'b', 1e9},
        {'m', 1e6},
        {'k', 1e3},
};

static int stories_cmp_str(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool stories_in(const char *const *words, size_t nwords, const char *p,
                       size_t n)
{
	char key[STORIES_TOKEN_MAX + 4];

	if (n > STORIES_TOKEN_MAX)
		return false;
	memcpy(key, p, n);
	key[n] = '\0';
	return bsearch(key, words, nwords, sizeof words[0], stories_cmp_str) !=
	       NULL;
}

static bool stories_is_stopword(const char *p, size_t n)
{
	return stories_in(
	        stories_stopwords,
	        sizeof stories_stopwords / sizeof stories_stopwords[0], p, n);
}

static bool stories_is_launch(const char *p, size_t n)
{
	return stories_in(stories_launch_words,
	                  sizeof stories_launch_words /
	                          sizeof stories_launch_words[0],
	                  p, n);
}

/* What is being built from one title's words. */
struct stories_builder {
	struct stories_title *ti;
	const struct stories_raw *raw;
	size_t n;
	bool title_case;
	bool comparing;     /* after an English comparison word */
	size_t phrase_from; /* the first token of the current phrase */
	size_t next_raw;    /* the word after the last token's words */
	bool adjacent;      /* the next token follows the last one */
};

/* Names, figures and companies: what a comparison is made with. */
static bool stories_is_entity(uint8_t kind)
{
	return kind == SK_NAME || kind == SK_FIGURE || kind == SK_COMPANY ||
	       kind == SK_PERSON;
}

static void stories_emit(struct stories_builder *b, const char *p, size_t n,
                         uint8_t kind, uint8_t flags)
{
	struct stories_title *ti = b->ti;

	if (ti->nseq == STORIES_MAX_TOKENS)
		return;
	if (b->comparing && stories_is_entity(kind))
		flags |= ST_CONTEXT;
	else
		b->comparing = false;
	if (b->adjacent)
		flags |= ST_ADJ;
	b->adjacent = true;
	ti->seq[ti->nseq].hash = stories_word_hash(p, n);
	ti->seq[ti->nseq].kind = kind;
	ti->seq[ti->nseq].flags = flags;
	ti->nseq++;
}

/* The names, figures and companies just before are what the story is
 * compared with (Korean puts the comparison word after them: GPT-5 능가,
 * o1급, 터보보다); the words before them are not. */
static void stories_mark_compared(struct stories_builder *b)
{
	size_t i;

	for (i = b->ti->nseq; i-- > b->phrase_from;) {
		if (!stories_is_entity(b->ti->seq[i].kind))
			break;
		b->ti->seq[i].flags |= ST_CONTEXT;
	}
}

/* The number at the start of p[0..n): digits with thousands commas and a
 * decimal point. Returns the bytes it takes; *commas when it has any. */
static size_t stories_number(const char *p, size_t n, double *v, bool *commas)
{
	size_t i = 0;
	double frac = 0.1;
	bool point = false;

	*v = 0;
	*commas = false;
	for (; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			if (point) {
				*v += (p[i] - '0') * frac;
				frac /= 10;
			} else {
				*v = *v * 10 + (p[i] - '0');
			}
		} else if (p[i] == ',' && !point) {
			*commas = true;
		} else if (p[i] == '.' && !point) {
			point = true;
		} else {
			break;
		}
	}
	return i;
}

/* The Korean units that start a Hangul word, multiplied (억달러 starts
 * with 억, 천억 is 1e11). Returns the bytes they take, 0 for none. */
static size_t stories_korean_unit(const struct stories_raw *r, double *scale)
{
	size_t i, m, at = 0;
	bool more = true;

	*scale = 1;
	while (more) {
		more = false;
		for (i = 0; i < sizeof stories_korean_units /
		                        sizeof stories_korean_units[0];
		     i++) {
			m = strlen(stories_korean_units[i].unit);
			if (r->len - at >= m &&
			    memcmp(r->text + at, stories_korean_units[i].unit,
			           m) == 0) {
				*scale *= stories_korean_units[i].scale;
				at += m;
				more = true;
				break;
			}
		}
	}
	return at;
}

/* A figure as text: the largest suffix that keeps it at 1 or more (7b,
 * 256k, 1.2t), three decimals at most, no trailing zeros. */
static size_t stories_figure_text(double v, char *out, size_t cap)
{
	size_t i, n;
	char suffix = 0;

	for (i = 0; i < sizeof stories_suffixes / sizeof stories_suffixes[0];
	     i++)
		if (v >= stories_suffixes[i].scale) {
			v /= stories_suffixes[i].scale;
			suffix = stories_suffixes[i].suffix;
			break;
		}
	n = (size_t)snprintf(out, cap, "%.3f", v);
	if (n + 2 > cap) /* cut, with room for the suffix */
		n = cap - 2;
	while (n > 0 && out[n - 1] == '0')
		n--;
	if (n > 0 && out[n - 1] == '.')
		n--;
	if (suffix)
		out[n++] = suffix;
	out[n] = '\0';
	return n;
}

/* A number being read: its value, and what the words around it say. */
struct stories_figure {
	double v;
	const char *unit; /* "mb", "x": written after the number */
	bool scaled;      /* a magnitude: 6.6b, 25만 */
	bool amount;      /* money: $799, 799달러 */
	bool commas;      /* 260,000 */
	bool percent;
};

static const char *stories_unit(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof stories_units / sizeof stories_units[0]; i++)
		if (strlen(stories_units[i]) == n &&
		    memcmp(stories_units[i], p, n) == 0)
			return stories_units[i];
	return NULL;
}

/* An English word after a number: a magnitude (6.6 billion) or a unit
 * (2 MB). Returns 1 when it is one. */
static size_t stories_number_word(const struct stories_raw *r,
                                  struct stories_figure *f)
{
	size_t m;

	for (m = 0;
	     m < sizeof stories_magnitudes / sizeof stories_magnitudes[0]; m++)
		if (strcmp(r->text, stories_magnitudes[m].word) == 0) {
			f->v *= stories_magnitudes[m].scale;
			f->scaled = true;
			return 1;
		}
	f->unit = stories_unit(r->text, r->len);
	if (f->unit)
		return 1;
	if (strcmp(r->text, "percent") == 0) {
		f->percent = true;
		return 1;
	}
	return 0;
}

/* A Korean counter that starts p[0..n): marks f, returns whether it is
 * one. */
static bool stories_counter(const char *p, size_t n, struct stories_figure *f)
{
	size_t i, m;

	for (i = 0; i < sizeof stories_counters / sizeof stories_counters[0];
	     i++) {
		m = strlen(stories_counters[i].word);
		if (n < m || memcmp(p, stories_counters[i].word, m) != 0)
			continue;
		if (stories_counters[i].unit == '$')
			f->amount = true;
		else if (stories_counters[i].unit == 'x')
			f->unit = "x";
		return true;
	}
	return false;
}

/* The words after a number that scale it or count with it: "6.6 billion",
 * 25만6천, 600억달러, 9000명. Returns how many words they are. */
static size_t stories_number_tail(const struct stories_builder *b, size_t i,
                                  struct stories_figure *f)
{
	const struct stories_raw *r;
	double scale, part = f->v, sum = 0;
	size_t j = i + 1, unit;
	bool commas, korean = false;

	if (j < b->n && b->raw[j].cls == SC_WORD)
		return stories_number_word(&b->raw[j], f);
	while (j < b->n) {
		r = &b->raw[j];
		if (r->cls != SC_HANGUL || (r->flags & STORIES_RAW_GAP))
			break;
		unit = stories_korean_unit(r, &scale);
		if (unit == 0) {
			j += stories_counter(r->text, r->len, f);
			break;
		}
		sum += part * scale;
		part = 0;
		korean = true;
		j++;
		if (unit < r->len) { /* 억달러: the rest counts */
			stories_counter(r->text + unit, r->len - unit, f);
			break;
		}
		if (j < b->n && b->raw[j].cls == SC_DIGIT &&
		    !(b->raw[j].flags & STORIES_RAW_GAP) &&
		    stories_number(b->raw[j].text, b->raw[j].len, &part,
		                   &commas) == b->raw[j].len)
			j++;
		else
			break;
	}
	if (korean) {
		f->v = sum + part;
		f->scaled = true;
	}
	/* 5000억 달러: a currency after a space */
	if (j < b->n && b->raw[j].cls == SC_HANGUL && !f->amount) {
		stories_counter(b->raw[j].text, b->raw[j].len, f);
		j += f->amount;
	}
	return j - i - 1;
}

/* A number as text: three decimals at most, no trailing zeros. */
static size_t stories_number_text(double v, char *out, size_t cap)
{
	size_t n = (size_t)snprintf(out, cap, "%.3f", v);

	if (n + 1 > cap) /* a number of 40 digits is cut */
		n = cap - 1;
	while (n > 0 && out[n - 1] == '0')
		n--;
	if (n > 0 && out[n - 1] == '.')
		n--;
	out[n] = '\0';
	return n;
}

/* A word of digits that is a quantity: emitted as a figure (7b, 256k,
 * 60%, 2mb, 10x, $799) with the words that scale it or count with it.
 * Other numbers (a version, a year, a small count) are parts of names.
 * Returns the words taken, 0 when the word is not a number (o1, 4o,
 * v0.6.1, 8x22b). */
static size_t stories_take_figure(struct stories_builder *b, size_t i)
{
	const struct stories_raw *r = &b->raw[i];
	struct stories_figure f;
	char text[48];
	size_t k, tail = 0, n;

	memset(&f, 0, sizeof f);
	f.amount = (r->flags & STORIES_RAW_MONEY) != 0;
	k = stories_number(r->text, r->len, &f.v, &f.commas);
	if (k == 0)
		return 0;
	if (k == r->len) {
		tail = stories_number_tail(b, i, &f);
	} else if (k + 1 == r->len && r->text[k] == '%') {
		f.percent = true;
	} else if (k + 1 == r->len && strchr("kmbt", r->text[k])) {
		for (n = 0;
		     n < sizeof stories_suffixes / sizeof stories_suffixes[0];
		     n++)
			if (r->text[k] == stories_suffixes[n].suffix)
				f.v *= stories_suffixes[n].scale;
		f.scaled = true;
	} else if (!(f.unit = stories_unit(r->text + k, r->len - k))) {
		return 0;
	}
	if (f.percent || f.unit) {
		n = stories_number_text(f.v, text, sizeof text - 8);
		n += (size_t)snprintf(text + n, sizeof text - n, "%s",
		                      f.percent ? "%" : f.unit);
	} else if (f.scaled || f.commas || f.amount ||
	           (f.v >= 1000 && (f.v < 1900 || f.v >= 2200))) {
		n = stories_figure_text(f.v, text, sizeof text);
	} else {
		stories_emit(b, r->text, r->len, SK_NAME,
		             ST_NUM | ST_CROSS | ST_BARE);
		return 1 + tail;
	}
	stories_emit(b, text, n, SK_FIGURE, ST_NUM | ST_CROSS);
	return 1 + tail;
}

static uint8_t stories_lex_kind(uint8_t lex, uint8_t *flags)
{
	*flags = ST_CROSS | ST_LEX;
	switch (lex) {
	case SL_PERSON:
		return SK_PERSON;
	case SL_COMPANY:
		return SK_COMPANY;
	case SL_TIER:
		*flags |= ST_TIER;
		return SK_NAME;
	case SL_NAME:
		return SK_NAME;
	default:
		return SK_WORD;
	}
}

/* Emit a lexicon entry's canonical words, or start a comparison. */
static void stories_take_entry(struct stories_builder *b,
                               const struct stories_lex_entry *e,
                               enum stories_ending ending)
{
	uint8_t kind, flags;
	size_t i;

	if (e->kind == SL_COMPARE) {
		b->comparing = true;
		return;
	}
	if (e->kind == SL_COMPARED) {
		stories_mark_compared(b);
		return;
	}
	kind = stories_lex_kind(e->kind, &flags);
	if (!stories_is_entity(kind))
		b->comparing = false;
	if (b->comparing)
		flags |= ST_CONTEXT;
	for (i = 0; i < e->nout && b->ti->nseq < STORIES_MAX_TOKENS; i++) {
		b->ti->seq[b->ti->nseq].hash = e->out[i];
		b->ti->seq[b->ti->nseq].kind = kind;
		b->ti->seq[b->ti->nseq].flags =
		        flags | (b->adjacent ? ST_ADJ : 0);
		b->adjacent = true;
		b->ti->nseq++;
	}
	if (ending == STORIES_END_THAN)
		stories_mark_compared(b);
}

/* Whether a Latin word reads as a name: OpenAI, NVIDIA; or capitalized
 * inside a title written in sentence case. */
static bool stories_name_like(const struct stories_builder *b, size_t i)
{
	uint8_t f = b->raw[i].flags;
	size_t k;

	if (f & (STORIES_RAW_INNER | STORIES_RAW_CAPS))
		return true;
	if (!(f & STORIES_RAW_UPPER))
		return false;
	if (!b->title_case && i > 0)
		return true;
	/* first in the title, or in Title Case: a name when a version
	 * follows it directly (Corvid-3: first impressions), or after a
	 * capitalized word it is hyphenated to (Notes on Beacon-Med 5) */
	k = i + 1;
	if (k < b->n && b->raw[k].cls == SC_WORD &&
	    (b->raw[k].flags & STORIES_RAW_HYPHEN) &&
	    (b->raw[k].flags & STORIES_RAW_UPPER))
		k++;
	return k < b->n && b->raw[k].cls == SC_DIGIT &&
	       !(b->raw[k].flags & (STORIES_RAW_CLAUSE | STORIES_RAW_MONEY));
}

/* A word the lexicon does not know: stop words and single letters go;
 * "v1.2" is "1.2"; an English plural loses its s; a Hangul word is its
 * first two syllables (Korean particles and endings are suffixes: 오픈AI가,
 * 공개했다); a run of Han or kana becomes its character bigrams. */
static void stories_take_word(struct stories_builder *b, size_t i)
{
	const struct stories_raw *r = &b->raw[i];
	const char *p = r->text;
	size_t n = r->len, a, c, d;
	bool comparative = false;

	if (r->cls == SC_HANGUL) {
		if (r->chars < 2)
			return;
		stories_particle_len(p, n, &comparative);
		n = utf8_prefix_bytes(p, 2);
		b->ti->launch |= stories_is_launch(p, n);
		if (!stories_is_stopword(p, n))
			stories_emit(b, p, n, SK_FOREIGN, 0);
		if (comparative)
			stories_mark_compared(b);
		return;
	}
	if (r->cls == SC_CJK) {
		if (r->chars == 1)
			stories_emit(b, p, n, SK_FOREIGN, 0);
		for (a = 0; r->chars > 1 && a < n; a = c) {
			c = a + utf8_prefix_bytes(p + a, 1);
			if (c >= n)
				break;
			d = utf8_prefix_bytes(p + c, 1);
			stories_emit(b, p + a, c - a + d, SK_FOREIGN, 0);
		}
		return;
	}
	if (r->cls == SC_DIGIT) {
		if (p[0] == 'v' && p[1] >= '0' && p[1] <= '9' &&
		    memchr(p, '.', n)) {
			p++;
			n--;
		}
		stories_emit(
		        b, p, n, SK_NAME,
		        ST_NUM | ST_CROSS |
		                (strspn(p, "0123456789.") == n ? ST_BARE : 0));
		return;
	}
	if (n == 1)
		return;
	b->ti->launch |= stories_is_launch(p, n);
	if (n >= 4 && p[n - 1] == 's' && r->chars == n &&
	    !strchr("sui", p[n - 2]) && !stories_is_stopword(p, n))
		n--;
	if (stories_is_stopword(p, n))
		return;
	if (b->ti->korean || stories_name_like(b, i))
		stories_emit(b, p, n, SK_NAME, ST_CROSS);
	else
		stories_emit(b, p, n, SK_WORD, 0);
}

/* Whether a title capitalizes its words (Title Case), so that a capital
 * says nothing about a name: most of its longer words after the first
 * start with one. */
static bool stories_is_title_case(const struct stories_raw *raw, size_t n)
{
	size_t i, words = 0, upper = 0;

	for (i = 1; i < n; i++) {
		if (raw[i].cls != SC_WORD || raw[i].len < 4)
			continue;
		words++;
		upper += (raw[i].flags & STORIES_RAW_UPPER) != 0;
	}
	return words > 0 && upper * 2 >= words;
}

void stories_title_parse(const char *title, struct stories_title *ti)
{
	struct stories_raw raw[STORIES_MAX_RAW];
	struct stories_builder b;
	const struct stories_lexicon *lx = stories_lexicon_get();
	const struct stories_lex_entry *e;
	size_t i, k, before;
	enum stories_ending ending;

	memset(ti, 0, sizeof *ti);
	memset(&b, 0, sizeof b);
	b.ti = ti;
	b.raw = raw;
	b.n = stories_scan(title, raw, STORIES_MAX_RAW);
	b.title_case = stories_is_title_case(raw, b.n);
	for (i = 0; i < b.n; i++)
		if (raw[i].cls == SC_HANGUL)
			ti->korean = true;
	for (i = 0; i < b.n; i += k) {
		if (raw[i].flags & STORIES_RAW_CLAUSE) {
			b.comparing = false;
			b.phrase_from = ti->nseq;
		}
		b.adjacent = ti->nseq > 0 && i == b.next_raw &&
		             !(raw[i].flags & STORIES_RAW_CLAUSE);
		before = ti->nseq;
		k = 0;
		ending = STORIES_END_NONE;
		if (raw[i].cls == SC_DIGIT)
			k = stories_take_figure(&b, i);
		if (!k) {
			k = stories_lexicon_match(lx, raw, b.n, i, &e, &ending);
			if (k)
				stories_take_entry(&b, e, ending);
		}
		if (!k) {
			stories_take_word(&b, i);
			k = 1;
		}
		/* a particle ends a phrase: 카카오톡에 챗GPT are two names */
		if (ti->nseq > before)
			b.next_raw =
			        ending == STORIES_END_NONE ? i + k : SIZE_MAX;
	}
	stories_title_finish(ti);
}
