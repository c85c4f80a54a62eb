/*
 * devopness.h - the Devopness API client and the facts it collects.
 *
 * The client (on http.c) sends what the official description requires on
 * every request (Accept and Content-Type application/json, Authorization:
 * Bearer), follows `Link: <...>; rel="next"` pagination on the API's own
 * origin only, and retries 429 and 5xx answers with a bounded backoff that
 * honours Retry-After. It never prints the token, and never makes another
 * call once the API has refused the token or stopped answering, so a run
 * ends within a few timeouts.
 *
 * devopness_collect() gathers, once, everything the API checks read
 * (HD102-HD106, HD701-HD705 are pure functions over struct api_facts):
 * the pipeline, its outgoing hooks (or the one given with --hook), the
 * action templates are rendered with, and each hook's recent deliveries.
 */
#ifndef HD_DEVOPNESS_H
#define HD_DEVOPNESS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include "options.h"
#include "util.h"

#define DEVOPNESS_DEFAULT_URL "https://api.devopness.com"
/* How many of a hook's latest deliveries are read in full. */
#define DEVOPNESS_DELIVERY_WINDOW 10

/* The outcome of one logical API call (retries and pages included). */
struct api_call {
	char *what;             /* "GET /pipelines/123": no host, no token */
	bool done;              /* the call was made */
	bool ok;                /* a 2xx answer holding the JSON expected */
	long status;            /* last HTTP status, 0 when none */
	bool transport;         /* no HTTP answer: timeout, refused, ... */
	char *message;          /* when !ok: the API's own message
				   ("Unauthenticated."), the transport error
				   ("timed out after 10 s"), or what is wrong
				   with the answer; NULL when ok */
	int attempts;           /* requests sent for the last page */
	double waited;          /* seconds spent waiting before retries */
	size_t pages;           /* pages read (lists) */
};

/* One request Devopness sent for a hook, and the provider's answer
 * (GET /hook-requests/{id}). */
struct api_delivery {
	char *id;
	char *action_id;        /* NULL when the request has none */
	char *retry_of;         /* NULL unless a retry */
	char *created_at;
	char *url;              /* where it was sent */
	long status;            /* response_status_code; 0 when none */
	cJSON *request_body;    /* owned: as stored (an object, or a string
				   parsed when it holds JSON); NULL unknown */
	cJSON *request_headers; /* owned, NULL unknown */
	cJSON *response_body;   /* owned: object, array or string; NULL */
	bool detailed;          /* the full request could be read */
	char *detail_error;     /* why not, else NULL */
};

/* What the API knows about one hook. */
struct api_hook {
	char *id;
	struct api_call get;    /* GET /hooks/outgoing/{id}: made for --hook
				   and for hooks read from a file that carry
				   an id; !done for listed hooks */
	bool known;             /* type, active and pipeline_id below are
				   what the API stores */
	char *name;
	char *type;             /* "in", "out" or NULL */
	int active;             /* -1 unknown, 0, 1 */
	char *pipeline_id;      /* NULL when null or unknown */
	struct api_call requests;  /* GET /hooks/outgoing/{id}/requests */
	size_t nlisted;         /* requests listed */
	char *latest_at;        /* created_at of the newest listed request */
	struct api_delivery *deliveries;  /* the latest ones, oldest first */
	size_t ndeliveries;
};

struct api_facts {
	char *base_url;
	char *pipeline_id;
	struct api_call pipeline;       /* GET /pipelines/{id} */
	char *pipeline_name, *operation, *resource_type, *resource_id;

	struct api_call hooks;          /* GET /pipelines/{id}/hooks (or GET
					   /hooks/outgoing/{uuid} for --hook) */
	char *hook_filter;              /* --hook UUID */
	size_t noutgoing;
	char **incoming;                /* "name" (id) of incoming hooks */
	size_t nincoming;
	cJSON *hooks_json;              /* array: the hooks to check, owned */
	char *hooks_source;             /* "api:/pipelines/123/hooks" */
	/* No hook could be fetched: the input is one stand-in so that the
	 * pipeline and hook findings can be reported. */
	bool placeholder;

	struct api_call action;         /* GET /actions/{id} */
	struct api_call actions;        /* GET /pipelines/{id}/actions */
	size_t nactions;                /* actions listed for the pipeline */
	unsigned statuses_reached;      /* ST_BIT()s those actions went
					   through: their status, and
					   pending/queued/in-progress once
					   started (HD701) */
	cJSON *action_json;             /* the action templates are rendered
					   with, owned; NULL: the sample */
	char *action_source;            /* "--action 42", "latest action of
					   pipeline 123", NULL */

	/* `save`: the pipeline's stored outgoing hooks, which join the
	 * body in the pipeline-level checks (not reported themselves). */
	cJSON *context_hooks;

	struct api_hook *hook;          /* per hook id */
	size_t nhook;
	bool stopped;                   /* a call failed so that no other
					   one was made (token refused, no
					   answer) */
	char *stop_reason;
};

struct devopness;

/* Resolves the base URL (--api-url, DEVOPNESS_API_URL, default) and the
 * token (--api-token-file, --api-token with a warning on stderr,
 * DEVOPNESS_API_TOKEN) and makes a client. Returns 0 with *out set; 1
 * with *out NULL when there is no token (the API checks then skip); -1
 * with err set when the options are unusable (unreadable token file, a
 * token holding a line break, a base URL that is not http(s)). */
int devopness_open(const struct options *o, struct devopness **out,
		   struct hd_error *err);
void devopness_close(struct devopness *d);
const char *devopness_base_url(const struct devopness *d);

/* One call: method and path ("/pipelines/123") on the base URL, body
 * serialised when not NULL. On a 2xx answer holding JSON returns 0 with
 * *json set (caller frees); else -1 with call->message. call is filled
 * either way (free with api_call_free). */
int devopness_call(struct devopness *d, const char *method, const char *path,
		   const cJSON *body, cJSON **json, struct api_call *call);
/* GET of a list, every page (rel="next" on the same origin), at most
 * max_items items. Returns 0 with *array set (caller frees), else -1. */
int devopness_get_list(struct devopness *d, const char *path,
		       size_t max_items, cJSON **array, struct api_call *call);

/* Everything the API checks read, for --pipeline (and --hook, --action).
 * With fetch_hooks the hooks to check come from the API (hooks_json);
 * without it (hooks from --file) only the pipeline and the action are
 * read and devopness_collect_hook() is called per hook that has an id.
 * Returns NULL with err set only when --action names an action that
 * cannot be read or an ID is malformed; API failures are facts. */
struct api_facts *devopness_collect(struct devopness *d,
				    const struct options *o,
				    bool fetch_hooks, struct hd_error *err);
/* Reads a hook stored in the API (GET /hooks/outgoing/{id}) and its
 * deliveries into f (once per id). */
void devopness_collect_hook(struct devopness *d, struct api_facts *f,
			    const char *hook_id);

/* Reads the pipeline's stored outgoing hooks into f->context_hooks (an
 * array, empty when they cannot be read). */
void devopness_collect_context(struct devopness *d, struct api_facts *f);

/* The facts of one hook, or NULL. */
const struct api_hook *api_facts_hook(const struct api_facts *f,
				      const char *hook_id);
/* The hooks to check as JSON text for hook_input_open_text(); malloc'd. */
char *api_facts_hooks_text(const struct api_facts *f, size_t *len);
void api_facts_free(struct api_facts *f);
void api_call_free(struct api_call *c);

/* Is s a positive decimal integer that fits a long? (IDs in paths) */
bool devopness_is_id(const char *s);
/* Is s made only of hex digits and '-' (a UUID-like hook id)? */
bool devopness_is_uuid(const char *s);

#endif
