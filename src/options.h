/*
 * options.h - the parsed command line: the only global mutable state.
 * The option table itself (names, arguments, help text) is in options.c and
 * feeds both the parser and --help.
 */
#ifndef HD_OPTIONS_H
#define HD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum hd_format { FMT_TEXT, FMT_JSON, FMT_MARKDOWN, FMT_JUNIT, FMT_SARIF };
enum hd_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum hd_render_as { AS_HTTP, AS_CURL, AS_JSON };

struct options {
	const char *command;     /* "check", "render", "checks", "explain" */
	const char *file;        /* --file or positional SOURCE */
	enum hd_format format;
	enum hd_color color;
	bool use_color;          /* resolved from color, NO_COLOR and isatty */
	bool quiet, verbose, strict, offline;
	const char *provider;    /* --provider */
	const char *pipeline;    /* --pipeline */
	const char *only, *skip; /* comma-separated check IDs */
	const char **vars;       /* --var path=value, in order */
	size_t nvars;
	const char *event;       /* render --event */
	const char *status;      /* render --status */
	enum hd_render_as as;
	const char *explain_id;  /* explain HDnnn */
	const char *datadir;     /* where checks/ and docs/ are found */
	double timeout;          /* --timeout, seconds (network checks) */
	const char *cacert;      /* --cacert FILE: extra trust anchors (net.c) */
	bool allow_private;      /* --allow-private: HD502 warns, not fails */
	/* Reports (cmd_report.c). */
	const char *output;      /* -o/--output PATH: report writes PATH.md,
				    PATH.json and PATH.html */
	int argc;                /* the command line, for the report's */
	char **argv;             /* "options used" (shown redacted) */
	/* The Devopness API (devopness.c, cmd_save.c). */
	const char *hook;        /* --hook UUID: one outgoing hook of --pipeline */
	const char *action;      /* --action ID: render with this real action */
	const char *api_url;     /* --api-url (else DEVOPNESS_API_URL) */
	const char *api_token_file;  /* --api-token-file PATH */
	const char *api_token;   /* --api-token (shows in ps: warned about) */
	bool force;              /* save --force: save although a check failed */
	/* The provider API (provider_api.c, HD6xx). */
	bool send;               /* --send: HD606 posts one pending status */
	const char *provider_token_file;  /* else HOOKDOCTOR_PROVIDER_TOKEN */
	const char *provider_api_url;     /* overrides the base from target_url */
};

/* Parses argv into *o. Returns 0, or 2 after printing a one-line error (or
 * -1 after printing --help/--version output: exit 0). */
int options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);
void options_usage(FILE *to);

/* Is the check enabled by --only/--skip? */
bool options_check_enabled(const struct options *o, const char *id);

#endif
