/*
 * provider_api.h - the provider's API, read-only unless --send: the facts
 * checks HD601-HD607 (check_provider.c) judge.
 *
 * For the repository and commit a hook posts to, the provider session
 * makes the calls its rule file lists under "api" (docs/rule-files.md):
 * an authenticated read, the repository, the commit, the commit's
 * statuses, the required status checks of the branch, and - only with
 * --send, and only once per identity - one pending test status that is
 * read back. The calls authenticate the way the hook does: the provider
 * token (HOOKDOCTOR_PROVIDER_TOKEN or --provider-token-file) goes where
 * the hook's token variable renders. Facts are fetched once per
 * repository and commit and shared by every hook posting there; the
 * token's own read (GET /user) is made once per API base and credential.
 * provider_plan() and provider_prefetch() fetch the facts of different
 * repositories concurrently (at most 32 calls in flight, 24 to one host)
 * before the checks run; the session is safe to use from several
 * threads. This module collects and
 * parses, it judges nothing: found a problem or not is the checks' call.
 * It never prints the token, and never writes without --send.
 */
#ifndef HD_PROVIDER_API_H
#define HD_PROVIDER_API_H

#include <stdbool.h>
#include <stddef.h>
#include "analyse.h"
#include "options.h"
#include "util.h"

/* Yes, no, or not known (the call was not made, or said nothing). */
enum tri { TRI_UNKNOWN, TRI_NO, TRI_YES };

/* One HTTP exchange with the provider, kept for the findings' evidence. */
struct prov_call {
	char *what;             /* "token", "repo", "commit", "statuses",
				   "required", "send", "read-back" */
	char *method;
	char *url;              /* as requested (holds no credential) */
	bool made;              /* false: not sent (rate limit, see error) */
	long status;            /* HTTP status; 0: no answer */
	char *error;            /* transport failure or why not sent */
	char *message;          /* the provider's error message, if any */
	char *error_name;       /* exceptionName / typeKey / error code */
	double seconds;
	/* Rate limiting (GitHub X-RateLimit-*, Retry-After, 429). */
	bool limited;           /* answered as rate limited */
	bool secondary;         /* GitHub's secondary rate limit */
	long retry_after;       /* seconds (from delta-seconds or an
				   HTTP-date); -1: none */
	long reset;             /* epoch seconds; -1: none */
	long remaining, limit;  /* -1: not sent */
	bool retried;           /* retried once after Retry-After */
	bool reused;            /* the answer of the same call (URL and
				   credential) that an earlier repository
				   or commit, in input order, holds too:
				   one request for both */
	size_t shared;          /* provider_api.c: 1 + the index of the
				   run's shared read this answer is; 0 */
	/* Headers that tell about the token. */
	char *scopes;           /* granted (X-OAuth-Scopes), NULL: absent */
	char *accepted_scopes;  /* X-Accepted-OAuth-Scopes */
	char *accepted_perms;   /* X-Accepted-GitHub-Permissions */
	char *sso;              /* X-GitHub-SSO */
	char *credential_type;  /* Bitbucket x-credential-type */
	char *scopes_required;  /* Bitbucket 403 error.detail.required */
	char *scopes_granted;   /* Bitbucket 403 error.detail.granted */
};

/* One status found on the commit. */
struct prov_status {
	char *identity;         /* identity fields joined with "/" (Azure) */
	char *state;
	char *description;
	char *link;
};

/* The outcome of --send for one identity (HD606). */
struct prov_send {
	char *identity;         /* as posted */
	char *state;            /* the pending state posted */
	char *skipped;          /* why nothing was posted, or NULL */
	int post;               /* index in calls, -1: none */
	int readback;           /* index in calls, -1: none */
	size_t before;          /* entries with this identity before */
	bool found;             /* the test status is in the read-back */
	char *found_identity;   /* the identity it was stored under */
	size_t found_at;        /* its position among the read-back
				   entries with that identity (0: first) */
	char *other_near;       /* a near-identical identity also present */
};

struct provider_facts {
	char *provider;         /* rule-file name */
	char *skipped;          /* why nothing was fetched ("no provider
				   token: ..."), or NULL */
	char *base;             /* the API base used */
	bool base_from_option;  /* --provider-api-url */
	char *repo;             /* "acme/shop-api" for messages */
	char *commit;
	char *branch;           /* for the required checks, or NULL */
	bool sample_commit;     /* the commit is the built-in sample's */
	struct prov_call *calls;
	size_t ncalls;
	char *stopped;          /* rate limited: why the later calls were
				   not made, or NULL */
	long order;             /* the place of its first hook's repository
				   and commit among the run's, in input
				   order (which holder of a shared read is
				   not marked reused) */

	/* HD601 */
	int token_call;         /* index in calls, -1: none */
	char *user;             /* login / username when the answer says */
	char *token_kind;       /* from its prefix: "classic personal access
				   token", "fine-grained ...", or NULL */
	/* HD602 */
	char **scopes;          /* granted scopes, when known */
	size_t nscopes;
	bool scopes_known;
	char *scopes_from;      /* "X-OAuth-Scopes", "GET .../self" */
	enum tri token_active;  /* GitLab active && !revoked */
	char *token_expires;
	enum tri push;          /* permissions.push */
	long access_level;      /* GitLab; -1 unknown */
	/* HD603 */
	int repo_call;
	char *repo_visibility;  /* "private", "public", ... when said */
	char *default_branch;
	/* HD604 */
	int commit_call;
	/* HD605 */
	int statuses_call;      /* the first page */
	bool statuses_ok;
	struct prov_status *statuses;   /* as listed (GitHub: newest first) */
	size_t nstatuses;
	bool statuses_truncated;        /* more pages than were read */
	/* HD607 */
	int required_call;      /* the first, -1: none made */
	bool required_ok;       /* at least one list was read */
	char **required;
	size_t nrequired;
	/* HD606 */
	struct prov_send *sends;
	size_t nsends;
};

/* The provider token from --provider-token-file (first line, trimmed) or
 * HOOKDOCTOR_PROVIDER_TOKEN. Returns 0 with *token malloc'd, or NULL when
 * none is given; -1 with err set when the file cannot be read or is
 * empty. */
int provider_token_load(const struct options *o, char **token,
			struct hd_error *err);

/* What kind of token this is, from its prefix ("classic personal access
 * token" for ghp_...), or NULL when the shape says nothing. */
const char *provider_token_kind(const char *token);

struct provider_session;

/* A session for one run; token may be NULL (the facts then say why
 * nothing was fetched). Owns a copy of the token. */
struct provider_session *provider_session_new(const struct options *o,
					      const char *token);
void provider_session_free(struct provider_session *s);

/* Should the provider be asked for this run at all? (Not --offline, and
 * one of HD601-HD607 enabled by --only/--skip.) */
bool provider_wanted(const struct options *o);

/* The facts for the repository and commit the analysed hook posts to:
 * fetched on first use, then shared by every hook posting there. With
 * --send (and HD606 enabled) the hook's test status is posted once per
 * identity. Never NULL; owned by the session, valid until it is freed.
 * Thread-safe. */
const struct provider_facts *provider_facts_for(struct provider_session *s,
						const struct analysis *a);

/* Records that hook number index (analysed as a) will ask for facts, so
 * that provider_prefetch() can fetch them. Call from one thread, in
 * input order, before provider_prefetch(). */
void provider_plan(struct provider_session *s, long index,
		   const struct analysis *a);

/* Loads and analyses hook number index for provider_prefetch (NULL when
 * it cannot be); unload frees what load returned. Called from several
 * threads at once. */
typedef struct analysis *(*provider_load_fn)(void *ctx, long index);
typedef void (*provider_unload_fn)(void *ctx, struct analysis *a);

/* Fetches the facts of every planned repository and commit on up to 32
 * threads (at most 24 calls to one host at a time): each repository's calls in order on one thread, its hooks'
 * --send test statuses in input order after the reads. Afterwards
 * provider_facts_for() only looks the facts up, so the report is the
 * same whatever the order the calls were answered in. */
void provider_prefetch(struct provider_session *s, provider_load_fn load,
		       provider_unload_fn unload, void *ctx);

/* The identity the hook posts (the rendered one, or the provider's
 * default when omitted); "" when there is none. Not owned. */
const char *provider_hook_identity(const struct analysis *a);

/* Are two identities near-identical: the same after ignoring case, spaces
 * and punctuation, one a prefix of the other after that, or at most two
 * edits apart? (Equal ones are not.) */
bool provider_identity_near(const char *x, const char *y);

void provider_facts_free(struct provider_facts *pf);

/* Reads an error answer of the given status and body (body[len] is '\0')
 * into c the way a call does: c->message, error_name, scopes_required,
 * scopes_granted. For tests and tests/fuzz/fuzz_errbody.c; free what it
 * sets with provider_call_clear(). */
void provider_parse_error_body(struct prov_call *c, long status,
			       const char *body, size_t len);
/* Frees every string of c and zeroes it. */
void provider_call_clear(struct prov_call *c);

#endif
