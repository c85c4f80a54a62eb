/*
 * conditions.h - a hook's trigger_when.conditions evaluated against the
 * values of an action (SPEC.md, "How a hook is analysed", step 2).
 *
 * A condition is {path, accepted_values}: the hook fires only when the
 * value at path, in the variables Devopness renders templates with, is one
 * of the accepted values; conditions are ANDed. Conditions on
 * action.status are judged per status by firing.c. Any other path depends
 * on the action: it is evaluated here when its value is really known (a
 * real action read from the Devopness API, or a --var given for exactly
 * that path), and reported as not evaluable otherwise, never guessed from
 * the built-in sample.
 */
#ifndef HD_CONDITIONS_H
#define HD_CONDITIONS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include "hook.h"
#include "vars.h"

enum cond_verdict {
	CV_STATUS,      /* on action.status: judged per status (firing.c) */
	CV_OFFLINE,     /* depends on the action and no real value is known:
			   not evaluated (no --action, no --var for it) */
	CV_UNKNOWN,     /* a real action, but not one that carries this
			   value (application.*, a secret): not evaluated */
	CV_MATCH,       /* accepted at every status evaluated */
	CV_NO_MATCH,    /* refused at the statuses in fail_mask */
};

struct cond_eval {
	enum cond_verdict verdict;
	bool from_var;          /* the value was given with --var */
	bool has_value;         /* a non-null value is there */
	char *value;            /* that value as text, redacted where it
				   could be a secret; NULL without one.
				   Taken at the first status refused, else
				   the first evaluated */
	unsigned fail_mask;     /* ST_BIT()s of the statuses refused */
};

/* Is value (NULL when the path has none) one of c's accepted values?
 * Strings compare exactly, numbers by value ("4242" accepts 4242 and
 * "4242.0"), booleans as true/false; a missing or null value is accepted
 * only by null. Pure. */
bool cond_accepts(const struct hd_condition *c, const cJSON *value);

/* Evaluates every condition of h against v at each status in mask
 * (switching v's action to that status, then applying the --var
 * assignments again, as rendering does). v is a real action when
 * v->sample is NULL. out has h->nconds entries, filled in order (free
 * with cond_eval_free). Returns the statuses of mask at which no
 * evaluated condition refused the action: mask itself when none could be
 * evaluated. Leaves v at an unspecified status. */
unsigned cond_evaluate(const struct hook *h, struct vars *v,
		       const char *const *assignments, size_t nassignments,
		       unsigned mask, struct cond_eval *out);

/* Is any condition evaluated (CV_MATCH or CV_NO_MATCH)? */
bool cond_any_evaluated(const struct cond_eval *e, size_t n);

void cond_eval_free(struct cond_eval *e, size_t n);

#endif
