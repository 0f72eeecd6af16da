#ifndef AIDIGEST_HASH_H
#define AIDIGEST_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a, 64 bits: the project's one hash for cache keys, content hashes
 * and versions. Stable across runs and hosts (values are stored). Chain
 * calls by passing the last result as h; start from HASH_FNV_OFFSET. */

#define HASH_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define HASH_HEX_LEN 17 /* 16 hex digits and the NUL */

uint64_t hash_fnv1a(uint64_t h, const void *p, size_t n);
/* The bytes of s up to its NUL (NULL hashes as ""). */
uint64_t hash_fnv1a_str(uint64_t h, const char *s);
/* s (NULL as "") and then a 0xFF byte, which UTF-8 text never holds:
 * fields hashed one after another cannot run together. */
uint64_t hash_fnv1a_field(uint64_t h, const char *s);
/* h as 16 lower-case hex digits. */
void hash_hex(uint64_t h, char out[HASH_HEX_LEN]);

#endif
