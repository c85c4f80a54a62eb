/*
 * main.c - hookdoctor's entry point: parses the options, dispatches to
 * the command, and is the only place that decides the exit status.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "jsonmem.h"
#include "options.h"
#include "redact.h"

/* Whether the reader of stdout (a pipe or socket) has gone away: the
 * kernel reports POLLERR or POLLHUP on the writing end then. Needed
 * because errno may no longer say EPIPE when the failed write was an
 * earlier one. */
static bool reader_gone(void)
{
	struct pollfd p = {STDOUT_FILENO, 0, 0};

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

int main(int argc, char **argv)
{
	struct options o;
	int rc;

	/* libcurl runs with CURLOPT_NOSIGNAL (threads), so a server that
	 * resets the connection must give EPIPE, a finding, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	/* Before anything is parsed or any thread starts. */
	jsonmem_init();
	/* The tokens are masked wherever they show, whatever the command. */
	redact_add_secret(getenv("HOOKDOCTOR_PROVIDER_TOKEN"));
	redact_add_secret(getenv("DEVOPNESS_API_TOKEN"));
	rc = options_parse(argc, argv, &o);
	if (rc == 0 && o.api_token)
		redact_add_secret(o.api_token);

	if (rc) {
		options_free(&o);
		return rc < 0 ? 0 : rc;
	}
	if (strcmp(o.command, "version") == 0)
		rc = cmd_version();
	else if (strcmp(o.command, "render") == 0)
		rc = cmd_render(&o);
	else if (strcmp(o.command, "checks") == 0)
		rc = cmd_checks(&o);
	else if (strcmp(o.command, "explain") == 0)
		rc = cmd_explain(&o);
	else if (strcmp(o.command, "report") == 0)
		rc = cmd_report(&o);
	else if (strcmp(o.command, "probe") == 0)
		rc = cmd_probe(&o);
	else if (strcmp(o.command, "save") == 0)
		rc = cmd_save(&o);
	else
		rc = cmd_check(&o);
	options_free(&o);
	jsonmem_release();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno;

		/* A reader that went away (| head) is no news: end the way a
		 * filter does, by SIGPIPE (141 in a shell), silently, as git
		 * does. SIGPIPE was ignored only for the sockets' sake. */
		if (e == EPIPE || reader_gone()) {
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		fprintf(stderr, "hookdoctor: cannot write the output: %s\n",
			strerror(e));
		return 3;
	}
	return rc;
}
