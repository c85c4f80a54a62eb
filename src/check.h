/*
 * check.h - findings and the registry of checks.
 *
 * A check is a pure function over facts collected beforehand (the rendered
 * requests of one hook, or the facts of every hook that posts to one
 * repository). It fills one finding and never prints, exits or does I/O.
 * Found a problem = fail/warn; could not evaluate = skip with the reason.
 */
#ifndef HD_CHECK_H
#define HD_CHECK_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

enum check_status { CS_PASS, CS_WARN, CS_FAIL, CS_SKIP };
extern const char *const check_status_name[4];   /* "pass", ... */

/* What a check needs beyond the input file. */
enum check_need {
	NEED_NONE = 0,
	NEED_NETWORK = 1,       /* skipped with --offline */
	NEED_API = 2,           /* --pipeline and a Devopness API token */
	NEED_TOKEN = 4,         /* a provider token */
	NEED_SEND = 8           /* --send */
};

enum check_scope { SCOPE_HOOK, SCOPE_PIPELINE };

struct analysis;
struct group;
struct check_def;

struct finding {
	const struct check_def *def;
	enum check_status status;
	char *message;          /* one line, owned */
	char *hint;             /* how to fix; NULL on pass; owned */
	cJSON *evidence;        /* object; owned */
};

typedef enum check_status (*hook_check_fn)(const struct analysis *a,
					   struct finding *f);
typedef enum check_status (*group_check_fn)(const struct group *g,
					    struct finding *f);

struct check_def {
	const char *id;         /* "HD308" */
	const char *name;       /* "state-valid" */
	const char *family;     /* "hook", "template", "request", "status",
				   "network", "provider", "history" */
	enum check_status severity;  /* CS_FAIL or CS_WARN */
	unsigned needs;         /* enum check_need bits */
	enum check_scope scope;
	hook_check_fn hook_fn;  /* SCOPE_HOOK */
	group_check_fn group_fn;/* SCOPE_PIPELINE */
	const char *summary;    /* one line: what it checks */
};

/* The registry, in ID order. Checks whose function is NULL belong to a
 * later part of hookdoctor (network, API, provider) and are listed by
 * `hookdoctor checks` as not available in this build. */
extern const struct check_def check_registry[];
extern const size_t check_registry_len;
const struct check_def *check_find(const char *id);

/* Helpers for check functions. Each returns the status it sets so that a
 * check can end with `return finding_fail(f, ...)`. */
enum check_status finding_pass(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sets the check's default severity (fail or warn). */
enum check_status finding_problem(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum check_status finding_warn(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum check_status finding_fail(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum check_status finding_skip(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void finding_hint(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Evidence values are strings; they pass through redact before output. */
void finding_ev(struct finding *f, const char *key, const char *value);
void finding_evf(struct finding *f, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void finding_ev_json(struct finding *f, const char *key, cJSON *value);
void finding_clear(struct finding *f);
/* Fixed messages that cmd_check sets without allocating them (24 of the
 * 56 findings of every offline hook are the same skip): finding_clear and
 * the setters never free them, and reporters may know them by address. */
extern const char check_msg_offline[];   /* "skipped: --offline" */
extern const char check_msg_empty[];     /* "" */
/* Frees f->message unless it is one of the fixed messages above. */
void finding_free_message(struct finding *f);

#endif
