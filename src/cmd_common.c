/*
 * cmd_common.c - what the commands share: the data directory, the rules,
 * and opening the input with every hook validated up front.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "hook.h"
#include "redact.h"
#include "util.h"
#include "vars.h"

#ifndef HD_DATADIR
#define HD_DATADIR "/usr/local/share/hookdoctor"
#endif

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *try_dir(const char *base, const char *sub)
{
	char *p = xasprintf("%s/%s", base, sub);

	if (is_dir(p))
		return p;
	free(p);
	return NULL;
}

char *datadir_find(const char *sub)
{
	const char *env = getenv("HOOKDOCTOR_DATADIR");
	char exe[PATH_MAX];
	ssize_t n;
	char *p;

	if (env && *env)
		return try_dir(env, sub);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if ((p = try_dir(exe, sub)))
				return p;
			slash = strrchr(exe, '/');
			if (slash) {
				*slash = '\0';
				if ((p = try_dir(*exe ? exe : "/", sub)))
					return p;
			}
		}
	}
	return try_dir(HD_DATADIR, sub);
}

struct rules *cmd_load_rules(void)
{
	char *dir = datadir_find("checks");
	struct hd_error err = {{0}};
	struct rules *r;

	if (!dir) {
		fputs("hookdoctor: cannot find the provider rules (checks/*.json); "
		      "set HOOKDOCTOR_DATADIR\n", stderr);
		return NULL;
	}
	r = rules_load(dir, &err);
	if (!r)
		fprintf(stderr, "hookdoctor: %s\n", err.msg);
	free(dir);
	return r;
}

int cmd_open_input(const struct options *o, struct hook_input *in)
{
	struct hd_error err = {{0}};

	if (!o->file) {
		if (o->pipeline)        /* the pipeline's hooks, from the API */
			return cmd_open_input_api(o, in, NULL);
		fputs("hookdoctor: no hook given: use --file PATH (or - for standard"
			      " input)\n", stderr);
		return 2;
	}
	if (hook_input_open(in, o->file, &err) < 0) {
		fprintf(stderr, "hookdoctor: %s\n", err.msg);
		return 2;
	}
	/* Validate every hook first: an unusable one stops the run before any
	 * output, so a report is never half-written. */
	if (hook_input_validate(in, &err) < 0) {
		fprintf(stderr, "hookdoctor: %s\n", err.msg);
		hook_input_close(in);
		return 2;
	}
	return 0;
}

int cmd_validate_vars(const struct options *o)
{
	struct vars *v = vars_sample(ST_IN_PROGRESS, 0);
	struct hd_error err = {{0}};
	int rc = 0;

	for (size_t i = 0; i < o->nvars && !rc; i++)
		if (vars_set(v, o->vars[i], &err) < 0) {
			/* The message quotes what was typed, which may be a
			 * token (tests/secrets). */
			char *why = redact_text(err.msg);

			fprintf(stderr, "hookdoctor: %s\n", why);
			free(why);
			rc = 2;
		}
	vars_free(v);
	return rc;
}

int cmd_validate_provider(const struct options *o, const struct rules *r)
{
	if (!o->provider || rules_find(r, o->provider))
		return 0;
	{
		char *red = redact_text(o->provider);

		fprintf(stderr, "hookdoctor: --provider: unknown provider '%s' (known:", red);
		free(red);
	}
	for (size_t i = 0; i < r->n; i++)
		fprintf(stderr, "%s %s", i ? "," : "", r->providers[i].name);
	fputs(")\n", stderr);
	return 2;
}
