/*
 * cmd_save.c - `hookdoctor save --pipeline ID --file HOOK [--force]`: the
 * pre-flight gate. Every check runs on the body first (the same run as
 * `check`, report on stdout); when one fails nothing is sent to Devopness
 * unless --force, which says so. Then the hook is created with
 * POST /pipelines/{id}/hooks/outgoing, read back with
 * GET /hooks/outgoing/{id}, and what is stored is compared with what was
 * checked, member by member. Outcomes go to stderr, so stdout holds only
 * the report (one JSON document with --format json).
 *
 * Exit status: 0 saved and read back equal; 1 a check failed (refused,
 * or saved with --force), the API refused the hook, or the stored copy
 * differs; 2 bad usage or input; 3 internal error. A forced save still
 * exits 1: SPEC.md's exit status says whether a check failed, for every
 * command, and --force changes what is done, not what was found. That it
 * was saved is said on stderr ("created outgoing hook ...").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "devopness.h"
#include "hook.h"
#include "redact.h"
#include "util.h"

/* Members the API sets itself: never sent, never compared. "type" is
 * the path's (/hooks/outgoing). */
static const char *const read_only[] = {
	"id", "type", "url", "created_at", "updated_at", "created_by_user",
	"is_auto_generated", "secret", NULL
};

/* Scalars compare by their text (42 and "42" are the same ID); a string
 * holding JSON equals the JSON it holds (a body kept as a string). */
static bool same_value(const cJSON *a, const cJSON *b)
{
	if (cJSON_Compare(a, b, true))
		return true;
	if (cJSON_IsNumber(a) && cJSON_IsString(b))
		return same_value(b, a);
	if (cJSON_IsString(a) && cJSON_IsNumber(b)) {
		char *end;
		double d = strtod(a->valuestring, &end);

		return *a->valuestring && !*end && d == b->valuedouble;
	}
	if (cJSON_IsString(a) != cJSON_IsString(b)) {
		const cJSON *s = cJSON_IsString(a) ? a : b;
		const cJSON *o = cJSON_IsString(a) ? b : a;
		cJSON *p = cJSON_Parse(s->valuestring);
		bool eq = p && cJSON_Compare(p, o, true);

		cJSON_Delete(p);
		return eq;
	}
	return false;
}

/* Compares every member sent with the stored copy; prints each
 * difference (values are not printed: they may hold credentials).
 * Returns the number of differences. */
static int compare_stored(const cJSON *sent, const cJSON *stored)
{
	int diffs = 0;

	for (const cJSON *m = sent->child; m; m = m->next) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(stored, m->string);

		if (!s) {
			fprintf(stderr, "hookdoctor:   %s was sent but is not stored\n",
				m->string);
			diffs++;
		} else if (!same_value(m, s)) {
			if (cJSON_IsObject(m) && cJSON_IsObject(s)) {
				/* Name the differing members one level down. */
				for (const cJSON *c = m->child; c; c = c->next) {
					const cJSON *sc = cJSON_GetObjectItemCaseSensitive(
						s, c->string);

					if (!sc || !same_value(c, sc))
						fprintf(stderr, "hookdoctor:   %s.%s is stored "
							"differently from what was checked\n",
							m->string, c->string);
				}
			} else {
				fprintf(stderr, "hookdoctor:   %s is stored differently "
					"from what was checked\n", m->string);
			}
			diffs++;
		}
	}
	return diffs;
}

/* The body as checked, read once: an object, not an array. */
static cJSON *read_body(const char *path, char **text, size_t *len)
{
	struct hd_error err = {{0}};
	cJSON *j;

	*text = read_file_all(path, len, &err);
	if (!*text) {
		fprintf(stderr, "hookdoctor: %s\n", err.msg);
		return NULL;
	}
	j = cJSON_ParseWithLength(*text, *len);
	if (!j) {
		/* The loader names the line, the column and the likely slip. */
		struct options lo = {0};
		struct hook_input in;

		lo.file = path;
		if (cmd_open_input(&lo, &in) == 0) {
			hook_input_close(&in);
			fprintf(stderr, "hookdoctor: %s: not valid JSON\n", path);
		}
		return NULL;
	}
	if (!cJSON_IsObject(j)) {
		fprintf(stderr, "hookdoctor: save creates one hook: %s holds %s; save "
			"the hooks one file at a time\n", path,
			cJSON_IsArray(j) ? "an array" : "no hook object");
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

int cmd_save(const struct options *o)
{
	struct hd_error err = {{0}};
	struct devopness *d = NULL;
	struct api_call post = {0}, get = {0};
	cJSON *body = NULL, *sent = NULL, *created = NULL, *stored = NULL;
	char *text = NULL, *again = NULL, *path = NULL, *id = NULL;
	size_t len = 0, len2 = 0;
	int rc, checked, diffs;

	if (!o->pipeline || !o->file) {
		fputs("hookdoctor: save needs --pipeline ID and --file HOOK (the body "
		      "to create)\n", stderr);
		return 2;
	}
	if (strcmp(o->file, "-") == 0) {
		fputs("hookdoctor: save reads the hook from a file, not standard "
		      "input, so that what is sent is what was checked\n", stderr);
		return 2;
	}
	if (o->offline) {
		fputs("hookdoctor: save creates the hook through the Devopness API, "
		      "which --offline forbids\n", stderr);
		return 2;
	}
	if (o->hook) {
		fputs("hookdoctor: save creates a new hook; --hook is for check\n",
		      stderr);
		return 2;
	}
	if (!devopness_is_id(o->pipeline)) {
		char *red = redact_text(o->pipeline);

		fprintf(stderr, "hookdoctor: --pipeline '%s' is not a pipeline ID (a "
			"positive integer; see hookdoctor explain HD101)\n", red);
		free(red);
		return 2;
	}
	rc = devopness_open(o, &d, &err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "hookdoctor: %s\n", err.msg);
		else
			fputs("hookdoctor: save needs a Devopness API token: set "
			      "DEVOPNESS_API_TOKEN or use --api-token-file PATH\n", stderr);
		return 2;
	}
	if (!(body = read_body(o->file, &text, &len))) {
		rc = 2;
		goto out;
	}

	/* 1. Every check, on the body. */
	checked = cmd_check(o);
	fflush(stdout);
	if (checked >= 2) {
		rc = checked;
		goto out;
	}
	if (checked == 1 && !o->force) {
		fprintf(stderr, "hookdoctor: not saved: a check failed%s (see the "
			"report); fix the hook, or save it anyway with --force\n",
			o->strict ? " or warned (--strict)" : "");
		rc = 1;
		goto out;
	}
	if (checked == 1)
		fputs("hookdoctor: warning: --force: saving the hook although a check "
		      "failed\n", stderr);
	/* What is sent must be what was checked. */
	again = read_file_all(o->file, &len2, &err);
	if (!again || len2 != len || memcmp(again, text, len) != 0) {
		fprintf(stderr, "hookdoctor: not saved: %s changed while it was "
			"checked; run save again\n", o->file);
		rc = 2;
		goto out;
	}

	/* 2. Create it. */
	sent = cJSON_Duplicate(body, true);
	for (size_t i = 0; read_only[i]; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(sent, read_only[i]);
	path = xasprintf("/pipelines/%s/hooks/outgoing", o->pipeline);
	if (devopness_call(d, "POST", path, sent, &created, &post) < 0) {
		if (post.status)
			fprintf(stderr, "hookdoctor: not saved: %s answered %ld: %s\n",
				post.what, post.status, post.message ? post.message : "");
		else
			fprintf(stderr, "hookdoctor: not saved: %s: %s\n", post.what,
				post.message ? post.message : "no answer");
		rc = 1;
		goto out;
	}
	{
		const cJSON *cid = cJSON_GetObjectItemCaseSensitive(created, "id");

		if (!cJSON_IsString(cid) || !devopness_is_uuid(cid->valuestring)) {
			fprintf(stderr, "hookdoctor: %s answered %ld without the new "
				"hook's id: cannot read it back\n", post.what, post.status);
			rc = 1;
			goto out;
		}
		id = xstrdup(cid->valuestring);
	}
	fprintf(stderr, "hookdoctor: created outgoing hook %s in pipeline %s%s\n",
		id, o->pipeline, checked == 1 ? " (--force: a check had failed)" : "");

	/* 3. Read it back and compare. */
	free(path);
	path = xasprintf("/hooks/outgoing/%s", id);
	if (devopness_call(d, "GET", path, NULL, &stored, &get) < 0) {
		if (get.status)
			fprintf(stderr, "hookdoctor: cannot read the hook back: %s "
				"answered %ld: %s\n", get.what, get.status,
				get.message ? get.message : "");
		else
			fprintf(stderr, "hookdoctor: cannot read the hook back: %s: "
				"%s\n", get.what, get.message ? get.message : "");
		rc = 1;
		goto out;
	}
	diffs = compare_stored(sent, stored);
	if (diffs) {
		fprintf(stderr, "hookdoctor: read back: %d member%s of hook %s %s "
			"not what was checked: see above; check it with hookdoctor "
			"check --pipeline %s --hook %s\n", diffs, diffs == 1 ? "" : "s",
			id, diffs == 1 ? "is" : "are", o->pipeline, id);
		rc = 1;
		goto out;
	}
	fprintf(stderr, "hookdoctor: read back: hook %s is stored exactly as "
		"checked\n", id);
	if (checked == 1)
		fprintf(stderr, "hookdoctor: saved with --force; exit status 1 "
			"because a check failed%s\n",
			o->strict ? " or warned (--strict)" : "");
	rc = checked == 1 ? 1 : 0;
out:
	cJSON_Delete(body);
	cJSON_Delete(sent);
	cJSON_Delete(created);
	cJSON_Delete(stored);
	api_call_free(&post);
	api_call_free(&get);
	free(text);
	free(again);
	free(path);
	free(id);
	devopness_close(d);
	return rc;
}
