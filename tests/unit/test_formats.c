/*
 * test_formats.c - the Markdown, JUnit and SARIF reporters, the text
 * marks per locale, and the helpers they share (report.c): XML escaping,
 * where a finding points in the hook file. Findings are built by hand;
 * the end-to-end checks against the SARIF schema and the JUnit XSD are in
 * tests/formats/run.sh.
 *
 * Token literals are split ("gh" "p_...") so that secret scanners do not
 * flag this file; they are fake.
 */
#include <stdlib.h>
#include <string.h>
#include "jsonpos.h"
#include "redact.h"
#include "report.h"
#include "rules.h"
#include "util.h"
#include "unit.h"

#define GHP "gh" "p_0123456789abcdefghijABCDEFGHIJ012345"

static const struct check_def defs[] = {
	{"HD101", "pipeline-id", "hook", CS_FAIL, 0, SCOPE_HOOK, NULL, NULL, "pid"},
	{"HD111", "target-url", "hook", CS_FAIL, 0, SCOPE_HOOK, NULL, NULL, "url"},
	{"HD205", "inline-secrets", "template", CS_WARN, 0, SCOPE_HOOK, NULL, NULL, "sec"},
	{"HD501", "dns", "network", CS_FAIL, 0, SCOPE_HOOK, NULL, NULL, "dns"},
};

static struct provider github = {.name = "github", .title = "GitHub"};

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
	f->message = xstrdup(msg);
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

/* A hook with one finding of each status; a token in a message, a hint
 * and evidence; markup characters in the name. */
static void sample(struct hook *h, struct analysis *a, struct finding *f)
{
	memset(h, 0, sizeof(*h));
	memset(a, 0, sizeof(*a));
	h->name = "status <b>&amp; \"quotes\" | pipes";
	h->source = "file:hook.json#0";
	h->line = 2;
	h->col = 3;
	a->hook = h;
	a->provider = &github;
	a->firing.mask = ST_BIT(ST_COMPLETED);
	set(&f[0], &defs[0], CS_PASS, "pipeline 42 is fine", NULL);
	set(&f[1], &defs[1], CS_FAIL, "target_url uses http://",
	    "use https:// (token " GHP ")");
	f[1].evidence = cJSON_CreateObject();
	cJSON_AddStringToObject(f[1].evidence, "at", "6:19");
	cJSON_AddStringToObject(f[1].evidence, "authorization", "Bearer " GHP);
	set(&f[2], &defs[2], CS_WARN, "a token (" GHP ") in a header",
	    "use the template variable");
	set(&f[3], &defs[3], CS_SKIP, "skipped: --offline", NULL);
}

static char *run(void (*init)(struct reporter *, FILE *,
			      const struct options *),
		 const struct options *o)
{
	struct capture c;
	struct reporter r;
	struct hook h;
	struct analysis a;
	struct finding f[4];
	struct summary s = {.pass = 1, .warn = 1, .fail = 1, .skip = 1,
			    .hooks = 1};

	sample(&h, &a, f);
	init(&r, cap_open(&c), o);
	r.begin(&r);
	r.hook(&r, &a, f, 4);
	r.pipeline_begin(&r);
	r.end(&r, &s);
	clear(f, 4);
	return cap_close(&c);
}

static struct options opts(bool strict)
{
	struct options o;

	memset(&o, 0, sizeof(o));
	o.strict = strict;
	o.file = "hooks/x y.json";
	return o;
}

TEST(markdown_escapes_and_redacts)
{
	struct options o = opts(false);
	char *out = run(report_markdown_init, &o);

	EXPECT(strstr(out, GHP) == NULL);
	EXPECT(strstr(out, "<b>") == NULL);
	EXPECT(strstr(out, "&lt;b&gt;") != NULL);
	EXPECT(strstr(out, "\\| pipes") != NULL);
	EXPECT(strstr(out, "| \xe2\x9d\x8c fail | HD111 | target-url |") != NULL);
	EXPECT(strstr(out, "- **HD111 target-url**: use https://") != NULL);
	EXPECT(strstr(out, "hookdoctor explain HD111") != NULL);
	free(out);
}

TEST(junit_maps_statuses)
{
	struct options o = opts(false);
	char *out = run(report_junit_init, &o);

	EXPECT(strstr(out, GHP) == NULL);
	EXPECT(strstr(out, "<testsuites name=\"hookdoctor\">") != NULL);
	EXPECT(strstr(out, "tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\"") != NULL);
	EXPECT(strstr(out, "<failure type=\"HD111\" message=\"target_url uses http://\">") != NULL);
	EXPECT(strstr(out, "<skipped message=\"skipped: --offline\"/>") != NULL);
	EXPECT(strstr(out, "<system-out>warning: a token") != NULL);
	EXPECT(strstr(out, "&lt;b&gt;&amp;amp; &quot;quotes&quot;") != NULL);
	EXPECT(strstr(out, "</testsuites>\n") != NULL);
	free(out);
}

TEST(junit_strict_makes_warnings_failures)
{
	struct options o = opts(true);
	char *out = run(report_junit_init, &o);

	EXPECT(strstr(out, "failures=\"2\"") != NULL);
	EXPECT(strstr(out, "<failure type=\"warning\"") != NULL);
	EXPECT(strstr(out, "<system-out>") == NULL);
	free(out);
}

TEST(sarif_results_and_locations)
{
	struct options o = opts(false);
	char *out = run(report_sarif_init, &o);
	cJSON *doc = cJSON_Parse(out), *run0, *res, *r1, *reg;

	EXPECT(doc != NULL);
	EXPECT(strstr(out, GHP) == NULL);
	run0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0);
	res = cJSON_GetObjectItem(run0, "results");
	/* the problems only: the pass and the skip are counted, no results
	 * (GitHub code scanning would raise an alert for each) */
	EXPECT_INT(cJSON_GetArraySize(res), 2);
	EXPECT(strstr(out, "\"kind\":\"pass\"") == NULL);
	EXPECT(strstr(out, "notApplicable") == NULL);
	EXPECT(strstr(out, "\"pass\":1,\"warn\":1,\"fail\":1,\"skip\":1") != NULL);
	r1 = cJSON_GetArrayItem(res, 0);
	EXPECT_STR(cJSON_GetObjectItem(r1, "ruleId")->valuestring, "HD111");
	EXPECT_STR(cJSON_GetObjectItem(r1, "level")->valuestring, "error");
	reg = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
		cJSON_GetObjectItem(r1, "locations"), 0), "physicalLocation"),
		"region");
	EXPECT_INT(cJSON_GetObjectItem(reg, "startLine")->valueint, 6);
	EXPECT_INT(cJSON_GetObjectItem(reg, "startColumn")->valueint, 19);
	EXPECT(strstr(out, "\"uri\":\"hooks/x%20y.json\"") != NULL);
	EXPECT_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(res, 1), "level")->valuestring,
		   "warning");
	EXPECT_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(res, 1), "kind")->valuestring,
		   "fail");
	cJSON_Delete(doc);
	free(out);
}

TEST(sarif_strict_warning_is_error)
{
	struct options o = opts(true);
	char *out = run(report_sarif_init, &o);
	cJSON *doc = cJSON_Parse(out);
	cJSON *res = cJSON_GetObjectItem(cJSON_GetArrayItem(
		cJSON_GetObjectItem(doc, "runs"), 0), "results");

	EXPECT_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(res, 1), "level")->valuestring,
		   "error");
	cJSON_Delete(doc);
	free(out);
}

TEST(text_marks_follow_the_locale)
{
	struct options o = opts(false);
	char *out;

	setenv("LC_ALL", "en_US.UTF-8", 1);
	out = run(report_text_init, &o);
	EXPECT(strstr(out, "    \xe2\x9c\x93  HD101  pipeline-id") != NULL);
	EXPECT(strstr(out, "    \xe2\x9c\x97  HD111  target-url") != NULL);
	EXPECT(strstr(out, "    !  HD205") != NULL);
	EXPECT(strstr(out, "    \xe2\x80\x93  HD501") != NULL);
	EXPECT(strstr(out, "       fix: use https://") != NULL);
	EXPECT(strstr(out, GHP) == NULL);
	free(out);
	setenv("LC_ALL", "C", 1);
	out = run(report_text_init, &o);
	EXPECT(strstr(out, "    ok    HD101") != NULL);
	EXPECT(strstr(out, "    FAIL  HD111") != NULL);
	EXPECT(strstr(out, "    warn  HD205") != NULL);
	EXPECT(strstr(out, "    skip  HD501") != NULL);
	EXPECT(strstr(out, "\xe2\x9c") == NULL);
	free(out);
}

TEST(locale_detection)
{
	unsetenv("LC_ALL");
	unsetenv("LC_CTYPE");
	setenv("LANG", "de_DE.utf8", 1);
	EXPECT(report_locale_utf8());
	setenv("LC_CTYPE", "POSIX", 1);
	EXPECT(!report_locale_utf8());
	setenv("LC_ALL", "C.UTF-8", 1);
	EXPECT(report_locale_utf8());
	unsetenv("LC_ALL");
	unsetenv("LC_CTYPE");
	unsetenv("LANG");
	EXPECT(!report_locale_utf8());
	setenv("LC_ALL", "C", 1);
}

TEST(xml_escapes_everything_xml_cannot_hold)
{
	struct capture c;
	char *out;

	report_put_xml(cap_open(&c), "a<b>&\"'\x01\x7f\xff\xc3\xa9\n");
	out = cap_close(&c);
	EXPECT_STR(out, "a&lt;b&gt;&amp;&quot;&apos;\xef\xbf\xbd\xef\xbf\xbd"
		   "\xef\xbf\xbd\xc3\xa9&#10;");
	free(out);
}

TEST(finding_points_at_evidence_field_or_member)
{
	static const char text[] =
		"{\n  \"name\": \"x\",\n  \"target_url\": \"http://h/\",\n"
		"  \"settings\": {\"request_headers\": [{\"name\": \"A\", "
		"\"value\": \"b\"}]}\n}\n";
	struct hd_error err = {{0}};
	struct hook h;
	struct finding f;
	int line, col;

	memset(&h, 0, sizeof(h));
	h.json = jsonpos_parse(text, 0, sizeof(text) - 1, "t.json", &h.pos,
			       &err);
	EXPECT(h.json != NULL);
	h.line = 1;
	h.col = 1;
	memset(&f, 0, sizeof(f));
	f.def = &defs[1];               /* HD111: target_url */
	EXPECT(report_finding_where(&h, &f, &line, &col));
	EXPECT_INT(line, 3);
	EXPECT_INT(col, 17);
	f.evidence = cJSON_CreateObject();
	cJSON_AddStringToObject(f.evidence, "field",
				"settings.request_headers[0].value");
	EXPECT(report_finding_where(&h, &f, &line, &col));
	EXPECT_INT(line, 4);
	cJSON_AddStringToObject(f.evidence, "position", "9:2");
	EXPECT(report_finding_where(&h, &f, &line, &col));
	EXPECT_INT(line, 9);
	EXPECT_INT(col, 2);
	cJSON_Delete(f.evidence);
	f.evidence = NULL;
	f.def = &defs[2];               /* HD205: no member: the hook */
	EXPECT(report_finding_where(&h, &f, &line, &col));
	EXPECT_INT(line, 1);
	cJSON_Delete(h.json);
	jsonpos_free(&h.pos);
}

int main(void)
{
	setenv("LC_ALL", "C", 1);
	RUN(markdown_escapes_and_redacts);
	RUN(junit_maps_statuses);
	RUN(junit_strict_makes_warnings_failures);
	RUN(sarif_results_and_locations);
	RUN(sarif_strict_warning_is_error);
	RUN(text_marks_follow_the_locale);
	RUN(locale_detection);
	RUN(xml_escapes_everything_xml_cannot_hold);
	RUN(finding_points_at_evidence_field_or_member);
	return unit_done();
}
