/*
 * fuzz_redact.c - the redactor on arbitrary text: redact_text,
 * redact_url, redact_header (the input split into a name and a value at
 * the first ':'), redact_find_token and, when the input is JSON,
 * redact_json.
 *
 * Properties checked (any violation aborts, so libFuzzer keeps the input),
 * first with no known secret, then again with known ones (a planted
 * password, a piece of the input itself, what its URL and header teach):
 *
 * - idempotence: f(f(x)) == f(x) for redact_text, redact_url,
 *   redact_header (a secret header, a non-secret one, Authorization) and
 *   redact_json (compared printed);
 * - a marker is never masked again: a redaction marker
 *   "***(sha256:xxxxxxxx)" planted in the input comes out unchanged, and
 *   redact_text keeps every marker of what any of them returned;
 * - the token redact_find_token() (HD205's detector) locates is gone from
 *   redact_text's output;
 * - the quick pass and the memo agree with the full passes:
 *   redact_text/redact_url/redact_header (each twice, so the second
 *   answer may be the memo's) and redact_text_shared give what
 *   redact_text_full/redact_url_full/redact_header_full give (a
 *   non-secret header's value what redact_text_full gives), also right
 *   after the known
 *   secrets grew (a remembered answer is never stale); and what
 *   redact_json_member_unchanged() clears, redact_json leaves as it is;
 * - no planted secret survives: a token of a known shape planted between
 *   spaces, and a value made known with redact_add_secret() planted
 *   anywhere (raw, percent-encoded, JSON-escaped, and as Basic base64),
 *   never appear in the output of redact_text or redact_url, even when
 *   the same text was redacted before the value was known.
 *
 * The planted secrets are derived from the input's bytes but drawn from an
 * alphabet of their own, so the fuzzer varies where they land and what
 * surrounds them. Known secrets are forgotten after each input.
 */
#include "fuzz.h"

#include <cjson/cJSON.h>

#include "redact.h"
#include "util.h"

#define MARK "***(sha256:0badc0de)"

static void violated(const char *what, const char *in, const char *out)
{
	fprintf(stderr, "fuzz_redact: %s\n  in:  \"%s\"\n  out: \"%s\"\n",
		what, in, out);
	abort();
}

/* Every marker of a is in b, unchanged. */
static void markers_kept(const char *a, const char *b)
{
	const char *p = a;

	while ((p = strstr(p, "***(sha256:")) != NULL) {
		size_t k = 11;
		char m[21];

		while (k < 19 && p[k] && strchr("0123456789abcdef", p[k]))
			k++;
		if (k == 19 && p[k] == ')') {
			memcpy(m, p, 20);
			m[20] = '\0';
			if (!strstr(b, m))
				violated("a marker was changed", a, b);
		}
		p += 3;
	}
}

/* f(f(s)) == f(s), and redact_text keeps every marker of f(s); frees
 * once. */
static void fixed_point(const char *what, char *once, char *(*again)(const char *))
{
	char *twice = again(once), *text;

	if (strcmp(twice, once) != 0)
		violated(what, once, twice);
	text = redact_text(once);
	markers_kept(once, text);
	free(text);
	free(twice);
	free(once);
}

static const char *hdr_name;

static char *header_again(const char *v)
{
	return redact_header(hdr_name, v);
}

static void header_props(const char *name, const char *value)
{
	hdr_name = name;
	fixed_point("redact_header not idempotent", redact_header(name, value),
		    header_again);
}

static void text_props(const char *s)
{
	char *once = redact_text(s);
	size_t start, len;

	if (redact_find_token(s, &start, &len)) {
		if (start + len > strlen(s))
			abort();
		/* The token found is masked: what is found in the output
		 * (if anything) is not that token again. */
		size_t start2, len2;

		if (redact_find_token(once, &start2, &len2) && len2 == len &&
		    memcmp(once + start2, s + start, len) == 0)
			violated("token found survives", s, once);
	}
	fixed_point("redact_text not idempotent", once, redact_text);
	fixed_point("redact_url not idempotent", redact_url(s), redact_url);
}

/* A string of n characters of alphabet, driven by the input's bytes. */
static void derive(char *out, size_t n, const uint8_t *data, size_t size,
		   const char *alphabet)
{
	size_t na = strlen(alphabet);
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	for (size_t i = 0; i < n; i++) {
		h = h * 1103515245u + 12345u;
		out[i] = alphabet[(h >> 16) % na];
	}
	out[n] = '\0';
}

/* s with ins inserted at pos (clamped to s's length); malloc'd. */
static char *plant(const char *s, size_t pos, const char *ins)
{
	size_t n = strlen(s);

	if (pos > n)
		pos = n;
	return xasprintf("%.*s%s%s", (int)pos, s, ins, s + pos);
}

/* The quick pass (and the memo behind it) answers what the full passes
 * answer: text, URL, the shared form and a non-secret header's value,
 * each asked twice so that the second answer may be a remembered one. */
static void quick_agrees(const char *s)
{
	char *full = redact_text_full(s), *owned, *out;
	const char *shared;

	for (int k = 0; k < 2; k++) {
		out = redact_text(s);
		if (strcmp(out, full) != 0)
			violated("quick pass differs from the full scan (text)",
				 s, out);
		free(out);
		shared = redact_text_shared(s, &owned);
		if (strcmp(shared, full) != 0)
			violated("redact_text_shared differs from the full scan",
				 s, shared);
		free(owned);
	}
	out = redact_header("X-Anything", s);
	if (strcmp(out, full) != 0)
		violated("a non-secret header differs from the full scan", s,
			 out);
	free(out);
	free(full);
	/* a secret header and Authorization, whose answers are remembered */
	for (int h = 0; h < 2; h++) {
		const char *name = h ? "Authorization" : "PRIVATE-TOKEN";

		full = redact_header_full(name, s);
		for (int k = 0; k < 2; k++) {
			out = redact_header(name, s);
			if (strcmp(out, full) != 0)
				violated("a secret header differs from the full "
					 "passes", s, out);
			free(out);
		}
		free(full);
	}
	full = redact_url_full(s);
	for (int k = 0; k < 2; k++) {
		out = redact_url(s);
		if (strcmp(out, full) != 0)
			violated("quick pass differs from the full scan (url)",
				 s, out);
		free(out);
	}
	free(full);
}

static char *json_text(cJSON *j)
{
	char *p = cJSON_PrintUnformatted(j), *r;

	if (!p)
		abort();
	r = xstrdup(p);
	cJSON_free(p);
	return r;
}

/* When the input is JSON: what redact_json_member_unchanged() clears,
 * redaction leaves as it is; redact_json is idempotent. */
static void json_props(const uint8_t *data, size_t size)
{
	cJSON *j = cJSON_ParseWithLength((const char *)data, size);

	if (!j)
		return;
	for (cJSON *m = cJSON_IsObject(j) ? j->child : NULL; m; m = m->next) {
		const char *key = m->string ? m->string : "";
		cJSON *wrap, *copy;

		if (!redact_json_member_unchanged(key, m))
			continue;
		wrap = cJSON_CreateObject();
		copy = cJSON_Duplicate(m, true);
		cJSON_AddItemToObject(wrap, key, copy);
		redact_json(wrap);
		/* Compared as printed, not with cJSON_Compare: that looks
		 * members up by name, so an object with a name twice (two
		 * names that differ only after a NUL byte are the same C
		 * string) compares unequal to itself. */
		{
			char *a = json_text(m), *b = json_text(wrap->child);

			if (strcmp(a, b) != 0 ||
			    strcmp(wrap->child->string, key) != 0)
				violated("a member cleared as unchanged was "
					 "changed", a, b);
			free(a);
			free(b);
		}
		cJSON_Delete(wrap);
	}
	{
		char *once, *twice;

		redact_json(j);
		once = json_text(j);
		redact_json(j);
		twice = json_text(j);
		if (strcmp(once, twice) != 0)
			violated("redact_json not idempotent", once, twice);
		free(once);
		free(twice);
	}
	cJSON_Delete(j);
}

/* Every property that holds for any input, whatever is known. */
static void all_props(char *s, const uint8_t *data, size_t size)
{
	char *colon;

	text_props(s);
	quick_agrees(s);
	colon = strchr(s, ':');
	if (colon) {
		*colon = '\0';
		header_props(s, colon + 1);
		redact_is_secret_header(s);
		redact_is_secret_key(s);
		*colon = ':';
	} else {
		header_props("Authorization", s);
		header_props("X-Anything", s);
		header_props("PRIVATE-TOKEN", s);
	}
	json_props(data, size);
}

/* out must not hold needle; in is what was redacted. */
static void must_not_hold(const char *what, const char *in, const char *out,
			  const char *needle)
{
	if (strstr(out, needle)) {
		fprintf(stderr, "fuzz_redact: %s survives: \"%s\"\n", what,
			needle);
		violated(what, in, out);
	}
}

/* Planted secrets never survive. The known password is made known only
 * after every text it is planted in was redacted once, so an answer
 * remembered from before must not be given again. Leaves the password
 * known. */
static void planted_props(const char *s, const uint8_t *data, size_t size)
{
	static const char alnum[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	char core[37], pw[21], *tok, *in, *out;
	size_t pos = size ? data[0] * 7u + (size > 1 ? data[1] : 0u) : 0;

	/* A mask comes out as it went in. */
	in = plant(s, pos, MARK);
	out = redact_text(in);
	if (!strstr(out, MARK))
		violated("a planted mask was changed", in, out);
	free(out);
	free(in);

	/* A GitHub token between spaces. */
	derive(core, 36, data, size, alnum);
	tok = xasprintf(" gh" "p_%s ", core);
	in = plant(s, pos, tok);
	out = redact_text(in);
	must_not_hold("planted token (text)", in, out, core);
	free(out);
	out = redact_url(in);
	must_not_hold("planted token (url)", in, out, core);
	free(out);
	free(in);
	free(tok);

	/* A known password, anywhere, in clear and encoded. */
	derive(pw, 20, data + (size > 2 ? 2 : 0), size > 2 ? size - 2 : 0,
	       "abcdefghijklmnopqrstuvwxyz0123456789 /\"\\:@");
	pw[0] = 'q';                    /* never all spaces or symbols */
	pw[19] = 'z';
	{
		char *cred = xasprintf("deployer:%s", pw);
		char *forms[4], *ins[4];

		forms[0] = xstrdup(pw);
		forms[1] = redact_encode_percent(pw);
		forms[2] = redact_encode_json(pw);
		forms[3] = base64_encode(cred, strlen(cred));
		/* Redacted before the value is known: the memo may keep
		 * these answers. */
		for (size_t i = 0; i < 4; i++) {
			ins[i] = plant(s, pos, forms[i]);
			free(redact_text(ins[i]));
			free(redact_url(ins[i]));
		}
		redact_add_secret(cred);
		for (size_t i = 0; i < 4; i++) {
			in = ins[i];
			out = redact_text(in);
			must_not_hold(i == 3 ? "known Basic credential"
				      : "known secret (text)", in, out, forms[i]);
			free(out);
			if (i < 3) {
				out = redact_url(in);
				must_not_hold("known secret (url)", in, out,
					      forms[i]);
				free(out);
			}
			quick_agrees(in);
			free(in);
			free(forms[i]);
		}
		free(cred);
	}
}

/* Known secrets from the input itself: a piece of it (8 to 40 bytes,
 * where the input's bytes say), and what its URL and its header would
 * teach, as the loader learns them. Every text redacted before is asked
 * again (quick_agrees), so a memo answer made before they were known
 * would show. */
static void learn_from_input(char *s, const uint8_t *data, size_t size)
{
	size_t n = strlen(s), off, len;
	char *piece, *colon;

	if (n >= 8) {
		off = size > 3 ? (data[size - 1] * 256u + data[size - 2]) % (n - 7)
			       : 0;
		len = 8 + (size > 4 ? data[size - 3] % 33u : 0);
		if (off + len > n)
			len = n - off;
		piece = xstrndup(s + off, len);
		redact_add_secret(piece);
		quick_agrees(s);
		free(piece);
	}
	redact_learn_url(s);
	colon = strchr(s, ':');
	if (colon) {
		*colon = '\0';
		redact_learn_header(s, colon + 1);
		*colon = ':';
	} else {
		redact_learn_header("Authorization", s);
	}
	quick_agrees(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);

	/* Nothing known. */
	all_props(s, data, size);
	/* Known: a planted password, then pieces of the input. */
	planted_props(s, data, size);
	learn_from_input(s, data, size);
	all_props(s, data, size);
	redact_forget_secrets();
	free(s);
	return 0;
}
