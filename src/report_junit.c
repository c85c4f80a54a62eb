/*
 * report_junit.c - `--format junit`: JUnit XML as Jenkins, GitLab,
 * GitHub test reporters and Azure Pipelines read it (the Ant/Jenkins
 * conventions, checked in tests against tests/data/junit.xsd).
 *
 *   <testsuites name="hookdoctor">
 *     one <testsuite> per hook, then one per repository group;
 *     one <testcase> per check: classname "hookdoctor.FAMILY", name
 *     "HDnnn check-name (hook name)";
 *     fail -> <failure type="HDnnn" message="...">message, fix, evidence
 *     skip -> <skipped message="why"/>
 *     warn -> <system-out>warning: ...</system-out>, or a <failure
 *             type="warning"> with --strict (warnings fail then)
 *
 * Streamed: a suite is written when its hook has been checked, so the
 * root element carries no totals (they are optional there); each suite
 * has its own. Every string is redacted, then XML-escaped.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include "redact.h"
#include "rules.h"
#include "util.h"

static void put_attr(FILE *out, const char *name, const char *value)
{
	char *red = redact_text(value ? value : "");

	fprintf(out, " %s=\"", name);
	report_put_xml(out, red);
	fputc('"', out);
	free(red);
}

static bool is_failure(const struct reporter *r, const struct finding *f)
{
	return f->status == CS_FAIL ||
	       (f->status == CS_WARN && r->opts && r->opts->strict);
}

/* The body of a <failure> or a warning's <system-out>. */
static void put_details(FILE *out, const struct finding *f, bool warning)
{
	char *msg = redact_text(f->message ? f->message : "");
	char *ev = report_evidence_text(f->evidence);

	if (warning)
		fputs("warning: ", out);
	report_put_xml(out, msg);
	if (f->hint && *f->hint) {
		char *hint = redact_text(f->hint);

		fputs("&#10;fix: ", out);
		report_put_xml(out, hint);
		free(hint);
	}
	if (*ev) {
		fputs("&#10;evidence:&#10;", out);
		report_put_xml(out, ev);
	}
	free(ev);
	free(msg);
}

static void put_case(struct reporter *r, const struct finding *f,
		     const char *who)
{
	FILE *out = r->out;
	const struct check_def *d = f->def;
	char *name = xasprintf("%s %s%s%s%s", d ? d->id : "HD???",
			       d ? d->name : "?", who ? " (" : "",
			       who ? who : "", who ? ")" : "");
	char *cls = xasprintf("hookdoctor.%s", d && d->family ? d->family
							      : "other");

	fputs("    <testcase", out);
	put_attr(out, "name", name);
	put_attr(out, "classname", cls);
	fputs(" time=\"0\"", out);
	free(name);
	free(cls);
	if (f->status == CS_PASS) {
		fputs("/>\n", out);
		return;
	}
	fputs(">\n", out);
	if (f->status == CS_SKIP) {
		fputs("      <skipped", out);
		put_attr(out, "message", f->message);
		fputs("/>\n", out);
	} else if (is_failure(r, f)) {
		fputs("      <failure", out);
		put_attr(out, "type", f->status == CS_WARN
				      ? "warning" : (d ? d->id : "HD???"));
		put_attr(out, "message", f->message);
		fputc('>', out);
		put_details(out, f, f->status == CS_WARN);
		fputs("</failure>\n", out);
	} else {
		fputs("      <system-out>", out);
		put_details(out, f, true);
		fputs("</system-out>\n", out);
	}
	fputs("    </testcase>\n", out);
}

static void put_property(FILE *out, const char *name, const char *value)
{
	fputs("      <property", out);
	put_attr(out, "name", name);
	put_attr(out, "value", value);
	fputs("/>\n", out);
}

static void open_suite(struct reporter *r, const char *name,
		       const struct finding *f, size_t n)
{
	unsigned long fail = 0, skip = 0;

	for (size_t i = 0; i < n; i++) {
		if (is_failure(r, &f[i]))
			fail++;
		else if (f[i].status == CS_SKIP)
			skip++;
	}
	fputs("  <testsuite", r->out);
	put_attr(r->out, "name", name);
	fprintf(r->out, " tests=\"%zu\" failures=\"%lu\" errors=\"0\" "
		"skipped=\"%lu\" time=\"0\" id=\"%d\" package=\"hookdoctor\"",
		n, fail, skip, r->first++);
	if (r->opts && r->opts->file)
		put_attr(r->out, "file", strcmp(r->opts->file, "-") == 0
					 ? "stdin" : r->opts->file);
	fputs(">\n", r->out);
}

/* --- reporter hooks --- */

static void junit_begin(struct reporter *r)
{
	r->first = 0;   /* the next suite's id */
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<testsuites name=\"hookdoctor\">\n", r->out);
}

static void junit_hook(struct reporter *r, const struct analysis *a,
		       const struct finding *f, size_t n)
{
	const struct hook *h = a->hook;
	struct sbuf fires = {0};
	char *label, *who;

	who = h && h->name ? xstrdup(h->name)
			   : xasprintf("hook #%d", h ? h->index : 0);
	label = xasprintf("hook \"%s\" (%s)", who,
			  h && h->source ? h->source : "?");
	open_suite(r, label, f, n);
	fputs("    <properties>\n", r->out);
	put_property(r->out, "source", h && h->source ? h->source : "");
	put_property(r->out, "provider", a->provider ? a->provider->name
						     : "not recognised");
	hd_status_words(&fires, a->firing.mask, ",", ",");
	put_property(r->out, "fires_on", fires.s ? fires.s : "");
	sbuf_free(&fires);
	fputs("    </properties>\n", r->out);
	for (size_t i = 0; i < n; i++)
		put_case(r, &f[i], who);
	fputs("  </testsuite>\n", r->out);
	free(label);
	free(who);
}

static void junit_pipeline_begin(struct reporter *r)
{
	(void)r;
}

static void junit_pipeline(struct reporter *r, const struct group *g,
			   const struct finding *f, size_t n)
{
	const char *repo = g->repo ? g->repo : "(unknown)";
	char *label = g->pipeline_id
		      ? xasprintf("repository %s (pipeline %s)", repo,
				  g->pipeline_id)
		      : xasprintf("repository %s", repo);

	open_suite(r, label, f, n);
	fputs("    <properties>\n", r->out);
	put_property(r->out, "repository", repo);
	put_property(r->out, "provider", g->provider ? g->provider->name
						     : "not recognised");
	for (size_t i = 0; i < g->nmembers; i++)
		put_property(r->out, "hook", g->members[i].hook_name
					     ? g->members[i].hook_name
					     : "(unnamed)");
	fputs("    </properties>\n", r->out);
	for (size_t i = 0; i < n; i++)
		put_case(r, &f[i], repo);
	fputs("  </testsuite>\n", r->out);
	free(label);
}

static void junit_end(struct reporter *r, const struct summary *s)
{
	(void)s;
	fputs("</testsuites>\n", r->out);
	fflush(r->out);
}

void report_junit_init(struct reporter *r, FILE *out,
		       const struct options *o)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->opts = o;
	r->begin = junit_begin;
	r->hook = junit_hook;
	r->pipeline_begin = junit_pipeline_begin;
	r->pipeline = junit_pipeline;
	r->end = junit_end;
}
