/*
 * devopness.c - the Devopness API client (devopness.h).
 *
 * Every request carries Accept and Content-Type application/json and
 * Authorization: Bearer, as the official description requires. Lists are
 * read page by page through `Link: <...>; rel="next"`, only on the API's
 * own origin (the token is never sent elsewhere). 429 and 5xx answers are
 * retried a few times, waiting what Retry-After asks or a doubling delay,
 * within a budget for the whole run. Once the API has refused the token
 * or stopped answering, no other call is made: each would fail the same
 * way, one timeout after another.
 *
 * This module collects facts; it judges nothing (check_api.c and
 * check_history.c do) and prints nothing but the warning about a token
 * given on the command line. The token lives only in the client and in
 * the Authorization header handed to http.c.
 */
#include "devopness.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "http.h"
#include "redact.h"
#include "status.h"

#define MAX_ATTEMPTS 4          /* one request and three retries */
#define MAX_WAIT_ONE 5.0        /* seconds: a longer Retry-After is not awaited */
#define MAX_WAIT_TOTAL 10.0     /* seconds of waiting in a whole run */
#define MAX_PAGES 50
#define MAX_HOOKS 500
#define MAX_ACTIONS 1000
#define MAX_REQUESTS 1000

struct devopness {
	struct http_client *http;
	char *base;             /* no trailing '/' */
	char *origin;           /* scheme://host[:port] of base */
	char *auth;             /* "Bearer ..." */
	double timeout;
	double waited;          /* seconds waited for retries so far */
	bool broken;            /* stop: token refused or no answer */
	char *broken_why;
};

/* ---- small helpers ---------------------------------------------------- */

bool devopness_is_id(const char *s)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (const char *p = s; *p; p++, n++)
		if (!isdigit((unsigned char)*p))
			return false;
	while (*s == '0' && s[1])
		s++, n--;
	return strcmp(s, "0") != 0 && n <= 18;
}

bool devopness_is_uuid(const char *s)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++, n++)
		if (!isxdigit((unsigned char)*s) && *s != '-')
			return false;
	return n >= 8 && n <= 64;
}

/* Text of a scalar member (numbers without a fraction), or NULL. */
static char *member_text(const cJSON *o, const char *key)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsString(m))
		return xstrdup(m->valuestring);
	if (cJSON_IsNumber(m)) {
		double d = m->valuedouble;

		if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
			return xasprintf("%lld", (long long)d);
		return xasprintf("%.17g", d);
	}
	if (cJSON_IsBool(m))
		return xstrdup(cJSON_IsTrue(m) ? "true" : "false");
	return NULL;
}

void api_call_free(struct api_call *c)
{
	if (!c)
		return;
	free(c->what);
	free(c->message);
	memset(c, 0, sizeof(*c));
}

static void call_begin(struct api_call *c, const char *method,
		       const char *path)
{
	api_call_free(c);
	c->what = xasprintf("%s %s", method, path);
}

static void call_fail(struct api_call *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void call_fail(struct api_call *c, const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(c->message);
	c->message = sbuf_detach(&b);
	c->ok = false;
}

/* ---- opening ---------------------------------------------------------- */

static int read_token_file(const char *path, char **token,
			   struct hd_error *err)
{
	struct hd_error e = {{0}};
	size_t len;
	char *text = read_file_all(path, &len, &e);

	if (!text) {
		hd_error_set(err, "--api-token-file %s", e.msg);
		return -1;
	}
	*token = xstrndup_trim(text, len);
	free(text);
	if (!**token) {
		hd_error_set(err, "--api-token-file %s: the file is empty", path);
		free(*token);
		*token = NULL;
		return -1;
	}
	return 0;
}

static bool loopback_url(const char *url)
{
	static const char *const hosts[] = {
		"http://127.", "http://localhost", "http://[::1]",
	};

	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strncmp(url, hosts[i], strlen(hosts[i])) == 0)
			return true;
	return false;
}

int devopness_open(const struct options *o, struct devopness **out,
		   struct hd_error *err)
{
	const char *url = o->api_url;
	const char *env_token = getenv("DEVOPNESS_API_TOKEN");
	char *token = NULL;
	struct devopness *d;
	const char *host;
	size_t n;

	*out = NULL;
	if (!url || !*url)
		url = getenv("DEVOPNESS_API_URL");
	if (!url || !*url)
		url = DEVOPNESS_DEFAULT_URL;
	/* The URL is quoted redacted: the userinfo or query it is refused
	 * for may hold a credential. */
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
		char *red = redact_url(url);

		hd_error_set(err, "the Devopness API URL '%s' is not an http(s) URL "
			     "(--api-url or DEVOPNESS_API_URL)", red);
		free(red);
		return -1;
	}
	host = strstr(url, "://") + 3;
	if (!*host || *host == '/' || strpbrk(url, " \t\r\n@?#")) {
		char *red = redact_url(url);

		hd_error_set(err, "the Devopness API URL '%s' needs a host and no "
			     "userinfo, query or spaces", red);
		free(red);
		return -1;
	}

	if (o->api_token_file) {
		if (read_token_file(o->api_token_file, &token, err) < 0)
			return -1;
	} else if (o->api_token) {
		fputs("hookdoctor: warning: --api-token puts the token on the command "
		      "line, where ps and the shell history show it; use "
		      "DEVOPNESS_API_TOKEN or --api-token-file PATH\n", stderr);
		token = xstrndup_trim(o->api_token, strlen(o->api_token));
	} else if (env_token && *env_token) {
		token = xstrndup_trim(env_token, strlen(env_token));
	}
	if (!token || !*token) {
		free(token);
		return 1;
	}
	redact_add_secret(token);
	if (!token_is_clean(token)) {
		free(token);
		hd_error_set(err, "the Devopness API token holds a space, line break "
			     "or control character (is the whole file the token?)");
		return -1;
	}
	if (strncmp(url, "http://", 7) == 0 && !loopback_url(url))
		fputs("hookdoctor: warning: the Devopness API URL uses plain http: "
		      "the token crosses the network in clear\n", stderr);

	d = xcalloc(1, sizeof(*d));
	d->http = http_client_new();
	if (!d->http) {
		free(token);
		free(d);
		hd_error_set(err, "cannot start libcurl");
		return -1;
	}
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	d->base = xstrndup(url, n);
	host = strstr(d->base, "://") + 3;
	d->origin = xstrndup(d->base, (size_t)(host - d->base) + strcspn(host, "/"));
	d->auth = xasprintf("Bearer %s", token);
	/* Wipe the copy: the header is the only place the token stays. */
	memset(token, 0, strlen(token));
	free(token);
	d->timeout = o->timeout > 0 ? o->timeout : 10;
	*out = d;
	return 0;
}

void devopness_close(struct devopness *d)
{
	if (!d)
		return;
	http_client_free(d->http);
	free(d->base);
	free(d->origin);
	if (d->auth) {
		memset(d->auth, 0, strlen(d->auth));
		free(d->auth);
	}
	free(d->broken_why);
	free(d);
}

const char *devopness_base_url(const struct devopness *d)
{
	return d ? d->base : NULL;
}

/* ---- one exchange, with retries --------------------------------------- */

static void sleep_seconds(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Retry-After in seconds (the delay form), or -1. */
static double retry_after(const struct http_response *r)
{
	const char *v = http_header_get(r, "Retry-After");
	char *end;
	double s;

	if (!v)
		return -1;
	s = strtod(v, &end);
	while (*end == ' ')
		end++;
	if (end == v || *end || s < 0)
		return -1;
	return s;
}

static bool retryable(long status)
{
	return status == 429 || (status >= 500 && status <= 599);
}

/* Sends one request, retrying 429 and 5xx. Returns 0 on an HTTP answer
 * (the last one), -1 on a transport failure (resp->error). */
static int exchange(struct devopness *d, const char *method, const char *url,
		    const char *body, struct http_response *resp,
		    struct api_call *call)
{
	struct http_header hdr[3] = {
		{"Accept", "application/json"},
		{"Content-Type", "application/json"},
		{"Authorization", d->auth},
	};
	struct http_request rq = {
		.method = method, .url = url, .headers = hdr, .nheaders = 3,
		.body = body, .body_len = body ? strlen(body) : 0,
		.timeout = d->timeout,
	};

	for (int attempt = 1;; attempt++) {
		double wait;

		call->attempts = attempt;
		if (http_do(d->http, &rq, resp) < 0)
			return -1;
		if (!retryable(resp->status) || attempt == MAX_ATTEMPTS)
			return 0;
		wait = retry_after(resp);
		if (wait < 0)
			wait = 0.25 * (double)(1 << (attempt - 1));
		if (wait > MAX_WAIT_ONE || d->waited + wait > MAX_WAIT_TOTAL)
			return 0;
		sleep_seconds(wait);
		d->waited += wait;
		call->waited += wait;
		http_response_free(resp);
	}
}

static const char *status_text(long status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthenticated";
	case 402: return "Payment Required";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return status >= 500 ? "Server Error" : "Error";
	}
}

/* The API's message for an error answer: ApiError.message, with the
 * first field errors of a 422 ("name: The name field is required."). */
static char *api_message(long status, const struct http_response *r)
{
	cJSON *j = r->body ? cJSON_Parse(r->body) : NULL;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(j, "errors");
	struct sbuf b = {0};
	int shown = 0;

	if (cJSON_IsString(m) && *m->valuestring)
		sbuf_add(&b, m->valuestring);
	else if (!j && r->body && *r->body && r->body_len < 200 &&
		 !strchr(r->body, '<'))
		sbuf_add(&b, r->body);      /* a short plain-text answer */
	else
		sbuf_add(&b, status_text(status));
	if (cJSON_IsObject(errs)) {
		for (const cJSON *e = errs->child; e && shown < 3; e = e->next) {
			const cJSON *v = cJSON_IsArray(e) ? e->child : e;

			if (!cJSON_IsString(v))
				continue;
			sbuf_addf(&b, "%s%s: %s", shown ? "; " : " (",
				  e->string ? e->string : "?", v->valuestring);
			shown++;
		}
		if (shown)
			sbuf_addc(&b, ')');
	}
	cJSON_Delete(j);
	{
		/* One line, bounded. */
		char *s = sbuf_detach(&b);

		for (char *p = s; *p; p++)
			if (*p == '\r' || *p == '\n' || *p == '\t')
				*p = ' ';
		if (strlen(s) > 300)
			strcpy(s + 297, "...");
		return s;
	}
}

/* "GET /x answered 401: Unauthenticated." or "GET /x: timed out ...". */
static char *call_summary(const struct api_call *c)
{
	if (c->status)
		return xasprintf("%s answered %ld: %s", c->what, c->status,
				 c->message ? c->message : "");
	return xasprintf("%s: %s", c->what, c->message ? c->message : "no answer");
}

static void mark_broken(struct devopness *d, const struct api_call *c)
{
	if (d->broken)
		return;
	d->broken = true;
	d->broken_why = call_summary(c);
}

/* One request and its JSON answer. Returns 0 with *json (2xx), else -1. */
static int call_url(struct devopness *d, const char *method, const char *url,
		    const char *body, cJSON **json, struct http_response *resp,
		    struct api_call *call)
{
	*json = NULL;
	memset(resp, 0, sizeof(*resp));
	call->done = true;
	if (d->broken) {
		call_fail(call, "not asked: %s", d->broken_why);
		return -1;
	}
	if (exchange(d, method, url, body, resp, call) < 0) {
		call->transport = true;
		call->status = 0;
		call_fail(call, "%s", resp->error ? resp->error : "no answer");
		mark_broken(d, call);
		return -1;
	}
	call->status = resp->status;
	if (resp->status < 200 || resp->status > 299) {
		char *m = api_message(resp->status, resp);

		call_fail(call, "%s", m);
		free(m);
		if (resp->status == 401)
			mark_broken(d, call);
		return -1;
	}
	if (resp->truncated) {
		call_fail(call, "the answer was cut at the size limit");
		return -1;
	}
	*json = cJSON_ParseWithLength(resp->body, resp->body_len);
	if (!*json) {
		call_fail(call, "the answer is not JSON");
		return -1;
	}
	call->ok = true;
	free(call->message);
	call->message = NULL;
	return 0;
}

int devopness_call(struct devopness *d, const char *method, const char *path,
		   const cJSON *body, cJSON **json, struct api_call *call)
{
	struct http_response resp;
	char *url = xasprintf("%s%s", d->base, path);
	char *text = body ? xneed(cJSON_PrintUnformatted(body)) : NULL;
	int rc;

	call_begin(call, method, path);
	rc = call_url(d, method, url, text, json, &resp, call);
	http_response_free(&resp);
	cJSON_free(text);
	free(url);
	return rc;
}

/* ---- lists and Link pagination ---------------------------------------- */

/* The rel="next" target of a Link header, malloc'd, or NULL. */
static char *link_next(const char *v)
{
	const char *p = v;

	while (p && *p) {
		const char *lt = strchr(p, '<'), *gt, *q;
		bool next = false;

		if (!lt || !(gt = strchr(lt, '>')))
			return NULL;
		/* Parameters up to the next ',' outside quotes. */
		for (q = gt + 1; *q && *q != ','; q++) {
			if (*q == '"') {
				const char *e = strchr(q + 1, '"');

				if (!e)
					break;
				q = e;
			}
		}
		{
			char *params = xstrndup(gt + 1, (size_t)(q - gt - 1));
			char *r = params;

			while ((r = strstr(r, "rel"))) {
				const char *s = r + 3;

				while (*s == ' ')
					s++;
				if (*s == '=') {
					char val[64];
					size_t k = 0;

					s++;
					while (*s == ' ' || *s == '"')
						s++;
					/* rel may list several types. */
					while (*s && *s != '"' && *s != ';' && *s != ',' &&
					       k + 1 < sizeof(val))
						val[k++] = (char)tolower((unsigned char)*s++);
					val[k] = '\0';
					for (char *t = strtok(val, " "); t; t = strtok(NULL, " "))
						if (strcmp(t, "next") == 0)
							next = true;
				}
				r += 3;
			}
			free(params);
		}
		if (next)
			return xstrndup(lt + 1, (size_t)(gt - lt - 1));
		p = *q ? q + 1 : q;
	}
	return NULL;
}

/* The list inside an answer: the array itself, or a {"data": [...]}. */
static cJSON *list_items(cJSON *json)
{
	cJSON *data;

	if (cJSON_IsArray(json))
		return json;
	data = cJSON_GetObjectItemCaseSensitive(json, "data");
	return cJSON_IsArray(data) ? data : NULL;
}

int devopness_get_list(struct devopness *d, const char *path,
		       size_t max_items, cJSON **array, struct api_call *call)
{
	char *url = xasprintf("%s%s%sper_page=100", d->base, path,
			      strchr(path, '?') ? "&" : "?");
	cJSON *all = xneed(cJSON_CreateArray());
	size_t count = 0;

	call_begin(call, "GET", path);
	*array = NULL;
	while (url) {
		struct http_response resp;
		cJSON *json, *items;
		char *next = NULL;
		const char *link;

		if (call_url(d, "GET", url, NULL, &json, &resp, call) < 0) {
			http_response_free(&resp);
			free(url);
			cJSON_Delete(all);
			return -1;
		}
		call->pages++;
		items = list_items(json);
		if (!items) {
			call_fail(call, "the answer is not a list");
			cJSON_Delete(json);
			http_response_free(&resp);
			free(url);
			cJSON_Delete(all);
			return -1;
		}
		while (items->child && count < max_items) {
			cJSON *it = cJSON_DetachItemViaPointer(items, items->child);

			cJSON_AddItemToArray(all, it);
			count++;
		}
		link = http_header_get(&resp, "Link");
		if (link && count < max_items && call->pages < MAX_PAGES)
			next = link_next(link);
		if (next && next[0] == '/') {
			char *abs = xasprintf("%s%s", d->origin, next);

			free(next);
			next = abs;
		}
		if (next && (strncmp(next, d->origin, strlen(d->origin)) != 0 ||
			     (next[strlen(d->origin)] != '/' &&
			      next[strlen(d->origin)] != '\0'))) {
			/* Never send the token to another origin. */
			call_fail(call, "the next page is on another origin (%s): "
				  "not followed", next);
			call->ok = false;
			free(next);
			next = NULL;
			cJSON_Delete(json);
			http_response_free(&resp);
			free(url);
			cJSON_Delete(all);
			return -1;
		}
		if (next && strcmp(next, url) == 0) {
			free(next);     /* a page that links to itself */
			next = NULL;
		}
		cJSON_Delete(json);
		http_response_free(&resp);
		free(url);
		url = next;
	}
	*array = all;
	return 0;
}

/* ---- facts ------------------------------------------------------------ */

static struct api_hook *hook_slot(struct api_facts *f, const char *id)
{
	for (size_t i = 0; i < f->nhook; i++)
		if (strcmp(f->hook[i].id, id) == 0)
			return &f->hook[i];
	f->hook = xrealloc(f->hook, (f->nhook + 1) * sizeof(*f->hook));
	memset(&f->hook[f->nhook], 0, sizeof(f->hook[0]));
	f->hook[f->nhook].id = xstrdup(id);
	f->hook[f->nhook].active = -1;
	return &f->hook[f->nhook++];
}

const struct api_hook *api_facts_hook(const struct api_facts *f,
				      const char *hook_id)
{
	if (!f || !hook_id)
		return NULL;
	for (size_t i = 0; i < f->nhook; i++)
		if (strcmp(f->hook[i].id, hook_id) == 0)
			return &f->hook[i];
	return NULL;
}

static void hook_facts_from_json(struct api_hook *h, const cJSON *j)
{
	const cJSON *active = cJSON_GetObjectItemCaseSensitive(j, "active");

	free(h->name);
	free(h->type);
	free(h->pipeline_id);
	h->name = member_text(j, "name");
	h->type = member_text(j, "type");
	h->pipeline_id = member_text(j, "pipeline_id");
	h->active = cJSON_IsBool(active) ? cJSON_IsTrue(active) : -1;
	h->known = true;
}

/* A member that may hold JSON as a string: parsed when it does. */
static cJSON *json_member(const cJSON *o, const char *key)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!m || cJSON_IsNull(m))
		return NULL;
	if (cJSON_IsString(m)) {
		cJSON *p = cJSON_Parse(m->valuestring);

		if (p)
			return p;
	}
	return xneed(cJSON_Duplicate(m, true));
}

static void delivery_free(struct api_delivery *dl)
{
	free(dl->id);
	free(dl->action_id);
	free(dl->retry_of);
	free(dl->created_at);
	free(dl->url);
	cJSON_Delete(dl->request_body);
	cJSON_Delete(dl->request_headers);
	cJSON_Delete(dl->response_body);
	free(dl->detail_error);
}

static void delivery_fill(struct api_delivery *dl, const cJSON *j)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "response_status_code");
	char *s;

	if ((s = member_text(j, "action_id"))) {
		free(dl->action_id);
		dl->action_id = s;
	}
	if ((s = member_text(j, "retry_of"))) {
		free(dl->retry_of);
		dl->retry_of = s;
	}
	if ((s = member_text(j, "created_at"))) {
		free(dl->created_at);
		dl->created_at = s;
	}
	if ((s = member_text(j, "url"))) {
		free(dl->url);
		dl->url = s;
	}
	if (cJSON_IsNumber(code))
		dl->status = (long)code->valuedouble;
}

/* Sorts listed requests by created_at (ISO 8601 sorts as text). */
static int by_created(const void *pa, const void *pb)
{
	const cJSON *a = *(const cJSON *const *)pa, *b = *(const cJSON *const *)pb;
	const cJSON *ca = cJSON_GetObjectItemCaseSensitive(a, "created_at");
	const cJSON *cb = cJSON_GetObjectItemCaseSensitive(b, "created_at");
	const char *sa = cJSON_IsString(ca) ? ca->valuestring : "";
	const char *sb = cJSON_IsString(cb) ? cb->valuestring : "";

	return strcmp(sa, sb);
}

static void collect_deliveries(struct devopness *d, struct api_hook *h)
{
	cJSON *list = NULL;
	char *path = xasprintf("/hooks/outgoing/%s/requests", h->id);
	const cJSON **items;
	size_t n = 0, first;

	if (devopness_get_list(d, path, MAX_REQUESTS, &list, &h->requests) < 0) {
		free(path);
		return;
	}
	free(path);
	h->nlisted = (size_t)cJSON_GetArraySize(list);
	items = xcalloc(h->nlisted + 1, sizeof(*items));
	for (const cJSON *it = list->child; it; it = it->next)
		items[n++] = it;
	/* A stable order first: oldest to newest. */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && by_created(&items[k - 1], &items[k]) > 0; k--) {
			const cJSON *t = items[k];

			items[k] = items[k - 1];
			items[k - 1] = t;
		}
	if (n)
		h->latest_at = member_text(items[n - 1], "created_at");
	first = n > DEVOPNESS_DELIVERY_WINDOW ? n - DEVOPNESS_DELIVERY_WINDOW : 0;
	h->deliveries = xcalloc(n - first + 1, sizeof(*h->deliveries));
	for (size_t i = first; i < n; i++) {
		struct api_delivery *dl = &h->deliveries[h->ndeliveries++];
		struct api_call c = {0};
		cJSON *full = NULL;

		dl->id = member_text(items[i], "id");
		delivery_fill(dl, items[i]);
		if (!dl->id || !devopness_is_uuid(dl->id)) {
			dl->detail_error = xstrdup("the request has no usable id");
			continue;
		}
		path = xasprintf("/hook-requests/%s", dl->id);
		if (devopness_call(d, "GET", path, NULL, &full, &c) < 0) {
			dl->detail_error = call_summary(&c);
		} else {
			delivery_fill(dl, full);
			dl->request_body = json_member(full, "request_body");
			dl->request_headers = json_member(full, "request_headers");
			dl->response_body = json_member(full, "response_body");
			dl->detailed = true;
		}
		cJSON_Delete(full);
		api_call_free(&c);
		free(path);
	}
	free(items);
	cJSON_Delete(list);
}

void devopness_collect_hook(struct devopness *d, struct api_facts *f,
			    const char *hook_id)
{
	struct api_hook *h;
	cJSON *j = NULL;
	char *path;

	if (!hook_id || !devopness_is_uuid(hook_id))
		return;
	if (api_facts_hook(f, hook_id))
		return;
	h = hook_slot(f, hook_id);
	path = xasprintf("/hooks/outgoing/%s", hook_id);
	if (devopness_call(d, "GET", path, NULL, &j, &h->get) == 0) {
		hook_facts_from_json(h, j);
		collect_deliveries(d, h);
	}
	cJSON_Delete(j);
	free(path);
}

static void pipeline_facts(struct api_facts *f, const cJSON *p)
{
	f->pipeline_name = member_text(p, "name");
	f->operation = member_text(p, "operation");
	f->resource_type = member_text(p, "resource_type");
	f->resource_id = member_text(p, "resource_id");
}

/* The pipeline's hooks: outgoing ones to check, incoming ones named. */
static void collect_hooks(struct devopness *d, struct api_facts *f)
{
	char *path = xasprintf("/pipelines/%s/hooks", f->pipeline_id);
	cJSON *list = NULL;

	f->hooks_source = xasprintf("api:%s", path);
	if (devopness_get_list(d, path, MAX_HOOKS, &list, &f->hooks) == 0) {
		for (cJSON *it = list->child; it; it = it->next) {
			char *type = member_text(it, "type");
			char *id = member_text(it, "id");

			if (type && strcmp(type, "out") == 0) {
				cJSON_AddItemToArray(f->hooks_json,
						     xneed(cJSON_Duplicate(it, true)));
				f->noutgoing++;
				if (id && devopness_is_uuid(id))
					hook_facts_from_json(hook_slot(f, id), it);
			} else {
				char *name = member_text(it, "name");

				f->incoming = xrealloc(f->incoming, (f->nincoming + 1) *
						       sizeof(*f->incoming));
				f->incoming[f->nincoming++] = xasprintf(
					"\"%s\" (%s)", name ? name : "unnamed",
					id ? id : "no id");
				free(name);
			}
			free(type);
			free(id);
		}
	}
	cJSON_Delete(list);
	free(path);
	for (size_t i = 0; i < f->nhook; i++)
		collect_deliveries(d, &f->hook[i]);
}

void devopness_collect_context(struct devopness *d, struct api_facts *f)
{
	char *path = xasprintf("/pipelines/%s/hooks", f->pipeline_id);
	struct api_call c = {0};
	cJSON *list = NULL;

	cJSON_Delete(f->context_hooks);
	f->context_hooks = xneed(cJSON_CreateArray());
	if (devopness_get_list(d, path, MAX_HOOKS, &list, &c) == 0)
		for (cJSON *it = list->child; it; it = it->next) {
			char *type = member_text(it, "type");

			if (type && strcmp(type, "out") == 0)
				cJSON_AddItemToArray(f->context_hooks,
						     xneed(cJSON_Duplicate(it, true)));
			free(type);
		}
	cJSON_Delete(list);
	api_call_free(&c);
	free(path);
}

static void collect_one_hook(struct devopness *d, struct api_facts *f)
{
	struct api_hook *h = hook_slot(f, f->hook_filter);
	char *path = xasprintf("/hooks/outgoing/%s", f->hook_filter);
	cJSON *j = NULL;

	f->hooks_source = xasprintf("api:%s", path);
	if (devopness_call(d, "GET", path, NULL, &j, &h->get) == 0) {
		hook_facts_from_json(h, j);
		if (h->type && strcmp(h->type, "out") == 0)
			f->noutgoing = 1;
		cJSON_AddItemToArray(f->hooks_json, j);
		j = NULL;
		collect_deliveries(d, h);
	}
	/* The same outcome, for the pipeline-level view. */
	f->hooks.done = h->get.done;
	f->hooks.ok = h->get.ok;
	f->hooks.status = h->get.status;
	f->hooks.transport = h->get.transport;
	f->hooks.attempts = h->get.attempts;
	f->hooks.what = xstrdup(h->get.what ? h->get.what : path);
	f->hooks.message = h->get.message ? xstrdup(h->get.message) : NULL;
	cJSON_Delete(j);
	free(path);
}

static int number_cmp(const cJSON *a, const cJSON *b)
{
	double x = cJSON_IsNumber(a) ? a->valuedouble : 0;
	double y = cJSON_IsNumber(b) ? b->valuedouble : 0;

	return x < y ? -1 : x > y;
}

/* The action to render with: --action, else the pipeline's latest. */
static int collect_action(struct devopness *d, const struct options *o,
			  struct api_facts *f, struct hd_error *err)
{
	cJSON *list = NULL, *latest = NULL, *j = NULL;
	char *path;

	if (o->action) {
		path = xasprintf("/actions/%s", o->action);
		if (devopness_call(d, "GET", path, NULL, &j, &f->action) < 0) {
			if (f->action.status)
				hd_error_set(err, "--action %s: %s answered %ld: %s",
					     o->action, path, f->action.status,
					     f->action.message);
			else
				hd_error_set(err, "--action %s: %s: %s", o->action,
					     path, f->action.message);
			free(path);
			return -1;
		}
		free(path);
		f->action_json = j;
		f->action_source = xasprintf("--action %s", o->action);
		return 0;
	}
	if (!f->pipeline.ok)
		return 0;
	path = xasprintf("/pipelines/%s/actions", f->pipeline_id);
	if (devopness_get_list(d, path, MAX_ACTIONS, &list, &f->actions) < 0) {
		free(path);
		return 0;       /* rendered with the sample; HD203 notes it */
	}
	free(path);
	f->nactions = (size_t)cJSON_GetArraySize(list);
	for (cJSON *it = list->child; it; it = it->next) {
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(it, "status");
		const cJSON *started = cJSON_GetObjectItemCaseSensitive(it, "started_at");
		int s = cJSON_IsString(st) ? hd_status_from_name(st->valuestring) : -1;

		if (s >= 0)
			f->statuses_reached |= ST_BIT(s);
		if (cJSON_IsString(started) || s == ST_COMPLETED || s == ST_FAILED)
			f->statuses_reached |= ST_BIT(ST_PENDING) | ST_BIT(ST_QUEUED) |
					       ST_BIT(ST_IN_PROGRESS);
	}
	for (cJSON *it = list->child; it; it = it->next)
		if (!latest || number_cmp(cJSON_GetObjectItemCaseSensitive(it, "id"),
					  cJSON_GetObjectItemCaseSensitive(latest, "id")) > 0)
			latest = it;
	if (latest) {
		char *id = member_text(latest, "id");

		if (id && devopness_is_id(id)) {
			path = xasprintf("/actions/%s", id);
			if (devopness_call(d, "GET", path, NULL, &j, &f->action) == 0)
				f->action_json = j;
			free(path);
		}
		if (!f->action_json)    /* the list entry holds most of it */
			f->action_json = xneed(cJSON_Duplicate(latest, true));
		f->action_source = xasprintf("the latest action of pipeline %s (%s)",
					     f->pipeline_id, id ? id : "?");
		free(id);
	}
	cJSON_Delete(list);
	return 0;
}

struct api_facts *devopness_collect(struct devopness *d,
				    const struct options *o,
				    bool fetch_hooks, struct hd_error *err)
{
	struct api_facts *f = xcalloc(1, sizeof(*f));
	cJSON *p = NULL;
	char *path;

	f->base_url = xstrdup(d->base);
	f->pipeline_id = xstrdup(o->pipeline ? o->pipeline : "");
	f->hooks_json = xneed(cJSON_CreateArray());
	if (o->hook) {
		if (!devopness_is_uuid(o->hook)) {
			char *red = redact_text(o->hook);

			hd_error_set(err, "--hook '%s' is not a hook ID (a UUID such "
				     "as 2ab973e1-9528-4d67-aff0-209d74975830)", red);
			free(red);
			api_facts_free(f);
			return NULL;
		}
		f->hook_filter = xstrdup(o->hook);
	}
	if (o->action && !devopness_is_id(o->action)) {
		char *red = redact_text(o->action);

		hd_error_set(err, "--action '%s' is not an action ID (a positive "
			     "integer)", red);
		free(red);
		api_facts_free(f);
		return NULL;
	}
	if (!o->pipeline) {
		/* --action with hooks from a file: only the action. */
		if (o->action && collect_action(d, o, f, err) < 0) {
			api_facts_free(f);
			return NULL;
		}
		return f;
	}
	if (!devopness_is_id(f->pipeline_id)) {
		/* HD101 says why; nothing can be asked about it. */
		f->stopped = true;
		f->stop_reason = xasprintf("--pipeline '%s' is not a pipeline ID",
					   f->pipeline_id);
		f->placeholder = fetch_hooks;
		return f;
	}

	path = xasprintf("/pipelines/%s", f->pipeline_id);
	if (devopness_call(d, "GET", path, NULL, &p, &f->pipeline) == 0)
		pipeline_facts(f, p);
	cJSON_Delete(p);
	free(path);
	if (!f->pipeline.ok) {
		/* No pipeline, no point asking for its hooks or actions. */
		f->stopped = true;
		f->stop_reason = xasprintf("%s failed", f->pipeline.what);
		f->placeholder = fetch_hooks;
		return f;
	}
	if (fetch_hooks) {
		if (f->hook_filter)
			collect_one_hook(d, f);
		else
			collect_hooks(d, f);
		f->placeholder = cJSON_GetArraySize(f->hooks_json) == 0;
	}
	if (!d->broken && collect_action(d, o, f, err) < 0) {
		api_facts_free(f);
		return NULL;
	}
	if (d->broken) {
		f->stopped = true;
		if (!f->stop_reason)
			f->stop_reason = xstrdup(d->broken_why);
	}
	return f;
}

char *api_facts_hooks_text(const struct api_facts *f, size_t *len)
{
	char *printed, *text;

	if (f->placeholder || !f->hooks_json || !f->hooks_json->child) {
		/* A stand-in that carries the pipeline ID, so the pipeline and
		 * hook findings have a place in the report. */
		cJSON *o = xneed(cJSON_CreateObject());
		char *name = xasprintf("pipeline %s (no outgoing hook to check)",
				       f->pipeline_id);

		cJSON_AddStringToObject(o, "name", name);
		free(name);
		printed = xneed(cJSON_Print(o));
		cJSON_Delete(o);
	} else {
		printed = xneed(cJSON_Print(f->hooks_json));
	}
	text = xstrdup(printed);
	cJSON_free(printed);
	*len = strlen(text);
	return text;
}

void api_facts_free(struct api_facts *f)
{
	if (!f)
		return;
	free(f->base_url);
	free(f->pipeline_id);
	api_call_free(&f->pipeline);
	free(f->pipeline_name);
	free(f->operation);
	free(f->resource_type);
	free(f->resource_id);
	api_call_free(&f->hooks);
	free(f->hook_filter);
	for (size_t i = 0; i < f->nincoming; i++)
		free(f->incoming[i]);
	free(f->incoming);
	cJSON_Delete(f->hooks_json);
	cJSON_Delete(f->context_hooks);
	free(f->hooks_source);
	api_call_free(&f->action);
	api_call_free(&f->actions);
	cJSON_Delete(f->action_json);
	free(f->action_source);
	for (size_t i = 0; i < f->nhook; i++) {
		struct api_hook *h = &f->hook[i];

		free(h->id);
		api_call_free(&h->get);
		free(h->name);
		free(h->type);
		free(h->pipeline_id);
		api_call_free(&h->requests);
		free(h->latest_at);
		for (size_t k = 0; k < h->ndeliveries; k++)
			delivery_free(&h->deliveries[k]);
		free(h->deliveries);
	}
	free(f->hook);
	free(f->stop_reason);
	free(f);
}
