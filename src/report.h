/*
 * report.h - renderers of a check run. They decide nothing: they print the
 * findings they are given, each passed through redact.c first.
 * Output streams hook by hook so that a large input needs bounded memory.
 */
#ifndef HD_REPORT_H
#define HD_REPORT_H

#include <stdio.h>
#include "analyse.h"
#include "check.h"
#include "options.h"

struct summary {
	unsigned long pass, warn, fail, skip;
	unsigned long hooks;
};

struct reporter {
	FILE *out;
	const struct options *opts;
	int first;              /* internal: separators */
	/* internal: the first failed and first warned checks, for the
	 * closing "hookdoctor explain" pointer */
	const struct check_def *first_fail, *first_warn;
	void *priv;             /* the reporter's own state, or NULL */
	/* Set by reporters whose hook and group outputs stand alone: `check`
	 * may then report hooks on several threads, each into its own buffer
	 * through a copy of the reporter taken right after begin(), and
	 * write sep between two non-empty outputs; groups too (see
	 * groups_own_list). NULL: hooks and groups are reported one after
	 * the other through this reporter. */
	const char *sep;
	bool utf8;              /* text: the locale is UTF-8 (marks ✓ ! ✗ –) */
	/* Set by reporters that build each hook's output in memory (json):
	 * `check` may then set sink, and hook() appends its output there
	 * instead of writing it to out; pipeline() too. */
	bool can_sink;
	struct sbuf *sink;
	/* Set by reporters whose pipeline_begin() opens a list of the groups
	 * of their own (json): `check`, reporting groups on several threads,
	 * then writes sep between two groups only, each group reported
	 * through a copy taken after pipeline_begin(). Unset (text): sep
	 * also goes between the last hook and the first group, and the copy
	 * has the state begin() left. */
	bool groups_own_list;
	void (*begin)(struct reporter *r);
	void (*hook)(struct reporter *r, const struct analysis *a,
		     const struct finding *f, size_t n);
	/* Called once before the first group (even when there is none). */
	void (*pipeline_begin)(struct reporter *r);
	/* The pipeline-level findings of one group of hooks. */
	void (*pipeline)(struct reporter *r, const struct group *g,
			 const struct finding *f, size_t n);
	void (*end)(struct reporter *r, const struct summary *s);
};

void report_text_init(struct reporter *r, FILE *out, const struct options *o);
void report_json_init(struct reporter *r, FILE *out, const struct options *o);
void report_markdown_init(struct reporter *r, FILE *out,
			  const struct options *o);
void report_junit_init(struct reporter *r, FILE *out,
		       const struct options *o);
/* SARIF 2.1.0: one run, every check of the registry a rule. */
void report_sarif_init(struct reporter *r, FILE *out,
		       const struct options *o);
/* The reporter o->format names. */
void report_init(struct reporter *r, FILE *out, const struct options *o);

/* --- shared by the reporters (report.c) --- */

/* What a hook fires on, in words: "in-progress, completed" or "nothing";
 * then, when its trigger conditions were judged against real values and
 * rule statuses out (HD113), "; for action 1005: completed" (or "; for
 * the --var values: nothing (HD113)"). Plain text, redacted; malloc'd. */
char *report_fires_on(const struct analysis *a);

/* The first paragraph of docs/checks/ID.md under "What it checks" (the
 * check's help text), else NULL; malloc'd. */
char *report_check_help(const struct check_def *d);
/* Where docs/checks/ID.md is: $HOOKDOCTOR_DOCS_URL/ID.md when that is
 * set, else a file:// URI of the page found on disk, else NULL; malloc'd. */
char *report_check_uri(const struct check_def *d);
/* Writes s as XML character data or attribute text: &<>"' escaped,
 * characters XML 1.0 cannot hold and malformed UTF-8 as U+FFFD, the
 * invisible or reordering ones (utf8_hidden_char) as the text \uXXXX. */
void report_put_xml(FILE *out, const char *s);
/* When s starts with a character utf8_hidden_char() names, writes it as
 * the text \uXXXX and returns its length in bytes; else writes nothing
 * and returns 0. The escapers of the human-facing outputs share it. */
size_t report_put_hidden(FILE *out, const char *s);
/* JSON as cJSON prints it (NULL: "null"), with the characters
 * utf8_hidden_char() names escaped as \uXXXX: the same document to a
 * parser, and nothing in it to reorder or hide text where it is shown
 * raw (a terminal, a code block). malloc'd. */
char *report_json_visible(const char *printed);
/* The same, appended to b (no copy of its own). */
void report_add_json_visible(struct sbuf *b, const char *printed);
/* The mark of a status: "✓ ! ✗ –" when utf8, else "ok warn FAIL skip". */
const char *report_mark(enum check_status st, bool utf8);
/* Does the locale (LC_ALL, LC_CTYPE, LANG, first one set) say UTF-8? */
bool report_locale_utf8(void);
/* Where a finding points in the hook's file: evidence "at" or
 * "position" ("LINE:COL"), the node its evidence "field"/"path" names, a
 * member that belongs to the check, else the hook's start. Returns false
 * when nothing is known (*line, *col 0). */
bool report_finding_where(const struct hook *h, const struct finding *f,
			  int *line, int *col);

/* One evidence member's value, redacted (as report_redacted() for a
 * string, compact JSON for anything else); malloc'd. */
char *report_evidence_value(const cJSON *e);
/* Every member as "key: value\n", redacted; malloc'd ("" for none). */
char *report_evidence_text(const cJSON *ev);
/* A redacted copy of the evidence object; caller deletes. */
cJSON *report_evidence_json(const cJSON *ev);

/* Markdown pieces (report_markdown.c), shared with the support report.
 * Text given to them is escaped; report_md_* redact it first. */
void report_put_md(FILE *out, const char *s);
/* A fenced code block long enough for any backticks in text. */
void report_put_md_code(FILE *out, const char *lang, const char *text);
void report_md_findings(FILE *out, const struct options *o,
			const struct finding *f, size_t n);
void report_md_hook_heading(FILE *out, const struct analysis *a);
void report_md_group_heading(FILE *out, const struct group *g);
void report_md_summary(FILE *out, const struct reporter *r,
		       const struct summary *s);

/* Text for a finding's evidence value after redaction: malloc'd. */
char *report_redacted(const char *key, const char *value);
/* The same without a copy when redaction changes nothing: returns value
 * itself ("" for NULL) with *owned NULL, or the redacted text, also in
 * *owned for the caller to free. */
const char *report_redacted_shared(const char *key, const char *value,
				   char **owned);

#endif
