/*
 * check_api.c - HD102-HD106: the pipeline and the hook as the Devopness
 * API stores them. Pure functions over the facts devopness.c collected
 * (a->api); without them each check skips and says what it needs.
 * check_history.c shares api_problem() for the deliveries list.
 */
#include <stdlib.h>
#include <string.h>
#include "check_api.h"
#include "checks.h"
#include "devopness.h"

#define NO_API "skipped: needs --pipeline and a Devopness API token"

/* Skips f when the API facts are missing; true when it did. */
bool api_unavailable(const struct analysis *a, struct finding *f)
{
	if (a->api && a->api->pipeline_id && *a->api->pipeline_id)
		return false;
	if (a->opts && a->opts->offline)
		finding_skip(f, "skipped: --offline");
	else
		finding_skip(f, NO_API);
	return true;
}

/* A failed API call as the finding's problem: what happened, in the
 * user's terms, with a hint per status. subject names what was asked
 * ("pipeline 42"). */
enum check_status api_problem(struct finding *f, const struct api_call *c,
			      const char *subject)
{
	const char *msg = c->message ? c->message : "";

	finding_ev(f, "request", c->what);
	if (c->status)
		finding_evf(f, "status", "%ld", c->status);
	if (c->message)
		finding_ev(f, "message", c->message);
	if (c->attempts > 1)
		finding_evf(f, "attempts", "%d", c->attempts);
	if (c->transport) {
		finding_hint(f, "check --api-url (or DEVOPNESS_API_URL), the network "
			     "and proxies (HTTPS_PROXY, NO_PROXY); raise --timeout "
			     "when the API is only slow");
		return finding_problem(f, "the Devopness API did not answer %s: %s",
				       c->what, msg);
	}
	switch (c->status) {
	case 401:
		finding_hint(f, "the token is missing, expired or revoked: get a new "
			     "one (POST /users/login answers access_token) and set "
			     "DEVOPNESS_API_TOKEN or --api-token-file");
		return finding_problem(f, "the Devopness API refused the token "
				       "(401 %s) for %s", msg, c->what);
	case 403:
		finding_hint(f, "the token's user may not read %s: use a token of a "
			     "member of its project with access, or ask the project "
			     "owner for it", subject);
		return finding_problem(f, "no access to %s (403 %s)", subject, msg);
	case 404:
		finding_hint(f, "check the ID: pipeline IDs are numbers (GET "
			     "/applications/{id}/pipelines lists them), hook IDs "
			     "are UUIDs (GET /pipelines/{id}/hooks lists them)");
		return finding_problem(f, "no %s in the Devopness API (404 %s)",
				       subject, msg);
	case 422:
		finding_hint(f, "the API named what it could not accept; correct it "
			     "and run again");
		return finding_problem(f, "the Devopness API rejected %s (422 %s)",
				       c->what, msg);
	case 429:
		finding_hint(f, "the API is rate-limiting this token: wait a minute "
			     "and run again (hookdoctor retried %d time%s, honouring "
			     "Retry-After)", c->attempts - 1,
			     c->attempts == 2 ? "" : "s");
		return finding_problem(f, "the Devopness API kept answering 429 (%s) "
				       "to %s after %d attempt%s", msg, c->what,
				       c->attempts, c->attempts == 1 ? "" : "s");
	default:
		break;
	}
	if (c->status >= 500) {
		finding_hint(f, "an error on Devopness' side: run again later, or "
			     "tell Devopness support the time of this run");
		return finding_problem(f, "the Devopness API failed on %s (%ld %s) "
				       "after %d attempt%s", c->what, c->status, msg,
				       c->attempts, c->attempts == 1 ? "" : "s");
	}
	if (c->status) {
		finding_hint(f, "see the API's message; run with the same options "
			     "again once it is fixed");
		return finding_problem(f, "%s answered %ld: %s", c->what, c->status,
				       msg);
	}
	finding_hint(f, "see the API's message");
	return finding_problem(f, "%s: %s", c->what, msg);
}

/* The pipeline could not be read: the hook checks skip on it. */
static bool pipeline_unusable(const struct analysis *a, struct finding *f)
{
	if (!devopness_is_id(a->api->pipeline_id)) {
		finding_skip(f, "skipped: HD101 failed");
		return true;
	}
	if (!a->api->pipeline.ok) {
		finding_skip(f, "skipped: HD102 failed");
		return true;
	}
	return false;
}

/* The API's facts about this hook, or NULL after skipping or failing f. */
const struct api_hook *api_hook_facts(const struct analysis *a,
				      struct finding *f, bool judge_fetch)
{
	const struct api_facts *api = a->api;
	const struct api_hook *hf;
	const char *id = a->hook ? a->hook->id : NULL;

	if (api->placeholder) {
		finding_skip(f, "skipped: no outgoing hook to check (HD104)");
		return NULL;
	}
	if (!id) {
		finding_skip(f, "skipped: the hook has no id: it is not stored in "
			     "Devopness (yet)");
		return NULL;
	}
	hf = api_facts_hook(api, id);
	if (!hf) {
		finding_skip(f, "skipped: hook %s was not read from the API", id);
		return NULL;
	}
	if (hf->get.done && !hf->get.ok) {
		if (judge_fetch) {
			char *subject = xasprintf("outgoing hook %s", id);

			api_problem(f, &hf->get, subject);
			free(subject);
		} else {
			finding_skip(f, "skipped: HD104 failed");
		}
		return NULL;
	}
	if (!hf->known) {
		finding_skip(f, "skipped: the API said nothing of hook %s", id);
		return NULL;
	}
	return hf;
}

/* ------------------------------------------------------------------ HD102 */

HOOK_CHECK(hd102)
{
	const struct api_facts *api = a->api;
	char *subject;

	if (api_unavailable(a, f))
		return f->status;
	if (!devopness_is_id(api->pipeline_id))
		return finding_skip(f, "skipped: HD101 failed");
	if (api->pipeline.ok) {
		finding_ev(f, "request", api->pipeline.what);
		finding_ev(f, "status", "200");
		if (api->pipeline_name)
			finding_ev(f, "name", api->pipeline_name);
		finding_ev(f, "api", api->base_url);
		return finding_pass(f, "pipeline %s%s%s%s exists (%s answered 200)",
				    api->pipeline_id,
				    api->pipeline_name ? " \"" : "",
				    api->pipeline_name ? api->pipeline_name : "",
				    api->pipeline_name ? "\"" : "",
				    api->pipeline.what);
	}
	subject = xasprintf("pipeline %s", api->pipeline_id);
	finding_ev(f, "api", api->base_url);
	api_problem(f, &api->pipeline, subject);
	free(subject);
	return f->status;
}

/* ------------------------------------------------------------------ HD103 */

HOOK_CHECK(hd103)
{
	const struct api_facts *api = a->api;
	const char *op, *rt;

	if (api_unavailable(a, f) || pipeline_unusable(a, f))
		return f->status;
	op = api->operation;
	rt = api->resource_type;
	finding_ev(f, "operation", op ? op : "(none)");
	finding_ev(f, "resource_type", rt ? rt : "(none)");
	if (api->resource_id)
		finding_ev(f, "resource_id", api->resource_id);
	if (op && rt && strcmp(op, "deploy") == 0 && strcmp(rt, "application") == 0)
		return finding_pass(f, "pipeline %s deploys application %s",
				    api->pipeline_id,
				    api->resource_id ? api->resource_id : "?");
	finding_hint(f, "commit statuses report deploys: attach the hooks to the "
		     "pipeline whose operation is deploy on the application "
		     "(GET /applications/{id}/pipelines lists them)");
	return finding_problem(f, "pipeline %s runs '%s' on %s%s, not a deploy "
			       "of an application: its actions have no commit to "
			       "report on", api->pipeline_id, op ? op : "(none)",
			       rt ? "a " : "an unknown resource", rt ? rt : "");
}

/* ------------------------------------------------------------------ HD104 */

static void list_incoming(const struct api_facts *api, struct sbuf *b)
{
	for (size_t i = 0; i < api->nincoming && i < 5; i++)
		sbuf_addf(b, "%s%s", i ? ", " : "", api->incoming[i]);
	if (api->nincoming > 5)
		sbuf_addf(b, " and %zu more", api->nincoming - 5);
}

static enum check_status no_outgoing_hook(const struct analysis *a,
					  struct finding *f)
{
	const struct api_facts *api = a->api;
	struct sbuf b = {0};
	char *subject;

	if (api->hook_filter) {
		const struct api_hook *hf = api_facts_hook(api, api->hook_filter);

		subject = xasprintf("outgoing hook %s", api->hook_filter);
		if (hf && hf->get.done && !hf->get.ok)
			api_problem(f, &hf->get, subject);
		else
			finding_problem(f, "hook %s could not be read", api->hook_filter);
		free(subject);
		return f->status;
	}
	if (!api->hooks.ok) {
		subject = xasprintf("hook list of pipeline %s", api->pipeline_id);
		api_problem(f, &api->hooks, subject);
		free(subject);
		return f->status;
	}
	finding_ev(f, "request", api->hooks.what);
	finding_evf(f, "incoming_hooks", "%zu", api->nincoming);
	finding_hint(f, "an incoming hook starts deploys; commit statuses are "
		     "posted by outgoing hooks: create them with POST "
		     "/pipelines/%s/hooks/outgoing (hookdoctor save --pipeline %s "
		     "--file hook.json checks the body first)", api->pipeline_id,
		     api->pipeline_id);
	if (api->nincoming) {
		list_incoming(api, &b);
		finding_ev(f, "incoming", b.s);
		finding_problem(f, "pipeline %s has no outgoing hook, only %zu "
				"incoming: %s", api->pipeline_id, api->nincoming, b.s);
	} else {
		finding_problem(f, "pipeline %s has no hook at all: nothing posts "
				"a commit status", api->pipeline_id);
	}
	sbuf_free(&b);
	return f->status;
}

HOOK_CHECK(hd104)
{
	const struct api_hook *hf;

	if (api_unavailable(a, f) || pipeline_unusable(a, f))
		return f->status;
	if (a->api->placeholder)
		return no_outgoing_hook(a, f);
	if (!(hf = api_hook_facts(a, f, true)))
		return f->status;
	finding_ev(f, "id", hf->id);
	finding_ev(f, "type", hf->type ? hf->type : "(none)");
	if (hf->type && strcmp(hf->type, "out") == 0)
		return finding_pass(f, "hook %s is an outgoing hook", hf->id);
	finding_hint(f, "an incoming hook receives requests (it starts deploys) "
		     "and never posts anything: commit statuses need an outgoing "
		     "hook, created with POST /pipelines/%s/hooks/outgoing",
		     a->api->pipeline_id);
	return finding_problem(f, "hook %s is of type '%s'%s, not an outgoing "
			       "hook", hf->id, hf->type ? hf->type : "(none)",
			       hf->type && strcmp(hf->type, "in") == 0 ?
			       " (incoming)" : "");
}

/* ------------------------------------------------------------------ HD105 */

HOOK_CHECK(hd105)
{
	const struct api_hook *hf;

	if (api_unavailable(a, f) || pipeline_unusable(a, f))
		return f->status;
	if (!(hf = api_hook_facts(a, f, false)))
		return f->status;
	if (hf->active < 0)
		return finding_skip(f, "skipped: the API did not say whether hook "
				    "%s is active", hf->id);
	finding_ev(f, "active", hf->active ? "true" : "false");
	if (hf->active)
		return finding_pass(f, "hook %s is active", hf->id);
	finding_hint(f, "set \"active\": true on the hook (PUT "
		     "/hooks/outgoing/%s); an inactive hook is never sent, "
		     "whatever its events", hf->id);
	return finding_problem(f, "hook %s is inactive: Devopness sends nothing "
			       "for it", hf->id);
}

/* ------------------------------------------------------------------ HD106 */

static bool same_id(const char *a, const char *b)
{
	while (*a == '0' && a[1])
		a++;
	while (*b == '0' && b[1])
		b++;
	return strcmp(a, b) == 0;
}

HOOK_CHECK(hd106)
{
	const struct api_hook *hf;
	const char *want = a->api ? a->api->pipeline_id : NULL;

	if (api_unavailable(a, f) || pipeline_unusable(a, f))
		return f->status;
	if (!(hf = api_hook_facts(a, f, false)))
		return f->status;
	finding_ev(f, "pipeline_id", hf->pipeline_id ? hf->pipeline_id : "null");
	finding_ev(f, "--pipeline", want);
	if (!hf->pipeline_id) {
		finding_hint(f, "create the hook under the pipeline: POST "
			     "/pipelines/%s/hooks/outgoing", want);
		return finding_problem(f, "hook %s belongs to no pipeline "
				       "(pipeline_id is null): no action fires it",
				       hf->id);
	}
	if (same_id(hf->pipeline_id, want))
		return finding_pass(f, "hook %s belongs to pipeline %s", hf->id,
				    want);
	finding_hint(f, "this hook fires for pipeline %s's actions, not %s's: "
		     "check the pipeline you meant, or create the hook under "
		     "pipeline %s (POST /pipelines/%s/hooks/outgoing)",
		     hf->pipeline_id, want, want, want);
	return finding_problem(f, "hook %s belongs to pipeline %s, not to "
			       "pipeline %s", hf->id, hf->pipeline_id, want);
}
