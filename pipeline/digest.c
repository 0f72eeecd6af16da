#include "pipeline/digest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "pipeline/digest_impl.h"
#include "pipeline/ingest.h"
#include "pipeline/jury.h"
#include "render/escape.h"
#include "summarize/stories.h"

void digest_say(const struct digest *d, enum digest_notice level,
                const char *fmt, ...)
{
	struct buf line = BUF_INIT(0);
	va_list ap;

	if (!d->env->notice)
		return;
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	d->env->notice(d->env->ctx, level, buf_cstr(&line));
	buf_free(&line);
}

void digest_say_lines(const struct digest *d, enum digest_notice level,
                      const char *text)
{
	const char *nl;

	while (*text && (nl = strchr(text, '\n')) != NULL) {
		digest_say(d, level, "%.*s", (int)(nl - text), text);
		text = nl + 1;
	}
	if (*text)
		digest_say(d, level, "%s", text);
}

int digest_open(struct digest *d, const struct digest_env *env,
                enum digest_goal goal, const char *date, struct buf *err)
{
	const struct config *cfg = env->config;
	struct buf notes = BUF_INIT(4096);
	int ret = ERR_OK;

	memset(d, 0, sizeof *d);
	d->env = env;
	d->goal = goal;
	buf_init(&d->post, 0);
	if (date_day_window(date, cfg->tz_offset_sec, &d->from, &d->to) != 0) {
		buf_printf(err, "not a day: '%s'", date);
		return ERR_USAGE;
	}
	snprintf(d->date, sizeof d->date, "%s", date);
	snprintf(d->first_date, sizeof d->first_date, "%s", date);
	date_format_day(env->now, cfg->tz_offset_sec, d->update);
	if (goal == DIGEST_POST) {
		if (post_preset_parse(cfg->preset ? cfg->preset : "hoodie",
		                      &d->preset) != ERR_OK) {
			buf_printf(err,
			           "[digest] preset is hoodie, hugo or jekyll, "
			           "not '%s'",
			           cfg->preset);
			return ERR_PARSE;
		}
	}
	if (panel_config_load(&cfg->ini, cfg->path, &d->pc, err, &notes) != 0 ||
	    (goal == DIGEST_POST &&
	     writer_config_load(&cfg->ini, cfg->path, &d->wc, err, &notes) !=
	             0))
		ret = ERR_PARSE;
	else
		digest_say_lines(d, DIGEST_INFO, buf_cstr(&notes));
	engine_ledger_init(&d->ledger, d->pc.max_usd);
	buf_free(&notes);
	return ret;
}

/* What the LLM stages share: the store's caches and the run's ledger. */
static struct engine_run digest_engine(struct digest *d)
{
	struct engine_run run;

	run.cache = d->env->store;
	run.ledger = &d->ledger;
	return run;
}

static void digest_cands_free(struct digest *d)
{
	size_t i;

	for (i = 0; i < d->fresh && d->cands; i++) {
		free(d->cand_hashes[i]);
		free(d->cand_links[i]);
	}
	free(d->cands);
	free(d->cand_hashes);
	free(d->cand_links);
	d->cands = NULL;
	d->cand_hashes = NULL;
	d->cand_links = NULL;
}

void digest_free(struct digest *d)
{
	if (!d)
		return;
	if (d->ranked)
		panel_result_free(&d->pr);
	if (d->written)
		writer_output_free(&d->wo);
	verify_result_free(&d->vr);
	digest_cands_free(d);
	free(d->judge_factors);
	store_stories_free(d->stories, d->nstories);
	panel_config_free(&d->pc);
	writer_config_free(&d->wc);
	free(d->wcats);
	free(d->ws);
	free(d->items);
	free(d->path);
	buf_free(&d->post);
	memset(d, 0, sizeof *d);
}

/* Whether any of a story's items went out in an earlier day's digest:
 * 0 with *seen set, or ERR_DB when the store cannot say (then nothing is
 * selected: a story must not go out twice). */
static int digest_published_before(const struct digest *d,
                                   const struct store_story *s, bool *seen)
{
	size_t k;
	int rc;

	*seen = false;
	for (k = 0; k < s->nitems && !*seen; k++) {
		const char *url = s->items[k].canonical_url
		                          ? s->items[k].canonical_url
		                          : s->items[k].url;

		if (!url)
			continue;
		rc = store_published_before(d->env->store, d->date, url, NULL,
		                            0);
		if (rc == 0)
			*seen = true;
		else if (rc != ERR_NOT_FOUND)
			return ERR_DB;
	}
	return 0;
}

static long long digest_max_count(long long a, long long b)
{
	return a > b ? a : b;
}

/* A story's face: its most trusted item (stories_trust_order) with a
 * link a post may carry (http or https, as escape_url takes it); without
 * one, its most trusted item and *postable false. NULL for no items. */
static const struct store_item_row *digest_face(const struct store_story *s,
                                                bool *postable)
{
	struct buf probe = BUF_INIT(0);
	size_t *order = xcalloc(s->nitems + 1, sizeof *order), k;
	const struct store_item_row *face = NULL;

	stories_trust_order(s, order);
	for (k = 0; k < s->nitems && !face; k++) {
		const struct store_item_row *it = &s->items[order[k]];

		buf_reset(&probe);
		if (it->url && escape_url(&probe, it->url) == 0)
			face = it;
	}
	*postable = face != NULL;
	if (!face && s->nitems)
		face = &s->items[order[0]];
	buf_free(&probe);
	free(order);
	return face;
}

/* The panel's view of one story; its strings point into s. */
static void digest_cand_fill(struct digest *d, size_t i,
                             const struct store_story *s)
{
	struct panel_story *p = &d->cands[i];
	struct heuristic_story *h = &p->h;
	const struct store_item_row *face;
	bool postable;
	size_t k;

	d->cand_hashes[i] = store_story_hash(s);
	d->cand_links[i] = xcalloc(s->nitems + 1, sizeof **d->cand_links);
	face = digest_face(s, &postable);
	p->id = s->id;
	p->title = face && face->title && *face->title ? face->title : s->title;
	p->hash = d->cand_hashes[i];
	p->links = d->cand_links[i];
	h->title = p->title;
	h->time = s->time;
	h->corroboration = s->corroboration;
	h->best_weight = 0;
	h->likes = h->reposts = h->points = h->stars = h->comments = -1;
	for (k = 0; k < s->nitems; k++) {
		const struct store_item_row *it = &s->items[k];

		d->cand_links[i][k] = it->url;
		if (it == face) {
			/* the source's display name: title=, else the feed's
			 * own title, else the line's name */
			p->source = it->feed_title && *it->feed_title
			                    ? it->feed_title
			                    : it->feed_name;
			p->text = it->summary;
			h->text = it->summary;
			h->kinds = it->kind;
		}
		if (it->weight > h->best_weight)
			h->best_weight = it->weight;
		h->likes = digest_max_count(h->likes, it->likes);
		h->reposts = digest_max_count(h->reposts, it->reposts);
		h->points = digest_max_count(h->points, it->points);
		h->stars = digest_max_count(h->stars, it->stars);
		h->comments = digest_max_count(h->comments, it->comments);
	}
	if (h->best_weight <= 0)
		h->best_weight = 1.0;
}

/* The editor's picks of the day on the candidates. */
static int digest_apply_picks(struct digest *d, struct buf *err)
{
	struct store_pick_row *v = NULL;
	size_t n = 0, i, k;

	if (store_picks_get(d->env->store, d->date, &v, &n) != 0) {
		buf_printf(err, "cannot read the editor's picks: %s",
		           store_error(d->env->store));
		return ERR_DB;
	}
	for (k = 0; k < n; k++)
		for (i = 0; i < d->fresh; i++)
			if (d->cands[i].id == v[k].story_id)
				d->cands[i].pick = v[k].action == STORE_PICK_PIN
				                           ? POOL_PICK_PIN
				                           : POOL_PICK_DROP;
	free(v);
	return ERR_OK;
}

int digest_select(struct digest *d, struct buf *err)
{
	struct store *st = d->env->store;
	bool *seen;
	size_t i, k, n;

	if (ingest_stories_load(st, d->from, d->to, &d->stories,
	                        &d->nstories) != ERR_OK) {
		buf_puts(err, store_error(st));
		return ERR_DB;
	}
	d->fresh = d->nstories;
	seen = xcalloc(d->nstories + 1, sizeof *seen);
	for (i = 0; i < d->nstories; i++)
		if (digest_published_before(d, &d->stories[i], &seen[i])) {
			buf_printf(err,
			           "cannot tell what was published before: %s",
			           store_error(st));
			free(seen);
			return ERR_DB;
		}
	if (d->goal == DIGEST_POST) {
		/* stories an earlier day's digest carried are not repeated:
		 * they move behind the fresh ones (and are freed with them) */
		for (i = 0, k = 0; i < d->nstories; i++) {
			if (seen[i])
				continue;
			if (k != i) {
				struct store_story t = d->stories[k];

				d->stories[k] = d->stories[i];
				d->stories[i] = t;
			}
			k++;
		}
		d->fresh = k;
	}
	if (d->goal == DIGEST_POST && d->fresh == 0) {
		buf_printf(err,
		           "no new stories for %s: fetch first, or check the "
		           "date and [digest] timezone",
		           d->date);
		free(seen);
		return ERR_NOT_FOUND;
	}
	n = d->fresh ? d->fresh : 1;
	d->cands = xcalloc(n, sizeof *d->cands);
	d->cand_hashes = xcalloc(n, sizeof *d->cand_hashes);
	d->cand_links = xcalloc(n, sizeof *d->cand_links);
	for (i = 0; i < d->fresh; i++) {
		digest_cand_fill(d, i, &d->stories[i]);
		/* rank shows them too, as a run would leave them out */
		d->cands[i].published = d->goal == DIGEST_RANKING && seen[i];
	}
	free(seen);
	return digest_apply_picks(d, err);
}

/* Say what [panel] weights = editor did with the jury's report. */
static void digest_say_factors(struct digest *d, const struct jury_report *r)
{
	struct buf line = BUF_INIT(0);
	size_t j;

	if (r->weights_status == POOL_EDITOR_FEW_DAYS) {
		digest_say(d, DIGEST_NOTE,
		           "weights = editor: %zu of %d days recorded, judges "
		           "weighted as configured",
		           r->llm_days, POOL_EDITOR_MIN_DAYS);
		return;
	}
	if (r->weights_status == POOL_EDITOR_NO_SIGNAL) {
		digest_say(d, DIGEST_NOTE,
		           "weights = editor: over %zu days the judges agree "
		           "with the editor no better than chance, judges "
		           "weighted as configured",
		           r->llm_days);
		return;
	}
	for (j = 0; j < d->pc.njudges; j++)
		if (d->pc.judges[j].type == PANEL_JUDGE_LLM)
			buf_printf(&line, "%s%s x%.2f", line.len ? ", " : "",
			           d->pc.judges[j].name, d->judge_factors[j]);
	digest_say(d, DIGEST_NOTE,
	           "weights = editor: over %zu days with the editor: %s",
	           r->llm_days, buf_cstr(&line));
	buf_free(&line);
}

/* [panel] weights = editor: each configured judge's factor from the
 * jury of the days before the day. */
static int digest_editor_factors(struct digest *d, struct buf *err)
{
	struct jury_report r;
	char last[DATE_DAY_LEN];
	int rc;

	if (d->pc.weights != PANEL_WEIGHTS_EDITOR)
		return ERR_OK;
	if (jury_day_shift(d->date, -1, last) != 0) {
		buf_printf(err, "not a day: '%s'", d->date);
		return ERR_USAGE;
	}
	rc = jury_measure(d->env->store, last, JURY_WEIGHT_DAYS, &r, err);
	if (rc == 0) {
		d->judge_factors =
		        xcalloc(d->pc.njudges + 1, sizeof *d->judge_factors);
		jury_judge_factors(&r, &d->pc, d->judge_factors);
		digest_say_factors(d, &r);
	}
	jury_report_free(&r);
	return rc;
}

int digest_rank(struct digest *d, struct buf *err)
{
	struct engine_run run = digest_engine(d);
	struct panel_options po;
	size_t i;
	int rc;

	rc = digest_editor_factors(d, err);
	if (rc != ERR_OK)
		return rc;
	memset(&po, 0, sizeof po);
	po.window_end = d->to;
	po.progress = d->env->progress;
	po.judge_weights = d->judge_factors;
	if (panel_rank(&run, &d->pc, d->cands, d->fresh, &po, &d->pr, err) != 0)
		return ERR_IO;
	d->ranked = true;
	for (i = 0; i < d->pr.nreports; i++)
		if (d->pr.judges[i].failed)
			digest_say(d, DIGEST_NOTE, "judge %s failed: %s",
			           d->pr.judges[i].name,
			           d->pr.judges[i].reason);
	if (d->pr.note[0])
		digest_say(d, DIGEST_NOTE, "%s", d->pr.note);
	if (d->pr.degraded)
		d->degraded = true;
	return ERR_OK;
}

/* The selected stories, best first, with links from the store, as the
 * writer and the post see them. */
static void digest_pick(struct digest *d)
{
	size_t i;

	d->wcats = xcalloc(d->pc.ncategories + 1, sizeof *d->wcats);
	for (i = 0; i < d->pc.ncategories; i++) {
		d->wcats[i].id = d->pc.categories[i].id;
		d->wcats[i].label = d->pc.categories[i].label;
	}
	d->items = xcalloc(d->pr.norder + 1, sizeof *d->items);
	d->ws = xcalloc(d->pr.norder + 1, sizeof *d->ws);
	d->nitems = 0;
	for (i = 0; i < d->pr.norder; i++) {
		size_t s = d->pr.order[i];
		const struct panel_story *p = &d->cands[s];
		const struct store_item_row *face;
		const char *url;
		bool postable;
		int c = d->pr.category[s];

		if (!d->pr.selected[s])
			continue;
		face = digest_face(&d->stories[s], &postable);
		if (!postable)
			continue;
		url = face->url; /* a story without an http(s) link is not
		                     posted */
		d->ws[d->nitems].id = p->id;
		d->ws[d->nitems].title = p->title;
		d->ws[d->nitems].source = p->source;
		d->ws[d->nitems].text = p->text;
		d->ws[d->nitems].category =
		        c >= 0 ? d->pc.categories[c].id : NULL;
		d->items[d->nitems].title = p->title;
		d->items[d->nitems].url = url;
		d->items[d->nitems].source = p->source;
		d->items[d->nitems].category = c;
		d->nitems++;
	}
}

int digest_write(struct digest *d, struct buf *err)
{
	struct engine_run run = digest_engine(d);
	struct buf why = BUF_INIT(4096);
	int ret = ERR_OK;

	digest_pick(d);
	/* the writer uses the judges' cache and is paid from their budget */
	if (writer_write(&d->wc, &run, d->ws, d->nitems, d->wcats,
	                 d->pc.ncategories, &d->wo, &why) != 0) {
		buf_printf(err, "the writer failed: %s", buf_cstr(&why));
		ret = ERR_IO;
		goto out;
	}
	d->written = true;
	/* a slot the LLM got wrong has the extractive writer's text (and
	 * verification may send it back): a notice; an LLM writer that
	 * wrote nothing degrades the run */
	if (d->wo.note[0]) {
		digest_say(d, DIGEST_NOTE, "writer: %s", d->wo.note);
		if (d->wc.llm && !d->wo.by_llm)
			d->degraded = true;
	}
out:
	buf_free(&why);
	return ret;
}

int digest_verify(struct digest *d, struct buf *err)
{
	struct engine_run run = digest_engine(d);
	struct writer_output ex;
	struct verify_input in;
	struct buf why = BUF_INIT(4096);
	int ret = ERR_OK;

	/* what the panel cannot trust becomes the extractive writer's text */
	memset(&ex, 0, sizeof ex);
	if (writer_write(NULL, NULL, d->ws, d->nitems, d->wcats,
	                 d->pc.ncategories, &ex, &why) != 0) {
		buf_printf(err, "the writer failed: %s", buf_cstr(&why));
		ret = ERR_IO;
		goto out;
	}
	memset(&in, 0, sizeof in);
	in.pc = &d->pc;
	in.pr = &d->pr;
	in.wc = &d->wc;
	in.stories = d->ws;
	in.n = d->nitems;
	in.ex = &ex;
	if (verify_digest(&run, &in, &d->wo, &d->vr, &why) != 0) {
		buf_printf(err, "verification failed: %s", buf_cstr(&why));
		ret = ERR_IO;
		goto out;
	}
	if (d->vr.ran && d->vr.note[0])
		digest_say(d, DIGEST_NOTE, "verification: %s", d->vr.note);
	if (d->vr.degraded)
		d->degraded = true;
out:
	writer_output_free(&ex);
	buf_free(&why);
	return ret;
}

int digest_build(struct digest *d, struct buf *err)
{
	int rc;

	rc = digest_select(d, err);
	if (rc == ERR_OK)
		rc = digest_rank(d, err);
	if (rc == ERR_OK)
		rc = digest_write(d, err);
	if (rc == ERR_OK)
		rc = digest_verify(d, err);
	if (rc == ERR_OK)
		rc = digest_render(d, err);
	if (rc == ERR_OK)
		rc = digest_validate(d, err);
	return rc;
}
