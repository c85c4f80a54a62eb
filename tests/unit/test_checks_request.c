/*
 * test_checks_request.c - HD301-HD311 and HD401-HD407 on hand-built facts.
 *
 * Each test builds the struct analysis (or struct group) analyse.c would
 * produce, with small hand-written providers shaped like the rule files,
 * and proves one behaviour of a check: the documented Devopness set-up
 * passes without a failure, and each mistake is named.
 */
#include <stdlib.h>
#include <string.h>
#include "checks.h"
#include "unit.h"

#define SHA1 "0123456789abcdef0123456789abcdef01234567"
#define SHA2 "89abcdef0123456789abcdef0123456789abcdef"
#define PAGE1 "https://app.devopness.com/actions/1001"
#define PAGE2 "https://app.devopness.com/actions/1002"

/* --- providers --- */

static char *gh_states[] = { "error", "failure", "pending", "success" };
static char *gh_success[] = { "success" }, *gh_failure[] = { "failure", "error" },
	    *gh_pending[] = { "pending" };
static struct rule_field gh_fields[] = {
	{ .name = "state", .type = FT_STRING, .required = true,
	  .required_conf = CONF_CONFIRMED, .enums = gh_states, .nenums = 4 },
	{ .name = "target_url", .type = FT_STRING, .nullable = true, .url = true },
	{ .name = "description", .type = FT_STRING, .nullable = true,
	  .max_length = 140, .max_length_conf = CONF_REPORTED },
	{ .name = "context", .type = FT_STRING, .max_length = 255,
	  .max_length_conf = CONF_UNCONFIRMED },
};
static struct rule_alias gh_aliases[] = {
	{ "status", "state" }, { "url", "target_url" }, { "key", "context" },
	{ "targetUrl", "target_url" },
};
static struct rule_auth gh_auth[] = {
	{ .header = "Authorization", .scheme = "Bearer" },
	{ .header = "Authorization", .scheme = "token" },
};
static char *gh_accept[] = { "application/vnd.github+json" };
static char *gh_versions[] = { "2022-11-28", "2026-03-10" };
static struct rule_header gh_headers[] = {
	{ .name = "User-Agent", .level = 2,
	  .hint = "GitHub rejects requests without a User-Agent (403)" },
	{ .name = "Accept", .level = 1, .values = gh_accept, .nvalues = 1,
	  .values_prefix = true },
	{ .name = "X-GitHub-Api-Version", .level = 1, .values = gh_versions,
	  .nvalues = 2, .when_present = true },
};
static char *gh_identity[] = { "context" };
static struct rule_endpoint gh_ep = {
	.name = "create-status", .method = "POST", .cap_owner = 1,
	.cap_repo = 2, .cap_commit = 3, .commit_min = 40, .commit_max = 40,
};

static char *bb_states[] = { "SUCCESSFUL", "FAILED", "INPROGRESS", "STOPPED" };
static char *bb_success[] = { "SUCCESSFUL" }, *bb_failure[] = { "FAILED" },
	    *bb_pending[] = { "INPROGRESS" }, *bb_other[] = { "STOPPED" };
static struct rule_field bb_fields[] = {
	{ .name = "key", .type = FT_STRING, .required = true,
	  .required_conf = CONF_CONFIRMED, .max_length = 40,
	  .max_length_conf = CONF_REPORTED },
	{ .name = "state", .type = FT_STRING, .required = true,
	  .required_conf = CONF_CONFIRMED, .enums = bb_states, .nenums = 4 },
	{ .name = "url", .type = FT_STRING, .required = true,
	  .required_conf = CONF_UNCONFIRMED, .url = true },
	{ .name = "name", .type = FT_STRING },
	{ .name = "description", .type = FT_STRING },
	{ .name = "refname", .type = FT_STRING },
};
static struct rule_auth bb_auth[] = {
	{ .header = "Authorization", .scheme = "Bearer" },
	{ .header = "Authorization", .scheme = "Basic" },
};
static char *bb_identity[] = { "key" };
static struct rule_endpoint bb_ep = {
	.name = "create-build-status", .method = "POST", .cap_owner = 1,
	.cap_repo = 2, .cap_commit = 3, .commit_min = 7, .commit_max = 40,
};

static char *gl_states[] = { "pending", "running", "success", "failed",
			     "canceled", "skipped" };
static char *gl_success[] = { "success" }, *gl_failure[] = { "failed" },
	    *gl_pending[] = { "pending", "running" },
	    *gl_other[] = { "canceled", "skipped" };
static struct rule_field gl_fields[] = {
	{ .name = "state", .type = FT_STRING, .required = true,
	  .required_conf = CONF_CONFIRMED, .enums = gl_states, .nenums = 6 },
	{ .name = "ref", .type = FT_STRING, .max_length = 255,
	  .max_length_conf = CONF_CONFIRMED },
	{ .name = "name", .type = FT_STRING },
	{ .name = "context", .type = FT_STRING },
	{ .name = "target_url", .type = FT_STRING, .url = true },
	{ .name = "pipeline_id", .type = FT_INTEGER },
};
static struct rule_auth gl_auth[] = {
	{ .header = "PRIVATE-TOKEN" },
	{ .header = "Authorization", .scheme = "Bearer" },
};
static char *gl_identity[] = { "name" };
static struct rule_endpoint gl_ep = {
	.name = "create-status", .method = "POST", .cap_project = 1,
	.cap_commit = 2, .commit_min = 7, .commit_max = 40,
};

static struct provider provs[3];
static struct rules rules_all = { provs, 3, NULL };
#define GH (&provs[0])
#define BB (&provs[1])
#define GL (&provs[2])

static void providers_init(void)
{
	struct provider *p = GH;
	memset(provs, 0, sizeof(provs));
	p->name = "github";
	p->title = "GitHub / GitHub Enterprise";
	p->endpoints = &gh_ep;
	p->nendpoints = 1;
	p->auth = gh_auth;
	p->nauth = 2;
	p->headers = gh_headers;
	p->nheaders = 3;
	p->content_type = "application/json";
	p->fields = gh_fields;
	p->nfields = 4;
	p->field_aliases = gh_aliases;
	p->nfield_aliases = 4;
	p->state_field = "state";
	p->identity = gh_identity;
	p->nidentity = 1;
	p->identity_ci = true;
	p->identity_default = "default";
	p->link_field = "target_url";
	p->states_success = gh_success; p->nstates_success = 1;
	p->states_failure = gh_failure; p->nstates_failure = 2;
	p->states_pending = gh_pending; p->nstates_pending = 1;
	p->recommended[ST_PENDING] = p->recommended[ST_WAITING] = "pending";
	p->recommended[ST_QUEUED] = p->recommended[ST_IN_PROGRESS] = "pending";
	p->recommended[ST_COMPLETED] = "success";
	p->recommended[ST_FAILED] = "failure";

	p = BB;
	p->name = "bitbucket-cloud";
	p->title = "Bitbucket Cloud";
	p->endpoints = &bb_ep;
	p->nendpoints = 1;
	p->auth = bb_auth;
	p->nauth = 2;
	p->content_type = "application/json";
	p->fields = bb_fields;
	p->nfields = 6;
	p->state_field = "state";
	p->identity = bb_identity;
	p->nidentity = 1;
	p->identity_required = true;
	p->link_field = "url";
	p->states_success = bb_success; p->nstates_success = 1;
	p->states_failure = bb_failure; p->nstates_failure = 1;
	p->states_pending = bb_pending; p->nstates_pending = 1;
	p->states_other = bb_other; p->nstates_other = 1;
	p->recommended[ST_IN_PROGRESS] = "INPROGRESS";
	p->recommended[ST_COMPLETED] = "SUCCESSFUL";
	p->recommended[ST_FAILED] = "FAILED";

	p = GL;
	p->name = "gitlab";
	p->title = "GitLab";
	p->endpoints = &gl_ep;
	p->nendpoints = 1;
	p->auth = gl_auth;
	p->nauth = 2;
	p->content_type = "application/json";
	p->fields = gl_fields;
	p->nfields = 6;
	p->state_field = "state";
	p->identity = gl_identity;
	p->nidentity = 1;
	p->identity_default = "default";
	p->link_field = "target_url";
	p->states_success = gl_success; p->nstates_success = 1;
	p->states_failure = gl_failure; p->nstates_failure = 1;
	p->states_pending = gl_pending; p->nstates_pending = 2;
	p->states_other = gl_other; p->nstates_other = 2;
	p->recommended[ST_QUEUED] = "pending";
	p->recommended[ST_IN_PROGRESS] = "running";
	p->recommended[ST_COMPLETED] = "success";
	p->recommended[ST_FAILED] = "failed";
	p->refuses_repeat_pending = true;
	p->repeat_message = "GitLab answers 400 \"Cannot transition status\"";
}

/* --- requests and analyses --- */

#define MAXREQ 8
struct fixture {
	struct analysis a;
	struct request req[MAXREQ];
	struct hd_header hdr[MAXREQ][6];
	struct hook hook;
	struct finding f;
};

/* Extracts state, link and identity as analyse.c does. */
static void extract(struct request *rq, const struct provider *p)
{
	if (!p || !cJSON_IsObject(rq->body_json))
		return;
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(rq->body_json,
							   p->state_field);
	rq->state = cJSON_IsString(n) ? n->valuestring : NULL;
	n = cJSON_GetObjectItemCaseSensitive(rq->body_json, p->link_field);
	rq->link = cJSON_IsString(n) ? n->valuestring : NULL;
	n = cJSON_GetObjectItemCaseSensitive(rq->body_json, p->identity[0]);
	rq->identity_set = n != NULL;
	rq->identity = cJSON_IsString(n) ? n->valuestring : NULL;
}

static void fx_init(struct fixture *x, const struct provider *p)
{
	memset(x, 0, sizeof(*x));
	x->hook.target_url = "https://api.github.com/repos/acme/web/statuses/"
			     "{{ action.triggered_from.hook_parsed_variables.commit_hash }}";
	x->a.hook = &x->hook;
	x->a.rules = &rules_all;
	x->a.provider = p;
	x->a.req = x->req;
	x->a.action_commit = SHA1;
	x->a.action2_commit = SHA2;
	x->a.action_page = PAGE1;
	x->a.action2_page = PAGE2;
	x->a.action_id = "1001";
	x->a.action2_id = "1002";
}

/* Adds a request: the body is parsed (NULL body: none), headers are
 * "Name: value" strings, NULL-terminated. */
static struct request *fx_req(struct fixture *x, enum hd_status st,
			      int action, const char *commit,
			      const char *body, const char *const *headers)
{
	struct request *rq = &x->req[x->a.nreq];
	const struct provider *p = x->a.provider;
	rq->status = st;
	rq->action = action;
	rq->url = "https://api.github.com/repos/acme/web/statuses/x";
	rq->match.provider = p;
	rq->match.endpoint = p == GH ? &gh_ep : p == BB ? &bb_ep
			   : p == GL ? &gl_ep : NULL;
	rq->match.owner = "acme";
	rq->match.repo = "web";
	rq->match.commit = (char *)commit;
	rq->match.host = "api.github.com";
	rq->body = (char *)body;
	rq->body_json = body ? cJSON_Parse(body) : NULL;
	if (body && !rq->body_json)
		rq->body_error = "invalid JSON";
	size_t n = 0;
	for (; headers && headers[n]; n++) {
		const char *colon = strchr(headers[n], ':');
		struct hd_header *h = &x->hdr[x->a.nreq][n];
		h->name = strndup(headers[n], (size_t)(colon - headers[n]));
		h->value = strdup(colon + 2);
	}
	rq->headers = x->hdr[x->a.nreq];
	rq->nheaders = n;
	extract(rq, p);
	x->a.nreq++;
	if (!action)
		x->a.nprimary++;
	x->a.match = x->req[0].match;
	return rq;
}

static void fx_free(struct fixture *x)
{
	for (size_t i = 0; i < x->a.nreq; i++) {
		cJSON_Delete(x->req[i].body_json);
		for (size_t k = 0; k < x->req[i].nheaders; k++) {
			free(x->hdr[i][k].name);
			free(x->hdr[i][k].value);
		}
	}
	finding_clear(&x->f);
}

static bool has(const char *s, const char *part)
{
	return s && strstr(s, part);
}

/* Runs check fn and returns its status; the finding stays in x->f. */
static enum check_status run(struct fixture *x, hook_check_fn fn)
{
	finding_clear(&x->f);
	enum check_status st = fn(&x->a, &x->f);
	if (st != x->f.status)
		printf("  status returned and set differ\n");
	return st;
}

static const char *const good_headers[] = {
	"Authorization: Bearer ${HOOKDOCTOR_PROVIDER_TOKEN}",
	"User-Agent: devopness-hook",
	"Accept: application/vnd.github+json",
	"X-GitHub-Api-Version: 2022-11-28",
	"Content-Type: application/json",
	NULL
};

/* The Devopness guide's body (trailing comma removed), one per event. */
static char *guide_body(const char *state, const char *page)
{
	static char buf[4][512];
	static int next;
	char *b = buf[next++ % 4];
	snprintf(b, sizeof(buf[0]),
		 "{\"state\": \"%s\", \"target_url\": \"%s\", \"url\": \"%s\", "
		 "\"description\": \"Application building\", "
		 "\"context\": \"ci/devopness(build)\", "
		 "\"key\": \"ci/devopness(build)\"}", state, page, page);
	return b;
}

static void fx_guide(struct fixture *x, const char *started,
		     const char *failed, const char *completed)
{
	fx_req(x, ST_IN_PROGRESS, 0, SHA1, strdup(guide_body(started, PAGE1)),
	       good_headers);
	fx_req(x, ST_FAILED, 0, SHA1, strdup(guide_body(failed, PAGE1)),
	       good_headers);
	fx_req(x, ST_COMPLETED, 0, SHA1, strdup(guide_body(completed, PAGE1)),
	       good_headers);
	fx_req(x, ST_IN_PROGRESS, 1, SHA2, strdup(guide_body(started, PAGE2)),
	       good_headers);
}

static void fx_guide_free(struct fixture *x)
{
	for (size_t i = 0; i < x->a.nreq; i++)
		free(x->req[i].body);
	fx_free(x);
}

/* --- the documented set-up --- */

TEST(guide_setup_has_no_failure_on_github)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_guide(&x, "pending", "failure", "success");
	hook_check_fn all[] = { hd301, hd302, hd303, hd304, hd305, hd306,
				hd307, hd308, hd309, hd310, hd401, hd402,
				hd404, hd405 };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		enum check_status st = run(&x, all[i]);
		if (st == CS_FAIL || st == CS_SKIP)
			printf("  check #%zu: %s: %s\n", i,
			       check_status_name[st], x.f.message);
		EXPECT(st == CS_PASS || st == CS_WARN);
	}
	EXPECT_INT(run(&x, hd307), CS_WARN);
	EXPECT(has(x.f.message, "key") && has(x.f.message, "Bitbucket"));
	EXPECT_INT(run(&x, hd311), CS_SKIP);
	fx_guide_free(&x);
}

TEST(guide_setup_has_no_failure_on_bitbucket)
{
	struct fixture x;
	fx_init(&x, BB);
	fx_guide(&x, "INPROGRESS", "FAILED", "SUCCESSFUL");
	hook_check_fn all[] = { hd302, hd303, hd304, hd306, hd307, hd308,
				hd309, hd310, hd401, hd402, hd404, hd405 };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		enum check_status st = run(&x, all[i]);
		if (st == CS_FAIL)
			printf("  check #%zu: %s\n", i, x.f.message);
		EXPECT(st == CS_PASS || st == CS_WARN);
	}
	EXPECT_INT(run(&x, hd307), CS_WARN);
	EXPECT(has(x.f.message, "target_url") && has(x.f.message, "GitHub"));
	fx_guide_free(&x);
}

/* --- HD301-HD311 --- */

TEST(unknown_provider_warns_and_request_checks_skip)
{
	struct fixture x;
	fx_init(&x, NULL);
	fx_req(&x, ST_COMPLETED, 0, NULL, "{\"state\": \"success\"}", NULL);
	x.a.match.host = "ci.example.com";
	EXPECT_INT(run(&x, hd301), CS_WARN);
	EXPECT(has(x.f.message, "ci.example.com"));
	EXPECT_INT(run(&x, hd302), CS_SKIP);
	EXPECT(has(x.f.message, "no provider recognised (HD301)"));
	EXPECT_INT(run(&x, hd401), CS_SKIP);
	fx_free(&x);
}

TEST(hook_firing_on_nothing_skips_request_checks)
{
	struct fixture x;
	fx_init(&x, GH);
	EXPECT_INT(run(&x, hd301), CS_SKIP);
	EXPECT_INT(run(&x, hd308), CS_SKIP);
	EXPECT(has(x.f.message, "fires on no status"));
	fx_free(&x);
}

TEST(provider_url_off_the_endpoint_fails)
{
	struct fixture x;
	fx_init(&x, GH);
	struct request *rq = fx_req(&x, ST_COMPLETED, 0, NULL, "{}", NULL);
	rq->match.endpoint = NULL;
	rq->match.by_host = true;
	x.a.match = rq->match;
	EXPECT_INT(run(&x, hd301), CS_FAIL);
	EXPECT(has(x.f.message, "a GitHub URL but not its commit-status endpoint"));
	EXPECT_INT(run(&x, hd302), CS_SKIP);
	fx_free(&x);
}

TEST(empty_commit_fails)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, "", "{}", NULL);
	EXPECT_INT(run(&x, hd303), CS_FAIL);
	EXPECT(has(x.f.message, "renders empty"));
	fx_free(&x);
}

TEST(literal_commit_fails_as_one_old_commit)
{
	struct fixture x;
	fx_init(&x, GH);
	x.hook.target_url = "https://api.github.com/repos/acme/web/statuses/" SHA2;
	fx_req(&x, ST_COMPLETED, 0, SHA2, "{}", NULL);
	EXPECT_INT(run(&x, hd303), CS_FAIL);
	EXPECT(has(x.f.message, "every deploy updates one old commit"));
	fx_free(&x);
}

TEST(short_commit_fails_on_github_and_non_hex_names_the_value)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, "0123456", "{}", NULL);
	EXPECT_INT(run(&x, hd303), CS_FAIL);
	fx_free(&x);
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, "HEAD", "{}", NULL);
	EXPECT_INT(run(&x, hd303), CS_FAIL);
	EXPECT(has(x.f.message, "\"HEAD\""));
	fx_free(&x);
}

TEST(auth_with_wrong_scheme_fails_without_showing_the_secret)
{
	static const char *const h[] = {
		"Authorization: Basic dXNlcjpnaHBfc2VjcmV0", NULL
	};
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{}", h);
	EXPECT_INT(run(&x, hd304), CS_FAIL);
	EXPECT(has(x.f.message, "Authorization: Basic <credentials>"));
	EXPECT(has(x.f.message, "Authorization: Bearer <token>"));
	EXPECT(!has(x.f.message, "dXNl"));
	fx_free(&x);
}

TEST(missing_and_empty_auth_fail)
{
	static const char *const empty[] = { "Authorization: Bearer ", NULL };
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{}", NULL);
	EXPECT_INT(run(&x, hd304), CS_FAIL);
	EXPECT(has(x.f.message, "no auth header"));
	fx_free(&x);
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{}", empty);
	EXPECT_INT(run(&x, hd304), CS_FAIL);
	EXPECT(has(x.f.message, "empty token"));
	fx_free(&x);
}

TEST(gitlab_private_token_bare_passes)
{
	static const char *const h[] = {
		"PRIVATE-TOKEN: ${HOOKDOCTOR_PROVIDER_TOKEN}", NULL
	};
	struct fixture x;
	fx_init(&x, GL);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{\"state\": \"success\"}", h);
	EXPECT_INT(run(&x, hd304), CS_PASS);
	fx_free(&x);
}

TEST(missing_user_agent_warns)
{
	static const char *const h[] = {
		"Authorization: Bearer ${HOOKDOCTOR_PROVIDER_TOKEN}",
		"Accept: application/vnd.github+json",
		"Content-Type: application/json", NULL
	};
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{}", h);
	EXPECT_INT(run(&x, hd305), CS_WARN);
	EXPECT(has(x.f.message, "User-Agent"));
	EXPECT(has(x.f.hint, "403"));
	fx_free(&x);
}

TEST(unknown_api_version_warns)
{
	static const char *const h[] = {
		"User-Agent: x", "Accept: application/vnd.github+json",
		"X-GitHub-Api-Version: 2021-01-01",
		"Content-Type: application/json", NULL
	};
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{}", h);
	EXPECT_INT(run(&x, hd305), CS_WARN);
	EXPECT(has(x.f.message, "2021-01-01"));
	fx_free(&x);
}

TEST(duplicate_and_framing_headers_fail)
{
	static const char *const h[] = {
		"Accept: a", "accept: b", NULL
	};
	static const char *const host[] = { "Host: api.github.com", NULL };
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{}", h);
	EXPECT_INT(run(&x, hd306), CS_FAIL);
	EXPECT(has(x.f.message, "set twice"));
	fx_free(&x);
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{}", host);
	EXPECT_INT(run(&x, hd306), CS_FAIL);
	EXPECT(has(x.f.message, "Host is set by hand"));
	fx_free(&x);
}

TEST(line_break_in_header_value_fails)
{
	static const char *const h[] = { "X-Note: a\r\nInjected: yes", NULL };
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{}", h);
	EXPECT_INT(run(&x, hd306), CS_FAIL);
	EXPECT(has(x.f.message, "line break"));
	fx_free(&x);
}

TEST(status_instead_of_state_fails_with_did_you_mean)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1,
	       "{\"status\": \"success\", \"context\": \"ci\"}", NULL);
	EXPECT_INT(run(&x, hd307), CS_FAIL);
	EXPECT(has(x.f.message, "unknown field status: did you mean state?"));
	char *ev = cJSON_PrintUnformatted(x.f.evidence);
	EXPECT(has(ev, "required field state is missing"));
	free(ev);
	fx_free(&x);
}

TEST(body_that_is_an_array_fails_schema)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "[1, 2]", NULL);
	EXPECT_INT(run(&x, hd307), CS_FAIL);
	EXPECT(has(x.f.message, "JSON array, not an object"));
	fx_free(&x);
}

TEST(action_status_as_state_fails_naming_the_recommended_state)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_IN_PROGRESS, 0, SHA1,
	       "{\"state\": \"in-progress\", \"context\": \"ci\"}", NULL);
	EXPECT_INT(run(&x, hd308), CS_FAIL);
	EXPECT(has(x.f.message, "in-progress"));
	EXPECT(has(x.f.message, "use \"pending\""));
	EXPECT(has(x.f.hint, "{{ action.status }}"));
	fx_free(&x);
}

TEST(limits_count_characters_not_bytes)
{
	/* 140 two-byte characters pass; 141 exceed GitHub's [R] limit. */
	char body[1024];
	struct sbuf d = {0};
	for (int i = 0; i < 140; i++)
		sbuf_add(&d, "\xc3\xa9");
	snprintf(body, sizeof(body), "{\"state\": \"success\", "
		 "\"description\": \"%s\"}", d.s);
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, body, NULL);
	EXPECT_INT(run(&x, hd309), CS_PASS);
	fx_free(&x);
	sbuf_add(&d, "e");
	snprintf(body, sizeof(body), "{\"state\": \"success\", "
		 "\"description\": \"%s\"}", d.s);
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, body, NULL);
	EXPECT_INT(run(&x, hd309), CS_WARN);   /* the limit is [R] */
	EXPECT(has(x.f.message, "141 characters"));
	fx_free(&x);
	sbuf_free(&d);
}

TEST(invalid_or_missing_body_fails)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{\"state\": \"success\",}", NULL);
	EXPECT_INT(run(&x, hd310), CS_FAIL);
	EXPECT(has(x.f.message, "not valid JSON"));
	fx_free(&x);
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, NULL, NULL);
	EXPECT_INT(run(&x, hd310), CS_FAIL);
	EXPECT(has(x.f.message, "sends no body"));
	fx_free(&x);
}

TEST(gitlab_status_without_ref_warns)
{
	struct fixture x;
	fx_init(&x, GL);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{\"state\": \"success\"}", NULL);
	EXPECT_INT(run(&x, hd311), CS_WARN);
	fx_free(&x);
	fx_init(&x, GL);
	fx_req(&x, ST_COMPLETED, 0, SHA1,
	       "{\"state\": \"success\", \"ref\": \"main\"}", NULL);
	EXPECT_INT(run(&x, hd311), CS_PASS);
	fx_free(&x);
}

/* --- HD401-HD405 --- */

TEST(omitted_context_warns_and_missing_bitbucket_key_fails)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{\"state\": \"success\"}", NULL);
	EXPECT_INT(run(&x, hd401), CS_WARN);
	EXPECT(has(x.f.message, "\"default\""));
	fx_free(&x);
	fx_init(&x, BB);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{\"state\": \"SUCCESSFUL\"}", NULL);
	EXPECT_INT(run(&x, hd401), CS_FAIL);
	EXPECT(has(x.f.message, "key"));
	fx_free(&x);
}

TEST(context_that_varies_per_status_fails)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_IN_PROGRESS, 0, SHA1,
	       "{\"state\": \"pending\", \"context\": \"ci/in-progress\"}", NULL);
	fx_req(&x, ST_COMPLETED, 0, SHA1,
	       "{\"state\": \"success\", \"context\": \"ci/completed\"}", NULL);
	EXPECT_INT(run(&x, hd402), CS_FAIL);
	EXPECT(has(x.f.message, "ci/in-progress") &&
	       has(x.f.message, "ci/completed"));
	fx_free(&x);
}

TEST(context_differing_only_in_case_is_stable_on_github)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_IN_PROGRESS, 0, SHA1,
	       "{\"state\": \"pending\", \"context\": \"CI\"}", NULL);
	fx_req(&x, ST_COMPLETED, 0, SHA1,
	       "{\"state\": \"success\", \"context\": \"ci\"}", NULL);
	EXPECT_INT(run(&x, hd402), CS_PASS);
	EXPECT(has(x.f.message, "case"));
	fx_free(&x);
}

TEST(link_to_the_commit_fails_and_fixed_link_warns)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1,
	       "{\"state\": \"success\", \"target_url\": "
	       "\"https://github.com/acme/web/commit/" SHA1 "\"}", NULL);
	fx_req(&x, ST_COMPLETED, 1, SHA2,
	       "{\"state\": \"success\", \"target_url\": "
	       "\"https://github.com/acme/web/commit/" SHA1 "\"}", NULL);
	EXPECT_INT(run(&x, hd404), CS_FAIL);
	EXPECT(has(x.f.message, "github.com/acme/web/commit"));
	EXPECT_INT(run(&x, hd405), CS_WARN);
	EXPECT(has(x.f.message, "same page"));
	fx_free(&x);
}

TEST(missing_link_fails)
{
	struct fixture x;
	fx_init(&x, GH);
	fx_req(&x, ST_COMPLETED, 0, SHA1, "{\"state\": \"success\"}", NULL);
	EXPECT_INT(run(&x, hd404), CS_FAIL);
	EXPECT(has(x.f.message, "links nowhere"));
	fx_free(&x);
}

/* --- groups --- */

struct gfixture {
	struct group g;
	struct member m[3];
	struct finding f;
};

static void gx_init(struct gfixture *x, const struct provider *p)
{
	memset(x, 0, sizeof(*x));
	x->g.provider = p;
	x->g.repo = "acme/web on api.github.com";
	x->g.action_commit = SHA1;
	x->g.members = x->m;
}

static void gx_member(struct gfixture *x, const char *name, enum hd_status s,
		      const char *state, const char *identity,
		      const char *commit)
{
	struct member *m = &x->m[x->g.nmembers++];
	m->hook_name = (char *)name;
	m->fired = ST_BIT(s);
	m->state[s] = (char *)state;
	m->identity[s] = (char *)identity;
	m->commit[s] = (char *)commit;
}

static enum check_status grun(struct gfixture *x, group_check_fn fn)
{
	finding_clear(&x->f);
	return fn(&x->g, &x->f);
}

TEST(guide_group_passes_identity_lifecycle_and_commit)
{
	struct gfixture x;
	gx_init(&x, GH);
	gx_member(&x, "started", ST_IN_PROGRESS, "pending", "ci/devopness(build)", SHA1);
	gx_member(&x, "failed", ST_FAILED, "failure", "ci/devopness(build)", SHA1);
	gx_member(&x, "completed", ST_COMPLETED, "success", "ci/devopness(build)", SHA1);
	EXPECT_INT(grun(&x, hd403), CS_PASS);
	EXPECT_INT(grun(&x, hd406), CS_PASS);
	EXPECT_INT(grun(&x, hd407), CS_PASS);
	finding_clear(&x.f);
}

TEST(hooks_with_different_contexts_fail_and_case_only_passes_on_github)
{
	struct gfixture x;
	gx_init(&x, GH);
	gx_member(&x, "start", ST_IN_PROGRESS, "pending", "build-started", SHA1);
	gx_member(&x, "done", ST_COMPLETED, "success", "ci/devopness(build)", SHA1);
	EXPECT_INT(grun(&x, hd403), CS_FAIL);
	EXPECT(has(x.f.message, "build-started") && has(x.f.message, "done"));
	finding_clear(&x.f);
	gx_init(&x, GH);
	gx_member(&x, "start", ST_IN_PROGRESS, "pending", "CI/Devopness", SHA1);
	gx_member(&x, "done", ST_COMPLETED, "success", "ci/devopness", SHA1);
	EXPECT_INT(grun(&x, hd403), CS_PASS);
	EXPECT(has(x.f.message, "case"));
	finding_clear(&x.f);
}

TEST(lifecycle_contradictions_fail)
{
	struct gfixture x;
	gx_init(&x, GH);
	gx_member(&x, "start", ST_IN_PROGRESS, "success", "ci", SHA1);
	gx_member(&x, "done", ST_COMPLETED, "pending", "ci", SHA1);
	gx_member(&x, "fail", ST_FAILED, "failure", "ci", SHA1);
	EXPECT_INT(grun(&x, hd406), CS_FAIL);
	/* The message names the first problem; the evidence lists all. */
	EXPECT(has(x.f.message, "in-progress posts \"success\""));
	EXPECT(has(x.f.message, "(and 1 more)"));
	EXPECT(has(cJSON_GetStringValue(cJSON_GetObjectItem(x.f.evidence, "problems")),
		   "completed posts \"pending\""));
	finding_clear(&x.f);
}

TEST(two_hooks_two_states_for_one_status_fail)
{
	struct gfixture x;
	gx_init(&x, GH);
	gx_member(&x, "a", ST_COMPLETED, "success", "ci", SHA1);
	gx_member(&x, "b", ST_COMPLETED, "failure", "ci", SHA1);
	EXPECT_INT(grun(&x, hd406), CS_FAIL);
	EXPECT(has(x.f.message, "different states for completed"));
	finding_clear(&x.f);
}

TEST(gitlab_repeated_pending_fails_and_missing_outcome_points_to_hd109)
{
	struct gfixture x;
	gx_init(&x, GL);
	gx_member(&x, "queued", ST_QUEUED, "pending", "ci", SHA1);
	gx_member(&x, "started", ST_IN_PROGRESS, "pending", "ci", SHA1);
	/* [C] GitLab answers 400 "Cannot transition status" (providers.md 2.4) */
	EXPECT_INT(grun(&x, hd406), CS_FAIL);
	EXPECT(has(x.f.message, "Cannot transition status"));
	finding_clear(&x.f);
	gx_init(&x, GL);
	gx_member(&x, "started", ST_IN_PROGRESS, "running", "ci", SHA1);
	EXPECT_INT(grun(&x, hd406), CS_PASS);
	EXPECT(has(x.f.message, "HD109"));
	finding_clear(&x.f);
}

TEST(statuses_to_different_commits_fail)
{
	struct gfixture x;
	gx_init(&x, GH);
	gx_member(&x, "start", ST_IN_PROGRESS, "pending", "ci", SHA1);
	gx_member(&x, "done", ST_COMPLETED, "success", "ci", SHA2);
	EXPECT_INT(grun(&x, hd407), CS_FAIL);
	EXPECT(has(x.f.message, SHA2) && has(x.f.message, "done"));
	finding_clear(&x.f);
}

int main(void)
{
	providers_init();
	RUN(guide_setup_has_no_failure_on_github);
	RUN(guide_setup_has_no_failure_on_bitbucket);
	RUN(unknown_provider_warns_and_request_checks_skip);
	RUN(hook_firing_on_nothing_skips_request_checks);
	RUN(provider_url_off_the_endpoint_fails);
	RUN(empty_commit_fails);
	RUN(literal_commit_fails_as_one_old_commit);
	RUN(short_commit_fails_on_github_and_non_hex_names_the_value);
	RUN(auth_with_wrong_scheme_fails_without_showing_the_secret);
	RUN(missing_and_empty_auth_fail);
	RUN(gitlab_private_token_bare_passes);
	RUN(missing_user_agent_warns);
	RUN(unknown_api_version_warns);
	RUN(duplicate_and_framing_headers_fail);
	RUN(line_break_in_header_value_fails);
	RUN(status_instead_of_state_fails_with_did_you_mean);
	RUN(body_that_is_an_array_fails_schema);
	RUN(action_status_as_state_fails_naming_the_recommended_state);
	RUN(limits_count_characters_not_bytes);
	RUN(invalid_or_missing_body_fails);
	RUN(gitlab_status_without_ref_warns);
	RUN(omitted_context_warns_and_missing_bitbucket_key_fails);
	RUN(context_that_varies_per_status_fails);
	RUN(context_differing_only_in_case_is_stable_on_github);
	RUN(link_to_the_commit_fails_and_fixed_link_warns);
	RUN(missing_link_fails);
	RUN(guide_group_passes_identity_lifecycle_and_commit);
	RUN(hooks_with_different_contexts_fail_and_case_only_passes_on_github);
	RUN(lifecycle_contradictions_fail);
	RUN(two_hooks_two_states_for_one_status_fail);
	RUN(gitlab_repeated_pending_fails_and_missing_outcome_points_to_hd109);
	RUN(statuses_to_different_commits_fail);
	return unit_done();
}
