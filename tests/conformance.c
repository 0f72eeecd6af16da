/* The feed parser held against feedparser's test suite (../shared/
 * conformance/feedparser: the main and http sets) and against the real
 * captures in ../shared/fixtures/real. Every case not listed in
 * tests/conformance.known must pass; a listed case that passes is reported
 * so that the list shrinks. Prints the pass figures; skips itself with a
 * notice when ../shared is absent. */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/xalloc.h"
#include "fetch/feed.h"
#include "tests/check.h"

#define MAX_FIELDS 4096

struct field {
	char *name;
	char *value;
};

struct fields {
	struct field v[MAX_FIELDS];
	size_t n;
};

struct tally {
	const char *name;
	long cases, cases_ok, lines, lines_ok;
};

static bool verbose;
static char **known;
static size_t nknown;

/* Undo the corpus' escapes (\\ \t \n \r) in place. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*w++ = *s == 't'   ? '\t'
			       : *s == 'n' ? '\n'
			       : *s == 'r' ? '\r'
			                   : *s;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* Split a line on TABs into at most max columns. */
static size_t split_tabs(char *line, char **cols, size_t max)
{
	size_t n = 0;

	while (n < max) {
		cols[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

static void fields_load(struct fields *f, char *text)
{
	char *line, *next, *tab;

	f->n = 0;
	for (line = text; line && *line && f->n < MAX_FIELDS; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		unescape(tab + 1);
		f->v[f->n].name = line;
		f->v[f->n].value = tab + 1;
		f->n++;
	}
}

static const char *fields_get(const struct fields *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return f->v[i].value;
	return "";
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Copy s with whitespace runs collapsed to one space and the ends trimmed. */
static char *collapse_copy(const char *s)
{
	struct buf b = BUF_INIT(0);
	bool space = false;

	while (is_space(*s))
		s++;
	for (; *s; s++) {
		if (is_space(*s)) {
			space = true;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, *s);
	}
	return buf_detach(&b);
}

static char *trim_copy(const char *s)
{
	const char *e;

	while (is_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_space(e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

static char *charset_key(const char *s)
{
	struct buf b = BUF_INIT(0);

	for (; *s; s++)
		if (*s != '-' && *s != '_')
			buf_putc(&b, (*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
	return buf_detach(&b);
}

static bool compare(const char *op, const char *got, const char *want)
{
	char *a, *b;
	bool ok;

	if (strcmp(op, "eq") == 0)
		return strcmp(got, want) == 0;
	if (strcmp(op, "absent") == 0)
		return *got == '\0';
	if (strcmp(op, "eq_trim") == 0) {
		a = trim_copy(got);
		b = trim_copy(want);
	} else if (strcmp(op, "eq_ws") == 0) {
		a = collapse_copy(got);
		b = collapse_copy(want);
	} else if (strcmp(op, "charset") == 0) {
		a = charset_key(got);
		b = charset_key(want);
	} else {
		return false;
	}
	ok = strcmp(a, b) == 0;
	free(a);
	free(b);
	return ok;
}

static bool is_known(const char *id)
{
	size_t i;

	for (i = 0; i < nknown; i++)
		if (strcmp(known[i], id) == 0)
			return true;
	return false;
}

static void load_known(const char *path)
{
	struct buf b = BUF_INIT(0);
	char *line, *next, *sp;

	if (!check_read_file(path, &b))
		return;
	for (line = b.data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		sp = strpbrk(line, " \t");
		if (sp)
			*sp = '\0';
		known = xreallocarray(known, nknown + 1, sizeof *known);
		known[nknown++] = xstrdup(line);
	}
	buf_free(&b);
}

/* Run one case: parse the XML with the header lines of its expectations,
 * then check every expectation line. Returns true when all lines pass. */
static bool run_case(const char *root, const char *id, const char *xml,
                     const char *expect, struct tally *t, struct buf *why)
{
	struct buf path = BUF_INIT(0), data = BUF_INIT(0), exp = BUF_INIT(0);
	struct buf err = BUF_INIT(4096), out = BUF_INIT(0);
	struct feed_options opt;
	struct feed *feed = NULL;
	static struct fields f;
	char *line, *next, *cols[5], *content_type = NULL;
	bool ok = true;
	FILE *mem;
	char *memdata = NULL;
	size_t memlen = 0;
	int rc;

	(void)id;
	buf_printf(&path, "%s/%s", root, expect);
	if (!check_read_file(path.data, &exp)) {
		buf_printf(why, "cannot read %s", path.data);
		ok = false;
		goto out;
	}
	for (line = exp.data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			line[next - line] = '\0', next++;
		if (strncmp(line, "input.header\tset\t", 17) == 0) {
			char *h = line + 17;

			if (strncasecmp(h, "content-type:", 13) == 0) {
				content_type = h + 13;
				while (*content_type == ' ')
					content_type++;
			}
		}
		if (next)
			next[-1] = '\n';
	}

	buf_reset(&path);
	buf_printf(&path, "%s/%s", root, xml);
	if (!check_read_file(path.data, &data)) {
		buf_printf(why, "cannot read %s", path.data);
		ok = false;
		goto out;
	}
	memset(&opt, 0, sizeof opt);
	opt.content_type = content_type ? xstrndup(content_type,
	                                           strcspn(content_type, "\n"))
	                                : NULL;
	rc = feed_parse(data.data ? data.data : "", data.len, &opt, &feed,
	                &err);
	free((char *)opt.content_type);
	mem = open_memstream(&memdata, &memlen);
	if (rc == ERR_OK && feed_print_fields(mem, feed) != ERR_OK) {
		ok = false;
		buf_puts(why, "cannot print the fields; ");
	}
	fclose(mem);
	fields_load(&f, memdata);
	if (rc != ERR_OK)
		buf_printf(why, "parse error: %s; ", buf_cstr(&err));

	for (line = exp.data; line && *line; line = next) {
		size_t n;
		const char *got;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		n = split_tabs(line, cols, 5);
		if (n < 3 || strcmp(cols[0], "input.header") == 0)
			continue;
		unescape(cols[2]);
		got = fields_get(&f, cols[0]);
		t->lines++;
		if (compare(cols[1], got, cols[2])) {
			t->lines_ok++;
		} else {
			ok = false;
			buf_printf(why, "%s %s: got \"%.80s\" want \"%.80s\"; ",
			           cols[0], cols[1], got, cols[2]);
		}
	}
out:
	t->cases++;
	t->cases_ok += ok;
	free(memdata);
	feed_free(feed);
	buf_free(&path);
	buf_free(&data);
	buf_free(&exp);
	buf_free(&err);
	buf_free(&out);
	return ok;
}

static void run_set(const char *root, const char *manifest, double min_pct)
{
	struct buf path = BUF_INIT(0), man = BUF_INIT(0),
	           why = BUF_INIT(1 << 16);
	struct tally total = {manifest, 0, 0, 0, 0};
	struct tally cats[64];
	size_t ncats = 0, i;
	char *line, *next, *cols[8];
	bool header = true;

	buf_printf(&path, "%s/%s", root, manifest);
	if (!check_read_file(path.data, &man)) {
		CHECK(!"manifest readable");
		goto out;
	}
	for (line = man.data; line && *line; line = next) {
		struct tally *cat = NULL;
		bool ok, listed;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (header) {
			header = false;
			continue;
		}
		if (split_tabs(line, cols, 8) < 4)
			continue;
		for (i = 0; i < ncats; i++)
			if (strcmp(cats[i].name, cols[1]) == 0)
				cat = &cats[i];
		if (!cat && ncats < 64) {
			cat = &cats[ncats++];
			memset(cat, 0, sizeof *cat);
			cat->name = cols[1];
		}
		buf_reset(&why);
		{
			struct tally one = {"", 0, 0, 0, 0};

			ok = run_case(root, cols[0], cols[2], cols[3], &one,
			              &why);
			total.cases += one.cases;
			total.cases_ok += one.cases_ok;
			total.lines += one.lines;
			total.lines_ok += one.lines_ok;
			if (cat) {
				cat->cases += one.cases;
				cat->cases_ok += one.cases_ok;
				cat->lines += one.lines;
				cat->lines_ok += one.lines_ok;
			}
		}
		listed = is_known(cols[0]);
		if (!ok && !listed)
			fprintf(stderr, "FAIL [conformance] %s: %s\n", cols[0],
			        buf_cstr(&why));
		else if (!ok && verbose)
			printf("  known failure %s: %s\n", cols[0],
			       buf_cstr(&why));
		else if (ok && listed)
			printf("  note: %s now passes; remove it from "
			       "tests/conformance.known\n",
			       cols[0]);
		check_true(ok || listed, "case passes or is a known failure",
		           __FILE__, __LINE__);
	}
	printf("conformance %s: %ld/%ld cases (%.1f%%), %ld/%ld lines\n",
	       manifest, total.cases_ok, total.cases,
	       total.cases ? 100.0 * total.cases_ok / total.cases : 0.0,
	       total.lines_ok, total.lines);
	if (verbose)
		for (i = 0; i < ncats; i++)
			printf("  %-16s %ld/%ld cases, %ld/%ld lines\n",
			       cats[i].name, cats[i].cases_ok, cats[i].cases,
			       cats[i].lines_ok, cats[i].lines);
	check_true(total.cases &&
	                   100.0 * total.cases_ok / total.cases >= min_pct,
	           manifest, __FILE__, __LINE__);
out:
	buf_free(&path);
	buf_free(&man);
	buf_free(&why);
}

/* What some captures must give, beyond parsing without error. */
static const struct {
	const char *file, *field, *want;
} real_expect[] = {
        {"euckr_channel_title.rss.xml", "feed.title.text", "\xEB\x85\x84"},
        {"euckr_item_description.rss.xml", "entries[0].summary.text",
         "\xEB\x85\x84"},
        {"euckr_attribute_in_html.rss.xml", "entries[0].summary.raw",
         "<img alt=\"\xEB\x85\x84\" />"},
        {"euckr_channel_title.rss.xml", "encoding", "euc-kr"},
        {"jsonfeed_1.1_influxdata.json", "version", "json11"},
        {"jsonfeed_1.1_influxdata.json", "entries.count", "3"},
        {"jsonfeed_1.1_influxdata.json", "feed.title.text",
         "Blog \xE2\x80\x93 InfluxData"},
        {"biorxiv_rss1_rdf.xml", "version", "rss10"},
        {"iso8859-1_inovacao.rss.xml", "feed.title.text",
         "RSS Feed do Site Inova\xC3\xA7\xC3\xA3o Tecnol\xC3\xB3gica"},
        {"gb2312_baddate_kc0011.rss.xml", "encoding", "gb18030"},
        {"gb2312_baddate_kc0011.rss.xml", "entries[0].published",
         "2020-01-10T14:33:00Z"},
        {"est_tz_medscape.rss.xml", "entries[0].published",
         "2025-11-05T18:52:10Z"},
        {"bom_crlf_donthitsave.rss.xml", "version", "rss20"},
        {"arxiv_api_error_response.atom.xml", "entries[0].title.text", "Error"},
        {"reddit_r_rust.atom.xml", "entries[0].updated",
         "2020-05-18T05:44:47Z"},
        {"relative_urls_xmlbase.rss.xml", "version", "rss20"},
        {"olshansk_openai_research.rss.xml", "entries[0].id", ""},
        {"very_long_content_russcox.atom.xml", "entries.count", "19"},
};

static void check_real_fields(const char *name, const struct feed *feed)
{
	static struct fields f;
	char *text = NULL;
	size_t len = 0, i;
	FILE *mem = open_memstream(&text, &len);

	CHECK_INT(feed_print_fields(mem, feed), ERR_OK);
	fclose(mem);
	fields_load(&f, text);
	for (i = 0; i < sizeof real_expect / sizeof *real_expect; i++) {
		if (strcmp(real_expect[i].file, name) != 0)
			continue;
		if (!check_str(fields_get(&f, real_expect[i].field),
		               real_expect[i].want, real_expect[i].field,
		               __FILE__, __LINE__))
			fprintf(stderr, "    in %s\n", name);
	}
	free(text);
}

/* Every capture in fixtures/real that is a feed parses without error. */
static void run_real(const char *shared)
{
	struct buf dir = BUF_INIT(0), path = BUF_INIT(0), data = BUF_INIT(0);
	struct buf err = BUF_INIT(4096);
	DIR *d;
	struct dirent *de;
	int total = 0, ok = 0;

	buf_printf(&dir, "%s/fixtures/real", shared);
	d = opendir(dir.data);
	if (!d) {
		printf("real fixtures: skipped (%s absent)\n", dir.data);
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		size_t n = strlen(name);
		struct feed *feed = NULL;
		int rc;

		if (n < 5 || (strcmp(name + n - 4, ".xml") != 0 &&
		              strcmp(name + n - 5, ".json") != 0))
			continue;
		/* JSON API bodies are not feeds; later sources read them. */
		if (strncmp(name, "hn_firebase_", 12) == 0 ||
		    strncmp(name, "twitter_v2_", 11) == 0)
			continue;
		buf_reset(&path);
		buf_reset(&data);
		buf_reset(&err);
		buf_printf(&path, "%s/%s", dir.data, name);
		if (!check_read_file(path.data, &data))
			continue;
		total++;
		rc = feed_parse(data.data, data.len, NULL, &feed, &err);
		if (rc == ERR_OK &&
		    feed->nentries + (feed->title.raw != NULL) > 0) {
			ok++;
		} else {
			fprintf(stderr, "FAIL [real] %s: %s\n", name,
			        rc ? buf_cstr(&err) : "no entries");
		}
		check_true(rc == ERR_OK, name, __FILE__, __LINE__);
		if (rc == ERR_OK)
			check_real_fields(name, feed);
		feed_free(feed);
	}
	closedir(d);
	printf("real fixtures: %d/%d parse\n", ok, total);
out:
	buf_free(&dir);
	buf_free(&path);
	buf_free(&data);
	buf_free(&err);
}

int main(int argc, char **argv)
{
	const char *shared = check_shared_dir();
	struct buf root = BUF_INIT(0);
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-v") == 0)
			verbose = true;
	if (!shared) {
		printf("conformance: skipped (../shared absent; set "
		       "AIDIGEST_SHARED)\n");
		return check_summary();
	}
	load_known("tests/conformance.known");
	buf_printf(&root, "%s/conformance/feedparser", shared);
	run_set(root.data, "main.tsv", 97.0);
	run_set(root.data, "http.tsv", 90.0);
	run_real(shared);
	buf_free(&root);
	for (i = 0; (size_t)i < nknown; i++)
		free(known[i]);
	free(known);
	return check_summary();
}
