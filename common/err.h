#ifndef AIDIGEST_ERR_H
#define AIDIGEST_ERR_H

/* Error codes shared by all modules. 0 is success; a function that fails
 * returns one of these and, where it takes a struct buf *err, says why there.
 */
enum {
	ERR_OK = 0,
	ERR_IO,       /* a file or stream could not be read or written */
	ERR_PARSE,    /* the input is malformed beyond recovery */
	ERR_NOT_FEED, /* the input is a document, but not a feed */
	ERR_LIMIT,    /* the input passed a bound (size, depth, count, time) */
	ERR_ENCODING, /* the input's character encoding is unknown */
	ERR_USAGE,    /* the caller asked for something invalid */
	ERR_NOT_FOUND, /* what was asked for does not exist */
	ERR_DB,       /* the state database failed (busy, full, corrupt) */
	ERR_NET,      /* a network transfer failed */
	ERR_BUDGET    /* the spending limit stopped it */
};

#endif
