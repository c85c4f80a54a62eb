/*
 * report_json.c - `--format json`: SPEC.md's one JSON document, streamed.
 *
 * The document is written piece by piece: the "tool" header and the
 * opening of "hooks" at begin, one hook object per line as each hook is
 * reported (written directly, every string redacted first, so 10,000
 * hooks take the memory of one), then "pipeline_checks" the same
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

/* Writes s as a JSON string (or null). UTF-8 passes through; quotes,
 * backslashes and control characters are escaped. Writing directly
 * instead of building cJSON trees keeps 10,000 hooks fast. */
static void put_str(FILE *out, const char *s)
{
	const char *run;

	if (!s) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	for (run = s; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite(run, 1, (size_t)(s - run), out);
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default: fprintf(out, "\\u%04x", c); break;
		}
		run = s + 1;
	}
	fwrite(run, 1, (size_t)(s - run), out);
	putc('"', out);
}

static void put_redacted_value(FILE *out, const char *v)
{
	char *owned;

	put_str(out, redact_text_shared(v, &owned));
	free(owned);
}

/* ,"key": redact_text(v) (or null). */
static void put_redacted(FILE *out, const char *key, const char *v)
{
	fprintf(out, ",\"%s\":", key);
	put_redacted_value(out, v);
}

static void put_evidence(FILE *out, const cJSON *ev)
{
	bool first = true;

	putc('{', out);
	for (const cJSON *e = ev ? ev->child : NULL; e; e = e->next) {
		const char *key = e->string ? e->string : "";

		if (!first)
			putc(',', out);
		first = false;
		put_str(out, key);
		putc(':', out);
		if (cJSON_IsString(e)) {
			char *v = report_redacted(key, e->valuestring);

			put_str(out, v);
			free(v);
		} else {
			/* Redacted in a wrapper so that its key counts. */
			cJSON *wrap = cJSON_CreateObject();
			char *text;

			cJSON_AddItemToObject(wrap, key, cJSON_Duplicate(e, true));
			redact_json(wrap);
			text = cJSON_PrintUnformatted(wrap->child);
			fputs(text ? text : "null", out);
			cJSON_free(text);
			cJSON_Delete(wrap);
		}
	}
	putc('}', out);
}

static void put_checks(FILE *out, const struct finding *f, size_t n)
{
	fputs(",\"checks\":[", out);
	for (size_t i = 0; i < n; i++) {
		const struct check_def *d = f[i].def;

		fputs(i ? ",{\"id\":" : "{\"id\":", out);
		put_str(out, d ? d->id : NULL);
		fputs(",\"name\":", out);
		put_str(out, d ? d->name : NULL);
		fprintf(out, ",\"status\":\"%s\"", check_status_name[f[i].status]);
		put_redacted(out, "message", f[i].message ? f[i].message : "");
		put_redacted(out, "hint", f[i].hint);
		fputs(",\"evidence\":", out);
		put_evidence(out, f[i].evidence);
		fputs(",\"family\":", out);
		put_str(out, d ? d->family : NULL);
		fputs(",\"severity\":", out);
		put_str(out, d ? check_status_name[d->severity] : NULL);
		putc('}', out);
	}
	putc(']', out);
}

/* Starts one array element on its own line. */
static void put_item_start(struct reporter *r)
{
	fputs(r->first & JS_ITEM ? ",\n" : "\n", r->out);
	r->first |= JS_ITEM;
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
	FILE *out = r->out;
	bool first = true;

	put_item_start(r);
	fputs("{\"name\":", out);
	put_redacted_value(out, h ? h->name : NULL);
	put_redacted(out, "source", h ? h->source : NULL);
	fputs(",\"provider\":", out);
	put_str(out, a->provider ? a->provider->name : NULL);
	fputs(",\"provider_title\":", out);
	put_str(out, a->provider ? a->provider->title : NULL);
	fputs(",\"fires_on\":[", out);
	for (int s = 0; s < ST_COUNT; s++) {
		if (!(a->firing.mask & ST_BIT(s)))
			continue;
		if (!first)
			putc(',', out);
		first = false;
		put_str(out, hd_status_name[s]);
	}
	putc(']', out);
	put_checks(out, f, n);
	putc('}', out);
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
	FILE *out = r->out;

	json_pipeline_begin(r);
	put_item_start(r);
	fputs("{\"repository\":", out);
	put_redacted_value(out, g->repo);
	fputs(",\"provider\":", out);
	put_str(out, g->provider ? g->provider->name : NULL);
	put_redacted(out, "pipeline_id", g->pipeline_id);
	fputs(",\"hooks\":[", out);
	for (size_t i = 0; i < g->nmembers; i++) {
		const char *nm = g->members[i].hook_name;
		char *red = nm ? redact_text(nm) : NULL;

		if (i)
			putc(',', out);
		put_str(out, red);
		free(red);
	}
	putc(']', out);
	put_checks(out, f, n);
	putc('}', out);
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
	r->sep = ",";        /* put_item_start(): ",\n" after the first */
	r->begin = json_begin;
	r->hook = json_hook;
	r->pipeline_begin = json_pipeline_begin;
	r->pipeline = json_pipeline;
	r->end = json_end;
}
