#ifndef AIDIGEST_DIGEST_IMPL_H
#define AIDIGEST_DIGEST_IMPL_H

#include "pipeline/digest.h"

/* Shared by the files of the digest pipeline; not for its callers. */

/* Say one line through the environment's notice function (if any). */
void digest_say(const struct digest *d, enum digest_notice level,
                const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Say each line of text (a last line without a newline too). */
void digest_say_lines(const struct digest *d, enum digest_notice level,
                      const char *text);

#endif
