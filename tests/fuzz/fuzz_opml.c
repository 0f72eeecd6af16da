#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/utf8.h"
#include "fetch/sources.h"
#include "tests/fuzz/fuzz_sources.h"

/* libFuzzer target for sources_import_opml; the whole input is the
 * document. The result is one of those sources.h names; the notices are
 * UTF-8 lines; what the import prints loads as feeds.txt, a source a
 * line; and those sources, exported and imported again, come back the
 * same (fuzz_sources.h). Any broken invariant aborts. */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf lines = BUF_INIT(0), err = BUF_INIT(0);
	struct source_list list;
	int ret;

	ret = sources_fuzz_import((const char *)data, size, &lines, &err);
	if (ret != ERR_OK && ret != ERR_PARSE && ret != ERR_LIMIT)
		sources_fuzz_fail("sources_import_opml returned %d", ret);
	if (utf8_valid_prefix(buf_cstr(&err), err.len) != err.len ||
	    (err.len && err.data[err.len - 1] != '\n'))
		sources_fuzz_fail("the notices are not UTF-8 lines");
	if (ret != ERR_OK && err.len == 0)
		sources_fuzz_fail("failed (%d) without a reason", ret);
	if (ret == ERR_OK) {
		sources_fuzz_check_import(&lines, &list);
		sources_fuzz_check_round_trip(&list);
		sources_free(&list);
	}
	buf_free(&lines);
	buf_free(&err);
	return 0;
}
