/*
 * check_status.c - HD401-HD407: what the statuses mean to the provider.
 *
 * Per hook (HD401, HD402, HD404, HD405): is the status identity set and the
 * same for every status and every action, and does the link lead back to
 * the action's page. Per group of hooks posting to one repository (HD403,
 * HD406, HD407): one identity, a lifecycle that ends in a final state on
 * both outcomes, one commit. The checks read the facts analyse.c extracted
 * through the provider's rules (request.state / identity / link, struct
 * member); they never look into bodies themselves and do no I/O.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks.h"
#include "util.h"

/* The Devopness app's page of an action, as the guide links it. */
#define DEVOPNESS_ACTION_URL "https://app.devopness.com/actions/"

#define REQ_FMT "%s%s"
#define REQ_ARGS(rq) hd_status_name[(rq)->status], \
	((rq)->action ? " (second action)" : "")

/* "context", "key", "context.name+context.genre"; malloc'd. */
static char *identity_label(const struct provider *p)
{
	if (p->nidentity == 0)
		return xstrdup("identity");
	struct sbuf b = {0};
	for (size_t i = 0; i < p->nidentity; i++)
		sbuf_addf(&b, "%s%s", i ? "+" : "", p->identity[i]);
	return sbuf_detach(&b);
}

/* The identity a request ends up with: the rendered one, or the
 * provider's default when omitted ("" when there is none). */
static const char *identity_of(const struct provider *p,
			       const struct request *rq)
{
	if (rq->identity_set && rq->identity)
		return rq->identity;
	return p->identity_default ? p->identity_default : "";
}

static bool identity_eq(const struct provider *p, const char *x,
			const char *y)
{
	return p->identity_ci ? ascii_casecmp(x, y) == 0 : strcmp(x, y) == 0;
}

/* The variables used in the templates of the identity fields, as
 * "{{ action.status }}, {{ action.id }}"; malloc'd, "" when none. */
static char *identity_refs(const struct analysis *a)
{
	const struct provider *p = a->provider;
	struct sbuf b = {0};
	for (size_t i = 0; i < a->nsites; i++) {
		const struct tmpl_site *s = &a->sites[i];
		bool ident = s->in_body_string;
		for (size_t k = 0; k < p->nidentity && !ident; k++) {
			char *want = xasprintf("settings.request_body.%s",
					       p->identity[k]);
			ident = strcmp(s->field, want) == 0;
			free(want);
		}
		if (!ident)
			continue;
		for (size_t r = 0; r < s->scan.nrefs; r++) {
			const char *path = s->scan.refs[r].path;
			/* A body kept as one string: keep the variables that
			 * differ per status or action. */
			if (s->in_body_string &&
			    strncmp(path, "action.", 7) != 0)
				continue;
			char *ref = xasprintf("{{ %s }}", path);
			if (!b.s || !strstr(b.s, ref))
				sbuf_addf(&b, "%s%s", b.len ? ", " : "", ref);
			free(ref);
		}
	}
	return sbuf_detach(&b);
}

/* ---------------------------------------------------------------- HD401 */

/* The first status whose identity holds a character utf8_hidden_char()
 * names, with it in *cp and its place (in characters, from 1) in *at;
 * or NULL. */
static const struct request *hidden_in_identity(const struct analysis *a,
						unsigned *cp, size_t *at)
{
	for (size_t i = 0; i < a->nprimary; i++) {
		const char *id = a->req[i].identity;
		size_t chars = 0;

		if (!a->req[i].body_json || !id)
			continue;
		for (const char *s = id; *s; s++) {
			if (((unsigned char)*s & 0xc0) != 0x80)
				chars++;
			if (utf8_hidden_char(s, cp)) {
				*at = chars;
				return &a->req[i];
			}
		}
	}
	return NULL;
}

HOOK_CHECK(hd401)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	if (p->nidentity == 0)
		return finding_skip(f, "skipped: the %s rules name no identity "
				    "field", p->name);
	char *label = identity_label(p);
	const struct request *omitted = NULL, *empty = NULL, *hidden;
	const char *value = NULL;
	unsigned hidden_cp = 0;
	size_t hidden_at = 0;
	size_t bodies = 0;
	for (size_t i = 0; i < a->nprimary; i++) {
		const struct request *rq = &a->req[i];
		if (!rq->body_json)
			continue;
		bodies++;
		if (!rq->identity_set) {
			if (!omitted)
				omitted = rq;
		} else if (!rq->identity || !*rq->identity) {
			if (!empty)
				empty = rq;
		} else if (!value) {
			value = rq->identity;
		}
	}
	enum check_status st;
	const char *sev_fix = "set it to one fixed text for this pipeline, "
		"e.g. \"ci/devopness(build)\", the same in every hook that "
		"posts to the repository";
	if (!bodies) {
		st = finding_skip(f, "skipped: no status sends a JSON body "
				  "(HD310)");
	} else if (omitted) {
		finding_hint(f, "add \"%s\" to request_body: %s", p->identity[0],
			     sev_fix);
		if (p->identity_required)
			st = finding_fail(f, "no %s for status %s: %.*s "
					  "requires one", label,
					  hd_status_name[omitted->status],
					  PROVIDER_SHORT(p));
		else if (p->identity_default)
			st = finding_warn(f, "no %s for status %s: %.*s uses "
					  "\"%s\", which other tools share",
					  label, hd_status_name[omitted->status],
					  PROVIDER_SHORT(p), p->identity_default);
		else
			st = finding_warn(f, "no %s for status %s: the status "
					  "has no name of its own", label,
					  hd_status_name[omitted->status]);
	} else if (empty) {
		finding_hint(f, "the %s renders empty: %s", label, sev_fix);
		st = p->identity_required
			? finding_fail(f, "%s renders empty for status %s: "
				       "%.*s requires one", label,
				       hd_status_name[empty->status], PROVIDER_SHORT(p))
			: finding_warn(f, "%s renders empty for status %s",
				       label, hd_status_name[empty->status]);
	} else if ((hidden = hidden_in_identity(a, &hidden_cp, &hidden_at))) {
		/* Set, but with a character nobody sees: the provider keeps
		 * it, so the entry is not the one whose name looks the same
		 * (another hook's, another tool's, the one a branch rule
		 * requires). */
		finding_ev(f, label, hidden->identity);
		finding_evf(f, "invisible_character", "U+%04X", hidden_cp);
		finding_evf(f, "at_character", "%zu", hidden_at);
		finding_hint(f, "retype the %s without it (text copied from a "
			     "web page or chat often brings one): %s", label,
			     sev_fix);
		st = finding_warn(f, "%s \"%s\" holds an invisible character "
				  "(U+%04X, character %zu) for status %s: it is "
				  "another entry than one that looks the same",
				  label, hidden->identity, hidden_cp, hidden_at,
				  hd_status_name[hidden->status]);
	} else {
		finding_ev(f, label, value);
		st = finding_pass(f, "%s \"%s\" is set for every status", label,
				  value);
	}
	free(label);
	return st;
}

/* ---------------------------------------------------------------- HD402 */

/* A variable whose value changes between the statuses or the actions of
 * one deploy: an identity built from one splits the entries even when this
 * hook fires on a single status (the one-hook-per-event set-up). */
static bool is_volatile_var(const char *path)
{
	size_t n = strlen(path);

	return strncmp(path, "action.status", 13) == 0 ||
	       strcmp(path, "action.id") == 0 ||
	       strcmp(path, "action.url_web_permalink") == 0 ||
	       strcmp(path, "action.triggered_from.hook_request_id") == 0 ||
	       (strncmp(path, "action.", 7) == 0 && n > 3 &&
		strcmp(path + n - 3, "_at") == 0);
}

static const char *volatile_identity_ref(const struct analysis *a)
{
	const struct provider *p = a->provider;

	for (size_t i = 0; i < a->nsites; i++) {
		const struct tmpl_site *s = &a->sites[i];
		bool ident = false;

		for (size_t k = 0; k < p->nidentity && !ident; k++) {
			const char *f = s->field;

			ident = strncmp(f, "settings.request_body.", 22) == 0 &&
				strcmp(f + 22, p->identity[k]) == 0;
		}
		for (size_t r = 0; ident && r < s->scan.nrefs; r++)
			if (is_volatile_var(s->scan.refs[r].path))
				return s->scan.refs[r].path;
	}
	return NULL;
}

HOOK_CHECK(hd402)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	if (p->nidentity == 0)
		return finding_skip(f, "skipped: the %s rules name no identity "
				    "field", p->name);
	char *label = identity_label(p);
	const struct request *first = NULL, *other = NULL;
	bool case_only = false;
	cJSON *ev = cJSON_CreateObject();

	for (size_t i = 0; i < a->nreq; i++) {
		const struct request *rq = &a->req[i];
		if (!rq->body_json)
			continue;
		const char *v = identity_of(p, rq);
		char *key = xasprintf(REQ_FMT, REQ_ARGS(rq));
		cJSON_AddStringToObject(ev, key, v);
		free(key);
		if (!first) {
			first = rq;
			continue;
		}
		const char *v0 = identity_of(p, first);
		if (strcmp(v0, v) == 0)
			continue;
		if (identity_eq(p, v0, v))
			case_only = true;
		else if (!other)
			other = rq;
	}
	enum check_status st;
	finding_ev_json(f, "identities", ev);
	if (!first) {
		st = finding_skip(f, "skipped: no status sends a JSON body "
				  "(HD310)");
	} else if (other) {
		char *refs = identity_refs(a);
		if (*refs)
			finding_hint(f, "the %s uses %s: make it one fixed text "
				     "such as \"ci/devopness(build)\", the same "
				     "for every status and every hook", label,
				     refs);
		else
			finding_hint(f, "make the %s one fixed text such as "
				     "\"ci/devopness(build)\", the same for "
				     "every status and every hook", label);
		free(refs);
		st = finding_fail(f, "%s differs: \"%s\" for " REQ_FMT
				  " but \"%s\" for " REQ_FMT ": each update is "
				  "a new entry", label, identity_of(p, first),
				  REQ_ARGS(first), identity_of(p, other),
				  REQ_ARGS(other));
	} else if (volatile_identity_ref(a)) {
		const char *var = volatile_identity_ref(a);

		finding_hint(f, "make the %s one fixed text such as "
			     "\"ci/devopness(build)\", the same for every "
			     "status and every hook", label);
		finding_evf(f, "variable", "{{ %s }}", var);
		st = finding_fail(f, "%s \"%s\" is built from {{ %s }}, which "
				  "changes from one status or action to the "
				  "next: each update would be a new entry",
				  label, identity_of(p, first), var);
	} else if (case_only) {
		st = finding_pass(f, "%s \"%s\" is the same for every status "
				  "and action (up to case, which %.*s ignores)",
				  label, identity_of(p, first), PROVIDER_SHORT(p));
	} else {
		st = finding_pass(f, "%s \"%s\" is the same for every status "
				  "and action", label, identity_of(p, first));
	}
	free(label);
	return st;
}

/* ---------------------------------------------------------------- HD404 */

/* a equals b, or differs only by one trailing slash. */
static bool same_url(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na && a[na - 1] == '/')
		na--;
	if (nb && b[nb - 1] == '/')
		nb--;
	return na == nb && strncmp(a, b, na) == 0;
}

static bool is_action_page(const char *link, const char *page,
			   const char *id)
{
	if (page && *page && same_url(link, page))
		return true;
	if (id && *id) {
		char *app = xasprintf(DEVOPNESS_ACTION_URL "%s", id);
		bool ok = same_url(link, app);
		free(app);
		return ok;
	}
	return false;
}

HOOK_CHECK(hd404)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	if (!p->link_field)
		return finding_skip(f, "skipped: the %s rules name no link "
				    "field", p->name);
	const char *lf = p->link_field;
	const struct request *bad = NULL;
	size_t bodies = 0, nbad = 0;
	for (size_t i = 0; i < a->nreq; i++) {
		const struct request *rq = &a->req[i];
		if (!rq->body_json)
			continue;
		bodies++;
		const char *page = rq->action ? a->action2_page : a->action_page;
		const char *id = rq->action ? a->action2_id : a->action_id;
		if (rq->link && is_action_page(rq->link, page, id))
			continue;
		nbad++;
		if (!bad)
			bad = rq;
	}
	if (!bodies)
		return finding_skip(f, "skipped: no status sends a JSON body "
				    "(HD310)");
	if (!bad) {
		finding_ev(f, lf, a->req[0].link);
		return finding_pass(f, "%s leads to the action's page (%s)", lf,
				    a->req[0].link);
	}
	finding_hint(f, "set \"%s\": \"{{ action.url_web_permalink }}\" (or "
		     "the guide's \"" DEVOPNESS_ACTION_URL "{{ action.id }}\") "
		     "so the status leads to the deploy's log", lf);
	const char *page = bad->action ? a->action2_page : a->action_page;
	if (page)
		finding_ev(f, "action_page", page);
	char more[48] = "";
	if (nbad > 1)
		snprintf(more, sizeof(more), " (and %zu more)", nbad - 1);
	if (!bad->link)
		return finding_fail(f, "the body has no %s: the status of "
				    REQ_FMT " links nowhere%s", lf,
				    REQ_ARGS(bad), more);
	finding_ev(f, lf, bad->link);
	if (!*bad->link)
		return finding_fail(f, "%s renders empty for status " REQ_FMT
				    "%s", lf, REQ_ARGS(bad), more);
	return finding_fail(f, "%s renders to \"%.200s\" for status " REQ_FMT
			    ", not the action's page %s%s", lf, bad->link,
			    REQ_ARGS(bad), page ? page : "", more);
}

/* ---------------------------------------------------------------- HD405 */

HOOK_CHECK(hd405)
{
	if (check_skip_no_provider(a, f))
		return CS_SKIP;
	const struct provider *p = a->provider;
	if (!p->link_field)
		return finding_skip(f, "skipped: the %s rules name no link "
				    "field", p->name);
	const struct request *second = NULL, *first = NULL;
	for (size_t i = a->nprimary; i < a->nreq && !second; i++)
		if (a->req[i].action == 1)
			second = &a->req[i];
	for (size_t i = 0; second && i < a->nprimary && !first; i++)
		if (a->req[i].status == second->status)
			first = &a->req[i];
	if (!first)
		return finding_skip(f, "skipped: no second action was "
				    "rendered");
	if (!first->link || !*first->link || !second->link || !*second->link)
		return finding_skip(f, "skipped: no %s to compare (HD404)",
				    p->link_field);
	finding_ev(f, "link", first->link);
	finding_ev(f, "link_second_action", second->link);
	if (strcmp(first->link, second->link) != 0)
		return finding_pass(f, "%s differs per action (%s, %s)",
				    p->link_field, first->link, second->link);
	finding_hint(f, "put the action in the link: "
		     "\"{{ action.url_web_permalink }}\" or \""
		     DEVOPNESS_ACTION_URL "{{ action.id }}\"");
	return finding_warn(f, "every status links to the same page: %.200s",
			    first->link);
}

/* ---------------------------------------------------------------- HD403 */

GROUP_CHECK(hd403)
{
	const struct provider *p = g->provider;
	if (!p)
		return finding_skip(f, "skipped: no provider recognised (HD301)");
	if (g->nmembers < 2)
		return finding_skip(f, "skipped: only one hook posts to %s "
				    "(HD402 judges its statuses)", g->repo);
	char *label = identity_label(p);
	const char *ref = NULL, *ref_hook = NULL, *odd = NULL, *odd_hook = NULL;
	bool case_only = false;
	cJSON *ev = cJSON_CreateObject();

	for (size_t i = 0; i < g->nmembers; i++) {
		const struct member *m = &g->members[i];
		const char *shown = NULL;
		for (int s = 0; s < ST_COUNT; s++) {
			const char *v = m->identity[s];
			if (!(m->fired & ST_BIT(s)) || !v)
				continue;
			if (!shown || strcmp(shown, v) != 0) {
				char *key = shown
					? xasprintf("%s (%s)", m->hook_name,
						    hd_status_name[s])
					: xstrdup(m->hook_name);
				cJSON_AddStringToObject(ev, key, v);
				free(key);
				shown = v;
			}
			if (!ref) {
				ref = v;
				ref_hook = m->hook_name;
			} else if (strcmp(ref, v) != 0) {
				if (identity_eq(p, ref, v))
					case_only = true;
				else if (!odd) {
					odd = v;
					odd_hook = m->hook_name;
				}
			}
		}
	}
	finding_ev_json(f, "identities", ev);
	enum check_status st;
	if (!ref) {
		st = finding_skip(f, "skipped: no hook of the group sends a %s",
				  label);
	} else if (odd) {
		finding_hint(f, "use one fixed %s in every hook that posts to "
			     "%s (the Devopness guide: \"the same for all the "
			     "action status\")", label, g->repo);
		st = finding_fail(f, "hooks post different %ss to %s: \"%s\" "
				  "(%s), \"%s\" (%s)", label, g->repo, ref,
				  ref_hook, odd, odd_hook);
	} else if (case_only) {
		st = finding_pass(f, "the %zu hooks posting to %s share %s "
				  "\"%s\" (spelt with different case, which "
				  "%.*s ignores)", g->nmembers, g->repo, label,
				  ref, PROVIDER_SHORT(p));
	} else {
		st = finding_pass(f, "the %zu hooks posting to %s share %s "
				  "\"%s\"", g->nmembers, g->repo, label, ref);
	}
	free(label);
	return st;
}

/* ---------------------------------------------------------------- HD406 */

/* The statuses before the outcome, in the order an action goes through
 * them. */
static const enum hd_status before_outcome[] = {
	ST_PENDING, ST_WAITING, ST_QUEUED, ST_IN_PROGRESS
};

static void add_problem(struct sbuf *b, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_problem(struct sbuf *b, size_t *n, const char *fmt, ...)
{
	if (b->len)
		sbuf_add(b, "; ");
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(b, fmt, ap);
	va_end(ap);
	(*n)++;
}

/* The first member firing s with a state, from index from on. */
static const struct member *state_poster(const struct group *g,
					 enum hd_status s, size_t from)
{
	for (size_t i = from; i < g->nmembers; i++)
		if ((g->members[i].fired & ST_BIT(s)) && g->members[i].state[s])
			return &g->members[i];
	return NULL;
}

static bool before_outcome_status(enum hd_status s)
{
	for (size_t i = 0; i < sizeof(before_outcome) / sizeof(before_outcome[0]); i++)
		if (before_outcome[i] == s)
			return true;
	return false;
}

GROUP_CHECK(hd406)
{
	const struct provider *p = g->provider;
	if (!p)
		return finding_skip(f, "skipped: no provider recognised (HD301)");
	unsigned fired = 0;
	for (size_t i = 0; i < g->nmembers; i++)
		fired |= g->members[i].fired;
	if (!fired)
		return finding_skip(f, "skipped: no hook of the group fires "
				    "(see HD108, HD113)");

	struct sbuf fails = {0}, warns = {0}, path = {0};
	size_t nfail = 0, nwarn = 0;
	const struct member *unknown_end = NULL;
	cJSON *ev = cJSON_CreateObject();

	for (int s = 0; s < ST_COUNT; s++) {
		if (!(fired & ST_BIT(s)))
			continue;
		const char *sn = hd_status_name[s];
		const struct member *m0 = state_poster(g, s, 0);
		if (!m0)
			continue;   /* no state field: HD307/HD308 */
		const char *st0 = m0->state[s];
		cJSON_AddStringToObject(ev, sn, st0);
		sbuf_addf(&path, "%s%s -> %s", path.len ? ", " : "", sn, st0);

		/* (c) two hooks, two states for one status. */
		for (const struct member *m = state_poster(g, s, 0); m;
		     m = state_poster(g, s, (size_t)(m - g->members) + 1)) {
			if (strcmp(m->state[s], st0) != 0) {
				add_problem(&fails, &nfail, "hooks post "
					    "different states for %s: \"%s\" "
					    "(%s), \"%s\" (%s)", sn, st0,
					    m0->hook_name, m->state[s],
					    m->hook_name);
				break;
			}
		}

		/* (a), (b): the state's class against the status. */
		for (const struct member *m = m0; m;
		     m = state_poster(g, s, (size_t)(m - g->members) + 1)) {
			const char *st = m->state[s];
			enum state_class c = rules_state_class(p, st);
			if (c == SC_UNKNOWN &&
			    (s == ST_COMPLETED || s == ST_FAILED) && !unknown_end)
				unknown_end = m;  /* the root cause is HD308's */
			if (c == SC_UNKNOWN)
				continue;   /* not a state at all: HD308 */
			if (s == ST_COMPLETED && c != SC_SUCCESS)
				add_problem(&fails, &nfail, "completed posts "
					    "\"%s\" (%s), not a success state%s",
					    st, m->hook_name, c == SC_PENDING
					    ? ": the status stays pending" : "");
			else if (s == ST_FAILED && c != SC_FAILURE)
				add_problem(&fails, &nfail, "failed posts \"%s\" "
					    "(%s), not a failure state%s", st,
					    m->hook_name, c == SC_PENDING
					    ? ": the status stays pending" : "");
			else if (before_outcome_status(s) && c != SC_PENDING)
				add_problem(&fails, &nfail, "%s posts \"%s\" "
					    "(%s), a final state before the "
					    "deploy ends", sn, st, m->hook_name);
			else if (s == ST_SKIPPED && c == SC_PENDING)
				add_problem(&warns, &nwarn, "skipped posts "
					    "\"%s\" (%s): a skipped deploy "
					    "leaves the status pending", st,
					    m->hook_name);
			else
				continue;
			break;
		}
	}

	/* (d) the same in-flight state twice in a row. */
	if (p->refuses_repeat_pending) {
		int prev = -1;
		for (size_t i = 0; i < sizeof(before_outcome) / sizeof(before_outcome[0]); i++) {
			enum hd_status s = before_outcome[i];
			const struct member *m = state_poster(g, s, 0);
			if (!m)
				continue;
			if (prev >= 0) {
				const char *ps = state_poster(g, prev, 0)->state[prev];
				if (strcmp(ps, m->state[s]) == 0 &&
				    rules_state_class(p, ps) == SC_PENDING)
					/* [C] providers.md 2.4: GitLab answers
					 * 400 to the second one. */
					add_problem(&fails, &nfail, "%s and %s "
						    "both post \"%s\": %s",
						    hd_status_name[prev],
						    hd_status_name[s], ps,
						    p->repeat_message
						    ? p->repeat_message
						    : "the provider refuses the "
						      "second");
			}
			prev = (int)s;
		}
	}

	char note[96] = "";
	if (!(fired & ST_BIT(ST_COMPLETED)) || !(fired & ST_BIT(ST_FAILED)))
		snprintf(note, sizeof(note), " (no hook fires on %s: see HD109)",
			 !(fired & ST_BIT(ST_COMPLETED)) ? (!(fired & ST_BIT(ST_FAILED))
			 ? "completed or failed" : "completed") : "failed");
	finding_ev_json(f, "states", ev);
	enum check_status st;
	if (nfail) {
		finding_hint(f, "post %s for completed and %s for failed, and "
			     "an in-progress state (%s) before; one hook per "
			     "event, each with a fixed state",
			     p->recommended[ST_COMPLETED] ? p->recommended[ST_COMPLETED] : "a success state",
			     p->recommended[ST_FAILED] ? p->recommended[ST_FAILED] : "a failure state",
			     p->recommended[ST_IN_PROGRESS] ? p->recommended[ST_IN_PROGRESS] : "pending");
		/* One line: the first problem; all of them in the evidence. */
		finding_evf(f, "problems", "%s%s%s", fails.s, nwarn ? "; " : "",
			    nwarn ? warns.s : "");
		if (nfail + nwarn > 1)
			st = finding_fail(f, "%.*s (and %zu more)",
					  (int)strcspn(fails.s, ";"), fails.s,
					  nfail + nwarn - 1);
		else
			st = finding_fail(f, "%s", fails.s);
	} else if (nwarn) {
		finding_hint(f, "fire on fewer in-flight statuses (only "
			     "action.started, action.completed and "
			     "action.failed), or give each a different state "
			     "(e.g. in-progress -> %s)",
			     p->recommended[ST_IN_PROGRESS] ? p->recommended[ST_IN_PROGRESS] : "running");
		finding_evf(f, "problems", "%s", warns.s);
		if (nwarn > 1)
			st = finding_warn(f, "%.*s (and %zu more)",
					  (int)strcspn(warns.s, ";"), warns.s,
					  nwarn - 1);
		else
			st = finding_warn(f, "%s", warns.s);
	} else if (unknown_end) {
		/* A path that ends in no state at all cannot be judged here:
		 * HD308 reports the invalid state once. */
		st = finding_skip(f, "skipped: %s posts a state %.*s does not "
				  "know, so the lifecycle cannot end (HD308)",
				  unknown_end->hook_name, PROVIDER_SHORT(p));
	} else if (!path.len) {
		st = finding_skip(f, "skipped: no hook of the group sends a "
				  "state (HD307)");
	} else {
		st = finding_pass(f, "%s%s", path.s, note);
	}
	sbuf_free(&fails);
	sbuf_free(&warns);
	sbuf_free(&path);
	return st;
}

/* ---------------------------------------------------------------- HD407 */

GROUP_CHECK(hd407)
{
	const char *want = g->action_commit && *g->action_commit
		? g->action_commit : NULL;
	const char *ref = want, *odd = NULL, *odd_hook = NULL;
	int odd_status = 0;
	size_t seen = 0;
	cJSON *ev = cJSON_CreateObject();

	for (size_t i = 0; i < g->nmembers; i++) {
		const struct member *m = &g->members[i];
		for (int s = 0; s < ST_COUNT; s++) {
			const char *c = m->commit[s];
			if (!(m->fired & ST_BIT(s)) || !c)
				continue;
			seen++;
			char *key = xasprintf("%s (%s)", m->hook_name,
					      hd_status_name[s]);
			cJSON_AddStringToObject(ev, key, c);
			free(key);
			if (!ref)
				ref = c;
			else if (ascii_casecmp(ref, c) != 0 && !odd) {
				odd = c;
				odd_hook = m->hook_name;
				odd_status = s;
			}
		}
	}
	finding_ev_json(f, "commits", ev);
	if (want)
		finding_ev(f, "action_commit", want);
	if (!seen)
		return finding_skip(f, "skipped: no hook of the group has a "
				    "commit in its URL (HD303)");
	if (!odd)
		return finding_pass(f, "every status goes to commit %s", ref);
	finding_hint(f, "render the commit from the action in every hook: "
		     ".../statuses/{{ action.triggered_from.hook_parsed_variables."
		     "commit_hash }}");
	if (want)
		return finding_fail(f, "%s posts %s to commit \"%s\", not the "
				    "action's commit %s", odd_hook,
				    hd_status_name[odd_status], odd, want);
	return finding_fail(f, "statuses of one action go to different "
			    "commits: %s and %s (%s, %s)", ref, odd, odd_hook,
			    hd_status_name[odd_status]);
}
