/*
 * vars.h - the variable context templates are rendered with.
 *
 * Holds one action (the built-in sample deploy action, or later a real one
 * from the API) with the application, pipeline, environment and project it
 * belongs to, as a cJSON tree {"action":..., "application":..., ...}.
 * The list of variable paths Devopness knows is generated from the OpenAPI
 * description (tools/gen-vars.py -> src/vars_table.c): do not hand-edit it.
 */
#ifndef HD_VARS_H
#define HD_VARS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include "status.h"
#include "util.h"

/* What the secret variable renders to: a placeholder, never a token. It
 * reads as a shell variable so `render --as curl` can be run by hand. */
#define VARS_TOKEN_PLACEHOLDER "${HOOKDOCTOR_PROVIDER_TOKEN}"

struct sample_spec;

struct vars {
	cJSON *root;            /* owned */
	char buf[64];           /* scratch for formatting numbers */
	char *scratch;          /* last formatted object value, owned */
	char idbuf[32];         /* scratch for vars_action_id() */
	const struct sample_spec *sample;  /* the built-in sample it is, or
					      NULL (a real action) */
};

/* The built-in sample: a deploy action started by an incoming hook, with
 * the status given. which = 0 is the primary sample action; which = 1 a
 * second action (other id, other commit) used to prove that identities do
 * not and links do vary per action. Caller frees with vars_free().
 * Cheap (about 30 nodes): below its root and its action's own members the
 * tree shares read-only nodes with a built-in prototype (cJSON
 * references), so change a sample only through vars_set() and
 * vars_set_status(); reading it, printing it or cJSON_Duplicate() of it
 * are fine. */
struct vars *vars_sample(enum hd_status status, int which);

/* A real action (GET /actions/{id}) as the context: action is copied; the
 * pipeline, environment and project are the ones it names, the application
 * keeps only what the action says of it and the token placeholder. Caller
 * frees with vars_free(). */
struct vars *vars_from_action(const cJSON *action, enum hd_status status);

/* Switches the action to another status (status, status_human_readable,
 * status_reason_code, completed_at...). */
void vars_set_status(struct vars *v, enum hd_status status);

/* --var path=value: sets a string (or number/bool/null when value parses
 * as such) at path, creating objects on the way. Returns -1 with err set
 * when path is not a dotted path. */
int vars_set(struct vars *v, const char *assignment, struct hd_error *err);

/* Returns the scalar text of path (numbers without trailing ".0", booleans
 * "true"/"false", null ""), or NULL when the path has no value. Objects and
 * arrays render as compact JSON. The pointer stays valid until the next
 * lookup. Usable as a tmpl_lookup_fn with ud = the vars. */
const char *vars_lookup(void *v, const char *path, size_t pathlen);

/* The node at a dotted path, resolved as templates resolve it (a segment
 * of digits indexes an array), or NULL: what vars_lookup renders. */
const cJSON *vars_at(const struct vars *v, const char *path);

/* Is path a variable Devopness knows? (Generated table, plus the open map
 * action.triggered_from.hook_parsed_variables.* documented by the guides.) */
bool vars_known(const char *path);
/* The known path nearest to path (for "did you mean"), or NULL. */
const char *vars_suggest(const char *path);
/* Does the path hold a secret (renders to VARS_TOKEN_PLACEHOLDER)? */
bool vars_is_secret(const char *path);

/* The commit hash and page of the action, for checks. */
const char *vars_action_commit(const struct vars *v);
const char *vars_action_id(const struct vars *v);
const char *vars_action_permalink(const struct vars *v);

void vars_free(struct vars *v);

/* Generated (src/vars_table.c): sorted known paths. A path ending in ".*"
 * accepts any child path. */
extern const char *const vars_table[];
extern const unsigned long vars_table_len;

#endif
