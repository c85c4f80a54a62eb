/*
 * test_hook.c - the loader accepts both Devopness hook shapes and arrays of
 * them, stops on what it cannot use with "FILE:LINE:COL: path: message",
 * and keeps schema slips (with suggestions) for HD114.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hook.h"
#include "redact.h"
#include "unit.h"

static char msg[1024];
static struct hook_input cur;   /* kept open: hooks borrow its text */
static int cur_open;

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "wb");

	if (!f) {
		perror(name);
		exit(3);
	}
	fwrite(text, 1, strlen(text), f);
	fclose(f);
}

static void close_cur(void)
{
	if (cur_open)
		hook_input_close(&cur);
	cur_open = 0;
}

/* Opens text as h.json; -2 when opening failed (msg says why). */
static int open_text(const char *text)
{
	struct hd_error err = {{0}};

	close_cur();
	msg[0] = '\0';
	write_file("h.json", text);
	if (hook_input_open(&cur, "h.json", &err) < 0) {
		snprintf(msg, sizeof(msg), "%s", err.msg);
		return -2;
	}
	cur_open = 1;
	return 0;
}

/* The next hook: 1, 0 at the end, -1 with msg set. */
static int next(struct hook *h)
{
	struct hd_error err = {{0}};
	int rc = hook_input_next(&cur, h, &err);

	if (rc < 0)
		snprintf(msg, sizeof(msg), "%s", err.msg);
	return rc;
}

/* Loads the first hook of text: 1, -1 (hook unusable), -2 (bad file). */
static int load(const char *text, struct hook *h)
{
	memset(h, 0, sizeof(*h));
	if (open_text(text) < 0)
		return -2;
	return next(h);
}

#define EXPECT_MSG(want)                                                  \
	do {                                                              \
		if (strcmp(msg, want) != 0) {                             \
			printf("  %s:%d: got \"%s\"\n       want \"%s\"\n", \
			       __FILE__, __LINE__, msg, want);            \
			unit_cur_failed = 1;                              \
		}                                                         \
	} while (0)

#define EXPECT_HAS(s, part)                                               \
	do {                                                              \
		const char *s_ = (s);                                     \
		if (!s_ || !strstr(s_, part)) {                           \
			printf("  %s:%d: \"%s\" lacks \"%s\"\n", __FILE__,  \
			       __LINE__, s_ ? s_ : "(null)", part);       \
			unit_cur_failed = 1;                              \
		}                                                         \
	} while (0)

/* The schema issue at path, or NULL. */
static const struct schema_issue *issue_at(const struct hook *h,
					   const char *path)
{
	for (size_t i = 0; i < h->nschema_issues; i++)
		if (strcmp(h->schema_issues[i].path, path) == 0)
			return &h->schema_issues[i];
	return NULL;
}

/* A HookPipelineCreate body as a user POSTs it. */
static const char *create_body =
	"{\n"
	"  \"name\": \"GitHub CI(build)\",\n"
	"  \"active\": true,\n"
	"  \"pipeline_id\": 4242,\n"
	"  \"target_url\": \"https://api.github.com/repos/a/b/statuses/x\",\n"
	"  \"settings\": {\n"
	"    \"request_headers\": [\n"
	"      {\"name\": \"Authorization\", \"value\": \"Bearer t\"},\n"
	"      {\"name\": \"Accept\", \"value\": \"application/json\"}\n"
	"    ],\n"
	"    \"request_body\": {\"state\": \"pending\", \"context\": \"ci\"}\n"
	"  },\n"
	"  \"trigger_when\": {\n"
	"    \"events\": [\"action.started\", \"action.failed\"],\n"
	"    \"conditions\": [\n"
	"      {\"path\": \"action.status\", \"accepted_values\": [\"failed\", 7, "
	"true, null]}\n"
	"    ]\n"
	"  }\n"
	"}\n";

TEST(loads_a_hook_pipeline_create_body)
{
	struct hook h;

	EXPECT_INT(load(create_body, &h), 1);
	EXPECT_STR(h.source, "file:h.json#0");
	EXPECT_STR(h.file, "h.json");
	EXPECT_INT(h.index, 0);
	EXPECT_INT(h.line, 1);
	EXPECT_INT(h.col, 1);
	EXPECT_STR(h.name, "GitHub CI(build)");
	EXPECT_STR(h.target_url, "https://api.github.com/repos/a/b/statuses/x");
	EXPECT(h.type == NULL && h.id == NULL);
	EXPECT(h.has_pipeline_id);
	EXPECT_STR(h.pipeline_id, "4242");
	EXPECT_INT(h.active, 1);
	EXPECT_INT(h.verify_ssl, -1);
	EXPECT_INT(h.nheaders, 2);
	if (h.nheaders == 2) {
		EXPECT_STR(h.headers[1].name, "Accept");
		EXPECT_STR(h.headers[1].value, "application/json");
		EXPECT_INT(h.headers[1].line, 9);
		EXPECT_INT(h.headers[1].col, 7);
	}
	EXPECT_INT(h.body_kind, BODY_OBJECT);
	EXPECT(h.body && cJSON_IsObject(h.body));
	EXPECT_INT(h.body_line, 11);
	EXPECT_INT(h.body_col, 21);
	EXPECT(h.has_events);
	EXPECT_INT(h.nevents, 2);
	if (h.nevents == 2)
		EXPECT_STR(h.events[1], "action.failed");
	EXPECT_INT(h.nconds, 1);
	if (h.nconds == 1) {
		EXPECT_STR(h.conds[0].path, "action.status");
		EXPECT_INT(h.conds[0].nvalues, 4);
		if (h.conds[0].nvalues == 4) {
			EXPECT_STR(h.conds[0].values[0], "failed");
			EXPECT_STR(h.conds[0].values[1], "7");
			EXPECT_STR(h.conds[0].values[2], "true");
			EXPECT_STR(h.conds[0].values[3], "null");
		}
		EXPECT_INT(h.conds[0].line, 16);
		EXPECT_INT(h.conds[0].col, 7);
	}
	EXPECT_INT(h.nschema_issues, 0);
	EXPECT_INT(next(&h), 0);
	hook_free(&h);
}

TEST(loads_a_hook_object_as_the_api_returns_it)
{
	struct hook h;

	EXPECT_INT(load("{\"id\": \"f1a61a4e-4d08-11eb-9481-0242ac130004\",\n"
			" \"name\": \"n\", \"type\": \"out\", \"action_type\": "
			"\"deploy\",\n \"url\": null, \"target_url\": "
			"\"https://x.test/s\",\n \"is_auto_generated\": false, "
			"\"requires_secret\": false, \"verify_ssl\": false,\n"
			" \"active\": true, \"project_id\": 1, \"environment_id\""
			": 2, \"pipeline_id\": 3,\n \"resource_type\": "
			"\"application\", \"resource_id\": 4,\n \"settings\": "
			"{\"request_headers\": [], \"request_body\": \"{}\"},\n"
			" \"trigger_when\": {\"events\": [], \"conditions\": []},\n"
			" \"secret\": null, \"secret_algorithm\": null, "
			"\"secret_header_name\": null,\n \"created_by_user\": "
			"{\"id\": 1}, \"created_at\": \"2024-01-01\", "
			"\"updated_at\": \"2024-01-02\"}", &h), 1);
	EXPECT_STR(h.id, "f1a61a4e-4d08-11eb-9481-0242ac130004");
	EXPECT_STR(h.type, "out");
	EXPECT_INT(h.verify_ssl, 0);
	EXPECT_STR(h.pipeline_id, "3");
	EXPECT_INT(h.body_kind, BODY_STRING);
	EXPECT(h.has_events);
	EXPECT_INT(h.nevents, 0);
	EXPECT_INT(h.nheaders, 0);
	EXPECT_INT(h.nschema_issues, 0);
	for (size_t i = 0; i < h.nschema_issues; i++)
		printf("  unexpected issue %s: %s\n", h.schema_issues[i].path,
		       h.schema_issues[i].message);
	hook_free(&h);
}

TEST(loads_an_array_of_hooks_with_positions_and_sources)
{
	struct hook h;
	int n = 0;

	EXPECT_INT(open_text("[\n  {\"name\": \"a\"},\n\n  {\"name\": \"b\",\n"
			     "   \"settings\": {\"request_body\": [{\"x\": 1}]}},"
			     "\n  {\"name\": \"c\"}\n]\n"), 0);
	EXPECT_INT(cur.count, 3);
	while (next(&h) == 1) {
		if (n == 1) {
			EXPECT_STR(h.source, "file:h.json#1");
			EXPECT_STR(h.name, "b");
			EXPECT_INT(h.line, 4);
			EXPECT_INT(h.col, 3);
			EXPECT_INT(h.body_kind, BODY_ARRAY);
			EXPECT_INT(h.body_line, 5);
			EXPECT_INT(h.body_col, 33);
		}
		if (n == 2) {
			EXPECT_INT(h.index, 2);
			EXPECT_INT(h.line, 6);
		}
		hook_free(&h);
		n++;
	}
	EXPECT_INT(n, 3);
	/* rewinding, as cmd_open_input() does, gives the same positions */
	cur.next = 1;
	EXPECT_INT(next(&h), 1);
	EXPECT_INT(h.line, 4);
	hook_free(&h);
}

TEST(keeps_the_guides_fields)
{
	struct hook h;

	EXPECT_INT(load("{\"name\": \"GitHub CI(build)\", \"action_type\": "
			"\"deploy\", \"resource_type\": \"application\", "
			"\"resource_id\": 9, \"target_url\": \"https://x/y\", "
			"\"pipeline_id\": \"4242\"}", &h), 1);
	EXPECT_STR(h.pipeline_id, "4242");
	EXPECT_INT(h.nschema_issues, 0);
	EXPECT(!h.has_events);
	EXPECT_INT(h.body_kind, BODY_NONE);
	hook_free(&h);
}

TEST(keeps_pipeline_id_as_written)
{
	struct hook h;

	EXPECT_INT(load("{\"pipeline_id\": \"f1a61a4e-4d08-11eb-9481-"
			"0242ac130004\"}", &h), 1);
	EXPECT_STR(h.pipeline_id, "f1a61a4e-4d08-11eb-9481-0242ac130004");
	hook_free(&h);
	EXPECT_INT(load("{\"pipeline_id\": 4242.0}", &h), 1);
	EXPECT_STR(h.pipeline_id, "4242");
	hook_free(&h);
	EXPECT_INT(load("{\"pipeline_id\": 42.5}", &h), 1);
	EXPECT_STR(h.pipeline_id, "42.5");
	hook_free(&h);
	EXPECT_INT(load("{\"pipeline_id\": 123456789012345678901234}", &h), 1);
	EXPECT_STR(h.pipeline_id, "123456789012345678901234");
	hook_free(&h);
	EXPECT_INT(load("{\"pipeline_id\": null}", &h), 1);
	EXPECT(!h.has_pipeline_id && !h.pipeline_id);
	hook_free(&h);
}

TEST(names_the_json_slip_with_file_line_col)
{
	struct hook h;

	EXPECT_INT(load("{\n  \"settings\": {\n    \"request_body\": {\n"
			"      \"key\": \"ci\",\n    }\n  }\n}\n", &h), -2);
	EXPECT_MSG("h.json:4:18: trailing comma before '}' (JSON allows none; "
		   "the documented examples have one after the last field)");
	EXPECT_INT(load("{\"trigger_when\": {\"conditions\": [{\"path\": \"p\",\n"
			"  \"accepted_values\": [<pipeline_id>]}]}}", &h), -2);
	EXPECT_MSG("h.json:2:23: a placeholder from the documented example: "
		   "replace <pipeline_id> with a value");
}

TEST(rejects_an_empty_array_and_non_hooks)
{
	struct hook h;

	EXPECT_INT(load("\n  [ ]\n", &h), -2);
	EXPECT_MSG("h.json:2:3: no hooks in h.json: the array is empty");
	EXPECT_INT(load("42", &h), -2);
	EXPECT_MSG("h.json:1:1: expected a hook object or an array of hooks, "
		   "found a number");
	EXPECT_INT(load("", &h), -2);
	EXPECT_MSG("h.json:1:1: empty input: no JSON document");
}

TEST(names_a_hook_pasted_as_a_string)
{
	struct hook h;

	EXPECT_INT(load("\"{\\\"name\\\": \\\"x\\\"}\"", &h), -2);
	EXPECT_MSG("h.json:1:1: the hook is a JSON string, not an object — a "
		   "body pasted as a string? remove the outer quotes/escaping");
	EXPECT_INT(open_text("[\n  {\"name\": \"a\"},\n  \"{\\\"name\\\": 1}\"\n]"),
		   0);
	EXPECT_INT(next(&h), 1);
	hook_free(&h);
	EXPECT_INT(next(&h), -1);
	EXPECT_MSG("h.json:3:3: [1]: the hook is a JSON string, not an object "
		   "— a body pasted as a string? remove the outer "
		   "quotes/escaping");
}

TEST(rejects_a_non_object_element)
{
	struct hook h;

	EXPECT_INT(open_text("[{}, 5, [{}]]"), 0);
	EXPECT_INT(next(&h), 1);
	hook_free(&h);
	EXPECT_INT(next(&h), -1);
	EXPECT_MSG("h.json:1:6: [1]: expected a hook object, found a number");
}

TEST(fails_on_request_headers_as_an_object)
{
	struct hook h;

	EXPECT_INT(load("{\n  \"settings\": {\n    \"request_headers\": "
			"{\"Authorization\": \"Bearer x\"}\n  }\n}", &h), -1);
	EXPECT_MSG("h.json:3:24: settings.request_headers: expected an array "
		   "of {name, value} objects, found an object (write "
		   "[{\"name\": \"Authorization\", \"value\": ...}])");
}

TEST(fatal_paths_carry_the_array_index)
{
	struct hook h;

	EXPECT_INT(open_text("[{},\n {\"settings\": {\"request_headers\": "
			     "\"Accept: x\"}}]"), 0);
	EXPECT_INT(next(&h), 1);
	hook_free(&h);
	EXPECT_INT(next(&h), -1);
	EXPECT_MSG("h.json:2:35: [1].settings.request_headers: expected an "
		   "array of {name, value} objects, found a string");
}

/* Validation runs on several threads over many hooks; the message is
 * still the first unusable hook's, every time. */
TEST(validation_names_the_first_unusable_of_many_hooks)
{
	struct sbuf b = {0};
	struct hd_error err = {{0}};

	sbuf_add(&b, "[");
	for (int i = 0; i < 2000; i++) {
		if (i)
			sbuf_add(&b, ",\n");
		if (i == 700 || i == 1500 || i == 1999)
			sbuf_add(&b, "{\"active\": \"yes\"}");
		else
			sbuf_add(&b, "{\"name\": \"h\"}");
	}
	sbuf_add(&b, "]");
	for (int round = 0; round < 20; round++) {
		EXPECT_INT(open_text(b.s), 0);
		EXPECT_INT(hook_input_validate(&cur, &err), -1);
		EXPECT_STR(err.msg, "h.json:701:12: [700].active: expected "
			   "true or false, found a string");
		close_cur();
	}
	/* With the unusable ones mended, every hook loads. */
	for (char *p = b.s; (p = strstr(p, "\"yes\"")); p += 5)
		memcpy(p, "true ", 5);
	EXPECT_INT(open_text(b.s), 0);
	EXPECT_INT(hook_input_validate(&cur, &err), 0);
	EXPECT_INT(cur.next, 0);
	close_cur();
	sbuf_free(&b);
}

TEST(fails_on_bad_header_items)
{
	struct hook h;

	EXPECT_INT(load("{\"settings\": {\"request_headers\": [\n"
			"  \"Authorization: Bearer x\"]}}", &h), -1);
	EXPECT_MSG("h.json:2:3: settings.request_headers[0]: expected a {name, "
		   "value} object, found a string (a \"Name: value\" line? "
		   "write {\"name\": \"...\", \"value\": \"...\"})");
	EXPECT_INT(load("{\"settings\": {\"request_headers\": [\n"
			"  {\"name\": \"A\", \"value\": \"b\"},\n"
			"  {\"name\": \"X-Count\", \"value\": 3}]}}", &h), -1);
	EXPECT_MSG("h.json:3:32: settings.request_headers[1].value: expected a "
		   "string, found a number (header values are strings: put it "
		   "in double quotes)");
	EXPECT_INT(load("{\"settings\": {\"request_headers\": [\n"
			"  {\"name\": true, \"value\": \"b\"}]}}", &h), -1);
	EXPECT_MSG("h.json:2:12: settings.request_headers[0].name: expected a "
		   "string, found true");
}

TEST(fails_on_a_header_without_name_or_value)
{
	struct hook h;

	EXPECT_INT(load("{\"settings\": {\"request_headers\": [\n"
			"  {\"name\": \"Accept\", \"val\": \"x\"}]}}", &h), -1);
	EXPECT_MSG("h.json:2:3: settings.request_headers[0]: the header has no "
		   "\"value\" (found \"val\": did you mean \"value\"?); each "
		   "header is {\"name\": ..., \"value\": ...}");
	EXPECT_INT(load("{\"settings\": {\"request_headers\": [{\"value\": "
			"\"x\"}]}}", &h), -1);
	EXPECT_MSG("h.json:1:35: settings.request_headers[0]: the header has no "
		   "\"name\"; each header is {\"name\": ..., \"value\": ...}");
}

TEST(fails_on_wrong_scalar_types)
{
	struct hook h;

	EXPECT_INT(load("{\n  \"name\": 12\n}", &h), -1);
	EXPECT_MSG("h.json:2:11: name: expected a string, found a number (put "
		   "it in double quotes)");
	EXPECT_INT(load("{\"target_url\": [\"https://x\"]}", &h), -1);
	EXPECT_MSG("h.json:1:16: target_url: expected a string, found an array");
	EXPECT_INT(load("{\"type\": {}}", &h), -1);
	EXPECT_MSG("h.json:1:10: type: expected a string, found an object");
	EXPECT_INT(load("{\"active\": \"true\"}", &h), -1);
	EXPECT_MSG("h.json:1:12: active: expected true or false, found a string "
		   "(\"true\"): remove the quotes");
	EXPECT_INT(load("{\"verify_ssl\": 0}", &h), -1);
	EXPECT_MSG("h.json:1:16: verify_ssl: expected true or false, found a "
		   "number");
}

TEST(fails_on_wrong_settings_and_body_types)
{
	struct hook h;

	EXPECT_INT(load("{\"settings\": []}", &h), -1);
	EXPECT_MSG("h.json:1:14: settings: expected an object with "
		   "request_headers and request_body, found an array");
	EXPECT_INT(load("{\"settings\": {\"request_body\": 12}}", &h), -1);
	EXPECT_MSG("h.json:1:31: settings.request_body: expected an object, an "
		   "array or a string, found a number");
	EXPECT_INT(load("{\"settings\": {\"request_body\": null}}", &h), 1);
	EXPECT_INT(h.body_kind, BODY_NONE);
	EXPECT(h.body == NULL);
	hook_free(&h);
}

TEST(fails_on_wrong_trigger_types)
{
	struct hook h;

	EXPECT_INT(load("{\"trigger_when\": [\"action.started\"]}", &h), -1);
	EXPECT_MSG("h.json:1:18: trigger_when: expected an object with events "
		   "and conditions, found an array");
	EXPECT_INT(load("{\"trigger_when\": {\"events\": \"action.started\"}}",
			&h), -1);
	EXPECT_MSG("h.json:1:29: trigger_when.events: expected an array of "
		   "event names, found a string (write [\"action.started\"])");
	EXPECT_INT(load("{\"trigger_when\": {\"events\": [\"action.started\", 2]}}",
			&h), -1);
	EXPECT_MSG("h.json:1:48: trigger_when.events[1]: expected an event name "
		   "(a string such as \"action.started\"), found a number");
	EXPECT_INT(load("{\"trigger_when\": {\"conditions\": {}}}", &h), -1);
	EXPECT_MSG("h.json:1:33: trigger_when.conditions: expected an array of "
		   "{path, accepted_values} objects, found an object");
}

TEST(fails_on_bad_conditions)
{
	struct hook h;

	EXPECT_INT(load("{\"trigger_when\": {\"conditions\": [\n"
			"  {\"path\": \"action.status\", \"values\": [\"x\"]}]}}",
			&h), -1);
	EXPECT_MSG("h.json:2:3: trigger_when.conditions[0]: the condition has "
		   "no \"accepted_values\" (found \"values\": did you mean "
		   "\"accepted_values\"?); a condition is {\"path\": ..., "
		   "\"accepted_values\": [...]}");
	EXPECT_INT(load("{\"trigger_when\": {\"conditions\": [\n"
			"  {\"accepted_values\": [\"x\"]}]}}", &h), -1);
	EXPECT_HAS(msg, "h.json:2:3: trigger_when.conditions[0]: the condition "
		   "has no \"path\"");
	EXPECT_INT(load("{\"trigger_when\": {\"conditions\": [\n"
			"  {\"path\": 1, \"accepted_values\": [\"x\"]}]}}", &h),
		   -1);
	EXPECT_HAS(msg, "h.json:2:12: trigger_when.conditions[0].path: expected "
		   "a dotted path string");
	EXPECT_INT(load("{\"trigger_when\": {\"conditions\": [\n"
			"  {\"path\": \"p\", \"accepted_values\": \"x\"}]}}", &h),
		   -1);
	EXPECT_MSG("h.json:2:36: trigger_when.conditions[0].accepted_values: "
		   "expected an array of values, found a string (write "
		   "[\"x\"])");
	EXPECT_INT(load("{\"trigger_when\": {\"conditions\": [\n"
			"  {\"path\": \"p\", \"accepted_values\": [\"a\", {}]}]}}",
			&h), -1);
	EXPECT_MSG("h.json:2:42: trigger_when.conditions[0].accepted_values[1]: "
		   "expected a string, number, boolean or null, found an "
		   "object");
	EXPECT_INT(load("{\"trigger_when\": {\"conditions\": [\"x\"]}}", &h), -1);
	EXPECT_MSG("h.json:1:34: trigger_when.conditions[0]: expected a {path, "
		   "accepted_values} object, found a string");
}

TEST(suggests_where_misplaced_members_belong)
{
	struct hook h;
	const struct schema_issue *is;

	EXPECT_INT(load("{\n  \"name\": \"x\",\n  \"request_headers\": [],\n"
			"  \"body\": {},\n  \"event\": \"action.started\",\n"
			"  \"targetUrl\": \"https://x\",\n  \"condition\": []\n}",
			&h), 1);
	EXPECT_INT(h.nschema_issues, 5);
	is = issue_at(&h, "request_headers");
	EXPECT(is != NULL);
	if (is) {
		EXPECT_STR(is->message, "unknown member \"request_headers\" in "
			   "the hook: did you mean settings.request_headers?");
		EXPECT_INT(is->line, 3);
		EXPECT_INT(is->col, 3);
	}
	EXPECT_HAS(issue_at(&h, "body") ? issue_at(&h, "body")->message : NULL,
		   "did you mean settings.request_body?");
	EXPECT_HAS(issue_at(&h, "event") ? issue_at(&h, "event")->message : NULL,
		   "did you mean trigger_when.events?");
	EXPECT_HAS(issue_at(&h, "targetUrl") ?
		   issue_at(&h, "targetUrl")->message : NULL,
		   "did you mean target_url?");
	EXPECT_HAS(issue_at(&h, "condition") ?
		   issue_at(&h, "condition")->message : NULL,
		   "did you mean trigger_when.conditions?");
	/* in document order */
	if (h.nschema_issues == 5) {
		EXPECT_STR(h.schema_issues[0].path, "request_headers");
		EXPECT_STR(h.schema_issues[4].path, "condition");
	}
	hook_free(&h);
}

TEST(suggests_target_url_for_an_outgoing_hook_with_url)
{
	struct hook h;

	EXPECT_INT(load("{\"name\": \"x\", \"url\": \"https://x/s\"}", &h), 1);
	EXPECT_INT(h.nschema_issues, 1);
	EXPECT_HAS(issue_at(&h, "url") ? issue_at(&h, "url")->message : NULL,
		   "an outgoing hook posts to target_url: did you mean "
		   "target_url?");
	hook_free(&h);
	/* an incoming hook's url is what it should be */
	EXPECT_INT(load("{\"type\": \"in\", \"url\": \"https://x/s\"}", &h), 1);
	EXPECT_INT(h.nschema_issues, 0);
	hook_free(&h);
}

TEST(reports_unknown_members_in_nested_objects)
{
	struct hook h;
	const struct schema_issue *is;

	EXPECT_INT(load("{\"settings\": {\n  \"headers\": [],\n"
			"  \"request_headers\": [{\"name\": \"A\", \"value\": "
			"\"b\", \"enabled\": true}]},\n \"trigger_when\": "
			"{\"event\": [], \"conditions\": [{\"path\": \"p\", "
			"\"accepted_values\": [], \"values\": []}]}}", &h), 1);
	EXPECT_INT(h.nschema_issues, 4);
	is = issue_at(&h, "settings.headers");
	EXPECT_HAS(is ? is->message : NULL, "unknown member \"headers\" in "
		   "settings: did you mean settings.request_headers?");
	is = issue_at(&h, "settings.request_headers[0].enabled");
	EXPECT_HAS(is ? is->message : NULL, "unknown member \"enabled\" in a "
		   "request header (HookOutgoingRequestHeader has only name and "
		   "value)");
	if (is) {
		EXPECT_INT(is->line, 3);
		EXPECT_INT(is->col, 51);
	}
	is = issue_at(&h, "trigger_when.event");
	EXPECT_HAS(is ? is->message : NULL, "did you mean trigger_when.events?");
	is = issue_at(&h, "trigger_when.conditions[0].values");
	EXPECT_HAS(is ? is->message : NULL, "did you mean accepted_values?");
	hook_free(&h);
}

TEST(suggests_the_nearest_name_for_a_typo)
{
	struct hook h;

	EXPECT_INT(load("{\"nmae\": \"x\", \"trigger_whne\": {}, \"zzzz\": 1}",
			&h), 1);
	EXPECT_HAS(issue_at(&h, "nmae") ? issue_at(&h, "nmae")->message : NULL,
		   "did you mean name?");
	EXPECT_HAS(issue_at(&h, "trigger_whne") ?
		   issue_at(&h, "trigger_whne")->message : NULL,
		   "did you mean trigger_when?");
	EXPECT_HAS(issue_at(&h, "zzzz") ? issue_at(&h, "zzzz")->message : NULL,
		   "(not in the Devopness Hook or HookPipelineCreate schema)");
	hook_free(&h);
}

TEST(reports_header_lengths_over_the_schema_limits)
{
	struct hook h;
	struct sbuf b = {0};

	sbuf_add(&b, "{\"settings\": {\"request_headers\": [{\"name\": \"");
	for (int i = 0; i < 257; i++)
		sbuf_add(&b, "\xc3\xa9"); /* counted as characters, not bytes */
	sbuf_add(&b, "\", \"value\": \"");
	for (int i = 0; i < 4096; i++)
		sbuf_addc(&b, 'v');
	sbuf_add(&b, "\"}, {\"name\": \"A\", \"value\": \"");
	for (int i = 0; i < 4097; i++)
		sbuf_addc(&b, 'v');
	sbuf_add(&b, "\"}]}}");
	EXPECT_INT(load(b.s, &h), 1);
	EXPECT_INT(h.nschema_issues, 2);
	EXPECT_HAS(issue_at(&h, "settings.request_headers[0].name") ?
		   issue_at(&h, "settings.request_headers[0].name")->message :
		   NULL, "is 257 characters; HookOutgoingRequestHeader allows "
		   "at most 256");
	EXPECT_HAS(issue_at(&h, "settings.request_headers[1].value") ?
		   issue_at(&h, "settings.request_headers[1].value")->message :
		   NULL, "is 4097 characters; HookOutgoingRequestHeader allows "
		   "at most 4096");
	hook_free(&h);
	sbuf_free(&b);
}

TEST(reports_enums_outside_the_schema)
{
	struct hook h;

	EXPECT_INT(load("{\"type\": \"outgoing\", \"action_type\": \"deplyo\", "
			"\"resource_type\": \"app\", \"active\": null}", &h), 1);
	EXPECT_INT(h.nschema_issues, 4);
	EXPECT_HAS(issue_at(&h, "type") ? issue_at(&h, "type")->message : NULL,
		   "\"outgoing\" is not a HookType (\"in\" or \"out\"): did you "
		   "mean \"out\"?");
	EXPECT_HAS(issue_at(&h, "action_type") ?
		   issue_at(&h, "action_type")->message : NULL,
		   "\"deplyo\" is not a Devopness ActionType: did you mean "
		   "\"deploy\"?");
	EXPECT_HAS(issue_at(&h, "resource_type") ?
		   issue_at(&h, "resource_type")->message : NULL,
		   "\"app\" is not a Devopness ResourceType");
	EXPECT_HAS(issue_at(&h, "active") ? issue_at(&h, "active")->message :
		   NULL, "is null; the schema wants true or false");
	EXPECT_INT(h.active, -1);
	EXPECT_STR(h.type, "outgoing");
	hook_free(&h);
}

TEST(finds_headers_case_insensitively)
{
	struct hook h;
	const struct hd_header *hd;

	EXPECT_INT(load(create_body, &h), 1);
	hd = hook_header(&h, "authorization");
	EXPECT(hd != NULL);
	if (hd)
		EXPECT_STR(hd->value, "Bearer t");
	EXPECT(hook_header(&h, "Content-Type") == NULL);
	hook_free(&h);
}

TEST(builds_from_parsed_json_with_the_source_named)
{
	const char *s = "{\"name\": \"x\", \"bad\": 1}";
	struct jsonpos pos;
	struct hd_error err = {{0}};
	struct hook h;
	cJSON *root = jsonpos_parse(s, 0, strlen(s), "<stdin>", &pos, &err);

	EXPECT(root != NULL);
	EXPECT_INT(hook_from_json(root, &pos, "<stdin>", 2, &h, &err), 0);
	EXPECT_STR(h.source, "stdin#2");
	EXPECT_INT(h.index, 2);
	EXPECT_INT(h.nschema_issues, 1);
	if (h.nschema_issues == 1) {
		EXPECT_INT(h.schema_issues[0].line, 1);
		EXPECT_INT(h.schema_issues[0].col, 15);
	}
	EXPECT(pos.slots == NULL); /* ownership moved into h */
	hook_free(&h);
	EXPECT(h.json == NULL && h.source == NULL);

	root = jsonpos_parse("[]", 0, 2, "api:pipeline/7", &pos, &err);
	EXPECT_INT(hook_from_json(root, &pos, "api:pipeline/7", 0, &h, &err),
		   -1);
	EXPECT_STR(err.msg, "api:pipeline/7:1:1: expected a hook object, found "
		   "an array (an array inside the array? give one flat array "
		   "of hooks)");
}

TEST(loads_a_file_with_a_bom)
{
	struct hook h;

	EXPECT_INT(load("\xef\xbb\xbf{\"name\": \"x\", \"nme\": 1}", &h), 1);
	EXPECT_STR(h.name, "x");
	EXPECT_INT(h.col, 1);
	EXPECT_INT(h.nschema_issues, 1);
	if (h.nschema_issues)
		EXPECT_INT(h.schema_issues[0].col, 15);
	hook_free(&h);
}

TEST(hook_free_is_safe_twice)
{
	struct hook h;

	EXPECT_INT(load(create_body, &h), 1);
	hook_free(&h);
	hook_free(&h);
	EXPECT(h.headers == NULL);
}

/* A member named twice (or more) keeps its last value, and HD114 gets one
 * issue per value dropped, at it, naming where the kept one is; in a
 * small object, a large one (sorted, not pairwise) and under an array. */
TEST(duplicate_members_keep_the_last_and_are_issues)
{
	struct hook h;
	struct sbuf big = {0};

	EXPECT_INT(load("{\"name\": \"a\", \"name\": \"b\", \"name\": \"c\",\n"
			" \"settings\": {\"request_headers\": [{\"name\": \"X\", "
			"\"value\": \"1\", \"value\": \"2\"}]}}", &h), 1);
	EXPECT_STR(h.name, "c");
	EXPECT_INT(h.nheaders, 1);
	if (h.nheaders == 1)
		EXPECT_STR(h.headers[0].value, "2");
	EXPECT_INT(h.nschema_issues, 3);
	if (h.nschema_issues == 3) {
		EXPECT_STR(h.schema_issues[0].path, "name");
		EXPECT_INT(h.schema_issues[0].col, 2);
		EXPECT(strstr(h.schema_issues[0].message, "(again at 1:28)") != NULL);
		EXPECT_STR(h.schema_issues[1].path, "name");
		EXPECT_INT(h.schema_issues[1].col, 15);
		EXPECT_STR(h.schema_issues[2].path,
			   "settings.request_headers[0].value");
		EXPECT(h.schema_issues[2].hint &&
		       strstr(h.schema_issues[2].hint, "keep one \"value\" in "
			      "settings.request_headers[0]") != NULL);
	}
	EXPECT_INT(next(&h), 0);
	hook_free(&h);

	sbuf_add(&big, "{\"name\": \"n\", \"settings\": {\"request_body\": {");
	for (int i = 0; i < 40; i++)
		sbuf_addf(&big, "\"k%d\": %d, ", i, i);
	sbuf_add(&big, "\"k7\": \"last\"}}}");
	EXPECT_INT(load(big.s, &h), 1);
	EXPECT_INT(h.nschema_issues, 1);
	if (h.nschema_issues == 1)
		EXPECT_STR(h.schema_issues[0].path, "settings.request_body.k7");
	EXPECT(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(h.body, "k7")));
	EXPECT_INT(cJSON_GetArraySize(h.body), 40);
	hook_free(&h);
	sbuf_free(&big);
}

/* Whether text shows in redact_text()'s output (freed here). */
static bool shown(const char *text, const char *needle)
{
	char *r = redact_text(text);
	bool yes = strstr(r, needle) != NULL;

	free(r);
	return yes;
}

/* A hook's secrets are told to redact.c by the load, or, once
 * hook_input_validate() passed, by the validation before any load. */
TEST(secrets_are_known_after_validation_or_after_the_load)
{
	static const char doc[] =
		"[{\"target_url\": \"https://ci:UrlPassw0rd77@h.example/x\",\n"
		"  \"settings\": {\"request_headers\": [{\"name\": "
		"\"X-Api-Key\", \"value\": \"KeyValue4242abcd\"}]}}]";
	struct hd_error err = {{0}};
	struct hook h;

	redact_forget_secrets();
	EXPECT_INT(open_text(doc), 0);
	EXPECT(shown("see KeyValue4242abcd", "KeyValue4242abcd"));
	EXPECT_INT(next(&h), 1);
	hook_free(&h);
	EXPECT(!shown("see KeyValue4242abcd", "KeyValue4242abcd"));
	EXPECT(!shown("see UrlPassw0rd77", "UrlPassw0rd77"));

	redact_forget_secrets();
	EXPECT_INT(open_text(doc), 0);
	EXPECT_INT(hook_input_validate(&cur, &err), 0);
	EXPECT(!shown("see KeyValue4242abcd", "KeyValue4242abcd"));
	EXPECT(!shown("see UrlPassw0rd77", "UrlPassw0rd77"));
	EXPECT_INT(next(&h), 1);
	hook_free(&h);
	EXPECT(!shown("see KeyValue4242abcd", "KeyValue4242abcd"));
	close_cur();
	redact_forget_secrets();
}

int main(void)
{
	char dir[] = "/tmp/hd-test-hook-XXXXXX";

	if (!mkdtemp(dir) || chdir(dir) != 0) {
		perror("mkdtemp");
		return 3;
	}
	RUN(loads_a_hook_pipeline_create_body);
	RUN(loads_a_hook_object_as_the_api_returns_it);
	RUN(loads_an_array_of_hooks_with_positions_and_sources);
	RUN(keeps_the_guides_fields);
	RUN(keeps_pipeline_id_as_written);
	RUN(names_the_json_slip_with_file_line_col);
	RUN(rejects_an_empty_array_and_non_hooks);
	RUN(names_a_hook_pasted_as_a_string);
	RUN(rejects_a_non_object_element);
	RUN(fails_on_request_headers_as_an_object);
	RUN(fatal_paths_carry_the_array_index);
	RUN(validation_names_the_first_unusable_of_many_hooks);
	RUN(fails_on_bad_header_items);
	RUN(fails_on_a_header_without_name_or_value);
	RUN(fails_on_wrong_scalar_types);
	RUN(fails_on_wrong_settings_and_body_types);
	RUN(fails_on_wrong_trigger_types);
	RUN(fails_on_bad_conditions);
	RUN(suggests_where_misplaced_members_belong);
	RUN(suggests_target_url_for_an_outgoing_hook_with_url);
	RUN(reports_unknown_members_in_nested_objects);
	RUN(suggests_the_nearest_name_for_a_typo);
	RUN(reports_header_lengths_over_the_schema_limits);
	RUN(reports_enums_outside_the_schema);
	RUN(finds_headers_case_insensitively);
	RUN(builds_from_parsed_json_with_the_source_named);
	RUN(loads_a_file_with_a_bom);
	RUN(hook_free_is_safe_twice);
	RUN(duplicate_members_keep_the_last_and_are_issues);
	close_cur();
	unlink("h.json");
	if (chdir("/") == 0)
		rmdir(dir);
	RUN(secrets_are_known_after_validation_or_after_the_load);
	return unit_done();
}
