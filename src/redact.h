/*
 * redact.h - the one place that knows what a secret looks like.
 *
 * Every renderer passes what it prints through here. A secret is shown as
 * the redaction marker: "***" followed by a short SHA-256 fingerprint in
 * parentheses, exactly "***(sha256:" + 8 lower-case hex digits + ")", e.g.
 * "***(sha256:1a2b3c4d)", so two reports can be compared without revealing
 * the value. A marker (and a bare run of three or more '*') is never
 * masked again: every function here leaves it as it is, and redacting
 * twice gives the same text as redacting once (f(f(x)) == f(x)).
 *
 * Besides what is recognised by name, structure or shape, a value known to
 * be secret (redact_add_secret, redact_learn_*) is masked wherever it
 * appears, in clear or encoded, in everything redacted afterwards.
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
 * (the common case of a report: no rule applies and no known secret
 * occurs): returns text itself with *owned NULL, or the redacted copy,
 * also stored in *owned for the caller to free. NULL for NULL. */
const char *redact_text_shared(const char *text, char **owned);
/* The generation of the known secrets: it moves whenever the list does,
 * so a redaction made at one generation holds while it is current (read
 * it before making the redaction). */
unsigned long redact_generation(void);
/* The same for redact_url(). */
const char *redact_url_shared(const char *url, char **owned);
/* redact_text() and redact_url() without the quick pass that returns
 * text needing no scan as it is, and without the per-thread memo of
 * earlier answers: every pass, every time. The tests compare the two. */
char *redact_text_full(const char *text);
char *redact_url_full(const char *url);
/* redact_header() the same way: every pass, every time. */
char *redact_header_full(const char *name, const char *value);

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
 * scheme itself is not part of the span). The placeholder and templates
 * are never a token, unless a template holds one ("{{ ghp_... }}"). */
bool redact_find_token(const char *text, size_t *start, size_t *len);

/* The placeholder for the provider token is not a secret and is left as
 * it is. */

/* --- known secrets ---
 *
 * Values known to be secret: every occurrence of one in any text, URL,
 * header or JSON string redacted afterwards is masked, wherever it is
 * (inside a word, a path, a template), in clear and in its common
 * encodings: percent-encoded (upper- and lower-case hex), JSON-escaped,
 * and, for "user:password", base64 (Basic) with the password alone too;
 * a Basic credential given in base64 is decoded and known as
 * "user:password". Values shorter than REDACT_KNOWN_MIN bytes, and values
 * holding a marker, a template or the placeholder, are not kept (masking
 * every "abc" would make reports unreadable; they are still masked where
 * they are recognised). The list is process-wide, only grows, and is safe
 * to use from several threads.
 *
 * A value masked by structure or shape inside one string is known for
 * the rest of that string too, so a repeated credential ("u:pw@h/u:pw@")
 * is masked at every copy. */
#define REDACT_KNOWN_MIN 8

/* A secret value (a token from the environment, a token file, --api-token). */
void redact_add_secret(const char *value);
/* What redact_header(name, value) / redact_url(url) would mask becomes
 * known: the loader calls these for each hook's headers and target URL. */
void redact_learn_header(const char *name, const char *value);
void redact_learn_url(const char *url);
/* Forgets every known secret (tests and fuzzers, between inputs). */
void redact_forget_secrets(void);

/* The encodings known secrets are searched in (and base64_encode() of
 * util.h); malloc'd. Percent: every byte but A-Z a-z 0-9 - . _ ~ as %XX
 * (upper-case hex); JSON: the inside of a JSON string as cJSON prints it. */
char *redact_encode_percent(const char *s);
char *redact_encode_json(const char *s);

#endif
