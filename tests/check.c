#include "tests/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static long check_passed, check_failed;
static const char *check_current = "";

void check_group(const char *name)
{
	check_current = name;
}

static void check_fail_header(const char *file, int line)
{
	fprintf(stderr, "FAIL [%s] %s:%d: ", check_current, file, line);
}

bool check_true(bool ok, const char *expr, const char *file, int line)
{
	if (ok) {
		check_passed++;
		return true;
	}
	check_failed++;
	check_fail_header(file, line);
	fprintf(stderr, "%s\n", expr);
	return false;
}

bool check_str(const char *got, const char *want, const char *expr,
               const char *file, int line)
{
	if ((got == NULL && want == NULL) ||
	    (got && want && strcmp(got, want) == 0)) {
		check_passed++;
		return true;
	}
	check_failed++;
	check_fail_header(file, line);
	fprintf(stderr, "%s\n    got:  \"%s\"\n    want: \"%s\"\n", expr,
	        got ? got : "(null)", want ? want : "(null)");
	return false;
}

bool check_int(long long got, long long want, const char *expr,
               const char *file, int line)
{
	if (got == want) {
		check_passed++;
		return true;
	}
	check_failed++;
	check_fail_header(file, line);
	fprintf(stderr, "%s\n    got:  %lld\n    want: %lld\n", expr, got,
	        want);
	return false;
}

int check_summary(void)
{
	printf("%ld passed, %ld failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

bool check_read_file(const char *path, struct buf *out)
{
	char chunk[65536];
	size_t got;
	FILE *fp = fopen(path, "rb");
	bool ok = true;

	buf_reset(out);
	if (!fp)
		return false;
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_append(out, chunk, got) != BUF_OK) {
			ok = false;
			break;
		}
	if (ferror(fp))
		ok = false;
	fclose(fp);
	return ok;
}

const char *check_shared_dir(void)
{
	static char path[4096];
	const char *env = getenv("AIDIGEST_SHARED");
	struct stat st;

	snprintf(path, sizeof path, "%s", env && *env ? env : "../shared");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return path;
	return NULL;
}

double check_seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}
