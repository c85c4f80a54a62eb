/*
 * check_history.c - HD701-HD705: what Devopness actually sent for a hook
 * and what the provider answered (GET /hooks/outgoing/{id}/requests and
 * GET /hook-requests/{id}, collected by devopness.c). Each delivery is
 * read through the rules of the provider its URL belongs to: the state,
 * identity and link fields of the body sent, and the provider's own error
 * message in the answer (the rule file's "error_message_paths"). Pure
 * functions over a->api; they never print or fetch.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "check_api.h"
#include "checks.h"
#include "devopness.h"

/* The hook's deliveries, or NULL after skipping or failing f. HD701 judges
 * a list that could not be read; the others skip on it. */
static const struct api_hook *deliveries(const struct analysis *a,
					 struct finding *f, bool judge)
{
	const struct api_hook *hf;

	if (api_unavailable(a, f))
		return NULL;
	if (!devopness_is_id(a->api->pipeline_id)) {
		finding_skip(f, "skipped: HD101 failed");
		return NULL;
	}
	if (!a->api->pipeline.ok) {
		finding_skip(f, "skipped: HD102 failed");
		return NULL;
	}
	if (!(hf = api_hook_facts(a, f, false)))
		return NULL;
	if (!hf->requests.done) {
		finding_skip(f, "skipped: the deliveries of hook %s were not read",
			     hf->id);
		return NULL;
	}
	if (!hf->requests.ok) {
		if (judge) {
			char *subject = xasprintf("deliveries of hook %s", hf->id);

			api_problem(f, &hf->requests, subject);
			free(subject);
		} else {
			finding_skip(f, "skipped: HD701 could not read the deliveries");
		}
		return NULL;
	}
	if (!judge && hf->nlisted == 0) {
		finding_skip(f, "skipped: no deliveries (HD701)");
		return NULL;
	}
	return hf;
}

/* ---- reading a delivery ----------------------------------------------- */

/* The node at a path like "error.message" or "errors[0].message". */
static const cJSON *path_get(const cJSON *root, const char *path)
{
	const cJSON *cur = root;
	const char *p = path;

	while (cur && *p) {
		size_t n = strcspn(p, ".[");

		if (n) {
			char *key = xstrndup(p, n);

			cur = cJSON_IsObject(cur) ?
			      cJSON_GetObjectItemCaseSensitive(cur, key) : NULL;
			free(key);
			p += n;
		}
		while (cur && *p == '[') {
			char *end;
			long i = strtol(p + 1, &end, 10);

			if (*end != ']' || i < 0 || !cJSON_IsArray(cur))
				return NULL;
			cur = cJSON_GetArrayItem(cur, (int)i);
			p = end + 1;
		}
		if (*p == '.')
			p++;
		else if (*p)
			return NULL;
	}
	return cur;
}

/* Text of a scalar (or compact JSON of an object/array); malloc'd, NULL
 * for a missing node or null. */
static char *node_text(const cJSON *n)
{
	char *p, *s;

	if (!n || cJSON_IsNull(n))
		return NULL;
	if (cJSON_IsString(n))
		return xstrdup(n->valuestring);
	if (cJSON_IsNumber(n)) {
		double d = n->valuedouble;

		if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
			return xasprintf("%lld", (long long)d);
		return xasprintf("%g", d);
	}
	if (cJSON_IsBool(n))
		return xstrdup(cJSON_IsTrue(n) ? "true" : "false");
	p = cJSON_PrintUnformatted(n);
	s = xstrdup(p ? p : "");
	cJSON_free(p);
	return s;
}

/* The provider a delivery was sent to: by its URL, else the hook's. */
static const struct provider *delivery_provider(const struct analysis *a,
						const struct api_delivery *d)
{
	const struct provider *p = NULL;

	if (d->url && a->rules) {
		struct url_match m;

		rules_match_url(a->rules, NULL, d->url, &m);
		p = m.provider;
		url_match_free(&m);
	}
	return p ? p : a->provider;
}

/* The provider's own error message in the answer, through the rule
 * file's error_message_paths (every path that holds a value, joined);
 * a plain-text answer as it is. malloc'd or NULL. */
static char *provider_message(const struct provider *p, const cJSON *body)
{
	struct sbuf b = {0};
	char *s;

	if (!body)
		return NULL;
	if (cJSON_IsString(body)) {
		s = xstrdup(body->valuestring);
	} else {
		for (size_t i = 0; p && i < p->nerror_message_paths; i++) {
			char *t = node_text(path_get(body, p->error_message_paths[i]));

			if (t && *t)
				sbuf_addf(&b, "%s%s", b.len ? " / " : "", t);
			free(t);
		}
		if (!b.len) {
			sbuf_free(&b);
			return NULL;
		}
		s = sbuf_detach(&b);
	}
	for (char *q = s; *q; q++)
		if (*q == '\r' || *q == '\n' || *q == '\t')
			*q = ' ';
	if (strlen(s) > 200)
		strcpy(s + 197, "...");
	if (!*s) {
		free(s);
		return NULL;
	}
	return s;
}

/* A field of the body sent, through the provider's rules. */
static char *sent_field(const struct api_delivery *d, const char *field)
{
	if (!field || !cJSON_IsObject(d->request_body))
		return NULL;
	return node_text(path_get(d->request_body, field));
}

/* The identity the delivery set (fields joined with "/"), the provider's
 * default when omitted, or NULL when the body cannot say. */
static char *sent_identity(const struct provider *p,
			   const struct api_delivery *d)
{
	struct sbuf b = {0};
	bool set = false;

	if (!p || !p->nidentity || !cJSON_IsObject(d->request_body))
		return NULL;
	for (size_t i = 0; i < p->nidentity; i++) {
		const cJSON *n = path_get(d->request_body, p->identity[i]);
		char *t;

		for (size_t k = 0; !n && k < p->nfields; k++)
			if (p->fields[k].alias_of &&
			    strcmp(p->fields[k].alias_of, p->identity[i]) == 0)
				n = path_get(d->request_body, p->fields[k].name);
		t = node_text(n);
		if (t)
			set = true;
		sbuf_addf(&b, "%s%s", i ? "/" : "", t ? t : "");
		free(t);
	}
	if (!set) {
		sbuf_free(&b);
		return p->identity_default ? xstrdup(p->identity_default) : NULL;
	}
	return sbuf_detach(&b);
}

static bool ok_status(long s)
{
	return s >= 200 && s <= 299 && s != 203;
}

/* GitLab refuses the same non-terminal state twice with a 400 that does
 * no harm (the status already shows it). */
static bool benign(const struct provider *p, long status, const char *msg)
{
	return p && p->refuses_repeat_pending && status == 400 && msg &&
	       strstr(msg, "Cannot transition status");
}

/* What a failed answer means, in a few words. */
static const char *failure_class(long s)
{
	if (s == 0)
		return "no answer (timeout or connection error)";
	if (s == 203)
		return "a sign-in page instead of an answer: the token was not accepted";
	if (s == 400)
		return "bad request";
	if (s == 401)
		return "the token was refused";
	if (s == 403)
		return "forbidden: the token lacks permission (or a rate limit)";
	if (s == 404)
		return "not found: repository or commit, or no access to it";
	if (s == 409)
		return "conflict: another update was in progress";
	if (s == 422)
		return "the body was rejected";
	if (s == 429)
		return "rate limited";
	if (s >= 500)
		return "the provider failed";
	if (s >= 300 && s < 400)
		return "redirected: the request was not taken";
	return "not a success";
}

static const char *failure_hint(long s)
{
	if (s == 0)
		return "Devopness got no answer from the target: see the network "
		       "checks HD501-HD511";
	if (s == 401 || s == 203)
		return "the provider token in {{ application.source_provider.access_token }} "
		       "is expired or revoked, or the auth header has the wrong form "
		       "(HD304); reconnect the source provider in Devopness";
	if (s == 403)
		return "the token may not write commit statuses (HD602): grant the "
		       "scope or permission the provider needs";
	if (s == 404)
		return "check owner/repository in target_url (HD301) and that the "
		       "commit exists there (HD303, HD604); providers answer 404 "
		       "when the token cannot see the repository";
	if (s == 400 || s == 422)
		return "the provider named what it refused: compare with HD307, "
		       "HD308 and HD309";
	if (s >= 500)
		return "an error on the provider's side: it usually passes; retry";
	if (s >= 300 && s < 400)
		return "target_url is redirected (HD509): post to the final URL";
	return "see the provider's answer in the evidence";
}

/* "2024-05-14T09:30:00.000000Z" as "2024-05-14 09:30:00". */
static void short_time(const char *iso, char *out, size_t n)
{
	size_t k = 0;

	if (!iso) {
		snprintf(out, n, "%-19s", "(no time)");
		return;
	}
	for (; iso[k] && k + 1 < n && k < 19; k++)
		out[k] = iso[k] == 'T' ? ' ' : iso[k];
	out[k] = '\0';
}

/* ---------------------------------------------------------------- HD701 */

HOOK_CHECK(hd701)
{
	const struct api_hook *hf = deliveries(a, f, true);

	if (!hf)
		return f->status;
	finding_ev(f, "request", hf->requests.what);
	finding_evf(f, "deliveries", "%zu", hf->nlisted);
	if (hf->nlisted) {
		if (hf->latest_at)
			finding_ev(f, "latest", hf->latest_at);
		return finding_pass(f, "%zu deliver%s recorded, the latest at %s",
				    hf->nlisted, hf->nlisted == 1 ? "y" : "ies",
				    hf->latest_at ? hf->latest_at : "an unknown time");
	}
	if (hf->active != 0 && a->api->actions.ok &&
	    !(a->api->statuses_reached & a->firing.mask)) {
		/* Nothing happened that it fires on: silence is right. */
		struct sbuf b = {0};

		hd_status_words(&b, a->firing.mask, ", ", ", ");
		finding_evf(f, "actions", "%zu", a->api->nactions);
		finding_pass(f, "no delivery yet, and none expected: none of the "
			     "pipeline's %zu action%s reached %s", a->api->nactions,
			     a->api->nactions == 1 ? "" : "s",
			     b.len ? b.s : "a status this hook fires on");
		sbuf_free(&b);
		return f->status;
	}
	if (hf->active == 0)
		finding_hint(f, "the hook is inactive (HD105): activate it");
	else if (a->cond_judged && !a->fires_for_action)
		finding_hint(f, "its trigger_when.conditions keep it from firing "
			     "for %s (HD113 names the condition and the value): "
			     "if actions like it should be reported, accept "
			     "their value", a->api->action_source
			     ? a->api->action_source : "the action used");
	else
		finding_hint(f, "check that its events and conditions match the "
			     "pipeline's actions (HD108, HD113) and that the "
			     "pipeline has run since the hook was created%s%s",
			     a->api->action_source ? "; rendered here with " : "",
			     a->api->action_source ? a->api->action_source : "");
	return finding_problem(f, "no delivery recorded: hook %s has never fired",
			       hf->id);
}

/* ---------------------------------------------------------------- HD702 */

HOOK_CHECK(hd702)
{
	const struct api_hook *hf = deliveries(a, f, false);
	struct sbuf tl = {0};
	size_t failed = 0, benign_n = 0, unknown = 0;
	const struct api_delivery *last_fail = NULL;
	char *last_msg = NULL;
	const struct provider *last_p = NULL;

	if (!hf)
		return f->status;
	for (size_t i = 0; i < hf->ndeliveries; i++) {
		const struct api_delivery *d = &hf->deliveries[i];
		const struct provider *p = delivery_provider(a, d);
		char *msg = NULL, *state = NULL, when[32];

		short_time(d->created_at, when, sizeof(when));
		if (p)
			state = sent_field(d, p->state_field);
		sbuf_addf(&tl, "%s%s  action %-8s %-10s ", tl.len ? "\n" : "", when,
			  d->action_id ? d->action_id : "-", state ? state : "?");
		if (!d->detailed) {
			sbuf_addf(&tl, "(not read: %s)", d->detail_error ?
				  d->detail_error : "?");
			unknown++;
		} else if (ok_status(d->status)) {
			sbuf_addf(&tl, "%ld", d->status);
		} else {
			msg = provider_message(p, d->response_body);
			if (d->status)
				sbuf_addf(&tl, "%ld", d->status);
			else
				sbuf_add(&tl, "no answer");
			if (msg)
				sbuf_addf(&tl, " \"%s\"", msg);
			if (benign(p, d->status, msg)) {
				sbuf_add(&tl, " (harmless repeat)");
				benign_n++;
			} else {
				failed++;
				last_fail = d;
				last_p = p;
				free(last_msg);
				last_msg = msg;
				msg = NULL;
			}
		}
		free(msg);
		free(state);
	}
	finding_evf(f, "window", "the %zu latest of %zu", hf->ndeliveries,
		    hf->nlisted);
	finding_ev(f, "timeline", tl.s ? tl.s : "");
	sbuf_free(&tl);
	if (!failed) {
		enum check_status st;

		if (unknown == hf->ndeliveries)
			st = finding_skip(f, "skipped: none of the %zu latest "
					  "deliveries could be read",
					  hf->ndeliveries);
		else
			st = finding_pass(f, "%s %zu latest deliver%s got 2xx%s%s",
					  hf->ndeliveries - unknown == 1 ? "the" : "all",
					  hf->ndeliveries - unknown,
					  hf->ndeliveries - unknown == 1 ? "y" : "ies",
					  benign_n ? "; GitLab refused repeats of "
					  "a pending state, harmlessly" : "",
					  unknown ? " (some could not be read)" : "");
		free(last_msg);
		return st;
	}
	if (last_fail->url)
		finding_ev(f, "failed_url", last_fail->url);
	if (last_fail->response_body) {
		char *body = node_text(last_fail->response_body);

		finding_ev(f, "failed_response", body ? body : "");
		free(body);
	}
	if (last_msg)
		finding_ev(f, "provider_message", last_msg);
	finding_hint(f, "%s", failure_hint(last_fail->status));
	{
		char code[32];

		if (last_fail->status)
			snprintf(code, sizeof(code), "%ld", last_fail->status);
		else
			snprintf(code, sizeof(code), "no answer");
		finding_problem(f, "%zu of the %zu latest deliveries failed; the "
				"latest: %s%s%s, %s%s%s%s", failed,
				hf->ndeliveries - unknown, code,
				last_p ? " from " : "", last_p ? last_p->title : "",
				failure_class(last_fail->status),
				last_msg ? " (\"" : "", last_msg ? last_msg : "",
				last_msg ? "\")" : "");
	}
	free(last_msg);
	return f->status;
}

/* ---------------------------------------------------------------- HD703 */

struct tally {
	char **v;
	size_t *n;
	size_t len;
};

static void tally_add(struct tally *t, const char *s, bool ci)
{
	for (size_t i = 0; i < t->len; i++)
		if (ci ? ascii_casecmp(t->v[i], s) == 0 : strcmp(t->v[i], s) == 0) {
			t->n[i]++;
			return;
		}
	t->v = xrealloc(t->v, (t->len + 1) * sizeof(*t->v));
	t->n = xrealloc(t->n, (t->len + 1) * sizeof(*t->n));
	t->v[t->len] = xstrdup(s);
	t->n[t->len++] = 1;
}

static void tally_free(struct tally *t)
{
	for (size_t i = 0; i < t->len; i++)
		free(t->v[i]);
	free(t->v);
	free(t->n);
}

HOOK_CHECK(hd703)
{
	const struct api_hook *hf = deliveries(a, f, false);
	struct tally t = {0};
	struct sbuf b = {0};
	const struct provider *p = NULL;
	const char *field = NULL;

	if (!hf)
		return f->status;
	for (size_t i = 0; i < hf->ndeliveries; i++) {
		const struct api_delivery *d = &hf->deliveries[i];
		const struct provider *dp = delivery_provider(a, d);
		char *id = sent_identity(dp, d);

		if (id) {
			tally_add(&t, id, dp->identity_ci);
			p = dp;
		}
		free(id);
	}
	if (!t.len) {
		tally_free(&t);
		return finding_skip(f, "skipped: no delivery body shows an identity "
				    "(provider not recognised, or bodies not read)");
	}
	field = p->nidentity == 1 ? p->identity[0] : "identity";
	for (size_t i = 0; i < t.len; i++)
		sbuf_addf(&b, "%s\"%s\" (%zu)", i ? ", " : "", t.v[i], t.n[i]);
	finding_ev(f, "identities", b.s);
	if (t.len == 1) {
		finding_pass(f, "every delivery sent %s \"%s\"", field, t.v[0]);
	} else {
		finding_hint(f, "each %s is a separate entry on the commit, and the "
			     "one left pending blocks merges: use one %s in every "
			     "hook of the pipeline (HD402, HD403), e.g. \"%s\"",
			     field, field, t.v[t.len - 1]);
		finding_problem(f, "the deliveries used %zu different %s values: %s",
				t.len, field, b.s);
	}
	sbuf_free(&b);
	tally_free(&t);
	return f->status;
}

/* ---------------------------------------------------------------- HD704 */

/* Does link lead to the page of that action (…/actions/ID)? */
static bool links_to_action(const char *link, const char *action_id,
			    const struct api_facts *api)
{
	size_t n = strcspn(link, "?#");
	char *want = xasprintf("/actions/%s", action_id);
	size_t wl = strlen(want);
	bool ok;

	while (n > 0 && link[n - 1] == '/')
		n--;
	ok = (strncmp(link, "https://", 8) == 0 || strncmp(link, "http://", 7) == 0) &&
	     n >= wl && strncmp(link + n - wl, want, wl) == 0;
	free(want);
	if (!ok && api && api->action_json) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(api->action_json, "id");
		const cJSON *pl = cJSON_GetObjectItemCaseSensitive(api->action_json,
								  "url_web_permalink");
		char *t = node_text(id);

		ok = t && strcmp(t, action_id) == 0 && cJSON_IsString(pl) &&
		     strcmp(pl->valuestring, link) == 0;
		free(t);
	}
	return ok;
}

HOOK_CHECK(hd704)
{
	const struct api_hook *hf = deliveries(a, f, false);
	size_t judged = 0;
	const char *field = "link";

	if (!hf)
		return f->status;
	for (size_t i = 0; i < hf->ndeliveries; i++) {
		const struct api_delivery *d = &hf->deliveries[i];
		const struct provider *p = delivery_provider(a, d);
		char *link, when[32];

		if (!p || !p->link_field || !d->action_id ||
		    !cJSON_IsObject(d->request_body))
			continue;
		field = p->link_field;
		judged++;
		link = sent_field(d, p->link_field);
		short_time(d->created_at, when, sizeof(when));
		if (!link || !*link) {
			finding_ev(f, "delivery", d->id);
			finding_hint(f, "set %s to {{ action.url_web_permalink }} so the "
				     "status links back to the deploy (HD404)", field);
			finding_problem(f, "the delivery of %s for action %s sent no %s: "
					"the status links nowhere", when, d->action_id,
					field);
			free(link);
			return f->status;
		}
		if (!links_to_action(link, d->action_id, a->api)) {
			finding_ev(f, "delivery", d->id);
			finding_ev(f, "link", link);
			finding_hint(f, "set %s to {{ action.url_web_permalink }} (or "
				     "https://app.devopness.com/actions/{{ action.id }}), "
				     "so each status leads to its own deploy (HD404, "
				     "HD405)", field);
			finding_problem(f, "the delivery of %s for action %s sent %s "
					"\"%s\": not that action's page", when,
					d->action_id, field, link);
			free(link);
			return f->status;
		}
		free(link);
	}
	if (!judged)
		return finding_skip(f, "skipped: no delivery with a readable body "
				    "and action to judge");
	return finding_pass(f, "every delivery's %s leads to its action's page "
			    "(%zu judged)", field, judged);
}

/* ---------------------------------------------------------------- HD705 */

/* Is the action the one being rendered with, and still running? */
static bool still_running(const struct api_facts *api, const char *action_id)
{
	const cJSON *id, *st;
	char *t;
	bool running;

	if (!api || !api->action_json)
		return false;
	id = cJSON_GetObjectItemCaseSensitive(api->action_json, "id");
	st = cJSON_GetObjectItemCaseSensitive(api->action_json, "status");
	t = node_text(id);
	running = t && strcmp(t, action_id) == 0 && cJSON_IsString(st) &&
		  strcmp(st->valuestring, "completed") != 0 &&
		  strcmp(st->valuestring, "failed") != 0 &&
		  strcmp(st->valuestring, "skipped") != 0;
	free(t);
	return running;
}

/* The state that last reached the provider for an action, across every
 * hook of the pipeline (the documented set-up has one hook per event):
 * the newest delivery with a 2xx answer and a readable state. Sets *cls
 * and returns the state (malloc'd), or NULL when none; *read is set when
 * any of the action's deliveries could be read. */
static char *last_delivered_state(const struct analysis *a,
				  const char *action_id, enum state_class *cls,
				  bool *read)
{
	const struct api_facts *api = a->api;
	const struct api_delivery *best = NULL;
	const struct provider *bp = NULL;
	char *state;

	*cls = SC_UNKNOWN;
	*read = false;
	for (size_t h = 0; h < api->nhook; h++)
		for (size_t k = 0; k < api->hook[h].ndeliveries; k++) {
			const struct api_delivery *e = &api->hook[h].deliveries[k];
			const struct provider *p;
			char *st;

			if (!e->action_id || strcmp(e->action_id, action_id) != 0)
				continue;
			if (e->detailed)
				*read = true;
			if (!e->detailed || !ok_status(e->status) ||
			    !(p = delivery_provider(a, e)))
				continue;
			if (!(st = sent_field(e, p->state_field)))
				continue;
			free(st);
			if (!best || strcmp(e->created_at ? e->created_at : "",
					    best->created_at ? best->created_at : "") >= 0) {
				best = e;
				bp = p;
			}
		}
	if (!best)
		return NULL;
	state = sent_field(best, bp->state_field);
	*cls = rules_state_class(bp, state);
	return state;
}

HOOK_CHECK(hd705)
{
	const struct api_hook *hf = deliveries(a, f, false);
	struct sbuf bad = {0};
	size_t actions = 0, nbad = 0;
	const char *seen[DEVOPNESS_DELIVERY_WINDOW + 1];
	size_t nseen = 0;

	if (!hf)
		return f->status;
	for (size_t i = 0; i < hf->ndeliveries; i++) {
		const struct api_delivery *d = &hf->deliveries[i];
		enum state_class cls;
		bool dup = false, read;
		char *state;

		if (!d->action_id)
			continue;
		for (size_t k = 0; k < nseen; k++)
			if (strcmp(seen[k], d->action_id) == 0)
				dup = true;
		if (dup || nseen >= DEVOPNESS_DELIVERY_WINDOW)
			continue;
		seen[nseen++] = d->action_id;
		state = last_delivered_state(a, d->action_id, &cls, &read);
		if (!read) {
			free(state);
			continue;
		}
		actions++;
		if ((cls == SC_PENDING || !state) &&
		    !still_running(a->api, d->action_id)) {
			nbad++;
			if (nbad <= 3) {
				sbuf_addf(&bad, "%saction %s: %s", bad.len ? "; " : "",
					  d->action_id, state ?
					  "the last state delivered is a pending one" :
					  "no status was delivered successfully");
				if (state)
					sbuf_addf(&bad, " (\"%s\")", state);
			}
		}
		free(state);
	}
	if (!actions)
		return finding_skip(f, "skipped: no delivery names its action, or "
				    "none could be read");
	finding_evf(f, "actions", "%zu", actions);
	if (!nbad) {
		sbuf_free(&bad);
		return finding_pass(f, "each of the %zu action%s this hook reported "
				    "on ends in a terminal state on the provider",
				    actions, actions == 1 ? "" : "s");
	}
	finding_ev(f, "unfinished", bad.s);
	finding_hint(f, "the commit keeps showing a pending status: make sure "
		     "the pipeline's hooks fire on action.completed and "
		     "action.failed (HD109) and that those deliveries succeed "
		     "(HD702)");
	finding_problem(f, "%zu of %zu actions never reached a terminal state on "
			"the provider: %s", nbad, actions, bad.s);
	sbuf_free(&bad);
	return f->status;
}
