#ifndef AIDIGEST_TEST_STORE_H
#define AIDIGEST_TEST_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "store/store.h"

/* The parts of the store suite (test_store in tests/tests.h calls them)
 * and the helpers they share; tests/test_store.c defines the helpers. */

/* A fresh database file under /tmp; path receives its name. */
bool tstore_temp_db(char *path, size_t size);
/* The file and its -wal and -shm companions removed. */
void tstore_remove_db(const char *path);
/* store_open that counts as a check; NULL (and the reason printed) when
 * it fails. */
struct store *tstore_open(const char *path);
/* One text result of sql, run through a connection of the test's own
 * ("" when there is none). */
void tstore_raw_pragma(const char *path, const char *sql, struct buf *out);
/* The schema version, or -1 when it cannot be read. */
int tstore_version(struct store *st);
/* An item of feed with key (also its URLs), title and seen time; no
 * engagement. */
struct store_item tstore_item(const char *feed, const char *key,
                              const char *title, int64_t seen);
/* store_item_upsert that counts as a check; is_new may be NULL. */
void tstore_upsert(struct store *st, const struct store_item *it, bool *is_new);
/* A judgment with only its key and score set. */
struct store_judgment tstore_judgment(const char *hash, const char *judge,
                                      const char *version, double score);

/* tests/test_store_tables.c: on one store, in this order. */
void test_store_feeds(struct store *st);
void test_store_items(struct store *st);
void test_store_stories(struct store *st);
void test_store_runs(struct store *st);
/* tests/test_store_tables.c: each on a store of its own. */
void test_store_story_hash(void);
void test_store_digests(void);
void test_store_feed_titles(void);
void test_store_picks(void);

/* tests/test_store_cache.c */
void test_store_judgments(struct store *st);
void test_store_writings(void);
void test_store_verdicts(void);
void test_store_cache_shared(void);

/* tests/test_store_jury.c */
void test_store_jury(void);

#endif
