/*
 * rules.h - provider rules, loaded from checks/<provider>.json.
 *
 * Everything hookdoctor knows about a provider's commit-status API lives in
 * its rule file (docs/rule-files.md describes the format); this module loads
 * the files, compiles their PCRE2 patterns once (JIT where available) and
 * matches URLs against them. Adding a provider is adding a file. This is the
 * only module that includes pcre2.h.
 */
#ifndef HD_RULES_H
#define HD_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include "status.h"
#include "util.h"

struct hd_regex;   /* a compiled PCRE2 pattern (opaque) */

enum field_type { FT_STRING, FT_NUMBER, FT_INTEGER, FT_BOOLEAN, FT_OBJECT };

/* How sure the reference is of a fact (providers.md [C]/[R]/[U]): a rule
 * built on an unconfirmed fact reports warn, never fail. */
enum confidence { CONF_CONFIRMED, CONF_REPORTED, CONF_UNCONFIRMED };

struct rule_field {
	char *name;             /* dotted path in the body, e.g. "context.name" */
	enum field_type type;
	bool nullable;
	bool required;
	enum confidence required_conf;
	char **enums;           /* accepted values, NULL-free array */
	size_t nenums;
	bool enum_ci;           /* enum compares case-insensitively */
	long max_length;        /* in characters; 0 = no limit */
	enum confidence max_length_conf;
	bool url;               /* must be an absolute http(s) URL */
	enum confidence url_conf;
	char *alias_of;         /* an accepted synonym of that field (GitLab
				   "context" for "name"), or NULL */
	char *note;             /* shown in hints, may be NULL */
};

struct rule_header {
	char *name;
	int level;              /* 2 required (fail), 1 recommended (warn) */
	char **values;          /* accepted values; none = any non-empty */
	size_t nvalues;
	bool values_prefix;     /* a value matches when it starts with one */
	bool when_present;      /* only judged when the hook sets it */
	char *hint;
};

struct rule_auth {
	char *header;           /* "Authorization", "PRIVATE-TOKEN" */
	char *scheme;           /* "Bearer", "token", "Basic"; NULL = bare token */
	bool basic_empty_user;  /* Basic base64(":" + token) (Azure PATs) */
	char *note;
};

struct rule_endpoint {
	char *name;             /* "create-status" */
	char *pattern;
	struct hd_regex *re;
	char *method;           /* "POST" */
	int cap_owner, cap_repo, cap_project, cap_commit;  /* 0 = none */
	int commit_min, commit_max;   /* accepted commit length in hex digits */
	char **query_required;  /* query parameters that must be present */
	size_t nquery_required;
};

/* A URL of this provider that is the wrong endpoint (list, comments...). */
struct rule_wrong {
	char *pattern;
	struct hd_regex *re;
	char *message;
};

struct rule_alias {
	char *from, *to;        /* a mistaken body field and the intended one */
};

/* How the token's right to write statuses shows (rule file "api"). */
enum api_write_access {
	WA_UNKNOWN,             /* nothing readable says it */
	WA_PUSH,                /* the repository's permissions.push */
	WA_ACCESS_LEVEL,        /* GitLab permissions.*_access.access_level */
	WA_READ                 /* reading the repository is enough */
};

/* The provider's API for the live checks (HD6xx; docs/rule-files.md,
 * "api"). A call is "METHOD /path?query" relative to the API base, with
 * placeholders {owner}, {repo}, {project}, {commit}, {branch} and the
 * target URL's query parameters (defaults in query_defaults). A NULL call
 * is one the provider does not have. */
struct rule_api {
	char *base_before;      /* the base is the target URL up to this */
	char **header_names, **header_values;   /* sent with every call */
	size_t nheaders;
	char **default_names, **default_values; /* placeholder defaults */
	size_t ndefaults;
	char *token_check;      /* an authenticated read */
	char *token_fallback;   /* tried when token_check answers 404 */
	char *repo, *commit, *statuses, *send;
	char **required_checks; /* reads that list required status names */
	size_t nrequired_checks;
	char **required_members;/* members holding those names */
	size_t nrequired_members;
	char *required_note;    /* why there is none (HD607 skips with it) */
	char *statuses_list;    /* member holding the list; NULL: the answer */
	char *status_state;     /* state member of a listed status */
	long identity_limit;    /* statuses kept per identity; 0: none known */
	enum confidence identity_limit_conf;
	char *scopes_header;    /* response header listing granted scopes */
	char *scopes_member;    /* or member of the token_check answer */
	char **scopes_needed;   /* any one of them allows writing statuses */
	size_t nscopes_needed;
	enum confidence scopes_conf;
	enum api_write_access write_access;
	long min_access_level;  /* WA_ACCESS_LEVEL */
	enum confidence write_access_conf;
	char *permission_note;  /* what cannot be read back, for hints */
};

/* The harmless request the network probe makes to a target of this
 * provider (HD508; docs/rule-files.md, "probe"; docs/network.md). Always
 * a GET without the hook's headers, body, userinfo or query. */
struct rule_probe {
	char *why;              /* one line: why this URL */
	char *path;             /* request path instead of the target's, or
				   NULL: the target's own path */
	char **path_prefixes;   /* a target path starting with one of these is
				   requested at that prefix instead of path
				   (GitHub Enterprise Server "/api/v3") */
	size_t npath_prefixes;
	char **prefix_except_hosts; /* hosts (lower case) where path_prefixes
				       do not apply (api.github.com) */
	size_t nprefix_except_hosts;
	char **header_names, **header_values;   /* extra request headers */
	size_t nheaders;
};

struct provider {
	char *name;             /* "github" */
	char *title;            /* "GitHub / GitHub Enterprise" */
	char **aliases;         /* other names for --provider */
	size_t naliases;
	char **hosts;           /* hosts that identify it (api.github.com) */
	size_t nhosts;
	char **path_markers;    /* path parts that hint at it ("/api/v4/") */
	size_t npath_markers;
	bool repo_ci;           /* owner/repo compare case-insensitively, so
				   url_match.repo_key is lower-cased */

	struct rule_endpoint *endpoints;
	size_t nendpoints;
	struct rule_wrong *wrong;
	size_t nwrong;

	struct rule_auth *auth;
	size_t nauth;
	struct rule_header *headers;
	size_t nheaders;
	char *content_type;     /* "application/json" */

	struct rule_field *fields;
	size_t nfields;
	struct rule_alias *field_aliases;
	size_t nfield_aliases;

	char *state_field;      /* "state" */
	char **identity;        /* identity fields, e.g. {"context"} or
				   {"context.name", "context.genre"} */
	size_t nidentity;
	bool identity_ci;       /* compared case-insensitively */
	char *identity_default; /* what an omitted identity becomes, or NULL */
	bool identity_required; /* omitted identity is a failure */
	char *link_field;       /* "target_url", "url", "targetUrl" */

	char **states_success;  size_t nstates_success;
	char **states_failure;  size_t nstates_failure;
	char **states_pending;  size_t nstates_pending;
	char **states_other;    size_t nstates_other;  /* terminal, neutral */
	/* The state recommended for each Devopness status (providers.md §7). */
	char *recommended[ST_COUNT];
	/* GitLab: posting the same non-terminal state twice is refused. */
	bool refuses_repeat_pending;
	char *repeat_message;

	int max_body_bytes;     /* sane size; 0 = default */
	char *docs_url;
	struct rule_api *api;   /* the live checks' API calls, or NULL */
	struct rule_probe *probe; /* the network probe's request, or NULL:
				     GET the target URL itself */
	/* Where the provider's error answers hold their message, as JSON
	 * paths ("message", "error.message", "errors[0].message"); every one
	 * that holds a value is shown, in order (HD702). */
	char **error_message_paths;
	size_t nerror_message_paths;
};

enum state_class { SC_UNKNOWN, SC_PENDING, SC_SUCCESS, SC_FAILURE, SC_OTHER };

struct rules {
	struct provider *providers;
	size_t n;
	char *dir;
};

/* Loads every *.json in dir (sorted by name). Returns NULL with err set to
 * "FILE:LINE:COL: message" when a file is invalid. */
struct rules *rules_load(const char *dir, struct hd_error *err);
void rules_free(struct rules *r);

/* By name or alias, case-insensitive; NULL when unknown. */
const struct provider *rules_find(const struct rules *r, const char *name);

struct url_match {
	const struct provider *provider;   /* NULL: no provider recognised */
	const struct rule_endpoint *endpoint; /* NULL: not a status endpoint */
	const struct rule_wrong *wrong;    /* set when a wrong-endpoint pattern matched */
	bool by_host;           /* recognised only by host or path marker */
	/* Captured parts (malloc'd, NULL when absent). */
	char *owner, *repo, *project, *commit;
	char *host;             /* lower-cased host[:port] */
	char *repo_key;         /* "github:api.github.com/owner/repo" lower-cased
				   where the provider compares so; NULL when unknown */
	char **missing_query;   /* required query parameters that are absent */
	size_t nmissing_query;
};

/* Matches an absolute URL (query and fragment split off before matching)
 * against every provider, or only against force when it is not NULL.
 * Always fills *m; free with url_match_free(). */
void rules_match_url(const struct rules *r, const struct provider *force,
		     const char *url, struct url_match *m);
void url_match_free(struct url_match *m);
/* A deep copy of src into dst: what rules_match_url() would fill for the
 * same URL. */
void url_match_copy(struct url_match *dst, const struct url_match *src);

/* Class of a provider state value ("success" -> SC_SUCCESS). */
enum state_class rules_state_class(const struct provider *p, const char *state);
/* The length of the provider's short name: its title up to " / " or
 * " (", so "GitHub / GitHub Enterprise" reads "GitHub" in a sentence.
 * Use as "%.*s" with PROVIDER_SHORT(p). */
int rules_short_name_len(const struct provider *p);
#define PROVIDER_SHORT(p) rules_short_name_len(p), \
	((p)->title ? (p)->title : (p)->name)

/* Field rule by dotted name, or NULL. */
const struct rule_field *rules_field(const struct provider *p, const char *name);

/* The PCRE2 wrapper: compile (JIT when available) and test a match. */
struct hd_regex *hd_regex_compile(const char *pattern, bool caseless,
				  struct hd_error *err);
/* Returns the number of capture pairs filled (>0) on a match, 0 on no
 * match; ovec receives start/end offsets (at most novec pairs). */
int hd_regex_match(const struct hd_regex *re, const char *s, size_t len,
		   size_t *ovec, int novec);
void hd_regex_free(struct hd_regex *re);
/* PCRE2 version string for --version. */
const char *hd_regex_version(void);

#endif
