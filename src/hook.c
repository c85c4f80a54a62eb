/*
 * hook.c - loads hooks from a file or standard input into struct hook.
 *
 * A file holds one hook object or a JSON array of them, in either shape the
 * Devopness API knows: the HookPipelineCreate body a user POSTs (plus the
 * guide's action_type/resource_type/resource_id/target_url/pipeline_id) or
 * a Hook object as the API returns it. Loading stops (the caller exits 2)
 * only when hookdoctor cannot use the input: invalid JSON, a wrong JSON type
 * where a member is needed, a header or condition without its required
 * members. Whatever is merely outside the schema is kept in
 * hook->schema_issues, with its JSON path and position, for HD114.
 * This module judges nothing else: the checks do.
 */
#include "hook.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "json.h"
#include "redact.h"

/* Longest accepted header name and value: HookOutgoingRequestHeader's
 * maxLength (characters). */
#define HEADER_NAME_MAX 256
#define HEADER_VALUE_MAX 4096

/* Largest hook read: a commit-status hook is about a kilobyte, and a hook's
 * analysis holds several rendered copies of it, so a 100 MB one would take
 * gigabytes (docs/design.md, "Hostile input"). */
#define HOOK_MAX_BYTES (1024 * 1024)

/* Most hooks read from one file: ten times SPEC.md's 10,000. A file of
 * tiny elements ("[{},{},...]", 256 MiB of it) would otherwise hold tens
 * of millions of "hooks": gigabytes of element ranges, and hours of
 * reports (docs/design.md, "Hostile input"). */
#define HOOK_MAX_COUNT 100000

/* Members of components.schemas.Hook; HookPipelineCreate's are a subset, and
 * the guide's body (action_type, resource_type, resource_id, target_url,
 * pipeline_id) uses Hook's. */
static const char *const hook_members[] = {
	"id", "name", "type", "action_type", "url", "target_url",
	"is_auto_generated", "requires_secret", "verify_ssl", "active",
	"project_id", "environment_id", "pipeline_id", "resource_type",
	"resource_id", "settings", "trigger_when", "secret",
	"secret_algorithm", "secret_header_name", "created_by_user",
	"created_at", "updated_at", NULL
};

/* HookOutgoingSettings (request_headers, request_body) and
 * HookIncomingSettings (variables): Hook.settings is one of them. */
static const char *const settings_members[] = {
	"request_headers", "request_body", "variables", NULL
};

/* HookOutgoingRequestHeader. */
static const char *const header_members[] = { "name", "value", NULL };

/* HookTriggerWhen. */
static const char *const trigger_members[] = { "events", "conditions", NULL };

/* HookOutgoingTriggerWhenCondition (path, accepted_values) and
 * TriggerWhenCondition (adds name, type): conditions are one of them. */
static const char *const condition_members[] = {
	"path", "accepted_values", "name", "type", NULL
};

/* components.schemas.ActionType. */
static const char *const action_types[] = {
	"check_provisioned", "configure", "delete", "deploy", "get_status",
	"provision", "reload", "remove", "restart", "rotate_key", "start",
	"stop", NULL
};

/* components.schemas.ResourceType. */
static const char *const resource_types[] = {
	"application", "credential", "cronjob", "daemon", "deployment",
	"network", "network-rule", "server", "service", "ssh-key",
	"ssl-certificate", "subnet", "virtual-host", NULL
};

/* Names users write for a member that lives elsewhere or is spelt
 * otherwise; "to" is the path relative to the hook. */
struct alias {
	const char *from, *to;
};

static const struct alias hook_aliases[] = {
	{"request_headers", "settings.request_headers"},
	{"headers", "settings.request_headers"},
	{"request_body", "settings.request_body"},
	{"body", "settings.request_body"},
	{"payload", "settings.request_body"},
	{"data", "settings.request_body"},
	{"event", "trigger_when.events"},
	{"events", "trigger_when.events"},
	{"condition", "trigger_when.conditions"},
	{"conditions", "trigger_when.conditions"},
	{"targetUrl", "target_url"},
	{"target", "target_url"},
	{"uri", "target_url"},
	{"endpoint", "target_url"},
	{"webhook_url", "target_url"},
	{"pipeline", "pipeline_id"},
	{"enabled", "active"},
	{"is_active", "active"},
	{"verify_tls", "verify_ssl"},
	{"trigger", "trigger_when"},
	{"when", "trigger_when"},
	{NULL, NULL}
};

static const struct alias settings_aliases[] = {
	{"headers", "settings.request_headers"},
	{"body", "settings.request_body"},
	{"payload", "settings.request_body"},
	{"data", "settings.request_body"},
	{"url", "target_url (at the top of the hook, not in settings)"},
	{"target_url", "target_url (at the top of the hook, not in settings)"},
	{NULL, NULL}
};

static const struct alias header_aliases[] = {
	{"key", "name"},
	{"header", "name"},
	{"val", "value"},
	{NULL, NULL}
};

static const struct alias trigger_aliases[] = {
	{"event", "trigger_when.events"},
	{"on", "trigger_when.events"},
	{"condition", "trigger_when.conditions"},
	{NULL, NULL}
};

static const struct alias condition_aliases[] = {
	{"values", "accepted_values"},
	{"value", "accepted_values"},
	{"in", "accepted_values"},
	{"field", "path"},
	{"key", "path"},
	{"variable", "path"},
	{NULL, NULL}
};

struct loader {
	struct hook *h;
	const char *fname;
	const char *prefix;     /* "[3]." when the hook is in an array */
	struct hd_error *err;
	size_t issue_cap;
	/* Only whether the hook can be loaded matters (hook_input_validate):
	 * what merely goes into schema_issues is not looked for. */
	bool validate_only;
	/* Its secrets are told to redact.c; not when the validation of its
	 * input already did (the second load of `check`). */
	bool learn;
};

/* How hook_build() loads a hook. */
enum build_mode {
	BUILD_VALIDATE,         /* whether it loads, and its secrets */
	BUILD_FULL,             /* everything */
	BUILD_LEARNED           /* everything but the secrets, known already */
};

static const char *kind_of(const cJSON *n)
{
	if (!n)
		return "nothing";
	if (cJSON_IsObject(n))
		return "an object";
	if (cJSON_IsArray(n))
		return "an array";
	if (cJSON_IsString(n))
		return "a string";
	if (cJSON_IsNumber(n))
		return "a number";
	if (cJSON_IsBool(n))
		return cJSON_IsTrue(n) ? "true" : "false";
	if (cJSON_IsNull(n))
		return "null";
	return "an unknown value";
}

/* Fails loading: "FNAME:L:C: PREFIXpath: message", at node's position. */
static int fatal(struct loader *L, const cJSON *at, const char *path,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fatal(struct loader *L, const cJSON *at, const char *path,
		 const char *fmt, ...)
{
	struct sbuf b = {0};
	int line, col;
	size_t plen = strlen(L->prefix);
	va_list ap;

	jsonpos_where(&L->h->pos, at, &line, &col);
	sbuf_add(&b, L->fname);
	if (line > 0)
		sbuf_addf(&b, ":%d:%d", line, col);
	sbuf_add(&b, ": ");
	if (*path) {
		sbuf_addf(&b, "%s%s: ", L->prefix, path);
	} else if (plen) {
		/* the hook itself: "[3]" without the dot */
		sbuf_addf(&b, "%.*s: ", (int)(plen - 1), L->prefix);
	}
	va_start(ap, fmt);
	sbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	hd_error_set(L->err, "%s", b.s);
	sbuf_free(&b);
	return -1;
}

/* Records a schema issue at node (at its member name when at_key). */
static void issue(struct loader *L, const cJSON *at, int at_key,
		  const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void issue(struct loader *L, const cJSON *at, int at_key,
		  const char *path, const char *fmt, ...)
{
	struct hook *h = L->h;
	struct schema_issue *is;
	struct sbuf b = {0};
	va_list ap;

	if (L->validate_only)
		return;
	if (h->nschema_issues == L->issue_cap) {
		L->issue_cap = L->issue_cap ? L->issue_cap * 2 : 4;
		h->schema_issues = xrealloc(h->schema_issues, L->issue_cap *
					    sizeof(*h->schema_issues));
	}
	is = &h->schema_issues[h->nschema_issues++];
	va_start(ap, fmt);
	sbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	is->message = sbuf_detach(&b);
	is->hint = NULL;
	is->path = xstrdup(path);
	if (at_key)
		jsonpos_where_key(&h->pos, at, &is->line, &is->col);
	else
		jsonpos_where(&h->pos, at, &is->line, &is->col);
}

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (str_eq(*list, s))
			return 1;
	return 0;
}

/* The closest name in list within a small edit distance, or NULL. */
static const char *nearest(const char *const *list, const char *s)
{
	const char *best = NULL;
	int cap = strlen(s) <= 3 ? 1 : 2, bestd = cap + 1;

	for (; *list; list++) {
		int d = edit_distance(s, *list, cap);

		if (d < bestd) {
			bestd = d;
			best = *list;
		}
	}
	return best;
}

static const char *alias_for(const struct alias *aliases, const char *s)
{
	for (; aliases->from; aliases++)
		if (strcmp(aliases->from, s) == 0)
			return aliases->to;
	return NULL;
}

static char *join(const char *parent, const char *member)
{
	return *parent ? xasprintf("%s.%s", parent, member)
		       : xstrdup(member);
}

/*
 * Reports every member of obj not in known. where names the object in the
 * message ("the hook", "settings", ...) and schema names the schema.
 */
static void unknown_members(struct loader *L, const cJSON *obj,
			    const char *path, const char *where,
			    const char *schema, const char *const *known,
			    const struct alias *aliases)
{
	const cJSON *m;

	if (L->validate_only)
		return;
	cJSON_ArrayForEach(m, obj) {
		const char *name = m->string, *to;
		char *mpath;

		if (in_list(known, name))
			continue;
		mpath = join(path, name);
		to = alias_for(aliases, name);
		if (!to)
			to = nearest(known, name);
		if (to)
			issue(L, m, 1, mpath, "unknown member \"%s\" in %s: "
			      "did you mean %s?", name, where, to);
		else
			issue(L, m, 1, mpath, "unknown member \"%s\" in %s "
			      "(%s)", name, where, schema);
		free(mpath);
	}
}

/* Text of a number: an integer when it is one, else as written. */
static char *number_text(const struct hook *h, const cJSON *n)
{
	double v = n->valuedouble;
	size_t off;

	/* integral and exact in a double: no libm needed to tell */
	if (v > -9007199254740992.0 && v < 9007199254740992.0 &&
	    v == (double)(long long)v)
		return xasprintf("%lld", (long long)v);
	if (jsonpos_offset(&h->pos, n, &off)) {
		size_t e = off;

		while (e < h->pos.len && strchr("+-.0123456789eE",
						 h->pos.text[e]) &&
		       h->pos.text[e])
			e++;
		if (e > off)
			return xstrndup(h->pos.text + off, e - off);
	}
	return xasprintf("%.17g", v);
}

/* A string member that may be absent or null; -1 on a wrong type. */
static int get_string(struct loader *L, const cJSON *obj, const char *name,
		      const char *path, char **out)
{
	const cJSON *m = json_member(obj, name);

	*out = NULL;
	if (!m || cJSON_IsNull(m))
		return 0;
	if (!cJSON_IsString(m))
		return fatal(L, m, path, "expected a string, found %s%s",
			     kind_of(m), cJSON_IsNumber(m) ?
			     " (put it in double quotes)" : "");
	*out = xstrdup(m->valuestring);
	return 0;
}

/* A boolean member: *out -1 absent, 0, 1. null counts as absent but is
 * outside the schema. */
static int get_bool(struct loader *L, const cJSON *obj, const char *name,
		    int *out)
{
	const cJSON *m = json_member(obj, name);

	*out = -1;
	if (!m)
		return 0;
	if (cJSON_IsNull(m)) {
		issue(L, m, 0, name, "is null; the schema wants true or false");
		return 0;
	}
	if (cJSON_IsBool(m)) {
		*out = cJSON_IsTrue(m) ? 1 : 0;
		return 0;
	}
	if (cJSON_IsString(m) && (!strcmp(m->valuestring, "true") ||
				  !strcmp(m->valuestring, "false")))
		return fatal(L, m, name, "expected true or false, found a "
			     "string (\"%s\"): remove the quotes",
			     m->valuestring);
	return fatal(L, m, name, "expected true or false, found %s",
		     kind_of(m));
}

static int load_header(struct loader *L, const cJSON *item, size_t i,
		       struct hd_header *hd)
{
	char *path = xasprintf("settings.request_headers[%zu]", i);
	const cJSON *name, *value;
	int rc = -1;

	jsonpos_where(&L->h->pos, item, &hd->line, &hd->col);
	if (!cJSON_IsObject(item)) {
		if (cJSON_IsString(item) && strchr(item->valuestring, ':'))
			fatal(L, item, path, "expected a {name, value} object, "
			      "found a string (a \"Name: value\" line? write "
			      "{\"name\": \"...\", \"value\": \"...\"})");
		else
			fatal(L, item, path, "expected a {name, value} object, "
			      "found %s", kind_of(item));
		goto out;
	}
	name = json_member(item, "name");
	value = json_member(item, "value");
	if (!name || !value) {
		const char *missing = !name ? "name" : "value";
		const cJSON *m;
		const char *hint = NULL;

		cJSON_ArrayForEach(m, item) {
			const char *to = alias_for(header_aliases, m->string);

			if (!to)
				to = nearest(header_members, m->string);
			if (to && !strcmp(to, missing)) {
				hint = m->string;
				break;
			}
		}
		if (hint)
			fatal(L, item, path, "the header has no \"%s\" (found "
			      "\"%s\": did you mean \"%s\"?); each header is "
			      "{\"name\": ..., \"value\": ...}", missing, hint,
			      missing);
		else
			fatal(L, item, path, "the header has no \"%s\"; each "
			      "header is {\"name\": ..., \"value\": ...}",
			      missing);
		goto out;
	}
	if (!cJSON_IsString(name)) {
		char *p = join(path, "name");

		fatal(L, name, p, "expected a string, found %s", kind_of(name));
		free(p);
		goto out;
	}
	if (!cJSON_IsString(value)) {
		char *p = join(path, "value");

		fatal(L, value, p, "expected a string, found %s%s",
		      kind_of(value), cJSON_IsNumber(value) ||
		      cJSON_IsBool(value) ? " (header values are strings: "
		      "put it in double quotes)" : "");
		free(p);
		goto out;
	}
	hd->name = xstrdup(name->valuestring);
	hd->value = xstrdup(value->valuestring);
	/* Its secret is masked wherever else it shows (redact.h). */
	if (L->learn)
		redact_learn_header(hd->name, hd->value);
	if (!L->validate_only) {
		bool ok;
		size_t nn = utf8_count(hd->name, strlen(hd->name), &ok);
		size_t nv = utf8_count(hd->value, strlen(hd->value), &ok);

		if (nn > HEADER_NAME_MAX) {
			char *p = join(path, "name");

			issue(L, name, 0, p, "is %zu characters; "
			      "HookOutgoingRequestHeader allows at most %d",
			      nn, HEADER_NAME_MAX);
			free(p);
		}
		if (nv > HEADER_VALUE_MAX) {
			char *p = join(path, "value");

			issue(L, value, 0, p, "is %zu characters; "
			      "HookOutgoingRequestHeader allows at most %d",
			      nv, HEADER_VALUE_MAX);
			free(p);
		}
	}
	unknown_members(L, item, path, "a request header",
			"HookOutgoingRequestHeader has only name and value",
			header_members, header_aliases);
	rc = 0;
out:
	free(path);
	return rc;
}

static int load_headers(struct loader *L, const cJSON *hs)
{
	struct hook *h = L->h;
	const char *path = "settings.request_headers";
	size_t n, i = 0;
	const cJSON *item;

	if (cJSON_IsNull(hs)) {
		issue(L, hs, 0, path, "is null; the schema wants an array of "
		      "{name, value} objects");
		return 0;
	}
	if (!cJSON_IsArray(hs)) {
		if (cJSON_IsObject(hs) && hs->child)
			return fatal(L, hs, path, "expected an array of {name, "
				     "value} objects, found an object (write "
				     "[{\"name\": \"%s\", \"value\": ...}])",
				     hs->child->string);
		return fatal(L, hs, path, "expected an array of {name, value} "
			     "objects, found %s", kind_of(hs));
	}
	n = (size_t)cJSON_GetArraySize(hs);
	h->headers = xcalloc(n, sizeof(*h->headers));
	cJSON_ArrayForEach(item, hs) {
		if (load_header(L, item, i, &h->headers[i]) < 0) {
			h->nheaders = i + 1; /* free what was set */
			return -1;
		}
		i++;
	}
	h->nheaders = n;
	return 0;
}

static int load_settings(struct loader *L, const cJSON *s)
{
	struct hook *h = L->h;
	const cJSON *hs, *body;

	if (!s || cJSON_IsNull(s))
		return 0;
	if (!cJSON_IsObject(s))
		return fatal(L, s, "settings", "expected an object with "
			     "request_headers and request_body, found %s",
			     kind_of(s));
	hs = json_member(s, "request_headers");
	if (hs && load_headers(L, hs) < 0)
		return -1;
	body = json_member(s, "request_body");
	if (body && !cJSON_IsNull(body)) {
		if (cJSON_IsObject(body))
			h->body_kind = BODY_OBJECT;
		else if (cJSON_IsArray(body))
			h->body_kind = BODY_ARRAY;
		else if (cJSON_IsString(body))
			h->body_kind = BODY_STRING;
		else
			return fatal(L, body, "settings.request_body",
				     "expected an object, an array or a "
				     "string, found %s", kind_of(body));
		h->body = (cJSON *)body;
		jsonpos_where(&h->pos, body, &h->body_line, &h->body_col);
	}
	unknown_members(L, s, "settings", "settings",
			"HookOutgoingSettings has request_headers and "
			"request_body", settings_members,
			settings_aliases);
	return 0;
}

static int load_events(struct loader *L, const cJSON *ev)
{
	struct hook *h = L->h;
	const char *path = "trigger_when.events";
	const cJSON *e;
	size_t i = 0;

	if (cJSON_IsNull(ev)) {
		issue(L, ev, 0, path, "is null; the schema wants an array of "
		      "event names");
		return 0;
	}
	if (!cJSON_IsArray(ev)) {
		if (cJSON_IsString(ev))
			return fatal(L, ev, path, "expected an array of event "
				     "names, found a string (write [\"%s\"])",
				     ev->valuestring);
		return fatal(L, ev, path, "expected an array of event names, "
			     "found %s", kind_of(ev));
	}
	h->has_events = true;
	h->events = xcalloc((size_t)cJSON_GetArraySize(ev), sizeof(char *));
	cJSON_ArrayForEach(e, ev) {
		if (!cJSON_IsString(e)) {
			char *p = xasprintf("%s[%zu]", path, i);

			fatal(L, e, p, "expected an event name (a string such "
			      "as \"action.started\"), found %s", kind_of(e));
			free(p);
			return -1;
		}
		h->events[i++] = xstrdup(e->valuestring);
		h->nevents = i;
	}
	return 0;
}

static int load_condition(struct loader *L, const cJSON *c, size_t i,
			  struct hd_condition *cd)
{
	char *path = xasprintf("trigger_when.conditions[%zu]", i);
	const cJSON *p, *av, *v;
	int rc = -1;
	size_t k = 0;

	jsonpos_where(&L->h->pos, c, &cd->line, &cd->col);
	if (!cJSON_IsObject(c)) {
		fatal(L, c, path, "expected a {path, accepted_values} object, "
		      "found %s", kind_of(c));
		goto out;
	}
	p = json_member(c, "path");
	av = json_member(c, "accepted_values");
	if (!p || !av) {
		const char *missing = !p ? "path" : "accepted_values";
		const char *hint = NULL;
		const cJSON *m;

		cJSON_ArrayForEach(m, c) {
			const char *to = alias_for(condition_aliases, m->string);

			if (!to)
				to = nearest(condition_members, m->string);
			if (to && !strcmp(to, missing)) {
				hint = m->string;
				break;
			}
		}
		if (hint)
			fatal(L, c, path, "the condition has no \"%s\" (found "
			      "\"%s\": did you mean \"%s\"?); a condition is "
			      "{\"path\": ..., \"accepted_values\": [...]}",
			      missing, hint, missing);
		else
			fatal(L, c, path, "the condition has no \"%s\"; a "
			      "condition is {\"path\": ..., "
			      "\"accepted_values\": [...]}", missing);
		goto out;
	}
	if (!cJSON_IsString(p)) {
		char *pp = join(path, "path");

		fatal(L, p, pp, "expected a dotted path string (such as "
		      "\"action.status\"), found %s", kind_of(p));
		free(pp);
		goto out;
	}
	if (!cJSON_IsArray(av)) {
		char *pp = join(path, "accepted_values");

		if (cJSON_IsString(av))
			fatal(L, av, pp, "expected an array of values, found a "
			      "string (write [\"%s\"])", av->valuestring);
		else
			fatal(L, av, pp, "expected an array of values, found %s",
			      kind_of(av));
		free(pp);
		goto out;
	}
	cd->path = xstrdup(p->valuestring);
	cd->values = xcalloc((size_t)cJSON_GetArraySize(av), sizeof(char *));
	cJSON_ArrayForEach(v, av) {
		char *s;

		if (cJSON_IsString(v)) {
			s = xstrdup(v->valuestring);
		} else if (cJSON_IsNumber(v)) {
			s = number_text(L->h, v);
		} else if (cJSON_IsBool(v)) {
			s = xstrdup(cJSON_IsTrue(v) ? "true" : "false");
		} else if (cJSON_IsNull(v)) {
			s = xstrdup("null");
		} else {
			char *pp = xasprintf("%s.accepted_values[%zu]", path, k);

			fatal(L, v, pp, "expected a string, number, boolean or "
			      "null, found %s", kind_of(v));
			free(pp);
			goto out;
		}
		cd->values[k++] = s;
		cd->nvalues = k;
	}
	unknown_members(L, c, path, "a condition",
			"HookOutgoingTriggerWhenCondition has path and "
			"accepted_values", condition_members,
			condition_aliases);
	rc = 0;
out:
	free(path);
	return rc;
}

static int load_conditions(struct loader *L, const cJSON *cs)
{
	struct hook *h = L->h;
	const char *path = "trigger_when.conditions";
	const cJSON *c;
	size_t n, i = 0;

	if (cJSON_IsNull(cs)) {
		issue(L, cs, 0, path, "is null; the schema wants an array of "
		      "{path, accepted_values} objects");
		return 0;
	}
	if (!cJSON_IsArray(cs))
		return fatal(L, cs, path, "expected an array of {path, "
			     "accepted_values} objects, found %s", kind_of(cs));
	n = (size_t)cJSON_GetArraySize(cs);
	h->conds = xcalloc(n, sizeof(*h->conds));
	cJSON_ArrayForEach(c, cs) {
		h->nconds = i + 1; /* hook_free frees what is set */
		if (load_condition(L, c, i, &h->conds[i]) < 0)
			return -1;
		i++;
	}
	h->nconds = n;
	return 0;
}

static int load_trigger(struct loader *L, const cJSON *t)
{
	const cJSON *ev, *cs;

	if (!t)
		return 0;
	if (cJSON_IsNull(t)) {
		issue(L, t, 0, "trigger_when", "is null; the schema wants an "
		      "object with events and conditions");
		return 0;
	}
	if (!cJSON_IsObject(t))
		return fatal(L, t, "trigger_when", "expected an object with "
			     "events and conditions, found %s", kind_of(t));
	ev = json_member(t, "events");
	if (ev && load_events(L, ev) < 0)
		return -1;
	cs = json_member(t, "conditions");
	if (cs && load_conditions(L, cs) < 0)
		return -1;
	unknown_members(L, t, "trigger_when", "trigger_when",
			"HookTriggerWhen has events and conditions",
			trigger_members, trigger_aliases);
	return 0;
}

/* A value out of an enum: says so, with the nearest member when close. */
static void check_enum(struct loader *L, const cJSON *obj, const char *name,
		       const char *schema, const char *const *values)
{
	const cJSON *m;
	const char *near;

	if (L->validate_only)
		return;
	m = json_member(obj, name);
	if (!m || cJSON_IsNull(m))
		return;
	if (!cJSON_IsString(m)) {
		issue(L, m, 0, name, "expected a string (%s), found %s", schema,
		      kind_of(m));
		return;
	}
	if (in_list(values, m->valuestring))
		return;
	near = nearest(values, m->valuestring);
	if (near)
		issue(L, m, 0, name, "\"%s\" is not a %s: did you mean \"%s\"?",
		      m->valuestring, schema, near);
	else
		issue(L, m, 0, name, "\"%s\" is not a %s", m->valuestring,
		      schema);
}

static void check_type(struct loader *L, const cJSON *obj)
{
	const cJSON *m;
	const char *s;

	if (L->validate_only)
		return;
	m = json_member(obj, "type");
	if (!m || !cJSON_IsString(m))
		return;
	s = m->valuestring;
	if (!strcmp(s, "in") || !strcmp(s, "out"))
		return;
	if (!ascii_casecmp(s, "outgoing") || !ascii_casecmp(s, "outbound") ||
	    !ascii_casecmp(s, "OUT"))
		issue(L, m, 0, "type", "\"%s\" is not a HookType (\"in\" or "
		      "\"out\"): did you mean \"out\"?", s);
	else if (!ascii_casecmp(s, "incoming") ||
		 !ascii_casecmp(s, "inbound") || !ascii_casecmp(s, "IN"))
		issue(L, m, 0, "type", "\"%s\" is not a HookType (\"in\" or "
		      "\"out\"): did you mean \"in\"?", s);
	else
		issue(L, m, 0, "type", "\"%s\" is not a HookType (\"in\" or "
		      "\"out\")", s);
}

/* Types of the Hook members hookdoctor does not use: outside the schema,
 * not fatal. */
static void check_other_types(struct loader *L, const cJSON *obj)
{
	static const struct {
		const char *name;
		int want;       /* cJSON type bits allowed (null always is) */
		const char *what;
	} members[] = {
		{"is_auto_generated", cJSON_True | cJSON_False, "true or false"},
		{"requires_secret", cJSON_True | cJSON_False, "true or false"},
		{"project_id", cJSON_Number, "an integer"},
		{"environment_id", cJSON_Number, "an integer"},
		{"resource_id", cJSON_Number, "an integer"},
		{"url", cJSON_String, "a string"},
		{"secret", cJSON_String, "a string"},
		{"secret_algorithm", cJSON_String, "a string"},
		{"secret_header_name", cJSON_String, "a string"},
		{"created_at", cJSON_String, "a string"},
		{"updated_at", cJSON_String, "a string"},
		{"created_by_user", cJSON_Object, "an object"},
	};

	if (L->validate_only)
		return;
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		const cJSON *m = json_member(
			obj, members[i].name);

		if (!m || cJSON_IsNull(m) || (m->type & 0xFF & members[i].want))
			continue;
		issue(L, m, 0, members[i].name, "expected %s, found %s",
		      members[i].what, kind_of(m));
	}
}

static int load_hook(struct loader *L, const cJSON *obj)
{
	struct hook *h = L->h;
	const cJSON *m;

	if (!cJSON_IsObject(obj)) {
		if (cJSON_IsString(obj))
			return fatal(L, obj, "", "the hook is a JSON string, "
				     "not an object — a body pasted as a "
				     "string? remove the outer "
				     "quotes/escaping");
		return fatal(L, obj, "", "expected a hook object, found %s%s",
			     kind_of(obj), cJSON_IsArray(obj) ?
			     " (an array inside the array? give one flat "
			     "array of hooks)" : "");
	}
	m = json_member(obj, "id");
	if (m && cJSON_IsString(m))
		h->id = xstrdup(m->valuestring);
	else if (m && cJSON_IsNumber(m))
		h->id = number_text(h, m);
	else if (m && !cJSON_IsNull(m))
		issue(L, m, 0, "id", "expected a string (the hook's UUID), "
		      "found %s", kind_of(m));
	if (get_string(L, obj, "name", "name", &h->name) < 0 ||
	    get_string(L, obj, "type", "type", &h->type) < 0 ||
	    get_string(L, obj, "target_url", "target_url", &h->target_url) < 0)
		return -1;
	/* Its userinfo and secret query values are masked wherever else
	 * they show (redact.h). */
	if (L->learn)
		redact_learn_url(h->target_url);
	m = json_member(obj, "pipeline_id");
	if (m && !cJSON_IsNull(m)) {
		h->has_pipeline_id = true;
		if (cJSON_IsNumber(m)) {
			h->pipeline_id = number_text(h, m);
		} else if (cJSON_IsString(m)) {
			h->pipeline_id = xstrdup(m->valuestring);
		} else {
			/* HD101 judges it; keep what was written. */
			char *p = cJSON_PrintUnformatted(m);

			h->pipeline_id = xstrdup(p ? p : "");
			cJSON_free(p);
		}
	}
	if (get_bool(L, obj, "active", &h->active) < 0 ||
	    get_bool(L, obj, "verify_ssl", &h->verify_ssl) < 0)
		return -1;
	if (load_settings(L, json_member(obj,
							     "settings")) < 0)
		return -1;
	if (load_trigger(L, json_member(obj,
							    "trigger_when")) < 0)
		return -1;

	check_type(L, obj);
	check_enum(L, obj, "action_type", "Devopness ActionType",
		   action_types);
	check_enum(L, obj, "resource_type", "Devopness ResourceType",
		   resource_types);
	check_other_types(L, obj);
	unknown_members(L, obj, "", "the hook", "not in the Devopness "
			"Hook or HookPipelineCreate schema", hook_members,
			hook_aliases);
	/* Hook.url is where incoming hooks are called: an outgoing hook
	 * with a url and no target_url posts nowhere. */
	m = json_member(obj, "url");
	if (m && cJSON_IsString(m) && *m->valuestring && !h->target_url &&
	    !(h->type && !strcmp(h->type, "in")))
		issue(L, m, 1, "url", "\"url\" is the address of incoming "
		      "hooks; an outgoing hook posts to target_url: did you "
		      "mean target_url?");
	return 0;
}

/* Issues in document order, so HD114 reports the first one first. */
static void sort_issues(struct hook *h)
{
	for (size_t i = 1; i < h->nschema_issues; i++) {
		struct schema_issue t = h->schema_issues[i];
		size_t j = i;

		while (j > 0 && (h->schema_issues[j - 1].line > t.line ||
				 (h->schema_issues[j - 1].line == t.line &&
				  h->schema_issues[j - 1].col > t.col))) {
			h->schema_issues[j] = h->schema_issues[j - 1];
			j--;
		}
		h->schema_issues[j] = t;
	}
}

/*
 * Duplicate member names. JSON leaves their meaning open (RFC 8259: names
 * SHOULD be unique) and parsers disagree: JavaScript, Python, PHP, Ruby
 * and Go keep the last, cJSON the first. hookdoctor keeps the last, so
 * its checks judge what most readers of the hook see, and HD114 names
 * every one dropped. They go into h->dropped, not freed, so no address
 * that h->pos knows is reused while the hook lives.
 */

struct member_ref {
	cJSON *node;
	size_t order;
};

static int member_cmp(const void *a, const void *b)
{
	const struct member_ref *x = a, *y = b;
	int c = strcmp(x->node->string, y->node->string);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The last member named like m after it, or NULL. */
static cJSON *last_twin(const cJSON *m)
{
	cJSON *last = NULL;

	for (cJSON *n = m->next; n; n = n->next)
		if (n->string && strcmp(n->string, m->string) == 0)
			last = n;
	return last;
}

/* Where tidy_members() is: a chain of members and array indexes up
 * to the hook, on the stack; made into a JSON path only when a duplicate
 * is found. */
struct place {
	const struct place *up;
	const char *key;        /* the member's name, or NULL: index */
	size_t index;
};

static void place_path(struct sbuf *b, const struct place *p)
{
	if (!p)
		return;
	place_path(b, p->up);
	if (p->key)
		sbuf_addf(b, "%s%s", b->len ? "." : "", p->key);
	else
		sbuf_addf(b, "[%zu]", p->index);
}

static void drop_member(struct loader *L, cJSON *obj, cJSON *m,
			const cJSON *kept, const struct place *at)
{
	struct hook *h = L->h;
	struct place self = {at, m->string, 0};
	struct sbuf where = {0}, mpath = {0};
	size_t before = h->nschema_issues;
	int line = 0, col = 0;

	place_path(&where, at);
	place_path(&mpath, &self);
	jsonpos_where_key(&h->pos, kept, &line, &col);
	issue(L, m, 1, mpath.s, "duplicate member \"%s\" (again at %d:%d): "
	      "JSON leaves open which one counts; hookdoctor, like most "
	      "parsers, uses the last", m->string, line, col);
	if (h->nschema_issues > before)
		h->schema_issues[before].hint = xasprintf(
			"keep one \"%s\" in %s (the value you mean) and delete "
			"the others", m->string, where.len ? where.s : "the hook");
	sbuf_free(&where);
	sbuf_free(&mpath);
	if (!h->dropped)
		h->dropped = cJSON_CreateArray();
	cJSON_AddItemToArray(h->dropped, cJSON_DetachItemViaPointer(obj, m));
}

/* Drops obj's members that a later one of the same name replaces. */
static void drop_duplicates(struct loader *L, cJSON *obj,
			    const struct place *at)
{
	size_t n = 0;

	for (cJSON *c = obj->child; c; c = c->next)
		n++;
	if (n > 1 && n <= 16) {
		/* few members (nearly every object of a hook): pairwise */
		for (cJSON *c = obj->child, *next; c; c = next) {
			const cJSON *kept = c->string ? last_twin(c) : NULL;

			next = c->next;
			if (kept)
				drop_member(L, obj, c, kept, at);
		}
	} else if (n > 16) {
		struct member_ref *refs = xmalloc(n * sizeof(*refs));
		size_t k = 0;

		for (cJSON *c = obj->child; c; c = c->next)
			if (c->string)
				refs[k] = (struct member_ref){c, k}, k++;
		qsort(refs, k, sizeof(*refs), member_cmp);
		for (size_t j = 0; j + 1 < k; j++) {
			size_t last = j;

			while (last + 1 < k && strcmp(refs[last + 1].node->string,
						      refs[j].node->string) == 0)
				last++;
			for (size_t d = j; d < last; d++)
				drop_member(L, obj, refs[d].node,
					    refs[last].node, at);
			j = last;
		}
		free(refs);
	}
}

/*
 * A \u0000 escape in a string is valid JSON, but cJSON's strings end at
 * the NUL it decodes to: hookdoctor would judge and render the text only
 * up to it, while Devopness keeps what follows. HD114 names each such
 * string. Looked for only in a hook whose text holds the escape at all.
 */

/* Does the string token at text[off] (its opening quote) hold \u0000? */
static bool token_has_nul_escape(const char *text, size_t len, size_t off)
{
	for (size_t i = off + 1; i < len && text[i] != '"'; i++) {
		if (text[i] != '\\')
			continue;
		if (i + 5 < len && text[i + 1] == 'u' &&
		    memcmp(text + i + 2, "0000", 4) == 0)
			return true;
		i++;    /* the escaped character */
	}
	return false;
}

static void nul_escape(struct loader *L, const cJSON *c,
		       const struct place *at)
{
	struct hook *h = L->h;
	struct sbuf path = {0};
	size_t before = h->nschema_issues, off;

	if (!jsonpos_offset(&h->pos, c, &off) ||
	    !token_has_nul_escape(h->pos.text, h->pos.len, off))
		return;
	place_path(&path, at);
	/* The text is not quoted: under a member named like a secret it
	 * may be one. */
	issue(L, c, 0, path.s, "a \\u0000 (NUL) escape: hookdoctor reads "
	      "this text only up to it (its first %zu bytes), while "
	      "Devopness keeps what follows", strlen(c->valuestring));
	if (h->nschema_issues > before)
		h->schema_issues[before].hint = xasprintf(
			"remove the \\u0000 from %s: no provider field needs "
			"a NUL", path.s);
	sbuf_free(&path);
}

/* Does the name of member c hold \u0000? Only blanks and the ':' stand
 * between its closing quote and c's value; its opening quote is the
 * first one before that which no backslash escapes. */
static bool name_has_nul_escape(const struct hook *h, const cJSON *c)
{
	const char *t = h->pos.text;
	size_t off, p;

	if (!jsonpos_offset(&h->pos, c, &off))
		return false;
	while (off > 0 && t[off - 1] != '"')
		off--;
	if (off-- == 0)
		return false;
	for (p = off; p-- > 0;) {
		size_t bs = 0;

		if (t[p] != '"')
			continue;
		while (bs < p && t[p - 1 - bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			return token_has_nul_escape(t, h->pos.len, p);
	}
	return false;
}

static void nul_escape_in_name(struct loader *L, const cJSON *c,
			       const struct place *at)
{
	struct hook *h = L->h;
	struct sbuf path = {0};
	size_t before = h->nschema_issues;

	if (!name_has_nul_escape(h, c))
		return;
	place_path(&path, at);
	issue(L, c, 1, path.s, "a \\u0000 (NUL) escape in this member's "
	      "name: hookdoctor reads the name only up to it (\"%s\"), while "
	      "Devopness keeps the whole name, one it does not know",
	      c->string);
	if (h->nschema_issues > before)
		h->schema_issues[before].hint = xasprintf(
			"remove the \\u0000 from the name of %s: no field's "
			"name holds a NUL", path.s);
	sbuf_free(&path);
}

/* One walk of the hook's tree before it is loaded: in every object, the
 * members a later one of the same name replaces are dropped; with nuls,
 * every string and member name is looked at for a \u0000 escape. at:
 * where obj is (NULL: the hook itself). */
static void tidy_members(struct loader *L, cJSON *obj, const struct place *at,
			 bool nuls)
{
	size_t i = 0;

	if (cJSON_IsObject(obj))
		drop_duplicates(L, obj, at);
	for (cJSON *c = obj->child; c; c = c->next, i++) {
		struct place here = {at, cJSON_IsObject(obj) ? c->string : NULL, i};

		if (nuls && here.key)
			nul_escape_in_name(L, c, &here);
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			tidy_members(L, c, &here, nuls);
		else if (nuls && cJSON_IsString(c))
			nul_escape(L, c, &here);
	}
}

/* Does text[0..len) hold the six bytes \u0000 anywhere? */
static bool has_nul_escape(const char *text, size_t len)
{
	for (const char *p = text; (p = memchr(p, '\\', len - (size_t)(p - text)));
	     p++)
		if ((size_t)(p - text) + 6 <= len && memcmp(p, "\\u0000", 6) == 0)
			return true;
	return false;
}

static char *make_source(const char *fname, int index)
{
	if (!strcmp(fname, "<stdin>"))
		return xasprintf("stdin#%d", index);
	/* a name with a scheme (an API client's "api:...") is kept as is */
	if (!strncmp(fname, "api:", 4) || strstr(fname, "://"))
		return xasprintf("%s#%d", fname, index);
	return xasprintf("file:%s#%d", fname, index);
}

static int hook_build(cJSON *obj, struct jsonpos *pos, const char *fname,
		      int index, const char *prefix, struct hook *h,
		      struct hd_error *err, enum build_mode mode)
{
	bool validate_only = mode == BUILD_VALIDATE;
	struct loader L = {h, fname, prefix, err, 0, validate_only,
			   mode != BUILD_LEARNED};

	memset(h, 0, sizeof(*h));
	h->index = index;
	h->json = obj;
	h->pos = *pos;
	memset(pos, 0, sizeof(*pos)); /* moved into h */
	h->source = make_source(fname, index);
	h->file = xstrdup(fname);
	h->active = h->verify_ssl = -1;
	jsonpos_where(&h->pos, obj, &h->line, &h->col);
	if (cJSON_IsObject(obj))
		tidy_members(&L, obj, NULL, !validate_only && h->pos.text &&
			     h->pos.len > h->pos.base &&
			     has_nul_escape(h->pos.text + h->pos.base,
					    h->pos.len - h->pos.base));
	if (load_hook(&L, obj) < 0) {
		hook_free(h);
		return -1;
	}
	sort_issues(h);
	return 0;
}

int hook_from_json(cJSON *obj, struct jsonpos *pos, const char *fname,
		   int index, struct hook *h, struct hd_error *err)
{
	return hook_build(obj, pos, fname, index, "", h, err, BUILD_FULL);
}

/* Trims the whitespace after a validated document. */
static size_t doc_end(const char *text, size_t len)
{
	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' ||
			   text[len - 1] == '\r' || text[len - 1] == '\n'))
		len--;
	return len;
}

static int input_open(struct hook_input *in, struct hd_error *err);

int hook_input_open(struct hook_input *in, const char *path,
		    struct hd_error *err)
{
	memset(in, 0, sizeof(*in));
	in->fname = xstrdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
	in->text = read_file_all(path, &in->len, err);
	if (!in->text) {
		hook_input_close(in);
		return -1;
	}
	return input_open(in, err);
}

int hook_input_open_text(struct hook_input *in, char *text, size_t len,
			 const char *fname, struct hd_error *err)
{
	memset(in, 0, sizeof(*in));
	in->fname = xstrdup(fname);
	in->text = text;
	in->len = len;
	return input_open(in, err);
}

/* Validates in->text and finds its hooks; closes in on failure. */
static int input_open(struct hook_input *in, struct hd_error *err)
{
	struct jsonpos_mark m;
	size_t i;
	long n, split;

	split = jsonpos_validate_threads(in->text, in->len, in->fname, err,
					 cpu_count(),
					 HOOK_MAX_COUNT, &in->starts,
					 &in->ends);
	if (split < 0)
		goto fail;
	jsonpos_mark_init(&m, in->text, in->len);
	i = m.off;
	while (i < in->len && (in->text[i] == ' ' || in->text[i] == '\t' ||
			       in->text[i] == '\r' || in->text[i] == '\n'))
		i++;
	jsonpos_mark_advance(&m, in->text, i);
	switch (in->text[i]) {
	case '[':
		/* the threads' split, or the same from one pass now */
		n = split > 0 ? split :
		    jsonpos_array_elements(in->text, in->len, &in->starts,
					   &in->ends, HOOK_MAX_COUNT);
		if (n <= 0) {
			hd_error_set(err, "%s:%d:%d: no hooks in %s: the array "
				     "is empty", in->fname, m.line,
				     (int)(i - m.line_off) + 1, in->fname);
			goto fail;
		}
		if (n > HOOK_MAX_COUNT) {
			int line, col;

			jsonpos_linecol(in->text, in->starts[HOOK_MAX_COUNT],
					&line, &col);
			hd_error_set(err, "%s:%d:%d: hook [%d] is one too many: "
				     "hookdoctor reads up to %d hooks a file "
				     "(split it into several)", in->fname, line,
				     col, HOOK_MAX_COUNT, HOOK_MAX_COUNT);
			goto fail;
		}
		in->count = n;
		in->is_array = 1;
		break;
	case '{':
		in->starts = xmalloc(sizeof(*in->starts));
		in->ends = xmalloc(sizeof(*in->ends));
		in->starts[0] = i;
		in->ends[0] = doc_end(in->text, in->len);
		in->count = 1;
		break;
	case '"':
		hd_error_set(err, "%s:%d:%d: the hook is a JSON string, not an "
			     "object — a body pasted as a string? remove the "
			     "outer quotes/escaping", in->fname, m.line,
			     (int)(i - m.line_off) + 1);
		goto fail;
	default:
		hd_error_set(err, "%s:%d:%d: expected a hook object or an "
			     "array of hooks, found %s", in->fname, m.line,
			     (int)(i - m.line_off) + 1,
			     in->text[i] == 'n' ? "null" :
			     in->text[i] == 't' || in->text[i] == 'f' ?
			     "a boolean" : "a number");
		goto fail;
	}
	for (long k = 0; k < in->count; k++)
		if (in->ends[k] - in->starts[k] > HOOK_MAX_BYTES) {
			char what[32] = "the hook";
			int line, col;

			if (in->is_array)
				snprintf(what, sizeof(what), "hook [%ld]", k);
			jsonpos_linecol(in->text, in->starts[k], &line, &col);
			hd_error_set(err, "%s:%d:%d: %s is %zu bytes: hookdoctor "
				     "reads hooks of up to %d KiB (a commit-status "
				     "hook is about 1 KiB)", in->fname, line, col,
				     what, in->ends[k] - in->starts[k],
				     HOOK_MAX_BYTES / 1024);
			goto fail;
		}
	jsonpos_mark_init(&in->mark, in->text, in->len);
	return 0;
fail:
	hook_input_close(in);
	return -1;
}

/* The path prefix of hook i's messages: "[i]." in an array, else "". */
static void element_prefix(const struct hook_input *in, long i,
			   char prefix[32])
{
	prefix[0] = '\0';
	if (in->is_array)
		snprintf(prefix, 32, "[%ld].", i);
}

int hook_input_load(const struct hook_input *in, long i,
		    const struct jsonpos_mark *at, struct hook *h,
		    struct hd_error *err)
{
	struct jsonpos pos;
	char prefix[32];
	cJSON *root;

	/* in->text was validated as a whole when it was opened */
	root = jsonpos_parse_valid_at(in->text, at, in->ends[i], in->fname,
				      &pos, err);
	if (!root)
		return -1;
	element_prefix(in, i, prefix);
	return hook_build(root, &pos, in->fname, (int)i, prefix, h, err,
			  in->learned ? BUILD_LEARNED : BUILD_FULL);
}

int hook_input_next(struct hook_input *in, struct hook *h,
		    struct hd_error *err)
{
	long i = in->next;

	if (i >= in->count)
		return 0;
	/* The caller may rewind in->next: count lines from the top again. */
	if (in->mark.off > in->starts[i])
		jsonpos_mark_init(&in->mark, in->text, in->len);
	jsonpos_mark_advance(&in->mark, in->text, in->starts[i]);
	if (hook_input_load(in, i, &in->mark, h, err) < 0)
		return -1;
	in->next++;
	return 1;
}

/* Whether hook i loads, without positions (fast). Reads `in` only. */
static bool loads(const struct hook_input *in, long i)
{
	cJSON *root = jsonpos_tree_valid(in->text, in->starts[i], in->ends[i]);
	struct jsonpos pos = {0};
	struct hd_error err;
	struct hook h;
	char prefix[32];

	if (!root)
		return false;
	element_prefix(in, i, prefix);
	pos.text = in->text;
	pos.len = in->len;
	if (hook_build(root, &pos, in->fname, (int)i, prefix, &h, &err,
		       BUILD_VALIDATE) < 0)
		return false;
	hook_free(&h);
	return true;
}

/* The validation's threads take VALIDATE_CHUNK hooks at a time and keep
 * the lowest index that does not load, so the message is the one a
 * single thread would give. */
#define VALIDATE_CHUNK 64
#define VALIDATE_THREADS 8

struct validation {
	const struct hook_input *in;
	pthread_mutex_t lock;
	long next;              /* first hook not yet taken */
	long bad;               /* lowest unusable hook so far, or count */
};

static void *validate_some(void *arg)
{
	struct validation *v = arg;

	for (;;) {
		long from, to;

		pthread_mutex_lock(&v->lock);
		from = v->next;
		/* Past an unusable hook nothing more is worth loading. */
		if (from >= v->bad)
			from = v->in->count;
		v->next = from + VALIDATE_CHUNK;
		pthread_mutex_unlock(&v->lock);
		if (from >= v->in->count)
			return NULL;
		to = from + VALIDATE_CHUNK < v->in->count ?
		     from + VALIDATE_CHUNK : v->in->count;
		for (long i = from; i < to; i++)
			if (!loads(v->in, i)) {
				pthread_mutex_lock(&v->lock);
				if (i < v->bad)
					v->bad = i;
				pthread_mutex_unlock(&v->lock);
				break;
			}
	}
}

int hook_input_validate(struct hook_input *in, struct hd_error *err)
{
	struct validation v = {in, PTHREAD_MUTEX_INITIALIZER, 0, in->count};
	int cpus = cpu_count();
	struct hook h;

	/* The calling thread validates too; others help with many hooks. */
	run_threads(in->count > 2 * VALIDATE_CHUNK ?
		    (cpus < VALIDATE_THREADS ? cpus : VALIDATE_THREADS) : 1,
		    validate_some, &v);
	pthread_mutex_destroy(&v.lock);
	in->next = 0;
	if (v.bad >= in->count) {
		in->learned = true;
		return 0;
	}
	/* Load that hook again with positions, for the message. */
	in->next = v.bad;
	if (hook_input_next(in, &h, err) == 1) {
		hook_free(&h);
		hd_error_set(err, "%s: hook %ld cannot be loaded", in->fname,
			     v.bad);
	}
	in->next = 0;
	return -1;
}

void hook_input_close(struct hook_input *in)
{
	free(in->fname);
	free(in->text);
	free(in->starts);
	free(in->ends);
	memset(in, 0, sizeof(*in));
}

const struct hd_header *hook_header(const struct hook *h, const char *name)
{
	for (size_t i = 0; i < h->nheaders; i++)
		if (h->headers[i].name &&
		    ascii_casecmp(h->headers[i].name, name) == 0)
			return &h->headers[i];
	return NULL;
}

void hook_free(struct hook *h)
{
	if (!h)
		return;
	free(h->source);
	free(h->file);
	free(h->id);
	free(h->name);
	free(h->type);
	free(h->target_url);
	free(h->pipeline_id);
	for (size_t i = 0; i < h->nheaders; i++) {
		free(h->headers[i].name);
		free(h->headers[i].value);
	}
	free(h->headers);
	for (size_t i = 0; i < h->nevents; i++)
		free(h->events[i]);
	free(h->events);
	for (size_t i = 0; i < h->nconds; i++) {
		for (size_t k = 0; k < h->conds[i].nvalues; k++)
			free(h->conds[i].values[k]);
		free(h->conds[i].values);
		free(h->conds[i].path);
	}
	free(h->conds);
	for (size_t i = 0; i < h->nschema_issues; i++) {
		free(h->schema_issues[i].path);
		free(h->schema_issues[i].message);
		free(h->schema_issues[i].hint);
	}
	free(h->schema_issues);
	cJSON_Delete(h->json);
	cJSON_Delete(h->dropped);
	jsonpos_free(&h->pos);
	memset(h, 0, sizeof(*h));
}
