/*
 * tree_same.h - whether two cJSON trees are the same node for node: types,
 * member names, strings, numbers bit for bit (valuedouble and valueint),
 * and cJSON's links (each ->next's ->prev, and the first child's ->prev
 * naming the last). cJSON_Compare() is not enough for this: it compares
 * numbers with a tolerance and never looks at valueint or the links.
 *
 * Used by test_jsonpos.c and fuzz_hook.c to hold jsonpos_tree_valid() to
 * cJSON_ParseWithLength().
 */
#ifndef HD_TREE_SAME_H
#define HD_TREE_SAME_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <string.h>

static inline bool tree_same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The children of n are linked as cJSON links them. */
static inline bool tree_links_ok(const cJSON *n)
{
	const cJSON *c = n->child, *last = NULL;

	if (!c)
		return true;
	for (; c; c = c->next) {
		if (c->next && c->next->prev != c)
			return false;
		last = c;
	}
	return n->child->prev == last;
}

static inline bool tree_same(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;

	if (!a || !b)
		return a == b;
	if (a->type != b->type || !tree_same_str(a->string, b->string) ||
	    !tree_same_str(a->valuestring, b->valuestring) ||
	    a->valueint != b->valueint ||
	    memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) != 0 ||
	    !tree_links_ok(a) || !tree_links_ok(b))
		return false;
	for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
		if (!tree_same(x, y))
			return false;
	return !x && !y;
}

#endif
