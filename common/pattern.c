#include "common/pattern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/err.h"
#include "common/xalloc.h"

#ifdef PCRE2_MATCH_INVALID_UTF
#define PATTERN_INVALID_UTF PCRE2_MATCH_INVALID_UTF
#else
#define PATTERN_INVALID_UTF 0
#endif
#define PATTERN_OPTIONS                                                        \
	(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_NEVER_BACKSLASH_C |    \
	 PATTERN_INVALID_UTF)

struct pattern {
	pcre2_code *code;
	pcre2_match_data *md;    /* one pair of offsets: where it matched */
	pcre2_match_context *mc; /* the bounds */
	char *src;
};

int pattern_compile(const char *src, struct pattern **out, struct buf *err)
{
	struct pattern *p;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE offset;
	pcre2_code *code;
	int rc;

	*out = NULL;
	code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	                     PATTERN_OPTIONS, &rc, &offset, NULL);
	if (!code) {
		if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
			buf_printf(err, "bad pattern: error %d at offset %zu",
			           rc, (size_t)offset);
		else
			buf_printf(err, "bad pattern: %s at offset %zu",
			           (const char *)msg, (size_t)offset);
		return ERR_PARSE;
	}
	p = xcalloc(1, sizeof *p);
	p->code = code;
	p->md = pcre2_match_data_create(1, NULL);
	p->mc = pcre2_match_context_create(NULL);
	if (!p->md || !p->mc)
		xalloc_die(sizeof *p);
	pcre2_set_match_limit(p->mc, PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mc, PATTERN_DEPTH_LIMIT);
	pcre2_set_heap_limit(p->mc, PATTERN_HEAP_LIMIT_KIB);
	p->src = xstrdup(src);
	*out = p;
	return 0;
}

void pattern_free(struct pattern *p)
{
	if (!p)
		return;
	pcre2_code_free(p->code);
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mc);
	free(p->src);
	free(p);
}

static int pattern_match_at(struct pattern *p, const char *s, size_t n,
                            size_t start)
{
	int rc = pcre2_match(p->code, (PCRE2_SPTR)s, n, start, 0, p->md, p->mc);

	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

int pattern_match(struct pattern *p, const char *s, size_t n)
{
	return pattern_match_at(p, s, n, 0);
}

bool pattern_matches(struct pattern *p, const char *s)
{
	if (!p)
		return false;
	if (!s)
		s = "";
	return pattern_match_at(p, s, strlen(s), 0) == 1;
}

size_t pattern_count(struct pattern *p, const char *s, size_t max)
{
	size_t n, at = 0, count = 0;
	PCRE2_SIZE *ov;

	if (!p || !s)
		return 0;
	n = strlen(s);
	while (count < max && at <= n && pattern_match_at(p, s, n, at) == 1) {
		ov = pcre2_get_ovector_pointer(p->md);
		count++;
		/* an empty match moves on by one byte, else past the match */
		at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		while (at < n && ((unsigned char)s[at] & 0xC0) == 0x80)
			at++;
	}
	return count;
}

const char *pattern_source(const struct pattern *p)
{
	return p ? p->src : NULL;
}
