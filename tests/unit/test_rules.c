/*
 * test_rules.c - the provider rule files and URL matching (src/rules.c).
 * Run from the repository root: it loads ./checks.
 */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SHA "0123456789abcdef0123456789abcdef01234567"

static struct rules *R;

/* Matches url and checks provider, endpoint name (NULL: none). */
static void match(const char *url, struct url_match *m)
{
	rules_match_url(R, NULL, url, m);
}

static const char *pname(const struct url_match *m)
{
	return m->provider ? m->provider->name : "(none)";
}

TEST(loads_every_rule_file_sorted)
{
	EXPECT(R != NULL);
	if (!R)
		return;
	EXPECT_INT(R->n, 6);
	EXPECT_STR(R->providers[0].name, "azure-devops");
	EXPECT_STR(R->providers[1].name, "bitbucket-cloud");
	EXPECT_STR(R->providers[2].name, "bitbucket-dc");
	EXPECT_STR(R->providers[3].name, "gitea");
	EXPECT_STR(R->providers[4].name, "github");
	EXPECT_STR(R->providers[5].name, "gitlab");
}

TEST(github_dotcom_endpoint_captures_parts)
{
	struct url_match m;

	match("https://api.github.com/repos/Octo/Hello-World/statuses/" SHA, &m);
	EXPECT_STR(pname(&m), "github");
	EXPECT(m.endpoint && strcmp(m.endpoint->name, "create-status") == 0);
	EXPECT_STR(m.endpoint ? m.endpoint->method : NULL, "POST");
	EXPECT_STR(m.owner, "Octo");
	EXPECT_STR(m.repo, "Hello-World");
	EXPECT_STR(m.commit, SHA);
	EXPECT_STR(m.host, "api.github.com");
	EXPECT_STR(m.repo_key, "github:api.github.com/octo/hello-world");
	EXPECT(!m.by_host && !m.wrong);
	url_match_free(&m);
}

TEST(github_enterprise_api_v3)
{
	struct url_match m;

	match("https://GHE.example.com/api/v3/repos/o/r/statuses/" SHA, &m);
	EXPECT_STR(pname(&m), "github");
	EXPECT(m.endpoint != NULL);
	EXPECT_STR(m.host, "ghe.example.com");
	EXPECT_STR(m.owner, "o");
	EXPECT_STR(m.repo_key, "github:ghe.example.com/o/r");
	url_match_free(&m);
}

TEST(github_empty_sha_still_the_endpoint)
{
	struct url_match m;

	match("https://api.github.com/repos/o/r/statuses/", &m);
	EXPECT(m.endpoint != NULL);
	EXPECT_STR(m.commit, "");
	EXPECT_INT(m.endpoint ? m.endpoint->commit_min : 0, 40);
	url_match_free(&m);
	match("https://api.github.com/repos/o/r/statuses", &m);
	EXPECT(m.endpoint == NULL && m.wrong != NULL);
	url_match_free(&m);
}

TEST(github_wrong_endpoints_named)
{
	static const char *const urls[] = {
		"https://api.github.com/repos/o/r/commits/" SHA "/statuses",
		"https://api.github.com/repos/o/r/commits/main/status",
		"https://api.github.com/repos/o/r/issues/12/comments",
		"https://ghe.example.com/api/v3/repos/o/r/commits/" SHA "/statuses",
		"https://github.com/o/r/commit/" SHA,
	};

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct url_match m;

		match(urls[i], &m);
		EXPECT_STR(pname(&m), "github");
		EXPECT(m.endpoint == NULL);
		EXPECT(m.wrong != NULL && m.wrong->message[0]);
		EXPECT(!m.by_host);
		url_match_free(&m);
	}
}

TEST(github_list_message_mentions_list)
{
	struct url_match m;

	match("https://api.github.com/repos/o/r/commits/" SHA "/statuses", &m);
	EXPECT(m.wrong && strstr(m.wrong->message, "list endpoint"));
	url_match_free(&m);
}

TEST(query_and_fragment_split_off)
{
	struct url_match m;

	match("https://api.github.com/repos/o/r/statuses/" SHA "?x=1#frag", &m);
	EXPECT(m.endpoint != NULL);
	EXPECT_STR(m.commit, SHA);
	url_match_free(&m);
}

TEST(userinfo_is_not_the_host)
{
	struct url_match m;

	match("https://user:pw@api.github.com/repos/o/r/statuses/" SHA, &m);
	EXPECT(m.endpoint != NULL);
	EXPECT_STR(m.host, "api.github.com");
	url_match_free(&m);
}

TEST(gitlab_dotcom_encoded_project)
{
	struct url_match m;

	match("https://gitlab.com/api/v4/projects/group%2fsub%2Fproj/statuses/" SHA, &m);
	EXPECT_STR(pname(&m), "gitlab");
	EXPECT(m.endpoint != NULL);
	EXPECT_STR(m.repo, "group%2fsub%2Fproj");   /* kept as written */
	EXPECT_STR(m.commit, SHA);
	EXPECT_STR(m.repo_key, "gitlab:gitlab.com/group%2Fsub%2Fproj");
	url_match_free(&m);
}

TEST(gitlab_self_hosted_relative_root_numeric_id)
{
	struct url_match m;

	match("https://git.example.org:8443/gitlab/api/v4/projects/42/statuses/" SHA, &m);
	EXPECT_STR(pname(&m), "gitlab");
	EXPECT(m.endpoint != NULL);
	EXPECT_STR(m.repo, "42");
	EXPECT_STR(m.host, "git.example.org:8443");
	EXPECT_STR(m.repo_key, "gitlab:git.example.org:8443/42");
	url_match_free(&m);
}

TEST(gitlab_unencoded_project_path_is_wrong)
{
	struct url_match m;

	match("https://gitlab.com/api/v4/projects/group/proj/statuses/" SHA, &m);
	EXPECT_STR(pname(&m), "gitlab");
	EXPECT(m.endpoint == NULL);
	EXPECT(m.wrong && strstr(m.wrong->message, "URL-encoded"));
	url_match_free(&m);
}

TEST(gitlab_list_endpoint_is_wrong)
{
	struct url_match m;

	match("https://gitlab.com/api/v4/projects/42/repository/commits/" SHA "/statuses", &m);
	EXPECT_STR(pname(&m), "gitlab");
	EXPECT(m.wrong && strstr(m.wrong->message, "list endpoint"));
	url_match_free(&m);
}

TEST(gitlab_repeat_pending_rule)
{
	const struct provider *p = rules_find(R, "gitlab");

	EXPECT(p && p->refuses_repeat_pending);
	EXPECT(p && p->repeat_message && strstr(p->repeat_message, "Cannot transition"));
	EXPECT_STR(p ? p->recommended[ST_IN_PROGRESS] : NULL, "running");
	EXPECT_STR(p ? p->identity_default : NULL, "default");
	EXPECT(p && rules_field(p, "context") &&
	       strcmp(rules_field(p, "context")->alias_of, "name") == 0);
	EXPECT(p && rules_field(p, "description")->max_length == 255 &&
	       rules_field(p, "description")->max_length_conf == CONF_CONFIRMED);
	EXPECT(p && p->nauth == 2 && p->auth[0].scheme == NULL &&
	       strcmp(p->auth[0].header, "PRIVATE-TOKEN") == 0);
}

TEST(bitbucket_cloud_endpoint)
{
	struct url_match m;

	match("https://api.bitbucket.org/2.0/repositories/ws/repo/commit/" SHA "/statuses/build/", &m);
	EXPECT_STR(pname(&m), "bitbucket-cloud");
	EXPECT(m.endpoint && strcmp(m.endpoint->name, "create-status") == 0);
	EXPECT_STR(m.owner, "ws");
	EXPECT_STR(m.repo, "repo");
	EXPECT_STR(m.repo_key, "bitbucket-cloud:api.bitbucket.org/ws/repo");
	url_match_free(&m);
}

TEST(bitbucket_cloud_put_form_wants_put)
{
	struct url_match m;

	match("https://api.bitbucket.org/2.0/repositories/ws/repo/commit/" SHA "/statuses/build/DEPLOY", &m);
	EXPECT(m.endpoint && strcmp(m.endpoint->method, "PUT") == 0);
	url_match_free(&m);
}

TEST(bitbucket_cloud_plural_and_missing_build)
{
	struct url_match m;

	match("https://api.bitbucket.org/2.0/repositories/ws/repo/commits/" SHA "/statuses/build", &m);
	EXPECT_STR(pname(&m), "bitbucket-cloud");
	EXPECT(m.wrong && strstr(m.wrong->message, "plural"));
	url_match_free(&m);
	match("https://api.bitbucket.org/2.0/repositories/ws/repo/commit/" SHA "/statuses", &m);
	EXPECT(m.wrong && strstr(m.wrong->message, "/build"));
	url_match_free(&m);
}

TEST(bitbucket_dc_current_and_legacy)
{
	struct url_match m;

	match("https://bitbucket.example.com/rest/api/latest/projects/PRJ/repos/app/commits/" SHA "/builds", &m);
	EXPECT_STR(pname(&m), "bitbucket-dc");
	EXPECT(m.endpoint && strcmp(m.endpoint->name, "create-build-status") == 0);
	EXPECT_STR(m.project, "PRJ");
	EXPECT_STR(m.repo, "app");
	EXPECT(m.owner == NULL);
	EXPECT_STR(m.repo_key, "bitbucket-dc:bitbucket.example.com/PRJ/app");
	url_match_free(&m);

	match("https://git.corp/bitbucket/rest/build-status/1.0/commits/" SHA, &m);
	EXPECT_STR(pname(&m), "bitbucket-dc");
	EXPECT(m.endpoint && strcmp(m.endpoint->name, "legacy-build-status") == 0);
	EXPECT_STR(m.commit, SHA);
	EXPECT(m.repo_key == NULL);   /* repository-agnostic */
	url_match_free(&m);
}

TEST(bitbucket_dc_limits_confirmed)
{
	const struct provider *p = rules_find(R, "bitbucket-server");
	const struct rule_field *key = rules_field(p, "key"), *url = rules_field(p, "url");

	EXPECT(p && strcmp(p->name, "bitbucket-dc") == 0);
	EXPECT(key && key->max_length == 255 && key->max_length_conf == CONF_CONFIRMED);
	EXPECT(url && url->max_length == 450 && url->required);
	EXPECT(p && p->identity_required && p->identity_default == NULL);
}

TEST(azure_services_with_project_and_api_version)
{
	struct url_match m;

	match("https://dev.azure.com/org/Proj/_apis/git/repositories/repo/commits/" SHA "/statuses?api-version=7.1", &m);
	EXPECT_STR(pname(&m), "azure-devops");
	EXPECT(m.endpoint && strcmp(m.endpoint->name, "create-status") == 0);
	EXPECT_STR(m.owner, "org");
	EXPECT_STR(m.project, "Proj");
	EXPECT_STR(m.repo, "repo");
	EXPECT_INT(m.nmissing_query, 0);
	EXPECT_STR(m.repo_key, "azure-devops:dev.azure.com/org/Proj/repo");
	url_match_free(&m);
}

TEST(azure_without_project_and_missing_api_version)
{
	struct url_match m;

	match("https://dev.azure.com/org/_apis/git/repositories/5c3a1e7b-9d2f-4c1e-8a6b-0f9e8d7c6b5a/commits/" SHA "/statuses", &m);
	EXPECT_STR(pname(&m), "azure-devops");
	EXPECT(m.endpoint != NULL);
	EXPECT_STR(m.owner, "org");
	EXPECT(m.project == NULL);
	EXPECT_INT(m.nmissing_query, 1);
	EXPECT_STR(m.nmissing_query ? m.missing_query[0] : NULL, "api-version");
	url_match_free(&m);

	/* an empty value counts as missing */
	match("https://dev.azure.com/org/p/_apis/git/repositories/r/commits/" SHA "/statuses?api-version=", &m);
	EXPECT_INT(m.nmissing_query, 1);
	url_match_free(&m);
}

TEST(azure_server_collection_path)
{
	struct url_match m;

	match("https://tfs.corp.example/tfs/DefaultCollection/Proj/_apis/git/repositories/app/commits/" SHA "/statuses?foo=1&api-version=5.0", &m);
	EXPECT_STR(pname(&m), "azure-devops");
	EXPECT(m.endpoint && strcmp(m.endpoint->name, "create-status-server") == 0);
	EXPECT_STR(m.owner, "tfs/DefaultCollection/Proj");
	EXPECT_STR(m.repo, "app");
	EXPECT_INT(m.nmissing_query, 0);
	url_match_free(&m);
}

TEST(azure_missing_statuses_is_wrong)
{
	struct url_match m;

	match("https://dev.azure.com/org/p/_apis/git/repositories/r/commits/" SHA "?api-version=7.1", &m);
	EXPECT_STR(pname(&m), "azure-devops");
	EXPECT(m.wrong && strstr(m.wrong->message, "/statuses"));
	url_match_free(&m);
}

TEST(azure_auth_basic_empty_user)
{
	const struct provider *p = rules_find(R, "ADO");

	EXPECT(p && strcmp(p->name, "azure-devops") == 0);
	EXPECT(p && p->nauth >= 1 && p->auth[0].basic_empty_user &&
	       strcmp(p->auth[0].scheme, "Basic") == 0);
	EXPECT(p && p->nidentity == 2 && strcmp(p->identity[0], "context.name") == 0 &&
	       strcmp(p->identity[1], "context.genre") == 0);
	EXPECT_STR(p ? p->link_field : NULL, "targetUrl");
}

TEST(gitea_is_not_github)
{
	struct url_match m;

	match("https://gitea.example.net/api/v1/repos/Team/Svc/statuses/" SHA, &m);
	EXPECT_STR(pname(&m), "gitea");
	EXPECT(m.endpoint != NULL);
	EXPECT_STR(m.owner, "Team");
	EXPECT_STR(m.repo_key, "gitea:gitea.example.net/Team/Svc");   /* case kept */
	url_match_free(&m);

	match("https://codeberg.org/api/v1/repos/o/r/commits/main/statuses", &m);
	EXPECT_STR(pname(&m), "gitea");
	EXPECT(m.wrong != NULL);
	url_match_free(&m);
}

TEST(recognised_by_host_or_marker_only)
{
	struct url_match m;

	match("https://gitlab.com/group/proj/-/commit/" SHA, &m);
	EXPECT_STR(pname(&m), "gitlab");
	EXPECT(m.by_host && !m.endpoint && !m.wrong);
	EXPECT(m.repo_key == NULL);
	url_match_free(&m);

	match("https://git.example.com/api/v4/version", &m);
	EXPECT_STR(pname(&m), "gitlab");
	EXPECT(m.by_host);
	url_match_free(&m);

	match("https://myorg.visualstudio.com/p/_apis/git/repositories", &m);
	EXPECT_STR(pname(&m), "azure-devops");
	EXPECT(m.by_host);
	url_match_free(&m);
}

TEST(unknown_urls_have_no_provider)
{
	static const char *const urls[] = {
		"https://example.com/webhook",
		"https://hooks.slack.com/services/T000/B000/XXXX",
		"not a url",
		"",
		"/repos/o/r/statuses/" SHA,
	};

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct url_match m;

		match(urls[i], &m);
		EXPECT(m.provider == NULL);
		EXPECT(m.endpoint == NULL && m.wrong == NULL && !m.by_host);
		url_match_free(&m);
	}
}

TEST(forced_provider_only_tries_that_one)
{
	const struct provider *gl = rules_find(R, "gitlab");
	const struct provider *gt = rules_find(R, "forgejo");
	struct url_match m;

	rules_match_url(R, gl, "https://api.github.com/repos/o/r/statuses/" SHA, &m);
	EXPECT(m.provider == NULL);   /* not a GitLab URL at all */
	url_match_free(&m);

	rules_match_url(R, gt, "https://git.example.com/api/v1/repos/o/r/statuses/" SHA, &m);
	EXPECT(m.provider == gt && m.endpoint != NULL);
	url_match_free(&m);

	rules_match_url(R, gl, "https://git.example.com/api/v4/projects/7/statuses/" SHA, &m);
	EXPECT(m.provider == gl && m.endpoint != NULL);
	url_match_free(&m);
}

TEST(state_classes)
{
	const struct provider *gh = rules_find(R, "github");
	const struct provider *gl = rules_find(R, "gitlab");
	const struct provider *bb = rules_find(R, "bitbucket");
	const struct provider *az = rules_find(R, "azure-devops");
	const struct provider *gt = rules_find(R, "gitea");

	EXPECT_INT(rules_state_class(gh, "success"), SC_SUCCESS);
	EXPECT_INT(rules_state_class(gh, "error"), SC_FAILURE);
	EXPECT_INT(rules_state_class(gh, "pending"), SC_PENDING);
	EXPECT_INT(rules_state_class(gh, "running"), SC_UNKNOWN);
	EXPECT_INT(rules_state_class(gh, "SUCCESS"), SC_UNKNOWN);   /* enum is case-sensitive */
	EXPECT_INT(rules_state_class(gl, "running"), SC_PENDING);
	EXPECT_INT(rules_state_class(gl, "canceled"), SC_OTHER);
	EXPECT_INT(rules_state_class(bb, "INPROGRESS"), SC_PENDING);
	EXPECT_INT(rules_state_class(bb, "STOPPED"), SC_OTHER);
	EXPECT_INT(rules_state_class(az, "succeeded"), SC_SUCCESS);
	EXPECT_INT(rules_state_class(az, "notSet"), SC_UNKNOWN);
	EXPECT_INT(rules_state_class(gt, "warning"), SC_OTHER);
	EXPECT_INT(rules_state_class(NULL, "success"), SC_UNKNOWN);
	EXPECT_INT(rules_state_class(gh, NULL), SC_UNKNOWN);
}

TEST(recommended_states_follow_section_7)
{
	static const struct { const char *prov, *completed, *failed, *pending; } want[] = {
		{"github", "success", "failure", "pending"},
		{"gitlab", "success", "failed", "pending"},
		{"bitbucket-cloud", "SUCCESSFUL", "FAILED", "INPROGRESS"},
		{"bitbucket-dc", "SUCCESSFUL", "FAILED", "INPROGRESS"},
		{"azure-devops", "succeeded", "failed", "pending"},
		{"gitea", "success", "failure", "pending"},
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct provider *p = rules_find(R, want[i].prov);

		EXPECT(p != NULL);
		if (!p)
			continue;
		EXPECT_STR(p->recommended[ST_COMPLETED], want[i].completed);
		EXPECT_STR(p->recommended[ST_FAILED], want[i].failed);
		EXPECT_STR(p->recommended[ST_PENDING], want[i].pending);
		for (int s = 0; s < ST_COUNT; s++)
			EXPECT(p->recommended[s] &&
			       rules_state_class(p, p->recommended[s]) != SC_UNKNOWN);
	}
}

TEST(github_headers_and_fields)
{
	const struct provider *p = rules_find(R, "GH");
	const struct rule_field *d = rules_field(p, "description");
	const struct rule_header *ua = NULL, *ver = NULL;

	EXPECT(p != NULL);
	if (!p)
		return;
	for (size_t i = 0; i < p->nheaders; i++) {
		if (strcmp(p->headers[i].name, "User-Agent") == 0)
			ua = &p->headers[i];
		if (strcmp(p->headers[i].name, "X-GitHub-Api-Version") == 0)
			ver = &p->headers[i];
	}
	EXPECT(ua && ua->level == 2);
	EXPECT(ver && ver->when_present && ver->nvalues == 2 &&
	       strcmp(ver->values[0], "2022-11-28") == 0 &&
	       strcmp(ver->values[1], "2026-03-10") == 0);
	EXPECT_STR(p->content_type, "application/json");
	EXPECT(d && d->max_length == 140 && d->max_length_conf == CONF_REPORTED);
	EXPECT(rules_field(p, "state")->required &&
	       rules_field(p, "state")->nenums == 4);
	EXPECT(p->identity_ci && p->repo_ci);
	EXPECT(rules_field(p, "nope") == NULL);
	EXPECT(rules_field(NULL, "state") == NULL);
}

TEST(field_aliases_point_at_fields)
{
	for (size_t i = 0; i < R->n; i++) {
		const struct provider *p = &R->providers[i];
		bool has_status = false;

		for (size_t k = 0; k < p->nfield_aliases; k++) {
			EXPECT(rules_field(p, p->field_aliases[k].to) != NULL);
			if (strcmp(p->field_aliases[k].from, "status") == 0)
				has_status = strcmp(p->field_aliases[k].to, "state") == 0;
		}
		EXPECT(has_status);
	}
	{
		const struct provider *az = rules_find(R, "azure-devops");
		const struct provider *bb = rules_find(R, "bitbucket-cloud");
		bool t = false, c = false;

		for (size_t k = 0; k < az->nfield_aliases; k++)
			t |= strcmp(az->field_aliases[k].from, "target_url") == 0 &&
			     strcmp(az->field_aliases[k].to, "targetUrl") == 0;
		for (size_t k = 0; k < bb->nfield_aliases; k++)
			c |= strcmp(bb->field_aliases[k].from, "context") == 0 &&
			     strcmp(bb->field_aliases[k].to, "key") == 0;
		EXPECT(t && c);
	}
}

TEST(find_by_name_or_alias)
{
	EXPECT(rules_find(R, "GitHub") == rules_find(R, "ghe"));
	EXPECT(rules_find(R, "bbs") == rules_find(R, "bitbucket-dc"));
	EXPECT(rules_find(R, "gitlab") != NULL);
	EXPECT(rules_find(R, "svn") == NULL);
	EXPECT(rules_find(R, NULL) == NULL);
	EXPECT(rules_find(NULL, "github") == NULL);
}

/* Writes text to dir/name. */
static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char *tmpdir_with(const char *name, const char *text)
{
	char *dir = strdup("/tmp/hd_rules_XXXXXX");

	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	write_file(dir, name, text);
	return dir;
}

static void rm_dir(char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	rmdir(dir);
	free(dir);
}

TEST(invalid_json_reports_line_and_column)
{
	char *dir = tmpdir_with("broken.json", "{\n  \"name\": \"x\",\n  \"title\": \"X\",\n}\n");
	struct hd_error err = {{0}};
	struct rules *r;
	char want[600];

	EXPECT(dir != NULL);
	if (!dir)
		return;
	r = rules_load(dir, &err);
	EXPECT(r == NULL);
	snprintf(want, sizeof(want),
		 "%s/broken.json:3:15: invalid JSON: trailing comma before '}'", dir);
	EXPECT_STR(err.msg, want);
	rm_dir(dir, "broken.json");

	dir = tmpdir_with("b.json", "{\"name\": \"x\"\n  \"title\": 1}");
	if (!dir)
		return;
	EXPECT(rules_load(dir, &err) == NULL);
	EXPECT(strstr(err.msg, "b.json:2:3: invalid JSON: expected ',' or '}'") != NULL);
	rm_dir(dir, "b.json");
}

TEST(semantic_error_points_at_member)
{
	/* a valid file with one bad member on line 5, column 5 */
	const char *text =
		"{\n"
		"  \"name\": \"x\", \"title\": \"X\",\n"
		"  \"endpoints\": [\n"
		"    {\"name\": \"e\", \"pattern\": \"^https://x/(a)$\",\n"
		"    \"capture\": {\"commit\": 1}}\n"
		"  ]\n"
		"}\n";
	char *dir = tmpdir_with("x.json", text);
	struct hd_error err = {{0}};
	char want[600];

	if (!dir)
		return;
	EXPECT(rules_load(dir, &err) == NULL);
	snprintf(want, sizeof(want), "%s/x.json:5:5: unknown member \"capture\" in an endpoint (did you mean \"captures\"?)", dir);
	EXPECT_STR(err.msg, want);
	rm_dir(dir, "x.json");
}

TEST(bad_pattern_is_a_load_error)
{
	const char *text =
		"{\"name\": \"x\", \"title\": \"X\",\n"
		" \"endpoints\": [{\"name\": \"e\", \"pattern\": \"^https://(x$\", \"captures\": {}}]}\n";
	char *dir = tmpdir_with("x.json", text);
	struct hd_error err = {{0}};

	if (!dir)
		return;
	EXPECT(rules_load(dir, &err) == NULL);
	EXPECT(strstr(err.msg, "x.json:2:") != NULL);
	EXPECT(strstr(err.msg, "bad pattern") != NULL);
	rm_dir(dir, "x.json");
}

TEST(dangling_references_rejected)
{
	/* the recommended state is in no class */
	const char *text =
		"{\"name\": \"x\", \"title\": \"X\",\n"
		" \"endpoints\": [{\"name\": \"e\", \"pattern\": \"^https://x/(a)$\", \"captures\": {\"commit\": 1}}],\n"
		" \"auth\": [{\"header\": \"Authorization\", \"scheme\": \"Bearer\"}],\n"
		" \"fields\": [{\"name\": \"state\", \"type\": \"string\", \"enum\": [\"ok\", \"bad\", \"wait\"]},\n"
		"            {\"name\": \"id\", \"type\": \"string\"}],\n"
		" \"identity\": {\"fields\": [\"id\"]},\n"
		" \"states\": {\"success\": [\"ok\"], \"failure\": [\"bad\"], \"pending\": [\"wait\"]},\n"
		" \"recommended\": {\"completed\": \"done\"}}\n";
	char *dir = tmpdir_with("x.json", text);
	struct hd_error err = {{0}};
	struct rules *r;

	if (!dir)
		return;
	EXPECT(rules_load(dir, &err) == NULL);
	EXPECT(strstr(err.msg, ":8:") && strstr(err.msg, "\"done\""));
	rm_dir(dir, "x.json");

	/* the same file with a good map loads */
	dir = tmpdir_with("x.json", "{\"name\": \"x\", \"title\": \"X\","
		" \"endpoints\": [{\"name\": \"e\", \"pattern\": \"^https://x/(a)$\", \"captures\": {\"commit\": 1}}],"
		" \"auth\": [{\"header\": \"Authorization\", \"scheme\": \"Bearer\"}],"
		" \"fields\": [{\"name\": \"state\", \"type\": \"string\"}, {\"name\": \"id\", \"type\": \"string\"}],"
		" \"identity\": {\"fields\": [\"id\"]},"
		" \"states\": {\"success\": [\"ok\"], \"failure\": [\"bad\"], \"pending\": [\"wait\"]},"
		" \"recommended\": {\"completed\": \"ok\"}}");
	if (!dir)
		return;
	r = rules_load(dir, &err);
	EXPECT(r != NULL);
	if (!r)
		printf("  message: %s\n", err.msg);
	rules_free(r);
	rm_dir(dir, "x.json");
}

TEST(api_calls_are_data_and_validated)
{
	/* The shipped files: GitHub's calls and facts. */
	struct hd_error err = {{0}};
	const struct provider *gh = R ? rules_find(R, "github") : NULL;
	const char *base =
		"{\"name\": \"x\", \"title\": \"X\","
		" \"endpoints\": [{\"name\": \"e\", \"pattern\": \"^https://x/(a)$\", \"captures\": {\"commit\": 1}}],"
		" \"auth\": [{\"header\": \"Authorization\", \"scheme\": \"Bearer\"}],"
		" \"fields\": [{\"name\": \"state\", \"type\": \"string\"}, {\"name\": \"id\", \"type\": \"string\"}],"
		" \"identity\": {\"fields\": [\"id\"]},"
		" \"states\": {\"success\": [\"ok\"], \"failure\": [\"bad\"], \"pending\": [\"wait\"]},\n"
		" \"api\": {\"base_before\": \"/repos/\", \"token_check\": \"GET /user\",\n"
		"   \"repo\": \"GET /repos/{owner}/{name}\"}}";
	char *dir;

	EXPECT(gh && gh->api);
	if (gh && gh->api) {
		EXPECT_STR(gh->api->token_check, "GET /user");
		EXPECT_STR(gh->api->base_before, "/repos/");
		EXPECT(gh->api->identity_limit == 1000);
		EXPECT(gh->api->write_access == WA_PUSH);
	}

	/* An unknown placeholder is a load error at the call. */
	dir = tmpdir_with("x.json", base);
	if (!dir)
		return;
	EXPECT(rules_load(dir, &err) == NULL);
	EXPECT(strstr(err.msg, "x.json:3:") && strstr(err.msg, "unknown placeholder \"{name}\""));
	rm_dir(dir, "x.json");
}

/* A minimal valid rule file with a "probe" member (PROBE). */
#define PROBE_BASE(PROBE) \
	"{\"name\": \"x\", \"title\": \"X\"," \
	" \"endpoints\": [{\"name\": \"e\", \"pattern\": \"^https://x/(a)$\", \"captures\": {\"commit\": 1}}]," \
	" \"auth\": [{\"header\": \"PRIVATE-TOKEN\"}]," \
	" \"fields\": [{\"name\": \"state\", \"type\": \"string\"}, {\"name\": \"id\", \"type\": \"string\"}]," \
	" \"identity\": {\"fields\": [\"id\"]}," \
	" \"states\": {\"success\": [\"ok\"], \"failure\": [\"bad\"], \"pending\": [\"wait\"]},\n" \
	" \"probe\": " PROBE "}\n"

/* Loads one rule file; returns the error message ("" when it loaded). */
static const char *load_one(const char *text, char *msg, size_t n)
{
	char *dir = tmpdir_with("x.json", text);
	struct hd_error err = {{0}};
	struct rules *r;
	size_t dl;

	msg[0] = 0;
	if (!dir)
		return "mkdtemp failed";
	r = rules_load(dir, &err);
	if (r)
		rules_free(r);
	else {
		/* without the temporary directory: "x.json:L:C: ..." */
		dl = strlen(dir);
		snprintf(msg, n, "%s", strncmp(err.msg, dir, dl) == 0 &&
			 err.msg[dl] == '/' ? err.msg + dl + 1 : err.msg);
	}
	rm_dir(dir, "x.json");
	return msg;
}

/* fuzz_rules: an integer member far outside long's range was cast to
 * long before its range was checked (undefined behaviour, UBSan). It is a
 * load error like any other number out of range. */
TEST(integer_far_out_of_range_is_a_load_error)
{
	char msg[sizeof(((struct hd_error *)0)->msg)];
	static const char *const nums[] = {"4.4e58", "-4.4e58", "1e300", "2.5"};

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		char text[2048];

		snprintf(text, sizeof(text),
			 "{\"name\": \"x\", \"title\": \"X\","
			 " \"endpoints\": [{\"name\": \"e\", \"pattern\": \"^https://x/(a)$\","
			 " \"captures\": {\"commit\": %s}}],"
			 " \"auth\": [{\"header\": \"PRIVATE-TOKEN\"}],"
			 " \"fields\": [{\"name\": \"state\", \"type\": \"string\"}, {\"name\": \"id\", \"type\": \"string\"}],"
			 " \"identity\": {\"fields\": [\"id\"]},"
			 " \"states\": {\"success\": [\"ok\"], \"failure\": [\"bad\"], \"pending\": [\"wait\"]}}\n",
			 nums[i]);
		EXPECT(strstr(load_one(text, msg, sizeof(msg)),
			      "\"commit\" must be an integer from 1 to"));
	}
}

TEST(probe_requests_are_data)
{
	const struct provider *gh = R ? rules_find(R, "github") : NULL;
	const struct provider *az = R ? rules_find(R, "azure-devops") : NULL;
	const struct provider *gl = R ? rules_find(R, "gitlab") : NULL;

	EXPECT(gh && gh->probe);
	if (gh && gh->probe) {
		EXPECT_STR(gh->probe->path, "/");
		EXPECT_INT(gh->probe->npath_prefixes, 1);
		EXPECT_STR(gh->probe->path_prefixes[0], "/api/v3");
		EXPECT_INT(gh->probe->nprefix_except_hosts, 1);
		EXPECT_STR(gh->probe->prefix_except_hosts[0], "api.github.com");
		EXPECT_INT(gh->probe->nheaders, 0);
	}
	EXPECT(az && az->probe);
	if (az && az->probe) {
		EXPECT(az->probe->path == NULL);
		EXPECT_INT(az->probe->nheaders, 1);
		EXPECT_STR(az->probe->header_names[0], "X-TFS-FedAuthRedirect");
		EXPECT_STR(az->probe->header_values[0], "Suppress");
	}
	/* no "probe": the target URL itself */
	EXPECT(gl && gl->probe == NULL);
}

TEST(malformed_probe_is_a_load_error_at_its_member)
{
	char msg[sizeof(((struct hd_error *)0)->msg)];

	/* well formed: loads */
	EXPECT_STR(load_one(PROBE_BASE("{\"why\": \"the root\", \"path\": \"/\","
				       " \"path_prefixes\": [\"/api\"], \"headers\": {\"X-A\": \"b\"}}"),
			    msg, sizeof(msg)), "");
	/* unknown member, with the nearest known name, at its position */
	EXPECT_STR(load_one(PROBE_BASE("{\"why\": \"w\", \"header\": {\"X-A\": \"b\"}}"),
			    msg, sizeof(msg)),
		   "x.json:2:24: unknown member \"header\" in \"probe\" (did you mean \"headers\"?)");
	/* "why" is required */
	EXPECT_STR(load_one(PROBE_BASE("{\"path\": \"/\"}"), msg, sizeof(msg)),
		   "x.json:2:2: missing member \"why\"");
	/* wrong type */
	EXPECT_STR(load_one(PROBE_BASE("{\"why\": \"w\", \"path\": 1}"), msg, sizeof(msg)),
		   "x.json:2:24: \"path\" must be a non-empty string");
	/* a path with a query, or not absolute */
	EXPECT(strstr(load_one(PROBE_BASE("{\"why\": \"w\", \"path\": \"/x?token=1\"}"),
			       msg, sizeof(msg)), "x.json:2:24: \"path\" must start with '/'"));
	EXPECT(strstr(load_one(PROBE_BASE("{\"why\": \"w\", \"path\": \"/\", \"path_prefixes\": [\"api\"]}"),
			       msg, sizeof(msg)), "x.json:2:") &&
	       strstr(msg, "\"path_prefixes\": \"api\" must start with '/'"));
	/* prefixes need a path, exceptions need prefixes */
	EXPECT(strstr(load_one(PROBE_BASE("{\"why\": \"w\", \"path_prefixes\": [\"/a\"]}"),
			       msg, sizeof(msg)), "\"path_prefixes\" needs \"path\""));
	EXPECT(strstr(load_one(PROBE_BASE("{\"why\": \"w\", \"path\": \"/\", \"prefix_except_hosts\": [\"h\"]}"),
			       msg, sizeof(msg)), "\"prefix_except_hosts\" needs \"path_prefixes\""));
	/* headers: a name that is not a token, a value on two lines, and no
	 * credential: neither a generic one nor the provider's token header */
	EXPECT_STR(load_one(PROBE_BASE("{\"why\": \"w\", \"headers\": {\"X A\": \"b\"}}"),
			    msg, sizeof(msg)),
		   "x.json:2:36: \"headers\": \"X A\" is not a header name");
	EXPECT(strstr(load_one(PROBE_BASE("{\"why\": \"w\", \"headers\": {\"X-A\": \"b\\r\\nX-B: c\"}}"),
			       msg, sizeof(msg)), "one line"));
	EXPECT_STR(load_one(PROBE_BASE("{\"why\": \"w\", \"headers\": {\"authorization\": \"Bearer x\"}}"),
			    msg, sizeof(msg)),
		   "x.json:2:36: \"headers\": the probe never sends \"authorization\"");
	EXPECT(strstr(load_one(PROBE_BASE("{\"why\": \"w\", \"headers\": {\"Private-Token\": \"x\"}}"),
			       msg, sizeof(msg)), "carries the token"));
	EXPECT(strstr(load_one(PROBE_BASE("{\"why\": \"w\", \"headers\": {\"X-A\": \"1\", \"x-a\": \"2\"}}"),
			       msg, sizeof(msg)), "duplicate header \"x-a\""));
	/* not an object */
	EXPECT_STR(load_one(PROBE_BASE("[\"GET /\"]"), msg, sizeof(msg)),
		   "x.json:2:2: \"probe\" must be an object");
}

TEST(missing_directory_is_an_error)
{
	struct hd_error err = {{0}};

	EXPECT(rules_load("/nonexistent/hd-checks", &err) == NULL);
	EXPECT(strstr(err.msg, "/nonexistent/hd-checks") != NULL);
}

TEST(regex_wrapper)
{
	struct hd_error err;
	struct hd_regex *re = hd_regex_compile("^a(b+)(x)?c$", true, &err);
	size_t ov[6];

	EXPECT(re != NULL);
	EXPECT_INT(hd_regex_match(re, "ABBC", 4, ov, 3), 2);
	EXPECT_INT(ov[2], 1);
	EXPECT_INT(ov[3], 3);
	EXPECT(ov[4] == (size_t)-1);
	EXPECT_INT(hd_regex_match(re, "abd", 3, ov, 3), 0);
	EXPECT_INT(hd_regex_match(re, "abc\n", 4, NULL, 0), 0);   /* $ is the end */
	hd_regex_free(re);
	EXPECT(hd_regex_compile("(", false, &err) == NULL);
	EXPECT(strstr(err.msg, "offset") != NULL);
	EXPECT(hd_regex_version()[0] >= '1' && hd_regex_version()[0] <= '9');
}

TEST(matching_is_fast)
{
	static const char *const urls[] = {
		"https://api.github.com/repos/o/r/statuses/" SHA,
		"https://gitlab.com/api/v4/projects/g%2Fp/statuses/" SHA,
		"https://api.bitbucket.org/2.0/repositories/w/r/commit/" SHA "/statuses/build",
		"https://bb.corp/rest/api/latest/projects/P/repos/r/commits/" SHA "/builds",
		"https://dev.azure.com/o/p/_apis/git/repositories/r/commits/" SHA "/statuses?api-version=7.1",
		"https://gitea.corp/api/v1/repos/o/r/statuses/" SHA,
		"https://example.com/some/webhook/receiver",
		"https://api.github.com/repos/o/r/commits/" SHA "/statuses",
	};
	struct timespec t0, t1;
	double ms;
	int n = 0;

	/* CPU time, not wall time: the cost of matching, whatever else the
	 * machine is doing */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (int i = 0; i < 10000; i++)
		for (size_t k = 0; k < 8; k++) {
			struct url_match m;

			rules_match_url(R, NULL, urls[k], &m);
			n += m.provider != NULL;
			url_match_free(&m);
		}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("  # 80000 URL matches in %.1f ms of CPU (bound %.0f ms)\n", ms,
	       2000.0 * unit_slowdown());
	EXPECT_INT(n, 70000);
	/* generous: sanitizer builds are several times slower; under valgrind
	 * (tests/valgrind.sh) the bound is scaled, as every timed test's */
	EXPECT(ms < 2000.0 * unit_slowdown());
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && a != b && strcmp(a, b) == 0);
}

/* analyse.c copies the provider's match for requests to the same URL. */
TEST(a_copied_match_equals_a_fresh_one_and_owns_its_strings)
{
	static const char *const urls[] = {
		"https://api.github.com/repos/o/r/statuses/" SHA,
		"https://dev.azure.com/org/_apis/git/repositories/r/commits/"
		SHA "/statuses",
		"https://gitlab.example.com/api/v4/projects/g%2Fp/statuses/" SHA,
		"https://example.com/not/a/provider",
	};

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct url_match m, c;

		match(urls[i], &m);
		url_match_copy(&c, &m);
		EXPECT(c.provider == m.provider && c.endpoint == m.endpoint &&
		       c.wrong == m.wrong && c.by_host == m.by_host);
		EXPECT(same_text(c.owner, m.owner) && same_text(c.repo, m.repo));
		EXPECT(same_text(c.project, m.project));
		EXPECT(same_text(c.commit, m.commit) && same_text(c.host, m.host));
		EXPECT(same_text(c.repo_key, m.repo_key));
		EXPECT_INT(c.nmissing_query, m.nmissing_query);
		for (size_t k = 0; k < m.nmissing_query; k++)
			EXPECT(same_text(c.missing_query[k], m.missing_query[k]));
		/* each frees its own: a shallow copy is a double free */
		url_match_free(&m);
		url_match_free(&c);
	}
}

int main(void)
{
	struct hd_error err = {{0}};

	R = rules_load("checks", &err);
	if (!R) {
		printf("not ok - cannot load ./checks: %s\n", err.msg);
		return 1;
	}
	RUN(loads_every_rule_file_sorted);
	RUN(github_dotcom_endpoint_captures_parts);
	RUN(github_enterprise_api_v3);
	RUN(github_empty_sha_still_the_endpoint);
	RUN(github_wrong_endpoints_named);
	RUN(github_list_message_mentions_list);
	RUN(query_and_fragment_split_off);
	RUN(userinfo_is_not_the_host);
	RUN(gitlab_dotcom_encoded_project);
	RUN(gitlab_self_hosted_relative_root_numeric_id);
	RUN(gitlab_unencoded_project_path_is_wrong);
	RUN(gitlab_list_endpoint_is_wrong);
	RUN(gitlab_repeat_pending_rule);
	RUN(bitbucket_cloud_endpoint);
	RUN(bitbucket_cloud_put_form_wants_put);
	RUN(bitbucket_cloud_plural_and_missing_build);
	RUN(bitbucket_dc_current_and_legacy);
	RUN(bitbucket_dc_limits_confirmed);
	RUN(azure_services_with_project_and_api_version);
	RUN(azure_without_project_and_missing_api_version);
	RUN(azure_server_collection_path);
	RUN(azure_missing_statuses_is_wrong);
	RUN(azure_auth_basic_empty_user);
	RUN(gitea_is_not_github);
	RUN(recognised_by_host_or_marker_only);
	RUN(unknown_urls_have_no_provider);
	RUN(forced_provider_only_tries_that_one);
	RUN(state_classes);
	RUN(recommended_states_follow_section_7);
	RUN(github_headers_and_fields);
	RUN(field_aliases_point_at_fields);
	RUN(find_by_name_or_alias);
	RUN(invalid_json_reports_line_and_column);
	RUN(semantic_error_points_at_member);
	RUN(bad_pattern_is_a_load_error);
	RUN(dangling_references_rejected);
	RUN(api_calls_are_data_and_validated);
	RUN(integer_far_out_of_range_is_a_load_error);
	RUN(probe_requests_are_data);
	RUN(malformed_probe_is_a_load_error_at_its_member);
	RUN(missing_directory_is_an_error);
	RUN(regex_wrapper);
	RUN(matching_is_fast);
	RUN(a_copied_match_equals_a_fresh_one_and_owns_its_strings);
	rules_free(R);
	return unit_done();
}
