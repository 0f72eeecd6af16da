#ifndef AIDIGEST_TEST_SOURCES_H
#define AIDIGEST_TEST_SOURCES_H

#include <time.h>

#include "common/buf.h"
#include "fetch/sources.h"

/* The sources suite's parts in other files; test_sources() runs them. */

/* The value of AIDIGEST_TEST_HOST while the suite runs. */
#define TEST_HOST_VALUE "https://rss.example.org"

/* Parse text as the file "t.txt" into list (messages into msg, reset
 * first); returns the bad-line count. */
int test_sources_parse(const char *text, struct source_list *list,
                       struct buf *msg);

/* Seconds on CLOCK_MONOTONIC since t0. */

/* OPML import and export (tests/test_opml.c). */
void test_sources_opml(void);

#endif
