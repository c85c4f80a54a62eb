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
 *
 * Positions: lines and columns are 1-based; columns count bytes from the
 * start of the line (a tab is one column, "é" two). A UTF-8 byte order mark
 * at the very start is accepted and skipped, and is not counted in line 1's
 * columns (editors do not show it). A UTF-16 file is rejected with a message
 * saying so.
 */
#ifndef HD_JSONPOS_H
#define HD_JSONPOS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include "util.h"

/* Where one node starts; for an object member also where its name starts
 * (for other nodes key_line/key_col equal line/col). */
struct jsonpos_loc {
	int line, col;
	int key_line, key_col;
};

/* Maps parsed nodes back to the text they came from. */
struct jsonpos {
	const char *text;      /* the whole input (borrowed) */
	size_t len;            /* text[0..len) may be read: at least the slice */
	size_t base;           /* offset of the parsed slice within text */
	struct jsonpos_slot {  /* a hash set of the nodes, for lookup: */
		const cJSON *node; /* NULL in an empty slot */
		size_t idx;    /* the node's place in pre-order */
	} *slots;
	size_t cap;            /* slots: a power of 2, at least 2 n */
	size_t *offsets;       /* offsets[i]: where the i-th node in pre-order
				  starts in text */
	size_t n;
	struct jsonpos_loc *locs; /* locs[i]: where that node starts */
};

/* A known line/column at an offset, so that a loader walking a large array
 * of hooks does not rescan the text from the top for each one. */
struct jsonpos_mark {
	size_t off;
	int line;
	size_t line_off;       /* offset where that line starts */
};

/* Validates text[0..len) as JSON. On error fills err with
 * "FNAME:LINE:COL: message" and returns -1; returns 0 when valid. */
int jsonpos_validate(const char *text, size_t len, const char *fname,
		     struct hd_error *err);

/* jsonpos_validate(), the elements of a large top-level array checked on
 * up to nthreads threads (at most JSONPOS_MAX_THREADS): the same answer
 * and, for invalid text, the same message (the one-thread scan words it).
 * Returns -1 for invalid text. When the threads checked it (an array of
 * at most max elements), returns the number of elements with their ranges
 * in *starts and *ends, as jsonpos_array_elements() gives them (malloc'd,
 * caller frees); else 0, and both are NULL. */
#define JSONPOS_MAX_THREADS 8
long jsonpos_validate_threads(const char *text, size_t len,
			      const char *fname, struct hd_error *err,
			      int nthreads, long max, size_t **starts,
			      size_t **ends);
/* When the document is an array, stores the [start, end) byte ranges of its
 * elements in *starts and *ends (malloc'd, caller frees) and returns their
 * count. It stops after max + 1 elements: a caller with a limit sees it
 * passed without the rest being stored (a file of a million tiny
 * elements). It does not trust the text: it returns -1 (and NULLs) when
 * the top level is not an array, or when what lies between its elements is
 * anything but white space and commas as JSON has them; the elements
 * themselves are not checked (jsonpos_validate() does that). */
long jsonpos_array_elements(const char *text, size_t len, size_t **starts,
			    size_t **ends, long max);

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

/* Like jsonpos_where() but, for an object member, where its name starts:
 * the place to point at for an unknown member. */
void jsonpos_where_key(const struct jsonpos *pos, const cJSON *node,
		       int *line, int *col);
/* Byte offset in pos->text where node starts; false when unknown. */
int jsonpos_offset(const struct jsonpos *pos, const cJSON *node, size_t *off);

/* Sets *m to the start of text (after a byte order mark). */
void jsonpos_mark_init(struct jsonpos_mark *m, const char *text, size_t len);
/* Moves *m forward to off (off >= m->off), counting lines on the way. */
void jsonpos_mark_advance(struct jsonpos_mark *m, const char *text,
			  size_t off);
/* jsonpos_parse() for a caller that knows where start is: *at must be a
 * mark at offset start. jsonpos_parse() is this with a mark computed by
 * scanning from the top, which costs O(start). */
cJSON *jsonpos_parse_at(const char *text, const struct jsonpos_mark *at,
			size_t end, const char *fname, struct jsonpos *pos,
			struct hd_error *err);

/* jsonpos_parse_at over text that jsonpos_validate accepted as a whole
 * (the slice being one of its values): the same tree and positions,
 * without checking the text again. */
cJSON *jsonpos_parse_valid_at(const char *text,
			      const struct jsonpos_mark *at, size_t end,
			      const char *fname, struct jsonpos *pos,
			      struct hd_error *err);

/* The tree cJSON_ParseWithLength(text + start, end - start) gives, for a
 * value of text that jsonpos_validate() accepted as a whole; built in one
 * pass over the text, or by cJSON where that pass gives up (see
 * jsonpos.c). The caller frees it with cJSON_Delete. */
cJSON *jsonpos_tree_valid(const char *text, size_t start, size_t end);
void jsonpos_free(struct jsonpos *pos);

#endif
