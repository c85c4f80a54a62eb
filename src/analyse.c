/*
 * analyse.c - turns one hook into the facts the offline checks read.
 *
 * For each status the hook fires on, the request Devopness would send is
 * rendered once with the variable context, the URL is matched against the
 * provider rules once, and state, identity and link are read out of the
 * rendered body through the provider's rule data. Checks never render or
 * match again. Pipeline-level facts are copied into groups keyed by
 * pipeline and repository so that hooks can be freed as soon as they are
 * reported.
 */
#include "analyse.h"

#include "json.h"

#include <stdlib.h>
#include <string.h>

/* --- template sites --- */

static void add_site(struct analysis *a, size_t *cap, char *field,
		     const char *text, bool in_body_string)
{
	struct tmpl_site *s;

	if (a->nsites == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		a->sites = xrealloc(a->sites, *cap * sizeof(*a->sites));
	}
	s = &a->sites[a->nsites++];
	memset(s, 0, sizeof(*s));
	s->field = field;
	s->text = text;
	s->in_body_string = in_body_string;
	tmpl_scan(text, &s->scan);
}

static void collect_body_sites(struct analysis *a, size_t *cap,
			       const cJSON *node, struct sbuf *path)
{
	size_t keep = path->len;
	int i = 0;

	if (cJSON_IsString(node) && node->valuestring) {
		if (strstr(node->valuestring, "{{") || strstr(node->valuestring, "}}"))
			add_site(a, cap, xstrdup(path->s), node->valuestring, false);
		return;
	}
	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return;
	for (const cJSON *c = node->child; c; c = c->next, i++) {
		if (cJSON_IsObject(node))
			sbuf_addf(path, ".%s", c->string ? c->string : "");
		else
			sbuf_addf(path, "[%d]", i);
		collect_body_sites(a, cap, c, path);
		path->len = keep;
		path->s[keep] = '\0';
	}
}

static void collect_sites(struct analysis *a)
{
	const struct hook *h = a->hook;
	size_t cap = 0;

	if (h->target_url)
		add_site(a, &cap, xstrdup("target_url"), h->target_url, false);
	for (size_t i = 0; i < h->nheaders; i++) {
		if (strstr(h->headers[i].name, "{{"))
			add_site(a, &cap,
				 xasprintf("settings.request_headers[%zu].name", i),
				 h->headers[i].name, false);
		if (strstr(h->headers[i].value, "{{") || strstr(h->headers[i].value, "}}"))
			add_site(a, &cap,
				 xasprintf("settings.request_headers[%zu].value", i),
				 h->headers[i].value, false);
	}
	if (h->body_kind == BODY_STRING && h->body->valuestring) {
		add_site(a, &cap, xstrdup("settings.request_body"),
			 h->body->valuestring, true);
	} else if (h->body_kind == BODY_OBJECT || h->body_kind == BODY_ARRAY) {
		struct sbuf path = {0};

		sbuf_add(&path, "settings.request_body");
		collect_body_sites(a, &cap, h->body, &path);
		sbuf_free(&path);
	}
}

/* --- rendering --- */

static char *render(const char *s, struct vars *v)
{
	if (!s)
		return NULL;
	if (!tmpl_has_refs(s))
		return xstrdup(s);
	return tmpl_render(s, vars_lookup, v, NULL);
}

/* A copy of a JSON body with every string value rendered. */
static cJSON *render_json(const cJSON *node, struct vars *v)
{
	cJSON *out;

	if (cJSON_IsString(node)) {
		char *r = render(node->valuestring, v);

		out = cJSON_CreateString(r);
		free(r);
		return out;
	}
	if (cJSON_IsArray(node)) {
		out = cJSON_CreateArray();
		for (const cJSON *c = node->child; c; c = c->next)
			cJSON_AddItemToArray(out, render_json(c, v));
		return out;
	}
	if (cJSON_IsObject(node)) {
		out = cJSON_CreateObject();
		for (const cJSON *c = node->child; c; c = c->next)
			cJSON_AddItemToObject(out, c->string, render_json(c, v));
		return out;
	}
	return cJSON_Duplicate(node, 1);
}

static void extract_fields(struct request *rq, const struct provider *p)
{
	struct sbuf id = {0};

	if (!p || !cJSON_IsObject(rq->body_json))
		return;
	if (p->state_field)
		rq->state = json_text(json_at(rq->body_json, p->state_field));
	if (p->link_field)
		rq->link = json_text(json_at(rq->body_json, p->link_field));
	for (size_t i = 0; i < p->nidentity; i++) {
		const cJSON *n = json_at(rq->body_json, p->identity[i]);
		char *t;

		/* An accepted synonym stands in when the field itself is
		 * absent (GitLab's context for name). */
		for (size_t k = 0; !n && k < p->nfields; k++)
			if (p->fields[k].alias_of &&
			    strcmp(p->fields[k].alias_of, p->identity[i]) == 0)
				n = json_at(rq->body_json, p->fields[k].name);
		t = json_text(n);

		if (n && !cJSON_IsNull(n))
			rq->identity_set = true;
		if (i)
			sbuf_addc(&id, '/');
		sbuf_add(&id, t ? t : "");
		free(t);
	}
	if (rq->identity_set)
		rq->identity = sbuf_detach(&id);
	sbuf_free(&id);
}

static void render_request(const struct analysis *a, struct vars *v,
			   enum hd_status st, int action, struct request *rq)
{
	const struct hook *h = a->hook;

	memset(rq, 0, sizeof(*rq));
	rq->status = st;
	rq->event = a->firing.event_of[st];
	rq->action = action;
	rq->url = render(h->target_url, v);
	if (h->nheaders) {
		rq->headers = xcalloc(h->nheaders, sizeof(*rq->headers));
		rq->nheaders = h->nheaders;
		for (size_t i = 0; i < h->nheaders; i++) {
			rq->headers[i].name = render(h->headers[i].name, v);
			rq->headers[i].value = render(h->headers[i].value, v);
			rq->headers[i].line = h->headers[i].line;
			rq->headers[i].col = h->headers[i].col;
		}
	}
	if (h->body_kind == BODY_STRING) {
		struct hd_error err;

		rq->body = render(h->body->valuestring, v);
		if (jsonpos_validate(rq->body, strlen(rq->body), "body", &err) == 0)
			rq->body_json = cJSON_Parse(rq->body);
		else
			rq->body_error = xstrdup(err.msg);
	} else if (h->body_kind != BODY_NONE) {
		char *p;

		rq->body_json = render_json(h->body, v);
		p = cJSON_PrintUnformatted(rq->body_json);
		rq->body = xstrdup(p ? p : "");
		cJSON_free(p);
	}
	/* Most requests go to the URL already matched for the provider:
	 * the same URL and force give the same match. */
	if (rq->url && a->match_url && strcmp(rq->url, a->match_url) == 0)
		url_match_copy(&rq->match, &a->match);
	else
		rules_match_url(a->rules, a->provider_forced ? a->provider : NULL,
				rq->url ? rq->url : "", &rq->match);
	extract_fields(rq, a->provider);
}

void request_free(struct request *rq)
{
	free(rq->url);
	for (size_t i = 0; i < rq->nheaders; i++) {
		free(rq->headers[i].name);
		free(rq->headers[i].value);
	}
	free(rq->headers);
	free(rq->body);
	cJSON_Delete(rq->body_json);
	free(rq->body_error);
	url_match_free(&rq->match);
	free(rq->state);
	free(rq->identity);
	free(rq->link);
	memset(rq, 0, sizeof(*rq));
}

static int apply_overrides(struct vars *v, const struct options *o,
			   struct hd_error *err)
{
	for (size_t i = 0; i < o->nvars; i++)
		if (vars_set(v, o->vars[i], err) < 0)
			return -1;
	return 0;
}

static void set_status(struct vars *v, enum hd_status st,
		       const struct options *o)
{
	vars_set_status(v, st);
	/* --var wins over the sample's status fields too. */
	apply_overrides(v, o, NULL);
}

int analyse_hook(struct analysis *a, const struct hook *h,
		 const struct options *o, const struct rules *r,
		 struct hd_error *err)
{
	return analyse_hook_action(a, h, o, r, NULL, err);
}

int analyse_hook_action(struct analysis *a, const struct hook *h,
			const struct options *o, const struct rules *r,
			const cJSON *action, struct hd_error *err)
{
	enum hd_status first = ST_IN_PROGRESS;
	struct vars *v2;
	char *url;

	memset(a, 0, sizeof(*a));
	a->hook = h;
	a->opts = o;
	a->rules = r;
	collect_sites(a);
	firing_analyse(h, &a->firing);
	for (int s = 0; s < ST_COUNT; s++)
		if (a->firing.mask & ST_BIT(s)) {
			first = (enum hd_status)s;
			break;
		}

	a->vars = action ? vars_from_action(action, first)
			 : vars_sample(first, 0);
	if (apply_overrides(a->vars, o, err) < 0)
		return -1;
	v2 = vars_sample(first, 1);
	apply_overrides(v2, o, NULL);

	if (o->provider) {
		a->provider = rules_find(r, o->provider);
		a->provider_forced = a->provider != NULL;
	}
	url = render(h->target_url, a->vars);
	rules_match_url(r, a->provider_forced ? a->provider : NULL,
			url ? url : "", &a->match);
	a->match_url = url;
	if (!a->provider_forced)
		a->provider = a->match.provider;

	a->action_commit = xstrdup_or_null(vars_action_commit(a->vars));
	a->action_page = xstrdup_or_null(vars_action_permalink(a->vars));
	a->action_id = xstrdup_or_null(vars_action_id(a->vars));
	a->action2_commit = xstrdup_or_null(vars_action_commit(v2));
	a->action2_page = xstrdup_or_null(vars_action_permalink(v2));
	a->action2_id = xstrdup_or_null(vars_action_id(v2));

	/* After everything read at the first status: cond_evaluate leaves
	 * the context at another one, and the loop below sets each. */
	if (h->nconds) {
		a->ncond = h->nconds;
		a->cond = xcalloc(h->nconds, sizeof(*a->cond));
	}
	a->fires_for_action = cond_evaluate(h, a->vars, o->vars, o->nvars,
					    a->firing.mask, a->cond);
	a->cond_judged = cond_any_evaluated(a->cond, a->ncond);

	a->req = xcalloc(ST_COUNT + 1, sizeof(*a->req));
	for (int s = 0; s < ST_COUNT; s++) {
		if (!(a->firing.mask & ST_BIT(s)))
			continue;
		set_status(a->vars, (enum hd_status)s, o);
		render_request(a, a->vars, (enum hd_status)s, 0, &a->req[a->nreq++]);
	}
	a->nprimary = a->nreq;
	if (a->nprimary)
		render_request(a, v2, first, 1, &a->req[a->nreq++]);
	set_status(a->vars, first, o);
	vars_free(v2);
	return 0;
}

void analyse_render(const struct analysis *a, enum hd_status st, int action,
		    struct request *out)
{
	struct vars *v = action ? vars_sample(st, 1) : a->vars;

	if (action)
		apply_overrides(v, a->opts, NULL);
	set_status(v, st, a->opts);
	render_request(a, v, st, action, out);
	if (action)
		vars_free(v);
}

void analysis_free(struct analysis *a)
{
	for (size_t i = 0; i < a->nsites; i++) {
		free(a->sites[i].field);
		tmpl_scan_free(&a->sites[i].scan);
	}
	free(a->sites);
	cond_eval_free(a->cond, a->ncond);
	free(a->cond);
	for (size_t i = 0; i < a->nreq; i++)
		request_free(&a->req[i]);
	free(a->req);
	url_match_free(&a->match);
	free(a->match_url);
	if (a->vars)
		vars_free(a->vars);
	free(a->action_commit);
	free(a->action_page);
	free(a->action_id);
	free(a->action2_commit);
	free(a->action2_page);
	free(a->action2_id);
	memset(a, 0, sizeof(*a));
}

/* --- groups --- */

/* gs->index maps a group key to its position in gs->g (open addressing,
 * rebuilt when it grows), so 10,000 hooks group in linear time. */

static unsigned long hash_str(const char *s)
{
	unsigned long h = 1469598103UL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619UL;
	return h;
}

static void index_put(const struct groups *gs, size_t pos)
{
	size_t i = hash_str(gs->g[pos].key) & (gs->index_cap - 1);

	while (gs->index[i])
		i = (i + 1) & (gs->index_cap - 1);
	gs->index[i] = pos + 1;
}

static struct group *group_get(struct groups *gs, const char *key)
{
	size_t i;

	if ((gs->n + 1) * 2 > gs->index_cap) {
		free(gs->index);
		gs->index_cap = gs->index_cap ? gs->index_cap * 2 : 64;
		gs->index = xcalloc(gs->index_cap, sizeof(size_t));
		for (size_t k = 0; k < gs->n; k++)
			index_put(gs, k);
	}
	i = hash_str(key) & (gs->index_cap - 1);
	while (gs->index[i]) {
		struct group *g = &gs->g[gs->index[i] - 1];

		if (strcmp(g->key, key) == 0)
			return g;
		i = (i + 1) & (gs->index_cap - 1);
	}
	if ((gs->n & (gs->n - 1)) == 0)   /* grow at powers of two */
		gs->g = xrealloc(gs->g, (gs->n ? gs->n * 2 : 1) * sizeof(*gs->g));
	memset(&gs->g[gs->n], 0, sizeof(gs->g[gs->n]));
	gs->g[gs->n].key = xstrdup(key);
	index_put(gs, gs->n);
	return &gs->g[gs->n++];
}

void group_entry_make(struct group_entry *e, const struct analysis *a)
{
	const struct hook *h = a->hook;
	struct member *m = &e->member;

	memset(e, 0, sizeof(*e));
	if (!a->match.repo_key || !a->nprimary)
		return;
	e->key = xasprintf("%s|%s", h->pipeline_id ? h->pipeline_id : "",
			   a->match.repo_key);
	e->pipeline_id = xstrdup_or_null(h->pipeline_id);
	e->provider = a->provider;
	e->action_commit = xstrdup_or_null(a->action_commit);
	if (a->match.owner && a->match.repo)
		e->repo = xasprintf("%s/%s on %s", a->match.owner,
				    a->match.repo, a->match.host ? a->match.host : "?");
	else
		e->repo = xasprintf("%s", a->match.repo_key);
	m->hook_name = h->name ? xstrdup(h->name) : xasprintf("#%d", h->index);
	m->source = xstrdup(h->source ? h->source : "");
	m->fired = a->firing.mask;
	for (size_t i = 0; i < a->nprimary; i++) {
		const struct request *rq = &a->req[i];
		const char *id = rq->identity;

		if (!rq->identity_set && a->provider)
			id = a->provider->identity_default;
		m->state[rq->status] = xstrdup_or_null(rq->state);
		m->identity[rq->status] = xstrdup(id ? id : "");
		m->commit[rq->status] = xstrdup_or_null(rq->match.commit);
	}
	m->link = xstrdup_or_null(a->req[0].link);
}

static void member_free(struct member *m)
{
	free(m->hook_name);
	free(m->source);
	for (int s = 0; s < ST_COUNT; s++) {
		free(m->state[s]);
		free(m->identity[s]);
		free(m->commit[s]);
	}
	free(m->link);
}

void group_entry_free(struct group_entry *e)
{
	free(e->key);
	free(e->pipeline_id);
	free(e->action_commit);
	free(e->repo);
	member_free(&e->member);
	memset(e, 0, sizeof(*e));
}

void groups_add_entry(struct groups *gs, struct group_entry *e)
{
	struct group *g;

	if (!e->key)
		return;
	g = group_get(gs, e->key);
	if (!g->nmembers) {
		g->pipeline_id = e->pipeline_id;
		g->provider = e->provider;
		g->action_commit = e->action_commit;
		g->repo = e->repo;
		e->pipeline_id = e->action_commit = e->repo = NULL;
	}
	if ((g->nmembers & (g->nmembers - 1)) == 0)
		g->members = xrealloc(g->members, (g->nmembers ? g->nmembers * 2 : 1) *
				      sizeof(*g->members));
	g->members[g->nmembers++] = e->member;
	memset(&e->member, 0, sizeof(e->member));
	group_entry_free(e);
}

void groups_add(struct groups *gs, const struct analysis *a)
{
	struct group_entry e;

	group_entry_make(&e, a);
	groups_add_entry(gs, &e);
}

void groups_free(struct groups *gs)
{
	for (size_t i = 0; i < gs->n; i++) {
		struct group *g = &gs->g[i];

		for (size_t k = 0; k < g->nmembers; k++)
			member_free(&g->members[k]);
		free(g->members);
		free(g->key);
		free(g->pipeline_id);
		free(g->repo);
		free(g->action_commit);
	}
	free(gs->g);
	gs->g = NULL;
	gs->n = 0;
	free(gs->index);
	gs->index = NULL;
	gs->index_cap = 0;
}
