/* test_conditions.c - trigger_when.conditions against an action's values:
 * how a value compares with accepted_values, which conditions can be
 * evaluated (a real action, a --var, or nothing known: the sample), and
 * the statuses left when one refuses. Hooks are built by hand. */
#include <stdlib.h>
#include <string.h>
#include "conditions.h"
#include "unit.h"

#define MAXC 4

struct fixture {
	struct hook h;
	struct hd_condition conds[MAXC];
};

static void add_cond(struct fixture *fx, const char *path,
		     const char *const *values, size_t n)
{
	struct hd_condition *c = &fx->conds[fx->h.nconds++];

	fx->h.conds = fx->conds;
	c->path = (char *)path;
	c->values = (char **)values;
	c->nvalues = n;
}

static struct hd_condition cond_of(const char *const *values, size_t n)
{
	struct hd_condition c = { (char *)"x", (char **)values, n, 0, 0 };

	return c;
}

/* A real action as GET /actions/{id} answers it. */
static cJSON *real_action(const char *type, bool hook_vars,
			  const char *comment)
{
	cJSON *a = cJSON_Parse(
		"{\"id\": 81234, \"pipeline_id\": 4242, \"status\": \"completed\","
		" \"type\": \"deploy\", \"trigger_comment\": \"\","
		" \"resource\": {\"id\": 7788, \"type\": \"application\","
		"   \"name\": \"shop-api\"},"
		" \"triggered_from\": {\"trigger_type\": \"hook\", \"name\": \"push\"}}");
	cJSON *tf = cJSON_GetObjectItemCaseSensitive(a, "triggered_from");

	cJSON_ReplaceItemInObjectCaseSensitive(a, "type", cJSON_CreateString(type));
	cJSON_ReplaceItemInObjectCaseSensitive(a, "trigger_comment",
					       cJSON_CreateString(comment));
	if (hook_vars) {
		cJSON *hv = cJSON_AddObjectToObject(tf, "hook_parsed_variables");

		cJSON_AddNumberToObject(hv, "pipeline_id", 4242);
		cJSON_AddStringToObject(hv, "branch", "main");
	}
	return a;
}

/* Evaluates fx's conditions against that real action at the statuses of
 * mask; returns the statuses it fires on. */
static unsigned eval_real(const struct fixture *fx, const char *type,
			  bool hook_vars, const char *comment, unsigned mask,
			  struct cond_eval *e)
{
	cJSON *a = real_action(type, hook_vars, comment);
	struct vars *v = vars_from_action(a, ST_COMPLETED);
	unsigned fires = cond_evaluate(&fx->h, v, NULL, 0, mask, e);

	vars_free(v);
	cJSON_Delete(a);
	return fires;
}

static const unsigned DONE = ST_BIT(ST_COMPLETED) | ST_BIT(ST_FAILED);

TEST(accepts_compares_strings_exactly_and_numbers_by_value)
{
	const char *v[] = { "4242", "deploy", "true" };
	struct hd_condition c = cond_of(v, 3);
	cJSON *n;

	n = cJSON_CreateNumber(4242);
	EXPECT(cond_accepts(&c, n));
	cJSON_Delete(n);
	n = cJSON_CreateString("4242.0");
	EXPECT(cond_accepts(&c, n));
	cJSON_Delete(n);
	n = cJSON_CreateNumber(42);
	EXPECT(!cond_accepts(&c, n));
	cJSON_Delete(n);
	n = cJSON_CreateString("deploy");
	EXPECT(cond_accepts(&c, n));
	cJSON_Delete(n);
	n = cJSON_CreateString("Deploy");
	EXPECT(!cond_accepts(&c, n));
	cJSON_Delete(n);
	n = cJSON_CreateTrue();
	EXPECT(cond_accepts(&c, n));
	cJSON_Delete(n);
	n = cJSON_CreateFalse();
	EXPECT(!cond_accepts(&c, n));
	cJSON_Delete(n);
}

TEST(accepts_a_missing_or_null_value_only_by_null)
{
	const char *some[] = { "", "0", "false" };
	const char *with_null[] = { "deploy", "null" };
	struct hd_condition c = cond_of(some, 3), cn = cond_of(with_null, 2);
	cJSON *null = cJSON_CreateNull();

	EXPECT(!cond_accepts(&c, NULL));
	EXPECT(!cond_accepts(&c, null));
	EXPECT(cond_accepts(&cn, NULL));
	EXPECT(cond_accepts(&cn, null));
	cJSON_Delete(null);
}

TEST(accepts_nothing_without_accepted_values)
{
	struct hd_condition c = cond_of(NULL, 0);
	cJSON *n = cJSON_CreateString("deploy");

	EXPECT(!cond_accepts(&c, n));
	EXPECT(!cond_accepts(&c, NULL));
	cJSON_Delete(n);
}

TEST(sample_action_evaluates_nothing_but_action_status)
{
	const char *type[] = { "deploy" }, *st[] = { "completed" };
	struct fixture fx = {0};
	struct cond_eval e[MAXC];
	struct vars *v = vars_sample(ST_COMPLETED, 0);

	add_cond(&fx, "action.type", type, 1);
	add_cond(&fx, "action.status", st, 1);
	EXPECT_INT(cond_evaluate(&fx.h, v, NULL, 0, DONE, e), DONE);
	EXPECT_INT(e[0].verdict, CV_OFFLINE);
	EXPECT(e[0].value == NULL);
	EXPECT_INT(e[1].verdict, CV_STATUS);
	EXPECT(!cond_any_evaluated(e, 2));
	cond_eval_free(e, 2);
	vars_free(v);
}

TEST(real_action_of_another_type_stops_the_hook)
{
	const char *type[] = { "deploy" };
	struct fixture fx = {0};
	struct cond_eval e[MAXC];

	add_cond(&fx, "action.type", type, 1);
	EXPECT_INT(eval_real(&fx, "rollback", true, "", DONE, e), 0);
	EXPECT_INT(e[0].verdict, CV_NO_MATCH);
	EXPECT_INT(e[0].fail_mask, DONE);
	EXPECT(e[0].has_value && !e[0].from_var);
	EXPECT_STR(e[0].value, "rollback");
	EXPECT(cond_any_evaluated(e, 1));
	cond_eval_free(e, 1);
}

TEST(real_action_that_matches_every_condition_fires)
{
	const char *type[] = { "deploy" }, *pid[] = { "4242" };
	const char *app[] = { "shop-api" };
	struct fixture fx = {0};
	struct cond_eval e[MAXC];

	add_cond(&fx, "action.type", type, 1);
	add_cond(&fx, "action.triggered_from.hook_parsed_variables.pipeline_id",
		 pid, 1);
	add_cond(&fx, "application.name", app, 1);
	add_cond(&fx, "pipeline.id", pid, 1);
	EXPECT_INT(eval_real(&fx, "deploy", true, "", DONE, e), DONE);
	for (int i = 0; i < 4; i++) {
		EXPECT_INT(e[i].verdict, CV_MATCH);
		EXPECT_INT(e[i].fail_mask, 0);
	}
	EXPECT_STR(e[1].value, "4242");
	EXPECT_STR(e[2].value, "shop-api");
	cond_eval_free(e, 4);
}

TEST(action_without_hook_variables_has_none_and_is_refused)
{
	const char *pid[] = { "4242" };
	struct fixture fx = {0};
	struct cond_eval e[MAXC];

	add_cond(&fx, "action.triggered_from.hook_parsed_variables.pipeline_id",
		 pid, 1);
	EXPECT_INT(eval_real(&fx, "deploy", false, "", ST_BIT(ST_COMPLETED), e),
		   0);
	EXPECT_INT(e[0].verdict, CV_NO_MATCH);
	EXPECT(!e[0].has_value);
	EXPECT(e[0].value == NULL);
	cond_eval_free(e, 1);
}

/* A path resolves as a template resolves it: a segment of digits indexes
 * an array, so the value judged is the one {{ path }} renders. */
TEST(a_path_into_an_array_is_read_as_templates_read_it)
{
	const char *label[] = { "hotfix" };
	const char *path = "action.triggered_from.hook_parsed_variables.labels.0";
	struct fixture fx = {0};
	struct cond_eval e[MAXC];
	cJSON *a = real_action("deploy", true, "");
	cJSON *hv = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(a, "triggered_from"),
		"hook_parsed_variables");
	const char *const labels[] = { "hotfix", "db" };
	struct vars *v;

	cJSON_AddItemToObject(hv, "labels", cJSON_CreateStringArray(labels, 2));
	v = vars_from_action(a, ST_COMPLETED);
	add_cond(&fx, path, label, 1);
	EXPECT_STR(vars_lookup(v, path, strlen(path)), "hotfix");
	EXPECT_INT(cond_evaluate(&fx.h, v, NULL, 0, DONE, e), DONE);
	EXPECT_INT(e[0].verdict, CV_MATCH);
	EXPECT_STR(e[0].value, "hotfix");
	cond_eval_free(e, 1);
	vars_free(v);
	cJSON_Delete(a);
}

TEST(what_the_action_does_not_carry_is_not_evaluated)
{
	const char *repo[] = { "acme/shop" }, *tok[] = { "x" };
	struct fixture fx = {0};
	struct cond_eval e[MAXC];

	add_cond(&fx, "application.repository", repo, 1);
	add_cond(&fx, "application.source_provider.access_token", tok, 1);
	EXPECT_INT(eval_real(&fx, "deploy", true, "", DONE, e), DONE);
	EXPECT_INT(e[0].verdict, CV_UNKNOWN);
	EXPECT_INT(e[1].verdict, CV_UNKNOWN);
	EXPECT(!cond_any_evaluated(e, 2));
	cond_eval_free(e, 2);
}

TEST(a_var_for_exactly_the_path_is_evaluated_on_the_sample)
{
	const char *type[] = { "deploy" }, *br[] = { "main" };
	const char *as[] = { "action.type=rollback", "action.typed=deploy" };
	struct fixture fx = {0};
	struct cond_eval e[MAXC];
	struct vars *v = vars_sample(ST_COMPLETED, 0);

	for (size_t i = 0; i < 2; i++)
		vars_set(v, as[i], NULL);
	add_cond(&fx, "action.type", type, 1);
	add_cond(&fx, "action.triggered_from.hook_parsed_variables.branch",
		 br, 1);
	EXPECT_INT(cond_evaluate(&fx.h, v, as, 2, DONE, e), 0);
	EXPECT_INT(e[0].verdict, CV_NO_MATCH);
	EXPECT(e[0].from_var);
	EXPECT_STR(e[0].value, "rollback");
	EXPECT_INT(e[1].verdict, CV_OFFLINE);
	cond_eval_free(e, 2);
	vars_free(v);
}

TEST(status_dependent_path_narrows_per_status)
{
	const char *human[] = { "Completed" };
	struct fixture fx = {0};
	struct cond_eval e[MAXC];

	add_cond(&fx, "action.status_human_readable", human, 1);
	EXPECT_INT(eval_real(&fx, "deploy", true, "", DONE, e),
		   ST_BIT(ST_COMPLETED));
	EXPECT_INT(e[0].verdict, CV_NO_MATCH);
	EXPECT_INT(e[0].fail_mask, ST_BIT(ST_FAILED));
	EXPECT_STR(e[0].value, "Failed");       /* at the status refused */
	cond_eval_free(e, 1);
}

TEST(a_secret_looking_value_is_redacted)
{
	const char *want[] = { "ok" };
	const char *tok = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
	struct fixture fx = {0};
	struct cond_eval e[MAXC];

	add_cond(&fx, "action.trigger_comment", want, 1);
	EXPECT_INT(eval_real(&fx, "deploy", true, tok, DONE, e), 0);
	EXPECT(e[0].value && !strstr(e[0].value, tok));
	EXPECT(e[0].value && strstr(e[0].value, "***"));
	cond_eval_free(e, 1);
}

TEST(a_hook_that_fires_on_nothing_still_gets_the_values)
{
	const char *type[] = { "deploy" };
	struct fixture fx = {0};
	struct cond_eval e[MAXC];

	add_cond(&fx, "action.type", type, 1);
	EXPECT_INT(eval_real(&fx, "rollback", true, "", 0, e), 0);
	EXPECT_INT(e[0].verdict, CV_NO_MATCH);
	EXPECT_STR(e[0].value, "rollback");
	cond_eval_free(e, 1);
}

int main(void)
{
	RUN(accepts_compares_strings_exactly_and_numbers_by_value);
	RUN(accepts_a_missing_or_null_value_only_by_null);
	RUN(accepts_nothing_without_accepted_values);
	RUN(sample_action_evaluates_nothing_but_action_status);
	RUN(real_action_of_another_type_stops_the_hook);
	RUN(real_action_that_matches_every_condition_fires);
	RUN(action_without_hook_variables_has_none_and_is_refused);
	RUN(a_path_into_an_array_is_read_as_templates_read_it);
	RUN(what_the_action_does_not_carry_is_not_evaluated);
	RUN(a_var_for_exactly_the_path_is_evaluated_on_the_sample);
	RUN(status_dependent_path_narrows_per_status);
	RUN(a_secret_looking_value_is_redacted);
	RUN(a_hook_that_fires_on_nothing_still_gets_the_values);
	return unit_done();
}
