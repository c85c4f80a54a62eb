/*
 * vars.c - the variable context templates are rendered with.
 *
 * A context is one cJSON tree {"action", "application", "pipeline",
 * "environment", "project"}: the built-in sample deploy action (below), or
 * a real action that the Devopness client puts in root. --var overrides
 * land in the same tree. Lookups walk the tree without allocating (only an
 * object or array value is printed, into v->scratch).
 *
 * The known-variable list is generated (vars_table.c, tools/gen-vars.py);
 * this file only searches it. It must never hold a real token: the secret
 * variable renders to VARS_TOKEN_PLACEHOLDER.
 *
 * The sample is modelled on the documented set-up (devopness-guide-commit-
 * statuses.md): a deploy of an application on GitHub, started by an
 * incoming hook, so hook_parsed_variables.commit_hash and
 * action_data.commit.hash hold the same commit. Its commit message holds
 * quotes, a backslash, a newline and non-ASCII text on purpose: a body kept
 * as a string template must survive them (HD204). Every value sits at a
 * path of the Action/Application/Pipeline/Environment/Project schemas or of
 * the documented extensions (hook_parsed_variables, source_provider).
 */
#include "vars.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"

/* ---- the sample action ---------------------------------------------- */

struct sample_spec {
	int id;
	const char *hash;
	const char *hook_request_id;
	const char *release;
	const char *created, *started, *completed, *committed;
};

/* which = 0 and which = 1: two deploys of the same application. */
static const struct sample_spec sample_specs[2] = {
	{ 123456, "9f2c4e1a7b3d5f60812c4a9e6b0d3f57a1c8e2b4",
	  "6fa16226-9dc4-4367-88aa-e689ad2bc580", "2024-05-14-09-30-12",
	  "2024-05-14T09:30:12.000000Z", "2024-05-14T09:30:19.000000Z",
	  "2024-05-14T09:32:41.000000Z", "2024-05-14T09:28:57.000000Z" },
	{ 123457, "3b8d0f6e2a4c7915d0e3f8a6c2b5e9d1047f6a3c",
	  "0369a338-10f0-48d0-aa2d-80d1ce14e91e", "2024-05-15-16-02-44",
	  "2024-05-15T16:02:44.000000Z", "2024-05-15T16:02:50.000000Z",
	  "2024-05-15T16:05:03.000000Z", "2024-05-15T16:01:30.000000Z" },
};

#define SAMPLE_PIPELINE_ID 4321
#define SAMPLE_APPLICATION_ID 7788
#define SAMPLE_ENVIRONMENT_ID 5512
#define SAMPLE_PROJECT_ID 2207
#define SAMPLE_HOOK_ID "28623d9b-0f34-48d7-b5ab-9ed281dc5a6c"

static const char sample_message[] =
	"fix: handle \"quoted\" names\\ in caf\xc3\xa9\nSecond line";

/* Per status: human-readable text and ActionStatusReasonCode. */
static const struct {
	const char *human, *reason, *reason_human;
} status_text[ST_COUNT] = {
	[ST_PENDING] = { "Pending", "PENDING", "Pending: Action created "
		"successfully but has not yet been queued for execution." },
	[ST_WAITING] = { "Waiting", "WAITING_CONCURRENCY_PIPELINE",
		"Waiting: another action of this pipeline is running." },
	[ST_SKIPPED] = { "Skipped", "SKIPPED", "Skipped: Action was "
		"skipped." },
	[ST_QUEUED] = { "Queued", "QUEUED", "Queued: Action is waiting in "
		"the execution queue." },
	[ST_IN_PROGRESS] = { "In progress", "IN_PROGRESS", "In progress: "
		"Action is being executed." },
	[ST_COMPLETED] = { "Completed", "COMPLETED", "Completed: Action "
		"completed successfully." },
	[ST_FAILED] = { "Failed", "FAILED", "Failed: Action failed." },
};

static cJSON *obj(cJSON *parent, const char *key)
{
	return xneed(cJSON_AddObjectToObject(parent, key));
}

static void str(cJSON *o, const char *key, const char *val)
{
	xneed(cJSON_AddStringToObject(o, key, val));
}

static void num(cJSON *o, const char *key, double val)
{
	xneed(cJSON_AddNumberToObject(o, key, val));
}

static void null(cJSON *o, const char *key)
{
	xneed(cJSON_AddNullToObject(o, key));
}

static cJSON *build_sample(int which)
{
	const struct sample_spec *sp = &sample_specs[which ? 1 : 0];
	cJSON *root = xneed(cJSON_CreateObject());
	cJSON *a, *data, *commit, *dep, *tf, *hpv, *o, *app, *sprov;
	char buf[160];

	a = obj(root, "action");
	num(a, "id", sp->id);
	num(a, "pipeline_id", SAMPLE_PIPELINE_ID);
	null(a, "retry_of");
	/* status, status_* , started_at, completed_at: vars_set_status() */
	str(a, "type", "deploy");
	str(a, "type_human_readable", "Deploy");
	snprintf(buf, sizeof(buf), "https://app.devopness.com/actions/%d",
		 sp->id);
	str(a, "url_web_permalink", buf);
	null(a, "trigger_comment");

	data = obj(a, "action_data");
	str(data, "release_name", sp->release);
	commit = obj(data, "commit");
	str(commit, "repository", "acme/shop-api");
	str(commit, "author_name", "Ana Lima");
	str(commit, "author_email", "ana.lima@example.com");
	str(commit, "committed_at", sp->committed);
	str(commit, "hash", sp->hash);
	str(commit, "message", sample_message);
	snprintf(buf, sizeof(buf), "https://github.com/acme/shop-api/commit/%s",
		 sp->hash);
	str(commit, "url", buf);
	dep = obj(data, "deployment");
	str(dep, "type", "deploy");
	str(dep, "source_type", "commit");
	str(dep, "source_ref", sp->hash);
	str(dep, "repository", "acme/shop-api");
	str(dep, "provider_name", "github");
	num(dep, "pipeline_id", SAMPLE_PIPELINE_ID);

	tf = obj(a, "triggered_from");
	null(tf, "origin");
	str(tf, "trigger_type", "hook");
	str(tf, "name", "shop-api push to main");
	null(tf, "email");
	str(tf, "ip_address", "140.82.115.10");
	null(tf, "user_id");
	str(tf, "hook_id", SAMPLE_HOOK_ID);
	str(tf, "hook_request_id", sp->hook_request_id);
	/* The variables the incoming hook parsed (documented by the guides,
	 * not in the schema): what the documented set-up relies on. No
	 * pull_request_*: a push to main is not a pull request, so a
	 * template that needs them is told (HD203) that they can be empty. */
	hpv = obj(tf, "hook_parsed_variables");
	str(hpv, "commit_hash", sp->hash);
	num(hpv, "pipeline_id", SAMPLE_PIPELINE_ID);
	str(hpv, "branch", "main");

	o = obj(a, "resource");
	num(o, "id", SAMPLE_APPLICATION_ID);
	str(o, "type", "application");
	str(o, "type_human_readable", "Application");
	o = obj(a, "environment");
	num(o, "id", SAMPLE_ENVIRONMENT_ID);
	str(o, "type", "production");
	str(o, "name", "production");
	o = obj(a, "project");
	num(o, "id", SAMPLE_PROJECT_ID);
	str(o, "name", "Acme");
	str(a, "created_at", sp->created);
	str(a, "updated_at", sp->created);

	app = obj(root, "application");
	num(app, "id", SAMPLE_APPLICATION_ID);
	num(app, "project_id", SAMPLE_PROJECT_ID);
	num(app, "environment_id", SAMPLE_ENVIRONMENT_ID);
	str(app, "name", "shop-api");
	str(app, "repository", "acme/shop-api");
	str(app, "repository_owner", "acme");
	str(app, "repository_name", "shop-api");
	str(app, "default_branch", "main");
	/* Documented by the guides, not in the schema. Never a real token. */
	sprov = obj(app, "source_provider");
	str(sprov, "access_token", VARS_TOKEN_PLACEHOLDER);

	o = obj(root, "pipeline");
	num(o, "id", SAMPLE_PIPELINE_ID);
	str(o, "name", "Deploy shop-api");
	num(o, "environment_id", SAMPLE_ENVIRONMENT_ID);
	num(o, "project_id", SAMPLE_PROJECT_ID);
	str(o, "resource_type", "application");
	num(o, "resource_id", SAMPLE_APPLICATION_ID);
	str(o, "operation", "deploy");
	str(o, "operation_human_readable", "Deploy");

	o = obj(root, "environment");
	num(o, "id", SAMPLE_ENVIRONMENT_ID);
	str(o, "type", "production");
	str(o, "name", "production");

	o = obj(root, "project");
	num(o, "id", SAMPLE_PROJECT_ID);
	str(o, "name", "Acme");
	return root;
}

/* An object that owns one node per member and shares the members' values
 * with proto: strings by reference, objects and arrays by reference to
 * proto's children, keys as constants. proto must outlive the copy (the
 * sample prototypes live as long as the process). */
static cJSON *shallow_copy(const cJSON *proto)
{
	cJSON *o = xneed(cJSON_CreateObject());

	for (const cJSON *c = proto->child; c; c = c->next) {
		cJSON *n;

		if (cJSON_IsObject(c))
			n = cJSON_CreateObjectReference(c->child);
		else if (cJSON_IsArray(c))
			n = cJSON_CreateArrayReference(c->child);
		else if (cJSON_IsString(c))
			n = cJSON_CreateStringReference(c->valuestring);
		else
			n = cJSON_Duplicate(c, 0);	/* number, bool, null */
		cJSON_AddItemToObjectCS(o, c->string, xneed(n));
	}
	return o;
}

static cJSON *proto[2];

static void build_protos(void)
{
	proto[0] = build_sample(0);
	proto[1] = build_sample(1);
}

struct vars *vars_sample(enum hd_status status, int which)
{
	/* The two sample trees are built once; each call gets a tree that
	 * owns its root and its action's members and shares everything
	 * below them with the prototype (cJSON references). That is ~30
	 * nodes instead of ~90 copied nodes and strings, on each of the
	 * ~70,000 calls of a 10,000-hook run. vars_set_status() only
	 * changes the action's own members; vars_set() unshares what it
	 * walks into. The prototypes are constants once built and are never
	 * freed (still reachable at exit). `check` analyses hooks on several
	 * threads, and the second sample was first asked for by two of them
	 * at once: the prototypes are built under pthread_once. */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct vars *v = xcalloc(1, sizeof(*v));
	int w = which ? 1 : 0;

	pthread_once(&once, build_protos);
	v->root = xneed(cJSON_CreateObject());
	for (const cJSON *c = proto[w]->child; c; c = c->next)
		cJSON_AddItemToObjectCS(v->root, c->string,
					strcmp(c->string, "action") == 0 ?
					shallow_copy(c) :
					xneed(cJSON_CreateObjectReference(
						c->child)));
	v->sample = &sample_specs[w];
	vars_set_status(v, status);
	return v;
}

/* ---- tree access ---------------------------------------------------- */

static cJSON *child(const cJSON *o, const char *key, size_t keylen)
{
	if (cJSON_IsObject(o)) {
		/* The first byte first: most members differ there. */
		char first = keylen ? key[0] : '\0';

		for (cJSON *c = o->child; c; c = c->next)
			if (c->string && c->string[0] == first &&
			    strncmp(c->string, key, keylen) == 0 &&
			    c->string[keylen] == '\0')
				return c;
	} else if (cJSON_IsArray(o) && keylen > 0 && keylen < 10) {
		size_t idx = 0;

		for (size_t i = 0; i < keylen; i++) {
			if (key[i] < '0' || key[i] > '9')
				return NULL;
			idx = idx * 10 + (size_t)(key[i] - '0');
		}
		for (cJSON *c = o->child; c; c = c->next, idx--)
			if (idx == 0)
				return c;
	}
	return NULL;
}

/* The node at a dotted path of len bytes, or NULL. */
static cJSON *node_at(const cJSON *root, const char *path, size_t len)
{
	const cJSON *cur = root;
	size_t i = 0;

	if (!root || len == 0)
		return NULL;
	while (cur && i <= len) {
		const char *dot = memchr(path + i, '.', len - i);
		size_t seg = dot ? (size_t)(dot - (path + i)) : len - i;

		cur = child(cur, path + i, seg);
		if (!dot)
			return (cJSON *)cur;
		i += seg + 1;
	}
	return NULL;
}

static cJSON *node(const cJSON *root, const char *path)
{
	return node_at(root, path, strlen(path));
}

/* Replaces (or adds) key in o with item; o must be an object. */
static void put(cJSON *o, const char *key, cJSON *item)
{
	xneed(item);
	if (json_member(o, key))
		cJSON_ReplaceItemInObjectCaseSensitive(o, key, item);
	else
		cJSON_AddItemToObject(o, key, item);
}

static void put_str(cJSON *o, const char *key, const char *val)
{
	cJSON *cur = json_member(o, key);

	if (cJSON_IsString(cur) && strcmp(cur->valuestring, val) == 0)
		return;
	put(o, key, cJSON_CreateString(val));
}

/* Sets o.key to a string that outlives the tree (a constant), in place
 * when the member is a scalar: switching statuses then allocates nothing.
 * Only a missing member is added (key must be a constant too). */
static void put_const_str(cJSON *o, const char *key, const char *val)
{
	cJSON *cur = json_member(o, key);

	if (!cur) {
		cJSON_AddItemToObjectCS(o, key,
					xneed(cJSON_CreateStringReference(val)));
		return;
	}
	if (cJSON_IsObject(cur) || cJSON_IsArray(cur) || cJSON_IsRaw(cur)) {
		put(o, key, cJSON_CreateStringReference(val));
		return;
	}
	if (cJSON_IsString(cur) && !(cur->type & cJSON_IsReference))
		cJSON_free(cur->valuestring);
	cur->valuestring = (char *)val;
	cur->type = cJSON_String | cJSON_IsReference |
		    (cur->type & cJSON_StringIsConst);
}

static void put_null(cJSON *o, const char *key)
{
	cJSON *cur = json_member(o, key);

	if (cJSON_IsNull(cur))
		return;
	if (cJSON_IsString(cur)) {
		if (!(cur->type & cJSON_IsReference))
			cJSON_free(cur->valuestring);
		cur->valuestring = NULL;
		cur->type = cJSON_NULL | (cur->type & cJSON_StringIsConst);
		return;
	}
	put(o, key, cJSON_CreateNull());
}

/* Timestamps that agree with the status: started once it left
 * pending/queued, completed once it finished. The strings are copied
 * unless they are constants. */
static void set_times(cJSON *a, bool started, bool finished, bool constant,
		      const char *created, const char *started_at,
		      const char *completed_at)
{
	void (*set)(cJSON *, const char *, const char *) =
		constant ? put_const_str : put_str;

	if (started)
		set(a, "started_at", started_at);
	else
		put_null(a, "started_at");
	if (finished)
		set(a, "completed_at", completed_at);
	else
		put_null(a, "completed_at");
	set(a, "updated_at", finished ? completed_at :
	    started ? started_at : created);
}

void vars_set_status(struct vars *v, enum hd_status status)
{
	cJSON *a = v ? json_member(v->root, "action")
		     : NULL;
	bool started, finished;

	if (!cJSON_IsObject(a) || status < 0 || status >= ST_COUNT)
		return;
	put_const_str(a, "status", hd_status_name[status]);
	put_const_str(a, "status_human_readable", status_text[status].human);
	put_const_str(a, "status_reason_code", status_text[status].reason);
	put_const_str(a, "status_reason_human_readable",
		      status_text[status].reason_human);

	started = status == ST_IN_PROGRESS || status == ST_COMPLETED ||
		  status == ST_FAILED;
	finished = status == ST_COMPLETED || status == ST_FAILED;
	if (v->sample) {
		set_times(a, started, finished, true, v->sample->created,
			  v->sample->started, v->sample->completed);
	} else {
		/* A real action: keep its own times where it has them. */
		const cJSON *c = json_member(a,
								 "created_at");
		const cJSON *s = json_member(a,
								 "started_at");
		const cJSON *f = json_member(a,
								 "completed_at");
		const char *ct = cJSON_IsString(c) ? c->valuestring : "";
		const char *st = cJSON_IsString(s) ? s->valuestring : ct;
		const char *ft = cJSON_IsString(f) ? f->valuestring : st;
		char *cs = xstrdup(ct), *ss = xstrdup(st), *fs = xstrdup(ft);

		set_times(a, started, finished, false, cs, ss, fs);
		free(cs);
		free(ss);
		free(fs);
	}
}

/* ---- --var ---------------------------------------------------------- */

static bool valid_path(const char *p, size_t n)
{
	bool seg_empty = true;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == '.') {
			if (seg_empty)
				return false;
			seg_empty = true;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '_' || c == '-') {
			seg_empty = false;
		} else {
			return false;
		}
	}
	return !seg_empty;
}

/* Formats a number the way templates render it: integral values without a
 * fraction, others with the shortest text that reads back the same. */
static const char *format_number(double d, char *buf, size_t bufsz)
{
	/* No libm: the range test comes first so the cast is defined. */
	if (d > -1e15 && d < 1e15 && d == (double)(long long)d) {
		snprintf(buf, bufsz, "%lld", (long long)d);
	} else {
		snprintf(buf, bufsz, "%.15g", d);
		if (strtod(buf, NULL) != d)
			snprintf(buf, bufsz, "%.17g", d);
	}
	return buf;
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return false;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* The JSON value of --var text: true/false/null, a number when it renders
 * back to exactly the text given (so "1.50" or "007" stay strings and a
 * template shows what the user typed), else a string. */
static cJSON *parse_value(const char *s)
{
	char buf[64];

	if (strcmp(s, "true") == 0)
		return cJSON_CreateTrue();
	if (strcmp(s, "false") == 0)
		return cJSON_CreateFalse();
	if (strcmp(s, "null") == 0)
		return cJSON_CreateNull();
	if (json_number(s)) {
		double d = strtod(s, NULL);

		if (isfinite(d) &&
		    strcmp(format_number(d, buf, sizeof(buf)), s) == 0)
			return cJSON_CreateNumber(d);
	}
	return cJSON_CreateString(s);
}

int vars_set(struct vars *v, const char *assignment, struct hd_error *err)
{
	const char *eq = strchr(assignment, '=');
	size_t plen, i = 0;
	cJSON *cur;

	if (!eq) {
		hd_error_set(err, "--var '%s': expected path=value "
			     "(e.g. action.id=42)", assignment);
		return -1;
	}
	plen = (size_t)(eq - assignment);
	if (!valid_path(assignment, plen)) {
		hd_error_set(err, "--var '%s': '%.*s' is not a dotted variable "
			     "path (segments of letters, digits, '_' and '-')",
			     assignment, (int)plen, assignment);
		return -1;
	}
	if (!v->root)
		v->root = xneed(cJSON_CreateObject());
	cur = v->root;
	for (;;) {
		const char *seg = assignment + i;
		const char *dot = memchr(seg, '.', plen - i);
		size_t seglen = dot ? (size_t)(dot - seg) : plen - i;
		char *key = xstrndup(seg, seglen);
		cJSON *next = json_member(cur, key);

		if (!dot) {
			put(cur, key, parse_value(eq + 1));
			free(key);
			return 0;
		}
		if (!next) {
			next = xneed(cJSON_AddObjectToObject(cur, key));
		} else if (cJSON_IsObject(next) &&
			   (next->type & cJSON_IsReference)) {
			/* Shared with the sample prototype: own it first. */
			cJSON *own = shallow_copy(next);

			put(cur, key, own);
			next = own;
		} else if (!cJSON_IsObject(next)) {
			hd_error_set(err, "--var '%s': '%.*s' holds a value, "
				     "not an object, so '%.*s' cannot be set",
				     assignment, (int)(seg + seglen -
						       assignment),
				     assignment, (int)plen, assignment);
			free(key);
			return -1;
		}
		free(key);
		cur = next;
		i += seglen + 1;
	}
}

/* ---- lookup --------------------------------------------------------- */

static const char *node_text(struct vars *v, const cJSON *n)
{
	if (cJSON_IsString(n))
		return n->valuestring;
	if (cJSON_IsNumber(n))
		return format_number(n->valuedouble, v->buf, sizeof(v->buf));
	if (cJSON_IsTrue(n))
		return "true";
	if (cJSON_IsFalse(n))
		return "false";
	if (cJSON_IsNull(n))
		return "";
	if (cJSON_IsObject(n) || cJSON_IsArray(n)) {
		free(v->scratch);
		v->scratch = xneed(cJSON_PrintUnformatted(n));
		return v->scratch;
	}
	return NULL;
}

const char *vars_lookup(void *vp, const char *path, size_t pathlen)
{
	struct vars *v = vp;
	const cJSON *n;

	if (!v || !path)
		return NULL;
	n = node_at(v->root, path, pathlen);
	return n ? node_text(v, n) : NULL;
}

const cJSON *vars_at(const struct vars *v, const char *path)
{
	return v && path ? node(v->root, path) : NULL;
}

/* ---- the known variables -------------------------------------------- */

/* strcmp(entry, a[0..alen) + b) without building the right-hand side. */
static int cmp_joined(const char *entry, const char *a, size_t alen,
		      const char *b)
{
	size_t i = 0;

	for (; i < alen; i++) {
		unsigned char e = (unsigned char)entry[i];
		unsigned char c = (unsigned char)a[i];

		if (e != c)
			return e < c ? -1 : 1;
	}
	return strcmp(entry + i, b);
}

/* The table entry equal to a[0..alen) + b, or NULL. */
static const char *table_find(const char *a, size_t alen, const char *b)
{
	unsigned long lo = 0, hi = vars_table_len;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		int c = cmp_joined(vars_table[mid], a, alen, b);

		if (c == 0)
			return vars_table[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool vars_known(const char *path)
{
	size_t len;

	if (!path)
		return false;
	len = strlen(path);
	if (table_find(path, len, ""))
		return true;
	/* Any ancestor that is an open map ("prefix.*") accepts the path. */
	for (size_t i = len; i > 0; i--)
		if (path[i - 1] == '.' && i < len && table_find(path, i, "*"))
			return true;
	return false;
}

/* Offset of the n-th '.' (1-based) in s, or strlen(s) when fewer. */
static size_t nth_dot(const char *s, size_t n)
{
	size_t i = 0;

	for (; s[i]; i++)
		if (s[i] == '.' && --n == 0)
			return i;
	return i;
}

static const char *const roots[] = {
	"action", "application", "environment", "pipeline", "project",
};

const char *vars_suggest(const char *path)
{
	const char *dot, *root = NULL, *best = NULL;
	char *fixed = NULL;
	const char *want;
	size_t rootlen, len;
	int cap, best_d;

	if (!path || !*path)
		return NULL;
	dot = strchr(path, '.');
	rootlen = dot ? (size_t)(dot - path) : strlen(path);
	/* A typo in the first segment ("actoin.id"): repair it first, then
	 * look only among that root's variables. */
	for (size_t r = 0; r < sizeof(roots) / sizeof(roots[0]); r++) {
		char *seg = xstrndup(path, rootlen);
		int d = edit_distance(seg, roots[r], 2);

		free(seg);
		if (d == 0) {
			root = roots[r];
			break;
		}
		if (d <= 2 && !root)
			root = roots[r];
	}
	if (!root)
		return NULL;
	fixed = xasprintf("%s%s", root, dot ? dot : "");
	want = fixed;
	len = strlen(want);
	/* Proportional cap: one edit per five characters, 2 to 5. */
	cap = (int)(len / 5);
	cap = cap < 2 ? 2 : cap > 5 ? 5 : cap;
	best_d = cap + 1;
	for (unsigned long i = 0; i < vars_table_len; i++) {
		const char *e = vars_table[i];
		size_t elen = strlen(e), rl = strlen(root);
		int d;

		if (strncmp(e, root, rl) != 0 || e[rl] != '.')
			continue;
		if (elen >= 2 && strcmp(e + elen - 2, ".*") == 0) {
			/* An open map: compare as many leading segments of
			 * the path as the map has, and offer the map. */
			size_t mapdots = 0, head;
			const char *map;

			for (size_t j = 0; j + 2 < elen; j++)
				mapdots += e[j] == '.';
			head = nth_dot(want, mapdots + 1);
			map = table_find(e, elen - 2, "");
			if (head < len && map) {
				char *h = xstrndup(want, head);

				d = edit_distance(h, map, cap);
				free(h);
				if (d < best_d) {
					best_d = d;
					best = map;
				}
			}
			continue;
		}
		d = edit_distance(want, e, cap);
		if (d < best_d) {
			best_d = d;
			best = e;
		}
	}
	/* The path itself is known: no suggestion to make. */
	if (best_d == 0 && strcmp(want, path) == 0)
		best = NULL;
	free(fixed);
	return best;
}

bool vars_is_secret(const char *path)
{
	static const char *const words[] = { "token", "secret", "password" };

	if (!path)
		return false;
	if (strcmp(path, "application.source_provider.access_token") == 0)
		return true;
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t wl = strlen(words[w]);

		for (const char *p = path; *p; p++) {
			size_t k = 0;

			while (k < wl && p[k] &&
			       (p[k] | 0x20) == words[w][k])
				k++;
			if (k == wl)
				return true;
		}
	}
	return false;
}

/* ---- facts for checks ----------------------------------------------- */

const char *vars_action_commit(const struct vars *v)
{
	const cJSON *n;

	if (!v)
		return NULL;
	n = node(v->root, "action.action_data.commit.hash");
	if (cJSON_IsString(n) && *n->valuestring)
		return n->valuestring;
	n = node(v->root, "action.triggered_from.hook_parsed_variables."
		 "commit_hash");
	if (cJSON_IsString(n) && *n->valuestring)
		return n->valuestring;
	return NULL;
}

const char *vars_action_id(const struct vars *v)
{
	const cJSON *n = v ? node(v->root, "action.id") : NULL;

	if (cJSON_IsString(n))
		return n->valuestring;
	if (cJSON_IsNumber(n)) {
		/* idbuf is scratch, not state: writing it through a const
		 * pointer is safe since every struct vars is heap-allocated
		 * by this module, never a const object. */
		struct vars *mv = (struct vars *)v;

		return format_number(n->valuedouble, mv->idbuf,
				     sizeof(mv->idbuf));
	}
	return NULL;
}

const char *vars_action_permalink(const struct vars *v)
{
	const cJSON *n = v ? node(v->root, "action.url_web_permalink") : NULL;

	return cJSON_IsString(n) ? n->valuestring : NULL;
}

/* ---- a real action -------------------------------------------------- */

struct vars *vars_from_action(const cJSON *action, enum hd_status status)
{
	struct vars *v = vars_sample(status, 0);
	const cJSON *res = json_member(action, "resource");
	const cJSON *rtype = json_member(res, "type");
	const cJSON *pid = json_member(action, "pipeline_id");
	static const char *const rel[] = { "environment", "project" };
	static const char *const app_guessed[] = {
		"repository", "repository_owner", "repository_name",
		"default_branch", "name", "id", "project_id", "environment_id",
	};
	cJSON *app, *pipe;

	if (!cJSON_IsObject(action))
		return v;
	put(v->root, "action", cJSON_Duplicate(action, true));
	v->sample = NULL;
	/* The pipeline, environment and project the action names; nothing
	 * of the sample's stays where the action says otherwise. */
	pipe = xneed(cJSON_CreateObject());
	if (cJSON_IsNumber(pid) || cJSON_IsString(pid))
		cJSON_AddItemToObject(pipe, "id", xneed(cJSON_Duplicate(pid, true)));
	put(v->root, "pipeline", pipe);
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		const cJSON *o = json_member(action, rel[i]);

		put(v->root, rel[i], cJSON_IsObject(o) ? cJSON_Duplicate(o, true)
						       : cJSON_CreateObject());
	}
	/* The application: what the action says of it, plus the token
	 * placeholder; the sample's repository would be a guess. */
	app = xneed(cJSON_Duplicate(json_member(v->root,
								    "application"),
				   true));
	for (size_t i = 0; i < sizeof(app_guessed) / sizeof(app_guessed[0]); i++)
		cJSON_DeleteItemFromObjectCaseSensitive(app, app_guessed[i]);
	if (cJSON_IsString(rtype) && strcmp(rtype->valuestring, "application") == 0) {
		const cJSON *id = json_member(res, "id");
		const cJSON *nm = json_member(res, "name");

		if (id)
			cJSON_AddItemToObject(app, "id", xneed(cJSON_Duplicate(id, true)));
		if (nm)
			cJSON_AddItemToObject(app, "name", xneed(cJSON_Duplicate(nm, true)));
	}
	put(v->root, "application", app);
	vars_set_status(v, status);
	return v;
}

void vars_free(struct vars *v)
{
	if (!v)
		return;
	cJSON_Delete(v->root);
	free(v->scratch);
	free(v);
}
