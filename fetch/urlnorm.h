#ifndef AIDIGEST_URLNORM_H
#define AIDIGEST_URLNORM_H

#include <stdbool.h>

/* The canonical form of a URL, the key that tells two links to the same
 * thing: scheme and host lower-cased (the scheme kept: http stays http),
 * default port, userinfo kept, fragment dropped, tracking parameters
 * dropped (utm_*, fbclid, gclid, dclid, yclid, mc_cid, mc_eid, igshid,
 * ref, ref_src, ref_url, spm, _hsenc, _hsmi, cmpid, source=rss|twitter|
 * feed, si on YouTube, s and t on X) with the rest kept in order,
 * percent-encoding normalized (unreserved characters decoded, hex upper
 * case, spaces and non-ASCII bytes escaped), an empty path as "/", a
 * trailing slash kept. arXiv abs/pdf/html pages (any version, .pdf,
 * export.arxiv.org) and huggingface.co/papers/ID are
 * https://arxiv.org/abs/ID; a post on twitter.com, x.com or their
 * mobile/www hosts is https://x.com/user/status/ID (user lower-cased;
 * https://x.com/i/web/status/ID when the link names none), other pages on
 * those hosts move to x.com. NULL for what is not an absolute http(s) URL
 * with a host, holds control characters, or passes 8 KiB (in or out).
 * The result is its own canonical form. Caller frees. */
char *url_canonical(const char *url);

/* The arXiv identifier a URL (arXiv abs/pdf/html, huggingface.co/papers)
 * or a string names ("2401.01234v2", "arXiv:2401.01234",
 * "oai:arXiv.org:2401.01234", "hep-th/9901001", "math.GT/0309136"), into
 * out without version or subject class ("math/0309136"). New-style ids
 * are checked for their month and their 4 (to 1412) or 5 digits. False
 * when there is none or it does not fit in size bytes. */
bool url_arxiv_id(const char *s, char *out, unsigned size);

/* Whether the title or tag of a GitHub release names an automated build:
 * "b" and 1 to 9 digits, any case, white space around ignored (llama.cpp's
 * b4567). Such releases collapse to one item per repository per day. */
bool url_is_automated_build(const char *title);

#endif
