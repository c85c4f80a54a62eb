/*
 * check_template.c - checks of the hook's "{{ path }}" templates (HD201-
 * HD205): syntax, known variables, values with the action used, a string
 * body that must stay JSON, and secrets written in literally. They read the
 * template sites and rendered requests analyse.c collected; they never
 * print and never put a secret into a message or evidence.
 */
#include "checks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
/* redact.h's comment on redact_find_token holds "*start/ *len" written
 * without the space, which -Wcomment flags; reported to its owner. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "redact.h"
#pragma GCC diagnostic pop

/* ------------------------------------------------------------ positions */

/* The node a site's field names ("settings.request_headers[0].value",
 * "settings.request_body.context.name"), or NULL. Object keys may hold
 * dots, so the longest key that fits is taken. */
static const cJSON *field_node(const cJSON *node, const char *p)
{
	while (node && *p) {
		if (*p == '[') {
			char *end;
			long idx = strtol(p + 1, &end, 10);

			if (*end != ']' || !cJSON_IsArray(node))
				return NULL;
			node = cJSON_GetArrayItem(node, (int)idx);
			p = end + 1;
		} else {
			const cJSON *best = NULL;
			size_t bestlen = 0;

			if (!cJSON_IsObject(node))
				return NULL;
			for (const cJSON *c = node->child; c; c = c->next) {
				size_t n = c->string ? strlen(c->string) : 0;

				if (n >= bestlen && strncmp(p, c->string ? c->string : "", n) == 0 &&
				    (p[n] == '\0' || p[n] == '.' || p[n] == '[')) {
					best = c;
					bestlen = n;
				}
			}
			node = best;
			p += bestlen;
		}
		if (*p == '.')
			p++;
	}
	return node;
}

/* Byte offset in the input where line:col (1-based, bytes) is. */
static bool text_offset(const struct jsonpos *pos, int line, int col,
			size_t *off)
{
	size_t i = 0;

	if (!pos->text || line < 1 || col < 1)
		return false;
	for (int l = 1; l < line; l++) {
		while (i < pos->len && pos->text[i] != '\n')
			i++;
		if (i >= pos->len)
			return false;
		i++;
	}
	i += (size_t)col - 1;
	if (i >= pos->len)
		return false;
	*off = i;
	return true;
}

/* Bytes a JSON escape at s ("\n", "\u00e9") decodes to; *adv its length. */
static size_t escape_width(const char *s, size_t *adv)
{
	unsigned long cp;

	if (s[1] != 'u') {
		*adv = 2;
		return 1;
	}
	cp = strtoul((char[5]){s[2], s[3], s[4], s[5], 0}, NULL, 16);
	*adv = 6;
	if (cp >= 0xD800 && cp <= 0xDBFF && s[6] == '\\' && s[7] == 'u') {
		*adv = 12;
		return 4;
	}
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
}

/* Where byte `offset` of the template string in `field` is in the input,
 * escapes in the JSON text accounted for. Falls back to where the string
 * starts; false when not even that is known. */
static bool site_where(const struct hook *h, const char *field, size_t offset,
		       int *line, int *col)
{
	const cJSON *node;
	size_t at, decoded = 0;

	*line = *col = 0;
	if (!h->json || !(node = field_node(h->json, field)))
		return false;
	jsonpos_where(&h->pos, node, line, col);
	if (*line <= 0)
		return false;
	if (!text_offset(&h->pos, *line, *col, &at) || h->pos.text[at] != '"')
		return true;
	at++;
	while (decoded < offset && at < h->pos.len && h->pos.text[at] != '"') {
		size_t adv = 1;

		if (h->pos.text[at] == '\\') {
			decoded += escape_width(h->pos.text + at, &adv);
		} else {
			decoded++;
		}
		at += adv;
	}
	jsonpos_linecol(h->pos.text, at, line, col);
	return true;
}

static void ev_site_where(struct finding *f, const struct hook *h,
			  const char *field, size_t offset)
{
	int line, col;

	if (site_where(h, field, offset, &line, &col) && line > 0)
		finding_evf(f, "at", "%d:%d", line, col);
}

/* ------------------------------------------------------------------ HD201 */

HOOK_CHECK(hd201)
{
	const struct tmpl_site *bad = NULL;
	size_t nbad = 0;

	for (size_t i = 0; i < a->nsites; i++)
		if (!a->sites[i].scan.ok) {
			if (!bad)
				bad = &a->sites[i];
			nbad++;
		}
	if (!bad) {
		if (a->nsites == 0)
			return finding_pass(f, "the hook holds no templates");
		return finding_pass(f, "%zu template%s, all well-formed",
				    a->nsites, a->nsites == 1 ? "" : "s");
	}
	finding_ev(f, "field", bad->field);
	finding_evf(f, "offset", "%zu", bad->scan.err_offset);
	finding_ev(f, "error", bad->scan.err);
	finding_ev(f, "template", bad->text);
	ev_site_where(f, a->hook, bad->field, bad->scan.err_offset);
	if (nbad > 1)
		finding_evf(f, "other_fields_with_errors", "%zu", nbad - 1);
	finding_hint(f, "write each variable as {{ path.to.variable }}: a "
		     "plain dotted path between '{{' and '}}', no filters or "
		     "expressions");
	return finding_problem(f, "%s, offset %zu: %s", bad->field,
			       bad->scan.err_offset, bad->scan.err);
}

/* ------------------------------------------------------------------ HD202 */

HOOK_CHECK(hd202)
{
	const struct tmpl_site *first_site = NULL;
	const struct tmpl_ref *first = NULL;
	size_t nrefs = 0, nunknown = 0;
	cJSON *unknown = cJSON_CreateArray();
	const char *sug;
	/* The last suggestion made: a hostile hook repeats one unknown
	 * variable tens of thousands of times (tests/hostile). */
	const char *memo_path = NULL, *memo_sug = NULL;

	for (size_t i = 0; i < a->nsites; i++) {
		const struct tmpl_site *s = &a->sites[i];

		for (size_t k = 0; k < s->scan.nrefs; k++) {
			const struct tmpl_ref *r = &s->scan.refs[k];
			const char *rs;
			char *line;

			nrefs++;
			if (vars_known(r->path))
				continue;
			nunknown++;
			if (!memo_path || strcmp(memo_path, r->path) != 0) {
				memo_path = r->path;
				memo_sug = vars_suggest(r->path);
			}
			rs = memo_sug;
			line = rs ? xasprintf("%s in %s (did you mean %s?)",
					      r->path, s->field, rs)
				  : xasprintf("%s in %s", r->path, s->field);
			cJSON_AddItemToArray(unknown, cJSON_CreateString(line));
			free(line);
			if (!first) {
				first = r;
				first_site = s;
			}
		}
	}
	if (!first) {
		cJSON_Delete(unknown);
		if (nrefs == 0)
			return finding_pass(f, "the hook uses no variables");
		return finding_pass(f, "%zu variable reference%s, all known "
				    "Devopness variables", nrefs,
				    nrefs == 1 ? "" : "s");
	}
	finding_ev_json(f, "unknown", unknown);
	finding_ev(f, "field", first_site->field);
	ev_site_where(f, a->hook, first_site->field, first->offset);
	sug = vars_suggest(first->path);
	if (sug)
		finding_hint(f, "did you mean {{ %s }}? Variables start with "
			     "action, application, pipeline, environment or "
			     "project", sug);
	else
		finding_hint(f, "use a Devopness variable (action, application, "
			     "pipeline, environment, project); an unknown one "
			     "renders empty");
	if (nunknown > 1)
		return finding_problem(f, "%zu unknown variables, first {{ %s }} "
				       "in %s", nunknown, first->path,
				       first_site->field);
	return finding_problem(f, "unknown variable {{ %s }} in %s",
			       first->path, first_site->field);
}

/* ------------------------------------------------------------------ HD203 */

#define PARSED_VARS "action.triggered_from.hook_parsed_variables."

HOOK_CHECK(hd203)
{
	cJSON *empty, *seen;
	const char *first = NULL, *first_field = NULL;
	size_t nempty = 0;
	bool parsed = false;
	const char *act;

	if (!a->vars)
		return finding_skip(f, "skipped: the hook fires on no status, "
				    "so nothing is rendered");
	empty = cJSON_CreateArray();
	seen = cJSON_CreateObject();
	for (size_t i = 0; i < a->nsites; i++) {
		const struct tmpl_site *s = &a->sites[i];

		for (size_t k = 0; k < s->scan.nrefs; k++) {
			const char *path = s->scan.refs[k].path;
			const char *v;

			/* Unknown variables are HD202's finding. */
			if (!vars_known(path) ||
			    cJSON_GetObjectItemCaseSensitive(seen, path))
				continue;
			cJSON_AddTrueToObject(seen, path);
			v = vars_lookup(a->vars, path, strlen(path));
			if (v && *v)
				continue;
			nempty++;
			cJSON_AddItemToArray(empty, cJSON_CreateString(path));
			if (strncmp(path, PARSED_VARS, strlen(PARSED_VARS)) == 0)
				parsed = true;
			if (!first) {
				first = path;
				first_field = s->field;
			}
		}
	}
	cJSON_Delete(seen);
	act = vars_action_id(a->vars);
	if (act)
		finding_ev(f, "action", act);
	if (a->nreq > 0)
		finding_ev(f, "status", hd_status_name[a->req[0].status]);
	if (!first) {
		cJSON_Delete(empty);
		return finding_pass(f, "every variable has a value with the "
				    "action used");
	}
	finding_ev_json(f, "empty", empty);
	finding_ev(f, "field", first_field);
	if (parsed)
		finding_hint(f, "hook_parsed_variables are set only when the "
			     "deploy was started by an incoming hook that parses "
			     "them; a deploy started from the app or the API "
			     "leaves them empty. Use {{ action.action_data.commit."
			     "hash }} for the commit, or start deploys through "
			     "the incoming hook");
	else
		finding_hint(f, "use a variable the action always has, or check "
			     "the value with --action ID or --var path=value");
	if (nempty > 1)
		return finding_problem(f, "%zu variables render empty with the "
				       "action used, first {{ %s }} in %s",
				       nempty, first, first_field);
	return finding_problem(f, "{{ %s }} in %s renders empty with the "
			       "action used", first, first_field);
}

/* ------------------------------------------------------------------ HD204 */

/* Does a value need escaping inside a JSON string? */
static bool breaks_json(const char *v)
{
	for (; *v; v++)
		if (*v == '"' || *v == '\\' || (unsigned char)*v < 0x20)
			return true;
	return false;
}

static const char *zero_lookup(void *ud, const char *path, size_t n)
{
	(void)ud;
	(void)path;
	(void)n;
	return "0";
}

/* A value no JSON string survives unescaped. */
#define HOSTILE_TEXT "fix: \"quoted\" C:\\path\nnext line caf\xc3\xa9"

/* Free text: a variable whose value a person writes. Ids, hashes, URLs
 * and status names never hold quotes, so they are not tried. */
static bool is_free_text(const char *path, const char *sample)
{
	static const char *const words[] = {
		"message", "comment", "description", "title", "name",
		"author_name", "body",
	};
	const char *last = strrchr(path, '.');

	last = last ? last + 1 : path;
	if (!sample || !*sample || strpbrk(sample, "\"\\\n"))
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]), l = strlen(last);

		if (l >= n && strcmp(last + l - n, words[i]) == 0)
			return true;
	}
	return false;
}

struct hostile_ctx {
	struct vars *vars;
	const char *target;
};

static const char *hostile_lookup(void *ud, const char *path, size_t len)
{
	struct hostile_ctx *c = ud;
	const char *v;

	if (strlen(c->target) == len && strncmp(c->target, path, len) == 0)
		return HOSTILE_TEXT;
	v = vars_lookup(c->vars, path, len);
	return v ? v : "";
}

/* The first free-text variable of a string body that breaks it when it
 * holds HOSTILE_TEXT, or NULL. */
static const char *hostile_breaker(const struct analysis *a,
				   const struct tmpl_site *body)
{
	for (size_t k = 0; a->vars && k < body->scan.nrefs; k++) {
		const char *path = body->scan.refs[k].path;
		struct hostile_ctx c = {a->vars, path};
		const char *sample = vars_lookup(a->vars, path, strlen(path));
		char *text;
		cJSON *j;

		if (!is_free_text(path, sample))
			continue;
		text = tmpl_render(body->text, hostile_lookup, &c, NULL);
		j = cJSON_Parse(text);
		free(text);
		if (!j)
			return path;
		cJSON_Delete(j);
	}
	return NULL;
}

HOOK_CHECK(hd204)
{
	const struct hook *h = a->hook;
	const struct request *bad = NULL;
	const struct tmpl_site *body = NULL;
	const char *culprit = NULL;

	if (h->body_kind == BODY_NONE)
		return finding_skip(f, "skipped: the hook has no request_body");
	if (h->body_kind != BODY_STRING)
		return finding_pass(f, "body is an %s: values are escaped when "
				    "rendered", h->body_kind == BODY_OBJECT
				    ? "object" : "array");
	if (a->nprimary == 0)
		return finding_skip(f, "skipped: the hook fires on no status, "
				    "so no body is rendered");
	for (size_t i = 0; i < a->nprimary && !bad; i++)
		if (a->req[i].body && !a->req[i].body_json)
			bad = &a->req[i];
	if (!bad) {
		/* The sample's values kept it JSON; free text that the sample
		 * leaves empty (a trigger comment, say) may not. */
		for (size_t i = 0; i < a->nsites; i++)
			if (a->sites[i].in_body_string)
				body = &a->sites[i];
		culprit = body ? hostile_breaker(a, body) : NULL;
		if (!culprit)
			return finding_pass(f, "the string body stays valid JSON "
					    "when its free-text values hold "
					    "quotes, backslashes, newlines and "
					    "non-ASCII");
		finding_ev(f, "variable", culprit);
		finding_ev(f, "value_tried", HOSTILE_TEXT);
		finding_hint(f, "write settings.request_body as a JSON object "
			     "instead of a string: Devopness escapes values "
			     "rendered into an object's strings");
		return finding_problem(f, "settings.request_body is a string and "
				       "{{ %s }} is free text: a value with a "
				       "quote, backslash or newline would make "
				       "the body invalid JSON", culprit);
	}

	for (size_t i = 0; i < a->nsites; i++)
		if (a->sites[i].in_body_string)
			body = &a->sites[i];
	finding_ev(f, "status", hd_status_name[bad->status]);
	if (bad->body_error)
		finding_ev(f, "parse_error", bad->body_error);
	if (body && a->vars) {
		for (size_t k = 0; k < body->scan.nrefs && !culprit; k++) {
			const char *path = body->scan.refs[k].path;
			const char *v = vars_lookup(a->vars, path, strlen(path));

			if (v && breaks_json(v)) {
				culprit = path;
				ev_site_where(f, h, body->field,
					      body->scan.refs[k].offset);
			}
		}
	}
	finding_hint(f, "write settings.request_body as a JSON object instead "
		     "of a string: Devopness escapes values rendered into an "
		     "object's strings");
	if (culprit) {
		finding_ev(f, "variable", culprit);
		return finding_problem(f, "settings.request_body is a string and "
				       "{{ %s }} holds quotes, backslashes or "
				       "newlines: the body rendered for %s is not "
				       "JSON (%s)", culprit,
				       hd_status_name[bad->status],
				       bad->body_error ? bad->body_error
				       : "parse error");
	}
	if (body) {
		char *probe = tmpl_render(body->text, zero_lookup, NULL, NULL);
		cJSON *j = cJSON_Parse(probe);
		bool template_ok = j != NULL;

		cJSON_Delete(j);
		free(probe);
		if (!template_ok)
			return finding_problem(f, "settings.request_body is a "
					       "string that is not JSON even "
					       "before values are substituted "
					       "(%s)", bad->body_error
					       ? bad->body_error : "parse error");
	}
	return finding_problem(f, "settings.request_body rendered for %s is not "
			       "JSON (%s)", hd_status_name[bad->status],
			       bad->body_error ? bad->body_error
			       : "parse error");
}

/* ------------------------------------------------------------------ HD205 */

/* The shape of a token found at t, never its value. */
static const char *token_shape(const char *t)
{
	static const struct {
		const char *prefix, *shape;
	} shapes[] = {
		{"github_pat_", "a GitHub fine-grained token (github_pat_...)"},
		{"ghp_", "a GitHub token (ghp_...)"},
		{"gho_", "a GitHub OAuth token (gho_...)"},
		{"ghu_", "a GitHub user token (ghu_...)"},
		{"ghs_", "a GitHub App token (ghs_...)"},
		{"ghr_", "a GitHub refresh token (ghr_...)"},
		{"glpat-", "a GitLab token (glpat-...)"},
		{"ATBB", "a Bitbucket app password (ATBB...)"},
		{"eyJ", "a JWT (eyJ...)"},
		{"Basic ", "Basic credentials"},
	};

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (strncmp(t, shapes[i].prefix, strlen(shapes[i].prefix)) == 0)
			return shapes[i].shape;
	return "a token";
}

/* What HD205 found: the first one, by severity. */
struct secret_hit {
	bool in_query;          /* fail */
	char *message;          /* first hit of the worst kind */
	char *where;            /* JSON path */
	char *fingerprint;
	int line, col;
	size_t count;
};

static void hit(struct secret_hit *s, bool in_query, const char *where,
		int line, int col, const char *secret, size_t len,
		char *message)
{
	s->count++;
	if (s->message && (s->in_query || !in_query)) {
		free(message);
		return;
	}
	free(s->message);
	free(s->where);
	free(s->fingerprint);
	s->in_query = in_query;
	s->message = message;
	s->where = xstrdup(where);
	s->fingerprint = secret ? redact_mask(secret, len) : NULL;
	s->line = line;
	s->col = col;
}

static bool secret_param(const char *name, size_t n)
{
	static const char *const exact[] = {"key", "api_key", "apikey",
					    "access_key", "sig", "signature"};
	char low[48];

	if (n == 0 || n >= sizeof(low))
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[n] = '\0';
	if (strstr(low, "token") || strstr(low, "secret") ||
	    strstr(low, "password"))
		return true;
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(low, exact[i]) == 0)
			return true;
	return false;
}

/* Is the value (a template) a literal or a secret variable? */
static bool value_is_secret(const char *v, size_t n)
{
	char *copy = xstrndup(v, n);
	struct tmpl_scan sc;
	bool secret = false, literal = n > 0;

	tmpl_scan(copy, &sc);
	for (size_t i = 0; i < sc.nrefs; i++) {
		literal = false;
		if (vars_is_secret(sc.refs[i].path))
			secret = true;
	}
	tmpl_scan_free(&sc);
	free(copy);
	return secret || literal;
}

static void scan_url(struct secret_hit *s, const struct hook *h,
		     int line, int col)
{
	const char *u = h->target_url, *q, *end, *tok = NULL;
	size_t start, len;

	if (!u)
		return;
	q = strchr(u, '?');
	if (redact_find_token(u, &start, &len)) {
		tok = u + start;
		bool in_query = q && u + start > q;

		hit(s, in_query, "target_url", line, col, u + start, len,
		    xasprintf("%s in target_url%s", token_shape(u + start),
			      in_query ? " query string" : ""));
	}
	if (!q)
		return;
	end = strchr(q, '#');
	if (!end)
		end = u + strlen(u);
	for (const char *p = q + 1; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));

		if (eq && !(tok && tok > eq && tok < stop) &&
		    secret_param(p, (size_t)(eq - p)) &&
		    value_is_secret(eq + 1, (size_t)(stop - eq - 1)))
			hit(s, true, "target_url", line, col, eq + 1,
			    (size_t)(stop - eq - 1),
			    xasprintf("a token in target_url query parameter "
				      "\"%.*s\"", (int)(eq - p), p));
		p = stop + (amp ? 1 : 0);
	}
}

/* An Authorization-like header whose value is a literal credential. */
static void header_hit(struct secret_hit *s, const struct hd_header *hd,
		       size_t i, const char *secret, size_t len, char *message)
{
	char *where = xasprintf("settings.request_headers[%zu].value (%s)", i,
				hd->name);

	hit(s, false, where, hd->line, hd->col, secret, len, message);
	free(where);
}

static void scan_header(struct secret_hit *s, const struct hd_header *hd,
			size_t i)
{
	const char *v = hd->value, *cred;
	size_t start, len;

	if (redact_find_token(v, &start, &len)) {
		header_hit(s, hd, i, v + start, len,
			   xasprintf("%s in header %s", token_shape(v + start),
				     hd->name));
	} else if (redact_is_secret_header(hd->name) && !tmpl_has_refs(v)) {
		const char *sp = strchr(v, ' ');

		cred = sp ? sp + 1 : v;
		while (*cred == ' ')
			cred++;
		len = strlen(cred);
		if (len >= 20 && !strchr(cred, '<'))
			header_hit(s, hd, i, cred, len,
				   sp ? xasprintf("a literal %.*s credential "
						  "(%zu characters) in header "
						  "%s", (int)(sp - v), v, len,
						  hd->name)
				      : xasprintf("a literal credential (%zu "
						  "characters) in header %s",
						  len, hd->name));
	}
}

/* Where scan_body() is in the body: a node, its index in its parent
 * and the way up. The JSON path and the position are worked out only for
 * a string that holds a token; most bodies hold none. */
struct body_step {
	const struct body_step *up;
	const cJSON *node;
	int index;
};

static void body_path(struct sbuf *path, const struct body_step *at)
{
	if (!at->up) {
		sbuf_add(path, "settings.request_body");
		return;
	}
	body_path(path, at->up);
	if (cJSON_IsObject(at->up->node))
		sbuf_addf(path, ".%s", at->node->string ? at->node->string : "");
	else
		sbuf_addf(path, "[%d]", at->index);
}

static void scan_body(struct secret_hit *s, const struct hook *h,
		      const struct body_step *at)
{
	const cJSON *node = at->node;
	struct body_step down = {at, NULL, 0};
	size_t start, len;

	/* known token shapes anywhere in a string */
	if (cJSON_IsString(node) && node->valuestring) {
		const char *t = node->valuestring;
		struct sbuf path = {0};
		int line = 0, col = 0;

		if (!redact_find_token(t, &start, &len))
			return;
		body_path(&path, at);
		jsonpos_where(&h->pos, node, &line, &col);
		hit(s, false, path.s, line, col, t + start, len,
		    xasprintf("%s in %s", token_shape(t + start), path.s));
		sbuf_free(&path);
		return;
	}
	for (down.node = node->child; down.node;
	     down.node = down.node->next, down.index++)
		scan_body(s, h, &down);
}

HOOK_CHECK(hd205)
{
	const struct hook *h = a->hook;
	struct secret_hit s = {0};
	int line = 0, col = 0;
	enum check_status st;

	if (h->json && h->target_url) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(h->json,
								  "target_url");
		if (n)
			jsonpos_where(&h->pos, n, &line, &col);
	}
	scan_url(&s, h, line, col);
	for (size_t i = 0; i < h->nheaders; i++)
		scan_header(&s, &h->headers[i], i);
	if (h->body) {
		struct body_step top = {NULL, h->body, 0};

		scan_body(&s, h, &top);
	}
	if (!s.message)
		return finding_pass(f, "no literal token in the URL, headers or "
				    "body");
	finding_ev(f, "where", s.where);
	if (s.line > 0)
		finding_evf(f, "at", "%d:%d", s.line, s.col);
	if (s.fingerprint)
		finding_ev(f, "fingerprint", s.fingerprint);
	if (s.count > 1)
		finding_evf(f, "other_findings", "%zu", s.count - 1);
	if (s.in_query) {
		finding_hint(f, "send the token in a header (e.g. Authorization: "
			     "Bearer {{ application.source_provider.access_token "
			     "}}): URLs are kept in logs and in the hook's "
			     "request history; revoke this token");
		st = finding_fail(f, "%s: URLs are logged", s.message);
	} else {
		finding_hint(f, "use {{ application.source_provider.access_token }} "
			     "instead of a pasted token, and revoke the pasted one: "
			     "it is readable by anyone who can read the hook");
		st = finding_problem(f, "%s", s.message);
	}
	free(s.message);
	free(s.where);
	free(s.fingerprint);
	return st;
}
