/*
 * report_sarif.c - `--format sarif`: one SARIF 2.1.0 log (one run) for
 * code-scanning tools (GitHub code scanning, Azure DevOps, IDE viewers).
 *
 * Every check of the registry is a rule (id HDnnn, its name, the registry
 * summary as short description, the first paragraph of docs/checks/
 * HDnnn.md as full description and help, helpUri the page). Each problem
 * is a result:
 *
 *   fail            level "error"
 *   warn            level "warning" ("error" with --strict)
 *
 * The checks that passed or could not run are not results, only counted
 * in the run's summary: GitHub code scanning ignores a result's kind and
 * raises an alert for every result (microsoft/PSRule#955; PSRule lists
 * problems only since), and it rejects a run of more than 25,000
 * results, which a batch of 440 hooks reached with passes and skips
 * listed (some 57 a hook). A hook's result
 * points into the input file at the line and column the finding's
 * evidence names, or the member the check is about, else the hook's start
 * (report_finding_where()); the pipeline-level results name the input file
 * and the repository. Columns count bytes, which is code points for the
 * ASCII that hook files are made of.
 *
 * Streamed: the rules and the artifact first, then one result per line,
 * then the invocation and the summary. Every string is redacted.
 */
#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "redact.h"
#include "rules.h"
#include "util.h"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0-dev"
#endif

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* The input file as a URI reference (relative paths stay relative), or
 * NULL when the hooks came from standard input. */
static char *artifact_uri(const struct options *o)
{
	struct sbuf b = {0};

	if (!o || !o->file || strcmp(o->file, "-") == 0)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)o->file; *s; s++)
		if (isalnum(*s) || strchr("/-._~", *s))
			sbuf_addc(&b, (char)*s);
		else
			sbuf_addf(&b, "%%%02X", *s);
	return sbuf_detach(&b);
}

static void add_redacted(cJSON *obj, const char *key, const char *value)
{
	char *red = redact_text(value ? value : "");

	cJSON_AddStringToObject(obj, key, red);
	free(red);
}

static cJSON *text_object(const char *text)
{
	cJSON *o = cJSON_CreateObject();

	add_redacted(o, "text", text);
	return o;
}

static void put_json(FILE *out, cJSON *node)
{
	char *text = cJSON_PrintUnformatted(node);
	char *shown = report_json_visible(text);

	fputs(shown, out);
	free(shown);
	cJSON_free(text);
	cJSON_Delete(node);
}

static cJSON *rule_of(const struct check_def *d)
{
	cJSON *rule = cJSON_CreateObject(), *cfg, *props, *tags;
	char *help = report_check_help(d), *uri = report_check_uri(d);
	char *helptext;

	cJSON_AddStringToObject(rule, "id", d->id);
	cJSON_AddStringToObject(rule, "name", d->name);
	cJSON_AddItemToObject(rule, "shortDescription", text_object(d->summary));
	cJSON_AddItemToObject(rule, "fullDescription",
			      text_object(help ? help : d->summary));
	helptext = xasprintf("%s See `hookdoctor explain %s`.",
			     help ? help : d->summary, d->id);
	cJSON_AddItemToObject(rule, "help", text_object(helptext));
	free(helptext);
	if (uri)
		cJSON_AddStringToObject(rule, "helpUri", uri);
	cfg = cJSON_AddObjectToObject(rule, "defaultConfiguration");
	cJSON_AddStringToObject(cfg, "level",
				d->severity == CS_FAIL ? "error" : "warning");
	props = cJSON_AddObjectToObject(rule, "properties");
	tags = cJSON_AddArrayToObject(props, "tags");
	cJSON_AddItemToArray(tags, cJSON_CreateString(d->family));
	free(help);
	free(uri);
	return rule;
}

static void sarif_begin(struct reporter *r)
{
	FILE *out = r->out;
	char *uri = artifact_uri(r->opts);

	fputs("{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\","
	      "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"hookdoctor\","
	      "\"version\":\"" HD_VERSION "\",\"semanticVersion\":\""
	      HD_VERSION "\",\"rules\":[", out);
	for (size_t i = 0; i < check_registry_len; i++) {
		fputs(i ? ",\n" : "\n", out);
		put_json(out, rule_of(&check_registry[i]));
	}
	fputs("]}},\n\"columnKind\":\"unicodeCodePoints\",", out);
	if (uri) {
		cJSON *art = cJSON_CreateObject(), *loc;

		loc = cJSON_AddObjectToObject(art, "location");
		cJSON_AddStringToObject(loc, "uri", uri);
		cJSON_AddItemToObject(art, "roles", cJSON_CreateStringArray(
			(const char *[]){"analysisTarget"}, 1));
		cJSON_AddStringToObject(art, "mimeType", "application/json");
		fputs("\"artifacts\":[", out);
		put_json(out, art);
		fputs("],", out);
	}
	fputs("\"results\":[", out);
	free(uri);
	r->first = 0;   /* the number of results written */
}

/* One result, for a failed or warned check (the others are none). who
 * names the hook (or repository) in the message. */
static void put_result(struct reporter *r, const struct finding *f,
		       const struct hook *h, const struct group *g)
{
	const struct check_def *d = f->def;
	cJSON *res, *msg, *locs, *loc, *props, *fp;
	bool strict = r->opts && r->opts->strict;
	struct sbuf text = {0};
	char *uri, *red;
	const char *who = h ? (h->name ? h->name : "unnamed hook")
			    : (g && g->repo ? g->repo : "repository");
	int line = 0, col = 0;

	if (!d || (f->status != CS_FAIL && f->status != CS_WARN))
		return;
	res = cJSON_CreateObject();
	uri = artifact_uri(r->opts);
	cJSON_AddStringToObject(res, "ruleId", d->id);
	cJSON_AddNumberToObject(res, "ruleIndex",
				(double)(d - check_registry));
	cJSON_AddStringToObject(res, "kind", "fail");
	cJSON_AddStringToObject(res, "level", f->status == CS_FAIL || strict ?
				"error" : "warning");
	sbuf_addf(&text, "%s: %s", who, f->message ? f->message : "");
	if (f->hint && *f->hint)
		sbuf_addf(&text, "%s Fix: %s",
			  text.len && text.s[text.len - 1] == '.' ? "" : ".",
			  f->hint);
	msg = cJSON_AddObjectToObject(res, "message");
	red = redact_text(text.s ? text.s : "");
	cJSON_AddStringToObject(msg, "text", red);
	free(red);
	sbuf_free(&text);

	locs = cJSON_AddArrayToObject(res, "locations");
	loc = cJSON_CreateObject();
	cJSON_AddItemToArray(locs, loc);
	if (uri && (!h || (h->source && strncmp(h->source, "file:", 5) == 0))) {
		cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
		cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");

		cJSON_AddStringToObject(art, "uri", uri);
		cJSON_AddNumberToObject(art, "index", 0);
		if (h && report_finding_where(h, f, &line, &col)) {
			cJSON *region = cJSON_AddObjectToObject(phys, "region");

			cJSON_AddNumberToObject(region, "startLine", line);
			if (col > 0)
				cJSON_AddNumberToObject(region, "startColumn", col);
		}
	}
	{
		cJSON *logs = cJSON_AddArrayToObject(loc, "logicalLocations");
		cJSON *ll = cJSON_CreateObject();

		add_redacted(ll, "name", who);
		if (h && h->source)
			add_redacted(ll, "fullyQualifiedName", h->source);
		cJSON_AddStringToObject(ll, "kind", h ? "object" : "module");
		cJSON_AddItemToArray(logs, ll);
	}

	fp = cJSON_AddObjectToObject(res, "partialFingerprints");
	red = xasprintf("%s:%s", d->id, h ? (h->source ? h->source : "")
					 : (g && g->key ? g->key : ""));
	add_redacted(fp, "hookdoctorFinding/v1", red);
	free(red);

	props = cJSON_AddObjectToObject(res, "properties");
	cJSON_AddStringToObject(props, "status", check_status_name[f->status]);
	cJSON_AddStringToObject(props, "check", d->name);
	cJSON_AddStringToObject(props, "family", d->family);
	if (f->hint)
		add_redacted(props, "hint", f->hint);
	cJSON_AddItemToObject(props, "evidence",
			      report_evidence_json(f->evidence));

	fputs(r->first ? ",\n" : "\n", r->out);
	r->first++;
	put_json(r->out, res);
	free(uri);
}

static void sarif_hook(struct reporter *r, const struct analysis *a,
		       const struct finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_result(r, &f[i], a->hook, NULL);
}

static void sarif_pipeline_begin(struct reporter *r)
{
	(void)r;
}

static void sarif_pipeline(struct reporter *r, const struct group *g,
			   const struct finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_result(r, &f[i], NULL, g);
}

/* GitHub code scanning rejects a run of more results than this. */
#define GITHUB_MAX_RESULTS 25000

static void sarif_end(struct reporter *r, const struct summary *s)
{
	if (r->first > GITHUB_MAX_RESULTS && !(r->opts && r->opts->quiet))
		fprintf(stderr, "hookdoctor: note: %d SARIF results: GitHub code "
			"scanning rejects a run of more than %d; check the hooks "
			"in smaller files\n", r->first, GITHUB_MAX_RESULTS);
	fprintf(r->out,
		"\n],\"invocations\":[{\"executionSuccessful\":true}],"
		"\"properties\":{\"summary\":{\"hooks\":%lu,\"pass\":%lu,"
		"\"warn\":%lu,\"fail\":%lu,\"skip\":%lu}}}]}\n",
		s->hooks, s->pass, s->warn, s->fail, s->skip);
	fflush(r->out);
}

void report_sarif_init(struct reporter *r, FILE *out,
		       const struct options *o)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->opts = o;
	r->begin = sarif_begin;
	r->hook = sarif_hook;
	r->pipeline_begin = sarif_pipeline_begin;
	r->pipeline = sarif_pipeline;
	r->end = sarif_end;
}
