#include "common/hash.h"

#include <stdio.h>

#define HASH_FNV_PRIME UINT64_C(0x100000001b3)

uint64_t hash_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= HASH_FNV_PRIME;
	}
	return h;
}

uint64_t hash_fnv1a_str(uint64_t h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (; *p; p++) {
		h ^= *p;
		h *= HASH_FNV_PRIME;
	}
	return h;
}

uint64_t hash_fnv1a_field(uint64_t h, const char *s)
{
	h = hash_fnv1a_str(h, s);
	h ^= 0xFF;
	return h * HASH_FNV_PRIME;
}

void hash_hex(uint64_t h, char out[HASH_HEX_LEN])
{
	snprintf(out, HASH_HEX_LEN, "%016llx", (unsigned long long)h);
}
