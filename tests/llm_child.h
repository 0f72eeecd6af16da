#ifndef AIDIGEST_TESTS_LLM_CHILD_H
#define AIDIGEST_TESTS_LLM_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

/* The fake LLM server (tests/llm_server.py) as a child process reading
 * our pipe: it exits when the pipe closes, whatever happens to this
 * process. Run from the project's root. */
struct llm_child {
	pid_t pid;
	int to_fd, from_fd;
	int port;
};

/* Whether python3 is on PATH. */
bool llm_child_python3(void);
/* Start it and read its port (the first line it prints; 10 s at most).
 * On failure all is cleaned up and false returned. */
bool llm_child_start(struct llm_child *s);
void llm_child_stop(struct llm_child *s);

#endif
