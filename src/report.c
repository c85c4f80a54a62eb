/*
 * report.c - what the reporters share: picking the reporter --format
 * names, a check's help text and page address (from docs/checks/), XML
 * escaping, the status marks, and where in the hook's file a finding
 * points. It decides nothing about hooks: it only helps print findings.
 */
#include "report.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "analyse.h"
#include "cmd.h"
#include "redact.h"
#include "util.h"

void report_init(struct reporter *r, FILE *out, const struct options *o)
{
	switch (o ? o->format : FMT_TEXT) {
	case FMT_JSON: report_json_init(r, out, o); break;
	case FMT_MARKDOWN: report_markdown_init(r, out, o); break;
	case FMT_JUNIT: report_junit_init(r, out, o); break;
	case FMT_SARIF: report_sarif_init(r, out, o); break;
	case FMT_TEXT: default: report_text_init(r, out, o); break;
	}
}

/* --- check pages --- */

static char *page_path(const struct check_def *d)
{
	char *dir = datadir_find("docs/checks"), *path;

	if (!dir)
		return NULL;
	path = xasprintf("%s/%s.md", dir, d->id);
	free(dir);
	return path;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Joins the lines of the paragraph starting at p into one line. */
static char *paragraph_at(const char *p)
{
	struct sbuf b = {0};

	while (*p == '\n')
		p++;
	while (*p && *p != '\n' && *p != '#') {
		size_t n = strcspn(p, "\n");

		if (b.len)
			sbuf_addc(&b, ' ');
		sbuf_addn(&b, p, n);
		p += n;
		if (*p == '\n')
			p++;
	}
	if (!b.len) {
		sbuf_free(&b);
		return NULL;
	}
	return sbuf_detach(&b);
}

char *report_check_help(const struct check_def *d)
{
	struct hd_error err = {{0}};
	char *path = d ? page_path(d) : NULL, *text, *out = NULL;
	const char *p;
	size_t len;

	if (!path)
		return NULL;
	text = read_file_all(path, &len, &err);
	free(path);
	if (!text)
		return NULL;
	p = strstr(text, "\n## What it checks\n");
	if (p) {
		out = paragraph_at(p + strlen("\n## What it checks\n"));
	} else {
		/* No such heading: the first paragraph of prose after the
		 * title that is not a "Severity:"/"Availability:" line. */
		for (p = strchr(text, '\n'); p && !out; p = strchr(p + 1, '\n')) {
			const char *q = p + 1;

			if (*q == '\n' || *q == '#' || starts_with(q, "Severity:") ||
			    starts_with(q, "Availability:"))
				continue;
			if (p[-1] == '\n' || p == text)
				out = paragraph_at(q);
		}
	}
	free(text);
	return out;
}

char *report_check_uri(const struct check_def *d)
{
	const char *base = getenv("HOOKDOCTOR_DOCS_URL");
	char *path, real[PATH_MAX], *out;

	if (!d)
		return NULL;
	if (base && *base) {
		size_t n = strlen(base);

		return xasprintf("%.*s/%s.md", (int)(base[n - 1] == '/' ? n - 1 : n),
				 base, d->id);
	}
	if (!(path = page_path(d)))
		return NULL;
	if (path[0] == '/') {
		snprintf(real, sizeof(real), "%s", path);
	} else {
		char cwd[PATH_MAX];
		int n = getcwd(cwd, sizeof(cwd))
			? snprintf(real, sizeof(real), "%s/%s", cwd, path) : -1;

		if (n < 0 || (size_t)n >= sizeof(real)) {
			free(path);
			return NULL;
		}
	}
	free(path);
	{
		struct sbuf b = {0};

		sbuf_add(&b, "file://");
		for (const unsigned char *s = (const unsigned char *)real; *s; s++)
			if (isalnum(*s) || strchr("/-._~", *s))
				sbuf_addc(&b, (char)*s);
			else
				sbuf_addf(&b, "%%%02X", *s);
		out = sbuf_detach(&b);
	}
	return out;
}

/* --- XML --- */

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	/* U+FFFE and U+FFFF are not XML characters either. */
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

size_t report_put_hidden(FILE *out, const char *s)
{
	unsigned cp;
	size_t n = utf8_hidden_char(s, &cp);

	if (n)
		fprintf(out, "\\u%04x", cp);
	return n;
}

void report_add_json_visible(struct sbuf *b, const char *printed)
{
	const char *s = printed ? printed : "null", *run = s;
	unsigned cp;
	size_t hn;

	/* They can only stand inside its strings, where \uXXXX means the
	 * same character. */
	for (; *s; s++) {
		if (!(hn = utf8_hidden_char(s, &cp)))
			continue;
		sbuf_addn(b, run, (size_t)(s - run));
		sbuf_addf(b, "\\u%04x", cp);
		s += hn - 1;
		run = s + 1;
	}
	sbuf_add(b, run);
}

char *report_json_visible(const char *printed)
{
	struct sbuf b = {0};

	report_add_json_visible(&b, printed);
	return sbuf_detach(&b);
}

void report_put_xml(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	while (*s) {
		size_t n;

		switch (*s) {
		case '&': fputs("&amp;", out); s++; continue;
		case '<': fputs("&lt;", out); s++; continue;
		case '>': fputs("&gt;", out); s++; continue;
		case '"': fputs("&quot;", out); s++; continue;
		case '\'': fputs("&apos;", out); s++; continue;
		case '\n': fputs("&#10;", out); s++; continue;
		case '\r': fputs("&#13;", out); s++; continue;
		case '\t': fputs("&#9;", out); s++; continue;
		default: break;
		}
		if (*s < 0x20 || *s == 0x7f || !(n = utf8_len(s))) {
			fputs("\xef\xbf\xbd", out);     /* U+FFFD */
			s++;
			continue;
		}
		/* shown, not obeyed: a bidi control would reorder the page
		 * around it */
		if (n > 1 && report_put_hidden(out, (const char *)s)) {
			s += n;
			continue;
		}
		fwrite(s, 1, n, out);
		s += n;
	}
}

/* --- marks --- */

const char *report_mark(enum check_status st, bool utf8)
{
	static const char *const u[] = {"\xe2\x9c\x93", "!", "\xe2\x9c\x97",
					"\xe2\x80\x93"};
	static const char *const a[] = {"ok", "warn", "FAIL", "skip"};

	if ((int)st < 0 || st > CS_SKIP)
		return "?";
	return utf8 ? u[st] : a[st];
}

bool report_locale_utf8(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		char low[128];
		size_t n;

		if (!v || !*v)
			continue;
		n = strlen(v);
		if (n >= sizeof(low))
			n = sizeof(low) - 1;
		for (size_t k = 0; k < n; k++)
			low[k] = (char)tolower((unsigned char)v[k]);
		low[n] = '\0';
		return strstr(low, "utf-8") || strstr(low, "utf8");
	}
	return false;
}

/* --- positions --- */

/* The node a dotted path with [n] indexes names, from the hook's root. */
static const cJSON *node_at(const cJSON *root, const char *path)
{
	const cJSON *node = root;
	const char *p = path;

	while (node && *p) {
		if (*p == '[') {
			char *end;
			long i = strtol(p + 1, &end, 10);

			if (*end != ']' || i < 0 || i > INT_MAX)
				return NULL;
			node = cJSON_GetArrayItem(node, (int)i);
			p = end + 1;
		} else {
			size_t n = strcspn(p, ".[");
			char *key = xstrndup(p, n);

			node = cJSON_IsObject(node)
			       ? cJSON_GetObjectItemCaseSensitive(node, key) : NULL;
			free(key);
			p += n;
		}
		if (*p == '.')
			p++;
	}
	return node;
}

/* The member of the hook a check is about, when its evidence says
 * nothing more precise. */
static const char *member_of(const char *id)
{
	static const struct { const char *id, *path; } map[] = {
		{"HD101", "pipeline_id"}, {"HD104", "type"},
		{"HD105", "active"}, {"HD106", "pipeline_id"},
		{"HD107", "name"}, {"HD108", "trigger_when.events"},
		{"HD110", "trigger_when.events"},
		{"HD111", "target_url"}, {"HD112", "verify_ssl"},
		{"HD113", "trigger_when.conditions"},
		{"HD204", "settings.request_body"},
		{"HD301", "target_url"}, {"HD302", "target_url"},
		{"HD303", "target_url"}, {"HD304", "settings.request_headers"},
		{"HD305", "settings.request_headers"},
		{"HD306", "settings.request_headers"},
		{"HD307", "settings.request_body"},
		{"HD308", "settings.request_body"},
		{"HD309", "settings.request_body"},
		{"HD310", "settings.request_body"},
		{"HD311", "settings.request_body"},
		{"HD401", "settings.request_body"},
		{"HD402", "settings.request_body"},
		{"HD404", "settings.request_body"},
		{"HD405", "settings.request_body"},
	};

	if (!id)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].id, id) == 0)
			return map[i].path;
	/* Network and provider checks are about the target. */
	if (strncmp(id, "HD5", 3) == 0 || strncmp(id, "HD6", 3) == 0)
		return "target_url";
	return NULL;
}

static bool parse_linecol(const char *s, int *line, int *col)
{
	char *end;
	long l, c = 0;

	if (!s)
		return false;
	l = strtol(s, &end, 10);
	if (end == s || l <= 0 || l > INT_MAX)
		return false;
	if (*end == ':') {
		const char *cs = end + 1;

		c = strtol(cs, &end, 10);
		if (end == cs || c < 0 || c > INT_MAX)
			c = 0;
	}
	*line = (int)l;
	*col = (int)c;
	return true;
}

static bool node_where(const struct hook *h, const char *path, int *line,
		       int *col)
{
	const cJSON *node;

	if (!h->json || !path || !(node = node_at(h->json, path)))
		return false;
	jsonpos_where(&h->pos, node, line, col);
	return *line > 0;
}

bool report_finding_where(const struct hook *h, const struct finding *f,
			  int *line, int *col)
{
	static const char *const at_keys[] = {"at", "position"};
	static const char *const path_keys[] = {"field", "path"};

	*line = *col = 0;
	if (!h)
		return false;
	for (size_t i = 0; i < 2 && f && f->evidence; i++) {
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(f->evidence,
								  at_keys[i]);

		if (cJSON_IsString(e) && parse_linecol(e->valuestring, line, col))
			return true;
	}
	for (size_t i = 0; i < 2 && f && f->evidence; i++) {
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(f->evidence,
								  path_keys[i]);

		if (cJSON_IsString(e) && node_where(h, e->valuestring, line, col))
			return true;
	}
	if (f && f->def && node_where(h, member_of(f->def->id), line, col))
		return true;
	if (h->line > 0) {
		*line = h->line;
		*col = h->col;
		return true;
	}
	return false;
}

/* --- evidence --- */

char *report_evidence_value(const cJSON *e)
{
	const char *key = e && e->string ? e->string : "";
	cJSON *wrap, *copy;
	char *p, *val;

	if (!e)
		return xstrdup("");
	if (cJSON_IsString(e))
		return report_redacted(key, e->valuestring);
	if (redact_json_member_unchanged(key, e)) {
		/* what redaction leaves as it is needs no copy */
		p = cJSON_PrintUnformatted(e);
		val = xstrdup(p ? p : "null");
		cJSON_free(p);
		return val;
	}
	/* Redacted in a wrapper so that its key counts. */
	wrap = cJSON_CreateObject();
	cJSON_AddItemToObject(wrap, key, cJSON_Duplicate(e, true));
	redact_json(wrap);
	copy = cJSON_DetachItemFromObjectCaseSensitive(wrap, key);
	cJSON_Delete(wrap);
	p = cJSON_PrintUnformatted(copy);
	val = xstrdup(p ? p : "null");
	cJSON_free(p);
	cJSON_Delete(copy);
	return val;
}

char *report_evidence_text(const cJSON *ev)
{
	struct sbuf b = {0};

	for (const cJSON *e = ev ? ev->child : NULL; e; e = e->next) {
		char *key = redact_text(e->string ? e->string : "");
		char *val = report_evidence_value(e);

		sbuf_addf(&b, "%s: %s\n", key, val);
		free(key);
		free(val);
	}
	return sbuf_detach(&b);
}

cJSON *report_evidence_json(const cJSON *ev)
{
	cJSON *out = cJSON_CreateObject();

	for (const cJSON *e = ev ? ev->child : NULL; e; e = e->next) {
		char *key = redact_text(e->string ? e->string : "");

		if (cJSON_IsString(e)) {
			char *val = report_evidence_value(e);

			cJSON_AddStringToObject(out, key, val);
			free(val);
		} else {
			cJSON *wrap = cJSON_CreateObject();

			cJSON_AddItemToObject(wrap, e->string ? e->string : "",
					      cJSON_Duplicate(e, true));
			redact_json(wrap);
			cJSON_AddItemToObject(out, key,
				cJSON_DetachItemFromObjectCaseSensitive(
					wrap, e->string ? e->string : ""));
			cJSON_Delete(wrap);
		}
		free(key);
	}
	return out;
}

char *report_fires_on(const struct analysis *a)
{
	struct sbuf b = {0};
	char *out;

	if (!hd_status_words(&b, a->firing.mask, ", ", ", "))
		sbuf_add(&b, "nothing");
	if (a->cond_judged && a->fires_for_action != a->firing.mask) {
		bool real = a->action_id && *a->action_id && a->vars &&
			    !a->vars->sample;

		if (real)
			sbuf_addf(&b, "; for action %s: ", a->action_id);
		else
			sbuf_add(&b, "; for the --var values: ");
		if (!hd_status_words(&b, a->fires_for_action, ", ", ", "))
			sbuf_add(&b, "nothing (HD113)");
	}
	out = redact_text(b.s ? b.s : "");
	sbuf_free(&b);
	return out;
}
