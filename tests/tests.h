#ifndef AIDIGEST_TESTS_H
#define AIDIGEST_TESTS_H

/* One function per tested module; tests/unit.c calls them in turn. */
void test_common(void);
void test_helpers(void);
void test_date(void);
void test_html(void);
void test_charset(void);
void test_feed(void);
/* Feeds in pieces (tests/test_feed_stream.c); run by test_feed. */
void test_feed_stream(void);
/* Inline XHTML read directly against libxml2 (tests/test_feed_xhtml.c);
 * run by test_feed_stream. */
void test_feed_xhtml(void);
/* Everything a parse tells, appended to out: the code, the error, the
 * fields, the notes. */
struct feed;
struct buf;
void test_feed_outcome(int rc, const struct feed *f, const struct buf *err,
                       struct buf *out);
void test_sources(void);
void test_http(void);
void test_api(void);
void test_urlnorm(void);
void test_store(void);
void test_stories(void);
void test_config(void);
void test_panel(void);
void test_heuristic(void);
void test_pool(void);
void test_jury(void);
void test_llm(void);
void test_writer(void);
void test_verify(void);
void test_publish(void);
void test_mustache(void);
/* The inputs of tests/fuzz/crashes/ through their fuzz targets. */
void test_fuzz(void);

#endif
