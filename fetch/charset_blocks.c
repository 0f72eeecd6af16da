#include <stdint.h>
#include <string.h>

#include "fetch/charset_impl.h"

/* Sixteen bytes at a time: valid UTF-8 made of XML's characters, checked
 * with the nibble tables of Keiser and Lemire ("Validating UTF-8 In Less
 * Than One Instruction Per Byte", 2021). A pair of bytes (the one before,
 * this one) looks up one set of error flags by each of three nibbles; the
 * sets ANDed are empty for a valid pair, but for two continuation bytes,
 * which a three- or four-byte character must have (TWO_CONTS, checked
 * against the lead two or three bytes back). On top: bytes below 0x20
 * but tab, LF, CR (no XML characters); and 0xEF, which leads U+FFFE and
 * U+FFFF, is left to the byte loop. A block with any of these stops the
 * run: the caller reads on a character at a time. Needs SSSE3 (pshufb,
 * palignr); without it the run is empty. */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <tmmintrin.h>

enum {
	U8_TOO_SHORT = 1 << 0,
	U8_TOO_LONG = 1 << 1,
	U8_OVERLONG_3 = 1 << 2,
	U8_TOO_LARGE = 1 << 3,
	U8_SURROGATE = 1 << 4,
	U8_OVERLONG_2 = 1 << 5,
	U8_TOO_LARGE_1000 = 1 << 6,
	U8_OVERLONG_4 = 1 << 6,
	U8_TWO_CONTS = 1 << 7,
	U8_CARRY = U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS
};

#define U8_BLOCK_TARGET __attribute__((target("ssse3")))

/* The high nibble of each byte. */
U8_BLOCK_TARGET static __m128i u8_high(__m128i x)
{
	return _mm_and_si128(_mm_srli_epi16(x, 4), _mm_set1_epi8(0x0F));
}

/* The error flags of each byte of in, with prev the block before. */
U8_BLOCK_TARGET static __m128i u8_errors(__m128i in, __m128i prev)
{
	/* by the high nibble of the byte before */
	const __m128i before_high = _mm_setr_epi8(
	        U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
	        U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, (char)U8_TWO_CONTS,
	        (char)U8_TWO_CONTS, (char)U8_TWO_CONTS, (char)U8_TWO_CONTS,
	        U8_TOO_SHORT | U8_OVERLONG_2, U8_TOO_SHORT,
	        U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
	        (char)(U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 |
	               U8_OVERLONG_4));
	/* by its low nibble */
	const char big = (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000);
	const __m128i before_low = _mm_setr_epi8(
	        (char)(U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 |
	               U8_OVERLONG_4),
	        (char)(U8_CARRY | U8_OVERLONG_2), (char)U8_CARRY,
	        (char)U8_CARRY, (char)(U8_CARRY | U8_TOO_LARGE), big, big, big,
	        big, big, big, big, big, (char)(big | U8_SURROGATE), big, big);
	/* by the high nibble of this byte */
	const char cont = (char)(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS);
	const __m128i this_high = _mm_setr_epi8(
	        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
	        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
	        (char)(cont | U8_OVERLONG_3 | U8_TOO_LARGE_1000 |
	               U8_OVERLONG_4),
	        (char)(cont | U8_OVERLONG_3 | U8_TOO_LARGE),
	        (char)(cont | U8_SURROGATE | U8_TOO_LARGE),
	        (char)(cont | U8_SURROGATE | U8_TOO_LARGE), U8_TOO_SHORT,
	        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT);
	__m128i prev1 = _mm_alignr_epi8(in, prev, 15);
	__m128i prev2 = _mm_alignr_epi8(in, prev, 14);
	__m128i prev3 = _mm_alignr_epi8(in, prev, 13);
	__m128i flags = _mm_and_si128(
	        _mm_and_si128(
	                _mm_shuffle_epi8(before_high, u8_high(prev1)),
	                _mm_shuffle_epi8(
	                        before_low,
	                        _mm_and_si128(prev1, _mm_set1_epi8(0x0F)))),
	        _mm_shuffle_epi8(this_high, u8_high(in)));
	/* the third byte of a character of three or four, the fourth of
	 * four: two continuations are what it must be */
	__m128i must = _mm_and_si128(
	        _mm_or_si128(_mm_subs_epu8(prev2, _mm_set1_epi8(0x60)),
	                     _mm_subs_epu8(prev3, _mm_set1_epi8(0x70))),
	        _mm_set1_epi8((char)0x80));

	return _mm_xor_si128(flags, must);
}

/* Bytes of in that are no XML character alone (below 0x20 but tab, LF,
 * CR) or may begin U+FFFE or U+FFFF (0xEF). */
U8_BLOCK_TARGET static __m128i u8_not_xml(__m128i in)
{
	__m128i low =
	        _mm_cmplt_epi8(_mm_xor_si128(in, _mm_set1_epi8((char)0x80)),
	                       _mm_set1_epi8((char)(0x20 ^ 0x80)));
	__m128i ok = _mm_or_si128(
	        _mm_cmpeq_epi8(in, _mm_set1_epi8('\t')),
	        _mm_or_si128(_mm_cmpeq_epi8(in, _mm_set1_epi8('\n')),
	                     _mm_cmpeq_epi8(in, _mm_set1_epi8('\r'))));

	return _mm_or_si128(_mm_andnot_si128(ok, low),
	                    _mm_cmpeq_epi8(in, _mm_set1_epi8((char)0xEF)));
}

U8_BLOCK_TARGET static size_t u8_blocks(const unsigned char *s, size_t n)
{
	/* a block that ends inside a character: its last byte a lead, the
	 * one before a lead of three or four, or the one before that of
	 * four */
	const __m128i last =
	        _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	                      -1, (char)0xEF, (char)0xDF, (char)0xBF);
	const __m128i zero = _mm_setzero_si128();
	__m128i in, prev = zero, open = zero, bad;
	size_t i;

	/* a byte is left after the last block, to tell its boundary */
	for (i = 0; n - i > 16; i += 16) {
		in = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		if (_mm_movemask_epi8(in) == 0)
			bad = open; /* ASCII: nothing may be left open */
		else
			bad = u8_errors(in, prev);
		bad = _mm_or_si128(bad, u8_not_xml(in));
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(bad, zero)) != 0xFFFF)
			break;
		open = _mm_subs_epu8(in, last);
		prev = in;
	}
	/* a character left open by the last block checked: back to its
	 * lead, for the caller to read whole */
	if (_mm_movemask_epi8(_mm_cmpeq_epi8(open, zero)) != 0xFFFF)
		do
			i--;
		while ((s[i] & 0xC0) == 0x80);
	return i;
}

size_t charset_clean_blocks(const unsigned char *s, size_t n)
{
	/* one load and test: the CPU was asked at start-up */
	return n > 16 && __builtin_cpu_supports("ssse3") ? u8_blocks(s, n) : 0;
}

#else

size_t charset_clean_blocks(const unsigned char *s, size_t n)
{
	(void)s;
	(void)n;
	return 0;
}

#endif
