/*
 * fuzz_redact.c - the redactor on arbitrary text: redact_text,
 * redact_url, redact_header (the input split into a name and a value at
 * the first ':'), redact_find_token and, when the input is JSON,
 * redact_json.
 *
 * Properties checked (any violation aborts, so libFuzzer keeps the input):
 *
 * - idempotence: f(f(x)) == f(x) for redact_text, redact_url,
 *   redact_header (a secret header, a non-secret one, Authorization) and
 *   redact_json (compared printed);
 * - a marker is never masked again: a redaction marker
 *   "***(sha256:xxxxxxxx)" planted in the input comes out unchanged, and
 *   redact_text keeps every marker of what any of them returned;
 * - the token redact_find_token() (HD205's detector) locates is gone from
 *   redact_text's output;
 * - no planted secret survives: a token of a known shape planted between
 *   spaces, and a value made known with redact_add_secret() planted
 *   anywhere (raw, percent-encoded, JSON-escaped, and as Basic base64),
 *   never appear in the output of redact_text or redact_url.
 *
 * The planted secrets are derived from the input's bytes but drawn from an
 * alphabet of their own, so the fuzzer varies where they land and what
 * surrounds them. Known secrets are forgotten after each input.
 */
#include "fuzz.h"

#include <cjson/cJSON.h>

#include "redact.h"

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

static void must_not_hold(const char *what, const char *in, const char *out,
			  const char *needle)
{
	if (strstr(out, needle)) {
		fprintf(stderr, "fuzz_redact: %s survives: \"%s\"\n", what,
			needle);
		violated(what, in, out);
	}
}

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
		char *forms[3];

		redact_add_secret(cred);
		forms[0] = xstrdup(pw);
		forms[1] = redact_encode_percent(pw);
		forms[2] = redact_encode_json(pw);
		for (size_t i = 0; i < 3; i++) {
			in = plant(s, pos, forms[i]);
			out = redact_text(in);
			must_not_hold("known secret (text)", in, out, forms[i]);
			free(out);
			out = redact_url(in);
			must_not_hold("known secret (url)", in, out, forms[i]);
			free(out);
			free(in);
			free(forms[i]);
		}
		forms[0] = redact_encode_base64(cred);
		in = plant(s, pos, forms[0]);
		out = redact_text(in);
		must_not_hold("known Basic credential", in, out, forms[0]);
		free(out);
		free(in);
		free(forms[0]);
		free(cred);
		redact_forget_secrets();
	}
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *colon;
	cJSON *j;

	text_props(s);
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
	j = cJSON_ParseWithLength((const char *)data, size);
	if (j) {
		char *once, *twice;

		redact_json(j);
		once = json_text(j);
		redact_json(j);
		twice = json_text(j);
		if (strcmp(once, twice) != 0)
			violated("redact_json not idempotent", once, twice);
		free(once);
		free(twice);
		cJSON_Delete(j);
	}
	planted_props(s, data, size);
	free(s);
	return 0;
}
