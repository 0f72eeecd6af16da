#include <stdio.h>

#include "store/store_impl.h"

/* Migration i takes the schema from version i to i + 1. Append new ones;
 * never edit one that has shipped. Times are UTC seconds; published is
 * NULL when unknown; engagement numbers are -1 when absent. */
static const char *const store_migrations[] = {
        "CREATE TABLE feeds ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL UNIQUE,"
        " url TEXT,"
        " kind TEXT,"
        " etag TEXT,"
        " last_modified TEXT,"
        " last_attempt INTEGER NOT NULL DEFAULT 0,"
        " last_success INTEGER NOT NULL DEFAULT 0,"
        " last_new_item INTEGER NOT NULL DEFAULT 0,"
        " last_status INTEGER NOT NULL DEFAULT 0,"
        " last_error TEXT,"
        " consecutive_failures INTEGER NOT NULL DEFAULT 0,"
        " last_items INTEGER NOT NULL DEFAULT 0,"
        " health TEXT,"
        " weight REAL NOT NULL DEFAULT 1.0);"
        "CREATE TABLE stories ("
        " id INTEGER PRIMARY KEY,"
        " title TEXT NOT NULL DEFAULT '',"
        " canonical_url TEXT,"
        " time INTEGER NOT NULL DEFAULT 0,"
        " corroboration INTEGER NOT NULL DEFAULT 0,"
        " simhash INTEGER);"
        "CREATE INDEX stories_time ON stories(time);"
        "CREATE TABLE items ("
        " id INTEGER PRIMARY KEY,"
        " feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
        " key TEXT NOT NULL,"
        " guid TEXT,"
        " url TEXT,"
        " canonical_url TEXT,"
        " title TEXT NOT NULL DEFAULT '',"
        " summary TEXT,"
        " author TEXT,"
        " published INTEGER,"
        " first_seen INTEGER NOT NULL,"
        " time INTEGER NOT NULL,"
        " likes INTEGER NOT NULL DEFAULT -1,"
        " reposts INTEGER NOT NULL DEFAULT -1,"
        " points INTEGER NOT NULL DEFAULT -1,"
        " stars INTEGER NOT NULL DEFAULT -1,"
        " comments INTEGER NOT NULL DEFAULT -1,"
        " story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,"
        " UNIQUE (feed_id, key));"
        "CREATE INDEX items_time ON items(time);"
        "CREATE INDEX items_canonical_url ON items(canonical_url);"
        "CREATE INDEX items_story ON items(story_id);",
        /* 2: judgments, keyed by story content; runs of rank and run.
         * kendall_w is NULL when it was not computed. */
        "CREATE TABLE judgments ("
        " story_hash TEXT NOT NULL,"
        " judge TEXT NOT NULL,"
        " prompt_version TEXT NOT NULL,"
        " score REAL NOT NULL,"
        " category TEXT,"
        " raw TEXT,"
        " tokens_in INTEGER NOT NULL DEFAULT 0,"
        " tokens_out INTEGER NOT NULL DEFAULT 0,"
        " usd REAL NOT NULL DEFAULT 0,"
        " at INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (story_hash, judge, prompt_version));"
        "CREATE TABLE runs ("
        " id INTEGER PRIMARY KEY,"
        " command TEXT NOT NULL,"
        " date TEXT NOT NULL,"
        " started INTEGER NOT NULL DEFAULT 0,"
        " finished INTEGER NOT NULL DEFAULT 0,"
        " usd REAL NOT NULL DEFAULT 0,"
        " reference_usd REAL NOT NULL DEFAULT 0,"
        " requests INTEGER NOT NULL DEFAULT 0,"
        " tokens_in INTEGER NOT NULL DEFAULT 0,"
        " tokens_out INTEGER NOT NULL DEFAULT 0,"
        " kendall_w REAL,"
        " status TEXT NOT NULL,"
        " details TEXT);"
        "CREATE INDEX runs_command_date ON runs(command, date);",
        /* 3: published digests, and the stories each one carried, so a
         * later day does not repeat them */
        "CREATE TABLE digests ("
        " date TEXT PRIMARY KEY,"
        " path TEXT NOT NULL,"
        " first_date TEXT NOT NULL,"
        " updated TEXT NOT NULL,"
        " hash TEXT,"
        " at INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE published ("
        " url TEXT NOT NULL,"
        " date TEXT NOT NULL,"
        " PRIMARY KEY (url, date));",
        /* 4: the writer's replies, keyed by a hash of everything its call
         * sends, so a re-run of a day pays for the writing once */
        "CREATE TABLE writings ("
        " key TEXT PRIMARY KEY,"
        " writer TEXT NOT NULL,"
        " prompt_version TEXT NOT NULL,"
        " reply TEXT NOT NULL,"
        " raw TEXT,"
        " tokens_in INTEGER NOT NULL DEFAULT 0,"
        " tokens_out INTEGER NOT NULL DEFAULT 0,"
        " usd REAL NOT NULL DEFAULT 0,"
        " at INTEGER NOT NULL DEFAULT 0);",
        /* 5: the panel's verdicts on the writer's texts, keyed by a hash
         * of the text and its source, the judge and the prompt version */
        "CREATE TABLE verdicts ("
        " text_hash TEXT NOT NULL,"
        " judge TEXT NOT NULL,"
        " prompt_version TEXT NOT NULL,"
        " supported INTEGER NOT NULL,"
        " problem TEXT,"
        " raw TEXT,"
        " tokens_in INTEGER NOT NULL DEFAULT 0,"
        " tokens_out INTEGER NOT NULL DEFAULT 0,"
        " usd REAL NOT NULL DEFAULT 0,"
        " at INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (text_hash, judge, prompt_version));",
        /* 6: stories are matched from their items' titles at every
         * rebuild (summarize/stories.c); the simhash column was never
         * filled */
        "ALTER TABLE stories DROP COLUMN simhash;",
        /* 7: a source's names for people: the feed's own title, recorded
         * at each fetch that reads a body, and the title= of feeds.txt,
         * recorded with the weight */
        "ALTER TABLE feeds ADD COLUMN title TEXT;"
        "ALTER TABLE feeds ADD COLUMN display_name TEXT;",
        /* 8: the editor's last word on a day's stories: a story dropped
         * from the digest, or pinned into it */
        "CREATE TABLE picks ("
        " date TEXT NOT NULL,"
        " story_id INTEGER NOT NULL,"
        " action TEXT NOT NULL CHECK (action IN ('drop', 'pin')),"
        " at INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (date, story_id));",
        /* 9: the panel as it stood when a day was published, for the
         * jury's agreement with the editor: its members, the candidates
         * with the pooled score, the final selection and the pick, and
         * each member's scores (a story it did not score has no row) */
        "CREATE TABLE jury_days ("
        " date TEXT PRIMARY KEY,"
        " at INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE jury_judges ("
        " date TEXT NOT NULL REFERENCES jury_days(date) ON DELETE CASCADE,"
        " judge INTEGER NOT NULL,"
        " name TEXT NOT NULL,"
        " llm INTEGER NOT NULL,"
        " PRIMARY KEY (date, judge));"
        "CREATE TABLE jury_stories ("
        " date TEXT NOT NULL REFERENCES jury_days(date) ON DELETE CASCADE,"
        " story INTEGER NOT NULL,"
        " story_id INTEGER NOT NULL,"
        " pooled REAL,"
        " selected INTEGER NOT NULL,"
        " pick TEXT CHECK (pick IN ('drop', 'pin')),"
        " PRIMARY KEY (date, story));"
        "CREATE TABLE jury_scores ("
        " date TEXT NOT NULL REFERENCES jury_days(date) ON DELETE CASCADE,"
        " judge INTEGER NOT NULL,"
        " story INTEGER NOT NULL,"
        " score REAL NOT NULL,"
        " PRIMARY KEY (date, judge, story));",
        /* 10: where a judge saw a story: its place in the batch (NULL:
         * unknown), so a judgment taken from the cache still tells the
         * judge's position bias */
        "ALTER TABLE judgments ADD COLUMN place INTEGER;",
};

#define STORE_SCHEMA_VERSION                                                   \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))

/* Apply the migrations the database lacks, one transaction each. The
 * version is read again under the write lock: another process may have
 * migrated meanwhile. */
int store_migrate(struct store *st)
{
	struct buf sql = BUF_INIT(0);
	int v, err;

	for (;;) {
		err = store_exec(st, "BEGIN IMMEDIATE", "exec");
		if (err)
			goto out;
		err = store_schema_version(st, &v);
		if (err)
			goto fail;
		if (v > STORE_SCHEMA_VERSION) {
			err = store_failf(st, ERR_DB,
			                  "database schema version %d is newer "
			                  "than this program's (%d)",
			                  v, STORE_SCHEMA_VERSION);
			goto fail;
		}
		if (v == STORE_SCHEMA_VERSION)
			break;
		buf_reset(&sql);
		buf_printf(&sql, "%s;PRAGMA user_version = %d;",
		           store_migrations[v], v + 1);
		if (sqlite3_exec(st->db, buf_cstr(&sql), NULL, NULL, NULL) !=
		    SQLITE_OK) {
			buf_reset(&sql);
			buf_printf(&sql, "migration to version %d", v + 1);
			err = store_fail(st, buf_cstr(&sql));
			goto fail;
		}
		err = store_exec(st, "COMMIT", "exec");
		if (err)
			goto fail;
	}
	err = store_exec(st, "COMMIT", "exec");
	if (err)
		goto fail;
	goto out;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
out:
	buf_free(&sql);
	return err;
}
