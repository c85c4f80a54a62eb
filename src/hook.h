/*
 * hook.h - the hook model and the loader.
 *
 * Accepts the shapes SPEC.md names: a HookPipelineCreate body (what a user
 * POSTs), a Hook object as the API returns it, or a JSON array of either.
 * Loading fails (exit 2) only when the input cannot be used at all: invalid
 * JSON, a value of the wrong JSON type where hookdoctor needs it, or a
 * required member of a header or condition missing. Everything softer
 * (unknown members, lengths, enums) is kept in hook->schema_issues for
 * HD114 and the other checks to judge.
 */
#ifndef HD_HOOK_H
#define HD_HOOK_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include "jsonpos.h"
#include "util.h"

struct hd_header {
	char *name;
	char *value;
	int line, col;
};

struct hd_condition {
	char *path;
	char **values;     /* accepted_values as strings (numbers formatted) */
	size_t nvalues;
	int line, col;
};

/* A non-fatal schema problem, reported by HD114. */
struct schema_issue {
	char *path;        /* JSON path, e.g. "settings.request_headers[1].name" */
	char *message;
	char *hint;        /* how to fix it, when more is known than "as the
			      schema says"; NULL */
	int line, col;
};

enum body_kind { BODY_NONE, BODY_OBJECT, BODY_ARRAY, BODY_STRING };

struct hook {
	int index;              /* 0-based position in the input */
	char *source;           /* "file:hook.json#0", "stdin#2" */
	char *file;             /* display name of the input file */
	int line, col;          /* where the hook starts */

	char *id;               /* Hook.id when present */
	char *name;             /* NULL when absent */
	char *type;             /* "in" / "out" / NULL when absent */
	char *target_url;       /* NULL when absent */
	bool has_pipeline_id;
	char *pipeline_id;      /* raw text of pipeline_id (number or string) */
	int active;             /* -1 absent, 0 false, 1 true */
	int verify_ssl;         /* -1 absent, 0 false, 1 true */

	struct hd_header *headers;
	size_t nheaders;

	enum body_kind body_kind;
	cJSON *body;            /* settings.request_body (points into json) */
	int body_line, body_col;

	bool has_events;        /* trigger_when.events present */
	char **events;
	size_t nevents;
	struct hd_condition *conds;
	size_t nconds;

	struct schema_issue *schema_issues;
	size_t nschema_issues;

	cJSON *json;            /* the whole hook object, owned */
	struct jsonpos pos;     /* positions of nodes in json, owned */
	cJSON *dropped;         /* members taken out of json for a later one
				   of the same name (an array), or NULL;
				   owned, kept so no address in pos is
				   reused */
};

/* The input: a file or standard input holding one hook or an array. */
struct hook_input {
	char *fname;            /* display name */
	char *text;
	size_t len;
	size_t *starts, *ends;  /* element ranges */
	long count;             /* number of hooks */
	long next;
	int is_array;           /* the top level is an array of hooks */
	struct jsonpos_mark mark; /* line count so far, so that each hook's
				   * position costs O(its size) */
	bool learned;           /* hook_input_validate() passed, so redact.c
				   knows every hook's secrets already */
};

/* Reads and validates path ("-" for stdin). Returns 0, or -1 with err set
 * to a one-line "FILE:LINE:COL: message". */
int hook_input_open(struct hook_input *in, const char *path,
		    struct hd_error *err);
/* The same over text already in memory (the Devopness API client's hooks,
 * serialised): text must be NUL-terminated at len and malloc'd; the input
 * owns it afterwards, also on failure. fname is the display name, e.g.
 * "api:/pipelines/123/hooks" (sources "api:/pipelines/123/hooks#0"). */
int hook_input_open_text(struct hook_input *in, char *text, size_t len,
			 const char *fname, struct hd_error *err);
/* Loads the next hook into *h. Returns 1 when one was loaded, 0 at the end,
 * -1 with err set when the hook is unusable ("FILE:LINE:COL: PATH: message",
 * PATH from the document root, e.g. "[3].settings.request_headers"; *h
 * needs no hook_free() then). h->source is "file:PATH#I" ("stdin#I" for
 * standard input). in->next may be set back to 0 to read the hooks again.
 * The hook borrows in->text (h->pos.text): free it before closing in. */
int hook_input_next(struct hook_input *in, struct hook *h,
		    struct hd_error *err);
/* Loads hook i, given the line/column mark at its start (see
 * jsonpos_mark_advance). Reads `in` only, so several threads may load
 * different hooks at once. Returns 0, or -1 with err set. */
int hook_input_load(const struct hook_input *in, long i,
		    const struct jsonpos_mark *at, struct hook *h,
		    struct hd_error *err);
/* Loads every hook once without recording positions (fast), so that an
 * unusable hook stops the run before any output; on an error the hook is
 * loaded again with positions for the message. Rewinds the input.
 * Returns 0, or -1 with err set. */
int hook_input_validate(struct hook_input *in, struct hd_error *err);
void hook_input_close(struct hook_input *in);

/* Builds a hook from an already parsed object (used by the loader and by
 * the Devopness API client). Takes ownership of obj and pos, also when it
 * fails (returns -1 with err set; *h needs no hook_free() then). fname
 * "<stdin>" gives source "stdin#INDEX", a name starting "api:" or holding
 * "://" gives "FNAME#INDEX", anything else "file:FNAME#INDEX".
 * Schema issues' paths are relative to the hook ("settings.request_body"),
 * in document order. */
int hook_from_json(cJSON *obj, struct jsonpos *pos, const char *fname,
		   int index, struct hook *h, struct hd_error *err);

/* Header lookup, case-insensitive; returns the first match or NULL. */
const struct hd_header *hook_header(const struct hook *h, const char *name);

void hook_free(struct hook *h);

#endif
