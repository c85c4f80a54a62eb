/* test_util.c - the small shared string helpers of util.c that several
 * modules lean on (case-insensitive prefix and substring, the string-keyed
 * hash index). */
#include <limits.h>
#include <pthread.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>

#include "json.h"
#include "sha256.h"
#include "util.h"
#include "unit.h"

TEST(prefix_ci_ignores_ascii_case_on_both_sides)
{
	EXPECT(ascii_prefix_ci("Location: /x", "location:"));
	EXPECT(ascii_prefix_ci("location: /x", "LOCATION:"));
	EXPECT(ascii_prefix_ci("Bearer abc", "bearer "));
	EXPECT(ascii_prefix_ci("anything", ""));
	EXPECT(!ascii_prefix_ci("Locat", "location:"));
	EXPECT(!ascii_prefix_ci("Basic abc", "bearer "));
}

TEST(contains_ci_finds_a_needle_anywhere)
{
	EXPECT(ascii_contains_ci("You have exceeded a Secondary Rate Limit.",
				 "secondary rate limit"));
	EXPECT(ascii_contains_ci("API rate limit exceeded", "RATE LIMIT"));
	EXPECT(ascii_contains_ci("https://GitHub.com/x", "github.com"));
	EXPECT(!ascii_contains_ci("rate limi", "rate limit"));
	EXPECT(!ascii_contains_ci("", "x"));
}

TEST(contains_ci_edges_null_hay_and_empty_needle)
{
	EXPECT(!ascii_contains_ci(NULL, "x"));
	EXPECT(!ascii_contains_ci(NULL, ""));
	EXPECT(ascii_contains_ci("", ""));
	EXPECT(ascii_contains_ci("abc", ""));
}

TEST(strmap_finds_every_key_of_thousands_and_misses_the_rest)
{
	struct strmap m = {0};
	static char keys[5000][24];

	EXPECT(strmap_get(&m, "absent") == NULL);
	for (int i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "github|acme|r%d", i);
		strmap_put(&m, keys[i], &keys[i]);
	}
	EXPECT(m.n == 5000);
	EXPECT(m.cap >= 2 * m.n);
	for (int i = 0; i < 5000; i++)
		if (strmap_get(&m, keys[i]) != &keys[i]) {
			EXPECT(strmap_get(&m, keys[i]) == &keys[i]);
			break;
		}
	/* Another copy of the same text finds it too. */
	EXPECT(strmap_get(&m, "github|acme|r4999") == &keys[4999]);
	EXPECT(strmap_get(&m, "github|acme|r5000") == NULL);
	EXPECT(strmap_get(&m, "") == NULL);
	strmap_put(&m, keys[7], &keys[8]);
	EXPECT(m.n == 5000);
	EXPECT(strmap_get(&m, keys[7]) == &keys[8]);
	strmap_free(&m);
	EXPECT(m.n == 0 && m.cap == 0 && strmap_get(&m, keys[0]) == NULL);
}

/* RFC 4648 section 10's vectors, both ways; the decoder takes the
 * URL-safe digits, no padding and trailing blanks, and refuses the rest. */
TEST(base64_round_trips_rfc4648_vectors)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char *e = base64_encode(plain[i], strlen(plain[i]));
		char *d = base64_decode(enc[i], strlen(enc[i]));

		EXPECT_STR(e, enc[i]);
		EXPECT(d && strcmp(d, plain[i]) == 0);
		free(e);
		free(d);
	}
	{
		char *d = base64_decode("Pz8_Pw \n", 8);    /* "???" + '?' URL-safe */

		EXPECT(d && strcmp(d, "????") == 0);
		free(d);
	}
	EXPECT(base64_decode("Zm9v!", 5) == NULL);
	EXPECT(base64_decode("Z", 1) == NULL);
	EXPECT_INT(base64_digit('/'), 63);
	EXPECT_INT(base64_digit('*'), -1);
}

TEST(trim_and_token_check_what_a_header_can_carry)
{
	char *t = xstrndup_trim("  ghp_abc \r\n", 12);

	EXPECT_STR(t, "ghp_abc");
	free(t);
	t = xstrndup_trim(" \t\n", 3);
	EXPECT_STR(t, "");
	free(t);
	t = xstrndup_trim("a b  c", 4);         /* n bytes only */
	EXPECT_STR(t, "a b");
	free(t);
	EXPECT(token_is_clean("ghp_16C7e42F292c6912E7710c838347Ae178B4a"));
	EXPECT(token_is_clean("user:app-password"));
	EXPECT(token_is_clean(""));
	EXPECT(!token_is_clean("one two"));
	EXPECT(!token_is_clean("abc\r\nX-Evil: 1"));
	EXPECT(!token_is_clean("tab\there"));
	EXPECT(!token_is_clean("del\x7f"));
}

/* Each range of utf8_hidden_char() at its edges, and its neighbours
 * outside; truncated sequences are not read past their end. */
TEST(hidden_chars_are_the_invisible_and_reordering_ones)
{
	static const struct { unsigned cp; bool hidden; } cases[] = {
		{0x7f, false}, {0x80, true}, {0x85, true}, {0x9f, true},
		{0xa0, false}, {0xad, false}, {0x61b, false}, {0x61c, true},
		{0x61d, false}, {0x200a, false}, {0x200b, true}, {0x200f, true},
		{0x2010, false}, {0x2027, false}, {0x2028, true}, {0x202e, true},
		{0x202f, false}, {0x205f, false}, {0x2060, true}, {0x2064, true},
		{0x2065, false}, {0x2066, true}, {0x2069, true}, {0x206a, false},
		{0xfefe, false}, {0xfeff, true}, {0xff00, false}, {0x2713, false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned c = cases[i].cp, got = 0;
		char s[4] = {0};
		size_t n, want = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;

		if (want == 1) {
			s[0] = (char)c;
		} else if (want == 2) {
			s[0] = (char)(0xc0 | (c >> 6));
			s[1] = (char)(0x80 | (c & 0x3f));
		} else {
			s[0] = (char)(0xe0 | (c >> 12));
			s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			s[2] = (char)(0x80 | (c & 0x3f));
		}
		n = utf8_hidden_char(s, &got);
		if ((n != 0) != cases[i].hidden || (n && (n != want || got != c))) {
			fprintf(stderr, "  U+%04X: length %zu, U+%04X\n", c, n, got);
			EXPECT(false);
		}
	}
	{
		unsigned cp = 0;

		EXPECT(utf8_hidden_char("\xe2\x80", &cp) == 0);      /* cut */
		EXPECT(utf8_hidden_char("\xe2", &cp) == 0);
		EXPECT(utf8_hidden_char("\xc2", &cp) == 0);
		EXPECT(utf8_hidden_char("", &cp) == 0);
	}
}

/* A file past READ_MAX_BYTES is refused before it is read; a stream
 * (here /dev/zero) once it has gone past the limit. */
TEST(read_file_all_stops_at_the_limit)
{
	struct hd_error err = {{0}};
	size_t len = 0;
	char *text = read_file_all("/dev/zero", &len, &err);

	EXPECT(text == NULL);
	EXPECT(strstr(err.msg, "/dev/zero: more than 256 MiB read") != NULL);
}

/* Regular files are read into a buffer of their size: every size around
 * the edges of that buffer and of the 64 KiB steps comes back whole, NUL
 * bytes included, and NUL-terminated. */
TEST(read_file_all_reads_regular_files_whole)
{
	static const size_t sizes[] = {0, 1, 63, 64, 4095, 4096, 65535,
				       65536, 65537, 300001};
	char path[] = "/tmp/hookdoctor-read-XXXXXX";
	int fd = mkstemp(path);

	EXPECT(fd >= 0);
	for (size_t k = 0; fd >= 0 && k < sizeof(sizes) / sizeof(*sizes); k++) {
		size_t n = sizes[k], len = 12345;
		char *want = malloc(n + 1), *got;
		struct hd_error err = {{0}};

		for (size_t i = 0; i < n; i++)
			want[i] = (char)(i * 7 % 251);  /* NUL bytes too */
		EXPECT(ftruncate(fd, 0) == 0 && pwrite(fd, want, n, 0) == (ssize_t)n);
		got = read_file_all(path, &len, &err);
		EXPECT(got != NULL && len == n);
		EXPECT(got && memcmp(got, want, n) == 0 && got[n] == '\0');
		free(got);
		free(want);
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
}

struct pipe_writer {
	int fd;
	size_t n;
};

static void *write_pipe(void *arg)
{
	struct pipe_writer *w = arg;
	char buf[1000];

	for (size_t done = 0; done < w->n;) {
		size_t k = w->n - done < sizeof(buf) ? w->n - done : sizeof(buf);
		ssize_t r;

		for (size_t i = 0; i < k; i++)
			buf[i] = (char)('a' + (done + i) % 26);
		r = write(w->fd, buf, k);
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	close(w->fd);
	return NULL;
}

/* A stream (a pipe, here written 1,000 bytes at a time), a file of /proc
 * whose size says 0, and the errors of a missing file and a directory. */
TEST(read_file_all_reads_streams_and_names_errors)
{
	int fds[2];
	pthread_t t;
	struct pipe_writer w = {0, 300007};
	struct hd_error err = {{0}};
	char path[64], *text;
	size_t len = 0;
	bool ok = true;

	EXPECT(pipe(fds) == 0);
	w.fd = fds[1];
	EXPECT(pthread_create(&t, NULL, write_pipe, &w) == 0);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	text = read_file_all(path, &len, &err);
	pthread_join(t, NULL);
	close(fds[0]);
	EXPECT(text != NULL && len == w.n);
	for (size_t i = 0; text && i < len && ok; i++)
		ok = text[i] == (char)('a' + i % 26);
	EXPECT(ok && text && text[len] == '\0');
	free(text);

	text = read_file_all("/proc/self/status", &len, &err);
	EXPECT(text != NULL && len > 0 && strstr(text, "Name:") != NULL);
	free(text);

	EXPECT(read_file_all("/nonexistent/hook.json", &len, &err) == NULL);
	EXPECT_STR(err.msg, "/nonexistent/hook.json: cannot open: No such file or directory");
	EXPECT(read_file_all("/tmp", &len, &err) == NULL);
	EXPECT_STR(err.msg, "/tmp: cannot read: Is a directory");
}

static void hex(const unsigned char *md, char out[2 * SHA256_LEN + 1])
{
	for (int i = 0; i < SHA256_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* FIPS 180-4's examples (one block, two blocks of 448 bits, a million
 * 'a'), and the empty string. */
TEST(sha256_gives_the_standard_vectors)
{
	static const char *const in[] = {
		"", "abc",
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	};
	static const char *const want[] = {
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	};
	unsigned char md[SHA256_LEN];
	char h[2 * SHA256_LEN + 1];
	char *million = xmalloc(1000000);

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		sha256(in[i], strlen(in[i]), md);
		hex(md, h);
		EXPECT_STR(h, want[i]);
	}
	memset(million, 'a', 1000000);
	sha256(million, 1000000, md);
	hex(md, h);
	EXPECT_STR(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* Every length from 0 to 300 bytes (each padding case: the length field
 * in the same block or the next, block edges) agrees with OpenSSL. */
TEST(sha256_agrees_with_openssl_at_every_length_to_300)
{
	unsigned char buf[300], md[SHA256_LEN], ref[EVP_MAX_MD_SIZE];
	unsigned int reflen = 0;
	unsigned x = 12345;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (size_t n = 0; n <= sizeof(buf); n++) {
		sha256(buf, n, md);
		EXPECT(EVP_Digest(buf, n, ref, &reflen, EVP_sha256(), NULL) == 1);
		EXPECT(reflen == SHA256_LEN && memcmp(md, ref, SHA256_LEN) == 0);
	}
}

/* sbuf_addf() formats the common conversions itself and hands the rest
 * to vsnprintf: either way the bytes must be vsnprintf's. Appends to a
 * buffer that already holds text, as the reports do. */
static int same_failures;

static void same_as_vsnprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void same_as_vsnprintf(const char *fmt, ...)
{
	struct sbuf b = {0};
	char want[4096] = "prefix:";
	va_list ap, cp;
	int n;

	sbuf_add(&b, "prefix:");
	va_start(ap, fmt);
	va_copy(cp, ap);
	sbuf_vaddf(&b, fmt, ap);
	n = vsnprintf(want + 7, sizeof(want) - 7, fmt, cp);
	va_end(cp);
	va_end(ap);
	if (n < 0 || b.len != (size_t)n + 7 || memcmp(b.s, want, b.len) != 0 ||
	    b.s[b.len] != '\0') {
		printf("  format \"%s\": got \"%s\" (%zu), want \"%s\" (%d)\n",
		       fmt, b.s, b.len, want, n + 7);
		same_failures++;
	}
	sbuf_free(&b);
}

TEST(sbuf_addf_writes_what_vsnprintf_writes)
{
	static const char nul_free[4] = {'a', 'b', 'c', 'd'};  /* no NUL */
	/* volatile: the compiler may not see the NULL and refuse it */
	const char *volatile none = NULL;
	char big[3000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	same_failures = 0;
	/* the formatter's own conversions */
	same_as_vsnprintf("plain text, no conversion");
	same_as_vsnprintf("%s", "");
	same_as_vsnprintf("%s and %s", "one", "two");
	same_as_vsnprintf("%s", big);
	same_as_vsnprintf("%.3s|%.0s|%.10s", "abcdef", "gone", "ab");
	same_as_vsnprintf("%.*s|%.*s|%.*s", 2, "abc", 0, "abc", -1, "abc");
	same_as_vsnprintf("%.4s", nul_free);
	same_as_vsnprintf("%.*s", 4, nul_free);
	same_as_vsnprintf("%c%c%c", 'a', '%', 0xe9);
	same_as_vsnprintf("[%c]", 0);
	same_as_vsnprintf("100%% of %d%%", 7);
	same_as_vsnprintf("%d %d %d %i", 0, -1, INT_MAX, INT_MIN);
	same_as_vsnprintf("%u %u", 0u, UINT_MAX);
	same_as_vsnprintf("%ld %ld %lu", LONG_MIN, LONG_MAX, ULONG_MAX);
	same_as_vsnprintf("%lld %lld %llu", LLONG_MIN, LLONG_MAX, ULLONG_MAX);
	same_as_vsnprintf("%zu %zu", (size_t)0, SIZE_MAX);
	same_as_vsnprintf("%s:%d:%d: %s is %zu bytes (%ld)", "f.json", 3, 14,
			  "hook [2]", (size_t)70000, -5L);
	/* handed to vsnprintf, after a part the formatter wrote */
	same_as_vsnprintf("%s then %02x", "before", 0xab);
	same_as_vsnprintf("%d %-8s|%8s|%*s", 5, "ab", "cd", 4, "e");
	same_as_vsnprintf("%.1f %g %.3g %x %X %04lX", 2.25, 0.5, 1234.5, 255u,
			  255u, 0xbeefUL);
	same_as_vsnprintf("%zd %+d % d %5d", (ssize_t)-3, 4, 5, 6);
	same_as_vsnprintf("%s|%.2s", "ok", none);
	same_as_vsnprintf("%s", none);
	same_as_vsnprintf("%.s|%s", "gone", "kept");
	same_as_vsnprintf("%lx %hd", 0xffUL, (short)-2);
	EXPECT_INT(same_failures, 0);
}

TEST(sbuf_addf_of_nothing_is_still_a_string)
{
	struct sbuf b = {0};
	char *s;

	sbuf_addf(&b, "%s", "");
	EXPECT(b.s != NULL);
	EXPECT_INT(b.len, 0);
	s = sbuf_detach(&b);
	EXPECT_STR(s, "");
	free(s);
	s = xasprintf("%s-%d", "a", 1);
	EXPECT_STR(s, "a-1");
	free(s);
}

/* json_member() is cJSON_GetObjectItemCaseSensitive() made cheaper: it
 * must find the same node for every key, present or not. */
TEST(json_member_finds_what_cjson_finds)
{
	static const char *const keys[] = {
		"a", "ab", "abc", "b", "", "A", "dup", "x", "abd", "nested",
		"zz", NULL,
	};
	cJSON *o = cJSON_Parse("{\"ab\":1,\"a\":2,\"abc\":3,\"\":4,"
			       "\"dup\":5,\"dup\":6,\"A\":7,"
			       "\"nested\":{\"x\":8}}");
	cJSON *arr = cJSON_Parse("[1,{\"a\":1}]");
	int wrong = 0;

	EXPECT(o && arr);
	for (size_t i = 0; keys[i]; i++) {
		if (json_member(o, keys[i]) !=
		    cJSON_GetObjectItemCaseSensitive(o, keys[i]))
			wrong++;
		if (json_member(arr, keys[i]) != NULL)
			wrong++;
	}
	EXPECT_INT(wrong, 0);
	EXPECT_INT(json_member(o, "dup")->valueint, 5);
	EXPECT(json_member(NULL, "a") == NULL);
	EXPECT(json_member(o, NULL) == NULL);
	EXPECT(json_member(json_member(o, "nested"), "x")->valueint == 8);
	cJSON_Delete(o);
	cJSON_Delete(arr);
}

static size_t plain_ascii_len_slow(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (unsigned char)s[i] >= 0x20 &&
	       (unsigned char)s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

/* The eight-bytes-at-a-time scan stops where a byte-by-byte one does:
 * every byte value at every place of strings up to 24 bytes, and
 * random strings. */
TEST(plain_ascii_len_stops_at_the_first_byte_to_look_at)
{
	char buf[64];
	unsigned seed = 7;
	int wrong = 0;

	for (size_t n = 0; n <= 24; n++)
		for (size_t at = 0; at < (n ? n : 1); at++)
			for (int c = 0; c < 256; c++) {
				memset(buf, 'a', sizeof(buf));
				if (n)
					buf[at] = (char)c;
				if (plain_ascii_len(buf, n) !=
				    plain_ascii_len_slow(buf, n))
					wrong++;
			}
	for (int k = 0; k < 20000; k++) {
		size_t n = (size_t)(k % 60);

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly printable, sometimes anything */
			buf[i] = (char)((seed >> 16) % 16 ? 0x20 + (seed >> 8) % 95
						      : (seed >> 8) & 0xff);
		}
		if (plain_ascii_len(buf, n) != plain_ascii_len_slow(buf, n))
			wrong++;
	}
	EXPECT_INT(wrong, 0);
	EXPECT_INT(plain_ascii_len("hello \"world\"", 13), 6);
	EXPECT_INT(plain_ascii_len("0123456789abcdef\x7f", 17), 16);
}

/* run_threads: fn runs on the caller and on n - 1 more threads (at most
 * RUN_THREADS_MAX in all), all of them done when it returns; n below 2
 * is the caller alone. */
struct ran {
	pthread_mutex_t lock;
	int calls, on_caller;
	pthread_t caller;
};

static void *count_call(void *arg)
{
	struct ran *r = arg;

	pthread_mutex_lock(&r->lock);
	r->calls++;
	r->on_caller += pthread_equal(pthread_self(), r->caller) != 0;
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

TEST(run_threads_runs_on_the_caller_and_n_minus_one_more)
{
	static const int ns[][2] = {{-1, 1}, {0, 1}, {1, 1}, {2, 2}, {8, 8},
				    {RUN_THREADS_MAX + 10, RUN_THREADS_MAX}};

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		struct ran r = {PTHREAD_MUTEX_INITIALIZER, 0, 0, pthread_self()};

		run_threads(ns[i][0], count_call, &r);
		EXPECT_INT(r.calls, ns[i][1]);
		EXPECT_INT(r.on_caller, 1);
		pthread_mutex_destroy(&r.lock);
	}
}

int main(void)
{
	RUN(run_threads_runs_on_the_caller_and_n_minus_one_more);
	RUN(prefix_ci_ignores_ascii_case_on_both_sides);
	RUN(contains_ci_finds_a_needle_anywhere);
	RUN(contains_ci_edges_null_hay_and_empty_needle);
	RUN(strmap_finds_every_key_of_thousands_and_misses_the_rest);
	RUN(base64_round_trips_rfc4648_vectors);
	RUN(trim_and_token_check_what_a_header_can_carry);
	RUN(read_file_all_stops_at_the_limit);
	RUN(read_file_all_reads_regular_files_whole);
	RUN(read_file_all_reads_streams_and_names_errors);
	RUN(hidden_chars_are_the_invisible_and_reordering_ones);
	RUN(sha256_gives_the_standard_vectors);
	RUN(sha256_agrees_with_openssl_at_every_length_to_300);
	RUN(sbuf_addf_writes_what_vsnprintf_writes);
	RUN(sbuf_addf_of_nothing_is_still_a_string);
	RUN(json_member_finds_what_cjson_finds);
	RUN(plain_ascii_len_stops_at_the_first_byte_to_look_at);
	return unit_done();
}
