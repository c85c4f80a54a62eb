/*
 * render_out.c - prints rendered requests for `hookdoctor render`, in one
 * of three forms:
 *
 *   --as http   the request as it goes on the wire, after a comment line
 *               "# hook NAME, event EVENT, status STATUS";
 *   --as curl   a command a user can run by hand: single-quoted arguments,
 *               and double quotes only around an argument that holds the
 *               provider-token placeholder, so $HOOKDOCTOR_PROVIDER_TOKEN
 *               expands;
 *   --as json   one array of {"hook", "source", "event", "status",
 *               "method", "url", "headers": [{"name", "value"}], "body"}.
 *
 * Every URL, header value and body passes through redact.c. A JSON body
 * is printed as written unless a secret had to be masked in it (then it
 * is printed re-serialised, compact).
 *
 * The only state is how many requests were printed since
 * render_out_begin(), for separators; `render` prints one stream per
 * process.
 */
#include "render_out.h"

#include <stdlib.h>
#include <string.h>
#include "redact.h"
#include "report.h"
#include "util.h"

static unsigned long render_out_count;

static const char *event_name(int ev)
{
	return ev >= 0 && ev < EV_COUNT ? hd_event_name[ev] : "none";
}

static const char *status_name(enum hd_status st)
{
	return (int)st >= 0 && st < ST_COUNT ? hd_status_name[st] : "unknown";
}

/* Writes s with control characters (newlines included) as spaces or
 * escapes, and the invisible or reordering ones (utf8_hidden_char) as
 * \uXXXX, for one-line comments. */
static void put_line(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t hn;

		if ((hn = report_put_hidden(out, s)))
			s += hn - 1;
		else if (c == '\t' || c == '\n' || c == '\r')
			fputc(' ', out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

/* Writes n bytes of a URL part with control characters, spaces and
 * non-ASCII bytes percent-encoded, as an HTTP client sends them: a CR/LF
 * in a target_url must not make a header line of its own here
 * (tests/hostile). */
static void put_url_part(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c >= 0x7f)
			fprintf(out, "%%%02X", c);
		else
			fputc(c, out);
	}
}

/* Writes a body: newlines and tabs as they are, other control characters
 * (a CR, a terminal escape) as \r or \xHH and the invisible or
 * reordering ones as \uXXXX, so what a hostile body holds cannot move
 * the cursor, drive the terminal or reorder what is shown. */
static void put_body(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t hn;

		if ((hn = report_put_hidden(out, s)))
			s += hn - 1;
		else if (c == '\r')
			fputs("\\r", out);
		else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

/* The body, redacted: malloc'd, NULL when there is none. */
static char *body_text(const struct request *rq)
{
	cJSON *copy;
	char *out, *printed;

	if (!rq->body)
		return NULL;
	if (!rq->body_json)
		return redact_text(rq->body);
	copy = cJSON_Duplicate(rq->body_json, true);
	redact_json(copy);
	if (cJSON_Compare(rq->body_json, copy, true)) {
		out = redact_text(rq->body);    /* as sent, byte for byte */
	} else {
		printed = cJSON_PrintUnformatted(copy);
		out = xstrdup(printed ? printed : "");
		cJSON_free(printed);
	}
	cJSON_Delete(copy);
	return out;
}

static void put_comment(FILE *out, const struct analysis *a,
			const struct request *rq)
{
	const struct hook *h = a->hook;
	char *name = redact_text(h && h->name ? h->name : "(unnamed)");

	fputs("# hook ", out);
	put_line(out, name);
	fprintf(out, ", event %s, status %s", event_name(rq->event),
		status_name(rq->status));
	if (rq->action == 1)
		fputs(" (second sample action)", out);
	fputc('\n', out);
	free(name);
}

/* --- http --- */

static void put_http(FILE *out, const struct analysis *a,
		     const struct request *rq)
{
	char *url = redact_url(rq->url ? rq->url : "");
	const char *p = strstr(url, "://"), *host = NULL, *path = url;
	size_t hostlen = 0;
	char *body;

	if (p) {
		const char *auth = p + 3, *end = auth + strcspn(auth, "/?#");
		const char *at = NULL;

		for (const char *q = auth; q < end; q++)
			if (*q == '@')
				at = q;
		host = at ? at + 1 : auth;
		hostlen = (size_t)(end - host);
		path = end;
	}
	put_comment(out, a, rq);
	fputs("POST ", out);
	if (*path != '/')
		fputc('/', out);
	put_url_part(out, path, strcspn(path, "#"));
	fputs(" HTTP/1.1\n", out);
	if (host) {
		fputs("Host: ", out);
		put_url_part(out, host, hostlen);
		fputc('\n', out);
	}
	for (size_t i = 0; i < rq->nheaders; i++) {
		char *v = redact_header(rq->headers[i].name,
					rq->headers[i].value);
		/* A header name can hold a token too (tests/secrets). */
		char *nm = redact_text(rq->headers[i].name);

		put_line(out, nm);
		fputs(": ", out);
		put_line(out, v);
		fputc('\n', out);
		free(v);
		free(nm);
	}
	fputc('\n', out);
	body = body_text(rq);
	if (body && *body) {
		put_body(out, body);
		fputc('\n', out);
	}
	free(body);
	free(url);
}

/* --- curl --- */

static bool is_ctl(char ch)
{
	unsigned char c = (unsigned char)ch;

	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* A control character inside a word quoted with q: the quote is closed,
 * the character written as $'\xHH' (bash, zsh, ksh), the quote reopened,
 * so the command stays what it was and a CR or an escape sequence in a
 * hostile value never reaches the terminal raw (tests/hostile). */
static void add_ctl(struct sbuf *b, char ch, char q)
{
	sbuf_addf(b, "%c$'\\x%02x'%c", q, (unsigned char)ch, q);
}

/* The same for a character utf8_hidden_char() names, n bytes at s: its
 * bytes as $'\xHH...', so the command sends exactly them and the line
 * shows them instead of being reordered or hiding them. Returns n, or 0
 * when s starts with no such character. */
static size_t add_hidden(struct sbuf *b, const char *s, char q)
{
	unsigned cp;
	size_t n = utf8_hidden_char(s, &cp);

	if (!n)
		return 0;
	sbuf_addf(b, "%c$'", q);
	for (size_t i = 0; i < n; i++)
		sbuf_addf(b, "\\x%02x", (unsigned char)s[i]);
	sbuf_addf(b, "'%c", q);
	return n;
}

/* One shell word: single quotes, or double quotes when it holds the
 * provider-token placeholder (which then expands). */
static void add_word(struct sbuf *b, const char *s)
{
	static const char ph[] = VARS_TOKEN_PLACEHOLDER;

	if (!strstr(s, ph)) {
		size_t hn;

		sbuf_addc(b, '\'');
		for (; *s; s++)
			if (*s == '\'')
				sbuf_add(b, "'\\''");
			else if (is_ctl(*s))
				add_ctl(b, *s, '\'');
			else if ((hn = add_hidden(b, s, '\'')))
				s += hn - 1;
			else
				sbuf_addc(b, *s);
		sbuf_addc(b, '\'');
		return;
	}
	sbuf_addc(b, '"');
	while (*s) {
		if (strncmp(s, ph, sizeof(ph) - 1) == 0) {
			sbuf_add(b, ph);
			s += sizeof(ph) - 1;
			continue;
		}
		size_t hn;

		if (*s == '!') {        /* no history expansion: quote it */
			sbuf_add(b, "\"'!'\"");
		} else if (is_ctl(*s)) {
			add_ctl(b, *s, '"');
		} else if ((hn = add_hidden(b, s, '"'))) {
			s += hn;
			continue;
		} else if (strchr("\\\"$`", *s)) {
			sbuf_addc(b, '\\');
			sbuf_addc(b, *s);
		} else {
			sbuf_addc(b, *s);
		}
		s++;
	}
	sbuf_addc(b, '"');
}

static void put_curl(FILE *out, const struct analysis *a,
		     const struct request *rq)
{
	struct sbuf b = {0};
	char *url = redact_url(rq->url ? rq->url : ""), *body, *cmd;

	sbuf_add(&b, "curl -sS -X POST ");
	add_word(&b, url);
	for (size_t i = 0; i < rq->nheaders; i++) {
		char *v = redact_header(rq->headers[i].name,
					rq->headers[i].value);
		char *nm = redact_text(rq->headers[i].name);
		char *h = xasprintf("%s: %s", nm, v);

		free(nm);

		sbuf_add(&b, " \\\n  -H ");
		add_word(&b, h);
		free(h);
		free(v);
	}
	body = body_text(rq);
	if (body) {
		sbuf_add(&b, " \\\n  --data-raw ");
		add_word(&b, body);
	}
	cmd = sbuf_detach(&b);
	put_comment(out, a, rq);
	if (strstr(cmd, "***"))
		fputs("# values shown as *** are redacted: put the real value "
		      "(or $HOOKDOCTOR_PROVIDER_TOKEN) in their place\n", out);
	fputs(cmd, out);
	fputc('\n', out);
	free(cmd);
	free(body);
	free(url);
}

/* --- json --- */

static void put_json(FILE *out, const struct analysis *a,
		     const struct request *rq)
{
	const struct hook *h = a->hook;
	cJSON *o = cJSON_CreateObject(), *hs = cJSON_CreateArray();
	char *s, *text, *shown;

	s = h && h->name ? redact_text(h->name) : NULL;
	if (s)
		cJSON_AddStringToObject(o, "hook", s);
	else
		cJSON_AddNullToObject(o, "hook");
	free(s);
	s = redact_text(h && h->source ? h->source : "");
	cJSON_AddStringToObject(o, "source", s);
	free(s);
	if (rq->event >= 0 && rq->event < EV_COUNT)
		cJSON_AddStringToObject(o, "event", hd_event_name[rq->event]);
	else
		cJSON_AddNullToObject(o, "event");
	cJSON_AddStringToObject(o, "status", status_name(rq->status));
	cJSON_AddStringToObject(o, "method", "POST");
	s = redact_url(rq->url ? rq->url : "");
	cJSON_AddStringToObject(o, "url", s);
	free(s);
	for (size_t i = 0; i < rq->nheaders; i++) {
		cJSON *hd = cJSON_CreateObject();

		s = redact_header(rq->headers[i].name, rq->headers[i].value);
		cJSON_AddStringToObject(hd, "value", s);
		free(s);
		/* A header name can hold a token too (tests/secrets). */
		s = redact_text(rq->headers[i].name ? rq->headers[i].name : "");
		cJSON_AddStringToObject(hd, "name", s);
		free(s);
		cJSON_AddItemToArray(hs, hd);
	}
	cJSON_AddItemToObject(o, "headers", hs);
	if (rq->body_json) {
		cJSON *copy = cJSON_Duplicate(rq->body_json, true);

		redact_json(copy);
		cJSON_AddItemToObject(o, "body", copy);
	} else if (rq->body) {
		s = redact_text(rq->body);
		cJSON_AddStringToObject(o, "body", s);
		free(s);
	} else {
		cJSON_AddNullToObject(o, "body");
	}
	text = cJSON_Print(o);
	shown = report_json_visible(text);
	fputs(shown, out);
	free(shown);
	cJSON_free(text);
	cJSON_Delete(o);
}

/* --- the interface --- */

void render_out_begin(FILE *out, enum hd_render_as as)
{
	render_out_count = 0;
	if (as == AS_JSON)
		fputc('[', out);
}

void render_out_request(FILE *out, enum hd_render_as as,
			const struct analysis *a, const struct request *rq)
{
	if (as == AS_JSON)
		fputs(render_out_count ? ",\n" : "\n", out);
	else if (render_out_count)
		fputc('\n', out);
	render_out_count++;
	switch (as) {
	case AS_HTTP:
		put_http(out, a, rq);
		break;
	case AS_CURL:
		put_curl(out, a, rq);
		break;
	case AS_JSON:
		put_json(out, a, rq);
		break;
	}
}

void render_out_end(FILE *out, enum hd_render_as as)
{
	if (as == AS_JSON)
		fputs(render_out_count ? "\n]\n" : "]\n", out);
	fflush(out);
}
