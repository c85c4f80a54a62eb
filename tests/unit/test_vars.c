/* test_vars.c - the variable context: known paths, the sample action,
 * --var overrides, lookups. */
#include <stdlib.h>

#include "unit.h"
#include "vars.h"

static const char *get(struct vars *v, const char *path)
{
	return vars_lookup(v, path, strlen(path));
}

TEST(table_is_sorted_and_holds_the_documented_variables)
{
	EXPECT(vars_table_len > 100);
	for (unsigned long i = 1; i < vars_table_len; i++)
		EXPECT(strcmp(vars_table[i - 1], vars_table[i]) < 0);
	EXPECT(vars_known("action.id"));
	EXPECT(vars_known("action.url_web_permalink"));
	EXPECT(vars_known("action.action_data.commit.hash"));
	EXPECT(vars_known("action.triggered_from.trigger_type"));
	EXPECT(vars_known("action.status"));
	EXPECT(vars_known("application.name"));
	EXPECT(vars_known("application.source_provider.access_token"));
	EXPECT(vars_known("pipeline.operation"));
	EXPECT(vars_known("environment.name"));
	EXPECT(vars_known("project.name"));
	/* Objects are variables too (they render as JSON); arrays are listed
	 * but not indexed. */
	EXPECT(vars_known("action.action_data.commit"));
	EXPECT(vars_known("action.targets"));
	EXPECT(!vars_known("action.targets.0.id"));
}

TEST(unknown_paths_are_not_known)
{
	EXPECT(!vars_known("action.url_web_perma"));
	EXPECT(!vars_known("action"));
	EXPECT(!vars_known("action."));
	EXPECT(!vars_known("commit.hash"));
	EXPECT(!vars_known("application.source_provider.name"));
	EXPECT(!vars_known(""));
	EXPECT(!vars_known(NULL));
}

TEST(hook_parsed_variables_is_an_open_map)
{
	EXPECT(vars_known("action.triggered_from.hook_parsed_variables"));
	EXPECT(vars_known("action.triggered_from.hook_parsed_variables."
			  "commit_hash"));
	EXPECT(vars_known("action.triggered_from.hook_parsed_variables."
			  "anything.nested"));
	EXPECT(!vars_known("action.triggered_from.hook_parsed_variables."));
	EXPECT(!vars_known("action.triggered_from.other.x"));
}

TEST(suggests_the_nearest_known_variable_for_a_typo)
{
	EXPECT_STR(vars_suggest("action.url_web_perma"),
		   "action.url_web_permalink");
	EXPECT_STR(vars_suggest("action.url_web_permalnk"),
		   "action.url_web_permalink");
	EXPECT_STR(vars_suggest("actoin.id"), "action.id");
	EXPECT_STR(vars_suggest("action.action_data.commit.hsh"),
		   "action.action_data.commit.hash");
	EXPECT_STR(vars_suggest("action.triggered_from.hook_parsed_variable."
				"commit_hash"),
		   "action.triggered_from.hook_parsed_variables");
	EXPECT_STR(vars_suggest("application.source_provider.acess_token"),
		   "application.source_provider.access_token");
}

TEST(suggests_nothing_when_nothing_is_near)
{
	EXPECT(vars_suggest("totally.unrelated") == NULL);
	EXPECT(vars_suggest("action.zzzzzzzzzzzzzzzzzzzzzz") == NULL);
	EXPECT(vars_suggest("action.id") == NULL);
	EXPECT(vars_suggest("") == NULL);
}

static bool is_hex40(const char *s)
{
	if (!s || strlen(s) != 40)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

TEST(sample_commit_is_the_same_in_action_data_and_hook_variables)
{
	struct vars *v0 = vars_sample(ST_IN_PROGRESS, 0);
	struct vars *v1 = vars_sample(ST_IN_PROGRESS, 1);
	const char *h0 = get(v0, "action.action_data.commit.hash");

	EXPECT(is_hex40(h0));
	EXPECT_STR(get(v0, "action.triggered_from.hook_parsed_variables."
			   "commit_hash"), h0);
	EXPECT_STR(vars_action_commit(v0), h0);
	EXPECT(is_hex40(vars_action_commit(v1)));
	EXPECT_STR(get(v1, "action.triggered_from.hook_parsed_variables."
			   "commit_hash"), vars_action_commit(v1));
	EXPECT(strcmp(vars_action_commit(v0), vars_action_commit(v1)) != 0);
	vars_free(v0);
	vars_free(v1);
}

TEST(sample_is_a_deploy_started_by_an_incoming_hook)
{
	struct vars *v = vars_sample(ST_QUEUED, 0);

	EXPECT_STR(get(v, "action.id"), "123456");
	EXPECT_STR(vars_action_id(v), "123456");
	EXPECT_STR(get(v, "action.url_web_permalink"),
		   "https://app.devopness.com/actions/123456");
	EXPECT_STR(vars_action_permalink(v),
		   "https://app.devopness.com/actions/123456");
	EXPECT_STR(get(v, "action.type"), "deploy");
	EXPECT_STR(get(v, "action.triggered_from.trigger_type"), "hook");
	EXPECT(strlen(get(v, "action.triggered_from.hook_id")) == 36);
	EXPECT(strlen(get(v, "action.triggered_from.hook_request_id")) == 36);
	EXPECT_STR(get(v, "action.triggered_from.hook_parsed_variables."
			  "pipeline_id"), get(v, "action.pipeline_id"));
	EXPECT_STR(get(v, "pipeline.id"), get(v, "action.pipeline_id"));
	EXPECT_STR(get(v, "pipeline.operation"), "deploy");
	EXPECT_STR(get(v, "application.repository"), "acme/shop-api");
	EXPECT_STR(get(v, "application.repository_owner"), "acme");
	EXPECT_STR(get(v, "application.repository_name"), "shop-api");
	EXPECT_STR(get(v, "application.source_provider.access_token"),
		   VARS_TOKEN_PLACEHOLDER);
	vars_free(v);
	v = vars_sample(ST_QUEUED, 1);
	EXPECT_STR(vars_action_id(v), "123457");
	EXPECT_STR(vars_action_permalink(v),
		   "https://app.devopness.com/actions/123457");
	vars_free(v);
}

TEST(sample_commit_message_breaks_naive_string_templates)
{
	struct vars *v = vars_sample(ST_COMPLETED, 0);
	const char *m = get(v, "action.action_data.commit.message");

	EXPECT(m && strchr(m, '"'));
	EXPECT(m && strchr(m, '\\'));
	EXPECT(m && strchr(m, '\n'));
	EXPECT(m && strstr(m, "caf\xc3\xa9"));
	vars_free(v);
}

/* Every value of the sample sits at a path the table knows. */
static void expect_known_leaves(const cJSON *n, char *path, size_t len)
{
	for (const cJSON *c = n->child; c; c = c->next) {
		size_t l = len;

		if (l)
			path[l++] = '.';
		snprintf(path + l, 512 - l, "%s", c->string);
		if (!vars_known(path)) {
			printf("  unknown sample path %s\n", path);
			unit_cur_failed = 1;
		}
		if (cJSON_IsObject(c))
			expect_known_leaves(c, path, strlen(path));
		path[len] = '\0';
	}
}

TEST(every_sample_value_is_a_known_variable)
{
	for (int w = 0; w < 2; w++) {
		struct vars *v = vars_sample(ST_FAILED, w);
		char path[512] = "";

		for (const cJSON *r = v->root->child; r; r = r->next) {
			snprintf(path, sizeof(path), "%s", r->string);
			expect_known_leaves(r, path, strlen(path));
		}
		vars_free(v);
	}
}

TEST(status_switch_updates_status_fields_and_times)
{
	struct vars *v = vars_sample(ST_PENDING, 0);

	EXPECT_STR(get(v, "action.status"), "pending");
	EXPECT_STR(get(v, "action.status_reason_code"), "PENDING");
	EXPECT_STR(get(v, "action.started_at"), "");
	EXPECT_STR(get(v, "action.completed_at"), "");
	vars_set_status(v, ST_IN_PROGRESS);
	EXPECT_STR(get(v, "action.status"), "in-progress");
	EXPECT_STR(get(v, "action.status_human_readable"), "In progress");
	EXPECT_STR(get(v, "action.status_reason_code"), "IN_PROGRESS");
	EXPECT(strlen(get(v, "action.started_at")) > 0);
	EXPECT_STR(get(v, "action.completed_at"), "");
	vars_set_status(v, ST_FAILED);
	EXPECT_STR(get(v, "action.status"), "failed");
	EXPECT_STR(get(v, "action.status_reason_code"), "FAILED");
	EXPECT(strcmp(get(v, "action.completed_at"),
		      get(v, "action.started_at")) > 0);
	vars_set_status(v, ST_COMPLETED);
	EXPECT_STR(get(v, "action.status_reason_code"), "COMPLETED");
	vars_set_status(v, ST_QUEUED);
	EXPECT_STR(get(v, "action.status"), "queued");
	EXPECT_STR(get(v, "action.completed_at"), "");
	/* The rest of the action does not move. */
	EXPECT_STR(get(v, "action.id"), "123456");
	vars_free(v);
}

TEST(var_override_parses_numbers_booleans_null_and_strings)
{
	struct vars *v = vars_sample(ST_COMPLETED, 0);
	struct hd_error err = {{0}};
	const cJSON *n;

	EXPECT_INT(vars_set(v, "action.id=42", &err), 0);
	EXPECT_STR(get(v, "action.id"), "42");
	EXPECT_STR(vars_action_id(v), "42");
	n = cJSON_GetObjectItem(cJSON_GetObjectItem(v->root, "action"), "id");
	EXPECT(cJSON_IsNumber(n));
	EXPECT_INT(vars_set(v, "action.trigger_comment=true", &err), 0);
	EXPECT_STR(get(v, "action.trigger_comment"), "true");
	EXPECT_INT(vars_set(v, "action.retry_of=null", &err), 0);
	EXPECT_STR(get(v, "action.retry_of"), "");
	EXPECT_INT(vars_set(v, "action.action_data.commit.hash=abc=def", &err),
		   0);
	EXPECT_STR(vars_action_commit(v), "abc=def");
	/* Text that would not render back the same stays a string. */
	EXPECT_INT(vars_set(v, "x.a=1.50", &err), 0);
	EXPECT_STR(get(v, "x.a"), "1.50");
	EXPECT_INT(vars_set(v, "x.b=007", &err), 0);
	EXPECT_STR(get(v, "x.b"), "007");
	EXPECT_INT(vars_set(v, "x.c=-2.5", &err), 0);
	EXPECT_STR(get(v, "x.c"), "-2.5");
	EXPECT_INT(vars_set(v, "x.d=", &err), 0);
	EXPECT_STR(get(v, "x.d"), "");
	vars_free(v);
}

TEST(var_override_creates_intermediate_objects)
{
	struct vars *v = vars_sample(ST_COMPLETED, 0);
	struct hd_error err = {{0}};

	EXPECT_INT(vars_set(v, "action.triggered_from.hook_parsed_variables."
			    "pull_request_id=17", &err), 0);
	EXPECT_STR(get(v, "action.triggered_from.hook_parsed_variables."
			  "pull_request_id"), "17");
	EXPECT_INT(vars_set(v, "new.deep.path=v", &err), 0);
	EXPECT_STR(get(v, "new.deep.path"), "v");
	EXPECT_STR(get(v, "new"), "{\"deep\":{\"path\":\"v\"}}");
	vars_free(v);
}

TEST(var_override_rejects_bad_paths)
{
	struct vars *v = vars_sample(ST_COMPLETED, 0);
	struct hd_error err = {{0}};

	EXPECT_INT(vars_set(v, "action.id", &err), -1);
	EXPECT(strstr(err.msg, "path=value") != NULL);
	EXPECT_INT(vars_set(v, "=x", &err), -1);
	EXPECT_INT(vars_set(v, "action..id=1", &err), -1);
	EXPECT_INT(vars_set(v, "action.id.=1", &err), -1);
	EXPECT_INT(vars_set(v, "action id=1", &err), -1);
	EXPECT(strstr(err.msg, "not a dotted variable path") != NULL);
	/* action.id is a number: nothing can be set below it. */
	EXPECT_INT(vars_set(v, "action.id.x=1", &err), -1);
	EXPECT(strstr(err.msg, "'action.id'") != NULL);
	EXPECT_STR(get(v, "action.id"), "123456");
	vars_free(v);
}

TEST(lookup_formats_values_and_honours_the_length)
{
	struct vars *v = vars_sample(ST_COMPLETED, 0);
	const char *j;

	EXPECT_STR(vars_lookup(v, "action.idXYZ", 9), "123456");
	EXPECT(vars_lookup(v, "action.nope", 11) == NULL);
	EXPECT(vars_lookup(v, "action.id.x", 11) == NULL);
	EXPECT(vars_lookup(v, "", 0) == NULL);
	EXPECT_STR(get(v, "action.retry_of"), "");
	j = get(v, "application.source_provider");
	EXPECT_STR(j, "{\"access_token\":\"" VARS_TOKEN_PLACEHOLDER "\"}");
	EXPECT_INT(vars_set(v, "x.f=0.1", NULL), 0);
	EXPECT_STR(get(v, "x.f"), "0.1");
	vars_free(v);
}

TEST(secret_paths_are_recognised)
{
	EXPECT(vars_is_secret("application.source_provider.access_token"));
	EXPECT(vars_is_secret("action.triggered_from.hook_parsed_variables."
			      "api_token"));
	EXPECT(vars_is_secret("x.client_secret"));
	EXPECT(vars_is_secret("x.DB_PASSWORD"));
	EXPECT(!vars_is_secret("action.id"));
	EXPECT(!vars_is_secret("application.name"));
	EXPECT(!vars_is_secret(NULL));
}

TEST(commit_falls_back_to_hook_variables)
{
	struct vars *v = vars_sample(ST_COMPLETED, 0);
	struct hd_error err = {{0}};

	EXPECT_INT(vars_set(v, "action.action_data=null", &err), 0);
	EXPECT_STR(vars_action_commit(v),
		   get(v, "action.triggered_from.hook_parsed_variables."
			  "commit_hash"));
	vars_free(v);
}

TEST(real_action_keeps_its_own_times_on_status_switch)
{
	struct vars *v = xcalloc(1, sizeof(*v));
	struct hd_error err = {{0}};

	v->root = cJSON_Parse("{\"action\":{\"id\":9,\"created_at\":\"C\","
			      "\"started_at\":\"S\",\"completed_at\":null}}");
	vars_set_status(v, ST_COMPLETED);
	EXPECT_STR(get(v, "action.status"), "completed");
	EXPECT_STR(get(v, "action.started_at"), "S");
	EXPECT_STR(get(v, "action.completed_at"), "S");
	vars_set_status(v, ST_QUEUED);
	EXPECT_STR(get(v, "action.started_at"), "");
	EXPECT_INT(vars_set(v, "action.url_web_permalink=u", &err), 0);
	EXPECT_STR(vars_action_permalink(v), "u");
	vars_free(v);
}

TEST(samples_do_not_share_changes)
{
	struct vars *a = vars_sample(ST_COMPLETED, 0);
	struct vars *b = vars_sample(ST_COMPLETED, 0);
	struct hd_error err = {{0}};
	cJSON *copy;

	EXPECT_INT(vars_set(a, "action.action_data.commit.hash=beef", &err), 0);
	EXPECT_INT(vars_set(a, "application.name=other", &err), 0);
	EXPECT_INT(vars_set(a, "application.source_provider.x=1", &err), 0);
	vars_set_status(a, ST_FAILED);
	EXPECT_STR(get(a, "action.action_data.commit.hash"), "beef");
	EXPECT_STR(get(a, "application.name"), "other");
	EXPECT_STR(get(b, "application.name"), "shop-api");
	EXPECT(strcmp(get(b, "action.action_data.commit.hash"), "beef") != 0);
	EXPECT(get(b, "application.source_provider.x") == NULL);
	EXPECT_STR(get(b, "action.status"), "completed");
	/* A copy of a sample is a plain tree that outlives it. */
	copy = cJSON_Duplicate(a->root, 1);
	vars_free(a);
	EXPECT_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(copy, "application"),
				       "name")->valuestring, "other");
	cJSON_Delete(copy);
	vars_free(b);
	b = vars_sample(ST_PENDING, 0);
	EXPECT_STR(get(b, "action.status"), "pending");
	EXPECT_STR(get(b, "application.name"), "shop-api");
	EXPECT(strcmp(vars_action_commit(b), "beef") != 0);
	vars_free(b);
}

/* vars_known() as the table defines it, by a scan of every entry: the
 * path itself, or an ancestor that is an open map ("prefix.*"). */
static bool known_by_scan(const char *path)
{
	size_t len = strlen(path);

	for (unsigned long i = 0; i < vars_table_len; i++) {
		const char *e = vars_table[i];
		size_t elen = strlen(e);

		if (strcmp(e, path) == 0)
			return true;
		if (elen >= 2 && strcmp(e + elen - 2, ".*") == 0 &&
		    elen - 1 < len && strncmp(e, path, elen - 1) == 0)
			return true;
	}
	return false;
}

TEST(known_agrees_with_a_scan_of_the_table)
{
	static char path[512];
	static const char *const tails[] = {"", "x", ".x", ".*", ".a.b", "s"};
	size_t wrong = 0;

	for (unsigned long i = 0; i < vars_table_len; i++) {
		const char *e = vars_table[i];
		size_t elen = strlen(e);

		for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
			snprintf(path, sizeof(path), "%s%s", e, tails[t]);
			wrong += vars_known(path) != known_by_scan(path);
		}
		/* every prefix, cut anywhere */
		for (size_t k = 1; k < elen; k++) {
			snprintf(path, sizeof(path), "%.*s", (int)k, e);
			wrong += vars_known(path) != known_by_scan(path);
		}
	}
	/* longer than any entry, under an open map or not */
	memset(path, 'a', 300);
	memcpy(path, "action.", 7);
	path[300] = '\0';
	wrong += vars_known(path) != known_by_scan(path);
	EXPECT_INT(wrong, 0);
	EXPECT(!vars_known(""));
}

int main(void)
{
	RUN(table_is_sorted_and_holds_the_documented_variables);
	RUN(unknown_paths_are_not_known);
	RUN(hook_parsed_variables_is_an_open_map);
	RUN(suggests_the_nearest_known_variable_for_a_typo);
	RUN(suggests_nothing_when_nothing_is_near);
	RUN(sample_commit_is_the_same_in_action_data_and_hook_variables);
	RUN(sample_is_a_deploy_started_by_an_incoming_hook);
	RUN(sample_commit_message_breaks_naive_string_templates);
	RUN(every_sample_value_is_a_known_variable);
	RUN(status_switch_updates_status_fields_and_times);
	RUN(var_override_parses_numbers_booleans_null_and_strings);
	RUN(var_override_creates_intermediate_objects);
	RUN(var_override_rejects_bad_paths);
	RUN(lookup_formats_values_and_honours_the_length);
	RUN(secret_paths_are_recognised);
	RUN(commit_falls_back_to_hook_variables);
	RUN(real_action_keeps_its_own_times_on_status_switch);
	RUN(samples_do_not_share_changes);
	RUN(known_agrees_with_a_scan_of_the_table);
	return unit_done();
}
