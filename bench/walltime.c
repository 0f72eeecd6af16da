/* walltime: run a command once and print its wall time in microseconds,
 * for the parse benchmark (bench/run.sh).
 *
 * usage: walltime [-i INPUT] [-o OUTPUT] COMMAND [ARG]...
 *
 * The clock runs from just before fork to just after wait, so the time is
 * the command's own (process creation included) and none of a shell's or
 * a date(1)'s, which around a 50 ms command is not negligible. INPUT and
 * OUTPUT are opened before the clock starts. Exit status: the command's,
 * 125 when it could not be run, 64 on a usage error. */

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE 64
#define EXIT_CANNOT_RUN 125

static int usage(void)
{
	fputs("usage: walltime [-i INPUT] [-o OUTPUT] COMMAND [ARG]...\n",
	      stderr);
	return EXIT_USAGE;
}

static long long elapsed_us(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000 +
	       (b->tv_nsec - a->tv_nsec) / 1000;
}

int main(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	struct timespec t0, t1;
	int i = 1, in_fd = -1, out_fd = -1, status;
	pid_t pid;

	while (i + 1 < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-i") == 0)
			in = argv[i + 1];
		else if (strcmp(argv[i], "-o") == 0)
			out = argv[i + 1];
		else
			return usage();
		i += 2;
	}
	if (i >= argc)
		return usage();
	if (in && (in_fd = open(in, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "walltime: %s: %s\n", in, strerror(errno));
		return EXIT_CANNOT_RUN;
	}
	if (out && (out_fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	                          0644)) < 0) {
		fprintf(stderr, "walltime: %s: %s\n", out, strerror(errno));
		return EXIT_CANNOT_RUN;
	}
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "walltime: fork: %s\n", strerror(errno));
		return EXIT_CANNOT_RUN;
	}
	if (pid == 0) {
		if ((in_fd >= 0 && dup2(in_fd, 0) < 0) ||
		    (out_fd >= 0 && dup2(out_fd, 1) < 0))
			_exit(EXIT_CANNOT_RUN);
		execvp(argv[i], argv + i);
		fprintf(stderr, "walltime: %s: %s\n", argv[i], strerror(errno));
		_exit(EXIT_CANNOT_RUN);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "walltime: wait: %s\n",
			        strerror(errno));
			return EXIT_CANNOT_RUN;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("%lld\n", elapsed_us(&t0, &t1));
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_CANNOT_RUN;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	fprintf(stderr, "walltime: %s: killed by signal %d\n", argv[i],
	        WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return EXIT_CANNOT_RUN;
}
