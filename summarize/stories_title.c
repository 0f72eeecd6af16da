#include "summarize/stories_impl.h"

#include <string.h>

/* A parsed title's summary: its sorted sets, its names and the units
 * both languages can read (stories_title in stories_impl.h). */

/* Insertion sorts: a title has a few dozen tokens at most. */
static void stories_sort_u64(uint64_t *v, size_t n)
{
	uint64_t x;
	size_t i, j;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void stories_sort_toks(struct stories_tok *v, size_t n)
{
	struct stories_tok x;
	size_t i, j;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1].hash > x.hash; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* The sorted sets of a title's hashes: all of them, with each one's kind
 * and flags (in a comparison only if every time), and those with a digit
 * outside a comparison. */
static void stories_title_sets(struct stories_title *ti)
{
	struct stories_tok t[STORIES_MAX_TOKENS];
	uint8_t flags;
	size_t i, k;

	memcpy(t, ti->seq, ti->nseq * sizeof t[0]);
	stories_sort_toks(t, ti->nseq);
	for (i = 0; i < ti->nseq; i++) {
		if (ti->nset > 0 && ti->set[ti->nset - 1] == t[i].hash) {
			k = ti->nset - 1;
			flags = STORIES_FLAGS(ti->attr[k]);
			flags |= t[i].flags & ~ST_CONTEXT;
			flags &= t[i].flags | ~ST_CONTEXT;
			ti->attr[k] =
			        (uint16_t)((ti->attr[k] & 0xFF00) | flags);
			continue;
		}
		ti->set[ti->nset] = t[i].hash;
		ti->attr[ti->nset++] = (uint16_t)(t[i].kind << 8 | t[i].flags);
	}
	for (i = 0; i < ti->nseq; i++)
		if ((ti->seq[i].flags & ST_NUM) &&
		    !(ti->seq[i].flags & ST_CONTEXT))
			ti->num[ti->nnum++] = ti->seq[i].hash;
	stories_sort_u64(ti->num, ti->nnum);
	for (i = 0, k = 0; i < ti->nnum; i++)
		if (k == 0 || ti->num[k - 1] != ti->num[i])
			ti->num[k++] = ti->num[i];
	ti->nnum = k;
}

/* What a name proves, from its tokens seq[from..to). */
static void stories_run_weigh(struct stories_run *r,
                              const struct stories_tok *seq, size_t from,
                              size_t to)
{
	size_t i, nbase = 0;
	bool lex = false, num = false, id = false, ctx = true;

	for (i = from; i < to; i++) {
		r->all += seq[i].hash;
		if (seq[i].flags & (ST_NUM | ST_TIER)) {
			r->key += seq[i].hash;
		} else {
			r->base += seq[i].hash;
			nbase++;
		}
		lex |= (seq[i].flags & (ST_LEX | ST_TIER)) == ST_LEX;
		num |= (seq[i].flags & ST_NUM) != 0;
		id |= (seq[i].flags & (ST_NUM | ST_BARE)) == ST_NUM;
		ctx &= (seq[i].flags & ST_CONTEXT) != 0;
	}
	if (ctx)
		r->flags |= SR_CONTEXT;
	if (id || (nbase > 0 && num))
		r->flags |= SR_VERSION;
	if ((r->flags & SR_VERSION) || lex || nbase >= 2)
		r->weight = STORIES_WEIGHT_FULL;
	else if (nbase == 1)
		r->weight = STORIES_WEIGHT_HALF;
}

/* The names of a title: runs of adjacent name tokens; its subject; the
 * units both languages can read (names, and tokens with ST_CROSS that
 * are in no name), sorted. */
static void stories_title_names(struct stories_title *ti)
{
	struct stories_tok units[STORIES_MAX_TOKENS];
	struct stories_run *r;
	bool in_run[STORIES_MAX_TOKENS] = {false};
	size_t i, j, nunits = 0;

	ti->subject = -1;
	for (i = 0; i < ti->nseq; i = j) {
		if (ti->seq[i].kind != SK_NAME) {
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < ti->nseq && ti->seq[j].kind == SK_NAME &&
		                (ti->seq[j].flags & ST_ADJ);
		     j++)
			;
		if (ti->nrun == STORIES_MAX_RUNS)
			break;
		r = &ti->run[ti->nrun];
		memset(r, 0, sizeof *r);
		stories_run_weigh(r, ti->seq, i, j);
		memset(in_run + i, true, j - i);
		if (ti->subject < 0 && r->weight && !(r->flags & SR_CONTEXT))
			ti->subject = (int)ti->nrun;
		if (r->weight)
			units[nunits++] =
			        (struct stories_tok){r->all, SK_NAME, 0};
		ti->nrun++;
	}
	for (i = 0; i < ti->nseq; i++)
		if (!in_run[i] && (ti->seq[i].flags & ST_CROSS))
			units[nunits++] = ti->seq[i];
	stories_sort_toks(units, nunits);
	for (i = 0; i < nunits; i++) {
		if (ti->nunit > 0 && ti->unit[ti->nunit - 1] == units[i].hash)
			continue;
		ti->unit[ti->nunit] = units[i].hash;
		ti->unit_kind[ti->nunit++] = units[i].kind;
	}
}

void stories_title_finish(struct stories_title *ti)
{
	stories_title_sets(ti);
	stories_title_names(ti);
}

struct stories_view stories_view_of(const struct stories_title *ti)
{
	struct stories_view v;

	v.set = ti->set;
	v.num = ti->num;
	v.attr = ti->attr;
	v.unit = ti->unit;
	v.unit_kind = ti->unit_kind;
	v.run = ti->run;
	v.nset = ti->nset;
	v.nnum = ti->nnum;
	v.nunit = ti->nunit;
	v.nrun = ti->nrun;
	v.subject = ti->subject;
	v.korean = ti->korean;
	v.launch = ti->launch;
	return v;
}
