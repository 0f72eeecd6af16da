#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "common/utf8.h"
#include "common/date.h"
#include "fetch/feed.h"

/* libFuzzer target for feed_parse. The first input byte chooses the
 * options; the rest is the document. Each document is parsed four ways:
 * entries kept, entries streamed to the end, streamed with the callback
 * stopping the parse, and kept through feed_parser in pieces (of 1 to 4500
 * bytes, from the document's length). Every result is checked against the
 * contract of fetch/feed.h, and they must agree entry for entry (notes
 * too, in pieces). Any broken invariant aborts.
 *
 * Option byte: bits 0-2 the Content-Type, bits 3-4 the limits, bit 5 a
 * base URL and a +09:00 default zone, bits 6-7 after how many streamed
 * entries the callback stops (0: never). */

#define SEL_TYPE(b) ((b)&7)
#define SEL_LIMITS(b) (((b) >> 3) & 3)
#define SEL_BASE(b) (((b) >> 5) & 1)
#define SEL_STOP(b) (((b) >> 6) & 3)
#define KST (9 * 3600)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_content_types[8] = {
        NULL,
        "text/xml",
        "application/atom+xml; charset=euc-kr",
        "text/html",
        "application/rss+xml; charset=windows-1252",
        "application/xml; charset=\"utf-16\"",
        "text/plain; charset=gb2312",
        "application/feed+json",
};

/* 0 leaves feed_parse its default. */
static const struct fuzz_limits {
	size_t max_entries, max_depth, max_text;
} fuzz_limits[4] = {
        {0, 0, 0},
        {3, 0, 0},
        {0, 8, 64},
        {1, 4, 7},
};

/* What one parse was asked for, and what its entries hashed to. */
struct fuzz_run {
	const struct feed_options *opt;
	size_t max_entries, max_text;
	size_t stop_after; /* 0: the callback never stops the parse */
	size_t nseen;      /* entries streamed so far */
	uint64_t hashes[FEED_DEFAULT_MAX_ENTRIES];
};

static FILE *fuzz_devnull;
static int64_t fuzz_min_utc, fuzz_max_utc;
static struct fuzz_run fuzz_kept, fuzz_streamed, fuzz_stopped;

static void fuzz_fail(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_feed: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* FNV-1a: enough to tell two parses' entries apart. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3u;
	return h;
}

/* A string and its end, so "ab","c" and "a","bc" differ; NULL differs
 * from "". */
static uint64_t hash_str(uint64_t h, const char *s)
{
	static const unsigned char absent = 0xFF, end = 0;

	if (!s)
		return hash_bytes(h, &absent, 1);
	h = hash_bytes(h, s, strlen(s));
	return hash_bytes(h, &end, 1);
}

static uint64_t hash_num(uint64_t h, int64_t v)
{
	return hash_bytes(h, &v, sizeof v);
}

static uint64_t hash_text(uint64_t h, const struct feed_text *t)
{
	h = hash_str(h, t->raw);
	h = hash_str(h, t->text);
	h = hash_num(h, t->type);
	return hash_num(h, t->type_explicit);
}

static uint64_t hash_date(uint64_t h, const struct feed_date *d)
{
	h = hash_str(h, d->raw);
	h = hash_num(h, d->time);
	return hash_num(h, d->known);
}

static uint64_t hash_person(uint64_t h, const struct feed_person *p)
{
	h = hash_str(h, p->full);
	h = hash_str(h, p->name);
	return hash_str(h, p->email);
}

/* Every field of an entry: reading them all is also what lets the
 * sanitizers see a stale or short string. */
static uint64_t hash_entry(const struct feed_entry *e)
{
	uint64_t h = 0xcbf29ce484222325u;
	size_t i;

	h = hash_text(h, &e->title);
	h = hash_text(h, &e->summary);
	h = hash_num(h, (int64_t)e->ncontent);
	for (i = 0; i < e->ncontent; i++)
		h = hash_text(h, &e->content[i]);
	h = hash_str(h, e->link);
	h = hash_str(h, e->id);
	h = hash_date(h, &e->published);
	h = hash_date(h, &e->updated);
	h = hash_person(h, &e->author);
	h = hash_num(h, (int64_t)e->nenclosures);
	for (i = 0; i < e->nenclosures; i++) {
		h = hash_str(h, e->enclosures[i].url);
		h = hash_str(h, e->enclosures[i].type);
		h = hash_str(h, e->enclosures[i].length);
	}
	return hash_num(h, e->comments);
}

/* The feed's own fields, those a finished parse has; not its entries. */
static uint64_t hash_feed(const struct feed *feed)
{
	uint64_t h = 0xcbf29ce484222325u;

	h = hash_num(h, feed->format);
	h = hash_str(h, feed->encoding);
	h = hash_text(h, &feed->title);
	h = hash_text(h, &feed->subtitle);
	h = hash_str(h, feed->link);
	h = hash_str(h, feed->id);
	h = hash_date(h, &feed->published);
	h = hash_date(h, &feed->updated);
	h = hash_person(h, &feed->author);
	h = hash_num(h, (int64_t)feed->nentries);
	h = hash_num(h, feed->recovered);
	return hash_str(h, buf_cstr(&feed->notes));
}

static bool is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Bytes from..to of s on stderr, escaped, to show where it went wrong. */
static void put_excerpt(const char *s, size_t from, size_t to)
{
	size_t i;

	fputs("  near: \"", stderr);
	for (i = from; i < to; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02X", c);
	}
	fputs("\"\n", stderr);
}

/* Valid UTF-8 of at most max bytes, or NULL. */
static void feed_check_str(const char *what, const char *s, size_t max)
{
	size_t n, valid;

	if (!s)
		return;
	n = strlen(s);
	valid = utf8_valid_prefix(s, n);
	if (valid != n) {
		put_excerpt(s, valid > 40 ? valid - 40 : 0,
		            n - valid > 8 ? valid + 8 : n);
		fuzz_fail("%s is not valid UTF-8 (byte %zu of %zu)", what,
		          valid, n);
	}
	if (n > max)
		fuzz_fail("%s has %zu bytes, over the cap of %zu", what, n,
		          max);
}

/* .text is plain: whitespace collapsed to single inner spaces. */
static void check_collapsed(const char *what, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		if (!is_space((unsigned char)s[i]))
			continue;
		if (s[i] != ' ' || i == 0 || i + 1 == n || s[i + 1] == ' ')
			fuzz_fail("%s.text has whitespace at byte %zu of %zu",
			          what, i, n);
	}
}

/* raw_max: the cap on .raw, which JSON Feed leaves to max_bytes. */
static void check_text(const char *what, const struct feed_text *t,
                       size_t raw_max, size_t max_text, bool finished)
{
	feed_check_str(what, t->raw, raw_max);
	feed_check_str(what, t->text, max_text);
	if ((unsigned)t->type > FEED_TEXT_XHTML)
		fuzz_fail("%s.type is %d", what, (int)t->type);
	if (!t->raw && t->text)
		fuzz_fail("%s has .text but no .raw", what);
	if (finished && t->raw && !t->text)
		fuzz_fail("%s has .raw but no .text", what);
	if (t->text)
		check_collapsed(what, t->text);
}

static void check_date(const char *what, const struct feed_date *d, int tz)
{
	int64_t t;

	feed_check_str(what, d->raw, SIZE_MAX);
	if (d->known && !d->raw)
		fuzz_fail("%s is known without a raw string", what);
	if (!d->known && d->time != 0)
		fuzz_fail("%s is unknown with time %lld", what,
		          (long long)d->time);
	if (!d->known)
		return;
	if (d->time < fuzz_min_utc || d->time > fuzz_max_utc)
		fuzz_fail("%s time %lld is outside 0000..9999", what,
		          (long long)d->time);
	if (date_parse(d->raw, tz, &t) != 0 || t != d->time)
		fuzz_fail("%s time %lld is not what date_parse reads", what,
		          (long long)d->time);
}

static void check_person(const char *what, const struct feed_person *p)
{
	feed_check_str(what, p->full, SIZE_MAX);
	feed_check_str(what, p->name, SIZE_MAX);
	feed_check_str(what, p->email, SIZE_MAX);
}

static bool is_json(const struct feed *feed)
{
	return feed->format == FEED_FORMAT_JSON10 ||
	       feed->format == FEED_FORMAT_JSON11;
}

static void check_entry(const struct fuzz_run *run, const struct feed *feed,
                        const struct feed_entry *e)
{
	size_t raw_max = is_json(feed) ? SIZE_MAX : run->max_text, i;
	int tz = run->opt->tz_offset_sec;

	check_text("entry title", &e->title, raw_max, run->max_text, true);
	check_text("entry summary", &e->summary, raw_max, run->max_text, true);
	if (e->ncontent && !e->content)
		fuzz_fail("entry: %zu contents, no array", e->ncontent);
	for (i = 0; i < e->ncontent; i++)
		check_text("entry content", &e->content[i], raw_max,
		           run->max_text, true);
	feed_check_str("entry link", e->link, SIZE_MAX);
	feed_check_str("entry id", e->id, SIZE_MAX);
	check_date("entry published", &e->published, tz);
	check_date("entry updated", &e->updated, tz);
	check_person("entry author", &e->author);
	if (e->nenclosures && !e->enclosures)
		fuzz_fail("entry: %zu enclosures, no array", e->nenclosures);
	for (i = 0; i < e->nenclosures; i++) {
		feed_check_str("enclosure url", e->enclosures[i].url, SIZE_MAX);
		feed_check_str("enclosure type", e->enclosures[i].type,
		               SIZE_MAX);
		feed_check_str("enclosure length", e->enclosures[i].length,
		               SIZE_MAX);
	}
	if (e->comments < -1)
		fuzz_fail("entry comments is %lld", e->comments);
}

/* A finished feed, its entries included when they were kept. */
static void check_feed(const struct fuzz_run *run, const struct feed *feed)
{
	size_t raw_max = is_json(feed) ? SIZE_MAX : run->max_text, i;
	int tz = run->opt->tz_offset_sec;

	if ((unsigned)feed->format > FEED_FORMAT_JSON11)
		fuzz_fail("format is %d", (int)feed->format);
	if (!memchr(feed->encoding, '\0', sizeof feed->encoding))
		fuzz_fail("encoding is not NUL-terminated");
	feed_check_str("encoding", feed->encoding, sizeof feed->encoding - 1);
	check_text("feed title", &feed->title, raw_max, run->max_text, true);
	check_text("feed subtitle", &feed->subtitle, raw_max, run->max_text,
	           true);
	feed_check_str("feed link", feed->link, SIZE_MAX);
	feed_check_str("feed id", feed->id, SIZE_MAX);
	check_date("feed published", &feed->published, tz);
	check_date("feed updated", &feed->updated, tz);
	check_person("feed author", &feed->author);
	feed_check_str("notes", buf_cstr(&feed->notes), SIZE_MAX);
	if (feed->nentries > run->max_entries)
		fuzz_fail("%zu entries, over max_entries %zu", feed->nentries,
		          run->max_entries);
	if (run->opt->on_entry) {
		if (feed->entries)
			fuzz_fail("streamed entries were also kept");
		if (feed->nentries != run->nseen)
			fuzz_fail("nentries %zu, %zu streamed", feed->nentries,
			          run->nseen);
		return;
	}
	if (feed->nentries &&
	    (!feed->entries || feed->entries_cap < feed->nentries))
		fuzz_fail("%zu entries in an array of %zu", feed->nentries,
		          feed->entries ? feed->entries_cap : 0);
	for (i = 0; i < feed->nentries; i++)
		check_entry(run, feed, &feed->entries[i]);
}

/* A result is a feed or a reason, never both, never neither. */
static void check_result(int rc, const struct feed *feed, const struct buf *err)
{
	if (rc < ERR_OK || rc > ERR_USAGE)
		fuzz_fail("feed_parse returned %d", rc);
	if (rc == ERR_OK && !feed)
		fuzz_fail("success without a feed");
	if (rc != ERR_OK && feed)
		fuzz_fail("error %d with a feed", rc);
	if (rc != ERR_OK && err->len == 0)
		fuzz_fail("error %d without a message", rc);
	feed_check_str("error message", buf_cstr(err), SIZE_MAX);
}

static int fuzz_on_entry(void *ctx, const struct feed *feed,
                         const struct feed_entry *e)
{
	struct fuzz_run *run = ctx;

	if (run->nseen >= run->max_entries)
		fuzz_fail("entry %zu streamed past max_entries %zu",
		          run->nseen + 1, run->max_entries);
	if (run->stop_after && run->nseen >= run->stop_after)
		fuzz_fail("entry %zu streamed after the callback stopped the "
		          "parse at %zu",
		          run->nseen + 1, run->stop_after);
	check_entry(run, feed, e);
	if (feed_print_tsv(fuzz_devnull, feed, e) != ERR_OK)
		fuzz_fail("feed_print_tsv failed on /dev/null");
	run->hashes[run->nseen++] = hash_entry(e);
	return run->stop_after && run->nseen == run->stop_after;
}

static int fuzz_parse(struct fuzz_run *run, const struct feed_options *opt,
                      const char *doc, size_t n, struct feed **feed)
{
	struct buf err = BUF_INIT(64 * 1024);
	int rc;

	run->opt = opt;
	run->nseen = 0;
	rc = feed_parse(doc, n, opt, feed, &err);
	check_result(rc, *feed, &err);
	buf_free(&err);
	if (*feed)
		check_feed(run, *feed);
	return rc;
}

/* feed_parser in pieces of step bytes, against the feed kept whole. */
static void fuzz_pieces(const struct feed_options *opt, const char *doc,
                        size_t n, size_t step, int rc_kept,
                        const struct feed *kept, uint64_t kept_hash)
{
	struct feed_parser *p = feed_parser_new(opt);
	struct buf err = BUF_INIT(64 * 1024);
	struct feed *f = NULL;
	size_t i;
	int rc;

	for (i = 0; i < n; i += step)
		feed_parser_push(p, doc + i, n - i < step ? n - i : step);
	rc = feed_parser_finish(p, &f, &err);
	feed_parser_free(p);
	check_result(rc, f, &err);
	if (rc != rc_kept)
		fuzz_fail("whole: %d, in pieces of %zu: %d", rc_kept, step, rc);
	if (f) {
		if (f->nentries != kept->nentries)
			fuzz_fail("kept %zu entries, in pieces %zu",
			          kept->nentries, f->nentries);
		for (i = 0; i < f->nentries; i++)
			if (hash_entry(&f->entries[i]) != fuzz_kept.hashes[i])
				fuzz_fail("entry %zu differs whole and in "
				          "pieces of %zu",
				          i, step);
		if (hash_feed(f) != kept_hash)
			fuzz_fail("the feed's fields differ whole and in "
			          "pieces of %zu",
			          step);
		if (strcmp(buf_cstr(&f->notes), buf_cstr(&kept->notes)) != 0)
			fuzz_fail("notes differ whole and in pieces of %zu:\n"
			          "%s---\n%s",
			          step, buf_cstr(&kept->notes),
			          buf_cstr(&f->notes));
	}
	feed_free(f);
	buf_free(&err);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct civil_time lo = {0, 1, 1, 0, 0, 0};
	const struct civil_time hi = {9999, 12, 31, 23, 59, 59};

	(void)argc;
	(void)argv;
	fuzz_devnull = fopen("/dev/null", "w");
	if (!fuzz_devnull) {
		perror("fuzz_feed: /dev/null");
		exit(1);
	}
	fuzz_min_utc = time_from_civil(&lo);
	fuzz_max_utc = time_from_civil(&hi);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_limits *lim;
	struct feed_options opt;
	struct feed *kept = NULL, *streamed = NULL, *stopped = NULL;
	const char *doc;
	size_t n, i, want;
	uint64_t kept_feed_hash = 0;
	int rc_kept, rc;

	if (size < 1)
		return 0;
	doc = (const char *)data + 1;
	n = size - 1;
	lim = &fuzz_limits[SEL_LIMITS(data[0])];
	memset(&opt, 0, sizeof opt);
	opt.content_type = fuzz_content_types[SEL_TYPE(data[0])];
	opt.max_entries = lim->max_entries;
	opt.max_depth = lim->max_depth;
	opt.max_text = lim->max_text;
	if (SEL_BASE(data[0])) {
		opt.url = "https://news.example.org/ai/feed.xml";
		opt.tz_offset_sec = KST;
	}
	fuzz_kept.max_entries = fuzz_streamed.max_entries =
	        fuzz_stopped.max_entries =
	                lim->max_entries ? lim->max_entries
	                                 : FEED_DEFAULT_MAX_ENTRIES;
	fuzz_kept.max_text = fuzz_streamed.max_text = fuzz_stopped.max_text =
	        lim->max_text ? lim->max_text : FEED_DEFAULT_MAX_TEXT;

	rc_kept = fuzz_parse(&fuzz_kept, &opt, doc, n, &kept);
	if (kept) {
		if (feed_print_fields(fuzz_devnull, kept) != ERR_OK)
			fuzz_fail("feed_print_fields failed on /dev/null");
		for (i = 0; i < kept->nentries; i++) {
			if (feed_print_tsv(fuzz_devnull, kept,
			                   &kept->entries[i]) != ERR_OK)
				fuzz_fail("feed_print_tsv failed on /dev/null");
			fuzz_kept.hashes[i] = hash_entry(&kept->entries[i]);
		}
		fuzz_kept.nseen = kept->nentries;
		kept_feed_hash = hash_feed(kept);
	}
	fuzz_pieces(&opt, doc, n, 1 + n % 4500, rc_kept, kept, kept_feed_hash);

	/* Streamed to the end: the same feed, entry for entry. */
	opt.on_entry = fuzz_on_entry;
	opt.ctx = &fuzz_streamed;
	fuzz_streamed.stop_after = 0;
	rc = fuzz_parse(&fuzz_streamed, &opt, doc, n, &streamed);
	if (rc != rc_kept)
		fuzz_fail("kept: %d, streamed: %d", rc_kept, rc);
	if (streamed) {
		if (streamed->nentries != kept->nentries)
			fuzz_fail("kept %zu entries, streamed %zu",
			          kept->nentries, streamed->nentries);
		for (i = 0; i < kept->nentries; i++)
			if (fuzz_streamed.hashes[i] != fuzz_kept.hashes[i])
				fuzz_fail("entry %zu differs kept and streamed",
				          i);
		if (hash_feed(streamed) != kept_feed_hash)
			fuzz_fail("the feed's fields differ kept and streamed");
		if (feed_print_fields(fuzz_devnull, streamed) != ERR_OK)
			fuzz_fail("feed_print_fields failed on /dev/null");
	}

	/* Stopped by the callback: a prefix of the same entries. */
	if (SEL_STOP(data[0])) {
		opt.ctx = &fuzz_stopped;
		fuzz_stopped.stop_after = SEL_STOP(data[0]);
		rc = fuzz_parse(&fuzz_stopped, &opt, doc, n, &stopped);
		if (rc != rc_kept)
			fuzz_fail("kept: %d, stopped: %d", rc_kept, rc);
		if (stopped) {
			want = kept->nentries < fuzz_stopped.stop_after
			               ? kept->nentries
			               : fuzz_stopped.stop_after;
			if (stopped->nentries != want)
				fuzz_fail("stopped after %zu: %zu entries of "
				          "%zu",
				          fuzz_stopped.stop_after,
				          stopped->nentries, kept->nentries);
			for (i = 0; i < want; i++)
				if (fuzz_stopped.hashes[i] !=
				    fuzz_kept.hashes[i])
					fuzz_fail("entry %zu differs kept and "
					          "stopped",
					          i);
		}
	}

	feed_free(kept);
	feed_free(streamed);
	feed_free(stopped);
	return 0;
}
