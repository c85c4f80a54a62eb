/*
 * cmd_api.c - opening the input when the Devopness API is involved
 * (--pipeline, --hook, --action): the hooks come from the API when no
 * --file is given, and the facts the API checks read are collected once,
 * before any check runs. Without a token the API checks skip; an input
 * that can only come from the API then is a usage error (exit 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyse.h"
#include "cmd.h"
#include "devopness.h"
#include "hook.h"
#include "util.h"

/* Hooks of a file whose stored copy and deliveries are read, at most. */
#define MAX_FILE_HOOKS 50

/* Reads the stored copy and deliveries of every hook of the file that
 * carries an id. */
static void collect_file_hooks(struct devopness *d, struct api_facts *f,
			       struct hook_input *in)
{
	struct hd_error err = {{0}};
	struct hook h;
	size_t n = 0;

	in->next = 0;
	while (n < MAX_FILE_HOOKS && hook_input_next(in, &h, &err) == 1) {
		if (h.id) {
			devopness_collect_hook(d, f, h.id);
			n++;
		}
		hook_free(&h);
	}
	in->next = 0;
}

/* save: the pipeline's stored outgoing hooks join the body's group, so
 * the pipeline-level checks judge the body among the hooks it will live
 * with (the documented set-up is one hook per event). They carry the
 * body's pipeline_id (or none, like the body), so they group with it. */
static void collect_context(struct devopness *d, struct api_facts *f,
			    struct hook_input *in)
{
	struct hd_error err = {{0}};
	struct hook h;
	char *pid = NULL;
	bool has = false;

	in->next = 0;
	if (hook_input_next(in, &h, &err) == 1) {
		has = h.has_pipeline_id && h.pipeline_id;
		pid = has ? xstrdup(h.pipeline_id) : NULL;
		hook_free(&h);
	}
	in->next = 0;
	devopness_collect_context(d, f);
	for (cJSON *c = f->context_hooks->child; c; c = c->next) {
		cJSON_DeleteItemFromObjectCaseSensitive(c, "pipeline_id");
		if (has)
			cJSON_AddItemToObject(c, "pipeline_id",
					      devopness_is_id(pid) ?
					      cJSON_CreateNumber(strtod(pid, NULL)) :
					      cJSON_CreateString(pid));
	}
	free(pid);
}

/* The pipeline's stored hooks (api->context_hooks) as a hook input;
 * -1 when there are none. */
static int open_context(const struct api_facts *api, struct hook_input *in)
{
	struct hd_error err = {{0}};
	char *text, *p, *name;
	int rc;

	if (!api || !api->context_hooks || !api->context_hooks->child)
		return -1;
	p = cJSON_Print(api->context_hooks);
	if (!p)
		return -1;
	text = xstrdup(p);
	cJSON_free(p);
	name = xasprintf("api:/pipelines/%s/hooks", api->pipeline_id);
	rc = hook_input_open_text(in, text, strlen(text), name, &err);
	free(name);
	return rc;
}

size_t cmd_api_load_context(const struct options *o, const struct rules *r,
			    const struct api_facts *api,
			    struct group_entry **out)
{
	struct hd_error err = {{0}};
	struct hook_input in;
	struct hook h;
	size_t n = 0;

	*out = NULL;
	if (open_context(api, &in) < 0)
		return 0;
	*out = xcalloc((size_t)in.count, sizeof(**out));
	/* Loading a hook learns its secrets (hook.c). */
	while (hook_input_next(&in, &h, &err) == 1) {
		struct analysis a;

		if (analyse_hook_action(&a, &h, o, r, api->action_json, &err) == 0)
			group_entry_make(&(*out)[n++], &a);
		analysis_free(&a);
		hook_free(&h);
	}
	hook_input_close(&in);
	return n;
}

int cmd_open_input_api(const struct options *o, struct hook_input *in,
		       struct api_facts **api)
{
	struct hd_error err = {{0}};
	struct devopness *d = NULL;
	struct api_facts *f = NULL;
	int rc;

	if (api)
		*api = NULL;
	if (o->hook && !o->pipeline) {
		fputs("hookdoctor: --hook needs --pipeline ID (the pipeline the hook "
		      "belongs to)\n", stderr);
		return 2;
	}
	if (o->hook && o->file) {
		fputs("hookdoctor: --hook reads that hook from the Devopness API; "
		      "give either --hook or --file\n", stderr);
		return 2;
	}
	if (!o->pipeline && !o->action)
		return cmd_open_input(o, in);
	if (o->offline) {
		if (!o->file) {
			fputs("hookdoctor: --pipeline without --file reads the hooks from "
			      "the Devopness API, which --offline forbids; give the hooks "
			      "with --file PATH\n", stderr);
			return 2;
		}
		if (o->action) {
			fputs("hookdoctor: --action reads the action from the Devopness "
			      "API, which --offline forbids\n", stderr);
			return 2;
		}
		return cmd_open_input(o, in);
	}
	rc = devopness_open(o, &d, &err);
	if (rc < 0) {
		fprintf(stderr, "hookdoctor: %s\n", err.msg);
		return 2;
	}
	if (rc == 1) {
		if (!o->file && o->pipeline) {
			fputs("hookdoctor: --pipeline without --file reads the pipeline's "
			      "hooks from the Devopness API: set DEVOPNESS_API_TOKEN or use "
			      "--api-token-file PATH (or give the hooks with --file PATH)\n",
			      stderr);
			return 2;
		}
		if (o->action) {
			fputs("hookdoctor: --action reads the action from the Devopness "
			      "API: set DEVOPNESS_API_TOKEN or use --api-token-file PATH\n",
			      stderr);
			return 2;
		}
		/* Hooks from a file, no token: the API checks skip. */
		return cmd_open_input(o, in);
	}

	f = devopness_collect(d, o, !o->file, &err);
	if (!f) {
		fprintf(stderr, "hookdoctor: %s\n", err.msg);
		devopness_close(d);
		return 2;
	}
	if (o->file) {
		rc = cmd_open_input(o, in);
		if (rc == 0 && o->pipeline && f->pipeline.ok)
			collect_file_hooks(d, f, in);
		if (rc == 0 && o->pipeline && f->pipeline.ok &&
		    strcmp(o->command, "save") == 0)
			collect_context(d, f, in);
	} else {
		size_t len;
		char *text = api_facts_hooks_text(f, &len);
		char *fname = f->hooks_source && !f->placeholder
			      ? xstrdup(f->hooks_source)
			      : xasprintf("api:/pipelines/%s", f->pipeline_id);

		rc = 0;
		if (hook_input_open_text(in, text, len, fname, &err) < 0 ||
		    hook_input_validate(in, &err) < 0) {
			/* The API's hooks do not load: say where. */
			fprintf(stderr, "hookdoctor: %s\n", err.msg);
			rc = 2;
		}
		free(fname);
	}
	devopness_close(d);
	if (rc == 0 && api)
		*api = f;
	else
		api_facts_free(f);
	return rc;
}
