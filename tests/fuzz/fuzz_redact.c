/*
 * fuzz_redact.c - the redactor on arbitrary text: redact_text,
 * redact_url, redact_header (the input split into a name and a value at
 * the first ':'), redact_find_token and, when the input is JSON,
 * redact_json.
 *
 * Properties checked: the token redact_find_token() locates is not
 * found again in what redact_text() returns; redacting that again brings
 * no token back; a JSON tree stays printable.
 */
#include "fuzz.h"

#include <cjson/cJSON.h>

#include "redact.h"

static void text_props(const char *s)
{
	char *once = redact_text(s), *twice;
	size_t start, len;

	if (redact_find_token(s, &start, &len)) {
		if (start + len > strlen(s))
			abort();
		/* The token found is masked: what is found in the output
		 * (if anything) is not that token again. */
		size_t start2, len2;

		if (redact_find_token(once, &start2, &len2) && len2 == len &&
		    memcmp(once + start2, s + start, len) == 0)
			abort();
	}
	/* Redacting again finds no token either (idempotence itself is not
	 * asked: where a URL ends depends on parentheses that masks hide). */
	twice = redact_text(once);
	if (redact_find_token(twice, &start, &len) &&
	    !redact_find_token(once, &start, &len))
		abort();
	free(twice);
	free(once);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *out, *colon;
	cJSON *j;

	text_props(s);
	/* The quick pass that returns text needing no scan as it is must
	 * agree with the full scan. */
	out = redact_text(s);
	{
		char *full = redact_text_full(s);

		if (strcmp(out, full) != 0)
			abort();
		free(full);
	}
	free(out);
	out = redact_url(s);
	{
		char *full = redact_url_full(s);

		if (strcmp(out, full) != 0)
			abort();
		free(full);
	}
	free(out);
	colon = strchr(s, ':');
	if (colon) {
		*colon = '\0';
		out = redact_header(s, colon + 1);
		free(out);
		redact_is_secret_header(s);
		redact_is_secret_key(s);
		*colon = ':';
	} else {
		out = redact_header("Authorization", s);
		free(out);
		out = redact_header("X-Anything", s);
		free(out);
	}
	j = cJSON_ParseWithLength((const char *)data, size);
	/* Whatever redact_json_member_unchanged() clears, redaction leaves
	 * as it is. */
	for (cJSON *m = cJSON_IsObject(j) ? j->child : NULL; m; m = m->next) {
		const char *key = m->string ? m->string : "";
		cJSON *wrap, *copy;

		if (!redact_json_member_unchanged(key, m))
			continue;
		wrap = cJSON_CreateObject();
		copy = cJSON_Duplicate(m, true);
		cJSON_AddItemToObject(wrap, key, copy);
		redact_json(wrap);
		if (!cJSON_Compare(wrap->child, m, true) ||
		    strcmp(wrap->child->string, key) != 0)
			abort();
		cJSON_Delete(wrap);
	}
	if (j) {
		redact_json(j);
		out = cJSON_PrintUnformatted(j);
		if (!out)
			abort();
		cJSON_free(out);
		cJSON_Delete(j);
	}
	free(s);
	return 0;
}
