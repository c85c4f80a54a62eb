/*
 * redact.c - the one place that knows what a secret looks like, and masks
 * it as "***(sha256:xxxxxxxx)" (the first 4 bytes of the value's SHA-256,
 * so two reports can be compared without revealing it).
 *
 * Three kinds of knowledge live here: names (headers, JSON members, query
 * parameters whose value is a credential), structure (URL userinfo and
 * query, "Authorization: <scheme> <credential>") and shapes (token
 * prefixes such as ghp_ or glpat-, JWTs, Bearer/Basic credentials in
 * text). Matching is done by small hand-written scanners: no regex.
 *
 * What is never masked: the provider-token placeholder
 * (VARS_TOKEN_PLACEHOLDER), template references "{{ path }}" (they name a
 * variable, they do not hold its value; one holding a token shape is no
 * reference and is scanned) and markers already made. A marker is one
 * piece wherever it is found: no span (a value, a URL, a known secret)
 * ends or starts inside it.
 *
 * Redacting twice gives the same text. Masking can move a boundary the
 * first pass relied on (a '#' or '@' inside a masked value no longer ends
 * a URL's path), so each entry point repeats its pass on its own output
 * until a pass masks nothing more (redact_rounds): a text without a secret
 * is scanned once, one with a secret twice, rarely more.
 *
 * A fourth kind of knowledge is values known to be secret (the tokens of
 * the environment and token files, what the loader found in each hook's
 * headers and URL, and within one string what was masked earlier in it):
 * after a pass, every occurrence of one of them, in clear or encoded, is
 * masked (sweep).
 *
 * Most of what a report prints holds nothing to mask, so redact_text()
 * and redact_url() first try to prove that cheaply: a one-pass test that
 * no rule of the scanner can start anywhere in the text
 * (text_needs_no_scan) and, while secrets are known, that none of them
 * occurs (no_known_secret_in, the sweep's own search). Then the passes
 * would return the text as it is, and so does the quick path. What it
 * cannot clear goes through the passes, whose answers for short texts
 * are remembered per thread as long as the known secrets stay the same
 * (memo_redact). Either way the result is the passes' result, byte for
 * byte: the tests and fuzz_redact compare them.
 *
 * This module prints nothing; it returns malloc'd text.
 */
#include "redact.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "sha256.h"
#include "util.h"
#include "vars.h"

#define MASK_TAIL_LEN 17        /* "(sha256:" + 8 hex + ")" */

/* What the pass running on this thread has masked so far (NULL: nothing
 * is learned), and how many masks this thread has made. */
struct known;
static _Thread_local struct known *learning;
static _Thread_local unsigned long masks_made;
static void learn(const char *s, size_t n);
static size_t shape_len(const char *s, size_t n);
static bool is_alnum(int c);

char *redact_mask(const char *secret, size_t len)
{
	unsigned char md[SHA256_LEN];

	if (!secret)
		secret = "";
	sha256(secret, len, md);
	return xasprintf("***(sha256:%02x%02x%02x%02x)", md[0], md[1], md[2],
			 md[3]);
}

static void add_mask(struct sbuf *b, const char *s, size_t n)
{
	char *m = redact_mask(s, n);

	sbuf_add(b, m);
	free(m);
	masks_made++;
	if (learning)
		learn(s, n);
}

/* --- small character helpers --- */

/* ASCII only, whatever the locale: cheaper than isalnum() at every byte
 * of every redacted string (the hottest loop of a 10,000-hook report). */
static bool is_alnum(int c)
{
	unsigned char u = (unsigned char)c;

	return (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t';
}

static size_t span_while(const char *s, size_t n, bool (*cls)(int))
{
	size_t i = 0;

	while (i < n && cls((unsigned char)s[i]))
		i++;
	return i;
}

static bool cls_alnum(int c)
{
	return is_alnum(c);
}

static bool cls_alnum_us(int c)
{
	return is_alnum(c) || c == '_';
}

static bool cls_b64url(int c)
{
	return is_alnum(c) || c == '_' || c == '-';
}

static bool cls_gitlab(int c)
{
	return is_alnum(c) || c == '_' || c == '-' || c == '.';
}

static bool cls_atlassian(int c)
{
	return is_alnum(c) || c == '_' || c == '-' || c == '=';
}

static bool cls_upper_digit(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Characters of a credential after "Bearer " / "Basic ". */
static bool cls_cred(int c)
{
	return is_alnum(c) || strchr("._~+/=-", c) != NULL;
}

/* Characters of a name in "name=value" / "name: value". */
static bool cls_name(int c)
{
	return is_alnum(c) || c == '_' || c == '-' || c == '.';
}

/* An unquoted value after "name=" or "name:" in text. */
static bool cls_value(int c)
{
	return c > ' ' && c != 0x7f && !strchr("\"'&,;<>`)]}", c);
}

static bool has_prefix(const char *s, size_t n, const char *p)
{
	size_t l = strlen(p);

	return n >= l && memcmp(s, p, l) == 0;
}

static bool has_prefix_ci(const char *s, size_t n, const char *p)
{
	size_t l = strlen(p);

	if (n < l)
		return false;
	for (size_t i = 0; i < l; i++)
		if (tolower((unsigned char)s[i]) !=
		    tolower((unsigned char)p[i]))
			return false;
	return true;
}

/* Lower-cased copy of at most 63 bytes; false when longer. */
static bool lower_name(const char *s, size_t n, char out[64])
{
	if (n == 0 || n >= 64)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), l = strlen(suffix);

	return n >= l && strcmp(s + n - l, suffix) == 0;
}

static bool contains_any(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(s, words[i]))
			return true;
	return false;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* --- what is not a secret --- */

/* Length of a piece at s that is never masked: the placeholder, a
 * "{{ ... }}" reference, or a mask already made ("***(sha256:...)" or a
 * bare "***"). 0 when s starts with none of them. */
static size_t exempt_len(const char *s, size_t n)
{
	static const char ph[] = VARS_TOKEN_PLACEHOLDER;
	size_t i;

	if (n == 0 || (s[0] != '$' && s[0] != '{' && s[0] != '*'))
		return 0;
	if (has_prefix(s, n, ph))
		return sizeof(ph) - 1;
	if (n >= 4 && s[0] == '{' && s[1] == '{') {
		for (i = 2; i + 1 < n; i++) {
			if (s[i] == '}' && s[i + 1] == '}')
				break;
			if (s[i] == '\n' || (s[i] == '{' && s[i + 1] == '{'))
				return 0;
		}
		if (i + 1 >= n)
			return 0;
		/* "{{ ghp_... }}" names no variable: a token is in it. */
		for (size_t k = 2; k < i; k++)
			if (!is_alnum(s[k - 1]) && shape_len(s + k, i - k))
				return 0;
		return i + 2;
	}
	if (has_prefix(s, n, "***")) {
		for (i = 3; i < n && s[i] == '*'; i++)
			;
		if (n - i >= MASK_TAIL_LEN &&
		    has_prefix(s + i, n - i, "(sha256:") &&
		    s[i + MASK_TAIL_LEN - 1] == ')') {
			size_t k;

			for (k = 8; k < 16; k++)
				if (!isxdigit((unsigned char)s[i + k]))
					break;
			if (k == 16)
				return i + MASK_TAIL_LEN;
		}
		return i;
	}
	return 0;
}

/* Appends the literal run s[0..n) masked, whitespace around it kept. */
static void add_literal(struct sbuf *b, const char *s, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi && isspace((unsigned char)s[lo]))
		lo++;
	while (hi > lo && isspace((unsigned char)s[hi - 1]))
		hi--;
	sbuf_addn(b, s, lo);
	if (hi > lo)
		add_mask(b, s + lo, hi - lo);
	sbuf_addn(b, s + hi, n - hi);
}

/* A value known to be a secret: every literal part is masked, the
 * placeholder and templates are kept. */
static void mask_literal(struct sbuf *b, const char *s, size_t n)
{
	size_t i = 0, lit = 0;

	while (i < n) {
		size_t e = exempt_len(s + i, n - i);

		if (!e) {
			i++;
			continue;
		}
		add_literal(b, s + lit, i - lit);
		sbuf_addn(b, s + i, e);
		i += e;
		lit = i;
	}
	add_literal(b, s + lit, n - lit);
}

/* Would this word, found after "Bearer" or "name:" in prose, be a
 * credential rather than an ordinary word? Random tokens almost always
 * hold a digit or a symbol, or mix case inside the word; prose does not
 * ("Basic authentication"). Very long runs are credentials anyway. */
static bool looks_like_credential(const char *s, size_t n)
{
	if (n >= 24)
		return true;
	if (n < 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isdigit(c) || strchr("+/=_~", c))
			return true;
		if (i > 0 && isupper(c) && islower((unsigned char)s[i - 1]))
			return true;
	}
	return false;
}

/* --- names --- */

bool redact_is_secret_header(const char *name)
{
	static const char *const words[] = {
		"auth", "token", "secret", "key", "password", "passwd",
		"cookie", "signature", "credential", "session",
	};
	char low[64];

	if (!name || !lower_name(name, strlen(name), low))
		return false;
	return contains_any(low, words, NELEM(words));
}

static bool secret_key_lower(const char *low)
{
	static const char *const words[] = {
		"token", "secret", "password", "passwd", "authorization",
		"credential", "cookie",
	};

	return contains_any(low, words, NELEM(words)) ||
	       ends_with(low, "_key") || ends_with(low, "-key") ||
	       ends_with(low, "apikey") || strcmp(low, "auth") == 0;
}

bool redact_is_secret_key(const char *name)
{
	char low[64];

	if (!name || !lower_name(name, strlen(name), low))
		return false;
	return secret_key_lower(low);
}

/* A URL query (or fragment) parameter whose value is a secret. */
static bool secret_query_name(const char *s, size_t n)
{
	static const char *const words[] = {
		"token", "secret", "password", "passwd", "signature",
		"credential", "apikey", "api_key", "api-key",
	};
	static const char *const exact[] = {
		"key", "sig", "pwd", "pass", "auth", "code",
	};
	char low[64];

	if (!lower_name(s, n, low))
		return false;
	if (contains_any(low, words, NELEM(words)) || ends_with(low, "_key") ||
	    ends_with(low, "-key") || ends_with(low, "_sig"))
		return true;
	for (size_t i = 0; i < NELEM(exact); i++)
		if (strcmp(low, exact[i]) == 0)
			return true;
	return false;
}

/* Headers whose value carries "<scheme> <credential>". */
static bool is_authorization(const char *name, size_t n)
{
	char low[64];

	if (!lower_name(name, n, low))
		return false;
	return strcmp(low, "authorization") == 0 ||
	       strcmp(low, "proxy-authorization") == 0;
}

static bool known_scheme(const char *s, size_t n)
{
	static const char *const schemes[] = {
		"bearer", "basic", "token", "digest", "negotiate", "oauth",
		"bot", "apikey", "ssws",
	};
	char low[64];

	if (!lower_name(s, n, low))
		return false;
	for (size_t i = 0; i < NELEM(schemes); i++)
		if (strcmp(low, schemes[i]) == 0)
			return true;
	return false;
}

/* --- shapes --- */

/* A token of a known shape starting exactly at s? Returns its length. */
static size_t shape_len(const char *s, size_t n)
{
	static const char *const github[] = {"ghp_", "gho_", "ghu_", "ghs_",
					     "ghr_"};
	static const char *const gitlab[] = {
		"glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glimt-",
		"glcbt-", "glsoat-", "gloas-", "glagent-",
	};
	size_t k, l;

	/* Every shape starts with one of these letters. (Compared, not
	 * strchr()'d: this runs at most word starts of every string a report
	 * prints. The NUL is strchr()'s own match, kept as it was.) */
	if (n < 3 || (s[0] != 'g' && s[0] != 'A' && s[0] != 'x' &&
		      s[0] != 'e' && s[0] != '\0'))
		return 0;
	/* "gh", "gi" and "gl" lead to separate lists: a report is full of
	 * "github" and "gitlab", and trying all 16 prefixes on each was a
	 * tenth of the redaction of a 10,000-hook report. */
	for (size_t i = 0; s[1] == 'h' && i < NELEM(github); i++)
		if (has_prefix(s, n, github[i])) {
			k = span_while(s + 4, n - 4, cls_alnum);
			return k >= 20 ? 4 + k : 0;
		}
	if (s[1] == 'i' && has_prefix(s, n, "github_pat_")) {
		k = span_while(s + 11, n - 11, cls_alnum_us);
		return k >= 20 ? 11 + k : 0;
	}
	for (size_t i = 0; s[1] == 'l' && i < NELEM(gitlab); i++)
		if (has_prefix(s, n, gitlab[i])) {
			l = strlen(gitlab[i]);
			k = span_while(s + l, n - l, cls_gitlab);
			while (k > 0 && s[l + k - 1] == '.')
				k--;
			return k >= 20 ? l + k : 0;
		}
	if (has_prefix(s, n, "ATBB")) {
		k = span_while(s + 4, n - 4, cls_alnum);
		return k >= 24 ? 4 + k : 0;
	}
	if (has_prefix(s, n, "ATATT")) {
		k = span_while(s + 5, n - 5, cls_atlassian);
		return k >= 20 ? 5 + k : 0;
	}
	if (has_prefix(s, n, "xox") && n > 4 && strchr("abposre", s[3]) &&
	    s[3] && s[4] == '-') {
		k = span_while(s + 5, n - 5, cls_b64url);
		return k >= 10 ? 5 + k : 0;
	}
	if (has_prefix(s, n, "AKIA")) {
		k = span_while(s + 4, n - 4, cls_upper_digit);
		return k == 16 && (n == 20 || !is_alnum(s[20])) ? 20 : 0;
	}
	if (has_prefix(s, n, "eyJ")) {
		size_t k1 = span_while(s, n, cls_b64url), k2, k3;

		if (k1 < 10 || k1 >= n || s[k1] != '.')
			return 0;
		k2 = span_while(s + k1 + 1, n - k1 - 1, cls_b64url);
		if (k2 < 4)
			return 0;
		/* The signature may be empty ("alg": "none") or cut off where
		 * a URL ends before its last '.' (fuzz_redact): header and
		 * payload are the token either way. */
		l = k1 + 1 + k2;
		if (l >= n || s[l] != '.')
			return l;
		l++;
		k3 = span_while(s + l, n - l, cls_b64url);
		return l + k3;
	}
	return 0;
}

/* "Bearer <cred>" / "Basic <cred>" at s: the credential's offset and
 * length. */
static bool scheme_cred_at(const char *s, size_t n, size_t *off, size_t *len)
{
	size_t j, k;

	if (has_prefix_ci(s, n, "bearer"))
		j = 6;
	else if (has_prefix_ci(s, n, "basic"))
		j = 5;
	else
		return false;
	if (j >= n || !is_space(s[j]))
		return false;
	while (j < n && is_space(s[j]))
		j++;
	k = span_while(s + j, n - j, cls_cred);
	if (!looks_like_credential(s + j, k))
		return false;
	*off = j;
	*len = k;
	return true;
}

/* Length of "<known scheme> " at s (spaces included), or 0. */
static size_t scheme_len_in(const char *s, size_t n)
{
	size_t k = span_while(s, n, cls_name), j;

	if (!known_scheme(s, k) || k >= n || !is_space(s[k]))
		return 0;
	for (j = k; j < n && is_space(s[j]); j++)
		;
	return j;
}

/* Length of an unquoted value at s: cls_value characters, a marker or the
 * placeholder inside it taken whole (a marker's ')' does not end the value:
 * "token=abc***(sha256:...)" cut the marker in two; fuzz_redact). */
static size_t span_value(const char *s, size_t n)
{
	size_t i = 0, e;

	while (i < n) {
		if ((s[i] == '*' || s[i] == '$') &&
		    (e = exempt_len(s + i, n - i)) != 0) {
			i += e;
			continue;
		}
		if (!cls_value((unsigned char)s[i]))
			break;
		i++;
	}
	return i;
}

/* name=value, name: value, "name": "value" with a secret name, at s.
 * Sets the value's offset and length. */
static bool keyval_at(const char *s, size_t n, size_t *off, size_t *len)
{
	size_t j = 0, name, k;
	bool quoted_name = false, authz;
	char low[64];
	char sep;

	if (s[0] == '"') {
		quoted_name = true;
		j = 1;
	}
	name = j;
	k = span_while(s + j, n - j, cls_name);
	/* Cheap test first: most words are not followed by ':' or '='. */
	{
		size_t t = j + k + (quoted_name && j + k < n && s[j + k] == '"');

		while (t < n && is_space(s[t]))
			t++;
		if (k == 0 || t >= n || (s[t] != ':' && s[t] != '='))
			return false;
	}
	if (!lower_name(s + name, k, low) || !secret_key_lower(low))
		return false;
	authz = is_authorization(s + name, k);
	j += k;
	if (quoted_name) {
		if (j >= n || s[j] != '"')
			return false;
		j++;
	}
	while (j < n && is_space(s[j]))
		j++;
	if (j >= n || (s[j] != ':' && s[j] != '='))
		return false;
	sep = s[j++];
	while (j < n && is_space(s[j]))
		j++;
	if (j < n && s[j] == '"') {
		/* A quoted value is masked whatever it looks like. */
		size_t e = j + 1;

		while (e < n && s[e] != '"' && s[e] != '\n') {
			if (s[e] == '\\' && e + 1 < n)
				e++;
			e++;
		}
		if (e >= n || s[e] != '"' || e == j + 1)
			return false;
		j++;
		if (authz)
			j += scheme_len_in(s + j, e - j);
		if (j >= e)
			return false;
		*off = j;
		*len = e - j;
		return true;
	}
	if (authz && (k = scheme_len_in(s + j, n - j)) != 0) {
		j += k;
		sep = '=';      /* after a scheme, any credential counts */
	}
	if (exempt_len(s + j, n - j))
		return false;
	k = span_value(s + j, n - j);
	if (k == 0 || (sep == ':' && !looks_like_credential(s + j, k)))
		return false;
	*off = j;
	*len = k;
	return true;
}

/* --- URLs --- */

/* Length of "scheme://" at s, or 0. */
static size_t scheme_len(const char *s, size_t n)
{
	size_t i = 0;

	/* "//user:pw@host/...": a URL without a scheme, in a path or a
	 * query (tests/secrets), so that its userinfo is found too. */
	if (n >= 3 && s[0] == '/' && s[1] == '/' && s[2] != '/')
		return 2;
	if (n == 0 || !isalpha((unsigned char)s[0]))
		return 0;
	while (i < n && i < 16 &&
	       (is_alnum(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-'))
		i++;
	return i + 3 <= n && s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/'
		? i + 3 : 0;
}

static bool url_stop(int c)
{
	return (unsigned char)c <= ' ' || c == 0x7f || strchr("\"'<>`", c);
}

/* Length of a URL starting at s in free text, or 0. Templates inside it
 * ("{{ action.id }}", spaces and all) and masks belong to it. */
static size_t url_len(const char *s, size_t n)
{
	size_t i = scheme_len(s, n), open = 0, close = 0, keep = 0;

	if (!i || i >= n || url_stop(s[i]))
		return 0;
	while (i < n) {
		/* A mask is one piece too: its ')' is not the sentence's
		 * (redacting twice cut it off; fuzz_redact). */
		size_t e = exempt_len(s + i, n - i);

		if (e) {
			i += e;
			keep = i;
			continue;
		}
		if (url_stop(s[i]))
			break;
		open += s[i] == '(';
		close += s[i] == ')';
		i++;
	}
	/* Punctuation that ends the sentence is not part of the URL. */
	while (i > keep) {
		char c = s[i - 1];

		if (strchr(".,;:!?]", c)) {
			i--;
		} else if (c == ')' && close > open) {
			i--;
			close--;
		} else {
			break;
		}
	}
	return i;
}

/* urls: how deep URLs inside URLs are still taken apart (0: not at all);
 * a URL in another's path or query ("...?next=https://u:pw@h/") has its
 * own userinfo and query, and the depth bounds the recursion. */
#define URL_DEPTH 3
static void scan_text(struct sbuf *b, const char *s, size_t n, int urls);

static void add_userinfo(struct sbuf *b, const char *s, size_t n)
{
	const char *colon;
	bool exempt = false;

	for (size_t i = 0; i < n && !exempt; i++)
		exempt = exempt_len(s + i, n - i) != 0;
	if (!exempt) {
		add_mask(b, s, n);
		return;
	}
	/* The first ':' outside a template, placeholder or mask. */
	colon = NULL;
	for (size_t i = 0; i < n && !colon;) {
		size_t e = exempt_len(s + i, n - i);

		if (e)
			i += e;
		else if (s[i] == ':')
			colon = s + i;
		else
			i++;
	}
	if (!colon) {
		mask_literal(b, s, n);
		return;
	}
	mask_literal(b, s, (size_t)(colon - s));
	sbuf_addc(b, ':');
	mask_literal(b, colon + 1, n - (size_t)(colon - s) - 1);
}

/* "a=1&token=x": secret parameters' values masked, the rest scanned. */
static void add_params(struct sbuf *b, const char *s, size_t n, int urls)
{
	size_t i = 0;

	while (i <= n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - s) : n;
		const char *eq = memchr(s + i, '=', end - i);

		if (eq && secret_query_name(s + i, (size_t)(eq - s) - i)) {
			size_t v = (size_t)(eq - s) + 1;

			/* The name is scanned: it may hold a token too. */
			scan_text(b, s + i, v - 1 - i, 0);
			sbuf_addc(b, '=');
			mask_literal(b, s + v, end - v);
		} else {
			scan_text(b, s + i, end - i, urls);
		}
		if (!amp)
			break;
		sbuf_addc(b, '&');
		i = end + 1;
	}
}

static void add_url(struct sbuf *b, const char *u, size_t n, int urls)
{
	size_t i = scheme_len(u, n), end;

	sbuf_addn(b, u, i);
	if (i) {
		size_t at = 0;
		bool has_at = false;

		for (end = i; end < n && !strchr("/?#", u[end]); end++)
			if (u[end] == '@') {
				at = end;
				has_at = true;
			}
		if (has_at) {
			add_userinfo(b, u + i, at - i);
			sbuf_addc(b, '@');
			i = at + 1;
		}
		/* Scanned, not copied: free text can make a host of anything
		 * ("https://x=glpat-..." was printed in clear; fuzz_redact). */
		scan_text(b, u + i, end - i, 0);
		i = end;
	}
	for (end = i; end < n && u[end] != '?' && u[end] != '#'; end++)
		;
	scan_text(b, u + i, end - i, urls > 0 ? urls - 1 : 0);
	i = end;
	if (i < n && u[i] == '?') {
		sbuf_addc(b, '?');
		for (end = ++i; end < n && u[end] != '#'; end++)
			;
		add_params(b, u + i, end - i, urls > 0 ? urls - 1 : 0);
		i = end;
	}
	if (i < n) {            /* '#': OAuth puts tokens in fragments too */
		sbuf_addc(b, '#');
		i++;
		if (memchr(u + i, '=', n - i))
			add_params(b, u + i, n - i, urls > 0 ? urls - 1 : 0);
		else
			scan_text(b, u + i, n - i, 0);
	}
}

/* --- free text --- */

/* The first token shape or Bearer/Basic credential in s[0..n). */
static bool find_token(const char *s, size_t n, size_t *start, size_t *len)
{
	size_t i = 0, e, off, k;

	while (i < n) {
		/* exempt_len() and scheme_cred_at() start on these bytes
		 * only: a call of each per byte was HD205's cost. */
		if ((s[i] == '$' || s[i] == '{' || s[i] == '*') &&
		    (e = exempt_len(s + i, n - i)) != 0) {
			i += e;
			continue;
		}
		if (i == 0 || !is_alnum(s[i - 1])) {
			k = shape_len(s + i, n - i);
			if (k) {
				*start = i;
				*len = k;
				return true;
			}
			if ((s[i] | 0x20) == 'b' &&
			    scheme_cred_at(s + i, n - i, &off, &k)) {
				*start = i + off;
				*len = k;
				return true;
			}
		}
		i++;
	}
	return false;
}

/* "Bearer <cred>" / "Basic <cred>" at s, the credential in clear or
 * already masked (so that redacting twice changes nothing). */
static bool cred_follows(const char *s, size_t n)
{
	size_t off, k = span_while(s, n, cls_name);

	if (scheme_cred_at(s, n, &off, &off))
		return true;
	if (!(k == 6 && has_prefix_ci(s, n, "bearer")) &&
	    !(k == 5 && has_prefix_ci(s, n, "basic")))
		return false;
	while (k < n && is_space(s[k]))
		k++;
	return k < n && s[k] == '*' && exempt_len(s + k, n - k) != 0;
}

/* Offset of the first "//" at or after from in s[0..n), or n. */
static size_t next_slashes(const char *s, size_t n, size_t from)
{
	const char *p = s + from, *end = s + n;

	while (p + 1 < end && (p = memchr(p, '/', (size_t)(end - p - 1))) != NULL) {
		if (p[1] == '/')
			return (size_t)(p - s);
		p++;
	}
	return n;
}

static void scan_text(struct sbuf *b, const char *s, size_t n, int urls)
{
	size_t i = 0, lit = 0;
	/* Where the next "//" is: a URL can only start at most 17 bytes
	 * before one ("scheme:" is at most 16 + 1), so most words need no
	 * URL test at all. */
	size_t slashes = urls ? next_slashes(s, n, 0) : n;

	while (i < n) {
		size_t e, off, k;

		/* exempt_len() looks at these only; a call per byte was a
		 * measurable part of a report (tools/bench.sh). */
		if ((s[i] == '$' || s[i] == '{' || s[i] == '*') &&
		    (e = exempt_len(s + i, n - i)) != 0) {
			i += e;
			continue;
		}
		/* Where a mask or URL just ended is a word start too
		 * ("<token>\"token\":\"t\""; fuzz_redact). */
		if (i > lit && is_alnum(s[i - 1])) {
			i++;
			continue;
		}
		/* A token first: "xoxb-1456abcdef://x" is no URL whose scheme
		 * may be shown (fuzz_redact). */
		if ((k = shape_len(s + i, n - i)) != 0) {
			off = 0;
		} else if (urls && slashes < n &&
			   (slashes >= i || (slashes = next_slashes(s, n, i)) < n) &&
			   slashes <= i + 17 && (is_alnum(s[i]) || s[i] == '/') &&
			   (k = url_len(s + i, n - i)) != 0) {
			size_t w = k;

			/* "https://h/Bearer <cred>": the URL ends before the
			 * scheme word, which is scanned with its credential
			 * (fuzz_redact). */
			while (w > 0 && isalpha((unsigned char)s[i + w - 1]))
				w--;
			if (w > 0 && w < k && k < n - i && is_space(s[i + k]) &&
			    cred_follows(s + i + w, n - i - w))
				k = w;
			sbuf_addn(b, s + lit, i - lit);
			add_url(b, s + i, k, urls);
			i += k;
			lit = i;
			continue;
		} else if (((s[i] | 0x20) == 'b' &&
			    scheme_cred_at(s + i, n - i, &off, &k)) ||
			   ((cls_name((unsigned char)s[i]) || s[i] == '"') &&
			    keyval_at(s + i, n - i, &off, &k))) {
			/* off, k set */
		} else {
			/* Nothing starts here: skip the rest of the word, whose
			 * positions are not word starts. */
			if (is_alnum(s[i]))
				while (i + 1 < n && is_alnum(s[i + 1]))
					i++;
			i++;
			continue;
		}
		/* What leads to the value ("Bearer ", "name: ") is scanned
		 * too: a name can hold a token ("x_ghu_...Authorization:";
		 * fuzz_redact). It holds no value, so no keyval matches. */
		sbuf_addn(b, s + lit, i - lit);
		scan_text(b, s + i, off, 0);
		mask_literal(b, s + i + off, k);
		i += off + k;
		lit = i;
	}
	sbuf_addn(b, s + lit, n - lit);
}

/* --- what needs no scan --- */

/* Does low[0..n) hold word (NUL-terminated) at i? */
static bool word_at(const char *low, size_t n, size_t i, const char *word)
{
	size_t l = strlen(word);

	return n - i >= l && memcmp(low + i, word, l) == 0;
}

/* Could the run of name characters s[0..n) (lower-cased) hold a name
 * keyval_at() takes for a secret (secret_key_lower())? The run may be
 * longer than the name keyval_at() reads (it starts at a word start
 * inside the run), so this answers for any suffix: "contains" and "ends
 * with" carry over, and "is auth" becomes "ends with auth". */
static bool run_may_be_secret_key(const char *s, size_t n)
{
	char low[256];

	if (n < 4)
		return false;           /* every word below is 4 or longer */
	if (n >= sizeof(low))
		return true;            /* rare: let the scan decide */
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[n] = '\0';
	for (size_t i = 0; i + 4 <= n; i++) {
		switch (low[i]) {
		case 't':
			if (word_at(low, n, i, "token"))
				return true;
			break;
		case 's':
			if (word_at(low, n, i, "secret"))
				return true;
			break;
		case 'p':
			if (word_at(low, n, i, "password") ||
			    word_at(low, n, i, "passwd"))
				return true;
			break;
		case 'a':
			if (word_at(low, n, i, "authorization"))
				return true;
			break;
		case 'c':
			if (word_at(low, n, i, "credential") ||
			    word_at(low, n, i, "cookie"))
				return true;
			break;
		default:
			break;
		}
	}
	return ends_with(low, "_key") || ends_with(low, "-key") ||
	       ends_with(low, "apikey") || ends_with(low, "auth");
}

/* Byte classes for text_needs_no_scan(). */
enum { TC_OTHER, TC_ALNUM, TC_SHAPE, TC_SEP, TC_SLASH };

static const unsigned char text_class[256] = {
	['0'] = TC_ALNUM, ['1'] = TC_ALNUM, ['2'] = TC_ALNUM,
	['3'] = TC_ALNUM, ['4'] = TC_ALNUM, ['5'] = TC_ALNUM,
	['6'] = TC_ALNUM, ['7'] = TC_ALNUM, ['8'] = TC_ALNUM,
	['9'] = TC_ALNUM,
	['A'] = TC_SHAPE, ['B'] = TC_SHAPE, ['C'] = TC_ALNUM,
	['D'] = TC_ALNUM, ['E'] = TC_ALNUM, ['F'] = TC_ALNUM,
	['G'] = TC_ALNUM, ['H'] = TC_ALNUM, ['I'] = TC_ALNUM,
	['J'] = TC_ALNUM, ['K'] = TC_ALNUM, ['L'] = TC_ALNUM,
	['M'] = TC_ALNUM, ['N'] = TC_ALNUM, ['O'] = TC_ALNUM,
	['P'] = TC_ALNUM, ['Q'] = TC_ALNUM, ['R'] = TC_ALNUM,
	['S'] = TC_ALNUM, ['T'] = TC_ALNUM, ['U'] = TC_ALNUM,
	['V'] = TC_ALNUM, ['W'] = TC_ALNUM, ['X'] = TC_ALNUM,
	['Y'] = TC_ALNUM, ['Z'] = TC_ALNUM,
	['a'] = TC_ALNUM, ['b'] = TC_SHAPE, ['c'] = TC_ALNUM,
	['d'] = TC_ALNUM, ['e'] = TC_SHAPE, ['f'] = TC_ALNUM,
	['g'] = TC_SHAPE, ['h'] = TC_ALNUM, ['i'] = TC_ALNUM,
	['j'] = TC_ALNUM, ['k'] = TC_ALNUM, ['l'] = TC_ALNUM,
	['m'] = TC_ALNUM, ['n'] = TC_ALNUM, ['o'] = TC_ALNUM,
	['p'] = TC_ALNUM, ['q'] = TC_ALNUM, ['r'] = TC_ALNUM,
	['s'] = TC_ALNUM, ['t'] = TC_ALNUM, ['u'] = TC_ALNUM,
	['v'] = TC_ALNUM, ['w'] = TC_ALNUM, ['x'] = TC_SHAPE,
	['y'] = TC_ALNUM, ['z'] = TC_ALNUM,
	[':'] = TC_SEP, ['='] = TC_SEP, ['/'] = TC_SLASH,
};

/* Does a token shape or a "Bearer"/"Basic <credential>" start at word
 * start s[0]? The scanner's own tests, in the order it makes them. */
static bool shape_or_scheme_at(const char *s, size_t n)
{
	size_t off, k;

	if ((s[0] | 0x20) == 'b')
		return scheme_cred_at(s, n, &off, &k);
	return shape_len(s, n) != 0;
}

/* A ':' or '=' at s[i]: may keyval_at() take what comes before it for
 * a secret name? */
static bool sep_may_follow_secret_name(const char *s, size_t i)
{
	size_t j = i, k;

	while (j > 0 && is_space(s[j - 1]))
		j--;
	if (j > 0 && s[j - 1] == '"')
		j--;
	for (k = j; k > 0 && cls_name((unsigned char)s[k - 1]); k--)
		;
	return k < j && run_may_be_secret_key(s + k, j - k);
}

/*
 * True when scan_text() would return s[0..n) unchanged, judged by one
 * cheap pass; false means "scan it" (not "it holds a secret"). Most of
 * what a report prints (check messages, names, positions) has nothing
 * any rule of scan_text() starts on, and a 10,000-hook report spent a
 * fifth of its time proving that the long way (tools/bench.sh).
 *
 * Every rule of scan_text() needs something this pass looks for, at a
 * position where scan_text() tries it (a word start: the first byte or
 * one after a byte that is not a letter or digit; nothing has matched
 * before it, or the text would not come back unchanged):
 *   - a token shape (shape_len) or "Bearer"/"Basic <credential>"
 *     (scheme_cred_at): the same tests, at each word start that begins
 *     with a letter one of them starts with (g, A, x, e, b, B). Where a
 *     URL's pieces are scanned one by one, a piece ends at a byte these
 *     spans never cross or at one that only makes them longer, so the
 *     test over the whole rest finds whatever the piece's would;
 *   - a URL (url_len): a "//" anywhere;
 *   - "name: value" / "name=value" (keyval_at): a ':' or '=' after a run
 *     of name characters (an optional '"' and blanks between) that may
 *     hold a secret name.
 * Anything else (the placeholder, templates, masks) is copied as it is.
 * tests/unit/test_redact.c and tests/fuzz/fuzz_redact.c compare this
 * with the full scan.
 */
static bool text_needs_no_scan(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	bool in_word = false;   /* u[i - 1] is a letter or digit */

	for (size_t i = 0; i < n; i++) {
		unsigned char k = text_class[u[i]];

		if (k <= TC_ALNUM) {    /* the common case, kept branch-light */
			in_word = k == TC_ALNUM;
			continue;
		}
		switch (k) {
		case TC_SHAPE:
			if (!in_word && shape_or_scheme_at(s + i, n - i))
				return false;
			in_word = true;
			break;
		case TC_SEP:
			if (sep_may_follow_secret_name(s, i))
				return false;
			in_word = false;
			break;
		case TC_SLASH:
			if (i + 1 < n && u[i + 1] == '/')
				return false;
			in_word = false;
			break;
		default:
			break;
		}
	}
	return true;
}

/*
 * True when add_url() would return u[0..n) unchanged. Past the scheme,
 * add_url() masks userinfo (an '@' before the first '/', '?' or '#'),
 * the values of secret query and fragment parameters, and otherwise
 * scans each piece as text; every piece starts at the start of the rest
 * or after a byte that is no letter or digit, so text_needs_no_scan()
 * over the whole rest answers for each of them.
 *
 * A parameter is what add_params() takes it for: the query (after the
 * first '?', up to the first '#') and the fragment are cut at '&' only,
 * and a parameter's name runs from its start to its first '=', a '?',
 * '#' or '=' before that included ("#@passwd_?=x" names "@passwd_?",
 * which holds "passwd": cutting the name at the '?' missed it). Each '='
 * is tried with the name from its parameter's start, so the real name is
 * always one of those tried.
 */
static bool url_needs_no_scan(const char *u, size_t n)
{
	size_t i = scheme_len(u, n), p, start;
	bool query;

	for (p = i; i && p < n && !strchr("/?#", u[p]); p++)
		if (u[p] == '@')
			return false;
	for (p = i; p < n && u[p] != '?' && u[p] != '#'; p++)
		;
	query = p < n && u[p] == '?';
	for (start = ++p; p < n; p++) {
		if (u[p] == '&' || (query && u[p] == '#')) {
			query = query && u[p] != '#';
			start = p + 1;
		} else if (u[p] == '=' && secret_query_name(u + start, p - start)) {
			return false;
		}
	}
	return text_needs_no_scan(u + i, n - i);
}

/* --- known secrets --- */

/* A set of strings of at least REDACT_KNOWN_MIN bytes, hashed on their
 * first 8 bytes so that a text is searched for all of them at once: one
 * hash per byte, a comparison only where one may start. */
struct known {
	struct kent {
		char *s;
		size_t n, next;         /* next: index + 1 in its bucket */
	} *e;
	size_t len, cap;
	size_t *head;                   /* index + 1 of a bucket's first */
	size_t nb;                      /* buckets, a power of two */
};

_Static_assert(REDACT_KNOWN_MIN == 8, "known_hash reads 8 bytes");

static size_t known_hash(const char *s, size_t nb)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return (size_t)((w * 0x9E3779B97F4A7C15ull) >> 40) & (nb - 1);
}

/* Length of the longest string of k that s starts with, or 0. */
static size_t known_match(const struct known *k, const char *s, size_t n)
{
	size_t best = 0;

	if (!k || !k->len || n < REDACT_KNOWN_MIN)
		return 0;
	for (size_t i = k->head[known_hash(s, k->nb)]; i; i = k->e[i - 1].next) {
		const struct kent *e = &k->e[i - 1];

		if (e->n <= n && e->n > best && memcmp(e->s, s, e->n) == 0)
			best = e->n;
	}
	return best;
}

static void known_put(struct known *k, const char *s, size_t n)
{
	size_t h;

	if (n < REDACT_KNOWN_MIN || known_match(k, s, n) == n)
		return;
	for (size_t i = k->len ? k->head[known_hash(s, k->nb)] : 0; i;
	     i = k->e[i - 1].next)
		if (k->e[i - 1].n == n && memcmp(k->e[i - 1].s, s, n) == 0)
			return;
	if (k->len == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 8;
		k->e = xrealloc(k->e, k->cap * sizeof(*k->e));
	}
	if (2 * (k->len + 1) > k->nb) {
		k->nb = k->nb ? 2 * k->nb : 16;
		free(k->head);
		k->head = xcalloc(k->nb, sizeof(*k->head));
		for (size_t i = 0; i < k->len; i++) {
			h = known_hash(k->e[i].s, k->nb);
			k->e[i].next = k->head[h];
			k->head[h] = i + 1;
		}
	}
	k->e[k->len].s = xmalloc(n);
	memcpy(k->e[k->len].s, s, n);
	k->e[k->len].n = n;
	h = known_hash(s, k->nb);
	k->e[k->len].next = k->head[h];
	k->head[h] = ++k->len;
}

static void known_free(struct known *k)
{
	for (size_t i = 0; i < k->len; i++)
		free(k->e[i].s);
	free(k->e);
	free(k->head);
	memset(k, 0, sizeof(*k));
}

static char *encode_percent(const char *s, size_t n, bool lower)
{
	static const char up[] = "0123456789ABCDEF", lo[] = "0123456789abcdef";
	const char *hex = lower ? lo : up;
	struct sbuf b = {0};

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_alnum(c) || strchr("-._~", c)) {
			sbuf_addc(&b, (char)c);
		} else {
			sbuf_addc(&b, '%');
			sbuf_addc(&b, hex[c >> 4]);
			sbuf_addc(&b, hex[c & 15]);
		}
	}
	return sbuf_detach(&b);
}

static char *encode_json(const char *s, size_t n)
{
	struct sbuf b = {0};

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" :
				  c == '\b' ? "\\b" : c == '\f' ? "\\f" :
				  c == '\n' ? "\\n" : c == '\r' ? "\\r" :
				  c == '\t' ? "\\t" : NULL;

		if (esc)
			sbuf_add(&b, esc);
		else if (c < 0x20)
			sbuf_addf(&b, "\\u%04x", c);
		else
			sbuf_addc(&b, (char)c);
	}
	return sbuf_detach(&b);
}

/* s as base64 decoded into printable ASCII holding a ':' (a Basic
 * credential); malloc'd, or NULL. */
static char *decode_basic(const char *s, size_t n)
{
	struct sbuf b = {0};
	unsigned long v = 0;
	int bits = 0;
	size_t i;
	char *r;

	for (i = 0; i < n && s[i] != '='; i++) {
		/* the standard alphabet only, as a Basic credential has */
		int d = s[i] == '-' || s[i] == '_' ? -1
			: base64_digit((unsigned char)s[i]);

		if (d < 0)
			break;
		v = (v << 6) | (unsigned long)d;
		bits += 6;
		if (bits >= 8) {
			unsigned char c = (unsigned char)((v >> (bits - 8)) & 0xff);

			bits -= 8;
			if (c < 0x20 || c >= 0x7f) {
				sbuf_free(&b);
				return NULL;
			}
			sbuf_addc(&b, (char)c);
		}
	}
	while (i < n && s[i] == '=')
		i++;
	if (i != n || !b.s || !strchr(b.s, ':')) {
		sbuf_free(&b);
		return NULL;
	}
	r = sbuf_detach(&b);
	return r;
}

/* Can s be known? Long enough, and holding no marker, template or
 * placeholder: those are never masked, so neither is what holds them. */
static bool knowable(const char *s, size_t n)
{
	if (n < REDACT_KNOWN_MIN || memchr(s, '\0', n))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strchr("*${", s[i]) && exempt_len(s + i, n - i))
			return false;
	return true;
}

static void put_owned(struct known *k, char *s)
{
	known_put(k, s, strlen(s));
	free(s);
}

/* s and its encodings into k; "user:password" also as base64 and its
 * password alone, a base64 Basic credential also decoded. */
static void known_add(struct known *k, const char *s, size_t n, int depth)
{
	const char *colon;

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!knowable(s, n))
		return;
	known_put(k, s, n);
	put_owned(k, encode_percent(s, n, false));
	put_owned(k, encode_percent(s, n, true));
	put_owned(k, encode_json(s, n));
	colon = memchr(s, ':', n);
	if (colon) {
		size_t u = (size_t)(colon - s);
		char *b64 = base64_encode(s, n), *pu, *pp, *eq;

		known_put(k, b64, strlen(b64));
		if ((eq = strchr(b64, '=')) != NULL)
			known_put(k, b64, (size_t)(eq - b64));
		free(b64);
		/* in URL userinfo the ':' stays as it is */
		pu = encode_percent(s, u, false);
		pp = encode_percent(colon + 1, n - u - 1, false);
		put_owned(k, xasprintf("%s:%s", pu, pp));
		free(pu);
		free(pp);
		if (depth < 2)
			known_add(k, colon + 1, n - u - 1, depth + 1);
	} else if (depth < 2) {
		char *dec = decode_basic(s, n);

		if (dec) {
			known_add(k, dec, strlen(dec), depth + 1);
			free(dec);
		}
	}
}

/* The process-wide known secrets; read under the lock, and not at all
 * while there are none (the common case costs one atomic load).
 * gknown_gen changes whenever the list does (it grows, or is forgotten):
 * the memo of full redactions is keyed by it. */
static struct known gknown;
static pthread_rwlock_t gknown_lock = PTHREAD_RWLOCK_INITIALIZER;
static atomic_size_t gknown_len;
static atomic_ulong gknown_gen;

static void learn(const char *s, size_t n)
{
	if (n >= REDACT_KNOWN_MIN)
		known_add(learning, s, n, 0);
}

static void global_merge(const struct known *k)
{
	size_t before;

	if (!k->len)
		return;
	pthread_rwlock_wrlock(&gknown_lock);
	before = gknown.len;
	for (size_t i = 0; i < k->len; i++)
		known_put(&gknown, k->e[i].s, k->e[i].n);
	/* Each hook is loaded twice (validation, then analysis): learning
	 * the same values again leaves the generation as it is. */
	if (gknown.len != before)
		atomic_fetch_add(&gknown_gen, 1);
	atomic_store(&gknown_len, gknown.len);
	pthread_rwlock_unlock(&gknown_lock);
}

void redact_add_secret(const char *value)
{
	struct known k = {0};

	if (!value)
		return;
	known_add(&k, value, strlen(value), 0);
	global_merge(&k);
	known_free(&k);
}

void redact_forget_secrets(void)
{
	pthread_rwlock_wrlock(&gknown_lock);
	known_free(&gknown);
	atomic_fetch_add(&gknown_gen, 1);
	atomic_store(&gknown_len, 0);
	pthread_rwlock_unlock(&gknown_lock);
}

char *redact_encode_percent(const char *s)
{
	return encode_percent(s ? s : "", s ? strlen(s) : 0, false);
}

char *redact_encode_json(const char *s)
{
	return encode_json(s ? s : "", s ? strlen(s) : 0);
}

/* Does a marker or the placeholder start inside s[i+1 .. i+len)? */
static bool crosses_exempt(const char *s, size_t n, size_t i, size_t len)
{
	for (size_t j = i + 1; j < i + len; j++)
		if ((s[j] == '*' || s[j] == '$') && exempt_len(s + j, n - j))
			return true;
	return false;
}

/* Where sweep() masks next: the first place at or after *i where a known
 * secret (of the process when global, or of local) starts outside a
 * marker or the placeholder and does not cross one. Returns its length,
 * with *i at it, or 0 when there is none. The caller holds the read lock
 * when global. */
static size_t known_next(const char *s, size_t n, size_t *i,
			 const struct known *local, bool global)
{
	size_t e;

	while (*i + REDACT_KNOWN_MIN <= n) {
		size_t l, lg;

		if ((s[*i] == '*' || s[*i] == '$') &&
		    (e = exempt_len(s + *i, n - *i)) != 0) {
			*i += e;
			continue;
		}
		l = known_match(local, s + *i, n - *i);
		lg = global ? known_match(&gknown, s + *i, n - *i) : 0;
		if (lg > l)
			l = lg;
		if (l && !crosses_exempt(s, n, *i, l))
			return l;
		(*i)++;
	}
	return 0;
}

/* s with every occurrence of a known secret (of the process, or of
 * local) masked; markers and the placeholder are skipped whole. Returns s
 * itself when nothing was masked, else a new string (s freed). */
static char *sweep(char *s, const struct known *local)
{
	bool global = atomic_load(&gknown_len) != 0;
	size_t n, i = 0, lit = 0, l;
	struct sbuf b = {0};

	if (!global && (!local || !local->len))
		return s;
	n = strlen(s);
	if (global)
		pthread_rwlock_rdlock(&gknown_lock);
	while ((l = known_next(s, n, &i, local, global)) != 0) {
		char *m = redact_mask(s + i, l);

		sbuf_addn(&b, s + lit, i - lit);
		sbuf_add(&b, m);
		free(m);
		masks_made++;
		i += l;
		lit = i;
	}
	if (global)
		pthread_rwlock_unlock(&gknown_lock);
	if (lit == 0)
		return s;
	sbuf_addn(&b, s + lit, n - lit);
	free(s);
	return sbuf_detach(&b);
}

/* Would sweep() leave s[0..n) as it is, given no secret of its own (a
 * pass that masked nothing learned nothing)? One hash per byte while
 * secrets are known, nothing at all while none is. */
static bool no_known_secret_in(const char *s, size_t n)
{
	size_t i = 0;
	bool found;

	if (atomic_load(&gknown_len) == 0)
		return true;
	pthread_rwlock_rdlock(&gknown_lock);
	found = known_next(s, n, &i, NULL, true) != 0;
	pthread_rwlock_unlock(&gknown_lock);
	return !found;
}

/*
 * Would redact_text() / redact_url() return s[0..n) as it is? The first
 * pass of redact_rounds() changes nothing when scan_text() (add_url())
 * masks nothing, which the quick pass proves, and then its sweep has
 * only the process's known secrets to look for (nothing was masked, so
 * nothing was learned): when none of them occurs either, the pass masked
 * nothing and no second pass runs. False means "run the passes".
 */
static bool text_unchanged(const char *s, size_t n)
{
	return text_needs_no_scan(s, n) && no_known_secret_in(s, n);
}

static bool url_unchanged(const char *u, size_t n)
{
	return url_needs_no_scan(u, n) && no_known_secret_in(u, n);
}

/* --- entry points --- */

enum pass_kind { PASS_TEXT, PASS_URL, PASS_HEADER };

/* redact_header's pass: the value of a secret header. */
static void header_pass(struct sbuf *b, const char *name, const char *value)
{
	size_t n = strlen(value), j = 0, k;

	if (!name || !redact_is_secret_header(name)) {
		scan_text(b, value, n, URL_DEPTH);
		return;
	}
	if (is_authorization(name, strlen(name))) {
		while (j < n && is_space(value[j]))
			j++;
		k = span_while(value + j, n - j, cls_name);
		if (k && j + k == n && known_scheme(value + j, k)) {
			sbuf_add(b, value);        /* "Bearer" alone */
			return;
		}
		if (k && j + k < n && is_space(value[j + k]) &&
		    isalpha((unsigned char)value[j])) {
			j += k;
			while (j < n && is_space(value[j]))
				j++;
			sbuf_addn(b, value, j);
		} else {
			j = 0;
		}
	}
	mask_literal(b, value + j, n - j);
}

/* One pass over s, what it masks learned into *k, then the sweep. */
static char *one_pass(enum pass_kind kind, const char *name, const char *s,
		      struct known *k)
{
	struct known *saved = learning;
	struct sbuf b = {0};
	char *r;

	learning = k;
	if (kind == PASS_TEXT)
		scan_text(&b, s, strlen(s), URL_DEPTH);
	else if (kind == PASS_URL)
		add_url(&b, s, strlen(s), URL_DEPTH);
	else
		header_pass(&b, name, s);
	learning = saved;
	r = sbuf_detach(&b);
	return sweep(r, k);
}

/* Passes until one masks nothing more, so that the result is a fixed
 * point: redacting it again gives it back (at most REDACT_ROUNDS). */
#define REDACT_ROUNDS 8
static char *redact_rounds(enum pass_kind kind, const char *name,
			   const char *s)
{
	struct known k = {0};
	unsigned long before = masks_made;
	char *r = one_pass(kind, name, s, &k);

	for (int round = 1; round < REDACT_ROUNDS && masks_made != before;
	     round++) {
		before = masks_made;
		char *again = one_pass(kind, name, r, &k);

		free(r);
		r = again;
	}
	known_free(&k);
	return r;
}
char *redact_text_full(const char *text)
{
	return redact_rounds(PASS_TEXT, NULL, text ? text : "");
}

char *redact_url_full(const char *url)
{
	return redact_rounds(PASS_URL, NULL, url ? url : "");
}

/*
 * The last full redactions of short texts, per thread: what the quick
 * pass cannot clear is mostly the same few texts again and again (the
 * sample action's links in HD404/HD405, "Authorization: Bearer <token>
 * is a form ... accepts"), and the passes cost fifty times the quick
 * one. The redaction of a text depends on the text and on the known
 * secrets of the process, which only grow while hooks are loaded: an
 * answer is kept with the generation of the known secrets it was made
 * with (gknown_gen, read before it was made) and used only while that
 * generation is current, so a secret learned later is never missed.
 * Fixed-size and in thread-local storage: nothing to free, nothing
 * shared between threads.
 */
enum { MEMO_SLOTS = 64, MEMO_IN = 200, MEMO_OUT = 400 };

struct memo {
	unsigned hash;
	unsigned char kind;     /* 0 empty, 1 text, 2 URL, 3 secret header,
				   4 Authorization */
	bool same;              /* the redaction is the text itself */
	unsigned short inlen, outlen;
	unsigned long gen;      /* gknown_gen the answer was made with */
	char in[MEMO_IN];
	char out[MEMO_OUT];
};

static _Thread_local struct memo memos[MEMO_SLOTS];

static unsigned memo_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;       /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The redaction of s[0..n) by full(), through the memo; like the
 * *_shared() functions, s itself or a copy in *owned. */
static const char *memo_redact(unsigned char kind, const char *s, size_t n,
			       char **owned, char *(*full)(const char *))
{
	unsigned h;
	unsigned long gen;
	struct memo *m;
	char *out;
	size_t outlen;

	if (n >= MEMO_IN)
		return *owned = full(s);
	/* Read before the answer is made: a secret learned meanwhile makes
	 * the answer's generation old, never one it did not see current. */
	gen = atomic_load(&gknown_gen);
	h = memo_hash(s, n) ^ kind;
	m = &memos[h % MEMO_SLOTS];
	if (m->kind == kind && m->hash == h && m->gen == gen &&
	    m->inlen == n && memcmp(m->in, s, n) == 0) {
		if (m->same)
			return s;
		return *owned = xstrndup(m->out, m->outlen);
	}
	out = full(s);
	outlen = strlen(out);
	if (outlen < MEMO_OUT) {
		m->kind = kind;
		m->hash = h;
		m->gen = gen;
		m->inlen = (unsigned short)n;
		memcpy(m->in, s, n);
		m->same = outlen == n && memcmp(out, s, n) == 0;
		m->outlen = (unsigned short)outlen;
		memcpy(m->out, out, outlen);
	}
	return *owned = out;
}

unsigned long redact_generation(void)
{
	return atomic_load(&gknown_gen);
}

/*
 * The short texts the quick test cleared lately, per thread. A report
 * says the same things of every hook ("each status change sends one
 * request", the sample action's commit): 85% of the bytes given to
 * redact_text_shared() by a check of tools/gen-hooks.py's hooks had been
 * given before. Finding a text here costs a hash eight bytes at a time
 * and a comparison; the quick test, a branch or two a byte. An entry
 * holds the whole text, so only the same text is ever cleared by it, and
 * the known secrets' generation read before the test, as the memo's
 * answers do: a secret learned since makes it old.
 */
enum { CLEAN_SLOTS = 512, CLEAN_MAX = 200 };

struct clean {
	uint64_t hash;
	unsigned long gen;
	unsigned char kind;     /* 0 empty, 1 text, 2 URL */
	unsigned short len;
	char text[CLEAN_MAX];
};

static _Thread_local struct clean cleans[CLEAN_SLOTS];

/* The hash's last word, for a tail of n % 8 bytes: the last 8 bytes of
 * s[0..n) when n is 8 or more (overlapping the words before), else every
 * byte of s from two overlapping loads of 4 or of 2 bytes, or the one.
 * Loads of a fixed size: a copy of a variable length into a word, then a
 * load of the word, stalled store forwarding (half the memo's time). */
static uint64_t tail_word(const char *s, size_t n)
{
	uint64_t w = 0;
	uint32_t w4;
	uint16_t w2;

	if (n >= 8) {
		memcpy(&w, s + n - 8, 8);
		return w;
	}
	if (n >= 4) {
		memcpy(&w4, s, 4);
		w = w4;
		memcpy(&w4, s + n - 4, 4);
		return w | (uint64_t)w4 << 32;
	}
	if (n >= 2) {
		memcpy(&w2, s, 2);
		w = w2;
		memcpy(&w2, s + n - 2, 2);
		return w | (uint64_t)w2 << 16;
	}
	return n ? (unsigned char)s[0] : 0;
}

static uint64_t clean_hash(const char *s, size_t n)
{
	const uint64_t mul = 0xff51afd7ed558ccdull;
	uint64_t h = n * 0x9e3779b97f4a7c15ull, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * mul;
		h ^= h >> 32;
	}
	if (i < n) {
		h = (h ^ tail_word(s, n)) * mul;
		h ^= h >> 32;
	}
	return h;
}

/* Would text_unchanged() (kind 1) or url_unchanged() (kind 2) say yes to
 * s[0..n)? Through the table above. */
static bool unchanged(unsigned char kind, const char *s, size_t n)
{
	unsigned long gen;
	uint64_t h;
	struct clean *c;
	bool same;

	if (n > CLEAN_MAX)
		return kind == 1 ? text_unchanged(s, n) : url_unchanged(s, n);
	gen = atomic_load(&gknown_gen);
	h = clean_hash(s, n) ^ kind;
	c = &cleans[h % CLEAN_SLOTS];
	if (c->kind == kind && c->hash == h && c->gen == gen && c->len == n &&
	    memcmp(c->text, s, n) == 0)
		return true;
	same = kind == 1 ? text_unchanged(s, n) : url_unchanged(s, n);
	if (same) {
		c->kind = kind;
		c->hash = h;
		c->gen = gen;
		c->len = (unsigned short)n;
		memcpy(c->text, s, n);
	}
	return same;
}

const char *redact_text_shared(const char *text, char **owned)
{
	size_t n;

	*owned = NULL;
	if (!text)
		return NULL;
	n = strlen(text);
	if (unchanged(1, text, n))
		return text;
	return memo_redact(1, text, n, owned, redact_text_full);
}

char *redact_text(const char *text)
{
	char *owned;
	const char *r;

	if (!text)
		return xstrdup("");
	r = redact_text_shared(text, &owned);
	return owned ? owned : xstrdup(r);
}

const char *redact_url_shared(const char *url, char **owned)
{
	size_t n;

	*owned = NULL;
	if (!url)
		return NULL;
	n = strlen(url);
	if (unchanged(2, url, n))
		return url;
	return memo_redact(2, url, n, owned, redact_url_full);
}

char *redact_url(const char *url)
{
	char *owned;
	const char *r;

	if (!url)
		return xstrdup("");
	r = redact_url_shared(url, &owned);
	return owned ? owned : xstrdup(r);
}

char *redact_header_full(const char *name, const char *value)
{
	return redact_rounds(PASS_HEADER, name, value ? value : "");
}

/* header_pass() depends on a secret header's name only through
 * is_authorization(): these two stand for every name. */
static char *secret_header_full(const char *value)
{
	return redact_rounds(PASS_HEADER, "token", value);
}

static char *authorization_full(const char *value)
{
	return redact_rounds(PASS_HEADER, "Authorization", value);
}

char *redact_header(const char *name, const char *value)
{
	char *owned = NULL;
	const char *r;
	bool authz;

	if (!value)
		return xstrdup("");
	/* The value of any other header is text: the same passes
	 * (header_pass), so the quick pass and the memo answer for it. */
	if (!name || !redact_is_secret_header(name))
		return redact_text(value);
	/* A secret header's value is always masked, and reports repeat the
	 * same few ("PRIVATE-TOKEN: <token>" in evidence): the memo
	 * answers, keyed by the kind of name. */
	authz = is_authorization(name, strlen(name));
	r = memo_redact(authz ? 4 : 3, value, strlen(value), &owned,
			authz ? authorization_full : secret_header_full);
	return owned ? owned : xstrdup(r);
}

/* Would the scan of one_pass(kind, name, s) mask nothing, and so teach
 * nothing? "Yes" only where that is sure: the quick pass for text and
 * URLs, and for a secret header a value made of templates, the
 * placeholder and blanks alone (mask_literal() has no literal to mask;
 * a scheme word makes the answer "no"). The loader asks this for every
 * header and URL of every hook, twice. */
static bool pass_masks_nothing(enum pass_kind kind, const char *name,
			       const char *s)
{
	size_t n = strlen(s), e;

	if (kind == PASS_URL)
		return url_needs_no_scan(s, n);
	if (kind == PASS_TEXT || !name || !redact_is_secret_header(name))
		return text_needs_no_scan(s, n);
	for (size_t i = 0; i < n;) {
		if ((e = exempt_len(s + i, n - i)) != 0)
			i += e;
		else if (isspace((unsigned char)s[i]))
			i++;
		else
			return false;
	}
	return true;
}

/* What a pass masks, made known to the whole process. */
static void learn_global(enum pass_kind kind, const char *name,
			 const char *s)
{
	struct known k = {0};
	char *r;

	if (!s || pass_masks_nothing(kind, name, s))
		return;
	r = one_pass(kind, name, s, &k);
	free(r);
	global_merge(&k);
	known_free(&k);
}

void redact_learn_header(const char *name, const char *value)
{
	learn_global(PASS_HEADER, name, value);
}

void redact_learn_url(const char *url)
{
	learn_global(PASS_URL, NULL, url);
}

bool redact_find_token(const char *text, size_t *start, size_t *len)
{
	size_t s = 0, l = 0;
	bool found;

	if (!text)
		return false;
	found = find_token(text, strlen(text), &s, &l);
	if (start)
		*start = s;
	if (len)
		*len = l;
	return found;
}

/* --- JSON --- */

static void set_string(cJSON *item, char *text)
{
	if (strcmp(item->valuestring, text) != 0)
		cJSON_SetValuestring(item, text);
	free(text);
}

static char *mask_value(const char *s)
{
	struct sbuf b = {0};

	mask_literal(&b, s, strlen(s));
	return sbuf_detach(&b);
}

/* A member name is text too: evidence keys hold hook names ("deploy
 * ghp_..."), so a token in one is masked like anywhere else. */
static void redact_member_name(cJSON *c)
{
	char *r;

	if (!c->string)
		return;
	r = redact_text(c->string);
	if (strcmp(r, c->string) == 0) {
		free(r);
		return;
	}
	if (!(c->type & cJSON_StringIsConst))
		cJSON_free(c->string);
	c->type &= ~cJSON_StringIsConst;
	c->string = json_strdup(r);     /* cJSON_Delete frees it */
	free(r);
}

static void json_walk(cJSON *parent, cJSON *node, bool secret)
{
	if (cJSON_IsString(node) && node->valuestring) {
		set_string(node, secret ? mask_value(node->valuestring)
					: redact_text(node->valuestring));
		return;
	}
	if (cJSON_IsNumber(node) && secret && parent) {
		char *num = cJSON_PrintUnformatted(node);
		char *m = redact_mask(num ? num : "", num ? strlen(num) : 0);

		cJSON *str = cJSON_CreateString(m);

		cJSON_free(num);
		free(m);
		/* The member name moves to the replacement. */
		str->string = node->string;
		str->type |= node->type & cJSON_StringIsConst;
		node->string = NULL;
		cJSON_ReplaceItemViaPointer(parent, node, str);
		return;
	}
	if (cJSON_IsObject(node)) {
		/* {"name": "Authorization", "value": "..."}: a header. */
		cJSON *nm = cJSON_GetObjectItemCaseSensitive(node, "name");
		cJSON *val = cJSON_GetObjectItemCaseSensitive(node, "value");
		bool header = cJSON_IsString(nm) && cJSON_IsString(val) &&
			      nm->valuestring && val->valuestring;

		if (header && !secret)
			set_string(val, redact_header(nm->valuestring,
						      val->valuestring));
		for (cJSON *c = node->child, *next; c; c = next) {
			next = c->next;
			redact_member_name(c);
			if (header && c == val && !secret)
				continue;
			json_walk(node, c, secret || (c->string &&
					  redact_is_secret_key(c->string)));
		}
		return;
	}
	if (cJSON_IsArray(node))
		for (cJSON *c = node->child, *next; c; c = next) {
			next = c->next;
			json_walk(node, c, secret);
		}
}

/* Would json_walk(parent, node, secret) (parent non-NULL when in_parent)
 * leave node as it is? "No" may be wrong, "yes" never is: each test
 * mirrors one of json_walk()'s changes, and text passes only when the
 * quick pass clears it. */
static bool walk_unchanged(bool in_parent, const cJSON *node, bool secret)
{
	if (cJSON_IsString(node) && node->valuestring)
		return !secret && text_unchanged(node->valuestring,
						     strlen(node->valuestring));
	if (cJSON_IsNumber(node) && secret && in_parent)
		return false;
	if (cJSON_IsObject(node)) {
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(node, "name");
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(node, "value");

		if (!secret && cJSON_IsString(nm) && cJSON_IsString(val) &&
		    nm->valuestring && val->valuestring)
			return false;   /* a header: let redact_header() judge */
		for (const cJSON *c = node->child; c; c = c->next) {
			if (c->string &&
			    !text_unchanged(c->string, strlen(c->string)))
				return false;
			if (!walk_unchanged(true, c, secret || (c->string &&
					    redact_is_secret_key(c->string))))
				return false;
		}
		return true;
	}
	if (cJSON_IsArray(node))
		for (const cJSON *c = node->child; c; c = c->next)
			if (!walk_unchanged(true, c, secret))
				return false;
	return true;
}

bool redact_json_member_unchanged(const char *key, const cJSON *node)
{
	if (key && !text_unchanged(key, strlen(key)))
		return false;
	return walk_unchanged(true, node, key && redact_is_secret_key(key));
}

void redact_json(cJSON *node)
{
	if (node)
		json_walk(NULL, node, false);
}
