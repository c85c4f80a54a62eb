/*
 * test_checks_api.c - HD102-HD106 and HD701-HD705 on hand-built API facts
 * (struct api_facts), with the real provider rules from checks/: no
 * server, no network. The end-to-end runs against the API emulator are
 * tests/api/run.py.
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "devopness.h"
#include "unit.h"

#define HOOK_ID "11111111-1111-4111-8111-000000000000"
#define SHA "9f2c4e1a7b3d5f60812c4a9e6b0d3f57a1c8e2b4"
#define GH_URL "https://api.github.com/repos/acme/shop/statuses/" SHA

static struct rules *rules;

struct fixture {
	struct hook h;
	struct options o;
	struct analysis a;
	struct finding f;
	struct api_facts api;
	struct api_hook hook;
	struct api_delivery d[4];
};

static void fx_init(struct fixture *x)
{
	memset(x, 0, sizeof(*x));
	x->o.pipeline = "4242";
	x->h.id = HOOK_ID;
	x->h.name = "status";
	x->a.hook = &x->h;
	x->a.opts = &x->o;
	x->a.rules = rules;
	x->a.provider = rules_find(rules, "github");
	x->a.api = &x->api;
	x->a.firing.mask = ST_BIT(ST_IN_PROGRESS);
	x->api.base_url = "https://api.devopness.com";
	x->api.pipeline_id = "4242";
	x->api.pipeline.what = "GET /pipelines/4242";
	x->api.pipeline.done = x->api.pipeline.ok = true;
	x->api.pipeline.status = 200;
	x->api.operation = "deploy";
	x->api.resource_type = "application";
	x->api.hooks.done = x->api.hooks.ok = true;
	x->api.hooks.what = "GET /pipelines/4242/hooks";
	x->hook.id = HOOK_ID;
	x->hook.known = true;
	x->hook.type = "out";
	x->hook.active = 1;
	x->hook.pipeline_id = "4242";
	x->hook.requests.done = x->hook.requests.ok = true;
	x->hook.requests.what = "GET /hooks/outgoing/" HOOK_ID "/requests";
	x->hook.deliveries = x->d;
	x->api.hook = &x->hook;
	x->api.nhook = 1;
}

/* A delivery of a GitHub status: state, context, link, answer. */
static void fx_delivery(struct fixture *x, const char *action, const char *state,
			const char *context, const char *link, long status,
			const char *response, const char *when)
{
	struct api_delivery *d = &x->d[x->hook.ndeliveries++];
	cJSON *b = cJSON_CreateObject();

	cJSON_AddStringToObject(b, "state", state);
	cJSON_AddStringToObject(b, "context", context);
	cJSON_AddStringToObject(b, "target_url", link);
	d->id = "33333333-3333-4333-8333-000000000000";
	d->action_id = (char *)action;
	d->url = GH_URL;
	d->created_at = (char *)when;
	d->status = status;
	d->request_body = b;
	d->response_body = response ? cJSON_Parse(response) : NULL;
	d->detailed = true;
	x->hook.nlisted = x->hook.ndeliveries;
	x->hook.latest_at = (char *)when;
}

static enum check_status fx_run(struct fixture *x, hook_check_fn fn,
				const char *id)
{
	finding_clear(&x->f);
	x->f.def = check_find(id);
	x->f.status = fn(&x->a, &x->f);
	return x->f.status;
}

static bool msg_has(const struct fixture *x, const char *s)
{
	bool ok = x->f.message && strstr(x->f.message, s);

	if (!ok)
		printf("  message: %s\n", x->f.message ? x->f.message : "(null)");
	return ok;
}

static void fx_free(struct fixture *x)
{
	for (size_t i = 0; i < x->hook.ndeliveries; i++) {
		cJSON_Delete(x->d[i].request_body);
		cJSON_Delete(x->d[i].response_body);
	}
	finding_clear(&x->f);
}

/* --- HD102-HD106 --- */

TEST(api_checks_skip_without_api_facts)
{
	struct fixture x;

	fx_init(&x);
	x.a.api = NULL;
	EXPECT_INT(fx_run(&x, hd102, "HD102"), CS_SKIP);
	EXPECT(msg_has(&x, "needs --pipeline and a Devopness API token"));
	x.o.offline = true;
	EXPECT_INT(fx_run(&x, hd104, "HD104"), CS_SKIP);
	EXPECT(msg_has(&x, "--offline"));
	fx_free(&x);
}

TEST(hd102_names_each_refusal)
{
	static const struct { long status; const char *want; } cases[] = {
		{401, "refused the token"}, {403, "no access to pipeline 4242"},
		{404, "no pipeline 4242"}, {422, "rejected"}, {429, "kept answering 429"},
		{503, "failed on GET /pipelines/4242"},
	};
	struct fixture x;

	fx_init(&x);
	EXPECT_INT(fx_run(&x, hd102, "HD102"), CS_PASS);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		x.api.pipeline.ok = false;
		x.api.pipeline.status = cases[i].status;
		x.api.pipeline.message = "the API's message";
		x.api.pipeline.attempts = 4;
		EXPECT_INT(fx_run(&x, hd102, "HD102"), CS_FAIL);
		EXPECT(msg_has(&x, cases[i].want));
		EXPECT(msg_has(&x, "the API's message"));
		EXPECT(x.f.hint != NULL);
	}
	x.api.pipeline.status = 0;
	x.api.pipeline.transport = true;
	x.api.pipeline.message = "timed out after 2 s";
	EXPECT_INT(fx_run(&x, hd102, "HD102"), CS_FAIL);
	EXPECT(msg_has(&x, "did not answer"));
	EXPECT_INT(fx_run(&x, hd103, "HD103"), CS_SKIP);
	EXPECT(msg_has(&x, "HD102 failed"));
	fx_free(&x);
}

TEST(hd101_failure_means_no_api_question)
{
	struct fixture x;

	fx_init(&x);
	x.api.pipeline_id = "2ab973e1-9528-4d67-aff0-209d74975830";
	x.api.pipeline.done = x.api.pipeline.ok = false;
	EXPECT_INT(fx_run(&x, hd102, "HD102"), CS_SKIP);
	EXPECT(msg_has(&x, "HD101 failed"));
	fx_free(&x);
}

TEST(hd103_warns_on_a_non_deploy_pipeline)
{
	struct fixture x;

	fx_init(&x);
	EXPECT_INT(fx_run(&x, hd103, "HD103"), CS_PASS);
	x.api.operation = "restart";
	x.api.resource_type = "server";
	EXPECT_INT(fx_run(&x, hd103, "HD103"), CS_WARN);
	EXPECT(msg_has(&x, "'restart' on a server"));
	fx_free(&x);
}

TEST(hd104_to_hd106_judge_the_stored_hook)
{
	struct fixture x;

	fx_init(&x);
	EXPECT_INT(fx_run(&x, hd104, "HD104"), CS_PASS);
	EXPECT_INT(fx_run(&x, hd105, "HD105"), CS_PASS);
	EXPECT_INT(fx_run(&x, hd106, "HD106"), CS_PASS);
	x.hook.type = "in";
	x.hook.active = 0;
	x.hook.pipeline_id = "77";
	EXPECT_INT(fx_run(&x, hd104, "HD104"), CS_FAIL);
	EXPECT(msg_has(&x, "incoming"));
	EXPECT_INT(fx_run(&x, hd105, "HD105"), CS_FAIL);
	EXPECT(msg_has(&x, "inactive"));
	EXPECT_INT(fx_run(&x, hd106, "HD106"), CS_FAIL);
	EXPECT(msg_has(&x, "belongs to pipeline 77, not to pipeline 4242"));
	x.hook.pipeline_id = NULL;
	EXPECT_INT(fx_run(&x, hd106, "HD106"), CS_FAIL);
	EXPECT(msg_has(&x, "no pipeline"));
	x.h.id = NULL;
	EXPECT_INT(fx_run(&x, hd105, "HD105"), CS_SKIP);
	EXPECT(msg_has(&x, "not stored in Devopness"));
	fx_free(&x);
}

TEST(hd104_names_the_incoming_hooks_of_a_pipeline_without_outgoing)
{
	struct fixture x;
	char *incoming[] = {"\"push to main\" (2ab973e1)"};

	fx_init(&x);
	x.api.placeholder = true;
	x.api.incoming = incoming;
	x.api.nincoming = 1;
	x.h.id = NULL;
	EXPECT_INT(fx_run(&x, hd104, "HD104"), CS_FAIL);
	EXPECT(msg_has(&x, "has no outgoing hook, only 1 incoming: \"push to main\""));
	EXPECT_INT(fx_run(&x, hd701, "HD701"), CS_SKIP);
	fx_free(&x);
}

/* --- HD701-HD705 --- */

TEST(hd701_tells_never_fired_from_nothing_to_fire_on)
{
	struct fixture x;

	fx_init(&x);
	x.api.actions.done = x.api.actions.ok = true;
	x.api.nactions = 2;
	x.api.statuses_reached = ST_BIT(ST_COMPLETED) | ST_BIT(ST_IN_PROGRESS);
	EXPECT_INT(fx_run(&x, hd701, "HD701"), CS_WARN);
	EXPECT(msg_has(&x, "never fired"));
	x.a.firing.mask = ST_BIT(ST_FAILED);
	EXPECT_INT(fx_run(&x, hd701, "HD701"), CS_PASS);
	EXPECT(msg_has(&x, "none expected"));
	EXPECT_INT(fx_run(&x, hd702, "HD702"), CS_SKIP);
	fx_free(&x);
}

TEST(hd702_reads_the_providers_own_message)
{
	struct fixture x;

	fx_init(&x);
	fx_delivery(&x, "1001", "pending", "ci/deploy",
		    "https://app.devopness.com/actions/1001", 201, NULL,
		    "2024-05-14T09:30:00Z");
	EXPECT_INT(fx_run(&x, hd702, "HD702"), CS_PASS);
	fx_delivery(&x, "1002", "pending", "ci/deploy",
		    "https://app.devopness.com/actions/1002", 422,
		    "{\"message\":\"Validation Failed\",\"errors\":[{\"message\":"
		    "\"description is too long (maximum is 140 characters)\"}]}",
		    "2024-05-14T09:40:00Z");
	EXPECT_INT(fx_run(&x, hd702, "HD702"), CS_FAIL);
	EXPECT(msg_has(&x, "1 of the 2 latest deliveries failed"));
	EXPECT(msg_has(&x, "422 from GitHub"));
	EXPECT(msg_has(&x, "Validation Failed / description is too long"));
	{
		const cJSON *tl = cJSON_GetObjectItemCaseSensitive(x.f.evidence,
								  "timeline");

		EXPECT(cJSON_IsString(tl) && strstr(tl->valuestring, "action 1002"));
	}
	fx_free(&x);
}

TEST(hd703_finds_split_identities_case_insensitively_on_github)
{
	struct fixture x;

	fx_init(&x);
	fx_delivery(&x, "1001", "pending", "ci/Deploy",
		    "https://app.devopness.com/actions/1001", 201, NULL, "1");
	fx_delivery(&x, "1001", "success", "CI/deploy",
		    "https://app.devopness.com/actions/1001", 201, NULL, "2");
	EXPECT_INT(fx_run(&x, hd703, "HD703"), CS_PASS);
	fx_delivery(&x, "1002", "success", "devopness",
		    "https://app.devopness.com/actions/1002", 201, NULL, "3");
	EXPECT_INT(fx_run(&x, hd703, "HD703"), CS_FAIL);
	EXPECT(msg_has(&x, "2 different context values"));
	fx_free(&x);
}

TEST(hd704_wants_each_actions_own_page)
{
	struct fixture x;

	fx_init(&x);
	fx_delivery(&x, "1001", "pending", "ci", "https://app.devopness.com/actions/1001/",
		    201, NULL, "1");
	EXPECT_INT(fx_run(&x, hd704, "HD704"), CS_PASS);
	fx_delivery(&x, "1002", "success", "ci", "https://app.devopness.com/actions/1001",
		    201, NULL, "2");
	EXPECT_INT(fx_run(&x, hd704, "HD704"), CS_FAIL);
	EXPECT(msg_has(&x, "for action 1002"));
	fx_free(&x);
}

TEST(hd705_wants_a_terminal_state_delivered)
{
	struct fixture x;

	fx_init(&x);
	fx_delivery(&x, "1001", "pending", "ci", "https://app.devopness.com/actions/1001",
		    201, NULL, "1");
	EXPECT_INT(fx_run(&x, hd705, "HD705"), CS_WARN);
	EXPECT(msg_has(&x, "action 1001"));
	/* A final state that the provider refused does not end it... */
	fx_delivery(&x, "1001", "success", "ci", "https://app.devopness.com/actions/1001",
		    422, "{\"message\":\"nope\"}", "2");
	EXPECT_INT(fx_run(&x, hd705, "HD705"), CS_WARN);
	/* ...one that reached it does. */
	fx_delivery(&x, "1001", "success", "ci", "https://app.devopness.com/actions/1001",
		    201, NULL, "3");
	EXPECT_INT(fx_run(&x, hd705, "HD705"), CS_PASS);
	fx_free(&x);
}

int main(void)
{
	struct hd_error err = {{0}};

	rules = rules_load("checks", &err);
	if (!rules) {
		printf("not ok - cannot load checks/: %s\n0 passed, 1 failed\n", err.msg);
		return 1;
	}
	RUN(api_checks_skip_without_api_facts);
	RUN(hd102_names_each_refusal);
	RUN(hd101_failure_means_no_api_question);
	RUN(hd103_warns_on_a_non_deploy_pipeline);
	RUN(hd104_to_hd106_judge_the_stored_hook);
	RUN(hd104_names_the_incoming_hooks_of_a_pipeline_without_outgoing);
	RUN(hd701_tells_never_fired_from_nothing_to_fire_on);
	RUN(hd702_reads_the_providers_own_message);
	RUN(hd703_finds_split_identities_case_insensitively_on_github);
	RUN(hd704_wants_each_actions_own_page);
	RUN(hd705_wants_a_terminal_state_delivered);
	rules_free(rules);
	return unit_done();
}
