/* gen_feed: write a deterministic, realistic AI-news feed of about
 * SIZE_BYTES to stdout, for the parse benchmark (bench/run.sh).
 *
 * usage: gen_feed rss|atom|xhtml SIZE_BYTES
 *
 * xhtml is Atom whose summaries and contents are inline XHTML dense with
 * markup (a link, a span, code or emphasis in every sentence), as blogs
 * that publish type="xhtml" write it.
 *
 * The same arguments always give the same bytes: a seeded PRNG, a fixed
 * start date, no clock, no locale. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 64
#define GEN_MIN_SIZE 4096ULL
#define GEN_MAX_SIZE (1ULL << 30)
#define GEN_SEED 0x5eed2025a1d16e57ULL
/* 2025-03-01T00:00:00Z: entries go back in time from here. */
#define GEN_START_TIME 1740787200LL
/* Room kept for the closing tags, so the file ends near SIZE_BYTES. */
#define GEN_TAIL_ROOM 64
#define TEXT_MAX 65536

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum gen_format { GEN_RSS, GEN_ATOM, GEN_XHTML };

struct out {
	FILE *fp;
	unsigned long long n; /* bytes written so far */
};

/* A bounded HTML fragment; adding past TEXT_MAX is a bug in the tables. */
struct text {
	char b[TEXT_MAX];
	size_t len;
};

struct rng {
	uint64_t s;
};

struct zone {
	const char *rfc822; /* as written in a pubDate */
	const char *rfc3339;
	int offset_min;
};

static const char *const orgs[] = {
        "OpenAI",       "Anthropic",    "Google DeepMind", "Meta AI",
        "Mistral AI",   "Hugging Face", "NVIDIA",          "Microsoft Research",
        "Cohere",       "xAI",          "Stability AI",    "AI2",
        "Alibaba Qwen", "DeepSeek",     "Apple",
};

static const char *const models[] = {
        "a 70B open-weight model",    "a new reasoning model",
        "a small on-device model",    "a multimodal assistant",
        "a code-generation model",    "a speech-to-speech model",
        "a video generation model",   "an embedding model",
        "a mixture-of-experts model", "an agent framework",
};

static const char *const title_verbs[] = {
        "releases",       "open-sources",     "unveils",
        "previews",       "benchmarks",       "publishes research on",
        "cuts prices of", "ships an API for",
};

static const char *const title_tails[] = {
        "with a 1M-token context window", "that beats GPT-4 on math benchmarks",
        "trained on 15T tokens",          "for robotics & embodied agents",
        "under an Apache 2.0 license",    "amid EU AI Act scrutiny",
        "after a $2B funding round",      "\"built for enterprise R&D\"",
        "in Q&A with researchers",        "",
};

/* Said after a Korean company name. */
static const char *const korean_titles[] = {
        ", 새로운 추론 모델 공개",
        ", 생성형 AI 서비스 출시… 한국어 성능 강화",
        ", AI 반도체 투자 확대 발표",
        " 연구진, 오픈소스 언어 모델 공개",
        ", 초거대 AI \"하이퍼클로바\" 업데이트",
};

static const char *const korean_orgs[] = {
        "네이버", "카카오", "삼성전자", "LG AI연구원", "업스테이지", "SK텔레콤",
};

static const char *const korean_sentences[] = {
        "이번 모델은 한국어 이해 능력이 크게 향상된 것으로 알려졌다.",
        "회사 측은 &quot;연내 상용화를 목표로 한다&quot;고 밝혔다.",
        "업계에서는 국내 AI 생태계에 미칠 영향에 주목하고 있다.",
        "벤치마크 결과는 논문과 함께 공개될 예정이다.",
        "전문가들은 데이터 품질과 안전성 검증이 관건이라고 지적했다.",
};

static const char *const authors[] = {
        "Jane Doe",   "Alex Kim", "Priya Raman", "Tom O'Neil", "Marta Nowak",
        "Kenji Sato", "김민수",   "이서연",      "박지훈",     "Chris Lee",
};

static const char *const subjects[] = {
        "The company",
        "The research team",
        "A spokesperson",
        "Independent evaluators",
        "The paper",
        "Early testers",
        "Developers on the forum",
        "The model card",
};

static const char *const verbs[] = {
        "said",  "reported",  "claimed",   "showed",
        "noted", "confirmed", "estimated", "argued",
};

static const char *const clauses[] = {
        "that the model scores 87.5% on MMLU and 62% on SWE-bench",
        "that inference costs dropped by a factor of four since last year",
        "that the weights would be released under a permissive license",
        "that the training run used 24,576 H100 GPUs for 54 days",
        "that red-teaming found fewer jailbreaks than the previous version",
        "that the context window now reaches one million tokens",
        "that latency under load stays below 300&nbsp;ms",
        "that the system&#8217;s tool use improved on agentic tasks",
        "that the dataset was filtered with a classifier &amp; human review",
        "that results on long-context retrieval remain mixed",
};

static const char *const terms[] = {
        "torch.compile",
        "vLLM",
        "LoRA",
        "RLHF",
        "KV cache",
        "FlashAttention",
        "speculative decoding",
        "int4 quantization",
};

static const char *const sites[] = {
        "ainews.example.com",
        "research.example.org",
        "www.example.net",
        "blog.example.ai",
};

static const char *const categories[] = {
        "Research",    "Products", "Policy",   "Funding",
        "Open Source", "Hardware", "인공지능",
};

static const struct zone zones[] = {
        {"+0000", "Z", 0},         {"GMT", "Z", 0},
        {"+0900", "+09:00", 540},  {"-0700", "-07:00", -420},
        {"-0400", "-04:00", -240}, {"+0100", "+01:00", 60},
};

static const char *const day_names[] = {
        "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

static const char *const month_names[] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun",
        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* xorshift64*: small, fast and fully determined by the seed. */
static uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n); n > 0. The modulo bias is irrelevant here. */
static size_t rng_below(struct rng *r, size_t n)
{
	return (size_t)((rng_next(r) >> 11) % n);
}

static const char *rng_pick(struct rng *r, const char *const *list, size_t n)
{
	return list[rng_below(r, n)];
}

#define PICK(r, list) rng_pick((r), (list), COUNT(list))

static void out_write(struct out *o, const char *s, size_t len)
{
	o->n += fwrite(s, 1, len, o->fp);
}

static void out_str(struct out *o, const char *s)
{
	out_write(o, s, strlen(s));
}

static void out_fmt(struct out *o, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void out_fmt(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(o->fp, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->n += (unsigned long long)n;
}

/* s as XML character data: & < > escaped, so HTML becomes &lt;p&gt;. */
static void out_escaped(struct out *o, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep = *s == '&'   ? "&amp;"
		                  : *s == '<' ? "&lt;"
		                  : *s == '>' ? "&gt;"
		                              : NULL;
		if (!rep)
			continue;
		out_write(o, run, (size_t)(s - run));
		out_str(o, rep);
		run = s + 1;
	}
	out_write(o, run, (size_t)(s - run));
}

/* s in a CDATA section; the tables never contain "]]>". */
static void out_cdata(struct out *o, const char *s)
{
	out_str(o, "<![CDATA[");
	out_str(o, s);
	out_str(o, "]]>");
}

static void text_add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (n >= sizeof t->b - t->len) {
		fputs("gen_feed: text buffer overflow\n", stderr);
		abort();
	}
	memcpy(t->b + t->len, s, n + 1);
	t->len += n;
}

static void text_fmt(struct text *t, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void text_fmt(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->b + t->len, sizeof t->b - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof t->b - t->len) {
		fputs("gen_feed: text buffer overflow\n", stderr);
		abort();
	}
	t->len += (size_t)n;
}

static void text_reset(struct text *t)
{
	t->len = 0;
	t->b[0] = '\0';
}

/* One English sentence of HTML, sometimes with inline markup. */
static void gen_sentence(struct rng *r, struct text *t)
{
	size_t k = rng_below(r, 10);

	text_fmt(t, "%s %s ", PICK(r, subjects), PICK(r, verbs));
	if (k == 0)
		text_fmt(t, "<strong>%s</strong>", PICK(r, clauses));
	else if (k == 1)
		text_fmt(t, "%s, using <code>%s</code>", PICK(r, clauses),
		         PICK(r, terms));
	else if (k == 2)
		text_fmt(t,
		         "%s (<a href=\"https://%s/papers/%zu?ref=rss&amp;"
		         "lang=en\">paper</a>)",
		         PICK(r, clauses), PICK(r, sites), rng_below(r, 99999));
	else if (k == 3)
		text_fmt(t, "<em>%s</em> &mdash; a claim others dispute",
		         PICK(r, clauses));
	else
		text_add(t, PICK(r, clauses));
	text_add(t, ". ");
}

/* A sentence of XHTML with markup in every clause. */
static void gen_markup_sentence(struct rng *r, struct text *t)
{
	const char *site = PICK(r, sites);

	text_fmt(
	        t,
	        "<span class=\"entity\" data-id=\"e%zu\">%s</span> "
	        "<strong>%s</strong> <a href=\"https://%s/notes/%zu?utm_source="
	        "feed&amp;utm_medium=xhtml\" title=\"%s\" rel=\"bookmark\">"
	        "%s</a>",
	        rng_below(r, 100000), PICK(r, subjects), PICK(r, verbs), site,
	        rng_below(r, 99999), PICK(r, terms), PICK(r, clauses));
	if (rng_below(r, 2) == 0)
		text_fmt(t, ", with <code>%s</code>", PICK(r, terms));
	if (rng_below(r, 3) == 0)
		text_fmt(t, " <em>&#8220;%s&#8221;</em>", PICK(r, clauses));
	text_add(t, ". ");
}

/* Paragraphs of XHTML, markup-dense, now and then a list or an image. */
static void gen_xhtml(struct rng *r, struct text *t, size_t paragraphs)
{
	size_t p, s, n;

	for (p = 0; p < paragraphs; p++) {
		if (rng_below(r, 8) == 0) {
			text_add(t, "<ul class=\"points\">");
			n = 2 + rng_below(r, 3);
			for (s = 0; s < n; s++) {
				text_add(t, "<li>");
				gen_markup_sentence(r, t);
				text_add(t, "</li>");
			}
			text_add(t, "</ul>\n");
			continue;
		}
		if (rng_below(r, 10) == 0)
			text_fmt(t,
			         "<figure><img src=\"https://%s/img/%zu.png\" "
			         "alt=\"Chart\" width=\"800\" height=\"450\"/>"
			         "<figcaption>Results &amp; error bars"
			         "</figcaption></figure>\n",
			         PICK(r, sites), rng_below(r, 1000000));
		text_add(t, "<p>");
		n = 2 + rng_below(r, 4);
		for (s = 0; s < n; s++)
			gen_markup_sentence(r, t);
		text_add(t, "</p>\n");
	}
}

/* Paragraphs of HTML: mostly prose, now and then a list, quote or image. */
static void gen_html(struct rng *r, struct text *t, size_t paragraphs,
                     int korean)
{
	size_t p, s, n;

	for (p = 0; p < paragraphs; p++) {
		size_t kind = rng_below(r, 12);

		if (kind == 0) {
			text_add(t, "<ul>");
			n = 2 + rng_below(r, 3);
			for (s = 0; s < n; s++)
				text_fmt(t, "<li>%s</li>", PICK(r, clauses));
			text_add(t, "</ul>\n");
			continue;
		}
		if (kind == 1) {
			text_fmt(t,
			         "<blockquote><p>&#8220;%s.&#8221;</p>"
			         "</blockquote>\n",
			         PICK(r, clauses));
			continue;
		}
		if (kind == 2) {
			text_fmt(t,
			         "<figure><img src=\"https://%s/img/%zu.png\" "
			         "alt=\"Benchmark chart\" width=\"800\" "
			         "height=\"450\"/><figcaption>Results "
			         "&amp; error bars</figcaption></figure>\n",
			         PICK(r, sites), rng_below(r, 1000000));
			continue;
		}
		text_add(t, "<p>");
		n = 2 + rng_below(r, 4);
		for (s = 0; s < n; s++) {
			if (korean && rng_below(r, 2) == 0)
				text_fmt(t, "%s ", PICK(r, korean_sentences));
			else
				gen_sentence(r, t);
		}
		text_add(t, "</p>\n");
	}
}

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Civil UTC fields of t >= 0, counting forward from 1970; weekday 0 is
 * Sunday. */
static void civil_from_time(long long t, int *year, int *mon, int *day,
                            int *hms, int *wday)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	long long days = t / 86400, y = 1970;
	int m = 0, len;

	*hms = (int)(t % 86400);
	*wday = (int)((days + 4) % 7); /* 1970-01-01 was a Thursday */
	while (days >= (is_leap(y) ? 366 : 365)) {
		days -= is_leap(y) ? 366 : 365;
		y++;
	}
	for (;;) {
		len = mdays[m] + (m == 1 && is_leap(y));
		if (days < len)
			break;
		days -= len;
		m++;
	}
	*year = (int)y;
	*mon = m;
	*day = (int)days + 1;
}

/* RFC 822 (RSS pubDate) or RFC 3339 (Atom), written in zone z. */
static void out_date(struct out *o, long long t, const struct zone *z,
                     enum gen_format format, int fraction)
{
	int y, m, d, hms, wd;

	civil_from_time(t + (long long)z->offset_min * 60, &y, &m, &d, &hms,
	                &wd);
	if (format == GEN_RSS) {
		out_fmt(o, "%s, %02d %s %04d %02d:%02d:%02d %s", day_names[wd],
		        d, month_names[m], y, hms / 3600, hms / 60 % 60,
		        hms % 60, z->rfc822);
		return;
	}
	out_fmt(o, "%04d-%02d-%02dT%02d:%02d:%02d", y, m + 1, d, hms / 3600,
	        hms / 60 % 60, hms % 60);
	if (fraction)
		out_fmt(o, ".%03d", fraction % 1000);
	out_str(o, z->rfc3339);
}

/* The title as plain text (XML escaping is done when it is written). */
static void gen_title(struct rng *r, struct text *t, int korean)
{
	const char *tail;

	if (korean) {
		text_add(t, PICK(r, korean_orgs));
		text_add(t, PICK(r, korean_titles));
		return;
	}
	tail = PICK(r, title_tails);
	text_fmt(t, "%s %s %s%s%s", PICK(r, orgs), PICK(r, title_verbs),
	         PICK(r, models), *tail ? " " : "", tail);
}

static void out_head(struct out *o, enum gen_format format)
{
	out_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (format == GEN_RSS) {
		out_str(o,
		        "<rss version=\"2.0\" "
		        "xmlns:content=\"http://purl.org/rss/1.0/modules/"
		        "content/\" "
		        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		        "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
		        "<channel>\n"
		        "<title>AI News Daily &amp; Research Notes</title>\n"
		        "<link>https://ainews.example.com/</link>\n"
		        "<description>Models, papers and policy: the day in "
		        "AI. AI 뉴스 요약.</description>\n"
		        "<language>en-us</language>\n"
		        "<lastBuildDate>Sat, 01 Mar 2025 00:00:00 +0000"
		        "</lastBuildDate>\n"
		        "<atom:link "
		        "href=\"https://ainews.example.com/feed.xml\" "
		        "rel=\"self\" type=\"application/rss+xml\"/>\n"
		        "<generator>gen_feed (aidigest bench)</generator>\n");
		return;
	}
	out_str(o,
	        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n"
	        "<title type=\"text\">AI News Daily &amp; Research Notes"
	        "</title>\n"
	        "<subtitle>Models, papers and policy: the day in AI. AI 뉴스 "
	        "요약.</subtitle>\n"
	        "<id>tag:ainews.example.com,2025:feed</id>\n"
	        "<updated>2025-03-01T00:00:00Z</updated>\n"
	        "<link rel=\"alternate\" type=\"text/html\" "
	        "href=\"https://ainews.example.com/\"/>\n"
	        "<link rel=\"self\" type=\"application/atom+xml\" "
	        "href=\"https://ainews.example.com/atom.xml\"/>\n"
	        "<author><name>AI News Desk</name></author>\n"
	        "<generator uri=\"https://ainews.example.com/\" "
	        "version=\"1.0\">gen_feed (aidigest bench)</generator>\n");
}

static void out_tail(struct out *o, enum gen_format format)
{
	out_str(o, format == GEN_RSS ? "</channel>\n</rss>\n" : "</feed>\n");
}

/* Where the entry lives: https://SITE/YYYY/MM/DD-style path with the
 * number, sometimes with tracking parameters. */
static void gen_link(struct rng *r, struct text *t, const char *site,
                     size_t num, long long when)
{
	int y, m, d, hms, wd;

	civil_from_time(when, &y, &m, &d, &hms, &wd);
	text_fmt(t, "https://%s/%04d/%02d/%02d/story-%zu", site, y, m + 1, d,
	         num);
	if (rng_below(r, 4) == 0)
		text_add(t, "?utm_source=rss&utm_medium=feed&utm_campaign=ai");
}

static void out_rss_item(struct out *o, struct rng *r, size_t num,
                         long long when, struct text *scratch)
{
	int korean = rng_below(r, 10) == 0;
	const char *site = PICK(r, sites);
	size_t k;

	out_str(o, "<item>\n<title>");
	text_reset(scratch);
	gen_title(r, scratch, korean);
	if (rng_below(r, 8) == 0)
		out_cdata(o, scratch->b);
	else
		out_escaped(o, scratch->b);
	out_str(o, "</title>\n<link>");
	text_reset(scratch);
	gen_link(r, scratch, site, num, when);
	out_escaped(o, scratch->b);
	out_str(o, "</link>\n");
	if (rng_below(r, 2) == 0)
		out_fmt(o, "<guid isPermaLink=\"false\">%s-%06zu</guid>\n",
		        site, num);
	else
		out_fmt(o, "<guid>https://%s/p/%zu</guid>\n", site, num);
	out_str(o, "<pubDate>");
	out_date(o, when, &zones[rng_below(r, COUNT(zones))], GEN_RSS, 0);
	out_str(o, "</pubDate>\n<dc:creator>");
	out_escaped(o, PICK(r, authors));
	out_str(o, "</dc:creator>\n");
	for (k = rng_below(r, 3); k > 0; k--) {
		out_str(o, "<category>");
		out_escaped(o, PICK(r, categories));
		out_str(o, "</category>\n");
	}
	out_str(o, "<description>");
	text_reset(scratch);
	gen_html(r, scratch, 1 + rng_below(r, 2), korean);
	if (rng_below(r, 4) == 0)
		out_cdata(o, scratch->b);
	else
		out_escaped(o, scratch->b);
	out_str(o, "</description>\n");
	if (rng_below(r, 5) < 3) {
		text_reset(scratch);
		gen_html(r, scratch, 3 + rng_below(r, 5), korean);
		out_str(o, "<content:encoded>");
		out_cdata(o, scratch->b);
		out_str(o, "</content:encoded>\n");
	}
	out_str(o, "</item>\n");
}

static void out_atom_entry(struct out *o, struct rng *r, size_t num,
                           long long when, struct text *scratch, int xhtml)
{
	int korean = rng_below(r, 10) == 0;
	const char *site = PICK(r, sites);
	const struct zone *z = &zones[rng_below(r, COUNT(zones))];
	int fraction = rng_below(r, 3) == 0 ? (int)rng_below(r, 1000) : 0;
	size_t k;

	out_str(o, "<entry>\n<title type=\"text\">");
	text_reset(scratch);
	gen_title(r, scratch, korean);
	out_escaped(o, scratch->b);
	out_str(o, "</title>\n<link rel=\"alternate\" type=\"text/html\" "
	           "href=\"");
	text_reset(scratch);
	gen_link(r, scratch, site, num, when);
	out_escaped(o, scratch->b);
	out_fmt(o, "\"/>\n<id>tag:%s,2025:entry-%zu</id>\n<published>", site,
	        num);
	out_date(o, when, z, GEN_ATOM, fraction);
	out_str(o, "</published>\n<updated>");
	out_date(o, when + (long long)rng_below(r, 7200), z, GEN_ATOM,
	         fraction);
	out_str(o, "</updated>\n<author><name>");
	out_escaped(o, PICK(r, authors));
	out_str(o, "</name>");
	if (rng_below(r, 3) == 0)
		out_fmt(o, "<email>desk%zu@example.com</email>",
		        rng_below(r, 50));
	out_str(o, "</author>\n");
	for (k = rng_below(r, 3); k > 0; k--) {
		out_str(o, "<category term=\"");
		out_escaped(o, PICK(r, categories));
		out_str(o, "\"/>\n");
	}
	if (xhtml) {
		out_str(o, "<summary type=\"xhtml\"><div xmlns=\"http://www.w3."
		           "org/1999/xhtml\">");
		text_reset(scratch);
		gen_xhtml(r, scratch, 1);
		out_str(o, scratch->b);
		out_str(o, "</div></summary>\n<content type=\"xhtml\">\n<div "
		           "xmlns=\"http://www.w3.org/1999/xhtml\">\n");
		text_reset(scratch);
		gen_xhtml(r, scratch, 3 + rng_below(r, 5));
		out_str(o, scratch->b);
		out_str(o, "</div>\n</content>\n</entry>\n");
		return;
	}
	out_str(o, "<summary type=\"html\">");
	text_reset(scratch);
	gen_html(r, scratch, 1 + rng_below(r, 2), korean);
	out_escaped(o, scratch->b);
	out_str(o, "</summary>\n");
	if (rng_below(r, 5) < 3) {
		text_reset(scratch);
		gen_html(r, scratch, 3 + rng_below(r, 5), korean);
		out_str(o, "<content type=\"html\">");
		if (rng_below(r, 3) == 0)
			out_cdata(o, scratch->b);
		else
			out_escaped(o, scratch->b);
		out_str(o, "</content>\n");
	}
	out_str(o, "</entry>\n");
}

static int parse_size(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end || v < GEN_MIN_SIZE || v > GEN_MAX_SIZE)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static struct text scratch;
	struct out o = {stdout, 0};
	struct rng r = {GEN_SEED};
	enum gen_format format;
	unsigned long long size;
	long long when = GEN_START_TIME;
	size_t num = 0;

	if (argc != 3 || parse_size(argv[2], &size) != 0 ||
	    (strcmp(argv[1], "rss") != 0 && strcmp(argv[1], "atom") != 0 &&
	     strcmp(argv[1], "xhtml") != 0)) {
		fprintf(stderr,
		        "usage: gen_feed rss|atom|xhtml SIZE_BYTES\n"
		        "SIZE_BYTES from %llu to %llu\n",
		        GEN_MIN_SIZE, GEN_MAX_SIZE);
		return EXIT_USAGE;
	}
	format = strcmp(argv[1], "rss") == 0    ? GEN_RSS
	         : strcmp(argv[1], "atom") == 0 ? GEN_ATOM
	                                        : GEN_XHTML;
	out_head(&o, format);
	while (o.n + GEN_TAIL_ROOM < size) {
		num++;
		when -= 60 + (long long)rng_below(&r, 1800);
		if (format == GEN_RSS)
			out_rss_item(&o, &r, num, when, &scratch);
		else
			out_atom_entry(&o, &r, num, when, &scratch,
			               format == GEN_XHTML);
	}
	out_tail(&o, format);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("gen_feed: cannot write the feed\n", stderr);
		return 1;
	}
	return 0;
}
