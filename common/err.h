#ifndef AIDIGEST_ERR_H
#define AIDIGEST_ERR_H

/* The one error convention: a function that can fail returns 0 on success
 * or one of these codes, and says why in the caller's struct buf *err
 * (a handle that keeps state, such as the store, keeps the message of its
 * last failure for the caller to read instead). See docs/errors.md. */
enum {
	ERR_OK = 0,
	ERR_IO,        /* a file or stream could not be read or written */
	ERR_PARSE,     /* the input is malformed beyond recovery */
	ERR_NOT_FEED,  /* the input is a document, but not a feed */
	ERR_LIMIT,     /* the input passed a bound (size, depth, count, time) */
	ERR_ENCODING,  /* the input's character encoding is unknown */
	ERR_USAGE,     /* the caller asked for something invalid */
	ERR_NOT_FOUND, /* what was asked for does not exist */
	ERR_DB,        /* the state database failed (busy, full, corrupt) */
	ERR_NET,       /* a network transfer failed */
	ERR_BUDGET     /* the spending limit stopped it */
};

/* On a function whose result says whether it worked: the compiler warns
 * (and CI's -Werror fails) when a caller drops it. */
#define MUST_CHECK __attribute__((warn_unused_result))

#endif
