/*
 * provider_api.c - the provider's API calls behind HD601-HD607 (see
 * provider_api.h).
 *
 * What to call comes from the rule file's "api" object; this module fills
 * in the placeholders, authenticates the way the hook does, respects rate
 * limits (a Retry-After or reset no longer than --timeout is waited out
 * once; a longer one stops the calls to that host) and parses the answers
 * into struct provider_facts. It decides nothing about the hook. The only
 * write it can make is the --send test status, and only when the options
 * say --send and HD606 is enabled. Requests go through http.c, each
 * bounded by --timeout; the token is sent to the API base and nowhere
 * else (pagination links to another host are not followed).
 *
 * provider_prefetch() runs the repositories on up to MAX_INFLIGHT
 * threads, each with an http.c client from the session's pool; one lock
 * guards the session's tables (facts, hosts, stopped hosts, shared
 * calls) and is never held during a request. A facts entry is "busy"
 * while one thread fills it; the others wait on the condition variable.
 */
#include "provider_api.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <limits.h>
#include <stdint.h>
#include "http.h"
#include "json.h"
#include "redact.h"
#include "rules.h"
#include "vars.h"

#define SEND_DESCRIPTION "hookdoctor test"
#define MAX_PAGES 11            /* 1,100 statuses: past GitHub's 1,000 */
#define MAX_BODY (8u << 20)
/* Provider calls in flight at once, in all (the worker threads) and to
 * one host (scheme, host and port). GitHub's secondary rate limit allows
 * at most 100 concurrent requests, shared by the REST and GraphQL APIs of
 * one user or app ("Rate limits for the REST API", docs.github.com):
 * 24 stays under a quarter of it, leaving room for the CI and tools that
 * use the same token meanwhile; providers.md records no limit on
 * concurrent requests for the other providers. 24 at a time fetch 200
 * repositories within SPEC's 10x of one hook with room to spare
 * (tools/bench-net.sh, prov 200: about 7x with 1,001 requests, 38x with
 * 4 per host; 3.5x since the 404 requests of shared repository and
 * required-checks reads). */
#define MAX_INFLIGHT 32
#define MAX_PER_HOST 24
/* A thread per call in flight, bounded by MAX_INFLIGHT whatever the
 * number of hooks: a repository's calls depend on each other (no commit
 * read of an unreadable repository), which a thread runs as plain
 * sequential code; libcurl's multi interface would need each chain as a
 * state machine, for the same number of requests in flight. */

/* ------------------------------------------------------------------ */
/* Token                                                                */

int provider_token_load(const struct options *o, char **token,
			struct hd_error *err)
{
	const char *env = getenv("HOOKDOCTOR_PROVIDER_TOKEN");

	*token = NULL;
	if (o->provider_token_file) {
		size_t len;
		char *text = read_file_all(o->provider_token_file, &len, err);

		if (!text)
			return -1;
		*token = xstrndup_trim(text, strcspn(text, "\r\n"));
		free(text);
		redact_add_secret(*token);
		if (!**token) {
			free(*token);
			*token = NULL;
			hd_error_set(err, "%s: the provider token file is empty",
				     o->provider_token_file);
			return -1;
		}
	} else if (env && *env) {
		*token = xstrndup_trim(env, strlen(env));
		if (!**token) {
			free(*token);
			*token = NULL;
			return 0;
		}
		redact_add_secret(*token);
	} else {
		return 0;
	}
	/* As for the Devopness token: a token that cannot be a header's
	 * value is an input error, not a request with a broken header. */
	if (!token_is_clean(*token)) {
		free(*token);
		*token = NULL;
		hd_error_set(err, "the provider token %s holds a space or control "
			     "character", o->provider_token_file
			     ? "(first line of --provider-token-file)"
			     : "(HOOKDOCTOR_PROVIDER_TOKEN)");
		return -1;
	}
	return 0;
}

const char *provider_token_kind(const char *t)
{
	static const struct { const char *prefix, *kind; } kinds[] = {
		{"github_pat_", "GitHub fine-grained personal access token"},
		{"ghp_", "GitHub classic personal access token"},
		{"gho_", "GitHub OAuth token"},
		{"ghu_", "GitHub App user token"},
		{"ghs_", "GitHub App installation token"},
		{"ghr_", "GitHub refresh token"},
		{"glpat-", "GitLab personal access token"},
		{"ATBB", "Bitbucket app password"},
		{"ATCTT", "Atlassian API token"},
	};

	for (size_t i = 0; t && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(t, kinds[i].prefix, strlen(kinds[i].prefix)) == 0)
			return kinds[i].kind;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Session                                                              */

/* The facts of one repository and commit. busy: one thread is filling
 * them (the reads, or a --send) and the others wait for it. */
struct cache_entry {
	char *key;
	struct provider_facts *pf;
	bool busy;
};

/* A host whose rate limit stopped the calls. */
struct block {
	char *host;
	char *reason;
};

/* One origin: the calls in flight to it, and the time before which none
 * may start (a Retry-After or reset being waited out). */
struct host {
	char *origin;
	int inflight;
	long long not_before;   /* ms since the epoch */
};

/* The answer of a call that does not depend on the commit (the token's
 * identity, the repository, its required checks), asked once per URL and
 * credential (shared_read_call). */
struct shared_call {
	char *key;              /* "METHOD URL|credential_key()" */
	bool done;
	size_t index;           /* in the session's shared */
	long first;             /* the lowest order of the facts that hold
				   the answer (the maker's, the copies') */
	struct prov_call call;
	cJSON *json;
};

/* Work for provider_prefetch: the hooks that post to one repository and
 * commit, in input order (the first, then one per further identity). */
struct plan_item {
	char *key;
	long *hooks;
	char **identities;
	size_t nhooks;
};

struct provider_session {
	const struct options *o;
	char *token;
	pthread_mutex_t lock;
	pthread_cond_t cond;    /* an entry, host or shared call changed */
	struct cache_entry **cache;
	size_t ncache;
	struct strmap cache_ix;         /* key -> struct cache_entry */
	struct block *blocks;
	size_t nblocks;
	struct host **hosts;
	size_t nhosts;
	struct strmap host_ix;          /* origin -> struct host */
	struct shared_call **shared;
	size_t nshared;
	struct strmap shared_ix;        /* key -> struct shared_call */
	struct http_client **idle;      /* clients not in use */
	size_t nidle, nclients;
	struct plan_item *plan;
	size_t nplan, next_plan;
	struct strmap plan_ix;          /* key -> index in plan, plus 1 */
};

struct provider_session *provider_session_new(const struct options *o,
					      const char *token)
{
	struct provider_session *s = xcalloc(1, sizeof(*s));

	http_load();    /* the workers make the clients (client_acquire) */
	s->o = o;
	s->token = token ? xstrdup(token) : NULL;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	return s;
}

static void call_free(struct prov_call *c);

void provider_session_free(struct provider_session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ncache; i++) {
		free(s->cache[i]->key);
		provider_facts_free(s->cache[i]->pf);
		free(s->cache[i]);
	}
	free(s->cache);
	strmap_free(&s->cache_ix);
	strmap_free(&s->host_ix);
	strmap_free(&s->shared_ix);
	strmap_free(&s->plan_ix);
	for (size_t i = 0; i < s->nhosts; i++) {
		free(s->hosts[i]->origin);
		free(s->hosts[i]);
	}
	free(s->hosts);
	for (size_t i = 0; i < s->nshared; i++) {
		free(s->shared[i]->key);
		call_free(&s->shared[i]->call);
		cJSON_Delete(s->shared[i]->json);
		free(s->shared[i]);
	}
	free(s->shared);
	for (size_t i = 0; i < s->nplan; i++) {
		free(s->plan[i].key);
		free(s->plan[i].hooks);
		for (size_t k = 0; k < s->plan[i].nhooks; k++)
			free(s->plan[i].identities[k]);
		free(s->plan[i].identities);
	}
	free(s->plan);
	for (size_t i = 0; i < s->nidle; i++)
		http_client_free(s->idle[i]);
	free(s->idle);
	for (size_t i = 0; i < s->nblocks; i++) {
		free(s->blocks[i].host);
		free(s->blocks[i].reason);
	}
	free(s->blocks);
	if (s->token) {
		/* Do not leave the token in freed memory. */
		volatile char *p = s->token;

		while (*p)
			*p++ = '\0';
		free(s->token);
	}
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

bool provider_wanted(const struct options *o)
{
	static const char *const ids[] = {
		"HD601", "HD602", "HD603", "HD604", "HD605", "HD606", "HD607",
	};

	if (o->offline)
		return false;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (options_check_enabled(o, ids[i]))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

static const char *json_str(const cJSON *obj, const char *path)
{
	const cJSON *v = json_at(obj, path);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "a, b, c" from an array of strings; malloc'd, NULL when not an array. */
static char *json_join(const cJSON *arr)
{
	struct sbuf b = {0};

	if (!cJSON_IsArray(arr))
		return NULL;
	for (const cJSON *e = arr->child; e; e = e->next)
		if (cJSON_IsString(e))
			sbuf_addf(&b, "%s%s", b.len ? ", " : "", e->valuestring);
	return sbuf_detach(&b);
}

/* Percent-encodes all but unreserved characters and '/'. */
static void add_encoded(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("-._~/", c))
			sbuf_addc(b, (char)c);
		else
			sbuf_addf(b, "%%%02X", c);
	}
}

/* Replaces every occurrence of what in s by with; malloc'd. */
static char *replace_all(const char *s, const char *what, const char *with)
{
	struct sbuf b = {0};
	size_t wl = strlen(what);
	const char *p;

	while ((p = strstr(s, what))) {
		sbuf_addn(&b, s, (size_t)(p - s));
		sbuf_add(&b, with);
		s = p + wl;
	}
	sbuf_add(&b, s);
	return sbuf_detach(&b);
}

/* "scheme://host[:port]" of a URL, lower-cased; malloc'd. */
static char *origin_of(const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;
	char *o;

	if (!p)
		return xstrdup("");
	p += 3;
	n = (size_t)(p - url) + strcspn(p, "/?#");
	o = xstrndup(url, n);
	for (char *c = o; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return o;
}

/* The value of query parameter name in url (as written), or NULL;
 * malloc'd. */
static char *query_param(const char *url, const char *name)
{
	const char *q = url ? strchr(url, '?') : NULL;
	size_t n = strlen(name);

	while (q && *q) {
		q++;
		if (strncmp(q, name, n) == 0 && q[n] == '=') {
			const char *v = q + n + 1;

			return xstrndup(v, strcspn(v, "&#"));
		}
		q = strchr(q, '&');
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Building calls                                                       */

/* Everything a call's placeholders can take, for one hook. */
struct place {
	const struct analysis *a;
	const struct rule_api *api;
	const char *base;
	const char *branch;
};

/* The value of placeholder name (len n), or NULL when unknown. Borrowed
 * or written into *tmp (then malloc'd). */
static const char *place_value(const struct place *pl, const char *name,
			       size_t n, char **tmp)
{
	const struct url_match *m = &pl->a->match;

	*tmp = NULL;
#define IS(s) (n == strlen(s) && strncmp(name, s, n) == 0)
	if (IS("owner"))
		return m->owner && *m->owner ? m->owner : NULL;
	if (IS("repo"))
		return m->repo && *m->repo ? m->repo : NULL;
	if (IS("project"))
		return m->project && *m->project ? m->project : NULL;
	if (IS("commit"))
		return m->commit && *m->commit ? m->commit : NULL;
	if (IS("branch"))
		return pl->branch;
#undef IS
	{
		char *key = xstrndup(name, n);
		const char *url = pl->a->nreq ? pl->a->req[0].url : NULL;

		*tmp = query_param(url, key);
		for (size_t i = 0; !*tmp && i < pl->api->ndefaults; i++)
			if (strcmp(pl->api->default_names[i], key) == 0)
				*tmp = xstrdup(pl->api->default_values[i]);
		free(key);
		return *tmp;
	}
}

/* Splits "METHOD /path" into *method and the full URL. Returns false
 * (with *missing naming the placeholder) when a placeholder has no
 * value. */
static bool build_call(const struct place *pl, const char *call,
		       char **method, char **url, char **missing)
{
	const char *sp = strchr(call, ' ');
	const char *p = sp + 1;
	struct sbuf b = {0};

	*method = xstrndup(call, (size_t)(sp - call));
	*url = NULL;
	*missing = NULL;
	sbuf_add(&b, pl->base);
	while (*p) {
		const char *end;
		const char *v;
		char *tmp;

		if (*p != '{' || !(end = strchr(p, '}'))) {
			sbuf_addc(&b, *p++);
			continue;
		}
		v = place_value(pl, p + 1, (size_t)(end - p - 1), &tmp);
		if (!v) {
			*missing = xstrndup(p + 1, (size_t)(end - p - 1));
			sbuf_free(&b);
			free(*method);
			*method = NULL;
			return false;
		}
		if (strncmp(p, "{branch}", 8) == 0)
			add_encoded(&b, v);
		else
			sbuf_add(&b, v);
		free(tmp);
		p = end + 1;
	}
	*url = sbuf_detach(&b);
	return true;
}

/* The headers of the hook's request with the token where the hook's
 * token variable renders. When no header holds it, the provider's first
 * auth form carries the token. all: every header of the hook (the send),
 * else only the ones holding the token (the reads). */
static void hook_headers(const struct provider *p, const struct request *rq,
			 const char *token, bool all,
			 struct http_header **out, size_t *n)
{
	const struct rule_auth *au = p->nauth ? &p->auth[0] : NULL;
	bool placed = false;

	*out = xcalloc(rq->nheaders + 2, sizeof(**out));
	*n = 0;
	for (size_t i = 0; i < rq->nheaders; i++) {
		const struct hd_header *h = &rq->headers[i];
		bool has = h->value && strstr(h->value, VARS_TOKEN_PLACEHOLDER);

		if (has)
			placed = true;
		if (!has && !all)
			continue;
		if (!h->name || !*h->name || ascii_casecmp(h->name, "Host") == 0 ||
		    ascii_casecmp(h->name, "Content-Length") == 0)
			continue;
		(*out)[*n].name = xstrdup(h->name);
		(*out)[*n].value = replace_all(h->value ? h->value : "",
					       VARS_TOKEN_PLACEHOLDER, token);
		(*n)++;
	}
	if (!placed && au) {
		char *v;

		/* A hook without the token variable: drop its own header
		 * of that name and authenticate the provider's usual way. */
		for (size_t i = 0; i < *n; i++)
			if (ascii_casecmp((*out)[i].name, au->header) == 0) {
				free((*out)[i].name);
				free((*out)[i].value);
				(*out)[i] = (*out)[--(*n)];
				i--;
			}
		if (au->scheme && ascii_casecmp(au->scheme, "Basic") == 0) {
			char *cred = strchr(token, ':') ? xstrdup(token)
							: xasprintf(":%s", token);
			char *enc = base64_encode(cred, strlen(cred));

			v = xasprintf("Basic %s", enc);
			free(enc);
			free(cred);
		} else if (au->scheme) {
			v = xasprintf("%s %s", au->scheme, token);
		} else {
			v = xstrdup(token);
		}
		(*out)[*n].name = xstrdup(au->header);
		(*out)[*n].value = v;
		(*n)++;
	}
}

static void headers_free(struct http_header *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].name);
		if (h[i].value) {
			volatile char *p = h[i].value;

			while (*p)
				*p++ = '\0';
		}
		free(h[i].value);
	}
	free(h);
}

/* The headers of a read (the token's, the repository, the commit, the
 * statuses, the read-back after a --send): the hook's headers that carry
 * the token (or the provider's auth form), then the rule file's API
 * headers the hook does not set itself. */
static void read_headers(const struct provider *p, const struct request *rq,
			 const char *token, struct http_header **out, size_t *n)
{
	const struct rule_api *api = p->api;
	size_t nbase;

	hook_headers(p, rq, token, false, out, n);
	nbase = *n;
	*out = xrealloc(*out, (*n + api->nheaders + 1) * sizeof(**out));
	for (size_t i = 0; i < api->nheaders; i++) {
		bool has = false;

		for (size_t q = 0; q < nbase && !has; q++)
			has = ascii_casecmp((*out)[q].name, api->header_names[i]) == 0;
		if (has)
			continue;
		(*out)[*n].name = xstrdup(api->header_names[i]);
		(*out)[*n].value = xstrdup(api->header_values[i]);
		(*n)++;
	}
}

/* ------------------------------------------------------------------ */
/* Calls                                                                */

static long header_long(const struct http_response *r, const char *name)
{
	const char *v = http_header_get(r, name);
	char *end;
	long n;

	if (!v || !*v)
		return -1;
	n = strtol(v, &end, 10);
	return *end == '\0' && n >= 0 ? n : -1;
}

/* The provider's error message and its details, whatever the shape
 * (GitHub/GitLab/Gitea/Azure "message", GitLab "error", Bitbucket Cloud
 * "error.message", Bitbucket DC "errors[].message"). */
static void parse_error(struct prov_call *c, const struct http_response *r,
			const cJSON *body)
{
	const cJSON *v;

	if (!body) {
		if (r->status == 203)
			c->message = xstrdup("an HTML sign-in page instead of an API answer");
		else if (r->body && *r->body && r->status >= 400) {
			size_t n = strcspn(r->body, "\r\n");

			c->message = xstrndup(r->body, n > 200 ? 200 : n);
		}
		return;
	}
	if (!cJSON_IsObject(body))
		return;
	v = cJSON_GetObjectItemCaseSensitive(body, "message");
	if (v)
		c->message = json_text(v);
	v = cJSON_GetObjectItemCaseSensitive(body, "error");
	if (cJSON_IsString(v) && !c->message) {
		const char *d = json_str(body, "error_description");

		c->message = d ? xasprintf("%s: %s", v->valuestring, d)
			       : xstrdup(v->valuestring);
		c->error_name = xstrdup(v->valuestring);
		if (json_str(body, "scope"))
			c->scopes_required = xstrdup(json_str(body, "scope"));
	} else if (cJSON_IsObject(v)) {
		if (!c->message && json_str(v, "message"))
			c->message = xstrdup(json_str(v, "message"));
		c->scopes_required = json_join(json_at(v, "detail.required"));
		c->scopes_granted = json_join(json_at(v, "detail.granted"));
	}
	v = cJSON_GetObjectItemCaseSensitive(body, "errors");
	if (cJSON_IsArray(v) && v->child) {
		const cJSON *e = v->child;
		const char *m = json_str(e, "message");

		if (m && !c->message)
			c->message = xstrdup(m);
		else if (m && c->message) {
			char *both = xasprintf("%s: %s", c->message, m);

			free(c->message);
			c->message = both;
		}
		if (json_str(e, "exceptionName")) {
			/* "error" may have set it already (fuzz_errbody) */
			free(c->error_name);
			c->error_name = xstrdup(json_str(e, "exceptionName"));
		}
	}
	if (!c->error_name && json_str(body, "typeKey"))
		c->error_name = xstrdup(json_str(body, "typeKey"));
}

static void call_free(struct prov_call *c)
{
	free(c->what);
	free(c->method);
	free(c->url);
	free(c->error);
	free(c->message);
	free(c->error_name);
	free(c->scopes);
	free(c->accepted_scopes);
	free(c->accepted_perms);
	free(c->sso);
	free(c->credential_type);
	free(c->scopes_required);
	free(c->scopes_granted);
}

static void call_clear_answer(struct prov_call *c)
{
	char *what = c->what, *method = c->method, *url = c->url;

	c->what = c->method = c->url = NULL;
	call_free(c);
	memset(c, 0, sizeof(*c));
	c->what = what;
	c->method = method;
	c->url = url;
}

/* "resets at 12:00:00 UTC (in 3600 s)" or ""; malloc'd. */
static char *reset_text(long reset)
{
	time_t t = (time_t)reset, now = time(NULL);
	struct tm tm;
	char buf[32];

	if (reset < 0 || !gmtime_r(&t, &tm))
		return xstrdup("");
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	return xasprintf(", resets at %s UTC (in %ld s)", buf,
			 (long)(t > now ? t - now : 0));
}

/* The reason calls to origin were stopped, or NULL; malloc'd. Takes the
 * lock. */
static char *block_copy(struct provider_session *s, const char *origin)
{
	char *why = NULL;

	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nblocks && !why; i++)
		if (strcmp(s->blocks[i].host, origin) == 0)
			why = xstrdup(s->blocks[i].reason);
	pthread_mutex_unlock(&s->lock);
	return why;
}

/* Stops the calls to origin (the first reason stays). Takes the lock. */
static void block_add(struct provider_session *s, const char *origin,
		      char *reason)
{
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nblocks; i++)
		if (strcmp(s->blocks[i].host, origin) == 0) {
			pthread_mutex_unlock(&s->lock);
			free(reason);
			return;
		}
	s->blocks = xrealloc(s->blocks, (s->nblocks + 1) * sizeof(*s->blocks));
	s->blocks[s->nblocks].host = xstrdup(origin);
	s->blocks[s->nblocks].reason = reason;
	s->nblocks++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long long ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The host entry of origin, created on first use. Under the lock. */
static struct host *host_get(struct provider_session *s, const char *origin)
{
	struct host *h = strmap_get(&s->host_ix, origin);

	if (h)
		return h;
	h = xcalloc(1, sizeof(*h));
	h->origin = xstrdup(origin);
	s->hosts = xrealloc(s->hosts, (s->nhosts + 1) * sizeof(*s->hosts));
	s->hosts[s->nhosts++] = h;
	strmap_put(&s->host_ix, h->origin, h);
	return h;
}

/* Waits for a free slot to origin (at most MAX_PER_HOST in flight) and
 * then until its not_before time. Returns false, with *why set, when the
 * host was stopped meanwhile. */
static bool host_enter(struct provider_session *s, const char *origin,
		       char **why)
{
	struct host *h;
	long long wait;

	*why = NULL;
	pthread_mutex_lock(&s->lock);
	h = host_get(s, origin);
	for (;;) {
		for (size_t i = 0; i < s->nblocks; i++)
			if (strcmp(s->blocks[i].host, origin) == 0) {
				*why = xstrdup(s->blocks[i].reason);
				pthread_mutex_unlock(&s->lock);
				return false;
			}
		if (h->inflight < MAX_PER_HOST)
			break;
		pthread_cond_wait(&s->cond, &s->lock);
	}
	h->inflight++;
	wait = h->not_before - now_ms();
	pthread_mutex_unlock(&s->lock);
	if (wait > 0)
		sleep_ms(wait);
	return true;
}

static void host_leave(struct provider_session *s, const char *origin,
		       long long not_before)
{
	struct host *h;

	pthread_mutex_lock(&s->lock);
	h = host_get(s, origin);
	h->inflight--;
	if (not_before > h->not_before)
		h->not_before = not_before;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static struct http_client *client_acquire(struct provider_session *s)
{
	struct http_client *c = NULL;

	pthread_mutex_lock(&s->lock);
	if (s->nidle)
		c = s->idle[--s->nidle];
	else
		s->nclients++;
	pthread_mutex_unlock(&s->lock);
	return c ? c : http_client_new();
}

static void client_release(struct provider_session *s, struct http_client *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&s->lock);
	s->idle = xrealloc(s->idle, (s->nidle + 1) * sizeof(*s->idle));
	s->idle[s->nidle++] = c;
	pthread_mutex_unlock(&s->lock);
}

/* A reset time from X-RateLimit-Reset / RateLimit-Reset (epoch seconds
 * on GitHub, Gitea and GitLab; a value below 10^9, i.e. before 2001, is
 * taken as seconds from now, as the IETF RateLimit headers send it) or
 * GitLab's RateLimit-ResetTime (an HTTP-date); -1: none. */
static long read_reset(const struct http_response *r, long long now)
{
	long v = header_long(r, "X-RateLimit-Reset");
	const char *t;
	long long when;
	time_t tt = (time_t)now;
	struct tm tm;

	if (v < 0)
		v = header_long(r, "RateLimit-Reset");
	if (v >= 0)
		return v < 1000000000L ? (long)(now + v) : v;
	t = http_header_get(r, "RateLimit-ResetTime");
	if (t && gmtime_r(&tt, &tm) && http_date_parse(t, tm.tm_year + 1900, &when) &&
	    when >= 0 && when < (long long)LONG_MAX)
		return (long)when;
	return -1;
}

/* Reads the rate-limit headers of an answer into c. */
static void read_limits(struct prov_call *c, const struct http_response *r)
{
	long long now = (long long)time(NULL);

	c->remaining = header_long(r, "X-RateLimit-Remaining");
	if (c->remaining < 0)
		c->remaining = header_long(r, "RateLimit-Remaining");
	c->limit = header_long(r, "X-RateLimit-Limit");
	if (c->limit < 0)
		c->limit = header_long(r, "RateLimit-Limit");
	c->reset = read_reset(r, now);
	/* Delta-seconds or an HTTP-date (RFC 9110 10.2.3). */
	c->retry_after = http_retry_after(http_header_get(r, "Retry-After"), now);
	c->secondary = c->message && ascii_contains_ci(c->message, "secondary rate limit");
	c->limited = r->status == 429 ||
		     (r->status == 403 && (c->remaining == 0 || c->secondary ||
					   (c->message && ascii_contains_ci(c->message, "rate limit"))));
}

/* One exchange: bounded by --timeout, waits out a short Retry-After (or
 * reset) once, stops the calls to a host whose limit is used up. At most
 * MAX_PER_HOST calls to one host are in flight; a wait for one host's
 * limit holds back every call to it. Fills c; *body gets the parsed JSON
 * answer (or NULL). */
static void do_call(struct provider_session *s, struct prov_call *c,
		    const struct http_header *hdrs, size_t nhdrs,
		    const char *body, cJSON **json, struct http_response *keep)
{
	char *origin = origin_of(c->url);
	char *blocked = block_copy(s, origin);
	struct http_client *http;
	struct http_response r;

	*json = NULL;
	c->retry_after = c->reset = c->remaining = c->limit = -1;
	if (blocked) {
		c->error = xasprintf("not sent: %s", blocked);
		free(blocked);
		free(origin);
		if (keep)
			memset(keep, 0, sizeof(*keep));
		return;
	}
	http = client_acquire(s);
	for (int attempt = 0; attempt < 2; attempt++) {
		struct http_request rq = {
			.method = c->method, .url = c->url, .headers = hdrs,
			.nheaders = nhdrs, .body = body,
			.body_len = body ? strlen(body) : 0,
			.timeout = s->o->timeout, .cacert = s->o->cacert,
			.max_body = MAX_BODY,
		};
		long wait = -1;
		long long not_before = 0;

		call_clear_answer(c);
		c->retry_after = c->reset = c->remaining = c->limit = -1;
		if (!host_enter(s, origin, &blocked)) {
			/* Another call hit the limit while this one waited. */
			c->error = xasprintf("not sent: %s", blocked);
			free(blocked);
			break;
		}
		c->retried = attempt > 0;
		c->made = true;
		http_do(http, &rq, &r);
		c->status = r.status;
		c->seconds = r.seconds;
		if (r.error) {
			/* A host that did not answer one call (no connection,
			 * no TLS, no answer within --timeout) is asked nothing
			 * more: otherwise every later call would wait out
			 * --timeout again, and a run of many hooks would take
			 * many times --timeout. Calls already in flight end
			 * within --timeout of their own. */
			char *why = xasprintf("an earlier call to %s failed (%s)",
					      origin, r.error);

			block_add(s, origin, why);      /* takes why */
			host_leave(s, origin, 0);
			c->error = xstrdup(r.error);
			http_response_free(&r);
			break;
		}
		cJSON_Delete(*json);
		*json = r.body && *r.body ? cJSON_Parse(r.body) : NULL;
		if (r.status >= 300 || r.status == 203)
			parse_error(c, &r, *json);
		read_limits(c, &r);
		c->scopes = xstrdup_or_null(http_header_get(&r, "X-OAuth-Scopes"));
		c->accepted_scopes = xstrdup_or_null(
			http_header_get(&r, "X-Accepted-OAuth-Scopes"));
		c->accepted_perms = xstrdup_or_null(
			http_header_get(&r, "X-Accepted-GitHub-Permissions"));
		c->sso = xstrdup_or_null(http_header_get(&r, "X-GitHub-SSO"));
		c->credential_type = xstrdup_or_null(http_header_get(&r, "X-Credential-Type"));
		if (c->limited) {
			if (c->retry_after >= 0)
				wait = c->retry_after;
			else if (c->reset >= 0 && (c->remaining == 0 || r.status == 429)) {
				wait = c->reset - (long)time(NULL) + 1;
				if (wait < 0)
					wait = 0;
			}
		}
		if (c->limited && attempt == 0 && wait >= 0 &&
		    (double)wait <= s->o->timeout) {
			/* Short enough to wait out within --timeout: every
			 * call to this host waits with this one. */
			not_before = now_ms() + (wait ? wait : 1) * 1000LL;
			host_leave(s, origin, not_before);
			http_response_free(&r);
			continue;
		}
		host_leave(s, origin, 0);
		if (c->limited || (c->remaining == 0 && r.status < 300)) {
			char *when = reset_text(c->reset);
			char *why;

			if (c->secondary)
				why = xasprintf("secondary rate limit of %s (HTTP %ld%s%ld s)%s",
						origin, r.status,
						c->retry_after >= 0 ? ", Retry-After " : "",
						c->retry_after >= 0 ? c->retry_after : 0, when);
			else if (c->limited)
				why = c->retry_after >= 0
				      ? xasprintf("rate limited by %s (HTTP %ld, Retry-After %ld s, longer than --timeout)%s",
						  origin, r.status, c->retry_after, when)
				      : c->reset >= 0 && wait >= 0
				      ? xasprintf("rate limited by %s (HTTP %ld, X-RateLimit-Remaining %ld)%s, later than --timeout",
						  origin, r.status, c->remaining, when)
				      : xasprintf("rate limited by %s (HTTP %ld, X-RateLimit-Remaining %ld)%s",
						  origin, r.status, c->remaining, when);
			else
				why = xasprintf("the rate limit of %s is used up (X-RateLimit-Remaining 0)%s",
						origin, when);
			free(when);
			/* Later calls to that host are not made at all. */
			block_add(s, origin, why);
		}
		if (keep)
			*keep = r;
		else
			http_response_free(&r);
		client_release(s, http);
		free(origin);
		return;
	}
	client_release(s, http);
	if (keep)
		memset(keep, 0, sizeof(*keep));
	free(origin);
}

static int add_call(struct provider_facts *pf, const char *what,
		    char *method, char *url)
{
	struct prov_call *c;

	pf->calls = xrealloc(pf->calls, (pf->ncalls + 1) * sizeof(*pf->calls));
	c = &pf->calls[pf->ncalls];
	memset(c, 0, sizeof(*c));
	c->what = xstrdup(what);
	c->method = method;
	c->url = url;
	c->retry_after = c->reset = c->remaining = c->limit = -1;
	return (int)pf->ncalls++;
}

/* Makes one read call of the rule file; returns its index in pf->calls
 * (-1 when a placeholder has no value: *missing says which) and its
 * parsed answer in *json. Identical URLs are asked once. */
static int read_call(struct provider_session *s, struct provider_facts *pf,
		     const struct place *pl, const struct http_header *hdrs,
		     size_t nhdrs, const char *what, const char *call,
		     cJSON **json, char **missing)
{
	char *method, *url;
	int k;

	*json = NULL;
	if (!build_call(pl, call, &method, &url, missing))
		return -1;
	k = add_call(pf, what, method, url);
	do_call(s, &pf->calls[k], hdrs, nhdrs, NULL, json, NULL);
	return k;
}

/* What tells one credential from another in a shared read's key: the
 * read's headers with the placeholder where the token goes, each name
 * and value length-prefixed. The session has one token, so the same text
 * means the same headers sent, and the key holds no secret. Made once
 * per repository (fetch), not per call; malloc'd. */
static char *credential_key(const struct provider *p, const struct request *rq)
{
	struct http_header *h;
	struct sbuf b = {0};
	size_t n;

	read_headers(p, rq, VARS_TOKEN_PLACEHOLDER, &h, &n);
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&b, "%zu:%s%zu:%s", strlen(h[i].name), h[i].name,
			  strlen(h[i].value), h[i].value);
	headers_free(h, n);
	return sbuf_detach(&b);
}

/* Copies the answer of one call (not what/method/url) into another. */
static void call_copy_answer(struct prov_call *dst, const struct prov_call *src)
{
	char *what = dst->what, *method = dst->method, *url = dst->url;

	*dst = *src;
	dst->what = what;
	dst->method = method;
	dst->url = url;
	dst->error = xstrdup_or_null(src->error);
	dst->message = xstrdup_or_null(src->message);
	dst->error_name = xstrdup_or_null(src->error_name);
	dst->scopes = xstrdup_or_null(src->scopes);
	dst->accepted_scopes = xstrdup_or_null(src->accepted_scopes);
	dst->accepted_perms = xstrdup_or_null(src->accepted_perms);
	dst->sso = xstrdup_or_null(src->sso);
	dst->credential_type = xstrdup_or_null(src->credential_type);
	dst->scopes_required = xstrdup_or_null(src->scopes_required);
	dst->scopes_granted = xstrdup_or_null(src->scopes_granted);
}

/* Have the calls to url's origin been stopped (a rate limit, a failed
 * call)? Takes the lock. */
static bool host_stopped(struct provider_session *s, const char *url)
{
	char *origin = origin_of(url), *why = block_copy(s, origin);
	bool stopped = why != NULL;

	free(why);
	free(origin);
	return stopped;
}

/* Records that pf's call k holds sc's answer (made it, or a copy). */
static void hold_shared(struct provider_session *s, struct shared_call *sc,
			struct provider_facts *pf, int k)
{
	pthread_mutex_lock(&s->lock);
	if (pf->order < sc->first)
		sc->first = pf->order;
	pf->calls[k].shared = sc->index + 1;
	pthread_mutex_unlock(&s->lock);
}

/* read_call for a call whose answer does not depend on the commit: the
 * token's identity (GET /user, per API base and credential), the
 * repository read and the required-checks reads (per repository and
 * branch). Made once per URL and credential for the run, whatever the
 * number of repositories and commits; the later askers wait for the one
 * in flight and get a copy of the answer (marked reused) without a
 * request. With host_rule, an asker that finds the call's host stopped
 * (a rate limit or a failed call, by this call or another) is not given
 * a copy: its call goes to do_call, which refuses it without a request,
 * as it refuses every later call to a stopped host. The token's read
 * goes without host_rule: it opens every repository's chain, so with it
 * a chain that starts after the stop would end at HD601 rather than at
 * the read the stop actually refused. */
static int shared_read_call(struct provider_session *s, struct provider_facts *pf,
			    const struct place *pl, const struct http_header *hdrs,
			    size_t nhdrs, const char *cred, const char *what,
			    const char *call, cJSON **json, char **missing, bool host_rule)
{
	char *method, *url, *key;
	struct shared_call *sc;
	bool mine = false;
	int k;

	*json = NULL;
	if (!build_call(pl, call, &method, &url, missing))
		return -1;
	key = xasprintf("%s %s|%s", method, url, cred);
	pthread_mutex_lock(&s->lock);
	sc = strmap_get(&s->shared_ix, key);
	if (!sc) {
		sc = xcalloc(1, sizeof(*sc));
		sc->key = key;
		sc->first = LONG_MAX;
		sc->index = s->nshared;
		key = NULL;
		s->shared = xrealloc(s->shared, (s->nshared + 1) * sizeof(*s->shared));
		s->shared[s->nshared++] = sc;
		strmap_put(&s->shared_ix, sc->key, sc);
		mine = true;
	}
	while (!mine && !sc->done)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
	free(key);
	k = add_call(pf, what, method, url);
	if (!mine && !(host_rule && host_stopped(s, pf->calls[k].url))) {
		/* Done answers are not changed again: no lock needed. */
		call_copy_answer(&pf->calls[k], &sc->call);
		pf->calls[k].reused = sc->call.made;
		*json = sc->json ? cJSON_Duplicate(sc->json, 1) : NULL;
		hold_shared(s, sc, pf, k);
		return k;
	}
	/* The first asker's call; or, with host_rule, a waiter whose host
	 * was stopped meanwhile, which do_call refuses without a request. */
	do_call(s, &pf->calls[k], hdrs, nhdrs, NULL, json, NULL);
	if (mine) {
		pthread_mutex_lock(&s->lock);
		call_copy_answer(&sc->call, &pf->calls[k]);
		sc->json = *json ? cJSON_Duplicate(*json, 1) : NULL;
		sc->done = true;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
		hold_shared(s, sc, pf, k);
	}
	return k;
}

/* Marks reused, once every fetch is done, the holders of each shared
 * read but the one first in input order: which one that is then does not
 * depend on which thread asked first. Facts fetched later (not planned)
 * keep the mark they were given: a copy is reused. */
static void mark_reused(struct provider_session *s)
{
	for (size_t i = 0; i < s->ncache; i++) {
		struct provider_facts *pf = s->cache[i]->pf;

		for (size_t k = 0; k < pf->ncalls; k++) {
			const struct shared_call *sc;

			if (!pf->calls[k].shared)
				continue;
			sc = s->shared[pf->calls[k].shared - 1];
			pf->calls[k].reused = sc->call.made &&
					      pf->order != sc->first;
		}
	}
}

static bool ok2xx(const struct provider_facts *pf, int k)
{
	return k >= 0 && pf->calls[k].status >= 200 && pf->calls[k].status < 300 &&
	       pf->calls[k].status != 203;
}

/* ------------------------------------------------------------------ */
/* Reading answers                                                      */

static void parse_scopes(struct provider_facts *pf, const char *list,
			 const char *from)
{
	if (pf->scopes_known || !list)
		return;
	pf->scopes_known = true;
	pf->scopes_from = xstrdup(from);
	for (const char *p = list; *p;) {
		size_t n;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (!n)
			break;
		pf->scopes = xrealloc(pf->scopes, (pf->nscopes + 1) * sizeof(char *));
		pf->scopes[pf->nscopes++] = xstrndup(p, n);
		p += n;
	}
}

static void read_token_answer(struct provider_facts *pf,
			      const struct rule_api *api, const cJSON *j)
{
	static const char *const users[] = {
		"login", "username", "display_name", "user.username",
		"authenticatedUser.providerDisplayName", NULL,
	};
	const cJSON *v;

	for (size_t i = 0; users[i] && !pf->user; i++)
		pf->user = xstrdup_or_null(json_str(j, users[i]));
	if (api->scopes_member && (v = json_at(j, api->scopes_member)) &&
	    cJSON_IsArray(v)) {
		char *list = json_join(v);

		parse_scopes(pf, list, "the token's own description");
		free(list);
	}
	v = json_at(j, "active");
	if (cJSON_IsBool(v))
		pf->token_active = cJSON_IsTrue(v) ? TRI_YES : TRI_NO;
	v = json_at(j, "revoked");
	if (cJSON_IsTrue(v))
		pf->token_active = TRI_NO;
	pf->token_expires = xstrdup_or_null(json_str(j, "expires_at"));
}

static void read_repo_answer(struct provider_facts *pf, const cJSON *j)
{
	const cJSON *v;
	const char *b;

	v = json_at(j, "permissions.push");
	if (cJSON_IsBool(v))
		pf->push = cJSON_IsTrue(v) ? TRI_YES : TRI_NO;
	v = json_at(j, "permissions.project_access.access_level");
	if (cJSON_IsNumber(v))
		pf->access_level = (long)v->valuedouble;
	v = json_at(j, "permissions.group_access.access_level");
	if (cJSON_IsNumber(v) && (long)v->valuedouble > pf->access_level)
		pf->access_level = (long)v->valuedouble;
	if (json_at(j, "permissions") && pf->access_level < 0 &&
	    cJSON_IsObject(json_at(j, "permissions")) &&
	    json_at(j, "permissions.project_access") &&
	    cJSON_IsNull(json_at(j, "permissions.project_access")) &&
	    (!json_at(j, "permissions.group_access") ||
	     cJSON_IsNull(json_at(j, "permissions.group_access"))))
		pf->access_level = 0;   /* GitLab: no membership at all */
	if ((b = json_str(j, "visibility")))
		pf->repo_visibility = xstrdup(b);
	else if (cJSON_IsBool(json_at(j, "private")))
		pf->repo_visibility = xstrdup(cJSON_IsTrue(json_at(j, "private")) ? "private" : "public");
	else if (cJSON_IsBool(json_at(j, "is_private")))
		pf->repo_visibility = xstrdup(cJSON_IsTrue(json_at(j, "is_private")) ? "private" : "public");
	else if (cJSON_IsBool(json_at(j, "public")))
		pf->repo_visibility = xstrdup(cJSON_IsTrue(json_at(j, "public")) ? "public" : "private");
	b = json_str(j, "default_branch");
	if (!b)
		b = json_str(j, "mainbranch.name");
	if (!b)
		b = json_str(j, "defaultBranch");
	if (b) {
		if (strncmp(b, "refs/heads/", 11) == 0)
			b += 11;
		pf->default_branch = xstrdup(b);
	}
}

/* The identity of a listed status: the provider's identity fields joined
 * with "/" (as analyse.c joins them). */
static char *status_identity(const struct provider *p, const cJSON *st)
{
	struct sbuf b = {0};

	for (size_t i = 0; i < p->nidentity; i++) {
		const cJSON *n = json_at(st, p->identity[i]);
		char *t;

		for (size_t k = 0; !n && k < p->nfields; k++)
			if (p->fields[k].alias_of &&
			    strcmp(p->fields[k].alias_of, p->identity[i]) == 0)
				n = json_at(st, p->fields[k].name);
		t = json_text(n);
		if (i)
			sbuf_addc(&b, '/');
		sbuf_add(&b, t ? t : "");
		free(t);
	}
	return sbuf_detach(&b);
}

static void add_statuses(const struct provider *p, const cJSON *list,
			 struct prov_status **out, size_t *n)
{
	const struct rule_api *api = p->api;
	const char *state = api->status_state ? api->status_state : p->state_field;

	for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next) {
		struct prov_status *st;

		if (!cJSON_IsObject(e))
			continue;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		st = &(*out)[(*n)++];
		st->identity = status_identity(p, e);
		st->state = json_text(json_at(e, state));
		st->description = json_text(json_at(e, "description"));
		st->link = p->link_field ? json_text(json_at(e, p->link_field)) : NULL;
	}
}

/* The next page: a Link rel="next", a body "next" URL (Bitbucket Cloud) or
 * isLastPage/nextPageStart (Bitbucket DC). Only links to the API's own
 * origin are followed. malloc'd or NULL. */
static char *next_page(const char *url, const struct http_response *r,
		       const cJSON *j)
{
	const char *link = http_header_get(r, "Link");
	char *next = NULL;

	while (link && *link && !next) {
		const char *lt = strchr(link, '<'), *gt = lt ? strchr(lt, '>') : NULL;
		const char *comma;

		if (!gt)
			break;
		comma = strchr(gt, ',');
		{
			size_t seglen = comma ? (size_t)(comma - gt) : strlen(gt);
			char *seg = xstrndup(gt, seglen);

			if (strstr(seg, "rel=\"next\"") || strstr(seg, "rel=next"))
				next = xstrndup(lt + 1, (size_t)(gt - lt - 1));
			free(seg);
		}
		link = comma ? comma + 1 : NULL;
	}
	if (!next && json_str(j, "next"))
		next = xstrdup(json_str(j, "next"));
	if (!next && cJSON_IsFalse(json_at(j, "isLastPage")) &&
	    cJSON_IsNumber(json_at(j, "nextPageStart"))) {
		char *q = query_param(url, "start");
		struct sbuf b = {0};

		if (q) {
			const char *p = strstr(url, "start=");

			sbuf_addn(&b, url, (size_t)(p - url));
			sbuf_addf(&b, "start=%ld%s", (long)json_at(j, "nextPageStart")->valuedouble,
				  p + 6 + strlen(q));
		} else {
			sbuf_addf(&b, "%s%cstart=%ld", url, strchr(url, '?') ? '&' : '?',
				  (long)json_at(j, "nextPageStart")->valuedouble);
		}
		free(q);
		next = sbuf_detach(&b);
	}
	if (next) {
		char *a = origin_of(url), *b2 = origin_of(next);
		bool same = strcmp(a, b2) == 0;

		free(a);
		free(b2);
		if (!same) {
			free(next);
			next = NULL;
		}
	}
	return next;
}

/* Reads every page of the statuses (at most MAX_PAGES). Returns the
 * index of the first call, -1 when it cannot be built. */
static int read_statuses(struct provider_session *s, struct provider_facts *pf,
			 const struct place *pl, const struct provider *p,
			 const struct http_header *hdrs, size_t nhdrs,
			 const char *what, struct prov_status **out, size_t *n,
			 bool *ok, bool *truncated, char **missing)
{
	char *method, *url;
	int first = -1;

	*ok = *truncated = false;
	if (!build_call(pl, p->api->statuses, &method, &url, missing))
		return -1;
	for (int page = 0; url; page++) {
		struct http_response r;
		cJSON *j;
		int k;

		if (page == MAX_PAGES) {
			*truncated = true;
			free(url);
			break;
		}
		k = add_call(pf, what, xstrdup(method), url);
		if (first < 0)
			first = k;
		do_call(s, &pf->calls[k], hdrs, nhdrs, NULL, &j, &r);
		url = NULL;
		if (ok2xx(pf, k)) {
			const cJSON *list = p->api->statuses_list
					    ? json_at(j, p->api->statuses_list) : j;

			if (cJSON_IsArray(list)) {
				if (page == 0)
					*ok = true;
				add_statuses(p, list, out, n);
				url = next_page(pf->calls[k].url, &r, j);
			}
		} else if (page > 0) {
			*truncated = true;
		}
		cJSON_Delete(j);
		http_response_free(&r);
	}
	free(method);
	return first;
}

/* Collects the names under any member listed in required_members: an
 * array of strings, or of objects with a "context". */
static void collect_required(struct provider_facts *pf, const struct rule_api *api,
			     const cJSON *node)
{
	for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
		bool listed = false;

		for (size_t i = 0; c->string && i < api->nrequired_members && !listed; i++)
			listed = strcmp(c->string, api->required_members[i]) == 0;
		if (listed && cJSON_IsArray(c)) {
			for (const cJSON *e = c->child; e; e = e->next) {
				const char *name = cJSON_IsString(e) ? e->valuestring
								     : json_str(e, "context");
				bool dup = false;

				for (size_t k = 0; name && k < pf->nrequired && !dup; k++)
					dup = strcmp(pf->required[k], name) == 0;
				if (!name || dup)
					continue;
				pf->required = xrealloc(pf->required,
							(pf->nrequired + 1) * sizeof(char *));
				pf->required[pf->nrequired++] = xstrdup(name);
			}
		}
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			collect_required(pf, api, c);
	}
}

/* ------------------------------------------------------------------ */
/* The facts                                                            */

const char *provider_hook_identity(const struct analysis *a)
{
	const struct request *rq = a->nprimary ? &a->req[0] : NULL;

	if (rq && rq->identity_set && rq->identity)
		return rq->identity;
	if (a->provider && a->provider->identity_default)
		return a->provider->identity_default;
	return "";
}

static bool identity_eq(const struct provider *p, const char *x, const char *y)
{
	return p->identity_ci ? ascii_casecmp(x, y) == 0 : strcmp(x, y) == 0;
}

/* Lower-cased letters and digits only. */
static char *squash(const char *s)
{
	struct sbuf b = {0};

	for (; *s; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			sbuf_addc(&b, (char)tolower((unsigned char)*s));
	return sbuf_detach(&b);
}

bool provider_identity_near(const char *x, const char *y)
{
	char *a, *b;
	bool near;
	size_t la, lb;

	if (strcmp(x, y) == 0)
		return false;
	a = squash(x);
	b = squash(y);
	la = strlen(a);
	lb = strlen(b);
	near = (la && lb && (strcmp(a, b) == 0 ||
			     (la >= 4 && lb >= 4 &&
			      (strncmp(a, b, la < lb ? la : lb) == 0)))) ||
	       edit_distance(x, y, 2) <= 2;
	/* Two short different names ("ci" and "cd") are not near. */
	if (near && strlen(x) <= 3 && strlen(y) <= 3 && strcmp(a, b) != 0)
		near = false;
	free(a);
	free(b);
	return near;
}

/* Uses the branch the action deploys, else the repository's default. */
static const char *action_branch(const struct analysis *a)
{
	static const char *const paths[] = {
		"action.triggered_from.hook_parsed_variables.branch",
		"action.action_data.branch",
		"application.default_branch",
	};

	for (size_t i = 0; a->vars && i < sizeof(paths) / sizeof(paths[0]); i++) {
		const char *v = vars_lookup(a->vars, paths[i], strlen(paths[i]));

		if (v && *v)
			return v;
	}
	return NULL;
}

static bool commit_from_sample(const struct analysis *a)
{
	if (!a->vars || !a->vars->sample)
		return false;
	for (size_t i = 0; i < a->opts->nvars; i++)
		if (strstr(a->opts->vars[i], "commit"))
			return false;
	return true;
}

/* The API base: --provider-api-url, else the target URL up to the rule
 * file's base_before (query split off); malloc'd or NULL. */
static char *api_base(const struct options *o, const struct rule_api *api,
		      const char *url, bool *from_option)
{
	const char *host, *at;
	size_t n;

	*from_option = false;
	if (o->provider_api_url) {
		n = strlen(o->provider_api_url);
		while (n && o->provider_api_url[n - 1] == '/')
			n--;
		*from_option = true;
		return xstrndup(o->provider_api_url, n);
	}
	if (!url || !(host = strstr(url, "://")))
		return NULL;
	host += 3;
	at = strstr(host + strcspn(host, "/?#"), api->base_before);
	if (!at || (strchr(url, '?') && at > strchr(url, '?')))
		return NULL;
	return xstrndup(url, (size_t)(at - url));
}

/* "owner/repo" for messages, percent-escapes decoded (GitLab's
 * "group%2Fproject"); malloc'd or NULL. */
static char *repo_display(const struct url_match *m)
{
	const char *first = m->owner ? m->owner : m->project;
	char *raw, *out, *o;

	if (!m->repo)
		return NULL;
	raw = first ? xasprintf("%s/%s", first, m->repo) : xstrdup(m->repo);
	out = o = xmalloc(strlen(raw) + 1);
	for (const char *p = raw; *p; p++) {
		if (p[0] == '%' && isxdigit((unsigned char)p[1]) &&
		    isxdigit((unsigned char)p[2])) {
			char hex[3] = {p[1], p[2], '\0'};

			*o++ = (char)strtol(hex, NULL, 16);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	free(raw);
	return out;
}

static struct provider_facts *facts_new(const char *provider)
{
	struct provider_facts *pf = xcalloc(1, sizeof(*pf));

	pf->provider = xstrdup_or_null(provider);
	pf->token_call = pf->repo_call = pf->commit_call = -1;
	pf->statuses_call = pf->required_call = -1;
	pf->access_level = -1;
	return pf;
}

static void fetch(struct provider_session *s, struct provider_facts *pf,
		  const struct analysis *a)
{
	const struct provider *p = a->provider;
	const struct rule_api *api = p->api;
	struct place pl = {a, api, pf->base, NULL};
	struct http_header *hdrs;
	size_t nh;
	char *missing = NULL, *origin, *cred;
	bool same;
	cJSON *j;
	int k;

	read_headers(p, &a->req[0], s->token, &hdrs, &nh);
	cred = credential_key(p, &a->req[0]);

	/* HD601: an authenticated read. Where it is the repository read
	 * too (Bitbucket, Azure), it is asked once and read twice. */
	same = api->repo && strcmp(api->repo, api->token_check) == 0;
	k = shared_read_call(s, pf, &pl, hdrs, nh, cred, "token", api->token_check, &j, &missing,
			     false);
	if (k < 0) {
		pf->skipped = xasprintf("the target URL names no %s, which the provider's "
					"API calls need (%s)", missing, api->token_check);
		goto out;
	}
	pf->token_call = k;
	if (same) {
		pf->repo_call = k;
		if (ok2xx(pf, k))
			read_repo_answer(pf, j);
	}
	if (pf->calls[k].status == 404 && api->token_fallback) {
		/* GitLab: not a personal/project/group access token (OAuth). */
		cJSON_Delete(j);
		k = shared_read_call(s, pf, &pl, hdrs, nh, cred, "token", api->token_fallback, &j,
				     &missing, false);
		if (k >= 0)
			pf->token_call = k;
	}
	if (ok2xx(pf, pf->token_call))
		read_token_answer(pf, api, j);
	if (api->scopes_header)
		parse_scopes(pf, pf->calls[pf->token_call].scopes, api->scopes_header);
	cJSON_Delete(j);
	{
		const struct prov_call *t = &pf->calls[pf->token_call];

		/* No answer, a refused token or a rate limit: every other
		 * call would end the same way. */
		if (t->status == 0 || t->status == 401 || t->status == 203 || t->limited)
			goto out;
	}

	/* HD603, and HD602's permissions. */
	if (api->repo && !same) {
		k = shared_read_call(s, pf, &pl, hdrs, nh, cred, "repo", api->repo, &j, &missing,
				     true);
		pf->repo_call = k;
		if (ok2xx(pf, k))
			read_repo_answer(pf, j);
		if (api->scopes_header && k >= 0)
			parse_scopes(pf, pf->calls[k].scopes, api->scopes_header);
		cJSON_Delete(j);
		free(missing);
		missing = NULL;
	}

	/* HD604 */
	if (api->commit && (!api->repo || ok2xx(pf, pf->repo_call))) {
		k = read_call(s, pf, &pl, hdrs, nh, "commit", api->commit, &j, &missing);
		pf->commit_call = k;
		cJSON_Delete(j);
		free(missing);
		missing = NULL;
	}

	/* HD605 */
	if (api->statuses && (pf->commit_call < 0 || ok2xx(pf, pf->commit_call)) &&
	    (!api->repo || ok2xx(pf, pf->repo_call))) {
		pf->statuses_call = read_statuses(s, pf, &pl, p, hdrs, nh, "statuses",
						  &pf->statuses, &pf->nstatuses,
						  &pf->statuses_ok, &pf->statuses_truncated,
						  &missing);
		free(missing);
		missing = NULL;
	}

	/* HD607 */
	pf->branch = xstrdup_or_null(action_branch(a));
	if (!pf->branch)
		pf->branch = xstrdup_or_null(pf->default_branch);
	pl.branch = pf->branch;
	for (size_t i = 0; i < api->nrequired_checks && ok2xx(pf, pf->repo_call); i++) {
		k = shared_read_call(s, pf, &pl, hdrs, nh, cred, "required",
				     api->required_checks[i], &j, &missing, true);
		if (k >= 0 && pf->required_call < 0)
			pf->required_call = k;
		if (ok2xx(pf, k)) {
			pf->required_ok = true;
			collect_required(pf, api, j);
		} else if (k >= 0 && pf->calls[k].status == 404) {
			/* No protection (rule) for the branch: nothing required. */
			pf->required_ok = true;
		}
		cJSON_Delete(j);
		free(missing);
		missing = NULL;
	}
out:
	free(missing);
	free(cred);
	headers_free(hdrs, nh);
	origin = origin_of(pf->base);
	pf->stopped = block_copy(s, origin);
	free(origin);
}

/* The request whose body the test status starts from: the first fired
 * status that is pending in the provider's terms, else the first. */
static const struct request *send_request(const struct analysis *a)
{
	for (size_t i = 0; i < a->nprimary; i++)
		if (a->req[i].state &&
		    rules_state_class(a->provider, a->req[i].state) == SC_PENDING)
			return &a->req[i];
	return a->nprimary ? &a->req[0] : NULL;
}

/* Sets a dotted member of a JSON object, creating objects on the way. */
static void json_set(cJSON *obj, const char *path, const char *value)
{
	char seg[128];

	for (;;) {
		size_t n = strcspn(path, ".");
		cJSON *next;

		if (n >= sizeof(seg))
			return;
		memcpy(seg, path, n);
		seg[n] = '\0';
		if (!path[n]) {
			cJSON_DeleteItemFromObjectCaseSensitive(obj, seg);
			cJSON_AddStringToObject(obj, seg, value);
			return;
		}
		next = cJSON_GetObjectItemCaseSensitive(obj, seg);
		if (!cJSON_IsObject(next)) {
			cJSON_DeleteItemFromObjectCaseSensitive(obj, seg);
			next = cJSON_AddObjectToObject(obj, seg);
		}
		obj = next;
		path += n + 1;
	}
}

static void send_test(struct provider_session *s, struct provider_facts *pf,
		      const struct analysis *a, struct prov_send *sd)
{
	const struct provider *p = a->provider;
	const struct request *rq = send_request(a);
	struct place pl = {a, p->api, pf->base, pf->branch};
	struct http_header *hdrs;
	struct prov_status *after = NULL;
	size_t nh, nafter = 0;
	char *method, *url, *missing = NULL, *body;
	cJSON *b, *j;
	bool ok, truncated, has_ct = false;
	int k;

	if (!rq) {
		sd->skipped = xstrdup("the hook fires on no status");
		return;
	}
	if (!build_call(&pl, p->api->send, &method, &url, &missing)) {
		sd->skipped = xasprintf("the target URL names no %s", missing);
		free(missing);
		return;
	}
	b = cJSON_IsObject(rq->body_json) ? cJSON_Duplicate(rq->body_json, 1)
					  : cJSON_CreateObject();
	json_set(b, p->state_field, sd->state);
	if (rules_field(p, "description"))
		json_set(b, "description", SEND_DESCRIPTION);
	body = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);

	hook_headers(p, rq, s->token, true, &hdrs, &nh);
	for (size_t i = 0; i < nh; i++)
		has_ct |= ascii_casecmp(hdrs[i].name, "Content-Type") == 0;
	if (!has_ct) {
		hdrs[nh].name = xstrdup("Content-Type");
		hdrs[nh].value = xstrdup(p->content_type ? p->content_type
							 : "application/json");
		nh++;
	}
	k = add_call(pf, "send", method, url);
	sd->post = k;
	do_call(s, &pf->calls[k], hdrs, nh, body, &j, NULL);
	cJSON_Delete(j);
	cJSON_free(body);
	headers_free(hdrs, nh);
	if (!ok2xx(pf, k))
		return;

	/* Read back, authenticated like the reads. */
	read_headers(p, &a->req[0], s->token, &hdrs, &nh);
	sd->readback = read_statuses(s, pf, &pl, p, hdrs, nh, "read-back",
				     &after, &nafter, &ok, &truncated, &missing);
	free(missing);
	headers_free(hdrs, nh);
	for (size_t i = 0, seen = 0; i < nafter; i++) {
		const struct prov_status *st = &after[i];
		bool mine = st->description && strcmp(st->description, SEND_DESCRIPTION) == 0 &&
			    st->state && ascii_casecmp(st->state, sd->state) == 0;

		if (identity_eq(p, st->identity, sd->identity)) {
			if (mine && !sd->found) {
				sd->found = true;
				sd->found_identity = xstrdup(st->identity);
				sd->found_at = seen;
			}
			seen++;
		} else if (mine && !sd->found && !sd->found_identity) {
			/* Stored under another identity than the one sent. */
			sd->found_identity = xstrdup(st->identity);
		} else if (!sd->other_near &&
			   provider_identity_near(st->identity, sd->identity)) {
			sd->other_near = xstrdup(st->identity);
		}
	}
	for (size_t i = 0; i < nafter; i++) {
		free(after[i].identity);
		free(after[i].state);
		free(after[i].description);
		free(after[i].link);
	}
	free(after);
}

/* The pending state to post: the one recommended for "pending". */
static const char *pending_state(const struct provider *p)
{
	if (p->recommended[ST_PENDING])
		return p->recommended[ST_PENDING];
	return p->nstates_pending ? p->states_pending[0] : "pending";
}

static void maybe_send(struct provider_session *s, struct provider_facts *pf,
		       const struct analysis *a)
{
	const char *id = provider_hook_identity(a);
	struct prov_send *sd;

	pf->sends = xrealloc(pf->sends, (pf->nsends + 1) * sizeof(*pf->sends));
	sd = &pf->sends[pf->nsends++];
	memset(sd, 0, sizeof(*sd));
	sd->identity = xstrdup(id);
	sd->state = xstrdup(pending_state(a->provider));
	sd->post = sd->readback = -1;
	for (size_t i = 0; i < pf->nstatuses; i++)
		if (identity_eq(a->provider, pf->statuses[i].identity, id))
			sd->before++;
	/* Write only where the reads proved the token, repository and
	 * commit good: a test status must not land anywhere else. */
	if (pf->stopped)
		sd->skipped = xasprintf("not sent: %s", pf->stopped);
	else if (pf->token_call < 0 ||
		 (!ok2xx(pf, pf->token_call) && pf->calls[pf->token_call].status != 403))
		sd->skipped = xstrdup("not sent: the token was not accepted (HD601)");
	else if (pf->repo_call >= 0 && !ok2xx(pf, pf->repo_call))
		sd->skipped = xstrdup("not sent: the repository is not readable (HD603)");
	else if (pf->commit_call >= 0 && !ok2xx(pf, pf->commit_call))
		sd->skipped = xstrdup("not sent: the commit was not found (HD604)");
	else
		send_test(s, pf, a, sd);
}

/* Under the lock. */
static struct cache_entry *cache_get(struct provider_session *s, const char *key)
{
	return strmap_get(&s->cache_ix, key);
}

/* Under the lock; takes key. */
static struct cache_entry *cache_put(struct provider_session *s, char *key,
				     struct provider_facts *pf, bool busy)
{
	struct cache_entry *e = xcalloc(1, sizeof(*e));

	e->key = key;
	e->pf = pf;
	e->busy = busy;
	s->cache = xrealloc(s->cache, (s->ncache + 1) * sizeof(*s->cache));
	s->cache[s->ncache++] = e;
	strmap_put(&s->cache_ix, e->key, e);
	return e;
}

/* Facts that only say why nothing was fetched, shared per reason. Under
 * the lock. */
static struct provider_facts *skipped_facts(struct provider_session *s,
					    const struct provider *p, char *why)
{
	char *key = xasprintf("skip|%s|%s", p ? p->name : "", why);
	struct cache_entry *e = cache_get(s, key);
	struct provider_facts *pf;

	if (e) {
		free(key);
		free(why);
		return e->pf;
	}
	pf = facts_new(p ? p->name : NULL);
	pf->skipped = why;
	return cache_put(s, key, pf, false)->pf;
}

/* The place of the repository and commit of key in the plan (input
 * order of their first hook); after the planned ones when not planned.
 * Under the lock. */
static long plan_order(struct provider_session *s, const char *key)
{
	size_t at = (size_t)(uintptr_t)strmap_get(&s->plan_ix, key);

	return at ? (long)at - 1 : LONG_MAX;
}

/* The cache key of the facts a needs, with the API base in *base; or
 * NULL with *skip set to facts that say why nothing is asked. Under the
 * lock. */
static char *facts_key(struct provider_session *s, const struct analysis *a,
		       char **base, bool *from_option,
		       struct provider_facts **skip)
{
	const struct provider *p = a->provider;
	const char *url = a->nreq ? a->req[0].url : NULL;

	*base = NULL;
	*skip = NULL;
	if (!p)
		*skip = skipped_facts(s, NULL, xstrdup("no provider recognised (HD301)"));
	else if (!p->api)
		*skip = skipped_facts(s, p, xasprintf("the %s rules describe no API", p->name));
	else if (!a->nprimary)
		*skip = skipped_facts(s, p, xstrdup("the hook fires on no status (HD108)"));
	else if (!a->match.endpoint)
		*skip = skipped_facts(s, p, xasprintf("the target URL is not a %s commit-status "
						      "endpoint (HD301)", p->name));
	else if (!s->token)
		*skip = skipped_facts(s, p, xstrdup("no provider token: set HOOKDOCTOR_PROVIDER_TOKEN "
						    "or pass --provider-token-file (it stands in for "
						    "{{ application.source_provider.access_token }})"));
	else if (!(*base = api_base(s->o, p->api, url, from_option)))
		*skip = skipped_facts(s, p, xasprintf("cannot tell the API base from the target URL "
						      "(no \"%s\" in it): pass --provider-api-url",
						      p->api->base_before));
	if (*skip)
		return NULL;
	return xasprintf("%s|%s|%s|%s|%s|%s", p->name, *base,
			 a->match.owner ? a->match.owner : "",
			 a->match.project ? a->match.project : "",
			 a->match.repo ? a->match.repo : "",
			 a->match.commit ? a->match.commit : "");
}

/* Would maybe_send post (or record a skip) for this hook? Read-only. */
static bool send_wanted(const struct provider_session *s,
			const struct provider_facts *pf, const struct analysis *a)
{
	const char *id = provider_hook_identity(a);

	if (!s->o->send || !options_check_enabled(s->o, "HD606") || pf->skipped ||
	    !a->provider->api->send)
		return false;
	for (size_t i = 0; i < pf->nsends; i++)
		if (strcmp(pf->sends[i].identity, id) == 0)
			return false;
	return true;
}

const struct provider_facts *provider_facts_for(struct provider_session *s,
						const struct analysis *a)
{
	struct provider_facts *pf, *skip;
	struct cache_entry *e;
	bool from_option = false;
	char *base, *key;

	pthread_mutex_lock(&s->lock);
	key = facts_key(s, a, &base, &from_option, &skip);
	if (!key) {
		pthread_mutex_unlock(&s->lock);
		return skip;
	}
	e = cache_get(s, key);
	if (!e) {
		pf = facts_new(a->provider->name);
		pf->base = base;
		pf->base_from_option = from_option;
		pf->commit = xstrdup_or_null(a->match.commit);
		pf->sample_commit = commit_from_sample(a);
		pf->repo = repo_display(&a->match);
		pf->token_kind = xstrdup_or_null(provider_token_kind(s->token));
		pf->order = plan_order(s, key);
		e = cache_put(s, key, pf, true);
		pthread_mutex_unlock(&s->lock);
		/* The calls run without the lock: other repositories are
		 * fetched meanwhile, and hooks of this one wait (busy). */
		fetch(s, pf, a);
		pthread_mutex_lock(&s->lock);
		e->busy = false;
		pthread_cond_broadcast(&s->cond);
	} else {
		free(key);
		free(base);
	}
	while (e->busy)
		pthread_cond_wait(&s->cond, &s->lock);
	pf = e->pf;
	if (send_wanted(s, pf, a)) {
		e->busy = true;
		pthread_mutex_unlock(&s->lock);
		maybe_send(s, pf, a);
		pthread_mutex_lock(&s->lock);
		e->busy = false;
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	return pf;
}

void provider_plan(struct provider_session *s, long index,
		   const struct analysis *a)
{
	struct provider_facts *skip;
	struct plan_item *it;
	size_t at;
	bool from_option;
	const char *id;
	char *base, *key;

	pthread_mutex_lock(&s->lock);
	key = facts_key(s, a, &base, &from_option, &skip);
	pthread_mutex_unlock(&s->lock);
	free(base);
	if (!key)
		return;
	at = (size_t)(uintptr_t)strmap_get(&s->plan_ix, key);
	if (!at) {
		s->plan = xrealloc(s->plan, (s->nplan + 1) * sizeof(*s->plan));
		it = &s->plan[s->nplan++];
		memset(it, 0, sizeof(*it));
		it->key = key;
		strmap_put(&s->plan_ix, it->key, (void *)(uintptr_t)s->nplan);
	} else {
		it = &s->plan[at - 1];
		free(key);
	}
	/* Beyond the first hook, only a new identity can add a call (its
	 * --send test status). */
	id = provider_hook_identity(a);
	if (it->nhooks && (!s->o->send || !options_check_enabled(s->o, "HD606")))
		return;
	for (size_t i = 0; i < it->nhooks; i++)
		if (strcmp(it->identities[i], id) == 0)
			return;
	it->hooks = xrealloc(it->hooks, (it->nhooks + 1) * sizeof(*it->hooks));
	it->identities = xrealloc(it->identities, (it->nhooks + 1) * sizeof(char *));
	it->hooks[it->nhooks] = index;
	it->identities[it->nhooks] = xstrdup(id);
	it->nhooks++;
}

struct prefetch {
	struct provider_session *s;
	provider_load_fn load;
	provider_unload_fn unload;
	void *ctx;
};

static void *prefetch_worker(void *arg)
{
	struct prefetch *pw = arg;
	struct provider_session *s = pw->s;

	for (;;) {
		struct plan_item *it;

		pthread_mutex_lock(&s->lock);
		it = s->next_plan < s->nplan ? &s->plan[s->next_plan++] : NULL;
		pthread_mutex_unlock(&s->lock);
		if (!it)
			break;
		/* One repository and commit on one thread, its hooks in
		 * input order: the reads, then each identity's --send. */
		for (size_t i = 0; i < it->nhooks; i++) {
			struct analysis *a = pw->load(pw->ctx, it->hooks[i]);

			if (!a)
				continue;
			provider_facts_for(s, a);
			pw->unload(pw->ctx, a);
		}
	}
	return NULL;
}

void provider_prefetch(struct provider_session *s, provider_load_fn load,
		       provider_unload_fn unload, void *ctx)
{
	struct prefetch pw = {s, load, unload, ctx};
	int n = s->nplan < MAX_INFLIGHT ? (int)s->nplan : MAX_INFLIGHT;

	s->next_plan = 0;
	/* This thread works too. */
	run_threads(n, prefetch_worker, &pw);
	mark_reused(s);
}

void provider_facts_free(struct provider_facts *pf)
{
	if (!pf)
		return;
	free(pf->provider);
	free(pf->skipped);
	free(pf->base);
	free(pf->repo);
	free(pf->commit);
	free(pf->branch);
	for (size_t i = 0; i < pf->ncalls; i++)
		call_free(&pf->calls[i]);
	free(pf->calls);
	free(pf->stopped);
	free(pf->user);
	free(pf->token_kind);
	for (size_t i = 0; i < pf->nscopes; i++)
		free(pf->scopes[i]);
	free(pf->scopes);
	free(pf->scopes_from);
	free(pf->token_expires);
	free(pf->repo_visibility);
	free(pf->default_branch);
	for (size_t i = 0; i < pf->nstatuses; i++) {
		free(pf->statuses[i].identity);
		free(pf->statuses[i].state);
		free(pf->statuses[i].description);
		free(pf->statuses[i].link);
	}
	free(pf->statuses);
	for (size_t i = 0; i < pf->nrequired; i++)
		free(pf->required[i]);
	free(pf->required);
	for (size_t i = 0; i < pf->nsends; i++) {
		free(pf->sends[i].identity);
		free(pf->sends[i].state);
		free(pf->sends[i].skipped);
		free(pf->sends[i].found_identity);
		free(pf->sends[i].other_near);
	}
	free(pf->sends);
	free(pf);
}

void provider_parse_error_body(struct prov_call *c, long status,
			       const char *body, size_t len)
{
	struct http_response r = {0};
	cJSON *json = body && *body ? cJSON_Parse(body) : NULL;

	r.status = status;
	r.body = (char *)body;
	r.body_len = len;
	parse_error(c, &r, json);
	cJSON_Delete(json);
}

void provider_call_clear(struct prov_call *c)
{
	call_free(c);
	memset(c, 0, sizeof(*c));
}
