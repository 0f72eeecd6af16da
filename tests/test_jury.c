#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "pipeline/jury.h"
#include "store/store.h"
#include "tests/check.h"
#include "tests/tests.h"

/* The jury (pipeline/jury.h) against tables counted by hand. */

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-12;
}

/* Day A: judges g (LLM) and h (heuristic), stories 1..4; the editor's
 * {1, 3} (3 pinned); g did not score 4. Pool's top 2 {1, 2}: 1 both, 2
 * pool only, 3 editor only, 4 neither. g's {1, 2} among 1..3: 1, 1, 1, 0.
 * h's {4, 3}: 1, 1, 1, 1. */
static int tjury_put_a(struct store *st, const char *date)
{
	static const char *const names[] = {"g", "h"};
	static const bool llm[] = {true, false};
	static const int64_t ids[] = {1, 2, 3, 4};
	static const double scores[] = {9, 8, 7, NAN, 1, 2, 3, 4};
	static const double pooled[] = {4, 3, 2, 1};
	static const bool selected[] = {true, false, true, false};
	static const unsigned char pick[] = {0, 0, STORE_PICK_PIN, 0};
	struct store_jury j = {date, 1,      2,      4,        names, llm,
	                       ids,  scores, pooled, selected, pick};

	return store_jury_put(st, &j);
}

/* Day B: judges g2 (LLM) and g, stories 10..12; the editor's {12}. Pool's
 * {10}: 0, 1, 1, 1. g ties all three (by id: {10}): 0, 1, 1, 1. g2's
 * {12}: 1, 0, 0, 2. */
static int tjury_put_b(struct store *st, const char *date)
{
	static const char *const names[] = {"g2", "g"};
	static const bool llm[] = {true, true};
	static const int64_t ids[] = {10, 11, 12};
	static const double scores[] = {1, 1, 9, 2, 2, 2};
	static const double pooled[] = {5, 4, 3};
	static const bool selected[] = {false, false, true};
	struct store_jury j = {date, 2,      2,      3,        names, llm,
	                       ids,  scores, pooled, selected, NULL};

	return store_jury_put(st, &j);
}

static void test_jury_two_days(struct store *st)
{
	struct jury_report r;
	struct buf err = BUF_INIT(0);

	CHECK_INT(tjury_put_a(st, "2026-11-01"), 0);
	CHECK_INT(tjury_put_b(st, "2026-11-03"), 0);
	/* before the span: not counted */
	CHECK_INT(tjury_put_b(st, "2026-10-31"), 0);
	if (!CHECK_INT(jury_measure(st, "2026-11-03", 3, &r, &err), 0))
		return;
	CHECK_STR(r.from, "2026-11-01");
	CHECK_STR(r.to, "2026-11-03");
	CHECK_INT(r.days, 2);
	CHECK_INT(r.stories, 7);
	CHECK_INT(r.days_picked, 1);
	CHECK_INT(r.pins, 1);
	CHECK_INT(r.drops, 0);
	/* pool: 1 both, 2 pool only, 2 editor only, 2 neither: po 3/7,
	 * pe 25/49, kappa -1/6 */
	CHECK_INT(r.pool.both, 1);
	CHECK_INT(r.pool.first_only, 2);
	CHECK_INT(r.pool.second_only, 2);
	CHECK_INT(r.pool.neither, 2);
	CHECK(near(r.pool_kappa, -1.0 / 6));
	/* the latest day's members first */
	if (CHECK_INT(r.njudges, 3)) {
		CHECK_STR(r.judges[0].name, "g2");
		CHECK_STR(r.judges[1].name, "g");
		CHECK_STR(r.judges[2].name, "h");
		CHECK(r.judges[0].llm && r.judges[1].llm && !r.judges[2].llm);
		/* g2: 1, 0, 0, 2: kappa 1 */
		CHECK_INT(r.judges[0].days, 1);
		CHECK_INT(r.judges[0].stories, 3);
		CHECK(near(r.judges[0].kappa, 1));
		/* g: 1, 2, 2, 1 over 6: po 1/3, pe 1/2, kappa -1/3 */
		CHECK_INT(r.judges[1].days, 2);
		CHECK_INT(r.judges[1].stories, 6);
		CHECK_INT(r.judges[1].table.both, 1);
		CHECK_INT(r.judges[1].table.first_only, 2);
		CHECK_INT(r.judges[1].table.second_only, 2);
		CHECK_INT(r.judges[1].table.neither, 1);
		CHECK(near(r.judges[1].kappa, -1.0 / 3));
		/* h: 1, 1, 1, 1: kappa 0 */
		CHECK_INT(r.judges[2].stories, 4);
		CHECK(near(r.judges[2].kappa, 0));
		CHECK(r.judges[0].weight == 1 && r.judges[1].weight == 1);
	}
	CHECK_INT(r.weights_status, POOL_EDITOR_FEW_DAYS);
	CHECK_INT(r.llm_days, 2);
	jury_report_free(&r);
	/* a span with no record */
	CHECK_INT(jury_measure(st, "2026-12-31", 30, &r, &err), 0);
	CHECK_INT(r.days, 0);
	CHECK_INT(r.njudges, 0);
	CHECK(isnan(r.pool_kappa));
	jury_report_free(&r);
	CHECK_INT(jury_measure(st, "2026-13-01", 30, &r, &err), ERR_USAGE);
	jury_report_free(&r);
	buf_free(&err);
}

/* Fourteen days of day B: g 0, 1, 1, 1 a day (kappa -1/2 over them), g2
 * kappa 1; their mean 1/4: g2 4 (bounded to 2), g -2 (bounded to 0.5). */
static void test_jury_weights(struct store *st)
{
	struct jury_report r;
	struct buf err = BUF_INIT(0);
	struct panel_judge judges[4];
	struct panel_config pc;
	double w[4];
	char date[DATE_DAY_LEN];
	long d;

	for (d = 0; d < 14; d++) {
		CHECK_INT(jury_day_shift("2027-01-01", d, date), 0);
		CHECK_INT(tjury_put_b(st, date), 0);
	}
	CHECK_STR(date, "2027-01-14");
	if (!CHECK_INT(jury_measure(st, "2027-01-14", 30, &r, &err), 0))
		return;
	CHECK_INT(r.days, 14);
	CHECK_INT(r.weights_status, 0);
	if (CHECK_INT(r.njudges, 2)) {
		CHECK(near(r.judges[0].kappa, 1));
		CHECK(near(r.judges[1].kappa, -0.5));
		CHECK(near(r.judges[0].weight, POOL_EDITOR_WEIGHT_MAX));
		CHECK(near(r.judges[1].weight, POOL_EDITOR_WEIGHT_MIN));
	}
	/* per configured judge: an LLM judge by name, the rest 1 */
	memset(judges, 0, sizeof judges);
	memset(&pc, 0, sizeof pc);
	judges[0].name = "g";
	judges[1].name = "g2";
	judges[1].type = PANEL_JUDGE_HEURISTIC;
	judges[2].name = "g2";
	judges[3].name = "new";
	pc.judges = judges;
	pc.njudges = 4;
	jury_judge_factors(&r, &pc, w);
	CHECK(near(w[0], 0.5));
	CHECK(near(w[1], 1));
	CHECK(near(w[2], 2));
	CHECK(near(w[3], 1));
	jury_report_free(&r);
	/* thirteen days of the fourteen: too few */
	CHECK_INT(jury_measure(st, "2027-01-14", 13, &r, &err), 0);
	CHECK_INT(r.weights_status, POOL_EDITOR_FEW_DAYS);
	CHECK_INT(r.llm_days, 13);
	jury_report_free(&r);
	buf_free(&err);
}

/* jury_keep: the candidates in the panel's order, the members' scores on
 * them, the picks; a story that is no candidate left out. */
static void test_jury_keep(struct store *st)
{
	const char *names[2] = {"judge-a", "recency"};
	struct panel_judge_report reports[2];
	struct panel_story stories[3];
	double scores[6] = {5, 6, 7, 0.1, 0.2, 0.3};
	double pooled[3] = {0.5, -INFINITY, 0.9};
	size_t order[3] = {2, 0, 1};
	bool selected[3] = {false, false, true};
	struct panel_result res;
	struct store_jury_row row;

	memset(reports, 0, sizeof reports);
	memset(stories, 0, sizeof stories);
	memset(&res, 0, sizeof res);
	reports[0].name = names[0];
	reports[0].llm = true;
	reports[1].name = names[1];
	stories[0].id = 100;
	stories[0].pick = POOL_PICK_DROP;
	stories[1].id = 101;
	stories[2].id = 102;
	res.nstories = 3;
	res.njudges = 2;
	res.judges = reports;
	res.nreports = 2;
	res.scores = scores;
	res.pooled = pooled;
	res.order = order;
	res.norder = 2;
	res.selected = selected;
	res.pool_names = names;
	CHECK_INT(jury_keep(st, "2026-11-20", 77, &res, stories), 0);
	if (!CHECK_INT(store_jury_get(st, "2026-11-20", &row), 0))
		return;
	CHECK_INT(row.at, 77);
	if (CHECK_INT(row.njudges, 2) && CHECK_INT(row.nstories, 2)) {
		CHECK_STR(row.names[0], "judge-a");
		CHECK(row.llm[0] && !row.llm[1]);
		CHECK_INT(row.story_ids[0], 102);
		CHECK_INT(row.story_ids[1], 100);
		CHECK(row.pooled[0] == 0.9 && row.pooled[1] == 0.5);
		CHECK(row.selected[0] && !row.selected[1]);
		CHECK_INT(row.pick[0], 0);
		CHECK_INT(row.pick[1], STORE_PICK_DROP);
		CHECK(row.scores[0] == 7 && row.scores[1] == 5);
		CHECK(row.scores[2] == 0.3 && row.scores[3] == 0.1);
	}
	store_jury_clear(&row);
}

void test_jury(void)
{
	struct store *st = NULL;
	struct buf err = BUF_INIT(0);
	char day[DATE_DAY_LEN];

	if (!CHECK_INT(store_open(":memory:", &st, &err), 0)) {
		buf_free(&err);
		return;
	}
	CHECK_INT(jury_day_shift("2026-03-01", -1, day), 0);
	CHECK_STR(day, "2026-02-28");
	CHECK_INT(jury_day_shift("2026-12-31", 1, day), 0);
	CHECK_STR(day, "2027-01-01");
	CHECK_INT(jury_day_shift("yesterday", 1, day), ERR_USAGE);
	test_jury_two_days(st);
	test_jury_weights(st);
	test_jury_keep(st);
	store_close(st);
	buf_free(&err);
}
