/*
 * test_checks_provider.c - HD601-HD607 on hand-built provider facts.
 *
 * Each test fills the struct provider_facts that provider_api.c would
 * collect from the provider's answers, and proves one behaviour of a
 * check: what passes, what fails and names what is missing, and what is
 * skipped with its reason. No network: the checks are pure.
 */
#include <stdlib.h>
#include <string.h>
#include "checks.h"
#include "provider_api.h"
#include "unit.h"

#define SHA "0123456789abcdef0123456789abcdef01234567"

static char *gh_identity[] = { "context" };
static char *gh_pending[] = { "pending" };
static char *gh_scopes[] = { "repo", "repo:status" };
static struct rule_api gh_api = {
	.base_before = "/repos/", .token_check = "GET /user",
	.repo = "GET /repos/{owner}/{repo}",
	.commit = "GET /repos/{owner}/{repo}/commits/{commit}",
	.statuses = "GET /repos/{owner}/{repo}/commits/{commit}/statuses",
	.send = "POST /repos/{owner}/{repo}/statuses/{commit}",
	.nrequired_checks = 1, .identity_limit = 1000,
	.identity_limit_conf = CONF_CONFIRMED, .scopes_header = "X-OAuth-Scopes",
	.scopes_needed = gh_scopes, .nscopes_needed = 2,
	.scopes_conf = CONF_CONFIRMED, .write_access = WA_PUSH,
	.write_access_conf = CONF_CONFIRMED,
};
static struct provider github = {
	.name = "github", .title = "GitHub / GitHub Enterprise",
	.identity = gh_identity, .nidentity = 1, .identity_ci = true,
	.identity_default = "default", .states_pending = gh_pending,
	.nstates_pending = 1, .state_field = "state", .api = &gh_api,
};

static struct options opts;
static struct request req;
static struct provider_facts pf;
static struct prov_call calls[8];
static struct finding f;

/* A GitHub hook posting "ci/devopness(deploy)", with facts where every
 * read answered 200, and an empty finding of check id. */
static struct analysis *setup(const char *id)
{
	static struct analysis a;

	memset(&a, 0, sizeof(a));
	memset(&opts, 0, sizeof(opts));
	memset(&req, 0, sizeof(req));
	memset(&pf, 0, sizeof(pf));
	memset(calls, 0, sizeof(calls));
	finding_clear(&f);
	memset(&f, 0, sizeof(f));
	f.def = check_find(id);
	req.identity = "ci/devopness(deploy)";
	req.identity_set = true;
	a.req = &req;
	a.nreq = a.nprimary = 1;
	a.provider = &github;
	a.opts = &opts;
	a.prov = &pf;
	pf.base = "https://api.github.com";
	pf.repo = "acme/shop-api";
	pf.commit = SHA;
	pf.calls = calls;
	pf.ncalls = 4;
	pf.access_level = -1;
	pf.required_call = pf.statuses_call = -1;
	for (int i = 0; i < 4; i++) {
		static char *urls[] = {
			"https://api.github.com/user",
			"https://api.github.com/repos/acme/shop-api",
			"https://api.github.com/repos/acme/shop-api/commits/" SHA,
			"https://api.github.com/repos/acme/shop-api/commits/" SHA "/statuses",
		};

		calls[i].method = "GET";
		calls[i].url = urls[i];
		calls[i].made = true;
		calls[i].status = 200;
		calls[i].remaining = calls[i].retry_after = calls[i].reset = -1;
	}
	pf.token_call = 0;
	pf.repo_call = 1;
	pf.commit_call = 2;
	pf.statuses_call = 3;
	pf.statuses_ok = true;
	pf.push = TRI_YES;
	return &a;
}

static char *scopes_readorg[] = { "read:org" };

TEST(identities_near_by_case_space_and_punctuation)
{
	EXPECT(provider_identity_near("ci/devopness(deploy)", "CI/devopness (deploy)"));
	EXPECT(provider_identity_near("DEVOPNESS-DEPLOY", "devopness_deploy"));
	EXPECT(!provider_identity_near("ci/devopness(deploy)", "ci/devopness(deploy)"));
	EXPECT(!provider_identity_near("lint", "deploy"));
	EXPECT(!provider_identity_near("ci", "cd"));
}

TEST(token_kind_comes_from_the_prefix)
{
	EXPECT_STR(provider_token_kind("ghp_abc"), "GitHub classic personal access token");
	EXPECT_STR(provider_token_kind("github_pat_11abc"), "GitHub fine-grained personal access token");
	EXPECT_STR(provider_token_kind("glpat-xyz"), "GitLab personal access token");
	EXPECT(provider_token_kind("0123456789") == NULL);
}

TEST(hd601_passes_on_an_authenticated_read)
{
	struct analysis *a = setup("HD601");

	pf.user = "octocat";
	EXPECT(hd601(a, &f) == CS_PASS);
	EXPECT(strstr(f.message, "GET /user answered 200") != NULL);
	EXPECT(strstr(f.message, "octocat") != NULL);
}

TEST(hd601_fails_on_401_with_the_providers_message)
{
	struct analysis *a = setup("HD601");

	calls[0].status = 401;
	calls[0].message = "Bad credentials";
	EXPECT(hd601(a, &f) == CS_FAIL);
	EXPECT(strstr(f.message, "401 \"Bad credentials\"") != NULL);
	EXPECT(f.hint != NULL);
	finding_clear(&f);
	EXPECT(hd603(a, &f) == CS_SKIP);
	EXPECT_STR(f.message, "skipped: HD601 failed");
}

TEST(hd601_skips_with_the_reason_nothing_was_asked)
{
	struct analysis *a = setup("HD601");

	pf.skipped = "no provider token: set HOOKDOCTOR_PROVIDER_TOKEN";
	EXPECT(hd601(a, &f) == CS_SKIP);
	EXPECT(strstr(f.message, "no provider token") != NULL);
}

TEST(hd601_skips_when_rate_limited)
{
	struct analysis *a = setup("HD601");

	calls[0].status = 403;
	calls[0].limited = true;
	pf.stopped = "rate limited by https://api.github.com (HTTP 403, X-RateLimit-Remaining 0)";
	EXPECT(hd601(a, &f) == CS_SKIP);
	EXPECT(strstr(f.message, "rate limited") != NULL);
}

TEST(hd602_names_the_missing_scope)
{
	struct analysis *a = setup("HD602");

	pf.scopes = scopes_readorg;
	pf.nscopes = 1;
	pf.scopes_known = true;
	pf.scopes_from = "X-OAuth-Scopes";
	EXPECT(hd602(a, &f) == CS_FAIL);
	EXPECT_STR(f.message, "token has scopes read:org; statuses need repo or repo:status");
}

TEST(hd602_warns_on_a_reported_fact)
{
	struct analysis *a = setup("HD602");

	gh_api.scopes_conf = CONF_REPORTED;
	pf.scopes = scopes_readorg;
	pf.nscopes = 1;
	pf.scopes_known = true;
	EXPECT(hd602(a, &f) == CS_WARN);
	gh_api.scopes_conf = CONF_CONFIRMED;
}

TEST(hd602_fails_without_push_access)
{
	struct analysis *a = setup("HD602");

	pf.push = TRI_NO;
	EXPECT(hd602(a, &f) == CS_FAIL);
	EXPECT(strstr(f.message, "no push access to acme/shop-api") != NULL);
}

TEST(hd603_fails_on_404_and_says_why)
{
	struct analysis *a = setup("HD603");

	calls[1].status = 404;
	calls[1].message = "Not Found";
	EXPECT(hd603(a, &f) == CS_FAIL);
	EXPECT(strstr(f.message, "answered 404") != NULL);
	finding_clear(&f);
	EXPECT(hd604(a, &f) == CS_SKIP);
	EXPECT_STR(f.message, "skipped: HD603 failed");
}

TEST(hd604_fails_on_no_commit_found)
{
	struct analysis *a = setup("HD604");

	calls[2].status = 422;
	calls[2].message = "No commit found for SHA: " SHA;
	pf.sample_commit = true;
	EXPECT(hd604(a, &f) == CS_FAIL);
	EXPECT(strstr(f.message, "No commit found for SHA") != NULL);
	EXPECT(f.hint && strstr(f.hint, "sample action") != NULL);
}

TEST(hd605_warns_on_split_identities)
{
	struct analysis *a = setup("HD605");
	struct prov_status st[] = {
		{ .identity = "ci/devopness(deploy)", .state = "success" },
		{ .identity = "ci/devopness (deploy)", .state = "pending" },
	};

	pf.statuses = st;
	pf.nstatuses = 2;
	EXPECT(hd605(a, &f) == CS_WARN);
	EXPECT(strstr(f.message, "\"ci/devopness (deploy)\" (pending)") != NULL);
}

TEST(hd605_passes_with_one_identity_compared_without_case)
{
	struct analysis *a = setup("HD605");
	struct prov_status st[] = {
		{ .identity = "CI/devopness(deploy)", .state = "success" },
		{ .identity = "ci/devopness(deploy)", .state = "pending" },
	};

	pf.statuses = st;
	pf.nstatuses = 2;
	EXPECT(hd605(a, &f) == CS_PASS);
	EXPECT(strstr(f.message, "among them") != NULL);
}

TEST(hd606_skips_without_send)
{
	struct analysis *a = setup("HD606");

	EXPECT(hd606(a, &f) == CS_SKIP);
	EXPECT(strstr(f.message, "only with --send") != NULL);
}

TEST(hd606_fails_when_stored_under_another_identity)
{
	struct analysis *a = setup("HD606");
	struct prov_send sd = {
		.identity = "ci/devopness(deploy)", .state = "pending", .post = 4,
		.readback = -1, .found_identity = "ci/devopness",
	};

	opts.send = true;
	calls[4].method = "POST";
	calls[4].url = "https://api.github.com/repos/acme/shop-api/statuses/" SHA;
	calls[4].made = true;
	calls[4].status = 201;
	pf.ncalls = 5;
	pf.sends = &sd;
	pf.nsends = 1;
	EXPECT(hd606(a, &f) == CS_FAIL);
	EXPECT(strstr(f.message, "stored the test status under \"ci/devopness\"") != NULL);
}

TEST(hd607_warns_on_a_near_miss_and_passes_a_glob)
{
	struct analysis *a = setup("HD607");
	char *near[] = { "ci/devopness (deploy)" };
	char *glob[] = { "ci/*" };

	pf.branch = "main";
	pf.required_call = 3;
	pf.required_ok = true;
	pf.required = near;
	pf.nrequired = 1;
	EXPECT(hd607(a, &f) == CS_WARN);
	EXPECT(strstr(f.message, "nearly match") != NULL);
	finding_clear(&f);
	pf.required = glob;
	EXPECT(hd607(a, &f) == CS_PASS);
}

int main(void)
{
	RUN(identities_near_by_case_space_and_punctuation);
	RUN(token_kind_comes_from_the_prefix);
	RUN(hd601_passes_on_an_authenticated_read);
	RUN(hd601_fails_on_401_with_the_providers_message);
	RUN(hd601_skips_with_the_reason_nothing_was_asked);
	RUN(hd601_skips_when_rate_limited);
	RUN(hd602_names_the_missing_scope);
	RUN(hd602_warns_on_a_reported_fact);
	RUN(hd602_fails_without_push_access);
	RUN(hd603_fails_on_404_and_says_why);
	RUN(hd604_fails_on_no_commit_found);
	RUN(hd605_warns_on_split_identities);
	RUN(hd605_passes_with_one_identity_compared_without_case);
	RUN(hd606_skips_without_send);
	RUN(hd606_fails_when_stored_under_another_identity);
	RUN(hd607_warns_on_a_near_miss_and_passes_a_glob);
	finding_clear(&f);
	return unit_done();
}
