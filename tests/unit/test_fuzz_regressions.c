/*
 * test_fuzz_regressions.c - one test per problem the fuzzers of
 * tests/fuzz/ found, named after the behaviour that was broken. The input
 * that found it is kept under tests/fuzz/regressions/TARGET/ too, so the
 * fuzzer starts from it again.
 *
 * Token literals are split ("gl" "pat-...") so that secret scanners do not
 * flag this file; they are fake.
 */
#include <stdlib.h>
#include <string.h>
#include "provider_api.h"
#include "redact.h"
#include "util.h"
#include "unit.h"

#define GLPAT "gl" "pat-aaaaaaaaaaaaaaagaaaaa"
#define XOXB "xo" "xb-1456babiba"
#define XOXB2 "xo" "xb-xoxbabababbbabab"
#define GHU "gh" "u_Z0Z9Z9Z9Authorization"

/* fuzz_redact: the part of a URL between "://" and the first '/', '?' or
 * '#' was copied as it was, so a token there was printed in clear. */
TEST(token_in_url_authority_is_masked)
{
	EXPECT_GONE(redact_text("https://example.cn=" GLPAT "&api-key=1"),
		    GLPAT);
	EXPECT_GONE(redact_url("https://example.cn=" GLPAT "/x"), GLPAT);
	EXPECT_GONE(redact_url("https://" GLPAT ".example.com/x"), GLPAT);
	/* An ordinary host and port stay as they are. */
	{
		char *u = redact_url("https://api.github.com:443/repos/o/r");

		EXPECT_STR(u, "https://api.github.com:443/repos/o/r");
		free(u);
	}
}

/* fuzz_redact: in "name: value" with a secret name, the value was masked
 * but the name copied as it was, so a token inside the name stayed. */
TEST(token_in_secret_key_name_is_masked)
{
	EXPECT_GONE(redact_text("httoghs_" GHU ":Batps://en"), GHU);
	EXPECT_GONE(redact_text("x " GHU "=\"v\""), GHU);
	/* The name itself stays readable when it holds no token. */
	{
		char *t = redact_text("password: hunter2hunter2");

		EXPECT(strncmp(t, "password: ***(sha256:", 21) == 0);
		free(t);
	}
}

/* fuzz_redact: a token followed by "://" was taken for a URL's scheme,
 * which is copied as it is. */
TEST(token_before_colon_slashes_is_masked)
{
	EXPECT_GONE(redact_text("Cookie:" XOXB "://abababer=de%"), XOXB);
	EXPECT_GONE(redact_text("see " XOXB "://host/path"), XOXB);
}

/* fuzz_redact: the name of a secret query parameter was copied as it
 * was; its value was masked. */
TEST(token_in_secret_query_name_is_masked)
{
	EXPECT_GONE(redact_url("https://example.com/?private_token%" GLPAT
			       "_token=x&a=1"), GLPAT);
	{
		char *u = redact_url("https://h/?access_token=abc&a=1");

		EXPECT(strncmp(u, "https://h/?access_token=***(sha256:", 35) == 0);
		EXPECT(strstr(u, "&a=1") != NULL);
		free(u);
	}
}

/* fuzz_redact: "Bearer" at the end of a URL in free text was part of the
 * URL, so the credential after it was not recognised. */
TEST(bearer_credential_after_url_is_masked)
{
	EXPECT_GONE(redact_text("https://uF0Fon:Bearer abcDEF123456abcDEF1234"
				"56abF0 x"), "abcDEF123456abcDEF123456abF0");
	EXPECT_GONE(redact_text("see https://h/p/Bearer Zm9vYmFyOmJhejEyMzQ1"),
		    "Zm9vYmFyOmJhejEyMzQ1");
	{
		char *t = redact_text("see https://h/p/Basic and more");

		EXPECT_STR(t, "see https://h/p/Basic and more");
		free(t);
	}
}

/* fuzz_redact: redacting a redacted URL again changed it: the mask's ')'
 * was taken for punctuation after the URL when the URL had an unbalanced
 * ')' before it, and the cut mask was masked again. */
TEST(redacting_twice_changes_nothing)
{
	static const char *const in[] = {
		"https://h.com/)path?a=1&sig=zr:frag",
		/* and a URL that ends before "Basic <credential>" */
		"https://u.com/p?sig=zr:sec@exa:Basic dXNglrt-xyzzy1 }}",
	};

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *once = redact_text(in[i]), *twice = redact_text(once);

		EXPECT_STR(twice, once);
		free(once);
		free(twice);
	}
}

/* fuzz_redact: a secret "name": "value" pair right after a masked token
 * was not at a word start (the token's last letter came before it), so
 * its value was only masked when the text was redacted a second time. */
TEST(secret_pair_right_after_token_is_masked)
{
	char *t = redact_text(XOXB2 "\"token\":\"tee\"");

	EXPECT(strstr(t, "\"token\":\"***(sha256:") != NULL);
	free(t);
}

/* fuzz_errbody: an answer with both "error" (GitLab) and "errors" with an
 * exceptionName (Bitbucket DC) set error_name twice and lost the first
 * string (a leak, seen under the sanitizer build of this test). */
TEST(error_body_with_two_error_names_keeps_the_last)
{
	static const char body[] =
		"{\"error\":\"e1\",\"errors\":[{\"message\":\"m\","
		"\"exceptionName\":\"X\"}]}";
	struct prov_call c;

	memset(&c, 0, sizeof(c));
	provider_parse_error_body(&c, 401, body, sizeof(body) - 1);
	EXPECT_STR(c.error_name, "X");
	EXPECT_STR(c.message, "e1: m");
	provider_call_clear(&c);
	EXPECT(c.error_name == NULL);
}

/* fuzz_redact: a JWT with an empty signature ("xxx.yyy.") at the end of a
 * URL's host lost its last '.' to the URL's end, and header.payload was
 * then not a token shape. */
TEST(jwt_without_signature_is_masked)
{
	EXPECT_GONE(redact_text("see ps://u@host.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2ln."),
		    "eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2ln");
	EXPECT_GONE(redact_text("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."),
		    "eyJzdWIiOiIxIn0");
}

int main(void)
{
	RUN(token_in_url_authority_is_masked);
	RUN(token_in_secret_key_name_is_masked);
	RUN(token_before_colon_slashes_is_masked);
	RUN(token_in_secret_query_name_is_masked);
	RUN(bearer_credential_after_url_is_masked);
	RUN(redacting_twice_changes_nothing);
	RUN(secret_pair_right_after_token_is_masked);
	RUN(error_body_with_two_error_names_keeps_the_last);
	RUN(jwt_without_signature_is_masked);
	return unit_done();
}
