/*
 * json.h - reading values out of parsed JSON by dotted path, shared by the
 * analysis (state, identity and link of a rendered body), the request
 * checks and the provider client (fields of API answers).
 */
#ifndef HD_JSON_H
#define HD_JSON_H

#include <cjson/cJSON.h>
#include <string.h>
#include "util.h"

/* cJSON_GetObjectItemCaseSensitive(), with the first bytes compared
 * before strcmp: the same member (the first with that key), or NULL, as
 * there (also for an array, whose items have no key). The analysis looks
 * up the sample action's members ~750 times a hook, and the library's
 * strcmp call for every member passed was 4% of a 10,000-hook check. */
static inline cJSON *json_member(const cJSON *obj, const char *key)
{
	if (!obj || !key)
		return NULL;
	for (cJSON *c = obj->child; c && c->string; c = c->next)
		if (str_eq(c->string, key))
			return c;
	return NULL;
}

/* The node at a dotted path ("context.name") of a JSON object, or NULL.
 * Keys compare exactly, as providers read them. */
const cJSON *json_at(const cJSON *obj, const char *dotted);

/* A copy of s that cJSON may own and free (cJSON_malloc'd: with
 * jsonmem.c's hooks, malloc() and cJSON_free() do not mix). */
char *json_strdup(const char *s);

/* Scalar text of a node: strings as they are, booleans "true"/"false",
 * others as compact JSON; NULL for a missing or null node. Malloc'd. */
char *json_text(const cJSON *node);

#endif
