/*
 * tools/bench-spawn.c - runs one command for tools/bench.sh and reports
 * what it cost: `spawn CMD [ARG...]` runs CMD with this process's stdin
 * and stdout and its stderr sent to /dev/null, waits for it, and writes
 * one line to stderr:
 *
 *	EXIT WALL_S CPU_S PEAK_KIB
 *
 * (EXIT is the exit code, or 128 + the signal; CPU is user + system of
 * all its threads; PEAK is its largest resident set).
 *
 * Why not python's own wait4: Linux carries a process's peak resident
 * set across exec, so a child forked from python reports at least
 * python's own peak (some 14 MiB), more than a one-hook run uses. A
 * child forked from this small program starts from this program's.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE		/* wait4 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	double t0, wall;
	int status, code;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: spawn CMD [ARG...]\n");
		return 2;
	}
	fflush(NULL);
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("spawn: fork");
		return 2;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, 2) < 0)
			_exit(127);
		close(null);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("spawn: wait4");
		return 2;
	}
	wall = now() - t0;
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(stderr, "%d %.6f %.6f %ld\n", code, wall,
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
		ru.ru_maxrss);
	return 0;
}
