/*
 * test_report.c - the text and JSON reporters and render_out, fed findings
 * and requests built by hand. It links with the whole library (status
 * and event names come from status.c and check.c).
 *
 * Token literals are split ("gh" "p_...") so that secret scanners do not
 * flag this file; they are fake.
 */
#include <stdlib.h>
#include <string.h>
#include "redact.h"
#include "render_out.h"
#include "report.h"
#include "rules.h"
#include "util.h"
#include "unit.h"

#define GHP "gh" "p_0123456789abcdefghijABCDEFGHIJ012345"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0-dev"
#endif

static const struct check_def defs[] = {
	{"HD101", "pipeline-id", "hook", CS_FAIL, 0, SCOPE_HOOK, NULL, NULL, ""},
	{"HD111", "target-url", "hook", CS_FAIL, 0, SCOPE_HOOK, NULL, NULL, ""},
	{"HD205", "inline-secrets", "template", CS_WARN, 0, SCOPE_HOOK, NULL, NULL, ""},
	{"HD308", "state-valid", "request", CS_FAIL, 0, SCOPE_HOOK, NULL, NULL, ""},
	{"HD501", "dns", "network", CS_FAIL, 0, SCOPE_HOOK, NULL, NULL, ""},
	{"HD403", "identity-shared", "status", CS_FAIL, 0, SCOPE_PIPELINE, NULL, NULL, ""},
};

static struct provider github = {.name = "github",
				 .title = "GitHub / GitHub Enterprise"};

/* Captures what a function writes to a FILE. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static char *cap_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static void set(struct finding *f, const struct check_def *d,
		enum check_status st, const char *msg, const char *hint)
{
	memset(f, 0, sizeof(*f));
	f->def = d;
	f->status = st;
	f->message = msg ? xstrdup(msg) : NULL;
	f->hint = hint ? xstrdup(hint) : NULL;
}

static void clear(struct finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].message);
		free(f[i].hint);
		cJSON_Delete(f[i].evidence);
	}
}

/* One hook with five findings, one of each kind, secrets included. */
static void sample(struct hook *h, struct analysis *a, struct finding *f)
{
	memset(h, 0, sizeof(*h));
	memset(a, 0, sizeof(*a));
	h->name = "commit status";
	h->source = "file:hook.json#0";
	a->hook = h;
	a->provider = &github;
	a->firing.mask = ST_BIT(ST_COMPLETED) | ST_BIT(ST_FAILED);
	set(&f[0], &defs[4], CS_SKIP, "skipped: --offline", NULL);
	set(&f[1], &defs[0], CS_PASS, "pipeline_id 42 is a positive integer",
	    NULL);
	set(&f[2], &defs[1], CS_FAIL,
	    "target_url has userinfo",
	    "remove the credentials from https://u:pw@api.github.com/x");
	f[2].evidence = cJSON_CreateObject();
	cJSON_AddStringToObject(f[2].evidence, "target_url",
				"https://u:pw@api.github.com/x?access_token=abc");
	cJSON_AddStringToObject(f[2].evidence, "authorization",
				"Bearer " GHP);
	cJSON_AddStringToObject(f[2].evidence, "header",
				"PRIVATE-TOKEN: plainsecret");
	set(&f[3], &defs[2], CS_WARN, "a GitHub token (" GHP ") in header",
	    "use {{ application.source_provider.access_token }}");
	set(&f[4], &defs[3], CS_PASS, "every state is valid", NULL);
}

static struct options opts(bool quiet, bool verbose)
{
	struct options o;

	memset(&o, 0, sizeof(o));
	o.quiet = quiet;
	o.verbose = verbose;
	return o;
}

static void run_text(const struct options *o, struct capture *c)
{
	struct reporter r;
	struct hook h;
	struct analysis a;
	struct finding f[5], pf[1];
	struct member m[2] = {{.hook_name = "commit status"},
			      {.hook_name = NULL}};
	struct group g = {.repo = "owner/repo on api.github.com",
			  .pipeline_id = "42", .provider = &github,
			  .members = m, .nmembers = 2};
	struct summary s = {.pass = 2, .warn = 1, .fail = 2, .skip = 1,
			    .hooks = 1};

	sample(&h, &a, f);
	set(&pf[0], &defs[5], CS_FAIL, "identities differ: \"ci\" and \"CI/x\"",
	    "use one context");
	report_text_init(&r, cap_open(c), o);
	r.begin(&r);
	r.hook(&r, &a, f, 5);
	r.pipeline_begin(&r);
	r.pipeline(&r, &g, pf, 1);
	r.end(&r, &s);
	clear(f, 5);
	clear(pf, 1);
}

static bool no_secret(const char *out)
{
	return !strstr(out, GHP) && !strstr(out, "pw@") &&
	       !strstr(out, "plainsecret") && !strstr(out, "=abc");
}

TEST(text_layout)
{
	struct options o = opts(false, false);
	struct capture c;
	char *out, *m_up = redact_mask("u:pw", 4), *m_tok = redact_mask(GHP, strlen(GHP)), *want;

	run_text(&o, &c);
	out = cap_close(&c);
	want = xasprintf(
		"hook \"commit status\" (file:hook.json#0)  provider: GitHub / GitHub Enterprise  fires on: completed, failed\n"
		"  hook\n"
		"    ok    HD101  pipeline-id          pipeline_id 42 is a positive integer\n"
		"    FAIL  HD111  target-url           target_url has userinfo\n"
		"          fix: remove the credentials from https://%s@api.github.com/x\n"
		"  template\n"
		"    warn  HD205  inline-secrets       a GitHub token (%s) in header\n"
		"          fix: use {{ application.source_provider.access_token }}\n"
		"  request\n"
		"    ok    HD308  state-valid          every state is valid\n"
		"  network\n"
		"    skip  HD501  dns                  skipped: --offline\n"
		"\n"
		"repository owner/repo on api.github.com (GitHub / GitHub Enterprise): 2 hooks of pipeline 42 (\"commit status\", unnamed)\n"
		"  FAIL  HD403  identity-shared      identities differ: \"ci\" and \"CI/x\"\n"
		"        fix: use one context\n"
		"\n"
		"1 hook checked: 2 passed, 1 warning, 2 failed, 1 skipped\n"
		"see 'hookdoctor explain HD111' for the first failure (target-url)\n",
		m_up, m_tok);
	EXPECT_STR(out, want);
	EXPECT(no_secret(out));
	free(out);
	free(want);
	free(m_up);
	free(m_tok);
}

TEST(text_quiet_shows_problems_only)
{
	struct options o = opts(true, false);
	struct capture c;
	char *out;

	run_text(&o, &c);
	out = cap_close(&c);
	EXPECT(strstr(out, "FAIL  HD111") != NULL);
	EXPECT(strstr(out, "warn  HD205") != NULL);
	EXPECT(strstr(out, "HD101") == NULL);
	EXPECT(strstr(out, "HD501") == NULL);
	EXPECT(strstr(out, "  request\n") == NULL);
	EXPECT(strstr(out, "1 hook checked:") != NULL);
	free(out);
}

TEST(text_verbose_shows_redacted_evidence)
{
	struct options o = opts(false, true);
	struct capture c;
	char *out, *m_tok = redact_mask(GHP, strlen(GHP)), *line;

	run_text(&o, &c);
	out = cap_close(&c);
	line = xasprintf("          authorization: Bearer %s\n", m_tok);
	EXPECT(strstr(out, line) != NULL);
	EXPECT(strstr(out, "          target_url: https://***(sha256:") != NULL);
	EXPECT(strstr(out, "?access_token=***(sha256:") != NULL);
	EXPECT(strstr(out, "          header: PRIVATE-TOKEN: ***(sha256:") != NULL);
	EXPECT(no_secret(out));
	free(line);
	free(out);
	free(m_tok);
}

TEST(text_colour_only_when_asked)
{
	struct options o = opts(false, false);
	struct capture c;
	char *out;

	run_text(&o, &c);
	out = cap_close(&c);
	EXPECT(strchr(out, '\033') == NULL);
	free(out);
	o.use_color = true;
	run_text(&o, &c);
	out = cap_close(&c);
	EXPECT(strstr(out, "\033[1;31mFAIL\033[0m") != NULL);
	EXPECT(strstr(out, "\033[32mok  \033[0m") != NULL);
	free(out);
}

TEST(text_escapes_control_characters)
{
	struct options o = opts(false, false);
	struct capture c;
	struct reporter r;
	struct hook h = {.name = "evil\033[2Jname", .source = "stdin#0"};
	struct analysis a = {.hook = &h};
	struct finding f[1];
	struct summary s = {.hooks = 1, .fail = 1};
	char *out;

	set(&f[0], &defs[0], CS_FAIL, "line one\nline two", NULL);
	report_text_init(&r, cap_open(&c), &o);
	r.begin(&r);
	r.hook(&r, &a, f, 1);
	r.pipeline_begin(&r);
	r.end(&r, &s);
	out = cap_close(&c);
	EXPECT(strchr(out, '\033') == NULL);
	EXPECT(strstr(out, "hook \"evil\\x1b[2Jname\" (stdin#0)  provider: not recognised  fires on: nothing\n") != NULL);
	EXPECT(strstr(out, "pipeline-id          line one\n          line two\n") != NULL);
	free(out);
	clear(f, 1);
}

TEST(json_document)
{
	struct options o = opts(false, false);
	struct capture c;
	struct reporter r;
	struct hook h;
	struct analysis a;
	struct finding f[5], pf[1];
	struct member m[1] = {{.hook_name = "commit status"}};
	struct group g = {.repo = "owner/repo on api.github.com",
			  .pipeline_id = NULL, .provider = &github,
			  .members = m, .nmembers = 1};
	struct summary s = {.pass = 4, .warn = 2, .fail = 5, .skip = 2,
			    .hooks = 2};
	cJSON *doc, *hooks, *h0, *ck, *ev;
	char *out;

	report_json_init(&r, cap_open(&c), &o);
	r.begin(&r);
	for (int k = 0; k < 2; k++) {
		sample(&h, &a, f);
		if (k == 1)
			a.provider = NULL;
		r.hook(&r, &a, f, 5);
		clear(f, 5);
	}
	r.pipeline_begin(&r);
	set(&pf[0], &defs[5], CS_FAIL, "differ", "one");
	r.pipeline(&r, &g, pf, 1);
	clear(pf, 1);
	r.end(&r, &s);
	out = cap_close(&c);
	EXPECT(no_secret(out));
	doc = cJSON_Parse(out);
	EXPECT(doc != NULL);
	if (!doc) {
		printf("%s\n", out);
		free(out);
		return;
	}
	EXPECT_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tool"), "name")->valuestring,
		   "hookdoctor");
	EXPECT(cJSON_IsString(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tool"), "version")));
	hooks = cJSON_GetObjectItem(doc, "hooks");
	EXPECT_INT(cJSON_GetArraySize(hooks), 2);
	h0 = cJSON_GetArrayItem(hooks, 0);
	EXPECT_STR(cJSON_GetObjectItem(h0, "name")->valuestring, "commit status");
	EXPECT_STR(cJSON_GetObjectItem(h0, "source")->valuestring, "file:hook.json#0");
	EXPECT_STR(cJSON_GetObjectItem(h0, "provider")->valuestring, "github");
	EXPECT(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(hooks, 1), "provider")));
	EXPECT_INT(cJSON_GetArraySize(cJSON_GetObjectItem(h0, "fires_on")), 2);
	ck = cJSON_GetArrayItem(cJSON_GetObjectItem(h0, "checks"), 2);
	EXPECT_STR(cJSON_GetObjectItem(ck, "id")->valuestring, "HD111");
	EXPECT_STR(cJSON_GetObjectItem(ck, "name")->valuestring, "target-url");
	EXPECT_STR(cJSON_GetObjectItem(ck, "status")->valuestring, "fail");
	EXPECT(cJSON_IsString(cJSON_GetObjectItem(ck, "message")));
	EXPECT(cJSON_IsString(cJSON_GetObjectItem(ck, "hint")));
	ev = cJSON_GetObjectItem(ck, "evidence");
	EXPECT(cJSON_IsObject(ev));
	EXPECT(strncmp(cJSON_GetObjectItem(ev, "authorization")->valuestring,
		       "Bearer ***(sha256:", 18) == 0);
	ck = cJSON_GetArrayItem(cJSON_GetObjectItem(h0, "checks"), 1);
	EXPECT(cJSON_IsNull(cJSON_GetObjectItem(ck, "hint")));
	EXPECT(cJSON_IsObject(cJSON_GetObjectItem(ck, "evidence")));
	ck = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "pipeline_checks"), 0);
	EXPECT_STR(cJSON_GetObjectItem(ck, "repository")->valuestring,
		   "owner/repo on api.github.com");
	EXPECT_STR(cJSON_GetObjectItem(ck, "provider")->valuestring, "github");
	EXPECT(cJSON_IsNull(cJSON_GetObjectItem(ck, "pipeline_id")));
	EXPECT_INT(cJSON_GetArraySize(cJSON_GetObjectItem(ck, "hooks")), 1);
	EXPECT_INT(cJSON_GetArraySize(cJSON_GetObjectItem(ck, "checks")), 1);
	EXPECT_INT(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "fail")->valueint, 5);
	EXPECT_INT(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "pass")->valueint, 4);
	cJSON_Delete(doc);
	free(out);
}

TEST(json_empty_run_is_valid)
{
	struct options o = opts(false, false);
	struct capture c;
	struct reporter r;
	struct summary s = {0};
	char *out;

	report_json_init(&r, cap_open(&c), &o);
	r.begin(&r);
	r.pipeline_begin(&r);
	r.end(&r, &s);
	out = cap_close(&c);
	EXPECT_STR(out, "{\"tool\":{\"name\":\"hookdoctor\",\"version\":\"" HD_VERSION
		   "\"},\"hooks\":[],\"pipeline_checks\":[],\"summary\":{\"pass\":0,"
		   "\"warn\":0,\"fail\":0,\"skip\":0,\"hooks\":0}}\n");
	free(out);
	/* end() without pipeline_begin() still closes the document */
	report_json_init(&r, cap_open(&c), &o);
	r.begin(&r);
	r.end(&r, &s);
	out = cap_close(&c);
	cJSON *doc = cJSON_Parse(out);
	EXPECT(doc != NULL);
	cJSON_Delete(doc);
	free(out);
}

TEST(report_redacted_by_key)
{
	char *v;

	v = report_redacted("url", "https://h/p?token=abc");
	EXPECT(strstr(v, "abc") == NULL);
	free(v);
	v = report_redacted("location", "https://h/p?private_token=abc");
	EXPECT(strstr(v, "abc") == NULL);
	free(v);
	v = report_redacted("headers", "Accept: application/json\nAuthorization: token abc\nX-Api-Key: k");
	EXPECT(strncmp(v, "Accept: application/json\nAuthorization: token ***(sha256:", 57) == 0);
	EXPECT(strstr(v, "X-Api-Key: ***(sha256:") != NULL);
	free(v);
	v = report_redacted("body", "{\"state\": \"success\", \"token\": \"abc\"}");
	EXPECT(strstr(v, "abc") == NULL);
	EXPECT(strstr(v, "\"state\":\"success\"") != NULL);
	free(v);
	/* JSON without secrets keeps its spacing */
	v = report_redacted("body", "{\"state\": \"success\"}");
	EXPECT_STR(v, "{\"state\": \"success\"}");
	free(v);
	v = report_redacted("key", "devopness-deploy");
	EXPECT_STR(v, "devopness-deploy");
	free(v);
	v = report_redacted("commit", "9fceb02d0ae598e95dc970b74767f19372d61af8");
	EXPECT_STR(v, "9fceb02d0ae598e95dc970b74767f19372d61af8");
	free(v);
	v = report_redacted("token", "{{ application.source_provider.access_token }}");
	EXPECT_STR(v, "{{ application.source_provider.access_token }}");
	free(v);
	v = report_redacted("x", NULL);
	EXPECT_STR(v, "");
	free(v);
}

/* --- render_out --- */

static void sample_request(struct hook *h, struct analysis *a,
			   struct request *rq, struct hd_header *hd)
{
	memset(h, 0, sizeof(*h));
	memset(a, 0, sizeof(*a));
	memset(rq, 0, sizeof(*rq));
	h->name = "commit status";
	h->source = "file:hook.json#0";
	a->hook = h;
	rq->status = ST_COMPLETED;
	rq->event = EV_COMPLETED;
	rq->url = "https://api.github.com/repos/o/r/statuses/9fceb02d?x=1";
	hd[0] = (struct hd_header){.name = "Authorization",
				   .value = "Bearer " VARS_TOKEN_PLACEHOLDER};
	hd[1] = (struct hd_header){.name = "Accept",
				   .value = "application/vnd.github+json"};
	hd[2] = (struct hd_header){.name = "X-Note", .value = "it's $HOME `x` \"q\" !"};
	rq->headers = hd;
	rq->nheaders = 3;
	rq->body = "{\"state\": \"success\", \"context\": \"it's\"}";
	rq->body_json = cJSON_Parse(rq->body);
}

static char *render(enum hd_render_as as, int n)
{
	struct capture c;
	struct hook h;
	struct analysis a;
	struct request rq;
	struct hd_header hd[3];
	FILE *f = cap_open(&c);

	sample_request(&h, &a, &rq, hd);
	render_out_begin(f, as);
	for (int i = 0; i < n; i++)
		render_out_request(f, as, &a, &rq);
	render_out_end(f, as);
	cJSON_Delete(rq.body_json);
	return cap_close(&c);
}

TEST(render_http)
{
	char *out = render(AS_HTTP, 2);
	const char *one =
		"# hook commit status, event action.completed, status completed\n"
		"POST /repos/o/r/statuses/9fceb02d?x=1 HTTP/1.1\n"
		"Host: api.github.com\n"
		"Authorization: Bearer ${HOOKDOCTOR_PROVIDER_TOKEN}\n"
		"Accept: application/vnd.github+json\n"
		"X-Note: it's $HOME `x` \"q\" !\n"
		"\n"
		"{\"state\": \"success\", \"context\": \"it's\"}\n";
	char *want = xasprintf("%s\n%s", one, one);

	EXPECT_STR(out, want);
	free(want);
	free(out);
}

TEST(render_curl)
{
	char *out = render(AS_CURL, 1);

	EXPECT_STR(out,
		   "# hook commit status, event action.completed, status completed\n"
		   "curl -sS -X POST 'https://api.github.com/repos/o/r/statuses/9fceb02d?x=1' \\\n"
		   "  -H \"Authorization: Bearer ${HOOKDOCTOR_PROVIDER_TOKEN}\" \\\n"
		   "  -H 'Accept: application/vnd.github+json' \\\n"
		   "  -H 'X-Note: it'\\''s $HOME `x` \"q\" !' \\\n"
		   "  --data-raw '{\"state\": \"success\", \"context\": \"it'\\''s\"}'\n");
	free(out);
}

TEST(render_curl_double_quotes_escape)
{
	struct capture c;
	struct hook h;
	struct analysis a;
	struct request rq;
	struct hd_header hd[3];
	FILE *f = cap_open(&c);
	char *out;

	sample_request(&h, &a, &rq, hd);
	hd[0].name = "X-Odd";
	hd[0].value = "a\"b$c`d\\e!f " VARS_TOKEN_PLACEHOLDER;
	rq.nheaders = 1;
	rq.body = NULL;
	cJSON_Delete(rq.body_json);
	rq.body_json = NULL;
	render_out_begin(f, AS_CURL);
	render_out_request(f, AS_CURL, &a, &rq);
	render_out_end(f, AS_CURL);
	out = cap_close(&c);
	EXPECT(strstr(out, "  -H \"X-Odd: a\\\"b\\$c\\`d\\\\e\"'!'\"f ${HOOKDOCTOR_PROVIDER_TOKEN}\"\n") != NULL);
	EXPECT(strstr(out, "--data-raw") == NULL);
	free(out);
}

TEST(render_redacts_everything)
{
	struct hd_header hd[2] = {
		{.name = "PRIVATE-TOKEN", .value = "literal-secret-123"},
		{.name = "Content-Type", .value = "application/json"},
	};
	struct hook h = {.name = "gl", .source = "stdin#0"};
	struct analysis a = {.hook = &h};
	struct request rq = {.status = ST_FAILED, .event = EV_FAILED,
			     .url = "https://user:pw@gitlab.com/api/v4/projects/1/statuses/abc?private_token=zzz",
			     .headers = hd, .nheaders = 2,
			     .body = "{\"state\":\"failed\",\"token\":\"abc123\",\"description\":\"" GHP "\"}"};
	enum hd_render_as forms[] = {AS_HTTP, AS_CURL, AS_JSON};

	rq.body_json = cJSON_Parse(rq.body);
	for (size_t k = 0; k < 3; k++) {
		struct capture c;
		FILE *f = cap_open(&c);
		char *out;

		render_out_begin(f, forms[k]);
		render_out_request(f, forms[k], &a, &rq);
		render_out_end(f, forms[k]);
		out = cap_close(&c);
		EXPECT(strstr(out, "literal-secret-123") == NULL);
		EXPECT(strstr(out, "pw@") == NULL);
		EXPECT(strstr(out, "zzz") == NULL);
		EXPECT(strstr(out, "abc123") == NULL);
		EXPECT(strstr(out, GHP) == NULL);
		EXPECT(strstr(out, "***(sha256:") != NULL);
		if (forms[k] == AS_HTTP)
			EXPECT(strstr(out, "Host: gitlab.com\n") != NULL);
		if (forms[k] == AS_CURL)
			EXPECT(strstr(out, "# values shown as *** are redacted") != NULL);
		free(out);
	}
	cJSON_Delete(rq.body_json);
}

TEST(render_json_array)
{
	char *out = render(AS_JSON, 2);
	cJSON *doc = cJSON_Parse(out), *e;

	EXPECT(cJSON_IsArray(doc));
	EXPECT_INT(cJSON_GetArraySize(doc), 2);
	e = cJSON_GetArrayItem(doc, 0);
	EXPECT_STR(cJSON_GetObjectItem(e, "hook")->valuestring, "commit status");
	EXPECT_STR(cJSON_GetObjectItem(e, "event")->valuestring, "action.completed");
	EXPECT_STR(cJSON_GetObjectItem(e, "status")->valuestring, "completed");
	EXPECT_STR(cJSON_GetObjectItem(e, "method")->valuestring, "POST");
	EXPECT_STR(cJSON_GetObjectItem(e, "url")->valuestring,
		   "https://api.github.com/repos/o/r/statuses/9fceb02d?x=1");
	EXPECT_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(e, "headers"), 0), "value")->valuestring,
		   "Bearer " VARS_TOKEN_PLACEHOLDER);
	EXPECT_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "body"), "state")->valuestring,
		   "success");
	cJSON_Delete(doc);
	free(out);
	out = render(AS_JSON, 0);
	EXPECT_STR(out, "[]\n");
	free(out);
}

TEST(render_json_string_and_null_body)
{
	struct hook h = {.name = NULL, .source = "s"};
	struct analysis a = {.hook = &h};
	struct request rq = {.status = ST_QUEUED, .event = -1, .url = "https://h/"};
	struct capture c;
	FILE *f = cap_open(&c);
	cJSON *doc, *e0, *e1;
	char *out;

	render_out_begin(f, AS_JSON);
	render_out_request(f, AS_JSON, &a, &rq);
	rq.body = "not json " GHP;
	render_out_request(f, AS_JSON, &a, &rq);
	render_out_end(f, AS_JSON);
	out = cap_close(&c);
	doc = cJSON_Parse(out);
	e0 = cJSON_GetArrayItem(doc, 0);
	e1 = cJSON_GetArrayItem(doc, 1);
	EXPECT(cJSON_IsNull(cJSON_GetObjectItem(e0, "body")));
	EXPECT(cJSON_IsNull(cJSON_GetObjectItem(e0, "hook")));
	EXPECT(cJSON_IsNull(cJSON_GetObjectItem(e0, "event")));
	EXPECT(cJSON_IsString(cJSON_GetObjectItem(e1, "body")));
	EXPECT(strncmp(cJSON_GetObjectItem(e1, "body")->valuestring, "not json ***(sha256:", 20) == 0);
	cJSON_Delete(doc);
	free(out);
}

int main(void)
{
	/* The text marks follow the locale (test_formats.c tests UTF-8):
	 * these expect the ASCII ones. */
	setenv("LC_ALL", "C", 1);
	RUN(text_layout);
	RUN(text_quiet_shows_problems_only);
	RUN(text_verbose_shows_redacted_evidence);
	RUN(text_colour_only_when_asked);
	RUN(text_escapes_control_characters);
	RUN(json_document);
	RUN(json_empty_run_is_valid);
	RUN(report_redacted_by_key);
	RUN(render_http);
	RUN(render_curl);
	RUN(render_curl_double_quotes_escape);
	RUN(render_redacts_everything);
	RUN(render_json_array);
	RUN(render_json_string_and_null_body);
	return unit_done();
}
