/*
 * main.c - hookdoctor's entry point: parses the options, dispatches to
 * the command, and is the only place that decides the exit status.
 */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "options.h"

int main(int argc, char **argv)
{
	struct options o;
	int rc = options_parse(argc, argv, &o);

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
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("hookdoctor: cannot write the output\n", stderr);
		return 3;
	}
	return rc;
}
