/*
 * report_json.c - `--format json`: SPEC.md's one JSON document, streamed.
 *
 * The document is written piece by piece: the "tool" header and the
 * opening of "hooks" at begin, one hook object per line as each hook is
 * reported (built with cJSON, redacted, printed and freed at once, so
 * 10,000 hooks take the memory of one), then "pipeline_checks" the same
 * way, then "summary". Nothing else is written to the stream.
 *
 * Fields beyond SPEC.md's fixed ones: hooks[].fires_on (the statuses the
 * hook fires on), hooks[].provider_title, checks[].family and
 * checks[].severity, summary.hooks. pipeline_checks[].pipeline_id is a
 * string (as the hooks give it) or null.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include "redact.h"
#include "rules.h"
#include "util.h"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0-dev"
#endif

/* r->first bits */
#define JS_ITEM 1               /* an element was written in this array */
#define JS_PIPELINE 2           /* "pipeline_checks" is open */

static void add_string_or_null(cJSON *obj, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(obj, key, v);
	else
		cJSON_AddNullToObject(obj, key);
}

/* Adds key: redact_text(v) (or null). */
static void add_redacted(cJSON *obj, const char *key, const char *v)
{
	char *red;

	if (!v) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	red = redact_text(v);
	cJSON_AddStringToObject(obj, key, red);
	free(red);
}

static cJSON *evidence_json(const cJSON *ev)
{
	cJSON *out = cJSON_CreateObject();

	for (const cJSON *e = ev ? ev->child : NULL; e; e = e->next) {
		const char *key = e->string ? e->string : "";

		if (cJSON_IsString(e)) {
			char *v = report_redacted(key, e->valuestring);

			cJSON_AddStringToObject(out, key, v);
			free(v);
		} else {
			/* Redacted in a wrapper so that its key counts. */
			cJSON *wrap = cJSON_CreateObject(), *v;

			cJSON_AddItemToObject(wrap, key,
					      cJSON_Duplicate(e, true));
			redact_json(wrap);
			v = cJSON_DetachItemFromObjectCaseSensitive(wrap, key);
			cJSON_AddItemToObject(out, key, v);
			cJSON_Delete(wrap);
		}
	}
	return out;
}

static cJSON *checks_json(const struct finding *f, size_t n)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++) {
		const struct check_def *d = f[i].def;
		cJSON *c = cJSON_CreateObject();

		add_string_or_null(c, "id", d ? d->id : NULL);
		add_string_or_null(c, "name", d ? d->name : NULL);
		cJSON_AddStringToObject(c, "status",
					check_status_name[f[i].status]);
		add_redacted(c, "message", f[i].message ? f[i].message : "");
		add_redacted(c, "hint", f[i].hint);
		cJSON_AddItemToObject(c, "evidence",
				      evidence_json(f[i].evidence));
		add_string_or_null(c, "family", d ? d->family : NULL);
		add_string_or_null(c, "severity",
				   d ? check_status_name[d->severity] : NULL);
		cJSON_AddItemToArray(arr, c);
	}
	return arr;
}

/* Prints one array element on its own line and frees it. */
static void put_item(struct reporter *r, cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);

	fputs(r->first & JS_ITEM ? ",\n" : "\n", r->out);
	r->first |= JS_ITEM;
	fputs(text ? text : "null", r->out);
	cJSON_free(text);
	cJSON_Delete(item);
}

static void json_begin(struct reporter *r)
{
	cJSON *tool = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(tool, "name", "hookdoctor");
	cJSON_AddStringToObject(tool, "version", HD_VERSION);
	text = cJSON_PrintUnformatted(tool);
	fprintf(r->out, "{\"tool\":%s,\"hooks\":[", text ? text : "null");
	cJSON_free(text);
	cJSON_Delete(tool);
	r->first = 0;
}

static void json_hook(struct reporter *r, const struct analysis *a,
		      const struct finding *f, size_t n)
{
	const struct hook *h = a->hook;
	cJSON *o = cJSON_CreateObject(), *fires = cJSON_CreateArray();

	add_redacted(o, "name", h ? h->name : NULL);
	add_redacted(o, "source", h ? h->source : NULL);
	add_string_or_null(o, "provider", a->provider ? a->provider->name
						      : NULL);
	add_string_or_null(o, "provider_title",
			   a->provider ? a->provider->title : NULL);
	for (int s = 0; s < ST_COUNT; s++) {
		if (!(a->firing.mask & ST_BIT(s)))
			continue;
		cJSON_AddItemToArray(fires,
				     cJSON_CreateString(hd_status_name[s]));
	}
	cJSON_AddItemToObject(o, "fires_on", fires);
	cJSON_AddItemToObject(o, "checks", checks_json(f, n));
	put_item(r, o);
}

static void json_pipeline_begin(struct reporter *r)
{
	if (r->first & JS_PIPELINE)
		return;
	fputs(r->first & JS_ITEM ? "\n]," : "],", r->out);
	fputs("\"pipeline_checks\":[", r->out);
	r->first = JS_PIPELINE;
}

static void json_pipeline(struct reporter *r, const struct group *g,
			  const struct finding *f, size_t n)
{
	cJSON *o = cJSON_CreateObject(), *hooks = cJSON_CreateArray();

	json_pipeline_begin(r);
	add_redacted(o, "repository", g->repo);
	add_string_or_null(o, "provider", g->provider ? g->provider->name
						      : NULL);
	add_redacted(o, "pipeline_id", g->pipeline_id);
	for (size_t i = 0; i < g->nmembers; i++) {
		const char *nm = g->members[i].hook_name;
		char *red = nm ? redact_text(nm) : NULL;

		cJSON_AddItemToArray(hooks, red ? cJSON_CreateString(red)
						: cJSON_CreateNull());
		free(red);
	}
	cJSON_AddItemToObject(o, "hooks", hooks);
	cJSON_AddItemToObject(o, "checks", checks_json(f, n));
	put_item(r, o);
}

static void json_end(struct reporter *r, const struct summary *s)
{
	json_pipeline_begin(r);
	fprintf(r->out,
		"%s],\"summary\":{\"pass\":%lu,\"warn\":%lu,\"fail\":%lu,"
		"\"skip\":%lu,\"hooks\":%lu}}\n",
		r->first & JS_ITEM ? "\n" : "", s->pass, s->warn, s->fail,
		s->skip, s->hooks);
	fflush(r->out);
}

void report_json_init(struct reporter *r, FILE *out, const struct options *o)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->opts = o;
	r->begin = json_begin;
	r->hook = json_hook;
	r->pipeline_begin = json_pipeline_begin;
	r->pipeline = json_pipeline;
	r->end = json_end;
}
