#include "summarize/korean.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/ascii.h"
#include "common/utf8.h"

static const struct {
	const char *consonant, *vowel, *neutral;
} korean_particles[] = {
        [KOREAN_I_GA] = {"이", "가", "이(가)"},
        [KOREAN_EUL_REUL] = {"을", "를", "을(를)"},
        [KOREAN_EUN_NEUN] = {"은", "는", "은(는)"},
        [KOREAN_GWA_WA] = {"과", "와", "과(와)"},
        [KOREAN_EURO_RO] = {"으로", "로", "(으)로"},
};

/* How an English word ends, read as a Korean loanword: the first suffix
 * that matches (lowercase; 'V' is any of aeiou). What cannot be told
 * from the spelling ("Deep" 딥 but "Loop" 루프) is UNKNOWN, and takes the
 * neutral form. */
static const struct {
	const char *suffix;
	enum korean_final final;
} korean_english_endings[] = {
        {"hub", KOREAN_FINAL_VOWEL},      /* GitHub 깃허브 */
        {"google", KOREAN_FINAL_RIEUL},   /* 구글 */
        {"apple", KOREAN_FINAL_VOWEL},    /* 애플 */
        {"deep", KOREAN_FINAL_CONSONANT}, /* 딥 */
        {"tweet", KOREAN_FINAL_CONSONANT},
        {"ee", KOREAN_FINAL_VOWEL},
        {"le", KOREAN_FINAL_UNKNOWN},
        {"me", KOREAN_FINAL_CONSONANT}, /* Chrome 크롬, Time 타임 */
        {"ne", KOREAN_FINAL_CONSONANT}, /* Engine 엔진, Phone 폰 */
        {"e", KOREAN_FINAL_VOWEL},      /* Claude 클로드, Face 페이스 */
        {"ng", KOREAN_FINAL_CONSONANT},
        {"m", KOREAN_FINAL_CONSONANT},
        {"n", KOREAN_FINAL_CONSONANT},
        {"l", KOREAN_FINAL_RIEUL}, /* Mistral 미스트랄 */
        {"a", KOREAN_FINAL_VOWEL},
        {"i", KOREAN_FINAL_VOWEL},
        {"o", KOREAN_FINAL_VOWEL},
        {"u", KOREAN_FINAL_VOWEL},
        {"y", KOREAN_FINAL_VOWEL},
        {"ck", KOREAN_FINAL_CONSONANT}, /* Slack 슬랙 */
        {"pp", KOREAN_FINAL_CONSONANT}, /* App 앱 */
        {"VVk", KOREAN_FINAL_UNKNOWN},
        {"Vk", KOREAN_FINAL_CONSONANT}, /* Grok 그록 */
        {"VVt", KOREAN_FINAL_UNKNOWN},
        {"Vt", KOREAN_FINAL_CONSONANT}, /* Chat 챗, Copilot 코파일럿 */
        {"VVp", KOREAN_FINAL_UNKNOWN},
        {"Vp", KOREAN_FINAL_CONSONANT}, /* Chip 칩 */
        {"Vc", KOREAN_FINAL_CONSONANT}, /* Anthropic 앤트로픽 */
        {"Vb", KOREAN_FINAL_UNKNOWN},   /* Lab 랩, but Hub 허브 */
        {"k", KOREAN_FINAL_VOWEL},      /* Link 링크, Mark 마크 */
        {"t", KOREAN_FINAL_VOWEL}, /* Agent 에이전트, Light 라이트 */
        {"p", KOREAN_FINAL_VOWEL}, /* Help 헬프 */
        {"c", KOREAN_FINAL_VOWEL}, /* Arc 아크 */
        {"b", KOREAN_FINAL_VOWEL},
        {"g", KOREAN_FINAL_VOWEL}, /* Blog 블로그 */
        {"d", KOREAN_FINAL_VOWEL}, /* Cloud 클라우드 */
        {"f", KOREAN_FINAL_VOWEL},
        {"h", KOREAN_FINAL_VOWEL}, /* PyTorch 파이토치 */
        {"j", KOREAN_FINAL_VOWEL},
        {"q", KOREAN_FINAL_VOWEL},
        {"r", KOREAN_FINAL_VOWEL}, /* Transformer 트랜스포머 */
        {"s", KOREAN_FINAL_VOWEL}, /* News 뉴스 */
        {"v", KOREAN_FINAL_VOWEL}, /* arXiv 아카이브 */
        {"w", KOREAN_FINAL_VOWEL},
        {"x", KOREAN_FINAL_VOWEL}, /* Codex 코덱스 */
        {"z", KOREAN_FINAL_VOWEL},
};

/* Digits as read in Korean: 영 일 이 삼 사 오 육 칠 팔 구 (10 십, 100 백,
 * 1000 천 end like 0). */
static const enum korean_final korean_digit_final[10] = {
        KOREAN_FINAL_CONSONANT, KOREAN_FINAL_RIEUL, KOREAN_FINAL_VOWEL,
        KOREAN_FINAL_CONSONANT, KOREAN_FINAL_VOWEL, KOREAN_FINAL_VOWEL,
        KOREAN_FINAL_CONSONANT, KOREAN_FINAL_RIEUL, KOREAN_FINAL_RIEUL,
        KOREAN_FINAL_VOWEL,
};

/* A letter of an acronym, read by its name: 엘 알 end in ㄹ, 엠 엔 in
 * a consonant, all others (에이, 비, 티, ...) in a vowel. */
static enum korean_final korean_letter_final(unsigned char c)
{
	c = ascii_tolower(c);
	if (c == 'l' || c == 'r')
		return KOREAN_FINAL_RIEUL;
	if (c == 'm' || c == 'n')
		return KOREAN_FINAL_CONSONANT;
	return KOREAN_FINAL_VOWEL;
}

static bool korean_suffix_matches(const char *word, size_t n, const char *pat)
{
	size_t m = strlen(pat), j;

	if (m > n)
		return false;
	for (j = 0; j < m; j++) {
		char pc = pat[m - 1 - j], wc = word[n - 1 - j];

		if (pc == 'V' ? !strchr("aeiou", wc) || wc == '\0' : pc != wc)
			return false;
	}
	return true;
}

/* The ASCII word ending at s[0..end): an acronym (its trailing capitals
 * number two or more, or it is all capitals: "LLM", "OpenAI", "X") is read
 * letter by letter; another word by its spelling. */
static enum korean_final korean_word_final(const char *s, size_t end)
{
	char word[16];
	size_t start = end, len, upper = 0, i;

	while (start > 0 && ascii_isalpha((unsigned char)s[start - 1]))
		start--;
	while (upper < end - start && s[end - 1 - upper] >= 'A' &&
	       s[end - 1 - upper] <= 'Z')
		upper++;
	if (upper >= 2 || upper == end - start)
		return korean_letter_final((unsigned char)s[end - 1]);
	len = end - start < sizeof word ? end - start : sizeof word;
	for (i = 0; i < len; i++)
		word[i] = (char)ascii_tolower((unsigned char)s[end - len + i]);
	for (i = 0;
	     i < sizeof korean_english_endings / sizeof *korean_english_endings;
	     i++)
		if (korean_suffix_matches(word, len,
		                          korean_english_endings[i].suffix))
			return korean_english_endings[i].final;
	return KOREAN_FINAL_UNKNOWN;
}

/* The start of the code point that ends at s[0..end), and the point. */
static size_t korean_prev_cp(const char *s, size_t end, uint32_t *cp)
{
	size_t j = end - 1;

	while (j > 0 && end - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
	utf8_decode(s + j, end - j, cp);
	return j;
}

/* Closing quotes and brackets a particle follows: 」』〉》）’” … */
static bool korean_is_closer(uint32_t cp)
{
	return cp == 0x300D || cp == 0x300F || cp == 0x3009 || cp == 0x300B ||
	       cp == 0xFF09 || cp == 0x2019 || cp == 0x201D || cp == 0x2026 ||
	       cp == 0x3011;
}

/* The final sound of the text s[0..n): its last Hangul syllable's final
 * consonant ((cp - 0xAC00) % 28: 0 none, 8 ㄹ), a digit's or a letter's
 * Korean reading; closing brackets, quotes and a trailing parenthesis
 * ("Llama 3 (8B)") are passed over, as a particle follows the word
 * before them. */
enum korean_final korean_final_sound(const char *s, size_t n)
{
	size_t end = n, start, steps;
	uint32_t cp;

	for (steps = 0; end > 0 && steps < 400; steps++) {
		start = korean_prev_cp(s, end, &cp);
		if (cp >= 0xAC00 && cp <= 0xD7A3) {
			unsigned jong = (unsigned)((cp - 0xAC00) % 28);

			return jong == 0   ? KOREAN_FINAL_VOWEL
			       : jong == 8 ? KOREAN_FINAL_RIEUL
			                   : KOREAN_FINAL_CONSONANT;
		}
		if (cp >= '0' && cp <= '9')
			return korean_digit_final[cp - '0'];
		if (cp < 0x80 && ascii_isalpha((unsigned char)cp))
			return korean_word_final(s, end);
		if (cp == '%' || cp == '+')
			return KOREAN_FINAL_VOWEL; /* 퍼센트, 플러스 */
		if (cp == ')' || cp == 0xFF09) {
			/* back over the parenthesis to its '(' */
			int depth = 0;
			size_t k = end;

			while (k > 0) {
				uint32_t c;

				k = korean_prev_cp(s, k, &c);
				if (c == ')' || c == 0xFF09)
					depth++;
				else if ((c == '(' || c == 0xFF08) &&
				         --depth == 0)
					break;
			}
			if (depth != 0)
				return KOREAN_FINAL_UNKNOWN;
			end = k;
			continue;
		}
		if ((cp < 0x80 && !ascii_isalnum((unsigned char)cp)) ||
		    korean_is_closer(cp)) {
			end = start;
			continue;
		}
		return KOREAN_FINAL_UNKNOWN;
	}
	return KOREAN_FINAL_UNKNOWN;
}

/* Append the particle that fits what b ends with: 이/가, 을/를, ...; the
 * neutral 이(가) when the ending cannot be told. */
void korean_particle(struct buf *b, enum korean_particle p)
{
	enum korean_final f = korean_final_sound(buf_cstr(b), b->len);

	if (f == KOREAN_FINAL_UNKNOWN)
		buf_puts(b, korean_particles[p].neutral);
	else if (f == KOREAN_FINAL_VOWEL ||
	         (f == KOREAN_FINAL_RIEUL && p == KOREAN_EURO_RO))
		buf_puts(b, korean_particles[p].vowel);
	else
		buf_puts(b, korean_particles[p].consonant);
}
