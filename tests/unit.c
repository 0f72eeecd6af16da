#include <stdio.h>

#include "tests/check.h"
#include "tests/tests.h"

int main(void)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} suites[] = {
	        {"common", test_common}, {"date", test_date},
	        {"html", test_html},     {"charset", test_charset},
	        {"feed", test_feed},         {"sources", test_sources},
	        {"http", test_http},         {"store", test_store},
	        {"stories", test_stories},   {"api", test_api},
	        {"urlnorm", test_urlnorm},
	        {"pool", test_pool},
	        {"heuristic", test_heuristic},
	        {"config", test_config},
	        {"panel", test_panel},
	        {"llm", test_llm},
	        {"writer", test_writer},
	        {"verify", test_verify},
	        {"publish", test_publish},
	        {"mustache", test_mustache},
	};
	size_t i;

	for (i = 0; i < sizeof suites / sizeof suites[0]; i++) {
		check_group(suites[i].name);
		suites[i].run();
	}
	return check_summary();
}
