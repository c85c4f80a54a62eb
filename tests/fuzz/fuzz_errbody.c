/*
 * fuzz_errbody.c - the parser of the providers' error answers
 * (provider_api.c's parse_error, through provider_parse_error_body) and
 * the Devopness client's, on arbitrary bodies.
 *
 * The first byte picks the HTTP status the body came with (203, 4xx or
 * 5xx, which take different paths); the rest is the body. Properties
 * checked: whatever the body, what is extracted is NUL-terminated text
 * that the redactor can handle, and nothing leaks (a member set twice by
 * two shapes of error must not lose the first string).
 */
#include "fuzz.h"

#include "provider_api.h"
#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {203, 400, 401, 403, 404, 409, 422,
					429, 500, 502, 503, 301};
	struct prov_call c;
	char *body, *red;

	if (size < 1)
		return 0;
	body = fuzz_text(data + 1, size - 1);
	memset(&c, 0, sizeof(c));
	provider_parse_error_body(&c, statuses[data[0] % 12], body, size - 1);
	if (c.message) {
		red = redact_text(c.message);
		free(red);
	}
	/* Read every byte, so ASan sees a string that is not terminated. */
	if ((c.error_name && strlen(c.error_name) > size) ||
	    (c.scopes_required && strlen(c.scopes_required) > 2 * size) ||
	    (c.scopes_granted && strlen(c.scopes_granted) > 2 * size))
		abort();
	provider_call_clear(&c);
	free(body);
	return 0;
}
