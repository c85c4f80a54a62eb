/*
 * test_checks_hook.c - the hook and template checks (HD101, HD107-HD114,
 * HD201-HD205) on hand-built facts: a struct hook, the firing analysis,
 * template sites and rendered requests, without loading a file.
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "unit.h"

/* --- building facts --- */

struct fixture {
	struct hook h;
	struct options o;
	struct analysis a;
	struct finding f;
	struct hd_header hdr[4];
	struct hd_condition cond[2];
	char *vals[4];
	char *events[4];
	struct tmpl_site site[4];
	struct request req[2];
};

static void fx_init(struct fixture *x)
{
	memset(x, 0, sizeof(*x));
	x->h.name = "GitHub CI(build)";
	x->h.target_url = "https://api.github.com/repos/acme/shop/statuses/"
			  "{{ action.triggered_from.hook_parsed_variables.commit_hash }}";
	x->h.active = -1;
	x->h.verify_ssl = -1;
	x->h.has_events = true;
	x->events[0] = "action.started";
	x->h.events = x->events;
	x->h.nevents = 1;
	x->a.hook = &x->h;
	x->a.opts = &x->o;
	x->a.firing.mask = x->a.firing.events_mask = ST_BIT(ST_IN_PROGRESS);
}

static void fx_events(struct fixture *x, const char *e0, const char *e1)
{
	x->events[0] = (char *)e0;
	x->events[1] = (char *)e1;
	x->h.nevents = e1 ? 2 : (e0 ? 1 : 0);
}

/* Adds a template site scanned from text. */
static void fx_site(struct fixture *x, const char *field, const char *text,
		    bool in_body_string)
{
	struct tmpl_site *s = &x->site[x->a.nsites++];

	s->field = (char *)field;
	s->text = text;
	s->in_body_string = in_body_string;
	tmpl_scan(text, &s->scan);
	x->a.sites = x->site;
}

static enum check_status fx_run(struct fixture *x, hook_check_fn fn,
				const char *id)
{
	finding_clear(&x->f);
	x->f.def = check_find(id);
	x->f.status = fn(&x->a, &x->f);
	return x->f.status;
}

static void fx_free(struct fixture *x)
{
	for (size_t i = 0; i < x->a.nsites; i++)
		tmpl_scan_free(&x->site[i].scan);
	if (x->a.vars)
		vars_free(x->a.vars);
	finding_clear(&x->f);
}

static const char *ev(const struct finding *f, const char *key)
{
	const cJSON *v = f->evidence
		? cJSON_GetObjectItemCaseSensitive(f->evidence, key) : NULL;

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int has(const char *s, const char *part)
{
	return s && strstr(s, part) != NULL;
}

/* --- HD101 --- */

TEST(pipeline_id_accepts_positive_integer)
{
	struct fixture x;

	fx_init(&x);
	x.o.pipeline = "289542";
	EXPECT_INT(fx_run(&x, hd101, "HD101"), CS_PASS);
	fx_free(&x);
}

TEST(pipeline_id_uuid_is_named_a_hook_id)
{
	struct fixture x;

	fx_init(&x);
	x.o.pipeline = "f1a61a4e-4d08-11eb-9481-0242ac130004";
	EXPECT_INT(fx_run(&x, hd101, "HD101"), CS_FAIL);
	EXPECT(has(x.f.message, "looks like a hook ID (a UUID)"));
	EXPECT(x.f.hint != NULL);
	fx_free(&x);
}

TEST(pipeline_id_rejects_sign_zero_and_overflow)
{
	struct fixture x;

	fx_init(&x);
	x.o.pipeline = "-3";
	EXPECT_INT(fx_run(&x, hd101, "HD101"), CS_FAIL);
	x.o.pipeline = "0";
	EXPECT_INT(fx_run(&x, hd101, "HD101"), CS_FAIL);
	x.o.pipeline = "9223372036854775808";
	EXPECT_INT(fx_run(&x, hd101, "HD101"), CS_FAIL);
	x.o.pipeline = "9223372036854775807";
	EXPECT_INT(fx_run(&x, hd101, "HD101"), CS_PASS);
	fx_free(&x);
}

TEST(pipeline_id_skips_without_one)
{
	struct fixture x;

	fx_init(&x);
	EXPECT_INT(fx_run(&x, hd101, "HD101"), CS_SKIP);
	EXPECT(has(x.f.message, "--pipeline"));
	fx_free(&x);
}

TEST(pipeline_id_option_differing_from_hook_warns)
{
	struct fixture x;

	fx_init(&x);
	x.o.pipeline = "12";
	x.h.has_pipeline_id = true;
	x.h.pipeline_id = "13";
	EXPECT_INT(fx_run(&x, hd101, "HD101"), CS_WARN);
	EXPECT(has(x.f.message, "13"));
	x.h.pipeline_id = "12";
	EXPECT_INT(fx_run(&x, hd101, "HD101"), CS_PASS);
	fx_free(&x);
}

/* --- HD107 --- */

TEST(name_counts_characters_not_bytes)
{
	struct fixture x;
	char name[200] = "";

	fx_init(&x);
	for (int i = 0; i < 60; i++)
		strcat(name, "\xc3\xa9");          /* é: 2 bytes */
	x.h.name = name;
	EXPECT_INT(fx_run(&x, hd107, "HD107"), CS_PASS);
	strcat(name, "e");
	EXPECT_INT(fx_run(&x, hd107, "HD107"), CS_FAIL);
	EXPECT(has(x.f.message, "61"));
	fx_free(&x);
}

TEST(name_missing_or_blank_fails)
{
	struct fixture x;

	fx_init(&x);
	x.h.name = NULL;
	EXPECT_INT(fx_run(&x, hd107, "HD107"), CS_FAIL);
	x.h.name = "   ";
	EXPECT_INT(fx_run(&x, hd107, "HD107"), CS_FAIL);
	fx_free(&x);
}

/* --- HD108 --- */

TEST(events_typo_suggests_nearest)
{
	struct fixture x;

	fx_init(&x);
	fx_events(&x, "action.complete", NULL);
	EXPECT_INT(fx_run(&x, hd108, "HD108"), CS_FAIL);
	EXPECT(has(x.f.message, "action.complete"));
	EXPECT(has(x.f.hint, "\"action.completed\""));
	fx_events(&x, "action.success", NULL);
	fx_run(&x, hd108, "HD108");
	EXPECT(has(x.f.hint, "\"action.completed\""));
	fx_events(&x, "failed", NULL);
	fx_run(&x, hd108, "HD108");
	EXPECT(has(x.f.hint, "\"action.failed\""));
	fx_free(&x);
}

TEST(events_empty_or_missing_fails)
{
	struct fixture x;

	fx_init(&x);
	fx_events(&x, NULL, NULL);
	EXPECT_INT(fx_run(&x, hd108, "HD108"), CS_FAIL);
	EXPECT(has(x.f.message, "never fires"));
	x.h.has_events = false;
	EXPECT_INT(fx_run(&x, hd108, "HD108"), CS_FAIL);
	fx_free(&x);
}

TEST(events_known_pass)
{
	struct fixture x;

	fx_init(&x);
	fx_events(&x, "action.started", "action.failed");
	EXPECT_INT(fx_run(&x, hd108, "HD108"), CS_PASS);
	fx_free(&x);
}

/* --- HD109 --- */

static enum check_status run_group(struct group *g, struct finding *f)
{
	finding_clear(f);
	f->def = check_find("HD109");
	f->status = hd109(g, f);
	return f->status;
}

TEST(terminal_events_names_the_uncovered_outcome)
{
	struct member m[2] = {
		{.hook_name = "started", .fired = ST_BIT(ST_IN_PROGRESS)},
		{.hook_name = "completed", .fired = ST_BIT(ST_COMPLETED)},
	};
	struct group g = {.repo = "acme/shop on api.github.com",
			  .members = m, .nmembers = 2};
	struct finding f = {0};

	EXPECT_INT(run_group(&g, &f), CS_FAIL);
	EXPECT(has(f.message, "no hook fires on failed"));
	EXPECT(has(f.message, "pending"));
	EXPECT(f.hint && has(f.hint, "action.failed"));
	finding_clear(&f);
}

TEST(terminal_events_pass_across_hooks)
{
	struct member m[3] = {
		{.hook_name = "started", .fired = ST_BIT(ST_IN_PROGRESS)},
		{.hook_name = "completed", .fired = ST_BIT(ST_COMPLETED)},
		{.hook_name = "failed", .fired = ST_BIT(ST_FAILED)},
	};
	struct group g = {.members = m, .nmembers = 3};
	struct finding f = {0};

	EXPECT_INT(run_group(&g, &f), CS_PASS);
	g.nmembers = 1;
	EXPECT_INT(run_group(&g, &f), CS_FAIL);
	EXPECT(has(f.message, "completed or failed"));
	finding_clear(&f);
}

/* --- HD110 --- */

TEST(duplicate_events_name_status_and_events)
{
	struct fixture x;

	fx_init(&x);
	fx_events(&x, "action.status_changed", "action.completed");
	x.a.firing.twice_mask = ST_BIT(ST_COMPLETED);
	EXPECT_INT(fx_run(&x, hd110, "HD110"), CS_WARN);
	EXPECT(has(x.f.message, "completed"));
	EXPECT(has(x.f.message, "action.status_changed and action.completed"));
	x.a.firing.twice_mask = 0;
	EXPECT_INT(fx_run(&x, hd110, "HD110"), CS_PASS);
	fx_free(&x);
}

/* --- HD111 --- */

TEST(target_url_https_passes_http_fails)
{
	struct fixture x;

	fx_init(&x);
	EXPECT_INT(fx_run(&x, hd111, "HD111"), CS_PASS);
	x.h.target_url = "http://api.github.com/repos/a/b/statuses/abc";
	EXPECT_INT(fx_run(&x, hd111, "HD111"), CS_FAIL);
	EXPECT(has(x.f.message, "in clear"));
	fx_free(&x);
}

TEST(target_url_judges_the_rendered_url)
{
	struct fixture x;

	fx_init(&x);
	x.h.target_url = "{{ application.repository }}";
	x.req[0].url = "https://user:pw@api.github.com/repos/a/b/statuses/abc";
	x.a.req = x.req;
	x.a.nreq = x.a.nprimary = 1;
	EXPECT_INT(fx_run(&x, hd111, "HD111"), CS_FAIL);
	EXPECT(has(x.f.message, "credentials"));
	EXPECT(!has(x.f.message, "pw@"));
	fx_free(&x);
}

TEST(target_url_bad_shapes_fail)
{
	struct fixture x;

	fx_init(&x);
	x.h.target_url = NULL;
	EXPECT_INT(fx_run(&x, hd111, "HD111"), CS_FAIL);
	x.h.target_url = "api.github.com/repos/a/b/statuses/abc";
	EXPECT_INT(fx_run(&x, hd111, "HD111"), CS_FAIL);
	EXPECT(has(x.f.message, "absolute"));
	x.h.target_url = "https://<target_url>/abc";
	EXPECT_INT(fx_run(&x, hd111, "HD111"), CS_FAIL);
	EXPECT(has(x.f.message, "placeholder"));
	x.h.target_url = "https://api.github.com/repos/a/b c/statuses";
	EXPECT_INT(fx_run(&x, hd111, "HD111"), CS_FAIL);
	EXPECT(has(x.f.message, "space"));
	fx_free(&x);
}

TEST(target_url_host_from_template_warns)
{
	struct fixture x;

	fx_init(&x);
	x.h.target_url = "https://{{ environment.name }}.example.com/statuses";
	x.req[0].url = "https://production.example.com/statuses";
	x.a.req = x.req;
	x.a.nreq = x.a.nprimary = 1;
	EXPECT_INT(fx_run(&x, hd111, "HD111"), CS_WARN);
	fx_free(&x);
}

/* --- HD112 --- */

TEST(verify_ssl_false_warns)
{
	struct fixture x;

	fx_init(&x);
	EXPECT_INT(fx_run(&x, hd112, "HD112"), CS_PASS);
	x.h.verify_ssl = 0;
	EXPECT_INT(fx_run(&x, hd112, "HD112"), CS_WARN);
	fx_free(&x);
}

/* --- HD113 --- */

static void fx_cond(struct fixture *x, const char *path, const char *v0)
{
	x->vals[0] = (char *)v0;
	x->cond[0].path = (char *)path;
	x->cond[0].values = x->vals;
	x->cond[0].nvalues = v0 ? 1 : 0;
	x->h.conds = x->cond;
	x->h.nconds = 1;
}

TEST(conditions_guide_pipeline_condition_passes)
{
	struct fixture x;

	fx_init(&x);
	fx_cond(&x, "action.triggered_from.hook_parsed_variables.pipeline_id",
		"289542");
	x.a.firing.other_conditions = true;
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_PASS);
	EXPECT(has(x.f.message, "depends on the action and could not be "
		   "evaluated offline"));
	x.o.pipeline = "289542";
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_PASS);
	x.o.pipeline = "7";
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_WARN);
	fx_free(&x);
}

TEST(conditions_status_typo_suggests_status)
{
	struct fixture x;

	fx_init(&x);
	fx_events(&x, "action.status_changed", NULL);
	fx_cond(&x, "action.status", "success");
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_WARN);
	EXPECT(has(x.f.message, "\"success\""));
	EXPECT(has(x.f.hint, "\"completed\""));
	fx_free(&x);
}

TEST(conditions_empty_values_and_unknown_path_warn)
{
	struct fixture x;

	fx_init(&x);
	fx_cond(&x, "action.status", NULL);
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_WARN);
	EXPECT(has(x.f.message, "never matches"));
	fx_cond(&x, "action.statuss", "completed");
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_WARN);
	EXPECT(has(x.f.message, "action.statuss"));
	fx_free(&x);
}

TEST(conditions_that_exclude_every_fired_status_warn)
{
	struct fixture x;

	fx_init(&x);
	fx_cond(&x, "action.status", "completed");
	x.a.firing.events_mask = ST_BIT(ST_IN_PROGRESS);
	x.a.firing.mask = 0;
	x.a.firing.status_condition = true;
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_WARN);
	EXPECT(has(x.f.message, "never fires"));
	fx_free(&x);
}

/* Conditions evaluated against a real action (conditions.c): the check
 * reads the verdicts, the value and the statuses left. */
static void fx_eval(struct fixture *x, struct cond_eval *e,
		    enum cond_verdict v, const char *value, unsigned fail)
{
	memset(e, 0, sizeof(*e));
	e->verdict = v;
	e->has_value = value != NULL;
	e->value = value ? xstrdup(value) : NULL;
	e->fail_mask = fail;
	x->a.cond = e;
	x->a.ncond = 1;
	x->a.cond_judged = v == CV_MATCH || v == CV_NO_MATCH;
	x->a.action_id = "81234";
	x->a.fires_for_action = x->a.firing.mask & ~fail;
}

TEST(conditions_refusing_the_real_action_warn_naming_value)
{
	struct fixture x;
	struct cond_eval e;

	fx_init(&x);
	fx_cond(&x, "action.type", "deploy");
	fx_eval(&x, &e, CV_NO_MATCH, "rollback", x.a.firing.mask);
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_WARN);
	EXPECT(has(x.f.message, "the hook does not fire for action 81234: "
		   "trigger_when.conditions[0] accepts action.type in "
		   "[\"deploy\"], and the action's is \"rollback\""));
	EXPECT(has(x.f.hint, "add \"rollback\" to the accepted_values"));
	cond_eval_free(&e, 1);
	fx_free(&x);
}

TEST(conditions_refusing_some_statuses_name_them)
{
	struct fixture x;
	struct cond_eval e;

	fx_init(&x);
	fx_events(&x, "action.completed", "action.failed");
	x.a.firing.mask = x.a.firing.events_mask =
		ST_BIT(ST_COMPLETED) | ST_BIT(ST_FAILED);
	fx_cond(&x, "action.status_human_readable", "Completed");
	fx_eval(&x, &e, CV_NO_MATCH, "Failed", ST_BIT(ST_FAILED));
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_WARN);
	EXPECT(has(x.f.message, "does not fire on failed for action 81234"));
	cond_eval_free(&e, 1);
	fx_free(&x);
}

TEST(conditions_without_the_value_say_none)
{
	struct fixture x;
	struct cond_eval e;

	fx_init(&x);
	fx_cond(&x, "action.triggered_from.hook_parsed_variables.pipeline_id",
		"4242");
	fx_eval(&x, &e, CV_NO_MATCH, NULL, x.a.firing.mask);
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_WARN);
	EXPECT(has(x.f.message, "the action's is none (null)"));
	EXPECT(has(x.f.hint, "lets through only actions that carry"));
	cond_eval_free(&e, 1);
	fx_free(&x);
}

TEST(conditions_met_or_not_carried_pass_and_say_so)
{
	struct fixture x;
	struct cond_eval e;

	fx_init(&x);
	fx_cond(&x, "action.type", "deploy");
	fx_eval(&x, &e, CV_MATCH, "deploy", 0);
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_PASS);
	EXPECT(has(x.f.message, "1 met for action 81234"));
	cond_eval_free(&e, 1);
	fx_cond(&x, "application.repository", "acme/shop");
	fx_eval(&x, &e, CV_UNKNOWN, NULL, 0);
	EXPECT_INT(fx_run(&x, hd113, "HD113"), CS_PASS);
	EXPECT(has(x.f.message, "1 not evaluated (the action does not carry "
		   "the value)"));
	cond_eval_free(&e, 1);
	fx_free(&x);
}

/* --- HD114 --- */

TEST(schema_issue_named_with_path_and_position)
{
	struct fixture x;
	struct schema_issue is[2] = {
		{.path = "settings.request_headers", .message = "must be an "
		 "array of {name, value}", .line = 7, .col = 24},
		{.path = "active", .message = "must be a boolean"},
	};

	fx_init(&x);
	EXPECT_INT(fx_run(&x, hd114, "HD114"), CS_PASS);
	x.h.schema_issues = is;
	x.h.nschema_issues = 2;
	EXPECT_INT(fx_run(&x, hd114, "HD114"), CS_FAIL);
	EXPECT(has(x.f.message, "settings.request_headers (7:24)"));
	EXPECT_STR(ev(&x.f, "other_issues"), "1");
	fx_free(&x);
}

/* --- HD201, HD202 --- */

TEST(template_syntax_names_field_and_offset)
{
	struct fixture x;

	fx_init(&x);
	fx_site(&x, "target_url", x.h.target_url, false);
	EXPECT_INT(fx_run(&x, hd201, "HD201"), CS_PASS);
	fx_site(&x, "settings.request_body.target_url",
		"https://app.devopness.com/actions/{{ action.id", false);
	EXPECT_INT(fx_run(&x, hd201, "HD201"), CS_FAIL);
	EXPECT(has(x.f.message, "settings.request_body.target_url, offset 34"));
	EXPECT_STR(ev(&x.f, "offset"), "34");
	fx_free(&x);
}

TEST(template_variables_unknown_fails_with_suggestion)
{
	struct fixture x;

	fx_init(&x);
	fx_site(&x, "target_url", x.h.target_url, false);
	EXPECT_INT(fx_run(&x, hd202, "HD202"), CS_PASS);
	fx_site(&x, "settings.request_body.target_url",
		"https://app.devopness.com/actions/{{ action.idd }}", false);
	EXPECT_INT(fx_run(&x, hd202, "HD202"), CS_FAIL);
	EXPECT(has(x.f.message, "{{ action.idd }}"));
	EXPECT(has(x.f.hint, "did you mean"));
	fx_free(&x);
}

/* --- HD203 --- */

TEST(template_values_empty_commit_hash_warns)
{
	struct fixture x;
	struct hd_error err;

	fx_init(&x);
	fx_site(&x, "target_url", x.h.target_url, false);
	x.a.vars = vars_sample(ST_IN_PROGRESS, 0);
	EXPECT_INT(fx_run(&x, hd203, "HD203"), CS_PASS);
	EXPECT_INT(vars_set(x.a.vars, "action.triggered_from."
			    "hook_parsed_variables.commit_hash=", &err), 0);
	EXPECT_INT(fx_run(&x, hd203, "HD203"), CS_WARN);
	EXPECT(has(x.f.message, "commit_hash"));
	EXPECT(has(x.f.hint, "incoming hook"));
	fx_free(&x);
}

TEST(template_values_skip_without_action)
{
	struct fixture x;

	fx_init(&x);
	EXPECT_INT(fx_run(&x, hd203, "HD203"), CS_SKIP);
	fx_free(&x);
}

/* --- HD204 --- */

TEST(body_string_broken_by_commit_message_fails)
{
	static const char body[] = "{\"state\": \"success\", \"description\": "
		"\"{{ action.action_data.commit.message }}\"}";
	struct fixture x;
	cJSON *str = cJSON_CreateString(body);

	fx_init(&x);
	x.h.body_kind = BODY_STRING;
	x.h.body = str;
	fx_site(&x, "settings.request_body", body, true);
	x.a.vars = vars_sample(ST_IN_PROGRESS, 0);
	x.req[0].status = ST_IN_PROGRESS;
	x.req[0].body = "{\"description\": \"Fix \"x\"\"}";
	x.req[0].body_error = "expected ',' or '}' at offset 22";
	x.a.req = x.req;
	x.a.nreq = x.a.nprimary = 1;
	EXPECT_INT(fx_run(&x, hd204, "HD204"), CS_FAIL);
	EXPECT(has(x.f.message, "{{ action.action_data.commit.message }}"));
	EXPECT(has(x.f.message, "expected ','"));
	cJSON_Delete(str);
	fx_free(&x);
}

TEST(body_object_passes_and_no_body_skips)
{
	struct fixture x;

	fx_init(&x);
	EXPECT_INT(fx_run(&x, hd204, "HD204"), CS_SKIP);
	x.h.body_kind = BODY_OBJECT;
	EXPECT_INT(fx_run(&x, hd204, "HD204"), CS_PASS);
	EXPECT(has(x.f.message, "escaped"));
	fx_free(&x);
}

/* --- HD205 --- */

#define FAKE_GHP "ghp_" "Zq3xT9mK2vL8pR4wY6nB1cD5fG7hJ0sA2eU4"

TEST(inline_token_in_header_warns_without_revealing_it)
{
	struct fixture x;

	fx_init(&x);
	x.hdr[0] = (struct hd_header){.name = "Authorization",
				      .value = "Bearer " FAKE_GHP};
	x.h.headers = x.hdr;
	x.h.nheaders = 1;
	EXPECT_INT(fx_run(&x, hd205, "HD205"), CS_WARN);
	EXPECT(has(x.f.message, "ghp_"));
	EXPECT(has(x.f.message, "Authorization"));
	EXPECT(!has(x.f.message, FAKE_GHP));
	{
		char *all = x.f.evidence ? cJSON_PrintUnformatted(x.f.evidence)
					 : NULL;

		EXPECT(!has(all, FAKE_GHP));
		EXPECT(!has(x.f.hint, FAKE_GHP));
		free(all);
	}
	fx_free(&x);
}

TEST(literal_bearer_credential_warns_template_passes)
{
	struct fixture x;

	fx_init(&x);
	x.hdr[0] = (struct hd_header){.name = "Authorization",
		.value = "Bearer abcdefghijklmnopqrstuvwxyz0123"};
	x.h.headers = x.hdr;
	x.h.nheaders = 1;
	EXPECT_INT(fx_run(&x, hd205, "HD205"), CS_WARN);
	EXPECT(!has(x.f.message, "abcdefghij"));
	x.hdr[0].value = "Bearer {{ application.source_provider.access_token }}";
	EXPECT_INT(fx_run(&x, hd205, "HD205"), CS_PASS);
	fx_free(&x);
}

TEST(token_in_url_query_fails)
{
	struct fixture x;

	fx_init(&x);
	x.h.target_url = "https://gitlab.com/api/v4/projects/1/statuses/"
			 "{{ action.action_data.commit.hash }}"
			 "?private_token=s3cr3tvalue&state=success";
	EXPECT_INT(fx_run(&x, hd205, "HD205"), CS_FAIL);
	EXPECT(has(x.f.message, "private_token"));
	EXPECT(!has(x.f.message, "s3cr3tvalue"));
	x.h.target_url = "https://gitlab.com/api/v4/projects/1/statuses/abc"
			 "?private_token={{ application.source_provider."
			 "access_token }}";
	EXPECT_INT(fx_run(&x, hd205, "HD205"), CS_FAIL);
	fx_free(&x);
}

int main(void)
{
	RUN(pipeline_id_accepts_positive_integer);
	RUN(pipeline_id_uuid_is_named_a_hook_id);
	RUN(pipeline_id_rejects_sign_zero_and_overflow);
	RUN(pipeline_id_skips_without_one);
	RUN(pipeline_id_option_differing_from_hook_warns);
	RUN(name_counts_characters_not_bytes);
	RUN(name_missing_or_blank_fails);
	RUN(events_typo_suggests_nearest);
	RUN(events_empty_or_missing_fails);
	RUN(events_known_pass);
	RUN(terminal_events_names_the_uncovered_outcome);
	RUN(terminal_events_pass_across_hooks);
	RUN(duplicate_events_name_status_and_events);
	RUN(target_url_https_passes_http_fails);
	RUN(target_url_judges_the_rendered_url);
	RUN(target_url_bad_shapes_fail);
	RUN(target_url_host_from_template_warns);
	RUN(verify_ssl_false_warns);
	RUN(conditions_guide_pipeline_condition_passes);
	RUN(conditions_status_typo_suggests_status);
	RUN(conditions_empty_values_and_unknown_path_warn);
	RUN(conditions_that_exclude_every_fired_status_warn);
	RUN(conditions_refusing_the_real_action_warn_naming_value);
	RUN(conditions_refusing_some_statuses_name_them);
	RUN(conditions_without_the_value_say_none);
	RUN(conditions_met_or_not_carried_pass_and_say_so);
	RUN(schema_issue_named_with_path_and_position);
	RUN(template_syntax_names_field_and_offset);
	RUN(template_variables_unknown_fails_with_suggestion);
	RUN(template_values_empty_commit_hash_warns);
	RUN(template_values_skip_without_action);
	RUN(body_string_broken_by_commit_message_fails);
	RUN(body_object_passes_and_no_body_skips);
	RUN(inline_token_in_header_warns_without_revealing_it);
	RUN(literal_bearer_credential_warns_template_passes);
	RUN(token_in_url_query_fails);
	return unit_done();
}
