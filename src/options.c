/*
 * options.c - the command line, declared once as a table that feeds both
 * the parser and --help. Options of parts not in this build (network,
 * Devopness API, provider API, reports) are declared too, so that using
 * one says so plainly instead of "unknown option".
 */
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "redact.h"
#include "util.h"

enum opt_id {
	O_FILE, O_FORMAT, O_ONLY, O_SKIP, O_STRICT, O_OFFLINE, O_COLOR,
	O_QUIET, O_VERBOSE, O_PROVIDER, O_PIPELINE, O_VAR, O_EVENT, O_STATUS,
	O_AS, O_TIMEOUT, O_HELP, O_VERSION, O_LATER,
	O_HOOK, O_ACTION, O_API_URL, O_API_TOKEN_FILE, O_API_TOKEN, O_FORCE,
	O_OUTPUT, O_CACERT, O_ALLOW_PRIVATE,
	O_SEND, O_PROVIDER_TOKEN_FILE, O_PROVIDER_API_URL
};

/* --timeout's bounds, in seconds. */
#define TIMEOUT_MIN_S 0.001
#define TIMEOUT_MAX_S 86400.0

struct opt_def {
	const char *name;       /* long name without "--" */
	char shrt;              /* short letter or 0 */
	const char *arg;        /* argument name, NULL for a flag */
	enum opt_id id;
	const char *help;
};

static const struct opt_def opt_table[] = {
	{"file", 'f', "PATH", O_FILE, "hook(s) to read: a JSON file, or - for standard input"},
	{"format", 0, "FMT", O_FORMAT, "report format: text (default), json, markdown, junit or sarif"},
	{"only", 0, "IDS", O_ONLY, "run only these checks (comma-separated, e.g. HD308,HD402)"},
	{"skip", 0, "IDS", O_SKIP, "do not run these checks"},
	{"strict", 0, NULL, O_STRICT, "warnings fail too (exit 1)"},
	{"offline", 0, NULL, O_OFFLINE, "no network at all: the network, API and provider checks are skipped"},
	{"quiet", 'q', NULL, O_QUIET, "print only problems and the summary"},
	{"verbose", 'v', NULL, O_VERBOSE, "print evidence and hints for every check"},
	{"color", 0, "WHEN", O_COLOR, "auto (default), always or never; NO_COLOR and TERM=dumb also turn it off"},
	{"output", 'o', "PATH", O_OUTPUT, "report: write PATH.md, PATH.json and PATH.html"},
	{"provider", 0, "NAME", O_PROVIDER, "force a provider (github, gitlab, bitbucket-cloud, bitbucket-dc, azure-devops, gitea)"},
	{"pipeline", 0, "ID", O_PIPELINE, "the pipeline the hooks belong to (checked by HD101)"},
	{"var", 0, "PATH=VALUE", O_VAR, "override a template variable, e.g. action.id=42 (repeatable)"},
	{"hook", 0, "UUID", O_HOOK, "with --pipeline: check only this outgoing hook (GET /hooks/outgoing/UUID)"},
	{"action", 0, "ID", O_ACTION, "render templates with this Devopness action (GET /actions/ID)"},
	{"timeout", 0, "SECONDS", O_TIMEOUT, "per network step, from 0.001 to 86400 (default 10)"},
	{"cacert", 0, "FILE", O_CACERT, "also trust the CA certificate(s) in FILE (PEM) for HD505"},
	{"allow-private", 0, NULL, O_ALLOW_PRIVATE, "accept loopback/private targets (HD502 warns instead of failing)"},
	{"api-url", 0, "URL", O_API_URL, "Devopness API base (default $DEVOPNESS_API_URL, else https://api.devopness.com)"},
	{"api-token-file", 0, "PATH", O_API_TOKEN_FILE, "read the Devopness API token from PATH (else $DEVOPNESS_API_TOKEN)"},
	{"api-token", 0, "TOKEN", O_API_TOKEN, "the API token itself (discouraged: it shows in ps; warned about)"},
	{"force", 0, NULL, O_FORCE, "save: create the hook even though a check failed (the exit status stays 1)"},
	{"provider-token-file", 0, "PATH", O_PROVIDER_TOKEN_FILE, "read the provider token for HD6xx from PATH (else $HOOKDOCTOR_PROVIDER_TOKEN)"},
	{"provider-api-url", 0, "URL", O_PROVIDER_API_URL, "provider API base for HD6xx (default: follows the hook's target_url)"},
	{"send", 0, NULL, O_SEND, "HD606: post one pending test status to the provider and read it back (the only write hookdoctor makes)"},
	{"event", 0, "EVENT", O_EVENT, "render: only the statuses this event fires on"},
	{"status", 0, "STATUS", O_STATUS, "render: only this Devopness status"},
	{"as", 0, "FORM", O_AS, "render: http (default), curl or json"},
	{"help", 'h', NULL, O_HELP, "show this help"},
	{"version", 'V', NULL, O_VERSION, "show the version and library versions"},
};

static const char *const commands[] = {"check", "render", "checks", "explain", "report", "probe", "save"};

void options_usage(FILE *to)
{
	fputs("usage: hookdoctor [check] [--file PATH | PATH | -] [options]\n"
	      "       hookdoctor render [SOURCE] [--event E] [--status S] [--as http|curl|json]\n"
	      "       hookdoctor check --pipeline ID [--hook UUID] [--action ID]\n"
	      "       hookdoctor save --pipeline ID --file HOOK [--force]\n"
	      "       hookdoctor probe URL [--timeout S] [--cacert FILE] [--allow-private]\n"
	      "       hookdoctor checks\n"
	      "       hookdoctor report [SOURCE] -o PATH\n"
	      "       hookdoctor explain HDnnn\n"
	      "       hookdoctor --version | --help\n\n"
	      "Diagnoses Devopness outgoing hooks that report deploys as commit statuses.\n\n"
	      "options:\n", to);
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++) {
		const struct opt_def *d = &opt_table[i];
		char left[64];

		if (!d->help)
			continue;
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s", d->shrt ? "-" : "",
			 d->shrt ? d->shrt : ' ', d->shrt ? ", " : "  ", d->name,
			 d->arg ? " " : "", d->arg ? d->arg : "");
		/* A name too long for the column has its help on the next
		 * line, in the column. */
		if (strlen(d->shrt ? left : left + 1) > 26)
			fprintf(to, "  %s\n  %-26s %s\n", d->shrt ? left : left + 1,
				"", d->help);
		else
			fprintf(to, "  %-26s %s\n", d->shrt ? left : left + 1,
				d->help);
	}
	fputs("\nexit status: 0 no check failed, 1 a check failed, 2 bad usage or input,"
	      " 3 internal error\n"
	      "see `hookdoctor checks` and `hookdoctor explain HDnnn`\n", to);
}

/* What was typed is quoted redacted: a token given by mistake (as an
 * operand, or as an option's value) is not echoed. */
static int usage_error(const char *fmt, const char *arg)
{
	char *red = redact_text(arg);

	fputs("hookdoctor: ", stderr);
	fprintf(stderr, fmt, red);
	fputs(" (see hookdoctor --help)\n", stderr);
	free(red);
	return 2;
}

/* A second input (--file twice, a file operand and --file, two
 * operands): it would be silently left unchecked. */
static int input_twice(const char *first, const char *second)
{
	char *a = redact_text(first), *b = redact_text(second);

	fprintf(stderr, "hookdoctor: two inputs, '%s' and '%s': give one (see "
		"hookdoctor --help)\n", a, b);
	free(a);
	free(b);
	return 2;
}

static const struct opt_def *find_long(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++)
		if (strlen(opt_table[i].name) == n &&
		    strncmp(opt_table[i].name, name, n) == 0)
			return &opt_table[i];
	return NULL;
}

static const struct opt_def *find_short(char c)
{
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++)
		if (opt_table[i].shrt == c)
			return &opt_table[i];
	return NULL;
}

/* Applies one option; returns 0, 2 (error printed) or -1 (exit 0). */
static int apply(struct options *o, const struct opt_def *d, const char *val)
{
	switch (d->id) {
	case O_FILE:
		/* One input: a second one would be silently left unchecked. */
		if (o->file && strcmp(o->file, val) != 0)
			return input_twice(o->file, val);
		o->file = val;
		break;
	case O_FORMAT:
		if (strcmp(val, "text") == 0)
			o->format = FMT_TEXT;
		else if (strcmp(val, "json") == 0)
			o->format = FMT_JSON;
		else if (strcmp(val, "markdown") == 0)
			o->format = FMT_MARKDOWN;
		else if (strcmp(val, "junit") == 0)
			o->format = FMT_JUNIT;
		else if (strcmp(val, "sarif") == 0)
			o->format = FMT_SARIF;
		else
			return usage_error("unknown --format '%s' (text, json, markdown, junit, sarif)", val);
		break;
	case O_ONLY: o->only = val; break;
	case O_SKIP: o->skip = val; break;
	case O_STRICT: o->strict = true; break;
	case O_OFFLINE: o->offline = true; break;
	case O_COLOR:
		if (strcmp(val, "auto") == 0)
			o->color = COLOR_AUTO;
		else if (strcmp(val, "always") == 0)
			o->color = COLOR_ALWAYS;
		else if (strcmp(val, "never") == 0)
			o->color = COLOR_NEVER;
		else
			return usage_error("unknown --color '%s' (auto, always, never)", val);
		break;
	case O_QUIET: o->quiet = true; break;
	case O_VERBOSE: o->verbose = true; break;
	case O_PROVIDER: o->provider = val; break;
	case O_PIPELINE: o->pipeline = val; break;
	case O_VAR:
		if (!strchr(val, '='))
			return usage_error("--var '%s' needs the form path=value", val);
		o->vars = xrealloc(o->vars, (o->nvars + 1) * sizeof(*o->vars));
		o->vars[o->nvars++] = val;
		break;
	case O_EVENT: o->event = val; break;
	case O_STATUS: o->status = val; break;
	case O_AS:
		if (strcmp(val, "http") == 0)
			o->as = AS_HTTP;
		else if (strcmp(val, "curl") == 0)
			o->as = AS_CURL;
		else if (strcmp(val, "json") == 0)
			o->as = AS_JSON;
		else
			return usage_error("unknown --as '%s' (http, curl, json)", val);
		break;
	case O_TIMEOUT: {
		char *end;

		/* 1 ms to a day: below a millisecond libcurl's timeouts
		 * would round to 0, which means none (a hang), and inf or
		 * 1e309 do not convert to milliseconds at all. */
		o->timeout = strtod(val, &end);
		if (end == val || *end ||
		    !(o->timeout >= TIMEOUT_MIN_S && o->timeout <= TIMEOUT_MAX_S))
			return usage_error("--timeout '%s' is not a number of "
					   "seconds from 0.001 to 86400", val);
		break;
	}
	case O_HELP:
		options_usage(stdout);
		return -1;
	case O_VERSION:
		o->command = "version";
		break;
	case O_HOOK: o->hook = val; break;
	case O_ACTION: o->action = val; break;
	case O_API_URL: o->api_url = val; break;
	case O_API_TOKEN_FILE: o->api_token_file = val; break;
	case O_API_TOKEN: o->api_token = val; break;
	case O_FORCE: o->force = true; break;
	case O_OUTPUT: o->output = val; break;
	case O_CACERT: o->cacert = val; break;
	case O_ALLOW_PRIVATE: o->allow_private = true; break;
	case O_SEND: o->send = true; break;
	case O_PROVIDER_TOKEN_FILE: o->provider_token_file = val; break;
	case O_PROVIDER_API_URL:
		if (strncmp(val, "http://", 7) != 0 && strncmp(val, "https://", 8) != 0)
			return usage_error("--provider-api-url '%s' must be an http(s) URL", val);
		o->provider_api_url = val;
		break;
	case O_LATER:
		return usage_error("--%s belongs to network, API and report checks that are not in this build", d->name);
	}
	return 0;
}

/* Standard input can be read once: "-" for two of the files is refused
 * (the second would read nothing and report a confusing error). */
static bool stdin_twice(const struct options *o)
{
	const struct { const char *opt, *path; } from[] = {
		{"--file", o->file},
		{"--api-token-file", o->api_token_file},
		{"--provider-token-file", o->provider_token_file},
	};
	const char *first = NULL;

	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		if (!from[i].path || strcmp(from[i].path, "-") != 0)
			continue;
		if (first) {
			fprintf(stderr, "hookdoctor: %s - and %s - both read "
				"standard input, which can be read once (see "
				"hookdoctor --help)\n", first, from[i].opt);
			return true;
		}
		first = from[i].opt;
	}
	return false;
}

int options_parse(int argc, char **argv, struct options *o)
{
	bool have_command = false, only_positional = false;

	memset(o, 0, sizeof(*o));
	o->command = "check";
	o->timeout = 10;
	o->argc = argc;
	o->argv = argv;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt_def *d;
		const char *val = NULL;
		int rc;

		if (!only_positional && strcmp(a, "--") == 0) {
			only_positional = true;
			continue;
		}
		if (!only_positional && a[0] == '-' && a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			d = find_long(a + 2, n);
			if (!d)
				return usage_error("unknown option '%s'", a);
			if (d->arg) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage_error("option '%s' needs an argument", a);
			} else if (eq) {
				return usage_error("option '%s' takes no argument", a);
			}
		} else if (!only_positional && a[0] == '-' && a[1] && a[1] != '-') {
			d = find_short(a[1]);
			if (!d)
				return usage_error("unknown option '%s'", a);
			if (d->arg) {
				if (a[2])
					val = a + 2;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage_error("option '%s' needs an argument", a);
			} else if (a[2]) {
				return usage_error("option '%s' takes no argument", a);
			}
		} else {
			/* A positional: the command first, then its operand. */
			bool is_cmd = false;

			if (!have_command && !o->file) {
				for (size_t k = 0; k < sizeof(commands) / sizeof(*commands); k++)
					if (strcmp(a, commands[k]) == 0) {
						o->command = commands[k];
						is_cmd = true;
					}
			}
			if (is_cmd) {
				have_command = true;
				continue;
			}
			have_command = true;
			if (strcmp(o->command, "explain") == 0 && !o->explain_id)
				o->explain_id = a;
			else if (!o->file)
				o->file = a;
			else
				return input_twice(o->file, a);
			continue;
		}
		rc = apply(o, d, val);
		if (rc)
			return rc;
	}
	if (stdin_twice(o))
		return 2;
	/* checks and explain HDnnn read no file: an operand more would be
	 * silently ignored. */
	if (o->file && (strcmp(o->command, "checks") == 0 ||
			strcmp(o->command, "explain") == 0))
		return usage_error(strcmp(o->command, "checks") == 0
				   ? "checks takes no operand, not '%s'"
				   : "explain takes one check ID, not also '%s'",
				   o->file);
	/* no-color.org: NO_COLOR turns colour off when it is set and not
	 * empty; so does TERM=dumb (a terminal that shows escapes as they
	 * are, such as an Emacs shell), as with git; --color always still
	 * colours. */
	if (o->color == COLOR_ALWAYS)
		o->use_color = true;
	else if (o->color == COLOR_AUTO)
		o->use_color = isatty(STDOUT_FILENO) && o->format == FMT_TEXT &&
			       !(getenv("NO_COLOR") && *getenv("NO_COLOR")) &&
			       !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
	return 0;
}

void options_free(struct options *o)
{
	free(o->vars);
	o->vars = NULL;
	o->nvars = 0;
}

static int strncasecmp_ascii(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ca = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i];
		int cb = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i];

		if (ca != cb || !ca)
			return ca - cb;
	}
	return 0;
}

static bool in_list(const char *list, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ", ");

		if (len == n && strncasecmp_ascii(p, id, n) == 0)
			return true;
		p += len;
		p += strspn(p, ", ");
	}
	return false;
}

bool options_check_enabled(const struct options *o, const char *id)
{
	if (o->only && !in_list(o->only, id))
		return false;
	if (o->skip && in_list(o->skip, id))
		return false;
	return true;
}
