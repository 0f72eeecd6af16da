#ifndef AIDIGEST_KOREAN_H
#define AIDIGEST_KOREAN_H

#include "common/buf.h"

/* Korean particles after any text: 이/가, 을/를, ... chosen by how the
 * text before them ends (a Hangul syllable's final consonant, a digit or
 * a Latin word as Korean reads it), the neutral 이(가) when that cannot
 * be told. */

/* The sound a text ends with, for the particle after it. */
enum korean_final {
	KOREAN_FINAL_UNKNOWN = 0,
	KOREAN_FINAL_VOWEL,     /* no final consonant: 가 를 는 와 로 */
	KOREAN_FINAL_CONSONANT, /* 이 을 은 과 으로 */
	KOREAN_FINAL_RIEUL      /* ㄹ: 이 을 은 과, but 로 */
};

enum korean_particle {
	KOREAN_I_GA = 0,
	KOREAN_EUL_REUL,
	KOREAN_EUN_NEUN,
	KOREAN_GWA_WA,
	KOREAN_EURO_RO
};

/* Append the particle that fits what b ends with. */
void korean_particle(struct buf *b, enum korean_particle p);

/* The sound the text s[0..n) ends with, for the particle after it. */
enum korean_final korean_final_sound(const char *s, size_t n);

#endif
