#include "fetch/urlnorm.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "common/ascii.h"
#include "common/buf.h"
#include "common/xalloc.h"

/* URLs longer than this are no key worth having: rejected. */
#define URL_MAX_LEN 8192
#define URL_MAX_HOST 255
/* The longest arXiv id written out: archive/YYMMNNN or YYMM.NNNNN. */
#define ARXIV_ID_MAX 32

/* Sites whose links have a canonical form of their own. URL_SITE_ANY is
 * every other host (and, in url_trackers, "on any host"). */
enum url_site {
	URL_SITE_ANY = 0,
	URL_SITE_ARXIV,
	URL_SITE_HF,
	URL_SITE_X,
	URL_SITE_YOUTUBE
};

static const struct url_site_host {
	const char *host;
	enum url_site site;
} url_site_hosts[] = {
        {"arxiv.org", URL_SITE_ARXIV},
        {"www.arxiv.org", URL_SITE_ARXIV},
        {"export.arxiv.org", URL_SITE_ARXIV},
        {"huggingface.co", URL_SITE_HF},
        {"www.huggingface.co", URL_SITE_HF},
        {"hf.co", URL_SITE_HF},
        {"x.com", URL_SITE_X},
        {"www.x.com", URL_SITE_X},
        {"mobile.x.com", URL_SITE_X},
        {"twitter.com", URL_SITE_X},
        {"www.twitter.com", URL_SITE_X},
        {"mobile.twitter.com", URL_SITE_X},
        {"youtube.com", URL_SITE_YOUTUBE},
        {"www.youtube.com", URL_SITE_YOUTUBE},
        {"m.youtube.com", URL_SITE_YOUTUBE},
        {"music.youtube.com", URL_SITE_YOUTUBE},
        {"youtu.be", URL_SITE_YOUTUBE},
};

/* Query parameters that only say where a click came from. Names compare
 * without regard to case; values, when listed ("|a|b|"), too. */
static const struct url_tracker {
	const char *name;
	bool prefix;        /* name is a prefix (utm_source, utm_medium...) */
	const char *values; /* only with one of these values, or NULL */
	enum url_site site; /* only on this site; URL_SITE_ANY: anywhere */
} url_trackers[] = {
        {"utm_", true, NULL, URL_SITE_ANY},
        {"fbclid", false, NULL, URL_SITE_ANY},
        {"gclid", false, NULL, URL_SITE_ANY},
        {"dclid", false, NULL, URL_SITE_ANY},
        {"yclid", false, NULL, URL_SITE_ANY},
        {"mc_cid", false, NULL, URL_SITE_ANY},
        {"mc_eid", false, NULL, URL_SITE_ANY},
        {"igshid", false, NULL, URL_SITE_ANY},
        {"ref", false, NULL, URL_SITE_ANY},
        {"ref_src", false, NULL, URL_SITE_ANY},
        {"ref_url", false, NULL, URL_SITE_ANY},
        {"spm", false, NULL, URL_SITE_ANY},
        {"_hsenc", false, NULL, URL_SITE_ANY},
        {"_hsmi", false, NULL, URL_SITE_ANY},
        {"cmpid", false, NULL, URL_SITE_ANY},
        {"source", false, "|rss|twitter|feed|", URL_SITE_ANY},
        {"si", false, NULL, URL_SITE_YOUTUBE},
        {"s", false, NULL, URL_SITE_X},
        {"t", false, NULL, URL_SITE_X},
};

/* Paths on an arXiv host that name a paper: PREFIX ID[vN][.pdf][/]. */
static const char *const arxiv_paths[] = {"/abs/", "/pdf/", "/html/"};

/* The archives of old-style identifiers (archive/YYMMNNN), sorted. */
static const char *const arxiv_archives[] = {
        "acc-phys", "adap-org", "alg-geom", "ao-sci",   "astro-ph", "atom-ph",
        "bayes-an", "chao-dyn", "chem-ph",  "cmp-lg",   "comp-gas", "cond-mat",
        "cs",       "dg-ga",    "funct-an", "gr-qc",    "hep-ex",   "hep-lat",
        "hep-ph",   "hep-th",   "math",     "math-ph",  "mtrl-th",  "nlin",
        "nucl-ex",  "nucl-th",  "patt-sol", "physics",  "plasm-ph", "q-alg",
        "q-bio",    "quant-ph", "solv-int", "supr-con",
};

/* The pieces of an absolute http(s) URL, pointing into the input. */
struct url_parts {
	bool https;
	const char *user; /* userinfo, without its '@'; NULL when none */
	size_t user_len;
	char host[URL_MAX_HOST + 1]; /* lower-cased, no trailing dots */
	long port;                   /* -1: none or the scheme's default */
	const char *path;
	size_t path_len;
	const char *query; /* after '?'; NULL when there is no '?' */
	size_t query_len;
	const char *frag; /* after '#'; NULL when there is no '#' */
	size_t frag_len;
	enum url_site site;
};

static bool url_is_unreserved(unsigned char c)
{
	return ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Characters a host may hold: letters, digits, "-._~", '%' and the
 * sub-delims of RFC 3986, and any byte of a UTF-8 (IDN) name. */
static bool url_is_host_char(unsigned char c)
{
	return c >= 0x80 || url_is_unreserved(c) ||
	       (c && strchr("%!$&'()*+,;=", c) != NULL);
}

static bool url_starts_icase(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && strncasecmp(s, prefix, k) == 0;
}

static enum url_site url_site_of(const char *host)
{
	size_t i;

	for (i = 0; i < sizeof url_site_hosts / sizeof *url_site_hosts; i++)
		if (strcmp(host, url_site_hosts[i].host) == 0)
			return url_site_hosts[i].site;
	return URL_SITE_ANY;
}

/* Read the authority s[0..n): [userinfo@]host[:port]. */
static bool url_split_authority(const char *s, size_t n, struct url_parts *u)
{
	const char *at = NULL, *host, *end = s + n, *colon = NULL, *p;
	size_t host_len, i;
	long port = 0;

	for (p = s; p < end; p++)
		if (*p == '@')
			at = p;
	if (at) {
		u->user = s;
		u->user_len = (size_t)(at - s);
		s = at + 1;
	}
	host = s;
	if (s < end && *s == '[') {
		p = memchr(s, ']', (size_t)(end - s));
		if (!p)
			return false;
		p++;
		if (p < end && *p != ':')
			return false;
		colon = p < end ? p : NULL;
	} else {
		colon = memchr(s, ':', (size_t)(end - s));
	}
	host_len = (size_t)((colon ? colon : end) - host);
	while (host_len && host[host_len - 1] == '.')
		host_len--;
	if (host_len == 0 || host_len > URL_MAX_HOST)
		return false;
	for (i = 0; i < host_len; i++) {
		char c = host[i];

		if (!url_is_host_char((unsigned char)c) &&
		    !(host[0] == '[' && (c == '[' || c == ']' || c == ':')))
			return false;
		u->host[i] = (char)ascii_tolower(c);
	}
	u->host[host_len] = '\0';
	u->port = -1;
	if (colon && colon + 1 < end) {
		if (end - (colon + 1) > 5)
			return false;
		for (p = colon + 1; p < end; p++) {
			if (!ascii_isdigit(*p))
				return false;
			port = port * 10 + (*p - '0');
		}
		if (port > 65535)
			return false;
		if (port != (u->https ? 443 : 80))
			u->port = port;
	}
	u->site = url_site_of(u->host);
	return true;
}

/* Split s[0..n) (trimmed) into its parts; false when it is not an
 * absolute http(s) URL with a host, or holds control characters. */
static bool url_split(const char *s, size_t n, struct url_parts *u)
{
	size_t i, auth_end;

	memset(u, 0, sizeof *u);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return false;
	if (url_starts_icase(s, n, "https://")) {
		u->https = true;
		i = 8;
	} else if (url_starts_icase(s, n, "http://")) {
		i = 7;
	} else {
		return false;
	}
	for (auth_end = i; auth_end < n && !strchr("/?#", s[auth_end]);
	     auth_end++)
		;
	if (!url_split_authority(s + i, auth_end - i, u))
		return false;
	i = auth_end;
	u->path = s + i;
	while (i < n && s[i] != '?' && s[i] != '#')
		i++;
	u->path_len = (size_t)(s + i - u->path);
	if (i < n && s[i] == '?') {
		u->query = s + ++i;
		while (i < n && s[i] != '#')
			i++;
		u->query_len = (size_t)(s + i - u->query);
	}
	if (i < n && s[i] == '#') {
		u->frag = s + i + 1;
		u->frag_len = n - i - 1;
	}
	return true;
}

static void url_put_pct(struct buf *b, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3] = {'%', hex[c >> 4], hex[c & 15]};

	buf_append(b, esc, sizeof esc);
}

/* Append s[0..n) with percent-encoding normalized: escapes of unreserved
 * characters decoded, other escapes in upper case; a '%' that begins no
 * escape, spaces, non-ASCII bytes and the characters no URI may hold are
 * escaped. */
static void url_put_escaped(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;

		if (c == '%' && i + 2 < n &&
		    (hi = ascii_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = ascii_hexval((unsigned char)s[i + 2])) >= 0) {
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
			if (url_is_unreserved(c))
				buf_putc(b, c);
			else
				url_put_pct(b, c);
		} else if (c == '%' || c == ' ' || c >= 0x80 ||
		           strchr("\"<>\\^`{|}", c) != NULL) {
			url_put_pct(b, c);
		} else {
			buf_putc(b, c);
		}
	}
}

/* Whether the parameter name[0..n) with value[0..vn) is a tracker here. */
static bool url_is_tracker(const char *name, size_t n, const char *value,
                           size_t vn, enum url_site site)
{
	size_t i, k;

	for (i = 0; i < sizeof url_trackers / sizeof *url_trackers; i++) {
		const struct url_tracker *t = &url_trackers[i];
		const char *v;

		k = strlen(t->name);
		if (t->site != URL_SITE_ANY && t->site != site)
			continue;
		if (t->prefix ? n < k : n != k)
			continue;
		if (strncasecmp(name, t->name, k) != 0)
			continue;
		if (!t->values)
			return true;
		for (v = t->values; (v = strchr(v, '|')) && v[1]; v++)
			if (vn && strncasecmp(v + 1, value, vn) == 0 &&
			    v[1 + vn] == '|')
				return true;
	}
	return false;
}

/* Append the query q[0..n) without trackers or empty parameters, order
 * kept, with its leading '?' when anything is left. */
static void url_put_query(struct buf *b, const char *q, size_t n,
                          enum url_site site)
{
	const char *end = q + n, *p = q, *amp, *eq;
	bool first = true;

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (!amp)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (amp > p &&
		    !url_is_tracker(p, (size_t)((eq ? eq : amp) - p),
		                    eq ? eq + 1 : amp,
		                    eq ? (size_t)(amp - eq - 1) : 0, site)) {
			buf_putc(b, first ? '?' : '&');
			url_put_escaped(b, p, (size_t)(amp - p));
			first = false;
		}
		p = amp + 1;
	}
}

static bool url_archive_known(const char *s, size_t n)
{
	size_t lo = 0, hi = sizeof arxiv_archives / sizeof *arxiv_archives;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(arxiv_archives[mid], s, n);

		if (c == 0 && arxiv_archives[mid][n] == '\0')
			return true;
		/* on c == 0 the entry is longer than s, so after it */
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static size_t url_count_digits(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && ascii_isdigit(s[i]))
		i++;
	return i;
}

static bool url_month_ok(const char *mm)
{
	int m = (mm[0] - '0') * 10 + (mm[1] - '0');

	return m >= 1 && m <= 12;
}

/* Match an arXiv identifier at the start of s[0..n): new style
 * YYMM.NNNN (up to 1412) or YYMM.NNNNN (from 1501), or old style
 * archive[.XX]/YYMMNNN, then an optional version vN. Writes the id without
 * version or subject class to out (ARXIV_ID_MAX + 1 bytes). Returns the
 * bytes matched, 0 when there is no id. */
static size_t arxiv_match(const char *s, size_t n, char *out)
{
	size_t i, k, id_len;

	k = url_count_digits(s, n);
	if (k == 4 && n > 4 && s[4] == '.') {
		int yymm = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		           (s[2] - '0') * 10 + (s[3] - '0');
		size_t want = yymm >= 1501 ? 5 : 4;

		if (!url_month_ok(s + 2) || yymm < 704)
			return 0;
		if (url_count_digits(s + 5, n - 5) != want)
			return 0;
		id_len = i = 5 + want;
		memcpy(out, s, id_len);
	} else {
		for (i = 0;
		     i < n && i <= 16 && (ascii_isalpha(s[i]) || s[i] == '-');
		     i++)
			out[i] = (char)ascii_tolower(s[i]);
		if (i == 0 || i > 16 || !url_archive_known(out, i))
			return 0;
		id_len = i;
		/* a subject class (math.GT/0309136) is not part of the id */
		if (i + 3 < n && s[i] == '.' && ascii_isalpha(s[i + 1]) &&
		    ascii_isalpha(s[i + 2]))
			i += 3;
		if (i >= n || s[i] != '/' ||
		    url_count_digits(s + i + 1, n - i - 1) != 7 ||
		    !url_month_ok(s + i + 3))
			return 0;
		out[id_len++] = '/';
		memcpy(out + id_len, s + i + 1, 7);
		id_len += 7;
		i += 8;
	}
	out[id_len] = '\0';
	if (i + 1 < n && (s[i] == 'v' || s[i] == 'V') &&
	    (k = url_count_digits(s + i + 1, n - i - 1)) > 0 && k <= 4)
		i += 1 + k;
	if (i < n && (ascii_isdigit(s[i]) || ascii_isalpha(s[i])) &&
	    !url_starts_icase(s + i, n - i, ".pdf"))
		return 0;
	return i;
}

/* The arXiv id a path on an arXiv host names: /abs/ID, /pdf/ID.pdf,
 * /html/IDv2/. */
static bool url_arxiv_path(const char *p, size_t n, char *id)
{
	size_t i, k, m;

	for (i = 0; i < sizeof arxiv_paths / sizeof *arxiv_paths; i++) {
		k = strlen(arxiv_paths[i]);
		if (n <= k || strncmp(p, arxiv_paths[i], k) != 0)
			continue;
		m = arxiv_match(p + k, n - k, id);
		if (m == 0)
			return false;
		k += m;
		if (url_starts_icase(p + k, n - k, ".pdf"))
			k += 4;
		if (k < n && p[k] == '/')
			k++;
		return k == n;
	}
	return false;
}

/* /papers/ID on huggingface.co: the paper's arXiv id. */
static bool url_hf_path(const char *p, size_t n, char *id)
{
	size_t m;

	if (n <= 8 || strncmp(p, "/papers/", 8) != 0)
		return false;
	m = arxiv_match(p + 8, n - 8, id);
	if (m == 0)
		return false;
	m += 8;
	if (m < n && p[m] == '/')
		m++;
	return m == n;
}

static size_t url_count_handle(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n &&
	       (ascii_isalpha(s[i]) || ascii_isdigit(s[i]) || s[i] == '_'))
		i++;
	return i;
}

/* A post's path on X: /USER/status/ID[/...] (also /statuses/), or
 * /i/web/status/ID; appends its canonical URL to b. */
static bool url_put_x_status(struct buf *b, const char *p, size_t n)
{
	size_t user, i, k, id;

	if (n < 2 || p[0] != '/')
		return false;
	user = url_count_handle(p + 1, n - 1);
	if (user == 0 || user > 50 || 1 + user >= n || p[1 + user] != '/')
		return false;
	i = 2 + user;
	if (user == 1 && p[1] == 'i' && n - i > 4 &&
	    strncmp(p + i, "web/", 4) == 0)
		i += 4;
	if (url_starts_icase(p + i, n - i, "statuses/"))
		i += 9;
	else if (url_starts_icase(p + i, n - i, "status/"))
		i += 7;
	else
		return false;
	id = url_count_digits(p + i, n - i);
	if (id == 0 || id > 20 || (i + id < n && p[i + id] != '/'))
		return false;
	buf_puts(b, "https://x.com/");
	if (user == 1 && p[1] == 'i') {
		buf_puts(b, "i/web");
	} else {
		for (k = 0; k < user; k++)
			buf_putc(b, (char)ascii_tolower(p[1 + k]));
	}
	buf_puts(b, "/status/");
	buf_append(b, p + i, id);
	return true;
}

/* Trim ASCII white space around s; false when it is too long. */
static bool url_trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t len = strnlen(p, URL_MAX_LEN + 1);

	if (len > URL_MAX_LEN)
		return false;
	while (len && ascii_isspace(*p)) {
		p++;
		len--;
	}
	while (len && ascii_isspace(p[len - 1]))
		len--;
	*s = p;
	*n = len;
	return len > 0;
}

char *url_canonical(const char *url)
{
	struct buf b = BUF_INIT(3 * URL_MAX_LEN + 64);
	struct url_parts u;
	char id[ARXIV_ID_MAX + 1];
	const char *s;
	size_t n;

	if (!url || !url_trim(&url, &n))
		return NULL;
	s = url;
	if (!url_split(s, n, &u))
		return NULL;
	if (u.site == URL_SITE_ARXIV && url_arxiv_path(u.path, u.path_len, id))
		goto arxiv;
	if (u.site == URL_SITE_HF && url_hf_path(u.path, u.path_len, id))
		goto arxiv;
	if (u.site == URL_SITE_X) {
		if (url_put_x_status(&b, u.path, u.path_len))
			return buf_detach(&b);
		/* the old hash-bang links: twitter.com/#!/USER/status/ID */
		if (u.frag && u.frag_len > 1 && u.frag[0] == '!' &&
		    url_put_x_status(&b, u.frag + 1, u.frag_len - 1))
			return buf_detach(&b);
		memcpy(u.host, "x.com", 6);
	}
	buf_puts(&b, u.https ? "https://" : "http://");
	if (u.user) {
		url_put_escaped(&b, u.user, u.user_len);
		buf_putc(&b, '@');
	}
	buf_puts(&b, u.host);
	if (u.port >= 0)
		buf_printf(&b, ":%ld", u.port);
	if (u.path_len)
		url_put_escaped(&b, u.path, u.path_len);
	else
		buf_putc(&b, '/');
	if (u.query)
		url_put_query(&b, u.query, u.query_len, u.site);
	/* escapes grow a URL; the key stays within the bound it was read
	 * under, so that it is its own canonical form */
	if (b.len > URL_MAX_LEN) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
arxiv:
	buf_puts(&b, "https://arxiv.org/abs/");
	buf_puts(&b, id);
	return buf_detach(&b);
}

bool url_arxiv_id(const char *s, char *out, unsigned size)
{
	static const char *const prefixes[] = {"oai:arXiv.org:", "arXiv:"};
	char id[ARXIV_ID_MAX + 1];
	struct url_parts u;
	size_t n, i, m, len;

	if (!s || !out || size == 0 || !url_trim(&s, &n))
		return false;
	if (url_split(s, n, &u)) {
		if (!(u.site == URL_SITE_ARXIV &&
		      url_arxiv_path(u.path, u.path_len, id)) &&
		    !(u.site == URL_SITE_HF &&
		      url_hf_path(u.path, u.path_len, id)))
			return false;
	} else {
		for (i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
			if (url_starts_icase(s, n, prefixes[i])) {
				s += strlen(prefixes[i]);
				n -= strlen(prefixes[i]);
				break;
			}
		m = arxiv_match(s, n, id);
		if (m == 0 || m != n)
			return false;
	}
	len = strlen(id);
	if (len >= size)
		return false;
	memcpy(out, id, len + 1);
	return true;
}

bool url_is_automated_build(const char *title)
{
	size_t n, digits;

	if (!title || !url_trim(&title, &n))
		return false;
	if (n < 2 || (title[0] != 'b' && title[0] != 'B'))
		return false;
	digits = url_count_digits(title + 1, n - 1);
	return digits == n - 1 && digits <= 9;
}
