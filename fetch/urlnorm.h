#ifndef AIDIGEST_URLNORM_H
#define AIDIGEST_URLNORM_H

#include <stdbool.h>

/* The canonical form of a URL, the key that tells two links to the same
 * thing: scheme and host lower-cased, default port, fragment and tracking
 * parameters (utm_*, fbclid, gclid, ref, ref_src, source=rss, ...)
 * dropped, an empty path as "/", arXiv abs/pdf/html and version forms as
 * https://arxiv.org/abs/ID, twitter.com/x.com/mobile forms as
 * https://x.com/USER/status/ID, www. kept. NULL for what is not an
 * absolute http(s) URL. Caller frees. */
char *url_canonical(const char *url);

/* The arXiv identifier (2401.01234, hep-th/9901001) a URL or id names,
 * without its version, into out; false when there is none. */
bool url_arxiv_id(const char *s, char *out, unsigned size);

/* Whether the title/tag of a GitHub release names an automated build
 * (llama.cpp's b4567): such releases collapse to one item per repository
 * per day. */
bool url_is_automated_build(const char *title);

#endif
