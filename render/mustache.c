#include "render/mustache.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/xalloc.h"
#include "render/escape.h"

/* A template is parsed once into a flat token array: sections know the
 * index of their end tag, so rendering walks the array with an explicit
 * stack of frames (sections and partials) instead of recursing. */

#define DEFAULT_MAX_OUTPUT ((size_t)16 << 20)
#define DEFAULT_MAX_DEPTH 64
#define MAX_DELIM 16
/* All partial text loaded by one render, after indentation. */
#define MAX_PARTIAL_BYTES ((size_t)64 << 20)
/* Work bound: tokens executed, at least this many or 8 per output byte. */
#define MIN_STEPS ((unsigned long long)1 << 20)
#define NAME_IN_MESSAGE 80

enum tok_type {
	TOK_TEXT,
	TOK_VAR, /* escaped */
	TOK_RAW, /* {{{x}}} and {{&x}} */
	TOK_SECTION,
	TOK_INVERTED,
	TOK_END,
	TOK_PARTIAL,
	TOK_COMMENT, /* parsed, never stored */
	TOK_DELIM    /* parsed, never stored */
};

struct token {
	enum tok_type type;
	const char *s; /* text, or the tag's trimmed name */
	size_t n;
	size_t line;
	size_t end;         /* sections: index of their TOK_END */
	const char *indent; /* standalone partials: the line's indentation */
	size_t nindent;
};

struct tmpl {
	char *src;    /* owned text (partials); NULL for the caller's */
	char *name;   /* partial name; NULL for the main template */
	char *indent; /* the indentation a partial was loaded with */
	size_t nindent;
	struct token *tok;
	size_t n, cap;
};

struct frame {
	const struct tmpl *t;
	size_t begin, end, pc;
	const json_t *list; /* a section over a list: the list */
	size_t index;
	bool pushed; /* a context was pushed for this frame */
};

struct engine {
	mustache_escape_fn escape;
	mustache_partial_fn partial;
	void *ctx;
	size_t max_output, max_depth;
	unsigned long long steps, max_steps;
	size_t partial_bytes;
	struct tmpl **partials;
	size_t npartials, cap_partials;
	const json_t **stack; /* the context stack; the data at the bottom */
	size_t nstack, cap_stack;
	struct frame *frames;
	size_t nframes, cap_frames;
	struct buf out;
	struct buf *err;
};

struct parser {
	struct engine *eng;
	struct tmpl *t;
	const char *s;
	size_t n, pos, line;
	char open[MAX_DELIM + 1], close[MAX_DELIM + 1];
	size_t nopen, nclose;
	size_t *open_sections; /* token indices */
	size_t depth, cap_depth;
};

static const struct {
	char sigil;
	enum tok_type type;
} sigils[] = {
        {'#', TOK_SECTION}, {'^', TOK_INVERTED}, {'/', TOK_END},
        {'>', TOK_PARTIAL}, {'!', TOK_COMMENT},  {'=', TOK_DELIM},
        {'&', TOK_RAW},     {'{', TOK_RAW},
};

/* Bytes of s[0..n) to quote in a message: at most NAME_IN_MESSAGE, not
 * cutting a UTF-8 character. */
static int quoted_len(const char *s, size_t n)
{
	if (n <= NAME_IN_MESSAGE)
		return (int)n;
	n = NAME_IN_MESSAGE;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static int fail(struct engine *eng, int code, const struct tmpl *t, size_t line,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Say why in eng->err, prefixed with where: "partial 'row': line 3: ".
 * Returns code (ERR_PARSE for the template, ERR_LIMIT for a bound). */
static int fail(struct engine *eng, int code, const struct tmpl *t, size_t line,
                const char *fmt, ...)
{
	va_list ap;

	if (t && t->name)
		buf_printf(eng->err, "partial '%.*s': ",
		           quoted_len(t->name, strlen(t->name)), t->name);
	if (line)
		buf_printf(eng->err, "line %zu: ", line);
	va_start(ap, fmt);
	buf_vprintf(eng->err, fmt, ap);
	va_end(ap);
	return code;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t k = 0;
	const char *nl;

	while (n && (nl = memchr(s, '\n', n)) != NULL) {
		k++;
		n -= (size_t)(nl + 1 - s);
		s = nl + 1;
	}
	return k;
}

static struct token *tmpl_add(struct tmpl *t, enum tok_type type, const char *s,
                              size_t n, size_t line)
{
	struct token *tok;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->tok = xreallocarray(t->tok, t->cap, sizeof *t->tok);
	}
	tok = &t->tok[t->n++];
	memset(tok, 0, sizeof *tok);
	tok->type = type;
	tok->s = s;
	tok->n = n;
	tok->line = line;
	return tok;
}

static void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->src);
	free(t->name);
	free(t->indent);
	free(t->tok);
	free(t);
}

/* A name is "." or dot-separated non-empty parts. */
static bool name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 1 && s[0] == '.')
		return true;
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return false;
	return true;
}

/* "{{=<% %>=}}": body is "<% %>" (between the two '='). */
static int parse_delimiters(struct parser *p, const char *s, size_t n,
                            size_t line)
{
	const char *part[2];
	size_t len[2], i = 0, k;

	for (k = 0; k < 2; k++) {
		while (i < n && ascii_isspace(s[i]))
			i++;
		part[k] = s + i;
		while (i < n && !ascii_isspace(s[i]) && s[i] != '=')
			i++;
		len[k] = (size_t)(s + i - part[k]);
		if (len[k] == 0 || len[k] > MAX_DELIM)
			goto bad;
	}
	while (i < n && ascii_isspace(s[i]))
		i++;
	if (i != n)
		goto bad;
	memcpy(p->open, part[0], len[0]);
	p->open[len[0]] = '\0';
	p->nopen = len[0];
	memcpy(p->close, part[1], len[1]);
	p->close[len[1]] = '\0';
	p->nclose = len[1];
	return 0;
bad:
	return fail(p->eng, ERR_PARSE, p->t, line,
	            "bad delimiter set '%.*s' (want two delimiters of 1 to %d "
	            "characters, no spaces or '=')",
	            quoted_len(s, n), s, MAX_DELIM);
}

/* The line of a standalone tag at [start, end): where its line begins and
 * where the next one does. False when the tag shares its line with text
 * or another tag. */
static bool standalone(const struct parser *p, size_t start, size_t end,
                       size_t *line_begin, size_t *next)
{
	const char *s = p->s;
	size_t i = start;

	while (i > p->pos && s[i - 1] != '\n')
		i--;
	if (i == p->pos && !(i == 0 || s[i - 1] == '\n'))
		return false;
	*line_begin = i;
	for (; i < start; i++)
		if (!ascii_isblank(s[i]))
			return false;
	for (i = end; i < p->n && ascii_isblank(s[i]); i++)
		;
	if (i == p->n)
		*next = i;
	else if (s[i] == '\n')
		*next = i + 1;
	else if (s[i] == '\r' && i + 1 < p->n && s[i + 1] == '\n')
		*next = i + 2;
	else
		return false;
	return true;
}

static int parse_tag(struct parser *p, enum tok_type type, const char *name,
                     size_t n, size_t line, const char *indent, size_t nindent)
{
	struct engine *eng = p->eng;
	struct token *tok, *open;
	size_t top;

	if (type == TOK_COMMENT)
		return 0;
	if (type == TOK_DELIM)
		return parse_delimiters(p, name, n, line);
	if (n == 0)
		return fail(eng, ERR_PARSE, p->t, line, "empty tag");
	if (memchr(name, '\0', n) || (type != TOK_PARTIAL && !name_ok(name, n)))
		return fail(eng, ERR_PARSE, p->t, line, "bad name '%.*s'",
		            quoted_len(name, n), name);
	if (type == TOK_END) {
		if (p->depth == 0)
			return fail(eng, ERR_PARSE, p->t, line,
			            "close tag '%.*s' without an open section",
			            quoted_len(name, n), name);
		top = p->open_sections[p->depth - 1];
		open = &p->t->tok[top];
		if (open->n != n || memcmp(open->s, name, n) != 0)
			return fail(eng, ERR_PARSE, p->t, line,
			            "mismatched close tag '%.*s' (section "
			            "'%.*s' opened on line %zu)",
			            quoted_len(name, n), name,
			            quoted_len(open->s, open->n), open->s,
			            open->line);
		p->depth--;
		open->end = p->t->n;
		tmpl_add(p->t, TOK_END, name, n, line);
		return 0;
	}
	if (type == TOK_SECTION || type == TOK_INVERTED) {
		if (p->depth == eng->max_depth)
			return fail(eng, ERR_LIMIT, p->t, line,
			            "sections nested deeper than %zu",
			            eng->max_depth);
		if (p->depth == p->cap_depth) {
			p->cap_depth = p->cap_depth ? p->cap_depth * 2 : 8;
			p->open_sections =
			        xreallocarray(p->open_sections, p->cap_depth,
			                      sizeof *p->open_sections);
		}
		p->open_sections[p->depth++] = p->t->n;
	}
	tok = tmpl_add(p->t, type, name, n, line);
	tok->indent = indent;
	tok->nindent = nindent;
	return 0;
}

static enum tok_type tag_type(char c)
{
	size_t k;

	for (k = 0; k < sizeof sigils / sizeof *sigils; k++)
		if (sigils[k].sigil == c)
			return sigils[k].type;
	return TOK_VAR;
}

/* One tag whose opening delimiter is at start. */
static int parse_one_tag(struct parser *p, size_t start)
{
	const char *s = p->s, *found, *name;
	size_t body, close_at, end, line, nname;
	size_t line_begin = 0, next = 0;
	char c = start + p->nopen < p->n ? s[start + p->nopen] : '\0';
	enum tok_type type = tag_type(c);
	bool triple = c == '{', alone;
	const char *indent = NULL;
	size_t nindent = 0, nwant;
	char want[MAX_DELIM + 2];
	int rc;

	line = p->line + count_lines(s + p->pos, start - p->pos);
	body = start + p->nopen + (type == TOK_VAR ? 0 : 1);
	/* a triple mustache ends with "}" and the closing delimiter */
	nwant = (size_t)snprintf(want, sizeof want, "%s%s", triple ? "}" : "",
	                         p->close);
	found = memmem(s + body, p->n - body, want, nwant);
	if (!found)
		return fail(p->eng, ERR_PARSE, p->t, line,
		            "unclosed tag (no '%s' after '%s')", want, p->open);
	close_at = (size_t)(found - s);
	end = close_at + nwant;
	if (type == TOK_DELIM) {
		if (close_at == body || s[close_at - 1] != '=')
			return fail(p->eng, ERR_PARSE, p->t, line,
			            "bad delimiter set (no '=' before '%s')",
			            p->close);
		close_at--;
	}
	name = s + body;
	nname = close_at - body;
	while (nname && ascii_isspace(*name))
		name++, nname--;
	while (nname && ascii_isspace(name[nname - 1]))
		nname--;

	alone = type != TOK_VAR && type != TOK_RAW &&
	        standalone(p, start, end, &line_begin, &next);
	if (!alone) {
		line_begin = start;
		next = end;
	} else if (type == TOK_PARTIAL) {
		indent = s + line_begin;
		nindent = start - line_begin;
	}
	if (line_begin > p->pos)
		tmpl_add(p->t, TOK_TEXT, s + p->pos, line_begin - p->pos,
		         p->line);
	rc = parse_tag(p, type, name, nname, line, indent, nindent);
	if (rc != 0)
		return rc;
	p->line += count_lines(s + p->pos, next - p->pos);
	p->pos = next;
	return 0;
}

/* Parse t->tok from s[0..n) with the default delimiters. */
static int parse(struct engine *eng, struct tmpl *t, const char *s, size_t n)
{
	struct parser p;
	const char *tag;
	const struct token *open;
	int ret = 0;

	memset(&p, 0, sizeof p);
	p.eng = eng;
	p.t = t;
	p.s = s;
	p.n = n;
	p.line = 1;
	memcpy(p.open, "{{", 3);
	memcpy(p.close, "}}", 3);
	p.nopen = p.nclose = 2;
	while (p.pos < n) {
		tag = memmem(s + p.pos, n - p.pos, p.open, p.nopen);
		if (!tag) {
			tmpl_add(t, TOK_TEXT, s + p.pos, n - p.pos, p.line);
			break;
		}
		ret = parse_one_tag(&p, (size_t)(tag - s));
		if (ret != 0)
			goto out;
	}
	if (p.depth > 0) {
		open = &t->tok[p.open_sections[p.depth - 1]];
		ret = fail(eng, ERR_PARSE, t, open->line,
		           "unclosed section '%.*s'",
		           quoted_len(open->s, open->n), open->s);
	}
out:
	free(p.open_sections);
	return ret;
}

/* The partial's text with indent put before each of its lines. */
static char *indent_lines(const char *text, const char *indent, size_t nindent,
                          size_t max, size_t *len)
{
	struct buf b = BUF_INIT(max);
	const char *p = text, *nl;
	size_t len_line;
	int err = 0;

	while (*p && !err) {
		nl = strchr(p, '\n');
		len_line = nl ? (size_t)(nl + 1 - p) : strlen(p);
		err = buf_append(&b, indent, nindent);
		if (!err)
			err = buf_append(&b, p, len_line);
		p += len_line;
	}
	if (err) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return buf_detach(&b);
}

/* The parsed partial of a tag: loaded once for each name and indentation,
 * then kept for the rest of the render. */
static int partial_get(struct engine *eng, const struct tmpl *from,
                       const struct token *tok, const struct tmpl **out)
{
	struct tmpl *t;
	char *text = NULL;
	size_t i, len = 0, room;
	int rc;

	for (i = 0; i < eng->npartials; i++) {
		t = eng->partials[i];
		if (strlen(t->name) == tok->n &&
		    memcmp(t->name, tok->s, tok->n) == 0 &&
		    t->nindent == tok->nindent &&
		    memcmp(t->indent, tok->indent ? tok->indent : "",
		           tok->nindent) == 0) {
			*out = t;
			return 0;
		}
	}
	t = xcalloc(1, sizeof *t);
	t->name = xstrndup(tok->s, tok->n);
	t->indent = xstrndup(tok->indent ? tok->indent : "", tok->nindent);
	t->nindent = tok->nindent;
	if (eng->npartials == eng->cap_partials) {
		eng->cap_partials =
		        eng->cap_partials ? eng->cap_partials * 2 : 8;
		eng->partials = xreallocarray(eng->partials, eng->cap_partials,
		                              sizeof *eng->partials);
	}
	eng->partials[eng->npartials++] = t;
	if (eng->partial)
		text = eng->partial(eng->ctx, t->name);
	if (!text) {
		*out = t;
		return 0;
	}
	room = MAX_PARTIAL_BYTES - eng->partial_bytes;
	if (t->nindent) {
		t->src = indent_lines(text, t->indent, t->nindent, room, &len);
		free(text);
	} else {
		len = strlen(text);
		t->src = len <= room ? text : NULL;
		if (!t->src)
			free(text);
	}
	if (!t->src)
		return fail(eng, ERR_LIMIT, from, tok->line,
		            "partial '%s': partials over %zu bytes in all",
		            t->name, MAX_PARTIAL_BYTES);
	eng->partial_bytes += len;
	rc = parse(eng, t, t->src, len);
	if (rc != 0)
		return rc;
	*out = t;
	return 0;
}

static void stack_push(struct engine *eng, const json_t *v)
{
	if (eng->nstack == eng->cap_stack) {
		eng->cap_stack = eng->cap_stack ? eng->cap_stack * 2 : 16;
		eng->stack = xreallocarray(eng->stack, eng->cap_stack,
		                           sizeof *eng->stack);
	}
	eng->stack[eng->nstack++] = v;
}

static int frame_push(struct engine *eng, const struct tmpl *from,
                      const struct token *tok, const struct tmpl *t,
                      size_t begin, size_t end, const json_t *list,
                      const json_t *context)
{
	struct frame *f;

	/* the bottom frame is the template itself, not a level */
	if (eng->nframes > eng->max_depth)
		return fail(eng, ERR_LIMIT, from, tok->line,
		            "'%.*s' nested deeper than %zu (sections and "
		            "partials)",
		            quoted_len(tok->s, tok->n), tok->s, eng->max_depth);
	if (eng->nframes == eng->cap_frames) {
		eng->cap_frames = eng->cap_frames ? eng->cap_frames * 2 : 16;
		eng->frames = xreallocarray(eng->frames, eng->cap_frames,
		                            sizeof *eng->frames);
	}
	f = &eng->frames[eng->nframes++];
	f->t = t;
	f->begin = f->pc = begin;
	f->end = end;
	f->list = list;
	f->index = 0;
	f->pushed = context != NULL;
	if (context)
		stack_push(eng, context);
	return 0;
}

/* Resolve a name against the context stack: "." is the top; the first
 * part of a dotted name is looked up from the top down (the nearest
 * object that has the key wins, even when the rest then misses), the
 * other parts inside the value found. NULL when missing. */
static const json_t *lookup(const struct engine *eng, const char *name,
                            size_t n)
{
	const json_t *v = NULL;
	const char *dot;
	size_t i, len;

	if (n == 1 && name[0] == '.')
		return eng->stack[eng->nstack - 1];
	dot = memchr(name, '.', n);
	len = dot ? (size_t)(dot - name) : n;
	for (i = eng->nstack; i-- > 0;) {
		if (json_is_object(eng->stack[i]) &&
		    (v = json_object_getn(eng->stack[i], name, len)) != NULL)
			break;
	}
	while (v && dot) {
		name = dot + 1;
		n -= len + 1;
		dot = memchr(name, '.', n);
		len = dot ? (size_t)(dot - name) : n;
		v = json_is_object(v) ? json_object_getn(v, name, len) : NULL;
	}
	return v;
}

static bool truthy(const json_t *v)
{
	return v && !json_is_false(v) && !json_is_null(v) &&
	       !(json_is_array(v) && json_array_size(v) == 0);
}

/* The shortest text that reads back as d: plain digits between 1e-7 and
 * 1e21, the exponent form outside (as JavaScript prints numbers). */
static void format_real(double d, char *out, size_t size)
{
	char *e;
	long exp10;
	int digits, decimals;

	for (digits = 1; digits < 17; digits++) {
		snprintf(out, size, "%.*e", digits - 1, d);
		if (strtod(out, NULL) == d)
			break;
	}
	snprintf(out, size, "%.*e", digits - 1, d);
	e = strchr(out, 'e');
	exp10 = e ? strtol(e + 1, NULL, 10) : 0;
	if (exp10 < -7 || exp10 >= 21)
		return;
	decimals = digits - 1 - (int)exp10;
	snprintf(out, size, "%.*f", decimals > 0 ? decimals : 0, d);
}

/* A value as text: strings as they are, numbers, true and false; null,
 * missing values, objects and arrays as nothing. */
static int put_value(struct engine *eng, const json_t *v, bool escaped)
{
	char num[64];
	const char *s = num;
	size_t n;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER:
		n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
		                     json_integer_value(v));
		break;
	case JSON_REAL:
		format_real(json_real_value(v), num, sizeof num);
		n = strlen(num);
		break;
	case JSON_TRUE:
		s = "true";
		n = 4;
		break;
	case JSON_FALSE:
		s = "false";
		n = 5;
		break;
	default:
		return 0;
	}
	if (escaped)
		return eng->escape(&eng->out, s, n);
	return buf_append(&eng->out, s, n);
}

/* One token of the top frame. */
static int step(struct engine *eng)
{
	struct frame *f = &eng->frames[eng->nframes - 1];
	const struct tmpl *t = f->t, *partial = NULL;
	const struct token *tok = &t->tok[f->pc];
	const json_t *v;
	size_t at = f->pc++;
	int err;

	switch (tok->type) {
	case TOK_TEXT:
		if (buf_append(&eng->out, tok->s, tok->n) != 0)
			goto over;
		return 0;
	case TOK_VAR:
	case TOK_RAW:
		v = lookup(eng, tok->s, tok->n);
		if (v && put_value(eng, v, tok->type == TOK_VAR) != 0)
			goto over;
		return 0;
	case TOK_SECTION:
		v = lookup(eng, tok->s, tok->n);
		f->pc = tok->end + 1;
		if (!truthy(v))
			return 0;
		if (json_is_array(v))
			return frame_push(eng, t, tok, t, at + 1, tok->end, v,
			                  json_array_get(v, 0));
		return frame_push(eng, t, tok, t, at + 1, tok->end, NULL, v);
	case TOK_INVERTED:
		v = lookup(eng, tok->s, tok->n);
		f->pc = tok->end + 1;
		if (truthy(v))
			return 0;
		return frame_push(eng, t, tok, t, at + 1, tok->end, NULL, NULL);
	case TOK_PARTIAL:
		err = partial_get(eng, t, tok, &partial);
		if (err != 0)
			return err;
		if (partial->n == 0)
			return 0;
		return frame_push(eng, t, tok, partial, 0, partial->n, NULL,
		                  NULL);
	default:
		return 0;
	}
over:
	return fail(eng, ERR_LIMIT, NULL, 0, "output over %zu bytes",
	            eng->max_output);
}

static int run(struct engine *eng, const struct tmpl *main_tmpl,
               const json_t *data)
{
	struct frame *f;
	int err;

	/* a NULL context stands for null data */
	stack_push(eng, data);
	eng->frames = xmalloc(16 * sizeof *eng->frames);
	eng->cap_frames = 16;
	eng->nframes = 1;
	memset(eng->frames, 0, sizeof *eng->frames);
	eng->frames[0].t = main_tmpl;
	eng->frames[0].end = main_tmpl->n;
	while (eng->nframes > 0) {
		f = &eng->frames[eng->nframes - 1];
		if (++eng->steps > eng->max_steps)
			return fail(eng, ERR_LIMIT, f->t,
			            f->pc < f->t->n ? f->t->tok[f->pc].line : 0,
			            "over %llu steps of rendering (sections "
			            "over large lists nested too deep?)",
			            eng->max_steps);
		if (f->pc < f->end) {
			err = step(eng);
			if (err)
				return err;
			continue;
		}
		if (f->list && ++f->index < json_array_size(f->list)) {
			eng->stack[eng->nstack - 1] =
			        json_array_get(f->list, f->index);
			f->pc = f->begin;
			continue;
		}
		if (f->pushed)
			eng->nstack--;
		eng->nframes--;
	}
	return 0;
}

int mustache_render(const char *tmpl, size_t n, const json_t *data,
                    const struct mustache_options *opt, struct buf *out,
                    struct buf *err)
{
	struct engine eng;
	struct tmpl main_tmpl;
	size_t i;
	int ret;

	memset(&eng, 0, sizeof eng);
	memset(&main_tmpl, 0, sizeof main_tmpl);
	eng.escape = opt && opt->escape ? opt->escape : escape_html;
	eng.partial = opt ? opt->partial : NULL;
	eng.ctx = opt ? opt->ctx : NULL;
	eng.max_output =
	        opt && opt->max_output ? opt->max_output : DEFAULT_MAX_OUTPUT;
	eng.max_depth =
	        opt && opt->max_depth ? opt->max_depth : DEFAULT_MAX_DEPTH;
	eng.max_steps = eng.max_output > ULLONG_MAX / 8
	                        ? ULLONG_MAX
	                        : 8 * (unsigned long long)eng.max_output;
	if (eng.max_steps < MIN_STEPS)
		eng.max_steps = MIN_STEPS;
	eng.err = err;
	buf_init(&eng.out, eng.max_output);

	ret = parse(&eng, &main_tmpl, tmpl, n);
	if (ret == 0)
		ret = run(&eng, &main_tmpl, data);
	if (ret == 0 &&
	    buf_append(out, eng.out.data ? eng.out.data : "", eng.out.len) != 0)
		ret = fail(&eng, ERR_LIMIT, NULL, 0, "output over %zu bytes",
		           out->max ? out->max : BUF_DEFAULT_MAX);

	for (i = 0; i < eng.npartials; i++)
		tmpl_free(eng.partials[i]);
	free(eng.partials);
	free(eng.stack);
	free(eng.frames);
	free(main_tmpl.tok);
	buf_free(&eng.out);
	return ret;
}
