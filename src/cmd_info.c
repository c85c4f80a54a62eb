/*
 * cmd_info.c - the commands that describe hookdoctor itself: `checks`
 * (the catalogue), `explain HDnnn` (one check's page from docs/checks/)
 * and `--version` (with the libraries it runs with).
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "cmd.h"
#include "net.h"
#include "openssl.h"
#include "redact.h"
#include "util.h"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0"
#endif

static const char *needs_text(const struct check_def *d)
{
	if (!d->hook_fn && !d->group_fn) {
		if (d->needs & NEED_API)
			return "planned: Devopness API";
		if (d->needs & NEED_TOKEN)
			return "planned: provider token";
		return "planned: network";
	}
	if (d->needs & NEED_SEND)
		return "online: token, --send";
	if (d->needs & NEED_TOKEN)
		return "online: provider token";
	if (d->needs & NEED_API)
		return "online: Devopness API";
	if (d->needs & NEED_NETWORK)
		return "online";
	return d->scope == SCOPE_PIPELINE ? "offline, per repository" : "offline";
}

int cmd_checks(const struct options *o)
{
	if (o->format == FMT_JSON) {
		cJSON *arr = cJSON_CreateArray();
		char *s;

		for (size_t i = 0; i < check_registry_len; i++) {
			const struct check_def *d = &check_registry[i];
			cJSON *c = cJSON_CreateObject();

			cJSON_AddStringToObject(c, "id", d->id);
			cJSON_AddStringToObject(c, "name", d->name);
			cJSON_AddStringToObject(c, "group", d->family);
			cJSON_AddStringToObject(c, "severity", check_status_name[d->severity]);
			cJSON_AddStringToObject(c, "scope", d->scope == SCOPE_HOOK ? "hook" : "pipeline");
			cJSON_AddBoolToObject(c, "available", d->hook_fn || d->group_fn);
			cJSON_AddStringToObject(c, "summary", d->summary);
			cJSON_AddItemToArray(arr, c);
		}
		s = cJSON_Print(arr);
		puts(s);
		cJSON_free(s);
		cJSON_Delete(arr);
		return 0;
	}
	printf("%-6s %-20s %-9s %-8s %-24s %s\n", "ID", "NAME", "GROUP",
	       "SEVERITY", "RUNS", "CHECKS");
	for (size_t i = 0; i < check_registry_len; i++) {
		const struct check_def *d = &check_registry[i];

		printf("%-6s %-20s %-9s %-8s %-24s %s\n", d->id, d->name, d->family,
		       check_status_name[d->severity], needs_text(d), d->summary);
	}
	return 0;
}

int cmd_explain(const struct options *o)
{
	const struct check_def *d;
	struct hd_error err = {{0}};
	char *dir, *path, *text;
	size_t len;

	if (!o->explain_id) {
		fputs("hookdoctor: explain needs a check ID, e.g. hookdoctor explain HD308\n", stderr);
		return 2;
	}
	d = check_find(o->explain_id);
	if (!d) {
		char *red = redact_text(o->explain_id);

		fprintf(stderr, "hookdoctor: unknown check '%s' (see hookdoctor checks)\n",
			red);
		free(red);
		return 2;
	}
	dir = datadir_find("docs/checks");
	if (!dir) {
		fputs("hookdoctor: cannot find the check pages (docs/checks); set HOOKDOCTOR_DATADIR\n", stderr);
		return 3;
	}
	path = xasprintf("%s/%s.md", dir, d->id);
	text = read_file_all(path, &len, &err);
	free(dir);
	free(path);
	if (!text) {
		fprintf(stderr, "hookdoctor: %s\n", err.msg);
		return 3;
	}
	fwrite(text, 1, len, stdout);
	free(text);
	return 0;
}

int cmd_version(void)
{
	/* libcurl and OpenSSL are loaded for their versions (net.c,
	 * openssl.c); when one cannot be, its line says why instead. */
	const char *why = "?", *curl = net_curl_version(&why);
	const char *why_ssl = "?", *ssl = openssl_version(&why_ssl);

	printf("hookdoctor %s\n", HD_VERSION);
	if (curl)
		printf("libcurl %s\n", curl);
	else
		printf("libcurl not loaded: %s\n", why);
	if (ssl)
		printf("%s\n", ssl);
	else
		printf("OpenSSL not loaded: %s\n", why_ssl);
	printf("PCRE2 %s\n", hd_regex_version());
	printf("cJSON %s\n", cJSON_Version());
	return 0;
}
