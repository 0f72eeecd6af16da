#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "fetch/charset.h"
#include "tests/fuzz/clean_ref.h"
#include "tests/check.h"
#include "tests/tests.h"

/* A byte string literal and its length, NULs included. */
#define BYTES(s) s, sizeof(s) - 1

#define DECL_ISO "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss/>"
#define DECL_NONE "<?xml version=\"1.0\"?><rss/>"

static const struct detect_case {
	const char *data;
	size_t n;
	const char *content_type;
	const char *name;
	const char *source;
	bool not_xml;
} detect_cases[] = {
        {BYTES(DECL_NONE), NULL, "utf-8", "default", false},
        {BYTES("<rss/>"), NULL, "utf-8", "default", false},
        {BYTES(""), NULL, "utf-8", "default", false},
        {BYTES(DECL_ISO), NULL, "iso-8859-1", "xml", false},
        {BYTES("<?xml version='1.0' encoding='GB2312'?>"), NULL, "gb18030",
         "xml", false},
        {BYTES("<?xml version=\"1.0\" encoding = \"EUC-KR\" ?>"), NULL,
         "euc-kr", "xml", false},
        {BYTES("\n <?xml version=\"1.0\" encoding=\"big5\"?>"), NULL, "big5",
         "xml", false},
        /* A name with characters no encoding has, or no closing quote. */
        {BYTES("<?xml version=\"1.0\" encoding=\"a/b\"?>"), NULL, "utf-8",
         "default", false},
        {BYTES("<?xml version=\"1.0\" encoding=\"euc-kr?>"), NULL, "utf-8",
         "default", false},
        /* "<?xml" read as ASCII: a UTF-16 declaration cannot be right. */
        {BYTES("<?xml version=\"1.0\" encoding=\"utf-16\"?>"), NULL, "utf-8",
         "default", false},
        /* Byte order marks beat the declaration. */
        {BYTES("\xEF\xBB\xBF" DECL_ISO), NULL, "utf-8", "bom", false},
        {BYTES("\xFE\xFF\x00<\x00?"), NULL, "utf-16be", "bom", false},
        {BYTES("\xFF\xFE<\x00?\x00"), NULL, "utf-16le", "bom", false},
        {BYTES("\x00\x00\xFE\xFF\x00\x00\x00<"), NULL, "utf-32be", "bom",
         false},
        {BYTES("\xFF\xFE\x00\x00<\x00\x00\x00"), NULL, "utf-32le", "bom",
         false},
        /* XML appendix F patterns without a BOM. */
        {BYTES("\x00<\x00?\x00x\x00m"), NULL, "utf-16be", "sniff", false},
        {BYTES("<\x00?\x00x\x00m\x00"), NULL, "utf-16le", "sniff", false},
        {BYTES("\x00\x00\x00<\x00\x00\x00?"), NULL, "utf-32be", "sniff", false},
        {BYTES("<\x00\x00\x00?\x00\x00\x00"), NULL, "utf-32le", "sniff", false},
        {BYTES("\x4C\x6F\xA7\x94"), NULL, "cp037", "sniff", false},
        /* application/ XML types: the charset wins, else the document. */
        {BYTES(DECL_ISO), "application/atom+xml; charset='us-ascii'",
         "us-ascii", "http", false},
        {BYTES(DECL_ISO), "application/rss+xml;charset= \"US-ASCII\"",
         "us-ascii", "http", false},
        {BYTES(DECL_ISO), "application/xml;charset = us-ascii", "us-ascii",
         "http", false},
        {BYTES(DECL_ISO), "application/rss+xml", "iso-8859-1", "xml", false},
        {BYTES(DECL_NONE), "application/xml-dtd", "utf-8", "default", false},
        {BYTES(DECL_NONE), "APPLICATION/ATOM+XML; CHARSET=\"GB2312\"",
         "gb18030", "http", false},
        {BYTES(DECL_ISO),
         "application/xml-external-parsed-entity;charset=us-ascii", "us-ascii",
         "http", false},
        {BYTES("\xFF\xFE<\x00"), "application/xml", "utf-16le", "bom", false},
        /* text/ XML types: the charset wins, else us-ascii. */
        {BYTES(DECL_ISO), "text/xml", "us-ascii", "default", false},
        {BYTES(DECL_ISO), "text/xml;", "us-ascii", "default", false},
        {BYTES(DECL_ISO), "text/xml; charset:iso-8859-1", "us-ascii", "default",
         false},
        {BYTES(DECL_ISO), "text/xml; qs=0.9", "us-ascii", "default", false},
        {BYTES(DECL_ISO), "text/xml; charset=", "us-ascii", "default", false},
        {BYTES(DECL_ISO), "text/atom+xml", "us-ascii", "default", false},
        {BYTES(DECL_ISO), "text/xml-external-parsed-entity", "us-ascii",
         "default", false},
        {BYTES(DECL_NONE), "text/xml; charset=windows-1252", "windows-1252",
         "http", false},
        {BYTES(DECL_NONE),
         "text/xml; charset=this-name-is-far-too-long-for-any-encoding",
         "us-ascii", "default", false},
        /* Other types: bozo; the charset wins, else the document. */
        {BYTES(DECL_ISO), "text/plain", "iso-8859-1", "xml", true},
        {BYTES(DECL_NONE), "text/plain; charset=utf-8", "utf-8", "http", true},
        {BYTES(DECL_NONE), "text/html; charset=EUC-KR", "euc-kr", "http", true},
        {BYTES(DECL_NONE), "application/json", "utf-8", "default", true},
        /* An empty header is no header. */
        {BYTES(DECL_ISO), "", "iso-8859-1", "xml", false},
        {BYTES(DECL_ISO), " ; charset=utf-8", "iso-8859-1", "xml", false},
};

static void test_detect_table(void)
{
	struct charset_info ci;
	size_t i;

	for (i = 0; i < sizeof detect_cases / sizeof detect_cases[0]; i++) {
		const struct detect_case *c = &detect_cases[i];

		charset_detect(c->data, c->n, c->content_type, &ci);
		if (!CHECK_STR(ci.name, c->name) ||
		    !CHECK_STR(ci.source, c->source) ||
		    !CHECK_INT(ci.media_type_not_xml, c->not_xml))
			fprintf(stderr, "    detect case %zu\n", i);
	}
	charset_detect(NULL, 0, NULL, &ci);
	CHECK_STR(ci.name, "utf-8");
}

static const struct convert_case {
	const char *data;
	size_t n;
	const char *encoding;
	const char *want;
	size_t want_len;
	int rc;
	long replaced;
} convert_cases[] = {
        /* EUC-KR, and Hangul only its superset cp949 has. */
        {BYTES("<t>\xB3\xE2</t>"), "euc-kr", BYTES("<t>\xEB\x85\x84</t>"),
         CHARSET_OK, 0},
        {BYTES("\x8C\x63"), "euc-kr", BYTES("\xEB\x98\xA0"), CHARSET_OK, 0},
        {BYTES("\x8C\x63"), "ks_c_5601-1987", BYTES("\xEB\x98\xA0"), CHARSET_OK,
         0},
        {BYTES("\xB3\xE2"), "UHC", BYTES("\xEB\x85\x84"), CHARSET_OK, 0},
        /* An invalid lead byte, a truncated character at the end. */
        {BYTES("\x80"
               "a"),
         "euc-kr",
         BYTES("\xEF\xBF\xBD"
               "a"),
         CHARSET_OK, 1},
        {BYTES("a\xB3"), "euc-kr", BYTES("a\xEF\xBF\xBD"), CHARSET_OK, 1},
        /* Controls are dropped on the iconv path too. */
        {BYTES("a\x01\xB3\xE2"), "euc-kr", BYTES("a\xEB\x85\x84"), CHARSET_OK,
         1},
        /* windows-1252, also for iso-8859-1 and latin1 (WHATWG). */
        {BYTES("\x93hi\x94"), "windows-1252",
         BYTES("\xE2\x80\x9Chi\xE2\x80\x9D"), CHARSET_OK, 0},
        {BYTES("\x93"
               "caf\xE9\x94"),
         "iso-8859-1",
         BYTES("\xE2\x80\x9C"
               "caf\xC3\xA9\xE2\x80\x9D"),
         CHARSET_OK, 0},
        {BYTES("\x80\x81\xFF"), "latin1", BYTES("\xE2\x82\xAC\xC2\x81\xC3\xBF"),
         CHARSET_OK, 0},
        {BYTES("a\x0B\xE9"), "iso-8859-1", BYTES("a\xC3\xA9"), CHARSET_OK, 1},
        /* us-ascii: UTF-8 when valid, else windows-1252. */
        {BYTES("caf\xC3\xA9"), "us-ascii", BYTES("caf\xC3\xA9"), CHARSET_OK, 0},
        {BYTES("caf\xC3\xA9\x0C"), "ascii", BYTES("caf\xC3\xA9"), CHARSET_OK,
         1},
        {BYTES("caf\xE9"), "us-ascii", BYTES("caf\xC3\xA9"), CHARSET_OK, 0},
        {BYTES("\xC3\xA9\x93"), "us-ascii",
         BYTES("\xC3\x83\xC2\xA9\xE2\x80\x9C"), CHARSET_OK, 0},
        /* GB2312 as GB18030, with a four-byte GB18030 sequence. */
        {BYTES("\xD6\xD0\xCE\xC4"), "gb2312", BYTES("\xE4\xB8\xAD\xE6\x96\x87"),
         CHARSET_OK, 0},
        {BYTES("\x94\x39\xFC\x36"), "gb18030", BYTES("\xF0\x9F\x98\x80"),
         CHARSET_OK, 0},
        {BYTES("\xD6\xD0"), "GBK", BYTES("\xE4\xB8\xAD"), CHARSET_OK, 0},
        /* Big5 as cp950, the HKSCS rows by the fallback. */
        {BYTES("\xA4\xA4\xA4\xE5"), "big5", BYTES("\xE4\xB8\xAD\xE6\x96\x87"),
         CHARSET_OK, 0},
        {BYTES("\xA1\x45\xA3\xE1"), "big5", BYTES("\xE2\x80\xA7\xE2\x82\xAC"),
         CHARSET_OK, 0},
        {BYTES("\x88\x40"
               "a"),
         "big5",
         BYTES("\xE3\x87\x80"
               "a"),
         CHARSET_OK, 0},
        {BYTES("\xFF"
               "a"),
         "big5",
         BYTES("\xEF\xBF\xBD"
               "a"),
         CHARSET_OK, 1},
        /* Shift_JIS as cp932. */
        {BYTES("\x93\xFA\x96\x7B"), "shift_jis",
         BYTES("\xE6\x97\xA5\xE6\x9C\xAC"), CHARSET_OK, 0},
        /* UTF-16 and UTF-32: BOM, pattern, label, errors. */
        {BYTES("\xFF\xFE<\x00"
               "a\x00>\x00"),
         "utf-16", BYTES("<a>"), CHARSET_OK, 0},
        {BYTES("\xFE\xFF\x00<\x00"
               "a\x00>"),
         "utf-16", BYTES("<a>"), CHARSET_OK, 0},
        {BYTES("\x00<\x00"
               "a\x00>"),
         "utf-16", BYTES("<a>"), CHARSET_OK, 0},
        {BYTES("\x00<\x00"
               "a\x00>"),
         "us-ascii", BYTES("<a>"), CHARSET_OK, 0},
        {BYTES("A\x00"
               "B\x00"),
         "utf-16", BYTES("AB"), CHARSET_OK, 0},
        {BYTES("\x00"
               "A\x00"
               "B"),
         "UTF-16BE", BYTES("AB"), CHARSET_OK, 0},
        {BYTES("\x3D\xD8\x00\xDE"), "utf-16le", BYTES("\xF0\x9F\x98\x80"),
         CHARSET_OK, 0},
        {BYTES("\x00\xD8"
               "A\x00"),
         "utf-16le",
         BYTES("\xEF\xBF\xBD"
               "A"),
         CHARSET_OK, 1},
        {BYTES("A\x00"
               "B"),
         "utf-16le", BYTES("A\xEF\xBF\xBD"), CHARSET_OK, 1},
        {BYTES("A\x00\x01\x00"
               "B\x00"),
         "utf-16le", BYTES("AB"), CHARSET_OK, 1},
        {BYTES("\xFF\xFE\x00\x00<\x00\x00\x00\x00\xF6\x01\x00"), "utf-8",
         BYTES("<\xF0\x9F\x98\x80"), CHARSET_OK, 0},
        {BYTES("\x00\x00\x00<\x00\x11\x00\x00"), "utf-32",
         BYTES("<\xEF\xBF\xBD"), CHARSET_OK, 1},
        /* UTF-8: invalid bytes as U+FFFD each, XML-forbidden chars dropped. */
        {BYTES("a\xFF"
               "b"),
         "utf-8",
         BYTES("a\xEF\xBF\xBD"
               "b"),
         CHARSET_OK, 1},
        {BYTES("a\xE3\x80"), "utf-8", BYTES("a\xEF\xBF\xBD\xEF\xBF\xBD"),
         CHARSET_OK, 2},
        {BYTES("\xC0\xAF\xED\xA0\x80"), "utf-8",
         BYTES("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"),
         CHARSET_OK, 5},
        {BYTES("a\x01"
               "b\x0C\tc\r\n\x00"),
         "utf-8", BYTES("ab\tc\r\n"), CHARSET_OK, 3},
        {BYTES("a\xEF\xBF\xBE"
               "b\xEF\xBF\xBF\xEF\xBF\xBD"),
         "utf-8", BYTES("ab\xEF\xBF\xBD"), CHARSET_OK, 2},
        {BYTES("0123456789abcdef\x1F"
               "0123456789abcdef"),
         NULL, BYTES("0123456789abcdef0123456789abcdef"), CHARSET_OK, 1},
        /* A BOM beats the label. */
        {BYTES("\xEF\xBB\xBF\xC3\xA9"), "iso-8859-1", BYTES("\xC3\xA9"),
         CHARSET_OK, 0},
        /* Other names go to iconv as they are, stateful ones included. */
        {BYTES("\xCF\xF0\xE8"), "windows-1251",
         BYTES("\xD0\x9F\xD1\x80\xD0\xB8"), CHARSET_OK, 0},
        {BYTES("\x1B$B$3\x1B(B!"), "iso-2022-jp", BYTES("\xE3\x81\x93!"),
         CHARSET_OK, 0},
        /* Unknown names are read as UTF-8; iconv suffixes are refused. */
        {BYTES("a\xFF"
               "b"),
         "x-no-such-charset",
         BYTES("a\xEF\xBF\xBD"
               "b"),
         CHARSET_UNKNOWN, 1},
        {BYTES("caf\xE9"), "latin1//TRANSLIT", BYTES("caf\xEF\xBF\xBD"),
         CHARSET_UNKNOWN, 1},
        {BYTES(""), "utf-16le", BYTES(""), CHARSET_OK, 0},
};

static void test_convert_table(void)
{
	struct buf out = BUF_INIT(0);
	const char *text;
	size_t i, len;
	long replaced;
	int rc;

	for (i = 0; i < sizeof convert_cases / sizeof convert_cases[0]; i++) {
		const struct convert_case *c = &convert_cases[i];
		bool ok;

		rc = charset_to_utf8(c->data, c->n, c->encoding, &out, &text,
		                     &len, &replaced);
		ok = CHECK_INT(rc, c->rc) && CHECK_INT(len, c->want_len) &&
		     CHECK(text && memcmp(text, c->want, len) == 0) &&
		     CHECK_INT(replaced, c->replaced);
		if (!ok)
			fprintf(stderr, "    convert case %zu (%s)\n", i,
			        c->encoding ? c->encoding : "NULL");
	}
	buf_free(&out);
}

/* Clean input comes back as a pointer into the input: no copy. */
static void test_no_copy(void)
{
	static const char utf8[] = "<t>\xEB\x85\x84 caf\xC3\xA9\r\n\t</t>";
	static const char bom[] = "\xEF\xBB\xBF<a/>";
	static const char ascii[] = "<?xml version=\"1.0\"?>\n<rss/>";
	struct buf out = BUF_INIT(0);
	const char *text;
	size_t len;
	long replaced;

	CHECK_INT(charset_to_utf8(utf8, sizeof utf8 - 1, "utf-8", &out, &text,
	                          &len, &replaced),
	          CHARSET_OK);
	CHECK(text == utf8 && len == sizeof utf8 - 1 && replaced == 0);
	CHECK_INT(charset_to_utf8(bom, sizeof bom - 1, NULL, &out, &text, &len,
	                          NULL),
	          CHARSET_OK);
	CHECK(text == bom + 3 && len == 4);
	CHECK_INT(charset_to_utf8(utf8, sizeof utf8 - 1, "us-ascii", &out,
	                          &text, &len, &replaced),
	          CHARSET_OK);
	CHECK(text == utf8);
	CHECK_INT(charset_to_utf8(ascii, sizeof ascii - 1, "euc-kr", &out,
	                          &text, &len, &replaced),
	          CHARSET_OK);
	CHECK(text == ascii && len == sizeof ascii - 1);
	CHECK_INT(charset_to_utf8(ascii, sizeof ascii - 1, "iso-8859-1", &out,
	                          &text, &len, &replaced),
	          CHARSET_OK);
	CHECK(text == ascii);
	/* ASCII bytes mean other things in UTF-16. */
	CHECK_INT(charset_to_utf8(ascii, 4, "utf-16le", &out, &text, &len,
	                          &replaced),
	          CHARSET_OK);
	CHECK(text != ascii && len == 6);
	CHECK_INT(
	        charset_to_utf8(NULL, 0, "utf-8", &out, &text, &len, &replaced),
	        CHARSET_OK);
	CHECK(text && len == 0);
	buf_free(&out);
}

/* out's cap stops every path; a flood of invalid bytes still ends. */
static void test_cap(void)
{
	static const char quotes[] = "\x93\x94\x93\x94\x93\x94\x93\x94";
	static const char hangul[] = "\xB3\xE2\xB3\xE2\xB3\xE2\xB3\xE2";
	static const char bad[] = "a\xFF\xFF\xFF\xFF\xFF\xFF\xFF";
	struct buf out = BUF_INIT(8);
	static char flood[100000];
	const char *text = "";
	size_t len = 1;
	long replaced;

	CHECK_INT(charset_to_utf8(quotes, sizeof quotes - 1, "windows-1252",
	                          &out, &text, &len, &replaced),
	          CHARSET_ERR_CAP);
	CHECK(text == NULL && len == 0);
	CHECK_INT(charset_to_utf8(hangul, sizeof hangul - 1, "euc-kr", &out,
	                          &text, &len, &replaced),
	          CHARSET_ERR_CAP);
	CHECK_INT(charset_to_utf8(bad, sizeof bad - 1, "utf-8", &out, &text,
	                          &len, &replaced),
	          CHARSET_ERR_CAP);
	CHECK_INT(charset_to_utf8(bad, sizeof bad - 1, "euc-kr", &out, &text,
	                          &len, &replaced),
	          CHARSET_ERR_CAP);
	/* Clean input needs no room in out at all. */
	CHECK_INT(charset_to_utf8(BYTES("0123456789abcdef"), "utf-8", &out,
	                          &text, &len, &replaced),
	          CHARSET_OK);
	buf_free(&out);

	memset(flood, 0xFF, sizeof flood);
	buf_init(&out, 0);
	CHECK_INT(charset_to_utf8(flood, sizeof flood, "euc-kr", &out, &text,
	                          &len, &replaced),
	          CHARSET_OK);
	CHECK(replaced == (long)sizeof flood && len == 3 * sizeof flood);
	CHECK_INT(charset_to_utf8(flood, sizeof flood, "utf-32le", &out, &text,
	                          &len, &replaced),
	          CHARSET_OK);
	CHECK_INT(replaced, sizeof flood / 4);
	buf_free(&out);
}

static bool contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, needle, k) == 0)
			return true;
	return false;
}

/* The real captures in fixtures/real, detected and converted. */
static void test_real_captures(const char *shared)
{
	static const struct {
		const char *file;
		const char *name;
		const char *source;
		const char *needle;
	} files[] = {
	        {"euckr_item_description.rss.xml", "euc-kr", "xml",
	         "\xEB\x85\x84"},
	        {"euckr_channel_title.rss.xml", "euc-kr", "xml",
	         "<title>\xEB\x85\x84"},
	        {"euckr_attribute_in_html.rss.xml", "euc-kr", "xml",
	         "\xEB\x85\x84"},
	        /* 投资资讯网交易在线 */
	        {"gb2312_baddate_kc0011.rss.xml", "gb18030", "xml",
	         "\xE6\x8A\x95\xE8\xB5\x84\xE8\xB5\x84\xE8\xAE\xAF\xE7\xBD"
	         "\x91\xE4\xBA\xA4\xE6\x98\x93\xE5\x9C\xA8\xE7\xBA\xBF"},
	        {"iso8859-1_inovacao.rss.xml", "iso-8859-1", "xml",
	         "Inova\xC3\xA7\xC3\xA3o Tecnol\xC3\xB3gica"},
	        {"bom_crlf_donthitsave.rss.xml", "utf-8", "bom",
	         "<?xml version=\"1.0\""},
	};
	struct buf data = BUF_INIT(0), out = BUF_INIT(0);
	struct charset_info ci;
	struct buf path = BUF_INIT(0);
	const char *text;
	size_t i, len;
	long replaced;
	int rc;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/fixtures/real/%s", shared, files[i].file);
		if (!CHECK(check_read_file(buf_cstr(&path), &data))) {
			fprintf(stderr, "    cannot read %s\n",
			        buf_cstr(&path));
			continue;
		}
		charset_detect(data.data, data.len, NULL, &ci);
		CHECK_STR(ci.name, files[i].name);
		CHECK_STR(ci.source, files[i].source);
		rc = charset_to_utf8(data.data, data.len, ci.name, &out, &text,
		                     &len, &replaced);
		if (!CHECK_INT(rc, CHARSET_OK) || !CHECK_INT(replaced, 0) ||
		    !CHECK(contains(text, len, files[i].needle)))
			fprintf(stderr, "    in %s\n", files[i].file);
		/* The BOM capture is clean: handed back without a copy. */
		if (strcmp(files[i].source, "bom") == 0)
			CHECK(text == data.data + 3);
	}
	buf_free(&path);
	buf_free(&data);
	buf_free(&out);
}

/* Compare encoding names as the corpus does: case-insensitive, without
 * '-' and '_'. */
static bool charset_name_equal(const char *a, const char *b)
{
	for (;;) {
		while (*a == '-' || *a == '_')
			a++;
		while (*b == '-' || *b == '_')
			b++;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

/* Copy the column starting at p, up to the next TAB or line end, into
 * dst of max bytes. */
static void tsv_field(const char *p, char *dst, size_t max)
{
	size_t n = 0;

	while (p[n] && p[n] != '\t' && p[n] != '\n' && n + 1 < max) {
		dst[n] = p[n];
		n++;
	}
	dst[n] = '\0';
}

/* One case: its .expect.tsv text in tsv, the document at xml_path.
 * Returns 1 when it has an encoding line (in *pass when it matched). */
static int corpus_case(const char *name, const char *tsv, const char *xml_path,
                       struct buf *doc, int *pass)
{
	static const char enc_prefix[] = "encoding\tcharset\t";
	static const char hdr_prefix[] = "input.header\tset\tContent-type:";
	char want[128], header[512] = "";
	const char *line, *p;
	bool have_header = false, have_want = false, ok;
	struct charset_info ci;

	for (line = tsv; *line; line = p + (*p == '\n')) {
		p = line + strcspn(line, "\n");
		if (strncmp(line, enc_prefix, sizeof enc_prefix - 1) == 0) {
			tsv_field(line + sizeof enc_prefix - 1, want,
			          sizeof want);
			have_want = true;
		} else if (strncasecmp(line, hdr_prefix,
		                       sizeof hdr_prefix - 1) == 0) {
			tsv_field(line + sizeof hdr_prefix - 1, header,
			          sizeof header);
			have_header = true;
		}
	}
	if (!have_want)
		return 0;
	if (!CHECK(check_read_file(xml_path, doc))) {
		fprintf(stderr, "    cannot read %s\n", xml_path);
		return 1;
	}
	charset_detect(doc->data, doc->len, have_header ? header : NULL, &ci);
	ok = charset_name_equal(ci.name, want);
	if (!CHECK(ok))
		fprintf(stderr, "    %s: got %s, want %s\n", name, ci.name,
		        want);
	*pass += ok;
	return 1;
}

/* Every encoding line of the feedparser corpus's encoding cases. */
static void test_corpus(const char *shared)
{
	static const char suffix[] = ".expect.tsv";
	struct buf dir = BUF_INIT(0), tsv_path = BUF_INIT(0),
	           xml_path = BUF_INIT(0), tsv = BUF_INIT(0), doc = BUF_INIT(0);
	struct dirent *de;
	int pass = 0, total = 0;
	size_t k;
	DIR *d;

	buf_printf(&dir, "%s/conformance/feedparser/cases/encoding", shared);
	d = opendir(buf_cstr(&dir));
	if (!CHECK(d != NULL)) {
		fprintf(stderr, "    cannot open %s\n", buf_cstr(&dir));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		k = strlen(de->d_name);
		if (k <= sizeof suffix - 1 ||
		    strcmp(de->d_name + k - (sizeof suffix - 1), suffix) != 0)
			continue;
		buf_reset(&tsv_path);
		buf_printf(&tsv_path, "%s/%s", buf_cstr(&dir), de->d_name);
		buf_reset(&xml_path);
		buf_printf(&xml_path, "%s/%.*s.xml", buf_cstr(&dir),
		           (int)(k - (sizeof suffix - 1)), de->d_name);
		if (!CHECK(check_read_file(buf_cstr(&tsv_path), &tsv)))
			continue;
		total += corpus_case(de->d_name, buf_cstr(&tsv),
		                     buf_cstr(&xml_path), &doc, &pass);
	}
	closedir(d);
	printf("charset corpus: %d/%d encoding lines\n", pass, total);
	CHECK(total > 0);
out:
	buf_free(&dir);
	buf_free(&tsv_path);
	buf_free(&xml_path);
	buf_free(&tsv);
	buf_free(&doc);
}

/* UTF-8 cleaned sixteen bytes at a time (fetch/charset_blocks.c) must
 * clean as one character at a time does: every invalid sequence a U+FFFD,
 * every character XML forbids gone. Random strings of the pieces where
 * validators go wrong, at every offset to a block's bounds, against a
 * reference written here with utf8_decode. */
static const char *const clean_pieces[] = {
        "a",
        "0123456789abcdef",
        "\t",
        "\n",
        "\r",
        "\x01",
        "\x1f",
        "\x7f",
        "\xC3\xA9",
        "\xC2\x80",
        "\xDF\xBF",
        "\xC0\x80",
        "\xC1\xBF",
        "\xE0\xA0\x80",
        "\xE0\x80\x80",
        "\xE1\x80\x80",
        "\xEA\xB0\x80",
        "\xED\x9F\xBF",
        "\xED\xA0\x80",
        "\xEE\x80\x80",
        "\xEF\xBF\xBD",
        "\xEF\xBF\xBE",
        "\xEF\xBF\xBF",
        "\xEF\xBC\x8C",
        "\xF0\x90\x80\x80",
        "\xF0\x80\x80\x80",
        "\xF4\x8F\xBF\xBF",
        "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80",
        "\xF8",
        "\xFF",
        "\x80",
        "\xBF",
        "\xE3\x81",
        "\xF0\x9F\x98",
        "\xC3",
        "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4",
};

static void test_clean_blocks(void)
{
	struct buf doc = BUF_INIT(0), out = BUF_INIT(0), want = BUF_INIT(0);
	unsigned long long r = 0x2545F4914F6CDD1DULL;
	const char *text;
	size_t len, npieces = sizeof clean_pieces / sizeof *clean_pieces;
	long replaced, differ = 0, clean = 0, i, j, count;

	for (i = 0; i < 20000; i++) {
		buf_reset(&doc);
		buf_reset(&want);
		/* mostly good text, now and then a piece of any kind */
		for (j = 0, count = 1 + (long)(r % 40); j < count; j++) {
			r ^= r << 13;
			r ^= r >> 7;
			r ^= r << 17;
			buf_puts(&doc,
			         r % 5 ? clean_pieces[r % 2 ? 0 : 1 + r % 3]
			               : clean_pieces[(r >> 8) % npieces]);
			if (r % 7 == 0)
				buf_puts(&doc, clean_pieces[36]);
		}
		clean_ref_utf8(buf_cstr(&doc), doc.len, &want);
		if (charset_to_utf8(buf_cstr(&doc), doc.len, "utf-8", &out,
		                    &text, &len, &replaced) != CHARSET_OK ||
		    len != want.len || memcmp(text, buf_cstr(&want), len) != 0)
			differ++;
		clean += want.len == doc.len &&
		         memcmp(buf_cstr(&want), buf_cstr(&doc), doc.len) == 0;
	}
	CHECK_INT(differ, 0);
	/* both clean and unclean strings, in numbers */
	CHECK(clean > 2000 && clean < 18000);
	buf_free(&doc);
	buf_free(&out);
	buf_free(&want);
}

void test_charset(void)
{
	const char *shared = check_shared_dir();

	test_detect_table();
	test_convert_table();
	test_no_copy();
	test_cap();
	test_clean_blocks();
	if (!shared) {
		printf("charset: no shared directory, corpus checks skipped\n");
		return;
	}
	test_real_captures(shared);
	test_corpus(shared);
}
