/*
 * template.h - Devopness "{{ path.to.var }}" templates.
 *
 * A template is literal text with variable references "{{ path }}" (inner
 * spaces optional). tmpl_scan() checks the syntax and lists the references;
 * tmpl_render() substitutes values through a lookup callback. This module
 * knows nothing about which variables exist: that is vars.c.
 */
#ifndef HD_TEMPLATE_H
#define HD_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

struct tmpl_ref {
	char *path;         /* "action.id" (trimmed) */
	size_t offset;      /* byte offset of "{{" in the template */
};

struct tmpl_scan {
	struct tmpl_ref *refs;
	size_t nrefs;
	bool ok;            /* false: a syntax error, described below */
	size_t err_offset;  /* byte offset of the error */
	char err[160];      /* e.g. "'{{' is never closed" */
};

/* Scans s. Always fills *out (free with tmpl_scan_free). Returns 0 when the
 * syntax is valid, -1 otherwise. A reference must be a plain dotted path of
 * [A-Za-z0-9_-] segments: no filters, no expressions, not empty. */
int tmpl_scan(const char *s, struct tmpl_scan *out);
void tmpl_scan_free(struct tmpl_scan *sc);

/* True when s holds "{{" at all (fast path: most strings are literal). */
bool tmpl_has_refs(const char *s);

/* Looks up path (not NUL-terminated: pathlen bytes). Returns the value
 * (borrowed, valid until the next call) or NULL when it is unknown. */
typedef const char *(*tmpl_lookup_fn)(void *ud, const char *path,
				       size_t pathlen);

/* Renders s: each reference is replaced by its value, unknown ones by "".
 * Malformed references are copied through literally. Returns malloc'd text;
 * *missing (may be NULL) counts references that had no value. */
char *tmpl_render(const char *s, tmpl_lookup_fn lookup, void *ud,
		  int *missing);

#endif
