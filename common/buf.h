#ifndef AIDIGEST_BUF_H
#define AIDIGEST_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* A growable byte buffer with a hard cap, always NUL-terminated.
 * Appends that would pass the cap append nothing and return BUF_ERR_CAP;
 * the buffer then stays as it was, so a caller may stop or carry on. */
struct buf {
	char *data; /* NULL until the first append; buf_cstr() never is */
	size_t len;
	size_t cap; /* allocated bytes, including room for the NUL */
	size_t max; /* hard cap on len; 0 means BUF_DEFAULT_MAX */
};

#define BUF_DEFAULT_MAX ((size_t)1 << 30)
#define BUF_INIT(max_len)                                                      \
	{                                                                      \
		NULL, 0, 0, (max_len)                                          \
	}

enum { BUF_OK = 0, BUF_ERR_CAP = 1 };

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b); /* length 0, memory kept */
int buf_append_slow(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, int c);
int buf_printf(struct buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));
/* Make room for n more bytes; returns a pointer to write them, or NULL over
 * the cap. Commit what was written with buf_commit. */
char *buf_reserve(struct buf *b, size_t n);
void buf_commit(struct buf *b, size_t n);
void buf_truncate(struct buf *b, size_t len);
/* The contents as a C string ("" when empty); owned by the buffer. */
const char *buf_cstr(const struct buf *b);
/* Hand the contents to the caller (free() it) and empty the buffer. */
char *buf_detach(struct buf *b);

/* Append n bytes. The common case, room already there, is inline: it is
 * on the parser's hot path. */
static inline int buf_append(struct buf *b, const void *p, size_t n)
{
	if (n < b->cap - b->len &&
	    b->len + n <= (b->max ? b->max : BUF_DEFAULT_MAX)) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return BUF_OK;
	}
	return buf_append_slow(b, p, n);
}

#endif
