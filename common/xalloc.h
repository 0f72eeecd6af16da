#ifndef AIDIGEST_XALLOC_H
#define AIDIGEST_XALLOC_H

#include <stddef.h>

/* Allocation that cannot fail: on exhaustion the program prints the size and
 * aborts (a batch tool has nothing better to do). All results are free()d. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* reallocarray with overflow check: count * size bytes. */
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Report that n bytes could not be had, and abort: for libraries that
 * allocate for us and return NULL. */
void xalloc_die(size_t n) __attribute__((noreturn));

#endif
