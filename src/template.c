/*
 * template.c - Devopness "{{ path }}" templates: syntax scan and rendering.
 *
 * One parser (parse_ref) decides what a reference is; tmpl_scan() and
 * tmpl_render() both walk the text with it, so what the scan reports as
 * malformed is exactly what the renderer copies through literally.
 * Rendering runs for every field of every request of every hook, so it is
 * a single pass with memchr and no allocation beyond the output buffer.
 * This module knows nothing about which variables exist (that is vars.c).
 *
 * Syntax decisions:
 *   - inner spaces and tabs around the path are optional: "{{a.b}}" and
 *     "{{  a.b\t}}" are the same reference;
 *   - a path is dot-separated segments of [A-Za-z0-9_-], none empty;
 *   - a "}}" with no "{{" before it is plain text (Devopness sends it as
 *     is, and JSON bodies hold "}}" legitimately), never an error;
 *   - "{{{" is an error: it is neither a reference nor literal braces in
 *     any template language users may have copied it from.
 */
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum ref_result { REF_OK, REF_BAD, REF_UNCLOSED };

struct ref {
	size_t end;             /* offset just past the closing "}}" (or where
				   literal copying should resume) */
	size_t path, pathlen;   /* trimmed path inside the braces */
	char err[128];
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_path_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Why inner (trimmed, n > 0 bytes) is not a plain dotted path, or NULL.
 * The most telling problem wins: a filter, then a character that makes it
 * an expression, then inner spaces, then an empty segment. */
static const char *path_problem(const char *p, size_t n, char *buf,
				size_t bufsz)
{
	bool seg_empty = true, blank = false;

	if (memchr(p, '|', n))
		return "filters ('|') are not supported: use a plain "
		       "variable path";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (is_path_char((char)c) || c == '.')
			continue;
		if (is_blank((char)c)) {
			blank = true;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			snprintf(buf, bufsz, "control character 0x%02x in a "
				 "variable path", c);
		else if (c >= 0x80)
			snprintf(buf, bufsz, "non-ASCII character in a "
				 "variable path");
		else
			snprintf(buf, bufsz, "'%c' is not allowed in a "
				 "variable path: expressions are not "
				 "supported, only a plain dotted path", c);
		return buf;
	}
	if (blank)
		return "a variable path cannot hold spaces";
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '.') {
			seg_empty = false;
		} else if (seg_empty) {
			return "a variable path cannot have an empty segment "
			       "('..', or a leading dot)";
		} else {
			seg_empty = true;
		}
	}
	if (seg_empty)
		return "a variable path cannot end with a dot";
	return NULL;
}

/* s[at] and s[at+1] are "{{". Parses the reference that starts there. */
static enum ref_result parse_ref(const char *s, size_t len, size_t at,
				 struct ref *r)
{
	size_t i = at + 2, close, b, e;
	const char *why;

	r->err[0] = '\0';
	if (i < len && s[i] == '{') {
		while (i < len && s[i] == '{')
			i++;
		r->end = i;
		snprintf(r->err, sizeof(r->err), "'{{{' is not a variable "
			 "reference: write '{{ path }}'");
		return REF_BAD;
	}
	/* Find "}}", noticing a "{{" that opens before it. */
	for (close = i; close + 1 < len; close++) {
		if (s[close] == '}' && s[close + 1] == '}')
			break;
		if (s[close] == '{' && s[close + 1] == '{') {
			r->end = close;
			snprintf(r->err, sizeof(r->err), "'{{' is not closed "
				 "before the next '{{'");
			return REF_UNCLOSED;
		}
	}
	if (close + 1 >= len) {
		r->end = len;
		snprintf(r->err, sizeof(r->err), "'{{' is never closed");
		return REF_UNCLOSED;
	}
	r->end = close + 2;
	b = i;
	e = close;
	while (b < e && is_blank(s[b]))
		b++;
	while (e > b && is_blank(s[e - 1]))
		e--;
	if (b == e) {
		snprintf(r->err, sizeof(r->err), "empty reference '{{ }}'");
		return REF_BAD;
	}
	why = path_problem(s + b, e - b, r->err, sizeof(r->err));
	if (why) {
		if (why != r->err)
			snprintf(r->err, sizeof(r->err), "%s", why);
		return REF_BAD;
	}
	r->path = b;
	r->pathlen = e - b;
	return REF_OK;
}

static const char *find_open(const char *s, size_t from, size_t len)
{
	const char *p = s + from, *end = s + len;

	while (p < end) {
		p = memchr(p, '{', (size_t)(end - p));
		if (!p || p + 1 >= end)
			return NULL;
		if (p[1] == '{')
			return p;
		p += 2;
	}
	return NULL;
}

bool tmpl_has_refs(const char *s)
{
	return s && strstr(s, "{{") != NULL;
}

int tmpl_scan(const char *s, struct tmpl_scan *out)
{
	size_t len = s ? strlen(s) : 0, pos = 0, cap = 0;
	const char *open;

	memset(out, 0, sizeof(*out));
	out->ok = true;
	while ((open = find_open(s, pos, len)) != NULL) {
		size_t at = (size_t)(open - s);
		struct ref r;
		enum ref_result res = parse_ref(s, len, at, &r);

		if (res == REF_OK) {
			if (out->nrefs == cap) {
				cap = cap ? cap * 2 : 4;
				out->refs = xrealloc(out->refs,
						     cap * sizeof(*out->refs));
			}
			out->refs[out->nrefs].path =
				xstrndup(s + r.path, r.pathlen);
			out->refs[out->nrefs].offset = at;
			out->nrefs++;
		} else if (out->ok) {
			/* Keep the first error; go on listing references. */
			out->ok = false;
			out->err_offset = at;
			snprintf(out->err, sizeof(out->err), "%s", r.err);
		}
		pos = r.end;
	}
	return out->ok ? 0 : -1;
}

void tmpl_scan_free(struct tmpl_scan *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->nrefs; i++)
		free(sc->refs[i].path);
	free(sc->refs);
	sc->refs = NULL;
	sc->nrefs = 0;
}

char *tmpl_render(const char *s, tmpl_lookup_fn lookup, void *ud,
		  int *missing)
{
	size_t len = s ? strlen(s) : 0, pos = 0;
	struct sbuf b = {0};
	const char *open;
	int miss = 0;

	if (missing)
		*missing = 0;
	if (!s)
		return xstrdup("");
	while ((open = find_open(s, pos, len)) != NULL) {
		size_t at = (size_t)(open - s);
		struct ref r;

		sbuf_addn(&b, s + pos, at - pos);
		if (parse_ref(s, len, at, &r) == REF_OK) {
			const char *v = lookup ? lookup(ud, s + r.path,
							r.pathlen) : NULL;

			if (v)
				sbuf_add(&b, v);
			else
				miss++;
		} else {
			sbuf_addn(&b, s + at, r.end - at);
		}
		pos = r.end;
	}
	sbuf_addn(&b, s + pos, len - pos);
	if (missing)
		*missing = miss;
	return sbuf_detach(&b);
}
