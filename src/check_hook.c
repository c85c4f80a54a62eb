/*
 * check_hook.c - checks of the hook and its pipeline as given (HD101,
 * HD107-HD114): the pipeline ID, name, events, conditions, target URL,
 * verify_ssl and the schema. They read the loaded hook and the firing
 * analysis only; they never print, exit or touch the network.
 */
#include "checks.h"
#include "devopness.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NAME_MAX_CHARS 60

/* ---------------------------------------------------------------- helpers */

/* "completed, failed" for the statuses in mask; caller frees. */
static char *status_words(unsigned mask, const char *last_sep)
{
	struct sbuf b = {0};

	hd_status_words(&b, mask, ", ", last_sep);
	return sbuf_detach(&b);
}

static void ev_where(struct finding *f, const char *key, int line, int col)
{
	if (line > 0)
		finding_evf(f, key, "%d:%d", line, col);
}

/* Position of a top-level member of the hook object. */
static void ev_member_where(struct finding *f, const struct hook *h,
			    const char *member)
{
	const cJSON *node;
	int line = 0, col = 0;

	if (!h->json)
		return;
	node = cJSON_GetObjectItemCaseSensitive(h->json, member);
	if (!node)
		return;
	jsonpos_where(&h->pos, node, &line, &col);
	ev_where(f, "at", line, col);
}

/* ------------------------------------------------------------------ HD101 */

static bool is_uuid(const char *s)
{
	static const int groups[] = {8, 4, 4, 4, 12};

	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, s++)
			if (!isxdigit((unsigned char)*s))
				return false;
		if (g < 4 && *s++ != '-')
			return false;
	}
	return *s == '\0';
}

/* NULL when s is a positive decimal integer that fits in int64, else why
 * not (static text). */
static const char *pipeline_id_problem(const char *s)
{
	const char *p = s;
	size_t ndigits;

	if (!*s)
		return "is empty";
	if (is_uuid(s))
		return "looks like a hook ID (a UUID), not a pipeline ID";
	if (*s == '<' || strstr(s, "pipeline_id"))
		return "is still the <pipeline_id> placeholder from the guide";
	if (*s == '-' || *s == '+')
		return *s == '-' ? "is negative" : "has a sign";
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return "is not a decimal integer";
	while (*s == '0' && s[1])
		s++;
	if (strcmp(s, "0") == 0)
		return "is zero";
	ndigits = strlen(s);
	if (ndigits > 19 || (ndigits == 19 && strcmp(s, "9223372036854775807") > 0))
		return "is too large for a pipeline ID (more than a 64-bit integer)";
	return NULL;
}

static bool same_number(const char *a, const char *b)
{
	while (*a == '0' && a[1])
		a++;
	while (*b == '0' && b[1])
		b++;
	return strcmp(a, b) == 0;
}

HOOK_CHECK(hd101)
{
	const struct hook *h = a->hook;
	const char *opt = a->opts ? a->opts->pipeline : NULL;
	const char *own = h->has_pipeline_id ? h->pipeline_id : NULL;
	const char *why;

	if (!opt && !own)
		return finding_skip(f, "skipped: no pipeline ID given (use "
				    "--pipeline or pipeline_id in the hook)");
	if (opt)
		finding_ev(f, "--pipeline", opt);
	if (own) {
		finding_ev(f, "pipeline_id", own);
		ev_member_where(f, h, "pipeline_id");
	}
	if (opt && (why = pipeline_id_problem(opt))) {
		finding_hint(f, "give --pipeline the numeric ID of the deploy "
			     "pipeline (GET /applications/{id}/pipelines lists them)");
		return finding_problem(f, "--pipeline '%s' %s", opt, why);
	}
	if (own && (why = pipeline_id_problem(own))) {
		finding_hint(f, "set pipeline_id to the numeric ID of the deploy "
			     "pipeline (GET /applications/{id}/pipelines lists them)");
		return finding_problem(f, "pipeline_id '%s' %s", own, why);
	}
	if (opt && own && !same_number(opt, own)) {
		finding_hint(f, "check the hook against the pipeline it belongs "
			     "to, or correct pipeline_id in the hook");
		return finding_warn(f, "--pipeline %s differs from the hook's "
				    "pipeline_id %s", opt, own);
	}
	return finding_pass(f, "pipeline ID %s is a positive integer",
			    opt ? opt : own);
}

/* ------------------------------------------------------------------ HD107 */

HOOK_CHECK(hd107)
{
	const struct hook *h = a->hook;
	const char *p;
	size_t n;
	bool valid;

	if (!h->name) {
		finding_hint(f, "add \"name\": a short label such as "
			     "\"GitHub commit status (deploy)\"; Devopness "
			     "requires it");
		return finding_problem(f, "the hook has no name");
	}
	ev_member_where(f, h, "name");
	for (p = h->name; *p && isspace((unsigned char)*p); p++)
		;
	if (!*p) {
		finding_hint(f, "give the hook a non-blank name of at most %d "
			     "characters", NAME_MAX_CHARS);
		return finding_problem(f, "the hook's name is blank");
	}
	n = utf8_count(h->name, strlen(h->name), &valid);
	finding_evf(f, "characters", "%zu", n);
	if (!valid) {
		finding_hint(f, "save the file as UTF-8");
		return finding_problem(f, "the hook's name is not valid UTF-8");
	}
	if (n > NAME_MAX_CHARS) {
		finding_hint(f, "shorten the name to at most %d characters "
			     "(Devopness refuses longer names)", NAME_MAX_CHARS);
		return finding_problem(f, "name is %zu characters, more than "
				       "the %d Devopness accepts", n,
				       NAME_MAX_CHARS);
	}
	return finding_pass(f, "name \"%s\" (%zu characters)", h->name, n);
}

/* ------------------------------------------------------------------ HD108 */

/* Words users write for an outcome, and the event that means it. */
static const struct {
	const char *word;
	enum hd_event ev;
} event_synonyms[] = {
	{"success", EV_COMPLETED},     {"succeeded", EV_COMPLETED},
	{"successful", EV_COMPLETED},  {"complete", EV_COMPLETED},
	{"done", EV_COMPLETED},        {"finished", EV_COMPLETED},
	{"failure", EV_FAILED},        {"fail", EV_FAILED},
	{"error", EV_FAILED},          {"errored", EV_FAILED},
	{"start", EV_STARTED},         {"running", EV_STARTED},
	{"in-progress", EV_STARTED},   {"in_progress", EV_STARTED},
	{"queue", EV_QUEUED},          {"status_change", EV_STATUS_CHANGED},
	{"status-changed", EV_STATUS_CHANGED},
	{"changed", EV_STATUS_CHANGED}, {"updated", EV_STATUS_CHANGED},
};

/* The event a mistyped name most likely meant, or NULL. */
static const char *suggest_event(const char *name)
{
	char low[64];
	const char *tail;
	size_t i;
	int best = -1, bestd = 4;

	for (i = 0; name[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	if (hd_event_from_name(low) >= 0)
		return hd_event_name[hd_event_from_name(low)];
	tail = strncmp(low, "action.", 7) == 0 ? low + 7 : low;
	for (int e = 0; e < EV_COUNT; e++)
		if (strcmp(hd_event_name[e] + 7, tail) == 0)
			return hd_event_name[e];    /* "completed" */
	for (i = 0; i < sizeof(event_synonyms) / sizeof(event_synonyms[0]); i++)
		if (strcmp(event_synonyms[i].word, tail) == 0)
			return hd_event_name[event_synonyms[i].ev];
	for (int e = 0; e < EV_COUNT; e++) {
		int d = edit_distance(hd_event_name[e] + 7, tail, 3);

		if (d < bestd) {
			bestd = d;
			best = e;
		}
	}
	return best >= 0 ? hd_event_name[best] : NULL;
}

HOOK_CHECK(hd108)
{
	const struct hook *h = a->hook;
	cJSON *unknown = cJSON_CreateArray();
	const char *first = NULL, *first_hint = NULL;
	size_t nunknown = 0;

	if (!h->has_events || h->nevents == 0) {
		cJSON_Delete(unknown);
		finding_hint(f, "list the events to fire on, e.g. "
			     "\"trigger_when\": {\"events\": [\"action.started\", "
			     "\"action.completed\", \"action.failed\"]}");
		return finding_problem(f, "trigger_when.events is %s: the hook "
				       "never fires", h->has_events ? "empty"
				       : "missing");
	}
	for (size_t i = 0; i < h->nevents; i++) {
		const char *ev = h->events[i];
		const char *sug;

		if (hd_event_from_name(ev) >= 0)
			continue;
		sug = suggest_event(ev);
		if (sug) {
			char *line = xasprintf("%s (did you mean %s?)", ev, sug);

			cJSON_AddItemToArray(unknown, cJSON_CreateString(line));
			free(line);
		} else {
			cJSON_AddItemToArray(unknown, cJSON_CreateString(ev));
		}
		nunknown++;
		if (!first) {
			first = ev;
			first_hint = sug;
		}
	}
	if (first) {
		finding_ev_json(f, "unknown_events", unknown);
		finding_evf(f, "known_events", "%s, %s, %s, %s, %s",
			    hd_event_name[0], hd_event_name[1], hd_event_name[2],
			    hd_event_name[3], hd_event_name[4]);
		if (first_hint)
			finding_hint(f, "did you mean \"%s\"? Events are %s, %s, "
				     "%s, %s and %s", first_hint,
				     hd_event_name[0], hd_event_name[1],
				     hd_event_name[2], hd_event_name[3],
				     hd_event_name[4]);
		else
			finding_hint(f, "use only %s, %s, %s, %s or %s",
				     hd_event_name[0], hd_event_name[1],
				     hd_event_name[2], hd_event_name[3],
				     hd_event_name[4]);
		if (nunknown > 1)
			return finding_problem(f, "trigger_when.events holds %zu "
					       "unknown events, first \"%s\"",
					       nunknown, first);
		return finding_problem(f, "trigger_when.events holds unknown "
				       "event \"%s\"", first);
	}
	cJSON_Delete(unknown);
	{
		cJSON *list = cJSON_CreateArray();

		for (size_t i = 0; i < h->nevents; i++)
			cJSON_AddItemToArray(list,
				cJSON_CreateString(h->events[i]));
		finding_ev_json(f, "events", list);
	}
	return finding_pass(f, "%zu known event%s", h->nevents,
			    h->nevents == 1 ? "" : "s");
}

/* ------------------------------------------------------------------ HD109 */

GROUP_CHECK(hd109)
{
	static const enum hd_status outcome[2] = {ST_COMPLETED, ST_FAILED};
	unsigned fired = 0, missing = 0;
	cJSON *hooks;

	if (g->nmembers == 0)
		return finding_skip(f, "skipped: no hook posts to this repository");
	hooks = cJSON_CreateObject();
	for (size_t i = 0; i < g->nmembers; i++) {
		const struct member *m = &g->members[i];
		char *words = status_words(m->fired, " and ");

		fired |= m->fired;
		cJSON_AddStringToObject(hooks, m->hook_name ? m->hook_name
					: (m->source ? m->source : "(unnamed)"),
					*words ? words : "(nothing)");
		free(words);
	}
	if (g->repo)
		finding_ev(f, "repository", g->repo);
	if (g->pipeline_id)
		finding_ev(f, "pipeline", g->pipeline_id);
	finding_ev_json(f, "fired_by_hook", hooks);
	for (int k = 0; k < 2; k++)
		if (!(fired & ST_BIT(outcome[k])))
			missing |= ST_BIT(outcome[k]);

	if (missing == (ST_BIT(ST_COMPLETED) | ST_BIT(ST_FAILED))) {
		finding_hint(f, "add hooks with \"events\": [\"action.completed\"] "
			     "and [\"action.failed\"] posting the success and "
			     "failure states with the same identity (or one hook "
			     "on action.status_changed)");
		return finding_problem(f, "no hook fires on completed or failed: "
				       "every deploy leaves the status pending");
	}
	if (missing) {
		bool no_failed = missing & ST_BIT(ST_FAILED);

		finding_hint(f, "add a hook with \"events\": [\"%s\"] that posts "
			     "the %s state with the same identity as the others",
			     no_failed ? "action.failed" : "action.completed",
			     no_failed ? "failure" : "success");
		return finding_problem(f, "no hook fires on %s: a %s deploy leaves "
				       "the status pending",
				       no_failed ? "failed" : "completed",
				       no_failed ? "failed" : "successful");
	}
	{
		const char *by[2] = {NULL, NULL};

		for (int k = 0; k < 2; k++)
			for (size_t i = 0; i < g->nmembers && !by[k]; i++)
				if (g->members[i].fired & ST_BIT(outcome[k]))
					by[k] = g->members[i].hook_name
						? g->members[i].hook_name
						: g->members[i].source;
		return finding_pass(f, "both outcomes are posted: completed by "
				    "\"%s\", failed by \"%s\"",
				    by[0] ? by[0] : "?", by[1] ? by[1] : "?");
	}
}

/* ------------------------------------------------------------------ HD110 */

HOOK_CHECK(hd110)
{
	const struct hook *h = a->hook;
	unsigned twice = a->firing.twice_mask;
	struct sbuf msg = {0};
	cJSON *ev = NULL;
	char *text;
	enum check_status st;

	if (!twice)
		return finding_pass(f, "each status change sends one request");
	ev = cJSON_CreateObject();
	for (int s = 0; s < ST_COUNT; s++) {
		struct sbuf evs = {0};
		char *list;

		if (!(twice & ST_BIT(s)))
			continue;
		for (size_t i = 0; i < h->nevents; i++) {
			int e = hd_event_from_name(h->events[i]);

			if (e < 0 || !(hd_event_statuses((enum hd_event)e) &
				       ST_BIT(s)))
				continue;
			if (evs.len)
				sbuf_add(&evs, " and ");
			sbuf_add(&evs, h->events[i]);
		}
		list = sbuf_detach(&evs);
		cJSON_AddStringToObject(ev, hd_status_name[s], list);
		if (msg.len)
			sbuf_add(&msg, "; ");
		sbuf_addf(&msg, "%s (%s)", hd_status_name[s], list);
		free(list);
	}
	finding_ev_json(f, "sent_twice", ev);
	finding_hint(f, "keep either action.status_changed (narrowed with an "
		     "action.status condition) or the specific events, not both");
	text = sbuf_detach(&msg);
	st = finding_problem(f, "two events send the same change twice: %s",
			     text);
	free(text);
	return st;
}

/* ------------------------------------------------------------------ HD111 */

/* The parts of an absolute URL, as offsets into it. */
struct url_parts {
	bool absolute;                  /* has "scheme://" */
	size_t scheme_len;
	size_t auth_start, auth_end;    /* authority: [userinfo@]host[:port] */
	size_t host_start, host_end;    /* host[:port] */
	bool userinfo;
};

static void url_split(const char *u, struct url_parts *p)
{
	const char *sep = strstr(u, "://");
	size_t i;

	memset(p, 0, sizeof(*p));
	if (!sep || sep == u)
		return;
	for (const char *c = u; c < sep; c++)
		if (!isalnum((unsigned char)*c) && *c != '+' && *c != '-' &&
		    *c != '.')
			return;
	p->absolute = true;
	p->scheme_len = (size_t)(sep - u);
	p->auth_start = p->scheme_len + 3;
	for (i = p->auth_start; u[i] && u[i] != '/' && u[i] != '?' &&
	     u[i] != '#'; i++)
		;
	p->auth_end = i;
	p->host_start = p->auth_start;
	for (i = p->auth_start; i < p->auth_end; i++)
		if (u[i] == '@') {
			p->userinfo = true;
			p->host_start = i + 1;
		}
	p->host_end = p->auth_end;
}

static bool host_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == ':' ||
	       c == '[' || c == ']' || c == '_';
}

/* The first problem with url (as rendered or raw), or NULL. Fills *col
 * (0-based byte offset) where it can point at one. */
static const char *url_problem(const char *u, size_t *at, bool *clear_text)
{
	struct url_parts p;

	*at = 0;
	*clear_text = false;
	url_split(u, &p);
	if (!p.absolute)
		return "is not an absolute URL (it needs https://host/...)";
	if (p.scheme_len == 4 && strncasecmp(u, "http", 4) == 0) {
		*clear_text = true;
		return "uses http://: the provider token would cross the network "
		       "in clear";
	}
	if (p.scheme_len != 5 || strncasecmp(u, "https", 5) != 0)
		return "does not use https://";
	if (p.userinfo) {
		*at = p.auth_start;
		return "carries credentials before the host (user:password@): "
		       "they end up in logs";
	}
	if (p.host_start == p.host_end) {
		*at = p.host_start;
		return "has no host";
	}
	for (size_t i = 0; u[i]; i++)
		if (isspace((unsigned char)u[i]) || (unsigned char)u[i] < 0x20) {
			*at = i;
			return "holds a space or control character";
		}
	for (size_t i = p.host_start; i < p.host_end; i++)
		if (!host_char_ok(u[i])) {
			*at = i;
			return u[i] == '<' ? "has a placeholder as host (replace "
					     "<target_url> from the guide)"
					   : "has a character a host name cannot hold";
		}
	return NULL;
}

/* Spaces in the literal text of a template (outside "{{ }}"). */
static bool literal_space(const char *t, size_t *at)
{
	bool in_ref = false;

	for (size_t i = 0; t[i]; i++) {
		if (!in_ref && t[i] == '{' && t[i + 1] == '{')
			in_ref = true;
		else if (in_ref && t[i] == '}' && t[i + 1] == '}')
			in_ref = false;
		else if (!in_ref && isspace((unsigned char)t[i])) {
			*at = i;
			return true;
		}
	}
	return false;
}

static const char *placeholder_lookup(void *ud, const char *path, size_t n)
{
	(void)ud;
	(void)path;
	(void)n;
	return "0";
}

HOOK_CHECK(hd111)
{
	const struct hook *h = a->hook;
	const char *raw = h->target_url;
	char *rendered = NULL, *owned = NULL;
	const char *why;
	size_t at;
	bool clear_text, templated_host = false;
	struct url_parts rp;
	enum check_status st;

	if (!raw || !*raw) {
		finding_hint(f, "set target_url to the provider's commit-status "
			     "endpoint, e.g. https://api.github.com/repos/OWNER/"
			     "REPO/statuses/{{ action.triggered_from."
			     "hook_parsed_variables.commit_hash }}");
		return finding_problem(f, "target_url is %s", raw ? "empty"
				       : "missing");
	}
	finding_ev(f, "target_url", raw);
	ev_member_where(f, h, "target_url");
	if (a->nreq > 0 && a->req[0].url) {
		rendered = a->req[0].url;
	} else {
		owned = tmpl_render(raw, a->vars ? vars_lookup
				    : placeholder_lookup, a->vars, NULL);
		rendered = owned;
	}
	if (strcmp(rendered, raw) != 0)
		finding_ev(f, "rendered", rendered);

	/* The literal parts first: they are what the user typed. */
	url_split(raw, &rp);
	if (rp.absolute) {
		for (size_t i = rp.host_start; i + 1 < rp.host_end; i++)
			if (raw[i] == '{' && raw[i + 1] == '{')
				templated_host = true;
	}
	if (literal_space(raw, &at)) {
		finding_evf(f, "offset", "%zu", at);
		finding_hint(f, "remove the space, or percent-encode it as %%20");
		free(owned);
		return finding_problem(f, "target_url holds a space at offset %zu",
				       at);
	}
	why = url_problem(rendered, &at, &clear_text);
	if (why) {
		if (at)
			finding_evf(f, "offset", "%zu", at);
		if (clear_text)
			finding_hint(f, "use https://: every provider API is "
				     "served over HTTPS");
		else
			finding_hint(f, "use an absolute https:// URL with a "
				     "host and no credentials in it; send the "
				     "token in a header");
		st = finding_problem(f, "target_url %s%s", why,
				     strcmp(rendered, raw) ? " (as rendered)"
				     : "");
		free(owned);
		return st;
	}
	free(owned);
	if (templated_host) {
		finding_hint(f, "write the provider's host literally: a host that "
			     "comes from a variable sends the token wherever "
			     "the variable points");
		return finding_warn(f, "target_url takes its host from a template");
	}
	return finding_pass(f, "target_url is an absolute https URL");
}

/* ------------------------------------------------------------------ HD112 */

HOOK_CHECK(hd112)
{
	const struct hook *h = a->hook;

	if (h->verify_ssl == 0) {
		ev_member_where(f, h, "verify_ssl");
		finding_hint(f, "remove \"verify_ssl\": false (or set it true); "
			     "provider APIs have valid certificates");
		return finding_problem(f, "verify_ssl is false: Devopness does "
				       "not check the certificate, so the token "
				       "could be sent to an impostor");
	}
	if (h->verify_ssl < 0)
		return finding_pass(f, "verify_ssl is not set (Devopness "
				    "verifies certificates by default)");
	return finding_pass(f, "verify_ssl is true");
}

/* ------------------------------------------------------------------ HD113 */

static const struct {
	const char *word;
	enum hd_status st;
} status_synonyms[] = {
	{"success", ST_COMPLETED},   {"successful", ST_COMPLETED},
	{"succeeded", ST_COMPLETED}, {"complete", ST_COMPLETED},
	{"done", ST_COMPLETED},      {"finished", ST_COMPLETED},
	{"failure", ST_FAILED},      {"fail", ST_FAILED},
	{"error", ST_FAILED},        {"errored", ST_FAILED},
	{"running", ST_IN_PROGRESS}, {"started", ST_IN_PROGRESS},
	{"in_progress", ST_IN_PROGRESS}, {"inprogress", ST_IN_PROGRESS},
};

static const char *suggest_status(const char *v)
{
	int best = -1, bestd = 3;

	for (size_t i = 0; i < sizeof(status_synonyms) /
	     sizeof(status_synonyms[0]); i++)
		if (ascii_casecmp(status_synonyms[i].word, v) == 0)
			return hd_status_name[status_synonyms[i].st];
	for (int s = 0; s < ST_COUNT; s++) {
		int d = edit_distance(hd_status_name[s], v, 2);

		if (d < bestd) {
			bestd = d;
			best = s;
		}
	}
	return best >= 0 ? hd_status_name[best] : NULL;
}

static bool path_is_pipeline_id(const char *path)
{
	size_t n = strlen(path);

	return (n >= 11 && strcmp(path + n - 11, "pipeline_id") == 0) ||
	       (n >= 11 && strcmp(path + n - 11, "pipeline.id") == 0);
}

/* Records the first problem found; later ones only count. */
struct cond_problem {
	char *message, *hint;
	int line, col;
	size_t count;
};

static void cond_report(struct cond_problem *p, const struct hd_condition *c,
			char *message, char *hint)
{
	p->count++;
	if (p->message) {
		free(message);
		free(hint);
		return;
	}
	p->message = message;
	p->hint = hint;
	p->line = c->line;
	p->col = c->col;
}

static char *values_text(const struct hd_condition *c)
{
	struct sbuf b = {0};

	sbuf_addc(&b, '[');
	for (size_t k = 0; k < c->nvalues; k++)
		sbuf_addf(&b, "%s\"%s\"", k ? ", " : "", c->values[k]);
	sbuf_addc(&b, ']');
	return sbuf_detach(&b);
}

/* "for action 81234" (the real action), or "with the --var value". */
static char *action_label(const struct analysis *a, const struct cond_eval *e)
{
	if (e->from_var)
		return xstrdup("with the --var value");
	if (a->action_id && *a->action_id)
		return xasprintf("for action %s", a->action_id);
	return xstrdup("for the action");
}

/* A condition whose value is known: the evidence line, and the problem
 * when it keeps the hook from firing. */
static char *judge_against_action(const struct analysis *a, size_t i,
				  const struct hd_condition *c,
				  const struct cond_eval *e, const char *vals,
				  struct cond_problem *p)
{
	char *who = action_label(a, e), *have, *line, *when;
	unsigned fired = a->firing.mask;

	have = e->has_value ? xasprintf("\"%s\"", e->value ? e->value : "")
			    : xstrdup("none (null)");
	if (e->verdict == CV_MATCH) {
		line = xasprintf("%s in %s: %s (%s): met", c->path, vals, have,
				 who);
		free(who);
		free(have);
		return line;
	}
	line = xasprintf("%s in %s: %s (%s): not met", c->path, vals, have,
			 who);
	/* Refused at some statuses only (a status-dependent path). */
	when = fired && (e->fail_mask & fired) != fired
	       ? status_words(e->fail_mask & fired, " and ") : NULL;
	cond_report(p, c,
		    xasprintf("the hook does not fire %s%s%s%s: "
			      "trigger_when.conditions[%zu] accepts %s in %s, "
			      "and %s %s", when ? "on " : "", when ? when : "",
			      when ? " " : "", who, i, c->path, vals,
			      e->from_var ? "the value given is" : "the action's is",
			      have),
		    e->has_value
		    ? xasprintf("if the hook should report actions like this "
				"one, add %s to the accepted_values of "
				"trigger_when.conditions[%zu] (or remove the "
				"condition); if not, the condition works as meant: "
				"check with an action it is for (--action ID)",
				have, i)
		    : xasprintf("the condition lets through only actions that "
				"carry %s (an action not started by an incoming "
				"hook has no hook_parsed_variables): remove it, "
				"or check with an action it is meant for "
				"(--action ID)", c->path));
	free(when);
	free(who);
	free(have);
	return line;
}

static void judge_condition(const struct analysis *a, size_t i,
			    const struct hd_condition *c,
			    struct cond_problem *p, cJSON *ev)
{
	const struct cond_eval *e = i < a->ncond ? &a->cond[i] : NULL;
	const char *pipeline = a->opts && a->opts->pipeline ? a->opts->pipeline
			       : (a->hook->has_pipeline_id ? a->hook->pipeline_id
				  : NULL);
	char *vals = values_text(c);
	char *line = NULL;

	if (!c->path || !*c->path) {
		cond_report(p, c, xasprintf("trigger_when.conditions[%zu] has an "
				"empty path: it never matches", i),
			    xasprintf("set path to a variable such as "
				      "action.status"));
		line = xasprintf("(empty path) in %s", vals);
	} else if (!vars_known(c->path)) {
		const char *sug = vars_suggest(c->path);

		cond_report(p, c, xasprintf("trigger_when.conditions[%zu] path "
				"\"%s\" is not a Devopness variable: it never "
				"matches", i, c->path),
			    sug ? xasprintf("did you mean \"%s\"?", sug)
				: xasprintf("use a variable path such as "
					    "action.status (the same paths as "
					    "templates)"));
		line = xasprintf("%s in %s: unknown path", c->path, vals);
	} else if (c->nvalues == 0) {
		cond_report(p, c, xasprintf("trigger_when.conditions[%zu] on %s "
				"has no accepted_values: it never matches", i,
				c->path),
			    xasprintf("list the values that should let the hook "
				      "fire, or remove the condition"));
		line = xasprintf("%s in []: never matches", c->path);
	} else if (strcmp(c->path, "action.status") == 0) {
		for (size_t k = 0; k < c->nvalues; k++) {
			const char *sug;

			if (hd_status_from_name(c->values[k]) >= 0)
				continue;
			sug = suggest_status(c->values[k]);
			cond_report(p, c, xasprintf("trigger_when.conditions[%zu] "
					"accepts action.status \"%s\", which is "
					"not a Devopness status", i,
					c->values[k]),
				    sug ? xasprintf("did you mean \"%s\"? Statuses "
						    "are pending, waiting, skipped, "
						    "queued, in-progress, completed, "
						    "failed", sug)
					: xasprintf("use Devopness statuses: pending, "
						    "waiting, skipped, queued, "
						    "in-progress, completed, failed"));
			break;
		}
		line = xasprintf("%s in %s: narrows the statuses", c->path,
				 vals);
	} else if (e && (e->verdict == CV_MATCH || e->verdict == CV_NO_MATCH)) {
		line = judge_against_action(a, i, c, e, vals, p);
	} else {
		bool mismatch = false;

		if (pipeline && path_is_pipeline_id(c->path)) {
			mismatch = true;
			for (size_t k = 0; k < c->nvalues; k++)
				if (same_number(c->values[k], pipeline))
					mismatch = false;
		}
		if (mismatch)
			cond_report(p, c, xasprintf("trigger_when.conditions[%zu] "
					"accepts %s %s, not the pipeline %s: the "
					"hook never fires for that pipeline's "
					"deploys", i, c->path, vals, pipeline),
				    xasprintf("put %s in accepted_values", pipeline));
		if (e && e->verdict == CV_UNKNOWN)
			line = xasprintf("%s in %s: not evaluated: %s", c->path,
					 vals, vars_is_secret(c->path)
					 ? "a secret hookdoctor never holds"
					 : "the action read from the API does not "
					   "carry it");
		else
			line = xasprintf("%s in %s: depends on the action: could "
					 "not be evaluated offline (give --action "
					 "ID, or --var %s=VALUE)", c->path, vals,
					 c->path);
	}
	cJSON_AddItemToArray(ev, cJSON_CreateString(line));
	free(line);
	free(vals);
}

HOOK_CHECK(hd113)
{
	const struct hook *h = a->hook;
	const struct firing *fi = &a->firing;
	struct cond_problem p = {0};
	cJSON *ev;
	enum check_status st;

	if (h->nconds == 0)
		return finding_pass(f, "no conditions: the hook fires on every "
				    "status its events cover");
	ev = cJSON_CreateArray();
	for (size_t i = 0; i < h->nconds; i++)
		judge_condition(a, i, &h->conds[i], &p, ev);
	finding_ev_json(f, "conditions", ev);
	if (a->cond_judged) {
		char *w = status_words(a->fires_for_action, " and ");

		if (a->api && a->api->action_source)
			finding_ev(f, "action", a->api->action_source);
		finding_ev(f, "fires_for_action", *w ? w : "nothing");
		free(w);
	}

	if (!p.message && fi->events_mask && !fi->mask) {
		char *evw = status_words(fi->events_mask, " and ");

		p.message = xasprintf("the hook never fires: its action.status "
				      "condition excludes %s, every status its "
				      "events fire on", evw);
		p.hint = xasprintf("accept at least one of %s in the "
				   "action.status condition, or change the "
				   "events", evw);
		p.count = 1;
		free(evw);
	}
	if (p.message) {
		ev_where(f, "at", p.line, p.col);
		if (p.count > 1)
			finding_evf(f, "other_problems", "%zu", p.count - 1);
		finding_hint(f, "%s", p.hint);
		st = finding_problem(f, "%s", p.message);
		free(p.message);
		free(p.hint);
		return st;
	}
	{
		size_t offline = 0, unknown = 0, met = 0;
		struct sbuf m = {0};
		char *who = NULL;

		for (size_t i = 0; i < h->nconds; i++) {
			const char *path = h->conds[i].path;
			/* Not evaluated at all: nothing real was known. */
			enum cond_verdict v = i < a->ncond ? a->cond[i].verdict
				: path && strcmp(path, "action.status") == 0
				? CV_STATUS : CV_OFFLINE;

			offline += v == CV_OFFLINE;
			unknown += v == CV_UNKNOWN;
			met += v == CV_MATCH;
			if (!who && v == CV_MATCH)
				who = action_label(a, &a->cond[i]);
		}
		if (met)
			sbuf_addf(&m, "; %zu met %s", met, who);
		if (unknown)
			sbuf_addf(&m, "; %zu not evaluated (the action does not "
				  "carry the value)", unknown);
		if (offline)
			sbuf_addf(&m, "; %zu depend%s on the action and could not "
				  "be evaluated offline (no real action: give "
				  "--action ID, or --var PATH=VALUE)", offline,
				  offline == 1 ? "s" : "");
		free(who);
		if (m.len) {
			st = finding_pass(f, "%zu condition%s with known paths%s",
					  h->nconds, h->nconds == 1 ? "" : "s",
					  m.s);
			sbuf_free(&m);
			return st;
		}
	}
	return finding_pass(f, "%zu condition%s with known paths and values",
			    h->nconds, h->nconds == 1 ? "" : "s");
}

/* ------------------------------------------------------------------ HD114 */

HOOK_CHECK(hd114)
{
	const struct hook *h = a->hook;
	const struct schema_issue *is;

	if (h->nschema_issues == 0)
		return finding_pass(f, "matches the Devopness "
				    "HookPipelineCreate/Hook schema");
	is = &h->schema_issues[0];
	finding_ev(f, "path", is->path);
	ev_where(f, "at", is->line, is->col);
	if (h->nschema_issues > 1) {
		cJSON *others = cJSON_CreateArray();

		for (size_t i = 1; i < h->nschema_issues; i++) {
			char *line = h->schema_issues[i].line > 0
				? xasprintf("%s (%d:%d): %s",
					    h->schema_issues[i].path,
					    h->schema_issues[i].line,
					    h->schema_issues[i].col,
					    h->schema_issues[i].message)
				: xasprintf("%s: %s", h->schema_issues[i].path,
					    h->schema_issues[i].message);

			cJSON_AddItemToArray(others, cJSON_CreateString(line));
			free(line);
		}
		finding_evf(f, "other_issues", "%zu", h->nschema_issues - 1);
		finding_ev_json(f, "issues", others);
	}
	if (is->hint)
		finding_hint(f, "%s", is->hint);
	else
		finding_hint(f, "correct %s as the Devopness API describes it "
			     "(HookPipelineCreate: name, active, trigger_when, "
			     "settings with request_headers as {\"name\", "
			     "\"value\"} pairs)", is->path);
	if (is->line > 0)
		return finding_problem(f, "%s (%d:%d): %s%s", is->path, is->line,
				       is->col, is->message,
				       h->nschema_issues > 1 ? " (and more)" : "");
	return finding_problem(f, "%s: %s%s", is->path, is->message,
			       h->nschema_issues > 1 ? " (and more)" : "");
}
