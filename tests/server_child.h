#ifndef AIDIGEST_TESTS_SERVER_CHILD_H
#define AIDIGEST_TESTS_SERVER_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

/* A loopback test server (tests/llm_server.py, tests/http_server.py) as
 * a child process reading our pipe: it exits when the pipe closes,
 * whatever happens to this process. Run from the project's root. */
struct server_child {
	pid_t pid;
	int to_fd, from_fd;
	int port;
};

/* Whether python3 is on PATH. */
bool server_child_python3(void);
/* Start python3 SCRIPT and read its port (the first line it prints; 10 s at
 * most). On failure all is cleaned up and false returned. */
bool server_child_start(struct server_child *s, const char *script);
void server_child_stop(struct server_child *s);

/* A loopback port nothing listens on (it was free a moment ago). */
int server_child_closed_port(void);

#endif
