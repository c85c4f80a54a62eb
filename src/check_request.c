/*
 * check_request.c - HD301-HD311: the request Devopness would send, judged
 * against the provider's commit-status API (endpoint, method, commit,
 * headers, body).
 *
 * The checks only read what analyse.c collected (struct analysis) and the
 * provider's rules (rules.h): they render nothing, match no URL themselves
 * and do no I/O. A hook fires on several statuses, so most checks look at
 * several requests; they gather their problems in a list (struct issues),
 * merge identical ones and report the worst with a count of the rest, so
 * the one-line message always names one exact field, value and status.
 * Credentials never reach a message: auth headers are described by their
 * form ("Authorization: Bearer <token>"), never by their value.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include "json.h"
#include "checks.h"
#include "util.h"

/* A body larger than this is not a commit status (GitHub's description is
 * 140 characters); used when the rule file gives no max_body_bytes. */
#define DEFAULT_MAX_BODY_BYTES (64 * 1024)

/* "completed" or "completed (second action)" for messages. */
#define REQ_FMT "%s%s"
#define REQ_ARGS(rq) hd_status_name[(rq)->status], \
	((rq)->action ? " (second action)" : "")

/* --- a list of problems, reported as one finding --- */

struct issue {
	enum check_status status;   /* CS_FAIL or CS_WARN */
	char *msg, *hint;           /* owned */
};

struct issues {
	struct issue *v;
	size_t n, cap;
	struct strmap index;    /* message -> position + 1: a hostile hook
				   has tens of thousands of problems
				   (tests/hostile) */
};

/* Takes ownership of msg and hint (hint may be NULL). A message already in
 * the list is dropped, so one template mistake seen in seven statuses is
 * one problem. */
static void issue_add(struct issues *is, enum check_status st, char *msg,
		      char *hint)
{
	size_t at = (size_t)(uintptr_t)strmap_get(&is->index, msg);

	if (at) {
		if (st == CS_FAIL)
			is->v[at - 1].status = CS_FAIL;
		free(msg);
		free(hint);
		return;
	}
	strmap_put(&is->index, msg, (void *)(uintptr_t)(is->n + 1));
	if (is->n == is->cap) {
		is->cap = is->cap ? 2 * is->cap : 8;
		is->v = xrealloc(is->v, is->cap * sizeof(*is->v));
	}
	is->v[is->n].status = st;
	is->v[is->n].msg = msg;
	is->v[is->n].hint = hint;
	is->n++;
}

static void issues_free(struct issues *is)
{
	for (size_t i = 0; i < is->n; i++) {
		free(is->v[i].msg);
		free(is->v[i].hint);
	}
	free(is->v);
	is->v = NULL;
	is->n = is->cap = 0;
	strmap_free(&is->index);
}

/* Reports the first failure (else the first warning) and lists every
 * problem in the evidence; frees the list. Call only when is->n > 0. */
static enum check_status issues_report(struct finding *f, struct issues *is)
{
	size_t pick = 0;
	for (size_t i = 0; i < is->n; i++) {
		if (is->v[i].status == CS_FAIL) {
			pick = i;
			break;
		}
	}
	const struct issue *it = &is->v[pick];
	enum check_status st;
	if (is->n == 1)
		st = it->status == CS_FAIL ? finding_fail(f, "%s", it->msg)
					   : finding_warn(f, "%s", it->msg);
	else if (it->status == CS_FAIL)
		st = finding_fail(f, "%s (and %zu more)", it->msg, is->n - 1);
	else
		st = finding_warn(f, "%s (and %zu more)", it->msg, is->n - 1);
	if (it->hint)
		finding_hint(f, "%s", it->hint);
	if (is->n > 1) {
		cJSON *list = cJSON_CreateArray();
		for (size_t i = 0; i < is->n; i++) {
			char *line = xasprintf("%s: %s",
					       check_status_name[is->v[i].status],
					       is->v[i].msg);
			cJSON_AddItemToArray(list, cJSON_CreateString(line));
			free(line);
		}
		finding_ev_json(f, "problems", list);
	}
	issues_free(is);
	return st;
}

/* --- small helpers --- */

static bool all_hex(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

static const char *json_kind(const cJSON *n)
{
	if (cJSON_IsObject(n)) return "object";
	if (cJSON_IsArray(n)) return "array";
	if (cJSON_IsString(n)) return "string";
	if (cJSON_IsNumber(n)) return "number";
	if (cJSON_IsBool(n)) return "boolean";
	if (cJSON_IsNull(n)) return "null";
	return "value";
}

static const struct hd_header *req_header(const struct request *rq,
					  const char *name)
{
	for (size_t i = 0; i < rq->nheaders; i++)
		if (rq->headers[i].name &&
		    ascii_casecmp(rq->headers[i].name, name) == 0)
			return &rq->headers[i];
	return NULL;
}

/* ---------------------------------------------------------------- HD301 */

/* Provider names from the rules, for "hookdoctor knows ...". */
static char *known_providers(const struct rules *r)
{
	struct sbuf b = {0};
	for (size_t i = 0; r && i < r->n; i++) {
		if (i)
			sbuf_add(&b, ", ");
		sbuf_add(&b, r->providers[i].name);
	}
	return sbuf_detach(&b);
}

HOOK_CHECK(hd301)
{
	if (a->nprimary == 0)
		return finding_skip(f, "skipped: the hook fires on no status "
				    "(see HD108, HD113)");
	if (!a->req[0].url || !*a->req[0].url)
		return finding_skip(f, "skipped: no target_url (HD111)");

	const struct provider *p = a->provider;
	finding_ev(f, "url", a->req[0].url);
	if (!p) {
		char *known = known_providers(a->rules);
		finding_hint(f, "hookdoctor knows the commit-status endpoints "
			     "of: %s. For a self-hosted instance on its own "
			     "host, name it with --provider NAME; the request "
			     "and status checks need a provider.", known);
		free(known);
		return finding_warn(f, "%s is not a known provider's "
				    "commit-status endpoint",
				    a->match.host ? a->match.host
						  : "target_url");
	}
	finding_ev(f, "provider", p->name);

	struct issues is = {0};
	for (size_t i = 0; i < a->nreq; i++) {
		const struct url_match *m = &a->req[i].match;
		if (m->wrong) {
			issue_add(&is, CS_FAIL, xasprintf("%s", m->wrong->message),
				  p->docs_url
				  ? xasprintf("point target_url at %.*s's "
					      "create-commit-status endpoint "
					      "(%s)", PROVIDER_SHORT(p), p->docs_url)
				  : xasprintf("point target_url at %.*s's "
					      "create-commit-status endpoint",
					      PROVIDER_SHORT(p)));
		} else if (!m->endpoint) {
			issue_add(&is, CS_FAIL,
				  xasprintf("a %.*s URL but not its "
					    "commit-status endpoint", PROVIDER_SHORT(p)),
				  xasprintf("the status is created with POST "
					    "to %.*s's commit-status endpoint%s%s",
					    PROVIDER_SHORT(p),
					    p->docs_url ? "; see " : "",
					    p->docs_url ? p->docs_url : ""));
		} else if (m->nmissing_query > 0) {
			struct sbuf q = {0};
			for (size_t k = 0; k < m->nmissing_query; k++) {
				if (k)
					sbuf_add(&q, ", ");
				sbuf_add(&q, m->missing_query[k]);
			}
			issue_add(&is, CS_FAIL,
				  xasprintf("the URL lacks the required query "
					    "parameter %s", q.s ? q.s : ""),
				  xasprintf("append ?%s=... to target_url "
					    "(e.g. api-version=7.1 on Azure "
					    "DevOps); without it the API answers "
					    "400", m->missing_query[0]));
			sbuf_free(&q);
		}
	}
	if (is.n)
		return issues_report(f, &is);

	const struct url_match *m = &a->match;
	if (m->owner)
		finding_ev(f, "owner", m->owner);
	if (m->project)
		finding_ev(f, "project", m->project);
	if (m->repo)
		finding_ev(f, "repo", m->repo);
	if (m->endpoint)
		finding_ev(f, "endpoint", m->endpoint->name);
	const char *who = m->owner ? m->owner : m->project;
	if (who && m->repo)
		return finding_pass(f, "%.*s commit-status endpoint for %s/%s",
				    PROVIDER_SHORT(p), who, m->repo);
	if (who || m->repo)
		return finding_pass(f, "%.*s commit-status endpoint for %s",
				    PROVIDER_SHORT(p), who ? who : m->repo);
	return finding_pass(f, "%.*s commit-status endpoint", PROVIDER_SHORT(p));
}

/* ---------------------------------------------------------------- HD302 */

HOOK_CHECK(hd302)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct rule_endpoint *ep = a->match.endpoint;
	if (!ep)
		return finding_skip(f, "skipped: the URL is not a "
				    "commit-status endpoint (HD301)");
	const char *method = ep->method ? ep->method : "POST";
	finding_ev(f, "sent", "POST");
	finding_ev(f, "endpoint", ep->name);
	finding_ev(f, "endpoint_method", method);
	if (ascii_casecmp(method, "POST") == 0)
		return finding_pass(f, "Devopness sends POST, the method of "
				    "%.*s's %s endpoint", PROVIDER_SHORT(a->provider),
				    ep->name);
	finding_hint(f, "Devopness sends every outgoing hook as POST and the "
		     "method cannot be changed: point target_url at the "
		     "endpoint that creates a status with POST");
	return finding_fail(f, "the %s endpoint takes %s, but Devopness "
			    "sends POST", ep->name, method);
}

/* ---------------------------------------------------------------- HD303 */

/* True when the path of url has an empty segment where the commit goes:
 * ".../statuses/" or ".../commits//statuses". The endpoint patterns need a
 * commit, so such a URL matches no endpoint and HD303 recognises it here. */
static bool url_commit_empty(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, "?#");
	const char *slash = memchr(p, '/', n);
	if (!slash)
		return false;
	for (const char *s = slash; s + 1 < p + n; s++)
		if (s[0] == '/' && s[1] == '/')
			return true;
	static const char *const ends[] = { "/statuses/", "/statuses",
					    "/commit/", "/commits/" };
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t k = strlen(ends[i]);
		if (n >= k && strncmp(p + n - k, ends[i], k) == 0)
			return true;
	}
	return false;
}

static const char *const commit_hint =
	"put the action's commit in the URL: "
	".../statuses/{{ action.triggered_from.hook_parsed_variables.commit_hash }} "
	"(the Devopness guide's form); it renders empty when the deploy was "
	"not started by an incoming hook that passes the commit (see HD203)";

HOOK_CHECK(hd303)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	struct issues is = {0};
	size_t judged = 0;

	for (size_t i = 0; i < a->nreq; i++) {
		const struct request *rq = &a->req[i];
		const struct url_match *m = &rq->match;
		const char *want = rq->action ? a->action2_commit
					      : a->action_commit;
		if (!m->endpoint) {
			if (!m->wrong && rq->url && url_commit_empty(rq->url)) {
				judged++;
				issue_add(&is, CS_FAIL,
					  xasprintf("the commit in target_url "
						    "renders empty for status "
						    REQ_FMT ": the provider "
						    "answers 404", REQ_ARGS(rq)),
					  xstrdup(commit_hint));
			}
			continue;
		}
		if (m->endpoint->cap_commit == 0)
			continue;
		judged++;
		const char *c = m->commit;
		if (!c || !*c) {
			issue_add(&is, CS_FAIL,
				  xasprintf("the commit in target_url renders "
					    "empty for status " REQ_FMT
					    ": the provider answers 404",
					    REQ_ARGS(rq)),
				  xstrdup(commit_hint));
			continue;
		}
		size_t len = strlen(c);
		int cmin = m->endpoint->commit_min, cmax = m->endpoint->commit_max;
		bool have_want = want && *want;
		if (have_want && ascii_casecmp(c, want) == 0)
			continue;
		if (!all_hex(c)) {
			issue_add(&is, cmin > 0 ? CS_FAIL : CS_WARN,
				  xasprintf("the commit in target_url is "
					    "\"%s\", not a commit SHA "
					    "(status " REQ_FMT ")", c,
					    REQ_ARGS(rq)),
				  xstrdup(commit_hint));
			continue;
		}
		bool prefix = have_want && len < strlen(want) &&
			      ascii_prefix_ci(want, c);
		if (!have_want || prefix) {
			/* Only the shape can be judged. */
			if ((cmin > 0 && len < (size_t)cmin) ||
			    (cmax > 0 && len > (size_t)cmax))
				issue_add(&is, CS_FAIL,
					  xasprintf("the commit %s has %zu hex "
						    "digits; %.*s accepts %d to "
						    "%d", c, len, PROVIDER_SHORT(p),
						    cmin, cmax),
					  xstrdup(commit_hint));
			else if (len < 40)
				issue_add(&is, CS_WARN,
					  xasprintf("the commit %s is "
						    "abbreviated; use the full "
						    "40-digit SHA", c),
					  xstrdup(commit_hint));
			continue;
		}
		if (a->hook && a->hook->target_url &&
		    ascii_contains_ci(a->hook->target_url, c))
			issue_add(&is, CS_FAIL,
				  xasprintf("target_url holds the fixed commit "
					    "%s, not the action's commit %s: "
					    "every deploy updates one old "
					    "commit", c, want),
				  xstrdup(commit_hint));
		else
			issue_add(&is, CS_FAIL,
				  xasprintf("the commit in target_url renders "
					    "to %s for status " REQ_FMT
					    ", not the action's commit %s",
					    c, REQ_ARGS(rq), want),
				  xstrdup(commit_hint));
	}
	if (is.n)
		return issues_report(f, &is);
	if (!judged)
		return finding_skip(f, "skipped: the URL is not a "
				    "commit-status endpoint with a commit "
				    "(HD301)");
	if (a->action_commit && *a->action_commit) {
		finding_ev(f, "commit", a->action_commit);
		return finding_pass(f, "every status posts to the action's "
				    "commit %s", a->action_commit);
	}
	return finding_pass(f, "the commit in target_url is a full SHA");
}

/* ---------------------------------------------------------------- HD304 */

enum auth_verdict {
	AUTH_NONE,      /* no header of this form */
	AUTH_SCHEME,    /* the header, with another scheme or none */
	AUTH_BASIC_BAD, /* Basic credentials that do not decode as needed */
	AUTH_EMPTY,     /* the right form, but no token after rendering */
	AUTH_OK
};

/* Judges one header value against one auth form. *why receives a short
 * reason for AUTH_BASIC_BAD (static text). */
static enum auth_verdict auth_judge(const struct rule_auth *au,
				    const char *value, const char **why)
{
	const char *v = value ? value : "";
	while (*v == ' ' || *v == '\t')
		v++;
	const char *tok = v;
	if (au->scheme) {
		size_t k = strlen(au->scheme);
		if (!ascii_prefix_ci(v, au->scheme) ||
		    (v[k] != '\0' && v[k] != ' ' && v[k] != '\t'))
			return AUTH_SCHEME;
		tok = v + k;
		while (*tok == ' ' || *tok == '\t')
			tok++;
	} else if (strpbrk(v, " \t")) {
		/* A bare-token header holding "Bearer x" sends the scheme
		 * as part of the token. */
		size_t t = strlen(v);
		while (t > 0 && (v[t - 1] == ' ' || v[t - 1] == '\t'))
			t--;
		if (strcspn(v, " \t") < t)
			return AUTH_SCHEME;
	}
	size_t n = strlen(tok);
	while (n > 0 && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
		n--;
	if (n == 0)
		return AUTH_EMPTY;
	if (!au->scheme || ascii_casecmp(au->scheme, "Basic") != 0)
		return AUTH_OK;
	/* Basic: the placeholder stands for the whole credential. */
	if (strstr(tok, VARS_TOKEN_PLACEHOLDER))
		return AUTH_OK;
	char *dec = base64_decode(tok, n);
	if (!dec) {
		*why = "the credentials are not base64";
		return AUTH_BASIC_BAD;
	}
	const char *colon = strchr(dec, ':');
	enum auth_verdict r = AUTH_OK;
	if (!colon) {
		*why = au->basic_empty_user
			? "they decode to no ':' (expected base64(':' + token))"
			: "they decode to no ':' (expected base64(user:token))";
		r = AUTH_BASIC_BAD;
	} else if (colon[1] == '\0') {
		*why = "they decode to an empty token";
		r = AUTH_EMPTY;
	} else if (!au->basic_empty_user && colon == dec) {
		*why = "they decode to an empty user name";
		r = AUTH_BASIC_BAD;
	}
	free(dec);
	return r;
}

/* "Authorization: Bearer <token>" for a form. */
static void auth_form(struct sbuf *b, const struct rule_auth *au)
{
	if (!au->scheme)
		sbuf_addf(b, "%s: <token>", au->header);
	else if (ascii_casecmp(au->scheme, "Basic") == 0)
		sbuf_addf(b, "%s: %s base64(%s:<token>)", au->header,
			  au->scheme, au->basic_empty_user ? "" : "<user>");
	else
		sbuf_addf(b, "%s: %s <token>", au->header, au->scheme);
}

static char *auth_forms(const struct provider *p)
{
	struct sbuf b = {0};
	for (size_t i = 0; i < p->nauth; i++) {
		if (i)
			sbuf_add(&b, ", ");
		auth_form(&b, &p->auth[i]);
	}
	return sbuf_detach(&b);
}

/* Describes what a header holds without its secret: the scheme word when
 * the value starts with a short alphabetic word and a space, else "a bare
 * value". */
static char *auth_found(const struct hd_header *h)
{
	const char *v = h->value ? h->value : "";
	while (*v == ' ')
		v++;
	size_t w = 0;
	while (isalpha((unsigned char)v[w]))
		w++;
	if (w > 0 && w <= 16 && (v[w] == ' ' || v[w] == '\0'))
		return xasprintf("%s: %.*s <credentials>", h->name, (int)w, v);
	return xasprintf("%s: <bare value, no scheme>", h->name);
}

HOOK_CHECK(hd304)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	if (p->nauth == 0)
		return finding_skip(f, "skipped: the %s rules list no auth form",
				    p->name);
	char *forms = auth_forms(p);
	struct issues is = {0};
	char *ok_form = NULL;

	for (size_t i = 0; i < a->nprimary; i++) {
		const struct request *rq = &a->req[i];
		enum auth_verdict best = AUTH_NONE;
		const struct hd_header *best_h = NULL;
		const struct rule_auth *best_au = NULL;
		const char *why = NULL;
		for (size_t k = 0; k < rq->nheaders; k++) {
			const struct hd_header *h = &rq->headers[k];
			for (size_t j = 0; j < p->nauth; j++) {
				const struct rule_auth *au = &p->auth[j];
				if (!h->name || ascii_casecmp(h->name, au->header))
					continue;
				const char *w = NULL;
				enum auth_verdict v = auth_judge(au, h->value, &w);
				if (v > best) {
					best = v;
					best_h = h;
					best_au = au;
					why = w;
				}
			}
		}
		struct sbuf b = {0};
		switch (best) {
		case AUTH_OK:
			if (!ok_form) {
				auth_form(&b, best_au);
				ok_form = sbuf_detach(&b);
			}
			break;
		case AUTH_EMPTY:
			auth_form(&b, best_au);
			issue_add(&is, CS_FAIL,
				  xasprintf("%s renders with an empty token for "
					    "status " REQ_FMT, b.s, REQ_ARGS(rq)),
				  xasprintf("the token variable rendered empty: "
					    "use {{ application.source_provider."
					    "access_token }} (or a token of the "
					    "provider) as the token part"));
			break;
		case AUTH_BASIC_BAD:
			issue_add(&is, CS_FAIL,
				  xasprintf("%s: Basic credentials that %.*s "
					    "cannot use: %s", best_h->name,
					    PROVIDER_SHORT(p), why),
				  xasprintf("%.*s accepts: %s", PROVIDER_SHORT(p), forms));
			break;
		case AUTH_SCHEME: {
			char *found = auth_found(best_h);
			issue_add(&is, CS_FAIL,
				  xasprintf("%s is not a form %.*s accepts "
					    "(accepted: %s)", found, PROVIDER_SHORT(p),
					    forms),
				  xasprintf("write the header as one of: %s", forms));
			free(found);
			break;
		}
		case AUTH_NONE:
			issue_add(&is, CS_FAIL,
				  xasprintf("no auth header: %.*s needs one of "
					    "%s", PROVIDER_SHORT(p), forms),
				  xasprintf("add to settings.request_headers e.g. "
					    "{\"name\": \"%s\", \"value\": \"%s%s"
					    "{{ application.source_provider."
					    "access_token }}\"}", p->auth[0].header,
					    p->auth[0].scheme ? p->auth[0].scheme : "",
					    p->auth[0].scheme ? " " : ""));
			break;
		}
		sbuf_free(&b);
	}
	enum check_status st;
	if (is.n) {
		finding_ev(f, "accepted", forms);
		st = issues_report(f, &is);
	} else {
		finding_ev(f, "auth", ok_form);
		st = finding_pass(f, "%s is a form %.*s accepts", ok_form,
				  PROVIDER_SHORT(p));
	}
	free(ok_form);
	free(forms);
	return st;
}

/* ---------------------------------------------------------------- HD305 */

/* Does a header value match the rule's accepted values? Each
 * comma-separated item is compared without parameters (";charset=...")
 * and case-insensitively; one matching item is enough. */
static bool header_value_ok(const struct rule_header *rh, const char *value)
{
	if (rh->nvalues == 0)
		return value && *value;
	const char *s = value ? value : "";
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		size_t n = strcspn(s, ",;");
		size_t t = n;
		while (t > 0 && (s[t - 1] == ' ' || s[t - 1] == '\t'))
			t--;
		for (size_t i = 0; i < rh->nvalues && t > 0; i++) {
			size_t k = strlen(rh->values[i]);
			if (rh->values_prefix ? (t >= k && ascii_prefix_ci(s, rh->values[i]))
					      : (t == k && ascii_prefix_ci(s, rh->values[i])))
				return true;
		}
		s += n;
		if (*s == ';')
			s += strcspn(s, ",");
	}
	return false;
}

static char *values_list(const struct rule_header *rh)
{
	struct sbuf b = {0};
	for (size_t i = 0; i < rh->nvalues; i++) {
		if (i)
			sbuf_add(&b, ", ");
		sbuf_add(&b, rh->values[i]);
		if (rh->values_prefix)
			sbuf_add(&b, "...");
	}
	return sbuf_detach(&b);
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static char *header_add_hint(const struct rule_header *rh, const char *why)
{
	const char *example = rh->nvalues ? rh->values[0]
		: ascii_casecmp(rh->name, "User-Agent") == 0 ? "devopness-hook"
		: "<value>";
	const char *self = (ascii_casecmp(rh->name, "User-Agent") == 0 ||
			    ascii_casecmp(rh->name, "Content-Type") == 0)
		? " Devopness may add this header itself (not documented): "
		  "setting it in the hook makes sure." : "";
	return xasprintf("add {\"name\": \"%s\", \"value\": \"%s\"} to "
			 "settings.request_headers.%s%s%s", rh->name, example,
			 self, why ? " " : "", why ? why : "");
}

HOOK_CHECK(hd305)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	struct issues is = {0};
	bool ct_rule = false;

	for (size_t i = 0; i < a->nprimary; i++) {
		const struct request *rq = &a->req[i];
		for (size_t k = 0; k < p->nheaders; k++) {
			const struct rule_header *rh = &p->headers[k];
			if (ascii_casecmp(rh->name, "Content-Type") == 0)
				ct_rule = true;
			const struct hd_header *h = req_header(rq, rh->name);
			if (!h || blank(h->value)) {
				if (rh->when_present || rh->level <= 0)
					continue;
				issue_add(&is, CS_WARN,
					  rh->level >= 2
					  ? xasprintf("no %s header: %.*s "
						      "requires it", rh->name,
						      PROVIDER_SHORT(p))
					  : xasprintf("no %s header (recommended "
						      "by %.*s)", rh->name,
						      PROVIDER_SHORT(p)),
					  header_add_hint(rh, rh->hint));
				continue;
			}
			if (header_value_ok(rh, h->value))
				continue;
			char *vals = values_list(rh);
			issue_add(&is, CS_WARN,
				  xasprintf("%s: %.60s is not a value %.*s "
					    "accepts (%s)", rh->name, h->value,
					    PROVIDER_SHORT(p), vals),
				  xasprintf("set %s to %s%s%s", rh->name,
					    rh->values[0],
					    rh->hint ? ". " : "",
					    rh->hint ? rh->hint : ""));
			free(vals);
		}
		if (p->content_type && !ct_rule && rq->body) {
			const struct hd_header *h = req_header(rq, "Content-Type");
			char *ct_values[1] = { p->content_type };
			struct rule_header ct = {
				.name = "Content-Type", .level = 2,
				.values = ct_values, .nvalues = 1,
			};
			if (!h || blank(h->value))
				issue_add(&is, CS_WARN,
					  xasprintf("no Content-Type header: the "
						    "body is %s", p->content_type),
					  header_add_hint(&ct, NULL));
			else if (!header_value_ok(&ct, h->value))
				issue_add(&is, CS_WARN,
					  xasprintf("Content-Type: %.60s is not "
						    "%s", h->value,
						    p->content_type),
					  xasprintf("set Content-Type to %s",
						    p->content_type));
		}
	}
	if (is.n)
		return issues_report(f, &is);
	return finding_pass(f, "the headers %.*s requires or recommends are "
			    "set", PROVIDER_SHORT(p));
}

/* ---------------------------------------------------------------- HD306 */

/* RFC 7230 tchar. */
static bool is_tchar(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* For each header, the first earlier one of the same name (compared
 * case-insensitively), or -1: dup[k]. Sorting keeps it O(n log n) for a
 * hook with tens of thousands of headers (tests/hostile). */
struct named {
	const char *name;
	size_t index;
};

static int by_name_then_index(const void *pa, const void *pb)
{
	const struct named *a = pa, *b = pb;
	int c = ascii_casecmp(a->name, b->name);

	return c ? c : (a->index > b->index) - (a->index < b->index);
}

static long *first_same_name(const struct hd_header *h, size_t n)
{
	struct named *v = xcalloc(n ? n : 1, sizeof(*v));
	long *dup = xcalloc(n ? n : 1, sizeof(*dup));

	for (size_t i = 0; i < n; i++) {
		v[i].name = h[i].name ? h[i].name : "";
		v[i].index = i;
	}
	qsort(v, n, sizeof(*v), by_name_then_index);
	for (size_t i = 0, first = 0; i < n; i++) {
		if (ascii_casecmp(v[i].name, v[first].name) != 0)
			first = i;
		dup[v[i].index] = first == i || !h[v[i].index].name ||
				  !h[v[first].index].name
					  ? -1 : (long)v[first].index;
	}
	free(v);
	return dup;
}

HOOK_CHECK(hd306)
{
	if (check_skip_no_request(a, f))
		return CS_SKIP;
	static const char *const framing[] = { "Host", "Content-Length",
					       "Transfer-Encoding" };
	struct issues is = {0};
	size_t nheaders = 0;

	for (size_t i = 0; i < a->nprimary; i++) {
		const struct request *rq = &a->req[i];
		long *dup = first_same_name(rq->headers, rq->nheaders);
		if (rq->nheaders > nheaders)
			nheaders = rq->nheaders;
		for (size_t k = 0; k < rq->nheaders; k++) {
			const struct hd_header *h = &rq->headers[k];
			const char *name = h->name ? h->name : "";
			if (!*name) {
				issue_add(&is, CS_FAIL,
					  xasprintf("request_headers[%zu] has an "
						    "empty name", k),
					  xstrdup("give every header a name, or "
						  "remove the entry"));
				continue;
			}
			for (const char *c = name; *c; c++) {
				if (!is_tchar((unsigned char)*c)) {
					issue_add(&is, CS_FAIL,
						  xasprintf("header name \"%.40s\" "
							    "is not an HTTP token "
							    "(character 0x%02x at "
							    "%zu)", name,
							    (unsigned char)*c,
							    (size_t)(c - name)),
						  xstrdup("header names are "
							  "letters, digits and "
							  "!#$%&'*+-.^_`|~ only: "
							  "no spaces or colons"));
					break;
				}
			}
			for (const char *c = h->value ? h->value : ""; *c; c++) {
				unsigned char u = (unsigned char)*c;
				if (u == '\r' || u == '\n')
					issue_add(&is, CS_FAIL,
						  xasprintf("the value of %s holds "
							    "a line break (CR/LF) "
							    "for status " REQ_FMT,
							    name, REQ_ARGS(rq)),
						  xstrdup("a header value is one "
							  "line: remove the line "
							  "break, or the variable "
							  "that renders one"));
				else if ((u < 0x20 && u != '\t') || u == 0x7f)
					issue_add(&is, CS_FAIL,
						  xasprintf("the value of %s holds "
							    "control character "
							    "0x%02x for status "
							    REQ_FMT, name, u,
							    REQ_ARGS(rq)),
						  xstrdup("remove the control "
							  "character from the "
							  "value"));
				else
					continue;
				break;
			}
			if (dup[k] >= 0)
				issue_add(&is, CS_FAIL,
					  xasprintf("header %s is set twice "
						    "(request_headers[%ld] and "
						    "[%zu])", name, dup[k], k),
					  xstrdup("keep one entry per header "
						  "name (names compare case-"
						  "insensitively)"));
			for (size_t j = 0; j < 3; j++)
				if (ascii_casecmp(name, framing[j]) == 0)
					issue_add(&is, CS_FAIL,
						  xasprintf("%s is set by hand",
							    framing[j]),
						  xasprintf("remove %s: the HTTP "
							    "client sets it from "
							    "the URL and body, "
							    "and a hand-set one "
							    "breaks or misroutes "
							    "the request",
							    framing[j]));
		}
		free(dup);
	}
	if (is.n)
		return issues_report(f, &is);
	finding_evf(f, "headers", "%zu", nheaders);
	return finding_pass(f, "%zu header%s, all well-formed", nheaders,
			    nheaders == 1 ? "" : "s");
}

/* ---------------------------------------------------------------- HD307 */

static const char *const field_type_name[] = {
	"string", "number", "integer", "boolean", "object"
};

static bool integral(double d)
{
	return d >= -9e15 && d <= 9e15 && d == (double)(long long)d;
}

/* Is the text s a number (an integer when asked)? */
static bool numeric_text(const char *s, bool integer)
{
	if (!*s)
		return false;
	char *end;
	double d = strtod(s, &end);
	if (*end)
		return false;
	return !integer || (integral(d) && !strpbrk(s, ".eE"));
}

/* A string holding a number or boolean passes for a number or boolean
 * field: templated values render as strings, and the APIs that take such
 * fields (GitLab's pipeline_id, coverage) convert them. */
static bool type_ok(const struct rule_field *rf, const cJSON *n)
{
	if (cJSON_IsNull(n))
		return rf->nullable;
	switch (rf->type) {
	case FT_STRING:
		return cJSON_IsString(n);
	case FT_NUMBER:
		return cJSON_IsNumber(n) ||
		       (cJSON_IsString(n) && numeric_text(n->valuestring, false));
	case FT_INTEGER:
		if (cJSON_IsNumber(n))
			return integral(n->valuedouble);
		return cJSON_IsString(n) && numeric_text(n->valuestring, true);
	case FT_BOOLEAN:
		return cJSON_IsBool(n) ||
		       (cJSON_IsString(n) && (strcmp(n->valuestring, "true") == 0 ||
					      strcmp(n->valuestring, "false") == 0));
	case FT_OBJECT:
		return cJSON_IsObject(n);
	}
	return false;
}

static bool enum_has(const struct rule_field *rf, const char *v)
{
	for (size_t i = 0; i < rf->nenums; i++)
		if (rf->enum_ci ? ascii_casecmp(rf->enums[i], v) == 0
				: strcmp(rf->enums[i], v) == 0)
			return true;
	return false;
}

/* Does the provider have fields below path ("context" for
 * "context.name")? */
static bool field_is_parent(const struct provider *p, const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < p->nfields; i++)
		if (strncmp(p->fields[i].name, path, n) == 0 &&
		    p->fields[i].name[n] == '.')
			return true;
	return false;
}

static const struct rule_alias *field_alias(const struct provider *p,
					    const char *path)
{
	for (size_t i = 0; i < p->nfield_aliases; i++)
		if (ascii_casecmp(p->field_aliases[i].from, path) == 0)
			return &p->field_aliases[i];
	return NULL;
}

/* The first other provider whose rules know the field, or NULL. */
static const struct provider *field_owner(const struct analysis *a,
					  const char *path)
{
	for (size_t i = 0; a->rules && i < a->rules->n; i++) {
		const struct provider *q = &a->rules->providers[i];
		if (q != a->provider && q->name && a->provider->name &&
		    strcmp(q->name, a->provider->name) != 0 &&
		    rules_field(q, path))
			return q;
	}
	return NULL;
}

/* The known field within edit distance 2 of path, or NULL. */
static const char *nearest_field(const struct provider *p, const char *path)
{
	const char *best = NULL;
	int bestd = 3;
	for (size_t i = 0; i < p->nfields; i++) {
		int d = edit_distance(path, p->fields[i].name, 2);
		if (d < bestd) {
			best = p->fields[i].name;
			bestd = d;
		}
	}
	return best;
}

/* Fields the provider does not know: a known mistake (alias) fails, a
 * field of another provider is at most a warning (one body may serve
 * several providers, as the Devopness guide's does), anything else warns
 * with the nearest known field. Fields of other providers are gathered in
 * *foreign to be reported as one problem. */
static void body_unknown(const struct analysis *a, const cJSON *obj,
			 const char *prefix, const cJSON *root,
			 struct issues *is, struct sbuf *foreign)
{
	const struct provider *p = a->provider;
	for (const cJSON *c = obj->child; c; c = c->next) {
		if (!c->string)
			continue;
		char *path = prefix ? xasprintf("%s.%s", prefix, c->string)
				    : xstrdup(c->string);
		bool parent = field_is_parent(p, path);
		if (parent && cJSON_IsObject(c))
			body_unknown(a, c, path, root, is, foreign);
		if (parent || rules_field(p, path)) {
			free(path);
			continue;
		}
		const struct rule_alias *al = field_alias(p, path);
		const struct provider *q = field_owner(a, path);
		if (q) {
			/* "did you mean" only when the intended field is
			 * missing: the guide's body sets both. */
			bool mean = al && !json_at(root, al->to);
			sbuf_addf(foreign, "%s%s (%.*s%s%s)",
				  foreign->len ? ", " : "", path, PROVIDER_SHORT(q),
				  mean ? "; did you mean " : "",
				  mean ? al->to : "");
		} else if (al && json_at(root, al->to)) {
			issue_add(is, CS_WARN,
				  xasprintf("%s is not a %.*s field (%s is "
					    "already set): it is ignored", path,
					    PROVIDER_SHORT(p), al->to),
				  xasprintf("remove \"%s\" from request_body",
					    path));
		} else if (al) {
			issue_add(is, CS_FAIL,
				  xasprintf("unknown field %s: did you mean "
					    "%s?", path, al->to),
				  xasprintf("rename \"%s\" to \"%s\" in "
					    "request_body", path, al->to));
		} else {
			const char *near = nearest_field(p, path);
			issue_add(is, CS_WARN,
				  near ? xasprintf("unknown field %s (did you "
						   "mean %s?): %.*s ignores it",
						   path, near, PROVIDER_SHORT(p))
				       : xasprintf("unknown field %s: %.*s "
						   "ignores it", path, PROVIDER_SHORT(p)),
				  near ? xasprintf("rename \"%s\" to \"%s\", or "
						   "remove it", path, near)
				       : xasprintf("remove \"%s\" from "
						   "request_body", path));
		}
		free(path);
	}
}

static void body_schema(const struct analysis *a, const struct request *rq,
			struct issues *is)
{
	const struct provider *p = a->provider;
	const cJSON *body = rq->body_json;
	if (!cJSON_IsObject(body)) {
		issue_add(is, CS_FAIL,
			  xasprintf("the request body is a JSON %s, not an "
				    "object", json_kind(body)),
			  xasprintf("make request_body an object of %.*s's "
				    "fields, e.g. {\"%s\": ...}", PROVIDER_SHORT(p),
				    p->state_field ? p->state_field : "state"));
		return;
	}
	/* Unknown fields first: "did you mean state" explains the missing
	 * state that follows. */
	struct sbuf foreign = {0};
	body_unknown(a, body, NULL, body, is, &foreign);
	if (foreign.len)
		issue_add(is, CS_WARN,
			  xasprintf("fields of other providers, ignored by "
				    "%.*s: %s", PROVIDER_SHORT(p), foreign.s),
			  xasprintf("harmless when one body serves several "
				    "providers (the Devopness guide's does); "
				    "remove them if this hook only posts to "
				    "%.*s", PROVIDER_SHORT(p)));
	sbuf_free(&foreign);
	for (size_t i = 0; i < p->nfields; i++) {
		const struct rule_field *rf = &p->fields[i];
		const cJSON *n = json_at(body, rf->name);
		if (!n) {
			if (rf->required)
				issue_add(is, rf->required_conf == CONF_CONFIRMED
					  ? CS_FAIL : CS_WARN,
					  xasprintf("required field %s is "
						    "missing", rf->name),
					  xasprintf("add \"%s\" to request_body%s%s",
						    rf->name,
						    rf->note ? ": " : "",
						    rf->note ? rf->note : ""));
			continue;
		}
		if (!type_ok(rf, n)) {
			issue_add(is, CS_FAIL,
				  xasprintf("%s is a%s %s; %.*s expects a%s %s",
					    rf->name,
					    cJSON_IsObject(n) || cJSON_IsArray(n)
					    ? "n" : "", json_kind(n), PROVIDER_SHORT(p),
					    rf->type == FT_INTEGER || rf->type == FT_OBJECT
					    ? "n" : "", field_type_name[rf->type]),
				  xasprintf("write %s as a JSON %s%s", rf->name,
					    field_type_name[rf->type],
					    rf->nullable ? " (or null)" : ""));
			continue;
		}
		if (!cJSON_IsString(n))
			continue;
		/* The state field's values are HD308's. */
		if (rf->nenums && !(p->state_field &&
				    strcmp(rf->name, p->state_field) == 0) &&
		    !enum_has(rf, n->valuestring))
			issue_add(is, CS_FAIL,
				  xasprintf("%s \"%.60s\" is not one of the "
					    "values %.*s accepts for status "
					    REQ_FMT, rf->name, n->valuestring,
					    PROVIDER_SHORT(p), REQ_ARGS(rq)),
				  xasprintf("use one of the values listed for "
					    "%s%s%s", rf->name,
					    rf->note ? ": " : "",
					    rf->note ? rf->note : ""));
		if (rf->url && *n->valuestring &&
		    !ascii_prefix_ci(n->valuestring, "https://") &&
		    !ascii_prefix_ci(n->valuestring, "http://"))
			/* Only a confirmed fact fails (GitLab's addressable_url). */
			issue_add(is, rf->url_conf == CONF_CONFIRMED ? CS_FAIL : CS_WARN,
				  xasprintf("%s \"%.80s\" is not an absolute "
					    "http(s) URL", rf->name,
					    n->valuestring),
				  xasprintf("make %s an https:// URL, e.g. "
					    "{{ action.url_web_permalink }}",
					    rf->name));
	}
}

HOOK_CHECK(hd307)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	struct issues is = {0};
	size_t judged = 0;
	for (size_t i = 0; i < a->nprimary; i++) {
		if (!a->req[i].body_json)
			continue;
		judged++;
		body_schema(a, &a->req[i], &is);
	}
	if (!judged)
		return finding_skip(f, "skipped: no status sends a JSON body "
				    "(HD310)");
	if (is.n)
		return issues_report(f, &is);
	return finding_pass(f, "the body has the fields %.*s requires, of "
			    "the right types, and no unknown ones",
			    PROVIDER_SHORT(a->provider));
}

/* ---------------------------------------------------------------- HD308 */

static bool state_accepted(const struct provider *p,
			   const struct rule_field *rf, const char *state)
{
	if (rf && rf->nenums)
		return enum_has(rf, state);
	return rules_state_class(p, state) != SC_UNKNOWN;
}

static char *accepted_states(const struct provider *p,
			     const struct rule_field *rf)
{
	struct sbuf b = {0};
	if (rf && rf->nenums) {
		for (size_t i = 0; i < rf->nenums; i++)
			sbuf_addf(&b, "%s%s", i ? ", " : "", rf->enums[i]);
		return sbuf_detach(&b);
	}
	char **lists[] = { p->states_pending, p->states_success,
			   p->states_failure, p->states_other };
	size_t ns[] = { p->nstates_pending, p->nstates_success,
			p->nstates_failure, p->nstates_other };
	for (size_t l = 0; l < 4; l++)
		for (size_t i = 0; i < ns[l]; i++)
			sbuf_addf(&b, "%s%s", b.len ? ", " : "", lists[l][i]);
	return sbuf_detach(&b);
}

HOOK_CHECK(hd308)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	if (!p->state_field)
		return finding_skip(f, "skipped: the %s rules name no state "
				    "field", p->name);
	const struct rule_field *rf = rules_field(p, p->state_field);
	struct issues is = {0};
	struct sbuf seen = {0};
	size_t bodies = 0, with_state = 0;
	char *accepted = accepted_states(p, rf);

	for (size_t i = 0; i < a->nprimary; i++) {
		const struct request *rq = &a->req[i];
		const char *want = p->recommended[rq->status];
		if (!rq->body_json)
			continue;
		bodies++;
		if (!rq->state) {
			issue_add(&is, CS_FAIL,
				  xasprintf("status %s sends no %s",
					    hd_status_name[rq->status],
					    p->state_field),
				  xasprintf("add \"%s\": \"%s\" to the body",
					    p->state_field, want ? want : "..."));
			continue;
		}
		with_state++;
		if (state_accepted(p, rf, rq->state)) {
			sbuf_addf(&seen, "%s%s -> %s", seen.len ? ", " : "",
				  hd_status_name[rq->status], rq->state);
			continue;
		}
		char *msg = xasprintf("status %s sends %s \"%.60s\", which "
				      "%.*s does not accept%s%s%s",
				      hd_status_name[rq->status], p->state_field,
				      rq->state, PROVIDER_SHORT(p),
				      want ? "; use \"" : "",
				      want ? want : "", want ? "\"" : "");
		char *hint;
		if (hd_status_from_name(rq->state) >= 0)
			hint = xasprintf("{{ action.status }} renders Devopness "
					 "statuses (pending, in-progress, "
					 "completed, failed...), not %.*s "
					 "states: create one hook per event "
					 "(action.started, action.completed, "
					 "action.failed) with a fixed %s each, "
					 "as the Devopness guide does. %.*s "
					 "states: %s", PROVIDER_SHORT(p), p->state_field,
					 PROVIDER_SHORT(p), accepted);
		else
			hint = xasprintf("%.*s accepts these %s values: "
					 "%s %s%s%s", PROVIDER_SHORT(p),
					 p->state_field, accepted,
					 rf && !rf->enum_ci
					 ? "(case matters)." : "",
					 rf && rf->note ? " " : "",
					 rf && rf->note ? rf->note : "");
		issue_add(&is, CS_FAIL, msg, hint);
	}
	free(accepted);
	enum check_status st;
	if (!bodies)
		st = finding_skip(f, "skipped: no status sends a JSON body "
				  "(HD310)");
	else if (!with_state)
		st = finding_skip(f, "skipped: the body has no %s field "
				  "(HD307)", p->state_field);
	else if (is.n)
		st = issues_report(f, &is);
	else {
		finding_ev(f, "states", seen.s);
		st = finding_pass(f, "every status sends a state %.*s "
				  "accepts: %s", PROVIDER_SHORT(p), seen.s);
	}
	issues_free(&is);   /* empty when reported; moot after a skip */
	sbuf_free(&seen);
	return st;
}

/* ---------------------------------------------------------------- HD309 */

HOOK_CHECK(hd309)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	struct issues is = {0};
	size_t bodies = 0, limited = 0;

	for (size_t i = 0; i < a->nreq; i++) {
		const struct request *rq = &a->req[i];
		if (!cJSON_IsObject(rq->body_json))
			continue;
		bodies++;
		for (size_t k = 0; k < p->nfields; k++) {
			const struct rule_field *rf = &p->fields[k];
			if (rf->max_length <= 0)
				continue;
			limited++;
			const cJSON *n = json_at(rq->body_json, rf->name);
			if (!cJSON_IsString(n))
				continue;
			bool valid = true;
			size_t chars = utf8_count(n->valuestring,
						  strlen(n->valuestring), &valid);
			if ((long)chars <= rf->max_length)
				continue;
			issue_add(&is, rf->max_length_conf == CONF_CONFIRMED
				  ? CS_FAIL : CS_WARN,
				  xasprintf("%s is %zu characters for status "
					    REQ_FMT "; %.*s allows %ld",
					    rf->name, chars, REQ_ARGS(rq),
					    PROVIDER_SHORT(p), rf->max_length),
				  xasprintf("shorten %s to at most %ld "
					    "characters (counted as characters, "
					    "not bytes)%s%s%s", rf->name,
					    rf->max_length,
					    rf->max_length_conf == CONF_CONFIRMED
					    ? "" : "; this limit is reported, "
					    "not documented",
					    rf->note ? ". " : "",
					    rf->note ? rf->note : ""));
		}
	}
	if (!bodies)
		return finding_skip(f, "skipped: no status sends a JSON object "
				    "body (HD307, HD310)");
	if (is.n)
		return issues_report(f, &is);
	if (!limited)
		return finding_pass(f, "%.*s sets no known length limit on "
				    "these fields", PROVIDER_SHORT(p));
	return finding_pass(f, "every field is within %.*s's length limits",
			    PROVIDER_SHORT(p));
}

/* ---------------------------------------------------------------- HD310 */

HOOK_CHECK(hd310)
{
	if (check_skip_no_request(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	size_t max = p && p->max_body_bytes > 0 ? (size_t)p->max_body_bytes
					   : DEFAULT_MAX_BODY_BYTES;
	struct issues is = {0};
	size_t biggest = 0;

	for (size_t i = 0; i < a->nprimary; i++) {
		const struct request *rq = &a->req[i];
		if (!rq->body) {
			issue_add(&is, CS_FAIL,
				  xasprintf("status %s sends no body",
					    hd_status_name[rq->status]),
				  xasprintf("a commit status is created from a "
					    "JSON body: set settings.request_body "
					    "to an object with at least \"%s\"",
					    p && p->state_field ? p->state_field
								: "state"));
			continue;
		}
		size_t len = strlen(rq->body);
		if (len > biggest)
			biggest = len;
		bool valid = true;
		utf8_count(rq->body, len, &valid);
		if (!valid)
			issue_add(&is, CS_FAIL,
				  xasprintf("the body of status %s is not valid "
					    "UTF-8", hd_status_name[rq->status]),
				  xstrdup("write the body in UTF-8; a value with "
					  "bytes from another encoding breaks "
					  "it"));
		else if (!rq->body_json)
			issue_add(&is, CS_FAIL,
				  xasprintf("the body of status %s is not valid "
					    "JSON: %s", hd_status_name[rq->status],
					    rq->body_error ? rq->body_error
							   : "parse error"),
				  xstrdup("fix the JSON (the Devopness guide's "
					  "examples hold a trailing comma and "
					  "// comments: remove them); "
					  "`hookdoctor render` shows the body "
					  "as sent"));
		if (len > max)
			issue_add(&is, CS_FAIL,
				  xasprintf("the body of status %s is %zu bytes, "
					    "more than the %zu a commit status "
					    "needs", hd_status_name[rq->status],
					    len, max),
				  xstrdup("send only the provider's fields; a "
					  "variable that renders a whole object "
					  "or log makes the body this large"));
	}
	if (is.n)
		return issues_report(f, &is);
	finding_evf(f, "bytes", "%zu", biggest);
	return finding_pass(f, "every status sends valid UTF-8 JSON (at most "
			    "%zu bytes)", biggest);
}

/* ---------------------------------------------------------------- HD311 */

/* Is name=<non-empty> in the query string of url? */
static bool query_has(const char *url, const char *name)
{
	const char *q = strchr(url, '?');
	if (!q)
		return false;
	size_t n = strlen(name);
	for (const char *s = q + 1; *s;) {
		if (strncmp(s, name, n) == 0 && s[n] == '=' &&
		    s[n + 1] && s[n + 1] != '&' && s[n + 1] != '#')
			return true;
		s += strcspn(s, "&#");
		if (*s != '&')
			break;
		s++;
	}
	return false;
}

static bool body_names(const cJSON *body, const char *field)
{
	const cJSON *n = json_at(body, field);
	if (cJSON_IsString(n))
		return !blank(n->valuestring);
	return cJSON_IsNumber(n);
}

HOOK_CHECK(hd311)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	if (ascii_casecmp(a->provider->name, "gitlab") != 0)
		return finding_skip(f, "skipped: applies to GitLab only");
	struct issues is = {0};
	size_t judged = 0;
	const char *how = NULL;

	for (size_t i = 0; i < a->nprimary; i++) {
		const struct request *rq = &a->req[i];
		const char *url = rq->url ? rq->url : "";
		if (body_names(rq->body_json, "ref") || query_has(url, "ref")) {
			judged++;
			how = "ref";
			continue;
		}
		if (body_names(rq->body_json, "pipeline_id") ||
		    query_has(url, "pipeline_id")) {
			judged++;
			how = how ? how : "pipeline_id";
			continue;
		}
		if (!rq->body_json && !strchr(url, '?'))
			continue;
		judged++;
		bool empty = json_at(rq->body_json, "ref") != NULL;
		issue_add(&is, CS_WARN,
			  empty ? xasprintf("ref renders empty for status %s",
					    hd_status_name[rq->status])
				: xstrdup("the GitLab status names neither ref "
					  "nor pipeline_id"),
			  xstrdup("add \"ref\" (the branch the commit is on) or "
				  "\"pipeline_id\" to the body: without them "
				  "GitLab picks a pipeline itself and may open "
				  "a new external one for every status"));
	}
	if (!judged)
		return finding_skip(f, "skipped: no status sends a JSON body "
				    "(HD310)");
	if (is.n)
		return issues_report(f, &is);
	return finding_pass(f, "the GitLab status names %s", how);
}
