#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "render/escape.h"
#include "render/mustache.h"

/* libFuzzer target for mustache_render. The first byte chooses the
 * options; the rest is the template, a NUL, the JSON data, a NUL, the
 * text of the partials. A partial whose name starts with 't' is the
 * template itself, with '-' there is none, any other is that text.
 *
 * Option byte: bits 0-1 the escaper (HTML, markdown, YAML, none), bits
 * 2-3 max_output, bits 4-5 max_depth, bit 6 a small cap on out, bit 7 no
 * data at all.
 *
 * The result is 0, ERR_PARSE or ERR_LIMIT, the last two with a reason;
 * out is appended whole, within max_output, or left as it was; from
 * UTF-8 input come UTF-8 output and messages; a template without "{{" is
 * its own output; HTML escaping lets no markup character through from
 * the data. Any broken invariant aborts. */

#define MU_PREFIX "~~"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const mustache_escape_fn mu_escapes[4] = {escape_html, escape_markdown,
                                                 escape_yaml, escape_none};
static const size_t mu_max_output[4] = {65536, 4096, 64, 1};
static const size_t mu_max_depth[4] = {0, 1, 4, 16};

struct mu_input {
	const char *tmpl, *json, *partial;
	size_t ntmpl, njson, npartial;
};

static void mu_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void mu_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_mustache: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static char *mu_partial(void *ctx, const char *name)
{
	const struct mu_input *in = ctx;

	if (name[0] == '-')
		return NULL;
	if (name[0] == 't')
		return xstrndup(in->tmpl, in->ntmpl);
	return xstrndup(in->partial, in->npartial);
}

/* s[0..n) up to the first NUL into *part, the rest after it. */
static void mu_split(const char **s, size_t *n, const char **part, size_t *len)
{
	const char *nul = memchr(*s, '\0', *n);

	*part = *s;
	*len = nul ? (size_t)(nul - *s) : *n;
	*s += nul ? *len + 1 : *n;
	*n -= nul ? *len + 1 : *n;
}

static bool mu_utf8(const char *s, size_t n)
{
	return utf8_valid_prefix(s, n) == n;
}

/* Whether s[0..n) has neither a markup character nor a tag that could
 * put a value out unescaped ({{{x}}}, {{&x}}, or either of them after a
 * change of delimiters). */
static bool mu_all_escaped(const char *s, size_t n)
{
	return !memchr(s, '<', n) && !memchr(s, '>', n) && !memchr(s, '&', n) &&
	       !memchr(s, '"', n) && !memchr(s, '\'', n) &&
	       !memmem(s, n, "{{{", 3) && !memmem(s, n, "{{=", 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s;
	size_t n, max_output;
	struct mustache_options opt;
	struct buf out, err = BUF_INIT(0);
	struct mu_input in;
	json_t *json = NULL;
	int ret;
	bool utf8;

	if (size < 1)
		return 0;
	s = (const char *)data + 1;
	n = size - 1;
	mu_split(&s, &n, &in.tmpl, &in.ntmpl);
	mu_split(&s, &n, &in.json, &in.njson);
	in.partial = s;
	in.npartial = n;
	if (!(data[0] & 0x80))
		json = json_loadb(in.json, in.njson, JSON_DECODE_ANY, NULL);
	memset(&opt, 0, sizeof opt);
	opt.escape = mu_escapes[data[0] & 3];
	opt.partial = mu_partial;
	opt.ctx = &in;
	opt.max_output = max_output = mu_max_output[(data[0] >> 2) & 3];
	opt.max_depth = mu_max_depth[(data[0] >> 4) & 3];
	buf_init(&out, data[0] & 0x40 ? 100 : 0);
	buf_puts(&out, MU_PREFIX);

	ret = mustache_render(in.tmpl, in.ntmpl, json, &opt, &out, &err);
	if (ret != 0 && ret != ERR_PARSE && ret != ERR_LIMIT)
		mu_fail("result %d", ret);
	if (ret != 0 && (err.len == 0 || strcmp(buf_cstr(&out), MU_PREFIX)))
		mu_fail("failed (%d) with out '%s', err '%s'", ret,
		        buf_cstr(&out), buf_cstr(&err));
	if (ret == 0 && out.len - strlen(MU_PREFIX) > max_output)
		mu_fail("%zu bytes out, over %zu", out.len, max_output);
	utf8 = mu_utf8(in.tmpl, in.ntmpl) && mu_utf8(in.partial, in.npartial);
	if (utf8 && (!mu_utf8(buf_cstr(&out), out.len) ||
	             !mu_utf8(buf_cstr(&err), err.len)))
		mu_fail("UTF-8 in, not UTF-8 out: '%s', err '%s'",
		        buf_cstr(&out), buf_cstr(&err));
	if (!memmem(in.tmpl, in.ntmpl, "{{", 2) && in.ntmpl <= max_output &&
	    out.max == 0 &&
	    (ret != 0 || out.len != strlen(MU_PREFIX) + in.ntmpl ||
	     memcmp(out.data + strlen(MU_PREFIX), in.tmpl, in.ntmpl) != 0))
		mu_fail("a template without tags is not its output (%d)", ret);
	if (ret == 0 && opt.escape == escape_html &&
	    mu_all_escaped(in.tmpl, in.ntmpl) &&
	    mu_all_escaped(in.partial, in.npartial) &&
	    strpbrk(buf_cstr(&out), "<>\"'"))
		mu_fail("HTML escaping let markup through: '%s'",
		        buf_cstr(&out));
	json_decref(json);
	buf_free(&out);
	buf_free(&err);
	return 0;
}
