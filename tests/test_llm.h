#ifndef AIDIGEST_TEST_LLM_H
#define AIDIGEST_TEST_LLM_H

#include <jansson.h>
#include <time.h>

/* The LLM client's suite, in three files (test_llm.c, test_llm_extract.c,
 * test_llm_cut.c); the fake server's stats for the other suites. */

/* llm_extract_json on a table of replies, then hostile megabytes. */
void test_llm_extract(void);

/* Replies cut short, several tool blocks, an error body whose root is an
 * array: against tests/llm_server.py at port (test_llm_cut.c). */
void test_llm_cut(int port);

/* GET path of the fake LLM server at port (/stats, /reset), parsed;
 * json_decref it. */
json_t *llm_test_server_get(int port, const char *path);

#endif
