#include "cli/print.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "cli/cli.h"
#include "common/xalloc.h"
#include "render/escape.h"
#include "render/post.h"
#include "summarize/pool.h"

/* The editor's page (preview --html): the post as a blog shows it, then
 * the panel's report. One file, nothing from the network, no script: the
 * style is inline and the fonts are the reader's own. Every text from a
 * feed, an LLM or the configuration goes through escape_html. */

/* A judge's standardized score this far from the story's mean across the
 * judges is a disagreement; a story whose judges spread over more than
 * PAGE_SPLIT_Z standard deviations is marked split. */
#define PAGE_OFF_Z 1.0
#define PAGE_SPLIT_Z 1.5

static const char page_style[] =
        ":root{color-scheme:light}"
        "body{margin:0;background:#f4f4f1;color:#1d1d1f;"
        "font:16px/1.8 \"Pretendard\",\"Apple SD Gothic Neo\","
        "\"Noto Sans KR\",\"Noto Sans CJK KR\",\"Malgun Gothic\","
        "\"Nanum Gothic\",system-ui,sans-serif,\"Apple Color Emoji\","
        "\"Segoe UI Emoji\",\"Noto Color Emoji\";"
        "word-break:keep-all;overflow-wrap:break-word}"
        ".desk{padding:2em 1em}"
        "article.post{max-width:46em;margin:0 auto 2em}"
        "aside.report{max-width:90em;margin:0 auto}"
        "@media (min-width:1700px){.desk{display:grid;gap:2em;"
        "grid-template-columns:46em minmax(0,1fr);align-items:start}"
        "article.post,aside.report{margin:0;max-width:none}}"
        "article.post,aside.report section{background:#fff;"
        "border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.1)}"
        "article.post{padding:1.5em 2.5em 2em}"
        "article.post h1{font-size:1.9em;line-height:1.35;"
        "margin:.3em 0 .3em}"
        ".meta{color:#666;font-size:.9em;margin:0}"
        ".description{font-size:1.05em;color:#333}"
        "ul.tags{list-style:none;padding:0;margin:.5em 0 1.5em}"
        "ul.tags li{display:inline-block;background:#e8eefc;color:#234;"
        "border-radius:1em;padding:0 .8em;margin:0 .4em .4em 0;"
        "font-size:.85em}"
        "blockquote{border-left:4px solid #c9c9c9;margin-left:0;"
        "padding-left:1em;color:#444}"
        "a{color:#0645ad}"
        "aside.report{font-size:14px;line-height:1.5;min-width:0}"
        "td.story{min-width:18em}th{white-space:nowrap}"
        "td.pick{white-space:nowrap}"
        "aside.report section{padding:.8em 1.2em 1em;margin-bottom:1.5em;"
        "overflow-x:auto}"
        "aside.report h2{font-size:1.25em;margin:.2em 0 .6em}"
        "table{border-collapse:collapse;margin:.4em 0}"
        "th,td{padding:.25em .5em;border-bottom:1px solid #e4e4e4;"
        "text-align:left;vertical-align:top}"
        "th{background:#f7f7f7;font-weight:600}"
        "td.n{text-align:right;font-variant-numeric:tabular-nums;"
        "white-space:nowrap}"
        "td.off{box-shadow:inset 0 0 0 2px #7a1f99}"
        "tr.sel td:first-child{box-shadow:inset 4px 0 0 #1f8a4c}"
        "tr.split td.spread{color:#7a1f99;font-weight:700}"
        ".bar{display:inline-block;height:.6em;background:#7a1f99;"
        "vertical-align:middle;margin-left:.3em}"
        ".why{font-size:.9em;color:#555}"
        ".yes{color:#1f7a44;font-weight:600}"
        ".no{color:#b3261e;font-weight:600}"
        ".warning{color:#8c1d13;list-style:none}"
        ".tag{display:inline-block;border-radius:.3em;padding:0 .4em;"
        "font-size:.85em;font-weight:600}"
        ".o-supported{background:#dcf3e4;color:#175c34}"
        ".o-rewritten{background:#fdf0cf;color:#6b4d00}"
        ".o-replaced,.o-unverified{background:#fbe0dd;color:#8c1d13}"
        "code{font-family:ui-monospace,\"D2Coding\",\"Noto Sans Mono CJK KR\","
        "monospace;font-size:.85em;background:#f2f2f2;padding:0 .25em;"
        "border-radius:3px;white-space:nowrap}"
        "ul.problems{margin:.2em 0 .4em 1em;padding:0;font-size:.9em}"
        ".legend span{display:inline-block;min-width:3.2em;text-align:center;"
        "margin-right:.2em;border-radius:3px}"
        "dl.figures{display:grid;grid-template-columns:max-content 1fr;"
        "gap:.1em 1em;margin:.2em 0}"
        "dl.figures dt{color:#555}dl.figures dd{margin:0;font-weight:600}";

/* s escaped for HTML text and attribute values; NULL writes nothing. */
static void page_text_n(FILE *fp, const char *s, size_t n)
{
	struct buf b = BUF_INIT(0);

	if (s && escape_html(&b, s, n) == 0)
		fwrite(buf_cstr(&b), 1, b.len, fp);
	buf_free(&b);
}

static void page_text(FILE *fp, const char *s)
{
	if (s)
		page_text_n(fp, s, strlen(s));
}

/* The first value of key in the fields, or NULL. */
static const char *page_field(const struct publish_field *f, size_t n,
                              const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].key, key) == 0)
			return f[i].value;
	return NULL;
}

static void page_usd(FILE *fp, double usd)
{
	fprintf(fp, "<td class=\"n\">$%.4f</td>", usd);
}

static void page_head(FILE *fp, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>",
	      fp);
	page_text(fp, title);
	fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n",
	        page_style);
}

/* The post as the blog shows it: the front-matter's title, dates,
 * description and tags (read back with render's reader), then the body
 * through cmark. */
static void page_post(FILE *fp, const struct digest *d, const char *title,
                      const struct publish_field *f, size_t nf, size_t body)
{
	const char *post = buf_cstr(&d->post), *date, *update, *desc;
	char *html;
	size_t i;
	bool tags = false;

	date = page_field(f, nf, "date");
	update = page_field(f, nf, "update");
	if (!update)
		update = page_field(f, nf, "lastmod");
	if (!update)
		update = page_field(f, nf, "last_modified_at");
	desc = page_field(f, nf, "description");
	fputs("<article class=\"post\">\n<header>\n<h1>", fp);
	page_text(fp, title);
	fputs("</h1>\n<p class=\"meta\">", fp);
	if (date) {
		fputs("<time datetime=\"", fp);
		page_text(fp, date);
		fputs("\">", fp);
		page_text(fp, date);
		fputs("</time>", fp);
	}
	if (update && (!date || strcmp(update, date) != 0)) {
		fputs(" · 업데이트 <time datetime=\"", fp);
		page_text(fp, update);
		fputs("\">", fp);
		page_text(fp, update);
		fputs("</time>", fp);
	}
	fputs("</p>\n", fp);
	if (desc && *desc) {
		fputs("<p class=\"description\">", fp);
		page_text(fp, desc);
		fputs("</p>\n", fp);
	}
	for (i = 0; i < nf; i++) {
		if (strcmp(f[i].key, "tags") != 0)
			continue;
		if (!tags)
			fputs("<ul class=\"tags\">", fp);
		tags = true;
		fputs("<li>#", fp);
		page_text(fp, f[i].value);
		fputs("</li>", fp);
	}
	if (tags)
		fputs("</ul>\n", fp);
	fputs("</header>\n", fp);
	/* CMARK_OPT_DEFAULT: raw HTML and javascript: links are left out
	 * (CMARK_OPT_UNSAFE is not given) */
	html = cmark_markdown_to_html(post + body, d->post.len - body,
	                              CMARK_OPT_DEFAULT);
	fputs(html ? html : "", fp);
	free(html);
	fputs("</article>\n", fp);
}

/* The reading figures the post carries, and how they were made. */
static void page_reading(FILE *fp, const struct digest *d)
{
	const struct post_reading *r = &d->spec.reading;
	size_t read, saved;

	post_reading_minutes(&d->spec, &read, &saved);
	fputs("<section id=\"reading\">\n<h2>Read for the post</h2>\n"
	      "<dl class=\"figures\">",
	      fp);
	fprintf(fp,
	        "<dt>sources</dt><dd>%zu</dd><dt>items of the day</dt>"
	        "<dd>%zu</dd><dt>stories considered</dt><dd>%zu</dd>"
	        "<dt>selected</dt><dd>%zu</dd><dt>words read</dt><dd>%zu</dd>"
	        "<dt>time to read them</dt><dd>%zu min</dd>"
	        "<dt>reading time saved</dt><dd>%zu min</dd></dl>\n",
	        r->sources, r->items, r->stories, r->selected, r->words, read,
	        saved);
	fputs("<p class=\"why\">The items' titles and feed texts at 238 words "
	      "a minute, less the post's own words: a floor, as the pages "
	      "behind the feeds are longer. The post shows them as "
	      "<code>{{reading.*}}</code>.</p>\n</section>\n",
	      fp);
}

/* The panel's diagnostics: how many independent votes its LLM judges
 * are worth, the verification's agreement, the warnings in plain words. */
static void page_diagnostics(FILE *fp, const struct digest *d)
{
	const struct panel_result *res = &d->pr;
	struct buf w = BUF_INIT(0);
	const char *p, *nl;

	if (res->diagnosed >= 2 && !isnan(res->effective_judges))
		fprintf(fp,
		        "; the %zu LLM judges count as <strong "
		        "id=\"effective-judges\">%.1f</strong> independent "
		        "votes",
		        res->diagnosed, res->effective_judges);
	if (d->vr.ran)
		fprintf(fp, "; on the verification, Fleiss' κ <strong "
		            "id=\"verify-kappa\">");
	if (d->vr.ran && isfinite(d->vr.kappa))
		fprintf(fp, "%.2f</strong>", d->vr.kappa);
	else if (d->vr.ran)
		fputs("n/a</strong>", fp);
	fputs("</p>\n", fp);
	panel_warnings(res, "", &w);
	if (d->written)
		verify_kappa_warning(&d->vr, "", &w);
	if (w.len) {
		fputs("<ul class=\"warnings\">\n", fp);
		for (p = buf_cstr(&w); *p; p = nl + 1) {
			nl = strchr(p, '\n');
			fputs("<li class=\"warning\">⚠ ", fp);
			page_text_n(fp, p, (size_t)(nl - p));
			fputs("</li>\n", fp);
		}
		fputs("</ul>\n", fp);
	}
	buf_free(&w);
}

/* A judge's biases (r), a notable one marked; "-" when not diagnosed. */
static void page_bias(FILE *fp, const struct panel_judge_report *p)
{
	const struct pool_bias *b[2] = {&p->position, &p->length};
	size_t k;

	if (!p->diagnosed) {
		fputs("<td class=\"n\">-</td>", fp);
		return;
	}
	fputs("<td class=\"n\">", fp);
	for (k = 0; k < 2; k++) {
		if (k)
			fputs(", ", fp);
		if (isnan(b[k]->r))
			fputs("n/a", fp);
		else
			fprintf(fp, "%s%+.2f%s",
			        b[k]->notable ? "<span class=\"no\">" : "",
			        b[k]->r, b[k]->notable ? "</span>" : "");
	}
	fputs("</td>", fp);
}

/* The judges: each one's model, part, agreement with the pool and cost,
 * ranking and verification; then Kendall's W. */
static void page_judges(FILE *fp, const struct digest *d)
{
	const struct panel_result *res = &d->pr;
	const struct verify_result *vr = &d->vr;
	size_t j, v;

	fputs("<section id=\"judges\">\n<h2>The judges</h2>\n<p>Agreement: "
	      "Kendall's W <strong id=\"kendall-w\">",
	      fp);
	if (isnan(res->kendall_w))
		fputs("n/a", fp);
	else
		fprintf(fp, "%.3f", res->kendall_w);
	fputs("</strong> (0: no agreement on the order, 1: the same order "
	      "from every judge)",
	      fp);
	page_diagnostics(fp, d);
	fputs("<table>\n<tr><th>judge</th><th>model</th><th>status</th>"
	      "<th>τ with the pool</th><th>bias: place, length (r)</th>"
	      "<th>rank: requests (cached)</th><th>rank $</th><th>verify: "
	      "requests (cached)</th><th>verify $</th></tr>\n",
	      fp);
	for (j = 0; j < res->nreports; j++) {
		const struct panel_judge_report *p = &res->judges[j];
		const struct panel_judge *cj =
		        j < d->pc.njudges ? &d->pc.judges[j] : NULL;
		const struct verify_judge_report *vj = NULL;

		for (v = 0; v < vr->njudges && !vj; v++)
			if (strcmp(vr->judges[v].name, p->name) == 0)
				vj = &vr->judges[v];
		fputs("<tr><td class=\"judge\">", fp);
		page_text(fp, p->name);
		fputs("</td><td>", fp);
		page_text(fp,
		          cj && cj->type == PANEL_JUDGE_LLM && cj->llm.ep.model
		                  ? cj->llm.ep.model
		          : p->llm ? "LLM"
		                   : "heuristic");
		fputs("</td><td>", fp);
		if (p->failed || (vj && vj->failed)) {
			fputs("<span class=\"no\">failed</span>: ", fp);
			page_text(fp, p->failed ? p->reason : vj->reason);
		} else
			fputs(p->skipped ? "skipped" : "ok", fp);
		if (isnan(p->tau))
			fputs("</td><td class=\"n\">-</td>", fp);
		else
			fprintf(fp, "</td><td class=\"n\">%+.2f</td>", p->tau);
		page_bias(fp, p);
		fprintf(fp, "<td class=\"n\">%ld (%ld)</td>", p->use.requests,
		        p->use.cached);
		page_usd(fp, p->use.usd);
		if (vj) {
			fprintf(fp, "<td class=\"n\">%ld (%ld)</td>",
			        vj->use.requests, vj->use.cached);
			page_usd(fp, vj->use.usd);
		} else
			fputs("<td class=\"n\">-</td><td class=\"n\">-</td>",
			      fp);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
	if (res->note[0]) {
		fputs("<p class=\"why\">", fp);
		page_text(fp, res->note);
		fputs("</p>\n", fp);
	}
	fputs("</section>\n", fp);
}

/* Each judge's standardized scores (pool_zscores), njudges x nstories;
 * the caller frees them. */
static double *page_zscores(const struct digest *d)
{
	const struct panel_result *res = &d->pr;
	struct pool_input in;
	double *z, *w;
	int64_t *ids;
	size_t i, k;

	z = xcalloc(res->njudges * res->nstories + 1, sizeof *z);
	w = xcalloc(res->njudges + 1, sizeof *w);
	ids = xcalloc(res->nstories + 1, sizeof *ids);
	for (k = 0; k < res->njudges; k++)
		w[k] = 1.0;
	for (i = 0; i < res->nstories; i++)
		ids[i] = d->cands[i].id;
	in.njudges = res->njudges;
	in.nstories = res->nstories;
	in.scores = res->scores;
	in.weights = w;
	in.ids = ids;
	pool_zscores(&in, z);
	for (i = 0; i < res->njudges * res->nstories; i++)
		if (isnan(res->scores[i]))
			z[i] = NAN;
	free(w);
	free(ids);
	return z;
}

/* Why story at is in or out, as the panel says it. */
static void page_why(FILE *fp, const struct digest *d, size_t at)
{
	const struct pool_choice *w = &d->pr.why[at];
	int c = d->pr.category[at];
	const char *cat = c >= 0 ? d->pc.categories[c].label : NULL;

	switch (w->reason) {
	case POOL_SELECTED:
		fputs("<span class=\"yes\">selected</span>", fp);
		break;
	case POOL_PINNED:
		fputs("<span class=\"yes\">selected</span>: pinned by the "
		      "editor",
		      fp);
		break;
	case POOL_DROPPED:
		fputs("<span class=\"no\">out</span>: dropped by the editor",
		      fp);
		break;
	case POOL_QUOTA:
		fputs("<span class=\"no\">out</span>: the quota of ", fp);
		page_text(fp, cat ? cat : "its category");
		fputs(" is full", fp);
		break;
	case POOL_SAME_EVENT:
		fprintf(fp,
		        "<span class=\"no\">out</span>: the same event as <a "
		        "href=\"#s-%lld\">%lld</a>",
		        (long long)d->cands[w->same_as].id,
		        (long long)d->cands[w->same_as].id);
		break;
	case POOL_BELOW_FLOOR:
		fprintf(fp,
		        "<span class=\"no\">out</span>: below the floor (the "
		        "better half, or the top %zu): no filler",
		        d->pc.top);
		break;
	case POOL_PUBLISHED:
		fputs("<span class=\"no\">out</span>: published on an earlier "
		      "day",
		      fp);
		break;
	case POOL_NOT_REACHED:
		fprintf(fp,
		        "<span class=\"no\">out</span>: not reached (the top "
		        "%zu were chosen before its turn)",
		        d->pc.top);
		break;
	default:
		fputs("<span class=\"no\">out</span>: not a candidate", fp);
	}
}

/* A cell's colour for a standardized score: green above the judge's
 * mean, red below, deeper as it is further (to 2 standard deviations). */
static void page_z_style(FILE *fp, double z)
{
	double t = fmin(fabs(z), 2.0) / 2.0;

	fprintf(fp, "background:hsl(%d,%d%%,%ld%%)", z >= 0 ? 140 : 6,
	        z >= 0 ? 50 : 72, lround(97 - 37 * t));
}

/* The judges' spread on story at: the largest standardized score less
 * the smallest, and their mean (NAN with fewer than two scores). */
static double page_spread(const struct panel_result *res, const double *z,
                          size_t at, double *mean)
{
	double lo = INFINITY, hi = -INFINITY, sum = 0;
	size_t k, n = 0;

	for (k = 0; k < res->njudges; k++) {
		double v = z[k * res->nstories + at];

		if (isnan(v))
			continue;
		lo = fmin(lo, v);
		hi = fmax(hi, v);
		sum += v;
		n++;
	}
	*mean = n ? sum / (double)n : NAN;
	return n >= 2 ? hi - lo : NAN;
}

/* One candidate's row: rank, id, story, each judge's score coloured by
 * its standardized value, the spread, the pooled score, why, the pick. */
static void page_candidate(FILE *fp, const struct digest *d, const double *z,
                           size_t r)
{
	const struct panel_result *res = &d->pr;
	size_t at = res->order[r], k;
	const struct panel_story *s = &d->cands[at];
	enum pool_reason why = res->why[at].reason;
	int c = res->category[at];
	double mean, spread = page_spread(res, z, at, &mean);
	bool split = !isnan(spread) && spread >= PAGE_SPLIT_Z;

	fprintf(fp, "<tr id=\"s-%lld\" class=\"%s%s\"><td class=\"n\">%zu</td>",
	        (long long)s->id, res->selected[at] ? "sel" : "out",
	        split ? " split" : "", r + 1);
	fprintf(fp, "<td class=\"n\">%lld</td><td class=\"story\">",
	        (long long)s->id);
	page_text(fp, s->title ? s->title : "");
	fputs("<br><span class=\"why\">", fp);
	page_text(fp, s->source);
	if (c >= 0) {
		fputs(" · ", fp);
		page_text(fp, d->pc.categories[c].label);
	}
	fputs("</span></td>", fp);
	for (k = 0; k < res->njudges; k++) {
		double v = res->scores[k * res->nstories + at];
		double zv = z[k * res->nstories + at];

		if (isnan(v) || isnan(zv)) {
			fputs("<td class=\"n\">-</td>", fp);
			continue;
		}
		fprintf(fp, "<td class=\"n%s\" style=\"",
		        split && fabs(zv - mean) >= PAGE_OFF_Z ? " off" : "");
		page_z_style(fp, zv);
		fprintf(fp, "\" title=\"z %+.2f\">%.1f</td>", zv, v);
	}
	if (isnan(spread))
		fputs("<td class=\"n spread\">-</td>", fp);
	else
		fprintf(fp,
		        "<td class=\"n spread\">%.2f<span class=\"bar\" "
		        "style=\"width:%.1fem\"></span></td>",
		        spread, fmin(spread, 4.0));
	fprintf(fp, "<td class=\"n\">%.3f</td><td>", res->pooled[at]);
	page_why(fp, d, at);
	fprintf(fp,
	        "</td><td class=\"pick\"><code>aidigest pick --date %s<br>"
	        "--%s %lld</code></td></tr>\n",
	        d->date,
	        res->selected[at] && why != POOL_DROPPED ? "drop" : "pin",
	        (long long)s->id);
}

/* Every candidate, best first, with the legend of the colours. */
static void page_candidates(FILE *fp, const struct digest *d)
{
	const struct panel_result *res = &d->pr;
	double *z = page_zscores(d);
	size_t r, k, selected = 0;
	static const struct {
		double z;
		const char *label;
	} legend[] = {{-2, "−2"}, {-1, "−1"}, {0, "0"}, {1, "+1"}, {2, "+2"}};

	for (r = 0; r < res->norder; r++)
		selected += res->selected[res->order[r]];
	fprintf(fp,
	        "<section id=\"candidates\">\n<h2>The candidates</h2>\n"
	        "<p>%zu candidates of %zu stories, %zu selected (top %zu).",
	        res->norder, d->nstories, selected, d->pc.top);
	if (d->nstories > d->fresh)
		fprintf(fp,
		        " %zu stories an earlier day published are no "
		        "candidates.",
		        d->nstories - d->fresh);
	fputs("</p>\n<p class=\"legend\">Each judge's score, coloured by how "
	      "far it is from that judge's mean, in its standard deviations: ",
	      fp);
	for (k = 0; k < sizeof legend / sizeof *legend; k++) {
		fputs("<span style=\"", fp);
		page_z_style(fp, legend[k].z);
		fprintf(fp, "\">%s</span>", legend[k].label);
	}
	fprintf(fp,
	        ". Spread: the highest standardized score less the lowest; "
	        "from %.1f the row's spread is purple and the judges %.1f or "
	        "more from the row's mean are framed.</p>\n",
	        PAGE_SPLIT_Z, PAGE_OFF_Z);
	fprintf(fp,
	        "<p>Keep a story out with <code>aidigest pick --date %s "
	        "--drop ID</code>, bring one in with <code>--pin ID</code>, "
	        "forget the day's picks with <code>--clear</code>; then "
	        "<code>aidigest run --date %s</code> publishes the day "
	        "again.</p>\n<table>\n<tr><th>#</th><th>id</th><th>story</th>",
	        d->date, d->date);
	for (k = 0; k < res->njudges; k++) {
		fputs("<th class=\"judge\">", fp);
		page_text(fp, res->pool_names[k]);
		fputs("</th>", fp);
	}
	fputs("<th>spread</th><th>pooled</th><th>selected or why not</th>"
	      "<th>pick</th></tr>\n",
	      fp);
	for (r = 0; r < res->norder; r++)
		page_candidate(fp, d, z, r);
	fputs("</table>\n</section>\n", fp);
	free(z);
}

static const char *page_kind_name(enum writer_fix_kind kind)
{
	return kind == WRITER_FIX_STORY   ? "story"
	       : kind == WRITER_FIX_INTRO ? "intro"
	                                  : "viewpoint";
}

/* A round's votes, "2 of 3". */
static void page_votes(FILE *fp, const struct verify_unit *u, int round)
{
	if (!u->text[round])
		fputs("<td class=\"n\">-</td>", fp);
	else
		fprintf(fp, "<td class=\"n\">%d of %d</td>", u->yes[round],
		        u->yes[round] + u->no[round]);
}

/* One text's verdict, then the judges' problems and the texts voted on. */
static void page_unit(FILE *fp, const struct digest *d,
                      const struct verify_unit *u)
{
	const struct verify_result *vr = &d->vr;
	const char *outcome = verify_outcome_name(u->outcome);
	size_t j;
	int r;
	bool list = false;

	fputs("<tr><td>", fp);
	if (u->kind == WRITER_FIX_STORY) {
		fputs("<a href=\"#s-", fp);
		page_text(fp, u->id);
		fputs("\">", fp);
		page_text(fp, u->id);
		fputs("</a>", fp);
	} else
		page_text(fp, u->id);
	fprintf(fp, "</td><td>%s</td><td><span class=\"tag o-",
	        page_kind_name(u->kind));
	page_text(fp, outcome);
	fputs("\">", fp);
	page_text(fp, outcome);
	fputs("</span></td>", fp);
	page_votes(fp, u, 0);
	page_votes(fp, u, 1);
	fputs("<td>", fp);
	if (u->kind == WRITER_FIX_STORY && u->index < d->nitems)
		page_text(fp, d->ws[u->index].title);
	for (r = 0; r < VERIFY_ROUNDS; r++)
		for (j = 0; u->votes[r] && j < vr->njudges; j++) {
			if (u->votes[r][j].supported != 0)
				continue;
			fputs(list ? "" : "<ul class=\"problems\">", fp);
			list = true;
			fputs("<li>", fp);
			fputs(r ? "again, " : "", fp);
			page_text(fp, vr->judges[j].name);
			fputs(": ", fp);
			page_text(fp, u->votes[r][j].problem
			                      ? u->votes[r][j].problem
			                      : "(no reason given)");
			fputs("</li>", fp);
		}
	if (u->lost_term) {
		fputs(list ? "<li>" : "<ul class=\"problems\"><li>", fp);
		list = true;
		page_text(fp, u->lost_term);
		fputs("</li>", fp);
	}
	fputs(list ? "</ul>" : "", fp);
	if (u->sent_back && u->text[0]) {
		fputs("<details><summary>the texts voted on</summary><p>"
		      "first: ",
		      fp);
		page_text(fp, u->text[0]);
		fputs("</p>", fp);
		if (u->text[1]) {
			fputs("<p>rewrite: ", fp);
			page_text(fp, u->text[1]);
			fputs("</p>", fp);
		}
		fputs("</details>", fp);
	}
	fputs("</td></tr>\n", fp);
}

/* Verification: the counts, then each text's verdict. */
static void page_verification(FILE *fp, const struct digest *d)
{
	const struct verify_result *vr = &d->vr;
	struct buf line = BUF_INIT(0);
	size_t i;

	cli_verify_summary(vr, &line);
	fputs("<section id=\"verification\">\n<h2>Verification</h2>\n<p>", fp);
	page_text(fp, buf_cstr(&line));
	fputs("</p>\n", fp);
	buf_free(&line);
	if (vr->note[0]) {
		fputs("<p class=\"why\">", fp);
		page_text(fp, vr->note);
		fputs("</p>\n", fp);
	}
	if (vr->ran && vr->nunits) {
		fputs("<table>\n<tr><th>id</th><th>kind</th><th>verdict</th>"
		      "<th>supported</th><th>again</th><th>story, the judges' "
		      "problems</th></tr>\n",
		      fp);
		for (i = 0; i < vr->nunits; i++)
			page_unit(fp, d, &vr->units[i]);
		fputs("</table>\n", fp);
	}
	fputs("</section>\n", fp);
}

/* A stage's row of the cost table. */
static void page_stage(FILE *fp, const char *name, const struct llm_usage *u)
{
	fprintf(fp,
	        "<tr><td>%s</td><td class=\"n\">%ld</td><td class=\"n\">%ld"
	        "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>",
	        name, u->requests, u->cached, u->tokens_in, u->tokens_out);
	page_usd(fp, u->usd);
	fputs("</tr>\n", fp);
}

/* What each stage cost: rank, write, verify, rewrite, and the run. */
static void page_cost(FILE *fp, const struct digest *d)
{
	struct llm_usage write = d->wo.use;
	const struct llm_usage *re = &d->vr.rewrite;
	struct digest_cost cost;

	/* the writer's usage holds its rewrites */
	write.requests -= re->requests;
	write.tokens_in -= re->tokens_in;
	write.tokens_out -= re->tokens_out;
	write.usd -= re->usd;
	digest_cost(d, &cost);
	fputs("<section id=\"cost\">\n<h2>Cost</h2>\n<table>\n<tr><th>stage"
	      "</th><th>requests</th><th>cached</th><th>tokens in</th>"
	      "<th>tokens out</th><th>USD</th></tr>\n",
	      fp);
	page_stage(fp, "rank", &d->pr.use);
	page_stage(fp, "write", &write);
	page_stage(fp, "verify", &d->vr.use);
	page_stage(fp, "rewrite", re);
	fprintf(fp,
	        "<tr><th>the run</th><td class=\"n\">%ld</td><td></td>"
	        "<td class=\"n\">%ld</td><td class=\"n\">%ld</td>",
	        cost.requests, cost.tokens_in, cost.tokens_out);
	page_usd(fp, cost.usd);
	fputs("</tr>\n</table>\n", fp);
	fprintf(fp,
	        "<p class=\"why\">One reference judge on the same prompts: "
	        "$%.4f.</p>\n</section>\n",
	        cost.reference_usd);
}

void cli_print_page(FILE *fp, const struct digest *d)
{
	struct publish_field *f = NULL;
	const char *title;
	size_t nf = 0, body = 0;
	struct buf fallback = BUF_INIT(0);

	/* a post without front-matter is all body */
	if (post_front_matter_read(buf_cstr(&d->post), d->post.len, &f, &nf,
	                           &body) != 0)
		body = 0;
	title = page_field(f, nf, "title");
	if (!title) {
		buf_printf(&fallback, "AI 뉴스 %s", d->date);
		title = buf_cstr(&fallback);
	}
	page_head(fp, title);
	fputs("<div class=\"desk\">\n", fp);
	page_post(fp, d, title, f, nf, body);
	fputs("<aside class=\"report\" lang=\"en\">\n", fp);
	page_reading(fp, d);
	page_judges(fp, d);
	page_candidates(fp, d);
	page_verification(fp, d);
	cli_page_jury(fp, d);
	page_cost(fp, d);
	fputs("</aside>\n</div>\n</body>\n</html>\n", fp);
	post_fields_free(f, nf);
	buf_free(&fallback);
}
