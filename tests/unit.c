#include <stdio.h>
#include <string.h>

#include "tests/check.h"
#include "tests/tests.h"

/* With arguments, only the suites they name run: tests/unit store panel */
int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} suites[] = {
	        {"common", test_common},       {"helpers", test_helpers},
	        {"fuzz", test_fuzz},           {"date", test_date},
	        {"html", test_html},           {"charset", test_charset},
	        {"feed", test_feed},           {"sources", test_sources},
	        {"http", test_http},           {"store", test_store},
	        {"stories", test_stories},     {"api", test_api},
	        {"urlnorm", test_urlnorm},     {"pool", test_pool},
	        {"heuristic", test_heuristic}, {"config", test_config},
	        {"panel", test_panel},         {"llm", test_llm},
	        {"writer", test_writer},       {"verify", test_verify},
	        {"publish", test_publish},     {"mustache", test_mustache},
	        {"jury", test_jury},
	};
	size_t i;
	int a, want;

	for (i = 0; i < sizeof suites / sizeof suites[0]; i++) {
		for (a = 1, want = argc == 1; a < argc && !want; a++)
			want = strcmp(argv[a], suites[i].name) == 0;
		if (!want)
			continue;
		check_group(suites[i].name);
		suites[i].run();
	}
	return check_summary();
}
