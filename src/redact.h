/*
 * redact.h - the one place that knows what a secret looks like.
 *
 * Every renderer passes what it prints through here. A secret is shown as
 * "***" followed by a short SHA-256 fingerprint, "***(sha256:1a2b3c4d)", so
 * two reports can be compared without revealing the value.
 */
#ifndef HD_REDACT_H
#define HD_REDACT_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* "***(sha256:xxxxxxxx)" for a secret value; malloc'd. */
char *redact_mask(const char *secret, size_t len);

/* A header value with its secret part masked, given the header's name
 * (Authorization keeps its scheme: "Bearer ***(sha256:..)"). Returns
 * malloc'd text. */
char *redact_header(const char *name, const char *value);
/* Is the header one whose value is a credential? (Authorization,
 * PRIVATE-TOKEN, and any name holding auth/token/secret/key/password/
 * cookie/signature/credential/session.) */
bool redact_is_secret_header(const char *name);
/* Is a JSON member (or evidence key) one whose value is a secret? Names
 * holding token/secret/password/passwd/authorization/credential/cookie,
 * or ending in _key/-key/apikey. A bare "key" is not (Bitbucket's status
 * identity is called "key"). */
bool redact_is_secret_key(const char *name);

/* A URL with userinfo and secret-looking query values masked; malloc'd. */
char *redact_url(const char *url);

/* Any free text: known token shapes (ghp_, gho_, ghu_, ghs_, ghr_,
 * github_pat_, glpat-, JWTs, Bitbucket app passwords ATBB..., Basic
 * credentials) are masked; malloc'd. */
char *redact_text(const char *text);
/* redact_text() without the copy when nothing in text can need masking
 * (the common case of a report): returns text itself with *owned NULL,
 * or the redacted copy, also stored in *owned for the caller to free.
 * NULL for NULL. */
const char *redact_text_shared(const char *text, char **owned);
/* The same for redact_url(). */
const char *redact_url_shared(const char *url, char **owned);
/* redact_text() and redact_url() without the quick pass that returns
 * text needing no scan as it is: the tests compare the two. */
char *redact_text_full(const char *text);
char *redact_url_full(const char *url);

/* Walks a JSON tree in place: string values that are or contain secrets
 * are masked (keys named like token/secret/password/key mask the whole
 * value). */
void redact_json(cJSON *node);
/* True when redact_json() of an object holding node under key would
 * leave node as it is (so it can be printed without a redacted copy);
 * false when it might change it. */
bool redact_json_member_unchanged(const char *key, const cJSON *node);

/* Is there a known token shape in text? (HD205) On return *start and
 * *len locate the first one: a token of a known shape (ghp_..., glpat-...,
 * ATBB..., a JWT...) or the credential after "Bearer " / "Basic " (the
 * scheme itself is not part of the span). Templates and the placeholder
 * are never a token. */
bool redact_find_token(const char *text, size_t *start, size_t *len);

/* The placeholder for the provider token is not a secret and is left as
 * it is. */

#endif
