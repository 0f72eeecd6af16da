#include "common/ascii.h"

int ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	size_t i;
	int x, y;

	for (i = 0; i < n; i++) {
		x = ascii_tolower((unsigned char)a[i]);
		y = ascii_tolower((unsigned char)b[i]);
		if (x != y || x == 0)
			return x - y;
	}
	return 0;
}

int ascii_casecmp(const char *a, const char *b)
{
	return ascii_ncasecmp(a, b, (size_t)-1);
}

bool ascii_has_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (ascii_tolower((unsigned char)*s) !=
		    ascii_tolower((unsigned char)*prefix))
			return false;
	return true;
}
