#ifndef AIDIGEST_SOURCES_IMPL_H
#define AIDIGEST_SOURCES_IMPL_H

/* Internal to fetch/: what the feeds.txt reader (sources.c) shares with
 * the OPML import and export (opml.c). Not a public header. */

#include <stddef.h>

#include "common/buf.h"
#include "fetch/sources.h"

enum {
	SOURCES_MAX = 10000,   /* sources in a file, feeds in an OPML */
	SOURCES_QUOTE_MAX = 60 /* bytes of input quoted in a message */
};

/* The number of kinds: enum source_kind runs from 0 to this less one. */
#define SOURCE_KIND_COUNT ((size_t)SOURCE_NEWS + 1)

/* Append s to b in single quotes, cut on a character boundary after
 * SOURCES_QUOTE_MAX bytes (then "..."). */
void sources_put_quoted(struct buf *b, const char *s);

/* The length of the URL placeholder source_url_for_window fills that s
 * starts with ("{DATE}" ...), or 0. */
size_t sources_placeholder_len(const char *s);

/* Whether url is one a feeds.txt line takes: http:// or https:// with a
 * host, or file:// with a path; no space, no unknown {PLACEHOLDER}. 0, or
 * ERR_PARSE with "url '...' has no host" (and the like) in why. */
int sources_check_url(const char *url, struct buf *why);

/* Names seen so far: an open-addressing hash set of copies, each with a
 * number the caller chooses (the line it came from). Zeroed is empty. */
struct name_slot {
	char *name;
	int line;
};

struct name_set {
	struct name_slot *slots;
	size_t cap, n; /* cap is 0 or a power of two */
};

/* The slot holding name, or NULL when it is new. The pointer lasts until
 * the next sources_name_add. */
struct name_slot *sources_name_get(const struct name_set *set,
                                   const char *name);
/* Add name (copied) with line, unless it is there; its slot either way. */
struct name_slot *sources_name_add(struct name_set *set, const char *name,
                                   int line);
void sources_names_free(struct name_set *set);

#endif
