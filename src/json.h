/*
 * json.h - reading values out of parsed JSON by dotted path, shared by the
 * analysis (state, identity and link of a rendered body), the request
 * checks and the provider client (fields of API answers).
 */
#ifndef HD_JSON_H
#define HD_JSON_H

#include <cjson/cJSON.h>

/* The node at a dotted path ("context.name") of a JSON object, or NULL.
 * Keys compare exactly, as providers read them. */
const cJSON *json_at(const cJSON *obj, const char *dotted);

/* Scalar text of a node: strings as they are, booleans "true"/"false",
 * others as compact JSON; NULL for a missing or null node. Malloc'd. */
char *json_text(const cJSON *node);

#endif
