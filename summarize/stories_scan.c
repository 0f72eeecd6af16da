#include "summarize/stories_impl.h"

#include <string.h>
#include <strings.h>

#include "common/utf8.h"

/* The scanner: a title's words as written (stories_scan), and the hash
 * every token is known by. */
/* Korean particles and endings that close a noun (구글은, 엔비디아의,
 * 오픈소스로), longest first where one ends another. */
static const struct {
	const char *s;
	bool comparative;
} stories_particles[] = {
        {"에서도", false}, {"으로도", false}, {"으로는", false},
        {"에서는", false}, {"보다", true},    {"에서", false},
        {"에게", false},   {"까지", false},   {"부터", false},
        {"처럼", false},   {"과의", false},   {"와의", false},
        {"으로", false},   {"에도", false},   {"로도", false},
        {"과도", false},   {"와도", false},   {"이다", false},
        {"이며", false},   {"이자", false},   {"만의", false},
        {"이랑", false},   {"은", false},     {"는", false},
        {"이", false},     {"가", false},     {"을", false},
        {"를", false},     {"의", false},     {"에", false},
        {"와", false},     {"과", false},     {"도", false},
        {"로", false},     {"들", false},     {"측", false},
        {"발", false},     {"표", false},     {"랑", false},
};

static uint64_t stories_fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* A bit mixer (the SplitMix64 finalizer): FNV-1a's high bits barely
 * depend on a short string's last bytes, and SimHash uses every bit. */
uint64_t stories_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

uint64_t stories_word_hash(const char *p, size_t n)
{
	return stories_mix(stories_fnv1a(p, n));
}

static bool stories_is_hangul(uint32_t cp)
{
	return (cp >= 0xAC00 && cp <= 0xD7A3) ||
	       (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F);
}

static bool stories_is_cjk(uint32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/* Punctuation, symbols, spaces and emoji outside ASCII: word breaks. */
static bool stories_is_break(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x2000 && cp <= 0x2BFF) ||
	       (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFE00 && cp <= 0xFE6F) ||
	       (cp >= 0xFF00 && cp <= 0xFF0F) ||
	       (cp >= 0xFF1A && cp <= 0xFF20) ||
	       (cp >= 0xFF3B && cp <= 0xFF40) ||
	       (cp >= 0xFF5B && cp <= 0xFF65) ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == UTF8_REPLACEMENT;
}

/* Punctuation that ends a phrase: a comparison's scope stops there. */
static bool stories_is_clause(uint32_t cp)
{
	static const uint32_t clause[] = {
	        ',',    ';',    ':',    '|',    '(',    ')',    '[',
	        ']',    '!',    '?',    '"',    '\'',   0x2018, 0x2019,
	        0x201C, 0x201D, 0x2026, 0x2014, 0x2013, 0x300C, 0x300D,
	        0x300E, 0x300F, 0x3008, 0x3009, 0x300A, 0x300B, 0xFF0C,
	};
	size_t i;

	for (i = 0; i < sizeof clause / sizeof clause[0]; i++)
		if (clause[i] == cp)
			return true;
	return false;
}

static enum stories_class stories_classify(uint32_t cp)
{
	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
			return SC_WORD;
		if (cp >= '0' && cp <= '9')
			return SC_DIGIT;
		return SC_SPACE;
	}
	if (stories_is_hangul(cp))
		return SC_HANGUL;
	if (stories_is_cjk(cp))
		return SC_CJK;
	if (stories_is_break(cp))
		return SC_SPACE;
	return SC_WORD;
}

/* Fullwidth ASCII (Ａ, ０) as ASCII; case is kept here. */
static uint32_t stories_unwide(uint32_t cp)
{
	if (cp >= 0xFF10 && cp <= 0xFF5A &&
	    stories_classify(cp - 0xFEE0) != SC_SPACE)
		cp -= 0xFEE0;
	return cp;
}

/* The scanner over one title. */
struct stories_scanner {
	const char *s;
	size_t len, pos;
	struct stories_raw *raw;
	size_t n, max;
	struct stories_raw t; /* the word being read */
	uint8_t pending;      /* flags for the next word */
	size_t upper, letters;
	bool last_lower;
};

static uint32_t stories_peek(const struct stories_scanner *sc, size_t at,
                             size_t *bytes)
{
	uint32_t cp;

	if (at >= sc->len) {
		*bytes = 0;
		return 0;
	}
	*bytes = utf8_decode(sc->s + at, sc->len - at, &cp);
	return stories_unwide(cp);
}

/* Whether a URL starts at pos ("http://", "https://"): tweets carry them
 * in their text, and they are noise to a title. */
static bool stories_at_url(const struct stories_scanner *sc, size_t pos)
{
	const char *p = sc->s + pos;
	size_t left = sc->len - pos;

	return (left >= 7 && strncasecmp(p, "http://", 7) == 0) ||
	       (left >= 8 && strncasecmp(p, "https://", 8) == 0);
}

static void stories_scan_end(struct stories_scanner *sc)
{
	struct stories_raw *t = &sc->t;

	if (t->len > 0 && sc->n < sc->max) {
		if (sc->letters >= 2 && sc->upper == sc->letters)
			t->flags |= STORIES_RAW_CAPS;
		t->text[t->len] = '\0';
		sc->raw[sc->n++] = *t;
	}
	t->len = t->chars = 0;
	t->flags = 0;
	t->cls = SC_SPACE;
	sc->upper = sc->letters = 0;
	sc->last_lower = false;
}

/* Append code point cp (as written: case is folded here) to the word. */
static void stories_scan_put(struct stories_scanner *sc, uint32_t cp)
{
	struct stories_raw *t = &sc->t;
	char enc[4];
	size_t n;
	bool up = cp >= 'A' && cp <= 'Z';

	if (t->len == 0) {
		t->flags = sc->pending;
		sc->pending = 0;
		if (up)
			t->flags |= STORIES_RAW_UPPER;
	} else if (up && sc->last_lower) {
		t->flags |= STORIES_RAW_INNER;
	}
	if (cp < 0x80 && stories_classify(cp) == SC_WORD) {
		sc->letters++;
		sc->upper += up;
		sc->last_lower = !up;
	}
	if (up)
		cp += 'a' - 'A';
	n = utf8_encode(cp, enc);
	if (t->len + n > STORIES_TOKEN_MAX)
		return;
	memcpy(t->text + t->len, enc, n);
	t->len += n;
	t->chars++;
}

/* A character that is not part of a word: a gap, maybe a phrase's end. */
static void stories_scan_gap(struct stories_scanner *sc, uint32_t cp,
                             uint32_t prev, uint32_t next)
{
	if (cp == '-' && (sc->pending & STORIES_RAW_GAP) == 0 &&
	    stories_classify(prev) == SC_WORD &&
	    stories_classify(next) == SC_WORD)
		sc->pending |= STORIES_RAW_HYPHEN;
	else
		sc->pending &= ~(unsigned)STORIES_RAW_HYPHEN;
	sc->pending |= STORIES_RAW_GAP;
	if (cp == '$' || cp == 0x20AC || cp == 0xA3 || cp == 0xA5 ||
	    cp == 0x20A9)
		sc->pending |= STORIES_RAW_MONEY;
	if (stories_is_clause(cp) ||
	    (cp == '-' && prev == ' ' && next == ' ') ||
	    (cp == '.' && (next == ' ' || next == 0)))
		sc->pending |= STORIES_RAW_CLAUSE;
}

/* The joins inside a word: the possessive 's goes; a dot or comma between
 * digits and a % after them stay. Returns the bytes taken, 0 for none. */
static size_t stories_scan_join(struct stories_scanner *sc, uint32_t cp,
                                size_t k)
{
	uint32_t next;
	size_t k2, k3;

	if ((cp == '\'' || cp == 0x2019) && sc->t.cls == SC_WORD) {
		next = stories_peek(sc, sc->pos + k, &k2);
		if ((next == 's' || next == 'S') &&
		    stories_classify(stories_peek(sc, sc->pos + k + k2, &k3)) ==
		            SC_SPACE)
			return k + k2;
	}
	if (sc->t.cls != SC_DIGIT)
		return 0;
	if (cp == '.' || cp == ',') {
		next = stories_peek(sc, sc->pos + k, &k2);
		if (next >= '0' && next <= '9') {
			stories_scan_put(sc, cp);
			return k;
		}
	}
	if (cp == '%') {
		stories_scan_put(sc, cp);
		return k;
	}
	return 0;
}

size_t stories_scan(const char *title, struct stories_raw *raw, size_t max)
{
	struct stories_scanner sc;
	enum stories_class cls;
	uint32_t cp, prev = ' ', next;
	size_t k, k2, j;

	memset(&sc, 0, sizeof sc);
	if (!title)
		return 0;
	sc.s = title;
	sc.len = strnlen(title, STORIES_TITLE_MAX);
	sc.raw = raw;
	sc.max = max;
	sc.pending = STORIES_RAW_GAP | STORIES_RAW_CLAUSE;
	while (sc.pos < sc.len) {
		if (sc.t.len == 0 && stories_at_url(&sc, sc.pos)) {
			while (sc.pos < sc.len &&
			       (unsigned char)sc.s[sc.pos] > ' ')
				sc.pos++;
			sc.pending |= STORIES_RAW_GAP;
			continue;
		}
		cp = stories_peek(&sc, sc.pos, &k);
		j = stories_scan_join(&sc, cp, k);
		if (j) {
			sc.pos += j;
			prev = cp;
			continue;
		}
		cls = stories_classify(cp);
		if (cls == SC_DIGIT && sc.t.cls == SC_WORD && sc.t.len == 1)
			sc.t.cls = SC_DIGIT; /* o1, r1, v6: one word */
		else if (cls == SC_WORD && sc.t.cls == SC_DIGIT && cp < 0x80)
			cls = SC_DIGIT; /* 4o, 405b, 3e: one word */
		if (cls != sc.t.cls || cls == SC_SPACE) {
			stories_scan_end(&sc);
			sc.t.cls = (uint8_t)cls;
		}
		if (cls == SC_SPACE) {
			next = stories_peek(&sc, sc.pos + k, &k2);
			stories_scan_gap(&sc, cp, prev, next);
		} else {
			stories_scan_put(&sc, cp);
		}
		prev = cp;
		sc.pos += k;
	}
	stories_scan_end(&sc);
	return sc.n;
}

size_t stories_particle_len(const char *p, size_t n, bool *comparative)
{
	size_t i, m, rest;

	*comparative = false;
	for (i = 0; i < sizeof stories_particles / sizeof stories_particles[0];
	     i++) {
		m = strlen(stories_particles[i].s);
		if (m >= n || memcmp(p + n - m, stories_particles[i].s, m) != 0)
			continue;
		rest = utf8_count(p, n - m);
		if (rest < 2)
			continue;
		*comparative = stories_particles[i].comparative;
		return m;
	}
	return 0;
}
