/*
 * report_markdown.c - `--format markdown`: the report as GitHub-flavoured
 * Markdown, for a CI job summary ($GITHUB_STEP_SUMMARY) or a ticket.
 * Streamed like the text report: per hook a heading and a table of its
 * checks, the fixes of its failures and warnings below it, then the
 * checks per repository, then the counts and what to do next.
 *
 * Every string is redacted (redact.c) and then escaped so that text from
 * the hook cannot inject Markdown or HTML into the rendered page. The
 * support report (cmd_report.c) prints its findings through
 * report_md_findings() so both look the same.
 */
#include "report.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "redact.h"
#include "rules.h"
#include "util.h"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0-dev"
#endif

static const char *const md_marks[] = {
	"\xe2\x9c\x85 pass",                    /* ✅ */
	"\xe2\x9a\xa0\xef\xb8\x8f warn",        /* ⚠️ */
	"\xe2\x9d\x8c fail",                    /* ❌ */
	"\xe2\x9e\x96 skip",                    /* ➖ */
};

void report_put_md(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t hn;

		if ((hn = report_put_hidden(out, s)))
			s += hn - 1;
		else if (c == '\n')
			fputs("<br>", out);
		else if (c == '\r' || c == '\t')
			fputc(' ', out);
		else if (c == '&')
			fputs("&amp;", out);
		else if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else if (strchr("\\`*_[]|#!~{}", c))
			fprintf(out, "\\%c", c);
		else
			fputc(c, out);
	}
}

/* Redacts s, then escapes it. */
static void put_red(FILE *out, const char *s)
{
	char *red = redact_text(s ? s : "");

	report_put_md(out, red);
	free(red);
}

void report_put_md_code(FILE *out, const char *lang, const char *text)
{
	size_t run = 0, longest = 0, n = strlen(text ? text : "");

	for (size_t i = 0; i < n; i++) {
		run = text[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	longest = longest < 3 ? 3 : longest + 1;
	fprintf(out, "%.*s%s\n", (int)longest, "``````````````````````````````",
		lang ? lang : "");
	if (n) {
		fputs(text, out);
		if (text[n - 1] != '\n')
			fputc('\n', out);
	}
	fprintf(out, "%.*s\n\n", (int)longest, "``````````````````````````````");
}

static bool shown(const struct options *o, const struct finding *f)
{
	return !o || !o->quiet || f->status == CS_WARN || f->status == CS_FAIL;
}

void report_md_findings(FILE *out, const struct options *o,
			const struct finding *f, size_t n)
{
	bool any = false, fixes = false;

	for (size_t i = 0; i < n; i++) {
		const struct check_def *d = f[i].def;

		if (!shown(o, &f[i]))
			continue;
		if (!any)
			fputs("| result | ID | check | message |\n"
			      "|---|---|---|---|\n", out);
		any = true;
		fprintf(out, "| %s | %s | %s | ", md_marks[f[i].status],
			d ? d->id : "HD???", d ? d->name : "?");
		put_red(out, f[i].message);
		fputs(" |\n", out);
	}
	if (!any) {
		fputs("No check to show.\n\n", out);
		return;
	}
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		const struct check_def *d = f[i].def;

		if (!(f[i].status == CS_FAIL || f[i].status == CS_WARN) ||
		    !f[i].hint || !*f[i].hint)
			continue;
		if (!fixes)
			fputs("How to fix:\n\n", out);
		fixes = true;
		fprintf(out, "- **%s %s**: ", d ? d->id : "HD???",
			d ? d->name : "?");
		put_red(out, f[i].hint);
		fputc('\n', out);
	}
	if (fixes)
		fputc('\n', out);
}

static void note_problem(struct reporter *r, const struct finding *f,
			 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (f[i].status == CS_FAIL && !r->first_fail)
			r->first_fail = f[i].def;
		if (f[i].status == CS_WARN && !r->first_warn)
			r->first_warn = f[i].def;
	}
}

void report_md_hook_heading(FILE *out, const struct analysis *a)
{
	const struct hook *h = a->hook;

	fputs("## Hook ", out);
	if (h && h->name)
		put_red(out, h->name);
	else
		fprintf(out, "#%d (unnamed)", h ? h->index : 0);
	fputs("\n\n", out);
	if (h && h->source) {
		fputs("Source: ", out);
		put_red(out, h->source);
		fputs(" · ", out);
	}
	fputs("provider: ", out);
	if (a->provider)
		report_put_md(out, a->provider->title ? a->provider->title
						      : a->provider->name);
	else
		fputs("not recognised", out);
	fputs(" · fires on: ", out);
	{
		char *w = report_fires_on(a);

		report_put_md(out, w);
		free(w);
	}
	fputs("\n\n", out);
}

void report_md_group_heading(FILE *out, const struct group *g)
{
	fputs("## Repository ", out);
	put_red(out, g->repo ? g->repo : "(unknown)");
	fputs("\n\n", out);
	if (g->provider) {
		report_put_md(out, g->provider->title ? g->provider->title
						      : g->provider->name);
		fputs(" · ", out);
	}
	fprintf(out, "%zu hook%s", g->nmembers, g->nmembers == 1 ? "" : "s");
	if (g->pipeline_id) {
		fputs(" of pipeline ", out);
		put_red(out, g->pipeline_id);
	}
	for (size_t i = 0; i < g->nmembers; i++) {
		fputs(i ? ", " : ": ", out);
		put_red(out, g->members[i].hook_name ? g->members[i].hook_name
						     : "(unnamed)");
	}
	fputs("\n\n", out);
}

void report_md_summary(FILE *out, const struct reporter *r,
		       const struct summary *s)
{
	const struct check_def *d = r->first_fail ? r->first_fail
						  : r->first_warn;

	fprintf(out, "## Summary\n\n**%lu hook%s checked: %lu passed, %lu "
		"warning%s, %lu failed, %lu skipped.**\n\n", s->hooks,
		s->hooks == 1 ? "" : "s", s->pass, s->warn,
		s->warn == 1 ? "" : "s", s->fail, s->skip);
	if (d)
		fprintf(out, "Next: run `hookdoctor explain %s` for the first "
			"%s (%s), fix it, and check again.\n", d->id,
			r->first_fail ? "failure" : "warning", d->name);
	else
		fputs("Next: nothing to fix.\n", out);
}

/* --- reporter hooks --- */

static void md_begin(struct reporter *r)
{
	fprintf(r->out, "# hookdoctor check\n\nhookdoctor %s\n\n", HD_VERSION);
}

static void md_hook(struct reporter *r, const struct analysis *a,
		    const struct finding *f, size_t n)
{
	note_problem(r, f, n);
	report_md_hook_heading(r->out, a);
	report_md_findings(r->out, r->opts, f, n);
}

static void md_pipeline_begin(struct reporter *r)
{
	(void)r;
}

static void md_pipeline(struct reporter *r, const struct group *g,
			const struct finding *f, size_t n)
{
	note_problem(r, f, n);
	report_md_group_heading(r->out, g);
	report_md_findings(r->out, r->opts, f, n);
}

/* GitHub shows no step summary bigger than this (it drops it whole). */
#define STEP_SUMMARY_MAX (1024L * 1024)

/* Whether out is the file $GITHUB_STEP_SUMMARY names, and it has grown
 * past what GitHub shows; its size then in *size. */
static bool step_summary_too_big(FILE *out, long *size)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	struct stat o, p;

	if (!path || !*path || fstat(fileno(out), &o) < 0 ||
	    stat(path, &p) < 0 || o.st_dev != p.st_dev || o.st_ino != p.st_ino)
		return false;
	*size = (long)o.st_size;
	return o.st_size > STEP_SUMMARY_MAX;
}

static void md_end(struct reporter *r, const struct summary *s)
{
	long size;

	report_md_summary(r->out, r, s);
	fflush(r->out);
	if (!(r->opts && r->opts->quiet) && step_summary_too_big(r->out, &size))
		fprintf(stderr, "hookdoctor: note: $GITHUB_STEP_SUMMARY is now "
			"%ld KiB: GitHub shows no step summary over %ld KiB; "
			"-q keeps the Markdown to the problems\n",
			size / 1024, STEP_SUMMARY_MAX / 1024);
}

void report_markdown_init(struct reporter *r, FILE *out,
			  const struct options *o)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->opts = o;
	r->begin = md_begin;
	r->hook = md_hook;
	r->pipeline_begin = md_pipeline_begin;
	r->pipeline = md_pipeline;
	r->end = md_end;
}
