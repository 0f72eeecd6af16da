#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "store/store.h"
#include "tests/check.h"
#include "tests/test_store.h"

/* The panel at a day's publication: two judges (one LLM), three
 * candidates; judge 1 did not score story 2. */
static const char *const tjury_names[2] = {"gpt", "recency"};
static const bool tjury_llm[2] = {true, false};
static const int64_t tjury_ids[3] = {41, 7, 300};
static const double tjury_pooled[3] = {0.75, -0.25, -0.5};
static const bool tjury_selected[3] = {true, false, true};
static const unsigned char tjury_pick[3] = {0, STORE_PICK_DROP, STORE_PICK_PIN};

static struct store_jury tjury_record(const char *date, const double *scores)
{
	struct store_jury j;

	memset(&j, 0, sizeof j);
	j.date = date;
	j.at = 1000;
	j.njudges = 2;
	j.nstories = 3;
	j.names = tjury_names;
	j.llm = tjury_llm;
	j.story_ids = tjury_ids;
	j.scores = scores;
	j.pooled = tjury_pooled;
	j.selected = tjury_selected;
	j.pick = tjury_pick;
	return j;
}

static void test_store_jury_round_trip(struct store *st, const double *scores)
{
	struct store_jury_row r;
	size_t i;

	if (!CHECK_INT(store_jury_get(st, "2026-11-20", &r), 0))
		return;
	CHECK_STR(r.date, "2026-11-20");
	CHECK_INT(r.at, 1000);
	if (CHECK_INT(r.njudges, 2) && CHECK_INT(r.nstories, 3)) {
		CHECK_STR(r.names[0], "gpt");
		CHECK_STR(r.names[1], "recency");
		CHECK(r.llm[0] && !r.llm[1]);
		for (i = 0; i < 3; i++) {
			CHECK_INT(r.story_ids[i], tjury_ids[i]);
			CHECK(r.pooled[i] == tjury_pooled[i]);
			CHECK(r.selected[i] == tjury_selected[i]);
			CHECK_INT(r.pick[i], tjury_pick[i]);
		}
		for (i = 0; i < 6; i++)
			CHECK(isnan(scores[i]) ? isnan(r.scores[i])
			                       : r.scores[i] == scores[i]);
	}
	store_jury_clear(&r);
}

static void test_store_jury_bad(struct store *st, const double *scores)
{
	struct store_jury j = tjury_record("2026-11-20", scores);
	const char *const unnamed[2] = {"gpt", ""};

	j.date = "";
	CHECK_INT(store_jury_put(st, &j), ERR_USAGE);
	j = tjury_record("2026-11-20", scores);
	j.names = unnamed;
	CHECK_INT(store_jury_put(st, &j), ERR_USAGE);
	j = tjury_record("2026-11-20", NULL);
	CHECK_INT(store_jury_put(st, &j), ERR_USAGE);
	j = tjury_record("2026-11-20", scores);
	j.nstories = STORE_JURY_MAX_STORIES + 1;
	CHECK_INT(store_jury_put(st, &j), ERR_LIMIT);
}

void test_store_jury(void)
{
	struct store *st = tstore_open(":memory:");
	double scores[6] = {8, 3, 5, 0.9, 0.1, NAN};
	double again[6] = {2, 9, 4, 0.5, 0.5, 0.7};
	struct store_jury j;
	struct store_jury_row r;
	char **dates = NULL;
	size_t n = 0;

	if (!st)
		return;
	CHECK_INT(store_jury_get(st, "2026-11-20", &r), ERR_NOT_FOUND);
	CHECK_INT(r.njudges, 0);
	j = tjury_record("2026-11-20", scores);
	CHECK_INT(store_jury_put(st, &j), 0);
	test_store_jury_round_trip(st, scores);
	/* a second put of the day replaces the record whole */
	j = tjury_record("2026-11-20", again);
	j.njudges = 1;
	CHECK_INT(store_jury_put(st, &j), 0);
	if (CHECK_INT(store_jury_get(st, "2026-11-20", &r), 0)) {
		CHECK_INT(r.njudges, 1);
		CHECK_INT(r.nstories, 3);
		CHECK(r.scores[1] == 9);
		store_jury_clear(&r);
	}
	j = tjury_record("2026-11-20", scores);
	CHECK_INT(store_jury_put(st, &j), 0);
	test_store_jury_round_trip(st, scores);
	/* no picks: none stored */
	j = tjury_record("2026-11-18", scores);
	j.pick = NULL;
	CHECK_INT(store_jury_put(st, &j), 0);
	if (CHECK_INT(store_jury_get(st, "2026-11-18", &r), 0)) {
		CHECK_INT(r.pick[1], 0);
		CHECK_INT(r.pick[2], 0);
		store_jury_clear(&r);
	}
	j = tjury_record("2026-10-01", scores);
	CHECK_INT(store_jury_put(st, &j), 0);
	/* the days of a range, oldest first, both ends in */
	CHECK_INT(store_jury_dates(st, "2026-10-02", "2026-11-20", &dates, &n),
	          0);
	if (CHECK_INT(n, 2)) {
		CHECK_STR(dates[0], "2026-11-18");
		CHECK_STR(dates[1], "2026-11-20");
	}
	store_strings_free(dates, n);
	CHECK_INT(store_jury_dates(st, "2026-12-01", "2026-12-31", &dates, &n),
	          0);
	CHECK_INT(n, 0);
	CHECK(dates == NULL);
	test_store_jury_bad(st, scores);
	/* a refused put left the day as it was */
	test_store_jury_round_trip(st, scores);
	store_close(st);
}
