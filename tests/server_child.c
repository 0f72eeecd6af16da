#include "tests/server_child.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/check.h"

bool server_child_python3(void)
{
	const char *path = getenv("PATH"), *p, *colon;
	char file[PATH_MAX];

	for (p = path; p && *p; p = colon ? colon + 1 : "") {
		int len;

		colon = strchr(p, ':');
		len = colon ? (int)(colon - p) : (int)strlen(p);
		if (len > 0 &&
		    snprintf(file, sizeof file, "%.*s/python3", len, p) <
		            (int)sizeof file &&
		    access(file, X_OK) == 0)
			return true;
	}
	return false;
}

void server_child_stop(struct server_child *s)
{
	if (s->to_fd >= 0)
		close(s->to_fd);
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
	}
	if (s->from_fd >= 0)
		close(s->from_fd);
	s->pid = -1;
	s->to_fd = s->from_fd = -1;
}

bool server_child_start(struct server_child *s, const char *script)
{
	int in[2], out[2];
	char line[32];
	size_t len = 0;
	struct timespec t0;
	char *end;
	long port;

	s->pid = -1;
	s->to_fd = s->from_fd = -1;
	s->port = 0;
	if (pipe2(in, O_CLOEXEC) != 0)
		return false;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return false;
	}
	s->pid = fork();
	if (s->pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0)
			_exit(127);
		execlp("python3", "python3", script, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s->to_fd = in[1];
	s->from_fd = out[0];
	if (s->pid < 0) {
		server_child_stop(s);
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	line[0] = '\0';
	while (len < sizeof line - 1 && !memchr(line, '\n', len) &&
	       check_seconds_since(&t0) < 10.0) {
		struct pollfd pfd = {s->from_fd, POLLIN, 0};
		ssize_t got;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		got = read(s->from_fd, line + len, sizeof line - 1 - len);
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	line[len] = '\0';
	port = strtol(line, &end, 10);
	if (end == line || *end != '\n' || port <= 0 || port > 65535) {
		fprintf(stderr, "tests: %s gave no port\n", script);
		server_child_stop(s);
		return false;
	}
	s->port = (int)port;
	return true;
}

/* A loopback port nothing listens on (it was free a moment ago). */
int server_child_closed_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 1;

	if (fd < 0)
		return port;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}
