#ifndef AIDIGEST_TEST_LLM_H
#define AIDIGEST_TEST_LLM_H

#include <time.h>

/* The LLM client's suite, in two files (test_llm.c, test_llm_extract.c). */

/* llm_extract_json on a table of replies, then hostile megabytes. */
void test_llm_extract(void);

#endif
