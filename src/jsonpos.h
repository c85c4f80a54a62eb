/*
 * jsonpos.h - strict JSON validation with positions.
 *
 * cJSON parses but reports neither line/column nor what kind of slip the
 * user made. This module scans the text first: it names the slips users
 * make when copying Devopness's documented curl examples (a trailing comma,
 * a "// NOTE" comment, a shell placeholder such as <pipeline_id>), turns any
 * syntax error into "FILE:LINE:COL: message", and records where every value
 * starts so that later errors can name a position for a cJSON node.
 * It must not interpret hooks: that is hook.c.
 */
#ifndef HD_JSONPOS_H
#define HD_JSONPOS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include "util.h"

/* Maps parsed nodes back to the text they came from. */
struct jsonpos {
	const char *text;      /* the whole input (borrowed) */
	size_t len;
	size_t base;           /* offset of the parsed slice within text */
	const cJSON **nodes;   /* sorted by pointer, for lookup */
	size_t *offsets;       /* offsets[i] is where nodes[i] starts in text */
	size_t n;
};

/* Validates text[0..len) as JSON. On error fills err with
 * "FNAME:LINE:COL: message" and returns -1; returns 0 when valid. */
int jsonpos_validate(const char *text, size_t len, const char *fname,
		     struct hd_error *err);

/* When the document is an array, stores the [start, end) byte ranges of its
 * elements in *starts and *ends (malloc'd, caller frees) and returns their
 * count; returns -1 when the top level is not an array. The text must have
 * passed jsonpos_validate(). */
long jsonpos_array_elements(const char *text, size_t len, size_t **starts,
			    size_t **ends);

/* Parses text[start, end) with cJSON and indexes the position of every node.
 * Returns the root (caller frees with cJSON_Delete and jsonpos_free), or
 * NULL with err set. */
cJSON *jsonpos_parse(const char *text, size_t start, size_t end,
		     const char *fname, struct jsonpos *pos,
		     struct hd_error *err);

/* Line and column (1-based, columns counted in bytes) where node starts;
 * 0/0 when unknown. */
void jsonpos_where(const struct jsonpos *pos, const cJSON *node, int *line,
		   int *col);
/* Line/column of a byte offset in text. */
void jsonpos_linecol(const char *text, size_t off, int *line, int *col);

void jsonpos_free(struct jsonpos *pos);

#endif
