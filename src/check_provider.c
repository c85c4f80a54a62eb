/*
 * check_provider.c - HD601-HD607: does the provider accept this token for
 * this repository and commit, and what is already on the commit.
 *
 * Pure functions over the facts provider_api.c collected (a->prov): the
 * answers of the provider's read-only calls and, with --send, of the one
 * test status. They never call the provider themselves. A fact the
 * reference marks [R] or [U] (the rule file's *_confidence) gives a
 * warning, never a failure. A check whose input a failed check already
 * explains is skipped with "skipped: HDnnn failed", so one root cause is
 * reported once.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks.h"
#include "provider_api.h"
#include "util.h"

/* Skips when no facts were collected; returns the facts otherwise. */
static const struct provider_facts *facts(const struct analysis *a,
					  struct finding *f)
{
	if (!a->prov) {
		finding_skip(f, "skipped: the provider was not asked");
		return NULL;
	}
	if (a->prov->skipped) {
		finding_skip(f, "skipped: %s", a->prov->skipped);
		return NULL;
	}
	return a->prov;
}

static const struct prov_call *call_at(const struct provider_facts *pf, int k)
{
	return k >= 0 && (size_t)k < pf->ncalls ? &pf->calls[k] : NULL;
}

static bool is2xx(const struct prov_call *c)
{
	return c && c->status >= 200 && c->status < 300 && c->status != 203;
}

/* "GET /repos/o/r" (the URL relative to the API base); malloc'd. */
static char *call_name(const struct provider_facts *pf, const struct prov_call *c)
{
	size_t n = pf->base ? strlen(pf->base) : 0;
	const char *u = c->url;

	if (n && strncmp(u, pf->base, n) == 0 && u[n] == '/')
		u += n;
	return xasprintf("%s %s", c->method, u);
}

/* ` "Bad credentials"` or ""; malloc'd. */
static char *quoted_message(const struct prov_call *c)
{
	if (!c->message || !*c->message)
		return xstrdup("");
	return xasprintf(" \"%.200s\"", c->message);
}

/* Evidence of one call. */
static void ev_call(struct finding *f, const struct provider_facts *pf,
		    const struct prov_call *c)
{
	if (!c)
		return;
	finding_evf(f, "request", "%s %s", c->method, c->url);
	if (pf->base)
		finding_ev(f, "api_base_url", pf->base);
	if (c->status)
		finding_evf(f, "http_status", "%ld", c->status);
	if (c->error)
		finding_ev(f, "error", c->error);
	if (c->message)
		finding_ev(f, "provider_message", c->message);
	if (c->error_name)
		finding_ev(f, "provider_error", c->error_name);
	if (c->made)
		finding_evf(f, "seconds", "%.3f", c->seconds);
	if (c->remaining >= 0)
		finding_evf(f, "rate_limit_remaining", "%ld", c->remaining);
	if (c->retry_after >= 0)
		finding_evf(f, "retry_after", "%ld", c->retry_after);
	if (c->retried)
		finding_ev(f, "retried", "once, after waiting as asked");
	if (c->reused)
		finding_ev(f, "reused", "the answer of the same call made earlier in this run");
}

/* A call that was not made or not answered, or was rate limited: the
 * check cannot judge. Returns true after setting the skip. */
static bool unanswered(const struct provider_facts *pf, const struct prov_call *c,
		       struct finding *f)
{
	char *name;

	if (!c)
		return false;
	if (!c->made) {
		ev_call(f, pf, c);
		finding_skip(f, "skipped: %s", c->error ? c->error : "not asked");
		return true;
	}
	name = call_name(pf, c);
	if (c->limited) {
		ev_call(f, pf, c);
		if (pf->stopped)
			finding_skip(f, "skipped: %s answered %ld: %s; the later calls were "
				     "not made", name, c->status, pf->stopped);
		else
			finding_skip(f, "skipped: %s answered %ld: %s, also after waiting "
				     "once", name, c->status,
				     c->secondary ? "secondary rate limit" : "rate limited");
		finding_hint(f, "wait for the provider's rate limit to reset, then run again");
		free(name);
		return true;
	}
	if (c->status == 0 || c->status >= 500) {
		ev_call(f, pf, c);
		if (c->status)
			finding_skip(f, "skipped: %s answered %ld%s", name, c->status,
				     c->message ? ": the provider failed" : "");
		else
			finding_skip(f, "skipped: %s: %s", name,
				     c->error ? c->error : "no answer");
		free(name);
		return true;
	}
	free(name);
	return false;
}

/* --- the verdicts later checks depend on --- */

static bool dc_permission_401(const struct prov_call *c)
{
	return c->status == 401 && c->error_name &&
	       strstr(c->error_name, "Authorisation");
}

/* Did the provider accept the token (an authenticated answer)? */
static bool token_ok(const struct provider_facts *pf)
{
	const struct prov_call *c = call_at(pf, pf->token_call);

	if (!c || !c->made || c->limited)
		return false;
	if (pf->token_active == TRI_NO)
		return false;
	if (is2xx(c) || dc_permission_401(c))
		return true;
	/* A refusal of a read the token is not for (a GitHub App token on
	 * /user), or the repository read answering 404, still authenticated. */
	if (c->status == 403)
		return true;
	if (c->status == 404 && pf->repo_call == pf->token_call)
		return true;
	return false;
}

static bool repo_ok(const struct provider_facts *pf)
{
	return pf->repo_call < 0 || is2xx(call_at(pf, pf->repo_call));
}

static bool commit_ok(const struct provider_facts *pf)
{
	return is2xx(call_at(pf, pf->commit_call));
}

static bool needs(const struct provider_facts *pf, struct finding *f,
		  bool token, bool repo, bool commit)
{
	const char *failed = token && !token_ok(pf) ? "HD601"
			     : repo && !repo_ok(pf) ? "HD603"
			     : commit && !commit_ok(pf) ? "HD604" : NULL;

	if (failed && strcmp(failed, "HD604") == 0 && pf->commit_call < 0)
		finding_skip(f, "skipped: the commit was not read (HD604)");
	else if (failed)
		finding_skip(f, "skipped: %s failed", failed);
	return failed == NULL;
}

/* ---------------------------------------------------------------- HD601 */

HOOK_CHECK(hd601)
{
	const struct provider_facts *pf = facts(a, f);
	const struct prov_call *c;
	char *name, *msg;

	if (!pf)
		return CS_SKIP;
	c = call_at(pf, pf->token_call);
	if (!c)
		return finding_skip(f, "skipped: no authenticated read was made");
	if (unanswered(pf, c, f))
		return CS_SKIP;
	ev_call(f, pf, c);
	if (pf->user)
		finding_ev(f, "user", pf->user);
	if (pf->token_kind)
		finding_ev(f, "kind", pf->token_kind);
	if (pf->token_expires)
		finding_ev(f, "expires_at", pf->token_expires);
	name = call_name(pf, c);
	msg = quoted_message(c);
	if (pf->token_active == TRI_NO) {
		if (pf->token_expires)
			finding_problem(f, "%s says the token is revoked or inactive "
					"(expires_at %s)", name, pf->token_expires);
		else
			finding_problem(f, "%s says the token is revoked or inactive", name);
		finding_hint(f, "create a new token and reconnect the source provider in Devopness");
	} else if (is2xx(c)) {
		finding_pass(f, "%s answered %ld: the token is valid%s%s%s%s%s", name, c->status,
			     pf->user ? " (user " : "", pf->user ? pf->user : "",
			     pf->user ? ")" : "", pf->token_kind ? "; " : "",
			     pf->token_kind ? pf->token_kind : "");
	} else if (c->status == 203) {
		finding_problem(f, "%s answered 203 with %s: %.*s did not accept the token",
				name, c->message ? c->message : "a sign-in page",
				PROVIDER_SHORT(a->provider));
		finding_hint(f, "the token is invalid or expired, or sent in the wrong form (an "
			     "Azure DevOps PAT goes as Basic base64(\":\" + PAT)); create a new one");
	} else if (c->status == 401 && dc_permission_401(c)) {
		finding_pass(f, "%s answered 401 %s: the token authenticated, but its user "
			     "lacks permission (see HD603)", name, c->error_name);
	} else if (c->status == 401) {
		finding_problem(f, "%s answered 401%s: the token is invalid, expired or revoked",
				name, msg);
		finding_hint(f, "reconnect the source provider in Devopness (the token behind "
			     "{{ application.source_provider.access_token }}), or create a new "
			     "token and set HOOKDOCTOR_PROVIDER_TOKEN to it");
	} else if (c->status == 403) {
		finding_pass(f, "%s answered 403%s: the token authenticated, though this read "
			     "is not allowed to it", name, msg);
	} else if (c->status == 404 && pf->repo_call == pf->token_call) {
		finding_pass(f, "%s answered 404: the token authenticated (the repository "
			     "itself is HD603's question)", name);
	} else if (c->status == 404) {
		finding_problem(f, "%s answered 404%s: %s does not look like the %.*s API",
				name, msg, pf->base, PROVIDER_SHORT(a->provider));
		finding_hint(f, "%s", pf->base_from_option
			     ? "check --provider-api-url"
			     : "pass the API base with --provider-api-url");
	} else {
		finding_problem(f, "%s answered %ld%s", name, c->status, msg);
	}
	free(name);
	free(msg);
	return f->status;
}

/* ---------------------------------------------------------------- HD602 */

static const struct prov_send *send_of(const struct analysis *a,
				       const struct provider_facts *pf)
{
	const char *id = provider_hook_identity(a);

	for (size_t i = 0; i < pf->nsends; i++)
		if (strcmp(pf->sends[i].identity, id) == 0)
			return &pf->sends[i];
	return NULL;
}

static bool has_scope(const struct provider_facts *pf, const char *s)
{
	for (size_t i = 0; i < pf->nscopes; i++)
		if (strcmp(pf->scopes[i], s) == 0)
			return true;
	return false;
}

/* "a, b" / "a or b" from a list; malloc'd. */
static char *list_text(char *const *v, size_t n, const char *last)
{
	struct sbuf b = {0};

	for (size_t i = 0; i < n; i++)
		sbuf_addf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? last : ", ", v[i]);
	return sbuf_detach(&b);
}

static const char *level_name(long l)
{
	return l >= 50 ? "Owner" : l >= 40 ? "Maintainer" : l >= 30 ? "Developer" :
	       l >= 20 ? "Reporter" : l >= 15 ? "Planner" : l >= 10 ? "Guest" :
	       l >= 5 ? "Minimal access" : "no access";
}

static enum check_status by_conf(struct finding *f, enum confidence conf,
				 const char *fmt, const char *text)
{
	if (conf == CONF_CONFIRMED)
		return finding_problem(f, fmt, text);
	return finding_warn(f, fmt, text);
}

HOOK_CHECK(hd602)
{
	const struct provider_facts *pf = facts(a, f);
	const struct rule_api *api;
	const struct prov_send *sd;
	const struct prov_call *post, *rc;
	struct sbuf why = {0};
	char *text;

	if (!pf || !needs(pf, f, true, false, false))
		return f->status;
	api = a->provider->api;
	rc = call_at(pf, pf->repo_call);
	if (pf->scopes_known) {
		text = list_text(pf->scopes, pf->nscopes, ", ");
		finding_ev(f, "scopes", text);
		finding_ev(f, "scopes_from", pf->scopes_from);
		free(text);
	}
	if (pf->push != TRI_UNKNOWN)
		finding_ev(f, "push", pf->push == TRI_YES ? "true" : "false");
	if (pf->access_level >= 0)
		finding_evf(f, "access_level", "%ld (%s)", pf->access_level,
			    level_name(pf->access_level));

	/* A test status posted with --send settles it. */
	sd = send_of(a, pf);
	post = sd ? call_at(pf, sd->post) : NULL;
	if (post && post->made && is2xx(post)) {
		char *name = call_name(pf, post);

		finding_pass(f, "proved by --send: %s answered %ld", name, post->status);
		free(name);
		return CS_PASS;
	}
	if (post && (post->status == 401 || post->status == 403) && !post->limited) {
		char *name = call_name(pf, post), *msg = quoted_message(post);

		ev_call(f, pf, post);
		if (post->accepted_perms)
			finding_ev(f, "accepted_permissions", post->accepted_perms);
		finding_problem(f, "%s answered %ld%s: the token may not write statuses%s%s",
				name, post->status, msg,
				post->accepted_perms ? "; it needs " : "",
				post->accepted_perms ? post->accepted_perms : "");
		if (api->permission_note)
			finding_hint(f, "%s", api->permission_note);
		free(name);
		free(msg);
		return f->status;
	}

	/* Scopes, where the provider shows them. */
	if (api->nscopes_needed && pf->scopes_known) {
		bool any = false;

		for (size_t i = 0; i < api->nscopes_needed && !any; i++)
			any = has_scope(pf, api->scopes_needed[i]);
		if (!any) {
			char *have = list_text(pf->scopes, pf->nscopes, ", ");
			char *need = list_text(api->scopes_needed, api->nscopes_needed, " or ");
			char *m = pf->nscopes
				  ? xasprintf("token has scopes %s; statuses need %s", have, need)
				  : xasprintf("token has no scopes; statuses need %s", need);

			by_conf(f, api->scopes_conf, "%s", m);
			finding_hint(f, "create a token with the scope %s (or grant it to this "
				     "one) and reconnect the source provider in Devopness", need);
			free(have);
			free(need);
			free(m);
			return f->status;
		}
		text = list_text(pf->scopes, pf->nscopes, ", ");
		sbuf_addf(&why, "scopes %s", text);
		free(text);
	}

	/* The user's rights on the repository, once it could be read. */
	if (rc && !is2xx(rc) && api->write_access != WA_UNKNOWN) {
		sbuf_free(&why);
		return finding_skip(f, "skipped: HD603 failed");
	}
	switch (api->write_access) {
	case WA_PUSH:
		if (!rc || !is2xx(rc))
			break;
		if (pf->push == TRI_NO) {
			char *m = xasprintf("the token's user has no push access to %s "
					    "(permissions.push is false); statuses need push access",
					    pf->repo ? pf->repo : "the repository");

			by_conf(f, api->write_access_conf, "%s", m);
			finding_hint(f, "give the user (or app) write access to the repository");
			free(m);
			sbuf_free(&why);
			return f->status;
		}
		if (pf->push == TRI_YES)
			sbuf_addf(&why, "%spush access to %s", why.len ? "; " : "",
				  pf->repo ? pf->repo : "the repository");
		break;
	case WA_ACCESS_LEVEL:
		if (!rc || !is2xx(rc) || pf->access_level < 0)
			break;
		if (pf->access_level < api->min_access_level) {
			char *m = xasprintf("the token's user has access level %ld (%s) on %s; "
					    "statuses need %ld (%s) or higher",
					    pf->access_level, level_name(pf->access_level),
					    pf->repo ? pf->repo : "the project",
					    api->min_access_level,
					    level_name(api->min_access_level));

			by_conf(f, api->write_access_conf, "%s", m);
			finding_hint(f, "give the user the Developer role (or higher) on the project");
			free(m);
			sbuf_free(&why);
			return f->status;
		}
		sbuf_addf(&why, "%saccess level %ld (%s)", why.len ? "; " : "",
			  pf->access_level, level_name(pf->access_level));
		break;
	case WA_READ:
		if (!rc)
			break;
		sbuf_addf(&why, "%sreading %s is all %.*s asks to post statuses",
			  why.len ? "; " : "", pf->repo ? pf->repo : "the repository",
			  PROVIDER_SHORT(a->provider));
		break;
	case WA_UNKNOWN:
		break;
	}
	if (!why.len) {
		sbuf_free(&why);
		if (rc && !is2xx(rc))
			return finding_skip(f, "skipped: HD603 failed");
		if (api->permission_note)
			finding_skip(f, "skipped: %.*s does not show what this token may "
				     "write: %s", PROVIDER_SHORT(a->provider), api->permission_note);
		else
			finding_skip(f, "skipped: %.*s does not show what this token may "
				     "write", PROVIDER_SHORT(a->provider));
		finding_hint(f, "run again with --send: it posts one pending status and proves the token may write");
		return CS_SKIP;
	}
	text = sbuf_detach(&why);
	finding_pass(f, "%s%s", text,
		     api->permission_note && !pf->scopes_known && api->nscopes_needed
		     ? " (the token's own permissions cannot be read back: --send proves them)" : "");
	free(text);
	return CS_PASS;
}

/* ---------------------------------------------------------------- HD603 */

HOOK_CHECK(hd603)
{
	const struct provider_facts *pf = facts(a, f);
	const struct prov_call *c;
	char *name, *msg;
	const char *repo;

	if (!pf || !needs(pf, f, true, false, false))
		return f->status;
	c = call_at(pf, pf->repo_call);
	if (!c)
		return finding_skip(f, "skipped: the %s rules have no repository read",
				    a->provider->name);
	if (unanswered(pf, c, f))
		return CS_SKIP;
	ev_call(f, pf, c);
	repo = pf->repo ? pf->repo : "the repository";
	name = call_name(pf, c);
	msg = quoted_message(c);
	if (is2xx(c)) {
		struct sbuf about = {0};

		if (pf->repo_visibility)
			sbuf_add(&about, pf->repo_visibility);
		if (pf->default_branch)
			sbuf_addf(&about, "%sdefault branch %s", about.len ? ", " : "",
				  pf->default_branch);
		if (about.len)
			finding_pass(f, "%s is readable with the token (%s)", repo, about.s);
		else
			finding_pass(f, "%s is readable with the token", repo);
		sbuf_free(&about);
	} else if (c->status == 403 && c->sso) {
		finding_ev(f, "sso", c->sso);
		finding_problem(f, "%s answered 403%s: the organization enforces SAML SSO and "
				"the token is not authorized for it", name, msg);
		finding_hint(f, "authorize the token for the organization (the X-GitHub-SSO "
			     "header gives the URL), then run again");
	} else if (c->status == 403 && c->scopes_required) {
		finding_ev(f, "scopes_required", c->scopes_required);
		if (c->scopes_granted)
			finding_ev(f, "scopes_granted", c->scopes_granted);
		finding_problem(f, "%s answered 403%s: the token needs %s%s%s", name, msg,
				c->scopes_required, c->scopes_granted ? " and has " : "",
				c->scopes_granted ? c->scopes_granted : "");
		finding_hint(f, "give the token the scope %s", c->scopes_required);
	} else if (c->status == 401 && dc_permission_401(c)) {
		finding_problem(f, "%s answered 401%s: the token's user may not read %s",
				name, msg, repo);
		finding_hint(f, "grant the user (or the access token) at least read "
			     "permission on the repository");
	} else if (c->status == 404) {
		finding_problem(f, "%s answered 404%s: %s does not exist, or the token cannot "
				"see it (a private repository without access answers 404, "
				"not 403)", name, msg, repo);
		finding_hint(f, "check the owner and repository in target_url, and that the "
			     "token's user (or the fine-grained token / app installation) has "
			     "access to this repository");
	} else {
		finding_problem(f, "%s answered %ld%s: %s is not readable with the token",
				name, c->status, msg, repo);
	}
	free(name);
	free(msg);
	return f->status;
}

/* ---------------------------------------------------------------- HD604 */

HOOK_CHECK(hd604)
{
	const struct provider_facts *pf = facts(a, f);
	const struct prov_call *c;
	char *name, *msg;

	if (!pf || !needs(pf, f, true, true, false))
		return f->status;
	if (!pf->commit || !*pf->commit)
		return finding_skip(f, "skipped: the target URL holds no commit (HD303)");
	c = call_at(pf, pf->commit_call);
	if (!c)
		return finding_skip(f, "skipped: the %s rules have no commit read",
				    a->provider->name);
	if (unanswered(pf, c, f))
		return CS_SKIP;
	ev_call(f, pf, c);
	finding_ev(f, "commit", pf->commit);
	name = call_name(pf, c);
	msg = quoted_message(c);
	if (is2xx(c)) {
		finding_pass(f, "commit %.12s exists in %s", pf->commit,
			     pf->repo ? pf->repo : "the repository");
	} else {
		finding_problem(f, "%s answered %ld%s: commit %.12s is not in %s", name,
				c->status, msg, pf->commit,
				pf->repo ? pf->repo : "the repository");
		if (pf->sample_commit)
			finding_hint(f, "this is the built-in sample action's commit: pass "
				     "--action ID, or --var action.triggered_from."
				     "hook_parsed_variables.commit_hash=SHA with a commit of "
				     "this repository");
		else
			finding_hint(f, "the deploy's commit is not in this repository: it was "
				     "force-pushed away, or the hook posts to another repository "
				     "than the one deployed");
	}
	free(name);
	free(msg);
	return f->status;
}

/* ---------------------------------------------------------------- HD605 */

struct ident_group {
	const char *identity;
	const char *latest;     /* state of the first listed */
	size_t count;
};

static bool id_eq(const struct provider *p, const char *x, const char *y)
{
	return p->identity_ci ? ascii_casecmp(x, y) == 0 : strcmp(x, y) == 0;
}

static size_t group_statuses(const struct provider *p,
			     const struct provider_facts *pf,
			     struct ident_group **out)
{
	size_t n = 0;

	*out = xcalloc(pf->nstatuses + 1, sizeof(**out));
	for (size_t i = 0; i < pf->nstatuses; i++) {
		const struct prov_status *st = &pf->statuses[i];
		size_t k = 0;

		while (k < n && !id_eq(p, (*out)[k].identity, st->identity))
			k++;
		if (k == n) {
			(*out)[n].identity = st->identity;
			(*out)[n].latest = st->state ? st->state : "?";
			n++;
		}
		(*out)[k].count++;
	}
	return n;
}

HOOK_CHECK(hd605)
{
	const struct provider_facts *pf = facts(a, f);
	const struct provider *p = a->provider;
	const struct prov_call *c;
	struct ident_group *g;
	struct sbuf near = {0}, all = {0};
	const char *mine;
	size_t n, nnear = 0, mine_count = 0;
	long limit;
	cJSON *ev;

	if (!pf || !needs(pf, f, true, true, true))
		return f->status;
	c = call_at(pf, pf->statuses_call);
	if (!c)
		return finding_skip(f, "skipped: the %s rules have no statuses read", p->name);
	if (unanswered(pf, c, f))
		return CS_SKIP;
	if (!pf->statuses_ok) {
		char *name = call_name(pf, c), *msg = quoted_message(c);

		ev_call(f, pf, c);
		finding_skip(f, "skipped: %s answered %ld%s", name, c->status, msg);
		free(name);
		free(msg);
		return CS_SKIP;
	}
	mine = provider_hook_identity(a);
	n = group_statuses(p, pf, &g);
	ev = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "identity", g[i].identity);
		cJSON_AddStringToObject(o, "latest_state", g[i].latest);
		cJSON_AddNumberToObject(o, "count", (double)g[i].count);
		cJSON_AddItemToArray(ev, o);
		if (i < 6)
			sbuf_addf(&all, "%s\"%s\" (%s, %zu)", i ? ", " : "", g[i].identity,
				  g[i].latest, g[i].count);
		if (id_eq(p, g[i].identity, mine)) {
			mine_count = g[i].count;
			continue;
		}
		if (provider_identity_near(g[i].identity, mine)) {
			sbuf_addf(&near, "%s\"%s\" (%s)", nnear ? ", " : "", g[i].identity,
				  g[i].latest);
			nnear++;
		}
	}
	if (n > 6)
		sbuf_addf(&all, ", and %zu more", n - 6);
	finding_ev_json(f, "identities", ev);
	finding_ev(f, "hook_identity", mine);
	finding_evf(f, "statuses", "%zu%s", pf->nstatuses,
		    pf->statuses_truncated ? " (more not read)" : "");
	limit = p->api->identity_limit;
	if (nnear) {
		finding_problem(f, "entries split across near-identical identities: the hook "
				"posts \"%s\"%s, and the commit also has %s",
				mine, mine_count ? "" : " (not on the commit yet)", near.s);
		finding_hint(f, "keep one identity in every hook of the pipeline; the other "
			     "entries stay as they are (a pending one shows as waiting) until a "
			     "new commit is deployed");
	} else if (limit && mine_count >= (size_t)limit) {
		char *m = xasprintf("\"%s\" has %s%zu statuses on this commit: %.*s keeps at "
				    "most %ld per identity and refuses more",
				    mine, pf->statuses_truncated ? "at least " : "",
				    mine_count, PROVIDER_SHORT(p), limit);

		by_conf(f, p->api->identity_limit_conf, "%s", m);
		finding_hint(f, "deploy a new commit, or post fewer updates per deploy "
			     "(each status of each action adds one)");
		free(m);
	} else if (limit && mine_count * 10 >= (size_t)limit * 9) {
		finding_warn(f, "\"%s\" has %zu statuses on this commit, near the %ld %.*s keeps "
			     "per identity", mine, mine_count, limit, PROVIDER_SHORT(p));
		finding_hint(f, "deploy a new commit before it fills up");
	} else if (!pf->nstatuses) {
		finding_pass(f, "no statuses on commit %.12s yet; the hook will post \"%s\"",
			     pf->commit ? pf->commit : "", mine);
	} else {
		finding_pass(f, "%zu status%s under %zu identit%s: %s; the hook's \"%s\" is %s",
			     pf->nstatuses, pf->nstatuses == 1 ? "" : "es", n,
			     n == 1 ? "y" : "ies", all.s, mine,
			     mine_count ? "among them" : "not on the commit yet");
	}
	free(g);
	sbuf_free(&near);
	sbuf_free(&all);
	return f->status;
}

/* ---------------------------------------------------------------- HD606 */

HOOK_CHECK(hd606)
{
	const struct provider_facts *pf = facts(a, f);
	const struct provider *p = a->provider;
	const struct prov_send *sd;
	const struct prov_call *c;
	char *name, *msg;

	if (!pf)
		return CS_SKIP;
	if (!a->opts->send)
		return finding_skip(f, "skipped: only with --send (without it hookdoctor "
				    "writes nothing)");
	if (!needs(pf, f, true, true, true))
		return f->status;
	sd = send_of(a, pf);
	if (!sd)
		return finding_skip(f, "skipped: no test status was posted for \"%s\"",
				    provider_hook_identity(a));
	finding_ev(f, "identity", sd->identity);
	finding_ev(f, "state", sd->state);
	if (sd->skipped)
		return finding_skip(f, "skipped: %s", sd->skipped);
	c = call_at(pf, sd->post);
	if (!c)
		return finding_skip(f, "skipped: nothing was posted");
	ev_call(f, pf, c);
	name = call_name(pf, c);
	msg = quoted_message(c);
	if (!c->made) {
		finding_skip(f, "skipped: %s", c->error ? c->error : "not posted");
	} else if (c->status == 0) {
		finding_problem(f, "%s: %s", name, c->error ? c->error : "no answer");
	} else if (c->limited) {
		unanswered(pf, c, f);
	} else if (!is2xx(c)) {
		if (p->refuses_repeat_pending && c->status == 400 && c->message &&
		    strstr(c->message, "transition")) {
			finding_warn(f, "%s answered 400%s: an entry \"%s\" is already in flight, "
				     "so the test could not post %s", name, msg, sd->identity,
				     sd->state);
			finding_hint(f, "%s", p->repeat_message ? p->repeat_message
				     : "run again when the entry has finished");
		} else {
			finding_problem(f, "%s answered %ld%s: %.*s refused the test status",
					name, c->status, msg, PROVIDER_SHORT(p));
			finding_hint(f, "the hook's own deliveries get the same answer; fix what "
				     "the message names (see HD3xx for the request)");
		}
	} else if (sd->found) {
		finding_ev(f, "read_back", sd->found_identity);
		finding_evf(f, "earlier_entries", "%zu", sd->before);
		if (sd->other_near)
			finding_ev(f, "near_identical", sd->other_near);
		if (sd->before)
			finding_pass(f, "%s answered %ld; read back: \"%s\" shows pending \"%s\", "
				     "the same entry as the %zu earlier status%s with that identity%s%s%s",
				     name, c->status, sd->found_identity, "hookdoctor test",
				     sd->before, sd->before == 1 ? "" : "es",
				     sd->other_near ? " (\"" : "",
				     sd->other_near ? sd->other_near : "",
				     sd->other_near ? "\" is a separate, near-identical entry: HD605)" : "");
		else
			finding_pass(f, "%s answered %ld; read back: \"%s\" shows pending \"%s\", a "
				     "new entry the hook's statuses will update%s%s%s",
				     name, c->status, sd->found_identity, "hookdoctor test",
				     sd->other_near ? " (\"" : "",
				     sd->other_near ? sd->other_near : "",
				     sd->other_near ? "\" is a separate, near-identical entry: HD605)" : "");
		finding_hint(f, "the commit shows this pending test status until the next "
			     "deploy posts under the same identity");
	} else if (sd->found_identity) {
		finding_ev(f, "read_back", sd->found_identity);
		finding_problem(f, "%s answered %ld, but %.*s stored the test status under "
				"\"%s\", not \"%s\": every update makes an entry of its own",
				name, c->status, PROVIDER_SHORT(p), sd->found_identity, sd->identity);
		finding_hint(f, "use the identity as the provider stores it (no surrounding "
			     "spaces, the provider's case)");
	} else {
		const struct prov_call *rb = call_at(pf, sd->readback);

		if (rb && !is2xx(rb)) {
			char *rname = call_name(pf, rb);

			finding_skip(f, "skipped: %s answered %ld; reading back %s answered %ld",
				     name, c->status, rname, rb->status);
			free(rname);
		} else {
			finding_problem(f, "%s answered %ld, but the statuses read back show no "
					"pending \"hookdoctor test\" under \"%s\"", name,
					c->status, sd->identity);
		}
	}
	free(name);
	free(msg);
	return f->status;
}

/* ---------------------------------------------------------------- HD607 */

HOOK_CHECK(hd607)
{
	const struct provider_facts *pf = facts(a, f);
	const struct provider *p = a->provider;
	const struct prov_call *c;
	struct sbuf near = {0};
	const char *mine;
	char *list;
	size_t nnear = 0;

	if (!pf)
		return CS_SKIP;
	if (!p->api->nrequired_checks)
		return finding_skip(f, "skipped: %s", p->api->required_note
				    ? p->api->required_note
				    : "the provider's required checks are not readable");
	if (!needs(pf, f, true, true, false))
		return f->status;
	if (!pf->branch)
		return finding_skip(f, "skipped: the branch is not known (no branch in the "
				    "action, no default branch in the repository)");
	c = call_at(pf, pf->required_call);
	if (!c)
		return finding_skip(f, "skipped: the required checks were not read");
	finding_ev(f, "branch", pf->branch);
	if (!pf->required_ok) {
		char *name;

		if (unanswered(pf, c, f))
			return CS_SKIP;
		name = call_name(pf, c);
		ev_call(f, pf, c);
		finding_skip(f, "skipped: the required checks of %s are not readable "
			     "(%s answered %ld)", pf->branch, name, c->status);
		free(name);
		return CS_SKIP;
	}
	mine = provider_hook_identity(a);
	list = list_text(pf->required, pf->nrequired, ", ");
	finding_ev(f, "required", list);
	finding_ev(f, "hook_identity", mine);
	if (!pf->nrequired) {
		finding_pass(f, "no status checks are required on %s", pf->branch);
		free(list);
		return CS_PASS;
	}
	for (size_t i = 0; i < pf->nrequired; i++) {
		const char *r = pf->required[i];

		if (id_eq(p, r, mine) || (strchr(r, '*') && fnmatch(r, mine, 0) == 0)) {
			finding_pass(f, "\"%s\" is a required check on %s, and the hook posts it "
				     "exactly", r, pf->branch);
			free(list);
			return CS_PASS;
		}
	}
	for (size_t i = 0; i < pf->nrequired; i++)
		if (provider_identity_near(pf->required[i], mine)) {
			sbuf_addf(&near, "%s\"%s\"", nnear ? ", " : "", pf->required[i]);
			nnear++;
		}
	if (nnear) {
		finding_problem(f, "required check%s %s on %s nearly match%s the hook's \"%s\" "
				"but not exactly: merges would wait forever for %s",
				nnear == 1 ? "" : "s", near.s, pf->branch, nnear == 1 ? "es" : "",
				mine, nnear == 1 ? "it" : "them");
		finding_hint(f, "post exactly the required name (as the branch protection or "
			     "ruleset spells it), or change the requirement to the hook's identity");
	} else {
		finding_pass(f, "the hook's \"%s\" is not required on %s (required: %s)", mine,
			     pf->branch, list);
	}
	free(list);
	sbuf_free(&near);
	return f->status;
}
