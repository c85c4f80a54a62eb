/*
 * analyse.h - the facts every offline check reads.
 *
 * analyse_hook() does all the work once per hook: it works out which
 * statuses the hook fires on, renders the request Devopness would send for
 * each of them (with the sample or given action), detects the provider and
 * extracts state, identity, link and commit through the provider's rules.
 * Checks then only read these facts. groups_add() keeps the few facts the
 * pipeline-level checks need, so a 10,000-hook file streams in bounded memory.
 */
#ifndef HD_ANALYSE_H
#define HD_ANALYSE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include "conditions.h"
#include "firing.h"
#include "hook.h"
#include "net.h"
#include "options.h"
#include "rules.h"
#include "status.h"
#include "template.h"
#include "vars.h"

/* Every string in the hook that is a template, with where it is. */
struct tmpl_site {
	char *field;            /* "target_url", "settings.request_headers[0].value",
				   "settings.request_body.context" */
	const char *text;       /* borrowed from the hook */
	struct tmpl_scan scan;
	bool in_body_string;    /* part of a request_body kept as a string */
};

/* One request: what Devopness would send for one status. */
struct request {
	enum hd_status status;
	int event;              /* enum hd_event that fires it */
	int action;             /* 0 primary sample action, 1 the second one */
	char *url;
	struct hd_header *headers;  /* rendered; line/col of the template */
	size_t nheaders;
	char *body;             /* the body text as sent (NULL: no body) */
	cJSON *body_json;       /* parsed body, NULL when not JSON */
	char *body_error;       /* why the body is not JSON, else NULL */
	struct url_match match; /* provider match of this URL */
	/* Through the provider's rules (NULL when absent or no provider): */
	char *state;
	char *identity;         /* fields joined with "/" for Azure */
	bool identity_set;      /* false: provider default applies */
	char *link;
};

struct analysis {
	const struct hook *hook;
	const struct options *opts;
	const struct rules *rules;
	const struct provider *provider;   /* detected or forced; may be NULL */
	bool provider_forced;
	struct url_match match;            /* of the target_url as rendered for
					      the first request */
	char *match_url;                   /* that URL (NULL if none rendered) */
	struct firing firing;
	/* trigger_when.conditions against the action (conditions.h): one
	 * per condition of the hook. When a real value was known for at
	 * least one of them (cond_judged), fires_for_action holds the
	 * statuses the hook fires on for that action; else it equals
	 * firing.mask. The requests are rendered for firing.mask either
	 * way: what the hook sends whenever it fires. */
	struct cond_eval *cond;
	size_t ncond;
	bool cond_judged;
	unsigned fires_for_action;
	struct tmpl_site *sites;
	size_t nsites;
	/* One request per status fired (status order), then, when the hook
	 * fires at all, one more for the first status with the second
	 * sample action (action == 1) for per-action comparisons. */
	struct request *req;
	size_t nreq;
	size_t nprimary;        /* requests with action == 0 */
	struct vars *vars;      /* primary action (status of req[0]) */
	char *action_commit;    /* commit hash of the primary action */
	char *action_page;      /* url_web_permalink of the primary action */
	char *action_id;
	char *action2_commit, *action2_page, *action2_id;
	/* Online facts, collected before the checks run (NULL offline or
	 * when that source was not asked for). Each is defined by the module
	 * that collects it: net.h, devopness.h, provider_api.h. */
	const struct net_result *net;
	const struct api_facts *api;        /* Devopness API: pipeline, hook,
					       deliveries (HD102-HD106, HD7xx) */
	const struct provider_facts *prov;  /* provider API (HD6xx) */
};

struct api_facts;
struct provider_facts;

/* Analyses one hook. Returns 0, or -1 with err set when a --var is bad. */
int analyse_hook(struct analysis *a, const struct hook *h,
		 const struct options *o, const struct rules *r,
		 struct hd_error *err);
/* The same with a real action (GET /actions/{id}, copied) as the primary
 * action instead of the sample; NULL: the sample. */
int analyse_hook_action(struct analysis *a, const struct hook *h,
			const struct options *o, const struct rules *r,
			const cJSON *action, struct hd_error *err);
void analysis_free(struct analysis *a);

/* Renders one status (any, fired or not) for `render --status`. */
void analyse_render(const struct analysis *a, enum hd_status st, int action,
		    struct request *out);
void request_free(struct request *rq);

/* --- pipeline-level facts --- */

struct member {
	char *hook_name;
	char *source;
	unsigned fired;                 /* statuses it fires on */
	char *state[ST_COUNT];          /* rendered state per fired status */
	char *identity[ST_COUNT];       /* rendered identity (default applied) */
	char *commit[ST_COUNT];         /* commit segment per status */
	char *link;
};

/* Hooks of one pipeline posting to one repository. */
struct group {
	char *key;              /* pipeline + repo_key */
	char *pipeline_id;      /* NULL when the hooks carry none */
	char *repo;             /* display: "owner/repo on api.github.com" */
	const struct provider *provider;
	char *action_commit;    /* the action's commit hash */
	struct member *members;
	size_t nmembers;
};

struct groups {
	struct group *g;
	size_t n;
	size_t *index;          /* open-addressing key index: position + 1 */
	size_t index_cap;       /* a power of two */
};

/* Adds the facts of an analysed hook to its group (hooks without a
 * recognised repository are not grouped). */
void groups_add(struct groups *gs, const struct analysis *a);
/* groups_add() in two steps, so that the thread that analysed a hook
 * copies what the groups keep of it and frees the analysis itself, and
 * the groups are joined in input order elsewhere: group_entry_make()
 * reads the analysis (an entry with a NULL key joins no group);
 * groups_add_entry() takes the entry over and leaves it empty. */
struct group_entry {
	char *key;
	char *pipeline_id;
	const struct provider *provider;
	char *action_commit;
	char *repo;
	struct member member;
};
void group_entry_make(struct group_entry *e, const struct analysis *a);
void groups_add_entry(struct groups *gs, struct group_entry *e);
void group_entry_free(struct group_entry *e);
void groups_free(struct groups *gs);

#endif
