#ifndef AIDIGEST_TEST_PUBLISH_H
#define AIDIGEST_TEST_PUBLISH_H

/* The publish suite's parts in other files; test_publish() runs them. */

/* publish_validate's cases (tests/test_publish_validate.c). */
void test_publish_validate(void);
/* the post each preset writes (tests/test_publish_post.c). */
void test_publish_post(void);

#endif
