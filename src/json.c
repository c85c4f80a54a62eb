/*
 * json.c - dotted-path access to cJSON trees (see json.h).
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"

char *json_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xneed(cJSON_malloc(n)), s, n);
}

const cJSON *json_at(const cJSON *obj, const char *dotted)
{
	const cJSON *cur = obj;
	const char *s = dotted;

	while (cur && *s) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		const cJSON *next = NULL;

		if (!cJSON_IsObject(cur))
			return NULL;
		for (const cJSON *c = cur->child; c; c = c->next) {
			if (c->string && strlen(c->string) == n &&
			    memcmp(c->string, s, n) == 0) {
				next = c;
				break;
			}
		}
		cur = next;
		s = dot ? dot + 1 : s + n;
	}
	return cur;
}

char *json_text(const cJSON *node)
{
	char *p, *r;

	if (!node || cJSON_IsNull(node))
		return NULL;
	if (cJSON_IsString(node))
		return xstrdup(node->valuestring);
	if (cJSON_IsBool(node))
		return xstrdup(cJSON_IsTrue(node) ? "true" : "false");
	p = cJSON_PrintUnformatted(node);
	r = xstrdup(p ? p : "");
	cJSON_free(p);
	return r;
}
