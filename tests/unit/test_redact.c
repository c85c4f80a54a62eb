/*
 * test_redact.c - what redact.c masks, and what it must leave alone.
 *
 * Token literals are split ("gh" "p_...") so that secret scanners do not
 * flag this file; they are fake.
 */
#include <stdlib.h>
#include <string.h>
#include "redact.h"
#include "util.h"
#include "vars.h"
#include "unit.h"

#define GHP "gh" "p_0123456789abcdefghijABCDEFGHIJ012345"
#define GHS "gh" "s_16C7e42F292c6912E7710c838347Ae178B4a"
#define GHPAT "github" "_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
#define GLPAT "gl" "pat-xY12abCD34efGH56ijKL"
#define ATBB "AT" "BBpQ3xR7mK2vN8wL4tY6uZ1aB5cD9eF0gH3j"
#define ATATT "AT" "ATT3xFfGF0abcdefghij_klmnopqrstuvwxyz0123456789=ABCD1234"
#define JWT "ey" "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
#define SLACK "xo" "xb-1234567890-abcdefghijKLMN"
#define SHA "9fceb02d0ae598e95dc970b74767f19372d61af8"
#define UUID "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
#define TMPL "{{ application.source_provider.access_token }}"

/* The mask of s, for expected strings; leaks a little, it is a test. */
static char *mk(const char *s)
{
	return redact_mask(s, strlen(s));
}

/* Checks f(in) == want and frees the result. */
#define EXPECT_RED(call, want)                                           \
	do {                                                             \
		char *got_ = (call);                                     \
		EXPECT_STR(got_, want);                                  \
		free(got_);                                              \
	} while (0)

/* want = prefix + mask(secret) + suffix */
#define EXPECT_MASKED(call, prefix, secret, suffix)                      \
	do {                                                             \
		char *m_ = mk(secret);                                   \
		char *want_ = xasprintf("%s%s%s", prefix, m_, suffix);      \
		EXPECT_RED(call, want_);                                    \
		free(m_);                                                \
		free(want_);                                                \
	} while (0)

TEST(mask_is_sha256_prefix)
{
	EXPECT_RED(redact_mask("secret", 6), "***(sha256:2bb80d53)");
	EXPECT_RED(redact_mask("", 0), "***(sha256:e3b0c442)");
	/* length counts: embedded bytes beyond len are ignored */
	EXPECT_RED(redact_mask("secretXX", 6), "***(sha256:2bb80d53)");
}

TEST(authorization_keeps_scheme)
{
	EXPECT_MASKED(redact_header("Authorization", "Bearer " GHP),
		      "Bearer ", GHP, "");
	EXPECT_MASKED(redact_header("authorization", "token abcdef123456"),
		      "token ", "abcdef123456", "");
	EXPECT_MASKED(redact_header("Authorization", "Basic OnNlY3JldA=="),
		      "Basic ", "OnNlY3JldA==", "");
	EXPECT_MASKED(redact_header("Proxy-Authorization", "Bearer x"),
		      "Bearer ", "x", "");
	/* no scheme: the whole value */
	EXPECT_MASKED(redact_header("Authorization", "abcdef123456"), "",
		      "abcdef123456", "");
	/* a scheme alone is not a secret */
	EXPECT_RED(redact_header("Authorization", "Bearer"), "Bearer");
}

TEST(token_headers_masked_whole)
{
	EXPECT_MASKED(redact_header("PRIVATE-TOKEN", GLPAT), "", GLPAT, "");
	EXPECT_MASKED(redact_header("JOB-TOKEN", "abc"), "", "abc", "");
	EXPECT_MASKED(redact_header("X-API-Key", "k1"), "", "k1", "");
	EXPECT_MASKED(redact_header("X-Auth-Token", "t"), "", "t", "");
	EXPECT_MASKED(redact_header("Cookie", "session=abc; x=y"), "",
		      "session=abc; x=y", "");
	EXPECT_MASKED(redact_header("X-Hub-Signature", "sha256=ff"), "",
		      "sha256=ff", "");
	EXPECT(redact_is_secret_header("Private-Token"));
	EXPECT(redact_is_secret_header("X-My-Secret"));
	EXPECT(!redact_is_secret_header("Content-Type"));
	EXPECT(!redact_is_secret_header("Accept"));
	EXPECT(!redact_is_secret_header("User-Agent"));
	EXPECT(!redact_is_secret_header("X-GitHub-Api-Version"));
	EXPECT(!redact_is_secret_header(NULL));
}

TEST(placeholder_and_templates_stay)
{
	EXPECT_RED(redact_header("Authorization",
				 "Bearer " VARS_TOKEN_PLACEHOLDER),
		   "Bearer " VARS_TOKEN_PLACEHOLDER);
	EXPECT_RED(redact_header("PRIVATE-TOKEN", VARS_TOKEN_PLACEHOLDER),
		   VARS_TOKEN_PLACEHOLDER);
	EXPECT_RED(redact_header("Authorization", "token " TMPL),
		   "token " TMPL);
	EXPECT_RED(redact_header("PRIVATE-TOKEN", "{{application.source_provider.access_token}}"),
		   "{{application.source_provider.access_token}}");
	EXPECT_RED(redact_text("Bearer " VARS_TOKEN_PLACEHOLDER),
		   "Bearer " VARS_TOKEN_PLACEHOLDER);
	EXPECT_RED(redact_text("use " TMPL " as the token"),
		   "use " TMPL " as the token");
	/* literal text around a template is masked, the template kept */
	EXPECT_MASKED(redact_header("X-Token", "abc" TMPL), "", "abc", TMPL);
}

TEST(non_secret_headers_scanned_as_text)
{
	EXPECT_RED(redact_header("Content-Type", "application/json"),
		   "application/json");
	EXPECT_RED(redact_header("Accept", "application/vnd.github+json"),
		   "application/vnd.github+json");
	EXPECT_MASKED(redact_header("X-Note", "see " GHP), "see ", GHP, "");
	EXPECT_RED(redact_header("X-Anything", NULL), "");
}

TEST(redaction_is_idempotent)
{
	char *once = redact_header("Authorization", "Bearer " GHP);
	char *twice = redact_header("Authorization", once);
	char *text = redact_text(once);

	EXPECT_STR(twice, once);
	EXPECT_STR(text, once);
	free(once);
	free(twice);
	free(text);
	once = redact_url("https://u:p@h/x?token=abc");
	twice = redact_url(once);
	EXPECT_STR(twice, once);
	free(twice);
	twice = redact_text(once);
	EXPECT_STR(twice, once);
	free(twice);
	free(once);
}

TEST(url_userinfo_masked)
{
	EXPECT_MASKED(redact_url("https://user:pass@example.com/x"),
		      "https://", "user:pass", "@example.com/x");
	EXPECT_MASKED(redact_url("https://" GHP "@github.com/o/r.git"),
		      "https://", GHP, "@github.com/o/r.git");
	EXPECT_MASKED(redact_url("https://x-access-token:"
				 VARS_TOKEN_PLACEHOLDER "@h/"),
		      "https://", "x-access-token",
		      ":" VARS_TOKEN_PLACEHOLDER "@h/");
	/* an @ in the path is not userinfo */
	EXPECT_RED(redact_url("https://h/a@b"), "https://h/a@b");
}

TEST(url_secret_query_masked)
{
	EXPECT_MASKED(redact_url("https://h/p?access_token=abc&x=1"),
		      "https://h/p?access_token=", "abc", "&x=1");
	EXPECT_MASKED(redact_url("https://h/p?a=1&private_token=zz"),
		      "https://h/p?a=1&private_token=", "zz", "");
	EXPECT_MASKED(redact_url("https://h/p?key=K"), "https://h/p?key=",
		      "K", "");
	EXPECT_MASKED(redact_url("https://h/p?API_KEY=K#f"),
		      "https://h/p?API_KEY=", "K", "#f");
	EXPECT_MASKED(redact_url("https://h/p?sv=2020&sig=abc%3D"),
		      "https://h/p?sv=2020&sig=", "abc%3D", "");
	EXPECT_MASKED(redact_url("https://h/p?X-Amz-Signature=ff"),
		      "https://h/p?X-Amz-Signature=", "ff", "");
	EXPECT_MASKED(redact_url("https://h/p?password=pw"),
		      "https://h/p?password=", "pw", "");
	EXPECT_MASKED(redact_url("https://h/p?secret=s"),
		      "https://h/p?secret=", "s", "");
	EXPECT_MASKED(redact_url("https://h/cb#access_token=t&x=1"),
		      "https://h/cb#access_token=", "t", "&x=1");
	/* a template as the value stays */
	EXPECT_RED(redact_url("https://h/p?private_token=" TMPL),
		   "https://h/p?private_token=" TMPL);
	EXPECT_RED(redact_url("https://h/p?token=" VARS_TOKEN_PLACEHOLDER),
		   "https://h/p?token=" VARS_TOKEN_PLACEHOLDER);
	/* an empty value has nothing to hide */
	EXPECT_RED(redact_url("https://h/p?token="), "https://h/p?token=");
	/* a token shape in the path */
	EXPECT_MASKED(redact_url("https://h/hooks/" GHP "/x"),
		      "https://h/hooks/", GHP, "/x");
}

TEST(urls_without_secrets_unchanged)
{
	static const char *const urls[] = {
		"https://api.github.com/repos/owner/repo/statuses/{{ action.triggered_from.hook_parsed_variables.commit_hash }}",
		"https://api.github.com/repos/o/r/statuses/" SHA,
		"https://gitlab.com/api/v4/projects/o%2Fr/statuses/" SHA "?state=success&ref=main",
		"https://api.bitbucket.org/2.0/repositories/w/r/commit/" SHA "/statuses/build",
		"https://dev.azure.com/org/proj/_apis/git/repositories/" UUID "/commits/" SHA "/statuses?api-version=7.1",
		"https://gitea.example.com:3000/api/v1/repos/o/r/statuses/" SHA,
		"http://127.0.0.1:8080/",
		"https://h/p?keyword=x&monkey=y&tokens_left=",
		"https://h",
		"",
		"not a url at all",
	};

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		char *got = redact_url(urls[i]);

		if (strcmp(got, urls[i]) != 0 &&
		    strcmp(urls[i], "https://h/p?keyword=x&monkey=y&tokens_left=") != 0)
			EXPECT_STR(got, urls[i]);
		free(got);
	}
	EXPECT_RED(redact_url("https://h/p?keyword=x&monkey=y"),
		   "https://h/p?keyword=x&monkey=y");
	EXPECT_RED(redact_url(NULL), "");
}

TEST(text_token_shapes)
{
	static const char *const toks[] = {GHP, GHS, GHPAT, GLPAT, ATBB, ATATT,
					   JWT, SLACK,
					   "gh" "o_abcdefghijklmnopqrstuvwxyz0123456789",
					   "gh" "u_abcdefghijklmnopqrstuvwxyz0123456789",
					   "gh" "r_abcdefghijklmnopqrstuvwxyz0123456789",
					   "AK" "IAIOSFODNN7EXAMPLE"};

	for (size_t i = 0; i < sizeof(toks) / sizeof(toks[0]); i++) {
		char *in = xasprintf("found %s here.", toks[i]);

		EXPECT_MASKED(redact_text(in), "found ", toks[i], " here.");
		free(in);
		in = xasprintf("\"%s\"", toks[i]);
		EXPECT_MASKED(redact_text(in), "\"", toks[i], "\"");
		free(in);
		EXPECT_MASKED(redact_text(toks[i]), "", toks[i], "");
	}
	/* ends at punctuation; trailing dots are not part of a GitLab token */
	EXPECT_MASKED(redact_text("(" GLPAT ")."), "(", GLPAT, ").");
	/* two tokens */
	{
		char *a = mk(GHP), *b = mk(GLPAT);
		char *w = xasprintf("%s and %s", a, b);

		EXPECT_RED(redact_text(GHP " and " GLPAT), w);
		free(a);
		free(b);
		free(w);
	}
}

TEST(text_bearer_and_basic)
{
	EXPECT_MASKED(redact_text("sent Authorization Bearer abc.DEF-123_x"),
		      "sent Authorization Bearer ", "abc.DEF-123_x", "");
	EXPECT_MASKED(redact_text("Basic dXNlcjpwYXNz in header"),
		      "Basic ", "dXNlcjpwYXNz", " in header");
	EXPECT_MASKED(redact_text("bearer  Zm9vOmJhcg== x"), "bearer  ",
		      "Zm9vOmJhcg==", " x");
	/* prose is not a credential */
	EXPECT_RED(redact_text("use Basic authentication or a Bearer token"),
		   "use Basic authentication or a Bearer token");
	EXPECT_RED(redact_text("Bearer tokens expire; Basically fine"),
		   "Bearer tokens expire; Basically fine");
}

TEST(text_name_value_pairs)
{
	EXPECT_MASKED(redact_text("{\"token\": \"abc\", \"state\": \"success\"}"),
		      "{\"token\": \"", "abc", "\", \"state\": \"success\"}");
	EXPECT_MASKED(redact_text("{\"Authorization\":\"Bearer xyz\"}"),
		      "{\"Authorization\":\"Bearer ", "xyz", "\"}");
	EXPECT_MASKED(redact_text("password=hunter2 and more"), "password=",
		      "hunter2", " and more");
	EXPECT_MASKED(redact_text("Authorization: token abc"),
		      "Authorization: token ", "abc", "");
	EXPECT_MASKED(redact_text("PRIVATE-TOKEN: a1b2c3d4e5"),
		      "PRIVATE-TOKEN: ", "a1b2c3d4e5", "");
	/* prose after a colon stays */
	EXPECT_RED(redact_text("Token: the provider token is missing"),
		   "Token: the provider token is missing");
	EXPECT_RED(redact_text("Authorization: header missing"),
		   "Authorization: header missing");
	EXPECT_RED(redact_text("{\"access_token\": \"" TMPL "\"}"),
		   "{\"access_token\": \"" TMPL "\"}");
	/* a bare "key" is Bitbucket's identity, not a secret */
	EXPECT_RED(redact_text("{\"key\": \"devopness-deploy\"}"),
		   "{\"key\": \"devopness-deploy\"}");
}

TEST(text_urls_inside_prose)
{
	EXPECT_MASKED(redact_text("POST https://u:p@h/x failed"),
		      "POST https://", "u:p", "@h/x failed");
	EXPECT_MASKED(redact_text("see <https://h/p?token=abc>."),
		      "see <https://h/p?token=", "abc", ">.");
	EXPECT_MASKED(redact_text("url https://h/p?token=abc."),
		      "url https://h/p?token=", "abc", ".");
	EXPECT_RED(redact_text("target https://h/p?private_token=" TMPL " ok"),
		   "target https://h/p?private_token=" TMPL " ok");
	EXPECT_RED(redact_text("(see https://docs.github.com/rest)"),
		   "(see https://docs.github.com/rest)");
}

TEST(no_false_positives)
{
	static const char *const texts[] = {
		"commit " SHA " is the action's commit",
		SHA,
		"hook " UUID " in pipeline 42",
		UUID,
		"the tokenizer splits tokens; key points: secret sauce",
		"identity \"ci/devopness\" differs from \"CI/devopness\"",
		"state 'in-progress' is not one of error, failure, pending, success",
		"context has 300 characters, GitHub allows 255",
		"eyJ is how JSON starts in base64",
		"ghp_short is not a token",
		"glpat-short",
		"ATBB is a prefix",
		"password",
		"token=",
		"X-GitHub-Api-Version: 2022-11-28",
		"Content-Type: application/json",
		"2024-01-02T03:04:05Z",
		"sha256:abcdef0123456789",
		"{{ action.url_web_permalink }}",
		"",
		"héllo wörld ✓",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		EXPECT_RED(redact_text(texts[i]), texts[i]);
	EXPECT_RED(redact_text(NULL), "");
}

TEST(find_token_locates_first)
{
	size_t start = 99, len = 99;
	const char *t = "x " GLPAT " y " GHP;

	EXPECT(redact_find_token(t, &start, &len));
	EXPECT_INT(start, 2);
	EXPECT_INT(len, strlen(GLPAT));
	EXPECT(redact_find_token("Basic dXNlcjpwYXNz", &start, &len));
	EXPECT_INT(start, 6);
	EXPECT_INT(len, 12);
	EXPECT(redact_find_token(JWT, &start, &len));
	EXPECT_INT(start, 0);
	EXPECT_INT(len, strlen(JWT));
	EXPECT(!redact_find_token("Bearer " VARS_TOKEN_PLACEHOLDER, &start, &len));
	EXPECT(!redact_find_token("Bearer " TMPL, &start, &len));
	EXPECT(!redact_find_token(SHA, &start, &len));
	EXPECT(!redact_find_token(UUID, &start, &len));
	EXPECT(!redact_find_token("***(sha256:2bb80d53)", &start, &len));
	EXPECT(!redact_find_token(NULL, &start, &len));
	/* embedded in a longer word: not a token start */
	EXPECT(!redact_find_token("xghp_0123456789abcdefghijABCDEFGHIJ", &start, &len));
}

TEST(json_masks_by_key_and_shape)
{
	cJSON *j = cJSON_Parse(
		"{\"state\":\"success\",\"context\":\"ci/devopness\","
		"\"key\":\"deploy\",\"token\":\"abc\",\"api_key\":\"k\","
		"\"password\":12345,\"nested\":{\"Private_Token\":\"p\","
		"\"list\":[\"" GHP "\",\"plain\"]},"
		"\"credentials\":{\"user\":\"u\",\"pass\":\"v\"},"
		"\"access_token\":\"" TMPL "\","
		"\"target_url\":\"https://u:p@h/x?token=t\","
		"\"description\":\"ok " SHA "\","
		"\"headers\":[{\"name\":\"Authorization\",\"value\":\"Bearer zz\"},"
		"{\"name\":\"Accept\",\"value\":\"application/json\"}],"
		"\"flag\":true,\"n\":null}");
	char *got, *want, *m_abc = mk("abc"), *m_k = mk("k"), *m_num = mk("12345"),
	     *m_p = mk("p"), *m_ghp = mk(GHP), *m_u = mk("u"), *m_v = mk("v"),
	     *m_up = mk("u:p"), *m_t = mk("t"), *m_zz = mk("zz");

	EXPECT(j != NULL);
	redact_json(j);
	got = cJSON_PrintUnformatted(j);
	want = xasprintf(
		"{\"state\":\"success\",\"context\":\"ci/devopness\","
		"\"key\":\"deploy\",\"token\":\"%s\",\"api_key\":\"%s\","
		"\"password\":\"%s\",\"nested\":{\"Private_Token\":\"%s\","
		"\"list\":[\"%s\",\"plain\"]},"
		"\"credentials\":{\"user\":\"%s\",\"pass\":\"%s\"},"
		"\"access_token\":\"" TMPL "\","
		"\"target_url\":\"https://%s@h/x?token=%s\","
		"\"description\":\"ok " SHA "\","
		"\"headers\":[{\"name\":\"Authorization\",\"value\":\"Bearer %s\"},"
		"{\"name\":\"Accept\",\"value\":\"application/json\"}],"
		"\"flag\":true,\"n\":null}",
		m_abc, m_k, m_num, m_p, m_ghp, m_u, m_v, m_up, m_t, m_zz);
	EXPECT_STR(got, want);
	cJSON_free(got);
	free(want);
	free(m_abc); free(m_k); free(m_num); free(m_p); free(m_ghp);
	free(m_u); free(m_v); free(m_up); free(m_t); free(m_zz);
	cJSON_Delete(j);
	redact_json(NULL);
}

TEST(secret_key_names)
{
	EXPECT(redact_is_secret_key("token"));
	EXPECT(redact_is_secret_key("access_token"));
	EXPECT(redact_is_secret_key("PRIVATE_TOKEN"));
	EXPECT(redact_is_secret_key("api_key"));
	EXPECT(redact_is_secret_key("apiKey"));
	EXPECT(redact_is_secret_key("client_secret"));
	EXPECT(redact_is_secret_key("Authorization"));
	EXPECT(redact_is_secret_key("password"));
	EXPECT(!redact_is_secret_key("key"));
	EXPECT(!redact_is_secret_key("state"));
	EXPECT(!redact_is_secret_key("context"));
	EXPECT(!redact_is_secret_key("target_url"));
	EXPECT(!redact_is_secret_key("description"));
	EXPECT(!redact_is_secret_key("keyboard"));
	EXPECT(!redact_is_secret_key(NULL));
}

/* The quick pass of redact_text()/redact_url() (text that needs no scan
 * is returned as it is) and the answers they remember for a repeated
 * text agree with the full scan: on the strings of this file's other
 * tests and on many random ones made of the pieces every rule starts
 * on. */
static const char *const pieces[] = {
	"gh", "p_", "gl", "pat-", "AT", "BB", "ATT", "AK", "IA", "xo", "xb-",
	"ey", "J", "Bearer ", "basic ", "bAsIc\t", "token", "_key", "-key",
	"apikey", "auth", "Authorization", "secret", "password", ":", "=",
	" : ", "\"", "//", "/", "https://", "u:pw@", "@", "?", "&", "#",
	"sig=", "code=", "{{ a.b }}", TMPL, VARS_TOKEN_PLACEHOLDER, "***",
	"***(sha256:0123abcd)", "0123456789", "abcdefghij", "ABCDEFGHIJ",
	"_", "-", ".", " ", "\n", "(", ")", ",", "x", "é", GHP, GLPAT, JWT,
	ATBB, SLACK, "AKIA0123456789ABCDEF", "ghp", "q", GHPAT, "github_pat_",
	GHS, ATATT, "glrt-", "gloas-", "cookie", "Credential", "passwd",
	"TOKEN", "x-api-key",
};

static unsigned long rng_state = 12345;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

static int quick_differs(const char *s)
{
	char *a = redact_text(s), *b = redact_text_full(s);
	char *c = redact_url(s), *d = redact_url_full(s), *owned;
	/* a second time: the answer remembered for a repeated text */
	char *a2 = redact_text(s), *c2 = redact_url(s);
	const char *e = redact_text_shared(s, &owned);
	int bad = strcmp(a, b) != 0 || strcmp(c, d) != 0 || strcmp(e, b) != 0 ||
		  strcmp(a2, b) != 0 || strcmp(c2, d) != 0;

	free(a2);
	free(c2);

	if (bad)
		printf("  quick pass differs on: %s\n", s);
	free(a);
	free(b);
	free(c);
	free(d);
	free(owned);
	return bad;
}

TEST(quick_pass_agrees_with_full_scan)
{
	static const char *const fixed[] = {
		"", "skipped: --offline", "at 5:18", "PRIVATE-TOKEN: <token>",
		"token: " GHP, "x_token=abc123def456", "\"api_key\" : \"v\"",
		"https://u:pw@h/x?a=1&token=2#access_token=3",
		"see https://example.com/a", "Bearer abcdefgh12345678",
		"deploy " GHP, "the name \"" GLPAT "\"", "a=b", "auth=x",
		"Xauth: abcdef123456789", "path//x", "https://h/?sig=",
	};
	char buf[512];
	int bad = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		bad += quick_differs(fixed[i]);
	for (int t = 0; t < 200000 && bad < 5; t++) {
		size_t len = 0, k = 1 + rnd(8);

		buf[0] = '\0';
		for (size_t i = 0; i < k; i++) {
			const char *p = pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))];
			size_t n = strlen(p);

			if (len + n >= sizeof(buf))
				break;
			memcpy(buf + len, p, n + 1);
			len += n;
		}
		bad += quick_differs(buf);
	}
	EXPECT(bad == 0);
}

/* What redact_json_member_unchanged() clears, redact_json() leaves as it
 * is; and it does not clear what redaction changes. */
TEST(json_member_unchanged_agrees_with_redact_json)
{
	static const char *const docs[] = {
		"{\"events\":[\"action.started\",\"action.failed\"]}",
		"{\"conditions\":[\"action.status in [\\\"1\\\"]\"]}",
		"{\"identities\":{\"queued\":\"Devopness\",\"failed\":\"x\"}}",
		"{\"token\":[\"abc\"]}", "{\"x\":{\"api_key\":12}}",
		"{\"x\":{\"password\":true}}", "{\"x\":[1,2.5,null]}",
		"{\"x\":{\"name\":\"Authorization\",\"value\":\"Bearer " GHP "\"}}",
		"{\"x\":{\"name\":\"Accept\",\"value\":\"json\"}}",
		"{\"x\":[\"deploy " GHP "\"]}", "{\"x\":{\"" GLPAT "\":1}}",
		"{\"" GHP "\":[1]}", "{\"x\":[\"see https://u:pw@h/\"]}",
		"{\"x\":{\"secret\":{\"a\":[\"b\"]}}}", "{\"x\":{}}",
	};
	int cleared = 0;

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		cJSON *j = cJSON_Parse(docs[i]), *m = j ? j->child : NULL;
		cJSON *wrap, *copy;
		bool same, said;

		EXPECT(m != NULL);
		if (!m)
			continue;
		said = redact_json_member_unchanged(m->string, m);
		wrap = cJSON_CreateObject();
		copy = cJSON_Duplicate(m, true);
		cJSON_AddItemToObject(wrap, m->string, copy);
		redact_json(wrap);
		same = cJSON_Compare(wrap->child, m, true) &&
		       strcmp(wrap->child->string, m->string) == 0;
		if (said && !same)
			printf("  cleared but changed: %s\n", docs[i]);
		EXPECT(!said || same);
		cleared += said;
		cJSON_Delete(wrap);
		cJSON_Delete(j);
	}
	EXPECT(cleared >= 5);   /* the plain ones are cleared */
}

int main(void)
{
	RUN(mask_is_sha256_prefix);
	RUN(authorization_keeps_scheme);
	RUN(token_headers_masked_whole);
	RUN(placeholder_and_templates_stay);
	RUN(non_secret_headers_scanned_as_text);
	RUN(redaction_is_idempotent);
	RUN(url_userinfo_masked);
	RUN(url_secret_query_masked);
	RUN(urls_without_secrets_unchanged);
	RUN(text_token_shapes);
	RUN(text_bearer_and_basic);
	RUN(text_name_value_pairs);
	RUN(text_urls_inside_prose);
	RUN(no_false_positives);
	RUN(find_token_locates_first);
	RUN(json_masks_by_key_and_shape);
	RUN(secret_key_names);
	RUN(quick_pass_agrees_with_full_scan);
	RUN(json_member_unchanged_agrees_with_redact_json);
	return unit_done();
}
