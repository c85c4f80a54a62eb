/*
 * conditions.c - trigger_when.conditions against an action's real values
 * (see conditions.h). Reads the hook and the variable context; the only
 * thing it changes is the status of the context's action.
 */
#include "conditions.h"

#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "redact.h"
#include "status.h"

/* Is s, all of it, a number as strtod reads it? Sets *d. */
static bool number_text(const char *s, double *d)
{
	char *end;

	if (!s || !*s)
		return false;
	*d = strtod(s, &end);
	return *end == '\0';
}

bool cond_accepts(const struct hd_condition *c, const cJSON *value)
{
	bool none = !value || cJSON_IsNull(value);
	char *text = none ? NULL : json_text(value);
	double dv = 0, da;
	bool num = !none && (cJSON_IsNumber(value) ||
			     (cJSON_IsString(value) && number_text(text, &dv)));
	bool ok = false;

	if (num && cJSON_IsNumber(value))
		dv = value->valuedouble;
	for (size_t i = 0; i < c->nvalues && !ok; i++) {
		const char *want = c->values[i];

		if (none)
			ok = strcmp(want, "null") == 0;
		else if (strcmp(want, text) == 0)
			ok = true;
		else if (num && number_text(want, &da))
			ok = da == dv;
	}
	free(text);
	return ok;
}

/* Was path given exactly with --var PATH=VALUE? */
static bool assigned(const char *path, const char *const *as, size_t n)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < n; i++)
		if (strncmp(as[i], path, len) == 0 && as[i][len] == '=')
			return true;
	return false;
}

/* The verdict before any value is read: can this condition be evaluated? */
static enum cond_verdict judgeable(const struct hd_condition *c,
				   const struct vars *v, bool from_var)
{
	bool real = v->sample == NULL;

	if (!c->path || !*c->path)
		return real ? CV_UNKNOWN : CV_OFFLINE;
	if (strcmp(c->path, "action.status") == 0)
		return CV_STATUS;
	if (vars_is_secret(c->path))
		return real ? CV_UNKNOWN : CV_OFFLINE;
	if (from_var)
		return CV_MATCH;
	if (!real)
		return CV_OFFLINE;
	/* The action is the API's whole Action: what it lacks is null for
	 * Devopness too. What the action does not describe (the application
	 * beyond its id and name, say) is not known here. */
	if (strncmp(c->path, "action.", 7) == 0)
		return CV_MATCH;
	{
		const cJSON *n = vars_at(v, c->path);

		return n && !cJSON_IsNull(n) ? CV_MATCH : CV_UNKNOWN;
	}
}

static char *shown_value(const char *path, const cJSON *n)
{
	const char *last = strrchr(path, '.');
	char *text = json_text(n), *out;

	if (!text)
		return NULL;
	if (redact_is_secret_key(last ? last + 1 : path))
		out = redact_mask(text, strlen(text));
	else
		out = redact_text(text);
	free(text);
	return out;
}

static void set_status(struct vars *v, enum hd_status st,
		       const char *const *as, size_t n)
{
	vars_set_status(v, st);
	for (size_t i = 0; i < n; i++)
		vars_set(v, as[i], NULL);
}

/* One pass over the evaluable conditions at the context's current
 * status (bit: its ST_BIT, 0 when none). Returns the bits refused. */
static unsigned eval_pass(const struct hook *h, struct vars *v,
			  struct cond_eval *out, unsigned bit, bool first)
{
	unsigned refused = 0;

	for (size_t i = 0; i < h->nconds; i++) {
		const struct hd_condition *c = &h->conds[i];
		struct cond_eval *e = &out[i];
		const cJSON *n;
		bool ok;

		if (e->verdict != CV_MATCH && e->verdict != CV_NO_MATCH)
			continue;
		n = vars_at(v, c->path);
		ok = cond_accepts(c, n);
		/* The value shown: at the first status refused, else at the
		 * first status evaluated. */
		if (first || (!ok && e->verdict == CV_MATCH)) {
			free(e->value);
			e->value = shown_value(c->path, n);
			e->has_value = n && !cJSON_IsNull(n);
		}
		if (!ok) {
			e->fail_mask |= bit;
			e->verdict = CV_NO_MATCH;
			refused |= bit;
		}
	}
	return refused;
}

unsigned cond_evaluate(const struct hook *h, struct vars *v,
		       const char *const *as, size_t nas, unsigned mask,
		       struct cond_eval *out)
{
	unsigned fires = mask;
	bool any = false, first = true;

	for (size_t i = 0; i < h->nconds; i++) {
		const struct hd_condition *c = &h->conds[i];
		struct cond_eval *e = &out[i];

		memset(e, 0, sizeof(*e));
		e->from_var = c->path && assigned(c->path, as, nas);
		e->verdict = judgeable(c, v, e->from_var);
		if (e->verdict == CV_MATCH)
			any = true;
	}
	if (!any)
		return mask;
	if (!mask) {
		/* It fires on no status: the values as they stand. */
		eval_pass(h, v, out, 0, true);
		return 0;
	}
	for (int s = 0; s < ST_COUNT; s++) {
		if (!(mask & ST_BIT(s)))
			continue;
		set_status(v, (enum hd_status)s, as, nas);
		fires &= ~eval_pass(h, v, out, ST_BIT(s), first);
		first = false;
	}
	return fires;
}

bool cond_any_evaluated(const struct cond_eval *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].verdict == CV_MATCH || e[i].verdict == CV_NO_MATCH)
			return true;
	return false;
}

void cond_eval_free(struct cond_eval *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		free(e[i].value);
		e[i].value = NULL;
	}
}
