#include "fetch/charset.h"

#include <errno.h>
#include <iconv.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <string.h>

#include "common/ascii.h"
#include "common/utf8.h"
#include "fetch/charset_impl.h"

/* How far into the document the XML declaration's encoding is looked for. */
#define CHARSET_DECL_MAX 512
/* Bytes iconv writes per call before the output is cleaned and appended. */
#define CHARSET_CHUNK 8192

static const char utf8_replacement[] = "\xEF\xBF\xBD";

enum decoder {
	DEC_UTF8,  /* validated; invalid bytes become U+FFFD */
	DEC_ASCII, /* UTF-8 when the bytes are valid UTF-8, else windows-1252 */
	DEC_CP1252, /* WHATWG windows-1252, decoded here */
	DEC_ICONV   /* iconv with the table's name, or the label itself */
};

/* Labels real documents and servers use, mapped to a decoder. Labels are
 * compared ignoring case, '-' and '_'. ascii_identity: bytes below 0x80 are
 * ASCII, so a pure ASCII document needs no conversion. */
static const struct label {
	const char *label;
	enum decoder dec;
	const char *iconv_name;
	const char *fallback; /* tried on a sequence iconv_name rejects */
	bool ascii_identity;
} labels[] = {
        {"utf-8", DEC_UTF8, NULL, NULL, true},
        {"unicode-1-1-utf-8", DEC_UTF8, NULL, NULL, true},
        {"x-unicode20utf8", DEC_UTF8, NULL, NULL, true},
        {"us-ascii", DEC_ASCII, NULL, NULL, true},
        {"ascii", DEC_ASCII, NULL, NULL, true},
        {"ansi_x3.4-1968", DEC_ASCII, NULL, NULL, true},
        {"iso646-us", DEC_ASCII, NULL, NULL, true},
        {"csascii", DEC_ASCII, NULL, NULL, true},
        {"iso-8859-1", DEC_CP1252, NULL, NULL, true},
        {"iso_8859-1:1987", DEC_CP1252, NULL, NULL, true},
        {"latin1", DEC_CP1252, NULL, NULL, true},
        {"l1", DEC_CP1252, NULL, NULL, true},
        {"cp819", DEC_CP1252, NULL, NULL, true},
        {"ibm819", DEC_CP1252, NULL, NULL, true},
        {"csisolatin1", DEC_CP1252, NULL, NULL, true},
        {"iso-ir-100", DEC_CP1252, NULL, NULL, true},
        {"windows-1252", DEC_CP1252, NULL, NULL, true},
        {"cp1252", DEC_CP1252, NULL, NULL, true},
        {"x-cp1252", DEC_CP1252, NULL, NULL, true},
        {"euc-kr", DEC_ICONV, "CP949", NULL, true},
        {"ks_c_5601-1987", DEC_ICONV, "CP949", NULL, true},
        {"ks_c_5601-1989", DEC_ICONV, "CP949", NULL, true},
        {"ksc5601", DEC_ICONV, "CP949", NULL, true},
        {"cseuckr", DEC_ICONV, "CP949", NULL, true},
        {"csksc56011987", DEC_ICONV, "CP949", NULL, true},
        {"iso-ir-149", DEC_ICONV, "CP949", NULL, true},
        {"korean", DEC_ICONV, "CP949", NULL, true},
        {"cp949", DEC_ICONV, "CP949", NULL, true},
        {"uhc", DEC_ICONV, "CP949", NULL, true},
        {"windows-949", DEC_ICONV, "CP949", NULL, true},
        {"gb2312", DEC_ICONV, "GB18030", NULL, true},
        {"gb_2312-80", DEC_ICONV, "GB18030", NULL, true},
        {"csgb2312", DEC_ICONV, "GB18030", NULL, true},
        {"iso-ir-58", DEC_ICONV, "GB18030", NULL, true},
        {"euc-cn", DEC_ICONV, "GB18030", NULL, true},
        {"chinese", DEC_ICONV, "GB18030", NULL, true},
        {"gbk", DEC_ICONV, "GB18030", NULL, true},
        {"x-gbk", DEC_ICONV, "GB18030", NULL, true},
        {"cp936", DEC_ICONV, "GB18030", NULL, true},
        {"windows-936", DEC_ICONV, "GB18030", NULL, true},
        {"gb18030", DEC_ICONV, "GB18030", NULL, true},
        /* WHATWG big5 is cp950 plus the HKSCS extension rows. */
        {"big5", DEC_ICONV, "CP950", "BIG5-HKSCS", true},
        {"big5-hkscs", DEC_ICONV, "CP950", "BIG5-HKSCS", true},
        {"cn-big5", DEC_ICONV, "CP950", "BIG5-HKSCS", true},
        {"csbig5", DEC_ICONV, "CP950", "BIG5-HKSCS", true},
        {"x-x-big5", DEC_ICONV, "CP950", "BIG5-HKSCS", true},
        {"cp950", DEC_ICONV, "CP950", "BIG5-HKSCS", true},
        {"shift_jis", DEC_ICONV, "CP932", NULL, true},
        {"sjis", DEC_ICONV, "CP932", NULL, true},
        {"x-sjis", DEC_ICONV, "CP932", NULL, true},
        {"ms_kanji", DEC_ICONV, "CP932", NULL, true},
        {"csshiftjis", DEC_ICONV, "CP932", NULL, true},
        {"windows-31j", DEC_ICONV, "CP932", NULL, true},
        {"cp932", DEC_ICONV, "CP932", NULL, true},
        {"x-euc-jp", DEC_ICONV, "EUC-JP", NULL, true},
        {"iso-8859-9", DEC_ICONV, "WINDOWS-1254", NULL, true},
        {"latin5", DEC_ICONV, "WINDOWS-1254", NULL, true},
        {"iso-8859-11", DEC_ICONV, "WINDOWS-874", NULL, true},
        {"tis-620", DEC_ICONV, "WINDOWS-874", NULL, true},
        {"x-mac-roman", DEC_ICONV, "MACINTOSH", NULL, true},
        {"cp037", DEC_ICONV, "IBM037", NULL, false},
        /* UTF-16/32 without endianness: a BOM or pattern was looked for
         * first; without one, little-endian as browsers assume. */
        {"utf-16", DEC_ICONV, "UTF-16LE", NULL, false},
        {"u16", DEC_ICONV, "UTF-16LE", NULL, false},
        {"ucs-2", DEC_ICONV, "UTF-16LE", NULL, false},
        {"iso-10646-ucs-2", DEC_ICONV, "UTF-16LE", NULL, false},
        {"csunicode", DEC_ICONV, "UTF-16LE", NULL, false},
        {"unicode", DEC_ICONV, "UTF-16LE", NULL, false},
        {"utf-16le", DEC_ICONV, "UTF-16LE", NULL, false},
        {"utf-16be", DEC_ICONV, "UTF-16BE", NULL, false},
        {"utf-32", DEC_ICONV, "UTF-32LE", NULL, false},
        {"u32", DEC_ICONV, "UTF-32LE", NULL, false},
        {"ucs-4", DEC_ICONV, "UTF-32LE", NULL, false},
        {"iso-10646-ucs-4", DEC_ICONV, "UTF-32LE", NULL, false},
        {"csucs4", DEC_ICONV, "UTF-32LE", NULL, false},
        {"utf-32le", DEC_ICONV, "UTF-32LE", NULL, false},
        {"utf-32be", DEC_ICONV, "UTF-32BE", NULL, false},
};

/* Byte order marks and, without one, the first bytes of "<?" (any '<'
 * for UTF-16/32) as the XML specification's appendix F lists them. rule
 * says, per byte needed: '=' equal to bytes[i], '*' any non-zero byte.
 * Longer marks come first: FF FE 00 00 is UTF-32LE, not UTF-16LE. */
static const struct sniff {
	unsigned char bytes[4];
	const char *rule;
	size_t bom_len;
	const char *name;
	const char *source;
} sniffs[] = {
        {{0x00, 0x00, 0xFE, 0xFF}, "====", 4, "utf-32be", "bom"},
        {{0xFF, 0xFE, 0x00, 0x00}, "====", 4, "utf-32le", "bom"},
        {{0xEF, 0xBB, 0xBF}, "===", 3, "utf-8", "bom"},
        {{0xFE, 0xFF}, "==", 2, "utf-16be", "bom"},
        {{0xFF, 0xFE}, "==", 2, "utf-16le", "bom"},
        {{0x00, 0x00, 0x00, 0x3C}, "====", 0, "utf-32be", "sniff"},
        {{0x3C, 0x00, 0x00, 0x00}, "====", 0, "utf-32le", "sniff"},
        {{0x00, 0x3C, 0x00}, "===*", 0, "utf-16be", "sniff"},
        {{0x3C, 0x00, 0x00, 0x00}, "==*=", 0, "utf-16le", "sniff"},
        {{0x4C, 0x6F, 0xA7, 0x94}, "====", 0, "cp037", "sniff"},
};

/* The XML 1.0 Char production, for the bytes below 0x80. */
static bool is_xml_char_byte(unsigned char c)
{
	return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
}

static const struct sniff *sniff_bytes(const char *data, size_t n)
{
	const unsigned char *u = (const unsigned char *)data;
	const struct sniff *s;
	size_t i, k;

	for (i = 0; i < sizeof sniffs / sizeof sniffs[0]; i++) {
		s = &sniffs[i];
		for (k = 0; s->rule[k] && k < n; k++) {
			if (s->rule[k] == '=' ? u[k] != s->bytes[k] : u[k] == 0)
				break;
		}
		if (!s->rule[k])
			return s;
	}
	return NULL;
}

/* Compare two labels ignoring case, '-' and '_' ("UTF_16" = "utf16"). */
static bool label_equal(const char *a, const char *b)
{
	for (;;) {
		while (*a == '-' || *a == '_')
			a++;
		while (*b == '-' || *b == '_')
			b++;
		if (ascii_tolower((unsigned char)*a) !=
		    ascii_tolower((unsigned char)*b))
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

static const struct label *label_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (label_equal(labels[i].label, name))
			return &labels[i];
	return NULL;
}

/* Code unit size of a table label's encoding: 2 or 4 for UTF-16/32. */
static size_t label_unit(const struct label *l)
{
	if (!l || !l->iconv_name || strncmp(l->iconv_name, "UTF-", 4) != 0)
		return 1;
	return l->iconv_name[4] == '1' ? 2 : 4;
}

static bool name_char_ok(unsigned char c)
{
	return ascii_isalnum(c) || (c && strchr("-_.:+()", c));
}

/* Store s[0..n) lower-cased as an encoding name, gb2312 as gb18030 (its
 * superset, as feedparser does). Returns false, storing nothing, when it
 * is empty, too long or has characters no encoding name has. */
static bool name_store(char *dst, const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= CHARSET_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!name_char_ok((unsigned char)s[i]))
			return false;
	for (i = 0; i < n; i++)
		dst[i] = (char)ascii_tolower((unsigned char)s[i]);
	dst[n] = '\0';
	if (strcmp(dst, "gb2312") == 0)
		memcpy(dst, "gb18030", sizeof "gb18030");
	return true;
}

/* The encoding declared by <?xml ... encoding="..."?> at the start of an
 * ASCII-compatible document, stored in name; false when there is none. */
static bool xml_decl_encoding(const char *data, size_t n, char *name)
{
	static const char key[] = "encoding";
	size_t i = 0, end, start;
	char quote;

	if (n > CHARSET_DECL_MAX)
		n = CHARSET_DECL_MAX;
	while (i < n && ascii_isxmlspace((unsigned char)data[i]))
		i++;
	if (n - i < 6 || memcmp(data + i, "<?xml", 5) != 0 ||
	    !ascii_isxmlspace((unsigned char)data[i + 5]))
		return false;
	for (end = i; end + 1 < n; end++)
		if (data[end] == '?' && data[end + 1] == '>')
			break;
	for (i += 5; i + sizeof key - 1 <= end; i++) {
		if (memcmp(data + i, key, sizeof key - 1) == 0)
			break;
	}
	if (i + sizeof key - 1 > end)
		return false;
	i += sizeof key - 1;
	while (i < end && ascii_isxmlspace((unsigned char)data[i]))
		i++;
	if (i >= end || data[i++] != '=')
		return false;
	while (i < end && ascii_isxmlspace((unsigned char)data[i]))
		i++;
	if (i >= end || (data[i] != '"' && data[i] != '\''))
		return false;
	quote = data[i++];
	start = i;
	while (i < end && data[i] != quote)
		i++;
	if (i >= end)
		return false;
	return name_store(name, data + start, i - start);
}

/* The document's own view of its encoding: BOM, UTF-16/32 pattern, XML
 * declaration, else UTF-8. */
static void detect_from_document(const char *data, size_t n,
                                 struct charset_info *ci)
{
	const struct sniff *s = sniff_bytes(data, n);
	const struct label *l;

	if (s) {
		memcpy(ci->name, s->name, strlen(s->name) + 1);
		ci->source = s->source;
		return;
	}
	if (xml_decl_encoding(data, n, ci->name)) {
		/* "<?xml" was read as ASCII, so a UTF-16/32 name is wrong. */
		l = label_find(ci->name);
		if (label_unit(l) == 1) {
			ci->source = "xml";
			return;
		}
	}
	memcpy(ci->name, "utf-8", sizeof "utf-8");
	ci->source = "default";
}

enum media_kind { MEDIA_NONE, MEDIA_APP_XML, MEDIA_TEXT_XML, MEDIA_OTHER };

/* application/xml, application/xml-dtd, application/atom+xml, ... */
static bool subtype_is_xml(const char *sub, size_t n)
{
	return (n == 3 && memcmp(sub, "xml", 3) == 0) ||
	       (n > 4 && memcmp(sub, "xml-", 4) == 0) ||
	       (n > 4 && memcmp(sub + n - 4, "+xml", 4) == 0);
}

/* Split a Content-Type value into its kind and its charset parameter
 * (stored in charset, "" when absent or malformed). */
static enum media_kind parse_content_type(const char *ct, char *charset)
{
	char type[128];
	const char *p = ct, *end, *eq, *v, *ve;
	size_t i, n = 0;

	charset[0] = '\0';
	while (ascii_isxmlspace((unsigned char)*p))
		p++;
	while (p[n] && p[n] != ';')
		n++;
	while (n > 0 && ascii_isxmlspace((unsigned char)p[n - 1]))
		n--;
	if (n == 0)
		return MEDIA_NONE;
	if (n >= sizeof type)
		n = sizeof type - 1;
	for (i = 0; i < n; i++)
		type[i] = (char)ascii_tolower((unsigned char)p[i]);
	type[n] = '\0';
	for (p += strcspn(p, ";"); *p == ';'; p = end) {
		p++;
		end = p + strcspn(p, ";");
		eq = memchr(p, '=', (size_t)(end - p));
		if (!eq)
			continue;
		while (p < eq && ascii_isxmlspace((unsigned char)*p))
			p++;
		ve = eq;
		while (ve > p && ascii_isxmlspace((unsigned char)ve[-1]))
			ve--;
		if (ve - p != 7 || ascii_ncasecmp(p, "charset", 7) != 0)
			continue;
		v = eq + 1;
		ve = end;
		while (v < ve && (ascii_isxmlspace((unsigned char)*v) ||
		                  *v == '"' || *v == '\''))
			v++;
		while (ve > v && (ascii_isxmlspace((unsigned char)ve[-1]) ||
		                  ve[-1] == '"' || ve[-1] == '\''))
			ve--;
		if (!name_store(charset, v, (size_t)(ve - v)))
			charset[0] = '\0';
	}
	if (strncmp(type, "application/", 12) == 0 &&
	    subtype_is_xml(type + 12, strlen(type + 12)))
		return MEDIA_APP_XML;
	if (strncmp(type, "text/", 5) == 0 &&
	    subtype_is_xml(type + 5, strlen(type + 5)))
		return MEDIA_TEXT_XML;
	return MEDIA_OTHER;
}

void charset_detect(const char *data, size_t n, const char *content_type,
                    struct charset_info *ci)
{
	char charset[CHARSET_NAME_MAX];
	enum media_kind kind = MEDIA_NONE;

	if (!data)
		n = 0;
	ci->media_type_not_xml = false;
	if (content_type)
		kind = parse_content_type(content_type, charset);
	if (kind == MEDIA_NONE) {
		detect_from_document(data, n, ci);
		return;
	}
	ci->media_type_not_xml = kind == MEDIA_OTHER;
	if (charset[0]) {
		memcpy(ci->name, charset, sizeof charset);
		ci->source = "http";
	} else if (kind == MEDIA_TEXT_XML) {
		memcpy(ci->name, "us-ascii", sizeof "us-ascii");
		ci->source = "default";
	} else {
		detect_from_document(data, n, ci);
	}
}

/* Whether all eight bytes of w are in 0x20-0x7F (TAB, LF, CR are left to
 * the byte loop). */
#ifndef __SSE2__
static bool word_is_clean_ascii(uint64_t w)
{
	const uint64_t high = 0x8080808080808080u;
	const uint64_t spaces = 0x2020202020202020u;

	/* With every high bit clear, w - spaces sets the high bit of the
	 * lowest byte below 0x20 (and maybe of bytes above it). */
	return ((w | (w - spaces)) & high) == 0;
}
#endif

/* Length of a well-formed UTF-8 sequence of two to four bytes at s that
 * is an XML Char (not U+FFFE or U+FFFF), or 0. */
static size_t multibyte_clean_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len;

	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	if (len > 2 && (s[2] & 0xC0) != 0x80)
		return 0;
	if (len > 3 && (s[3] & 0xC0) != 0x80)
		return 0;
	if (c == 0xEF && s[1] == 0xBF && s[2] >= 0xBE)
		return 0;
	return len;
}

/* Length of the longest prefix of s[0..n) that is valid UTF-8 made of XML
 * Chars; with ascii_only, of XML Chars below 0x80. Eight bytes at a time
 * while they are plain ASCII: this is the hot path for large feeds. */
#ifdef __SSE2__
/* Bytes at the start of s[0..n) that are printable ASCII or TAB, LF, CR,
 * sixteen at a time (SSE2 is part of every x86-64). */
static size_t clean_ascii_run(const unsigned char *s, size_t n)
{
	const __m128i space = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t');
	const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	size_t i = 0;

	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		/* signed compare: bytes >= 0x80 are negative, so "< 0x20" */
		__m128i bad = _mm_cmplt_epi8(v, space);
		__m128i ok = _mm_or_si128(_mm_cmpeq_epi8(v, tab),
		                          _mm_or_si128(_mm_cmpeq_epi8(v, lf),
		                                       _mm_cmpeq_epi8(v, cr)));
		int mask = _mm_movemask_epi8(_mm_andnot_si128(ok, bad));

		if (mask)
			return i + (size_t)__builtin_ctz((unsigned)mask);
	}
	return i;
}
#else
static size_t clean_ascii_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint64_t w;

	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		if (!word_is_clean_ascii(w))
			break;
	}
	return i;
}
#endif

/* Bytes at the start of s[0..n) that are three-byte characters led by
 * E1-EC, EE, or ED below the surrogates: most of CJK, all of Hangul, each
 * checked in a few operations (multibyte_clean_len takes the rest). */
static size_t clean_three_byte_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	unsigned char c;

	for (; n - i >= 3; i += 3) {
		c = s[i];
		if (c < 0xE1 || c > 0xEE || c == 0xEF ||
		    (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
		    (c == 0xED && s[i + 1] > 0x9F))
			break;
	}
	return i;
}

static size_t clean_prefix(const char *s, size_t n, bool ascii_only)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, blocks_at = 0;

	while (i < n) {
		/* blocks of sixteen where they are clean; at one that is not,
		 * a stretch of characters one at a time */
		if (!ascii_only && i >= blocks_at) {
			i += charset_clean_blocks(u + i, n - i);
			blocks_at = i + 64;
			if (i == n)
				break;
		}
		i += clean_ascii_run(u + i, n - i);
		if (i == n)
			break;
		if (u[i] < 0x80) {
			if (!is_xml_char_byte(u[i]))
				break;
			i++;
			continue;
		}
		if (ascii_only)
			break;
		k = clean_three_byte_run(u + i, n - i);
		if (!k)
			k = multibyte_clean_len(u + i, n - i);
		if (!k)
			break;
		i += k;
	}
	return i;
}

/* Append UTF-8 s[0..n) to out, invalid bytes as U+FFFD and characters that
 * are not XML Chars removed, counting both in *replaced. */
static int append_clean_utf8(struct buf *out, const char *s, size_t n,
                             long *replaced)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = clean_prefix(s + i, n - i, false);
		if (buf_append(out, s + i, k))
			return CHARSET_ERR_CAP;
		i += k;
		if (i == n)
			break;
		/* Either an invalid byte, replaced, or a character XML forbids,
		 * removed. A valid U+FFFD would have been in the clean prefix.
		 */
		k = utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_REPLACEMENT && k == 1) {
			if (buf_append(out, utf8_replacement, 3))
				return CHARSET_ERR_CAP;
		}
		(*replaced)++;
		i += k;
	}
	return CHARSET_OK;
}

/* WHATWG windows-1252 for 0x80-0x9F; the other bytes are Latin-1. */
static const uint16_t cp1252_c1[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static int append_cp1252(struct buf *out, const char *s, size_t n,
                         long *replaced)
{
	size_t i = 0, k;
	unsigned char c;
	uint32_t cp;
	char enc[4];

	while (i < n) {
		k = clean_prefix(s + i, n - i, true);
		if (buf_append(out, s + i, k))
			return CHARSET_ERR_CAP;
		i += k;
		if (i == n)
			break;
		c = (unsigned char)s[i++];
		if (c < 0x80) {
			(*replaced)++; /* a control XML forbids */
			continue;
		}
		cp = c < 0xA0 ? cp1252_c1[c - 0x80] : c;
		if (buf_append(out, enc, utf8_encode(cp, enc)))
			return CHARSET_ERR_CAP;
	}
	return CHARSET_OK;
}

/* Retry the two bytes at *in, which the main converter rejected, with the
 * fallback converter; on success append them and step past. */
static bool try_fallback(iconv_t fb, char **in, size_t *left, struct buf *out,
                         long *replaced, int *err)
{
	char chunk[64], *ip = *in, *op = chunk;
	size_t ilen = 2, olen = sizeof chunk;

	if (*left < 2)
		return false;
	iconv(fb, NULL, NULL, NULL, NULL);
	if (iconv(fb, &ip, &ilen, &op, &olen) == (size_t)-1 || ilen != 0)
		return false;
	*err = append_clean_utf8(out, chunk, (size_t)(op - chunk), replaced);
	*in += 2;
	*left -= 2;
	return true;
}

/* Convert s[0..n) with cd (and fb, when not (iconv_t)-1, for what cd
 * rejects). An invalid sequence becomes U+FFFD and skips one code unit of
 * unit bytes; a truncated one at the end, U+FFFD. Every step consumes
 * input or produces output, so the loop ends. */
static int append_iconv(struct buf *out, const char *s, size_t n, iconv_t cd,
                        iconv_t fb, size_t unit, long *replaced)
{
	char chunk[CHARSET_CHUNK], *ip = (char *)s, *op;
	size_t left = n, olen, r, produced, skip;
	int err = CHARSET_OK, e;

	while (left > 0) {
		op = chunk;
		olen = sizeof chunk;
		r = iconv(cd, &ip, &left, &op, &olen);
		e = errno;
		produced = (size_t)(op - chunk);
		err = append_clean_utf8(out, chunk, produced, replaced);
		if (err || r != (size_t)-1)
			break;
		if (e == E2BIG && produced > 0)
			continue;
		if (e == EILSEQ && fb != (iconv_t)-1 &&
		    try_fallback(fb, &ip, &left, out, replaced, &err)) {
			if (err)
				break;
			continue;
		}
		if (buf_append(out, utf8_replacement, 3))
			return CHARSET_ERR_CAP;
		(*replaced)++;
		if (e == EINVAL)
			break; /* truncated at the end */
		skip = left < unit ? left : unit;
		ip += skip;
		left -= skip;
	}
	if (!err) {
		/* A stateful encoding may still owe its last character. */
		op = chunk;
		olen = sizeof chunk;
		if (iconv(cd, NULL, NULL, &op, &olen) != (size_t)-1)
			err = append_clean_utf8(out, chunk,
			                        (size_t)(op - chunk), replaced);
	}
	return err;
}

/* Whether name may be handed to iconv_open: no "//" suffixes or paths. */
static bool iconv_name_ok(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if (!name_char_ok((unsigned char)name[i]))
			return false;
	return i > 0 && i < CHARSET_NAME_MAX;
}

/* Convert with iconv; when iconv does not know the encoding, decode as
 * UTF-8 and set *unknown. */
static int convert_iconv(const char *data, size_t n, const char *from,
                         const struct label *l, struct buf *out, long *replaced,
                         bool *unknown)
{
	iconv_t cd, fb = (iconv_t)-1;
	int err;

	cd = iconv_name_ok(from) ? iconv_open("UTF-8", from) : (iconv_t)-1;
	if (cd == (iconv_t)-1) {
		*unknown = true;
		return append_clean_utf8(out, data, n, replaced);
	}
	if (l && l->fallback)
		fb = iconv_open("UTF-8", l->fallback);
	err = append_iconv(out, data, n, cd, fb, label_unit(l), replaced);
	if (fb != (iconv_t)-1)
		iconv_close(fb);
	iconv_close(cd);
	return err;
}

int charset_to_utf8(const char *data, size_t n, const char *encoding,
                    struct buf *out, const char **text, size_t *text_len,
                    long *replaced)
{
	const struct sniff *s;
	const struct label *l;
	const char *from;
	enum decoder dec;
	long dummy;
	bool unknown = false, ascii_only;
	size_t done = 0;
	int err;

	if (!replaced)
		replaced = &dummy;
	*replaced = 0;
	if (!data || n == 0) {
		data = "";
		n = 0;
	}
	buf_reset(out);
	from = encoding && *encoding ? encoding : "utf-8";
	/* A BOM or a UTF-16/32 pattern in the bytes beats any label. */
	s = sniff_bytes(data, n);
	if (s) {
		from = s->name;
		data += s->bom_len;
		n -= s->bom_len;
	}
	l = label_find(from);
	dec = l ? l->dec : DEC_ICONV;

	/* The fast path: clean input is handed back as it is. */
	if (dec == DEC_UTF8 || dec == DEC_ASCII || (l && l->ascii_identity)) {
		ascii_only = dec != DEC_UTF8 && dec != DEC_ASCII;
		done = clean_prefix(data, n, ascii_only);
		if (done == n) {
			*text = data;
			*text_len = n;
			return CHARSET_OK;
		}
		if (dec == DEC_ASCII) {
			/* us-ascii documents are UTF-8 in practice. */
			if (utf8_valid_prefix(data + done, n - done) ==
			    n - done)
				dec = DEC_UTF8;
			else
				dec = DEC_CP1252;
		}
		/* The clean prefix reads the same in this encoding. */
		if (dec == DEC_CP1252 && !ascii_only)
			done = clean_prefix(data, done, true);
		if (buf_append(out, data, done))
			goto cap;
		data += done;
		n -= done;
	}
	switch (dec) {
	case DEC_UTF8:
	case DEC_ASCII:
		err = append_clean_utf8(out, data, n, replaced);
		break;
	case DEC_CP1252:
		err = append_cp1252(out, data, n, replaced);
		break;
	default:
		err = convert_iconv(data, n, l ? l->iconv_name : from, l, out,
		                    replaced, &unknown);
		break;
	}
	if (err)
		goto cap;
	*text = buf_cstr(out);
	*text_len = out->len;
	return unknown ? CHARSET_UNKNOWN : CHARSET_OK;
cap:
	*text = NULL;
	*text_len = 0;
	return CHARSET_ERR_CAP;
}

bool charset_reads_as_utf8(const char *data, size_t n, const char *encoding,
                           size_t *bom)
{
	const struct sniff *s = sniff_bytes(data, n);
	const struct label *l;

	*bom = 0;
	if (s) {
		encoding = s->name;
		*bom = s->bom_len;
	}
	l = label_find(encoding && *encoding ? encoding : "utf-8");
	return l && l->dec == DEC_UTF8;
}

/* The second byte a lead byte c (0xC2-0xF4) allows. */
static bool second_byte_ok(unsigned char c, unsigned char b)
{
	unsigned char lo = 0x80, hi = 0xBF;

	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	return b >= lo && b <= hi;
}

/* Bytes at the end of s[0..n) that begin a valid character but are too
 * few for it: what the next piece may complete. 0 when there are none. */
static size_t utf8_cut_tail(const unsigned char *s, size_t n)
{
	size_t k, need;
	unsigned char c;

	for (k = 1; k <= 3 && k <= n; k++) {
		c = s[n - k];
		if ((c & 0xC0) == 0x80)
			continue;
		if (c < 0xC2 || c > 0xF4)
			return 0;
		need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (k >= need || (k >= 2 && !second_byte_ok(c, s[n - k + 1])))
			return 0;
		return k;
	}
	return 0;
}

/* append_clean_utf8 into emit, until at least stop bytes are done;
 * returns the bytes done. */
static size_t clean_emit(struct charset_utf8_stream *u, const char *s, size_t n,
                         size_t stop, charset_emit_fn emit, void *ctx)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n && i < stop) {
		k = clean_prefix(s + i, n - i, false);
		if (k)
			emit(ctx, s + i, k);
		i += k;
		if (i >= n || i >= stop)
			break;
		k = utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_REPLACEMENT && k == 1)
			emit(ctx, utf8_replacement, 3);
		u->replaced++;
		i += k;
	}
	return i;
}

void charset_utf8_push(struct charset_utf8_stream *u, const char *s, size_t n,
                       bool last, charset_emit_fn emit, void *ctx)
{
	char tmp[8];
	size_t len, take, done, tail;

	if (u->npending) {
		/* the cut character, with what this piece adds to it */
		take = n < 4 - u->npending ? n : 4 - u->npending;
		memcpy(tmp, u->pending, u->npending);
		memcpy(tmp + u->npending, s, take);
		len = u->npending + take;
		if (!last && utf8_cut_tail((unsigned char *)tmp, len) == len) {
			memcpy(u->pending, tmp, len);
			u->npending = len;
			return;
		}
		done = clean_emit(u, tmp, len, u->npending, emit, ctx);
		s += done - u->npending;
		n -= done - u->npending;
		u->npending = 0;
	}
	tail = last ? 0 : utf8_cut_tail((const unsigned char *)s, n);
	clean_emit(u, s, n - tail, SIZE_MAX, emit, ctx);
	memcpy(u->pending, s + n - tail, tail);
	u->npending = tail;
}
